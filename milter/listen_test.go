package milter

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseListen(t *testing.T) {
	tests := []struct {
		in, network, address string
		err                  string // substring of the error, "" for none
	}{
		{"inet:8898@127.0.0.1", "tcp4", "127.0.0.1:8898", ""},
		{"inet:8898@localhost", "tcp4", "localhost:8898", ""},
		{"inet:8898@0.0.0.0", "tcp4", "0.0.0.0:8898", ""},
		{"inet:127.0.0.1:8898", "tcp4", "127.0.0.1:8898", ""},
		{"inet:mx.example.com:25", "tcp4", "mx.example.com:25", ""},
		{"inet:8898", "tcp4", "127.0.0.1:8898", ""},
		{"inet:0", "tcp4", "127.0.0.1:0", ""},
		{"INET:8898@127.0.0.1", "tcp4", "127.0.0.1:8898", ""},
		{"inet6:8898@::1", "tcp6", "[::1]:8898", ""},
		{"inet6:8898@[::1]", "tcp6", "[::1]:8898", ""},
		{"inet6:[::1]:8898", "tcp6", "[::1]:8898", ""},
		{"inet6:[2001:db8::1]:25", "tcp6", "[2001:db8::1]:25", ""},
		{"inet6:8898", "tcp6", "[::1]:8898", ""},
		{"inet6:8898@localhost", "tcp6", "localhost:8898", ""},
		{"unix:/run/kensa/kensa.sock", "unix", "/run/kensa/kensa.sock", ""},
		{"local:/run/kensa/kensa.sock", "unix", "/run/kensa/kensa.sock", ""},
		{"/run/kensa/kensa.sock", "unix", "/run/kensa/kensa.sock", ""},
		{"unix:/run//kensa/./k.sock", "unix", "/run/kensa/k.sock", ""},

		{"", "", "", "non-empty"},
		{" inet:8898", "", "", "surrounding spaces"},
		{"8898", "", "", "want inet:PORT@HOST"},
		{"tcp:127.0.0.1:8898", "", "", `unknown scheme "tcp"`},
		{"inet:", "", "", `port "" is not a number`},
		{"inet:http@127.0.0.1", "", "", `port "http" is not a number`},
		{"inet:65536@127.0.0.1", "", "", `port "65536"`},
		{"inet:-1@127.0.0.1", "", "", `port "-1"`},
		{"inet:+25@127.0.0.1", "", "", `port "+25"`},
		{"inet:8898@", "", "", "missing host after @"},
		{"inet::8898", "", "", "missing host before :PORT"},
		{"inet:127.0.0.1:", "", "", `port ""`},
		{"inet:::1:8898", "", "", "inet6:[HOST]:PORT"},
		{"inet:8898@::1", "", "", "inet needs an IPv4 address"},
		{"inet:[::1]:8898", "", "", "inet needs an IPv4 address"},
		{"inet6:8898@127.0.0.1", "", "", "inet6 needs an IPv6 address"},
		{"inet6:[::1]8898", "", "", "want [HOST]:PORT"},
		{"inet:8898@bad host", "", "", "invalid host"},
		{"unix:", "", "", "missing socket path"},
		{"unix:kensa.sock", "", "", "must be absolute"},
		{"unix:/tmp/a\x00b", "", "", "NUL"},
	}
	for _, tt := range tests {
		network, address, err := ParseListen(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseListen(%q) error = %v, want one containing %q", tt.in, err, tt.err)
			}
			if err != nil && !strings.Contains(err.Error(), "listen address") {
				t.Errorf("ParseListen(%q) error %q does not say what it is about", tt.in, err)
			}
			continue
		}
		if err != nil || network != tt.network || address != tt.address {
			t.Errorf("ParseListen(%q) = %q, %q, %v; want %q, %q", tt.in, network, address, err, tt.network, tt.address)
		}
	}
}

func TestClearStaleSocket(t *testing.T) {
	dir := t.TempDir()

	missing := filepath.Join(dir, "missing.sock")
	if err := clearStaleSocket(missing); err != nil {
		t.Errorf("no file: %v", err)
	}

	regular := filepath.Join(dir, "regular")
	if err := os.WriteFile(regular, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := clearStaleSocket(regular); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("regular file: err = %v, want a refusal", err)
	}
	if _, err := os.Stat(regular); err != nil {
		t.Errorf("regular file was removed: %v", err)
	}

	live := filepath.Join(dir, "live.sock")
	ln, err := net.Listen("unix", live)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := clearStaleSocket(live); err == nil || !strings.Contains(err.Error(), "another process") {
		t.Errorf("live socket: err = %v, want a refusal", err)
	}

	stale := filepath.Join(dir, "stale.sock")
	l2, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	l2.(*net.UnixListener).SetUnlinkOnClose(false)
	l2.Close()
	if err := clearStaleSocket(stale); err != nil {
		t.Errorf("stale socket: %v", err)
	}
	if _, err := os.Lstat(stale); !os.IsNotExist(err) {
		t.Errorf("stale socket still there: %v", err)
	}
}
