package showntext

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/colornames"
	"golang.org/x/net/html"
)

// What of a page's text the reader sees. A loader pads itself with text
// the reader never sees, so as to look like a page of its own; the text
// counted is what Chromium draws where the reader can see it. Hidden, as
// the browser tests show Chromium draws it (htmlvisible_browser_test.go
// in scanners/heuristic):
//   - not drawn: display:none, visibility:hidden, the hidden attribute,
//     title, noscript (in a browser: a mail body's is drawn, ReadBody),
//     template and the like, opacity 0, content-visibility:hidden;
//   - off the screen: moved left or up by a large offset (position, margin,
//     text-indent, transform: translate, translate), where no scrolling
//     reaches, or right past the edge of a block that clips one line;
//   - clipped: clip:rect of no area, clip-path:inset(50%) or a polygon
//     of no area, a block of no
//     width or height (or max-) or of line-height 0 whose overflow is hidden;
//   - unreadable: a font of 1px or less (zoom applied), letters drawn on
//     each other (letter-spacing -1em), a colour (-webkit-text-fill-color
//     where set, else color; alpha, opacity and filter: opacity()
//     blended; lab() and oklab() spaces; color-mix() in sRGB; <font color>
//     and bgcolor) that stands out from what it is drawn on by a contrast
//     ratio under 1.1 (the element's or an ancestor's background colour,
//     the window's white), unless a shadow, a stroke or a background
//     clipped to the text paints it in one that does;
//   - covered: under an opaque element fixed across the whole window;
//   - mso-hide:all, which Outlook (Word's renderer) does not draw, though
//     Chromium does: mail is read in Outlook too.
//
// Style sheets count as inline styles do (css.go): rules whose compound
// selectors (a tag, classes, an id, attribute selectors, structural
// pseudo-classes, :not(), :is() and :has(); escapes put in place) are
// joined by descendant, child and sibling combinators, by specificity and
// order, !important, custom properties. Classes and ids match in their
// case but in quirks mode (no doctype, or an old one), as Chromium
// matches them. @media and @supports rules apply where their condition is
// met for sure by a desktop mail client in the light scheme (a window
// ViewportWidth wide; print, narrow windows, a dark scheme, features not
// known here are left out). Text the styles alone draw is shown too: the content of
// ::before and ::after, an element with the hidden attribute a rule
// displays. What is not understood counts as shown, except that text
// behind a picture's positioned caption is not judged by colour.
//
// The same reading gives the text itself (Text) to the checks that
// read what a body or page says (callback-phishing, document-share-lure):
// hiding errs either way for them (a lure hidden from the reader must not
// count, nor decoy text beside a shown lure), so rules apply only where
// the browser applies them.

// Bounds of the reading: elements walked, how deep, style rules read,
// and rules tried against elements (past it, the rest of the page is not
// counted: many rules for one class must not make the reading slow).
const (
	maxRuleTries    = 1_000_000
	maxVisibleNodes = 200_000
	maxVisibleDepth = 256
	maxCSSRules     = 4000
	offScreen       = 999 // px: an offset this far left or up hides what it moves
	minLogicalFont  = 6   // px: Chromium's least size for a relative font size
	viewportW       = 1280
	viewportH       = 720
)

// ViewportWidth is the width in px of the window the reading assumes (a
// desktop's): a test draws pages in Chromium at this width.
const ViewportWidth = viewportW

// Chars counts the characters other than spaces that Chromium shows of
// markup b.
func Chars(b []byte) int {
	n, _ := Read(b, 0)
	return n
}

// Text is the text of markup b that a reader sees, as Chromium draws it
// (what Chars counts, the same reading) and as a mail client lays it out:
// an image's description (its alt text, shown where the image is not), a
// space at each block's edge and <br> but none at an inline element's
// (N<b>or</b>ton reads "Norton"), runs of white space one space. It stops
// after about limit bytes.
func Text(b []byte, limit int) string {
	_, t := Read(b, max(limit, 1))
	return t
}

// Lines is Text with a line break at each block's edge and <br> where
// Text has a space, as a reader sees the lines (innerText): "Password:"
// in one table cell and the password in the next are two lines.
func Lines(b []byte, limit int) string {
	_, t := read(b, max(limit, 1), true, true)
	return t
}

// Read reads markup b once, as a page a browser opens: the characters
// (not spaces) its text shows (Chars), and, when limit > 0, that text
// (Text) up to about limit bytes.
func Read(b []byte, limit int) (int, string) { return read(b, limit, false, true) }

// ReadBody is Read of a mail body, as a mail client draws it: it runs no
// script, so what <noscript> holds is drawn (as Chromium draws it with
// scripts off), and read as markup.
func ReadBody(b []byte, limit int) (int, string) { return read(b, limit, false, false) }

// read reads markup b; lines: a block's edge is a line break; scripting:
// the reader runs scripts (a browser), so <noscript> is not drawn.
func read(b []byte, limit int, lines, scripting bool) (int, string) {
	doc, err := html.ParseWithOptions(bytes.NewReader(b), html.ParseOptionEnableScripting(scripting))
	if err != nil {
		// Go's parser refuses elements open more than 512 deep, which
		// Chromium flattens and shows: nothing here is vouched for as
		// shown, so padding cannot hide behind it; its text is all
		// taken as shown, so a lure cannot either.
		if limit > 0 {
			return 0, allText(b, limit)
		}
		return 0, ""
	}
	v := &visibility{sheet: readStyleSheets(doc, quirksMode(b)), limit: limit, scripting: scripting}
	v.walk(doc, rootBox())
	// The top cover hides what is drawn below it.
	top := -1
	for i, c := range v.covers {
		if top < 0 || c.z >= v.covers[top].z {
			top = i
		}
	}
	covered := func(t shownText) bool {
		if top < 0 || t.sep {
			return false
		}
		c := v.covers[top]
		return t.stackZ < c.z || t.stackZ == c.z && t.stackOrder < c.order
	}
	n := 0
	var out textWriter
	for _, t := range v.texts {
		if covered(t) {
			continue
		}
		n += t.chars
		switch {
		case limit <= 0 || out.b.Len() >= limit:
		case t.sep && lines:
			out.lineBreak()
		default:
			out.write(t.s)
		}
	}
	return n, out.b.String()
}

// textWriter writes text with each run of white space as one space, as a
// browser shows it, or as one line break where it holds a block's edge
// (lineBreak); none at either end.
type textWriter struct {
	b       strings.Builder
	pending byte // the white space to write before the next character: 0, ' ' or '\n'
}

func (w *textWriter) write(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			if w.pending == 0 && w.b.Len() > 0 {
				w.pending = ' '
			}
		} else {
			if w.pending != 0 {
				w.b.WriteByte(w.pending)
				w.pending = 0
			}
			w.b.WriteByte(c)
		}
	}
}

// lineBreak ends the line: the white space around it becomes one line
// break.
func (w *textWriter) lineBreak() {
	if w.b.Len() > 0 {
		w.pending = '\n'
	}
}

// allText is the text of markup too deep for the parser: every text
// outside scripts and style sheets, as shown.
func allText(b []byte, limit int) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var out textWriter
	raw := false
	for i := 0; i < 1_000_000 && out.b.Len() < limit; i++ {
		switch z.Next() {
		case html.ErrorToken:
			return out.b.String()
		case html.TextToken:
			if !raw {
				out.write(string(z.Text()))
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			raw = string(name) == "script" || string(name) == "style"
			out.write(" ")
		case html.EndTagToken:
			raw = false
			out.write(" ")
		}
	}
	return out.b.String()
}

