package smtpsink

import (
	"bufio"
	"bytes"
	"net"
	"net/textproto"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// client talks to the sink line by line and checks every reply code.
type client struct {
	t *testing.T
	c *textproto.Conn
}

func dial(t *testing.T, s *Sink) *client {
	t.Helper()
	c, err := textproto.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	cl := &client{t, c}
	cl.want(220, "")
	return cl
}

// want reads one reply and fails unless it has code (and line, when set).
func (cl *client) want(code int, line string) {
	cl.t.Helper()
	got, msg, err := cl.c.ReadResponse(0)
	if err != nil && got == 0 {
		cl.t.Fatalf("reading reply: %v", err)
	}
	if got != code || (line != "" && msg != line) {
		cl.t.Fatalf("reply %d %q, want %d %q", got, msg, code, line)
	}
}

// cmd sends one line and checks the reply.
func (cl *client) cmd(line string, code int, reply string) {
	cl.t.Helper()
	if err := cl.c.PrintfLine("%s", line); err != nil {
		cl.t.Fatal(err)
	}
	cl.want(code, reply)
}

// send sends a message; its reply is for the caller to read.
func (cl *client) send(body string) {
	cl.t.Helper()
	cl.cmd("DATA", 354, "")
	w := cl.c.DotWriter() // dot-stuffs and ends with "."
	if _, err := w.Write([]byte(body)); err != nil {
		cl.t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		cl.t.Fatal(err)
	}
}

// data sends a message and checks the reply.
func (cl *client) data(body string, code int, reply string) {
	cl.t.Helper()
	cl.send(body)
	cl.want(code, reply)
}

func TestSession(t *testing.T) {
	s := Start(t)
	cl := dial(t, s)
	cl.cmd("EHLO client.example", 250, "")
	cl.cmd("MAIL FROM:<junk@example.org>", 250, "")
	cl.cmd("RCPT TO:<junk@example.net>", 250, "")
	cl.cmd("RSET", 250, "") // drops the transaction, keeps the EHLO name
	cl.cmd("MAIL FROM: <a@example.org> BODY=8BITMIME SIZE=100", 250, "")
	cl.cmd("rcpt to:<b@example.net> NOTIFY=NEVER", 250, "")
	cl.cmd("RCPT TO:<c@example.net>", 250, "")
	cl.cmd("NOOP", 250, "")
	cl.cmd("VRFY b", 252, "")
	body := "Subject: x\r\n\r\n.leading dot\r\n..two\r\nend\r\n"
	cl.data(body, 250, "")
	cl.cmd("MAIL FROM:<>", 250, "")
	cl.cmd("RCPT TO:<d@example.net>", 250, "")
	cl.data("bounce\r\n", 250, "")
	cl.cmd("QUIT", 221, "")

	want := []Message{
		{Helo: "client.example", From: "a@example.org", To: []string{"b@example.net", "c@example.net"}, Data: []byte(body)},
		{Helo: "client.example", From: "", To: []string{"d@example.net"}, Data: []byte("bounce\r\n")},
	}
	if got := s.Wait(2, 5*time.Second); !reflect.DeepEqual(got, want) {
		t.Fatalf("received\n%+v\nwant\n%+v", got, want)
	}
}

func TestRefuse(t *testing.T) {
	s := Start(t)
	cl := dial(t, s)
	cl.cmd("HELO c", 250, "")

	s.RefuseRcpt(func(rcpt string) string {
		switch rcpt {
		case "Gone@example.net":
			return "550 5.1.1 no such user"
		case "full@example.net":
			return "552 5.2.2 mailbox full"
		}
		return ""
	})
	cl.cmd("MAIL FROM:<a@example.org>", 250, "")
	cl.cmd("RCPT TO:<Gone@example.net>", 550, "5.1.1 no such user")
	cl.cmd("RCPT TO:<full@example.net>", 552, "5.2.2 mailbox full")
	cl.cmd("RCPT TO:<ok@example.net>", 250, "")
	s.RefuseData("554 5.7.1 content refused")
	cl.data("refused\r\n", 554, "5.7.1 content refused")
	if got := s.Messages(); len(got) != 0 {
		t.Fatalf("kept a refused message: %+v", got)
	}

	s.RefuseRcpt(nil)
	s.RefuseData("")
	cl.cmd("MAIL FROM:<a@example.org>", 250, "")
	cl.cmd("RCPT TO:<full@example.net>", 250, "")
	cl.data("taken\r\n", 250, "")
	if got := s.Wait(1, 5*time.Second); len(got) != 1 || !reflect.DeepEqual(got[0].To, []string{"full@example.net"}) || string(got[0].Data) != "taken\r\n" {
		t.Fatalf("received %+v", got)
	}
}

func TestHoldData(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	s.HoldData(arrived, release)
	replied := make(chan int, 1) // the reply code to the held data
	cl := dial(t, s)
	cl.cmd("HELO c", 250, "")
	cl.cmd("MAIL FROM:<a@example.org>", 250, "")
	cl.cmd("RCPT TO:<b@example.net>", 250, "")
	cl.send("held\r\n")
	go func() { code, _, _ := cl.c.ReadResponse(0); replied <- code }()

	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the data never arrived")
	}
	select {
	case <-replied:
		t.Fatal("replied while held")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	select {
	case code := <-replied:
		if code != 250 {
			t.Fatalf("reply %d after release, want 250", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no reply after release")
	}
	if got := s.Messages(); len(got) != 1 || string(got[0].Data) != "held\r\n" {
		t.Fatalf("received %+v", got)
	}

	// A reply held when the test ends does not keep the sink from stopping.
	s.HoldData(nil, make(chan struct{}))
	cl.cmd("MAIL FROM:<a@example.org>", 250, "")
	cl.cmd("RCPT TO:<b@example.net>", 250, "")
	cl.send("x\r\n")
	stopped := make(chan struct{})
	go func() { s.Close(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("stop hangs on a held reply")
	}
}

// TestBounds: a message without recipients, one over the size bound, a
// line longer than the reader's buffer and a command line past the bound.
// The session goes on after each refusal but the last.
func TestBounds(t *testing.T) {
	s := Start(t)
	s.mu.Lock()
	s.maxSize = 200 << 10
	s.mu.Unlock()
	cl := dial(t, s)
	cl.cmd("EHLO c", 250, "sink.test\n8BITMIME\nSMTPUTF8\nSIZE 204800")
	cl.cmd("MAIL FROM:<a@example.org>", 250, "")
	cl.cmd("DATA", 503, "")
	cl.cmd("RCPT TO:<>", 501, "")
	cl.cmd("RCPT TO:b@example.net", 501, "")
	for range maxRecipients {
		cl.cmd("RCPT TO:<b@example.net>", 250, "")
	}
	cl.cmd("RCPT TO:<b@example.net>", 452, "")
	cl.data(strings.Repeat("x", 100<<10)+"\r\n"+strings.Repeat("y", 101<<10)+"\r\n", 552, "")
	long := ".." + strings.Repeat("z", 150<<10) + "\r\n" // longer than the 64 KiB reader, dot-stuffed
	cl.cmd("MAIL FROM:<a@example.org>", 250, "")
	cl.cmd("RCPT TO:<b@example.net>", 250, "")
	cl.data(long[1:], 250, "")
	if got := s.Wait(1, 5*time.Second); len(got) != 1 || string(got[0].Data) != long[1:] {
		t.Fatalf("received %d messages, want the long line whole", len(got))
	}
	if log := s.Log(); !strings.Contains(log, "refused a message over 204800 bytes") || !strings.Contains(log, "kept #1") {
		t.Errorf("log:\n%s", log)
	}
	cl.cmd("NOOP "+strings.Repeat("n", maxLine), 500, "")
	if _, _, err := cl.c.ReadResponse(0); err == nil {
		t.Error("the session goes on after a command line past the bound")
	}
}

// TestOnMessage: a counting hook sees every message, with its data, and
// nothing is kept.
func TestOnMessage(t *testing.T) {
	s := Start(t)
	var mu sync.Mutex
	var seen []string
	s.OnMessage(func(m Message) string {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, m.From+" "+string(m.Data))
		if len(seen) == 2 {
			return "queued as 2"
		}
		return ""
	})
	cl := dial(t, s)
	cl.cmd("HELO c", 250, "")
	for i, from := range []string{"a@example.org", "b@example.org"} {
		cl.cmd("MAIL FROM:<"+from+">", 250, "")
		cl.cmd("RCPT TO:<r@example.net>", 250, "")
		cl.data("X-Kensa-Verdict: accept\r\n\r\nhi\r\n", 250, []string{"2.0.0 counted", "2.0.0 queued as 2"}[i])
	}
	mu.Lock()
	got := strings.Join(seen, "|")
	mu.Unlock()
	if want := "a@example.org X-Kensa-Verdict: accept\r\n\r\nhi\r\n|b@example.org X-Kensa-Verdict: accept\r\n\r\nhi\r\n"; got != want {
		t.Errorf("hook saw %q, want %q", got, want)
	}
	if m := s.Messages(); len(m) != 0 {
		t.Errorf("kept %d messages with a hook set", len(m))
	}
}

// TestDownUp: while down, connections are refused; up again, on the same
// port, mail is taken.
func TestDownUp(t *testing.T) {
	s := Start(t)
	s.Down()
	if c, err := net.Dial("tcp", s.Addr); err == nil {
		c.Close()
		t.Fatal("connected to a sink that is down")
	}
	if err := s.Up(); err != nil {
		t.Fatal(err)
	}
	cl := dial(t, s)
	cl.cmd("HELO c", 250, "")
	cl.cmd("MAIL FROM:<a@example.org>", 250, "")
	cl.cmd("RCPT TO:<b@example.net>", 250, "")
	cl.data("after\r\n", 250, "2.0.0 kept as sink1")
	if log := s.Log(); !strings.Contains(log, "down\n") || !strings.Contains(log, "up\n") {
		t.Errorf("log:\n%s", log)
	}
}

// TestOrderAndConnections: RCPT before MAIL, MAIL without brackets, and a
// session past the bound on connections.
func TestOrderAndConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := Serve(ln, Options{Name: "mailbox", MaxConns: 1})
	t.Cleanup(s.Close)
	cl := dial(t, s)
	cl.cmd("HELO c", 250, "mailbox")
	cl.cmd("RCPT TO:<b@example.net>", 503, "")
	cl.cmd("MAIL FROM:a@example.org", 501, "")
	cl.cmd("BOGUS", 500, "")
	c, err := textproto.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if code, _, _ := c.ReadResponse(0); code != 421 {
		t.Errorf("second session: reply %d, want 421", code)
	}
}

func TestReadDataLongLines(t *testing.T) {
	// A line longer than the reader's buffer arrives in pieces: a dot inside
	// it is not a line start and must stay.
	long := strings.Repeat("a", 16*300) + ".x" // the dot starts a 16-byte chunk
	in := long + "\r\n..dot\r\n.\r\n"
	var buf bytes.Buffer
	err := readData(bufio.NewReaderSize(strings.NewReader(in), 16), &buf, 1<<20)
	if err != nil || buf.String() != long+"\r\n.dot\r\n" {
		t.Errorf("readData = %q, %v", buf.String(), err)
	}
	if err := readData(bufio.NewReader(strings.NewReader("no end\r\n")), &buf, 100); err == nil {
		t.Error("a message cut off before the dot was accepted")
	}
}
