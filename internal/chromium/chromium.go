// Package chromium starts Debian's Chromium, headless, for tests that need
// a real browser (chromedp drives it): the console's pages, the corpus's
// phishing pages. Shared by every package whose tests open a page.
package chromium

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Start starts headless Chromium with the given flags besides its own and
// returns a context that drives it for at most timeout. A browser that does
// not start fails the test with the reason; it is stopped when the test
// ends.
func Start(t testing.TB, timeout time.Duration, flags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (scripts/deps.sh test installs it): %v", err)
	}
	// The profile is not in t.TempDir: chromium's helper processes may
	// still write to it for a moment after the browser is stopped, which
	// made TempDir's own removal fail now and then.
	profile, err := os.MkdirTemp("", "kensa-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(profile),
	}, flags...)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() {
		cancelT()
		cancelB()
		cancelA()
		var err error
		for range 50 {
			if err = os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Errorf("chromium profile %s not removed after 5 s: %v", profile, err)
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("chromium did not start: %v", err)
	}
	return ctx
}

// Open writes page to file and shows it in a new tab of browser, after the
// actions that must come first (a viewport, a script run in every
// document): the one way the tests open a page as a reader would, from the
// disk. A page that does not open fails the test; cancel closes the tab.
func Open(t testing.TB, browser context.Context, file string, page []byte, first ...chromedp.Action) (tab context.Context, cancel context.CancelFunc) {
	t.Helper()
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	tab, cancel = chromedp.NewContext(browser)
	if err := chromedp.Run(tab, append(first, chromedp.Navigate("file://"+file))...); err != nil {
		cancel()
		t.Fatalf("open %s: %v", file, err)
	}
	return tab, cancel
}
