package unpack

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/kensa-milter/kensa/message"
	"golang.org/x/text/width"
)

// Excel 4.0 (XLM) macros in a BIFF8 Workbook stream (MS-XLS), written from
// the specification. A macro sheet's formulas are decompiled to text, one
// listing per sheet, with the workbook's auto-run names on top, so that YARA
// and the heuristics read them like VBA source. CHAR(n) of a constant and
// "a"&"b" of constants are folded, as the first step attackers' obfuscation
// needs undoing.

// XLMHeader starts every listing; XLMAutoRun starts a line naming an
// auto-run name. The heuristics read both; a formula line cannot start with
// either (formula lines start with R, control characters in strings are
// replaced).
const (
	XLMHeader  = "' Excel 4.0 macro sheet "
	XLMAutoRun = "' auto-run name "
	XLMCharObf = "' CHAR obfuscation"
	XLMDDE     = "' DDE link "
)

// BIFF record types we read.
const (
	biffFormula     = 0x0006
	biffShrFmla     = 0x04BC
	biffArray       = 0x0221
	biffEOF         = 0x000A
	biffExternSheet = 0x0017
	biffLbl         = 0x0018
	biffExternName  = 0x0023
	biffFilePass    = 0x002F
	biffBoundSheet  = 0x0085
	biffSupBook     = 0x01AE
	biffBOF         = 0x0809
	biffLabelSST    = 0x00FD
	biffNumber      = 0x0203
	biffRK          = 0x027E
)

// Bounds on what one workbook may make us do.
const (
	maxBIFFRecords   = 1 << 20
	maxXLMLines      = 20000
	maxXLMListing    = 4 << 20
	maxFormulaTokens = 4096
	maxBIFFNames     = 4096 // defined names, external references, their names
	maxDecompiled    = 1 << 16
)

// sharedCell is a cell holding a shared formula (ptgExp) and the first
// cell of that formula, whose SHRFMLA record has not come yet.
type sharedCell struct{ cell, first [2]int }

type xlmSheet struct {
	at    uint32 // where its BOUNDSHEET says its substream starts
	name  string
	state byte // 0 visible, 1 hidden, 2 very hidden
	macro bool
	lines []string
}

// XLMWorkbook is what a Workbook stream says about macros.
type XLMWorkbook struct {
	Listings  map[string]string // sheet name → listing, for macro sheets
	Order     []string          // sheet names in Listings, in workbook order
	Encrypted bool              // a FILEPASS record: the rest is encrypted
	DDE       []string          // DDE links as formulas (=app|'topic'!A0), and cell formulas that use one
	External  []string          // the files of its external references to other workbooks, decoded (xlsVirtualPath)
	// Web is, when a cell formula calls a function that fetches from the
	// web (WebFunctions), what its address is built from: the workbook's
	// defined names (WebName lines), its sheets' formulas, decompiled
	// ("Sheet!R1C1: =formula"), and their string and number cells
	// ("Sheet!R1C2 = "quoted"").
	Web []string
}

// WebName starts a defined name's line in XLMWorkbook.Web: the name, " = ",
// its formula.
const WebName = "' name "

// webListing is the Web listing being built: names, cells, and whether a
// formula calls a web function (without one there is no listing).
type webListing struct {
	lines []string
	size  int
	calls bool
}

func (w *webListing) add(line string) {
	if len(w.lines) < maxXLMLines && w.size < maxXLMListing {
		w.lines = append(w.lines, line)
		w.size += len(line)
	}
}

// formula adds a cell's decompiled formula.
func (w *webListing) formula(sheet string, row, col int, text string) {
	w.calls = w.calls || callsWebFunction(text)
	w.add(fmt.Sprintf("%s!R%dC%d: =%s", cleanXLM(sheet), row+1, col+1, text))
}

// value adds a cell's value.
func (w *webListing) value(sheet string, row, col int, v string) {
	if v != "" {
		w.add(fmt.Sprintf("%s!R%dC%d = %s", cleanXLM(sheet), row+1, col+1, strconv.Quote(v)))
	}
}

// done is the listing with the names first, or nil without a web call.
func (w *webListing) done(names [][2]string) []string {
	if !w.calls {
		return nil
	}
	var out []string
	for _, n := range names {
		if !strings.HasPrefix(strings.ToLower(n[0]), "_xlfn.") && len(out) < maxBIFFNames { // not a future function's name
			out = append(out, WebName+cleanXLM(n[0])+" = "+n[1])
		}
	}
	return append(out, w.lines...)
}

