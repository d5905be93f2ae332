package urls

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/pdfsyntax"
)

// TestVectorCodes: a code drawn with path operators is read in every
// drawing a quishing PDF uses, and says the URL it holds.
func TestVectorCodes(t *testing.T) {
	longCodeTime(t)
	mods := formats.QRModules(qrLure)
	for _, style := range formats.VectorStyles {
		t.Run(style.String(), func(t *testing.T) {
			pdf := formats.VectorCodePDF(mods, style, "Scan to keep your mailbox")
			hs, codes := codeHosts(&message.Part{Path: "2", Content: pdf})
			if fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" || len(codes.Texts) == 0 || len(codes.Skipped) != 0 {
				t.Errorf("got %v %q %q", hs, codes.Texts, codes.Skipped)
			}
			for _, text := range codes.Texts { // the form draws it twice
				if text != qrLure {
					t.Errorf("read %q", text)
				}
			}
		})
	}
	t.Run("incremental update", func(t *testing.T) {
		pdf := formats.VectorCodeUpdatePDF(mods, "Scan to keep your mailbox")
		if hs, codes := codeHosts(&message.Part{Path: "2", Content: pdf}); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" {
			t.Errorf("got %v %q", hs, codes.Skipped)
		}
	})
	t.Run("data matrix", func(t *testing.T) {
		m, err := datamatrix.NewDataMatrixWriter().Encode(qrLure, gozxing.BarcodeFormat_DATA_MATRIX, 0, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		var dm [][]bool
		for y := 0; y < m.GetHeight(); y++ {
			var row []bool
			for x := 0; x < m.GetWidth(); x++ {
				row = append(row, m.Get(x, y))
			}
			dm = append(dm, row)
		}
		pdf := formats.VectorCodePDF(dm, formats.VectorBars, "Scan to keep your mailbox")
		if hs, codes := codeHosts(&message.Part{Path: "2", Content: pdf}); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" {
			t.Errorf("got %v %q", hs, codes.Skipped)
		}
	})
}

// TestVectorHonest: pages honest writers draw with paths hold no code and
// are not drawn at all: a bar chart's 36 bars share a width, not a grid.
func TestVectorHonest(t *testing.T) {
	longCodeTime(t)
	for _, kind := range []string{"invoice", "chart", "logo", "text", "checklist"} {
		t.Run(kind, func(t *testing.T) {
			pdf := formats.VectorHonest(kind)
			if hs, codes := codeHosts(&message.Part{Path: "2", Content: pdf}); len(hs) != 0 || len(codes.Texts) != 0 {
				t.Errorf("got %v %q", hs, codes.Texts)
			}
			ds, _, _ := pdfVectorDrawings(readPDF(pdf, ""), time.Now().Add(time.Minute))
			px := 0
			for _, d := range ds {
				px += len(d.img.Pix)
			}
			if len(ds) != 0 {
				t.Errorf("drew %d drawings, %d pixels", len(ds), px)
			}
		})
	}
}

// TestVectorDrawsWhatRenders: the drawing Kensa makes of each page has
// the code a real renderer (poppler's pdftoppm) shows: the rendered page
// decodes to the same URL, and so does Kensa's drawing.
func TestVectorDrawsWhatRenders(t *testing.T) {
	longCodeTime(t)
	mods := formats.QRModules(qrLure)
	for _, style := range formats.VectorStyles {
		if style == formats.VectorSplitStreams {
			// Poppler reads each stream of /Contents [a b c] apart, so a
			// token cut between two is two tokens and it shows no code;
			// pdf.js joins the streams first and shows it. Kensa reads
			// both ways (TestVectorCodes, TestPageContentsReadings).
			continue
		}
		t.Run(style.String(), func(t *testing.T) {
			pdf := formats.VectorCodePDF(mods, style, "Scan to keep your mailbox")
			rendered := renderPDF(t, pdf, 72)
			hs, codes := codeHosts(&message.Part{Path: "2", Content: rendered})
			if fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" {
				t.Fatalf("poppler's rendering: got %v %q", hs, codes.Texts)
			}
			ds, _, _ := pdfVectorDrawings(readPDF(pdf, ""), time.Now().Add(time.Minute))
			if len(ds) == 0 {
				t.Fatal("Kensa drew nothing")
			}
			var b bytes.Buffer
			if err := png.Encode(&b, ds[0].img); err != nil {
				t.Fatal(err)
			}
			if hs, _ := codeHosts(&message.Part{Path: "2", Content: b.Bytes()}); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" {
				t.Errorf("Kensa's drawing: got %v", hs)
			}
		})
	}
}

