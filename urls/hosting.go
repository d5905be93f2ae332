package urls

import (
	"net/url"
	"strings"
	"unicode"
)

// HostingKind is what a shared host lets anybody publish.
type HostingKind uint8

// The kinds of shared hosting.
const (
	AppHosting  HostingKind = iota + 1 // a site or app under a name its owner picks (vercel.app, github.io)
	SiteBuilder                        // a site made in a builder or a notes page (weebly.com, sites.google.com)
	Storage                            // a bucket of files served as uploaded (storage.googleapis.com)
	FormBuilder                        // a form anybody can make (forms.office.com)
	FileShare                          // a file shared or published from someone's cloud drive (dropbox.com/s/)
	Tunnel                             // a tunnel to someone's own computer (trycloudflare.com)
	IPFS                               // content on IPFS, through any gateway or as ipfs:// or ipns://
)

func (k HostingKind) String() string {
	switch k {
	case AppHosting:
		return "app hosting"
	case SiteBuilder:
		return "site builder"
	case Storage:
		return "storage"
	case FormBuilder:
		return "form builder"
	case FileShare:
		return "file sharing"
	case Tunnel:
		return "tunnel"
	case IPFS:
		return "IPFS"
	}
	return "?"
}

// hosting is one shared host. pattern is a host suffix matched label by
// label from the right: "*" matches any one label, a label ending in "*"
// any label that starts with the rest ("s3-*": s3-us-west-2), one starting
// with "*" any longer label that ends with the rest ("*-my": contoso-my).
// The site's
// owner names it in the labels in front of the pattern, or, on a host whose
// paths hold the sites, in the path segment after one of paths.
type hosting struct {
	pattern string
	kind    HostingKind
	// paths: only these path prefixes are the shared part of the host
	// ("/forms/" of docs.google.com); nil for every path.
	paths []string
	// pathSite: the segment after the path prefix names the site (a
	// bucket), where no label in front of the pattern does.
	pathSite bool
	// owner is the brand that runs the host and lets no customer use its
	// name (Google refuses buckets and Firebase projects with "google" in
	// them), so its name (and its family's, see SameBrand) on the host is
	// its own.
	owner string
}

