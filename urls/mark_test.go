package urls

import (
	"reflect"
	"testing"
)

// The window that collector.text searches must give the same matches as
// searching everything.
func checkURLWindow(t *testing.T, b []byte) {
	t.Helper()
	want := textURL.FindAll(b, -1)
	var got [][]byte
	if first := firstURLMark(b); first >= 0 {
		got = textURL.FindAll(b[max(0, first-8):], -1)
	}
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: windowed %q, whole %q", b, got, want)
	}
}

func TestURLWindow(t *testing.T) {
	for _, s := range []string{
		"", "no links here.", "see https://example.com/x.", "xhttps://a.example", "WWW.Example.com", "wWw.x",
		"httpſ://example.com", "aſhttpſ://b", "ftp://f www.a http://b", ".www.", "ww.w.www.", "://",
		"1234567890https://late.example.org/path?q=1",
	} {
		checkURLWindow(t, []byte(s))
	}
}

func FuzzURLWindow(f *testing.F) {
	f.Add([]byte("text https://example.com/a www.example.org"))
	f.Add([]byte("xhttpſ://a"))
	f.Fuzz(func(t *testing.T, b []byte) { checkURLWindow(t, b) })
}
