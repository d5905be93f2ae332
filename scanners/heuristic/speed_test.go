package heuristic

import (
	"math/rand/v2"
	"testing"
)

// TestContainsLowerAny holds the one-pass search to containsLower for
// each word, on random bytes holding the words in any case, cut, at the
// edges, with İ and the Kelvin sign, and on binary noise.
func TestContainsLowerAny(t *testing.T) {
	sets := []*lowerWords{pdfFormWords, newLowerWords("end sub", "xlink:href"), newLowerWords("<submit"), newLowerWords("ms-", "&#")}
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"İ", "\u212A", "SUB", "Sub", "submi", "ubmit", "PasswordEdİt", "passwordedit", "<SUBMIT", "end  sub",
		"xlink:", "href", "ms", "-", "&", "#", "\x00", "\xff", "a", " "}
	hits := 0
	for range 50000 {
		var b []byte
		for range r.IntN(8) {
			if r.IntN(3) == 0 {
				b = append(b, byte(r.IntN(256)))
				continue
			}
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		for _, l := range sets {
			got := containsLowerAny(b, l)
			for k, w := range l.words {
				if want := containsLower(b, w); (got&(1<<k) != 0) != want {
					t.Fatalf("containsLowerAny(%q) finds %q: %v, containsLower: %v", b, w, !want, want)
				} else if want {
					hits++
				}
			}
		}
	}
	if hits < 1000 {
		t.Fatalf("only %d words found: the test proves little", hits)
	}
}
