package urls

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/kensa-milter/kensa/pdfsyntax"
)

// The fast paths must give what the plain code they replaced gives. The
// plain code stays here, as the reference.

func refSkeleton(s string) string {
	for i := 0; i < 8; i++ {
		s = skeletonStep(s)
	}
	return strings.ReplaceAll(s, "vv", "w")
}

func refLookalike(host string) (string, bool) {
	labels := strings.Split(URL{Host: host}.UnicodeHost(), ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels[:len(labels)-1] {
		sk := refSkeleton(l)
		for _, br := range brands {
			if l != br && sk == refSkeleton(br) {
				return br, true
			}
		}
	}
	return "", false
}

func refMixesScripts(word string) bool {
	var latin, other bool
	for _, r := range word {
		switch {
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r), unicode.Is(unicode.Greek, r), unicode.Is(unicode.Armenian, r):
			other = true
		}
	}
	return latin && other
}

func refMixedScript(host string) (string, bool) {
	for _, l := range strings.Split(URL{Host: host}.UnicodeHost(), ".") {
		if refMixesScripts(l) {
			return l, true
		}
	}
	return "", false
}

func refPDFName(b []byte, i int) (string, int) {
	var sb strings.Builder
	j := i + 1
	for ; j < len(b) && j-i < 128; j++ {
		ch := b[j]
		if pdfsyntax.Space(ch) || strings.IndexByte("/[]()<>{}%", ch) >= 0 {
			break
		}
		if ch == '#' && j+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[j+1:j+3]), 16, 8); err == nil {
				sb.WriteByte(byte(v))
				j += 2
				continue
			}
		}
		sb.WriteByte(ch)
	}
	return sb.String(), j
}

func refPDFNameValues(b []byte, key string, max int) []string {
	var out []string
	for i := 0; i < len(b) && len(out) < max; i++ {
		if b[i] != '/' {
			continue
		}
		name, end := refPDFName(b, i)
		i = end - 1
		if name != key {
			continue
		}
		j := end
		for j < len(b) && pdfsyntax.Space(b[j]) {
			j++
		}
		if j >= len(b) {
			break
		}
		var v string
		switch b[j] {
		case '(':
			v, end = pdfLiteral(b, j)
		case '<':
			if j+1 < len(b) && b[j+1] == '<' {
				continue // a dictionary, whose own keys follow
			}
			v, end = pdfHex(b, j)
		default:
			continue
		}
		i = end - 1
		out = append(out, v)
	}
	return out
}

func checkHostEquiv(t *testing.T, h string) {
	t.Helper()
	if got, want := Skeleton(h), refSkeleton(h); got != want {
		t.Fatalf("Skeleton(%q) = %q, want %q", h, got, want)
	}
	if got, want := unicodeHost(h), (URL{Host: h}).UnicodeHost(); got != want {
		t.Fatalf("unicodeHost(%q) = %q, want %q", h, got, want)
	}
	gb, gok := Lookalike(h)
	wb, wok := refLookalike(h)
	if gb != wb || gok != wok {
		t.Fatalf("Lookalike(%q) = %q, %v; want %q, %v", h, gb, gok, wb, wok)
	}
	gl, gok := MixedScript(h)
	wl, wok := refMixedScript(h)
	if gl != wl || gok != wok {
		t.Fatalf("MixedScript(%q) = %q, %v; want %q, %v", h, gl, gok, wl, wok)
	}
	if got, want := MixesScripts(h), refMixesScripts(h); got != want {
		t.Fatalf("MixesScripts(%q) = %v, want %v", h, got, want)
	}
}

var hostSeeds = []string{"", ".", "..", "paypal.com", "PAYPAL.com", "paypa1.com", "xn--pypal-4ve.com", "www.rnicrosoft.com",
	"RNicrosoft.com", "g00gle.com", "vvetransfer.com", "rnrn.vvv.", "mıcrosoft.example", "xn--e1afmkfd.xn--p1ai",
	"XN--pypal-4ve.com", "xn--.com", "xn--zz.com", "а.b", "Office365.com", "offıce.com", "ſ.com", "\xff.com", "apple"}

