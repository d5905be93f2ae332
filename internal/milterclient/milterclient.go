// Package milterclient drives one SMTP transaction through a milter with
// go-milter's client, the way Postfix does, for tests that talk to a real
// Kensa milter (in process or a `kensa serve` child process).
package milterclient

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strings"

	gomilter "github.com/d--j/go-milter"
)

// Mail is one SMTP transaction.
type Mail struct {
	QueueID string
	From    string
	Rcpts   []string
	Raw     []byte // header and body, CRLF line ends
}

// Result is the milter's end-of-message answer.
type Result struct {
	Action *gomilter.Action
	Mods   []gomilter.ModifyAction
}

// Outcome names the decision as Kensa's actions do: "accept", "reject",
// "tempfail", "discard", "quarantine" (accept with a quarantine
// modification), or "other(…)".
func (r Result) Outcome() string {
	if r.Action == nil {
		return "none"
	}
	switch r.Action.Type {
	case gomilter.ActionAccept, gomilter.ActionContinue:
		for _, m := range r.Mods {
			if m.Type == gomilter.ActionQuarantine {
				return "quarantine"
			}
		}
		return "accept"
	case gomilter.ActionDiscard:
		return "discard"
	case gomilter.ActionReject:
		return "reject"
	case gomilter.ActionTempFail:
		return "tempfail"
	case gomilter.ActionRejectWithCode:
		if r.Action.SMTPCode >= 500 {
			return "reject"
		}
		return "tempfail"
	}
	return fmt.Sprintf("other(%v)", r.Action)
}

// Send runs m through the milter at addr ("tcp", "127.0.0.1:8898" or
// "unix", "/path"). Any step that does not continue is an error.
func Send(network, addr string, m Mail) (Result, error) {
	macros := gomilter.NewMacroBag()
	if m.QueueID == "" {
		m.QueueID = "4TEST1"
	}
	macros.Set(gomilter.MacroQueueId, m.QueueID)
	sess, err := gomilter.NewClient(network, addr).Session(macros)
	if err != nil {
		return Result{}, fmt.Errorf("milter session with %s: %w", addr, err)
	}
	defer sess.Close()
	type step struct {
		what string
		do   func() (*gomilter.Action, error)
	}
	steps := []step{
		{"connect", func() (*gomilter.Action, error) {
			return sess.Conn("client.example.net", gomilter.FamilyInet, 40123, "192.0.2.10")
		}},
		{"helo", func() (*gomilter.Action, error) { return sess.Helo("client.example.net") }},
		{"mail", func() (*gomilter.Action, error) { return sess.Mail(m.From, "") }},
	}
	for _, r := range m.Rcpts {
		steps = append(steps, step{"rcpt", func() (*gomilter.Action, error) { return sess.Rcpt(r, "") }})
	}
	head, body, ok := bytes.Cut(m.Raw, []byte("\r\n\r\n"))
	if !ok {
		return Result{}, errors.New("milterclient: message has no header/body separator")
	}
	steps = append(steps, step{"data", sess.DataStart})
	for _, f := range fields(string(head)) {
		steps = append(steps, step{"header", func() (*gomilter.Action, error) { return sess.HeaderField(f[0], f[1], nil) }})
	}
	steps = append(steps, step{"end of header", sess.HeaderEnd})
	for _, st := range steps {
		act, err := st.do()
		if err != nil {
			return Result{}, fmt.Errorf("milter %s: %w", st.what, err)
		}
		if act.Type != gomilter.ActionContinue {
			return Result{Action: act}, fmt.Errorf("milter %s: got %v, want continue", st.what, act)
		}
	}
	mods, act, err := sess.BodyReadFrom(bytes.NewReader(body))
	if err != nil {
		return Result{}, fmt.Errorf("milter body: %w", err)
	}
	return Result{Action: act, Mods: mods}, nil
}

// Addr splits a net.Addr into what Send takes.
func Addr(a net.Addr) (network, addr string) { return a.Network(), a.String() }

// fields splits a header block into name and value (as it follows the
// colon, folds kept).
func fields(head string) [][2]string {
	var fs [][2]string
	for _, line := range strings.Split(head, "\r\n") {
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(fs) > 0 {
			fs[len(fs)-1][1] += "\r\n" + line
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		fs = append(fs, [2]string{name, value})
	}
	return fs
}
