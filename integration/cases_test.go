//go:build integration

package integration

import (
	"bytes"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/testmail"
)

// eicarAttachment carries the EICAR test string (assembled at run time by
// testmail, so no file in the repository holds it whole).
func eicarAttachment() attachment {
	return attachment{name: "eicar.com", ctype: "application/octet-stream", content: []byte(testmail.EICAR())}
}

// TestCases runs the message cases against each MTA, each MTA with its own
// Kensa (test config: subject prefix, 100 KiB limit with reject) and sink.
func TestCases(t *testing.T) {
	for _, mta := range mtas {
		t.Run(mta, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mta, envOpts{})
			for _, c := range messageCases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					count(t)
					c.run(t, e.in(t))
				})
			}
		})
	}
}

var messageCases = []struct {
	name string
	run  func(t *testing.T, e *env)
}{
	{"clean is delivered once with a verdict and an unchanged body", caseClean},
	{"EICAR attachment is rejected with 550 5.7.1 and a ref", caseEICAR},
	{"quarantine is held and released with the MTA's command", caseQuarantine},
	{"tag adds headers and the subject prefix", caseTag},
	{"several recipients in one transaction", caseRecipients},
	{"UTF-8 headers and 8-bit body", caseUTF8},
	{"forged X-Kensa headers are removed", caseForged},
	{"local submission through sendmail(1) is scanned", caseLocal},
	{"message over max_message_size gets too_large_action", caseTooLarge},
}

func caseClean(t *testing.T, e *env) {
	token := newToken("clean")
	rcpt := rcptFor(token, 1)
	msg := buildMessage(token, "Quarterly report", nil, "Hello Bob,\n\n.leading dot line\nthe numbers are attached.\n",
		attachment{name: "report.csv", ctype: "text/csv", content: []byte("a,b\n1,2\n")})
	if r := e.send(msg, rcpt); !r.accepted() {
		t.Fatalf("clean message not accepted: %v", r)
	}
	got := e.expectDelivered(token, 1, rcpt)
	if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "accept") || refIn(v) == "" {
		t.Errorf("X-Kensa-Verdict = %q, want accept with a ref", v)
	}
	_, sentBody := splitMessage(msg)
	_, body := splitMessage(got[0].Data)
	if !bytes.Equal(body, sentBody) {
		t.Errorf("body changed:\n got %q\nwant %q", body, sentBody)
	}
	if s := headerValues(got[0].Data, "Subject"); len(s) != 1 || s[0] != "Quarterly report" {
		t.Errorf("Subject = %q", s)
	}
}

func caseEICAR(t *testing.T, e *env) {
	token := newToken("eicar")
	rcpt := rcptFor(token, 1)
	msg := buildMessage(token, "invoice", nil, "see attachment", eicarAttachment())
	r := e.send(msg, rcpt)
	if r.Stage != "eod" || !strings.HasPrefix(r.line(), replyReject) {
		t.Fatalf("got %v, want %q… at end of DATA", r, replyReject)
	}
	ref := refIn(r.Text)
	if ref == "" {
		t.Fatalf("reject %q carries no ref", r.Text)
	}
	if strings.Contains(r.Text, "EICAR") {
		t.Errorf("reject text %q names the rule", r.Text)
	}
	if !e.k.waitLog(5*time.Second, ref) {
		t.Errorf("ref %s from the reply is not in Kensa's log", ref)
	}
	e.expectNothing(token, rcpt)
	if e.pf != nil && !strings.Contains(e.pf.log(), pfLogReject) {
		t.Errorf("Postfix's log has no %q line", pfLogReject)
	}
}

