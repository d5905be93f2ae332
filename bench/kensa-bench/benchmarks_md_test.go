package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BENCHMARKS.md is what the raw results in bench/results compute to, byte
// for byte: no figure in it was typed, pasted from another run or edited
// after the run.
func TestBenchmarksAreComputedFromTheRawResults(t *testing.T) {
	r, path, err := loadResults("../results")
	if err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs("../..")
	abs, _ := filepath.Abs(path)
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		t.Fatal(err)
	}
	want := r.markdown(filepath.ToSlash(rel))
	got, err := os.ReadFile("../../BENCHMARKS.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) == want {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("BENCHMARKS.md line %d is not what %s computes to (go run ./bench/kensa-bench -render):\n got: %s\nwant: %s", i+1, rel, gl, wl)
		}
	}
}
