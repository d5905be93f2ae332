package unpack

import (
	"bytes"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// A web archive (.mht, .mhtml: "Save as MHTML" in Chromium and Edge, Word's
// and Internet Explorer's web archives) is a MIME message whose parts are a
// page and what it loads. Windows opens one in Edge, which shows the page
// it holds: a phishing form, a script that sends the window away. Declared
// message/rfc822 it is parsed as the message it is; named or declared as a
// web archive otherwise (application/octet-stream, multipart/related,
// application/x-mimearchive) it is opened here, and its parts are scanned
// as the members of an attachment. An Office-named file with ActiveMime
// parts is webArchiveKind's second reading instead.

// savedPageKind opens a web archive from its first byte, as a browser reads
// it (no MIME-Version field needed). Chromium skips a UTF-8 byte order mark
// before the header (Notepad and some kits write one) and shows the page;
// an archive saved as UTF-16 it shows as an empty page, so that one stays
// the text it is (TestSavedPageInChromium holds both).
var savedPageKind = kind{"mhtml", nil, func(c *container) error {
	return c.addMessage(bytes.TrimPrefix(c.part.Content, utf8BOM), "web archive")
}}

var utf8BOM = []byte("\xef\xbb\xbf")

// webArchiveTypes are the media types browsers and mail clients give .mht
// files besides message/rfc822.
var webArchiveTypes = []string{"multipart/related", "application/x-mimearchive"}

// isSavedPage: p is named or declared as a web archive and starts with a
// header block that gives a Content-Type.
func isSavedPage(p *message.Part) bool {
	if strings.HasPrefix(strings.ToLower(p.DeclaredType), "message/") {
		return false // the message parser has read it as the message it is
	}
	name := strings.ToLower(baseName(p.Filename))
	named := strings.HasSuffix(name, ".mht") || strings.HasSuffix(name, ".mhtml")
	for _, t := range webArchiveTypes {
		named = named || strings.EqualFold(p.DeclaredType, t)
	}
	return named && headerHasContentType(bytes.TrimPrefix(p.Content, utf8BOM)) && webArchiveWithin(p) == nil
}

// headerHasContentType: b starts with header fields (name, colon; folded
// lines allowed) and one of them, before the first blank line, is
// Content-Type. At most 64 lines are read.
func headerHasContentType(b []byte) bool {
	for range 64 {
		line, rest, _ := bytes.Cut(b, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			return false
		}
		if line[0] != ' ' && line[0] != '\t' {
			name, _, ok := bytes.Cut(line, []byte(":"))
			if !ok || len(name) == 0 || bytes.ContainsAny(name, " \t<>\"") {
				return false
			}
			if strings.EqualFold(string(name), "content-type") {
				return true
			}
		}
		if len(rest) == 0 {
			return false
		}
		b = rest
	}
	return false
}
