//go:build integration

package integration

import (
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus"
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
	names := map[string]bool{"qr-inline-png-lookalike": true, "qr-only-unknown-domain": true, "qr-jpeg-low-quality": true, "qr-jpeg-progressive-cut": true,
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
			sendSample(t, e.in(t), s, true)
		})
	}
}
