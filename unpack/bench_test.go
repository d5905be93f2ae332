package unpack

import (
	"context"
	"testing"

	"github.com/kensa-milter/kensa/internal/benchcorpus"
	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
)

// Expand alone on the benchmark corpus (bench/corpusgen, $KENSA_BENCH_CORPUS),
// with the default limits. Each message is parsed once; every pass unpacks
// a copy of its parts. Besides wall time it reports cpu-ms/msg, which
// hardly moves when other work shares the machine (see cmd/kensa's
// pipeline benchmarks), and the expanded bytes as MB/s.
func BenchmarkExpandMixed(b *testing.B) { benchExpand(b, "mixed/*.eml") }
func BenchmarkExpandZip5m(b *testing.B) { benchExpand(b, "zip5m.eml") }

func benchExpand(b *testing.B, pattern string) {
	_, raws := benchcorpus.Read(b, pattern)
	var msgs []*message.Message
	expanded := 0
	for _, raw := range raws {
		m, err := message.Parse(raw)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, m)
		c := fresh(m)
		Expand(context.Background(), c, Options{})
		for _, p := range c.Parts {
			expanded += len(p.Content)
		}
	}
	b.SetBytes(int64(expanded))
	cputime.Each(b, len(msgs), "msg", func() {
		for _, m := range msgs {
			Expand(context.Background(), fresh(m), Options{})
		}
	})
}

// fresh is a copy of a parsed message for Expand to add to: the parts are
// copied (Expand marks containers), their contents shared (it only reads
// them).
func fresh(m *message.Message) *message.Message {
	c := *m
	c.Parts = make([]*message.Part, len(m.Parts))
	for i, p := range m.Parts {
		q := *p
		c.Parts[i] = &q
	}
	c.Problems = append([]message.Problem(nil), m.Problems...)
	return &c
}
