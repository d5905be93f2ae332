package unpack

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// The examples of MS-OXRTFCP 4.1 and 4.2: references into the prefix, and
// a reference that overlaps the bytes it writes.
func TestDecompressRTFSpecExamples(t *testing.T) {
	if len(lzfuPrefix) != 207 {
		t.Fatalf("dictionary prefix is %d bytes, the spec says 207", len(lzfuPrefix))
	}
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte{0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7,
			0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20,
			0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0},
			"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"},
		{[]byte{0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4, 0x4b, 0x51,
			0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0},
			"{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}"},
	}
	for _, tt := range tests {
		got, crcOK, err := decompressRTF(tt.in, 1<<20)
		if err != nil || !crcOK || string(got) != tt.want {
			t.Errorf("decompressRTF = %q, crc %v, %v; want %q", got, crcOK, err, tt.want)
		}
		bad := slices.Clone(tt.in)
		bad[len(bad)-3] ^= 0x40
		if _, crcOK, _ := decompressRTF(bad, 1<<20); crcOK {
			t.Errorf("a changed byte kept the CRC")
		}
	}
	rtf := []byte(strings.Repeat(`{\rtf1\ansi hello}`, 500))
	if got, ok, err := decompressRTF(formats.LZFuLiteral(rtf), 1<<20); err != nil || !ok || !bytes.Equal(got, rtf) {
		t.Fatalf("literal round trip: %d bytes, crc %v, %v", len(got), ok, err)
	}
}

// Hostile compressed RTF: a raw size of 4 GiB, references that repeat one
// byte far past the limit, a header cut short, an unknown method. Each
// ends bounded, with an error.
func TestDecompressRTFHostile(t *testing.T) {
	bomb := lzfuBomb(1000)
	got, _, err := decompressRTF(bomb, 4096)
	if err == nil || len(got) > 4096 {
		t.Errorf("bomb: %d bytes, %v; want the limit and an error", len(got), err)
	}
	if _, _, err := decompressRTF(bomb[:10], 1<<20); err == nil {
		t.Error("a 10-byte body read without error")
	}
	bad := slices.Clone(bomb)
	copy(bad[8:], "ABCD")
	if _, _, err := decompressRTF(bad, 1<<20); err == nil {
		t.Error("an unknown compression read without error")
	}
	cut := formats.LZFuLiteral([]byte(`{\rtf1 text}`))
	if got, _, err := decompressRTF(cut[:len(cut)-4], 1<<20); err == nil || len(got) == 0 {
		t.Errorf("truncated: %q, %v; want what was there and an error", got, err)
	}
}

func TestRTFHTML(t *testing.T) {
	rtf := `{\rtf1\ansi\ansicpg1251\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}` +
		`{\*\htmltag19 <html>}{\*\htmltag34 <head>}{\*\htmltag41 </head>}` + "\r\n" +
		`{\*\htmltag50 <body>}\htmlrtf {\htmlrtf0 ` +
		`{\*\htmltag84 <a href="https://login.micros0ft.example/">}\htmlrtf {\field{\*\fldinst HYPERLINK "x"}}\htmlrtf0 Sign in \'cf\'f0\u8364?` +
		`{\*\htmltag92 </a>}\par \htmlrtf }\htmlrtf0 {\*\htmltag58 </body>}{\*\htmltag27 </html>}}`
	got := string(rtfHTML([]byte(rtf)))
	want := "<html><head></head><body><a href=\"https://login.micros0ft.example/\">Sign in Пр€</a>\r\n</body></html>"
	if got != want {
		t.Errorf("rtfHTML =\n%q\nwant\n%q", got, want)
	}
	if rtfHTML([]byte(`{\rtf1\ansi plain text}`)) != nil {
		t.Error("RTF without \\fromhtml gave HTML")
	}
}

// msgMail is a message whose part 2 is the .msg m.
func msgMail(m formats.Msg) []byte { return formats.MsgBytes(m) }

