package heuristic

import "strings"

// literals is a set of words (two bytes or more each) that in looks for
// in one reading of a text: each place's two bytes are looked up in a
// table of the words' first two, and a word is compared only where one
// may start. strings.Contains for each word read the text once a word,
// stopping at every occurrence of its first byte (a "c" or a "p").
type literals struct {
	first [1 << 16 / 64]uint64 // bit b0 | b1<<8: a word starts with b0, b1
	words []string
	keys  []uint16 // each word's first two bytes, as first holds them
}

func newLiterals(words ...string) *literals {
	l := &literals{words: words}
	for _, w := range words {
		if len(w) < 2 {
			panic("heuristic: literal " + w + " is shorter than two bytes")
		}
		k := uint(w[0]) | uint(w[1])<<8
		l.first[k/64] |= 1 << (k % 64)
		l.keys = append(l.keys, uint16(k))
	}
	return l
}

// in says whether text holds one of l's words.
func (l *literals) in(text string) bool {
	for i := 0; i+1 < len(text); i++ {
		k := uint(text[i]) | uint(text[i+1])<<8
		if l.first[k/64]&(1<<(k%64)) != 0 && l.at(text[i:], uint16(k)) {
			return true
		}
	}
	return false
}

// at: text, which starts with key's two bytes, starts with one of l's
// words.
func (l *literals) at(text string, key uint16) bool {
	for n, w := range l.words {
		if l.keys[n] == key && strings.HasPrefix(text, w) {
			return true
		}
	}
	return false
}

// load64 is text's first eight bytes, little-endian.
func load64(text string) uint64 {
	_ = text[7]
	return uint64(text[0]) | uint64(text[1])<<8 | uint64(text[2])<<16 | uint64(text[3])<<24 |
		uint64(text[4])<<32 | uint64(text[5])<<40 | uint64(text[6])<<48 | uint64(text[7])<<56
}
