package urls_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/urls"
)

// TestPDFReadOnce: in one message the page text and the code search read
// a PDF's objects once (CodeBudget.PDFText), and whichever reads first,
// each gets what it gets when it reads the PDF alone: on the corpus's PDFs
// as the engine expands them, and on PDFs whose fonts and pages are only
// in object streams (the page text then reads those too, as the code
// search always does).
func TestPDFReadOnce(t *testing.T) {
	urls.LongCodeTime(t)
	parts := corpusPDFs(t)
	if len(parts) < 20 {
		t.Fatalf("%d PDFs in the corpus: go run ./testdata/gen", len(parts))
	}
	page := func(font int) string {
		return fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 %d 0 R >> >> /Contents 4 0 R >>", font)
	}
	font := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	content := "BT /F1 10 Tf 50 740 Td (https://pay.example.com/x) Tj ET " + gridSquares()
	for _, stream := range []string{formats.PDFStream("", []byte(content)), formats.PDFStream("/Filter /FlateDecode", formats.ZlibDeflated([]byte(content)))} {
		pdf := formats.PDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [10 0 R] /Count 1 >>", "null", stream,
			objStm([]int{10, 11}, []string{page(11), font}))
		parts = append(parts, expandPDF(pdf, ""))
	}
	// The font outside the object stream, the page in it: the page text
	// reads the objects outside alone, the code search all of them.
	parts = append(parts, expandPDF(formats.PDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [10 0 R] /Count 1 >>", font,
		formats.PDFStream("", []byte(content)), objStm([]int{10}, []string{page(3)})), ""))
	shown := 0
	for _, p := range parts {
		text, codes := urls.PDFText(p), urls.CodeURLs(p, urls.NewCodeBudget())
		if text != "" {
			shown++
		}
		for _, textFirst := range []bool{true, false} {
			b := urls.NewCodeBudget()
			var t2 string
			var c2 urls.Codes
			if textFirst {
				t2 = b.PDFText(p)
				c2 = urls.CodeURLs(p, b)
			} else {
				c2 = urls.CodeURLs(p, b)
				t2 = b.PDFText(p)
			}
			if t2 != text || !reflect.DeepEqual(c2, codes) {
				t.Errorf("part %s (text first: %v): text %q, codes %+v; alone %q, %+v", p.Path, textFirst, t2, c2, text, codes)
			}
		}
	}
	last := parts[len(parts)-2]
	if got := urls.PDFText(last); got != "https://pay.example.com/x\n" {
		t.Errorf("object streams only: text %q", got)
	}
	if shown < 10 {
		t.Errorf("only %d of %d PDFs show text: the comparison compared little", shown, len(parts))
	}
	t.Logf("%d PDFs, %d with text", len(parts), shown)
}

// gridSquares is a few filled squares: a drawing the code search reads.
func gridSquares() string {
	s := ""
	for i := range 30 {
		s += "0 0 0 rg " + string(rune('1'+i%9)) + "0 10 5 5 re f "
	}
	return s
}
