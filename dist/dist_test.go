// Package dist holds the files that install Kensa as a service: the systemd
// unit, its sysusers file, a drop-in for a chrooted Postfix and the default
// /etc/kensa/kensa.yaml. These tests check them with systemd's own tools and
// run `make install` into a staging directory.
package dist

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/milter"
)

// unit reads a systemd unit file into section → key → values (a key may
// repeat, as SystemCallFilter does).
func unit(t *testing.T, path string) map[string]map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[' && line[len(line)-1] == ']':
			section = line[1 : len(line)-1]
			out[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: not a key=value line in a section: %q", path, n, line)
			}
			out[section][k] = append(out[section][k], v)
		}
	}
	return out
}

// TestUnitHardening checks the keys the service relies on, so that an edit
// that drops one fails here and not on somebody's mail server.
func TestUnitHardening(t *testing.T) {
	u := unit(t, "systemd/kensa.service")
	want := map[string][]string{
		"User":                    {"kensa"},
		"Group":                   {"kensa"},
		"ExecStart":               {"/usr/local/bin/kensa serve --config /etc/kensa/kensa.yaml"},
		"ExecReload":              {"/bin/kill -HUP $MAINPID"},
		"NoNewPrivileges":         {"yes"},
		"CapabilityBoundingSet":   {""},
		"AmbientCapabilities":     {""},
		"ProtectSystem":           {"strict"},
		"ProtectHome":             {"yes"},
		"PrivateTmp":              {"yes"},
		"PrivateDevices":          {"yes"},
		"RestrictAddressFamilies": {"AF_UNIX AF_INET AF_INET6"},
		"SystemCallFilter":        {"@system-service", "~@privileged"},
		"SystemCallErrorNumber":   {"EPERM"},
		"RuntimeDirectory":        {"kensa"},
		"RuntimeDirectoryMode":    {"0750"},
		"StateDirectory":          {"kensa"},
		"StateDirectoryMode":      {"0700"},
		"MemoryDenyWriteExecute":  {"yes"},
		"RestrictSUIDSGID":        {"yes"},
	}
	for k, v := range want {
		if got := u["Service"][k]; !slices.Equal(got, v) {
			t.Errorf("[Service] %s = %q, want %q", k, got, v)
		}
	}
	// Logs go to the journal: nothing may send stderr elsewhere.
	for _, k := range []string{"StandardError", "StandardOutput"} {
		if v, ok := u["Service"][k]; ok {
			t.Errorf("[Service] %s = %q: logs must go to the journal", k, v)
		}
	}
	// The drain on SIGTERM (limits.shutdown_timeout, 30s by default) must
	// fit in the stop timeout, or systemd kills messages in flight.
	def, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := u["Service"]["TimeoutStopSec"]; len(got) != 1 || got[0] != "45s" || def.Limits.ShutdownTimeout.D().Seconds() >= 45 {
		t.Errorf("TimeoutStopSec %q with shutdown_timeout %s", got, def.Limits.ShutdownTimeout.D())
	}
	if got := u["Install"]["WantedBy"]; !slices.Equal(got, []string{"multi-user.target"}) {
		t.Errorf("[Install] WantedBy = %q", got)
	}
}

// TestUnitVerifies runs systemd-analyze verify on the unit with the chroot
// drop-in beside it: any unknown key or bad value is printed, and fails.
func TestUnitVerifies(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatalf("systemd-analyze is needed (Debian package systemd, in scripts/deps.sh test): %v", err)
	}
	self, err := os.Executable() // any executable will do for ExecStart
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text, err := os.ReadFile("systemd/kensa.service")
	if err != nil {
		t.Fatal(err)
	}
	unitPath := filepath.Join(dir, "kensa.service")
	write(t, unitPath, strings.ReplaceAll(string(text), "/usr/local/bin/kensa", self))
	dropIn, err := os.ReadFile("systemd/postfix-chroot.conf")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "kensa.service.d", "postfix-chroot.conf"), string(dropIn))
	out, err := exec.Command(sa, "verify", unitPath).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	// A misspelt key is reported: the check above can fail.
	write(t, filepath.Join(dir, "kensa.service.d", "typo.conf"), "[Service]\nProtectSystm=strict\n")
	if out, _ := exec.Command(sa, "verify", unitPath).CombinedOutput(); !strings.Contains(string(out), "ProtectSystm") {
		t.Errorf("systemd-analyze verify did not report a misspelt key: %s", out)
	}
	// The exposure score, for the log (systemd's own rating of the sandbox).
	if out, err := exec.Command(sa, "security", "--offline=true", unitPath).CombinedOutput(); err == nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		t.Log(lines[len(lines)-1])
	}
}

