package heuristic

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// A PDF whose script hides in a compressed object stream: the plain bytes
// show no /JavaScript, unpack inflates the stream into the member
// "streams", and the PDF checks read that member as the PDF's own.
func TestPDFScriptInCompressedObjectStream(t *testing.T) {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	fmt.Fprint(zw, "5 0 << /Type /Action /S /JavaScript /JS (app.alert('stand-in')) >>")
	zw.Close()
	var pdf bytes.Buffer
	fmt.Fprintf(&pdf, "%%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction 5 0 R >> endobj\n")
	fmt.Fprintf(&pdf, "3 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n", z.Len())
	pdf.Write(z.Bytes())
	pdf.WriteString("\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	if bytes.Contains(pdf.Bytes(), []byte("JavaScript")) {
		t.Fatal("fixture: the script must only be inside the compressed stream")
	}
	m := &message.Message{Parts: []*message.Part{
		{Path: "1", DeclaredType: "text/plain", Content: []byte("see attached")},
		{Path: "2", Filename: "x.pdf", DeclaredType: "application/pdf", DetectedType: "application/pdf", Content: pdf.Bytes()},
	}}
	unpack.Expand(context.Background(), m, unpack.Options{})
	fs, err := newScanner(t).Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.ID == "pdf-javascript" && f.Part == "2/x.pdf/streams" {
			return
		}
	}
	t.Errorf("no pdf-javascript on 2/x.pdf/streams; parts %v, findings %+v", paths(m), fs)
}

func paths(m *message.Message) []string {
	var out []string
	for _, p := range m.Parts {
		out = append(out, p.Path+" "+p.Filename)
	}
	return out
}

// TestXFAScriptThroughQpdf: an XFA form's script as qpdf writes the form
// again (its template deflated, its objects in object streams, encrypted
// with AES-256 or RC4 under the empty user password, which every reader
// opens without asking) is found on the PDF, and poppler reads each as
// an XFA form ("Form: XFA"). The plain bytes of each show no script.
func TestXFAScriptThroughQpdf(t *testing.T) {
	qpdf, pdfinfo := toolPath(t, "qpdf"), toolPath(t, "pdfinfo")
	script := `<event activity="docReady" ref="$host"><script contentType="application/x-javascript">app.launchURL("https://portal.example.net/v", true);</script></event>`
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, xfaPDF(xfaTemplate(script)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"deflated", []string{"--compress-streams=y", "--recompress-flate"}},
		{"object streams", []string{"--compress-streams=y", "--object-streams=generate"}},
		{"AES-256, empty user password", []string{"--encrypt", "", "owner", "256", "--"}},
		{"RC4-128, empty user password", []string{"--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".pdf")
			if b, err := exec.Command(qpdf, append(tc.args, in, out)...).CombinedOutput(); err != nil {
				t.Fatalf("qpdf: %v\n%s", err, b)
			}
			if b, err := exec.Command(pdfinfo, out).CombinedOutput(); err != nil || !regexp.MustCompile(`(?m)^Form:\s+XFA$`).Match(b) {
				t.Fatalf("pdfinfo does not read an XFA form: %v\n%s", err, b)
			}
			pdf, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(pdf, []byte("launchURL")) {
				t.Fatal("qpdf left the script in the plain bytes: the case tests nothing")
			}
			m := &message.Message{Parts: []*message.Part{
				{Path: "1", DeclaredType: "text/plain", Content: []byte("see attached")},
				{Path: "2", Filename: "x.pdf", DeclaredType: "application/pdf", DetectedType: "application/pdf", Content: pdf},
			}}
			unpack.Expand(context.Background(), m, unpack.Options{})
			fs, err := newScanner(t).Scan(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				if f.ID == "pdf-javascript" && f.Part == "2" && strings.Contains(f.Detail, "XFA") {
					return
				}
			}
			t.Errorf("no pdf-javascript (XFA) on 2; parts %v, findings %+v", paths(m), fs)
		})
	}
}

// toolPath is the path of a tool scripts/deps.sh test installs; the test
// fails without it.
func toolPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found (scripts/deps.sh test installs it): %v", name, err)
	}
	return p
}
