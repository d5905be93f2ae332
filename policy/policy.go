// Package policy turns findings and scan errors into a verdict. It is pure:
// no I/O, no clocks, no globals.
package policy

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
)

// Action is what Kensa tells the MTA to do with a message.
type Action int

const (
	Accept Action = iota
	Tag
	Quarantine
	Reject
	Discard
	TempFail
)

var actionNames = []string{"accept", "tag", "quarantine", "reject", "discard", "tempfail"}

func (a Action) String() string {
	if a >= 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", int(a))
}

// MarshalText makes actions read as words in JSON.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads an action name, so reports read back from JSON.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := ParseAction(string(b))
	*a = v
	return err
}

// ParseAction reads an action name as written in config and rule metadata.
func ParseAction(s string) (Action, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, n := range actionNames {
		if s == n {
			return Action(i), nil
		}
	}
	// TempFail, not Accept, for a caller that ignores the error.
	return TempFail, fmt.Errorf("unknown action %q (want one of %s)", s, strings.Join(actionNames, ", "))
}

// rank orders actions when several findings ask for different ones: the
// strongest wins. A scan error (TempFail) outranks a tag, because a message we
// could not finish scanning must not pass as merely tagged, but a definite
// quarantine or reject outranks the error.
var rank = map[Action]int{Accept: 0, Tag: 1, TempFail: 2, Quarantine: 3, Discard: 4, Reject: 5}

// Stronger reports whether a should win over b.
func Stronger(a, b Action) bool { return rank[a] > rank[b] }

// Config is the operator's mapping from findings to actions.
type Config struct {
	TagScore        int    // score at or above which a message is tagged; 0 disables
	QuarantineScore int    // score at or above which a message is quarantined; 0 disables
	RejectScore     int    // score at or above which a message is rejected; 0 disables
	Malicious       Action // for any malicious finding
	Unscannable     Action // for any part we could not inspect
	OnError         Action // for an internal error or timeout: TempFail (fail-closed) or Accept (fail-open)
	Monitor         bool   // decide and log as usual, but always let the message through
	Allow           Allow
}

// Default is the policy of DESIGN.md.
func Default() Config {
	return Config{
		TagScore:        20,
		QuarantineScore: 50,
		Malicious:       Reject,
		Unscannable:     Quarantine,
		OnError:         TempFail,
	}
}

// Allow lists skip the scan for trusted traffic.
type Allow struct {
	Senders       []string       // "user@example.com", or "example.com" / "@example.com" for a whole domain
	Recipients    []string       // same forms
	Networks      []netip.Prefix // client addresses
	Authenticated bool           // skip mail from SASL-authenticated clients
}

// Verdict is the decision about one message.
type Verdict struct {
	Action   Action             `json:"action"`
	Score    int                `json:"score"`
	Reasons  []string           `json:"reasons"`
	Findings []scanners.Finding `json:"findings"`
	Ref      string             `json:"ref"`
	Monitor  bool               `json:"monitor,omitempty"` // Action was decided but the message is let through
	Skipped  string             `json:"skipped,omitempty"` // why the scan was skipped (allow list), "" when scanned
}

// Effective is the action to carry out: Accept in monitor mode for anything
// but Accept and Tag, which already let the message through.
func (v Verdict) Effective() Action {
	if v.Monitor && v.Action != Accept && v.Action != Tag {
		return Accept
	}
	return v.Action
}

// Allowed says whether the envelope matches an allow list, and which one.
func (c Config) Allowed(env message.Envelope) (reason string, ok bool) {
	if c.Allow.Authenticated && env.AuthUser != "" {
		return ReasonAllowAuthenticated, true
	}
	if env.ClientAddr != "" && len(c.Allow.Networks) > 0 {
		if ip, err := netip.ParseAddr(env.ClientAddr); err == nil {
			ip = ip.Unmap()
			for _, n := range c.Allow.Networks {
				if n.Contains(ip) {
					return ReasonAllowNetwork, true
				}
			}
		}
	}
	// Never the null sender, and never a sender in a recipient's own
	// domain: both are what a forger would use.
	if env.Sender != "" && addressListed(c.Allow.Senders, env.Sender) && !sameDomain(env.Sender, env.Recipients) {
		return ReasonAllowSender, true
	}
	// Every recipient must be allow-listed: one protected mailbox in the
	// transaction means the message is scanned for all.
	if len(env.Recipients) > 0 && len(c.Allow.Recipients) > 0 {
		all := true
		for _, r := range env.Recipients {
			if !addressListed(c.Allow.Recipients, r) {
				all = false
				break
			}
		}
		if all {
			return ReasonAllowRecipient, true
		}
	}
	return "", false
}

func addressListed(list []string, addr string) bool {
	addr = strings.ToLower(strings.TrimSpace(addr))
	domain := ""
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		domain = addr[i+1:]
	}
	for _, e := range list {
		e = strings.ToLower(strings.TrimSpace(e))
		switch {
		case e == "":
		case strings.HasPrefix(e, "@"):
			if domain == e[1:] {
				return true
			}
		case strings.Contains(e, "@"):
			if addr == e {
				return true
			}
		default:
			if domain == e {
				return true
			}
		}
	}
	return false
}

// Decide maps findings and scan errors to a verdict. scanErrs are errors of
// scanners or of the pipeline; one of kind ErrTimeout is a timeout.
func (c Config) Decide(findings []scanners.Finding, scanErrs []ScanError) Verdict {
	v := Verdict{Action: Accept, Findings: findings, Monitor: c.Monitor}
	reasons := map[string]bool{}
	raise := func(a Action, reason string) {
		if Stronger(a, v.Action) {
			v.Action = a
		}
		if a != Accept {
			reasons[reason] = true
		}
	}
	for _, f := range findings {
		v.Score += f.Score
		if f.Action != "" {
			if a, err := ParseAction(f.Action); err == nil {
				raise(a, ReasonRuleAction)
				continue
			}
		}
		switch {
		case f.Severity == scanners.Malicious:
			raise(c.Malicious, ReasonMalicious)
		case f.Unscannable:
			raise(c.Unscannable, ReasonUnscannable)
		}
	}
	switch {
	case c.RejectScore > 0 && v.Score >= c.RejectScore:
		raise(Reject, ReasonScore)
	case c.QuarantineScore > 0 && v.Score >= c.QuarantineScore:
		raise(Quarantine, ReasonScore)
	case c.TagScore > 0 && v.Score >= c.TagScore:
		raise(Tag, ReasonScore)
	}
	for _, err := range scanErrs {
		reason := ReasonScanError
		if err.Kind == ErrTimeout {
			reason = ReasonTimeout
		}
		raise(c.OnError, reason)
		reasons[reason] = true // even when failing open, say why
	}
	for r := range reasons {
		v.Reasons = append(v.Reasons, r)
	}
	sort.Strings(v.Reasons)
	if len(v.Reasons) == 0 {
		v.Reasons = []string{ReasonClean}
	}
	return v
}
