package formats

import (
	"bytes"
	"fmt"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// 2-D codes drawn with PDF path operators, the way quishing PDFs draw them
// so that no image exists to decode: every drawing a reader renders as the
// same code, and honest vector pages (tables, charts, a logo) beside them.

// QRModules is text's QR code (level M) as dark and light modules, without
// its quiet zone.
func QRModules(text string) [][]bool {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		panic(err)
	}
	q.DisableBorder = true
	return q.Bitmap()
}

// VectorStyle is how a page draws a code's modules.
type VectorStyle int

const (
	VectorSquares      VectorStyle = iota // one "re f" per dark module (0 g)
	VectorOnePath                         // every dark module's re, then one f (0 0 0 rg)
	VectorPolygons                        // "m l l l h" per dark module, all filled by one f* (CMYK black)
	VectorBars                            // each row's runs of dark modules as one wide rectangle (/DeviceGray cs 0 sc)
	VectorForm                            // the squares at unit size in a Form XObject drawn with a cm scale, twice
	VectorUnitScaled                      // a cm scale, then squares at unit size
	VectorWhiteOnBlack                    // a black square under the code, its light modules painted white
	VectorInverted                        // light on dark: a black square with the quiet zone, the dark modules painted white
	VectorSplitStreams                    // /Contents [a b c], the streams split inside tokens
	VectorStrokes                         // each run as a stroked line as wide as a module
	VectorRotated                         // drawn turned 90° by cm
	VectorFlipped                         // drawn upside down, mirrored back by a cm flip
	VectorDots                            // each dark module a round dot (four Bézier curves), a "dots" design
)

// VectorStyles lists every style, for tests.
var VectorStyles = []VectorStyle{VectorSquares, VectorOnePath, VectorPolygons, VectorBars, VectorForm,
	VectorUnitScaled, VectorWhiteOnBlack, VectorInverted, VectorSplitStreams, VectorStrokes, VectorRotated, VectorFlipped, VectorDots}

func (s VectorStyle) String() string {
	return [...]string{"squares", "one-path", "polygons", "bars", "form", "unit-scaled", "white-on-black",
		"inverted", "split-streams", "strokes", "rotated", "flipped", "dots"}[s]
}

// Where the code stands on the page and how large its modules are, in points.
const (
	vecX, vecY, vecModule = 200.0, 360.0, 4.0
)

