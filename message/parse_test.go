package message

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/testmail"
)

// wantPart lists what a test checks on one part; zero fields are not checked
// except Path, Depth and Container, which always are.
type wantPart struct {
	Path      string
	Declared  string
	Detected  string
	Filename  string
	Content   string // exact, when set
	Contains  string // substring, when set
	Charset   string
	Depth     int
	Container bool
	Encrypted bool
}

type wantProblem struct {
	Part        string
	Reason      string
	Unscannable bool
}

func pdfBytes() []byte {
	return []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF\n")
}

func TestParse(t *testing.T) {
	pdf := pdfBytes()
	fakePE := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 60)...)
	iso8859 := "caf\xe9" // "café" in ISO-8859-1
	tests := []struct {
		name     string
		raw      string
		parts    []wantPart
		problems []wantProblem
	}{
		{
			name:  "single-part text",
			raw:   top("hello", text("Hello Bob,\r\nsee you.\r\n")),
			parts: []wantPart{{Path: "1", Declared: "text/plain", Detected: "text/plain", Charset: "utf-8", Content: "Hello Bob,\r\nsee you.\r\n"}},
		},
		{
			name:  "no MIME headers at all is a text body",
			raw:   "From: a@example.com\r\nSubject: old style\r\n\r\nplain body\r\n",
			parts: []wantPart{{Path: "1", Declared: "text/plain", Detected: "text/plain", Content: "plain body\r\n"}},
		},
		{
			name: "alternative plus attachment",
			raw: top("invoice", multipart("mixed",
				multipart("alternative", text("Please find the invoice."), html("<html><body><p>Please find the <b>invoice</b>.</p></body></html>")),
				attachment("application/pdf", "invoice.pdf", pdf))),
			parts: []wantPart{
				{Path: "1.1", Declared: "text/plain", Content: "Please find the invoice."},
				{Path: "1.2", Declared: "text/html", Detected: "text/html", Contains: "<b>invoice</b>"},
				{Path: "2", Declared: "application/pdf", Detected: "application/pdf", Filename: "invoice.pdf", Content: string(pdf)},
			},
		},
		{
			name: "nested multipart paths",
			raw: top("nested", multipart("mixed",
				text("one"),
				multipart("mixed", text("two.one"), multipart("related", html("<html>two.two.one</html>"), attachment("image/png", "a.png", []byte("\x89PNG\r\n\x1a\n0000")))),
				attachment("application/octet-stream", "x.bin", fakePE))),
			parts: []wantPart{
				{Path: "1", Content: "one"},
				{Path: "2.1", Content: "two.one"},
				{Path: "2.2.1", Content: "<html>two.two.one</html>"},
				{Path: "2.2.2", Declared: "image/png", Detected: "image/png", Filename: "a.png"},
				{Path: "3", Declared: "application/octet-stream", Detected: "application/x-dosexec", Filename: "x.bin", Content: string(fakePE)},
			},
		},
		{
			name: "base64 and quoted-printable",
			raw: top("encodings", multipart("mixed",
				leaf("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable",
					"caf=C3=A9 =3D soft=\r\nbreak\r\n"),
				leaf("Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=data.bin\r\nContent-Transfer-Encoding: base64",
					testmail.Base64([]byte("\x00\x01binary\xff"+strings.Repeat("x", 200)))),
				leaf("Content-Type: application/x-foo\r\nContent-Disposition: attachment; filename=qp.txt\r\nContent-Transfer-Encoding: Quoted-Printable",
					"line=20one=0D=0A=E9"))),
			parts: []wantPart{
				{Path: "1", Content: "café = softbreak\r\n"},
				{Path: "2", Filename: "data.bin", Content: "\x00\x01binary\xff" + strings.Repeat("x", 200), Detected: "application/octet-stream"},
				{Path: "3", Filename: "qp.txt", Content: "line one\r\n\xe9"},
			},
		},
		{
			name: "ISO-2022-JP subject and body",
			raw: "From: =?ISO-2022-JP?B?" + base64.StdEncoding.EncodeToString([]byte(iso2022jp("経理部"))) + "?= <ar@example.jp>\r\n" +
				"Subject: " + bWord("ISO-2022-JP", iso2022jp("請求書")) + "\r\nMIME-Version: 1.0\r\n" +
				leaf("Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit", iso2022jp(japaneseText)+"\r\n"),
			parts: []wantPart{{Path: "1", Declared: "text/plain", Charset: "ISO-2022-JP", Content: japaneseText + "\r\n", Detected: "text/plain"}},
		},
		{
			name: "Shift_JIS subject and body",
			raw: "From: a@example.jp\r\nSubject: " + bWord("Shift_JIS", shiftJIS("請求書")) + "\r\nMIME-Version: 1.0\r\n" +
				leaf("Content-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: base64", base64.StdEncoding.EncodeToString([]byte(shiftJIS(japaneseText)))),
			parts: []wantPart{{Path: "1", Charset: "Shift_JIS", Content: japaneseText}},
		},
		{
			name: "filenames: RFC 2231, continuations, encoded words, name parameter",
			raw: top("names", multipart("mixed",
				leaf("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf\r\nContent-Transfer-Encoding: base64", base64.StdEncoding.EncodeToString(pdf)),
				leaf("Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n filename*0*=UTF-8''%E8%AB%8B%E6%B1%82;\r\n filename*1*=%E6%9B%B8.pdf\r\nContent-Transfer-Encoding: base64", base64.StdEncoding.EncodeToString(pdf)),
				leaf("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\""+bWord("UTF-8", "請求書.pdf")+"\"\r\nContent-Transfer-Encoding: base64", base64.StdEncoding.EncodeToString(pdf)),
				leaf("Content-Type: application/pdf; name=\""+bWord("ISO-2022-JP", iso2022jp("請求書"))+".pdf\"\r\nContent-Transfer-Encoding: base64", base64.StdEncoding.EncodeToString(pdf)),
			)),
			parts: []wantPart{
				{Path: "1", Filename: "請求書.pdf", Detected: "application/pdf"},
				{Path: "2", Filename: "請求書.pdf"},
				{Path: "3", Filename: "請求書.pdf"},
				{Path: "4", Filename: "請求書.pdf"},
			},
		},
		{
			name: "filenames: RFC 2231 in legacy charsets",
			raw: top("names", multipart("mixed",
				leaf("Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=Shift_JIS''"+pct(shiftJIS("請求書"))+".exe", "MZ\x90\x00"),
				leaf("Content-Type: application/octet-stream\r\nContent-Disposition: attachment;\r\n filename*0*=Shift_JIS''"+pct(shiftJIS("請求"))+";\r\n filename*1*="+pct(shiftJIS("書"))+".exe", "MZ"),
				leaf("Content-Type: application/octet-stream; name*=iso-2022-jp'ja'"+pct(iso2022jp("請求書"))+".exe", "MZ"),
				leaf("Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=iso-8859-1''caf%E9.exe; filename=\"plain.txt\"", "MZ"),
			)),
			parts: []wantPart{
				{Path: "1", Filename: "請求書.exe", Detected: "application/x-dosexec"},
				{Path: "2", Filename: "請求書.exe"},
				{Path: "3", Filename: "請求書.exe"},
				{Path: "4", Filename: "café.exe"},
			},
		},
		{
			name: "a repeated file name is a defect",
			raw: top("dup", multipart("mixed", text("x"),
				leaf("Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=a.pdf; filename=b.exe", "MZ"))),
			parts:    []wantPart{{Path: "1"}, {Path: "2", Filename: "a.pdf"}},
			problems: []wantProblem{{"2", ReasonDefect, false}},
		},
		{
			name: "forwarded message with attachment",
			raw: top("Fwd: invoice", multipart("mixed",
				text("See below."),
				forward(top("invoice", multipart("mixed",
					text("Invoice attached."),
					multipart("mixed", attachment("application/pdf", "a.pdf", pdf), attachment("application/octet-stream", "eicar.com", []byte(eicar())))))))),
			parts: []wantPart{
				{Path: "1", Content: "See below."},
				{Path: "2", Declared: "message/rfc822", Container: true, Contains: "Subject: invoice"},
				{Path: "2/1", Depth: 1, Content: "Invoice attached."},
				{Path: "2/2.1", Depth: 1, Filename: "a.pdf", Detected: "application/pdf"},
				{Path: "2/2.2", Depth: 1, Filename: "eicar.com", Content: eicar()},
			},
		},
		{
			name: "forwarded single-part message, base64 encoded rfc822",
			raw: top("Fwd", multipart("mixed", text("fyi"),
				leaf("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64",
					testmail.Base64([]byte(top("inner", text("inner body"))))))),
			parts: []wantPart{
				{Path: "1", Content: "fyi"},
				{Path: "2", Container: true, Contains: "Subject: inner"},
				{Path: "2/1", Depth: 1, Content: "inner body"},
			},
		},
		{
			name: "digest children default to message/rfc822",
			raw:  top("digest", multipart("digest", "\r\n"+top("d1", text("first")), "\r\n"+top("d2", text("second")))),
			parts: []wantPart{
				{Path: "1", Declared: "message/rfc822", Container: true},
				{Path: "1/1", Depth: 1, Content: "first"},
				{Path: "2", Declared: "message/rfc822", Container: true},
				{Path: "2/1", Depth: 1, Content: "second"},
			},
		},
		{
			name: "EICAR in body, attachment and forwarded attachment",
			raw: top("eicar", multipart("mixed",
				text(eicar()),
				attachment("application/octet-stream", "a.com", []byte(eicar())),
				forward(top("inner", multipart("mixed", text("x"), attachment("application/zip", "b.com", []byte(eicar()))))))),
			parts: []wantPart{
				{Path: "1", Content: eicar()},
				{Path: "2", Content: eicar(), Filename: "a.com"},
				{Path: "3", Container: true},
				{Path: "3/1", Depth: 1},
				{Path: "3/2", Depth: 1, Content: eicar(), Filename: "b.com"},
			},
		},
		{
			name:  "HTML-only message",
			raw:   top("news", leaf("Content-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable", "<!DOCTYPE html><p>caf=E9</p>")),
			parts: []wantPart{{Path: "1", Declared: "text/html", Detected: "text/html", Charset: "iso-8859-1", Content: "<!DOCTYPE html><p>café</p>"}},
		},
		{
			name:  "HTML charset from a meta tag",
			raw:   top("meta", leaf("Content-Type: text/html", "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"></head><body>"+shiftJIS(japaneseText)+"</body></html>")),
			parts: []wantPart{{Path: "1", Charset: "shift_jis", Contains: japaneseText}},
		},
		{
			name: "body text is converted, text attachments keep their bytes",
			raw: top("latin1", multipart("mixed",
				leaf("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit", iso8859),
				leaf("Content-Type: text/plain; charset=iso-8859-1; name=menu.txt\r\nContent-Transfer-Encoding: 8bit", iso8859),
				leaf("Content-Type: text/plain; charset=windows-1252\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64", base64.StdEncoding.EncodeToString([]byte("PK\x03\x04\x14\x00\x80\x81"))))),
			parts: []wantPart{
				{Path: "1", Content: "café", Charset: "iso-8859-1"},
				{Path: "2", Content: iso8859, Filename: "menu.txt", Charset: "iso-8859-1"},
				{Path: "3", Content: "PK\x03\x04\x14\x00\x80\x81", Detected: "application/zip"},
			},
		},
		{
			name:     "unknown charset keeps the bytes",
			raw:      top("x", leaf("Content-Type: text/plain; charset=x-martian", "zork \xff")),
			parts:    []wantPart{{Path: "1", Content: "zork \xff", Charset: "x-martian"}},
			problems: []wantProblem{{"1", ReasonCharset, false}},
		},
		{
			name: "truncated base64 keeps what decodes",
			raw: top("cut", multipart("mixed", text("hi"),
				leaf("Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=cut.bin\r\nContent-Transfer-Encoding: base64",
					base64.StdEncoding.EncodeToString([]byte(eicar()))[:45]))),
			parts: []wantPart{
				{Path: "1", Content: "hi"},
				{Path: "2", Filename: "cut.bin", Content: eicar()[:33]},
			},
			problems: []wantProblem{{"2", ReasonDefect, false}},
		},
		{
			name: "base64 with junk characters still decodes",
			raw: top("junk", leaf("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64",
				"WDVP!IVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElWSVJVUy1URVNULUZJTEUhJEgrSCo=")),
			parts:    []wantPart{{Path: "1", Content: eicar()}},
			problems: []wantProblem{{"1", ReasonDefect, false}},
		},
		{
			name: "truncated quoted-printable",
			raw:  top("qp", leaf("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable", "abc=3D=C3=A9=4")),
			// Clients that drop a malformed "=" read it a second way.
			parts:    []wantPart{{Path: "1", Content: "abc=é=4"}, {Path: "qp-drop:1", Content: "abc=é4"}},
			problems: []wantProblem{{"1", ReasonDefect, false}, {"", ReasonDefect, false}},
		},
		{
			name:     "missing closing boundary is a defect, parts kept",
			raw:      top("open", "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\nContent-Type: text/plain\r\n\r\n"+eicar()+"\r\n"),
			parts:    []wantPart{{Path: "1", Content: "one"}, {Path: "2", Contains: eicar()}},
			problems: []wantProblem{{"", ReasonDefect, false}},
		},
		{
			name: "a part that starts with a line that is not a field is all body, siblings kept",
			raw:  top("bad", "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nnot a header\r\nContent-Type: text/plain\r\n\r\n"+eicar()+"\r\n--b\r\nContent-Type: text/plain\r\n\r\nkept\r\n--b--\r\n"),
			parts: []wantPart{
				{Path: "1", Declared: "text/plain", Content: "not a header\r\nContent-Type: text/plain\r\n\r\n" + eicar()},
				{Path: "2", Content: "kept"},
			},
			problems: []wantProblem{{"1", ReasonDefect, false}},
		},
		{
			name:     "multipart without any delimiter of its boundary is kept whole",
			raw:      top("nodelim", "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b2\r\nContent-Type: text/plain\r\n\r\n"+eicar()+"\r\n--b2--\r\n"),
			parts:    []wantPart{{Path: "1", Declared: "multipart/mixed", Contains: eicar()}},
			problems: []wantProblem{{"1", ReasonUndecodable, true}},
		},
		{
			name: "a close delimiter before any delimiter: no part",
			raw:  top("closed", "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\npreamble\r\n--b--\r\n--b\r\nContent-Type: text/plain\r\n\r\n"+eicar()+"\r\n"),
			// Clients that read past the close delimiter find the part,
			// so the multipart is not unscannable.
			parts:    []wantPart{{Path: "1", Declared: "multipart/mixed", Contains: eicar()}, {Path: "outside-parts:2", Contains: eicar()}},
			problems: []wantProblem{{"", ReasonDefect, false}},
		},
		{
			name:  "a 5000-byte boundary (enmime could not find one over 4 KB)",
			raw:   top("long", "Content-Type: multipart/mixed; boundary=\""+strings.Repeat("x", 5000)+"\"\r\n\r\n--"+strings.Repeat("x", 5000)+"\r\nContent-Type: text/plain\r\n\r\n"+eicar()+"\r\n--"+strings.Repeat("x", 5000)+"--\r\n"),
			parts: []wantPart{{Path: "1", Declared: "text/plain", Content: eicar()}},
		},
		{
			name: "uuencoded attachment is decoded",
			raw: top("uu", multipart("mixed", text("hi"),
				leaf("Content-Type: application/octet-stream; name=a.exe\r\nContent-Transfer-Encoding: x-uuencode", "begin 644 a.exe\r\n#35H`\r\n`\r\nend\r\n"))),
			parts: []wantPart{{Path: "1", Content: "hi"}, {Path: "2", Filename: "a.exe", Detected: "application/x-dosexec", Content: "MZ\x00"}},
		},
		{
			name:     "garbage that is not a MIME message",
			raw:      "\x00\x01\x02 this is not mail \xff\xfe\r\n\r\nat all",
			parts:    []wantPart{{Path: "1", Declared: "text/plain", Detected: "application/octet-stream", Content: "\x00\x01\x02 this is not mail \xff\xfe\r\n\r\nat all"}},
			problems: []wantProblem{{"1", ReasonDefect, false}},
		},
		{
			name: "S/MIME encrypted part is marked",
			raw: top("secret", leaf("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\nContent-Transfer-Encoding: base64",
				base64.StdEncoding.EncodeToString([]byte("\x30\x82\x01\x00opaque")))),
			parts: []wantPart{{Path: "1", Declared: "application/pkcs7-mime", Filename: "smime.p7m", Encrypted: true}},
		},
		{
			name: "deep forwards stop at MaxDepth with the rest kept undecoded",
			raw:  nestedForwards(MaxDepth + 2),
			// checked in TestParseLimits; here only that parsing works
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse([]byte(tc.raw))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkInvariants(t, m)
			if tc.parts == nil {
				return
			}
			var paths []string
			for _, p := range m.Parts {
				paths = append(paths, p.Path)
			}
			var want []string
			for _, w := range tc.parts {
				want = append(want, w.Path)
			}
			if strings.Join(paths, " ") != strings.Join(want, " ") {
				t.Fatalf("paths = %q, want %q", paths, want)
			}
			for i, w := range tc.parts {
				checkPart(t, m.Parts[i], w)
			}
			var got []wantProblem
			for _, p := range m.Problems {
				got = append(got, wantProblem{p.Part, p.Reason, p.Unscannable})
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.problems) {
				t.Errorf("problems = %v, want %v\n%+v", got, tc.problems, m.Problems)
			}
		})
	}
}

