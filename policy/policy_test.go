package policy

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"testing"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
)

func f(sev scanners.Severity, score int) scanners.Finding {
	return scanners.Finding{Scanner: "test", ID: "r", Severity: sev, Score: score}
}

func TestDecide(t *testing.T) {
	unscannable := scanners.Finding{Scanner: "kensa", ID: "limit-depth", Severity: scanners.Suspicious, Unscannable: true}
	withAction := func(fi scanners.Finding, a string) scanners.Finding { fi.Action = a; return fi }
	timeout := NewScanError(ErrScanner, "yara", fmt.Errorf("scanner yara: %w", context.DeadlineExceeded))
	canceled := NewScanError(ErrScanner, "yara", fmt.Errorf("scanner yara: %w", context.Canceled))
	boom := ScanError{Kind: ErrScanner, Source: "clamd", Message: "boom"}
	failOpen := Default()
	failOpen.OnError = Accept
	rejectAt90 := Default()
	rejectAt90.RejectScore = 90
	tests := []struct {
		name     string
		cfg      Config
		findings []scanners.Finding
		errs     []ScanError
		action   Action
		score    int
		reasons  []string
	}{
		{"nothing", Default(), nil, nil, Accept, 0, []string{ReasonClean}},
		{"info only", Default(), []scanners.Finding{f(scanners.Info, 5)}, nil, Accept, 5, []string{ReasonClean}},
		{"tag at 20", Default(), []scanners.Finding{f(scanners.Suspicious, 20)}, nil, Tag, 20, []string{ReasonScore}},
		{"below tag", Default(), []scanners.Finding{f(scanners.Suspicious, 19)}, nil, Accept, 19, []string{ReasonClean}},
		{"scores add up to quarantine", Default(), []scanners.Finding{f(scanners.Suspicious, 30), f(scanners.Suspicious, 25)}, nil, Quarantine, 55, []string{ReasonScore}},
		{"malicious rejects whatever the score", Default(), []scanners.Finding{f(scanners.Malicious, 0)}, nil, Reject, 0, []string{ReasonMalicious}},
		{"reject score", rejectAt90, []scanners.Finding{f(scanners.Suspicious, 95)}, nil, Reject, 95, []string{ReasonScore}},
		{"unscannable quarantines", Default(), []scanners.Finding{unscannable}, nil, Quarantine, 0, []string{ReasonUnscannable}},
		{"rule action wins over severity", Default(), []scanners.Finding{withAction(f(scanners.Malicious, 100), "quarantine")}, nil, Quarantine, 100, []string{ReasonRuleAction, ReasonScore}},
		{"bad rule action falls back to severity", Default(), []scanners.Finding{withAction(f(scanners.Malicious, 0), "explode")}, nil, Reject, 0, []string{ReasonMalicious}},
		{"error tempfails", Default(), nil, []ScanError{boom}, TempFail, 0, []string{ReasonScanError}},
		{"timeout tempfails", Default(), nil, []ScanError{timeout}, TempFail, 0, []string{ReasonTimeout}},
		{"error outranks tag", Default(), []scanners.Finding{f(scanners.Suspicious, 25)}, []ScanError{boom}, TempFail, 25, []string{ReasonScanError, ReasonScore}},
		{"malicious outranks error", Default(), []scanners.Finding{f(scanners.Malicious, 0)}, []ScanError{boom}, Reject, 0, []string{ReasonMalicious, ReasonScanError}},
		{"fail-open accepts but says why", failOpen, nil, []ScanError{timeout}, Accept, 0, []string{ReasonTimeout}},
		{"a hang-up is a scan error, not a timeout", Default(), nil, []ScanError{canceled}, TempFail, 0, []string{ReasonScanError}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.cfg.Decide(tt.findings, tt.errs)
			if v.Action != tt.action || v.Score != tt.score || !reflect.DeepEqual(v.Reasons, tt.reasons) {
				t.Errorf("got %s score=%d reasons=%v; want %s score=%d reasons=%v", v.Action, v.Score, v.Reasons, tt.action, tt.score, tt.reasons)
			}
		})
	}
}

