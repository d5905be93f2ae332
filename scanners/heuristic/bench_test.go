package heuristic

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/benchcorpus"
	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/showntext"
	"github.com/kensa-milter/kensa/unpack"
	"github.com/kensa-milter/kensa/urls"
)

// businessMessage is ordinary business mail as message.Parse and
// unpack.Expand hand it to the scanners: a text body and its HTML
// alternative (about 20 KB, 60 links, three of them to look-alike domains),
// and a 200 KB PDF with links, a script and random "image" streams, plus the
// member unpack makes of its decoded content streams.
func businessMessage() *message.Message {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the quarterly report budget meeting project customer invoice delivery schedule " +
		"review team office contract supplier order shipment forecast revenue update attached please find")
	sentence := func() string {
		w := make([]string, 8+r.IntN(10))
		for i := range w {
			w[i] = words[r.IntN(len(words))]
		}
		return strings.Join(w, " ") + "."
	}

	var txt strings.Builder
	txt.WriteString("Hi Bob,\n\n")
	for txt.Len() < 3000 {
		txt.WriteString(sentence() + " " + sentence() + "\n\n")
	}
	txt.WriteString("The report is at https://intranet.example.com/reports/q3?id=42 and the slides at www.example.org/slides.\n" +
		"Alice Example | Example Corp | https://www.example.com | +1 555 0100\n")

	hosts := []string{"www.example.com", "cdn.example.com", "shop.example.com", "www.linkedin.com", "twitter.com",
		"www.youtube.com", "docs.example.org", "t.news.example.net"}
	var h strings.Builder
	h.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Update</title>` +
		`<style>p{margin:0} td{padding:2px}</style></head><body>` + "\n" +
		`<img src="https://cdn.example.com/logo.png" alt="Example" width="120" height="40"><table>`)
	for i := 0; i < 54; i++ {
		host := hosts[i%len(hosts)]
		text := fmt.Sprintf("project %d", r.IntN(999))
		switch i % 9 {
		case 3:
			text = host
		case 6:
			text = "Read more"
		}
		fmt.Fprintf(&h, "<tr><td class=\"c%d\">%s</td><td><a href=\"https://%s/projects/%d?utm_source=mail&amp;utm_medium=email\" style=\"color:#1a0dab\">%s</a></td></tr>\n<p>%s</p>\n",
			i%4, sentence(), host, r.IntN(9999), text, sentence())
	}
	h.WriteString(`<p>Sign in: <a href="https://xn--pypal-4ve.com/signin">PayPal</a>, ` +
		`<a href="http://rnicrosoft-support.com/login">Microsoft 365</a>, ` +
		`<a href="https://g00gle.com/drive">www.google.com</a></p>` + "\n" +
		`<p>Tracked: <a href="https://t.news.example.net/c/9f8e7d">www.example.com/events</a></p>` + "\n" +
		`<p><a href="mailto:sales@example.com">sales@example.com</a> <a href="tel:+15550100">call us</a></p>` + "\n" +
		`<p><a href="https://www.example.com/unsubscribe">Unsubscribe</a></p></table></body></html>` + "\n")

	var content bytes.Buffer // decoded content streams, as unpack joins them
	var pdf bytes.Buffer
	n := 0
	obj := func(body string, stream []byte) {
		n++
		fmt.Fprintf(&pdf, "%d 0 obj\n%s", n, body)
		if stream != nil {
			pdf.WriteString("\nstream\n")
			pdf.Write(stream)
			pdf.WriteString("\nendstream")
		}
		pdf.WriteString("\nendobj\n")
	}
	pdf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", nil)
	obj("<< /Type /Pages /Kids [] /Count 0 >>", nil)
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", nil)
	obj("<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] /A << /S /URI /URI (https://www.example.com/report/q3) >> >>", nil)
	obj("<< /S /JavaScript /JS (app.alert\\('Thank you'\\);) >>", nil)
	obj("<< /Type /Annot /Subtype /Link /A << /S /URI /URI <68747470733a2f2f646f63732e6578616d706c652e6f72672f> >> >>", nil)
	for pdf.Len() < 160<<10 { // about 200 KB in all
		var c bytes.Buffer
		c.WriteString("BT /F1 10 Tf 50 780 Td 12 TL\n")
		for range 40 {
			fmt.Fprintf(&c, "(%s) '\n", sentence())
		}
		c.WriteString("ET\n")
		fmt.Fprintf(&content, "\n%% kensa: object %d\n", n+1)
		content.Write(c.Bytes())
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(c.Bytes())
		zw.Close()
		obj(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>", z.Len()), z.Bytes())
		img := make([]byte, 32<<10+r.IntN(32<<10))
		for i := range img {
			img[i] = byte(r.Uint32())
		}
		img[0], img[1] = 0xFF, 0xD8
		obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 640 /Height 480 /Filter /DCTDecode /Length %d >>", len(img)), img)
	}
	pdf.WriteString("trailer\n<< /Root 1 0 R >>\n%%EOF\n")

	return &message.Message{
		From:     "Alice Example <alice@example.com>",
		Envelope: message.Envelope{Sender: "alice@example.com"},
		Parts: []*message.Part{
			{Path: "1.1", DeclaredType: "text/plain", DetectedType: "text/plain", Content: []byte(txt.String()), Depth: 1},
			{Path: "1.2", DeclaredType: "text/html", DetectedType: "text/html", Content: []byte(h.String()), Depth: 1},
			{Path: "2", Filename: "Q3-report.pdf", DeclaredType: "application/pdf", DetectedType: "application/pdf",
				Content: pdf.Bytes(), Container: true},
			{Path: "2/Q3-report.pdf/streams", Filename: "streams", DetectedType: "text/plain", Content: content.Bytes(), Depth: 1},
		},
	}
}

func benchScanner(tb testing.TB) *Scanner {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "block.txt")
	if err := os.WriteFile(path, []byte("evil.example\nhttps://sites.example.net/bad/\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	bl, err := urls.LoadBlocklist(path)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := New(nil, Options{Blocklist: bl})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestBusinessFindings pins what the scanner finds in businessMessage, so
// that making it faster cannot change what it finds.
func TestBusinessFindings(t *testing.T) {
	longCodeTime(t)
	fs, err := benchScanner(t).Scan(context.Background(), businessMessage())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s %s %s %d %s", f.ID, f.Part, f.Severity, f.Score, f.Detail))
	}
	want := []string{
		`lookalike-domain 1.2 suspicious 60 "pаypal.com" (xn--pypal-4ve.com) imitates paypal: lookalike letters (and 1 more)`,
		`mixed-script-domain 1.2 suspicious 30 label "pаypal" of xn--pypal-4ve.com mixes scripts`,
		`link-text-mismatch 1.2 suspicious 15 text shows "www.example.com", link goes to "t.news.example.net"`,
		`link-text-brand-mismatch 1.2 suspicious 40 text shows "www.google.com", link goes to "g00gle.com"`,
		`pdf-javascript 2 suspicious 30 PDF has /JavaScript /JS`,
		`pdf-active-content 2 info 0 PDF has /OpenAction`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func BenchmarkScan(b *testing.B) {
	s := benchScanner(b)
	m := businessMessage()
	var size int
	for _, p := range m.Parts {
		size += len(p.Content)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Scan(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanMixed runs the heuristics over the mixed set that
// bench/corpusgen writes (newsletters, invoices, replies, Office files,
// zips...), parsed and expanded as the engine does:
//
//	go run ./bench/corpusgen -out /tmp/kensa-corpus -rules 10
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench ScanMixed ./scanners/heuristic
func BenchmarkScanMixed(b *testing.B) { benchScanMsgs(b, mixedExpanded(b)) }

// BenchmarkScanZip is BenchmarkScanMixed on the zip set: a few large texts
// (the documents' XML, the PDFs' page text) more than many small parts.
func BenchmarkScanZip(b *testing.B) { benchScanMsgs(b, expanded(b, "zip5m.eml")) }

// benchScanMsgs runs the heuristics over msgs, their codes read once
// before measuring.
func benchScanMsgs(b *testing.B, msgs []*message.Message) {
	s := benchScanner(b)
	size := 0
	for _, m := range msgs {
		for _, p := range m.Parts {
			size += len(p.Content)
		}
	}
	// The 2-D codes in images are read once, before measuring: reading
	// them is QR decoding's cost (urls/qr.go), not the checks'.
	codes := make([]map[*message.Part]urls.Codes, len(msgs))
	for i, m := range msgs {
		e := newEnv(context.Background(), m, s.opts)
		if _, err := s.scan(e); err != nil {
			b.Fatal(err)
		}
		codes[i] = e.codes
	}
	b.SetBytes(int64(size))
	cputime.Each(b, len(msgs), "msg", func() {
		for i, m := range msgs {
			e := newEnv(context.Background(), m, s.opts)
			maps.Copy(e.codes, codes[i])
			if _, err := s.scan(e); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// mixedExpanded is the bench corpus's mixed set, parsed and expanded as
// the engine does.
func mixedExpanded(b *testing.B) []*message.Message {
	return expanded(b, "mixed/*.eml")
}

// expanded is the bench corpus's messages that match pattern, parsed and
// expanded as the engine does.
func expanded(b *testing.B, pattern string) []*message.Message {
	files, raws := benchcorpus.Read(b, pattern)
	var msgs []*message.Message
	for i, raw := range raws {
		m, err := message.Parse(raw)
		if err != nil {
			b.Fatalf("%s: %v", files[i], err)
		}
		unpack.Expand(context.Background(), m, unpack.Options{})
		msgs = append(msgs, m)
	}
	return msgs
}

// BenchmarkCodesMixed is the search for 2-D codes alone (urls.CodeURLs on
// every part, one budget per message, as the heuristics call it) over the
// mixed set parsed and expanded as the engine does: the share of the
// pipeline's CPU that reading pictures takes.
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench CodesMixed ./scanners/heuristic
func BenchmarkCodesMixed(b *testing.B) {
	benchCodes(b, mixedExpanded(b), true)
}

// BenchmarkCodesZip is BenchmarkCodesMixed on the zip set (a zip of PDF
// reports and scanned receipts, 40 pictures, every one searched).
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench CodesZip ./scanners/heuristic
func BenchmarkCodesZip(b *testing.B) {
	benchCodes(b, expanded(b, "zip5m.eml"), false)
}

// BenchmarkCodesMixedHTML is BenchmarkCodesMixed on the mixed set's HTML
// parts alone (newsletters, invoices, replies): what the search for drawn
// codes and image layouts costs a message's markup.
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench CodesMixedHTML ./scanners/heuristic
func BenchmarkCodesMixedHTML(b *testing.B) {
	var msgs []*message.Message
	for _, m := range mixedExpanded(b) {
		html := &message.Message{}
		for _, p := range m.Parts {
			if p.DeclaredType == "text/html" {
				html.Parts = append(html.Parts, p)
			}
		}
		if len(html.Parts) > 0 {
			msgs = append(msgs, html)
		}
	}
	if len(msgs) == 0 {
		b.Fatal("no HTML parts in the mixed set")
	}
	benchCodes(b, msgs, true)
}

// benchCodes searches msgs for codes; strict: no image may go unsearched.
func benchCodes(b *testing.B, msgs []*message.Message, strict bool) {
	cputime.Each(b, len(msgs), "msg", func() {
		for _, m := range msgs {
			budget := urls.NewCodeBudget()
			budget.InlineParts(m.Parts) // as newEnv does: an HTML body's images laid out
			for _, p := range m.Parts {
				c := urls.CodeURLs(p, budget)
				if strict && len(c.Skipped) > 0 {
					b.Fatalf("%s: %q", p.Path, c.Skipped) // nothing may be left out of the measure
				}
			}
		}
	})
}

// BenchmarkPDFMixed is what the heuristics read of the mixed set's PDFs
// (and PDFs in its zips), as they read them: each PDF's page text, then its
// codes, one budget per message, so that the two readers share the PDF's
// objects as they do in a scan.
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench PDFMixed ./scanners/heuristic
func BenchmarkPDFMixed(b *testing.B) {
	msgs := mixedExpanded(b)
	pdfs := make([][]*message.Part, len(msgs))
	for i, m := range msgs {
		for _, p := range m.Parts {
			if urls.PDFText(p) != "" {
				pdfs[i] = append(pdfs[i], p)
			}
		}
	}
	if len(slices.Concat(pdfs...)) == 0 {
		b.Fatal("the mixed set shows no PDF text")
	}
	cputime.Each(b, len(msgs), "msg", func() {
		for _, ps := range pdfs {
			budget := urls.NewCodeBudget()
			for _, p := range ps {
				budget.PDFText(p)
				if c := urls.CodeURLs(p, budget); len(c.Skipped) > 0 {
					b.Fatalf("%s: %q", p.Path, c.Skipped)
				}
			}
		}
	})
}

// BenchmarkCodesRepeated is BenchmarkCodesMixed with every part of a
// message there twice (an inline logo sent twice, a picture in a document
// and beside it): the copy is not searched again. Each copy must get
// exactly what the first got, and that what a message of the part alone
// gets: the same texts, URLs and notes.
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench CodesRepeated ./scanners/heuristic
func BenchmarkCodesRepeated(b *testing.B) {
	msgs := mixedExpanded(b)
	for _, m := range msgs {
		for _, p := range m.Parts {
			alone := urls.CodeURLs(p, urls.NewCodeBudget())
			budget := urls.NewCodeBudget()
			first := urls.CodeURLs(p, budget)
			twin := *p
			twin.Content = bytes.Clone(p.Content)
			if again := urls.CodeURLs(&twin, budget); !reflect.DeepEqual(first, alone) || !reflect.DeepEqual(again, alone) {
				b.Fatalf("%s: alone %+v, first %+v, again %+v", p.Path, alone, first, again)
			}
		}
	}
	cputime.Each(b, len(msgs), "msg", func() {
		for _, m := range msgs {
			budget := urls.NewCodeBudget()
			for range 2 {
				for _, p := range m.Parts {
					if c := urls.CodeURLs(p, budget); len(c.Skipped) > 0 {
						b.Fatalf("%s: %q", p.Path, c.Skipped)
					}
				}
			}
		}
	})
}

// BenchmarkScanHTMLAttachments runs the heuristics over the HTML parts of
// the bench corpus's mixed set (newsletters, invoices, replies) each sent
// as an attachment (newsletter.html), the way a newsletter saved as a page
// travels: the HTML checks then read it as a browser would.
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench ScanHTMLAttachments ./scanners/heuristic
func BenchmarkScanHTMLAttachments(b *testing.B) {
	s := benchScanner(b)
	var msgs []*message.Message
	size := 0
	for _, m := range mixedExpanded(b) {
		for _, p := range m.Parts {
			if p.DeclaredType == "text/html" {
				msgs = append(msgs, attach(htmlPart("2", string(p.Content), named("newsletter.html"))))
				size += len(p.Content)
			}
		}
	}
	if len(msgs) == 0 {
		b.Fatal("no HTML parts in the mixed set")
	}
	b.SetBytes(int64(size))
	cputime.Each(b, len(msgs), "msg", func() {
		for _, m := range msgs {
			if _, err := s.Scan(context.Background(), m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScanHostilePage is the most a page costs the HTML checks: an
// attachment at the size bound whose script writes, through unescape and
// atob, a page that does the same, layer upon layer, with functions that
// call each other around location assignments. Compare with one
// newsletter of BenchmarkScanHTMLAttachments.
func BenchmarkScanHostilePage(b *testing.B) { benchPage(b, hostilePage()) }

func hostilePage() string {
	var fns strings.Builder
	for i := 0; i < 2000; i++ {
		fns.WriteString("function f" + itoa(i) + "(){ f" + itoa(i+1) + "(); location.href = \"https://x.example/" + itoa(i) + "\"; }\n")
	}
	page := "<input type=password><script>" + fns.String() + "</script>"
	for len(page) < maxLayerBytes/4 {
		page = "<p>layer</p><script>document.write(unescape(\"" + url.PathEscape(page) + "\"));var b = atob(\"" +
			base64.StdEncoding.EncodeToString([]byte(page[:min(len(page), 4096)])) + "\");</script>"
	}
	return page[:min(len(page), maxContent)]
}

// BenchmarkScanFoldingPage is the most constant folding costs: a page
// whose 512 KiB of script is all that folding reads (variables assigned,
// appended and reassigned, pieces joined by +, concat, join and templates,
// strings reversed, each sent to a location), so every pass of the
// normaliser finds work. Compare with BenchmarkScanHostilePage.
func BenchmarkScanFoldingPage(b *testing.B) { benchPage(b, foldingPage()) }

// benchPage scans one message with page attached as page.html, CPU time
// per scan reported.
func benchPage(b *testing.B, page string) {
	s := benchScanner(b)
	m := attach(htmlPart("2", page, named("page.html")))
	b.SetBytes(int64(len(m.Parts[1].Content)))
	cputime.Each(b, 1, "page", func() {
		if _, err := s.Scan(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkScanEvaluatorPage is the most computing folded values costs:
// 512 KiB of script that is all loops, maps and chains the folder
// evaluates (each loop 60,000 iterations of a long expression, arrays of
// thousands of codes mapped, long strings split, replaced and reversed),
// so that it spends its whole step budget in every pass. Compare with
// BenchmarkScanFoldingPage.
func BenchmarkScanEvaluatorPage(b *testing.B) { benchPage(b, evaluatorPage()) }

func evaluatorPage() string {
	var codes strings.Builder
	for i := 0; i < 4000; i++ {
		codes.WriteString(itoa(97+i%26) + ",")
	}
	long := strings.Repeat("hxxps://evil[.]example/", 2000)
	var js strings.Builder
	for i := 0; js.Len() < maxPageJS; i++ {
		n := itoa(i)
		js.WriteString("var s" + n + " = '';\nfor (var i = 0; i < 60000; i++) { s" + n + " += String.fromCharCode(((i * 7 ^ i >> 3) % 26 + 97 & 255 | 64) - (i % 3 << 1) + " + n + " % 5); }\nlocation.href = s" + n + ";\n" +
			"location = String.fromCharCode(...[" + codes.String() + "].map(c => ((c ^ 5) + 3 - 3 ^ 5) % 128)).split('').reverse().join('');\n" +
			"location = '" + long + "'.replace(/x+/g, 'tt').replace(/\\[\\.\\]/g, '.').split('/').reverse().join('/').slice(" + n + ");\n")
	}
	return "<input type=password><script>" + js.String() + "</script>"
}

// BenchmarkScanRunnerPage is the most running code on constants costs:
// 512 KiB of script that is all statements the runner reads (decoder
// functions of several statements called with long literals, while and
// do-while loops at the top that run out of steps, recursion, loops that
// never end, blocks nested deep), so that it spends its whole budget in
// every pass. Compare with BenchmarkScanEvaluatorPage.
func BenchmarkScanRunnerPage(b *testing.B) { benchPage(b, runnerPage()) }

func runnerPage() string {
	long := strings.Repeat("iuuqt;00fwjm/fybnqmf0", 3000)
	var js strings.Builder
	for i := 0; js.Len() < maxPageJS; i++ {
		n := itoa(i)
		js.WriteString("function d" + n + "(s) { var o = \"\"; for (var i = 0; i < s.length; i++) { var c = s.charCodeAt(i); o += String.fromCharCode(c - 1); } return o; }\n" +
			"location = d" + n + "(\"" + long[:4096] + "\");\n" +
			"var k" + n + " = 0, u" + n + " = \"\"; while (k" + n + " < 60000) { u" + n + " += String.fromCharCode(k" + n + " % 26 + 97); k" + n + "++; } do { k" + n + "--; } while (k" + n + " > 0);\n" +
			"function r" + n + "(s) { var t = s + \"a\"; return r" + n + "(t) + r" + n + "(t); } location = r" + n + "(\"x\");\n" +
			"var z" + n + " = 1; for (;;) { z" + n + "++; }\n" +
			"if (1) { if (1) { if (1) { if (1) { if (1) { if (1) { var q" + n + " = [1, 2, 3].map(function (x) { return x * 2; }); } } } } } }\n")
	}
	return "<input type=password><script>" + js.String() + "</script>"
}

func foldingPage() string {
	var js strings.Builder
	for i := 0; js.Len() < maxPageJS; i++ {
		n := itoa(i)
		js.WriteString("var v" + n + " = '', w" + n + " = 'https://' + ('h" + n + "' + '.example');\nv" + n + " = w" + n + ";\nv" + n + " += '/p';\nv" + n + " = v" + n + " + '?q';\n" +
			"location.href = [\"https:\", \"\", \"j" + n + ".example\", \"p\"].join(\"/\") + \"https://\".concat(\"c\", \"" + n + "\") + `https://${w" + n + "}/t` + \"moc.elpmaxe.r" + n + "//:sptth\".split(\"\").reverse().join(\"\");\nfetch(v" + n + ");\n")
	}
	return "<input type=password><script>" + js.String() + "</script>"
}

