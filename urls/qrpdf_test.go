package urls

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// An image of unfiltered pixels, fewer than its size says, is drawn with
// the rest white; the PDF's bytes after them, which the other readers of
// the part read at the same time, stay as they are.
func TestPDFImageShortPixelsLeaveThePDF(t *testing.T) {
	pdf := formats.PDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>",
		formats.PDFStream("/Type /XObject /Subtype /Image /Width 24 /Height 24 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte("short")),
		"<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://after.example/) >> >>",
		"<< /Padding ("+strings.Repeat("x", 2000)+") >>") // room past the pixels: appending in place would not move them
	was := bytes.Clone(pdf)
	ims := pdfImages(pdfObjectsByNum(pdf, ""), NewCodeBudget())
	if len(ims) != 1 || ims[0].img == nil {
		t.Fatalf("images %+v, want the one drawn", ims)
	}
	if !bytes.Equal(pdf, was) {
		t.Errorf("drawing the image wrote over the PDF's bytes after it:\n%q\nwas\n%q", pdf, was)
	}
}

// TestPDFKeysLongString: a string value is skipped whole, however long: the
// names written inside it are not the dictionary's keys.
func TestPDFKeysLongString(t *testing.T) {
	for name, str := range map[string]string{
		"literal": "(" + strings.Repeat("x", 3*MaxLength) + " /Width 9999 /Height 9999)",
		"hex":     "<" + strings.Repeat("41", 3*MaxLength) + " /Width 9999>",
	} {
		m := pdfKeys([]byte("<< /Note " + str + " /Subtype /Image /BitsPerComponent 8 >>"))
		if m["Subtype"] != "/Image" || m["BitsPerComponent"] != "8" || m["Width"] != "" || m["Height"] != "" {
			t.Errorf("%s: %v", name, m)
		}
	}
}