func TestMonitorDecidesButAccepts(t *testing.T) {
	c := Default()
	c.Monitor = true
	v := c.Decide([]scanners.Finding{f(scanners.Malicious, 100)}, nil)
	if v.Action != Reject || !v.Monitor || v.Effective() != Accept {
		t.Fatalf("monitor verdict: %+v effective %s", v, v.Effective())
	}
	v = c.Decide([]scanners.Finding{f(scanners.Suspicious, 25)}, nil)
	if v.Effective() != Tag {
		t.Errorf("a tag still tags in monitor mode, got %s", v.Effective())
	}
	c.Monitor = false
	if v := c.Decide([]scanners.Finding{f(scanners.Malicious, 1)}, nil); v.Effective() != Reject {
		t.Errorf("without monitor: %s", v.Effective())
	}
}

func TestAllowed(t *testing.T) {
	c := Default()
	c.Allow = Allow{
		Senders:    []string{"boss@example.com", "trusted.example", "@partner.example"},
		Recipients: []string{"abuse@example.com", "postmaster@example.com"},
		Networks:   []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("2001:db8::/32")},
	}
	tests := []struct {
		env    message.Envelope
		reason string
	}{
		{message.Envelope{Sender: "Boss@Example.com"}, "allow-sender"},
		{message.Envelope{Sender: "a@trusted.example"}, "allow-sender"},
		{message.Envelope{Sender: "a@sub.trusted.example"}, ""},
		{message.Envelope{Sender: "x@partner.example"}, "allow-sender"},
		{message.Envelope{Sender: "boss@example.com.evil"}, ""},
		{message.Envelope{Sender: ""}, ""},
		{message.Envelope{ClientAddr: "192.0.2.77"}, "allow-network"},
		{message.Envelope{ClientAddr: "::ffff:192.0.2.77"}, "allow-network"},
		{message.Envelope{ClientAddr: "2001:db8::5"}, "allow-network"},
		{message.Envelope{ClientAddr: "198.51.100.1"}, ""},
		{message.Envelope{ClientAddr: "not an ip"}, ""},
		{message.Envelope{Recipients: []string{"abuse@example.com"}}, "allow-recipient"},
		{message.Envelope{Recipients: []string{"abuse@example.com", "ceo@example.com"}}, ""},
		{message.Envelope{AuthUser: "alice"}, ""},
	}
	for _, tt := range tests {
		reason, ok := c.Allowed(tt.env)
		if reason != tt.reason || ok != (tt.reason != "") {
			t.Errorf("%+v: got %q %v, want %q", tt.env, reason, ok, tt.reason)
		}
	}
	c.Allow.Authenticated = true
	if r, _ := c.Allowed(message.Envelope{AuthUser: "alice"}); r != "allow-authenticated" {
		t.Errorf("authenticated: %q", r)
	}
}

func TestParseAction(t *testing.T) {
	for i, n := range actionNames {
		a, err := ParseAction(n)
		if err != nil || a != Action(i) || a.String() != n {
			t.Errorf("%s: %v %v", n, a, err)
		}
	}
	if _, err := ParseAction("drop"); err == nil {
		t.Error("drop accepted")
	}
}

func TestNewScanErrorKinds(t *testing.T) {
	for _, c := range []struct {
		err  error
		want ErrorKind
	}{
		{errors.New("connection refused"), ErrScanner},
		{fmt.Errorf("scanner x: %w", context.DeadlineExceeded), ErrTimeout},
		{fmt.Errorf("scanner x: %w", context.Canceled), ErrCanceled},
	} {
		if got := NewScanError(ErrScanner, "x", c.err); got.Kind != c.want || got.Message != c.err.Error() {
			t.Errorf("NewScanError(%v) = %+v, want kind %s", c.err, got, c.want)
		}
	}
}

// TestReasonsListed: every reason constant is in Reasons exactly once, so
// MainReason (and the metric label) knows it.
func TestReasonsListed(t *testing.T) {
	all := []string{ReasonMalicious, ReasonRuleAction, ReasonScore, ReasonUnscannable, ReasonScanError, ReasonTimeout,
		ReasonClean, ReasonTooLarge, ReasonTooManyHeaders, ReasonHeaderTooLarge, ReasonInternalError,
		ReasonAllowAuthenticated, ReasonAllowNetwork, ReasonAllowSender, ReasonAllowRecipient}
	if len(all) != len(Reasons) {
		t.Errorf("%d reasons declared, %d in Reasons", len(all), len(Reasons))
	}
	for _, r := range all {
		if MainReason(Accept, []string{r}) != r {
			t.Errorf("MainReason does not know %q", r)
		}
	}
	if got := MainReason(TempFail, []string{ReasonMalicious, ReasonInternalError}); got != ReasonInternalError {
		t.Errorf("a tempfail is explained by its error first, got %q", got)
	}
}
