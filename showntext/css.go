package showntext

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// A style sheet: the page's <style> rules, indexed by what their last
// compound selector names.
type styleSheet struct {
	byID, byClass, byTag map[string][]*cssRule
	any                  []*cssRule
	tries                int // rules and elements left to try (maxRuleTries)
}

type cssRule struct {
	compound            // what the rule styles
	context   []selStep // the compounds before it, nearest first
	spec      int       // ids, classes and tags, as one number
	order     int
	decls     []cssDecl
	pseudoElt string // "before" or "after": the rule styles that box of the element
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
// last), :empty, :root, :any-link, :not() and :is() of compound lists, and
// the states a reader's first sight does not have (:hover, :focus...),
// which never match.
type pseudoSel struct {
	kind         byte // 'n' nth, 'e' empty, 'r' root, 'l' link, '!' not, 'i' is, 'x' never
	a, b         int
	ofType, last bool
	list         []compound
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
func readStyleSheets(doc *html.Node) *styleSheet {
	s := &styleSheet{byID: map[string][]*cssRule{}, byClass: map[string][]*cssRule{}, byTag: map[string][]*cssRule{}, tries: maxRuleTries}
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
			if (strings.HasPrefix(prelude, "@media") && mediaApplies(prelude)) || strings.HasPrefix(prelude, "@supports") || strings.HasPrefix(prelude, "@layer") {
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
			r, ok := parseSelector(sel)
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

// mediaApplies: an @media rule that holds on a desktop screen in the
// light scheme.
func mediaApplies(prelude string) bool {
	q := strings.TrimSpace(strings.TrimPrefix(prelude, "@media"))
	if strings.Contains(q, "print") && !strings.Contains(q, "screen") && !strings.Contains(q, "all") ||
		strings.Contains(q, "speech") || strings.Contains(q, "dark") {
		return false
	}
	if i := strings.Index(q, "max-width"); i >= 0 {
		v := strings.TrimLeft(q[i+len("max-width"):], ": ")
		if end := strings.IndexAny(v, ") "); end >= 0 {
			v = v[:end]
		}
		if px, ok := cssLength(v, 16, -1); ok && px < viewportW {
			return false
		}
	}
	return true
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
		if prop != "content" {
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
// child and sibling combinators, the last of which may end in ::before or
// ::after. What it does not read (other pseudo-elements and
// pseudo-classes, namespaces, escapes) makes it a rule this reading does
// not apply: what is not understood counts as shown.
func parseSelector(sel string) (*cssRule, bool) {
	parts, combs := splitSelector(sel)
	if len(parts) == 0 || len(parts) > 16 {
		return nil, false
	}
	r := &cssRule{}
	for i := len(parts) - 1; i >= 0; i-- {
		c, spec, elt, ok := parseCompound(parts[i], 0)
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

// parseCompound reads one compound selector (as written: tags, classes
// and ids are read in lower case, attribute values as written), its
// specificity and the pseudo-element it ends in. depth counts the :not()
// and :is() it is inside.
func parseCompound(orig string, depth int) (c compound, spec int, elt string, ok bool) {
	sel := asciiLower(orig)
	i := identEnd(sel, 0)
	if i == 0 && strings.HasPrefix(sel, "*") {
		i = 1
	} else if i > 0 {
		c.tag, spec = sel[:i], 1
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
			if name := sel[i+1 : j]; sel[i] == '.' {
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
			if name == "before" || name == "after" {
				if args != "" {
					return c, 0, "", false
				}
				elt, spec, i = name, spec+1, k
				continue
			}
			if j > i+1 || depth > 3 {
				return c, 0, "", false // another pseudo-element
			}
			p, s, ok := parsePseudo(name, args, depth)
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
// none): letters, digits, '-', '_' and non-ASCII.
func identEnd(s string, i int) int {
	j := i
	for j < len(s) && j-i < 128 {
		c := s[j]
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80) {
			break
		}
		j++
	}
	return j
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
	a.name = low[i:j]
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
		a.val, i = orig[i:end], end
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
func parsePseudo(name, args string, depth int) (pseudoSel, int, bool) {
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
			c, spec, elt, ok := parseCompound(strings.TrimSpace(s), depth+1)
			if !ok || elt != "" {
				return p, 0, false
			}
			p.list, most = append(p.list, c), max(most, spec)
		}
		if name == "where" {
			most = 0
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
			j++
			if s[j] == '\n' {
				continue
			}
			h := j
			for h < len(s) && h-j < 6 && isHex(s[h]) {
				h++
			}
			if h == j {
				b.WriteByte(s[j])
				continue
			}
			v, _ := strconv.ParseUint(s[j:h], 16, 32)
			if v == 0 || v > 0x10FFFF || v >= 0xD800 && v <= 0xDFFF {
				v = 0xFFFD
			}
			b.WriteRune(rune(v))
			if h < len(s) && (s[h] == ' ' || s[h] == '\t' || s[h] == '\n') {
				h++
			}
			j = h - 1
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
// ::before's and ::after's (nil for none).
type styles struct{ own, before, after map[string]string }

// declarations are n's properties after the cascade: the sheet's rules
// that match, by specificity and order, then the style attribute, with
// !important ones last; and those of its ::before and ::after.
func (s *styleSheet) declarations(n *html.Node) styles {
	style := attrOf(n, "style")
	id, classes := asciiLower(attrOf(n, "id")), strings.Fields(asciiLower(attrOf(n, "class")))
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
	if len(rules) == 0 && style == "" {
		return styles{}
	}
	sort.SliceStable(rules, func(i, j int) bool {
		if rules[i].spec != rules[j].spec {
			return rules[i].spec < rules[j].spec
		}
		return rules[i].order < rules[j].order
	})
	var out styles
	inline := parseDecls(style)
	for _, important := range []bool{false, true} {
		for _, r := range rules {
			d := &out.own
			switch r.pseudoElt {
			case "before":
				d = &out.before
			case "after":
				d = &out.after
			}
			for _, x := range r.decls {
				if x.important == important {
					if *d == nil {
						*d = map[string]string{}
					}
					(*d)[x.prop] = x.val
				}
			}
		}
		for _, x := range inline {
			if x.important == important {
				if out.own == nil {
					out.own = map[string]string{}
				}
				out.own[x.prop] = x.val
			}
		}
	}
	return out
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
	if c.id != "" && asciiLower(attrOf(n, "id")) != c.id {
		return false
	}
	if len(c.classes) > 0 && !c.matches(n.Data, c.id, strings.Fields(asciiLower(attrOf(n, "class")))) {
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
