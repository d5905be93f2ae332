package quarantine

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

// sqlStore is the Store for both SQLite and PostgreSQL: the SQL is common,
// only placeholders ($1 vs ?) and the advisory lock differ.
type sqlStore struct {
	db   *sql.DB
	pg   bool
	opts Options
	now  func() time.Time
}

// q rewrites ? placeholders as $1, $2, … for PostgreSQL. Our SQL has no ?
// anywhere else.
func (s *sqlStore) q(query string) string { return placeholders(s.pg, query) }

func placeholders(pg bool, query string) string {
	if !pg {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func toMicro(t time.Time) int64 { return t.UnixMicro() }

func fromMicro(v int64) time.Time { return time.UnixMicro(v).UTC() }

func nullMicro(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

func timeOf(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMicro(v.Int64)
}

// findingJSON is how a finding is stored: policy and scanners types marshal
// their enums as words but do not read them back.
type findingJSON struct {
	Scanner     string `json:"scanner"`
	ID          string `json:"id"`
	Part        string `json:"part"`
	Severity    string `json:"severity"`
	Score       int    `json:"score"`
	Detail      string `json:"detail,omitempty"`
	Action      string `json:"action,omitempty"`
	Unscannable bool   `json:"unscannable,omitempty"`
}

func encodeFindings(fs []scanners.Finding) (string, error) {
	out := make([]findingJSON, len(fs))
	for i, f := range fs {
		out[i] = findingJSON{f.Scanner, f.ID, f.Part, f.Severity.String(), f.Score, f.Detail, f.Action, f.Unscannable}
	}
	b, err := json.Marshal(out) // escapes NUL and replaces invalid UTF-8
	return string(b), err
}

func decodeFindings(s string) ([]scanners.Finding, error) {
	var in []findingJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]scanners.Finding, len(in))
	for i, f := range in {
		sev, err := scanners.ParseSeverity(f.Severity)
		if err != nil {
			return nil, err
		}
		out[i] = scanners.Finding{Scanner: f.Scanner, ID: f.ID, Part: f.Part, Severity: sev, Score: f.Score, Detail: f.Detail, Action: f.Action, Unscannable: f.Unscannable}
	}
	return out, nil
}

// Reasons are stored as ",a,b," so one LIKE finds one reason.
func encodeReasons(rs []string) string {
	var b strings.Builder
	b.WriteByte(',')
	for _, r := range rs {
		r = strings.ReplaceAll(clean(r, maxShort), ",", "")
		if r == "" {
			continue
		}
		b.WriteString(r)
		b.WriteByte(',')
	}
	return b.String()
}

func decodeReasons(s string) []string {
	var out []string
	for _, r := range strings.Split(s, ",") {
		if r != "" {
			out = append(out, r)
		}
	}
	return out
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s *sqlStore) Close() error { return s.db.Close() }

func (s *sqlStore) Put(ctx context.Context, e *Entry) error {
	if e == nil || len(e.Raw) == 0 {
		return fmt.Errorf("quarantine: put: empty message")
	}
	if len(e.Raw) > maxBody {
		return fmt.Errorf("quarantine: put: message of %d bytes is over the %d byte limit", len(e.Raw), maxBody)
	}
	if e.ID == "" {
		e.ID = newID()
	} else if !ValidID(e.ID) {
		return fmt.Errorf("quarantine: put: malformed id %q", e.ID)
	}
	e.ID = strings.ToLower(e.ID)
	if !policy.Reinjectable(e.Envelope) {
		return fmt.Errorf("quarantine: put: %w", ErrUnsafeAddress)
	}
	// Our own enums: a value read back could not be parsed, and one bad row
	// would break every List.
	if _, err := policy.ParseAction(e.Verdict.Action.String()); err != nil {
		return fmt.Errorf("quarantine: put %s: verdict: %w", e.ID, err)
	}
	for _, f := range e.Verdict.Findings {
		if _, err := scanners.ParseSeverity(f.Severity.String()); err != nil {
			return fmt.Errorf("quarantine: put %s: finding %s: %w", e.ID, f.ID, err)
		}
	}
	if e.QuarantinedAt.IsZero() {
		e.QuarantinedAt = s.now()
	}
	e.QuarantinedAt = fromMicro(toMicro(e.QuarantinedAt))
	if e.ExpiresAt.IsZero() {
		e.ExpiresAt = e.QuarantinedAt.Add(s.opts.Retention)
	}
	e.ExpiresAt = fromMicro(toMicro(e.ExpiresAt))
	e.Size = int64(len(e.Raw))
	findings, err := encodeFindings(e.Verdict.Findings)
	if err != nil {
		return fmt.Errorf("quarantine: put %s: encode findings: %w", e.ID, err)
	}
	body := compress(e.Raw)
	sum := digest(e.Raw)
	env := e.Envelope
	sender := clean(env.Sender, maxAddr)

	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO quarantine_entries (
			id, quarantined_at, expires_at, queue_id, client_addr, client_host, helo, auth_user,
			sender, sender_key, sender_domain, action, score, reasons, ref, findings,
			subject, header_from, message_id, size)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			e.ID, toMicro(e.QuarantinedAt), toMicro(e.ExpiresAt),
			clean(env.QueueID, maxShort), clean(env.ClientAddr, maxShort), clean(env.ClientHost, maxAddr),
			clean(env.Helo, maxAddr), clean(env.AuthUser, maxAddr),
			sender, addrKey(sender), domainOf(addrKey(sender)),
			e.Verdict.Action.String(), e.Verdict.Score, encodeReasons(e.Verdict.Reasons),
			clean(e.Verdict.Ref, maxShort), findings,
			clean(e.Subject, maxHeader), clean(e.From, maxHeader), clean(e.MessageID, maxHeader), e.Size,
		); err != nil {
			return fmt.Errorf("insert entry: %w", err)
		}
		// Recipients in batches: one round trip per hundred, not per address.
		const batch = 100
		for start := 0; start < len(env.Recipients); start += batch {
			end := min(start+batch, len(env.Recipients))
			var sb strings.Builder
			sb.WriteString(`INSERT INTO quarantine_recipients (entry_id, pos, addr, addr_key, domain) VALUES `)
			args := make([]any, 0, 5*(end-start))
			for i := start; i < end; i++ {
				if i > start {
					sb.WriteString(", ")
				}
				sb.WriteString("(?, ?, ?, ?, ?)")
				a := clean(env.Recipients[i], maxAddr)
				args = append(args, e.ID, i, a, addrKey(a), domainOf(addrKey(a)))
			}
			if _, err := tx.ExecContext(ctx, s.q(sb.String()), args...); err != nil {
				return fmt.Errorf("insert recipients: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO quarantine_bodies (entry_id, codec, sha256, data) VALUES (?, ?, ?, ?)`),
			e.ID, codecZstd, sum, body); err != nil {
			return fmt.Errorf("insert body: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("quarantine: put %s: %w", e.ID, err)
	}
	return nil
}

// inTx runs fn in a transaction and commits when it returns nil.
func (s *sqlStore) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

const entryCols = `e.id, e.quarantined_at, e.expires_at, e.queue_id, e.client_addr, e.client_host, e.helo, e.auth_user,
	e.sender, e.action, e.score, e.reasons, e.ref, e.findings, e.subject, e.header_from, e.message_id, e.size,
	e.released_at, e.released_by, e.release_error, e.release_error_at, e.lock_until, e.lock_by, e.deleted_at, e.deleted_by`

type rowScanner interface{ Scan(...any) error }

func (s *sqlStore) scanEntry(r rowScanner) (*Entry, error) {
	var (
		e                                          Entry
		quarantined, expires, size                 int64
		action, reasons, findings                  string
		released, releaseErrAt, lockUntil, deleted sql.NullInt64
		releasedBy, lockBy, deletedBy              sql.NullString
	)
	if err := r.Scan(&e.ID, &quarantined, &expires, &e.Envelope.QueueID, &e.Envelope.ClientAddr, &e.Envelope.ClientHost,
		&e.Envelope.Helo, &e.Envelope.AuthUser, &e.Envelope.Sender, &action, &e.Verdict.Score, &reasons, &e.Verdict.Ref,
		&findings, &e.Subject, &e.From, &e.MessageID, &size, &released, &releasedBy, &e.ReleaseError, &releaseErrAt,
		&lockUntil, &lockBy, &deleted, &deletedBy); err != nil {
		return nil, err
	}
	e.QuarantinedAt, e.ExpiresAt, e.Size = fromMicro(quarantined), fromMicro(expires), size
	e.ReleasedAt, e.ReleasedBy = timeOf(released), releasedBy.String
	e.ReleaseErrorAt = timeOf(releaseErrAt)
	if lockUntil.Valid && lockUntil.Int64 > toMicro(s.now()) {
		e.Releasing, e.ReleasingBy = true, lockBy.String
	}
	e.DeletedAt, e.DeletedBy = timeOf(deleted), deletedBy.String
	var err error
	if e.Verdict.Action, err = policy.ParseAction(action); err != nil {
		return nil, fmt.Errorf("entry %s: %w", e.ID, err)
	}
	e.Verdict.Reasons = decodeReasons(reasons)
	if e.Verdict.Findings, err = decodeFindings(findings); err != nil {
		return nil, fmt.Errorf("entry %s: findings: %w", e.ID, err)
	}
	return &e, nil
}

// addRecipients fills Envelope.Recipients and ReleasedTo of the entries.
func (s *sqlStore) addRecipients(ctx context.Context, es []*Entry) error {
	if len(es) == 0 {
		return nil
	}
	byID := make(map[string]*Entry, len(es))
	args := make([]any, 0, len(es))
	for _, e := range es {
		byID[e.ID] = e
		args = append(args, e.ID)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT entry_id, addr, released_at, released_by FROM quarantine_recipients
		WHERE entry_id IN (?`+strings.Repeat(", ?", len(es)-1)+`) ORDER BY entry_id, pos`), args...)
	if err != nil {
		return fmt.Errorf("read recipients: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id, addr string
			at       sql.NullInt64
			by       sql.NullString
		)
		if err := rows.Scan(&id, &addr, &at, &by); err != nil {
			return fmt.Errorf("read recipients: %w", err)
		}
		e := byID[id]
		e.Envelope.Recipients = append(e.Envelope.Recipients, addr)
		if at.Valid {
			e.ReleasedTo = append(e.ReleasedTo, Recipient{Addr: addr, ReleasedAt: fromMicro(at.Int64), ReleasedBy: by.String})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read recipients: %w", err)
	}
	return nil
}

func (s *sqlStore) Get(ctx context.Context, id string) (*Entry, error) {
	e, err := s.get(ctx, id, true)
	if err != nil {
		return nil, fmt.Errorf("quarantine: get %s: %w", id, err)
	}
	return e, nil
}

// get reads one entry, with its body when raw is set.
func (s *sqlStore) get(ctx context.Context, id string, raw bool) (*Entry, error) {
	id = strings.ToLower(id)
	if !ValidID(id) {
		return nil, ErrNotFound
	}
	e, err := s.scanEntry(s.db.QueryRowContext(ctx, s.q(`SELECT `+entryCols+` FROM quarantine_entries e WHERE e.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := s.addRecipients(ctx, []*Entry{e}); err != nil {
		return nil, err
	}
	if !raw || !e.DeletedAt.IsZero() {
		return e, nil
	}
	var (
		codec, sum string
		data       []byte
	)
	err = s.db.QueryRowContext(ctx, s.q(`SELECT codec, sha256, data FROM quarantine_bodies WHERE entry_id = ?`), id).Scan(&codec, &sum, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("body missing (damaged store)")
	}
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if e.Raw, err = decompress(codec, data, e.Size, sum); err != nil {
		return nil, err
	}
	return e, nil
}

// listQuery is the SQL for a List call.
func (s *sqlStore) listQuery(f Filter) (string, []any, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	switch f.Status {
	case "":
		add(`e.deleted_at IS NULL`)
	case Held:
		add(`e.deleted_at IS NULL AND e.released_at IS NULL`)
	case Released:
		add(`e.deleted_at IS NULL AND e.released_at IS NOT NULL`)
	case Deleted:
		add(`e.deleted_at IS NOT NULL`)
	default:
		return "", nil, fmt.Errorf("unknown status %q", f.Status)
	}
	if r := addrKey(f.Recipient); r != "" {
		if strings.HasPrefix(r, "@") {
			add(`e.id IN (SELECT r.entry_id FROM quarantine_recipients r WHERE r.domain = ?)`, r[1:])
		} else {
			add(`e.id IN (SELECT r.entry_id FROM quarantine_recipients r WHERE r.addr_key = ?)`, r)
		}
	}
	switch snd := addrKey(f.Sender); {
	case snd == "":
	case snd == "<>":
		add(`e.sender = ''`)
	case strings.HasPrefix(snd, "@"):
		add(`e.sender_domain = ?`, snd[1:])
	default:
		add(`e.sender_key = ?`, snd)
	}
	if f.Reason != "" {
		add(`e.reasons LIKE ? ESCAPE '\'`, "%,"+escapeLike(f.Reason)+",%")
	}
	if f.Search != "" {
		p := "%" + escapeLike(strings.ToLower(f.Search)) + "%"
		add(`(LOWER(e.subject) LIKE ? ESCAPE '\' OR LOWER(e.header_from) LIKE ? ESCAPE '\' OR e.sender_key LIKE ? ESCAPE '\' OR LOWER(e.message_id) LIKE ? ESCAPE '\')`, p, p, p, p)
	}
	if !f.Since.IsZero() {
		add(`e.quarantined_at >= ?`, toMicro(f.Since))
	}
	if !f.Until.IsZero() {
		add(`e.quarantined_at < ?`, toMicro(f.Until))
	}
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	if f.Offset < 0 {
		return "", nil, fmt.Errorf("negative offset")
	}
	args = append(args, limit, f.Offset)
	return s.q(`SELECT ` + entryCols + ` FROM quarantine_entries e WHERE ` +
		strings.Join(where, " AND ") + ` ORDER BY e.quarantined_at DESC, e.id DESC LIMIT ? OFFSET ?`), args, nil
}

func (s *sqlStore) List(ctx context.Context, f Filter) ([]Entry, error) {
	query, args, err := s.listQuery(f)
	if err != nil {
		return nil, fmt.Errorf("quarantine: list: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("quarantine: list: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := s.scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("quarantine: list: %w", err)
		}
		out = append(out, *e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("quarantine: list: %w", err)
	}
	rows.Close()
	ptrs := make([]*Entry, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.addRecipients(ctx, ptrs); err != nil {
		return nil, fmt.Errorf("quarantine: list: %w", err)
	}
	return out, nil
}

func (s *sqlStore) Delete(ctx context.Context, id, by string) error {
	id = strings.ToLower(id)
	if !ValidID(id) {
		return fmt.Errorf("quarantine: delete %s: %w", id, ErrNotFound)
	}
	now := toMicro(s.now())
	var marked bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE quarantine_entries SET deleted_at = ?, deleted_by = ?
			WHERE id = ? AND deleted_at IS NULL AND (lock_until IS NULL OR lock_until < ?)`),
			now, clean(by, maxShort), id, now)
		if err != nil {
			return fmt.Errorf("mark deleted: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		marked = true
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM quarantine_bodies WHERE entry_id = ?`), id); err != nil {
			return fmt.Errorf("drop body: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("quarantine: delete %s: %w", id, err)
	}
	if marked {
		return nil
	}
	e, err := s.get(ctx, id, false)
	switch {
	case err != nil:
		return fmt.Errorf("quarantine: delete %s: %w", id, err)
	case !e.DeletedAt.IsZero():
		return nil
	case e.Releasing:
		return fmt.Errorf("quarantine: delete %s: %w (by %s)", id, ErrBusy, e.ReleasingBy)
	}
	return fmt.Errorf("quarantine: delete %s: entry changed meanwhile, try again", id)
}

// Purge runs on one host at a time (Exclusive "purge"); another host's
// purge in progress makes this one purge nothing.
func (s *sqlStore) Purge(ctx context.Context, now time.Time) (n int, err error) {
	_, err = s.Exclusive(ctx, "purge", func(ctx context.Context) error {
		n, err = s.purge(ctx, now)
		return err
	})
	return n, err
}

func (s *sqlStore) purge(ctx context.Context, now time.Time) (int, error) {
	// Expiry is judged by now; whether a release is under way by the real
	// clock, so a caller's "now" in the future cannot break a release's mark.
	exp, lock := toMicro(now), toMicro(s.now())
	const batch = 500
	total := 0
	for {
		// The condition is repeated outside the subquery: PostgreSQL
		// rechecks only the outer WHERE on a row a concurrent release has
		// just marked.
		res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM quarantine_entries
			WHERE id IN (SELECT id FROM quarantine_entries WHERE expires_at <= ? AND (lock_until IS NULL OR lock_until < ?)
			             ORDER BY expires_at LIMIT `+strconv.Itoa(batch)+`)
			AND expires_at <= ? AND (lock_until IS NULL OR lock_until < ?)`), exp, lock, exp, lock)
		if err != nil {
			return total, fmt.Errorf("quarantine: purge: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("quarantine: purge: %w", err)
		}
		total += int(n)
		if n < batch {
			return total, nil
		}
	}
}
