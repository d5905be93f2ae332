package heuristic

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/showntext"
	"github.com/kensa-milter/kensa/urls"
)

// An HTML attachment is opened in a browser, which runs its scripts: the
// page the reader sees is the markup its scripts write (document.write,
// innerHTML, ...) as much as its bytes. htmlPage reads the page the way
// phishing kits build it, without running anything: the markup, then the
// markup decoded from its scripts' strings (unescape, atob,
// decodeURIComponent, escape, hex and unicode escapes, char-code arrays,
// the pieces NormalizeJS joins), and again from that markup's scripts, a
// few layers deep. Every layer is read as Chromium reads markup: attribute
// names folded, the first of duplicate attributes kept, character
// references decoded, type=PASSWORD a password field, and a text field
// that CSS (-webkit-text-security) masks counted as one.

// Bounds of the decoding: layers below the part's own markup, their
// number, the markup one layer may hold, and the script text decoded for
// one page over all its layers (normalising costs about a microsecond a
// byte; as much as NormalizeJS reads, so that html-smuggling, which reads
// the part's own scripts normalised here, reads as far as it can).
const (
	maxPageDepth  = 3
	maxPageLayers = 8
	maxLayerBytes = maxJS
	maxPageJS     = maxJS
	maxScriptURLs = 100
)

// htmlPage is what the checks want to know of an HTML page, over all its
// layers.
type htmlPage struct {
	password bool       // a password field, or a text field CSS masks as one
	forms    []htmlForm // forms with the password fields inside them
	actions  []string   // every form action and button formaction
	script   string     // the scripts of every layer, normalised and decoded, NUL between scripts
	refresh  []string   // absolute http(s) targets of meta refresh
	frames   []pageFrame
	text     int // visible characters (not spaces) of every layer
	jsRead   int // script bytes decoded so far (maxPageJS)
	layers   int // layers decoded from scripts
	// written is the markup of the layers below the part's own (what its
	// scripts write, its iframes' srcdoc), whose URLs partURLs reads
	written [][]byte
	// scriptURLs are the string literals of the decoded scripts (every
	// layer) that are absolute web addresses: where the page sends the
	// window or what it types in, whose URLs partURLs reads too
	scriptURLs []string
	// loads are where the page's relative addresses and scripts come
	// from: every <base href> and <script src>, as written or resolved
	loads []string
	// scriptSrcs are the web addresses of its <script src> elements
	scriptSrcs []string
	// ownJS is the part's own scripts as joinScripts joins them, and
	// normalized the same as NormalizeJS leaves them (normalizedRead: it
	// was made); see ownScripts
	ownJS          string
	normalized     string
	normalizedRead bool
	// links are the page's links to web addresses (every layer), which its
	// script may click by their id, class or place
	links []pageLink
	// unread: some of the page was not read (script past the budget,
	// markup written below the last layer decoded, literals past
	// maxScriptURLs), so where it sends is not all known
	unread bool
}

// pageLink is a link of the page's markup: <a> or <area> with a web
// address.
type pageLink struct {
	href, id, class string
	download        bool
}

// maxPageLinks is how many links of a page are kept for its script to click.
const maxPageLinks = 200

type htmlForm struct {
	action   string
	password bool
}

// pageScript is one script of the page: an element's text, or an event
// handler attribute with the handler's name.
type pageScript struct {
	text, handler string
	auto          bool // a handler that runs without the reader (firesByItself, firesHere)
}

type pageFrame struct {
	src  string
	full bool // sized to fill the window
}

// page reads p as a browser renders it, once per scan. An attachment is
// opened in a browser, which runs its scripts, so the markup they write is
// read too; a body's scripts no mail client runs.
func (e *env) page(p *message.Part) *htmlPage {
	if pg, ok := e.pages[p]; ok {
		return pg
	}
	pg := &htmlPage{text: e.htmlChars(p)} // read counts the layers that scripts write
	pg.read(head(p), 0, e.isAttachment(p))
	if e.pages == nil { // most messages have no page to read
		e.pages = map[*message.Part]*htmlPage{}
	}
	e.pages[p] = pg
	return pg
}

// activeTags are the elements that make a page worth reading as a browser
// builds it: script, fields, frames, meta refresh.
var activeTags = set("script", "input", "form", "iframe", "frame", "embed", "object")

// activePage says whether p's markup has an element of activeTags, a meta
// refresh, or an event-handler attribute (<img onerror=...> runs script
// too): without one, neither HTML page check has anything to read. Two
// byte searches, remembered for the part; most newsletters have none.
func (e *env) activePage(p *message.Part) bool {
	if v, ok := e.active[p]; ok {
		return v
	}
	b := e.lower(p).b
	v := hasActiveTag(b) || hasHandler(b)
	if e.active == nil {
		e.active = map[*message.Part]bool{}
	}
	e.active[p] = v
	return v
}

func hasActiveTag(b []byte) bool {
	for i := 0; i < len(b); i++ {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 {
			return false
		}
		i += k + 1
		n := i
		for n < len(b) && (b[n] >= 'a' && b[n] <= 'z' || b[n] >= '0' && b[n] <= '9') {
			n++
		}
		switch name := string(b[i:n]); {
		case activeTags[name]:
			return true
		case name == "meta": // <meta http-equiv=refresh>, not <meta charset>
			end := bytes.IndexByte(b[n:], '>')
			if end < 0 {
				end = len(b) - n
			}
			if bytes.Contains(b[n:n+end], []byte("refresh")) {
				return true
			}
		}
	}
	return false
}

// hasHandler: "on" and letters and "=" after a space, quote or slash, as
// an event-handler attribute is written (and as a browser reads one right
// after a quoted value). Looked for in the whole text, not tag by tag, so
// that a ">" inside a quoted value cannot hide one; prose rarely matches.
func hasHandler(b []byte) bool {
	for i := 1; i < len(b); i++ {
		k := bytes.Index(b[i:], []byte("on"))
		if k < 0 {
			return false
		}
		i += k
		if c := b[i-1]; (c <= ' ' || c == '"' || c == '\'' || c == '/') && isHandlerName(b[i+2:]) {
			return true
		}
	}
	return false
}

