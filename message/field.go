package message

import (
	"bytes"
	"strings"
)

// We read header blocks ourselves: the readers mail clients use accept
// blanks before the colon ("Content-Type\t:"), a header not ended by a
// blank line, and a lone CR as a line end, where a strict reader drops the
// field or the whole header and so shows a multipart as one text part.

// field is one header field: its name as written, without the blanks some
// mailers put before the colon, and its value unfolded and trimmed.
type field struct{ name, value string }

// header is the fields of one header block that this package reads, in
// order; duplicates are kept. Other fields are only counted.
type header struct {
	fields []field
	count  int // every field of the block
}

// values is every value of the field name, in order.
func (h *header) values(name string) []string {
	var out []string
	for _, f := range h.fields {
		if strings.EqualFold(f.name, name) {
			out = append(out, f.value)
		}
	}
	return out
}

// get is the first value of the field name, "" when there is none.
func (h *header) get(name string) string {
	for _, f := range h.fields {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// keptFields are the fields header keeps; the others are counted only.
var keptFields = []string{"content-type", "content-transfer-encoding", "content-disposition", "content-id",
	"message-id", "subject", "from", "to", "cc", "sender", "reply-to", "return-path", "list-id"}

func keep(name []byte) bool {
	if len(name) == 0 {
		return false
	}
	switch name[0] | 0x20 {
	case 'c', 'm', 's', 'f', 't', 'r', 'l':
	default:
		return false
	}
	for _, k := range keptFields {
		if len(k) == len(name) && strings.EqualFold(k, string(name)) {
			return true
		}
	}
	return false
}

// readHeader reads the header block at the start of b. It returns the
// fields, where the body starts, and what it had to repair. A header ends
// at a blank line, or (a defect) at the first line that is not a field or
// a continuation, which then starts the body, so nothing is lost. bareCR
// makes a lone CR end a line too, as some clients read it; sawCR reports
// a lone CR in the header, which only that reading splits on.
func readHeader(b []byte, bareCR bool) (h header, body int, defects []string, sawCR bool) {
	i := 0
	if bytes.HasPrefix(b, []byte("From ")) { // an mbox separator line, not a field
		_, i, sawCR = lineAt(b, 0, bareCR)
	}
	var cur []byte // the value of the field being read, when it is kept
	open := false  // a field is being read (kept or not)
	flush := func() {
		if cur != nil {
			h.fields[len(h.fields)-1].value = string(bytes.TrimSpace(cur))
			cur = nil
		}
		open = false
	}
	defect := func(d string) {
		if len(defects) < maxPartErrors {
			defects = append(defects, d)
		}
	}
	for i < len(b) {
		end, next, cr := lineAt(b, i, bareCR)
		sawCR = sawCR || cr
		line := b[i:end]
		switch {
		case len(line) == 0:
			flush()
			return h, next, defects, sawCR
		case line[0] == ' ' || line[0] == '\t':
			if !open {
				if h.count == 0 {
					defect("header starts with a continuation line")
				}
				i = next
				continue
			}
			if cur != nil {
				cur = append(cur, line...) // unfolding removes only the line break
			}
			i = next
			continue
		}
		flush()
		colon := bytes.IndexByte(line, ':')
		name := line
		if colon >= 0 {
			name = bytes.TrimRight(line[:colon], " \t")
		}
		if colon < 0 || !fieldName(name) {
			if i > 0 {
				defect("header ended by a line that is not a field")
			} else {
				defect("no header: the first line is not a field")
			}
			return h, i, defects, sawCR
		}
		if len(name) != colon {
			defect(clip("blanks before the colon of " + string(name)))
		}
		h.count++
		open = true
		if keep(name) {
			h.fields = append(h.fields, field{name: string(name)})
			cur = append(make([]byte, 0, len(line)-colon), line[colon+1:]...)
		}
		i = next
	}
	flush()
	return h, len(b), defects, sawCR
}

// fieldName reports whether b can be a field name: printable ASCII
// without blanks or a colon (RFC 5322 ftext), at least one byte.
func fieldName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// lineAt finds the line starting at i: it ends at end (without its line
// break) and the next one starts at next. A line ends at LF or CRLF, and
// with bareCR also at a CR alone; cr reports a lone CR inside the line.
func lineAt(b []byte, i int, bareCR bool) (end, next int, cr bool) {
	j := bytes.IndexByte(b[i:], '\n')
	stop := len(b)
	if j >= 0 {
		stop = i + j
	}
	k := bytes.IndexByte(b[i:stop], '\r')
	for k >= 0 {
		p := i + k
		if p+1 == stop && j >= 0 { // CRLF
			return p, stop + 1, cr
		}
		if p+1 == len(b) { // a CR at the very end
			return p, len(b), cr
		}
		cr = true
		if bareCR {
			return p, p + 1, cr
		}
		k2 := bytes.IndexByte(b[p+1:stop], '\r')
		if k2 < 0 {
			break
		}
		k = p + 1 + k2 - i
	}
	if j < 0 {
		return len(b), len(b), cr
	}
	return stop, stop + 1, cr
}
