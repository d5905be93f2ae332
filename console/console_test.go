package console

import (
	"context"
	"fmt"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/quarantine"
	"github.com/kensa-milter/kensa/scanners"
	"golang.org/x/crypto/bcrypt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLinks(t *testing.T) {
	l, err := NewLinks([]byte(strings.Repeat("a", 32)))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewLinks([]byte(strings.Repeat("b", 32)))
	now := time.Unix(1_800_000_000, 0)
	tok := l.Token(" Bob@Example.ORG ", now.Add(time.Hour))
	if r, err := l.Verify(tok, now); err != nil || r != "bob@example.org" {
		t.Errorf("Verify = %q, %v", r, err)
	}
	for name, tt := range map[string]struct {
		tok  string
		want error
	}{
		"expired":   {tok, ErrLinkExpired},
		"other key": {other.Token("bob@example.org", now.Add(time.Hour)), ErrLinkInvalid},
		"garbage":   {"a.b.c", ErrLinkInvalid},
		"two parts": {"a.b", ErrLinkInvalid},
		"later exp": {strings.Replace(tok, ".1800003600.", ".1900003600.", 1), ErrLinkInvalid},
	} {
		at := now
		if name == "expired" {
			at = now.Add(2 * time.Hour)
		}
		if _, err := l.Verify(tt.tok, at); err != tt.want {
			t.Errorf("%s: %v, want %v", name, err, tt.want)
		}
	}
	if _, err := NewLinks([]byte("short")); err == nil {
		t.Error("short key accepted")
	}
}

func TestLoginRateLimitAndHeaders(t *testing.T) {
	f := newFixture(t)
	post := func(name, pass string) *http.Response {
		resp, err := http.DefaultClient.Do(loginRequest(t, f, name, pass))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i := 0; i < freePairFails; i++ {
		if r := post("admin", "nope"); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, r.StatusCode)
		}
	}
	// Now even the right password is refused for this user...
	if r := post("admin", adminPass); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after %d failures: %d, want 429", freePairFails, r.StatusCode)
	}
	// ...and after the window it works again, with a hardened cookie.
	f.now.Store(time.Now().Add(failWindow + time.Minute).Unix())
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(loginRequest(t, f, "admin", adminPass))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login after the window: %d", resp.StatusCode)
	}
	ck := resp.Cookies()
	if len(ck) != 1 || ck[0].Name != adminCookie || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteStrictMode || ck[0].Path != Prefix || ck[0].Secure {
		t.Errorf("cookie %+v", ck)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q", csp)
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers %v", resp.Header)
	}
	// Behind a TLS proxy the cookie is Secure.
	req := loginRequest(t, f, "admin", adminPass)
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ck := resp.Cookies(); len(ck) != 1 || !ck[0].Secure {
		t.Errorf("cookie behind TLS %+v", ck)
	}
	// Per address: many user names from one client.
	for i := 0; i < freeIPFails; i++ {
		post("nobody"+strings.Repeat("x", i), "nope")
	}
	if r := post("someone-else", "nope"); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after %d failures from one address: %d, want 429", freeIPFails, r.StatusCode)
	}
}

