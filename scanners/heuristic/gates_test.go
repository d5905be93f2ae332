package heuristic

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// gatesApart is readGates as mayNameBrand and mayShowSteps read it
// before the two were one pass: an automaton of each word list, and two
// passes over the pieces.
func gatesApart(subject string, b []byte) pieceGates {
	brand := brandApart.state()
	ok := brand.add([]byte(subject))
	shownPieces(b, func(s []byte) bool {
		ok = ok && brand.add(s)
		return ok
	})
	var g pieceGates
	g.brand = !ok || brand.matched(0)

	open, paste := stepsApart.state(), pasteApart.state()
	ok, winKey, cmdKey := true, false, false
	add := func(s []byte) bool {
		winKey = winKey || strings.Contains(string(s), "\u229e")
		cmdKey = cmdKey || strings.Contains(string(s), "\u2318")
		ok = ok && open.add(s) && paste.add(s)
		return ok
	}
	add([]byte(subject))
	shownPieces(b, add)
	g.steps = !ok || (winKey || open.matched(0)) && (cmdKey || paste.matched(0))
	return g
}

var brandApart, stepsApart, pasteApart = newPieceMatcher(brandWords), newPieceMatcher(stepWords), newPieceMatcher(pasteWords)

// TestReadGatesAsApart holds readGates (one automaton of all the words,
// one pass) to gatesApart on the corpus' HTML parts and on random markup
// made of the words' pieces: tags and entities between their letters,
// spaced letters, ⊞ and ⌘, U+202E, SVG, style strings, alt text.
func TestReadGatesAsApart(t *testing.T) {
	var pages []string
	files, _ := filepath.Glob("../../testdata/corpus/*/*.eml")
	if len(files) < 100 {
		t.Fatalf("corpus: %d samples (go run ./testdata/gen)", len(files))
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := message.Parse(raw)
		if err != nil {
			continue
		}
		for _, p := range m.Parts {
			if urls.IsHTML(p) {
				pages = append(pages, string(head(p)))
			}
		}
	}
	words := append(append(append([]string{}, brandWords...), stepWords...), pasteWords...)
	bits := []string{"<b>", "</b>", "<i>", " ", "&#x229E;", "&#x2318;", "\u229e", "\u2318", "\u202e", "<svg><style>", "</style></svg>",
		"<style>.c::before{content:\"", "\"}</style>", "<img alt=\"", "\">", "<script>", "</script>", "<!--", "-->", "<table><tr>", "</td>",
		"&amp;", "é", "ｗ", "+", "v", "r", "vv", "<p>", "\n", "attr(x)", "<math>"}
	r := rand.New(rand.NewPCG(17, 20))
	for range 20000 {
		var b strings.Builder
		for n := r.IntN(12); n >= 0; n-- {
			if r.IntN(2) == 0 {
				w := words[r.IntN(len(words))]
				i := r.IntN(len(w) + 1)
				j := i + r.IntN(len(w)-i+1)
				b.WriteString(w[i:j]) // a part of a word
			} else {
				b.WriteString(bits[r.IntN(len(bits))])
			}
		}
		pages = append(pages, b.String())
	}
	subjects := []string{"", "Invoice", "Norton renewal", "press win+r", "ctrl v", "\u202e"}
	both := [4]int{}
	for i, page := range pages {
		subject := subjects[i%len(subjects)]
		got, want := readGates(subject, []byte(page)), gatesApart(subject, []byte(page))
		if got != want {
			t.Fatalf("%q after %q: readGates %+v, apart %+v", page, subject, got, want)
		}
		both[btoi(got.brand)*2+btoi(got.steps)]++
	}
	t.Logf("answers: %v", both)
	if both[0] == 0 || both[1] == 0 || both[2] == 0 || both[3] == 0 {
		t.Errorf("the pages do not reach every answer: %v", both) // no brand/no steps, steps, brand, both
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
