package heuristic

import (
	"bytes"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/kensa-milter/kensa/showntext"
	"github.com/kensa-milter/kensa/urls"
)

// Reading what a page shows (readShown) builds the whole document tree
// and its styles: most of what a body costs the checks that read its
// text. Most bodies cannot say what a check looks for, whatever their
// styles hide, and that can be told from the markup's texts alone, in one
// pass of the tokenizer: the pieces below.
//
// What readShown shows is made of whole texts of the tree (text nodes, an
// image's alt text), some left out (hidden), in an order that may differ
// from the markup's (foster parenting moves text out of a table). So a
// word it shows is a suffix of one piece, then whole pieces, then a
// prefix of a piece, in any order: pieceMatcher asks exactly that, of
// the words' letters alone.

// shownPieces calls f with the pieces of text markup b's shown text is
// made of, until f returns false: every text the tokenizer reads (not
// scripts' and style sheets'), every image's alt attribute (the parser
// reads <image> as <img>). In SVG and MathML the parser reads as markup
// some of what the tokenizer reads as one text (a style's or title's,
// CDATA, which the tokenizer reads as a comment), and so does a body's
// parser in a <noscript>: where b has any of them,
// scripts, style sheets and comments are pieces too, each cut again at
// every '<' and '>' and unescaped, so that every text the parser could
// make of them is whole in some piece. A style sheet's strings are
// pieces (what a ::before, ::after or ::marker draws,
// showntext.CSSStrings), where b says list-style so are all its quoted
// strings (a style attribute's list-style-type), and where b says attr(
// so are all attributes' values (content: attr(x) draws one). A piece is only good until f returns.
func shownPieces(b []byte, f func([]byte) bool) {
	// a body's <noscript> is read as markup (showntext.ReadBody), where
	// the tokenizer reads it as one text: its pieces are cut as foreign
	// markup's are
	foreign := containsLower(b, "<svg") || containsLower(b, "<math") || containsLower(b, "<noscript")
	attrs := containsLower(b, "attr(")
	// a list item's ::marker draws the string of a list-style-type, which
	// a style attribute may give: the markup's quoted strings are pieces
	if containsLower(b, "list-style") && !cssPieces(b, f) {
		return
	}
	if !foreign && !attrs && scanPieces(b, f) {
		return
	}
	tokenPieces(b, foreign, attrs, f)
}

// cssPieces calls f with the strings of style sheet css; false when f
// did.
func cssPieces(css []byte, f func([]byte) bool) bool {
	ok := true
	showntext.CSSStrings(string(css), func(s string) bool {
		ok = f([]byte(s))
		return ok
	})
	return ok
}

// tokenPieces is shownPieces through html.Tokenizer; attrs: every
// attribute's value is a piece.
func tokenPieces(b []byte, foreign, attrs bool, f func([]byte) bool) {
	z := html.NewTokenizer(bytes.NewReader(b))
	skip := false  // in a script or a style sheet, whose text is never shown
	style := false // in a style sheet, whose strings may be
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			return
		case html.TextToken, html.CommentToken:
			text := z.Text() // once: the tokenizer gives it once
			if style && tt == html.TextToken && !cssPieces(text, f) {
				return
			}
			if skip || tt == html.CommentToken && !foreign {
				continue
			}
			if !foreign {
				if !f(text) {
					return
				}
				continue
			}
			for _, s := range bytes.FieldsFunc(text, func(r rune) bool { return r == '<' || r == '>' }) {
				if !f([]byte(html.UnescapeString(string(s)))) {
					return
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag := string(name)
			skip = !foreign && (tag == "script" || tag == "style") // <script/> too: the tokenizer reads on as its text
			style = tag == "style"
			for more && (attrs || tag == "img" || tag == "image") {
				var k, v []byte
				k, v, more = z.TagAttr()
				if (attrs || string(k) == "alt") && !f(v) {
					return
				}
			}
		case html.EndTagToken:
			skip, style = false, false
		}
	}
}

