package quarantine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/smtpsink"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

func envelope(sender string, rcpts ...string) message.Envelope {
	return message.Envelope{QueueID: "4Xyz1", ClientAddr: "192.0.2.7", ClientHost: "mx.example.org", Helo: "mx.example.org", Sender: sender, Recipients: rcpts}
}

func rawMessage(subject string) []byte {
	return []byte("From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + subject + "@example.org>\r\n\r\nHello.\r\n.a line with a leading dot\r\n")
}

func newEntry(subject, sender string, rcpts ...string) *Entry {
	return &Entry{
		Raw:       rawMessage(subject),
		Envelope:  envelope(sender, rcpts...),
		Verdict:   policy.Verdict{Action: policy.Quarantine, Score: 55, Reasons: []string{policy.ReasonScore}, Ref: "ref" + subject},
		Subject:   subject,
		From:      "Alice <alice@example.org>",
		MessageID: "<" + subject + "@example.org>",
	}
}

func put(t *testing.T, s Store, e *Entry) *Entry {
	t.Helper()
	if err := s.Put(context.Background(), e); err != nil {
		t.Fatalf("put: %v", err)
	}
	return e
}

func TestPutGetRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{Retention: 48 * time.Hour})
		var raw bytes.Buffer
		raw.WriteString("From: a@example.org\r\nSubject: bytes\r\n\r\n")
		for i := 0; i < 3; i++ { // every byte value, binary 8-bit body
			for b := 0; b < 256; b++ {
				raw.WriteByte(byte(b))
			}
		}
		raw.WriteString("\r\n")
		findings := []scanners.Finding{
			{Scanner: "yara", ID: "Office_AutoOpen_Shell", Part: "2/invoice.zip/x.docm", Severity: scanners.Malicious, Score: 100, Detail: "AutoOpen + Shell", Action: "reject"},
			{Scanner: "kensa", ID: "limit-depth", Part: "3", Severity: scanners.Suspicious, Score: 10, Unscannable: true},
		}
		e := &Entry{
			Raw: raw.Bytes(),
			Envelope: message.Envelope{QueueID: "4Xyz1", ClientAddr: "192.0.2.7", ClientHost: "mx.example.org", Helo: "helo\x00name",
				Sender: "Sender@Example.ORG", Recipients: []string{"Bob@example.net", "carol@example.net"}, AuthUser: "alice"},
			Verdict:   policy.Verdict{Action: policy.Reject, Score: 110, Reasons: []string{"malicious", "unscannable"}, Ref: "abc123", Findings: findings},
			Subject:   "Invoice \xff\xfe\x00 due", // invalid UTF-8 and a NUL: what a sender can send
			From:      "Alice <alice@example.org>",
			MessageID: "<1@example.org>",
		}
		before := time.Now()
		put(t, s, e)
		if !ValidID(e.ID) {
			t.Fatalf("id %q is not a valid id", e.ID)
		}
		if e.QuarantinedAt.Before(before.Add(-time.Millisecond)) || !e.ExpiresAt.Equal(e.QuarantinedAt.Add(48*time.Hour)) {
			t.Fatalf("times: quarantined %v expires %v", e.QuarantinedAt, e.ExpiresAt)
		}
		got, err := s.Get(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Raw, e.Raw) {
			t.Fatalf("raw differs: got %d bytes, want %d", len(got.Raw), len(e.Raw))
		}
		want := *e
		want.Raw = got.Raw
		want.Subject = "Invoice \uFFFD due"
		want.Envelope.Helo = "heloname"
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("entry differs:\n got %+v\nwant %+v", *got, want)
		}
		if got.Size != int64(len(e.Raw)) || got.Status() != Held || !got.NeedsAdmin() {
			t.Fatalf("size %d status %s needsAdmin %v", got.Size, got.Status(), got.NeedsAdmin())
		}
		if up, err := s.Get(ctx, strings.ToUpper(e.ID)); err != nil || up.ID != e.ID {
			t.Fatalf("Get of the upper-case id: %v", err)
		}
		for _, id := range []string{newID(), "not-an-id", "", e.ID + "a", "'; DROP TABLE quarantine_entries; --"} {
			if _, err := s.Get(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get(%q) = %v, want ErrNotFound", id, err)
			}
		}
	})
}

