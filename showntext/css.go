package showntext

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/image/colornames"
	"golang.org/x/net/html"
)

// A style sheet: the page's <style> rules, indexed by what their last
// compound selector names.
type styleSheet struct {
	byID, byClass, byTag map[string][]*cssRule
	any                  []*cssRule
	tries                int  // rules and elements left to try (maxRuleTries)
	quirks               bool // the page is drawn in quirks mode: classes and ids match in any case
}

type cssRule struct {
	compound            // what the rule styles
	context   []selStep // the compounds before it, nearest first
	spec      int       // ids, classes and tags, as one number
	order     int
	decls     []cssDecl
	pseudoElt string // "before", "after", "first-letter", "first-line" or "marker": the rule styles that box of the element
}

// compound is a compound selector: a tag ("" for any), an id, classes,
// attribute conditions and pseudo-classes.
type compound struct {
	tag, id string
	classes []string
	attrs   []attrSel
	pseudos []pseudoSel
}

// attrSel is an attribute selector: [name], [name=val], [name~=val],
// [name|=val], [name^=val], [name$=val], [name*=val], i for any case.
type attrSel struct {
	name, val string
	op        byte // 0 (present), '=', '~', '|', '^', '$', '*'
	fold      bool
}

// pseudoSel is a pseudo-class: structural ones (nth: position a*n+b among
// the siblings, of the same tag when ofType, counted from the end when
// last), :empty, :root, :any-link, :not() and :is() of compound lists,
// :has() of relative selectors, and the states a reader's first sight
// does not have (:hover, :focus...), which never match.
type pseudoSel struct {
	kind         byte // 'n' nth, 'e' empty, 'r' root, 'l' link, '!' not, 'i' is, 'h' has, 'x' never
	a, b         int
	ofType, last bool
	list         []compound
	rel          [][]selStep // :has(): compounds from the anchor on, each with the combinator before it
}

// selStep is a compound selector and the combinator that joins it to the
// one after it: ' ' (an ancestor), '>' (the parent), '+' (the element
// just before), '~' (an element before).
type selStep struct {
	compound
	comb byte
}

type cssDecl struct {
	prop, val string
	important bool
}

// readStyleSheets reads the rules of every <style> element of doc.
// quirks: the page is drawn in quirks mode.
func readStyleSheets(doc *html.Node, quirks bool) *styleSheet {
	s := &styleSheet{byID: map[string][]*cssRule{}, byClass: map[string][]*cssRule{}, byTag: map[string][]*cssRule{}, tries: maxRuleTries, quirks: quirks}
	rules := 0
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxVisibleDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == "style" {
				var sb strings.Builder
				for t := c.FirstChild; t != nil; t = t.NextSibling {
					if t.Type == html.TextNode {
						sb.WriteString(t.Data)
					}
				}
				rules = s.read(sb.String(), rules)
				continue
			}
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	return s
}

// read adds the rules of css, counting from n; it returns the count.
// Keywords, properties and selectors are read in lower case (ASCII, so
// that the two spellings keep their offsets); strings (an attribute
// selector's value, content) as written.
func (s *styleSheet) read(orig string, n int) int {
	orig = stripCSSComments(orig)
	css := asciiLower(orig)
	for len(css) > 0 && n < maxCSSRules {
		open := strings.IndexByte(css, '{')
		if open < 0 {
			return n
		}
		start := 0
		if k := strings.LastIndexAny(css[:open], ";}"); k >= 0 { // a stray end of a block before it
			start = k + 1
		}
		prelude := strings.TrimSpace(css[start:open])
		if strings.HasPrefix(prelude, "@") {
			if (strings.HasPrefix(prelude, "@media") && mediaApplies(prelude)) || (strings.HasPrefix(prelude, "@supports") && supportsApplies(prelude)) || strings.HasPrefix(prelude, "@layer") {
				css, orig = css[open+1:], orig[open+1:] // its rules are read as the sheet's own
				continue
			}
			end := blockEnd(css, open)
			css, orig = css[end:], orig[end:]
			continue
		}
		close := strings.IndexByte(css[open:], '}')
		if close < 0 {
			return n
		}
		origPrelude := orig[start:open]
		body := orig[open+1 : open+close]
		css, orig = css[open+close+1:], orig[open+close+1:]
		decls := parseDecls(body)
		if len(decls) == 0 {
			continue
		}
		for _, sel := range splitTop(origPrelude, ',', 256) {
			r, ok := parseSelector(sel, s.quirks)
			if !ok {
				continue
			}
			n++
			r.order, r.decls = n, decls
			switch {
			case r.id != "":
				s.byID[r.id] = append(s.byID[r.id], r)
			case len(r.classes) > 0:
				s.byClass[r.classes[0]] = append(s.byClass[r.classes[0]], r)
			case r.tag != "":
				s.byTag[r.tag] = append(s.byTag[r.tag], r)
			default:
				s.any = append(s.any, r)
			}
		}
	}
	return n
}

// asciiLower is s with its ASCII letters in lower case, byte for byte.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// splitTop cuts s at each sep outside quotes, parentheses and brackets,
// into at most max pieces (the last holds the rest).
func splitTop(s string, sep byte, max int) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s) && len(out) < max-1; i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\\':
			i++ // an escaped character is none of these
		case c == sep && depth <= 0:
			out = append(out, s[start:i])
			start = i + 1
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		}
	}
	return append(out, s[start:])
}

func stripCSSComments(s string) string {
	if !strings.Contains(s, "/*") {
		return s
	}
	var sb strings.Builder
	for {
		a := strings.Index(s, "/*")
		if a < 0 {
			sb.WriteString(s)
			return sb.String()
		}
		sb.WriteString(s[:a])
		sb.WriteByte(' ')
		b := strings.Index(s[a+2:], "*/")
		if b < 0 {
			return sb.String()
		}
		s = s[a+2+b+2:]
	}
}

