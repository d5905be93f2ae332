package unpack

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

const macro = "Attribute VB_Name = \"Module1\"\r\nSub AutoOpen()\r\n  Shell \"cmd /c echo harmless\"\r\nEnd Sub\r\n"

// macroProject is a vbaProject.bin whose Module1 holds macro.
func macroProject() []byte {
	return formats.VBAProject(formats.VBAModule{Name: "Module1", Source: macro})
}

func TestDecompressVBASpecExample(t *testing.T) {
	// MS-OVBA 3.2.3: a container with copy tokens.
	in := []byte{0x01, 0x2F, 0xB0, 0x00, 0x23, 0x61, 0x61, 0x61, 0x62, 0x63, 0x64, 0x65, 0x82, 0x66, 0x00, 0x70,
		0x61, 0x67, 0x68, 0x69, 0x6A, 0x01, 0x38, 0x08, 0x61, 0x6B, 0x6C, 0x00, 0x30, 0x6D, 0x6E, 0x6F,
		0x70, 0x06, 0x71, 0x02, 0x70, 0x04, 0x10, 0x72, 0x73, 0x74, 0x75, 0x76, 0x10, 0x77, 0x78, 0x79,
		0x7A, 0x00, 0x3C}
	want := "#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
	got, err := decompressVBA(in, 1<<20)
	if err != nil || string(got) != want {
		t.Fatalf("decompressVBA = %q, %v; want %q", got, err, want)
	}
	long := bytes.Repeat([]byte("Sub x()\r\n"), 2000)
	if got, err := decompressVBA(formats.OVBALiteral(long), 1<<20); err != nil || !bytes.Equal(got, long) {
		t.Fatalf("literal round trip: %d bytes, %v", len(got), err)
	}
	if got, _ := decompressVBA(formats.OVBALiteral(long), 100); len(got) > 100 {
		t.Errorf("max not honoured: %d bytes", len(got))
	}
}

func TestVBA(t *testing.T) {
	bin := macroProject()
	docm := zipOf(t,
		entry{"[Content_Types].xml", []byte(`<Types/>`)},
		entry{"word/document.xml", []byte(`<w:document/>`)},
		entry{"word/_rels/settings.xml.rels", []byte(`<Relationship Type=".../attachedTemplate" Target="http://198.51.100.7/t.dotm" TargetMode="External"/>`)},
		entry{"word/vbaProject.bin", bin},
	)
	tests := []struct {
		name, filename string
		content        []byte
		module, rels   string
	}{
		{"ole", "x.doc", bin, "2/x.doc/vba/Module1", ""},
		{"ooxml", "x.docm", docm, "2/x.docm/word/vbaProject.bin/vba/Module1", "2/x.docm/word/_rels/settings.xml.rels"},
		{"ooxml in zip", "a.zip", zipOf(t, entry{"docs/x.docm", docm}), "2/a.zip/docs/x.docm/word/vbaProject.bin/vba/Module1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mail("", "", tt.filename, tt.content)
			expand(t, m, Options{})
			noProblems(t, m)
			p := mustPart(t, m, tt.module)
			if string(p.Content) != macro {
				t.Errorf("module source = %q", p.Content)
			}
			if p.Filename != "Module1" {
				t.Errorf("Filename %q", p.Filename)
			}
			if tt.rels != "" && !strings.Contains(string(mustPart(t, m, tt.rels).Content), `TargetMode="External"`) {
				t.Error("rels part lacks its text")
			}
		})
	}
}

func TestOLEPackage(t *testing.T) {
	payload := []byte("MZ fake executable header, harmless")
	var native []byte
	native = append(native, 2, 0)
	native = append(native, "invoice.exe\x00C:\\tmp\\invoice.exe\x00"...)
	native = append(native, 0, 0, 3, 0)
	tmp := "C:\\Temp\\invoice.exe\x00"
	native = binary.LittleEndian.AppendUint32(native, uint32(len(tmp)))
	native = append(native, tmp...)
	native = binary.LittleEndian.AppendUint32(native, uint32(len(payload)))
	native = append(native, payload...)
	stream := binary.LittleEndian.AppendUint32(nil, uint32(len(native)))
	stream = append(stream, native...)
	doc := formats.CFB([]formats.CFBEntry{
		{Name: "WordDocument", Parent: -1, Data: bytes.Repeat([]byte{0xEC}, 5000)},
		{Name: "ObjectPool", Storage: true, Parent: -1},
		{Name: "_1234", Storage: true, Parent: 1},
		{Name: "\x01Ole10Native", Parent: 2, Data: stream},
	})
	m := mail("", "", "x.doc", doc)
	expand(t, m, Options{})
	noProblems(t, m)
	mustPart(t, m, "2/x.doc/WordDocument")
	p := mustPart(t, m, "2/x.doc/ObjectPool/_1234/Ole10Native/invoice.exe")
	if !bytes.Equal(p.Content, payload) || p.Filename != "invoice.exe" {
		t.Errorf("package member %q %q", p.Filename, p.Content)
	}
	// The stream holding the file is a container, so that a scanner that
	// matched the file does not count the stream's copy of it again.
	if s := mustPart(t, m, "2/x.doc/ObjectPool/_1234/Ole10Native"); !s.Container {
		t.Error("Ole10Native stream not marked Container")
	}
}
