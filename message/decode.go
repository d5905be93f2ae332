package message

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// We decode Content-Transfer-Encoding ourselves (enmime runs with
// RawContent) because enmime's base64 cleaner builds one error value per
// stray byte: 10 MB of junk took 17 s. Both decoders here are lenient,
// single pass, and count what they had to skip instead of failing.

// decodeTransfer decodes body per its Content-Transfer-Encoding. It
// returns the content, a defect to record ("" if none), and whether the
// content stayed encoded in a way a mail client would decode.
func decodeTransfer(body []byte, cte string) (out []byte, defect string, undecoded bool) {
	switch enc := strings.ToLower(strings.TrimSpace(cte)); enc {
	case "", "7bit", "8bit", "binary", "7-bit", "8-bit":
		return body, "", false
	case "base64":
		out, junk, cut := decodeBase64(body)
		switch {
		case junk > 0 && cut:
			defect = fmt.Sprintf("base64: skipped %d bytes outside the alphabet; truncated at the end", junk)
		case junk > 0:
			defect = fmt.Sprintf("base64: skipped %d bytes outside the alphabet", junk)
		case cut:
			defect = "base64: truncated at the end"
		}
		return out, defect, false
	case "quoted-printable":
		out, bad := decodeQP(body)
		if bad > 0 {
			defect = fmt.Sprintf("quoted-printable: %d malformed escapes kept as they are", bad)
		}
		return out, defect, false
	case "x-uuencode", "uuencode", "x-uue", "x-uu":
		// Some clients decode these; we do not, so the part is not inspected decoded.
		return body, clip(fmt.Sprintf("Content-Transfer-Encoding %q not decoded", cte)), true
	default:
		return body, clip(fmt.Sprintf("unknown Content-Transfer-Encoding %q, content kept as it is", cte)), false
	}
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

// decodeBase64 decodes b, skipping whitespace silently and other bytes
// outside the alphabet as junk. Padding ends a group, so concatenated
// base64 blocks decode too. cut reports a lone character at the end.
func decodeBase64(b []byte) (out []byte, junk int, cut bool) {
	out = make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	// Well-formed base64 (only line breaks between groups, padded at the
	// end) is what almost all mail carries; the standard decoder reads it
	// several times faster and, when it succeeds, gives the same bytes.
	if n, err := base64.StdEncoding.Decode(out, b); err == nil {
		return out[:n], 0, false
	}
	return lenientBase64(out[:0], b)
}

// lenientBase64 is decodeBase64 for base64 the standard decoder refuses;
// it appends to out.
func lenientBase64(out, b []byte) ([]byte, int, bool) {
	var junk int
	var cut bool
	var group uint32
	n := 0 // characters in group
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
					cut = true
				}
				flush()
			case ' ', '\t', '\r', '\n', '\f', '\v':
			default:
				junk++
			}
			continue
		}
		group = group<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(group>>16), byte(group>>8), byte(group))
			group, n = 0, 0
		}
	}
	if n == 1 {
		cut = true
	}
	flush()
	return out, junk, cut
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
// break, and any other "=" is kept literally and counted as bad.
func decodeQP(b []byte) (out []byte, bad int) {
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
		out = append(out, '=')
	}
	return out, bad
}
