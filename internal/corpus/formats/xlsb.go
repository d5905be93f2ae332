package formats

import (
	"encoding/binary"
	"fmt"
	"slices"
	"unicode/utf16"
)

// Excel binary workbooks (.xlsb, MS-XLSB): an OOXML package whose parts are
// BIFF12 record streams. Records have a type and a size, each written in 7
// bits a byte; cell formulas are parsed tokens (Rgce) whose references are
// wider than BIFF8's and whose strings are UTF-16 without a flags byte.
// XLSB reuses XLSWorkbook: Sheets (macro sheets go to xl/macrosheets/),
// Names (Builtin 1 and 2 are written as built-in "Auto_Open"/"Auto_Close",
// as Excel writes them) and DDE links (xl/externalLinks/); the Rgce of
// formulas and names must be BIFF12 tokens (Ptg12* for references and
// strings; the function, number and operator tokens are BIFF8's).

func b12Rec(b []byte, typ int, data []byte) []byte {
	if typ < 0x80 {
		b = append(b, byte(typ))
	} else {
		b = append(b, byte(typ&0x7F|0x80), byte(typ>>7))
	}
	n := len(data)
	for {
		c := byte(n & 0x7F)
		n >>= 7
		if n == 0 {
			b = append(b, c)
			break
		}
		b = append(b, c|0x80)
	}
	return append(b, data...)
}

// xlWide is an XLWideString: a 32-bit count of UTF-16 units, the units.
func xlWide(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(u)))
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// BIFF12 record types the writer uses.
const (
	b12RowHdr        = 0x0000
	b12FmlaString    = 0x0008
	b12Name          = 0x0027
	b12BeginSheet    = 0x0081
	b12EndSheet      = 0x0082
	b12BeginBook     = 0x0083
	b12EndBook       = 0x0084
	b12BeginSheetDat = 0x0091
	b12EndSheetData  = 0x0092
	b12BundleBegin   = 0x008F
	b12BundleEnd     = 0x0090
	b12BundleSh      = 0x009C
	b12BeginSupBook  = 0x0168
	b12BeginExterns  = 0x0161
	b12EndExterns    = 0x0162
	b12SupBookSrc    = 0x0163
	b12SupSelf       = 0x0165
	b12ExternSheet   = 0x016A
	b12ExternalName  = 0x0241
	b12ArrFmla       = 0x01AA
	b12ShrFmla       = 0x01AB
)

// xlsbSheet is a worksheet or macro sheet part: rows of formula cells.
func xlsbSheet(s XLSSheet, shared []string) []byte {
	le := binary.LittleEndian
	b := b12Rec(nil, b12BeginSheet, nil)
	b = b12Rec(b, b12BeginSheetDat, nil)
	row := -1
	cell := func(r, col uint16, rgce, rgcb []byte) {
		if int(r) != row {
			row = int(r)
			h := le.AppendUint32(nil, uint32(row))
			h = append(h, make([]byte, 13)...) // style, height, flags, no column spans
			b = b12Rec(b, b12RowHdr, h)
		}
		d := le.AppendUint32(nil, uint32(col))
		d = le.AppendUint32(d, 0)    // style 0, no flags
		d = append(d, xlWide("")...) // the cached result: an empty string
		d = le.AppendUint16(d, 0)    // grbitFlags
		d = le.AppendUint32(d, uint32(len(rgce)))
		d = append(d, rgce...)
		d = le.AppendUint32(d, uint32(len(rgcb))) // the extra data
		b = b12Rec(b, b12FmlaString, append(d, rgcb...))
	}
	for _, f := range s.Formulas {
		if f.Down == 0 {
			cell(f.Row, f.Col, f.Rgce, nil)
			continue
		}
		// A shared (or array) formula as Excel saves one: each cell a
		// PtgExp, its first cell's row in the token and column in the
		// extra data, the formula once after the first cell.
		exp := le.AppendUint32([]byte{0x01}, uint32(f.Row))
		for r := range f.Down {
			cell(f.Row+r, f.Col, exp, le.AppendUint32(nil, uint32(f.Col)))
			if r > 0 {
				continue
			}
			d := le.AppendUint32(nil, uint32(f.Row)) // RfX: rows, columns
			d = le.AppendUint32(d, uint32(f.Row+f.Down-1))
			d = le.AppendUint32(d, uint32(f.Col))
			d = le.AppendUint32(d, uint32(f.Col))
			typ := b12ShrFmla
			if f.Array {
				typ = b12ArrFmla
				d = append(d, 0) // flags
			}
			d = le.AppendUint32(d, uint32(len(f.Rgce)))
			d = append(d, f.Rgce...)
			b = b12Rec(b, typ, le.AppendUint32(d, 0))
		}
	}
	for _, c := range s.Cells {
		h := le.AppendUint32(nil, uint32(c.Row))
		h = append(h, make([]byte, 13)...)
		b = b12Rec(b, b12RowHdr, h)
		d := le.AppendUint32(nil, uint32(c.Col))
		d = le.AppendUint32(d, 0) // style 0, no flags
		if k := slices.Index(shared, c.Text); k >= 0 {
			b = b12Rec(b, 0x0007, le.AppendUint32(d, uint32(k))) // BrtCellIsst
		} else {
			b = b12Rec(b, 0x0006, append(d, xlWide(c.Text)...)) // BrtCellSt
		}
	}
	b = b12Rec(b, b12EndSheetData, nil)
	return b12Rec(b, b12EndSheet, nil)
}

