// Package disposition is the one pure step from a verdict to what the MTA
// is told: the action carried out, the quarantine mode, the SMTP reply, the
// header fields added and the subject prefix. The milter applies an Outcome;
// `kensa scan --json` prints the same Outcome, so the two cannot diverge.
// No I/O, no clocks.
package disposition

import (
	"fmt"
	"strings"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
)

// Mode is how a message is quarantined.
type Mode string

const (
	// ModeStore keeps the message in Kensa's own store and tells the MTA to
	// discard it; when storing fails the MTA is told to try again later, so
	// nothing is lost.
	ModeStore Mode = "store"
	// ModeHold uses the milter quarantine action: Postfix's hold queue,
	// Sendmail's quarantine.
	ModeHold Mode = "hold"
	// ModeHeader only tags: the message is delivered with the X-Kensa-*
	// headers (and the subject prefix) so that mailbox filters can file it.
	ModeHeader Mode = "header"
)

// ParseMode reads a mode name.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeStore, ModeHold, ModeHeader:
		return m, nil
	}
	return "", fmt.Errorf("unknown quarantine mode %q (want store, hold or header)", s)
}

// TempFailCode is the SMTP code of every tempfail.
const TempFailCode = 451

// Config is the operator's choice of replies and quarantine handling. The
// texts must already be safe single lines (the milter's Config makes them so).
type Config struct {
	RejectCode    uint16 // a 5xx code
	RejectText    string // "{ref}" becomes the verdict's ref
	TempFailText  string // sent with TempFailCode; "{ref}" as above
	SubjectPrefix string // put in front of the Subject of tagged mail ("" = none)
	Hostname      string // added to X-Kensa-Verdict as "host=…" when set
	// Quarantine is what a quarantine verdict does; ModeByReason overrides
	// it for verdicts with one of its reasons (the first of the verdict's
	// reasons, in their sorted order, that is listed).
	Quarantine   Mode
	ModeByReason map[string]Mode
}

// ModeFor picks the quarantine mode for a verdict's reasons.
func (c Config) ModeFor(reasons []string) Mode {
	for _, r := range reasons {
		if m, ok := c.ModeByReason[r]; ok {
			return m
		}
	}
	return c.Quarantine
}

// Header is one field added at the top of a message, its value folded.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Outcome is what happens to one message.
type Outcome struct {
	// Action is what is carried out: Accept, Tag, Quarantine, Reject,
	// Discard or TempFail. A quarantine in mode header is a Tag.
	Action     policy.Action `json:"action"`
	Quarantine Mode          `json:"quarantine,omitempty"` // for a quarantine verdict: how it was carried out
	Code       uint16        `json:"smtp_code,omitempty"`  // Reject and TempFail
	// Text is the SMTP text for Reject and TempFail, and the hold reason
	// for Quarantine. It carries the ref, never a rule name.
	Text          string   `json:"smtp_text,omitempty"`
	Headers       []Header `json:"headers,omitempty"`        // added when the message is let through
	SubjectPrefix string   `json:"subject_prefix,omitempty"` // put in front of the Subject (never twice)
}

// LetThrough reports whether the message is delivered (or held) and so
// gets our header fields.
func (o Outcome) LetThrough() bool {
	return o.Action == policy.Accept || o.Action == policy.Tag || o.Action == policy.Quarantine
}

// Stored reports whether the message goes to Kensa's store (and the MTA
// discards it).
func (o Outcome) Stored() bool { return o.Action == policy.Quarantine && o.Quarantine == ModeStore }

// Decide is what happens to rep's verdict under c. storable says whether
// the message can go to Kensa's store (it was read whole and a store is
// open); when not, mode store acts as mode hold.
func Decide(rep engine.Report, c Config, storable bool) Outcome {
	v := rep.Verdict
	o := reply(v, c)
	if o.Action == policy.Quarantine {
		o.Quarantine = c.ModeFor(v.Reasons)
		if o.Quarantine == ModeStore && !storable {
			o.Quarantine = ModeHold // a message we did not read whole cannot be stored
		}
		if o.Quarantine == ModeHeader {
			o.Action, o.Text = policy.Tag, ""
		}
	}
	if o.LetThrough() {
		o.Headers = append(o.Headers, Header{HeaderVerdict, verdictValue(rep, c.Hostname)})
		if items := findingItems(v.Findings); len(items) > 0 {
			o.Headers = append(o.Headers, Header{HeaderFindings, headerValue(HeaderFindings, items)})
		}
	}
	if o.Action == policy.Tag {
		o.SubjectPrefix = c.SubjectPrefix
	}
	return o
}

// TempFail is the outcome when Kensa could not finish: for a failure to
// decide or to store, with the ref of the log line.
func TempFail(ref string, c Config) Outcome {
	return reply(policy.Verdict{Action: policy.TempFail, Ref: ref}, c)
}

// reply maps a verdict's effective action to the MTA's reply. Texts carry
// only the ref, never a rule name or anything else from the findings.
func reply(v policy.Verdict, c Config) Outcome {
	ref := func(t string) string { return strings.ReplaceAll(t, "{ref}", v.Ref) }
	switch a := v.Effective(); a {
	case policy.Quarantine:
		return Outcome{Action: a, Text: "kensa: quarantined, ref " + v.Ref}
	case policy.Reject:
		return Outcome{Action: a, Code: c.RejectCode, Text: ref(c.RejectText)}
	case policy.TempFail:
		return Outcome{Action: a, Code: TempFailCode, Text: ref(c.TempFailText)}
	case policy.Discard, policy.Tag:
		return Outcome{Action: a}
	default:
		return Outcome{Action: policy.Accept}
	}
}
