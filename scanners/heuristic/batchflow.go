package heuristic

import (
	"strconv"
	"strings"
)

// A batch file's control flow, played as cmd plays it, so that a runner
// behind it is still judged: call :label runs the subroutine there and
// comes back (exit /b, goto :eof, the file's end), goto jumps, an if takes
// the branch its condition picks, a for runs its body once for each item
// of its set with the loop variable (%%a) replaced (for /l's numbers, for
// /f's tokens of a quoted string; the command of for /f ... in ('cmd') is
// a command run too). Percent expansion is done as cmd does it, on the
// whole if or for before its body runs; delayed expansion (!v!) as each
// command runs. A condition that cannot be known before the file runs (a
// file exists, an errorlevel, an argument %1, a variable the machine may
// or may not have) is played both ways, each a path of its own. Bounded:
// batchMaxSteps commands and batchMaxBytes of them played on all paths,
// batchMaxPaths paths, batchMaxCalls calls deep, batchMaxItems items a
// loop. What it plays adds to the line-by-line reading (cmdScript), which
// stays.

const (
	batchMaxSteps = 4000
	batchMaxPaths = 32
	batchMaxCalls = 16
	batchMaxItems = 16
	batchMaxBytes = 1 << 20
)

// batchCmd is a command to play; expanded: its percent expansion is done
// (the body of an if or for, expanded with it).
type batchCmd struct {
	text     string
	expanded bool
}

// batchReturn is where a call comes back to: the rest of the line's
// commands, then the next line.
type batchReturn struct {
	cmds []batchCmd
	pc   int
}

type batchPath struct {
	u     *cmdUnfolder
	stack []batchReturn
}

func (p *batchPath) clone() *batchPath {
	vars := make(map[string]string, len(p.u.vars))
	for k, v := range p.u.vars {
		vars[k] = v
	}
	return &batchPath{u: &cmdUnfolder{vars: vars, delayed: p.u.delayed}, stack: append([]batchReturn(nil), p.stack...)}
}

type batchFlow struct {
	lines  []string
	labels map[string]int // lower-case label → its line
	steps  int
	bytes  int // of the commands played
	paths  int
	judge  func(string) bool // false: stop
	stop   bool
}

// batchPlay plays script from its first line, handing each command run,
// expanded, to judge until it says stop.
func batchPlay(script string, judge func(string) bool) {
	if len(script) > cmdMaxIn {
		script = script[:cmdMaxIn]
	}
	f := &batchFlow{lines: batchLines(script), labels: map[string]int{}, judge: judge, paths: 1}
	for i, l := range f.lines {
		if name, ok := batchLabel(l); ok {
			if _, dup := f.labels[name]; !dup { // goto finds the first
				f.labels[name] = i
			}
		}
	}
	f.run(&batchPath{u: &cmdUnfolder{vars: map[string]string{}}}, nil, 0)
}

// batchLines cuts a script into the lines cmd reads: a line ending in a
// caret goes on in the next, and so does a parenthesized block left open.
func batchLines(script string) []string {
	var out []string
	var cur strings.Builder
	depth := 0
	for _, l := range strings.Split(strings.ReplaceAll(script, "\r", ""), "\n") {
		if cur.Len() > 0 {
			cur.WriteByte('\n')
		}
		if strings.HasSuffix(l, "^") && !strings.HasSuffix(l, "^^") {
			cur.WriteString(l[:len(l)-1])
			continue
		}
		cur.WriteString(l)
		if _, ok := batchLabel(l); !ok && !isBatchComment(l) {
			depth = max(0, depth+parenDepth(l))
		}
		if depth == 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// parenDepth is how many parentheses l opens and leaves open, outside
// quotes and not escaped.
func parenDepth(l string) int {
	d, quoted := 0, false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			quoted = !quoted
		case '^':
			i++
		case '(':
			if !quoted {
				d++
			}
		case ')':
			if !quoted {
				d--
			}
		}
	}
	return d
}

