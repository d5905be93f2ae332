package urls

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/soffice"
	"github.com/kensa-milter/kensa/message"
)

// pdftotext is poppler's reading of pdf's text, the oracle the extractor
// is held to.
func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	out, err := popplerText(t, pdf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// popplerText is pdftotext's output, or its complaint.
func popplerText(t *testing.T, pdf []byte) (string, error) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext not found (Debian package poppler-utils, installed by scripts/deps.sh test): %v", err)
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	cmd := exec.Command(bin, "-enc", "UTF-8", in, "-")
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("pdftotext: %v: %s", err, errs.Bytes())
	}
	return out.String(), nil
}

// words is s with its white space collapsed: poppler and the extractor
// may break lines and blocks apart differently, never words.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

func readPDFText(pdf []byte) string {
	return string(pdfText(readPDF(pdf, ""), time.Now().Add(time.Minute)))
}

// pdfTextTricks are pages whose text a reader shows whole however the
// content stream cuts or orders it; want is what poppler shows too.
var pdfTextTricks = []struct{ name, content, want string }{
	{"Tj", "BT /F1 12 Tf 72 760 Td (Visit https://evil.test/login now) Tj ET", "Visit https://evil.test/login now"},
	{"TJ split by kerning", "BT /F1 12 Tf 72 760 Td [(Visit http)-20(s://ev)10(il.test/login)] TJ ET", "Visit https://evil.test/login"},
	{"TJ word gap", "BT /F1 12 Tf 72 760 Td [(Call)-600(now)] TJ ET", "Call now"},
	{"Identity-H with ToUnicode", "BT /F2 12 Tf 72 760 Td " + formats.CIDText("Call 1-808-555-0199 to cancel") + " Tj ET", "Call 1-808-555-0199 to cancel"},
	{"Identity-H split over TJ", "BT /F2 12 Tf 72 760 Td [" + formats.CIDText("1-80") + " -15 " + formats.CIDText("8-55") + " 8 " + formats.CIDText("5-0199") + "] TJ ET", "1-808-555-0199"},
	{"bfrange array and ranges", "BT /F2 12 Tf 72 760 Td " + formats.CIDText("＋１ (８０８) ٥٥٥ ﬁle") + " Tj ET", "＋１ (８０８) ٥٥٥ file"},
	{"letters placed by Td, backwards", "BT /F1 12 Tf 150 700 Td (n) Tj -6.672 0 Td (o) Tj -3.336 0 Td (t) Tj -3.996 0 Td (r) Tj -6.672 0 Td (o) Tj -8.664 0 Td (N) Tj ET", "Norton"},
	{"letters placed by Tm, shuffled", "BT /F1 12 Tf 1 0 0 1 88.008 700 Tm (t) Tj 1 0 0 1 82.008 700 Tm (s) Tj 1 0 0 1 72 700 Tm (f) Tj 1 0 0 1 75.336 700 Tm (a) Tj ET", "fast"},
	{"lines by T*, ' and \"", "BT /F1 12 Tf 14 TL 72 700 Td (first line) Tj T* (second line) Tj (third line) ' 1 0 (fourth line) \" ET", "first line second line third line fourth line"},
	{"lines out of order", "BT /F1 12 Tf 72 600 Td (bottom) Tj 0 100 Td (top) Tj ET", "top bottom"},
	{"scaled by Tm and cm", "q 2 0 0 2 0 0 cm BT /F1 1 Tf 6 0 0 6 36 350 Tm (scaled text) Tj ET Q", "scaled text"},
	{"TD sets the leading", "BT /F1 12 Tf 72 700 TD (one) Tj 0 -14 TD (two) Tj T* (three) Tj ET", "one two three"},
	{"hex string", "BT /F1 12 Tf 72 700 Td <48656C6C6F> Tj ET", "Hello"},
	{"WinAnsi", "BT /F1 12 Tf 72 700 Td (caf\\351 \\200 5) Tj ET", "café € 5"},
	{"marked content with ActualText", "BT /F2 12 Tf 72 700 Td /Span << /ActualText <FEFF0031> >> BDC " + formats.CIDText("7") + " Tj EMC " + formats.CIDText("23") + " Tj ET", "123"},
	{"form XObject", "q 1 0 0 1 0 -100 cm /X7 Do Q BT /F1 12 Tf 72 760 Td (page text) Tj ET", "page text text in a form"},
	{"inline image between", "BT /F1 12 Tf 72 700 Td (before) Tj ET q 10 0 0 10 72 600 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q BT /F1 12 Tf 72 580 Td (after) Tj ET", "before after"},
}

