package main

import (
	"fmt"
	"slices"
	"time"
)

// run is one measured run of one configuration.
type run struct {
	Msgs    int
	Bytes   int64
	Elapsed time.Duration
	Lat     []time.Duration // per message
	Errors  int             // sessions that failed or were not accepted
	PeakRSS int64           // KiB, VmHWM of the server during the run (0 if not measured)
}

func (r run) msgsPerSec() float64 { return float64(r.Msgs) / r.Elapsed.Seconds() }
func (r run) mbPerSec() float64   { return float64(r.Bytes) / 1e6 / r.Elapsed.Seconds() }

// pct is the p-th percentile (0..100) of the latencies, nearest rank.
func (r run) pct(p float64) time.Duration {
	if len(r.Lat) == 0 {
		return 0
	}
	l := slices.Clone(r.Lat)
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
	p := func(x float64) string {
		switch {
		case x >= 100:
			return fmt.Sprintf("%.0f", x)
		case x >= 10:
			return fmt.Sprintf("%.1f", x)
		default:
			return fmt.Sprintf("%.2f", x)
		}
	}
	return fmt.Sprintf("%s%s (%s–%s)", p(f.med), unit, p(f.lo), p(f.hi))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
