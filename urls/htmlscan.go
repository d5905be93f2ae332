package urls

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/net/html"
)

// html finds the links of an HTML part. It reads the part as
// golang.org/x/net/html's Tokenizer does, and must give exactly what a loop
// over that Tokenizer gives (refHTML in the tests, checked by
// FuzzHTMLEquivalent). The Tokenizer reads a byte at a time through a
// function call and copies every attribute name, which made it most of the
// heuristics' time on ordinary mail; this scanner reads text and tags, the
// bulk of a part, from the slice itself, and hands every rarer construct
// (comments, doctypes, the contents of <script>, <style> and the other raw
// text elements, tokens near the size limit, attribute values with unusual
// character references) to a Tokenizer started at that token. Between
// tokens a Tokenizer keeps no state but the raw text element it is in (set
// for the fallback by a made-up start tag) and its size limit counts from
// the token's start, so it reads that token exactly as one that had read
// everything before it.
func (c *collector) html(b []byte) {
	s := htmlScan{c: c, b: b}
	s.run()
}

// htmlMaxBuf is the Tokenizer's SetMaxBuf: a token of this many bytes ends
// the part.
const htmlMaxBuf = 1 << 20

// htmlMaxTokens bounds the tokens read from one part.
const htmlMaxTokens = 1_000_000

type htmlScan struct {
	c          *collector
	b          []byte
	anchor     bool   // an <a href> is open, its text is being collected
	anchorHref string // its href
	anchorText strings.Builder
	attrs      tagAttrs
	nested     bool // reading an Outlook conditional comment's markup
	base       baseURL
}

func (s *htmlScan) run() {
	b := s.b
	pos := 0
	rawTag := "" // the next token is the content of this raw text element
loop:
	for i := 0; i < htmlMaxTokens && !s.c.full(); i++ {
		if rawTag != "" {
			n, raw, stop := s.fallback(pos, rawTag)
			if stop {
				break loop
			}
			pos, rawTag = pos+n, raw
			continue
		}
		if pos >= len(b) {
			break
		}
		if b[pos] != '<' || pos+1 >= len(b) || !startsToken(b[pos+1]) {
			n, ok := s.textToken(pos)
			if !ok {
				n, rawTag, ok = s.fallbackOK(pos, "")
				if !ok {
					break loop
				}
			}
			pos += n
			continue
		}
		switch c := b[pos+1]; {
		case isLetter(c):
			n, raw, ok := s.startTag(pos)
			if n < 0 {
				s.closeAnchor() // unterminated or oversized tag: the Tokenizer's ErrorToken
				return
			}
			if !ok {
				n, raw, ok = s.fallbackOK(pos, "")
				if !ok {
					break loop
				}
			}
			pos, rawTag = pos+n, raw
		case c == '/' && pos+2 < len(b) && isLetter(b[pos+2]):
			end, name := tagEnd(b, pos+2)
			if end < 0 || end+1-pos >= htmlMaxBuf {
				s.closeAnchor()
				return
			}
			if name = localName(name); len(name) == 1 && name[0]|0x20 == 'a' {
				s.closeAnchor()
			}
			pos = end + 1
		default: // "<!", "<?", "</" not before a letter: comments and such
			n, raw, ok := s.fallbackOK(pos, "")
			if !ok {
				break loop
			}
			pos, rawTag = pos+n, raw
		}
	}
	s.closeAnchor()
}

// startsToken: after '<', this byte starts a tag, an end tag or a comment
// rather than being text.
func startsToken(c byte) bool { return isLetter(c) || c == '/' || c == '!' || c == '?' }

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }

// textToken reads the text at b[pos:] up to the next token and hands it on,
// returning its length; false when it is too long for the Tokenizer to read
// in one piece (the fallback then reads it as the Tokenizer does).
func (s *htmlScan) textToken(pos int) (int, bool) {
	b := s.b
	end := len(b)
	for k := pos; k < len(b); {
		i := bytes.IndexByte(b[k:], '<')
		if i < 0 {
			break
		}
		k += i
		if k+1 < len(b) && startsToken(b[k+1]) {
			end = k
			break
		}
		k++
	}
	// The Tokenizer has read the two bytes of the next token when it ends
	// the text; at the end of the input, only the text.
	read := end - pos
	if end < len(b) {
		read += 2
	}
	if read >= htmlMaxBuf {
		return 0, false
	}
	raw := b[pos:end]
	amp := bytes.IndexByte(raw, '&') >= 0
	if !s.anchor && !amp && firstURLMark(raw) < 0 {
		return end - pos, true // nothing in it for the collector
	}
	t := raw
	if bytes.IndexByte(t, '\r') >= 0 {
		t = convertNewlines(bytes.Clone(t))
	}
	if amp {
		t = []byte(html.UnescapeString(string(t)))
	}
	s.text(t)
	return end - pos, true
}

