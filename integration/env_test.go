//go:build integration

package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// mtas are the MTAs every case runs against.
var mtas = []string{"postfix", "sendmail"}

// env is one Kensa behind one MTA that relays to one sink.
type env struct {
	t    testing.TB
	mta  string
	k    *kensa
	sk   *sink
	pf   *postfixMTA
	sm   *sendmailMTA
	Addr string // the MTA's SMTP listener
}

// envOpts wires an env; the MTA options apply to their MTA only.
type envOpts struct {
	kensa    kensaOpts
	postfix  postfixOpts
	sendmail sendmailOpts
	// noKensa writes Kensa's config but does not start it.
	noKensa bool
}

func newEnv(t testing.TB, mta string, o envOpts) *env {
	t.Helper()
	e := &env{t: t, mta: mta, sk: startSink(t)}
	e.k = newKensa(t, o.kensa)
	if !o.noKensa {
		e.k.start()
	}
	switch mta {
	case "postfix":
		po := o.postfix
		po.milterPort = e.k.Port
		e.pf = startPostfix(t, e.sk.Port, po)
		e.Addr = e.pf.Addr
	case "sendmail":
		so := o.sendmail
		so.milterPort = e.k.Port
		e.sm = startSendmail(t, e.sk.Port, so)
		e.Addr = e.sm.Addr
	default:
		t.Fatalf("unknown MTA %q", mta)
	}
	return e
}

// in returns a copy of e whose failures go to t (a subtest).
func (e *env) in(t testing.TB) *env {
	c := *e
	c.t = t
	return &c
}

// send sends msg from testSender to rcpts over SMTP.
func (e *env) send(msg []byte, rcpts ...string) smtpResult {
	return send(e.Addr, mail{From: testSender, To: rcpts, Data: msg})
}

// submit hands msg to the MTA's sendmail(1).
func (e *env) submit(msg []byte, rcpts ...string) error {
	var out string
	var err error
	if e.pf != nil {
		out, err = e.pf.submit(testSender, rcpts, msg)
	} else {
		out, err = e.sm.submit(testSender, rcpts, msg)
	}
	if err != nil {
		return fmt.Errorf("sendmail(1): %w: %s", err, out)
	}
	return nil
}

// held returns the IDs of held (Postfix) or quarantined (Sendmail)
// messages for rcpt.
func (e *env) held(rcpt string) []string {
	if e.pf != nil {
		var ids []string
		for _, q := range e.pf.queuedFor(rcpt) {
			if q.QueueName == "hold" {
				ids = append(ids, q.QueueID)
			}
		}
		return ids
	}
	return e.sm.quarantined(rcpt)
}

// queued returns every queue entry for rcpt that is not held: mail the
// MTA still means to deliver.
func (e *env) queued(rcpt string) []string {
	if e.pf != nil {
		var ids []string
		for _, q := range e.pf.queuedFor(rcpt) {
			if q.QueueName != "hold" {
				ids = append(ids, q.QueueID+"("+q.QueueName+")")
			}
		}
		return ids
	}
	return e.sm.queued(rcpt)
}

// release lets a held message go with the MTA's own command.
func (e *env) release(id string) {
	if e.pf != nil {
		e.pf.release(id)
		return
	}
	e.sm.release(id)
}

// expectDelivered waits for exactly n deliveries of token, then makes sure
// no more arrive and nothing is left in the MTA's queue.
func (e *env) expectDelivered(token string, n int, rcpts ...string) []delivered {
	e.t.Helper()
	got := e.sk.waitFor(token, n, 30*time.Second)
	if len(got) < n {
		e.t.Fatalf("%d deliveries of %s, want %d", len(got), token, n)
	}
	e.expectSettled(rcpts...)
	if got = e.sk.with(token); len(got) != n {
		e.t.Fatalf("%d deliveries of %s, want exactly %d", len(got), token, n)
	}
	return got
}

// expectSettled waits until the MTA's queue holds nothing for rcpts (no
// delivery still pending that could arrive later).
func (e *env) expectSettled(rcpts ...string) {
	e.t.Helper()
	for _, r := range rcpts {
		var left []string
		if !eventually(15*time.Second, func() bool { left = e.queued(r); return len(left) == 0 }) {
			e.t.Fatalf("still queued for %s: %v", r, left)
		}
	}
}

// expectNothing checks that no message with token reached the sink and the
// MTA holds nothing for rcpts.
func (e *env) expectNothing(token string, rcpts ...string) {
	e.t.Helper()
	e.expectSettled(rcpts...)
	time.Sleep(300 * time.Millisecond) // a delivery in flight would land now
	if got := e.sk.with(token); len(got) != 0 {
		e.t.Fatalf("%d messages with %s were delivered, want none:\n%s", len(got), token, got[0].Data)
	}
	for _, r := range rcpts {
		if h := e.held(r); len(h) != 0 {
			e.t.Fatalf("held for %s: %v, want nothing", r, h)
		}
	}
}

// verdictOf returns the X-Kensa-Verdict header of a delivered message;
// it fails when there is not exactly one.
func verdictOf(t testing.TB, d delivered) string {
	t.Helper()
	v := headerValues(d.Data, "X-Kensa-Verdict")
	if len(v) != 1 {
		t.Fatalf("X-Kensa-Verdict headers: %q, want exactly one\n%s", v, d.Data)
	}
	return v[0]
}

// refIn extracts "ref XXX" / "ref=XXX" from a reply or header.
func refIn(s string) string {
	for _, sep := range []string{"ref=", "ref "} {
		if i := strings.Index(s, sep); i >= 0 {
			ref := s[i+len(sep):]
			if j := strings.IndexAny(ref, "); \r\n"); j >= 0 {
				ref = ref[:j]
			}
			return ref
		}
	}
	return ""
}
