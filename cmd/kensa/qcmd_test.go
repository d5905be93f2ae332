package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/smtpsink"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/quarantine"
	"github.com/kensa-milter/kensa/scanners"
)

// qEnv is a config file with a state directory and a relay to a sink, and
// the store it names.
type qEnv struct {
	cfg  string
	dir  string
	sink *smtpsink.Sink
	st   quarantine.Store
}

func newQEnv(t *testing.T) *qEnv {
	t.Helper()
	dir := t.TempDir()
	sk := smtpsink.Start(t)
	cfg := filepath.Join(dir, "kensa.yaml")
	yml := fmt.Sprintf("state_dir: %s\nquarantine:\n  relay:\n    address: %s\n    timeout: 10s\n", filepath.Join(dir, "state"), sk.Addr)
	if err := os.WriteFile(cfg, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := quarantine.Open(context.Background(), quarantine.SQLiteDSN(filepath.Join(dir, "state")), quarantine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &qEnv{cfg: cfg, dir: dir, sink: sk, st: st}
}

func (q *qEnv) put(t *testing.T, subject string, sender string, rcpts []string, malicious bool) *quarantine.Entry {
	t.Helper()
	v := policy.Verdict{Action: policy.Quarantine, Score: 60, Reasons: []string{policy.ReasonScore}, Ref: "r" + subject[:1],
		Findings: []scanners.Finding{{Scanner: "yara", ID: "Test_Rule", Part: "1", Severity: scanners.Suspicious, Score: 60}}}
	if malicious {
		v.Reasons = []string{policy.ReasonMalicious}
		v.Findings[0].Severity = scanners.Malicious
	}
	e := quarantine.NewEntry(testmail.Plain(subject, "body of "+subject+"\x1b[2J\n"), message.Envelope{Sender: sender, Recipients: rcpts, QueueID: "Q1"}, v)
	if err := q.st.Put(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func (q *qEnv) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"quarantine", args[0], "--config", q.cfg}, args[1:]...), nil, &out, &errb)
	return code, out.String(), errb.String()
}

func TestQuarantineCLI(t *testing.T) {
	q := newQEnv(t)
	a := q.put(t, "Alpha invoice", "eve@bad.example", []string{"bob@example.org"}, false)
	b := q.put(t, "Bravo", "mallory@bad.example", []string{"carol@example.org", "dave@example.org"}, true)

	// list: table, filters, JSON.
	code, out, errs := q.run(t, "list")
	if code != 0 || !strings.Contains(out, a.ID) || !strings.Contains(out, b.ID) || !strings.Contains(out, "Alpha invoice") {
		t.Fatalf("list: %d %q %q", code, out, errs)
	}
	if _, out, _ = q.run(t, "list", "--recipient", "CAROL@example.org"); strings.Contains(out, a.ID) || !strings.Contains(out, b.ID) {
		t.Errorf("list --recipient: %q", out)
	}
	if _, out, _ = q.run(t, "list", "--reason", "malicious"); strings.Contains(out, a.ID) || !strings.Contains(out, b.ID) {
		t.Errorf("list --reason: %q", out)
	}
	if _, out, _ = q.run(t, "list", "--sender", "eve@bad.example", "--since", "1h"); !strings.Contains(out, a.ID) || strings.Contains(out, b.ID) {
		t.Errorf("list --sender --since: %q", out)
	}
	if _, out, _ = q.run(t, "list", "--since", "2099-01-01"); strings.Contains(out, a.ID) {
		t.Errorf("list --since future: %q", out)
	}
	code, out, _ = q.run(t, "list", "--json")
	var list []quarantine.Entry
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) != 2 {
		t.Fatalf("list --json: %d %v %q", code, err, out)
	}
	if code, _, _ := q.run(t, "list", "--since", "yesterday"); code != exitError {
		t.Errorf("bad --since: exit %d", code)
	}

	// show: envelope, verdict, header, text, control characters escaped.
	code, out, _ = q.run(t, "show", strings.ToUpper(b.ID))
	for _, want := range []string{"Sender:      mallory@bad.example", "Recipient:   dave@example.org", "Malicious:   yes",
		"Finding:     yara/Test_Rule (1) malicious", "Subject: Bravo", "--- Part 1 (text/plain)", `body of Bravo\x1b[2J`} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if code != 0 || strings.ContainsRune(out, 0x1b) {
		t.Errorf("show: exit %d or raw escape in output", code)
	}
	if code, _, _ := q.run(t, "show", "aaaaaaaaaaaaaaaaaaaaaaaaaa"); code != exitFlagged {
		t.Errorf("show unknown: exit %d", code)
	}

	// release through the relay, with the original envelope; twice.
	code, out, errs = q.run(t, "release", "--allow-sender", a.ID)
	if code != 0 || !strings.Contains(out, "released to bob@example.org") || !strings.Contains(out, "sender eve@bad.example added") {
		t.Fatalf("release: %d %q %q", code, out, errs)
	}
	got := q.sink.Wait(1, 5*time.Second)
	if len(got) != 1 || got[0].From != "eve@bad.example" || len(got[0].To) != 1 || got[0].To[0] != "bob@example.org" ||
		!bytes.Contains(got[0].Data, []byte("body of Alpha")) {
		t.Fatalf("sink got %+v", got)
	}
	allowed, _ := os.ReadFile(filepath.Join(q.dir, "state", "allowed-senders"))
	if string(allowed) != "eve@bad.example\n" {
		t.Errorf("allowed-senders = %q", allowed)
	}
	if code, out, _ = q.run(t, "release", a.ID); code != 0 || !strings.Contains(out, "already released") {
		t.Errorf("second release: %d %q", code, out)
	}
	if len(q.sink.Messages()) != 1 {
		t.Errorf("second release delivered again")
	}
	// A malicious entry: the CLI is the admin, it releases and says so.
	q.sink.RefuseRcpt(func(rcpt string) string {
		if strings.EqualFold(rcpt, "dave@example.org") {
			return "550 5.1.1 no such user"
		}
		return ""
	})
	code, out, errs = q.run(t, "release", b.ID)
	if code != exitFlagged || !strings.Contains(errs, "refused") {
		t.Errorf("partly refused release: %d %q %q", code, out, errs)
	}
	q.sink.RefuseRcpt(nil)
	if code, out, _ = q.run(t, "release", b.ID); code != 0 || !strings.Contains(out, "released to dave@example.org") || !strings.Contains(out, "malicious") {
		t.Errorf("retry: %d %q", code, out)
	}

	// delete, and a deleted entry cannot be released; unknown ids exit 1.
	c := q.put(t, "Charlie", "", []string{"bob@example.org"}, false)
	if code, out, _ = q.run(t, "delete", c.ID, "zzzzzzzzzzzzzzzzzzzzzzzzzz"); code != exitFlagged || !strings.Contains(out, c.ID+": deleted") {
		t.Errorf("delete: %d %q", code, out)
	}
	if code, _, errs = q.run(t, "release", c.ID); code != exitFlagged || !strings.Contains(errs, "deleted") {
		t.Errorf("release of a deleted entry: %d %q", code, errs)
	}
	if _, out, _ = q.run(t, "list", "--status", "deleted"); !strings.Contains(out, c.ID) {
		t.Errorf("list --status deleted: %q", out)
	}

	// purge removes what expired.
	old := quarantine.NewEntry(testmail.Plain("Old", "x"), message.Envelope{Recipients: []string{"bob@example.org"}}, policy.Verdict{Action: policy.Quarantine, Reasons: []string{"score"}})
	old.QuarantinedAt, old.ExpiresAt = time.Now().Add(-48*time.Hour), time.Now().Add(-time.Hour)
	if err := q.st.Put(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	if code, out, _ = q.run(t, "purge"); code != 0 || out != "purged 1 expired entries\n" {
		t.Errorf("purge: %d %q", code, out)
	}
	if _, err := q.st.Get(context.Background(), old.ID); err == nil {
		t.Errorf("expired entry still there")
	}

	// usage errors
	for _, args := range [][]string{{"show"}, {"release"}, {"purge", "x"}, {"frobnicate"}} {
		if code, _, _ := q.run(t, args...); code != exitError {
			t.Errorf("%v: exit %d, want %d", args, code, exitError)
		}
	}
}