type visibility struct {
	sheet  *styleSheet
	nodes  int
	order  int
	texts  []shownText
	covers []cover
	limit  int // bytes of text to keep (0: count only)
	kept   int // bytes of text kept
	// scripting: the reader runs scripts, and draws no <noscript>
	scripting bool
}

// shownText is a text drawn for the reader unless a cover lies over it:
// the stacking of its outermost positioned ancestor (stackZ -1 for text
// in the page's flow, under every positioned element). chars counts its
// characters other than spaces (0 for an image's description); s is the
// text when it is kept; sep marks a block's edge.
type shownText struct {
	chars              int
	stackZ, stackOrder int
	s                  string
	sep                bool
}

// keep appends a shown text, its words kept while the limit allows.
func (v *visibility) keep(chars int, s string, in *box) {
	if v.limit <= 0 || v.kept >= v.limit {
		s = ""
	}
	if chars == 0 && s == "" {
		return
	}
	v.kept += len(s)
	v.texts = append(v.texts, shownText{chars, in.stackZ, in.stackOrder, s, false})
}

// edge marks a block's edge in the kept text.
func (v *visibility) edge() {
	if v.limit > 0 && v.kept < v.limit {
		v.kept++
		v.texts = append(v.texts, shownText{s: " ", sep: true})
	}
}

type cover struct{ z, order int }

// box is what an element passes down to its content.
type box struct {
	font       float64 // px
	fontAbs    bool    // the size is absolute (px, pt, ...): no minimum applies
	zoom       float64 // the ancestors' zoom, multiplied: text is drawn at font*zoom px
	spacing    float64 // letter-spacing, px
	color      rgba
	colorOK    bool
	fill       rgba // -webkit-text-fill-color, where fillSet
	fillSet    bool
	back       rgba // what text is drawn on
	backOK     bool
	alpha      float64 // opacity of the ancestors, multiplied
	invisible  bool    // visibility:hidden
	indented   bool    // text-indent off the screen
	lineless   bool    // in the lines of a block of line-height 0 that clips them
	positioned bool    // an ancestor is positioned (absolute's containing block)
	block      bool    // the element is laid out as a block: its edges part words
	stackZ     int
	stackOrder int
	vars       map[string]string
	letter     *lineStart // a ::first-letter the next text draws
	line       *lineStart // a ::first-line the text draws until the line ends
	paint      *textPaint // what paints the text besides its fill, nil for nothing
	listStyle  string     // a list item's marker string (list-style-type: "..."), inherited
}

// textPaint is what paints text besides its fill colour, so that it shows
// whatever the fill: a stroke (-webkit-text-stroke), shadows
// (text-shadow), both inherited, and an ancestor's background clipped to
// the text (background-clip: text), a colour or a picture.
type textPaint struct {
	stroke      rgba
	strokeOK    bool
	shadows     []rgba
	clips       []rgba
	clipPicture bool
}

// lineStart is a block's ::first-letter or ::first-line, which its first
// text draws in a font of its own: the pseudo-element's properties, the
// font the block's own text has (a descendant's own font-size wins over
// the ::first-line's), the characters it has drawn and whether it has
// ended. The text elements share one.
type lineStart struct {
	props     map[string]string
	blockFont float64
	chars     int
	done      bool
}

// lineChars is how many characters a first line holds for sure: 40 in a
// column 600px wide at 24px (a longer one may wrap earlier, so the rest
// is read in the text's own font).
const lineChars = 40

func rootBox() box {
	return box{font: 16, zoom: 1, color: rgba{0, 0, 0, 1}, colorOK: true, back: rgba{255, 255, 255, 1}, backOK: true, alpha: 1, stackZ: -1}
}

// notDrawn are elements whose content the browser (running scripts) does
// not draw; a reader running no script draws <noscript>.
var notDrawn = names("head script style title noscript template noembed noframes iframe object embed datalist canvas video audio")

// blockByDefault are the elements Chromium's own style sheet lays out as
// blocks, list items or table parts: their edges part words. Every other
// element, an unknown one (<x-a>, <o:p>) too, is drawn inside a line, so
// Nor<x-a>ton</x-a> reads "Norton"; a <br> breaks the line.
var blockByDefault = names(`html body address blockquote center dialog div figure figcaption footer form header hr
	legend listing main p plaintext pre search xmp article aside h1 h2 h3 h4 h5 h6 hgroup nav section dir dd dl dt
	menu ol ul li fieldset details summary optgroup option frameset frame table caption thead tbody tfoot tr td th br`)

// atomicInline are the elements drawn inside a line as one box, whose
// width, height and overflow apply (they do not to other inline elements).
var atomicInline = names("img input button select textarea video canvas iframe object embed svg meter progress marquee")

// replaced are elements that draw a picture a caption may stand on.
var replaced = names("img picture video canvas svg iframe object embed")

// names is the set of the words of s.
func names(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// inlineByDefault: width, height and overflow do not apply to element
// name unless it is styled otherwise.
func inlineByDefault(name string) bool { return !blockByDefault[name] && !atomicInline[name] }

// NonSpace counts the bytes of t that are no space or control character.
func NonSpace(t []byte) int {
	n := 0
	for _, c := range t {
		if c > ' ' {
			n++
		}
	}
	return n
}

func (v *visibility) walk(n *html.Node, in box) {
	type item struct {
		n     *html.Node // nil: the end of a block (in.block), or a pseudo-element's text
		in    box
		depth int
		text  string // a pseudo-element's text
	}
	stack := []item{{n, in, 0, ""}}
	for len(stack) > 0 && v.nodes < maxVisibleNodes && v.sheet.tries >= 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.n == nil {
			if it.text != "" {
				v.text(it.text, &it.in)
			} else {
				if l := it.in.line; l != nil && l.chars > 0 {
					l.done = true // a block's edge ends the first line
				}
				v.edge()
			}
			continue
		}
		v.nodes++
		var out box
		var pseudo [2]*box // ::before, ::after
		var texts [2]string
		var marker *box // ::marker
		var mtext string
		switch it.n.Type {
		case html.TextNode:
			v.text(it.n.Data, &it.in)
			continue
		case html.DocumentNode:
			out = it.in
		case html.ElementNode:
			hidden, always := hiddenAttr(it.n)
			if it.depth >= maxVisibleDepth || notDrawn[it.n.Data] && (v.scripting || it.n.Data != "noscript") || always {
				continue
			}
			st := v.sheet.declarations(it.n)
			var ok bool
			if out, ok = v.style(it.n.Data, st.own, hidden, it.n.Parent, it.in); !ok {
				continue
			}
			if alt := attrOf(it.n, "alt"); alt != "" && it.n.Data == "img" && !out.invisible {
				v.keep(0, " "+alt+" ", &out) // shown where the image is not
			}
			v.lineStarts(it.n, &out, &it.in, st)
			for i, d := range [2]map[string]string{st.before, st.after} {
				if t := contentText(d["content"], it.n); t != "" && !noPseudo[it.n.Data] {
					if b, ok := v.style("::pseudo", d, false, it.n, out); ok {
						pseudo[i], texts[i] = &b, t
					}
				}
			}
			if t, d := markerText(it.n, st, out); t != "" {
				if b, ok := v.style("::pseudo", d, false, it.n, out); ok {
					b.block = false
					marker, mtext = &b, t
				}
			}
		default:
			continue
		}
		// children in reverse, so that they come off the stack in order; a
		// closed details shows its summary alone, a closed dialog nothing
		closed := it.n.Type == html.ElementNode && (it.n.Data == "details" || it.n.Data == "dialog") && !hasAttr(it.n, "open")
		var kids []*html.Node
		for c := it.n.FirstChild; c != nil && len(kids) < maxVisibleNodes; c = c.NextSibling {
			if !closed || it.n.Data == "details" && c.Type == html.ElementNode && c.Data == "summary" {
				kids = append(kids, c)
			}
		}
		if out.block && v.limit > 0 {
			v.edge()
			stack = append(stack, item{nil, out, it.depth, ""})
		}
		// a pseudo-element's text, between the element's edges and
		// around its content, parts words where it is a block
		pushText := func(b *box, t string) {
			if b.block && v.limit > 0 {
				stack = append(stack, item{nil, *b, it.depth, ""})
			}
			stack = append(stack, item{nil, *b, it.depth, t})
			if b.block && v.limit > 0 {
				stack = append(stack, item{nil, *b, it.depth, ""})
			}
		}
		if pseudo[1] != nil {
			pushText(pseudo[1], texts[1])
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, item{kids[i], out, it.depth + 1, ""})
		}
		if pseudo[0] != nil {
			pushText(pseudo[0], texts[0])
		}
		if marker != nil { // drawn before the content and its ::before
			stack = append(stack, item{nil, *marker, it.depth, mtext})
		}
	}
}

