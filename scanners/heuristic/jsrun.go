package heuristic

import (
	"maps"
	"slices"
	"strings"
)

// Code of several statements, run on constants: decoder functions
// (declarations, for, for-of, while and do-while loops, if, return) called
// with literal arguments, and runs of statements that compute variables
// from literals (a loop at the top of a script). A call is replaced by
// the literal it returns and a run of statements by declarations of the
// values it leaves, so the rest of the normaliser reads them as it reads
// any constant. Nothing outside the code is known: a statement that reads
// the page, the network, the clock or a variable not computed there stops
// the run. Parsing and running spend one budget of steps, calls nest at
// most maxCallDepth deep, and every value keeps folding's bounds.

// maxCallDepth bounds the calls of the code folding runs nested.
const maxCallDepth = 8

// maxRunSteps is the budget of the code run for one script (NormalizeJS
// over all its passes, and again decodeJS's), beside folding's: a step is
// a node parsed or evaluated, a statement or iteration run, or about 64
// bytes of a string built.
const maxRunSteps = 1 << 20

// jsRun is one run's budget and the functions the script declares.
type jsRun struct {
	steps *int
	funcs map[string]*jsFuncDef
	depth int
	// known, when set, holds the script's functions that were found to
	// compute what a Go function does (jsobf.go's decoders).
	known map[*jsFuncDef]*knownFunc
}

func newRun(steps *int) *jsRun { return &jsRun{steps: steps} }

// scriptRun is a run over s: the functions it declares with a body of
// statements, parsed once a pass.
func scriptRun(s string, steps *int) *jsRun {
	rt := newRun(steps)
	if strings.Contains(s, "function") || strings.Contains(s, "=>") {
		rt.funcs = blockFuncs(s, steps)
	}
	return rt
}

// jsClosure is a function value: its code and the scope it was made in.
type jsClosure struct {
	def *jsFuncDef
	sc  *jsScope
	// native, when set, is called instead: a function the normaliser
	// supplies (a decoder whose results it keeps).
	native func(args []jsVal) (jsVal, bool)
}

// jsScope holds the variables of a function call or a run of statements.
type jsScope struct {
	vars   map[string]jsVal
	parent *jsScope
}

func newScope(parent *jsScope) *jsScope { return &jsScope{vars: map[string]jsVal{}, parent: parent} }

// find is the scope that holds name, nil when none does.
func (sc *jsScope) find(name string) *jsScope {
	for ; sc != nil; sc = sc.parent {
		if _, ok := sc.vars[name]; ok {
			return sc
		}
	}
	return nil
}

// jsStmt is a parsed statement.
type jsStmt struct {
	op    string // var expr if for forof while do block return break continue func empty try switch throw
	kind  string // "var": var, let or const
	decls []jsDecl
	e     *jsExpr // the expression; the condition of if, for, while, do; switch's value
	post  *jsExpr // for's update
	init  *jsStmt // for's first clause
	body  []*jsStmt
	alt   []*jsStmt // else; try's catch
	name  string    // for-of's variable; a function's name; catch's parameter
	fn    *jsFuncDef
	cases []jsCase // switch's
}

// jsCase is one case of a switch: its value (nil for default) and the
// statements from it to the next case.
type jsCase struct {
	e    *jsExpr
	body []*jsStmt
}

// jsDecl declares one name, or destructures into names (keys: an object
// pattern's properties; nil for an array pattern).
type jsDecl struct {
	name  string
	names []string
	keys  []string
	init  *jsExpr
}

type stmtParser struct{ exprParser }

// keyword reads the word kw at the position; false when another word is
// there.
func (p *stmtParser) keyword(kw string) bool {
	if !strings.HasPrefix(p.s[p.pos:], kw) || p.pos+len(kw) < len(p.s) && isIdentByte(p.s[p.pos+len(kw)]) {
		return false
	}
	p.pos = skipJSSpace(p.s, p.pos+len(kw))
	return true
}

// block reads { statements }.
func (p *stmtParser) block() ([]*jsStmt, bool) {
	if p.pos >= len(p.s) || p.s[p.pos] != '{' {
		return nil, false
	}
	p.pos++
	var list []*jsStmt
	for {
		p.pos = skipJSSpace(p.s, p.pos)
		if p.pos >= len(p.s) {
			return nil, false
		}
		if p.s[p.pos] == '}' {
			p.pos++
			return list, true
		}
		st, ok := p.statement()
		if !ok {
			return nil, false
		}
		list = append(list, st)
	}
}

// body reads a loop's or if's statement, as a list.
func (p *stmtParser) body() ([]*jsStmt, bool) {
	p.pos = skipJSSpace(p.s, p.pos)
	if p.pos < len(p.s) && p.s[p.pos] == '{' {
		return p.block()
	}
	st, ok := p.statement()
	return []*jsStmt{st}, ok
}

