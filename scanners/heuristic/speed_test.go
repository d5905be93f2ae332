package heuristic

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/kensa-milter/kensa/internal/cputime"
)

// TestContainsLowerAny holds the one-pass search to containsLower for
// each word, on random bytes holding the words in any case, cut, at the
// edges, with İ and the Kelvin sign, and on binary noise.
func TestContainsLowerAny(t *testing.T) {
	sets := []*lowerWords{pdfFormWords, vbaEnds, newLowerWords("end sub", "xlink:href"), newLowerWords("<submit"), newLowerWords("ms-", "&#")}
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"İ", "\u212A", "SUB", "Sub", "submi", "ubmit", "PasswordEdİt", "passwordedit", "<SUBMIT", "end  sub", "END SUB", "End Functİon", "end fun", "ction", "e",
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

// TestLoweredContains holds lowered.contains to bytes.Contains, the same
// questions asked again (and answered from what was asked before) and the
// text set again between them.
func TestLoweredContains(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	cell := `<c r="A1" t="inlineStr"><is><t>x</t></is></c>`
	pats := []string{"instr", "ns", "end sub", "inlinestr", "</c><c", "xlink:href", "file:", "t>x<", "z", "is><t", "a1\""}
	var l lowered
	found := 0
	for n := range 400 {
		b := []byte(`<worksheet xmlns="s">`)
		for range r.IntN(200) {
			if r.IntN(50) == 0 {
				b = append(b, pats[r.IntN(len(pats))]...)
			}
			b = append(b, cell...)
		}
		l.set(b)
		for range 2 {
			for _, pat := range pats {
				got, want := l.contains(pat), bytes.Contains(l.b, []byte(pat))
				if got != want {
					t.Fatalf("text %d: contains(%q) = %v, want %v", n, pat, got, want)
				}
				if got {
					found++
				}
			}
		}
	}
	if found < 1000 {
		t.Fatalf("only %d answers were yes: the test proves little", found)
	}
}

// TestIndexPair holds indexPair to bytes.Index on random texts of few
// letters (every byte dense), at every start, with matches cut at the
// text's end and overlapping themselves.
func TestIndexPair(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	pats := []string{"ab", "aab", "abab", "instr", "ba", "aaaa", "abcab"}
	found := 0
	for n := range 3000 {
		b := make([]byte, r.IntN(300))
		for i := range b {
			b[i] = "abcinstr"[r.IntN(3+5*(n%2))]
		}
		from := r.IntN(len(b) + 1)
		for _, pat := range pats {
			want := bytes.Index(b[from:], []byte(pat))
			if want >= 0 {
				want += from
				found++
			}
			if got := indexPair(b, from, pat); got != want {
				t.Fatalf("indexPair(%q, %d, %q) = %d, want %d", b, from, pat, got, want)
			}
		}
	}
	if found < 3000 {
		t.Fatalf("only %d matches: the test proves little", found)
	}
}

// BenchmarkContainsLowerAny is isVBA's and the PDF form check's one-pass
// search over the zip set's text parts and PDFs (documents' XML, page
// text, CSV), none of which holds the words: the whole of each is read.
func BenchmarkContainsLowerAny(b *testing.B) {
	var texts [][]byte
	size := 0
	for _, m := range expanded(b, "zip5m.eml") {
		for _, p := range m.Parts {
			if isText(head(p)) || p.DetectedType == "application/pdf" {
				texts = append(texts, head(p))
				size += len(head(p))
			}
		}
	}
	b.SetBytes(int64(size))
	cputime.Each(b, 1, "pass", func() {
		for _, t := range texts {
			containsLowerAny(t, vbaEnds)
			containsLowerAny(t, pdfFormWords)
		}
	})
}
