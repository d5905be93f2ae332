package heuristic

import (
	"bytes"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// XFA forms: a PDF whose AcroForm has an /XFA entry carries an XML form
// (the XFA template, in one stream or in packets of an array) that Adobe
// Reader and Acrobat lay out and run, scripts included: <script> elements
// in JavaScript (contentType="application/x-javascript") or FormCalc (the
// default), on events such as initialize and docReady that fire as the
// form opens, where app.launchURL, exportDataObject and FormCalc's Get and
// Post reach out. The PDF needs no /JS or /JavaScript name for it, so
// pdf-javascript reads the template's scripts too. Chrome's, Firefox's and
// Edge's viewers ignore XFA; poppler reads it as a form (pdfinfo: "Form:
// XFA") and runs no script.

// maxXFAScripts bounds the script elements looked at in one PDF.
const maxXFAScripts = 64

// checkPDFJavaScript: pdf-javascript. A PDF's /JS and /JavaScript names,
// and the scripts of its XFA form.
func checkPDFJavaScript(e *env, p *message.Part) []string {
	out := pdfJSNames(e, p)
	if !e.pdfHasXFA(p) {
		return out
	}
	for _, b := range e.pdfActsOf(p).bodies { // the PDF's bytes and its joined streams'
		if s := xfaScript(b); s != "" {
			return append(out, "PDF's XFA form has a script: "+s)
		}
	}
	return out
}

var pdfJSNames = pdfNamed("JavaScript", "JS")

// pdfHasXFA: the PDF p, or the objects of its object streams, has an /XFA
// name.
func (e *env) pdfHasXFA(p *message.Part) bool {
	if e.pdfNamesOf(p)&pdfNameBit["XFA"] != 0 {
		return true
	}
	q := e.joinedStreams()[p]
	return q != nil && e.pdfNamesOf(q)&pdfNameBit["XFA"] != 0
}

// xfaScript describes the first XFA script element in b with a script in
// it ("" for none): its language and its first words. b is read only
// when it holds the XFA template's namespace.
func xfaScript(b []byte) string {
	if !bytes.Contains(b, []byte("xfa-template")) {
		if b = xfaUTF16(b); b == nil {
			return ""
		}
	}
	for i, n := 0, 0; n < maxXFAScripts; n++ {
		k := bytes.Index(b[i:], []byte("script"))
		if k < 0 {
			return ""
		}
		at := i + k
		i = at + len("script")
		if !xmlElementStart(b, at) || i >= len(b) || !(isXMLSpace(b[i]) || b[i] == '>') {
			continue
		}
		end := bytes.IndexByte(b[i:], '>')
		if end < 0 {
			return ""
		}
		attrs := b[i : i+end]
		if bytes.HasSuffix(attrs, []byte("/")) {
			continue // <script/>: empty
		}
		body := b[i+end+1:]
		if close := bytes.Index(body, []byte("</")); close >= 0 {
			body = body[:close]
		}
		body = bytes.TrimSpace(body)
		if len(body) == 0 {
			continue
		}
		lang := "FormCalc" // XFA's default
		if ct := strings.ToLower(xmlAttr(attrs, "contentType")); strings.Contains(ct, "javascript") {
			lang = "JavaScript"
		} else if ct != "" && !strings.Contains(ct, "formcalc") {
			lang = ct
		}
		return lang + " " + show(truncate(string(body), 60))
	}
	return ""
}

// XML may be written in UTF-16 (a byte order mark, or "<" and a zero
// byte, tell XML readers so), which hides the template's words from a
// reading of bytes: the namespace spelled in UTF-16 of either byte order.
var (
	xfaTemplateLE = []byte("x\x00f\x00a\x00-\x00t\x00e\x00m\x00p\x00l\x00a\x00t\x00e\x00")
	xfaTemplateBE = []byte("\x00x\x00f\x00a\x00-\x00t\x00e\x00m\x00p\x00l\x00a\x00t\x00e")
)

// xfaUTF16 is b decoded as UTF-16 in the byte order and alignment of the
// XFA template's namespace written in it, nil when b holds none.
func xfaUTF16(b []byte) []byte {
	if k := bytes.Index(b, xfaTemplateLE); k >= 0 {
		return []byte(message.UTF16LE(b[k%2:]))
	}
	if k := bytes.Index(b, xfaTemplateBE); k >= 0 {
		return []byte(message.UTF16BE(b[k%2:]))
	}
	return nil
}

// xmlElementStart: the name at b[at:] follows "<" or "<prefix:", so it is
// an element's start tag.
func xmlElementStart(b []byte, at int) bool {
	j := at - 1
	if j >= 0 && b[j] == ':' {
		for j--; j >= 0 && at-j < 40 && isXMLNameByte(b[j]); j-- {
		}
	}
	return j >= 0 && b[j] == '<'
}

func isXMLNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
