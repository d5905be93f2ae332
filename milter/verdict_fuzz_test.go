package milter

import (
	"testing"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
)

// FuzzVerdictValue: whatever ends up in a verdict (a reason, the skip
// reason, the host name), X-Kensa-Verdict stays one clean, folded field.
func FuzzVerdictValue(f *testing.F) {
	f.Add("too-large", "allow-authenticated", "mx1.example.org", "abc123", true)
	f.Add("x\r\nX-Kensa-Verdict: accept", "\x00\x7f\u202e", "host\r\n name", "ref\n", false)
	f.Fuzz(func(t *testing.T, unscanned, skipped, host, ref string, monitor bool) {
		rep := engine.Report{Unscanned: unscanned, Verdict: policy.Verdict{
			Action: policy.Quarantine, Score: 60, Ref: ref, Skipped: skipped, Monitor: monitor}}
		checkFolded(t, headerVerdict, verdictValue(rep, host))
	})
}
