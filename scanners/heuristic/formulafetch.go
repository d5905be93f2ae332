package heuristic

import (
	"bytes"
	"encoding/xml"
	"html"
	"net/netip"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// Worksheet formulas that fetch from the web as they are calculated:
// WEBSERVICE(url) (Excel 2013 and LibreOffice; FILTERXML(WEBSERVICE(...))
// puts what it returns in a cell, and a URL built with ENCODEURL(A1) sends
// the sheet's data out) and IMAGE(url) (Excel 365: a picture from the web in
// a cell, a beacon). Excel calculates them when it calculates the sheet,
// which a file forces on open (fullCalcOnLoad, a workbook saved by an
// older calculation engine), once the reader leaves Protected View; no
// click on the cell. Read where each format keeps its formulas: an .xlsx's
// sheets and defined names (_xlfn.WEBSERVICE), an OpenDocument
// spreadsheet's content (COM.MICROSOFT.WEBSERVICE), an .xls's and an
// .xlsb's cells (decompiled by unpack into "web-formulas", with the
// workbook's string cells and names). A HYPERLINK to a share needs a click
// and is left to the link checks.
//
// The address is worked out from the cells and names it is built from
// (formulaeval.go), and judged by what the call can do to the reader, not
// by a list of good services: a fixed address on a named host fetches a
// feed or a picture (exchange rates, a logo; a beacon at most, as any
// picture in an HTML mail); an address that carries what the reader types
// or what the machine tells (an empty cell of a form, INFO, CELL) sends it
// to the host; a host written as a number or an address spelled in pieces
// or with CHAR hides where it goes. The sender's own domain and an
// intranet host (a single-label name, a private address, an intranet
// suffix) are left alone.

// webFunctionNames are the fetching functions, as a formula's text names
// them (after _xlfn. or COM.MICROSOFT.).
var webFunctionNames = []string{"webservice(", "image("}

// formulaCall is a web function's call: the function, the formula it is
// in, where the first argument starts, and the sheet of its cell.
type formulaCall struct {
	fn, formula, sheet string
	at                 int
}

// formulaJudgement is what a call's address says: a finding for
// formula-web-fetch, or for formula-web-hidden (the address is not worked
// out before the file opens).
type formulaJudgement struct {
	fetch, hidden string
}

func checkFormulaFetch(e *env, p *message.Part) []string {
	return e.formulaFetch(p).fetch
}

func checkFormulaHidden(e *env, p *message.Part) []string {
	return e.formulaFetch(p).hidden
}

type formulaFindings struct {
	fetch, hidden []string
}

// formulaFetch judges the web calls of part p, once per part.
func (e *env) formulaFetch(p *message.Part) formulaFindings {
	if f, ok := e.formulas[p]; ok {
		return f
	}
	if e.formulas == nil {
		e.formulas = map[*message.Part]formulaFindings{}
	}
	var out formulaFindings
	b, calls := e.formulaCalls(p)
	seen := map[string]bool{}
	for _, c := range calls {
		ev := &evaluator{b: b}
		fp := &fparser{s: c.formula, i: c.at, ev: ev, sheet: c.sheet}
		v := fp.expr()
		j := e.judgeWebAddress(strings.ToUpper(c.fn), v)
		for _, f := range []struct {
			s   string
			out *[]string
		}{{j.fetch, &out.fetch}, {j.hidden, &out.hidden}} {
			if f.s != "" && !seen[f.s] && len(*f.out) < 20 {
				seen[f.s] = true
				*f.out = append(*f.out, f.s)
			}
		}
	}
	e.formulas[p] = out
	return out
}

// formulaCalls finds p's web calls and the workbook they are evaluated in.
func (e *env) formulaCalls(p *message.Part) (*book, []formulaCall) {
	lower := strings.ToLower(p.Path)
	switch {
	case strings.HasSuffix(p.Path, "/web-formulas"): // unpack: an .xls's or .xlsb's
		return listingBook(string(head(p)))
	case strings.Contains(lower, "/xl/worksheets/") && strings.HasSuffix(lower, ".xml"),
		strings.HasSuffix(lower, "/xl/workbook.xml"), strings.HasSuffix(lower, "/content.xml"):
		if !e.hasLower(p, "webservice(") && !e.hasLower(p, "image(") {
			return nil, nil
		}
	default:
		return nil, nil
	}
	if strings.HasSuffix(lower, "/content.xml") {
		return odsBook(head(p))
	}
	root := p.Path[:strings.LastIndex(lower, "/xl/")]
	b := e.xlsxBook(root)
	var calls []formulaCall
	if strings.HasSuffix(lower, "/xl/workbook.xml") {
		for _, m := range xlsxDefinedName.FindAllSubmatch(head(p), maxFormulaNames) {
			if len(calls) < 100 {
				calls = append(calls, webCallsIn(html.UnescapeString(string(m[2])), b.first)...)
			}
		}
		return b.book, calls
	}
	sheet := b.sheetOf[strings.ToLower(strings.TrimPrefix(p.Path, root+"/"))]
	for _, c := range xlsxCells(head(p), nil) {
		if strings.HasPrefix(c.value, "=") && len(calls) < 100 {
			calls = append(calls, webCallsIn(c.value, sheet)...)
		}
	}
	return b.book, calls
}

// maxFormulaNames bounds a workbook's defined names and sheets.
const maxFormulaNames = 4096

// webCallsIn finds the calls of webFunctionNames in formula text, at most 100.
func webCallsIn(formula, sheet string) []formulaCall {
	var out []formulaCall
	low := strings.ToLower(formula)
	for _, fn := range webFunctionNames {
		for at, n := 0, 0; n < 1000 && len(out) < 100; n++ {
			i := strings.Index(low[at:], fn)
			if i < 0 {
				break
			}
			i += at
			at = i + len(fn)
			if i > 0 && (isASCIILetter(low[i-1]) || isDigitByte(low[i-1]) || low[i-1] == '_') {
				continue // GETIMAGE(, MYWEBSERVICE(
			}
			out = append(out, formulaCall{fn: fn[:len(fn)-1], formula: formula, sheet: sheet, at: at})
		}
	}
	return out
}

// judgeWebAddress judges the evaluated address v of a call of fn.
func (e *env) judgeWebAddress(fn string, v fval) formulaJudgement {
	s := strings.TrimSpace(v.s)
	shown := func() string {
		return show(strings.NewReplacer(string(holeInput), "{what the reader types}", string(holeEnv), "{the machine's details}",
			string(holeOpaque), "{…}").Replace(s))
	}
	if s == "" || s[0] == holeInput {
		return formulaJudgement{} // nothing to fetch until the reader types an address
	}
	if s[0] == holeEnv || s[0] == holeOpaque {
		return formulaJudgement{hidden: fn + " formula fetches from an address not known before the file opens: " + shown()}
	}
	if h, ok := internetShare(s); ok {
		return formulaJudgement{fetch: fn + " formula fetches from the share " + show(h)}
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || !webTarget(scheme+":") {
		return formulaJudgement{}
	}
	end := strings.IndexAny(rest, "/?#\\")
	if end < 0 {
		end = len(rest)
	}
	host := rest[:end]
	if strings.ContainsAny(host, string([]byte{holeInput, holeEnv, holeOpaque})) {
		return formulaJudgement{hidden: fn + " formula fetches from a host not known before the file opens: " + shown()}
	}
	host = bareHost(host)
	if host == "" || e.ownDomain(host) || intranetHost(host) {
		return formulaJudgement{} // the sender's own service, a colleague's server
	}
	if a, err := netip.ParseAddr(host); err == nil && a.IsValid() || obfuscatedIP(host) {
		return formulaJudgement{fetch: fn + " formula fetches from a host written as a number: " + shown()}
	}
	if v.char || !schemeInOnePiece(v.pieces) {
		return formulaJudgement{fetch: fn + " formula fetches from an address spelled in pieces: " + shown()}
	}
	switch {
	case strings.IndexByte(rest[end:], holeInput) >= 0:
		return formulaJudgement{fetch: fn + " formula sends what the reader types to " + show(host) + ": " + shown()}
	case strings.IndexByte(rest[end:], holeEnv) >= 0:
		return formulaJudgement{fetch: fn + " formula sends the reader's machine details to " + show(host) + ": " + shown()}
	}
	return formulaJudgement{} // a fixed address on a named host: a feed, a picture
}

// bareHost is a URL's authority without its user and port, in lower case.
func bareHost(authority string) string {
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		authority = authority[i+1:]
	}
	return strings.ToLower(strings.Trim(withoutPort(authority), "."))
}

// withoutPort cuts ":port" off a host ([v6]:port too).
func withoutPort(h string) string {
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i > 0 {
			return h[1:i]
		}
	}
	if strings.Count(h, ":") == 1 {
		h, _, _ = strings.Cut(h, ":")
	}
	return h
}

