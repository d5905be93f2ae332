package console

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"
	"golang.org/x/crypto/bcrypt"

	"github.com/kensa-milter/kensa/internal/chromium"
	"github.com/kensa-milter/kensa/internal/smtpsink"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/quarantine"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/web"
)

// fixture is a console on a real HTTP listener over a real SQLite store,
// releasing to an SMTP sink.
type fixture struct {
	url   string
	st    quarantine.Store
	sink  *smtpsink.Sink
	links *Links
	log   *logtest.Hook
	now   atomic.Int64 // unix seconds; 0 = real time
}

const adminPass = "correct horse battery"

func newFixture(t *testing.T) *fixture { t.Helper(); return newFixtureWith(t, bcrypt.MinCost) }

// newFixtureWith makes the admin's password hash with the given bcrypt cost.
func newFixtureWith(t *testing.T, cost int, opts ...func(*Options)) *fixture {
	t.Helper()
	st, err := quarantine.Open(context.Background(), quarantine.SQLiteDSN(t.TempDir()), quarantine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, sink: smtpsink.Start(t)}
	f.links, _ = NewLinks([]byte(strings.Repeat("k", 32)))
	hash, _ := bcrypt.GenerateFromPassword([]byte(adminPass), cost)
	log, hook := logtest.NewNullLogger()
	log.SetLevel(logrus.DebugLevel)
	f.log = hook
	relay := quarantine.Relay{Addr: f.sink.Addr, Timeout: 10 * time.Second}
	o := Options{Store: st, Deliver: relay.Deliver, Admins: map[string]string{"admin": string(hash)}, Links: f.links, Log: log,
		AllowSender: func(string, []string) (bool, error) { return true, nil },
		Now: func() time.Time {
			if s := f.now.Load(); s != 0 {
				return time.Unix(s, 0)
			}
			return time.Now()
		}}
	for _, opt := range opts {
		opt(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ws := web.New(web.Options{Log: log})
	ws.Handle(Prefix, c)
	if err := ws.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.Shutdown(context.Background()) })
	f.url = "http://" + ws.Addr().String()
	return f
}

