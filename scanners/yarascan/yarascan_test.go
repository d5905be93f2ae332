package yarascan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/testmail"

	"github.com/hillu/go-yara/v4"
	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
)

// writeRules writes files (name → text) under a fresh directory.
func writeRules(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newScanner(t *testing.T, opts Options) *Scanner {
	t.Helper()
	s, errs, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v (compile errors: %v)", err, errs)
	}
	if len(errs) > 0 {
		t.Fatalf("New: unexpected compile errors: %v", errs)
	}
	return s
}

func scannerFor(t *testing.T, rules string) *Scanner {
	t.Helper()
	dir := writeRules(t, map[string]string{"test.yar": rules})
	return newScanner(t, Options{Paths: []string{dir}})
}

// hits renders findings as sorted "ID@part" strings.
func hits(fs []scanners.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.ID+"@"+f.Part)
	}
	sort.Strings(out)
	return out
}

func TestExternals(t *testing.T) {
	pdfType := filetype.YARAName("application/pdf")
	if pdfType == "" {
		t.Fatal(`filetype.YARAName("application/pdf") is empty; the filetype test would prove nothing`)
	}
	s := scannerFor(t, fmt.Sprintf(`
rule Ext_Filename { condition: filename matches /\.exe$/ }
rule Ext_Extension { condition: extension == ".docm" }
rule Ext_Filepath { condition: filepath == "2/a.zip/x.docm" }
rule Ext_Filetype { condition: filetype == %q }
rule Ext_Mime { condition: mime_type == "application/pdf" }
rule Ext_Declared { condition: declared_type == "application/octet-stream" }
rule Ext_Sender { condition: sender_domain == "example.org" }
rule Ext_Depth { condition: part_depth == 2 }
rule Ext_Owner { condition: owner == "" and filepath != "" }
rule Ext_Whole { condition: filepath == "" and filename == "" and mime_type == "message/rfc822" }
`, pdfType))
	m := &message.Message{
		Raw:      []byte("Subject: hi\r\n\r\nbody\r\n"),
		Envelope: message.Envelope{Sender: "Alice@Example.ORG"},
		Parts: []*message.Part{
			{Path: "1", Filename: "setup.exe", DeclaredType: "application/octet-stream",
				DetectedType: "application/x-dosexec", Content: []byte("MZ stand-in")},
			{Path: "2/a.zip/x.docm", Filename: "x.DOCM", DetectedType: "application/pdf",
				Depth: 2, Content: []byte("%PDF stand-in")},
		},
	}
	got, err := s.Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Ext_Declared@1", "Ext_Depth@2/a.zip/x.docm", "Ext_Extension@2/a.zip/x.docm",
		"Ext_Filename@1", "Ext_Filepath@2/a.zip/x.docm", "Ext_Filetype@2/a.zip/x.docm",
		"Ext_Mime@2/a.zip/x.docm", "Ext_Owner@1", "Ext_Owner@2/a.zip/x.docm",
		// Ext_Sender also matches the whole message, but it matched parts.
		"Ext_Sender@1", "Ext_Sender@2/a.zip/x.docm", "Ext_Whole@",
	}
	if !slices.Equal(hits(got), want) {
		t.Errorf("findings\n got %v\nwant %v", hits(got), want)
	}
}

