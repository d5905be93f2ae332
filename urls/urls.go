// Package urls finds the URLs in a decoded part (plain text, HTML, PDF, Office
// XML), normalises them, and checks them against a local blocklist and DNS URI
// blocklists. Everything it reads is attacker-controlled, so every loop and
// every string it keeps is bounded.
package urls

import (
	"bytes"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/idna"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/pdfsyntax"
	"github.com/kensa-milter/kensa/shelllink"
)

// Bounds on what Extract keeps from one part.
const (
	MaxPerPart = 500  // URLs kept per part; the rest are dropped
	MaxLength  = 2048 // bytes of a URL kept; longer ones are cut
	// MaxWrapper bounds the bytes of a URL read for the URL it wraps, past
	// MaxLength: a redirect padded with a parameter of kilobytes hides its
	// target after the cut (servers take request lines of 8 to 16 KB).
	MaxWrapper  = 64 << 10
	MaxTextLen  = 256     // bytes of anchor text kept
	MaxScanSize = 8 << 20 // bytes of a part searched
)

// Where a URL was found. Only links a reader can follow are "href",
// "action" or "frame"; "src" is an embedded resource such as an image.
const (
	SourceText    = "text"     // a URL written in text
	SourceHref    = "href"     // <a href>, <area href>
	SourceAction  = "action"   // <form action>
	SourceFrame   = "frame"    // <iframe src>, <frame src>, <meta http-equiv=refresh>
	SourceSrc     = "src"      // <img src>, <script src>, ...
	SourcePDF     = "pdf"      // a PDF /URI action
	SourcePDFText = "pdf-text" // a URL written in a PDF page's text, which PDF readers make a link
	SourceOffice  = "office"   // an Office relationship Target or XML text
	SourceQR      = "qr"       // a QR code (or other 2-D code) in an image or an HTML table
	SourceICS     = "calendar" // a calendar entry (.ics URL, DESCRIPTION, LOCATION, ...)
	SourceScript  = "script"   // a web address an HTML attachment's decoded script goes to or holds
)

// URL is one URL found in a part.
type URL struct {
	Raw        string // as written (entities decoded, cut at MaxLength)
	Normalized string // lower-case scheme and host, IDNA host in ASCII, no default port; "" when unparseable
	Host       string // ASCII host without port or brackets, "" for data:, javascript:, mailto: ...
	Scheme     string // lower-case
	User       string // userinfo before "@" as written, "" for none
	Text       string // link text of an HTML anchor, "" otherwise
	Source     string // one of the Source constants
	Via        string // the redirector or link wrapper this URL was read from ("Google redirect (www.google.com)"), "" for none
	Wraps      string // the URL this one redirects to, as read from it; "" for none
}

// Extract returns the URLs in p, deduplicated by normalised form and source,
// in the order found. A PDF's URLs are its /URI actions and those written
// in the text its pages show (PDFText), which readers such as Acrobat,
// Edge and Chrome make links of (Source SourcePDFText). It never panics on
// bad input.
func Extract(p *message.Part) []URL { return ExtractWithText(p, PDFText(p)) }

// ExtractWithText is Extract for a caller that has read p's page text
// already (PDFText(p)), to read it for more than its URLs.
func ExtractWithText(p *message.Part, pdfText string) []URL {
	c := collector{seen: map[string]bool{}, hosts: map[string]string{}}
	c.part(p)
	if pdfText != "" {
		c.text([]byte(pdfText), SourcePDFText)
	}
	return c.out
}

