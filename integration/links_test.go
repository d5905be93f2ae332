//go:build integration

package integration

import (
	"testing"
)

// TestLinkLuresThroughPostfix sends the link lures of the corpus (issue 14:
// a QR code as the only link, in a PNG, a low-quality JPEG, a PDF page, an
// HTML table, Unicode block characters in text, HTML and table cells, SVG
// shapes and round dots, CSS boxes, drawn with a PDF page's path operators,
// in PDFs encrypted with the empty password or ASCII85-wrapped; a phishing
// link behind Google's redirect and behind Safe Links around Bing; a Latin-diacritic lookalike; a percent-encoded IP
// host; a link more than 2 KB into a PDF's page string, /URI or script)
// through a real Postfix with Kensa as its milter, and the honest mail
// that looks like them. A lure Kensa quarantines is held, one it tags is
// delivered with a tag verdict; honest mail is delivered, accepted.
func TestLinkLuresThroughPostfix(t *testing.T) {
	names := map[string]bool{"qr-inline-png-lookalike": true, "qr-only-unknown-domain": true, "qr-jpeg-low-quality": true, "qr-jpeg-progressive-cut": true,
		"qr-pdf-page-image": true, "qr-html-table": true, "qr-text-blocks": true, "qr-html-blocks-spans": true, "qr-text-blocks-own-site": true, "qr-svg-attachment-path": true, "qr-html-inline-svg-use": true, "svg-bar-chart-report": true, "qr-html-css-grid": true, "qr-html-flex-runs": true, "html-div-layout-calendar": true, "url-google-redirect": true, "url-wrapped-lookalike": true,
		"url-diacritic-lookalike": true, "url-percent-encoded-ip": true,
		"qr-conference-ticket": true, "qr-newsletter-app": true, "newsletter-tracking-redirects": true, "idn-domain": true,
		"qr-pdf-vector-squares": true, "qr-pdf-vector-split-streams": true, "qr-pdf-vector-own-site": true, "pdf-vector-chart": true,
		"qr-pdf-page-image-encrypted-aes-256": true, "qr-pdf-vector-squares-ascii85": true, "qr-svg-attachment-dots": true, "qr-html-inline-svg-circles": true,
		"qr-html-blocks-table-cells": true, "svg-dots-and-pie-report": true, "html-status-marks-table": true,
		"pdf-padded-literal-link": true, "pdf-padded-hex-link": true, "pdf-padded-uri-redirect": true, "pdf-padded-js-link": true,
		"pdf-twin-padded-literal-link": true, "pdf-twin-padded-hex-link": true, "pdf-twin-padded-uri": true, "pdf-twin-padded-js": true}
	sendThroughPostfix(t, samplesNamed(t, "link", names, 1), true)
}
