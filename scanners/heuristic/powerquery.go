package heuristic

import (
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// Excel Power Query: unpack opens the DataMashup a workbook keeps in
// customXml/itemN.xml and presents its package parts, whose
// Formulas/Section1.m is the M code of the queries. A connection set to
// refresh when the workbook opens (refreshOnLoad on a connection of
// xl/connections.xml) runs the queries without a click on Refresh, once
// the reader lets data connections run (Excel's Trust Center prompts for
// them by default, Microsoft documents; not observed here): what a query
// fetches from the web lands in the cells (a DDE formula, a lure), and a
// share on the Internet gets the reader's NTLM hash.

// mashupPackage is the member name unpack gives a DataMashup's package parts.
const mashupPackage = "/PackageParts.zip/"

// mFetchCalls are M functions that fetch from an address, and the two ways
// to call a function by a name built at run time.
var mFetchCalls = []string{"Web.Contents", "Web.Page", "Web.BrowserContents", "WebAction.Request", "OData.Feed",
	"SharePoint.Files", "SharePoint.Contents", "SharePoint.Tables", "Expression.Evaluate", "#shared"}

func checkPowerQuery(e *env, p *message.Part) []string {
	switch path := strings.ToLower(p.Path); {
	case strings.HasSuffix(path, "/xl/connections.xml"):
		return connectionFetches(head(p))
	case strings.HasSuffix(path, "/xl/connections.bin"): // an .xlsb's
		var out []string
		for _, c := range unpack.XLSBConnections(head(p)) {
			if !c.RefreshOnLoad {
				continue
			}
			for _, f := range [][2]string{{"webPr", c.URL}, {"textPr", c.File}} {
				if s := connectionFetch(f[0], f[1]); s != "" && len(out) < 20 {
					out = append(out, s)
				}
			}
		}
		return out
	}
	i := strings.LastIndex(p.Path, mashupPackage)
	if i < 0 || !strings.EqualFold(p.Path[i+len(mashupPackage):], "Formulas/Section1.m") {
		return nil
	}
	fetch := mFetches(string(head(p)))
	if len(fetch) == 0 {
		return nil
	}
	// The workbook: the DataMashup is its customXml/itemN.xml.
	j := strings.LastIndex(strings.ToLower(p.Path[:i]), "/customxml/")
	if j < 0 || !refreshesOnLoad(e, p.Path[:j]+"/xl/connections.xml") && !xlsbRefreshesOnLoad(e, p.Path[:j]+"/xl/connections.bin") {
		return nil
	}
	for k := range fetch {
		fetch[k] = "Power Query refreshed on open " + fetch[k]
	}
	return fetch
}

// refreshesOnLoad: the part at path (any case) has a connection that
// refreshes when the workbook opens.
func refreshesOnLoad(e *env, path string) bool {
	for _, q := range e.m.Parts {
		if !strings.EqualFold(q.Path, path) {
			continue
		}
		refresh := false
		eachElement(head(q), 10000, func(name string, attrs []byte) bool {
			refresh = name == "connection" && onLoad(attrs)
			return !refresh
		})
		if refresh {
			return true
		}
	}
	return false
}

// xlsbRefreshesOnLoad: the .xlsb connections part at path (any case) has
// a connection that refreshes when the workbook opens.
func xlsbRefreshesOnLoad(e *env, path string) bool {
	for _, q := range e.m.Parts {
		if strings.EqualFold(q.Path, path) {
			for _, c := range unpack.XLSBConnections(head(q)) {
				if c.RefreshOnLoad {
					return true
				}
			}
		}
	}
	return false
}

// onLoad: a connection element's attributes set refreshOnLoad.
func onLoad(attrs []byte) bool {
	switch strings.TrimSpace(xmlAttr(attrs, "refreshOnLoad")) {
	case "1", "true":
		return true
	}
	return false
}

// connectionFetches reads xl/connections.xml for the older ways to load
// data as the workbook opens: a web query (webPr url: Excel loads the page
// and puts its tables in the cells) or a text import (textPr sourceFile)
// on a connection that refreshes on open, from the web or a share on the
// Internet.
func connectionFetches(b []byte) []string {
	var out []string
	refresh := false // the connection being read refreshes on open
	eachElement(b, 10000, func(name string, attrs []byte) bool {
		var src string
		switch name {
		case "connection":
			refresh = onLoad(attrs)
			return true
		case "webPr":
			src = xmlAttr(attrs, "url")
		case "textPr":
			src = xmlAttr(attrs, "sourceFile")
		default:
			return true
		}
		if s := connectionFetch(name, src); refresh && s != "" {
			out = append(out, s)
		}
		return len(out) < 20
	})
	return out
}

// connectionFetch judges where a connection refreshed on open loads from
// (kind: webPr, textPr): the web, or a share on the Internet.
func connectionFetch(kind, src string) string {
	if h, ok := internetShare(src); ok {
		return kind + " connection refreshed on open loads from the share " + show(h)
	} else if webTarget(src) {
		return kind + " connection refreshed on open fetches " + show(src)
	}
	return ""
}

// mFetches reads M code: its string literals that are web addresses or
// shares on the Internet, and its calls of fetching functions (whose
// address may be built from pieces). Comments are read as code: a fetch
// in a comment of a query refreshed on open is rare enough.
func mFetches(m string) []string {
	var out []string
	add := func(s string) {
		if len(out) < 20 && !contains(out, s) {
			out = append(out, s)
		}
	}
	for i, n := 0, 0; i < len(m) && n < 10000; n++ {
		j := strings.IndexByte(m[i:], '"')
		if j < 0 {
			break
		}
		// A literal runs to the next quote not doubled ("" is a quote).
		var lit strings.Builder
		k := i + j + 1
		for k < len(m) {
			if m[k] == '"' {
				if k+1 < len(m) && m[k+1] == '"' {
					lit.WriteByte('"')
					k += 2
					continue
				}
				break
			}
			lit.WriteByte(m[k])
			k++
		}
		i = k + 1
		s := lit.String()
		if h, ok := internetShare(s); ok {
			add("loads from the share " + show(h))
		} else if webTarget(s) {
			add("fetches " + show(s))
		}
	}
	for _, f := range mFetchCalls {
		if strings.Contains(m, f) {
			add("calls " + f)
		}
	}
	return out
}
