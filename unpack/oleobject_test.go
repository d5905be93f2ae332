package unpack

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

var (
	clsidExcel = []byte{0x20, 0x08, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}
	clsidWord  = []byte{0x06, 0x09, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}
)

// hostWord is a Word 97 document's streams (no macros).
func hostWord() []formats.CFBEntry {
	return []formats.CFBEntry{
		{Name: "WordDocument", Parent: -1, Data: []byte{0xEC, 0xA5, 0xC1, 0, 0, 0, 0, 0}},
		{Name: "1Table", Parent: -1, Data: make([]byte, 64)},
	}
}

// inObjectPool is a Word document holding obj as Word embeds an object:
// ObjectPool/<name>, with OLE's own streams beside the object's.
func inObjectPool(name string, class []byte, obj []formats.CFBEntry) []formats.CFBEntry {
	e := hostWord()
	pool := len(e)
	e = append(e, formats.CFBEntry{Name: "ObjectPool", Storage: true, Parent: -1})
	withOLE := append(append([]formats.CFBEntry{}, obj...), formats.CFBEntry{Name: "\x01Ole", Parent: -1, Data: make([]byte, 20)},
		formats.CFBEntry{Name: "\x03ObjInfo", Parent: -1, Data: make([]byte, 6)})
	return formats.Embed(e, pool, name, class, withOLE)
}

// embeddings are the ways a compound file carries an embedded object, by
// the path of the object's storage below the file.
var embeddings = []struct {
	name, at string
	host     func(obj []formats.CFBEntry) []formats.CFBEntry
}{
	{"doc ObjectPool", "ObjectPool/_1234567890", func(obj []formats.CFBEntry) []formats.CFBEntry {
		return inObjectPool("_1234567890", clsidExcel, obj)
	}},
	{"xls MBD", "MBD0012AB34", func(obj []formats.CFBEntry) []formats.CFBEntry {
		return formats.Embed(formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}}}), -1, "MBD0012AB34", clsidWord, obj)
	}},
	// Two deep: a document embedded in a document, the object in the inner one.
	{"nested", "ObjectPool/_1/ObjectPool/_2", func(obj []formats.CFBEntry) []formats.CFBEntry {
		return inObjectPool("_1", clsidWord, inObjectPool("_2", nil, obj))
	}},
	// A storage of no name Office uses and without a class: its streams
	// make it an object.
	{"renamed storage", "Data/Report", func(obj []formats.CFBEntry) []formats.CFBEntry {
		e := append(hostWord(), formats.CFBEntry{Name: "Data", Storage: true, Parent: -1})
		return formats.Embed(e, 2, "Report", nil, obj)
	}},
}

// wrappedDocument is an Office document the wrapping tests put inside
// something else (an OLE attachment of a .msg, an object embedded in a
// compound file). Each is something Office does with the document that a
// reader of bare streams misses.
type wrappedDocument struct {
	name    string
	entries []formats.CFBEntry
	want    string // a member below the document, relative to it
	text    string // what it holds; with no member, the problem of the document
}

