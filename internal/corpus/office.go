package corpus

import (
	"encoding/binary"
	"unicode/utf16"
)

// Office files: a small compound-file (CFB v3) writer, VBA projects with
// MS-OVBA "compressed" containers of literal tokens, and OOXML packages.

type cfbEntry struct {
	name    string
	storage bool
	parent  int // index of the parent storage in the list; -1 for the root
	data    []byte
}

const (
	cfbFree = 0xFFFFFFFF
	cfbEnd  = 0xFFFFFFFE
	cfbFAT  = 0xFFFFFFFD
	cfbNone = 0xFFFFFFFF
)

// cfbOf lays out: header, one FAT sector, the directory, the mini FAT, the
// mini stream (streams under 4096 bytes), then the large streams. Siblings
// are chained through right pointers, which readers accept.
func cfbOf(entries []cfbEntry) []byte {
	const sec = 512
	le := binary.LittleEndian
	sectors := func(n int) int { return (n + sec - 1) / sec }
	start := make([]uint32, len(entries))
	var mini []byte
	var minifat []uint32
	var bigIdx []int
	for i, e := range entries {
		switch {
		case e.storage:
		case len(e.data) >= 4096:
			bigIdx = append(bigIdx, i)
		case len(e.data) == 0:
			start[i] = cfbEnd
		default:
			first := uint32(len(mini) / 64)
			start[i] = first
			n := (len(e.data) + 63) / 64
			for k := 0; k < n; k++ {
				next := uint32(cfbEnd)
				if k < n-1 {
					next = first + uint32(k) + 1
				}
				minifat = append(minifat, next)
			}
			padded := make([]byte, n*64)
			copy(padded, e.data)
			mini = append(mini, padded...)
		}
	}
	fat := []uint32{cfbFAT}
	chain := func(n int) uint32 {
		if n == 0 {
			return cfbEnd
		}
		first := uint32(len(fat))
		for k := 0; k < n; k++ {
			next := uint32(cfbEnd)
			if k < n-1 {
				next = first + uint32(k) + 1
			}
			fat = append(fat, next)
		}
		return first
	}
	nDir := sectors((len(entries) + 1) * 128)
	nMiniFAT := sectors(len(minifat) * 4)
	nMini := sectors(len(mini))
	dirStart := chain(nDir)
	miniFATStart := chain(nMiniFAT)
	miniStart := chain(nMini)
	for _, i := range bigIdx {
		start[i] = chain(sectors(len(entries[i].data)))
	}
	if len(fat) > sec/4 {
		panic("cfbOf: more than one FAT sector")
	}
	for len(fat) < sec/4 {
		fat = append(fat, cfbFree)
	}
	out := make([]byte, sec)
	copy(out, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	le.PutUint16(out[24:], 0x3E)
	le.PutUint16(out[26:], 3)
	le.PutUint16(out[28:], 0xFFFE)
	le.PutUint16(out[30:], 9)
	le.PutUint16(out[32:], 6)
	le.PutUint32(out[44:], 1)
	le.PutUint32(out[48:], dirStart)
	le.PutUint32(out[56:], 4096)
	le.PutUint32(out[60:], miniFATStart)
	le.PutUint32(out[64:], uint32(nMiniFAT))
	le.PutUint32(out[68:], cfbEnd)
	le.PutUint32(out[76:], 0) // DIFAT[0]: the FAT is sector 0
	for k := 1; k < 109; k++ {
		le.PutUint32(out[76+4*k:], cfbFree)
	}
	for _, v := range fat {
		out = le.AppendUint32(out, v)
	}
	dir := make([]byte, nDir*sec)
	children := map[int][]int{} // directory index of a storage → directory indexes of its children
	for i, e := range entries {
		children[e.parent+1] = append(children[e.parent+1], i+1)
	}
	first := func(d int) uint32 {
		if c := children[d]; len(c) > 0 {
			return uint32(c[0])
		}
		return cfbNone
	}
	right := func(d, parent int) uint32 {
		c := children[parent]
		for k, v := range c {
			if v == d && k+1 < len(c) {
				return uint32(c[k+1])
			}
		}
		return cfbNone
	}
	put := func(d int, name string, typ byte, child, rightSib, startSec uint32, size int) {
		r := dir[d*128:]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(r[2*k:], c)
		}
		le.PutUint16(r[64:], uint16(2*len(u)+2))
		r[66], r[67] = typ, 1
		le.PutUint32(r[68:], cfbNone)
		le.PutUint32(r[72:], rightSib)
		le.PutUint32(r[76:], child)
		le.PutUint32(r[116:], startSec)
		le.PutUint32(r[120:], uint32(size))
	}
	put(0, "Root Entry", 5, first(0), cfbNone, miniStart, len(mini))
	for i, e := range entries {
		d := i + 1
		if e.storage {
			put(d, e.name, 1, first(d), right(d, e.parent+1), 0, 0)
		} else {
			put(d, e.name, 2, cfbNone, right(d, e.parent+1), start[i], len(e.data))
		}
	}
	for d := len(entries) + 1; d < nDir*sec/128; d++ {
		r := dir[d*128:]
		le.PutUint32(r[68:], cfbNone)
		le.PutUint32(r[72:], cfbNone)
		le.PutUint32(r[76:], cfbNone)
	}
	out = append(out, dir...)
	mf := make([]byte, nMiniFAT*sec)
	for k := range mf {
		mf[k] = 0xFF
	}
	for k, v := range minifat {
		le.PutUint32(mf[4*k:], v)
	}
	out = append(out, mf...)
	ms := make([]byte, nMini*sec)
	copy(ms, mini)
	out = append(out, ms...)
	for _, i := range bigIdx {
		s := make([]byte, sectors(len(entries[i].data))*sec)
		copy(s, entries[i].data)
		out = append(out, s...)
	}
	return out
}