func checkPart(t *testing.T, p *Part, w wantPart) {
	t.Helper()
	if w.Declared != "" && p.DeclaredType != w.Declared {
		t.Errorf("%s: DeclaredType = %q, want %q", p.Path, p.DeclaredType, w.Declared)
	}
	if w.Detected != "" && p.DetectedType != w.Detected {
		t.Errorf("%s: DetectedType = %q, want %q", p.Path, p.DetectedType, w.Detected)
	}
	if w.Filename != "" && p.Filename != w.Filename {
		t.Errorf("%s: Filename = %q, want %q", p.Path, p.Filename, w.Filename)
	}
	if w.Charset != "" && p.Charset != w.Charset {
		t.Errorf("%s: Charset = %q, want %q", p.Path, p.Charset, w.Charset)
	}
	if w.Content != "" && string(p.Content) != w.Content {
		t.Errorf("%s: Content = %q, want %q", p.Path, p.Content, w.Content)
	}
	if w.Contains != "" && !bytes.Contains(p.Content, []byte(w.Contains)) {
		t.Errorf("%s: Content %q does not contain %q", p.Path, p.Content, w.Contains)
	}
	if p.Depth != w.Depth || p.Container != w.Container || p.Encrypted != w.Encrypted {
		t.Errorf("%s: Depth, Container, Encrypted = %d, %v, %v, want %d, %v, %v", p.Path, p.Depth, p.Container, p.Encrypted, w.Depth, w.Container, w.Encrypted)
	}
}

