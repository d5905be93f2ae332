//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Store mode end to end: Postfix hands a message to Kensa, Kensa stores it
// and Postfix discards it; `kensa quarantine release` re-injects it through
// a second Postfix smtpd service without milters (the master.cf line the
// docs/quarantine.md shows), and the sink gets it exactly once.
func TestQuarantineStoreReleaseThroughPostfix(t *testing.T) {
	count(t)
	sk := startSink(t)
	k := newKensa(t, kensaOpts{})
	relayPort := freePort(t)
	cfg, err := os.ReadFile(k.config)
	if err != nil {
		t.Fatal(err)
	}
	hold := "quarantine:\n  mode: hold"
	if !strings.Contains(string(cfg), hold) {
		t.Fatalf("integration config has no %q to replace:\n%s", hold, cfg)
	}
	cfg = []byte(strings.Replace(string(cfg), hold, fmt.Sprintf("quarantine:\n  mode: store\n  relay:\n    address: 127.0.0.1:%d\n    timeout: 30s", relayPort), 1))
	if err := os.WriteFile(k.config, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	k.start()
	pf := startPostfix(t, sk.Port, postfixOpts{milterPort: k.Port})
	relay := fmt.Sprintf("127.0.0.1:%d", relayPort)
	mustRun(t, "postconf", "-c", pf.etc, "-M", relay+"/inet = "+relay+" inet n - n - - smtpd")
	for _, o := range []string{"smtpd_milters=", "non_smtpd_milters=", "content_filter=", "mynetworks=127.0.0.0/8",
		"smtpd_client_restrictions=permit_mynetworks,reject"} {
		mustRun(t, "postconf", "-c", pf.etc, "-P", relay+"/inet/"+o)
	}
	if out, err := runCmd(time.Minute, "postfix", "-c", pf.etc, "reload"); err != nil {
		t.Fatalf("postfix reload: %v\n%s", err, out)
	}
	if err := waitPort(relay, 15*time.Second); err != nil {
		t.Fatalf("release service did not come up: %v", err)
	}

	token := newToken("store")
	rcpt := rcptFor(token, 1)
	r := send(pf.Addr, mail{From: testSender, To: []string{rcpt}, Data: buildMessage(token, "quarantine me", nil, "see "+quarantineToken)})
	if !r.accepted() {
		t.Fatalf("Postfix did not accept the message: %v", r)
	}
	if !k.waitLog(20*time.Second, "quarantine_id=") {
		t.Fatalf("no quarantine_id in Kensa's log")
	}
	if got := sk.waitFor(token, 1, 3*time.Second); len(got) != 0 {
		t.Fatalf("a stored message was delivered before release: %d", len(got))
	}

	kq := func(args ...string) (string, error) {
		cmd := exec.Command(kensaBin, append([]string{"quarantine", args[0], "--config", k.config}, args[1:]...)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := kq("list", "--json", "--recipient", rcpt)
	if err != nil {
		t.Fatalf("list: %v\n%s", err, out)
	}
	var entries []struct {
		ID       string `json:"id"`
		Envelope struct {
			Sender     string
			Recipients []string
		} `json:"envelope"`
	}
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) != 1 {
		t.Fatalf("list: %v %s", err, out)
	}
	if e := entries[0].Envelope; e.Sender != testSender || len(e.Recipients) != 1 || e.Recipients[0] != rcpt {
		t.Errorf("stored envelope %+v", e)
	}
	id := entries[0].ID
	if out, err := kq("release", id); err != nil || !strings.Contains(out, "released to "+rcpt) {
		t.Fatalf("release: %v\n%s", err, out)
	}
	got := sk.waitFor(token, 1, 30*time.Second)
	if len(got) != 1 {
		t.Fatalf("sink got %d copies after release, want 1", len(got))
	}
	if got[0].From != testSender || len(got[0].To) != 1 || got[0].To[0] != rcpt {
		t.Errorf("released envelope %s → %v", got[0].From, got[0].To)
	}
	if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "quarantine") {
		t.Errorf("released message's X-Kensa-Verdict = %q", v)
	}
	if out, err := kq("release", id); err != nil || !strings.Contains(out, "already released") {
		t.Errorf("second release: %v\n%s", err, out)
	}
	// Delivered once, and it did not come back through Kensa.
	time.Sleep(3 * time.Second)
	if got := sk.with(token); len(got) != 1 {
		t.Errorf("sink has %d copies, want 1", len(got))
	}
	out, _ = kq("list", "--json", "--recipient", rcpt)
	entries = nil
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) != 1 {
		t.Errorf("the released message was quarantined again (%v):\n%s", err, out)
	}
}
