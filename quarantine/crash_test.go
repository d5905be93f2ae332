package quarantine

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"
)

// Crash safety rests on one transaction per Put: the entry row, its
// recipients and its body commit together or not at all. These tests break
// a Put in the three ways that happen: the database refuses midway, the disk
// fills, the process is killed.

const crashChildEnv = "KENSA_QUARANTINE_CRASH_DSN"

// crashChild runs in a child process (see TestMain): it stores big messages
// until it is killed, printing "ok ID" after each Put returns.
func crashChild() int {
	ctx := context.Background()
	s, err := Open(ctx, os.Getenv(crashChildEnv), Options{})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	rng := rand.NewChaCha8([32]byte{1})
	for i := 0; ; i++ {
		raw := make([]byte, 4<<20)
		rng.Read(raw) // incompressible: every Put writes the full 4 MiB
		e := &Entry{Raw: raw, Envelope: envelope("a@example.org", "b@example.net", "c@example.net"), Subject: fmt.Sprint(i)}
		if err := s.Put(ctx, e); err != nil {
			fmt.Println("error", err)
			return 1
		}
		fmt.Println("ok", e.ID)
	}
}

func TestCrashDuringPut(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		openStore(t, dsn, Options{}) // schema in place before the child starts
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dsn)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		var acked []string
		for len(acked) < 3 && lines.Scan() {
			f := strings.Fields(lines.Text())
			if len(f) < 2 || f[0] != "ok" {
				t.Fatalf("child: %s", lines.Text())
			}
			acked = append(acked, f[1])
		}
		// Kill it at some point inside a later Put.
		time.Sleep(time.Duration(rand.IntN(30)) * time.Millisecond)
		cmd.Process.Kill()
		for lines.Scan() {
			if f := strings.Fields(lines.Text()); len(f) == 2 && f[0] == "ok" {
				acked = append(acked, f[1])
			}
		}
		cmd.Wait()
		if len(acked) < 3 {
			t.Fatalf("child stored only %d messages before dying on its own", len(acked))
		}

		s := openStore(t, dsn, Options{})
		ctx := context.Background()
		for _, id := range acked { // nothing acknowledged is lost
			e, err := s.Get(ctx, id)
			if err != nil || len(e.Raw) != 4<<20 {
				t.Fatalf("acknowledged entry %s: %v", id, err)
			}
		}
		list, err := s.List(ctx, Filter{Limit: MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list { // and nothing listed is half there
			if _, err := s.Get(ctx, e.ID); err != nil {
				t.Fatalf("listed entry %s: %v", e.ID, err)
			}
		}
		checkRowCounts(t, s, len(list), 2)
		t.Logf("%d acknowledged, %d stored", len(acked), len(list))
	})
}

// checkRowCounts says every table has the rows of n whole entries.
func checkRowCounts(t *testing.T, s *sqlStore, n, rcptsEach int) {
	t.Helper()
	for table, want := range map[string]int{"quarantine_entries": n, "quarantine_bodies": n, "quarantine_recipients": n * rcptsEach} {
		var c int
		if err := s.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&c); err != nil {
			t.Fatal(err)
		}
		if c != want {
			t.Errorf("%s has %d rows, want %d", table, c, want)
		}
	}
}

