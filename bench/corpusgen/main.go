// Command corpusgen writes the benchmark corpus and a large generated YARA
// rule set. Everything is harmless and made from a fixed seed: text from a
// word list, PDFs, Office documents and zips written by internal/corpus and
// its formats, JPEG photos of a drawn landscape with noise. Nothing here
// resembles malware.
//
//	go run ./bench/corpusgen -out DIR [-rules N]
//
// writes
//
//	DIR/small.eml            a 2 KB text mail
//	DIR/business.eml         text + HTML + a 200 KB PDF (about 300 KB)
//	DIR/zip5m.eml            a 5 MB zip of documents (PDF, DOCX, JPEG, CSV)
//	                         that expands to about 17 MB at every level
//	DIR/big20m.eml           a 20 MB PDF attachment
//	DIR/big10m.eml           about 10 MB (a 7.5 MiB PDF), for the memory test
//	DIR/generated-rules.yar  N public-style rules that match nothing
//	DIR/mixed/NNN-KIND.eml   the mixed set: about 50 messages shaped like a
//	                         day of business mail, 2 KB to 2 MB, about 300 KB
//	                         on average, kinds interleaved (mixed.go)
//	DIR/mixed/MIX.json       what the mixed set holds, for the report
//
// MIX.json (sizes are bytes of the whole .eml; the median is the upper one of
// an even count; kinds in a fixed order):
//
//	{"messages": 50, "total_bytes": N, "min_bytes": N, "median_bytes": N,
//	 "mean_bytes": N, "max_bytes": N,
//	 "kinds": [{"kind": "newsletter", "what": "HTML newsletter, ...",
//	            "count": 10, "total_bytes": N, "min_bytes": N,
//	            "median_bytes": N, "max_bytes": N}, ...]}
//
// KIND is one of note, reply, invite, newsletter, invoice, office, zip,
// photo (the "kind" of MIX.json).
package main

import (
	"bytes"
	"compress/zlib"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/testmail"
)

func main() {
	out := flag.String("out", "", "directory to write into")
	nrules := flag.Int("rules", 4000, "rules in generated-rules.yar")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "corpusgen: -out DIR is required")
		os.Exit(2)
	}
	if err := run(*out, *nrules); err != nil {
		fmt.Fprintln(os.Stderr, "corpusgen:", err)
		os.Exit(1)
	}
}

