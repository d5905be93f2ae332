package heuristic

import (
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Folding of values, the part of NormalizeJS that computes: methods called
// on literals ("moc.live//:sptth".split("").reverse().join(""),
// "hxxps://x[.]com".replace("hxxps", "https"), .slice, .substring, .substr,
// .concat, [..][2], "abc"[1]), arrays mapped by a function of literals
// ([..].map(c => c - 3)), String.fromCharCode of constant expressions and
// arrays (...arr, .apply), new URL(path, base), a string passed to
// setTimeout, eval or Function read as the code it is, and a loop that
// appends one character an iteration (s += String.fromCharCode(a[i] ^ k)).
// Nothing runs: one linear scan of the text finds each literal and applies
// what follows it while every argument is a literal; every value, element
// and iteration costs steps of one budget per script, so a hostile script
// gets a bounded amount of folding and the rest stays as written.

// maxFoldSteps is the folding budget of one script (of NormalizeJS over
// all its passes, and again of decodeJS's): a step is about a byte or an
// element of work, or one node of an expression evaluated. A real kit's
// decoded page of 64 KiB takes a few hundred thousand; the worst page
// (BenchmarkScanEvaluatorPage) costs less than BenchmarkScanFoldingPage.
const maxFoldSteps = 1 << 20

// maxFoldedItems bounds the elements of an array folding builds.
const maxFoldedItems = 1 << 16

// jsVal is a value folding computes: a string (of code points, as the
// rest of the normaliser holds them), a whole number, an array of values;
// for running code also a fraction, a boolean, undefined, an object, a
// function, or a global function or namespace (Math, parseInt).
type jsVal struct {
	kind byte // 's', 'n', 'a'; 'd', 'b', 'u', 'o', 'f', 'g', 'r' (a RegExp: s its literal)
	s    string
	n    int64 // 'n'; 'b': 1 for true
	d    float64
	a    []jsVal  // 'a': the elements; 'o', 'f': the values of keys
	keys []string // 'o'; 'f': the properties the script set on the function (a decoder's cache)
	fn   *jsClosure
	own  bool // 'a', 'o', 'f': a copy the run made, changed in place (as JavaScript's arrays and objects are shared)
}

func strVal(s string) jsVal { return jsVal{kind: 's', s: s} }
func numVal(n int64) jsVal  { return jsVal{kind: 'n', n: n} }

func boolVal(b bool) jsVal {
	if b {
		return jsVal{kind: 'b', n: 1}
	}
	return jsVal{kind: 'b'}
}

// floatVal is x, a whole number where it is one.
func floatVal(x float64) jsVal {
	if x == math.Trunc(x) && math.Abs(x) <= 1<<53 && !(x == 0 && math.Signbit(x)) {
		return numVal(int64(x))
	}
	return jsVal{kind: 'd', d: x}
}

func (v jsVal) isNum() bool { return v.kind == 'n' || v.kind == 'd' }

// number is v as JavaScript's Number() has it; false for NaN and for
// values folding does not convert.
func (v jsVal) number() (float64, bool) {
	switch v.kind {
	case 'n', 'b':
		return float64(v.n), true
	case 'd':
		return v.d, !math.IsNaN(v.d) && !math.IsInf(v.d, 0)
	case 's':
		t := strings.TrimSpace(v.s)
		if t == "" {
			return 0, true
		}
		if h, ok := strings.CutPrefix(strings.ToLower(t), "0x"); ok {
			n, err := strconv.ParseUint(h, 16, 53)
			return float64(n), err == nil && !strings.Contains(h, "_")
		}
		x, err := strconv.ParseFloat(t, 64)
		return x, err == nil && !strings.ContainsAny(t, "xXpP_") && !math.IsInf(x, 0) && !math.IsNaN(x)
	}
	return 0, false
}

func (v jsVal) truthy() bool {
	switch v.kind {
	case 's':
		return v.s != ""
	case 'n', 'b':
		return v.n != 0
	case 'd':
		return v.d != 0 && !math.IsNaN(v.d)
	case 'u':
		return false
	}
	return true
}

// printable: str writes v as JavaScript's String() does.
func (v jsVal) printable() bool {
	switch v.kind {
	case 's', 'n', 'b':
		return true
	case 'd':
		return math.Abs(v.d) >= 1e-6 && math.Abs(v.d) < 1e21
	case 'a':
		for _, e := range v.a {
			if !e.printable() {
				return false
			}
		}
		return true
	case 'f':
		return v.fn.def != nil && v.fn.def.src != ""
	}
	return false
}

// text is v written as JavaScript ("" when too long to write back, or a
// value that is not a literal).
func (v jsVal) text() string {
	switch v.kind {
	case 's':
		return jsQuote(v.s)
	case 'n', 'b':
		return v.str()
	case 'd':
		if !v.printable() {
			return ""
		}
		return v.str()
	case 'a', 'o':
	default:
		return ""
	}
	var sb strings.Builder
	open, end := byte('['), byte(']')
	if v.kind == 'o' {
		open, end = '{', '}'
	}
	sb.WriteByte(open)
	for i, e := range v.a {
		if i > 0 {
			sb.WriteByte(',')
		}
		if v.kind == 'o' {
			sb.WriteString(jsQuote(v.keys[i]) + ":")
		}
		t := e.text()
		if t == "" {
			return ""
		}
		sb.WriteString(t)
		if sb.Len() > 4*maxFolded {
			return ""
		}
	}
	sb.WriteByte(end)
	return sb.String()
}

// str is v as JavaScript turns it into a string (an array joined by ",").
func (v jsVal) str() string {
	switch v.kind {
	case 's':
		return v.s
	case 'n':
		return strconv.FormatInt(v.n, 10)
	case 'b':
		if v.n != 0 {
			return "true"
		}
		return "false"
	case 'd':
		return strconv.FormatFloat(v.d, 'f', -1, 64)
	case 'f': // its source, as a function's toString gives it
		if v.fn.def != nil {
			return v.fn.def.src
		}
		return ""
	}
	parts := make([]string, len(v.a))
	for i, e := range v.a {
		parts[i] = e.str()
	}
	return strings.Join(parts, ",")
}

// foldValues rewrites each computation on literals in s as the literal
// it makes, spending *steps.
func foldValues(s string, steps *int) string {
	var sb strings.Builder
	last := 0
	emit := func(start, end int, text string) {
		if sb.Len() == 0 {
			sb.Grow(len(s))
		}
		sb.WriteString(s[last:start])
		sb.WriteString(text)
		last = end
	}
	prev := byte(0) // the last byte before i that is not a space
	for i := 0; i < len(s) && *steps > 0; i++ {
		c := s[i]
		switch {
		case isJSSpace(c):
			continue
		case c == '"' || c == '\'':
			e := quotedEnd(s, i)
			if e >= len(s) || s[e] != c {
				i, prev = e, c
				continue
			}
			if prev == '(' {
				if start, text, end, ok := codeString(s, i, e); ok && start >= last {
					emit(start, end, text)
					i, prev = end-1, ')'
					continue
				}
			}
			if k := skipJSSpace(s, e+1); k >= len(s) || s[k] != '.' && s[k] != '[' {
				i, prev = e, c // nothing is called on it
				continue
			}
			if v, end, ok := chain(s, e+1, strVal(jsUnquote(s[i:e+1])), steps); ok {
				if t := v.text(); t != "" && len(v.s) <= maxFolded {
					emit(i, end, t)
					i, prev = end-1, '"'
					continue
				}
			}
			i, prev = e, c
			continue
		case c == '`':
			if k := strings.IndexByte(s[i+1:], '`'); k >= 0 {
				i += k + 1
			} else {
				i = len(s)
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
				i += k
			} else {
				i = len(s)
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			if k := strings.Index(s[i+2:], "*/"); k >= 0 {
				i += k + 3
			} else {
				i = len(s)
			}
		case c == '/' && regexStarts(prev):
			if _, end, ok := regexLiteral(s, i); ok {
				i = end - 1
			}
		case c == '[' && !valueBefore(prev):
			if v, end, ok := arrayLiteral(s, i, steps); ok {
				if w, end, ok := chain(s, end, v, steps); ok {
					if t := w.text(); t != "" {
						emit(i, end, t)
						i, prev = end-1, ']'
						continue
					}
				}
			}
		case (c == 'S' || c == 's' || c == 'n' || c == 'f') && (i == 0 || !isIdentByte(s[i-1]) && s[i-1] != '.'):
			v, end, ok := jsVal{}, 0, false
			switch c {
			case 'f':
				if acc, val, e, good := charLoop(s, i, steps); good {
					emit(i, e, acc+" += "+jsQuote(val)+";")
					i, prev = e-1, ';'
					continue
				}
			case 'n':
				v, end, ok = newURL(s, i)
			default:
				v, end, ok = fromCharCode(s, i, steps)
			}
			if ok {
				if w, e, changed := chain(s, end, v, steps); changed {
					v, end = w, e
				}
				if t := v.text(); t != "" && len(v.s) <= maxFolded {
					emit(i, end, t)
					i, prev = end-1, '"'
					continue
				}
			}
		}
		prev = c
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// valueBefore: a "[" after prev indexes a value (a name, a call, a
// literal) rather than opening an array.
func valueBefore(prev byte) bool {
	return isIdentByte(prev) || prev == ')' || prev == ']' || prev == '"' || prev == '\'' || prev == '`' || prev >= 0x80
}

// regexStarts: a "/" after prev starts a regular expression literal, not a
// division.
func regexStarts(prev byte) bool {
	return prev == 0 || strings.IndexByte("(,=:[!&|?{};+-*%<>~^", prev) >= 0
}

// regexLiteral reads the regular expression literal /body/flags at i.
func regexLiteral(s string, i int) (body string, end int, ok bool) {
	class := false
	for j := i + 1; j < len(s) && j-i < 1024; j++ {
		switch s[j] {
		case '\n', '\r':
			return "", 0, false
		case '\\':
			j++
		case '[':
			class = true
		case ']':
			class = false
		case '/':
			if class {
				continue
			}
			end = j + 1
			for end < len(s) && isIdentByte(s[end]) {
				end++
			}
			return s[i:end], end, j > i+1
		}
	}
	return "", 0, false
}

// codeString: the literal s[i:e+1] is code handed to setTimeout,
// setInterval, eval or Function, which run it: it is rewritten as that
// code (a function for timers and Function, the statements for eval),
// from start to end.
func codeString(s string, i, e int) (start int, text string, end int, ok bool) {
	b := i - 1
	for b >= 0 && isJSSpace(s[b]) {
		b--
	}
	if b < 0 || s[b] != '(' {
		return 0, "", 0, false
	}
	n := b
	for n > 0 && isJSSpace(s[n-1]) {
		n--
	}
	a := n
	for a > 0 && isIdentByte(s[a-1]) {
		a--
	}
	if a > 0 && isIdentByte(s[a-1]) {
		return 0, "", 0, false
	}
	fn := s[a:n]
	if fn != "setTimeout" && fn != "setInterval" && fn != "eval" && fn != "Function" {
		return 0, "", 0, false
	}
	r := e + 1
	for r < len(s) && isJSSpace(s[r]) {
		r++
	}
	if r >= len(s) || s[r] != ',' && s[r] != ')' {
		return 0, "", 0, false
	}
	code := strings.Map(func(r rune) rune {
		if r == 0 || r == waitsMark {
			return ' '
		}
		return r
	}, jsUnquote(s[i:e+1]))
	switch fn {
	case "eval":
		if s[r] != ')' {
			return 0, "", 0, false
		}
		return a, "\n" + code + "\n", r + 1, true
	case "Function":
		if s[r] != ')' {
			return 0, "", 0, false
		}
		if p := strings.TrimRight(s[:a], " \t\r\n"); strings.HasSuffix(p, "new") && (len(p) == 3 || !isIdentByte(p[len(p)-4])) {
			a = len(p) - 3
		}
		return a, "(function(){" + code + "\n})", r + 1, true
	}
	return i, "function(){" + code + "\n}", e + 1, true
}

// chain applies to v the methods and indexes that follow it at s[pos:]
// while they fold; changed says whether any did.
func chain(s string, pos int, v jsVal, steps *int) (jsVal, int, bool) {
	changed := false
	for n := 0; n < 64 && *steps > 0; n++ {
		j := skipJSSpace(s, pos)
		if j >= len(s) {
			break
		}
		if s[j] == '[' {
			k, end, ok := numberIndex(s, j)
			if !ok {
				break
			}
			w, ok := index(v, k)
			if !ok {
				break
			}
			v, pos, changed = w, end, true
			continue
		}
		if s[j] != '.' {
			break
		}
		j = skipJSSpace(s, j+1)
		k := j
		for k < len(s) && isIdentByte(s[k]) {
			k++
		}
		name := s[j:k]
		k = skipJSSpace(s, k)
		if name == "" || k >= len(s) || s[k] != '(' {
			break
		}
		w, end, ok := callMethod(s, k, v, name, steps)
		if !ok {
			break
		}
		v, pos, changed = w, end, true
	}
	return v, pos, changed
}

func skipJSSpace(s string, i int) int {
	for i < len(s) && isJSSpace(s[i]) {
		i++
	}
	return i
}

// numberIndex reads "[ digits ]" at i.
func numberIndex(s string, i int) (int64, int, bool) {
	j := skipJSSpace(s, i+1)
	v, k, ok := numberLiteral(s, j)
	if !ok {
		return 0, 0, false
	}
	k = skipJSSpace(s, k)
	if k >= len(s) || s[k] != ']' {
		return 0, 0, false
	}
	return v, k + 1, true
}

// numberLiteral reads a whole number (decimal or 0x) at i.
func numberLiteral(s string, i int) (int64, int, bool) {
	j := i
	if strings.HasPrefix(s[j:], "0x") || strings.HasPrefix(s[j:], "0X") {
		j += 2
		for j < len(s) && isHex(s[j]) {
			j++
		}
	} else {
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
	}
	if j == i || j < len(s) && (isIdentByte(s[j]) || s[j] == '.') || j-i > 15 {
		return 0, 0, false
	}
	v, err := strconv.ParseInt(s[i:j], 0, 64)
	return v, j, err == nil
}

// index is v[k]: a string's character or an array's element.
func index(v jsVal, k int64) (jsVal, bool) {
	switch v.kind {
	case 's':
		r := []rune(v.s)
		if k < 0 || k >= int64(len(r)) {
			return jsVal{}, false
		}
		return strVal(string(r[k])), true
	case 'a':
		if k < 0 || k >= int64(len(v.a)) {
			return jsVal{}, false
		}
		return v.a[k], true
	}
	return jsVal{}, false
}

// arrayLiteral reads an array of string and number literals (and arrays
// of them, two deep) at i.
func arrayLiteral(s string, i int, steps *int) (jsVal, int, bool) {
	return arrayAt(s, i, steps, 0)
}

func arrayAt(s string, i int, steps *int, depth int) (jsVal, int, bool) {
	v := jsVal{kind: 'a'}
	j := skipJSSpace(s, i+1)
	if j < len(s) && s[j] == ']' {
		return v, j + 1, true
	}
	for len(v.a) < maxFoldedItems {
		e, end, ok := literalAt(s, j, steps, depth)
		if !ok {
			return jsVal{}, 0, false
		}
		v.a = append(v.a, e)
		j = skipJSSpace(s, end)
		if j >= len(s) {
			return jsVal{}, 0, false
		}
		if s[j] == ']' {
			*steps -= len(v.a)
			return v, j + 1, true
		}
		if s[j] != ',' {
			return jsVal{}, 0, false
		}
		j = skipJSSpace(s, j+1)
		if j < len(s) && s[j] == ']' {
			*steps -= len(v.a)
			return v, j + 1, true
		}
	}
	return jsVal{}, 0, false
}

// literalValue reads a string, a whole number (maybe negative) or an
// array of them at i.
func literalValue(s string, i int, steps *int) (jsVal, int, bool) {
	return literalAt(s, i, steps, 0)
}

func literalAt(s string, i int, steps *int, depth int) (jsVal, int, bool) {
	if i >= len(s) {
		return jsVal{}, 0, false
	}
	switch c := s[i]; {
	case c == '"' || c == '\'':
		e := quotedEnd(s, i)
		if e >= len(s) || s[e] != c {
			return jsVal{}, 0, false
		}
		return strVal(jsUnquote(s[i : e+1])), e + 1, true
	case c == '[' && depth < 2:
		return arrayAt(s, i, steps, depth+1)
	case c == '-':
		n, end, ok := numberLiteral(s, skipJSSpace(s, i+1))
		return numVal(-n), end, ok
	case c >= '0' && c <= '9':
		n, end, ok := numberLiteral(s, i)
		return numVal(n), end, ok
	}
	return jsVal{}, 0, false
}

// callMethod applies method name, whose arguments start at the "(" at
// open, to v; the end is past the ")".
func callMethod(s string, open int, v jsVal, name string, steps *int) (jsVal, int, bool) {
	if name == "map" || name == "filter" || name == "reduce" {
		// a function of the elements (and a literal, reduce's start)
		p := &exprParser{s: s, steps: steps, free: true}
		f, end, ok := p.function(skipJSSpace(s, open+1))
		if !ok || v.kind != 'a' {
			return jsVal{}, 0, false
		}
		args := []jsVal{{kind: 'f', fn: &jsClosure{def: f, sc: nil}}}
		if end = skipJSSpace(s, end); end < len(s) && s[end] == ',' && name == "reduce" {
			a, e, ok := literalValue(s, skipJSSpace(s, end+1), steps)
			if !ok {
				return jsVal{}, 0, false
			}
			args, end = append(args, a), skipJSSpace(s, e)
		}
		if end >= len(s) || s[end] != ')' {
			return jsVal{}, 0, false
		}
		w, ok, _ := (&exprEnv{rt: newRun(steps)}).method(nil, v, name, args)
		return w, end + 1, ok
	}
	var args []jsVal
	var re *regexp.Regexp
	global := false
	j := skipJSSpace(s, open+1)
	for j < len(s) && s[j] != ')' && len(args) < 8 {
		if s[j] == '/' && len(args) == 0 && (name == "replace" || name == "replaceAll") {
			lit, end, ok := regexLiteral(s, j)
			if !ok {
				return jsVal{}, 0, false
			}
			re, global, ok = jsRegexp(lit)
			// compiling, and matching each byte against the pattern
			if *steps -= 1024 + len(v.s)*len(lit); !ok || *steps <= 0 {
				return jsVal{}, 0, false
			}
			args = append(args, jsVal{})
			j = end
		} else {
			a, end, ok := literalValue(s, j, steps)
			if !ok {
				return jsVal{}, 0, false
			}
			args = append(args, a)
			j = end
		}
		j = skipJSSpace(s, j)
		if j < len(s) && s[j] == ',' {
			j = skipJSSpace(s, j+1)
		} else if j < len(s) && s[j] != ')' {
			return jsVal{}, 0, false
		}
	}
	if j >= len(s) || s[j] != ')' {
		return jsVal{}, 0, false
	}
	end := j + 1
	*steps -= len(v.s) + len(v.a) + 1
	w, ok := applyMethod(v, name, args, re, global)
	if !ok || w.kind == 's' && len(w.s) > maxFolded || w.kind == 'a' && len(w.a) > maxFoldedItems {
		return jsVal{}, 0, false
	}
	*steps -= len(w.s) + len(w.a)
	return w, end, true
}

// applyMethod is what the string or array method name returns for args
// (re and global: a regular expression first argument).
func applyMethod(v jsVal, name string, args []jsVal, re *regexp.Regexp, global bool) (jsVal, bool) {
	nums := func(min int) ([]int64, bool) {
		if len(args) < min || len(args) > 2 {
			return nil, false
		}
		out := make([]int64, len(args))
		for i, a := range args {
			if a.kind != 'n' {
				return nil, false
			}
			out[i] = a.n
		}
		return out, true
	}
	if name == "at" { // an index counted from the end when negative
		n, ok := nums(1)
		if !ok || len(n) != 1 {
			return jsVal{}, false
		}
		k := n[0]
		if k < 0 {
			k += int64(len(v.a))
			if v.kind == 's' {
				k = n[0] + int64(utf8.RuneCountInString(v.s))
			}
		}
		return index(v, k)
	}
	if v.kind == 'a' {
		switch name {
		case "join":
			sep := ","
			if len(args) > 1 || len(args) == 1 && args[0].kind != 's' {
				return jsVal{}, false
			}
			if len(args) == 1 {
				sep = args[0].s
			}
			parts := make([]string, len(v.a))
			n := 0
			for i, e := range v.a {
				if e.kind == 'a' || !e.printable() {
					return jsVal{}, false
				}
				parts[i] = e.str()
				if n += len(parts[i]) + len(sep); n > maxFolded {
					return jsVal{}, false
				}
			}
			return strVal(strings.Join(parts, sep)), true
		case "reverse":
			if len(args) != 0 {
				return jsVal{}, false
			}
			r := slices.Clone(v.a)
			slices.Reverse(r)
			return jsVal{kind: 'a', a: r}, true
		case "slice":
			n, ok := nums(0)
			if !ok {
				return jsVal{}, false
			}
			from, to := sliceBounds(int64(len(v.a)), n)
			return jsVal{kind: 'a', a: slices.Clone(v.a[from:to])}, true
		case "concat":
			out := slices.Clone(v.a)
			for _, a := range args {
				if a.kind == 'a' {
					out = append(out, a.a...)
				} else {
					out = append(out, a)
				}
				if len(out) > maxFoldedItems {
					return jsVal{}, false
				}
			}
			return jsVal{kind: 'a', a: out}, true
		}
		return jsVal{}, false
	}
	if v.kind != 's' {
		return jsVal{}, false
	}
	switch name {
	case "toLowerCase", "toUpperCase", "trim", "trimStart", "trimEnd", "toString", "valueOf":
		if len(args) != 0 {
			return jsVal{}, false
		}
		switch name {
		case "toLowerCase":
			return strVal(strings.ToLower(v.s)), true
		case "toUpperCase":
			return strVal(strings.ToUpper(v.s)), true
		case "trim":
			return strVal(strings.TrimSpace(v.s)), true
		case "trimStart":
			return strVal(strings.TrimLeft(v.s, " \t\r\n\f\v")), true
		case "trimEnd":
			return strVal(strings.TrimRight(v.s, " \t\r\n\f\v")), true
		}
		return v, true
	case "concat":
		var sb strings.Builder
		sb.WriteString(v.s)
		for _, a := range args {
			sb.WriteString(a.str())
		}
		return strVal(sb.String()), true
	case "charAt":
		n, ok := nums(1)
		if !ok || len(n) != 1 {
			return jsVal{}, false
		}
		if c, ok := index(v, n[0]); ok {
			return c, true
		}
		return strVal(""), true
	case "slice", "substring", "substr":
		n, ok := nums(0)
		if !ok {
			return jsVal{}, false
		}
		r := []rune(v.s)
		l := int64(len(r))
		var from, to int64
		switch name {
		case "slice":
			from, to = sliceBounds(l, n)
		case "substring":
			from, to = 0, l
			if len(n) > 0 {
				from = min(max(n[0], 0), l)
			}
			if len(n) > 1 {
				to = min(max(n[1], 0), l)
			}
			if from > to {
				from, to = to, from
			}
		default: // substr(start, length)
			from, to = sliceBounds(l, n[:min(len(n), 1)])
			if len(n) > 1 {
				to = min(from+max(n[1], 0), l)
			}
		}
		return strVal(string(r[from:to])), true
	case "split":
		if len(args) == 0 {
			return jsVal{kind: 'a', a: []jsVal{v}}, true
		}
		if args[0].kind != 's' || len(args) > 2 || len(args) == 2 && args[1].kind != 'n' {
			return jsVal{}, false
		}
		var parts []string
		if args[0].s == "" {
			for _, r := range v.s {
				parts = append(parts, string(r))
			}
		} else {
			parts = strings.Split(v.s, args[0].s)
		}
		if len(args) == 2 && args[1].n >= 0 && args[1].n < int64(len(parts)) {
			parts = parts[:args[1].n]
		}
		if len(parts) > maxFoldedItems {
			return jsVal{}, false
		}
		w := jsVal{kind: 'a', a: make([]jsVal, len(parts))}
		for i, p := range parts {
			w.a[i] = strVal(p)
		}
		return w, true
	case "replace", "replaceAll":
		if len(args) != 2 || args[1].kind != 's' {
			return jsVal{}, false
		}
		if re != nil {
			if name == "replaceAll" && !global {
				return jsVal{}, false // a TypeError in the browser
			}
			n := 1
			if global {
				n = -1
			}
			r, ok := replaceMatches(v.s, re.FindAllStringSubmatchIndex(v.s, n), args[1].s)
			return strVal(r), ok
		}
		if args[0].kind != 's' {
			return jsVal{}, false
		}
		pat := args[0].s
		var locs [][]int
		for from := 0; from <= len(v.s); {
			k := strings.Index(v.s[from:], pat)
			if k < 0 {
				break
			}
			locs = append(locs, []int{from + k, from + k + len(pat)})
			if name == "replace" {
				break
			}
			if pat == "" { // between every character
				_, n := utf8.DecodeRuneInString(v.s[from+k:])
				from += k + max(n, 1)
			} else {
				from += k + len(pat)
			}
		}
		r, ok := replaceMatches(v.s, locs, args[1].s)
		return strVal(r), ok
	}
	return jsVal{}, false
}

// sliceBounds are the bounds slice(n...) takes of a length l: negative
// counts from the end.
func sliceBounds(l int64, n []int64) (int64, int64) {
	at := func(x int64) int64 {
		if x < 0 {
			return max(l+x, 0)
		}
		return min(x, l)
	}
	from, to := int64(0), l
	if len(n) > 0 {
		from = at(n[0])
	}
	if len(n) > 1 {
		to = at(n[1])
	}
	return from, max(from, to)
}

// replaceMatches replaces the matches locs (submatch indexes) in s by
// repl, with JavaScript's $ patterns ($$, $&, $`, $', $1...) expanded;
// false when the result would pass maxFolded.
func replaceMatches(s string, locs [][]int, repl string) (string, bool) {
	var sb strings.Builder
	last := 0
	for _, m := range locs {
		sb.WriteString(s[last:m[0]])
		for i := 0; i < len(repl); i++ {
			c := repl[i]
			if c != '$' || i+1 >= len(repl) {
				sb.WriteByte(c)
				continue
			}
			switch d := repl[i+1]; {
			case d == '$':
				sb.WriteByte('$')
			case d == '&':
				sb.WriteString(s[m[0]:m[1]])
			case d == '`':
				sb.WriteString(s[:m[0]])
			case d == '\'':
				sb.WriteString(s[m[1]:])
			case d >= '1' && d <= '9' && int(d-'0') < len(m)/2:
				if g := int(d - '0'); m[2*g] >= 0 {
					sb.WriteString(s[m[2*g]:m[2*g+1]])
				}
			default:
				sb.WriteByte(c)
				continue
			}
			i++
			if sb.Len() > maxFolded {
				return "", false
			}
		}
		if sb.Len() > maxFolded {
			return "", false
		}
		last = m[1]
	}
	sb.WriteString(s[last:])
	return sb.String(), sb.Len() <= maxFolded
}

// literalBraces escapes the braces of body that are not a counted
// repetition ({ and } as JavaScript reads them outside a{2,3}); false when
// body holds a counted repetition.
func literalBraces(body string) (string, bool) {
	if !strings.ContainsAny(body, "{}") {
		return body, true
	}
	var sb strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch c {
		case '\\':
			sb.WriteByte(c)
			if i+1 < len(body) {
				i++
				sb.WriteByte(body[i])
			}
			continue
		case '{':
			j := i + 1
			for j < len(body) && (body[j] >= '0' && body[j] <= '9' || body[j] == ',') {
				j++
			}
			if j > i+1 && j < len(body) && body[j] == '}' {
				return "", false
			}
			sb.WriteString(`\{`)
			continue
		case '}':
			sb.WriteString(`\}`)
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String(), true
}

// maxRegexp bounds the pattern of a regular expression folding applies.
const maxRegexp = 64

// jsRegexp compiles the regular expression literal lit (/body/flags) as
// Go reads the same pattern; false for flags or syntax Go would read
// otherwise (lookaround and back references do not compile).
func jsRegexp(lit string) (*regexp.Regexp, bool, bool) {
	k := strings.LastIndexByte(lit, '/')
	body, flags := lit[1:k], lit[k+1:]
	// Short, and no counted repetition, so that the program and the
	// cost of a match stay in proportion to the text matched.
	body, ok := literalBraces(body)
	if !ok || len(body) > 2*maxRegexp || strings.Contains(body, `\u`) || strings.Contains(body, `\c`) || strings.Contains(body, "(?<") {
		return nil, false, false
	}
	global, mode := false, ""
	for _, f := range flags {
		switch f {
		case 'g':
			global = true
		case 'i', 'm', 's':
			mode += string(f)
		default:
			return nil, false, false
		}
	}
	if mode != "" {
		body = "(?" + mode + ")" + body
	}
	re, err := regexp.Compile(body)
	return re, global, err == nil
}

// newURL reads new URL(literal) or new URL(path, base), maybe with .href
// or .toString() after it: the address it makes.
func newURL(s string, i int) (jsVal, int, bool) {
	if !strings.HasPrefix(s[i:], "new") {
		return jsVal{}, 0, false
	}
	j := skipJSSpace(s, i+3)
	if j == i+3 || !strings.HasPrefix(s[j:], "URL") {
		return jsVal{}, 0, false
	}
	j = skipJSSpace(s, j+3)
	if j >= len(s) || s[j] != '(' {
		return jsVal{}, 0, false
	}
	var args []string
	j = skipJSSpace(s, j+1)
	for len(args) < 2 && j < len(s) && (s[j] == '"' || s[j] == '\'') {
		e := quotedEnd(s, j)
		if e >= len(s) || s[e] != s[j] {
			return jsVal{}, 0, false
		}
		args = append(args, jsUnquote(s[j:e+1]))
		j = skipJSSpace(s, e+1)
		if j < len(s) && s[j] == ',' {
			j = skipJSSpace(s, j+1)
		}
	}
	if len(args) == 0 || j >= len(s) || s[j] != ')' {
		return jsVal{}, 0, false
	}
	ref, err := url.Parse(strings.TrimSpace(args[0]))
	if err != nil {
		return jsVal{}, 0, false
	}
	if len(args) == 2 {
		base, err := url.Parse(strings.TrimSpace(args[1]))
		if err != nil || !base.IsAbs() {
			return jsVal{}, 0, false
		}
		ref = base.ResolveReference(ref)
	}
	if !ref.IsAbs() {
		return jsVal{}, 0, false
	}
	end := j + 1
	k := skipJSSpace(s, end)
	if k < len(s) && s[k] == '.' {
		r := s[skipJSSpace(s, k+1):]
		switch {
		case strings.HasPrefix(r, "href") && (len(r) == 4 || !isIdentByte(r[4])):
			end = len(s) - len(r) + 4
		case strings.HasPrefix(r, "toString()"):
			end = len(s) - len(r) + 10
		}
	}
	return strVal(ref.String()), end, true
}

// fromCharCode reads String.fromCharCode(e, ...) whose arguments are
// constant expressions or spread arrays, or String.fromCharCode.apply(x,
// array): the string it makes.
func fromCharCode(s string, i int, steps *int) (jsVal, int, bool) {
	const name = "String"
	if len(s)-i < len(name) || !strings.EqualFold(s[i:i+len(name)], name) {
		return jsVal{}, 0, false
	}
	j := skipJSSpace(s, i+len(name))
	if j >= len(s) || s[j] != '.' {
		return jsVal{}, 0, false
	}
	j = skipJSSpace(s, j+1)
	if len(s)-j < 12 || !strings.EqualFold(s[j:j+12], "fromCharCode") {
		return jsVal{}, 0, false
	}
	j = skipJSSpace(s, j+12)
	var codes []jsVal
	switch {
	case strings.HasPrefix(s[j:], ".apply"):
		j = skipJSSpace(s, j+6)
		if j >= len(s) || s[j] != '(' {
			return jsVal{}, 0, false
		}
		k := strings.IndexByte(s[j:min(len(s), j+40)], ',')
		if k < 0 {
			return jsVal{}, 0, false
		}
		a, end, ok := arrayLiteral(s, skipJSSpace(s, j+k+1), steps)
		if !ok {
			return jsVal{}, 0, false
		}
		j = skipJSSpace(s, end)
		if j >= len(s) || s[j] != ')' {
			return jsVal{}, 0, false
		}
		codes, j = a.a, j+1
	case j < len(s) && s[j] == '(':
		j = skipJSSpace(s, j+1)
		for j < len(s) && s[j] != ')' {
			if strings.HasPrefix(s[j:], "...") {
				a, end, ok := arrayLiteral(s, skipJSSpace(s, j+3), steps)
				if !ok {
					return jsVal{}, 0, false
				}
				codes, j = append(codes, a.a...), end
			} else {
				e, end, ok := parseExpr(s, j, nil, steps)
				if !ok {
					return jsVal{}, 0, false
				}
				v, ok := e.eval(&exprEnv{rt: newRun(steps)})
				if !ok {
					return jsVal{}, 0, false
				}
				codes, j = append(codes, v), end
			}
			j = skipJSSpace(s, j)
			if j < len(s) && s[j] == ',' {
				j = skipJSSpace(s, j+1)
			} else if j >= len(s) || s[j] != ')' {
				return jsVal{}, 0, false
			}
			if len(codes) > maxFolded {
				return jsVal{}, 0, false
			}
		}
		if j >= len(s) {
			return jsVal{}, 0, false
		}
		j++
	default:
		return jsVal{}, 0, false
	}
	v, ok := charsOf(codes)
	*steps -= len(codes)
	return v, j, ok
}

// charsOf is String.fromCharCode of the numbers codes.
func charsOf(codes []jsVal) (jsVal, bool) {
	var sb strings.Builder
	for _, c := range codes {
		if c.kind != 'n' {
			return jsVal{}, false
		}
		sb.WriteRune(rune(uint16(c.n)))
	}
	return strVal(sb.String()), utf8.ValidString(sb.String())
}

// charLoop reads a loop that appends a string an iteration at i:
//
//	for (var i = 0; i < N; i++) { s += e; }     (or s = s + e; <=, or
//	for (var i = N - 1; i >= 0; i--)            counted down)
//	for (const c of [...]) s += e;
//
// with N and e constant expressions of i or c; it returns the name
// appended to, what the loop appends in all, and the end of the loop.
func charLoop(s string, i int, steps *int) (acc, val string, end int, ok bool) {
	if !strings.HasPrefix(s[i:], "for") {
		return "", "", 0, false
	}
	j := skipJSSpace(s, i+3)
	if j >= len(s) || s[j] != '(' {
		return "", "", 0, false
	}
	j = skipJSSpace(s, j+1)
	for _, kw := range []string{"var", "let", "const"} {
		if strings.HasPrefix(s[j:], kw) && j+len(kw) < len(s) && isJSSpace(s[j+len(kw)]) {
			j = skipJSSpace(s, j+len(kw))
			break
		}
	}
	name, j := identAt(s, j)
	if name == "" {
		return "", "", 0, false
	}
	j = skipJSSpace(s, j)
	// The loop's name takes the elements of iter, or the numbers from
	// from to limit.
	var iter []jsVal
	var from, limit int64
	down := false // counted down, from from to above limit
	switch {
	case strings.HasPrefix(s[j:], "of") && j+2 < len(s) && !isIdentByte(s[j+2]):
		a, e, ok := arrayLiteral(s, skipJSSpace(s, j+2), steps)
		if !ok {
			return "", "", 0, false
		}
		iter, j = a.a, skipJSSpace(s, e)
	case j < len(s) && s[j] == '=':
		// name = constant; name < <= > >= constant; name counted by one
		constant := func(i int) (int64, int, bool) {
			e, end, ok := parseExpr(s, i, nil, steps)
			if !ok {
				return 0, 0, false
			}
			v, ok := e.eval(&exprEnv{rt: newRun(steps)})
			return v.n, skipJSSpace(s, end), ok && v.kind == 'n'
		}
		var e int
		var ok bool
		if from, e, ok = constant(j + 1); !ok || e >= len(s) || s[e] != ';' {
			return "", "", 0, false
		}
		n2, j2 := identAt(s, skipJSSpace(s, e+1))
		j = skipJSSpace(s, j2)
		if n2 != name || j >= len(s) || s[j] != '<' && s[j] != '>' {
			return "", "", 0, false
		}
		up, incl := s[j] == '<', j+1 < len(s) && s[j+1] == '='
		if incl {
			j++
		}
		var to int64
		if to, e, ok = constant(j + 1); !ok || e >= len(s) || s[e] != ';' {
			return "", "", 0, false
		}
		j = skipJSSpace(s, e+1)
		counts := []string{name + "++", "++" + name, name + "+=1", name + "=" + name + "+1"}
		if !up {
			counts = []string{name + "--", "--" + name, name + "-=1", name + "=" + name + "-1"}
		}
		inc := ""
		for _, f := range counts {
			if k := compactPrefix(s[j:min(len(s), j+64)], f); k > 0 {
				inc, j = f, j+k
				break
			}
		}
		// the numbers the name takes, from from towards to, counted
		switch {
		case up && incl:
			limit = to + 1
		case up:
			limit = to
		case incl:
			limit = to - 1
		default:
			limit = to
		}
		if inc == "" || up && limit-from > maxFolded || !up && from-limit > maxFolded {
			return "", "", 0, false
		}
		down = !up
		j = skipJSSpace(s, j)
	default:
		return "", "", 0, false
	}
	if j >= len(s) || s[j] != ')' {
		return "", "", 0, false
	}
	j = skipJSSpace(s, j+1)
	braced := j < len(s) && s[j] == '{'
	if braced {
		j = skipJSSpace(s, j+1)
	}
	acc, j = identAt(s, j)
	j = skipJSSpace(s, j)
	switch {
	case acc == "" || acc == name:
		return "", "", 0, false
	case strings.HasPrefix(s[j:], "+="):
		j += 2
	case j < len(s) && s[j] == '=':
		a2, k := identAt(s, skipJSSpace(s, j+1))
		k = skipJSSpace(s, k)
		if a2 != acc || k >= len(s) || s[k] != '+' {
			return "", "", 0, false
		}
		j = k + 1
	default:
		return "", "", 0, false
	}
	body, e, ok := parseExpr(s, j, []string{name}, steps)
	if !ok {
		return "", "", 0, false
	}
	j = skipJSSpace(s, e)
	if j < len(s) && s[j] == ';' {
		j = skipJSSpace(s, j+1)
	}
	if braced {
		if j >= len(s) || s[j] != '}' {
			return "", "", 0, false
		}
		j++
	}
	var sb strings.Builder
	env := &exprEnv{names: []string{name}, vals: make([]jsVal, 1), rt: newRun(steps)}
	n, dir := limit-from, int64(1)
	if down {
		n, dir = from-limit, -1
	}
	if iter != nil {
		from, n = 0, int64(len(iter))
	}
	for k := int64(0); k < n; k++ {
		if *steps <= 0 { // eval spends a step a node
			return "", "", 0, false
		}
		if iter != nil {
			env.vals[0] = iter[k]
		} else {
			env.vals[0] = numVal(from + dir*k)
		}
		r, ok := body.eval(env)
		if !ok || r.kind != 's' {
			return "", "", 0, false
		}
		if sb.WriteString(r.s); sb.Len() > maxFolded {
			return "", "", 0, false
		}
	}
	return acc, sb.String(), j, true
}

// identAt is the name at i and its end ("" when none starts there).
func identAt(s string, i int) (string, int) {
	j := i
	for j < len(s) && isIdentByte(s[j]) {
		j++
	}
	if j == i || s[i] >= '0' && s[i] <= '9' {
		return "", i
	}
	return s[i:j], j
}

// compactPrefix: s starts with want once spaces are dropped; the length
// of s it takes, or 0.
func compactPrefix(s, want string) int {
	k := 0
	for i := 0; i < len(s); i++ {
		if isJSSpace(s[i]) {
			continue
		}
		if s[i] != want[k] {
			return 0
		}
		if k++; k == len(want) {
			return i + 1
		}
	}
	return 0
}
