package unpack

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"hash/crc32"
	"os"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

const marker = "KENSA-TEST-MARKER harmless fixture"

type entry struct {
	name string
	data []byte
}

// zipOf is a zip of deflated members (formats.ArchiveZip).
func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	zs := make([]formats.ZipEntry, len(entries))
	for i, e := range entries {
		zs[i] = formats.ZipEntry{Name: e.name, Data: e.data}
	}
	return formats.ArchiveZip(true, zs...)
}

func gzipOf(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Name = name
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatalf("fixture %s (made by testdata/gen/unpack-fixtures.sh): %v", name, err)
	}
	return b
}

// mail is a message with a text body and one attachment as part 2.
func mail(subject, body, filename string, content []byte) *message.Message {
	return &message.Message{
		Subject: subject,
		Parts: []*message.Part{
			{Path: "1", DeclaredType: "text/plain", Content: []byte(body)},
			{Path: "2", Filename: filename, DeclaredType: "application/octet-stream", Content: content},
		},
	}
}

func expand(t testing.TB, m *message.Message, opts Options) {
	t.Helper()
	Expand(context.Background(), m, opts)
}

func part(m *message.Message, path string) *message.Part {
	for _, p := range m.Parts {
		if p.Path == path {
			return p
		}
	}
	return nil
}

func mustPart(t testing.TB, m *message.Message, path string) *message.Part {
	t.Helper()
	p := part(m, path)
	if p == nil {
		t.Fatalf("no part %q; have:\n%s", path, dump(m))
	}
	return p
}

func problem(m *message.Message, reason string) *message.Problem {
	for i := range m.Problems {
		if m.Problems[i].Reason == reason {
			return &m.Problems[i]
		}
	}
	return nil
}

func mustProblem(t testing.TB, m *message.Message, reason, part string) {
	t.Helper()
	p := problem(m, reason)
	if p == nil {
		t.Fatalf("no %s problem; have:\n%s", reason, dump(m))
	}
	if !p.Unscannable {
		t.Errorf("%s problem is not unscannable", reason)
	}
	if part != "" && p.Part != part {
		t.Errorf("%s problem on part %q, want %q", reason, p.Part, part)
	}
}

func noProblems(t testing.TB, m *message.Message) {
	t.Helper()
	if len(m.Problems) > 0 {
		t.Fatalf("unexpected problems:\n%s", dump(m))
	}
}

func dump(m *message.Message) string {
	var b strings.Builder
	for _, p := range m.Parts {
		c := p.Content
		if len(c) > 40 {
			c = c[:40]
		}
		b.WriteString("  part " + p.Path + " [" + p.Filename + "] " + p.DetectedType + " " + strings.ToValidUTF8(string(c), "?") + "\n")
	}
	for _, p := range m.Problems {
		b.WriteString("  problem " + p.Part + " " + p.Reason + ": " + p.Detail + "\n")
	}
	return b.String()
}

// encryptedZip builds a zip whose entries are encrypted with pw: ZipCrypto
// when aesStrength is 0, WinZip AES-2 otherwise.
func encryptedZip(t testing.TB, pw string, aesStrength byte, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		comp := deflate(t, e.data)
		crc := crc32.ChecksumIEEE(e.data)
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: crc, UncompressedSize64: uint64(len(e.data))}
		h.Flags |= 1
		var sealed []byte
		if aesStrength == 0 {
			sealed = zipCryptoEncrypt(comp, pw, byte(crc>>24), [11]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
		} else {
			var err error
			salt := bytes.Repeat([]byte{7}, 4+4*int(aesStrength))
			sealed, err = aesEncrypt(comp, pw, aesStrength, salt)
			if err != nil {
				t.Fatal(err)
			}
			h.Method = methodAES
			h.CRC32 = 0
			extra := make([]byte, 11)
			binary.LittleEndian.PutUint16(extra, 0x9901)
			binary.LittleEndian.PutUint16(extra[2:], 7)
			binary.LittleEndian.PutUint16(extra[4:], 2)
			copy(extra[6:], "AE")
			extra[8] = aesStrength
			binary.LittleEndian.PutUint16(extra[9:], zip.Deflate)
			h.Extra = extra
		}
		h.CompressedSize64 = uint64(len(sealed))
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(sealed)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func deflate(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "x", Method: zip.Deflate})
	w.Write(data)
	zw.Close()
	r, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := r.File[0].OpenRaw()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	out.ReadFrom(rc)
	return out.Bytes()
}

func readDir(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names, err
}
