package heuristic

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestLiterals holds literals.in to strings.Contains of each word, on
// random texts of the words, pieces of them and other bytes, the words
// at the text's edges and sharing their first bytes.
func TestLiterals(t *testing.T) {
	words := []string{"ctrl", "strg", "control", "cmd", "command", "\u2318", "past", "coll", "cole", "colar", "peg", "wklej", "ab"}
	l := newLiterals(words...)
	r := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"c", "co", "col", "comm", "contro", "ctr", "st", "str", "pas", "pe", "wkle", "a", "b", "\u2318"[:2], "\u2318"[1:], "\u229e", " ", "\x00", "\xff"}
	pieces = append(pieces, words...)
	hits := 0
	for range 100000 {
		var b strings.Builder
		for range r.IntN(10) {
			if r.IntN(4) == 0 {
				b.WriteByte(byte(r.IntN(256)))
				continue
			}
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		want := slices.ContainsFunc(words, func(w string) bool { return strings.Contains(text, w) })
		if got := l.in(text); got != want {
			t.Fatalf("in(%q) = %v, want %v", text, got, want)
		}
		if want {
			hits++
		}
	}
	if hits < 10000 || hits > 90000 {
		t.Fatalf("%d texts of 100000 hold a word: the test proves little", hits)
	}
}

// TestFoldASCIILong holds foldASCII to foldUnicode on long texts of every
// ASCII byte (across its stretches and their eight-byte words), and sees
// it refuse a text whose only byte past ASCII is anywhere.
func TestFoldASCIILong(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 200 {
		b := make([]byte, r.IntN(3000))
		for i := range b {
			b[i] = byte(r.IntN(0x80))
		}
		if a, ok := foldASCII(string(b)); !ok || a != foldUnicode(string(b)) {
			t.Fatalf("foldASCII(%q) = %q, %v; foldUnicode %q", b, a, ok, foldUnicode(string(b)))
		}
		if len(b) > 0 {
			b[r.IntN(len(b))] = byte(0x80 + r.IntN(0x80))
			if _, ok := foldASCII(string(b)); ok {
				t.Fatalf("foldASCII folds %q", b)
			}
		}
	}
}
