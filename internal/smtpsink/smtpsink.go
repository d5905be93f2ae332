// Package smtpsink is the one SMTP server of Kensa's tests, benchmarks and
// trial: the MTAs of the integration suite relay to it, release and digest
// tests deliver to it, kensa-bench counts with it, and the compose trial's
// mailbox keeps what Postfix delivers with it. It keeps what it received
// (or hands each message to a hook), and on demand refuses recipients or
// messages, holds its reply to a message while the test looks at what the
// client does meanwhile, or goes down and comes up again on the same port.
// Everything a client sends is bounded.
package smtpsink

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// Bounds of what a client may send.
const (
	MaxSize       = 64 << 20 // bytes of one message by default; a larger one is refused with 552
	MaxConns      = 100      // sessions at once by default; more are told 421
	maxLine       = 1000     // bytes of one command line (RFC 5321: 512; text lines 1000)
	maxRecipients = 100
	idleTimeout   = 5 * time.Minute
	maxLog        = 1 << 20 // bytes of Log; later events are dropped
)

// Options are a sink's name and bounds; zero values take the defaults.
type Options struct {
	Name     string // in the greeting and the EHLO reply; "sink.test"
	MaxSize  int    // bytes of one message; MaxSize
	MaxConns int    // sessions at once; MaxConns
}

// Message is one received message.
type Message struct {
	Helo string   // the name the client gave in EHLO or HELO
	From string   // MAIL FROM address; "" for the null sender
	To   []string // accepted recipients
	Data []byte   // dot-unstuffed, as the client sent it (CRLF line ends from an MTA)
}

// Sink is a running SMTP server on 127.0.0.1.
type Sink struct {
	Addr string // host:port
	Port int

	name  string
	done  chan struct{} // closed when the sink stops: ends sessions and held replies
	wg    sync.WaitGroup
	slots chan struct{} // one per session

	mu        sync.Mutex
	ln        net.Listener
	maxSize   int // MaxSize; tests of the bound set less
	msgs      []Message
	onMessage func(Message) string
	rcptReply func(rcpt string) string
	dataReply string
	arrived   chan<- struct{}
	release   <-chan struct{}
	log       bytes.Buffer
}