func TestMsg(t *testing.T) {
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	js := []byte("var sh = new ActiveXObject(\"WScript.Shell\");\r\n")
	inner := &formats.Msg{Subject: "Invoice", Body: "See the attachment.",
		Attachments: []formats.MsgAttachment{{LongName: "setup.exe", Data: []byte("MZ\x90\x00stand-in")}}}
	outer := &formats.Msg{Subject: "Fwd: Invoice", Body: "Forwarded.", Attachments: []formats.MsgAttachment{
		{DisplayName: "Invoice", Method: 5, Embedded: inner}}}
	m := formats.Msg{
		Subject:  "Your invoice",
		Headers:  "Received: from mx.example.com\r\nSubject: Your invoice\r\n",
		Body:     "Plain body https://plain.example/",
		Body8:    []byte("Cyrillic \xcf\xf0\xe8\xe2\xe5\xf2"),
		CodePage: 1251,
		HTML:     []byte(`<html><body><a href="https://html.example/">x</a></body></html>`),
		RTF:      []byte(`{\rtf1\ansi\fromhtml1 {\*\htmltag <a href="https://rtf.example/">}x{\*\htmltag </a>}}`),
		Attachments: []formats.MsgAttachment{
			{LongName: "invoice.pdf.js", Name: "INVOIC~1.JS", DisplayName: "invoice.pdf", LongName8: "invoice.pdf", MIMETag: "application/pdf", Data: js},
			{LongName: "statement.pdf", Extension: ".hta", Data: pdf},
			{DisplayName: "Forwarded", Method: 5, Embedded: outer},
			{DisplayName: "package", Method: 6, Data: oleNativeOf("run.js", js)},
			{LongName: "report.pdf.lnk", Method: 7, Pathname: `\\files.example\share\report.pdf.lnk`},
			{LongName: "notes.js\x00.txt", Data: []byte("var b")},
			{LongName: "figures.xlsx", Name: "FIGURE~1.XLS", DisplayName: "figures", Data: []byte("PK stand-in")},
			{LongName: "linked.pdf", Method: 7, Pathname: "https://files.example/linked.pdf", Data: []byte("linked file stand-in")},
		},
	}
	msg := mail("", "", "fwd.msg", msgMail(m))
	expand(t, msg, Options{})
	noProblems(t, msg)
	text := func(path, want string) {
		t.Helper()
		if got := string(mustPart(t, msg, path).Content); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to hold %q", path, got, want)
		}
	}
	text("2/fwd.msg/headers.txt", "Received: from mx.example.com")
	text("2/fwd.msg/body.txt", "https://plain.example/")
	text("2/fwd.msg/body.txt~2", "Cyrillic Привет")
	text("2/fwd.msg/body.html", "https://html.example/")
	text("2/fwd.msg/body.rtf", `\fromhtml1`)
	text("2/fwd.msg/body-rtf.html", `<a href="https://rtf.example/">x</a>`)
	js1 := mustPart(t, msg, "2/fwd.msg/invoice.pdf.js")
	if js1.Filename != "invoice.pdf.js" || !bytes.Equal(js1.Content, js) || js1.DeclaredType != "application/pdf" {
		t.Errorf("attachment: %q %q %q", js1.Filename, js1.Content, js1.DeclaredType)
	}
	for _, n := range []string{"INVOIC~1.JS", "invoice.pdf"} {
		if !slices.Contains(js1.AltNames, n) {
			t.Errorf("AltNames %q lack %q", js1.AltNames, n)
		}
	}
	if st := mustPart(t, msg, "2/fwd.msg/statement.pdf"); !slices.Contains(st.AltNames, "statement.hta") {
		t.Errorf("extension property not among the names: %q", st.AltNames)
	}
	pe := mustPart(t, msg, "2/fwd.msg/Forwarded.msg/Invoice.msg/setup.exe")
	if pe.Depth != 3 {
		t.Errorf("embedded twice: depth %d, want 3", pe.Depth)
	}
	text("2/fwd.msg/Forwarded.msg/body.txt", "Forwarded.")
	// An OLE package: the packaged file below its stream, as in a
	// compound file of its own.
	mustPart(t, msg, "2/fwd.msg/package")
	if p := mustPart(t, msg, "2/fwd.msg/package/Ole10Native/run.js"); !bytes.Equal(p.Content, js) {
		t.Errorf("OLE package's file: %q", p.Content)
	}
	ref := mustPart(t, msg, "2/fwd.msg/report.pdf.lnk")
	if ref.Content != nil {
		t.Errorf("reference attachment has content %q", ref.Content)
	}
	text("2/fwd.msg/report.pdf.lnk/reference.txt", `\\files.example\share`)
	text("2/fwd.msg/linked.pdf~2/reference.txt", "https://files.example/linked.pdf")
	if p := mustPart(t, msg, "2/fwd.msg/figures.xlsx"); len(p.AltNames) != 0 {
		t.Errorf("an 8.3 short name and a display name without extension are other names: %q", p.AltNames)
	}
	if p := mustPart(t, msg, "2/fwd.msg/notes.js.txt"); !slices.Contains(p.AltNames, "notes.js") {
		t.Errorf("a name with a NUL: AltNames %q lack the name Windows saves", p.AltNames)
	}
	for _, p := range msg.Parts {
		if last := baseName(p.Path); strings.HasPrefix(last, "__substg1.0_3701") || strings.HasPrefix(last, "__substg1.0_1000") {
			t.Errorf("interpreted stream %s also a member", p.Path)
		}
	}
	mustPart(t, msg, "2/fwd.msg/__substg1.0_0037001F") // the subject: left as a stream
}

