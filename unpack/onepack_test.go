package unpack

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// TestOneNotePackaged: a section in the alternative packaging (MS-ONESTORE
// 2.8) has its file data read, BLOBs and inline, under the names OneNote
// shows; before this reader it was unsupported-container.
func TestOneNotePackaged(t *testing.T) {
	script := []byte("var total = 42;")
	pdf := []byte("%PDF-1.4 statement")
	one := func(t *testing.T, text string, files ...formats.OneNoteFile) *message.Message {
		t.Helper()
		m := mail("", "", "x.one", formats.OneNotePackaged(text, files...))
		expand(t, m, Options{})
		return m
	}
	content := func(t *testing.T, m *message.Message, path string, want []byte) *message.Part {
		t.Helper()
		p := mustPart(t, m, path)
		if !bytes.Equal(p.Content, want) {
			t.Errorf("%s: content %q, want %q", path, p.Content, want)
		}
		return p
	}
	t.Run("blob", func(t *testing.T) {
		m := one(t, "Double-click to open", formats.OneNoteFile{Name: "open.hta", Data: script})
		noProblems(t, m)
		if p := content(t, m, "2/x.one/open.hta", script); p.Filename != "open.hta" || len(p.AltNames) != 0 {
			t.Errorf("Filename %q AltNames %q", p.Filename, p.AltNames)
		}
	})
	t.Run("inline", func(t *testing.T) {
		m := one(t, "", formats.OneNoteFile{Name: "open.hta", Data: script, Inline: true})
		noProblems(t, m)
		content(t, m, "2/x.one/open.hta", script)
	})
	t.Run("large", func(t *testing.T) {
		// Past 32766 bytes the 32-bit header's length is a compact uint64.
		big := bytes.Repeat([]byte("MZ harmless "), 20000)
		m := one(t, "", formats.OneNoteFile{Name: "setup.exe", Data: big}, formats.OneNoteFile{Name: "tool.exe", Data: big[:70000], Inline: true})
		noProblems(t, m)
		content(t, m, "2/x.one/setup.exe", big)
		content(t, m, "2/x.one/tool.exe", big[:70000])
	})
	t.Run("two in order", func(t *testing.T) {
		m := one(t, "", formats.OneNoteFile{Name: "report.pdf", Data: pdf, Inline: true}, formats.OneNoteFile{Name: "scan.wsf", Data: script})
		noProblems(t, m)
		content(t, m, "2/x.one/report.pdf", pdf)
		content(t, m, "2/x.one/scan.wsf", script)
	})
	t.Run("picture takes no name", func(t *testing.T) {
		// An honest section with a screenshot and a PDF: the PDF has its
		// name alone, the picture is a member of its own.
		png := []byte("\x89PNG\r\n\x1a\n picture")
		m := one(t, "", formats.OneNoteFile{Picture: true, Data: png}, formats.OneNoteFile{Name: "report.pdf", Data: pdf})
		noProblems(t, m)
		if p := content(t, m, "2/x.one/report.pdf", pdf); len(p.AltNames) != 0 {
			t.Errorf("AltNames %q", p.AltNames)
		}
		if p := content(t, m, "2/x.one/picture-1", png); len(p.AltNames) != 0 {
			t.Errorf("picture AltNames %q", p.AltNames)
		}
	})
	t.Run("unpaired", func(t *testing.T) {
		// Two names, one file: the file carries both.
		m := one(t, "", formats.OneNoteFile{Name: "report.pdf", Data: pdf}, formats.OneNoteFile{Name: "scan \u202Efdp.wsf", Picture: true, Data: script})
		noProblems(t, m)
		if p := content(t, m, "2/x.one/report.pdf", pdf); !slices.Equal(p.AltNames, []string{"scan \u202Efdp.wsf"}) {
			t.Errorf("AltNames %q\n%s", p.AltNames, dump(m))
		}
	})
	t.Run("excluded", func(t *testing.T) {
		// File data left out of the package: the name is an empty member,
		// the section unsupported-container.
		m := one(t, "", formats.OneNoteFile{Name: "open.hta", Data: script, Unstored: true})
		mustProblem(t, m, ReasonUnsupported, "2")
		if p := mustPart(t, m, "2/x.one/open.hta"); len(p.Content) != 0 {
			t.Errorf("content %q", p.Content)
		}
	})
	t.Run("names without files", func(t *testing.T) {
		// Only a picture: the names found no file, as before this reader.
		m := one(t, "", formats.OneNoteFile{Name: "open.hta", Picture: true, Data: script})
		mustProblem(t, m, ReasonUnsupported, "2")
		mustPart(t, m, "2/x.one/open.hta")
		content(t, m, "2/x.one/picture-1", script)
	})
	t.Run("page text", func(t *testing.T) {
		m := one(t, "run setup.exe", formats.OneNoteFile{Data: script})
		noProblems(t, m)
		if p := content(t, m, "2/x.one/embedded-1", script); len(p.AltNames) != 0 {
			t.Errorf("AltNames %q from page text", p.AltNames)
		}
	})
}

