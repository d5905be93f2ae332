package message

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// pdfish is a PDF-like attachment of about n bytes: a header, then
// streams of incompressible bytes, as compressed PDF content is.
func pdfish(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := append([]byte(nil), pdfBytes()...)
	for obj := 2; len(b) < n; obj++ {
		b = append(b, "\n"+strings.Repeat("0", 3)+" 0 obj << /Length 4096 /Filter /FlateDecode >>\nstream\n"...)
		for i := 0; i < 4096; i++ {
			b = append(b, byte(r.Uint32()))
		}
		b = append(b, "\nendstream\nendobj\n"...)
	}
	return b
}

// typicalMail is everyday business mail: a text and an HTML alternative
// and a ~200 KB PDF, the attachment nested levels deep (0: directly in
// the top multipart/mixed).
func typicalMail(levels int) []byte {
	body := multipart("alternative",
		text(strings.Repeat("Please find attached the invoice for November. Regards, Alice\r\n", 30)),
		html("<html><body>"+strings.Repeat("<p>Please find attached the <b>invoice</b> for November.</p>\r\n", 90)+"</body></html>"))
	att := attachment("application/pdf", "invoice.pdf", pdfish(200<<10))
	for i := 0; i < levels; i++ {
		att = multipart("mixed", text("level"), att)
	}
	return []byte(top("invoice", multipart("mixed", body, att)))
}

func BenchmarkParse(b *testing.B) {
	cases := []struct {
		name string
		raw  []byte
	}{
		{"typical", typicalMail(0)},
		{"nested3", typicalMail(3)},
		{"binary1MiB", []byte(top("bench", multipart("mixed",
			multipart("alternative", text("Please find the invoice."), html("<html><body>invoice</body></html>")),
			attachment("application/octet-stream", "big.bin", bytes.Repeat([]byte("0123456789abcdef"), 1<<16)))))},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(c.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The benchmark's mails parse as intended.
func TestBenchmarkMails(t *testing.T) {
	for levels, want := range []string{"1.1 1.2 2", "", "", "1.1 1.2 2.1 2.2.1 2.2.2.1 2.2.2.2"} {
		if want == "" {
			continue
		}
		m, err := Parse(typicalMail(levels))
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, p := range m.Parts {
			paths = append(paths, p.Path)
		}
		if got := strings.Join(paths, " "); got != want || len(m.Problems) != 0 {
			t.Errorf("levels %d: paths %q, problems %+v; want %q and none", levels, got, m.Problems, want)
		}
		last := m.Parts[len(m.Parts)-1]
		if last.DetectedType != "application/pdf" || len(last.Content) < 200<<10 {
			t.Errorf("levels %d: last part %s, %d bytes", levels, last.DetectedType, len(last.Content))
		}
	}
}
