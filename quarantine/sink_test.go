package quarantine

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
)

// sink is a small SMTP server for tests: it records what it accepts and can
// refuse recipients or the message.
type sink struct {
	ln net.Listener

	mu         sync.Mutex
	received   []sinkMsg
	refuseRcpt func(rcpt string) string // reply for a refused recipient, "" to accept
	dataReply  string                   // reply after the data, "" for 250
	hold       chan struct{}            // when set, the reply to the data waits for it
	gotData    chan struct{}            // when set, signalled when the data has arrived
}

// set changes the sink's behaviour under its lock.
func (s *sink) set(fn func(s *sink)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s)
}

type sinkMsg struct {
	helo, from string
	rcpts      []string
	data       []byte
}

func newSink(t *testing.T) *sink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &sink{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *sink) addr() string { return s.ln.Addr().String() }

func (s *sink) messages() []sinkMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sinkMsg(nil), s.received...)
}

func (s *sink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	reply := func(format string, a ...any) { fmt.Fprintf(c, format+"\r\n", a...) }
	reply("220 sink ESMTP")
	var m sinkMsg
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			m = sinkMsg{helo: arg}
			reply("250 sink")
		case "MAIL":
			m.from = addrArg(arg, "FROM:")
			m.rcpts = nil
			reply("250 ok")
		case "RCPT":
			rcpt := addrArg(arg, "TO:")
			s.mu.Lock()
			refuse := s.refuseRcpt
			s.mu.Unlock()
			if refuse != nil {
				if rep := refuse(rcpt); rep != "" {
					reply("%s", rep)
					continue
				}
			}
			m.rcpts = append(m.rcpts, rcpt)
			reply("250 ok")
		case "DATA":
			reply("354 go on")
			var data bytes.Buffer
			for {
				l, err := r.ReadBytes('\n')
				if err != nil {
					return
				}
				if string(l) == ".\r\n" {
					break
				}
				l = bytes.TrimPrefix(l, []byte(".")) // undo dot-stuffing
				data.Write(l)
			}
			s.mu.Lock()
			hold, gotData, dataReply := s.hold, s.gotData, s.dataReply
			s.mu.Unlock()
			if gotData != nil {
				gotData <- struct{}{}
			}
			if hold != nil {
				<-hold
			}
			if dataReply != "" {
				reply("%s", dataReply)
				continue
			}
			m.data = data.Bytes()
			s.mu.Lock()
			s.received = append(s.received, m)
			s.mu.Unlock()
			reply("250 queued")
		case "RSET":
			m.from, m.rcpts = "", nil
			reply("250 ok")
		case "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 unknown command")
		}
	}
}

// addrArg takes "FROM:<a@b> BODY=8BITMIME" apart into "a@b".
func addrArg(arg, prefix string) string {
	arg = strings.TrimSpace(arg)
	if len(arg) >= len(prefix) && strings.EqualFold(arg[:len(prefix)], prefix) {
		arg = arg[len(prefix):]
	}
	if i := strings.IndexByte(arg, '>'); i >= 0 {
		arg = arg[:i]
	}
	return strings.TrimPrefix(arg, "<")
}

// Bytes with a leading dot check that dot-stuffing survives the round trip.
func TestSinkUndoesDotStuffing(t *testing.T) {
	s := newSink(t)
	raw := []byte("Subject: x\r\n\r\n.leading dot\r\n..two\r\nend\r\n")
	r := Relay{Addr: s.addr()}
	if err := r.Deliver(t.Context(), &Entry{Raw: raw, Envelope: envelope("a@example.org", "b@example.net")}); err != nil {
		t.Fatal(err)
	}
	got := s.messages()
	if len(got) != 1 || !bytes.Equal(got[0].data, raw) {
		t.Fatalf("sink got %q, want %q", got, raw)
	}
}
