package heuristic

import (
	"strconv"
	"strings"
)

// The address a web formula fetches, worked out as the spreadsheet would
// work it out: string literals joined with &, CONCATENATE, CONCAT and
// TEXTJOIN, the values of the cells and defined names it refers to (a few
// levels of formulas deep, a few hundred references in all). What cannot
// be known before the reader opens the file stays a hole, marked by what
// fills it: an empty cell the reader types into, a function of the
// reader's machine (INFO, CELL), or something not worked out (a date, a
// look-up): a function of the reader's input is still the reader's input.

// Holes in an evaluated address.
const (
	holeInput  = '\x00' // an empty cell: what the reader types
	holeEnv    = '\x01' // the reader's machine: INFO, CELL
	holeOpaque = '\x02' // not worked out
)

// Bounds on one address's evaluation.
const (
	maxEvalDepth = 6   // formulas within formulas, names within names
	maxEvalRefs  = 300 // cells and names read
	maxEvalLen   = 4096
	maxAreaCells = 100 // cells of one range given to CONCAT or TEXTJOIN
	maxPieces    = 16
)

// book is what a workbook holds for the evaluation: each cell's value or
// formula ("=..."), by sheet (lower case; "" for the one sheet a listing
// without sheet names has) and position, and its defined names.
type book struct {
	cells map[cellKey]string
	names map[string]string // lower-case name -> formula text, without "="
	first string            // the first sheet, for references without one where a sheet is unknown
}

type cellKey struct {
	sheet    string
	row, col int
}

func newBook() *book { return &book{cells: map[cellKey]string{}, names: map[string]string{}} }

// fval is an evaluated value: its text with holes, and whether a piece of
// it was spelled with CHAR or split inside the scheme (obfuscation).
type fval struct {
	s        string
	pieces   []string // the known strings it was joined from, in order
	char     bool
	fromCell bool // a piece is a cell's value
}

// evaluator walks a formula's text: Excel's (A1 references, 'Sheet'!A1),
// OpenDocument's ([.A1], [$Sheet1.A1], arguments split by ;) and the
// decompiled listings of unpack (R1C1).
type evaluator struct {
	b     *book
	refs  int
	depth int
}

func (ev *evaluator) eval(formula, sheet string) fval {
	if ev.depth >= maxEvalDepth || ev.refs >= maxEvalRefs {
		return fval{s: string(holeOpaque)}
	}
	ev.depth++
	defer func() { ev.depth-- }()
	p := &fparser{s: strings.TrimPrefix(strings.TrimPrefix(formula, "of:"), "="), ev: ev, sheet: sheet}
	v := p.expr()
	return v
}

type fparser struct {
	s       string
	i       int
	ev      *evaluator
	sheet   string
	steps   int
	joining bool // reading the arguments of CONCAT or TEXTJOIN
}

func (p *fparser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\r' || p.s[p.i] == '\t') {
		p.i++
	}
}

// expr reads terms joined by operators: & joins, any other makes the
// value unknown.
func (p *fparser) expr() fval {
	v := p.term()
	for p.steps < 10000 {
		p.steps++
		p.space()
		if p.i >= len(p.s) {
			return v
		}
		c := p.s[p.i]
		switch {
		case c == '&':
			p.i++
			w := p.term()
			v = join(v, w)
		case strings.IndexByte("+-*/^=<>%", c) >= 0:
			p.i++
			for p.i < len(p.s) && strings.IndexByte("=>", p.s[p.i]) >= 0 {
				p.i++
			}
			v = fval{s: string(carried(holeOpaque, v, p.term()))}
		default:
			return v
		}
	}
	return v
}

func join(a, b fval) fval {
	s := a.s + b.s
	if len(s) > maxEvalLen {
		s = s[:maxEvalLen]
	}
	pieces := append(append([]string{}, a.pieces...), b.pieces...)
	if len(pieces) > maxPieces {
		pieces = pieces[:maxPieces] // only the first say where the address starts
	}
	return fval{s: s, pieces: pieces, char: a.char || b.char, fromCell: a.fromCell || b.fromCell}
}

