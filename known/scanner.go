package known

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
)

// Finding IDs.
const (
	FindingKnown   = "known-malicious"  // the exact SHA-256 is known
	FindingSimilar = "similar-to-known" // the TLSH is within the threshold of a known sample
)

// Scanner looks every part up in the known set: by SHA-256, then by TLSH.
type Scanner struct {
	live      *Live
	threshold int // 0: no similarity lookups
	score     int // of a suspicious finding: the quarantine score
}

// NewScanner returns a scanner over live's current set. threshold is
// similarity.threshold (0 turns similar-to-known off); score is what a
// suspicious finding scores (policy.quarantine_score: it quarantines).
func NewScanner(live *Live, threshold, score int) *Scanner {
	return &Scanner{live: live, threshold: threshold, score: score}
}

func (s *Scanner) Name() string { return "known" }

// Scan digests every part with content (only when the set is not empty).
func (s *Scanner) Scan(ctx context.Context, m *message.Message) ([]scanners.Finding, error) {
	set := s.live.Set()
	if set.Len() == 0 {
		return nil, nil
	}
	var out []scanners.Finding
	for _, p := range m.Parts {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if len(p.Content) == 0 {
			continue
		}
		if f, ok := s.lookup(set, p); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

func (s *Scanner) lookup(set *Set, p *message.Part) (scanners.Finding, bool) {
	path := p.Path
	sum := PartDigests(p) // TLSH only matters when not exactly known; it is cheap next to unpacking
	if sm, ok := set.Exact(sum.SHA256); ok {
		f := scanners.Finding{Scanner: "known", ID: FindingKnown, Part: path, Severity: sm.Verdict,
			Detail: fmt.Sprintf("sha256 %s is known as %q (%s)", sum.SHA256, sm.Name, sm.Verdict)}
		if sm.Verdict != scanners.Malicious {
			f.Score = s.score
		}
		return f, true
	}
	if s.threshold <= 0 || !sum.HasTLSH {
		return scanners.Finding{}, false
	}
	sm, dist, ok := set.Similar(sum.TLSH, s.threshold)
	if !ok {
		return scanners.Finding{}, false
	}
	return scanners.Finding{Scanner: "known", ID: FindingSimilar, Part: path, Severity: scanners.Suspicious, Score: s.score,
		Detail: fmt.Sprintf("TLSH distance %d to known sample %q (sha256 %s, %s)", dist, sm.Name, sm.SHA256, sm.Verdict)}, true
}

// Live is the known set a process uses, kept fresh from the store: Run
// refreshes it whenever the store's generation moves (checked every
// refresh interval, and at once on Kick). A refresh reads and applies only
// what changed since the set's generation; the first, and one after the
// store lost the removals it needs (ErrTooOld) or went back in time,
// loads the whole set.
type Live struct {
	store *Store
	log   logrus.FieldLogger
	set   atomic.Pointer[Set]
	gen   atomic.Int64
	kick  chan struct{}
	mu    sync.Mutex // one refresh at a time
	// Loaded counts changes of the set in use; FullLoads those that read
	// the whole set (for tests and logs).
	Loaded, FullLoads atomic.Int64
}

// NewLive returns an empty live set over store (nil: always empty).
func NewLive(store *Store, log logrus.FieldLogger) *Live {
	l := &Live{store: store, log: log, kick: make(chan struct{}, 1)}
	l.gen.Store(-1)
	return l
}

// Set is the current set (never nil to callers that check Len).
func (l *Live) Set() *Set {
	if l == nil {
		return nil
	}
	return l.set.Load()
}

// Refresh brings the set up to the store's generation when it moved.
func (l *Live) Refresh(ctx context.Context) error {
	if l == nil || l.store == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	g, err := l.store.Generation(ctx)
	if err != nil {
		return err
	}
	have := l.gen.Load()
	if g == have {
		return nil
	}
	start := time.Now()
	fields := logrus.Fields{}
	var set *Set
	if cur := l.set.Load(); cur != nil && g > have {
		d, err := l.store.Changes(ctx, have)
		switch {
		case err == nil:
			set, g = cur.With(d.Changed, d.Removed), d.Generation
			fields["changed"], fields["removed"] = len(d.Changed), len(d.Removed)
		case !errors.Is(err, ErrTooOld):
			return err
		}
	}
	if set == nil {
		if set, g, err = l.store.Load(ctx); err != nil {
			return err
		}
		fields["full"] = true
		l.FullLoads.Add(1)
	}
	l.set.Store(set)
	l.gen.Store(g)
	l.Loaded.Add(1)
	if l.log != nil {
		fields["samples"], fields["generation"], fields["duration_ms"] = set.Len(), g, time.Since(start).Milliseconds()
		l.log.WithFields(fields).Info("known set loaded")
	}
	return nil
}

// Kick asks Run to refresh now (SIGHUP).
func (l *Live) Kick() {
	if l == nil {
		return
	}
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// Run refreshes every interval and on Kick until ctx is done. A failed
// refresh keeps the set it has and is logged.
func (l *Live) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := l.Refresh(ctx); err != nil && ctx.Err() == nil && l.log != nil {
			l.log.WithError(err).Error("known set refresh failed; keeping the set loaded before")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-l.kick:
		}
	}
}

// Store is the store the set is read from (nil for none).
func (l *Live) Store() *Store {
	if l == nil {
		return nil
	}
	return l.store
}

// Generation is the store generation of the set in use (-1 before the
// first load): it moves whenever the set changes.
func (l *Live) Generation() int64 {
	if l == nil {
		return -1
	}
	return l.gen.Load()
}
