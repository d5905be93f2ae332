package heuristic

import (
	"bytes"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/unpack"

	"github.com/kensa-milter/kensa/message"
)

// DDE: Word fields (DDE, DDEAUTO) and spreadsheet formulas (app|'topic'!item)
// that ask Windows to start another program. Word assembles a field from
// every w:instrText between a begin and an end fldChar, across runs and
// nested fields (QUOTE turns character codes into text), so we do the same
// before judging the instruction.

// maxFields bounds the fields read from one part.
const maxFields = 1000

// maxInstr bounds one assembled instruction, in bytes.
const maxInstr = 8192

// WordFields returns the field instructions of a WordprocessingML part
// (document, header, footer, footnotes, text boxes inside them, flat XML):
// complex fields assembled from their runs, fldSimple instructions, each
// with XML entities decoded. Nested fields are resolved as Word shows them:
// a QUOTE of character codes becomes its characters, any other inner field
// its own instruction.
func WordFields(b []byte) []string {
	var out []string
	type field struct {
		instr     strings.Builder
		separated bool // past the separate fldChar: the result, not the instruction
	}
	var stack []*field
	emit := func(s string) {
		if len(out) < maxFields {
			out = append(out, s)
		}
	}
	for i := 0; i < len(b) && len(out) < maxFields; {
		tag, next, ok := nextTag(b, i)
		if !ok {
			break
		}
		i = next
		if len(tag) == 0 || tag[0] == '/' || tag[0] == '?' || tag[0] == '!' {
			continue
		}
		name, attrs := splitTag(tag)
		switch localName(name) {
		case "fldChar":
			switch xmlAttr(attrs, "fldCharType") {
			case "begin":
				if len(stack) < 64 {
					stack = append(stack, &field{})
				}
			case "separate":
				if len(stack) > 0 {
					stack[len(stack)-1].separated = true
				}
			case "end":
				if len(stack) == 0 {
					continue
				}
				f := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				instr := f.instr.String()
				emit(instr)
				if len(stack) > 0 && !stack[len(stack)-1].separated {
					parent := &stack[len(stack)-1].instr
					if q, ok := quoteField(instr); ok {
						parent.WriteString(q)
					} else {
						parent.WriteString(instr)
					}
				}
			}
		case "instrText":
			if tag[len(tag)-1] == '/' {
				continue
			}
			end := bytes.IndexByte(b[i:], '<')
			if end < 0 {
				end = len(b) - i
			}
			text := html.UnescapeString(string(b[i : i+end]))
			i += end
			if len(stack) == 0 {
				emit(text) // Word ignores it; judging it costs nothing
				continue
			}
			if f := stack[len(stack)-1]; !f.separated && f.instr.Len()+len(text) <= maxInstr {
				f.instr.WriteString(text)
			}
		case "fldSimple":
			emit(xmlAttr(attrs, "instr"))
		}
	}
	for _, f := range stack { // unterminated fields: Word still reads them
		emit(f.instr.String())
	}
	return out
}

// nextTag finds the next tag at or after i: the bytes between '<' and '>',
// and where reading goes on after it. ok is false when no whole tag is left.
func nextTag(b []byte, i int) (tag []byte, next int, ok bool) {
	lt := bytes.IndexByte(b[i:], '<')
	if lt < 0 {
		return nil, len(b), false
	}
	i += lt
	gt := bytes.IndexByte(b[i:], '>')
	if gt < 0 {
		return nil, len(b), false
	}
	return b[i+1 : i+gt], i + gt + 1, true
}

// eachElement calls f with the local name and the attributes of each tag
// of b, at most limit tags, while f returns true.
func eachElement(b []byte, limit int, f func(name string, attrs []byte) bool) {
	for i, n := 0, 0; i < len(b) && n < limit; n++ {
		tag, next, ok := nextTag(b, i)
		if !ok {
			return
		}
		i = next
		name, attrs := splitTag(tag)
		if !f(localName(name), attrs) {
			return
		}
	}
}