func knownVal(s string) fval { return fval{s: s, pieces: []string{s}} }

// term reads one operand.
func (p *fparser) term() fval {
	p.space()
	if p.i >= len(p.s) || p.steps >= 10000 {
		return fval{s: string(holeOpaque)}
	}
	p.steps++
	c := p.s[p.i]
	switch {
	case c == '"':
		var b strings.Builder
		for p.i++; p.i < len(p.s); p.i++ {
			if p.s[p.i] == '"' {
				if p.i+1 < len(p.s) && p.s[p.i+1] == '"' {
					p.i++
				} else {
					p.i++
					break
				}
			}
			if b.Len() < maxEvalLen {
				b.WriteByte(p.s[p.i])
			}
		}
		return knownVal(b.String())
	case c == '(':
		p.i++
		v := p.expr()
		p.args() // anything left up to the closing parenthesis
		return v
	case c == '+' || c == '-':
		p.i++
		return fval{s: string(carried(holeOpaque, p.term()))}
	case c == '[': // OpenDocument reference
		end := strings.IndexByte(p.s[p.i:], ']')
		if end < 0 {
			p.i = len(p.s)
			return fval{s: string(holeOpaque)}
		}
		ref := p.s[p.i+1 : p.i+end]
		p.i += end + 1
		if ks := odsRef(ref, p.sheet); len(ks) == 1 || len(ks) > 1 && p.joining {
			return p.ref(ks)
		}
		return fval{s: string(holeOpaque)}
	case c == '\'': // 'Sheet name'!A1
		end := strings.Index(p.s[p.i+1:], "'!")
		for end >= 0 && p.i+1+end+1 < len(p.s) && strings.HasPrefix(p.s[p.i+1+end:], "''") {
			next := strings.Index(p.s[p.i+1+end+2:], "'!")
			if next < 0 {
				end = -1
				break
			}
			end += 2 + next
		}
		if end < 0 {
			p.i = len(p.s)
			return fval{s: string(holeOpaque)}
		}
		sheet := strings.ReplaceAll(p.s[p.i+1:p.i+1+end], "''", "'")
		p.i += end + 3
		return p.cellAfter(strings.ToLower(sheet))
	case isDigitByte(c) || c == '.':
		j := p.i
		for j < len(p.s) && (isDigitByte(p.s[j]) || p.s[j] == '.' || p.s[j] == 'E' || p.s[j] == 'e') {
			j++
		}
		n := p.s[p.i:j]
		p.i = j
		return knownVal(n)
	case isASCIILetter(c) || c == '_' || c == '$':
		j := p.i
		for j < len(p.s) && (isASCIILetter(p.s[j]) || isDigitByte(p.s[j]) || strings.IndexByte("_.$", p.s[j]) >= 0) {
			j++
		}
		word := p.s[p.i:j]
		p.i = j
		if p.i < len(p.s) && p.s[p.i] == '(' {
			p.i++
			return p.call(word)
		}
		if p.i < len(p.s) && p.s[p.i] == '!' { // Sheet1!A1
			p.i++
			return p.cellAfter(strings.ToLower(word))
		}
		if k, ok := a1Ref(word, p.sheet); ok {
			return p.area(k)
		}
		if k, ok := r1c1Ref(word, p.sheet); ok {
			return p.area(k)
		}
		switch strings.ToUpper(word) {
		case "TRUE", "FALSE":
			return knownVal(strings.ToUpper(word))
		}
		return p.name(word)
	}
	p.i++
	return fval{s: string(holeOpaque)}
}

// cellAfter reads the cell reference after a sheet name and its "!".
func (p *fparser) cellAfter(sheet string) fval {
	j := p.i
	for j < len(p.s) && (isASCIILetter(p.s[j]) || isDigitByte(p.s[j]) || p.s[j] == '$') {
		j++
	}
	word := p.s[p.i:j]
	p.i = j
	if k, ok := a1Ref(word, sheet); ok {
		return p.area(k)
	}
	if k, ok := r1c1Ref(word, sheet); ok {
		return p.area(k)
	}
	return fval{s: string(holeOpaque)}
}

