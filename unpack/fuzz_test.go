package unpack

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// FuzzExpand feeds arbitrary bytes to every unpacker (the sniffer picks one
// from the magic bytes): Expand must not panic, must stay within its limits,
// and must leave only well-formed paths.
func FuzzExpand(f *testing.F) {
	seeds := [][]byte{
		zipOf(f, entry{"a/b.txt", []byte(marker)}),
		encryptedZip(f, "pw", 0, entry{"a", []byte("x")}),
		formats.Zip(formats.ZipEntry{Name: "a.txt", Extra: formats.UnicodePath("a.txt", "a.js"), Data: []byte(marker)},
			formats.ZipEntry{Name: "b\x00.txt", Data: []byte(marker)}, formats.ZipEntry{Name: "d/", Extra: formats.UnicodePathField(2, 0, "c.js"), Data: []byte(marker)}),
		encryptedZip(f, "pw", 3, entry{"a", []byte("x")}),
		gzipOf(f, "a", []byte(marker)),
		tarOfSeed(f),
		formats.RAR4Flags(0x200, formats.File{Name: formats.RAR4Unicode("a.exe", "a.txt"), Data: []byte(marker)}, formats.File{Name: "b\x00\x01", Data: []byte(marker)}),
		formats.Tar(formats.TarEntry{Name: "g", Type: 'g', Data: formats.PAX("path", "g.js")}, formats.TarEntry{Name: "l", Type: 'L', Data: []byte("b.js\x00")},
			formats.TarEntry{Name: "x", Type: 'x', Data: formats.PAX("path", "a\x00.js", "size", "3")}, formats.TarEntry{Name: "a.txt", Type: '7', Data: []byte(marker)},
			formats.TarEntry{Name: "X", Type: 'X', Data: []byte("99 path=a\n")}, formats.TarEntry{Name: "c", Type: 'Z', Data: []byte(marker)}),
		fixture(f, "nested.7z"),
		fixture(f, "enc.7z"),
		fixture(f, "marker.txt.bz2"),
		macroProject(),
		pdfWith([]byte("app.alert(1)"), []byte("x"), "f.txt"),
		[]byte(`{\rtf1{\object{\*\objdata 0105000002000000080000005061636b61676500}}}`),
		append([]byte(oneNoteFileGUID), oneNoteStoreGUID+"\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00abcd"...),
		formats.OneNote("run setup.exe", formats.OneNoteFile{Name: "open.hta", Data: []byte(marker)}),
		[]byte("From: a@example.com\r\nSubject: x\r\n\r\nhello\r\n"),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	lim := Limits{MaxMembers: 200, MaxTotalBytes: 8 << 20, MaxMemberBytes: 4 << 20, MaxPasswordTries: 2, Timeout: 2 * time.Second}
	f.Fuzz(func(t *testing.T, b []byte) {
		m := &message.Message{Subject: "password: pw", Parts: []*message.Part{{Path: "1", Filename: "x.eml", DeclaredType: "application/octet-stream", Content: b}}}
		done := make(chan struct{})
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				buf := make([]byte, 1<<20)
				panic("Expand still running after 10s:\n" + string(buf[:runtime.Stack(buf, true)]))
			}
		}()
		Expand(context.Background(), m, Options{Limits: lim})
		close(done)
		var total int
		for _, p := range m.Parts[1:] {
			total += len(p.Content)
			if p.Path == "" || p.Path[0] != '1' {
				t.Fatalf("bad path %q", p.Path)
			}
		}
		if len(m.Parts)-1 > lim.MaxMembers+1 || int64(total) > lim.MaxTotalBytes+int64(len(b)) {
			t.Fatalf("limits exceeded: %d parts, %d bytes", len(m.Parts), total)
		}
	})
}

func tarOfSeed(f *testing.F) []byte { return tarOf(f, entry{"x/y", []byte(marker)}) }