// hostings are the hosts where anybody publishes a page or a file for free
// under a name of their own, which a gateway cannot judge by the domain's
// reputation: phishing kits live there, and so does much honest content.
// IPFS content is found by its form on any gateway (see ipfsContent), not
// by this list. docs/heuristics.md lists these hosts; keep the two alike.
var hostings = []hosting{
	// App and static hosting.
	{pattern: "web.app", kind: AppHosting, owner: "google"},
	{pattern: "firebaseapp.com", kind: AppHosting, owner: "google"},
	{pattern: "appspot.com", kind: AppHosting, owner: "google"},
	{pattern: "run.app", kind: AppHosting, owner: "google"},
	{pattern: "cloudfunctions.net", kind: AppHosting, owner: "google"},
	{pattern: "pages.dev", kind: AppHosting},
	{pattern: "workers.dev", kind: AppHosting},
	{pattern: "netlify.app", kind: AppHosting},
	{pattern: "vercel.app", kind: AppHosting},
	{pattern: "now.sh", kind: AppHosting},
	{pattern: "github.io", kind: AppHosting},
	{pattern: "gitlab.io", kind: AppHosting},
	{pattern: "glitch.me", kind: AppHosting},
	{pattern: "onrender.com", kind: AppHosting},
	{pattern: "herokuapp.com", kind: AppHosting},
	{pattern: "fly.dev", kind: AppHosting},
	{pattern: "up.railway.app", kind: AppHosting},
	{pattern: "deno.dev", kind: AppHosting},
	{pattern: "amplifyapp.com", kind: AppHosting},
	{pattern: "azurewebsites.net", kind: AppHosting},
	{pattern: "azurestaticapps.net", kind: AppHosting},
	{pattern: "web.core.windows.net", kind: AppHosting},
	{pattern: "replit.app", kind: AppHosting},
	{pattern: "replit.dev", kind: AppHosting},
	{pattern: "repl.co", kind: AppHosting},
	{pattern: "csb.app", kind: AppHosting},
	{pattern: "surge.sh", kind: AppHosting},
	{pattern: "on-fleek.app", kind: AppHosting},
	{pattern: "4everland.app", kind: AppHosting},
	{pattern: "000webhostapp.com", kind: AppHosting},
	{pattern: "pythonanywhere.com", kind: AppHosting},
	{pattern: "cloudfront.net", kind: AppHosting},
	// Site builders and published notes.
	{pattern: "sites.google.com", kind: SiteBuilder, paths: []string{"/view/", "/site/"}, pathSite: true, owner: "google"},
	{pattern: "weebly.com", kind: SiteBuilder},
	{pattern: "weeblysite.com", kind: SiteBuilder},
	{pattern: "wixsite.com", kind: SiteBuilder},
	{pattern: "square.site", kind: SiteBuilder},
	{pattern: "godaddysites.com", kind: SiteBuilder},
	{pattern: "webflow.io", kind: SiteBuilder},
	{pattern: "framer.app", kind: SiteBuilder},
	{pattern: "framer.website", kind: SiteBuilder},
	{pattern: "carrd.co", kind: SiteBuilder},
	{pattern: "notion.site", kind: SiteBuilder},
	{pattern: "my.canva.site", kind: SiteBuilder},
	{pattern: "yolasite.com", kind: SiteBuilder},
	{pattern: "jimdosite.com", kind: SiteBuilder},
	{pattern: "mystrikingly.com", kind: SiteBuilder},
	{pattern: "webnode.page", kind: SiteBuilder},
	{pattern: "gitbook.io", kind: SiteBuilder},
	{pattern: "canva.site", kind: SiteBuilder},
	{pattern: "blogspot.com", kind: SiteBuilder},
	{pattern: "wordpress.com", kind: SiteBuilder},
	{pattern: "squarespace.com", kind: SiteBuilder},
	{pattern: "wixstudio.io", kind: SiteBuilder},
	// Object storage.
	{pattern: "storage.googleapis.com", kind: Storage, pathSite: true, owner: "google"},
	{pattern: "firebasestorage.googleapis.com", kind: Storage, paths: []string{"/v0/b/"}, pathSite: true, owner: "google"},
	{pattern: "s3.amazonaws.com", kind: Storage, pathSite: true},
	{pattern: "s3.*.amazonaws.com", kind: Storage, pathSite: true},
	{pattern: "s3-*.amazonaws.com", kind: Storage, pathSite: true},
	{pattern: "s3.dualstack.*.amazonaws.com", kind: Storage, pathSite: true},
	{pattern: "s3-website.*.amazonaws.com", kind: Storage},
	{pattern: "blob.core.windows.net", kind: Storage},
	{pattern: "r2.dev", kind: Storage},
	{pattern: "*.digitaloceanspaces.com", kind: Storage, pathSite: true},
	{pattern: "*.backblazeb2.com", kind: Storage, paths: []string{"/file/"}, pathSite: true},
	// Form builders.
	{pattern: "forms.office.com", kind: FormBuilder},
	{pattern: "forms.gle", kind: FormBuilder, owner: "google"},
	{pattern: "docs.google.com", kind: FormBuilder, paths: []string{"/forms/"}, owner: "google"},
	{pattern: "form.jotform.com", kind: FormBuilder},
	{pattern: "typeform.com", kind: FormBuilder},
	{pattern: "jotform.com", kind: FormBuilder, paths: []string{"/form/"}},
	{pattern: "wufoo.com", kind: FormBuilder, paths: []string{"/forms/"}},
	{pattern: "forms.zohopublic.com", kind: FormBuilder},
	{pattern: "formspree.io", kind: FormBuilder, paths: []string{"/f/"}}, // where a page's form posts
	{pattern: "tally.so", kind: FormBuilder, paths: []string{"/r/"}},
	// Files shared or published from a cloud drive: honest sharing is
	// everywhere, so only a sign of a lure counts (link text naming
	// another brand: "Review document in DocuSign" to a Dropbox file).
	{pattern: "dropbox.com", kind: FileShare, paths: []string{"/s/", "/scl/", "/sh/", "/l/", "/t/"}, owner: "dropbox"},
	{pattern: "dl.dropboxusercontent.com", kind: FileShare, owner: "dropbox"},
	{pattern: "app.box.com", kind: FileShare, paths: []string{"/s/", "/file/", "/folder/"}},
	{pattern: "1drv.ms", kind: FileShare, owner: "microsoft"},
	{pattern: "onedrive.live.com", kind: FileShare, owner: "microsoft"},
	// A OneDrive for Business site (tenant-my.sharepoint.com): any
	// company's staff, a compromised account's too, share files from it.
	{pattern: "*-my.sharepoint.com", kind: FileShare, owner: "microsoft"},
	{pattern: "drive.google.com", kind: FileShare, paths: []string{"/file/d/", "/drive/folders/"}, owner: "google"},
	// Google Docs, Drawings and Slides published as a page of their own
	// (a drawing that is one big "View document" button).
	{pattern: "docs.google.com", kind: FileShare, paths: []string{"/drawings/", "/presentation/d/", "/document/d/e/"}, owner: "google"},
	// Tunnels.
	{pattern: "trycloudflare.com", kind: Tunnel},
	{pattern: "ngrok-free.app", kind: Tunnel},
	{pattern: "ngrok-free.dev", kind: Tunnel},
	{pattern: "ngrok.app", kind: Tunnel},
	{pattern: "ngrok.io", kind: Tunnel},
	{pattern: "ngrok.dev", kind: Tunnel},
	{pattern: "loca.lt", kind: Tunnel},
	{pattern: "localtunnel.me", kind: Tunnel},
	{pattern: "lhr.life", kind: Tunnel},
	{pattern: "serveo.net", kind: Tunnel},
	{pattern: "serveousercontent.com", kind: Tunnel},
	{pattern: "devtunnels.ms", kind: Tunnel},
	{pattern: "pinggy.link", kind: Tunnel},
}

