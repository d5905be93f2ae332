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
// the same transaction; hosts poll it and reload when it moved.
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
		added_by TEXT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS kensa_state (
		name  TEXT PRIMARY KEY,
		value BIGINT NOT NULL
	)`,
	`INSERT INTO kensa_state (name, value) VALUES ('known_generation', 0) ON CONFLICT (name) DO NOTHING`,
}

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

func bump(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE kensa_state SET value = value + 1 WHERE name = 'known_generation'`)
	return err
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
				if _, err := tx.ExecContext(ctx, s.db.Q(`INSERT INTO known_samples (sha256, tlsh, name, verdict, source, added_at, added_by)
					VALUES (?, ?, ?, ?, ?, ?, ?)
					ON CONFLICT (sha256) DO UPDATE SET tlsh = excluded.tlsh, name = excluded.name, verdict = excluded.verdict,
						source = excluded.source, added_at = excluded.added_at, added_by = excluded.added_by`),
					sm.SHA256.String(), tl, clean(sm.Name, maxName), v, clean(sm.Source, 20), at.UnixMicro(), clean(sm.AddedBy, maxBy)); err != nil {
					return err
				}
				if exists == 0 {
					n++
				}
			}
			return bump(ctx, tx)
		})
		if err != nil {
			return added, fmt.Errorf("known: add: %w", err)
		}
		added += n
	}
	return added, nil
}

// Remove forgets samples by SHA-256 and says how many were known.
func (s *Store) Remove(ctx context.Context, shas []SHA256) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, h := range shas {
			res, err := tx.ExecContext(ctx, s.db.Q(`DELETE FROM known_samples WHERE sha256 = ?`), h.String())
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += int(k)
		}
		return bump(ctx, tx)
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
	q := `SELECT sha256, tlsh, name, verdict, source, added_at, added_by FROM known_samples ORDER BY added_at DESC, sha256`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("known: list: %w", err)
	}
	defer rows.Close()
	var out []Sample
	for rows.Next() {
		var sha, tl, verdict string
		var at int64
		var sm Sample
		if err := rows.Scan(&sha, &tl, &sm.Name, &verdict, &sm.Source, &at, &sm.AddedBy); err != nil {
			return nil, fmt.Errorf("known: list: %w", err)
		}
		if sm.SHA256, err = ParseSHA256(sha); err != nil {
			return nil, fmt.Errorf("known: list: row %q: %w", sha, err)
		}
		if tl != "" {
			if sm.TLSH, err = ParseTLSH(tl); err != nil {
				return nil, fmt.Errorf("known: list: row %s: %w", sha, err)
			}
			sm.HasTLSH = true
		}
		if sm.Verdict, err = scanners.ParseSeverity(verdict); err != nil {
			return nil, fmt.Errorf("known: list: row %s: %w", sha, err)
		}
		sm.AddedAt = time.UnixMicro(at).UTC()
		out = append(out, sm)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("known: list: %w", err)
	}
	return out, nil
}

// Load reads the whole set with the generation it belongs to. The
// generation is read first: a change committed meanwhile moves it again,
// so the next refresh reloads.
func (s *Store) Load(ctx context.Context) (*Set, int64, error) {
	g, err := s.Generation(ctx)
	if err != nil {
		return nil, 0, err
	}
	samples, err := s.List(ctx, 0)
	if err != nil {
		return nil, 0, err
	}
	return NewSet(samples), g, nil
}

// ErrNotFound: no such sample.
var ErrNotFound = errors.New("known: no such sample")
