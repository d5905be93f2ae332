package clamd

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// ParseAddress reads "unix:/path/to/clamd.ctl" or "tcp:host:port" and
// returns the network and address for net.Dial.
func ParseAddress(s string) (network, address string, err error) {
	kind, rest, ok := strings.Cut(strings.TrimSpace(s), ":")
	switch {
	case !ok:
	case kind == "unix":
		if !strings.HasPrefix(rest, "/") {
			return "", "", fmt.Errorf("%q: a unix socket needs an absolute path (unix:/run/clamav/clamd.ctl)", s)
		}
		return "unix", rest, nil
	case kind == "tcp":
		host, port, err := net.SplitHostPort(rest)
		if err != nil || host == "" {
			return "", "", fmt.Errorf("%q: want tcp:HOST:PORT (tcp:127.0.0.1:3310)", s)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", "", fmt.Errorf("%q: port %q is not a number from 1 to 65535", s, port)
		}
		return "tcp", rest, nil
	}
	return "", "", fmt.Errorf("%q: want unix:/path or tcp:HOST:PORT", s)
}

// verdict is what clamd said about one stream.
type verdict struct {
	found     string // signature name when clamd found something
	sizeLimit bool   // clamd refused the stream: its StreamMaxLength was exceeded
}

const (
	chunkSize = 64 << 10
	maxReply  = 4096 // a verdict line is short; anything longer is not clamd
	maxName   = 128  // runes of a signature name we keep
)

// instream sends data to clamd with the INSTREAM command on conn and reads
// the verdict. The reply is read while the data is still being sent: clamd
// answers and closes as soon as the stream exceeds its StreamMaxLength, and
// a reader waiting only after the last write could lose that answer to the
// connection reset.
func instream(conn net.Conn, data []byte) (verdict, error) {
	sent := make(chan error, 1)
	go func() { sent <- writeStream(conn, data) }()
	text, rerr := readReply(conn)
	// A reply before the whole stream was sent ends the sending: clamd will
	// not read the rest.
	_ = conn.SetWriteDeadline(time.Unix(1, 0))
	werr := <-sent
	if rerr != nil {
		if werr != nil {
			return verdict{}, fmt.Errorf("sending the stream: %w (then reading the reply: %v)", werr, rerr)
		}
		return verdict{}, fmt.Errorf("reading the reply: %w", rerr)
	}
	v, err := parseReply(text)
	if err == nil && werr != nil && !v.sizeLimit {
		// A verdict on a stream clamd did not receive whole.
		return verdict{}, fmt.Errorf("sending the stream: %w (clamd answered %q early)", werr, cleanName(text))
	}
	return v, err
}

// writeStream is the INSTREAM command: chunks of at most chunkSize bytes,
// each preceded by its length as a 4-byte big-endian number, and a
// zero-length chunk to end.
func writeStream(w io.Writer, data []byte) error {
	if _, err := w.Write([]byte("zINSTREAM\x00")); err != nil {
		return err
	}
	var n [4]byte
	for len(data) > 0 {
		c := data[:min(len(data), chunkSize)]
		data = data[len(c):]
		binary.BigEndian.PutUint32(n[:], uint32(len(c)))
		if _, err := w.Write(n[:]); err != nil {
			return err
		}
		if _, err := w.Write(c); err != nil {
			return err
		}
	}
	binary.BigEndian.PutUint32(n[:], 0)
	_, err := w.Write(n[:])
	return err
}

// readReply reads one NUL-terminated reply (the "z" form of the command),
// or up to EOF.
func readReply(r io.Reader) (string, error) {
	buf := make([]byte, 0, 256)
	tmp := make([]byte, 256)
	for len(buf) < maxReply {
		n, err := r.Read(tmp)
		for _, c := range tmp[:n] {
			if c == 0 {
				return string(buf), nil
			}
			buf = append(buf, c)
		}
		if errors.Is(err, io.EOF) {
			if len(buf) == 0 {
				return "", errors.New("connection closed without a reply")
			}
			return string(buf), nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("reply longer than %d bytes", maxReply)
}

// parseReply reads "stream: OK", "stream: NAME FOUND" and
// "INSTREAM size limit exceeded. ERROR"; any other reply is an error.
func parseReply(s string) (verdict, error) {
	s = strings.TrimRight(s, "\x00\r\n\t ")
	switch {
	case strings.HasSuffix(s, "size limit exceeded. ERROR"):
		return verdict{sizeLimit: true}, nil
	case s == "stream: OK":
		return verdict{}, nil
	case strings.HasPrefix(s, "stream: ") && strings.HasSuffix(s, " FOUND"):
		name := cleanName(strings.TrimSuffix(strings.TrimPrefix(s, "stream: "), " FOUND"))
		if name == "" {
			return verdict{}, fmt.Errorf("clamd found something without a name: %q", s)
		}
		return verdict{found: name}, nil
	case strings.HasSuffix(s, " ERROR"):
		return verdict{}, fmt.Errorf("clamd: %q", cleanName(s))
	}
	return verdict{}, fmt.Errorf("unexpected reply %q", cleanName(s))
}

// cleanName keeps a signature name printable and short: it goes into
// headers and log lines, and signature databases can come from anywhere.
func cleanName(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if n == maxName {
			b.WriteString("…")
			break
		}
		if r < 0x21 || r == 0x7f || r > 0x7e {
			r = '_'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// dialAndScan opens one connection, bounded by timeout and ctx, and runs
// INSTREAM on it.
func dialAndScan(ctx context.Context, network, address string, timeout time.Duration, data []byte) (verdict, error) {
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	d := net.Dialer{Deadline: deadline}
	conn, err := d.DialContext(ctx, network, address)
	if err != nil {
		return verdict{}, mapErr(ctx, fmt.Errorf("connect: %w", err), timeout)
	}
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	// Cancelling ctx (shutdown, the engine's scan budget) ends the exchange now.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	v, err := instream(conn, data)
	if err != nil {
		return v, mapErr(ctx, err, timeout)
	}
	return v, nil
}

// mapErr makes a timeout recognisable to the policy (context.DeadlineExceeded
// is reported as "timeout") and says which deadline it was.
func mapErr(ctx context.Context, err error, timeout time.Duration) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: %w", err, ctx.Err())
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("no answer within %s (%w): %w", timeout, err, context.DeadlineExceeded)
	}
	return err
}