// TB is what Start needs of a test (testing.TB has it).
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Start runs a sink until the test ends.
func Start(t TB) *Sink {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatalf("smtpsink: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// New runs a sink on a port of 127.0.0.1 until Close (for a program such
// as kensa-bench; a test calls Start).
func New() (*Sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return Serve(ln, Options{}), nil
}

// Serve runs a sink on ln until Close.
func Serve(ln net.Listener, o Options) *Sink {
	if o.Name == "" {
		o.Name = "sink.test"
	}
	if o.MaxSize <= 0 {
		o.MaxSize = MaxSize
	}
	if o.MaxConns <= 0 {
		o.MaxConns = MaxConns
	}
	s := &Sink{Addr: ln.Addr().String(), ln: ln, name: o.Name, maxSize: o.MaxSize,
		done: make(chan struct{}), slots: make(chan struct{}, o.MaxConns)}
	if a, ok := ln.Addr().(*net.TCPAddr); ok {
		s.Port = a.Port
	}
	s.wg.Add(1)
	go s.serve(ln)
	return s
}

// Close closes the listener and every session, and waits for them.
func (s *Sink) Close() {
	close(s.done)
	s.mu.Lock()
	s.ln.Close()
	s.mu.Unlock()
	s.wg.Wait()
}

// Down closes the listener: new connections are refused, as by a mail
// server that is down. Sessions already open go on.
func (s *Sink) Down() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ln.Close()
	s.logf("down")
}

// Up listens again on the same port after Down.
func (s *Sink) Up() error {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("smtpsink: listen again on %s: %w", s.Addr, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ln = ln
	s.logf("up")
	s.wg.Add(1)
	go s.serve(ln)
	return nil
}

// OnMessage hands each accepted message to f, in the session that received
// it and before the client gets its reply, instead of keeping it: for a
// caller that counts or stores messages its own way. f returns what the
// reply says after "250 2.0.0" ("" for "counted"). m.Data is valid only
// during the call (the session reads the next message into the same
// buffer). nil keeps messages again.
func (s *Sink) OnMessage(f func(m Message) string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onMessage = f
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

// Log is what happened, a line an event (a message kept, a refusal, down
// and up, a session that broke off), for a failed test to show.
func (s *Sink) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// logf adds a line to the log; s.mu must be held.
func (s *Sink) logf(format string, a ...any) {
	if s.log.Len() < maxLog {
		fmt.Fprintf(&s.log, time.Now().Format("15:04:05.000 ")+format+"\n", a...)
	}
}

func (s *Sink) event(format string, a ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logf(format, a...)
}

func (s *Sink) serve(ln net.Listener) {
	defer s.wg.Done()
	for pause := time.Duration(0); ; {
		c, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil { // out of file descriptors, say: wait, then go on
			s.event("accept: %v", err)
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			select {
			case <-time.After(pause):
				continue
			case <-s.done:
				return
			}
		}
		pause = 0
		select {
		case s.slots <- struct{}{}:
		default:
			s.event("refused a connection: %d sessions", cap(s.slots))
			fmt.Fprint(c, "421 4.3.2 too many connections\r\n")
			c.Close()
			continue
		}
		s.wg.Add(1)
		go func() {
			defer func() { <-s.slots; s.wg.Done() }()
			s.session(c)
		}()
	}
}

var (
	errLineTooLong = errors.New("line too long")
	errTooBig      = errors.New("message too big")
)

func (s *Sink) session(c net.Conn) {
	defer c.Close()
	ended := make(chan struct{})
	defer close(ended)
	go func() { // stopping the sink ends the session at once
		select {
		case <-s.done:
			c.Close()
		case <-ended:
		}
	}()
	s.mu.Lock()
	maxSize := s.maxSize
	s.mu.Unlock()
	r, w := bufio.NewReaderSize(c, 64<<10), bufio.NewWriter(c)
	say := func(format string, a ...any) {
		fmt.Fprintf(w, format+"\r\n", a...)
		w.Flush()
	}
	say("220 %s ESMTP", s.name)
	var m Message
	haveFrom := false
	var data bytes.Buffer // reused from message to message
	for {
		_ = c.SetDeadline(time.Now().Add(idleTimeout))
		line, err := readLine(r)
		if errors.Is(err, errLineTooLong) {
			say("500 5.5.2 line too long")
			return
		}
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			m, haveFrom = Message{Helo: arg}, false
			say("250-%s\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE %d", s.name, maxSize)
		case "HELO":
			m, haveFrom = Message{Helo: arg}, false
			say("250 %s", s.name)
		case "MAIL":
			from, ok := pathArg(arg, "FROM:")
			if !ok {
				say("501 5.5.4 syntax: MAIL FROM:<address>")
				continue
			}
			m, haveFrom = Message{Helo: m.Helo, From: from}, true
			say("250 2.1.0 ok")
		case "RCPT":
			to, ok := pathArg(arg, "TO:")
			switch {
			case !haveFrom:
				say("503 5.5.1 MAIL first")
			case !ok || to == "":
				say("501 5.5.4 syntax: RCPT TO:<address>")
			case len(m.To) >= maxRecipients:
				say("452 4.5.3 too many recipients")
			default:
				if reply := s.rcptRefusal(to); reply != "" {
					s.event("refused RCPT <%s>: %s", to, reply)
					say("%s", reply)
					continue
				}
				m.To = append(m.To, to)
				say("250 2.1.5 ok")
			}
		case "DATA":
			if len(m.To) == 0 {
				say("503 5.5.1 RCPT first")
				continue
			}
			say("354 go on")
			err := readData(r, &data, maxSize)
			done := m
			m, haveFrom = Message{Helo: m.Helo}, false
			if errors.Is(err, errTooBig) {
				s.event("refused a message over %d bytes from <%s>", maxSize, done.From)
				say("552 5.3.4 message over %d bytes", maxSize)
				continue
			}
			if err != nil {
				s.event("DATA from %s: %v", c.RemoteAddr(), err)
				return
			}
			if reply := s.dataRefusal(); reply != "" {
				s.event("refused DATA from <%s>: %s", done.From, reply)
				say("%s", reply)
				continue
			}
			say("250 2.0.0 %s", s.accept(done, data.Bytes()))
		case "RSET":
			m, haveFrom = Message{Helo: m.Helo}, false
			say("250 2.0.0 ok")
		case "NOOP":
			say("250 2.0.0 ok")
		case "VRFY":
			say("252 2.0.0 send some mail, I will try my best")
		case "QUIT":
			say("221 2.0.0 bye")
			return
		default:
			say("500 5.5.2 command not recognised")
		}
	}
}

// accept keeps m with data, or hands it to the hook, and says so for the reply.
func (s *Sink) accept(m Message, data []byte) string {
	s.mu.Lock()
	hook := s.onMessage
	s.mu.Unlock()
	if hook != nil {
		m.Data = data
		if text := hook(m); text != "" {
			return text
		}
		return "counted"
	}
	m.Data = bytes.Clone(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	n := len(s.msgs)
	s.logf("kept #%d from=<%s> to=%v size=%d", n, m.From, m.To, len(m.Data))
	return fmt.Sprintf("kept as sink%d", n)
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

// readLine reads one command line without its CRLF (or LF), refusing one
// longer than maxLine.
func readLine(r *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine+2 {
			return "", errLineTooLong
		}
		if err == nil {
			return strings.TrimRight(string(line), "\r\n"), nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return "", err
		}
	}
}

// readData reads a message into buf up to the lone dot, undoing
// dot-stuffing. Lines of any length are read in pieces; a message over
// max is read to its end and dropped (errTooBig), so the session can
// go on.
func readData(r *bufio.Reader, buf *bytes.Buffer, max int) error {
	buf.Reset()
	tooBig := false
	atStart := true // the next piece begins a line
	for {
		chunk, err := r.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("reading DATA: %w", err)
		}
		if atStart {
			if bytes.Equal(chunk, []byte(".\r\n")) || bytes.Equal(chunk, []byte(".\n")) {
				break
			}
			if chunk[0] == '.' {
				chunk = chunk[1:]
			}
		}
		atStart = len(chunk) > 0 && chunk[len(chunk)-1] == '\n'
		if buf.Len()+len(chunk) > max {
			tooBig = true
			buf.Reset()
		}
		if !tooBig {
			buf.Write(chunk)
		}
	}
	if tooBig {
		return errTooBig
	}
	return nil
}

// pathArg takes "FROM:<a@b> SIZE=12" apart: the address between < and >
// (the parameters after it are ignored); false when there are no brackets.
func pathArg(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", false
	}
	return rest[1:end], true
}