// end reads the end of a simple statement: ";", or a line break, "}" or
// the end of the script before which JavaScript inserts one.
func (p *stmtParser) end() bool {
	j := p.pos
	for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
		j++
	}
	switch {
	case j >= len(p.s) || p.s[j] == '\n' || p.s[j] == '\r' || p.s[j] == '}' || p.s[j] == 0:
		p.pos = j
		return true
	case p.s[j] == ';':
		p.pos = j + 1
		return true
	}
	return false
}

// paren reads ( expression ).
func (p *stmtParser) paren() (*jsExpr, bool) {
	p.pos = skipJSSpace(p.s, p.pos)
	if p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return nil, false
	}
	p.pos++
	e, ok := p.nested()
	p.pos = skipJSSpace(p.s, p.pos)
	if !ok || p.pos >= len(p.s) || p.s[p.pos] != ')' {
		return nil, false
	}
	p.pos++
	return e, true
}

func (p *stmtParser) statement() (*jsStmt, bool) {
	if !p.deeper() {
		return nil, false
	}
	defer func() { p.depth-- }()
	if _, ok := p.node(&jsExpr{}); !ok {
		return nil, false
	}
	p.pos = skipJSSpace(p.s, p.pos)
	if p.pos >= len(p.s) {
		return nil, false
	}
	switch p.s[p.pos] {
	case ';':
		p.pos++
		return &jsStmt{op: "empty"}, true
	case '{':
		list, ok := p.block()
		return &jsStmt{op: "block", body: list}, ok
	}
	start := p.pos
	word, _ := identAt(p.s, p.pos)
	switch word {
	case "var", "let", "const":
		p.keyword(word)
		st, ok := p.declarations(word)
		return st, ok && p.end()
	case "if":
		p.keyword(word)
		st := &jsStmt{op: "if"}
		var ok bool
		if st.e, ok = p.paren(); !ok {
			return nil, false
		}
		if st.body, ok = p.body(); !ok {
			return nil, false
		}
		save := p.pos
		if p.pos = skipJSSpace(p.s, p.pos); p.keyword("else") {
			st.alt, ok = p.body()
			return st, ok
		}
		p.pos = save
		return st, true
	case "while":
		p.keyword(word)
		st := &jsStmt{op: "while"}
		var ok bool
		if st.e, ok = p.paren(); !ok {
			return nil, false
		}
		st.body, ok = p.body()
		return st, ok
	case "do":
		p.keyword(word)
		st := &jsStmt{op: "do"}
		var ok bool
		if st.body, ok = p.body(); !ok {
			return nil, false
		}
		if p.pos = skipJSSpace(p.s, p.pos); !p.keyword("while") {
			return nil, false
		}
		if st.e, ok = p.paren(); !ok {
			return nil, false
		}
		p.end()
		return st, true
	case "for":
		p.keyword(word)
		return p.forStatement()
	case "return":
		p.keyword(word)
		st := &jsStmt{op: "return"}
		if p.end() {
			return st, true
		}
		var ok bool
		if st.e, ok = p.sequence(); !ok {
			return nil, false
		}
		return st, p.end()
	case "break", "continue":
		p.keyword(word)
		return &jsStmt{op: word}, p.end()
	case "throw":
		p.keyword(word)
		st := &jsStmt{op: word}
		var ok bool
		if st.e, ok = p.nested(); !ok {
			return nil, false
		}
		return st, p.end()
	case "try":
		p.keyword(word)
		return p.tryStatement()
	case "switch":
		p.keyword(word)
		return p.switchStatement()
	case "function":
		f, end, ok := p.function(p.pos)
		if !ok {
			return nil, false
		}
		name, _ := identAt(p.s, skipJSSpace(p.s, start+8))
		p.pos = end
		return &jsStmt{op: "func", name: name, fn: f}, name != ""
	}
	if word != "" && jsKeywords[word] && word != "this" && word != "new" {
		return nil, false
	}
	e, ok := p.sequence()
	if !ok {
		return nil, false
	}
	return &jsStmt{op: "expr", e: e}, p.end()
}

// sequence reads expressions joined by commas (a = 1, b = 2; i++, j--).
func (p *stmtParser) sequence() (*jsExpr, bool) {
	e, ok := p.nested()
	for ok {
		p.pos = skipJSSpace(p.s, p.pos)
		if p.pos >= len(p.s) || p.s[p.pos] != ',' {
			return e, true
		}
		p.pos++
		var r *jsExpr
		if r, ok = p.nested(); ok {
			e, ok = p.node(&jsExpr{op: ",", kids: []*jsExpr{e, r}})
		}
	}
	return nil, false
}

