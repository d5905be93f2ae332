package unpack

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// noise is n bytes that do not compress (a photograph's, a packed file's).
func noise(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// checkRepeats fails unless every range p records equals bytes of one of
// its members, and returns how many bytes of each member the ranges cover.
func checkRepeats(t *testing.T, m *message.Message, p *message.Part) map[string]int {
	t.Helper()
	covered := map[string]int{}
	for _, s := range p.Repeated {
		if s.Off < 0 || s.Len < minRepeat || s.Off+s.Len > len(p.Content) {
			t.Fatalf("%s: range %+v outside its %d bytes", p.Path, s, len(p.Content))
		}
		got := p.Content[s.Off : s.Off+s.Len]
		found := ""
		for _, q := range m.Parts {
			if strings.HasPrefix(q.Path, p.Path+"/") && bytes.Contains(q.Content, got) { // the first such member: two may have the same bytes
				found = q.Path
				break
			}
		}
		if found == "" {
			t.Fatalf("%s: range %+v is no member's bytes", p.Path, s)
		}
		covered[found] += s.Len
	}
	return covered
}

// A zip's members that lie in it as they are, stored or in deflate's stored
// blocks, are recorded as the container's repeated ranges, as the archivers
// people use write them; members that compress are not.
func TestRepeatsAsArchiversWrite(t *testing.T) {
	photo := noise(1, 300_000) // incompressible: deflate writes stored blocks
	text := bytes.Repeat([]byte("Quarterly figures, nothing stored as it is. "), 5000)
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"photo.jpg": photo, "notes.txt": text})
	py := `import zipfile, sys
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.write("photo.jpg", compress_type=zipfile.ZIP_DEFLATED)
    z.write("notes.txt", compress_type=zipfile.ZIP_DEFLATED)
    z.write("photo.jpg", "stored.jpg", compress_type=zipfile.ZIP_STORED)
`
	archivers := map[string][]string{
		"info-zip": {toolNeeded(t, "zip"), "-q", "-X", "out.zip", "photo.jpg", "notes.txt"},
		"7-zip":    {toolNeeded(t, "7zz"), "a", "-tzip", "-mx=5", "out.zip", "photo.jpg", "notes.txt"},
		"python":   {toolNeeded(t, "python3"), "-c", py, "out.zip"},
	}
	for name, args := range archivers {
		t.Run(name, func(t *testing.T) {
			os.Remove(filepath.Join(dir, "out.zip"))
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out)
			}
			archive, err := os.ReadFile(filepath.Join(dir, "out.zip"))
			if err != nil {
				t.Fatal(err)
			}
			m := mail("s", "b", "a.zip", archive)
			expand(t, m, Options{})
			noProblems(t, m)
			covered := checkRepeats(t, m, mustPart(t, m, "2"))
			// Deflate's stored blocks hold all but their headers' bytes
			// (a few per 16 or 64 KiB); the blocks shorter than minRepeat
			// are left out.
			photos := 1
			if name == "python" { // stored.jpg: the photo stored, all of it
				photos = 2
			}
			if got := covered["2/a.zip/photo.jpg"]; got < photos*(len(photo)-2*minRepeat) {
				t.Errorf("photo.jpg: %d of %d bytes recorded as repeated", got, photos*len(photo))
			}
			if got := covered["2/a.zip/notes.txt"]; got != 0 {
				t.Errorf("notes.txt compresses, yet %d bytes recorded", got)
			}
		})
	}
}

