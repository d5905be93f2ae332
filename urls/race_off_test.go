//go:build !race

package urls

// raceStride: see race_on_test.go.
const raceStride = 1