// declarations reads the names and values of var, let or const.
func (p *stmtParser) declarations(kind string) (*jsStmt, bool) {
	st := &jsStmt{op: "var", kind: kind}
	for len(st.decls) < 64 {
		p.pos = skipJSSpace(p.s, p.pos)
		var d jsDecl
		if p.pos < len(p.s) && (p.s[p.pos] == '{' || p.s[p.pos] == '[') {
			if !p.pattern(&d) {
				return nil, false
			}
		} else if d.name, p.pos = identAt(p.s, p.pos); d.name == "" || jsKeywords[d.name] {
			return nil, false
		}
		p.pos = skipJSSpace(p.s, p.pos)
		if p.pos < len(p.s) && p.s[p.pos] == '=' {
			p.pos++
			var ok bool
			if d.init, ok = p.nested(); !ok {
				return nil, false
			}
		} else if d.names != nil {
			return nil, false
		}
		st.decls = append(st.decls, d)
		p.pos = skipJSSpace(p.s, p.pos)
		if p.pos >= len(p.s) || p.s[p.pos] != ',' {
			return st, true
		}
		p.pos++
	}
	return nil, false
}

// pattern reads {a, b: c} or [a, , b] into d.
func (p *stmtParser) pattern(d *jsDecl) bool {
	obj := p.s[p.pos] == '{'
	closing := byte(']')
	if obj {
		closing = '}'
	}
	d.names = []string{}
	p.pos++
	for len(d.names) < 64 {
		p.pos = skipJSSpace(p.s, p.pos)
		if p.pos >= len(p.s) {
			return false
		}
		if p.s[p.pos] == closing {
			p.pos++
			return true
		}
		if !obj && p.s[p.pos] == ',' {
			d.names = append(d.names, "")
			p.pos++
			continue
		}
		name, end := identAt(p.s, p.pos)
		if name == "" || jsKeywords[name] {
			return false
		}
		p.pos = skipJSSpace(p.s, end)
		target := name
		if obj && p.pos < len(p.s) && p.s[p.pos] == ':' {
			if target, end = identAt(p.s, skipJSSpace(p.s, p.pos+1)); target == "" {
				return false
			}
			p.pos = skipJSSpace(p.s, end)
		}
		if obj {
			d.keys = append(d.keys, name)
		}
		d.names = append(d.names, target)
		if p.pos < len(p.s) && p.s[p.pos] == ',' {
			p.pos++
		} else if p.pos >= len(p.s) || p.s[p.pos] != closing {
			return false
		}
	}
	return false
}

// tryStatement reads the rest of try {...} catch (e) {...} finally {...}
// (catch or finally may be left out, and catch's parameter too).
func (p *stmtParser) tryStatement() (*jsStmt, bool) {
	st := &jsStmt{op: "try"}
	var ok bool
	if st.body, ok = p.block(); !ok {
		return nil, false
	}
	found := false
	if p.pos = skipJSSpace(p.s, p.pos); p.keyword("catch") {
		found = true
		if p.pos < len(p.s) && p.s[p.pos] == '(' {
			st.name, p.pos = identAt(p.s, skipJSSpace(p.s, p.pos+1))
			if p.pos = skipJSSpace(p.s, p.pos); st.name == "" || p.pos >= len(p.s) || p.s[p.pos] != ')' {
				return nil, false
			}
			p.pos = skipJSSpace(p.s, p.pos+1)
		}
		if st.alt, ok = p.block(); !ok {
			return nil, false
		}
	}
	if p.pos = skipJSSpace(p.s, p.pos); p.keyword("finally") {
		found = true
		fin, ok := p.block()
		if !ok {
			return nil, false
		}
		// finally runs after the rest: as a block after the try
		st = &jsStmt{op: "block", body: []*jsStmt{st, {op: "block", body: fin}}}
	}
	return st, found
}

// switchStatement reads the rest of switch (e) { case v: ... default: ... }.
func (p *stmtParser) switchStatement() (*jsStmt, bool) {
	st := &jsStmt{op: "switch"}
	var ok bool
	if st.e, ok = p.paren(); !ok {
		return nil, false
	}
	if p.pos = skipJSSpace(p.s, p.pos); p.pos >= len(p.s) || p.s[p.pos] != '{' {
		return nil, false
	}
	p.pos++
	for len(st.cases) < 256 {
		p.pos = skipJSSpace(p.s, p.pos)
		if p.pos >= len(p.s) {
			return nil, false
		}
		if p.s[p.pos] == '}' {
			p.pos++
			return st, true
		}
		var c jsCase
		switch {
		case p.keyword("case"):
			if c.e, ok = p.nested(); !ok {
				return nil, false
			}
		case p.keyword("default"):
		default:
			return nil, false
		}
		if p.pos = skipJSSpace(p.s, p.pos); p.pos >= len(p.s) || p.s[p.pos] != ':' {
			return nil, false
		}
		p.pos++
		for {
			p.pos = skipJSSpace(p.s, p.pos)
			if p.pos >= len(p.s) {
				return nil, false
			}
			if w, _ := identAt(p.s, p.pos); p.s[p.pos] == '}' || w == "case" || w == "default" {
				break
			}
			s, ok := p.statement()
			if !ok {
				return nil, false
			}
			c.body = append(c.body, s)
		}
		st.cases = append(st.cases, c)
	}
	return nil, false
}