// checkInvariants holds for every parse, of anything.
func checkInvariants(t *testing.T, m *Message) {
	t.Helper()
	if len(m.Parts) == 0 && len(m.Problems) == 0 {
		t.Errorf("no parts and no problems")
	}
	if len(m.Parts) > MaxParts {
		t.Errorf("%d parts, more than MaxParts", len(m.Parts))
	}
	seen := map[string]bool{}
	for _, p := range m.Parts {
		if p == nil || p.Path == "" || seen[p.Path] {
			t.Fatalf("nil, empty or repeated part path in %v", m.Parts)
		}
		seen[p.Path] = true
		if p.DetectedType == "" || p.DeclaredType == "" {
			t.Errorf("%s: empty type: declared %q detected %q", p.Path, p.DeclaredType, p.DetectedType)
		}
		if p.Depth > MaxDepth {
			t.Errorf("%s: depth %d", p.Path, p.Depth)
		}
	}
	for _, pr := range m.Problems {
		if pr.Reason == "" || len(pr.Detail) > maxDetail+len("…") || strings.ContainsAny(pr.Detail, "\r\n\x00") {
			t.Errorf("bad problem %+v", pr)
		}
	}
	checkScanRaw(t, m)
}

func TestParseHeaders(t *testing.T) {
	raw := "From: =?UTF-8?B?5bGx55Sw?= <yamada@example.jp>\r\nMessage-ID:  <abc@example.jp> \r\n" +
		"Subject:  " + bWord("ISO-2022-JP", iso2022jp("ご請求")) + " " + bWord("Shift_JIS", shiftJIS("のお知らせ")) + "  \r\n\r\nbody"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "ご請求のお知らせ" || m.From != "山田 <yamada@example.jp>" || m.MessageID != "<abc@example.jp>" {
		t.Errorf("Subject %q, From %q, MessageID %q", m.Subject, m.From, m.MessageID)
	}
	if string(m.Raw) != raw {
		t.Errorf("Raw not kept")
	}
}

