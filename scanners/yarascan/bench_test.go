package yarascan

import (
	"context"
	"testing"

	"github.com/kensa-milter/kensa/internal/benchcorpus"
	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// Scan alone, with the built-in pack and the default whole-message trim,
// on the benchmark corpus (bench/corpusgen, $KENSA_BENCH_CORPUS), parsed
// and unpacked once as the engine does. Besides wall time it reports
// cpu-ms/msg and KiB/msg, the bytes handed to libyara per message (each
// part once, twins once, and the whole message as trimmed): MB/s is over
// those bytes.
func BenchmarkScanMixed(b *testing.B) { benchScan(b, "mixed/*.eml") }
func BenchmarkScanZip5m(b *testing.B) { benchScan(b, "zip5m.eml") }

func benchScan(b *testing.B, pattern string) {
	_, raws := benchcorpus.Read(b, pattern)
	s, errs, err := New(Options{Builtin: true, RawBase64Keep: TrimmedKeep})
	if err != nil || len(errs) > 0 {
		b.Fatal(err, errs)
	}
	var msgs []*message.Message
	scanned := 0
	for _, raw := range raws {
		m, err := message.Parse(raw)
		if err != nil {
			b.Fatal(err)
		}
		unpack.Expand(context.Background(), m, unpack.Options{})
		msgs = append(msgs, m)
		for i, j := range s.twins(m.Parts, partVarsOf(m)) {
			if j < 0 {
				scanned += len(m.Parts[i].Content)
			}
		}
		scanned += len(WholeMessage(m, TrimmedKeep))
	}
	b.SetBytes(int64(scanned))
	cpu0, n := cputime.Process(), 0
	for b.Loop() {
		for _, m := range msgs {
			if _, err := s.Scan(context.Background(), m); err != nil {
				b.Fatal(err)
			}
		}
		n += len(msgs)
	}
	cputime.Report(b, cpu0, n, "msg")
	b.ReportMetric(float64(scanned)/1024/float64(len(msgs)), "KiB/msg")
}