// VectorCodePDF is a one-page A4 PDF that draws modules (row 0 at the top)
// in style, under a line of text. Streams are Flate (stored blocks).
func VectorCodePDF(modules [][]bool, style VectorStyle, caption string) []byte {
	n := len(modules)
	var c strings.Builder
	fmt.Fprintf(&c, "BT /F1 14 Tf 72 760 Td (%s) Tj ET\n", caption)
	top := vecY + float64(n)*vecModule // the code's top edge on the page
	// sq writes one module's square at row r, column k, in page space.
	sq := func(r, k int) string {
		return fmt.Sprintf("%g %g %g %g re\n", vecX+float64(k)*vecModule, top-float64(r+1)*vecModule, vecModule, vecModule)
	}
	dark := func(want bool) (out [][2]int) {
		for r, row := range modules {
			for k, d := range row {
				if d == want {
					out = append(out, [2]int{r, k})
				}
			}
		}
		return out
	}
	var unit strings.Builder // the squares at unit size, row 0 at y = n-1
	for _, m := range dark(true) {
		fmt.Fprintf(&unit, "%d %d 1 1 re\n", m[1], n-1-m[0])
	}
	unit.WriteString("f\n")
	var flipped strings.Builder // the same upside down: row 0 at y = 0
	for _, m := range dark(true) {
		fmt.Fprintf(&flipped, "%d %d 1 1 re\n", m[1], m[0])
	}
	flipped.WriteString("f\n")
	extra := []string{}
	resources := "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
	contents := "4 0 R"
	switch style {
	case VectorSquares:
		c.WriteString("0 g\n")
		for _, m := range dark(true) {
			c.WriteString(sq(m[0], m[1]) + "f\n")
		}
	case VectorOnePath:
		c.WriteString("0 0 0 rg\n")
		for _, m := range dark(true) {
			c.WriteString(sq(m[0], m[1]))
		}
		c.WriteString("f\n")
	case VectorPolygons:
		c.WriteString("0 0 0 1 k\n")
		for _, m := range dark(true) {
			x, y := vecX+float64(m[1])*vecModule, top-float64(m[0]+1)*vecModule
			fmt.Fprintf(&c, "%g %g m %g %g l %g %g l %g %g l h\n", x, y, x+vecModule, y, x+vecModule, y+vecModule, x, y+vecModule)
		}
		c.WriteString("f*\n")
	case VectorBars:
		c.WriteString("/DeviceGray cs 0 sc\n")
		for r, row := range modules {
			for k := 0; k < len(row); k++ {
				if !row[k] {
					continue
				}
				e := k
				for e < len(row) && row[e] {
					e++
				}
				fmt.Fprintf(&c, "%g %g %g %g re f\n", vecX+float64(k)*vecModule, top-float64(r+1)*vecModule, float64(e-k)*vecModule, vecModule)
				k = e
			}
		}
	case VectorForm:
		// The same form twice: once as the code, once small as a "logo"
		// in the corner (too small for a phone, but drawn all the same).
		fmt.Fprintf(&c, "q %g 0 0 %g %g %g cm /Fm1 Do Q\n", vecModule, vecModule, vecX, vecY)
		c.WriteString("q 0.5 0 0 0.5 20 20 cm /Fm1 Do Q\n")
		resources += " /XObject << /Fm1 5 0 R >>"
		extra = append(extra, PDFFlate(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 %d %d] /Matrix [1 0 0 1 0 0]", n, n), "0 g\n"+unit.String()))
	case VectorUnitScaled:
		fmt.Fprintf(&c, "q %g 0 0 %g %g %g cm 0 g\n%sQ\n", vecModule, vecModule, vecX, vecY, unit.String())
	case VectorWhiteOnBlack:
		fmt.Fprintf(&c, "0 g %g %g %g %g re f\n1 g\n", vecX, vecY, float64(n)*vecModule, float64(n)*vecModule)
		for _, m := range dark(false) {
			c.WriteString(sq(m[0], m[1]) + "f\n")
		}
	case VectorInverted:
		fmt.Fprintf(&c, "0 g %g %g %g %g re f\n1 1 1 rg\n", vecX-4*vecModule, vecY-4*vecModule, float64(n+8)*vecModule, float64(n+8)*vecModule)
		for _, m := range dark(true) {
			c.WriteString(sq(m[0], m[1]))
		}
		c.WriteString("f\n")
	case VectorSplitStreams:
		c.WriteString("0 g\n")
		for _, m := range dark(true) {
			c.WriteString(sq(m[0], m[1]) + "f\n")
		}
		s := c.String()
		// Cut inside a number and inside an operator: readers join the
		// streams before they read tokens.
		a := strings.Index(s, " re\n") + 2 // "r" | "e"
		b := a + len(s[a:])/2
		for b < len(s) && !(s[b] >= '0' && s[b] <= '9' && s[b+1] >= '0' && s[b+1] <= '9') {
			b++
		}
		b++
		extra = append(extra, PDFFlate("", s[:a]), PDFFlate("", s[a:b]), PDFFlate("", s[b:]))
		contents = "[5 0 R 6 0 R 7 0 R]"
		c.Reset()
	case VectorStrokes:
		fmt.Fprintf(&c, "0 G %g w 0 J\n", vecModule)
		for r, row := range modules {
			y := top - (float64(r)+0.5)*vecModule
			for k := 0; k < len(row); k++ {
				if !row[k] {
					continue
				}
				e := k
				for e < len(row) && row[e] {
					e++
				}
				fmt.Fprintf(&c, "%g %g m %g %g l S\n", vecX+float64(k)*vecModule, y, vecX+float64(e)*vecModule, y)
				k = e
			}
		}
	case VectorRotated:
		// Turned a quarter: (x, y) → (-y, x), moved back onto the page.
		fmt.Fprintf(&c, "q 0 %g %g 0 %g %g cm 0 g\n%sQ\n", vecModule, -vecModule, vecX+float64(n)*vecModule, vecY, unit.String())
	case VectorDots:
		c.WriteString("0 g\n")
		const r, k = vecModule * 0.5, vecModule * 0.5 * 0.5523 // a circle's control points
		for _, m := range dark(true) {
			x, y := vecX+(float64(m[1])+0.5)*vecModule, top-(float64(m[0])+0.5)*vecModule
			fmt.Fprintf(&c, "%g %g m %g %g %g %g %g %g c %g %g %g %g %g %g c %g %g %g %g %g %g c %g %g %g %g %g %g c f\n",
				x+r, y, x+r, y+k, x+k, y+r, x, y+r, x-k, y+r, x-r, y+k, x-r, y, x-r, y-k, x-k, y-r, x, y-r, x+k, y-r, x+r, y-k, x+r, y)
		}
	case VectorFlipped:
		// Drawn upside down and mirrored back by cm: the code reads as shown.
		fmt.Fprintf(&c, "q %g 0 0 -%g %g %g cm 0 g\n%sQ\n", vecModule, vecModule, vecX, top, flipped.String())
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %s >>", resources, contents),
		PDFFlate("", c.String()),
	}
	return PDF(append(objs, extra...)...)
}

// VectorCodeUpdatePDF is a text-only one-page PDF followed by an
// incremental update that gives the page new contents: the code, drawn
// as squares. Readers show the update.
func VectorCodeUpdatePDF(modules [][]bool, caption string) []byte {
	orig := PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents 4 0 R >>",
		PDFFlate("", fmt.Sprintf("BT /F1 14 Tf 72 760 Td (%s) Tj ET\n", caption)),
	)
	code := VectorCodePDF(modules, VectorSquares, caption)
	// The code's content stream is object 4 of that PDF: become object 5.
	s := bytes.Index(code, []byte("4 0 obj\n"))
	e := bytes.Index(code[s:], []byte("endobj\n"))
	stream := code[s+len("4 0 obj\n") : s+e]
	var b bytes.Buffer
	b.Write(orig)
	off3 := b.Len()
	b.WriteString("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents 5 0 R >>\nendobj\n")
	off5 := b.Len()
	fmt.Fprintf(&b, "5 0 obj\n%sendobj\n", stream)
	xref := b.Len()
	prev := bytes.LastIndex(orig, []byte("startxref\n"))
	var prevOff int
	fmt.Sscanf(string(orig[prev+len("startxref\n"):]), "%d", &prevOff)
	fmt.Fprintf(&b, "xref\n3 1\n%010d 00000 n \n5 1\n%010d 00000 n \ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", off3, off5, prevOff, xref)
	return b.Bytes()
}

