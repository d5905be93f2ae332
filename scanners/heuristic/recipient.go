package heuristic

import (
	"encoding/base64"
	"net/mail"
	"net/url"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// maxRecipients bounds the addresses looked for in each link.
const maxRecipients = 20

// rcptForm is one recipient's address in the forms a link may carry it:
// lower-cased (for a link lower-cased and percent-decoded) and in unpadded
// base64, standard and URL-safe, as written (the padding depends on what
// follows the address). Worked out once per message, not for every link.
type rcptForm struct{ lower, std, url string }

// recipientAddrs are the message's recipients: the envelope's, or, where
// there is none (kensa scan), the addresses of the To and Cc headers; each
// as written and lower-cased, in the forms a link may carry them.
func (e *env) recipientAddrs() []rcptForm {
	if e.rcptDone {
		return e.rcpts
	}
	e.rcptDone = true
	src := e.m.Envelope.Recipients
	if len(src) == 0 {
		src = headerAddrs(e.m.To)
	}
	add := func(a string) {
		e.rcpts = append(e.rcpts, rcptForm{strings.ToLower(a),
			base64.RawStdEncoding.EncodeToString([]byte(a)), base64.RawURLEncoding.EncodeToString([]byte(a))})
	}
	for _, a := range src {
		a = strings.Trim(strings.TrimSpace(a), "<>")
		if len(a) < 6 || strings.Count(a, "@") != 1 || len(e.rcpts) >= 2*maxRecipients {
			continue
		}
		add(a)
		if l := strings.ToLower(a); l != a {
			add(l)
		}
	}
	return e.rcpts
}

// recipientIn reports whether s carries a recipient's address: as written
// (any case, percent-decoded; how is "") or in base64 (how says so).
func (e *env) recipientIn(s string) (how string, ok bool) {
	rcpts := e.recipientAddrs()
	if len(rcpts) == 0 {
		return "", false
	}
	plain := strings.ToLower(s)
	if d, err := url.PathUnescape(plain); err == nil {
		plain = d
	}
	for _, a := range rcpts {
		if strings.Contains(plain, a.lower) {
			return "", true
		}
		if strings.Contains(s, a.std) || strings.Contains(s, a.url) {
			return ", in base64", true
		}
	}
	return "", false
}

// headerAddrs are the addresses of a To or Cc header's value; a value
// net/mail refuses is read word by word.
func headerAddrs(h string) []string {
	var out []string
	if list, err := mail.ParseAddressList(h); err == nil {
		for _, a := range list {
			out = append(out, a.Address)
		}
		return out
	}
	for _, w := range strings.FieldsFunc(h, func(r rune) bool { return strings.ContainsRune(" \t,;<>\"'", r) }) {
		if strings.Contains(w, "@") {
			out = append(out, w)
		}
	}
	return out
}

// checkRecipientInLink: the recipient's own address after a link's #, as
// written, percent-encoded or in base64, on a host outside the sender's
// registrable domain.
func checkRecipientInLink(e *env, _ *message.Part, u urls.URL) string {
	i := strings.IndexByte(u.Raw, '#')
	if u.Host == "" || i < 0 || len(u.Raw)-i < 7 {
		return ""
	}
	if reg := registrable(u.Host); reg != "" && reg == e.sender {
		return ""
	}
	if how, ok := e.recipientIn(u.Raw[i+1:]); ok {
		return show(truncate(u.Raw, 100)) + " carries the recipient's address after #" + how
	}
	return ""
}
