package formats

import (
	"fmt"
	"image"
	"strings"
)

// 2-D codes split across several images that a PDF page places touching
// with cm: a viewer shows one code, and no image alone holds one. Every
// style renders as the whole code in poppler.

// SplitStyle is how a page cuts and places a code.
type SplitStyle int

const (
	SplitHalves       SplitStyle = iota // two image XObjects, left and right halves
	SplitQuadrants                      // four image XObjects, a 2x2 grid
	SplitInlineRows                     // three inline images, rows stacked
	SplitTurned                         // halves stored mirrored and turned half a turn, put right by cm
	SplitInForm                         // the quadrants drawn by a Form XObject the page draws
	SplitOverDecoy                      // the halves painted over a grey decoy picture larger than the code
	SplitClippedDecoy                   // the halves, and a white picture over them clipped out of view (W n)
)

// SplitStyles lists every style, for tests.
var SplitStyles = []SplitStyle{SplitHalves, SplitQuadrants, SplitInlineRows, SplitTurned, SplitInForm, SplitOverDecoy, SplitClippedDecoy}

func (s SplitStyle) String() string {
	return [...]string{"halves", "quadrants", "inline-rows", "turned", "in-form", "over-decoy", "clipped-decoy"}[s]
}

// Where the code stands on the page, in points, and its pixels a side.
const splitX, splitY, splitSide, splitPx = 200.0, 420.0, 180.0, 240