// forStatement reads the rest of for (init; cond; update) or for (x of e).
func (p *stmtParser) forStatement() (*jsStmt, bool) {
	if p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return nil, false
	}
	p.pos = skipJSSpace(p.s, p.pos+1)
	st := &jsStmt{op: "for"}
	save := p.pos
	for _, kw := range []string{"var", "let", "const"} {
		if p.keyword(kw) {
			break
		}
	}
	if name, end := identAt(p.s, p.pos); name != "" {
		if k := skipJSSpace(p.s, end); strings.HasPrefix(p.s[k:], "of") && k+2 < len(p.s) && !isIdentByte(p.s[k+2]) {
			p.pos = k + 2
			st.op, st.name = "forof", name
			var ok bool
			if st.e, ok = p.nested(); !ok {
				return nil, false
			}
			if p.pos = skipJSSpace(p.s, p.pos); p.pos >= len(p.s) || p.s[p.pos] != ')' {
				return nil, false
			}
			p.pos++
			st.body, ok = p.body()
			return st, ok
		}
	}
	p.pos = save
	if p.pos >= len(p.s) {
		return nil, false
	}
	if p.s[p.pos] != ';' {
		init, ok := p.statement() // ends at its ";"
		if !ok || init.op != "var" && init.op != "expr" {
			return nil, false
		}
		st.init = init
	} else {
		p.pos++
	}
	p.pos = skipJSSpace(p.s, p.pos)
	if p.pos < len(p.s) && p.s[p.pos] != ';' {
		var ok bool
		if st.e, ok = p.nested(); !ok {
			return nil, false
		}
		p.pos = skipJSSpace(p.s, p.pos)
	}
	if p.pos >= len(p.s) || p.s[p.pos] != ';' {
		return nil, false
	}
	p.pos = skipJSSpace(p.s, p.pos+1)
	if p.pos < len(p.s) && p.s[p.pos] != ')' {
		var ok bool
		if st.post, ok = p.sequence(); !ok {
			return nil, false
		}
		p.pos = skipJSSpace(p.s, p.pos)
	}
	if p.pos >= len(p.s) || p.s[p.pos] != ')' {
		return nil, false
	}
	p.pos++
	var ok bool
	st.body, ok = p.body()
	return st, ok
}

// Control flow out of a statement.
const (
	flowNext = iota
	flowBreak
	flowContinue
	flowReturn
)

// exec runs the statements list in env; false when one reads what is not
// known or the budget is spent.
func (env *exprEnv) exec(list []*jsStmt) (int, jsVal, bool) {
	for _, st := range list {
		if st.op == "func" {
			env.sc.vars[st.name] = jsVal{kind: 'f', fn: &jsClosure{def: st.fn, sc: env.sc}}
		}
	}
	for _, st := range list {
		if *env.rt.steps--; *env.rt.steps <= 0 {
			return 0, jsVal{}, false
		}
		flow, v, ok := env.execOne(st)
		if !ok || flow != flowNext {
			return flow, v, ok
		}
	}
	return flowNext, jsVal{}, true
}

