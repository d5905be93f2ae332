// Package console is the web console for quarantined mail: admins log in
// with a name and password and see everything; end users follow a signed,
// expiring link (see Links) and see only their own address's quarantine.
// It is an http.Handler for everything under Prefix.
//
// Security choices, and why:
//   - No JavaScript at all, and a Content-Security-Policy that allows none:
//     an HTML part of a quarantined message is only ever shown as escaped
//     text (its tags stripped), so nothing the sender wrote can run.
//   - Every POST needs the session's CSRF token; cookies are HttpOnly,
//     SameSite=Strict and Secure behind TLS.
//   - Login attempts are limited per client and per (client, user name)
//     pair, counted when they start, with a back-off (limit.go).
//   - Sessions live in memory: a restart logs everyone out.
package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/crypto/bcrypt"

	"github.com/kensa-milter/kensa/quarantine"
)

// Prefix is where the console lives on the HTTP server.
const Prefix = "/quarantine/"

// Options configure a Console.
type Options struct {
	Store   quarantine.Store
	Deliver quarantine.DeliverFunc // releases go here (quarantine.Relay.Deliver)
	Admins  map[string]string      // name → bcrypt hash
	Links   *Links
	// AllowSender adds the sender of a message to recipients to the allow
	// list ("release and allow sender", admins only); it refuses anything
	// but a full address (policy.AllowableSender). nil hides the option.
	AllowSender func(sender string, recipients []string) (added bool, err error)
	// Confirm remembers a quarantined message's parts as known malicious
	// ("Confirm malicious", admins only) and says how many. nil hides it.
	Confirm func(ctx context.Context, e *quarantine.Entry, by string) (int, error)
	// SecureCookies: "auto" (when the request came over TLS or with
	// X-Forwarded-Proto: https), "always" or "never".
	SecureCookies string
	SessionTTL    time.Duration // default 8h
	// UserReleaseUnscannable lets end users release their copy of mail
	// that could not be scanned in full; by default only admins may.
	UserReleaseUnscannable bool
	// TrustedProxies may say who the client is with X-Forwarded-For (a
	// reverse proxy in front of the console); nobody else may.
	TrustedProxies []netip.Prefix
	Log            logrus.FieldLogger
	Now            func() time.Time // for tests; default time.Now
	sessionTables  map[string]int   // for tests: table sizes instead of maxSessions
}

// Console is the handler.
type Console struct {
	o    Options
	tmpl *template.Template
	mux  *http.ServeMux

	mu sync.Mutex
	// sessions per cookie name: admins and end users in tables of their
	// own, so that link traffic never evicts an admin's session.
	sessions map[string]map[string]*session
	admins   map[string]string // name → bcrypt hash; replaced by SetAdmins
	limits   *limiter
	dummy    []byte // bcrypt hash for unknown names, as costly as the admins'
}

// checkAdmins checks the admins' password hashes and returns a dummy hash
// of the highest cost among them (dummyCost when there are none): a login
// with an unknown name is checked against it, so it takes as long as a
// real one and names cannot be found by timing.
func checkAdmins(admins map[string]string) (dummy []byte, err error) {
	cost := 0
	for name, h := range admins {
		n, err := bcrypt.Cost([]byte(h))
		if err != nil {
			return nil, fmt.Errorf("console: admin %q: password hash: %w", name, err)
		}
		cost = max(cost, n)
	}
	if cost == 0 {
		cost = dummyCost
	}
	dummy, err = bcrypt.GenerateFromPassword([]byte(randomToken()), cost)
	if err != nil {
		return nil, fmt.Errorf("console: dummy hash: %w", err)
	}
	return dummy, nil
}

// SetAdmins replaces the admins (a config reload). The sessions of an admin
// who is gone, or whose password hash changed, end at once. On an error
// (a hash that is not bcrypt) nothing changes.
func (c *Console) SetAdmins(admins map[string]string) error {
	dummy, err := checkAdmins(admins)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.admins
	c.admins, c.dummy = maps.Clone(admins), dummy
	for id, s := range c.sessions[adminCookie] {
		if s.admin != "" && (c.admins[s.admin] == "" || c.admins[s.admin] != old[s.admin]) {
			delete(c.sessions[adminCookie], id)
		}
	}
	return nil
}