// oleNativeOf is an Ole10Native stream: size, then the packaged file.
func oleNativeOf(name string, data []byte) []byte {
	var b []byte
	b = append(b, 2, 0)
	b = append(b, name+"\x00"+`C:\Temp\`+name+"\x00"...)
	b = append(b, 0, 0, 3, 0)
	tmp := `C:\Temp\` + name + "\x00"
	b = append(b, byte(len(tmp)), 0, 0, 0)
	b = append(b, tmp...)
	b = append(b, byte(len(data)), byte(len(data)>>8), 0, 0)
	b = append(b, data...)
	return append([]byte{byte(len(b)), byte(len(b) >> 8), 0, 0}, b...)
}

// An OLE attachment that is a Word document with macros: its streams and
// its VBA source are read below the attachment.
func TestMsgOLEDocument(t *testing.T) {
	doc := []formats.CFBEntry{
		{Name: "WordDocument", Parent: -1, Data: append([]byte{0xEC, 0xA5, 0xC1, 0x00}, make([]byte, 508)...)},
		{Name: "Macros", Storage: true, Parent: -1},
	}
	doc = append(doc, formats.VBAStorage(1, len(doc), formats.VBAModule{Name: "Module1", Source: macro})...)
	m := formats.Msg{Subject: "s", Attachments: []formats.MsgAttachment{{DisplayName: "Document", Method: 6, OLE: doc}}}
	msg := mail("", "", "x.msg", formats.MsgBytes(m))
	expand(t, msg, Options{})
	noProblems(t, msg)
	if p := mustPart(t, msg, "2/x.msg/Document/vba/Module1"); !bytes.Contains(p.Content, []byte("Sub AutoOpen()")) {
		t.Errorf("VBA source: %q", p.Content)
	}
	mustPart(t, msg, "2/x.msg/Document/Macros/VBA/dir")
}

// A .msg nested 12 deep (two storages a level: 25 deep, within
// maxCFBDepth): limit-depth, never silently clean, and the bytes below the
// limit are still scanned as streams. Nested 100 deep (201 storages) it
// is refused whole before its directory is built (checkCFB): still
// limit-depth.
func TestMsgNestedDeep(t *testing.T) {
	for _, levels := range []int{12, 100} {
		m := &formats.Msg{Subject: "bottom", Body: "bottom", Attachments: []formats.MsgAttachment{{LongName: "x.exe", Data: []byte("MZ-bottom")}}}
		for range levels {
			m = &formats.Msg{Subject: "level", Attachments: []formats.MsgAttachment{{DisplayName: "level", Method: 5, Embedded: m}}}
		}
		msg := mail("", "", "deep.msg", formats.MsgBytes(*m))
		expand(t, msg, Options{})
		mustProblem(t, msg, ReasonDepth, "2")
		found := false
		for _, p := range msg.Parts {
			if p.Depth > DefaultLimits().MaxDepth {
				t.Errorf("part %s at depth %d", p.Path, p.Depth)
			}
			found = found || string(p.Content) == "MZ-bottom"
		}
		if found != (levels == 12) {
			t.Errorf("%d levels: the bottom attachment's bytes read: %v\n%s", levels, found, dump(msg))
		}
	}
}

// An embedded message whose property stream is missing is still read as
// a message, not as an OLE object.
func TestMsgEmbeddedWithoutProperties(t *testing.T) {
	inner := &formats.Msg{NoProperties: true, Body: "inner", Attachments: []formats.MsgAttachment{{LongName: "a.js", Data: []byte("var a")}}}
	m := formats.Msg{Subject: "s", Attachments: []formats.MsgAttachment{{DisplayName: "fwd", Method: 5, Embedded: inner}}}
	msg := mail("", "", "x.msg", formats.MsgBytes(m))
	expand(t, msg, Options{})
	noProblems(t, msg)
	mustPart(t, msg, "2/x.msg/fwd.msg/a.js")
}

// A compressed RTF body whose CRC fails is still read (and noted, not
// unscannable).
func TestMsgRTFCRC(t *testing.T) {
	m := formats.Msg{Subject: "x", RTF: []byte(`{\rtf1 https://rtf.example/ text}`)}
	b := formats.MsgBytes(m)
	i := bytes.Index(b, formats.LZFuLiteral(m.RTF))
	if i < 0 {
		t.Fatal("compressed body not found in the file")
	}
	b[i+12] ^= 1 // the CRC
	msg := mail("", "", "x.msg", b)
	expand(t, msg, Options{})
	if p := mustPart(t, msg, "2/x.msg/body.rtf"); !bytes.Contains(p.Content, []byte("https://rtf.example/")) {
		t.Errorf("body.rtf = %q", p.Content)
	}
	if p := problem(msg, ReasonCorrupt); p == nil || p.Unscannable || !strings.Contains(p.Detail, "CRC") {
		t.Errorf("CRC problem: %+v", p)
	}
}

// A compressed RTF body that expands past the member limit is cut there:
// limit-member-size, and what fits is read.
func TestMsgRTFLimit(t *testing.T) {
	m := formats.Msg{Subject: "x", RTFRaw: lzfuBomb(1000)}
	msg := mail("", "", "x.msg", formats.MsgBytes(m))
	expand(t, msg, Options{Limits: Limits{MaxMemberBytes: 20000}})
	mustProblem(t, msg, ReasonMemberSize, "2")
	if p := mustPart(t, msg, "2/x.msg/body.rtf"); len(p.Content) != 20000 {
		t.Errorf("body.rtf has %d bytes, want the 20000 the limit allows", len(p.Content))
	}
	// Past what the message may expand to: limit-total-size, unpacking ends.
	msg = mail("", "", "x.msg", formats.MsgBytes(m))
	expand(t, msg, Options{Limits: Limits{MaxTotalBytes: 40000}})
	mustProblem(t, msg, ReasonTotalSize, "2")
}

// lzfuBomb is compressed RTF of n groups of eight 17-byte references: 17
// bytes in, 136 out, and a raw size of 4 GiB in its header.
func lzfuBomb(n int) []byte {
	data := []byte{}
	for range n {
		data = append(data, 0xFF)
		for range 8 {
			data = append(data, 0x00, 0x0F) // offset 0, 17 bytes
		}
	}
	hdr := make([]byte, 16)
	copy(hdr[8:], "LZFu")
	hdr[0], hdr[1], hdr[2] = byte(len(data)+12), byte((len(data)+12)>>8), byte((len(data)+12)>>16)
	hdr[4], hdr[5], hdr[6], hdr[7] = 0xFF, 0xFF, 0xFF, 0xFF
	return append(hdr, data...)
}

// A compressed RTF body in an unknown compression is corrupt-archive:
// unscannable, never silently clean.
func TestMsgBrokenRTF(t *testing.T) {
	m := formats.Msg{Subject: "x", RTF: []byte(`{\rtf1 https://rtf.example/ text}`)}
	b := formats.MsgBytes(m)
	lz := formats.LZFuLiteral(m.RTF)
	i := bytes.Index(b, lz)
	if i < 0 {
		t.Fatal("compressed body not found in the file")
	}
	copy(b[i+8:], "XXXX") // an unknown compression
	msg := mail("", "", "x.msg", b)
	expand(t, msg, Options{})
	mustProblem(t, msg, ReasonCorrupt, "2")
}

// FuzzMsg opens arbitrary compound files seeded with Outlook messages:
// bodies, names, embedded and OLE attachments, compressed RTF.
func FuzzMsg(f *testing.F) {
	inner := &formats.Msg{Subject: "in", Body: "x", Attachments: []formats.MsgAttachment{{LongName: "a.exe", Data: []byte("MZ")}}}
	fuzzOpener(f, "ole",
		formats.MsgBytes(formats.Msg{Subject: "s", Body: "b", Body8: []byte("\xcf\xf0"), CodePage: 1251,
			HTML: []byte("<a href=https://x.example/>x</a>"), RTF: []byte(`{\rtf1\fromhtml1{\*\htmltag <b>}x}`),
			Attachments: []formats.MsgAttachment{{LongName: "a.pdf.js", DisplayName: "a.pdf", Extension: ".js", Data: []byte("var a")},
				{DisplayName: "m", Method: 5, Embedded: inner}, {DisplayName: "o", Method: 6, Data: oleNativeOf("r.js", []byte("x"))},
				{LongName: "r.lnk", Method: 7, Pathname: `\\h\s\r.lnk`}}}),
		// Office documents as OLE attachments: what openOffice reads.
		formats.MsgBytes(formats.Msg{Subject: "o", Attachments: []formats.MsgAttachment{
			{DisplayName: "x", Method: 6, Class: formats.EquationCLSID, OLE: formats.EncryptedXLSEntries(formats.XLSWorkbook{
				Sheets: []formats.XLSSheet{{Name: "M", Macro: true, Formulas: []formats.XLSFormula{{Rgce: formats.Cat(formats.PtgStr("c"), formats.PtgFuncVar(1, formats.FtabExec, false))}}}},
				DDE:    [][2]string{{"cmd", "/c x"}}}, formats.DefaultOfficePassword)},
			{DisplayName: "p", Method: 6, OLE: formats.PPTEntries(formats.PPTOptions{VBA: formats.VBAProject(formats.VBAModule{Name: "M", Source: macro})})},
			{DisplayName: "k", Method: 6, OLE: formats.PackageEntries("a.js", []byte("var a"))}}}))
}

// FuzzCompressedRTF: decompression stays within its limit whatever the
// header says, and the HTML reading of what comes out never panics.
func FuzzCompressedRTF(f *testing.F) {
	f.Add(formats.LZFuLiteral([]byte(`{\rtf1\ansi\fromhtml1 {\*\htmltag <a href="x">}\u1234?\'e9}`)), 1<<16)
	f.Add([]byte{0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4, 0x4b, 0x51,
		0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0}, 20)
	f.Fuzz(func(t *testing.T, b []byte, limit int) {
		limit = max(0, min(limit, 1<<20))
		out, _, _ := decompressRTF(b, limit)
		if len(out) > limit {
			t.Fatalf("%d bytes out, limit %d", len(out), limit)
		}
		if h := rtfHTML(append(out, b...)); len(h) > 3*(len(out)+len(b))+4 {
			t.Fatalf("HTML of %d bytes from %d", len(h), len(out)+len(b))
		}
	})
}

// An OLE attachment of a .msg is read as the same document attached on
// its own: the same members below it, with the same bytes, and the same
// problems.
func TestMsgOLEReadAsStandalone(t *testing.T) {
	for _, d := range wrappedDocuments() {
		t.Run(d.name, func(t *testing.T) {
			alone := mail("", "", "doc", formats.CFB(d.entries))
			expand(t, alone, Options{})
			inMsg := mail("", "", "x.msg", formats.MsgBytes(formats.Msg{Subject: "s",
				Attachments: []formats.MsgAttachment{{DisplayName: "doc", Method: 6, OLE: d.entries}}}))
			expand(t, inMsg, Options{})
			readAsAlone(t, d, alone, inMsg, "2/x.msg/doc")
		})
	}
}

// An OLE attachment whose storage also holds streams named like a
// message's is still the document Outlook opens (by its attach method),
// not an embedded message: its macro sheet is read.
func TestMsgOLEWithMessageStreams(t *testing.T) {
	wb := formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Macro1", Macro: true, Formulas: []formats.XLSFormula{
		{Rgce: formats.Cat(formats.PtgStr("cmd /c calc"), formats.PtgFuncVar(1, formats.FtabExec, false))}}}}})
	wb = append(wb, formats.CFBEntry{Name: "__properties_version1.0", Parent: -1, Data: make([]byte, 24)},
		formats.CFBEntry{Name: "__substg1.0_1000001F", Parent: -1, Data: []byte("d\x00e\x00c\x00o\x00y\x00")})
	m := formats.Msg{Subject: "s", Attachments: []formats.MsgAttachment{{DisplayName: "doc", Method: 6, OLE: wb}}}
	msg := mail("", "", "x.msg", formats.MsgBytes(m))
	expand(t, msg, Options{})
	noProblems(t, msg)
	if p := mustPart(t, msg, "2/x.msg/doc/xlm/Macro1"); !strings.Contains(string(p.Content), `=EXEC("cmd /c calc")`) {
		t.Errorf("macro sheet: %q", p.Content)
	}
}

