package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners/heuristic"
)

// These tests run the real command in-process: real config, real libyara,
// real message parsing.

func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func scanJSON(t *testing.T, args ...string) (int, []scanResult) {
	t.Helper()
	code, out, errs := runCmd(t, "", append([]string{"scan", "--json"}, args...)...)
	var res []scanResult
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var r scanResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("bad JSON line %q: %v (stderr %s)", line, err, errs)
		}
		res = append(res, r)
	}
	return code, res
}

func TestScanVerdicts(t *testing.T) {
	dir := t.TempDir()
	eicar := testmail.EICAR()
	attached := testmail.Multipart("invoice", "mixed",
		testmail.Part{Type: "text/plain; charset=utf-8", Body: "Please see the attached invoice.\n"},
		testmail.Part{Type: "application/octet-stream", Filename: "invoice.com", Body: eicar, Base64: true})
	cases := []struct {
		name, file string
		raw        []byte
		action     string
		code       int
		rule, part string
	}{
		{"eicar in body", "body.eml", testmail.Plain("test", eicar+"\n"), "reject", exitFlagged, "EICAR", "1"},
		{"eicar attached", "attached.eml", attached, "reject", exitFlagged, "EICAR", "2"},
		{"eicar in forwarded attachment", "forwarded.eml", testmail.Forward("Fwd: invoice", attached), "reject", exitFlagged, "EICAR", "2/2"},
		{"plain text", "plain.eml", testmail.Plain("Lunch", "Shall we have lunch on Friday?\n"), "accept", exitOK, "", ""},
		{"html newsletter", "news.eml", testmail.Newsletter(), "accept", exitOK, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, tc.file, tc.raw)
			code, res := scanJSON(t, p)
			if code != tc.code || len(res) != 1 {
				t.Fatalf("exit %d, %d results; want exit %d", code, len(res), tc.code)
			}
			r := res[0]
			if r.Action.String() != tc.action || r.File != p || r.Ref == "" || len(r.Parts) == 0 {
				t.Fatalf("result %+v", r)
			}
			// What serve would do: the reply with the ref, or our header.
			o := r.Outcome
			switch {
			case o == nil || o.Action.String() != tc.action:
				t.Errorf("outcome %+v, want action %s", o, tc.action)
			case tc.action == "reject" && (o.Code != 550 || !strings.Contains(o.Text, r.Ref) || len(o.Headers) != 0):
				t.Errorf("reject outcome %+v", o)
			case tc.action == "accept" && (len(o.Headers) != 1 || o.Headers[0].Name != "X-Kensa-Verdict" ||
				!strings.HasPrefix(o.Headers[0].Value, "accept; score=0; ref="+r.Ref)):
				t.Errorf("accept outcome %+v", o)
			}
			if tc.rule == "" {
				if len(r.Findings) != 0 {
					t.Errorf("clean message has findings: %+v", r.Findings)
				}
				return
			}
			found := false
			for _, f := range r.Findings {
				if strings.Contains(f.ID, tc.rule) && f.Part == tc.part {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s finding on part %q: %+v", tc.rule, tc.part, r.Findings)
			}
		})
	}
}

func TestScanDirectoryIsJSONLinesAndHumanReportNamesParts(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.eml", testmail.Plain("one", "hello\n"))
	writeFile(t, dir, "sub/b.eml", testmail.Plain("two", testmail.EICAR()+"\n"))
	code, res := scanJSON(t, dir)
	if code != exitFlagged || len(res) != 2 || res[0].Action.String() != "accept" || res[1].Action.String() != "reject" {
		t.Fatalf("exit %d results %+v", code, res)
	}
	code, out, _ := runCmd(t, "", "scan", filepath.Join(dir, "sub/b.eml"))
	if code != exitFlagged || !strings.Contains(out, "verdict: reject") || !strings.Contains(out, "text/plain") {
		t.Errorf("human report:\n%s", out)
	}
}

