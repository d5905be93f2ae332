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

// recipientAddrs are the message's recipients: the envelope's, or, where
// there is none (kensa scan), the addresses of the To and Cc headers; each
// as written and lower-cased.
func (e *env) recipientAddrs() []string {
	if e.rcptDone {
		return e.rcpts
	}
	e.rcptDone = true
	src := e.m.Envelope.Recipients
	if len(src) == 0 {
		src = headerAddrs(e.m.To)
	}
	for _, a := range src {
		a = strings.Trim(strings.TrimSpace(a), "<>")
		if len(a) < 6 || strings.Count(a, "@") != 1 || len(e.rcpts) >= 2*maxRecipients {
			continue
		}
		e.rcpts = append(e.rcpts, a)
		if l := strings.ToLower(a); l != a {
			e.rcpts = append(e.rcpts, l)
		}
	}
	return e.rcpts
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
	rcpts := e.recipientAddrs()
	if len(rcpts) == 0 {
		return ""
	}
	frag := u.Raw[i+1:]
	plain := strings.ToLower(frag)
	if s, err := url.PathUnescape(plain); err == nil {
		plain = s
	}
	for _, a := range rcpts {
		if strings.Contains(plain, strings.ToLower(a)) {
			return show(truncate(u.Raw, 100)) + " carries the recipient's address after #"
		}
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			// Unpadded: the padding depends on what follows the address.
			if strings.Contains(frag, enc.EncodeToString([]byte(a))) {
				return show(truncate(u.Raw, 100)) + " carries the recipient's address after #, in base64"
			}
		}
	}
	return ""
}
