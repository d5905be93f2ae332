package heuristic

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/internal/chromium"
)

// savedFileCase is a page that saves a file (or, for a twin, one that
// saves nothing worth naming) and the name Chromium must save it under.
type savedFileCase struct {
	name, page, saves string
}

// wrappedBase64 is data as base64 wrapped into lines of n characters.
func wrappedBase64(data []byte, n int) string {
	s := base64.StdEncoding.EncodeToString(data)
	var lines []string
	for len(s) > n {
		lines = append(lines, s[:n])
		s = s[n:]
	}
	return strings.Join(append(lines, s), "\n")
}

// savedFileTricks are the smuggling pages html-smuggling reads since it
// counts wrapped base64 and the names scripts save under: a payload wrapped
// into lines in a hidden element, a payload too small for the length rule,
// a file whose bytes the page draws (so no payload is in it at all) and a
// File named by its constructor.
func savedFileTricks() []savedFileCase {
	payload := append([]byte("PK\x03\x04"), make([]byte, 6000)...)
	return []savedFileCase{
		{"payload wrapped in a hidden element", `<html><body><div id="p" style="display:none">` + wrappedBase64(payload, 76) + `</div>
<script>var s=document.getElementById('p').textContent;var bin=atob(s.replace(/\s/g,''));var arr=new Uint8Array(bin.length);for(let i=0;i<bin.length;i++){arr[i]=bin.charCodeAt(i)}
var u=URL.createObjectURL(new Blob([arr]));var a=document.createElement('a');a.download='Invoice_2291.zip';a.href=u;document.body.appendChild(a);a.click();</script></body></html>`, "Invoice_2291.zip"},
		{"small payload, name set as an attribute", `<html><body><script>var u=URL.createObjectURL(new Blob([Uint8Array.from(atob("UEsDBBQAAAAIAA=="),c=>c.charCodeAt(0))]));
var l=document.createElement("a");l.href=u;l.setAttribute("download","Scan_0412.zip");document.body.appendChild(l);l.click();</script></body></html>`, "Scan_0412.zip"},
		{"bytes the page draws", `<html><body><canvas id="c" width="64" height="64"></canvas><script>var c=document.getElementById('c');var x=c.getContext('2d');x.fillRect(0,0,32,32);
c.toBlob(function(b){var a=document.createElement('a');a.href=URL.createObjectURL(b);a.download="Statement.img";document.body.appendChild(a);a.click();});</script></body></html>`, "Statement.img"},
		{"a File's own name", `<html><body><script>var f=new File(["WScript.Echo(1)"], "Payment.js", {type:"text/plain"});
var a=document.createElement('a');a.href=URL.createObjectURL(f);a.download=f.name;document.body.appendChild(a);a.click();</script></body></html>`, "Payment.js"},
	}
}

// savedFileTwins save what honest pages export: a table as CSV, a receipt
// as a PDF from a small payload, and a page with a Blob and long lines of
// prose.
func savedFileTwins() []savedFileCase {
	prose := strings.Repeat("Thank you for your order. Your receipt is attached below and a copy was sent to your account.\n", 60)
	return []savedFileCase{
		{"table exported as CSV", `<html><body><table id="t"><tr><td>Item</td><td>Price</td></tr></table><script>
var csv="Item,Price\nWidget,4.00\n";var a=document.createElement('a');a.href=URL.createObjectURL(new Blob([csv],{type:'text/csv'}));a.download='report.csv';document.body.appendChild(a);a.click();</script></body></html>`, "report.csv"},
		{"receipt saved as a PDF", `<html><body><script>var u=URL.createObjectURL(new Blob([Uint8Array.from(atob("JVBERi0xLjQK"),c=>c.charCodeAt(0))],{type:'application/pdf'}));
var a=document.createElement('a');a.href=u;a.setAttribute('download','receipt.pdf');document.body.appendChild(a);a.click();</script></body></html>`, "receipt.pdf"},
		{"prose lines beside a Blob", `<html><body><p>` + prose + `</p><script>var t=document.body.innerText;var a=document.createElement('a');a.href=URL.createObjectURL(new Blob([t]));a.download='order.txt';document.body.appendChild(a);a.click();</script></body></html>`, "order.txt"},
	}
}

// TestSavedFileInChromium opens each page in Chromium with downloads
// allowed into a folder and holds html-smuggling to what Chromium saved:
// every trick saves the file the finding names, and every twin, which
// saves its own honest file, has no finding.
func TestSavedFileInChromium(t *testing.T) {
	b := chromium.Start(t, 5*time.Minute, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"))
	dir := t.TempDir()
	saved := func(t *testing.T, c savedFileCase) []string {
		t.Helper()
		out := filepath.Join(dir, "out-"+strings.ReplaceAll(c.name, " ", "-"))
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		tab, cancel := chromium.Open(t, b, filepath.Join(dir, "page.html"), []byte(c.page),
			chromedp.ActionFunc(func(ctx context.Context) error {
				return browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(out).Do(ctx)
			}))
		defer cancel()
		var names []string
		for range 100 { // a download lands within a few seconds, even on a busy machine
			_ = chromedp.Run(tab, chromedp.Sleep(100*time.Millisecond))
			es, _ := os.ReadDir(out)
			names = names[:0]
			for _, e := range es {
				if !strings.HasSuffix(e.Name(), ".crdownload") {
					names = append(names, e.Name())
				}
			}
			if len(names) > 0 {
				break
			}
		}
		return names
	}
	s := newScanner(t)
	for i, c := range append(savedFileTricks(), savedFileTwins()...) {
		trick := i < len(savedFileTricks())
		got := saved(t, c)
		f := find(scan(t, s, attach(htmlPart("2", c.page, named("Invoice.html")))), "html-smuggling")
		t.Logf("%-40s Chromium saved %q", c.name, got)
		if len(got) != 1 || got[0] != c.saves {
			t.Errorf("%s: Chromium saved %q, want %q", c.name, got, c.saves)
		}
		switch {
		case trick && f == nil:
			t.Errorf("%s: no html-smuggling finding", c.name)
		case !trick && f != nil:
			t.Errorf("%s: honest export got html-smuggling: %s", c.name, f.Detail)
		}
	}
}
