package heuristic

import (
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// OpenDocument keeps its macros as LibreOffice Basic modules: Basic/<library>/
// <module>.xml inside the zip (script-lb.xml and script-lc.xml only list
// them), or <ooo:module> source inside <office:scripts> of a flat .fodt/.fods.
// LibreOffice turns a Word or Excel VBA project into such a library when it
// saves ODF, so the same macro travels in both.

// isODFBasic says whether p is a LibreOffice Basic module or a flat
// OpenDocument file that embeds one. has says whether b holds a
// lower-case string in any case (containsLower).
func isODFBasic(p *message.Part, b []byte, has func(string) bool) bool {
	if isODFBasicModule(p.Path) {
		return has("module")
	}
	return isXMLPart(p, b) && has("library-embedded") && has("source-code")
}

// isODFBasicModule: a module of a Basic library inside an OpenDocument zip;
// its source is read like VBA (LibreOffice runs converted VBA as it is).
func isODFBasicModule(path string) bool {
	path = strings.ToLower(path)
	i := strings.LastIndex(path, "/basic/")
	if i < 0 || !strings.HasSuffix(path, ".xml") {
		return false
	}
	rest := path[i+len("/basic/"):]
	name := baseName(rest)
	return strings.Contains(rest, "/") && name != "script-lb.xml" && name != "script-lc.xml" && name != "dialog-lb.xml" && name != "dialog-lc.xml"
}
