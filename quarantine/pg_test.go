package quarantine

import (
	"context"
	"os"
	"testing"

	"github.com/kensa-milter/kensa/internal/pgtest"
)

// The PostgreSQL tests run against a real server (pgtest.Schema) that the
// first of them starts in a temporary directory (unix socket only, so it
// cannot clash with anything) and TestMain stops at the end. Debian's
// postgresql package provides it; when it cannot start, every PostgreSQL
// test fails with the reason.
func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		os.Exit(crashChild())
	}
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// forEachBackend runs fn once per backend, in parallel subtests of a
// parallel test: every test has its own database.
func forEachBackend(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Parallel()
	for _, b := range pgtest.Backends {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, b.DSN(t))
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
