package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/console"
)

// TestEveryConfigKeyReloadsOrSaysSo: a new config key must be put in
// reloadKeys or restartKeys, so that a reload never ignores it silently.
func TestEveryConfigKeyReloadsOrSaysSo(t *testing.T) {
	c, err := config.Parse([]byte("heuristics:\n  checks:\n    double-extension: {score: 5}\nquarantine:\n  modes: {score: header}\nconsole:\n  admins: [{name: a, password_hash: x}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	keys := flatten(c)
	if len(keys) < 50 {
		t.Fatalf("only %d keys: flatten is broken", len(keys))
	}
	for k := range keys {
		if keyClass(k) == "" {
			t.Errorf("config key %s is in neither reloadKeys nor restartKeys (cmd/kensa/reload.go)", k)
		}
	}
	for _, p := range reloadKeys {
		if slices.Contains(restartKeys, p) {
			t.Errorf("%s is in both lists", p)
		}
	}
}

func TestReloadChanges(t *testing.T) {
	parse := func(s string) *config.Config {
		t.Helper()
		c, err := config.Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	started := parse("")
	old := parse("policy: {tag_score: 25}\nquarantine: {dsn: 'sqlite:///tmp/a.db'}\n")
	now := parse("policy: {tag_score: 30}\nquarantine: {dsn: 'sqlite:///tmp/a.db', relay: {address: '127.0.0.1:2525'}}\nconsole: {admins: [{name: a, password_hash: x}]}\n")
	applied, restart := reloadChanges(old, now, started, true)
	if !slices.Equal(applied, []string{"console.admins", "policy.tag_score"}) {
		t.Errorf("applied %q", applied)
	}
	// Against what serve started with: the DSN changed at the last reload
	// and still needs the restart.
	if !slices.Equal(restart, []string{"quarantine.dsn", "quarantine.relay.address"}) {
		t.Errorf("restart %q", restart)
	}
	if _, restart := reloadChanges(old, now, started, false); !slices.Contains(restart, "console.admins") {
		t.Errorf("without a console, new admins need a restart: %q", restart)
	}
}

// TestReloadAppliesAdminsAndNamesRestartKeys: a real `kensa serve` with the
// console on, reloaded by a real SIGHUP with a config that adds an admin
// and changes the quarantine DSN and relay. The new admin can log in at
// once; the log names the keys that need a restart; the store in use is
// still the old one.
func TestReloadAppliesAdminsAndNamesRestartKeys(t *testing.T) {
	bin := buildKensa(t)
	dir := t.TempDir()
	hash := func(pw string) string {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		return string(h)
	}
	cfgText := func(admins, dsn string) string {
		return fmt.Sprintf("state_dir: %q\nlisten: inet:127.0.0.1:0\nhttp:\n  listen: 127.0.0.1:0\nlog:\n  format: json\n"+
			"quarantine:\n  dsn: %q\nconsole:\n  enabled: true\n  admins:\n%s", filepath.Join(dir, "state"), dsn, admins)
	}
	alice := fmt.Sprintf("    - {name: alice, password_hash: %q}\n", hash("alice-pw"))
	bob := fmt.Sprintf("    - {name: bob, password_hash: %q}\n", hash("bob-pw"))
	firstDSN := "sqlite://" + filepath.Join(dir, "first.db")
	cfgPath := writeFile(t, dir, "kensa.yaml", []byte(cfgText(alice, firstDSN)))

	cmd, log, _ := startServe(t, bin, cfgPath)
	httpAddr := log.find(msgIs("web: listening"))[0]["addr"].(string)
	// login logs in as a browser does: the login page's token in the form
	// and in its cookie.
	login := func(name, pw string) int {
		resp, err := http.Get("http://" + httpAddr + console.Prefix + "login")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := regexp.MustCompile(`name="login_csrf" value="([^"]+)"`).FindSubmatch(page)
		if m == nil {
			t.Fatalf("no login token in the login page:\n%s", page)
		}
		req, _ := http.NewRequest("POST", "http://"+httpAddr+console.Prefix+"login",
			strings.NewReader(url.Values{"name": {name}, "password": {pw}, "login_csrf": {string(m[1])}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, ck := range resp.Cookies() {
			req.AddCookie(ck)
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err = client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := login("alice", "alice-pw"); got != http.StatusSeeOther {
		t.Fatalf("alice before the reload: %d, want 303", got)
	}
	if got := login("bob", "bob-pw"); got != http.StatusUnauthorized {
		t.Fatalf("bob before the reload: %d, want 401", got)
	}

	writeFile(t, dir, "kensa.yaml", []byte(cfgText(alice+bob, "sqlite://"+filepath.Join(dir, "second.db"))))
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	done := log.waitFor(t, "the reload", 1, isReload)[0]
	if done["msg"] != "reloaded config and rules" {
		t.Fatalf("reload: %v", done)
	}
	if applied := fmt.Sprint(done["applied"]); !strings.Contains(applied, "console.admins") {
		t.Errorf("applied %s, want console.admins among them", applied)
	}
	warn := log.waitFor(t, "the restart warning", 1, func(e map[string]any) bool {
		m, _ := e["msg"].(string)
		return strings.HasPrefix(m, "reload: these settings need a restart")
	})[0]
	if keys := fmt.Sprint(warn["keys"]); keys != "[quarantine.dsn]" {
		t.Errorf("restart keys %s, want [quarantine.dsn]", keys)
	}
	if got := login("bob", "bob-pw"); got != http.StatusSeeOther {
		t.Errorf("bob after the reload: %d, want 303 (admins applied)", got)
	}
	if got := login("alice", "alice-pw"); got != http.StatusSeeOther {
		t.Errorf("alice after the reload: %d, want 303", got)
	}
	// The store serve opened is still the one in use; the new one was not made.
	if _, err := os.Stat(filepath.Join(dir, "second.db")); !os.IsNotExist(err) {
		t.Errorf("second.db: %v; a reload must not open a new store", err)
	}
}

// TestDocsSayWhatReloads: docs/operations.md's table names the same keys as
// reloadKeys and restartKeys, each in its own row.
func TestDocsSayWhatReloads(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{"| applied |": reloadKeys, "| need a restart |": restartKeys}
	for prefix, keys := range rows {
		var row string
		for _, line := range strings.Split(string(doc), "\n") {
			if strings.HasPrefix(line, prefix) {
				row = line
			}
		}
		var want []string
		for _, k := range keys {
			want = append(want, "`"+k+"`")
		}
		if got := strings.TrimSuffix(strings.TrimPrefix(row, prefix+" "), " |"); got != strings.Join(want, ", ") {
			t.Errorf("docs/operations.md row %q:\n got %s\nwant %s", prefix, got, strings.Join(want, ", "))
		}
	}
}