// XLSBWorkbookPart is the xl/workbook.bin of wb: the sheets with their
// relationship ids rId1.. and states, then the defined names.
func XLSBWorkbookPart(wb XLSWorkbook) []byte {
	le := binary.LittleEndian
	b := b12Rec(nil, b12BeginBook, nil)
	b = b12Rec(b, b12BundleBegin, nil)
	for i, s := range wb.Sheets {
		d := le.AppendUint32(nil, uint32(s.State))
		d = le.AppendUint32(d, uint32(i+1))
		d = append(d, xlWide(fmt.Sprintf("rId%d", i+1))...)
		d = append(d, xlWide(s.Name)...)
		b = b12Rec(b, b12BundleSh, d)
	}
	b = b12Rec(b, b12BundleEnd, nil)
	if len(wb.DDE) > 0 || wb.SheetRefs {
		// The external references: this workbook, then each DDE link's
		// part; the sheet list maps an ixti to one (this workbook's
		// sheets first, then the links, as in the BIFF8 writer).
		b = b12Rec(b, b12BeginExterns, nil)
		b = b12Rec(b, b12SupSelf, nil)
		for k := range wb.DDE {
			b = b12Rec(b, b12SupBookSrc, xlWide(fmt.Sprintf("rIdL%d", k+1)))
		}
		x := le.AppendUint32(nil, uint32(len(wb.Sheets)+len(wb.DDE)))
		for i := range wb.Sheets {
			x = le.AppendUint32(x, 0)
			x = le.AppendUint32(x, uint32(i))
			x = le.AppendUint32(x, uint32(i))
		}
		for k := range wb.DDE {
			x = le.AppendUint32(x, uint32(1+k))
			x = le.AppendUint32(x, 0xFFFFFFFE)
			x = le.AppendUint32(x, 0xFFFFFFFE)
		}
		b = b12Rec(b, b12ExternSheet, x)
		b = b12Rec(b, b12EndExterns, nil)
	}
	for _, n := range wb.Names {
		flags := uint32(0)
		name := n.Name
		switch n.Builtin {
		case 1:
			flags, name = 0x20, "Auto_Open"
		case 2:
			flags, name = 0x20, "Auto_Close"
		}
		if n.Future {
			flags |= 1<<17 | 0x02 | 0x01 // fFutureFunction, fFunc, fHidden
		}
		d := le.AppendUint32(nil, flags)
		d = append(d, 0)                   // chKey
		d = le.AppendUint32(d, 0xFFFFFFFF) // itab: workbook scope
		d = append(d, xlWide(name)...)
		d = le.AppendUint32(d, uint32(len(n.Rgce)))
		d = append(d, n.Rgce...)
		d = le.AppendUint32(d, 0)          // no extra data
		d = le.AppendUint32(d, 0xFFFFFFFF) // no comment
		b = b12Rec(b, b12Name, d)
	}
	return b12Rec(b, b12EndBook, nil)
}