func isBatchComment(l string) bool {
	t := strings.ToLower(strings.TrimLeft(l, " \t@"))
	return strings.HasPrefix(t, "::") || strings.HasPrefix(t, "rem ") || t == "rem"
}

// batchLabel is the label a line sets (:name), lower case.
func batchLabel(l string) (string, bool) {
	t := strings.TrimLeft(l, " \t")
	if !strings.HasPrefix(t, ":") || strings.HasPrefix(t, "::") {
		return "", false
	}
	name := strings.ToLower(strings.TrimLeft(t[1:], " \t:"))
	if i := strings.IndexAny(name, " \t+,;="); i >= 0 {
		name = name[:i]
	}
	return name, name != ""
}

// blockSplit cuts a line into commands at & && || | and line breaks
// outside quotes and parentheses (a block is one command), carets kept
// for the command's own reading.
func blockSplit(line string) []batchCmd {
	var out []batchCmd
	start, depth, quoted := 0, 0, false
	cut := func(end int) {
		if s := strings.TrimSpace(line[start:end]); s != "" && len(out) < cmdMaxCommands {
			out = append(out, batchCmd{text: s})
		}
	}
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '^':
			i++
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth == 0 && (c == '&' || c == '|' || c == '\n'):
			cut(i)
			if i+1 < len(line) && line[i+1] == c {
				i++
			}
			start = i + 1
		}
	}
	cut(len(line))
	return out
}

// run plays cmds, then the lines from pc on, until the path ends.
func (f *batchFlow) run(p *batchPath, cmds []batchCmd, pc int) {
	for !f.stop {
		if len(cmds) == 0 {
			if pc >= len(f.lines) {
				if !f.ret(p, &cmds, &pc) {
					return
				}
				continue
			}
			cmds = blockSplit(f.lines[pc])
			pc++
			continue
		}
		c := cmds[0]
		cmds = cmds[1:]
		if f.steps++; f.steps > batchMaxSteps {
			f.stop = true
			return
		}
		x := c.text
		if f.bytes += len(x); f.bytes > batchMaxBytes {
			f.stop = true
			return
		}
		if !c.expanded {
			x = uncaret(p.u.expand(x, '%')) // percent expansion first, then carets, as cmd reads a line
		}
		x = strings.TrimLeft(x, "@ \t")
		word, rest := cmdWord(x)
		switch word {
		case "goto":
			target := strings.ToLower(strings.TrimLeft(firstField(rest), ":"))
			if target == "eof" {
				if !f.ret(p, &cmds, &pc) {
					return
				}
				continue
			}
			i, ok := f.labels[target]
			if !ok {
				return // cmd stops the file at a label it cannot find
			}
			cmds, pc = nil, i+1
		case "call":
			if t := strings.TrimSpace(rest); strings.HasPrefix(t, ":") {
				name, _ := batchLabel(t)
				if i, ok := f.labels[name]; ok && len(p.stack) < batchMaxCalls {
					p.stack = append(p.stack, batchReturn{cmds, pc})
					cmds, pc = nil, i+1
				}
				continue
			}
			f.play(p, x)
		case "exit":
			if !strings.Contains(strings.ToLower(rest), "/b") {
				return
			}
			if !f.ret(p, &cmds, &pc) {
				return
			}
		case "if":
			then, els, known, ok := f.branch(p, rest)
			if !ok {
				f.play(p, x)
				continue
			}
			switch {
			case known == 1:
				cmds = append(then, cmds...)
			case known == -1:
				cmds = append(els, cmds...)
			case f.paths < batchMaxPaths:
				f.paths++
				f.run(p.clone(), append(then, cmds...), pc) // one way a path of its own, then the other
				cmds = append(els, cmds...)
			default:
				cmds = append(then, cmds...)
			}
		case "for":
			if body, ok := f.loop(p, rest); ok {
				cmds = append(body, cmds...)
				continue
			}
			f.play(p, x)
		default:
			if strings.HasPrefix(x, "(") {
				if inner, ok := unparen(x); ok {
					cmds = append(expandedCmds(inner), cmds...)
					continue
				}
			}
			f.play(p, x)
		}
	}
}

