package message

import (
	"encoding/base64"
	"fmt"
)

// We decode Content-Transfer-Encoding ourselves (enmime runs with
// RawContent) because enmime's base64 cleaner builds one error value per
// stray byte: 10 MB of junk took 17 s. Both decoders here are lenient,
// single pass, and count what they had to skip instead of failing.

// Transfer encodings, as transferEncoding names them.
const (
	cteIdentity = iota // none, 7bit, 8bit, binary
	cteBase64
	cteQP
	cteUU
	cteUnknown
)

// transferEncoding reads a Content-Transfer-Encoding the way the lenient
// clients do: case, blanks, quotes and comments ignored, an "x-" prefix
// and "-" or "_" inside ignored ("Base-64", "x-base64", "quoted_printable").
func transferEncoding(cte string) int {
	if cte == "" {
		return cteIdentity
	}
	l := lexer{s: cte}
	var b []byte
	for !l.done() {
		l.cfws()
		for !l.done() && l.s[l.i] != '(' && l.s[l.i] != ' ' && l.s[l.i] != '\t' {
			c := l.s[l.i]
			l.i++
			switch {
			case c == '-' || c == '_' || c == '"' || c == '\'':
			case 'A' <= c && c <= 'Z':
				b = append(b, c+'a'-'A')
			default:
				b = append(b, c)
			}
		}
	}
	enc := string(b)
	if len(enc) > 1 && enc[0] == 'x' && enc != "xuue" {
		enc = enc[1:]
	}
	switch enc {
	case "", "7bit", "8bit", "binary", "7", "8":
		return cteIdentity
	case "base64", "b64":
		return cteBase64
	case "quotedprintable", "qp":
		return cteQP
	case "uuencode", "uue", "uu", "xuue", "uuencoded":
		return cteUU
	}
	return cteUnknown
}

// decodeTransfer decodes body per its Content-Transfer-Encoding in the
// parser's reading. It returns the content, a defect to record ("" if
// none), and whether the content stayed encoded in a way a mail client
// would decode.
func (ps *parser) decodeTransfer(body []byte, cte string) (out []byte, defect string, undecoded bool) {
	switch transferEncoding(cte) {
	case cteIdentity:
		return body, "", false
	case cteBase64:
		return ps.base64(body)
	case cteQP:
		out, bad := decodeQP(body, false)
		if ps.choose(rdQPDrop, bad > 0) {
			out, _ = decodeQP(body, true)
		}
		if bad > 0 {
			defect = fmt.Sprintf("quoted-printable: %d malformed escapes", bad)
		}
		return out, defect, false
	case cteUU:
		files := uudecodeAll(body, 1)
		if len(files) == 0 {
			raw, bad := uudecodeLines(body)
			if len(raw) == 0 {
				return body, clip(fmt.Sprintf("Content-Transfer-Encoding %q: no uuencoded data", cte)), true
			}
			if bad > 0 {
				defect = fmt.Sprintf("uuencode: %d malformed lines", bad)
			}
			return raw, defect, false
		}
		return files[0].data, "", false
	}
	defect = clip(fmt.Sprintf("unknown Content-Transfer-Encoding %q, content kept as it is", cte))
	if ps.choose(rdGuessB64, looksBase64(body)) {
		out, _, _ = ps.base64(body)
		return out, defect, false
	}
	return body, defect, false
}

// base64 decodes body in the parser's reading (see decodeBase64).
func (ps *parser) base64(body []byte) (out []byte, defect string, undecoded bool) {
	var st b64stats
	if v, ok := ps.memo.get(body); ok {
		out, st = v.out, v.st
	} else {
		out, st = decodeBase64(body)
		ps.memo.put(body, b64result{out, st})
	}
	if ps.choose(rdB64Continuous, st.midPad) {
		out = continuousBase64(body)
	}
	if ps.choose(rdB64Strict, st.junk > 0 || st.midPad) {
		out = strictBase64(body)
	}
	switch {
	case st.junk > 0 && st.cut:
		defect = fmt.Sprintf("base64: skipped %d bytes outside the alphabet; truncated at the end", st.junk)
	case st.junk > 0:
		defect = fmt.Sprintf("base64: skipped %d bytes outside the alphabet", st.junk)
	case st.midPad:
		defect = "base64: padding inside the data"
	case st.cut:
		defect = "base64: truncated at the end"
	}
	return out, defect, false
}

// b64memo keeps what one reading decoded leniently from a base64 body of
// the raw message, by where the body lies, so that the next reading of
// the same body does not decode it again.
type b64memo map[b64at]b64result