// Archives that do not compress hold every member as it is: tar, cpio and
// ISO images, as the tools people use write them, have each member's bytes
// recorded as repeated, all of them.
func TestRepeatsAsIs(t *testing.T) {
	photo := noise(10, 300_000)
	doc := noise(11, 70_000)
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"photo.jpg": photo, "doc.pdf": doc, "note.txt": []byte("short, not worth a range")})
	files := []string{"photo.jpg", "doc.pdf", "note.txt"}
	archivers := map[string][]string{
		"gnu-tar":     append([]string{toolNeeded(t, "tar"), "-cf", "out"}, files...),
		"bsdtar-pax":  append([]string{toolNeeded(t, "bsdtar"), "--format", "pax", "-cf", "out"}, files...),
		"bsdtar-cpio": append([]string{toolNeeded(t, "bsdtar"), "--format", "newc", "-cf", "out"}, files...),
		"bsdtar-odc":  append([]string{toolNeeded(t, "bsdtar"), "--format", "odc", "-cf", "out"}, files...),
		"bsdtar-iso":  append([]string{toolNeeded(t, "bsdtar"), "--format", "iso9660", "-cf", "out"}, files...),
	}
	for name, args := range archivers {
		t.Run(name, func(t *testing.T) {
			os.Remove(filepath.Join(dir, "out"))
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out)
			}
			archive, err := os.ReadFile(filepath.Join(dir, "out"))
			if err != nil {
				t.Fatal(err)
			}
			m := mail("s", "b", "a.bin", archive)
			expand(t, m, Options{})
			noProblems(t, m)
			covered := checkRepeats(t, m, mustPart(t, m, "2"))
			for member, want := range map[string]int{"photo.jpg": len(photo), "doc.pdf": len(doc), "note.txt": 0} {
				if got := covered["2/a.bin/"+member]; got != want {
					t.Errorf("%s: %d bytes recorded, want %d (%v)", member, got, want, covered)
				}
			}
		})
	}
}

// A PDF's streams that are stored as they are (no filter: XMP metadata, the
// pages of a writer that does not compress, here qpdf's uncompressed copy)
// lie in the PDF as they are in its joined streams member: recorded as
// repeated, all of them; deflated ones are not.
func TestRepeatsPDFStreams(t *testing.T) {
	page := strings.Repeat("BT /F1 12 Tf 72 700 Td (Quarterly figures, nothing to see) Tj ET\n", 60)
	xmp := "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">" + strings.Repeat(" ", 3000) + "</x:xmpmeta>"
	pdf := formats.PDF("<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		formats.PDFFlate("", page),
		formats.PDFStream("/Type /Metadata /Subtype /XML", []byte(xmp)))
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"in.pdf": pdf})
	cmd := exec.Command(toolNeeded(t, "qpdf"), "--stream-data=uncompress", "--object-streams=disable", "in.pdf", "out.pdf")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v\n%s", err, out)
	}
	plain, err := os.ReadFile(filepath.Join(dir, "out.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		pdf  []byte
		want int
	}{"written": {pdf, len(xmp)}, "qpdf uncompressed": {plain, len(xmp) + len(page)}} {
		m := mail("s", "b", "a.pdf", c.pdf)
		expand(t, m, Options{})
		noProblems(t, m)
		// A stream's last end of line may be taken as the one before
		// "endstream", not data.
		if got := checkRepeats(t, m, mustPart(t, m, "2"))["2/a.pdf/streams"]; got > c.want || got < c.want-2 {
			t.Errorf("%s: %d bytes recorded, want %d", name, got, c.want)
		}
	}
}

// A rar's stored members are found in it and recorded, RAR 4 and RAR 5
// (as 7-Zip extracts them: the writers are held to 7zz in formats' tests).
func TestRepeatsRarStored(t *testing.T) {
	photo := noise(12, 300_000)
	doc := noise(13, 70_000)
	files := []formats.File{{Name: "photo.jpg", Data: photo}, {Name: "doc.pdf", Data: doc}, {Name: "note.txt", Data: []byte("short")}}
	for name, archive := range map[string][]byte{"rar4": formats.RAR4(files...), "rar5": formats.RAR5(files...)} {
		m := mail("s", "b", "a.rar", archive)
		expand(t, m, Options{})
		noProblems(t, m)
		covered := checkRepeats(t, m, mustPart(t, m, "2"))
		for member, want := range map[string]int{"photo.jpg": len(photo), "doc.pdf": len(doc), "note.txt": 0} {
			if got := covered["2/a.rar/"+member]; got != want {
				t.Errorf("%s: %s: %d bytes recorded, want %d (%v)", name, member, got, want, covered)
			}
		}
	}
}