func (env *exprEnv) execOne(st *jsStmt) (int, jsVal, bool) {
	switch st.op {
	case "empty", "func":
		return flowNext, jsVal{}, true
	case "block":
		return env.exec(st.body)
	case "var":
		for _, d := range st.decls {
			v := jsVal{kind: 'u'}
			if d.init != nil {
				var ok bool
				if v, ok = d.init.eval(env); !ok {
					return 0, jsVal{}, false
				}
			}
			if !bind(env.sc, d, v) {
				return 0, jsVal{}, false
			}
		}
		return flowNext, jsVal{}, true
	case "expr":
		_, ok := st.e.eval(env)
		return flowNext, jsVal{}, ok
	case "return":
		if st.e == nil {
			return flowReturn, jsVal{kind: 'u'}, true
		}
		v, ok := st.e.eval(env)
		return flowReturn, v, ok
	case "break":
		return flowBreak, jsVal{}, true
	case "throw":
		return 0, jsVal{}, false // what the catch would be given is not computed
	case "try":
		// A try whose block runs to its end needs no catch; one that
		// stops may have thrown or read what is not known, which running
		// does not tell apart: the run stops.
		return env.exec(st.body)
	case "switch":
		v, ok := st.e.eval(env)
		if !ok {
			return 0, jsVal{}, false
		}
		from := -1
		for k, c := range st.cases {
			if c.e == nil {
				continue
			}
			w, ok := c.e.eval(env)
			if !ok {
				return 0, jsVal{}, false
			}
			if eq, ok := equal(v, w, false); !ok {
				return 0, jsVal{}, false
			} else if eq {
				from = k
				break
			}
		}
		if from < 0 {
			from = slices.IndexFunc(st.cases, func(c jsCase) bool { return c.e == nil })
		}
		for k := max(from, 0); from >= 0 && k < len(st.cases); k++ {
			flow, r, ok := env.exec(st.cases[k].body)
			if !ok || flow == flowReturn || flow == flowContinue {
				return flow, r, ok
			}
			if flow == flowBreak {
				break
			}
		}
		return flowNext, jsVal{}, true
	case "continue":
		return flowContinue, jsVal{}, true
	case "if":
		c, ok := st.e.eval(env)
		if !ok {
			return 0, jsVal{}, false
		}
		if c.truthy() {
			return env.exec(st.body)
		}
		return env.exec(st.alt)
	case "forof":
		it, ok := st.e.eval(env)
		if !ok {
			return 0, jsVal{}, false
		}
		var items []jsVal
		switch it.kind {
		case 'a':
			items = it.a
		case 's':
			for _, r := range it.s {
				items = append(items, strVal(string(r)))
			}
		default:
			return 0, jsVal{}, false
		}
		for _, x := range items {
			if *env.rt.steps--; *env.rt.steps <= 0 {
				return 0, jsVal{}, false
			}
			env.sc.vars[st.name] = x
			flow, v, ok := env.exec(st.body)
			if !ok || flow == flowReturn {
				return flow, v, ok
			}
			if flow == flowBreak {
				break
			}
		}
		return flowNext, jsVal{}, true
	}
	// for, while, do
	if st.init != nil {
		if _, _, ok := env.execOne(st.init); !ok {
			return 0, jsVal{}, false
		}
	}
	for first := true; ; first = false {
		if *env.rt.steps--; *env.rt.steps <= 0 {
			return 0, jsVal{}, false // for (;;) {} costs its iterations too
		}
		if st.e != nil && !(first && st.op == "do") {
			c, ok := st.e.eval(env)
			if !ok {
				return 0, jsVal{}, false
			}
			if !c.truthy() {
				return flowNext, jsVal{}, true
			}
		}
		flow, v, ok := env.exec(st.body)
		if !ok || flow == flowReturn {
			return flow, v, ok
		}
		if flow == flowBreak {
			return flowNext, jsVal{}, true
		}
		if st.post != nil {
			if _, ok := st.post.eval(env); !ok {
				return 0, jsVal{}, false
			}
		}
	}
}

// bind declares d's name or names in sc with v (destructured).
func bind(sc *jsScope, d jsDecl, v jsVal) bool {
	if d.names == nil {
		sc.vars[d.name] = v
		return true
	}
	for i, n := range d.names {
		var x jsVal
		var ok bool
		if d.keys != nil {
			x, ok = member(v, d.keys[i])
		} else if v.kind == 'a' && i < len(v.a) {
			x, ok = v.a[i], true
		} else {
			x, ok = jsVal{kind: 'u'}, v.kind == 'a'
		}
		if !ok {
			return false
		}
		if n != "" {
			sc.vars[n] = x
		}
	}
	return true
}

// callFunc calls f with args: its statements run in a scope of its own.
func (rt *jsRun) callFunc(f *jsClosure, args []jsVal) (jsVal, bool) {
	return rt.callWith(f, nil, args)
}

// callWith calls f with this (nil: none) and args; this is left as the
// code changed it.
func (rt *jsRun) callWith(f *jsClosure, this *jsVal, args []jsVal) (jsVal, bool) {
	if rt.depth >= maxCallDepth {
		return jsVal{}, false
	}
	if f.native != nil {
		rt.depth++
		defer func() { rt.depth-- }()
		return f.native(args)
	}
	if rt.known != nil && this == nil {
		return rt.callKnown(f, args)
	}
	return rt.run(f, this, args)
}

// run runs f's code.
func (rt *jsRun) run(f *jsClosure, this *jsVal, args []jsVal) (jsVal, bool) {
	if rt.depth >= maxCallDepth {
		return jsVal{}, false
	}
	rt.depth++
	defer func() { rt.depth-- }()
	sc := newScope(f.sc)
	if this != nil {
		sc.vars["this"] = *this
		defer func() { *this = sc.vars["this"] }()
	}
	for i, p := range f.def.params {
		sc.vars[p] = jsVal{kind: 'u'}
		if i < len(args) {
			sc.vars[p] = args[i]
		}
	}
	env := &exprEnv{sc: sc, rt: rt}
	if f.def.expr != nil {
		return f.def.expr.eval(env)
	}
	flow, v, ok := env.exec(f.def.body)
	if !ok {
		return jsVal{}, false
	}
	if flow != flowReturn {
		return jsVal{kind: 'u'}, true
	}
	return v, true
}