func wrappedDocuments() []wrappedDocument {
	xlm := formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Data"}, {Name: "Macro1", Macro: true, State: 2, Formulas: []formats.XLSFormula{
		{Rgce: formats.Cat(formats.PtgStr("cmd /c calc"), formats.PtgFuncVar(1, formats.FtabExec, false))}}}},
		Names: []formats.XLSName{{Builtin: 1, Rgce: formats.PtgRef3d(1, 0, 0)}}}
	pptVBA := formats.VBAProject(formats.VBAModule{Name: "Slide1", Source: macro})
	return []wrappedDocument{
		{"xlm macro sheet", formats.XLSEntries(xlm), "xlm/Macro1", `=EXEC("cmd /c calc")`},
		{"dde link", formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1", Formulas: []formats.XLSFormula{{Rgce: formats.PtgNameX(1, 1)}}}},
			DDE: [][2]string{{"cmd", "/c calc"}}}), "dde-links", "cmd|"},
		{"xls VelvetSweatshop", formats.EncryptedXLSEntries(xlm, formats.DefaultOfficePassword), "xlm/Macro1", `=EXEC("cmd /c calc")`},
		{"ppt vba", formats.PPTEntries(formats.PPTOptions{VBA: pptVBA}), "embedding1.bin/vba/Slide1", "Sub AutoOpen()"},
		{"ppt VelvetSweatshop vba", formats.PPTEntries(formats.PPTOptions{VBA: pptVBA, Password: formats.DefaultOfficePassword}), "embedding1.bin/vba/Slide1", "Sub AutoOpen()"},
		{"doc VelvetSweatshop", formats.EncryptWord(ddeWord(), formats.DefaultOfficePassword, true), "decrypted/WordDocument", "DDEAUTO c:"},
		{"xls unknown password", formats.EncryptedXLSEntries(xlm, "unguessable-7Qw"), "", ReasonEncryptedDoc},
		{"package", formats.PackageEntries("run.js", []byte("var sh = 1;")), "Ole10Native/run.js", "var sh = 1;"},
		{"doc vba", wordWithMacros(formats.VBAModule{Name: "NewMacros", Source: macro}), "vba/NewMacros", "Sub AutoOpen()"},
		{"stomped vba", wordWithMacros(formats.VBAModule{Name: "NewMacros", Source: "Attribute VB_Name = \"NewMacros\"\r\n", PCode: []byte("\x00\x01cmd.exe /c calc\x00\x00")}),
			"vba-pcode/NewMacros", "cmd.exe /c calc"},
	}
}

// readAsAlone checks that d, read at base in m, gives what it gives on its
// own (alone, a mail with the file as part 2/doc): its wanted member or
// problem, the same members with the same bytes, the same number of
// problems. extra names members only the wrapped form has.
func readAsAlone(t *testing.T, d wrappedDocument, alone, m *message.Message, base string, extra ...string) {
	t.Helper()
	if d.want != "" {
		p := mustPart(t, m, base+"/"+d.want)
		if !strings.Contains(string(p.Content), d.text) {
			t.Errorf("%s = %q, want it to hold %q", p.Path, p.Content, d.text)
		}
	} else {
		mustProblem(t, m, d.text, base)
	}
	below := func(m *message.Message, base string) map[string]string {
		out := map[string]string{}
		for _, p := range m.Parts {
			if rel, ok := strings.CutPrefix(p.Path, base+"/"); ok && !slices.Contains(extra, rel) {
				out[rel] = fmt.Sprintf("%x", sha256.Sum256(p.Content))
			}
		}
		return out
	}
	if a, b := below(alone, "2/doc"), below(m, base); !maps.Equal(a, b) {
		t.Errorf("members differ:\nalone   %v\nwrapped %v", slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b)))
	}
	if len(alone.Problems) != len(m.Problems) {
		t.Errorf("problems differ:\nalone:\n%s\nwrapped:\n%s", dump(alone), dump(m))
	}
}

// An Office document embedded as an OLE object in a compound file (a
// .doc's ObjectPool, an .xls's MBD storage, two deep, under a storage
// name of the sender's choosing) is read exactly as the same document on
// its own, below its storage's path: the same members, the same problems
// (OLE's own streams, which the file on its own lacks, aside).
func TestEmbeddedObjectReadAsStandalone(t *testing.T) {
	for _, d := range wrappedDocuments() {
		alone := mail("", "", "doc", formats.CFB(d.entries))
		expand(t, alone, Options{})
		for _, e := range embeddings {
			t.Run(d.name+"/"+e.name, func(t *testing.T) {
				m := mail("", "", "x.doc", formats.CFB(e.host(d.entries)))
				expand(t, m, Options{})
				readAsAlone(t, d, alone, m, "2/x.doc/"+e.at, "Ole", "ObjInfo")
			})
		}
	}
}

// wordWithMacros is a Word document with a VBA project under Macros.
func wordWithMacros(mods ...formats.VBAModule) []formats.CFBEntry {
	e := append(hostWord(), formats.CFBEntry{Name: "Macros", Storage: true, Parent: -1})
	return append(e, formats.VBAStorage(2, 3, mods...)...)
}

