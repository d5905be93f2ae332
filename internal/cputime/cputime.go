// Package cputime measures the CPU time of the process, for benchmarks on
// a shared machine: wall time follows whatever else runs there, while the
// CPU a piece of code costs hardly does. benchstat compares the metric
// Report adds like any other.
package cputime

import (
	"syscall"
	"testing"
	"time"
)

// Process is the user + system CPU time of the process so far, every
// thread (the garbage collector's included).
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Report adds the CPU time since start, in milliseconds per one of n
// units of work, to b's results as "cpu-ms/"+per.
func Report(b *testing.B, start time.Duration, n int, per string) {
	if n > 0 {
		b.ReportMetric(float64(Process()-start)/float64(time.Millisecond)/float64(n), "cpu-ms/"+per)
	}
}

// Each is a benchmark's loop: round does n units of work, as many times as
// b asks; allocations and the CPU time per unit ("cpu-ms/"+per) are
// reported.
func Each(b *testing.B, n int, per string, round func()) {
	b.ReportAllocs()
	start, done := Process(), 0
	for b.Loop() {
		round()
		done += n
	}
	b.StopTimer()
	Report(b, start, done, per)
}
