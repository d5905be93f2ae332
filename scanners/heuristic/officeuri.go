package heuristic

import (
	"net/url"
	"path"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// Office URI schemes (Microsoft's "Office URI Schemes": ms-word:,
// ms-excel:, ms-powerpoint:, ms-visio:, ms-access:, ms-project:,
// ms-publisher:, ms-spd:, ms-infopath:) open a document in the desktop
// application straight from a link, past the browser's download and its
// warnings: <scheme>:<command>|<descriptor>|<argument>..., the commands
// ofv (open for viewing), ofe (open for editing) and nft (new from a
// template), the descriptors u (the document's or template's URI) and s
// (where nft saves), or the short form <scheme>:<URI>, which is ofv|u.
// SharePoint and OneDrive write them for "Open in desktop app", so the
// document's host is judged: the sender's own or Microsoft 365's is
// honest; a share or WebDAV folder, a host written as a number, a
// macro-enabled file, an add-in or a template from another host is the
// attack (office-uri-link); any other host tags (office-uri-foreign).
//
// microsoft-edge:, its:, ms-its:, mk:@MSITStore: and mhtml: wrap a URL
// to open it in another engine than the reader's browser (Edge from
// Chrome, the help viewer or Internet Explorer's MHTML reader): they exist
// in mail to escape a browser's or client's protection
// (browser-escape-link).

// officeSchemes are the Office URI schemes.
var officeSchemes = set("ms-word", "ms-excel", "ms-powerpoint", "ms-visio", "ms-access", "ms-project", "ms-publisher", "ms-spd", "ms-infopath")

// escapeSchemes are the wrappers that open a URL in another engine.
var escapeSchemes = set("microsoft-edge", "microsoft-edge-holographic", "its", "ms-its", "mk", "mhtml")

// officeActive are the extensions of files Office opens with code in them
// (macros, add-ins) or as templates a new document is made from.
var officeActive = set("docm", "dotm", "dot", "dotx", "xlsm", "xltm", "xlt", "xltx", "xlam", "xla", "xll", "xlsb", "pptm", "potm", "pot", "potx", "ppam",
	"ppa", "ppsm", "sldm", "vsdm", "vstm", "vssm", "mdb", "accdb", "accde", "mde", "adp", "ade", "xsn")

// microsoft365 are the registrable domains Microsoft 365 keeps documents
// at, which "Open in desktop app" links name.
var microsoft365 = set("sharepoint.com", "sharepoint-df.com", "sharepointonline.com", "onedrive.com", "live.net", "live.com", "1drv.ms",
	"office.com", "office.net", "office365.com", "microsoft.com", "microsoftonline.com", "svc.ms")

// officeURI reads an Office URI: its scheme, command (ofv for the short
// form) and the document's URI ("" for none), percent-escaped bars read as
// bars, as Windows passes the link to Office.
func officeURI(raw string) (scheme, command, doc string) {
	raw = strings.TrimSpace(raw)
	i := strings.IndexByte(raw, ':')
	if i < 0 {
		return "", "", ""
	}
	scheme, rest := strings.ToLower(raw[:i]), raw[i+1:]
	if strings.Contains(strings.ToLower(rest[:min(len(rest), 12)]), "%7c") {
		rest = strings.NewReplacer("%7c", "|", "%7C", "|").Replace(rest)
	}
	fields := strings.Split(rest, "|")
	if len(fields) < 3 {
		return scheme, "ofv", rest // the short form
	}
	command = strings.ToLower(fields[0])
	for k := 1; k+1 < len(fields) && k < 16; k += 2 {
		if strings.EqualFold(fields[k], "u") {
			doc = fields[k+1]
			break
		}
	}
	return scheme, command, doc
}

// escapeTarget is the URL a browser-escape wrapper opens.
func escapeTarget(scheme, raw string) string {
	_, rest, _ := strings.Cut(strings.TrimSpace(raw), ":")
	switch scheme {
	case "microsoft-edge", "microsoft-edge-holographic":
		if q, ok := strings.CutPrefix(rest, "?"); ok {
			if v, err := url.ParseQuery(q); err == nil && v.Get("url") != "" {
				return v.Get("url")
			}
		}
		return rest
	case "mk":
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "@MSITStore:"), "@msitstore:")
	}
	if i := strings.Index(rest, "::"); i >= 0 {
		rest = rest[:i] // its:, ms-its:, mk: a help file's page
	}
	if i := strings.Index(rest, "!"); i >= 0 {
		rest = rest[:i] // mhtml: a part of the archive
	}
	return rest
}