// BenchmarkShownText reads the text every HTML part of the mixed set and
// business.eml shows (showntext.Read, what the checks that read a body's
// text parse it for):
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench ShownText ./scanners/heuristic
func BenchmarkShownText(b *testing.B) {
	var pages [][]byte
	for _, m := range append(mixedExpanded(b), expanded(b, "business.eml")...) {
		for _, p := range m.Parts {
			if urls.IsHTML(p) {
				pages = append(pages, head(p))
			}
		}
	}
	size := 0
	for _, p := range pages {
		size += len(p)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			showntext.Read(p, maxShownHTML)
		}
	}
}

// BenchmarkOfficeText reads the text of every Office document of the
// mixed set and of zip5m (officeText: its parts through showntext.XML),
// as the checks that read a document's text read it, to 64 KiB:
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench OfficeText ./scanners/heuristic
func BenchmarkOfficeText(b *testing.B) {
	msgs := append(mixedExpanded(b), expanded(b, "zip5m.eml")...)
	docs := 0
	for _, m := range msgs {
		docs += len(newEnv(context.Background(), m, Options{}).officeParts())
	}
	if docs == 0 {
		b.Fatal("no Office document in the mixed and zip sets")
	}
	cputime.Each(b, len(msgs), "msg", func() {
		for _, m := range msgs {
			e := newEnv(context.Background(), m, Options{})
			for p := range e.officeParts() {
				e.officeText(p, maxClickFixText)
			}
		}
	})
}

