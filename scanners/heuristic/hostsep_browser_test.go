package heuristic

import (
	"encoding/json"
	"fmt"
	"html"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/unicode/norm"

	"github.com/kensa-milter/kensa/internal/chromium"
	"github.com/kensa-milter/kensa/urls"
)

// slashCandidates are the characters whose place in a host is in question:
// every character of Unicode's first three planes that looks like a slash
// or backslash (its look-alike skeleton is nothing else), every one that
// Unicode folds (NFKC) into a character that ends or forbids a host
// (/ \ . ? # @ : |), and the other separators lures5 tried by hand.
func slashCandidates() []rune {
	var out []rune
	seen := map[rune]bool{}
	add := func(r rune) {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for r := rune(0x80); r < 0x30000; r++ {
		if !utf8.ValidRune(r) || unicode.Is(unicode.Cs, r) || unicode.Is(unicode.Co, r) {
			continue
		}
		s := string(r)
		if sk := urls.Skeleton(s); sk != "" && strings.Trim(sk, `/\`) == "" {
			add(r)
		}
		if k := norm.NFKC.String(s); k != s && strings.ContainsAny(k, `/\.?#@:|`) {
			add(r)
		}
	}
	for _, r := range drawnAsSlash {
		add(r)
	}
	for _, r := range []rune{0x2024, 0xFE52, 0x3002, 0xFF0E, 0xFF61, 0x0337, 0x0338, 0x20E5} {
		add(r)
	}
	return out
}

// drawnAsSlash are characters a reader takes for a slash or backslash
// (lures5 looked at each in Chromium): where Chromium keeps one in the
// host, slash-lookalike-host must fire whatever TR39's skeleton says.
var drawnAsSlash = []rune{0x2044, 0x2215, 0x29F8, 0x2216, 0x29F5, 0x29F9, 0x2571, 0x2572, 0x27CB, 0x27CD, 0x1735, 0x30CE,
	0x4E3F, 0x3033, 0x2CC6, 0x2F03, 0x31D3}

// TestSlashLookalikesInChromium holds slash-lookalike-host to Chromium: a
// page links https://login.example<c>common.evil.test/x for each candidate
// character c (slashCandidates) and Chromium says each link's host
// (a.host: "" where it refuses the link). urls.ParseHost must read every
// host as Chromium does; the check must fire on every link whose host
// Chromium keeps whole with a character that looks like a slash (it goes
// to evil.test), and on no other: not where Chromium refuses the link
// (U+FF0F, U+FF3C: there is nothing to click) or reads a full stop.
func TestSlashLookalikesInChromium(t *testing.T) {
	cands := slashCandidates()
	if len(cands) < 30 {
		t.Fatalf("only %d candidate characters", len(cands))
	}
	var page strings.Builder
	page.WriteString("<!doctype html><meta charset=utf-8><body>\n")
	for _, r := range cands {
		fmt.Fprintf(&page, "<a href=\"https://login.example%scommon.evil.test/x\">%U</a>\n", html.EscapeString(string(r)), r)
	}
	browser := chromium.Start(t, 5*time.Minute, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"))
	tab, cancel := chromium.Open(t, browser, filepath.Join(t.TempDir(), "seps.html"), []byte(page.String()))
	defer cancel()
	var out string
	if err := chromedp.Run(tab, chromedp.Evaluate(`JSON.stringify([...document.links].map(a => a.host))`, &out)); err != nil {
		t.Fatal(err)
	}
	var hosts []string
	if err := json.Unmarshal([]byte(out), &hosts); err != nil || len(hosts) != len(cands) {
		t.Fatalf("Chromium gave %d hosts for %d links (%v): %s", len(hosts), len(cands), err, out)
	}
	s := newScanner(t)
	var kept, refused, dots int
	for i, r := range cands {
		written := "login.example" + string(r) + "common.evil.test"
		chrome := hosts[i]
		ours, ok := urls.ParseHost(written)
		if !ok {
			ours = ""
		}
		if ours != chrome {
			t.Errorf("%U: Chromium reads the host as %q, urls.ParseHost as %q", r, chrome, ours)
		}
		looks := slashLookalike(written) >= 0
		whole := strings.Contains(chrome, "xn--") && strings.HasSuffix(chrome, ".evil.test")
		switch {
		case chrome == "":
			refused++
		case chrome == "login.example.common.evil.test":
			dots++
		case whole:
			kept++
		}
		m := body(fmt.Sprintf(`<a href="https://%s/x">Sign in</a>`, html.EscapeString(written)))
		fired := find(scan(t, s, m), "slash-lookalike-host") != nil
		if want := looks && whole; fired != want {
			t.Errorf("%U: slash-lookalike-host fires %v, want %v (looks like a slash: %v; Chromium's host: %q)", r, fired, want, looks, chrome)
		}
		if whole && !looks && slices.Contains(drawnAsSlash, r) {
			t.Errorf("%U is drawn as a slash and Chromium keeps it in the host (%q), but slashLookalike misses it", r, chrome)
		}
	}
	t.Logf("%d candidates: Chromium keeps %d in the host, refuses %d, reads %d as a full stop", len(cands), kept, refused, dots)
	if kept == 0 || refused == 0 || dots == 0 {
		t.Errorf("want each of Chromium's three readings among the candidates")
	}
}
