package unpack

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"testing"

	"github.com/richardlehane/mscfb"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/soffice"
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
	fz.Add(f.PPTWith(f.PPTOptions{Gap: 3})[512:1400])
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
		cu := append([]byte{0, 0, 0xF6, 0x0F, 20, 0, 0, 0, 20, 0, 0, 0, 0x5F, 0xC0, 0x91, 0xE3}, b[:min(len(b), 4)]...)
		for _, off := range pptPersistOffsets(b, cu) {
			if off < 0 {
				t.Fatalf("offset %d", off)
			}
		}
	})
}

// PowerPoint finds its objects through the persist directory, not by
// walking the stream: junk between objects hides them from a walk, not
// from PowerPoint, and not from Kensa.
func TestPPTPersistDirectory(t *testing.T) {
	src := "Attribute VB_Name = \"Module1\"\r\nSub Auto_Open()\r\nShell \"notepad.exe\"\r\nEnd Sub\r\n"
	ppt := f.PPTWith(f.PPTOptions{VBA: f.VBAProject(f.VBAModule{Name: "Module1", Source: src}), Gap: 37})
	doc, cu := pptStreams(t, ppt)
	walked := 0
	pptRecords(doc, func(r pptRecord) error {
		if r.typ == pptExOleObjStg {
			walked++
		}
		return nil
	})
	if walked != 0 {
		t.Fatalf("a walk of the records found %d storages: the gaps do not hide them, the test proves nothing", walked)
	}
	checkPPTStructure(t, "ours, with gaps", doc, cu)
	m := mail("deck", "see attached", "deck.ppt", ppt)
	expand(t, m, Options{})
	if p := mustPart(t, m, "2/deck.ppt/embedding1.bin/vba/Module1"); string(p.Content) != src {
		t.Errorf("module source %q", p.Content)
	}
}

// pptStreams returns the PowerPoint Document and Current User streams.
func pptStreams(t *testing.T, ppt []byte) (doc, cu []byte) {
	t.Helper()
	r, err := mscfb.New(bytes.NewReader(ppt))
	if err != nil {
		t.Fatal(err)
	}
	for e, err := r.Next(); err == nil; e, err = r.Next() {
		b, _ := io.ReadAll(e)
		switch e.Name {
		case "PowerPoint Document":
			doc = b
		case "Current User":
			cu = b
		}
	}
	if doc == nil || cu == nil {
		t.Fatalf("streams: PowerPoint Document %d bytes, Current User %d bytes", len(doc), len(cu))
	}
	return doc, cu
}

// checkPPTStructure: the Current User stream leads through the last edit
// and its persist directory to the document container and a slide.
func checkPPTStructure(t *testing.T, what string, doc, cu []byte) {
	t.Helper()
	types := map[uint16]bool{}
	for _, off := range pptPersistOffsets(doc, cu) {
		if off >= 0 && off+8 <= len(doc) {
			types[binary.LittleEndian.Uint16(doc[off+2:])] = true
		}
	}
	if !types[0x03E8] || !types[0x03EE] {
		t.Errorf("%s: the persist directory leads to record types %v, want the document (0x3E8) and a slide (0x3EE)", what, types)
	}
}

// libreOfficePPT is the .ppt LibreOffice writes of a one-slide flat
// presentation whose slide holds pageXML (draw: shapes).
func libreOfficePPT(t *testing.T, pageXML string) []byte {
	t.Helper()
	fodp := soffice.Flat("presentation", `<office:master-styles><style:master-page style:name="Default"/></office:master-styles><office:body><office:presentation>`+
		`<draw:page draw:name="page1" draw:master-page-name="Default">`+pageXML+`</draw:page></office:presentation></office:body>`)
	out, err := soffice.ConvertFiles(t.TempDir(), "ppt", map[string][]byte{"deck.fodp": []byte(fodp)})
	if err != nil {
		t.Fatal(err)
	}
	return out["deck.fodp"]
}

// A .ppt LibreOffice wrote has the structure our writer writes and Kensa
// reads it: the same persist objects, no problem reported.
func TestPPTWrittenByLibreOffice(t *testing.T) {
	ppt := libreOfficePPT(t, `<draw:frame svg:x="2cm" svg:y="2cm" svg:width="10cm" svg:height="3cm"><draw:text-box><text:p>Quarterly review</text:p></draw:text-box></draw:frame>`)
	doc, cu := pptStreams(t, ppt)
	checkPPTStructure(t, "LibreOffice's", doc, cu)
	ours, oursCU := pptStreams(t, f.PPT(nil))
	checkPPTStructure(t, "ours", ours, oursCU)
	m := mail("deck", "see attached", "deck.ppt", ppt)
	expand(t, m, Options{})
	if len(m.Problems) != 0 {
		t.Errorf("problems with LibreOffice's .ppt: %+v", m.Problems)
	}
	mustPart(t, m, "2/deck.ppt/PowerPoint Document")
}
