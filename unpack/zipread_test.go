package unpack

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// Zip as 7-Zip, WinRAR and Explorer read it: every archive in the file,
// local headers as well as the central directory.

func TestZipReadings(t *testing.T) {
	js := []byte("WScript.Shell kensa test")
	txt := []byte(marker)
	stub := append([]byte("MZ"), bytes.Repeat([]byte{0x90}, 4094)...)
	pdf := []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	tests := []struct {
		name, file string
		content    []byte
		want       map[string][]byte // member path → content
		ambiguous  string            // substring of Part.Ambiguous
	}{
		{"concatenated", "x.zip", append(zipOf(t, entry{"a.js", js}), zipOf(t, entry{"b.txt", txt})...),
			map[string][]byte{"2/x.zip/a.js": js, "2/x.zip/b.txt": txt}, "2 zip archives"},
		{"concatenated stored", "x.zip", append(formats.Zip(formats.ZipEntry{Name: "a.js", Data: js}), formats.Zip(formats.ZipEntry{Name: "b.txt", Data: txt})...),
			map[string][]byte{"2/x.zip/a.js": js, "2/x.zip/b.txt": txt}, "2 zip archives"},
		{"behind a program", "setup.exe", append(stub, zipOf(t, entry{"a.js", js})...),
			map[string][]byte{"2/setup.exe/a.js": js}, "behind data of another kind"},
		{"behind junk, named zip", "x.zip", append([]byte("junk before the archive "), formats.Zip(formats.ZipEntry{Name: "a.js", Data: js})...),
			map[string][]byte{"2/x.zip/a.js": js}, "behind data of another kind"},
		{"pdf polyglot", "x.pdf", append(pdf, formats.Zip(formats.ZipEntry{Name: "a.js", Data: js})...),
			map[string][]byte{"2/x.pdf/a.js": js}, "behind data of another kind"},
		{"local only", "x.zip", formats.Zip(formats.ZipEntry{Name: "b.txt", Data: txt}, formats.ZipEntry{Name: "a.js", Data: js, Hidden: true}),
			map[string][]byte{"2/x.zip/a.js": js, "2/x.zip/b.txt": txt}, `"a.js" is only in a local header`},
		{"names differ", "x.zip", formats.Zip(formats.ZipEntry{Name: "a.js", CentralName: "a.txt", Data: js}),
			map[string][]byte{"2/x.zip/a.txt": js}, `local header names "a.js", the central directory "a.txt"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mail("", "", tt.file, tt.content)
			expand(t, m, Options{})
			noProblems(t, m)
			for path, want := range tt.want {
				if p := mustPart(t, m, path); !bytes.Equal(p.Content, want) {
					t.Errorf("%s = %q, want %q", path, p.Content, want)
				}
			}
			if got := m.Parts[1].Ambiguous; !strings.Contains(got, tt.ambiguous) {
				t.Errorf("Ambiguous = %q, want it to say %q", got, tt.ambiguous)
			}
			if tt.name == "names differ" {
				if p := mustPart(t, m, "2/x.zip/a.txt"); len(p.AltNames) != 1 || p.AltNames[0] != "a.js" || len(m.Parts) != 3 {
					t.Errorf("want one part a.txt also named a.js, have AltNames %q:\n%s", p.AltNames, dump(m))
				}
			}
		})
	}
}

// honestZips are zips as ordinary tools write them: every reading agrees.
func honestZips(t testing.TB) map[string][]byte {
	inner := zipOf(t, entry{"in.txt", []byte(marker)})
	var stored bytes.Buffer
	zw := zip.NewWriter(&stored)
	for _, e := range []entry{{"docs/inner.zip", inner}, {"a.txt", []byte(marker)}, {"empty", nil}} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	zw.SetComment("archive comment")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	// Folders as Java's ZipOutputStream writes them: deflated, two bytes
	// that inflate to nothing (archive/zip's writer refuses folder data).
	java := formats.Zip(formats.ZipEntry{Name: "META-INF/", Data: []byte{3, 0}},
		formats.ZipEntry{Name: "META-INF/MANIFEST.MF", Data: []byte("Manifest-Version: 1.0\r\n")})
	for _, at := range []int{0, bytes.Index(java, []byte(sigCentral)) + 2} { // method, CRC, sizes
		binary.LittleEndian.PutUint16(java[at+8:], zip.Deflate)
		binary.LittleEndian.PutUint32(java[at+14:], 0)
		binary.LittleEndian.PutUint32(java[at+22:], 0)
	}
	return map[string][]byte{
		"java folders":      java,
		"deflated":          zipOf(t, entry{"a.txt", []byte(strings.Repeat(marker, 100))}, entry{"dir/b.bin", bytes.Repeat([]byte{1, 2, 3}, 5000)}, entry{"c.zip", inner}),
		"stored, nested":    stored.Bytes(),
		"record by record":  formats.Zip(formats.ZipEntry{Name: "a.txt", Data: []byte(marker)}, formats.ZipEntry{Name: "b.zip", Data: inner}),
		"spanned marker":    append([]byte(sigDesc), formats.Zip(formats.ZipEntry{Name: "a.txt", Data: []byte(marker)})...),
		"empty":             formats.Zip(),
		"docx-like, stored": formats.Zip(formats.ZipEntry{Name: "[Content_Types].xml", Data: []byte("<Types/>")}, formats.ZipEntry{Name: "word/document.xml", Data: []byte("<w:document/>")}),
	}
}

// On an honest zip the central directory and the walk of the local headers
// give the same members, and nothing is ambiguous.
func TestZipReadingsAgree(t *testing.T) {
	for name, z := range honestZips(t) {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", "x.zip", z)
			expand(t, m, Options{})
			noProblems(t, m)
			if a := m.Parts[1].Ambiguous; a != "" {
				t.Errorf("honest zip is ambiguous: %s", a)
			}
			central := zipListing(m.Parts[2:], "2/x.zip/")
			// The local headers alone, as a streaming unzipper reads them.
			lm := mail("", "", "x.zip", z)
			w := newWalker(context.Background(), lm, DefaultLimits(), nil)
			c := &container{w: w, part: lm.Parts[1], kind: "zip", base: w.base(lm.Parts[1], "zip")}
			if _, _, err := c.walkLocal(nil, false, false); err != nil {
				t.Fatal(err)
			}
			noProblems(t, lm)
			local := zipListing(lm.Parts[2:], "2/x.zip/")
			if strings.Join(central, "\n") != strings.Join(local, "\n") {
				t.Errorf("readings differ:\ncentral directory:\n  %s\nlocal headers:\n  %s", strings.Join(central, "\n  "), strings.Join(local, "\n  "))
			}
		})
	}
}

// zipListing is the direct members of one zip: path and content.
func zipListing(parts []*message.Part, prefix string) []string {
	var out []string
	for _, p := range parts {
		rest, ok := strings.CutPrefix(p.Path, prefix)
		if ok && !strings.Contains(rest, "/") || ok && !strings.Contains(rest, ".zip/") {
			out = append(out, rest+" "+string(p.Content))
		}
	}
	sort.Strings(out)
	return out
}

// A zip of many zips stored whole (Office documents; deflate stores what
// does not compress) holds an end record in each member: those are not
// archives of the file, however many there are. More than maxZipArchives
// archives of the file itself are still a problem.
func TestZipManyEndRecords(t *testing.T) {
	var members, concatenated []formats.ZipEntry
	var many []byte
	for i := range maxZipArchives + 4 {
		inner := zipOf(t, entry{"word/document.xml", []byte(fmt.Sprintf("%s %d", marker, i))})
		members = append(members, formats.ZipEntry{Name: fmt.Sprintf("letter-%02d.docx", i), Data: inner})
		concatenated = append(concatenated, formats.ZipEntry{Name: fmt.Sprintf("part-%02d.txt", i), Data: []byte(marker)})
		many = append(many, formats.Zip(concatenated[i])...)
	}
	m := mail("", "", "letters.zip", formats.Zip(members...))
	expand(t, m, Options{})
	noProblems(t, m)
	if a := m.Parts[1].Ambiguous; a != "" {
		t.Errorf("honest zip of documents is ambiguous: %s", a)
	}
	for i := range members {
		mustPart(t, m, fmt.Sprintf("2/letters.zip/letter-%02d.docx/word/document.xml", i))
	}

	m = mail("", "", "many.zip", many)
	expand(t, m, Options{})
	mustProblem(t, m, ReasonCorrupt, "2")
	if p := problem(m, ReasonCorrupt); !strings.Contains(p.Detail, "end-of-central-directory records") {
		t.Errorf("problem %q, want the end records named", p.Detail)
	}
}

// A file that merely contains the bytes of a zip signature is not a zip.
func TestZipSignatureByChance(t *testing.T) {
	for name, b := range map[string][]byte{
		"local":  append([]byte("plain text PK\x03\x04 and more text after it, long enough to parse"), make([]byte, 64)...),
		"end":    append([]byte("plain text PK\x05\x06"), make([]byte, 40)...),
		"header": append([]byte("%PDF-1.4\nPK\x03\x04\x14\x00\x00\x00\x00\x00"), make([]byte, 64)...),
	} {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", "x.bin", b)
			expand(t, m, Options{})
			noProblems(t, m)
			if len(m.Parts) != 2 || m.Parts[1].Ambiguous != "" {
				t.Errorf("chance bytes read as a zip:\n%s", dump(m))
			}
		})
	}
}

// A tar without the "ustar" magic (Unix V7) is still a tar to tar and 7-Zip.
func TestOldTar(t *testing.T) {
	js := []byte("WScript.Shell kensa test")
	m := mail("", "", "tools.tar", formats.TarV7(formats.File{Name: "bin/run.js", Data: js}, formats.File{Name: "readme", Data: []byte(marker)}))
	expand(t, m, Options{})
	noProblems(t, m)
	if p := mustPart(t, m, "2/tools.tar/bin/run.js"); !bytes.Equal(p.Content, js) {
		t.Errorf("run.js = %q", p.Content)
	}
	mustPart(t, m, "2/tools.tar/readme")
}

// ISO images as Windows (Joliet), Linux (Rock Ridge) and plain ISO 9660
// readers show them.
func TestISOReadings(t *testing.T) {
	js := []byte("WScript.Shell kensa test")
	tests := []struct {
		name      string
		files     []formats.ISOFile
		want      []string // member paths below 2/x.iso/, each with its AltNames after a space
		ambiguous string
	}{
		{"honest, all three names", []formats.ISOFile{{ISO: "A_VERY_L.PDF", RockRidge: "a-very-long-name.pdf", Joliet: "a-very-long-name.pdf", Data: js}},
			[]string{"a-very-long-name.pdf"}, ""},
		{"honest, ISO and Joliet", []formats.ISOFile{{ISO: "REPORT.HTM", Joliet: "report.html", Data: js}},
			[]string{"report.html"}, ""},
		{"honest, ISO only", []formats.ISOFile{{ISO: "README.TXT", Data: js}}, []string{"README.TXT"}, ""},
		{"Joliet name differs", []formats.ISOFile{{ISO: "README.TXT", Joliet: "invoice.js", Data: js}},
			[]string{"invoice.js README.TXT"}, `the ISO 9660 name "README.TXT" has another extension than "invoice.js"`},
		{"Rock Ridge name differs", []formats.ISOFile{{ISO: "README.TXT", RockRidge: "run.sh", Joliet: "readme.txt", Data: js}},
			[]string{"readme.txt run.sh"}, `Windows shows "readme.txt", Linux "run.sh"`},
		{"only in the Joliet tree", []formats.ISOFile{{ISO: "README.TXT", Joliet: "readme.txt", Data: []byte(marker)}, {Joliet: "invoice.js", Data: js}},
			[]string{"readme.txt", "invoice.js"}, `"invoice.js" is not in the ISO 9660 tree`},
		{"only in the ISO tree", []formats.ISOFile{{ISO: "README.TXT", Joliet: "readme.txt", Data: []byte(marker)}, {ISO: "RUN.JS", Data: js}},
			[]string{"readme.txt", "RUN.JS"}, `"RUN.JS" is not in the Joliet tree`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mail("", "", "x.iso", formats.ISO("TEST", tt.files...))
			expand(t, m, Options{})
			noProblems(t, m)
			var got []string
			for _, p := range m.Parts[2:] {
				got = append(got, strings.Join(append([]string{strings.TrimPrefix(p.Path, "2/x.iso/")}, p.AltNames...), " "))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("members %q, want %q", got, tt.want)
			}
			if a := m.Parts[1].Ambiguous; tt.ambiguous == "" && a != "" || !strings.Contains(a, tt.ambiguous) {
				t.Errorf("Ambiguous = %q, want %q", a, tt.ambiguous)
			}
		})
	}
}

// UDF images (what Windows shows of a UDF disc): embedded and allocated
// file data, 8-bit and UTF-16 names; an image whose UDF volume cannot be
// found is corrupt, not silently empty.
func TestUDF(t *testing.T) {
	js := []byte("WScript.Shell kensa test")
	big := bytes.Repeat([]byte(marker), 200)
	m := mail("", "", "x.img", formats.UDF("DOCS", formats.File{Name: "invoice.js", Data: js}, formats.File{Name: "big.txt", Data: big},
		formats.File{Name: "請求書.js", Data: js}))
	expand(t, m, Options{})
	noProblems(t, m)
	for path, want := range map[string][]byte{"2/x.img/invoice.js": js, "2/x.img/big.txt": big, "2/x.img/請求書.js": js} {
		if p := mustPart(t, m, path); !bytes.Equal(p.Content, want) {
			t.Errorf("%s: %d bytes, want %d", path, len(p.Content), len(want))
		}
	}
	noAnchor := make([]byte, 40000)
	copy(noAnchor[32769:], "BEA01")
	copy(noAnchor[32769+2048:], "NSR02")
	m = mail("", "", "x.img", noAnchor)
	expand(t, m, Options{})
	mustProblem(t, m, ReasonCorrupt, "2")
}

// TestZipDeclaredSize: a zip member's declared size sets its first buffer,
// so an honest member is read without regrowing; a size that lies (a
// gigabyte for a few kilobytes) reserves no more than a member that
// expands 32 times its packed bytes would.
func TestZipDeclaredSize(t *testing.T) {
	// Words in a varied order: text that deflates about as much as prose.
	var text []byte
	for i := uint32(1); len(text) < 200000; i = i*1103515245 + 12345 {
		text = append(text, strings.Fields("invoice budget meeting the of and a report quarter delivery schedule customer project")[i>>16%13]...)
		text = append(text, " ,.\n"[i>>20%4])
	}
	packed := deflated(t, text)
	if len(packed)*2 >= len(text) {
		t.Fatalf("the text deflates to %d of %d bytes: too little for the first guess (twice the packed size) to be short", len(packed), len(text))
	}
	for _, c := range []struct {
		name     string
		declared uint64
	}{
		{"honest.txt", uint64(len(text))},
		{"liar.txt", 1 << 30},
	} {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: c.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(text),
			CompressedSize64: uint64(len(packed)), UncompressedSize64: c.declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(packed)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		m := mail("sizes", "see attached", "a.zip", b.Bytes())
		expand(t, m, Options{})
		p := mustPart(t, m, "2/a.zip/"+c.name)
		if c.name == "honest.txt" {
			noProblems(t, m)
			if !bytes.Equal(p.Content, text) {
				t.Errorf("content differs (%d bytes, want %d)", len(p.Content), len(text))
			}
			// One buffer, rounded up to the allocator's size class.
			if cap(p.Content) > len(text)+len(text)/8 {
				t.Errorf("honest member: buffer of %d bytes for %d", cap(p.Content), len(p.Content))
			}
			continue
		}
		// The lie is found (archive/zip counts the bytes) and the member
		// is unscannable; what was read before the end is kept.
		mustProblem(t, m, ReasonCorrupt, "2")
		if len(p.Content) == 0 || !bytes.HasPrefix(text, p.Content) {
			t.Errorf("liar: %d bytes kept, want a prefix of the text", len(p.Content))
		}
		// Believed, the lie would reserve the member limit (32 MiB).
		if cap(p.Content) > len(packed)*sizeHintRatio+8<<10 {
			t.Errorf("liar: buffer of %d bytes for %d", cap(p.Content), len(p.Content))
		}
	}
}

func deflated(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(b)
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestZipMemberInMemory: archive/zip hands a member's decompressor an
// io.SectionReader of the zip; inMemory gives the inflater a bytes.Reader
// over exactly the bytes that section reads (cut at the end of the zip when
// a declared size runs past it), and leaves any other reader alone.
func TestZipMemberInMemory(t *testing.T) {
	b := []byte("0123456789abcdef")
	src := bytes.NewReader(b)
	for _, c := range []struct{ off, n int64 }{{0, 16}, {3, 5}, {10, 100}, {16, 0}, {4, 1<<63 - 1}, {20, 4}, {2, -1}} {
		want, err := io.ReadAll(io.NewSectionReader(src, c.off, c.n))
		if err != nil {
			t.Fatal(err)
		}
		r := inMemory(io.NewSectionReader(src, c.off, c.n), src, b)
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("section %d+%d: read %q (%v), want %q", c.off, c.n, got, err, want)
		}
		if _, ok := r.(*bytes.Reader); !ok && c.off <= int64(len(b)) && c.n >= 0 {
			t.Errorf("section %d+%d: %T, want a bytes.Reader", c.off, c.n, r)
		}
	}
	other := io.NewSectionReader(bytes.NewReader(b), 0, 4)
	if r := inMemory(other, src, b); r != io.Reader(other) {
		t.Errorf("a section of another reader became %T", r)
	}
}
