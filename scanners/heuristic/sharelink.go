package heuristic

import (
	"net/url"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// Links to click that open a file share or WebDAV folder on the Internet
// (file://host@SSL/DavWWWRoot/Invoice.pdf.lnk, \\host\share\x.url), and
// search links (search: and search-ms: URIs) whose location is one: the
// reader lands in an Explorer window showing the attacker's shortcuts and
// scripts as if they were local files, which carry no Mark-of-the-Web.
// remote-fetch speaks for what loads without a click; this is the click.
// A share at the sender's own domain, a single-label name, a private
// address or an intranet suffix (internetShare) is a colleague's server.

// searchLocation is the folder a search: or search-ms: URI searches (its
// crumb=location: value, percent-decoded), "" when it names none.
func searchLocation(raw string) string {
	_, q, ok := strings.Cut(raw, ":")
	if !ok {
		return ""
	}
	for _, kv := range strings.FieldsFunc(q, func(r rune) bool { return r == '&' || r == '?' }) {
		k, v, _ := strings.Cut(kv, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "crumb") {
			continue
		}
		if d, err := url.PathUnescape(v); err == nil {
			v = d
		}
		if len(v) > 9 && strings.EqualFold(v[:9], "location:") {
			loc, _, _ := strings.Cut(v[9:], ",") // crumb=location:\\host\share,Label
			return loc
		}
	}
	return ""
}

func checkShareLink(e *env, p *message.Part, u urls.URL) string {
	if u.Source == urls.SourceSrc { // loaded, not clicked: remote-fetch's
		return ""
	}
	raw := strings.TrimSpace(u.Raw)
	target, how := raw, "opens a file share"
	switch s := strings.ToLower(u.Scheme); {
	case s == "search" || s == "search-ms":
		target, how = searchLocation(raw), "opens a search window over a file share"
	case !strings.HasPrefix(raw, `\\`) && !hasPrefixFold(raw, "file:"):
		return ""
	}
	host, ok := internetShare(target)
	if !ok || e.sendersOwn(host) {
		return ""
	}
	if strings.Contains(strings.ToLower(target), "@ssl") || strings.Contains(strings.ToLower(target), "davwwwroot") {
		how = strings.Replace(how, "a file share", "a WebDAV folder", 1)
	}
	return show(truncate(raw, 100)) + " " + how + " on " + show(host)
}
