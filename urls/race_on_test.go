//go:build race

package urls

// raceStride thins the slowest comparisons with gozxing under the race
// detector, which slows gozxing's readers tenfold: every raceStride-th case
// runs there, every case in a run without it (and in the fuzz smoke).
const raceStride = 3

// timeScale widens the few bounds on wall-clock time (a guard against a
// blow-up, never a speed test) for the race detector's slowdown.
const timeScale = 10