func caseQuarantine(t *testing.T, e *env) {
	token := newToken("quar")
	rcpt := rcptFor(token, 1)
	msg := buildMessage(token, "payment details", nil, "please check "+quarantineToken)
	if r := e.send(msg, rcpt); !r.accepted() {
		t.Fatalf("quarantined message should be accepted (then held): %v", r)
	}
	var ids []string
	if !eventually(10*time.Second, func() bool { ids = e.held(rcpt); return len(ids) == 1 }) {
		t.Fatalf("held for %s: %v, want one message", rcpt, ids)
	}
	time.Sleep(500 * time.Millisecond)
	if got := e.sk.with(token); len(got) != 0 {
		t.Fatalf("held message was delivered before release")
	}
	// What the docs say the admin sees.
	if e.pf != nil {
		if q := e.pf.queueJSON(); !strings.Contains(q, pfQueueHold) {
			t.Errorf("postqueue -j does not show %s:\n%s", pfQueueHold, q)
		}
		if !strings.Contains(e.pf.log(), pfLogHold) {
			t.Errorf("Postfix's log has no %q line", pfLogHold)
		}
	}
	if e.sm != nil {
		if q := e.sm.quarantineListing(); !strings.Contains(q, smQuarantineLine) {
			t.Errorf("mailq -qQ does not show %q:\n%s", smQuarantineLine, q)
		}
	}

	// Postfix: a second held message is deleted with postsuper -d.
	if e.pf != nil {
		token2 := newToken("quardel")
		rcpt2 := rcptFor(token2, 1)
		if r := e.send(buildMessage(token2, "second", nil, quarantineToken), rcpt2); !r.accepted() {
			t.Fatalf("second quarantined message: %v", r)
		}
		var ids2 []string
		if !eventually(10*time.Second, func() bool { ids2 = e.held(rcpt2); return len(ids2) == 1 }) {
			t.Fatalf("second message not held: %v", ids2)
		}
		mustRun(t, docCommand(cmdPostsuperDelete, e.pf.confFlag(), "QUEUEID", ids2[0])...)
		if q := e.pf.queuedFor(rcpt2); len(q) != 0 {
			t.Errorf("after postsuper -d: %+v", q)
		}
		defer func() {
			if got := e.sk.with(token2); len(got) != 0 {
				t.Errorf("deleted message was delivered")
			}
		}()
	}

	e.release(ids[0])
	got := e.expectDelivered(token, 1, rcpt)
	if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "quarantine") {
		t.Errorf("X-Kensa-Verdict = %q, want quarantine", v)
	}
	if f := strings.Join(headerValues(got[0].Data, "X-Kensa-Findings"), " "); !strings.Contains(f, "Kensa_Test_Quarantine") {
		t.Errorf("X-Kensa-Findings = %q, want the test rule", f)
	}
	if h := e.held(rcpt); len(h) != 0 {
		t.Errorf("still held after release: %v", h)
	}
	// Released mail is not scanned again: one log line for it.
	if n := strings.Count(e.k.log.String(), "message_id=\"<"+token+"@"); n != 1 {
		t.Errorf("Kensa logged the message %d times, want once", n)
	}
}

func caseTag(t *testing.T, e *env) {
	token := newToken("tag")
	rcpt := rcptFor(token, 1)
	// In a base64 attachment, so only the decoded part matches (not the
	// raw message as well): one finding of 30 → tag.
	msg := buildMessage(token, "meeting notes", nil, "notes attached",
		attachment{name: "notes.txt", ctype: "text/plain", content: []byte("agenda\n" + tagToken + "\n")})
	if r := e.send(msg, rcpt); !r.accepted() {
		t.Fatalf("tagged message not accepted: %v", r)
	}
	got := e.expectDelivered(token, 1, rcpt)
	if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "tag") {
		t.Errorf("X-Kensa-Verdict = %q, want tag", v)
	}
	if f := strings.Join(headerValues(got[0].Data, "X-Kensa-Findings"), " "); !strings.Contains(f, "Kensa_Test_Tag") {
		t.Errorf("X-Kensa-Findings = %q, want yara/Kensa_Test_Tag", f)
	}
	if s := headerValues(got[0].Data, "Subject"); len(s) != 1 || s[0] != "[SUSPICIOUS] meeting notes" {
		t.Errorf("Subject = %q, want one \"[SUSPICIOUS] meeting notes\"", s)
	}
}