func TestScanStdinAndErrors(t *testing.T) {
	code, out, _ := runCmd(t, string(testmail.Plain("x", "hi\n")), "scan", "-")
	if code != exitOK || !strings.Contains(out, "verdict: accept") {
		t.Errorf("stdin: exit %d\n%s", code, out)
	}
	if code, _, _ := runCmd(t, "", "scan", "/nonexistent/file.eml"); code != exitError {
		t.Errorf("missing file: exit %d", code)
	}
	if code, _, _ := runCmd(t, "", "scan"); code != exitError {
		t.Errorf("no args: exit %d", code)
	}
}

func TestScanTooLarge(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "k.yaml", []byte("limits:\n  max_message_size: 100\n  too_large_action: reject\n"))
	msg := writeFile(t, dir, "big.eml", testmail.Plain("big", strings.Repeat("x", 500)))
	code, res := scanJSON(t, "--config", cfg, msg)
	if code != exitFlagged || len(res) != 1 || res[0].Action.String() != "reject" || res[0].Unscanned != "too-large" {
		t.Fatalf("exit %d %+v", code, res)
	}
}

func TestRulesCheckReportsBrokenFileAndCountsGoodOnes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "good.yar", []byte("rule good_one { strings: $a = \"one\" condition: $a }\nrule good_two { condition: false }\n"))
	writeFile(t, dir, "more/good.yara", []byte("rule good_three { condition: filesize > 0 }\n"))
	writeFile(t, dir, "broken.yar", []byte("rule fine { condition: true }\n\nrule broken { condition: $missing }\n"))
	code, out, _ := runCmd(t, "", "rules", "check", "--no-builtin", dir)
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	if !strings.Contains(out, "broken.yar:3") || !strings.Contains(out, "3 rules compiled") {
		t.Errorf("output:\n%s", out)
	}
	code, out, _ = runCmd(t, "", "rules", "check")
	if code != exitOK || !strings.Contains(out, "no errors") {
		t.Errorf("builtin pack: exit %d\n%s", code, out)
	}
}

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.yaml", []byte("policy:\n  monitor: true\n"))
	bad := writeFile(t, dir, "bad.yaml", []byte("policy:\n  monitr: true\n  malicious: zap\n"))
	if code, out, errs := runCmd(t, "", "config", "check", good); code != exitOK || !strings.Contains(out, "ok") {
		t.Errorf("good: %d %s %s", code, out, errs)
	}
	code, _, errs := runCmd(t, "", "config", "check", bad)
	if code != exitError || !strings.Contains(errs, "line 2") {
		t.Errorf("bad: %d %s", code, errs)
	}
	if code, _, _ := runCmd(t, "", "config", "check"); code != exitOK {
		t.Errorf("embedded default: %d", code)
	}
	// A config mistake does not hide a broken rule file: both are listed.
	writeFile(t, dir, "rules/broken.yar", []byte("rule broken { condition: $missing }\n"))
	both := writeFile(t, dir, "both.yaml", []byte("log: {level: loud}\nyara:\n  rules: ["+filepath.Join(dir, "rules")+", "+filepath.Join(dir, "gone")+"]\n"))
	code, _, errs = runCmd(t, "", "config", "check", both)
	for _, want := range []string{"line 1: log.level", "line 3: yara.rules[1]: \"" + filepath.Join(dir, "gone") + "\" does not exist", "broken.yar:1"} {
		if !strings.Contains(errs, want) || code != exitError {
			t.Errorf("config and rule mistakes: exit %d, lacks %q:\n%s", code, want, errs)
		}
	}
	// An allowed-senders file serve would refuse fails the check too.
	senders := writeFile(t, dir, "allowed-senders", []byte("ok@example.com\ntwo words\n"))
	withSenders := writeFile(t, dir, "senders.yaml", []byte("policy:\n  allow:\n    senders_file: "+senders+"\n"))
	if code, _, errs := runCmd(t, "", "config", "check", withSenders); code != exitError || !strings.Contains(errs, "line 2: \"two words\" is not one address or domain") {
		t.Errorf("bad allowed-senders file: %d %s", code, errs)
	}
	// Five different mistakes: every one is named with its line, and a bad
	// listen address (checked by the milter package) too, with its line.
	five, err := os.ReadFile("../../config/testdata/five-mistakes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, dir, "five.yaml", append(five, "listen: nowhere\n"...))
	code, _, errs = runCmd(t, "", "config", "check", p)
	for _, want := range []string{"6 problems", "line 3: limits.max_message_size", "line 4: limits.scan_timeout",
		"line 6: policy.tag_score", "line 7: policy.malicious", "line 9: milter.subjct_prefix: unknown key; did you mean subject_prefix?",
		`line 10: listen: listen address "nowhere"`} {
		if !strings.Contains(errs, want) {
			t.Errorf("config check lacks %q:\n%s", want, errs)
		}
	}
	if code != exitError {
		t.Errorf("five mistakes: exit %d", code)
	}
}

