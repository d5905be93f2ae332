package urls

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// TestCodeURLsBlockText: QR codes drawn with Unicode block characters in
// plain text and HTML bodies, in the forms phishing mail uses, are read as
// codes; ordinary text drawn with the same characters is not.
func TestCodeURLsBlockText(t *testing.T) {
	longCodeTime(t)
	forms := map[string]formats.BlockStyle{
		"half":                 {Form: formats.HalfBlocks, Border: 2},
		"half inverted":        {Form: formats.HalfBlocks, Invert: true, Border: 2},
		"half nbsp":            {Form: formats.HalfBlocks, Blank: "\u00a0", Border: 1},
		"full":                 {Form: formats.FullBlocks, Border: 2},
		"double":               {Form: formats.DoubleBlocks, Border: 2},
		"double inverted":      {Form: formats.DoubleBlocks, Invert: true, Border: 4},
		"quadrant":             {Form: formats.QuadrantBlocks, Border: 2},
		"emoji squares":        {Form: formats.DoubleBlocks, Blank: "⬜", Dark: "⬛", Border: 2},
		"half no quiet zone":   {Form: formats.HalfBlocks},
		"double black squares": {Form: formats.DoubleBlocks, Dark: "■", Border: 2},
	}
	for name, st := range forms {
		lines := formats.QRBlocks(qrLure, st)
		t.Run(name+"/text", func(t *testing.T) {
			body := "Dear user,\r\n\r\nscan the code below to keep your mailbox:\r\n\r\n    " + strings.Join(lines, "\r\n    ") + "\r\n\r\nIT Service Desk\r\n"
			checkQRHosts(t, &message.Part{Path: "1", DeclaredType: "text/plain", Content: []byte(body)})
		})
		t.Run(name+"/html pre", func(t *testing.T) {
			body := `<html><body><p>Scan to keep your mailbox:</p><pre style="font-family:monospace;line-height:1">` + strings.Join(lines, "\n") + `</pre><p>IT</p></body></html>`
			checkQRHosts(t, &message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(body)})
		})
	}
	// HTML tricks: lines split by <br> with entities for blanks and
	// blocks, each character in its own span, hidden characters between
	// them, light modules as white blocks on a page, dark ones as spaces
	// on black, a table cell holding the code beside a label.
	tricks := map[string]string{
		"br and entities": `<div style="font-family:Courier New">` + strings.Join(formats.QRBlocks(qrLure, formats.BlockStyle{Form: formats.DoubleBlocks, Blank: "&nbsp;", Dark: "&#9608;", Border: 2}), "<br>\r\n") + `</div>`,
		"spans": `<p style="font-family:monospace">` + strings.Join(mapLines(formats.QRBlocks(qrLure, formats.BlockStyle{Form: formats.HalfBlocks, Blank: "\u00a0", Border: 2}), func(c string) string {
			return `<span>` + c + `</span><span style="display:none">x</span>`
		}), "<br>") + `</p>`,
		"coloured blocks": `<style>.w{color:#fff}.k{color:black}</style><div style="font-family:monospace;white-space:pre">` + strings.Join(mapLines(formats.QRBlocks(qrLure, formats.BlockStyle{Form: formats.DoubleBlocks, Border: 2}), func(c string) string {
			if c == " " {
				return `<span class="w">█</span>`
			}
			return `<span class="k">█</span>`
		}), "\n") + `</div>`,
		"spaces on black": `<pre>` + strings.Join(mapLines(formats.QRBlocks(qrLure, formats.BlockStyle{Form: formats.DoubleBlocks, Border: 2}), func(c string) string {
			if c == " " {
				return " "
			}
			return `<span style="background-color:#000">` + "\u2588" + `</span>`
		}), "\n") + `</pre>`,
		"table cell": `<table><tr><td>Scan:</td><td style="font-family:monospace">` + strings.Join(formats.QRBlocks(qrLure, formats.BlockStyle{Form: formats.HalfBlocks, Blank: "&nbsp;", Border: 2}), "<br>") + `</td></tr></table>`,
	}
	for name, body := range tricks {
		t.Run(name, func(t *testing.T) {
			checkQRHosts(t, &message.Part{Path: "1", DeclaredType: "text/html", Content: []byte("<html><body>" + body + "</body></html>")})
		})
	}
}