// officeTarget judges the document an Office URI or a wrapper opens:
// where it is and why that is dangerous; own is true for the sender's or
// Microsoft 365's host.
type officeTarget struct {
	host   string
	danger string // "" when only the host is foreign
	own    bool
}

func (e *env) judgeTarget(target string) officeTarget {
	target = strings.TrimSpace(target)
	if target == "" {
		return officeTarget{own: true}
	}
	if strings.HasPrefix(target, `\\`) || strings.HasPrefix(target, "//") || hasPrefixFold(target, "file:") {
		h, ok := internetShare(target)
		if !ok || e.sendersOwn(h) {
			return officeTarget{host: h, own: true}
		}
		how := "a file share"
		if t := strings.ToLower(target); strings.Contains(t, "@ssl") || strings.Contains(t, "davwwwroot") {
			how = "a WebDAV folder"
		}
		return officeTarget{host: h, danger: how}
	}
	u := urls.Parse(target)
	if u.Host == "" {
		return officeTarget{own: true} // nothing Office reaches
	}
	if e.sendersOwn(u.Host) {
		return officeTarget{host: u.Host, own: true}
	}
	t := officeTarget{host: u.Host, own: microsoft365[e.registrable(u.Host)]}
	if e.isIPHost(u.Host) {
		t.danger = "a host written as a number"
	}
	p := u.Normalized
	if pu, err := url.Parse(u.Normalized); err == nil {
		p = pu.Path
	}
	if ext := strings.TrimPrefix(strings.ToLower(path.Ext(p)), "."); officeActive[ext] {
		t.danger = "a ." + ext + " file"
	}
	return t
}

// officeLink is what an Office URI or a wrapper in u opens, judged; ok
// false for any other URL, and for a link only loaded (an image's).
func (e *env) officeLink(u urls.URL) (scheme, command string, t officeTarget, ok bool) {
	if u.Source == urls.SourceSrc || u.Source == urls.SourceText || u.Source == urls.SourcePDFText {
		return "", "", t, false // loaded, or words no client makes a link of such a scheme
	}
	s := strings.ToLower(u.Scheme)
	switch {
	case officeSchemes[s]:
		_, command, doc := officeURI(u.Raw)
		t = e.judgeTarget(doc)
		if command == "nft" && !t.own && t.danger == "" {
			t.danger = "a template" // a new document made from another host's template
		}
		return s, command, t, true
	case escapeSchemes[s]:
		return s, "", e.judgeTarget(escapeTarget(s, u.Raw)), true
	}
	return "", "", t, false
}

// checkOfficeURI: an Office URI opens a document from a share or WebDAV
// folder, a numeric host, or a macro-enabled file, add-in or template not
// at the sender's own site.
func checkOfficeURI(e *env, p *message.Part, u urls.URL) string {
	s, command, t, ok := e.officeLink(u)
	if !ok || !officeSchemes[s] || t.danger == "" {
		return ""
	}
	return show(truncate(u.Raw, 100)) + " opens " + t.danger + " in the desktop application (" + s + ":" + command + ") from " + show(t.host)
}

// checkOfficeURIForeign: an Office URI opens a document from a host
// neither the sender's nor Microsoft 365's (nothing worse: that is
// office-uri-link's).
func checkOfficeURIForeign(e *env, p *message.Part, u urls.URL) string {
	s, _, t, ok := e.officeLink(u)
	if !ok || !officeSchemes[s] || t.own || t.danger != "" {
		return ""
	}
	return show(truncate(u.Raw, 100)) + " opens a document in the desktop application from " + show(t.host) + ", neither the sender's site nor Microsoft 365"
}

// checkBrowserEscape: a link wrapped to open in another engine than the
// reader's browser, to a host not the sender's own.
func checkBrowserEscape(e *env, p *message.Part, u urls.URL) string {
	s, _, t, ok := e.officeLink(u)
	if !ok || !escapeSchemes[s] || strings.TrimSpace(escapeTarget(s, u.Raw)) == "" || t.host != "" && e.sendersOwn(t.host) {
		return ""
	}
	where := ""
	if t.host != "" {
		where = " to " + show(t.host)
	}
	return show(truncate(u.Raw, 100)) + " opens" + where + " outside the reader's browser (" + s + ":)"
}
