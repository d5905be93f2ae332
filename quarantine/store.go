package quarantine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	"modernc.org/sqlite"               // driver "sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Store keeps quarantined messages. Implementations are safe for concurrent
// use, also by several processes (and, with PostgreSQL, several hosts) on the
// same database.
type Store interface {
	// Put stores e, assigning e.ID (when empty), e.QuarantinedAt (when zero),
	// e.ExpiresAt (when zero: QuarantinedAt + Options.Retention) and e.Size.
	// It returns only once the entry is durable; on error nothing was stored.
	// Text fields are stored as valid UTF-8 without NUL, capped in length.
	Put(ctx context.Context, e *Entry) error
	// Get returns one entry with Raw (nil once deleted). ErrNotFound when
	// there is none.
	Get(ctx context.Context, id string) (*Entry, error)
	// List returns entries matching f, newest first, without Raw.
	List(ctx context.Context, f Filter) ([]Entry, error)
	// Delete drops the message body and marks the entry deleted by by; the
	// record stays until it expires. Deleting a deleted entry is a no-op;
	// ErrBusy while it is being released.
	Delete(ctx context.Context, id, by string) error
	// Release hands the entry to deliver, with Envelope.Recipients narrowed
	// to the recipients not yet released (and, when only is given, to those
	// of only: an end user releasing their own copy; an address that is not
	// a recipient gives ErrNotRecipient). The entry is marked while deliver
	// runs, so Purge, Delete and other releases leave it alone (they get
	// ErrBusy). On success the recipients are recorded as released; a
	// second release reports AlreadyReleased with when and by whom. When
	// deliver fails the entry stays held with the error recorded
	// (ReleaseError); a *RecipientsError records its Delivered recipients as
	// released, so a retry goes only to the rest.
	Release(ctx context.Context, id, by string, deliver DeliverFunc, only ...string) (ReleaseResult, error)
	// Purge deletes every entry that expired at or before now, except those
	// being released, and says how many.
	Purge(ctx context.Context, now time.Time) (int, error)
	// ReleasedFindings says, per finding ID, how many released messages
	// it had helped quarantine (a message counts once, at its first
	// release): the checks that cost users mail.
	ReleasedFindings(ctx context.Context) (map[string]int64, error)
	// Exclusive runs fn unless another process holds the named lock (then
	// ran is false): work such as the purge and the digest that one host
	// at a time should do. PostgreSQL: a session advisory lock; SQLite,
	// whose database is one host's: a lock row in the database.
	Exclusive(ctx context.Context, name string, fn func(context.Context) error) (ran bool, err error)
	// Time and SetTime keep a named time every host shares (the digest's
	// watermark). Time is zero when none was set.
	Time(ctx context.Context, name string) (time.Time, error)
	SetTime(ctx context.Context, name string, t time.Time) error
	Close() error
}

// DeliverFunc sends a released message. Relay.Deliver is one.
type DeliverFunc func(ctx context.Context, e *Entry) error

// Options tune a Store. The zero value gives the defaults.
type Options struct {
	// Retention is how long an entry is kept; default 10 days.
	Retention time.Duration
	// ReleaseTimeout bounds one delivery; default 5 minutes. An entry whose
	// release crashed stays marked for twice this, then can be released or
	// purged again.
	ReleaseTimeout time.Duration
}

// Defaults.
const (
	DefaultRetention      = 10 * 24 * time.Hour
	DefaultReleaseTimeout = 5 * time.Minute
)