// hostingByTail indexes hostings by their last two labels, which are
// never a wildcard.
var hostingByTail = func() map[string][]int {
	m := map[string][]int{}
	for i, h := range hostings {
		m[lastLabels(h.pattern, 2)] = append(m[lastLabels(h.pattern, 2)], i)
	}
	return m
}()

// lastLabels is the last n labels of host.
func lastLabels(host string, n int) string {
	i := len(host)
	for ; n > 0 && i > 0; n-- {
		i = strings.LastIndexByte(host[:i], '.')
		if i < 0 {
			return host
		}
	}
	return host[i+1:]
}

// Hosted is a link to a page or file on shared hosting.
type Hosted struct {
	Kind HostingKind
	// Host is the hosting's pattern ("pages.dev"), or for IPFS the
	// gateway's host ("ipfs" for ipfs:// and ipns://).
	Host string
	// Owner is the brand that runs the host ("google"), "" for none.
	Owner string
	// Site is the name the site's owner picked, lower-case: the labels in
	// front of Host, or the bucket or site name in the path; "" for none
	// (IPFS content, a form).
	Site string
	// Page is the last segment of the path, percent-decoded and
	// lower-cased: the file the link opens ("index.html"), "" for none.
	Page string
}

// HostedAt says where u is on shared hosting: a site or file that anybody
// may have published (see hostings), or content on IPFS. The hosting's own
// site (web.app, www.weebly.com) is not.
func HostedAt(u URL) (Hosted, bool) {
	if u.Host == "" {
		return Hosted{}, false
	}
	path := urlPath(u)
	if h, ok := ipfsContent(u, path); ok {
		return h, true
	}
	host := u.Host
	best, front, rest := -1, "", ""
	for _, i := range hostingByTail[lastLabels(host, 2)] {
		f, ok := matchPattern(host, hostings[i].pattern)
		if !ok || best >= 0 && len(hostings[i].pattern) <= len(hostings[best].pattern) {
			continue
		}
		// Elsewhere on a host whose shared part is some paths are the
		// hosting's own pages.
		if r, ok := sharedPath(path, hostings[i].paths); ok {
			best, front, rest = i, f, r
		}
	}
	if best < 0 {
		return Hosted{}, false
	}
	hs := hostings[best]
	h := Hosted{Kind: hs.kind, Host: hs.pattern, Owner: hs.owner, Site: front}
	if h.Site == "" && hs.pathSite {
		seg, _, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
		h.Site = unescapeLower(seg)
		if hs.kind == Storage {
			// A Firebase bucket is named after its project.
			h.Site = strings.TrimSuffix(strings.TrimSuffix(h.Site, ".appspot.com"), ".firebasestorage.app")
		}
	}
	if (hs.kind == FormBuilder || hs.kind == FileShare) && h.Site == "www" {
		h.Site = "" // www.jotform.com/form/..., www.dropbox.com/s/...
	}
	// A form or a shared file has no site name of its own.
	if h.Site == "www" || (h.Site == "" && (hs.kind != FormBuilder && hs.kind != FileShare || rest == "/")) {
		return Hosted{}, false // the hosting's own site
	}
	h.Page = pageName(path)
	return h, true
}

