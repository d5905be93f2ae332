package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// run is one measured run of one configuration, as kept in the raw results.
type run struct {
	Msgs    int           `json:"msgs"`
	Bytes   int64         `json:"bytes"`
	Elapsed time.Duration `json:"elapsed_ns"`
	Errors  int           `json:"errors,omitempty"`       // sessions that failed or were not accepted
	PeakRSS int64         `json:"peak_rss_kib,omitempty"` // KiB, VmHWM of the server during the run (0 if not measured)
	// ServerCPU is the milter process's CPU time during the run (user +
	// system, from /proc), ClientCPU the bench client's (getrusage); 0
	// where not measured.
	ServerCPU time.Duration `json:"server_cpu_ns,omitempty"`
	ClientCPU time.Duration `json:"client_cpu_ns,omitempty"`
	// Delivered counts the messages the sink received (Postfix runs), and
	// Verdicts those of them that carried X-Kensa-Verdict.
	Delivered int `json:"delivered,omitempty"`
	Verdicts  int `json:"verdicts,omitempty"`
	// Percentiles of Lat, kept even where Lat itself is not.
	P50 time.Duration `json:"p50_ns,omitempty"`
	P95 time.Duration `json:"p95_ns,omitempty"`
	P99 time.Duration `json:"p99_ns,omitempty"`
	Max time.Duration `json:"max_ns,omitempty"`
	// Lat is every message's latency, kept where a figure needs the whole
	// distribution (the added-latency confidence intervals).
	Lat []time.Duration `json:"lat_ns,omitempty"`
}

func (r run) msgsPerSec() float64 { return float64(r.Msgs) / r.Elapsed.Seconds() }
func (r run) mbPerSec() float64   { return float64(r.Bytes) / 1e6 / r.Elapsed.Seconds() }

// serverMS and clientMS are CPU ms per message done.
func (r run) serverMS() float64 { return ms(r.ServerCPU) / float64(r.Msgs) }
func (r run) clientMS() float64 { return ms(r.ClientCPU) / float64(r.Msgs) }

// tail is the run's p99 over its p50.
func (r run) tail() float64 { return float64(r.pct(99)) / float64(r.pct(50)) }

// summarized fills the percentiles and drops the latencies unless keep.
func (r run) summarized(keep bool) run {
	r.P50, r.P95, r.P99, r.Max = percentile(r.Lat, 50), percentile(r.Lat, 95), percentile(r.Lat, 99), percentile(r.Lat, 100)
	if !keep {
		r.Lat = nil
	}
	return r
}

// pct is the p-th percentile (50, 95, 99 or 100) of the run's latencies.
func (r run) pct(p float64) time.Duration {
	if len(r.Lat) > 0 {
		return percentile(r.Lat, p)
	}
	switch p {
	case 50:
		return r.P50
	case 95:
		return r.P95
	case 99:
		return r.P99
	case 100:
		return r.Max
	}
	panic(fmt.Sprintf("percentile %v of a run without latencies", p))
}

// percentile is the p-th percentile (0..100) of lat, nearest rank.
func percentile(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	l := slices.Clone(lat)
	slices.Sort(l)
	i := int(p/100*float64(len(l))+0.5) - 1
	return l[min(max(i, 0), len(l)-1)]
}

// figure is a median over several runs with its spread.
type figure struct{ med, lo, hi float64 }

func over(runs []run, f func(run) float64) figure {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = f(r)
	}
	return figureOf(v)
}

// pairs is f over the runs of a and b taken pairwise (run i of a with run
// i of b, measured back to back), as a figure.
func pairs(a, b []run, f func(a, b run) float64) figure {
	var v []float64
	for i := range min(len(a), len(b)) {
		v = append(v, f(a[i], b[i]))
	}
	return figureOf(v)
}

