package message

import (
	"bytes"
	"strings"
	"testing"
)

func TestDecodeTransfer(t *testing.T) {
	tests := []struct {
		name, cte, in, want string
		defect, undecoded   bool
	}{
		{"identity", "8bit", "a=3Db", "a=3Db", false, false},
		{"no encoding", "", "x", "x", false, false},
		{"binary", " Binary ", "\x00\xff", "\x00\xff", false, false},
		{"base64", "base64", "SGVs\r\nbG8=\r\n", "Hello", false, false},
		{"base64 upper-case name", "BASE64", "SGVsbG8=", "Hello", false, false},
		{"base64 without padding", "base64", "SGVsbG8", "Hello", false, false},
		{"base64 concatenated blocks", "base64", "SGk=SGk=", "HiHi", true, false},
		{"base64 junk skipped", "base64", "SG!V*sbG8=", "Hello", true, false},
		{"base64 cut mid group", "base64", "SGVsbG8hS", "Hello!", true, false},
		{"qp", "quoted-printable", "a=3Db=\r\nc=0D=0A", "a=bc\r\n", false, false},
		{"qp lower-case hex", "quoted-printable", "caf=c3=a9", "café", false, false},
		{"qp soft break with blanks", "quoted-printable", "ab= \t\r\ncd=  \nef=", "abcdef", false, false},
		{"qp bad escapes kept", "quoted-printable", "100=%, a=G1, end=4", "100=%, a=G1, end=4", true, false},
		{"uuencode", "x-uuencode", "begin 644 a\n#86)C\n`\nend\n", "abc", false, false},
		{"uuencode without data", "x-uuencode", "nothing\n", "nothing\n", true, true},
		{"base-64 spelling", "Base-64", "SGVsbG8=", "Hello", false, false},
		{"x-base64 spelling with a comment", "x-base64 (sic)", "SGVsbG8=", "Hello", false, false},
		{"quoted_printable spelling", `"Quoted_Printable"`, "a=3Db", "a=b", false, false},
		{"unknown encoding", "x-martian", "zz", "zz", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := &parser{m: &Message{}}
			out, defect, undecoded := ps.decodeTransfer([]byte(tc.in), tc.cte)
			if string(out) != tc.want || (defect != "") != tc.defect || undecoded != tc.undecoded {
				t.Errorf("decodeTransfer(%q, %q) = %q, %q, %v; want %q, defect %v, undecoded %v",
					tc.in, tc.cte, out, defect, undecoded, tc.want, tc.defect, tc.undecoded)
			}
		})
	}
}

// Junk in base64 once cost one error value per byte inside enmime. Counted
// in allocations, which a loaded machine does not change: a time bound
// flaked under -race on two busy cores.
func TestParseBase64JunkIsCheap(t *testing.T) {
	raw := []byte(top("junk", leaf("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64",
		strings.Repeat("!", 8<<20)+"SGVsbG8=")))
	var m *Message
	allocs := testing.AllocsPerRun(1, func() {
		var err error
		if m, err = Parse(raw); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 10000 {
		t.Errorf("parsing 8 MiB of base64 junk made %.0f allocations; one per junk byte would be millions", allocs)
	}
	if len(m.Parts) != 1 || !bytes.Equal(m.Parts[0].Content, []byte("Hello")) || len(m.Problems) != 1 || m.Problems[0].Reason != ReasonDefect {
		t.Errorf("parts %v problems %+v", m.Parts, m.Problems)
	}
}

// The standard decoder is only a fast path: whenever it accepts the input,
// the lenient decoder gives the same bytes and sees nothing wrong.
func FuzzDecodeBase64(f *testing.F) {
	for _, s := range []string{"SGVs\r\nbG8=\r\n", "SGVsbG8", "SGk=SGk=", "SG!V*sbG8=", "SGVsbG8hS", "SGl=", "SGk==", " SGk=", "\r\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, st := decodeBase64(b)
		want, wst := lenientBase64(nil, b)
		if !bytes.Equal(got, want) || st != wst {
			t.Fatalf("decodeBase64(%q) = %q, %+v; lenient %q, %+v", b, got, st, want, wst)
		}
	})
}