// ExtractPage is Extract(p) followed by the URLs of layers: markup that p's
// page holds beyond its own bytes (what an HTML attachment's scripts write,
// decoded by the caller), each read as HTML; then the web addresses in
// script: those the page's decoded script goes to or holds (absolute
// http(s) only; anything else is ignored), Source "script". A script
// string that is not one address is read as text for the addresses in it. One
// deduplication and one bound (MaxPerPart) cover p, its layers and its
// script; a URL in p or its layers is not added again from script. own is
// how many of out come from p itself, markup how many from p and its
// layers.
func ExtractPage(p *message.Part, layers [][]byte, script []string) (out []URL, own, markup int) {
	c := collector{seen: map[string]bool{}, hosts: map[string]string{}}
	c.part(p)
	own = len(c.out)
	for _, l := range layers {
		if c.full() {
			break
		}
		c.html(l[:min(len(l), MaxScanSize)])
	}
	markup = len(c.out)
	if len(script) == 0 {
		return c.out, own, markup
	}
	known := make(map[string]bool, len(c.out))
	for _, u := range c.out {
		known[u.Normalized+"\x00"+u.Raw] = true
	}
	add := func(s string) {
		n := len(c.out)
		c.add(s, "", SourceScript)
		if len(c.out) > n && known[c.out[n].Normalized+"\x00"+c.out[n].Raw] {
			c.out = c.out[:n] // with the target it wraps, known too
		}
	}
	for _, s := range script {
		s = strings.TrimSpace(s)
		if c.full() {
			break
		}
		if isWeb(s) && !strings.ContainsAny(s, " \t\r\n\f<>\"'`") {
			add(s) // the whole string is the address, as a browser takes it
			continue
		}
		for _, m := range findTextURLs([]byte(s), MaxPerPart) {
			if u := strings.TrimRight(string(m), ".,;:!?)]>"); isWeb(u) && !c.full() {
				add(u)
			}
		}
	}
	return c.out, own, markup
}

// isWeb: s starts with http:// or https://, any case, and has more.
func isWeb(s string) bool {
	return HasLowerPrefix([]byte(s), "http://") && len(s) > len("http://") || HasLowerPrefix([]byte(s), "https://") && len(s) > len("https://")
}

// part collects the URLs of p.
func (c *collector) part(p *message.Part) {
	b := p.Content
	if len(b) > MaxScanSize {
		b = b[:MaxScanSize]
	}
	switch {
	case p.Signed:
		// The CMS bytes of an opaque-signed message hold its entity
		// undecoded (quoted-printable cut at "="); the entity's parts,
		// which follow, are what its reader is shown.
	case p.DeclaredType == EventText: // a calendar's event text (unpack): read as its calendar is
		c.text(b, SourceICS)
	case isPDF(p, b):
		c.pdf(b)
	case isHTML(p, b):
		c.html(b)
	case isXML(p, b):
		c.xml(b)
	case isCalendar(p, b):
		c.calendar(b)
	case shelllink.IsLink(b):
		// A shortcut's arguments, target and icon, where a LNK dropper
		// names the script it fetches.
		if l, _ := shelllink.Parse(b); l != nil {
			c.text([]byte(strings.Join(l.Strings(), "\n")), SourceText)
		}
	case looksText(b):
		c.text(b, SourceText)
	}
}

type collector struct {
	out   []URL
	seen  map[string]bool
	tried int               // candidates parsed, duplicates included
	key   []byte            // scratch for seen keys
	hosts map[string]string // asciiHost, memoised: links of one part share a few hosts
}

// full also stops after many candidates, so that one URL repeated a million
// times costs no more than a few thousand parses.
func (c *collector) full() bool { return len(c.out) >= MaxPerPart || c.tried >= maxTried }

// maxTried bounds the candidates parsed per part.
const maxTried = 20 * MaxPerPart

func (c *collector) add(raw, text, source string) { c.addVia(raw, text, source, "", 0) }

// addVia adds a URL reached through the wrapper via ("" for none) at nesting
// depth, and then the URL it wraps, if any.
func (c *collector) addVia(raw, text, source, via string, depth int) {
	if c.full() {
		return
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return
	}
	c.tried++
	long := raw
	raw = cut(raw, MaxLength)
	u := parse(raw, c.hosts)
	u.Text = strings.TrimSpace(cut(collapseSpace(text), MaxTextLen))
	u.Source = source
	u.Via = via
	target, wrapper, wraps := "", "", false
	if depth < maxUnwrap {
		w := u
		if len(long) > len(raw) {
			w = parse(cut(long, MaxWrapper), c.hosts)
		}
		target, wrapper, wraps = Unwrap(w)
		if wraps {
			u.Wraps = cut(target, MaxLength)
		}
	}
	id := u.Normalized
	if id == "" {
		id = u.Raw
	}
	c.key = append(append(append(append(append(c.key[:0], source...), 0), id...), 0), u.Text...)
	if c.seen[string(c.key)] { // no allocation for the lookup
		return
	}
	c.seen[string(c.key)] = true
	c.out = append(c.out, u)
	if wraps {
		c.addVia(target, text, source, wrapper+" ("+u.Host+")", depth+1)
	}
}

