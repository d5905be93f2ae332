package urls

import (
	"image"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"

	"github.com/kensa-milter/kensa/message"
)

// FuzzParseHost: never panics; a host it accepts is ASCII, lower-case,
// without the bytes no host may hold, and reads back as itself.
func FuzzParseHost(f *testing.F) {
	for _, s := range []string{"example.com", "%31%39%38.%35%31.%31%30%30.%37", "0x7f.1", "[::1]", "bücher.example", "a..b", "xn--zz", "1.2.3.4.5", "EXAMPLE.com.", "%zz", "ｅｘａｍｐｌｅ．ｃｏｍ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, ok := ParseHost(s)
		if !ok {
			return
		}
		for i := 0; i < len(h); i++ {
			if h[i] >= 0x80 || ('A' <= h[i] && h[i] <= 'Z') || (forbiddenDomain[h[i]] && h[i] != ':') {
				t.Fatalf("ParseHost(%q) = %q", s, h)
			}
		}
		if strings.HasSuffix(h, ".") { // "a.." keeps one dot, and reads back as another host: no site has such a name
			return
		}
		if strings.Contains(h, ":") {
			h = "[" + h + "]"
		}
		if again, ok := ParseHost(h); !ok || (again != strings.Trim(h, "[]")) {
			t.Fatalf("ParseHost(%q) = %q, which reads back as %q, %v", s, h, again, ok)
		}
	})
}

// FuzzUnwrap: never panics, and a target always has a host.
func FuzzUnwrap(f *testing.F) {
	for _, s := range []string{"https://www.google.com/url?q=https%3A%2F%2Fevil.example%2F", "https://www.bing.com/ck/a?u=a1aHR0cHM6Ly9ldmlsLmV4YW1wbGUv",
		"https://urldefense.com/v3/__https://evil.example/a*b**Ac__;Pw!!x", "https://urldefense.proofpoint.com/v2/url?u=https-3A__evil.example", "https://x.example/?dest=http://y.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if target, _, ok := Unwrap(Parse(s)); ok && Parse(target).Host == "" {
			t.Fatalf("Unwrap(%q) = %q without a host", s, target)
		}
	})
}

// FuzzCodeSources: the PDF image reader and the HTML table reader never
// panic and keep to their bounds.
func FuzzCodeSources(f *testing.F) {
	f.Add([]byte(pdfImageDoc("/Type /XObject /Subtype /Image /Width 30 /Height 30 /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode /DecodeParms << /Predictor 12 >>", formats.ZlibDeflated(make([]byte, 200)), "")))
	f.Add([]byte("%PDF-1.4\n4 0 obj << /Subtype /Image /Width 100 /Height 100 /SMask 4 0 R /BitsPerComponent 8 >> stream\nxx\nendstream endobj"))
	f.Add([]byte(`<style>.k{background:#000}</style><table>` + strings.Repeat("<tr>"+strings.Repeat(`<td class="k"></td><td bgcolor=white colspan=2></td>`, 12)+"</tr>", 25) + "</table>"))
	half := dataURI(splitPNGs(f, "https://a.example/x", 80, 2, 1)[0])
	f.Add([]byte(`<table><tr><td><img src="` + half + `" width=40><td><img src="` + half + `" style="width:1e3px;height:-2px"></tr><tr><td><img src="data:image/png;base64,!!" width=30 height=30><br><img src="cid:x" width=9 height="50%"></table>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ls := imageLayouts(b, nil)
		if len(ls) > maxLayoutsPerPart {
			t.Fatalf("%d layouts", len(ls))
		}
		for _, l := range ls {
			if g := drawLayout(l, map[string]*image.Gray{}); g != nil && g.Rect.Dx()*g.Rect.Dy() > maxDrawnPixels {
				t.Fatalf("layout drawn on %v", g.Rect)
			}
		}
		for _, im := range pdfImages(pdfObjectsByNum(b, ""), NewCodeBudget()) {
			if im.img != nil && im.img.Rect.Dx()*im.img.Rect.Dy() > MaxCodePixels {
				t.Fatalf("image of %v drawn", im.img.Rect)
			}
		}
		if len(pdfImages(pdfObjectsByNum(b, ""), NewCodeBudget())) > maxPDFImages {
			t.Fatal("too many images")
		}
		gs := htmlTableCodes(b)
		if len(gs) > maxCodeTables {
			t.Fatal("too many tables")
		}
		CodeURLs(&message.Part{Path: "1", DeclaredType: "text/html", Content: b}, NewCodeBudget())
	})
}