// ret comes back from a call; false when the path has none to come back
// from (it ends).
func (f *batchFlow) ret(p *batchPath, cmds *[]batchCmd, pc *int) bool {
	if len(p.stack) == 0 {
		return false
	}
	r := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	*cmds, *pc = r.cmds, r.pc
	return true
}

// play runs one command (percent-expanded) and hands it to judge.
func (f *batchFlow) play(p *batchPath, x string) {
	if x = p.u.exec(x); x != "" && !f.judge(x) {
		f.stop = true
	}
}

// cmdWord is a command's first word, lower case, and the rest.
func cmdWord(x string) (string, string) {
	i := strings.IndexAny(x, " \t(")
	if i < 0 {
		return strings.ToLower(x), ""
	}
	return strings.ToLower(x[:i]), x[i:]
}

func firstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// expandedCmds are a block's commands, its percent expansion done.
func expandedCmds(s string) []batchCmd {
	cmds := blockSplit(s)
	for i := range cmds {
		cmds[i].expanded = true
	}
	return cmds
}

// unparen takes a block's outer parentheses off: "(a & b)" is "a & b";
// ok is false when s does not start with a block that runs to its end.
func unparen(s string) (string, bool) {
	end := blockEnd(s)
	if end < 0 || strings.TrimSpace(s[end+1:]) != "" {
		return "", false
	}
	return s[1:end], true
}

// blockEnd is the index of the parenthesis closing the one s starts with,
// -1 when none does.
func blockEnd(s string) int {
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '^':
			i++
		case c == '(':
			depth++
		case c == ')':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// branch reads an if's condition and commands (rest: after "if"): the
// commands it runs when true and when false, and known: 1 or -1 when the
// condition is known to be true or false, 0 when it is not.
func (f *batchFlow) branch(p *batchPath, rest string) (then, els []batchCmd, known int, ok bool) {
	s := strings.TrimLeft(rest, " \t")
	fold, not := false, false
	for {
		w, r := cmdWord(s)
		if w == "/i" {
			fold, s = true, strings.TrimLeft(r, " \t")
			continue
		}
		if w == "not" {
			not, s = !not, strings.TrimLeft(r, " \t")
			continue
		}
		break
	}
	w, r := cmdWord(s)
	var body string
	switch w {
	case "defined":
		name := firstField(r)
		body = strings.TrimLeft(strings.TrimLeft(r, " \t")[len(name):], " \t")
		if _, set := p.u.lookup(name); set {
			known = 1
		}
	case "exist", "errorlevel", "cmdextversion":
		arg, after := ifToken(strings.TrimLeft(r, " \t"))
		if arg == "" {
			return nil, nil, 0, false
		}
		body = after
	default:
		left, after := ifToken(s)
		after = strings.TrimLeft(after, " \t")
		op := "=="
		if !strings.HasPrefix(after, "==") {
			op, after = cmdWord(after)
			if !strings.Contains(" equ neq lss leq gtr geq ", " "+op+" ") {
				return nil, nil, 0, false
			}
		} else {
			after = after[2:]
		}
		right, b := ifToken(strings.TrimLeft(after, " \t"))
		if left == "" || right == "" {
			return nil, nil, 0, false
		}
		body = b
		if !strings.ContainsAny(left+right, "%!") { // no argument or unknown variable in it
			known = compareIf(left, right, op, fold)
		}
	}
	if not {
		known = -known
	}
	body = strings.TrimLeft(body, " \t")
	if strings.HasPrefix(body, "(") {
		end := blockEnd(body)
		if end < 0 {
			return nil, nil, 0, false
		}
		then = expandedCmds(body[1:end])
		after := strings.TrimLeft(body[end+1:], " \t")
		if w, e := cmdWord(after); w == "else" {
			e = strings.TrimLeft(e, " \t")
			if inner, ok := unparen(e); ok {
				e = inner
			}
			els = expandedCmds(e)
		}
	} else {
		then = []batchCmd{{text: body, expanded: true}}
	}
	return then, els, known, true
}

// ifToken is an if's operand: a quoted string, or text up to a blank or
// "==".
func ifToken(s string) (string, string) {
	if strings.HasPrefix(s, `"`) {
		if i := strings.IndexByte(s[1:], '"'); i >= 0 {
			return s[:i+2], s[i+2:]
		}
		return s, ""
	}
	end := len(s)
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		end = i
	}
	if i := strings.Index(s, "=="); i >= 0 && i < end {
		end = i
	}
	return s[:end], s[end:]
}

