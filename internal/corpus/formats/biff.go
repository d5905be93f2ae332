package formats

import (
	"encoding/binary"
	"unicode/utf16"
)

// Excel 97-2003 workbooks (BIFF8, MS-XLS): a Workbook stream of records in a
// compound file, with sheets, defined names and cell formulas in parsed
// form, enough to carry Excel 4.0 macro sheets and DDE links.

// XLSFormula is one cell formula: its cell and its parsed tokens (Rgce).
type XLSFormula struct {
	Row, Col uint16
	Rgce     []byte
	// Down, when not 0, makes Rgce a shared formula (relative references
	// as PtgRefN offsets) filled down that many rows from Row as Excel
	// saves one: each cell a ptgExp pointing at the first, the formula
	// once in a SHRFMLA after the first cell.
	Down uint16
	// Array makes a Down formula an array formula over its cells (.xlsb
	// only): the formula once in a BrtArrFmla, its references as written.
	Array bool
}

// XLSSheet is one sheet: a worksheet or an Excel 4.0 macro sheet.
type XLSSheet struct {
	Name     string
	Macro    bool
	State    byte // 0 visible, 1 hidden, 2 very hidden
	Formulas []XLSFormula
	Cells    []XLSCell // string cells (written in .xlsb only)
}

// XLSCell is a string cell: in an .xlsb a BrtCellIsst when the workbook's
// Strings hold its text (xl/sharedStrings.bin), else a BrtCellSt.
type XLSCell struct {
	Row, Col uint16
	Text     string
}

// XLSName is a defined name. Builtin 1 is Auto_Open, 2 Auto_Close; 0 means
// Name is spelled out (in UTF-16 when Wide).
type XLSName struct {
	Name    string
	Builtin byte
	Wide    bool
	Rgce    []byte
	Future  bool // a function newer than the format (_xlfn.WEBSERVICE), a hidden function name (written in .xlsb only)
}

// XLSWorkbook is a workbook's content.
type XLSWorkbook struct {
	Sheets []XLSSheet
	Names  []XLSName
	DDE    [][2]string // DDE links: application, topic; each with the item "A0" (PtgNameX(len(Sheets)+k, 1))
	// External are external references to other workbooks: each its path
	// as an .xls encodes it (MS-XLS VirtualPath: "\x01\x01@server\x03share\x03b.xlsx"
	// for \\server\share\b.xlsx) and the sheet names it caches (none, as
	// LibreOffice writes a reference it cached nothing of).
	External []XLSExternal
	// WideDDE writes the links' application and topic in UTF-16, as Excel
	// does when either holds a character outside Latin-1.
	WideDDE bool
	VBA     []VBAModule // a VBA project under _VBA_PROJECT_CUR
	// Strings are the shared strings (SST), each shown in a cell of the
	// first sheet's column A (LABELSST); wide ones in UTF-16. An SST
	// longer than SSTChunk bytes (8224 when 0, Excel's limit) goes on in
	// CONTINUE records, a string cut at the boundary going on after a new
	// flags byte, as Excel writes it.
	Strings  []string
	SSTChunk int
	// Connections are an .xlsb's external data connections (XLSB only).
	Connections []XLSBConnection
	// SheetRefs writes an .xlsb's external sheet list (this workbook's
	// sheets, for 3-D references: Ptg12Ref3d(i, ...) is sheet i) without
	// DDE links, as Excel does for any reference to another sheet.
	SheetRefs bool

	// SSTFirst writes the SST before the sheets' and names' records of
	// the globals (Excel writes it after them; Excel and LibreOffice read
	// either order).
	SSTFirst bool
	// Tucked writes the sheets inside the body of one record of a type no
	// reader knows, after the globals: a reader that seeks to each sheet
	// where its BOUNDSHEET says, as Excel and LibreOffice do, reads them;
	// one that walks the records in order does not.
	Tucked bool

	filePass []byte // a FILEPASS record's body after the BOF (EncryptedXLS)
}

func biffRec(b []byte, id uint16, data []byte) []byte {
	b = binary.LittleEndian.AppendUint16(b, id)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}

func biffBOF(dt uint16) []byte {
	le := binary.LittleEndian
	d := le.AppendUint16(nil, 0x0600)
	d = le.AppendUint16(d, dt)
	d = le.AppendUint16(d, 0x0DBB) // build
	d = le.AppendUint16(d, 0x07CC) // year
	d = le.AppendUint32(d, 0x000100C1)
	return le.AppendUint32(d, 0x00000406)
}

