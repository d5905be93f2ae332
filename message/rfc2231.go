package message

import (
	"strconv"
	"strings"
)

// Go's mime package (and so enmime) drops RFC 2231 parameters in any
// charset but UTF-8 and ASCII, so "filename*=Shift_JIS''..." came out
// empty and a continued one lost its first segment. A file name is what
// the extension heuristics look at, so we read these ourselves.

// maxParams bounds the parameters read from one header value.
const maxParams = 200

// headerParams splits a header value's parameters into lower-case names
// and raw (unquoted) values, in order, skipping the leading token.
func headerParams(v string) [][2]string {
	var out [][2]string
	for i := 0; i < maxParams; i++ {
		semi := nextSemicolon(v)
		if semi < 0 {
			break
		}
		v = v[semi+1:]
		piece := v
		if end := nextSemicolon(v); end >= 0 {
			piece = v[:end]
		}
		key, val, ok := strings.Cut(piece, "=")
		if !ok {
			continue
		}
		out = append(out, [2]string{strings.ToLower(strings.TrimSpace(key)), unquote(strings.TrimSpace(val))})
	}
	return out
}

// nextSemicolon is the index of the first ';' outside quotes, or -1.
func nextSemicolon(s string) int {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if quoted {
				i++
			}
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				return i
			}
		}
	}
	return -1
}

func unquote(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	s = s[1 : len(s)-1]
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// extParam decodes parameter name from params in its RFC 2231 forms
// (name*=charset'lang'%XX..., name*0=..., name*0*=..., name*1*=...).
// ok is false when the parameter has no such form.
func extParam(params [][2]string, name string) (value string, ok bool) {
	type segment struct {
		val     string
		encoded bool
	}
	segs := map[int]segment{}
	for _, kv := range params {
		key, val := kv[0], kv[1]
		rest, found := strings.CutPrefix(key, name+"*")
		if !found {
			continue
		}
		if rest == "" { // name*=charset'lang'value
			if _, dup := segs[0]; !dup {
				segs[0] = segment{val, true}
			}
			continue
		}
		encoded := strings.HasSuffix(rest, "*")
		n, err := strconv.Atoi(strings.TrimSuffix(rest, "*"))
		if err != nil || n < 0 || n >= 100 {
			continue
		}
		if _, dup := segs[n]; !dup {
			segs[n] = segment{val, encoded}
		}
	}
	first, found := segs[0]
	if !found {
		return "", false
	}
	charset := ""
	if first.encoded {
		// charset'language'value; the quotes may be missing in broken mail.
		if cs, tail, ok := strings.Cut(first.val, "'"); ok {
			charset = cs
			if _, v, ok := strings.Cut(tail, "'"); ok {
				tail = v
			}
			first.val = tail
		}
		segs[0] = first
	}
	var raw []byte
	for i := 0; i < 100; i++ {
		s, ok := segs[i]
		if !ok {
			break
		}
		if s.encoded {
			raw = append(raw, percentDecode(s.val)...)
		} else {
			raw = append(raw, s.val...)
		}
	}
	utf, err := toUTF8(raw, charset)
	if err != nil {
		utf = raw
	}
	return strings.ToValidUTF8(string(utf), "\uFFFD"), true
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

// hasParam reports whether params holds a plain (not RFC 2231) name.
func hasParam(params [][2]string, name string) bool {
	for _, kv := range params {
		if kv[0] == name {
			return true
		}
	}
	return false
}

// repeated reports name given twice in the same form (plain or RFC 2231):
// mailers disagree on which one they use, so that is an evasion. Both
// forms together are the standard fallback for old mailers.
func repeated(params [][2]string, name string) bool {
	plain, ext := 0, 0
	for _, kv := range params {
		switch kv[0] {
		case name:
			plain++
		case name + "*", name + "*0", name + "*0*":
			ext++
		}
	}
	return plain > 1 || ext > 1
}

// fileName is the part's file name: an RFC 2231 filename in
// Content-Disposition first, then enmime's reading, then an RFC 2231 name
// in Content-Type. dup reports a name given more than once in one header.
func fileName(disposition, ctype, enmimeName string) (name string, dup bool) {
	cd := headerParams(disposition)
	ct := headerParams(ctype)
	dup = repeated(cd, "filename") || repeated(ct, "name")
	if v, ok := extParam(cd, "filename"); ok {
		return v, dup
	}
	if hasParam(cd, "filename") || enmimeName != "" && !strings.Contains(ctype, "*") {
		return enmimeName, dup
	}
	if v, ok := extParam(ct, "name"); ok {
		return v, dup
	}
	return enmimeName, dup
}
