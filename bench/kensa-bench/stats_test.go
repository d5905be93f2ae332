package main

import (
	"testing"
	"time"
)

func TestPercentiles(t *testing.T) {
	var r run
	for i := 1; i <= 100; i++ {
		r.Lat = append(r.Lat, time.Duration(101-i)*time.Millisecond) // unsorted on purpose
	}
	for _, tt := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {95, 95 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := r.pct(tt.p); got != tt.want {
			t.Errorf("pct(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if (run{}).pct(99) != 0 {
		t.Error("percentile of no latencies is not 0")
	}
}

func TestMedianAndSpread(t *testing.T) {
	runs := []run{{Msgs: 30, Elapsed: time.Second}, {Msgs: 10, Elapsed: time.Second}, {Msgs: 20, Elapsed: time.Second}}
	f := over(runs, run.msgsPerSec)
	if f.med != 20 || f.lo != 10 || f.hi != 30 {
		t.Errorf("over = %+v, want median 20 from 10 to 30", f)
	}
	if s := f.String(); s != "20.0 (10.0–30.0)" {
		t.Errorf("String = %q", s)
	}
	if f := over(runs[:2], run.msgsPerSec); f.med != 20 {
		t.Errorf("median of two = %v, want their mean", f.med)
	}
}
