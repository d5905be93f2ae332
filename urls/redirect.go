package urls

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// Open redirects and link wrappers: a link to a host everybody trusts that
// sends the reader on to another one, named in the link. Phishers hide behind
// them, and gateways that rewrite links (Safe Links, Proofpoint, Mimecast,
// Barracuda) wrap honest and hostile links alike. Unwrap reads the target so
// that every check sees where the reader ends up.

// maxUnwrap bounds wrappers inside wrappers.
const maxUnwrap = 4

// wrapperParams are the query parameters a generic redirector carries its
// target in. A value counts only when it is itself an absolute web URL.
var wrapperParams = []string{"url", "u", "redirect", "redirect_url", "redirect_uri", "target", "dest", "destination", "q"}

// Unwrap returns the URL that u sends its reader to when u is a known
// redirector or link wrapper, or a URL with a redirect parameter whose value is
// a web URL; wrapper names it. ok is false for any other URL.
func Unwrap(u URL) (target, wrapper string, ok bool) {
	if u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", "", false
	}
	n := u.Normalized
	path, query := n, ""
	if i := strings.IndexAny(n, "?#"); i >= 0 {
		path = n[:i]
		if n[i] == '?' {
			query = n[i+1:]
			if j := strings.IndexByte(query, '#'); j >= 0 {
				query = query[:j]
			}
		}
	}
	// path without scheme and authority
	if i := strings.Index(path, "://"); i >= 0 {
		path = path[i+3:]
		if j := strings.IndexByte(path, '/'); j >= 0 {
			path = path[j:]
		} else {
			path = "/"
		}
	}
	h := u.Host
	var q url.Values // read on first use: most links are no wrapper
	get := func(k string) string {
		if q == nil {
			q, _ = url.ParseQuery(query) // keeps every pair it could read
		}
		return q.Get(k)
	}
	switch {
	case isGoogle(h) && path == "/url":
		return webURL(first(get("q"), get("url")), "Google redirect")
	case isGoogle(h) && strings.HasPrefix(path, "/amp/s/"):
		return webURL("https://"+unescapePath(path[len("/amp/s/"):]), "Google AMP")
	case isGoogle(h) && strings.HasPrefix(path, "/amp/"):
		return webURL("http://"+unescapePath(path[len("/amp/"):]), "Google AMP")
	case under(h, "bing.com") && path == "/ck/a":
		return webURL(bingTarget(get("u")), "Bing redirect")
	case under(h, "safelinks.protection.outlook.com"):
		return webURL(get("url"), "Outlook Safe Links")
	case h == "urldefense.proofpoint.com" && path == "/v1/url":
		return webURL(get("u"), "Proofpoint URL Defense v1")
	case h == "urldefense.proofpoint.com" && path == "/v2/url":
		return webURL(proofpointV2(get("u")), "Proofpoint URL Defense v2")
	case (h == "urldefense.com" || h == "urldefense.proofpoint.com") && strings.HasPrefix(path, "/v3/__"):
		return webURL(proofpointV3(n), "Proofpoint URL Defense v3")
	case (strings.HasPrefix(h, "protect") && under(h, "mimecast.com")) || under(h, "mimecastprotect.com"):
		if d := get("domain"); d != "" {
			return webURL("https://"+d+"/", "Mimecast URL Protect")
		}
		return "", "", false
	case under(h, "cudasvc.com") && path == "/url":
		return webURL(get("a"), "Barracuda Link Protection")
	case (h == "l.facebook.com" || h == "lm.facebook.com" || under(h, "facebook.com")) && path == "/l.php":
		return webURL(get("u"), "Facebook link shim")
	case under(h, "linkedin.com") && (path == "/redir/redirect" || path == "/safety/go"):
		return webURL(get("url"), "LinkedIn redirect")
	case h == "slack-redir.net" && path == "/link":
		return webURL(get("url"), "Slack redirect")
	case oauthAuthorize(h, path):
		return webURL(get("redirect_uri"), "OAuth redirect")
	case under(h, "doubleclick.net"):
		// Campaign Manager's click URLs end in ";?" and the landing page as
		// it is (/ddm/clk/..;..;?https://...); Ad Manager's carry it in adurl=.
		if strings.HasSuffix(path, ";") && query != "" {
			return webURL(queryURL(query), "DoubleClick ad click")
		}
		return webURL(get("adurl"), "DoubleClick ad click")
	case (under(h, "googleadservices.com") && path == "/pagead/aclk") || (isGoogle(h) && path == "/aclk"):
		return webURL(get("adurl"), "Google Ads click")
	case under(h, "youtube.com") && path == "/redirect":
		return webURL(get("q"), "YouTube redirect")
	case under(h, "search.yahoo.com"):
		// r.search.yahoo.com/_ylt=.../RU=<escaped URL>/RK=2/RS=...
		return webURL(yahooTarget(path), "Yahoo redirect")
	}
	// A generic redirect parameter holds a web URL, so the query spells
	// "http" (as it is or percent-encoded, in any case).
	if !containsFold(query, "http") {
		return "", "", false
	}
	for _, k := range wrapperParams {
		if k == "q" { // only Google's redirect uses q for a URL; elsewhere it is a search
			continue
		}
		if t, w, ok := webURL(get(k), "redirect parameter "+k+"= on "+h); ok {
			return t, w, true
		}
	}
	return "", "", false
}

