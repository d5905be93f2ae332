package message

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/testmail"
)

// splitAll runs the splitter over body and returns its parts and Closed.
func splitAll(body, boundary string) ([]string, bool) {
	s := newSplitter([]byte(body), boundary, 0)
	var parts []string
	for {
		start, end, ok := s.Next()
		if !ok {
			return parts, s.Closed()
		}
		parts = append(parts, body[start:end])
	}
}

func TestSplitter(t *testing.T) {
	b64 := "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	tests := []struct {
		name, body, boundary string
		parts                []string
		closed               bool
	}{
		{"CRLF", "--b\r\nA: 1\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--\r\n", "b", []string{"A: 1\r\n\r\none", "\r\ntwo"}, true},
		{"LF only", "--b\nA: 1\n\none\n--b\n\ntwo\n--b--\n", "b", []string{"A: 1\n\none", "\ntwo"}, true},
		{"preamble and epilogue are not parts", "This is a multi-part message.\r\n--b is not a delimiter\r\n\r\n--b\r\n\r\nx\r\n--b--\r\nepilogue\r\n--b\r\n\r\nnot a part\r\n", "b", []string{"\r\nx"}, true},
		{"transport padding", "--b \t\r\n\r\none\r\n--b\t\r\n\r\ntwo\r\n--b--  \r\n", "b", []string{"\r\none", "\r\ntwo"}, true},
		{"no line end after the close delimiter", "--b\r\n\r\nx\r\n--b--", "b", []string{"\r\nx"}, true},
		{"empty parts", "--b\r\n--b\r\n\r\n--b\r\n--b--\r\n", "b", []string{"", "", ""}, true},
		{"the line break before a delimiter belongs to it", "--b\r\n\r\nx\r\n\r\n--b--", "b", []string{"\r\nx\r\n"}, true},
		{"missing close delimiter", "--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\n", "b", []string{"\r\none", "\r\ntwo\r\n"}, false},
		{"no delimiter at all", "--c\r\n\r\nx\r\n--c--\r\n", "b", nil, false},
		{"close delimiter first", "--b--\r\n--b\r\n\r\nx\r\n", "b", nil, true},
		{"empty body", "", "b", nil, false},
		{"delimiter at the end of input", "--b\r\n\r\nx\r\n--b", "b", []string{"\r\nx", ""}, false},
		{"boundary that is a prefix of another", "--b\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n\r\ninner\r\n--b1--\r\n--b-x\r\n--b--x\r\n--b\r\n\r\nlast\r\n--b--\r\n", "b",
			[]string{"Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n\r\ninner\r\n--b1--\r\n--b-x\r\n--b--x", "\r\nlast"}, true},
		{"delimiter-like lines in a base64 body", "--b\r\n\r\n" + b64 + "\r\n --b\r\nx--b\r\n--bb\r\n--b--x\r\n-b\r\n" + b64 + "\r\n--b--\r\n", "b",
			[]string{"\r\n" + b64 + "\r\n --b\r\nx--b\r\n--bb\r\n--b--x\r\n-b\r\n" + b64}, true},
		{"regex-like boundary", "--a.*b\r\n\r\nx\r\n--a.*b--\r\n", "a.*b", []string{"\r\nx"}, true},
		{"bare CR is not a line end", "--b\r\n\r\nx\r--b\r\n--b--\r\n", "b", []string{"\r\nx\r--b"}, true},
		{"blanks and a stray CR before the line end", "--b\v\f\r\r\n\r\nx\r\n--b--\r\n", "b", []string{"\r\nx"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parts, closed := splitAll(tc.body, tc.boundary)
			if fmt.Sprintf("%q", parts) != fmt.Sprintf("%q", tc.parts) || closed != tc.closed {
				t.Errorf("parts %q closed %v, want %q closed %v", parts, closed, tc.parts, tc.closed)
			}
		})
	}
}

// Parts of a multipart are slices of Message.Raw, not copies.
func TestParsePartsShareRaw(t *testing.T) {
	raw := []byte(top("share", multipart("mixed", text("one"), multipart("alternative", text("two"), html("<p>three</p>")))))
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Parts) != 3 {
		t.Fatalf("%d parts", len(m.Parts))
	}
	for _, p := range m.Parts {
		i := bytes.Index(raw, p.Content)
		if i < 0 || &raw[i] != &p.Content[0] {
			t.Errorf("%s: content %q is a copy", p.Path, p.Content)
		}
	}
}

