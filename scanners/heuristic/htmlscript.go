package heuristic

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// What a page's script builds instead of writing it as markup: a
// password field (a link it clicks is scriptClicksLink's, htmlpage.go).

// jsPasswordType makes an input a password field: i.type = "password",
// setAttribute("type", "password"), jQuery's attr/prop.
var jsPasswordType = regexp.MustCompile(`(?i)\.\s*type\s*=\s*["'\x60]password["'\x60]|setAttribute\s*\(\s*["']type["']\s*,\s*["']password["']|\.\s*(?:attr|prop)\s*\(\s*["']type["']\s*,\s*["']password["']`)

// scriptMakesPassword: the (decoded) script turns an input it makes into a
// password field, which Chromium shows as one.
func scriptMakesPassword(js string) bool {
	return (strings.Contains(js, "assword") || strings.Contains(js, "ASSWORD")) && jsPasswordType.MatchString(js)
}

// A page may carry its markup compressed and inflate it before writing it
// (pako.inflate, pako.ungzip, fflate, or Chromium's own
// DecompressionStream on a data: URL's bytes), so that no tag, form or
// address is in its bytes. A literal of such a script that holds zlib,
// gzip or raw deflate data, as bytes (what atob gives) or as base64, is
// inflated here and read as markup it writes.

// inflaters are what a script that inflates calls.
var inflaters = []string{"pako", "DecompressionStream", "inflate", "ungzip", "gunzip", "fflate", "unzlib", "decompress"}

// Bounds of inflating: the literals tried per layer and the shortest.
const (
	maxInflateTries   = 8
	minCompressedText = 24
)

// inflatedMarkup is the markup the literals of the (decoded) script js
// inflate to, when js calls an inflater.
func inflatedMarkup(js string) []string {
	cue := false
	for _, w := range inflaters {
		if strings.Contains(js, w) {
			cue = true
			break
		}
	}
	if !cue {
		return nil
	}
	raw := strings.Contains(js, "Raw") || strings.Contains(js, "deflate-raw")
	var out []string
	tries := 0
	for i := 0; i < len(js) && tries < maxInflateTries; i++ {
		q := js[i]
		if q != '"' && q != '\'' && q != '`' {
			continue
		}
		j := i + 1
		for j < len(js) && js[j] != q && (js[j] != '\n' || q == '`') {
			if js[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(js) {
			break
		}
		lit := js[i : j+1]
		i = j
		if len(lit) < minCompressedText+2 {
			continue
		}
		v := jsUnquote(lit)
		if k := strings.Index(v, ";base64,"); k >= 0 && k < 100 {
			v = v[k+8:]
		}
		b, ok := latin1Bytes(v)
		if !ok || !compressedHead(b, raw) {
			d, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
			if err != nil || !compressedHead(d, raw) {
				continue
			}
			b = d
		}
		tries++
		if m := inflate(b); hasTag(m) {
			out = append(out, m)
		}
	}
	return out
}

// latin1Bytes is s as the bytes its code points are (a string atob
// returns), false when one is past U+00FF.
func latin1Bytes(s string) ([]byte, bool) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return nil, false
		}
		b = append(b, byte(r))
	}
	return b, true
}

// compressedHead: b starts as zlib (a deflate header whose check bits
// hold) or gzip data does; any b of some length when raw deflate is
// inflated (the script says Raw or deflate-raw).
func compressedHead(b []byte, raw bool) bool {
	switch {
	case len(b) < minCompressedText:
		return false
	case b[0] == 0x1f && b[1] == 0x8b:
		return true
	case b[0]&0x0f == 8 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0:
		return true
	}
	return raw
}

// inflate is the text zlib, gzip or raw deflate data b inflates to, at
// most maxLayerBytes of it (a page of markup; what is past it is not
// read); "" when b is none of them.
func inflate(b []byte) string {
	var r io.Reader
	switch {
	case b[0] == 0x1f && b[1] == 0x8b:
		z, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return ""
		}
		r = z
	case b[0]&0x0f == 8 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0:
		z, err := zlib.NewReader(bytes.NewReader(b))
		if err != nil {
			return ""
		}
		r = z
	default:
		r = flate.NewReader(bytes.NewReader(b))
	}
	out, _ := io.ReadAll(io.LimitReader(r, maxLayerBytes)) // a truncated stream still shows what it held
	return string(out)
}

// jsEscapedQuote is s as a JavaScript string literal with every byte
// that is not printable escaped (what a decoder returns may be any bytes:
// compressed data): strconv.Quote's, with the escapes JavaScript has not
// (\a, \U) written as JavaScript's (\x07, a surrogate pair), so that
// jsUnquote gives s back.
func jsEscapedQuote(s string) string {
	q := strconv.Quote(s)
	if !strings.Contains(q, `\a`) && !strings.Contains(q, `\U`) {
		return q
	}
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if q[i] != '\\' || i+1 >= len(q) {
			b.WriteByte(q[i])
			continue
		}
		i++
		switch q[i] {
		case 'a':
			b.WriteString(`\x07`)
		case 'U':
			r, _ := strconv.ParseUint(q[i+1:i+9], 16, 32)
			r1, r2 := utf16.EncodeRune(rune(r))
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			i += 8
		default:
			b.WriteByte('\\')
			b.WriteByte(q[i])
		}
	}
	return b.String()
}
