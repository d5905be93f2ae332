package urls

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

func textPart(s string) *message.Part { return &message.Part{Path: "1", Content: []byte(s)} }

func normalized(us []URL) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Normalized)
	}
	return out
}

func TestExtract(t *testing.T) {
	cases := []struct {
		name string
		p    *message.Part
		want []string // Normalized, in order
	}{
		{"text", textPart("See https://Example.COM:443/a?b=1, and (http://www.example.org:8080/x). Also www.example.net/docs."),
			[]string{"https://example.com/a?b=1", "http://www.example.org:8080/x", "http://www.example.net/docs"}},
		{"dedupe", textPart("https://example.com/a https://EXAMPLE.com/a"), []string{"https://example.com/a"}},
		{"idna", textPart("https://bücher.example/"), []string{"https://xn--bcher-kva.example/"}},
		{"backslashes", &message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(`<a href="https://example.com\evil.example">x</a>`)},
			[]string{"https://example.com/evil.example"}},
		{"no urls", textPart("nothing here: example dot com"), nil},
		{"html", &message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(
			`<a href="https://a.example/x?y=1&amp;z=2">Text <b>A</b></a><img src="https://cdn.example/i.png">` +
				`<img src="data:image/png;base64,AAAA"><form action="https://f.example/p"></form><iframe src="https://i.example/"></iframe>` +
				`<meta http-equiv="refresh" content="0; url=https://r.example/"><p>bare http://t.example/p</p>`)},
			[]string{"https://a.example/x?y=1&z=2", "https://cdn.example/i.png", "https://f.example/p", "https://i.example/", "https://r.example/", "http://t.example/p"}},
		{"pdf", &message.Part{Path: "2", Content: []byte("%PDF-1.4\n<< /S /URI /URI (https://p.example/a\\)b) >>\n<< /U#52I <68747470733a2f2f682e6578616d706c652f> >>\n")},
			[]string{"https://p.example/a)b", "https://h.example/"}},
		{"pdf actions and scripts", &message.Part{Path: "2", Content: []byte("%PDF-1.4\n<< /S /SubmitForm /F << /FS /URL /F (https://s.example/post) >> >>\n" +
			"<< /S /GoToR /F (report.pdf) >>\n<< /S /JavaScript /JS (app.launchURL\\('https://j.example/x', true\\);) >>\n<< /Type /Filespec /U#46 <68747470733a2f2f752e6578616d706c652f> >>\n")},
			[]string{"https://s.example/post", "https://j.example/x", "https://u.example/"}},
		{"office rels", &message.Part{Path: "2/x.docx/word/_rels/document.xml.rels", Content: []byte(
			`<?xml version="1.0"?><Relationships><Relationship Id="r" Type="t/hyperlink" Target="https://o.example/?a=1&amp;b=2" TargetMode="External"/><Relationship Id="s" Target="styles.xml"/></Relationships>`)},
			[]string{"https://o.example/?a=1&b=2"}},
		{"binary", &message.Part{Path: "3", Content: []byte("\x00\x01https://x.example/")}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := normalized(Extract(c.p))
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// TestExtractPageScript: a script string that is one address is taken
// whole; one that holds addresses in text (a sentence, a JSON object) gives
// its http(s) addresses; a bare scheme, www. without one and an address
// the page has already are not added.
func TestExtractPageScript(t *testing.T) {
	p := &message.Part{Path: "2", DeclaredType: "text/html", Content: []byte(`<a href="https://own.example/">x</a>`)}
	out, own, markup := ExtractPage(p, nil, []string{
		"https://a.example/x?u=", "Sign in at https://b.example/login. Or at www.c.example", `{"gate":"http://d.example/p","n":2}`,
		"https://", "see https://own.example/",
	})
	var got []string
	for _, u := range out[markup:] {
		if u.Source != SourceScript {
			t.Errorf("%s: source %q", u.Raw, u.Source)
		}
		got = append(got, u.Raw)
	}
	if want := "https://a.example/x?u= https://b.example/login http://d.example/p"; strings.Join(got, " ") != want || own != 1 {
		t.Errorf("script URLs %q (own %d), want %q", got, own, want)
	}
}

func TestExtractAnchor(t *testing.T) {
	us := Extract(&message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(
		`<p><a href="https://evil.example/">  www.bank.example  </a> <a href="data:text/html,x">open</a> <a href="JAVA&#10;SCRIPT:x">j</a></p>`)})
	var links []URL
	for _, u := range us {
		if u.Source == SourceHref {
			links = append(links, u)
		}
	}
	if len(links) != 3 {
		t.Fatalf("got %+v", us)
	}
	if links[0].Text != "www.bank.example" || links[0].Host != "evil.example" {
		t.Errorf("anchor = %+v", links[0])
	}
	if links[1].Scheme != "data" || !links[1].IsLink() || links[1].Text != "open" {
		t.Errorf("data link = %+v", links[1])
	}
	if links[2].Scheme != "javascript" {
		t.Errorf("split javascript: scheme = %q", links[2].Scheme)
	}
}

func TestExtractBounds(t *testing.T) {
	var b strings.Builder
	for i := 0; i < MaxPerPart*2; i++ {
		fmt.Fprintf(&b, "https://h%d.example/ ", i)
	}
	if n := len(Extract(textPart(b.String()))); n != MaxPerPart {
		t.Errorf("kept %d URLs, want %d", n, MaxPerPart)
	}
	long := "https://long.example/" + strings.Repeat("a", 3*MaxLength)
	us := Extract(textPart(long))
	if len(us) != 1 || len(us[0].Raw) > MaxLength || us[0].Host != "long.example" {
		t.Errorf("long URL: %d URLs, raw %d bytes", len(us), len(us[0].Raw))
	}
}