// blockEnd is the index after the block whose "{" is at s[open].
func blockEnd(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return len(s)
}

// A condition of @media or @supports is met (yes), not met (no), or not
// known (maybe): the rules of a block apply only where it is met for
// sure, so that a hiding rule under a condition the reader may not meet
// leaves the text shown.
type tri int8

const (
	no tri = iota
	maybe
	yes
)

func (t tri) not() tri { return yes - t }

// mediaApplies: an @media rule is met by a mail client on a desktop
// screen in the light scheme, as the tests draw pages in Chromium: a
// screen (or all), a window of ViewportWidth, the light colour scheme.
// Other media features are not known.
func mediaApplies(prelude string) bool {
	q := strings.TrimSpace(strings.TrimPrefix(prelude, "@media"))
	if q == "" {
		return true
	}
	for _, query := range splitTop(q, ',', 32) {
		if mediaQuery(strings.TrimSpace(query)) == yes {
			return true
		}
	}
	return false
}

// mediaQuery evaluates one query: [not|only] [type] [and condition], or a
// condition.
func mediaQuery(q string) tri {
	head, cond := q, ""
	if i := strings.IndexByte(q, '('); i >= 0 {
		head, cond = q[:i], q[i:]
	}
	words := strings.Fields(head)
	neg := false
	if len(words) > 0 && (words[0] == "not" || words[0] == "only") {
		neg, words = words[0] == "not", words[1:]
	}
	t, typed := yes, false
	if len(words) > 0 && words[0] != "and" {
		typed = true
		switch words[0] {
		case "all", "screen":
		case "print", "speech", "tty", "tv", "projection", "handheld", "braille", "embossed", "aural":
			t = no
		default:
			return maybe
		}
		words = words[1:]
	}
	switch {
	case len(words) == 1 && words[0] == "and" && cond != "":
		t = min(t, mediaCond(cond))
	case len(words) == 0 && cond != "" && !typed:
		t = mediaCond(cond)
	case len(words) != 0 || cond != "":
		return maybe
	}
	if neg {
		return t.not()
	}
	return t
}

// condition evaluates a condition of @media or @supports: "(a) and
// (b)", "(a) or (b)", "not (a)", nested in parentheses; leaf evaluates
// what stands in the innermost parentheses (a media feature, a
// declaration) or a term outside them (selector()).
func condition(c string, leaf func(term string, inParens bool) tri) tri {
	c = strings.TrimSpace(c)
	if rest, ok := strings.CutPrefix(c, "not"); ok && strings.HasPrefix(strings.TrimSpace(rest), "(") {
		return condition(rest, leaf).not()
	}
	out, op, first := yes, "", true
	for _, term := range splitTop(c, ' ', 64) {
		term = strings.TrimSpace(term)
		var t tri
		switch {
		case term == "":
			continue
		case term == "and" || term == "or":
			if op != "" && op != term {
				return maybe // mixed without parentheses: invalid
			}
			op = term
			continue
		case !strings.HasPrefix(term, "(") || !strings.HasSuffix(term, ")"):
			t = leaf(term, false)
		default:
			inner := strings.TrimSpace(term[1 : len(term)-1])
			if strings.HasPrefix(inner, "(") || strings.HasPrefix(inner, "not ") {
				t = condition(inner, leaf)
			} else {
				t = leaf(inner, true)
			}
		}
		out, first = combine(out, t, op, first), false
	}
	return out
}

// mediaCond evaluates a media condition.
func mediaCond(c string) tri {
	return condition(c, func(f string, inParens bool) tri {
		if !inParens {
			return maybe
		}
		return mediaFeature(f)
	})
}

// mediaFeature evaluates one feature: width and device-width (min-,
// max-, or a range), prefers-color-scheme, color; others are not known.
func mediaFeature(f string) tri {
	width := func(v string) (float64, bool) { return cssLength(v, 16, -1) }
	bool3 := func(b bool) tri {
		if b {
			return yes
		}
		return no
	}
	if name, val, ok := strings.Cut(f, ":"); ok {
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		switch name {
		case "prefers-color-scheme":
			return bool3(val == "light")
		case "width", "device-width", "min-width", "max-width", "min-device-width", "max-device-width":
			px, ok := width(val)
			if !ok {
				return maybe
			}
			switch {
			case strings.HasPrefix(name, "min-"):
				return bool3(viewportW >= px)
			case strings.HasPrefix(name, "max-"):
				return bool3(viewportW <= px)
			}
			return bool3(viewportW == px)
		}
		return maybe
	}
	switch f {
	case "color", "width", "device-width":
		return yes
	}
	// a range: "width >= 600px", "400px <= width < 900px"
	parts := strings.FieldsFunc(f, func(r rune) bool { return r == '<' || r == '>' || r == '=' })
	ops := strings.FieldsFunc(f, func(r rune) bool { return r != '<' && r != '>' && r != '=' })
	if len(parts) < 2 || len(parts) != len(ops)+1 || len(parts) > 3 {
		return maybe
	}
	out := yes
	for i, op := range ops {
		a, b := strings.TrimSpace(parts[i]), strings.TrimSpace(parts[i+1])
		x, okA := width(a)
		y, okB := width(b)
		if a == "width" || a == "device-width" {
			x, okA = viewportW, true
		}
		if b == "width" || b == "device-width" {
			y, okB = viewportW, true
		}
		if !okA || !okB {
			return maybe
		}
		var t bool
		switch strings.TrimSpace(op) {
		case "<":
			t = x < y
		case "<=":
			t = x <= y
		case ">":
			t = x > y
		case ">=":
			t = x >= y
		case "=":
			t = x == y
		default:
			return maybe
		}
		out = min(out, bool3(t))
	}
	return out
}

