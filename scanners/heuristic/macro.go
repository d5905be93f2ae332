package heuristic

import (
	"bytes"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// Excel 4.0 (XLM) macros, graded like VBA: a macro sheet that runs on open
// (an Auto_Open or Auto_Close name) and runs, calls or downloads something
// is the dropper; either alone is suspicious. unpack decompiles BIFF8 (.xls)
// and BIFF12 (.xlsb) macro sheets to listings under "xlm/"; XLSM macro sheets are XML whose formulas
// are already text, with the auto-run names in xl/workbook.xml.

// xlmExec are formulas that run a program, call a DLL or write formulas to
// run later. FORMULA counts only with CHAR obfuscation (see xlmFacts).
var xlmExec = regexp.MustCompile(`(?i)\b(exec|call|register|register\.id|formula\.fill|create\.object|urldownloadtofile\w*|shellexecute\w*)\s*\(|urldownloadtofile\w*`)

var xlmFormula = regexp.MustCompile(`(?i)\bformula\s*\(`)

// macroKind says what macro p holds: "VBA", "XLM", "Basic" (OpenDocument) or "".
func (e *env) macroKind(p *message.Part) string {
	// A module unpack took out of a document, not VBA text in a mail.
	if strings.Contains(strings.ToLower(p.Path), "/vba/") && e.isVBA(p) {
		return "VBA"
	}
	if e.xlmFacts(p).sheet {
		return "XLM"
	}
	if b := head(p); isText(b) && isODFBasic(p, b, func(pat string) bool { return e.hasLower(p, pat) }) {
		return "Basic"
	}
	return ""
}

// xlmFact is what the XLM checks share about one part.
type xlmFact struct {
	sheet      bool // p is an Excel 4.0 macro sheet (a listing or XML)
	auto, exec string
}

func (e *env) xlmFacts(p *message.Part) xlmFact {
	if f, ok := e.xlm[p]; ok {
		return f
	}
	var f xlmFact
	path := strings.ToLower(p.Path)
	b := head(p)
	switch {
	case strings.Contains(path, "/xlm/") && bytes.HasPrefix(b, []byte(unpack.XLMHeader)):
		f.sheet = true
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, unpack.XLMAutoRun); ok && f.auto == "" {
				if n, err := strconv.QuotedPrefix(rest); err == nil {
					f.auto, _ = strconv.Unquote(n)
				}
			}
		}
		f.exec = xlmExecIn(b, bytes.Contains(b, []byte("\n"+unpack.XLMCharObf+"\n")))
	case bytes.HasPrefix(b, []byte("ID;")) && isFormulaText(p, b):
		f = sylkMacro(b)
	case strings.HasSuffix(path, ".xml") && (isMacroSheetPath(path) || strings.Contains(path, "/xl/") && isMacroSheetXML(b)):
		// XLSM: formulas are text. XLSB's binary sheets are decompiled
		// by unpack into "xlm/" listings, read above.
		f.sheet = true
		formulas := xmlFormulas(b)
		f.exec = xlmExecIn(formulas, containsLower(formulas, "char("))
		f.auto = e.ooxmlAutoRun(p)
	}
	e.xlm[p] = f
	return f
}

// sylkMacro reads a SYLK file (what Excel opens a .slk, or a .csv starting
// "ID;", as) as an Excel 4.0 macro sheet: an options record with the E
// field ("O;E") makes the file one, a name record ("NN;NAuto_open;ER1C1")
// names the cell Excel runs as it opens the file, and the cells' ";E"
// fields are their formulas (the Outflank SYLK dropper).
func sylkMacro(b []byte) xlmFact {
	var f xlmFact
	var formulas []byte
	for line := range bytes.Lines(b) {
		fields := bytes.Split(bytes.TrimRight(line, "\r\n"), []byte(";"))
		switch string(fields[0]) {
		case "O":
			f.sheet = f.sheet || slices.ContainsFunc(fields[1:], func(x []byte) bool { return string(x) == "E" })
		case "NN":
			for _, x := range fields[1:] {
				if n, ok := bytes.CutPrefix(x, []byte("N")); ok && f.auto == "" && unpack.IsAutoRunName(string(n)) {
					f.auto, f.sheet = string(n), true
				}
			}
		case "C", "F":
			// ";;" is a semicolon inside a field: a formula runs to the line's end.
			if i := bytes.Index(line, []byte(";E")); i >= 0 {
				formulas = append(append(formulas, bytes.TrimRight(line[i+2:], "\r\n")...), '\n')
			}
		}
	}
	if f.sheet {
		f.exec = xlmExecIn(formulas, containsLower(formulas, "char("))
	}
	return f
}

