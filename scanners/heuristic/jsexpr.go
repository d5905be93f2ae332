package heuristic

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The expressions folding computes: of a map function, a loop's body, a
// template's ${}, and (with free names) the statements of jsrun.go.
// Literals, + - * / % & | ^ << >> >>> ~ ! comparisons && || ?:, indexes,
// properties, method calls on strings, numbers and arrays, calls of the
// global functions a decoder uses (String.fromCharCode, parseInt, Number,
// String, Math.*, atob, btoa, unescape, escape, decodeURIComponent,
// encodeURIComponent, Array.from) and, with free names, object and array
// literals, templates, function expressions, assignments and ++/--.

// jsExpr is a parsed expression.
type jsExpr struct {
	op    string
	v     jsVal  // op "lit"
	runes []rune // op "lit" of a string: its characters, for indexing it often
	name  int    // op "name": the index of the name in the environment
	id    string // op "id": a name; ".": the property; "=": the operator
	kids  []*jsExpr
	keys  []string   // op "obj": the keys; "tpl": the text between the ${}
	fn    *jsFuncDef // op "func"
}

// exprEnv is what an expression is evaluated in: the names of a map
// function or loop (names, vals), the variables of running code (sc), and
// the run's budget and functions.
type exprEnv struct {
	names []string
	vals  []jsVal
	sc    *jsScope
	rt    *jsRun
}

// Bounds of one parsed expression: its nodes and its nesting; code of
// statements (free names) may hold more.
const (
	maxExprNodes = 64
	maxExprDepth = 16
	maxRunNodes  = 4096
	maxRunDepth  = 48
)

// exprParser reads an expression from s at pos over the names given; free,
// any name (a variable of the code that runs).
type exprParser struct {
	s     string
	pos   int
	names []string
	nodes int
	depth int
	steps *int
	free  bool
}

// parseExpr reads the expression at i, which may use names.
func parseExpr(s string, i int, names []string, steps *int) (*jsExpr, int, bool) {
	p := &exprParser{s: s, pos: i, names: names, steps: steps}
	e, ok := p.nested()
	if !ok {
		return nil, 0, false
	}
	return e, p.pos, true
}

// binaryOps are JavaScript's binary operators that folding computes, by
// precedence, lowest first.
var binaryOps = [][]string{{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"===", "!==", "==", "!="}, {"<=", ">=", "<", ">"}, {">>>", "<<", ">>"}, {"+", "-"}, {"*", "/", "%"}}

func (p *exprParser) node(e *jsExpr) (*jsExpr, bool) {
	p.nodes++
	*p.steps--
	if p.free {
		return e, p.nodes <= maxRunNodes && *p.steps > 0
	}
	return e, p.nodes <= maxExprNodes
}

func (p *exprParser) deeper() bool {
	p.depth++
	if p.free {
		return p.depth <= maxRunDepth
	}
	return p.depth <= maxExprDepth
}

// nested reads a whole expression (an assignment, with free names) one
// level deeper.
func (p *exprParser) nested() (*jsExpr, bool) {
	if !p.deeper() {
		return nil, false
	}
	defer func() { p.depth-- }()
	e, ok := p.binary(0)
	if !ok {
		return nil, false
	}
	p.pos = skipJSSpace(p.s, p.pos)
	if p.pos < len(p.s) && p.s[p.pos] == '?' && !strings.HasPrefix(p.s[p.pos:], "?.") && !strings.HasPrefix(p.s[p.pos:], "??") {
		p.pos++
		a, ok := p.nested()
		p.pos = skipJSSpace(p.s, p.pos)
		if !ok || p.pos >= len(p.s) || p.s[p.pos] != ':' {
			return nil, false
		}
		p.pos++
		b, ok := p.nested()
		if !ok {
			return nil, false
		}
		return p.node(&jsExpr{op: "?", kids: []*jsExpr{e, a, b}})
	}
	if !p.free || p.pos >= len(p.s) || e.op != "id" && e.op != "[]" && e.op != "." {
		return e, true
	}
	// an assignment: = += -= *= /= %= &= |= ^= <<= >>= >>>=
	op := ""
	for _, o := range []string{"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", ">>>="} {
		if strings.HasPrefix(p.s[p.pos:], o) {
			op = o
		}
	}
	if op == "" || op == "=" && p.pos+1 < len(p.s) && (p.s[p.pos+1] == '=' || p.s[p.pos+1] == '>') {
		return e, true
	}
	p.pos += len(op)
	r, ok := p.nested()
	if !ok {
		return nil, false
	}
	return p.node(&jsExpr{op: "=", id: op, kids: []*jsExpr{e, r}})
}

func (p *exprParser) binary(level int) (*jsExpr, bool) {
	if level == len(binaryOps) {
		return p.unary()
	}
	l, ok := p.binary(level + 1)
	for ok {
		p.pos = skipJSSpace(p.s, p.pos)
		op := ""
		for _, o := range binaryOps[level] {
			if strings.HasPrefix(p.s[p.pos:], o) {
				op = o
				break
			}
		}
		if op == "" {
			return l, true
		}
		n := p.pos + len(op)
		if n < len(p.s) {
			next := p.s[n]
			switch {
			case next == '=' && op != "==" && op != "!=" && op != "<=" && op != ">=":
				return l, true // an assignment (+=, ^=, ...)
			case strings.IndexByte("|&+-<>", next) >= 0 && next == op[len(op)-1]:
				return l, true // ||, &&, ++, --, << and >> are not | & + - < >
			case op == "/" && (next == '/' || next == '*'):
				return l, true // a comment
			}
		}
		p.pos = n
		var r *jsExpr
		if r, ok = p.binary(level + 1); ok {
			l, ok = p.node(constFolded(&jsExpr{op: op, kids: []*jsExpr{l, r}}))
		}
	}
	return nil, false
}

// constFolded is e, or the literal it computes when its operands are
// numbers written down (0x1d51+0xed5+-0x2c26, as javascript-obfuscator
// writes every number): computed once, not at each iteration of a loop.
func constFolded(e *jsExpr) *jsExpr {
	for _, k := range e.kids {
		if k.op != "lit" || !k.v.isNum() {
			return e
		}
	}
	none := 1 << 10
	if v, ok := e.eval(&exprEnv{rt: newRun(&none)}); ok && v.isNum() {
		return &jsExpr{op: "lit", v: v}
	}
	return e
}

