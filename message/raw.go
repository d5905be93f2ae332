package message

import "bytes"

// span is a byte range [start, end) of Message.Raw.
type span struct{ start, end int }

// rawIndex is what Parse learnt about Message.Raw: the base64 bodies in it
// that decoded without a problem, in order. of is the Raw it describes, so
// that a Raw replaced after Parse is never cut by the wrong offsets.
type rawIndex struct {
	of  []byte
	b64 []span
}

// ScanRaw is m.Raw for a whole-message scan, with every base64 body that
// Parse decoded without a problem cut to its first keep bytes (rounded up
// to whole lines): those bodies are scanned decoded as parts, so scanning
// all of their encoded bytes again only costs time. Headers, text and
// quoted-printable bodies, broken base64 and base64 inside decoded
// containers stay whole, and the first lines of each cut body, where
// encoded magic such as "TVqQ" or "UEsDB" sits, stay scannable. keep < 0
// cuts nothing. When nothing is cut the result is m.Raw itself, not a copy.
func (m *Message) ScanRaw(keep int) []byte {
	ix := m.raw
	if keep < 0 || len(ix.b64) == 0 || !sameBytes(ix.of, m.Raw) {
		return m.Raw
	}
	raw := m.Raw
	// First the spans to keep, then one buffer of exactly their size (a
	// buffer as long as the message would be mostly unused).
	type span struct{ from, to int }
	var keepSpans []span
	size, last := 0, 0 // raw[:last] is accounted for
	for _, s := range ix.b64 {
		if s.start < last || s.end > len(raw) {
			return m.Raw // cannot happen: spans come in order from one Parse
		}
		cut := s.start + keepLines(raw[s.start:s.end], keep)
		if cut >= s.end {
			continue
		}
		keepSpans = append(keepSpans, span{last, cut})
		size += cut - last
		last = s.end
	}
	if keepSpans == nil {
		return m.Raw
	}
	keepSpans = append(keepSpans, span{last, len(raw)})
	size += len(raw) - last
	out := make([]byte, 0, size)
	for _, k := range keepSpans {
		out = append(out, raw[k.from:k.to]...)
	}
	return out
}

// keepLines is how many bytes of b to keep to keep its first keep bytes
// and finish the line they end in.
func keepLines(b []byte, keep int) int {
	if keep >= len(b) {
		return len(b)
	}
	if keep == 0 || b[keep-1] == '\n' {
		return keep
	}
	if i := bytes.IndexByte(b[keep:], '\n'); i >= 0 {
		return keep + i + 1
	}
	return len(b)
}
