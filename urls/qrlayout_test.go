package urls

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// splitPNGs cuts a code to text, px a side, into cols×rows PNG tiles.
func splitPNGs(t testing.TB, text string, px, cols, rows int) [][]byte {
	g := formats.QRImage(text, px)
	var out [][]byte
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			var b bytes.Buffer
			if err := png.Encode(&b, g.SubImage(image.Rect(c*px/cols, r*px/rows, (c+1)*px/cols, (r+1)*px/rows))); err != nil {
				t.Fatal(err)
			}
			out = append(out, b.Bytes())
		}
	}
	return out
}

func dataURI(b []byte) string { return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b) }

// TestSplitCodeLayouts: a code cut into tiles that the HTML lays out
// touching reads as the whole code, however the markup places them; tiles
// that text or a picture of unknown size separates do not make one.
func TestSplitCodeLayouts(t *testing.T) {
	longCodeTime(t)
	const text = "https://login.example.net/split"
	lr, tb, q := splitPNGs(t, text, 200, 2, 1), splitPNGs(t, text, 200, 1, 2), splitPNGs(t, text, 200, 2, 2)
	small := splitPNGs(t, text, 100, 2, 1)
	inline := map[string][]byte{"l": lr[0], "r": lr[1], "t": tb[0], "b": tb[1], "q0": q[0], "q1": q[1], "q2": q[2], "q3": q[3], "s0": small[0], "s1": small[1]}
	for name, c := range map[string]struct {
		html string
		read bool
	}{
		"table row":        {`<table><tr><td><img src="cid:l"></td><td><img src="cid:r"></td></tr></table>`, true},
		"br":               {`<p>Scan:</p><img src="cid:t"><br><img src="cid:b">`, true},
		"rows":             {`<table><tr><td><img src="cid:t"></td></tr><tr><td><img src="cid:b"></td></tr></table>`, true},
		"quadrants":        {`<table><tr><td><img src="cid:q0"><td><img src="cid:q1"><tr><td><img src="cid:q2"><td><img src="cid:q3"></table>`, true},
		"data uris":        {`<img src="` + dataURI(lr[0]) + `"><img src="` + dataURI(lr[1]) + `">`, true},
		"scaled by attrs":  {`<p><img src="cid:s0" width="100" height="200"><img src="cid:s1" width="100" height="200"></p>`, true},
		"scaled by style":  {`<p><img src="cid:s0" style="width:100px"><img src="cid:s1" style="height:200px;width:100px"></p>`, true},
		"inline blocks":    {`<div style="display:inline-block"><img src="cid:l"></div><div style="float:left"><img src="cid:r"></div>`, true},
		"padded run":       {`<p>` + strings.Repeat(`<img src="cid:s0" width="2" height="2">`, 300) + `</p><img src="cid:l"><img src="cid:r">`, true},
		"small runs first": {strings.Repeat(`<p>x</p><img src="cid:s0" width="30" height="30"><img src="cid:s1" width="30" height="30">`, 20) + `<p>x</p><img src="cid:l"><img src="cid:r">`, true},
		"divs stacked":     {`<div><img src="cid:t"></div><div><img src="cid:b"></div>`, true},
		"references":       {`<img src="c&#105;d:l"><img src="` + strings.Replace(dataURI(lr[1]), "data:", "data&colon;", 1) + `">`, true},
		"text between":     {`<img src="cid:l"> or <img src="cid:r">`, false},
		"table between":    {`<img src="cid:l"><table><tr><td>x</td></tr></table><img src="cid:r">`, false},
		"remote between":   {`<img src="cid:l"><img src="https://x.example/a.png"><img src="cid:r">`, false},
		"one image":        {`<img src="cid:l">`, false},
		"hidden half":      {`<img src="cid:l"><img src="cid:r" style="display:none">`, false},
		// CSS backgrounds of sized cells and blocks.
		"cell backgrounds":   {`<table><tr><td background="cid:l" width="100" height="200"></td><td background="cid:r" width="100" height="200"></td></tr></table>`, true},
		"cell styles":        {`<table><tr><td style="background-image:url(cid:l);width:100px;height:200px"></td><td style='background: #fff url("cid:r") no-repeat; width:100px; height:200px'></td></tr></table>`, true},
		"div backgrounds":    {`<div style="width:200px;height:100px;background-image:url('cid:t')"></div><div style="width:200px;height:100px;background-image:url('cid:b')"></div>`, true},
		"stretched data":     {`<div style="display:inline-block;width:100px;height:200px;background:url(` + dataURI(small[0]) + `) no-repeat;background-size:100% 100%"></div><div style="display:inline-block;width:100px;height:200px;background:url(` + dataURI(small[1]) + `) 0 0 / 100px 200px no-repeat"></div>`, true},
		"background and img": {`<table><tr><td background="cid:l" width="100" height="200"></td><td><img src="cid:r"></td></tr></table>`, true},
		"own size, once":     {`<table><tr><td background="cid:s0" width="100" height="200" style="background-repeat:no-repeat"></td><td background="cid:s1" width="100" height="200" style="background-repeat:no-repeat"></td></tr></table>`, false},
		"unsized cells":      {`<table><tr><td background="cid:l"></td><td background="cid:r"></td></tr></table>`, false},
		"text over cell":     {`<table><tr><td background="cid:l" width="100" height="200">Hello</td><td background="cid:r" width="100" height="200"></td></tr></table>`, false},
		"hidden background":  {`<table><tr><td background="cid:l" width="100" height="200"></td><td background="cid:r" width="100" height="200" style="display:none"></td></tr></table>`, false},
	} {
		b := NewCodeBudget()
		b.inline = inline
		got := CodeURLs(&message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(c.html)}, b)
		if read := len(got.Texts) == 1 && got.Texts[0] == text; read != c.read || (!c.read && len(got.Texts) > 0) {
			t.Errorf("%s: read %q, want the code: %v", name, got.Texts, c.read)
		}
	}
}