// mapLines replaces each character of lines by f's markup for it.
func mapLines(lines []string, f func(c string) string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		var b strings.Builder
		for _, c := range l {
			b.WriteString(f(string(c)))
		}
		out[i] = b.String()
	}
	return out
}

func checkQRHosts(t *testing.T, p *message.Part) {
	t.Helper()
	if hs, c := codeHosts(p); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" {
		t.Errorf("got %v %+v", hs, c)
	}
}

// TestCodeURLsBlockTable: a code drawn as an HTML table with one block
// character (or a doubled one) per cell, rows as <tr>: the table's columns
// stand the characters side by side, so it is read as lines of a drawing,
// whether blanks are spaces, &nbsp; or empty cells, and with end tags left
// out; a table of status marks is not read as one.
func TestCodeURLsBlockTable(t *testing.T) {
	longCodeTime(t)
	half := formats.QRBlocks(qrLure, formats.BlockStyle{Form: formats.HalfBlocks, Border: 2})
	tables := map[string]string{
		"half":              formats.BlockTable(half, 1, "", false),
		"half empty blanks": formats.BlockTable(half, 1, ` style="padding:0"`, true),
		"half nbsp":         formats.BlockTable(formats.QRBlocks(qrLure, formats.BlockStyle{Form: formats.HalfBlocks, Blank: "&nbsp;", Border: 2}), 1, "", false),
		"double":            formats.BlockTable(formats.QRBlocks(qrLure, formats.BlockStyle{Form: formats.DoubleBlocks, Border: 2}), 2, "", true),
		"quadrant":          formats.BlockTable(formats.QRBlocks(qrLure, formats.BlockStyle{Form: formats.QuadrantBlocks, Border: 2}), 1, ` class="c"`, false),
		"no end tags":       strings.NewReplacer("</td>", "", "</tr>", "").Replace(formats.BlockTable(half, 1, ` bgcolor="#fff"`, true)),
		"inverted on black": formats.BlockTable(formats.QRBlocks(qrLure, formats.BlockStyle{Form: formats.HalfBlocks, Invert: true, Border: 2}), 1, ` style="background:#000;color:#fff"`, true),
	}
	for name, tb := range tables {
		t.Run(name, func(t *testing.T) {
			body := `<html><head><style>.c{font-size:10px}</style></head><body><p>Scan to keep your mailbox:</p>` + tb + `<p>IT Service Desk</p></body></html>`
			checkQRHosts(t, &message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(body)})
		})
	}
	// A table of status marks: a label, then ✓ or ■/□ a day.
	var status strings.Builder
	status.WriteString(`<table>`)
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&status, "<tr><td>Server %02d</td>", i)
		for d := 0; d < 14; d++ {
			mark := map[int]string{0: "■", 1: "□", 2: "✓", 3: "■"}[(i*d+d)%4]
			fmt.Fprintf(&status, "<td> %s </td>", mark)
		}
		status.WriteString("</tr>\n")
	}
	status.WriteString(`</table>`)
	p := &message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(status.String())}
	if hs, c := codeHosts(p); len(hs) != 0 || len(c.Texts) != 0 {
		t.Errorf("status table read as a code: %v %+v", hs, c)
	}
}

