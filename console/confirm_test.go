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

// TestConfirmMalicious: an admin sees how often each finding's mail was
// released, and "Confirm malicious" hands the message to Options.Confirm;
// an end user never sees the button (act refuses the action from anyone
// but an admin).
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
	// Released mail counts against its findings: the view shows it.
	other := f.put(t, "Released one", nil, []string{"bob@example.org"}, false)
	relay := quarantine.Relay{Addr: f.sink.Addr, Timeout: 10 * time.Second}
	if _, err := f.st.Release(context.Background(), other.ID, "admin:admin", relay.Deliver); err != nil {
		t.Fatal(err)
	}

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
	run(t, ctx, "view", chromedp.Navigate(f.url+Prefix+"m/"+e.ID), chromedp.WaitVisible("#confirm", chromedp.ByQuery))
	if s := text(t, ctx, "#findings"); !strings.Contains(s, "Released") || !strings.Contains(s, "Test_Rule") || text(t, ctx, "#findings td.released") != "1" {
		t.Errorf("findings table does not show Test_Rule released once: %q", s)
	}
	run(t, ctx, "confirm", chromedp.Click("#confirm", chromedp.ByQuery), chromedp.WaitVisible("#results", chromedp.ByQuery))
	if s := text(t, ctx, "#results"); !strings.Contains(s, "confirmed malicious: 3 part(s)") {
		t.Errorf("results: %q", s)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(confirmed) != 1 || confirmed[0] != e.ID+" by admin:admin" {
		t.Errorf("Confirm calls: %v", confirmed)
	}
}
