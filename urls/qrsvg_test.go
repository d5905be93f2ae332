package urls

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// TestCodeURLsSVG: QR codes drawn as SVG shapes, in an SVG attachment and
// inline in HTML, in the forms QR libraries and phishing kits write.
func TestCodeURLsSVG(t *testing.T) {
	longCodeTime(t)
	forms := map[string]int{"rects": formats.SVGRects, "path": formats.SVGPath, "use": formats.SVGUse, "runs": formats.SVGRuns, "inverted": formats.SVGInverted,
		"dots": formats.SVGDots, "arc dots": formats.SVGArcDots, "curve dots": formats.SVGCurveDots, "small dots": formats.SVGSmallDots, "rounded": formats.SVGRounded}
	for name, form := range forms {
		for _, px := range []int{1, 5} {
			svg := formats.QRSVG(qrLure, form, px)
			t.Run(fmt.Sprintf("%s/%d/attachment", name, px), func(t *testing.T) {
				checkQRHosts(t, &message.Part{Path: "2", Filename: "invoice.svg", DetectedType: "image/svg+xml", Content: []byte(`<?xml version="1.0"?>` + "\n" + svg)})
			})
			t.Run(fmt.Sprintf("%s/%d/inline", name, px), func(t *testing.T) {
				checkQRHosts(t, &message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(`<html><body><p>Scan to sign:</p>` + svg + `<p>Legal</p></body></html>`)})
			})
		}
	}
	// A path with relative moves, commas, implicit line-tos and a rotated
	// group: the same code.
	var d strings.Builder
	for y, row := range formats.QRModules(qrLure) {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&d, "m%d,%d l1,0 0,1 -1,0z M0,0", x, y)
			}
		}
	}
	rotated := `<svg viewBox="-50 -50 200 200"><g transform="translate(60 0) rotate(90)"><path d="` + d.String() + `" fill="#000" transform="translate(4 4)"/></g></svg>`
	checkQRHosts(t, &message.Part{Path: "2", DetectedType: "image/svg+xml", Content: []byte(rotated)})
	// Round dots as <use> copies of one circle from <defs>, and as
	// quadratic curves (Q then T) in a relative path.
	var uses, quads strings.Builder
	uses.WriteString(`<svg viewBox="0 0 200 200"><defs><circle id="d" cx="2" cy="2" r="2" style="fill:#222"/></defs>`)
	quads.WriteString(`<svg viewBox="0 0 200 200"><path d="`)
	for y, row := range formats.QRModules(qrLure) {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&uses, `<use href="#d" x="%d" y="%d"/>`, 4*x+16, 4*y+16)
				fmt.Fprintf(&quads, "M%d %dq0 2 2 2t2-2-2-2-2 2z", 4*x+16, 4*y+18)
			}
		}
	}
	uses.WriteString(`</svg>`)
	quads.WriteString(`"/></svg>`)
	checkQRHosts(t, &message.Part{Path: "2", DetectedType: "image/svg+xml", Content: []byte(uses.String())})
	checkQRHosts(t, &message.Part{Path: "2", DetectedType: "image/svg+xml", Content: []byte(quads.String())})
}

// TestSVGTwins: SVG that draws no code (a logo of curves, a bar chart, an
// icon set, hidden or gradient-filled squares) gives none.
func TestSVGTwins(t *testing.T) {
	longCodeTime(t)
	var chart, icons strings.Builder
	chart.WriteString(`<svg viewBox="0 0 400 200">`)
	for i := 0; i < 36; i++ {
		fmt.Fprintf(&chart, `<rect x="%d" y="%d" width="8" height="%d" fill="#1f4e79"/>`, 10+i*10, 200-(i*37)%180, (i*37)%180)
	}
	chart.WriteString(`</svg>`)
	icons.WriteString(`<svg viewBox="0 0 600 40">`)
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&icons, `<circle cx="%d" cy="20" r="6"/><rect x="%d" y="14" width="12" height="12" fill="#333"/>`, 15*i, 15*i+2)
	}
	icons.WriteString(`</svg>`)
	logo := `<svg viewBox="0 0 100 100"><path d="M50 5 C 80 5 95 20 95 50 S 80 95 50 95 Q 5 95 5 50 A 45 45 0 0 1 50 5z" fill="#c00"/><path d="M30 30h40v40h-40z" fill="#fff"/></svg>`
	var hidden strings.Builder
	for _, f := range []string{`fill="url(#g)"`, `fill="none"`, `style="display:none"`} {
		hidden.WriteString(strings.Replace(formats.QRSVG(qrLure, formats.SVGRects, 4), `fill="#000"`, f, -1))
	}
	// Round shapes: a carousel's row of dots, a pie chart of arcs, a logo
	// of rings and a dotted background pattern of one dot size.
	var dots, pie, pattern strings.Builder
	dots.WriteString(`<svg viewBox="0 0 800 20">`)
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&dots, `<circle cx="%d" cy="10" r="4" fill="%s"/>`, 10+i*13, map[bool]string{true: "#222", false: "#999"}[i%7 == 0])
	}
	dots.WriteString(`</svg>`)
	pie.WriteString(`<svg viewBox="-100 -100 200 200">`)
	for i, a := 0, 0.0; i < 30; i++ {
		b := a + float64(i%5+1)*math.Pi/45
		fmt.Fprintf(&pie, `<path d="M0 0L%.2f %.2fA90 90 0 0 1 %.2f %.2fZ" fill="#%x%x%x"/>`, 90*math.Cos(a), 90*math.Sin(a), 90*math.Cos(b), 90*math.Sin(b), i%16, (i*3)%16, (i*7)%16)
		a = b
	}
	pie.WriteString(`</svg>`)
	rings := `<svg viewBox="0 0 300 120"><g fill="none" stroke="#00f" stroke-width="8"><circle cx="50" cy="50" r="40"/><circle cx="140" cy="50" r="40"/></g>` +
		`<path fill="#0a0" fill-rule="evenodd" d="M190 50a40 40 0 1 0 80 0a40 40 0 1 0-80 0zM200 50a30 30 0 1 0 60 0a30 30 0 1 0-60 0z"/><ellipse cx="150" cy="110" rx="120" ry="8" fill="#333"/></svg>`
	pattern.WriteString(`<svg viewBox="0 0 400 400">`)
	for y := 0; y < 30; y++ {
		for x := 0; x < 30; x++ {
			fmt.Fprintf(&pattern, `<circle cx="%d" cy="%d" r="3" fill="#ddd"/>`, 10+x*13, 10+y*13)
		}
	}
	pattern.WriteString(`</svg>`)
	for name, b := range map[string]string{"chart": chart.String(), "icons": icons.String(), "logo": logo, "hidden": hidden.String(),
		"dot row": dots.String(), "pie": pie.String(), "rings": rings, "dot pattern": pattern.String()} {
		t.Run(name, func(t *testing.T) {
			if hs, c := codeHosts(&message.Part{Path: "2", DetectedType: "image/svg+xml", Content: []byte(b)}); len(hs) != 0 || len(c.Texts) != 0 {
				t.Errorf("read as a code: %v %+v", hs, c)
			}
		})
	}
	// Nothing is drawn for the logo or the squares no reader sees.
	if ds := svgCodes([]byte(logo + hidden.String() + dots.String() + pie.String() + rings)); len(ds) != 0 {
		t.Errorf("%d drawings", len(ds))
	}
}