func TestQuarantineDigestAndLink(t *testing.T) {
	q := newQEnv(t)
	yml, _ := os.ReadFile(q.cfg)
	yml = append(yml, []byte("console:\n  public_url: https://mx.example.org:8899\n  digest:\n    from: quarantine@example.org\n    domains: [example.org]\n")...)
	if err := os.WriteFile(q.cfg, yml, 0o600); err != nil {
		t.Fatal(err)
	}
	a := q.put(t, "Alpha", "eve@bad.example", []string{"bob@example.org", "x@elsewhere.example"}, false)
	b := q.put(t, "Bravo", "", []string{"bob@example.org", "carol@example.org"}, true)

	if code, _, errs := q.run(t, "digest"); code != exitError || !strings.Contains(errs, "--now") {
		t.Errorf("digest without --now: %d %q", code, errs)
	}
	code, out, errs := q.run(t, "digest", "--now")
	if code != 0 || out != "sent 2 digest mail(s)\n" {
		t.Fatalf("digest: %d %q %q", code, out, errs)
	}
	got := q.sink.Wait(2, 5*time.Second)
	if len(got) != 2 {
		t.Fatalf("sink got %d mails", len(got))
	}
	var bob string
	for _, m := range got {
		if m.From != "quarantine@example.org" || len(m.To) != 1 {
			t.Errorf("digest envelope %s → %v", m.From, m.To)
		}
		if m.To[0] == "bob@example.org" {
			bob = strings.ReplaceAll(string(m.Data), "=\r\n", "")
		}
		if m.To[0] == "x@elsewhere.example" {
			t.Errorf("digest went outside the configured domains")
		}
	}
	for _, want := range []string{"To: bob@example.org", "Auto-Submitted: auto-generated", "https://mx.example.org:8899/quarantine/u/", "/m/" + a.ID, "/m/" + b.ID, "only an administrator"} {
		if !strings.Contains(bob, want) {
			t.Errorf("bob's digest lacks %q:\n%s", want, bob)
		}
	}
	// The link in it is signed with the key in the state directory.
	code, out, _ = q.run(t, "link", "bob@example.org")
	if code != 0 || !strings.HasPrefix(out, "https://mx.example.org:8899/quarantine/u/") {
		t.Errorf("link: %d %q", code, out)
	}
	// Nothing new: nothing sent.
	if code, out, _ = q.run(t, "digest", "--now"); code != 0 || out != "sent 0 digest mail(s)\n" {
		t.Errorf("second digest: %d %q", code, out)
	}
	// hash-password
	var hout, herr bytes.Buffer
	if code := run([]string{"console", "hash-password"}, strings.NewReader("s3cret-passw0rd\n"), &hout, &herr); code != 0 || !strings.HasPrefix(hout.String(), "$2a$12$") {
		t.Errorf("hash-password: %d %q %q", code, hout.String(), herr.String())
	}
}
