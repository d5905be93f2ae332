package message

import (
	"bytes"
	"io"
	"mime"
	"strings"

	"github.com/jhillyerd/enmime/v2"
)

// entity is one MIME entity, a message or a body part of a multipart:
// its header as read, and its body, a subslice of the bytes it came from.
type entity struct {
	header      header
	body        []byte
	bodyOff     int    // where body starts in Message.Raw; -1 when it is not a subslice of it
	mtype       string // lower-case media type; "" when a body part declares none
	ct          mediaValue
	disposition string // Content-Disposition without parameters
	cte         string // Content-Transfer-Encoding as this reading picks it
	fileName    string // the name this reading picks (see names)
	altNames    []string
	charset     string
	lastParam   bool     // this reading takes the last of duplicate parameters
	guessed     string   // the boundary this reading guessed for a multipart that has none
	defects     []string // what was repaired while reading the header
}

// boundary is the entity's multipart boundary, "" when it is not a
// multipart or has none (then it is one opaque leaf).
func (e *entity) boundary() string {
	if !strings.HasPrefix(e.mtype, "multipart/") {
		return ""
	}
	if b := e.params("boundary"); b != "" {
		return b
	}
	return e.guessed
}

// params is the Content-Type parameter name as the entity's reading
// picks it.
func (e *entity) params(name string) string { return e.ct.get(name, e.lastParam) }

func (e *entity) defect(d string) {
	if len(e.defects) < maxPartErrors {
		e.defects = append(e.defects, clip(d))
	}
}

// readEntity reads the header at the start of b and leaves the rest as
// the body. off is where b starts in Message.Raw, or -1. message says b is
// a whole message, whose Content-Type defaults to text/plain (a body
// part's default depends on its parent; see parser.leaf).
//
// Where a structural field can be read more than one way (two
// Content-Type fields, two boundaries, a NUL in the value, encoded words
// in it), readEntity takes the way of the parser's reading and records
// the choice as one that matters (see reading.go).
func (ps *parser) readEntity(b []byte, off int, message bool) *entity {
	e := &entity{bodyOff: -1, lastParam: ps.rd&rdLastParam != 0}
	h, n, defects, sawCR := readHeader(b, ps.rd&rdBareCR != 0)
	ps.choose(rdBareCR, sawCR)
	e.header, e.body, e.defects = h, b[n:], defects
	if off >= 0 {
		e.bodyOff = off + n
	}
	ctype := ps.pickField(h.values("Content-Type"))
	if ctype == "" && message {
		ctype = "text/plain"
	}
	if ctype != "" {
		// Encoded words in a name parameter are common and decoded
		// anyway; in the type or the boundary they make a second reading.
		head, _, _ := strings.Cut(ctype, ";")
		if ps.choose(rdWords, strings.Contains(head, "=?") || strings.Contains(ctype, "boundary=\"=?")) {
			ctype = enmime.DecodeRFC2047(ctype)
		}
		e.ct = ps.media(ctype)
		if e.ct.bad {
			e.defect("malformed Content-Type " + ctype)
		}
		switch {
		case strings.Contains(e.ct.typ, "/"):
			e.mtype = e.ct.typ
		case message:
			e.mtype = "text/plain" // RFC 2045 5.2: an unreadable type is text/plain
		}
		for _, p := range []string{"boundary", "charset"} {
			ps.choose(rdLastParam, len(e.ct.values(p)) > 1)
		}
		e.charset = e.params("charset")
	}
	if strings.HasPrefix(e.mtype, "multipart/") && e.params("boundary") == "" {
		// Some clients split a multipart that names no boundary (Postfix
		// cuts a header value at a NUL, boundary and all) at its first
		// "--" line.
		if g := guessBoundary(e.body); ps.choose(rdGuessBoundary, g != "") {
			e.guessed = g
		}
	}
	cds := h.values("Content-Disposition")
	cd := mediaValue{}
	if v := ps.pickField(cds); v != "" {
		cd = ps.media(v)
		e.disposition = cd.typ
	}
	e.cte = ps.pickField(h.values("Content-Transfer-Encoding"))
	e.names(cd, cds, h.values("Content-Type"))
	return e
}