func TestPutRejects(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn, Options{})
		for name, e := range map[string]*Entry{
			"nil":      nil,
			"empty":    {Envelope: envelope("a@b", "c@d")},
			"bad id":   {ID: "../../etc/passwd", Raw: []byte("x"), Envelope: envelope("a@b", "c@d")},
			"action":   {Raw: []byte("x"), Envelope: envelope("a@b", "c@d"), Verdict: policy.Verdict{Action: policy.Action(42)}},
			"severity": {Raw: []byte("x"), Envelope: envelope("a@b", "c@d"), Verdict: policy.Verdict{Findings: []scanners.Finding{{Severity: 9}}}},
		} {
			if err := s.Put(context.Background(), e); err == nil {
				t.Errorf("%s: Put succeeded", name)
			}
		}
		first := put(t, s, newEntry("dup", "a@b", "c@d"))
		dup := newEntry("dup2", "a@b", "c@d")
		dup.ID = first.ID
		if err := s.Put(context.Background(), dup); err == nil {
			t.Error("Put of a duplicate id succeeded")
		}
		// A huge subject is cut, not refused: refusing would tempfail the mail forever.
		e := newEntry("long", "a@b", "c@d")
		e.Subject = strings.Repeat("é", 5000)
		put(t, s, e)
		got, err := s.Get(context.Background(), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Subject) > maxHeader || !strings.HasPrefix(e.Subject, got.Subject) || got.Subject == "" {
			t.Fatalf("subject cut to %d bytes", len(got.Subject))
		}
	})
}

func TestList(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{})
		base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		mk := func(i int, subject, sender string, reasons []string, rcpts ...string) *Entry {
			e := newEntry(subject, sender, rcpts...)
			e.Verdict.Reasons = reasons
			e.QuarantinedAt = base.Add(time.Duration(i) * time.Hour)
			return put(t, s, e)
		}
		e0 := mk(0, "zero", "spam@bad.example", []string{"score"}, "bob@example.net")
		e1 := mk(1, "one", "Spam@Bad.Example", []string{"malicious"}, "alice@example.net", "BOB@example.net")
		e2 := mk(2, "two", "", []string{"unscannable", "score"}, "carol@other.example")
		e3 := mk(3, "three", "news@good.example", []string{"timeout"}, "bob@example.net")
		e4 := mk(4, "four_100%", "x@bad.example", []string{"score"}, "dave@example.net")
		ids := func(es ...*Entry) []string {
			out := []string{}
			for _, e := range es {
				out = append(out, e.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    Filter
			want []string
		}{
			{"all, newest first", Filter{}, ids(e4, e3, e2, e1, e0)},
			{"recipient, any case", Filter{Recipient: "Bob@Example.NET"}, ids(e3, e1, e0)},
			{"recipient domain", Filter{Recipient: "@other.example"}, ids(e2)},
			{"recipient not there", Filter{Recipient: "mallory@example.net"}, ids()},
			{"recipient is not a pattern", Filter{Recipient: "%@example.net"}, ids()},
			{"sender", Filter{Sender: "spam@bad.example"}, ids(e1, e0)},
			{"sender domain", Filter{Sender: "@BAD.example"}, ids(e4, e1, e0)},
			{"null sender", Filter{Sender: "<>"}, ids(e2)},
			{"reason", Filter{Reason: "score"}, ids(e4, e2, e0)},
			{"reason is whole", Filter{Reason: "scor"}, ids()},
			{"reason with wildcard", Filter{Reason: "%"}, ids()},
			{"since", Filter{Since: base.Add(2 * time.Hour)}, ids(e4, e3, e2)},
			{"until", Filter{Until: base.Add(2 * time.Hour)}, ids(e1, e0)},
			{"search subject", Filter{Search: "THRE"}, ids(e3)},
			{"search literal %", Filter{Search: "_100%"}, ids(e4)},
			{"search sender", Filter{Search: "news@"}, ids(e3)},
			{"combined", Filter{Recipient: "bob@example.net", Reason: "score", Since: base}, ids(e0)},
			{"page 1", Filter{Limit: 2}, ids(e4, e3)},
			{"page 2", Filter{Limit: 2, Offset: 2}, ids(e2, e1)},
			{"page 3", Filter{Limit: 2, Offset: 4}, ids(e0)},
			{"past the end", Filter{Limit: 2, Offset: 6}, ids()},
			{"held", Filter{Status: Held}, ids(e4, e3, e2, e1, e0)},
			{"released", Filter{Status: Released}, ids()},
		} {
			got, err := s.List(ctx, tc.f)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			gotIDs := []string{}
			for _, e := range got {
				gotIDs = append(gotIDs, e.ID)
				if e.Raw != nil {
					t.Errorf("%s: List returned a body", tc.name)
				}
			}
			if !reflect.DeepEqual(gotIDs, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, gotIDs, tc.want)
			}
		}
		// Listed entries carry their envelope and verdict.
		got, err := s.List(ctx, Filter{Recipient: "alice@example.net"})
		if err != nil || len(got) != 1 {
			t.Fatalf("list: %v %v", got, err)
		}
		if !reflect.DeepEqual(got[0].Envelope.Recipients, []string{"alice@example.net", "BOB@example.net"}) ||
			got[0].Verdict.Reasons[0] != "malicious" || got[0].Subject != "one" || !got[0].QuarantinedAt.Equal(base.Add(time.Hour)) {
			t.Fatalf("listed entry: %+v", got[0])
		}
		for _, bad := range []Filter{{Status: "bogus"}, {Offset: -1}} {
			if _, err := s.List(ctx, bad); err == nil {
				t.Errorf("List(%+v) succeeded", bad)
			}
		}
	})
}

