package quarantine

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/pgtest"
)

// The PostgreSQL tests run against a real server that TestMain starts in a
// temporary directory (unix socket only, so it cannot clash with anything)
// and stops at the end. Debian's postgresql package provides it; when it
// cannot start, every PostgreSQL test fails with the reason.
var (
	pgAdminDSN string // to the "postgres" database, for CREATE DATABASE
	pgErr      error  // why the server did not start
)

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		os.Exit(crashChild())
	}
	flag.Parse()
	runtime.LockOSThread() // the server's parent-death signal follows this thread
	start := time.Now()
	stop, dsn, err := pgtest.Start()
	pgAdminDSN = dsn
	if err != nil {
		pgErr = err
	} else if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "postgres started in %s\n", time.Since(start).Round(time.Millisecond))
	}
	code := m.Run()
	if stop != nil {
		stop()
	}
	os.Exit(code)
}

// newPGDatabase gives one test a fresh, empty schema of its own (much
// faster than CREATE DATABASE) and returns a DSN whose search_path puts
// everything the store creates there.
func newPGDatabase(t *testing.T) string {
	t.Helper()
	if pgErr != nil {
		t.Fatalf("PostgreSQL test server did not start: %v", pgErr)
	}
	return newPGSchema(t)
}

func newPGSchema(t testing.TB) string {
	t.Helper()
	return pgtest.NewSchema(t, pgAdminDSN)
}

// backends are the stores every store test runs against.
var backends = []struct {
	name string
	dsn  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return "sqlite://" + filepath.Join(t.TempDir(), "state", "quarantine.db") }},
	{"postgres", newPGDatabase},
}

// forEachBackend runs fn once per backend, in parallel subtests of a
// parallel test: every test has its own database.
func forEachBackend(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, b.dsn(t))
		})
	}
}

// openStore opens dsn and closes it at the end of the test.
func openStore(t *testing.T, dsn string, opts Options) *sqlStore {
	t.Helper()
	s, err := Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s.(*sqlStore)
}

func TestPostgresServerRuns(t *testing.T) {
	// Says plainly when the PostgreSQL half of the suite had no server.
	if pgErr != nil {
		t.Fatalf("PostgreSQL test server did not start: %v", pgErr)
	}
	if !strings.HasPrefix(pgAdminDSN, "postgres://") {
		t.Fatalf("admin DSN %q", pgAdminDSN)
	}
}
