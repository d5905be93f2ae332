package message

import (
	"fmt"
	"strings"
	"testing"
	"time"
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
		top("legacy", leaf("Content-Type: application/octet-stream; name*=iso-2022-jp'ja'%1B%24B%40A%1B%28B.exe\r\nContent-Disposition: attachment;\r\n filename*0*=Shift_JIS''%90%BF; filename*1=\"x;y.exe\"", "MZ")),
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		start := time.Now()
		m, err := Parse(raw)
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("Parse of %d bytes took %v", len(raw), took)
		}
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
		start := time.Now()
		got, closed := splitAll(body, boundary)
		if took := time.Since(start); took > time.Second {
			t.Fatalf("splitting %d bytes took %v", len(body), took)
		}
		want, wclosed := refSplit(body, boundary)
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) || closed != wclosed {
			t.Fatalf("split %q by %q: %q closed %v; want %q closed %v", body, boundary, got, closed, want, wclosed)
		}
	})
}