func TestPDFTextMatchesPoppler(t *testing.T) {
	form := formats.TextPDFForm("BT /F1 12 Tf 72 700 Td (text in a form) Tj ET")
	for _, c := range pdfTextTricks {
		t.Run(c.name, func(t *testing.T) {
			pdf := formats.TextPDF([]string{c.content}, form)
			got, poppler := words(readPDFText(pdf)), words(pdftotext(t, pdf))
			if poppler != c.want {
				t.Errorf("poppler shows %q, the test expects %q", poppler, c.want)
			}
			if got != poppler {
				t.Errorf("read %q, poppler shows %q", got, poppler)
			}
		})
	}
}

// TestPDFTextDifferences: a simple font's /Differences names glyphs for its
// codes, as poppler reads them when there is no ToUnicode.
func TestPDFTextDifferences(t *testing.T) {
	pdf := formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F9 5 0 R >> >> /Contents 4 0 R >>",
		formats.PDFStream("", []byte("BT /F9 12 Tf 72 700 Td (ABCDEFG) Tj ( HI) Tj ET")),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [65 /one /eight /zero /zero /hyphen /uni0035 /five 72 /N /o.sc] >> >>",
	)
	got, poppler := words(readPDFText(pdf)), words(pdftotext(t, pdf))
	if want := "1800-55 No"; poppler != want || got != want {
		t.Errorf("read %q, poppler %q, want %q", got, poppler, want)
	}
}

// TestPDFTextHidden: text a reader does not see (white, under a point, off
// the page) is left out. Poppler shows it: the difference is chosen.
func TestPDFTextHidden(t *testing.T) {
	for _, c := range []struct{ name, content string }{
		{"white", "q 1 g BT /F1 12 Tf 72 700 Td (hidden words) Tj ET Q"},
		{"white RGB", "q 1 1 1 rg BT /F1 12 Tf 72 700 Td (hidden words) Tj ET Q"},
		{"no size", "BT /F1 0.1 Tf 72 700 Td (hidden words) Tj ET"},
		{"off the page", "BT /F1 12 Tf 72 2000 Td (hidden words) Tj ET"},
		{"white on a white box", "q 1 g 60 690 200 30 re f BT /F1 12 Tf 72 700 Td (hidden words) Tj ET Q"},
		{"white beside a box", "q 0 0 0.6 rg 300 690 200 30 re f 1 g BT /F1 12 Tf 72 700 Td (hidden words) Tj ET Q"},
		{"white before its box", "q 1 g BT /F1 12 Tf 72 700 Td (hidden words) Tj ET 0 0 0.6 rg 60 690 200 30 re f Q"},
		{"white on a box only stroked", "q 0 G 60 690 200 30 re S 1 g BT /F1 12 Tf 72 700 Td (hidden words) Tj ET Q"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pdf := formats.TextPDF([]string{c.content + " BT /F1 12 Tf 72 500 Td (shown words) Tj ET"})
			if got := words(readPDFText(pdf)); got != "shown words" {
				t.Errorf("read %q, want only the shown words", got)
			}
			if p := words(pdftotext(t, pdf)); c.name != "off the page" && !strings.Contains(p, "hidden") {
				t.Errorf("poppler does not show the hidden text (%q): the documented difference is gone", p)
			}
		})
	}
	// Invisible text (Tr 3) is a scan's text layer: kept, as poppler keeps it.
	pdf := formats.TextPDF([]string{"BT 3 Tr /F1 12 Tf 72 700 Td (scanned words) Tj ET"})
	if got, p := words(readPDFText(pdf)), words(pdftotext(t, pdf)); got != "scanned words" || p != got {
		t.Errorf("Tr 3: read %q, poppler %q", got, p)
	}
}

