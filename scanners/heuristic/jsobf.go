package heuristic

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The string array of javascript-obfuscator (obfuscator.io), the commonest
// obfuscator of phishing pages. It moves every string of a script into one
// array, returned by a function of its own:
//
//	function A(){var x=['location','https://...',...];A=function(){return x;};return A();}
//
// reads them back through decoder functions that index the array (and
// decode the element from base64, or base64 then RC4 with a key given at
// each call, caching what they decoded as properties of themselves):
//
//	function D(i,k){i=i-0xd5;var a=A();var v=a[i];...;return v;}
//
// and rotates the array at the start by a number of places it does not
// write down: an IIFE shifts it until a checksum of parseInt over decoded
// elements equals a constant. Calls of the decoders, through aliases
// (var d=D) and wrapper functions (function w(a,b,c){return D(c-0x1a,a);}),
// replace every string in the code.
//
// unpackStringArrays finds the array, the decoders and the rotation by
// their shape, runs them with the bounded evaluator of jsrun.go (the
// rotation tried place by place, the checksum computed as the IIFE does),
// and writes each call of a decoder, alias or wrapper with constant
// arguments as the string literal it returns, for the rest of the
// normaliser to read as it reads any literal. Nothing else of the script
// runs; a script whose pieces do not have these shapes, or whose
// checksum no rotation meets within the budget, is left as it is.

// maxUnpackSteps is the budget of unpacking the string arrays of one
// script: the rotation search decodes elements again for each place tried.
const maxUnpackSteps = 1 << 21

// maxStringArrays bounds the string arrays looked at in one script
// (javascript-obfuscator writes one; a page may hold a few scripts joined).
const maxStringArrays = 4

// maxDecodedCalls bounds the decoder calls written as literals in one script.
const maxDecodedCalls = 1 << 15

var (
	obfArrayFunc = regexp.MustCompile(`function\s+([\w$]{1,64})\s*\(\s*\)\s*\{\s*(?:var|let|const)\s+[\w$]{1,64}\s*=\s*\[`)
	obfFuncDecl  = regexp.MustCompile(`function\s+([\w$]{1,64})\s*\([\w$\s,]{0,512}\)\s*\{`)
	obfAlias     = regexp.MustCompile(`([\w$]{1,64})\s*=\s*([\w$]{1,64})\s*[,;)}\n]`)
	obfWrapper   = regexp.MustCompile(`function\s+([\w$]{1,64})\s*\([\w$\s,]{0,512}\)\s*\{\s*return\s+([\w$]{1,64})\s*\(`)
)

func unpackStringArrays(s string) string {
	if !strings.Contains(s, "shift") {
		return s // no rotation, no javascript-obfuscator string array
	}
	steps := maxUnpackSteps
	for _, m := range obfArrayFunc.FindAllStringSubmatchIndex(s, maxStringArrays) {
		if steps <= 0 {
			break
		}
		s = unpackStringArray(s, s[m[2]:m[3]], m[1]-1, &steps)
	}
	return s
}

