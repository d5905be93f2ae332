package urls

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// TestPaintedCodes: a code a page paints without a path per module or an
// image XObject of the code (inline images, stencil masks, a mask that
// carries it, a pattern's cell, Type 3 glyphs) is read when poppler shows
// it, and a code clipped out of view is not.
func TestPaintedCodes(t *testing.T) {
	longCodeTime(t)
	mods := formats.QRModules(qrLure)
	for _, style := range formats.PaintStyles {
		t.Run(style.String(), func(t *testing.T) {
			want := "[]"
			if style.Shows() {
				want = "[login.rnicrosoft.com/qr]"
			}
			pdf := formats.PaintCodePDF(mods, style, "Scan to keep your mailbox")
			rendered := renderPDF(t, pdf, 100)
			if hs, codes := codeHosts(&message.Part{Path: "2", Content: rendered}); fmt.Sprint(hs) != want {
				t.Fatalf("poppler's rendering: got %v %q, want %s", hs, codes.Texts, want)
			}
			if hs, codes := codeHosts(&message.Part{Path: "2", Content: pdf}); fmt.Sprint(hs) != want || len(codes.Skipped) != 0 {
				t.Errorf("Kensa: got %v %q %q, want %s", hs, codes.Texts, codes.Skipped, want)
			}
		})
	}
}

// TestVectorClip: a clip that holds the code leaves it read; one that
// hides it (W n, a form's BBox, the page's MediaBox) leaves nothing.
func TestVectorClip(t *testing.T) {
	longCodeTime(t)
	var sq strings.Builder
	for r, row := range formats.QRModules(qrLure) {
		for k, d := range row {
			if d {
				fmt.Fprintf(&sq, "%d %d 1 1 re\n", k, 40-r)
			}
		}
	}
	code := "q 4 0 0 4 200 300 cm 0 g\n" + sq.String() + "f Q\n"
	for _, c := range []struct {
		name, content, box, want string
	}{
		{"clip around", "q 150 250 250 250 re W n " + code + "Q", "[0 0 595 842]", "[login.rnicrosoft.com/qr]"},
		{"clip elsewhere", "q 0 0 10 10 re W* n " + code + "Q", "[0 0 595 842]", "[]"},
		{"clip half", "q 0 0 595 380 re W n " + code + "Q", "[0 0 595 842]", "[]"},
		{"clip restored by Q", "q 0 0 10 10 re W n Q " + code, "[0 0 595 842]", "[login.rnicrosoft.com/qr]"},
		{"off the page", code, "[0 0 100 100]", "[]"},
		{"form bbox", "/Fm Do", "[0 0 595 842]", "[]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pdf := formats.PDF(
				"<< /Type /Catalog /Pages 2 0 R >>",
				"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox "+c.box+" >>",
				"<< /Type /Page /Parent 2 0 R /Resources << /XObject << /Fm 5 0 R >> >> /Contents 4 0 R >>",
				formats.PDFStream("", []byte(c.content)),
				formats.PDFStream("/Type /XObject /Subtype /Form /BBox [0 0 5 5]", []byte(code)),
			)
			if hs, codes := codeHosts(&message.Part{Path: "2", Content: pdf}); fmt.Sprint(hs) != c.want {
				t.Errorf("got %v %q, want %s", hs, codes.Texts, c.want)
			}
		})
	}
}

// TestPaintBounds: patterns and Type 3 glyphs that draw themselves, a
// hatching of a million cells, a million glyphs and inline images past
// the bound end within the bounds and never panic.
func TestPaintBounds(t *testing.T) {
	page := func(content string) []byte {
		return formats.PDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 7 0 R /Contents 4 0 R >>",
			formats.PDFStream("", []byte(content)),
			// A pattern whose cell fills with itself, a glyph that shows itself.
			formats.PDFStream("/PatternType 1 /PaintType 1 /BBox [0 0 1 1] /XStep 1 /YStep 1 /Resources 7 0 R", []byte("/Pattern cs /P scn 0 0 1 1 re f 0 0 1 1 re f")),
			formats.PDFStream("", []byte("1 0 0 0 1 1 d1 0 0 1 1 re f BT /T 1 Tf (aa) Tj [(a) -50 (a)] TJ ET")),
			"<< /Pattern << /P 5 0 R /H 8 0 R >> /Font << /T 9 0 R >> >>",
			formats.PDFStream("/PatternType 1 /PaintType 1 /BBox [0 0 0.5 0.5] /XStep 0.5 /YStep 0.5", []byte("0 0 0.5 0.5 re f")),
			"<< /Type /Font /Subtype /Type3 /FontMatrix [1 0 0 1 0 0] /CharProcs << /a 6 0 R >> /Encoding << /Differences [97 /a] >> /FirstChar 97 /LastChar 97 /Widths [1] /Resources 7 0 R >>",
		)
	}
	// A thousand annotations whose appearance draws itself.
	annots := formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots ["+strings.Repeat("4 0 R ", 1000)+"] >>",
		"<< /Type /Annot /Subtype /Stamp /Rect [0 0 99 99] /AP << /N 5 0 R >> >>",
		formats.PDFStream("/Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /A 5 0 R >> >>", []byte("/A Do 0 0 1 1 re f /A Do")),
	)
	if ds, _, _ := pdfVectorDrawings(readPDF(annots, ""), time.Now().Add(2*time.Second)); len(ds) != 0 {
		t.Errorf("annotations: %d drawings", len(ds))
	}
	inline := strings.Repeat("q 30 0 0 30 0 0 cm BI /W 24 /H 24 /BPC 1 /IM true ID\n"+strings.Repeat("\xF0", 72)+"\nEI Q\n", 100)
	for name, c := range map[string]string{
		"pattern draws itself": strings.Repeat("/Pattern cs /P scn 0 0 10 10 re f ", 30),
		"hatching":             "/Pattern cs /H scn 0 0 595 842 re f " + strings.Repeat("0 0 1 1 re f ", 30),
		"glyph shows itself":   "BT /T 5 Tf 10 10 Td " + strings.Repeat("(aaaaaaaaaa) Tj ", 100) + "ET",
		"inline images":        inline,
	} {
		t.Run(name, func(t *testing.T) {
			ds, in, _ := pdfVectorDrawings(readPDF(page(c), ""), time.Now().Add(2*time.Second))
			for _, d := range ds {
				if len(d.img.Pix) > maxDrawnPixels {
					t.Errorf("a drawing of %d pixels", len(d.img.Pix))
				}
			}
			if len(in) > maxPDFImages {
				t.Errorf("%d inline images", len(in))
			}
		})
	}
}
