package heuristic

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/urls"
)

// TestCleanSet is ordinary business mail: nothing may be suspicious.
func TestCleanSet(t *testing.T) {
	newsletter := `<!DOCTYPE html><html><body>
<img src="https://cdn.example.com/logo.png" alt="Example">
<p>Our spring news: read it at <a href="https://www.example.com/news/spring">www.example.com/news/spring</a>.</p>
<p><a href="https://example.com/shop?utm_source=mail">Visit the shop</a> or
<a href="mailto:sales@example.com">sales@example.com</a>.</p>
<img src="data:image/png;base64,` + strings.Repeat("iVBORw0KGgo", 500) + `">
<p><a href="https://example.com/unsubscribe?u=123">Unsubscribe</a></p></body></html>`
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Quarterly review\r\nURL:https://meet.example.com/q3\r\nDTSTART:20260105T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	docxRels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.example.com/terms" TargetMode="External"/></Relationships>`
	cases := []struct {
		name string
		m    *message.Message
	}{
		{"plain text", msg(text("1", "Hi Bob,\n\nthe minutes are at https://wiki.example.com/minutes and www.example.org.\nShell Oil called. Sub-committee at 3.\n\nAlice", declared("text/plain")))},
		{"newsletter", msg(text("1", "Spring news: https://www.example.com/news/spring"), htmlPart("2", newsletter))},
		{"pdf with a link", attach(part("2", cleanPDF, named("Rechnung 2026-01.pdf"), declared("application/pdf")))},
		{"docx without macros", msg(text("1", "Draft attached."),
			part("2", zipBytes, named("draft.docx"), declared("application/vnd.openxmlformats-officedocument.wordprocessingml.document"), container()),
			text("2/draft.docx/word/document.xml", `<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>Terms at https://www.example.com/terms</w:t></w:r></w:p></w:body></w:document>`),
			text("2/draft.docx/word/_rels/document.xml.rels", docxRels))},
		{"images", msg(text("1", "Photos."), part("2", pngBytes, named("IMG_0001.png"), declared("image/png")),
			part("3", jpegBytes, named("IMG_0002.JPG"), declared("image/jpeg")))},
		{"calendar invite", msg(text("1", "Invitation"), text("2", ics, named("invite.ics"), declared("text/calendar")))},
		{"zip of text files", msg(text("1", "Logs attached"), part("2", zipBytes, named("logs.zip"), declared("application/zip"), container()),
			text("2/logs.zip/app.log", "2026-01-01 started\n", named("app.log")),
			text("2/logs.zip/notes/readme.txt", "see https://docs.example.com/", named("notes/readme.txt")))},
		{"japanese", msg(text("1", "お世話になっております。資料はこちらです: https://www.example.co.jp/shiryo"), text("2", "x", named("見積書.pdf.txt")))},
	}
	s := newScanner(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range scan(t, s, c.m) {
				if f.Severity >= scanners.Suspicious || f.Score > 0 {
					t.Errorf("clean mail got %s on %s (%s): %s", f.ID, f.Part, f.Severity, f.Detail)
				}
			}
		})
	}
}

