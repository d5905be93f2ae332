package heuristic

import "github.com/kensa-milter/kensa/message"

// shownKey is a part and a limit of its shown text.
type shownKey struct {
	p     *message.Part
	limit int
}

// shownTextIf is shownText, but an HTML part's text is read only when
// need(subject, markup) says it can matter to the caller ("" when not).
// Several checks read a part's text to the same limit (a body, a PDF's
// pages, an Office document's parts): it is read once.
func (e *env) shownTextIf(p *message.Part, limit int, need func(subject string, markup []byte) bool) string {
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
