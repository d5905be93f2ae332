//go:build !race

package unpack

const timeScale = 1
