package yarascan

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"testing"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// prose is n bytes of text that compresses.
func prose(seed, n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Line %d of note %d: the quarterly figures are attached, row %d. ", i, seed, i*seed%977)
	}
	return b.Bytes()[:n]
}

const eicar = `X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`

// packedRules: InPacked matches 32 bytes from the middle of the compressed
// data of prose(1, 60000) (bytes no member holds), Eicar the test file,
// Size the container's filesize.
func packedRules(size int) string {
	z := formats.Deflated(prose(1, 60_000))
	return fmt.Sprintf(`
rule InPacked { strings: $a = { %x } condition: $a }
rule Eicar { strings: $a = %q condition: $a }
rule Size { strings: $a = "PK" condition: $a and filesize == %d }
`, z[len(z)/2:len(z)/2+32], eicar, size)
}

// unpacked is a message of one attachment, unpacked.
func unpacked(name, declared string, b []byte) *message.Message {
	m := &message.Message{Parts: []*message.Part{{Path: "2", Filename: name, DeclaredType: declared, DetectedType: filetype.Detect(b), Content: b}}}
	unpack.Expand(context.Background(), m, unpack.Options{})
	return m
}

// A zip member's compressed data, read whole by its inflater, is left out
// of the zip's scan when the zip is opened as an archive: a rule that
// matches those bytes no longer matches, while the zip's size and its
// other bytes still do. Every trick an attacker could play to have the
// compressed bytes read as something else scans the zip whole (or the
// payload is a member's bytes), and so does yara.packed: full.
func TestPackedAttacks(t *testing.T) {
	text := prose(1, 60_000)
	z := formats.Deflated(text)
	member := formats.ZipEntry{Name: "a.txt", Data: text, Method: formats.ZipDeflate}
	honest := formats.Zip(member)
	localStored := bytes.Clone(honest)
	binary.LittleEndian.PutUint16(localStored[8:], 0)    // the local header says stored ...
	binary.LittleEndian.PutUint32(localStored[18:], 200) // ... 200 bytes: a streaming unzipper reads them as they are
	storedBlock := append([]byte{1, byte(len(eicar)), 0, ^byte(len(eicar)), 0xff}, eicar...)
	cases := []struct {
		name, filename, declared string
		archive                  []byte
		full                     bool   // yara.packed: full
		want                     string // InPacked, Eicar: where they match; "" for not at all
		wantEicar                string
	}{
		{name: "honest zip", filename: "a.zip", declared: "application/zip", archive: honest},
		{name: "honest zip, yara.packed full", filename: "a.zip", declared: "application/zip", archive: honest, full: true, want: "2"},
		{name: "honest docx name, no declared type", filename: "a.docx", archive: honest},
		{name: "zip named .html", filename: "a.html", declared: "application/zip", archive: honest, want: "2"},
		{name: "zip named .zip.hta", filename: "a.zip.hta", declared: "application/zip", archive: honest, want: "2"},
		{name: "zip declared text/html", filename: "a.zip", declared: "text/html", archive: honest, want: "2"},
		{name: "zip declared a script", filename: "a.zip", declared: "application/javascript", archive: honest, want: "2"},
		{name: "two zips in one file", filename: "a.zip", declared: "application/zip", archive: append(bytes.Clone(honest), formats.Zip(formats.ZipEntry{Name: "b.txt", Data: prose(2, 60_000), Method: formats.ZipDeflate})...), want: "2"},
		{name: "local header says stored", filename: "a.zip", declared: "application/zip", archive: localStored, want: "2"},
		{name: "test file after the stream, inside the declared size", filename: "a.zip", declared: "application/zip",
			archive: formats.Zip(formats.ZipEntry{Name: "a.txt", Data: text, Method: formats.ZipDeflate, Packed: append(bytes.Clone(z), eicar...)}), want: "2", wantEicar: "2"},
		{name: "test file between members", filename: "a.zip", declared: "application/zip",
			archive: func() []byte {
				b := formats.Zip(member, formats.ZipEntry{Name: "b.txt", Data: []byte("second")})
				at := 30 + len("a.txt") + len(z)
				b = slices.Concat(b[:at], []byte(eicar), b[at:])
				// The central directory's offsets after the insertion.
				cd := bytes.LastIndex(b, []byte("PK\x05\x06"))
				binary.LittleEndian.PutUint32(b[cd+16:], binary.LittleEndian.Uint32(b[cd+16:])+uint32(len(eicar)))
				second := bytes.LastIndex(b, []byte("PK\x01\x02"))
				binary.LittleEndian.PutUint32(b[second+42:], binary.LittleEndian.Uint32(b[second+42:])+uint32(len(eicar)))
				return b
			}(), wantEicar: "2"},
		{name: "test file in a stored block of a deflated member", filename: "a.zip", declared: "application/zip",
			archive: formats.Zip(member, formats.ZipEntry{Name: "x.com", Data: []byte(eicar), Method: formats.ZipDeflate, Packed: storedBlock}), wantEicar: "2/a.zip/x.com"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := unpacked(c.filename, c.declared, c.archive)
			s := newScanner(t, Options{Paths: []string{writeRules(t, map[string]string{"p.yar": packedRules(len(c.archive))})}, PackedData: c.full})
			got, err := s.Scan(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"Size@2"}
			if c.want != "" {
				want = append(want, "InPacked@"+c.want)
			}
			if c.wantEicar != "" {
				want = append(want, "Eicar@"+c.wantEicar)
			}
			slices.Sort(want)
			if !slices.Equal(hits(got), want) {
				t.Errorf("got %v, want %v (packed %v)", hits(got), want, m.Parts[0].Packed)
			}
		})
	}
}