// compareIf is 1 when left op right holds, -1 when not: numbers compare
// as numbers, other text as text (ignoring case with /i).
func compareIf(left, right, op string, fold bool) int {
	if fold {
		left, right = strings.ToLower(left), strings.ToLower(right)
	}
	c := strings.Compare(left, right)
	if op != "==" {
		a, err1 := strconv.Atoi(strings.Trim(left, `"`))
		b, err2 := strconv.Atoi(strings.Trim(right, `"`))
		if err1 == nil && err2 == nil {
			c = 0
			if a < b {
				c = -1
			} else if a > b {
				c = 1
			}
		}
	}
	holds := map[string]bool{"==": c == 0, "equ": c == 0, "neq": c != 0, "lss": c < 0, "leq": c <= 0, "gtr": c > 0, "geq": c >= 0}[op]
	if holds {
		return 1
	}
	return -1
}

// loop reads a for (rest: after "for") into the commands it runs: its
// body once for each item, the loop variable replaced; the command of
// for /f ... in ('cmd') first, and the body once with the variable left
// as it is (its value is that command's output).
func (f *batchFlow) loop(p *batchPath, rest string) ([]batchCmd, bool) {
	s := strings.TrimLeft(rest, " \t")
	kind, opts := "", ""
	for strings.HasPrefix(s, "/") {
		w, r := cmdWord(s)
		kind = w
		s = strings.TrimLeft(r, " \t")
		switch {
		case w == "/f" && strings.HasPrefix(s, `"`):
			opts, s = ifToken(s)
			opts = strings.ToLower(strings.Trim(opts, `"`))
			s = strings.TrimLeft(s, " \t")
		case w == "/r" && !strings.HasPrefix(s, "%"):
			_, s = ifToken(s) // the folder
			s = strings.TrimLeft(s, " \t")
		}
	}
	v, s := ifToken(s)
	if len(v) < 2 || v[0] != '%' {
		return nil, false
	}
	letter := v[len(v)-1:]
	w, s := cmdWord(strings.TrimLeft(s, " \t"))
	s = strings.TrimLeft(s, " \t")
	if w != "in" || !strings.HasPrefix(s, "(") {
		return nil, false
	}
	end := blockEnd(s)
	if end < 0 {
		return nil, false
	}
	set := strings.TrimSpace(s[1:end])
	w, body := cmdWord(strings.TrimLeft(s[end+1:], " \t"))
	if w != "do" {
		return nil, false
	}
	body = strings.TrimLeft(body, " \t")
	if inner, ok := unparen(body); ok {
		body = inner
	}
	var out []batchCmd
	each := func(values []string) {
		b := body
		for i, val := range values { // %%a, then %%b, ... for /f's further tokens
			l := string(rune(letter[0] + byte(i)))
			b = strings.ReplaceAll(b, "%~"+l, strings.Trim(val, `"`))
			b = strings.ReplaceAll(b, "%"+l, val)
		}
		out = append(out, expandedCmds(b)...)
	}
	switch {
	case kind == "/l":
		n := strings.FieldsFunc(set, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		if len(n) != 3 {
			return nil, false
		}
		from, err1 := strconv.Atoi(n[0])
		step, err2 := strconv.Atoi(n[1])
		to, err3 := strconv.Atoi(n[2])
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, false
		}
		for i, k := from, 0; k < batchMaxItems && (step > 0 && i <= to || step < 0 && i >= to); i, k = i+step, k+1 {
			each([]string{strconv.Itoa(i)})
		}
		if step == 0 {
			each([]string{strconv.Itoa(from)})
		}
	case kind == "/f":
		back := strings.Contains(opts, "usebackq")
		switch {
		case !back && strings.HasPrefix(set, "'") || back && strings.HasPrefix(set, "`"):
			out = append(out, batchCmd{text: strings.Trim(set, "'`"), expanded: true}) // its output is the loop's: not known
			each(nil)
		case !back && strings.HasPrefix(set, `"`) || back && strings.HasPrefix(set, "'"):
			each(forTokens(strings.Trim(set, `"'`), opts))
		default:
			each(nil) // a file's lines: not known
		}
	default:
		for i, item := range forItems(set) {
			if i == batchMaxItems {
				break
			}
			each([]string{item})
		}
	}
	return out, true
}

