package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/internal/chromium"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// TestSplitCodesInChromium shows the body of each split-code sample in a
// real browser (its cid: images as files beside the page, as a client
// resolves them), takes a screenshot and reads the code in it as an image:
// it must be the code Kensa reads from the body's layout of the tiles. So
// the canvas Kensa draws is what a reader sees and scans. No tile alone
// may read: then the sample would not split its code.
func TestSplitCodesInChromium(t *testing.T) {
	old := urls.CodeTime
	urls.CodeTime = 5 * time.Minute // a busy machine under -race: only a hang may stop the search
	t.Cleanup(func() { urls.CodeTime = old })
	browser := chromium.Start(t, 10*time.Minute, chromedp.WindowSize(900, 1000))
	dir := t.TempDir()
	found := 0
	for _, s := range splitQRSamples() {
		if !strings.HasPrefix(s.Name, "qr-split-") {
			continue
		}
		found++
		t.Run(s.Name, func(t *testing.T) {
			m, err := message.Parse(s.Raw)
			if err != nil {
				t.Fatal(err)
			}
			body := m.Parts[0]
			b := urls.NewCodeBudget()
			b.InlineParts(m.Parts)
			read := urls.CodeURLs(body, b)
			if len(read.Texts) != 1 {
				t.Fatalf("Kensa read %q from the layout, want one code", read.Texts)
			}
			page := string(body.Content)
			for i, p := range m.Parts[1:] {
				if c := urls.CodeURLs(p, urls.NewCodeBudget()); len(c.Texts) > 0 {
					t.Fatalf("tile %s alone reads %q: the sample does not split its code", p.Path, c.Texts)
				}
				f := fmt.Sprintf("%s-%d.png", s.Name, i)
				if err := os.WriteFile(filepath.Join(dir, f), p.Content, 0o644); err != nil {
					t.Fatal(err)
				}
				page = strings.ReplaceAll(page, "cid:"+p.ContentID, f)
			}
			file := filepath.Join(dir, s.Name+".html")
			checkShownCode(t, browser, file, []byte(`<meta charset="utf-8">`+page), read.Texts[0], "kensa-split-"+s.Name+".png")
		})
	}
	if found != 10 {
		t.Errorf("%d of the 10 split-code samples are in the corpus", found)
	}
}
