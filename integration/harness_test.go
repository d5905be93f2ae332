//go:build integration

package integration

import (
	"bytes"
	"testing"
	"time"
)

// The harness itself: each MTA relays to the sink with no milter at all,
// so a failure in a Kensa case is not the plumbing's.
func TestHarnessRelaysWithoutMilter(t *testing.T) {
	t.Run("postfix", func(t *testing.T) {
		t.Parallel()
		count(t)
		sk := startSink(t)
		pf := startPostfix(t, sk.Port, postfixOpts{})
		checkRelay(t, pf.Addr, sk)
	})
	t.Run("sendmail", func(t *testing.T) {
		t.Parallel()
		count(t)
		sk := startSink(t)
		sm := startSendmail(t, sk.Port, sendmailOpts{})
		checkRelay(t, sm.Addr, sk)
	})
}

func checkRelay(t *testing.T, addr string, sk *sink) {
	token := newToken("relay")
	msg := buildMessage(token, "relay test", nil, "plain relay, no milter")
	start := time.Now()
	r := send(addr, mail{From: testSender, To: []string{rcptFor(token, 1)}, Data: msg})
	if !r.accepted() {
		t.Fatalf("MTA did not accept: %v", r)
	}
	got := sk.waitFor(token, 1, 20*time.Second)
	if len(got) != 1 {
		t.Fatalf("sink got %d messages, want 1", len(got))
	}
	t.Logf("relayed in %v", time.Since(start))
	_, body := splitMessage(got[0].Data)
	_, sent := splitMessage(msg)
	if !bytes.Equal(body, sent) {
		t.Errorf("body changed:\n got %q\nwant %q", body, sent)
	}
	if got[0].From != testSender || len(got[0].To) != 1 || got[0].To[0] != rcptFor(token, 1) {
		t.Errorf("envelope = %s → %v", got[0].From, got[0].To)
	}
}