// markerProps are the properties of a ::marker that Chromium applies
// (CSS Lists: fonts, colour, content; not display, visibility, opacity).
var markerProps = names("color font font-size content")

// markerText is the text element n's ::marker draws where n is a list
// item (an <li>, or display: list-item), and the marker's own properties
// (st: n's styles; out: its box): the strings of the ::marker's content,
// else the string of its list-style-type ("" for a bullet or a number,
// which say nothing).
func markerText(n *html.Node, st styles, out box) (string, map[string]string) {
	display := st.own["display"]
	if display != "list-item" && (display != "" || n.Data != "li") {
		return "", nil
	}
	var d map[string]string
	for k, v := range st.marker {
		if markerProps[k] {
			if d == nil {
				d = map[string]string{}
			}
			d[k] = v
		}
	}
	if c, ok := d["content"]; ok && c != "normal" {
		return contentText(c, n), d
	}
	return out.listStyle, d
}

// listStyleString is the marker string a list-style-type (or the
// list-style shorthand) gives: its quoted string, "" for none, a bullet
// or a counter; false where v is not set.
func listStyleString(v string) (string, bool) {
	if v == "" {
		return "", false
	}
	if i := strings.IndexAny(v, `"'`); i >= 0 {
		s, _, _ := cssString(v, i)
		return s, true
	}
	return "", true
}

// lineStarts passes element n's ::first-letter and ::first-line (st) to
// its content (out), as Chromium draws them: in a block container, to
// its first text on its first line; an element out of the flow (absolute,
// float) takes neither, an atomic box (an image, an inline-block, a
// table) or a line break ends them, and a block's edge after the first
// line's text ends that. Only the font size is read of them.
func (v *visibility) lineStarts(n *html.Node, out, in *box, st styles) {
	if out.letter == nil && out.line == nil && st.letter == nil && st.line == nil {
		return
	}
	own := st.own
	if own["position"] == "absolute" || own["position"] == "fixed" || own["float"] == "left" || own["float"] == "right" {
		out.letter, out.line = nil, nil
		return
	}
	display := own["display"]
	atomic := atomicInline[n.Data] || n.Data == "table" || n.Data == "br" || n.Data == "hr" ||
		strings.HasPrefix(display, "inline-") || strings.Contains(display, "table") && display != "table-cell"
	if atomic {
		if out.letter != nil {
			out.letter.done = true
		}
		if out.line != nil && (n.Data == "br" || out.block) {
			out.line.done = true
		}
		out.letter, out.line = nil, nil
		return
	}
	if out.block && in.line != nil && in.line.chars > 0 {
		in.line.done = true
	}
	if !out.block {
		return
	}
	if st.letter != nil {
		out.letter = &lineStart{props: st.letter}
	}
	if st.line != nil {
		out.line = &lineStart{props: st.line, blockFont: out.font}
	}
}

// pseudoFont is the font a ::first-letter or ::first-line (l) draws in,
// inside box t.
func (l *lineStart) font(t *box) box {
	b := *t
	b.letter, b.line = nil, nil
	b.font, b.fontAbs = fontSize(func(k string) string { return strings.TrimSpace(l.props[k]) }, t.font, t.fontAbs)
	return b
}

// text keeps text s drawn in box t, where it shows: its first letter in
// the ::first-letter's font, its first line in the ::first-line's.
func (v *visibility) text(s string, t *box) {
	if l := t.letter; l != nil && !l.done && NonSpace([]byte(s)) > 0 {
		l.done = true
		i, j := firstLetter(s)
		rest := *t
		rest.letter = nil
		v.text(s[:i], &rest)
		b := l.font(t)
		if t.line != nil && !t.line.done { // the first line's font, then the letter's
			b = l.font(ptr(t.line.font(t)))
		}
		v.text(s[i:j], &b)
		v.text(s[j:], &rest)
		return
	}
	if l := t.line; l != nil && !l.done {
		rest := *t
		rest.line = nil
		if t.font != l.blockFont { // the text's own font-size wins
			v.text(s, &rest)
			return
		}
		i, n := 0, 0
		for i < len(s) && l.chars+n < lineChars {
			_, size := utf8.DecodeRuneInString(s[i:])
			i, n = i+size, n+1
		}
		l.chars += n
		if l.chars >= lineChars {
			l.done = true
		}
		b := l.font(t)
		v.text(s[:i], &b)
		v.text(s[i:], &rest)
		return
	}
	v.shown(s, t)
}

func ptr[T any](x T) *T { return &x }

// firstLetter is where in s (which holds a character other than a
// space) its first letter is, as Chromium draws ::first-letter: after
// white space, the punctuation before a letter or digit, it and the
// punctuation just after it.
func firstLetter(s string) (int, int) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f') {
		i++
	}
	j := i
	letter := false
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case unicode.IsPunct(r):
		case letter || unicode.IsSpace(r):
			return i, j
		default:
			letter = true
		}
		j += size
	}
	return i, j
}

// shown keeps text s drawn in box t, where it shows.
func (v *visibility) shown(s string, t *box) {
	// a letter-spacing of -1em or less draws the letters on each other
	if !t.invisible && !t.indented && !t.lineless && t.font*t.zoom > 1 && t.spacing > -t.font && t.colorShows() {
		if c := NonSpace([]byte(s)); c > 0 {
			v.keep(c, s, t)
		} else if n := len(v.texts); n > 0 && !endsInSpace(v.texts[n-1].s) {
			v.keep(0, " ", t) // white space between inline elements parts words: <b>Call</b> <b>now</b>
		}
	}
}