// intranetHost: a name only an internal DNS answers for, or a private
// address: what a company's own workbooks call.
func intranetHost(h string) bool {
	if h == "localhost" {
		return true
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified()
	}
	if obfuscatedIP(h) {
		return false
	}
	if !strings.Contains(h, ".") {
		return true
	}
	for _, s := range intranetSuffixes {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
}

// schemeInOnePiece: the scheme and its "://" come from one string (a
// literal or a cell), not spelled "ht"&"tp://" as no honest sheet does.
func schemeInOnePiece(pieces []string) bool {
	for _, p := range pieces {
		if strings.TrimSpace(p) == "" {
			continue
		}
		if i := strings.Index(p, "://"); i >= 0 {
			return true
		}
		return false
	}
	return false
}

// xlsxWorkbook is an .xlsx package's workbook, read once per package (root
// is the package's path): its sheets' cells, shared strings and names.
type xlsxWorkbook struct {
	*book
	sheetOf map[string]string // part name in the package, lower case -> sheet name, lower case
}

var (
	xlsxDefinedName = regexp.MustCompile(`(?s)<(?:\w+:)?definedName\b([^>]*)>([^<]*)</`)
	xlsxSheetEntry  = regexp.MustCompile(`(?s)<(?:\w+:)?sheet\b([^>]*)/?>`)
	xlsxCell        = regexp.MustCompile(`(?s)<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)`)
	xlsxFormula     = regexp.MustCompile(`(?s)<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</)`)
	xlsxValue       = regexp.MustCompile(`(?s)<(?:\w+:)?v>([^<]*)</`)
	xlsxText        = regexp.MustCompile(`(?s)<(?:\w+:)?t\b[^>]*>([^<]*)</`)
	xlsxSharedItem  = regexp.MustCompile(`(?s)<(?:\w+:)?si>(.*?)</(?:\w+:)?si>`)
)

// Bounds on the cells read from one workbook, and on the text of a
// sheet's shared formulas' copies (a copy's few bytes stand for its
// master's whole formula).
const (
	maxBookCells       = 50000
	maxSharedCopyBytes = 1 << 21
)

func (e *env) xlsxBook(root string) xlsxWorkbook {
	if b, ok := e.books[root]; ok {
		return b
	}
	if e.books == nil {
		e.books = map[string]xlsxWorkbook{}
	}
	b := xlsxWorkbook{book: newBook(), sheetOf: map[string]string{}}
	e.books[root] = b
	part := func(name string) []byte {
		if q := e.partAt(root + "/" + name); q != nil {
			return head(q)
		}
		return nil
	}
	var shared []string
	for _, m := range xlsxSharedItem.FindAllSubmatch(part("xl/sharedStrings.xml"), maxBookCells) {
		var sb strings.Builder
		for _, t := range xlsxText.FindAllSubmatch(m[1], 1000) {
			sb.WriteString(html.UnescapeString(string(t[1])))
		}
		shared = append(shared, sb.String())
	}
	rels := xlsxRels(part("xl/_rels/workbook.xml.rels"))
	wb := part("xl/workbook.xml")
	for _, m := range xlsxSheetEntry.FindAllSubmatch(wb, maxFormulaNames) {
		name := strings.ToLower(html.UnescapeString(xmlAttr(m[1], "name")))
		id := ""
		for _, k := range []string{"r:id", "id"} {
			if id = xmlAttr(m[1], k); id != "" {
				break
			}
		}
		if b.first == "" {
			b.first = name
		}
		if target, ok := rels[id]; ok {
			b.sheetOf[target] = name
		}
	}
	for _, m := range xlsxDefinedName.FindAllSubmatch(wb, maxFormulaNames) {
		if n := html.UnescapeString(xmlAttr(m[1], "name")); n != "" {
			b.names[strings.ToLower(n)] = html.UnescapeString(string(m[2]))
		}
	}
	for target, sheet := range b.sheetOf {
		for _, c := range xlsxCells(part(target), shared) {
			if k, ok := a1Ref(c.ref, sheet); ok && len(b.cells) < maxBookCells {
				b.cells[k] = c.value
			}
		}
	}
	return b
}

// xlsxRels reads a relationships part: Id -> target part name within the
// package (lower case), targets relative to xl/.
func xlsxRels(b []byte) map[string]string {
	out := map[string]string{}
	for _, m := range relationshipEntry.FindAllSubmatch(b, maxFormulaNames) {
		t := html.UnescapeString(xmlAttr(m[1], "Target"))
		if strings.HasPrefix(t, "/") {
			t = path.Clean(t)[1:]
		} else {
			t = path.Clean("xl/" + t)
		}
		out[html.UnescapeString(xmlAttr(m[1], "Id"))] = strings.ToLower(t)
	}
	return out
}

var relationshipEntry = regexp.MustCompile(`(?s)<(?:\w+:)?Relationship\b([^>]*)>`)

type xlsxCellValue struct{ ref, value string }

// xlsxCells reads a sheet's cells: a formula as "=..." (a shared
// formula's copies as the master's formula moved to them), else the value
// (shared strings looked up when given).
func xlsxCells(b []byte, shared []string) []xlsxCellValue {
	var out []xlsxCellValue
	masters := map[string]sharedMaster{}
	budget := maxSharedCopyBytes
	for _, m := range xlsxCell.FindAllSubmatch(b, maxBookCells) {
		ref := xmlAttr(m[1], "r")
		if f := xlsxFormula.FindSubmatch(m[2]); f != nil {
			text := html.UnescapeString(string(bytes.TrimSpace(f[2])))
			if xmlAttr(f[1], "t") == "shared" {
				k, ok := a1Ref(ref, "")
				si := xmlAttr(f[1], "si")
				if master, isCopy := masters[si]; text == "" && isCopy && ok && budget >= len(master.formula) {
					text = shiftFormula(master.formula, k.row-master.row, k.col-master.col)
					budget -= len(text)
				} else if text != "" && ok && len(masters) < maxBookCells {
					masters[si] = sharedMaster{text, k.row, k.col}
				}
			}
			if text != "" {
				out = append(out, xlsxCellValue{ref, "=" + text})
				continue
			}
		}
		var v string
		switch xmlAttr(m[1], "t") {
		case "s":
			if x := xlsxValue.FindSubmatch(m[2]); x != nil {
				if i, err := strconv.Atoi(strings.TrimSpace(string(x[1]))); err == nil && i >= 0 && i < len(shared) {
					v = shared[i]
				}
			}
		case "inlineStr":
			for _, t := range xlsxText.FindAllSubmatch(m[2], 1000) {
				v += html.UnescapeString(string(t[1]))
			}
		default:
			if x := xlsxValue.FindSubmatch(m[2]); x != nil {
				v = html.UnescapeString(string(x[1]))
			}
		}
		if v != "" {
			out = append(out, xlsxCellValue{ref, v})
		}
	}
	return out
}

// odsBook reads an OpenDocument spreadsheet's content: every sheet's
// cells (repeated rows and columns counted), its named expressions and
// ranges, and the web calls of its formulas.
func odsBook(b []byte) (*book, []formulaCall) {
	bk := newBook()
	var calls []formulaCall
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var sheet string
	row, col, rowRepeat := 0, 0, 1 // the row being read is row, repeated rowRepeat times
	var cell *xlsxCellValue        // the cell being read, its text gathered
	var cellKeyNow cellKey
	var text strings.Builder
	inCell := false
	attr := func(se xml.StartElement, local string) string {
		for _, a := range se.Attr {
			if a.Name.Local == local {
				return a.Value
			}
		}
		return ""
	}
	repeat := func(se xml.StartElement, local string) int {
		n, err := strconv.Atoi(attr(se, local))
		if err != nil || n < 1 {
			return 1
		}
		return min(n, 1<<20)
	}
	for n := 0; n < 2_000_000; n++ {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "table":
				sheet = strings.ToLower(attr(t, "name"))
				if bk.first == "" {
					bk.first = sheet
				}
				row, rowRepeat = 0, 1
			case "table-row":
				row += rowRepeat // the rows before, repeated
				rowRepeat = repeat(t, "number-rows-repeated")
				col = 0
			case "table-cell", "covered-table-cell":
				col++
				cellKeyNow = cellKey{sheet, row, col}
				col += repeat(t, "number-columns-repeated") - 1
				if f := attr(t, "formula"); f != "" {
					f = strings.TrimPrefix(strings.TrimPrefix(f, "of:"), "=")
					if len(bk.cells) < maxBookCells {
						bk.cells[cellKeyNow] = "=" + f
					}
					if len(calls) < 100 {
						calls = append(calls, webCallsIn(f, sheet)...)
					}
					continue
				}
				v := attr(t, "string-value")
				if v == "" {
					v = attr(t, "value")
				}
				cell = &xlsxCellValue{value: v}
				inCell = true
				text.Reset()
			case "p":
				if inCell && text.Len() > 0 {
					text.WriteByte('\n')
				}
			case "named-expression":
				if n := attr(t, "name"); n != "" {
					bk.names[strings.ToLower(n)] = strings.TrimPrefix(strings.TrimPrefix(attr(t, "expression"), "of:"), "=")
				}
			case "named-range":
				if n := attr(t, "name"); n != "" {
					bk.names[strings.ToLower(n)] = "[" + attr(t, "cell-range-address") + "]"
				}
			}
		case xml.CharData:
			if inCell && text.Len() < maxEvalLen {
				text.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "table-cell" && inCell {
				inCell = false
				v := cell.value
				if v == "" {
					v = text.String()
				}
				if v != "" && len(bk.cells) < maxBookCells {
					bk.cells[cellKeyNow] = v
				}
			}
		}
	}
	return bk, calls
}

