package unpack

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

const forwarded = "From: boss@example.com\r\nTo: you@example.net\r\nSubject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + marker + "\r\n"

func TestMailMembers(t *testing.T) {
	t.Run("eml in zip", func(t *testing.T) {
		m := mail("", "", "x.zip", zipOf(t, entry{"mail/fwd.eml", []byte(forwarded)}))
		expand(t, m, Options{})
		noProblems(t, m)
		p := mustPart(t, m, "2/x.zip/mail/fwd.eml/1")
		if !strings.Contains(string(p.Content), marker) || p.DeclaredType != "text/plain" || p.Depth != 2 {
			t.Errorf("forwarded body: %q %q depth %d", p.Content, p.DeclaredType, p.Depth)
		}
	})
	t.Run("octet-stream attachment", func(t *testing.T) {
		m := mail("", "", "", []byte(forwarded))
		expand(t, m, Options{})
		noProblems(t, m)
		mustPart(t, m, "2/eml/1")
	})
	t.Run("text that is not mail", func(t *testing.T) {
		m := mail("", "", "notes.eml", []byte("just some notes\n\nno headers"))
		expand(t, m, Options{})
		if len(m.Parts) != 2 || len(m.Problems) != 0 {
			t.Errorf("plain text was opened:\n%s", dump(m))
		}
	})
}

// TestParsedMessage runs the real pipeline order: message.Parse, then
// Expand, on a message whose body gives the zip's password in Japanese.
func TestParsedMessage(t *testing.T) {
	z := encryptedZip(t, "秘密2024", 3, entry{"請求書.txt", []byte(marker)})
	raw := "From: a@example.com\r\nTo: b@example.net\r\nSubject: =?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte("請求書")) + "?=\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte("お世話になっております。\r\nパスワード：秘密2024\r\n")) + "\r\n" +
		"--b\r\nContent-Type: application/zip; name=\"a.zip\"\r\nContent-Disposition: attachment; filename=\"a.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(z) + "\r\n--b--\r\n"
	m, err := message.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	expand(t, m, Options{})
	noProblems(t, m)
	zp := mustPart(t, m, "2")
	if zp.UnlockedBy != "body" || !zp.Container {
		t.Errorf("zip UnlockedBy %q Container %v", zp.UnlockedBy, zp.Container)
	}
	p := mustPart(t, m, "2/a.zip/請求書.txt")
	if !bytes.Equal(p.Content, []byte(marker)) || p.Filename != "請求書.txt" {
		t.Errorf("member %q %q", p.Filename, p.Content)
	}
}