// TestPDFTextWhiteOnPaint: white text on a box or picture painted before
// it shows (a button's label), as pdftoppm's rendering proves: the box's
// area holds both the box's dark and the label's white.
func TestPDFTextWhiteOnPaint(t *testing.T) {
	for _, c := range []struct{ name, content string }{
		{"rectangle", "q 0 0 0.6 rg 60 690 300 40 re f 1 1 1 rg BT /F1 16 Tf 72 702 Td (VIEW DOCUMENT) Tj ET Q"},
		{"rounded path", "q 0.1 0.4 0.8 rg 70 690 m 350 690 l 360 710 l 350 730 l 70 730 l 60 710 l h f 1 g BT /F1 16 Tf 72 702 Td (VIEW DOCUMENT) Tj ET Q"},
		{"scaled matrix", "q 2 0 0 2 0 0 cm 0 0 0.5 rg 30 345 150 20 re f Q q 1 g BT /F1 16 Tf 72 702 Td (VIEW DOCUMENT) Tj ET Q"},
		{"inline picture", "q 300 0 0 40 60 690 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x30 EI Q q 1 g BT /F1 16 Tf 72 702 Td (VIEW DOCUMENT) Tj ET Q"},
		{"stroked white on a box", "q 0 0 0.6 rg 60 690 300 40 re f 1 1 1 RG BT 1 Tr /F1 16 Tf 72 702 Td (VIEW DOCUMENT) Tj ET Q"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pdf := formats.TextPDF([]string{c.content})
			if got := words(readPDFText(pdf)); got != "VIEW DOCUMENT" {
				t.Errorf("read %q, want the label", got)
			}
			img, err := png.Decode(bytes.NewReader(renderPDF(t, pdf, 72)))
			if err != nil {
				t.Fatal(err)
			}
			// The box: x 60..360, y 690..730 in PDF space; the page is 842 high.
			dark, light := 0, 0
			for y := 842 - 728; y < 842-692; y++ {
				for x := 74; x < 200; x++ {
					switch g := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y; {
					case g < 110:
						dark++
					case g > 200:
						light++
					}
				}
			}
			if dark == 0 || light == 0 {
				t.Errorf("pdftoppm shows %d dark and %d light pixels in the box: the label is not white on a dark box", dark, light)
			}
		})
	}
}

func TestPDFTextPages(t *testing.T) {
	pdf := formats.TextPDF([]string{"BT /F1 12 Tf 72 700 Td (page one) Tj ET", "BT /F1 12 Tf 72 700 Td (page two) Tj ET"})
	if got := readPDFText(pdf); got != "page one\n\npage two\n" {
		t.Errorf("read %q", got)
	}
}

