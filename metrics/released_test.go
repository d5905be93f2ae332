package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
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