func (p *exprParser) unary() (*jsExpr, bool) {
	p.pos = skipJSSpace(p.s, p.pos)
	if p.pos >= len(p.s) {
		return nil, false
	}
	c := p.s[p.pos]
	if p.free && (c == '+' || c == '-') && strings.HasPrefix(p.s[p.pos:], string([]byte{c, c})) {
		p.pos += 2
		e, ok := p.unary()
		if !ok || e.op != "id" && e.op != "[]" && e.op != "." {
			return nil, false
		}
		return p.node(&jsExpr{op: "=", id: string(c) + "=", kids: []*jsExpr{e, {op: "lit", v: numVal(1)}}})
	}
	switch c {
	case '-', '~', '+', '!':
		p.pos++
		if !p.deeper() {
			return nil, false
		}
		e, ok := p.unary()
		p.depth--
		if !ok {
			return nil, false
		}
		return p.node(constFolded(&jsExpr{op: "u" + string(c), kids: []*jsExpr{e}}))
	}
	e, ok := p.primary()
	for ok {
		p.pos = skipJSSpace(p.s, p.pos)
		if p.pos >= len(p.s) {
			return e, true
		}
		switch p.s[p.pos] {
		case '[':
			p.pos++
			k, ok2 := p.nested()
			p.pos = skipJSSpace(p.s, p.pos)
			if !ok2 || p.pos >= len(p.s) || p.s[p.pos] != ']' {
				return nil, false
			}
			p.pos++
			e, ok = p.node(&jsExpr{op: "[]", kids: []*jsExpr{e, k}})
		case '.':
			if strings.HasPrefix(p.s[p.pos:], "...") {
				return e, true
			}
			name, end := identAt(p.s, skipJSSpace(p.s, p.pos+1))
			if name == "" {
				return nil, false
			}
			p.pos = end
			e, ok = p.node(&jsExpr{op: ".", id: name, kids: []*jsExpr{e}})
		case '(':
			if e.op == "[]" && e.kids[1].op == "lit" && e.kids[1].v.kind == 's' {
				// a['push'](x): a method named by a literal, as a.push(x)
				e = &jsExpr{op: ".", id: e.kids[1].v.s, kids: e.kids[:1]}
			}
			if e.op != "." && e.op != "id" && e.op != "func" && e.op != "[]" {
				return e, true
			}
			p.pos++
			call := &jsExpr{op: "call", kids: []*jsExpr{e}}
			for {
				p.pos = skipJSSpace(p.s, p.pos)
				if p.pos < len(p.s) && p.s[p.pos] == ')' {
					p.pos++
					break
				}
				if len(call.kids) > 16 {
					return nil, false
				}
				spread := strings.HasPrefix(p.s[p.pos:], "...")
				if spread {
					p.pos += 3
				}
				a, ok2 := p.nested()
				if !ok2 {
					return nil, false
				}
				if spread {
					a = &jsExpr{op: "...", kids: []*jsExpr{a}}
				}
				call.kids = append(call.kids, a)
				p.pos = skipJSSpace(p.s, p.pos)
				if p.pos < len(p.s) && p.s[p.pos] == ',' {
					p.pos++
				} else if p.pos >= len(p.s) || p.s[p.pos] != ')' {
					return nil, false
				}
			}
			e, ok = p.node(call)
		case '+', '-':
			c := p.s[p.pos]
			if !p.free || e.op != "id" || !strings.HasPrefix(p.s[p.pos:], string([]byte{c, c})) {
				return e, true
			}
			p.pos += 2
			e, ok = p.node(&jsExpr{op: "post", id: string(c), kids: []*jsExpr{e}})
		default:
			return e, true
		}
	}
	return nil, false
}

// jsGlobals are the global names an expression may use without free names:
// the functions and namespaces of builtinCall.
var jsGlobals = set("String", "Math", "Number", "Array", "Object", "JSON", "parseInt", "atob", "btoa", "unescape", "escape",
	"decodeURIComponent", "decodeURI", "encodeURIComponent", "window", "self", "globalThis", "Boolean", "RegExp")

// jsKeywords are words that are not names.
var jsKeywords = set("var", "let", "const", "if", "else", "for", "while", "do", "return", "break", "continue",
	"function", "new", "this", "typeof", "delete", "in", "of", "instanceof", "void", "class", "switch",
	"case", "default", "try", "catch", "finally", "throw", "yield", "await", "async", "with", "debugger")

func (p *exprParser) primary() (*jsExpr, bool) {
	s, i := p.s, p.pos
	switch c := s[i]; {
	case c == '(':
		if p.free {
			if f, end, ok := p.function(i); ok {
				p.pos = end
				return p.node(&jsExpr{op: "func", fn: f})
			}
		}
		p.pos++
		e, ok := p.nested()
		for p.pos = skipJSSpace(s, p.pos); ok && p.free && p.pos < len(s) && s[p.pos] == ','; p.pos = skipJSSpace(s, p.pos) {
			// (a = 1, b++ % 4): a sequence, worth its last value
			p.pos++
			var r *jsExpr
			if r, ok = p.nested(); ok {
				e, ok = p.node(&jsExpr{op: ",", kids: []*jsExpr{e, r}})
			}
		}
		if !ok || p.pos >= len(s) || s[p.pos] != ')' {
			return nil, false
		}
		p.pos++
		return e, true
	case c == '"' || c == '\'' || c >= '0' && c <= '9' || c == '[' && !p.free:
		v, end, ok := literalValue(s, i, p.steps)
		if !ok {
			return nil, false
		}
		p.pos = end
		e := &jsExpr{op: "lit", v: v}
		if v.kind == 's' {
			e.runes = []rune(v.s)
		}
		return p.node(e)
	case c == '[':
		if v, end, ok := literalValue(s, i, p.steps); ok { // cheap to evaluate often
			p.pos = end
			return p.node(&jsExpr{op: "lit", v: v})
		}
		p.pos++
		e := &jsExpr{op: "arr"}
		for {
			p.pos = skipJSSpace(s, p.pos)
			if p.pos < len(s) && s[p.pos] == ']' {
				p.pos++
				return p.node(e)
			}
			k, ok := p.nested()
			if !ok {
				return nil, false
			}
			e.kids = append(e.kids, k)
			p.pos = skipJSSpace(s, p.pos)
			if p.pos < len(s) && s[p.pos] == ',' {
				p.pos++
			} else if p.pos >= len(s) || s[p.pos] != ']' {
				return nil, false
			}
		}
	case c == '{' && p.free:
		return p.object()
	case c == '`' && p.free:
		return p.template()
	case c == '/' && p.free:
		lit, end, ok := regexLiteral(s, i)
		if !ok {
			return nil, false
		}
		p.pos = end
		return p.node(&jsExpr{op: "re", v: strVal(lit)})
	}
	name, j := identAt(s, i)
	if name == "" {
		return nil, false
	}
	switch {
	case name == "true" || name == "false":
		p.pos = j
		return p.node(&jsExpr{op: "lit", v: boolVal(name == "true")})
	case name == "null" || name == "undefined":
		p.pos = j // the same to folding: neither prints nor computes
		return p.node(&jsExpr{op: "lit", v: jsVal{kind: 'u'}})
	case name == "this" && p.free:
		p.pos = j
		return p.node(&jsExpr{op: "id", id: name})
	case name == "new" && p.free:
		return p.construct(j)
	case name == "function" && p.free:
		f, end, ok := p.function(i)
		if !ok {
			return nil, false
		}
		p.pos = end
		return p.node(&jsExpr{op: "func", fn: f})
	case jsKeywords[name]:
		return nil, false
	}
	if k := slices.Index(p.names, name); k >= 0 {
		p.pos = j
		return p.node(&jsExpr{op: "name", name: k})
	}
	if p.free {
		if f, end, ok := p.function(i); ok { // x => ...
			p.pos = end
			return p.node(&jsExpr{op: "func", fn: f})
		}
	}
	if p.free || jsGlobals[name] {
		p.pos = j
		return p.node(&jsExpr{op: "id", id: name})
	}
	return nil, false
}