func TestHostEquivalence(t *testing.T) {
	for _, h := range hostSeeds {
		checkHostEquiv(t, h)
	}
	for _, b := range brands { // every brand, and a lookalike of each
		checkHostEquiv(t, b+".com")
		checkHostEquiv(t, strings.NewReplacer("o", "0", "l", "1", "m", "rn", "w", "vv", "a", "а").Replace(b)+".example.com")
	}
}

func FuzzHostEquivalence(f *testing.F) {
	for _, h := range hostSeeds {
		f.Add(h)
	}
	f.Fuzz(checkHostEquiv)
}

func checkTextURLs(t *testing.T, b []byte) {
	t.Helper()
	for _, n := range []int{-1, 0, 1, 3} {
		if got, want := findTextURLs(b, n), textURL.FindAll(b, n); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q, n=%d: findTextURLs %q, regexp %q", b, n, got, want)
		}
	}
}

var textSeeds = []string{"", "no links here.", "see https://example.com/x.", "xhttps://a.example", "WWW.Example.com",
	"wWw.x", "httpſ://example.com", "aſhttpſ://b", "ftp://f www.a http://b", ".www.", "ww.w.www.", "://", "http:// x",
	"https://", "_www.a", "-www.a", "é www.a", "\xffwww.a", "www.\xff\x7f", "HTTPS://A<b>c\"d'e`f{g}h|i\\j^k\x1fl",
	"www.www.www.", "wwww.a", "httphttp://a", "ftpftp://x ftp:/x", "hTtPs://x\thttps://y\x00z", "http://a:// www.b",
	"1234567890https://late.example.org/path?q=1", "x://y", "ſhttp://a", "http://www.a.b/www.c"}

func TestTextURLsEquivalence(t *testing.T) {
	for _, s := range textSeeds {
		checkTextURLs(t, []byte(s))
	}
	checkTextURLs(t, benchText())
	checkTextURLs(t, benchHTML())
}

func FuzzTextURLs(f *testing.F) {
	for _, s := range textSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkTextURLs)
}

func checkRelTargets(t *testing.T, b []byte) {
	t.Helper()
	if got, want := containsAt(b, "instrText", len("instr")), bytes.Contains(b, []byte("instrText")); got != want {
		t.Fatalf("containsAt(%q, instrText) = %v", b, got)
	}
	for _, n := range []int{-1, 0, 1, 3} {
		if got, want := findRelTargets(b, n), relTarget.FindAllSubmatch(b, n); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q, n=%d: findRelTargets %q, regexp %q", b, n, got, want)
		}
	}
}

var relTargetSeeds = []string{"", `Target="x"`, `target = "https://a"`, `TARGET=` + "\t\n\r\f" + `"a"`, `xTarget="a"`, `_target="a"`,
	`-Target="a"`, `Target="a" Target="b"`, `Target="a"Target="b"`, `Target=a Target="b"`, `Target="unclosed`, `Target="`,
	`Target = `, `Targe="a"`, `tArGeT="\xff\x00"`, `é Target="a"`, "\xffTarget=\"a\"", `Target=""`, `TargetTarget="a"`,
	`Target="a` + "\n" + `b"`, `Target=="a"`, `Target ="a" target=  "b" TargetMode="External"`, `Target="Target="x"`,
	`gGgTarget="a"`, `tarGet="a"g`, `TarG`, `gg`, `Target="g"Target="G"`, `targetG="a"`, `Target="a"tarGET="b"`}

func TestRelTargetsEquivalence(t *testing.T) {
	for _, s := range relTargetSeeds {
		checkRelTargets(t, []byte(s))
	}
	checkRelTargets(t, benchHTML())
}

func TestContainsAt(t *testing.T) {
	for _, s := range append(relTargetSeeds, "instrText", "xinstrTextx", "instrTex", "nstrText", "TTTinstrTexTinstrText", "T", "") {
		for a := range len("instrText") {
			if got, want := containsAt([]byte(s), "instrText", a), strings.Contains(s, "instrText"); got != want {
				t.Fatalf("containsAt(%q, instrText, %d) = %v", s, a, got)
			}
		}
	}
}

func FuzzRelTargets(f *testing.F) {
	for _, s := range relTargetSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkRelTargets)
}

