package unpack

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// prose is n bytes of text that compresses, different for each seed.
func prose(seed, n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Line %d of note %d: the quarterly figures are attached, row %d. ", i, seed, i*seed%977)
	}
	return b.Bytes()[:n]
}

// sortedSpans is spans in order of offset.
func sortedSpans(spans []message.Span) []message.Span {
	return slices.SortedFunc(slices.Values(spans), func(a, b message.Span) int { return a.Off - b.Off })
}

// A zip's deflated members, as the archivers people use write them, have
// their compressed data recorded as packed, exactly the range Python's
// zipfile reads for each (after the local header, compress_size bytes);
// stored members, and deflated ones too short to be worth a range, not.
func TestPackedAsArchiversWrite(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"notes.txt": prose(1, 200_000), "photo.jpg": noise(2, 100_000), "tiny.txt": []byte("short")})
	files := []string{"notes.txt", "photo.jpg", "tiny.txt"}
	archivers := map[string][]string{
		"info-zip":    append([]string{toolNeeded(t, "zip"), "-q", "-X", "out.zip"}, files...),
		"info-zip-fd": {"sh", "-c", toolNeeded(t, "zip") + " -q -X - notes.txt photo.jpg tiny.txt > out.zip"}, // streamed: data descriptors
		"7-zip":       append([]string{toolNeeded(t, "7zz"), "a", "-tzip", "-mx=5", "out.zip"}, files...),
		"7-zip-store": append([]string{toolNeeded(t, "7zz"), "a", "-tzip", "-mx=0", "out.zip"}, files...),
	}
	// Python's zipfile says where each deflated member's data lies.
	ranges := `import zipfile, struct, sys
f = open(sys.argv[1], "rb"); z = zipfile.ZipFile(f)
for i in z.infolist():
    f.seek(i.header_offset); h = f.read(30)
    n, e = struct.unpack("<HH", h[26:30])
    if i.compress_type == 8: print(i.header_offset + 30 + n + e, i.compress_size)
`
	for name, args := range archivers {
		t.Run(name, func(t *testing.T) {
			os.Remove(filepath.Join(dir, "out.zip"))
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out)
			}
			out, err := exec.Command(toolNeeded(t, "python3"), "-c", ranges, filepath.Join(dir, "out.zip")).CombinedOutput()
			if err != nil {
				t.Fatalf("python: %v\n%s", err, out)
			}
			var want []message.Span
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				f := strings.Fields(line)
				if len(f) != 2 {
					continue
				}
				off, _ := strconv.Atoi(f[0])
				n, _ := strconv.Atoi(f[1])
				if n >= minPacked {
					want = append(want, message.Span{Off: off, Len: n})
				}
			}
			archive, err := os.ReadFile(filepath.Join(dir, "out.zip"))
			if err != nil {
				t.Fatal(err)
			}
			m := mail("s", "b", "a.zip", archive)
			expand(t, m, Options{})
			noProblems(t, m)
			got := sortedSpans(mustPart(t, m, "2").Packed)
			if !slices.Equal(got, want) {
				t.Errorf("packed %v, want %v (python)", got, want)
			}
			if name == "7-zip-store" && len(got) != 0 {
				t.Errorf("stored members recorded as packed: %v", got)
			}
			if name != "7-zip-store" && len(want) == 0 {
				t.Errorf("python lists no deflated member worth a range, want notes.txt at least")
			}
		})
	}
}

