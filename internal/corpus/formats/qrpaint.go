package formats

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"strings"
)

// 2-D codes a PDF page paints without an image XObject of the code or a
// path per module: the tricks a quishing PDF tries once gateways read image
// XObjects and drawn squares. Every one renders as the code in poppler.

// PaintStyle is how a page paints a code.
type PaintStyle int

const (
	InlineGray8          PaintStyle = iota // BI /W /H /BPC 8 /CS /G ID raw EI, abbreviated keys, no filter
	InlineGray1Hex                         // 1 bit a pixel, /F /AHx
	InlineRGBA85Flate                      // 8-bit RGB, /F [/A85 /Fl]
	InlineRunLength                        // 8-bit grey, /F /RL
	InlineDCT                              // a grey JPEG, /F /DCT
	InlineStencil                          // /IM true: 0 paints the fill colour (dark blue)
	InlineStencilDecode                    // /IM true /D [1 0]: 1 paints
	InlineInForm                           // the inline image inside a Form XObject the page draws
	StencilXObject                         // an /ImageMask true XObject painted in the fill colour
	StencilXObjectDecode                   // the same with /Decode [1 0]
	MaskCarries                            // a flat black image whose /Mask (a stencil) carries the code
	SMaskCarries                           // a flat black image whose /SMask carries the code
	PatternCell                            // a tiling pattern whose one cell draws the code's squares, filling a square
	Type3Glyphs                            // each dark module a glyph of a Type 3 font
	TinyScaled                             // squares 0.01 units a side under a cm that scales them up 400 times
	ClippedOut                             // squares clipped out of view by W n: nothing shows
	Type3Invisible                         // the Type 3 glyphs in text render mode 3 (3 Tr): nothing shows
	AnnotAppearance                        // squares in the appearance stream (/AP /N) of a Stamp annotation: no page content draws them
	AnnotHidden                            // the same annotation flagged Hidden (/F 2): nothing shows
)

// PaintStyles lists every style, for tests.
var PaintStyles = []PaintStyle{InlineGray8, InlineGray1Hex, InlineRGBA85Flate, InlineRunLength, InlineDCT,
	InlineStencil, InlineStencilDecode, InlineInForm, StencilXObject, StencilXObjectDecode, MaskCarries,
	SMaskCarries, PatternCell, Type3Glyphs, TinyScaled, ClippedOut, Type3Invisible, AnnotAppearance, AnnotHidden}

func (s PaintStyle) String() string {
	return [...]string{"inline-gray8", "inline-gray1-hex", "inline-rgb-a85-flate", "inline-runlength", "inline-dct",
		"inline-stencil", "inline-stencil-decode", "inline-in-form", "stencil-xobject", "stencil-xobject-decode",
		"mask-carries", "smask-carries", "pattern-cell", "type3-glyphs", "tiny-scaled", "clipped-out", "type3-invisible", "annot-appearance", "annot-hidden"}[s]
}

// Shows says whether a reader shows the code on the page.
func (s PaintStyle) Shows() bool { return s != ClippedOut && s != Type3Invisible && s != AnnotHidden }

// paintPx is the pixels a module in the pictures: 2, as small as a writer
// that knows the picture is scaled up on the page may make it.
const paintPx = 2