func checkPDFNames(t *testing.T, b []byte) {
	t.Helper()
	var scratch [8]byte // small, so that escaped names outgrow it
	for i := 0; i < len(b); i++ {
		if b[i] != '/' {
			continue
		}
		gn, ge := PDFName(b, i)
		wn, we := refPDFName(b, i)
		if gn != wn || ge != we {
			t.Fatalf("PDFName(%q, %d) = %q, %d; want %q, %d", b, i, gn, ge, wn, we)
		}
		bn, be := PDFNameBytes(b, i, scratch[:0])
		if string(bn) != wn || be != we {
			t.Fatalf("PDFNameBytes(%q, %d) = %q, %d; want %q, %d", b, i, bn, be, wn, we)
		}
	}
	for _, key := range []string{"URI", "JS", ""} {
		for _, max := range []int{0, 1, MaxPerPart} {
			if got, want := PDFNameValues(b, key, max), refPDFNameValues(b, key, max); !reflect.DeepEqual(got, want) {
				t.Fatalf("PDFNameValues(%q, %q, %d) = %q, want %q", b, key, max, got, want)
			}
		}
	}
	for i, c := range b {
		if c != '(' {
			continue
		}
		for _, max := range []int{0, 1, 2, 5, MaxLength} {
			gs, ge := pdfLiteralMax(b, i, max)
			ws, we := refPDFLiteralMax(b, i, max)
			if gs != ws || ge != we {
				t.Fatalf("pdfLiteralMax(%q, %d, %d) = %q, %d; want %q, %d", b, i, max, gs, ge, ws, we)
			}
		}
	}
}

// refPDFLiteralMax is pdfLiteralMax a byte at a time.
func refPDFLiteralMax(b []byte, i, max int) (string, int) {
	var sb strings.Builder
	depth := 0
	j := i
	for ; j < len(b) && sb.Len() < max; j++ {
		ch := b[j]
		switch {
		case ch == '\\' && j+1 < len(b):
			j++
			switch e := b[j]; e {
			case 'n':
				sb.WriteByte('\n')
			case 'r', 't', 'b', 'f':
			case '\r', '\n':
			default:
				if e >= '0' && e <= '7' {
					k := j
					for k < len(b) && k < j+3 && b[k] >= '0' && b[k] <= '7' {
						k++
					}
					v, _ := strconv.ParseUint(string(b[j:k]), 8, 16)
					sb.WriteByte(byte(v))
					j = k - 1
				} else {
					sb.WriteByte(e)
				}
			}
		case ch == '(':
			if depth > 0 {
				sb.WriteByte(ch)
			}
			depth++
		case ch == ')':
			depth--
			if depth == 0 {
				return sb.String(), j + 1
			}
			sb.WriteByte(ch)
		default:
			sb.WriteByte(ch)
		}
	}
	return sb.String(), j
}

var pdfSeeds = []string{"", "/", "//", "/<<", "/URI <</S/URI>> (x)", "/URI (http://x.example/\\051) /U#52I <6874>", "/U#52#49(a)", "/#", "/#4", "/#4g",
	"/#41#", "/a#41b/c d", "/URI\n\r (x)/URI<41 42 4>/URI /URI", "/JavaScript/JS/J#53", "/URI(a(b)c\\)d)",
	"/" + strings.Repeat("A", 130) + "/URI(x)", "/" + strings.Repeat("#41", 50) + "/URI(y)", "/" + strings.Repeat("a", 125) + "#41#42",
	"(abcdef(gh\\)ij)kl) (a\\", "(ab\\101cd\\nef\\\nx)", "((((x))", "(" + strings.Repeat("xy", 1100) + ")"}

func TestPDFNamesEquivalence(t *testing.T) {
	for _, s := range pdfSeeds {
		checkPDFNames(t, []byte(s))
	}
	pdf := benchPDF()
	checkPDFNames(t, pdf)
	if !bytes.Contains(pdf, []byte("/URI")) {
		t.Fatal("bench PDF has no /URI")
	}
}

func FuzzPDFNames(f *testing.F) {
	for _, s := range pdfSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkPDFNames)
}

func checkLowerPrefix(t *testing.T, b []byte) {
	t.Helper()
	ref := bytes.ToLower(b)
	for _, pre := range append(append([]string{}, htmlStarts...), "i", "k", "ki", "<kbd") {
		if got, want := HasLowerPrefix(b, pre), bytes.HasPrefix(ref, []byte(pre)); got != want {
			t.Fatalf("HasLowerPrefix(%q, %q) = %v, bytes.ToLower says %v", b, pre, got, want)
		}
	}
}

