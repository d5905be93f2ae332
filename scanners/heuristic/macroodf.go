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

// odfOpenEvents are the document events LibreOffice fires without a click:
// opening (OnLoad, OnLoadFinished, OnViewCreated, OnLayoutFinished, the
// document getting focus) and closing (OnPrepareUnload, OnUnload). ODF names
// them by qualified name; the prefix is the document's choice.
var odfOpenEvents = set("load", "load-finished", "view-created", "layout-finished", "focus", "prepare-unload", "unload", "new")

// odfAutoRun returns "event: macro" for the first document event an
// OpenDocument part (content.xml, or a flat file) binds to a macro of module.
func odfAutoRun(b []byte, module string) string {
	if !containsLower(b, "event-listener") {
		return ""
	}
	module = strings.ToLower(module)
	run := ""
	eachElement(b, len(b), func(name string, attrs []byte) bool {
		if name != "event-listener" {
			return true
		}
		event := localName(xmlAttr(attrs, "event-name"))
		href := xmlAttr(attrs, "href")
		if href == "" {
			href = xmlAttr(attrs, "macro-name")
		}
		h := strings.ToLower(href)
		if odfOpenEvents[strings.ToLower(event)] && (strings.Contains(h, "."+module+".") || strings.HasPrefix(h, module+".")) {
			run = event + ": " + href
		}
		return run == ""
	})
	return run
}

// odfModuleAutoRun: the document that holds Basic module p runs one of its
// macros on open.
func (e *env) odfModuleAutoRun(p *message.Part) string {
	i := strings.LastIndex(strings.ToLower(p.Path), "/basic/")
	if i < 0 {
		return ""
	}
	c := e.partAt(p.Path[:i] + "/content.xml")
	if c == nil {
		return ""
	}
	return odfAutoRun(head(c), strings.TrimSuffix(baseName(p.Path), ".xml"))
}
