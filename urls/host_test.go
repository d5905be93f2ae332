package urls

import "testing"

// TestParseHostTricks: the hosts attackers write so that a gateway reads one
// thing and the browser visits another. Each wants the host the browser visits.
func TestParseHostTricks(t *testing.T) {
	cases := []struct{ raw, host, user string }{
		{"http://%31%39%38.%35%31.%31%30%30.%37/login", "198.51.100.7", ""},
		{"http://3325256711/", "198.51.100.7", ""},
		{"http://0xc6.0x33.0x64.0x07/", "198.51.100.7", ""},
		{"http://0306.063.0144.07/", "198.51.100.7", ""},
		{"http://198.51.25607/", "198.51.100.7", ""},
		{"http://0xC6336407/", "198.51.100.7", ""},
		{"http://198.51.100.7./", "198.51.100.7", ""},
		{"https:\\\\evil.example\\login", "evil.example", ""},
		{"https:/\\evil.example/", "evil.example", ""},
		{"https:evil.example/", "evil.example", ""},
		{"ht\ttps://ev\nil.exa\rmple/", "evil.example", ""},
		{"https://www.paypal.com@evil.example/", "evil.example", "www.paypal.com"},
		{"https://a@b@evil.example/", "evil.example", "a@b"},
		{"https://paypal.com:x@evil.example:8443/", "evil.example", "paypal.com:x"},
		{"https://EVIL.example./", "evil.example", ""},
		{"https://ｅｖｉｌ．ｅｘａｍｐｌｅ/", "evil.example", ""}, // full-width letters and dot
		{"https://evil%2Eexample/", "evil.example", ""},
		{"https://bücher.example/", "xn--bcher-kva.example", ""},
		{"https://paypa%E1%B8%B7.com/", "xn--paypa-hj1b.com", ""}, // ḷ percent-encoded
		{"https://exa%00mple.com/", "", ""},
		{"https://256.256.256.256/", "", ""},
		{"https://1.2.3.4.5/", "", ""}, // five parts ending in a number: refused
		{"https://[::1]:443/", "::1", ""},
		{"https://example.com:99999/", "", ""},
	}
	for _, c := range cases {
		u := Parse(c.raw)
		if u.Host != c.host || u.UserInfo() != c.user {
			t.Errorf("Parse(%q): host %q user %q, want %q %q", c.raw, u.Host, u.UserInfo(), c.host, c.user)
		}
	}
}
