package heuristic

import (
	"html"
	"net/url"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
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
// spreadsheet's content (COM.MICROSOFT.WEBSERVICE), an .xls's cells
// (decompiled by unpack into "web-formulas"). A HYPERLINK to a share needs
// a click and is left to the link checks.

// dataAPIs are public data services that spreadsheet guides call with
// WEBSERVICE (exchange rates, statistics, weather, coin prices), by
// registrable domain; none hosts what its users upload.
var dataAPIs = set("europa.eu", "worldbank.org", "imf.org", "stlouisfed.org", "exchangerate-api.com", "exchangerate.host",
	"openweathermap.org", "coingecko.com", "coindesk.com", "alphavantage.co")

// webFunctionNames are the fetching functions, as a formula's text names
// them (after _xlfn. or COM.MICROSOFT.).
var webFunctionNames = []string{"webservice(", "image("}

func checkFormulaFetch(e *env, p *message.Part) []string {
	lower := strings.ToLower(p.Path)
	switch {
	case strings.HasSuffix(p.Path, "/web-formulas"): // unpack: an .xls's
	case strings.Contains(lower, "/xl/worksheets/") && strings.HasSuffix(lower, ".xml"),
		strings.HasSuffix(lower, "/xl/workbook.xml"), strings.HasSuffix(lower, "/content.xml"):
		if !e.hasLower(p, "webservice(") && !e.hasLower(p, "image(") {
			return nil
		}
	default:
		return nil
	}
	var out []string
	for _, c := range webCalls(html.UnescapeString(string(head(p)))) {
		u, err := url.Parse(c[1])
		if err != nil || u.Hostname() == "" || e.sender != "" && urls.SameOwner(u.Hostname(), e.sender) {
			continue // the sender's own service
		}
		if _, ok := urls.BrandDomain(u.Hostname()); ok || dataAPIs[registrable(u.Hostname())] {
			continue // a well-known company's own API, a public data service
		}
		if len(out) < 20 {
			out = append(out, strings.ToUpper(c[0])+" formula fetches "+show(c[1]))
		}
	}
	return out
}

// webCalls finds the calls of webFunctionNames in formula text whose first
// argument is a web address written as string literals (joined as & joins
// them: "ht"&"tp://..."): the function and the address, at most 100.
func webCalls(text string) [][2]string {
	var out [][2]string
	low := strings.ToLower(text)
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
			if arg := firstArgLiterals(text[at:]); webTarget(arg) {
				out = append(out, [2]string{fn[:len(fn)-1], arg})
			}
		}
	}
	return out
}

// firstArgLiterals joins the string literals of a call's first argument
// (s starts after its opening parenthesis), "" doubled as a quote; the
// argument ends at a comma or semicolon outside parentheses and literals,
// or at the call's closing parenthesis.
func firstArgLiterals(s string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s) && i < 4096; i++ {
		switch c := s[i]; {
		case c == '"':
			for i++; i < len(s) && b.Len() < 2048; i++ {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						i++
					} else {
						break
					}
				}
				b.WriteByte(s[i])
			}
		case c == '(':
			depth++
		case c == ')' && depth == 0, (c == ',' || c == ';') && depth == 0:
			return b.String()
		case c == ')':
			depth--
		}
	}
	return b.String()
}