// construct reads the rest of new F(args) or new F from j: F a name or
// names joined by dots (new RegExp(...), new window.Decoder(...)).
func (p *exprParser) construct(j int) (*jsExpr, bool) {
	p.pos = skipJSSpace(p.s, j)
	name, end := identAt(p.s, p.pos)
	if name == "" || jsKeywords[name] && name != "this" {
		return nil, false
	}
	callee, ok := p.node(&jsExpr{op: "id", id: name})
	for p.pos = skipJSSpace(p.s, end); ok && p.pos < len(p.s) && p.s[p.pos] == '.'; p.pos = skipJSSpace(p.s, p.pos) {
		if name, end = identAt(p.s, skipJSSpace(p.s, p.pos+1)); name == "" {
			return nil, false
		}
		p.pos = end
		callee, ok = p.node(&jsExpr{op: ".", id: name, kids: []*jsExpr{callee}})
	}
	e := &jsExpr{op: "new", kids: []*jsExpr{callee}}
	if !ok || p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return p.node(e)
	}
	p.pos++
	for len(e.kids) <= 16 {
		p.pos = skipJSSpace(p.s, p.pos)
		if p.pos < len(p.s) && p.s[p.pos] == ')' {
			p.pos++
			return p.node(e)
		}
		a, ok := p.nested()
		if !ok {
			return nil, false
		}
		e.kids = append(e.kids, a)
		if p.pos = skipJSSpace(p.s, p.pos); p.pos < len(p.s) && p.s[p.pos] == ',' {
			p.pos++
		} else if p.pos >= len(p.s) || p.s[p.pos] != ')' {
			return nil, false
		}
	}
	return nil, false
}

// object reads an object literal: keys (names, strings, numbers) with
// values, shorthand names; not methods, spreads or computed keys.
func (p *exprParser) object() (*jsExpr, bool) {
	s := p.s
	p.pos++
	e := &jsExpr{op: "obj"}
	for {
		p.pos = skipJSSpace(s, p.pos)
		if p.pos >= len(s) {
			return nil, false
		}
		if s[p.pos] == '}' {
			p.pos++
			return p.node(e)
		}
		var key string
		if isQuote(s[p.pos]) {
			end := quotedEnd(s, p.pos)
			if end >= len(s) || s[end] != s[p.pos] {
				return nil, false
			}
			key, p.pos = jsUnquote(s[p.pos:end+1]), end+1
		} else {
			j := p.pos
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			if j == p.pos {
				return nil, false
			}
			key, p.pos = s[p.pos:j], j
		}
		p.pos = skipJSSpace(s, p.pos)
		var v *jsExpr
		if p.pos < len(s) && s[p.pos] == ':' {
			p.pos++
			var ok bool
			if v, ok = p.nested(); !ok {
				return nil, false
			}
		} else if identOnly(key) {
			v = &jsExpr{op: "id", id: key}
		} else {
			return nil, false
		}
		e.keys, e.kids = append(e.keys, key), append(e.kids, v)
		p.pos = skipJSSpace(s, p.pos)
		if p.pos < len(s) && s[p.pos] == ',' {
			p.pos++
		} else if p.pos >= len(s) || s[p.pos] != '}' {
			return nil, false
		}
	}
}

func identOnly(s string) bool {
	n, end := identAt(s, 0)
	return n != "" && end == len(s)
}

// template reads a template literal whose ${} hold expressions.
func (p *exprParser) template() (*jsExpr, bool) {
	s := p.s
	e := &jsExpr{op: "tpl"}
	start := p.pos + 1
	for j := start; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '`':
			e.keys = append(e.keys, jsUnquote("`"+s[start:j]+"`"))
			p.pos = j + 1
			return p.node(e)
		case '$':
			if j+1 < len(s) && s[j+1] == '{' {
				e.keys = append(e.keys, jsUnquote("`"+s[start:j]+"`"))
				p.pos = j + 2
				k, ok := p.nested()
				p.pos = skipJSSpace(s, p.pos)
				if !ok || p.pos >= len(s) || s[p.pos] != '}' {
					return nil, false
				}
				e.kids = append(e.kids, k)
				start = p.pos + 1
				j = p.pos
			}
		}
	}
	return nil, false
}

// jsFuncDef is a function: its parameters and its body, statements or
// (an arrow's) one expression.
type jsFuncDef struct {
	params []string
	body   []*jsStmt
	expr   *jsExpr
	src    string // the function as written, which its toString gives
}

