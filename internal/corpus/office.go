package corpus

import (
	"strings"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// Office files: Word 97-2003 documents and OOXML packages, with VBA projects
// from package formats.

// wordDoc is a Word 97-2003 .doc: a WordDocument stream with text, and the
// VBA project under Macros/VBA when mods are given.
func wordDoc(text string, mods ...formats.VBAModule) []byte {
	return formats.CFB(wordDocEntries(text, mods...))
}

// wordDocEntries are the streams and storages of wordDoc.
func wordDocEntries(text string, mods ...formats.VBAModule) []formats.CFBEntry {
	wd, table := formats.WordStreams(text)
	entries := []formats.CFBEntry{
		{Name: "WordDocument", Parent: -1, Data: wd},
		{Name: "1Table", Parent: -1, Data: table},
		{Name: "\x05SummaryInformation", Parent: -1, Data: make([]byte, 256)},
	}
	if len(mods) > 0 {
		macros := len(entries)
		entries = append(entries, formats.CFBEntry{Name: "Macros", Storage: true, Parent: -1})
		entries = append(entries, formats.VBAStorage(macros, len(entries), mods...)...)
	}
	return entries
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"

const relsNS = `http://schemas.openxmlformats.org/package/2006/relationships`
const officeRel = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`

// docx builds a Word package. extraRels are added to document.xml.rels;
// settingsRels (when not empty) to settings.xml.rels; macro adds
// vbaProject.bin (a .docm).
func docx(text string, extraRels, settingsRels string, macro []byte) []byte {
	var body string
	for _, p := range splitLines(text) {
		body += `<w:p><w:r><w:t xml:space="preserve">` + xmlEscape(p) + `</w:t></w:r></w:p>`
	}
	return docxOf(body, extraRels, settingsRels, macro)
}

// docxOf is docx with the body XML of word/document.xml given, and extra
// package parts (headers, footnotes, embeddings) with their content types.
func docxOf(body string, extraRels, settingsRels string, macro []byte, extra ...docxPart) []byte {
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
	for _, x := range extra {
		if x.ctype != "" {
			ct = strings.Replace(ct, `</Types>`, `<Override PartName="/`+x.name+`" ContentType="`+x.ctype+`"/></Types>`, 1)
		}
		if x.relType != "" {
			extraRels += `<Relationship Id="` + x.relID + `" Type="` + x.relType + `" Target="` + strings.TrimPrefix(x.name, "word/") + `"/>`
		}
	}
	rNS := ""
	if strings.Contains(body, "r:id") {
		rNS = ` xmlns:r="` + officeRel + `"`
	}
	doc := xmlHead + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"` + rNS + `><w:body>` + body + `</w:body></w:document>`
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
	for _, x := range extra {
		files = append(files, file{x.name, x.data})
	}
	return zipOf(files...)
}

// xlsx builds an Excel package with one sheet of rows; macro makes it .xlsm.
func xlsx(rows [][]string, macro []byte) []byte { return xlsxOf(rows, macro, "") }

// xlsxOf is xlsx, plus a link to another workbook at linkTarget when set,
// and extra package parts (named from the package root; a relationship
// from the workbook when relType is set).
func xlsxOf(rows [][]string, macro []byte, linkTarget string, extra ...docxPart) []byte {
	var sheet strings.Builder // a Builder: the benchmark corpus writes sheets of thousands of rows
	for i, r := range rows {
		sheet.WriteString(`<row r="` + itoa(i+1) + `">`)
		for j, c := range r {
			sheet.WriteString(`<c r="` + string(rune('A'+j)) + itoa(i+1) + `" t="inlineStr"><is><t>` + xmlEscape(c) + `</t></is></c>`)
		}
		sheet.WriteString(`</row>`)
	}
	return xlsxSheet(sheet.String(), macro, linkTarget, extra...)
}

// xlsxSheet is xlsxOf with the sheet's rows written as given (sheetData's
// content).
func xlsxSheet(sheetData string, macro []byte, linkTarget string, extra ...docxPart) []byte {
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
	for _, x := range extra {
		if x.ctype != "" {
			ct = strings.Replace(ct, `</Types>`, `<Override PartName="/`+x.name+`" ContentType="`+x.ctype+`"/></Types>`, 1)
		}
		if x.relType != "" {
			target := "../" + x.name
			if strings.HasPrefix(x.name, "xl/") {
				target = strings.TrimPrefix(x.name, "xl/")
			}
			wbRels += `<Relationship Id="` + x.relID + `" Type="` + x.relType + `" Target="` + target + `"/>`
		}
	}
	wbRels += `</Relationships>`
	sheet := xmlHead + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + sheetData + `</sheetData></worksheet>`
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
	for _, x := range extra {
		files = append(files, file{x.name, x.data})
	}
	return zipOf(files...)
}

// docxPart is one more part of a Word package: its name, bytes, content type
// ("" for the defaults) and, when relType is set, a relationship from the
// document with id relID.
type docxPart struct {
	name, ctype, relType, relID string
	data                        []byte
}