// isHandlerName: b starts with letters then "=" (spaces allowed before
// it), the rest of an event-handler attribute after "on".
func isHandlerName(b []byte) bool {
	n := 0
	for n < len(b) && n < 40 && b[n] >= 'a' && b[n] <= 'z' {
		n++
	}
	if n == 0 {
		return false
	}
	for n < len(b) && b[n] <= ' ' {
		n++
	}
	return n < len(b) && b[n] == '='
}

// isAttachment: a part a reader opens as a file (named, or inside a
// container), not the body a mail client shows.
func (e *env) isAttachment(p *message.Part) bool { return p.Filename != "" || e.inContainer(p) }

// read adds one layer of markup (depth 0 is the part's own) and, with
// scripts, the layers its scripts write.
func (pg *htmlPage) read(b []byte, depth int, scripts bool) {
	l := readLayer(b)
	pg.password = pg.password || l.password
	pg.forms = append(pg.forms, l.forms...)
	pg.actions = append(pg.actions, l.actions...)
	pg.refresh = append(pg.refresh, l.refresh...)
	pg.frames = append(pg.frames, l.frames...)
	pg.links = append(pg.links, l.links[:min(len(l.links), maxPageLinks-min(len(pg.links), maxPageLinks))]...)
	pg.loads = append(pg.loads, l.loads...)
	pg.scriptSrcs = append(pg.scriptSrcs, l.srcs...)
	// The text the reader sees, so that padding hidden from the reader
	// does not make a loader look like a page of its own; the part's own
	// markup was counted by page.
	if depth > 0 {
		pg.text += showntext.Chars(b)
	}
	js := pg.joinScripts(l.scripts, scripts)
	if depth == 0 {
		pg.ownJS = js
	}
	if !scripts {
		return
	}
	decoded := ""
	if js != "" {
		n := NormalizeJS(js)
		if depth == 0 {
			pg.normalized, pg.normalizedRead = n, true
		}
		decoded = decodeNormalized(n)
		pg.script += decoded + "\n\x00"
	}
	pg.password = pg.password || scriptMakesPassword(decoded)
	m, web := scriptStrings(decoded, maxScriptURLs-len(pg.scriptURLs))
	pg.scriptURLs = append(pg.scriptURLs, web...)
	if len(pg.scriptURLs) >= maxScriptURLs {
		pg.unread = true
	}
	next := l.srcdoc
	if m != "" {
		next = append(next, m)
	}
	next = append(next, inflatedMarkup(decoded)...)
	if depth >= maxPageDepth {
		pg.unread = pg.unread || len(next) > 0
		return
	}
	for _, m := range next {
		if pg.layers >= maxPageLayers {
			pg.unread = true
			return
		}
		pg.unread = pg.unread || len(m) > maxLayerBytes
		pg.layers++
		b := []byte(m[:min(len(m), maxLayerBytes)])
		pg.written = append(pg.written, b)
		pg.read(b, depth+1, true)
	}
}

// joinScripts joins a layer's scripts with NUL between them, within what
// is left of maxPageJS; a handler that waits for the reader (onclick,
// onsubmit, ...) starts with waitsMark. count: the page reads them (an
// attachment), so they spend its budget.
func (pg *htmlPage) joinScripts(scripts []pageScript, count bool) string {
	var js strings.Builder
	for _, s := range scripts {
		left := maxPageJS - pg.jsRead - js.Len() - 3
		if left < len(s.text)+1 && count {
			pg.unread = true
		}
		if left <= 0 {
			break
		}
		if s.handler != "" && !s.auto {
			js.WriteByte(waitsMark)
		}
		js.WriteString(s.text[:min(len(s.text), left)])
		js.WriteString("\n\x00")
	}
	if count {
		pg.jsRead += js.Len()
	}
	return js.String()
}

// ownScripts is the part's own scripts (not those of the layers they
// write) as NormalizeJS leaves them, normalised once per scan: what the
// page decodes for an attachment, and what html-smuggling reads in any
// HTML part.
func (e *env) ownScripts(p *message.Part) string {
	pg := e.page(p)
	if !pg.normalizedRead {
		pg.normalized, pg.normalizedRead = NormalizeJS(pg.ownJS), true
	}
	return pg.normalized
}

// pageLayer is what one layer of markup holds.
type pageLayer struct {
	password bool
	forms    []htmlForm
	actions  []string
	scripts  []pageScript
	srcdoc   []string
	refresh  []string
	frames   []pageFrame
	loads    []string
	srcs     []string // web addresses of <script src>
	links    []pageLink
}

// textLikeInput: input types that show what is typed (so CSS can mask them).
var textLikeInput = set("", "text", "email", "tel", "search", "url", "number")