type session struct {
	admin     string // admin name, or
	recipient string // the end user's address
	csrf      string
	expires   time.Time
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Session table sizes. A full end-user table drops arbitrary sessions (an
// end user opens the link again); a full admin table, which only logins
// fill, drops the oldest.
var maxSessions = map[string]int{adminCookie: 1000, userCookie: 10000}

// dummyCost is the cost of the dummy hash when there are no admins: the
// cost "kensa console hash-password" uses.
const dummyCost = 12

// New builds the console.
func New(o Options) (*Console, error) {
	if o.Store == nil || o.Deliver == nil || o.Links == nil {
		return nil, errors.New("console: store, deliver and links are required")
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = 8 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = logrus.StandardLogger()
	}
	switch o.SecureCookies {
	case "":
		o.SecureCookies = "auto"
	case "auto", "always", "never":
	default:
		return nil, fmt.Errorf("console: secure cookies %q: want auto, always or never", o.SecureCookies)
	}
	dummy, err := checkAdmins(o.Admins)
	if err != nil {
		return nil, err
	}
	t, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("console: templates: %w", err)
	}
	c := &Console{o: o, tmpl: t, mux: http.NewServeMux(), sessions: map[string]map[string]*session{adminCookie: {}, userCookie: {}},
		limits: newLimiter(), admins: maps.Clone(o.Admins), dummy: dummy}
	static, _ := fs.Sub(staticFS, "static")
	c.mux.Handle("GET "+Prefix+"static/", http.StripPrefix(Prefix+"static/", http.FileServerFS(static)))
	c.mux.HandleFunc("GET "+Prefix+"login", c.loginPage)
	c.mux.HandleFunc("POST "+Prefix+"login", c.login)
	c.mux.HandleFunc("POST "+Prefix+"logout", c.admin(c.logout))
	c.mux.HandleFunc("GET "+Prefix+"{$}", c.admin(c.list))
	c.mux.HandleFunc("GET "+Prefix+"m/{id}", c.admin(c.view))
	c.mux.HandleFunc("GET "+Prefix+"m/{id}/raw", c.admin(c.raw))
	c.mux.HandleFunc("POST "+Prefix+"act", c.admin(c.act))
	c.mux.HandleFunc("GET "+Prefix+"u/{token}", c.user(c.list))
	c.mux.HandleFunc("GET "+Prefix+"u/{token}/{$}", c.user(c.list))
	c.mux.HandleFunc("GET "+Prefix+"u/{token}/m/{id}", c.user(c.view))
	c.mux.HandleFunc("POST "+Prefix+"u/{token}/act", c.user(c.act))
	return c, nil
}

// ServeHTTP serves the console with its security headers.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer") // links carry their token in the path
	h.Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if r.Method == http.MethodPost && !sameOrigin(r) {
		c.o.Log.WithFields(logrus.Fields{"remote": c.clientIP(r), "origin": r.Header.Get("Origin"), "fetch_site": r.Header.Get("Sec-Fetch-Site")}).
			Warn("console: cross-site form refused")
		c.fail(w, r, http.StatusForbidden, "This form came from another site.")
		return
	}
	c.mux.ServeHTTP(w, r)
}

// sameOrigin reports whether a POST came from the console's own pages, as
// far as the browser says: Sec-Fetch-Site (every current browser sends
// it), else Origin. Our pages' Referrer-Policy makes browsers send
// "Origin: null", which says nothing. Clients that send neither (curl,
// scripts) pass; the tokens still apply to them.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
	default:
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// who is the person behind a request.
type who struct {
	sess  *session
	token string // end users: the link token, for their URLs
}

func (w who) admin() bool { return w.sess.admin != "" }

