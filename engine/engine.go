// Package engine is the one place the scanning pipeline is written down:
// parse, unpack, scan, decide. Both `kensa serve` and `kensa scan` call Scan.
package engine

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kensa-milter/kensa/known"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/unpack"
)

// Setup is everything a scan needs that a reload may replace. It is never
// changed after it is handed to the engine: a reload builds a new one.
type Setup struct {
	Policy      policy.Config
	Scanners    []scanners.Scanner
	ScanTimeout time.Duration // whole pipeline; 0 means no limit
	Generation  int           // counts reloads, for logs and metrics
	RuleCount   int           // YARA rules in use, for logs and metrics
	Unpack      unpack.Options
	// Cache, when not nil, remembers attachments' findings by content
	// (NewCache); each setup has its own, so a reload empties it.
	Cache *Cache
	// Digests puts each part's SHA-256 and TLSH into the report
	// (`kensa scan --json`); serve leaves it off (the known scanner digests
	// what it looks up itself).
	Digests bool
}

// Engine scans messages with the current Setup.
type Engine struct {
	setup atomic.Pointer[Setup]
}

// New returns an engine using s.
func New(s *Setup) *Engine {
	e := &Engine{}
	e.setup.Store(s)
	return e
}

// Swap installs a new setup. Scans already running finish with the old one.
func (e *Engine) Swap(s *Setup) { e.setup.Store(s) }

// Setup returns the setup new scans use.
func (e *Engine) Setup() *Setup { return e.setup.Load() }

// PartInfo describes one part for reports and logs.
type PartInfo struct {
	Path         string `json:"path"`
	Filename     string `json:"filename"`
	DeclaredType string `json:"declared_type"`
	DetectedType string `json:"detected_type"`
	Size         int    `json:"size"`
	Encrypted    bool   `json:"encrypted,omitempty"`
	Cached       bool   `json:"cached,omitempty"` // its findings came from the verdict cache
	// AltNames and ShownBy are message.Part's: the part's other names, and
	// the readings of a malformed message that alone show it.
	AltNames []string `json:"alt_names,omitempty"`
	ShownBy  string   `json:"shown_by,omitempty"`
	// SHA256 and TLSH (T1 + 70 hex digits, when the part is long and varied
	// enough) are its digests, as the known set stores them; only with
	// Setup.Digests, only for parts with content.
	SHA256 string `json:"sha256,omitempty"`
	TLSH   string `json:"tlsh,omitempty"`
}

// Report is the outcome of one scan.
type Report struct {
	Verdict     policy.Verdict     `json:"verdict"`
	Parts       []PartInfo         `json:"parts"`
	Problems    []message.Problem  `json:"problems,omitempty"`
	Errors      []policy.ScanError `json:"errors,omitempty"`    // scanner and pipeline errors, already reflected in the verdict
	Unscanned   string             `json:"unscanned,omitempty"` // why the message was not scanned at all ("too-large")
	MessageID   string             `json:"message_id"`
	Subject     string             `json:"subject"`
	Size        int                `json:"size"`
	Duration    time.Duration      `json:"duration_ns"`
	Timings     map[string]float64 `json:"timings_ms,omitempty"`   // per stage and scanner
	CacheHits   int                `json:"cache_hits,omitempty"`   // attachments whose findings came from the verdict cache
	CacheMisses int                `json:"cache_misses,omitempty"` // attachments looked up there and scanned
	// Message is the parsed and unpacked message (nil when it was not
	// parsed), for callers that show more than the verdict, such as the
	// URLs `kensa scan` lists. Not serialised, not kept by the engine.
	Message *message.Message `json:"-"`
}