// convertNewlines turns "\r\n" and "\r" into "\n", in place, as the
// Tokenizer does.
func convertNewlines(b []byte) []byte {
	out := b[:0]
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		}
		out = append(out, c)
	}
	return out
}

// tagEnd reads the tag whose name starts at b[i] and returns the index of
// its closing '>' and its name; -1 when the input ends first.
func tagEnd(b []byte, i int) (int, []byte) {
	return tagEndAttrs(b, i, nil)
}

// tagEndAttrs is tagEnd that also hands every attribute to add, when not
// nil, with the spans the Tokenizer gives it: name start and end, value
// start and end (both at the name's end for none).
func tagEndAttrs(b []byte, i int, add func(k0, k1, v0, v1 int)) (int, []byte) {
	n0 := i
	for i < len(b) && !isHTMLSpace(b[i]) && b[i] != '/' && b[i] != '>' {
		i++
	}
	if i >= len(b) {
		return -1, nil
	}
	name := b[n0:i]
	if isHTMLSpace(b[i]) {
		i++
	}
	for {
		for i < len(b) && isHTMLSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return -1, nil
		}
		if b[i] == '>' {
			return i, name
		}
		// The attribute's name: up to white space, '/', '>' or an '='
		// that is not its first byte.
		k0 := i
		i++
		for i < len(b) && !isHTMLSpace(b[i]) && b[i] != '/' && b[i] != '>' && b[i] != '=' {
			i++
		}
		if b[k0] == '/' || b[k0] == '>' {
			i = k0 // an empty name; the byte is read again below
		}
		if i >= len(b) {
			return -1, nil
		}
		k1 := i
		v0, v1 := i, i
		for i < len(b) && isHTMLSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return -1, nil
		}
		switch {
		case b[i] == '/':
			i++
		case b[i] == '=':
			i++
			for i < len(b) && isHTMLSpace(b[i]) {
				i++
			}
			if i >= len(b) {
				return -1, nil
			}
			switch q := b[i]; q {
			case '>':
			case '\'', '"':
				j := bytes.IndexByte(b[i+1:], q)
				if j < 0 {
					return -1, nil
				}
				v0, v1 = i+1, i+1+j
				i += j + 2
			default:
				v0 = i
				for i < len(b) && !isHTMLSpace(b[i]) && b[i] != '>' {
					i++
				}
				if i >= len(b) {
					return -1, nil
				}
				v1 = i
				if b[i] != '>' {
					i++
				}
			}
		}
		if add != nil {
			add(k0, k1, v0, v1)
		}
	}
}

// startTag reads the start tag at b[pos] and acts on it. It returns the
// tag's length and, for a raw text element, its name; n < 0 when the
// Tokenizer would stop there; ok false when the fallback must read it.
func (s *htmlScan) startTag(pos int) (n int, rawTag string, ok bool) {
	b := s.b
	j := pos + 1
	for j < len(b) && !isHTMLSpace(b[j]) && b[j] != '/' && b[j] != '>' {
		j++
	}
	tag := linkTagFold(b[pos+1 : j])
	if tag == "" {
		end, name := tagEnd(b, pos+1)
		if end < 0 || end+1-pos >= htmlMaxBuf {
			return -1, "", false
		}
		return end + 1 - pos, rawTextTag(name), true
	}
	// A tag that can carry a link: its attributes as the Tokenizer keeps
	// them (the first of each name, names not empty), with the value end of
	// the last kept one, which decides whether "/>" closes the tag.
	type span struct{ k0, k1, v0, v1 int }
	var kept [16]span
	spans := kept[:0]
	tooMany := false
	end, _ := tagEndAttrs(b, pos+1, func(k0, k1, v0, v1 int) {
		if k0 == k1 || tooMany {
			return
		}
		for _, p := range spans {
			if asciiFoldSame(b[p.k0:p.k1], b[k0:k1]) {
				return
			}
		}
		if len(spans) == 64 {
			tooMany = true
			return
		}
		spans = append(spans, span{k0, k1, v0, v1})
	})
	if end < 0 || end+1-pos >= htmlMaxBuf {
		return -1, "", false
	}
	if tooMany {
		return 0, "", false
	}
	s.attrs = s.attrs[:0]
	for _, p := range spans {
		k, v := b[p.k0:p.k1], b[p.v0:p.v1]
		if bytes.IndexByte(k, 0) >= 0 {
			k = []byte("\ufffd") // equal to no name looked up
		} else if hasUpper(k) {
			k = bytes.ToLower(k)
		}
		switch string(k) {
		case "href", "xlink:href", "action", "src", "http-equiv", "content", "attributename", "to", "from", "values": // what startLink looks up
			if v, ok = attrValue(v); !ok {
				return 0, "", false
			}
		default:
			if !prefixedHref(k) {
				v = nil // never read
			} else if v, ok = attrValue(v); !ok {
				return 0, "", false
			}
		}
		s.attrs = append(s.attrs, tagAttr{k, v})
	}
	selfClosing := b[end-1] == '/' && (len(spans) == 0 || end-1 != spans[len(spans)-1].v1-1)
	s.startLink(tag, s.attrs, selfClosing)
	return end + 1 - pos, rawTextTag(b[pos+1 : j]), true
}

