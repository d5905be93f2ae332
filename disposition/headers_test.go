package disposition

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

func TestClean(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"invoice.zip", 0, "invoice.zip"},
		{"a\r\nX-Kensa-Verdict: accept", 0, "aX-Kensa-Verdict: accept"},
		{"tab\there", 0, "tabhere"},
		{"  many   spaces  ", 0, "many spaces"},
		{"nul\x00del\x7fesc\x1b[31m", 0, "nuldelesc[31m"},
		{"bad\xffutf8", 0, "badutf8"},
		{"счёт.zip", 0, "%D1%81%D1%87%D1%91%D1%82.zip"},
		{"100%.pdf", 0, "100%25.pdf"},
		{"rtl\u202eexe.pdf", 0, "rtlexe.pdf"},       // bidi override is a format character
		{"zero\u200bwidth", 0, "zerowidth"},         // so is a zero-width space
		{"c1\u0085next\u2028line", 0, "c1nextline"}, // NEL and LINE SEPARATOR
		{"abcdefghij", 8, "abcde..."},
		{"abcdefgh", 8, "abcdefgh"},
		{"ab ééé", 8, "ab..."}, // never cut inside an escape
		{"a%%%%%%", 8, "a%25..."},
		{"", 10, ""},
	}
	for _, tt := range tests {
		if got := clean(tt.in, tt.limit); got != tt.want {
			t.Errorf("clean(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name, value, want string
	}{
		{"X-Kensa-Verdict", "accept; score=0; ref=abc", "accept; score=0; ref=abc"},
		{"X-Kensa-Findings", "", ""},
		// 18 + 60 = 78 fits exactly; one more word folds before its space.
		{"X-Kensa-Findings", strings.Repeat("a", 60), strings.Repeat("a", 60)},
		{"X-Kensa-Findings", strings.Repeat("a", 55) + " bbbbb", strings.Repeat("a", 55) + "\r\n bbbbb"},
		{"X-Kensa-Findings", "yara/A (1), yara/B (2)", "yara/A (1), yara/B (2)"},
		// A word longer than a line is split.
		{"X-Kensa-Findings", long, long[:60] + "\r\n " + long[60:]},
		{"X-Kensa-Findings", "a " + long, "a\r\n " + long[:77] + "\r\n " + long[77:]},
	}
	for _, tt := range tests {
		if got := fold(tt.name, tt.value); got != tt.want {
			t.Errorf("fold(%q, %q) =\n%q\nwant\n%q", tt.name, tt.value, got, tt.want)
		}
		checkFolded(t, tt.name, fold(tt.name, tt.value))
	}
}

func TestFoldUnfoldsToValue(t *testing.T) {
	v := strings.Repeat("yara/Some_Rule (2/invoice.zip/x.docm), ", 10) + "end"
	got := fold("X-Kensa-Findings", v)
	if strings.Count(got, "\r\n ") < 4 {
		t.Errorf("fold did not fold a long value: %q", got)
	}
	if un := strings.ReplaceAll(got, "\r\n", ""); un != v {
		t.Errorf("unfolded value differs:\n%q\n%q", un, v)
	}
}

func TestHeaderValue(t *testing.T) {
	items := findingItems([]scanners.Finding{
		{Scanner: "yara", ID: "Office_AutoOpen", Part: "2/invoice.zip/x.docm"},
		{Scanner: "heuristic", ID: "double-extension", Part: "3"},
		{Scanner: "yara", ID: "Office_AutoOpen", Part: "2/invoice.zip/x.docm"}, // duplicate
		{Scanner: "yara", ID: "Whole_Message"},
		{Scanner: "yara", ID: "Evil", Part: "2/a.zip/\r\nX-Kensa-Verdict: accept\x00.exe"},
	})
	got := headerValue(HeaderFindings, items)
	want := "yara/Office_AutoOpen (2/invoice.zip/x.docm),\r\n heuristic/double-extension (3), yara/Whole_Message, yara/Evil\r\n" +
		" (2/a.zip/X-Kensa-Verdict: accept.exe)"
	if got != want {
		t.Errorf("headerValue =\n%q\nwant\n%q", got, want)
	}
	checkFolded(t, HeaderFindings, got)
}

func TestHeaderValueCapped(t *testing.T) {
	var fs []scanners.Finding
	for i := range 300 {
		fs = append(fs, scanners.Finding{Scanner: "yara", ID: fmt.Sprintf("Rule_%03d", i), Part: "2/archive.zip/" + strings.Repeat("d/", 10) + "file.bin"})
	}
	got := headerValue(HeaderFindings, findingItems(fs))
	un := strings.ReplaceAll(got, "\r\n", "")
	if len(un) > maxHeaderValue {
		t.Errorf("value is %d bytes, cap is %d", len(un), maxHeaderValue)
	}
	shown := strings.Count(un, "yara/")
	wantMore := fmt.Sprintf(", ...+%d more", 300-shown)
	if !strings.HasSuffix(un, wantMore) || shown < 10 {
		t.Errorf("capped value shows %d findings and ends %q, want suffix %q", shown, un[len(un)-30:], wantMore)
	}
	checkFolded(t, HeaderFindings, got)

	// One huge sender-chosen path is cut, not allowed to blow the line.
	got = headerValue(HeaderFindings, findingItems([]scanners.Finding{{Scanner: "yara", ID: "R", Part: strings.Repeat("é", 100000)}}))
	// One word: every fold was a split that added a space, so drop those too.
	if un := strings.ReplaceAll(got, "\r\n ", ""); len(un) > maxItemLen || !strings.HasSuffix(un, "...") {
		t.Errorf("huge part path: %d bytes, ends %q", len(un), un[max(0, len(un)-10):])
	}
	checkFolded(t, HeaderFindings, got)
}

func TestVerdictValue(t *testing.T) {
	tests := []struct {
		name string
		rep  engine.Report
		host string
		want string
	}{
		{"accept", engine.Report{Verdict: policy.Verdict{Action: policy.Accept, Ref: "r1"}}, "", "accept; score=0; ref=r1"},
		{"tag", engine.Report{Verdict: policy.Verdict{Action: policy.Tag, Score: 35, Ref: "r2"}}, "mx1.example.com", "tag; score=35; ref=r2; host=mx1.example.com"},
		{"monitor", engine.Report{Verdict: policy.Verdict{Action: policy.Reject, Score: 100, Ref: "r3", Monitor: true}}, "", "reject; score=100; ref=r3; monitor"},
		{"skipped", engine.Report{Verdict: policy.Verdict{Action: policy.Accept, Ref: "r4", Skipped: "allow-sender"}}, "", "accept; score=0; ref=r4; skipped=allow-sender"},
		{"too large", engine.Unscanned("too-large", policy.Accept, 10), "", "unscanned; reason=too-large; ref=REF"},
		{"too large held", engine.Unscanned("too-large", policy.Quarantine, 10), "", "unscanned; reason=too-large; action=quarantine; ref=REF"},
		{"host cleaned", engine.Report{Verdict: policy.Verdict{Action: policy.Accept, Ref: "r5"}}, "evil\r\nX-Kensa: 1", "accept; score=0; ref=r5; host=evilX-Kensa: 1"},
	}
	for _, tt := range tests {
		want := strings.ReplaceAll(tt.want, "REF", tt.rep.Verdict.Ref)
		got := verdictValue(tt.rep, tt.host)
		if un := strings.ReplaceAll(got, "\r\n", ""); un != want {
			t.Errorf("%s: verdictValue = %q, want %q", tt.name, got, want)
		}
		checkFolded(t, HeaderVerdict, got)
	}
}

// checkFolded asserts what every header value we send must satisfy: only
// printable ASCII, CR and LF only as a fold (CRLF SP), no line longer than
// maxLine counting "Name: ", no empty continuation line.
func checkFolded(t *testing.T, name, v string) {
	t.Helper()
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\r' {
			if !strings.HasPrefix(v[i:], "\r\n ") {
				t.Errorf("CR not part of a fold at %d in %q", i, v)
			}
			continue
		}
		if c == '\n' {
			if i == 0 || v[i-1] != '\r' {
				t.Errorf("bare LF at %d in %q", i, v)
			}
			continue
		}
		if c < ' ' || c > '~' {
			t.Errorf("byte %#x at %d in %q", c, i, v)
		}
	}
	for i, line := range strings.Split(name+": "+v, "\r\n") {
		if len(line) > maxLine {
			t.Errorf("line %d is %d bytes: %q", i, len(line), line)
		}
		if i > 0 && strings.TrimSpace(line) == "" {
			t.Errorf("line %d is blank in %q", i, v)
		}
	}
}

