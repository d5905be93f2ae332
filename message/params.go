package message

import (
	"strconv"
	"strings"
)

// We read Content-Type and Content-Disposition values ourselves (Go's mime
// package, and so enmime, refuse a comment after the type, drop RFC 2231
// parameters in any charset but UTF-8, and keep only the first of two
// boundaries). The reader is lenient the way mail clients are: comments
// anywhere, blanks around "/" and "=", a missing ";", unquoted values with
// blanks, an unterminated quoted string. Every value of a parameter given
// more than once is kept, so that each reading can pick its own.

// maxParams bounds the parameters read from one header value.
const maxParams = 200

// mediaValue is a Content-Type or Content-Disposition value as read.
type mediaValue struct {
	typ    string  // lower-case "type/subtype" (a disposition: its type); "" when missing
	params []param // in order of appearance, RFC 2231 sections joined
	bad    bool    // something was skipped or repaired
}

// param is one parameter: its lower-case name without RFC 2231 marks,
// and its value, decoded when it was an RFC 2231 (extended) value.
type param struct {
	name, value string
	ext         bool
}

// values is every distinct value of parameter name: an RFC 2231 value
// first (the clients that read them prefer it), then the plain ones in
// order.
func (v *mediaValue) values(name string) []string {
	var out []string
	add := func(s string) {
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, p := range v.params {
		if p.name == name && p.ext {
			add(p.value)
		}
	}
	for _, p := range v.params {
		if p.name == name && !p.ext {
			add(p.value)
		}
	}
	return out
}

// get is the value of parameter name in the primary reading (the first of
// values), or with last the last one, which other clients use.
func (v *mediaValue) get(name string, last bool) string {
	vs := v.values(name)
	switch {
	case len(vs) == 0:
		return ""
	case last:
		return vs[len(vs)-1]
	}
	return vs[0]
}

// How parseMedia treats control characters.
const (
	dropCtl = iota // dropped
	cutCtl         // the value ends at the first NUL, as C-string readers see it
	keepCtl        // kept (file names: each way of reading them is a name)
)

// parseMedia reads a Content-Type or Content-Disposition value, treating
// control characters as ctl says.
func parseMedia(s string, ctl int) mediaValue {
	var v mediaValue
	if ctl == cutCtl {
		if i := strings.IndexByte(s, 0); i >= 0 {
			s = s[:i]
		}
	}
	if ctl != keepCtl && hasControl(s) {
		s = dropControls(s)
		v.bad = true
	}
	l := lexer{s: s}
	l.cfws()
	t := l.token()
	l.cfws()
	if l.peek() == '/' {
		l.i++
		l.cfws()
		sub := l.token()
		if t != "" && sub != "" {
			v.typ = strings.ToLower(t + "/" + sub)
		} else {
			v.bad = true
		}
	} else if t != "" && !strings.Contains(t, "/") {
		v.typ = strings.ToLower(t) // a disposition type; a Content-Type without "/" is refused by the caller
	}
	var raw []param
	for n := 0; n < maxParams && !l.done(); n++ {
		l.cfws()
		if l.peek() == ';' {
			l.i++
			continue
		}
		if l.done() {
			break
		}
		name := l.token()
		l.cfws()
		if name == "" || l.peek() != '=' {
			v.bad = true
			l.skipTo(';')
			continue
		}
		l.i++
		l.cfws()
		raw = append(raw, param{name: strings.ToLower(name), value: l.value()})
	}
	v.params = joinExtended(raw)
	return v
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}

func dropControls(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= ' ' && c != 0x7f || c == '\t' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// lexer walks a structured header value.
type lexer struct {
	s string
	i int
}

func (l *lexer) done() bool { return l.i >= len(l.s) }

func (l *lexer) peek() byte {
	if l.done() {
		return 0
	}
	return l.s[l.i]
}

// cfws skips blanks and RFC 822 comments, which nest and may hold quoted
// pairs; an unclosed comment runs to the end.
func (l *lexer) cfws() {
	for !l.done() {
		switch l.s[l.i] {
		case ' ', '\t', '\r', '\n':
			l.i++
		case '(':
			depth := 0
			for ; !l.done(); l.i++ {
				c := l.s[l.i]
				if c == '\\' {
					l.i++
					continue
				}
				if c == '(' {
					depth++
				} else if c == ')' {
					depth--
					if depth == 0 {
						l.i++
						break
					}
				}
			}
			l.i = min(l.i, len(l.s)) // a quoted pair at the very end steps past it
		default:
			return
		}
	}
}

// token reads up to a blank, a comment, a quote or one of "/;=".
func (l *lexer) token() string {
	start := l.i
	for !l.done() {
		switch l.s[l.i] {
		case ' ', '\t', '\r', '\n', '(', '"', '/', ';', '=':
			return l.s[start:l.i]
		}
		l.i++
	}
	return l.s[start:l.i]
}

// value reads a parameter value: a quoted string (an unterminated one runs
// to the end), or everything up to ";" without comments and outer blanks.
func (l *lexer) value() string {
	if l.peek() == '"' {
		l.i++
		var b strings.Builder
		for !l.done() {
			c := l.s[l.i]
			l.i++
			switch c {
			case '\\':
				if !l.done() {
					b.WriteByte(l.s[l.i])
					l.i++
				}
				continue
			case '"':
				return b.String()
			}
			b.WriteByte(c)
		}
		return b.String()
	}
	var b strings.Builder
	for !l.done() && l.s[l.i] != ';' {
		if l.s[l.i] == '(' {
			l.cfws()
			b.WriteByte(' ')
			continue
		}
		b.WriteByte(l.s[l.i])
		l.i++
	}
	return strings.TrimSpace(b.String())
}

func (l *lexer) skipTo(c byte) {
	quoted := false
	for ; !l.done(); l.i++ {
		switch l.s[l.i] {
		case '"':
			quoted = !quoted
		case '\\':
			l.i++
		case c:
			if !quoted {
				return
			}
		}
	}
	l.i = min(l.i, len(l.s))
}

// joinExtended decodes RFC 2231 parameters (name*=charset'lang'%XX...,
// name*0=..., name*0*=..., name*1*=...) into one param each, placed where
// its first section stood; plain parameters are kept as they are.
func joinExtended(raw []param) []param {
	ext := false
	for _, p := range raw {
		if strings.IndexByte(p.name, '*') >= 0 {
			ext = true
			break
		}
	}
	if !ext {
		return raw
	}
	var out []param
	done := map[string]bool{}
	for _, p := range raw {
		base, rest, isExt := strings.Cut(p.name, "*")
		if !isExt {
			out = append(out, p)
			continue
		}
		if rest == "" { // name*=charset'lang'value, each one kept
			out = append(out, param{name: base, value: extValue([]segment{{p.value, true}}), ext: true})
			continue
		}
		if done[base] {
			continue
		}
		done[base] = true
		segs := map[int]segment{}
		for _, q := range raw {
			qb, qr, ok := strings.Cut(q.name, "*")
			if !ok || qb != base || qr == "" {
				continue
			}
			encoded := strings.HasSuffix(qr, "*")
			n, err := strconv.Atoi(strings.TrimSuffix(qr, "*"))
			if err != nil || n < 0 || n >= 100 {
				continue
			}
			if _, dup := segs[n]; !dup {
				segs[n] = segment{q.value, encoded}
			}
		}
		var list []segment
		for i := 0; i < 100; i++ {
			s, ok := segs[i]
			if !ok {
				break
			}
			list = append(list, s)
		}
		if len(list) > 0 {
			out = append(out, param{name: base, value: extValue(list), ext: true})
		}
	}
	return out
}

// segment is one section of an RFC 2231 value.
type segment struct {
	val     string
	encoded bool
}

// extValue joins the sections of an RFC 2231 value and decodes it: the
// first encoded section starts with charset'language' (the quotes may be
// missing in broken mail); encoded sections are percent-encoded.
func extValue(segs []segment) string {
	charset := ""
	if first := segs[0]; first.encoded {
		if cs, tail, ok := strings.Cut(first.val, "'"); ok {
			charset = cs
			if _, v, ok := strings.Cut(tail, "'"); ok {
				tail = v
			}
			segs[0].val = tail
		}
	}
	var b []byte
	for _, s := range segs {
		if s.encoded {
			b = append(b, percentDecode(s.val)...)
		} else {
			b = append(b, s.val...)
		}
	}
	utf, err := toUTF8(b, charset)
	if err != nil {
		utf = b
	}
	return strings.ToValidUTF8(string(utf), "\uFFFD")
}

func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if hi, ok := unhex(s[i+1]); ok {
				if lo, ok := unhex(s[i+2]); ok {
					out = append(out, hi<<4|lo)
					i += 2
					continue
				}
			}
		}
		out = append(out, s[i])
	}
	return out
}