// Parse normalises one URL. A URL that does not parse keeps Raw and nothing else.
func Parse(raw string) URL { return parse(raw, nil) }

// parse is Parse with a memo of asciiHost (nil for none).
func parse(raw string, hosts map[string]string) URL {
	u := URL{Raw: raw}
	// Browsers trim C0 controls and spaces at both ends.
	s := strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' || unicode.IsSpace(r) })
	// Browsers ignore tabs and newlines inside URLs; attackers use them to
	// split "java\nscript:".
	// (strings.Map also turns invalid UTF-8 into U+FFFD, so skipping it
	// needs valid UTF-8 too.)
	if strings.ContainsAny(s, "\t\n\r") || !utf8.ValidString(s) {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
	}
	if i := strings.IndexByte(s, ':'); i > 0 {
		u.Scheme = strings.ToLower(s[:i])
	}
	if len(s) >= 4 && strings.EqualFold(s[:4], "www.") { // what HasPrefix(ToLower(s), "www.") means, without lower-casing s
		s = "http://" + s
		u.Scheme = "http"
	}
	switch u.Scheme {
	case "data", "javascript", "vbscript", "mailto", "tel", "cid", "about", "blob":
		u.Normalized = u.Scheme + s[len(u.Scheme):]
		return u
	}
	if _, special := specialPorts[u.Scheme]; special {
		return parseSpecial(u, s, hosts)
	}
	pu, err := url.Parse(s)
	if err != nil || pu.Host == "" {
		return u
	}
	host := strings.TrimSuffix(strings.ToLower(pu.Hostname()), ".")
	if host == "" {
		return u
	}
	u.Host = asciiHost(host)
	hp := u.Host
	if strings.Contains(hp, ":") {
		hp = "[" + hp + "]"
	}
	if port := pu.Port(); port != "" {
		hp += ":" + port
	}
	pu.Scheme = u.Scheme
	pu.Host = hp
	u.Normalized = pu.String()
	return u
}

// parseSpecial reads an http(s), ftp or ws(s) URL as a browser does (see
// host.go), whether or not net/url accepts it; s starts with the scheme.
func parseSpecial(u URL, s string, hosts map[string]string) URL {
	a, ok := parseAuthority(s[len(u.Scheme)+1:], u.Scheme, hosts)
	if !ok {
		return u
	}
	u.Host, u.User = a.host, a.user
	hp := a.host
	if strings.Contains(hp, ":") {
		hp = "[" + hp + "]"
	}
	if a.port != "" {
		hp += ":" + a.port
	}
	pre := u.Scheme + "://"
	if a.user != "" {
		pre += a.user + "@"
	}
	n := pre + hp + a.rest
	// net/url escapes the path and query the one way it always has, so
	// blocklist entries and links compare alike; what it refuses stays as
	// read. A plain rest (and user) it would give back unchanged is not
	// parsed again.
	if !plainRest(a.rest) || !plainRest(a.user) {
		n = netURLForm(n, hp)
	}
	u.Normalized = n
	return u
}

// netURLForm is n as net/url writes it back, n itself when it refuses it.
func netURLForm(n, hp string) string {
	if pu, err := url.Parse(n); err == nil && pu.Host == hp {
		return pu.String()
	}
	return n
}

// plainRest: s has only bytes net/url writes back as they are in a path,
// query or fragment ("/a/b-c_d.e~f?x=1&y=2#top"), and no "%", "#" after the
// first, or "?" before a "/" that could change how it is split.
func plainRest(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~/?=&", c) >= 0) {
			return false
		}
	}
	return true
}

// asciiHost is host with IDNA labels in ASCII (punycode); IP addresses and
// hosts IDNA rejects stay as they are.
func asciiHost(host string) string {
	if ip := net.ParseIP(host); ip == nil {
		if a, err := idna.Lookup.ToASCII(host); err == nil {
			return a
		} else if a, err := idna.Punycode.ToASCII(host); err == nil {
			return a
		}
	}
	return host
}

// UserInfo returns the user-info part of a URL ("bank.example" in
// https://bank.example@198.51.100.7/), "" when there is none.
func (u URL) UserInfo() string {
	if u.User != "" {
		return u.User
	}
	pu, err := url.Parse(u.Raw)
	if err != nil || pu.User == nil {
		return ""
	}
	return pu.User.String()
}

