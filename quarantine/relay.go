package quarantine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/kensa-milter/kensa/policy"
)

// Relay re-injects released messages by SMTP with their original envelope
// (MAIL FROM and every RCPT TO), the message bytes unchanged.
//
// The relay must not pass the message through Kensa again, or it would come
// straight back to the quarantine. For Postfix, add an smtpd service without
// milters or content filters to master.cf, listening where only Kensa can
// reach it, and point Addr at it:
//
//	127.0.0.1:10026 inet n - n - - smtpd
//	  -o smtpd_milters= -o non_smtpd_milters= -o content_filter=
//	  -o mynetworks=127.0.0.0/8 -o smtpd_client_restrictions=permit_mynetworks,reject
//
// (With Kensa on another host, listen on an address that host can reach and
// put that host in mynetworks.) For Sendmail, a second DaemonPortOptions
// without InputMailFilters serves the same purpose.
type Relay struct {
	Addr     string        // host:port of the relay
	HeloName string        // name sent in EHLO; default "localhost"
	Timeout  time.Duration // for the whole delivery; default 2 minutes
}

// Refusal is one recipient the relay would not take, with its reply.
type Refusal struct {
	Recipient string
	Reply     string // "550 5.1.1 <x@example.com>: Recipient address rejected"
}

// RecipientsError says the relay refused some recipients. Delivered lists
// those it accepted and that got the message; empty when it refused all.
type RecipientsError struct {
	Delivered []string
	Refused   []Refusal
}

func (e *RecipientsError) Error() string {
	parts := make([]string, len(e.Refused))
	for i, r := range e.Refused {
		parts[i] = fmt.Sprintf("<%s> (%s)", r.Recipient, r.Reply)
	}
	what := "every recipient"
	if len(e.Delivered) > 0 {
		what = fmt.Sprintf("%d of %d recipients", len(e.Refused), len(e.Refused)+len(e.Delivered))
	}
	return fmt.Sprintf("relay refused %s: %s", what, strings.Join(parts, ", "))
}

// replyError shows an SMTP reply as the server wrote it (textproto quotes the text).
type replyError struct{ reply *textproto.Error }

func (e replyError) Error() string { return fmt.Sprintf("%d %s", e.reply.Code, e.reply.Msg) }
func (e replyError) Unwrap() error { return e.reply }

// step names a failed SMTP step, keeping the server's reply readable.
func step(name string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		err = replyError{te}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// Deliver sends e.Raw to the relay from e.Envelope.Sender to every address
// of e.Envelope.Recipients. It returns nil only when the relay accepted the
// message for all of them; a *RecipientsError when it accepted it for some.
func (r Relay) Deliver(ctx context.Context, e *Entry) error {
	if err := r.deliver(ctx, e); err != nil {
		return fmt.Errorf("relay %s: %w", r.Addr, err)
	}
	return nil
}

func (r Relay) deliver(ctx context.Context, e *Entry) error {
	if r.Addr == "" {
		return errors.New("no relay address configured")
	}
	if len(e.Envelope.Recipients) == 0 {
		return errors.New("no recipients")
	}
	if !policy.Reinjectable(e.Envelope) {
		return ErrUnsafeAddress
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", r.Addr)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	// Cancelling ctx unblocks any read or write at once.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	host, _, _ := net.SplitHostPort(r.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return step("greeting", err)
	}
	defer c.Close()
	helo := r.HeloName
	if helo == "" {
		helo = "localhost"
	}
	if err := c.Hello(helo); err != nil {
		return step("EHLO", err)
	}
	if err := c.Mail(e.Envelope.Sender); err != nil {
		return step("MAIL FROM:<"+e.Envelope.Sender+">", err)
	}
	var accepted []string
	var refused []Refusal
	for _, rcpt := range e.Envelope.Recipients {
		err := c.Rcpt(rcpt)
		var te *textproto.Error
		switch {
		case err == nil:
			accepted = append(accepted, rcpt)
		case errors.As(err, &te):
			refused = append(refused, Refusal{Recipient: rcpt, Reply: clean(fmt.Sprintf("%d %s", te.Code, te.Msg), maxShort)})
		default: // the connection failed: nobody gets anything
			return fmt.Errorf("RCPT TO:<%s>: %w", rcpt, err)
		}
	}
	if len(accepted) == 0 {
		_ = c.Quit()
		return &RecipientsError{Refused: refused}
	}
	w, err := c.Data()
	if err != nil {
		return step("DATA", err)
	}
	if _, err := w.Write(crlf(e.Raw)); err != nil {
		return step("send message", err)
	}
	if err := w.Close(); err != nil { // the reply to the final dot
		return step("end of data", err)
	}
	_ = c.Quit() // the message is accepted; a failed QUIT changes nothing
	if len(refused) > 0 {
		return &RecipientsError{Delivered: accepted, Refused: refused}
	}
	return nil
}

// ErrUnsafeAddress: an envelope address cannot be given to the relay as it
// is (it holds "<", ">", blanks or control characters, and would pass
// ESMTP parameters along). Such messages are held by the MTA, never stored.
var ErrUnsafeAddress = errors.New("an envelope address holds <, >, blanks or control characters")

// crlf makes every line end CRLF: a bare CR or LF, which the relay might
// read as a line end (a bare CR before a dot, say), becomes CRLF, so the
// message arrives as the recipient's client will read it.
func crlf(raw []byte) []byte {
	n := 0
	for i, c := range raw {
		if (c == '\r' && (i+1 == len(raw) || raw[i+1] != '\n')) || (c == '\n' && (i == 0 || raw[i-1] != '\r')) {
			n++
		}
	}
	if n == 0 {
		return raw
	}
	out := make([]byte, 0, len(raw)+n)
	for i, c := range raw {
		switch {
		case c == '\r' && (i+1 == len(raw) || raw[i+1] != '\n'):
			out = append(out, '\r', '\n')
		case c == '\n' && (i == 0 || raw[i-1] != '\r'):
			out = append(out, '\r', '\n')
		default:
			out = append(out, c)
		}
	}
	return out
}