func readLayer(b []byte) pageLayer {
	var l pageLayer
	z := html.NewTokenizer(bytes.NewReader(b))
	z.SetMaxBuf(1 << 20)
	base := ""
	inForm, masked, textInput := -1, false, false
	var raw string // the element whose raw text comes next: script or style
	for i := 0; i < 1_000_000; i++ {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			t := z.Text()
			switch raw {
			case "script":
				l.scripts = append(l.scripts, pageScript{text: string(t)})
			case "style":
				masked = masked || textSecurity(t)
			}
			raw = ""
			continue
		case html.EndTagToken:
			raw = ""
			name, _ := z.TagName()
			if string(name) == "form" {
				inForm = -1
			}
			continue
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		name, hasAttr := z.TagName()
		raw = ""
		var a map[string]string
		if hasAttr {
			a = attrs(z)
		}
		for k, v := range a {
			if strings.HasPrefix(k, "on") && len(k) > 2 {
				l.scripts = append(l.scripts, pageScript{text: v, handler: k, auto: firesHere(string(name), k, a)})
			}
		}
		switch tag := string(name); tag {
		case "script", "style":
			if tt == html.StartTagToken {
				raw = tag
			}
			src, ok := a["src"]
			if !ok && tag == "script" {
				// an SVG script's address is its href (SVG 2) or
				// xlink:href; HTML's script has no href to load
				src, ok = a["href"]
				if !ok {
					src, ok = a["xlink:href"]
				}
			}
			if ok && tag == "script" {
				l.loads = append(l.loads, resolveAction(src, base))
				if u := absoluteWeb(src, base); u != "" {
					l.srcs = append(l.srcs, u)
				}
			}
		case "base":
			if h, ok := a["href"]; ok {
				l.loads = append(l.loads, h)
			}
			if base == "" {
				base = absoluteWeb(a["href"], "")
			}
		case "form":
			l.forms = append(l.forms, htmlForm{action: resolveAction(a["action"], base)})
			inForm = len(l.forms) - 1
			l.actions = append(l.actions, l.forms[inForm].action)
		case "input", "button":
			if f := a["formaction"]; f != "" {
				l.actions = append(l.actions, resolveAction(f, base))
			}
			if tag == "button" {
				break
			}
			t := strings.ToLower(a["type"]) // no trimming: " password" is a text field to Chromium
			pw := t == "password" || textLikeInput[t] && textSecurity([]byte(a["style"]))
			textInput = textInput || textLikeInput[t]
			if pw {
				l.password = true
				if inForm >= 0 {
					l.forms[inForm].password = true
				}
			}
		case "meta":
			if strings.EqualFold(strings.TrimSpace(a["http-equiv"]), "refresh") {
				if u := refreshTarget(a["content"]); u != "" {
					if u = absoluteWeb(u, base); u != "" {
						l.refresh = append(l.refresh, u)
					}
				}
			}
		case "a", "area":
			if u := absoluteWeb(a["href"], base); u != "" && len(l.links) < maxPageLinks {
				_, dl := a["download"]
				l.links = append(l.links, pageLink{href: u, id: a["id"], class: a["class"], download: dl})
			}
		case "iframe", "frame", "embed", "object":
			src := a["src"]
			if tag == "object" {
				src = a["data"]
			}
			if u := absoluteWeb(src, base); u != "" {
				l.frames = append(l.frames, pageFrame{src: u, full: tag == "frame" || fillsWindow(a)})
			}
			if d, ok := a["srcdoc"]; ok && tag == "iframe" {
				l.srcdoc = append(l.srcdoc, d)
			}
		}
	}
	// A style sheet that masks text fields makes each one a password box.
	if masked && textInput && !l.password {
		l.password = true
		for i := range l.forms {
			l.forms[i].password = true
		}
	}
	return l
}

// textSecurity: CSS that draws a text field's characters as dots.
func textSecurity(css []byte) bool {
	if !containsLower(css, "text-security") {
		return false
	}
	l := bytes.ToLower(css)
	for {
		i := bytes.Index(l, []byte("text-security"))
		if i < 0 {
			return false
		}
		l = l[i+len("text-security"):]
		v := bytes.TrimLeft(l, " \t\r\n")
		if len(v) > 0 && v[0] == ':' {
			v = bytes.TrimLeft(v[1:], " \t\r\n")
			for _, k := range []string{"disc", "circle", "square"} {
				if bytes.HasPrefix(v, []byte(k)) {
					return true
				}
			}
		}
	}
}

// resolveAction is where a form posts: its action made absolute against a
// <base href> when it is relative. An empty action posts to the page
// itself, whatever the base.
func resolveAction(action, base string) string {
	a := strings.TrimSpace(action)
	if a == "" || base == "" || strings.Contains(a, ":") {
		return a
	}
	if u := absoluteWeb(a, base); u != "" {
		return u
	}
	return a
}

// absoluteWeb returns ref as an absolute http(s) URL, resolved against
// base (an absolute URL or ""), or "" when it names no web page: a relative
// reference in a file the reader opened resolves to a local file.
func absoluteWeb(ref, base string) string {
	r := strings.TrimSpace(ref)
	l := strings.ToLower(r)
	switch {
	case strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://"):
		return r
	case base == "" || r == "" || strings.Contains(l[:strings.IndexAny(l+"/?#", "/?#")], ":"):
		return ""
	case strings.HasPrefix(r, "//"):
		return base[:strings.Index(base, ":")+1] + r
	}
	u := urls.Parse(base)
	if u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/" + strings.TrimLeft(r, "/")
}

// refreshTarget reads a meta refresh's content as Chromium does: a delay
// (digits, maybe a fraction), then ';' or ',' or spaces, then the URL with
// or without "url=" and quotes. "" when the refresh goes nowhere else or
// waits longer than a reader would.
func refreshTarget(content string) string {
	s := strings.TrimLeft(content, " \t\r\n\f")
	n := 0
	for n < len(s) && (s[n] >= '0' && s[n] <= '9' || s[n] == '.') {
		n++
	}
	if n == 0 || s[0] == '.' {
		return ""
	}
	if d, err := strconv.ParseFloat(strings.TrimRight(s[:n], "."), 64); err != nil || d > 30 {
		return ""
	}
	s = s[n:]
	if s != "" && !strings.ContainsRune(" \t\r\n\f;,", rune(s[0])) {
		return ""
	}
	s = strings.TrimLeft(s, " \t\r\n\f")
	if s != "" && (s[0] == ';' || s[0] == ',') {
		s = strings.TrimLeft(s[1:], " \t\r\n\f")
	}
	if len(s) >= 4 && strings.EqualFold(s[:4], "url=") {
		s = strings.TrimLeft(s[4:], " \t\r\n\f")
	}
	if s != "" && (s[0] == '\'' || s[0] == '"') {
		if i := strings.IndexByte(s[1:], s[0]); i >= 0 {
			s = s[1 : i+1]
		} else {
			s = s[1:]
		}
	}
	return strings.TrimSpace(s)
}

// fillsWindow: a frame sized to cover the page, by attributes or its style.
func fillsWindow(a map[string]string) bool {
	full := func(v string) bool {
		v = strings.TrimSpace(v)
		if p, ok := strings.CutSuffix(v, "%"); ok {
			n, err := strconv.ParseFloat(p, 64)
			return err == nil && n >= 90
		}
		return false
	}
	if full(a["width"]) && full(a["height"]) {
		return true
	}
	st := strings.ReplaceAll(strings.ToLower(a["style"]), " ", "")
	w := strings.Contains(st, "width:100%") || strings.Contains(st, "width:100vw") || strings.Contains(st, "right:0")
	h := strings.Contains(st, "height:100%") || strings.Contains(st, "height:100vh") || strings.Contains(st, "bottom:0")
	return w && h || strings.Contains(st, "inset:0")
}

// --- script decoding ---

