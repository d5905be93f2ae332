package heuristic

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

func TestRecipientInLink(t *testing.T) {
	cases := []struct {
		rcpts    []string // envelope; nil: the To header
		to, link string
		want     bool
	}{
		{nil, "Kenji Tanaka <Kenji@corp.example.jp>", "https://pub-3f1e.r2.dev/o365.html#kenji@corp.example.jp", true},
		{nil, "kenji@corp.example.jp", "https://pub-3f1e.r2.dev/o365.html#e=kenji%40corp.example.jp", true},
		{nil, "kenji@corp.example.jp", "https://ipfs.io/ipfs/bafy/x.html#a2VuamlAY29ycC5leGFtcGxlLmpw", true},
		{nil, "Kenji@Corp.example.jp", "https://evil.example.net/#S2VuamlAQ29ycC5leGFtcGxlLmpw", true}, // base64 of the address as written
		{[]string{"<aiko@corp.example.jp>"}, "kenji@corp.example.jp", "https://evil.example.net/#aiko@corp.example.jp", true},
		{[]string{"aiko@corp.example.jp"}, "kenji@corp.example.jp", "https://evil.example.net/#kenji@corp.example.jp", false}, // the envelope wins
		{nil, "kenji@corp.example.jp", "https://news.example-esp.com/unsubscribe?email=kenji@corp.example.jp", false},
		{nil, "kenji@corp.example.jp", "https://www.shop.example.com/account#kenji@corp.example.jp", false}, // the sender's own site
		{nil, "undisclosed-recipients:;", "https://evil.example.net/#kenji@corp.example.jp", false},
		{nil, "kenji@corp.example.jp", "https://evil.example.net/#section-2", false},
	}
	for _, c := range cases {
		m := &message.Message{From: "Shop <news@shop.example.com>", To: c.to, Envelope: message.Envelope{Recipients: c.rcpts}}
		e := newEnv(t.Context(), m, Options{})
		p := &message.Part{Path: "1"}
		us := urls.Extract(&message.Part{Path: "1", DeclaredType: "text/plain", DetectedType: "text/plain", Content: []byte(c.link + "\n")})
		if len(us) != 1 {
			t.Fatalf("%s: extracted %v", c.link, us)
		}
		if got := checkRecipientInLink(e, p, us[0]) != ""; got != c.want {
			t.Errorf("rcpts %v, To %q, %s: %v, want %v", c.rcpts, c.to, c.link, got, c.want)
		}
	}
}

// recipientInLinkRef is recipient-in-link as it was before the recipients'
// forms were worked out once per message: every form computed for every link.
func recipientInLinkRef(e *env, u urls.URL) string {
	i := strings.IndexByte(u.Raw, '#')
	if u.Host == "" || i < 0 || len(u.Raw)-i < 7 {
		return ""
	}
	if reg := registrable(u.Host); reg != "" && reg == e.sender {
		return ""
	}
	var rcpts []string
	src := e.m.Envelope.Recipients
	if len(src) == 0 {
		src = headerAddrs(e.m.To)
	}
	for _, a := range src {
		a = strings.Trim(strings.TrimSpace(a), "<>")
		if len(a) < 6 || strings.Count(a, "@") != 1 || len(rcpts) >= 2*maxRecipients {
			continue
		}
		rcpts = append(rcpts, a)
		if l := strings.ToLower(a); l != a {
			rcpts = append(rcpts, l)
		}
	}
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
			if strings.Contains(frag, enc.EncodeToString([]byte(a))) {
				return show(truncate(u.Raw, 100)) + " carries the recipient's address after #, in base64"
			}
		}
	}
	return ""
}

// recipientLinks are links with and without recipients' addresses in every
// form, for the comparison and the benchmark.
func recipientLinks(addrs []string) string {
	var b strings.Builder
	for i, a := range addrs {
		for j, frag := range []string{a, strings.ToUpper(a), url.QueryEscape(a), strings.ReplaceAll(a, "@", "%40"),
			base64.StdEncoding.EncodeToString([]byte(a)), base64.RawURLEncoding.EncodeToString([]byte("x" + a)),
			base64.RawURLEncoding.EncodeToString([]byte(a)), base64.RawStdEncoding.EncodeToString([]byte(strings.ToLower(a))),
			"section-" + strconv.Itoa(i), "e=" + a[1:], "%zz" + a} {
			fmt.Fprintf(&b, "https://pub-%d.r2.dev/p%d.html#%s\n", i, j, frag)
			fmt.Fprintf(&b, "https://news.shop.example.com/u?e=%s#top\n", url.QueryEscape(a))
		}
	}
	return b.String()
}

func TestRecipientInLinkSameAsBefore(t *testing.T) {
	addrs := []string{"Kenji@Corp.example.jp", "aiko@corp.example.jp", "kenji?@corp.example.jp", "~~~@corp.example.jp", "x+tag@sub.example.org", "ÜSER@例え.jp", "b@c.de"}
	for _, env := range [][]string{nil, addrs[:2], addrs} {
		m := &message.Message{From: "Shop <news@shop.example.com>", To: strings.Join(addrs, ", "), Envelope: message.Envelope{Recipients: env}}
		text := recipientLinks(append(addrs, "other@corp.example.jp"))
		us := urls.Extract(&message.Part{Path: "1", DeclaredType: "text/plain", DetectedType: "text/plain", Content: []byte(text)})
		if len(us) < 60 {
			t.Fatalf("extracted %d links", len(us))
		}
		e := newEnv(t.Context(), m, Options{})
		found := 0
		for _, u := range us {
			got, want := checkRecipientInLink(e, nil, u), recipientInLinkRef(e, u)
			if got != want {
				t.Errorf("envelope %v, %s: %q, before %q", env, u.Raw, got, want)
			}
			if got != "" {
				found++
			}
		}
		if found < 10 || found == len(us) {
			t.Errorf("envelope %v: %d of %d links found, want some and not all", env, found, len(us))
		}
	}
}

// BenchmarkRecipientInLink: recipient-in-link over 300 links of a message
// to 10 recipients.
func BenchmarkRecipientInLink(b *testing.B) {
	var addrs []string
	for i := range 10 {
		addrs = append(addrs, fmt.Sprintf("User%d@corp%d.example.jp", i, i))
	}
	m := &message.Message{From: "Shop <news@shop.example.com>", To: strings.Join(addrs, ", ")}
	us := urls.Extract(&message.Part{Path: "1", DeclaredType: "text/plain", DetectedType: "text/plain", Content: []byte(recipientLinks(addrs[:7]))})
	b.ReportAllocs()
	for b.Loop() {
		e := newEnv(b.Context(), m, Options{})
		for _, u := range us {
			checkRecipientInLink(e, nil, u)
		}
	}
}
