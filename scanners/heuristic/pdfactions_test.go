package heuristic

import "testing"

// TestWordsOver: only words with an ASCII letter or digit count, so that
// padding of zero-width characters, which folding drops, cannot push a
// lure over the word limit before it is folded.
func TestWordsOver(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want bool
	}{
		{"view the document", 3, false},
		{"view the document now", 3, true},
		{"view \u200b \u200b \u200b \u200b document", 3, false},
		{"a\u200bb c  d\n\te", 3, true},
		{"документ документ документ документ", 3, false},
		{"", 0, false},
	} {
		if got := wordsOver(c.s, c.n); got != c.want {
			t.Errorf("wordsOver(%q, %d) = %v, want %v", c.s, c.n, got, c.want)
		}
	}
}