// packagedOpen runs the OneNote opener on b and returns the problems.
func packagedOpen(t *testing.T, b []byte) *message.Message {
	t.Helper()
	m := mail("", "", "x.one", b)
	expand(t, m, Options{})
	return m
}

// packagedHead is a packaging's header up to the data element package's
// first element: the GUIDs, the packaging start and the package start.
// The GUIDs and reserved bytes (68), the packaging start (a 32-bit header
// and 33 bytes: the storage index's ID and the cell schema), the package
// start (a 16-bit header and a reserved byte).
func packagedHead(t *testing.T) []byte {
	t.Helper()
	b := formats.OneNotePackaged("")
	if v := binary.LittleEndian.Uint16(b[108:]); v&0x1FF != fsDataElement<<3|4 {
		t.Fatalf("no data element at 108: %04x", v)
	}
	return slices.Clone(b[:108])
}

// TestOneNotePackagedHostile: a malformed packaging is corrupt-archive or
// unsupported-container with its reason, never clean, never a panic, and
// its work is bounded.
func TestOneNotePackagedHostile(t *testing.T) {
	script := []byte("var blob = 42;")
	good := formats.OneNotePackaged("text", formats.OneNoteFile{Name: "open.hta", Data: script}, formats.OneNoteFile{Name: "b.js", Data: []byte("var inline = 1;"), Inline: true})
	if m := packagedOpen(t, good); len(m.Problems) != 0 {
		t.Fatalf("good section: %s", dump(m))
	}
	t.Run("revisions", func(t *testing.T) {
		// The object group twice, as two revisions keep the same objects:
		// each file is one member.
		i := bytes.Index(good, []byte{fsGroupDecls<<3 | 4, 0}) - 2 - 43 // its data element's header
		end := i + bytes.Index(good[i:], []byte{fsGroupData<<2 | 1, fsDataElement<<2 | 1}) + 2
		b := slices.Concat(good[:end], good[i:end], good[end:])
		m := packagedOpen(t, b)
		noProblems(t, m)
		if len(m.Parts) != len(packagedOpen(t, good).Parts) {
			t.Errorf("members differ from the section with one group:\n%s", dump(m))
		}
	})
	t.Run("truncated", func(t *testing.T) {
		for n := 64; n < len(good); n++ {
			m := packagedOpen(t, good[:n])
			if len(m.Problems) == 0 {
				t.Fatalf("cut at %d of %d: no problem\n%s", n, len(good), dump(m))
			}
		}
	})
	reason := func(t *testing.T, b []byte, reason, detail string) {
		t.Helper()
		m := packagedOpen(t, b)
		mustProblem(t, m, reason, "2")
		if p := problem(m, reason); !strings.Contains(p.Detail, detail) {
			t.Errorf("detail %q, want %q", p.Detail, detail)
		}
	}
	t.Run("huge length", func(t *testing.T) {
		// The BLOB's header, made a 32-bit one, says 2^64-1 bytes.
		i := bytes.Index(good, script)
		b := slices.Clone(good[:i-1-2]) // its 16-bit header, then the BinaryItem's length byte
		b = binary.LittleEndian.AppendUint32(b, 0x7FFF<<17|fsObjectDataBlob<<3|2)
		b = append(b, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
		b = append(b, good[i-1:]...)
		reason(t, b, ReasonCorrupt, "declares 18446744073709551615 bytes")
	})
	t.Run("huge item", func(t *testing.T) {
		// The BinaryItem inside says more than its object holds.
		i := bytes.Index(good, script)
		b := slices.Clone(good)
		b[i-1] = 0x7F<<1 | 1
		reason(t, b, ReasonCorrupt, "field runs past its object")
	})
	t.Run("deep nesting", func(t *testing.T) {
		b := packagedHead(t)
		for range 100000 {
			b = binary.LittleEndian.AppendUint16(b, 1<<9|fsPackage<<3|4)
			b = append(b, 0)
		}
		reason(t, b, ReasonCorrupt, "inside one of type 0x15")
	})
	t.Run("many tiny objects", func(t *testing.T) {
		// A storage index of 2^20 empty mappings: the object budget ends it.
		b := packagedHead(t)
		b = binary.LittleEndian.AppendUint16(b, 3<<9|fsDataElement<<3|4)
		b = append(b, 0, 0, 1<<1|1) // a null ID, no serial, type 1
		for range fsMaxObjects {
			b = binary.LittleEndian.AppendUint16(b, fsIndexManifest<<3)
		}
		reason(t, b, ReasonUnsupported, "more than 1048576 stream objects")
	})
	t.Run("many files", func(t *testing.T) {
		// More file data objects than are kept: said, not dropped.
		files := make([]formats.OneNoteFile, fsMaxFiles+1)
		for i := range files {
			files[i] = formats.OneNoteFile{Data: fmt.Appendf(nil, "file %d", i), Inline: true}
		}
		reason(t, formats.OneNotePackaged("", files...), ReasonUnsupported, "more than 16384 file data objects")
	})
	t.Run("unknown type", func(t *testing.T) {
		b := packagedHead(t)
		b = binary.LittleEndian.AppendUint16(b, 0x3F<<3)
		reason(t, b, ReasonUnsupported, "stream object of type 0x3F")
	})
	t.Run("fragment", func(t *testing.T) {
		b := packagedHead(t)
		b = binary.LittleEndian.AppendUint16(b, 3<<9|fsDataElement<<3|4)
		b = append(b, 0, 0, fsElemFragment<<1|1)
		reason(t, b, ReasonUnsupported, "fragmented data element")
	})
	t.Run("end of another object", func(t *testing.T) {
		b := packagedHead(t)
		b = append(b, fsDataElement<<2|1)
		reason(t, b, ReasonCorrupt, "end of a stream object of type 0x1 not open")
	})
	t.Run("missing blob", func(t *testing.T) {
		// The BLOB's data element is cut out: its reference finds nothing.
		i := bytes.Index(good, script)
		start := bytes.LastIndex(good[:i], []byte{1<<3 | 4, 43 << 1}) // its data element's header
		b := slices.Concat(good[:start], good[i+len(script)+1:])
		reason(t, b, ReasonUnsupported, "BLOB the package does not hold")
		// The names go to the one file left.
		if m := packagedOpen(t, b); part(m, "2/x.one/open.hta") == nil {
			t.Errorf("no member named open.hta\n%s", dump(m))
		}
	})
	t.Run("declarations and data disagree", func(t *testing.T) {
		// One object data more than the group declares, before its end.
		i := bytes.Index(good, []byte{0x1E<<3 | 4, 0})
		end := i + bytes.Index(good[i:], []byte{fsGroupData<<2 | 1, fsDataElement<<2 | 1})
		extra := binary.LittleEndian.AppendUint16(nil, 3<<9|fsGroupObject<<3)
		b := slices.Concat(good[:end], extra, []byte{0, 0, 0}, good[end:])
		reason(t, b, ReasonCorrupt, "holds data for more than its 12 objects")
		// One declaration more than the data.
		j := bytes.Index(good, []byte{fsGroupDecls<<2 | 1, 0x1E<<3 | 4, 0})
		decl := binary.LittleEndian.AppendUint16(nil, 5<<9|fsGroupObjectDecl<<3)
		b = slices.Concat(good[:j], decl, []byte{0, 0, 0, 0, 0}, good[j:])
		reason(t, b, ReasonCorrupt, "declares 13 objects and holds data for 12")
		// The first object data dropped: the rest meet the wrong declarations.
		b = slices.Concat(good[:i+2], good[i+2+2+7:])
		reason(t, b, ReasonCorrupt, "object data of another kind than declared")
	})
	t.Run("compound where none is", func(t *testing.T) {
		b := packagedHead(t)
		b = binary.LittleEndian.AppendUint16(b, fsIndexManifest<<3|4)
		reason(t, b, ReasonCorrupt, "compound true")
	})
}
