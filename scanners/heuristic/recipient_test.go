package heuristic

import (
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
