//go:build integration

package integration

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"time"
)

// smtpResult is how an SMTP transaction ended: the step and the server's
// reply there. Code 250 at stage "eod" means the MTA took the message.
type smtpResult struct {
	Stage string // connect, ehlo, mail, rcpt, data, eod
	Code  int
	Text  string
	Err   error // transport error (connection lost), not an SMTP reply
}

func (r smtpResult) String() string {
	if r.Err != nil {
		return fmt.Sprintf("%s: %v", r.Stage, r.Err)
	}
	return fmt.Sprintf("%s: %d %s", r.Stage, r.Code, r.Text)
}

// line is the reply as the client saw it: "550 5.7.1 …".
func (r smtpResult) line() string { return fmt.Sprintf("%d %s", r.Code, r.Text) }

// accepted says the MTA answered 250 at the end of DATA.
func (r smtpResult) accepted() bool { return r.Stage == "eod" && r.Code == 250 }

// mail is one SMTP transaction to send.
type mail struct {
	From string
	To   []string
	Data []byte // with CRLF line ends; dot-stuffed by send
	// beforeDot, when set, runs after all but the last line of the body
	// was sent and before the terminating dot (to break things mid-message).
	beforeDot func()
}

// send speaks SMTP to addr (net/textproto, so every reply code and text is
// visible to the test).
func send(addr string, m mail) smtpResult {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return smtpResult{Stage: "connect", Err: err}
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Minute))
	c := textproto.NewConn(conn)
	step := func(stage string, want int, format string, args ...any) (smtpResult, bool) {
		if format != "" {
			if err := c.PrintfLine(format, args...); err != nil {
				return smtpResult{Stage: stage, Err: err}, false
			}
		}
		code, text, err := c.ReadResponse(want)
		var perr *textproto.Error
		if errors.As(err, &perr) {
			return smtpResult{Stage: stage, Code: perr.Code, Text: perr.Msg}, false
		}
		if err != nil {
			return smtpResult{Stage: stage, Err: err}, false
		}
		return smtpResult{Stage: stage, Code: code, Text: text}, true
	}
	if r, ok := step("connect", 220, ""); !ok {
		return r
	}
	r, ok := step("ehlo", 250, "EHLO client.test")
	if !ok {
		return r
	}
	params := ""
	if strings.Contains(r.Text, "8BITMIME") {
		params = " BODY=8BITMIME"
	}
	if r, ok := step("mail", 250, "MAIL FROM:<%s>%s", m.From, params); !ok {
		return r
	}
	for _, to := range m.To {
		if r, ok := step("rcpt", 250, "RCPT TO:<%s>", to); !ok {
			return r
		}
	}
	if r, ok := step("data", 354, "DATA"); !ok {
		return r
	}
	body := dotStuff(m.Data)
	head := body
	var tail []byte
	if m.beforeDot != nil {
		// Keep the last line back so the MTA cannot finish the message early.
		if i := bytes.LastIndex(body[:len(body)-2], []byte("\r\n")); i > 0 {
			head, tail = body[:i+2], body[i+2:]
		}
	}
	if _, err := c.W.Write(head); err != nil {
		return smtpResult{Stage: "eod", Err: err}
	}
	if err := c.W.Flush(); err != nil {
		return smtpResult{Stage: "eod", Err: err}
	}
	if m.beforeDot != nil {
		m.beforeDot()
	}
	c.W.Write(tail)
	c.W.WriteString(".\r\n")
	if err := c.W.Flush(); err != nil {
		return smtpResult{Stage: "eod", Err: err}
	}
	r, _ = step("eod", 250, "")
	c.PrintfLine("QUIT")
	return r
}

// dotStuff doubles leading dots and makes sure the data ends with CRLF.
func dotStuff(data []byte) []byte {
	var b bytes.Buffer
	for _, line := range bytes.SplitAfter(data, []byte("\r\n")) {
		if len(line) == 0 {
			continue
		}
		if line[0] == '.' {
			b.WriteByte('.')
		}
		b.Write(line)
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes()
}