// combine joins condition t to the ones before it (out) by op.
func combine(out, t tri, op string, first bool) tri {
	switch {
	case first:
		return t
	case op == "or":
		return max(out, t)
	}
	return min(out, t)
}

// supportsApplies: an @supports rule's condition is met for sure by
// Chromium: declarations of a few properties with values this reading
// knows, joined by and, or, not. Anything else is not known, and its
// rules are left out.
func supportsApplies(prelude string) bool {
	return supportsCond(strings.TrimSpace(strings.TrimPrefix(prelude, "@supports"))) == yes
}

func supportsCond(c string) tri {
	return condition(c, func(term string, inParens bool) tri {
		if !inParens {
			sel, ok := strings.CutPrefix(term, "selector(")
			if _, read := parseSelector(strings.TrimSuffix(sel, ")"), false); ok && read {
				return yes
			}
			return maybe // font-tech() and the like
		}
		prop, val, ok := strings.Cut(term, ":")
		if ok && supported(strings.TrimSpace(prop), strings.TrimSpace(val)) {
			return yes
		}
		return maybe
	})
}

// supported: Chromium reads declaration prop: val (for the few
// properties whose values are known here).
func supported(prop, val string) bool {
	switch prop {
	case "display":
		return slices.Contains(strings.Fields(`none block inline inline-block flex inline-flex grid inline-grid contents table
			table-row table-cell list-item flow-root`), val)
	case "position":
		return slices.Contains([]string{"static", "relative", "absolute", "fixed", "sticky"}, val)
	case "color", "background-color", "-webkit-text-fill-color":
		_, ok := parseColor(val, rgba{})
		return ok
	case "opacity":
		_, ok := cssNumber(val)
		return ok
	}
	return false
}

// parseDecls reads "prop: value; ..." in lower case, but for content's
// strings, which are drawn as written.
func parseDecls(body string) []cssDecl {
	var out []cssDecl
	for _, d := range splitTop(body, ';', 200) {
		prop, val, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		prop = asciiLower(strings.TrimSpace(prop))
		val = strings.TrimSpace(val)
		if prop != "content" && prop != "list-style" && prop != "list-style-type" { // their strings are text
			val = asciiLower(val)
		}
		imp := false
		if k := strings.LastIndexByte(val, '!'); k >= 0 && strings.EqualFold(strings.TrimSpace(val[k+1:]), "important") {
			val, imp = strings.TrimSpace(val[:k]), true
		}
		if prop != "" {
			out = append(out, cssDecl{prop, val, imp})
		}
	}
	return out
}

// parseSelector reads sel: compound selectors joined by the descendant,
// child and sibling combinators, the last of which may end in ::before,
// ::after, ::first-letter, ::first-line or ::marker. What it does not read (other pseudo-elements and
// pseudo-classes, namespaces) makes it a rule this reading does not
// apply: what is not understood counts as shown. fold: classes and ids
// are read in lower case (quirks mode).
func parseSelector(sel string, fold bool) (*cssRule, bool) {
	parts, combs := splitSelector(sel)
	if len(parts) == 0 || len(parts) > 16 {
		return nil, false
	}
	r := &cssRule{}
	for i := len(parts) - 1; i >= 0; i-- {
		c, spec, elt, ok := parseCompound(parts[i], 0, fold)
		if !ok || elt != "" && i != len(parts)-1 || c.never() {
			return nil, false
		}
		r.spec += spec
		if i == len(parts)-1 {
			r.compound, r.pseudoElt = c, elt
		} else {
			r.context = append(r.context, selStep{c, combs[i]})
		}
	}
	return r, true
}

// splitSelector cuts sel into its compound selectors and the combinator
// after each (' ', '>', '+' or '~'), outside brackets, parentheses and
// quotes.
func splitSelector(sel string) (parts []string, combs []byte) {
	sel = strings.TrimSpace(sel)
	start, comb, depth := 0, byte(0), 0
	var quote byte
	for i := 0; i <= len(sel); i++ {
		c := byte(' ')
		if i < len(sel) {
			c = sel[i]
		}
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		case i < len(sel) && (c == '"' || c == '\''):
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == '\\': // an escape is part of a name: ".\68 idden", "#a\:b"
			if start < 0 {
				if len(parts) > 0 {
					combs = append(combs, comb)
				}
				start, comb = i, 0
			}
			i = escapeEnd(sel, i) - 1
			continue
		}
		if depth > 0 || quote != 0 || c != ' ' && c != '\t' && c != '\n' && c != '>' && c != '+' && c != '~' {
			if start < 0 {
				if len(parts) > 0 {
					combs = append(combs, comb)
				}
				start, comb = i, 0
			}
			continue
		}
		if start >= 0 && start < i {
			parts = append(parts, sel[start:i])
		} else if start >= 0 && i < len(sel) {
			return nil, nil // a combinator with nothing before it
		}
		start = -1
		if c != ' ' && c != '\t' && c != '\n' {
			if comb != 0 && comb != ' ' {
				return nil, nil // two combinators in a row
			}
			comb = c
		} else if comb == 0 {
			comb = ' '
		}
	}
	if len(combs) != len(parts)-1 || depth != 0 || quote != 0 {
		return nil, nil // ends in a combinator, or unbalanced
	}
	return parts, combs
}

