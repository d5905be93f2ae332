package unpack

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/internal/chromium"
	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// TestSavedPageInChromium holds the web archive reader to Chromium both
// ways: Chromium opens phishMHT (a kit's archive, only MIME-Version) as the
// page with its password form, and the archive Chromium saves of a
// phishing page ("Save as MHTML", Page.captureSnapshot) is opened here
// with the page and its form inside.
func TestSavedPageInChromium(t *testing.T) {
	browser := chromium.Start(t, 5*time.Minute, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"))
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return "file://" + path
	}

	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	var action string
	if err := chromedp.Run(tab, chromedp.Navigate(write("kit.mht", phishMHT)),
		chromedp.Evaluate(`(document.querySelector("input[type=password]") && document.forms[0].action) || ""`, &action)); err != nil {
		t.Fatal(err)
	}
	if action != "https://collect.example.net/p" {
		t.Fatalf("Chromium does not show phishMHT's form (action %q): the fixture is no web archive Chromium opens", action)
	}

	// A byte order mark: Chromium skips a UTF-8 one and shows the page,
	// which TestSavedPage opens; a UTF-16 archive it shows as an empty page,
	// which TestSavedPage leaves as text.
	for _, c := range []struct {
		name, data string
		shown      bool
	}{
		{"utf8.mht", "\xef\xbb\xbf" + phishMHT, true},
		{"utf16.mht", "\xff\xfe" + string(cryptkeys.UTF16LE(phishMHT)), false},
	} {
		tab, cancel := chromedp.NewContext(browser)
		var action string
		if err := chromedp.Run(tab, chromedp.Navigate(write(c.name, c.data)),
			chromedp.Evaluate(`(document.querySelector("input[type=password]") && document.forms[0].action) || ""`, &action)); err != nil {
			t.Fatal(err)
		}
		cancel()
		if shown := action == "https://collect.example.net/p"; shown != c.shown {
			t.Errorf("%s: Chromium shows the form: %v (action %q), TestSavedPage assumes %v", c.name, shown, action, c.shown)
		}
	}

	tab2, cancel2 := chromedp.NewContext(browser)
	defer cancel2()
	var saved string
	err := chromedp.Run(tab2, chromedp.Navigate(write("login.html", `<html><head><title>Sign in</title></head><body><h1>Mailbox</h1>`+
		`<form method="post" action="https://collect.example.net/owa"><input name="login"><input type="password" name="pw"><button>Next</button></form></body></html>`)),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			saved, err = page.CaptureSnapshot().WithFormat(page.CaptureSnapshotFormatMhtml).Do(ctx)
			return err
		}))
	if err != nil {
		t.Fatal(err)
	}
	m := mail("x", "hi", "Mailbox.mhtml", []byte(saved))
	expand(t, m, Options{})
	for _, p := range m.Parts {
		if strings.HasPrefix(p.Path, "2/") && p.DeclaredType == "text/html" && strings.Contains(string(p.Content), "https://collect.example.net/owa") &&
			strings.Contains(string(p.Content), "password") {
			return
		}
	}
	t.Errorf("Chromium's MHTML snapshot was not opened to its page; parts:\n%s\nsnapshot head:\n%s", dump(m), saved[:min(len(saved), 600)])
}
