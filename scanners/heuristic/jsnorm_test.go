package heuristic

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

func TestNormalizeJS(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"joined literals", `var f = window['at'+"ob"];`, `window.atob`},
		{"escapes in literals", `x = "\x42l" + 'o\u0062';`, `"Blob"`},
		{"fromCharCode", `var n = String.fromCharCode(66,108,0x6f,98);`, `"Blob"`},
		{"array join", `var d = ['QUJD','REVG', "R0hJ"].join('');`, `"QUJDREVGR0hJ"`},
		{"literal variables", "var a = 'QUJD';\nvar b = 'REVG';\nvar c = atob(a + b);", `atob("QUJDREVG")`},
		{"global alias", "var B = window.Blob;\nvar x = new B([d]);", `new Blob([d])`},
		{"bracket alias then new", "var k = 'Bl' + 'ob';\nvar o = new window[k]([u]);", `new window.Blob([u])`},
		// constant folding: pieces of an address put together
		{"join with a separator", `location.href = ["https:", "", "evil.example", "p.php"].join("/");`, `"https://evil.example/p.php"`},
		{"join without an argument", `x = ['a', "b"].join();`, `"a,b"`},
		{"concat", `u = "https://".concat('evil', ".example", "/p");`, `"https://evil.example/p"`},
		{"template without substitutions", "u = `https://evil.example/p`;", `"https://evil.example/p"`},
		{"template of a literal variable", "var h = 'evil.example';\nlocation = `https://${h}/p`;", `location = "https://evil.example/p"`},
		{"template with code stays", "u = `https://${f(x)}/p`;", "`https://${f(x)}/p`"},
		{"backquote inside a literal", "a = \"`\"; b = 'x' + 'y';", `"xy"`},
		{"reversed", `u = "php.p/elpmaxe.live//:sptth".split("").reverse().join("");`, `"https://evil.example/p.php"`},
		{"parenthesised pieces", `location.replace(('https://' + 'evil') + '.example/p');`, `location.replace("https://evil.example/p")`},
		{"declaration list", "var a = 'https://', b = 'evil.example';\nfetch(a + b);", `fetch("https://evil.example")`},
		{"empty initialiser", "var u = '';\nu = 'https://evil.example/p';\nlocation.href = u;", `location.href = 'https://evil.example/p'`},
		{"appends", "var u = 'https://';\nu += 'evil.example';\nu += '/p';\nfetch(u, {});", `fetch("https://evil.example/p", {})`},
		{"name = name + literal", "var u = 'https://';\nu = u + 'evil.example';\nu = u + '/p';\nlocation.href = u;", `location.href = "https://evil.example/p"`},
		{"array held in a variable", "var parts = ['https:', '', 'evil.example', 'p'];\nlocation.href = parts.join('/');", `location.href = "https://evil.example/p"`},
		{"escaped line break kept", "x = `a\nb` + 'c';", `"a\nbc"`},
	}
	for _, c := range cases {
		if got := NormalizeJS(c.in); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q lacks %q", c.name, got, c.want)
		}
	}
	// The words of a literal are text, not the variables they spell.
	if got := NormalizeJS("var a = 'x';\ndocument.write('<p>a</p>');"); !strings.Contains(got, `'<p>a</p>'`) {
		t.Errorf("a literal's word replaced: %q", got)
	}
	// A variable also given a value that is not a literal holds none.
	if got := NormalizeJS("var u = 'https://a.example';\nu = pick(x);\nlocation.href = u;"); strings.Contains(got, `location.href = 'https`) {
		t.Errorf("variable with a computed value resolved: %q", got)
	}
	// A variable assigned twice is not a constant.
	if got := NormalizeJS("var a = 'x';\na = 'y';\nf(a);"); strings.Contains(got, `f("x")`) || strings.Contains(got, `f('x')`) {
		t.Errorf("reassigned variable resolved: %q", got)
	}
}

func TestDecodeRefs(t *testing.T) {
	for in, want := range map[string]string{
		`search&#45;ms:`:        "search-ms:",
		`search&#x2d;ms&colon;`: "search-ms:",
		`ms\2d msdt:`:           "ms-msdt:",
		`ms\00002dmsdt:`:        "ms-msdt:",
		`ms\x2dmsdt\u003a`:      "ms-msdt:",
		`plain \ text`:          `plain \ text`,
		`C:\Users\x`:            `C:\Users\x`,
	} {
		if got := decodeRefs(in); !strings.Contains(got, want) {
			t.Errorf("decodeRefs(%q) = %q, want %q", in, got, want)
		}
	}
}

