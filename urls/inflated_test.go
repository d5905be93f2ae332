package urls_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
	"github.com/kensa-milter/kensa/urls"
)

// The code search takes the PDF streams unpack inflated (message.Part's
// Inflated) instead of inflating them again. These tests hold it to what
// it read before: every object and every stream the code search reads of
// a PDF, at several limits, and every code it finds, are the same with
// and without unpack's streams, on the corpus's PDFs and on PDFs damaged,
// cut, encrypted and written with every filter trick unpack and the code
// search read differently.

// streamLimits are the limits pdfStreamBytes is read at: the code search's
// own (a page's content, 32 MiB) and smaller ones, which cut streams.
var streamLimits = []int{0, 1, 7, 100, 4096, 32 << 20}

// sameReading fails the test when the code search reads p differently with
// unpack's streams than without; it returns how many it took from unpack.
func sameReading(t *testing.T, name string, p *message.Part) int {
	t.Helper()
	content := bytes.Clone(p.Content)
	with, without, reused := urls.PDFStreamReadings(p, streamLimits)
	if len(with) != len(without) {
		t.Errorf("%s: %d readings with unpack's streams, %d without", name, len(with), len(without))
		return reused
	}
	for i := range with {
		if !bytes.Equal(with[i], without[i]) || (with[i] == nil) != (without[i] == nil) {
			t.Errorf("%s: reading %d differs: with unpack's streams %d bytes %.40q, without %d bytes %.40q",
				name, i, len(with[i]), with[i], len(without[i]), without[i])
		}
	}
	got := urls.CodeURLs(p, urls.NewCodeBudget())
	twin := *p
	twin.Inflated = nil
	if want := urls.CodeURLs(&twin, urls.NewCodeBudget()); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: codes with unpack's streams %+v, without %+v", name, got, want)
	}
	if !bytes.Equal(content, p.Content) {
		t.Errorf("%s: reading the PDF changed its bytes", name)
	}
	return reused
}

// expandPDF is the PDF part of a message holding pdf (and body, a text part
// before it, when not empty), expanded as the engine expands it.
func expandPDF(pdf []byte, body string) *message.Part {
	p := &message.Part{Path: "2", Filename: "report.pdf", DeclaredType: "application/pdf", DetectedType: filetype.Detect(pdf), Content: pdf}
	m := &message.Message{Parts: []*message.Part{{Path: "1", DeclaredType: "text/plain", Content: []byte(body)}, p}}
	unpack.Expand(context.Background(), m, unpack.Options{})
	return p
}

// corpusPDFs is every PDF part of the committed corpus's mails, expanded
// as the engine expands them.
func corpusPDFs(t *testing.T) []*message.Part {
	t.Helper()
	files, _ := filepath.Glob("../testdata/corpus/*/*.eml")
	if len(files) == 0 {
		t.Fatal("no corpus mails in ../testdata/corpus: go run ./testdata/gen")
	}
	var pdfs []*message.Part
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := message.Parse(raw)
		if err != nil {
			continue
		}
		unpack.Expand(context.Background(), m, unpack.Options{})
		for _, p := range m.Parts {
			if p.DetectedType == "application/pdf" {
				p.Path = filepath.Base(f) + " " + p.Path
				pdfs = append(pdfs, p)
			}
		}
	}
	return pdfs
}

func TestInflatedCorpusPDFs(t *testing.T) {
	urls.LongCodeTime(t)
	pdfs, reused := corpusPDFs(t), 0
	for _, p := range pdfs {
		reused += sameReading(t, p.Path, p)
	}
	if len(pdfs) < 20 || reused < 20 {
		t.Errorf("%d PDFs in the corpus, %d streams taken from unpack: the comparison compared nearly nothing", len(pdfs), reused)
	}
	t.Logf("%d corpus PDFs, %d streams taken from unpack", len(pdfs), reused)
}

