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
	"path/filepath"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// The guard stands between the MTA and go-milter. go-milter v0.10.1 has no
// read timeout reachable through mailfilter (an MTA that stalls holds its
// session forever) and panics, ending the whole process, on some malformed
// packets (a zero length; a connect, MAIL or RCPT command without its NUL
// terminator). So the MTA talks to our listener; every packet it sends is
// read with an idle deadline and checked before it is passed on, unchanged,
// to go-milter over a unix socket in a private directory. Replies flow back
// as they are. A connection that breaks the rules is closed: the MTA then
// applies its own milter default action to that one message.

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

// guard accepts MTA connections and relays checked packets to go-milter.
type guard struct {
	ln    net.Listener // the MTA's side
	inner string       // go-milter's unix socket
	dir   string       // private directory holding inner
	idle  time.Duration
	log   *logrus.Logger

	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// newInnerSocket makes the private directory for go-milter's socket.
func newInnerSocket() (dir, path string, err error) {
	dir, err = os.MkdirTemp("", "kensa-milter-")
	if err != nil {
		return "", "", fmt.Errorf("milter: private socket directory: %w", err)
	}
	return dir, filepath.Join(dir, "inner.sock"), nil
}

func (g *guard) serve() {
	defer g.wg.Done()
	for {
		c, err := g.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			g.log.WithError(err).Warn("milter: accept failed")
			time.Sleep(50 * time.Millisecond) // e.g. out of file descriptors: do not spin
			continue
		}
		if !g.track(c, true) {
			_ = c.Close()
			return
		}
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			defer g.track(c, false)
			g.relay(c)
		}()
	}
}

func (g *guard) track(c net.Conn, add bool) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !add {
		delete(g.conns, c)
		return true
	}
	if g.closed {
		return false
	}
	if g.conns == nil {
		g.conns = map[net.Conn]struct{}{}
	}
	g.conns[c] = struct{}{}
	return true
}

// stop closes the listener; relays end when their go-milter session does.
func (g *guard) stop() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	_ = g.ln.Close()
}

// wait closes what is left and waits for every relay, then removes the
// private directory.
func (g *guard) wait() {
	g.mu.Lock()
	for c := range g.conns {
		_ = c.Close()
	}
	g.mu.Unlock()
	g.wg.Wait()
	_ = os.RemoveAll(g.dir)
}

// relay carries one MTA connection. It returns once both directions are done.
func (g *guard) relay(mta net.Conn) {
	defer mta.Close()
	fields := func() logrus.Fields { return logrus.Fields{"peer": mta.RemoteAddr().String()} }
	r := bufio.NewReaderSize(mta, 64<<10)
	var buf []byte
	pkt, err := readPacket(mta, r, &buf, min(g.idle, negotiateTimeout))
	if err == nil && pkt[4] != 'O' {
		err = fmt.Errorf("first command %q is not option negotiation", pkt[4])
	}
	if err != nil {
		if !quiet(err) {
			g.log.WithFields(fields()).WithError(err).Warn("milter: closed MTA connection")
		}
		return
	}
	inner, err := net.DialTimeout("unix", g.inner, 5*time.Second)
	if err != nil {
		g.log.WithError(err).Error("milter: cannot reach go-milter")
		return
	}
	defer inner.Close()
	replies := make(chan struct{})
	go func() {
		defer close(replies)
		copyReplies(mta, inner, g.idle)
		_ = mta.Close() // ends the read below
	}()
	defer func() { <-replies }()
	defer inner.Close() // before waiting: ends copyReplies

	for {
		if _, err := inner.Write(pkt); err != nil {
			return // go-milter closed the session
		}
		// Acknowledge what the MTA sent at once, before every packet:
		// Postfix writes a macro packet (which gets no reply) and then its
		// command in two writes, and with our ACK delayed, Nagle holds the
		// command back for up to 40 ms on TCP. Only before every packet
		// does this help (measured: p99 through Postfix 55 ms when it was
		// skipped while packets were still buffered, 13 ms this way).
		quickAck(mta)
		pkt, err = readPacket(mta, r, &buf, g.idle)
		if err != nil {
			if !quiet(err) {
				g.log.WithFields(fields()).WithError(err).Warn("milter: closed MTA connection")
			}
			return
		}
	}
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

// copyReplies passes go-milter's replies to the MTA; a write that the MTA
// does not take within idle ends the connection. Each reply also restarts
// the MTA's read deadline: while a scan runs the MTA is rightly silent, and
// go-milter sends a progress packet every second.
func copyReplies(mta, inner net.Conn, idle time.Duration) {
	buf := make([]byte, 32<<10)
	for {
		n, err := inner.Read(buf)
		if n > 0 {
			if idle > 0 {
				now := time.Now()
				_ = mta.SetWriteDeadline(now.Add(idle))
				_ = mta.SetReadDeadline(now.Add(idle))
			}
			if _, werr := mta.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
