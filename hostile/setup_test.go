package hostile

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/sirupsen/logrus/hooks/test"
	"go.uber.org/goleak"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/milter"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/scanners/heuristic"
	"github.com/kensa-milter/kensa/scanners/yarascan"
)

func TestMain(m *testing.M) {
	// go-milter's own warnings (broken pipes of the dropped connections)
	// would flood the output.
	quiet, _ := test.NewNullLogger()
	milter.RouteLibraryWarnings(quiet)
	// libyara and the race detector start no goroutines of their own; any
	// goroutine left after the suite is a leak of ours.
	goleak.VerifyTestMain(m)
}

// tagRule fires on a harmless marker with a tag-level score, so that a
// message is let through with an X-Kensa-Findings header.
const tagRule = `rule Hostile_Tag_Marker {
	meta: score = 30 severity = "suspicious"
	strings: $a = "KENSA-HOSTILE-TAG-MARKER"
	condition: $a
}`

// realSetup is what `kensa serve` builds from the embedded default config,
// plus tagRule.
func realSetup(t testing.TB) *engine.Setup {
	t.Helper()
	c, err := config.Parse(nil)
	if err != nil {
		t.Fatalf("default config: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	rulePath := filepath.Join(t.TempDir(), "tag.yar")
	if err := os.WriteFile(rulePath, []byte(tagRule), 0o600); err != nil {
		t.Fatal(err)
	}
	ys, cerrs, err := yarascan.New(yarascan.Options{Builtin: true, Paths: []string{rulePath}, Timeout: c.YARA.Timeout.D()})
	if err != nil {
		t.Fatalf("yarascan: %v", err)
	}
	for _, ce := range cerrs {
		if !ce.Warning {
			t.Fatalf("rules: %v", ce)
		}
	}
	hs, err := heuristic.New(c.HeuristicOverrides(), heuristic.Options{})
	if err != nil {
		t.Fatalf("heuristic: %v", err)
	}
	return &engine.Setup{
		Policy:      c.PolicyConfig(),
		Unpack:      c.UnpackOptions(),
		Scanners:    []scanners.Scanner{ys, hs},
		ScanTimeout: c.Limits.ScanTimeout.D(),
		RuleCount:   ys.RuleCount(),
	}
}

// measured is one scan with what it cost.
type measured struct {
	rep      engine.Report
	took     time.Duration
	cpu      time.Duration // the process's CPU time during the scan (every goroutine)
	allocs   uint64        // bytes allocated during the scan (all goroutines)
	heapPeak uint64        // largest HeapAlloc sampled during the scan
}

// scan runs one message through the engine, sampling the heap while it runs.
func scan(t testing.TB, e *engine.Engine, raw []byte) measured {
	t.Helper()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		var ms runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			max = maxU(max, ms.HeapAlloc)
			select {
			case <-done:
				peak <- max
				return
			case <-tick.C:
			}
		}
	}()
	start, cpu := time.Now(), cputime.Process()
	rep := e.Scan(context.Background(), raw, message.Envelope{Sender: "mallory@example.net", Recipients: []string{"bob@example.org"}})
	took, cpu := time.Since(start), cputime.Process()-cpu
	close(done)
	p := <-peak
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	return measured{rep: rep, took: took, cpu: cpu, allocs: after.TotalAlloc - before.TotalAlloc, heapPeak: p - min(p, before.HeapAlloc)}
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
