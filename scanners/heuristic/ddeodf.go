package heuristic

import (
	"regexp"
	"strings"
)

// DDE as LibreOffice writes it. LibreOffice has no app|topic!item syntax: a
// DDE formula is the function DDE("app";"topic";"item"), which it stores in
// .xlsx <f> elements (arguments split by commas), in SYLK ;E fields (split
// by doubled semicolons) and in OpenDocument table:formula attributes, and
// it keeps the link itself in OpenDocument as office:dde-source (Calc) or
// text:dde-connection-decl (Writer). A Word field it has no equivalent for
// (DDE, DDEAUTO) it keeps as a field:fieldmark whose field.code parameter is
// the instruction, and writes back as the Word field when it saves .docx,
// .doc or .rtf again. LibreOffice opens each of these files
// and updates the link; Word and Excel open .odt and .ods files too.

// ddeFunc is DDE("app";"topic"...) with any argument separator, its quotes
// doubled too as inside a quoted CSV field.
var ddeFunc = regexp.MustCompile(`(?i)\bDDE\s*\(\s*""?([^"\r\n]{0,200})""?\s*[;,]+\s*""?([^"\r\n]{0,1000})"`)

// ddeCall is the start of a DDE function call, before entities are decoded.
var ddeCall = regexp.MustCompile(`(?i)\bDDE\s*\(`)

// functionDDE finds DDE function calls in formula text (entities decoded).
func functionDDE(s string) []ddeFact {
	var out []ddeFact
	for _, m := range ddeFunc.FindAllStringSubmatch(s, 20) {
		out = append(out, ddeFact{what: "DDE function " + show(m[1]+"|'"+m[2]+"'"), exec: ddeStarts(m[1], m[2])})
	}
	return out
}

// odfDDE reads an OpenDocument part (content.xml or a flat .fodt/.fods):
// DDE link declarations and DDE functions in cell formulas.
func odfDDE(b []byte) []ddeFact {
	var out []ddeFact
	eachElement(b, len(b), func(name string, attrs []byte) bool {
		switch name {
		case "dde-source", "dde-connection-decl":
			app, topic := xmlAttr(attrs, "dde-application"), xmlAttr(attrs, "dde-topic")
			out = append(out, ddeFact{what: "OpenDocument DDE link " + show(app+"|"+topic), exec: ddeStarts(app, topic)})
		case "param": // <field:param field:name="vnd.oasis.opendocument.field.code" field:value="DDEAUTO ...">
			if strings.HasSuffix(xmlAttr(attrs, "name"), "field.code") {
				if f, ok := judgeField(xmlAttr(attrs, "value")); ok {
					out = append(out, f)
				}
			}
		case "table-cell", "covered-table-cell":
			if f := xmlAttr(attrs, "formula"); f != "" && ddeCall.MatchString(f) {
				out = append(out, functionDDE(f)...)
			}
		}
		return len(out) < 20
	})
	return out
}