// parseCompound reads one compound selector (as written: tags are read
// in lower case, classes and ids as written unless fold, attribute values
// as written; escapes put in place), its specificity and the
// pseudo-element it ends in. depth counts the :not() and :is() it is
// inside.
func parseCompound(orig string, depth int, fold bool) (c compound, spec int, elt string, ok bool) {
	sel := asciiLower(orig)
	i := identEnd(sel, 0)
	if i == 0 && strings.HasPrefix(sel, "*") {
		i = 1
	} else if i > 0 {
		c.tag, spec = asciiLower(cssIdent(orig[:i])), 1
	}
	for i < len(sel) {
		if elt != "" {
			return c, 0, "", false // a pseudo-element ends the selector
		}
		switch sel[i] {
		case '.', '#':
			j := identEnd(sel, i+1)
			if j == i+1 {
				return c, 0, "", false
			}
			name := cssIdent(orig[i+1 : j])
			if fold {
				name = asciiLower(name)
			}
			if sel[i] == '.' {
				c.classes, spec = append(c.classes, name), spec+100
			} else if c.id != "" && c.id != name {
				c.pseudos = append(c.pseudos, pseudoSel{kind: 'x'}) // two ids: nothing
			} else {
				c.id, spec = name, spec+10000
			}
			i = j
		case '[':
			j := i + 1 + len(splitTop(sel[i+1:], ']', 2)[0])
			if j >= len(sel) {
				return c, 0, "", false
			}
			a, k := parseAttrSel(sel[i+1:j], orig[i+1:j])
			if !k {
				return c, 0, "", false
			}
			c.attrs, spec, i = append(c.attrs, a), spec+100, j+1
		case ':':
			j := i + 1
			if strings.HasPrefix(sel[j:], ":") {
				j++
			}
			k := identEnd(sel, j)
			name, args := sel[j:k], ""
			if k < len(sel) && sel[k] == '(' {
				end := k + 1 + len(splitTop(sel[k+1:], ')', 2)[0])
				if end >= len(sel) {
					return c, 0, "", false
				}
				args, k = orig[k+1:end], end+1
			}
			if name == "before" || name == "after" || name == "first-letter" || name == "first-line" || name == "marker" && j == i+2 {
				if args != "" {
					return c, 0, "", false
				}
				elt, spec, i = name, spec+1, k
				continue
			}
			if j > i+1 || depth > 3 {
				return c, 0, "", false // another pseudo-element
			}
			p, s, ok := parsePseudo(name, args, depth, fold)
			if !ok {
				return c, 0, "", false
			}
			c.pseudos, spec, i = append(c.pseudos, p), spec+s, k
		default:
			return c, 0, "", false
		}
	}
	return c, spec, elt, true
}

// identEnd is the index after the CSS name that starts at s[i] (i for
// none): letters, digits, '-', '_', non-ASCII and escapes.
func identEnd(s string, i int) int {
	j := i
	for j < len(s) && j-i < 128 {
		c := s[j]
		if c == '\\' && j+1 < len(s) && !isNewline(s[j+1]) {
			j = escapeEnd(s, j)
			continue
		}
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80) {
			break
		}
		j++
	}
	return j
}

func isNewline(c byte) bool { return c == '\n' || c == '\r' || c == '\f' }

// escapeEnd is the index after the escape whose backslash is at s[i]: up
// to six hex digits and one white space after them, or the one character
// after the backslash.
func escapeEnd(s string, i int) int {
	j := i + 1
	for j < len(s) && j-i <= 6 && isHex(s[j]) {
		j++
	}
	switch {
	case j > i+1 && j < len(s) && s[j] == '\r' && j+1 < len(s) && s[j+1] == '\n':
		return j + 2
	case j > i+1 && j < len(s) && (s[j] == ' ' || s[j] == '\t' || isNewline(s[j])):
		return j + 1
	case j > i+1 || j >= len(s):
		return j
	}
	return j + 1 // a character as itself (its UTF-8 continuation bytes are read as a name's)
}

// cssIdent is name s with its escapes put in place.
func cssIdent(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			i++
			continue
		}
		end := escapeEnd(s, i)
		writeEscape(&b, s[i+1:end])
		i = end
	}
	return b.String()
}

// writeEscape writes what escape e (after its backslash) stands for: a
// code point in hex (U+FFFD for none), or the character itself.
func writeEscape(b *strings.Builder, e string) {
	h := 0
	for h < len(e) && h < 6 && isHex(e[h]) {
		h++
	}
	if h == 0 {
		b.WriteString(e)
		return
	}
	v, _ := strconv.ParseUint(e[:h], 16, 32)
	if v == 0 || v > 0x10FFFF || v >= 0xD800 && v <= 0xDFFF {
		v = 0xFFFD
	}
	b.WriteRune(rune(v))
}

// parseAttrSel reads what stands between the brackets of an attribute
// selector, lower case and as written.
func parseAttrSel(low, orig string) (attrSel, bool) {
	var a attrSel
	j := identEnd(low, skipSpace(low, 0))
	i := skipSpace(low, 0)
	if j == i {
		return a, false
	}
	a.name = asciiLower(cssIdent(orig[i:j]))
	i = skipSpace(low, j)
	if i == len(low) {
		return a, true
	}
	switch low[i] {
	case '=':
		a.op, i = '=', i+1
	case '~', '|', '^', '$', '*':
		if i+1 >= len(low) || low[i+1] != '=' {
			return a, false
		}
		a.op, i = low[i], i+2
	default:
		return a, false
	}
	i = skipSpace(low, i)
	if i < len(low) && (low[i] == '"' || low[i] == '\'') {
		s, end, ok := cssString(orig, i)
		if !ok {
			return a, false
		}
		a.val, i = s, end
	} else {
		end := identEnd(low, i)
		if end == i {
			return a, false
		}
		a.val, i = cssIdent(orig[i:end]), end
	}
	switch rest := strings.TrimSpace(low[i:]); rest {
	case "":
	case "i":
		a.fold = true
	case "s":
	default:
		return a, false
	}
	return a, true
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f') {
		i++
	}
	return i
}