// oauthAuthorize says whether path on host h is a big sign-in service's
// OAuth authorization endpoint. It sends the browser to the request's
// redirect_uri, and at once, without a sign-in page, when the request
// asks for no prompt or names a scope that does not exist (an error goes
// back to redirect_uri too): an open redirect from the very host a reader
// trusts most, which kits use to pass their link off as Microsoft's.
func oauthAuthorize(h, path string) bool {
	path = strings.ToLower(path)
	switch h {
	case "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "login.live.com":
		return strings.Contains(path, "/oauth2/") && strings.HasSuffix(path, "/authorize") || strings.HasSuffix(path, "/oauth20_authorize.srf")
	case "accounts.google.com":
		return path == "/o/oauth2/auth" || path == "/o/oauth2/v2/auth"
	case "github.com":
		return path == "/login/oauth/authorize"
	}
	return false
}

// webURL accepts t when it is an absolute http(s) URL with a host.
func webURL(t, wrapper string) (string, string, bool) {
	t = strings.TrimSpace(t)
	if len(t) < 8 || len(t) > MaxWrapper {
		return "", "", false
	}
	lt := strings.ToLower(t[:8])
	if !strings.HasPrefix(lt, "http://") && !strings.HasPrefix(lt, "https://") && !strings.HasPrefix(lt, "http:\\\\") && !strings.HasPrefix(lt, "https:\\") {
		return "", "", false
	}
	if Parse(t).Host == "" {
		return "", "", false
	}
	return t, wrapper, true
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// isGoogle: google.com, www.google.de, google.co.uk, google.com.au.
func isGoogle(h string) bool {
	h = strings.TrimPrefix(h, "www.")
	if !strings.HasPrefix(h, "google.") {
		return false
	}
	rest := h[len("google."):]
	rest = strings.TrimPrefix(strings.TrimPrefix(rest, "com."), "co.")
	return rest == "com" || (len(rest) == 2 && !strings.Contains(rest, "."))
}

// under: h is d or a subdomain of d.
func under(h, d string) bool {
	return strings.HasSuffix(h, d) && (len(h) == len(d) || h[len(h)-len(d)-1] == '.')
}

// containsFold says whether s holds the lower-case ASCII word w in any case
// (a byte b stands for w's c when b|0x20 is c). The places w may start are
// found by IndexByte, for each of the two bytes that stand for its first (c,
// and c without its 0x20 bit): the HTML of a newsletter is searched for
// words it mostly lacks, and a byte at a time that cost as much as reading
// it.
func containsFold(s, w string) bool {
	if w == "" {
		return true
	}
	c := w[0]
	if c&0x20 == 0 || len(s) < len(w) {
		return false // no byte stands for c, or no room for w
	}
	last := len(s) - len(w) // the last place w may start
	// The next place at or after i each of the two bytes is at: stale when
	// before i, len(s) when there is none.
	next := [2]int{-1, -1}
	for i := 0; ; i++ {
		for k, b := range [2]byte{c, c &^ 0x20} {
			if next[k] < i {
				next[k] = len(s)
				if at := strings.IndexByte(s[i:last+1], b); at >= 0 {
					next[k] = i + at
				}
			}
		}
		if i = min(next[0], next[1]); i > last {
			return false
		}
		j := 1
		for j < len(w) && s[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
}

// queryURL reads a query that is a whole URL, as it is or percent-encoded.
func queryURL(q string) string {
	if len(q) > 7 && strings.EqualFold(q[:7], "http%3a") || len(q) > 8 && strings.EqualFold(q[:8], "https%3a") {
		if t, err := url.QueryUnescape(q); err == nil {
			return t
		}
	}
	return q
}

// yahooTarget reads the percent-encoded URL between /RU= and the next /RK=.
func yahooTarget(path string) string {
	i := strings.Index(path, "/RU=")
	if i < 0 {
		return ""
	}
	t := path[i+len("/RU="):]
	if j := strings.Index(t, "/RK="); j >= 0 {
		t = t[:j]
	}
	return unescapePath(t)
}

func unescapePath(s string) string {
	if t, err := url.PathUnescape(s); err == nil {
		return t
	}
	return s
}

// bingTarget decodes Bing's u= value: "a1" and the URL in unpadded
// URL-safe base64.
func bingTarget(v string) string {
	if !strings.HasPrefix(v, "a1") {
		return v
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(v[2:], "="))
	if err != nil {
		return ""
	}
	return string(b)
}

// proofpointV2: the URL percent-encoded, with "-" for "%" and "_" for "/".
func proofpointV2(v string) string {
	v = strings.NewReplacer("-", "%", "_", "/").Replace(v)
	if t, err := url.PathUnescape(v); err == nil {
		return t
	}
	return ""
}

// proofpointV3 reads https://urldefense.com/v3/__<URL>__;<replaced>!!<...>:
// each "*" in the URL stands for the next character of the base64url-decoded
// <replaced>; "**" and a length letter stand for a run of them.
func proofpointV3(n string) string {
	i := strings.Index(n, "/v3/__")
	if i < 0 {
		return ""
	}
	rest := n[i+len("/v3/__"):]
	end := strings.Index(rest, "__;")
	if end < 0 {
		return ""
	}
	enc, tail := rest[:end], rest[end+3:]
	if !strings.Contains(enc, "*") {
		return enc
	}
	if j := strings.Index(tail, "!!"); j >= 0 {
		tail = tail[:j]
	}
	rb, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(tail, "="))
	if err != nil {
		return ""
	}
	repl := []rune(string(rb))
	var b strings.Builder
	for k := 0; k < len(enc); k++ {
		if enc[k] != '*' {
			b.WriteByte(enc[k])
			continue
		}
		count := 1
		if k+2 < len(enc) && enc[k+1] == '*' {
			count = strings.IndexByte(v3RunLengths, enc[k+2]) + 2
			if count < 2 {
				return ""
			}
			k += 2
		}
		for ; count > 0; count-- {
			if len(repl) == 0 {
				return ""
			}
			b.WriteRune(repl[0])
			repl = repl[1:]
		}
	}
	return b.String()
}

// v3RunLengths: the letter after "**" is a run of 2, 3, ... replaced characters.
const v3RunLengths = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// clickTrackers are the domains of email services' click trackers: a
// newsletter's or notification's links go through one (SendGrid's
// u123.ct.sendgrid.net, Mailchimp's list-manage.com, SES's awstrack.me)
// and reveal their target only to the service, so the link says nothing
// of where the reader ends up. Hosts under them count too.
var clickTrackers = []string{
	"sendgrid.net", "mailgun.org", "mailgun.net", "mandrillapp.com", "list-manage.com", "mailchi.mp",
	"awstrack.me", "sparkpostmail.com", "spmailtechnol.com", "hubspotlinks.com", "hubspotemail.net",
	"exacttarget.com", "exct.net", "pardot.com", "eloqua.com", "en25.com", "rs6.net",
	"klaviyomail.com", "klclick.com", "klclick1.com", "braze.com", "customeriomail.com", "iterable.com",
	"pstmrk.it", "mjt.lu", "createsend.com", "createsend1.com", "cmail19.com", "cmail20.com",
	"sendibt2.com", "sendibt3.com", "mailjet.com",
	"intercom-clicks.com", "convertkit-mail.com", "sendinblue.com", "brevo.com",
}

// trackerPaths are what the click trackers that email services serve
// from a customer's own domain (a CNAME such as url1234.acme.example,
// click.e.acme.example, go.acme.example) put in a link's path or query:
// SendGrid's /ls/click?upn= and /wf/click?upn=, Mailchimp's
// /track/click?u=, Marketo's mkt_tok= and /dc/, Eloqua's elqTrackId=,
// HubSpot's /Ctc/, Salesforce Marketing Cloud's ?qs= on click. and
// view. hosts, Mailgun's /c/ on email. hosts.
var trackerPaths = []string{"/ls/click?upn=", "/wf/click?upn=", "/track/click?u=", "mkt_tok=", "elqtrackid=", "/ctc/"}

// ClickTrackerLink reports whether u (a normalised link and its host) goes
// through an email service's click tracker: a tracker's domain
// (ClickTracker), or a tracker's path on a customer's own domain
// (trackerPaths).
func ClickTrackerLink(normalized, host string) bool {
	if ClickTracker(host) {
		return true
	}
	l := strings.ToLower(normalized)
	_, rest, ok := strings.Cut(l, "://")
	if !ok {
		return false
	}
	path := ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		path = rest[i:]
	}
	for _, t := range trackerPaths {
		if strings.Contains(path, t) {
			return true
		}
	}
	h := strings.ToLower(host)
	switch {
	case (strings.HasPrefix(h, "click.") || strings.HasPrefix(h, "view.")) && (strings.HasPrefix(path, "/?qs=") || strings.Contains(path, "?qs=")):
		return true
	case strings.HasPrefix(h, "email.") && strings.HasPrefix(path, "/c/"):
		return true
	case strings.HasPrefix(path, "/dc/") && strings.Count(path, "/") >= 3:
		return true // Marketo: /dc/<token>==/<token>
	}
	return false
}

// ClickTracker reports whether host is an email service's click tracker
// (clickTrackers).
func ClickTracker(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, d := range clickTrackers {
		if under(host, d) {
			return true
		}
	}
	return false
}
