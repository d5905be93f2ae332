package heuristic

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// msgWithNamed is a .msg whose named property 0x8000+index (a string) is
// mapped to lid in set, as unpack presents its streams: the message, the
// property's stream, the name map's GUID and entry streams.
func msgWithNamed(index uint16, set [16]byte, lid uint32, value string) *message.Message {
	le := binary.LittleEndian
	entries := make([]byte, 8*int(index+1))
	le.PutUint32(entries[8*int(index):], lid)
	le.PutUint32(entries[8*int(index)+4:], uint32(index)<<16|3<<1)
	id := fmt.Sprintf("__substg1.0_%04X001F", 0x8000+int(index))
	return msg(text("1", "See the task."), part("2", []byte("\xD0\xCF\x11\xE0"), named("task.msg"), container()),
		part("2/task.msg/"+id, cryptkeys.UTF16LE(value), named(id)),
		part("2/task.msg/__nameid_version1.0/__substg1.0_00020102", set[:], named("__substg1.0_00020102")),
		part("2/task.msg/__nameid_version1.0/__substg1.0_00030102", entries, named("__substg1.0_00030102")))
}

// tnefWithNamed is a winmail.dat whose message properties hold one named
// string property.
func tnefWithNamed(set [16]byte, lid uint32, value string) []byte {
	le := binary.LittleEndian
	props := le.AppendUint32(nil, 1)
	props = le.AppendUint16(props, 0x001F)
	props = le.AppendUint16(props, 0x8000)
	props = append(props, set[:]...)
	props = le.AppendUint32(props, 0)
	props = le.AppendUint32(props, lid)
	v := cryptkeys.UTF16LE(value + "\x00")
	props = le.AppendUint32(props, 1)
	props = le.AppendUint32(props, uint32(len(v)))
	props = append(props, v...)
	for len(props)%4 != 0 {
		props = append(props, 0)
	}
	b := le.AppendUint32(nil, 0x223E9F78)
	b = le.AppendUint16(b, 1)
	b = append(b, 1)
	b = le.AppendUint32(b, 0x00069003)
	b = le.AppendUint32(b, uint32(len(props)))
	b = append(b, props...)
	return le.AppendUint16(b, 0) // checksum: not checked
}