func TestDelete(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{})
		e := put(t, s, newEntry("del", "a@example.org", "b@example.net"))
		keep := put(t, s, newEntry("keep", "a@example.org", "b@example.net"))
		if err := s.Delete(ctx, e.ID, "admin:alice"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Raw != nil || got.DeletedBy != "admin:alice" || got.DeletedAt.IsZero() || got.Status() != Deleted {
			t.Fatalf("deleted entry: raw %d bytes, by %q at %v", len(got.Raw), got.DeletedBy, got.DeletedAt)
		}
		var bodies int
		if err := s.db.QueryRow(s.q(`SELECT COUNT(*) FROM quarantine_bodies WHERE entry_id = ?`), e.ID).Scan(&bodies); err != nil || bodies != 0 {
			t.Fatalf("body rows after delete: %d (%v)", bodies, err)
		}
		list, _ := s.List(ctx, Filter{})
		if len(list) != 1 || list[0].ID != keep.ID {
			t.Fatalf("list after delete: %v", list)
		}
		list, _ = s.List(ctx, Filter{Status: Deleted})
		if len(list) != 1 || list[0].ID != e.ID {
			t.Fatalf("list of deleted: %v", list)
		}
		if err := s.Delete(ctx, e.ID, "admin:bob"); err != nil {
			t.Fatalf("second delete: %v", err)
		}
		if got, _ := s.Get(ctx, e.ID); got.DeletedBy != "admin:alice" {
			t.Fatalf("second delete changed who deleted: %q", got.DeletedBy)
		}
		if err := s.Delete(ctx, newID(), "x"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("delete of unknown id: %v", err)
		}
		sk := smtpsink.Start(t)
		if _, err := s.Release(ctx, e.ID, "admin:alice", Relay{Addr: sk.Addr}.Deliver); !errors.Is(err, ErrDeleted) {
			t.Fatalf("release of deleted entry: %v", err)
		}
		if len(sk.Messages()) != 0 {
			t.Fatal("a deleted entry was delivered")
		}
	})
}