// funcStart is where a function the script names starts: a declaration
// (function d(s) {...}), or the value of a variable (var d = function
// (s) {...}, const d = s => {...}; held).
type funcStart struct {
	at   int
	name string
	held bool
}

// funcStarts finds, by plain string search, the functions s names, at
// most limit.
func funcStarts(s string, limit int) []funcStart {
	var out []funcStart
	for _, word := range []string{"function", "=>"} {
		for i := 0; i < len(s) && len(out) < limit; {
			k := strings.Index(s[i:], word)
			if k < 0 {
				break
			}
			k += i
			i = k + len(word)
			at := k
			if word == "function" {
				if k > 0 && (isIdentByte(s[k-1]) || s[k-1] == '.') || i < len(s) && isIdentByte(s[i]) {
					continue
				}
				if name, _ := identAt(s, skipJSSpace(s, i)); name != "" {
					out = append(out, funcStart{at: k, name: name})
					continue
				}
			} else { // the parameters before the arrow
				b := k
				for b > 0 && isJSSpace(s[b-1]) {
					b--
				}
				if b > 0 && s[b-1] == ')' {
					if at = strings.LastIndexByte(s[max(0, b-256):b-1], '('); at < 0 {
						continue
					}
					at += max(0, b-256)
				} else {
					for at = b; at > 0 && isIdentByte(s[at-1]); at-- {
					}
				}
			}
			if name := heldBy(s, at); name != "" {
				out = append(out, funcStart{at: at, name: name, held: true})
			}
		}
	}
	slices.SortFunc(out, func(a, b funcStart) int { return a.at - b.at })
	return out
}

// heldBy is the name of the variable declared with the value that starts
// at i (var|let|const name = ...), "" when it is not one.
func heldBy(s string, i int) string {
	j := i
	for j > 0 && isJSSpace(s[j-1]) {
		j--
	}
	if j < 2 || s[j-1] != '=' || strings.IndexByte("=!<>+-*/%&|^", s[j-2]) >= 0 {
		return ""
	}
	for j--; j > 0 && isJSSpace(s[j-1]); j-- {
	}
	e := j
	for j > 0 && isIdentByte(s[j-1]) {
		j--
	}
	name := s[j:e]
	for ; j > 0 && isJSSpace(s[j-1]); j-- {
	}
	for _, kw := range []string{"var", "let", "const"} {
		if strings.HasSuffix(s[:j], kw) && (j == len(kw) || !isIdentByte(s[j-len(kw)-1])) && j < e && name != "" && !(name[0] >= '0' && name[0] <= '9') {
			return name
		}
	}
	return ""
}

// blockFuncs are the functions s declares with a body of statements, by
// name; one declared twice is none.
func blockFuncs(s string, steps *int) map[string]*jsFuncDef {
	out := map[string]*jsFuncDef{}
	seen := map[string]bool{}
	var vars []string // held by a variable, which may be given another value
	defer func() {
		if len(vars) == 0 {
			return
		}
		sets := map[string]int{}
		eachNameAssign(s, func(name string, _ int) { sets[name]++ })
		for _, n := range vars {
			if sets[n] > 1 {
				delete(out, n)
			}
		}
	}()
	for _, fs := range funcStarts(s, maxAssigns) {
		at, name := fs.at, fs.name
		p := &exprParser{s: s, pos: at, steps: steps, free: true}
		f, _, ok := p.function(at)
		if !ok && fs.held {
			continue // a variable's other value: not a function
		}
		if seen[name] {
			delete(out, name)
			continue
		}
		seen[name] = true
		if ok && f.body != nil {
			out[name] = f
			if fs.held {
				vars = append(vars, name)
			}
		}
		if *steps <= 0 {
			break
		}
	}
	// A function that names what neither it nor the globals folding
	// knows (document, location, a variable of the page) stops when run;
	// it is not tried at every call.
	for name, f := range out {
		known := func(n string) bool { return jsGlobals[n] || out[n] != nil }
		if !f.closed(known) {
			delete(out, name)
		}
	}
	return out
}