func TestNewOverrides(t *testing.T) {
	mal, zero := scanners.Malicious, 0
	s, err := New(map[string]Override{
		"ip-url":               {Disabled: true},
		"dangerous-executable": {Severity: &mal, Score: &zero},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := msg(text("1", "http://198.51.100.7/"), part("2", fakePE(), named("a.exe")))
	fs := scan(t, s, m)
	if f := find(fs, "ip-url"); f != nil {
		t.Errorf("disabled check ran: %+v", f)
	}
	f := find(fs, "dangerous-executable")
	if f == nil || f.Severity != scanners.Malicious || f.Score != 0 {
		t.Errorf("override not applied: %+v", f)
	}

	_, err = New(map[string]Override{"ip-url": {}, "dubble-extension": {}, "zzz": {}}, Options{})
	if err == nil || !strings.Contains(err.Error(), `"dubble-extension"`) || !strings.Contains(err.Error(), `"zzz"`) {
		t.Errorf("unknown IDs: err = %v, want both named", err)
	}
	bad := scanners.Severity(7)
	if _, err := New(map[string]Override{"ip-url": {Severity: &bad}}, Options{}); err == nil {
		t.Error("invalid severity accepted")
	}
}

func TestChecksTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Checks() {
		if seen[c.ID] {
			t.Errorf("duplicate ID %s", c.ID)
		}
		seen[c.ID] = true
		if c.Description == "" || strings.ContainsAny(c.ID, " _") || strings.ToLower(c.ID) != c.ID {
			t.Errorf("check %q: needs a lower-case-hyphen ID and a description", c.ID)
		}
	}
	// The table must be data docs/heuristics.md can copy, not only code.
	if len(Checks()) < 30 {
		t.Errorf("only %d checks", len(Checks()))
	}
}

// The encrypted-archive finding must be unscannable so the policy applies.
func TestEncryptedUnscannable(t *testing.T) {
	fs := scan(t, newScanner(t), zipWith(part("2/a.zip/x.pdf", nil, named("x.pdf"), encrypted())))
	f := find(fs, "encrypted-archive")
	if f == nil || !f.Unscannable {
		t.Fatalf("encrypted-archive not unscannable: %+v", f)
	}
}

// Attacker strings are quoted: no control or bidi characters reach a detail.
func TestDetailSanitised(t *testing.T) {
	name := "a\r\nX-Kensa-Verdict: accept\u202Efdp." + strings.Repeat("x", 500) + ".exe"
	fs := scan(t, newScanner(t), attach(text("2", "x", named(name))))
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range fs {
		if strings.ContainsAny(f.Detail, "\r\n\u202E") {
			t.Errorf("%s detail carries raw control characters: %q", f.ID, f.Detail)
		}
		if n := len([]rune(f.Detail)); n > maxDetail+1 {
			t.Errorf("%s detail is %d runes", f.ID, n)
		}
	}
}

// DNSBL queries are bounded per message and repeated domains asked once.
func TestDNSBLBounded(t *testing.T) {
	d := &fakeDNSBL{max: 3, listed: map[string]string{"e.example": "127.0.1.2"}}
	s, err := New(nil, Options{DNSBL: d})
	if err != nil {
		t.Fatal(err)
	}
	txt := "https://a.example/ https://www.a.example/x https://b.example/ https://c.example/ https://d.example/ https://e.example/"
	fs := scan(t, s, msg(text("1", txt), htmlPart("2", `<a href="https://a.example/">a</a>`)))
	if len(d.queries) != 3 {
		t.Errorf("queries = %v, want 3 distinct", d.queries)
	}
	if find(fs, "dnsbl-url") != nil {
		t.Error("e.example was beyond the bound but was reported")
	}
}

func TestURLsForCLI(t *testing.T) {
	s := newScanner(t)
	m := msg(text("1", "see https://WWW.Example.COM:443/a and https://www.example.com/a"),
		htmlPart("2", `<a href="https://www.example.com/a">x</a><a href="http://198.51.100.7/">y</a>`))
	us := s.URLs(m)
	if len(us) != 2 {
		t.Fatalf("URLs = %+v, want 2 after dedupe", us)
	}
	if us[0].Normalized != "https://www.example.com/a" {
		t.Errorf("normalised = %q", us[0].Normalized)
	}
}

func TestScanHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newScanner(t).Scan(ctx, attach(part("2", fakePE(), named("a.exe")))); err == nil {
		t.Error("cancelled scan returned no error")
	}
}

