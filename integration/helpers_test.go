//go:build integration

package integration

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// freePort asks the kernel for a port nobody uses right now. A tiny race with
// other programs remains; the tests only run on 127.0.0.1.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// scratchDir is a temporary directory that the postfix user can traverse
// (t.TempDir is 0700, and Postfix's daemons drop privileges).
func scratchDir(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "kensa-it-"+name+"-")
	if err != nil {
		t.Fatalf("scratch dir: %v", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatalf("scratch dir: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() && os.Getenv("KENSA_IT_KEEP") != "" {
			t.Logf("kept %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	return dir
}

// runCmd runs a command with a deadline and returns its combined output.
func runCmd(timeout time.Duration, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return string(out), nil
}

// mustRun is runCmd that fails the test.
func mustRun(t testing.TB, argv ...string) string {
	t.Helper()
	out, err := runCmd(30*time.Second, argv[0], argv[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// dumpOnFailure prints a component's log when the test (or any of its
// subtests) failed.
func dumpOnFailure(t testing.TB, what string, log func() string) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("---- %s ----\n%s\n---- end of %s ----", what, log(), what)
		}
	})
}

// logBuffer collects a child process's output, safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// readFile returns a file's text, or why it could not be read (for logs).
func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	return string(b)
}

// eventually polls cond until it holds or the timeout passes.
func eventually(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitPort waits until something accepts TCP connections on addr.
func waitPort(addr string, timeout time.Duration) error {
	var err error
	ok := eventually(timeout, func() bool {
		var c net.Conn
		c, err = net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return true
		}
		return false
	})
	if !ok {
		return fmt.Errorf("nothing listens on %s after %s: %w", addr, timeout, err)
	}
	return nil
}

// runWithTimeout runs cmd with stdin, kills it (by its pid) after timeout,
// and returns its combined output.
func runWithTimeout(cmd *exec.Cmd, timeout time.Duration, stdin []byte) (string, error) {
	var out logBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	// A forked child may keep the output pipe open (sendmail's background
	// delivery); do not wait for it forever.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return "", err
	}
	timer := time.AfterFunc(timeout, func() { cmd.Process.Kill() })
	defer timer.Stop()
	err := cmd.Wait()
	return out.String(), err
}
