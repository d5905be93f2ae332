package config

import (
	"strings"
	"testing"
)

func TestHTTPSection(t *testing.T) {
	c, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Listen != "127.0.0.1:8899" {
		t.Errorf("default http.listen %q, want 127.0.0.1:8899", c.HTTP.Listen)
	}
	for _, ok := range []string{`http: {listen: ""}`, `http: {listen: "[::1]:9100"}`, `http: {listen: ":8899"}`, `http: {listen: "localhost:0"}`} {
		c, err := Parse([]byte(ok))
		if err == nil {
			err = c.Validate()
		}
		if err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{`http: {listen: "8899"}`, `http: {listen: "127.0.0.1:http"}`, `http: {listen: "127.0.0.1:99999"}`, "http:\n  listen: \"a b:1\""} {
		c, err := Parse([]byte(bad))
		if err == nil {
			err = c.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), "http.listen") {
			t.Errorf("%s: error %v, want one naming http.listen", bad, err)
		}
	}
	if _, err := Parse([]byte("http: {port: 80}")); err == nil {
		t.Error("unknown key in http accepted")
	}
}