// FuzzHTMLChecks runs every check over attacker HTML as a body, as an
// attachment and as an SVG, and holds the scanner to properties, not only
// to "no error":
//   - bounds: every finding is a row of the table with its default severity
//     and score, names one of the three parts, at most once per check and
//     part, and carries a short detail without control or bidi characters;
//   - determinism: a second scan finds exactly the same;
//   - independence: what part 1 gets does not depend on the parts after it
//     (part 1 is scanned first, so even the per-message bounds agree).
func FuzzHTMLChecks(f *testing.F) {
	f.Add(`<form action="https://x.example"><input type=password></form>`)
	f.Add(`<a download href="data:x">`)
	f.Add(`<script>new Blob([atob("QUFB")])</script><a href="https://a.example">www.b.example</a>`)
	f.Add("<svg onload=x><a href='java\nscript:'>")
	f.Add(`<a href="https://paypa1.example/\x1b[31m">paypal.com</a><a href="http://0x7f.1/">x</a>`)
	f.Add(`<script>document.write(unescape('%3Cinput type=password%3E'));fetch("https://x.example")</script>`)
	f.Add(`<script>document.write(decodeURIComponent(escape(atob("PGlucHV0IHR5cGU9cGFzc3dvcmQ+"))));var c=[60,105,110,112,117,116,62,60];String.fromCharCode</script>`)
	f.Add(`<meta http-equiv=refresh content="0;url=https://x.example"><iframe srcdoc="&lt;input type=password&gt;" src="https://x.example" width=100% height=100%>`)
	f.Add(`<base href="https://x.example/"><form action=a><input style="-webkit-text-security:disc"></form><script>function g(){location.href="https://x.example"} setTimeout(g,1)</script>`)
	s, err := New(nil, Options{})
	if err != nil {
		f.Fatal(err)
	}
	table := map[string]CheckInfo{}
	for _, c := range Checks() {
		table[c.ID] = c
	}
	f.Fuzz(func(t *testing.T, h string) {
		m := msg(htmlPart("1", h), htmlPart("2", h, named("a.html")), text("3", h, named("x.svg")))
		got, err := s.Scan(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, f := range got {
			c, ok := table[f.ID]
			if !ok || f.Scanner != Name || f.Severity != c.Severity || f.Score != c.Score {
				t.Errorf("finding %+v is not a row of the table with its defaults", f)
			}
			if f.Part != "1" && f.Part != "2" && f.Part != "3" {
				t.Errorf("finding %s names part %q", f.ID, f.Part)
			}
			if k := f.ID + "\x00" + f.Part; seen[k] {
				t.Errorf("%s reported twice on part %s", f.ID, f.Part)
			} else {
				seen[k] = true
			}
			if n := utf8.RuneCountInString(f.Detail); n > maxDetail+1 || !utf8.ValidString(f.Detail) {
				t.Errorf("%s detail: %d runes, valid UTF-8 %v", f.ID, n, utf8.ValidString(f.Detail))
			}
			if strings.IndexFunc(f.Detail, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }) >= 0 {
				t.Errorf("%s detail carries a control or bidi character: %q", f.ID, f.Detail)
			}
		}
		again, err := s.Scan(context.Background(), m)
		if err != nil || !reflect.DeepEqual(got, again) {
			t.Errorf("second scan differs (%v):\n%+v\n%+v", err, got, again)
		}
		alone, err := s.Scan(context.Background(), msg(htmlPart("1", h)))
		if err != nil {
			t.Fatal(err)
		}
		var first []scanners.Finding
		for _, f := range got {
			if f.Part == "1" {
				first = append(first, f)
			}
		}
		if !reflect.DeepEqual(first, alone) {
			t.Errorf("part 1 alone gets\n%+v\nbut beside parts 2 and 3\n%+v", alone, first)
		}
	})
}

// TestProtectedDomains: a lookalike of the admins' own domain is a
// lookalike-domain finding; the domain itself and its hosts are not.
func TestProtectedDomains(t *testing.T) {
	la, err := urls.NewLookalikes([]string{"kensa-bank.co.uk"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(nil, Options{Lookalikes: la})
	if err != nil {
		t.Fatal(err)
	}
	f := find(scan(t, s, msg(text("1", "Pay the invoice at https://kensa-bamk.co.uk/pay"))), "lookalike-domain")
	if f == nil || !strings.Contains(f.Detail, "imitates kensa-bank.co.uk") {
		t.Errorf("lookalike of a protected domain: %+v", f)
	}
	if f := find(scan(t, s, msg(text("1", "https://www.kensa-bank.co.uk/ https://mail.kensa-bank.co.uk/"))), "lookalike-domain"); f != nil {
		t.Errorf("the protected domain itself: %+v", f)
	}
	if f := find(scan(t, newScanner(t), msg(text("1", "https://kensa-bamk.co.uk/pay"))), "lookalike-domain"); f != nil {
		t.Errorf("not protected, still found: %+v", f)
	}
}