// ovbaLiteral is a valid MS-OVBA compressed container made of literal
// tokens only (every flag byte zero).
func ovbaLiteral(src []byte) []byte {
	out := []byte{1}
	for len(src) > 0 {
		n := min(3584, len(src)) // 9/8 overhead keeps a chunk under 4098 bytes
		chunk := src[:n]
		src = src[n:]
		var body []byte
		for len(chunk) > 0 {
			k := min(8, len(chunk))
			body = append(body, 0)
			body = append(body, chunk[:k]...)
			chunk = chunk[k:]
		}
		out = binary.LittleEndian.AppendUint16(out, uint16(len(body)+2-3)|0x3000|0x8000)
		out = append(out, body...)
	}
	return out
}

// vbaDir is a decompressed VBA "dir" stream with the records readers need.
func vbaDir(modules []string) []byte {
	le := binary.LittleEndian
	var b []byte
	rec := func(id uint16, data []byte) {
		b = le.AppendUint16(b, id)
		b = le.AppendUint32(b, uint32(len(data)))
		b = append(b, data...)
	}
	rec(0x0001, []byte{1, 0, 0, 0}) // PROJECTSYSKIND: Win32
	rec(0x0003, []byte{0xE4, 0x04}) // PROJECTCODEPAGE: 1252
	rec(0x0004, []byte("VBAProject"))
	b = le.AppendUint16(b, 0x0009) // PROJECTVERSION: its size field says 4, six bytes follow
	b = le.AppendUint32(b, 4)
	b = append(b, 1, 0, 0, 0, 1, 0)
	rec(0x000F, le.AppendUint16(nil, uint16(len(modules))))
	rec(0x0013, []byte{0xFF, 0xFF})
	for _, m := range modules {
		rec(0x0019, []byte(m))
		rec(0x001A, []byte(m))
		var u []byte
		for _, c := range utf16.Encode([]rune(m)) {
			u = le.AppendUint16(u, c)
		}
		rec(0x0032, u)
		rec(0x0031, []byte{8, 0, 0, 0}) // source text after 8 bytes of (stand-in) p-code
		rec(0x0021, nil)
		rec(0x002B, nil)
	}
	rec(0x0010, nil)
	return b
}

type vbaModule struct{ name, source string }

// vbaStorage returns the entries of a VBA project below the storage at
// index parent (-1: the root), starting at index base in the entry list.
func vbaStorage(parent, base int, mods ...vbaModule) []cfbEntry {
	var names []string
	for _, m := range mods {
		names = append(names, m.name)
	}
	vba := base // index of the VBA storage
	out := []cfbEntry{
		{name: "VBA", storage: true, parent: parent},
		{name: "dir", parent: vba, data: ovbaLiteral(vbaDir(names))},
		{name: "_VBA_PROJECT", parent: vba, data: []byte{0xCC, 0x61, 0xFF, 0xFF, 0, 0, 0}},
	}
	for _, m := range mods {
		out = append(out, cfbEntry{name: m.name, parent: vba, data: append([]byte("PCODE..."), ovbaLiteral([]byte(m.source))...)})
	}
	project := "ID=\"{3F2A7C10-0000-4B8E-9E1A-000000000001}\"\r\n"
	for _, m := range mods {
		project += "Module=" + m.name + "\r\n"
	}
	out = append(out, cfbEntry{name: "PROJECT", parent: parent, data: []byte(project + "Name=\"Project\"\r\n")})
	return out
}

// vbaProjectBin is the vbaProject.bin of an OOXML document.
func vbaProjectBin(mods ...vbaModule) []byte {
	return cfbOf(vbaStorage(-1, 0, mods...))
}