// closed says whether every name f uses is its own (a parameter, or
// declared in it or in a function inside it) or known.
func (f *jsFuncDef) closed(known func(string) bool) bool {
	own := map[string]bool{}
	var used []string
	var expr func(e *jsExpr)
	var stmts func(list []*jsStmt)
	fn := func(d *jsFuncDef) {
		own["this"] = true // the object a method or constructor is called on
		for _, p := range d.params {
			own[p] = true
		}
		if d.expr != nil {
			expr(d.expr)
		}
		stmts(d.body)
	}
	expr = func(e *jsExpr) {
		if e == nil {
			return
		}
		switch e.op {
		case "id":
			used = append(used, e.id)
		case "func":
			fn(e.fn)
		}
		for _, k := range e.kids {
			expr(k)
		}
	}
	stmts = func(list []*jsStmt) {
		for _, st := range list {
			eachDecl(st, func(_, n string, _ bool) { own[n] = true })
			if st.op == "func" {
				own[st.name] = true
				fn(st.fn)
			}
			for _, d := range st.decls {
				expr(d.init)
			}
			expr(st.e)
			expr(st.post)
			if st.init != nil {
				stmts([]*jsStmt{st.init})
			}
			stmts(st.body)
			stmts(st.alt)
			for _, c := range st.cases {
				expr(c.e)
				stmts(c.body)
			}
		}
	}
	fn(f)
	for _, n := range used {
		if !own[n] && !known(n) {
			return false
		}
	}
	return true
}

// callValue reads the call with literal arguments at s[i:] (after the
// name of f) and runs it: the literal it returns and the end of the call.
func (rt *jsRun) callValue(f *jsFuncDef, s string, i int) (string, int, bool) {
	j := skipJSSpace(s, i)
	if j >= len(s) || s[j] != '(' {
		return "", 0, false
	}
	var args []jsVal
	j = skipJSSpace(s, j+1)
	for j < len(s) && s[j] != ')' && len(args) < 8 {
		v, end, ok := literalValue(s, j, rt.steps)
		if !ok {
			return "", 0, false
		}
		args = append(args, v)
		if j = skipJSSpace(s, end); j < len(s) && s[j] == ',' {
			j = skipJSSpace(s, j+1)
		}
	}
	if j >= len(s) || s[j] != ')' {
		return "", 0, false
	}
	v, ok := rt.callFunc(&jsClosure{def: f, sc: nil}, args)
	if !ok || v.kind != 's' && v.kind != 'n' && v.kind != 'a' || v.kind == 's' && len(v.s) > maxFolded {
		return "", 0, false
	}
	t := v.text()
	return t, j + 1, t != ""
}