func TestRelease(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{})
		sk := smtpsink.Start(t)
		relay := Relay{Addr: sk.Addr, HeloName: "kensa.example.org", Timeout: 10 * time.Second}
		e := put(t, s, newEntry("rel", "alice@example.org", "bob@example.net", "carol@example.net"))

		res, err := s.Release(ctx, e.ID, "admin:root", relay.Deliver)
		if err != nil {
			t.Fatal(err)
		}
		if res.AlreadyReleased || !res.Complete || res.ReleasedBy != "admin:root" || !reflect.DeepEqual(res.Delivered, e.Envelope.Recipients) {
			t.Fatalf("result %+v", res)
		}
		msgs := sk.Messages()
		if len(msgs) != 1 {
			t.Fatalf("sink got %d messages", len(msgs))
		}
		m := msgs[0]
		if m.Helo != "kensa.example.org" || m.From != "alice@example.org" || !reflect.DeepEqual(m.To, e.Envelope.Recipients) || !bytes.Equal(m.Data, e.Raw) {
			t.Fatalf("sink got helo %q from %q rcpts %v data %q", m.Helo, m.From, m.To, m.Data)
		}
		got, _ := s.Get(ctx, e.ID)
		if got.Status() != Released || got.ReleasedBy != "admin:root" || got.Releasing || len(got.ReleasedTo) != 2 || got.ReleaseError != "" {
			t.Fatalf("entry after release: %+v", got)
		}

		again, err := s.Release(ctx, e.ID, "user:bob", relay.Deliver)
		if err != nil {
			t.Fatal(err)
		}
		if !again.AlreadyReleased || again.ReleasedBy != "admin:root" || !again.ReleasedAt.Equal(got.ReleasedAt) ||
			!strings.HasPrefix(again.String(), "already released at ") || !strings.HasSuffix(again.String(), " by admin:root") {
			t.Fatalf("second release: %+v (%s)", again, again)
		}
		if len(sk.Messages()) != 1 {
			t.Fatal("second release delivered again")
		}
		list, _ := s.List(ctx, Filter{Status: Released})
		if len(list) != 1 {
			t.Fatalf("released list: %v", list)
		}

		// The null sender goes out as MAIL FROM:<>.
		bounce := put(t, s, newEntry("bounce", "", "bob@example.net"))
		if _, err := s.Release(ctx, bounce.ID, "admin:root", relay.Deliver); err != nil {
			t.Fatal(err)
		}
		if m := sk.Messages()[1]; m.From != "" || !reflect.DeepEqual(m.To, []string{"bob@example.net"}) {
			t.Fatalf("bounce went out from %q to %v", m.From, m.To)
		}
		if _, err := s.Release(ctx, newID(), "x", relay.Deliver); !errors.Is(err, ErrNotFound) {
			t.Fatalf("release of unknown id: %v", err)
		}
	})
}

func TestReleaseRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{})
		sk := smtpsink.Start(t)
		relay := Relay{Addr: sk.Addr}
		e := put(t, s, newEntry("refused", "alice@example.org", "bob@example.net"))

		sk.RefuseData("554 5.7.1 content refused")
		res, err := s.Release(ctx, e.ID, "admin:root", relay.Deliver)
		if err == nil || !strings.Contains(err.Error(), "554 5.7.1 content refused") {
			t.Fatalf("release against a refusing relay: %v", err)
		}
		if len(res.Delivered) != 0 || res.Complete {
			t.Fatalf("result %+v", res)
		}
		got, _ := s.Get(ctx, e.ID)
		if got.Status() != Held || got.Releasing || !strings.Contains(got.ReleaseError, "554 5.7.1 content refused") ||
			got.ReleaseErrorAt.IsZero() || !bytes.Equal(got.Raw, e.Raw) {
			t.Fatalf("entry after failed release: status %s releasing %v error %q", got.Status(), got.Releasing, got.ReleaseError)
		}

		// Nothing listening at all.
		if _, err := s.Release(ctx, e.ID, "admin:root", Relay{Addr: "127.0.0.1:1", Timeout: 2 * time.Second}.Deliver); err == nil {
			t.Fatal("release to a closed port succeeded")
		}

		// Once the relay takes it, the release goes through and the error is cleared.
		sk.RefuseData("")
		if _, err := s.Release(ctx, e.ID, "admin:root", relay.Deliver); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Get(ctx, e.ID)
		if got.Status() != Released || got.ReleaseError != "" || len(sk.Messages()) != 1 {
			t.Fatalf("after retry: status %s error %q delivered %d", got.Status(), got.ReleaseError, len(sk.Messages()))
		}
	})
}

