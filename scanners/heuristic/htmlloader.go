package heuristic

import (
	"regexp"
	"strings"

	"github.com/kensa-milter/kensa/urls"
)

// An attached page with almost nothing of its own that loads its script
// from the web is a loader: the phishing kit draws the sign-in page from
// its own server, so the attachment carries neither the form nor the link
// that the other checks read. Honest small pages load script too (a chart
// exported with its library on a CDN, a report using Google Charts), so
// the public libraries and analytics those load do not count; a page full
// of its own text (a saved web page) is left alone.

// libraryHosts serve published script libraries (and analytics snippets a
// saved page keeps); a script from them draws nothing by itself. The
// GitHub paths of jsDelivr serve anybody's repository, so they count.
var libraryHosts = set("code.jquery.com", "ajax.googleapis.com", "cdnjs.cloudflare.com", "unpkg.com",
	"cdn.jsdelivr.net", "stackpath.bootstrapcdn.com", "maxcdn.bootstrapcdn.com", "cdn.plot.ly",
	"d3js.org", "cdn.datatables.net", "ajax.aspnetcdn.com", "cdn.tailwindcss.com", "cdn.bokeh.org",
	"www.gstatic.com", "www.googletagmanager.com", "www.google-analytics.com", "ssl.google-analytics.com",
	"connect.facebook.net", "static.hotjar.com", "cdn.mathjax.org")

// isLibraryScript: addr is a public library's or an analytics script.
func isLibraryScript(addr string) bool {
	host := strings.ToLower(urls.Parse(addr).Host)
	if host == "cdn.jsdelivr.net" {
		return !strings.Contains(strings.ToLower(addr), "cdn.jsdelivr.net/gh/")
	}
	return libraryHosts[host]
}

// jsMakesScript: the script builds a script element (whose src it sets).
var jsMakesScript = regexp.MustCompile(`(?i)createElement\s*\(\s*["'` + "`" + `]script["'` + "`" + `]\s*\)|\$\s*\.\s*getScript\s*\(|\bimport\s*\(\s*["'` + "`" + `]https?:`)

// jsFetchesText and jsWrites: the script fetches text from the web (a
// response read as text, jQuery's fetches, which hand over the text) and
// puts text on the page or runs it. A page that fetches JSON for its
// figures and writes markup of its own is not a loader.
var (
	jsFetchesText = regexp.MustCompile(`\.\s*text\s*\(\s*\)|\bresponseText\b|\$\s*\.\s*(?:get|ajax|post)\s*\(|\.\s*load\s*\(\s*["'` + "`" + `]https?:`)
	jsWrites      = regexp.MustCompile(`document\s*\.\s*write(?:ln)?\s*\(|\.\s*(?:inner|outer)HTML\s*=|insertAdjacentHTML\s*\(|\.\s*html\s*\(|\.\s*load\s*\(|\beval\s*\(|\bFunction\s*\(|\.\s*srcdoc\s*=`)
)

// remoteScript returns the web address an attached page draws itself
// from, "" for none: a small page's script from a host that is not a
// public library's, or a small page whose script makes a script element or
// fetches text and writes or runs text, with a web address in its strings.
func remoteScript(pg *htmlPage) string {
	if pg.text >= smallPage {
		return ""
	}
	for _, s := range pg.scriptSrcs {
		if !isLibraryScript(s) {
			return s
		}
	}
	if pg.script == "" || !jsMakesScript.MatchString(pg.script) && !(jsFetchesText.MatchString(pg.script) && jsWrites.MatchString(pg.script)) {
		return ""
	}
	for _, s := range pg.scriptURLs {
		if addr := firstWebAddress(s); addr != "" && !isLibraryScript(addr) {
			return addr
		}
	}
	return ""
}

// firstWebAddress is the first http(s) address in s (a literal of a
// script), up to a space or quote; "" for none.
func firstWebAddress(s string) string {
	l := strings.ToLower(s)
	for i := 0; i < len(l); {
		k := strings.Index(l[i:], "http")
		if k < 0 {
			return ""
		}
		k += i
		if strings.HasPrefix(l[k:], "http://") || strings.HasPrefix(l[k:], "https://") {
			end := strings.IndexAny(s[k:], " \t\r\n\"'`<>")
			if end < 0 {
				end = len(s) - k
			}
			return s[k : k+end]
		}
		i = k + 4
	}
	return ""
}
