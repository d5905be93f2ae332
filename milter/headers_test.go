package milter

import (
	"net/textproto"
	"strings"
	"testing"
)

// render is a header as the MTA has it after ops, Postfix's own Received
// field first (it is not sent to the milter but counts for inserts).
func render(fields []headerField, ops []headerOp) string {
	out := append([]headerField{{"Received", " by mx"}}, fields...)
	for _, op := range ops {
		if op.insert {
			i := min(op.index, len(out))
			out = append(out[:i], append([]headerField{{op.name, op.value}}, out[i:]...)...)
			continue
		}
		n := 0
		for i, f := range out {
			if textproto.CanonicalMIMEHeaderKey(f.name) != textproto.CanonicalMIMEHeaderKey(op.name) {
				continue
			}
			if n++; n == op.index {
				if op.value == "" {
					out = append(out[:i], out[i+1:]...)
				} else {
					out[i].value = op.value
				}
				break
			}
		}
	}
	return string(writeHeader(nil, out[1:]))
}

func parseFields(t *testing.T, head string) []headerField {
	t.Helper()
	var fs []headerField
	for _, line := range strings.Split(strings.TrimSuffix(head, "\r\n"), "\r\n") {
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			fs[len(fs)-1].value += "\r\n" + line
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("bad test header line %q", line)
		}
		fs = append(fs, headerField{name, value})
	}
	return fs
}

func TestEditHeaderRemovesForged(t *testing.T) {
	fields := parseFields(t, "X-Kensa-Verdict: accept; score=0\r\n"+
		"From: a@example.com\r\nx-kensa-findings: none\r\nX-KENSA-Anything: 1\r\nX-Kensa: not ours\r\nSubject: hi\r\nX-Kensa-Verdict: again\r\n")
	ops, after, n := editHeader(fields, [][2]string{{"X-Kensa-Verdict", "tag"}, {"X-Kensa-Findings", "yara/X"}}, "")
	if n != 4 {
		t.Errorf("removed %d fields, want 4", n)
	}
	want := "X-Kensa-Verdict: tag\r\nX-Kensa-Findings: yara/X\r\nFrom: a@example.com\r\nX-Kensa: not ours\r\nSubject: hi\r\n\r\n"
	if got := string(writeHeader(nil, after)); got != want {
		t.Errorf("header after:\n%q\nwant\n%q", got, want)
	}
	if got := render(fields, ops); got != want {
		t.Errorf("header at the MTA after %v:\n%q\nwant\n%q", ops, got, want)
	}
}

func TestEditHeaderPrefixesSubject(t *testing.T) {
	tests := []struct {
		name, headers, prefix, want string
	}{
		{"plain", "Subject: Hello\r\n", "[SUSPICIOUS] ", "Subject: [SUSPICIOUS] Hello\r\n"},
		{"leading space kept once", "Subject:   Hello\r\n", "[SUSPICIOUS] ", "Subject: [SUSPICIOUS] Hello\r\n"},
		{"already prefixed", "Subject: [SUSPICIOUS] Hello\r\n", "[SUSPICIOUS] ", "Subject: [SUSPICIOUS] Hello\r\n"},
		{"no space in prefix", "Subject: Hello\r\n", "[TAG]", "Subject: [TAG]Hello\r\n"},
		{"missing subject", "From: a@example.com\r\n", "[SUSPICIOUS] ", "From: a@example.com\r\nSubject: [SUSPICIOUS]\r\n"},
		{"encoded subject", "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n", "[SUSPICIOUS] ", "Subject: =?utf-8?q?[SUSPICIOUS]_Gr=C3=BC=C3=9Fe?=\r\n"},
		{"latin-1 subject", "Subject: =?iso-8859-1?q?Gr=FC=DFe?=\r\n", "[SUSPICIOUS] ", "Subject: =?utf-8?q?[SUSPICIOUS]_Gr=C3=BC=C3=9Fe?=\r\n"},
		{"unknown charset", "Subject: =?x-unknown?q?abc?=\r\n", "[SUSPICIOUS] ", "Subject: [SUSPICIOUS] =?x-unknown?q?abc?=\r\n"},
		{"folded", "Subject: a long\r\n\tsubject\r\n", "[S] ", "Subject: [S] a long subject\r\n"},
		{"second subject left alone", "Subject: one\r\nSubject: two\r\n", "[S] ", "Subject: [S] one\r\nSubject: two\r\n"},
		{"empty prefix", "Subject: Hello\r\n", " ", "Subject: Hello\r\n"},
	}
	for _, tt := range tests {
		fields := parseFields(t, tt.headers)
		ops, after, _ := editHeader(fields, nil, tt.prefix)
		if got := string(writeHeader(nil, after)); got != tt.want+"\r\n" {
			t.Errorf("%s: got\n%q\nwant\n%q", tt.name, got, tt.want+"\r\n")
		}
		if got := render(fields, ops); got != tt.want+"\r\n" {
			t.Errorf("%s: at the MTA after %v got\n%q\nwant\n%q", tt.name, ops, got, tt.want+"\r\n")
		}
	}
}