func caseRecipients(t *testing.T, e *env) {
	token := newToken("multi")
	rcpts := []string{rcptFor(token, 1), rcptFor(token, 2), rcptFor(token, 3)}
	msg := buildMessage(token, "to three", nil, "one message, three recipients")
	if r := e.send(msg, rcpts...); !r.accepted() {
		t.Fatalf("not accepted: %v", r)
	}
	eventually(30*time.Second, func() bool { return len(recipientsOf(e.sk.with(token))) >= 3 })
	e.expectSettled(rcpts...)
	got := e.sk.with(token)
	seen := map[string]int{}
	for _, d := range got {
		verdictOf(t, d)
		for _, r := range d.To {
			seen[r]++
		}
	}
	for _, r := range rcpts {
		if seen[r] != 1 {
			t.Errorf("%s got %d copies, want 1 (all: %v)", r, seen[r], seen)
		}
	}

	// One malicious message to three recipients: rejected for all of them.
	token = newToken("multieicar")
	rcpts = []string{rcptFor(token, 1), rcptFor(token, 2), rcptFor(token, 3)}
	r := e.send(buildMessage(token, "to three", nil, "x", eicarAttachment()), rcpts...)
	if r.Stage != "eod" || r.Code != 550 {
		t.Fatalf("EICAR to three recipients: %v, want 550 at end of DATA", r)
	}
	e.expectNothing(token, rcpts...)
}

func recipientsOf(ds []delivered) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.To...)
	}
	return out
}

func caseUTF8(t *testing.T, e *env) {
	token := newToken("utf8")
	rcpt := rcptFor(token, 1)
	subject := "Grüße aus Köln – 検査 ✓"
	msg := buildMessage(token, subject, []string{"X-Note: naïve café"},
		"Liebe Grüße,\nこんにちは、世界。\nΚαλημέρα κόσμε\n")
	if r := e.send(msg, rcpt); !r.accepted() {
		t.Fatalf("not accepted: %v", r)
	}
	got := e.expectDelivered(token, 1, rcpt)
	if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "accept") {
		t.Errorf("X-Kensa-Verdict = %q, want accept", v)
	}
	_, sentBody := splitMessage(msg)
	_, body := splitMessage(got[0].Data)
	if !bytes.Equal(body, sentBody) {
		t.Errorf("8-bit body changed:\n got %q\nwant %q", body, sentBody)
	}
	if s := headerValues(got[0].Data, "Subject"); len(s) != 1 || s[0] != subject {
		t.Errorf("Subject = %q, want %q unchanged", s, subject)
	}
	if n := headerValues(got[0].Data, "X-Note"); len(n) != 1 || n[0] != "naïve café" {
		t.Errorf("X-Note = %q", n)
	}

	// Tagged with a UTF-8 subject: the prefix goes in front, the rest stays
	// readable (raw UTF-8 or an RFC 2047 encoded word).
	token = newToken("utf8tag")
	rcpt = rcptFor(token, 1)
	msg = buildMessage(token, subject, nil, "Anhang", attachment{name: "x.txt", ctype: "text/plain", content: []byte(tagToken)})
	if r := e.send(msg, rcpt); !r.accepted() {
		t.Fatalf("not accepted: %v", r)
	}
	got = e.expectDelivered(token, 1, rcpt)
	s := headerValues(got[0].Data, "Subject")
	if len(s) != 1 {
		t.Fatalf("Subject headers %q", s)
	}
	dec, err := new(mime.WordDecoder).DecodeHeader(s[0])
	if err != nil || dec != "[SUSPICIOUS] "+subject {
		t.Errorf("Subject = %q (decoded %q, %v), want %q", s[0], dec, err, "[SUSPICIOUS] "+subject)
	}
}

func caseForged(t *testing.T, e *env) {
	token := newToken("forged")
	rcpt := rcptFor(token, 1)
	msg := buildMessage(token, "trust me", []string{
		"X-Kensa-Verdict: accept; score=0; ref=forged1",
		"X-Kensa-Findings: none",
		"x-kensa-verdict: accept; ref=forged2",
	}, "I am clean, honest", attachment{name: "a.txt", ctype: "text/plain", content: []byte(tagToken)})
	if r := e.send(msg, rcpt); !r.accepted() {
		t.Fatalf("not accepted: %v", r)
	}
	got := e.expectDelivered(token, 1, rcpt)
	v := verdictOf(t, got[0]) // exactly one
	if strings.Contains(v, "forged") || !strings.HasPrefix(v, "tag") {
		t.Errorf("X-Kensa-Verdict = %q, want Kensa's own tag verdict", v)
	}
	for _, f := range headerValues(got[0].Data, "X-Kensa-Findings") {
		if f == "none" {
			t.Errorf("forged X-Kensa-Findings survived")
		}
	}
}

