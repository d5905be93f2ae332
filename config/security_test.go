package config

import (
	"net/netip"
	"strings"
	"testing"
)

// problems parses yaml over the defaults and returns Validate's message.
func problems(t *testing.T, yaml string) string {
	t.Helper()
	c, err := Parse([]byte(yaml))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if err := c.Validate(); err != nil {
		return err.Error()
	}
	return ""
}

func TestTrustedProxies(t *testing.T) {
	c, err := Parse([]byte("http:\n  trusted_proxies: [10.0.0.0/8, \"::1\"]\n"))
	if err != nil || c.Validate() != nil {
		t.Fatalf("%v %v", err, c.Validate())
	}
	if got := c.HTTP.ParsedTrustedProxies(); len(got) != 2 || got[1] != netip.MustParsePrefix("::1/128") {
		t.Errorf("parsed %v", got)
	}
	if p := problems(t, "http:\n  trusted_proxies: [proxy.example]\n"); !strings.Contains(p, "line 2: http.trusted_proxies[0]") {
		t.Errorf("bad proxy: %q", p)
	}
}

// Finding 9 of issue 16: the digest went to every recipient by default, so
// external recipients of quarantined outbound mail got console links. With
// the digest enabled the domains are required, and config check says so.
func TestDigestNeedsDomains(t *testing.T) {
	base := "quarantine:\n  relay:\n    address: 127.0.0.1:10026\nconsole:\n  public_url: https://mx.example.org\n  digest:\n    enabled: true\n"
	if p := problems(t, base); !strings.Contains(p, "console.digest.domains: the digest needs the domains Kensa receives mail for") {
		t.Errorf("digest without domains: %q", p)
	}
	if p := problems(t, base+"    domains: [example.org, \"@example.net\"]\n"); p != "" {
		t.Errorf("digest with domains: %q", p)
	}
	if p := problems(t, base+"    domains: [\"bob@example.org\"]\n"); !strings.Contains(p, "console.digest.domains[0]") {
		t.Errorf("an address as a domain: %q", p)
	}
}
