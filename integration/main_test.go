//go:build integration

// Package integration runs Kensa between real MTAs (a private Postfix and a
// private Sendmail), a real SMTP client and an SMTP sink, and drives it with
// Debian's miltertest. Run with: go test -tags integration ./integration/
// (make integration).
package integration

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// kensaBin is the kensa binary built from this tree in TestMain;
// kensaBuildErr says why there is none.
var (
	kensaBin      string
	kensaBuildErr error
)

func TestMain(m *testing.M) {
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