// PaintCodePDF is a one-page A4 PDF that paints modules (row 0 at the top)
// in style, under a line of text, about 150 points wide.
func PaintCodePDF(modules [][]bool, style PaintStyle, caption string) []byte {
	n := len(modules)
	side := (n + 8) * paintPx // the picture, its quiet zone of 4 modules a side
	dark := func(x, y int) bool {
		r, k := y/paintPx-4, x/paintPx-4
		return r >= 0 && k >= 0 && r < n && k < n && modules[r][k]
	}
	// bits packs the picture one bit a pixel, rows to whole bytes; set
	// says which pixels are 1.
	bits := func(set func(x, y int) bool) []byte {
		row := (side + 7) / 8
		out := make([]byte, row*side)
		for y := 0; y < side; y++ {
			for x := 0; x < side; x++ {
				if set(x, y) {
					out[y*row+x/8] |= 0x80 >> (x % 8)
				}
			}
		}
		return out
	}
	grey := func(comps int) []byte {
		out := make([]byte, 0, side*side*comps)
		for y := 0; y < side; y++ {
			for x := 0; x < side; x++ {
				v := byte(255)
				if dark(x, y) {
					v = 0
				}
				for range comps {
					out = append(out, v)
				}
			}
		}
		return out
	}
	light := func(x, y int) bool { return !dark(x, y) }
	const place = "q 150 0 0 150 220 400 cm\n" // where the picture goes
	var c strings.Builder
	fmt.Fprintf(&c, "BT /F1 14 Tf 72 760 Td (%s) Tj ET\n", caption)
	resources := "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
	var extra []string
	annots := ""
	inline := func(dict string, data []byte) string {
		return fmt.Sprintf("BI /W %d /H %d %s ID\n%s\nEI\n", side, side, dict, data)
	}
	top := 400.0 + 150
	m := 150.0 / float64(n+8)               // a module, in points
	squares := func(scale float64) string { // the dark modules at scale a module, row 0 at the top
		var b strings.Builder
		for r, row := range modules {
			for k, d := range row {
				if d {
					fmt.Fprintf(&b, "%g %g %g %g re\n", float64(k+4)*scale, float64(n+4-r-1)*scale, scale, scale)
				}
			}
		}
		return b.String()
	}
	switch style {
	case InlineGray8:
		c.WriteString(place + inline("/BPC 8 /CS /G", grey(1)) + "Q\n")
	case InlineGray1Hex:
		c.WriteString(place + inline("/BPC 1 /CS /G /F /AHx", ASCIIHex(bits(light))) + "Q\n")
	case InlineRGBA85Flate:
		c.WriteString(place + inline("/BPC 8 /CS /RGB /F [/A85 /Fl]", PDFASCII85(Zlib(grey(3)))) + "Q\n")
	case InlineRunLength:
		c.WriteString(place + inline("/BPC 8 /CS /DeviceGray /F /RL", RunLength(grey(1))) + "Q\n")
	case InlineDCT:
		c.WriteString(place + inline("/BPC 8 /CS /G /F /DCT", greyJPEG(grey(1), side)) + "Q\n")
	case InlineStencil:
		c.WriteString(place + "0.1 0.1 0.5 rg\n" + inline("/IM true", bits(light)) + "Q\n")
	case InlineStencilDecode:
		c.WriteString(place + "0.1 0.1 0.5 rg\n" + inline("/IM true /D [1 0]", bits(dark)) + "Q\n")
	case InlineInForm:
		c.WriteString("/Fm1 Do\n")
		resources += " /XObject << /Fm1 5 0 R >>"
		extra = append(extra, PDFFlate("/Type /XObject /Subtype /Form /BBox [0 0 595 842]", place+inline("/BPC 8 /CS /G", grey(1))+"Q\n"))
	case StencilXObject, StencilXObjectDecode:
		c.WriteString(place + "0.1 0.1 0.5 rg /Im1 Do Q\n")
		resources += " /XObject << /Im1 5 0 R >>"
		data, decode := bits(light), ""
		if style == StencilXObjectDecode {
			data, decode = bits(dark), " /Decode [1 0]"
		}
		extra = append(extra, PDFFlate(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ImageMask true%s", side, side, decode), string(data)))
	case MaskCarries, SMaskCarries:
		c.WriteString(place + "/Im1 Do Q\n")
		resources += " /XObject << /Im1 5 0 R >>"
		mask := "/Mask 6 0 R"
		maskObj := PDFFlate(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ImageMask true", side, side), string(bits(light)))
		if style == SMaskCarries {
			mask = "/SMask 6 0 R"
			inv := grey(1) // alpha: opaque where dark
			for i := range inv {
				inv[i] = 255 - inv[i]
			}
			maskObj = PDFFlate(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8", side, side), string(inv))
		}
		extra = append(extra,
			PDFFlate(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 %s", side, side, mask), string(make([]byte, side*side))),
			maskObj)
	case PatternCell:
		// One cell as large as the square it fills: the code, once.
		fmt.Fprintf(&c, "/Pattern cs /P1 scn %g %g 150 150 re f\n", 220.0, 400.0)
		resources += " /Pattern << /P1 5 0 R >>"
		extra = append(extra, PDFFlate(fmt.Sprintf("/PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 %d %d] /XStep %d /YStep %d /Matrix [%g 0 0 %g 220 400] /Resources << >>", n+8, n+8, n+8, n+8, m, m),
			"0 g\n"+squares(1)+"f\n"))
	case Type3Glyphs, Type3Invisible:
		c.WriteString("0 g BT /T3 1 Tf\n")
		if style == Type3Invisible {
			c.WriteString("3 Tr\n")
		}
		for r, row := range modules {
			for k, d := range row {
				if d {
					fmt.Fprintf(&c, "%g 0 0 %g %g %g Tm (a) Tj\n", m, m, 220+float64(k+4)*m, top-float64(r+5)*m)
				}
			}
		}
		c.WriteString("ET\n")
		resources = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> /T3 5 0 R >>"
		extra = append(extra,
			"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [1 0 0 1 0 0] /CharProcs << /a 6 0 R >> /Encoding << /Type /Encoding /Differences [97 /a] >> /FirstChar 97 /LastChar 97 /Widths [1] /Resources << >> >>",
			PDFFlate("", "1 0 0 0 1 1 d1\n0 0 1 1 re f\n"))
	case TinyScaled:
		fmt.Fprintf(&c, "q %g 0 0 %g 220 400 cm 0 g\n%sf Q\n", m*100, m*100, squares(0.01))
	case AnnotAppearance, AnnotHidden:
		annots = " /Annots [5 0 R]"
		flags := 4 // Print
		if style == AnnotHidden {
			flags = 2
		}
		extra = append(extra,
			fmt.Sprintf("<< /Type /Annot /Subtype /Stamp /Rect [220 400 370 550] /F %d /AP << /N 6 0 R >> >>", flags),
			PDFFlate(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 %d %d]", n+8, n+8), "0 g\n"+squares(1)+"f\n"))
	case ClippedOut:
		// The code is painted inside a clip of one point in a corner of
		// the page: a reader shows a dot, no code.
		fmt.Fprintf(&c, "q 0 0 1 1 re W n q %g 0 0 %g 220 400 cm 0 g\n%sf Q Q\n", m, m, squares(1))
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents 4 0 R%s >>", resources, annots),
		PDFFlate("", c.String()),
	}
	return PDF(append(objs, extra...)...)
}

// greyJPEG is side×side grey pixels as a JPEG of quality 90.
func greyJPEG(pix []byte, side int) []byte {
	g := &image.Gray{Pix: pix, Stride: side, Rect: image.Rect(0, 0, side, side)}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, g, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return b.Bytes()
}