func (w who) name() string {
	if w.admin() {
		return "admin:" + w.sess.admin
	}
	return "user:" + w.sess.recipient
}

func (w who) fields() logrus.Fields {
	if w.admin() {
		return logrus.Fields{"user": w.sess.admin}
	}
	return logrus.Fields{"recipient": w.sess.recipient}
}

// base is the URL prefix of this person's pages.
func (w who) base() string {
	if w.admin() {
		return Prefix
	}
	return Prefix + "u/" + w.token + "/"
}

type handler func(w http.ResponseWriter, r *http.Request, u who)

const (
	adminCookie = "kensa_admin"
	userCookie  = "kensa_user"
	// loginCookie carries the pre-session token of the login form: a login
	// needs the same token in the form, which another site cannot read.
	loginCookie = "kensa_login"
)

// admin requires an admin session (and on POST its CSRF token).
func (c *Console) admin(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := c.session(r, adminCookie)
		if s == nil || s.admin == "" {
			if r.Method == http.MethodPost {
				c.fail(w, r, http.StatusForbidden, "Your session has ended. Log in again.")
				return
			}
			http.Redirect(w, r, Prefix+"login", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !c.csrfOK(r, s) {
			c.fail(w, r, http.StatusForbidden, "This form is not valid (missing or wrong CSRF token). Reload the page and try again.")
			return
		}
		h(w, r, who{sess: s})
	}
}

// user requires a valid link; GETs start a session for its recipient when
// there is none, POSTs need that session and its CSRF token.
func (c *Console) user(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		rcpt, err := c.o.Links.Verify(token, c.o.Now())
		if err != nil {
			msg := "This link is not valid."
			if errors.Is(err, ErrLinkExpired) {
				msg = "This link has expired. A newer one is in your latest quarantine digest."
			}
			c.o.Log.WithFields(logrus.Fields{"remote": c.clientIP(r), "error": err.Error()}).Warn("console: link refused")
			c.fail(w, r, http.StatusForbidden, msg)
			return
		}
		s := c.session(r, userCookie)
		if s != nil && s.recipient != rcpt {
			s = nil
		}
		if r.Method == http.MethodPost {
			if s == nil || !c.csrfOK(r, s) {
				c.fail(w, r, http.StatusForbidden, "This form is not valid (missing or wrong CSRF token). Open the link again.")
				return
			}
		} else if s == nil {
			s = c.newSession(w, r, userCookie, "", rcpt)
		}
		h(w, r, who{sess: s, token: token})
	}
}

func (c *Console) csrfOK(r *http.Request, s *session) bool {
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (c *Console) session(r *http.Request, cookie string) *session {
	ck, err := r.Cookie(cookie)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	table := c.sessions[cookie]
	s := table[ck.Value]
	if s == nil {
		return nil
	}
	if !c.o.Now().Before(s.expires) {
		delete(table, ck.Value)
		return nil
	}
	return s
}

func (c *Console) secure(r *http.Request) bool {
	switch c.o.SecureCookies {
	case "always":
		return true
	case "never":
		return false
	}
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (c *Console) maxSessions(cookie string) int {
	if n, ok := c.o.sessionTables[cookie]; ok {
		return n
	}
	return maxSessions[cookie]
}

func (c *Console) newSession(w http.ResponseWriter, r *http.Request, cookie, admin, rcpt string) *session {
	id := randomToken()
	now := c.o.Now()
	s := &session{admin: admin, recipient: rcpt, csrf: randomToken(), expires: now.Add(c.o.SessionTTL)}
	c.mu.Lock()
	table, limit := c.sessions[cookie], c.maxSessions(cookie)
	if len(table) >= limit {
		for k, v := range table {
			if !now.Before(v.expires) {
				delete(table, k)
			}
		}
	}
	for len(table) >= limit { // still full
		victim := ""
		for k, v := range table {
			if cookie != adminCookie {
				victim = k
				break
			}
			if victim == "" || v.expires.Before(table[victim].expires) {
				victim = k
			}
		}
		delete(table, victim)
	}
	table[id] = s
	c.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookie, Value: id, Path: Prefix, HttpOnly: true, Secure: c.secure(r),
		SameSite: http.SameSiteStrictMode, MaxAge: int(c.o.SessionTTL.Seconds())})
	return s
}

