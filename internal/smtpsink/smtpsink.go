// Package smtpsink is a minimal SMTP server for tests: it keeps what it
// received and, on demand, refuses recipients or messages, or holds its
// reply to a message while the test looks at what the client does
// meanwhile.
package smtpsink

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one received message.
type Message struct {
	Helo string   // the name the client gave in EHLO or HELO
	From string   // MAIL FROM address; "" for the null sender
	To   []string // accepted recipients
	Data []byte   // dot-unstuffed, as the client sent it
}

// Sink is a running SMTP server on 127.0.0.1.
type Sink struct {
	Addr string
	ln   net.Listener
	done chan struct{} // closed when the sink stops: ends a held reply
	wg   sync.WaitGroup

	mu        sync.Mutex
	msgs      []Message
	rcptReply func(rcpt string) string
	dataReply string
	arrived   chan<- struct{}
	release   <-chan struct{}
}

// Start runs a sink until the test ends.
func Start(t testing.TB) *Sink {
	t.Helper()
	s, err := start()
	if err != nil {
		t.Fatalf("smtpsink: %v", err)
	}
	t.Cleanup(s.stop)
	return s
}

func start() (*Sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	s := &Sink{Addr: ln.Addr().String(), ln: ln, done: make(chan struct{})}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// stop closes the listener and every session, and waits for them.
func (s *Sink) stop() {
	close(s.done)
	s.ln.Close()
	s.wg.Wait()
}

// RefuseRcpt makes the sink answer RCPT TO with reply(rcpt) when that is
// not empty (for example "552 5.2.2 mailbox full"); nil accepts every
// recipient again. Safe while the sink is in use.
func (s *Sink) RefuseRcpt(reply func(rcpt string) string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcptReply = reply
}

// RefuseData makes the sink answer the end of a message's data with reply
// (for example "554 5.7.1 content refused") and keep nothing; "" accepts
// messages again.
func (s *Sink) RefuseData(reply string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dataReply = reply
}

// HoldData makes the sink, once a message's data has come in, send on
// arrived (when not nil) and wait until release is closed before it
// replies: to test what happens while a delivery is in flight. The end of
// the test ends the wait too, so a failed test does not hang.
// HoldData(nil, nil) replies at once again.
func (s *Sink) HoldData(arrived chan<- struct{}, release <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.arrived, s.release = arrived, release
}

// Messages returns what has been received so far.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait waits until n messages arrived or d passed, and returns them.
func (s *Sink) Wait(n int, d time.Duration) []Message {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if m := s.Messages(); len(m) >= n {
			return m
		}
		time.Sleep(10 * time.Millisecond)
	}
	return s.Messages()
}

func (s *Sink) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() { defer s.wg.Done(); s.session(c) }()
	}
}

func (s *Sink) session(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	ended := make(chan struct{})
	defer close(ended)
	go func() { // stopping the sink ends the session at once
		select {
		case <-s.done:
			c.Close()
		case <-ended:
		}
	}()
	r := bufio.NewReader(c)
	say := func(format string, a ...any) { fmt.Fprintf(c, format+"\r\n", a...) }
	say("220 sink ESMTP")
	var m Message
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			m = Message{Helo: arg}
			say("250 sink")
		case "MAIL":
			m = Message{Helo: m.Helo, From: addrArg(arg, "FROM:")}
			say("250 ok")
		case "RCPT":
			to := addrArg(arg, "TO:")
			if reply := s.rcptRefusal(to); reply != "" {
				say("%s", reply)
				continue
			}
			m.To = append(m.To, to)
			say("250 ok")
		case "DATA":
			say("354 go on")
			var buf bytes.Buffer
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
				buf.WriteString(strings.TrimPrefix(l, ".")) // undo dot-stuffing
			}
			if reply := s.dataRefusal(); reply != "" {
				say("%s", reply)
				continue
			}
			m.Data = buf.Bytes()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			say("250 queued")
		case "RSET":
			m = Message{Helo: m.Helo}
			say("250 ok")
		case "NOOP":
			say("250 ok")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 5.5.2 unknown command")
		}
	}
}

// rcptRefusal is the reply that refuses rcpt, "" to accept it.
func (s *Sink) rcptRefusal(rcpt string) string {
	s.mu.Lock()
	reply := s.rcptReply
	s.mu.Unlock()
	if reply == nil {
		return ""
	}
	return reply(rcpt)
}

// dataRefusal holds the reply to a message's data if asked to, then says
// the reply that refuses it, "" to accept it.
func (s *Sink) dataRefusal() string {
	s.mu.Lock()
	arrived, release, reply := s.arrived, s.release, s.dataReply
	s.mu.Unlock()
	if arrived != nil {
		select {
		case arrived <- struct{}{}:
		case <-s.done:
		}
	}
	if release != nil {
		select {
		case <-release:
		case <-s.done:
		}
	}
	return reply
}

// addrArg takes "FROM:<a@b> BODY=8BITMIME" apart into "a@b".
func addrArg(arg, prefix string) string {
	arg = strings.TrimSpace(arg)
	if len(arg) >= len(prefix) && strings.EqualFold(arg[:len(prefix)], prefix) {
		arg = strings.TrimSpace(arg[len(prefix):])
	}
	if i := strings.IndexByte(arg, '>'); i >= 0 {
		arg = arg[:i]
	}
	return strings.TrimPrefix(arg, "<")
}
