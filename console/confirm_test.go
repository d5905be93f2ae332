package console

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/quarantine"
)

// TestConfirmMalicious: an admin's "Confirm malicious" hands the message to
// Options.Confirm; an end user never sees the button (act refuses the
// action from anyone but an admin).
func TestConfirmMalicious(t *testing.T) {
	var mu sync.Mutex
	var confirmed []string
	f := newFixtureWith(t, 4, func(o *Options) {
		o.Confirm = func(_ context.Context, e *quarantine.Entry, by string) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			confirmed = append(confirmed, e.ID+" by "+by)
			return 3, nil
		}
	})
	e := f.put(t, "Confirm me", nil, []string{"bob@example.org"}, false)

	// The end user's view has no button.
	userURL := UserURL(f.url, f.links.Token("bob@example.org", time.Now().Add(time.Hour)))
	resp, err := http.Get(strings.TrimSuffix(userURL, "/") + "/m/" + e.ID)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.Contains(string(page), `id="confirm"`) {
		t.Fatalf("end user's view: %d, confirm button shown: %v", resp.StatusCode, strings.Contains(string(page), `id="confirm"`))
	}

	ctx := browser(t)
	run(t, ctx, "login", chromedp.Navigate(f.url+Prefix), chromedp.WaitVisible("#login", chromedp.ByQuery),
		chromedp.SendKeys("#name", "admin", chromedp.ByQuery), chromedp.SendKeys("#password", adminPass, chromedp.ByQuery),
		chromedp.Click("#login", chromedp.ByQuery), chromedp.WaitVisible("#entries", chromedp.ByQuery))
	run(t, ctx, "confirm", chromedp.Navigate(f.url+Prefix+"m/"+e.ID), chromedp.WaitVisible("#confirm", chromedp.ByQuery),
		chromedp.Click("#confirm", chromedp.ByQuery), chromedp.WaitVisible("#results", chromedp.ByQuery))
	if s := text(t, ctx, "#results"); !strings.Contains(s, "confirmed malicious: 3 part(s)") {
		t.Errorf("results: %q", s)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(confirmed) != 1 || confirmed[0] != e.ID+" by admin:admin" {
		t.Errorf("Confirm calls: %v", confirmed)
	}
}
