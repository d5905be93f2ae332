package policy

import (
	"errors"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

// Finding 2 of issue 16: "release and allow the sender" stored "@gmail.com"
// from MAIL FROM:<@gmail.com> (which Postfix accepts), allow-listing a whole
// domain.
func TestAllowableSender(t *testing.T) {
	rcpts := []string{"bob@example.org", "carol@Example.ORG"}
	for _, tt := range []struct {
		sender string
		want   error
	}{
		{"alice@partner.example", nil},
		{"Alice.B+tag@mail.partner.example", nil},
		{"", ErrAllowNullSender},
		{"  ", ErrAllowNullSender},
		{"@gmail.com", ErrAllowNotAddress},
		{"gmail.com", ErrAllowNotAddress},
		{"alice@", ErrAllowNotAddress},
		{"alice@localhost", ErrAllowNotAddress},
		{"alice@[192.0.2.1]", ErrAllowNotAddress},
		{"@relay.example:alice@partner.example", ErrAllowNotAddress},
		{"alice@partner.example> SIZE=1", ErrAllowNotAddress},
		{"a lice@partner.example", ErrAllowNotAddress},
		{`"a@b"@partner.example`, ErrAllowNotAddress},
		{"alice@partner..example", ErrAllowNotAddress},
		{"alice@-partner.example", ErrAllowNotAddress},
		{".alice@partner.example", ErrAllowNotAddress},
		{"ceo@example.org", ErrAllowOwnDomain},
		{"ceo@EXAMPLE.org", ErrAllowOwnDomain},
	} {
		if err := AllowableSender(tt.sender, rcpts); !errors.Is(err, tt.want) && !(err == nil && tt.want == nil) {
			t.Errorf("AllowableSender(%q) = %v, want %v", tt.sender, err, tt.want)
		}
	}
}

// Allow-listing never covers the null sender or a sender in a recipient's
// own domain, whoever listed it.
func TestAllowSenderNeverCoversOwnDomain(t *testing.T) {
	c := Default()
	c.Allow = Allow{Senders: []string{"boss@example.com", "example.org", "@partner.example"}}
	for _, tt := range []struct {
		env    message.Envelope
		reason string
	}{
		{message.Envelope{Sender: "boss@example.com", Recipients: []string{"x@elsewhere.example"}}, "allow-sender"},
		{message.Envelope{Sender: "boss@example.com", Recipients: []string{"x@elsewhere.example", "y@Example.com"}}, ""},
		{message.Envelope{Sender: "anyone@example.org", Recipients: []string{"bob@example.org"}}, ""},
		{message.Envelope{Sender: "x@partner.example", Recipients: []string{"bob@example.org"}}, "allow-sender"},
		{message.Envelope{Sender: "", Recipients: []string{"bob@example.org"}}, ""},
	} {
		if got, _ := c.Allowed(tt.env); got != tt.reason {
			t.Errorf("Allowed(%+v) = %q, want %q", tt.env, got, tt.reason)
		}
	}
}
