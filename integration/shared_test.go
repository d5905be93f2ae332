//go:build integration

package integration

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/pgtest"
	"github.com/kensa-milter/kensa/internal/smtpsink"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/quarantine"
)

// kensaCLI runs a kensa command (not serve) and returns its exit code and
// output.
func kensaCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	out, err := exec.Command(kensaBin, args...).CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		t.Fatalf("kensa %s: %v", strings.Join(args, " "), err)
	}
	return 0, string(out)
}

// loads counts the known-set loads in a Kensa's log.
func (k *kensa) loads() int { return strings.Count(k.log.String(), "known set loaded") }

// TestTwoHostsShareTheKnownSet: three `kensa serve` processes on one real
// PostgreSQL. Host A learns (`kensa known add` and `kensa quarantine
// confirm` with A's config); host B, behind a real Postfix, picks the
// change up at its next refresh, without a restart, reading only what
// changed: a byte-identical copy is rejected as known-malicious, a variant
// held as similar-to-known, an unrelated file delivered, a confirmed
// message's copy rejected. Host C
// refreshes every minute (the most known.refresh allows) and picks the
// change up at once on SIGHUP, seconds after it started.
// After B restarts it still knows everything.
func TestTwoHostsShareTheKnownSet(t *testing.T) {
	count(t)
	dsn := pgtest.Schema(t)
	sk := startSink(t)
	a := startKensa(t, kensaOpts{dsn: dsn, knownRefresh: "1s"})
	b := startKensa(t, kensaOpts{dsn: dsn, knownRefresh: "2s"})
	c := startKensa(t, kensaOpts{dsn: dsn, knownRefresh: "1m"})
	for name, k := range map[string]*kensa{"A": a, "B": b, "C": c} {
		if !k.waitLog(30*time.Second, "known set loaded", "samples=0") {
			t.Fatalf("host %s did not load the (empty) known set", name)
		}
	}

	sample := dropper(5, "https://wave1.example/gate.php?id=4711")
	path := filepath.Join(a.dir, "invoice.txt")
	if err := os.WriteFile(path, sample, 0o644); err != nil {
		t.Fatal(err)
	}
	bLoads, cLoads := b.loads(), c.loads()
	if code, out := kensaCLI(t, "known", "add", "--config", a.config, "--name", "dropper wave 1", path); code != 0 {
		t.Fatalf("kensa known add on host A: exit %d\n%s", code, out)
	}
	// C refreshes once a minute: only SIGHUP makes it read now.
	if c.loads() != cLoads {
		t.Fatalf("host C reloaded within seconds without SIGHUP (refresh 1m)")
	}
	c.signal(syscall.SIGHUP)
	if !eventually(20*time.Second, func() bool { return c.loads() > cLoads }) || !c.waitLog(time.Second, "samples=1") {
		t.Error("SIGHUP did not make host C read the known set")
	}

	// B's refresh is 2s; a busy machine may take longer, never a restart.
	if !eventually(60*time.Second, func() bool { return b.loads() > bLoads }) {
		t.Fatal("host B did not pick up what host A learned")
	}
	if !b.waitLog(time.Second, "changed=1", "samples=1") || strings.Count(b.log.String(), "full=true") != 1 {
		t.Errorf("host B did not read just the change (only its first load reads everything)")
	}
	pf := startPostfix(t, sk.Port, postfixOpts{milterPort: b.Port})

	checkKnownOutcomes(t, b, pf, sk, sample, dropper(5, "https://wave2-cdn.example/gate.php?id=815"))

	// Confirming a message quarantined in the shared store teaches B too.
	st, err := quarantine.Open(context.Background(), dsn, quarantine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other := dropper(6, "https://pay-now.example/invoice")
	confirmed := buildMessage(newToken("confirmed"), "Overdue", nil, "The invoice is attached.", attachment{name: "overdue.txt", ctype: "text/plain", content: other})
	qe := quarantine.NewEntry(confirmed, message.Envelope{Sender: testSender, Recipients: []string{"bob@example.test"}},
		policy.Verdict{Action: policy.Quarantine, Score: 50, Reasons: []string{policy.ReasonScore}, Ref: "refshared1"})
	if err := st.Put(context.Background(), qe); err != nil {
		t.Fatal(err)
	}
	bLoads = b.loads()
	if code, out := kensaCLI(t, "quarantine", "confirm", "--config", a.config, qe.ID); code != 0 {
		t.Fatalf("kensa quarantine confirm on host A: exit %d\n%s", code, out)
	}
	if !eventually(60*time.Second, func() bool { return b.loads() > bLoads }) {
		t.Fatal("host B did not pick up the confirmed message")
	}
	if _, r := sendInvoice(pf, "confirmed-copy", other); r.Stage != "eod" || r.Code != 550 {
		t.Errorf("copy of a confirmed attachment through host B: %v, want 550", r)
	}

	// A restart keeps everything: the set is in the database.
	b.stop()
	b.start()
	if !b.waitLog(30*time.Second, "known set loaded") {
		t.Fatal("host B did not load the known set after a restart")
	}
	if _, r := sendInvoice(pf, "after-restart", sample); r.Stage != "eod" || r.Code != 550 {
		t.Errorf("byte-identical copy after host B restarted: %v, want 550", r)
	}
}

// TestDigestOnceAcrossTwoHosts: two hosts on one PostgreSQL both send the
// quarantine digest (`kensa quarantine digest --now`, two processes). The
// watermark and the "digest" advisory lock are in the database: while one
// sends, the other says another host is sending and sends nothing; after
// it, the other finds nothing new. Each recipient gets one digest.
func TestDigestOnceAcrossTwoHosts(t *testing.T) {
	count(t)
	t.Parallel() // no serve, no MTA: light next to the rest
	dsn := pgtest.Schema(t)
	relay := smtpsink.Start(t)
	hosts := make([]string, 2)
	for i := range hosts {
		k := newKensa(t, kensaOpts{dsn: dsn})
		cfg, err := os.ReadFile(k.config)
		if err != nil {
			t.Fatal(err)
		}
		yml := strings.Replace(string(cfg), "\n  dsn: ", "\n  relay:\n    address: "+relay.Addr+"\n    timeout: 10s\n  dsn: ", 1) +
			"console:\n  public_url: https://mx.example.test:8899\n  digest:\n    from: quarantine@example.test\n    domains: [example.test]\n"
		if err := os.WriteFile(k.config, []byte(yml), 0o644); err != nil {
			t.Fatal(err)
		}
		hosts[i] = k.config
	}
	st, err := quarantine.Open(context.Background(), dsn, quarantine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rcpts := []string{"bob@example.test", "carol@example.test"}
	for _, subj := range []string{"Alpha", "Bravo"} {
		e := quarantine.NewEntry(buildMessage(newToken("digest"), subj, nil, "body"), message.Envelope{Sender: testSender, Recipients: rcpts},
			policy.Verdict{Action: policy.Quarantine, Score: 50, Reasons: []string{policy.ReasonScore}, Ref: "ref" + subj})
		if err := st.Put(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}

	arrived, release := make(chan struct{}, 4), make(chan struct{})
	relay.HoldData(arrived, release)
	var wg sync.WaitGroup
	var firstCode int
	var firstOut string
	wg.Add(1)
	go func() {
		defer wg.Done()
		firstCode, firstOut = kensaCLI(t, "quarantine", "digest", "--now", "--config", hosts[0])
	}()
	select {
	case <-arrived: // host 0 is sending, holding the lock
	case <-time.After(60 * time.Second):
		close(release)
		wg.Wait()
		t.Fatalf("host 0 sent no digest: exit %d\n%s", firstCode, firstOut)
	}
	code, out := kensaCLI(t, "quarantine", "digest", "--now", "--config", hosts[1])
	if code != 0 || !strings.Contains(out, "sent 0 digest mail(s)") || !strings.Contains(out, "another host is sending it now") {
		t.Errorf("host 1 while host 0 sends: exit %d\n%s", code, out)
	}
	close(release)
	relay.HoldData(nil, nil)
	wg.Wait()
	if firstCode != 0 || !strings.Contains(firstOut, "sent 2 digest mail(s)") {
		t.Errorf("host 0: exit %d\n%s", firstCode, firstOut)
	}
	code, out = kensaCLI(t, "quarantine", "digest", "--now", "--config", hosts[1])
	if code != 0 || !strings.Contains(out, "sent 0 digest mail(s)") {
		t.Errorf("host 1 after host 0 sent: exit %d\n%s", code, out)
	}
	got := map[string]int{}
	for _, m := range relay.Messages() {
		for _, to := range m.To {
			got[to]++
		}
	}
	if got["bob@example.test"] != 1 || got["carol@example.test"] != 1 || len(got) != 2 {
		t.Errorf("digests per recipient %v, want one each for bob and carol", got)
	}
}

// TestPurgeOneHostAtATime: while one host (this test, its own session on
// the shared PostgreSQL) holds the purge, `kensa quarantine purge` in
// another process purges nothing; once it is let go, the same command
// purges the expired entry.
func TestPurgeOneHostAtATime(t *testing.T) {
	count(t)
	t.Parallel() // no serve, no MTA: light next to the rest
	dsn := pgtest.Schema(t)
	k := newKensa(t, kensaOpts{dsn: dsn})
	ctx := context.Background()
	st, err := quarantine.Open(ctx, dsn, quarantine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := quarantine.NewEntry(buildMessage(newToken("expired"), "Old", nil, "body"), message.Envelope{Sender: testSender, Recipients: []string{"bob@example.test"}},
		policy.Verdict{Action: policy.Quarantine, Score: 50, Reasons: []string{policy.ReasonScore}, Ref: "refexpired"})
	e.ExpiresAt = time.Now().Add(-time.Hour)
	if err := st.Put(ctx, e); err != nil {
		t.Fatal(err)
	}
	holding, letGo, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		ran, err := st.Exclusive(ctx, "purge", func(context.Context) error {
			close(holding)
			<-letGo
			return nil
		})
		if err == nil && !ran {
			err = errors.New("the test could not take the purge lock")
		}
		done <- err
	}()
	select {
	case <-holding:
	case err := <-done:
		t.Fatal(err)
	}
	code, out := kensaCLI(t, "quarantine", "purge", "--config", k.config)
	close(letGo)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if code != 0 || !strings.Contains(out, "purged 0 expired entries") {
		t.Errorf("purge while another host purges: exit %d\n%s", code, out)
	}
	code, out = kensaCLI(t, "quarantine", "purge", "--config", k.config)
	if code != 0 || !strings.Contains(out, "purged 1 expired entries") {
		t.Errorf("purge after the other host let go: exit %d\n%s", code, out)
	}
	if _, err := st.Get(ctx, e.ID); err == nil {
		t.Error("the expired entry is still there")
	}
}
