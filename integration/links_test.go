//go:build integration

package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus"
	"github.com/kensa-milter/kensa/policy"
)

// TestLinkLuresThroughPostfix sends the link lures of the corpus (issue 14:
// a QR code as the only link, in a PNG, a low-quality JPEG, a PDF page and
// an HTML table; a phishing link behind Google's redirect and behind Safe
// Links around Bing; a Latin-diacritic lookalike; a percent-encoded IP
// host) through a real Postfix with Kensa as its milter, and the honest mail
// that looks like them. A lure Kensa quarantines is held, one it tags is
// delivered with a tag verdict; honest mail is delivered, accepted.
func TestLinkLuresThroughPostfix(t *testing.T) {
	samples, err := corpus.Samples("..")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{"qr-inline-png-lookalike": true, "qr-only-unknown-domain": true, "qr-jpeg-low-quality": true,
		"qr-pdf-page-image": true, "qr-html-table": true, "url-google-redirect": true, "url-wrapped-lookalike": true,
		"url-diacritic-lookalike": true, "url-percent-encoded-ip": true,
		"qr-conference-ticket": true, "qr-newsletter-app": true, "newsletter-tracking-redirects": true, "idn-domain": true}
	var picked []corpus.Sample
	for _, s := range samples {
		if names[s.Name] {
			picked = append(picked, s)
		}
	}
	if len(picked) != len(names) {
		t.Fatalf("found %d of the %d link samples in the corpus", len(picked), len(names))
	}
	e := newEnv(t, "postfix", envOpts{})
	for _, s := range picked {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			count(t)
			e := e.in(t)
			token := newToken("links")
			rcpt := rcptFor(token, 1)
			msg := append([]byte("X-Test-Token: "+token+"\r\n"), s.Raw...)
			r := e.send(msg, rcpt)
			if !r.accepted() {
				t.Fatalf("not accepted by Postfix (want %s): %v", map[bool]string{true: "accept", false: s.Action.String()}[s.Clean], r)
			}
			switch {
			case s.Clean:
				got := e.expectDelivered(token, 1, rcpt)
				if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "accept") {
					t.Errorf("X-Kensa-Verdict = %q, want accept", v)
				}
			case s.Action == policy.Tag:
				got := e.expectDelivered(token, 1, rcpt)
				if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "tag") {
					t.Errorf("X-Kensa-Verdict = %q, want tag", v)
				}
			default: // quarantine: held by Postfix, not delivered
				var ids []string
				if !eventually(15*time.Second, func() bool { ids = e.held(rcpt); return len(ids) == 1 }) {
					t.Fatalf("accepted but not held (want quarantine): held %v", ids)
				}
				if got := e.sk.with(token); len(got) != 0 {
					t.Fatalf("held message was delivered")
				}
			}
		})
	}
}
