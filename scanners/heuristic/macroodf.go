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
// OpenDocument file that embeds one.
func isODFBasic(p *message.Part, b []byte) bool {
	path := strings.ToLower(p.Path)
	if i := strings.LastIndex(path, "/basic/"); i >= 0 && strings.HasSuffix(path, ".xml") {
		rest := path[i+len("/basic/"):]
		name := baseName(rest)
		return strings.Contains(rest, "/") && name != "script-lb.xml" && name != "script-lc.xml" && containsLower(b, "module")
	}
	return isXMLPart(p, b) && containsLower(b, "library-embedded") && containsLower(b, "source-code")
}