// sharedPath is path after the first of paths it starts with, path itself
// for no paths; ok is false when it starts with none, or is nothing more.
func sharedPath(path string, paths []string) (rest string, ok bool) {
	if paths == nil {
		return path, true
	}
	for _, p := range paths {
		if r, ok := strings.CutPrefix(path, p); ok && r != "" {
			return r, true
		}
	}
	return "", false
}

// matchPattern matches host against a hosting pattern and returns the
// labels in front of it ("" when host is the pattern itself).
func matchPattern(host, pattern string) (front string, ok bool) {
	for pattern != "" {
		if host == "" {
			return "", false
		}
		pi := strings.LastIndexByte(pattern, '.')
		pl := pattern[pi+1:]
		hi := strings.LastIndexByte(host, '.')
		hl := host[hi+1:]
		switch {
		case pl == "*":
		case strings.HasSuffix(pl, "*"):
			if !strings.HasPrefix(hl, pl[:len(pl)-1]) {
				return "", false
			}
		case strings.HasPrefix(pl, "*"):
			if !strings.HasSuffix(hl, pl[1:]) || hl == pl[1:] {
				return "", false
			}
		case pl != hl:
			return "", false
		}
		if pi < 0 {
			pattern = ""
		} else {
			pattern = pattern[:pi]
		}
		if hi < 0 {
			host = ""
		} else {
			host = host[:hi]
		}
	}
	return host, true
}

// urlPath is u's path as written, without query and fragment; "/" for none.
func urlPath(u URL) string {
	s := u.Normalized
	if s == "" {
		s = u.Raw
	}
	i := strings.Index(s, "://")
	if i < 0 {
		return "/"
	}
	s = s[i+3:]
	j := strings.IndexAny(s, "/?#")
	if j < 0 || s[j] != '/' {
		return "/"
	}
	s = s[j:]
	if k := strings.IndexAny(s, "?#"); k >= 0 {
		s = s[:k]
	}
	return s
}

// pageName is the last segment of path, percent-decoded and lower-cased.
func pageName(path string) string {
	p := unescapeLower(path) // %2F of a bucket's object name is a folder too
	return p[strings.LastIndexByte(p, '/')+1:]
}

func unescapeLower(s string) string {
	if d, err := url.PathUnescape(s); err == nil {
		s = d
	}
	return strings.ToLower(s)
}

