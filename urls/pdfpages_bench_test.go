package urls_test

import (
	"context"
	"testing"

	"github.com/kensa-milter/kensa/internal/benchcorpus"
	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
	"github.com/kensa-milter/kensa/urls"
)

// BenchmarkPDFPages is the reading of PDFs' pages alone (pdfText, their
// objects read before: PDFPagesReader), on the zip set's PDFs (the
// reports in its zip) and the mixed set's, expanded as the engine
// expands them:
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench PDFPages ./urls
func BenchmarkPDFPages(b *testing.B) {
	for _, set := range []struct{ name, pattern string }{{"zip", "zip5m.eml"}, {"mixed", "mixed/*.eml"}} {
		_, raws := benchcorpus.Read(b, set.pattern)
		var docs []func()
		for _, raw := range raws {
			m, err := message.Parse(raw)
			if err != nil {
				b.Fatal(err)
			}
			unpack.Expand(context.Background(), m, unpack.Options{})
			for _, p := range m.Parts {
				if urls.PDFText(p) != "" {
					docs = append(docs, urls.PDFPagesReader(p))
				}
			}
		}
		if len(docs) == 0 {
			b.Fatalf("%s: no PDF shows text", set.name)
		}
		b.Run(set.name, func(b *testing.B) {
			cputime.Each(b, len(docs), "pdf", func() {
				for _, read := range docs {
					read()
				}
			})
		})
	}
}