// BenchmarkPieceGates is what the checks that read a part's text ask of
// every HTML part's markup before it is parsed (readGates: can it name a
// callback brand, can it show ClickFix steps), over the mixed set's and
// business.eml's HTML parts, with their Subject:
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench PieceGates ./scanners/heuristic
func BenchmarkPieceGates(b *testing.B) {
	type page struct {
		subject string
		markup  []byte
	}
	var pages []page
	for _, m := range append(mixedExpanded(b), expanded(b, "business.eml")...) {
		for _, p := range m.Parts {
			if urls.IsHTML(p) {
				pages = append(pages, page{m.Subject, head(p)})
			}
		}
	}
	size := 0
	for _, p := range pages {
		size += len(p.markup)
	}
	b.SetBytes(int64(size))
	cputime.Each(b, len(pages), "page", func() {
		for _, p := range pages {
			readGates(p.subject, p.markup)
		}
	})
}

// BenchmarkPDFText is the page text of every PDF of the zip set (its
// zipped reports) and of the mixed set, as the checks read it
// (urls.PDFText: the PDF's objects read, then its pages' text):
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench PDFText ./scanners/heuristic
func BenchmarkPDFText(b *testing.B) {
	for _, set := range []struct{ name, pattern string }{{"zip", "zip5m.eml"}, {"mixed", "mixed/*.eml"}} {
		var pdfs []*message.Part
		for _, m := range expanded(b, set.pattern) {
			for _, p := range m.Parts {
				if urls.PDFText(p) != "" {
					pdfs = append(pdfs, p)
				}
			}
		}
		if len(pdfs) == 0 {
			b.Fatalf("%s: no PDF shows text", set.name)
		}
		b.Run(set.name, func(b *testing.B) {
			cputime.Each(b, len(pdfs), "pdf", func() {
				for _, p := range pdfs {
					urls.PDFText(p)
				}
			})
		})
	}
}