func (f *fixture) put(t *testing.T, subject string, raw []byte, rcpts []string, malicious bool) *quarantine.Entry {
	t.Helper()
	v := policy.Verdict{Action: policy.Quarantine, Score: 60, Reasons: []string{policy.ReasonScore}, Ref: "ref" + strings.ToLower(subject[:3]),
		Findings: []scanners.Finding{{Scanner: "yara", ID: "Test_Rule", Part: "1", Severity: scanners.Suspicious, Score: 60, Detail: "test marker"}}}
	if malicious {
		v.Action, v.Reasons, v.Findings[0].Severity = policy.Reject, []string{policy.ReasonMalicious}, scanners.Malicious
	}
	if raw == nil {
		raw = testmail.Plain(subject, "Body of "+subject+"\n")
	}
	e := quarantine.NewEntry(raw, message.Envelope{Sender: "sender@outside.example", Recipients: rcpts, QueueID: "Q" + subject[:3]}, v)
	if err := f.st.Put(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

// browser starts headless Chromium for a minute.
func browser(t *testing.T) context.Context {
	t.Helper()
	return chromium.Start(t, 60*time.Second)
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	run(t, ctx, "read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

func TestBrowser(t *testing.T) {
	f := newFixture(t)
	// A beacon: any request to it means the browser loaded something the
	// sender put into the message.
	var beacons atomic.Int32
	beacon := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { beacons.Add(1) }))
	defer beacon.Close()
	hostile := testmail.Multipart("Hostile html", "alternative",
		testmail.Part{Type: "text/plain", Body: "plain side\n"},
		testmail.Part{Type: "text/html", Body: `<p>Visible words</p><img src="` + beacon.URL + `/img"><script>document.title="pwned";fetch("` + beacon.URL + `/js")</script>` +
			`<iframe src="` + beacon.URL + `/frame"></iframe><link rel=stylesheet href="` + beacon.URL + `/css">`})
	hostileE := f.put(t, "Hostile html", hostile, []string{"bob@example.org"}, false)
	releaseE := f.put(t, "Release me", nil, []string{"bob@example.org"}, false)
	deleteE := f.put(t, "Delete me", nil, []string{"bob@example.org"}, false)
	sharedE := f.put(t, "Shared note", nil, []string{"bob@example.org", "carol@example.org"}, false)
	carolE := f.put(t, "Carol private", nil, []string{"carol@example.org"}, false)
	malE := f.put(t, "Malware for bob", nil, []string{"bob@example.org"}, true)
	bulk1 := f.put(t, "Bulk one", nil, []string{"dave@example.org"}, false)
	bulk2 := f.put(t, "Bulk two", nil, []string{"dave@example.org"}, false)

	ctx := browser(t)
	start := time.Now()

	// Login: a wrong password first, then the right one.
	run(t, ctx, "login page", chromedp.Navigate(f.url+Prefix), chromedp.WaitVisible("#login", chromedp.ByQuery),
		chromedp.SendKeys("#name", "admin", chromedp.ByQuery), chromedp.SendKeys("#password", "wrong", chromedp.ByQuery),
		chromedp.Click("#login", chromedp.ByQuery), chromedp.WaitVisible("#error", chromedp.ByQuery))
	if s := text(t, ctx, "#error"); !strings.Contains(s, "Wrong name or password") {
		t.Errorf("wrong password: %q", s)
	}
	run(t, ctx, "login", chromedp.SendKeys("#name", "admin", chromedp.ByQuery), chromedp.SendKeys("#password", adminPass, chromedp.ByQuery),
		chromedp.Click("#login", chromedp.ByQuery), chromedp.WaitVisible("#entries", chromedp.ByQuery))

	// List: everything, and a filter.
	list := text(t, ctx, "#entries")
	for _, s := range []string{"Hostile html", "Carol private", "Malware for bob", "carol@example.org"} {
		if !strings.Contains(list, s) {
			t.Errorf("admin list lacks %q", s)
		}
	}
	run(t, ctx, "filter", chromedp.Navigate(f.url+Prefix+"?recipient=carol%40example.org"), chromedp.WaitVisible("#entries", chromedp.ByQuery))
	if list := text(t, ctx, "#entries"); !strings.Contains(list, "Carol private") || strings.Contains(list, "Release me") {
		t.Errorf("filtered list: %q", list)
	}

	// View: headers, findings, HTML as text only; nothing loaded or run.
	run(t, ctx, "view", chromedp.Navigate(f.url+Prefix), chromedp.WaitVisible("#entries", chromedp.ByQuery),
		chromedp.Click("#open-"+hostileE.ID, chromedp.ByQuery), chromedp.WaitVisible("#findings", chromedp.ByQuery))
	var title, body string
	var scripts, frames, imgs int
	run(t, ctx, "inspect view", chromedp.Sleep(300*time.Millisecond), chromedp.Title(&title), chromedp.Text("main", &body, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("script").length`, &scripts),
		chromedp.Evaluate(`document.querySelectorAll("iframe").length`, &frames),
		chromedp.Evaluate(`document.querySelectorAll("main img").length`, &imgs))
	if !strings.Contains(body, "Visible words") || !strings.Contains(body, "Test_Rule") || !strings.Contains(body, "Subject: Hostile html") || !strings.Contains(body, "plain side") {
		t.Errorf("view page lacks content:\n%s", body)
	}
	if title == "pwned" || scripts != 0 || frames != 0 || imgs != 0 || beacons.Load() != 0 {
		t.Errorf("sender content became live: title %q, %d scripts, %d frames, %d imgs, %d beacon hits", title, scripts, frames, imgs, beacons.Load())
	}
	var href string
	var ok bool
	run(t, ctx, "download link", chromedp.AttributeValue("#download", "href", &href, &ok, chromedp.ByQuery))
	if href != Prefix+"m/"+hostileE.ID+"/raw" {
		t.Errorf("download link %q", href)
	}

	// Release one: it reaches the sink with its original envelope.
	run(t, ctx, "release", chromedp.Navigate(f.url+Prefix+"m/"+releaseE.ID), chromedp.WaitVisible("#release", chromedp.ByQuery),
		chromedp.Click("#release", chromedp.ByQuery), chromedp.WaitVisible("#results", chromedp.ByQuery))
	if s := text(t, ctx, "#results"); !strings.Contains(s, "released to bob@example.org") {
		t.Errorf("release result %q", s)
	}
	if got := f.sink.Wait(1, 5*time.Second); len(got) != 1 || got[0].To[0] != "bob@example.org" || !strings.Contains(string(got[0].Data), "Body of Release me") {
		t.Fatalf("sink got %+v", got)
	}

	// Delete one.
	run(t, ctx, "delete", chromedp.Navigate(f.url+Prefix+"m/"+deleteE.ID), chromedp.WaitVisible("#delete", chromedp.ByQuery),
		chromedp.Click("#delete", chromedp.ByQuery), chromedp.WaitVisible("#results", chromedp.ByQuery))
	if e, _ := f.st.Get(context.Background(), deleteE.ID); e == nil || e.Status() != quarantine.Deleted || e.DeletedBy != "admin:admin" {
		t.Errorf("after delete: %+v", e)
	}

	// Bulk release of two.
	run(t, ctx, "bulk", chromedp.Navigate(f.url+Prefix+"?recipient=dave%40example.org"), chromedp.WaitVisible("#entries", chromedp.ByQuery),
		chromedp.Click("#sel-"+bulk1.ID, chromedp.ByQuery), chromedp.Click("#sel-"+bulk2.ID, chromedp.ByQuery),
		chromedp.Click("#bulk-release", chromedp.ByQuery), chromedp.WaitVisible("#results", chromedp.ByQuery))
	if got := f.sink.Wait(3, 5*time.Second); len(got) != 3 {
		t.Errorf("after bulk release the sink has %d messages, want 3", len(got))
	}

	// CSRF: the admin's own session cookie without the token, or a wrong one, is refused.
	var cookies []*network.Cookie
	run(t, ctx, "cookies", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		cookies, err = network.GetCookies().WithURLs([]string{f.url + Prefix}).Do(ctx)
		return err
	}))
	var session string
	for _, c := range cookies {
		if c.Name == adminCookie {
			session = c.Value
			if !c.HTTPOnly || c.SameSite != network.CookieSameSiteStrict {
				t.Errorf("admin cookie flags: %+v", c)
			}
		}
	}
	if session == "" {
		t.Fatalf("no admin cookie in %v", cookies)
	}
	for _, token := range []string{"", "wrong-token"} {
		form := url.Values{"action": {"delete"}, "id": {carolE.ID}}
		if token != "" {
			form.Set("csrf", token)
		}
		req, _ := http.NewRequest("POST", f.url+Prefix+"act", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: adminCookie, Value: session})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST with csrf %q: %d, want 403", token, resp.StatusCode)
		}
	}
	if e, _ := f.st.Get(context.Background(), carolE.ID); e.Status() != quarantine.Held {
		t.Errorf("CSRF attempt changed the entry: %s", e.Status())
	}

	// End user bob: his mail only.
	bob := f.url + Prefix + "u/" + f.links.Token("Bob@Example.org", time.Now().Add(time.Hour)) + "/"
	run(t, ctx, "end user list", chromedp.Navigate(bob), chromedp.WaitVisible("#entries", chromedp.ByQuery))
	list = text(t, ctx, "#entries")
	if !strings.Contains(list, "Shared note") || !strings.Contains(list, "Malware for bob") || strings.Contains(list, "Carol private") || strings.Contains(list, "Bulk one") {
		t.Errorf("bob's list: %q", list)
	}
	// Another user's message, by its ID: not found.
	run(t, ctx, "other's mail", chromedp.Navigate(bob+"m/"+carolE.ID), chromedp.WaitVisible("#error", chromedp.ByQuery))
	if s := text(t, ctx, "#error"); !strings.Contains(s, "No such message") {
		t.Errorf("bob opening carol's mail: %q", s)
	}
	// Malicious: no release button for him.
	var n int
	run(t, ctx, "malicious", chromedp.Navigate(bob+"m/"+malE.ID), chromedp.WaitVisible("#malicious", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#release").length`, &n))
	if n != 0 {
		t.Errorf("end user sees a release button on a malicious message")
	}
	// Shared: he releases his own copy only, and may not delete it.
	run(t, ctx, "shared", chromedp.Navigate(bob+"m/"+sharedE.ID), chromedp.WaitVisible("#release", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#delete").length`, &n),
		chromedp.Click("#release", chromedp.ByQuery), chromedp.WaitVisible("#results", chromedp.ByQuery))
	if n != 0 {
		t.Errorf("end user may delete a message other people share")
	}
	got := f.sink.Wait(4, 5*time.Second)
	if len(got) != 4 || len(got[3].To) != 1 || got[3].To[0] != "bob@example.org" {
		t.Errorf("end-user release: sink %+v", got)
	}
	if e, _ := f.st.Get(context.Background(), sharedE.ID); e.Status() != quarantine.Held || len(e.ReleasedTo) != 1 || e.ReleasedTo[0].ReleasedBy != "user:bob@example.org" {
		t.Errorf("shared entry after bob's release: %s %+v", e.Status(), e.ReleasedTo)
	}

	// A link that has expired, and one whose signature is wrong.
	expired := f.url + Prefix + "u/" + f.links.Token("bob@example.org", time.Now().Add(-time.Minute)) + "/"
	run(t, ctx, "expired link", chromedp.Navigate(expired), chromedp.WaitVisible("#error", chromedp.ByQuery))
	if s := text(t, ctx, "#error"); !strings.Contains(s, "expired") {
		t.Errorf("expired link: %q", s)
	}
	forged := strings.Replace(bob, b64.EncodeToString([]byte("bob@example.org")), b64.EncodeToString([]byte("carol@example.org")), 1)
	resp, err := http.Get(forged)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || strings.Contains(string(page), "Carol private") {
		t.Errorf("forged link: %d", resp.StatusCode)
	}

	// Every action was logged with who did it.
	var actions []string
	for _, e := range f.log.AllEntries() {
		if e.Message == "console action" {
			actions = append(actions, fmt.Sprintf("%v/%v%v/%v", e.Data["action"], e.Data["user"], e.Data["recipient"], e.Data["id"]))
		}
	}
	for _, want := range []string{"release/admin<nil>/" + releaseE.ID, "delete/admin<nil>/" + deleteE.ID, "release/<nil>bob@example.org/" + sharedE.ID} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("no log of %s in %v", want, actions)
		}
	}
	t.Logf("browser steps took %v", time.Since(start))
}

// Finding 10 of issue 16: POST /quarantine/login had no token and no
// Origin check, so a form on another site logged a real browser into the
// console (into an account the attacker chose). Now the browser is refused
// and holds no session.
func TestBrowserLoginCSRF(t *testing.T) {
	f := newFixture(t)
	f.put(t, "Secret note", nil, []string{"bob@example.org"}, false)
	// The attacker has a token of his own from the login page; it is of no
	// use in another browser.
	stolen := loginToken(t, f)
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<!DOCTYPE html><html><body><form method="post" action="%s">
<input name="name" value="admin"><input name="password" value="%s"><input name="login_csrf" value="%s">
</form><script>document.forms[0].submit()</script></body></html>`, f.url+Prefix+"login", adminPass, stolen)
	}))
	defer attacker.Close()
	// localhost and 127.0.0.1 are different sites to the browser.
	page := strings.Replace(attacker.URL, "127.0.0.1", "localhost", 1)

	ctx := browser(t)
	run(t, ctx, "attacker's page", chromedp.Navigate(page), chromedp.WaitVisible("#error, #entries, #login", chromedp.ByQuery))
	var location string
	run(t, ctx, "where the form went", chromedp.Location(&location))
	if !strings.HasPrefix(location, f.url+Prefix) {
		t.Fatalf("the form did not reach the console: at %s", location)
	}
	var cookies []*network.Cookie
	run(t, ctx, "cookies", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		cookies, err = network.GetCookies().WithURLs([]string{f.url + Prefix}).Do(ctx)
		return err
	}))
	for _, c := range cookies {
		if c.Name == adminCookie {
			t.Errorf("a cross-site form logged the browser in (cookie %s)", c.Name)
		}
	}
	var lists int
	run(t, ctx, "console", chromedp.Navigate(f.url+Prefix), chromedp.WaitVisible("#login, #entries", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#entries").length`, &lists))
	if lists != 0 {
		t.Fatalf("after the attacker's page the browser is logged in to the console")
	}

	// The console's own form still logs in.
	run(t, ctx, "login", chromedp.SendKeys("#name", "admin", chromedp.ByQuery), chromedp.SendKeys("#password", adminPass, chromedp.ByQuery),
		chromedp.Click("#login", chromedp.ByQuery), chromedp.WaitVisible("#entries", chromedp.ByQuery))
}
