package milter

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/sirupsen/logrus/hooks/test"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/policy"
)

// rawConn is an MTA that speaks the wire format by hand, so it can break it.
type rawConn struct {
	t *testing.T
	c net.Conn
}

func dialRaw(t *testing.T, addr net.Addr) *rawConn {
	t.Helper()
	c, err := net.DialTimeout(addr.Network(), addr.String(), 5*time.Second)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{t, c}
}

func packet(code byte, data []byte) []byte {
	p := make([]byte, 5, 5+len(data))
	binary.BigEndian.PutUint32(p, uint32(len(data)+1))
	p[4] = code
	return append(p, data...)
}

// negotiation offers milter protocol 6 with every action and protocol bit.
func negotiation() []byte {
	d := make([]byte, 12)
	binary.BigEndian.PutUint32(d[0:], 6)
	binary.BigEndian.PutUint32(d[4:], 0x1ff)
	binary.BigEndian.PutUint32(d[8:], 0x1fffff)
	return packet('O', d)
}

func (r *rawConn) write(b []byte) {
	r.t.Helper()
	_ = r.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := r.c.Write(b); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// reply reads one packet and returns its code.
func (r *rawConn) reply() byte {
	r.t.Helper()
	_ = r.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var hdr [4]byte
	if _, err := io.ReadFull(r.c, hdr[:]); err != nil {
		r.t.Fatalf("read reply: %v", err)
	}
	p := make([]byte, binary.BigEndian.Uint32(hdr[:]))
	if _, err := io.ReadFull(r.c, p); err != nil || len(p) == 0 {
		r.t.Fatalf("read reply: %v (%d bytes)", err, len(p))
	}
	return p[0]
}

// closedWithin asserts the server closes the connection within d.
func (r *rawConn) closedWithin(d time.Duration) {
	r.t.Helper()
	_ = r.c.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, 4096)
	for {
		_, err := r.c.Read(buf)
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			r.t.Fatalf("connection still open after %v", d)
		}
		return
	}
}

// Each of these used to end the whole process inside go-milter (index out
// of range) or make it allocate the declared length; now the connection is
// closed and the server answers the next MTA.
func TestGuardClosesMalformedSessions(t *testing.T) {
	srv, _ := start(t, setup(policy.Default(), yaraScanner(t)), Config{}, "inet:0")
	huge := make([]byte, 4)
	binary.BigEndian.PutUint32(huge, 0xfffffff0)
	tests := []struct {
		name      string
		negotiate bool
		send      []byte
	}{
		{"zero length", true, []byte{0, 0, 0, 0}},
		{"zero length first", false, []byte{0, 0, 0, 0}},
		{"huge length", true, huge},
		{"connect without NUL", true, packet('C', []byte("host-without-terminator"))},
		{"connect without family", true, packet('C', []byte("host\x00"))},
		{"mail without NUL", true, packet('M', []byte("<a@example.com>"))},
		{"rcpt without NUL", true, packet('R', []byte("<b@example.com>"))},
		{"first command not negotiation", false, packet('C', []byte("host\x004\x00\x19127.0.0.1\x00"))},
		{"short negotiation", false, packet('O', []byte{0, 0, 0, 6})},
		{"http", false, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := dialRaw(t, srv.Addr())
			if tt.negotiate {
				r.write(negotiation())
				if c := r.reply(); c != 'O' {
					t.Fatalf("negotiation reply %q", c)
				}
			}
			r.write(tt.send)
			r.closedWithin(5 * time.Second)
			res := send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: testmail.Plain("after", "still here\n")})
			wantAccept(t, res)
		})
	}
}

// The read timeout is 2 s, not a few hundred ms: the test writes its
// packets before it starts the clock, and on a busy machine under -race a
// pause of a few hundred ms there would let the server close first, failing
// the test for the machine's speed.
func TestGuardIdleTimeout(t *testing.T) {
	srv, _ := start(t, setup(policy.Default()), Config{ReadTimeout: 2 * time.Second}, "inet:0")
	for _, stage := range []string{"before negotiation", "after negotiation", "mid header"} {
		t.Run(stage, func(t *testing.T) {
			r := dialRaw(t, srv.Addr())
			if stage != "before negotiation" {
				r.write(negotiation())
				r.reply()
			}
			if stage == "mid header" {
				r.write(packet('C', []byte("client\x004\x00\x19192.0.2.1\x00"))) // no reply: Kensa asks for none
				r.write(packet('L', []byte("Subject\x00hi\x00"))[:7])            // half a packet, then silence
			}
			start := time.Now()
			r.closedWithin(30 * time.Second)
			if time.Since(start) < 1500*time.Millisecond {
				t.Errorf("closed after %v, before the read timeout", time.Since(start))
			}
		})
	}
}

// FuzzSession sends arbitrary bytes after a valid negotiation. A panic in
// go-milter would end this process, so surviving is the test; the server
// must also still answer a well-formed session afterwards.
func FuzzSession(f *testing.F) {
	valid := [][]byte{
		packet('C', []byte("client\x004\x00\x19192.0.2.1\x00")),
		packet('H', []byte("client.example.net\x00")),
		packet('M', []byte("<a@example.com>\x00")),
		packet('R', []byte("<b@example.org>\x00")),
		packet('T', nil),
		packet('L', []byte("Subject\x00 hi\x00")),
		packet('N', nil),
		packet('B', []byte("hello\r\n")),
		packet('E', nil),
	}
	var all []byte
	for _, p := range valid {
		all = append(all, p...)
	}
	f.Add(all)
	f.Add(append(packet('D', []byte("C{j}\x00mx\x00")), packet('A', nil)...))
	f.Add(packet('U', []byte("XYZZY\x00")))
	f.Add(append(valid[0], packet('C', []byte("x\x006\x00\x19[::1]\x00"))...))

	log, _ := test.NewNullLogger()
	srv := New(engine.New(setup(policy.Default())), Config{ReadTimeout: 2 * time.Second}, log)
	if err := srv.Listen("inet:0", 0); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	f.Fuzz(func(t *testing.T, stream []byte) {
		r := dialRaw(t, srv.Addr())
		r.write(negotiation())
		r.reply()
		_ = r.c.SetWriteDeadline(time.Now().Add(2 * time.Second))
		_, _ = r.c.Write(stream)
		_ = r.c.(*net.TCPConn).CloseWrite()
		_ = r.c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _ = io.Copy(io.Discard, r.c)
		res := send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: testmail.Plain("after", "still here\n")})
		wantAccept(t, res)
	})
}