// listingBook reads unpack's "web-formulas" listing of an .xls or .xlsb:
// "Sheet!R1C1: =formula" for a formula, "Sheet!R1C2 = value" for a
// cell's string, "' name NAME = formula" for a defined name.
func listingBook(s string) (*book, []formulaCall) {
	bk := newBook()
	var calls []formulaCall
	for n, line := range strings.Split(s, "\n") {
		if n >= maxBookCells {
			break
		}
		if rest, ok := strings.CutPrefix(line, listingName); ok {
			if name, f, ok := strings.Cut(rest, " = "); ok {
				bk.names[strings.ToLower(name)] = f
			}
			continue
		}
		m := listingLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		sheet := strings.ToLower(m[1])
		if bk.first == "" {
			bk.first = sheet
		}
		k, ok := r1c1Ref("R"+m[2]+"C"+m[3], sheet)
		if !ok {
			continue
		}
		if m[4] == ":" {
			bk.cells[k] = m[5]
			if len(calls) < 100 {
				calls = append(calls, webCallsIn(m[5], sheet)...)
			}
		} else if v, err := strconv.Unquote(m[5]); err == nil {
			bk.cells[k] = v
		}
	}
	return bk, calls
}

// listingName starts a defined name's line in unpack's listing.
const listingName = "' name "

var listingLine = regexp.MustCompile(`^(.*)!R(\d+)C(\d+)(:| =) (.*)$`)