func TestParse(t *testing.T) {
	u := Parse("https://bank.example@198.51.100.7:443/login")
	if u.Host != "198.51.100.7" || u.UserInfo() != "bank.example" || u.Normalized != "https://bank.example@198.51.100.7/login" {
		t.Errorf("%+v userinfo=%q", u, u.UserInfo())
	}
	if u := Parse("http://[2001:DB8::1]:80/"); u.Host != "2001:db8::1" || u.Normalized != "http://[2001:db8::1]/" {
		t.Errorf("ipv6: %+v", u)
	}
	if u := Parse("http://xn--pypal-4ve.com/"); u.UnicodeHost() != "pаypal.com" {
		t.Errorf("unicode host = %q", u.UnicodeHost())
	}
	if u := Parse("not a url"); u.Host != "" || u.Normalized != "" || u.Raw != "not a url" {
		t.Errorf("garbage: %+v", u)
	}
}

func TestLookalike(t *testing.T) {
	cases := []struct {
		host, brand string
	}{
		{"xn--pypal-4ve.com", "paypal"}, // Cyrillic а
		{"www.rnicrosoft.com", "microsoft"},
		{"g00gle.com", "google"},
		{Parse("https://login.mıcrosoft.example/").Host, "microsoft"}, // ı dotless i
		{"paypal.com", ""},
		{"www.paypal.example", ""},
		{"example.com", ""},
		{"paypal", ""},
	}
	for _, c := range cases {
		b, ok := Lookalike(c.host)
		if b != c.brand || ok != (c.brand != "") {
			t.Errorf("Lookalike(%q) = %q, %v; want %q", c.host, b, ok, c.brand)
		}
	}
	if _, ok := MixedScript("xn--pypal-4ve.com"); !ok {
		t.Error("mixed script not seen")
	}
	if l, ok := MixedScript("xn--e1afmkfd.xn--p1ai"); ok { // пример.рф
		t.Errorf("all-Cyrillic domain called mixed: %q", l)
	}
}

func writeFile(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "list")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBlocklist(t *testing.T) {
	bl, err := LoadBlocklist(writeFile(t, "# bad things\n\nEvil.Example.  # trailing comment\n*.wild.example\n198.51.100.7\nhttps://host.example/bad/\nhttps://exact.example/page\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"http://evil.example/":               "evil.example",
		"https://a.b.EVIL.example:443/x":     "evil.example",
		"https://notevil.example/":           "",
		"https://x.wild.example/":            "wild.example",
		"http://198.51.100.7/":               "198.51.100.7",
		"https://host.example/bad/x?y":       "https://host.example/bad/",
		"https://host.example/badger":        "",
		"https://exact.example/page":         "https://exact.example/page",
		"https://exact.example/page?x=1":     "https://exact.example/page",
		"https://exact.example/pages":        "",
		"https://exact.example/page/":        "https://exact.example/page",
		"https://evil.example.attacker.net/": "",
	}
	for raw, want := range cases {
		if got := bl.Match(Parse(raw)); got != want {
			t.Errorf("Match(%s) = %q, want %q", raw, got, want)
		}
	}
	if bl.Len() != 5 {
		t.Errorf("Len = %d", bl.Len())
	}
}

func TestBlocklistErrors(t *testing.T) {
	p := writeFile(t, "good.example\nnot a domain\nevil.example/path\n\nhttps://\nok.example\nexa$mple.com\n")
	_, err := LoadBlocklist(p)
	if err == nil {
		t.Fatal("bad file loaded")
	}
	for _, want := range []string{p + ":2:", p + ":3:", p + ":5:", p + ":7:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s:\n%v", want, err)
		}
	}
	for _, notWant := range []string{":1:", ":4:", ":6:"} {
		if strings.Contains(err.Error(), notWant) {
			t.Errorf("error names good line %s:\n%v", notWant, err)
		}
	}
	if _, err := LoadBlocklist(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing file loaded")
	}
	if _, err := LoadBlocklist(writeFile(t, strings.Repeat("a", maxBlocklistLine+10)+"\n")); err == nil || !strings.Contains(err.Error(), ":1:") {
		t.Errorf("overlong line: %v", err)
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("text/html", `<a href="https://a.example/">www.b.example</a><form action=data:x>`)
	f.Add("", "%PDF-1.4 /URI (http://x.example/\\051) /U#52I <6874>")
	f.Add("", `<?xml version="1.0"?><Relationship Target="https://x.example/&amp;"/>`)
	f.Add("text/plain", "www.example.com https://[::1]:99/ http://%zz/ https://bank@1.2.3.4/")
	f.Fuzz(func(t *testing.T, ct, s string) {
		us := Extract(&message.Part{Path: "1", DeclaredType: ct, Content: []byte(s)})
		if len(us) > MaxPerPart {
			t.Fatalf("%d URLs", len(us))
		}
		for _, u := range us {
			if len(u.Raw) > MaxLength || len(u.Text) > MaxTextLen {
				t.Fatalf("unbounded: raw %d text %d", len(u.Raw), len(u.Text))
			}
			_ = u.UserInfo()
			_ = u.UnicodeHost()
			Lookalike(u.Host)
			MixedScript(u.Host)
		}
	})
}