var (
	// jsDecodeCall is a decoding function applied to one string literal.
	jsDecodeCall = regexp.MustCompile(`\b(unescape|decodeURIComponent|decodeURI|atob|escape)\s*\(\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|` + "`(?:[^`\\\\$]|\\\\.)*`" + `)\s*\)`)
	// jsGlobalDecoder is a decoder called as the window's (window.atob(...)).
	jsGlobalDecoder = regexp.MustCompile(`\b(?:window|self|globalThis)\s*\.\s*(unescape|decodeURIComponent|decodeURI|atob|escape)\s*\(`)
	// jsCodeArray is an array of at least eight character codes.
	jsCodeArray = regexp.MustCompile(`\[\s*((?:0x[0-9a-fA-F]{1,6}|\d{1,7})(?:\s*,\s*(?:0x[0-9a-fA-F]{1,6}|\d{1,7})){7,})\s*,?\s*\]`)
)

// decodeJS is s with obfuscated strings spelled out (NormalizeJS), then
// decoding calls on literals replaced by what they return, and arrays of
// character codes by the string they spell when the script calls
// fromCharCode; a few passes, for calls inside calls.
func decodeJS(s string) string { return decodeNormalized(NormalizeJS(s)) }

// decodeNormalized is decodeJS of a script NormalizeJS already normalised.
func decodeNormalized(s string) string {
	if strings.Contains(s, ".") {
		s = jsGlobalDecoder.ReplaceAllString(s, "$1(")
	}
	steps, runSteps := maxFoldSteps, maxRunSteps
	codes := containsLower([]byte(s), "fromcharcode")
	for pass := 0; pass < 4; pass++ {
		changed := false
		if strings.Contains(s, "(") {
			s = jsDecodeCall.ReplaceAllStringFunc(s, func(m string) string {
				g := jsDecodeCall.FindStringSubmatch(m)
				v, ok := jsDecode(g[1], jsUnquote(g[2]))
				if !ok {
					return m
				}
				changed = true
				return jsEscapedQuote(v)
			})
		}
		if codes {
			s = jsCodeArray.ReplaceAllStringFunc(s, func(m string) string {
				var sb strings.Builder
				for _, a := range strings.Split(jsCodeArray.FindStringSubmatch(m)[1], ",") {
					v, err := strconv.ParseInt(strings.TrimSpace(strings.ToLower(a)), 0, 32)
					if err != nil || v > utf8.MaxRune {
						return m
					}
					sb.WriteRune(rune(v))
				}
				changed = true
				return jsEscapedQuote(sb.String())
			})
			codes = false
		}
		if !changed {
			break
		}
		s = joinLiterals(foldValues(resolveAliases(joinLiterals(s), scriptRun(s, &runSteps)), &steps))
		if len(s) > 2*maxJS {
			s = strings.ToValidUTF8(s[:2*maxJS], "")
		}
	}
	return s
}

// jsDecode is what the JavaScript function fn returns for the string v;
// false when it would throw (we then leave the call as it is). Strings are
// held as Go strings of their code points: atob's bytes as U+0000-U+00FF.
func jsDecode(fn, v string) (string, bool) {
	switch fn {
	case "atob":
		c := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
				return -1
			}
			return r
		}, v)
		b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(c, "="))
		if err != nil {
			return "", false
		}
		var sb strings.Builder
		for _, x := range b {
			sb.WriteRune(rune(x))
		}
		return sb.String(), true
	case "escape":
		var sb strings.Builder
		for _, r := range v {
			switch {
			case r < 0x80 && (isIdentByte(byte(r)) && r != '$' || strings.ContainsRune("@*_+-./", r)):
				sb.WriteRune(r)
			case r < 0x100:
				sb.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(r)|0x100, 16)[1:]))
			default:
				sb.WriteString("%u" + strings.ToUpper(strconv.FormatInt(int64(r)|0x10000, 16)[1:]))
			}
		}
		return sb.String(), true
	case "unescape":
		var sb strings.Builder
		for i := 0; i < len(v); i++ {
			if v[i] == '%' {
				if i+5 < len(v) && (v[i+1] == 'u' || v[i+1] == 'U') {
					if n, err := strconv.ParseUint(v[i+2:i+6], 16, 16); err == nil {
						sb.WriteRune(rune(n))
						i += 5
						continue
					}
				}
				if i+2 < len(v) {
					if n, err := strconv.ParseUint(v[i+1:i+3], 16, 8); err == nil {
						sb.WriteRune(rune(n))
						i += 2
						continue
					}
				}
			}
			sb.WriteByte(v[i])
		}
		return sb.String(), true
	default: // decodeURIComponent, decodeURI: %XX are UTF-8 bytes
		var b []byte
		for i := 0; i < len(v); i++ {
			if v[i] == '%' {
				if i+2 >= len(v) {
					return "", false
				}
				n, err := strconv.ParseUint(v[i+1:i+3], 16, 8)
				if err != nil {
					return "", false
				}
				b = append(b, byte(n))
				i += 2
				continue
			}
			b = append(b, v[i])
		}
		if !utf8.Valid(b) {
			return "", false
		}
		return string(b), true
	}
}