// TestImageLayoutsBounded: hundreds of images (and backgrounds) give at most
// maxLayoutsPerPart layouts of at most maxLayoutImgs tiles, and a message
// searches at most maxCodeLayouts, whatever its parts.
func TestImageLayoutsBounded(t *testing.T) {
	dot := dataURI(splitPNGs(t, "x", 64, 2, 2)[0])
	var h strings.Builder
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&h, `<p>%d</p><img src="%s"><img src="%s">`, i, dot, dot)
	}
	h.WriteString("<p>")
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&h, `<img src="%s" width="3" height="3">`, dot)
	}
	h.WriteString("<table><tr>")
	for i := 0; i < 500; i++ { // backgrounds count as images
		fmt.Fprintf(&h, `<td background="%s" width="9" height="9000"></td>`, dot)
	}
	ls := imageLayouts([]byte(h.String()), nil)
	if len(ls) > maxLayoutsPerPart {
		t.Fatalf("%d layouts", len(ls))
	}
	for _, l := range ls {
		n := 0
		for _, line := range l {
			n += len(line)
		}
		if n > maxLayoutImgs {
			t.Fatalf("a layout of %d tiles", n)
		}
	}
	b := NewCodeBudget()
	for i := 0; i < 5; i++ {
		p := &message.Part{Path: fmt.Sprint(i), DeclaredType: "text/html", Content: []byte(fmt.Sprintf("<!-- %d -->%s", i, h.String()))}
		CodeURLs(p, b)
	}
	if b.layouts != 0 {
		t.Errorf("%d of the message's layouts left, want all %d spent and no more", b.layouts, maxCodeLayouts)
	}
}

// TestCSSBackgroundURL: the picture of a style's background, in its
// case, semicolons and all, and the style without it.
func TestCSSBackgroundURL(t *testing.T) {
	for _, c := range []struct{ style, url, rest string }{
		{"background-image:url(cid:Ab@C);width:9px", "cid:Ab@C", "background-image:;width:9px"},
		{`background: #fff URL("data:image/png;base64,QQ==") no-repeat;height:2px`, "data:image/png;base64,QQ==", "background: #fff  no-repeat;height:2px"},
		{"list-style-image:url(cid:x);color:red", "", "list-style-image:;color:red"},
		{"background-image:url(cid:a);background-image:url( 'cid:b' )", "cid:b", "background-image:;background-image:"},
		{"background:url(cid:a", "", "background:url(cid:a"},
		{"width:1px", "", "width:1px"},
	} {
		if url, rest := cssBackgroundURL(c.style); url != c.url || rest != c.rest {
			t.Errorf("%q: got %q, %q; want %q, %q", c.style, url, rest, c.url, c.rest)
		}
	}
}

func TestBlank(t *testing.T) {
	for s, want := range map[string]bool{"": true, " \t\r\n\u00a0 ": true, "\u00a0x": false, "é": false, "\xc2": false} {
		if blank([]byte(s)) != want {
			t.Errorf("blank(%q) = %v", s, !want)
		}
	}
}