// ipfsContent recognises content on IPFS however a link reaches it:
// ipfs:// and ipns://, a path gateway (/ipfs/<CID>, /ipns/<name>) on any
// host, or a subdomain gateway (<CID>.ipfs.<gateway>, <name>.ipns.<gateway>).
// There are hundreds of public gateways; the content ID is the tell.
func ipfsContent(u URL, path string) (Hosted, bool) {
	h := Hosted{Kind: IPFS, Host: u.Host}
	switch u.Scheme {
	case "ipfs", "ipns":
		h.Host = "ipfs"
	case "http", "https":
		if !ipfsGateway(u.Host, path) {
			return Hosted{}, false
		}
	default:
		return Hosted{}, false
	}
	if rest, ok := strings.CutPrefix(path, "/ipfs/"); ok && !strings.Contains(rest, "/") {
		path = "/" // the content ID itself is no page name
	}
	h.Page = pageName(path)
	return h, true
}

// ipfsGateway: an http(s) link to IPFS content through a path or subdomain
// gateway.
func ipfsGateway(host, path string) bool {
	if rest, ok := strings.CutPrefix(path, "/ipfs/"); ok {
		cid, _, _ := strings.Cut(rest, "/")
		if isCID(cid) {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(path, "/ipns/"); ok && rest != "" && rest[0] != '/' {
		return true
	}
	if !strings.Contains(host, ".ipfs.") && !strings.Contains(host, ".ipns.") {
		return false
	}
	labels := strings.Split(host, ".")
	for i := 1; i+2 < len(labels); i++ {
		if (labels[i] == "ipfs" && isCID(labels[i-1])) || (labels[i] == "ipns" && labels[i-1] != "") {
			return true
		}
	}
	return false
}

// isCID: an IPFS content ID, version 0 (base58 "Qm...", 46 characters)
// or version 1 in base32 ("bafy...") or base36 ("k51..."), as gateways
// take them in a path or, lower-case, in a host label.
func isCID(s string) bool {
	switch {
	case len(s) == 46 && strings.HasPrefix(s, "Qm"):
		for _, c := range s {
			if !strings.ContainsRune("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", c) {
				return false
			}
		}
		return true
	case len(s) >= 50 && (s[0] == 'b' || s[0] == 'k'):
		for _, c := range s[1:] {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
				return false
			}
		}
		return true
	}
	return false
}

// WebPage says whether a file name is a page a browser shows and runs
// (.html, .htm, .xhtml, .shtml, .svg, .mht): a sign-in page served as a
// file, not a document.
func WebPage(name string) bool {
	switch name[strings.LastIndexByte(name, '.')+1:] {
	case "html", "htm", "xhtml", "xht", "shtml", "svg", "mht", "mhtml":
		return strings.Contains(name, ".")
	}
	return false
}

// wordBrands are brands that are ordinary words too ("office hours", "the
// 2027 outlook", "apple pie"): they name the brand only beside a lure word
// ("office-365", "apple id", "amazon-billing") or alone ("adobe.html").
var wordBrands = set("office", "outlook", "apple", "chase", "zoom", "adobe", "amazon")

// BrandNamed reports a brand that s (a site's name, a file name, a link's
// text) names as a word of its own: "sharepoint-doc-7f3a", "Open in
// SharePoint", "docusign2026". Words are runs of letters and digits;
// digits after a word count as part of it ("docusign2026"). Brands glued
// onto other words ("googlechrome") are not words of their own; those the
// lookalike check reads.
func BrandNamed(s string) (string, bool) {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 64 {
		words = words[:64]
	}
	lure := false
	for _, w := range words {
		if lureWords[w] || hyphenLureWords[w] {
			lure = true
		}
	}
	for _, w := range words {
		for _, c := range [2]string{w, strings.TrimRight(w, "0123456789")} {
			if brandSet[c] && (!wordBrands[c] || lure || len(words) == 1) {
				return c, true
			}
		}
	}
	return "", false
}

var brandSet = set(brands...)

// BrandOwner is the first brand of b's owner (brandSenders): "microsoft"
// for "sharepoint"; b itself for a brand alone.
func BrandOwner(b string) string {
	if row := ownerOf[b]; row != nil {
		return row[0]
	}
	return b
}

// SameBrand: a and b are one company's brands ("onedrive", "microsoft").
func SameBrand(a, b string) bool {
	return a != "" && BrandOwner(a) == BrandOwner(b)
}

// LureWordIn reports a lure word ("login", "verify", "webmail") that s
// carries as a word of its own.
func LureWordIn(s string) (string, bool) {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if lureWords[w] {
			return w, true
		}
	}
	return "", false
}

