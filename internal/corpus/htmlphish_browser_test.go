package corpus

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	mimepart "mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/internal/chromium"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners/heuristic"
	"github.com/kensa-milter/kensa/urls"
)

// TestHTMLPhishPagesInChromium opens every HTML phishing page of the
// corpus in a real browser (Debian's Chromium, headless) as a reader opens
// an attachment, from a file, with every host name sent to a local HTTPS
// server that records who was asked. A credential page must show a
// password box (after its scripts ran) and, once filled in and its button
// pressed, send to the collecting host; a redirector must reach its remote
// page with nobody touching it; a page whose script writes a link must
// show it, and a click must reach its host. So the samples behave as the heuristics
// claim, and a sample that a browser does not run (a script error, a
// refresh Chromium refuses) fails here. The honest twins show no password
// box and leave the page only when clicked, except the encrypted-mail
// envelope, which sends its password to the service's host alone. Where
// Kensa reads the address from the page's script (folding it from pieces,
// decoding it), Chromium must have asked for that very address (path and
// query too), so a folded target is the one the browser goes to.
func TestHTMLPhishPagesInChromium(t *testing.T) {
	var mu sync.Mutex
	var last time.Time // of the latest request
	asked := map[string]bool{}
	requested := map[string]bool{} // host + path and query of every request
	posted := map[string]bool{}    // hosts sent a form or data by POST
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if chromiumOwn(host) {
			return // the browser's own services, whatever the page does
		}
		mu.Lock()
		last = time.Now()
		asked[host] = true
		requested[host+r.URL.RequestURI()] = true
		if r.Method == http.MethodPost {
			posted[host] = true
		}
		mu.Unlock()
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>remote page</body></html>"))
	}))
	defer srv.Close()
	wasAsked := func(host string) bool {
		mu.Lock()
		defer mu.Unlock()
		return asked[host]
	}
	browser := startChromium(t, srv.Listener.Addr().String())
	dir := t.TempDir()
	open := func(t *testing.T, name string, data []byte) context.Context {
		t.Helper()
		tab, cancel := chromium.Open(t, browser, filepath.Join(dir, name), data)
		t.Cleanup(cancel)
		return tab
	}
	// fill types into every field and presses the first button; it reports
	// what it found.
	const fill = `(() => {
		const ins = [...document.querySelectorAll("input")];
		const pw = ins.find(i => i.type === "password" || getComputedStyle(i).webkitTextSecurity !== "none");
		if (!pw) return "no password box";
		for (const i of ins) if (i.type !== "submit" && i.type !== "hidden") i.value = "kensa@corp.example.jp";
		const b = document.querySelector("button, input[type=submit]");
		if (!b) return "no button";
		b.click();
		return "ok";
	})()`
	// clickLink clicks the page's first link and returns its host.
	const clickLink = `(() => { const a = document.querySelector("a[href]"); if (!a) return ""; const h = a.hostname; a.click(); return h; })()`
	const hasPassword = `[...document.querySelectorAll("input")].some(i => i.type === "password" || getComputedStyle(i).webkitTextSecurity !== "none")`
	// forget clears the hosts asked, so that each page proves its own
	// request (the tab of the page before is closed by then).
	forget := func() {
		// A closed tab's last requests may still be on their way (seen
		// on a busy machine): wait until none came for half a second.
		for i := 0; i < 50; i++ {
			mu.Lock()
			quiet := time.Since(last) > 500*time.Millisecond
			mu.Unlock()
			if quiet {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		clear(asked)
		clear(posted)
		clear(requested)
	}
	for _, c := range htmlPhishCases() {
		t.Run(c.name, func(t *testing.T) {
			forget()
			want := "landing.example.net"
			tab := open(t, c.file, c.data)
			switch c.wants[0].id {
			case "html-redirect-attachment":
				if len(c.wants) > 1 && c.wants[1].id == "lookalike-domain" {
					want = redirectLookalike // the target the script decodes
				}
				if strings.Contains(c.name, "captcha") {
					// A fake CAPTCHA waits for its box to be ticked; only
					// then does it send the reader on.
					time.Sleep(time.Second)
					if wasAsked(want) {
						t.Fatalf("the CAPTCHA page asked %s before its box was ticked", want)
					}
					if err := chromedp.Run(tab, chromedp.Click(`input[type=checkbox]`, chromedp.ByQuery)); err != nil {
						t.Fatalf("tick: %v", err)
					}
				}
			case "lookalike-domain":
				// A link the page's script writes: Chromium shows it (its
				// host is nowhere in the file's bytes) and a click goes there.
				if err := chromedp.Run(tab, chromedp.Evaluate(clickLink, &want)); err != nil {
					t.Fatalf("click: %v", err)
				}
				if want == "" || strings.Contains(string(c.data), want) {
					t.Fatalf("the page as Chromium shows it has no written link (got %q)", want)
				}
			case "html-credential-form":
				want = "collect.example.net"
				switch {
				case strings.Contains(string(c.data), "api.telegram.org"):
					want = "api.telegram.org"
				case len(c.wants) > 1 && c.wants[1].id == "lookalike-domain":
					want = redirectLookalike // the target the script decodes
				}
				// A page may build its form after loading (markup it
				// inflates with DecompressionStream, which resolves later):
				// asked again until the form stands, for up to ten seconds.
				var got string
				for i := 0; i < 100 && got != "ok"; i++ {
					if i > 0 {
						time.Sleep(100 * time.Millisecond)
					}
					if err := chromedp.Run(tab, chromedp.Evaluate(fill, &got)); err != nil {
						t.Fatalf("fill in: %v", err)
					}
				}
				if got != "ok" {
					t.Fatalf("the page as Chromium shows it: %s", got)
				}
			}
			for i := 0; i < 200 && !wasAsked(want); i++ {
				time.Sleep(100 * time.Millisecond)
			}
			if !wasAsked(want) {
				t.Errorf("Chromium never asked %s", want)
			}
			// The addresses Kensa read from the script, on the host the
			// page goes to: Chromium asked for one of them exactly.
			var folded []string
			for _, u := range scriptURLs(t, c) {
				if p, err := url.Parse(u); err == nil && p.Hostname() == want {
					folded = append(folded, want+p.RequestURI())
				}
			}
			if len(folded) == 0 {
				return
			}
			for i := 0; i < 100; i++ {
				mu.Lock()
				found := false
				for _, f := range folded {
					found = found || requested[f]
				}
				mu.Unlock()
				if found {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
			mu.Lock()
			defer mu.Unlock()
			t.Errorf("Kensa read the script's target as %q, Chromium asked for %v", folded, requested)
		})
	}
	for _, s := range htmlPhishClean() {
		if !strings.Contains(string(s.Raw), ".html\"") {
			continue // the body sample
		}
		t.Run(s.Name, func(t *testing.T) {
			forget()
			page := attachedHTML(t, s.Raw)
			tab := open(t, s.Name+".html", page)
			if strings.Contains(s.Name, "secure-envelope") {
				// An encrypted-mail envelope takes a password and sends it
				// to the service's host, and nowhere else.
				var got string
				if err := chromedp.Run(tab, chromedp.Evaluate(fill, &got)); err != nil || got != "ok" {
					t.Fatalf("fill in: %v %s", err, got)
				}
				wasPosted := func() bool {
					mu.Lock()
					defer mu.Unlock()
					return posted["res.cisco.com"]
				}
				for i := 0; i < 200 && !wasPosted(); i++ {
					time.Sleep(100 * time.Millisecond)
				}
				if !wasPosted() {
					t.Errorf("Chromium never posted to res.cisco.com")
				}
				mu.Lock()
				defer mu.Unlock()
				for h := range asked {
					if h != "res.cisco.com" {
						t.Errorf("the envelope also asked %s", h)
					}
				}
				return
			}
			var pw bool
			if err := chromedp.Run(tab, chromedp.Evaluate(hasPassword, &pw)); err != nil {
				t.Fatal(err)
			}
			if pw {
				t.Errorf("an honest page shows a password box")
			}
			if s.Name == "html-faq-details" {
				// Its handlers and the link its button makes wait for
				// the reader: opened, the page goes nowhere.
				time.Sleep(2 * time.Second)
				for _, h := range []string{"help.shop.example.com", "shop.example.com"} {
					if wasAsked(h) {
						t.Errorf("the FAQ page asked %s by itself", h)
					}
				}
			}
		})
	}
}

// scriptURLs are the web addresses Kensa reads from the script of c's
// page, attached to a mail as the corpus sends it.
func scriptURLs(t *testing.T, c officeCase) []string {
	t.Helper()
	raw := mail{from: "Supplier <billing@supplier.example.net>", to: "kenji@corp.example.jp", subject: c.subject,
		root: multipart("mixed", text(c.body), attach(c.ctype, c.file, c.data))}.bytes()
	m, err := message.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range heuristic.AllURLs(m) {
		if u.Source == urls.SourceScript {
			out = append(out, u.Raw)
		}
	}
	return out
}

// attachedHTML is the HTML attachment of a corpus message: its one part
// with a file name ending in .html, transfer encoding decoded.
func attachedHTML(t *testing.T, raw []byte) []byte {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	r := mimepart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if err != nil {
			t.Fatalf("no HTML attachment: %v", err)
		}
		if !strings.HasSuffix(p.FileName(), ".html") {
			continue
		}
		var body io.Reader = p
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
			body = base64.NewDecoder(base64.StdEncoding, p)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

// chromiumOwn: hosts Chromium asks by itself (updates, safe browsing,
// field trials) even with its background networking off; once,
// update.googleapis.com reached the server mid-test and counted as a host
// the honest envelope asked.
func chromiumOwn(host string) bool {
	switch host {
	case "update.googleapis.com", "clients2.google.com", "clientservices.googleapis.com", "accounts.google.com",
		"safebrowsing.googleapis.com", "optimizationguide-pa.googleapis.com", "content-autofill.googleapis.com":
		return true
	}
	return strings.HasSuffix(host, ".gvt1.com") || strings.HasSuffix(host, ".gvt2.com")
}

// startChromium starts headless Chromium with every host name resolved to
// addr and certificate errors ignored (the local server's certificate names
// no corpus host).
func startChromium(t *testing.T, addr string) context.Context {
	t.Helper()
	return chromium.Start(t, 3*time.Minute,
		chromedp.Flag("host-resolver-rules", "MAP * "+addr), chromedp.Flag("ignore-certificate-errors", true))
}
