package urls

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// TestSplitCodesInPDF: a code cut into images the page places touching
// (XObjects, inline images, flipped and turned by cm, inside a form, over
// a decoy, beside a decoy clipped out of view) reads as poppler shows it:
// the code Kensa reads is the code in pdftoppm's rendering, and without
// laying the images out (each searched alone) nothing reads.
func TestSplitCodesInPDF(t *testing.T) {
	longCodeTime(t)
	for i, style := range formats.SplitStyles {
		t.Run(style.String(), func(t *testing.T) {
			lure := fmt.Sprintf("https://login.rnicrosoft.com/pdf-split?s=%d", i)
			pdf := formats.SplitCodePDF(lure, style, "Scan the code to sign the document.")
			shown := CodeURLs(&message.Part{Path: "2", Content: renderPDF(t, pdf, 100)}, NewCodeBudget())
			if fmt.Sprint(shown.Texts) != "["+lure+"]" {
				t.Fatalf("poppler's rendering reads %q, want %q", shown.Texts, lure)
			}
			read := CodeURLs(&message.Part{Path: "2", Content: pdf}, NewCodeBudget())
			if !slices.Equal(read.Texts, shown.Texts) || len(read.Skipped) != 0 {
				t.Errorf("Kensa reads %q (skipped %q), poppler shows %q", read.Texts, read.Skipped, shown.Texts)
			}
			alone := NewCodeBudget()
			alone.layouts = 0
			if c := CodeURLs(&message.Part{Path: "2", Content: pdf}, alone); len(c.Texts) != 0 {
				t.Errorf("the images alone read %q: the PDF does not split its code", c.Texts)
			}
		})
	}
}

// TestSplitPDFHonest: a banner sliced into touching images is laid out
// and searched, and reads nothing.
func TestSplitPDFHonest(t *testing.T) {
	longCodeTime(t)
	pdf := formats.SlicedBannerPDF("Spring catalogue")
	_, _, tiles := pdfVectorDrawings(readPDF(pdf, ""), time.Now().Add(time.Minute))
	if g := tiles.groups(); len(g) != 1 || len(g[0]) != 3 {
		t.Fatalf("groups %v, want the banner's three slices", g)
	}
	if c := CodeURLs(&message.Part{Path: "2", Content: pdf}, NewCodeBudget()); len(c.Texts) != 0 || len(c.Skipped) != 0 {
		t.Errorf("read %q, skipped %q", c.Texts, c.Skipped)
	}
}

// TestSplitPDFBounds: thousands of tiny touching tiles, tiles declaring
// huge sizes, placements scaled past any page, many images over one
// another: bounded, noted where something was left, never a panic.
func TestSplitPDFBounds(t *testing.T) {
	page := func(content string, images ...string) []byte {
		xobjs := ""
		for i := range images {
			xobjs += fmt.Sprintf(" /I%d %d 0 R", i, 5+i)
		}
		return formats.PDF(append([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject <<" + xobjs + " >> >> /Contents 4 0 R >>",
			formats.PDFStream("", []byte(content)),
		}, images...)...)
	}
	grey := func(w, h int) string {
		return formats.PDFStream(fmt.Sprintf("/Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8", w, h), []byte(strings.Repeat("\x80", w*h)))
	}
	var tiny, stacked strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&tiny, "q 2 0 0 2 %d %d cm /I%d Do Q\n", i%70*2, i/70*2, i%2)
	}
	for range 3000 {
		stacked.WriteString("q 500 0 0 500 0 0 cm /I0 Do Q q 500 0 0 500 1 1 cm /I1 Do Q\n")
	}
	huge := formats.PDFStream("/Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", formats.Zlib(make([]byte, 1000)))
	for _, c := range []struct {
		name, note string
		pdf        []byte
	}{
		{"thousands of tiny tiles", "past the first 1024", page(tiny.String(), grey(6, 6), grey(6, 6))},
		{"stacked repaints", "past the first 1024", page(stacked.String(), grey(300, 300), grey(300, 300))},
		{"huge declared sizes", "", page("q 100 0 0 100 0 0 cm /I0 Do Q q 100 0 0 100 100 0 cm /I1 Do Q", huge, huge)},
		{"scaled past the page", "", page("q 9000000 0 0 9000000 0 0 cm /I0 Do Q q 1 0 0 1 -1 -1 cm /I1 Do Q", grey(30, 30), grey(30, 30))},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, tiles := pdfVectorDrawings(readPDF(c.pdf, ""), time.Now().Add(time.Minute))
			if len(tiles.placed) > maxPDFTiles || len(tiles.groups()) > maxPDFTileGroups {
				t.Errorf("%d placements, %d groups", len(tiles.placed), len(tiles.groups()))
			}
			got := CodeURLs(&message.Part{Path: "2", Content: c.pdf}, NewCodeBudget())
			if len(got.Texts) != 0 {
				t.Errorf("read %q", got.Texts)
			}
			if noted := strings.Contains(strings.Join(got.Skipped, "\n"), c.note); !noted {
				t.Errorf("skipped %q, want a note %q", got.Skipped, c.note)
			}
		})
	}
}