// endsInSpace: s ends in white space (what the writer makes one space).
func endsInSpace(s string) bool {
	c := byte('x')
	if s != "" {
		c = s[len(s)-1]
	}
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// noPseudo are the elements Chromium draws no ::before or ::after for.
var noPseudo = names("img input br wbr hr select textarea video audio iframe object embed canvas meter progress")

// hiddenAttr: element n's hidden attribute hides it unless its styles say
// how to display it (Chromium's own sheet gives [hidden] display:none);
// always: hidden=until-found hides its content whatever they say.
func hiddenAttr(n *html.Node) (hidden, always bool) {
	for _, a := range n.Attr {
		if a.Key == "hidden" && a.Namespace == "" && n.Data != "html" {
			return true, strings.EqualFold(a.Val, "until-found")
		}
	}
	return false, false
}

// style computes the box of an element (tag, with the properties d of
// the cascade, hidden: by its hidden attribute unless d displays it,
// inside parent) from its parent's box; false when nothing inside it is
// seen. A pseudo-element's tag is "::pseudo".
func (v *visibility) style(tag string, d map[string]string, hidden bool, parent *html.Node, in box) (box, bool) {
	v.order++
	out := in
	out.block = blockByDefault[tag]
	if tag == "table" && v.sheet.quirks { // quirks mode's table does not inherit the font's size
		out.font, out.fontAbs = 16, false
	}
	if len(d) == 0 && in.vars == nil { // the common case: nothing styled
		out.lineless = out.lineless && inlineByDefault(tag)
		return out, !hidden
	}
	// custom properties are inherited; var() is put in place first
	cloned := false
	for k, val := range d {
		if strings.HasPrefix(k, "--") {
			if !cloned {
				out.vars, cloned = cloneVars(in.vars), true
			}
			out.vars[k] = val
		}
	}
	get := func(k string) string {
		val := d[k]
		for i := 0; i < 4 && strings.Contains(val, "var("); i++ {
			val = resolveVar(val, out.vars)
		}
		return strings.TrimSpace(val)
	}
	display := get("display")
	if hidden && (display == "" || slices.Contains([]string{"inherit", "initial", "unset", "revert", "revert-layer"}, display)) {
		return out, false
	}
	if display == "none" || strings.EqualFold(strings.Fields(get("mso-hide") + " x")[0], "all") {
		// mso-hide:all: Outlook, which draws mail with Word, draws
		// nothing of it (Chromium does not know it); decoy text a lure
		// hides from Outlook's readers must not count either
		return out, false
	}
	inline := inlineByDefault(tag)
	if display != "" {
		inline = display == "inline" || display == "contents"
		out.block = !inline && !strings.HasPrefix(display, "inline-") && !strings.HasPrefix(display, "ruby")
	}
	// font size first: em lengths below are of this element's font
	out.font, out.fontAbs = fontSize(get, in.font, in.fontAbs)
	switch get("visibility") {
	case "hidden", "collapse":
		out.invisible = true
	case "visible":
		out.invisible = false
	}
	// list-style-type (or the shorthand's) is inherited
	if t, ok := listStyleString(get("list-style")); ok {
		out.listStyle = t
	}
	if t, ok := listStyleString(get("list-style-type")); ok {
		out.listStyle = t
	}
	if z := get("zoom"); z != "" {
		// Chromium reads zoom: 0 as 1; a zoom applies to what it holds
		if f, ok := cssNumber(z); ok && f > 0 {
			out.zoom *= f
		} else if ok && f == 0 || z == "normal" || z == "reset" {
			out.zoom = in.zoom
		}
	}
	if ls := get("letter-spacing"); ls == "normal" {
		out.spacing = 0
	} else if px, ok := cssLength(ls, out.font, -1); ok {
		out.spacing = px
	}
	if op := get("opacity"); op != "" {
		if f, ok := cssNumber(op); ok {
			out.alpha *= max(0, min(1, f))
		}
	}
	for _, f := range cssFunctions(get("filter")) { // filter: opacity(0) draws nothing either
		if f.name == "opacity" && len(f.args) == 1 {
			if x, ok := cssNumber(f.args[0]); ok {
				out.alpha *= max(0, min(1, x))
			}
		}
	}
	if c := get("color"); c != "" {
		col, ok := parseColor(c, in.color)
		out.color, out.colorOK = col, ok && (in.colorOK || c != "currentcolor" && c != "inherit")
	}
	// Chromium fills text with -webkit-text-fill-color where it is set
	// (inherited; currentcolor follows color), whatever color says.
	switch c := get("-webkit-text-fill-color"); c {
	case "", "inherit":
	case "currentcolor", "initial", "unset", "revert":
		out.fillSet = false
	default:
		if col, ok := parseColor(c, out.color); ok {
			out.fill, out.fillSet = col, true
		}
	}
	if len(d) > 0 {
		v.textPaint(get, &out, in.back)
	}
	if get("content-visibility") == "hidden" { // its content is not drawn
		return out, false
	}
	position := get("position")
	if position != "" && position != "static" {
		if out.stackZ < 0 { // the outermost positioned ancestor stacks the text
			out.stackZ, out.stackOrder = 0, v.order
			if z, err := strconv.Atoi(get("z-index")); err == nil {
				out.stackZ = z
			}
		}
		out.positioned = true
	}
	if ti := get("text-indent"); ti != "" {
		if px, ok := cssLength(ti, out.font, viewportW); ok {
			// far left, or (as a picture's caption is hidden) past the
			// right edge of a block that clips it, on one line
			out.indented = px <= -offScreen || px >= viewportW && !inline && overflowHidden(get) &&
				(slices.Contains([]string{"nowrap", "pre"}, get("white-space")) || get("text-wrap") == "nowrap" || get("text-wrap-mode") == "nowrap")
		}
	}
	// What the text is drawn on: the element's background colour over
	// what is behind it; a picture makes it unknown, as does a caption
	// positioned beside a picture it may stand on.
	bg, bgImage := backgroundOf(get("background-color"), get("background"), get("background-image"), out.color)
	if (position == "absolute" || position == "fixed") && hasReplacedChild(parent) {
		out.backOK = false
	}
	switch {
	case clipsToText(get):
		// the background is drawn in the text alone (textPaint), not under it
		bg, bgImage = rgba{}, false
	case bgImage:
		out.backOK = false
	case bg.a >= 1:
		out.back, out.backOK = bg, true
	case bg.a > 0 && out.backOK:
		out.back = blend(bg, out.back)
	}
	if out.alpha < 0.05 || offScreenBox(get, position, out.font) || clipped(get, position, inline, out.font) {
		return out, false
	}
	// A block of line-height 0 whose overflow is hidden and whose height
	// is its lines' has no height: its own lines are clipped away, but a
	// block inside it (a paragraph with margins) gives it height again.
	if !inline {
		out.lineless = overflowHidden(get) && get("height") == "" && tinyLength(get("line-height"), out.font, -1)
	}
	if isCover(get, position, in.positioned, bg, bgImage, out.alpha) {
		z := 0
		if zi, err := strconv.Atoi(get("z-index")); err == nil {
			z = zi
		}
		if z >= 0 {
			v.covers = append(v.covers, cover{z, v.order})
			if in.stackZ >= 0 { // inside a positioned element: its stacking rules
				v.covers[len(v.covers)-1] = cover{in.stackZ, in.stackOrder}
			}
		}
	}
	return out, true
}

// clipsToText: the element's background is drawn only inside its text
// (background-clip: text).
func clipsToText(get func(string) string) bool {
	for _, k := range [2]string{"background-clip", "-webkit-background-clip"} {
		if slices.Contains(cssWords(get(k)), "text") {
			return true
		}
	}
	return false
}

// textPaint sets in out what paints the element's text besides its fill
// (properties get; back: what its background is drawn on): its stroke,
// its shadows (in its colour unless they name one; a shadow moved far
// left or up is off the screen), its background where it is clipped to
// the text.
func (v *visibility) textPaint(get func(string) string, out *box, back rgba) {
	shadow, width, stroke, clip := get("text-shadow"), get("-webkit-text-stroke-width"), get("-webkit-text-stroke-color"), clipsToText(get)
	sh := get("-webkit-text-stroke")
	if shadow == "" && width == "" && stroke == "" && sh == "" && !clip {
		return
	}
	p := &textPaint{}
	if out.paint != nil {
		*p = *out.paint
		p.shadows = slices.Clone(p.shadows)
		p.clips = slices.Clone(p.clips)
	}
	out.paint = p
	if sh != "" { // the shorthand: a width and a colour
		width, stroke = "0", ""
		for _, w := range cssWords(sh) {
			if _, ok := strokeWidth(w, out.font); ok {
				width = w
			} else {
				stroke = w
			}
		}
	}
	if width != "" {
		px, ok := strokeWidth(width, out.font)
		p.strokeOK = ok && px > 0
		if p.strokeOK && stroke == "" {
			p.stroke = out.color
		}
	}
	if stroke != "" {
		if c, ok := parseColor(stroke, out.color); ok {
			p.stroke = c
		}
	}
	if shadow != "" {
		p.shadows = nil
		for _, one := range splitTop(shadow, ',', 16) {
			c, far, n := out.color, false, 0
			for _, w := range cssWords(one) {
				if px, ok := cssLength(w, out.font, -1); ok {
					if n < 2 && px <= -offScreen {
						far = true
					}
					n++
				} else if col, ok := parseColor(w, out.color); ok {
					c = col
				}
			}
			if n >= 2 && !far {
				p.shadows = append(p.shadows, c)
			}
		}
	}
	if clip {
		bg, img := backgroundOf(get("background-color"), get("background"), get("background-image"), out.color)
		p.clipPicture = p.clipPicture || img
		if bg.a > 0 {
			p.clips = append(p.clips, blend(bg, back))
		}
	}
}

// strokeWidth is a -webkit-text-stroke-width in px.
func strokeWidth(w string, font float64) (float64, bool) {
	switch w {
	case "thin":
		return 1, true
	case "medium":
		return 3, true
	case "thick":
		return 5, true
	}
	return cssLength(w, font, -1)
}

func cloneVars(m map[string]string) map[string]string {
	c := make(map[string]string, len(m)+2)
	for k, v := range m {
		c[k] = v
	}
	return c
}

// fontSize is the font size in px that properties (get) give
// (font-size, or the size in font), and whether it is absolute, for a
// parent's size font, absolute or not.
func fontSize(get func(string) string, font float64, abs bool) (float64, bool) {
	size := get("font-size")
	if size == "" {
		size = fontShorthandSize(get("font"))
	}
	if size == "" {
		return font, abs
	}
	px, ok := cssLength(size, font, font)
	if !ok {
		return font, abs
	}
	// Chromium draws a size relative to the reader's default (em, %,
	// rem, keywords) at 6px at least, an absolute one as written; a
	// relative size keeps the absoluteness of the size it is relative to.
	switch u := strings.TrimLeft(size, "-+.0123456789"); u {
	case "em", "%", "ex", "ch":
	case "rem", "", "xx-small", "x-small", "small", "smaller":
		abs = false
	default:
		abs = true
	}
	if !abs && px > 0 && px < minLogicalFont {
		px = minLogicalFont
	}
	return px, abs
}

// colorShows: the text colour, with the opacity of the ancestors, stands
// out from what it is drawn on.
func (b *box) colorShows() bool {
	col := b.color
	if b.fillSet {
		col = b.fill
	} else if !b.colorOK {
		return true
	}
	if b.paintShows(col) {
		return true
	}
	p := b.paint
	if p == nil {
		return false
	}
	if p.clipPicture || p.strokeOK && b.paintShows(p.stroke) {
		return true
	}
	for _, cs := range [2][]rgba{p.shadows, p.clips} {
		for _, c := range cs {
			if b.paintShows(c) {
				return true
			}
		}
	}
	return false
}

// paintShows: colour col, with the opacity of the ancestors, stands out
// from what the text is drawn on.
func (b *box) paintShows(col rgba) bool {
	a := col.a * b.alpha
	if a < 0.05 {
		return false
	}
	if !b.backOK {
		return true
	}
	c := blend(rgba{col.r, col.g, col.b, a}, b.back)
	return contrast(c, b.back) >= 1.1
}

// offScreenBox: the element is moved left or up where no scrolling
// reaches it.
func offScreenBox(get func(string) string, position string, font float64) bool {
	far := func(val string, base float64) bool {
		px, ok := cssLength(val, font, base)
		return ok && px <= -offScreen
	}
	if position != "" && position != "static" {
		// an edge's offset: its own property, its logical name (left to
		// right, top to bottom), the inset shorthand's
		inset := strings.Fields(get("inset"))
		edge := func(i int, phys, logical string) string {
			if v := get(phys); v != "" {
				return v
			}
			if v := get(logical); v != "" {
				return v
			}
			if len(inset) > 0 && len(inset) <= 4 {
				return inset[[4][4]int{{0, 0, 0, 0}, {0, 1, 0, 1}, {0, 1, 2, 1}, {0, 1, 2, 3}}[len(inset)-1][i]]
			}
			return ""
		}
		top, right, bottom, left := edge(0, "top", "inset-block-start"), edge(1, "right", "inset-inline-end"),
			edge(2, "bottom", "inset-block-end"), edge(3, "left", "inset-inline-start")
		if far(left, viewportW) || far(top, viewportH) {
			return true
		}
		// right and bottom move it left and up where left and top are not set
		if left == "" && far("-"+right, viewportW) || top == "" && far("-"+bottom, viewportH) {
			return true
		}
	}
	if far(get("margin-left"), viewportW) || far(get("margin-top"), viewportW) ||
		far(get("margin-inline-start"), viewportW) || far(get("margin-block-start"), viewportW) {
		return true
	}
	for _, k := range [2]string{"margin-inline", "margin-block"} { // start, end
		if m := strings.Fields(get(k)); len(m) > 0 && far(m[0], viewportW) {
			return true
		}
	}
	if m := strings.Fields(get("margin")); len(m) > 0 {
		left := m[0]
		switch len(m) {
		case 2, 3:
			left = m[1]
		case 4:
			left = m[3]
		}
		if far(m[0], viewportW) || far(left, viewportW) {
			return true
		}
	}
	// the transform properties of their own: translate: x y, scale: x y
	if t := strings.Fields(get("translate")); len(t) > 0 && (far(t[0], -1) || len(t) > 1 && far(t[1], -1)) {
		return true
	}
	for _, a := range strings.Fields(get("scale")) {
		if x, ok := cssNumber(a); ok && math.Abs(x) < 0.01 {
			return true
		}
	}
	for _, f := range cssFunctions(get("transform")) {
		switch f.name {
		case "translate", "translatex", "translatey", "translate3d":
			for i, a := range f.args {
				if i < 2 && (far(a, -1) || strings.HasSuffix(a, "%") && far(a, 1000)) {
					return true // -100% of its own size moves it off its place
				}
			}
		case "scale", "scalex", "scaley", "scale3d":
			for _, a := range f.args {
				if x, ok := cssNumber(a); ok && math.Abs(x) < 0.01 {
					return true
				}
			}
		}
	}
	return false
}

// clipped: the element is drawn into no area.
func clipped(get func(string) string, position string, inline bool, font float64) bool {
	if position == "absolute" || position == "fixed" {
		if f := cssFunctions(get("clip")); len(f) == 1 && f[0].name == "rect" && len(f[0].args) == 4 {
			var e [4]float64
			ok := true
			for i, a := range f[0].args {
				var k bool
				e[i], k = cssLength(a, font, 0)
				ok = ok && k
			}
			if ok && (e[2]-e[0] <= 1 || e[1]-e[3] <= 1) {
				return true
			}
		}
	}
	for _, f := range cssFunctions(get("clip-path")) {
		switch f.name {
		case "inset":
			var e []float64
			for _, a := range f.args {
				if a == "round" {
					break
				}
				px, ok := cssLength(a, font, 100) // percentages of 100
				if !ok || !strings.HasSuffix(a, "%") && px != 0 {
					px = 0 // lengths in px depend on the size: not judged
				}
				e = append(e, px)
			}
			for len(e) < 4 && len(e) > 0 {
				e = append(e, e[len(e)%max(1, len(e))])
			}
			if len(e) == 4 && (e[0]+e[2] >= 100 || e[1]+e[3] >= 100) {
				return true
			}
		case "polygon":
			if polygonArea(f.args, font) <= 1 {
				return true
			}
		case "circle", "ellipse":
			if len(f.args) > 0 {
				if px, ok := cssLength(f.args[0], font, 100); ok && px <= 0 {
					return true
				}
			}
		}
	}
	if inline || !overflowHidden(get) {
		return false
	}
	return tinyLength(get("width"), font, viewportW) || tinyLength(get("height"), font, -1) ||
		tinyLength(get("max-width"), font, viewportW) || tinyLength(get("max-height"), font, -1)
}

// polygonArea is the area of clip-path polygon() of points args (the
// coordinates one after another), where its points are all percentages
// (of 100) or all lengths; 2 (not judged) where they mix or are not read.
func polygonArea(args []string, font float64) float64 {
	if len(args) > 0 && (args[0] == "nonzero" || args[0] == "evenodd") {
		args = args[1:]
	}
	if len(args) < 2 || len(args)%2 != 0 || len(args) > 256 {
		return 2
	}
	pct, lengths := false, false
	xy := make([]float64, len(args))
	for i, a := range args {
		px, ok := cssLength(a, font, 100)
		if !ok {
			return 2
		}
		if px != 0 {
			p := strings.HasSuffix(a, "%")
			pct, lengths = pct || p, lengths || !p
		}
		xy[i] = px
	}
	if pct && lengths {
		return 2
	}
	area := 0.0
	for i := 0; i < len(xy); i += 2 {
		j := (i + 2) % len(xy)
		area += xy[i]*xy[j+1] - xy[j]*xy[i+1]
	}
	return math.Abs(area) / 2
}

// overflowHidden: the element clips what overflows it.
func overflowHidden(get func(string) string) bool {
	for _, k := range []string{"overflow", "overflow-x", "overflow-y"} {
		for _, w := range strings.Fields(get(k)) {
			if w == "hidden" || w == "clip" {
				return true
			}
		}
	}
	return false
}

// tinyLength: v is a length of 1px or less.
func tinyLength(v string, font, base float64) bool {
	px, ok := cssLength(v, font, base)
	return ok && px <= 1
}

// isCover: an opaque element fixed (or placed from the window's corner)
// across the whole window.
func isCover(get func(string) string, position string, inPositioned bool, bg rgba, bgImage bool, alpha float64) bool {
	if position != "fixed" && (position != "absolute" || inPositioned) {
		return false
	}
	if alpha < 1 || bg.a < 1 && !bgImage {
		return false
	}
	at0 := func(k string) bool {
		px, ok := cssLength(get(k), 16, 0)
		return ok && px <= 0
	}
	full := func(k string, vp float64) bool {
		val := get(k)
		px, ok := cssLength(val, 16, vp)
		return ok && (px >= vp || strings.HasSuffix(val, "%") && px >= vp)
	}
	if ins := strings.Fields(get("inset")); len(ins) > 0 {
		all := true
		for _, a := range ins {
			px, ok := cssLength(a, 16, 0)
			all = all && ok && px <= 0
		}
		if all {
			return true
		}
	}
	if !at0("top") || !at0("left") {
		return false
	}
	return (at0("right") || full("width", viewportW)) && (at0("bottom") || full("height", viewportH))
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// attrOf is the first attribute key of n (a browser keeps the first of
// duplicates).
func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasReplacedChild(n *html.Node) bool {
	if n == nil {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && replaced[c.Data] {
			return true
		}
	}
	return false
}

// backgroundOf is the background colour an element's declarations give
// (transparent for none) and whether a picture or gradient is drawn.
func backgroundOf(color, shorthand, image string, current rgba) (rgba, bool) {
	img := image != "" && image != "none" || strings.Contains(shorthand, "url(") || strings.Contains(shorthand, "gradient(")
	if color != "" {
		if c, ok := parseColor(color, current); ok {
			return c, img
		}
	}
	if shorthand != "" {
		// the colour is one of the shorthand's words or functions
		for _, w := range cssWords(shorthand) {
			if c, ok := parseColor(w, current); ok {
				return c, img
			}
		}
	}
	return rgba{}, img
}

// cssWords splits a value at spaces and commas outside parentheses.
func cssWords(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '(':
				depth++
				continue
			case ')':
				depth--
				continue
			case ' ', '\t', '\n', ',', '/':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		if w := strings.TrimSpace(s[start:i]); w != "" {
			out = append(out, w)
		}
		start = i + 1
		if len(out) > 64 {
			break
		}
	}
	return out
}

// fontShorthandSize is the size in a font shorthand ("bold 0/0 a").
func fontShorthandSize(font string) string {
	for _, w := range strings.Fields(font) {
		size, _, _ := strings.Cut(w, "/")
		if size == "0" {
			return size
		}
		if _, ok := cssLength(size, 16, 16); ok && !isBareNumber(size) && strings.IndexAny(size[:1], ".0123456789") == 0 {
			return size
		}
	}
	return ""
}

func isBareNumber(s string) bool { _, err := strconv.ParseFloat(s, 64); return err == nil }

type cssFunc struct {
	name string
	args []string
}

// cssFunctions reads "name(a, b) name2(c d)" into functions and their
// arguments, lower case.
func cssFunctions(s string) []cssFunc {
	var out []cssFunc
	for len(out) < 16 {
		open := strings.IndexByte(s, '(')
		if open < 0 {
			return out
		}
		end := strings.IndexByte(s[open:], ')')
		if end < 0 {
			return out
		}
		name := strings.TrimSpace(s[:open])
		if k := strings.LastIndexAny(name, " \t,"); k >= 0 {
			name = name[k+1:]
		}
		out = append(out, cssFunc{name, cssWords(s[open+1 : open+end])})
		s = s[open+end+1:]
	}
	return out
}

// cssNumber reads a plain number or percentage (as a fraction).
func cssNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if isMath(s) {
		f, length, ok := calcLength(s, 16, 1)
		return f, ok && !length
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		f, err := strconv.ParseFloat(p, 64)
		return f / 100, err == nil
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// cssLength is a length in px; percentages are of base (false where base
// is negative: not known).
func cssLength(s string, font, base float64) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "!important"))
	if s == "0" || s == "-0" {
		return 0, true
	}
	if isMath(s) {
		px, length, ok := calcLength(s, font, base) // calc(0) is a number, no length
		return px, ok && length
	}
	units := []struct {
		u string
		f float64
	}{{"px", 1}, {"pt", 4.0 / 3}, {"pc", 16}, {"in", 96}, {"cm", 96 / 2.54}, {"mm", 96 / 25.4}, {"q", 96 / 101.6},
		{"rem", 16}, {"em", font}, {"ex", font / 2}, {"ch", font / 2}, {"vw", viewportW / 100.0}, {"vh", viewportH / 100.0},
		{"vmin", viewportH / 100.0}, {"vmax", viewportW / 100.0}, {"%", base / 100}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.u); ok {
			f, err := strconv.ParseFloat(num, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || u.u == "%" && base < 0 {
				return 0, false
			}
			return f * u.f, true
		}
	}
	switch s { // font-size keywords
	case "xx-small":
		return 9, true
	case "x-small":
		return 10, true
	case "small", "smaller":
		return 13, true
	}
	return 0, false
}

