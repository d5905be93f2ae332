package known

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/quarantine"
	"github.com/kensa-milter/kensa/scanners"
)

// Sample is one known digest and what an admin said about it. Only digests,
// names and verdicts are stored, never the sample's bytes.
type Sample struct {
	SHA256  SHA256
	TLSH    TLSH
	HasTLSH bool
	Name    string            // what the admin or feed called it; a quarantine ref for confirmed mail
	Verdict scanners.Severity // Malicious or Suspicious
	Source  string            // "add", "import" or "confirm"
	AddedAt time.Time
	AddedBy string
}

// Limits on what one sample row may hold.
const (
	maxName = 200
	maxBy   = 100
)

// Store is the known set in the quarantine's database (SQLite on one host,
// PostgreSQL shared by several). Every change bumps a generation counter in
// the same transaction and stamps the rows it writes (and the removals it
// records) with it; hosts poll the counter and, when it moved, read what
// changed since their own generation (Changes).
type Store struct {
	db  quarantine.DB
	now func() time.Time
}

// Advisory lock keys (PostgreSQL) for work that one host at a time does.
const (
	lockSchema = 0x4b656e7361 + 15 // creating the known tables
)

var schema = []string{
	`CREATE TABLE IF NOT EXISTS known_samples (
		sha256   TEXT PRIMARY KEY,
		tlsh     TEXT NOT NULL,
		name     TEXT NOT NULL,
		verdict  TEXT NOT NULL,
		source   TEXT NOT NULL,
		added_at BIGINT NOT NULL,
		added_by TEXT NOT NULL,
		changed  BIGINT NOT NULL DEFAULT 0
	)`,
	addChanged,
	`CREATE INDEX IF NOT EXISTS known_samples_changed ON known_samples (changed)`,
	// What was removed, and at which generation: a refresh applies the
	// removals since its own generation. Rows older than tombstoneAge go;
	// known_horizon is the newest generation gone with them.
	`CREATE TABLE IF NOT EXISTS known_removed (
		sha256     TEXT PRIMARY KEY,
		changed    BIGINT NOT NULL,
		removed_at BIGINT NOT NULL
	)`,
	`CREATE INDEX IF NOT EXISTS known_removed_changed ON known_removed (changed)`,
	`CREATE TABLE IF NOT EXISTS kensa_state (
		name  TEXT PRIMARY KEY,
		value BIGINT NOT NULL
	)`,
	`INSERT INTO kensa_state (name, value) VALUES ('known_generation', 0) ON CONFLICT (name) DO NOTHING`,
	`INSERT INTO kensa_state (name, value) VALUES ('known_horizon', 0) ON CONFLICT (name) DO NOTHING`,
}

// addChanged stands for adding known_samples.changed to a table made
// before it existed (every row then counts as changed at generation 0).
const addChanged = "add column changed"

// tombstoneAge is how long a removal is kept for refreshes to see. A host
// that has not refreshed for longer reloads the whole set.
const tombstoneAge = 24 * time.Hour

// OpenStore opens the known set in the database named by dsn (the
// quarantine's: quarantine.dsn, or SQLite in state_dir), creating its tables.
func OpenStore(ctx context.Context, dsn string) (*Store, error) {
	db, err := quarantine.OpenDB(ctx, dsn)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, now: time.Now}
	if err := s.inTx(ctx, func(tx *sql.Tx) error {
		if db.PG {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockSchema)); err != nil {
				return err
			}
		}
		for _, stmt := range schema {
			if stmt == addChanged {
				if err := addChangedColumn(ctx, tx, db.PG); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("known: create tables: %w", err)
	}
	return s, nil
}

func addChangedColumn(ctx context.Context, tx *sql.Tx, pg bool) error {
	q := `SELECT COUNT(*) FROM pragma_table_info('known_samples') WHERE name = 'changed'`
	if pg {
		q = `SELECT COUNT(*) FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = 'known_samples' AND column_name = 'changed'`
	}
	var n int
	if err := tx.QueryRowContext(ctx, q).Scan(&n); err != nil || n > 0 {
		return err
	}
	_, err := tx.ExecContext(ctx, `ALTER TABLE known_samples ADD COLUMN changed BIGINT NOT NULL DEFAULT 0`)
	return err
}

// DB is the database the store uses (for other state that hosts share).
func (s *Store) DB() quarantine.DB { return s.db }

