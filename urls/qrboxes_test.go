package urls

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// TestCodeURLsBoxes: QR codes drawn as grids of CSS boxes in HTML.
func TestCodeURLsBoxes(t *testing.T) {
	longCodeTime(t)
	forms := map[string]int{"flex rows": formats.BoxFlexRows, "inline-block": formats.BoxInlineBlock, "float": formats.BoxFloat,
		"grid": formats.BoxGrid, "runs": formats.BoxRuns, "light on dark": formats.BoxLightOnDark}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			body := `<html><body><div class="wrap"><p>Scan with your phone to sign in:</p>` + formats.QRBoxes(qrLure, form, 4) + `<p>IT</p></div></body></html>`
			checkQRHosts(t, &message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(body)})
		})
	}
}

// TestBoxTwins: pages built of many boxes that are no code (a newsletter
// laid out with flex rows and floated columns, a calendar grid, a bar of
// coloured cells) give none, and ordinary HTML is not laid out.
func TestBoxTwins(t *testing.T) {
	longCodeTime(t)
	var news, cal strings.Builder
	news.WriteString(`<div>`)
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&news, `<div style="display:flex"><div style="width:200px;background:#f4f4f4"><span>Item %d</span></div><div style="width:380px"><a href="https://shop.example.com/p/%d">Shoes</a> <span style="background:#222;color:#fff">-20%%</span></div></div>`, i, i)
	}
	news.WriteString(`</div>`)
	cal.WriteString(`<div style="display:grid;grid-template-columns:repeat(7, 40px)">`)
	for d := 0; d < 35; d++ {
		bg := "#fff"
		if d%7 >= 5 {
			bg = "#333"
		}
		fmt.Fprintf(&cal, `<div style="background:%s">%d</div>`, bg, d%31+1)
	}
	cal.WriteString(`</div>`)
	for name, b := range map[string]string{"newsletter": news.String(), "calendar": cal.String()} {
		t.Run(name, func(t *testing.T) {
			if hs, c := codeHosts(&message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(b)}); len(hs) != 0 || len(c.Texts) != 0 {
				t.Errorf("read as a code: %v %+v", hs, c)
			}
		})
	}
	if ds := boxCodes([]byte(cal.String())); len(ds) != 0 {
		t.Errorf("a calendar of 7 columns drawn")
	}
	if ds := boxCodes([]byte(strings.Repeat(`<div class="row"><span>text</span></div>`, 100))); ds != nil {
		t.Errorf("ordinary markup laid out")
	}
}