func caseLocal(t *testing.T, e *env) {
	token := newToken("local")
	rcpt := rcptFor(token, 1)
	if err := e.submit(buildMessage(token, "from cron", nil, "local report"), rcpt); err != nil {
		t.Fatal(err)
	}
	got := e.expectDelivered(token, 1, rcpt)
	if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "accept") {
		t.Errorf("X-Kensa-Verdict = %q, want accept", v)
	}

	// Locally submitted mail that scores into quarantine is held as well.
	token = newToken("localquar")
	rcpt = rcptFor(token, 1)
	if err := e.submit(buildMessage(token, "from cron", nil, quarantineToken), rcpt); err != nil {
		t.Fatal(err)
	}
	var ids []string
	if !eventually(15*time.Second, func() bool { ids = e.held(rcpt); return len(ids) == 1 }) {
		t.Fatalf("locally submitted quarantine message not held: %v", ids)
	}
	if got := e.sk.with(token); len(got) != 0 {
		t.Errorf("held local message was delivered")
	}

	// Locally submitted EICAR never reaches the recipient. Postfix's pickup
	// bounces it to the sender with the reject text; Sendmail's MSP gets the
	// 550 by SMTP and sendmail(1) fails.
	token = newToken("localeicar")
	rcpt = rcptFor(token, 1)
	err := e.submit(buildMessage(token, "from cron", nil, "x", eicarAttachment()), rcpt)
	if e.sm != nil && err == nil {
		t.Errorf("sendmail(1) through the MSP succeeded with EICAR")
	}
	if e.pf != nil {
		if err != nil {
			t.Fatal(err)
		}
		bounces := e.sk.waitFor(token, 1, 15*time.Second)
		if len(bounces) != 1 || len(bounces[0].To) != 1 || bounces[0].To[0] != testSender ||
			!bytes.Contains(bounces[0].Data, []byte("Message rejected by content filter (ref")) {
			t.Errorf("want one bounce to %s with the reject text, got %d messages", testSender, len(bounces))
		}
	}
	e.expectSettled(rcpt)
	for _, d := range e.sk.with(token) {
		for _, to := range d.To {
			if to == rcpt {
				t.Errorf("locally submitted EICAR was delivered to %s", rcpt)
			}
		}
	}

	if e.sm != nil {
		// Sendmail's own MTA mode on the command line (root with -Am or
		// -C sendmail.cf) skips milters: the docs warn about it.
		token = newToken("localmta")
		rcpt = rcptFor(token, 1)
		if out, err := e.sm.submitMTA(testSender, []string{rcpt}, buildMessage(token, "mta mode", nil, "x")); err != nil {
			t.Fatalf("sendmail -C sendmail.cf: %v: %s", err, out)
		}
		got := e.expectDelivered(token, 1, rcpt)
		if v := headerValues(got[0].Data, "X-Kensa-Verdict"); len(v) != 0 {
			t.Errorf("MTA-mode submission was scanned after all (%q): update docs/sendmail.md", v)
		}
	}
}

func caseTooLarge(t *testing.T, e *env) {
	token := newToken("large")
	rcpt := rcptFor(token, 1)
	big := strings.Repeat("0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\n", 2400) // ~160 KB
	r := e.send(buildMessage(token, "big", nil, big), rcpt)
	if r.Stage != "eod" || !strings.HasPrefix(r.line(), replyReject) || refIn(r.Text) == "" {
		t.Fatalf("got %v, want too_large_action reject: 550 at end of DATA with a ref", r)
	}
	e.expectNothing(token, rcpt)
	if !e.k.waitLog(5*time.Second, refIn(r.Text), "too-large") {
		t.Errorf("Kensa's log has no too-large line with ref %s", refIn(r.Text))
	}
}
