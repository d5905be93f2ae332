package milter

import (
	"fmt"
	"io"
	"mime"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

const (
	headerVerdict  = "X-Kensa-Verdict"
	headerFindings = "X-Kensa-Findings"
	kensaPrefix    = "x-kensa-"

	maxLine        = 78   // RFC 5322's recommended line length, counted without CRLF
	maxHeaderValue = 2000 // X-Kensa-Findings before folding; the rest becomes "...+N more"
	maxItemLen     = 300  // one finding in a header: "scanner/ID (part path)"
	maxIDLen       = 100  // one name in the verdict header
)

// clean makes text that may come from the sender safe for a header value and
// at most limit bytes long (limit <= 0: no limit). Printable ASCII stays; other
// printable characters become %XX escapes of their UTF-8 bytes (and '%'
// itself becomes %25, so the escape is unambiguous); CR, LF, every other
// control and format character and invalid UTF-8 are dropped; runs of spaces
// become one space. Cut text ends in "...".
func clean(s string, limit int) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		raw := s[i : i+n]
		i += n
		var out string
		switch {
		case r == utf8.RuneError && n == 1:
			continue
		case r == ' ':
			space = b.Len() > 0
			continue
		case r == '%':
			out = "%25"
		case r > ' ' && r < 0x7f:
			out = raw
		case r >= 0x80 && unicode.IsPrint(r):
			for j := 0; j < len(raw); j++ {
				out += fmt.Sprintf("%%%02X", raw[j])
			}
		default:
			continue
		}
		if space {
			out = " " + out
			space = false
		}
		if limit > 0 && b.Len()+len(out) > limit {
			// Leave room for the marker; escapes are never split.
			cut := b.String()
			for len(cut)+3 > limit && len(cut) > 0 {
				cut = cut[:len(cut)-1]
			}
			for strings.Contains(cut[max(0, len(cut)-2):], "%") {
				cut = cut[:len(cut)-1]
			}
			return strings.TrimRight(cut, " ") + "..."
		}
		b.WriteString(out)
	}
	return b.String()
}

// fold breaks a clean value (printable ASCII, single spaces) into lines of at
// most maxLine characters, counting "Name: " on the first line. It folds at
// spaces (CRLF before the space, so unfolding restores the value exactly);
// a word too long for any line is split, which inserts a space into it.
func fold(name, value string) string {
	var b strings.Builder
	lineLen := len(name) + 2
	sep := false // a word is on the current line, so the next needs a space
	for _, w := range strings.Split(value, " ") {
		for w != "" {
			need := len(w)
			if sep {
				need++
			}
			if lineLen+need <= maxLine {
				if sep {
					b.WriteByte(' ')
				}
				b.WriteString(w)
				lineLen += need
				sep = true
				break
			}
			if sep {
				b.WriteString("\r\n ")
				lineLen, sep = 1, false
				continue
			}
			n := max(maxLine-lineLen, 1)
			b.WriteString(w[:n])
			b.WriteString("\r\n ")
			w = w[n:]
			lineLen = 1
		}
	}
	return b.String()
}

// cleanItems cleans list items for a header or a log line and drops empty
// ones and duplicates, keeping the first-seen order.
func cleanItems(items []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		it = clean(it, maxItemLen)
		if it == "" || seen[it] {
			continue
		}
		seen[it] = true
		out = append(out, it)
	}
	return out
}

// headerValue is the value of a list header: items cleaned, duplicates
// dropped, the list capped at maxHeaderValue bytes with ", ...+N more", and
// folded for a field called name.
func headerValue(name string, items []string) string {
	uniq := cleanItems(items)
	var b strings.Builder
	for i, it := range uniq {
		add := it
		if i > 0 {
			add = ", " + it
		}
		more := ", ...+" + strconv.Itoa(len(uniq)-i) + " more"
		if i == 0 {
			more = "...+" + strconv.Itoa(len(uniq)) + " more"
		}
		// Keep room for the "more" marker unless this is the last item.
		limit := maxHeaderValue - len(more)
		if i == len(uniq)-1 {
			limit = maxHeaderValue
		}
		if b.Len()+len(add) > limit {
			b.WriteString(more)
			break
		}
		b.WriteString(add)
	}
	return fold(name, b.String())
}

// findingItems are findings in the compact form headers and logs use,
// "scanner/ID (part)" or "scanner/ID" for the whole message, not yet cleaned.
func findingItems(fs []scanners.Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		it := f.Scanner + "/" + f.ID
		if f.Part != "" {
			it += " (" + f.Part + ")"
		}
		out = append(out, it)
	}
	return out
}

// verdictValue is the X-Kensa-Verdict value for a report, e.g.
// "tag; score=35; ref=abc" or "unscanned; reason=too-large; ref=abc".
func verdictValue(rep engine.Report, host string) string {
	v := rep.Verdict
	var parts []string
	if rep.Unscanned != "" {
		parts = append(parts, "unscanned", "reason="+clean(rep.Unscanned, maxIDLen))
		if v.Action != policy.Accept {
			parts = append(parts, "action="+v.Action.String())
		}
	} else {
		parts = append(parts, v.Action.String(), "score="+strconv.Itoa(v.Score))
	}
	parts = append(parts, "ref="+clean(v.Ref, maxIDLen))
	if v.Monitor {
		parts = append(parts, "monitor")
	}
	if v.Skipped != "" {
		parts = append(parts, "skipped="+clean(v.Skipped, maxIDLen))
	}
	if h := clean(host, maxIDLen); h != "" {
		parts = append(parts, "host="+h)
	}
	return fold(headerVerdict, strings.Join(parts, "; "))
}

