package message

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/testmail"
)

// fakePE is a harmless stand-in for an executable: an MZ header and text.
func fakePE(n int) []byte {
	return append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte("This program cannot be run in DOS mode. "), n/40)...)
}

// cutBody is the body b (CRLF or LF lines) cut as ScanRaw cuts it.
func cutBody(b string, keep int) string {
	if keep >= len(b) {
		return b
	}
	if keep == 0 || b[keep-1] == '\n' {
		return b[:keep]
	}
	if i := strings.IndexByte(b[keep:], '\n'); i >= 0 {
		return b[:keep+i+1]
	}
	return b
}

func TestScanRaw(t *testing.T) {
	pe := fakePE(4000)
	body := testmail.Base64(pe)
	zipBody := testmail.Base64(append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0xab}, 3000)...))
	broken := body[:200] + "!!" + body[200:]
	inner := top("inner", multipart("mixed", text("x"), attachment("application/octet-stream", "in.exe", pe)))

	tests := []struct {
		name string
		raw  string
		keep int
		cuts []string // the bodies ScanRaw cuts, in order
	}{
		{"attachment", top("a", multipart("mixed", text("hello"), attachment("application/octet-stream", "a.exe", pe))), 200, []string{body}},
		{"keep on a line end", top("a", multipart("mixed", attachment("application/octet-stream", "a.exe", pe))), 78, []string{body}},
		{"keep nothing", top("a", multipart("mixed", attachment("application/octet-stream", "a.exe", pe))), 0, []string{body}},
		{"single-part base64 message", top("s", leaf("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64", body)), 100, []string{body}},
		{"nested multiparts", top("n", multipart("mixed", text("t"),
			multipart("mixed", attachment("application/octet-stream", "a.exe", pe),
				multipart("related", html("<p>x</p>"), attachment("application/zip", "b.zip", []byte("PK\x03\x04"+strings.Repeat("\xab", 3000))))))),
			100, []string{body, zipBody}},
		{"forwarded message in 7bit: its attachment is in Raw", top("f", multipart("mixed", text("see"), forward(inner))), 100, []string{body}},
		{"forwarded message in base64: the container body is cut, not what is inside", top("f", multipart("mixed", text("see"),
			leaf("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64", testmail.Base64([]byte(inner))))),
			100, []string{testmail.Base64([]byte(inner))}},
		{"broken base64 is not cut", top("b", multipart("mixed", leaf("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64", broken))), 100, nil},
		{"quoted-printable is not cut", top("q", multipart("mixed", leaf("Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable", strings.Repeat("caf=C3=A9 ", 500)))), 100, nil},
		{"a text body whose charset is unknown is not cut", top("c", leaf("Content-Type: text/plain; charset=x-martian\r\nContent-Transfer-Encoding: base64", body)), 100, nil},
		{"keep < 0 cuts nothing", top("a", multipart("mixed", attachment("application/octet-stream", "a.exe", pe))), -1, nil},
		{"keep beyond the body cuts nothing", top("a", multipart("mixed", attachment("application/octet-stream", "a.exe", pe))), len(body), nil},
	}
	for _, lf := range []bool{false, true} {
		for _, tc := range tests {
			raw, cuts := tc.raw, tc.cuts
			if lf {
				raw = toLF(raw)
				cuts = nil
				for _, c := range tc.cuts {
					cuts = append(cuts, toLF(c))
				}
			}
			name := tc.name
			if lf {
				name += " (LF)"
			}
			t.Run(name, func(t *testing.T) {
				m, err := Parse([]byte(raw))
				if err != nil {
					t.Fatal(err)
				}
				// What ScanRaw should give: each cut body replaced by its
				// first lines, the rest of Raw as it is.
				want := raw
				at := 0
				for _, c := range cuts {
					i := strings.Index(want[at:], c)
					if i < 0 {
						t.Fatalf("test body not in the message")
					}
					kept := cutBody(c, tc.keep)
					want = want[:at+i] + kept + want[at+i+len(c):]
					at += i + len(kept)
				}
				got := m.ScanRaw(tc.keep)
				if string(got) != want {
					t.Errorf("ScanRaw(%d) = %d bytes, want %d\n%.600q", tc.keep, len(got), len(want), got)
				}
				if len(cuts) == 0 && !sameBytes(got, m.Raw) {
					t.Errorf("nothing cut, but ScanRaw is a copy of Raw")
				}
				if len(cuts) > 0 && tc.keep > 0 && !bytes.Contains(got, []byte("TVqQ")) && !bytes.Contains(got, []byte("UEsDB")) && !bytes.Contains(got, []byte("RnJvbT")) {
					t.Errorf("the start of a cut body is gone")
				}
				hdr := bytes.Index(m.Raw, []byte("\n\r\n"))
				if lf {
					hdr = bytes.Index(m.Raw, []byte("\n\n"))
				}
				if hdr < 0 || !bytes.HasPrefix(got, m.Raw[:hdr]) {
					t.Errorf("the top header is not whole")
				}
				checkScanRaw(t, m)
			})
		}
	}
}

// A Raw swapped after Parse is never cut by the old offsets.
func TestScanRawAfterRawChanged(t *testing.T) {
	m, err := Parse([]byte(top("a", multipart("mixed", attachment("application/octet-stream", "a.exe", fakePE(4000))))))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.ScanRaw(10)) >= len(m.Raw) {
		t.Fatal("nothing cut")
	}
	m.Raw = append([]byte("X-Added: 1\r\n"), m.Raw...)
	if got := m.ScanRaw(10); !sameBytes(got, m.Raw) {
		t.Errorf("ScanRaw cut a Raw it did not parse")
	}
	var zero Message
	if zero.ScanRaw(10) != nil {
		t.Errorf("zero Message: ScanRaw not nil")
	}
}

// checkScanRaw holds for every parse: the cut spans lie in Raw in order,
// hold base64 that decodes without a problem, and ScanRaw is Raw with each
// of them cut to its first lines.
func checkScanRaw(t *testing.T, m *Message) {
	t.Helper()
	last := 0
	for _, s := range m.raw.b64 {
		if s.start < last || s.end > len(m.Raw) || s.start >= s.end {
			t.Fatalf("bad span %v after %d in %d bytes", s, last, len(m.Raw))
		}
		if _, st := decodeBase64(m.Raw[s.start:s.end]); st != (b64stats{}) {
			t.Errorf("span %v is not clean base64: %.200q", s, m.Raw[s.start:s.end])
		}
		last = s.end
	}
	for _, keep := range []int{0, 1, 76, 1000, -1} {
		var want []byte
		last := 0
		for _, s := range m.raw.b64 {
			if keep < 0 {
				break
			}
			want = append(want, m.Raw[last:s.start]...)
			want = append(want, cutBody(string(m.Raw[s.start:s.end]), keep)...)
			last = s.end
		}
		want = append(want, m.Raw[last:]...)
		if got := m.ScanRaw(keep); !bytes.Equal(got, want) {
			t.Errorf("ScanRaw(%d): %d bytes, want %d", keep, len(got), len(want))
		}
	}
}