// Open opens (creating when needed) the store named by dsn and brings its
// schema up to date:
//
//	sqlite:///var/lib/kensa/quarantine.db   (also sqlite:relative/path.db)
//	postgres://user:pass@host:5432/kensa?sslmode=verify-full
//	postgresql://...                        (any libpq URL pgx accepts, e.g. ?host=/run/postgresql)
//
// For SQLite the directory is created (mode 0700) and the database file is
// created with mode 0600: it holds other people's mail.
func Open(ctx context.Context, dsn string, opts Options) (Store, error) {
	if opts.Retention == 0 {
		opts.Retention = DefaultRetention
	}
	if opts.ReleaseTimeout == 0 {
		opts.ReleaseTimeout = DefaultReleaseTimeout
	}
	if opts.Retention < 0 || opts.ReleaseTimeout < 0 {
		return nil, fmt.Errorf("quarantine: negative retention or release timeout")
	}
	db, err := OpenDB(ctx, dsn)
	if err != nil {
		return nil, err
	}
	s := &sqlStore{db: db.DB, pg: db.PG, opts: opts, now: time.Now}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("quarantine: migrate %s: %w", redact(dsn), err)
	}
	return s, nil
}

// DB is a handle on the store's database, for the tables that live beside
// the quarantine (the known set, the digest watermark) so that every host
// sharing the quarantine shares them too.
type DB struct {
	*sql.DB
	PG bool // PostgreSQL; SQLite otherwise
}

// Q rewrites ? placeholders as $1, $2, … for PostgreSQL. Queries must have
// no ? anywhere else.
func (d DB) Q(query string) string { return placeholders(d.PG, query) }

// OpenDB connects to the database named by dsn (the spellings Open takes),
// with the same settings the quarantine uses, without touching its schema.
func OpenDB(ctx context.Context, dsn string) (DB, error) {
	var d DB
	var err error
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		d.DB, err = openSQLite(ctx, strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		d.PG = true
		d.DB, err = sql.Open("pgx", dsn)
		if err == nil {
			d.SetMaxOpenConns(16)
			d.SetMaxIdleConns(4)
			d.SetConnMaxIdleTime(5 * time.Minute)
		}
	default:
		return DB{}, fmt.Errorf("quarantine: store %q: want sqlite:///path/to/quarantine.db or postgres://…", redact(dsn))
	}
	if err != nil {
		return DB{}, fmt.Errorf("quarantine: open %s: %w", redact(dsn), err)
	}
	if err := d.PingContext(ctx); err != nil {
		d.Close()
		return DB{}, fmt.Errorf("quarantine: connect %s: %w", redact(dsn), err)
	}
	return d, nil
}

func openSQLite(ctx context.Context, path string) (*sql.DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite path %q: want a file path without ? or #", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create state directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create database file: %w", err)
	}
	f.Close()
	// Every connection gets these. synchronous=FULL makes each commit
	// durable before Put returns;
	// _txlock=immediate takes the write lock at BEGIN, so two writers wait
	// (busy_timeout) instead of failing on a lock upgrade; the WAL file is
	// cut back to 64 MiB after checkpoints (big bodies would otherwise leave
	// it at its high-water mark).
	db, err := sql.Open("sqlite", path+"?_txlock=immediate&_busy_timeout=10000&_synchronous=FULL&_foreign_keys=1"+
		"&_pragma=journal_size_limit(67108864)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	if err := walMode(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// walMode switches the database to WAL (readers run beside the writer; the
// mode is stored in the file). Switching needs a lock that SQLite does not
// wait for, so two processes creating the database at once retry here.
func walMode(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		var mode string
		err := db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode)
		if err == nil {
			if mode != "wal" {
				return fmt.Errorf("journal mode is %q, not wal", mode)
			}
			return nil
		}
		var se *sqlite.Error
		if !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return fmt.Errorf("set WAL mode: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// redact hides a password in a DSN for error messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		if i := strings.IndexByte(dsn, ':'); i > 0 {
			return dsn[:i] + ":…"
		}
		return "(unparsable)"
	}
	return u.Redacted()
}

// SQLiteDSN is the default store DSN for a state directory.
func SQLiteDSN(stateDir string) string {
	return "sqlite://" + filepath.Join(stateDir, "quarantine.db")
}
