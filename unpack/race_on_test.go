//go:build race

package unpack

// The race detector slows inflation ten times and more.
const timeScale = 10