func lenient(s string) string {
	out, _ := lenientBase64(nil, []byte(s))
	return string(out)
}

// toLF turns a CRLF message into an LF-only one.
func toLF(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestParseSplitting(t *testing.T) {
	pdf := pdfBytes()
	tests := []struct {
		name     string
		raw      string
		parts    []wantPart
		problems []wantProblem
	}{
		{
			name: "LF-only mail",
			raw: toLF(top("lf", multipart("mixed",
				multipart("alternative", text("plain"), html("<p>html</p>")),
				attachment("application/pdf", "a.pdf", pdf)))),
			parts: []wantPart{
				{Path: "1.1", Content: "plain"},
				{Path: "1.2", Content: "<p>html</p>"},
				{Path: "2", Filename: "a.pdf", Content: string(pdf)},
			},
		},
		{
			name: "nested boundary that extends the outer one",
			raw: top("prefix", "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"+
				"--b\r\nContent-Type: multipart/mixed; boundary=\"b-1\"\r\n\r\n"+
				"--b-1\r\nContent-Type: text/plain\r\n\r\ninner one\r\n"+
				"--b-1\r\nContent-Type: text/plain\r\n\r\ninner two\r\n--b-1--\r\n"+
				"--b\r\nContent-Type: text/plain\r\n\r\nouter two\r\n--b--\r\n"),
			parts: []wantPart{{Path: "1.1", Content: "inner one"}, {Path: "1.2", Content: "inner two"}, {Path: "2", Content: "outer two"}},
		},
		{
			name: "delimiter-like lines inside a base64 attachment",
			raw: top("b64", "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"+
				"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"+
				"UEsDBA==\r\n--bb\r\n--b--x\r\n--b \tjunk\r\n\r\n--b--\r\n"),
			// Those lines are the part's: skipped as junk, the rest decoded.
			// Clients that skip "=" inside base64 read it a second way.
			parts: []wantPart{{Path: "1", Content: lenient("UEsDBA==\r\n--bb\r\n--b--x\r\n--b \tjunk\r\n")},
				{Path: "base64-continuous:1", Content: string(continuousBase64([]byte("UEsDBA==\r\n--bb\r\n--b--x\r\n--b \tjunk\r\n")))}},
			problems: []wantProblem{{"1", ReasonDefect, false}, {"", ReasonDefect, false}},
		},
		{
			name: "transport padding after delimiters",
			raw: top("pad", "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b   \r\nContent-Type: text/plain\r\n\r\none\r\n"+
				"--b\t\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--b-- \r\n"),
			parts: []wantPart{{Path: "1", Content: "one"}, {Path: "2", Content: "two"}},
		},
		{
			name: "a part after the close delimiter is read by the reading that reads past it",
			raw: top("pre", "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\npreamble "+eicar()+"\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n--b--\r\n"+
				"--b\r\nContent-Type: text/plain\r\n\r\nafter the close delimiter\r\n"),
			parts:    []wantPart{{Path: "1", Content: "body"}, {Path: "outside-parts:3", Content: "after the close delimiter\r\n"}},
			problems: []wantProblem{{"", ReasonDefect, false}},
		},
		{
			name: "empty parts",
			raw:  top("empty", "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n--b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nthird\r\n--b--\r\n"),
			parts: []wantPart{
				{Path: "1", Declared: "text/plain", Detected: "text/plain", Content: ""},
				{Path: "2", Declared: "text/plain", Content: ""},
				{Path: "3", Content: "third"},
			},
		},
		{
			name: "missing close delimiter in a nested multipart",
			raw: top("open", "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: multipart/mixed; boundary=\"c\"\r\n\r\n"+
				"--c\r\nContent-Type: text/plain\r\n\r\ninner\r\n--b\r\nContent-Type: text/plain\r\n\r\nouter\r\n--b--\r\n"),
			parts:    []wantPart{{Path: "1.1", Content: "inner"}, {Path: "2", Content: "outer"}},
			problems: []wantProblem{{"1", ReasonDefect, false}},
		},
		{
			name:     "nested multipart with no delimiter is kept whole",
			raw:      top("nodelim", multipart("mixed", text("one"), "Content-Type: multipart/mixed; boundary=\"c\"\r\n\r\n"+eicar()+"\r\n")),
			parts:    []wantPart{{Path: "1", Content: "one"}, {Path: "2", Declared: "multipart/mixed", Content: eicar() + "\r\n"}},
			problems: []wantProblem{{"2", ReasonUndecodable, true}},
		},
		{
			name:  "part without Content-Type keeps its Content-Disposition file name",
			raw:   top("noct", multipart("mixed", leaf("Content-Disposition: attachment; filename=\"run.exe\"\r\nContent-Transfer-Encoding: base64", "TVqQAA=="))),
			parts: []wantPart{{Path: "1", Declared: "text/plain", Filename: "run.exe", Content: "MZ\x90\x00", Detected: "application/x-dosexec"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse([]byte(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, m)
			var paths, want []string
			for _, p := range m.Parts {
				paths = append(paths, p.Path)
			}
			for _, w := range tc.parts {
				want = append(want, w.Path)
			}
			if strings.Join(paths, " ") != strings.Join(want, " ") {
				t.Fatalf("paths = %q, want %q (problems %+v)", paths, want, m.Problems)
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

// Deep nesting stops at MaxNesting quickly, however deep the message goes
// and however big the bottom part is; the rest stays in one part.
func TestParseDeepNestingIsBounded(t *testing.T) {
	big := strings.Repeat(testmail.Base64([]byte(strings.Repeat("AAA", 1000)))+"\r\n", 100) // ~400 KB of base64
	for _, lf := range []bool{false, true} {
		var s strings.Builder
		s.WriteString(top("deep", "Content-Type: multipart/mixed; boundary=\"d0\"\r\n\r\n"))
		for i := 1; i <= 1000; i++ {
			fmt.Fprintf(&s, "--d%d\r\nContent-Type: multipart/mixed; boundary=\"d%d\"\r\n\r\n", i-1, i)
		}
		fmt.Fprintf(&s, "--d1000\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n%s%s\r\n", big, eicar())
		for i := 1000; i >= 0; i-- {
			fmt.Fprintf(&s, "--d%d--\r\n", i)
		}
		raw := s.String()
		if lf {
			raw = toLF(raw)
		}
		start := time.Now()
		m, err := Parse([]byte(raw))
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, m)
		if took > 30*time.Second {
			t.Errorf("LF %v: took %v", lf, took)
		}
		// d1 is a prefix of d10, d100, d1000: a second reading splits there.
		if len(m.Parts) > 10 || len(m.Problems) == 0 || m.Problems[0].Reason != ReasonLimitDepth || !containsEICAR(m) {
			t.Errorf("LF %v: %d parts, problems %+v", lf, len(m.Parts), m.Problems)
		}
	}
}

// Lines that almost are delimiters cost no more than other lines. Each case
// takes well under a second on an idle machine; quadratic work on these 7-8 MB
// inputs would take hours, so a bound far above the idle time catches it
// without failing on a busy machine.
func TestSplitterNearMissesAreCheap(t *testing.T) {
	long := strings.Repeat("=_Part_0123456789", 4) + "abcdef" // 74 bytes
	tests := []struct{ name, body, boundary string }{
		{"near-miss delimiter lines", strings.Repeat("--b-x\r\n--bb\r\n--b--x\r\n", 300000), "b"},
		{"long boundary, prefixes of it", strings.Repeat("--"+long[:len(long)-1]+"\r\n", 100000), long},
		{"long boundary, not at line starts", strings.Repeat("x--"+long, 100000), long},
		{"dashes", strings.Repeat("-", 8<<20), long},
	}
	for _, tc := range tests {
		start := time.Now()
		parts, closed := splitAll(tc.body, tc.boundary)
		if took := time.Since(start); took > 30*time.Second || len(parts) != 0 || closed {
			t.Errorf("%s: %d parts, closed %v, took %v", tc.name, len(parts), closed, took)
		}
	}
}