func TestVersionAndUsage(t *testing.T) {
	code, out, _ := runCmd(t, "", "version")
	if code != exitOK || !strings.Contains(out, "libyara 4.") || !strings.Contains(out, "go go1.") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, _ := runCmd(t, "", "frobnicate"); code != exitError {
		t.Errorf("unknown command: %d", code)
	}
}

// docs/heuristics.md lists every heuristic check with its default severity,
// score and description, as the table in scanners/heuristic has them.
func TestDocsListEveryHeuristicCheck(t *testing.T) {
	doc, err := os.ReadFile("../../docs/heuristics.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range heuristic.Checks() {
		row := fmt.Sprintf("| `%s` | %s | %d | %s |\n", c.ID, c.Severity, c.Score, c.Description)
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/heuristics.md lacks the row (copy it in):\n%s", row)
		}
	}
}

// clamd is wired in when configured: one that is down makes the scan an
// error (policy.on_error, tempfail), never a clean pass.
func TestScanWithClamdDown(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "k.yaml", []byte("clamd:\n  address: unix:"+filepath.Join(dir, "no-clamd.sock")+"\n"))
	msg := writeFile(t, dir, "a.eml", testmail.Plain("hello", "hello\n"))
	code, res := scanJSON(t, "--config", cfg, msg)
	if code != exitError || len(res) != 1 || res[0].Action.String() != "tempfail" || len(res[0].Errors) != 1 || !strings.Contains(res[0].Errors[0].Message, "scanner clamd") || res[0].Errors[0].Kind != policy.ErrScanner {
		t.Fatalf("exit %d %+v", code, res)
	}
}

func TestScanListsURLs(t *testing.T) {
	dir := t.TempDir()
	news := writeFile(t, dir, "news.eml", testmail.Newsletter())
	code, res := scanJSON(t, news)
	if code != exitOK || len(res) != 1 {
		t.Fatalf("exit %d %+v", code, res)
	}
	want := []string{"https://www.example.com/blog/november", "https://www.example.com/logo.png", "https://www.example.com/unsubscribe?u=42"}
	if strings.Join(res[0].URLs, " ") != strings.Join(want, " ") || res[0].URLsDropped != 0 {
		t.Errorf("urls %q (dropped %d), want %q", res[0].URLs, res[0].URLsDropped, want)
	}
	_, out, _ := runCmd(t, "", "scan", news)
	if !strings.Contains(out, "  urls: 3\n    https://www.example.com/blog/november\n") {
		t.Errorf("human report lacks the URL list:\n%s", out)
	}

	var body strings.Builder
	for i := 0; i < maxShownURLs+50; i++ {
		fmt.Fprintf(&body, "https://host%d.example.com/\n", i)
	}
	many := writeFile(t, dir, "many.eml", testmail.Plain("links", body.String()))
	_, res = scanJSON(t, many)
	if len(res) != 1 || len(res[0].URLs) != maxShownURLs || res[0].URLsDropped != 50 || res[0].URLs[0] != "https://host0.example.com/" {
		t.Errorf("capped list: %d urls, %d dropped", len(res[0].URLs), res[0].URLsDropped)
	}
}

func TestConfigCheckRejectsABadListenAddress(t *testing.T) {
	bad := writeFile(t, t.TempDir(), "listen.yaml", []byte("listen: nowhere\n"))
	code, _, errs := runCmd(t, "", "config", "check", bad)
	if code != exitError || !strings.Contains(errs, `listen address "nowhere"`) {
		t.Errorf("exit %d: %s", code, errs)
	}
}