// figureOf is the median and spread of values.
func figureOf(values []float64) figure {
	v := slices.Clone(values)
	slices.Sort(v)
	if len(v) == 0 {
		return figure{}
	}
	m := v[len(v)/2]
	if len(v)%2 == 0 {
		m = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return figure{med: m, lo: v[0], hi: v[len(v)-1]}
}

// String is "median (min–max)" with the precision the size asks for.
func (f figure) String() string { return f.format("") }

func (f figure) format(unit string) string {
	return fmt.Sprintf("%s%s (%s–%s)", num(f.med), unit, num(f.lo), num(f.hi))
}

// num prints x with the precision its size asks for.
func num(x float64) string {
	switch a := math.Abs(x); {
	case a >= 100:
		return fmt.Sprintf("%.0f", x)
	case a >= 10:
		return fmt.Sprintf("%.1f", x)
	default:
		return fmt.Sprintf("%.2f", x)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// interval is an estimate with a 95% confidence interval.
type interval struct{ est, lo, hi float64 }

// p99Difference is the p99 of b's latencies minus a's (pooled over the
// runs), with a 95% bootstrap confidence interval: 2000 resamples of each
// side, from a fixed seed so that the report is the same every time it is
// computed from the same raw data.
func p99Difference(a, b []run) interval {
	var la, lb []time.Duration
	for _, r := range a {
		la = append(la, r.Lat...)
	}
	for _, r := range b {
		lb = append(lb, r.Lat...)
	}
	if len(la) == 0 || len(lb) == 0 {
		return interval{math.NaN(), math.NaN(), math.NaN()}
	}
	slices.Sort(la)
	slices.Sort(lb)
	est := ms(percentile(lb, 99)) - ms(percentile(la, 99))
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 2000
	diffs := make([]float64, n)
	ca, cb := make([]int32, len(la)), make([]int32, len(lb))
	for i := range diffs {
		diffs[i] = resampledP99(lb, cb, rng) - resampledP99(la, ca, rng)
	}
	slices.Sort(diffs)
	return interval{est, diffs[n*25/1000], diffs[n*975/1000-1]}
}

// resampledP99 is the p99 (nearest rank, as percentile) of a resample with
// replacement of sorted, in ms: it draws len(sorted) indices, counts them,
// and walks the counts to the rank, so no resample is sorted.
func resampledP99(sorted []time.Duration, counts []int32, rng *rand.Rand) float64 {
	n := len(sorted)
	clear(counts)
	for range n {
		counts[rng.IntN(n)]++
	}
	rank := min(max(int(0.99*float64(n)+0.5)-1, 0), n-1)
	seen := 0
	for i, c := range counts {
		seen += int(c)
		if seen > rank {
			return ms(sorted[i])
		}
	}
	return ms(sorted[n-1])
}

// slope fits y = a + b·x by least squares and returns b with its 95%
// confidence interval (Student's t for n-2 degrees of freedom).
func slope(x, y []float64) interval {
	n := float64(len(x))
	if len(x) < 3 {
		return interval{math.NaN(), math.NaN(), math.NaN()}
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxx, sxy float64
	for i := range x {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
	}
	if sxx == 0 {
		return interval{math.NaN(), math.NaN(), math.NaN()}
	}
	b := sxy / sxx
	var sse float64
	for i := range x {
		r := y[i] - (my + b*(x[i]-mx))
		sse += r * r
	}
	se := math.Sqrt(sse / (n - 2) / sxx)
	t := tQuantile975(len(x) - 2)
	return interval{b, b - t*se, b + t*se}
}

// tQuantile975 is the 97.5th percentile of Student's t with df degrees of
// freedom (the two-sided 95% interval).
func tQuantile975(df int) float64 {
	table := []float64{0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
		2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
		2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042}
	switch {
	case df < 1:
		return math.Inf(1)
	case df < len(table):
		return table[df]
	case df < 60:
		return 2.021
	case df < 120:
		return 2.000
	}
	return 1.980
}
