package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func TestHealthURL(t *testing.T) {
	tests := []struct {
		listen, want string
		err          bool
	}{
		{"127.0.0.1:8899", "http://127.0.0.1:8899/healthz", false},
		{"0.0.0.0:8899", "http://127.0.0.1:8899/healthz", false},
		{":8899", "http://127.0.0.1:8899/healthz", false},
		{"[::]:8899", "http://[::1]:8899/healthz", false},
		{"[2001:db8::5]:80", "http://[2001:db8::5]:80/healthz", false},
		{"kensa.example:9000", "http://kensa.example:9000/healthz", false},
		{"", "", true},
		{"8899", "", true},
	}
	for _, tt := range tests {
		got, err := healthURL(tt.listen, "/healthz")
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("healthURL(%q) = %q, %v; want %q, error %v", tt.listen, got, err, tt.want, tt.err)
		}
	}
}

func TestHealthCommand(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			w.Write([]byte("ok\n"))
		case "/readyz":
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("rules: ok\nmilter: not listening\x1b[31m\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := writeFile(t, t.TempDir(), "kensa.yaml", []byte("http:\n  listen: "+strings.TrimPrefix(srv.URL, "http://")+"\n"))

	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"healthy", []string{"--config", cfg}, exitOK, "/healthz: 200 ok", ""},
		{"not ready", []string{"--config", cfg, "--ready"}, exitFlagged, "/readyz: 503 rules: ok; milter: not listening[31m", ""},
		{"url", []string{"--url", srv.URL + "/nope"}, exitFlagged, "/nope: 404", ""},
		{"down", []string{"--url", "http://127.0.0.1:1/healthz"}, exitFlagged, "", "connection refused"},
		{"listener off", []string{"--config", writeFile(t, t.TempDir(), "off.yaml", []byte("http:\n  listen: \"\"\n"))}, exitError, "", "http.listen is empty"},
		{"bad config", []string{"--config", filepath.Join(t.TempDir(), "missing.yaml")}, exitError, "", "missing.yaml"},
		{"stray argument", []string{"now"}, exitError, "", "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(t, "", append([]string{"health"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Errorf("code %d, stdout %q, stderr %q; want code %d, stdout with %q, stderr with %q", code, out, errs, tt.code, tt.out, tt.err)
			}
			if strings.ContainsRune(out, 0x1b) {
				t.Errorf("control character reached the output: %q", out)
			}
		})
	}
}

// KENSA_CONFIG is the config of every command given none: the container
// image sets it so that "docker exec … kensa quarantine …" and the
// HEALTHCHECK read the served config.
func TestConfigFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "kensa.yaml", []byte("http:\n  listen: \"\"\n"))
	t.Setenv(configEnv, cfg)
	if code, out, errs := runCmd(t, "", "config", "check"); code != exitOK || !strings.Contains(out, cfg+": ok") {
		t.Errorf("config check with KENSA_CONFIG: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCmd(t, "", "health"); code != exitError || !strings.Contains(errs, "http.listen is empty") {
		t.Errorf("health did not read KENSA_CONFIG: %d %q", code, errs)
	}
	// --config still wins.
	other := writeFile(t, dir, "other.yaml", []byte("http:\n  listen: 127.0.0.1:1\n"))
	if code, _, errs := runCmd(t, "", "health", "--config", other); code != exitFlagged || !strings.Contains(errs, "127.0.0.1:1") {
		t.Errorf("health --config: %d %q", code, errs)
	}
	t.Setenv(configEnv, filepath.Join(dir, "missing.yaml"))
	if code, _, errs := runCmd(t, "", "config", "check"); code != exitError || !strings.Contains(errs, "missing.yaml") {
		t.Errorf("a missing KENSA_CONFIG file must be an error: %d %q", code, errs)
	}
}