func run(dir string, nrules int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := &gen{r: rand.New(rand.NewPCG(20261127, 7))}
	files := map[string][]byte{
		"small.eml":           g.small(),
		"business.eml":        g.business(),
		"zip5m.eml":           g.zipMail(5 << 20),
		"big20m.eml":          g.bigMail("scan-archive-2026.pdf", 20<<20),
		"big10m.eml":          g.bigMail("site-survey-photos.pdf", 15<<19), // a message of about 10 MB
		"generated-rules.yar": g.rules(nrules),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return writeMixed(dir)
}

type gen struct{ r *rand.Rand }

var words = strings.Fields(`the quarterly report budget meeting project customer invoice delivery schedule
review team office contract supplier order shipment forecast revenue update attached please find
regards thanks agenda minutes proposal estimate warehouse logistics quality audit policy training
market analysis summary figures department approval request payment terms account balance statement
product launch campaign design draft final version comments feedback deadline friday monday next
week month year plan strategy growth sales target region north south east west central partner`)

func (g *gen) sentence() string {
	n := 6 + g.r.IntN(12)
	w := make([]string, n)
	for i := range w {
		w[i] = words[g.r.IntN(len(words))]
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ") + "."
}

func (g *gen) text(size int) string {
	var b strings.Builder
	for b.Len() < size {
		for range 3 + g.r.IntN(5) {
			b.WriteString(g.sentence() + " ")
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

func (g *gen) random(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := g.r.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

func header(subject, ctype string) string {
	return "Received: from mail.example.com (mail.example.com [192.0.2.25])\r\n\tby mx1.example.org with ESMTPS id 4XyZ1Q2; Fri, 27 Nov 2026 09:00:00 +0000\r\n" +
		"From: Alice Example <alice@example.com>\r\nTo: Bob Example <bob@example.org>\r\nSubject: " + subject + "\r\n" +
		"Date: Fri, 27 Nov 2026 09:00:00 +0000\r\nMessage-ID: <bench-" + strings.ReplaceAll(strings.ToLower(subject), " ", "-") + "@example.com>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: " + ctype + "\r\n\r\n"
}

func (g *gen) small() []byte {
	return []byte(header("Lunch on Friday", "text/plain; charset=utf-8") + crlf(g.text(2000)))
}

func (g *gen) html(size int) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Update</title></head><body>\n<table>")
	for b.Len() < size {
		fmt.Fprintf(&b, "<tr><td>%s</td><td><a href=\"https://www.example.com/projects/%d\">project %d</a></td></tr>\n<p>%s</p>\n",
			g.sentence(), g.r.IntN(9999), g.r.IntN(999), g.sentence())
	}
	b.WriteString("</table><p><a href=\"https://www.example.com/unsubscribe\">Unsubscribe</a></p></body></html>\n")
	return b.String()
}

// pdf is a PDF of text pages (deflated content streams) and "images" of
// random bytes marked DCTDecode, until it is about size bytes.
func (g *gen) pdf(size int) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [] /Count 0 >>", // kids are not needed by readers of this corpus
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
	for n := 200; n < size; {
		var content bytes.Buffer
		content.WriteString("BT /F1 10 Tf 50 780 Td 12 TL\n")
		for range 50 {
			fmt.Fprintf(&content, "(%s) '\n", g.sentence())
		}
		content.WriteString("ET\n")
		z := deflate(content.Bytes())
		objs = append(objs, formats.PDFStream("/Filter /FlateDecode", z))
		n += len(z) + 80
		if left := size - n; left > 1024 {
			img := g.random(min(left-512, 64<<10+g.r.IntN(64<<10)))
			img[0], img[1] = 0xFF, 0xD8
			objs = append(objs, formats.PDFStream("/Type /XObject /Subtype /Image /Width 640 /Height 480 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", img))
			n += len(img) + 160
		}
	}
	return formats.PDF(objs...)
}

// deflate is data in a zlib stream, compressed as PDF writers do.
func deflate(data []byte) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(data)
	zw.Close()
	return z.Bytes()
}

func attachment(ctype, name string, data []byte) string {
	return "--MIXED\r\nContent-Type: " + ctype + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name +
		"\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + testmail.Base64(data) + "\r\n"
}

func (g *gen) withText(subject string, attachments ...string) []byte {
	var b strings.Builder
	b.WriteString(header(subject, "multipart/mixed; boundary=\"MIXED\""))
	b.WriteString("This is a multi-part message in MIME format.\r\n--MIXED\r\nContent-Type: multipart/alternative; boundary=\"ALT\"\r\n\r\n")
	b.WriteString("--ALT\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + crlf(g.text(3000)) + "\r\n")
	b.WriteString("--ALT\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + crlf(g.html(20000)) + "\r\n--ALT--\r\n")
	for _, a := range attachments {
		b.WriteString(a)
	}
	b.WriteString("--MIXED--\r\n")
	return []byte(b.String())
}

func (g *gen) business() []byte {
	return g.withText("Quarterly report", attachment("application/pdf", "Q3-report.pdf", g.pdf(200<<10)))
}

// zipMail is a message with a zip of documents of about size bytes (PDFs of
// text with a logo, Word documents with a photo, scans, CSV exports). What
// Kensa reads below the zip (its members, the PDFs' streams, the Word parts)
// is about 3.4 times size.
func (g *gen) zipMail(size int) []byte {
	var entries []formats.ZipEntry
	for i, n := 0, 0; n < size; i++ {
		pdf := g.pdfDoc(80<<10+g.r.IntN(80<<10), true)
		docx := g.docxOf(100 << 10)
		scan := g.photoOf(80 << 10)
		csv := []byte(strings.ReplaceAll(g.text(80<<10), " ", ","))
		entries = append(entries, formats.ZipEntry{Name: fmt.Sprintf("reports/report-%02d.pdf", i), Data: pdf},
			formats.ZipEntry{Name: fmt.Sprintf("letters/letter-%02d.docx", i), Data: docx},
			formats.ZipEntry{Name: fmt.Sprintf("scans/receipt-%02d.jpg", i), Data: scan},
			formats.ZipEntry{Name: fmt.Sprintf("data/figures-%02d.csv", i), Data: csv})
		n += len(pdf) + len(docx) + len(scan) + len(csv)/4
	}
	return g.withText("Documents for the audit", attachment("application/zip", "audit-documents.zip", formats.ArchiveZip(true, entries...)))
}

func (g *gen) bigMail(name string, size int) []byte {
	return g.withText("Large file: "+name, attachment("application/pdf", name, g.pdf(size)))
}

// rules writes n rules in the style of public sets such as signature-base:
// text and hex strings, some regular expressions, conditions on magic bytes,
// file size and externals. Their strings are random, so they do not match.
func (g *gen) rules(n int) []byte {
	var b strings.Builder
	b.WriteString("// Generated by bench/corpusgen for benchmarks: random strings, public-set shapes.\n\n")
	token := func(min, max int) string {
		const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:"
		t := make([]byte, min+g.r.IntN(max-min+1))
		for i := range t {
			t[i] = letters[g.r.IntN(len(letters))]
		}
		return string(t)
	}
	hex := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			if i > 3 && g.r.IntN(8) == 0 {
				parts[i] = "??"
			} else {
				parts[i] = fmt.Sprintf("%02X", g.r.IntN(256))
			}
		}
		return strings.Join(parts, " ")
	}
	conditions := []string{
		"uint16(0) == 0x5a4d and filesize < 2MB and %s",
		"filesize < 5MB and %s",
		"%s",
		"uint32(0) == 0x04034b50 and %s",
		"(extension == \".exe\" or extension == \".dll\" or extension == \".js\") and %s",
		"filetype == \"PDF\" and %s",
	}
	for i := range n {
		fmt.Fprintf(&b, "rule Gen_Bench_%05d {\n  meta:\n    description = \"generated benchmark rule %d\"\n    author = \"kensa-bench\"\n    date = \"2026-11-27\"\n", i, i)
		if g.r.IntN(3) == 0 {
			fmt.Fprintf(&b, "    score = %d\n", 40+g.r.IntN(60))
		}
		b.WriteString("  strings:\n")
		ns := 2 + g.r.IntN(5)
		for j := range ns {
			switch k := g.r.IntN(10); {
			case k < 5:
				mods := []string{"ascii", "ascii wide", "fullword ascii", "ascii nocase", "wide"}[g.r.IntN(5)]
				fmt.Fprintf(&b, "    $s%d = \"%s\" %s\n", j, token(8, 28), mods)
			case k < 9:
				fmt.Fprintf(&b, "    $h%d = { %s }\n", j, hex(8+g.r.IntN(16)))
			default:
				fmt.Fprintf(&b, "    $r%d = /%s[0-9a-f]{4,16}%s/\n", j, token(6, 10), token(4, 6))
			}
		}
		of := []string{"any of them", "all of them", fmt.Sprintf("%d of them", 1+g.r.IntN(ns))}[g.r.IntN(3)]
		fmt.Fprintf(&b, "  condition:\n    "+conditions[g.r.IntN(len(conditions))]+"\n}\n\n", of)
	}
	return []byte(b.String())
}