// The storages a document keeps for itself (Word's Macros, Excel's
// _VBA_PROJECT_CUR) are not objects: their VBA is the document's.
func TestDocumentStoragesAreNotObjects(t *testing.T) {
	xls := formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}}, VBA: []formats.VBAModule{{Name: "Module1", Source: macro}}})
	for name, entries := range map[string][]formats.CFBEntry{"x.doc": wordWithMacros(formats.VBAModule{Name: "Module1", Source: macro}), "x.xls": xls} {
		m := mail("", "", name, formats.CFB(entries))
		expand(t, m, Options{})
		noProblems(t, m)
		mustPart(t, m, "2/"+name+"/vba/Module1")
		for _, p := range m.Parts {
			if p.Content == nil {
				t.Errorf("%s: %s read as an embedded object", name, p.Path)
			}
		}
	}
}

// An embedded object's storage carries its class, which is what OLE
// starts: an Equation Editor object whose streams claim to be something
// else is still Equation.3 on its storage's member.
func TestEmbeddedObjectClass(t *testing.T) {
	lying := []formats.CFBEntry{
		{Name: "\x01CompObj", Parent: -1, Data: formats.CompObj("Microsoft Word 97-2003 Document", "Word.Document.8")},
		{Name: "Contents", Parent: -1, Data: []byte("stand-in")},
	}
	m := mail("", "", "x.doc", formats.CFB(inObjectPool("_1", formats.EquationCLSID, lying)))
	expand(t, m, Options{})
	noProblems(t, m)
	p := mustPart(t, m, "2/x.doc/ObjectPool/_1")
	if p.OLEClass != "{0002CE02-0000-0000-C000-000000000046}" {
		t.Errorf("class %q", p.OLEClass)
	}
	if p.Content != nil || !p.Container || p.Depth != 1 {
		t.Errorf("storage member: %d bytes, container %v, depth %d", len(p.Content), p.Container, p.Depth)
	}
	if got := mustPart(t, m, "2/x.doc/ObjectPool/_1/Contents").Depth; got != 1 {
		t.Errorf("stream at depth %d, want 1 (a member of the file)", got)
	}
}

// An object nested past the depth limit is not read (limit-depth on its
// storage), and its streams stay members of the file.
func TestEmbeddedObjectDepth(t *testing.T) {
	xlm := formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Macro1", Macro: true, Formulas: []formats.XLSFormula{
		{Rgce: formats.Cat(formats.PtgStr("cmd /c calc"), formats.PtgFuncVar(1, formats.FtabExec, false))}}}}})
	doc := formats.CFB(inObjectPool("_1", clsidWord, inObjectPool("_2", clsidExcel, xlm)))
	m := mail("", "", "x.doc", doc)
	expand(t, m, Options{Limits: Limits{MaxDepth: 2}})
	mustProblem(t, m, ReasonDepth, "2/x.doc/ObjectPool/_1/ObjectPool/_2")
	mustPart(t, m, "2/x.doc/ObjectPool/_1/ObjectPool/_2/Workbook")
	if p := part(m, "2/x.doc/ObjectPool/_1/ObjectPool/_2/xlm/Macro1"); p != nil {
		t.Errorf("macro sheet read past the depth limit: %s", p.Path)
	}
	for _, p := range m.Parts {
		if p.Depth > 2 {
			t.Errorf("part %s at depth %d", p.Path, p.Depth)
		}
	}
	// One level more and it is read.
	m = mail("", "", "x.doc", doc)
	expand(t, m, Options{Limits: Limits{MaxDepth: 3}})
	noProblems(t, m)
	mustPart(t, m, "2/x.doc/ObjectPool/_1/ObjectPool/_2/xlm/Macro1")
}

