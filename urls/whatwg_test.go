package urls

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// whatwgCase is one entry of testdata/whatwg/urltestdata-hosts.json: the
// absolute http(s)/ftp/ws(s) entries of the WHATWG URL test data (see the
// README beside it), with the host a browser reads or failure.
type whatwgCase struct {
	Input    string `json:"input"`
	Failure  bool   `json:"failure"`
	Hostname string `json:"hostname"`
	Href     string `json:"href"`
}

// TestWHATWGHosts checks Parse against what browsers agree on: every URL a
// browser opens gets the browser's host, every URL a browser refuses gets no
// host (so no check is fooled into passing a host the browser never visits).
func TestWHATWGHosts(t *testing.T) {
	b, err := os.ReadFile("testdata/whatwg/urltestdata-hosts.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []whatwgCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 300 {
		t.Fatalf("only %d cases read", len(cases))
	}
	bad := 0
	for _, c := range cases {
		u := Parse(c.Input)
		want := strings.TrimPrefix(strings.TrimSuffix(c.Hostname, "]"), "[")
		if w := strings.TrimSuffix(want, "."); w != "" { // one root dot is dropped, as ParseHost does
			want = w
		}
		if c.Failure {
			want = ""
		}
		got := u.Host
		if strings.Contains(want, ":") { // IPv6: compare as addresses, not spellings
			got, want = Parse("http://["+got+"]/").Host, Parse("http://["+want+"]/").Host
		}
		if got != want {
			bad++
			t.Errorf("Parse(%q).Host = %q, want %q (href %q)", c.Input, u.Host, want, c.Href)
		}
	}
	t.Logf("%d cases, %d wrong", len(cases), bad)
}
