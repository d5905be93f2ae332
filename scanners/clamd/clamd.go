package clamd

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
)

// Name is the scanner name in findings.
const Name = "clamd"

// IDs of the findings that are not signatures. Both mean "clamd did not see
// these bytes" and are Info unless Options.TooLargeUnscannable is set.
const (
	IDTooLarge    = "too-large"    // larger than Options.MaxSize: not sent
	IDStreamLimit = "stream-limit" // clamd refused it: over its StreamMaxLength
)

// Defaults for zero Options fields. 25 MiB is clamd's own default
// StreamMaxLength, so that the two agree out of the box.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultMaxSize     = 25 << 20
	DefaultConcurrency = 4
)

// Options configure the scanner.
type Options struct {
	Address     string        // "unix:/run/clamav/clamd.ctl" or "tcp:127.0.0.1:3310"
	Timeout     time.Duration // one INSTREAM exchange: connect, send, verdict
	MaxSize     int64         // parts (and raw messages) larger than this are not sent
	Concurrency int           // connections open at once, all messages together
	// TooLargeUnscannable makes parts clamd did not see because of a size
	// limit unscannable findings (the policy's unscannable action) instead
	// of Info notes.
	TooLargeUnscannable bool
}

// Scanner sends parts to clamd. It is safe for concurrent use.
type Scanner struct {
	network, address string
	opts             Options
	slots            chan struct{} // one per open connection
}

var _ scanners.Scanner = (*Scanner)(nil)

// New checks the options; it does not connect (clamd may start later, and a
// clamd that is down is a scan error, not a startup failure).
func New(opts Options) (*Scanner, error) {
	network, address, err := ParseAddress(opts.Address)
	if err != nil {
		return nil, fmt.Errorf("clamd: address %w", err)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxSize <= 0 {
		opts.MaxSize = DefaultMaxSize
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	return &Scanner{network: network, address: address, opts: opts, slots: make(chan struct{}, opts.Concurrency)}, nil
}

// Name implements scanners.Scanner.
func (s *Scanner) Name() string { return Name }

// item is one buffer to send.
type item struct {
	path string // "" for the raw message
	data []byte
}

// result of one item: done when clamd answered (or the item was too large).
type result struct {
	v    verdict
	done bool
}

// Scan sends every leaf part, then the raw message, to clamd: see the
// package comment for which parts and why. The first failure (clamd down,
// a timeout, an error reply) stops the parts not yet sent and is returned
// with the findings made so far.
func (s *Scanner) Scan(ctx context.Context, m *message.Message) ([]scanners.Finding, error) {
	if m == nil {
		return nil, errors.New("clamd: nil message")
	}
	items := s.items(m)
	results := make([]result, len(items))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	fail := func(err error) {
		once.Do(func() { firstErr = err; cancel(err) })
	}
send:
	for i, it := range items {
		if int64(len(it.data)) > s.opts.MaxSize {
			results[i] = result{done: true}
			continue
		}
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			break send
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-s.slots }()
			v, err := dialAndScan(ctx, s.network, s.address, s.opts.Timeout, it.data)
			if err != nil {
				fail(fmt.Errorf("clamd %s: %s: %w", s.opts.Address, where(it.path), err))
				return
			}
			results[i] = result{v: v, done: true}
		}()
	}
	wg.Wait()
	findings := s.findings(items, results)
	if firstErr != nil {
		return findings, firstErr
	}
	if err := ctx.Err(); err != nil {
		return findings, fmt.Errorf("clamd: stopped: %w", context.Cause(ctx))
	}
	return findings, nil
}

// items are the leaf parts (containers are represented by their members, and
// clamd sees them whole in the raw message), each distinct content once, then
// the raw message.
func (s *Scanner) items(m *message.Message) []item {
	var out []item
	seen := map[[32]byte]bool{}
	for _, p := range m.Parts {
		if p == nil || p.Container || p.Encrypted || len(p.Content) == 0 {
			continue
		}
		sum := sha256.Sum256(p.Content)
		if seen[sum] {
			continue
		}
		seen[sum] = true
		out = append(out, item{path: p.Path, data: p.Content})
	}
	if len(m.Raw) > 0 {
		out = append(out, item{path: "", data: m.Raw})
	}
	return out
}

func (s *Scanner) findings(items []item, results []result) []scanners.Finding {
	var out []scanners.Finding
	onPart := map[string]bool{}
	for i, it := range items {
		r := results[i]
		if !r.done {
			continue
		}
		switch {
		case int64(len(it.data)) > s.opts.MaxSize:
			out = append(out, s.limitFinding(IDTooLarge, it.path,
				fmt.Sprintf("%s: %d bytes, over clamd.max_size (%d): not sent to clamd", where(it.path), len(it.data), s.opts.MaxSize)))
		case r.v.sizeLimit:
			out = append(out, s.limitFinding(IDStreamLimit, it.path,
				fmt.Sprintf("%s: %d bytes refused by clamd (over its StreamMaxLength): raise StreamMaxLength in clamd.conf or lower clamd.max_size", where(it.path), len(it.data))))
		case r.v.found != "":
			// The raw message contains every part: a signature already
			// found on a part is not counted again for the whole message.
			if it.path == "" && onPart[r.v.found] {
				continue
			}
			onPart[r.v.found] = true
			out = append(out, scanners.Finding{Scanner: Name, ID: r.v.found, Part: it.path,
				Severity: scanners.Malicious, Score: 100, Detail: "ClamAV: " + r.v.found})
		}
	}
	return out
}

func (s *Scanner) limitFinding(id, part, detail string) scanners.Finding {
	f := scanners.Finding{Scanner: Name, ID: id, Part: part, Severity: scanners.Info, Detail: detail}
	if s.opts.TooLargeUnscannable {
		f.Severity, f.Unscannable = scanners.Suspicious, true
	}
	return f
}

func where(path string) string {
	if path == "" {
		return "whole message"
	}
	return "part " + path
}
