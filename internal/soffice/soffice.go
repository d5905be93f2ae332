// Package soffice runs LibreOffice headless for tests: the independent
// reader and writer that Kensa's Office writers and readers are checked
// against (scripts/deps.sh test installs it).
package soffice

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Convert converts files (paths) to format ("fods", "fodp", "ppt", "pdf",
// a filter name after a colon as soffice takes it) into outDir, with a
// private profile below outDir so that parallel runs never share one. It
// returns soffice's output; a file LibreOffice cannot load is an error.
func Convert(outDir, format string, files ...string) (string, error) {
	bin, err := exec.LookPath("soffice")
	if err != nil {
		return "", fmt.Errorf("soffice not found (scripts/deps.sh test installs LibreOffice): %w", err)
	}
	profile := filepath.Join(outDir, ".profile")
	if err := os.MkdirAll(profile, 0o700); err != nil {
		return "", err
	}
	args := append([]string{"--headless", "--norestore", "-env:UserInstallation=file://" + profile,
		"--convert-to", format, "--outdir", outDir}, files...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("soffice: %w: %s", err, out)
	}
	if strings.Contains(string(out), "Error:") {
		return string(out), fmt.Errorf("soffice: %s", out)
	}
	return string(out), nil
}

//go:embed crypt.py
var cryptScript []byte

// CryptJob is one document for Crypt: "open" loads In with Password (none
// when empty: a plain conversion) and stores Out unencrypted, "save" loads In and stores Out encrypted with
// Password; Filter is the export filter's name ("MS Excel 97", "Calc MS
// Excel 2007 XML", "Text - txt - csv (StarCalc)"...).
type CryptJob struct {
	Mode, In, Password, Out, Filter string
}

// Crypt runs jobs in one LibreOffice through its UNO interface (python3-uno:
// the command line has no password option), with a private profile below
// dir. A job LibreOffice cannot do makes the error, after every job ran;
// the output names each job's outcome.
func Crypt(dir string, jobs ...CryptJob) (string, error) {
	if _, err := exec.LookPath("soffice"); err != nil {
		return "", fmt.Errorf("soffice not found (scripts/deps.sh test installs LibreOffice): %w", err)
	}
	script := filepath.Join(dir, "crypt.py")
	if err := os.WriteFile(script, cryptScript, 0o600); err != nil {
		return "", err
	}
	var in strings.Builder
	for _, j := range jobs {
		for _, f := range []string{j.Mode, j.In, j.Password, j.Out, j.Filter} {
			if strings.ContainsAny(f, "\t\n") {
				return "", fmt.Errorf("soffice.Crypt: a tab or newline in %q", f)
			}
		}
		in.WriteString(strings.Join([]string{j.Mode, j.In, j.Password, j.Out, j.Filter}, "\t") + "\n")
	}
	// Debian's python3, which python3-uno extends (a python3 earlier in PATH
	// may be another one).
	cmd := exec.Command("/usr/bin/python3", script, filepath.Join(dir, ".profile"))
	cmd.Stdin = strings.NewReader(in.String())
	cmd.Env = append(os.Environ(), "HOME="+filepath.Join(dir, ".profile"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("soffice.Crypt (python3-uno, scripts/deps.sh test installs it): %w: %s", err, out)
	}
	return string(out), nil
}
