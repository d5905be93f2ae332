package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
)

func TestReleasedFindings(t *testing.T) {
	m := New(Options{})
	counts := map[string]int64{"double-extension": 3, "similar-to-known": 1, "a": 1, "b": 1, "bad\x00label": 2}
	var fail error
	m.ReleasedFindings(func(context.Context) (map[string]int64, error) { return counts, fail }, 3)
	want := `
# HELP kensa_findings_released_total Quarantined messages released although this finding helped hold them (from the quarantine store).
# TYPE kensa_findings_released_total counter
kensa_findings_released_total{id="a"} 1
kensa_findings_released_total{id="b"} 1
kensa_findings_released_total{id="double-extension"} 3
kensa_findings_released_total{id="other"} 3
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "kensa_findings_released_total"); err != nil {
		t.Fatal(err)
	}
	fail = errors.New("store down")
	if _, err := m.Registry().Gather(); err == nil || !strings.Contains(err.Error(), "store down") {
		t.Fatalf("a store error is not reported: %v", err)
	}
}

func TestVerdictCacheCounts(t *testing.T) {
	m := New(Options{})
	m.Started()
	m.Done(engine.Report{CacheHits: 2, CacheMisses: 1, Timings: map[string]float64{"total": 1}}, policy.Accept)
	want := `
# HELP kensa_verdict_cache_total Attachments looked up in the verdict cache, by result (hit: findings reused, not scanned again; miss: scanned).
# TYPE kensa_verdict_cache_total counter
kensa_verdict_cache_total{result="hit"} 2
kensa_verdict_cache_total{result="miss"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "kensa_verdict_cache_total"); err != nil {
		t.Fatal(err)
	}
}
