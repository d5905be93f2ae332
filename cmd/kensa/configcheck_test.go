package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// problemBlock is how kensa prints a list of config problems after its
// "config FILE:" prefix.
func problemBlock(t *testing.T, wantFile string) string {
	t.Helper()
	want, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	return strconv.Itoa(len(lines)) + " problems:\n  " + strings.Join(lines, "\n  ") + "\n"
}

// TestConfigProblemsAreOneListEverywhere runs the real kensa binary on a
// file with many mistakes: `config check` prints every one with its line,
// in order, and exits 2; `serve` refuses the file with the same list; and a
// running serve that is sent SIGHUP after the file went bad logs the same
// list and keeps running on its old config.
func TestConfigProblemsAreOneListEverywhere(t *testing.T) {
	bin := buildKensa(t)
	bad, err := os.ReadFile("../../config/testdata/mistakes-keys.yaml")
	if err != nil {
		t.Fatal(err)
	}
	block := problemBlock(t, "../../config/testdata/mistakes-keys.want")
	dir := t.TempDir()
	badPath := writeFile(t, dir, "bad.yaml", bad)
	exitCode := func(err error) int {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatalf("kensa did not run: %v", err)
		}
		return 0
	}

	out, err := exec.Command(bin, "config", "check", badPath).CombinedOutput()
	if code := exitCode(err); code != exitError {
		t.Errorf("config check: exit %d, want %d", code, exitError)
	}
	if want := "kensa config check: config " + badPath + ": " + block; string(out) != want {
		t.Errorf("config check printed:\n%s\nwant:\n%s", out, want)
	}

	serve := exec.Command(bin, "serve", "--config", badPath, "--state-dir", filepath.Join(dir, "state"))
	serve.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err = serve.CombinedOutput()
	if code := exitCode(err); code != exitError {
		t.Errorf("serve: exit %d, want %d", code, exitError)
	}
	if want := "kensa serve: config " + badPath + ": " + block; string(out) != want {
		t.Errorf("serve printed:\n%s\nwant:\n%s", out, want)
	}

	cfgPath := filepath.Join(dir, "kensa.yaml")
	good := "state_dir: " + filepath.Join(dir, "state") + "\nlisten: inet:127.0.0.1:0\nhttp:\n  listen: \"\"\nlog:\n  format: json\n"
	writeFile(t, dir, "kensa.yaml", []byte(good))
	cmd, log, exited := startServe(t, bin, cfgPath)
	writeFile(t, dir, "kensa.yaml", bad)
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	e := log.waitFor(t, "a failed reload", 1, isReload)[0]
	if msg, _ := e["msg"].(string); !strings.HasPrefix(msg, "reload failed: config invalid") {
		t.Fatalf("reload: %q, want it to fail on the config", msg)
	}
	if got, want := e["error"], "config "+cfgPath+": "+strings.TrimSuffix(block, "\n"); got != want {
		t.Errorf("reload logged:\n%s\nwant:\n%s", got, want)
	}
	select {
	case err := <-exited:
		t.Fatalf("kensa exited after a bad reload: %v", err)
	default:
	}
}

// docs/configuration.md shows a file and what `kensa config check` prints
// for it: this keeps the two true.
func TestDocsShowConfigCheckOutput(t *testing.T) {
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(doc), "## Checking a file\n")
	_, file, _ := strings.Cut(section, "```yaml\n")
	file, _, _ = strings.Cut(file, "```\n")
	_, shown, _ := strings.Cut(section, "```text\n$ kensa config check kensa.yaml\n")
	shown, _, _ = strings.Cut(shown, "```\n")
	if file == "" || shown == "" {
		t.Fatal("docs/configuration.md has no example under \"## Checking a file\"")
	}
	dir := t.TempDir()
	p := writeFile(t, dir, "kensa.yaml", []byte(file))
	code, _, errs := runCmd(t, "", "config", "check", p)
	if got := strings.ReplaceAll(errs, p, "kensa.yaml"); got != shown || code != exitError {
		t.Errorf("kensa config check exits %d and prints:\n%s\ndocs/configuration.md shows:\n%s", code, got, shown)
	}
}
