package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// The index phase runs the known package's similarity-index benchmarks
// (known/index_test.go: BenchmarkIndex10k, 100k and 1M, on synthetic TLSH
// digests) from their compiled test binary on one core, once per run, and
// keeps every metric they report.

// indexSizes are the known-set sizes benchmarked, as the benchmarks name them.
var indexSizes = []struct {
	name    string
	digests int
}{{"10k", 10_000}, {"100k", 100_000}, {"1M", 1_000_000}}

// indexRow is one known-set size over the runs.
type indexRow struct {
	Digests int
	Runs    []indexRun
}

// indexRun is one benchmark run's metrics.
type indexRun struct {
	LookupNS float64 // CPU ns per index lookup
	LinearNS float64 // CPU ns per linear-scan lookup (the baseline)
	Matches  int     // lookups of the recall sample the linear scan finds a match for
	Recall   float64 // percent of those the index finds at the same distance
}

// runIndexBench runs the benchmarks runs times and returns one row per size.
func runIndexBench(testBin string, runs int) ([]indexRow, error) {
	cmd := exec.Command(testBin, "-test.run", "^$", "-test.bench", "^BenchmarkIndex(10k|100k|1M)$",
		"-test.cpu", "1", "-test.count", strconv.Itoa(runs))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w\n%s%s", testBin, err, out, stderr.Bytes())
	}
	rows, err := parseIndexBench(out)
	if err != nil {
		return nil, fmt.Errorf("%s: %w\n%s", testBin, err, out)
	}
	for _, row := range rows {
		if len(row.Runs) != runs {
			return nil, fmt.Errorf("%s: %d digests: %d runs, want %d\n%s", testBin, row.Digests, len(row.Runs), runs, out)
		}
	}
	return rows, nil
}

// parseIndexBench reads `go test -bench` output lines such as
//
//	BenchmarkIndex1M  5824  218969 ns/op  105542 cpu-ns/op  33661141 linear-cpu-ns/op  114.0 matches  100.0 recall-%
func parseIndexBench(out []byte) ([]indexRow, error) {
	var rows []indexRow
	for _, s := range indexSizes {
		rows = append(rows, indexRow{Digests: s.digests})
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || !strings.HasPrefix(f[0], "BenchmarkIndex") {
			continue
		}
		name := strings.TrimPrefix(f[0], "BenchmarkIndex")
		row := -1
		for i, s := range indexSizes {
			if name == s.name {
				row = i
			}
		}
		if row < 0 {
			continue
		}
		metrics := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", sc.Text(), err)
			}
			metrics[f[i+1]] = v
		}
		for _, unit := range []string{"cpu-ns/op", "linear-cpu-ns/op", "matches", "recall-%"} {
			if _, ok := metrics[unit]; !ok {
				return nil, fmt.Errorf("%q: no %s", sc.Text(), unit)
			}
		}
		rows[row].Runs = append(rows[row].Runs, indexRun{LookupNS: metrics["cpu-ns/op"], LinearNS: metrics["linear-cpu-ns/op"],
			Matches: int(metrics["matches"]), Recall: metrics["recall-%"]})
	}
	for _, row := range rows {
		if len(row.Runs) == 0 {
			return nil, fmt.Errorf("no result for %d digests", row.Digests)
		}
	}
	return rows, nil
}

// Limits of the similarity-index target (issue 15), at a million digests.
const (
	goalIndexLookupMS = 1.0  // ms of CPU per lookup
	goalIndexRecall   = 99.0 // percent of a linear scan's matches
)

// indexTarget is the similarity index's row of the targets table.
func (r *report) indexTarget(p func(string, ...any), yes func(bool) string) {
	for _, row := range r.Index {
		if row.Digests != 1_000_000 {
			continue
		}
		l := figureOf(indexValues(row.Runs, func(x indexRun) float64 { return x.LookupNS / 1e6 }))
		rc := figureOf(indexValues(row.Runs, func(x indexRun) float64 { return x.Recall }))
		p("| similarity lookup among 1,000,000 known digests, one core | < %s ms CPU per lookup and recall ≥ %s%% of a linear scan's matches, in every run | %s ms per lookup; recall %s | %s |",
			num(goalIndexLookupMS), num(goalIndexRecall), l, rc.format("%"), yes(l.hi < goalIndexLookupMS && rc.lo >= goalIndexRecall))
	}
}

func indexValues(runs []indexRun, f func(indexRun) float64) []float64 {
	var v []float64
	for _, x := range runs {
		v = append(v, f(x))
	}
	return v
}

// indexSection is the similarity index's table.
func (r *report) indexSection(p func(string, ...any)) {
	if len(r.Index) == 0 {
		return
	}
	p("## Similarity index: lookups among many known digests")
	p("")
	p("The known package's benchmarks (`BenchmarkIndex10k`, `100k`, `1M` in known/index_test.go), run from their test binary on one core (`-test.cpu 1`), once per run. The known set is synthetic TLSH digests shaped like real ones (lengths log-uniform from 256 bytes to 10 MB); the lookups are half planted variants of a known digest, half unrelated, at the default `similarity.threshold`. CPU time per lookup (getrusage), not wall time. The baseline is a linear scan (the TLSH distance to every digest) over the first lookups, in the same run; *recall* is the share of the linear scan's matches among them that the index finds at the same distance, out of *matches*.")
	p("")
	p("| known digests | index µs CPU per lookup | linear scan µs CPU per lookup | linear scan ÷ index | matches | recall |")
	p("|---:|---:|---:|---:|---:|---:|")
	for _, row := range r.Index {
		f := func(g func(indexRun) float64) figure { return figureOf(indexValues(row.Runs, g)) }
		p("| %s | %s | %s | %s | %s | %s |", thousands(row.Digests),
			f(func(x indexRun) float64 { return x.LookupNS / 1e3 }), f(func(x indexRun) float64 { return x.LinearNS / 1e3 }),
			f(func(x indexRun) float64 { return x.LinearNS / x.LookupNS }).format("×"),
			f(func(x indexRun) float64 { return float64(x.Matches) }), f(func(x indexRun) float64 { return x.Recall }).format("%"))
	}
	p("")
}

// thousands is n with commas: 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
