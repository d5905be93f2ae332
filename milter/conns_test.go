package milter

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sirupsen/logrus/hooks/test"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/internal/milterclient"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/policy"
)

// connCounter is an Observer that also counts connections.
type connCounter struct{ opened, closed, refused atomic.Int64 }

func (c *connCounter) Started()                          {}
func (c *connCounter) Done(engine.Report, policy.Action) {}
func (c *connCounter) ConnectionOpened()                 { c.opened.Add(1) }
func (c *connCounter) ConnectionClosed()                 { c.closed.Add(1) }
func (c *connCounter) ConnectionRefused()                { c.refused.Add(1) }

// sendEventually runs a transaction with the real go-milter client until
// one gets through (connections closing on the server side take a moment
// to be counted), for up to 10 seconds.
func sendEventually(t *testing.T, addr net.Addr) milterclient.Result {
	t.Helper()
	m := milterclient.Mail{From: "a@example.com", Rcpts: []string{"b@example.org"}, Raw: testmail.Plain("hello", "hello\n")}
	var err error
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		var res milterclient.Result
		if res, err = milterclient.Send(addr.Network(), addr.String(), m); err == nil {
			return res
		}
	}
	t.Fatalf("no transaction got through: %v", err)
	return milterclient.Result{}
}

// Finding 8 of issue 16: the milter had no connection cap; 21,000 idle
// connections exhausted the descriptors and real MTAs timed out. Past
// milter.max_connections a connection is closed at once, logged and counted.
func TestGuardMaxConnections(t *testing.T) {
	log, hook := test.NewNullLogger()
	srv := New(engine.New(setup(policy.Default())), Config{MaxConnections: 3}, log)
	obs := &connCounter{}
	srv.SetObserver(obs)
	if err := srv.Listen("inet:0", 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	var held []*rawConn
	for range 3 {
		r := dialRaw(t, srv.Addr())
		r.write(negotiation())
		if c := r.reply(); c != 'O' {
			t.Fatalf("negotiation reply %q", c)
		}
		held = append(held, r)
	}
	extra := dialRaw(t, srv.Addr())
	extra.write(negotiation())
	extra.closedWithin(5 * time.Second)
	if obs.refused.Load() == 0 || obs.opened.Load() != 3 {
		t.Errorf("observer: opened %d refused %d", obs.opened.Load(), obs.refused.Load())
	}
	found := false
	for _, e := range hook.AllEntries() {
		if strings.Contains(e.Message, "connection limit reached") && e.Data["max_connections"] == 3 {
			found = true
		}
	}
	if !found {
		t.Errorf("no log line about the limit")
	}
	// One held connection ends: an MTA gets through again.
	held[0].c.Close()
	if res := sendEventually(t, srv.Addr()); res.Outcome() != "accept" {
		t.Errorf("after a connection ended: %s", res.Outcome())
	}
}

// Finding 8: one negotiation packet held a connection for the whole read
// timeout (10 minutes). Until the first command, the limit is short.
func TestGuardFirstCommandTimeout(t *testing.T) {
	srv, _ := start(t, setup(policy.Default()), Config{firstCommand: 300 * time.Millisecond}, "inet:0")
	for _, stage := range []string{"after negotiation", "after a macro packet"} {
		t.Run(stage, func(t *testing.T) {
			r := dialRaw(t, srv.Addr())
			r.write(negotiation())
			r.reply()
			if stage == "after a macro packet" {
				r.write(packet('D', []byte("Cj\x00mx.example.org\x00")))
			}
			r.closedWithin(5 * time.Second)
		})
	}
	// Once the connect command came, the session may idle as long as an
	// SMTP client may (the default read timeout): still open here.
	r := dialRaw(t, srv.Addr())
	r.write(negotiation())
	r.reply()
	r.write(packet('C', []byte("client\x004\x00\x19192.0.2.1\x00")))
	_ = r.c.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := r.c.Read(make([]byte, 16)); !isTimeout(err) {
		t.Errorf("a session past its connect command was closed: %v", err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Finding 8: accept must never spin when the process is out of file
// descriptors, and MTAs waiting in the backlog learn at once (their
// connection is closed) instead of timing out. This runs in a child
// process whose descriptor limit is lowered.
func TestGuardOutOfDescriptors(t *testing.T) {
	if os.Getenv("KENSA_EMFILE_CHILD") == "1" {
		emfileChild()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestGuardOutOfDescriptors$")
	cmd.Env = append(os.Environ(), "KENSA_EMFILE_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	lines := bufio.NewScanner(out)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "addr ") {
		t.Fatalf("child: %q", lines.Text())
	}
	addr := strings.TrimPrefix(lines.Text(), "addr ")
	// Many MTA connections at once: a few are served, the others find the
	// process out of descriptors. Each must be answered or closed, not left
	// waiting.
	var wg sync.WaitGroup
	var answered, closed, hung atomic.Int32
	var conns []net.Conn
	var mu sync.Mutex
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				closed.Add(1)
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open until every one has its outcome
			mu.Unlock()
			_ = c.SetDeadline(time.Now().Add(8 * time.Second))
			if _, err := c.Write(negotiation()); err != nil {
				closed.Add(1)
				return
			}
			_, err = io.ReadFull(c, make([]byte, 4))
			switch {
			case err == nil:
				answered.Add(1)
			case isTimeout(err):
				hung.Add(1)
			default:
				closed.Add(1)
			}
		}()
	}
	wg.Wait()
	if _, err := fmt.Fprintln(in); err != nil {
		t.Fatal(err)
	}
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "refused ") {
		t.Fatalf("child: %q", lines.Text())
	}
	var refused int
	_, _ = fmt.Sscanf(lines.Text(), "refused %d", &refused)
	t.Logf("answered %d, closed %d, hung %d; child: %s", answered.Load(), closed.Load(), hung.Load(), lines.Text())
	if hung.Load() != 0 || answered.Load() == 0 || closed.Load() == 0 {
		t.Errorf("answered %d, closed %d, left waiting %d: want some answered, the rest closed, none waiting", answered.Load(), closed.Load(), hung.Load())
	}
	if refused > 400 {
		t.Errorf("%d refusals and failed accepts while 40 connections came: the accept loop spins", refused)
	}
}

// emfileChild serves with a descriptor limit a few above what is open,
// prints its address, and when told (a line on stdin) how many connections
// it refused or failed to accept.
func emfileChild() {
	entries, _ := os.ReadDir("/proc/self/fd")
	log, _ := test.NewNullLogger()
	srv := New(engine.New(setup(policy.Default())), Config{}, log)
	obs := &connCounter{}
	srv.SetObserver(obs)
	if err := srv.Listen("inet:0", 0); err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	lim := syscall.Rlimit{Cur: uint64(len(entries) + 8), Max: uint64(len(entries) + 8)}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		fmt.Println("setrlimit:", err)
		os.Exit(1)
	}
	fmt.Println("addr", srv.Addr().String())
	done := make(chan struct{})
	go func() { _, _ = bufio.NewReader(os.Stdin).ReadString('\n'); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
	}
	fmt.Printf("refused %d\n", obs.refused.Load())
	os.Exit(0)
}
