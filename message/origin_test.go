package message

import (
	"strings"
	"testing"
)

func TestOrigin(t *testing.T) {
	raw := "From: \"a\" <a@example.com>\r\nFrom: =?utf-8?q?b?= <b@example.org>\r\nSender: s@example.net\r\n" +
		"Reply-To: r@example.net,\r\n\tq@example.net\r\nReturn-Path: <bounce@example.com>\r\nList-Id: <dev.lists.test>\r\n" +
		"Subject: x\r\n\r\nbody\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	o := m.Origin
	if len(o.From) != 2 || o.From[0] != `"a" <a@example.com>` || o.From[1] != "=?utf-8?q?b?= <b@example.org>" {
		t.Errorf("From %q: want both fields as written", o.From)
	}
	if len(o.Sender) != 1 || len(o.ReplyTo) != 1 || o.ReplyTo[0] != "r@example.net, q@example.net" {
		t.Errorf("Sender %q Reply-To %q", o.Sender, o.ReplyTo)
	}
	if o.ReturnPath != "<bounce@example.com>" || !o.ListID {
		t.Errorf("Return-Path %q List-Id %v", o.ReturnPath, o.ListID)
	}
}

// A hostile From is bounded, and an address pushed far right with blanks
// or text stays.
func TestOriginBounds(t *testing.T) {
	far := "\"security@paypal.com" + strings.Repeat(" ", 1<<20) + "\" <x@evil.test>"
	if got := originValue(far); got != "\"security@paypal.com \" <x@evil.test>" {
		t.Errorf("blanks: got %q", got)
	}
	long := "\"" + strings.Repeat("ab", 1<<20) + "\" <x@evil.test>"
	got := originValue(long)
	if len(got) > MaxOriginBytes+1 || !strings.HasSuffix(got, "<x@evil.test>") || !strings.HasPrefix(got, "\"abab") {
		t.Errorf("long: %d bytes, ends %q", len(got), got[max(0, len(got)-20):])
	}
	var b strings.Builder
	for i := 0; i < 100; i++ {
		b.WriteString("From: <a@example.com>\r\n")
	}
	b.WriteString("\r\nx\r\n")
	m, _ := Parse([]byte(b.String()))
	if len(m.Origin.From) != MaxOriginFields {
		t.Errorf("%d From values kept, want %d", len(m.Origin.From), MaxOriginFields)
	}
	if got := originValue("a\t\t b"); got != "a b" {
		t.Errorf("got %q", got)
	}
}
