package corpus

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

// TestPaddedPDFs holds the padded PDF samples to poppler and qpdf
// (scripts/deps.sh test installs both): each is a PDF they read without an
// error, and its link is where a reader finds it, more than 2 KB into its
// string: on the page (pdftotext), as the link's address (pdfinfo -url) or
// in the script the PDF runs when opened (qpdf --show-object).
func TestPaddedPDFs(t *testing.T) {
	for _, tool := range []string{"pdfinfo", "pdftotext", "qpdf"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found (scripts/deps.sh test installs poppler-utils and qpdf): %v", tool, err)
		}
	}
	// sample -> where its link is and what the reader finds there.
	want := map[string][2]string{
		"pdf-padded-literal-link":      {"page", "https://secure-micorsoft-login.com/owa/statement"},
		"pdf-padded-hex-link":          {"page", "https://login.rnicrosoftonline.com/common/statement"},
		"pdf-padded-uri-redirect":      {"uri", "&url=https%3A%2F%2Fwww.paypa1-secure.com%2Fsignin%2Fstatement"},
		"pdf-padded-js-link":           {"js", `app.launchURL\("https://secure-micorsoft-login.com/owa/statement", true\);`},
		"pdf-twin-padded-literal-link": {"page", "View it online at https://portal.northwind-traders.example.com/statements/11"},
		"pdf-twin-padded-hex-link":     {"page", "View it online at https://portal.northwind-traders.example.com/statements/11"},
		"pdf-twin-padded-uri":          {"uri", "&redirect_uri=https%3A%2F%2Fportal.northwind-traders.example.com%2Fstatements%2F11"},
		"pdf-twin-padded-js":           {"js", `app.launchURL\("https://portal.northwind-traders.example.com/statements/11", true\);`},
	}
	dir := t.TempDir()
	run := func(name string, args ...string) string {
		t.Helper()
		var stderr bytes.Buffer
		cmd := exec.Command(name, args...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || strings.Contains(stderr.String(), "rror") {
			t.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}
	samples := paddedPDFSamples()
	if len(samples) != len(want) {
		t.Errorf("%d padded samples, %d checked here", len(samples), len(want))
	}
	for _, s := range samples {
		w, ok := want[s.Name]
		if !ok {
			t.Errorf("%s: not checked here", s.Name)
			continue
		}
		m, err := message.Parse(s.Raw)
		if err != nil {
			t.Fatal(err)
		}
		var pdf []byte
		for _, p := range m.Parts {
			if p.Path == "2" {
				pdf = p.Content
			}
		}
		file := filepath.Join(dir, s.Name+".pdf")
		if err := os.WriteFile(file, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		run("pdfinfo", file)
		run("qpdf", "--check", file)
		var found string // what the tool shows, from the string holding the link
		switch w[0] {
		case "page":
			shown := strings.Join(strings.Fields(run("pdftotext", "-q", file, "-")), " ")
			if !strings.Contains(shown, w[1]) {
				t.Errorf("%s: pdftotext does not show %q:\n%.300s", s.Name, w[1], shown)
			}
			content := run("qpdf", "--show-object=4", "--filtered-stream-data", file)
			if i := strings.LastIndexAny(content, "(<"); i < 0 || len(content)-i < 2048 {
				t.Errorf("%s: the page's last string is not longer than 2 KB", s.Name)
			}
			continue
		case "uri":
			for _, line := range strings.Split(run("pdfinfo", "-url", file), "\n") {
				if f := strings.Fields(line); len(f) == 3 && f[1] == "Annotation" {
					found = f[2]
				}
			}
		case "js":
			catalog := run("qpdf", "--show-object=1", file)
			if _, js, ok := strings.Cut(catalog, "/JS ("); ok {
				found = js
			}
		}
		if i := strings.Index(found, w[1]); i < 2048 {
			t.Errorf("%s: %q is not past 2 KB of its string (at %d) in:\n%.300s", s.Name, w[1], i, found)
		}
	}
}