// unpackStringArray unpacks the array returned by the function arrName,
// whose literal starts at s[open].
func unpackStringArray(s, arrName string, open int, steps *int) string {
	arr, _, ok := arrayLiteral(s, open, steps)
	if !ok || len(arr.a) == 0 || len(arr.a) > 1<<12 {
		return s
	}
	for _, v := range arr.a {
		if v.kind != 's' {
			return s
		}
	}
	rt := newRun(steps)
	rt.known = map[*jsFuncDef]*knownFunc{}
	gs := newScope(nil)
	// The decoders: the functions that call the array's function.
	decoders := map[string]*jsFuncDef{}
	for _, m := range obfFuncDecl.FindAllStringSubmatchIndex(s, maxAssigns) {
		name := s[m[2]:m[3]]
		if name == arrName {
			continue
		}
		p := &exprParser{s: s, pos: m[0], steps: steps, free: true}
		f, end, ok := p.function(m[0])
		if !ok || f.body == nil || !strings.Contains(s[m[1]:end], arrName+"(") {
			continue
		}
		if decoders[name] != nil {
			return s // two functions of one name: which one is called is not clear
		}
		decoders[name] = f
	}
	if len(decoders) == 0 {
		return s
	}
	// Each decoder runs as written, but what it returns for an element
	// (and key) is kept: the rotation search asks for the same elements
	// at each place it tries, and RC4 is dear.
	rot := 0
	type decoded struct {
		v  jsVal
		ok bool
	}
	memo := map[string]decoded{}
	for name, f := range decoders {
		off, hasOff := decoderOffset(f)
		gs.vars[name] = jsVal{kind: 'f', fn: &jsClosure{native: func(args []jsVal) (jsVal, bool) {
			key := ""
			if hasOff && len(args) > 0 && args[0].kind == 'n' && args[0].n-off >= 0 && args[0].n-off < int64(len(arr.a)) {
				key = name + "\x00" + strconv.FormatInt((args[0].n-off+int64(rot))%int64(len(arr.a)), 10)
				for _, a := range args[1:] {
					if !a.printable() {
						key = ""
						break
					}
					key += "\x00" + a.str()
				}
			}
			if r, ok := memo[key]; ok && key != "" {
				return r.v, r.ok
			}
			v, ok := rt.callFunc(&jsClosure{def: f, sc: gs}, args)
			if key != "" && len(memo) < maxDecodedCalls && *rt.steps > 0 {
				memo[key] = decoded{v, ok} // a failure too: the element does not decode with that key
			}
			return v, ok
		}}}
	}
	twice := append(slices.Clone(arr.a), arr.a...) // each rotation a window of it, not a copy
	setArray := func(k int) {
		rot = k
		a := twice[k : k+len(arr.a) : k+len(arr.a)]
		gs.vars[arrName] = jsVal{kind: 'f', fn: &jsClosure{def: &jsFuncDef{expr: &jsExpr{op: "lit", v: jsVal{kind: 'a', a: a}}}, sc: gs}}
	}
	k, found := rotation(s, arrName, len(arr.a), setArray, gs, rt)
	if !found {
		return s
	}
	setArray(k)
	callable := bindCallers(s, gs, decoders, steps)
	return writeDecoded(s, callable, gs, rt)
}

// rotation finds the places the IIFE given arrName rotates the array by:
// the first at which its checksum meets the constant it is given.
func rotation(s, arrName string, n int, setArray func(int), gs *jsScope, rt *jsRun) (int, bool) {
	call := regexp.MustCompile(`\}\s*\)?\s*\(\s*` + regexp.QuoteMeta(arrName) + `\s*,`).FindStringIndex(s)
	if call == nil {
		return 0, false
	}
	// The IIFE: the function expression that ends where the call starts.
	var f *jsFuncDef
	for from := 0; f == nil; {
		k := strings.Index(s[from:call[0]], "function")
		if k < 0 {
			return 0, false
		}
		at := from + k
		from = at + 8
		p := &exprParser{s: s, pos: at, steps: rt.steps, free: true}
		if g, end, ok := p.function(at); ok && end == call[0]+1 && g.body != nil && len(g.params) == 2 {
			f = g
		}
		if *rt.steps <= 0 {
			return 0, false
		}
	}
	want, _, ok := parseExpr(s, skipJSSpace(s, call[1]), nil, rt.steps)
	if !ok {
		return 0, false
	}
	// Its statements: declarations (aliases, the array), wrappers, then
	// while (!![]) { try { var c = checksum; if (c === want) break; else
	// rotate } catch (e) { rotate } }.
	var pre []*jsStmt
	var check *jsStmt
	var cond *jsExpr
	for i, st := range f.body {
		if st.op != "while" {
			continue
		}
		pre = f.body[:i]
		body := st.body
		if len(body) == 1 && body[0].op == "try" && len(body[0].body) >= 2 && body[0].body[0].op == "var" && body[0].body[1].op == "if" {
			check, cond = body[0].body[0], body[0].body[1].e
		}
		break
	}
	if check == nil {
		return 0, false
	}
	for k := range n {
		if *rt.steps <= 0 {
			return 0, false
		}
		setArray(k)
		sc := newScope(gs)
		sc.vars[f.params[0]] = gs.vars[arrName]
		sc.vars[f.params[1]] = jsVal{kind: 'u'}
		env := &exprEnv{sc: sc, rt: rt}
		if wv, ok := want.eval(env); ok {
			sc.vars[f.params[1]] = wv
		}
		if _, _, ok := env.exec(pre); !ok {
			return 0, false
		}
		// A checksum that cannot be computed (parseInt of a word: NaN)
		// is the browser's exception: the next place is tried.
		if _, _, ok := env.execOne(check); !ok {
			continue
		}
		if c, ok := cond.eval(env); ok && c.truthy() {
			return k, true
		}
	}
	return 0, false
}

