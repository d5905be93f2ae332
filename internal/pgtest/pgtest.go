// Package pgtest starts a throwaway PostgreSQL server for tests: Debian's
// postgresql binaries, a temporary directory, a unix socket only. Shared by
// every package whose tests need a real PostgreSQL.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
)

var schemas atomic.Int64

// NewSchema gives one test a fresh, empty schema of its own (much faster
// than CREATE DATABASE) and returns a DSN whose search_path puts everything
// created through it there.
func NewSchema(t testing.TB, adminDSN string) string {
	t.Helper()
	name := fmt.Sprintf("kensa_test_%d", schemas.Add(1))
	admin, err := sql.Open("pgx", adminDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("create schema %s: %v", name, err)
	}
	return adminDSN + "&search_path=" + name
}

// shared is the one server of a test binary that Schema starts on first use.
var shared struct {
	once       sync.Once
	dsn        string
	err        error
	quit, done chan struct{}
}

// Schema gives the test a fresh schema on the test binary's server (see
// NewSchema), starting the server when a test first asks; when it cannot
// start, the test fails with the reason. TestMain calls StopShared after
// m.Run.
func Schema(t testing.TB) string {
	t.Helper()
	shared.once.Do(startShared)
	if shared.err != nil {
		t.Fatalf("PostgreSQL test server did not start: %v", shared.err)
	}
	return NewSchema(t, shared.dsn)
}

// startShared starts the server from a goroutine of its own, locked to its
// OS thread until StopShared: the server's parent-death signal follows the
// thread that started it, and a test's goroutine may end at any time.
func startShared() {
	shared.quit, shared.done = make(chan struct{}), make(chan struct{})
	ready := make(chan struct{})
	go func() {
		defer close(shared.done)
		runtime.LockOSThread()
		stop, err := startPostgres(&shared.dsn)
		shared.err = err
		close(ready)
		<-shared.quit
		if stop != nil {
			stop()
		}
	}()
	<-ready
}

// StopShared stops the server Schema started, if it did.
func StopShared() {
	if shared.quit == nil {
		return
	}
	close(shared.quit)
	<-shared.done
}

// Backend is a database the stores run on: tests that must hold on both
// run once per backend, each with a fresh database.
type Backend struct {
	Name string
	DSN  func(t testing.TB) string
}

// Backends are SQLite (a file in the test's temporary directory, as
// state_dir holds it) and PostgreSQL (a schema on the shared server).
var Backends = []Backend{
	{"sqlite", func(t testing.TB) string { return "sqlite://" + filepath.Join(t.TempDir(), "state", "quarantine.db") }},
	{"postgres", Schema},
}

// pgBin finds the newest installed server binaries.
func pgBin() (string, error) {
	if d := os.Getenv("KENSA_PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgMajor(dirs[i]) < pgMajor(dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (install Debian's postgresql: scripts/deps.sh test)")
}

func pgMajor(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// startPostgres starts a server and returns how to stop it, and in
// adminDSN a DSN to its "postgres" database. The server's parent-death
// signal follows the calling thread: lock it (runtime.LockOSThread).
func startPostgres(adminDSN *string) (stop func(), err error) {
	bin, err := pgBin()
	if err != nil {
		return nil, err
	}
	sweepStale()
	base, err := os.MkdirTemp("", "kensa-pg-")
	if err != nil {
		return nil, err
	}
	cleanup := func() { os.RemoveAll(base) }
	data, sock := filepath.Join(base, "data"), filepath.Join(base, "sock")
	if err := os.Mkdir(sock, 0o700); err != nil {
		cleanup()
		return nil, err
	}
	// PostgreSQL refuses to run as root: as root, run it as the postgres user.
	run := func(name string, args ...string) *exec.Cmd {
		return exec.Command(filepath.Join(bin, name), args...)
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			cleanup()
			return nil, fmt.Errorf("running as root and there is no postgres user to run the server as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, p := range []string{base, sock} {
			if err := os.Chown(p, uid, gid); err != nil {
				cleanup()
				return nil, err
			}
		}
		run = func(name string, args ...string) *exec.Cmd {
			c := exec.Command(filepath.Join(bin, name), args...)
			c.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
			c.Dir = base
			return c
		}
	}
	if out, err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "-N").CombinedOutput(); err != nil {
		cleanup()
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	// The server is our child and dies with us (SIGQUIT: immediate
	// shutdown), even when the test binary is killed or times out.
	// fsync=off: a throwaway server need not survive power loss.
	logFile, err := os.Create(filepath.Join(base, "server.log"))
	if err != nil {
		cleanup()
		return nil, err
	}
	server := run("postgres", "-D", data, "-k", sock, "-c", "listen_addresses=", "-p", "5432",
		"-c", "fsync=off", "-c", "max_connections=200")
	if server.SysProcAttr == nil {
		server.SysProcAttr = &syscall.SysProcAttr{}
	}
	server.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	server.Stdout, server.Stderr = logFile, logFile
	if err := server.Start(); err != nil {
		cleanup()
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- server.Wait() }()
	stop = func() {
		server.Process.Signal(syscall.SIGINT) // fast shutdown
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			server.Process.Kill()
			<-exited
		}
		logFile.Close()
		cleanup()
	}
	*adminDSN = pgDSN(sock, "postgres")
	db, err := sql.Open("pgx", *adminDSN)
	if err != nil {
		stop()
		return nil, err
	}
	defer db.Close()
	for deadline := time.Now().Add(30 * time.Second); ; {
		err := db.Ping()
		if err == nil {
			return stop, nil
		}
		select {
		case werr := <-exited:
			log, _ := os.ReadFile(logFile.Name())
			cleanup()
			return nil, fmt.Errorf("postgres exited (%v) before accepting connections; server log:\n%s", werr, log)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logFile.Name())
			stop()
			return nil, fmt.Errorf("postgres not ready after 30s: %v; server log:\n%s", err, log)
		}
	}
}

// sweepStale removes server directories that a killed test run left
// behind: older than an hour, and their server no longer running.
func sweepStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "kensa-pg-*"))
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil || time.Since(fi.ModTime()) < time.Hour {
			continue
		}
		if pid, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid")); err == nil {
			n, _ := strconv.Atoi(strings.SplitN(string(pid), "\n", 2)[0])
			if n > 0 && syscall.Kill(n, 0) == nil {
				continue
			}
		}
		os.RemoveAll(d)
	}
}

func pgDSN(sock, db string) string {
	return "postgres://postgres@/" + db + "?host=" + url.QueryEscape(sock) + "&port=5432"
}