// area reads ":B9" (":R9C2" after an R1C1 cell) after a first cell, when
// there is one: the cells of the range.
func (p *fparser) area(k cellKey) fval {
	if p.i < len(p.s) && p.s[p.i] == ':' {
		j := p.i + 1
		for j < len(p.s) && (isASCIILetter(p.s[j]) || isDigitByte(p.s[j]) || p.s[j] == '$') {
			j++
		}
		k2, ok := a1Ref(p.s[p.i+1:j], k.sheet)
		if !ok {
			k2, ok = r1c1Ref(p.s[p.i+1:j], k.sheet)
		}
		if ok {
			p.i = j
			if !p.joining {
				return fval{s: string(holeOpaque)}
			}
			return p.ref(areaCells(k, k2))
		}
	}
	return p.ref([]cellKey{k})
}

func areaCells(a, b cellKey) []cellKey {
	var out []cellKey
	for r := min(a.row, b.row); r <= max(a.row, b.row) && len(out) < maxAreaCells; r++ {
		for c := min(a.col, b.col); c <= max(a.col, b.col) && len(out) < maxAreaCells; c++ {
			out = append(out, cellKey{a.sheet, r, c})
		}
	}
	return out
}

// ref is the value of cells, joined (a range given to CONCAT joins its
// cells; anywhere else a range is not one string, which the call sorts out).
func (p *fparser) ref(ks []cellKey) fval {
	var v fval
	for _, k := range ks {
		v = join(v, p.cell(k))
	}
	return v
}

func (p *fparser) cell(k cellKey) fval {
	ev := p.ev
	ev.refs++
	if ev.refs > maxEvalRefs {
		return fval{s: string(holeOpaque)}
	}
	c, ok := ev.b.cells[k]
	if !ok && k.sheet == "" {
		c, ok = ev.b.cells[cellKey{ev.b.first, k.row, k.col}]
	}
	switch {
	case !ok || c == "":
		return fval{s: string(holeInput)}
	case strings.HasPrefix(c, "="):
		return ev.eval(c, k.sheet)
	}
	v := knownVal(c)
	v.fromCell = true
	return v
}

func (p *fparser) name(word string) fval {
	ev := p.ev
	ev.refs++
	f, ok := ev.b.names[strings.ToLower(word)]
	if !ok || ev.refs > maxEvalRefs {
		return fval{s: string(holeOpaque)}
	}
	return ev.eval(f, p.sheet)
}

// args reads the rest of a call's arguments up to its closing
// parenthesis, each evaluated.
func (p *fparser) args() []fval {
	var out []fval
	for n := 0; n < 256 && p.steps < 10000; n++ {
		p.space()
		if p.i >= len(p.s) {
			return out
		}
		switch p.s[p.i] {
		case ')':
			p.i++
			return out
		case ',', ';':
			p.i++
			continue
		}
		start := p.i
		out = append(out, p.expr())
		if p.i == start {
			p.i++ // a character no rule reads
		}
	}
	return out
}

// envFunctions tell what the reader's machine is, or the time: a hole the
// attacker cannot fill in advance.
var envFunctions = set("INFO", "CELL", "GET.WORKSPACE", "GET.DOCUMENT", "GET.CELL", "ENVIRON")