// The ranges inside a document in a zip are the document's own: an Office
// file's picture is repeated in the document, and the document (in stored
// blocks) in the zip.
func TestRepeatsNested(t *testing.T) {
	photo := noise(2, 100_000)
	docx := formats.ArchiveZip(true, formats.ZipEntry{Name: "[Content_Types].xml", Data: []byte(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)},
		formats.ZipEntry{Name: "word/media/image1.jpeg", Data: photo})
	outer := formats.ArchiveZip(false, formats.ZipEntry{Name: "letter.docx", Data: docx})
	m := mail("s", "b", "a.zip", outer)
	expand(t, m, Options{})
	if got := checkRepeats(t, m, mustPart(t, m, "2"))["2/a.zip/letter.docx"]; got != len(docx) {
		t.Errorf("stored letter.docx: %d of %d bytes recorded", got, len(docx))
	}
	inner := mustPart(t, m, "2/a.zip/letter.docx")
	if got := checkRepeats(t, m, inner)["2/a.zip/letter.docx/word/media/image1.jpeg"]; got < len(photo)-2*minRepeat {
		t.Errorf("image1.jpeg: %d of %d bytes recorded", got, len(photo))
	}
}

// storedBlocks records only bytes equal to the content, whatever the data
// claims: a header that lies about its length, blocks of another member,
// deflate data made of fake stored-block headers. And however the data is
// made, it reads a bounded amount of the content.
func TestStoredBlocksChecked(t *testing.T) {
	content := noise(3, 200_000)
	block := func(final bool, data []byte) []byte {
		h := []byte{0, 0, 0, 0, 0}
		if final {
			h[0] = 1
		}
		binary.LittleEndian.PutUint16(h[1:], uint16(len(data)))
		binary.LittleEndian.PutUint16(h[3:], ^uint16(len(data)))
		return append(h, data...)
	}
	var real []byte
	for off := 0; off < len(content); off += 60_000 {
		end := min(off+60_000, len(content))
		real = append(real, block(end == len(content), content[off:end])...)
	}
	spans := storedBlocks(real, 100, content)
	total := 0
	for _, s := range spans {
		total += s.Len
	}
	if total != len(content) {
		t.Errorf("real stored blocks: %d of %d bytes recorded (%v)", total, len(content), spans)
	}

	// Blocks of other bytes, a header longer than its data, a block whose
	// bytes differ from the content's in its last byte.
	other := noise(4, 50_000)
	bent := bytes.Clone(content[:40_000])
	bent[len(bent)-1] ^= 1
	long := block(false, content[:5000])
	binary.LittleEndian.PutUint16(long[1:], 9000)
	binary.LittleEndian.PutUint16(long[3:], ^uint16(9000))
	for name, z := range map[string][]byte{
		"other bytes": block(true, other),
		"long header": long,
		"bent block":  block(true, bent),
	} {
		if spans := storedBlocks(z, 0, content); len(spans) != 0 {
			t.Errorf("%s: recorded %v", name, spans)
		}
	}

	// What a real deflater writes for data that does not compress decodes
	// to the content, and what is recorded is that content's bytes.
	var w bytes.Buffer
	fw, _ := flate.NewWriter(&w, flate.BestSpeed)
	fw.Write(content)
	fw.Close()
	for _, s := range storedBlocks(w.Bytes(), 0, content) {
		if !bytes.Contains(content, w.Bytes()[s.Off:s.Off+s.Len]) {
			t.Fatalf("flate: range %+v is not the content's", s)
		}
	}
}