// TestSysusers creates the user and group in a scratch root with
// systemd-sysusers.
func TestSysusers(t *testing.T) {
	su, err := exec.LookPath("systemd-sysusers")
	if err != nil {
		t.Fatalf("systemd-sysusers is needed (Debian package systemd, in scripts/deps.sh test): %v", err)
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf, _ := filepath.Abs("systemd/kensa.sysusers")
	if out, err := exec.Command(su, "--root="+root, conf).CombinedOutput(); err != nil {
		t.Fatalf("systemd-sysusers: %v\n%s", err, out)
	}
	passwd, _ := os.ReadFile(filepath.Join(root, "etc/passwd"))
	group, _ := os.ReadFile(filepath.Join(root, "etc/group"))
	var user []string
	for _, l := range strings.Split(string(passwd), "\n") {
		if strings.HasPrefix(l, "kensa:") {
			user = strings.Split(l, ":")
		}
	}
	if len(user) != 7 || user[5] != "/var/lib/kensa" || user[6] != "/usr/sbin/nologin" {
		t.Errorf("passwd entry %q", user)
	}
	if !strings.Contains(string(group), "\nkensa:") && !strings.HasPrefix(string(group), "kensa:") {
		t.Errorf("no kensa group in %q", group)
	}
}

// distConfig is config/kensa.yaml with the service's unix socket, as
// scripts/sync-docs.py writes it.
func distConfig(t *testing.T) string {
	t.Helper()
	const from = "listen: inet:127.0.0.1:8898\n"
	const to = `# As a service (dist/systemd/kensa.service): a unix socket in /run/kensa, which
# the unit creates (group kensa may enter). Postfix connects once its user is in
# group kensa (usermod -aG kensa postfix). Postfix with a chrooted smtpd (Debian's
# default) cannot reach /run: use inet:127.0.0.1:8898, or the socket in Postfix's
# queue directory (docs/operations.md, "Install as a service").
listen: unix:/run/kensa/kensa.sock
`
	def := string(config.Default)
	if strings.Count(def, from) != 1 {
		t.Fatalf("config/kensa.yaml has no line %q to replace", from)
	}
	return strings.Replace(def, from, to, 1)
}

// TestDistConfig: dist/kensa.yaml is the embedded default with the socket
// of the service, and it passes the same checks `kensa config check` runs.
func TestDistConfig(t *testing.T) {
	want := distConfig(t)
	got, err := os.ReadFile("kensa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("dist/kensa.yaml is not config/kensa.yaml with the service socket: run scripts/sync-docs.py")
	}
	c, err := config.Load("kensa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if network, addr, err := milter.ParseListen(c.Listen); err != nil || network != "unix" || addr != "/run/kensa/kensa.sock" {
		t.Errorf("listen %q → %s %s %v", c.Listen, network, addr, err)
	}
	if c.StateDir != "/var/lib/kensa" || c.HTTP.Listen != "127.0.0.1:8899" {
		t.Errorf("state_dir %q (the unit's StateDirectory is /var/lib/kensa), http.listen %q", c.StateDir, c.HTTP.Listen)
	}
}

// TestMakeInstall stages `make install` under DESTDIR: every file in its
// place with its mode, the unit pointing at the installed binary, and a
// second install keeping the admin's config.
func TestMakeInstall(t *testing.T) {
	dest := t.TempDir()
	bin := filepath.Join(t.TempDir(), "kensa")
	install := func() string {
		cmd := exec.Command("make", "--no-print-directory", "-C", "..", "install",
			"DESTDIR="+dest, "PREFIX=/opt/kensa", "BIN="+bin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make install: %v\n%s", err, out)
		}
		return string(out)
	}
	install()
	files := []struct {
		path string
		mode os.FileMode
	}{
		{"opt/kensa/bin/kensa", 0o755},
		{"etc/systemd/system/kensa.service", 0o644},
		{"etc/sysusers.d/kensa.conf", 0o644},
		{"etc/kensa/kensa.yaml", 0o640},
		{"opt/kensa/share/doc/kensa/postfix-chroot.conf", 0o644},
		{"opt/kensa/share/doc/kensa/README.md", 0o644},
		{"opt/kensa/share/doc/kensa/docs/postfix.md", 0o644},
		{"opt/kensa/share/doc/kensa/docs/operations.md", 0o644},
	}
	for _, f := range files {
		fi, err := os.Stat(filepath.Join(dest, f.path))
		if err != nil {
			t.Errorf("%s: %v", f.path, err)
			continue
		}
		if fi.Mode().Perm() != f.mode {
			t.Errorf("%s: mode %o, want %o", f.path, fi.Mode().Perm(), f.mode)
		}
	}
	u := unit(t, filepath.Join(dest, "etc/systemd/system/kensa.service"))
	if got := u["Service"]["ExecStart"]; !slices.Equal(got, []string{"/opt/kensa/bin/kensa serve --config /etc/kensa/kensa.yaml"}) {
		t.Errorf("installed ExecStart %q", got)
	}
	out, err := exec.Command(filepath.Join(dest, "opt/kensa/bin/kensa"), "config", "check", filepath.Join(dest, "etc/kensa/kensa.yaml")).CombinedOutput()
	if err != nil {
		t.Errorf("installed kensa config check of the installed config: %v\n%s", err, out)
	}

	cfg := filepath.Join(dest, "etc/kensa/kensa.yaml")
	write(t, cfg, "listen: inet:127.0.0.1:8898\n")
	if out := install(); !strings.Contains(out, "keeping") {
		t.Errorf("second install did not say it keeps the config:\n%s", out)
	}
	if b, _ := os.ReadFile(cfg); string(b) != "listen: inet:127.0.0.1:8898\n" {
		t.Errorf("second install replaced the admin's config: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dest, "opt/kensa/share/doc/kensa/kensa.yaml")); err != nil {
		t.Errorf("the new default config is not beside the docs: %v", err)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
