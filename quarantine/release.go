package quarantine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kensa-milter/kensa/scanners"
)

func (s *sqlStore) Release(ctx context.Context, id, by string, deliver DeliverFunc, only ...string) (ReleaseResult, error) {
	res, err := s.release(ctx, id, clean(by, maxShort), deliver, only)
	if err != nil {
		return res, fmt.Errorf("quarantine: release %s: %w", id, err)
	}
	return res, nil
}

func (s *sqlStore) release(ctx context.Context, id, by string, deliver DeliverFunc, only []string) (ReleaseResult, error) {
	id = strings.ToLower(id)
	if !ValidID(id) {
		return ReleaseResult{}, ErrNotFound
	}
	if deliver == nil {
		return ReleaseResult{}, errors.New("no delivery function")
	}
	token := newID()
	for attempt := 0; ; attempt++ {
		// Mark the entry in one conditional UPDATE: of two releases (or a
		// release and a purge) only one can win.
		now := s.now()
		res, err := s.db.ExecContext(ctx, s.q(`UPDATE quarantine_entries SET lock_until = ?, lock_token = ?, lock_by = ?
			WHERE id = ? AND deleted_at IS NULL AND released_at IS NULL AND (lock_until IS NULL OR lock_until < ?)`),
			toMicro(now.Add(2*s.opts.ReleaseTimeout)), token, by, id, toMicro(now))
		if err != nil {
			return ReleaseResult{}, fmt.Errorf("mark for release: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			break
		}
		e, err := s.get(ctx, id, false)
		if err != nil {
			return ReleaseResult{}, err
		}
		if _, err := targets(e, only); err != nil {
			return ReleaseResult{}, err
		}
		switch {
		case !e.DeletedAt.IsZero():
			return ReleaseResult{}, fmt.Errorf("%w at %s by %s", ErrDeleted, e.DeletedAt.Format(time.RFC3339), e.DeletedBy)
		case !e.ReleasedAt.IsZero():
			return already(e, only), nil
		case e.Releasing:
			return ReleaseResult{}, fmt.Errorf("%w (by %s)", ErrBusy, e.ReleasingBy)
		}
		if attempt == 2 { // the mark expired between our UPDATE and our read, three times
			return ReleaseResult{}, ErrBusy
		}
	}

	// The entry is ours until we clear the mark.
	e, err := s.get(ctx, id, true)
	if err == nil && len(e.Raw) == 0 {
		err = errors.New("body missing")
	}
	var to []string
	if err == nil {
		to, err = targets(e, only)
	}
	if err != nil {
		s.unmark(ctx, id, token)
		return ReleaseResult{}, err
	}
	if len(to) == 0 {
		s.unmark(ctx, id, token)
		return already(e, only), nil
	}

	out := *e
	out.Envelope.Recipients = to
	dctx, cancel := context.WithTimeout(ctx, s.opts.ReleaseTimeout)
	derr := deliver(dctx, &out)
	cancel()
	var delivered []string
	var rerr *RecipientsError
	switch {
	case derr == nil:
		delivered = to
	case errors.As(derr, &rerr):
		for _, d := range rerr.Delivered { // only what we asked for
			if slices.ContainsFunc(to, func(t string) bool { return addrKey(t) == addrKey(d) }) {
				delivered = append(delivered, d)
			}
		}
	}

	// Record the outcome even when ctx is cancelled by now: the mail went.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	now := s.now()
	complete, err := s.finish(rctx, id, token, by, now, delivered, derr)
	result := ReleaseResult{Delivered: delivered, ReleasedAt: now, ReleasedBy: by, Complete: complete}
	if err != nil {
		if len(delivered) > 0 {
			return result, fmt.Errorf("delivered to %v but could not record it (a retry may deliver again): %w", delivered, err)
		}
		return result, err
	}
	if len(delivered) > 0 && len(e.ReleasedTo) == 0 {
		// Statistics: a failure to count must not fail a release that went.
		_ = s.countReleased(rctx, e.Verdict.Findings)
	}
	if derr != nil {
		return result, fmt.Errorf("deliver: %w", derr)
	}
	return result, nil
}

// countReleased adds one release to each distinct finding ID that weighed
// in the verdict (suspicious or worse, or scored).
func (s *sqlStore) countReleased(ctx context.Context, findings []scanners.Finding) error {
	seen := map[string]bool{}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, f := range findings {
			id := clean(f.ID, maxShort)
			if id == "" || seen[id] || (f.Severity < scanners.Suspicious && f.Score <= 0) {
				continue
			}
			seen[id] = true
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO quarantine_finding_releases (finding_id, released) VALUES (?, 1)
				ON CONFLICT (finding_id) DO UPDATE SET released = quarantine_finding_releases.released + 1`), id); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *sqlStore) ReleasedFindings(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT finding_id, released FROM quarantine_finding_releases ORDER BY finding_id LIMIT 10000`)
	if err != nil {
		return nil, fmt.Errorf("quarantine: released findings: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("quarantine: released findings: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// targets are the recipients a release goes to: those not yet released,
// narrowed to only when given. Every address of only must be a recipient.
func targets(e *Entry, only []string) ([]string, error) {
	if len(e.Envelope.Recipients) == 0 {
		return nil, errors.New("entry has no recipients")
	}
	isRcpt := map[string]bool{}
	for _, r := range e.Envelope.Recipients {
		isRcpt[addrKey(r)] = true
	}
	want := map[string]bool{}
	for _, o := range only {
		k := addrKey(o)
		if !isRcpt[k] {
			return nil, fmt.Errorf("%w: %q", ErrNotRecipient, clean(o, maxAddr))
		}
		want[k] = true
	}
	done := map[string]bool{}
	for _, r := range e.ReleasedTo {
		done[addrKey(r.Addr)] = true
	}
	var to []string
	for _, r := range e.Envelope.Recipients {
		k := addrKey(r)
		if done[k] || len(only) > 0 && !want[k] {
			continue
		}
		done[k] = true // once per address, however often the envelope lists it
		to = append(to, r)
	}
	return to, nil
}

// already describes an earlier release of the entry, or of the recipients
// in only.
func already(e *Entry, only []string) ReleaseResult {
	r := ReleaseResult{AlreadyReleased: true, ReleasedAt: e.ReleasedAt, ReleasedBy: e.ReleasedBy, Complete: !e.ReleasedAt.IsZero()}
	if len(only) > 0 {
		for _, rt := range e.ReleasedTo {
			if addrKey(rt.Addr) == addrKey(only[0]) {
				r.ReleasedAt, r.ReleasedBy = rt.ReleasedAt, rt.ReleasedBy
				break
			}
		}
	}
	return r
}

// unmark clears our release mark after a release that delivered nothing.
func (s *sqlStore) unmark(ctx context.Context, id, token string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	// A failure here leaves the mark until its lease runs out: harmless.
	_, _ = s.db.ExecContext(ctx, s.q(`UPDATE quarantine_entries SET lock_until = NULL, lock_token = NULL, lock_by = NULL
		WHERE id = ? AND lock_token = ?`), id, token)
}

// finish records a release attempt and clears the mark, in one transaction.
// It reports whether every recipient has now been released.
func (s *sqlStore) finish(ctx context.Context, id, token, by string, now time.Time, delivered []string, derr error) (bool, error) {
	errText, errAt := "", sql.NullInt64{}
	if derr != nil {
		errText, errAt = clean(derr.Error(), maxHeader), nullMicro(now)
	}
	complete := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE quarantine_entries SET lock_until = NULL, lock_token = NULL, lock_by = NULL,
			release_error = ?, release_error_at = ? WHERE id = ? AND lock_token = ?`), errText, errAt, id, token)
		if err != nil {
			return fmt.Errorf("record release: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("release took longer than its lease (%s) and another release took over", 2*s.opts.ReleaseTimeout)
		}
		for _, r := range delivered {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE quarantine_recipients SET released_at = ?, released_by = ?
				WHERE entry_id = ? AND addr_key = ? AND released_at IS NULL`), toMicro(now), by, id, addrKey(r)); err != nil {
				return fmt.Errorf("record release to recipient: %w", err)
			}
		}
		var pending int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM quarantine_recipients WHERE entry_id = ? AND released_at IS NULL`), id).Scan(&pending); err != nil {
			return fmt.Errorf("count pending recipients: %w", err)
		}
		if pending > 0 {
			return nil
		}
		complete = true
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE quarantine_entries SET released_at = ?, released_by = ? WHERE id = ?`), toMicro(now), by, id); err != nil {
			return fmt.Errorf("record release: %w", err)
		}
		return nil
	})
	return complete, err
}