func TestReleasePartial(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{})
		sk := smtpsink.Start(t)
		relay := Relay{Addr: sk.Addr}
		e := put(t, s, newEntry("partial", "alice@example.org", "a@example.net", "full@example.net", "c@example.net"))

		sk.RefuseRcpt(func(r string) string {
			if r == "full@example.net" {
				return "552 5.2.2 mailbox full"
			}
			return ""
		})
		res, err := s.Release(ctx, e.ID, "admin:root", relay.Deliver)
		var rerr *RecipientsError
		if !errors.As(err, &rerr) || !strings.Contains(err.Error(), "<full@example.net> (552 5.2.2 mailbox full)") ||
			!strings.Contains(err.Error(), "1 of 3 recipients") {
			t.Fatalf("partial release error: %v", err)
		}
		if !reflect.DeepEqual(res.Delivered, []string{"a@example.net", "c@example.net"}) || res.Complete {
			t.Fatalf("result %+v", res)
		}
		got, _ := s.Get(ctx, e.ID)
		if got.Status() != Held || len(got.ReleasedTo) != 2 || !strings.Contains(got.ReleaseError, "mailbox full") {
			t.Fatalf("entry after partial release: %+v", got)
		}

		// The retry goes only to the recipient that missed it.
		sk.RefuseRcpt(nil)
		res, err = s.Release(ctx, e.ID, "admin:root", relay.Deliver)
		if err != nil || !res.Complete || !reflect.DeepEqual(res.Delivered, []string{"full@example.net"}) {
			t.Fatalf("retry: %+v %v", res, err)
		}
		msgs := sk.Messages()
		if len(msgs) != 2 || !reflect.DeepEqual(msgs[1].To, []string{"full@example.net"}) {
			t.Fatalf("sink: %+v", msgs)
		}

		// Every recipient refused: nothing delivered, nothing recorded as released.
		e2 := put(t, s, newEntry("allrefused", "alice@example.org", "x@example.net"))
		sk.RefuseRcpt(func(string) string { return "550 5.1.1 no such user" })
		_, err = s.Release(ctx, e2.ID, "admin:root", relay.Deliver)
		if !errors.As(err, &rerr) || len(rerr.Delivered) != 0 || !strings.Contains(err.Error(), "every recipient") {
			t.Fatalf("all refused: %v", err)
		}
		if got, _ := s.Get(ctx, e2.ID); len(got.ReleasedTo) != 0 || got.Status() != Held {
			t.Fatalf("entry after all refused: %+v", got)
		}
	})
}

// An end user releases their own copy and nobody else's.
func TestReleaseOnlyRecipient(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{})
		sk := smtpsink.Start(t)
		relay := Relay{Addr: sk.Addr}
		e := put(t, s, newEntry("mine", "alice@example.org", "bob@example.net", "carol@example.net"))

		if _, err := s.Release(ctx, e.ID, "user:mallory", relay.Deliver, "mallory@example.net"); !errors.Is(err, ErrNotRecipient) {
			t.Fatalf("release to a stranger: %v", err)
		}
		res, err := s.Release(ctx, e.ID, "user:bob@example.net", relay.Deliver, "BOB@example.net")
		if err != nil || res.Complete || !reflect.DeepEqual(res.Delivered, []string{"bob@example.net"}) {
			t.Fatalf("own release: %+v %v", res, err)
		}
		if m := sk.Messages(); len(m) != 1 || !reflect.DeepEqual(m[0].To, []string{"bob@example.net"}) {
			t.Fatalf("sink: %+v", m)
		}
		again, err := s.Release(ctx, e.ID, "user:bob@example.net", relay.Deliver, "bob@example.net")
		if err != nil || !again.AlreadyReleased || again.ReleasedBy != "user:bob@example.net" {
			t.Fatalf("bob again: %+v %v", again, err)
		}
		got, _ := s.Get(ctx, e.ID)
		if got.Status() != Held {
			t.Fatalf("status %s with carol still held", got.Status())
		}
		if list, _ := s.List(ctx, Filter{Recipient: "carol@example.net", Status: Held}); len(list) != 1 {
			t.Fatalf("carol's held list: %v", list)
		}
		res, err = s.Release(ctx, e.ID, "admin:root", relay.Deliver)
		if err != nil || !res.Complete || !reflect.DeepEqual(res.Delivered, []string{"carol@example.net"}) {
			t.Fatalf("admin release of the rest: %+v %v", res, err)
		}
	})
}