// foldStatements rewrites each run of statements that computes variables
// from literals, with at least one loop, if, destructuring or computed
// value among them, as declarations of the values it leaves (and the
// functions it declares, as written). Runs are looked for where a
// statement may start: after ; { } or a line break.
func foldStatements(s string, rt *jsRun) string {
	if !strings.Contains(s, "=") {
		return s
	}
	var sb strings.Builder
	last := 0
	for i := -1; i < len(s) && *rt.steps > 0; {
		if i >= 0 {
			k := strings.IndexAny(s[i:], ";{}\n\x00\"'`/")
			if k < 0 {
				break
			}
			i += k
		}
		if i >= 0 {
			if j := skipInert(s, i); j != i {
				i = j
				continue
			}
			if s[i] == '/' {
				i++
				continue
			}
		}
		start := skipJSSpace(s, i+1)
		if start < last {
			i++
			continue
		}
		text, end, ok := runStatements(s, start, rt)
		if !ok {
			// statements that ran but hold nothing to compute are
			// passed over whole, not run again from each of their ends
			i = max(i+1, end)
			continue
		}
		sb.WriteString(s[last:start])
		sb.WriteString(text)
		last = end
		i = end
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// runStatements runs the statements at s[start:] while they compute from
// literals; it returns what they leave, written as declarations, and the
// end of the last, when the run is worth writing again.
func runStatements(s string, start int, rt *jsRun) (string, int, bool) {
	if !runnable(s, start) {
		return "", 0, false
	}
	env := &exprEnv{sc: newScope(nil), rt: rt}
	type touched struct{ name, kind string }
	var order []touched
	seen := map[string]bool{}
	var funcs []string
	worth := false
	end := start
	p := &stmtParser{exprParser{s: s, pos: start, steps: rt.steps, free: true}}
	for *rt.steps > 0 {
		p.pos = skipJSSpace(s, end)
		p.nodes, p.depth = 0, 0
		if !runnable(s, p.pos) {
			break
		}
		st, ok := p.statement()
		if !ok || st.op == "return" || st.op == "break" || st.op == "continue" {
			break
		}
		if st.op == "func" {
			env.sc.vars[st.name] = jsVal{kind: 'f', fn: &jsClosure{def: st.fn, sc: env.sc}}
			funcs = append(funcs, s[skipJSSpace(s, end):p.pos])
			end = p.pos
			continue
		}
		// A statement that stops half way leaves the values before it:
		// the code from it on stays as written.
		saved := maps.Clone(env.sc.vars)
		flow, _, ok := env.execOne(st)
		if !ok || flow != flowNext {
			env.sc.vars = saved
			break
		}
		// The names it declares, at the top or (var) inside its blocks,
		// are written back; a let or const inside a block is not seen
		// after it, unless it shadows one that is, which the run's one
		// scope does not tell apart.
		shadows := false
		eachDecl(st, func(kind, n string, nested bool) {
			switch {
			case nested && kind != "var":
				shadows = shadows || seen[n]
			case !seen[n]:
				seen[n] = true
				order = append(order, touched{n, kind})
			}
		})
		if shadows {
			env.sc.vars = saved
			break
		}
		if st.op != "var" {
			worth = true
		}
		for _, d := range st.decls {
			worth = worth || d.names != nil || d.init != nil && !literalExpr(d.init) && !decoderCall(d.init)
		}
		end = p.pos
	}
	if !worth || len(order) == 0 {
		return "", end, false
	}
	var sb strings.Builder
	for k, t := range order {
		if k > 0 {
			sb.WriteByte('\n')
		}
		v := env.sc.vars[t.name]
		if v.kind == 'u' {
			sb.WriteString(t.kind + " " + t.name + ";")
			continue
		}
		text := v.text()
		if text == "" {
			return "", 0, false
		}
		sb.WriteString(t.kind + " " + t.name + " = " + text + ";")
	}
	for _, f := range funcs {
		sb.WriteString("\n" + f)
	}
	if sb.String() == s[start:end] || sb.Len() > 2*maxFolded+end-start {
		return "", 0, false
	}
	return sb.String(), end, true
}

// eachDecl calls f with the kind and name of each name st declares, and
// whether inside a block of st (not in the functions it declares).
func eachDecl(st *jsStmt, f func(kind, name string, nested bool)) {
	var walk func(st *jsStmt, nested bool)
	walk = func(st *jsStmt, nested bool) {
		switch st.op {
		case "var":
			for _, d := range st.decls {
				for _, n := range append([]string{d.name}, d.names...) {
					if n != "" {
						f(st.kind, n, nested)
					}
				}
			}
		case "forof":
			f("let", st.name, true)
		case "try":
			if st.name != "" {
				f("let", st.name, true)
			}
		}
		if st.init != nil {
			walk(st.init, true)
		}
		bodies := [][]*jsStmt{st.body, st.alt}
		for _, c := range st.cases {
			bodies = append(bodies, c.body)
		}
		for _, b := range bodies {
			for _, k := range b {
				walk(k, true)
			}
		}
	}
	walk(st, false)
}

// literalExpr: e is a literal, or an array or object of literals.
func literalExpr(e *jsExpr) bool {
	switch e.op {
	case "lit":
		return true
	case "arr", "obj":
		for _, k := range e.kids {
			if !literalExpr(k) {
				return false
			}
		}
		return true
	}
	return false
}

// decoderCall: e is atob, unescape, escape or decodeURI(Component) of a
// literal, which decodeJS decodes where it stands: not worth a run's
// rewriting (nor another pass of the normaliser over a long script).
func decoderCall(e *jsExpr) bool {
	if e.op != "call" || len(e.kids) != 2 || !literalExpr(e.kids[1]) {
		return false
	}
	f := e.kids[0]
	if f.op == "." && len(f.kids) == 1 && f.kids[0].op == "id" && (f.kids[0].id == "window" || f.kids[0].id == "self") {
		return jsDecodeNames[f.id]
	}
	return f.op == "id" && jsDecodeNames[f.id]
}

var jsDecodeNames = set("atob", "unescape", "escape", "decodeURIComponent", "decodeURI")

// runnable: a statement that may compute from literals starts at i: a
// declaration, a loop, an if, or a name being set (not a call of the
// page's objects, which never computes a constant).
func runnable(s string, i int) bool {
	word, end := identAt(s, i)
	switch word {
	case "":
		return i < len(s) && s[i] == '[' // [...].forEach(...)
	case "var", "let", "const", "for", "while", "do", "if", "function":
		return true
	}
	j := skipJSSpace(s, end)
	if j+1 < len(s) && (s[j] == '+' || s[j] == '-') && s[j+1] == s[j] {
		return true
	}
	if j < len(s) && s[j] == '.' {
		m, e := identAt(s, skipJSSpace(s, j+1))
		return (m == "push" || m == "unshift" || m == "forEach") && skipJSSpace(s, e) < len(s) && s[skipJSSpace(s, e)] == '('
	}
	if j < len(s) && s[j] == '[' {
		return true
	}
	return j < len(s) && (s[j] == '=' && j+1 < len(s) && s[j+1] != '=' || j+1 < len(s) && s[j+1] == '=' && strings.IndexByte("+-*/%&|^", s[j]) >= 0)
}