// UnicodeHost returns the host with IDNA labels decoded, for display and
// lookalike checks; the ASCII host when decoding fails.
func (u URL) UnicodeHost() string {
	h, err := idna.Punycode.ToUnicode(u.Host)
	if err != nil {
		return u.Host
	}
	return h
}

// IsLink says whether a reader clicks or is taken to this URL (as opposed to
// an embedded image or a URL in plain text).
func (u URL) IsLink() bool {
	return u.Source == SourceHref || u.Source == SourceAction || u.Source == SourceFrame
}

// textURL finds URLs in free text. It stops at characters that cannot be part
// of a URL in running text (space, quotes, angle brackets). findTextURLs does
// its work; this is the specification it is tested against.
var textURL = regexp.MustCompile(`(?i)\b(?:(?:https?|ftp)://|www\.)[^\s<>"'\x60{}|\\^\x00-\x1f]+`)

func (c *collector) text(b []byte, source string) {
	// Every match holds "://" or "www." and starts at most 5 bytes before
	// it (6 with a folded "ſ"), so the search only needs to run from just
	// before the first of them; two more bytes keep \b exact. Text with
	// neither, such as most PDF content streams, is not searched at all.
	first := firstURLMark(b)
	if first < 0 {
		return
	}
	b = b[max(0, first-8):]
	for _, m := range findTextURLs(b, MaxPerPart*4) {
		if c.full() {
			return
		}
		s := strings.TrimRight(string(m), ".,;:!?)]>")
		if source == SourceOffice {
			s = html.UnescapeString(s)
		}
		c.add(s, "", source)
	}
}

// firstURLMark is the index of the first "://" or "www." (any case) in b,
// or -1.
func firstURLMark(b []byte) int {
	first := bytes.Index(b, []byte("://"))
	limit := b
	if first >= 0 {
		limit = b[:first]
	}
	for off := 0; ; {
		i := bytes.IndexByte(limit[off:], '.')
		if i < 0 {
			return first
		}
		dot := off + i
		if dot >= 3 && limit[dot-3]|0x20 == 'w' && limit[dot-2]|0x20 == 'w' && limit[dot-1]|0x20 == 'w' {
			return dot - 3
		}
		off = dot + 1
	}
}

// xml handles Office XML and .rels parts: Target attributes (which include
// external templates and hyperlinks) and URLs in text. findRelTargets does
// relTarget's work; the regexp is the specification it is tested against.
var relTarget = regexp.MustCompile(`(?i)\bTarget\s*=\s*"([^"]*)"`)

func (c *collector) xml(b []byte) {
	for _, m := range findRelTargets(b, MaxPerPart) {
		t := html.UnescapeString(string(m[1]))
		if strings.Contains(t, "://") || strings.HasPrefix(strings.ToLower(t), "mhtml:") || strings.HasPrefix(t, `\\`) {
			c.add(t, "", SourceOffice)
		}
	}
	c.fields(b)
	c.text(b, SourceOffice)
}

// instrText is one piece of a Word field code; Word splits a field such as
// HYPERLINK "https://..." over as many runs as it likes.
var (
	instrText = regexp.MustCompile(`(?s)<w:instrText\b[^>]*>(.*?)</w:instrText>`)
	hyperlink = regexp.MustCompile(`(?i)\bHYPERLINK\s+(?:\\[a-z]\s+)*"([^"]{1,1000})"`)
)

// fields joins the field codes of a Word part, in order, and adds the
// targets of their HYPERLINK fields (and any other URL they spell).
func (c *collector) fields(b []byte) {
	if !containsAt(b, "instrText", len("instr")) { // "T" is rare in Word XML; "i" is not
		return
	}
	var codes []byte
	for _, m := range instrText.FindAllSubmatch(b, 20*MaxPerPart) {
		codes = append(codes, m[1]...)
		if len(codes) > MaxScanSize {
			break
		}
	}
	s := html.UnescapeString(string(codes))
	for _, m := range hyperlink.FindAllStringSubmatch(s, MaxPerPart) {
		if t := strings.TrimSpace(m[1]); strings.Contains(t, ":") || HasLowerPrefix([]byte(t), "www.") { // not a bookmark (\l "name")
			c.add(t, "", SourceOffice)
		}
	}
	c.text([]byte(s), SourceOffice)
}

