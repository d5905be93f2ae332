package heuristic

import (
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/internal/chromium"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// TestSVGAnimatedLinksInChromium holds svg-link's reading of animated
// links to Chromium: an SVG picture opened from the disk, clicked where
// its link is drawn, goes where Chromium's animation of the link's href
// (<set>, <animate>, on the link or naming it by href="#id") has put it,
// not where the markup's href says. Each case's picture is svgAnimCases'.
// A case marked page is an HTML page instead, whose relative link goes
// where its <base href> says.
func TestSVGAnimatedLinksInChromium(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]bool{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		mu.Lock()
		asked[host] = true
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>remote page</body></html>"))
	}))
	defer srv.Close()
	browser := chromium.Start(t, 5*time.Minute, chromedp.Flag("host-resolver-rules", "MAP * "+srv.Listener.Addr().String()),
		chromedp.Flag("ignore-certificate-errors", true))
	dir := t.TempDir()
	s := newScanner(t)
	for _, c := range svgAnimCases() {
		t.Run(c.name, func(t *testing.T) {
			mu.Lock()
			clear(asked)
			mu.Unlock()
			file := "picture.svg"
			if c.page {
				file = "page.html"
			}
			tab, cancel := chromium.Open(t, browser, filepath.Join(dir, file), []byte(c.svg))
			defer cancel()
			// Headless Chromium draws no frames, so the picture's clock
			// stays at 0 (getCurrentTime); a reader's window moves it on.
			// Move it to 1 s, past every begin= of the cases.
			if err := chromedp.Run(tab, chromedp.Evaluate(`document.documentElement.setCurrentTime && document.documentElement.setCurrentTime(1)`, nil)); err != nil {
				t.Fatalf("set the clock: %v", err)
			}
			if err := chromedp.Run(tab, chromedp.MouseClickXY(200, 100)); err != nil {
				t.Fatalf("click: %v", err)
			}
			var went string
			for i := 0; i < 100 && went == ""; i++ {
				time.Sleep(50 * time.Millisecond)
				mu.Lock()
				for _, h := range []string{svgAnimTarget, svgAnimDecoy} {
					if asked[h] {
						went = h
					}
				}
				mu.Unlock()
			}
			if want := c.goes; went != want {
				t.Errorf("clicked, Chromium went to %q, want %q", went, want)
			}
			if c.page { // an HTML page: its links as urls reads them
				var hosts []string
				for _, u := range urls.Extract(&message.Part{Path: "2", Filename: file, DeclaredType: "text/html", Content: []byte(c.svg)}) {
					hosts = append(hosts, u.Host)
				}
				if !slices.Contains(hosts, c.goes) {
					t.Errorf("links to %v, not to %s", hosts, c.goes)
				}
				return
			}
			m := sentBy("billing@"+svgAnimDecoy, attach(part("2", []byte(c.svg), named("Document.svg"), declared("image/svg+xml"))))
			if f := find(scan(t, s, m), "svg-link"); (f != nil) != c.link {
				t.Errorf("svg-link %+v, want it: %v", f, c.link)
			}
		})
	}
}
