package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

func TestMainReason(t *testing.T) {
	tests := []struct {
		action  policy.Action
		reasons []string
		want    string
	}{
		{policy.Accept, nil, "clean"},
		{policy.Accept, []string{"clean"}, "clean"},
		{policy.Reject, []string{"malicious", "scan-error"}, "malicious"},
		{policy.Reject, []string{"malicious", "score"}, "malicious"},
		{policy.Quarantine, []string{"score", "unscannable"}, "unscannable"},
		{policy.Quarantine, []string{"score", "timeout"}, "score"}, // quarantine outranks the error
		{policy.TempFail, []string{"score", "timeout"}, "timeout"},
		{policy.TempFail, []string{"scan-error", "score"}, "scan-error"},
		{policy.TempFail, []string{"internal-error"}, "internal-error"},
		{policy.Discard, []string{"rule-action", "score"}, "rule-action"},
		{policy.Accept, []string{"timeout"}, "timeout"},     // fail-open
		{policy.Accept, []string{"malicious"}, "malicious"}, // monitor mode
		{policy.Accept, []string{"allow-sender"}, "allow-sender"},
		{policy.Accept, []string{"too-large"}, "too-large"},
		{policy.Quarantine, []string{"too-many-headers"}, "too-many-headers"},
		{policy.Accept, []string{"alice@example.com"}, "other"}, // never a sender-chosen label
	}
	for _, tt := range tests {
		if got := MainReason(tt.action, tt.reasons); got != tt.want {
			t.Errorf("MainReason(%s, %q) = %q, want %q", tt.action, tt.reasons, got, tt.want)
		}
	}
}