var prefixSeeds = []string{"", "<HTML>", "<!DOCTYPE HTML>", "<ScR\u0130pt>", "<A href", "<a\thref", "\u212a", "\u212aİ",
	"<\xc4\xb0", "<SVG", "<svG", "<bodY", "\xff<html", "<scrıpt", "<kBD", "<\u212aBD"}

func TestLowerPrefix(t *testing.T) {
	for _, s := range prefixSeeds {
		checkLowerPrefix(t, []byte(s))
	}
}

func FuzzLowerPrefix(f *testing.F) {
	for _, s := range prefixSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkLowerPrefix)
}

func checkCollapseSpace(t *testing.T, s string) {
	t.Helper()
	if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
		t.Fatalf("collapseSpace(%q) = %q, want %q", s, got, want)
	}
}

var spaceSeeds = []string{"", " ", "  ", "a", " a ", "a  b", "project 12 ", " Read more", "a\tb", "a\u00a0b", "a\u0085 b",
	"a\vb ", "é ", "a \x00 b", "x\u3000y"}

func TestCollapseSpace(t *testing.T) {
	for _, s := range spaceSeeds {
		checkCollapseSpace(t, s)
	}
}

func FuzzCollapseSpace(f *testing.F) {
	for _, s := range spaceSeeds {
		f.Add(s)
	}
	f.Fuzz(checkCollapseSpace)
}

// checkParse parses each line of s alone and with one memo of hosts for
// all: the memo must not change a result. (What the results should be is
// TestWHATWGHosts's job.)
func checkParse(t *testing.T, s string) {
	t.Helper()
	hosts := map[string]string{}
	for _, raw := range strings.Split(s, "\x00") {
		want := Parse(raw)
		if got := parse(raw, hosts); got != want {
			t.Fatalf("parse(%q, memo) = %+v, want %+v", raw, got, want)
		}
	}
}

var parseSeeds = []string{"https://Example.COM:443/a", "WWW.example.com/x", "www\u212a.x", "java\nscript:alert(1)",
	"http://\xc0#0\xcb", "http://xn--pypal-4ve.com/", "http://pаypal.com/\x00http://PAYPAL.com\x00http://pаypal.com/x",
	"https://[2001:DB8::1]:443/", "http:\\\\evil.example\\x", "mailto:A@B", "https://bank.example@198.51.100.7/",
	"HTTP://EXAMPLE.com.:80", "http://a_b.example/", "http://-a.example/", "http://xn--zz.example/", "ſtp://x"}

func TestParseEquivalence(t *testing.T) {
	for _, s := range parseSeeds {
		checkParse(t, s)
	}
}

func FuzzParseEquivalence(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(checkParse)
}

// checkPlainRest: where plainRest lets parseSpecial skip net/url, net/url
// would have given the same text back.
func checkPlainRest(t *testing.T, raw string) {
	t.Helper()
	u := Parse(raw)
	if u.Normalized == "" || !strings.Contains(u.Normalized, "://") {
		return
	}
	hp := u.Normalized[strings.Index(u.Normalized, "://")+3:]
	if i := strings.IndexAny(hp, "/?#"); i >= 0 {
		hp = hp[:i]
	}
	if at := strings.LastIndexByte(hp, '@'); at >= 0 {
		hp = hp[at+1:]
	}
	if got := netURLForm(u.Normalized, hp); got != u.Normalized {
		t.Fatalf("Parse(%q).Normalized = %q, net/url writes %q", raw, u.Normalized, got)
	}
}

var restSeeds = []string{"https://a.example/x/y?z=1&w=2", "https://a.example", "https://a.example/?", "https://a.example/a?b?c/d",
	"http://a.example/..//./x", "https://a.example/~u/.x", "http://x.example?/a", "https://u@a.example/", "https://a.example/A-Z_0.9~"}

func TestPlainRest(t *testing.T) {
	for _, s := range restSeeds {
		checkPlainRest(t, s)
	}
}

func FuzzPlainRest(f *testing.F) {
	for _, s := range restSeeds {
		f.Add(s)
	}
	f.Fuzz(checkPlainRest)
}