// TestBlockTextTwins: text drawn with the same characters that is no code
// (a banner, progress bars in a table of many rows, box-drawing art, a
// dark-themed newsletter) gives no code, and short drawings are not even
// drawn; ordinary text costs no reading at all.
func TestBlockTextTwins(t *testing.T) {
	longCodeTime(t)
	banner := strings.Repeat("█▀▀ █▀█ █▄░█ █▀▀ █▀█ ▄▀█ ▀█▀ █░█ █░░ ▄▀█ ▀█▀ █ █▀█ █▄░█ █▀\n█▄▄ █▄█ █░▀█ █▄█ █▀▄ █▀█ ░█░ █▄█ █▄▄ █▀█ ░█░ █ █▄█ █░▀█ ▄█\n\n", 3)
	var bars strings.Builder
	for i := 0; i < 30; i++ {
		n := (i * 7) % 20
		fmt.Fprintf(&bars, "Task %02d  %s%s %3d%%\n", i, strings.Repeat("█", n), strings.Repeat("░", 20-n), n*5)
	}
	box := strings.Repeat("┌──────────┬──────────┐\n│ Name     │ Value    │\n├──────────┼──────────┤\n│ ▓▓▓▓     │ ████     │\n└──────────┴──────────┘\n", 8)
	twins := map[string]struct {
		part  *message.Part
		drawn int // drawings made of it
	}{
		"banner":      {&message.Part{Path: "1", DeclaredType: "text/plain", Content: []byte("Congratulations!\n\n" + banner)}, 0},
		"progress":    {&message.Part{Path: "1", DeclaredType: "text/plain", Content: []byte(bars.String())}, 1},
		"box drawing": {&message.Part{Path: "1", DeclaredType: "text/plain", Content: []byte(box)}, 0},
		"progress html": {&message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(`<html><body style="background:#111;color:#eee"><table>` +
			strings.Repeat(`<tr><td>Disk usage of the archive volume</td><td style="font-family:monospace">██████████░░░░░░░░░░</td></tr>`, 40) + `</table></body></html>`)}, 0},
		"dark newsletter": {&message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(`<html><body style="background:#000;color:#fff">` +
			strings.Repeat(`<p>Our autumn sale starts on Monday — ▶ up to 40% off ■ free delivery ■ easy returns.</p>`, 40) + `</body></html>`)}, 0},
	}
	for name, tw := range twins {
		t.Run(name, func(t *testing.T) {
			if hs, c := codeHosts(tw.part); len(hs) != 0 || len(c.Texts) != 0 {
				t.Errorf("read as a code: %v %+v", hs, c)
			}
			var ds []drawnCode
			if tw.part.DeclaredType == "text/html" {
				ds = htmlBlockCodes(tw.part.Content)
			} else {
				ds = textBlockCodes(tw.part.Content)
			}
			if len(ds) != tw.drawn {
				t.Errorf("%d drawings, want %d", len(ds), tw.drawn)
			}
		})
	}
	// Ordinary text and HTML are not read for drawn codes at all.
	plain := &message.Part{Path: "1", DeclaredType: "text/plain", Content: []byte(strings.Repeat("Dear customer, your invoice is attached. ", 500))}
	if k := kindOfCodes(plain); k != noCodes {
		t.Errorf("ordinary text read for codes (kind %d)", k)
	}
	if n := blockCharCount([]byte(strings.Repeat(`<p>Tom &amp; Jerry &#8212; &nbsp;&copy; 2026 &#9;</p>`, 100)), true); n != 0 {
		t.Errorf("ordinary HTML: %d block characters counted", n)
	}
}

