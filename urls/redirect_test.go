package urls

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

func TestUnwrap(t *testing.T) {
	cases := []struct{ raw, host, wrapper string }{
		{"https://www.google.com/url?q=https%3A%2F%2Fevil.example%2Flogin&sa=D", "evil.example", "Google redirect"},
		{"https://google.co.uk/url?sa=t&url=https://evil.example/", "evil.example", "Google redirect"},
		{"https://www.google.com/amp/s/evil.example/login", "evil.example", "Google AMP"},
		{"https://www.bing.com/ck/a?!&&p=abc&u=a1aHR0cHM6Ly9ldmlsLmV4YW1wbGUvbG9naW4_eD0x&ntb=1", "evil.example", "Bing redirect"},
		{"https://eur03.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F&data=05%7C01", "evil.example", "Outlook Safe Links"},
		{"https://urldefense.proofpoint.com/v1/url?u=https://evil.example/a&k=abc", "evil.example", "Proofpoint URL Defense v1"},
		{"https://urldefense.proofpoint.com/v2/url?u=https-3A__evil.example_login&d=DwMF&c=x", "evil.example", "Proofpoint URL Defense v2"},
		{"https://urldefense.com/v3/__https://evil.example/a*b__;Pw!!ABC$", "evil.example", "Proofpoint URL Defense v3"},
		{"https://protect-eu.mimecast.com/s/AbCd?domain=evil.example", "evil.example", "Mimecast URL Protect"},
		{"https://linkprotect.cudasvc.com/url?a=https%3a%2f%2fevil.example%2f&c=E,1,x", "evil.example", "Barracuda Link Protection"},
		{"https://l.facebook.com/l.php?u=https%3A%2F%2Fevil.example%2F&h=AT0", "evil.example", "Facebook link shim"},
		{"https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fevil.example&urlhash=x", "evil.example", "LinkedIn redirect"},
		{"https://slack-redir.net/link?url=https%3A%2F%2Fevil.example", "evil.example", "Slack redirect"},
		{"https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=0&response_type=code&redirect_uri=https%3A%2F%2Fevil.example%2Fk&scope=invalid&prompt=none", "evil.example", "OAuth redirect"},
		{"https://login.microsoftonline.com/contoso.example/oauth2/authorize?client_id=0&redirect_uri=https://evil.example/", "evil.example", "OAuth redirect"},
		{"https://login.live.com/oauth20_authorize.srf?client_id=0&redirect_uri=https://evil.example/", "evil.example", "OAuth redirect"},
		{"https://accounts.google.com/o/oauth2/v2/auth?client_id=0&redirect_uri=https://evil.example/cb&response_type=code&scope=x", "evil.example", "OAuth redirect"},
		{"https://github.com/login/oauth/authorize?client_id=0&redirect_uri=https://evil.example/cb", "evil.example", "OAuth redirect"},
		{"https://login.microsoftonline.com/common/reprocess?redirect_uri=https://evil.example/", "evil.example", "redirect parameter"},
		{"https://track.example/click?id=7&redirect=https%3A%2F%2Fevil.example%2F", "evil.example", "redirect parameter redirect= on track.example"},
		{"https://track.example/c?dest=http://evil.example/", "evil.example", "redirect parameter dest= on track.example"},
		{"https://ad.doubleclick.net/ddm/clk/123456;789;o;?https://evil.example/signin?a=1", "evil.example", "DoubleClick ad click"},
		{"https://ad.doubleclick.net/ddm/trackclk/N1234.5678/B9;dc_trk_aid=1;dc_trk_cid=2;?https%3A%2F%2Fevil.example%2F", "evil.example", "DoubleClick ad click"},
		{"https://adclick.g.doubleclick.net/pcs/click?xai=AKA&sig=Cg0&adurl=https://evil.example/", "evil.example", "DoubleClick ad click"},
		{"https://www.googleadservices.com/pagead/aclk?sa=L&ai=DChc&sig=AOD6&adurl=https%3A%2F%2Fevil.example%2F", "evil.example", "Google Ads click"},
		{"https://www.google.com/aclk?sa=l&ai=DChc&sig=AOD6&adurl=https://evil.example/", "evil.example", "Google Ads click"},
		{"https://www.youtube.com/redirect?event=video_description&redir_token=QUFF&q=https%3A%2F%2Fevil.example%2F", "evil.example", "YouTube redirect"},
		{"https://r.search.yahoo.com/_ylt=AwrE;_ylu=Y29s/RV=2/RE=1700000000/RO=10/RU=https%3a%2f%2fevil.example%2flogin/RK=2/RS=abc-", "evil.example", "Yahoo redirect"},
		// not wrappers
		{"https://ad.doubleclick.net/ddm/ad/N1234;sz=1x1;ord=1?", "", ""},
		{"https://www.youtube.com/redirect?q=notaurl", "", ""},
		{"https://www.google.com/search?q=https://evil.example/", "", ""},
		{"https://track.example/click?u=12345", "", ""},
		{"https://track.example/click?url=javascript:alert(1)", "", ""},
		{"https://www.google.com/url?q=notaurl", "", ""},
	}
	for _, c := range cases {
		target, w, ok := Unwrap(Parse(c.raw))
		if got := Parse(target).Host; got != c.host || ok != (c.host != "") || !strings.HasPrefix(w, c.wrapper) {
			t.Errorf("Unwrap(%q) = %q, %q, %v; want host %q via %q", c.raw, target, w, ok, c.host, c.wrapper)
		}
	}
}

