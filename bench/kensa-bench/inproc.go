package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"runtime/pprof"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hillu/go-yara/v4"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/rules"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/scanners/heuristic"
	"github.com/kensa-milter/kensa/scanners/yarascan"
	"github.com/kensa-milter/kensa/unpack"
)

// pipeline is Kensa's engine as `kensa serve` builds it from the default
// config, with extra rule files.
func pipeline(extra []string) (*engine.Engine, error) {
	c, err := config.Parse(nil)
	if err != nil {
		return nil, err
	}
	ys, _, err := yarascan.New(yarascan.Options{Builtin: true, Paths: extra, Timeout: c.YARA.Timeout.D(),
		RawBase64Keep: yarascan.RawBase64Keep(c.YARA.WholeMessage), ImageData: yarascan.ImageData(c.YARA.Images), PackedData: yarascan.PackedData(c.YARA.Packed)})
	if err != nil {
		return nil, err
	}
	hs, err := heuristic.New(c.HeuristicOverrides(), heuristic.Options{})
	if err != nil {
		return nil, err
	}
	return engine.New(&engine.Setup{Policy: c.PolicyConfig(), Unpack: c.UnpackOptions(),
		Scanners: []scanners.Scanner{ys, hs}, ScanTimeout: c.Limits.ScanTimeout.D()}), nil
}

// rawRules compiles the same files with go-yara directly, externals
// defined as yarascan defines them, for libyara's own time.
func rawRules(extra []string) (*yara.Rules, error) {
	c, err := yara.NewCompiler()
	if err != nil {
		return nil, err
	}
	defer c.Destroy()
	for _, name := range []string{"filename", "filepath", "extension", "filetype", "owner", "mime_type", "declared_type", "sender_domain"} {
		if err := c.DefineVariable(name, ""); err != nil {
			return nil, err
		}
	}
	if err := c.DefineVariable("part_depth", 0); err != nil {
		return nil, err
	}
	names, _ := fs.Glob(rules.FS, "*.yar")
	sort.Strings(names)
	for _, n := range names {
		b, _ := rules.FS.ReadFile(n)
		if err := c.AddString(string(b), "builtin/"+n); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
	}
	for _, p := range extra {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if err := c.AddString(string(b), p); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return c.GetRules()
}

// decoded is one message with the buffers yarascan scans: every part's
// content and the raw message as the default config trims it.
type decoded struct {
	raw  []byte
	bufs [][]byte
}

func decode(raw []byte) (decoded, error) {
	m, err := message.Parse(raw)
	if err != nil {
		return decoded{}, err
	}
	c, _ := config.Parse(nil)
	unpack.Expand(context.Background(), m, c.UnpackOptions())
	d := decoded{raw: raw}
	for _, p := range m.Parts {
		if len(p.Content) > 0 {
			d.bufs = append(d.bufs, p.Content)
		}
	}
	d.bufs = append(d.bufs, yarascan.WholeMessage(m, yarascan.RawBase64Keep(c.YARA.WholeMessage)))
	return d, nil
}

type nullCallback struct{}

func (nullCallback) RuleMatching(*yara.ScanContext, *yara.Rule) (bool, error) { return false, nil }

// repeat calls fn from conc goroutines for dur and counts the calls.
func repeat(conc int, dur time.Duration, setup func() (func(i int) int64, func())) run {
	var n atomic.Int64
	var bytes atomic.Int64
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		fn, done := setup()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer done()
			for time.Now().Before(deadline) {
				i := int(n.Add(1) - 1)
				bytes.Add(fn(i))
			}
		}()
	}
	wg.Wait()
	return run{Msgs: int(n.Load()), Bytes: bytes.Load(), Elapsed: time.Since(start)}
}

// inprocResult compares the whole pipeline with libyara alone on the same bytes.
type inprocResult struct {
	Corpus, Ruleset  string
	Pipeline, Libyar []run
	ScannedBytes     int // bytes libyara scans per message (parts + raw), on average
}

// inproc measures the pipeline and libyara alone on raws, message after
// message, round and round.
func inproc(corpus string, raws [][]byte, ruleset string, extra []string, runs, conc int, dur time.Duration, profile string) (inprocResult, error) {
	res := inprocResult{Corpus: corpus, Ruleset: ruleset}
	eng, err := pipeline(extra)
	if err != nil {
		return res, err
	}
	yr, err := rawRules(extra)
	if err != nil {
		return res, err
	}
	var decs []decoded
	scanned := 0
	for _, raw := range raws {
		d, err := decode(raw)
		if err != nil {
			return res, err
		}
		for _, b := range d.bufs {
			scanned += len(b)
		}
		decs = append(decs, d)
	}
	res.ScannedBytes = scanned / len(raws)
	env := message.Envelope{Sender: "alice@example.com", Recipients: []string{"bob@example.org"}}
	for i := range runs {
		if profile != "" && i == 0 {
			f, err := os.Create(profile)
			if err != nil {
				return res, err
			}
			_ = pprof.StartCPUProfile(f)
		}
		res.Pipeline = append(res.Pipeline, repeat(conc, dur, func() (func(int) int64, func()) {
			return func(i int) int64 {
				raw := raws[i%len(raws)]
				rep := eng.Scan(context.Background(), raw, env)
				if rep.Verdict.Action != 0 {
					warnf("in-process %s: verdict %s %v", corpus, rep.Verdict.Action, rep.Verdict.Reasons)
				}
				return int64(len(raw))
			}, func() {}
		}))
		if profile != "" && i == 0 {
			pprof.StopCPUProfile()
		}
		res.Libyar = append(res.Libyar, repeat(conc, dur, func() (func(int) int64, func()) {
			s, err := yara.NewScanner(yr)
			if err != nil {
				panic(err)
			}
			s.SetFlags(yara.ScanFlags(4)).SetCallback(nullCallback{})
			return func(i int) int64 {
				d := decs[i%len(decs)]
				for _, b := range d.bufs {
					if err := s.ScanMem(b); err != nil {
						warnf("libyara: %v", err)
					}
				}
				return int64(len(d.raw))
			}, s.Destroy
		}))
	}
	return res, nil
}