// TestErrorLabels: the kind label is the error's kind, bounded.
func TestErrorLabels(t *testing.T) {
	m := New(Options{})
	m.Started()
	m.Done(engine.Report{
		Verdict: policy.Verdict{Action: policy.TempFail, Reasons: []string{policy.ReasonMalicious, policy.ReasonInternalError}},
		Errors: []policy.ScanError{
			{Kind: policy.ErrStore, Message: "milter: quarantine ref x: disk full"},
			{Kind: "made-up", Message: "a kind Kensa does not know"},
		},
	}, policy.TempFail)
	for _, c := range []struct {
		got, want float64
		what      string
	}{
		{testutil.ToFloat64(m.errors.WithLabelValues("store")), 1, "store errors"},
		{testutil.ToFloat64(m.errors.WithLabelValues("other")), 1, "unknown kind"},
		{testutil.ToFloat64(m.errors.WithLabelValues("internal")), 0, "internal errors"},
		{testutil.ToFloat64(m.messages.WithLabelValues("tempfail", "internal-error")), 1, "tempfail/internal-error"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestCappedLabels(t *testing.T) {
	c := newCapped(3)
	tests := []struct{ in, want string }{
		{"EICAR_Test_File", "EICAR_Test_File"},
		{"double-extension", "double-extension"},
		{"", "other"},
		{strings.Repeat("x", 65), "other"},
		{strings.Repeat("x", 64), strings.Repeat("x", 64)},
		{"rule\nwith newline", "other"},
		{"règle", "other"},
		{"fourth_distinct", "other"}, // over the cap of 3
		{"EICAR_Test_File", "EICAR_Test_File"},
	}
	for _, tt := range tests {
		if got := c.value(tt.in); got != tt.want {
			t.Errorf("value(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDone(t *testing.T) {
	m := New(Options{Version: "test", Libyara: "4.2.3", MaxRules: 2})
	m.Started()
	m.Started()
	if v := testutil.ToFloat64(m.inFlight); v != 2 {
		t.Fatalf("in flight %v, want 2", v)
	}
	find := func(id string) scanners.Finding {
		return scanners.Finding{Scanner: "yara", ID: id, Severity: scanners.Malicious}
	}
	m.Done(engine.Report{
		Verdict: policy.Verdict{Action: policy.Reject, Reasons: []string{"malicious", "scan-error"},
			Findings: []scanners.Finding{find("A"), find("A"), find("B"), find("C")}},
		Parts:   make([]engine.PartInfo, 3),
		Size:    1000,
		Errors:  []policy.ScanError{{Kind: policy.ErrScanner, Source: "clamd", Message: "scanner clamd: dial: connection refused"}},
		Timings: map[string]float64{"parse": 1, "unpack": 2, "scanner_yara": 3, "total": 6},
	}, policy.Reject)
	m.Done(engine.Unscanned("too-large", policy.Accept, 5000), policy.Accept)
	if v := testutil.ToFloat64(m.inFlight); v != 0 {
		t.Errorf("in flight %v, want 0", v)
	}
	counters := []struct {
		got  float64
		want float64
		what string
	}{
		{testutil.ToFloat64(m.messages.WithLabelValues("reject", "malicious")), 1, "reject/malicious"},
		{testutil.ToFloat64(m.messages.WithLabelValues("accept", "too-large")), 1, "accept/too-large"},
		{testutil.ToFloat64(m.findings.WithLabelValues("yara", "A")), 2, "findings A"},
		{testutil.ToFloat64(m.findings.WithLabelValues("yara", "B")), 1, "findings B"},
		{testutil.ToFloat64(m.findings.WithLabelValues("yara", "other")), 1, "findings over the cap"},
		{testutil.ToFloat64(m.errors.WithLabelValues("scanner")), 1, "scanner errors"},
		{testutil.ToFloat64(m.unscanned.WithLabelValues("too-large")), 1, "unscanned too-large"},
		{testutil.ToFloat64(m.unscanned.WithLabelValues("too-many-headers")), 0, "unscanned too-many-headers"},
		{testutil.ToFloat64(m.bytes), 1000, "bytes (the unscanned message not counted)"},
	}
	for _, c := range counters {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if n := testutil.CollectAndCount(m.stages); n != 4 {
		t.Errorf("%d stage histograms, want 4", n)
	}
	if n := testutil.CollectAndCount(m.parts); n != 1 {
		t.Errorf("%d parts histograms, want 1", n)
	}
	if err := testutil.GatherAndCompare(m.reg, strings.NewReader(`
# HELP kensa_message_parts Parts per scanned message, after unpacking containers.
# TYPE kensa_message_parts histogram
kensa_message_parts_bucket{le="1"} 0
kensa_message_parts_bucket{le="2"} 0
kensa_message_parts_bucket{le="3"} 1
kensa_message_parts_bucket{le="5"} 1
kensa_message_parts_bucket{le="10"} 1
kensa_message_parts_bucket{le="20"} 1
kensa_message_parts_bucket{le="50"} 1
kensa_message_parts_bucket{le="100"} 1
kensa_message_parts_bucket{le="200"} 1
kensa_message_parts_bucket{le="500"} 1
kensa_message_parts_bucket{le="1000"} 1
kensa_message_parts_bucket{le="2000"} 1
kensa_message_parts_bucket{le="+Inf"} 1
kensa_message_parts_sum 3
kensa_message_parts_count 1
`), "kensa_message_parts"); err != nil {
		t.Error(err)
	}
	if got := histogramSum(t, m, "kensa_scan_duration_seconds", "total"); got != 0.006 {
		t.Errorf("total stage sum %v s, want 0.006 (6 ms)", got)
	}
}

// histogramSum is the sum of the histogram name{stage=stage}.
func histogramSum(t *testing.T, m *Metrics, name, stage string) float64 {
	t.Helper()
	mfs, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, mt := range mf.GetMetric() {
			for _, l := range mt.GetLabel() {
				if l.GetName() == "stage" && l.GetValue() == stage {
					return mt.GetHistogram().GetSampleSum()
				}
			}
		}
	}
	t.Fatalf("no %s{stage=%q}", name, stage)
	return 0
}
