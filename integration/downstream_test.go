//go:build integration

package integration

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestDownstreamDown: while the mail server behind the MTA is down, the
// mail Kensa passed waits in the MTA's queue, with the queue lifetimes the
// docs give ("When the mail server behind Postfix is down" in
// docs/postfix.md, the same in docs/sendmail.md), and is delivered once the
// server is back and the queue is flushed with the docs' commands. Kensa
// scanned it once, when it arrived: the flush does not ask it again.
func TestDownstreamDown(t *testing.T) {
	count(t)
	for _, mta := range mtas {
		t.Run(mta, func(t *testing.T) {
			e := newEnv(t, mta, envOpts{
				postfix:  postfixOpts{extra: docLines(pfQueueLifetime)},
				sendmail: sendmailOpts{queueTimeouts: true},
			})
			// The lifetimes took effect in the MTA's own configuration.
			if e.pf != nil {
				for _, setting := range []string{"maximal_queue_lifetime", "bounce_queue_lifetime"} {
					if v := strings.TrimSpace(mustRun(t, "postconf", "-c", e.pf.etc, "-h", setting)); v != "10d" {
						t.Errorf("postconf %s = %q, want 10d", setting, v)
					}
				}
			} else {
				cf, _ := os.ReadFile(e.sm.cf)
				for _, line := range []string{"O Timeout.queuereturn=10d", "O Timeout.queuewarn=4h"} {
					if !strings.Contains(string(cf), line+"\n") {
						t.Errorf("sendmail.cf lacks %q", line)
					}
				}
			}

			token := newToken("downstream")
			rcpt := rcptFor(token, 1)
			msg := buildMessage(token, "Minutes of the meeting", nil, "Hello Bob,\n\nthe minutes, as promised.\n")
			e.sk.down()
			if r := e.send(msg, rcpt); !r.accepted() {
				t.Fatalf("with the server behind the MTA down, the message was not accepted: %v", r)
			}
			// It waits in the queue, with the reason.
			var id, why string
			if !eventually(30*time.Second, func() bool { id, why = e.waiting(rcpt); return id != "" }) {
				t.Fatalf("the message is not waiting in the MTA's queue; queue:\n%s", e.queueListing())
			}
			if !strings.Contains(why, "refused") {
				t.Errorf("queue entry %s waits for %q, want the refused connection", id, why)
			}
			if got := e.sk.with(token); len(got) != 0 {
				t.Fatalf("delivered while the server was down")
			}

			e.sk.up(t)
			if e.pf != nil {
				mustRun(t, docCommand(cmdPostqueueFlush, e.pf.confFlag())...)
			} else {
				args := docCommand(cmdSmRunQueue, nil, "QUEUEID", id)
				if out, err := e.sm.run(args[0], args[1:]...); err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
			}
			got := e.expectDelivered(token, 1, rcpt)
			if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "accept") || refIn(v) == "" {
				t.Errorf("X-Kensa-Verdict = %q, want the accept Kensa gave at receipt", v)
			}
			if n := strings.Count(e.k.log.String(), "<"+token+"@sender.test>"); n != 1 {
				t.Errorf("Kensa logged the message %d times, want once (scanned at receipt only)", n)
			}
		})
	}
}

// waiting returns the queue ID of the message for rcpt that waits in the
// MTA's queue to be retried (Postfix: the deferred queue; Sendmail: an entry
// with a Deferred: line), and why it waits; "" while there is none.
func (e *env) waiting(rcpt string) (id, why string) {
	if e.pf != nil {
		for _, q := range e.pf.queuedFor(rcpt) {
			if q.QueueName == "deferred" {
				for _, r := range q.Recipients {
					if r.Address == rcpt {
						return q.QueueID, r.DelayReason
					}
				}
			}
		}
		return "", ""
	}
	out := e.sm.mailq()
	ids := idsFor(out, rcpt)
	if len(ids) != 1 {
		return "", ""
	}
	entry := out[strings.Index(out, ids[0]):]
	if i := strings.Index(entry, "(Deferred: "); i >= 0 {
		why, _, _ = strings.Cut(entry[i+len("(Deferred: "):], ")")
		return ids[0], why
	}
	return "", ""
}

// queueListing is the MTA's queue as its docs' command shows it.
func (e *env) queueListing() string {
	if e.pf != nil {
		return e.pf.queueJSON()
	}
	return e.sm.mailq()
}
