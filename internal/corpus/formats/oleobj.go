package formats

import (
	"encoding/binary"
	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// Embedded OLE objects: compound files with a class, OLE1 objects as RTF
// and Word 97 carry them, and OLE Package (Ole10Native) data.

// EquationCLSID is Equation.3's class ID as stored in a directory entry.
var EquationCLSID = []byte{0x02, 0xCE, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}

// CFBClass is CFB(entries) with the root entry's CLSID set.
func CFBClass(clsid []byte, entries []CFBEntry) []byte {
	b := CFB(entries)
	dir := binary.LittleEndian.Uint32(b[0x30:])
	copy(b[(int(dir)+1)*512+0x50:], clsid)
	return b
}

// CompObj is a CompObj stream naming a user type and a class.
func CompObj(userType, class string) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0xFFFE0001)
	b = le.AppendUint32(b, 0x00000A03)
	b = le.AppendUint32(b, 0xFFFFFFFF)
	b = append(b, make([]byte, 16)...)
	str := func(s string) {
		b = le.AppendUint32(b, uint32(len(s)+1))
		b = append(b, s...)
		b = append(b, 0)
	}
	str(userType)
	str("") // clipboard format: none
	str(class)
	return le.AppendUint32(b, 0x71B239F4)
}

// EquationObject is an Equation Editor 3.0 object: the class ID, CompObj
// and an "Equation Native" stream whose MTEF data is a harmless stand-in
// (a header and a short font name, no overflow).
func EquationObject(withCLSID bool) []byte {
	if !withCLSID {
		return CFB(EquationEntries())
	}
	return CFBClass(EquationCLSID, EquationEntries())
}

// EquationEntries are the streams of an Equation Editor 3.0 object (its
// class is the storage's).
func EquationEntries() []CFBEntry {
	native := binary.LittleEndian.AppendUint16(nil, 0x1C) // header size
	native = append(native, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	native = append(native, 3, 1, 1, 3, 10, 'K', 'e', 'n', 's', 'a', 0)
	return []CFBEntry{
		{Name: "\x01CompObj", Parent: -1, Data: CompObj("Microsoft Equation 3.0", "Equation.3")},
		{Name: "Equation Native", Parent: -1, Data: native},
	}
}

// OLE1 is an embedded object as OLE1 writes it (MS-OLEDS 2.2.4): version,
// format, class, topic, item, then the native data.
func OLE1(class string, native []byte) []byte {
	le := binary.LittleEndian
	b := []byte{1, 5, 0, 0, 2, 0, 0, 0}
	if class != "" {
		b = le.AppendUint32(b, uint32(len(class)+1))
		b = append(b, class...)
		b = append(b, 0)
	} else {
		b = le.AppendUint32(b, 0)
	}
	b = append(b, make([]byte, 8)...) // empty topic and item
	b = le.AppendUint32(b, uint32(len(native)))
	return append(b, native...)
}

// Ole10Native is an OLE Package's native data carrying a file.
func Ole10Native(name string, data []byte) []byte {
	le := binary.LittleEndian
	b := []byte{2, 0}
	b = append(b, name+"\x00C:\\Users\\Public\\"+name+"\x00"...)
	b = append(b, 0, 0, 3, 0)
	tmp := "C:\\Users\\Public\\" + name + "\x00"
	b = le.AppendUint32(b, uint32(len(tmp)))
	b = append(b, tmp...)
	b = le.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	return append(le.AppendUint32(nil, uint32(len(b))), b...) // the stream starts with the size
}

// PackageStorage is an OLE Package object's compound file: CompObj and the
// Ole10Native stream with the file.
func PackageStorage(name string, data []byte) []byte { return CFB(PackageEntries(name, data)) }

// PackageEntries are the streams of PackageStorage(name, data).
func PackageEntries(name string, data []byte) []CFBEntry {
	return []CFBEntry{
		{Name: "\x01CompObj", Parent: -1, Data: CompObj("OLE Package", "Package")},
		{Name: "\x01Ole10Native", Parent: -1, Data: Ole10Native(name, data)},
	}
}

// OLELink is the compound file of an OLE object holding only its "\x01Ole"
// stream, OLEStream(url).
func OLELink(url string) []byte {
	return CFB([]CFBEntry{{Name: "Root Entry", Storage: true, Parent: -1}, {Name: "\x01Ole", Parent: 0, Data: OLEStream(url)}})
}

// OLEStream is the "\x01Ole" stream of an OLE object (MS-OLEDS 2.3.3): for
// a linked object, the link flag and an absolute source moniker that is a
// URL moniker naming url, as CVE-2017-0199 documents carry it (Word fetches
// the target when it updates the link); with url "", an embedded object's
// (the flag clear, no moniker).
func OLEStream(url string) []byte {
	if url == "" {
		return append(binary.LittleEndian.AppendUint32(nil, 0x02000001), make([]byte, 16)...)
	}
	return OLELinkStream(URLMoniker(url))
}

// OLELinkStream is the "\x01Ole" stream of a linked object whose absolute
// source moniker is moniker (a moniker stream: its CLSID, then its data).
func OLELinkStream(moniker []byte) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0x02000001)
	b = le.AppendUint32(b, 1) // a linked object
	b = le.AppendUint32(b, 0) // link update option
	b = le.AppendUint32(b, 0) // reserved
	b = le.AppendUint32(b, 0) // no reserved moniker
	b = le.AppendUint32(b, 0) // no relative source moniker
	b = le.AppendUint32(b, uint32(len(moniker)))
	b = append(b, moniker...)
	return append(b, make([]byte, 28)...) // source CLSID, update times
}

