package heuristic

import (
	"bytes"
	"html"
	"regexp"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
	"github.com/kensa-milter/kensa/urls"
)

// Data connection and query files, which Excel opens as a workbook and whose
// query it runs (after the reader lets data connections run): an Office
// Data Connection (.odc, an HTML page holding an <xml> odc:OfficeDataConnection
// with its connection string), a database query (.dqy, "XLODBC" then the
// ODBC connection string and the SQL), an OLAP query (.oqy) and a report
// query (.rqy), both "QueryType=..." lines with a Connection. Connecting to
// a database server on the Internet logs on to it, with the reader's
// Windows credentials when the string asks for integrated security, and
// what it returns lands in the sheet; a server on the intranet, or at the
// sender's own domain, is what a finance team's honest connection file
// names. Web queries (.iqy) are judged by dde-link (dde.go).

// queryFileExts are the connection and query files Excel opens.
var queryFileExts = set("odc", "dqy", "oqy", "rqy")

// connHostKeys are the keys of a connection string (OLE DB, ODBC, OData)
// whose value names the server or the file connected to.
var connHostKeys = set("data source", "server", "address", "addr", "network address", "location", "host", "hostname",
	"dbq", "url", "service document url", "datasource")

var odcConnString = regexp.MustCompile(`(?is)<odc:ConnectionString>(.*?)</odc:ConnectionString>`)

// queryFileConnections reads the connection strings of a connection or
// query file p, nil for anything else.
func queryFileConnections(p *message.Part) []string {
	b := head(p)
	if !isText(b) {
		return nil
	}
	ext := message.Ext(p.Filename)
	switch {
	case bytes.Contains(b[:min(len(b), 64<<10)], []byte("OfficeDataConnection")) || ext == "odc":
		var out []string
		for _, m := range odcConnString.FindAllSubmatch(b, 20) {
			out = append(out, html.UnescapeString(string(m[1])))
		}
		return out
	case bytes.HasPrefix(b, []byte("XLODBC")) || queryFileExts[ext]:
		var out []string
		for n, line := range strings.SplitN(string(b), "\n", 64) {
			line = strings.TrimSpace(line)
			if k, v, ok := strings.Cut(line, "="); ok && strings.EqualFold(strings.TrimSpace(k), "Connection") {
				line = v // .oqy, .rqy: Connection=Provider=...;Data Source=...
			} else if n > 3 || !strings.Contains(line, "=") || !strings.Contains(line, ";") {
				continue // .dqy: XLODBC, 1, then the connection string
			}
			if len(out) < 20 {
				out = append(out, line)
			}
		}
		return out
	}
	return nil
}

// connectionHosts are the servers and shares a connection string names:
// each value of connHostKeys, without "tcp:", an instance ("host\SQL1")
// or a port (",1433", ":5432").
func connectionHosts(conn string) []string {
	var out []string
	for _, kv := range strings.Split(conn, ";") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !connHostKeys[strings.ToLower(strings.TrimSpace(k))] {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if strings.HasPrefix(v, `\\`) || strings.HasPrefix(v, "//") || hasPrefixFold(v, "file:") {
			out = append(out, v) // a database file on a share
			continue
		}
		if _, rest, ok := strings.Cut(v, "://"); ok {
			v = rest
			if i := strings.IndexAny(v, "/?#"); i >= 0 {
				v = v[:i]
			}
		}
		v = strings.TrimPrefix(strings.TrimPrefix(v, "tcp:"), "TCP:")
		if i := strings.IndexAny(v, `\,`); i >= 0 {
			v = v[:i]
		}
		if v != "" && !strings.ContainsAny(v, " ") && len(out) < 20 {
			out = append(out, withoutPort(v))
		}
	}
	return out
}

// ownDomain: host belongs to the sender, by the envelope's domain or the
// From field's (a company's mail sent through a mailing service has the
// service's envelope and the company's From).
func (e *env) ownDomain(host string) bool {
	if e.sender != "" && urls.SameOwner(host, e.sender) {
		return true
	}
	d := fromDomain(e.m.From)
	return d != "" && urls.SameOwner(host, d)
}

func checkQueryFile(e *env, p *message.Part) []string {
	if p.Container {
		return nil // a zip that stores a connection file holds its text too
	}
	switch low := strings.ToLower(p.Path); {
	case strings.HasSuffix(low, "/xl/connections.xml"):
		return e.connectionFiles(head(p))
	case strings.HasSuffix(low, "/xl/connections.bin"):
		var out []string
		for _, c := range unpack.XLSBConnections(head(p)) {
			out = e.connectionFile(out, "odcFile", c.ConnectionFile)
			out = e.connectionFile(out, "sourceFile", c.DataFile)
		}
		return out
	}
	var out []string
	seen := map[string]bool{}
	for _, conn := range queryFileConnections(p) {
		for _, h := range connectionHosts(conn) {
			what := ""
			if shareHost(h) != "" {
				if host, ok := internetShare(h); ok {
					what = "data connection opens a file on the share " + show(host)
				}
			} else {
				host := strings.ToLower(strings.Trim(h, "[]."))
				if host == "" || intranetHost(host) || e.ownDomain(host) {
					continue
				}
				what = "data connection logs on to the server " + show(host)
			}
			if what != "" && !seen[what] && len(out) < 20 {
				seen[what] = true
				out = append(out, what)
			}
		}
	}
	return out
}

// ownOrIntranetURL: a web address on the sender's own domain or an
// intranet host, as a company's own web query (.iqy) names.
func ownOrIntranetURL(e *env, raw string) bool {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return false
	}
	host := rest
	if i := strings.IndexAny(host, "/?#\\"); i >= 0 {
		host = host[:i]
	}
	host = bareHost(host)
	return host != "" && (intranetHost(host) || e.ownDomain(host))
}

// connectionFiles judges the files a workbook's data connections
// (xl/connections.xml) are made from: the connection file it was created
// from (odcFile: an .odc Excel reads again when the connection fails or is
// set to use only its file, as "Always use connection file" does) and the
// data file of a file-based source (sourceFile, connected to directly when
// the connection fails). On a share of an Internet host (SMB, WebDAV)
// Excel fetches the sender's file, which then says what to connect to, as
// an .odc mailed on its own: judged the same. A connection file on the
// intranet's file server, in the reader's My Data Sources or at the
// sender's own domain does not count. An .xlsb's xl/connections.bin names
// the same files (stConnectionFile, stDataFile: unpack.XLSBConnections).
func (e *env) connectionFiles(b []byte) []string {
	var out []string
	eachElement(b, 10000, func(name string, attrs []byte) bool {
		if name != "connection" {
			return true
		}
		for _, k := range []string{"odcFile", "sourceFile"} {
			out = e.connectionFile(out, k, html.UnescapeString(xmlAttr(attrs, k)))
		}
		return len(out) < 20
	})
	return out
}

// connectionFile adds to out what a connection's file src (its odcFile or
// sourceFile, as key names it) on a share of an Internet host does; at
// most 20 findings.
func (e *env) connectionFile(out []string, key, src string) []string {
	src = strings.TrimSpace(src)
	h, ok := internetShare(src)
	if !ok || e.ownDomain(strings.Trim(h, "[]")) || len(out) >= 20 {
		return out
	}
	what := "data connection's file " + show(src) + " (" + key + ") is on the share " + show(h)
	if !contains(out, what) {
		out = append(out, what)
	}
	return out
}
