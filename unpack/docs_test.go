package unpack

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"github.com/kensa-milter/kensa/pdfsyntax"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"

	"github.com/kdomanski/iso9660"
)

// pdfWith builds a small PDF: a FlateDecode JavaScript stream, an open
// action, and an embedded file named in its file specification.
func pdfWith(js, file []byte, fileName string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	b.WriteString("1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R /Names << /EmbeddedFiles << /Names [(f) 6 0 R] >> >> >>\nendobj\n")
	b.WriteString("2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
	zjs := formats.ZlibDeflated(js)
	fmt.Fprintf(&b, "3 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n", len(zjs), zjs)
	b.WriteString("4 0 obj\n<< /Type /Action /S /JavaScript /JS 3 0 R >>\nendobj\n")
	zf := formats.ZlibDeflated(file)
	fmt.Fprintf(&b, "5 0 obj\n<< /Type /EmbeddedFile /Length %d /Filter [/FlateDecode] >>\nstream\r\n%s\r\nendstream\nendobj\n", len(zf), zf)
	fmt.Fprintf(&b, "6 0 obj\n<< /Type /Filespec /F (%s) /EF << /F 5 0 R >> >>\nendobj\n", fileName)
	b.WriteString("7 0 obj\n<< /Length 10 /Filter /DCTDecode /Subtype /Image >>\nstream\n\xFF\xD8\xFF\xE0 jpeg\nendstream\nendobj\n")
	b.WriteString("trailer\n<< /Root 1 0 R >>\n%%EOF\n")
	return b.Bytes()
}

func TestPDF(t *testing.T) {
	js := []byte(`app.launchURL("http://198.51.100.7/x"); var s = unescape("%u4141");`)
	inner := zipOf(t, entry{"a.txt", []byte(marker)})
	m := mail("", "", "x.pdf", pdfWith(js, inner, "invoice.zip"))
	expand(t, m, Options{})
	noProblems(t, m)
	s := mustPart(t, m, "2/x.pdf/streams")
	if !bytes.Contains(s.Content, js) {
		t.Errorf("decoded streams lack the JavaScript: %q", s.Content)
	}
	if bytes.Contains(s.Content, []byte("jpeg")) {
		t.Error("image stream should be left out")
	}
	mustPart(t, m, "2/x.pdf/invoice.zip")
	if p := mustPart(t, m, "2/x.pdf/invoice.zip/a.txt"); string(p.Content) != marker {
		t.Errorf("embedded zip member %q", p.Content)
	}
}

// The decoded streams are joined into one member, each after a line naming
// its object; streams that decode to nothing leave no line, and the pooled
// inflaters give each stream its own bytes.
func TestPDFStreamsJoined(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	obj := func(n int, data []byte, flate bool) {
		filter := ""
		if flate {
			data, filter = formats.ZlibDeflated(data), " /Filter /FlateDecode"
		}
		fmt.Fprintf(&b, "%d 0 obj\n<< /Length %d%s >>\nstream\n%s\nendstream\nendobj\n", n, len(data), filter, data)
	}
	obj(1, []byte("alpha stream"), true)
	obj(2, nil, true) // decodes to nothing
	obj(3, []byte("gamma stream"), false)
	obj(4, bytes.Repeat([]byte("delta "), 20000), true) // more than the first guess of its size
	obj(5, []byte("epsilon"), true)
	b.WriteString("trailer\n<< >>\n%%EOF\n")
	m := mail("", "", "x.pdf", b.Bytes())
	expand(t, m, Options{})
	noProblems(t, m)
	want := "\n% kensa: object 1\nalpha stream" + "\n% kensa: object 3\ngamma stream" +
		"\n% kensa: object 4\n" + strings.Repeat("delta ", 20000) + "\n% kensa: object 5\nepsilon"
	if got := string(mustPart(t, m, "2/x.pdf/streams").Content); got != want {
		t.Errorf("joined streams: %d bytes, want %d; start %q", len(got), len(want), got[:min(len(got), 120)])
	}
}

// The joined member is allocated once, from a guess that covers honest
// content streams (text deflates less than pdfExpansion times) and that a
// hostile PDF cannot inflate: a /Length of two billion is not read, and the
// guess stays within pdfExpansion times the PDF, the member size limit and
// what is left of the message's expansion budget.
func TestPDFJoinedSizeBounded(t *testing.T) {
	build := func(length string, streams int) []byte {
		var b bytes.Buffer
		b.WriteString("%PDF-1.7\n")
		rnd := uint32(1)
		for n := 1; n <= streams; n++ {
			text := make([]byte, 3000) // hex of noise: deflates about twice
			for i := range text {
				rnd = rnd*1664525 + 1013904223
				text[i] = "0123456789abcdef"[rnd>>28]
			}
			z := formats.ZlibDeflated(text)
			l := length
			if l == "" {
				l = fmt.Sprint(len(z))
			}
			fmt.Fprintf(&b, "%d 0 obj\n<< /Length %s /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n", n, l, z)
			fmt.Fprintf(&b, "%d 0 obj\n<< /Length 3 >>\nstream\nabc\nendstream\nendobj\n", n+streams)
		}
		b.WriteString("trailer\n<< >>\n%%EOF\n")
		return b.Bytes()
	}
	guess := func(pdf []byte, lim Limits, spent int64) int {
		m := mail("", "", "x.pdf", pdf)
		w := newWalker(context.Background(), m, lim, nil)
		w.total = spent
		c := &container{w: w, part: m.Parts[len(m.Parts)-1]}
		return c.pdfJoinedSize(pdfObjects(pdfsyntax.Objects(pdf, maxPDFStreams*2)), nil)
	}

	honest := build("", 60)
	m := mail("", "", "x.pdf", honest)
	expand(t, m, Options{})
	noProblems(t, m)
	joined := len(mustPart(t, m, "2/x.pdf/streams").Content)
	if g := guess(honest, DefaultLimits(), 0); g < joined || g > pdfExpansion*len(honest) {
		t.Errorf("guess %d for %d joined bytes of a %d-byte PDF: want at least the joined size, at most %dx the PDF", g, joined, len(honest), pdfExpansion)
	}

	hostile := build("2000000000", 60)
	if g := guess(hostile, DefaultLimits(), 0); g > pdfExpansion*len(hostile) {
		t.Errorf("a /Length of 2000000000 made the guess %d for a %d-byte PDF", g, len(hostile))
	}
	lim := DefaultLimits()
	lim.MaxMemberBytes = 50000
	if g := guess(honest, lim, 0); g > 50000 {
		t.Errorf("guess %d above the member limit 50000", g)
	}
	lim = DefaultLimits()
	lim.MaxTotalBytes = 100000
	if g := guess(honest, lim, 70000); g > 30000 {
		t.Errorf("guess %d above the 30000 bytes left of the message's budget", g)
	}
	if g := guess(honest, lim, lim.MaxTotalBytes); g != 0 {
		t.Errorf("guess %d with the message's budget spent", g)
	}
}

func TestRTFObjects(t *testing.T) {
	payload := []byte("MZ fake executable header, harmless")
	pkg := []byte{2, 0}
	pkg = append(pkg, "run.exe\x00C:\\run.exe\x00"...)
	pkg = append(pkg, 0, 0, 3, 0)
	pkg = binary.LittleEndian.AppendUint32(pkg, 11)
	pkg = append(pkg, "C:\\run.exe\x00"...)
	pkg = binary.LittleEndian.AppendUint32(pkg, uint32(len(payload)))
	pkg = append(pkg, payload...)
	ole1obj := func(class string, native []byte) []byte {
		b := []byte{1, 5, 0, 0, 2, 0, 0, 0}
		b = binary.LittleEndian.AppendUint32(b, uint32(len(class)+1))
		b = append(b, class+"\x00"...)
		b = append(b, 0, 0, 0, 0, 0, 0, 0, 0) // empty topic and item
		b = binary.LittleEndian.AppendUint32(b, uint32(len(native)))
		return append(b, native...)
	}
	hexed := func(b []byte) string {
		h := hex.EncodeToString(b)
		var s strings.Builder
		for i := 0; i < len(h); i += 64 { // lines, as Word writes them
			s.WriteString(h[i:min(i+64, len(h))] + "\r\n")
		}
		return s.String()
	}
	doc := macroProject()
	rtf := `{\rtf1\ansi{\object\objemb{\*\objclass Package}{\*\objdata ` + hexed(ole1obj("Package", pkg)) + `}}` +
		`{\object\objemb{\*\objdata ` + hexed(ole1obj("Word.Document.8", doc)) + `}}}`
	m := mail("", "", "x.rtf", []byte(rtf))
	expand(t, m, Options{})
	noProblems(t, m)
	if p := mustPart(t, m, "2/x.rtf/object1.bin/run.exe"); !bytes.Equal(p.Content, payload) {
		t.Errorf("package payload %q", p.Content)
	}
	if !mustPart(t, m, "2/x.rtf/object1.bin").Container {
		t.Error("package object holding run.exe not marked Container")
	}
	if p := mustPart(t, m, "2/x.rtf/object2.Word.Document.8.bin/vba/Module1"); string(p.Content) != macro {
		t.Errorf("embedded document macro %q", p.Content)
	}
}

func TestOneNote(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(oneNoteFileGUID)
	b.Write(make([]byte, 100))
	for _, f := range []string{"MZ fake executable, harmless", "<script>var x = 1</script>"} {
		b.WriteString(oneNoteStoreGUID)
		binary.Write(&b, binary.LittleEndian, uint64(len(f)))
		b.Write(make([]byte, 12))
		b.WriteString(f)
		b.Write(make([]byte, 8))
	}
	m := mail("", "", "x.one", b.Bytes())
	expand(t, m, Options{})
	noProblems(t, m)
	if p := mustPart(t, m, "2/x.one/embedded-1"); string(p.Content) != "MZ fake executable, harmless" {
		t.Errorf("embedded-1 = %q", p.Content)
	}
	mustPart(t, m, "2/x.one/embedded-2")
}

// TestOneNoteNames: embedded files carry the EmbeddedFileName OneNote shows
// and opens them by; a name in page text is not one.
func TestOneNoteNames(t *testing.T) {
	script := []byte("var total = 42;")
	one := func(text string, files ...formats.OneNoteFile) *message.Message {
		m := mail("", "", "x.one", formats.OneNote(text, files...))
		expand(t, m, Options{})
		noProblems(t, m)
		return m
	}
	t.Run("sole", func(t *testing.T) {
		m := one("Double-click to open", formats.OneNoteFile{Name: "open.hta", Data: script})
		if p := mustPart(t, m, "2/x.one/open.hta"); p.Filename != "open.hta" || string(p.Content) != string(script) || len(p.AltNames) != 0 {
			t.Errorf("Filename %q AltNames %q content %q\n%s", p.Filename, p.AltNames, p.Content, dump(m))
		}
	})
	t.Run("one each", func(t *testing.T) {
		m := one("", formats.OneNoteFile{Name: "report.pdf", Data: []byte("%PDF-1.4")}, formats.OneNoteFile{Name: "scan.wsf", Data: script})
		for path, data := range map[string]string{"2/x.one/report.pdf": "%PDF-1.4", "2/x.one/scan.wsf": string(script)} {
			if p := mustPart(t, m, path); string(p.Content) != data || len(p.AltNames) != 0 {
				t.Errorf("%s: content %q AltNames %q\n%s", path, p.Content, p.AltNames, dump(m))
			}
		}
	})
	t.Run("unpaired", func(t *testing.T) {
		// Two names, one of them without data: the file carries both.
		b := formats.OneNote("", formats.OneNoteFile{Name: "report.pdf", Data: []byte("%PDF-1.4")}, formats.OneNoteFile{Name: "scan \u202Efdp.wsf"})
		b = b[:len(b)-16-20-8] // drop the second FileDataStoreObject
		m := mail("", "", "x.one", b)
		expand(t, m, Options{})
		noProblems(t, m)
		if p := mustPart(t, m, "2/x.one/report.pdf"); !slices.Equal(p.AltNames, []string{"scan \u202Efdp.wsf"}) {
			t.Errorf("AltNames %q\n%s", p.AltNames, dump(m))
		}
	})
	t.Run("no file data", func(t *testing.T) {
		// Names without FileDataStoreObjects (and no packaging): empty
		// members carry the names, and the unread data is
		// unsupported-container.
		m := mail("", "", "x.one", formats.OneNote("", formats.OneNoteFile{Name: "open.hta", Data: script, Unstored: true}))
		expand(t, m, Options{})
		mustProblem(t, m, ReasonUnsupported, "2")
		if p := mustPart(t, m, "2/x.one/open.hta"); len(p.Content) != 0 {
			t.Errorf("content %q", p.Content)
		}
	})
	t.Run("page text", func(t *testing.T) {
		m := one("run setup.exe", formats.OneNoteFile{Data: script})
		if p := mustPart(t, m, "2/x.one/embedded-1"); len(p.AltNames) != 0 {
			t.Errorf("AltNames %q from page text", p.AltNames)
		}
	})
	t.Run("cut", func(t *testing.T) {
		b := formats.OneNote("", formats.OneNoteFile{Name: "open.hta", Data: script})
		// A name whose length runs past the file is no name: the set
		// declares 0x7fff bytes.
		i := bytes.Index(b, []byte("\x9C\x1D\x00\x1C"))
		binary.LittleEndian.PutUint32(b[i+8:], 0x7fff)
		if names, complete := oneNoteNames(b); len(names) != 0 || !complete {
			t.Errorf("names %q (complete %v) from a cut set", names, complete)
		}
		// IDs everywhere spend the budget: the file says it was not read.
		if names, complete := oneNoteNames(bytes.Repeat([]byte("\x01\x00\x9C\x1D\x00\x1C"), 1<<16)); len(names) != 0 || complete {
			t.Errorf("names %q (complete %v) from repeated IDs", names, complete)
		}
	})
	t.Run("too many", func(t *testing.T) {
		// 17 decoy names push a script's name past the 16 AltNames a
		// part carries: unscannable, never silently dropped.
		var files []formats.OneNoteFile
		for i := range 17 {
			files = append(files, formats.OneNoteFile{Name: fmt.Sprintf("photo%d.jpg", i), Unstored: true})
		}
		files = append(files, formats.OneNoteFile{Name: "open.hta", Data: script})
		m := mail("", "", "x.one", formats.OneNote("", files...))
		expand(t, m, Options{})
		mustProblem(t, m, ReasonUnsupported, "2")
	})
}

func isoOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	w, err := iso9660.NewWriter()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Cleanup()
	for name, data := range files {
		if err := w.AddFile(bytes.NewReader(data), name); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := w.WriteTo(&b, "TEST"); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestISO(t *testing.T) {
	img := isoOf(t, map[string][]byte{"docs/run.js": []byte("WScript.Shell"), "a.zip": zipOf(t, entry{"m.txt", []byte(marker)})})
	m := mail("", "", "x.iso", img)
	expand(t, m, Options{})
	noProblems(t, m)
	var js, inner bool
	for _, p := range m.Parts {
		l := strings.ToLower(p.Path)
		js = js || strings.HasPrefix(l, "2/x.iso/docs/run.js") && string(p.Content) == "WScript.Shell"
		inner = inner || strings.HasSuffix(l, "/m.txt") && string(p.Content) == marker
	}
	if !js || !inner {
		t.Errorf("ISO members missing (js %v, zip member %v):\n%s", js, inner, dump(m))
	}
}

// A file with a VHD footer or a VHDX identifier and nothing a disk needs
// is corrupt-archive, never an empty disk.
func TestDiskStubsAreCorrupt(t *testing.T) {
	vhd := append(make([]byte, 4096), append([]byte("conectix"), make([]byte, 504)...)...)
	for name, b := range map[string][]byte{"x.vhd": vhd, "x.vhdx": append([]byte("vhdxfile"), make([]byte, 100)...)} {
		m := mail("", "", name, b)
		expand(t, m, Options{})
		mustProblem(t, m, ReasonCorrupt, "2")
	}
}