// isMacroSheetXML: the part's root element is a macro sheet, wherever the
// package files it (Excel follows the relationship, not the folder).
func isMacroSheetXML(b []byte) bool {
	h := b[:min(len(b), 1024)]
	if !containsLower(h, "macrosheet") {
		return false
	}
	for i := 0; i < len(h); {
		tag, next, ok := nextTag(h, i)
		if !ok {
			return false
		}
		i = next
		if len(tag) == 0 || tag[0] == '?' || tag[0] == '!' {
			continue
		}
		name, _ := splitTag(tag)
		n := strings.ToLower(localName(name))
		return n == "macrosheet" || n == "intlmacrosheet"
	}
	return false
}

func isMacroSheetPath(path string) bool {
	return strings.Contains(path, "/xl/macrosheets/") || strings.Contains(path, "/xl/intlmacrosheets/")
}

func xlmExecIn(b []byte, charObfuscated bool) string {
	if m := xlmExec.Find(b); m != nil {
		return string(m)
	}
	if charObfuscated {
		if m := xlmFormula.Find(b); m != nil {
			return string(m) + " with CHAR()"
		}
	}
	return ""
}

// xmlFormulas joins the text of every <f> element (any prefix), one a line.
func xmlFormulas(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		tag, next, ok := nextTag(b, i)
		if !ok {
			break
		}
		i = next
		if len(tag) == 0 || tag[len(tag)-1] == '/' {
			continue
		}
		name, _ := splitTag(tag)
		if localName(name) != "f" {
			continue
		}
		end := bytes.IndexByte(b[i:], '<')
		if end < 0 {
			end = len(b) - i
		}
		out = append(out, html.UnescapeString(string(b[i:i+end]))...)
		out = append(out, '\n')
		i += end
	}
	return out
}

// ooxmlAutoRun finds an auto-run defined name in the workbook part beside an
// XML macro sheet (xl/workbook.xml).
func (e *env) ooxmlAutoRun(p *message.Part) string {
	i := strings.LastIndex(strings.ToLower(p.Path), "/xl/")
	if i < 0 {
		return ""
	}
	root := p.Path[:i]
	if w := e.partAt(root + "/xl/workbook.xml"); w != nil {
		b, run := head(w), ""
		eachElement(b, len(b), func(name string, attrs []byte) bool {
			if name != "definedName" {
				return true
			}
			if n := strings.TrimPrefix(xmlAttr(attrs, "name"), "_xlnm."); unpack.IsAutoRunName(n) {
				run = n
			}
			return run == ""
		})
		return run
	}
	return ""
}

// partAt finds a part by path (an index built on first use).
func (e *env) partAt(path string) *message.Part {
	if e.byPath == nil {
		e.byPath = make(map[string]*message.Part, len(e.m.Parts))
		for _, q := range e.m.Parts {
			e.byPath[q.Path] = q
		}
	}
	return e.byPath[path]
}

func checkXLM(wantAutorun, wantExec bool) func(*env, *message.Part) []string {
	return func(e *env, p *message.Part) []string {
		f := e.xlmFacts(p)
		if !f.sheet || (f.auto != "") != wantAutorun || (f.exec != "") != wantExec {
			return nil
		}
		var d []string
		if f.auto != "" {
			d = append(d, "runs on open via "+show(f.auto))
		}
		if f.exec != "" {
			d = append(d, "calls "+show(f.exec))
		}
		if len(d) == 0 {
			d = append(d, "Excel 4.0 macro sheet")
		}
		return []string{strings.Join(d, ", ")}
	}
}

// checkOfficeMacro reports the first macro of a message, once: any macro at
// all is worth a tag, however harmless it looks.
func checkOfficeMacro(e *env, p *message.Part) []string {
	if e.macroSeen {
		return nil
	}
	k := e.macroKind(p)
	if k == "" {
		return nil
	}
	e.macroSeen = true
	return []string{k + " macro " + show(baseName(p.Path))}
}

// checkVBAStomping: unpack found p-code strings the module's source lacks.
func checkVBAStomping(e *env, p *message.Part) []string {
	if !strings.Contains(p.Path, "/vba-pcode/") || !bytes.HasPrefix(p.Content, []byte(unpack.VBAStompedHeader)) {
		return nil
	}
	rest := strings.SplitN(string(p.Content[len(unpack.VBAStompedHeader):]), "\n", 2)[0]
	return []string{"module " + show(baseName(p.Path)) + " runs p-code its source does not show, e.g. " + show(rest)}
}
