package message

import (
	"bytes"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// opensslCMS signs content with a throwaway self-signed certificate using
// OpenSSL, the writer S/MIME mail comes from, and returns the DER it writes
// with extra arguments (-nodetach, -stream ...).
func opensslCMS(t *testing.T, content []byte, args ...string) []byte {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatalf("openssl not found (scripts/deps.sh test installs it): %v", err)
	}
	dir := t.TempDir()
	key, cert, in, out := filepath.Join(dir, "k.pem"), filepath.Join(dir, "c.pem"), filepath.Join(dir, "in"), filepath.Join(dir, "out")
	run := func(a ...string) {
		t.Helper()
		if b, err := exec.Command(openssl, a...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", a, err, b)
		}
	}
	run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=anna@shop.example.com")
	if err := os.WriteFile(in, content, 0o600); err != nil {
		t.Fatal(err)
	}
	run(append([]string{"cms", "-sign", "-binary", "-in", in, "-signer", cert, "-inkey", key, "-outform", "DER", "-out", out}, args...)...)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func b64Lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out []byte
	for len(s) > 76 {
		out = append(out, s[:76]+"\r\n"...)
		s = s[76:]
	}
	return string(append(out, s+"\r\n"...))
}

func TestOpaqueSignedSMIME(t *testing.T) {
	entity := []byte("Content-Type: multipart/mixed; boundary=\"in\"\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\nInvoice attached.\r\n--in\r\n" +
		"Content-Type: application/octet-stream; name=\"invoice.js\"\r\nContent-Disposition: attachment; filename=\"invoice.js\"\r\n\r\nWScript.Echo(1)\r\n--in--\r\n")
	der := opensslCMS(t, entity, "-nodetach")
	ber := opensslCMS(t, entity, "-nodetach", "-stream") // indefinite lengths, the content in pieces
	detached := opensslCMS(t, entity)
	file := opensslCMS(t, []byte("<?xml version=\"1.0\"?><FatturaElettronica/>"), "-nodetach")
	if bytes.Equal(der, ber) {
		t.Fatal("openssl -stream wrote DER; the BER case tests nothing")
	}
	whole := func(ctype string, sig []byte) string {
		return "From: a@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: " + ctype +
			"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64Lines(sig)
	}
	for _, tc := range []struct {
		name, raw string
		path      string // of the script, "" for none
		fileName  string
	}{
		{"DER", whole(`application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"`, der), "1/2", "invoice.js"},
		{"BER", whole(`application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"`, ber), "1/2", "invoice.js"},
		{"x-pkcs7 without smime-type", whole(`application/x-pkcs7-mime`, der), "1/2", "invoice.js"},
		{"octet-stream named smime.p7m", whole(`application/octet-stream; name="smime.p7m"`, der), "1/2", "invoice.js"},
		{"signed file", whole(`application/pkcs7-mime; name="IT0123_001.xml.p7m"`, file), "1/1", "IT0123_001.xml"},
		{"detached signature stays", whole(`application/pkcs7-mime; smime-type=signed-data`, detached), "", ""},
		{"declared enveloped stays", whole(`application/pkcs7-mime; smime-type=enveloped-data`, der), "", ""},
		{"octet-stream not named p7m stays", whole(`application/octet-stream; name="data.bin"`, der), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse([]byte(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			var found *Part
			for _, p := range m.Parts {
				if p.Path == tc.path {
					found = p
				}
			}
			if tc.path == "" {
				if len(m.Parts) != 1 || m.Parts[0].Container {
					t.Fatalf("opened: %d parts", len(m.Parts))
				}
				return
			}
			if found == nil || found.Filename != tc.fileName || !m.Parts[0].Container {
				t.Fatalf("no %s at %s: %+v", tc.fileName, tc.path, m.Parts)
			}
			if tc.fileName == "invoice.js" && string(found.Content) != "WScript.Echo(1)" {
				t.Fatalf("content %q", found.Content)
			}
			// The root's content is the message a client shows: its
			// parts stand at the top (the heuristics read its text as
			// the body), and the .p7m says so.
			if !m.Parts[0].Signed || found.Depth != 0 {
				t.Fatalf("signed %v, %s at depth %d", m.Parts[0].Signed, found.Path, found.Depth)
			}
		})
	}
	// Below the root (an attachment of a multipart, an attached message's
	// root), the content is a level down, as an attached message's is.
	inner := "From: a@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n" +
		"--o\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--o\r\n" +
		"Content-Type: application/pkcs7-mime; smime-type=signed-data; name=\"smime.p7m\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		b64Lines(der) + "--o--\r\n"
	m, err := Parse([]byte(inner))
	if err != nil {
		t.Fatal(err)
	}
	depths := map[string]int{}
	for _, p := range m.Parts {
		depths[p.Path] = p.Depth
	}
	if d, ok := depths["2/2"]; !ok || d != 1 || depths["2"] != 0 {
		t.Fatalf("depths %v", depths)
	}
}

func TestSignedContentBounds(t *testing.T) {
	// Nested indefinite lengths past the depth bound, lengths past the end,
	// truncations of a real structure: never content, never a panic.
	deep := append(bytes.Repeat([]byte{0x30, 0x80}, 200), bytes.Repeat([]byte{0, 0}, 200)...)
	for _, b := range [][]byte{nil, {0x30}, {0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF}, {0x30, 0x80}, deep} {
		if c, ok := signedContent(b); ok {
			t.Errorf("% x: content %q", b[:min(len(b), 8)], c)
		}
	}
}