// TestVectorBounds: hostile content streams end within the bounds and
// never panic.
func TestVectorBounds(t *testing.T) {
	page := func(content string) []byte {
		return formats.PDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /F 5 0 R >> >> /Contents 4 0 R >>",
			formats.PDFStream("", []byte(content)),
			formats.PDFStream("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /F 5 0 R >> >>", []byte("/F Do /F Do 0 0 1 1 re f")),
		)
	}
	cases := map[string]string{
		"q without end":     strings.Repeat("q ", 100000) + strings.Repeat("0 0 1 1 re f ", 30),
		"Q without q":       strings.Repeat("Q ", 100000) + strings.Repeat("0 0 1 1 re f ", 30),
		"form draws itself": "/F Do " + strings.Repeat("0 0 1 1 re ", 30) + "f",
		"huge numbers":      strings.Repeat("1e999 99999999999999999999999999999999999999999 0 0 99999999999999999999999999 0 cm 0 0 1 1 re f ", 40),
		"one path, too many points": strings.Repeat("0 0 m 1 1 l ", 300000) + "f " +
			strings.Repeat("0 0 1 1 re f ", 30),
		"curves":       "0 0 m " + strings.Repeat("1 2 3 4 5 6 c ", 50000) + "f" + strings.Repeat(" 0 0 1 1 re f", 30),
		"inline image": "BI /W 4 /H 4 ID \x00re f\x00EI " + strings.Repeat("0 0 1 1 re f ", 30),
		"truncated":    strings.Repeat("0 0 1 1 re f ", 30) + "0 0 1",
		"zero scale":   "0 0 0 0 0 0 cm " + strings.Repeat("0 0 1 1 re f ", 30) + "0 0 m 1 1 2 2 3 3 c f",
		"nan":          "1e308 0 0 1e308 0 0 cm 1e308 0 0 1e308 0 0 cm " + strings.Repeat("0 0 1 1 re f ", 30),
		// A code-like grid of squares under one path of 90,000 tall edges:
		// every row crosses them all, until the message's time stops it.
		"many long edges": gridSquares(30) + strings.Repeat("0 -50 0.001 100 re ", 90000) + "f",
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ds, _, _ := pdfVectorDrawings(readPDF(page(c), ""), time.Now().Add(2*time.Second))
			for _, d := range ds {
				if len(d.img.Pix) > maxDrawnPixels {
					t.Errorf("a drawing of %d pixels", len(d.img.Pix))
				}
			}
		})
	}
}

