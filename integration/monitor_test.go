//go:build integration

package integration

import (
	"strings"
	"testing"
)

// TestMonitorMode: with policy.monitor, Kensa decides and says so in the
// header, but every message goes through (the docs' first step with real
// mail). The too-large action is the default, accept.
func TestMonitorMode(t *testing.T) {
	for _, mta := range mtas {
		t.Run(mta, func(t *testing.T) {
			t.Parallel()
			count(t)
			e := newEnv(t, mta, envOpts{kensa: kensaOpts{monitor: true, tooLargeAction: "accept"}})
			for _, c := range []struct {
				kind string
				msg  func(token string) []byte
				want string // X-Kensa-Verdict prefix
			}{
				{"monreject", func(tok string) []byte { return buildMessage(tok, "m", nil, "x", eicarAttachment()) }, "reject; score="},
				{"monquar", func(tok string) []byte { return buildMessage(tok, "m", nil, quarantineToken) }, "quarantine; score="},
				{"monlarge", func(tok string) []byte {
					return buildMessage(tok, "m", nil, strings.Repeat("0123456789abcdefghijklmnopqrstuvwxyz\n", 4000))
				}, "unscanned; reason=too-large; ref="},
			} {
				token := newToken(c.kind)
				rcpt := rcptFor(token, 1)
				if r := e.send(c.msg(token), rcpt); !r.accepted() {
					t.Errorf("%s: %v, want accepted in monitor mode", c.kind, r)
					continue
				}
				got := e.expectDelivered(token, 1, rcpt)
				v := verdictOf(t, got[0])
				if !strings.HasPrefix(v, c.want) || !strings.Contains(v, "; monitor") {
					t.Errorf("%s: X-Kensa-Verdict = %q, want %q… with \"; monitor\"", c.kind, v, c.want)
				}
				if h := e.held(rcpt); len(h) != 0 {
					t.Errorf("%s: held in monitor mode: %v", c.kind, h)
				}
			}
		})
	}
}
