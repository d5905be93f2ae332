package showntext

import (
	"strings"
	"testing"
)

func TestParseColor(t *testing.T) {
	cases := []struct {
		in   string
		want rgba
	}{
		{"#fff", rgba{255, 255, 255, 1}},
		{"#FFFFFF80", rgba{255, 255, 255, 128.0 / 255}},
		{"#0b3d91", rgba{11, 61, 145, 1}},
		{"white", rgba{255, 255, 255, 1}},
		{"rgb(240, 244, 248)", rgba{240, 244, 248, 1}},
		{"rgb(240 244 248 / 50%)", rgba{240, 244, 248, 0.5}},
		{"rgba(100%, 0%, 0%, .25)", rgba{255, 0, 0, 0.25}},
		{"hsl(0, 100%, 50%)", rgba{255, 0, 0, 1}},
		{"hsl(120deg 100% 25%)", rgba{0, 128, 0, 1}},
		{"hwb(0 0% 100%)", rgba{0, 0, 0, 1}},
		{"transparent", rgba{}},
		{"hsl(0.5turn 100% 50%)", rgba{0, 255, 255, 1}},
		{"oklab(1 0 0)", rgba{255, 255, 255, 1}},
		{"oklch(100% 0 0 / 50%)", rgba{255, 255, 255, 0.5}},
		{"lab(100 0 0)", rgba{255, 255, 255, 1}},
		{"lch(0% 0 none)", rgba{0, 0, 0, 1}},
		{"oklch(62.8% 0.2577 29.23)", rgba{255, 0, 0, 1}},   // CSS Color 4's red
		{"lab(54.29 80.82 69.89)", rgba{255, 0, 0, 1}},      // red
		{"lch(46.28% 67.98 134.38deg)", rgba{0, 128, 0, 1}}, // green
	}
	for _, c := range cases {
		got, ok := parseColor(c.in, rgba{})
		if !ok || got != c.want {
			t.Errorf("parseColor(%q) = %v, %v; want %v", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"", "#ggg", "rgb(1,2)", "lab(50% 40)", "oklch(1 0 50%)", "calc(1)"} {
		if _, ok := parseColor(bad, rgba{}); ok {
			t.Errorf("parseColor(%q) read a colour", bad)
		}
	}
}

func TestLegacyColor(t *testing.T) {
	for in, want := range map[string]string{"#FFF": "#ffffff", "ffffff": "#ffffff", "fff": "#0f0f0f", "White": "#ffffff",
		"chucknorris": "#c00000", " #0b3d91 ": "#0b3d91", "#1234567890abcdef": "#1278cd", "00ff00000": "#00f000"} {
		if got, ok := legacyColor(in); !ok || got != want {
			t.Errorf("legacyColor(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, none := range []string{"", " ", "transparent"} {
		if got, ok := legacyColor(none); ok {
			t.Errorf("legacyColor(%q) = %q", none, got)
		}
	}
}

// FuzzRead: the reading is bounded (a character reference or a NUL may
// grow into a few bytes, no more), as a page and as a body, the same
// twice, and Lines is Text with line breaks where Text has spaces.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`<style>.intro{position:absolute;left:-9999px}</style><div class="intro">` + strings.Repeat("<p>Lorem ipsum</p>", 12) + `</div>`))
	f.Add([]byte(`<style>:root{--c:#fff}@media print{p{display:none}}.a:not(:focus){color:var(--c,red)}</style><p class=a style="font:0/0 a;clip:rect(1px,1px,1px,1px)">x</p>`))
	f.Add([]byte(`<div style="position:fixed;inset:0;background:hsl(0 0% 100% / 1)"></div><b>text</b>`))
	f.Add([]byte(`<table><tr><td>Password:</td><td>4471</td></tr></table>a<br>b<x-a>c</x-a>`))
	f.Add([]byte(`<style>[data-x="A" i],p:not(.a,:is(#b)):nth-last-of-type(-n+2)>b~i{display:none}.c::before{content:"\4E o" attr(data-t) / "alt"}div[hidden]{display:block}</style><div hidden><p class=c data-t=rton><b>x</b><i>y</i></p></div>`))
	f.Add([]byte(`<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN"><style>.\66 ine,#a\:b,.c:has(> .d + i, .e .f){display:none}@media not print and (400px <= width < 9e9px),(prefers-color-scheme:light){p{color:color-mix(in srgb,#fff 20%,transparent)}}@supports (display:grid) or selector(a:has(b)){i{clip-path:polygon(0 0,1% 0,0 0)}}</style><p class=Fine id=a:b>x<span class=c><i class=d></i><i>y</i></span></p><table>z</table>`))
	f.Add([]byte(`<body bgcolor=fdfdfd text="#fff"><noscript><style>p{font-size:calc(1px - 1px)}</style></noscript><font color="chucknorris">x</font><p style="color:transparent;text-shadow:0 0 0 oklch(0.3 0.1 250deg), 1px 1px;-webkit-text-stroke:thin lab(20% 10 -40);background:#000 text;background-clip:text;zoom:0;letter-spacing:-1em;translate:-9999px;scale:0 1;inset:-9999px auto;right:clamp(0px,min(1vw,2px),max(1px,2px))">y</p></body>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, text := Read(b, 1<<20)
		if bn, body := ReadBody(b, 1<<20); bn < 0 || bn > 3*len(b) || len(body) > 3*len(b)+2 {
			t.Fatalf("as a body: %d characters and %d bytes of text shown of %d bytes", bn, len(body), len(b))
		}
		if n < 0 || n > 3*len(b) || len(text) > 3*len(b)+2 {
			t.Fatalf("%d characters and %d bytes of text shown of %d bytes", n, len(text), len(b))
		}
		if again := Chars(b); again != n {
			t.Fatalf("read twice: %d, then %d", n, again)
		}
		if lines := Lines(b, 1<<20); strings.ReplaceAll(lines, "\n", " ") != text {
			t.Fatalf("Lines %q, Text %q", lines, text)
		}
	})
}

func TestParseNth(t *testing.T) {
	for in, want := range map[string][2]int{"odd": {2, 1}, "even": {2, 0}, "3": {0, 3}, "+3": {0, 3}, "n": {1, 0}, "-n+2": {-1, 2}, "2n + 1": {2, 1}, "-2n-1": {-2, -1}} {
		a, b, ok := parseNth(in)
		if !ok || a != want[0] || b != want[1] {
			t.Errorf("parseNth(%q) = %d, %d, %v; want %v", in, a, b, ok, want)
		}
	}
	for _, bad := range []string{"", "x", "2n1", "n+", "2n of .a", "99999999999"} {
		if _, _, ok := parseNth(bad); ok {
			t.Errorf("parseNth(%q) read", bad)
		}
	}
}

func TestCSSStrings(t *testing.T) {
	var got []string
	CSSStrings(`a::before{content:"\4E orton" 'it\'s' "\"q\"" "\1F600 x"}`, func(s string) bool { got = append(got, s); return true })
	want := []string{"Norton", "it's", `"q"`, "\U0001F600x"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("CSSStrings: %q, want %q", got, want)
	}
}

func TestCalcLength(t *testing.T) {
	for in, want := range map[string]float64{"calc(1px - 1px)": 0, "calc(2 * 8px)": 16, "calc(0.5em + 2px)": 10, "calc((1px + 1px) * 3)": 6,
		"min(1rem, 0.5px)": 0.5, "max(0px, 2px, 1px)": 2, "clamp(0px, 1vw, 1px)": 1, "calc(-100vw - 20px)": -1300, "calc(50% / 2)": 25,
		"CALC(10px/2)": 5, "calc(calc(1px) + 1px)": 2} {
		if got, ok := cssLength(in, 16, 100); !ok || got != want {
			t.Errorf("cssLength(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, bad := range []string{"calc(0)", "calc(1px + 1)", "calc(1px-1px)", "calc(1px * 1px)", "calc(1px / 0)", "calc(1px", "calc(1px))", "min()", "clamp(1px, 2px)", "calc(foo)", "calc(" + strings.Repeat("(", 40) + "1px" + strings.Repeat(")", 41)} {
		if got, ok := cssLength(bad, 16, 100); ok {
			t.Errorf("cssLength(%q) = %v", bad, got)
		}
	}
	if got, ok := cssNumber("calc(0.5 - 0.5)"); !ok || got != 0 {
		t.Errorf("cssNumber(calc(0.5 - 0.5)) = %v, %v", got, ok)
	}
	if _, ok := cssNumber("calc(1px)"); ok {
		t.Error("cssNumber read a length")
	}
}
