package hostile

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/testmail"
)

// Builders for hostile input. Everything is made at run time from harmless
// bytes (zeros, text, the EICAR test string).

type member struct {
	name string
	data []byte
}

// zipOf is a zip of deflated members (formats.ArchiveZip).
func zipOf(t testing.TB, ms ...member) []byte {
	t.Helper()
	zs := make([]formats.ZipEntry, len(ms))
	for i, m := range ms {
		zs[i] = formats.ZipEntry{Name: m.name, Data: m.data}
	}
	return formats.ArchiveZip(true, zs...)
}

// zipRaw writes n entries that each carry the same deflated bytes of size
// zeros, without compressing n times.
func zipRaw(t testing.TB, n int, size int) []byte {
	t.Helper()
	var c bytes.Buffer
	fw, _ := flate.NewWriter(&c, flate.BestCompression)
	chunk := make([]byte, 1<<20)
	for left := size; left > 0; left -= len(chunk) {
		if _, err := fw.Write(chunk[:min(left, len(chunk))]); err != nil {
			t.Fatal(err)
		}
	}
	fw.Close()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	crc := crcZeros(size)
	for i := range n {
		f, err := w.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("zeros-%04d.txt", i), Method: zip.Deflate,
			CRC32: crc, CompressedSize64: uint64(c.Len()), UncompressedSize64: uint64(size)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(c.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// overlappingZip is one entry whose central directory record is repeated n
// times, every copy pointing at the same local header and compressed data:
// the classic overlapping-entry bomb.
func overlappingZip(t testing.TB, n int) []byte {
	t.Helper()
	z := zipRaw(t, 1, 8<<20)
	eocd := len(z) - 22
	if binary.LittleEndian.Uint32(z[eocd:]) != 0x06054b50 {
		t.Fatal("no end of central directory where expected")
	}
	cdSize := int(binary.LittleEndian.Uint32(z[eocd+12:]))
	cdOff := int(binary.LittleEndian.Uint32(z[eocd+16:]))
	rec := z[cdOff : cdOff+cdSize]
	out := append([]byte(nil), z[:cdOff]...)
	for range n {
		out = append(out, rec...)
	}
	end := append([]byte(nil), z[eocd:]...)
	binary.LittleEndian.PutUint16(end[8:], uint16(n))
	binary.LittleEndian.PutUint16(end[10:], uint16(n))
	binary.LittleEndian.PutUint32(end[12:], uint32(n*cdSize))
	binary.LittleEndian.PutUint32(end[16:], uint32(cdOff))
	return append(out, end...)
}

func crcZeros(size int) uint32 {
	var w crcWriter
	chunk := make([]byte, 1<<20)
	for left := size; left > 0; left -= len(chunk) {
		w.Write(chunk[:min(left, len(chunk))])
	}
	return w.sum
}

func tarOf(t testing.TB, ms ...member) []byte {
	t.Helper()
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	for _, m := range ms {
		if err := w.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		w.Write(m.data)
	}
	w.Close()
	return b.Bytes()
}

// withAttachment is a text body plus one base64 attachment; name goes into
// the header as given (callers choose its encoding).
func withAttachment(body, ctype, disposition string, data []byte) []byte {
	return []byte("From: Mallory <mallory@example.net>\r\nTo: bob@example.org\r\nSubject: hostile\r\n" +
		"Message-ID: <hostile@example.net>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n" +
		"--b0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n" +
		"--b0\r\nContent-Type: " + ctype + "\r\nContent-Disposition: " + disposition + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		testmail.Base64(data) + "\r\n--b0--\r\n")
}

func attach(name string, data []byte) []byte {
	return withAttachment("See attached.", "application/octet-stream", `attachment; filename="`+name+`"`, data)
}

// nestedMultipart is n multipart levels, the innermost holding text.
func nestedMultipart(n int, inner string) []byte {
	var b strings.Builder
	b.WriteString("From: a@example.net\r\nTo: b@example.org\r\nSubject: deep\r\nMIME-Version: 1.0\r\n")
	for i := range n {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"l%d\"\r\n\r\n--l%d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\n" + inner + "\r\n")
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--l%d--\r\n", i)
	}
	return []byte(b.String())
}

func manyHeaders(n int) []byte {
	var b strings.Builder
	b.WriteString("From: a@example.net\r\nTo: b@example.org\r\nSubject: headers\r\n")
	for i := range n {
		fmt.Fprintf(&b, "X-Filler-%d: %d\r\n", i, i)
	}
	b.WriteString("\r\nbody\r\n")
	return []byte(b.String())
}

func textWithCharset(charset, cte, body string) []byte {
	return []byte("From: a@example.net\r\nTo: b@example.org\r\nSubject: charset\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=" + charset + "\r\nContent-Transfer-Encoding: " + cte + "\r\n\r\n" + body)
}

func eicar() []byte { return []byte(testmail.EICAR()) }
