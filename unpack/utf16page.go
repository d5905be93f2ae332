package unpack

import (
	"bytes"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// A page saved as UTF-16 (.html, .xhtml, .svg, an HTML Application) starts
// with a byte order mark, which Chromium reads before anything else: it
// decodes the page, runs its scripts and shows its forms as any other.
// Without the mark it shows the bytes as text (TestUTF16PageInChromium
// holds both). Every reader of pages (the heuristics, the URL extraction,
// YARA's rules) reads UTF-8, so such a page is read again here, as UTF-8,
// as a member under its own name. A web archive in UTF-16 Chromium shows
// as an empty page, so .mht and .mhtml stay as they are.

// utf16PageKind opens a UTF-16 page to the page in UTF-8.
var utf16PageKind = kind{"utf16-page", nil, func(c *container) error {
	p := c.part
	var text string
	if bytes.HasPrefix(p.Content, utf16LEBOM) {
		text = message.UTF16LE(p.Content[2:])
	} else {
		text = message.UTF16BE(p.Content[2:])
	}
	name := baseName(p.Filename)
	if name == "" {
		name = "page.html"
		if strings.EqualFold(p.DeclaredType, "image/svg+xml") {
			name = "image.svg"
		}
	}
	c.add(name, []byte(text))
	return nil
}}

var (
	utf16LEBOM = []byte("\xff\xfe")
	utf16BEBOM = []byte("\xfe\xff")
)

// pageExts are the names Chromium (or, for .hta, mshta) opens as a page.
var pageExts = map[string]bool{"htm": true, "html": true, "xhtml": true, "xht": true, "xhtm": true, "shtml": true, "svg": true, "hta": true}

// pageTypes are the declared types of a page.
var pageTypes = []string{"text/html", "application/xhtml+xml", "image/svg+xml"}

// isUTF16Page: p is named or declared as a page (and not as a web archive)
// and starts with a UTF-16 byte order mark.
func isUTF16Page(p *message.Part) bool {
	if !bytes.HasPrefix(p.Content, utf16LEBOM) && !bytes.HasPrefix(p.Content, utf16BEBOM) {
		return false
	}
	if p.Filename != "" {
		return pageExts[message.Ext(p.Filename)]
	}
	for _, t := range pageTypes {
		if strings.EqualFold(p.DeclaredType, t) {
			return true
		}
	}
	return false
}