// wordDoc is a Word 97-2003 .doc: a WordDocument stream with text, and the
// VBA project under Macros/VBA when mods are given.
func wordDoc(text string, mods ...vbaModule) []byte {
	wd := make([]byte, 1024)
	copy(wd, []byte{0xEC, 0xA5, 0xC1, 0x00}) // FIB magic
	copy(wd[512:], text)
	entries := []cfbEntry{
		{name: "WordDocument", parent: -1, data: wd},
		{name: "1Table", parent: -1, data: make([]byte, 512)},
		{name: "\x05SummaryInformation", parent: -1, data: make([]byte, 256)},
	}
	if len(mods) > 0 {
		macros := len(entries)
		entries = append(entries, cfbEntry{name: "Macros", storage: true, parent: -1})
		entries = append(entries, vbaStorage(macros, len(entries), mods...)...)
	}
	return cfbOf(entries)
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"

const relsNS = `http://schemas.openxmlformats.org/package/2006/relationships`
const officeRel = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`

// docx builds a Word package. extraRels are added to document.xml.rels;
// settingsRels (when not empty) to settings.xml.rels; macro adds
// vbaProject.bin (a .docm).
func docx(text string, extraRels, settingsRels string, macro []byte) []byte {
	ct := xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>`
	main := "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	if macro != nil {
		main = "application/vnd.ms-word.document.macroEnabled.main+xml"
		ct += `<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>`
	}
	ct += `<Override PartName="/word/document.xml" ContentType="` + main + `"/>` +
		`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`
	rels := xmlHead + `<Relationships xmlns="` + relsNS + `">` +
		`<Relationship Id="rId1" Type="` + officeRel + `/officeDocument" Target="word/document.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`
	doc := xmlHead + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	for _, p := range splitLines(text) {
		doc += `<w:p><w:r><w:t xml:space="preserve">` + xmlEscape(p) + `</w:t></w:r></w:p>`
	}
	doc += `</w:body></w:document>`
	docRels := xmlHead + `<Relationships xmlns="` + relsNS + `">` +
		`<Relationship Id="rId1" Type="` + officeRel + `/settings" Target="settings.xml"/>` + extraRels
	if macro != nil {
		docRels += `<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>`
	}
	docRels += `</Relationships>`
	settings := xmlHead + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="` + officeRel + `">`
	if settingsRels != "" {
		settings += `<w:attachedTemplate r:id="rId1"/>`
	}
	settings += `<w:defaultTabStop w:val="720"/></w:settings>`
	core := xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
		`<dc:title>Document</dc:title><dc:creator>Kensa corpus</dc:creator></cp:coreProperties>`
	files := []file{
		{"[Content_Types].xml", []byte(ct)},
		{"_rels/.rels", []byte(rels)},
		{"docProps/core.xml", []byte(core)},
		{"word/document.xml", []byte(doc)},
		{"word/_rels/document.xml.rels", []byte(docRels)},
		{"word/settings.xml", []byte(settings)},
	}
	if settingsRels != "" {
		files = append(files, file{"word/_rels/settings.xml.rels", []byte(xmlHead + `<Relationships xmlns="` + relsNS + `">` + settingsRels + `</Relationships>`)})
	}
	if macro != nil {
		files = append(files, file{"word/vbaProject.bin", macro})
	}
	return zipOf(files...)
}

// xlsx builds an Excel package with one sheet of rows; macro makes it .xlsm.
func xlsx(rows [][]string, macro []byte) []byte { return xlsxOf(rows, macro, "") }

// xlsxOf is xlsx, plus a link to another workbook at linkTarget when set.
func xlsxOf(rows [][]string, macro []byte, linkTarget string) []byte {
	main := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	ct := xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>`
	if macro != nil {
		main = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
		ct += `<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>`
	}
	ct += `<Override PartName="/xl/workbook.xml" ContentType="` + main + `"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
	if linkTarget != "" {
		ct += `<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>`
	}
	ct += `</Types>`
	rels := xmlHead + `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + officeRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	wb := xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + officeRel + `"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>`
	if linkTarget != "" {
		wb += `<externalReferences><externalReference r:id="rId2"/></externalReferences>`
	}
	wb += `</workbook>`
	wbRels := xmlHead + `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + officeRel + `/worksheet" Target="worksheets/sheet1.xml"/>`
	if linkTarget != "" {
		wbRels += `<Relationship Id="rId2" Type="` + officeRel + `/externalLink" Target="externalLinks/externalLink1.xml"/>`
	}
	if macro != nil {
		wbRels += `<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>`
	}
	wbRels += `</Relationships>`
	sheet := xmlHead + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	for i, r := range rows {
		sheet += `<row r="` + itoa(i+1) + `">`
		for j, c := range r {
			sheet += `<c r="` + string(rune('A'+j)) + itoa(i+1) + `" t="inlineStr"><is><t>` + xmlEscape(c) + `</t></is></c>`
		}
		sheet += `</row>`
	}
	sheet += `</sheetData></worksheet>`
	files := []file{
		{"[Content_Types].xml", []byte(ct)},
		{"_rels/.rels", []byte(rels)},
		{"xl/workbook.xml", []byte(wb)},
		{"xl/_rels/workbook.xml.rels", []byte(wbRels)},
		{"xl/worksheets/sheet1.xml", []byte(sheet)},
	}
	if macro != nil {
		files = append(files, file{"xl/vbaProject.bin", macro})
	}
	if linkTarget != "" {
		files = append(files,
			file{"xl/externalLinks/externalLink1.xml", []byte(xmlHead + `<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + officeRel +
				`"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>`)},
			file{"xl/externalLinks/_rels/externalLink1.xml.rels", []byte(xmlHead + `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + officeRel +
				`/externalLinkPath" Target="` + xmlEscape(linkTarget) + `" TargetMode="External"/></Relationships>`)})
	}
	return zipOf(files...)
}
