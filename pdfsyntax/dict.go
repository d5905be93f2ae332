package pdfsyntax

import (
	"bytes"
	"encoding/hex"
	"strconv"
)

// Dictionary reading shared by unpack's stream filters and the security
// handler (crypt.go): keys, values and references as written.

// Key returns the index just after key ("/Filter") in dict, where a
// delimiter follows it, or -1.
func Key(dict []byte, key string) int {
	for off := 0; ; {
		i := bytes.Index(dict[off:], []byte(key))
		if i < 0 {
			return -1
		}
		end := off + i + len(key)
		if end >= len(dict) || Delimiter(dict[end]) {
			return end
		}
		off = end
	}
}

// Delimiter: c ends a name or a word, white space or a delimiter (ISO
// 32000 7.2.2).
func Delimiter(c byte) bool { return delimiters[c] }

var delimiters = func() (t [256]bool) {
	for _, c := range []byte(" \t\r\n\f\x00/[]()<>{}%") {
		t[c] = true
	}
	return t
}()

// Space: c is white space.
func Space(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0
}

// HexEnd is the index after the hex string at b[i] == '<' (its '>'),
// len(b) when it does not end.
func HexEnd(b []byte, i int) int {
	if j := bytes.IndexByte(b[i:], '>'); j >= 0 {
		return i + j + 1
	}
	return len(b)
}

// LiteralEnd is the index after the literal string at b[i] == '(': its
// parentheses balanced, a backslash escaping the byte after it; len(b)
// when it does not end.
func LiteralEnd(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return j + 1
			}
		}
	}
	return len(b)
}

// Value returns the value starting at b[i] (after blanks): an array,
// a dictionary, a name, or a word such as "null" or a number; an indirect
// reference "N G R" is returned whole.
func Value(b []byte, i int) []byte {
	for i < len(b) && Space(b[i]) {
		i++
	}
	if i >= len(b) {
		return nil
	}
	switch {
	case b[i] == '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '[':
				depth++
			case ']':
				depth--
				if depth == 0 {
					return b[i : j+1]
				}
			}
		}
		return b[i:]
	case bytes.HasPrefix(b[i:], []byte("<<")):
		depth := 0
		for j := i; j+1 < len(b); j++ {
			switch {
			case b[j] == '<' && b[j+1] == '<':
				depth++
				j++
			case b[j] == '>' && b[j+1] == '>':
				depth--
				j++
				if depth == 0 {
					return b[i : j+1]
				}
			}
		}
		return b[i:]
	case b[i] == '/':
		j := i + 1
		for j < len(b) && !Delimiter(b[j]) {
			j++
		}
		return b[i:j]
	}
	j := i
	for j < len(b) && !Delimiter(b[j]) {
		j++
	}
	// "5 0 R": a reference is three words.
	if k := RefEnd(b, i); k > 0 {
		return b[i:k]
	}
	return b[i:j]
}

// RefEnd returns the end of an indirect reference "N G R" at b[i:], or 0.
func RefEnd(b []byte, i int) int {
	j := i
	for n := 0; n < 2; n++ {
		s := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j == s || j-s > 10 || j >= len(b) || !Space(b[j]) {
			return 0
		}
		for j < len(b) && Space(b[j]) {
			j++
		}
	}
	if j < len(b) && b[j] == 'R' && (j+1 == len(b) || Delimiter(b[j+1])) {
		return j + 1
	}
	return 0
}

// IntParam reads an integer entry of a parameter dictionary.
func IntParam(parms []byte, key string, def int) int {
	i := Key(parms, key)
	if i < 0 {
		return def
	}
	v := Value(parms, i)
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return def
	}
	return n
}

// HexLoose decodes hex digits, skipping anything else.
func HexLoose(b []byte) []byte {
	digits := make([]byte, 0, len(b))
	for _, c := range b {
		if c == '>' {
			break
		}
		if ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F') {
			digits = append(digits, c)
		}
	}
	if len(digits)%2 == 1 {
		digits = append(digits, '0')
	}
	out := make([]byte, len(digits)/2)
	hex.Decode(out, digits)
	return out
}
