package urls

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/message"
)

// Inputs shaped like typical business mail: a newsletter-style HTML body with
// 60 links, a text body with a few, and a 200 KB PDF of random "image"
// streams with a few /URI actions.

func benchWords(r *rand.Rand) string {
	words := strings.Fields("the quarterly report budget meeting project customer invoice delivery schedule review team office")
	w := make([]string, 8+r.IntN(10))
	for i := range w {
		w[i] = words[r.IntN(len(words))]
	}
	return strings.Join(w, " ") + "."
}

func benchHTML() []byte {
	r := rand.New(rand.NewPCG(1, 2))
	hosts := []string{"www.example.com", "cdn.example.com", "shop.example.com", "www.linkedin.com", "twitter.com",
		"xn--pypal-4ve.com", "docs.example.org", "g00gle.com"}
	var h strings.Builder
	h.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Update</title></head><body><table>` + "\n")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&h, "<tr><td class=\"c%d\">%s</td><td><a href=\"https://%s/p/%d?utm_source=mail&amp;x=1\">%s</a></td></tr>\n<p>%s</p>\n",
			i%4, benchWords(r), hosts[i%len(hosts)], r.IntN(9999), []string{"project", "www.example.com", "Read more"}[i%3], benchWords(r))
	}
	h.WriteString(`<img src="https://cdn.example.com/logo.png"><p><a href="mailto:a@example.com">mail</a></p></table></body></html>`)
	return []byte(h.String())
}

func benchText() []byte {
	r := rand.New(rand.NewPCG(3, 4))
	var t strings.Builder
	for t.Len() < 3000 {
		t.WriteString(benchWords(r) + " " + benchWords(r) + "\n\n")
		if t.Len() > 1000 && t.Len() < 1200 {
			t.WriteString("Minutes: https://wiki.example.com/minutes/2026-01 and www.example.org/agenda.\n")
		}
	}
	t.WriteString("Alice | https://www.example.com | +1 555 0100\n")
	return []byte(t.String())
}

func benchPDF() []byte {
	r := rand.New(rand.NewPCG(5, 6))
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /OpenAction 2 0 R >>\nendobj\n")
	b.WriteString("2 0 obj\n<< /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n")
	for i := 0; b.Len() < 160<<10; i++ { // about 200 KB in all
		fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://www.example.com/r/%d) >> >>\nendobj\n", 3+2*i, i)
		img := make([]byte, 32<<10+r.IntN(32<<10))
		for j := range img {
			img[j] = byte(r.Uint32())
		}
		fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XObject /Subtype /Image /Filter /DCTDecode /Length %d >>\nstream\n", 4+2*i, len(img))
		b.Write(img)
		b.WriteString("\nendstream\nendobj\n")
	}
	b.WriteString("trailer\n<< /Root 1 0 R >>\n%%EOF\n")
	return b.Bytes()
}

func benchExtract(b *testing.B, p *message.Part, want int) {
	if n := len(Extract(p)); n != want {
		b.Fatalf("%d URLs, want %d", n, want)
	}
	b.SetBytes(int64(len(p.Content)))
	b.ReportAllocs()
	for b.Loop() {
		Extract(p)
	}
}

func BenchmarkExtractHTML(b *testing.B) {
	benchExtract(b, &message.Part{Path: "1.2", DeclaredType: "text/html", Content: benchHTML()}, 63)
}

func BenchmarkExtractText(b *testing.B) {
	benchExtract(b, &message.Part{Path: "1.1", DeclaredType: "text/plain", Content: benchText()}, 3)
}

func BenchmarkExtractPDF(b *testing.B) {
	benchExtract(b, &message.Part{Path: "2", Filename: "report.pdf", DeclaredType: "application/pdf", Content: benchPDF()}, 4)
}

func BenchmarkPDFNameValues(b *testing.B) {
	pdf := benchPDF()
	b.SetBytes(int64(len(pdf)))
	b.ReportAllocs()
	for b.Loop() {
		PDFNameValues(pdf, "URI", MaxPerPart)
	}
}

// BenchmarkPDFName reads every name of the PDF, as the heuristics do.
func BenchmarkPDFName(b *testing.B) {
	pdf := benchPDF()
	b.SetBytes(int64(len(pdf)))
	b.ReportAllocs()
	for b.Loop() {
		for i := 0; i < len(pdf); i++ {
			if pdf[i] == '/' {
				_, end := PDFName(pdf, i)
				i = end - 1
			}
		}
	}
}

var benchHosts = []string{"www.example.com", "cdn.example.com", "mail.google.com", "xn--pypal-4ve.com",
	"www.rnicrosoft.com", "login.microsoftonline.com", "t.news.example.net", "g00gle.com"}

func BenchmarkLookalike(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, h := range benchHosts {
			Lookalike(h)
		}
	}
}

func BenchmarkSkeleton(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, h := range benchHosts {
			Skeleton(h)
		}
	}
}

func BenchmarkMixedScript(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, h := range benchHosts {
			MixedScript(h)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, h := range benchHosts {
			Parse("https://" + h + "/p/1?utm_source=mail")
		}
	}
}

// PDFPagesReader is the reading of p's pages alone (pdfText), its objects
// read now, for BenchmarkPDFPages.
func PDFPagesReader(p *message.Part) func() {
	d := (*CodeBudget)(nil).pdfDoc(p, textReading)
	return func() { pdfText(d, time.Now().Add(time.Minute)) }
}
