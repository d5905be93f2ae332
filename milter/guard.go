package milter

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
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
	// firstCommandTimeout is for the negotiation and the first command
	// after it: MTAs send both as soon as they connect (the connect
	// command, with its macros). Only later may a session idle as long as
	// an SMTP client may.
	firstCommandTimeout = 10 * time.Second
	// DefaultMaxConnections bounds the MTA connections open at once.
	DefaultMaxConnections = 512
	// Accept errors (out of file descriptors, say) are retried after a
	// pause that doubles from acceptBackoffMin to acceptBackoffMax.
	acceptBackoffMin = 5 * time.Millisecond
	acceptBackoffMax = time.Second
	// refusedLogEvery spaces the log lines about refused connections.
	refusedLogEvery = 10 * time.Second
)

// guardedListener hands out guarded connections and counts them, so that
// Shutdown can wait until every session has ended. It keeps at most max
// connections open: one more is closed at once (the MTA applies its milter
// default action to that message), logged and counted.
type guardedListener struct {
	net.Listener
	idle  time.Duration
	first time.Duration // idle limit until the first command; see firstCommandTimeout
	max   int
	log   *logrus.Logger
	obs   ConnObserver // nil: nobody counts
	conns sync.WaitGroup

	open atomic.Int64
	// spare is a file descriptor held in reserve: when the process runs
	// out, it is closed to accept and close the waiting connection (so the
	// MTA learns at once instead of timing out) and opened again.
	spare *os.File

	mu          sync.Mutex
	stopped     bool // Close was called
	refused     int  // since the last log line
	refusedLast time.Time
}

// ConnObserver is told about MTA connections, for metrics. An Observer
// that also implements it (SetObserver) gets these calls.
type ConnObserver interface {
	ConnectionOpened()
	ConnectionClosed()
	// ConnectionRefused: over milter.max_connections, or out of file
	// descriptors.
	ConnectionRefused()
}

// Accept waits for the next MTA connection. Only a closed listener ends
// go-milter's accept loop; other errors (out of file descriptors, say) are
// logged and retried after a growing pause, so that it never spins.
func (l *guardedListener) Accept() (net.Conn, error) {
	pause := time.Duration(0)
	for {
		c, err := l.Listener.Accept()
		if err == nil {
			pause = 0
			if l.max > 0 && l.open.Load() >= int64(l.max) {
				// Counted and logged before the close, so that whoever sees
				// the connection closed finds it counted.
				l.refuse("milter: connection limit reached, closed new MTA connections (raise milter.max_connections if this is real traffic)",
					logrus.Fields{"max_connections": l.max})
				_ = c.Close()
				continue
			}
			l.open.Add(1)
			l.conns.Add(1)
			if l.obs != nil {
				l.obs.ConnectionOpened()
			}
			return &guardedConn{Conn: c, r: bufio.NewReaderSize(c, 64<<10), idle: l.idle, first: l.first, log: l.log, done: l.closed}, nil
		}
		if errors.Is(err, net.ErrClosed) {
			return nil, err
		}
		l.refuse("milter: accept failed", logrus.Fields{"error": err.Error()})
		pause = min(max(2*pause, acceptBackoffMin), acceptBackoffMax)
		if (errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)) && l.shed() {
			pause = acceptBackoffMin // MTAs are waiting: shed them quickly, but never spin
		}
		time.Sleep(pause)
	}
}

// closed is called once per connection handed out, when it closes.
func (l *guardedListener) closed() {
	l.open.Add(-1)
	if l.obs != nil {
		l.obs.ConnectionClosed()
	}
	l.conns.Done()
}

// shed uses the spare descriptor to accept and close one waiting
// connection when the process has no descriptors left; it reports whether
// it closed one.
func (l *guardedListener) shed() (closed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.spare == nil || l.stopped {
		return false
	}
	_ = l.spare.Close()
	l.spare = nil
	if tl, ok := l.Listener.(interface{ SetDeadline(time.Time) error }); ok {
		_ = tl.SetDeadline(time.Now().Add(10 * time.Millisecond))
		if c, err := l.Listener.Accept(); err == nil {
			_ = c.Close()
			closed = true
			if l.obs != nil {
				l.obs.ConnectionRefused()
			}
		}
		_ = tl.SetDeadline(time.Time{})
	}
	l.spare, _ = os.Open(os.DevNull)
	return closed
}

// Close stops accepting and gives back the spare descriptor.
func (l *guardedListener) Close() error {
	err := l.Listener.Close()
	l.mu.Lock()
	l.stopped = true
	if l.spare != nil {
		_ = l.spare.Close()
		l.spare = nil
	}
	l.mu.Unlock()
	return err
}

// refuse counts a refused connection or failed accept and logs it, at
// most once per refusedLogEvery with how many there were since.
func (l *guardedListener) refuse(msg string, f logrus.Fields) {
	if l.obs != nil {
		l.obs.ConnectionRefused()
	}
	l.mu.Lock()
	l.refused++
	now := time.Now()
	if now.Sub(l.refusedLast) < refusedLogEvery {
		l.mu.Unlock()
		return
	}
	n := l.refused
	l.refused, l.refusedLast = 0, now
	l.mu.Unlock()
	l.log.WithFields(f).WithField("refused", n).Warn(msg)
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
	busy    bool   // a command after the negotiation (other than macros) was read
	first   time.Duration
	err     error // the read error that ended the session

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
	if !c.busy {
		idle = min(idle, c.first)
	}
	if c.started {
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
	if c.started && pkt[4] != 'D' {
		c.busy = true
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
