package milter

import (
	"fmt"
	"io"
	"mime"
	"net/textproto"
	"regexp"
	"strings"

	"github.com/kensa-milter/kensa/disposition"
)

const (
	headerVerdict  = disposition.HeaderVerdict
	headerFindings = disposition.HeaderFindings
	kensaPrefix    = "x-kensa-"
)

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
