package heuristic

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/internal/chromium"
)

// svgLoader is an SVG image with nothing of its own that draws itself from
// a script its <script> element names by attr (href or xlink:href).
func svgLoader(attr, src string) string {
	return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><script ` + attr + `="` + src + `"/></svg>`
}

func svgLoaderCases() map[string][]sample {
	return map[string][]sample{"html-redirect-attachment": {
		{"SVG script href", attach(text("2", svgLoader("href", "https://cdn.example.net/loader.js"), named("Invoice.svg"))), "2"},
		{"SVG script xlink:href", attach(text("2", svgLoader("xlink:href", "https://cdn.example.net/loader.js"), named("Invoice.svg"))), "2"},
		{"SVG logo with a link", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="https://www.example.com/"><text y="20">Example</text></a></svg>`, named("logo.svg"))), ""},
	}}
}

// TestSVGScriptHrefInChromium: Chromium runs the script an SVG's <script>
// names by href or xlink:href, which is why html-redirect-attachment reads
// that address as the page's script source.
func TestSVGScriptHrefInChromium(t *testing.T) {
	browser := chromium.Start(t, 5*time.Minute)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "loader.js"), []byte("window.__loaded = 'yes';"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, attr := range []string{"href", "xlink:href"} {
		path := filepath.Join(dir, "image.svg")
		if err := os.WriteFile(path, []byte(svgLoader(attr, "loader.js")), 0o644); err != nil {
			t.Fatal(err)
		}
		tab, cancel := chromedp.NewContext(browser)
		var got string
		err := chromedp.Run(tab, chromedp.Navigate("file://"+path), chromedp.Sleep(300*time.Millisecond), chromedp.Evaluate(`String(window.__loaded)`, &got))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if got != "yes" {
			t.Errorf("Chromium did not run the script an SVG names by %s (window.__loaded = %s)", attr, got)
		}
	}
}