// bindCallers declares in gs the aliases of the decoders (var d = D) and
// the wrappers that return a decoder's call, as many rounds as they lean
// on each other; it returns the names that decode.
func bindCallers(s string, gs *jsScope, decoders map[string]*jsFuncDef, steps *int) map[string]bool {
	callable := map[string]bool{}
	for name := range decoders {
		callable[name] = true
	}
	aliases := obfAlias.FindAllStringSubmatchIndex(s, maxAssigns)
	wrappers := obfWrapper.FindAllStringSubmatchIndex(s, maxAssigns)
	for round := 0; round < 4; round++ {
		added := false
		for _, m := range aliases {
			name, target := s[m[2]:m[3]], s[m[4]:m[5]]
			if callable[target] && !callable[name] {
				callable[name], added = true, true
				gs.vars[name] = gs.vars[target]
			}
		}
		for _, m := range wrappers {
			name, target := s[m[2]:m[3]], s[m[4]:m[5]]
			if !callable[target] || callable[name] {
				continue
			}
			p := &exprParser{s: s, pos: m[0], steps: steps, free: true}
			if f, _, ok := p.function(m[0]); ok {
				callable[name], added = true, true
				gs.vars[name] = jsVal{kind: 'f', fn: &jsClosure{def: f, sc: gs}}
			}
		}
		if !added {
			break
		}
	}
	return callable
}