// SplitCodePDF is a one-page A4 PDF that shows text's QR code, cut and
// placed in style, under a line of text.
func SplitCodePDF(text string, style SplitStyle, caption string) []byte {
	g := QRImage(text, splitPx)
	cols, rows := 2, 1
	switch style {
	case SplitQuadrants, SplitInForm:
		cols, rows = 2, 2
	case SplitInlineRows:
		cols, rows = 1, 3
	}
	var tiles []splitTile
	for r := range rows {
		for c := range cols {
			sub := g.SubImage(image.Rect(c*splitPx/cols, r*splitPx/rows, (c+1)*splitPx/cols, (r+1)*splitPx/rows)).(*image.Gray)
			w, h := splitSide/float64(cols), splitSide/float64(rows)
			x, y := splitX+float64(c)*w, splitY+splitSide-float64(r+1)*h
			t := splitTile{pix: grayPix(sub), w: sub.Rect.Dx(), h: sub.Rect.Dy(), cm: fmt.Sprintf("%g 0 0 %g %g %g", w, h, x, y)}
			if style == SplitTurned {
				if c == 0 { // stored mirrored left to right
					t.pix, t.cm = mirrorPix(t.pix, t.w, t.h), fmt.Sprintf("%g 0 0 %g %g %g", -w, h, x+w, y)
				} else { // stored turned half a turn
					t.pix, t.cm = turnPix(t.pix), fmt.Sprintf("%g 0 0 %g %g %g", -w, -h, x+w, y+h)
				}
			}
			tiles = append(tiles, t)
		}
	}
	var c strings.Builder
	fmt.Fprintf(&c, "BT /F1 14 Tf 72 760 Td (%s) Tj ET\n", caption)
	var extra []string
	xobjs := ""
	next := 5 // the next object's number
	image := func(t splitTile) string {
		return PDFFlate(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8", t.w, t.h), string(t.pix))
	}
	place := func(out *strings.Builder, res *string) {
		for i, t := range tiles {
			if style == SplitInlineRows {
				fmt.Fprintf(out, "q %s cm BI /W %d /H %d /BPC 8 /CS /G /F /AHx ID\n%s\nEI Q\n", t.cm, t.w, t.h, ASCIIHex(t.pix))
				continue
			}
			fmt.Fprintf(out, "q %s cm /T%d Do Q\n", t.cm, i)
			*res += fmt.Sprintf(" /T%d %d 0 R", i, next)
			extra = append(extra, image(t))
			next++
		}
	}
	switch style {
	case SplitInForm:
		var form strings.Builder
		formRes := ""
		extra = append(extra, "") // the form, written once its tiles are numbered
		next++
		place(&form, &formRes)
		extra[0] = PDFFlate("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject <<"+formRes+" >> >>", form.String())
		c.WriteString("/Fm Do\n")
		xobjs = " /Fm 5 0 R"
	case SplitOverDecoy:
		decoy := splitTile{w: 60, h: 60, cm: fmt.Sprintf("%g 0 0 %g %g %g", splitSide+40, splitSide+40, splitX-20, splitY-20)}
		for i := range 60 * 60 {
			decoy.pix = append(decoy.pix, byte(90+(i*37)%120))
		}
		fmt.Fprintf(&c, "q %s cm /D Do Q\n", decoy.cm)
		xobjs = fmt.Sprintf(" /D %d 0 R", next)
		extra = append(extra, image(decoy))
		next++
		place(&c, &xobjs)
	case SplitClippedDecoy:
		place(&c, &xobjs)
		white := splitTile{w: 30, h: 30, pix: []byte(strings.Repeat("\xff", 30*30)), cm: fmt.Sprintf("%g 0 0 %g %g %g", splitSide/2, splitSide/2, splitX, splitY+splitSide/2)}
		fmt.Fprintf(&c, "q 0 0 1 1 re W n q %s cm /W Do Q Q\n", white.cm)
		xobjs += fmt.Sprintf(" /W %d 0 R", next)
		extra = append(extra, image(white))
	default:
		place(&c, &xobjs)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> /XObject <<%s >> >> /Contents 4 0 R >>", xobjs),
		PDFFlate("", c.String()),
	}
	return PDF(append(objs, extra...)...)
}

// SlicedBannerPDF is a one-page PDF that shows a banner picture (stripes
// and shading, no code) cut into three images placed touching, as some
// writers slice large pictures.
func SlicedBannerPDF(caption string) []byte {
	const w, h = 600, 150
	var c strings.Builder
	fmt.Fprintf(&c, "BT /F1 14 Tf 72 760 Td (%s) Tj ET\n", caption)
	xobjs := ""
	var extra []string
	for i := range 3 {
		var pix []byte
		for y := range h {
			for x := i * w / 3; x < (i+1)*w/3; x++ {
				v := byte(200 - (x+y)/6%3*60)
				if (x/24+y/24)%5 == 0 {
					v = 40
				}
				pix = append(pix, v)
			}
		}
		fmt.Fprintf(&c, "q %g 0 0 %g %g 500 cm /B%d Do Q\n", 450.0/3, 112.5, 72+float64(i)*150, i)
		xobjs += fmt.Sprintf(" /B%d %d 0 R", i, 5+i)
		extra = append(extra, PDFFlate(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8", w/3, h), string(pix)))
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> /XObject <<%s >> >> /Contents 4 0 R >>", xobjs),
		PDFFlate("", c.String()),
	}
	return PDF(append(objs, extra...)...)
}

// splitTile is one piece: its grey pixels and where cm puts it.
type splitTile struct {
	pix  []byte
	w, h int
	cm   string
}

// grayPix is g's pixels, row by row without padding.
func grayPix(g *image.Gray) []byte {
	var out []byte
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
		out = append(out, g.Pix[g.PixOffset(g.Rect.Min.X, y):g.PixOffset(g.Rect.Max.X, y)]...)
	}
	return out
}

// mirrorPix mirrors w×h pixels left to right.
func mirrorPix(pix []byte, w, h int) []byte {
	out := make([]byte, len(pix))
	for y := range h {
		for x := range w {
			out[y*w+x] = pix[y*w+w-1-x]
		}
	}
	return out
}

// turnPix turns pixels half a turn: the last pixel first.
func turnPix(pix []byte) []byte {
	out := make([]byte, len(pix))
	for i, v := range pix {
		out[len(pix)-1-i] = v
	}
	return out
}
