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

// ReadOrigin reads an attached message's header as Parse reads the top
// message's, and nothing of its body.
func TestReadOrigin(t *testing.T) {
	inner := "From: \"PayPal\" <x@evil.example>\r\nReply-To: =?utf-8?q?Pay?= <r@evil.example>\r\nTo: =?utf-8?q?J=C3=B6?= <jo@acme.example>\r\n" +
		"Cc: kim@acme.example\r\nList-Id: <l.test>\r\n\r\nFrom: body@not.example\r\n"
	m, err := Parse([]byte("From: jo@acme.example\r\nContent-Type: message/rfc822\r\n\r\n" + inner))
	if err != nil {
		t.Fatal(err)
	}
	o, to := ReadOrigin([]byte(inner))
	if len(o.From) != 1 || o.From[0] != `"PayPal" <x@evil.example>` || len(o.ReplyTo) != 1 || o.ReplyTo[0] != "=?utf-8?q?Pay?= <r@evil.example>" || !o.ListID {
		t.Errorf("origin %+v", o)
	}
	if to != "Jö <jo@acme.example>, kim@acme.example" {
		t.Errorf("To and Cc %q", to)
	}
	// The same as Parse reads that message on its own.
	top, _ := Parse([]byte(inner))
	if strings.Join(top.Origin.From, "|") != strings.Join(o.From, "|") || top.To != to {
		t.Errorf("ReadOrigin %+v %q, Parse %+v %q", o, to, top.Origin, top.To)
	}
	if len(m.Parts) == 0 || m.Parts[0].DeclaredType != "message/rfc822" {
		t.Fatalf("parts %+v", m.Parts)
	}
	if got, _ := ReadOrigin(m.Parts[0].Content); strings.Join(got.From, "|") != strings.Join(o.From, "|") {
		t.Errorf("from the part: %+v", got)
	}
	if o, to := ReadOrigin(nil); len(o.From) != 0 || to != "" {
		t.Errorf("empty: %+v %q", o, to)
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