// eachExternalRel calls f with the type (lower case) and target of each
// relationship of an OOXML .rels part that points outside the package
// (TargetMode External), among its first thousand tags, while f returns
// true.
func eachExternalRel(b []byte, f func(typ, target string) bool) {
	eachElement(b, 1000, func(name string, attrs []byte) bool {
		if !strings.EqualFold(name, "Relationship") || !strings.EqualFold(strings.TrimSpace(xmlAttr(attrs, "TargetMode")), "external") {
			return true
		}
		return f(strings.ToLower(xmlAttr(attrs, "Type")), xmlAttr(attrs, "Target"))
	})
}

// splitTag splits "w:fldChar w:fldCharType='begin'/" into name and the rest.
func splitTag(tag []byte) (string, []byte) {
	j := bytes.IndexAny(tag, " \t\r\n/")
	if j < 0 {
		return string(tag), nil
	}
	return string(tag[:j]), tag[j:]
}

// localName drops a namespace prefix: any prefix, since the document decides
// which one stands for WordprocessingML.
func localName(n string) string {
	if i := strings.LastIndexByte(n, ':'); i >= 0 {
		return n[i+1:]
	}
	return n
}

// xmlAttr returns the value of the attribute whose local name is want, in
// single or double quotes, entities decoded; "" when absent.
func xmlAttr(attrs []byte, want string) string {
	for i := 0; i < len(attrs); {
		eq := bytes.IndexByte(attrs[i:], '=')
		if eq < 0 {
			return ""
		}
		name := strings.TrimSpace(string(attrs[i : i+eq]))
		if k := strings.LastIndexAny(name, " \t\r\n"); k >= 0 {
			name = name[k+1:]
		}
		j := i + eq + 1
		for j < len(attrs) && (attrs[j] == ' ' || attrs[j] == '\t' || attrs[j] == '\r' || attrs[j] == '\n') {
			j++
		}
		if j >= len(attrs) || (attrs[j] != '"' && attrs[j] != '\'') {
			return ""
		}
		q := attrs[j]
		k := bytes.IndexByte(attrs[j+1:], q)
		if k < 0 {
			return ""
		}
		val := attrs[j+1 : j+1+k]
		i = j + 1 + k + 1
		if localName(name) == want {
			return html.UnescapeString(string(val))
		}
	}
	return ""
}

// quoteField turns "QUOTE 99 109 100" into "cmd", as Word shows the field.
func quoteField(instr string) (string, bool) {
	f := strings.Fields(instr)
	if len(f) < 2 || !strings.EqualFold(f[0], "quote") {
		return "", false
	}
	var sb strings.Builder
	for _, n := range f[1:] {
		v, err := strconv.Atoi(strings.Trim(n, `"`))
		if err != nil || v <= 0 || v > 0xFFFF {
			return "", false
		}
		sb.WriteRune(rune(v))
	}
	return sb.String(), true
}

// normalField is an instruction as Word parses it: quotes gone, doubled
// backslashes single, switches such as \* MERGEFORMAT dropped, lower case,
// one space between words.
func normalField(instr string) string {
	s := strings.ToLower(instr)
	s = strings.NewReplacer(`"`, " ", "\u201c", " ", "\u201d", " ", `\\`, `\`).Replace(s)
	f := strings.Fields(s)
	out := f[:0]
	for i := 0; i < len(f); i++ {
		if f[i] == `\*` || f[i] == `\#` || f[i] == `\@` { // format switch and its argument
			i++
			continue
		}
		if len(f[i]) == 2 && f[i][0] == '\\' {
			continue // \h, \l, \d, ...: flags without arguments for DDE
		}
		out = append(out, f[i])
	}
	return strings.Join(out, " ")
}