type b64at struct {
	first *byte
	n     int
}

type b64result struct {
	out []byte
	st  b64stats
}

func (m b64memo) get(body []byte) (b64result, bool) {
	if m == nil || len(body) == 0 {
		return b64result{}, false
	}
	v, ok := m[b64at{&body[0], len(body)}]
	return v, ok
}

func (m b64memo) put(body []byte, v b64result) {
	if m != nil && len(body) > 0 {
		m[b64at{&body[0], len(body)}] = v
	}
}

// looksBase64 says whether b is base64 and nothing else: at least 16
// alphabet characters, only line breaks and padding besides.
func looksBase64(b []byte) bool {
	n := 0
	for _, c := range b {
		switch {
		case b64[c] != 0xff:
			n++
		case c == '=' || c == '\r' || c == '\n' || c == ' ' || c == '\t':
		default:
			return false
		}
	}
	return n >= 16
}

// b64 maps base64 alphabet bytes to their values, others to 0xff.
var b64 = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// b64stats is what decoding base64 had to repair.
type b64stats struct {
	junk   int  // bytes outside the alphabet skipped (not blanks or "=")
	cut    bool // a lone character at the end
	midPad bool // "=" followed later by more data
}

// decodeBase64 decodes b the way the lenient clients do: whitespace is
// skipped silently and other bytes outside the alphabet as junk; padding
// ends a group, so concatenated base64 blocks decode too.
func decodeBase64(b []byte) ([]byte, b64stats) {
	out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	// Well-formed base64 (only line breaks between groups, padded at the
	// end) is what almost all mail carries; the standard decoder reads it
	// several times faster and, when it succeeds, gives the same bytes.
	if n, err := base64.StdEncoding.Decode(out, b); err == nil {
		return out[:n], b64stats{}
	}
	return lenientBase64(out[:0], b)
}

// lenientBase64 is decodeBase64 for base64 the standard decoder refuses;
// it appends to out.
func lenientBase64(out, b []byte) ([]byte, b64stats) {
	var st b64stats
	var group uint32
	n := 0 // characters in group
	pad := false
	flush := func() {
		switch n {
		case 2:
			out = append(out, byte(group>>4))
		case 3:
			out = append(out, byte(group>>10), byte(group>>2))
		}
		group, n = 0, 0
	}
	for _, c := range b {
		v := b64[c]
		if v == 0xff {
			switch c {
			case '=':
				if n == 1 {
					st.cut = true
				}
				flush()
				pad = true
			case ' ', '\t', '\r', '\n', '\f', '\v':
			default:
				st.junk++
			}
			continue
		}
		if pad {
			st.midPad = true
			pad = false
		}
		group = group<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(group>>16), byte(group>>8), byte(group))
			group, n = 0, 0
		}
	}
	if n == 1 {
		st.cut = true
	}
	flush()
	return out, st
}

// continuousBase64 is the reading of clients that first drop everything
// outside the alphabet, "=" included, then decode what is left.
func continuousBase64(b []byte) []byte {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		if b64[c] != 0xff {
			clean = append(clean, c)
		}
	}
	out, _ := lenientBase64(make([]byte, 0, len(clean)*3/4+3), clean)
	return out
}

// strictBase64 is the reading of clients that stop at the first byte
// that is neither in the alphabet nor a line break, or at padding.
func strictBase64(b []byte) []byte {
	end := len(b)
	for i, c := range b {
		if b64[c] == 0xff && c != '\r' && c != '\n' {
			end = i
			break
		}
	}
	out, _ := lenientBase64(make([]byte, 0, end*3/4+3), b[:end])
	return out
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// decodeQP decodes quoted-printable leniently: "=XX" (either case) is a
// byte, "=" before optional blanks and a line end (or the end) is a soft
// break, and any other "=" is kept literally, or with drop left out, and
// counted as bad.
func decodeQP(b []byte, drop bool) (out []byte, bad int) {
	out = make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		if i+2 < len(b) {
			if hi, ok := unhex(b[i+1]); ok {
				if lo, ok := unhex(b[i+2]); ok {
					out = append(out, hi<<4|lo)
					i += 2
					continue
				}
			}
		}
		j := i + 1
		for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		switch {
		case j == len(b):
			i = j - 1 // soft break at the very end
			continue
		case b[j] == '\n':
			i = j
			continue
		case b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n':
			i = j + 1
			continue
		case b[j] == '\r' && j+1 == len(b):
			i = j
			continue
		}
		bad++
		if !drop {
			out = append(out, '=')
		}
	}
	return out, bad
}