func remoteFetchCases() map[string][]sample {
	imageRel := func(target string) *message.Message {
		return relsMsg(`<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="` + target + `" TargetMode="External"/>`)
	}
	docXML := func(xml string) *message.Message {
		return msg(part("2", zipBytes, named("x.docx"), container()),
			text("2/x.docx/word/document.xml", `<?xml version="1.0"?><w:document xmlns:w="x"><w:body>`+xml+`</w:body></w:document>`))
	}
	rtf := func(s string) *message.Message { return attach(part("2", []byte(s), named("a.rtf"))) }
	other := [16]byte{1, 2, 3}
	return map[string][]sample{"remote-fetch": {
		{"reminder sound on a share (.msg)", msgWithNamed(2, psetidCommon, lidReminderFileParameter, `\\203.0.113.7\share\alarm.wav`), "2/task.msg/__substg1.0_8002001F"},
		{"reminder sound on a WebDAV share (.msg)", msgWithNamed(0, psetidCommon, lidReminderFileParameter, `\\files.example.net@SSL@443\DavWWWRoot\a.wav`), "2/task.msg/__substg1.0_8000001F"},
		{"reminder sound on the disk (.msg)", msgWithNamed(2, psetidCommon, lidReminderFileParameter, `C:\Windows\Media\Alarm01.wav`), ""},
		{"reminder sound on the intranet (.msg)", msgWithNamed(2, psetidCommon, lidReminderFileParameter, `\\fileserver\sounds\a.wav`), ""},
		{"another named property holding a share (.msg)", msgWithNamed(2, other, lidReminderFileParameter, `\\203.0.113.7\share\a.wav`), ""},
		{"reminder sound on a share (winmail.dat)", attach(part("2", tnefWithNamed(psetidCommon, lidReminderFileParameter, `\\203.0.113.7@80\s\a.wav`), named("winmail.dat"), declared("application/ms-tnef"))), "2"},
		{"another named property (winmail.dat)", attach(part("2", tnefWithNamed(psetidCommon, 0x8520, `\\203.0.113.7\s\a.wav`), named("winmail.dat"), declared("application/ms-tnef"))), ""},
		{"INCLUDEPICTURE fldSimple", docXML(`<w:p><w:fldSimple w:instr=' INCLUDEPICTURE "\\\\203.0.113.7\\s\\a.png" \d '/></w:p>`), "2/x.docx/word/document.xml"},
		{"INCLUDETEXT split over runs", docXML(`<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> inclu</w:instrText></w:r><w:r><w:instrText>deTEXT "\\\\?\\UNC\\198.51.100.4\\s\\t.docx"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`), "2/x.docx/word/document.xml"},
		{"INCLUDETEXT from the web", docXML(`<w:p><w:fldSimple w:instr='INCLUDETEXT "https://files.example.net/t.docx"'/></w:p>`), "2/x.docx/word/document.xml"},
		{"LINK to a workbook on a share", docXML(`<w:p><w:fldSimple w:instr='LINK Excel.Sheet.12 "file://files.example.net/s/b.xlsx" "Sheet1!R1C1" \a \f 4'/></w:p>`), "2/x.docx/word/document.xml"},
		{"INCLUDEPICTURE from the web", docXML(`<w:p><w:fldSimple w:instr='INCLUDEPICTURE "https://www.example.com/logo.png" \d'/></w:p>`), ""},
		{"INCLUDEPICTURE from the intranet", docXML(`<w:p><w:fldSimple w:instr='INCLUDEPICTURE "\\\\fileserver\\img\\logo.png"'/></w:p>`), ""},
		{"INCLUDEPICTURE from a private address", docXML(`<w:p><w:fldSimple w:instr='INCLUDEPICTURE "\\\\10.1.2.3\\img\\logo.png"'/></w:p>`), ""},
		{"HYPERLINK to a share", docXML(`<w:p><w:fldSimple w:instr='HYPERLINK "\\\\203.0.113.7\\s\\a.docx"'/></w:p>`), ""},
		{"RTF INCLUDEPICTURE", rtf(`{\rtf1{\field{\*\fldinst {INCLUDE}{PICTURE "file://203.0.113.7/s/a.png" \\d}}{\fldrslt x}}}`), "2"},
		{"RTF INCLUDEPICTURE local", rtf(`{\rtf1{\field{\*\fldinst INCLUDEPICTURE "file:///C:/pics/a.png"}}{\fldrslt x}}}`), ""},
		{"Word 97 INCLUDEPICTURE", msg(part("2", []byte("\xD0\xCF\x11\xE0"), named("a.doc"), container()),
			part("2/a.doc/WordDocument", []byte("text \x13 INCLUDEPICTURE \"\\\\\\\203.0.113.7\\\\s\\\\a.png\" \\d \x14x\x15 end"))), "2/a.doc/WordDocument"},
		{"linked image, file://host", imageRel("file://203.0.113.7/s/logo.png"), "2/x.docx/word/_rels/settings.xml.rels"},
		{"linked image, UNC", imageRel(`\\files.example.net@SSL@443\DavWWWRoot\logo.png`), "2/x.docx/word/_rels/settings.xml.rels"},
		{"linked image, web", imageRel("https://shop.example.com/logo.png"), ""},
		{"linked image, intranet", imageRel(`\\fileserver.corp\img\logo.png`), ""},
		{"linked image, local", imageRel("file:///C:/img/logo.png"), ""},
		{"embedded image", relsMsg(`<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>`), ""},
		{"desktop.ini icon on a share", zipWith(text("2/a.zip/desktop.ini", "[.ShellClassInfo]\r\nIconResource=\\\\203.0.113.7\\s\\i.ico,0\r\n", named("desktop.ini"))), "2/a.zip/desktop.ini"},
		{"desktop.ini system icon", zipWith(text("2/a.zip/desktop.ini", "[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,-112\r\n", named("desktop.ini"))), ""},
		{"desktop.ini in UTF-16, icon on a share", zipWith(text("2/a.zip/desktop.ini", "\xff\xfe"+string(cryptkeys.UTF16LE("[.ShellClassInfo]\r\nIconResource=\\\\203.0.113.7\\s\\i.ico,0\r\n")), named("desktop.ini"))), "2/a.zip/desktop.ini"},
		// A .theme loads every file it names: its wallpaper and brand
		// image as Explorer shows it, its style, cursors and sounds as it
		// is applied.
		{"theme wallpaper on a WebDAV share", attach(text("2", "[Theme]\r\nDisplayName=Corporate\r\n[Control Panel\\Desktop]\r\nWallpaper=\\\\files.example.net@SSL\\DavWWWRoot\\w.jpg\r\n", named("Corporate.theme"))), "2"},
		{"theme visual style on a share", attach(text("2", "[VisualStyles]\r\nPath=\\\\203.0.113.7\\s\\aero.msstyles\r\nColorStyle=NormalColor\r\n", named("Corporate.theme"))), "2"},
		{"theme cursor on a share, quoted, in UTF-16", attach(text("2", "\xff\xfe"+string(cryptkeys.UTF16LE("[Control Panel\\Cursors]\r\nArrow=\"\\\\files.example.net\\c\\arrow.cur\"\r\n")), named("Corporate.theme"))), "2"},
		{"theme of local files", attach(text("2", "[Theme]\r\nDisplayName=Blue\r\n[Control Panel\\Desktop]\r\nWallpaper=%SystemRoot%\\web\\wallpaper\\Windows\\img0.jpg\r\n[VisualStyles]\r\nPath=%ResourceDir%\\Themes\\Aero\\Aero.msstyles\r\n[Control Panel\\Cursors]\r\nArrow=%SystemRoot%\\cursors\\aero_arrow.cur\r\n", named("Blue.theme"))), ""},
		{"theme wallpaper on the office file server", attach(text("2", "[Control Panel\\Desktop]\r\nWallpaper=\\\\fileserver\\branding\\wall.jpg\r\n", named("Corporate.theme"))), ""},
		{".url icon on a share", attach(text("2", "[InternetShortcut]\r\nURL=https://www.example.com/\r\nIconFile=file://203.0.113.7/s/i.ico\r\n", named("a.url"))), "2"},
		{"html image on a share", body(`<p>Hi</p><img src="\\203.0.113.7\s\p.png">`), "1"},
		{"html background, entities", body(`<body background="&#92;&#92;files.example.net@SSL@443&bsol;DavWWWRoot&#92;bg.png">`), "1"},
		{"html style url()", body(`<div style="background:url('file://203.0.113.7/s/bg.png')">x</div>`), "1"},
		{"html style sheet", body(`<style>p{background:url(\\203.0.113.7\s\a.png)}</style><p>x</p>`), "1"},
		{"html svg image", body(`<svg><image xlink:href="file:////203.0.113.7/s/a.png"/></svg>`), "1"},
		{"html image on a share named by a number", body(`<img src="\\3405803783\s\p.png">`), "1"},
		{"OpenDocument linked picture", msg(part("2", zipBytes, named("x.odt"), container()),
			text("2/x.odt/content.xml", `<?xml version="1.0"?><office:document-content><draw:frame><draw:image xlink:href="file://203.0.113.7/s/a.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></office:document-content>`)), "2/x.odt/content.xml"},
		{"OpenDocument embedded picture", msg(part("2", zipBytes, named("x.odt"), container()),
			text("2/x.odt/content.xml", `<?xml version="1.0"?><office:document-content><draw:frame><draw:image xlink:href="Pictures/a.png"/></draw:frame><text:a xlink:href="file://203.0.113.7/s/a.odt">x</text:a></office:document-content>`)), ""},
		{"html VML fill", body(`<v:rect><v:fill type="tile" src="\\203.0.113.7\s\bg.png"/></v:rect>`), "1"},
		{"html backslash as a zero-padded reference", body(`<img src="&#0092;&#x5C;203.0.113.7&#92;s&#92;p.png">`), "1"},
		{"MonikerLink", body(`<a href="file:///\\203.0.113.7\test\test.rtf!something">invoice</a>`), "1"},
		{"file link to click", body(`<a href="file:///\\203.0.113.7\test\test.rtf">invoice</a>`), ""},
		{"Outlook's intranet link", body(`<a href="file:///\\fileserver\finance\report.xlsx">\\fileserver\finance\report.xlsx</a>`), ""},
		{"protocol-relative image in a body", body(`<img src="//cdn.example.net/logo.png">`), ""},
		{"protocol-relative image in a page opened from disk", attach(htmlPart("2", `<img src="//203.0.113.7/s/logo.png">`, named("invoice.html"))), "2"},
		{"web image", body(`<img src="https://www.example.com/logo.png">`), ""},
		{"intranet path in text", msg(text("1", `The report is at \\fileserver\finance\report.xlsx and \\203.0.113.7\share\x.`)), ""},
	}, "power-query-fetch": {
		{"web query refreshed on open", query(`Source = Csv.Document(Web.Contents("http://203.0.113.7/rates.csv"))`, refreshOn), query0},
		{"share on the Internet, refreshOnLoad true", query(`Source = Csv.Document(File.Contents("\\files.example.net@SSL@443\DavWWWRoot\r.csv"))`,
			`<connection id="1" name="Query - Rates" refreshOnLoad="true"/>`), query0},
		{"address built from pieces", query(`Source = Web.Contents("ht" & "tp://" & Text.From(203) & ".0.113.7/p")`, refreshOn), query0},
		{"call by a built name", query(`Source = Expression.Evaluate("Web." & "Contents(""http://x"")", #shared)`, refreshOn), query0},
		{"web query refreshed by hand", query(`Source = Csv.Document(Web.Contents("http://203.0.113.7/rates.csv"))`,
			`<connection id="1" name="Query - Rates" refreshOnLoad="0"/>`), ""},
		{"intranet share refreshed on open", query(`Source = Csv.Document(File.Contents("\\fileserver\finance\rates.csv"))`, refreshOn), ""},
		{"workbook table refreshed on open", query(`Source = Excel.CurrentWorkbook(){[Name="Table1"]}[Content]`, refreshOn), ""},
		{"Section1.m outside a DataMashup", msg(part("2", zipBytes, named("a.zip"), container()),
			text("2/a.zip/Formulas/Section1.m", `Source = Web.Contents("http://203.0.113.7/x")`),
			text("2/a.zip/xl/connections.xml", `<connections><connection refreshOnLoad="1"/></connections>`)), ""},
	}}
}