// isCalendar: an iCalendar part (.ics invitation), by type, name or start.
func isCalendar(p *message.Part, b []byte) bool {
	switch p.DeclaredType {
	case "text/calendar", "application/ics", "text/x-vcalendar":
		return true
	}
	switch ext(p.Filename) {
	case "ics", "ical", "ifb", "vcs":
		return true
	}
	return HasLowerPrefix(bytes.TrimLeft(b[:min(len(b), 64)], "\xef\xbb\xbf\r\n\t "), "begin:vcalendar")
}

// pdf finds /URI actions, web addresses in the file specifications of
// other actions (GoToR, SubmitForm, ImportData, Launch: /F << /FS /URL /F
// (https://...) >>) and in scripts (/JS: app.launchURL, getURL,
// submitForm), which the reader opens. The name may be hex-escaped
// (/U#52I) and the string literal or hex.
func (c *collector) pdf(b []byte) {
	specs := 0
	EachPDFName(b, func(name []byte, end int) int {
		key := string(name) // no allocation: compared only
		if key != "URI" && key != "F" && key != "UF" && key != "JS" {
			return end
		}
		bound := MaxWrapper // a URL, read for the URL it wraps
		if key == "JS" {
			bound = maxPDFScript
		}
		v, next, ok := pdfStringAfter(b, end, bound)
		switch {
		case !ok:
			return end
		case key == "URI":
			c.add(v, "", SourcePDF)
		case key == "JS":
			if specs < maxPDFSpecs {
				specs++
				c.text([]byte(v), SourcePDF)
			}
		default: // F, UF
			if v = strings.TrimSpace(v); specs < maxPDFSpecs && (HasLowerPrefix([]byte(v), "http://") || HasLowerPrefix([]byte(v), "https://")) {
				specs++
				c.add(v, "", SourcePDF)
			}
		}
		if c.full() {
			return -1
		}
		return next
	})
}

// maxPDFSpecs bounds the file specifications and scripts of a PDF read for
// web addresses.
const maxPDFSpecs = 200

// maxPDFScript bounds the bytes of one /JS string read: a script is read
// whole (a link after kilobytes of comments is still a link), as far as a
// page's text is.
const maxPDFScript = maxTextOut

func (c *collector) addAttr(attrs tagAttrs, key, source string) {
	if v, ok := attrs.get(key); ok && strings.TrimSpace(v) != "" {
		c.add(v, "", source)
	}
}

// linkTag returns the name of a tag that can carry a URL, "" for any other.
// A namespace prefix is dropped: in an SVG file, which browsers read as
// XML, <svg:a> bound to the SVG namespace is a link like <a>.
func linkTag(name []byte) string {
	switch string(name) {
	case "v:roundrect", "v:rect", "v:oval", "v:shape":
		// VML shapes with an href are links in Outlook for Windows:
		// newsletters' buttons, in conditional comments (outlookOnly).
		return "vml"
	}
	switch string(localName(name)) {
	case "a":
		return "a"
	case "area":
		return "area"
	case "form":
		return "form"
	case "iframe":
		return "iframe"
	case "frame":
		return "frame"
	case "img":
		return "img"
	case "script":
		return "script"
	case "embed":
		return "embed"
	case "source":
		return "source"
	case "video":
		return "video"
	case "audio":
		return "audio"
	case "input":
		return "input"
	case "meta":
		return "meta"
	case "set":
		return "set"
	case "animate":
		return "animate"
	case "base":
		return "base"
	}
	return ""
}

// animatedHref adds the links an SVG animation element (<set>, <animate>)
// gives the link it animates: with attributeName href or xlink:href, its
// to, from and values (a list split at ";"). Chromium follows the
// animated value when the link is clicked, whatever the markup's href
// says, and an animation can name its link by href="#id" or give a link
// that has no href at all; each value the timeline may hold counts.
func (c *collector) animatedHref(attrs tagAttrs) {
	name, _ := attrs.get("attributename")
	if name = strings.ToLower(strings.TrimSpace(name)); name != "href" && !prefixedHref([]byte(name)) {
		return
	}
	for _, k := range [...]string{"to", "from", "values"} {
		v, _ := attrs.get(k)
		for n, s := range strings.Split(v, ";") {
			if n >= 16 {
				break
			}
			if s = strings.TrimSpace(s); s != "" {
				c.add(s, "", SourceHref)
			}
		}
	}
}