// trickPDF has a stream of every kind unpack and the code search might
// read apart: what each reader gives must stay its own.
func trickPDF() []byte {
	page := func(s string) []byte {
		return []byte("q 1 0 0 1 10 10 cm 0 0 5 5 re f 5 5 5 5 re f /Fm1 Do Q BT /F1 10 Tf 50 740 Td (" + s + ") Tj ET\n")
	}
	rows := func(b []byte) []byte { // whole rows of 8 bytes, for /Columns 8
		return append(b, bytes.Repeat([]byte(" "), (8-len(b)%8)%8)...)
	}
	deflated := formats.ZlibDeflated(page("deflated"))
	badSum := formats.Zlib(page("bad checksum"))
	badSum[len(badSum)-1] ^= 0xFF
	cut := formats.ZlibDeflated(bytes.Repeat(page("cut short"), 20))
	cut = cut[:len(cut)*2/3]
	long := formats.ZlibDeflated(page("length too long"))
	contents := []string{
		formats.PDFStream("/Filter /FlateDecode", formats.Zlib(page("stored blocks"))),
		formats.PDFStream("/Filter /FlateDecode", deflated),
		formats.PDFStream("/Filter /Fl /DecodeParms << /Predictor 1 >>", formats.ZlibDeflated(page("predictor one"))),
		formats.PDFStream("/Filter [/FlateDecode /FlateDecode]", formats.ZlibDeflated(formats.ZlibDeflated(page("twice")))),
		formats.PDFStream("/Filter [/FlateDecode /FlateDecode]", formats.Zlib(formats.ZlibDeflated(bytes.Repeat(page("twice, cut by the limits"), 40)))),
		formats.PDFStream("/Filter [/ASCIIHexDecode /FlateDecode]", formats.ASCIIHex(formats.ZlibDeflated(page("hex")))),
		formats.PDFStream("/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 8 >>", formats.ZlibDeflated(formats.PNGUp(rows(page("predicted")), 8))),
		formats.PDFStream("/Filter /FlateDecode /DecodeParms 6 0 R", formats.ZlibDeflated(formats.PNGUp(rows(page("parms by reference")), 8))),
		formats.PDFStream("/Filter 7 0 R", formats.ZlibDeflated(page("filter by reference"))),
		formats.PDFStream("/Filter /FlateDecode", formats.StoredDeflate(page("raw deflate, no zlib header"))),
		formats.PDFStream("/Filter /FlateDecode", badSum),
		formats.PDFStream("/Filter /FlateDecode", cut),
		formats.PDFStream("/Filter /FlateDecode", formats.ZlibDeflated(nil)),
		formats.PDFStream("/Filter /FlateDecode", []byte("not zlib at all")),
		formats.PDFStream("/Filter /LZWDecode", formats.LZW(page("lzw"), true)),
		formats.PDFStream("/Filter /FlateDecode /Length 9", formats.ZlibDeflated(page("length too short"))), // a second /Length, the first wins
		strings.Replace(formats.PDFStream("/Filter /FlateDecode", long), fmt.Sprintf("/Length %d", len(long)), fmt.Sprintf("/Length %d", len(long)+1), 1),
		strings.Replace(formats.PDFStream("/Filter /FlateDecode", deflated), fmt.Sprintf("/Length %d", len(deflated)), "/Length 8 0 R", 1),
		formats.PDFStream("/Filter /FlateDecode", append(bytes.Clone(deflated), "\r\ntrailing bytes"...)),
	}
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		formats.PDFStream("/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Filter /FlateDecode", formats.ZlibDeflated([]byte("0 0 1 1 re f 2 2 1 1 re f"))),
		formats.PDFStream("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", formats.ZlibDeflated([]byte{0, 255, 255, 0})),
		"<< /Predictor 12 /Columns 8 >>", "/FlateDecode", strconv.Itoa(len(deflated)), // objects 6 to 8, by reference
		// Unfiltered pixels, fewer than its size: the rest is drawn white,
		// never written over the bytes after them.
		formats.PDFStream("/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte("short")),
	}
	var kids []string
	for _, c := range contents {
		objs = append(objs, c, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /Fm1 4 0 R /Im1 5 0 R >> >> /Contents %d 0 R >>", len(objs)+1))
		kids = append(kids, fmt.Sprintf("%d 0 R", len(objs)))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	pdf := formats.PDF(objs...)
	// An incremental update gives the first page new content.
	update := fmt.Sprintf("10 0 obj\n%s\nendobj\n", formats.PDFStream("/Filter /FlateDecode", formats.ZlibDeflated(page("updated"))))
	return append(pdf, update...)
}

// objStm is an object stream (/Type /ObjStm, deflated) holding objs, each
// "N 0 obj" for N in nums.
func objStm(nums []int, objs []string) string {
	var head, body strings.Builder
	for i, o := range objs {
		fmt.Fprintf(&head, "%d %d ", nums[i], body.Len())
		body.WriteString(o + "\n")
	}
	data := head.String() + body.String()
	return formats.PDFStream(fmt.Sprintf("/Type /ObjStm /N %d /First %d /Filter /FlateDecode", len(objs), head.Len()), formats.ZlibDeflated([]byte(data)))
}

func TestInflatedTricksAndDamage(t *testing.T) {
	urls.LongCodeTime(t)
	plain := trickPDF()
	// A report of two pages, written plain, with its pages in an object
	// stream, and encrypted by the corpus's writer.
	page1 := "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>"
	page2 := "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents [7 0 R 8 0 R] >>"
	report := func(page1, page2 string, more ...string) []string {
		kids := "[4 0 R 6 0 R]"
		if len(more) > 0 {
			kids = "[10 0 R 11 0 R]" // in the object stream
		}
		return append([]string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids " + kids + " /Count 2 >>",
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", page1,
			formats.PDFStream("/Filter /FlateDecode", formats.ZlibDeflated([]byte("BT /F1 10 Tf 50 740 Td (first page) Tj ET 0 0 5 5 re f"))),
			page2,
			formats.PDFStream("/Filter /FlateDecode", formats.ZlibDeflated([]byte("BT /F1 10 Tf 50 740 Td (second) Tj"))),
			formats.PDFStream("/Filter /FlateDecode", formats.ZlibDeflated([]byte("ET 1 1 5 5 re f")))}, more...)
	}
	inStm := report("null", "null", objStm([]int{10, 11}, []string{page1, page2}))
	type variant struct {
		name, body string
		pdf        []byte
	}
	variants := []variant{
		{"tricks", "", plain},
		{"report", "", formats.PDF(report(page1, page2)...)},
		{"object streams", "", formats.PDF(inStm...)},
		{"RC4-128, empty password", "", formats.EncryptPDF(formats.PDFRC4128, "", report(page1, page2)...)},
		{"AES-256, empty password, object streams", "", formats.EncryptPDF(formats.PDFAES256R6, "", inStm...)},
		{"AES-256, password in the body", "The password is: Kensa2026", formats.EncryptPDF(formats.PDFAES256R6, "Kensa2026", report(page1, page2)...)},
		{"RC4-128, password in the body", "Password: Kensa2026", formats.EncryptPDF(formats.PDFRC4128, "Kensa2026", inStm...)},
	}
	reused := map[string]int{}
	unlocked := map[string]string{}
	for _, v := range variants {
		p := expandPDF(v.pdf, v.body)
		unlocked[v.name] = p.UnlockedBy
		reused[v.name] = sameReading(t, v.name, p)
		// Cut short and damaged: every tenth of the file, and a byte
		// changed at each of forty places.
		for i := 1; i < 10; i++ {
			n := len(v.pdf) * i / 10
			sameReading(t, fmt.Sprintf("%s cut at %d", v.name, n), expandPDF(v.pdf[:n], v.body))
		}
		for i := 0; i < 40; i++ {
			at := len(v.pdf) * i / 40
			for _, x := range []byte{0x01, 0x80, 0xFF} {
				b := bytes.Clone(v.pdf)
				b[at] ^= x
				sameReading(t, fmt.Sprintf("%s byte %d ^ %#x", v.name, at, x), expandPDF(b, v.body))
			}
		}
	}
	// What may be taken is taken; what unpack read otherwise (raw deflate,
	// another password) is not.
	for name, min := range map[string]int{"tricks": 5, "report": 3, "object streams": 4, "RC4-128, empty password": 3,
		"AES-256, empty password, object streams": 4} {
		if reused[name] < min {
			t.Errorf("%s: %d streams taken from unpack, want at least %d", name, reused[name], min)
		}
	}
	for _, name := range []string{"AES-256, password in the body", "RC4-128, password in the body"} {
		if unlocked[name] == "" || reused[name] != 0 {
			t.Errorf("%s: unlocked by %q, %d streams taken from unpack: the code search opens it with the empty password alone", name, unlocked[name], reused[name])
		}
	}
	t.Logf("streams taken from unpack: %v", reused)
}