// function reads `function name?(a, b) {...}`, `(a, b) => ...` or `a =>
// ...` at i.
func (p *exprParser) function(i int) (*jsFuncDef, int, bool) {
	s := p.s
	f := &jsFuncDef{}
	j := i
	arrow := true
	if strings.HasPrefix(s[j:], "function") && (j+8 >= len(s) || !isIdentByte(s[j+8])) {
		arrow = false
		j = skipJSSpace(s, j+8)
		if _, end := identAt(s, j); end > j {
			j = skipJSSpace(s, end)
		}
	}
	if j < len(s) && s[j] == '(' {
		j = skipJSSpace(s, j+1)
		for j < len(s) && s[j] != ')' {
			name, end := identAt(s, j)
			if name == "" || jsKeywords[name] || len(f.params) >= 8 {
				return nil, 0, false
			}
			f.params = append(f.params, name)
			if j = skipJSSpace(s, end); j < len(s) && s[j] == ',' {
				j = skipJSSpace(s, j+1)
			}
		}
		if j >= len(s) {
			return nil, 0, false
		}
		j++
	} else if name, end := identAt(s, j); arrow && name != "" && !jsKeywords[name] {
		f.params, j = []string{name}, end
	} else {
		return nil, 0, false
	}
	j = skipJSSpace(s, j)
	if arrow {
		if !strings.HasPrefix(s[j:], "=>") {
			return nil, 0, false
		}
		j = skipJSSpace(s, j+2)
		if j < len(s) && s[j] != '{' {
			q := &exprParser{s: s, pos: j, steps: p.steps, free: true, depth: p.depth, nodes: p.nodes}
			e, ok := q.nested()
			p.nodes = q.nodes
			if !ok {
				return nil, 0, false
			}
			return &jsFuncDef{params: f.params, expr: e, src: s[i:q.pos]}, q.pos, true
		}
	}
	if j >= len(s) || s[j] != '{' {
		return nil, 0, false
	}
	q := &stmtParser{exprParser{s: s, pos: j, steps: p.steps, free: true, depth: p.depth, nodes: p.nodes}}
	body, ok := q.block()
	p.nodes = q.nodes
	if !ok {
		return nil, 0, false
	}
	f.body, f.src = body, s[i:q.pos]
	return f, q.pos, true
}

// eval computes e in env; false where the browser would get something
// folding does not compute (NaN, undefined in arithmetic, a value read
// from the page) or the budget is spent.
func (e *jsExpr) eval(env *exprEnv) (jsVal, bool) {
	if env.rt != nil {
		if *env.rt.steps--; *env.rt.steps <= 0 {
			return jsVal{}, false
		}
	}
	switch e.op {
	case "lit":
		return e.v, true
	case "name":
		if e.name >= len(env.vals) {
			return jsVal{}, false
		}
		return env.vals[e.name], true
	case "id":
		return env.lookup(e.id)
	case "re":
		return jsVal{}, false // only as replace's or split's argument
	case "func":
		return jsVal{kind: 'f', fn: &jsClosure{def: e.fn, sc: env.scope()}}, true
	case "arr", "obj":
		w := jsVal{kind: e.op[0], keys: e.keys}
		if e.op == "obj" {
			w.kind = 'o'
		}
		for _, k := range e.kids {
			v, ok := k.eval(env)
			if !ok {
				return jsVal{}, false
			}
			w.a = append(w.a, v)
		}
		return w, true
	case "tpl":
		var sb strings.Builder
		for i, t := range e.keys {
			sb.WriteString(t)
			if i < len(e.kids) {
				v, ok := e.kids[i].eval(env)
				if !ok || !v.printable() {
					return jsVal{}, false
				}
				sb.WriteString(v.str())
			}
			if sb.Len() > maxFolded {
				return jsVal{}, false
			}
		}
		return strVal(sb.String()), true
	case "?":
		c, ok := e.kids[0].eval(env)
		if !ok {
			return jsVal{}, false
		}
		if c.truthy() {
			return e.kids[1].eval(env)
		}
		return e.kids[2].eval(env)
	case ",":
		if _, ok := e.kids[0].eval(env); !ok {
			return jsVal{}, false
		}
		return e.kids[1].eval(env)
	case "&&", "||":
		a, ok := e.kids[0].eval(env)
		if !ok || a.truthy() == (e.op == "||") {
			return a, ok
		}
		return e.kids[1].eval(env)
	case "=", "post":
		return env.assign(e)
	case "call":
		return env.call(e)
	case "new":
		return env.construct(e)
	case ".":
		a, ok := e.kids[0].eval(env)
		if !ok {
			return jsVal{}, false
		}
		if r := e.kids[0].runes; r != nil && e.id == "length" {
			return numVal(int64(len(r))), true
		}
		return member(a, e.id)
	}
	var args [2]jsVal
	for i, k := range e.kids {
		v, ok := k.eval(env)
		if !ok {
			return jsVal{}, false
		}
		args[i] = v
	}
	a, b := args[0], args[1]
	switch e.op {
	case "u!":
		return boolVal(!a.truthy()), true
	case "u-", "u~", "u+":
		x, ok := a.number()
		if !ok {
			return jsVal{}, false
		}
		switch e.op {
		case "u-":
			return floatVal(-x), true
		case "u~":
			return numVal(int64(^toInt32(x))), true
		}
		return floatVal(x), true
	case "[]":
		if r := e.kids[0].runes; r != nil { // a literal string
			if b.kind != 'n' || b.n < 0 || b.n >= int64(len(r)) {
				return jsVal{}, false
			}
			return strVal(string(r[b.n])), true
		}
		if b.kind == 's' {
			return member(a, b.s)
		}
		if b.kind != 'n' {
			return jsVal{}, false
		}
		if a.kind == 'o' || a.kind == 'f' { // o[3] is o["3"]
			return member(a, strconv.FormatInt(b.n, 10))
		}
		if a.kind == 'a' && b.n >= int64(len(a.a)) {
			return jsVal{kind: 'u'}, true // a flattened loop's order read past its end
		}
		return index(a, b.n)
	case "===", "!==", "==", "!=":
		eq, ok := equal(a, b, len(e.op) == 2)
		return boolVal(eq == (e.op[0] == '=')), ok
	case "<", "<=", ">", ">=":
		var less, same bool
		if a.kind == 's' && b.kind == 's' {
			less, same = a.s < b.s, a.s == b.s
		} else {
			x, ok1 := a.number()
			y, ok2 := b.number()
			if !ok1 || !ok2 {
				return jsVal{}, false
			}
			less, same = x < y, x == y
		}
		switch e.op {
		case "<":
			return boolVal(less), true
		case "<=":
			return boolVal(less || same), true
		case ">":
			return boolVal(!less && !same), true
		}
		return boolVal(!less), true
	case "+":
		if a.kind == 's' || b.kind == 's' || a.kind == 'a' || b.kind == 'a' {
			if !a.printable() || !b.printable() {
				return jsVal{}, false
			}
			x, y := a.str(), b.str()
			if len(x)+len(y) > maxFolded {
				return jsVal{}, false
			}
			if env.rt != nil {
				*env.rt.steps -= (len(x) + len(y)) / 64
			}
			return strVal(x + y), true
		}
	}
	return arith(e.op, a, b)
}