// A purge, a delete and a second release that come while a release is
// delivering leave the entry alone.
func TestReleaseBlocksPurge(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{})
		sk := smtpsink.Start(t)
		hold, gotData := make(chan struct{}), make(chan struct{}, 1)
		sk.HoldData(gotData, hold)
		relay := Relay{Addr: sk.Addr}
		e := newEntry("race", "alice@example.org", "bob@example.net")
		e.QuarantinedAt = time.Now().Add(-11 * 24 * time.Hour)
		e.ExpiresAt = time.Now().Add(-24 * time.Hour) // expired: the purge would take it
		put(t, s, e)

		type outcome struct {
			res ReleaseResult
			err error
		}
		done := make(chan outcome, 1)
		go func() {
			res, err := s.Release(ctx, e.ID, "admin:root", relay.Deliver)
			done <- outcome{res, err}
		}()
		select {
		case <-gotData: // the release is mid-delivery
		case o := <-done:
			t.Fatalf("release finished early: %+v %v", o.res, o.err)
		case <-time.After(10 * time.Second):
			t.Fatal("release never reached the sink")
		}
		n, err := s.Purge(ctx, time.Now())
		if err != nil || n != 0 {
			t.Fatalf("purge during release: %d %v", n, err)
		}
		if err := s.Delete(ctx, e.ID, "admin:other"); !errors.Is(err, ErrBusy) {
			t.Fatalf("delete during release: %v", err)
		}
		if _, err := s.Release(ctx, e.ID, "admin:other", relay.Deliver); !errors.Is(err, ErrBusy) {
			t.Fatalf("second release during release: %v", err)
		}
		if got, err := s.Get(ctx, e.ID); err != nil || !got.Releasing || got.ReleasingBy != "admin:root" {
			t.Fatalf("entry during release: %+v %v", got, err)
		}
		close(hold)
		o := <-done
		if o.err != nil || !o.res.Complete {
			t.Fatalf("release: %+v %v", o.res, o.err)
		}
		if len(sk.Messages()) != 1 {
			t.Fatalf("delivered %d times", len(sk.Messages()))
		}
		n, err = s.Purge(ctx, time.Now())
		if err != nil || n != 1 {
			t.Fatalf("purge after release: %d %v", n, err)
		}
		if _, err := s.Get(ctx, e.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("get after purge: %v", err)
		}
	})
}

// A release that crashed (mark left behind) blocks others only until its
// lease runs out.
func TestReleaseLeaseExpires(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{ReleaseTimeout: time.Minute})
		e := put(t, s, newEntry("crashed", "alice@example.org", "bob@example.net"))
		if _, err := s.db.Exec(s.q(`UPDATE quarantine_entries SET lock_until = ?, lock_token = 'dead', lock_by = 'crashed' WHERE id = ?`),
			toMicro(time.Now().Add(2*time.Minute)), e.ID); err != nil {
			t.Fatal(err)
		}
		sk := smtpsink.Start(t)
		if _, err := s.Release(ctx, e.ID, "admin:root", Relay{Addr: sk.Addr}.Deliver); !errors.Is(err, ErrBusy) {
			t.Fatalf("release while marked: %v", err)
		}
		if n, _ := s.Purge(ctx, e.ExpiresAt.Add(time.Hour)); n != 0 {
			t.Fatal("purge took a marked entry")
		}
		s.now = func() time.Time { return time.Now().Add(3 * time.Minute) } // the lease is over
		if _, err := s.Release(ctx, e.ID, "admin:root", Relay{Addr: sk.Addr}.Deliver); err != nil {
			t.Fatalf("release after the lease: %v", err)
		}
		if len(sk.Messages()) != 1 {
			t.Fatal("not delivered")
		}
	})
}

func TestPurge(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{Retention: 24 * time.Hour})
		now := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
		var keep []*Entry
		for i := 0; i < 30; i++ {
			e := newEntry(fmt.Sprint("p", i), "a@example.org", "b@example.net", "c@example.net")
			e.QuarantinedAt = now.Add(-time.Duration(i) * time.Hour * 2) // expires 24h later
			put(t, s, e)
			if !e.ExpiresAt.After(now) {
				continue
			}
			keep = append(keep, e)
		}
		deleted := newEntry("deleted-expired", "a@example.org", "b@example.net")
		deleted.QuarantinedAt = now.Add(-48 * time.Hour)
		put(t, s, deleted)
		if err := s.Delete(ctx, deleted.ID, "x"); err != nil {
			t.Fatal(err)
		}
		n, err := s.Purge(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := 30 - len(keep) + 1; n != want {
			t.Fatalf("purged %d, want %d", n, want)
		}
		list, _ := s.List(ctx, Filter{Limit: 1000})
		if len(list) != len(keep) {
			t.Fatalf("%d left, want %d", len(list), len(keep))
		}
		for _, table := range []string{"quarantine_entries", "quarantine_bodies"} {
			var c int
			s.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&c)
			if c != len(keep) {
				t.Errorf("%s has %d rows, want %d", table, c, len(keep))
			}
		}
		var c int
		s.db.QueryRow(`SELECT COUNT(*) FROM quarantine_recipients`).Scan(&c)
		if c != 2*len(keep) {
			t.Errorf("quarantine_recipients has %d rows, want %d", c, 2*len(keep))
		}
		if n, _ := s.Purge(ctx, now); n != 0 {
			t.Fatalf("second purge took %d", n)
		}
	})
}

