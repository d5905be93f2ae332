package engine

import (
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

// Unscanned is the report for a message Kensa chose not to scan (reason
// "too-large"); action is the operator's choice for that case.
func Unscanned(reason string, action policy.Action, size int) Report {
	return Report{
		Verdict:   policy.Verdict{Action: action, Reasons: []string{reason}, Ref: NewRef()},
		Size:      size,
		Unscanned: reason,
	}
}

// Summary is the flat form of a report that `kensa scan --json` prints and
// the log line carries: the effective action first, what was decided beside it.
type Summary struct {
	Action     policy.Action      `json:"action"`
	Decided    policy.Action      `json:"decided"`
	Monitor    bool               `json:"monitor,omitempty"`
	Score      int                `json:"score"`
	Ref        string             `json:"ref"`
	Reasons    []string           `json:"reasons"`
	Skipped    string             `json:"skipped,omitempty"`
	Unscanned  string             `json:"unscanned,omitempty"`
	Findings   []scanners.Finding `json:"findings"`
	Parts      []PartInfo         `json:"parts"`
	Problems   []message.Problem  `json:"problems,omitempty"`
	Errors     []policy.ScanError `json:"errors,omitempty"`
	MessageID  string             `json:"message_id,omitempty"`
	Subject    string             `json:"subject,omitempty"`
	Size       int                `json:"size"`
	DurationMS float64            `json:"duration_ms"`
}

// Summary flattens the report.
func (r Report) Summary() Summary {
	s := Summary{
		Action:     r.Verdict.Effective(),
		Decided:    r.Verdict.Action,
		Monitor:    r.Verdict.Monitor,
		Score:      r.Verdict.Score,
		Ref:        r.Verdict.Ref,
		Reasons:    r.Verdict.Reasons,
		Skipped:    r.Verdict.Skipped,
		Unscanned:  r.Unscanned,
		Findings:   r.Verdict.Findings,
		Parts:      r.Parts,
		Problems:   r.Problems,
		Errors:     r.Errors,
		MessageID:  r.MessageID,
		Subject:    r.Subject,
		Size:       r.Size,
		DurationMS: ms(r.Duration),
	}
	if s.Findings == nil {
		s.Findings = []scanners.Finding{}
	}
	if s.Parts == nil {
		s.Parts = []PartInfo{}
	}
	if s.Reasons == nil {
		s.Reasons = []string{}
	}
	return s
}