// baseURL is a page's <base href>: the first <base> with an href decides
// (browsers and the mail clients that keep it, Thunderbird's and Apple
// Mail's, resolve a relative link against it), when it is a web address.
type baseURL struct {
	seen bool
	u    *url.URL
}

func (b *baseURL) set(attrs tagAttrs) {
	h, ok := attrs.get("href")
	if b.seen || !ok {
		return
	}
	b.seen = true
	if u, err := url.Parse(strings.TrimSpace(h)); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		b.u = u
	}
}

// resolve is the link h resolved against the base, h itself when there
// is none or h is absolute.
func (b *baseURL) resolve(h string) string {
	if b.u == nil {
		return h
	}
	r, err := url.Parse(strings.TrimSpace(h))
	if err != nil || r.Scheme != "" {
		return h
	}
	return b.u.ResolveReference(r).String()
}

// localName is name without a namespace prefix (what follows its last ':').
func localName(name []byte) []byte {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// prefixedHref says whether an attribute's name is href with a namespace
// prefix: XML binds any prefix to XLink (xl:href as xlink:href).
func prefixedHref(k []byte) bool {
	return len(k) > len(":href") && bytes.HasSuffix(k, []byte(":href"))
}

// tagAttrs are one tag's attributes as the tokenizer returns them (keys
// lower-cased, values unescaped); they are valid until its next token.
type tagAttrs []tagAttr

type tagAttr struct{ k, v []byte }

// href is the link of an anchor: href, or SVG's xlink:href (SVG 1.1; SVG 2
// reads href first).
func (as tagAttrs) href() (string, bool) {
	if v, ok := as.get("href"); ok {
		return v, true
	}
	for _, a := range as {
		if prefixedHref(a.k) {
			return string(a.v), true
		}
	}
	return "", false
}

// get returns the value of the first attribute called key.
func (as tagAttrs) get(key string) (string, bool) {
	for _, a := range as {
		if string(a.k) == key {
			return string(a.v), true
		}
	}
	return "", false
}

// EachPDFName calls f with each name of b (#xx escapes decoded, the slash
// left off; good only during the call) and the index after it: the one
// walk over a PDF's names. f returns where the walk goes on (end, or past
// a value it read, so that a string's inside is not taken for names), or
// a negative index to stop.
func EachPDFName(b []byte, f func(name []byte, end int) (next int)) {
	var scratch [maxPDFName + 8]byte
	for i := 0; i < len(b); i++ {
		k := bytes.IndexByte(b[i:], '/')
		if k < 0 {
			return
		}
		i += k
		name, end := PDFNameBytes(b, i, scratch[:0])
		next := f(name, end)
		if next < 0 {
			return
		}
		i = max(next, i+1) - 1
	}
}

// PDFNameValues returns the string values that follow the PDF name /key
// (compared after #xx unescaping), decoded from literal or hex strings.
func PDFNameValues(b []byte, key string, max int) []string {
	var out []string
	if max <= 0 {
		return nil
	}
	EachPDFName(b, func(name []byte, end int) int {
		if string(name) == key {
			if v, next, ok := PDFStringAfter(b, end); ok {
				if out = append(out, v); len(out) >= max {
					return -1
				}
				return next
			}
		}
		return end
	})
	return out
}

// PDFStringAfter reads the literal or hex string that starts at b[i]
// after white space: its value and the index after it; ok is false for
// any other value (a dictionary's << too, whose own keys follow).
func PDFStringAfter(b []byte, i int) (v string, next int, ok bool) {
	return pdfStringAfter(b, i, MaxLength)
}

// pdfStringAfter is PDFStringAfter up to max bytes.
func pdfStringAfter(b []byte, i, max int) (v string, next int, ok bool) {
	for i < len(b) && pdfsyntax.Space(b[i]) {
		i++
	}
	switch {
	case i >= len(b):
		return "", i, false
	case b[i] == '(':
		v, next = pdfLiteralMax(b, i, max)
	case b[i] == '<' && (i+1 >= len(b) || b[i+1] != '<'):
		v, next = pdfHexMax(b, i, max)
	default:
		return "", i, false
	}
	return v, next, true
}

// maxPDFName bounds the bytes of one PDF name read, its slash included.
const maxPDFName = 128

// PDFName reads the name starting at b[i] == '/' and returns it with #xx
// escapes decoded, and the index just after it.
func PDFName(b []byte, i int) (string, int) {
	name, end := PDFNameBytes(b, i, nil)
	return string(name), end
}

// PDFNameBytes is PDFName without the allocation: the name is a slice of b,
// or, when it has #xx escapes, appended to buf[:0]. Either is only good until
// b or buf changes.
func PDFNameBytes(b []byte, i int, buf []byte) (name []byte, end int) {
	j := i + 1
	for ; j < len(b) && j-i < maxPDFName; j++ {
		ch := b[j]
		if pdfsyntax.Delimiter(ch) {
			return b[i+1 : j], j
		}
		if ch == '#' {
			return pdfEscapedName(b, i, j, buf)
		}
	}
	return b[i+1 : j], j
}

// PDFUnescape decodes the #xx escapes of every name in b, so that
// "/Fl#61teDecode" and "/Emb#65ddedFile" read as a PDF reader reads them.
// b is returned as is when it has no '#'.
func PDFUnescape(b []byte) []byte {
	if bytes.IndexByte(b, '#') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	var scratch [160]byte
	for i := 0; i < len(b); {
		if b[i] != '/' {
			out = append(out, b[i])
			i++
			continue
		}
		name, end := PDFNameBytes(b, i, scratch[:0])
		out = append(append(out, '/'), name...)
		i = max(end, i+1)
	}
	return out
}

// pdfEscapedName goes on from the first '#' at b[j] of the name at b[i].
func pdfEscapedName(b []byte, i, j int, buf []byte) ([]byte, int) {
	out := append(buf[:0], b[i+1:j]...)
	for ; j < len(b) && j-i < maxPDFName; j++ {
		ch := b[j]
		if pdfsyntax.Delimiter(ch) {
			break
		}
		if ch == '#' && j+2 < len(b) {
			if hi, lo := pdfsyntax.Unhex(b[j+1]), pdfsyntax.Unhex(b[j+2]); hi >= 0 && lo >= 0 {
				out = append(out, byte(hi<<4|lo))
				j += 2
				continue
			}
		}
		out = append(out, ch)
	}
	return out, j
}

// pdfLiteral decodes the literal string at b[i] == '(', up to MaxLength
// bytes, and returns the index after what it read.
func pdfLiteral(b []byte, i int) (string, int) { return pdfLiteralMax(b, i, MaxLength) }

// pdfLiteralMax is pdfLiteral up to max bytes.
func pdfLiteralMax(b []byte, i, max int) (string, int) {
	var sb strings.Builder
	depth := 0
	j := i
	for ; j < len(b) && sb.Len() < max; j++ {
		ch := b[j]
		switch {
		case ch == '\\' && j+1 < len(b):
			j++
			switch e := b[j]; e {
			case 'n':
				sb.WriteByte('\n')
			case 'r', 't', 'b', 'f':
			case '\r', '\n':
			default:
				if e >= '0' && e <= '7' {
					k := j
					for k < len(b) && k < j+3 && b[k] >= '0' && b[k] <= '7' {
						k++
					}
					v, _ := strconv.ParseUint(string(b[j:k]), 8, 16)
					sb.WriteByte(byte(v))
					j = k - 1
				} else {
					sb.WriteByte(e)
				}
			}
		case ch == '(':
			if depth > 0 {
				sb.WriteByte(ch)
			}
			depth++
		case ch == ')':
			depth--
			if depth == 0 {
				return sb.String(), j + 1
			}
			sb.WriteByte(ch)
		default:
			// A run of plain bytes is copied at once, no further than
			// max (where the loop stops): a string is mostly such runs.
			k := j + 1
			for k < len(b) && k-j < max-sb.Len() && !pdfLiteralSpecial[b[k]] {
				k++
			}
			sb.Write(b[j:k])
			j = k - 1
		}
	}
	return sb.String(), j
}

// pdfLiteralSpecial are the bytes pdfLiteralMax does more with than copy.
var pdfLiteralSpecial = [256]bool{'\\': true, '(': true, ')': true}

// pdfHex decodes the hex string at b[i] == '<', up to MaxLength bytes, and
// returns the index after what it read.
func pdfHex(b []byte, i int) (string, int) { return pdfHexMax(b, i, MaxLength) }

// pdfHexMax is pdfHex up to max bytes.
func pdfHexMax(b []byte, i, max int) (string, int) {
	var hex []byte
	j := i + 1
	for ; j < len(b) && b[j] != '>' && len(hex) < 2*max; j++ {
		if c := b[j]; ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F') {
			hex = append(hex, c)
		}
	}
	if len(hex)%2 == 1 {
		hex = append(hex, '0')
	}
	out := make([]byte, 0, len(hex)/2)
	for k := 0; k+1 < len(hex); k += 2 {
		v, _ := strconv.ParseUint(string(hex[k:k+2]), 16, 8)
		out = append(out, byte(v))
	}
	return string(out), j + 1
}