// programWords name a program or the way to one in a DDE application or
// topic: a DDE conversation with any of them starts it.
var programWords = []string{"cmd", "powershell", "pwsh", "mshta", "wscript", "cscript", "rundll32", "regsvr32",
	"certutil", "bitsadmin", "msiexec", "schtasks", "conhost", "forfiles", "calc", ".exe", ".bat", ".hta", ".vbs",
	".js", "..\\", "../", "system32"}

func startsProgram(s string) string {
	s = strings.ToLower(s)
	for _, w := range programWords {
		if strings.Contains(s, w) {
			return w
		}
	}
	return ""
}

// ddeStarts says whether a DDE conversation with app about topic starts a
// program: one named in either, or Excel asked for a path
// (MSEXCEL|'\\host\share\x'), which runs what the path names.
func ddeStarts(app, topic string) bool {
	return startsProgram(app+" "+topic) != "" || strings.EqualFold(app, "msexcel") && strings.Contains(topic, `\`)
}

// ddeFact is one DDE use: what it is and whether it starts a program.
type ddeFact struct {
	what string
	exec bool
}

// ddeFacts collects the DDE of a part once for both checks.
func (e *env) ddeFacts(p *message.Part) []ddeFact {
	if f, ok := e.dde[p]; ok {
		return f
	}
	f := findDDE(e, p)
	e.dde[p] = f
	return f
}

func findDDE(e *env, p *message.Part) []ddeFact {
	b := head(p)
	if strings.HasSuffix(p.Path, "/WordDocument") {
		return binaryWordDDE(b)
	}
	if len(b) == 0 || !isText(b) {
		if sniff(p) == kindRTF {
			return rtfDDE(b)
		}
		return nil
	}
	var out []ddeFact
	switch {
	case sniff(p) == kindRTF:
		return rtfDDE(b)
	case isXMLPart(p, b):
		if e.hasLower(p, "instr") {
			for _, instr := range WordFields(b) {
				if f, ok := judgeField(instr); ok {
					out = append(out, f)
				}
			}
		}
		if e.hasLower(p, "ddelink") {
			out = append(out, excelDDELinks(b)...)
		}
		if e.hasLower(p, "dde-application") || e.hasLower(p, "dde(") || e.hasLower(p, "field.code") {
			out = append(out, odfDDE(b)...)
		}
		if inSheetXML(p) {
			out = append(out, formulaDDE(b, e.hasLower(p, "dde"))...)
		}
	case isFormulaText(p, b):
		if bytes.HasPrefix(b, []byte("ID;")) { // SYLK: a cell's formula follows ";E"
			b = bytes.ReplaceAll(b, []byte(";E"), []byte(";="))
		}
		out = append(out, formulaDDE(b, containsLower(b, "dde"))...)
		if message.Ext(p.Filename) == "iqy" || bytes.HasPrefix(b, []byte("WEB")) {
			if m := iqyURL.Find(b); m != nil && !ownOrIntranetURL(e, string(m)) {
				out = append(out, ddeFact{what: "web query loads " + show(string(m))})
			}
		}
	}
	return out
}

func isXMLPart(p *message.Part, b []byte) bool {
	n := strings.ToLower(p.Path)
	if strings.HasSuffix(n, ".xml") || message.Ext(p.Filename) == "xml" {
		return true
	}
	t := bytes.TrimLeft(b[:min(len(b), 64)], "\xEF\xBB\xBF \t\r\n")
	return bytes.HasPrefix(t, []byte("<?xml"))
}

func inSheetXML(p *message.Part) bool {
	n := strings.ToLower(p.Path)
	return strings.Contains(n, "/xl/worksheets/") || strings.Contains(n, "/xl/macrosheets/") || strings.Contains(n, "/xl/intlmacrosheets/")
}

// formulaExts are opened by Excel, which evaluates a cell starting with =, +,
// - or @ as a formula, whatever the file says it is.
var formulaExts = set("csv", "tsv", "slk", "sylk", "iqy", "dif", "prn", "xls", "xlt", "xla", "xlsx", "xlsm")

func isFormulaText(p *message.Part, b []byte) bool {
	switch {
	case strings.HasSuffix(p.Path, "/dde-links"): // unpack: a workbook's DDE links as formulas
		return true
	case formulaExts[message.Ext(p.Filename)]:
		return true
	case p.DeclaredType == "text/csv", p.DeclaredType == "application/vnd.ms-excel", p.DeclaredType == "text/x-iqy",
		p.DeclaredType == "application/x-sylk", p.DeclaredType == "text/tab-separated-values":
		return true
	}
	return bytes.HasPrefix(b, []byte("ID;P")) || bytes.HasPrefix(b, []byte("WEB\r\n")) || bytes.HasPrefix(b, []byte("WEB\n"))
}

var iqyURL = regexp.MustCompile(`(?i)\b(?:https?|ftp)://[^\s"'<>]{1,500}`)

// ddeFormula is app|topic!item in a formula: =cmd|' /C calc'!A0,
// @SUM(1+1)*cmd|'...'!A0, +MSEXCEL|'\..\..\cmd.exe'!”.
var ddeFormula = regexp.MustCompile(`(?i)(?:^|[=+\-@*&(,;^">\s])\s*([a-z][a-z0-9_.:\\/-]{0,79})\s*\|\s*(?:'([^'\r\n]{0,1000})'|([^!\s'",;|]{1,200}))\s*!`)

// formulaDDE reads the DDE calls and links of b's formulas. hasDDE says
// whether b holds "dde" in any case (containsLower), which the caller may
// know already.
func formulaDDE(b []byte, hasDDE bool) []ddeFact {
	var out []ddeFact
	if hasDDE && ddeCall.Match(b) { // LibreOffice's DDE("app";"topic";"item")
		out = functionDDE(html.UnescapeString(string(b)))
	}
	if bytes.IndexByte(b, '|') < 0 || bytes.IndexByte(b, '!') < 0 {
		return out
	}
	s := html.UnescapeString(string(b))
	for _, m := range ddeFormula.FindAllStringSubmatch(s, 20) {
		app, topic := m[1], m[2]+m[3]
		out = append(out, ddeFact{what: "DDE formula " + show(app+"|'"+topic+"'"), exec: ddeStarts(app, topic)})
	}
	return out
}

// excelDDELinks reads the ddeLink elements of an external link part.
func excelDDELinks(b []byte) []ddeFact {
	var out []ddeFact
	eachElement(b, len(b), func(name string, attrs []byte) bool {
		if name == "ddeLink" {
			svc, topic := xmlAttr(attrs, "ddeService"), xmlAttr(attrs, "ddeTopic")
			out = append(out, ddeFact{what: "Excel DDE link " + show(svc+"|"+topic), exec: ddeStarts(svc, topic)})
		}
		return len(out) < 20
	})
	return out
}

// judgeField says whether an instruction is DDE and whether it starts a program.
func judgeField(instr string) (ddeFact, bool) {
	n := normalField(instr)
	word, rest, _ := strings.Cut(n, " ")
	if word != "dde" && word != "ddeauto" {
		return ddeFact{}, false
	}
	return ddeFact{what: strings.ToUpper(word) + " field " + show(rest), exec: startsProgram(rest) != ""}, true
}

// rtfDDE reads the \fldinst groups of an RTF document: the text inside,
// control words and braces dropped, \'hh and \uN decoded.
func rtfDDE(b []byte) []ddeFact {
	if !containsLower(b, "fldinst") {
		return nil
	}
	var out []ddeFact
	for _, instr := range rtfGroups(b, `\fldinst`, 20) {
		if f, ok := judgeField(instr); ok {
			out = append(out, f)
		}
	}
	return out
}

// rtfText is the plain text of an RTF fragment, enough to read a field,
// as Word and LibreOffice read it: ignorable destinations ({\* ...}, which
// hold no text for a reader that does not know them) and \binN data
// skipped, \'hh and \uN decoded, the N characters after \uN that stand in
// for readers without Unicode (\ucN, 1 by default) skipped.
func rtfText(b []byte) string {
	var sb strings.Builder
	uc, skip := 1, 0 // \ucN, and the fallback characters still to skip
	text := func(c byte) {
		if skip > 0 {
			skip--
			return
		}
		sb.WriteByte(c)
	}
	for i := 0; i < len(b) && sb.Len() < maxInstr; i++ {
		c := b[i]
		switch {
		case c == '{' && i+2 < len(b) && b[i+1] == '\\' && b[i+2] == '*':
			i = unpack.RTFGroupEnd(b, i)
		case c == '{' || c == '}' || c == '\r' || c == '\n':
		case c == '\\' && i+1 < len(b):
			n := b[i+1]
			switch {
			case n == '\\' || n == '{' || n == '}':
				text(n)
				i++
			case n == '\'' && i+3 < len(b):
				if v, err := strconv.ParseUint(string(b[i+2:i+4]), 16, 8); err == nil {
					text(byte(v))
				}
				i += 3
			case n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z':
				word, param, k := unpack.RTFWord(b, i)
				v, err := strconv.Atoi(string(param))
				switch {
				case word == "u" && err == nil:
					if v < 0 {
						v += 65536
					}
					sb.WriteRune(rune(v))
					skip = uc
				case word == "uc" && err == nil && v >= 0:
					uc = min(v, 8)
				case word == "bin" && err == nil && v > 0:
					if k < len(b) && b[k] == ' ' {
						k++
					}
					k += min(v, len(b)-k) // binary data, no text
				}
				if word != "bin" && k < len(b) && b[k] == ' ' {
					k++ // the delimiter space belongs to the control word
				}
				i = k - 1
			default:
				i++
			}
		default:
			text(c)
		}
	}
	return sb.String()
}

func checkDDE(wantExec bool) func(*env, *message.Part) []string {
	return func(e *env, p *message.Part) []string {
		var out []string
		for _, f := range e.ddeFacts(p) {
			if f.exec == wantExec {
				out = append(out, f.what)
			}
		}
		return out
	}
}

// binaryWordDDE judges the fields of a Word 97-2003 WordDocument stream.
func binaryWordDDE(b []byte) []ddeFact {
	var out []ddeFact
	eachBinaryWordField(b, func(instr string) bool {
		if f, ok := judgeField(instr); ok {
			out = append(out, f)
		}
		return len(out) < 20
	})
	return out
}

// eachBinaryWordField gives f the field instructions of a Word 97-2003
// WordDocument stream until f returns false: an instruction runs from a
// 0x13 field-begin mark to the 0x14 separator or the 0x15 end, in 8-bit or
// UTF-16 text. Nested fields are dropped from the outer instruction; their
// own instructions are read too.
func eachBinaryWordField(b []byte, f func(instr string) bool) {
	for _, wide := range []bool{false, true} {
		step := 1
		if wide {
			step = 2
		}
		for i := 0; i+step <= len(b); i += step {
			if b[i] != 0x13 || wide && b[i+1] != 0 {
				continue
			}
			var sb strings.Builder
			depth := 0
			j := i + step
			for ; j+step <= len(b) && j-i < 2*maxInstr; j += step {
				c := rune(b[j])
				if wide {
					c = rune(b[j]) | rune(b[j+1])<<8
				}
				if c == 0x13 {
					depth++
					continue
				}
				if (c == 0x14 || c == 0x15) && depth > 0 {
					if c == 0x15 {
						depth--
					}
					continue
				}
				if c == 0x14 || c == 0x15 {
					break
				}
				if depth == 0 && c >= 0x20 {
					sb.WriteRune(c)
				}
			}
			if !f(sb.String()) {
				return
			}
		}
	}
}
