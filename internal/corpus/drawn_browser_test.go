package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/internal/chromium"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// TestDrawnCodesInChromium opens the part of corpus samples whose code is
// drawn without a picture (an HTML table, Unicode block characters in
// HTML, SVG shapes, CSS boxes) in a real browser (Debian's
// Chromium, headless, as a reader opens the attachment or a client shows
// the body), takes a screenshot, and reads the code in the screenshot as
// an image: it must say what Kensa read from the drawing itself. So the
// drawing Kensa makes is the one a reader sees and scans, not a reading of
// markup no client shows as a code.
func TestDrawnCodesInChromium(t *testing.T) {
	// sample: its part holding the drawing. Left out: the plain-text
	// drawings (qr-text-blocks, qr-text-blocks-own-site), which Chromium's
	// text view shows with about 2 pixels between lines, and the doubled
	// full blocks of qr-html-blocks-light-on-dark, which DejaVu Sans Mono
	// draws with a hairline between characters: a screenshot of either is
	// not read by Kensa's own image search (Kensa reads the drawing with
	// its lines and characters touching, as a terminal shows it). Nor
	// qr-html-inline-svg-small-dots: a screenshot keeps the gaps between
	// its dots, which a phone's camera blurs away, and Kensa's image search
	// does not read a picture of such dots (its drawing of the SVG draws
	// each dot as its module).
	drawn := map[string]string{
		"qr-html-table": "1", "qr-html-blocks-spans": "2", "qr-html-blocks-table-cells": "1",
		"qr-svg-attachment-path": "2", "qr-html-inline-svg-use": "1", "qr-svg-attachment-dots": "2", "qr-html-inline-svg-circles": "1", "qr-html-css-grid": "1", "qr-html-flex-runs": "2",
	}
	old := urls.CodeTime
	urls.CodeTime = 5 * time.Minute // a busy machine under -race: only a hang may stop the search
	t.Cleanup(func() { urls.CodeTime = old })
	// Nine pages, each rendered and searched twice: under -race on a 2-core
	// machine that other test binaries keep busy this took minutes, so
	// the deadline only stops a hang.
	browser := chromium.Start(t, 10*time.Minute, chromedp.WindowSize(900, 1400))
	dir := t.TempDir()
	found := 0
	for _, s := range qrSamples() {
		path, ok := drawn[s.Name]
		if !ok {
			continue
		}
		found++
		t.Run(s.Name, func(t *testing.T) {
			m, err := message.Parse(s.Raw)
			if err != nil {
				t.Fatal(err)
			}
			var p *message.Part
			for _, q := range m.Parts {
				if q.Path == path {
					p = q
				}
			}
			if p == nil {
				t.Fatalf("no part %s", path)
			}
			read := urls.CodeURLs(p, urls.NewCodeBudget())
			if len(read.Texts) != 1 {
				t.Fatalf("Kensa read %q from the drawing, want one code", read.Texts)
			}
			ext := ".html"
			switch {
			case p.DeclaredType == "image/svg+xml":
				ext = ".svg"
			case p.DeclaredType == "text/plain":
				ext = ".txt"
			}
			file := filepath.Join(dir, s.Name+ext)
			content := p.Content
			if ext == ".html" && !strings.Contains(strings.ToLower(string(content)), "<meta charset") {
				content = append([]byte(`<meta charset="utf-8">`), content...)
			}
			checkShownCode(t, browser, file, content, read.Texts[0], "kensa-drawn-"+s.Name+".png")
		})
	}
	if found != len(drawn) {
		t.Errorf("%d of the %d drawn-code samples are in the corpus", found, len(drawn))
	}
}

// checkShownCode writes content to file, shows it in a tab of browser and
// reads the codes in a screenshot: there must be one, want (what Kensa
// read from the markup). The screenshot of a mismatch is kept in the
// temporary directory as keep.
func checkShownCode(t *testing.T, browser context.Context, file string, content []byte, want, keep string) {
	t.Helper()
	tab, cancel := chromium.Open(t, browser, file, content)
	defer cancel()
	var shot []byte
	if err := chromedp.Run(tab, chromedp.FullScreenshot(&shot, 100)); err != nil {
		t.Fatalf("render: %v", err)
	}
	seen := urls.CodeURLs(&message.Part{Path: "shot", Content: shot}, urls.NewCodeBudget())
	if len(seen.Texts) != 1 || seen.Texts[0] != want {
		os.WriteFile(filepath.Join(os.TempDir(), keep), shot, 0o644)
		t.Errorf("the browser shows %q, Kensa read %q (screenshot in %s)", seen.Texts, want, os.TempDir())
	}
}