// scriptStrings reads the string literals of the script s, in order: the
// markup they hold (only literals that hold a tag count), what
// document.write, innerHTML and the like put on the page; and the absolute
// web addresses they are (a location, a fetch or form target, a
// window.open), at most left of them.
func scriptStrings(s string, left int) (markup string, webURLs []string) {
	if !strings.Contains(s, "<") && !strings.Contains(s, `\`) && !strings.Contains(s, "://") {
		return "", nil
	}
	var sb strings.Builder
	for i := 0; i < len(s) && sb.Len() < maxLayerBytes; i++ {
		q := s[i]
		if q != '"' && q != '\'' && q != '`' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] != q && (s[j] != '\n' || q == '`') {
			if s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(s) {
			break
		}
		if s[j] != q { // a line break ends a broken literal
			i = j
			continue
		}
		lit := s[i : j+1]
		i = j
		tag := strings.Contains(lit, "<")
		if !tag && !strings.Contains(lit, `\`) && !strings.Contains(lit, "://") {
			continue
		}
		v := jsUnquote(lit)
		if hasTag(v) {
			sb.WriteString(v)
		} else if len(webURLs) < left && !tag && holdsWebAddress(v) {
			webURLs = append(webURLs, v[:min(len(v), maxScriptString)])
		}
	}
	return sb.String(), webURLs
}

// maxScriptString bounds the text of one literal read for web addresses.
const maxScriptString = 8 << 10

// holdsWebAddress: v is one absolute http(s) URL with a host, or text
// with one inside ("Sign in at https://...", a JSON object's values), which
// urls.ExtractPage reads out.
func holdsWebAddress(v string) bool {
	for i := 0; i+4 < len(v); {
		k := strings.Index(v[i:], "://")
		if k < 0 {
			return false
		}
		k += i
		if k+3 < len(v) && v[k+3] > ' ' && v[k+3] != '/' && (hasLowerSuffix(v[:k], "http") || hasLowerSuffix(v[:k], "https")) {
			return true
		}
		i = k + 3
	}
	return false
}

func hasLowerSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// hasTag: s holds "<" and a letter, "/" or "!", as a tag starts.
func hasTag(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0 && i+1 < len(s); {
		c := s[i+1] | 0x20
		if c >= 'a' && c <= 'z' || s[i+1] == '/' || s[i+1] == '!' {
			return true
		}
		k := strings.IndexByte(s[i+1:], '<')
		if k < 0 {
			return false
		}
		i += 1 + k
	}
	return false
}

// --- checks ---

// checkCredentialForm: a page that takes a password and sends it away. In
// a body (whose scripts no mail client runs) that is a form posting to a
// data: URL or to a domain that is not the sender's. An attachment is a
// page the reader opens in a browser: any layer's password field with a
// form or button posting to the web, or a script that sends data (fetch,
// XMLHttpRequest, jQuery, sendBeacon, a WebSocket, an image request, the
// Telegram bot API, or a form action set by script).
func checkCredentialForm(e *env, p *message.Part) []string {
	if !urls.IsHTML(p) {
		return nil
	}
	attachment := e.isAttachment(p)
	if attachment && !e.activePage(p) || !attachment && !e.hasLower(p, "<form") {
		return nil
	}
	pg := e.page(p)
	if !pg.password {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(d string) {
		if d != "" && !seen[d] && len(out) < 10 {
			seen[d] = true
			out = append(out, d)
		}
	}
	if !attachment {
		for _, f := range pg.forms {
			if f.password {
				add(judgeAction(e, f.action, false))
			}
		}
		return out
	}
	for _, a := range pg.actions {
		add(judgeAction(e, a, true))
	}
	if len(out) == 0 {
		if how := scriptSends(pg.script); how != "" {
			add("password field in an attachment, " + how)
		}
	}
	if len(out) > 0 && e.secureEnvelope(p, pg) {
		return nil // an encrypted-mail service's envelope, sending only to it
	}
	if len(out) > 0 && pg.layers > 0 {
		out[0] += " (page written by script)"
	}
	return out
}

// jsSends are the ways a script sends what was typed: each match is the
// sending call.
var jsSends = regexp.MustCompile(`\bfetch\s*\(|\bXMLHttpRequest\b|\bActiveXObject\s*\(\s*["'](?:Microsoft|Msxml2)\.XMLHTTP|\.\s*ajax\s*\(|\$\s*\.\s*(?:post|get|getJSON)\s*\(|\baxios\b|\.\s*sendBeacon\s*\(|\bnew\s+WebSocket\s*\(|\bnew\s+Image\s*\(|api\.telegram\.org|` + jsSetsAction)

// jsSetsAction is a script pointing a form (or a button's formaction) at
// an address: f.action = ..., btn.formAction = ..., setAttribute("action",
// ...) in any case, jQuery's attr/prop, f.attributes.action.value = ....
// The form then sends where the script says when it is submitted (by the
// reader's click, or by f.submit() / requestSubmit()).
const jsSetsAction = `\.\s*(?:action|formAction)\s*=[^=]|(?i:setAttribute(?:NS\s*\(\s*[^,()]*)?\s*[(,]\s*["'](?:form)?action["'])|\.\s*(?:attr|prop)\s*\(\s*["'](?i:(?:form)?action)["']\s*,|\battributes\s*\.\s*(?:form)?action\b`

// jsWebURL is an absolute web address in a script.
var jsWebURL = regexp.MustCompile(`(?i)https?://[a-z0-9\-._~%]+(?::\d+)?`)

// scriptSends says how the page's script sends data away ("" when it does
// not): the call, and the first web address after it (else the first in
// the script).
func scriptSends(js string) string {
	if js == "" {
		return ""
	}
	loc := jsSends.FindStringIndex(js)
	if loc == nil {
		return ""
	}
	call := strings.Join(strings.Fields(strings.TrimRight(js[loc[0]:loc[1]], "(=\"' \t")), " ")
	if strings.Contains(call, "telegram") {
		call = "the Telegram bot API"
	}
	u := jsWebURL.FindString(js[loc[0]:min(len(js), loc[1]+400)])
	if u == "" {
		u = jsWebURL.FindString(js)
	}
	if u == "" {
		return "sent by " + show(call) + " to an address the script builds"
	}
	return "sent by " + show(call) + " to " + show(urls.Parse(u).Host)
}

// smallPage is the visible text (characters other than spaces, over every
// layer) below which a page shows nothing of its own: a redirector's
// "Loading your document...".
const smallPage = 200

// checkHTMLRedirect: an HTML attachment that takes the reader to a remote
// page as soon as it opens: a meta refresh, a script that sets the
// window's location at its top level (or anywhere in a page that shows
// nothing of its own), or a frame of a remote page across the window.
// Links to click are not redirects; bodies are left to mail clients,
// which do neither.
func checkHTMLRedirect(e *env, p *message.Part) []string {
	if !urls.IsHTML(p) || !e.isAttachment(p) || !e.activePage(p) {
		return nil
	}
	pg := e.page(p)
	small := pg.text < smallPage
	written := ""
	if pg.layers > 0 {
		written = " (page written by script)"
	}
	if len(pg.refresh) > 0 {
		return []string{"HTML attachment refreshes to " + show(urls.Parse(pg.refresh[0]).Host) + " (meta refresh)" + written}
	}
	if u := scriptNavigates(pg.script); u != "" {
		return []string{"HTML attachment's script sends the window to " + show(urls.Parse(u).Host) + written}
	}
	if m := pg.captcha(head(p)); m != "" {
		if u := scriptNavigatesAtAll(pg.script); u != "" {
			return []string{"HTML attachment shows a CAPTCHA (" + show(m) + ") and its script sends the window to " + show(urls.Parse(u).Host) + written}
		}
	}
	if u := scriptSubmits(pg); u != "" {
		return []string{"HTML attachment's script submits its form to " + show(urls.Parse(u).Host) + " by itself" + written}
	}
	if u := scriptClicksLink(pg.script); u != "" {
		return []string{"HTML attachment's script clicks a link to " + show(urls.Parse(u).Host) + " by itself" + written}
	}
	if u := scriptClicksMarkupLink(pg); u != "" {
		return []string{"HTML attachment's script clicks its link to " + show(urls.Parse(u).Host) + " by itself" + written}
	}
	for _, f := range pg.frames {
		if f.full || small {
			return []string{"HTML attachment shows " + show(urls.Parse(f.src).Host) + " in a frame across the window" + written}
		}
	}
	if u := remoteScript(pg); u != "" {
		return []string{"HTML attachment with almost nothing of its own draws its page from a script at " + show(urls.Parse(u).Host) + written}
	}
	return nil
}

// jsNavigate sets the window's location to a string literal (or opens it
// in the same window); jQuery's $(location).attr("href", u) and
// $(window).attr("location", u), and Reflect.set(window, "location", u),
// set it too.
var jsNavigate = regexp.MustCompile(`\blocation(?:\s*\.\s*href)?\s*=\s*` + jsLit + `|\blocation\s*\.\s*(?:replace|assign)\s*\(\s*` + jsLit +
	`|\bopen\s*\(\s*` + jsLit + `\s*,\s*["'](?:_self|_top|_parent)["']` +
	`|\$\s*\(\s*(?:(?:window|document)\s*\.\s*)?location\s*\)\s*\.\s*(?:attr|prop)\s*\(\s*["']href["']\s*,\s*` + jsLit +
	`|\$\s*\(\s*(?:window|document)\s*\)\s*\.\s*(?:attr|prop)\s*\(\s*["']location["']\s*,\s*` + jsLit +
	`|\bReflect\s*\.\s*set\s*\(\s*(?:window|document|self|top)\s*,\s*["']location["']\s*,\s*` + jsLit)

// jsLinkHref gives an element of the script a web address: x.href = "…"
// or x.setAttribute("href", "…"); the element's variable is the first group.
var jsLinkHref = regexp.MustCompile(`([\w$]+)\s*\.\s*(?:href\s*=\s*` + jsLit + `|setAttribute\s*\(\s*["']href["']\s*,\s*` + jsLit + `)`)

// jsAssignedClick makes a link with its address and clicks it in one
// expression: Object.assign(document.createElement("a"), {href: "…"}).click().
var jsAssignedClick = regexp.MustCompile(`Object\s*\.\s*assign\s*\(\s*document\s*\.\s*createElement\s*\(\s*["']a["']\s*\)\s*,\s*\{[^{}]{0,256}?\bhref\s*:\s*` +
	jsLit + `[^{}]{0,256}\}\s*\)\s*\.\s*click\s*\(`)

// maxClickReach is how far after giving a link its address the script's
// click of it is looked for.
const maxClickReach = 2048

// scriptClicksLink returns the web address of a link the script gives an
// address and clicks by itself (a.href = u; a.click()), which Chromium
// follows as if the reader had clicked; "" for none. A link the script
// names a download for saves a file instead (html-smuggling's savedName).
func scriptClicksLink(js string) string {
	if !strings.Contains(js, "click") || !strings.Contains(js, "href") {
		return ""
	}
	budget := maxRunsSteps
	if strings.Contains(js, "assign") {
		for _, m := range jsAssignedClick.FindAllStringSubmatchIndex(js, 20) {
			if u := absoluteWeb(jsUnquote(js[m[2]:m[3]]), ""); u != "" && !strings.Contains(js[m[0]:m[1]], "download") && runsByItself(js, m[0], 0, &budget) {
				return u
			}
		}
	}
	for _, m := range jsLinkHref.FindAllStringSubmatchIndex(js, 20) {
		g := 4 // the literal after href =, or setAttribute's
		if m[g] < 0 {
			g = 6
		}
		lit := js[m[g]:m[g+1]]
		u := absoluteWeb(jsUnquote(lit), "")
		if u == "" {
			continue
		}
		name, after := js[m[2]:m[3]], js[m[1]:min(len(js), m[1]+maxClickReach)]
		if i := clickOf(after, name); i >= 0 && !strings.Contains(after[:i], "download") && runsByItself(js, m[1]+i, 0, &budget) {
			return u
		}
	}
	return ""
}

// jsFindLink finds an element of the page's markup: by id
// (getElementById("x"), first group), by selector (querySelector("a.go"),
// second), as the document's nth link (document.links[0], third;
// getElementsByTagName("a")[0], fourth) or by class (getElementsByClassName("go")[0],
// fifth and sixth).
var jsFindLink = regexp.MustCompile(`getElementById\s*\(\s*` + jsLit + `\s*\)|querySelector\s*\(\s*` + jsLit + `\s*\)` +
	`|\blinks\s*\[\s*(\d+)\s*\]|getElementsByTagName\s*\(\s*["'](?:a|A)["']\s*\)\s*\[\s*(\d+)\s*\]` +
	`|getElementsByClassName\s*\(\s*` + jsLit + `\s*\)\s*\[\s*(\d+)\s*\]`)

// jsAssigned is a variable given what follows: "a = ", "const a = document.".
var jsAssigned = regexp.MustCompile(`([\w$]+)\s*=\s*(?:document\s*\.\s*)?$`)

// scriptClicksMarkupLink returns the web address of a link of the page's
// markup that its script finds (jsFindLink) and clicks by itself
// (document.getElementById("go").click(), or through a variable), which
// Chromium follows as if the reader had clicked; "" for none. A link with
// a download attribute saves a file instead.
func scriptClicksMarkupLink(pg *htmlPage) string {
	js := pg.script
	if len(pg.links) == 0 || !strings.Contains(js, "click") {
		return ""
	}
	budget := maxRunsSteps
	for _, m := range jsFindLink.FindAllStringSubmatchIndex(js, 20) {
		group := func(g int) string {
			if m[2*g] < 0 {
				return ""
			}
			return js[m[2*g]:m[2*g+1]]
		}
		var l *pageLink
		switch {
		case group(1) != "":
			l = pg.linkBy(jsUnquote(group(1)), "", 0)
		case group(2) != "":
			l = pg.linkSelected(jsUnquote(group(2)))
		case group(3) != "" || group(4) != "":
			n, _ := strconv.Atoi(group(3) + group(4))
			l = pg.linkBy("", "", n)
		case group(5) != "":
			n, _ := strconv.Atoi(group(6))
			l = pg.linkBy("", jsUnquote(group(5)), n)
		}
		if l == nil || l.download {
			continue
		}
		at := -1
		if rest := strings.TrimLeft(js[m[1]:], " \t\r\n"); strings.HasPrefix(rest, ".") {
			if rest = strings.TrimLeft(rest[1:], " \t\r\n"); strings.HasPrefix(rest, "click(") || clickEvent(rest) {
				at = m[1]
			}
		} else if v := jsAssigned.FindStringSubmatch(js[max(0, m[0]-64):m[0]]); v != nil {
			if i := clickOf(js[m[1]:min(len(js), m[1]+maxClickReach)], v[1]); i >= 0 {
				at = m[1] + i
			}
		}
		if at >= 0 && runsByItself(js, at, 0, &budget) {
			return l.href
		}
	}
	return ""
}

// linkBy is the nth link of the page (from 0) with the id, or with the
// class among its classes, or any; nil for none.
func (pg *htmlPage) linkBy(id, class string, n int) *pageLink {
	for i := range pg.links {
		l := &pg.links[i]
		if id != "" && l.id != id || class != "" && !slices.Contains(strings.Fields(l.class), class) {
			continue
		}
		if n == 0 {
			return l
		}
		n--
	}
	return nil
}

// linkSelected is the first link a simple selector picks ("#go", "a",
// "a.go", ".go", "a#go", "a[href]"); nil for none or for a selector this
// does not read.
func (pg *htmlPage) linkSelected(sel string) *pageLink {
	sel = strings.TrimSpace(sel)
	if i := strings.IndexByte(sel, '['); i >= 0 && strings.HasSuffix(sel, "]") {
		sel = sel[:i]
	}
	sel = strings.TrimPrefix(strings.TrimPrefix(sel, "area"), "a")
	switch {
	case sel == "":
		return pg.linkBy("", "", 0)
	case sel[0] == '#' && isIdent(sel[1:]):
		return pg.linkBy(sel[1:], "", 0)
	case sel[0] == '.' && isIdent(sel[1:]):
		return pg.linkBy("", sel[1:], 0)
	}
	return nil
}

// isIdent: s is a CSS name of letters, digits, - and _.
func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) && s[i] != '-' {
			return false
		}
	}
	return s != ""
}

// clickOf is where js calls name.click(), -1 for nowhere.
func clickOf(js, name string) int {
	for i := 0; i < len(js); {
		k := strings.Index(js[i:], name)
		if k < 0 {
			return -1
		}
		at := i + k
		i = at + len(name)
		if at > 0 && isIdentByte(js[at-1]) {
			continue
		}
		rest := strings.TrimLeft(js[i:], " \t\r\n")
		if !strings.HasPrefix(rest, ".") {
			continue
		}
		if rest = strings.TrimLeft(rest[1:], " \t\r\n"); strings.HasPrefix(rest, "click(") || clickEvent(rest) {
			return at
		}
	}
	return -1
}

// jsClickEvent dispatches a mouse click, which a link follows as it does
// a reader's (a plain Event named click it does not).
var jsClickEvent = regexp.MustCompile(`^dispatchEvent\s*\(\s*new\s+(?:Mouse|Pointer)Event\s*\(\s*["']click["']`)

// clickEvent: js (after "x.") dispatches a mouse click (jsClickEvent).
func clickEvent(js string) bool {
	return strings.HasPrefix(js, "dispatchEvent") && jsClickEvent.MatchString(js)
}

// jsSubmit submits a form (a form's own submit, which skips its submit
// handlers, or requestSubmit).
var jsSubmit = regexp.MustCompile(`\.\s*(?:submit|requestSubmit)\s*\(`)

// scriptSubmits returns the web address a form posts to when the page's
// script submits a form by itself (at its top level, on load, in a
// timer...), "" for none: the page moves the reader to that address as a
// redirect would, with what the form carries (the reader's address) in
// the request's body, where link checks do not look. The form is the first
// with a web address for its action: which form a script submits is not
// worked out.
func scriptSubmits(pg *htmlPage) string {
	target := ""
	for _, f := range pg.forms {
		if target = absoluteWeb(f.action, ""); target != "" {
			break
		}
	}
	if target == "" || !strings.Contains(pg.script, "ubmit") {
		return ""
	}
	budget := maxRunsSteps
	for _, m := range jsSubmit.FindAllStringIndex(pg.script, 20) {
		if runsByItself(pg.script, m[0], 0, &budget) {
			return target
		}
	}
	return ""
}

// jsLit is a string or template literal (without substitutions), as a group.
const jsLit = `("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|` + "`(?:[^`\\\\$]|\\\\.)*`" + `)`

// firesByItself are the event handlers a page runs without the reader
// (an image that fails to load fires onerror at once).
var firesByItself = set("onload", "onpageshow", "onerror", "onanimationstart", "onanimationend")

// firesHere says whether the handler attribute runs when the page opens:
// one of firesByItself, or one this element fires by itself in Chromium (a
// <details open>'s ontoggle, onfocus or onfocusin of an element marked
// autofocus, an SVG animation's onbegin, onloadstart of a video or audio
// with a source). Without those attributes the same handlers wait.
func firesHere(tag, handler string, a map[string]string) bool {
	if firesByItself[handler] {
		return true
	}
	has := func(k string) bool { _, ok := a[k]; return ok }
	switch handler {
	case "ontoggle":
		return tag == "details" && has("open")
	case "onfocus", "onfocusin":
		return has("autofocus")
	case "onbegin":
		return svgAnimation[tag]
	case "onloadstart":
		return (tag == "video" || tag == "audio") && has("src")
	}
	return false
}

// svgAnimation are SVG's animation elements, as the tokenizer names them.
var svgAnimation = set("animate", "set", "animatemotion", "animatetransform")

// waitsMark starts the text of an event handler that waits for the reader.
const waitsMark = '\x01'

// scriptNavigates returns the web address the script sends the window to
// by itself, "" for none: at the top level of a script, in an onload
// handler, or in a function that runs when the page loads (a timer, a load
// listener, an immediately called function, or a named function called
// from the top level). A handler that waits for a click does not count.
func scriptNavigates(js string) string {
	if !strings.Contains(js, "location") && !strings.Contains(js, "open") {
		return ""
	}
	budget := maxRunsSteps
	for _, m := range jsNavigate.FindAllStringSubmatchIndex(js, 20) {
		g := 2
		for g < len(m)-2 && m[g] < 0 {
			g += 2
		}
		u := absoluteWeb(jsUnquote(js[m[g]:m[g+1]]), "")
		if u != "" && runsByItself(js, m[0], 0, &budget) {
			return u
		}
	}
	return ""
}

// fakeCaptcha marks a page that shows a CAPTCHA. A page opened from the
// mail's attachment cannot run a real one (reCAPTCHA, hCaptcha and
// Turnstile answer only the sites their keys name), so one that does is
// the gate kits put before their sign-in page, to keep scanners out and
// make the reader click.
// What marks one is the widget: its words, its classes and its script
// (a page that only names reCAPTCHA in its text is no gate).
var fakeCaptcha = regexp.MustCompile(`(?i)not\s+a\s+robot|verify\s+(?:that\s+)?you\s+are\s+(?:a\s+)?human|human\s+verification|\bg-recaptcha\b|\bh-captcha\b|\bcf-turnstile\b|recaptcha/api\.js|hcaptcha\.com/1/api\.js|challenges\.cloudflare\.com/turnstile`)

// captcha is what marks the page as showing a CAPTCHA, in its markup, in
// the markup its scripts write or in its scripts; "" for none.
func (pg *htmlPage) captcha(own []byte) string {
	if m := fakeCaptcha.Find(own); m != nil {
		return string(m)
	}
	for _, w := range pg.written {
		if m := fakeCaptcha.Find(w); m != nil {
			return string(m)
		}
	}
	return fakeCaptcha.FindString(pg.script)
}

// scriptNavigatesAtAll returns the first web address the script sends the
// window to, by itself or when the reader clicks; "" for none.
func scriptNavigatesAtAll(js string) string {
	if !strings.Contains(js, "location") && !strings.Contains(js, "open") {
		return ""
	}
	for _, m := range jsNavigate.FindAllStringSubmatchIndex(js, 20) {
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] >= 0 {
				if u := absoluteWeb(jsUnquote(js[m[g]:m[g+1]]), ""); u != "" {
					return u
				}
				break
			}
		}
	}
	return ""
}