// arith is the number a op b.
func arith(op string, a, b jsVal) (jsVal, bool) {
	if a.kind == 'n' && b.kind == 'n' {
		x, y := a.n, b.n
		switch op {
		case "+":
			return checked(x + y)
		case "-":
			return checked(x - y)
		case "*":
			if x != 0 && (y > 1<<53 || y < -(1<<53) || abs64(x) > (1<<53)/max(abs64(y), 1)) {
				break
			}
			return checked(x * y)
		case "%":
			if y == 0 {
				return jsVal{}, false
			}
			return numVal(x % y), true
		case "/":
			if y != 0 && x%y == 0 {
				return numVal(x / y), true
			}
		}
	}
	x, ok1 := a.number()
	y, ok2 := b.number()
	if !ok1 || !ok2 {
		if strings.Contains("-*/%", op) && strings.IndexByte("snbdu", a.kind) >= 0 && strings.IndexByte("snbdu", b.kind) >= 0 {
			// NaN, as the browser computes it: a wrapper passes
			// 'key' - 0x107 to a parameter its decoder never reads.
			// It prints nowhere and equals nothing.
			return jsVal{kind: 'd', d: math.NaN()}, true
		}
		return jsVal{}, false
	}
	switch op {
	case "+":
		return floatVal(x + y), true
	case "-":
		return floatVal(x - y), true
	case "*":
		return floatVal(x * y), true
	case "/":
		if y == 0 {
			return jsVal{}, false
		}
		return floatVal(x / y), true
	case "%":
		if y == 0 {
			return jsVal{}, false
		}
		return floatVal(math.Mod(x, y)), true
	case "&":
		return numVal(int64(toInt32(x) & toInt32(y))), true
	case "|":
		return numVal(int64(toInt32(x) | toInt32(y))), true
	case "^":
		return numVal(int64(toInt32(x) ^ toInt32(y))), true
	case "<<":
		return numVal(int64(toInt32(x) << (uint32(toInt32(y)) & 31))), true
	case ">>":
		return numVal(int64(toInt32(x) >> (uint32(toInt32(y)) & 31))), true
	case ">>>":
		return numVal(int64(uint32(toInt32(x)) >> (uint32(toInt32(y)) & 31))), true
	}
	return jsVal{}, false
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// checked is the whole number r, false past what a double holds exactly.
func checked(r int64) (jsVal, bool) {
	if r > 1<<53 || r < -(1<<53) {
		return jsVal{}, false
	}
	return numVal(r), true
}

// toInt32 is JavaScript's ToInt32 of a finite number.
func toInt32(x float64) int32 {
	return int32(uint32(int64(math.Mod(math.Trunc(x), 1<<32))))
}

// equal is a === b (strict) or a == b; false for values folding does not
// compare (objects, functions).
func equal(a, b jsVal, loose bool) (bool, bool) {
	if loose && (a.kind == 's') != (b.kind == 's') {
		x, ok1 := a.number()
		y, ok2 := b.number()
		return x == y, ok1 && ok2
	}
	switch {
	case a.isNum() && b.isNum():
		x, _ := a.number()
		y, _ := b.number()
		return x == y, true
	case a.kind != b.kind:
		return false, a.kind != 'o' && a.kind != 'a' && b.kind != 'o' && b.kind != 'a'
	case a.kind == 's':
		return a.s == b.s, true
	case a.kind == 'b':
		return a.n == b.n, true
	case a.kind == 'u':
		return true, true
	}
	return false, false
}

// member is the property name of v: a string's or array's length, an
// object's key.
func member(v jsVal, name string) (jsVal, bool) {
	switch {
	case name == "length" && v.kind == 's':
		return numVal(int64(utf8.RuneCountInString(v.s))), true
	case name == "length" && v.kind == 'a':
		return numVal(int64(len(v.a))), true
	case v.kind == 'o' || v.kind == 'f':
		if k := slices.Index(v.keys, name); k >= 0 {
			return v.a[k], true
		}
		if v.kind == 'f' && name == "prototype" {
			return jsVal{kind: 'o'}, true // kept on the function when a method is set on it
		}
		return jsVal{kind: 'u'}, true
	case v.kind == 'g':
		if v.s == "window" || v.s == "self" || v.s == "globalThis" {
			if jsGlobals[name] {
				return jsVal{kind: 'g', s: name}, true
			}
			return jsVal{}, false
		}
		return jsVal{kind: 'g', s: v.s + "." + name}, true
	case v.kind == 's' || v.kind == 'a':
		if n, err := strconv.ParseInt(name, 10, 64); err == nil {
			return index(v, n)
		}
	}
	return jsVal{}, false
}

// lookup is the value of the name: a variable, a function the script
// declares, or a global.
func (env *exprEnv) lookup(name string) (jsVal, bool) {
	if sc := env.sc.find(name); sc != nil {
		return sc.vars[name], true
	}
	if env.rt != nil {
		if f := env.rt.funcs[name]; f != nil {
			return jsVal{kind: 'f', fn: &jsClosure{def: f, sc: nil}}, true
		}
	}
	if jsGlobals[name] {
		return jsVal{kind: 'g', s: name}, true
	}
	return jsVal{}, false
}

// scope is the scope a function created here closes over: the variables
// of the code, or the names of a map function.
func (env *exprEnv) scope() *jsScope {
	if len(env.names) == 0 {
		return env.sc
	}
	sc := newScope(env.sc)
	for i, n := range env.names {
		if i < len(env.vals) {
			sc.vars[n] = env.vals[i]
		}
	}
	return sc
}

// assign evaluates an assignment, x++ or x--, to a variable or an element
// or property of one.
func (env *exprEnv) assign(e *jsExpr) (jsVal, bool) {
	t := e.kids[0]
	old, ok := t.eval(env)
	if !ok && e.id != "=" {
		return jsVal{}, false
	}
	var v jsVal
	switch e.op {
	case "post":
		n, ok := old.number()
		if !ok {
			return jsVal{}, false
		}
		v = floatVal(n + 1)
		if e.id == "-" {
			v = floatVal(n - 1)
		}
		old = floatVal(n)
	default:
		r, ok := e.kids[1].eval(env)
		if !ok {
			return jsVal{}, false
		}
		if e.id == "=" {
			v = r
		} else {
			op := strings.TrimSuffix(e.id, "=")
			if op == "+" && (old.kind == 's' || r.kind == 's') {
				x, y := old.str(), r.str()
				if !old.printable() || !r.printable() || len(x)+len(y) > maxFolded {
					return jsVal{}, false
				}
				*env.rt.steps -= (len(x) + len(y)) / 64 // the copy a string append makes
				v = strVal(x + y)
			} else if v, ok = arith(op, old, r); !ok {
				return jsVal{}, false
			}
		}
		old = v
	}
	if !env.store(t, v) {
		return jsVal{}, false
	}
	return old, true
}

// maxObjectKeys bounds the properties of an object the code builds.
const maxObjectKeys = 4096

// store sets the variable, element or property t to v.
func (env *exprEnv) store(t *jsExpr, v jsVal) bool {
	switch t.op {
	case "id":
		sc := env.sc.find(t.id)
		if sc == nil {
			return false
		}
		sc.vars[t.id] = v
		return true
	case "[]", ".":
		o, ok := t.kids[0].eval(env)
		if !ok {
			return false
		}
		key := jsVal{kind: 's', s: t.id}
		if t.op == "[]" {
			if key, ok = t.kids[1].eval(env); !ok {
				return false
			}
			if key.kind == 'n' && (o.kind == 'o' || o.kind == 'f') {
				key = strVal(strconv.FormatInt(key.n, 10))
			}
		}
		switch {
		case o.kind == 'a' && key.kind == 'n' && key.n >= 0 && key.n <= int64(len(o.a)) && key.n < maxFoldedItems:
			// An array is copied at its first change, and changed in place
			// after: its elements may be a parsed literal's, but a copy
			// is the run's own (a decoder's RC4 state is set 1000 times).
			if !o.own {
				o.a, o.own = slices.Clone(o.a), true
			}
			if key.n == int64(len(o.a)) {
				o.a = append(o.a, v)
			} else {
				o.a[key.n] = v
			}
		case (o.kind == 'o' || o.kind == 'f') && key.kind == 's':
			// (a decoder's cache holds an entry for each string of a page)
			if !o.own { // copied at its first change, as an array is
				o.keys, o.a, o.own = slices.Clone(o.keys), slices.Clone(o.a), true
			}
			if k := slices.Index(o.keys, key.s); k >= 0 {
				o.a[k] = v
			} else if len(o.keys) < maxObjectKeys {
				o.keys, o.a = append(o.keys, key.s), append(o.a, v)
			} else {
				return false
			}
		default:
			return false
		}
		return env.store(t.kids[0], o)
	}
	return false
}

// call evaluates a call: of a method of a value, of a global function,
// or of a function the script declares.
func (env *exprEnv) call(e *jsExpr) (jsVal, bool) {
	callee := e.kids[0]
	var args []jsVal
	var re *jsExpr
	for _, k := range e.kids[1:] {
		if k.op == "re" && re == nil && len(args) == 0 {
			re = k
			args = append(args, jsVal{})
			continue
		}
		v, ok := k.kids0Eval(env)
		if !ok {
			return jsVal{}, false
		}
		if k.op == "..." {
			if v.kind != 'a' {
				return jsVal{}, false
			}
			args = append(args, v.a...)
			continue
		}
		args = append(args, v)
	}
	if len(args) > maxFolded {
		return jsVal{}, false
	}
	if callee.op != "." {
		f, ok := callee.eval(env)
		if !ok {
			return jsVal{}, false
		}
		switch f.kind {
		case 'f':
			return env.rt.callFunc(f.fn, args)
		case 'g':
			return env.builtin(f.s, args)
		}
		return jsVal{}, false
	}
	recv, ok := callee.kids[0].eval(env)
	if !ok {
		return jsVal{}, false
	}
	name := callee.id
	if r := callee.kids[0].runes; r != nil && (name == "charCodeAt" || name == "charAt") {
		// a literal string read character by character
		k := int64(0)
		if len(args) > 0 {
			if args[0].kind != 'n' {
				return jsVal{}, false
			}
			k = args[0].n
		}
		if k < 0 || k >= int64(len(r)) {
			if name == "charAt" {
				return strVal(""), true
			}
			return jsVal{}, false
		}
		if name == "charAt" {
			return strVal(string(r[k])), true
		}
		return numVal(int64(r[k])), true
	}
	switch recv.kind {
	case 'g':
		return env.builtin(recv.s+"."+name, args)
	case 'f': // a function the script keeps in a property of another
		if name == "toString" && recv.fn.def != nil && recv.fn.def.src != "" {
			return strVal(recv.fn.def.src), true
		}
		if f, ok := member(recv, name); ok && f.kind == 'f' {
			return env.rt.callFunc(f.fn, args) // this: not kept for a function's properties
		}
		return jsVal{}, false
	case 'o': // a method: what it does to this is not kept
		if f, ok := member(recv, name); ok && f.kind == 'f' {
			return env.rt.callWith(f.fn, &recv, args)
		}
		return jsVal{}, false
	case 'r':
		if name != "test" || len(args) != 1 || !args[0].printable() {
			return jsVal{}, false
		}
		cre, _, ok := jsRegexp(recv.s)
		t := args[0].str()
		if *env.rt.steps -= 1024 + len(t)*len(recv.s); !ok || *env.rt.steps <= 0 {
			return jsVal{}, false
		}
		return boolVal(cre.MatchString(t)), true
	}
	if re != nil {
		if name != "replace" && name != "replaceAll" || len(args) != 2 {
			return jsVal{}, false
		}
		cre, global, ok := jsRegexp(re.v.s)
		if *env.rt.steps -= 1024 + len(recv.s)*len(re.v.s); !ok || *env.rt.steps <= 0 {
			return jsVal{}, false
		}
		w, ok := applyMethod(recv, name, args, cre, global)
		return w, ok && len(w.s) <= maxFolded
	}
	*env.rt.steps -= len(recv.s) + len(recv.a)
	if w, ok, done := env.method(callee, recv, name, args); done {
		return w, ok
	}
	w, ok := applyMethod(recv, name, args, nil, false)
	if !ok || w.kind == 's' && len(w.s) > maxFolded || w.kind == 'a' && len(w.a) > maxFoldedItems {
		return jsVal{}, false
	}
	return w, true
}

// construct evaluates new F(args): of RegExp, a regular expression; of a
// function the script declares, the object its code makes of this, with
// the methods its prototype holds.
func (env *exprEnv) construct(e *jsExpr) (jsVal, bool) {
	f, ok := e.kids[0].eval(env)
	if !ok {
		return jsVal{}, false
	}
	var args []jsVal
	for _, k := range e.kids[1:] {
		v, ok := k.eval(env)
		if !ok {
			return jsVal{}, false
		}
		args = append(args, v)
	}
	switch {
	case f.kind == 'g' && f.s == "RegExp":
		if len(args) == 0 || args[0].kind != 's' || len(args) > 1 && args[1].kind != 's' {
			return jsVal{}, false
		}
		lit := "/" + args[0].s + "/"
		if len(args) > 1 {
			lit += args[1].s
		}
		if _, _, ok := jsRegexp(lit); !ok {
			return jsVal{}, false
		}
		return jsVal{kind: 'r', s: lit}, true
	case f.kind == 'f' && f.fn.native == nil:
		this := jsVal{kind: 'o'}
		if proto, _ := member(f, "prototype"); proto.kind == 'o' {
			this.keys, this.a = slices.Clone(proto.keys), slices.Clone(proto.a)
		}
		r, ok := env.rt.callWith(f.fn, &this, args)
		if !ok {
			return jsVal{}, false
		}
		if r.kind == 'o' {
			return r, true
		}
		return this, true
	}
	return jsVal{}, false
}

// kids0Eval evaluates an argument, a spread's array included.
func (e *jsExpr) kids0Eval(env *exprEnv) (jsVal, bool) {
	if e.op == "..." {
		return e.kids[0].eval(env)
	}
	return e.eval(env)
}

// method applies the methods applyMethod does not: those that take a
// function (map, reduce, filter, forEach), that change an array (push),
// and those of numbers (toString with a radix); done is false for others.
func (env *exprEnv) method(callee *jsExpr, recv jsVal, name string, args []jsVal) (w jsVal, ok, done bool) {
	switch name {
	case "map", "filter", "forEach", "reduce":
		if recv.kind == 's' || recv.kind != 'a' || len(args) == 0 || args[0].kind != 'f' {
			return jsVal{}, false, true
		}
		out := jsVal{kind: 'a'}
		acc, k0 := jsVal{}, 0
		if name == "reduce" {
			if len(args) > 1 {
				acc = args[1]
			} else if len(recv.a) > 0 {
				acc, k0 = recv.a[0], 1
			} else {
				return jsVal{}, false, true
			}
		}
		for k := k0; k < len(recv.a); k++ {
			in := []jsVal{recv.a[k], numVal(int64(k))}
			if name == "reduce" {
				in = []jsVal{acc, recv.a[k], numVal(int64(k))}
			}
			r, ok := env.rt.callFunc(args[0].fn, in)
			if !ok {
				return jsVal{}, false, true
			}
			switch name {
			case "map":
				out.a = append(out.a, r)
			case "filter":
				if r.truthy() {
					out.a = append(out.a, recv.a[k])
				}
			case "reduce":
				acc = r
			}
		}
		switch name {
		case "reduce":
			return acc, true, true
		case "forEach":
			return jsVal{kind: 'u'}, true, true
		}
		return out, true, true
	case "push", "unshift":
		if recv.kind != 'a' || len(recv.a)+len(args) > maxFoldedItems {
			return jsVal{}, false, true
		}
		a := slices.Clone(recv.a)
		if name == "push" {
			a = append(a, args...)
		} else {
			a = append(slices.Clone(args), a...)
		}
		if !env.store(callee.kids[0], jsVal{kind: 'a', a: a}) {
			return jsVal{}, false, true
		}
		return numVal(int64(len(a))), true, true
	case "toString", "toFixed":
		if !recv.isNum() {
			return jsVal{}, false, false
		}
		x, _ := recv.number()
		radix := int64(10)
		if len(args) == 1 && args[0].kind == 'n' {
			radix = args[0].n
		}
		if name == "toFixed" || radix < 2 || radix > 36 || x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return jsVal{}, false, true
		}
		return strVal(strconv.FormatInt(int64(x), int(radix))), true, true
	case "padStart", "padEnd":
		if recv.kind != 's' || len(args) == 0 || args[0].kind != 'n' || len(args) > 1 && args[1].kind != 's' {
			return jsVal{}, false, true
		}
		fill := " "
		if len(args) > 1 {
			fill = args[1].s
		}
		n := utf8.RuneCountInString(recv.s)
		if args[0].n <= int64(n) || fill == "" {
			return recv, true, true
		}
		if args[0].n > maxFolded {
			return jsVal{}, false, true
		}
		pad := []rune(strings.Repeat(fill, int(args[0].n)))[:int(args[0].n)-n]
		if name == "padStart" {
			return strVal(string(pad) + recv.s), true, true
		}
		return strVal(recv.s + string(pad)), true, true
	case "repeat":
		if recv.kind != 's' || len(args) != 1 || args[0].kind != 'n' || args[0].n < 0 || int64(len(recv.s))*args[0].n > maxFolded {
			return jsVal{}, false, true
		}
		return strVal(strings.Repeat(recv.s, int(args[0].n))), true, true
	case "indexOf", "includes", "startsWith", "endsWith":
		if recv.kind != 's' || len(args) != 1 || args[0].kind != 's' {
			return jsVal{}, false, true
		}
		switch name {
		case "includes":
			return boolVal(strings.Contains(recv.s, args[0].s)), true, true
		case "startsWith":
			return boolVal(strings.HasPrefix(recv.s, args[0].s)), true, true
		case "endsWith":
			return boolVal(strings.HasSuffix(recv.s, args[0].s)), true, true
		}
		k := strings.Index(recv.s, args[0].s)
		if k > 0 {
			k = utf8.RuneCountInString(recv.s[:k])
		}
		return numVal(int64(k)), true, true
	case "charCodeAt":
		k := int64(0)
		if len(args) > 0 {
			if args[0].kind != 'n' {
				return jsVal{}, false, true
			}
			k = args[0].n
		}
		c, ok := index(recv, k)
		if !ok || c.kind != 's' {
			return jsVal{}, false, true
		}
		r, _ := utf8.DecodeRuneInString(c.s)
		return numVal(int64(r)), true, true
	}
	return jsVal{}, false, false
}

