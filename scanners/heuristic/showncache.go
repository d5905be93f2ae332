package heuristic

import (
	"bytes"

	"github.com/kensa-milter/kensa/message"
)

// shownKey is a part and a limit of its shown text.
type shownKey struct {
	p     *message.Part
	limit int
}

// shownTextIf is shownText, but an HTML part's text is read only when
// need says its markup's pieces can matter to the caller (gatesOf; ""
// when not).
// Several checks read a part's text to the same limit (a body, a PDF's
// pages, an Office document's parts): it is read once.
func (e *env) shownTextIf(p *message.Part, limit int, need func(pieceGates) bool) string {
	k := shownKey{p, limit}
	if t, ok := e.shownTexts[k]; ok {
		return t
	}
	t := e.readShownText(p, limit, need)
	if t != "" || need == nil { // "" from need is no answer for a caller without it
		if e.shownTexts == nil {
			e.shownTexts = map[shownKey]string{}
		}
		e.shownTexts[k] = t
	}
	return t
}

// gateWords are the words the pieces of markup are read for, in one
// pass: a callback brand's (group 0), a ClickFix opener's (1) and a
// paste's (2).
var gateWords = newPieceMatcher(brandWords, stepWords, pasteWords)

// pieceGates is what the text a reader sees of a part's markup, after a
// subject, can hold, whatever its styles hide (readGates): the checks
// that read a part's text ask it before the markup is parsed.
type pieceGates struct {
	brand bool // one of callbackBrands' names (mayNameBrand)
	steps bool // ClickFix steps (mayShowSteps)
}

func (g pieceGates) nameBrand() bool { return g.brand }
func (g pieceGates) showSteps() bool { return g.steps }

// readGates reads the pieces of markup b (shownPieces), after subject,
// once for every gate: their letters can spell a callback brand's name,
// and an opener's words and a paste's (or the pieces hold ⊞ and ⌘).
// Pieces whose letters cannot be read alone pass every gate.
func readGates(subject string, b []byte) pieceGates {
	st := gateWords.state()
	ok, winKey, cmdKey := true, false, false
	add := func(s []byte) bool {
		winKey = winKey || bytes.Contains(s, []byte("\u229e"))
		cmdKey = cmdKey || bytes.Contains(s, []byte("\u2318"))
		ok = st.add(s)
		return ok
	}
	if add([]byte(subject)) {
		shownPieces(b, add)
	}
	if !ok {
		return pieceGates{true, true}
	}
	return pieceGates{
		brand: st.matched(0),
		steps: (winKey || st.matched(1)) && (cmdKey || st.matched(2)),
	}
}

// gatesOf is readGates of part p's markup after subject (the same for
// every caller of a part: the Subject for a body, "" for an attachment),
// read once a part.
func (e *env) gatesOf(p *message.Part, subject string) pieceGates {
	if g, ok := e.gates[p]; ok {
		return g
	}
	g := readGates(subject, head(p))
	if e.gates == nil {
		e.gates = map[*message.Part]pieceGates{}
	}
	e.gates[p] = g
	return g
}