// rkNumber decodes an RkNumber (MS-XLS 2.5.217): a 30-bit integer or the
// high bits of a double, divided by 100 when fX100 is set.
func rkNumber(rk uint32) string {
	var v float64
	if rk&2 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		v /= 100
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// WebFunctions are the worksheet functions that fetch from an address as
// they are calculated, as files name them (functions newer than Excel
// 2007 carry the _xlfn. prefix): WEBSERVICE (Excel 2013), IMAGE (Excel
// 365, a picture from the web in the cell).
var WebFunctions = []string{"_xlfn.WEBSERVICE", "_xlfn.IMAGE"}

// callsWebFunction: a decompiled formula calls one of WebFunctions.
func callsWebFunction(text string) bool {
	t := strings.ToUpper(text)
	for _, f := range WebFunctions {
		if strings.Contains(t, strings.ToUpper(f)+"(") {
			return true
		}
	}
	return false
}

// isWebFunction: name is one of WebFunctions, in any case.
func isWebFunction(name string) bool {
	for _, f := range WebFunctions {
		if strings.EqualFold(name, f) {
			return true
		}
	}
	return false
}

// supBook is an external reference (SUPBOOK): a DDE link when dde is set,
// with the names (EXTERNNAME: DDE items) a formula refers to by index.
type supBook struct {
	app, topic string
	dde        bool
	names      []string
}

// xlsVirtualPath decodes the file path of an external reference as an
// .xls writes it (MS-XLS 2.5.277 VirtualPath): after a leading 0x01, 0x01
// and a letter is that drive, 0x01 @ starts a UNC path (\\server), 0x02
// is the root of the drive, 0x03 a folder separator, 0x04 the parent
// folder, 0x05 and a length character start a URL; 0x06-0x08 name
// Excel's own folders. A path without the leading 0x01 is as written.
func xlsVirtualPath(s string) string {
	rest, ok := strings.CutPrefix(s, "\x01")
	if !ok {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; c {
		case 0x01:
			if i+1 < len(rest) {
				i++
				if rest[i] == '@' {
					sb.WriteString(`\\`)
				} else {
					sb.WriteString(rest[i:i+1] + `:\`)
				}
			}
		case 0x02, 0x03:
			sb.WriteByte('\\')
		case 0x04:
			sb.WriteString(`..\`)
		case 0x05:
			i++ // the URL's length
		case 0x06, 0x07, 0x08:
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// formulaEnv is what a formula's tokens refer to: the workbook's defined
// names, its external references (through EXTERNSHEET), and the token
// layout (BIFF8 in .xls, BIFF12 in .xlsb).
type formulaEnv struct {
	names    []string
	xti      []xtiRef // EXTERNSHEET entries
	supbooks []supBook
	self     map[int]bool // supbooks indexes that are this workbook
	sheets   []string     // this workbook's sheets in tab order
	biff12   bool
	// at is the cell (0-based row, column) a shared formula is read for:
	// its relative references (ptgRefN, ptgAreaN) are offsets from it.
	at *[2]int
}

// xtiRef is an EXTERNSHEET entry: a supbooks index and the first sheet
// (its tab index in that workbook) of the references made through it.
type xtiRef struct{ book, first int }

// setSelf records that the supbook at index i is this workbook (SUPBOOK
// 0x0401, BrtSupSelf and BrtSupSame).
func (env *formulaEnv) setSelf(i int) {
	if env.self == nil {
		env.self = map[int]bool{}
	}
	env.self[i] = true
}

// sheet3d is the sheet a 3-D reference (ptgRef3d, ptgArea3d) names, as a
// formula writes it ('Data'!), "" when it is another workbook's or not
// known: the reference is then read on the formula's own sheet.
func (env *formulaEnv) sheet3d(ixti int) string {
	if ixti < 0 || ixti >= len(env.xti) {
		return ""
	}
	x := env.xti[ixti]
	if !env.self[x.book] || x.first < 0 || x.first >= len(env.sheets) {
		return ""
	}
	return "'" + strings.ReplaceAll(cleanXLM(env.sheets[x.first]), "'", "''") + "'!"
}

// ddeRef is a DDE reference as Excel shows it in a formula. A quote in the
// topic would end it early for a reader: it becomes a double quote.
func ddeRef(app, topic, item string) string {
	return cleanXLM(app) + "|'" + strings.ReplaceAll(cleanXLM(topic), "'", `"`) + "'!" + cleanXLM(item)
}

var sheetStates = [...]string{"visible", "hidden", "very hidden"}

// readXLM reads a BIFF8 Workbook stream. It never fails: what cannot be
// read is left out.
func readXLM(b []byte) XLMWorkbook {
	le := binary.LittleEndian
	var wb XLMWorkbook
	var sheets []*xlmSheet
	env := &formulaEnv{} // defined names in order (ptgName), external references (ptgNameX)
	var autos []string
	var cur *xlmSheet
	obfuscated := false
	web := false // an external name is a WebFunction: ordinary sheets' formulas are read
	var listing webListing
	var names [][2]string // defined names and their formulas, for listing
	var sst []string
	total, decompiled := 0, 0
	// A sheet's shared formulas by their first cell (SHRFMLA after it),
	// and the cell whose ptgExp waits for the SHRFMLA that follows it.
	shared := map[[2]int][]byte{}
	var waiting *sharedCell
	// emit records a cell's formula: a DDE formula, a web workbook's
	// listing, a macro sheet's line.
	emit := func(row, col int, f formula) {
		line := fmt.Sprintf("R%dC%d: =%s", row+1, col+1, f.text)
		if f.dde && len(wb.DDE) < maxXLMLines {
			wb.DDE = append(wb.DDE, cleanXLM(cur.name)+"!"+line)
			total += len(line)
		}
		if web && !cur.macro {
			listing.formula(cur.name, row, col, f.text)
		}
		if !cur.macro || len(cur.lines) >= maxXLMLines {
			return
		}
		obfuscated = obfuscated || f.charObf
		total += len(line)
		cur.lines = append(cur.lines, line)
	}
	var sstSegs [][]byte // the SST and its CONTINUE records, read once the names are known
	n := 0               // records read, in all substreams
	// run reads the substream starting at start (a BOF): the workbook
	// globals when sheet is nil and globals is set, else a sheet (sheet
	// nil: a sheet no BOUNDSHEET points at, read only when its BOF says
	// macro sheet). A substream nested in it (a chart's) is passed over.
	// It returns where the substream ends.
	run := func(start int, sheet *xlmSheet, globals bool) int {
		p, depth := start, 0
		for ; p+4 <= len(b) && n < maxBIFFRecords; n++ {
			id := le.Uint16(b[p:])
			size := int(le.Uint16(b[p+2:]))
			at := p
			p += 4
			if size > len(b)-p {
				size = len(b) - p
			}
			data := b[p : p+size]
			p += size
			if depth == 0 && id != biffBOF {
				return p // not a substream
			}
			switch {
			case id == biffBOF && depth == 0:
				depth = 1
			case id == biffBOF && globals:
				return at // a sheet's BOF where the globals' EOF should be: the globals end here
			case id == biffBOF:
				depth++
				continue
			case id == biffEOF:
				if depth--; depth == 0 {
					cur = nil
					return p
				}
				continue
			case depth > 1: // inside a nested substream
				continue
			}
			switch id {
			case biffBOF:
				clear(shared)
				waiting = nil
				cur = sheet
				macro := len(data) >= 4 && le.Uint16(data[2:]) == 0x0040
				if cur == nil && !globals && macro {
					// A macro sheet no BOUNDSHEET points at: still read it.
					cur = &xlmSheet{name: fmt.Sprintf("sheet@%d", at), macro: true}
					sheets = append(sheets, cur)
				}
				if cur != nil && macro {
					cur.macro = true
				}
			case biffFilePass:
				wb.Encrypted = true
			case biffBoundSheet:
				if len(data) < 8 {
					continue
				}
				if !globals {
					continue
				}
				s := &xlmSheet{at: le.Uint32(data), state: data[4] & 3, macro: data[5] == 1}
				s.name, _ = biffShortString(data[6:])
				sheets = append(sheets, s)
				if len(env.sheets) < maxBIFFNames {
					env.sheets = append(env.sheets, s.name)
				}
			case biffLbl:
				name, expr, builtin := readLbl(data, env)
				if len(env.names) < maxBIFFNames {
					env.names = append(env.names, name)
					names = append(names, [2]string{name, expr})
				}
				web = web || isWebFunction(name) // Excel keeps a future function as a hidden name
				if IsAutoRunName(name) {
					kind := ""
					if builtin {
						kind = " (built-in)"
					}
					autos = append(autos, XLMAutoRun+strconv.Quote(name)+kind+" -> "+expr)
				}
			case biffSupBook:
				if len(env.supbooks) >= maxBIFFNames {
					continue
				}
				var sb supBook
				if len(data) >= 4 {
					cch := int(le.Uint16(data[2:]))
					path, _ := biffUnicodeNoCch(data[4:], cch)
					switch {
					case cch == 0x0401: // this workbook
						env.setSelf(len(env.supbooks))
					case cch == 0x3A01 || path == "": // add-in functions
					case le.Uint16(data) > 0 || strings.HasPrefix(path, "\x01"):
						// Another workbook: its sheets, then its path,
						// encoded (LibreOffice writes no sheets when it
						// cached none: still a path, not a DDE link).
						if len(wb.External) < maxBIFFNames {
							wb.External = append(wb.External, xlsVirtualPath(path))
						}
					case strings.ContainsRune(path, 3):
						// A DDE or OLE link: virtPath is the application, U+0003, the topic.
						sb.app, sb.topic, _ = strings.Cut(path, "\x03")
						sb.dde = true
						wb.DDE = append(wb.DDE, "="+ddeRef(sb.app, sb.topic, "A0"))
					}
				}
				env.supbooks = append(env.supbooks, sb)
			case biffExternName:
				// flags, 4 bytes (reserved, or ixals and reserved), the name.
				if n := len(env.supbooks); n > 0 && len(data) >= 7 && len(env.supbooks[n-1].names) < maxBIFFNames {
					name, _ := biffShortString(data[6:])
					env.supbooks[n-1].names = append(env.supbooks[n-1].names, name)
					web = web || isWebFunction(name)
				}
			case biffExternSheet:
				if len(data) < 2 {
					continue
				}
				env.xti = env.xti[:0]
				for k := 2; k+6 <= len(data) && len(env.xti) < maxBIFFNames; k += 6 {
					env.xti = append(env.xti, xtiRef{int(le.Uint16(data[k:])), int(int16(le.Uint16(data[k+2:])))})
				}
			case biffSST:
				// The shared strings, with the CONTINUE records after them:
				// read once the globals are, for the cells of a workbook
				// that fetches from the web (its names may come after).
				if !globals {
					continue
				}
				sstSegs = [][]byte{data}
				for q := p; q+4 <= len(b) && le.Uint16(b[q:]) == biffContinue && len(sstSegs) < 1<<14; {
					n := min(int(le.Uint16(b[q+2:])), len(b)-q-4)
					sstSegs = append(sstSegs, b[q+4:q+4+n])
					q += 4 + n
				}
			case biffLabelSST, biffLabel, biffNumber, biffRK:
				if !web || cur == nil || cur.macro || len(data) < 6 {
					continue
				}
				row, col := int(le.Uint16(data)), int(le.Uint16(data[2:]))
				v := ""
				switch {
				case id == biffLabelSST && len(data) >= 10:
					if k := int(le.Uint32(data[6:])); k < len(sst) {
						v = sst[k]
					}
				case id == biffLabel && len(data) >= 9:
					r := &biffText{segs: [][]byte{data[8:]}}
					v = r.chars(int(le.Uint16(data[6:])), r.byte()&1 != 0)
				case id == biffNumber && len(data) >= 14:
					v = strconv.FormatFloat(math.Float64frombits(le.Uint64(data[6:])), 'f', -1, 64)
				case id == biffRK && len(data) >= 10:
					v = rkNumber(le.Uint32(data[6:]))
				}
				listing.value(cur.name, row, col, v)
			case biffShrFmla, biffArray:
				// SHRFMLA: RefU, reserved, cUse; ARRAY: RefU, flags,
				// reserved (4 bytes); then the formula (cce, rgce): the
				// one the cell before it and the cells pointing at it share.
				at := 8
				if id == biffArray {
					at = 12
				}
				if waiting == nil || len(data) < at+2 || len(shared) >= maxBIFFNames {
					continue
				}
				rgce := data[at+2:]
				if cce := int(le.Uint16(data[at:])); cce < len(rgce) {
					rgce = rgce[:cce]
				}
				shared[waiting.first] = rgce
				w := *waiting
				waiting = nil
				if cur == nil || total > maxXLMListing || !cur.macro && len(wb.DDE) == 0 && !web || decompiled >= maxDecompiled {
					continue
				}
				decompiled++
				env.at = &w.cell
				f := decompileFormula(rgce, env)
				env.at = nil
				emit(w.cell[0], w.cell[1], f)
			case biffFormula:
				// Macro sheets are listed whole; on other sheets only a formula
				// that talks DDE matters (=cmd|' /C calc'!A0), and only a
				// workbook with a DDE link can hold one; in a workbook that
				// fetches from the web, every formula (what addresses are
				// built from).
				if cur == nil || len(data) < 22 || total > maxXLMListing || !cur.macro && len(wb.DDE) == 0 && !web || decompiled >= maxDecompiled {
					continue
				}
				row, col := le.Uint16(data), le.Uint16(data[2:])
				cce := int(le.Uint16(data[20:]))
				rgce := data[22:]
				if cce < len(rgce) {
					rgce = rgce[:cce]
				}
				if len(rgce) == 5 && rgce[0] == 0x01 { // ptgExp: a shared formula's cell
					cell := [2]int{int(row), int(col)}
					first := [2]int{int(le.Uint16(rgce[1:])), int(le.Uint16(rgce[3:]))}
					sf, ok := shared[first]
					if !ok {
						waiting = &sharedCell{cell: cell, first: first} // its SHRFMLA comes next
						continue
					}
					decompiled++
					env.at = &cell
					f := decompileFormula(sf, env)
					env.at = nil
					emit(cell[0], cell[1], f)
					continue
				}
				decompiled++
				emit(int(row), int(col), decompileFormula(rgce, env))
			}
		}
		return p
	}
	// The globals first, whatever order their records come in; then each
	// sheet where its BOUNDSHEET says it starts, as Excel and LibreOffice
	// seek to it (a sheet inside another record's body, or out of order,
	// is still read); then what else the stream holds after the globals:
	// a macro sheet no BOUNDSHEET points at.
	end := run(0, nil, true)
	if web && sstSegs != nil {
		sst = sstStrings(sstSegs, maxBIFFNames*16)
	}
	read := map[int]int{} // substreams read: start → end
	for _, s := range sheets {
		if at := int(s.at); at >= end && at+4 <= len(b) && n < maxBIFFRecords {
			if _, ok := read[at]; !ok {
				read[at] = run(at, s, false)
			}
		}
	}
	for p := end; p+4 <= len(b) && n < maxBIFFRecords; n++ {
		if e, ok := read[p]; ok {
			p = e
			continue
		}
		if le.Uint16(b[p:]) == biffBOF {
			read[p] = run(p, nil, false)
			p = read[p]
			continue
		}
		p += 4 + int(le.Uint16(b[p+2:]))
	}
	wb.Web = listing.done(names)
	wb.Listings = map[string]string{}
	for _, s := range sheets {
		if !s.macro {
			continue
		}
		var sb strings.Builder
		sb.WriteString(XLMHeader + strconv.Quote(s.name) + " (" + sheetStates[min(int(s.state), 2)] + ")\n")
		for _, a := range autos {
			sb.WriteString(a + "\n")
		}
		if obfuscated {
			sb.WriteString(XLMCharObf + "\n")
		}
		for _, l := range s.lines {
			sb.WriteString(l + "\n")
		}
		name := s.name
		for i := 2; wb.Listings[name] != ""; i++ {
			name = fmt.Sprintf("%s~%d", s.name, i)
		}
		wb.Listings[name] = sb.String()
		wb.Order = append(wb.Order, name)
	}
	return wb
}

// IsAutoRunName: Excel runs a name starting with Auto_Open or Auto_Close
// (any case, "Auto_Open2" too). Width variants and invisible characters are
// folded away first, the way a reader would see the name.
func IsAutoRunName(name string) bool {
	n := strings.ToLower(width.Fold.String(name))
	n = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, n)
	return strings.HasPrefix(n, "auto_open") || strings.HasPrefix(n, "auto_close")
}

// readLbl reads a Lbl record: the name (built-in names 1 and 2 spelled out)
// and its formula.
func readLbl(d []byte, env *formulaEnv) (name, expr string, builtin bool) {
	if len(d) < 15 {
		return "", "", false
	}
	le := binary.LittleEndian
	flags := le.Uint16(d)
	cch := int(d[3])
	cce := int(le.Uint16(d[4:]))
	name, n := biffUnicodeNoCch(d[14:], cch)
	builtin = flags&0x20 != 0
	if builtin && len([]rune(name)) == 1 {
		switch []rune(name)[0] {
		case 1:
			name = "Auto_Open"
		case 2:
			name = "Auto_Close"
		}
	}
	rest := d[min(14+n, len(d)):]
	if cce < len(rest) {
		rest = rest[:cce]
	}
	expr = decompileFormula(rest, env).text
	return name, expr, builtin
}

// biffShortString is a ShortXLUnicodeString: cch, flags, characters.
func biffShortString(b []byte) (string, int) {
	if len(b) < 1 {
		return "", 0
	}
	s, n := biffUnicodeNoCch(b[1:], int(b[0]))
	return s, n + 1
}

// biffUnicodeNoCch is a flags byte then cch characters, one or two bytes each.
func biffUnicodeNoCch(b []byte, cch int) (string, int) {
	if len(b) < 1 {
		return "", 0
	}
	if b[0]&1 == 0 {
		n := min(cch, len(b)-1)
		r := make([]rune, n)
		for i := range r {
			r[i] = rune(b[1+i]) // Latin-1
		}
		return string(r), 1 + n
	}
	n := min(cch, (len(b)-1)/2)
	return message.UTF16LE(b[1 : 1+2*n]), 1 + 2*n
}

// xlmTerm is one value on the decompiler's stack: its text, and the string
// it stands for when it is a constant.
type xlmTerm struct {
	text  string
	lit   string
	isLit bool
}

var binaryOps = map[byte]string{0x03: "+", 0x04: "-", 0x05: "*", 0x06: "/", 0x07: "^", 0x08: "&", 0x09: "<", 0x0A: "<=",
	0x0B: "=", 0x0C: ">=", 0x0D: ">", 0x0E: "<>", 0x0F: " ", 0x10: ",", 0x11: ":"}

// ftabNames are the built-in functions attackers use, and a few others so
// that listings read well. Others print as FN<index>.
var ftabNames = map[uint16]string{0x00: "COUNT", 0x01: "IF", 0x04: "SUM", 0x1F: "MID", 0x20: "LEN", 0x35: "GOTO", 0x36: "HALT",
	0x37: "RETURN", 0x58: "SET.NAME", 0x6C: "SET.VALUE", 0x6E: "EXEC", 0x6F: "CHAR", 0x79: "CODE", 0x84: "FOPEN",
	0x85: "FCLOSE", 0x89: "FWRITELN", 0x8A: "FWRITE", 0x94: "INDIRECT", 0x95: "REGISTER", 0x96: "CALL", 0xAB: "FOR",
	0xAC: "WHILE", 0xAE: "NEXT", 0xB2: "EXECUTE", 0xBA: "GET.WORKSPACE", 0xBC: "GET.DOCUMENT", 0xEC: "CREATE.OBJECT",
	0x101: "EVALUATE", 0x10B: "REGISTER.ID", 0x150: "CONCATENATE"}

// cetabNames are command-equivalent functions (ptgFuncVar with bit 15).
var cetabNames = map[uint16]string{0x11: "RUN", 0x60: "FORMULA", 0x61: "FORMULA.FILL", 0x62: "FORMULA.ARRAY", 0x76: "ALERT",
	0x5D: "HIDE", 0x5E: "UNHIDE", 0x0A: "QUIT", 0x06: "FILE.DELETE"}

// fixedArgs are the argument counts of fixed-arity functions (ptgFunc);
// one when unknown.
var fixedArgs = map[uint16]int{0x02: 1, 0x03: 1, 0x0A: 0, 0x13: 0, 0x1E: 2, 0x1F: 3, 0x20: 1, 0x21: 1, 0x22: 0, 0x23: 0,
	0x26: 1, 0x27: 2, 0x3F: 0, 0x41: 3, 0x42: 3, 0x4A: 0, 0x6F: 1, 0x70: 1, 0x71: 1, 0x72: 1, 0x75: 2, 0x76: 1, 0x79: 1,
	0xDD: 0, 0x35: 1, 0x36: 0}

// formula is a decompiled formula: its text, whether it spelled something
// with CHAR(), whether it refers to a DDE link.
type formula struct {
	text         string
	charObf, dde bool
}

// relative is the 1-based cell a BIFF8 shared formula's reference (its
// row and its column field, RgceLocRel and ColRelNegU) names when read
// for the cell env.at: a relative row is a signed 16-bit offset, a
// relative column a signed 8-bit one (256 columns), both wrapping as
// Excel's do.
func (env *formulaEnv) relative(row, col uint16) (int, int) {
	r, c := int(row), int(col&0xFF)
	if col&0x8000 != 0 { // fRwRel
		r = (env.at[0] + int(int16(row))) & 0xFFFF
	}
	if col&0x4000 != 0 { // fColRel
		c = (env.at[1] + int(int8(col&0xFF))) & 0xFF
	}
	return r + 1, c + 1
}

// relative12 is relative for a BIFF12 shared formula (RgceLocRel of
// MS-XLSB): the row a signed 32-bit offset wrapping at Excel's 1048576
// rows, the column a signed 14-bit one wrapping at its 16384 columns.
func (env *formulaEnv) relative12(row uint32, col uint16) (int, int) {
	r, c := int(row), int(col&0x3FFF)
	if col&0x8000 != 0 { // fRwRel
		r = (env.at[0] + int(int32(row))) & 0xFFFFF
	}
	if col&0x4000 != 0 { // fColRel
		c = (env.at[1] + int(int16(col<<2)>>2)) & 0x3FFF
	}
	return r + 1, c + 1
}

// ptgSize is the size of a reference token's body after the token byte:
// BIFF12 widens rows to 32 bits and drops the flags byte of strings.
func (env *formulaEnv) ptgSize(base byte) int {
	if env.biff12 {
		return ptgSizes12[base]
	}
	return ptgSizes8[base]
}

var (
	ptgSizes8  = map[byte]int{0x20: 7, 0x24: 4, 0x2C: 4, 0x25: 8, 0x2D: 8, 0x2A: 4, 0x2B: 8, 0x3A: 6, 0x3C: 6, 0x3B: 10, 0x3D: 10}
	ptgSizes12 = map[byte]int{0x20: 14, 0x24: 6, 0x2C: 6, 0x25: 12, 0x2D: 12, 0x2A: 6, 0x2B: 12, 0x3A: 8, 0x3C: 8, 0x3B: 14, 0x3D: 14}
)

// extName is the text of an external name (ptgNameX): app|'topic'!item
// for a DDE link.
func (env *formulaEnv) extName(ixti, k int) (string, bool) {
	if ixti >= 0 && ixti < len(env.xti) {
		if sb := env.xti[ixti].book; sb >= 0 && sb < len(env.supbooks) {
			b := env.supbooks[sb]
			item := fmt.Sprintf("NAME%d", k)
			if k >= 1 && k <= len(b.names) {
				item = b.names[k-1]
			}
			if b.dde {
				return ddeRef(b.app, b.topic, item), true
			}
			return cleanXLM(item), false
		}
	}
	return fmt.Sprintf("EXTNAME%d", k), false
}

// decompileFormula turns parsed tokens (an Rgce) into formula text. It
// stops at the first token it does not know; what it has is kept.
func decompileFormula(rgce []byte, env *formulaEnv) formula {
	le := binary.LittleEndian
	var st []xlmTerm
	var out formula
	push := func(t xlmTerm) {
		if len(st) < maxFormulaTokens {
			st = append(st, t)
		}
	}
	pop := func() xlmTerm {
		if len(st) == 0 {
			return xlmTerm{text: "?"}
		}
		t := st[len(st)-1]
		st = st[:len(st)-1]
		return t
	}
	lit := func(s string) xlmTerm {
		return xlmTerm{text: `"` + strings.ReplaceAll(cleanXLM(s), `"`, `""`) + `"`, lit: s, isLit: true}
	}
	call := func(name string, argc int) {
		args := make([]xlmTerm, argc)
		for i := argc - 1; i >= 0; i-- {
			args[i] = pop()
		}
		if name == "CHAR" && argc == 1 {
			out.charObf = true
			if v, err := strconv.ParseFloat(args[0].text, 64); err == nil && v >= 1 && v <= 255 {
				push(lit(string(rune(int(v)))))
				return
			}
		}
		texts := make([]string, argc)
		for i, a := range args {
			texts[i] = a.text
		}
		push(xlmTerm{text: name + "(" + strings.Join(texts, ",") + ")"})
	}
	i := 0
	unknown := false
	for i < len(rgce) && !unknown {
		ptg := rgce[i]
		i++
		base := ptg // the token without its class bits (reference, value, array)
		if ptg >= 0x20 {
			base = ptg&0x1F | 0x20
		}
		need := func(n int) bool {
			if i+n > len(rgce) {
				unknown = true
				return false
			}
			return true
		}
		// cell reads a row (16 bits in BIFF8, 32 in BIFF12) and a column.
		cell := func(at int) (int, int) {
			if env.biff12 {
				return int(le.Uint32(rgce[at:])) + 1, int(le.Uint16(rgce[at+4:])&0x3FFF) + 1
			}
			return int(le.Uint16(rgce[at:])) + 1, int(le.Uint16(rgce[at+2:])&0x3FFF) + 1
		}
		switch {
		case binaryOps[ptg] != "":
			b, a := pop(), pop()
			if ptg == 0x08 && a.isLit && b.isLit {
				push(lit(a.lit + b.lit))
				continue
			}
			push(xlmTerm{text: a.text + binaryOps[ptg] + b.text})
		case ptg == 0x12 || ptg == 0x13:
			a := pop()
			push(xlmTerm{text: map[byte]string{0x12: "+", 0x13: "-"}[ptg] + a.text})
		case ptg == 0x14:
			a := pop()
			push(xlmTerm{text: a.text + "%"})
		case ptg == 0x15:
			a := pop()
			a.text = "(" + a.text + ")"
			push(a)
		case ptg == 0x16:
			push(xlmTerm{})
		case ptg == 0x17: // ptgStr
			if env.biff12 { // cch, UTF-16
				if !need(2) {
					break
				}
				n := int(le.Uint16(rgce[i:]))
				i += 2
				n = min(n, (len(rgce)-i)/2)
				push(lit(message.UTF16LE(rgce[i : i+2*n])))
				i += 2 * n
				break
			}
			if !need(2) {
				break
			}
			s, n := biffUnicodeNoCch(rgce[i+1:], int(rgce[i]))
			i += 1 + n
			push(lit(s))
		case ptg == 0x19: // ptgAttr
			if !need(3) {
				break
			}
			grbit, arg := rgce[i], int(le.Uint16(rgce[i+1:]))
			i += 3
			if grbit&0x04 != 0 { // tAttrChoose: a jump table follows
				i += 2 * (arg + 1)
			}
			if grbit&0x10 != 0 { // tAttrSum
				call("SUM", 1)
			}
		case ptg == 0x1C || ptg == 0x1D:
			if need(1) {
				push(xlmTerm{text: strconv.Itoa(int(rgce[i]))})
				i++
			}
		case ptg == 0x1E:
			if need(2) {
				push(xlmTerm{text: strconv.Itoa(int(le.Uint16(rgce[i:])))})
				i += 2
			}
		case ptg == 0x1F:
			if need(8) {
				push(xlmTerm{text: strconv.FormatFloat(math.Float64frombits(le.Uint64(rgce[i:])), 'g', -1, 64)})
				i += 8
			}
		case base == 0x20: // ptgArray
			if n := env.ptgSize(base); need(n) {
				push(xlmTerm{text: "{array}"})
				i += n
			}
		case base == 0x21: // ptgFunc
			if need(2) {
				tab := le.Uint16(rgce[i:])
				i += 2
				argc, ok := fixedArgs[tab]
				if !ok {
					argc = 1
				}
				call(funcName(tab, false), argc)
			}
		case base == 0x22: // ptgFuncVar
			if need(3) {
				argc := int(rgce[i] & 0x7F)
				tab := le.Uint16(rgce[i+1:])
				i += 3
				if tab&0x7FFF == 0xFF && tab&0x8000 == 0 && argc > 0 { // a user-defined function: its name is the first argument
					args := make([]string, argc-1)
					for k := argc - 2; k >= 0; k-- {
						args[k] = pop().text
					}
					fn := pop().text
					push(xlmTerm{text: fn + "(" + strings.Join(args, ",") + ")"})
					continue
				}
				call(funcName(tab&0x7FFF, tab&0x8000 != 0), argc)
			}
		case base == 0x23: // ptgName
			if need(4) {
				k := int(le.Uint32(rgce[i:]))
				i += 4
				n := fmt.Sprintf("NAME%d", k)
				if k >= 1 && k <= len(env.names) && env.names[k-1] != "" {
					n = env.names[k-1]
				}
				push(xlmTerm{text: cleanXLM(n)})
			}
		case base == 0x24 || base == 0x2C: // ptgRef, ptgRefN
			if n := env.ptgSize(base); need(n) {
				r, c := cell(i)
				switch {
				case base == 0x2C && env.at != nil && env.biff12:
					r, c = env.relative12(le.Uint32(rgce[i:]), le.Uint16(rgce[i+4:]))
				case base == 0x2C && env.at != nil:
					r, c = env.relative(le.Uint16(rgce[i:]), le.Uint16(rgce[i+2:]))
				}
				push(xlmTerm{text: fmt.Sprintf("R%dC%d", r, c)})
				i += n
			}
		case base == 0x25 || base == 0x2D: // ptgArea, ptgAreaN
			if n := env.ptgSize(base); need(n) {
				var r1, r2, c1, c2 int
				switch {
				case base == 0x2D && env.at != nil && env.biff12:
					r1, c1 = env.relative12(le.Uint32(rgce[i:]), le.Uint16(rgce[i+8:]))
					r2, c2 = env.relative12(le.Uint32(rgce[i+4:]), le.Uint16(rgce[i+10:]))
				case env.biff12:
					r1, r2 = int(le.Uint32(rgce[i:]))+1, int(le.Uint32(rgce[i+4:]))+1
					c1, c2 = int(le.Uint16(rgce[i+8:])&0x3FFF)+1, int(le.Uint16(rgce[i+10:])&0x3FFF)+1
				case base == 0x2D && env.at != nil:
					r1, c1 = env.relative(le.Uint16(rgce[i:]), le.Uint16(rgce[i+4:]))
					r2, c2 = env.relative(le.Uint16(rgce[i+2:]), le.Uint16(rgce[i+6:]))
				default:
					r1, r2 = int(le.Uint16(rgce[i:]))+1, int(le.Uint16(rgce[i+2:]))+1
					c1, c2 = int(le.Uint16(rgce[i+4:])&0x3FFF)+1, int(le.Uint16(rgce[i+6:])&0x3FFF)+1
				}
				push(xlmTerm{text: fmt.Sprintf("R%dC%d:R%dC%d", r1, c1, r2, c2)})
				i += n
			}
		case base == 0x26 || base == 0x27 || base == 0x28: // ptgMem*: the subexpression follows
			if need(6) {
				i += 6
			}
		case base == 0x29:
			if need(2) {
				i += 2
			}
		case base == 0x2A || base == 0x2B: // ptgRefErr, ptgAreaErr
			if n := env.ptgSize(base); need(n) {
				push(xlmTerm{text: "#REF!"})
				i += n
			}
		case base == 0x39: // ptgNameX: an external reference's name
			if need(6) {
				ixti := int(le.Uint16(rgce[i:]))
				k := int(le.Uint16(rgce[i+2:]))
				if env.biff12 {
					k = int(le.Uint32(rgce[i+2:]))
				}
				text, dde := env.extName(ixti, k)
				out.dde = out.dde || dde
				push(xlmTerm{text: text})
				i += 6
			}
		case base == 0x3A: // ptgRef3d: the sheet through EXTERNSHEET, then the cell
			if n := env.ptgSize(base); need(n) {
				r, c := cell(i + 2)
				push(xlmTerm{text: fmt.Sprintf("%sR%dC%d", env.sheet3d(int(le.Uint16(rgce[i:]))), r, c)})
				i += n
			}
		case base == 0x3C: // ptgRefErr3d
			if n := env.ptgSize(base); need(n) {
				push(xlmTerm{text: "#REF!"})
				i += n
			}
		case base == 0x3B: // ptgArea3d
			if n := env.ptgSize(base); need(n) {
				var r1, r2, c1, c2 int
				at := i + 2
				if env.biff12 {
					r1, r2 = int(le.Uint32(rgce[at:]))+1, int(le.Uint32(rgce[at+4:]))+1
					c1, c2 = int(le.Uint16(rgce[at+8:])&0x3FFF)+1, int(le.Uint16(rgce[at+10:])&0x3FFF)+1
				} else {
					r1, r2 = int(le.Uint16(rgce[at:]))+1, int(le.Uint16(rgce[at+2:]))+1
					c1, c2 = int(le.Uint16(rgce[at+4:])&0x3FFF)+1, int(le.Uint16(rgce[at+6:])&0x3FFF)+1
				}
				push(xlmTerm{text: fmt.Sprintf("%sR%dC%d:R%dC%d", env.sheet3d(int(le.Uint16(rgce[i:]))), r1, c1, r2, c2)})
				i += n
			}
		case base == 0x3D: // ptgAreaErr3d
			if n := env.ptgSize(base); need(n) {
				push(xlmTerm{text: "#REF!"})
				i += n
			}
		case ptg == 0x01 || ptg == 0x02: // ptgExp, ptgTbl
			if need(4) {
				push(xlmTerm{text: "SHARED"})
				i += 4
			}
		default:
			unknown = true
		}
	}
	texts := make([]string, len(st))
	for k, t := range st {
		texts[k] = t.text
	}
	out.text = strings.Join(texts, " ")
	if unknown {
		out.text += " …"
	}
	return out
}

func funcName(tab uint16, command bool) string {
	if command {
		if n, ok := cetabNames[tab]; ok {
			return n
		}
		return fmt.Sprintf("CMD%d", tab)
	}
	if n, ok := ftabNames[tab]; ok {
		return n
	}
	return fmt.Sprintf("FN%d", tab)
}

// cleanXLM keeps a listing line one line: control characters become spaces.
func cleanXLM(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return ' '
		}
		return r
	}, s)
}