// The class of an OLE attachment's storage (what Outlook starts) is the
// attachment's; a storage without one has none.
func TestMsgOLEClass(t *testing.T) {
	m := formats.Msg{Subject: "s", Attachments: []formats.MsgAttachment{
		{DisplayName: "eq", Method: 6, OLE: formats.EquationEntries(), Class: formats.EquationCLSID},
		{DisplayName: "plain", Method: 6, OLE: formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}}})},
	}}
	msg := mail("", "", "x.msg", formats.MsgBytes(m))
	expand(t, msg, Options{})
	noProblems(t, msg)
	if got := mustPart(t, msg, "2/x.msg/eq").OLEClass; got != "{0002CE02-0000-0000-C000-000000000046}" {
		t.Errorf("class %q", got)
	}
	if got := mustPart(t, msg, "2/x.msg/plain").OLEClass; got != "" {
		t.Errorf("class %q for a storage without one", got)
	}
}

// An OLE attachment at the depth limit is not opened, as a compound file
// there would not be: limit-depth, and its streams are still members.
func TestMsgOLEDepth(t *testing.T) {
	m := formats.Msg{Subject: "s", Attachments: []formats.MsgAttachment{{DisplayName: "doc", Method: 6,
		OLE: formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}}})}}}
	msg := mail("", "", "x.msg", formats.MsgBytes(m))
	expand(t, msg, Options{Limits: Limits{MaxDepth: 1}})
	mustProblem(t, msg, ReasonDepth, "2/x.msg/doc")
	for _, p := range msg.Parts {
		if p.Depth > 1 {
			t.Errorf("part %s at depth %d", p.Path, p.Depth)
		}
	}
	mustPart(t, msg, "2/x.msg/__attach_version1.0_#00000000/__substg1.0_3701000D/Workbook")
}
