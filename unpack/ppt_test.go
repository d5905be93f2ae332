package unpack

import (
	"strings"
	"testing"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
)

func TestPPTVBA(t *testing.T) {
	src := "Attribute VB_Name = \"Module1\"\r\nSub Auto_Open()\r\nShell \"notepad.exe\"\r\nEnd Sub\r\n"
	ppt := f.PPT(f.VBAProject(f.VBAModule{Name: "Module1", Source: src}))
	m := mail("deck", "see attached", "deck.ppt", ppt)
	expand(t, m, Options{})
	p := mustPart(t, m, "2/deck.ppt/embedding1.bin/vba/Module1")
	if string(p.Content) != src {
		t.Errorf("module source %q", p.Content)
	}
	if m.Problems != nil {
		t.Errorf("problems: %+v", m.Problems)
	}
}

func TestVBAStomping(t *testing.T) {
	stomped := f.VBAProject(f.VBAModule{Name: "Module1", Source: "Attribute VB_Name = \"Module1\"\r\n",
		PCode: []byte("\x00\x01\x02cmd.exe /c notepad\x00\x05\x06WScript.Shell\x00")})
	m := mail("x", "x", "x.bin", stomped)
	expand(t, m, Options{})
	p := mustPart(t, m, "2/x.bin/vba-pcode/Module1")
	if !strings.HasPrefix(string(p.Content), VBAStompedHeader) || !strings.Contains(string(p.Content), "cmd.exe /c notepad") {
		t.Errorf("p-code member %q", p.Content)
	}
	// Honest: the source has procedures and the p-code strings are harmless or in it.
	honest := f.VBAProject(f.VBAModule{Name: "Module1", Source: "Sub A()\r\nMsgBox \"Hello there\"\r\nEnd Sub\r\n",
		PCode: []byte("\x00Hello there\x00\x01ModuleInfo\x00")})
	m = mail("x", "x", "x.bin", honest)
	expand(t, m, Options{})
	if part(m, "2/x.bin/vba-pcode/Module1") != nil {
		t.Error("an honest module reads as stomped")
	}
}

func FuzzPPTRecords(fz *testing.F) {
	fz.Add(f.PPT(nil, f.VBAProject(f.VBAModule{Name: "M", Source: "x"}))[:600])
	fz.Add([]byte{0x0F, 0, 0xE8, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0x10, 0, 0x11, 0x10, 4, 0, 0, 0, 1, 2, 3, 4})
	fz.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		pptRecords(b, func(r pptRecord) error {
			if r.start > r.end || r.end > len(b) {
				t.Fatalf("record %+v outside %d bytes", r, len(b))
			}
			n++
			return nil
		})
		if n > maxPPTRecords {
			t.Fatal(n)
		}
	})
}
