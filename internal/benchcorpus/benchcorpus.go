// Package benchcorpus reads, for benchmarks, the corpus bench/corpusgen
// writes, from the directory $KENSA_BENCH_CORPUS names:
//
//	go run ./bench/corpusgen -out /tmp/kensa-corpus -rules 10
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench . ./PACKAGE
package benchcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Read returns the names and bytes of the corpus files matching pattern
// (e.g. "mixed/*.eml"). The benchmark is skipped when $KENSA_BENCH_CORPUS is
// not set, and fails when nothing matches.
func Read(b *testing.B, pattern string) (names []string, raws [][]byte) {
	b.Helper()
	dir := os.Getenv("KENSA_BENCH_CORPUS")
	if dir == "" {
		b.Skip("KENSA_BENCH_CORPUS is not set: write the corpus with go run ./bench/corpusgen -out DIR")
	}
	names, _ = filepath.Glob(filepath.Join(dir, pattern))
	if len(names) == 0 {
		b.Fatalf("no %s in %s", pattern, dir)
	}
	for _, f := range names {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, raw)
	}
	return names, raws
}