// forItems are a for's set split as cmd splits it: at blanks, commas,
// semicolons and equals signs outside quotes.
func forItems(set string) []string {
	var out []string
	start, quoted := -1, false
	for i := 0; i <= len(set); i++ {
		sep := i == len(set) || !quoted && strings.IndexByte(" \t,;=", set[i]) >= 0
		if i < len(set) && set[i] == '"' {
			quoted = !quoted
		}
		switch {
		case sep && start >= 0:
			out = append(out, set[start:i])
			start = -1
		case !sep && start < 0:
			start = i
		}
	}
	return out
}

// forTokens are the values for /f gives its variables from one line of
// text: the tokens= it picks (1 by default; n, n-m, a list, * for the
// rest), cut at delims= (blank and tab by default).
func forTokens(line, opts string) []string {
	delims := " \t"
	if i := strings.Index(opts, "delims="); i >= 0 {
		delims = opts[i+len("delims="):] // runs to the end of the options, blanks included
		for _, k := range []string{" tokens=", " eol=", " skip=", " usebackq"} {
			if j := strings.Index(delims, k); j >= 0 {
				delims = delims[:j]
			}
		}
	}
	spec := "1"
	if i := strings.Index(opts, "tokens="); i >= 0 {
		spec = firstField(opts[i+len("tokens="):])
	}
	fields := []string{line}
	if delims != "" {
		fields = strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(delims, r) })
	}
	var out []string
	star := strings.HasSuffix(spec, "*")
	last := 0
	for _, part := range strings.Split(strings.TrimSuffix(spec, "*"), ",") {
		a, b, isRange := strings.Cut(part, "-")
		from, err := strconv.Atoi(a)
		if err != nil {
			continue
		}
		to := from
		if isRange {
			if to, err = strconv.Atoi(b); err != nil {
				continue
			}
		}
		for k := from; k <= to && k-from < batchMaxItems; k++ {
			v := ""
			if k >= 1 && k <= len(fields) {
				v = fields[k-1]
			}
			out = append(out, v)
			last = k
		}
	}
	if star { // the rest of the line after the last token picked
		rest := ""
		if last < len(fields) {
			rest = strings.Join(fields[last:], " ")
		}
		out = append(out, rest)
	}
	return out
}

// uncaret takes cmd's escaping carets off outside quotes (^^ is a caret).
func uncaret(s string) string {
	if strings.IndexByte(s, '^') < 0 {
		return s
	}
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			quoted = !quoted
		}
		if c == '^' && !quoted && i+1 < len(s) {
			i++
			c = s[i]
		}
		b.WriteByte(c)
	}
	return b.String()
}