func smugglingCases() []sample {
	payload := strings.Repeat("UEsDBBQAAAAIAA", 400)
	var parts []string
	var decls string
	for i := 0; i < 8; i++ {
		n := "p" + itoa(i)
		decls += "var " + n + " = '" + payload[i*len(payload)/8:(i+1)*len(payload)/8] + "';\n"
		parts = append(parts, n)
	}
	obf := "<html><script>\n" + decls + "var k = 'at' + 'ob';\nvar d = window[k](" + strings.Join(parts, " + ") + ");\n" +
		"var u = new Uint8Array(d.length);\nvar b = new window['Bl'+'ob']([u], {type: 'application/zip'});\n</script></html>"
	return []sample{
		{"blob with payload", attach(htmlPart("2", `<html><script>var d=atob("`+strings.Repeat("QUFB", 2000)+`");var b=new Blob([d]);var u=URL.createObjectURL(b);</script></html>`, named("doc.html"))), "2"},
		{"download data link", attach(htmlPart("2", `<a download="invoice.zip" href="data:application/zip;base64,UEsDBA==">get</a>`, named("doc.html"))), "2"},
		{"obfuscated pieces and aliases", attach(htmlPart("2", obf, named("doc.html"))), "2"},
		{"data iframe", attach(htmlPart("2", `<iframe src="data:text/html;base64,PGgxPng8L2gxPg=="></iframe>`, named("doc.html"))), "2"},
		{"inline image, no blob", body(`<p>hi</p><img src="data:image/png;base64,` + strings.Repeat("QUFB", 3000) + `">`), ""},
		{"small blob", body(`<script>var b = new Blob(["hi"]);</script>`), ""},
		{"script without blob", body(`<script>var a = 'x' + 'y'; document.title = a;</script>` + strings.Repeat("QUFB", 2000)), ""},
	}
}

func TestEscapedHandlersAndPrefixedSVG(t *testing.T) {
	cases := []struct {
		id, name string
		m        *message.Message
		want     bool
	}{
		{"ms-protocol-handler", "entity-encoded search-ms", attach(htmlPart("2", `<a href="search&#45;ms:query=invoice&amp;crumb=location:\\203.0.113.9\s">x</a>`, named("a.html"))), true},
		{"ms-protocol-handler", "CSS-escaped in style", attach(htmlPart("2", `<div style="background:url('ms\2d msdt:/id PCWDiagnostic')"></div>`, named("a.html"))), true},
		{"ms-protocol-handler", "script escapes", attach(htmlPart("2", `<script>location.href="ms\x2doffice\x63md:x"</script>`, named("a.html"))), true},
		{"ms-protocol-handler", "script escapes search-ms", attach(htmlPart("2", `<script>location.href="search\u002dms:query=a"</script>`, named("a.html"))), true},
		{"ms-protocol-handler", "plain escaped text", attach(htmlPart("2", `<p>C:\Users\me &amp; you</p>`, named("a.html"))), false},
		{"svg-script", "prefixed script", attach(text("2", `<x:svg xmlns:x="http://www.w3.org/2000/svg"><x:script>location='https://collect.example.net/'</x:script></x:svg>`, named("a.svg"))), true},
		{"svg-script", "prefixed foreignObject", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><s:foreignObject xmlns:s="http://www.w3.org/2000/svg"><iframe/></s:foreignObject></svg>`, named("a.svg"))), true},
		{"svg-script", "entity-encoded javascript link", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript&#58;alert(1)"><rect/></a></svg>`, named("a.svg"))), true},
		{"svg-script", "any handler", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><rect onanimationstart="x()"/></svg>`, named("a.svg"))), true},
		{"svg-script", "plain chart", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/><text>Sales &amp; costs</text></svg>`, named("a.svg"))), false},
	}
	s := newScanner(t)
	for _, c := range cases {
		if got := find(scan(t, s, c.m), c.id) != nil; got != c.want {
			t.Errorf("%s / %s: finding %v, want %v", c.id, c.name, got, c.want)
		}
	}
}

func FuzzNormalizeJS(f *testing.F) {
	f.Add("var a = 'at' + \"ob\"; window[a](String.fromCharCode(65,66)); ['a','b'].join('');")
	f.Add(`x = "\x4" + '\u12'; var B = window.Blob; new B`)
	f.Fuzz(func(t *testing.T, s string) {
		out := NormalizeJS(s)
		if len(out) > 64*(len(s)+16) {
			t.Fatalf("%d bytes from %d", len(out), len(s))
		}
		decodeRefs(s)
	})
}

// quoteAround gates two expressions of NormalizeJS: wherever one matches,
// the gate must be open, or the normaliser would skip work it needs.
func FuzzQuoteAroundGates(f *testing.F) {
	f.Add(`var a = 'x' + "y";`)
	f.Add("x\n=\t'a'\n")
	f.Add(`"a"+` + "\v" + `'b'`)
	f.Add(`a == "b" + c`)
	f.Fuzz(func(t *testing.T, s string) {
		if jsLitConcat.MatchString(s) && !quoteAround(s, '+', true) {
			t.Errorf("jsLitConcat matches %q, gate closed", s)
		}
		if jsAssign.MatchString(s) && !quoteAround(s, '=', false) {
			t.Errorf("jsAssign matches %q, gate closed", s)
		}
	})
}