// clientIP is the address of the client: the peer, or when the peer is a
// trusted proxy, the last address in X-Forwarded-For that is not one (the
// ones before it are whatever the client chose to send).
func (c *Console) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !c.trusted(host) {
		return host
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		a, err := netip.ParseAddr(h)
		if err != nil {
			return host // garbage from the proxy's side: do not guess
		}
		if !c.trusted(h) {
			return a.Unmap().String()
		}
		host = a.Unmap().String()
	}
	return host
}

func (c *Console) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range c.o.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// loginPage shows the form with a fresh pre-session token.
func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	c.renderLogin(w, r, http.StatusOK, "")
}

func (c *Console) renderLogin(w http.ResponseWriter, r *http.Request, code int, msg string) {
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: token, Path: Prefix + "login", HttpOnly: true, Secure: c.secure(r),
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	data := map[string]any{"Title": "Log in", "LoginToken": token}
	if msg != "" {
		data["Error"] = msg
	}
	c.render(w, code, "login", data)
}

// loginTokenOK checks the login form's pre-session token (login CSRF: a
// form on another site must not log the browser into an account).
func loginTokenOK(r *http.Request) bool {
	ck, err := r.Cookie(loginCookie)
	got := r.PostFormValue("login_csrf")
	return err == nil && ck.Value != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(ck.Value)) == 1
}

func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	now := c.o.Now()
	name := strings.TrimSpace(r.PostFormValue("name"))
	pass := r.PostFormValue("password")
	ip := c.clientIP(r)
	log := c.o.Log.WithFields(logrus.Fields{"user": name, "remote": ip, "action": "login"})
	if !loginTokenOK(r) {
		log.Warn("console: login form without its token refused")
		c.renderLogin(w, r, http.StatusForbidden, "This form has expired or came from another site. Log in again.")
		return
	}
	pairKey := "pair:" + ip + "\x00" + name
	if len(name) > 100 || !c.limits.start(now, limit{"ip:" + ip, freeIPFails}, limit{pairKey, freePairFails}) {
		log.Warn("console: login rate limited")
		c.renderLogin(w, r, http.StatusTooManyRequests, "Too many failed attempts. Wait a few minutes.")
		return
	}
	c.mu.Lock()
	hash, ok := c.admins[name]
	if !ok {
		hash = string(c.dummy)
	}
	c.mu.Unlock()
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(pass)); err != nil || !ok {
		log.Warn("console: login failed")
		c.renderLogin(w, r, http.StatusUnauthorized, "Wrong name or password.")
		return
	}
	c.limits.succeeded("ip:"+ip, pairKey)
	c.newSession(w, r, adminCookie, name, "")
	log.Info("console: login")
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, u who) {
	if ck, err := r.Cookie(adminCookie); err == nil {
		c.mu.Lock()
		delete(c.sessions[adminCookie], ck.Value)
		c.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: adminCookie, Value: "", Path: Prefix, MaxAge: -1, HttpOnly: true, Secure: c.secure(r), SameSite: http.SameSiteStrictMode})
	c.o.Log.WithFields(u.fields()).WithField("action", "logout").Info("console: logout")
	http.Redirect(w, r, Prefix+"login", http.StatusSeeOther)
}

func (c *Console) render(w http.ResponseWriter, code int, name string, data map[string]any) {
	var sb strings.Builder
	if err := c.tmpl.ExecuteTemplate(&sb, name, data); err != nil {
		c.o.Log.WithError(err).WithField("template", name).Error("console: render")
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(sb.String()))
}

func (c *Console) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	c.render(w, code, "error", map[string]any{"Title": http.StatusText(code), "Message": msg})
}

// ctx bounds one request's store work.
func reqCtx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), 30*time.Second)
}