// Hostile deflate data made of fake stored-block headers, each followed by
// bytes equal to the content's but for the block's last byte, with more
// headers inside every run, costs no more reading of the content than the
// budget: without it each header would cost a search and a comparison of
// tens of kilobytes.
func TestStoredBlocksBounded(t *testing.T) {
	content := bytes.Repeat([]byte{7}, 1<<20)
	h := []byte{0, 0, 0, 0, 0}
	binary.LittleEndian.PutUint16(h[1:], 60_000)
	binary.LittleEndian.PutUint16(h[3:], ^uint16(60_000))
	run := bytes.Repeat([]byte{7}, 59_999)
	for i := 0; i+len(h) < len(run); i += 40 {
		copy(run[i:], h) // a header every 40 bytes
	}
	var z []byte
	for len(z) < 4<<20 {
		z = append(append(append(z, h...), run...), 8) // the last byte differs
	}
	spans, read := storedBlocksRead(z, 0, content)
	if len(spans) != 0 {
		t.Errorf("recorded %d ranges of bytes that differ", len(spans))
	}
	if limit := 3*len(content) + 1<<16; read > limit {
		t.Errorf("read %d bytes of the content, more than %d", read, limit)
	}
}

// Looking on from what nextComplement finds, as storedBlocksRead does,
// finds every position a byte-by-byte look finds: in noise, in noise full
// of complement pairs, and in bytes made to trip its word trick (runs of
// 0x00, 0x01, 0xff and 0xfe, where borrows cross bytes).
func TestNextComplement(t *testing.T) {
	complement := func(z []byte, p int) bool {
		return p+4 <= len(z) && binary.LittleEndian.Uint16(z[p:])^binary.LittleEndian.Uint16(z[p+2:]) == 0xffff
	}
	r := rand.New(rand.NewPCG(5, 5))
	inputs := [][]byte{noise(6, 5000)}
	for range 200 {
		z := make([]byte, 300)
		for i := range z {
			z[i] = []byte{0x00, 0x01, 0xff, 0xfe, 0x7f, 0x80}[r.IntN(6)]
		}
		inputs = append(inputs, z)
	}
	planted := noise(7, 5000)
	for range 300 {
		i := r.IntN(len(planted) - 4)
		binary.LittleEndian.PutUint16(planted[i+2:], ^binary.LittleEndian.Uint16(planted[i:]))
	}
	inputs = append(inputs, planted)
	for n, z := range inputs {
		var want, got []int
		for p := range z {
			if complement(z, p) {
				want = append(want, p)
			}
		}
		for p := 0; p < len(z); p++ {
			p = nextComplement(z, p)
			if p+8 > len(z) { // left to the caller, byte by byte
				for ; p < len(z); p++ {
					if complement(z, p) {
						got = append(got, p)
					}
				}
				break
			}
			if complement(z, p) {
				got = append(got, p)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("input %d: found %v, want %v", n, got, want)
		}
	}
}

// Looking for stored blocks in what a zip of documents holds: a member that
// compresses (Huffman blocks: every byte looked at, nothing found) and one
// that does not (stored blocks: found, block by block).
func BenchmarkStoredBlocks(b *testing.B) {
	r := rand.New(rand.NewPCG(8, 8))
	words := strings.Fields("invoice total amount due net tax quarterly figures report letter")
	var text []byte
	for len(text) < 1<<20 {
		text = append(append(text, words[r.IntN(len(words))]...), ' ')
	}
	photo := noise(9, 300_000)
	deflate := func(data []byte) []byte {
		var w bytes.Buffer
		fw, _ := flate.NewWriter(&w, flate.DefaultCompression)
		fw.Write(data)
		fw.Close()
		return w.Bytes()
	}
	for _, c := range []struct {
		name    string
		content []byte
	}{{"text", text}, {"photo", photo}} {
		z := deflate(c.content)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(z)))
			for b.Loop() {
				storedBlocks(z, 0, c.content)
			}
		})
	}
}