func TestMetadata(t *testing.T) {
	dir := writeRules(t, map[string]string{"meta.yar": `
rule R_None { condition: true }
rule R_Susp { meta: severity = "suspicious" condition: true }
rule R_Info { meta: severity = "info" condition: true }
rule R_Score { meta: score = 70 condition: true }
rule R_ScoreStr { meta: severity = "Suspicious" score = " 45" condition: true }
rule R_Action { meta: action = "Quarantine" description = "asks for quarantine" severity = "info" score = 5 condition: true }
rule R_Bad { meta: severity = "high" score = "lots" action = "explode" condition: true }
private rule R_Private { condition: true }
`})
	s, errs, err := New(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	// R_Bad's three bad metas are warnings naming the file; the rule is used.
	if len(errs) != 3 {
		t.Fatalf("want 3 warnings for R_Bad, got %v", errs)
	}
	for _, e := range errs {
		if !e.Warning || e.File != filepath.Join(dir, "meta.yar") || !strings.Contains(e.Msg, "R_Bad") {
			t.Errorf("unexpected compile message %#v", e)
		}
	}
	if s.RuleCount() != 7 {
		t.Errorf("RuleCount = %d, want 7 (private rules do not count)", s.RuleCount())
	}
	got, err := s.Scan(context.Background(), &message.Message{Parts: []*message.Part{{Path: "1", Content: []byte("x")}}})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]scanners.Finding{}
	for _, f := range got {
		byID[f.ID] = f
	}
	tests := []struct {
		id     string
		sev    scanners.Severity
		score  int
		action string
		detail string
	}{
		{"R_None", scanners.Malicious, 100, "", ""},
		{"R_Susp", scanners.Suspicious, 30, "", ""},
		{"R_Info", scanners.Info, 0, "", ""},
		{"R_Score", scanners.Malicious, 70, "", ""},
		{"R_ScoreStr", scanners.Suspicious, 45, "", ""},
		{"R_Action", scanners.Info, 5, "quarantine", "asks for quarantine"},
		{"R_Bad", scanners.Malicious, 100, "", ""},
	}
	if len(got) != len(tests) {
		t.Errorf("got %d findings, want %d: %v", len(got), len(tests), hits(got))
	}
	for _, tc := range tests {
		f, ok := byID[tc.id]
		if !ok {
			t.Errorf("%s: no finding", tc.id)
			continue
		}
		want := scanners.Finding{Scanner: "yara", ID: tc.id, Part: "1", Severity: tc.sev, Score: tc.score, Action: tc.action, Detail: tc.detail}
		if f != want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.id, f, want)
		}
	}
}

func TestDedupe(t *testing.T) {
	s := scannerFor(t, `
rule Token { strings: $a = "kensa-token" condition: $a }
rule RawOnly { strings: $a = "X-Raw-Only:" condition: $a }
`)
	m := &message.Message{
		Raw: []byte("X-Raw-Only: yes\r\n\r\nkensa-token kensa-token\r\n"),
		Parts: []*message.Part{
			{Path: "1", Content: []byte("kensa-token and kensa-token again")},
			{Path: "2", Content: []byte("kensa-token")},
			{Path: "2", Content: []byte("same path again: kensa-token")},
		},
	}
	got, err := s.Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"RawOnly@", "Token@1", "Token@2"}
	if !slices.Equal(hits(got), want) {
		t.Errorf("got %v, want %v", hits(got), want)
	}
}

func TestEmptyParts(t *testing.T) {
	s := scannerFor(t, `rule Always { condition: true }`)
	m := &message.Message{Parts: []*message.Part{
		{Path: "1"},
		nil,
		{Path: "2", Content: []byte{}},
		{Path: "3", Content: []byte("x")},
	}}
	got, err := s.Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Always@3"}; !slices.Equal(hits(got), want) {
		t.Errorf("got %v, want %v", hits(got), want)
	}
	got, err = s.Scan(context.Background(), &message.Message{})
	if err != nil || len(got) != 0 {
		t.Errorf("empty message: got %v, %v; want nothing", got, err)
	}
	if _, err := s.Scan(context.Background(), nil); err == nil {
		t.Error("nil message: want an error")
	}
}