// Any doubt about a member's compressed data records none of it: the
// container's scan then reads those bytes. The honest zip is the control.
func TestPackedDoubt(t *testing.T) {
	text := prose(3, 50_000)
	packed := formats.Deflated(text)
	eicar := []byte(`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`)
	honest := formats.Zip(formats.ZipEntry{Name: "a.txt", Data: text, Method: formats.ZipDeflate})
	dataStart := 30 + len("a.txt")
	// localSays rewrites the local header's method and compressed size.
	localSays := func(method uint16, csize int) []byte {
		b := bytes.Clone(honest)
		binary.LittleEndian.PutUint16(b[8:], method)
		binary.LittleEndian.PutUint32(b[18:], uint32(csize))
		return b
	}
	cases := []struct {
		name    string
		archive []byte
		opts    Options
		body    string
		want    []message.Span
	}{
		{name: "honest", archive: honest, want: []message.Span{{Off: dataStart, Len: len(packed)}}},
		{name: "bytes after the stream's end, inside the declared size",
			archive: formats.Zip(formats.ZipEntry{Name: "a.txt", Data: text, Method: formats.ZipDeflate, Packed: append(bytes.Clone(packed), eicar...)})},
		{name: "not what the headers' CRC says",
			archive: formats.Zip(formats.ZipEntry{Name: "a.txt", Data: prose(4, 50_000), Method: formats.ZipDeflate, Packed: packed})},
		{name: "damaged stream",
			archive: formats.Zip(formats.ZipEntry{Name: "a.txt", Data: text, Method: formats.ZipDeflate, Packed: append(bytes.Clone(packed[:len(packed)/2]), eicar...)})},
		{name: "local header says stored", archive: localSays(0, len(packed))},
		{name: "local header says stored, fewer bytes", archive: localSays(0, 100)},
		{name: "local header says a shorter deflate", archive: localSays(8, 100)},
		{name: "another member's local header says a shorter size", archive: func() []byte {
			// A streaming unzipper ends the stored a.bin after 100 bytes
			// and reads on from there, into b.txt's compressed data.
			b := formats.Zip(formats.ZipEntry{Name: "a.bin", Data: prose(9, 3000)}, formats.ZipEntry{Name: "b.txt", Data: text, Method: formats.ZipDeflate})
			binary.LittleEndian.PutUint32(b[18:], 100)
			return b
		}()},
		{name: "stored member", archive: formats.Zip(formats.ZipEntry{Name: "a.txt", Data: text})},
		{name: "deflate64 member", archive: formats.Zip(formats.ZipEntry{Name: "a.txt", Data: text, Method: formats.ZipDeflate64})},
		{name: "member only a local header lists",
			archive: formats.Zip(formats.ZipEntry{Name: "b.txt", Data: []byte("listed")}, formats.ZipEntry{Name: "a.txt", Data: text, Method: formats.ZipDeflate, Hidden: true})},
		{name: "member cut by the size limit", archive: honest, opts: Options{Limits: Limits{MaxMemberBytes: 10_000}}},
		{name: "encrypted, opened with the body's password",
			archive: formats.EncryptedZip("s3cret", 0, true, formats.ZipEntry{Name: "a.txt", Data: text}), body: "The password is s3cret"},
		{name: "two archives in one file", archive: append(bytes.Clone(honest), formats.Zip(formats.ZipEntry{Name: "c.txt", Data: prose(5, 50_000), Method: formats.ZipDeflate})...),
			// Both directories' members are read; yarascan scans an
			// Ambiguous container whole (TestPackedAttacks).
			want: []message.Span{{Off: dataStart, Len: len(packed)}, {Off: len(honest) + dataStart, Len: len(formats.Deflated(prose(5, 50_000)))}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := c.body
			if body == "" {
				body = "b"
			}
			m := mail("s", body, "a.zip", c.archive)
			expand(t, m, c.opts)
			got := sortedSpans(mustPart(t, m, "2").Packed)
			if !slices.Equal(got, c.want) {
				t.Errorf("packed %v, want %v\n%s", got, c.want, dump(m))
			}
			for _, s := range got {
				if s.Off < 0 || s.Off+s.Len > len(c.archive) {
					t.Fatalf("range %+v outside the %d bytes", s, len(c.archive))
				}
			}
		})
	}
}

// A PDF's FlateDecode streams read to their end have their data recorded
// as packed, exactly the raw stream data qpdf reads for the object; a
// stream with bytes after its zlib stream, another filter in front, an
// image, or any stream of an encrypted PDF, not.
func TestPackedPDFStreams(t *testing.T) {
	page := prose(6, 20_000)
	script := prose(7, 20_000)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
		formats.PDFStream("/Filter /FlateDecode", formats.ZlibDeflated(page)),                                                                   // 4: recorded
		formats.PDFStream("/Filter /FlateDecode", append(formats.ZlibDeflated(script), "X5O!P%@AP trailing"...)),                                // 5: bytes after the stream
		formats.PDFStream("/Filter [/ASCIIHexDecode /FlateDecode]", formats.ASCIIHex(formats.ZlibDeflated(script))),                             // 6: two filters
		formats.PDFStream("/Type /XObject /Subtype /Image /Width 100 /Height 100 /Filter /FlateDecode", formats.ZlibDeflated(prose(9, 10_000))), // 7: pixels, not read
		formats.PDFStream("/Type /EmbeddedFile /Filter /FlateDecode", formats.ZlibDeflated(prose(8, 30_000))),                                   // 8: recorded (a member of its own)
	}
	pdf := formats.PDF(objs...)
	dir := t.TempDir()
	file := filepath.Join(dir, "a.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	m := mail("s", "b", "a.pdf", pdf)
	expand(t, m, Options{})
	got := sortedSpans(mustPart(t, m, "2").Packed)
	var want []message.Span
	for _, n := range []int{4, 8} {
		raw, err := exec.Command(toolNeeded(t, "qpdf"), fmt.Sprintf("--show-object=%d", n), "--raw-stream-data", file).Output()
		if err != nil {
			t.Fatalf("qpdf: object %d: %v", n, err)
		}
		i := bytes.Index(pdf, raw)
		if i < 0 || bytes.Count(pdf, raw) != 1 {
			t.Fatalf("object %d's raw stream data is not once in the PDF", n)
		}
		want = append(want, message.Span{Off: i, Len: len(raw)})
	}
	if !slices.Equal(got, want) {
		t.Errorf("packed %v, want %v (qpdf's raw stream data of objects 4 and 8)", got, want)
	}

	enc := formats.EncryptPDF(formats.PDFRC4128, "", objs[:5]...)
	m = mail("s", "b", "a.pdf", enc)
	expand(t, m, Options{})
	if p := mustPart(t, m, "2"); len(p.Packed) != 0 {
		t.Errorf("encrypted PDF: packed %v, want none", p.Packed)
	}
}