// headerOp is one header change for the MTA: an insert at a position in
// the whole header, or a change of the index-th field of that name (an
// empty value deletes it).
type headerOp struct {
	insert      bool
	index       int
	name, value string
}

// editHeader works out the changes to a message's header: every X-Kensa-*
// field it arrived with removed (so a sender cannot forge a verdict), ours
// put at the top in the given order, and, when prefix is not empty, the
// Subject prefixed. It returns the changes in the order the MTA must apply
// them (from the bottom up, so that indexes stay right), the header as it
// is afterwards, and how many fields were removed.
func editHeader(fields []headerField, ours [][2]string, prefix string) (ops []headerOp, after []headerField, removed int) {
	subject, newSubject, addSubject := -1, "", false // the Subject field to change, its new value
	if prefix != "" {
		first := -1
		for i, f := range fields {
			if isSubject(f.name) {
				first = i
				break
			}
		}
		value := ""
		if first >= 0 {
			value = fields[first].value
		}
		if v, change := prefixedSubject(value, first >= 0, prefix); change {
			subject, newSubject, addSubject = first, v, first < 0
		}
	}

	nth := make([]int, len(fields)) // the field's index among fields of its name, from 1
	seen := map[string]int{}
	for i, f := range fields {
		k := textproto.CanonicalMIMEHeaderKey(f.name)
		seen[k]++
		nth[i] = seen[k]
	}
	for _, kv := range ours {
		after = append(after, headerField{kv[0], fieldValue(kv[1])})
	}
	for i := len(fields) - 1; i >= 0; i-- {
		switch f := fields[i]; {
		case isKensaField(f.name):
			ops = append(ops, headerOp{index: nth[i], name: f.name})
			removed++
		case i == subject:
			ops = append(ops, headerOp{index: nth[i], name: f.name, value: fieldValue(newSubject)})
		}
	}
	for i := len(ours) - 1; i >= 0; i-- {
		// Index 1: below the MTA's own Received field, above the sender's.
		ops = append(ops, headerOp{insert: true, index: 1, name: ours[i][0], value: fieldValue(ours[i][1])})
	}
	for i, f := range fields {
		switch {
		case isKensaField(f.name):
		case i == subject:
			after = append(after, headerField{f.name, fieldValue(newSubject)})
		default:
			after = append(after, f)
		}
	}
	if addSubject {
		// At the end: an index past the last field.
		ops = append(ops, headerOp{insert: true, index: len(fields) + len(ops) + 102, name: "Subject", value: fieldValue(newSubject)})
		after = append(after, headerField{"Subject", fieldValue(newSubject)})
	}
	return ops, after, removed
}

// isKensaField reports whether a field name is one of ours (X-Kensa-*, any
// case): the message may not bring its own.
func isKensaField(name string) bool { return strings.HasPrefix(strings.ToLower(name), kensaPrefix) }

// isSubject reports whether a field is a Subject, as the MTA matches names.
func isSubject(name string) bool { return textproto.CanonicalMIMEHeaderKey(name) == "Subject" }

// fieldValue is a value as it follows the colon: with one leading space.
func fieldValue(v string) string {
	if v == "" || v[0] == ' ' || v[0] == '\t' {
		return v
	}
	return " " + v
}

// writeHeader appends the fields and the blank line after them to b.
func writeHeader(b []byte, fields []headerField) []byte {
	for _, f := range fields {
		b = append(b, f.name...)
		b = append(b, ':')
		b = append(b, f.value...)
		b = append(b, "\r\n"...)
	}
	return append(b, "\r\n"...)
}

var foldRe = regexp.MustCompile(`\r?\n\s*`)

// prefixedSubject returns the Subject value with prefix in front, unless
// it is already there (change false). value is the field as sent, found
// whether there is one. The subject is decoded (RFC 2047) and encoded
// again when needed; in a charset we cannot decode, the sender's encoding
// is kept and our (encoded) prefix put in front of the raw value. Leading
// blanks are ignored when looking for the prefix.
func prefixedSubject(value string, found bool, prefix string) (v string, change bool) {
	mark := strings.TrimSpace(prefix)
	if mark == "" {
		return "", false
	}
	if !found {
		return encodeText(mark), true
	}
	subj, err := decodeText(foldRe.ReplaceAllString(value, " "))
	if err != nil {
		raw := strings.TrimLeft(value, " \t")
		if strings.HasPrefix(raw, mark) {
			return "", false
		}
		return encodeText(mark) + " " + raw, true
	}
	subj = strings.TrimLeft(subj, " \t")
	if strings.HasPrefix(subj, mark) {
		return "", false
	}
	if subj == "" {
		return encodeText(mark), true
	}
	return encodeText(prefix + subj), true
}

// decodeText decodes RFC 2047 words in UTF-8, US-ASCII and ISO-8859-1.
func decodeText(s string) (string, error) {
	d := mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
		if cs := strings.ToLower(charset); cs == "utf-8" || cs == "us-ascii" {
			return r, nil
		}
		return nil, fmt.Errorf("unhandled charset %q", charset)
	}}
	return d.DecodeHeader(s)
}

func encodeText(s string) string { return mime.QEncoding.Encode("utf-8", s) }