// maxRunsSteps bounds the places runsByItself looks at for one script
// (each a scan of its script up to there): a script full of functions
// calling each other costs a few dozen scans, not a search.
const maxRunsSteps = 32

// jsRunsOnLoad is what stands before a function that runs as the page
// loads, at the end of the text before its body's brace.
var jsRunsOnLoad = regexp.MustCompile(`(?:\bsetTimeout|\bsetInterval|\bonload\s*=|\bonpageshow\s*=|addEventListener\s*\(\s*["'](?:load|DOMContentLoaded|pageshow)["']\s*,|\bready\s*\(|\$\s*\(|^\s*\(|[;}\n]\s*\(|!)\s*\(?\s*(?:function\b[^{]*|\([^)]*\)\s*=>\s*|[\w$]+\s*=>\s*)$`)

// jsPassesHandler stands before a function's name when a timer or a load
// event gets the function.
var jsPassesHandler = regexp.MustCompile(`(?:setTimeout\s*\(|setInterval\s*\(|\bonload\s*=|addEventListener\s*\(\s*["'](?:load|DOMContentLoaded|pageshow)["']\s*,)\s*$`)

// jsFunctionName is the name of a function whose body's brace ends the text.
var jsFunctionName = regexp.MustCompile(`\bfunction\s+([A-Za-z_$][\w$]{0,64})\s*\([^)]*\)\s*$`)