// builtin calls the global function name (String.fromCharCode,
// Math.floor, parseInt, atob, ...).
func (env *exprEnv) builtin(name string, args []jsVal) (jsVal, bool) {
	str1 := func() (string, bool) {
		if len(args) == 0 || !args[0].printable() {
			return "", false
		}
		return args[0].str(), true
	}
	if base, ok := strings.CutSuffix(name, ".apply"); ok && len(args) == 2 && args[1].kind == 'a' {
		return env.builtin(base, args[1].a) // String.fromCharCode.apply(null, codes)
	}
	if base, ok := strings.CutSuffix(name, ".call"); ok && len(args) > 0 {
		return env.builtin(base, args[1:])
	}
	switch name {
	case "String.fromCharCode":
		*env.rt.steps -= len(args)
		return charsOf(args)
	case "String":
		s, ok := str1()
		return strVal(s), ok
	case "Boolean":
		return boolVal(len(args) > 0 && args[0].truthy()), true
	case "Number":
		if len(args) == 0 {
			return numVal(0), true
		}
		x, ok := args[0].number()
		return floatVal(x), ok
	case "parseInt":
		s, ok := str1()
		if !ok {
			return jsVal{}, false
		}
		radix := int64(10)
		if len(args) > 1 && args[1].kind == 'n' && args[1].n != 0 {
			radix = args[1].n
		}
		return parseIntJS(s, radix)
	case "Math.floor", "Math.ceil", "Math.round", "Math.trunc", "Math.abs", "Math.sqrt":
		if len(args) != 1 {
			return jsVal{}, false
		}
		x, ok := args[0].number()
		if !ok {
			return jsVal{}, false
		}
		switch name {
		case "Math.floor":
			x = math.Floor(x)
		case "Math.ceil":
			x = math.Ceil(x)
		case "Math.round":
			x = math.Floor(x + 0.5)
		case "Math.trunc":
			x = math.Trunc(x)
		case "Math.abs":
			x = math.Abs(x)
		default:
			if x < 0 {
				return jsVal{}, false
			}
			x = math.Sqrt(x)
		}
		return floatVal(x), true
	case "Math.max", "Math.min", "Math.pow":
		if len(args) == 0 || name == "Math.pow" && len(args) != 2 {
			return jsVal{}, false
		}
		var r float64
		for i, a := range args {
			x, ok := a.number()
			if !ok {
				return jsVal{}, false
			}
			switch {
			case i == 0:
				r = x
			case name == "Math.max":
				r = max(r, x)
			case name == "Math.min":
				r = min(r, x)
			default:
				r = math.Pow(r, x)
			}
		}
		return floatVal(r), !math.IsInf(r, 0) && !math.IsNaN(r)
	case "atob", "unescape", "escape", "decodeURIComponent", "decodeURI", "btoa", "encodeURIComponent":
		s, ok := str1()
		if !ok {
			return jsVal{}, false
		}
		*env.rt.steps -= len(s)
		var r string
		switch name {
		case "btoa":
			b := make([]byte, 0, len(s))
			for _, c := range s {
				if c > 0xff {
					return jsVal{}, false
				}
				b = append(b, byte(c))
			}
			r = base64.StdEncoding.EncodeToString(b)
		case "encodeURIComponent":
			r = encodeURIComponentJS(s)
		default:
			if r, ok = jsDecode(name, s); !ok {
				return jsVal{}, false
			}
		}
		return strVal(r), len(r) <= maxFolded
	case "Object.keys", "Object.values":
		if len(args) != 1 || args[0].kind != 'o' {
			return jsVal{}, false
		}
		if name == "Object.values" {
			return jsVal{kind: 'a', a: slices.Clone(args[0].a)}, true
		}
		w := jsVal{kind: 'a'}
		for _, k := range args[0].keys {
			w.a = append(w.a, strVal(k))
		}
		return w, true
	case "JSON.parse":
		s, ok := str1()
		if !ok || len(s) > maxFolded {
			return jsVal{}, false
		}
		*env.rt.steps -= len(s)
		var v any
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		if d.Decode(&v) != nil {
			return jsVal{}, false
		}
		return fromJSON(v, 0)
	case "Array.from":
		if len(args) == 0 {
			return jsVal{}, false
		}
		var w jsVal
		switch a := args[0]; a.kind {
		case 's':
			w = jsVal{kind: 'a'}
			for _, r := range a.s {
				w.a = append(w.a, strVal(string(r)))
			}
		case 'a':
			w = jsVal{kind: 'a', a: slices.Clone(a.a)}
		default:
			return jsVal{}, false
		}
		*env.rt.steps -= len(w.a)
		if len(args) > 1 {
			if args[1].kind != 'f' {
				return jsVal{}, false
			}
			for k, v := range w.a {
				r, ok := env.rt.callFunc(args[1].fn, []jsVal{v, numVal(int64(k))})
				if !ok {
					return jsVal{}, false
				}
				w.a[k] = r
			}
		}
		return w, true
	}
	return jsVal{}, false
}