// writeDecoded writes each call of a callable name with constant
// arguments as the string it returns. Quoted text and comments are passed
// over, and so are the functions' own declarations.
func writeDecoded(s string, callable map[string]bool, gs *jsScope, rt *jsRun) string {
	var sb strings.Builder
	last, calls := 0, 0
	env := &exprEnv{sc: gs, rt: rt}
	for i := 0; i < len(s) && calls < maxDecodedCalls && *rt.steps > 0; {
		if j := skipInert(s, i); j != i {
			i = j
			continue
		}
		if !isIdentByte(s[i]) {
			i++
			continue
		}
		name, end := identAt(s, i)
		if name == "" {
			i++
			continue
		}
		open := skipJSSpace(s, end)
		if !callable[name] || i > 0 && s[i-1] == '.' || open >= len(s) || s[open] != '(' || strings.HasSuffix(strings.TrimRight(s[:i], " \t\r\n"), "function") {
			i = end
			continue
		}
		args, close, ok := constArgs(s, open, env)
		if !ok {
			i = end
			continue
		}
		calls++
		if v, ok := rt.callFunc(gs.vars[name].fn, args); ok && v.kind == 's' && len(v.s) <= maxFolded {
			sb.WriteString(s[last:i])
			sb.WriteString(jsQuote(v.s))
			last, i = close, close
			continue
		}
		i = end
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// constArgs reads the arguments of the call whose "(" is at s[open], each a
// constant expression, and the end of the call.
func constArgs(s string, open int, env *exprEnv) ([]jsVal, int, bool) {
	var args []jsVal
	j := skipJSSpace(s, open+1)
	for j < len(s) && s[j] != ')' && len(args) < 8 {
		e, end, ok := parseExpr(s, j, nil, env.rt.steps)
		if !ok {
			return nil, 0, false
		}
		v, ok := e.eval(env)
		if !ok {
			return nil, 0, false
		}
		args = append(args, v)
		if j = skipJSSpace(s, end); j < len(s) && s[j] == ',' {
			j = skipJSSpace(s, j+1)
		}
	}
	if j >= len(s) || s[j] != ')' {
		return nil, 0, false
	}
	return args, j + 1, true
}

// decoderOffset is the constant a decoder takes from its index first
// (i = i - 0xd5), which names the element a call reads.
func decoderOffset(f *jsFuncDef) (int64, bool) {
	if len(f.body) == 0 || len(f.params) == 0 || f.body[0].op != "expr" {
		return 0, false
	}
	e := f.body[0].e
	if e.op != "=" || e.id != "=" || e.kids[0].op != "id" || e.kids[0].id != f.params[0] {
		return 0, false
	}
	r := e.kids[1]
	if r.op != "-" || r.kids[0].op != "id" || r.kids[0].id != f.params[0] {
		return 0, false
	}
	none := 1 << 10
	v, ok := r.kids[1].eval(&exprEnv{rt: newRun(&none)})
	return v.n, ok && v.kind == 'n'
}

// The decoders' inner functions, base64 and RC4, cost thousands of steps
// a string run as written (RC4 sets up 256 entries for each call), and the
// rotation search and a page of calls make hundreds. A function of the
// script that gave, for its first calls, what Go's version of
// javascript-obfuscator's base64 or RC4 gives is called as that Go code
// afterwards. A script that behaves otherwise later gains nothing but its
// own strings decoded wrongly, which it could get by hiding them.

// knownFunc is what is known of one function of the script: the Go
// functions it may be, those it differed from, and how often it agreed.
type knownFunc struct {
	differed [len(obfCodecs)]bool
	agreed   int
}

// knownAfter is how many calls of the script's function must agree with
// a Go function before the Go function is called instead.
const knownAfter = 2

var obfCodecs = [...]func(args []jsVal) (jsVal, bool){obfBase64Call, obfRC4Call}

// callKnown calls f as the Go function it was found to be, or runs it
// and compares.
func (rt *jsRun) callKnown(f *jsClosure, args []jsVal) (jsVal, bool) {
	k := rt.known[f.def]
	if k == nil {
		if len(rt.known) >= 64 {
			return rt.run(f, nil, args)
		}
		k = &knownFunc{}
		rt.known[f.def] = k
	}
	if k.agreed >= knownAfter {
		for i, codec := range obfCodecs {
			if !k.differed[i] {
				*rt.steps -= 64
				return codec(args)
			}
		}
	}
	v, ok := rt.run(f, nil, args)
	if !ok || v.kind != 's' {
		return v, ok
	}
	alive := false
	for i, codec := range obfCodecs {
		if k.differed[i] {
			continue
		}
		if w, ok := codec(args); !ok || w.kind != 's' || w.s != v.s {
			k.differed[i] = true
			continue
		}
		alive = true
	}
	if alive {
		k.agreed++
	}
	return v, true
}

// obfBase64Alphabet is the alphabet of javascript-obfuscator's base64:
// lower case first.
const obfBase64Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/="

// obfBase64 decodes s as javascript-obfuscator's decoder does: base64 of
// its alphabet into bytes, then those bytes read as UTF-8 (its
// decodeURIComponent of %xx escapes).
func obfBase64(s string) (string, bool) {
	var out []byte
	bc, bs := 0, int32(0)
	for _, c := range s {
		b := strings.IndexRune(obfBase64Alphabet, c)
		if b < 0 {
			continue
		}
		emit := bc%4 != 0
		if emit {
			bs = bs*64 + int32(b)
		} else {
			bs = int32(b)
		}
		bc++
		if emit {
			out = append(out, byte(bs>>((-2*bc)&6)))
		}
	}
	if !utf8.Valid(out) {
		return "", false // decodeURIComponent throws
	}
	return string(out), true
}

func obfBase64Call(args []jsVal) (jsVal, bool) {
	if len(args) != 1 || args[0].kind != 's' {
		return jsVal{}, false
	}
	s, ok := obfBase64(args[0].s)
	return strVal(s), ok
}

// obfRC4Call decodes its first argument from base64, then by RC4 with
// the second as the key, by characters as the decoder's charCodeAt reads
// them.
func obfRC4Call(args []jsVal) (jsVal, bool) {
	if len(args) != 2 || args[0].kind != 's' || args[1].kind != 's' || args[1].s == "" {
		return jsVal{}, false
	}
	data, ok := obfBase64(args[0].s)
	if !ok {
		return jsVal{}, false
	}
	key := []rune(args[1].s)
	var st [256]int
	for i := range st {
		st[i] = i
	}
	j := 0
	for i := range st {
		j = (j + st[i] + int(key[i%len(key)])) % 256
		st[i], st[j] = st[j], st[i]
	}
	var sb strings.Builder
	i := 0
	j = 0
	for _, c := range data {
		i = (i + 1) % 256
		j = (j + st[i]) % 256
		st[i], st[j] = st[j], st[i]
		r := rune(int(c) ^ st[(st[i]+st[j])%256])
		if !utf8.ValidRune(r) {
			return jsVal{}, false
		}
		sb.WriteRune(r)
	}
	return strVal(sb.String()), true
}

// javascript-obfuscator's object-key transform and control-flow
// flattening move operators, calls and strings into properties of an
// object made for one function:
//
//	var o={};o.msSgQ=function(a,b){return a+b;},o.UNLUk="kenji@...";var p=o;
//	window.location.replace(p.msSgQ(p.msSgQ("https://...",'#'),p.UNLUk));
//
// inlineProxies writes each call of such a property (through the object
// or a variable holding it) as the operation it stands for, and each read
// of a string property as the string, for the rest of the normaliser to
// fold: a property set once, to a literal or to a function that only
// returns a op b or a(b, ...).

var (
	obfProxyDef  = regexp.MustCompile(`(?:([\w$]{1,64})\s*\.\s*|[{,]\s*["']?)([\w$]{1,64})["']?\s*[:=]\s*function\s*\(([\w$\s,]{0,200})\)\s*\{\s*return\s+([^;{}]{1,200}?);?\s*\}`)
	obfProxyBody = regexp.MustCompile(`^([\w$]+)\s*(===|!==|==|!=|<=|>=|>>>|<<|>>|&&|\|\||[-+*/%<>&|^])\s*([\w$]+)$|^([\w$]+)\s*\(([\w$\s,]*)\)$`)
	obfConstDef  = regexp.MustCompile(`(?:([\w$]{1,64})\s*\.\s*|[{,]\s*["']?)([\w$]{1,64})["']?\s*[:=]\s*(` + jsLitRE + `)\s*[,;}\n]`)
	obfObject    = regexp.MustCompile(`(?:\b(?:var|let|const)\s+|,\s*)([\w$]{1,64})\s*=\s*\{`)
)

// jsProxy is what a property stands for: an operator between its two
// parameters, a call of its first on the others, or a string.
type jsProxy struct {
	op   string // the operator; "call"; "lit"
	lit  string // "lit": the literal as written
	bad  bool   // set twice, or to something else too
	defs int    // the places that set it, as read
	objs map[string]bool
}

// propertySets counts the places s sets a property named key: .key =,
// .key op=, key: in an object (quoted or not).
func propertySets(s, key string) int {
	n := 0
	for i := 0; i < len(s); {
		k := strings.Index(s[i:], key)
		if k < 0 {
			break
		}
		at := i + k
		i = at + len(key)
		if at > 0 && isIdentByte(s[at-1]) || i < len(s) && isIdentByte(s[i]) {
			continue
		}
		j := i
		if j < len(s) && isQuote(s[j]) {
			j++
		}
		j = skipJSSpace(s, j)
		switch {
		case j < len(s) && s[j] == ':':
			n++
		case j+1 < len(s) && s[j] == '=' && s[j+1] != '=':
			n++
		case j+1 < len(s) && strings.IndexByte("+-*/%&|^", s[j]) >= 0 && s[j+1] == '=':
			n++
		case j+1 < len(s) && (s[j] == '+' || s[j] == '-') && s[j+1] == s[j]:
			n++
		}
	}
	return n
}

func inlineProxies(s string) string {
	if !strings.Contains(s, "function") || len(s) > maxJS {
		return s
	}
	props := map[string]*jsProxy{}
	note := func(obj, key string, p jsProxy) {
		p.defs = 1
		q := props[key]
		if q == nil {
			p.objs = map[string]bool{}
			q = &p
			props[key] = q
		} else {
			q.defs++
			q.bad = q.bad || q.op != p.op || q.lit != p.lit
		}
		if obj != "" {
			q.objs[obj] = true
		}
	}
	for _, m := range obfProxyDef.FindAllStringSubmatch(s, maxAssigns) {
		obj, key, params, ret := m[1], m[2], strings.Split(m[3], ","), strings.TrimSpace(m[4])
		for i := range params {
			params[i] = strings.TrimSpace(params[i])
		}
		b := obfProxyBody.FindStringSubmatch(ret)
		switch {
		case b == nil:
			note(obj, key, jsProxy{bad: true})
		case b[2] != "" && len(params) == 2 && b[1] == params[0] && b[3] == params[1]:
			note(obj, key, jsProxy{op: b[2]})
		case b[4] != "" && len(params) >= 1 && b[4] == params[0] && sameNames(b[5], params[1:]):
			note(obj, key, jsProxy{op: "call"})
		default:
			note(obj, key, jsProxy{bad: true})
		}
	}
	if len(props) == 0 {
		return s
	}
	for _, m := range obfConstDef.FindAllStringSubmatch(s, maxAssigns) {
		note(m[1], m[2], jsProxy{op: "lit", lit: m[3]})
	}
	// The objects: those declared with literals holding the properties,
	// those given the properties, and the variables that hold them.
	objs := map[string]bool{}
	for _, m := range obfObject.FindAllStringSubmatchIndex(s, maxAssigns) {
		end := valueEnd(s, m[1]-1, len(s))
		for key, p := range props {
			if strings.Contains(s[m[1]:end], key) {
				p.objs[s[m[2]:m[3]]] = true
			}
		}
	}
	for _, p := range props {
		for o := range p.objs {
			objs[o] = true
		}
	}
	aliases := obfAlias.FindAllStringSubmatch(s, maxAssigns)
	for round := 0; round < 4; round++ {
		added := false
		for _, m := range aliases {
			if objs[m[2]] && !objs[m[1]] {
				objs[m[1]], added = true, true
				for _, p := range props {
					if p.objs[m[2]] {
						p.objs[m[1]] = true
					}
				}
			}
		}
		if !added {
			break
		}
	}
	// A property set anywhere else (o.k = x, o.k += ..., k: x) is not known.
	for key, p := range props {
		if !p.bad && propertySets(s, key) > p.defs {
			p.bad = true
		}
	}
	return writeProxies(s, props, 0)
}

// sameNames: list is the names given, comma-separated.
func sameNames(list string, names []string) bool {
	got := strings.Split(list, ",")
	if strings.TrimSpace(list) == "" {
		got = nil
	}
	if len(got) != len(names) {
		return false
	}
	for i := range got {
		if strings.TrimSpace(got[i]) != names[i] {
			return false
		}
	}
	return true
}

// writeProxies rewrites obj.key(a, b) and obj.key where key is a known
// property of obj.
func writeProxies(s string, props map[string]*jsProxy, depth int) string {
	var sb strings.Builder
	last := 0
	steps := maxRunSteps
	for i := 0; i < len(s); {
		if c := s[i]; c == '"' || c == '\'' || c == '`' { // not comments: a regular expression may hold "//"
			i = skipInert(s, i)
			continue
		}
		if !isIdentByte(s[i]) || i > 0 && (isIdentByte(s[i-1]) || s[i-1] == '.') {
			i++
			continue
		}
		obj, end := identAt(s, i)
		dot := skipJSSpace(s, end)
		if obj == "" || dot >= len(s) || s[dot] != '.' {
			i = max(end, i+1)
			continue
		}
		key, kend := identAt(s, skipJSSpace(s, dot+1))
		p := props[key]
		if p == nil || p.bad || !p.objs[obj] {
			i = max(end, i+1)
			continue
		}
		next := skipJSSpace(s, kend)
		if p.op == "lit" {
			if next < len(s) && (s[next] == '=' && (next+1 >= len(s) || s[next+1] != '=') || s[next] == '(') {
				i = kend // the definition, or a call
				continue
			}
			sb.WriteString(s[last:i])
			sb.WriteString(p.lit)
			last, i = kend, kend
			continue
		}
		if next >= len(s) || s[next] != '(' {
			i = kend
			continue
		}
		args, close, ok := argSpans(s, next, &steps)
		if !ok || p.op != "call" && len(args) != 2 || p.op == "call" && len(args) == 0 {
			i = kend
			continue
		}
		for k := range args {
			if depth < 8 {
				args[k] = writeProxies(args[k], props, depth+1)
			}
		}
		sb.WriteString(s[last:i])
		if p.op == "call" {
			sb.WriteString(args[0] + "(" + strings.Join(args[1:], ", ") + ")")
		} else {
			sb.WriteString("(" + args[0] + " " + p.op + " " + args[1] + ")")
		}
		last, i = close, close
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// argSpans are the texts of the arguments of the call whose "(" is at
// s[open], and the end of the call.
func argSpans(s string, open int, steps *int) ([]string, int, bool) {
	var args []string
	j := skipJSSpace(s, open+1)
	for j < len(s) && s[j] != ')' && len(args) < 16 {
		p := &exprParser{s: s, pos: j, steps: steps, free: true}
		if _, ok := p.nested(); !ok {
			return nil, 0, false
		}
		args = append(args, strings.TrimSpace(s[j:p.pos]))
		if j = skipJSSpace(s, p.pos); j < len(s) && s[j] == ',' {
			j = skipJSSpace(s, j+1)
		}
	}
	if j >= len(s) || s[j] != ')' {
		return nil, 0, false
	}
	return args, j + 1, true
}