// runsByItself says whether the code at position at of js runs without
// the reader doing anything (see scriptNavigates); depth bounds the
// search through named functions.
func runsByItself(js string, at, depth int, budget *int) bool {
	if *budget <= 0 {
		return false
	}
	*budget--
	start := strings.LastIndexByte(js[:at], 0) + 1
	if start < len(js) && js[start] == waitsMark {
		return false
	}
	open := outerBrace(js, start, at)
	if open < 0 {
		return true
	}
	before := js[max(start, open-160):open]
	if jsRunsOnLoad.MatchString(before) {
		return true
	}
	m := jsFunctionName.FindStringSubmatch(before)
	if m == nil || depth >= 3 {
		return false
	}
	// A named function runs by itself when a call to it does, or when a
	// timer or load event gets it.
	name := m[1]
	for i := 0; i < len(js) && *budget > 0; {
		k := strings.Index(js[i:], name)
		if k < 0 {
			break
		}
		c := i + k
		i = c + len(name)
		if c > 0 && isIdentByte(js[c-1]) || i < len(js) && isIdentByte(js[i]) || c >= open-len(m[0]) && c < open {
			continue // part of another name, or the declaration itself
		}
		rest := strings.TrimLeft(js[i:min(len(js), i+8)], " \t\r\n")
		called := strings.HasPrefix(rest, "(")
		passed := jsPassesHandler.MatchString(js[max(0, c-64):c]) // setTimeout(go, ...), onload = go
		if (called || passed) && runsByItself(js, c, depth+1, budget) {
			return true
		}
	}
	return false
}

// outerBrace is the position of the outermost brace open at position at,
// scanning its script from start; -1 at the top level. Strings and
// comments are skipped; regular expression literals are not told apart
// from division.
func outerBrace(js string, start, at int) int {
	var open []int
	for i := start; i < at; i++ {
		switch c := js[i]; c {
		case '{':
			open = append(open, i)
		case '}':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		case '"', '\'', '`':
			for i++; i < at && js[i] != c; i++ {
				if js[i] == '\\' {
					i++
				}
			}
		case '/':
			if i+1 < at && js[i+1] == '/' {
				for i < at && js[i] != '\n' {
					i++
				}
			} else if i+1 < at && js[i+1] == '*' {
				if k := strings.Index(js[i+2:at], "*/"); k >= 0 {
					i += k + 3
				} else {
					i = at
				}
			}
		}
	}
	if len(open) == 0 {
		return -1
	}
	return open[0]
}