// query is a workbook whose Power Query has the M code m (as unpack
// presents a DataMashup) and whose xl/connections.xml holds conns.
func query(m, conns string) *message.Message {
	return msg(part("2", zipBytes, named("book.xlsx"), container()),
		text("2/book.xlsx/xl/connections.xml", `<?xml version="1.0"?><connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+conns+`</connections>`),
		part("2/book.xlsx/customXml/item1.xml", []byte("\xFF\xFE<"), container()),
		part("2/book.xlsx/customXml/item1.xml/PackageParts.zip", zipBytes, container()),
		text("2/book.xlsx/customXml/item1.xml/PackageParts.zip/Formulas/Section1.m", "section Section1;\r\nshared Rates = let\r\n    "+m+"\r\nin\r\n    Source;"))
}

const (
	refreshOn = `<connection id="1" keepAlive="1" name="Query - Rates" type="5" refreshOnLoad="1" background="1" saveData="1"><dbPr connection="Provider=Microsoft.Mashup.OleDb.1;Data Source=$Workbook$;Location=Rates" command="SELECT * FROM [Rates]"/></connection>`
	query0    = "2/book.xlsx/customXml/item1.xml/PackageParts.zip/Formulas/Section1.m"
)

func TestMFetches(t *testing.T) {
	for m, want := range map[string]string{
		`Web.Contents("https://h.example/a")`:            `fetches "https://h.example/a"|calls Web.Contents`,
		`File.Contents("\\203.0.113.7\s\a.csv")`:         `loads from the share "203.0.113.7"`,
		`x = "say ""http://a.example"" here"`:            ``,
		`x = """http://a.example"""`:                     ``,
		`x = "http://a.example/""q"""`:                   `fetches "http://a.example/\"q\""`,
		`OData.Feed(u) // "unterminated`:                 `calls OData.Feed`,
		`File.Contents("C:\data\a.csv") & "\\fs.corp\s"`: ``,
	} {
		if got := strings.Join(mFetches(m), "|"); got != want {
			t.Errorf("mFetches(%q) = %q, want %q", m, got, want)
		}
	}
}

func TestShareHost(t *testing.T) {
	for in, want := range map[string]string{
		`\\host\share`: "host", `//Host/share`: "host", `\/host\s`: "host", `file://host/s`: "host",
		`file:////host/s`: "host", `file:///\\host\s`: "host", `file:\\host\s`: "host", `FILE://h.example@SSL@443/DavWWWRoot`: "h.example",
		`\\?\UNC\host\s`: "host", `\\h.example@80\s`: "h.example", `\\3405803783\s`: "3405803783",
		`file:///C:/x`: "", `file:///home/x`: "", `file://C:/x`: "", `C:\x`: "", `https://h.example/`: "", `\x`: "", `file:`: "", `\\`: "",
	} {
		if got := shareHost(in); got != want {
			t.Errorf("shareHost(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{
		`\\203.0.113.7\s`: true, `\\files.example.net\s`: true, `\\fileserver\s`: false, `\\10.0.0.1\s`: false,
		`\\192.168.1.2\s`: false, `\\127.0.0.1\s`: false, `\\nas.local\s`: false, `\\fs.corp\s`: false, `\\localhost\s`: false,
		`\\3405803783\s`: true, `\\0xCB.0x71.0.7\s`: true,
	} {
		if _, got := internetShare(in); got != want {
			t.Errorf("internetShare(%q) = %v, want %v", in, got, want)
		}
	}
}