func FuzzHeaderValue(f *testing.F) {
	f.Add("2/invoice.zip/x.docm", "Office_AutoOpen", "3/a\r\nb")
	f.Add(strings.Repeat("a", 200), "\x00\x7f\u202e", "счёт %41.exe")
	f.Add(strings.Repeat("word ", 100), "", strings.Repeat("\xff", 10))
	f.Fuzz(func(t *testing.T, a, b, c string) {
		items := findingItems([]scanners.Finding{
			{Scanner: "yara", ID: b, Part: a},
			{Scanner: c, ID: a, Part: b},
			{Scanner: "heuristic", ID: c},
		})
		v := headerValue(HeaderFindings, items)
		checkFolded(t, HeaderFindings, v)
		if n := len(strings.ReplaceAll(v, "\r\n", "")); n > maxHeaderValue {
			t.Errorf("value is %d bytes", n)
		}
		cl := clean(a, 50)
		if len(cl) > 50 || strings.ContainsAny(cl, "\r\n\x00\t") {
			t.Errorf("clean(%q, 50) = %q", a, cl)
		}
		if clean(cl, 0) != strings.ReplaceAll(cl, "%", "%25") {
			t.Errorf("clean is not stable on its own output: %q", cl)
		}
	})
}

// FuzzVerdictValue: whatever ends up in a verdict (a reason, the skip
// reason, the host name), X-Kensa-Verdict stays one clean, folded field.
func FuzzVerdictValue(f *testing.F) {
	f.Add("too-large", "allow-authenticated", "mx1.example.org", "abc123", true)
	f.Add("x\r\nX-Kensa-Verdict: accept", "\x00\x7f\u202e", "host\r\n name", "ref\n", false)
	f.Fuzz(func(t *testing.T, unscanned, skipped, host, ref string, monitor bool) {
		rep := engine.Report{Unscanned: unscanned, Verdict: policy.Verdict{
			Action: policy.Quarantine, Score: 60, Ref: ref, Skipped: skipped, Monitor: monitor}}
		checkFolded(t, HeaderVerdict, verdictValue(rep, host))
	})
}
