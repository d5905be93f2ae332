package unpack

import (
	"encoding/binary"
	"fmt"
	"html"
	"maps"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// Excel binary workbooks (.xlsb, MS-XLSB) keep Excel 4.0 macro sheets as
// BIFF12 record streams (xl/macrosheets/*.bin), their auto-run names in
// xl/workbook.bin and DDE links in xl/externalLinks/*.bin. The formulas are
// decompiled by the BIFF8 decompiler in its BIFF12 layout into the same
// listings as an .xls, under "xlm/", and DDE links go to "dde-links": the
// checks read an .xlsb as they read an .xls.

// BIFF12 record types we read.
const (
	b12RowHdr       = 0x0000
	b12CellRk       = 0x0002
	b12CellReal     = 0x0005
	b12CellSt       = 0x0006
	b12CellIsst     = 0x0007
	b12SSTItem      = 0x0013
	b12FmlaString   = 0x0008
	b12FmlaNum      = 0x0009
	b12FmlaBool     = 0x000A
	b12FmlaError    = 0x000B
	b12Name         = 0x0027
	b12BundleSh     = 0x009C
	b12BeginSupBook = 0x0168
	b12SupBookSrc   = 0x0163 // an external reference: its link part's relationship
	b12SupSelf      = 0x0165 // an external reference to this workbook
	b12SupSame      = 0x0166
	b12SupAddin     = 0x029B
	b12ExternSheet  = 0x016A
	b12ExternalName = 0x0241
	b12ArrFmla      = 0x01AA // an array formula, after its first cell
	b12ShrFmla      = 0x01AB // a shared formula, after its first cell
)

// biff12Records calls visit for each record of a BIFF12 stream: a type of
// one or two bytes and a size of up to four, 7 bits a byte. A truncated
// record is given what is there; reading stops at maxBIFFRecords.
func biff12Records(b []byte, visit func(typ int, data []byte)) {
	varint := func(p, max int) (int, int) {
		v := 0
		for k := 0; k < max && p+k < len(b); k++ {
			v |= int(b[p+k]&0x7F) << (7 * k)
			if b[p+k]&0x80 == 0 {
				return v, k + 1
			}
		}
		return 0, 0
	}
	for p, n := 0, 0; p < len(b) && n < maxBIFFRecords; n++ {
		typ, k := varint(p, 2)
		if k == 0 {
			return
		}
		p += k
		size, k := varint(p, 4)
		if k == 0 {
			return
		}
		p += k
		size = min(size, len(b)-p)
		visit(typ, b[p:p+size])
		p += size
	}
}

// xlWide reads an XLWideString (a 32-bit count of UTF-16 units); ok is
// false for the null string (count 0xFFFFFFFF) or too few bytes.
func xlWide(b []byte) (s string, n int, ok bool) {
	if len(b) < 4 {
		return "", len(b), false
	}
	cch := binary.LittleEndian.Uint32(b)
	if cch == 0xFFFFFFFF {
		return "", 4, false
	}
	units := int(min(uint64(cch), uint64(len(b)-4)/2))
	return message.UTF16LE(b[4 : 4+2*units]), 4 + 2*units, true
}

// xlsbBundle is a sheet xl/workbook.bin names: its state and relationship.
type xlsbBundle struct {
	state       uint32
	relID, name string
}

// xlsbBook is what xl/workbook.bin says: its sheets, its auto-run names,
// and its external references in order (a link part's relationship id, ""
// for this workbook or an add-in).
type xlsbBook struct {
	sheets      []xlsbBundle
	autos       []string
	refs        []string
	names       [][2]string      // defined names and their formulas
	externNames map[int][]string // the names of a reference (refs index) workbook.bin lists
	web         bool             // a name or an add-in's function is a WebFunction
}

// readXLSBWorkbook reads workbook.bin; the defined names go into env
// (ptgName refers to them), and so does the external sheet list (ptgNameX).
func readXLSBWorkbook(b []byte, env *formulaEnv) xlsbBook {
	le := binary.LittleEndian
	var wb xlsbBook
	biff12Records(b, func(typ int, d []byte) {
		switch typ {
		case b12BundleSh:
			if len(d) < 8 || len(wb.sheets) >= maxBIFFNames {
				return
			}
			s := xlsbBundle{state: le.Uint32(d)}
			rel, n, _ := xlWide(d[8:])
			s.relID = rel
			s.name, _, _ = xlWide(d[8+n:])
			wb.sheets = append(wb.sheets, s)
			env.sheets = append(env.sheets, s.name)
		case b12SupBookSrc, b12SupSelf, b12SupSame, b12SupAddin:
			if len(wb.refs) < maxBIFFNames {
				rel := ""
				if typ == b12SupBookSrc {
					rel, _, _ = xlWide(d)
				}
				if typ == b12SupSelf || typ == b12SupSame {
					env.setSelf(len(wb.refs))
				}
				wb.refs = append(wb.refs, rel)
			}
		case b12ExternalName: // an add-in's function, as Excel may keep a future one
			name, _, _ := xlWide(d)
			wb.web = wb.web || isWebFunction(name)
			if n := len(wb.refs); n > 0 && len(wb.externNames[n-1]) < maxBIFFNames {
				if wb.externNames == nil {
					wb.externNames = map[int][]string{}
				}
				wb.externNames[n-1] = append(wb.externNames[n-1], name)
			}
		case b12ExternSheet: // a count, then (reference, first sheet, last sheet)
			env.xti = env.xti[:0]
			for k := 4; k+12 <= len(d) && len(env.xti) < maxBIFFNames; k += 12 {
				env.xti = append(env.xti, xtiRef{int(int32(le.Uint32(d[k:]))), int(int32(le.Uint32(d[k+4:])))})
			}
		case b12Name:
			// flags (fBuiltin 0x20), chKey, itab, the name, the formula.
			if len(d) < 13 || len(env.names) >= maxBIFFNames {
				return
			}
			name, n, _ := xlWide(d[9:])
			rest := d[9+n:]
			expr := ""
			if len(rest) >= 4 {
				cce := int(min(uint64(le.Uint32(rest)), uint64(len(rest)-4)))
				expr = decompileFormula(rest[4:4+cce], env).text
			}
			env.names = append(env.names, name)
			wb.names = append(wb.names, [2]string{name, expr})
			wb.web = wb.web || isWebFunction(name) // a future function, kept as a name
			if n := strings.TrimPrefix(name, "_xlnm."); IsAutoRunName(n) {
				kind := ""
				if le.Uint32(d)&0x20 != 0 {
					kind = " (built-in)"
				}
				wb.autos = append(wb.autos, XLMAutoRun+strconv.Quote(n)+kind+" -> "+expr)
			}
		}
	})
	return wb
}

// readXLSBSheet decompiles the cell formulas of a BIFF12 sheet part into
// listing lines, and lists apart those that use a DDE link; charObf says
// whether any spelled text with CHAR(). With web set, every formula and
// the string and number cells (sst: the shared strings) go to web, under
// the sheet's name.
func readXLSBSheet(b []byte, env *formulaEnv, web *webListing, sheet string, sst []string) (lines, dde []string, charObf bool) {
	le := binary.LittleEndian
	row, total := 0, 0
	emit := func(row, col int, f formula) {
		charObf = charObf || f.charObf
		line := fmt.Sprintf("R%dC%d: =%s", row+1, col+1, f.text)
		total += len(line)
		lines = append(lines, line)
		if f.dde {
			dde = append(dde, line)
		}
		if web != nil {
			web.formula(sheet, row, col, f.text)
		}
	}
	// Shared and array formulas by their first cell (BrtShrFmla or
	// BrtArrFmla after it), and the cell whose PtgExp waits for the one
	// that follows it: each cell's formula is read for that cell.
	shared := map[[2]int][]byte{}
	var waiting *sharedCell
	decompileAt := func(rgce []byte, cell [2]int) {
		env.at = &cell
		f := decompileFormula(rgce, env)
		env.at = nil
		emit(cell[0], cell[1], f)
	}
	biff12Records(b, func(typ int, d []byte) {
		if len(lines) >= maxXLMLines || total > maxXLMListing {
			return
		}
		var value int // the cached result's size
		switch typ {
		case b12RowHdr:
			if len(d) >= 4 {
				row = int(le.Uint32(d) & 0xFFFFF)
			}
			return
		case b12CellIsst, b12CellSt, b12CellReal, b12CellRk:
			// Cell (column, style), then the value.
			if web == nil || len(d) < 12 {
				return
			}
			v := ""
			switch typ {
			case b12CellIsst:
				if k := int(le.Uint32(d[8:])); k < len(sst) {
					v = sst[k]
				}
			case b12CellSt:
				v, _, _ = xlWide(d[8:])
			case b12CellReal:
				if len(d) >= 16 {
					v = strconv.FormatFloat(math.Float64frombits(le.Uint64(d[8:])), 'f', -1, 64)
				}
			case b12CellRk:
				v = rkNumber(le.Uint32(d[8:]))
			}
			web.value(sheet, row, int(le.Uint32(d)&0x3FFF), v)
			return
		case b12ShrFmla, b12ArrFmla:
			// RfX (rows, columns: 16 bytes), a flags byte for an
			// array, then the formula (cce, rgce, cb, rgcb).
			at := 16
			if typ == b12ArrFmla {
				at = 17
			}
			if waiting == nil || len(d) < at+4 || len(shared) >= maxBIFFNames {
				return
			}
			cce := int(min(uint64(le.Uint32(d[at:])), uint64(len(d)-at-4)))
			rgce := d[at+4 : at+4+cce]
			w := *waiting
			waiting = nil
			shared[w.first] = rgce
			decompileAt(rgce, w.cell)
			return
		case b12FmlaString:
			if len(d) < 12 {
				return
			}
			_, value, _ = xlWide(d[8:])
		case b12FmlaNum:
			value = 8
		case b12FmlaBool, b12FmlaError:
			value = 1
		default:
			return
		}
		// Cell (column, style), the value, grbitFlags, cce, the tokens.
		at := 8 + value + 2
		if len(d) < at+4 {
			return
		}
		col := int(le.Uint32(d) & 0x3FFF)
		cce := int(min(uint64(le.Uint32(d[at:])), uint64(len(d)-at-4)))
		rgce := d[at+4 : at+4+cce]
		if rest := d[at+4+cce:]; len(rgce) == 5 && rgce[0] == 0x01 && len(rest) >= 8 {
			// PtgExp: a shared or array formula's cell. Its first
			// cell's row is in the token, the column in the extra data
			// after the tokens (cb, then rgcb).
			cell := [2]int{row, col}
			first := [2]int{int(le.Uint32(rgce[1:])), int(le.Uint32(rest[4:]))}
			if sf, ok := shared[first]; ok {
				decompileAt(sf, cell)
			} else {
				waiting = &sharedCell{cell: cell, first: first}
			}
			return
		}
		emit(row, col, decompileFormula(rgce, env))
	})
	return lines, dde, charObf
}

// xlsbSharedStrings reads xl/sharedStrings.bin: each BrtSSTItem's string
// (a RichStr: a flags byte, then the XLWideString).
func xlsbSharedStrings(b []byte) []string {
	var out []string
	biff12Records(b, func(typ int, d []byte) {
		if typ == b12SSTItem && len(d) >= 5 && len(out) < maxBIFFNames*16 {
			s, _, _ := xlWide(d[1:])
			out = append(out, s)
		}
	})
	return out
}

// xlsbLink reads an external link part: a DDE link (BrtBeginSupBook of
// type 1) names the application and the topic, then its items.
func xlsbLink(b []byte) supBook {
	var sb supBook
	biff12Records(b, func(typ int, d []byte) {
		switch {
		case typ == b12BeginSupBook && len(d) >= 2 && binary.LittleEndian.Uint16(d) == 1 && !sb.dde:
			app, n, _ := xlWide(d[2:])
			topic, _, _ := xlWide(d[2+n:])
			sb = supBook{app: app, topic: topic, dde: true}
		case typ == b12ExternalName && len(sb.names) < maxBIFFNames:
			name, _, _ := xlWide(d)
			sb.names = append(sb.names, name)
		}
	})
	return sb
}

var (
	xmlRelationship = regexp.MustCompile(`(?is)<(?:[\w.-]+:)?Relationship\b([^>]*)>`)
	xmlAttribute    = regexp.MustCompile(`(?s)([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')`)
)

// packageRels reads a relationships part: Id -> Type and target part name
// (resolved against dir, lower case, as Office matches part names).
func packageRels(b []byte, dir string) map[string][2]string {
	out := map[string][2]string{}
	for _, m := range xmlRelationship.FindAllSubmatch(b, maxBIFFNames) {
		var id, typ, target string
		for _, a := range xmlAttribute.FindAllSubmatch(m[1], 16) {
			v := html.UnescapeString(string(a[2]) + string(a[3]))
			switch strings.ToLower(string(a[1])) {
			case "id":
				id = v
			case "type":
				typ = v
			case "target":
				target = v
			}
		}
		t := strings.ReplaceAll(target, `\`, "/")
		if strings.HasPrefix(t, "/") {
			t = path.Clean(t)[1:]
		} else {
			t = path.Clean(dir + "/" + t)
		}
		out[id] = [2]string{typ, strings.ToLower(t)}
	}
	return out
}

// openZipPackage reads what an OOXML package keeps in binary parts: the
// macro sheets and DDE links of an .xlsb. Other zips cost one look at
// their member names.
func (c *container) openZipPackage() error {
	var members map[string]*message.Part
	for _, p := range c.zipParts {
		name := strings.ToLower(strings.TrimPrefix(p.Path, c.base+"/"))
		if !strings.HasPrefix(name, "xl/") {
			continue
		}
		if members == nil {
			members = map[string]*message.Part{}
		}
		members[name] = p
	}
	if members == nil {
		return nil
	}
	for name := range members {
		if strings.HasSuffix(name, ".bin") && (name == "xl/workbook.bin" || strings.HasPrefix(name, "xl/macrosheets/") ||
			strings.HasPrefix(name, "xl/intlmacrosheets/") || strings.HasPrefix(name, "xl/externallinks/")) {
			return c.openXLSB(members)
		}
	}
	return nil
}

// openXLSB reads the Excel 4.0 macro sheets and DDE links of an .xlsb
// package whose members were just added (members: lower-case name within
// the package -> part).
func (c *container) openXLSB(members map[string]*message.Part) error {
	env := &formulaEnv{biff12: true}
	var wb XLMWorkbook
	wb.Listings = map[string]string{}
	var book xlsbBook
	if p := members["xl/workbook.bin"]; p != nil {
		book = readXLSBWorkbook(p.Content, env)
	}
	rels := map[string][2]string{}
	if p := members["xl/_rels/workbook.bin.rels"]; p != nil {
		rels = packageRels(p.Content, "xl")
	}
	// External references, DDE links among them; a link part no reference
	// names is still a link Excel opens.
	linked := map[string]bool{}
	anyDDE := false
	for _, ref := range book.refs {
		var sb supBook
		if r, ok := rels[ref]; ok && ref != "" && members[r[1]] != nil {
			linked[r[1]] = true
			sb = xlsbLink(members[r[1]].Content)
		} else {
			sb.names = book.externNames[len(env.supbooks)] // an add-in's functions
		}
		if sb.dde {
			anyDDE = true
			wb.DDE = append(wb.DDE, "="+ddeRef(sb.app, sb.topic, "A0"))
		}
		env.supbooks = append(env.supbooks, sb)
	}
	for _, name := range slices.Sorted(maps.Keys(members)) {
		if strings.HasPrefix(name, "xl/externallinks/") && strings.HasSuffix(name, ".bin") && !linked[name] && len(wb.DDE) < maxBIFFNames {
			if sb := xlsbLink(members[name].Content); sb.dde {
				wb.DDE = append(wb.DDE, "="+ddeRef(sb.app, sb.topic, "A0"))
			}
		}
	}
	isMacro := func(typ, target string) bool {
		t := strings.ToLower(typ)
		return strings.HasSuffix(t, "/xlmacrosheet") || strings.HasSuffix(t, "/xlintlmacrosheet") ||
			strings.HasPrefix(target, "xl/macrosheets/") || strings.HasPrefix(target, "xl/intlmacrosheets/")
	}
	add := func(name string, state uint32, b []byte) {
		lines, dde, obf := readXLSBSheet(b, env, nil, "", nil)
		for _, l := range dde {
			wb.DDE = append(wb.DDE, cleanXLM(name)+"!"+l)
		}
		var sb strings.Builder
		sb.WriteString(XLMHeader + strconv.Quote(name) + " (" + sheetStates[min(int(state), 2)] + ")\n")
		for _, a := range book.autos {
			sb.WriteString(a + "\n")
		}
		if obf {
			sb.WriteString(XLMCharObf + "\n")
		}
		for _, l := range lines {
			sb.WriteString(l + "\n")
		}
		for i := 2; wb.Listings[name] != ""; i++ {
			name = fmt.Sprintf("%s~%d", strings.SplitN(name, "~", 2)[0], i)
		}
		wb.Listings[name] = sb.String()
		wb.Order = append(wb.Order, name)
	}
	var web webListing
	var sst []string
	if p := members["xl/sharedstrings.bin"]; p != nil && book.web {
		sst = xlsbSharedStrings(p.Content)
	}
	done := map[string]bool{}
	for _, s := range book.sheets {
		r, ok := rels[s.relID]
		if !ok || done[r[1]] || members[r[1]] == nil {
			continue
		}
		done[r[1]] = true
		switch {
		case isMacro(r[0], r[1]):
			add(s.name, s.state, members[r[1]].Content)
		case anyDDE || book.web: // a worksheet: its formulas that talk DDE, or what web calls are built from
			var w *webListing
			if book.web {
				w = &web
			}
			_, dde, _ := readXLSBSheet(members[r[1]].Content, env, w, s.name, sst)
			for _, l := range dde {
				wb.DDE = append(wb.DDE, cleanXLM(s.name)+"!"+l)
			}
		}
	}
	wb.Web = web.done(book.names)
	// Macro sheet parts no sheet names: Excel does not show them, but
	// they are macro sheets all the same.
	for _, id := range slices.Sorted(maps.Keys(rels)) {
		r := rels[id]
		if isMacro(r[0], r[1]) && !done[r[1]] && members[r[1]] != nil {
			done[r[1]] = true
			add(path.Base(r[1]), 0, members[r[1]].Content)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(members)) {
		if isMacro("", name) && strings.HasSuffix(name, ".bin") && !done[name] {
			done[name] = true
			add(path.Base(name), 0, members[name].Content)
		}
	}
	return c.addXLM(wb)
}

// BIFF12 records of xl/connections.bin (MS-XLSB 2.1.7.24).
const (
	b12BeginExtConnection = 0x00C9
	b12BeginECWebProps    = 0x0105
	b12BeginECTxtWiz      = 0x021A
)

// XLSBConnection is an external data connection of an .xlsb, as its
// xl/connections.bin part gives it: its name, whether Excel refreshes it
// as the workbook opens (fRefreshOnLoad), and where it loads from: a web
// query's address (BrtBeginECWebProps stURL) or a text import's file
// (BrtBeginECTxtWiz stFile), the binary forms of connections.xml's webPr
// url and textPr sourceFile; and the files it is made from, the binary
// forms of the connection's sourceFile and odcFile: a file-based source's
// data file (stDataFile) and the connection file it was made from
// (stConnectionFile).
type XLSBConnection struct {
	Name                     string
	RefreshOnLoad            bool
	URL, File                string
	DataFile, ConnectionFile string
}

// XLSBConnections reads an xl/connections.bin part, at most maxBIFFNames
// connections.
func XLSBConnections(b []byte) []XLSBConnection {
	le := binary.LittleEndian
	var out []XLSBConnection
	biff12Records(b, func(typ int, d []byte) {
		switch {
		case typ == b12BeginExtConnection && len(d) >= 23 && len(out) < maxBIFFNames:
			// Versions, pc, reserved, wInterval, flags, idbtype,
			// irecontype, dwConnID, iCredMethod, then the strings the
			// flags say are there, the name always.
			flags := le.Uint32(d[6:])
			c := XLSBConnection{RefreshOnLoad: flags&(1<<5) != 0}
			rest := d[23:]
			// 16: stDataFile, 17: stConnectionFile, 18: stConnDesc, each
			// when its flag says so; 19: stConnName, always.
			for _, f := range []struct {
				bit uint
				to  *string
			}{{16, &c.DataFile}, {17, &c.ConnectionFile}, {18, nil}, {19, &c.Name}} {
				if f.bit != 19 && flags&(1<<f.bit) == 0 {
					continue
				}
				s, n, _ := xlWide(rest)
				rest = rest[n:]
				if f.to != nil {
					*f.to = s
				}
			}
			out = append(out, c)
		case typ == b12BeginECWebProps && len(d) >= 6 && len(out) > 0:
			if le.Uint32(d[2:])&(1<<26) != 0 { // fLoadURL
				out[len(out)-1].URL, _, _ = xlWide(d[6:])
			}
		case typ == b12BeginECTxtWiz && len(d) >= 12 && len(out) > 0:
			out[len(out)-1].File, _, _ = xlWide(d[12:])
		}
	})
	return out
}