// The database fails the body insert, after the entry and its recipients
// were written: nothing of the entry may remain.
func TestPutFailsMidway(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{})
		trigger := []string{`CREATE TRIGGER fail_body BEFORE INSERT ON quarantine_bodies BEGIN SELECT RAISE(ABORT, 'injected: no space left'); END`}
		drop := `DROP TRIGGER fail_body`
		if s.pg {
			trigger = []string{
				`CREATE FUNCTION fail_body() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected: no space left'; END $$`,
				`CREATE TRIGGER fail_body BEFORE INSERT ON quarantine_bodies FOR EACH ROW EXECUTE FUNCTION fail_body()`,
			}
			drop = `DROP TRIGGER fail_body ON quarantine_bodies`
		}
		for _, q := range trigger {
			if _, err := s.db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		raw := make([]byte, 4<<20)
		rand.NewChaCha8([32]byte{2}).Read(raw)
		e := &Entry{Raw: raw, Envelope: envelope("a@example.org", "b@example.net", "c@example.net")}
		err := s.Put(ctx, e)
		if err == nil || !strings.Contains(err.Error(), "injected: no space left") {
			t.Fatalf("put: %v", err)
		}
		if _, err := s.Get(ctx, e.ID); err == nil {
			t.Fatal("the failed entry can be read")
		}
		checkRowCounts(t, s, 0, 2)
		if _, err := s.db.Exec(drop); err != nil {
			t.Fatal(err)
		}
		e.ID = ""
		put(t, s, e) // the store still works
		checkRowCounts(t, s, 1, 2)
	})
}

// SQLite runs out of room in the middle of the body.
func TestSQLiteDiskFull(t *testing.T) {
	t.Parallel()
	s := openStore(t, "sqlite://"+t.TempDir()+"/q.db", Options{})
	s.db.SetMaxOpenConns(1) // the pragma is per connection
	var pages int
	if err := s.db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+64)); err != nil {
		t.Fatal(err)
	}
	raw := make([]byte, 4<<20)
	rand.NewChaCha8([32]byte{3}).Read(raw)
	err := s.Put(context.Background(), &Entry{Raw: raw, Envelope: envelope("a@example.org", "b@example.net")})
	if err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("put into a full database: %v", err)
	}
	checkRowCounts(t, s, 0, 1)
	put(t, s, newEntry("small", "a@example.org", "b@example.net")) // a small one still fits
	checkRowCounts(t, s, 1, 1)
}

// End users list their own address's quarantine: that must use the index,
// not scan every entry.
func TestRecipientListUsesIndex(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{})
		q, args, err := s.listQuery(Filter{Recipient: "bob@example.net"})
		if err != nil {
			t.Fatal(err)
		}
		conn, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		explain := "EXPLAIN QUERY PLAN "
		if s.pg {
			// An empty table is cheapest to scan; ask what the planner does when it is not.
			if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
				t.Fatal(err)
			}
			explain = "EXPLAIN "
		}
		rows, err := conn.QueryContext(ctx, explain+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var plan strings.Builder
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&plan, vals...)
		}
		// Driven by the recipient index; entries found by id, not scanned in time order.
		if p := plan.String(); !strings.Contains(p, "quarantine_recipients_addr") ||
			strings.Contains(p, "SCAN e") || strings.Contains(p, "Seq Scan") || strings.Contains(p, "quarantine_entries_time") {
			t.Fatalf("recipient list does not use the recipient index:\n%s", plan.String())
		}
		if testing.Verbose() {
			t.Logf("plan:\n%s", plan.String())
		}
	})
}

func TestRunPurger(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn, Options{})
		old := newEntry("old", "a@example.org", "b@example.net")
		old.ExpiresAt = time.Now().Add(-time.Minute)
		put(t, s, old)
		fresh := put(t, s, newEntry("fresh", "a@example.org", "b@example.net"))

		log, hook := logtest.NewNullLogger()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { RunPurger(ctx, s, 10*time.Millisecond, log); close(done) }()
		deadline := time.Now().Add(5 * time.Second)
		for {
			if _, err := s.Get(ctx, old.ID); err != nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the purger did not purge the expired entry")
			}
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("RunPurger did not stop with its context")
		}
		if _, err := s.Get(context.Background(), fresh.ID); err != nil {
			t.Fatalf("fresh entry: %v", err)
		}
		var logged bool
		for _, e := range hook.AllEntries() {
			if e.Level == logrus.ErrorLevel {
				t.Errorf("purger logged an error: %s %v", e.Message, e.Data)
			}
			if e.Data["purged"] == 1 {
				logged = true
			}
		}
		if !logged {
			t.Error("the purge was not logged")
		}
	})
}