func TestMigrations(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		// Several hosts starting at once on a fresh database.
		var wg sync.WaitGroup
		errs := make(chan error, 6)
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(ctx, dsn, Options{})
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent open: %v", err)
			}
		}
		s := openStore(t, dsn, Options{})
		e := put(t, s, newEntry("kept", "a@example.org", "b@example.net"))
		s2 := openStore(t, dsn, Options{}) // again: nothing to do, nothing lost
		if _, err := s2.Get(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		var rows, max int
		if err := s.db.QueryRow(`SELECT COUNT(*), MAX(version) FROM quarantine_schema`).Scan(&rows, &max); err != nil {
			t.Fatal(err)
		}
		if rows != SchemaVersion() || max != SchemaVersion() {
			t.Fatalf("schema table: %d rows, max %d, want %d", rows, max, SchemaVersion())
		}
		// A database from a newer Kensa is refused, not half-used.
		if _, err := s.db.Exec(s.q(`INSERT INTO quarantine_schema (version, applied_at) VALUES (?, 0)`), SchemaVersion()+1); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(ctx, dsn, Options{}); err == nil || !strings.Contains(err.Error(), "newer than this Kensa") {
			t.Fatalf("open of a newer schema: %v", err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{"mysql://root:hunter2@db/kensa", "hunter2", "sqlite:", "sqlite:///tmp/x.db?mode=ro", ""} {
		_, err := Open(ctx, dsn, Options{})
		if err == nil {
			t.Errorf("Open(%q) succeeded", dsn)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q) error shows the password: %v", dsn, err)
		}
	}
	if _, err := Open(ctx, "postgres://kensa:hunter2@127.0.0.1:1/kensa?connect_timeout=2", Options{}); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("Open of an unreachable server: %v", err)
	}
	if _, err := Open(ctx, "sqlite://"+t.TempDir()+"/q.db", Options{Retention: -time.Hour}); err == nil {
		t.Error("negative retention accepted")
	}
}

// The database file holds other people's mail, and a Put must be durable
// when it returns.
func TestSQLiteSettings(t *testing.T) {
	dir := t.TempDir() + "/state"
	s := openStore(t, "sqlite://"+dir+"/q.db", Options{})
	for path, want := range map[string]uint32{dir: 0o700, dir + "/q.db": 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := uint32(fi.Mode().Perm()); got != want {
			t.Errorf("%s has mode %o, want %o", path, got, want)
		}
	}
	for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "journal_size_limit": "67108864"} {
		var got string
		if err := s.db.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil || got != want {
			t.Errorf("PRAGMA %s = %q (%v), want %q", pragma, got, err, want)
		}
	}
}

// Two Kensa hosts on one database see one quarantine, and releases racing
// from both deliver once.
func TestSharedStore(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a, b := openStore(t, dsn, Options{}), openStore(t, dsn, Options{})
		sk := smtpsink.Start(t)
		relay := Relay{Addr: sk.Addr}
		e := put(t, a, newEntry("shared", "alice@example.org", "bob@example.net"))
		if l, err := b.List(ctx, Filter{Recipient: "bob@example.net"}); err != nil || len(l) != 1 || l[0].ID != e.ID {
			t.Fatalf("host b lists %v, %v", l, err)
		}

		const racers = 8
		var wg sync.WaitGroup
		results := make(chan error, racers)
		for i := 0; i < racers; i++ {
			s := a
			if i%2 == 1 {
				s = b
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := s.Release(ctx, e.ID, fmt.Sprint("admin:", i), relay.Deliver)
				if err == nil && res.AlreadyReleased {
					err = errAlready
				}
				results <- err
			}()
		}
		wg.Wait()
		close(results)
		var ok int
		for err := range results {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrBusy), errors.Is(err, errAlready):
			default:
				t.Errorf("racing release: %v", err)
			}
		}
		if ok != 1 || len(sk.Messages()) != 1 {
			t.Fatalf("%d releases succeeded, %d messages delivered; want 1 and 1", ok, len(sk.Messages()))
		}
		if got, err := a.Get(ctx, e.ID); err != nil || got.Status() != Released {
			t.Fatalf("host a sees %+v, %v", got, err)
		}
	})
}

var errAlready = errors.New("already released")
