package disposition

import (
	"reflect"
	"testing"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

// TestDecide is the table of what happens to a verdict, without sockets:
// the milter sends exactly this (milter/testdata/mods.golden pins the
// wire form), and kensa scan --json prints it.
func TestDecide(t *testing.T) {
	base := Config{RejectCode: 550, RejectText: "5.7.1 No (ref {ref})", TempFailText: "4.7.1 Later (ref {ref})",
		SubjectPrefix: "[S] ", Hostname: "mx1", Quarantine: ModeStore,
		ModeByReason: map[string]Mode{policy.ReasonScore: ModeHeader, policy.ReasonUnscannable: ModeHold}}
	find := scanners.Finding{Scanner: "yara", ID: "Rule", Part: "2", Severity: scanners.Malicious}
	rep := func(a policy.Action, reasons ...string) engine.Report {
		return engine.Report{Verdict: policy.Verdict{Action: a, Score: 60, Ref: "r1", Reasons: reasons, Findings: []scanners.Finding{find}}}
	}
	verdict := func(v string) Header { return Header{HeaderVerdict, v} }
	findings := Header{HeaderFindings, "yara/Rule (2)"}
	monitor := rep(policy.Reject, policy.ReasonMalicious)
	monitor.Verdict.Monitor = true
	tests := []struct {
		name     string
		rep      engine.Report
		storable bool
		want     Outcome
	}{
		{"accept", engine.Report{Verdict: policy.Verdict{Action: policy.Accept, Ref: "r0", Reasons: []string{policy.ReasonClean}}}, true,
			Outcome{Action: policy.Accept, Headers: []Header{verdict("accept; score=0; ref=r0; host=mx1")}}},
		{"tag", rep(policy.Tag, policy.ReasonScore), true,
			Outcome{Action: policy.Tag, Headers: []Header{verdict("tag; score=60; ref=r1; host=mx1"), findings}, SubjectPrefix: "[S] "}},
		{"quarantine, store", rep(policy.Quarantine, policy.ReasonMalicious), true,
			Outcome{Action: policy.Quarantine, Quarantine: ModeStore, Text: "kensa: quarantined, ref r1",
				Headers: []Header{verdict("quarantine; score=60; ref=r1; host=mx1"), findings}}},
		{"quarantine, store without a store: hold", rep(policy.Quarantine, policy.ReasonMalicious), false,
			Outcome{Action: policy.Quarantine, Quarantine: ModeHold, Text: "kensa: quarantined, ref r1",
				Headers: []Header{verdict("quarantine; score=60; ref=r1; host=mx1"), findings}}},
		{"quarantine by reason: hold", rep(policy.Quarantine, policy.ReasonUnscannable), true,
			Outcome{Action: policy.Quarantine, Quarantine: ModeHold, Text: "kensa: quarantined, ref r1",
				Headers: []Header{verdict("quarantine; score=60; ref=r1; host=mx1"), findings}}},
		{"quarantine by reason: header is a tag with the prefix", rep(policy.Quarantine, policy.ReasonScore), true,
			Outcome{Action: policy.Tag, Quarantine: ModeHeader,
				Headers: []Header{verdict("quarantine; score=60; ref=r1; host=mx1"), findings}, SubjectPrefix: "[S] "}},
		{"reject: no headers", rep(policy.Reject, policy.ReasonMalicious), true,
			Outcome{Action: policy.Reject, Code: 550, Text: "5.7.1 No (ref r1)"}},
		{"discard", rep(policy.Discard, policy.ReasonRuleAction), true, Outcome{Action: policy.Discard}},
		{"tempfail", rep(policy.TempFail, policy.ReasonScanError), true,
			Outcome{Action: policy.TempFail, Code: TempFailCode, Text: "4.7.1 Later (ref r1)"}},
		{"monitor: accepted, headers say so", monitor, true,
			Outcome{Action: policy.Accept, Headers: []Header{verdict("reject; score=60; ref=r1; monitor; host=mx1"), findings}}},
		{"too large", engine.Unscanned(policy.ReasonTooLarge, policy.Accept, 10), false,
			Outcome{Action: policy.Accept, Headers: []Header{{HeaderVerdict, ""}}}},
	}
	for _, tt := range tests {
		got := Decide(tt.rep, base, tt.storable)
		if tt.name == "too large" { // the ref is random
			tt.want.Headers[0].Value = verdictValue(tt.rep, "mx1")
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
		if got.Stored() != (got.Action == policy.Quarantine && got.Quarantine == ModeStore) {
			t.Errorf("%s: Stored = %v", tt.name, got.Stored())
		}
	}
}

func TestTempFail(t *testing.T) {
	got := TempFail("zz", Config{TempFailText: "4.7.1 Later (ref {ref})"})
	want := Outcome{Action: policy.TempFail, Code: 451, Text: "4.7.1 Later (ref zz)"}
	if !reflect.DeepEqual(got, want) || got.LetThrough() {
		t.Errorf("TempFail = %+v, want %+v", got, want)
	}
}