func (s *Store) Close() error { return s.db.Close() }

func (s *Store) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// bump moves the generation and returns the new one, which the rows the
// transaction writes carry. The row lock it takes orders writers: a
// generation a reader sees has every change up to it committed.
func bump(ctx context.Context, tx *sql.Tx) (int64, error) {
	var g int64
	err := tx.QueryRowContext(ctx, `UPDATE kensa_state SET value = value + 1 WHERE name = 'known_generation' RETURNING value`).Scan(&g)
	return g, err
}

// clean makes a text field storable: valid UTF-8, no control characters,
// at most n bytes.
func clean(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = s[:n]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

func verdictWord(v scanners.Severity) (string, error) {
	switch v {
	case scanners.Malicious, scanners.Suspicious:
		return v.String(), nil
	}
	return "", fmt.Errorf("verdict %s: want malicious or suspicious", v)
}

// Add stores samples, replacing the name, verdict and TLSH of any already
// known (the latest word wins), in batches of one transaction each. It
// returns how many were new.
func (s *Store) Add(ctx context.Context, samples []Sample) (added int, err error) {
	const batch = 2000
	now := s.now()
	for start := 0; start < len(samples); start += batch {
		chunk := samples[start:min(start+batch, len(samples))]
		n := 0
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			g, err := bump(ctx, tx)
			if err != nil {
				return err
			}
			for _, sm := range chunk {
				v, err := verdictWord(sm.Verdict)
				if err != nil {
					return fmt.Errorf("%s: %w", sm.SHA256, err)
				}
				tl := ""
				if sm.HasTLSH {
					tl = sm.TLSH.hex()
				}
				at := sm.AddedAt
				if at.IsZero() {
					at = now
				}
				var exists int
				err = tx.QueryRowContext(ctx, s.db.Q(`SELECT COUNT(*) FROM known_samples WHERE sha256 = ?`), sm.SHA256.String()).Scan(&exists)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, s.db.Q(`INSERT INTO known_samples (sha256, tlsh, name, verdict, source, added_at, added_by, changed)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)
					ON CONFLICT (sha256) DO UPDATE SET tlsh = excluded.tlsh, name = excluded.name, verdict = excluded.verdict,
						source = excluded.source, added_at = excluded.added_at, added_by = excluded.added_by, changed = excluded.changed`),
					sm.SHA256.String(), tl, clean(sm.Name, maxName), v, clean(sm.Source, 20), at.UnixMicro(), clean(sm.AddedBy, maxBy), g); err != nil {
					return err
				}
				// Known again: no longer a removal for refreshes to apply.
				if _, err := tx.ExecContext(ctx, s.db.Q(`DELETE FROM known_removed WHERE sha256 = ?`), sm.SHA256.String()); err != nil {
					return err
				}
				if exists == 0 {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return added, fmt.Errorf("known: add: %w", err)
		}
		added += n
	}
	return added, nil
}

// Remove forgets samples by SHA-256 and says how many were known. Each
// removal is kept (known_removed) for tombstoneAge, so that refreshes
// apply it; older ones are pruned and known_horizon moves past them.
func (s *Store) Remove(ctx context.Context, shas []SHA256) (int, error) {
	n := 0
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		g, err := bump(ctx, tx)
		if err != nil {
			return err
		}
		for _, h := range shas {
			res, err := tx.ExecContext(ctx, s.db.Q(`DELETE FROM known_samples WHERE sha256 = ?`), h.String())
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if k == 0 {
				continue
			}
			n++
			if _, err := tx.ExecContext(ctx, s.db.Q(`INSERT INTO known_removed (sha256, changed, removed_at) VALUES (?, ?, ?)
				ON CONFLICT (sha256) DO UPDATE SET changed = excluded.changed, removed_at = excluded.removed_at`),
				h.String(), g, now.UnixMicro()); err != nil {
				return err
			}
		}
		cut := now.Add(-tombstoneAge).UnixMicro()
		var gone int64
		if err := tx.QueryRowContext(ctx, s.db.Q(`SELECT COALESCE(MAX(changed), 0) FROM known_removed WHERE removed_at < ?`), cut).Scan(&gone); err != nil {
			return err
		}
		if gone == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, s.db.Q(`DELETE FROM known_removed WHERE changed <= ?`), gone); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.db.Q(`UPDATE kensa_state SET value = ? WHERE name = 'known_horizon' AND value < ?`), gone, gone)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("known: remove: %w", err)
	}
	return n, nil
}

