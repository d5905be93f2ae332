package milter

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ParseListen reads a listen address in the spellings Postfix and Sendmail
// use and returns what net.Listen takes:
//
//	inet:PORT@HOST, inet:HOST:PORT   → "tcp4", "HOST:PORT"
//	inet6:PORT@HOST, inet6:[HOST]:PORT → "tcp6", "[HOST]:PORT"
//	inet:PORT, inet6:PORT             → loopback only (127.0.0.1 / ::1)
//	unix:/path, local:/path, /path    → "unix", "/path"
//
// A missing host means loopback, not every interface: the milter protocol
// has no authentication, so listening on the network must be asked for by
// name (inet:8898@0.0.0.0). PORT 0 picks a free port (for tests). HOST may
// be a name or an address literal of the right family.
func ParseListen(s string) (network, address string, err error) {
	orig := s
	fail := func(format string, a ...any) (string, string, error) {
		return "", "", fmt.Errorf("listen address %q: %s", orig, fmt.Sprintf(format, a...))
	}
	if strings.TrimSpace(s) != s || s == "" {
		return fail("must be non-empty and without surrounding spaces")
	}
	if strings.HasPrefix(s, "/") {
		s = "unix:" + s
	}
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok {
		return fail("want inet:PORT@HOST, inet:HOST:PORT, inet6:PORT@HOST, inet6:[HOST]:PORT or unix:/path")
	}
	switch strings.ToLower(scheme) {
	case "unix", "local":
		if rest == "" {
			return fail("missing socket path")
		}
		if !filepath.IsAbs(rest) {
			return fail("socket path must be absolute")
		}
		if strings.ContainsRune(rest, 0) {
			return fail("socket path contains a NUL byte")
		}
		return "unix", filepath.Clean(rest), nil
	case "inet", "inet6":
	default:
		return fail("unknown scheme %q (want inet, inet6, unix or local)", scheme)
	}
	v6 := strings.EqualFold(scheme, "inet6")
	var host, port string
	switch {
	case strings.Contains(rest, "@"):
		port, host, _ = strings.Cut(rest, "@")
		if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
			host = host[1 : len(host)-1]
		}
		if host == "" {
			return fail("missing host after @")
		}
	case strings.HasPrefix(rest, "["):
		h, p, err := net.SplitHostPort(rest)
		if err != nil {
			return fail("want [HOST]:PORT: %v", err)
		}
		host, port = h, p
	case strings.Count(rest, ":") == 1:
		host, port, _ = strings.Cut(rest, ":")
		if host == "" {
			return fail("missing host before :PORT")
		}
	case strings.Contains(rest, ":"):
		return fail("an IPv6 address must be written inet6:[HOST]:PORT or inet6:PORT@HOST")
	default:
		port = rest
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || port == "" || port[0] == '+' {
		return fail("port %q is not a number from 0 to 65535", port)
	}
	if host == "" {
		host = "127.0.0.1"
		if v6 {
			host = "::1"
		}
	}
	if strings.ContainsAny(host, "[]@/ \t") {
		return fail("invalid host %q", host)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if v6 && !ip.Is6() {
			return fail("inet6 needs an IPv6 address, got %s (use inet:)", host)
		}
		if !v6 && !ip.Is4() && !ip.Is4In6() {
			return fail("inet needs an IPv4 address, got %s (use inet6:)", host)
		}
	}
	network = "tcp4"
	if v6 {
		network = "tcp6"
	}
	return network, net.JoinHostPort(host, strconv.FormatUint(n, 10)), nil
}

// clearStaleSocket removes a unix socket left behind by a process that is
// gone. It refuses to remove anything but a socket, and a socket that some
// process still answers on.
func clearStaleSocket(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("milter: check socket %s: %w", path, err)
	}
	if fi.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("milter: %s exists and is not a socket (%s); refusing to remove it", path, fi.Mode().Type())
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		_ = c.Close()
		return fmt.Errorf("milter: another process is listening on %s", path)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("milter: check socket %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("milter: remove stale socket %s: %w", path, err)
	}
	return nil
}
