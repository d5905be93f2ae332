// Command gen writes Kensa's test corpus, testdata/corpus/{malicious,clean}/*.eml,
// from package internal/corpus (all but the samples carrying the EICAR test
// string, which the corpus test builds for itself). Run it from the
// repository root:
//
//	go run ./testdata/gen
//
// The output is deterministic and committed; cmd/kensa's corpus test fails
// when the committed files differ from what the generator makes.
package main

import (
	"fmt"
	"os"

	"github.com/kensa-milter/kensa/internal/corpus"
)

func main() {
	samples, err := corpus.Samples(".")
	if err == nil {
		samples = corpus.Committed(samples)
		err = corpus.Write("testdata/corpus", samples)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	bad := 0
	for _, s := range samples {
		if !s.Clean {
			bad++
		}
	}
	fmt.Printf("testdata/corpus: %d malicious, %d clean samples\n", bad, len(samples)-bad)
}