// Generation counts changes to the known set; it moves on every change.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var g int64
	err := s.db.QueryRowContext(ctx, `SELECT value FROM kensa_state WHERE name = 'known_generation'`).Scan(&g)
	if err != nil {
		return 0, fmt.Errorf("known: read generation: %w", err)
	}
	return g, nil
}

// List returns every sample, newest first (at most limit when limit > 0).
func (s *Store) List(ctx context.Context, limit int) ([]Sample, error) {
	q := selectSamples + ` ORDER BY added_at DESC, sha256`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	out, err := s.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("known: list: %w", err)
	}
	return out, nil
}

const selectSamples = `SELECT sha256, tlsh, name, verdict, source, added_at, added_by FROM known_samples`

// query reads the samples a selectSamples query returns.
func (s *Store) query(ctx context.Context, q string, args ...any) ([]Sample, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Sample
	for rows.Next() {
		var sha, tl, verdict string
		var at int64
		var sm Sample
		if err := rows.Scan(&sha, &tl, &sm.Name, &verdict, &sm.Source, &at, &sm.AddedBy); err != nil {
			return nil, err
		}
		if sm.SHA256, err = ParseSHA256(sha); err != nil {
			return nil, fmt.Errorf("row %q: %w", sha, err)
		}
		if tl != "" {
			if sm.TLSH, err = ParseTLSH(tl); err != nil {
				return nil, fmt.Errorf("row %s: %w", sha, err)
			}
			sm.HasTLSH = true
		}
		if sm.Verdict, err = scanners.ParseSeverity(verdict); err != nil {
			return nil, fmt.Errorf("row %s: %w", sha, err)
		}
		sm.AddedAt = time.UnixMicro(at).UTC()
		out = append(out, sm)
	}
	return out, rows.Err()
}

// Load reads the whole set with the generation it belongs to. The
// generation is read first: a change committed meanwhile moves it again,
// so the next refresh reloads.
func (s *Store) Load(ctx context.Context) (*Set, int64, error) {
	g, err := s.Generation(ctx)
	if err != nil {
		return nil, 0, err
	}
	samples, err := s.query(ctx, selectSamples)
	if err != nil {
		return nil, 0, fmt.Errorf("known: load: %w", err)
	}
	return NewSet(samples), g, nil
}

// Delta is what changed in the known set after a generation.
type Delta struct {
	Generation int64    // the generation it brings a set to
	Changed    []Sample // added or changed (their current state)
	Removed    []SHA256 // no longer known
}

// ErrTooOld: the removals after that generation are no longer all kept
// (it is older than tombstoneAge); reload the whole set.
var ErrTooOld = errors.New("known: generation too old for a delta; reload the whole set")

// Changes reads what changed after generation since: rows written and
// removals recorded since then. The generation is read first; a change
// committed meanwhile is read now and again by the next refresh, which is
// harmless (a row is its current state, and a SHA-256 is either a row or a
// removal, never both).
func (s *Store) Changes(ctx context.Context, since int64) (Delta, error) {
	var d Delta
	var horizon int64
	if err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT value FROM kensa_state WHERE name = 'known_generation'),
		(SELECT value FROM kensa_state WHERE name = 'known_horizon')`).Scan(&d.Generation, &horizon); err != nil {
		return Delta{}, fmt.Errorf("known: read generation: %w", err)
	}
	if since < horizon {
		return Delta{}, ErrTooOld
	}
	var err error
	d.Changed, err = s.query(ctx, selectSamples+` WHERE changed > ?`, since)
	if err != nil {
		return Delta{}, fmt.Errorf("known: changes: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, s.db.Q(`SELECT sha256 FROM known_removed WHERE changed > ?`), since)
	if err != nil {
		return Delta{}, fmt.Errorf("known: removals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return Delta{}, fmt.Errorf("known: removals: %w", err)
		}
		h, err := ParseSHA256(sha)
		if err != nil {
			return Delta{}, fmt.Errorf("known: removals: row %q: %w", sha, err)
		}
		d.Removed = append(d.Removed, h)
	}
	if err := rows.Err(); err != nil {
		return Delta{}, fmt.Errorf("known: removals: %w", err)
	}
	return d, nil
}

// ErrNotFound: no such sample.
var ErrNotFound = errors.New("known: no such sample")