// scanPieces is shownPieces of markup without SVG or MathML, several
// times faster than the tokenizer (which copies every attribute's name):
// it finds text, tags, comments and raw text where html.Tokenizer does
// (FuzzShownPieces holds the two alike). False when it cannot: a script
// that holds "<!--", whose end the tokenizer finds by rules of its own
// (f may have had some pieces then).
func scanPieces(b []byte, f func([]byte) bool) bool {
	text := func(t []byte, unescape bool) bool {
		if len(t) == 0 {
			return true
		}
		if unescape && bytes.IndexByte(t, '&') >= 0 {
			t = []byte(html.UnescapeString(string(t)))
		}
		return f(t)
	}
	for start, i := 0, 0; ; {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 || i+k+1 >= len(b) {
			text(b[start:], true)
			return true
		}
		lt := i + k
		c := b[lt+1]
		if !isASCIILetter(c) && c != '/' && c != '!' && c != '?' {
			i = lt + 1 // a '<' of the text
			continue
		}
		if !text(b[start:lt], true) {
			return true
		}
		var next int
		switch {
		case c == '!' && bytes.HasPrefix(b[lt+2:], []byte("--")):
			next = commentEnd(b, lt+4)
		case c == '!' || c == '?':
			next = closeAngle(b, lt+2)
		case c == '/' && lt+2 < len(b) && b[lt+2] == '>':
			next = lt + 3
		case c == '/' && lt+2 < len(b) && isASCIILetter(b[lt+2]):
			next, _ = readTag(b, lt+2, nil)
		case c == '/':
			next = closeAngle(b, lt+2)
		default:
			var alts [][]byte
			var name []byte
			next, name = readTag(b, lt+1, func(name, k, v []byte) {
				if (bytes.EqualFold(name, []byte("img")) || bytes.EqualFold(name, []byte("image"))) && bytes.EqualFold(k, []byte("alt")) {
					alts = append(alts, v)
				}
			})
			for _, a := range alts {
				if bytes.IndexByte(a, '&') >= 0 {
					alts = altsOf(b[lt:next]) // references in a value are read by rules of their own
					break
				}
			}
			for _, a := range alts {
				if !text(a, false) {
					return true
				}
			}
			raw := rawElement(name)
			switch {
			case raw == "":
			case raw == "plaintext":
				text(b[next:], false)
				return true
			default:
				end := rawEnd(b, next, raw)
				switch raw {
				case "script":
					if bytes.Contains(b[next:end], []byte("<!--")) {
						return false
					}
				case "style":
					if !cssPieces(b[next:end], f) {
						return true
					}
				default:
					if !text(b[next:end], raw == "textarea" || raw == "title") {
						return true
					}
				}
				next = end
			}
		}
		if next >= len(b) {
			return true
		}
		start, i = next, next
	}
}

// altsOf is the alt values of tag, as html.Tokenizer reads them.
func altsOf(tag []byte) [][]byte {
	z := html.NewTokenizer(bytes.NewReader(tag))
	z.Next()
	var alts [][]byte
	for _, more := z.TagName(); more; {
		var k, v []byte
		if k, v, more = z.TagAttr(); string(k) == "alt" {
			alts = append(alts, bytes.Clone(v))
		}
	}
	return alts
}

// rawElements are the elements whose content the tokenizer reads as text
// up to their end tag.
var rawElements = []string{"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp"}

// rawElement is name's in rawElements, lower case; "" for none.
func rawElement(name []byte) string {
	for _, r := range rawElements {
		if bytes.EqualFold(name, []byte(r)) {
			return r
		}
	}
	return ""
}

func isTagSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }

// skipTagSpace is the first index from p of a byte that is no white space.
func skipTagSpace(b []byte, p int) int {
	for p < len(b) && isTagSpace(b[p]) {
		p++
	}
	return p
}

// closeAngle is the index after the first '>' from p (len(b) for none).
func closeAngle(b []byte, p int) int {
	if k := bytes.IndexByte(b[p:], '>'); k >= 0 {
		return p + k + 1
	}
	return len(b)
}

