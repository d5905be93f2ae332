//go:build !race

package urls

// raceStride: see race_on_test.go.
const raceStride = 1

// timeScale: see race_on_test.go.
const timeScale = 1
