package mailview

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/testmail"
)

func TestSafe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a\r\nb", `a\x0d\x0ab`},
		{"bell\x07", `bell\x07`},
		{"\u202eevil", `\u202eevil`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"ünïcode", "ünïcode"},
	} {
		if got := Safe(tt.in, 100); got != tt.want {
			t.Errorf("Safe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := SafeText("a\r\nb\tc\x1b[31m"); got != "a\nb\tc\\x1b[31m" {
		t.Errorf("SafeText = %q", got)
	}
	if got := Safe(strings.Repeat("é", 10), 5); got != "éé…" {
		t.Errorf("cut = %q", got)
	}
}

func TestHTMLText(t *testing.T) {
	got := HTMLText([]byte(`<html><head><title>T</title><style>p{}</style></head><body><p>Hello <b>world</b></p>` +
		`<script>alert(1)</script><img src="http://evil.example/x.png"><div>Second &amp; line</div></body></html>`))
	if got != "Hello world\n\nSecond & line" {
		t.Errorf("HTMLText = %q", got)
	}
}

func TestHeadersAndTextParts(t *testing.T) {
	raw := testmail.Multipart("Invoice\x1b", "alternative",
		testmail.Part{Type: "text/plain", Body: "plain body\n"},
		testmail.Part{Type: "text/html", Body: "<p>html <script>x()</script>body</p>"})
	hs := Headers(raw)
	found := false
	for _, h := range hs {
		if h.Name == "Subject" {
			found = true
			if strings.ContainsRune(h.Value, 0x1b) {
				t.Errorf("subject not escaped: %q", h.Value)
			}
		}
	}
	if !found {
		t.Errorf("no Subject in %v", hs)
	}
	parts, err := TextParts(raw)
	if err != nil || len(parts) != 2 {
		t.Fatalf("TextParts = %+v, %v", parts, err)
	}
	if parts[0].Text != "plain body\n" || parts[1].Text != "html body" || parts[1].Type != "text/html" {
		t.Errorf("parts %+v", parts)
	}
}
