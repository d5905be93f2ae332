// Package scanners defines what a scanner is and what it reports. It holds no
// scanner logic of its own.
package scanners

import (
	"context"
	"fmt"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// Severity orders how bad a finding is.
type Severity int

const (
	Info Severity = iota
	Suspicious
	Malicious
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Suspicious:
		return "suspicious"
	case Malicious:
		return "malicious"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads "info", "suspicious" or "malicious" (any case).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return Info, nil
	case "suspicious":
		return Suspicious, nil
	case "malicious":
		return Malicious, nil
	}
	return Info, fmt.Errorf("unknown severity %q (want info, suspicious or malicious)", s)
}

// MarshalText makes severities read as words in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity word, so reports read back from JSON.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// Finding is one thing a scanner saw. It is data: the policy decides what it means.
type Finding struct {
	Scanner     string   `json:"scanner"` // "yara", "heuristic", "clamd", "kensa"
	ID          string   `json:"id"`      // rule or check ID, stable
	Part        string   `json:"part"`    // part path, "" for the whole message
	Severity    Severity `json:"severity"`
	Score       int      `json:"score"`
	Detail      string   `json:"detail,omitempty"`      // for logs, headers, console; never in an SMTP reply
	Location    string   `json:"location,omitempty"`    // where in the part, for URL findings: text, href, action, frame, src, pdf, office, calendar, qr
	Action      string   `json:"action,omitempty"`      // an action the rule asks for ("reject", "quarantine", ...), "" for none
	Unscannable bool     `json:"unscannable,omitempty"` // part of the message could not be inspected
}

// Scanner inspects a parsed message. Implementations must be safe for
// concurrent use and must honour ctx.
type Scanner interface {
	Name() string
	Scan(ctx context.Context, m *message.Message) ([]Finding, error)
}