// TestPDFTextLibreOffice holds the extractor to poppler on PDFs LibreOffice
// writes (subset TrueType fonts with ToUnicode CMaps, /ActualText for the
// glyphs they cannot map back, tables, several scripts).
func TestPDFTextLibreOffice(t *testing.T) {
	out, err := soffice.ConvertFiles(t.TempDir(), "pdf", map[string][]byte{
		"letter.html": []byte(`<html><body><p>Dear customer,</p><p>Your subscription to <b>Norton 360 Deluxe</b> was renewed for $399.99 (order #NT-20417).</p>` +
			`<p>To cancel call ＋１ (８０８) ５５５-０１９９ or 1-808-555-0199 within 24 hours.</p><p>Visit https://evil.test/login or www.example.com/x?y=1 now.</p>` +
			`<table><tr><td>Item</td><td>Qty</td><td>Price</td></tr><tr><td>Norton 360 Deluxe</td><td>1</td><td>$399.99</td></tr></table>` +
			`<p>Ελληνικά кириллица 日本語 ١٢٣</p></body></html>`),
		"notes.txt": []byte("Meeting notes\n\nThe supplier's invoice INV-2207 is attached.\nQuestions: +44 20 7946 0958 (accounts).\nhttps://www.example.com/invoices/2207\n\nKind regards,\nAccounts\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, pdf := range out {
		// Poppler joins a word a hyphen breaks at the end of a line
		// ("NT-" and "20417"): the extractor keeps the line as shown.
		got, poppler := words(strings.ReplaceAll(readPDFText(pdf), "-\n", "")), words(pdftotext(t, pdf))
		if got != poppler || got == "" {
			t.Errorf("%s: read\n%q\npoppler shows\n%q", name, got, poppler)
		}
	}
}

// TestPDFTextCorpus holds the extractor to poppler on every PDF attached to
// a mail of the committed corpus.
func TestPDFTextCorpus(t *testing.T) {
	emls, _ := filepath.Glob(filepath.Join("..", "testdata", "corpus", "*", "*.eml"))
	if len(emls) == 0 {
		t.Fatal("no corpus: go run ./testdata/gen")
	}
	n := 0
	for _, f := range emls {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := message.Parse(raw)
		if err != nil {
			continue
		}
		for _, p := range m.Parts {
			// Type 3 glyphs drawn as a code's modules poppler breaks
			// into words by their boxes; encrypted ones need a password.
			if p.DetectedType != "application/pdf" || bytes.Contains(p.Content, []byte("/Encrypt")) || bytes.Contains(p.Content, []byte("/Type3")) {
				continue
			}
			poppler, err := popplerText(t, p.Content)
			if err != nil {
				t.Logf("%s part %s: %v", filepath.Base(f), p.Path, err)
				continue // damaged on purpose
			}
			n++
			if got, poppler := words(readPDFText(p.Content)), words(poppler); got != poppler {
				t.Errorf("%s part %s: read\n%q\npoppler shows\n%q", filepath.Base(f), p.Path, got, poppler)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d PDFs in the corpus", n)
	}
	t.Logf("%d PDFs", n)
}

// TestPDFTextBounds: output, pieces and forms stay bounded on hostile
// content.
func TestPDFTextBounds(t *testing.T) {
	many := strings.Repeat("BT /F1 12 Tf 72 700 Td (0123456789 abcdefghij) Tj ET\n", 40000)
	recursive := formats.TextPDFForm("/X7 Do /X7 Do BT /F1 12 Tf 72 700 Td (loop) Tj ET")
	for _, c := range []struct {
		name string
		pdf  []byte
	}{
		{"long page", formats.TextPDF([]string{many})},
		{"form drawing itself", formats.TextPDF([]string{"/X7 Do"}, recursive)},
	} {
		got := readPDFText(c.pdf)
		if len(got) > maxTextOut {
			t.Errorf("%s: %d bytes of text", c.name, len(got))
		}
		if c.name == "form drawing itself" && strings.Count(got, "loop") > maxTextForms+1 {
			t.Errorf("%s: %d forms run", c.name, strings.Count(got, "loop"))
		}
	}
}

func ExamplePDFText() {
	pdf := formats.TextPDF([]string{"BT /F1 12 Tf 72 760 Td [(http)-20(s://ev)10(il.test)] TJ ET"})
	fmt.Print(PDFText(&message.Part{Content: pdf}))
	// Output: https://evil.test
}

// plainTextPDF is a page of content with /F1 (Helvetica) and /F2, a Type 0
// font whose ToUnicode CMap is cmap, both streams uncompressed: what the
// fuzzer changes reaches the interpreter and the CMap reader as it is.
func plainTextPDF(content, cmap string) []byte {
	return formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /X1 8 0 R >> >> /Contents 4 0 R >>",
		formats.PDFStream("", []byte(content)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 /one /uni0032 /three.sc] >> /FirstChar 32 /Widths [278 278 355] >>",
		"<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [<< /W [3 [226 300] 10 20 500] >>] /ToUnicode 7 0 R >>",
		formats.PDFStream("", []byte(cmap)),
		formats.PDFStream("/Type /XObject /Subtype /Form /Resources << /Font << /F1 5 0 R >> >>", []byte("BT /F1 9 Tf 10 10 Td (form) Tj ET /X1 Do")),
	)
}

// FuzzPDFText: the text extractor never panics, gives valid UTF-8 within
// its bound, and the same text for the same bytes.
func FuzzPDFText(f *testing.F) {
	for _, c := range pdfTextTricks {
		f.Add(plainTextPDF(c.content, "1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0003> <0061> <0020> endbfrange"))
	}
	f.Add(plainTextPDF("BT /F2 12 Tf 72 700 Td <00030004> Tj /P <</ActualText (x)>> BDC [(AB) -300 <0102>] TJ EMC /X1 Do ET",
		"2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange 2 beginbfchar <01> <0041> <8001> <D83DDE00> endbfchar 1 beginbfrange <0002> <0004> [<0061> <0062>] endbfrange"))
	f.Add(formats.TextPDF([]string{pdfTextTricks[4].content}, formats.TextPDFForm("BT /F2 9 Tf 1 0 0 1 9 9 Tm <0024> Tj ET")))
	f.Fuzz(func(t *testing.T, pdf []byte) {
		deadline := time.Now().Add(time.Hour)
		a := pdfText(readPDF(pdf, ""), deadline)
		if len(a) > maxTextOut || !utf8.Valid(a) {
			t.Fatalf("%d bytes of text, valid UTF-8: %v", len(a), utf8.Valid(a))
		}
		if b := pdfText(readPDF(pdf, ""), deadline); !bytes.Equal(a, b) {
			t.Fatalf("two readings differ:\n%q\n%q", a, b)
		}
	})
}

// TestPDFTextLongStrings: a string longer than a URL may be (MaxLength) is
// read whole, literal or hex, as poppler shows it: a link after a long run
// of filler in one string is not lost (on a page wide enough to show it).
func TestPDFTextLongStrings(t *testing.T) {
	s := strings.Repeat("Lorem ipsum dolor sit amet. ", 90) + "https://evil.example/login"
	for name, str := range map[string]string{"literal": "(" + s + ")", "hex": "<" + hex.EncodeToString([]byte(s)) + ">"} {
		pdf := formats.PDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 99999 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
			formats.PDFStream("", []byte("BT /F1 10 Tf 50 700 Td "+str+" Tj ET")), "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
		got, poppler := words(readPDFText(pdf)), words(pdftotext(t, pdf))
		if !strings.HasSuffix(poppler, "https://evil.example/login") || got != poppler {
			t.Errorf("%s: read %d bytes ending %q, poppler shows %d ending %q", name, len(got), got[max(0, len(got)-40):], len(poppler), poppler[max(0, len(poppler)-40):])
		}
	}
}

// TestPDFGlyphs holds a font's glyphs (a code's text and advance, kept
// once read) to appendText and width, code by code, for every font of
// the corpus' PDFs and of the tests' own (simple fonts with and without
// widths or /Differences, Type 0 with ToUnicode and codespace ranges,
// Type 3); and a one-byte font's codes to next's.
func TestPDFGlyphs(t *testing.T) {
	var pdfs [][]byte
	emls, _ := filepath.Glob(filepath.Join("..", "testdata", "corpus", "*", "*.eml"))
	if len(emls) == 0 {
		t.Fatal("no corpus: go run ./testdata/gen")
	}
	for _, f := range emls {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m, err := message.Parse(raw); err == nil {
			for _, p := range m.Parts {
				if p.DetectedType == "application/pdf" {
					pdfs = append(pdfs, p.Content)
				}
			}
		}
	}
	pdfs = append(pdfs,
		plainTextPDF("", "1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0003> <0061> <0020> endbfrange"),
		plainTextPDF("", "2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange 2 beginbfchar <01> <0041> <8001> <D83DDE00> endbfchar 1 beginbfrange <0002> <0004> [<0061> <0062>] endbfrange"),
		formats.TextPDF([]string{pdfTextTricks[4].content}, formats.TextPDFForm("")))
	fonts, codes := 0, 0
	for _, pdf := range pdfs {
		d := readPDF(pdf, "")
		tx := &textReader{objs: d.withObjStms()}
		for n, o := range tx.objs {
			if o.dict["Type"] != "/Font" {
				continue
			}
			f := tx.readFont(pdfKeys([]byte(resolveDict(tx.objs, strconv.Itoa(n)+" 0 R"))))
			fonts++
			for code := range uint32(256) {
				want := f.appendText(nil, code)
				g := f.glyph(code)
				if g == nil || g.text != string(want) || g.w != f.width(code, want) {
					t.Fatalf("font %d: code %d: glyph %+v, appendText %q, width %v", n, code, g, want, f.width(code, want))
				}
				if again := f.glyph(code); again != g {
					t.Fatalf("font %d: code %d read twice", n, code)
				}
				if len(f.spaces) == 0 && !f.twoByte {
					if c, k := f.next([]byte{byte(code), 'x'}); c != code || k != 1 {
						t.Fatalf("font %d: one-byte code %d: next gives %d, %d bytes", n, code, c, k)
					}
				}
				codes++
			}
			if f.glyph(256) != nil || f.glyph(1<<20) != nil {
				t.Errorf("font %d: a glyph kept for a code over 255", n)
			}
		}
	}
	if defaultFont.glyph('a') != nil {
		t.Error("the shared default font keeps glyphs")
	}
	if fonts < 20 {
		t.Errorf("only %d fonts", fonts)
	}
	t.Logf("%d fonts, %d codes", fonts, codes)
}