// BrandGlued reports a brand that a site's or page's name s carries glued
// inside one word to nothing but lure words, other brands, digits and hex
// tails:
// "wellsfargoonline", "office365login", "docusign7f3a", "securepaypal",
// and with 0 for o, 1 for l, rn for m or vv for w ("micros0ftverify").
// The rest of the word must be all filler, so ordinary words that hold a
// brand by chance ("pineapple", "amazonian") never match; TestBrandGluedWords
// proves it on an English word list. Brands that are ordinary words
// ("office", "apple": wordBrands) need one of lureWords beside them
// ("applesecure", "officelogin"; not "officeportal", "apple2026").
func BrandGlued(s string) (string, bool) {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(w) > 63 { // no DNS label is longer
			continue
		}
		for _, v := range [...]string{w, strings.ReplaceAll(w, "rn", "m"), strings.ReplaceAll(w, "vv", "w")} {
			if b, ok := brandGluedIn(v); ok {
				return b, true
			}
		}
	}
	return "", false
}

// brandGluedIn: brandGlued for one word.
func brandGluedIn(w string) (string, bool) {
	for _, b := range brands {
		for i := 0; i+len(b) <= len(w); i++ {
			if !foldedAt(w, i, b) || i == 0 && len(b) == len(w) {
				continue
			}
			before, after := filler(w[:i]), filler(w[i+len(b):])
			if before == noFiller || after == noFiller {
				continue
			}
			if wordBrands[b] && before != strongLure && after != strongLure {
				continue
			}
			return b, true
		}
	}
	return "", false
}

// foldedAt: w holds brand b at i, reading 0 as o and 1 as l.
func foldedAt(w string, i int, b string) bool {
	for k := 0; k < len(b); k++ {
		c := w[i+k]
		switch c {
		case '0':
			c = 'o'
		case '1':
			c = 'l'
		}
		if c != b[k] {
			return false
		}
	}
	return true
}

// gluedLureWords are words phishers glue to a brand in a free site's name
// besides the lure words ("wellsfargobanking", "mypaypal", "paypalresolution"):
// only read there, where the brand's own sites never are.
var gluedLureWords = set("my", "bank", "banking", "resolution", "customer", "client", "clients", "access", "web",
	"app", "user", "users", "official", "info", "express", "care", "connect", "assist", "activity", "notification",
	"notifications", "hub", "pay", "secured", "verified", "inbox", "owa", "sso", "ebill", "statement")

// What filler makes of a piece of a glued word.
const (
	noFiller   = iota // not all lure words, digits and hex tails
	onlyFiller        // all filler ("" too), no lure word of the strong kind
	strongLure        // all filler with a word of lureWords in it
)

// filler splits s into lure words (lureWords, hyphenLureWords,
// gluedLureWords), other
// brands ("microsoftsharepoint") and hex tails (digits among them),
// preferring a split with a strong lure word.
func filler(s string) int {
	// best[j]: how s[:j] splits (noFiller: it does not).
	var best [64]int
	best[0] = onlyFiller
	for j := 0; j < len(s); j++ {
		if best[j] == noFiller {
			continue
		}
		for k := j + 1; k <= len(s); k++ {
			switch p := s[j:k]; {
			case lureWords[p]:
				best[k] = strongLure
			case hyphenLureWords[p] || gluedLureWords[p] || brandSet[p] || hexTail(p):
				best[k] = max(best[k], best[j])
			}
		}
	}
	return best[len(s)]
}

// hexTail: hex digits starting with a digit ("7f3a", "2026"). One that
// starts with a letter would read English words' endings as hex:
// "googled" with "2026" glued on.
func hexTail(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
