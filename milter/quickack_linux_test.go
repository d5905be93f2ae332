package milter

import (
	"io"
	"net"
	"syscall"
	"testing"
)

// quickAckMode is the socket's TCP_QUICKACK: 1 while the kernel ACKs at
// once, 0 once an interactive exchange put it in delayed-ACK mode.
func quickAckMode(t *testing.T, c net.Conn) int {
	t.Helper()
	rc, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	var gerr error
	if err := rc.Control(func(fd uintptr) {
		v, gerr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK)
	}); err != nil || gerr != nil {
		t.Fatal(err, gerr)
	}
	return v
}

// After request/reply traffic like a milter session's, the kernel delays
// ACKs on the milter's socket; quickAck turns that off again. Other
// connections are left alone.
func TestQuickAck(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	mta, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer mta.Close()
	milter, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer milter.Close()
	buf := make([]byte, 8)
	for range 50 {
		if _, err := mta.Write([]byte("command!")); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(milter, buf); err != nil {
			t.Fatal(err)
		}
		if _, err := milter.Write([]byte("reply...")); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(mta, buf); err != nil {
			t.Fatal(err)
		}
	}
	if quickAckMode(t, milter) != 0 {
		t.Fatal("fixture: the kernel did not enter delayed-ACK mode after 50 exchanges")
	}
	quickAck(milter)
	if quickAckMode(t, milter) != 1 {
		t.Error("quickAck did not switch the socket to quick ACKs")
	}

	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	quickAck(a) // not TCP: nothing to do, nothing to break
}
