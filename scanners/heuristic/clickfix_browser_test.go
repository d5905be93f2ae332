package heuristic

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/internal/chromium"
)

// recordClipboard runs before a page's own scripts: it keeps what the page
// writes to the clipboard (the Clipboard API, the copy command of the
// selection or of a focused field, and what a copy event's handler sets)
// in window.__copied instead of the system clipboard.
const recordClipboard = `(() => {
	window.__copied = [];
	const rec = t => window.__copied.push(String(t));
	Object.defineProperty(navigator, "clipboard", {configurable: true, value: {
		writeText: t => { rec(t); return Promise.resolve(); },
		write: items => { rec(items); return Promise.resolve(); },
	}});
	document.execCommand = function (c) {
		if (String(c).toLowerCase() !== "copy") return false;
		const data = new DataTransfer();
		const ev = new ClipboardEvent("copy", {clipboardData: data, cancelable: true, bubbles: true});
		const set = document.dispatchEvent(ev) === false ? data.getData("text/plain") : "";
		const el = document.activeElement;
		let s = set || String(getSelection());
		if (!s && el && typeof el.value === "string") s = el.value.substring(el.selectionStart, el.selectionEnd);
		rec(s);
		return true;
	};
})()`

// clickEverything clicks every button, link and element with a click
// handler, and the document itself, as a reader following the page's
// instructions would.
const clickEverything = `(() => {
	for (const el of document.querySelectorAll("button, a, input[type=button], input[type=submit], [onclick], text")) el.dispatchEvent(new MouseEvent("click", {bubbles: true}));
	document.dispatchEvent(new MouseEvent("click", {bubbles: true}));
})()`

// TestClipboardCommandInChromium opens each ClickFix trick and honest
// twin in Chromium, clicks what the reader would, and holds
// clipboard-command to what the page really put on the clipboard: a
// trick copies the command the check names, a twin no command.
func TestClipboardCommandInChromium(t *testing.T) {
	browser := chromium.Start(t, 5*time.Minute, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"))
	dir := t.TempDir()
	copied := func(t *testing.T, name, html string) string {
		t.Helper()
		tab, cancel := chromium.Open(t, browser, filepath.Join(dir, "page.html"), []byte(html),
			chromedp.ActionFunc(func(ctx context.Context) error {
				_, err := page.AddScriptToEvaluateOnNewDocument(recordClipboard).Do(ctx)
				return err
			}))
		defer cancel()
		var out string
		err := chromedp.Run(tab, chromedp.Evaluate(clickEverything, nil),
			chromedp.Sleep(200*time.Millisecond),
			chromedp.Evaluate(`window.__copied.join("\n")`, &out))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return out
	}
	s := newScanner(t)
	for _, c := range append(clickfixTricks(), clickfixTwins()...) {
		got := copied(t, c.name, c.page)
		f := find(scan(t, s, attach(htmlPart("2", c.page, named("Document.html")))), "clipboard-command")
		t.Logf("%-45s Chromium copied %q", c.name, got)
		switch {
		case c.cmd != "" && !strings.Contains(got, c.cmd):
			t.Errorf("%s: Chromium copied %q, not the command %q", c.name, got, c.cmd)
		case c.cmd != "" && (f == nil || !strings.Contains(f.Detail, c.cmd)):
			t.Errorf("%s: Chromium copied %q; clipboard-command says %v", c.name, got, f)
		case c.cmd == "" && shellCommand.MatchString(got):
			t.Errorf("%s: an honest twin copies a command: %q", c.name, got)
		case c.cmd == "" && f != nil:
			t.Errorf("%s: honest twin flagged: %s", c.name, f.Detail)
		}
	}
}