// fromJSON is the value JSON.parse makes of v (objects' keys in sorted
// order), at most depth 16 deep.
func fromJSON(v any, depth int) (jsVal, bool) {
	if depth > 16 {
		return jsVal{}, false
	}
	switch x := v.(type) {
	case string:
		return strVal(x), true
	case bool:
		return boolVal(x), true
	case nil:
		return jsVal{kind: 'u'}, true
	case json.Number:
		f, err := x.Float64()
		return floatVal(f), err == nil
	case []any:
		w := jsVal{kind: 'a'}
		for _, e := range x {
			e, ok := fromJSON(e, depth+1)
			if !ok {
				return jsVal{}, false
			}
			w.a = append(w.a, e)
		}
		return w, true
	case map[string]any:
		w := jsVal{kind: 'o'}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			e, ok := fromJSON(x[k], depth+1)
			if !ok {
				return jsVal{}, false
			}
			w.keys, w.a = append(w.keys, k), append(w.a, e)
		}
		return w, true
	}
	return jsVal{}, false
}

// parseIntJS is parseInt(s, radix): the longest prefix of digits, after
// spaces, a sign and (radix 16) 0x; false for NaN.
func parseIntJS(s string, radix int64) (jsVal, bool) {
	s = strings.TrimLeft(s, " \t\r\n\f\v")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	if radix == 16 && len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if radix < 2 || radix > 36 {
		return jsVal{}, false
	}
	j := 0
	for j < len(s) && j < 15 {
		d := digitValue(s[j])
		if d < 0 || int64(d) >= radix {
			break
		}
		j++
	}
	n, err := strconv.ParseInt(s[:j], int(radix), 64)
	if j == 0 || err != nil {
		return jsVal{}, false
	}
	if neg {
		n = -n
	}
	return checked(n)
}

func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

// encodeURIComponentJS is encodeURIComponent(s).
func encodeURIComponentJS(s string) string {
	const hexd = "0123456789ABCDEF"
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isIdentByte(c) && c != '$' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			sb.WriteByte(c)
			continue
		}
		sb.WriteByte('%')
		sb.WriteByte(hexd[c>>4])
		sb.WriteByte(hexd[c&15])
	}
	return sb.String()
}
