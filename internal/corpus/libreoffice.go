package corpus

import (
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// The techniques as LibreOffice saves them (checked against LibreOffice 7.4
// by cmd/kensa's TestLibreOfficeSaves, which has LibreOffice write the real
// files at test time). LibreOffice has no app|topic!item DDE syntax: it
// writes DDE("app";"topic";"item") into .xlsx <f> elements, SYLK ;E fields
// and OpenDocument table:formula attributes, keeps the link itself as
// office:dde-source or text:dde-connection-decl, keeps a Word DDEAUTO field
// it cannot show as a field:fieldmark with the instruction as a parameter,
// and turns a VBA project into a LibreOffice Basic library.

const (
	ctOds = "application/vnd.oasis.opendocument.spreadsheet"
	ctOdt = "application/vnd.oasis.opendocument.text"

	odfOffice = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
		`xmlns:field="urn:openoffice:names:experimental:ooo-ms-interop:xmlns:field:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" xmlns:ooo="http://openoffice.org/2004/office" office:version="1.3"`
)

// odtOnLoadBody binds the document's load event to Standard.Module1.Startup.
const odtOnLoadBody = `<office:scripts><office:event-listeners><script:event-listener xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dom="http://www.w3.org/2001/xml-events" ` +
	`script:language="ooo:script" script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.Module1.Startup?language=Basic&amp;location=document" xlink:type="simple"/></office:event-listeners></office:scripts>` +
	`<office:text><text:p>Invoice</text:p></office:text>`

// odtOnLoadBasic is the Basic library whose Startup shells out to cmd.exe.
func odtOnLoadBasic() []file {
	return []file{
		{"Basic/Standard/script-lb.xml", []byte(xmlHead + `<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false"><library:element library:name="Module1"/></library:library>`)},
		{"Basic/Standard/Module1.xml", []byte(xmlHead + `<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic" script:moduleType="normal">Sub Startup` + "\n" +
			`  Shell(&quot;cmd.exe /c notepad.exe&quot;)` + "\n" + `End Sub` + "\n" + `</script:module>`)},
		{"Basic/script-lc.xml", []byte(xmlHead + `<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink"><library:library library:name="Standard" library:link="false"/></library:libraries>`)},
	}
}

// encryptedODF is odf's package saved with a password (PBKDF2 with
// LibreOffice's 100000 iterations).
func encryptedODF(mimetype, password, body string, extra ...file) []byte {
	entries := []formats.ZipEntry{{Name: "content.xml", Data: []byte(xmlHead + `<office:document-content ` + odfOffice + `><office:body>` + body + `</office:body></office:document-content>`)}}
	for _, e := range extra {
		entries = append(entries, formats.ZipEntry{Name: e.name, Data: e.data})
	}
	return formats.EncryptedODF(mimetype, password, 100000, entries...)
}

// odf is an OpenDocument package as LibreOffice zips it: the mimetype first,
// content.xml holding body, a manifest, and extra members (Basic libraries).
func odf(mimetype, body string, extra ...file) []byte {
	manifest := xmlHead + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
		`<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="` + mimetype + `"/>` +
		`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>`
	for _, e := range extra {
		manifest += `<manifest:file-entry manifest:full-path="` + e.name + `" manifest:media-type="text/xml"/>`
	}
	manifest += `</manifest:manifest>`
	files := []file{
		{"mimetype", []byte(mimetype)},
		{"content.xml", []byte(xmlHead + `<office:document-content ` + odfOffice + `><office:body>` + body + `</office:body></office:document-content>`)},
	}
	files = append(files, extra...)
	return zipOf(append(files, file{"META-INF/manifest.xml", []byte(manifest)})...)
}

// loCell is a table cell as LibreOffice writes a formula whose DDE source is
// not running: the formula and the error it evaluated to.
func loCell(formula string) string {
	return `<table:table-row><table:table-cell table:formula="` + formula + `" office:value-type="string" office:string-value=""><text:p>#N/A</text:p></table:table-cell></table:table-row>`
}

// loFieldmark is a Word field LibreOffice has no field for.
func loFieldmark(code string) string {
	return `<text:p text:style-name="Standard">Invoice <field:fieldmark-start text:name="Bookmark" field:type="vnd.oasis.opendocument.field.UNHANDLED">` +
		`<field:param field:name="vnd.oasis.opendocument.field.code" field:value="` + code + `"/></field:fieldmark-start><field:fieldmark-separator/>x<field:fieldmark-end/></text:p>`
}

// loXlsx is a one-sheet workbook as LibreOffice exports it, A1 holding
// formula (XML-escaped) that evaluated to an error.
func loXlsx(formula string) []byte {
	ns := `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + officeRel + `"`
	return zipOf(
		file{"_rels/.rels", []byte(xmlHead + `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + officeRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		file{"xl/_rels/workbook.xml.rels", []byte(xmlHead + `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId2" Type="` + officeRel + `/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)},
		file{"xl/workbook.xml", []byte(xmlHead + `<workbook ` + ns + `><fileVersion appName="Calc"/><sheets><sheet name="Sheet1" sheetId="1" state="visible" r:id="rId2"/></sheets><calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.001"/></workbook>`)},
		file{"xl/worksheets/sheet1.xml", []byte(xmlHead + `<worksheet ` + ns + `><sheetData><row r="1" customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false">` +
			`<c r="A1" s="0" t="e"><f aca="false">` + formula + `</f><v>#N/A</v></c></row></sheetData></worksheet>`)},
		file{"[Content_Types].xml", []byte(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)},
	)
}

// loDDELinks is the link table LibreOffice keeps beside a DDE formula.
const loDDELinks = `<table:dde-links><table:dde-link><office:dde-source office:dde-application="cmd" office:dde-topic="/c notepad.exe" office:dde-item="A0" office:automatic-update="true"/></table:dde-link></table:dde-links>`

func libreOfficeCases() []officeCase {
	ddeFormula := `of:=DDE(&quot;cmd&quot;;&quot;/c notepad.exe&quot;;&quot;A0&quot;)`
	return []officeCase{
		{name: "ods-dde-function", about: "OpenDocument spreadsheet as LibreOffice saves a DDE formula to cmd: DDE() in table:formula and an office:dde-source link",
			action: policy.Reject, subject: "Prices", body: "The price list.\n", ctype: ctOds, file: "prices.ods",
			data:  odf(ctOds, `<office:spreadsheet><table:table table:name="Sheet1">`+loCell(ddeFormula)+`</table:table>`+loDDELinks+`</office:spreadsheet>`),
			wants: []relWant{{"heuristic", "dde-exec", "/content.xml"}}},
		{name: "fods-dde-link", about: "flat OpenDocument spreadsheet (.fods) whose DDE link starts cmd, no formula using it",
			action: policy.Reject, subject: "Prices", body: "The price list.\n", ctype: "application/octet-stream", file: "prices.fods",
			data: []byte(xmlHead + `<office:document ` + odfOffice + ` office:mimetype="` + ctOds + `"><office:body><office:spreadsheet><table:table table:name="Sheet1"/>` +
				loDDELinks + `</office:spreadsheet></office:body></office:document>`),
			wants: []relWant{{"heuristic", "dde-exec", ""}}},
		{name: "odt-dde-fieldmark", about: "OpenDocument text as LibreOffice saves a Word DDEAUTO field to cmd.exe: a fieldmark it writes back as the field in .docx, .doc and .rtf",
			action: policy.Reject, subject: "Invoice", body: "The invoice.\n", ctype: ctOdt, file: "invoice.odt",
			data:  odf(ctOdt, `<office:text>`+loFieldmark(`DDEAUTO c:\\windows\\system32\\cmd.exe &quot;/k notepad.exe&quot;`)+`</office:text>`),
			wants: []relWant{{"heuristic", "dde-exec", "/content.xml"}}},
		{name: "odt-dde-connection", about: "OpenDocument text with a Writer DDE field (text:dde-connection-decl) to cmd.exe",
			action: policy.Reject, subject: "Invoice", body: "The invoice.\n", ctype: ctOdt, file: "invoice.odt",
			data: odf(ctOdt, `<office:text><text:dde-connection-decls><text:dde-connection-decl office:name="Link1" office:dde-application="c:\windows\system32\cmd.exe" office:dde-topic="/k notepad.exe" office:dde-item="x" office:automatic-update="true"/></text:dde-connection-decls>`+
				`<text:p text:style-name="Standard">Invoice <text:dde-connection text:connection-name="Link1">x</text:dde-connection></text:p></office:text>`),
			wants: []relWant{{"heuristic", "dde-exec", "/content.xml"}}},
		{name: "xlsx-dde-function", about: "xlsx as LibreOffice exports a DDE formula to cmd: DDE(\"cmd\",\"/c ...\",\"A0\") in <f>",
			action: policy.Reject, subject: "Figures", body: "Figures attached.\n", ctype: ctXlsx, file: "figures.xlsx",
			data:  loXlsx(`DDE(&quot;cmd&quot;,&quot;/c notepad.exe&quot;,&quot;A0&quot;)`),
			wants: []relWant{{"heuristic", "dde-exec", "/xl/worksheets/sheet1.xml"}}},
		{name: "slk-dde-function", about: "SYLK as LibreOffice exports a DDE formula to cmd (;E field, arguments split by ;;)",
			action: policy.Reject, subject: "Sheet", body: "The sheet.\n", ctype: "application/octet-stream", file: "sheet.slk",
			data:  []byte("ID;PCALCOOO32\r\nC;X1;Y1;K0;EDDE(\"cmd\";;\"/c notepad.exe\";;\"A0\")\r\nE\r\n"),
			wants: []relWant{{"heuristic", "dde-exec", ""}}},
		{name: "odt-basic-macro", about: "OpenDocument text carrying a LibreOffice Basic library (as LibreOffice converts a VBA project), no auto-run: tagged as a macro document",
			action: policy.Tag, subject: "Template", body: "The template with the formatting macro.\n", ctype: ctOdt, file: "template.odt",
			data: odf(ctOdt, `<office:text><text:p>Template</text:p></office:text>`,
				file{"Basic/VBAProject/script-lb.xml", []byte(xmlHead + `<library:library xmlns:library="http://openoffice.org/2000/library" library:name="VBAProject" library:readonly="false" library:passwordprotected="false"><library:element library:name="Formatting"/></library:library>`)},
				file{"Basic/VBAProject/Formatting.xml", []byte(xmlHead + `<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Formatting" script:language="StarBasic" script:moduleType="normal">Rem Attribute VBA_ModuleType=VBAModule` + "\n" +
					`Option VBASupport 1` + "\n" + xmlEscape(vbaFormatting) + `</script:module>`)},
				file{"Basic/script-lc.xml", []byte(xmlHead + `<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink"><library:library library:name="VBAProject" library:link="false"/></library:libraries>`)}),
			wants: []relWant{{"heuristic", "office-macro", "/Basic/VBAProject/Formatting.xml"}}},
		{name: "odt-basic-shell", about: "OpenDocument text whose LibreOffice Basic module (Sub without parentheses, as Basic allows) shells out to cmd.exe: a macro that starts a program",
			action: policy.Quarantine, subject: "Invoice", body: "The invoice, enable macros to view it.\n", ctype: ctOdt, file: "invoice.odt",
			data: odf(ctOdt, `<office:text><text:p>Invoice</text:p></office:text>`,
				file{"Basic/Standard/script-lb.xml", []byte(xmlHead + `<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false"><library:element library:name="Module1"/></library:library>`)},
				file{"Basic/Standard/Module1.xml", []byte(xmlHead + `<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic" script:moduleType="normal">Sub Startup` + "\n" +
					`  Shell(&quot;cmd.exe /c notepad.exe&quot;)` + "\n" + `End Sub` + "\n" + `</script:module>`)},
				file{"Basic/script-lc.xml", []byte(xmlHead + `<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink"><library:library library:name="Standard" library:link="false"/></library:libraries>`)}),
			wants: []relWant{{"heuristic", "vba-exec", "/Basic/Standard/Module1.xml"}, {"heuristic", "office-macro", "/Basic/Standard/Module1.xml"}}},
		{name: "odt-basic-onload-shell", about: "OpenDocument text whose OnLoad event (script:event-listener dom:load in content.xml) runs a LibreOffice Basic macro that shells out to cmd.exe: the LibreOffice macro dropper",
			action: policy.Reject, subject: "Invoice", body: "The invoice.\n", ctype: ctOdt, file: "invoice.odt",
			data:  odf(ctOdt, odtOnLoadBody, odtOnLoadBasic()...),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/Basic/Standard/Module1.xml"}}},
		// The same document saved with a password, as LibreOffice encrypts
		// it (formats.EncryptedODF, which LibreOffice opens: unpack's
		// TestEncryptedOfficeLibreOffice). Before, its encrypted members were
		// read as opaque bytes and it was accepted (score 0).
		{name: "odt-encrypted-onload-body-password", about: "OpenDocument text saved with a password the body gives (AES-256, PBKDF2), hiding an OnLoad Basic macro that shells out to cmd.exe",
			action: policy.Reject, subject: "Rechnung", body: "Guten Tag,\n\ndie Rechnung ist geschützt.\nKennwort: Rechnung-2027\n",
			ctype: ctOdt, file: "rechnung.odt",
			data:  encryptedODF(ctOdt, "Rechnung-2027", odtOnLoadBody, odtOnLoadBasic()...),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/Basic/Standard/Module1.xml"}, {"heuristic", "password-from-body", ""}}},
		{name: "odt-encrypted-unknown-password", about: "OpenDocument text saved with a password that appears nowhere: unscannable, never clean",
			action: policy.Quarantine, subject: "Invoice", body: "The invoice.\n", ctype: ctOdt, file: "invoice.odt",
			data:  encryptedODF(ctOdt, "unguessable-Odf9", odtOnLoadBody, odtOnLoadBasic()...),
			wants: []relWant{{"kensa", "encrypted-document", ""}}},
	}
}

// libreOfficeClean are the benign twins: what LibreOffice users send daily.
func libreOfficeClean() []Sample {
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	return []Sample{
		build(ok("ods-sum", "an OpenDocument spreadsheet whose formulas sum a column and join text holding a pipe and a bang"),
			mail{subject: "Totals", root: multipart("mixed", text("Totals attached.\n"),
				attach(ctOds, "totals.ods", odf(ctOds, `<office:spreadsheet><table:table table:name="Sheet1">`+
					loCell(`of:=SUM([.A1:.A3])`)+loCell(`of:=&quot;cost|net!&quot;&amp;[.A4]`)+`</table:table></office:spreadsheet>`)))}),
		build(ok("odt-ordinary-fields", "an OpenDocument text with page fields and a Word PAGE field kept as a fieldmark"),
			mail{subject: "Minutes", root: multipart("mixed", text("The minutes.\n"),
				attach(ctOdt, "minutes.odt", odf(ctOdt, `<office:text><text:h text:outline-level="1">Minutes of the works council, 3 November</text:h>`+
					`<text:p>Present: the chair, the treasurer and four members. The budget for the spring fair was approved; the treasurer will book the hall and order chairs.</text:p>`+
					`<text:p>Next meeting: first Tuesday of December, room 2. Page <text:page-number text:select-page="current">1</text:page-number> of <text:page-count>2</text:page-count></text:p>`+
					loFieldmark(` PAGE \* MERGEFORMAT`)+`</office:text>`)))}),
		build(ok("xlsx-libreoffice-sum", "an xlsx as LibreOffice exports a SUM formula"),
			mail{subject: "Totals", root: multipart("mixed", text("Totals attached.\n"),
				attach(ctXlsx, "totals.xlsx", loXlsx(`SUM(A2:A9)&amp;&quot;|x!&quot;`)))}),
	}
}