func TestBrokenFilesAmongGood(t *testing.T) {
	dir := writeRules(t, map[string]string{
		"a.yar": "rule Good_A { strings: $a = \"alpha-marker\" condition: $a }\n",
		"b.yar": "rule Good_B0 { condition: true }\n\n\n" +
			"rule Broken_B {\n  condition: $missing }\n", // line 5
		"c.YARA":      "rule Good_C { strings: $c = \"gamma-marker\" condition: $c }\n",
		"notes.txt":   "this is not a rule file {",
		"sub/e.yar":   "\n\nrule Broken_E { condition: no_such_identifier }\n",           // line 3
		"sub/f.yar":   "rule Good_F { condition: true }\nrule Syntax { condition: ( }\n", // line 2
		".hidden.yar": "this would not compile",
		".git/x.yar":  "nor would this",
	})
	s, errs, err := New(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var got []string
	for _, e := range errs {
		if e.Warning {
			continue
		}
		got = append(got, fmt.Sprintf("%s:%d", filepath.Base(e.File), e.Line))
		if e.Error() != fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) {
			t.Errorf("Error() = %q", e.Error())
		}
	}
	sort.Strings(got)
	if want := []string{"b.yar:5", "e.yar:3", "f.yar:2"}; !slices.Equal(got, want) {
		t.Errorf("compile errors at %v, want %v (all: %v)", got, want, errs)
	}
	if s.RuleCount() != 2 {
		t.Errorf("RuleCount = %d, want 2 (a.yar and c.YARA; b.yar is dropped whole)", s.RuleCount())
	}
	f, err := s.Scan(context.Background(), &message.Message{Parts: []*message.Part{
		{Path: "1", Content: []byte("alpha-marker")}, {Path: "2", Content: []byte("gamma-marker")}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Good_A@1", "Good_C@2"}; !slices.Equal(hits(f), want) {
		t.Errorf("got %v, want %v", hits(f), want)
	}

	n, cerrs, err := Check(Options{Paths: []string{dir}})
	if err != nil || n != 2 || len(cerrs) != len(errs) {
		t.Errorf("Check = %d, %v, %v; want 2 rules and the same %d messages", n, cerrs, err, len(errs))
	}
}

func TestSameRuleNameInTwoFiles(t *testing.T) {
	dir := writeRules(t, map[string]string{
		"one.yar": "rule Dup { condition: true }\nrule Unique { condition: true }\n",
		"two.yar": "rule Dup { condition: true }\n",
	})
	s := newScanner(t, Options{Paths: []string{dir, filepath.Join(dir, "one.yar")}}) // one.yar listed twice
	got, err := s.Scan(context.Background(), &message.Message{Parts: []*message.Part{{Path: "1", Content: []byte("x")}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(dir, "one.yar") + ":Dup@1",
		filepath.Join(dir, "two.yar") + ":Dup@1",
		"Unique@1",
	}
	if !slices.Equal(hits(got), want) {
		t.Errorf("got %v, want %v", hits(got), want)
	}
}

func TestNothingUsable(t *testing.T) {
	broken := writeRules(t, map[string]string{"x.yar": "rule {"})
	empty := writeRules(t, map[string]string{"x.yar": "// no rules here\n"})
	tests := []struct {
		name     string
		opts     Options
		wantErrs int
	}{
		{"no sources", Options{}, 0},
		{"missing path", Options{Builtin: true, Paths: []string{"/nonexistent/kensa.yar"}}, 0},
		{"only broken", Options{Paths: []string{broken}}, 1},
		{"no rules in file", Options{Paths: []string{empty}}, 0},
		{"empty dir", Options{Paths: []string{t.TempDir()}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, errs, err := New(tc.opts)
			if err == nil || s != nil {
				t.Fatalf("New = %v, %v; want an error", s, err)
			}
			if len(errs) != tc.wantErrs {
				t.Errorf("compile errors %v, want %d", errs, tc.wantErrs)
			}
			if n, _, err := Check(tc.opts); err == nil || n != 0 {
				t.Errorf("Check = %d, %v; want an error", n, err)
			}
		})
	}
}

func TestBuiltinPack(t *testing.T) {
	n, errs, err := Check(Options{Builtin: true})
	if err != nil || len(errs) != 0 {
		t.Fatalf("builtin pack: %v %v", err, errs)
	}
	if n < 10 {
		t.Errorf("builtin pack has %d public rules, want at least 10", n)
	}
}

func TestConcurrentScans(t *testing.T) {
	var rules strings.Builder
	const kinds = 8
	for i := range kinds {
		fmt.Fprintf(&rules, "rule T%d { strings: $a = \"kensa-token-%d;\" condition: $a }\n", i, i)
	}
	rules.WriteString(`rule F3 { condition: filename == "f3.bin" }` + "\n")
	dir := writeRules(t, map[string]string{"c.yar": rules.String()})
	s := newScanner(t, Options{Paths: []string{dir}, PoolSize: 2, Timeout: 30 * time.Second})

	var wg sync.WaitGroup
	errc := make(chan error, 64)
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := g % kinds
			want := []string{fmt.Sprintf("T%d@1", k)}
			if k == 3 {
				want = append(want, "F3@1")
				sort.Strings(want)
			}
			m := &message.Message{Parts: []*message.Part{{Path: "1", Filename: fmt.Sprintf("f%d.bin", k),
				Content: bytes.Repeat([]byte(fmt.Sprintf("filler kensa-token-%d; ", k)), 500)}}}
			for range 25 {
				got, err := s.Scan(context.Background(), m)
				if err != nil {
					errc <- err
					return
				}
				if !slices.Equal(hits(got), want) {
					errc <- fmt.Errorf("goroutine %d: got %v, want %v", g, hits(got), want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

// slowRule takes far longer than a second on slowInput: it compares every
// byte with every other one.
const slowRule = `rule Slow { condition: for all i in (0..filesize) : (for all j in (0..filesize) : (uint8(j) != 0x42 or uint8(i) != 0x42)) }`

var slowInput = bytes.Repeat([]byte("A"), 200_000)

func TestTimeout(t *testing.T) {
	s := scannerFor(t, slowRule+"\nrule Quick { strings: $a = \"quick-marker\" condition: $a }\n")
	tests := []struct {
		name    string
		timeout time.Duration
		ctx     time.Duration // deadline from now; 0 for none
	}{
		{"configured timeout", 300 * time.Millisecond, 0},
		{"context deadline", 0, 600 * time.Millisecond}, // part 1 is scanned within it even on a busy machine
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc := *s
			sc.timeout = tc.timeout
			sc.pool = make(chan *yara.Scanner, 1)
			ctx := context.Background()
			if tc.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctx)
				defer cancel()
			}
			m := &message.Message{Parts: []*message.Part{
				{Path: "1", Content: []byte("quick-marker")},
				{Path: "2", Content: slowInput},
			}}
			start := time.Now()
			got, err := sc.Scan(ctx, m)
			took := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want one wrapping context.DeadlineExceeded", err)
			}
			if !strings.Contains(err.Error(), `part "2"`) {
				t.Errorf("error %q does not name the part", err)
			}
			// Rounded up to one second, and not much more: slowRule alone would
			// take hours, so 10 s leaves a busy machine's -race run room.
			if took < 900*time.Millisecond || took > 10*time.Second {
				t.Errorf("scan took %v, want about 1s", took)
			}
			if want := []string{"Quick@1"}; !slices.Equal(hits(got), want) {
				t.Errorf("findings before the timeout: got %v, want %v", hits(got), want)
			}
		})
	}
}

func TestContextDoneBeforeScan(t *testing.T) {
	s := scannerFor(t, `rule Always { condition: true }`)
	m := &message.Message{Parts: []*message.Part{{Path: "1", Content: []byte("x")}}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Scan(ctx, m); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := s.Scan(ctx, m); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired: err = %v, want context.DeadlineExceeded", err)
	}
}

func TestScanTimeout(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		configured time.Duration
		left       time.Duration // 0: no deadline
		want       time.Duration
		wantErr    bool
	}{
		{"none", 0, 0, 0, false},
		{"negative is none", -time.Second, 0, 0, false},
		{"under a second rounds up", 200 * time.Millisecond, 0, time.Second, false},
		{"fraction rounds up", 1500 * time.Millisecond, 0, 2 * time.Second, false},
		{"whole seconds stay", 3 * time.Second, 0, 3 * time.Second, false},
		{"deadline shorter", 10 * time.Second, 300 * time.Millisecond, time.Second, false},
		{"deadline only", 0, 2500 * time.Millisecond, 3 * time.Second, false},
		{"configured shorter", time.Second, 5 * time.Second, time.Second, false},
		{"deadline passed", time.Second, -time.Millisecond, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.left != 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, now.Add(tc.left))
				defer cancel()
			}
			got, err := scanTimeout(ctx, tc.configured, now)
			if tc.wantErr {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %v, want DeadlineExceeded", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("scanTimeout = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestMapScanError(t *testing.T) {
	if err := mapScanError(errScanTimeout, time.Second); !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, errScanTimeout) {
		t.Errorf("timeout maps to %v; want DeadlineExceeded and the libyara error", err)
	}
	other := yara.Error(1) // insufficient memory
	if err := mapScanError(other, time.Second); errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, other) {
		t.Errorf("other error maps to %v", err)
	}
}

func TestExtension(t *testing.T) {
	tests := map[string]string{
		"":                "",
		"README":          "",
		"Invoice.PDF":     ".pdf",
		"archive.tar.gz":  ".gz",
		"x.exe. ":         ".exe",
		"x.exe...":        ".exe",
		`C:\temp\run.BAT`: ".bat",
		"dir.d/file":      "",
		".bashrc":         ".bashrc",
		"trailing.":       "",
		"résumé.Docm":     ".docm",
	}
	for in, want := range tests {
		if got := extension(in); got != want {
			t.Errorf("extension(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cString("a.exe\x00.txt"); got != "a.exe" {
		t.Errorf("cString = %q", got)
	}
}

func TestNUL(t *testing.T) {
	s := scannerFor(t, `rule Exe { condition: extension == ".exe" and filename == "a.exe" }`)
	got, err := s.Scan(context.Background(), &message.Message{Parts: []*message.Part{
		{Path: "1", Filename: "a.exe\x00.txt", Content: []byte("x")}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Exe@1"}; !slices.Equal(hits(got), want) {
		t.Errorf("got %v, want %v: the extension must be read from the name the rules see", hits(got), want)
	}
}

func TestLibraryVersion(t *testing.T) {
	if v := LibraryVersion(); !regexp.MustCompile(`^4\.2\.[0-9]+$`).MatchString(v) {
		t.Errorf("LibraryVersion = %q, want 4.2.x (go-yara v4.2.4 needs libyara 4.2)", v)
	}
	if (&Scanner{}).Name() != "yara" {
		t.Error(`Name() != "yara"`)
	}
}

func BenchmarkScan(b *testing.B) {
	s, errs, err := New(Options{Builtin: true})
	if err != nil || len(errs) > 0 {
		b.Fatal(err, errs)
	}
	line := []byte("Dear customer, please find the quarterly report attached. Sub total: 1234.56 EUR <a href=\"https://example.com/\">link</a>\n")
	content := bytes.Repeat(line, (1<<20)/len(line)+1)[:1<<20]
	m := &message.Message{Parts: []*message.Part{{Path: "1", Filename: "report.html", DetectedType: "text/html", Content: content}}}
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if f, err := s.Scan(context.Background(), m); err != nil || len(f) != 0 {
				b.Fatal(f, err)
			}
		}
	})
}

func TestExplicitFileAnyExtension(t *testing.T) {
	dir := writeRules(t, map[string]string{"local.rules": `rule Local { strings: $a = "local-marker" condition: $a }`})
	s := newScanner(t, Options{Builtin: true, Paths: []string{filepath.Join(dir, "local.rules")}})
	got, err := s.Scan(context.Background(), &message.Message{Parts: []*message.Part{{Path: "1", Content: []byte("local-marker")}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Local@1"}; !slices.Equal(hits(got), want) {
		t.Errorf("got %v, want %v", hits(got), want)
	}
	if n, _, _ := Check(Options{Builtin: true}); s.RuleCount() != n+1 {
		t.Errorf("RuleCount = %d, want the pack's %d plus 1", s.RuleCount(), n)
	}
}

// A container whose bytes hold a member's as they are (a stored zip, a tar,
// an ISO, a forwarded message) matches the member's rule too; the finding
// stays on the member only, so one payload is not counted twice. A rule
// that matches only the container is kept.
func TestContainerCopiesDropped(t *testing.T) {
	s := scannerFor(t, `
rule Token { strings: $a = "kensa-token" condition: $a }
rule Header { strings: $a = "ZIPHDR" condition: $a }
`)
	m := &message.Message{Parts: []*message.Part{
		{Path: "1", Content: []byte("text with kensa-token")},
		{Path: "2", Container: true, Content: []byte("ZIPHDR stored: kensa-token")},
		{Path: "2/a.zip/inner.tar", Container: true, Content: []byte("tar: kensa-token")},
		{Path: "2/a.zip/inner.tar/x.txt", Content: []byte("kensa-token")},
		{Path: "3", Container: true, Content: []byte("kensa-token in a container whose members do not match")},
		{Path: "3/b.zip/y.txt", Content: []byte("nothing")},
	}}
	got, err := s.Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Header@2", "Token@1", "Token@2/a.zip/inner.tar/x.txt", "Token@3"}
	if !slices.Equal(hits(got), want) {
		t.Errorf("got %v, want %v", hits(got), want)
	}
}

// TestWholeMessageTrimmed: with RawBase64Keep, the whole-message scan
// still sees the headers and the start of a base64 attachment (encoded
// magic), not its encoded tail; without it, every byte.
func TestWholeMessageTrimmed(t *testing.T) {
	rules := `
rule EncodedStart { strings: $a = "S0VOU0EtU1RB" condition: $a and filepath == "" }
rule EncodedTail { strings: $a = "S0VOU0EtVEFJ" condition: $a and filepath == "" }
rule Header { strings: $a = "X-Probe: here" condition: $a and filepath == "" }
`
	// Harmless stand-in bytes: a marker at the start, 21 KB of filler,
	// a marker at the end; the rules look for their base64 forms (the
	// filler keeps the tail on a 3-byte boundary and within one line).
	payload := "KENSA-START" + strings.Repeat("\x00filler", 3001) + "KENSA-TAIL"
	raw := "From: a@example.org\r\nX-Probe: here\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n" +
		"--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64Lines(payload) + "--b--\r\n"
	m, err := message.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeRules(t, map[string]string{"t.yar": rules})
	for _, c := range []struct {
		keep int
		want []string
	}{
		{0, []string{"EncodedStart@", "EncodedTail@", "Header@"}},
		{TrimmedKeep, []string{"EncodedStart@", "Header@"}},
	} {
		s := newScanner(t, Options{Paths: []string{dir}, RawBase64Keep: c.keep})
		got, err := s.Scan(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(hits(got), c.want) {
			t.Errorf("keep %d: got %v, want %v", c.keep, hits(got), c.want)
		}
	}
}

// base64Lines encodes s as MIME does, 76 characters a line.
func base64Lines(s string) string { return testmail.Base64([]byte(s)) + "\r\n" }

// TestTwinParts: parts with the same bytes are read once when the rules
// read no external that tells them apart, and every copy still gets the
// findings under its own path, a container's copy dropped as ever.
func TestTwinParts(t *testing.T) {
	s := scannerFor(t, `
rule Token { strings: $a = "kensa-token" condition: $a }
rule AtStart { condition: uint32be(0) == 0x4b454e53 }  // "KENS"
rule Small { condition: filesize < 20 }
`)
	logo := []byte("KENSA logo kensa-token")
	m := &message.Message{Parts: []*message.Part{
		{Path: "1", DeclaredType: "image/png", Content: logo},
		{Path: "2", DeclaredType: "image/gif", Filename: "x.exe", Content: slices.Clone(logo)},
		{Path: "3", Container: true, Content: []byte("a zip holding it: kensa-token")},
		{Path: "3/a.zip/logo.png", Depth: 1, Content: slices.Clone(logo)},
		{Path: "4", Content: []byte("KENSA, same length!!!")}, // as long as logo, other bytes
		{Path: "5", Content: []byte("short")},
	}}
	if got, want := s.twins(m.Parts, partVarsOf(m)), []int{-1, 0, -1, 0, -1, -1}; !slices.Equal(got, want) {
		t.Errorf("twins = %v, want %v", got, want)
	}
	got, err := s.Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"AtStart@1", "AtStart@2", "AtStart@3/a.zip/logo.png", "AtStart@4", "Small@5",
		"Token@1", "Token@2", "Token@3/a.zip/logo.png"}
	if !slices.Equal(hits(got), want) {
		t.Errorf("got  %v\nwant %v", hits(got), want)
	}
}

// TestTwinPartsTypeRules: the same bytes sent as two types, or under two
// names, meet every rule that looks at the type or the name: when a rule
// reads an external, parts that differ in it are scanned apart.
func TestTwinPartsTypeRules(t *testing.T) {
	payload := []byte("MZ stand-in kensa-token")
	parts := func() []*message.Part {
		return []*message.Part{
			{Path: "1", DeclaredType: "image/png", Filename: "logo.png", DetectedType: "text/plain", Content: payload},
			{Path: "2", DeclaredType: "application/x-msdownload", Filename: "logo.png", DetectedType: "text/plain", Content: slices.Clone(payload)},
			{Path: "3", DeclaredType: "image/png", Filename: "setup.exe", DetectedType: "text/plain", Content: slices.Clone(payload)},
			{Path: "4", DeclaredType: "image/png", Filename: "logo.png", DetectedType: "text/plain", Content: slices.Clone(payload)},
		}
	}
	for _, c := range []struct {
		rule  string
		twins []int
		want  []string
	}{
		{`rule Typed { strings: $a = "kensa-token" condition: $a and declared_type == "application/x-msdownload" }`,
			[]int{-1, -1, 0, 0}, []string{"Typed@2"}},
		{`rule Named { strings: $a = "kensa-token" condition: $a and extension == ".exe" }`,
			[]int{-1, 0, -1, 0}, []string{"Named@3"}},
		{`rule Where { strings: $a = "kensa-token" condition: $a and filepath == "4" }`,
			[]int{-1, -1, -1, -1}, []string{"Where@4"}},
		// A file that includes another may read anything.
		{`include "other.yar"` + "\n" + `rule Plain { strings: $a = "kensa-token" condition: $a }`,
			[]int{-1, -1, -1, -1}, []string{"Other@2", "Plain@1", "Plain@2", "Plain@3", "Plain@4"}},
	} {
		dir := writeRules(t, map[string]string{"test.yar": c.rule,
			"other.yar": `rule Other { condition: declared_type == "application/x-msdownload" }`})
		s := newScanner(t, Options{Paths: []string{filepath.Join(dir, "test.yar")}})
		m := &message.Message{Parts: parts()}
		if got := s.twins(m.Parts, partVarsOf(m)); !slices.Equal(got, c.twins) {
			t.Errorf("%s: twins = %v, want %v", c.rule, got, c.twins)
		}
		got, err := s.Scan(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(hits(got), c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, hits(got), c.want)
		}
	}
}

func partVarsOf(m *message.Message) [][]variable {
	vars := make([][]variable, len(m.Parts))
	for i, p := range m.Parts {
		vars[i] = partVars(p, m.Envelope.SenderDomain())
	}
	return vars
}

func TestReadsExternals(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{`rule A { strings: $a = "filenames" condition: $a and my_filetype_x }`, nil},
		{`rule A { condition: filename matches /x/ } // and extension`, []string{"filename", "extension"}},
		{`rule A { condition: part_depth>1 and(filepath!="")}`, []string{"filepath", "part_depth"}},
		{`include "x.yar"`, []string{"filename", "filepath", "extension", "filetype", "owner", "mime_type", "declared_type", "sender_domain", "part_depth"}},
		{`rule A { condition: Filename }`, nil}, // identifiers are case-sensitive
	} {
		got := readsExternals([][]byte{[]byte("rule B { condition: true }"), []byte(c.text)})
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.text, got, c.want)
		}
	}
	// The embedded pack reads none: identical parts are read once.
	s := newScanner(t, Options{Builtin: true})
	if len(s.reads) != 0 {
		t.Errorf("builtin pack reads %v", s.reads)
	}
}