// resolveVar puts the first var(--name, fallback) of val in place.
func resolveVar(val string, vars map[string]string) string {
	i := strings.Index(val, "var(")
	if i < 0 {
		return val
	}
	depth, end := 0, -1
	for j := i + 3; j < len(val); j++ {
		if val[j] == '(' {
			depth++
		} else if val[j] == ')' {
			if depth--; depth == 0 {
				end = j
				break
			}
		}
	}
	if end < 0 {
		return val
	}
	name, fallback, _ := strings.Cut(val[i+4:end], ",")
	rep, ok := vars[strings.TrimSpace(name)]
	if !ok {
		rep = fallback
	}
	return val[:i] + strings.TrimSpace(rep) + val[end+1:]
}

// rgba is a colour: red, green and blue 0-255, alpha 0-1.
type rgba struct{ r, g, b, a float64 }

// parseColor reads a CSS colour: a name, #hex, rgb(), hsl(), hwb(),
// transparent, currentcolor (current).
func parseColor(s string, current rgba) (rgba, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "transparent":
		return rgba{}, true
	case "currentcolor", "inherit":
		return current, true
	case "initial", "unset", "revert":
		return rgba{0, 0, 0, 1}, true
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 || len(h) == 4 {
			h2 := make([]byte, 0, 8)
			for i := range len(h) {
				h2 = append(h2, h[i], h[i])
			}
			h = string(h2)
		}
		if len(h) == 6 {
			h += "ff"
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if len(h) != 8 || err != nil {
			return rgba{}, false
		}
		return rgba{float64(v >> 24), float64(v >> 16 & 255), float64(v >> 8 & 255), float64(v&255) / 255}, true
	}
	if c, ok := colornames.Map[s]; ok {
		return rgba{float64(c.R), float64(c.G), float64(c.B), 1}, true
	}
	if inner, ok := strings.CutPrefix(s, "color-mix("); ok && strings.HasSuffix(inner, ")") {
		return colorMix(inner[:len(inner)-1], current)
	}
	f := cssFunctions(s)
	if len(f) != 1 || len(f[0].args) < 3 || len(f[0].args) > 4 {
		return rgba{}, false
	}
	a := f[0].args
	alpha := 1.0
	if len(a) == 4 {
		x, ok := cssNumber(a[3])
		if !ok {
			return rgba{}, false
		}
		alpha = max(0, min(1, x))
	}
	// what 100% stands for in each component, 0 for a hue (an angle)
	var scales [3]float64
	switch f[0].name {
	case "rgb", "rgba":
		scales = [3]float64{255, 255, 255}
	case "hsl", "hsla", "hwb":
		scales = [3]float64{0, 1, 1}
	case "lab":
		scales = [3]float64{100, 125, 125}
	case "lch":
		scales = [3]float64{100, 150, 0}
	case "oklab":
		scales = [3]float64{1, 0.4, 0.4}
	case "oklch":
		scales = [3]float64{1, 0.4, 0}
	default:
		return rgba{}, false
	}
	var c [3]float64
	for i, scale := range scales {
		v, ok := colorComponent(a[i], scale)
		if !ok {
			return rgba{}, false
		}
		c[i] = v
	}
	switch f[0].name {
	case "lab", "lch", "oklab", "oklch":
		r, g, b := labToSRGB(f[0].name, c)
		return rgba{r, g, b, alpha}, true
	case "rgb", "rgba":
		return rgba{clamp255(c[0]), clamp255(c[1]), clamp255(c[2]), alpha}, true
	case "hsl", "hsla":
		r, g, b := hslToRGB(c[0], pct(c[1]), pct(c[2]))
		return rgba{r, g, b, alpha}, true
	case "hwb":
		w, bl := pct(c[1]), pct(c[2])
		if w+bl >= 1 {
			gray := w / (w + bl) * 255
			return rgba{gray, gray, gray, alpha}, true
		}
		r, g, b := hslToRGB(c[0], 1, 0.5)
		k := 1 - w - bl
		return rgba{r*k + w*255, g*k + w*255, b*k + w*255, alpha}, true
	}
	return rgba{}, false
}