// XLSBConnection is an external data connection of an .xlsb
// (xl/connections.bin): a web query loading URL, or a text import of File,
// refreshed as the workbook opens when RefreshOnLoad; or, with neither, an
// OLE DB connection. DataFile and ConnectionFile are the files it is made
// from (stDataFile, stConnectionFile: connections.xml's sourceFile and
// odcFile), written when not empty.
type XLSBConnection struct {
	Name, URL, File          string
	DataFile, ConnectionFile string
	RefreshOnLoad            bool
}

// XLSBConnectionsPart is the xl/connections.bin part holding cs (MS-XLSB
// 2.1.7.24): BrtBeginExtConnections, then for each connection
// BrtBeginExtConnection (its flags, its type, its name), the web
// properties (BrtBeginECWebProps with fLoadURL) or the text import's
// (BrtBeginECTxtWiz), and the ends.
func XLSBConnectionsPart(cs []XLSBConnection) []byte {
	le := binary.LittleEndian
	b := b12Rec(nil, 0x01AD, le.AppendUint32(le.AppendUint32(nil, 0), 0)) // FRT header, idcn
	for i, c := range cs {
		flags := uint32(0)
		if c.RefreshOnLoad {
			flags |= 1 << 5
		}
		var files []byte
		for bit, f := range []string{c.DataFile, c.ConnectionFile} { // bits 16, 17
			if f != "" {
				flags |= 1 << (16 + bit)
				files = append(files, xlWide(f)...)
			}
		}
		dbt := uint32(4) // DBTWEB
		switch {
		case c.URL == "" && c.File == "":
			dbt = 5 // DBTOLEDB
		case c.URL == "":
			dbt = 6 // DBTTEXT
		}
		d := []byte{3, 3, 0, 0}             // versions, pc, reserved
		d = le.AppendUint16(d, 0)           // wInterval
		d = le.AppendUint32(d, flags)       // flags: data file, connection file; no description, SSO
		d = le.AppendUint32(d, dbt)         // idbtype
		d = le.AppendUint32(d, 0)           // irecontype
		d = le.AppendUint32(d, uint32(i+1)) // dwConnID
		d = append(d, 0)                    // iCredMethod
		b = b12Rec(b, 0x00C9, append(append(d, files...), xlWide(c.Name)...))
		switch {
		case c.URL == "" && c.File == "":
		case c.URL != "":
			w := le.AppendUint16(nil, 0)       // wHTMLFmt
			w = le.AppendUint32(w, 1<<26|1<<8) // fLoadURL, fTablesOnlyHTML
			b = b12Rec(b, 0x0105, append(w, xlWide(c.URL)...))
			b = b12Rec(b, 0x0106, nil)
		default:
			b = b12Rec(b, 0x021A, append(make([]byte, 12), xlWide(c.File)...))
			b = b12Rec(b, 0x021B, nil)
		}
		b = b12Rec(b, 0x00CA, nil)
	}
	return b12Rec(b, 0x01AE, nil)
}