func isPDF(p *message.Part, b []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(b[:min(len(b), 1024)], "\x00\r\n\t "), []byte("%PDF-")) ||
		bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")) ||
		p.DetectedType == "application/pdf"
}

// IsHTML says whether a part is HTML (or SVG, which carries the same links and scripts).
func IsHTML(p *message.Part) bool {
	b := p.Content
	return isHTML(p, b[:min(len(b), MaxScanSize)])
}

func isHTML(p *message.Part, b []byte) bool {
	switch p.DeclaredType {
	case "text/html", "application/xhtml+xml", "image/svg+xml":
		return true
	}
	switch p.DetectedType {
	case "text/html", "image/svg+xml":
		return true
	}
	switch ext(p.Filename) {
	case "htm", "html", "xhtml", "xht", "xhtm", "shtml", "svg", "hta", "mht", "mhtml": // xht, xhtm: Chromium opens them as XHTML
		return true
	}
	head := bytes.TrimLeft(b[:min(len(b), 512)], "\xef\xbb\xbf\r\n\t ")
	for _, pre := range htmlStarts {
		if HasLowerPrefix(head, pre) {
			return true
		}
	}
	return false
}

var htmlStarts = []string{"<!doctype html", "<html", "<head", "<body", "<svg", "<script", "<a "}