func TestParseEmpty(t *testing.T) {
	if m, err := Parse(nil); err == nil {
		t.Fatalf("Parse(nil) = %+v, want an error", m)
	}
}

// TestParseLimits checks that every bound is reached quickly and reported,
// with the content beyond it still kept as bytes.
func TestParseLimits(t *testing.T) {
	many := func(n int) string {
		kids := make([]string, n)
		for i := range kids {
			kids[i] = text(fmt.Sprint("part ", i))
		}
		return top("many", multipart("mixed", kids...))
	}
	manyNested := func(n int) string {
		kids := make([]string, n)
		for i := range kids {
			kids[i] = multipart("mixed", text(fmt.Sprint("part ", i)))
		}
		return top("many", multipart("mixed", kids...))
	}
	headers := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "X-Filler-%d: %d\r\n", i%50, i)
		}
		return top("flood", b.String()+text(eicar()))
	}
	tests := []struct {
		name   string
		raw    string
		reason string
		part   string // path of the limit problem
		unscan bool
		parts  int // for ReasonLimitParts
	}{
		{"1000 nested multiparts", nestedMultipart(1000), ReasonLimitDepth, strings.Repeat("1.", MaxNesting) + "1", true, 0},
		{"nested forwards", nestedForwards(MaxDepth + 5), ReasonLimitDepth, strings.Repeat("2/", MaxDepth) + "2", true, 0},
		{"too many parts", many(MaxParts + 500), ReasonLimitParts, fmt.Sprint(MaxParts + 1), true, MaxParts},
		{"nested multiparts count as parts", manyNested(MaxParts), ReasonLimitParts, fmt.Sprint(MaxParts/2 + 1), true, MaxParts / 2},
		{"100000 header lines", headers(100000), ReasonHeaderFlood, "", false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			m, err := Parse([]byte(tc.raw))
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, m)
			if took > 30*time.Second {
				t.Errorf("took %v", took)
			}
			var found *Problem
			for i, p := range m.Problems {
				if p.Reason == tc.reason {
					found = &m.Problems[i]
				}
			}
			if found == nil || found.Part != tc.part || found.Unscannable != tc.unscan {
				t.Fatalf("want %s problem on %q (unscannable %v), got %+v", tc.reason, tc.part, tc.unscan, m.Problems)
			}
			if tc.reason == ReasonLimitParts {
				if len(m.Parts) != tc.parts {
					t.Errorf("%d parts, want %d", len(m.Parts), tc.parts)
				}
				return
			}
			// The content past the limit is still in some part, undecoded.
			if !containsEICAR(m) {
				t.Errorf("EICAR not in any part")
			}
		})
	}
}