// TestExtractUnwraps: a wrapped link yields the wrapper and the target, the
// target named with its wrapper; nesting is followed and bounded.
func TestExtractUnwraps(t *testing.T) {
	inner := "https://evil.example/login"
	wrapped := inner
	for i := 0; i < 10; i++ {
		wrapped = "https://www.google.com/url?q=" + escapeQuery(wrapped)
	}
	us := Extract(&message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(`<a href="` + wrapped + `">Your account</a>`)})
	if len(us) != maxUnwrap+1 {
		t.Fatalf("got %d URLs, want the wrapper and %d unwrapped: %+v", len(us), maxUnwrap, us)
	}
	for i, u := range us {
		if (u.Via == "") != (i == 0) || (u.Wraps == "") != (i == maxUnwrap) || u.Source != SourceHref || u.Text != "Your account" {
			t.Errorf("%d: %+v", i, u)
		}
	}
	one := Extract(textPart("see https://www.google.com/url?q=" + escapeQuery(inner)))
	if len(one) != 2 || one[1].Host != "evil.example" || one[1].Via != "Google redirect (www.google.com)" || one[0].Wraps != inner {
		t.Errorf("one wrapper: %+v", one)
	}
}

func escapeQuery(s string) string {
	return strings.NewReplacer("%", "%25", ":", "%3A", "/", "%2F", "?", "%3F", "&", "%26", "=", "%3D").Replace(s)
}

// TestExtractPaddedPastMaxLength: a link that hides a URL after kilobytes
// of padding (a redirect's parameter, a script's comments) still gives that
// URL, in HTML, in text, in a PDF's /URI (literal or hex) and /JS; the
// link itself is kept cut at MaxLength.
func TestExtractPaddedPastMaxLength(t *testing.T) {
	target := "https://evil.example/login"
	wrapper := "https://www.google.com/url?sa=t&pad=" + strings.Repeat("A", MaxLength+500) + "&url=" + escapeQuery(target)
	script := strings.Repeat("// padding\n", 300) + "app.launchURL('" + target + "', true);"
	for name, p := range map[string]*message.Part{
		"html":    {Path: "1", DeclaredType: "text/html", Content: []byte(`<a href="` + strings.ReplaceAll(wrapper, "&", "&amp;") + `">Open</a>`)},
		"text":    textPart("Open " + wrapper + " today"),
		"pdf uri": {Path: "2", Content: []byte("%PDF-1.4\n<< /S /URI /URI (" + wrapper + ") >>\n")},
		"pdf hex": {Path: "2", Content: []byte("%PDF-1.4\n<< /S /URI /URI <" + hex.EncodeToString([]byte(wrapper)) + "> >>\n")},
		"pdf js":  {Path: "2", Content: []byte("%PDF-1.4\n<< /S /JavaScript /JS (" + strings.NewReplacer("(", `\(`, ")", `\)`).Replace(script) + ") >>\n")},
	} {
		found := false
		for _, u := range Extract(p) {
			found = found || u.Normalized == target
			if len(u.Raw) > MaxLength {
				t.Errorf("%s: a URL of %d bytes kept", name, len(u.Raw))
			}
		}
		if !found {
			t.Errorf("%s: %s not found", name, target)
		}
	}
	// Past MaxWrapper a link is not read for its target.
	far := "https://www.google.com/url?pad=" + strings.Repeat("A", MaxWrapper) + "&url=" + escapeQuery(target)
	for _, u := range Extract(textPart(far)) {
		if u.Host == "evil.example" {
			t.Errorf("a target %d bytes in read: %+v", MaxWrapper, u.Normalized)
		}
	}
}

