// Package soffice runs LibreOffice headless for tests: the independent
// reader and writer that Kensa's Office writers and readers are checked
// against (scripts/deps.sh test installs it).
package soffice

import (
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