// FuzzDrawnCodes: the readers of codes drawn without a picture (block
// characters, SVG, CSS boxes) never panic, and keep to their bounds: drawings per
// part and pixels each.
func FuzzDrawnCodes(f *testing.F) {
	lines := formats.QRBlocks("https://a.example/x", formats.BlockStyle{Form: formats.HalfBlocks, Border: 1})
	f.Add([]byte(strings.Join(lines, "\r\n")))
	f.Add([]byte("<pre>" + strings.Join(formats.QRBlocks("https://a.example/x", formats.BlockStyle{Form: formats.QuadrantBlocks, Invert: true}), "\n") + "</pre>"))
	f.Add([]byte(`<style>.w{color:#fff}</style><p>` + strings.Join(mapLines(lines, func(c string) string { return `<span class=w style="display:none;font-size:0">` + c + `</span>&#9608;` }), "<br/>") + `</p>`))
	f.Add([]byte("\t▀▄\t█\n" + strings.Repeat("▄▀█ \u200b\u00a0▐▌", 40) + "\n"))
	f.Add([]byte(formats.BlockTable(lines, 1, ` style="background:#000"`, true)))
	f.Add([]byte(`<table><tr><td> ▀ <td>&nbsp;<th><td>█▄<span>▀</span><td>ab</tr>` + strings.Repeat(`<tr><td>█</td> <td></td><td bgcolor=000>`, 30) + `</table>`))
	f.Add([]byte(formats.QRSVG("https://a.example/x", formats.SVGPath, 1)))
	f.Add([]byte(formats.QRSVG("https://a.example/x", formats.SVGUse, 3)))
	f.Add([]byte(formats.QRSVG("https://a.example/x", formats.SVGArcDots, 2)))
	f.Add([]byte(formats.QRSVG("https://a.example/x", formats.SVGCurveDots, 1)))
	f.Add([]byte(`<svg><circle cx="1e6" r="-1"/><ellipse rx="2" cy="3"/><rect width="4" height="2" rx="9" ry="-1"/><path d="M0 0Q1 1 2 0T4 0t1 1S3 3 4 4s1 1 2 2A0 5 0 0 1 9 9a5 5 90 1 1 0 0a1e9 1 45 11-3-3z"/></svg>`))
	f.Add([]byte(`<svg><g transform="rotate(30 5 5) skewX(3) matrix(1 0 0 1 2 2)"><path d="M1.5.5-2e1,3a1 1 0 011 1c1 2 3 4 5 6h1v1H0V9zm1 1l1 1 1 1" fill-rule="evenodd"/><polygon points="0,0 5,0 5,5"/></g></svg>`))
	f.Add([]byte(formats.QRBoxes("https://a.example/x", formats.BoxRuns, 2)))
	f.Add([]byte(formats.QRBoxes("https://a.example/x", formats.BoxInlineBlock, 2)))
	f.Add([]byte(`<div style="display:grid;grid-template-columns:repeat(3, 1fr) minmax(2px,1fr) 4px 4px">` + strings.Repeat(`<div style="float:left;flex:0 0 3pt;width:.5em"></div><br>`, 210) + `</div>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, ds := range [][]drawnCode{textBlockCodes(b), htmlBlockCodes(b), svgCodes(b), boxCodes(b)} {
			if len(ds) > maxCodeTables {
				t.Fatalf("%d drawings", len(ds))
			}
			for _, d := range ds {
				for _, g := range d {
					if g == nil || g.Rect.Dx()*g.Rect.Dy() > max(maxDrawnPixels, maxVectorCanvas) {
						t.Fatalf("drawing %v", g)
					}
				}
			}
		}
		kindOfCodes(&message.Part{Path: "1", Content: b}) // the search of what is drawn has targets of its own (FuzzQRFinder...)
	})
}

// TestBlockCharCount: block characters count as characters and as the
// references HTML writes them with; other references do not.
func TestBlockCharCount(t *testing.T) {
	for s, want := range map[string]int{
		"██▀▄ ⬛⬜ ■": 7, "&#9608;&#x2588;&#X2580&block;&uhblk;&lhblk;&squf;": 0, "a & b &amp; &#8212; &nbsp; &#9; &#x41; &#99999999999;": 0,
	} {
		if got := blockCharCount([]byte(s), false); got != want {
			t.Errorf("text %q: %d, want %d", s, got, want)
		}
	}
	if got := blockCharCount([]byte("&#9608;&#x2588;&#X2580&block;&uhblk;&lhblk;&squf; &amp; &#8212; &nbsp; &#9; &#x41;"), true); got != 7 {
		t.Errorf("references: %d, want 7", got)
	}
}
