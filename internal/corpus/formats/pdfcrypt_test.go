package formats

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// qpdf (scripts/deps.sh test), an independent reader, opens what
// EncryptPDF writes (RC4-128 and AES-256 R6) and finds the stream and the
// string in clear.
func TestPermissionOnlyPDFOpensInQpdf(t *testing.T) {
	qpdf, err := exec.LookPath("qpdf")
	if err != nil {
		t.Fatalf("qpdf not found (scripts/deps.sh test installs it): %v", err)
	}
	for _, c := range []struct {
		kind PDFEncryption
		pw   string
	}{{PDFRC4128, ""}, {PDFRC4128, "secret"}, {PDFAES256R6, ""}, {PDFAES256R6, "secret"}} {
		pw := c.pw
		pdf := EncryptPDF(c.kind, pw,
			"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a) 3 0 R] >> >> >>",
			"<< /Type /Pages /Kids [] /Count 0 >>",
			"<< /Type /Filespec /F (kensa-name.txt) /EF << /F 4 0 R >> >>",
			PDFStream("/Type /EmbeddedFile", []byte("kensa stream text")),
		)
		if bytes.Contains(pdf, []byte("kensa stream text")) || bytes.Contains(pdf, []byte("kensa-name")) {
			t.Fatal("not encrypted")
		}
		dir := t.TempDir()
		in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
		if err := os.WriteFile(in, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"--decrypt", "--qdf", "--object-streams=disable", in, out}
		if pw != "" {
			args = append([]string{"--password=" + pw}, args...)
		}
		if msg, err := exec.Command(qpdf, args...).CombinedOutput(); err != nil {
			t.Fatalf("qpdf %v: %v\n%s", args, err, msg)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("kensa stream text")) || !bytes.Contains(b, []byte("kensa-name.txt")) {
			t.Errorf("kind %d, password %q: qpdf's decryption lacks the stream or the name:\n%s", c.kind, pw, b)
		}
		if pw != "" {
			if msg, err := exec.Command(qpdf, "--decrypt", in, out).CombinedOutput(); err == nil {
				t.Errorf("qpdf opened a user-password PDF without it: %s", msg)
			}
		}
	}
}