// A PDF's FlateDecode stream is left out of the PDF's scan the same way,
// when the PDF is opened as one.
func TestPackedPDF(t *testing.T) {
	z := formats.ZlibDeflated(prose(1, 60_000))
	pdf := formats.PDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", formats.PDFStream("/Filter /FlateDecode", z))
	rules := fmt.Sprintf(`rule InPacked { strings: $a = { %x } condition: $a }
rule Size { strings: $a = "%%PDF" condition: $a and filesize == %d }`, z[len(z)/2:len(z)/2+32], len(pdf))
	for _, c := range []struct {
		filename string
		want     []string
	}{
		{"a.pdf", []string{"Size@2"}},
		{"a.html", []string{"InPacked@2", "Size@2"}},
	} {
		m := unpacked(c.filename, "application/pdf", pdf)
		got, err := scannerFor(t, rules).Scan(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(hits(got), c.want) {
			t.Errorf("%s: got %v, want %v", c.filename, hits(got), c.want)
		}
	}
}

// A rule set that reads places scans containers whole, packed data
// included; the same zip named .zip and .html is scanned apart.
func TestPackedWholeAndTwins(t *testing.T) {
	honest := formats.Zip(formats.ZipEntry{Name: "a.txt", Data: prose(1, 60_000), Method: formats.ZipDeflate})
	m := unpacked("a.zip", "application/zip", honest)
	s := newScanner(t, Options{Paths: []string{writeRules(t, map[string]string{"p.yar": packedRules(len(honest)) + "rule At { strings: $a = \"PK\" condition: $a at 0 }\n"})}})
	got, err := s.Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"At@2", "InPacked@2", "Size@2"}; !slices.Equal(hits(got), want) {
		t.Errorf("rules that read places: got %v, want %v", hits(got), want)
	}

	m = &message.Message{Parts: []*message.Part{
		{Path: "2", Filename: "a.zip", DeclaredType: "application/zip", DetectedType: filetype.ZIP, Content: honest},
		{Path: "3", Filename: "a.html", DeclaredType: "application/zip", DetectedType: filetype.ZIP, Content: honest},
	}}
	unpack.Expand(context.Background(), m, unpack.Options{})
	s = newScanner(t, Options{Paths: []string{writeRules(t, map[string]string{"p.yar": packedRules(len(honest))})}})
	got, err = s.Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"InPacked@3", "Size@2", "Size@3"}; !slices.Equal(hits(got), want) {
		t.Errorf("twins: got %v, want %v", hits(got), want)
	}
}

func TestPackedDataSetting(t *testing.T) {
	for v, want := range map[string]bool{"trimmed": false, "full": true, "": true, "half": true} {
		if got := PackedData(v); got != want {
			t.Errorf("PackedData(%q) = %v, want %v", v, got, want)
		}
	}
}