// NewRef returns a short random reference id, safe to show to senders.
func NewRef() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// Scan runs the whole pipeline on one raw message. It never panics and always
// returns a verdict: failures become scan errors that the policy maps (by
// default to tempfail).
func (e *Engine) Scan(ctx context.Context, raw []byte, env message.Envelope) Report {
	start := time.Now()
	s := e.setup.Load()
	rep := Report{Size: len(raw), Timings: map[string]float64{}}
	if reason, ok := s.Policy.Allowed(env); ok {
		rep.Verdict = policy.Verdict{Action: policy.Accept, Reasons: []string{reason}, Skipped: reason}
		rep.Verdict.Ref = NewRef()
		rep.Duration = time.Since(start)
		return rep
	}
	if s.ScanTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.ScanTimeout)
		defer cancel()
	}

	var errs []policy.ScanError
	var findings []scanners.Finding
	t := time.Now()
	m, perr := safeParse(raw)
	rep.Timings["parse"] = ms(time.Since(t))
	if perr != nil {
		errs = append(errs, *perr)
	} else {
		m.Envelope = env
		rep.Message = m
		rep.MessageID, rep.Subject = m.MessageID, m.Subject
		var hits []hit
		var misses map[string][32]byte
		if s.Cache != nil {
			hits, misses = s.Cache.take(m)
			rep.CacheHits, rep.CacheMisses = len(hits), len(misses)
		}
		t = time.Now()
		safeExpand(ctx, m, s.Unpack, &errs)
		rep.Timings["unpack"] = ms(time.Since(t))
		f, scanErrs := runScanners(ctx, s.Scanners, m, rep.Timings)
		findings = append(findings, problemFindings(m.Problems)...)
		findings = append(findings, f...)
		errs = append(errs, scanErrs...)
		for _, p := range m.Parts {
			info := PartInfo{Path: p.Path, Filename: p.Filename,
				DeclaredType: p.DeclaredType, DetectedType: p.DetectedType, Size: len(p.Content), Encrypted: p.Encrypted,
				AltNames: p.AltNames, ShownBy: p.ShownBy}
			if s.Digests && len(p.Content) > 0 {
				d := known.Of(p.Content)
				info.SHA256 = d.SHA256.String()
				if d.HasTLSH {
					info.TLSH = d.TLSH.String()
				}
			}
			rep.Parts = append(rep.Parts, info)
		}
		if s.Cache != nil {
			if len(errs) == 0 && ctx.Err() == nil {
				s.Cache.put(misses, m, findings, rep.Parts)
			}
			cf, cp, parts := replay(hits)
			findings = append(findings, cf...)
			m.Problems = append(m.Problems, cp...)
			rep.Parts = append(rep.Parts, parts...)
		}
		rep.Problems = m.Problems
	}
	if ctx.Err() != nil {
		errs = append(errs, policy.NewScanError(policy.ErrTimeout, "engine", fmt.Errorf("engine: scan stopped: %w", ctx.Err())))
	}
	rep.Errors = errs
	rep.Verdict = s.Policy.Decide(findings, errs)
	rep.Verdict.Ref = NewRef()
	rep.Duration = time.Since(start)
	rep.Timings["total"] = ms(rep.Duration)
	return rep
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// problemFindings turns parts we could not read into findings, so that an
// unparseable part is never silently clean.
func problemFindings(ps []message.Problem) []scanners.Finding {
	var out []scanners.Finding
	for _, p := range ps {
		if !p.Unscannable {
			continue
		}
		out = append(out, scanners.Finding{Scanner: "kensa", ID: p.Reason, Part: p.Part,
			Severity: scanners.Suspicious, Detail: p.Detail, Unscannable: true})
	}
	return out
}

func safeParse(raw []byte) (m *message.Message, serr *policy.ScanError) {
	defer func() {
		if r := recover(); r != nil {
			e := policy.PanicError("parse", "engine: parser", r)
			serr = &e
		}
	}()
	m, err := message.Parse(raw)
	if err != nil {
		e := policy.NewScanError(policy.ErrParse, "parse", err)
		return nil, &e
	}
	return m, nil
}

// safeExpand opens containers. unpack recovers its own panics per container;
// this is the last line of defence, so that a bug there is an error, not a
// crash and not a clean verdict.
func safeExpand(ctx context.Context, m *message.Message, opts unpack.Options, errs *[]policy.ScanError) {
	defer func() {
		if r := recover(); r != nil {
			*errs = append(*errs, policy.PanicError("unpack", "engine: unpack", r))
		}
	}()
	unpack.Expand(ctx, m, opts)
}

// runScanners runs every scanner concurrently; a panic or error in one is an
// error for the policy, not a crash and not a clean result.
func runScanners(ctx context.Context, list []scanners.Scanner, m *message.Message, timings map[string]float64) ([]scanners.Finding, []policy.ScanError) {
	type result struct {
		findings []scanners.Finding
		err      *policy.ScanError
		took     time.Duration
	}
	results := make([]result, len(list))
	var wg sync.WaitGroup
	for i, sc := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.Now()
			defer func() {
				results[i].took = time.Since(t)
				if r := recover(); r != nil {
					e := policy.PanicError(sc.Name(), "scanner "+sc.Name(), r)
					results[i].err = &e
				}
			}()
			f, err := sc.Scan(ctx, m)
			var serr *policy.ScanError
			if err != nil {
				e := policy.NewScanError(policy.ErrScanner, sc.Name(), fmt.Errorf("scanner %s: %w", sc.Name(), err))
				serr = &e
			}
			results[i] = result{findings: f, err: serr}
		}()
	}
	wg.Wait()
	var findings []scanners.Finding
	var errs []policy.ScanError
	for i, r := range results {
		findings = append(findings, r.findings...)
		if r.err != nil {
			errs = append(errs, *r.err)
		}
		timings["scanner_"+list[i].Name()] = ms(r.took)
	}
	return findings, errs
}
