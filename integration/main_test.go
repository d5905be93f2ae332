//go:build integration

// Package integration runs Kensa between real MTAs (a private Postfix and a
// private Sendmail), a real SMTP client and an SMTP sink, and drives it with
// Debian's miltertest. Run with: go test -tags integration ./integration/
// (make integration).
package integration

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/kensa-milter/kensa/internal/pgtest"
)

// kensaBin is the kensa binary built from this tree in TestMain;
// kensaBuildErr says why there is none.
var (
	kensaBin      string
	kensaBuildErr error
)

func TestMain(m *testing.M) {
	reapLeftovers()
	dir, err := os.MkdirTemp("", "kensa-it-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration:", err)
		os.Exit(2)
	}
	// Readable by every user: one test runs Kensa as nobody.
	os.Chmod(dir, 0o755)
	kensaBin = filepath.Join(dir, "kensa")
	build := exec.Command("go", "build", "-o", kensaBin, "./cmd/kensa")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		kensaBuildErr = fmt.Errorf("go build ./cmd/kensa: %w\n%s", err, out)
		kensaBin = ""
	}
	code := m.Run()
	pgtest.StopShared()
	os.RemoveAll(dir)
	passed, failed := tally()
	fmt.Printf("integration: %d passed, %d failed\n", passed, failed)
	if code == 0 && failed > 0 {
		code = 1
	}
	os.Exit(code)
}

// The suite's own count: every test case calls count(t) once, and its
// outcome is recorded when it ends. A skipped case counts as failed: the
// suite never skips into a pass.
var results struct {
	sync.Mutex
	passed, failed int
}

func count(t *testing.T) {
	t.Cleanup(func() {
		results.Lock()
		defer results.Unlock()
		if t.Failed() || t.Skipped() {
			results.failed++
		} else {
			results.passed++
		}
	})
}

func tally() (passed, failed int) {
	results.Lock()
	defer results.Unlock()
	return results.passed, results.failed
}

// reapLeftovers stops Postfix masters that an earlier run of this suite
// left behind when it was killed (a daemonized master outlives the test
// binary): their MAIL_CONFIG is one of our scratch directories, and that
// directory is gone.
func reapLeftovers() {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, _ := os.ReadFile("/proc/" + e.Name() + "/comm")
		if strings.TrimSpace(string(comm)) != "master" {
			continue
		}
		env, _ := os.ReadFile("/proc/" + e.Name() + "/environ")
		for _, kv := range bytes.Split(env, []byte{0}) {
			dir, ok := strings.CutPrefix(string(kv), "MAIL_CONFIG=")
			if !ok || !strings.Contains(dir, "/kensa-it-postfix-") {
				continue
			}
			if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintf(os.Stderr, "integration: stopping Postfix master %d left by an earlier run (%s)\n", pid, dir)
				syscall.Kill(pid, syscall.SIGTERM)
			}
		}
	}
}