// asciiFoldSame: a and b are equal once ASCII letters are lower-cased, as
// the Tokenizer compares attribute names (bytes.EqualFold also folds other
// runes).
func asciiFoldSame(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func hasUpper(b []byte) bool {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// attrValue is an attribute value as the Tokenizer returns it: NUL as
// U+FFFD, newlines converted, character references decoded. The Tokenizer
// decodes them by attribute rules, which differ from html.UnescapeString's
// for names without ';' and names it knows no entity for; false for such a
// value.
func attrValue(v []byte) ([]byte, bool) {
	if bytes.IndexByte(v, 0) < 0 && bytes.IndexByte(v, '\r') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v, true
	}
	v = bytes.ReplaceAll(v, []byte{0}, []byte("\ufffd")) // a copy: v is the part's content
	v = convertNewlines(v)
	// Decode in place (every reference is longer than what it stands for),
	// unless there is a numeric one: html.UnescapeString decodes those.
	if bytes.Contains(v, []byte("&#")) {
		if !namedRefsSame(v, nil) {
			return nil, false
		}
		return []byte(html.UnescapeString(string(v))), true
	}
	out := v[:0]
	if !namedRefsSame(v, &out) {
		return nil, false
	}
	return out, true
}

// namedRefsSame says whether every named reference in v is one that
// attribute and text rules decode alike: a common name with its ';'. When
// out is not nil, v decoded is appended to it (which may be v[:0]: nothing
// is written ahead of what is read).
func namedRefsSame(v []byte, out *[]byte) bool {
	for i := 0; i < len(v); i++ {
		if v[i] != '&' || i+1 >= len(v) || v[i+1] == '#' {
			if out != nil {
				*out = append(*out, v[i])
			}
			continue
		}
		j := i + 1
		for j < len(v) && (isLetter(v[j]) || '0' <= v[j] && v[j] <= '9') {
			j++
		}
		if j == i+1 { // "&" before a non-name: kept either way
			if out != nil {
				*out = append(*out, '&')
			}
			continue
		}
		if j >= len(v) || v[j] != ';' {
			return false
		}
		var r string
		switch string(v[i+1 : j]) {
		case "amp":
			r = "&"
		case "lt":
			r = "<"
		case "gt":
			r = ">"
		case "quot":
			r = `"`
		case "apos":
			r = "'"
		case "nbsp":
			r = "\u00a0"
		default:
			return false
		}
		if out != nil {
			*out = append(*out, r...)
		}
		i = j
	}
	return true
}

// rawTextTag returns the lower-case name of an element whose content the
// Tokenizer reads as raw text, "" for any other.
func rawTextTag(name []byte) string {
	for _, t := range rawTextTags {
		if len(name) == len(t) && asciiFoldSame(name, []byte(t)) {
			return t
		}
	}
	return ""
}

var rawTextTags = []string{"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp"}

// linkTagFold is linkTag for a name in any case of ASCII letters.
func linkTagFold(name []byte) string {
	if len(name) > 16 {
		if name = localName(name); len(name) > 16 {
			return ""
		}
	}
	var low [16]byte
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	return linkTag(low[:len(name)])
}

// fallback reads one token at b[pos] with a Tokenizer (after rawTag's start
// tag, when set, so that it reads that element's content) and acts on it. It
// returns the token's length, the raw text element it opens, and whether
// the Tokenizer stops there.
func (s *htmlScan) fallback(pos int, rawTag string) (n int, raw string, stop bool) {
	var r io.Reader = bytes.NewReader(s.b[pos:])
	if rawTag != "" {
		r = io.MultiReader(strings.NewReader("<"+rawTag+">"), r)
	}
	z := html.NewTokenizer(r)
	z.SetMaxBuf(htmlMaxBuf)
	if rawTag != "" {
		z.Next() // the start tag, which sets the Tokenizer to read raw text
	}
	tt := z.Next()
	if tt == html.ErrorToken {
		return 0, "", true
	}
	n = len(z.Raw())
	raw = s.token(z, tt)
	// A token the Tokenizer cut at the size limit is its last (z.Err says so
	// only at the ErrorToken that follows); one that reached the end of the
	// input leaves nothing after it.
	return n, raw, n >= htmlMaxBuf
}

func (s *htmlScan) fallbackOK(pos int, rawTag string) (int, string, bool) {
	n, raw, stop := s.fallback(pos, rawTag)
	return n, raw, !stop
}

// token acts on the Tokenizer's current token; for a start tag, it returns
// the raw text element it opens.
func (s *htmlScan) token(z *html.Tokenizer, tt html.TokenType) string {
	switch tt {
	case html.TextToken:
		s.text(z.Text())
	case html.StartTagToken, html.SelfClosingTagToken:
		name, hasAttr := z.TagName()
		raw := rawTextTag(name)
		tag := linkTag(name)
		if tag == "" {
			return raw
		}
		s.attrs = s.attrs[:0]
		for n := 0; hasAttr && n < 64; n++ {
			var a tagAttr
			a.k, a.v, hasAttr = z.TagAttr()
			s.attrs = append(s.attrs, a)
		}
		s.startLink(tag, s.attrs, tt == html.SelfClosingTagToken)
		return raw
	case html.EndTagToken:
		if name, _ := z.TagName(); string(localName(name)) == "a" {
			s.closeAnchor()
		}
	case html.CommentToken:
		if inner := outlookOnly(z.Text()); inner != nil && !s.nested {
			in := htmlScan{c: s.c, b: inner, nested: true}
			in.run()
		}
	}
	return ""
}

// outlookOnly is the markup of a conditional comment for Outlook
// (<!--[if mso]>...<![endif]-->, [if gte mso 9], ...), given the
// comment's text: Outlook for Windows shows it, as the markup it holds,
// where every other reader sees a comment; nil for any other comment.
// Newsletters put their VML buttons there; a lure can put a link only
// Outlook shows. Other conditions (IE's) are left alone: browsers skip
// them.
func outlookOnly(comment []byte) []byte {
	t := bytes.TrimLeft(comment, " \t\r\n")
	if len(t) < 4 || t[0] != '[' || !bytes.EqualFold(t[1:3], []byte("if")) {
		return nil
	}
	cond, inner, ok := bytes.Cut(t, []byte("]>"))
	if !ok || !bytes.Contains(bytes.ToLower(cond), []byte("mso")) {
		return nil
	}
	if i := bytes.LastIndex(inner, []byte("<![")); i >= 0 {
		inner = inner[:i] // <![endif]
	}
	return inner
}

func (s *htmlScan) text(t []byte) {
	if s.anchor && s.anchorText.Len() < MaxTextLen {
		s.anchorText.Write(t[:min(len(t), MaxTextLen)])
		s.anchorText.WriteByte(' ')
	}
	s.c.text(t, SourceText)
}

func (s *htmlScan) closeAnchor() {
	if s.anchor {
		s.c.add(s.anchorHref, s.anchorText.String(), SourceHref)
		s.anchor = false
		s.anchorText.Reset()
	}
}

// startLink acts on a start tag that can carry a link.
func (s *htmlScan) startLink(tag string, attrs tagAttrs, selfClosing bool) {
	c := s.c
	switch tag {
	case "a":
		s.closeAnchor()
		if h, ok := attrs.href(); ok {
			h = s.base.resolve(h)
			if selfClosing {
				c.add(h, "", SourceHref)
			} else {
				s.anchor, s.anchorHref = true, h
			}
		}
	case "area":
		if h, ok := attrs.href(); ok && strings.TrimSpace(h) != "" {
			c.add(s.base.resolve(h), "", SourceHref)
		}
	case "base":
		s.base.set(attrs)
	case "form":
		c.addAttr(attrs, "action", SourceAction)
	case "iframe", "frame":
		c.addAttr(attrs, "src", SourceFrame)
	case "img", "script", "embed", "source", "video", "audio", "input":
		if v, _ := attrs.get("src"); v != "" && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "data:") {
			c.add(v, "", SourceSrc)
		}
	case "meta":
		if v, _ := attrs.get("http-equiv"); strings.EqualFold(v, "refresh") {
			content, _ := attrs.get("content")
			if _, after, ok := strings.Cut(content, "="); ok {
				c.add(strings.Trim(after, `'" `), "", SourceFrame)
			}
		}
	case "set", "animate":
		c.animatedHref(attrs)
	case "vml":
		if h, ok := attrs.href(); ok && strings.TrimSpace(h) != "" {
			c.add(s.base.resolve(h), "", SourceHref)
		}
	}
}
