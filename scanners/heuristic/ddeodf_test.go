package heuristic

import (
	"testing"

	"github.com/kensa-milter/kensa/message"
)

// LibreOffice's ways of storing DDE and macros (see ddeodf.go, macroodf.go),
// with the benign twins LibreOffice writes every day.

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:field="urn:openoffice:names:experimental:ooo-ms-interop:xmlns:field:1.0"`

func odfContent(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><office:document-content ` + odfNS + `><office:body>` + body + `</office:body></office:document-content>`
}

func odfPart(name, path, xml string) *message.Message {
	return msg(part("2", zipBytes, named(name), container()), text("2/"+name+"/"+path, xml))
}

func cell(formula string) string {
	return `<table:table-row><table:table-cell table:formula="` + formula + `" office:value-type="string"><text:p>#N/A</text:p></table:table-cell></table:table-row>`
}

func libreOfficeCheckCases() map[string][]sample {
	ddeLinks := `<table:dde-links><table:dde-link><office:dde-source office:dde-application="cmd" office:dde-topic="/c calc.exe" office:dde-item="A0" office:automatic-update="true"/></table:dde-link></table:dde-links>`
	fieldmark := func(code string) string {
		return `<text:p><field:fieldmark-start text:name="Bookmark" field:type="vnd.oasis.opendocument.field.UNHANDLED"><field:param field:name="vnd.oasis.opendocument.field.code" field:value="` +
			code + `"/></field:fieldmark-start><field:fieldmark-separator/>x<field:fieldmark-end/></text:p>`
	}
	sumSheet := odfContent(`<office:spreadsheet><table:table table:name="S">` + cell(`of:=SUM([.A1:.A2])&amp;&quot;|x!&quot;`) + `</table:table></office:spreadsheet>`)
	return map[string][]sample{
		"dde-exec": {
			{"ods DDE formula and link", odfPart("book.ods", "content.xml", odfContent(`<office:spreadsheet><table:table table:name="S">`+cell(`of:=DDE(&quot;cmd&quot;;&quot;/c calc.exe&quot;;&quot;A0&quot;)`)+`</table:table>`+ddeLinks+`</office:spreadsheet>`)), "2/book.ods/content.xml"},
			{"ods DDE formula alone, other prefix", odfPart("book.ods", "content.xml", odfContent(`<office:spreadsheet><t:table xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><t:table-row><t:table-cell t:formula='of:=1+dde("MSEXCEL";"\..\..\Windows\System32\cmd.exe /c x";"A0")'/></t:table-row></t:table></office:spreadsheet>`)), "2/book.ods/content.xml"},
			{"ods DDE function asking Excel for a path", odfPart("book.ods", "content.xml", odfContent(`<office:spreadsheet><table:table table:name="S">`+cell(`of:=DDE(&quot;MSEXCEL&quot;;&quot;\\files\pub\q&quot;;&quot;A0&quot;)`)+`</table:table></office:spreadsheet>`)), "2/book.ods/content.xml"},
			{"flat fods DDE link only", attach(text("2", odfContent(`<office:spreadsheet>`+ddeLinks+`</office:spreadsheet>`), named("book.fods"))), "2"},
			{"odt DDE connection", odfPart("letter.odt", "content.xml", odfContent(`<office:text><text:dde-connection-decls><text:dde-connection-decl office:name="L" office:dde-application="c:\windows\system32\cmd.exe" office:dde-topic="/k calc.exe" office:dde-item="x"/></text:dde-connection-decls><text:p><text:dde-connection text:connection-name="L">x</text:dde-connection></text:p></office:text>`)), "2/letter.odt/content.xml"},
			{"odt Word DDEAUTO kept as a fieldmark", odfPart("letter.odt", "content.xml", odfContent(`<office:text>`+fieldmark(`dDeAuTo c:\\windows\\system32\\cmd.exe &quot;/k calc.exe&quot; \* MERGEFORMAT`)+`</office:text>`)), "2/letter.odt/content.xml"},
			{"xlsx DDE function (LibreOffice's export)", docxPart("xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="e"><f aca="false">DDE(&quot;cmd&quot;,&quot;/c calc.exe&quot;,&quot;A0&quot;)</f><v>#N/A</v></c></row></sheetData></worksheet>`), "2/x.docx/xl/worksheets/sheet1.xml"},
			{"slk DDE function (LibreOffice's export)", attach(text("2", "ID;PCALCOOO32\r\nC;X1;Y1;K0;EDDE(\"cmd\";;\"/c calc.exe\";;\"A0\")\r\nE\r\n", named("a.slk"))), "2"},
			{"csv DDE function", attach(text("2", "a\r\n\"=DDE(\"\"powershell\"\";\"\"-c x\"\";\"\"A0\"\")\"\r\n", named("a.csv"))), "2"},
			{"ods SUM, pipes and bang in a string", odfPart("book.ods", "content.xml", sumSheet), ""},
			{"odt PAGE fieldmark", odfPart("letter.odt", "content.xml", odfContent(`<office:text>`+fieldmark(` PAGE \* MERGEFORMAT`)+`</office:text>`)), ""},
			{"odt text about DDE", odfPart("letter.odt", "content.xml", odfContent(`<office:text><text:p>Never type =DDE("cmd";"/c calc";"A0") into a cell.</text:p></office:text>`)), ""},
		},
		"dde-link": {
			{"ods DDE link to another workbook", odfPart("book.ods", "content.xml", odfContent(`<office:spreadsheet><table:table table:name="S">`+cell(`of:=DDE(&quot;soffice&quot;;&quot;prices.ods&quot;;&quot;A1&quot;)`)+`</table:table></office:spreadsheet>`)), "2/book.ods/content.xml"},
			{"odt fieldmark DDE to Excel", odfPart("letter.odt", "content.xml", odfContent(`<office:text>`+fieldmark(`DDE Excel &quot;Sheet1&quot; &quot;R1C1&quot;`)+`</office:text>`)), "2/letter.odt/content.xml"},
			{"ods SUM", odfPart("book.ods", "content.xml", sumSheet), ""},
		},
		"vba-autorun-exec": {
			{"odt OnLoad runs a Basic macro that shells", odtWithEvent("dom:load", "Standard.Module1.Startup"), "2/letter.odt/Basic/Standard/Module1.xml"},
			{"odt OnViewCreated, other prefixes", odtWithEvent("o:view-created", "Standard.Module1.Startup"), "2/letter.odt/Basic/Standard/Module1.xml"},
			{"odt OnPrint needs a click", odtWithEvent("office:print", "Standard.Module1.Startup"), ""},
			{"odt OnLoad runs another module", odtWithEvent("dom:load", "Standard.Module2.Startup"), ""},
		},
		"vba-exec": {
			{"odt Basic module that shells, Sub without parentheses", odfPart("letter.odt", "Basic/Standard/Module1.xml", `<?xml version="1.0" encoding="UTF-8"?><script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">Sub Startup
  Shell(&quot;cmd.exe /c calc.exe&quot;)
End Sub</script:module>`), "2/letter.odt/Basic/Standard/Module1.xml"},
			{"odt Basic module that formats", odfPart("letter.odt", "Basic/Standard/Module1.xml", `<?xml version="1.0" encoding="UTF-8"?><script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">Sub Bold
  ThisComponent.CurrentSelection.CharWeight = 150
End Sub</script:module>`), ""},
			{"odt library list naming a shell module", odfPart("letter.odt", "Basic/Standard/script-lb.xml", `<?xml version="1.0" encoding="UTF-8"?><library:library xmlns:library="http://openoffice.org/2000/library" library:name="Shell"><library:element library:name="Shell"/></library:library>`), ""},
		},
		"office-macro": {
			{"odt Basic module", odfPart("letter.odt", "Basic/Standard/Module1.xml", `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd"><script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">Sub Hello
MsgBox 1
End Sub</script:module>`), "2/letter.odt/Basic/Standard/Module1.xml"},
			{"flat fodt Basic library", attach(text("2", `<?xml version="1.0" encoding="UTF-8"?><office:document `+odfNS+` xmlns:ooo="http://openoffice.org/2004/office"><office:scripts><office:script><ooo:libraries><ooo:library-embedded ooo:name="VBAProject"><ooo:module ooo:name="Module1"><ooo:source-code>Sub Hello
End Sub</ooo:source-code></ooo:module></ooo:library-embedded></ooo:libraries></office:script></office:scripts></office:document>`, named("letter.fodt"))), "2"},
			{"odt library list only", odfPart("letter.odt", "Basic/Standard/script-lb.xml", `<?xml version="1.0" encoding="UTF-8"?><library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false"/>`), ""},
			{"fodt with an empty Standard library", attach(text("2", `<?xml version="1.0" encoding="UTF-8"?><office:document `+odfNS+` xmlns:ooo="http://openoffice.org/2004/office"><office:scripts><office:script><ooo:libraries><ooo:library-embedded ooo:name="Standard"/></ooo:libraries></office:script></office:scripts></office:document>`, named("letter.fodt"))), ""},
		},
	}
}

func FuzzODFDDE(f *testing.F) {
	f.Add([]byte(odfContent(`<table:table-cell table:formula="of:=DDE(&quot;cmd&quot;;&quot;/c x&quot;;&quot;A0&quot;)"/><office:dde-source office:dde-application='cmd' office:dde-topic="x"/>`)))
	f.Add([]byte(`<field:param field:name="vnd.oasis.opendocument.field.code" field:value="DDEAUTO cmd /c x"/><t:table-cell t:formula='dde("'/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if fs := odfDDE(b); len(fs) > 20+20 {
			t.Fatalf("%d facts", len(fs))
		}
		if fs := functionDDE(string(b)); len(fs) > 20 {
			t.Fatalf("%d facts", len(fs))
		}
		formulaDDE(b, containsLower(b, "dde"))
		isODFBasic(&message.Part{Path: "2/x.odt/Basic/L/M.xml", Content: b}, b, func(pat string) bool { return containsLower(b, pat) })
		odfAutoRun(b, "Module1")
	})
}

// odtWithEvent is an .odt whose event binds macro (Library.Module.Sub) and
// whose Module1 shells out, laid out as LibreOffice writes them.
func odtWithEvent(event, macro string) *message.Message {
	return msg(part("2", zipBytes, named("letter.odt"), container()),
		text("2/letter.odt/content.xml", odfContent(`<office:scripts><office:event-listeners><script:event-listener xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" `+
			`script:language="ooo:script" script:event-name="`+event+`" xlink:href="vnd.sun.star.script:`+macro+`?language=Basic&amp;location=document" xlink:type="simple"/></office:event-listeners></office:scripts><office:text><text:p>Invoice</text:p></office:text>`)),
		text("2/letter.odt/Basic/Standard/Module1.xml", `<?xml version="1.0" encoding="UTF-8"?><script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">Sub Startup
  Shell(&quot;cmd.exe /c calc.exe&quot;)
End Sub</script:module>`))
}