// XLSB is a .xlsb package holding wb.
func XLSB(wb XLSWorkbook) []byte {
	const (
		rels   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
		xmlDec = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"
	)
	ct := xmlDec + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>`
	wbRels := xmlDec + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	var parts []ZipEntry
	ws, ms := 0, 0
	for i, s := range wb.Sheets {
		name, typ, ctype := "", rels+"/worksheet", "application/vnd.ms-excel.worksheet"
		if s.Macro {
			ms++
			name = fmt.Sprintf("macrosheets/sheet%d.bin", ms)
			typ, ctype = "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet", "application/vnd.ms-excel.macrosheet"
		} else {
			ws++
			name = fmt.Sprintf("worksheets/sheet%d.bin", ws)
		}
		ct += `<Override PartName="/xl/` + name + `" ContentType="` + ctype + `"/>`
		wbRels += fmt.Sprintf(`<Relationship Id="rId%d" Type="%s" Target="%s"/>`, i+1, typ, name)
		parts = append(parts, ZipEntry{Name: "xl/" + name, Data: xlsbSheet(s, wb.Strings)})
	}
	for k, l := range wb.DDE {
		name := fmt.Sprintf("externalLinks/externalLink%d.bin", k+1)
		d := binary.LittleEndian.AppendUint16(nil, 1) // sbt: DDE
		d = append(append(d, xlWide(l[0])...), xlWide(l[1])...)
		ct += `<Override PartName="/xl/` + name + `" ContentType="application/vnd.ms-excel.externalLink"/>`
		wbRels += fmt.Sprintf(`<Relationship Id="rIdL%d" Type="%s/externalLink" Target="%s"/>`, k+1, rels, name)
		parts = append(parts, ZipEntry{Name: "xl/" + name, Data: b12Rec(b12Rec(nil, b12BeginSupBook, d), b12ExternalName, xlWide("A0"))})
	}
	if len(wb.Strings) > 0 { // BrtBeginSst, a BrtSSTItem (RichStr: flags, string) each, BrtEndSst
		n := uint32(len(wb.Strings))
		sst := b12Rec(nil, 0x009F, binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, n), n))
		for _, t := range wb.Strings {
			sst = b12Rec(sst, 0x0013, append([]byte{0}, xlWide(t)...))
		}
		ct += `<Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/>`
		wbRels += `<Relationship Id="rIdS1" Type="` + rels + `/sharedStrings" Target="sharedStrings.bin"/>`
		parts = append(parts, ZipEntry{Name: "xl/sharedStrings.bin", Data: b12Rec(sst, 0x00A0, nil)})
	}
	if wb.Connections != nil {
		ct += `<Override PartName="/xl/connections.bin" ContentType="application/vnd.ms-excel.connections"/>`
		wbRels += `<Relationship Id="rIdC1" Type="` + rels + `/connections" Target="connections.bin"/>`
		parts = append(parts, ZipEntry{Name: "xl/connections.bin", Data: XLSBConnectionsPart(wb.Connections)})
	}
	ct += `</Types>`
	wbRels += `</Relationships>`
	return Zip(append([]ZipEntry{
		{Name: "[Content_Types].xml", Data: []byte(ct)},
		{Name: "_rels/.rels", Data: []byte(xmlDec + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rels + `/officeDocument" Target="xl/workbook.bin"/></Relationships>`)},
		{Name: "xl/workbook.bin", Data: XLSBWorkbookPart(wb)},
		{Name: "xl/_rels/workbook.bin.rels", Data: []byte(wbRels)},
	}, parts...)...)
}

// BIFF12 reference and string tokens.

// PtgName refers to the defined name of index k (1-based), in BIFF8 and
// BIFF12 alike; a call of a function Excel keeps as a name (_xlfn.WEBSERVICE)
// is PtgName, the arguments, then PtgFuncVar(argc+1, 0xFF).
func PtgName(k uint32) []byte { return binary.LittleEndian.AppendUint32([]byte{0x23}, k) }

// Ptg12Str is a string constant: a 16-bit count, UTF-16 units.
func Ptg12Str(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := binary.LittleEndian.AppendUint16([]byte{0x17}, uint16(len(u)))
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// Ptg12NameX refers to the name'th name (from 1) of the external
// reference at index ixti of the workbook's external sheet list: a DDE
// item in =cmd|' /C calc'!A0 (ixti len(Sheets)+k for the k'th DDE link).
func Ptg12NameX(ixti uint16, name uint32) []byte {
	b := binary.LittleEndian.AppendUint16([]byte{0x39}, ixti)
	return binary.LittleEndian.AppendUint32(b, name)
}

// Ptg12RefN refers, in a shared formula, to the cell rows and cols away
// from the cell it is read for (both relative).
func Ptg12RefN(rows int32, cols int16) []byte {
	b := binary.LittleEndian.AppendUint32([]byte{0x4C}, uint32(rows))
	return binary.LittleEndian.AppendUint16(b, uint16(cols)&0x3FFF|0xC000)
}

// Ptg12Ref refers to a cell of the formula's sheet.
func Ptg12Ref(row uint32, col uint16) []byte {
	b := binary.LittleEndian.AppendUint32([]byte{0x24}, row)
	return binary.LittleEndian.AppendUint16(b, col|0xC000)
}

// Ptg12Ref3d refers to a cell of the sheet at index ixti of the workbook's
// external sheet list.
func Ptg12Ref3d(ixti uint16, row uint32, col uint16) []byte {
	b := binary.LittleEndian.AppendUint16([]byte{0x3A}, ixti)
	b = binary.LittleEndian.AppendUint32(b, row)
	return binary.LittleEndian.AppendUint16(b, col|0xC000)
}