// parsePseudo reads pseudo-class name with its arguments (as written) and
// its specificity.
func parsePseudo(name, args string, depth int, fold bool) (pseudoSel, int, bool) {
	switch name {
	case "first-child", "last-child", "only-child", "first-of-type", "last-of-type", "only-of-type":
		if args != "" {
			return pseudoSel{}, 0, false
		}
		p := pseudoSel{kind: 'n', b: 1, ofType: strings.HasSuffix(name, "-of-type"), last: strings.HasPrefix(name, "last")}
		if strings.HasPrefix(name, "only") {
			p.kind = 'o'
		}
		return p, 100, true
	case "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type":
		a, b, ok := parseNth(asciiLower(args))
		return pseudoSel{kind: 'n', a: a, b: b, ofType: strings.HasSuffix(name, "-of-type"), last: strings.Contains(name, "-last-")}, 100, ok
	case "empty", "root", "any-link", "link":
		if args != "" {
			return pseudoSel{}, 0, false
		}
		return pseudoSel{kind: map[string]byte{"empty": 'e', "root": 'r', "any-link": 'l', "link": 'l'}[name]}, 100, true
	case "hover", "focus", "focus-within", "focus-visible", "active", "target", "visited", "checked", "placeholder-shown", "autofill":
		// a state the reader's first sight does not have
		return pseudoSel{kind: 'x'}, 100, args == ""
	case "not", "is", "where", "matches", "-webkit-any":
		p := pseudoSel{kind: 'i'}
		if name == "not" {
			p.kind = '!'
		}
		most := 0
		for _, s := range splitTop(args, ',', 32) {
			c, spec, elt, ok := parseCompound(strings.TrimSpace(s), depth+1, fold)
			if !ok || elt != "" {
				return p, 0, false
			}
			p.list, most = append(p.list, c), max(most, spec)
		}
		if name == "where" {
			most = 0
		}
		return p, most, true
	case "has":
		p := pseudoSel{kind: 'h'}
		most := 0
		for _, s := range splitTop(args, ',', 32) {
			s = strings.TrimSpace(s)
			first := byte(' ')
			if s != "" && strings.IndexByte(">+~", s[0]) >= 0 {
				first, s = s[0], s[1:]
			}
			parts, combs := splitSelector(s)
			if len(parts) == 0 || len(parts) > 8 || depth > 0 {
				return p, 0, false // :has() in :has() or :not() is not read
			}
			var rel []selStep
			spec := 0
			for i, part := range parts {
				c, sp, elt, ok := parseCompound(part, depth+1, fold)
				if !ok || elt != "" || slices.ContainsFunc(c.pseudos, func(q pseudoSel) bool { return q.kind == 'h' }) {
					return p, 0, false
				}
				comb := first
				if i > 0 {
					comb = combs[i-1]
				}
				rel, spec = append(rel, selStep{c, comb}), spec+sp
			}
			p.rel, most = append(p.rel, rel), max(most, spec)
		}
		return p, most, true
	}
	return pseudoSel{}, 0, false
}

// parseNth reads An+B (odd, even, 3, -n+2, 2n+1); "of S" is not read.
func parseNth(s string) (a, b int, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	switch s {
	case "odd":
		return 2, 1, true
	case "even":
		return 2, 0, true
	}
	num := func(t string) (int, bool) {
		v, err := strconv.Atoi(t)
		return v, err == nil && v > -1e6 && v < 1e6
	}
	n := strings.IndexByte(s, 'n')
	if n < 0 {
		b, ok = num(strings.TrimPrefix(s, "+"))
		return 0, b, ok
	}
	switch as := strings.TrimPrefix(s[:n], "+"); as {
	case "":
		a, ok = 1, true
	case "-":
		a, ok = -1, true
	default:
		a, ok = num(as)
	}
	if rest := s[n+1:]; ok && rest != "" {
		if rest[0] != '+' && rest[0] != '-' {
			return 0, 0, false
		}
		b, ok = num(strings.TrimPrefix(rest, "+"))
	}
	return a, b, ok
}

// never: the compound matches no element at first sight (a :hover).
func (c *compound) never() bool {
	return slices.ContainsFunc(c.pseudos, func(p pseudoSel) bool { return p.kind == 'x' })
}