func TestAdminPagesNeedLogin(t *testing.T) {
	f := newFixture(t)
	e := f.put(t, "Secret", nil, []string{"bob@example.org"}, false)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{"", "m/" + e.ID, "m/" + e.ID + "/raw"} {
		resp, err := client.Get(f.url + Prefix + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != Prefix+"login" {
			t.Errorf("GET %s without login: %d %s", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, err := client.PostForm(f.url+Prefix+"act", url.Values{"action": {"delete"}, "id": {e.ID}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without login: %d", resp.StatusCode)
	}
}

// loginStatuses sends the passwords as concurrent logins for name from one
// client and returns how many got each status.
func loginStatuses(t *testing.T, f *fixture, name string, passwords []string, header http.Header) map[int]int {
	t.Helper()
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	token := loginToken(t, f)
	for _, pass := range passwords {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := loginForm(f, name, pass, token)
			for k, v := range header {
				req.Header[k] = v
			}
			<-start
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			got[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return got
}

// Finding 1 of issue 16: the limit was checked before the slow password
// comparison and a failure counted only after it, so a burst of concurrent
// guesses all got checked. Now at most the free attempts reach bcrypt.
func TestLoginLimitHoldsUnderConcurrentGuesses(t *testing.T) {
	f := newFixtureWith(t, 10) // a compare takes tens of milliseconds, as in production
	// The clock stands still: on a busy machine the burst can outlast the
	// first second of back-off, which would rightly let one more guess in.
	f.now.Store(time.Now().Unix())
	passwords := make([]string, 60)
	for i := range passwords {
		passwords[i] = fmt.Sprintf("guess-%d", i)
	}
	passwords[37] = adminPass
	got := loginStatuses(t, f, "admin", passwords, nil)
	checked := got[http.StatusUnauthorized] + got[http.StatusSeeOther]
	if checked > freePairFails || got[http.StatusTooManyRequests] != len(passwords)-checked {
		t.Errorf("%d of %d concurrent guesses reached the password check (want at most %d): %v", checked, len(passwords), freePairFails, got)
	}
}

// Finding 3 of issue 16: five wrong passwords from anyone locked the admin
// out everywhere, and behind a proxy every user shared one address. Now
// the limits are per client and per (client, user), X-Forwarded-For counts
// only from a trusted proxy, and a client that never failed gets in.
func TestLoginLimitIsPerClient(t *testing.T) {
	f := newFixtureWith(t, bcrypt.MinCost, func(o *Options) {
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}
	})
	f.now.Store(time.Now().Unix())
	via := func(addr string) http.Header { return http.Header{"X-Forwarded-For": {addr}} }
	wrong := make([]string, 30)
	for i := range wrong {
		wrong[i] = fmt.Sprintf("guess-%d", i)
	}
	// The attacker, behind the proxy, guesses concurrently and is stopped.
	got := loginStatuses(t, f, "admin", wrong, via("192.0.2.66"))
	if got[http.StatusUnauthorized] > freePairFails || got[http.StatusSeeOther] != 0 {
		t.Errorf("attacker's guesses: %v", got)
	}
	// The admin, from elsewhere behind the same proxy, is not blocked; a
	// spoofed hop before the proxy's own entry changes nothing.
	if got := loginStatuses(t, f, "admin", []string{adminPass}, via("192.0.2.66, 198.51.100.7")); got[http.StatusSeeOther] != 1 {
		t.Errorf("admin from another client after the attacker's failures: %v, want a login", got)
	}
	// The attacker, spoofing a new address before the proxy's entry, is still himself.
	if got := loginStatuses(t, f, "admin", []string{adminPass}, via("203.0.113.9, 192.0.2.66")); got[http.StatusTooManyRequests] != 1 {
		t.Errorf("attacker with a spoofed first hop: %v, want 429", got)
	}
	// Through two trusted proxies the client is the last untrusted hop.
	if got := loginStatuses(t, f, "admin", []string{adminPass}, via("192.0.2.66, 10.1.2.3")); got[http.StatusTooManyRequests] != 1 {
		t.Errorf("attacker through two proxies: %v, want 429", got)
	}
	// Back-off: once the free attempts are used, one more after a second,
	// then a wait twice as long.
	f.now.Add(1)
	if got := loginStatuses(t, f, "admin", []string{"again"}, via("192.0.2.66")); got[http.StatusUnauthorized] != 1 {
		t.Errorf("after a second of back-off: %v, want one more try", got)
	}
	f.now.Add(1)
	if got := loginStatuses(t, f, "admin", []string{"again"}, via("192.0.2.66")); got[http.StatusTooManyRequests] != 1 {
		t.Errorf("one second after the next failure: %v, want 429 (two seconds of back-off)", got)
	}
	f.now.Add(int64(failWindow / time.Second))
	if got := loginStatuses(t, f, "admin", []string{adminPass}, via("192.0.2.66")); got[http.StatusSeeOther] != 1 {
		t.Errorf("after the window: %v", got)
	}

	// Without trusted proxies X-Forwarded-For is ignored: a client cannot
	// get a fresh limit by inventing addresses.
	g := newFixture(t)
	for i := 0; i < freeIPFails; i++ {
		loginStatuses(t, g, fmt.Sprintf("user%d", i), []string{"nope"}, via(fmt.Sprintf("192.0.2.%d", i)))
	}
	if got := loginStatuses(t, g, "admin", []string{"nope"}, via("198.51.100.200")); got[http.StatusTooManyRequests] != 1 {
		t.Errorf("untrusted X-Forwarded-For escaped the per-client limit: %v", got)
	}
}

// loginToken opens the login page and returns its pre-session token.
func loginToken(t *testing.T, f *fixture) string {
	t.Helper()
	resp, err := http.Get(f.url + Prefix + "login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="login_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no login token in the login page:\n%s", page)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == loginCookie && ck.Value == string(m[1]) && ck.HttpOnly && ck.SameSite == http.SameSiteStrictMode {
			return ck.Value
		}
	}
	t.Fatalf("no login cookie matching the form in %v", resp.Cookies())
	return ""
}

// loginForm is a login POST with the pre-session token as a browser sends it.
func loginForm(f *fixture, name, pass, token string) *http.Request {
	req, _ := http.NewRequest("POST", f.url+Prefix+"login", strings.NewReader(url.Values{"name": {name}, "password": {pass}, "login_csrf": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: loginCookie, Value: token})
	return req
}

// loginRequest is a login POST with a fresh token.
func loginRequest(t *testing.T, f *fixture, name, pass string) *http.Request {
	t.Helper()
	return loginForm(f, name, pass, loginToken(t, f))
}

// Finding 10 of issue 16 (the HTTP half; the browser half is in
// TestBrowserLoginCSRF): a login needs the pre-session token of the login
// page in both the form and its cookie, and a cross-site POST is refused.
func TestLoginNeedsItsToken(t *testing.T) {
	f := newFixture(t)
	token := loginToken(t, f)
	for name, req := range map[string]*http.Request{
		"no token": func() *http.Request {
			r, _ := http.NewRequest("POST", f.url+Prefix+"login", strings.NewReader(url.Values{"name": {"admin"}, "password": {adminPass}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}(),
		"form token without cookie": func() *http.Request {
			r := loginForm(f, "admin", adminPass, token)
			r.Header.Del("Cookie")
			return r
		}(),
		"token that differs": func() *http.Request {
			r := loginForm(f, "admin", adminPass, token)
			r.Header.Set("Cookie", loginCookie+"=other")
			return r
		}(),
		"cross-site": func() *http.Request {
			r := loginForm(f, "admin", adminPass, token)
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			return r
		}(),
		"other origin": func() *http.Request {
			r := loginForm(f, "admin", adminPass, token)
			r.Header.Set("Origin", "http://attacker.example")
			return r
		}(),
	} {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, ck := range resp.Cookies() {
			if ck.Name == adminCookie {
				t.Errorf("%s: logged in", name)
			}
		}
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, resp.StatusCode)
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req := loginForm(f, "admin", adminPass, token)
	req.Header.Set("Origin", f.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin login with its token: %d", resp.StatusCode)
	}
}

// adminSession logs in and returns the admin session cookie's value.
func adminSession(t *testing.T, f *fixture) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(loginRequest(t, f, "admin", adminPass))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == adminCookie {
			return ck.Value
		}
	}
	t.Fatalf("login: %d, no admin cookie", resp.StatusCode)
	return ""
}

// Finding 6 of issue 16: about 60,000 end-user link requests filled the
// one 10,000-slot session table, which evicted at random, so anyone with a
// link could log every admin out. End users' sessions now have a table of
// their own (here made small) and admins' are never evicted by them.
func TestLinkTrafficNeverEvictsAdmins(t *testing.T) {
	f := newFixtureWith(t, bcrypt.MinCost, func(o *Options) { o.sessionTables = map[string]int{adminCookie: 10, userCookie: 20} })
	f.put(t, "Hello", nil, []string{"bob@example.org"}, false)
	session := adminSession(t, f)
	link := f.url + Prefix + "u/" + f.links.Token("bob@example.org", time.Now().Add(time.Hour)) + "/"
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 { // each without a cookie jar: a new end-user session every time
				resp, err := http.Get(link)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("link: %d", resp.StatusCode)
				}
			}
		}()
	}
	wg.Wait()
	req, _ := http.NewRequest("GET", f.url+Prefix, nil)
	req.AddCookie(&http.Cookie{Name: adminCookie, Value: session})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("admin after 200 end-user link views: %d %s, want the list", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Finding 7 of issue 16: end users saw the other recipients of a message
// (Bcc included) and admins' names in "Released to … by …" and "Last
// release error". They now see only their own copy's state.
func TestEndUserSeesOnlyTheirOwnReleaseState(t *testing.T) {
	f := newFixture(t)
	e := f.put(t, "Shared", nil, []string{"bob@example.org", "hidden-bcc@example.org"}, false)
	f.sink.RefuseRcpt(func(rcpt string) string {
		if strings.HasPrefix(rcpt, "hidden-bcc") {
			return "550 5.1.1 <hidden-bcc@example.org> unknown"
		}
		return ""
	})
	relay := quarantine.Relay{Addr: f.sink.Addr, Timeout: 10 * time.Second}
	if _, err := f.st.Release(context.Background(), e.ID, "admin:alice", relay.Deliver); err == nil {
		t.Fatal("release to a refused recipient succeeded")
	}
	get := func(url string, cookie *http.Cookie) string {
		req, _ := http.NewRequest("GET", url, nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", url, resp.StatusCode)
		}
		return string(page)
	}
	bob := get(f.url+Prefix+"u/"+f.links.Token("bob@example.org", time.Now().Add(time.Hour))+"/m/"+e.ID, nil)
	if !strings.Contains(bob, "to bob@example.org") || !strings.Contains(bob, "by an administrator") {
		t.Errorf("bob's view lacks his own release:\n%s", bob)
	}
	for _, leak := range []string{"hidden-bcc", "admin:", "release-error", "refused"} {
		if strings.Contains(bob, leak) {
			i := strings.Index(bob, leak)
			t.Errorf("bob's view shows %q: …%s…", leak, bob[max(0, i-200):min(len(bob), i+100)])
		}
	}
	admin := get(f.url+Prefix+"m/"+e.ID, &http.Cookie{Name: adminCookie, Value: adminSession(t, f)})
	for _, want := range []string{"hidden-bcc@example.org", "to bob@example.org", "by admin:alice", `id="release-error"`} {
		if !strings.Contains(admin, want) {
			t.Errorf("admin's view lacks %q", want)
		}
	}
}

// Finding 4 of issue 16: an unknown name was checked against a cost-4
// dummy hash (1.5 ms) while a real one took 250 ms, so admin names could be
// found by timing. The dummy now has the admins' cost.
func TestUnknownNameCostsAsMuchAsARealOne(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("secret-pass"), 7)
	f := newFixture(t)
	for _, tt := range []struct {
		admins map[string]string
		want   int
	}{{map[string]string{"alice": string(hash)}, 7}, {nil, dummyCost}} {
		c, err := New(Options{Store: f.st, Deliver: func(context.Context, *quarantine.Entry) error { return nil }, Links: f.links, Admins: tt.admins})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := bcrypt.Cost(c.dummy); err != nil || got != tt.want {
			t.Errorf("admins %v: dummy hash cost %d (%v), want %d", tt.admins, got, err, tt.want)
		}
	}
}

// Informational items of issue 16: link tokens were malleable ("+exp",
// leading zeros and non-canonical base64 all verified), a link could be
// made for a whole domain, a world-readable key was used silently, and
// page= overflowed.
func TestLinksAreCanonicalAndPerMailbox(t *testing.T) {
	l, _ := NewLinks([]byte(strings.Repeat("a", 32)))
	now := time.Unix(1_800_000_000, 0)
	tok := l.Token("bob@example.org", now.Add(time.Hour))
	parts := strings.Split(tok, ".")
	if _, err := l.Verify(tok, now); err != nil {
		t.Fatal(err)
	}
	// A base64 character whose unused low bits differ decodes the same.
	last := parts[2][len(parts[2])-1]
	flipped := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", last) ^ 1
	for name, bad := range map[string]string{
		"plus sign":       parts[0] + ".+" + parts[1] + "." + parts[2],
		"leading zero":    parts[0] + ".0" + parts[1] + "." + parts[2],
		"stray bits":      parts[0] + "." + parts[1] + "." + parts[2][:len(parts[2])-1] + string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[flipped]),
		"domain link":     l.Token("@example.org", now.Add(time.Hour)),
		"bare domain":     l.Token("example.org", now.Add(time.Hour)),
		"padded base64":   parts[0] + "=." + parts[1] + "." + parts[2],
		"uppercase again": strings.ToUpper(parts[0][:1]) + parts[0][1:] + "." + parts[1] + "." + parts[2],
	} {
		if bad == tok {
			continue // the change happened to be a no-op
		}
		if _, err := l.Verify(bad, now); err != ErrLinkInvalid {
			t.Errorf("%s: %v, want ErrLinkInvalid", name, err)
		}
	}

	dir := t.TempDir()
	key := filepath.Join(dir, "k")
	if _, err := LoadOrCreateKey(key); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(key); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Errorf("world-readable key: %v", err)
	}
}

func TestPageNumberDoesNotOverflow(t *testing.T) {
	f := newFixture(t)
	f.put(t, "Hello", nil, []string{"bob@example.org"}, false)
	link := f.url + Prefix + "u/" + f.links.Token("bob@example.org", time.Now().Add(time.Hour)) + "/?page=9223372036854775807"
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("huge page number: %d", resp.StatusCode)
	}
}

// End users could release mail that was not scanned in full (issue 16,
// informational). By default only admins may; console option
// user_release_unscannable lets end users again.
func TestUnscannableReleaseIsAdminOnlyByDefault(t *testing.T) {
	for _, allowed := range []bool{false, true} {
		f := newFixtureWith(t, bcrypt.MinCost, func(o *Options) { o.UserReleaseUnscannable = allowed })
		v := policy.Verdict{Action: policy.Quarantine, Reasons: []string{policy.ReasonUnscannable}, Ref: "refunscan",
			Findings: []scanners.Finding{{Scanner: "kensa", ID: "encrypted-archive", Part: "2", Severity: scanners.Info}}}
		e := quarantine.NewEntry(testmail.Plain("Locked", "zip\n"), message.Envelope{Sender: "x@outside.example", Recipients: []string{"bob@example.org"}}, v)
		if err := f.st.Put(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		bob := f.url + Prefix + "u/" + f.links.Token("bob@example.org", time.Now().Add(time.Hour)) + "/"
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		resp, err := client.Get(bob + "m/" + e.ID)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
		if m == nil {
			t.Fatalf("no csrf token in:\n%s", page)
		}
		if got := strings.Contains(string(page), `id="release"`); got != allowed {
			t.Errorf("allowed %v: release button shown %v", allowed, got)
		}
		resp, err = client.PostForm(bob+"act", url.Values{"csrf": {string(m[1])}, "action": {"release"}, "id": {e.ID}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if released := len(f.sink.Messages()) == 1; released != allowed || (resp.StatusCode == http.StatusForbidden) == allowed {
			t.Errorf("allowed %v: end user's release got %d, delivered %v", allowed, resp.StatusCode, released)
		}
	}
}
