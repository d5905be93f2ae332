//go:build race

package unpack

// The race detector slows inflation five to ten times.
const timeScale = 6