// URLMoniker is a URL moniker's stream (MS-OLEDS 2.3.7): the address in
// UTF-16 with its terminating zero.
func URLMoniker(url string) []byte {
	u := append(cryptkeys.UTF16LE(url), 0, 0)
	m := append([]byte{}, URLMonikerCLSID...)
	m = binary.LittleEndian.AppendUint32(m, uint32(len(u)))
	return append(m, u...)
}

// FileMoniker is a file moniker's stream (MS-OLEDS 2.3.8): the path in
// 8-bit characters, and again in UTF-16 when it has characters outside
// ASCII (written '?' in the 8-bit copy), as OLE writes it.
func FileMoniker(path string) []byte {
	le := binary.LittleEndian
	var ansi []byte
	wide := false
	for _, r := range path {
		if r > 0x7F {
			r, wide = '?', true
		}
		ansi = append(ansi, byte(r))
	}
	ansi = append(ansi, 0)
	m := []byte{0x03, 0x03, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}
	m = le.AppendUint16(m, 0) // cAnti
	m = le.AppendUint32(m, uint32(len(ansi)))
	m = append(m, ansi...)
	m = le.AppendUint16(m, 0xFFFF) // endServer
	m = le.AppendUint16(m, 0xDEAD) // versionNumber
	m = append(m, make([]byte, 20)...)
	if !wide {
		return le.AppendUint32(m, 0)
	}
	u := cryptkeys.UTF16LE(path)
	m = le.AppendUint32(m, uint32(6+len(u)))
	m = le.AppendUint32(m, uint32(len(u)))
	m = le.AppendUint16(m, 3) // usKeyValue
	return append(m, u...)
}

// ItemMoniker is an item moniker's stream (MS-OLEDS 2.3.9): a delimiter
// and an item ("!", "Sheet1!R1C1"), 8-bit with their zeros.
func ItemMoniker(delimiter, item string) []byte {
	le := binary.LittleEndian
	m := []byte{0x04, 0x03, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}
	m = le.AppendUint32(m, uint32(len(delimiter)+1))
	m = append(append(m, delimiter...), 0)
	m = le.AppendUint32(m, uint32(len(item)+1))
	return append(append(m, item...), 0)
}

// CompositeMoniker is a composite moniker's stream (MS-OLEDS 2.3.6) of
// monikers: a file and an item in it, as a link to a workbook's cells is.
func CompositeMoniker(monikers ...[]byte) []byte {
	m := []byte{0x09, 0x03, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}
	m = binary.LittleEndian.AppendUint32(m, uint32(len(monikers)))
	for _, x := range monikers {
		m = append(m, x...)
	}
	return m
}

// URLMonikerCLSID is {79EAC9E0-BAF9-11CE-8C82-00AA004BA90B} as stored.
var URLMonikerCLSID = []byte{0xE0, 0xC9, 0xEA, 0x79, 0xF9, 0xBA, 0xCE, 0x11, 0x8C, 0x82, 0x00, 0xAA, 0x00, 0x4B, 0xA9, 0x0B}

// OLE1Linked is a linked object as OLE1 writes it (MS-OLEDS 2.2.6): the
// header with FormatID 1, class, topic (the linked file) and item, the
// network name (the file's UNC path when its drive is a mapped one), the
// reserved field, the update option (1: always) and a METAFILEPICT
// presentation holding an empty picture.
func OLE1Linked(class, topic, item, network string) []byte {
	le := binary.LittleEndian
	str := func(b []byte, s string) []byte {
		if s == "" {
			return le.AppendUint32(b, 0)
		}
		b = le.AppendUint32(b, uint32(len(s)+1))
		return append(append(b, s...), 0)
	}
	b := []byte{1, 5, 0, 0, 1, 0, 0, 0}
	for _, s := range []string{class, topic, item, network} {
		b = str(b, s)
	}
	b = le.AppendUint32(b, 0) // reserved
	b = le.AppendUint32(b, 1) // link update option
	b = append(b, 1, 5, 0, 0, 5, 0, 0, 0)
	b = str(b, "METAFILEPICT")
	b = le.AppendUint32(b, 2000)
	b = le.AppendUint32(b, 0xFFFFFCE0) // height, negative as OLE1 writes it
	b = le.AppendUint32(b, 8)
	return append(b, make([]byte, 8)...)
}

// ExcelSheet8CLSID is Excel.Sheet.8's class {00020820-0000-0000-C000-000000000046} as stored.
var ExcelSheet8CLSID = []byte{0x20, 0x08, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}

// LinkedWorkbook is the storage of an Excel.Sheet.8 object as Word keeps
// it in its ObjectPool (Embed it with ExcelSheet8CLSID): its "\x01Ole"
// stream ole (OLELinkStream for a linked object), \x03ObjInfo (a link:
// fLink) and \x01CompObj.
func LinkedWorkbook(ole []byte) []CFBEntry {
	return []CFBEntry{
		{Name: "\x01Ole", Parent: -1, Data: ole},
		{Name: "\x03ObjInfo", Parent: -1, Data: []byte{0x40, 0, 3, 0, 0x0D, 0}},
		{Name: "\x01CompObj", Parent: -1, Data: CompObj("Microsoft Excel 97-2003 Worksheet", "Excel.Sheet.8")},
	}
}
