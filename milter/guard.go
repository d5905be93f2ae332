package milter

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// The guard stands between the MTA and go-milter. go-milter v0.10.1 panics,
// ending the whole process, on some malformed packets (a zero length; a
// connect, MAIL or RCPT command without its NUL terminator), allocates
// whatever length a packet claims, and waits forever for an MTA that stalls.
// So go-milter serves on a listener whose connections check every packet
// the MTA sends, with an idle deadline, before go-milter reads it; a
// connection that breaks the rules is closed and the MTA applies its own
// milter default action to that one message.
//
// The same connection sends each reply in one write: go-milter writes a
// packet's length and its data separately, two system calls and, on TCP,
// two segments.

const (
	// DefaultReadTimeout is how long an MTA may stay silent in the middle
	// of a milter session. It is above Postfix's smtpd_timeout (300 s), so a
	// slow but live SMTP client is not cut off.
	DefaultReadTimeout = 10 * time.Minute
	// maxPacket bounds one milter packet. MTAs send at most 1 MiB per body
	// chunk (the largest size the protocol negotiates) and headers far
	// below that; go-milter would allocate up to 512 MiB for a length word.
	maxPacket = 1<<20 + 64<<10
	// negotiateTimeout is for the first packet: MTAs send it on connect.
	negotiateTimeout = 10 * time.Second
)

// guardedListener hands out guarded connections and counts them, so that
// Shutdown can wait until every session has ended.
type guardedListener struct {
	net.Listener
	idle  time.Duration
	log   *logrus.Logger
	conns sync.WaitGroup
}

// Accept waits for the next MTA connection. Only a closed listener ends
// go-milter's accept loop; other errors (out of file descriptors, say) are
// logged and retried after a pause.
func (l *guardedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err == nil {
			l.conns.Add(1)
			return &guardedConn{Conn: c, r: bufio.NewReaderSize(c, 64<<10), idle: l.idle, log: l.log, done: l.conns.Done}, nil
		}
		if errors.Is(err, net.ErrClosed) {
			return nil, err
		}
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			l.log.WithError(err).Warn("milter: accept failed")
			time.Sleep(50 * time.Millisecond) // do not spin
		}
	}
}

// guardedConn is one MTA connection as go-milter sees it.
type guardedConn struct {
	net.Conn
	r    *bufio.Reader
	idle time.Duration
	log  *logrus.Logger
	done func()

	pkt     []byte // buffer of the current packet
	unread  []byte // what go-milter has not read of it
	started bool   // the first packet was read
	err     error  // the read error that ended the session

	wmu sync.Mutex
	out []byte // reply bytes waiting for the rest of their packet

	closeOnce sync.Once
	closeErr  error
}

// Read gives go-milter the next checked packet.
func (c *guardedConn) Read(p []byte) (int, error) {
	if len(c.unread) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if err := c.next(); err != nil {
			c.err = err
			if !quiet(err) {
				c.log.WithFields(logrus.Fields{"peer": c.RemoteAddr().String()}).WithError(err).Warn("milter: closed MTA connection")
				// Logged here with the peer; go-milter does not log a closed connection again.
				c.err = fmt.Errorf("%w (%v)", net.ErrClosed, err)
			}
			_ = c.Conn.Close()
			return 0, c.err
		}
	}
	n := copy(p, c.unread)
	c.unread = c.unread[n:]
	return n, nil
}

// next reads and checks one packet.
func (c *guardedConn) next() error {
	idle := c.idle
	if !c.started {
		idle = min(idle, negotiateTimeout)
	} else {
		// Acknowledge what the MTA sent at once, before every packet:
		// Postfix writes a macro packet (which gets no reply) and then its
		// command in two writes, and with our ACK delayed, Nagle holds the
		// command back for up to 40 ms on TCP. Only before every packet
		// does this help (measured: p99 through Postfix 55 ms when it was
		// skipped while packets were still buffered, 13 ms this way).
		quickAck(c.Conn)
	}
	pkt, err := readPacket(c.Conn, c.r, &c.pkt, idle)
	if err == nil && !c.started && pkt[4] != 'O' {
		err = fmt.Errorf("first command %q is not option negotiation", pkt[4])
	}
	if err != nil {
		return err
	}
	c.started = true
	c.unread = pkt
	return nil
}

// Write collects go-milter's writes and sends each complete reply packet
// in one write, with the idle limit as deadline.
func (c *guardedConn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.out = append(c.out, p...)
	n := 0 // bytes of complete packets at the start of out
	for len(c.out)-n >= 4 {
		size := 4 + int(binary.BigEndian.Uint32(c.out[n:]))
		if len(c.out)-n < size {
			break
		}
		n += size
	}
	if n == 0 {
		return len(p), nil
	}
	if c.idle > 0 {
		_ = c.Conn.SetWriteDeadline(time.Now().Add(c.idle))
	}
	_, err := c.Conn.Write(c.out[:n])
	c.out = append(c.out[:0], c.out[n:]...)
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// The guard keeps the deadlines: go-milter's would allow one second for the
// negotiation and none for the session.
func (c *guardedConn) SetDeadline(time.Time) error      { return nil }
func (c *guardedConn) SetReadDeadline(time.Time) error  { return nil }
func (c *guardedConn) SetWriteDeadline(time.Time) error { return nil }

// Close closes the connection; the first call marks the session ended.
func (c *guardedConn) Close() error {
	c.closeOnce.Do(func() {
		c.closeErr = c.Conn.Close()
		c.done()
	})
	return c.closeErr
}

// quiet errors are the ordinary ends of a connection.
func quiet(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed)
}

// readPacket reads one packet (length word included) into *buf and checks
// it. The deadline is the idle limit for the whole packet.
func readPacket(c net.Conn, r *bufio.Reader, buf *[]byte, idle time.Duration) ([]byte, error) {
	if idle > 0 {
		_ = c.SetReadDeadline(time.Now().Add(idle))
	}
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, timeoutErr(err, idle)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 || n > maxPacket {
		return nil, fmt.Errorf("packet length %d outside 1..%d", n, maxPacket)
	}
	if cap(*buf) < int(n)+4 {
		*buf = make([]byte, int(n)+4)
	}
	p := (*buf)[:n+4]
	copy(p, hdr[:])
	if _, err := io.ReadFull(r, p[4:]); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, timeoutErr(err, idle)
	}
	if err := checkCommand(p[4], p[5:]); err != nil {
		return nil, err
	}
	return p, nil
}

func timeoutErr(err error, idle time.Duration) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("MTA silent for %s: %w", idle, err)
	}
	return err
}

// checkCommand rejects the commands go-milter would index past the end of.
func checkCommand(code byte, data []byte) error {
	switch code {
	case 'O': // option negotiation: version, actions, protocol
		if len(data) < 12 {
			return fmt.Errorf("negotiation packet of %d bytes", len(data))
		}
	case 'C': // connect: host NUL family [port address]
		i := bytes.IndexByte(data, 0)
		if i < 0 || i+1 >= len(data) {
			return errors.New("connect command without host terminator and family")
		}
	case 'M', 'R': // MAIL, RCPT: address NUL [args]
		if bytes.IndexByte(data, 0) < 0 {
			return fmt.Errorf("%c command without NUL terminator", code)
		}
	}
	return nil
}