// commentEnd is the index after the comment whose data starts at p, as
// the tokenizer ends it: at "-->", "--!>", or a '>' right after "<!--"
// and its dashes.
func commentEnd(b []byte, p int) int {
	dashes, beginning := 0, true
	for q := p; q < len(b); q++ {
		switch b[q] {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return q + 1
			}
		case '!':
			if dashes >= 2 {
				if q++; q >= len(b) {
					return len(b)
				}
				switch b[q] {
				case '>':
					return q + 1
				case '-':
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
	return len(b)
}

// readTag reads the tag whose name starts at b[p] as the tokenizer does
// (quoted values may hold '>'), calling attr with each attribute: the
// index after it (len(b) when it does not end) and its name.
func readTag(b []byte, p int, attr func(name, k, v []byte)) (int, []byte) {
	q := p + 1
	for q < len(b) && !isTagSpace(b[q]) && b[q] != '/' && b[q] != '>' {
		q++
	}
	if q >= len(b) {
		return len(b), nil
	}
	name := b[p:q]
	if isTagSpace(b[q]) {
		q++
	}
	for {
		if q = skipTagSpace(b, q); q >= len(b) {
			return len(b), name
		}
		if b[q] == '>' {
			return q + 1, name
		}
		ks := q
		for q < len(b) {
			c := b[q]
			if c == '=' && q == ks {
				q++ // an '=' before the name is of the name
				continue
			}
			if isTagSpace(c) || c == '/' || c == '>' || c == '=' {
				break
			}
			q++
		}
		key := b[ks:q]
		if q = skipTagSpace(b, q); q >= len(b) {
			return len(b), name
		}
		var val []byte
		switch c := b[q]; {
		case c == '/':
			q++
		case c != '=':
		default:
			if q = skipTagSpace(b, q+1); q >= len(b) {
				return len(b), name
			}
			switch quote := b[q]; quote {
			case '>':
			case '"', '\'':
				e := bytes.IndexByte(b[q+1:], quote)
				if e < 0 {
					return len(b), name
				}
				val, q = b[q+1:q+1+e], q+e+2
			default:
				vs := q
				for q < len(b) && !isTagSpace(b[q]) && b[q] != '>' {
					q++
				}
				val = b[vs:q]
				if q < len(b) && isTagSpace(b[q]) {
					q++
				}
			}
		}
		if attr != nil {
			attr(name, key, val)
		}
	}
}

// rawEnd is the index of the end tag of raw element tag whose text
// starts at p, as the tokenizer finds it: "</", the name in any case,
// then white space, '/' or '>'; len(b) for none.
func rawEnd(b []byte, p int, tag string) int {
	for q := p; ; {
		k := bytes.IndexByte(b[q:], '<')
		if k < 0 {
			return len(b)
		}
		lt := q + k
		if q = lt + 1; q >= len(b) {
			return len(b)
		}
		if b[q] != '/' {
			continue
		}
		r := q + 1
		for i := 0; i < len(tag) && r < len(b) && (b[r] == tag[i] || b[r] == tag[i]-('a'-'A')); i++ {
			r++
		}
		if r >= len(b) {
			return len(b)
		}
		if r == q+1+len(tag) && (isTagSpace(b[r]) || b[r] == '/' || b[r] == '>') {
			return lt
		}
		q = r
	}
}

// pieceMatcher answers whether some word of a text made of pieces (as
// shownPieces gives them: any of them left out, in any order) can hold
// one of its patterns (pieceStream's letters): a pattern found in the
// pieces read in a row, or a path from its start to its end through a
// piece ending with its head, whole pieces inside it and a piece starting
// with its tail. Patterns are 2 to 63 bytes, in up to 8 groups, each
// answered on its own (matched): several questions of the same pieces
// are read in one pass. The pieces are read in a row through one
// Aho-Corasick automaton of all the patterns, whose state at a piece's
// end says which heads end there: the longest end of the text that
// begins a pattern ends with every pattern's head that the text ends
// with, so every group's answer is what an automaton of its patterns
// alone gives.
type pieceMatcher struct {
	pats  []string
	group []uint8    // pattern -> its group
	class [256]uint8 // byte -> column of next; 0 for bytes no pattern has
	next  [][]int32  // automaton: state, column -> state
	done  []uint8    // bit g: a pattern of group g ends at the state
	heads [][]uint64 // state -> per pattern, bit j: the state's text ends with pats[k][:j]
	first [256][]patPos
	short int   // pieces shorter than this may be whole inside a pattern
	all   uint8 // a bit for each group
}

type patPos struct{ k, i int }

// newPieceMatcher is a matcher of groups of patterns; group g's are
// groups[g].
func newPieceMatcher(groups ...[]string) *pieceMatcher {
	m := &pieceMatcher{}
	for g, pats := range groups[:min(len(groups), 8)] {
		for _, s := range pats {
			m.pats = append(m.pats, s)
			m.group = append(m.group, uint8(g))
		}
		m.all |= 1 << g
	}
	pats := m.pats
	cols := 1
	for _, s := range pats {
		for i := 0; i < len(s); i++ {
			if m.class[s[i]] == 0 {
				m.class[s[i]] = uint8(cols)
				cols++
			}
		}
	}
	// the trie of the patterns, each state the text that leads to it
	m.next = [][]int32{make([]int32, cols)}
	text := []string{""}
	for _, s := range pats {
		st := int32(0)
		for i := 0; i < len(s); i++ {
			c := m.class[s[i]]
			if m.next[st][c] == 0 {
				m.next = append(m.next, make([]int32, cols))
				text = append(text, s[:i+1])
				m.next[st][c] = int32(len(m.next) - 1)
			}
			st = m.next[st][c]
		}
	}
	// every state's moves, its text's pattern ends and heads, breadth first
	n := len(m.next)
	m.done, m.heads = make([]uint8, n), make([][]uint64, n)
	fail := make([]int32, n)
	queue := []int32{0}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		m.heads[st] = make([]uint64, len(pats))
		for k, s := range pats {
			for j := 1; j <= len(s) && j <= len(text[st]); j++ {
				if strings.HasSuffix(text[st], s[:j]) {
					if j == len(s) {
						m.done[st] |= 1 << m.group[k]
					} else {
						m.heads[st][k] |= 1 << j
					}
				}
			}
		}
		for c := 1; c < cols; c++ {
			if t := m.next[st][c]; t != 0 && text[t] == text[st]+text[t][len(text[st]):] && len(text[t]) == len(text[st])+1 {
				if st != 0 {
					fail[t] = m.next[fail[st]][c]
				}
				queue = append(queue, t)
			} else if st != 0 {
				m.next[st][c] = m.next[fail[st]][c]
			}
		}
	}
	for k, s := range pats {
		for i := 1; i < len(s); i++ {
			m.first[s[i]] = append(m.first[s[i]], patPos{k, i})
		}
		m.short = max(m.short, len(s)-1)
	}
	return m
}

// pieceState is what the pieces read so far allow of each pattern: bit i
// of heads[k], a piece ends with pats[k][:i]; of tails[k], a piece
// starts with pats[k][i:]; inside[k][i] bit j, a piece is pats[k][i:j].
type pieceState struct {
	m            *pieceMatcher
	st           int32
	found        uint8 // bit g: a pattern of group g was read in a row
	heads, tails []uint64
	inside       [][64]uint64
}

func (m *pieceMatcher) state() *pieceState {
	return &pieceState{m: m, heads: make([]uint64, len(m.pats)), tails: make([]uint64, len(m.pats)), inside: make([][64]uint64, len(m.pats))}
}

// add reads a piece of text; false when its letters cannot be read
// alone (pieceStream).
func (st *pieceState) add(t []byte) bool {
	if st.found == st.m.all {
		return true
	}
	var head [64]byte // the piece's first letters, as many as a pattern has
	n := 0
	m := st.m
	s := st.st
	step := func(c byte) {
		if n < len(head) {
			head[n] = c
		}
		n++
		s = m.next[s][m.class[c]]
		st.found |= m.done[s]
	}
	ascii := true
	for i := 0; i < len(t) && ascii; i++ {
		c := t[i]
		if ascii = c < utf8.RuneSelf; ascii {
			for _, c := range []byte(asciiStream[c]) {
				step(c)
			}
		}
	}
	if !ascii {
		n, s = 0, st.st
		letters, ok := pieceStream(nil, string(t))
		if !ok {
			return false
		}
		for _, c := range letters {
			step(c)
		}
	}
	if st.st = s; n == 0 || st.found == m.all {
		return true
	}
	for k, h := range m.heads[s] {
		st.heads[k] |= h
	}
	p := head[:min(n, len(head))]
	for _, q := range m.first[p[0]] {
		if s := m.pats[q.k]; len(s)-q.i <= len(p) && string(p[:len(s)-q.i]) == s[q.i:] {
			st.tails[q.k] |= 1 << q.i
		}
	}
	if n < m.short {
		for k, s := range m.pats {
			for i := 1; i+n < len(s); i++ {
				if s[i:i+n] == string(p) {
					st.inside[k][i] |= 1 << (i + n)
				}
			}
		}
	}
	return true
}

// matched: some pattern of group g can be read across the pieces added.
func (st *pieceState) matched(g int) bool {
	if st.found&(1<<g) != 0 {
		return true
	}
	for k := range st.m.pats {
		if int(st.m.group[k]) != g {
			continue
		}
		reach, seen := st.heads[k], uint64(0)
		for todo := reach; todo != 0; todo = reach &^ seen {
			i := bits.TrailingZeros64(todo)
			seen |= 1 << i
			reach |= st.inside[k][i]
		}
		if reach&st.tails[k] != 0 {
			return true
		}
	}
	return false
}

// asciiStream is pieceStream's letters of each ASCII byte (nil for none).
var asciiStream = func() (t [utf8.RuneSelf]string) {
	for c := range utf8.RuneSelf {
		r := rune(c)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			t[c] = vvForW(urls.Skeleton(string(unicode.ToLower(r))))
		}
	}
	return t
}()

// vvForW writes every w as vv: urls.Skeleton reads vv as w, so in these
// letters the two compare alike a character at a time.
func vvForW(s string) string { return strings.ReplaceAll(s, "w", "vv") }

// pieceStream appends to dst the letters and digits of text s as a brand
// word is compared (foldLure, then urls.Skeleton), one character at a
// time, w as vv; false when s reverses its text (U+202E), which folding
// the whole text would read across pieces.
func pieceStream(dst []byte, s string) ([]byte, bool) {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		for i := 0; i < len(s); i++ {
			dst = append(dst, asciiStream[s[i]]...)
		}
		return dst, true
	}
	if strings.ContainsRune(s, '\u202E') {
		return dst, false
	}
	for _, r := range foldLure(s) {
		switch {
		case r < utf8.RuneSelf:
			dst = append(dst, asciiStream[r]...)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			dst = append(dst, vvForW(urls.Skeleton(string(r)))...)
		}
	}
	return dst, true
}