func containsEICAR(m *Message) bool {
	for _, p := range m.Parts {
		if bytes.Contains(p.Content, []byte(eicar())) {
			return true
		}
	}
	return false
}

// An encoded word in a charset nobody knows is kept as written (the name
// Kensa shows) and also read as its bytes, as Python's email package reads
// it: "=?x-kensa?B?aW52b2ljZS5qcw==?=" is invoice.js to it.
func TestUnknownCharsetFileNameReadAsBytes(t *testing.T) {
	for _, tc := range []struct{ header, name, alt string }{
		{`Content-Disposition: attachment; filename="=?x-kensa?B?aW52b2ljZS5qcw==?="`, "=?x-kensa?B?aW52b2ljZS5qcw==?=", "invoice.js"},
		{`Content-Disposition: attachment; filename="=?utf-8?B?aW52b2ljZS5qcw==?="`, "invoice.js", ""},
		{`Content-Disposition: attachment; filename="=?utf-7?Q?invoice+AC4-js?="`, "invoice.js", ""},
	} {
		raw := "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\n" +
			"Content-Type: application/octet-stream\r\n" + tc.header + "\r\n\r\nvar a\r\n--b--\r\n"
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		p := m.Parts[1]
		if p.Filename != tc.name || (tc.alt == "") != (len(p.AltNames) == 0) || tc.alt != "" && !slices.Contains(p.AltNames, tc.alt) {
			t.Errorf("%s: name %q, other names %q; want %q and %q", tc.header, p.Filename, p.AltNames, tc.name, tc.alt)
		}
	}
}