// cssString reads the CSS string whose quote is at s[i]: its value with
// escapes put in place, and the index after it.
func cssString(s string, i int) (string, int, bool) {
	quote := s[i]
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		c := s[j]
		switch {
		case c == quote:
			return b.String(), j + 1, true
		case c == '\n':
			return b.String(), j, false
		case c == '\\' && j+1 < len(s):
			if s[j+1] == '\n' {
				j++
				continue
			}
			end := escapeEnd(s, j)
			writeEscape(&b, s[j+1:end])
			j = end - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), len(s), false
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// CSSStrings calls f with every string of style sheet css, escapes put in
// place, until f returns false: what a pseudo-element's content can draw
// of it (ContentText).
func CSSStrings(css string, f func(string) bool) {
	for i := 0; i < len(css); i++ {
		if c := css[i]; c == '"' || c == '\'' {
			s, end, _ := cssString(css, i)
			if !f(s) {
				return
			}
			i = end - 1
		}
	}
}

// contentText is the text content value v draws for element n: its
// strings and attr() values, up to its alternative text after '/'.
func contentText(v string, n *html.Node) string {
	var b strings.Builder
	for i := 0; i < len(v) && b.Len() < 4096; {
		switch c := v[i]; {
		case c == '"' || c == '\'':
			s, end, _ := cssString(v, i)
			b.WriteString(s)
			i = end
		case c == '/':
			return b.String()
		case strings.HasPrefix(asciiLower(v[i:min(len(v), i+5)]), "attr("):
			end := strings.IndexByte(v[i:], ')')
			if end < 0 {
				return b.String()
			}
			b.WriteString(attrOf(n, asciiLower(strings.TrimSpace(v[i+5:i+end]))))
			i += end + 1
		case c == '(':
			end := strings.IndexByte(v[i:], ')') // counter(), url(): no text of ours
			if end < 0 {
				return b.String()
			}
			i += end + 1
		default:
			i++
		}
	}
	return b.String()
}

// styles are an element's properties after the cascade, and its
// ::before's, ::after's, ::first-letter's and ::first-line's (nil for
// none).
type styles struct{ own, before, after, letter, line, marker map[string]string }

// declarations are n's properties after the cascade: the sheet's rules
// that match, by specificity and order, then the style attribute, with
// !important ones last; and those of its pseudo-elements.
func (s *styleSheet) declarations(n *html.Node) styles {
	style := attrOf(n, "style")
	id, classes := s.fold(attrOf(n, "id")), classList(s.fold(attrOf(n, "class")))
	var rules []*cssRule
	add := func(rs []*cssRule) {
		s.tries -= len(rs)
		if s.tries < 0 {
			return
		}
		for _, r := range rs {
			if r.matches(n.Data, id, classes) && s.matchesMore(&r.compound, n) && s.inContext(r, n, 0) {
				rules = append(rules, r)
			}
		}
	}
	add(s.byTag[n.Data])
	add(s.any)
	if id != "" {
		add(s.byID[id])
	}
	for _, c := range classes {
		add(s.byClass[c])
	}
	hints := presentational(n)
	if len(rules) == 0 && style == "" && hints == nil {
		return styles{}
	}
	sort.SliceStable(rules, func(i, j int) bool {
		if rules[i].spec != rules[j].spec {
			return rules[i].spec < rules[j].spec
		}
		return rules[i].order < rules[j].order
	})
	var out styles
	out.own = hints // below every rule, as Chromium weighs them
	inline := parseDecls(style)
	for _, important := range []bool{false, true} {
		for _, r := range rules {
			d := &out.own
			switch r.pseudoElt {
			case "before":
				d = &out.before
			case "after":
				d = &out.after
			case "first-letter":
				d = &out.letter
			case "first-line":
				d = &out.line
			case "marker":
				d = &out.marker
			}
			for _, x := range r.decls {
				if x.important == important {
					if *d == nil {
						*d = map[string]string{}
					}
					setDecl(*d, x.prop, x.val)
				}
			}
		}
		for _, x := range inline {
			if x.important == important {
				if out.own == nil {
					out.own = map[string]string{}
				}
				setDecl(out.own, x.prop, x.val)
			}
		}
	}
	return out
}

// longhands are the properties a shorthand sets that the reading looks
// at: a shorthand declared after them sets them again.
var longhands = map[string][]string{
	"background": {"background-color", "background-image", "background-clip", "-webkit-background-clip"},
	"font":       {"font-size"},
}

// setDecl declares property prop: val in d, where a shorthand resets its
// longhands.
func setDecl(d map[string]string, prop, val string) {
	for _, l := range longhands[prop] {
		delete(d, l)
	}
	d[prop] = val
}

// presentational is what element n's presentational attributes say of
// its colours, as Chromium reads them (below every style rule): <font
// color>, <body text>, and bgcolor and background of the body and of a
// table's parts. nil where there are none.
func presentational(n *html.Node) map[string]string {
	var out map[string]string
	set := func(k, v string) {
		if out == nil {
			out = map[string]string{}
		}
		out[k] = v
	}
	colour := func(attr, prop string) {
		if v, ok := attrValue(n, attr); ok {
			if c, ok := legacyColor(v); ok {
				set(prop, c)
			}
		}
	}
	switch n.Data {
	case "font":
		colour("color", "color")
		return out
	case "body":
		colour("text", "color")
	case "table", "thead", "tbody", "tfoot", "tr", "td", "th":
	default:
		return nil
	}
	colour("bgcolor", "background-color")
	if v, ok := attrValue(n, "background"); ok && strings.TrimSpace(v) != "" {
		set("background-image", "url(x)") // a picture: what is drawn on it is not known
	}
	return out
}

// attrValue is the value of n's attribute key (the first of duplicates)
// and whether n has it.
func attrValue(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val, true
		}
	}
	return "", false
}

// legacyColor reads a colour attribute (<font color>, bgcolor) the way
// HTML's "rules for parsing a legacy colour value" do, as "#rrggbb": a
// colour's name, #rgb, or else any string, its characters other than hex
// digits read as 0 ("ffffff" is white, "fff" #0f0f0f, "chucknorris"
// #c00000). False for none (empty, "transparent").
func legacyColor(v string) (string, bool) {
	v = strings.Trim(v, " \t\n\r\f")
	if v == "" || strings.EqualFold(v, "transparent") {
		return "", false
	}
	if c, ok := colornames.Map[strings.ToLower(v)]; ok {
		return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B), true
	}
	if len(v) == 4 && v[0] == '#' && isHex(v[1]) && isHex(v[2]) && isHex(v[3]) {
		return strings.ToLower("#" + strings.Repeat(v[1:2], 2) + strings.Repeat(v[2:3], 2) + strings.Repeat(v[3:4], 2)), true
	}
	var b []byte
	for _, r := range v {
		switch {
		case r > 0xffff:
			b = append(b, '0', '0')
		case r < 0x80 && isHex(byte(r)):
			b = append(b, byte(r))
		default:
			b = append(b, '0')
		}
		if len(b) >= 128 {
			break
		}
	}
	b = b[:min(len(b), 128)]
	if len(b) > 0 && v[0] == '#' {
		b = b[1:]
	}
	for len(b) == 0 || len(b)%3 != 0 {
		b = append(b, '0')
	}
	l := len(b) / 3
	comp := [3][]byte{b[:l], b[l : 2*l], b[2*l:]}
	if l > 8 {
		for i := range comp {
			comp[i] = comp[i][l-8:]
		}
		l = 8
	}
	for l > 2 && comp[0][0] == '0' && comp[1][0] == '0' && comp[2][0] == '0' {
		for i := range comp {
			comp[i] = comp[i][1:]
		}
		l--
	}
	out := "#"
	for _, c := range comp {
		if l > 2 {
			c = c[:2]
		}
		x, _ := strconv.ParseUint(string(c), 16, 8)
		out += fmt.Sprintf("%02x", x)
	}
	return out, true
}