// Hostile storage trees: many objects stop at the member limit; a deep
// chain of storages is read in time linear in its size.
func TestEmbeddedObjectsBounded(t *testing.T) {
	e := hostWord()
	pool := len(e)
	e = append(e, formats.CFBEntry{Name: "ObjectPool", Storage: true, Parent: -1})
	for i := range 300 {
		e = formats.Embed(e, pool, fmt.Sprintf("_%d", i), clsidExcel, []formats.CFBEntry{{Name: "Contents", Parent: -1, Data: []byte{byte(i)}}})
	}
	m := mail("", "", "x.doc", formats.CFB(e))
	expand(t, m, Options{Limits: Limits{MaxMembers: 100}})
	mustProblem(t, m, ReasonMembers, "2")
	if len(m.Parts) > 102 {
		t.Errorf("%d parts past a limit of 100 members", len(m.Parts))
	}
	chain := hostWord()
	parent := -1
	for i := range 2000 {
		chain = append(chain, formats.CFBEntry{Name: fmt.Sprintf("S%d", i), Storage: true, Parent: parent})
		parent = len(chain) - 1
	}
	chain = append(chain, formats.CFBEntry{Name: "Workbook", Parent: parent, Data: formats.WorkbookStream(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}}})})
	m = mail("", "", "x.doc", formats.CFB(chain))
	expand(t, m, Options{})
	for _, p := range m.Parts {
		if p.Depth > DefaultLimits().MaxDepth {
			t.Errorf("part %s… at depth %d", p.Path[:min(len(p.Path), 40)], p.Depth)
		}
	}
}

// An object embedded in a document that is itself an OLE attachment of an
// Outlook message is read below the attachment, as in the document alone.
func TestEmbeddedObjectInMsgAttachment(t *testing.T) {
	xlm := formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Macro1", Macro: true, Formulas: []formats.XLSFormula{
		{Rgce: formats.Cat(formats.PtgStr("cmd /c calc"), formats.PtgFuncVar(1, formats.FtabExec, false))}}}}})
	m := formats.Msg{Subject: "s", Attachments: []formats.MsgAttachment{{DisplayName: "doc", Method: 6, Class: clsidWord,
		OLE: inObjectPool("_1", clsidExcel, xlm)}}}
	msg := mail("", "", "x.msg", formats.MsgBytes(m))
	expand(t, msg, Options{})
	noProblems(t, msg)
	if p := mustPart(t, msg, "2/x.msg/doc/ObjectPool/_1/xlm/Macro1"); !strings.Contains(string(p.Content), `=EXEC("cmd /c calc")`) {
		t.Errorf("macro sheet: %q", p.Content)
	}
	if got := mustPart(t, msg, "2/x.msg/doc/ObjectPool/_1").OLEClass; got != "{00020820-0000-0000-C000-000000000046}" {
		t.Errorf("class %q", got)
	}
}

// Storages are looked at as objects down to maxObjectNesting levels below
// the file's root; a file nested deeper is refused whole (limit-depth), so
// no object lies below the search.
func TestEmbeddedObjectNesting(t *testing.T) {
	xlm := formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Macro1", Macro: true, Formulas: []formats.XLSFormula{
		{Rgce: formats.Cat(formats.PtgStr("cmd /c calc"), formats.PtgFuncVar(1, formats.FtabExec, false))}}}}})
	for _, level := range []int{maxObjectNesting, maxObjectNesting + 1} {
		e := hostWord()
		parent, dir := -1, ""
		for i := range level - 1 {
			e = append(e, formats.CFBEntry{Name: fmt.Sprintf("S%d", i), Storage: true, Parent: parent})
			parent, dir = len(e)-1, dir+fmt.Sprintf("S%d/", i)
		}
		m := mail("", "", "x.doc", formats.CFB(formats.Embed(e, parent, "Obj", nil, xlm)))
		expand(t, m, Options{Limits: Limits{MaxDepth: 3}})
		if level > maxObjectNesting { // deeper than the object search: not opened at all (checkCFB)
			mustProblem(t, m, ReasonDepth, "2")
			continue
		}
		if part(m, "2/x.doc/"+dir+"Obj/xlm/Macro1") == nil {
			t.Errorf("object %d storages deep not read:\n%s", level, dump(m))
		}
		mustPart(t, m, "2/x.doc/"+dir+"Obj/Workbook")
	}
}