// foldRef is containsFold as it was written first: every place tried.
func foldRef(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for j < len(w) && s[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

// TestContainsFold: containsFold finds the words the HTML checks look for
// in any case, at either end, after false starts, and not where a byte
// only folds to the word's first ("\x1cimg" is not "<img", but "\x1cIMG"
// folds to "<img" as before); every case agrees with foldRef.
func TestContainsFold(t *testing.T) {
	cases := []struct {
		s, w string
		want bool
	}{
		{"<IMG src=x>", "<img", true},
		{"a <iMg", "<img", true},
		{"<im<i<img", "<img", true},
		{"<im", "<img", false},
		{"", "", true},
		{"abc", "", true},
		{"", "a", false},
		{"\x1cIMG", "<img", true}, // 0x1c|0x20 is '<': the fold is bitwise, as before
		{"DATA:image", "data:", true},
		{"dat", "data:", false},
		{"xDaTa", "data:", false},
		{"url(", "url(", true},
		{"URL\x08", "url(", true}, // '\x08'|0x20 is '('
		{"&COLON;", "&colon", true},
		{"background=", "background=", true},
		{"backgroun", "background=", false},
		{"Bb", "b", true},
		{"@", "`", true},
		{"`", "@", false}, // no byte folds to a byte without 0x20
	}
	for _, c := range cases {
		if got := containsFold(c.s, c.w); got != c.want || got != foldRef(c.s, c.w) {
			t.Errorf("containsFold(%q, %q) = %v, want %v (foldRef %v)", c.s, c.w, got, c.want, foldRef(c.s, c.w))
		}
	}
}

// FuzzContainsFold holds containsFold to foldRef.
func FuzzContainsFold(f *testing.F) {
	f.Add("<p>Hello <IMG SRC=\"data:image/png\">", "<img")
	f.Add("<im<i<img", "<img")
	f.Add("\x1c\x1cimg", "<img")
	f.Add("aAaAa", "aa")
	f.Fuzz(func(t *testing.T, s, w string) {
		if got, want := containsFold(s, w), foldRef(s, w); got != want {
			t.Fatalf("containsFold(%q, %q) = %v, foldRef %v", s, w, got, want)
		}
	})
}

// TestPrefixedSVGLinks: an SVG file is read as XML, where any prefix bound
// to SVG's namespace makes <svg:a> a link, and any prefix bound to XLink's
// makes xl:href its target (TestSVGAnimatedLinksInChromium clicks them).
func TestPrefixedSVGLinks(t *testing.T) {
	for _, c := range []struct{ svg, host string }{
		{`<svg:svg xmlns:svg="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><svg:a xlink:href="https://a.example/x"><svg:rect width="9" height="9"/></svg:a></svg:svg>`, "a.example"},
		{`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xl="http://www.w3.org/1999/xlink"><a xl:href="https://b.example/x"><rect width="9" height="9"/></a></svg>`, "b.example"},
		{`<s:svg xmlns:s="http://www.w3.org/2000/svg" xmlns:l="http://www.w3.org/1999/xlink"><s:a><s:set attributeName="l:href" to="https://c.example/"/><s:rect width="9" height="9"/></s:a></s:svg>`, "c.example"},
	} {
		var hosts []string
		for _, u := range Extract(&message.Part{Path: "2", Filename: "a.svg", DeclaredType: "image/svg+xml", Content: []byte(c.svg)}) {
			if u.Source == SourceHref {
				hosts = append(hosts, u.Host)
			}
		}
		if len(hosts) != 1 || hosts[0] != c.host {
			t.Errorf("%s: links to %v, want %s", c.svg, hosts, c.host)
		}
	}
}

// TestOutlookAndBaseLinks: a link only Outlook shows (a conditional
// comment's markup, a VML shape's href) and a relative link under <base
// href> are read where their readers find them.
func TestOutlookAndBaseLinks(t *testing.T) {
	for _, c := range []struct{ page, want string }{
		{`<!--[if mso]><a href="https://a.example/k">Keep</a><![endif]-->`, "https://a.example/k"},
		{`<!--[if gte mso 9]><v:roundrect href="https://b.example/k"><center>Keep</center></v:roundrect><![endif]-->`, "https://b.example/k"},
		{`<!--[if IE]><a href="https://c.example/k">old browsers</a><![endif]-->`, ""},
		{`<base href="https://d.example/app/"><a href="keep?id=1">Keep</a>`, "https://d.example/app/keep?id=1"},
		{`<base href="https://e.example/"><base href="https://f.example/"><a href="/k">Keep</a>`, "https://e.example/k"},
		{`<base href="https://g.example/"><a href="https://h.example/k">Keep</a>`, "https://h.example/k"},
	} {
		var got []string
		for _, u := range Extract(&message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(c.page)}) {
			if u.Source == SourceHref {
				got = append(got, u.Raw)
			}
		}
		if c.want == "" && len(got) != 0 || c.want != "" && (len(got) != 1 || got[0] != c.want) {
			t.Errorf("%s: links %q, want %q", c.page, got, c.want)
		}
	}
}