// fold is an element's class or id as the sheet's selectors are read:
// in lower case in quirks mode, where they match in any case.
func (s *styleSheet) fold(name string) string {
	if s.quirks {
		return asciiLower(name)
	}
	return name
}

// classList is the classes of a class attribute: its words between ASCII
// white space (a no-break space is part of a class's name).
func classList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' })
}

func (c *compound) matches(tag, id string, classes []string) bool {
	if c.tag != "" && c.tag != tag || c.id != "" && c.id != id {
		return false
	}
	for _, k := range c.classes {
		if !slices.Contains(classes, k) {
			return false
		}
	}
	return true
}

// matchesNode: element n is what c selects.
func (s *styleSheet) matchesNode(c *compound, n *html.Node) bool {
	if c.tag != "" && c.tag != n.Data {
		return false
	}
	if c.id != "" && s.fold(attrOf(n, "id")) != c.id {
		return false
	}
	if len(c.classes) > 0 && !c.matches(n.Data, c.id, classList(s.fold(attrOf(n, "class")))) {
		return false
	}
	return s.matchesMore(c, n)
}

// matchesMore: element n meets c's attribute selectors and
// pseudo-classes. Siblings counted cost tries of the sheet's.
func (s *styleSheet) matchesMore(c *compound, n *html.Node) bool {
	for i := range c.attrs {
		if !c.attrs[i].matches(n) {
			return false
		}
	}
	for i := range c.pseudos {
		if !s.pseudoMatches(&c.pseudos[i], n) {
			return false
		}
	}
	return true
}

// caseless are the attributes whose values HTML compares in any case.
var caseless = names(`accept accept-charset align alink axis bgcolor charset checked clear codetype color compact
	declare defer dir direction disabled enctype face frame hreflang http-equiv lang language link media method
	multiple nohref noresize noshade nowrap readonly rel rev rules scope scrolling selected shape target text type
	valign valuetype vlink`)

func (a *attrSel) matches(n *html.Node) bool {
	i := slices.IndexFunc(n.Attr, func(x html.Attribute) bool { return x.Namespace == "" && x.Key == a.name })
	if i < 0 {
		return false
	}
	v, want := n.Attr[i].Val, a.val
	if a.fold || caseless[a.name] {
		v, want = strings.ToLower(v), strings.ToLower(want)
	}
	switch a.op {
	case 0:
		return true
	case '=':
		return v == want
	case '~':
		return want != "" && !strings.ContainsAny(want, " \t\n\r\f") && slices.Contains(strings.Fields(v), want)
	case '|':
		return v == want || strings.HasPrefix(v, want+"-")
	case '^':
		return want != "" && strings.HasPrefix(v, want)
	case '$':
		return want != "" && strings.HasSuffix(v, want)
	case '*':
		return want != "" && strings.Contains(v, want)
	}
	return false
}

func (s *styleSheet) pseudoMatches(p *pseudoSel, n *html.Node) bool {
	switch p.kind {
	case 'n', 'o':
		pos, count := s.position(n, p.ofType, p.last)
		if p.kind == 'o' {
			return count == 1
		}
		if p.a == 0 {
			return pos == p.b
		}
		return (pos-p.b)%p.a == 0 && (pos-p.b)/p.a >= 0
	case 'e':
		return !hasContent(n)
	case 'r':
		return n.Parent != nil && n.Parent.Type == html.DocumentNode
	case 'l':
		return (n.Data == "a" || n.Data == "area") && hasAttr(n, "href")
	case '!', 'i':
		one := slices.ContainsFunc(p.list, func(c compound) bool { return s.matchesNode(&c, n) })
		return one == (p.kind == 'i')
	case 'h':
		return slices.ContainsFunc(p.rel, func(rel []selStep) bool { return s.has(n, rel) })
	}
	return false
}

// has: from element n, rel's compounds are met one after another, each
// by an element its combinator leads to (' ' a descendant, '>' a child,
// '+' the next sibling, '~' a later sibling). Each element tried costs a
// try of the sheet's.
func (s *styleSheet) has(n *html.Node, rel []selStep) bool {
	st := &rel[0]
	try := func(m *html.Node) bool {
		s.tries--
		return s.matchesNode(&st.compound, m) && (len(rel) == 1 || s.has(m, rel[1:]))
	}
	switch st.comb {
	case '>', '+', '~':
		m := n.FirstChild
		if st.comb != '>' {
			m = n.NextSibling
		}
		for ; m != nil && s.tries > 0; m = m.NextSibling {
			if m.Type != html.ElementNode {
				continue
			}
			if try(m) {
				return true
			}
			if st.comb == '+' {
				return false
			}
		}
		return false
	}
	// descendants, in document order, without recursion
	for m := n.FirstChild; m != nil && s.tries > 0; {
		if m.Type == html.ElementNode && try(m) {
			return true
		}
		if m.FirstChild != nil && m.Type == html.ElementNode {
			m = m.FirstChild
			continue
		}
		for m != n && m.NextSibling == nil {
			m = m.Parent
		}
		if m == n {
			return false
		}
		m = m.NextSibling
	}
	return false
}

// hasContent: n holds an element or a text (comments do not count).
func hasContent(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode || c.Type == html.TextNode {
			return true
		}
	}
	return false
}

// position is n's place among its element siblings (of its tag when
// ofType), from 1, counted from the end when last, and how many they are.
func (s *styleSheet) position(n *html.Node, ofType, last bool) (pos, count int) {
	same := func(m *html.Node) bool { return m.Type == html.ElementNode && (!ofType || m.Data == n.Data) }
	pos, count = 1, 1
	for m := n.PrevSibling; m != nil && s.tries > 0; m = m.PrevSibling {
		s.tries--
		if same(m) {
			count++
			if !last {
				pos++
			}
		}
	}
	for m := n.NextSibling; m != nil && s.tries > 0; m = m.NextSibling {
		s.tries--
		if same(m) {
			count++
			if last {
				pos++
			}
		}
	}
	return pos, count
}