// xlString is a flags byte and the characters: Latin-1 or UTF-16.
func xlString(s string, wide bool) []byte {
	if !wide {
		return append([]byte{0}, s...)
	}
	b := []byte{1}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// XLSExternal is an external reference to another workbook (a SUPBOOK).
type XLSExternal struct {
	Path   string   // encoded as MS-XLS VirtualPath
	Sheets []string // cached sheet names
}

func runeCount(s string) int { return len([]rune(s)) }

// WorkbookStream is the Workbook stream of wb.
func WorkbookStream(wb XLSWorkbook) []byte {
	le := binary.LittleEndian
	// Sheet substreams first, to know their sizes.
	var subs [][]byte
	for _, s := range wb.Sheets {
		dt := uint16(0x0010)
		if s.Macro {
			dt = 0x0040
		}
		b := biffRec(nil, 0x0809, biffBOF(dt))
		dim := le.AppendUint32(nil, 0)
		dim = le.AppendUint32(dim, uint32(len(s.Formulas)))
		dim = append(dim, 0, 0, 1, 0, 0, 0)
		b = biffRec(b, 0x0200, dim)
		if len(subs) == 0 {
			for i := range wb.Strings {
				d := le.AppendUint16(nil, uint16(i)) // row
				d = le.AppendUint16(d, 0)            // column A
				d = le.AppendUint16(d, 0x0F)         // format
				b = biffRec(b, 0x00FD, le.AppendUint32(d, uint32(i)))
			}
		}
		cell := func(b []byte, row, col uint16, rgce []byte, flags uint16) []byte {
			d := le.AppendUint16(nil, row)
			d = le.AppendUint16(d, col)
			d = le.AppendUint16(d, 0x0F)
			d = append(d, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF) // a string result
			d = le.AppendUint16(d, flags)
			d = le.AppendUint32(d, 0)
			d = le.AppendUint16(d, uint16(len(rgce)))
			return biffRec(b, 0x0006, append(d, rgce...))
		}
		for _, f := range s.Formulas {
			if f.Down == 0 {
				b = cell(b, f.Row, f.Col, f.Rgce, 0)
				continue
			}
			exp := le.AppendUint16(le.AppendUint16([]byte{0x01}, f.Row), f.Col) // ptgExp
			for r := range f.Down {
				b = cell(b, f.Row+r, f.Col, exp, 0x0008) // fShrFmla
				if r == 0 {
					d := le.AppendUint16(le.AppendUint16(nil, f.Row), f.Row+f.Down-1) // RefU: rows,
					d = append(d, byte(f.Col), byte(f.Col), 0, byte(f.Down))          // columns, reserved, cUse
					d = le.AppendUint16(d, uint16(len(f.Rgce)))
					b = biffRec(b, 0x04BC, append(d, f.Rgce...))
				}
			}
		}
		subs = append(subs, biffRec(b, 0x000A, nil))
	}
	globals := func(pos []uint32) []byte {
		b := biffRec(nil, 0x0809, biffBOF(0x0005))
		if wb.filePass != nil {
			b = biffRec(b, 0x002F, wb.filePass)
		}
		b = biffRec(b, 0x0042, le.AppendUint16(nil, 1200)) // CODEPAGE: UTF-16
		if wb.Strings != nil && wb.SSTFirst {
			b = append(b, sstRecords(wb.Strings, wb.SSTChunk)...)
		}
		for i, s := range wb.Sheets {
			d := le.AppendUint32(nil, pos[i])
			typ := byte(0)
			if s.Macro {
				typ = 1
			}
			d = append(d, s.State, typ, byte(runeCount(s.Name)))
			d = append(d, xlString(s.Name, false)...)
			b = biffRec(b, 0x0085, d)
		}
		// SUPBOOK for the workbook itself, EXTERNSHEET pointing at each sheet.
		b = biffRec(b, 0x01AE, le.AppendUint16(le.AppendUint16(nil, uint16(len(wb.Sheets))), 0x0401))
		for _, l := range wb.DDE {
			// SUPBOOK: no sheets, virtPath application U+0003 topic; then
			// the item a formula names (EXTERNNAME: flags fWantAdvise,
			// reserved, the name).
			v := l[0] + "\x03" + l[1]
			d := le.AppendUint16(nil, 0)
			d = le.AppendUint16(d, uint16(runeCount(v)))
			b = biffRec(b, 0x01AE, append(d, xlString(v, wb.WideDDE)...))
			b = biffRec(b, 0x0023, append([]byte{0x02, 0, 0, 0, 0, 0, 2}, xlString("A0", false)...))
		}
		for _, x := range wb.External {
			// SUPBOOK: the sheets, the path, the sheets' names.
			d := le.AppendUint16(nil, uint16(len(x.Sheets)))
			d = le.AppendUint16(d, uint16(runeCount(x.Path)))
			d = append(d, xlString(x.Path, false)...)
			for _, n := range x.Sheets {
				d = le.AppendUint16(d, uint16(runeCount(n)))
				d = append(d, xlString(n, false)...)
			}
			b = biffRec(b, 0x01AE, d)
		}
		xti := le.AppendUint16(nil, uint16(len(wb.Sheets)+len(wb.DDE)))
		for i := range wb.Sheets {
			xti = le.AppendUint16(xti, 0)
			xti = le.AppendUint16(xti, uint16(i))
			xti = le.AppendUint16(xti, uint16(i))
		}
		for k := range wb.DDE { // the links' references: no sheets
			xti = le.AppendUint16(xti, uint16(1+k))
			xti = le.AppendUint16(xti, 0xFFFE)
			xti = le.AppendUint16(xti, 0xFFFE)
		}
		b = biffRec(b, 0x0017, xti)
		for _, n := range wb.Names {
			flags := uint16(0)
			name := xlString(n.Name, n.Wide)
			cch := runeCount(n.Name)
			if n.Builtin != 0 {
				flags |= 0x20
				name = []byte{0, n.Builtin}
				cch = 1
			}
			d := le.AppendUint16(nil, flags)
			d = append(d, 0, byte(cch))
			d = le.AppendUint16(d, uint16(len(n.Rgce)))
			d = append(d, 0, 0, 0, 0, 0, 0, 0, 0) // reserved, itab, reserved
			d = append(d, name...)
			d = append(d, n.Rgce...)
			b = biffRec(b, 0x0018, d)
		}
		if wb.Strings != nil && !wb.SSTFirst { // after the names, as Excel writes it
			b = append(b, sstRecords(wb.Strings, wb.SSTChunk)...)
		}
		return biffRec(b, 0x000A, nil)
	}
	pos := make([]uint32, len(wb.Sheets))
	off := uint32(len(globals(pos)))
	if wb.Tucked {
		off += 4 // the record header before the sheets
	}
	for i, s := range subs {
		pos[i] = off
		off += uint32(len(s))
	}
	out := globals(pos)
	var sheets []byte
	for _, s := range subs {
		sheets = append(sheets, s...)
	}
	if wb.Tucked {
		return biffRec(out, 0x0EEE, sheets)
	}
	return append(out, sheets...)
}

// sstRecords is an SST record holding strings, and the CONTINUE records
// it runs on in past chunk bytes (8224 when 0).
func sstRecords(strs []string, chunk int) []byte {
	le := binary.LittleEndian
	if chunk <= 0 {
		chunk = 8224
	}
	var out []byte
	cur := le.AppendUint32(le.AppendUint32(nil, uint32(len(strs))), uint32(len(strs)))
	id := uint16(0x00FC)
	flush := func() {
		out = biffRec(out, id, cur)
		cur, id = nil, 0x003C
	}
	for _, s := range strs {
		wide := false
		for _, r := range s {
			wide = wide || r > 0xFF
		}
		units := utf16.Encode([]rune(s))
		if len(cur)+3 > chunk {
			flush() // the header stays whole
		}
		cur = le.AppendUint16(cur, uint16(len(units)))
		flag := byte(0)
		if wide {
			flag = 1
		}
		cur = append(cur, flag)
		for _, u := range units {
			w := 1
			if wide {
				w = 2
			}
			if len(cur)+w > chunk {
				flush()
				cur = append(cur, flag) // the characters go on after a new flags byte
			}
			if wide {
				cur = le.AppendUint16(cur, u)
			} else {
				cur = append(cur, byte(u))
			}
		}
	}
	flush()
	return out
}

// XLS is a .xls file holding wb.
func XLS(wb XLSWorkbook) []byte { return CFB(XLSEntries(wb)) }

// XLSEntries are the streams and storages of XLS(wb): an OLE object's
// storage, as an Outlook message carries one.
func XLSEntries(wb XLSWorkbook) []CFBEntry { return xlsEntries(wb, WorkbookStream(wb)) }

func xlsEntries(wb XLSWorkbook, ws []byte) []CFBEntry {
	if len(ws) < 4096 { // keep the stream out of the mini stream, as Excel does
		ws = append(ws, make([]byte, 4096-len(ws))...)
	}
	entries := []CFBEntry{
		{Name: "Workbook", Parent: -1, Data: ws},
		{Name: "\x05SummaryInformation", Parent: -1, Data: make([]byte, 256)},
	}
	if len(wb.VBA) > 0 {
		cur := len(entries)
		entries = append(entries, CFBEntry{Name: "_VBA_PROJECT_CUR", Storage: true, Parent: -1})
		entries = append(entries, VBAStorage(cur, len(entries), wb.VBA...)...)
	}
	return entries
}

// Formula tokens (Ptg), for building Rgce.

// PtgStr is a string constant.
func PtgStr(s string) []byte { return append([]byte{0x17, byte(runeCount(s))}, xlString(s, false)...) }

// PtgInt is an integer constant.
func PtgInt(n uint16) []byte { return binary.LittleEndian.AppendUint16([]byte{0x1E}, n) }

// PtgFunc calls a fixed-arity built-in function (Ftab index).
func PtgFunc(tab uint16) []byte { return binary.LittleEndian.AppendUint16([]byte{0x41}, tab) }

// PtgFuncVar calls a function with argc arguments; command marks a command
// equivalent (Cetab index).
func PtgFuncVar(argc byte, tab uint16, command bool) []byte {
	if command {
		tab |= 0x8000
	}
	return binary.LittleEndian.AppendUint16([]byte{0x42, argc}, tab)
}

// PtgConcat joins the two values before it (&).
var PtgConcat = []byte{0x08}

// PtgRef3d refers to a cell of the sheet at index ixti in EXTERNSHEET.
func PtgRef3d(ixti, row, col uint16) []byte {
	b := binary.LittleEndian.AppendUint16([]byte{0x3A}, ixti)
	b = binary.LittleEndian.AppendUint16(b, row)
	return binary.LittleEndian.AppendUint16(b, col|0xC000)
}

// PtgRef refers to a cell of the formula's own sheet (relative).
func PtgRef(row, col uint16) []byte {
	b := binary.LittleEndian.AppendUint16([]byte{0x44}, row)
	return binary.LittleEndian.AppendUint16(b, col|0xC000)
}

// PtgRefN refers, in a shared formula, to the cell rows and cols away
// from the cell it is read for (both relative).
func PtgRefN(rows int16, cols int8) []byte {
	b := binary.LittleEndian.AppendUint16([]byte{0x4C}, uint16(rows))
	return binary.LittleEndian.AppendUint16(b, uint16(uint8(cols))|0xC000)
}

// PtgNameX refers to the name'th name (from 1) of the external reference
// at index ixti in EXTERNSHEET: a DDE item in =cmd|' /C calc'!A0.
func PtgNameX(ixti, name uint16) []byte {
	b := binary.LittleEndian.AppendUint16([]byte{0x39}, ixti)
	b = binary.LittleEndian.AppendUint16(b, name)
	return binary.LittleEndian.AppendUint16(b, 0)
}

// PtgAdd and PtgMul are + and * of the two values before them.
var (
	PtgAdd = []byte{0x03}
	PtgMul = []byte{0x05}
)

// Function indexes used by the corpus.
const (
	FtabHalt     = 0x36
	FtabExec     = 0x6E
	FtabChar     = 0x6F
	FtabRegister = 0x95
	FtabCall     = 0x96
	FtabSum      = 0x04
	CetabFormula = 0x60
	CetabAlert   = 0x76
)

// PtgChars spells s as CHAR(n)&CHAR(n)&... in formula tokens, as XLM
// droppers hide a command line (the same tokens serve BIFF8 and BIFF12).
func PtgChars(s string) []byte {
	var b []byte
	for i, r := range s {
		b = append(b, Cat(PtgInt(uint16(r)), PtgFunc(FtabChar))...)
		if i > 0 {
			b = append(b, PtgConcat...)
		}
	}
	return b
}

// Cat concatenates token runs.
func Cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