// HasLowerPrefix says whether bytes.ToLower(b) starts with pre, a lower-case
// ASCII string, without lower-casing b: letters compare in either case, and
// İ (U+0130) and the Kelvin sign (U+212A), the only other runes whose lower
// case is ASCII, stand for "i" and "k".
func HasLowerPrefix(b []byte, pre string) bool {
	j := 0
	for n := 0; n < len(pre); n++ {
		c := pre[n]
		switch {
		case j < len(b) && (b[j] == c || ('A' <= b[j] && b[j] <= 'Z' && b[j]+'a'-'A' == c)):
			j++
		case c == 'i' && bytes.HasPrefix(b[j:], []byte("\u0130")):
			j += len("\u0130")
		case c == 'k' && bytes.HasPrefix(b[j:], []byte("\u212A")):
			j += len("\u212A")
		default:
			return false
		}
	}
	return true
}

func isXML(p *message.Part, b []byte) bool {
	switch ext(p.Filename) {
	case "xml", "rels", "vml":
		return true
	}
	if strings.HasSuffix(strings.ToLower(p.Path), ".rels") || strings.HasSuffix(strings.ToLower(p.Path), ".xml") {
		return true
	}
	return bytes.HasPrefix(bytes.TrimLeft(b[:min(len(b), 64)], "\xef\xbb\xbf\r\n\t "), []byte("<?xml"))
}

// looksText says whether b is worth searching for URLs as text: no NUL bytes
// near the start.
func looksText(b []byte) bool {
	return !bytes.Contains(b[:min(len(b), 4096)], []byte{0})
}

func ext(name string) string {
	name = strings.TrimRight(strings.ToLower(name), ". ")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return ""
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut at a rune boundary, never inside a UTF-8 sequence.
	for i := n; i > 0 && i > n-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i]
		}
	}
	return s[:n]
}

// collapseSpace is strings.Join(strings.Fields(s), " "). Link text is
// usually ASCII words with single spaces between them and after the last:
// that needs only the ends trimmed.
func collapseSpace(s string) string {
	if singleSpaced(s) {
		return strings.TrimPrefix(strings.TrimSuffix(s, " "), " ")
	}
	return strings.Join(strings.Fields(s), " ")
}

// singleSpaced: s is ASCII, its only white space is ' ', never two in a row.
func singleSpaced(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && i > 0 && s[i-1] == ' ':
			return false
		}
	}
	return true
}