// inContext: the elements around n (its ancestors and earlier siblings)
// match r's context from step k on. Each element tried costs a try of
// the sheet's.
func (s *styleSheet) inContext(r *cssRule, n *html.Node, k int) bool {
	if k == len(r.context) {
		return true
	}
	st := &r.context[k]
	next := func(m *html.Node) *html.Node { // the next element to try
		for {
			if st.comb == '+' || st.comb == '~' {
				m = m.PrevSibling
			} else {
				m = m.Parent
			}
			if m == nil || m.Type == html.ElementNode {
				return m
			}
		}
	}
	for m := next(n); m != nil && s.tries > 0; m = next(m) {
		s.tries--
		if s.matchesNode(&st.compound, m) && s.inContext(r, m, k+1) {
			return true
		}
		if st.comb == '>' || st.comb == '+' {
			return false
		}
	}
	return false
}

// quirksMode: Chromium draws page b in quirks mode, as HTML's parser
// decides from its doctype: none before the first tag or text, one not
// named html or written wrong, or an old public identifier. (Limited
// quirks, XHTML 1.0 Transitional and HTML 4.01 Transitional with a system
// identifier, matches classes and ids as standards mode does.)
func quirksMode(b []byte) bool {
	if !bytes.HasPrefix(bytes.TrimLeft(b, "\ufeff \t\n\r\f"), []byte("<!")) {
		return true // no doctype nor comment first: the tokenizer need not look
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	for range 64 {
		switch z.Next() {
		case html.CommentToken:
			continue
		case html.TextToken:
			if len(bytes.Trim(z.Raw(), " \t\n\r\f")) == 0 {
				continue
			}
		case html.DoctypeToken:
			return quirksDoctype(string(z.Text()))
		}
		return true
	}
	return true
}

// quirksDoctype: a doctype of contents d (what follows "<!DOCTYPE")
// draws the page in quirks mode.
func quirksDoctype(d string) bool {
	d = strings.TrimLeft(d, " \t\n\r\f")
	name, rest := d, ""
	if i := strings.IndexAny(d, " \t\n\r\f"); i >= 0 {
		name, rest = d[:i], d[i:]
	}
	if asciiLower(name) != "html" {
		return true
	}
	// PUBLIC "id" ["id"] or SYSTEM "id"; anything else is a bogus
	// doctype, which forces quirks
	var ids []string
	rest = strings.TrimLeft(rest, " \t\n\r\f")
	kw := asciiLower(rest[:min(6, len(rest))])
	if rest != "" && kw != "public" && kw != "system" {
		return true
	}
	if rest != "" {
		rest = rest[6:]
		for n := 0; n < 2 && (n == 0 || kw == "public"); n++ {
			rest = strings.TrimLeft(rest, " \t\n\r\f")
			if rest == "" && n == 1 {
				break
			}
			if rest == "" || rest[0] != '"' && rest[0] != '\'' {
				return true
			}
			end := strings.IndexByte(rest[1:], rest[0])
			if end < 0 {
				return true
			}
			ids, rest = append(ids, asciiLower(rest[1:1+end])), rest[end+2:]
		}
		if strings.TrimLeft(rest, " \t\n\r\f") != "" {
			return true
		}
	}
	public, system, hasSystem := "", "", false
	switch {
	case kw == "public":
		public = ids[0]
		if len(ids) > 1 {
			system, hasSystem = ids[1], true
		}
	case kw == "system":
		system, hasSystem = ids[0], true
	}
	if public == "-//w3o//dtd w3 html strict 3.0//en//" || public == "-/w3c/dtd html 4.0 transitional/en" || public == "html" ||
		system == "http://www.ibm.com/data/dtd/v11/ibmxhtml1-transitional.dtd" {
		return true
	}
	for _, p := range quirksPublic {
		if strings.HasPrefix(public, p) {
			return true
		}
	}
	return !hasSystem && (strings.HasPrefix(public, "-//w3c//dtd html 4.01 frameset//") || strings.HasPrefix(public, "-//w3c//dtd html 4.01 transitional//"))
}

// quirksPublic are the beginnings of the public identifiers HTML's parser
// draws in quirks mode (its list, shortened where entries share a start).
var quirksPublic = []string{
	"+//silmaril//dtd html pro v0r11 19970101//", "-//as//dtd html 3.0 aswedit + extensions//",
	"-//advasoft ltd//dtd html 3.0 aswedit + extensions//", "-//ietf//dtd html", "-//metrius//dtd metrius presentational//",
	"-//microsoft//dtd internet explorer ", "-//netscape comm. corp.//dtd ", "-//o'reilly and associates//dtd html ",
	"-//softquad software//dtd hotmetal pro 6.0::19990601::extensions to html 4.0//",
	"-//softquad//dtd hotmetal pro 4.0::19971010::extensions to html 4.0//", "-//spyglass//dtd html 2.0 extended//",
	"-//sq//dtd html 2.0 hotmetal + extensions//", "-//sun microsystems corp.//dtd hotjava ", "-//w3c//dtd html 3 1995-03-24//",
	"-//w3c//dtd html 3.2", "-//w3c//dtd html 4.0 frameset//", "-//w3c//dtd html 4.0 transitional//",
	"-//w3c//dtd html experimental 19960712//", "-//w3c//dtd html experimental 970421//", "-//w3c//dtd w3 html//",
	"-//w3o//dtd w3 html 3.0//", "-//webtechs//dtd mozilla html 2.0//", "-//webtechs//dtd mozilla html//",
}
