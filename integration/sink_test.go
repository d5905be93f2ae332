//go:build integration

package integration

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// delivered is one message as an MTA handed it to the sink.
type delivered struct {
	From string
	To   []string
	Data []byte // as received, dot-unstuffed, CRLF line ends
}

// sink is the final destination of every MTA in the tests: a small SMTP
// server that accepts everything and keeps it.
type sink struct {
	ln   net.Listener
	Port int
	log  logBuffer

	mu   sync.Mutex
	msgs []delivered
}

const sinkMaxMessage = 64 << 20

func startSink(t testing.TB) *sink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("sink: listen: %v", err)
	}
	s := &sink{ln: ln, Port: ln.Addr().(*net.TCPAddr).Port}
	go s.serve(ln)
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.ln.Close()
	})
	dumpOnFailure(t, "sink log", s.log.String)
	return s
}

// down closes the sink's listener: the MTA's deliveries are refused, as by
// a mail server that is down.
func (s *sink) down() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ln.Close()
	s.logf("down")
}

// up listens again on the same port.
func (s *sink) up(t testing.TB) {
	t.Helper()
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port))
	if err != nil {
		t.Fatalf("sink: listen again on %d: %v", s.Port, err)
	}
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	s.logf("up")
	go s.serve(ln)
}

func (s *sink) logf(format string, args ...any) {
	fmt.Fprintf(&s.log, time.Now().Format("15:04:05.000 ")+format+"\n", args...)
}

func (s *sink) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go s.session(c)
	}
}

func (s *sink) session(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Minute))
	r := bufio.NewReader(io.LimitReader(c, sinkMaxMessage+1<<20))
	w := bufio.NewWriter(c)
	reply := func(line string) {
		w.WriteString(line + "\r\n")
		w.Flush()
	}
	reply("220 sink.test ESMTP kensa-test-sink")
	var cur delivered
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(line)
		if i := strings.IndexByte(verb, ' '); i >= 0 {
			verb = verb[:i]
		}
		switch verb {
		case "EHLO":
			reply("250-sink.test")
			reply("250-8BITMIME")
			reply("250-SMTPUTF8")
			reply("250 SIZE 67108864")
		case "HELO":
			reply("250 sink.test")
		case "MAIL":
			cur = delivered{From: angle(line)}
			reply("250 2.1.0 Ok")
		case "RCPT":
			cur.To = append(cur.To, angle(line))
			reply("250 2.1.5 Ok")
		case "DATA":
			if len(cur.To) == 0 {
				reply("503 5.5.1 no recipients")
				continue
			}
			reply("354 go ahead")
			data, err := readData(r)
			if err != nil {
				s.logf("DATA from %s: %v", c.RemoteAddr(), err)
				return
			}
			cur.Data = data
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			n := len(s.msgs)
			s.mu.Unlock()
			s.logf("stored #%d from=<%s> to=%v size=%d", n, cur.From, cur.To, len(data))
			reply(fmt.Sprintf("250 2.0.0 Ok: stored as sink%d", n))
			cur = delivered{}
		case "RSET":
			cur = delivered{}
			reply("250 2.0.0 Ok")
		case "NOOP":
			reply("250 2.0.0 Ok")
		case "QUIT":
			reply("221 2.0.0 Bye")
			return
		default:
			reply("502 5.5.2 not implemented")
		}
	}
}

// readData reads a DATA section up to the lone dot and undoes dot-stuffing.
func readData(r *bufio.Reader) ([]byte, error) {
	var buf bytes.Buffer
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return nil, fmt.Errorf("reading DATA: %w", err)
		}
		if string(line) == ".\r\n" || string(line) == ".\n" {
			return buf.Bytes(), nil
		}
		if line[0] == '.' {
			line = line[1:]
		}
		if buf.Len()+len(line) > sinkMaxMessage {
			return nil, fmt.Errorf("message over %d bytes", sinkMaxMessage)
		}
		buf.Write(line)
	}
}

// angle returns the address between < and > in a MAIL or RCPT command.
func angle(cmd string) string {
	i, j := strings.IndexByte(cmd, '<'), strings.IndexByte(cmd, '>')
	if i < 0 || j < i {
		return ""
	}
	return cmd[i+1 : j]
}

// with returns the delivered messages whose data contains token.
func (s *sink) with(token string) []delivered {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []delivered
	for _, m := range s.msgs {
		if bytes.Contains(m.Data, []byte(token)) {
			out = append(out, m)
		}
	}
	return out
}

// waitFor waits until at least n messages containing token arrived.
func (s *sink) waitFor(token string, n int, timeout time.Duration) []delivered {
	var got []delivered
	eventually(timeout, func() bool {
		got = s.with(token)
		return len(got) >= n
	})
	return got
}
