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

// ConvertFiles writes files (a name without a directory and its bytes) into
// dir, converts them all in one LibreOffice run to format (as Convert takes
// it) and returns each output's bytes under its input's name. An input
// LibreOffice wrote nothing for is an error.
func ConvertFiles(dir, format string, files map[string][]byte) (map[string][]byte, error) {
	ext, _, _ := strings.Cut(format, ":")
	var paths []string
	outs := map[string]string{} // output file -> input name
	for name, b := range files {
		out := strings.TrimSuffix(name, filepath.Ext(name)) + "." + ext
		if filepath.Base(name) != name || outs[out] != "" || files[out] != nil {
			return nil, fmt.Errorf("soffice.ConvertFiles: %q: a path, or an output another input names", name)
		}
		outs[out] = name
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	if out, err := Convert(dir, format, paths...); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, out)
	}
	got := map[string][]byte{}
	for out, name := range outs {
		b, err := os.ReadFile(filepath.Join(dir, out))
		if err != nil {
			return nil, fmt.Errorf("LibreOffice wrote no %s: %w", out, err)
		}
		got[name] = b
	}
	return got, nil
}

// Flat is a flat OpenDocument file (.fods, .fodt, .fodp) of kind
// ("spreadsheet", "text", "presentation") whose office:document holds inner
// (its scripts, styles and body), every prefix the tests write declared.
func Flat(kind, inner string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><office:document ` + odfNS +
		` office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.` + kind + `">` + inner + `</office:document>`
}

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ` +
	`xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" ` +
	`xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" xmlns:ooo="http://openoffice.org/2004/office" ` +
	`xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dom="http://www.w3.org/2001/xml-events"`

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