// VectorHonest is a page an honest writer draws with paths, by name:
// "invoice" (a table of ruled lines and shaded rows), "chart" (a bar
// chart of 36 bars), "logo" (a curved vector logo), "text" (text only),
// "checklist" (a form of 40 small check boxes in a column).
func VectorHonest(kind string) []byte {
	var c strings.Builder
	c.WriteString("BT /F1 12 Tf 72 780 Td (Example Supplies Ltd) Tj ET\n")
	switch kind {
	case "invoice":
		c.WriteString("0.5 w 0 G\n")
		for r := 0; r <= 30; r++ {
			y := 700 - float64(r)*16
			if r%2 == 1 {
				fmt.Fprintf(&c, "0.93 g 72 %g 451 16 re f\n", y)
			}
			fmt.Fprintf(&c, "0 g 72 %g 451 0.5 re f\n", y)
			fmt.Fprintf(&c, "BT /F1 9 Tf 76 %g Td (Item %d   Widget, blue   2 x 14.50   29.00) Tj ET\n", y+4, r)
		}
		for _, x := range []float64{72, 300, 380, 450, 523} {
			fmt.Fprintf(&c, "%g 220 m %g 700 l S\n", x, x)
		}
	case "chart":
		c.WriteString("0 G 1 w 60 100 m 60 500 l 540 100 m 60 100 l S\n")
		for i := 0; i < 36; i++ {
			h := 40 + float64((i*37)%300)
			fmt.Fprintf(&c, "0.2 0.4 0.8 rg %g 100 10 %g re f\n", 70+float64(i)*13, h)
		}
	case "logo":
		c.WriteString("0.8 0.1 0.1 rg 100 600 m 100 660 140 700 200 700 c 260 700 300 660 300 600 c 300 540 260 500 200 500 c 140 500 100 540 100 600 c f\n")
		c.WriteString("1 g 150 600 m 150 630 170 650 200 650 c 230 650 250 630 250 600 c 250 570 230 550 200 550 c 170 550 150 570 150 600 c f\n")
		c.WriteString("0 g 320 560 m 420 700 l 520 560 l h f\n")
	case "checklist":
		c.WriteString("0 G 0.8 w\n")
		for i := 0; i < 40; i++ {
			y := 720 - float64(i)*15
			fmt.Fprintf(&c, "80 %g 9 9 re S BT /F1 9 Tf 96 %g Td (Requirement %d has been met) Tj ET\n", y, y+1, i+1)
		}
	case "text":
		for i := 0; i < 40; i++ {
			fmt.Fprintf(&c, "BT /F1 10 Tf 72 %d Td (Line %d of an ordinary letter, nothing drawn.) Tj ET\n", 740-i*14, i)
		}
	default:
		panic("formats: no honest vector page " + kind)
	}
	return PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents 4 0 R >>",
		PDFFlate("", c.String()),
	)
}
