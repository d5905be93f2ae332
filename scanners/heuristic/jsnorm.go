package heuristic

import (
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A light JavaScript normaliser for the HTML smuggling and protocol checks.
// It never runs the script: it rewrites the text the way obfuscators build
// it, so that "at"+"ob", window['Bl'+'ob'], String.fromCharCode(66,108,...),
// ['QUJD','REVG'].join('') and base64 split over variables read as what
// they spell. Each pass is linear and the number of passes is fixed.

// maxJS bounds the script text normalised per part.
const maxJS = 1 << 20

// jsLitRE is a single- or double-quoted string literal (escapes allowed,
// no line break), as a regular expression.
const jsLitRE = `"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'`

var (
	// jsLitConcat is two string literals joined by +.
	jsLitConcat = regexp.MustCompile(`(` + jsLitRE + `)\s*\+\s*(` + jsLitRE + `)`)
	jsBracket   = regexp.MustCompile(`\[\s*("[A-Za-z_$][\w$]{0,64}"|'[A-Za-z_$][\w$]{0,64}')\s*\]`)
	// jsAssign is `var|let|const name = literal`, `name = literal`, or one
	// more name of a declaration list (`var a = "x", b = "y"`); the value
	// may also be a whole number or an array of literals (joined or
	// indexed where the name is used).
	jsAssign = regexp.MustCompile(`(?:\b(?:var|let|const)\s+|[;{}\n,]\s*)([A-Za-z_$][\w$]{0,64})\s*=\s*(` + jsLitRE + `|` + jsNumRE + `|` + jsLitArray + `)\s*[;,\n})]`)
	// jsAppend is `name += literal`.
	jsAppend = regexp.MustCompile(`(?:^|[;{}\n,])\s*([A-Za-z_$][\w$]{0,64})\s*\+=\s*(` + jsLitRE + `)\s*[;,\n})]`)
	// jsAliasIdent is `var name = window.atob;` / `= Blob;` style aliases of a global.
	jsAliasIdent = regexp.MustCompile(`\b(?:var|let|const)\s+([A-Za-z_$][\w$]{0,64})\s*=\s*(?:(?:window|self|globalThis|this|top|parent|document)\s*\.\s*)?(atob|Blob|URL|Uint8Array|fromCharCode|createObjectURL|msSaveOrOpenBlob|location)\s*;`)
	jsIdent      = regexp.MustCompile(`[A-Za-z_$][\w$]{0,64}`)
)

// jsNumRE is a whole number literal, as a regular expression.
const jsNumRE = `-?(?:0[xX][0-9a-fA-F]{1,8}|\d{1,15})`

// jsLitArray is an array of string and number literals, as a regular
// expression.
const jsLitArray = `\[\s*(?:(?:` + jsLitRE + `|` + jsNumRE + `)\s*,\s*)*(?:` + jsLitRE + `|` + jsNumRE + `)\s*,?\s*\]`

// maxFolded bounds one string that folding builds (joined pieces, a
// variable's appends): longer values are left as the script wrote them.
const maxFolded = 64 << 10

// NormalizeJS rewrites obfuscated string building in s.
func NormalizeJS(s string) string {
	if len(s) > maxJS {
		s = strings.ToValidUTF8(s[:maxJS], "")
	}
	s = unpackStringArrays(s)
	steps, runSteps := maxFoldSteps, maxRunSteps
	for pass := 0; pass < maxNormalizePasses; pass++ {
		if len(s) > 2*maxJS {
			s = strings.ToValidUTF8(s[:2*maxJS], "")
		}
		before := s
		rt := scriptRun(s, &runSteps)
		s = foldTemplates(s, rt)
		s = foldValues(s, &steps)
		s = joinLiterals(s)
		if strings.IndexByte(s, '[') >= 0 {
			s = jsBracket.ReplaceAllStringFunc(s, func(m string) string {
				n := jsBracket.FindStringSubmatch(m)[1]
				return "." + n[1:len(n)-1]
			})
		}
		if pass == 0 {
			s = inlineProxies(s) // the properties are set in the code as written
		}
		s = resolveAliases(s, rt)
		s = foldStatements(s, rt)
		if s == before {
			break // a pass more would find nothing either
		}
	}
	return s
}

// maxNormalizePasses bounds the passes of NormalizeJS: each pass folds
// what the one before put in place (a variable's value, then the method
// called on it, then the loop reading it).
const maxNormalizePasses = 5

// replaceFolded replaces each match of re in s by the literal fold makes
// of its groups; a value longer than maxFolded is left as written.
func replaceFolded(re *regexp.Regexp, s string, fold func(g []string) string) string {
	return re.ReplaceAllStringFunc(s, func(m string) string {
		v := fold(re.FindStringSubmatch(m))
		if len(v) > maxFolded {
			return m
		}
		return jsQuote(v)
	})
}

// joinLiterals merges "a" + 'b' into "ab", repeatedly, decoding escapes,
// and drops the parentheses around a lone literal that are not a call's,
// so that ("a" + "b") + "c" joins too.
func joinLiterals(s string) string {
	s = unwrapParenLits(s)
	if !quoteAround(s, '+', true) {
		return s
	}
	for i := 0; i < 16 && jsLitConcat.MatchString(s); i++ {
		s = replaceFolded(jsLitConcat, s, func(g []string) string { return jsUnquote(g[1]) + jsUnquote(g[2]) })
		s = unwrapParenLits(s)
	}
	return s
}

// unwrapParenLits drops the parentheses around a lone literal, `("ab")`,
// where they are not a call's (the text before them does not end with a
// name, ")" or "]").
func unwrapParenLits(s string) string {
	var sb strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		k := strings.IndexByte(s[i:], '(')
		if k < 0 {
			break
		}
		i += k
		j := i + 1
		for j < len(s) && isJSSpace(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != '"' && s[j] != '\'' {
			continue
		}
		e := quotedEnd(s, j)
		if e >= len(s) || s[e] != s[j] {
			continue
		}
		r := e + 1
		for r < len(s) && isJSSpace(s[r]) {
			r++
		}
		if r >= len(s) || s[r] != ')' {
			continue
		}
		b := i - 1
		for b >= 0 && isJSSpace(s[b]) {
			b--
		}
		if b >= 0 && (isIdentByte(s[b]) || s[b] == ')' || s[b] == ']' || s[b] >= 0x80) {
			i = e
			continue
		}
		sb.WriteString(s[last:i])
		sb.WriteString(s[j : e+1])
		last = r + 1
		i = r
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// jsQuote is v as a double-quoted JavaScript literal that jsUnquote reads
// back: only the backslash, the quote and line breaks escaped.
func jsQuote(v string) string {
	var sb strings.Builder
	sb.Grow(len(v) + 2)
	sb.WriteByte('"')
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\', '"':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// foldTemplates rewrites each template literal whose substitutions are all
// string literals (`https://${"a.example"}/p`, or none) as the one
// double-quoted literal it is; a template with code inside stays. Quoted
// literals and comments are passed over, so a backquote inside them
// starts nothing.
func foldTemplates(s string, rt *jsRun) string {
	if strings.IndexByte(s, '`') < 0 {
		return s
	}
	var sb strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\'':
			i = quotedEnd(s, i)
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			if k := strings.Index(s[i+2:], "*/"); k >= 0 {
				i += k + 3
			} else {
				i = len(s)
			}
		case c == '`':
			j := i + 1
			for j < len(s) && s[j] != '`' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				i = len(s)
				break
			}
			at := i
			v, ok := templateValue(s[i+1:j], rt)
			if p := strings.TrimRight(s[last:i], " \t\r\n"); strings.HasSuffix(p, "String.raw") && (len(p) == 10 || !isIdentByte(p[len(p)-11]) && p[len(p)-11] != '.') {
				// String.raw`...`: the text as written, escapes and all
				at = last + len(p) - 10
				v, ok = strings.ReplaceAll(s[i+1:j], "\r\n", "\n"), !strings.Contains(s[i+1:j], "${")
			}
			if ok && len(v) <= maxFolded {
				if sb.Len() == 0 {
					sb.Grow(len(s))
				}
				sb.WriteString(s[last:at])
				sb.WriteString(jsQuote(v))
				last = j + 1
			}
			i = j
		}
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// quotedEnd is the index of the quote that ends the literal starting at
// i, or of the line break or end of text that cuts it short.
func quotedEnd(s string, i int) int {
	q := s[i]
	j := i + 1
	for j < len(s) && s[j] != q && s[j] != '\n' {
		if s[j] == '\\' {
			j++
		}
		j++
	}
	return min(j, len(s))
}

// skipInert is where code goes on after the string literal, template
// literal or comment that starts at s[i]; i when none starts there.
func skipInert(s string, i int) int {
	switch {
	case s[i] == '"' || s[i] == '\'':
		return quotedEnd(s, i) + 1
	case s[i] == '`':
		if k := strings.IndexByte(s[i+1:], '`'); k >= 0 {
			return i + k + 2
		}
		return len(s)
	case strings.HasPrefix(s[i:], "//"):
		if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
			return i + k
		}
		return len(s)
	case strings.HasPrefix(s[i:], "/*"):
		if k := strings.Index(s[i+2:], "*/"); k >= 0 {
			return i + k + 4
		}
		return len(s)
	}
	return i
}

// templateValue is the string a template literal's body makes when each
// ${...} holds an expression of literals (a quoted one, or one that folds:
// ${["a", "b"].join("-")}, ${4400 + 71}); false when one holds anything
// else.
func templateValue(body string, rt *jsRun) (string, bool) {
	var sb strings.Builder
	for {
		k := strings.Index(body, "${")
		if k < 0 {
			sb.WriteString(jsUnquote("`" + body + "`"))
			return sb.String(), true
		}
		sb.WriteString(jsUnquote("`" + body[:k] + "`"))
		rest := strings.TrimLeft(body[k+2:], " \t\r\n")
		e, end, ok := parseExpr(rest, 0, nil, rt.steps)
		if !ok {
			return "", false
		}
		after := strings.TrimLeft(rest[end:], " \t\r\n")
		if after == "" || after[0] != '}' {
			return "", false
		}
		v, ok := e.eval(&exprEnv{rt: rt})
		if !ok || !v.printable() || sb.Len()+len(v.str()) > maxFolded {
			return "", false
		}
		sb.WriteString(v.str())
		body = after[1:]
	}
}

// resolveAliases puts literal values in place of the variables that hold
// them, and global names in place of their aliases, outside assignments
// and outside string literals. A variable holds a literal when the script
// gives it one non-empty literal value (an empty initialiser, `var u = "";`,
// aside), then maybe appends literals to it (`u += "..."`, joined in
// order); one given two values is not a constant.
func resolveAliases(s string, rt *jsRun) string {
	lits := map[string]string{}
	var objs map[string]map[string]string
	if assignsValue(s) {
		litAssigns := map[string]int{}
		eachAssign(jsAssign, s, func(name, lit string) {
			litAssigns[name]++
			old, dup := lits[name]
			switch {
			case !dup || old == `""` || old == "''":
				lits[name] = lit
			case lit == `""` || lit == "''" || old == lit:
			default:
				lits[name] = "" // two values: not a constant
			}
		})
		if strings.Contains(s, "= {") || strings.Contains(s, "={") {
			objs = objectConsts(s)
			for name := range objs {
				litAssigns[name]++
			}
		}
		appended := map[string]string{}
		appends := map[string]int{} // name += literal
		appendTo := func(name, lit string) {
			if v := appended[name]; len(v) < maxFolded {
				appended[name] = v + jsUnquote(lit)
			}
		}
		if strings.Contains(s, "+=") {
			eachAssign(jsAppend, s, func(name, lit string) {
				appends[name]++
				appendTo(name, lit)
			})
		}
		// A name also given a value that is not a literal (u = atob(x),
		// u = f()) holds no constant, whatever its literals; u = u + "..."
		// appends.
		if len(litAssigns) > 0 {
			eachNameAssign(s, func(name string, rhs int) {
				n, ok := litAssigns[name]
				if !ok {
					return
				}
				if lit := selfAppended(s, rhs, name); lit != "" {
					appendTo(name, lit)
					return
				}
				if n--; n < 0 {
					lits[name] = ""
					delete(objs, name)
				}
				litAssigns[name] = n
			})
			// Nor is one changed in place: a number counted up, an
			// element or property set, an array pushed or sorted, or
			// something appended that is not a literal.
			plus := map[string]int{}
			eachMutation(s, func(name string, isPlus bool) {
				if _, ok := litAssigns[name]; !ok {
					return
				}
				if isPlus {
					plus[name]++
					return
				}
				lits[name] = ""
				delete(objs, name)
			})
			for name, n := range plus {
				if l := lits[name]; l != "" && (!isQuote(l[0]) || n > appends[name]) {
					lits[name] = ""
				}
				delete(objs, name)
			}
		}
		for name, a := range appended {
			if l := lits[name]; l != "" && isQuote(l[0]) {
				if v := jsUnquote(l) + a; len(v) <= maxFolded {
					lits[name] = jsQuote(v)
				} else {
					lits[name] = ""
				}
			}
		}
	}
	globals := map[string]string{}
	for _, m := range jsAliasIdent.FindAllStringSubmatch(s, 200) {
		globals[m[1]] = m[2]
	}
	var funcs map[string]jsMacro
	if strings.Contains(s, "return") || strings.Contains(s, "=>") {
		funcs = macros(s)
	}
	if len(lits) == 0 && len(globals) == 0 && len(objs) == 0 && len(funcs) == 0 && len(rt.funcs) == 0 {
		return s
	}
	var sb strings.Builder
	last, expanded := 0, 0
	for _, loc := range freeNames(s) {
		name := s[loc[0]:loc[1]]
		if isAssignTarget(s, loc[1]) || selfAppend(s, loc[0], name) {
			continue
		}
		if f, ok := funcs[name]; ok && expanded < maxAssigns {
			// a call with literal arguments: the function's expression
			// with them in place of its parameters
			if v, end, ok := f.expand(s, loc[1]); ok && sb.Len()+len(v) <= 2*maxJS {
				expanded++
				sb.WriteString(s[last:loc[0]])
				sb.WriteString(v)
				last = end
			}
			continue
		}
		if f := rt.funcs[name]; f != nil && expanded < maxAssigns && !strings.HasSuffix(strings.TrimRight(s[:loc[0]], " \t\r\n"), "function") {
			// a call with literal arguments of a function of statements:
			// the literal it returns
			if v, end, ok := rt.callValue(f, s, loc[1]); ok && sb.Len()+len(v) <= 2*maxJS {
				expanded++
				sb.WriteString(s[last:loc[0]])
				sb.WriteString(v)
				last = end
			}
			continue
		}
		v, ok := globals[name]
		if !ok {
			if l := lits[name]; l != "" {
				v, ok = l, true
			}
		}
		if props := objs[name]; props != nil && !ok {
			// obj.key, for a key the object literal gives a literal value
			// (obj.a.b for a nested object's key: the longest path that
			// has a literal)
			path, lit, litEnd := "", "", 0
			for j, n := skipJSSpace(s, loc[1]), 0; j < len(s) && s[j] == '.' && n < maxObjectDepth; n++ {
				key, end := identAt(s, skipJSSpace(s, j+1))
				if key == "" {
					break
				}
				if path += key; props[path] != "" {
					lit, litEnd = props[path], end
				}
				path += "."
				j = skipJSSpace(s, end)
			}
			if lit != "" && !isAssignTarget(s, litEnd) && sb.Len()+len(lit) <= 2*maxJS {
				sb.WriteString(s[last:loc[0]])
				sb.WriteString(lit)
				last = litEnd
			}
			continue
		}
		if !ok || sb.Len()+len(v) > 2*maxJS { // substitution must not blow the text up
			continue
		}
		sb.WriteString(s[last:loc[0]])
		sb.WriteString(v)
		last = loc[1]
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// freeNames are the places of s's names that stand as names: not words of
// a quoted literal (text), not part of a longer name, not a property after
// a dot (a spread's "..." is none).
func freeNames(s string) [][]int {
	locs := jsIdent.FindAllStringIndex(s, -1)
	free, litEnd := locs[:0], 0
	for _, loc := range locs {
		for litEnd <= loc[0] {
			k := nextQuote(s, litEnd, loc[0])
			if k < 0 {
				litEnd = loc[0]
				break
			}
			litEnd = quotedEnd(s, k) + 1
		}
		if loc[0] < litEnd {
			continue
		}
		if loc[0] > 0 && (isIdentByte(s[loc[0]-1]) || s[loc[0]-1] == '.' && !strings.HasSuffix(s[:loc[0]], "...")) {
			continue
		}
		free = append(free, loc)
	}
	return free
}

// selfAppend: the name at i is the first term of `name = name + ...`,
// which stays a name (its value is the appended whole).
func selfAppend(s string, i int, name string) bool {
	j := i - 1
	for j >= 0 && isJSSpace(s[j]) {
		j--
	}
	if j < 1 || s[j] != '=' || strings.ContainsRune("=!<>+-*/%&|^", rune(s[j-1])) {
		return false
	}
	j--
	for j >= 0 && isJSSpace(s[j]) {
		j--
	}
	return j+1 >= len(name) && s[j+1-len(name):j+1] == name && (j+1-len(name) == 0 || !isIdentByte(s[j-len(name)]) && s[j-len(name)] != '.')
}

// eachNameAssign calls f with the name and the index after "=" of each
// assignment to a plain name in s (not ==, =>, +=, <=, a property, or
// anything inside a literal or comment), at most 4*maxAssigns times.
func eachNameAssign(s string, f func(name string, rhs int)) {
	calls := 0
	for i := 0; i < len(s) && calls < 4*maxAssigns; i++ {
		switch c := s[i]; {
		case c == '"' || c == '\'':
			i = quotedEnd(s, i)
		case c == '`':
			if k := strings.IndexByte(s[i+1:], '`'); k >= 0 {
				i += k + 1
			} else {
				return
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
				i += k
			} else {
				return
			}
		case c == '=':
			if i+1 < len(s) && (s[i+1] == '=' || s[i+1] == '>') {
				for i+1 < len(s) && s[i+1] == '=' {
					i++
				}
				continue
			}
			if i > 0 && strings.IndexByte("=!<>+-*/%&|^?:", s[i-1]) >= 0 {
				continue
			}
			end := i
			for end > 0 && isJSSpace(s[end-1]) {
				end--
			}
			start := end
			for start > 0 && isIdentByte(s[start-1]) {
				start--
			}
			if start == end || s[start] >= '0' && s[start] <= '9' || start > 0 && s[start-1] == '.' {
				continue
			}
			calls++
			f(s[start:end], i+1)
		}
	}
}

// selfAppended is the literal of `name = name + "literal"` when the
// right-hand side at rhs is that, else "".
func selfAppended(s string, rhs int, name string) string {
	r := strings.TrimLeft(s[rhs:min(len(s), rhs+len(name)+maxFolded)], " \t\r\n\f\v")
	if !strings.HasPrefix(r, name) || len(r) > len(name) && isIdentByte(r[len(name)]) {
		return ""
	}
	r = strings.TrimLeft(r[len(name):], " \t\r\n\f\v")
	if r == "" || r[0] != '+' {
		return ""
	}
	r = strings.TrimLeft(r[1:], " \t\r\n\f\v")
	if r == "" || r[0] != '"' && r[0] != '\'' {
		return ""
	}
	e := quotedEnd(r, 0)
	if e >= len(r) || r[e] != r[0] {
		return ""
	}
	if t := strings.TrimLeft(r[e+1:], " \t\r\f\v"); t != "" && !strings.ContainsRune(";,\n})", rune(t[0])) {
		return "" // more follows: not one literal appended
	}
	return r[:e+1]
}

// jsFuncDecl is a function of up to two parameters whose body returns
// one expression: function d(s, k) { return ...; }, or d = (s, k) => ...
// as a declaration's value.
var jsFuncDecl = regexp.MustCompile(`\bfunction\s+([A-Za-z_$][\w$]{0,64})\s*\(([\w$\s,]{0,140})\)\s*\{\s*return\b([^;{}]{1,256}?);?\s*\}|\b(?:var|let|const)\s+([A-Za-z_$][\w$]{0,64})\s*=\s*(?:\(([\w$\s,]{0,140})\)|([A-Za-z_$][\w$]{0,64}))\s*=>\s*([^;{}\n]{1,256}?)\s*[;\n]`)

// jsMacro is such a function: its parameters and its expression.
type jsMacro struct {
	params []string
	body   string
}

// macros are the one-expression functions s declares, each once (one
// declared twice is none).
func macros(s string) map[string]jsMacro {
	out := map[string]jsMacro{}
	seen := map[string]bool{}
	for _, m := range jsFuncDecl.FindAllStringSubmatch(s, maxAssigns) {
		name, params, body := m[1], m[2], m[3]
		if name == "" {
			name, params, body = m[4], m[5]+m[6], m[7]
		}
		var ps []string
		for _, p := range strings.Split(params, ",") {
			if p = strings.TrimSpace(p); p != "" {
				ps = append(ps, p)
			}
		}
		if seen[name] || len(ps) > 2 {
			delete(out, name)
		} else {
			out[name] = jsMacro{ps, strings.TrimSpace(body)}
		}
		seen[name] = true
	}
	return out
}

// expand reads the call at s[i:] (literal arguments, as many as the
// parameters) and returns the function's expression with each parameter
// replaced by its argument, in parentheses, and the end of the call.
func (f jsMacro) expand(s string, i int) (string, int, bool) {
	j := skipJSSpace(s, i)
	if j >= len(s) || s[j] != '(' {
		return "", 0, false
	}
	steps := maxFolded
	var args []string
	j = skipJSSpace(s, j+1)
	for j < len(s) && s[j] != ')' && len(args) < len(f.params) {
		_, end, ok := literalValue(s, j, &steps)
		if !ok {
			return "", 0, false
		}
		args = append(args, s[j:end])
		if j = skipJSSpace(s, end); j < len(s) && s[j] == ',' {
			j = skipJSSpace(s, j+1)
		}
	}
	if j >= len(s) || s[j] != ')' || len(args) != len(f.params) {
		return "", 0, false
	}
	var sb strings.Builder
	sb.WriteByte('(')
	last := 0
	b := f.body
	for _, loc := range freeNames(b) {
		if k := slices.Index(f.params, b[loc[0]:loc[1]]); k >= 0 {
			sb.WriteString(b[last:loc[0]])
			sb.WriteString(args[k])
			last = loc[1]
		}
	}
	sb.WriteString(b[last:])
	sb.WriteByte(')')
	return sb.String(), j + 1, true
}

func isQuote(c byte) bool { return c == '"' || c == '\'' }

// assignsValue says whether s has "=" with a literal after it (spaces
// between): a quote, a digit, "-" or "[", what jsAssign needs to match at
// all, or "{" (an object, for objectConsts). A byte scan is far cheaper
// than the expression.
func assignsValue(s string) bool {
	for i := 0; i < len(s); i++ {
		k := strings.IndexByte(s[i:], '=')
		if k < 0 {
			return false
		}
		i += k
		j := skipJSSpace(s, i+1)
		if j < len(s) && (isQuote(s[j]) || s[j] >= '0' && s[j] <= '9' || s[j] == '-' || s[j] == '[' || s[j] == '{') {
			return true
		}
	}
	return false
}

// jsObjectDecl is `var|let|const name = {`.
var jsObjectDecl = regexp.MustCompile(`\b(?:var|let|const)\s+([A-Za-z_$][\w$]{0,64})\s*=\s*\{`)

// objectConsts are the objects s declares with literal values for some
// keys (var c = {h: "https://", d: "evil" + ".com", f: function(){...}}):
// for each, the keys with a literal value and that value as written. An
// object declared twice is none.
func objectConsts(s string) map[string]map[string]string {
	objs := map[string]map[string]string{}
	seen := map[string]bool{}
	left := 2 * maxJS // bytes read over all objects, however they nest
	for _, m := range jsObjectDecl.FindAllStringSubmatchIndex(s, maxAssigns) {
		name := s[m[2]:m[3]]
		props := objectLiteral(s, m[1]-1, &left, 0)
		if seen[name] || len(props) == 0 {
			delete(objs, name)
		} else {
			objs[name] = props
		}
		seen[name] = true
	}
	return objs
}

// maxObjectDepth bounds the nesting of objects read (a.b.c.d).
const maxObjectDepth = 4

// objectLiteral reads the object literal whose "{" is at i: its keys with
// a literal value (a string, a number, an array of them), as written, and
// those of the objects it nests, depth deep already, as "key.inner";
// other values are passed over; nil when it is not one object literal.
func objectLiteral(s string, i int, left *int, depth int) map[string]string {
	props := map[string]string{}
	steps := maxFolded
	j := skipJSSpace(s, i+1)
	for n := 0; n < 256 && j < len(s); n++ {
		if s[j] == '}' {
			return props
		}
		var key string
		if isQuote(s[j]) {
			e := quotedEnd(s, j)
			if e >= len(s) || s[e] != s[j] {
				return nil
			}
			key, j = jsUnquote(s[j:e+1]), e+1
		} else if key, j = identAt(s, j); key == "" {
			return nil
		}
		j = skipJSSpace(s, j)
		if j >= len(s) || s[j] != ':' {
			return nil // a method or a shorthand: not read
		}
		j = skipJSSpace(s, j+1)
		if _, e, ok := literalValue(s, j, &steps); ok {
			if k := skipJSSpace(s, e); k < len(s) && (s[k] == ',' || s[k] == '}') {
				props[key] = s[j:e]
				j = k
			}
		} else if j < len(s) && s[j] == '{' && depth+1 < maxObjectDepth {
			for k, v := range objectLiteral(s, j, left, depth+1) {
				if len(props) < 1024 {
					props[key+"."+k] = v
				}
			}
		}
		e := valueEnd(s, j, min(maxFolded, *left))
		if *left -= e - j + 1; e >= len(s) || *left < 0 {
			return nil
		}
		j = e
		if s[j] == ',' {
			j = skipJSSpace(s, j+1)
		}
	}
	return nil
}

// valueEnd is the index of the "," or "}" that ends the value at i in an
// object literal (brackets and literals inside passed over), at most n
// bytes on; len(s) when none.
func valueEnd(s string, i, n int) int {
	depth := 0
	for j := i; j < len(s) && j-i < n; j++ {
		switch c := s[j]; c {
		case '"', '\'', '`':
			if c == '`' {
				k := strings.IndexByte(s[j+1:], '`')
				if k < 0 {
					return len(s)
				}
				j += k + 1
			} else {
				j = quotedEnd(s, j)
			}
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth == 0 {
				if c == '}' {
					return j
				}
				return len(s)
			}
			depth--
		case ',':
			if depth == 0 {
				return j
			}
		}
	}
	return len(s)
}

// inPlace are the methods that change an array itself.
var inPlace = set("push", "pop", "shift", "unshift", "splice", "reverse", "sort", "fill", "copyWithin")

// eachMutation calls f with each name s changes other than by `name =
// value`: ++ or -- before or after it, a compound assignment (isPlus for
// name += ...), an element or property of it set or changed (p[0] = ...,
// c.h = ...), or a method that changes an array in place (p.push(...)).
// Quoted literals are passed over.
func eachMutation(s string, f func(name string, isPlus bool)) {
	calls := 0
	for i := 0; i < len(s) && calls < 4*maxAssigns; i++ {
		k := strings.IndexAny(s[i:], "+-=.\"'")
		if k < 0 {
			return
		}
		i += k
		switch c := s[i]; c {
		case '"', '\'':
			i = quotedEnd(s, i)
		case '+', '-':
			if i+1 < len(s) && s[i+1] == c {
				if n, _ := targetBefore(s, i); n != "" {
					calls++
					f(n, false)
				}
				if n, _ := identAt(s, skipJSSpace(s, i+2)); n != "" {
					calls++
					f(n, false)
				}
				i++
			}
		case '=':
			if i+1 < len(s) && (s[i+1] == '=' || s[i+1] == '>') {
				for i+1 < len(s) && s[i+1] == '=' {
					i++
				}
				continue
			}
			if i == 0 {
				continue
			}
			at := i
			switch p := s[i-1]; {
			case p == '!' || (p == '<' || p == '>') && (i < 2 || s[i-2] != p):
				continue // a comparison
			case p == '<' || p == '>':
				at = i - 2
				for at > 0 && s[at-1] == '>' {
					at--
				}
			case strings.IndexByte("+-*/%&|^", p) >= 0:
				at = i - 1
				if (p == '&' || p == '|' || p == '*') && i >= 2 && s[i-2] == p {
					at-- // &&=, ||=, **=
				}
			}
			n, plain := targetBefore(s, at)
			if n == "" || at == i && plain {
				continue // name = value: eachNameAssign's
			}
			calls++
			f(n, plain && at == i-1 && s[at] == '+')
		case '.':
			m, e := identAt(s, skipJSSpace(s, i+1))
			if inPlace[m] {
				if e = skipJSSpace(s, e); e < len(s) && s[e] == '(' {
					if n, _ := targetBefore(s, i); n != "" {
						calls++
						f(n, false)
					}
				}
			}
		}
	}
}

// targetBefore is the name at the root of the reference that ends before
// i (p in p[0], c in c.h.k, u in u), and whether that reference is the
// bare name; "" when none ends there.
func targetBefore(s string, i int) (string, bool) {
	plain := true
	j := i
	for n := 0; n < 8; n++ {
		for j > 0 && isJSSpace(s[j-1]) {
			j--
		}
		if j > 0 && s[j-1] == ']' { // an index: back to its "["
			depth := 0
			k := j - 1
			for ; k >= 0 && j-k < 256; k-- {
				if s[k] == ']' {
					depth++
				} else if s[k] == '[' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			if k < 0 || s[k] != '[' || j-k >= 256 {
				return "", false
			}
			j, plain = k, false
			continue
		}
		e := j
		for j > 0 && isIdentByte(s[j-1]) {
			j--
		}
		if j == e || s[j] >= '0' && s[j] <= '9' {
			return "", false
		}
		k := j
		for k > 0 && isJSSpace(s[k-1]) {
			k--
		}
		if k > 0 && s[k-1] == '.' {
			j, plain = k-1, false
			continue
		}
		return s[j:e], plain
	}
	return "", false
}

// nextQuote is the index of the first ' or " in s[from:to], or -1.
func nextQuote(s string, from, to int) int {
	if k := strings.IndexAny(s[from:to], `"'`); k >= 0 {
		return from + k
	}
	return -1
}

// maxAssigns bounds the assignments resolveAliases reads per pass.
const maxAssigns = 2000

// eachAssign calls f with the name and literal of each match of re (a
// name, then a literal) in s, in order; a match's closing delimiter may
// open the next (`var a = "x", b = "y"`).
func eachAssign(re *regexp.Regexp, s string, f func(name, lit string)) {
	for pos, n := 0, 0; pos < len(s) && n < maxAssigns; n++ {
		m := re.FindStringSubmatchIndex(s[pos:])
		if m == nil {
			return
		}
		f(s[pos+m[2]:pos+m[3]], s[pos+m[4]:pos+m[5]])
		pos += max(m[1]-1, m[0]+1)
	}
}

// quoteAround says whether s has op with a quote after it (spaces
// between), and with before also one before it: what jsLitConcat ("a" +
// "b") and jsAssign (x = "a") need to match at all. A byte scan is far
// cheaper than those expressions over a long script.
func quoteAround(s string, op byte, before bool) bool {
	for i := 0; i < len(s); i++ {
		k := strings.IndexByte(s[i:], op)
		if k < 0 {
			return false
		}
		i += k
		j := i + 1
		for j < len(s) && isJSSpace(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != '"' && s[j] != '\'' {
			continue
		}
		if !before {
			return true
		}
		j = i - 1
		for j >= 0 && isJSSpace(s[j]) {
			j--
		}
		if j >= 0 && (s[j] == '"' || s[j] == '\'') {
			return true
		}
	}
	return false
}

func isJSSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isAssignTarget: the identifier ending at end is followed by "=" (not
// "==") or "+=".
func isAssignTarget(s string, end int) bool {
	for end < len(s) && (s[end] == ' ' || s[end] == '\t') {
		end++
	}
	if end+1 < len(s) && s[end] == '+' && s[end+1] == '=' {
		return true
	}
	return end < len(s) && s[end] == '=' && (end+1 >= len(s) || s[end+1] != '=')
}

// jsUnquote decodes a JavaScript string literal (quotes included).
func jsUnquote(lit string) string {
	body := lit[1 : len(lit)-1]
	if !strings.Contains(body, `\`) {
		return body
	}
	var sb strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			sb.WriteByte(c)
			continue
		}
		i++
		switch e := body[i]; e {
		case 'x':
			if v, err := strconv.ParseUint(body[i+1:min(i+3, len(body))], 16, 8); err == nil && i+3 <= len(body) {
				sb.WriteRune(rune(v))
				i += 2
				continue
			}
			sb.WriteByte(e)
		case 'u':
			if v, err := strconv.ParseUint(body[i+1:min(i+5, len(body))], 16, 16); err == nil && i+5 <= len(body) {
				sb.WriteRune(rune(v))
				i += 4
				continue
			}
			sb.WriteByte(e)
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'v':
			sb.WriteByte('\v')
		default:
			sb.WriteByte(e)
		}
	}
	return sb.String()
}

// decodeRefs reads text as a browser or Office would before acting on a
// link: HTML character references, CSS escapes (\2d, \000073 ) and
// JavaScript escapes (\x2d, \u002d) decoded.
func decodeRefs(s string) string {
	if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			sb.WriteByte(c)
			continue
		}
		j := i + 1
		switch {
		case s[j] == 'x' && j+3 <= len(s):
			if v, err := strconv.ParseUint(s[j+1:j+3], 16, 8); err == nil {
				sb.WriteRune(rune(v))
				i = j + 2
				continue
			}
		case s[j] == 'u' && j+5 <= len(s):
			if v, err := strconv.ParseUint(s[j+1:j+5], 16, 16); err == nil {
				sb.WriteRune(rune(v))
				i = j + 4
				continue
			}
		}
		k := j // CSS: one to six hex digits and an optional space
		for k < len(s) && k-j < 6 && isHex(s[k]) {
			k++
		}
		if k > j {
			v, _ := strconv.ParseUint(s[j:k], 16, 32)
			if v > 0 && v <= utf8.MaxRune {
				sb.WriteRune(rune(v))
				if k < len(s) && s[k] == ' ' {
					k++
				}
				i = k - 1
				continue
			}
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
