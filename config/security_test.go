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
