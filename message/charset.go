package message

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/cention-sany/utf7"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// charsetAliases covers labels mailers use that the WHATWG and IANA
// indexes do not know.
var charsetAliases = map[string]string{
	"cp932":    "shift_jis",
	"x-cp932":  "shift_jis",
	"sjis-win": "shift_jis",
	"x-euc-jp": "euc-jp",
	"cp936":    "gbk",
	"cp949":    "euc-kr",
	"cp950":    "big5",
}

// toUTF8 converts text in the declared charset to UTF-8. Text that is
// already UTF-8 or ASCII (or declares nothing) is returned as is, without a
// copy. On an unknown charset the bytes come back unchanged with an error.
func toUTF8(b []byte, charset string) ([]byte, error) {
	label := strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"'`))
	if a, ok := charsetAliases[label]; ok {
		label = a
	}
	var enc encoding.Encoding
	switch label {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unicode-1-1-utf-8":
		return b, nil
	case "utf-7", "utf7", "unicode-1-1-utf-7":
		enc = utf7.UTF7
	case "utf-16":
		// RFC 2781: big-endian unless a byte order mark says otherwise.
		enc = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	default:
		var err error
		enc, err = htmlindex.Get(label)
		if err != nil || enc == nil {
			enc, err = ianaindex.MIME.Encoding(label)
		}
		// The WHATWG "replacement" encoding turns all input into one U+FFFD.
		if err != nil || enc == nil || enc == encoding.Replacement {
			return b, fmt.Errorf("unsupported charset %q", clip(charset))
		}
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return b, fmt.Errorf("converting from charset %q: %w", clip(charset), err)
	}
	return out, nil
}

// htmlMetaCharset finds a <meta> charset in the first KB of an HTML
// document, in either the HTML5 or the http-equiv form; "" if none.
func htmlMetaCharset(b []byte) string {
	h := bytes.ToLower(b[:min(len(b), 1024)])
	meta := bytes.Index(h, []byte("<meta"))
	if meta < 0 {
		return ""
	}
	i := bytes.Index(h[meta:], []byte("charset="))
	if i < 0 {
		return ""
	}
	v := h[meta+i+len("charset="):]
	v = bytes.TrimLeft(v, `"' `)
	end := 0
	for end < len(v) && end < 40 && (isMIMEByte(v[end]) || v[end] == '_' || v[end] == ':') {
		end++
	}
	return string(v[:end])
}

func isMIMEByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '/' || c == '+'
}

// ToUTF8 converts text in a charset (a MIME or WHATWG label) to UTF-8, as
// the MIME reader does: for containers whose text declares its charset
// another way (an Outlook .msg's code page). On an unknown charset the
// bytes come back unchanged with an error.
func ToUTF8(b []byte, charset string) ([]byte, error) { return toUTF8(b, charset) }

// UTF16LE decodes little-endian UTF-16, as Windows formats store text (an
// odd last byte is dropped, an unpaired surrogate becomes U+FFFD). Formats
// that end a string with NULs leave them for the caller to cut.
func UTF16LE(b []byte) string { return decodeUTF16(b, false) }

// UTF16BE decodes big-endian UTF-16 as UTF16LE does little-endian (disc
// images' Joliet and UDF names).
func UTF16BE(b []byte) string { return decodeUTF16(b, true) }

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		lo, hi := b[2*i], b[2*i+1]
		if bigEndian {
			lo, hi = hi, lo
		}
		u[i] = uint16(hi)<<8 | uint16(lo)
	}
	return string(utf16.Decode(u))
}
