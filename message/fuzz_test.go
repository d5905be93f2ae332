package message

import (
	"fmt"
	"mime"
	"strings"
	"testing"
)

// seeds are the shapes of mail the fuzzer starts from.
func seeds() []string {
	pdf := pdfBytes()
	return []string{
		top("hello", text("Hello Bob")),
		"From: a@example.com\r\nSubject: old style\r\n\r\nplain body\r\n",
		top("invoice", multipart("mixed",
			multipart("alternative", text("Please find the invoice."), html("<html><body>invoice</body></html>")),
			attachment("application/pdf", "invoice.pdf", pdf))),
		top("Fwd", multipart("mixed", text("see below"), forward(top("inner", multipart("mixed", text("x"), attachment("application/zip", "b.zip", []byte("PK\x03\x04"))))))),
		top("digest", multipart("digest", "\r\n"+top("d1", text("first")))),
		top("qp", leaf("Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: quoted-printable", "abc=3D=1B$B=4")),
		top("sjis", leaf("Content-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: base64", "gr+CyoLU")),
		top("names", leaf("Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n filename*0*=UTF-8''%E8%AB%8B;\r\n filename*1*=.pdf\r\nContent-Transfer-Encoding: base64", "JVBERi0=")),
		top("open", "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nnot a header\r\n\r\nx\r\n--b\r\nContent-Type: text/plain\r\n\r\none\r\n"),
		top("utf7", leaf("Content-Type: text/html; charset=utf-7", "+ADw-script+AD4-")),
		top("smime", leaf("Content-Type: application/pkcs7-mime; smime-type=enveloped-data", "MIAGCSqGSIb3DQEHA6CAMIACAQAx")),
		nestedMultipart(30),
		nestedForwards(3),
		"\x00\x01\x02 not mail",
		// Readings: two Content-Types, a boundary twice, junk after a
		// delimiter, a part after the close, base64 with "=" inside, an
		// encoded multipart, encodings inside a text body.
		top("dup", "Content-Type: text/plain\r\nContent-Type: multipart/mixed; boundary=b; boundary=c\r\n\r\n--c x\r\n\r\none\r\n--b--\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\nTV=qQ\r\n"),
		top("enc", "Content-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding: base-64\r\n\r\nLS1iDQoNCnRleHQNCi0tYi0tDQo=\r\n"),
		top("uu", leaf("Content-Type: text/plain", "begin 644 a.exe\n#35H`\n`\nend\n=ybegin line=128 size=1 name=b\r\nk\r\n=yend\r\n")),
		top("legacy", leaf("Content-Type: application/octet-stream; name*=iso-2022-jp'ja'%1B%24B%40A%1B%28B.exe\r\nContent-Disposition: attachment;\r\n filename*0*=Shift_JIS''%90%BF; filename*1=\"x;y.exe\"", "MZ")),
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add([]byte(s))
	}
	// No wall-time bound here: a stalled worker on a busy machine would
	// fail it at random. An input that hangs Parse outlives the test's
	// -timeout and is kept like any crash; super-linear work is measured by
	// TestParseLimits and TestSplitterNearMissesAreCheap on inputs large
	// enough to tell it from a busy machine.
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if len(raw) == 0 {
			if err == nil {
				t.Fatal("no error for empty input")
			}
			return
		}
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		checkInvariants(t, m)
	})
}

// refSplit is a slow, line-by-line reading of the same delimiter rules as
// the splitter, to check it against.
func refSplit(body, boundary string) (parts []string, closed bool) {
	dash := "--" + boundary
	isDelim := func(line string) (bool, bool) {
		rest, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), dash)
		if !ok {
			return false, false
		}
		rest, closing := strings.CutPrefix(rest, "--")
		return strings.Trim(rest, " \t\v\f\r") == "", closing
	}
	start := -1
	for pos := 0; pos < len(body); {
		end := len(body)
		if i := strings.IndexByte(body[pos:], '\n'); i >= 0 {
			end = pos + i + 1
		}
		if ok, closing := isDelim(body[pos:end]); ok {
			if start >= 0 {
				e := pos
				if e > start && body[e-1] == '\n' {
					e--
					if e > start && body[e-1] == '\r' {
						e--
					}
				}
				parts = append(parts, body[start:e])
			}
			if closing {
				return parts, true
			}
			start = end
		}
		pos = end
	}
	if start >= 0 {
		parts = append(parts, body[start:])
	}
	return parts, false
}

func FuzzSplit(f *testing.F) {
	f.Add("--b\r\nA: 1\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--\r\n", "b")
	f.Add("pre\n--b \t\n\nx\n--bb\n--b--x\n--b--\nepi", "b")
	f.Add("--b\r\n--b\r\n--b", "b")
	f.Add("x--b\r\n--b\r\r\n\r\n--b--", "b")
	f.Add("--a.*b\r\n\r\nx\r\n--a.*b--\r\n", "a.*b")
	f.Add("----\n\n--\n", "")
	f.Fuzz(func(t *testing.T, body, boundary string) {
		if strings.Contains(boundary, "\n") {
			return // not a line-by-line question; header unfolding leaves none
		}
		got, closed := splitAll(body, boundary) // no wall-time bound: see FuzzParse
		want, wclosed := refSplit(body, boundary)
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) || closed != wclosed {
			t.Fatalf("split %q by %q: %q closed %v; want %q closed %v", body, boundary, got, closed, want, wclosed)
		}
	})
}

