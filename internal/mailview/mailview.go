// Package mailview renders a stored message for people: its header fields
// and its text parts, as plain text with every control character escaped.
// HTML parts are reduced to their text (no tags, scripts, styles or
// remote references survive). The CLI and the console share it.
package mailview

import (
	"bufio"
	"bytes"
	"fmt"
	"net/textproto"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/kensa-milter/kensa/message"
)

// Bounds on what is rendered.
const (
	MaxFields    = 200      // header fields shown
	MaxFieldLen  = 2000     // bytes of one field value
	MaxTextParts = 20       // text parts shown
	MaxText      = 64 << 10 // bytes of text shown per part
)

// Field is one header field, made safe.
type Field struct{ Name, Value string }

// Headers returns the message's header fields in order (folds joined),
// each escaped with Safe.
func Headers(raw []byte) []Field {
	head := raw
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		head = raw[:i+2]
	} else if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		head = raw[:i+1]
	}
	var out []Field
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(head)))
	for len(out) < MaxFields {
		line, err := r.ReadContinuedLine()
		if line == "" || err != nil && line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		out = append(out, Field{Safe(strings.TrimSpace(name), 200), Safe(strings.TrimSpace(value), MaxFieldLen)})
		if err != nil {
			break
		}
	}
	return out
}

// TextPart is the readable rendering of one text part.
type TextPart struct {
	Path string // the part path, e.g. "1.2"
	Type string // declared type, e.g. "text/html"
	Text string // safe text (HTML reduced to text)
	Cut  bool   // Text was cut at MaxText
}

// TextParts parses raw and renders its text/plain and text/html parts of
// the top message (not those inside archives). Problems parsing give fewer
// parts, never an error the caller must handle.
func TextParts(raw []byte) ([]TextPart, error) {
	m, err := message.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("mailview: parse: %w", err)
	}
	var out []TextPart
	for _, p := range m.Parts {
		if len(out) == MaxTextParts {
			break
		}
		if p.Depth > 0 {
			continue
		}
		var text string
		switch p.DeclaredType {
		case "text/plain", "":
			if p.DeclaredType == "" && !strings.HasPrefix(p.DetectedType, "text/plain") {
				continue
			}
			text = string(p.Content)
		case "text/html":
			text = HTMLText(p.Content)
		default:
			continue
		}
		tp := TextPart{Path: p.Path, Type: p.DeclaredType}
		if len(text) > MaxText {
			text, tp.Cut = text[:MaxText], true
		}
		tp.Text = SafeText(text)
		out = append(out, tp)
	}
	return out, nil
}

// maxHTMLTokens bounds the HTML tokenizer's loop.
const maxHTMLTokens = 1 << 20

// HTMLText returns the text of an HTML document: text nodes only, without
// script and style contents; block elements become line breaks.
func HTMLText(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var sb strings.Builder
	skip := 0
	for i := 0; i < maxHTMLTokens && sb.Len() < 2*MaxText; i++ {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return collapse(sb.String())
		case html.TextToken:
			if skip == 0 {
				sb.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			end := tt == html.EndTagToken
			switch tag {
			case "script", "style", "head", "title", "noscript", "template":
				if end && skip > 0 {
					skip--
				} else if !end {
					skip++
				}
			case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote":
				sb.WriteByte('\n')
			}
		}
	}
	return collapse(sb.String())
}

// collapse trims blank runs the HTML layout leaves behind.
func collapse(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	blank := 0
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			if blank++; blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// Safe makes one line of attacker-controlled text printable: valid UTF-8,
// every control character (CR and LF included) written as \xNN or \u…, at
// most max bytes.
func Safe(s string, max int) string {
	return escape(s, max, false)
}

// SafeText is Safe for multi-line text: newlines and tabs stay.
func SafeText(s string) string { return escape(s, 4*MaxText, true) }

func escape(s string, max int, lines bool) string {
	var sb strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&sb, `\x%02x`, s[i])
		case lines && (r == '\n' || r == '\t'):
			sb.WriteRune(r)
		case lines && r == '\r':
			// dropped: CRLF becomes LF
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029':
			// C1 controls, bidi overrides and other invisible format characters
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteRune(r)
		}
		if sb.Len() > max {
			return strings.ToValidUTF8(sb.String()[:max], "") + "…"
		}
	}
	return sb.String()
}
