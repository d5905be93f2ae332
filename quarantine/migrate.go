package quarantine

import (
	"context"
	"fmt"
	"strings"
)

// migrations are the schema steps, in order: version N is migrations[N-1].
// Never edit a step that has shipped; add a new one. "BLOB" is written as
// PostgreSQL's "BYTEA" there.
var migrations = [][]string{
	{ // 1: entries, recipients, bodies
		`CREATE TABLE quarantine_entries (
			id               TEXT PRIMARY KEY,
			quarantined_at   BIGINT NOT NULL,
			expires_at       BIGINT NOT NULL,
			queue_id         TEXT NOT NULL,
			client_addr      TEXT NOT NULL,
			client_host      TEXT NOT NULL,
			helo             TEXT NOT NULL,
			auth_user        TEXT NOT NULL,
			sender           TEXT NOT NULL,
			sender_key       TEXT NOT NULL,
			sender_domain    TEXT NOT NULL,
			action           TEXT NOT NULL,
			score            INTEGER NOT NULL,
			reasons          TEXT NOT NULL,
			ref              TEXT NOT NULL,
			findings         TEXT NOT NULL,
			subject          TEXT NOT NULL,
			header_from      TEXT NOT NULL,
			message_id       TEXT NOT NULL,
			size             BIGINT NOT NULL,
			released_at      BIGINT,
			released_by      TEXT,
			release_error    TEXT NOT NULL DEFAULT '',
			release_error_at BIGINT,
			lock_until       BIGINT,
			lock_token       TEXT,
			lock_by          TEXT,
			deleted_at       BIGINT,
			deleted_by       TEXT
		)`,
		`CREATE INDEX quarantine_entries_time ON quarantine_entries (quarantined_at)`,
		`CREATE INDEX quarantine_entries_expires ON quarantine_entries (expires_at)`,
		`CREATE INDEX quarantine_entries_sender ON quarantine_entries (sender_key)`,
		`CREATE INDEX quarantine_entries_sender_domain ON quarantine_entries (sender_domain)`,
		`CREATE TABLE quarantine_recipients (
			entry_id    TEXT NOT NULL REFERENCES quarantine_entries (id) ON DELETE CASCADE,
			pos         INTEGER NOT NULL,
			addr        TEXT NOT NULL,
			addr_key    TEXT NOT NULL,
			domain      TEXT NOT NULL,
			released_at BIGINT,
			released_by TEXT,
			PRIMARY KEY (entry_id, pos)
		)`,
		`CREATE INDEX quarantine_recipients_addr ON quarantine_recipients (addr_key, entry_id)`,
		`CREATE INDEX quarantine_recipients_domain ON quarantine_recipients (domain, entry_id)`,
		`CREATE TABLE quarantine_bodies (
			entry_id TEXT PRIMARY KEY REFERENCES quarantine_entries (id) ON DELETE CASCADE,
			codec    TEXT NOT NULL,
			sha256   TEXT NOT NULL,
			data     BLOB NOT NULL
		)`,
	},
	{ // 2: how often each finding ID was among the findings of a released message
		`CREATE TABLE quarantine_finding_releases (
			finding_id TEXT PRIMARY KEY,
			released   BIGINT NOT NULL
		)`,
	},
	{ // 3: named values every host shares (the digest watermark)
		`CREATE TABLE quarantine_state (
			name  TEXT PRIMARY KEY,
			value BIGINT NOT NULL
		)`,
	},
}

// pgMigrationLock is the advisory lock key that serialises migrations of
// Kensa hosts sharing a PostgreSQL database ("Kensa" in ASCII).
const pgMigrationLock = 0x4b656e7361

// migrate brings the schema up to date in one transaction, so a failure
// leaves the previous version in place and two hosts starting at once apply
// each step exactly once.
func (s *sqlStore) migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil) // SQLite: BEGIN IMMEDIATE (the DSN's _txlock) takes the write lock now
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if s.pg {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(pgMigrationLock)); err != nil {
			return fmt.Errorf("take migration lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS quarantine_schema (
		version    INTEGER PRIMARY KEY,
		applied_at BIGINT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema table: %w", err)
	}
	var have int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM quarantine_schema`).Scan(&have); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if have > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this Kensa knows (%d): upgrade Kensa", have, len(migrations))
	}
	for v := have + 1; v <= len(migrations); v++ {
		for _, stmt := range migrations[v-1] {
			if s.pg {
				stmt = strings.ReplaceAll(stmt, " BLOB ", " BYTEA ")
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("schema step %d: %w", v, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO quarantine_schema (version, applied_at) VALUES (?, ?)`), v, toMicro(s.now())); err != nil {
			return fmt.Errorf("record schema step %d: %w", v, err)
		}
	}
	return tx.Commit()
}

// SchemaVersion is the schema version this Kensa writes.
func SchemaVersion() int { return len(migrations) }