// colorComponent reads a component of a colour function: a number, a
// percentage of scale, or where scale is 0 a hue, an angle in degrees
// (deg, grad, rad, turn, or a bare number); none is 0.
func colorComponent(x string, scale float64) (float64, bool) {
	if x == "none" {
		return 0, true
	}
	if p, ok := strings.CutSuffix(x, "%"); ok && scale > 0 {
		v, err := strconv.ParseFloat(p, 64)
		return v / 100 * scale, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	unit := 1.0
	if scale == 0 {
		for _, u := range []struct {
			name string
			deg  float64
		}{{"deg", 1}, {"grad", 0.9}, {"rad", 180 / math.Pi}, {"turn", 360}} {
			if n, ok := strings.CutSuffix(x, u.name); ok {
				x, unit = n, u.deg
				break
			}
		}
	}
	v, err := strconv.ParseFloat(x, 64)
	return v * unit, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}

// labToSRGB is the sRGB colour (0-255, clipped) of lab(), lch(),
// oklab() or oklch() components c, as CSS Color 4 converts them: CIE Lab
// through XYZ (D50, adapted to D65 by Bradford's transform), OKLab
// through its LMS.
func labToSRGB(space string, c [3]float64) (float64, float64, float64) {
	l, a, b := c[0], c[1], c[2]
	if space == "lch" || space == "oklch" { // chroma and hue to a and b
		h := c[2] * math.Pi / 180
		a, b = max(0, c[1])*math.Cos(h), max(0, c[1])*math.Sin(h)
	}
	var lin [3]float64
	if space == "oklab" || space == "oklch" {
		l = max(0, min(1, l))
		cube := func(x float64) float64 { return x * x * x }
		lm := cube(l + 0.3963377774*a + 0.2158037573*b)
		mm := cube(l - 0.1055613458*a - 0.0638541728*b)
		sm := cube(l - 0.0894841775*a - 1.2914855480*b)
		lin = [3]float64{
			4.0767416621*lm - 3.3077115913*mm + 0.2309699292*sm,
			-1.2684380046*lm + 2.6097574011*mm - 0.3413193965*sm,
			-0.0041960863*lm - 0.7034186147*mm + 1.7076147010*sm,
		}
	} else {
		l = max(0, min(100, l))
		const kappa, eps = 24389.0 / 27, 216.0 / 24389
		f1 := (l + 16) / 116
		f0, f2 := a/500+f1, f1-b/200
		inv := func(f float64) float64 {
			if f*f*f > eps {
				return f * f * f
			}
			return (116*f - 16) / kappa
		}
		y := l / kappa
		if l > kappa*eps {
			y = f1 * f1 * f1
		}
		x, z := inv(f0)*0.3457/0.3585, inv(f2)*(1-0.3457-0.3585)/0.3585
		// D50 to D65, then XYZ to linear sRGB
		x, y, z = 0.955473421488075*x-0.02309845494876471*y+0.06325924320057072*z,
			-0.0283697093338637*x+1.0099953980813041*y+0.021041441191917323*z,
			0.012314014864481998*x-0.020507649298898964*y+1.330365926242124*z
		lin = [3]float64{
			3.2409699419045226*x - 1.537383177570094*y - 0.4986107602930034*z,
			-0.9692436362808796*x + 1.8759675015077202*y + 0.04155505740717559*z,
			0.05563007969699366*x - 0.20397695888897652*y + 1.0569715142428786*z,
		}
	}
	var out [3]float64
	for i, v := range lin {
		v = max(0, min(1, v))
		if v > 0.0031308 {
			v = 1.055*math.Pow(v, 1/2.4) - 0.055
		} else {
			v *= 12.92
		}
		out[i] = clamp255(v * 255)
	}
	return out[0], out[1], out[2]
}

// colorMix reads the arguments of color-mix() in the sRGB space: two
// colours, each with an optional percentage, mixed premultiplied by
// alpha as CSS Color 5 says (percentages that add up to less than 100%
// make the mix that much transparent). Other spaces are not read.
func colorMix(args string, current rgba) (rgba, bool) {
	parts := splitTop(args, ',', 4)
	if len(parts) != 3 || strings.Join(strings.Fields(parts[0]), " ") != "in srgb" {
		return rgba{}, false
	}
	var c [2]rgba
	var p [2]float64
	var given [2]bool
	for i, part := range parts[1:] {
		var col []string
		for _, w := range splitTop(strings.TrimSpace(part), ' ', 8) {
			if w = strings.TrimSpace(w); w == "" {
				continue
			}
			if x, ok := strings.CutSuffix(w, "%"); ok && !given[i] {
				f, err := strconv.ParseFloat(x, 64)
				if err != nil || f < 0 || f > 100 {
					return rgba{}, false
				}
				p[i], given[i] = f/100, true
				continue
			}
			col = append(col, w)
		}
		var ok bool
		if c[i], ok = parseColor(strings.Join(col, " "), current); !ok {
			return rgba{}, false
		}
	}
	switch {
	case !given[0] && !given[1]:
		p = [2]float64{0.5, 0.5}
	case !given[0]:
		p[0] = 1 - p[1]
	case !given[1]:
		p[1] = 1 - p[0]
	}
	sum := p[0] + p[1]
	if sum <= 0 {
		return rgba{}, false
	}
	p[0], p[1] = p[0]/sum, p[1]/sum
	a := c[0].a*p[0] + c[1].a*p[1]
	out := rgba{a: a * min(1, sum)}
	if a > 0 {
		out.r = (c[0].r*c[0].a*p[0] + c[1].r*c[1].a*p[1]) / a
		out.g = (c[0].g*c[0].a*p[0] + c[1].g*c[1].a*p[1]) / a
		out.b = (c[0].b*c[0].a*p[0] + c[1].b*c[1].a*p[1]) / a
	}
	return out, true
}

// pct is a saturation or lightness as a fraction: hsl() writes them as
// percentages (read as hundredths already) or plain numbers 0-100.
func pct(x float64) float64 {
	if x > 1 {
		x /= 100
	}
	return max(0, min(1, x))
}

func clamp255(x float64) float64 { return max(0, min(255, math.Round(x))) }

func hslToRGB(h, s, l float64) (float64, float64, float64) {
	h = math.Mod(math.Mod(h, 360)+360, 360)
	f := func(n float64) float64 {
		k := math.Mod(n+h/30, 12)
		a := s * min(l, 1-l)
		return clamp255(255 * (l - a*max(-1, min(k-3, 9-k, 1))))
	}
	return f(0), f(8), f(4)
}

// blend draws c over the opaque colour under.
func blend(c, under rgba) rgba {
	return rgba{c.r*c.a + under.r*(1-c.a), c.g*c.a + under.g*(1-c.a), c.b*c.a + under.b*(1-c.a), 1}
}

// contrast is WCAG's contrast ratio of two opaque colours (1 to 21).
func contrast(x, y rgba) float64 {
	lum := func(c rgba) float64 {
		ch := func(v float64) float64 {
			v /= 255
			if v <= 0.04045 {
				return v / 12.92
			}
			return math.Pow((v+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(c.r) + 0.7152*ch(c.g) + 0.0722*ch(c.b)
	}
	a, b := lum(x)+0.05, lum(y)+0.05
	return max(a, b) / min(a, b)
}

// calcLength evaluates calc(), min(), max() and clamp() s (var() put in
// place) of lengths, percentages (of base; none where base is negative)
// and numbers, as CSS Values 4 types them: the value (px for a length) and
// whether it is a length. False where it is not read.
func calcLength(s string, font, base float64) (float64, bool, bool) {
	c := calcReader{s: s, font: font, base: base}
	v, length, ok := c.value(0)
	if !ok || c.skip() < len(c.s) {
		return 0, false, false
	}
	return v, length, true
}

// calcReader reads a math function from s at i.
type calcReader struct {
	s          string
	i          int
	font, base float64
}

func (c *calcReader) skip() int {
	for c.i < len(c.s) && (c.s[c.i] == ' ' || c.s[c.i] == '\t' || c.s[c.i] == '\n') {
		c.i++
	}
	return c.i
}

// value reads one operand: a number with its unit, a parenthesised sum,
// or a math function.
func (c *calcReader) value(depth int) (float64, bool, bool) {
	if depth > 16 {
		return 0, false, false
	}
	c.skip()
	start := c.i
	for c.i < len(c.s) && (isASCIIAlnum(c.s[c.i]) || c.s[c.i] == '-' || c.s[c.i] == '.' || c.s[c.i] == '%' ||
		c.s[c.i] == '+' && c.i == start) {
		c.i++
	}
	word := strings.ToLower(c.s[start:c.i])
	if c.i < len(c.s) && c.s[c.i] == '(' {
		c.i++
		var args [][2]float64 // value, length (1) or not (0)
		for len(args) < 8 {
			v, length, ok := c.sum(depth + 1)
			if !ok {
				return 0, false, false
			}
			args = append(args, [2]float64{v, b2f(length)})
			c.skip()
			if c.i < len(c.s) && c.s[c.i] == ',' {
				c.i++
				continue
			}
			break
		}
		if c.i >= len(c.s) || c.s[c.i] != ')' {
			return 0, false, false
		}
		c.i++
		for _, a := range args[1:] {
			if a[1] != args[0][1] {
				return 0, false, false
			}
		}
		v, length := args[0][0], args[0][1] == 1
		switch word {
		case "", "calc":
			return v, length, len(args) == 1
		case "min", "max":
			for _, a := range args[1:] {
				if word == "min" {
					v = min(v, a[0])
				} else {
					v = max(v, a[0])
				}
			}
			return v, length, true
		case "clamp":
			if len(args) != 3 {
				return 0, false, false
			}
			return max(args[0][0], min(args[1][0], args[2][0])), length, true
		}
		return 0, false, false
	}
	if f, err := strconv.ParseFloat(word, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		return f, false, true
	}
	px, ok := cssLength(word, c.font, c.base)
	return px, true, ok
}

// sum reads operands joined by + and - (white space around them), each a
// product of operands joined by * and /.
func (c *calcReader) sum(depth int) (float64, bool, bool) {
	v, length, ok := c.product(depth)
	for ok {
		c.skip()
		if c.i+1 >= len(c.s) || c.s[c.i] != '+' && c.s[c.i] != '-' || c.s[c.i+1] != ' ' {
			return v, length, true
		}
		neg := c.s[c.i] == '-'
		c.i++
		w, l, k := c.product(depth)
		if !k || l != length {
			return 0, false, false
		}
		if neg {
			w = -w
		}
		v += w
	}
	return 0, false, false
}

func (c *calcReader) product(depth int) (float64, bool, bool) {
	v, length, ok := c.value(depth)
	for ok {
		c.skip()
		if c.i >= len(c.s) || c.s[c.i] != '*' && c.s[c.i] != '/' {
			return v, length, true
		}
		div := c.s[c.i] == '/'
		c.i++
		w, l, k := c.value(depth)
		if !k || l && (length || div) || div && w == 0 {
			return 0, false, false
		}
		if div {
			v /= w
		} else {
			v *= w
		}
		length = length || l
	}
	return 0, false, false
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// isMath: s is a math function calcLength reads.
func isMath(s string) bool {
	for _, f := range [4]string{"calc(", "min(", "max(", "clamp("} {
		if len(s) > len(f) && strings.EqualFold(s[:len(f)], f) {
			return true
		}
	}
	return false
}
