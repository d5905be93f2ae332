package quarantine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// pgLock names a job's advisory lock. Advisory locks are shared by every
// schema of a database, so the key includes the store's schema: two Kensa
// installations (or two tests) in one database do not hold each other's
// jobs. The two-key form keeps these apart from pgMigrationLock's.
const pgLock = `hashtext('kensa'), hashtext(current_schema() || ':' || $1)`

func (s *sqlStore) Exclusive(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	if !s.pg {
		// One host's database: a lease row keeps a second process (serve
		// and the CLI) from running the same job at once.
		return s.exclusiveSQLite(ctx, name, fn)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("quarantine: lock %s: %w", name, err)
	}
	defer conn.Close()
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(`+pgLock+`)`, name).Scan(&got); err != nil {
		return false, fmt.Errorf("quarantine: lock %s: %w", name, err)
	}
	if !got {
		return false, nil
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_, _ = conn.ExecContext(uctx, `SELECT pg_advisory_unlock(`+pgLock+`)`, name)
	}()
	return true, fn(ctx)
}

// exclusiveSQLite takes a lease (an hour at most, so a crash does not keep
// the job from ever running again) in quarantine_state.
func (s *sqlStore) exclusiveSQLite(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	key := "lock:" + name
	now := s.now()
	var got bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var until int64
		err := tx.QueryRowContext(ctx, `SELECT value FROM quarantine_state WHERE name = ?`, key).Scan(&until)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err == nil && until > toMicro(now) {
			return nil
		}
		got = true
		_, err = tx.ExecContext(ctx, `INSERT INTO quarantine_state (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, key, toMicro(now.Add(time.Hour)))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("quarantine: lock %s: %w", name, err)
	}
	if !got {
		return false, nil
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_, _ = s.db.ExecContext(uctx, `DELETE FROM quarantine_state WHERE name = ?`, key)
	}()
	return true, fn(ctx)
}

func (s *sqlStore) Time(ctx context.Context, name string) (time.Time, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT value FROM quarantine_state WHERE name = ?`), name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("quarantine: read %s: %w", name, err)
	}
	return fromMicro(v), nil
}

func (s *sqlStore) SetTime(ctx context.Context, name string, t time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO quarantine_state (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`), name, toMicro(t))
	if err != nil {
		return fmt.Errorf("quarantine: write %s: %w", name, err)
	}
	return nil
}