// call evaluates a function call whose name was read and its "(".
func (p *fparser) call(fn string) fval {
	name := strings.ToUpper(fn)
	for _, pre := range []string{"_XLFN.", "COM.MICROSOFT.", "ORG.OPENOFFICE."} {
		name = strings.TrimPrefix(name, pre)
	}
	// A range is a string only where CONCAT and TEXTJOIN join its cells;
	// elsewhere (a look-up table) its empty cells are not the reader's.
	outer := p.joining
	p.joining = name == "CONCAT" || name == "TEXTJOIN"
	args := p.args()
	p.joining = outer
	arg := func(i int) fval {
		if i < len(args) {
			return args[i]
		}
		return fval{}
	}
	switch name {
	case "CONCATENATE", "CONCAT":
		var v fval
		for _, a := range args {
			v = join(v, a)
		}
		return v
	case "TEXTJOIN":
		var v fval
		for i, a := range args[min(2, len(args)):] {
			if i > 0 {
				v = join(v, arg(0))
			}
			v = join(v, a)
		}
		return v
	case "ENCODEURL":
		// Made to put free text in an address: a cell's value it encodes
		// is an entry of a form, which the reader fills in or overwrites.
		if v := arg(0); !v.fromCell {
			return v
		}
		return fval{s: string(holeInput)}
	case "TRIM", "CLEAN", "T", "TEXT", "VALUE":
		return arg(0)
	case "LOWER", "UPPER":
		v := arg(0)
		if name == "LOWER" {
			v.s = strings.ToLower(v.s)
		} else {
			v.s = strings.ToUpper(v.s)
		}
		return v
	case "CHAR", "UNICHAR":
		if n, err := strconv.Atoi(arg(0).s); err == nil && n > 0 && n < 0x110000 {
			s := string(rune(n))
			return fval{s: s, pieces: []string{s}, char: true}
		}
	case "WEBSERVICE", "FILTERXML", "IMAGE":
		return fval{s: string(holeOpaque)}
	}
	if envFunctions[name] {
		return fval{s: string(holeEnv)}
	}
	return fval{s: string(carried(holeOpaque, args...))}
}

// carried is the hole a value computed from vs stands for: what the
// reader types or what the machine tells, when any of vs carries it (a
// function of the reader's input is still the reader's input), else h.
func carried(h byte, vs ...fval) byte {
	for _, want := range []byte{holeInput, holeEnv} {
		for _, v := range vs {
			if strings.IndexByte(v.s, want) >= 0 {
				return want
			}
		}
	}
	return h
}

// a1Ref reads A1, $A$1 (columns up to XFD, rows up to 1048576).
func a1Ref(w, sheet string) (cellKey, bool) {
	w = strings.ReplaceAll(w, "$", "")
	i := 0
	col := 0
	for i < len(w) && isASCIILetter(w[i]) && i < 3 {
		col = col*26 + int(w[i]|0x20-'a'+1)
		i++
	}
	if i == 0 || i == len(w) || col > 16384 {
		return cellKey{}, false
	}
	row, err := strconv.Atoi(w[i:])
	if err != nil || row < 1 || row > 1<<20 || w[i] == '+' || w[i] == '-' {
		return cellKey{}, false
	}
	return cellKey{sheet, row, col}, true
}

// r1c1Ref reads R1C2, as unpack's listings write absolute references.
func r1c1Ref(w, sheet string) (cellKey, bool) {
	u := strings.ToUpper(w)
	if !strings.HasPrefix(u, "R") {
		return cellKey{}, false
	}
	r, c, ok := strings.Cut(u[1:], "C")
	if !ok {
		return cellKey{}, false
	}
	row, err1 := strconv.Atoi(r)
	col, err2 := strconv.Atoi(c)
	if err1 != nil || err2 != nil || row < 1 || col < 1 || r[0] == '+' || c[0] == '+' || r[0] == '-' || c[0] == '-' {
		return cellKey{}, false
	}
	return cellKey{sheet, row, col}, true
}

// odsRef reads an OpenDocument reference's first cell and, for a range,
// every cell: .A1, $Sheet1.$A$1, 'My sheet'.A1, .A1:.B2.
func odsRef(ref, sheet string) []cellKey {
	one := func(s string) (cellKey, bool) {
		s = strings.TrimPrefix(s, "$")
		sh := sheet
		if i := strings.LastIndexByte(s, '.'); i >= 0 {
			if i > 0 {
				sh = strings.ToLower(strings.Trim(strings.TrimPrefix(s[:i], "$"), "'"))
			}
			s = s[i+1:]
		}
		return a1Ref(s, sh)
	}
	a, b, isArea := strings.Cut(ref, ":")
	k1, ok := one(a)
	if !ok {
		return nil
	}
	if isArea {
		if k2, ok := one(b); ok {
			return areaCells(k1, k2)
		}
	}
	return []cellKey{k1}
}