// guessBoundary is the boundary of the first line of b that starts with
// "--" and a token, "" when there is none.
func guessBoundary(b []byte) string {
	for i := 0; i < len(b); {
		line := b[i:]
		if j := bytes.IndexByte(line, '\n'); j >= 0 {
			line = line[:j]
			i += j + 1
		} else {
			i = len(b)
		}
		line = bytes.TrimRight(line, " \t\r")
		if len(line) > 2 && line[0] == '-' && line[1] == '-' && line[2] > ' ' {
			g := bytes.TrimSuffix(line[2:], []byte("--"))
			if len(g) > 0 && len(g) <= 200 && !bytes.ContainsAny(g, " \t") {
				return string(g)
			}
		}
	}
	return ""
}

// pickField is the value of a field given once, or of one given several
// times the first (the last in the reading that says so).
func (ps *parser) pickField(vs []string) string {
	switch {
	case len(vs) == 0:
		return ""
	case len(vs) > 1 && ps.choose(rdLastField, !allSame(vs)):
		return vs[len(vs)-1]
	}
	return vs[0]
}

func allSame(vs []string) bool {
	for _, v := range vs[1:] {
		if v != vs[0] {
			return false
		}
	}
	return true
}

// media parses a structured field value in the parser's reading.
func (ps *parser) media(v string) mediaValue {
	if ps.choose(rdCutNUL, strings.IndexByte(v, 0) >= 0) {
		return parseMedia(v, cutCtl)
	}
	return parseMedia(v, dropCtl)
}

// names sets the entity's file name and every other name it carries.
// The file name is what this reading picks: the Content-Disposition
// filename, else the Content-Type name (or the old "file"). The others
// are every value of those parameters in every such field, and each name
// cut at its first control character, which is where Windows ends it.
func (e *entity) names(cd mediaValue, cds, cts []string) {
	for _, key := range []string{"filename"} {
		if v := cd.get(key, e.lastParam); v != "" {
			e.fileName = decodeWords(v, false)
			break
		}
	}
	for _, key := range []string{"name", "file"} {
		if e.fileName != "" {
			break
		}
		e.fileName = decodeWords(e.ct.get(key, e.lastParam), false)
	}
	var all []string
	add := func(n string) {
		if n == "" {
			return
		}
		for _, o := range all {
			if o == n {
				return
			}
		}
		all = append(all, n)
	}
	add(e.fileName)
	collect := func(values []string, keys ...string) {
		for _, v := range values {
			if !strings.Contains(v, "=") {
				continue
			}
			mv := parseMedia(v, keepCtl)
			for _, k := range keys {
				for _, n := range mv.values(k) {
					// A control character is dropped by some clients
					// and ends the name for others (Windows).
					d := decodeWords(n, false)
					add(dropControls(d))
					add(cutAtControl(d))
					// A word in a charset no client knows is read as its
					// bytes by some (Python's email package): "=?x-none?B?
					// aW52b2ljZS5qcw==?=" is invoice.js to them.
					if r := decodeWords(n, true); r != d {
						add(dropControls(r))
						add(cutAtControl(r))
					}
				}
			}
		}
	}
	collect(cds, "filename")
	collect(cts, "name", "file")
	if len(cds) > 1 || repeated(cd, "filename") || repeated(e.ct, "name") {
		e.defect("file name or Content-Disposition given more than once")
	}
	if len(all) > 1 {
		e.altNames = append(e.altNames, all[1:]...)
	}
	if e.fileName == "" && len(all) > 0 {
		e.fileName = all[0]
	}
}

// repeated reports a parameter given twice in the same form (plain or
// RFC 2231): mailers disagree on which one they use. Both forms together
// are the standard fallback for old mailers.
func repeated(v mediaValue, name string) bool {
	plain, ext := 0, 0
	for _, p := range v.params {
		if p.name == name {
			if p.ext {
				ext++
			} else {
				plain++
			}
		}
	}
	return plain > 1 || ext > 1
}

// cutAtControl is name up to its first control character.
func cutAtControl(name string) string {
	for i := 0; i < len(name); i++ {
		if name[i] < ' ' || name[i] == 0x7f {
			return name[:i]
		}
	}
	return name
}

// decodeWords decodes RFC 2047 encoded words in a file name, once, in any
// charset toUTF8 knows; a name that does not decode is kept as it is. With
// raw, a word in a charset toUTF8 does not know (or whose bytes do not
// convert) is read as its bytes instead.
func decodeWords(s string, raw bool) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	d := mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		utf, err := toUTF8(b, charset)
		if err != nil && !raw {
			return nil, err
		}
		return bytes.NewReader(utf), nil
	}}
	out, err := d.DecodeHeader(s)
	if err != nil {
		return s
	}
	return out
}