// TestPathTokens: the pre-check counts operators, not bytes of text.
func TestPathTokens(t *testing.T) {
	for in, want := range map[string]int{
		"0 0 1 1 re f":         1,
		"(re m Do) Tj":         3, // inside a string too: it is only a bound
		"/rem /Dom 1 2 m":      1,
		"are mere Done":        0,
		"1 1 m\n2 2 re\r/X Do": 3,
		"":                     0,
		"q BI /W 1 ID x EI Q":  minModuleShapes, // an inline image is read as an image
		"/BI 1 1 m":            1,
	} {
		if got := pathTokens([]byte(in)); got != want {
			t.Errorf("pathTokens(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestPDFLexer: the tokens a content stream splits into.
func TestPDFLexer(t *testing.T) {
	lx := pdfLexer{b: []byte("q 1 0 0 -2.5 .5 4. cm /Na#6De (str (nested) \\) ) <41> << /K 1 >> [1 2] 0 d %comment re\nBI /W 1 ID xyEI z EI Q")}
	var got []string
	for {
		k, tok := lx.next()
		if k == tokEOF {
			break
		}
		if k == tokOp && string(tok) == "BI" {
			lx.inlineImage()
			got = append(got, "BI…")
			continue
		}
		got = append(got, fmt.Sprintf("%d:%s", k, tok))
	}
	want := "[3:q 1:1 1:0 1:0 1:-2.5 1:.5 1:4. 3:cm 2:Name 4: 4: 4: 2:K 1:1 4: 4: 1:1 1:2 4: 1:0 3:d BI… 3:Q]"
	if fmt.Sprint(got) != want {
		t.Errorf("got  %v\nwant %s", got, want)
	}
	for _, in := range []string{"(a)", "(a(b)c)", "(a\\)b)", "(a\\\\)", "(unterminated", "((", "(a\\"} {
		_, end := pdfLiteral([]byte(in+" x"), 0)
		if got := pdfsyntax.LiteralEnd([]byte(in+" x"), 0); got != end {
			t.Errorf("pdfsyntax.LiteralEnd(%q) = %d, pdfLiteral ends at %d", in, got, end)
		}
	}
	for in, want := range map[string]float64{"12": 12, "-3.5": -3.5, ".5": .5, "4.": 4, "+7": 7, "--2": -2, "x": 0, "1e5": 1} {
		if got := parsePDFNum([]byte(in)); got != want {
			t.Errorf("parsePDFNum(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestInlineImage: an inline image's dictionary is read in full names, and
// its data is as long as its size says when it is unfiltered (even when it
// holds " EI "), else up to the EI readers find.
func TestInlineImage(t *testing.T) {
	for _, c := range []struct{ in, dict, data, rest string }{
		{"BI /W 4 /H 2 /BPC 8 /CS /G ID\nab EI cdefgh\nEI Q", "<< /BitsPerComponent 8 /ColorSpace /DeviceGray /Height 2 /Width 4 >>", "ab EI cd", "Q"},
		{"BI /W 3 /H 3 /F [/A85 /Fl] /DP << /Predictor 12 >> /IM true /D [1 0] ID abcEI d EI Q", "<< /Decode [1 0] /DecodeParms << /Predictor 12 >> /Filter [/ASCII85Decode /FlateDecode] /Height 3 /ImageMask true /Width 3 >>", "abcEI d", "Q"},
		{"BI /W 3 /H 3 /CS /RGB /L 2 ID xyEI Q", "<< /ColorSpace /DeviceRGB /Height 3 /Length 2 /Width 3 >>", "xy", "Q"},
		{"BI /W 9 /H 9 /CS /G /BPC 8 ID short", "<< /BitsPerComponent 8 /ColorSpace /DeviceGray /Height 9 /Width 9 >>", "short", ""},
	} {
		lx := pdfLexer{b: []byte(c.in)}
		lx.next() // BI
		o := lx.inlineImage()
		if string(o.raw) != c.dict || string(o.data) != c.data || string(bytes.TrimSpace(lx.b[lx.i:])) != c.rest {
			t.Errorf("%q: got %s %q, then %q", c.in, o.raw, o.data, lx.b[lx.i:])
		}
	}
	lx := pdfLexer{b: []byte("BI /W 9 /H 9")}
	lx.next()
	if o := lx.inlineImage(); o.dict != nil || lx.i != len(lx.b) {
		t.Errorf("no ID: %v at %d", o.dict, lx.i)
	}
}

// FuzzVectorPDF: any content stream and form, drawn within the bounds,
// without a panic.
func FuzzVectorPDF(f *testing.F) {
	mods := formats.QRModules("https://a.example/x")
	for _, s := range formats.VectorStyles {
		f.Add(formats.VectorCodePDF(mods, s, "x"))
	}
	f.Add(formats.VectorHonest("chart"))
	f.Add(formats.PDF( // uncompressed: the fuzzer's changes reach the operators
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /XObject << /F 5 0 R >> /ColorSpace << /C [/Separation /Spot /DeviceCMYK 6 0 R] >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents [4 0 R 4 0 R] >>",
		formats.PDFStream("", []byte("q 2 0 0 2 9 9 cm /C cs 1 scn "+strings.Repeat("0 0 1 1 re 2 0 1 1 re f 0 2 m 1 2 l 1 3 l h f* ", 20)+"3 w 0 0 m 30 0 l S 1 0 0 1 5 5 cm /F Do Q")),
		formats.PDFStream("/Type /XObject /Subtype /Form /Matrix [0 1 -1 0 0 0]", []byte("0 0 1 rg 0 0 1 1 re f 0 0 m 1 1 2 2 3 3 c 4 4 5 5 v 6 6 7 7 y b")),
		"<< /FunctionType 2 /Domain [0 1] /N 1 >>",
	))
	f.Add(formats.VectorCodeUpdatePDF(mods, "x"))
	for _, s := range formats.PaintStyles {
		f.Add(formats.PaintCodePDF(mods, s, "x"))
	}
	f.Add(formats.PDF( // inline images, uncompressed, for the fuzzer to change
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
		formats.PDFStream("", []byte("q 9 0 0 9 0 0 cm BI /W 24 /H 24 /BPC 1 /IM true /D [1 0] ID\n"+strings.Repeat("\xF0\x0F\xAA", 24)+"\nEI Q "+
			"BI /W 22 /H 22 /CS /RGB /BPC 8 /F [/AHx /RL] /L 30 ID 8100ff> EI BI /W 30 /H 30 /CS /G /BPC 4 /DP << /Predictor 12 /Columns 30 >> /F /Fl ID xEI\x00EI")),
	))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, inline, _ := pdfVectorDrawings(readPDF(b, ""), time.Now().Add(2*time.Second))
		for _, d := range ds {
			if r := d.img.Rect; r.Dx()*r.Dy() > maxDrawnPixels || r.Min != (image.Point{}) {
				t.Fatalf("drawing %v", r)
			}
		}
		if len(inline) > maxPDFImages {
			t.Fatalf("%d inline images", len(inline))
		}
		budget := NewCodeBudget()
		for _, in := range inline {
			if im, _ := drawPDFImage(nil, in.o, "", budget); im.img != nil && len(im.img.Pix) > MaxCodePixels {
				t.Fatalf("an inline image of %d pixels", len(im.img.Pix))
			}
		}
	})
}

// TestPageContentsReadings: /Contents [a b c] is read joined, as pdf.js
// reads it, and, when a stream boundary cuts a token, also with each
// stream apart, as poppler and MuPDF read it.
func TestPageContentsReadings(t *testing.T) {
	objs := map[int]pdfObj{
		4: {dict: map[string]string{}, data: []byte("0 0 1 1 r")},
		5: {dict: map[string]string{}, data: []byte("e f 2 2 1 1 re f")},
		6: {dict: map[string]string{}, data: []byte(" 9 9 1 1 re f")},
		7: {dict: map[string]string{}, raw: []byte(" [4 0 R 6 0 R] ")},
	}
	got := pageContents(objs, pdfObj{dict: map[string]string{"Contents": "[4 0 R 5 0 R]"}})
	if len(got) != 2 || string(got[0]) != "0 0 1 1 re f 2 2 1 1 re f" || string(got[1]) != "0 0 1 1 r\ne f 2 2 1 1 re f" {
		t.Errorf("cut token: %q", got)
	}
	got = pageContents(objs, pdfObj{dict: map[string]string{"Contents": "7 0 R"}})
	if len(got) != 1 || string(got[0]) != "0 0 1 1 r 9 9 1 1 re f" {
		t.Errorf("indirect array: %q", got)
	}
}

// TestVectorCodesRewritten: the drawings as a real PDF writer stores
// them, rewritten by qpdf with object streams (the page and its
// resources inside a compressed object stream, a cross-reference stream)
// and its own Flate, and with every stream decompressed.
func TestVectorCodesRewritten(t *testing.T) {
	longCodeTime(t)
	qpdf, err := exec.LookPath("qpdf")
	if err != nil {
		t.Fatalf("qpdf not found (Debian package qpdf, installed by scripts/deps.sh test): %v", err)
	}
	mods := formats.QRModules(qrLure)
	dir := t.TempDir()
	for _, style := range []formats.VectorStyle{formats.VectorSquares, formats.VectorForm, formats.VectorBars} {
		for _, mode := range [][]string{{"--object-streams=generate", "--compress-streams=y", "--recompress-flate"}, {"--stream-data=uncompress"}} {
			name := style.String() + " " + mode[0]
			t.Run(name, func(t *testing.T) {
				in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
				if err := os.WriteFile(in, formats.VectorCodePDF(mods, style, "Scan to keep your mailbox"), 0o600); err != nil {
					t.Fatal(err)
				}
				if b, err := exec.Command(qpdf, append(mode, in, out)...).CombinedOutput(); err != nil {
					t.Fatalf("qpdf: %v: %s", err, b)
				}
				pdf, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				if mode[0] == "--object-streams=generate" && !bytes.Contains(pdf, []byte("/ObjStm")) {
					t.Fatal("qpdf wrote no object stream")
				}
				if hs, codes := codeHosts(&message.Part{Path: "2", Content: pdf}); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" {
					t.Errorf("got %v %q", hs, codes.Skipped)
				}
			})
		}
	}
}

// gridSquares is n unit squares along the bottom and n up the left side.
func gridSquares(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%d 0 1 1 re f 0 %d 1 1 re f ", i, i)
	}
	return b.String()
}

// TestPageOrder: pages are read in the page tree's order, so a code on
// the first page shown is read whatever its object number, and a long
// document costs its first maxVectorPages pages.
func TestPageOrder(t *testing.T) {
	objs := map[int]pdfObj{
		1: {dict: map[string]string{"Type": "/Catalog", "Pages": "2 0 R"}},
		2: {dict: map[string]string{"Type": "/Pages", "Kids": "[900 0 R 3 0 R]"}},
		3: {dict: map[string]string{"Type": "/Pages", "Kids": "4 0 R"}},
		4: {dict: map[string]string{}, raw: []byte("[10 0 R 11 0 R 2 0 R]")}, // an indirect array, and a loop back
		7: {dict: map[string]string{"Type": "/Page"}},                        // outside the tree
	}
	for n := 10; n < 40; n++ {
		if n != 11 {
			objs[n+100] = pdfObj{dict: map[string]string{"Type": "/Page"}}
		}
	}
	objs[10] = pdfObj{dict: map[string]string{"Type": "/Page"}}
	objs[11] = pdfObj{dict: map[string]string{"Type": "/Page"}}
	objs[900] = pdfObj{dict: map[string]string{"Type": "/Page"}}
	got := pageOrder(objs, maxVectorPages)
	if len(got) != maxVectorPages || fmt.Sprint(got[:4]) != "[900 10 11 7]" {
		t.Errorf("got %v", got)
	}
}

// renderPDF is the first page of pdf as poppler's pdftoppm renders it, a
// grey PNG at dpi: what a PDF viewer shows, for the tests that hold
// Kensa's reading of a page to it. Anything pdftoppm says fails the test.
func renderPDF(t *testing.T, pdf []byte, dpi int) []byte {
	t.Helper()
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Fatalf("pdftoppm not found (Debian package poppler-utils, installed by scripts/deps.sh test): %v", err)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "page.pdf"), filepath.Join(dir, "page")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(bin, "-r", strconv.Itoa(dpi), "-gray", "-png", "-singlefile", in, out).CombinedOutput(); err != nil || len(b) != 0 {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
	png, err := os.ReadFile(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	return png
}