func FuzzReadHeader(f *testing.F) {
	for _, s := range []string{"A: 1\r\nB: 2\r\n\r\nbody", "Content-Type\t: text/plain\r\n\r\n", "X: a\r\n b\r\n\tc\r\n\r\n",
		"From x\nContent-Type: a/b\rContent-Disposition: y\r\n\r\n", " cont\r\nA: b\r\nnot a field\r\nbody", "Subject: \x00\x7f\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, bareCR := range []bool{false, true} {
			h, body, defects, sawCR := readHeader(b, bareCR)
			if body < 0 || body > len(b) || len(h.fields) > h.count || len(defects) > maxPartErrors {
				t.Fatalf("bareCR %v: body %d of %d, %d fields of %d, %d defects", bareCR, body, len(b), len(h.fields), h.count, len(defects))
			}
			for _, fl := range h.fields {
				if !fieldName([]byte(fl.name)) || !keep([]byte(fl.name)) || strings.ContainsAny(fl.value, "\n") {
					t.Fatalf("bad field %q: %q", fl.name, fl.value)
				}
			}
			if !sawCR && bareCR {
				// Without a lone CR the two line readings agree.
				h0, body0, _, _ := readHeader(b, false)
				if body0 != body || fmt.Sprint(h0) != fmt.Sprint(h) {
					t.Fatalf("no lone CR, yet the readings differ: %v/%d vs %v/%d", h0, body0, h, body)
				}
			}
		}
	})
}

// On values Go's mime package reads (no comments, no RFC 2231, no
// parameter twice), ours gives the same type and parameters.
func FuzzParseMedia(f *testing.F) {
	for _, s := range []string{`multipart/mixed; boundary="a b"`, `text/plain; charset=utf-8; format=flowed`, `attachment; filename="x;y.pdf"`,
		`multipart/mixed (c); boundary=(c)"b"`, `a/b; name*=utf-8''%41; name*0=x; name*1*=%42`, "a/b;\x00 c=d", `A/B ; C = "d\"e"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, ctl := range []int{dropCtl, cutCtl, keepCtl} {
			v := parseMedia(s, ctl)
			if v.typ != strings.ToLower(v.typ) || len(v.params) > maxParams {
				t.Fatalf("parseMedia(%q) = %+v", s, v)
			}
		}
		mt, params, err := mime.ParseMediaType(s)
		// Go's reader keeps the backslash of a quoted pair unless a tspecial
		// follows ("\0" stays two characters); RFC 822, and the mail clients,
		// drop it. Values with a backslash are compared by the table tests.
		if err != nil || strings.ContainsAny(s, "()*\\") || hasControl(s) || !strings.Contains(mt, "/") {
			return
		}
		v := parseMedia(s, dropCtl)
		if v.typ != mt {
			t.Fatalf("type of %q: ours %q, Go's %q", s, v.typ, mt)
		}
		seen := map[string]bool{}
		for _, p := range v.params {
			if seen[p.name] {
				return // given twice: Go's reader refuses those
			}
			seen[p.name] = true
		}
		if len(v.params) != len(params) {
			t.Fatalf("parameters of %q: ours %+v, Go's %v", s, v.params, params)
		}
		for _, p := range v.params {
			if params[p.name] != p.value {
				t.Fatalf("parameter %s of %q: ours %q, Go's %q", p.name, s, p.value, params[p.name])
			}
		}
	})
}

// The decoders of encodings inside bodies never panic and their output is
// bounded by their input.
func FuzzEmbedded(f *testing.F) {
	for _, s := range []string{"begin 644 a.exe\n#35H`\n`\nend\n", "begin-base64 644 x\nTVo=\n====\n",
		"=ybegin line=128 size=3 name=a.bin\r\nk\x84\x8a\r\n=yend size=3\r\n",
		"(This file must be converted with BinHex 4.0)\r\n:!!!!:\r\n",
		"\x78\x9f\x3e\x22\x01\x00\x02\x02\x90\x06\x00\x00\x00\x00\x00\x00\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		total := func(fs []embeddedFile) (n int) {
			for _, f := range fs {
				n += len(f.data)
			}
			return n
		}
		if fs := uudecodeAll(b, maxEmbedded); len(fs) > maxEmbedded || total(fs) > len(b) {
			t.Fatalf("uudecode: %d files, %d bytes from %d", len(fs), total(fs), len(b))
		}
		if out, _ := uudecodeLines(b); len(out) > len(b) {
			t.Fatalf("uudecode lines: %d bytes from %d", len(out), len(b))
		}
		if fs := ydecodeAll(b, maxEmbedded); len(fs) > maxEmbedded || total(fs) > len(b) {
			t.Fatalf("yEnc: %d files, %d bytes from %d", len(fs), total(fs), len(b))
		}
		if f, ok := binhexDecode(b); ok && len(f.data) > 4*len(b)+1<<16 {
			t.Fatalf("BinHex: %d bytes from %d", len(f.data), len(b))
		}
		if fs, _ := decodeTNEF(b); total(fs) > len(b)*64+4096 {
			t.Fatalf("TNEF: %d bytes from %d", total(fs), len(b))
		}
		if out, err := decompressRTF(b); err == nil && len(out) > 64*len(b)+4096 {
			t.Fatalf("RTF: %d bytes from %d", len(out), len(b))
		}
	})
}
