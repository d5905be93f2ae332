package heuristic

import (
	"regexp"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// Some encrypted-mail services deliver a message as an HTML attachment
// (a "secure message envelope") that asks for the reader's password and
// posts it, with the encrypted message, to the service. Such a page is
// honest when the service is the only place it can send anything; a copy
// that also sends elsewhere, or somewhere Kensa cannot read, is phishing.

// secureMailHosts are the exact host names of encrypted-mail services whose
// envelopes post to them, each from the vendor's public documentation
// (docs/heuristics.md cites them). Exact hosts, never a domain suffix: a
// subdomain or lookalike of one is somebody else's.
var secureMailHosts = set(
	// Cisco Secure Email Encryption Service (formerly Registered Envelope
	// Service): the hosted key service is https://res.cisco.com (Cisco
	// ESA user guide, "Cisco Email Encryption"); recipients open the
	// attached securedoc*.html, whose password field goes to it.
	"res.cisco.com",
)

// secureMailURL: raw is an http(s) address on a secureMailHosts host,
// with no userinfo and no second address inside (an open redirect on the
// service, ?url=https://..., goes elsewhere).
func secureMailURL(raw string) bool {
	raw = strings.TrimSpace(raw)
	u := urls.Parse(raw)
	if u.Scheme != "http" && u.Scheme != "https" || u.User != "" || !secureMailHosts[u.Host] {
		return false
	}
	if _, _, wraps := urls.Unwrap(u); wraps {
		return false
	}
	l := strings.ToLower(raw)
	return strings.Count(l, "://") == 1 && !strings.Contains(l, "%3a%2f") && !strings.Contains(l, "%3a//")
}

// secureEnvelope says whether every place the page p (read as pg) can
// send data is a secure-mail service: its form actions, the addresses
// its scripts send to or open, the scripts and base it loads, and every
// address its scripts hold or write. Anything else, or any of it that
// Kensa could not read, and the page is not one.
func (e *env) secureEnvelope(p *message.Part, pg *htmlPage) bool {
	if pg.unread {
		return false
	}
	for _, a := range pg.actions {
		if strings.TrimSpace(a) != "" && !secureMailURL(a) {
			return false
		}
	}
	for _, l := range pg.loads {
		if strings.TrimSpace(l) != "" && !secureMailURL(l) {
			return false
		}
	}
	if !scriptSendsOnlySecure(pg.script) {
		return false
	}
	for _, s := range pg.scriptURLs {
		for _, a := range webAddresses(s) {
			if !secureMailURL(a) {
				return false
			}
		}
	}
	u := e.partURLs(p)
	if len(u) >= urls.MaxPerPart {
		return false
	}
	if w, ok := e.written[p]; ok {
		for _, x := range u[w[0]:w[2]] { // written and script addresses
			if !secureMailURL(x.Raw) {
				return false
			}
		}
	}
	return true
}

// webAddresses are the http(s) addresses in the text v, each up to the
// first space, quote, bracket or other character that ends one in text.
func webAddresses(v string) []string {
	var out []string
	for i := 0; i < len(v); {
		k := strings.Index(v[i:], "://")
		if k < 0 {
			break
		}
		k += i
		start := k
		for start > 0 && (v[start-1]|0x20 >= 'a' && v[start-1]|0x20 <= 'z') {
			start--
		}
		end := k + 3
		for end < len(v) && !strings.ContainsRune(" \t\r\n\f\"'`<>(){}[],;|\\^", rune(v[end])) {
			end++
		}
		if s := strings.ToLower(v[start:k]); s == "http" || s == "https" {
			out = append(out, v[start:end])
		}
		i = end
	}
	return out
}

// jsSendTarget ends where a script names the address it sends to, opens
// or loads: a call's first argument, a property or attribute set, an
// ajax configuration's url, XMLHttpRequest's open after its method.
var jsSendTarget = regexp.MustCompile(`\bfetch\s*\(\s*|\.\s*sendBeacon\s*\(\s*|\bnew\s+(?:WebSocket|EventSource|Worker|SharedWorker|Audio)\s*\(\s*|\bimport(?:Scripts)?\s*\(\s*|` +
	`\$\s*\.\s*(?:post|get|getJSON|getScript|ajax)\s*\(\s*|\.\s*ajax\s*\(\s*|\baxios(?:\s*\.\s*[a-z]+)?\s*\(\s*|\burl\s*:\s*|` +
	`\.\s*open\s*\(\s*["'](?i:get|post|put|patch|delete|head|options)["']\s*,\s*|\bopen\s*\(\s*|\.\s*(?:src|href|data)\s*=\s*|\blocation\s*=\s*|\blocation\s*\.\s*(?:replace|assign)\s*\(\s*|` +
	`\.\s*(?:action|formAction)\s*=\s*|(?i:setAttribute(?:NS\s*\(\s*[^,()]*)?\s*[(,]\s*["'](?:form)?action["'])\s*,\s*|(?i:setAttribute(?:NS\s*\(\s*[^,()]*)?\s*[(,]\s*["'](?:src|href|data)["'])\s*,\s*|` +
	`\.\s*(?:attr|prop)\s*\(\s*["'](?i:(?:form)?action|src|href)["']\s*,\s*|\battributes\s*\.\s*(?:form)?action\s*\.\s*value\s*=\s*|\b(?:src|href|action|formAction)\s*:\s*`)

// jsNetworkName is a name of what sends or loads: in a page read as an
// envelope each must be called where jsSendTarget reads its address (or,
// for a constructor, follow "new"), not passed around (var f = fetch;
// fetch.call(...)), which would send where Kensa cannot see.
var jsNetworkName = regexp.MustCompile(`\b(?:fetch|sendBeacon|importScripts|ajax|axios|getJSON|getScript|open|WebSocket|EventSource|Worker|SharedWorker|Audio|XMLHttpRequest|Image|ActiveXObject)\b`)

// jsOpaque is script whose effect Kensa does not read: code in strings
// (eval, Function, a timer given a string), messages to other windows or
// peers, and markup written from anything but one literal.
var jsOpaque = regexp.MustCompile(`\beval\b|\bFunction\s*\(|\bpostMessage\b|\bRTCPeerConnection\b|\bset(?:Timeout|Interval)\s*\(\s*["'\x60]|\b(?:write|writeln|insertAdjacentHTML)\s*\(|\b(?:innerHTML|outerHTML|srcdoc)\s*=[^=]`)

// maxSendTargets bounds the targets read in one page's script; a page with
// more is not read as an envelope.
const maxSendTargets = 200

// scriptSendsOnlySecure says whether every address the decoded script js
// sends to, opens or loads is a literal on a secure-mail host (or a
// relative one, which stays in the file or under a <base> checked apart),
// and whether every sending call has such a target: XMLHttpRequest its
// open(method, address), an image request its src.
func scriptSendsOnlySecure(js string) bool {
	if js == "" {
		return true
	}
	needOpen, needSrc := false, false
	for _, m := range jsSends.FindAllString(js, -1) {
		switch {
		case strings.Contains(m, "telegram"):
			return false
		case strings.Contains(m, "XMLHttpRequest") || strings.Contains(m, "ActiveXObject"):
			needOpen = true
		case strings.Contains(m, "Image"):
			needSrc = true
		}
	}
	code, ok := jsCode(js)
	if !ok {
		return false
	}
	for _, m := range jsOpaque.FindAllStringIndex(code, maxSendTargets+1) {
		if !oneLiteralArg(js, m[1]) {
			return false
		}
	}
	for _, m := range jsNetworkName.FindAllStringIndex(code, maxSendTargets+1) {
		if !calledInPlace(code, m[0], m[1]) {
			return false
		}
	}
	targets := jsSendTarget.FindAllStringIndex(js, 4*maxSendTargets)
	if len(targets) >= 4*maxSendTargets {
		return false
	}
	for _, t := range targets {
		if code[t[0]] != js[t[0]] {
			continue // inside a literal: text, not a call
		}
		m := js[t[0]:t[1]]
		if strings.Contains(m, "open") && strings.Contains(m, ",") {
			needOpen = false
		}
		if strings.Contains(m, "src") {
			needSrc = false
		}
		if !secureTarget(js, t[1]) {
			return false
		}
	}
	return !needOpen && !needSrc
}

// jsCode is js with the text of its string, template and regular
// expression literals and of its comments made spaces (lengths kept), so
// that names are looked for in code only. ok is false when a literal does
// not end where JavaScript ends one, or a template nests another: the
// script's code is then not known, and a quote inside a regular
// expression (/"/) must not hide the code after it.
func jsCode(js string) (code string, ok bool) {
	b := []byte(js)
	blank := func(from, to int) {
		for k := from; k < to && k < len(b); k++ {
			if b[k] != '\n' {
				b[k] = ' '
			}
		}
	}
	last := -1 // the last byte of code before i, -1 at a script's start
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == 0 || c == waitsMark:
			last = -1 // scripts are joined with NUL between them
			continue
		case isJSSpace(c):
			continue
		case c == '"' || c == '\'':
			e := quotedEnd(js, i)
			if e >= len(js) || js[e] != c {
				return "", false
			}
			blank(i+1, e)
			i = e
		case c == '`':
			e, ok := templateCode(js, i, blank)
			if !ok {
				return "", false
			}
			i = e
		case c == '/' && i+1 < len(b) && b[i+1] == '/':
			e := strings.IndexByte(js[i:], '\n')
			if e < 0 {
				e = len(js) - i
			}
			blank(i, i+e)
			i += e - 1
			continue
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			e := strings.Index(js[i+2:], "*/")
			if e < 0 {
				return "", false
			}
			blank(i, i+e+4)
			i += e + 3
			continue
		case c == '/' && regexAllowed(js, last):
			e := regexEnd(js, i)
			if e < 0 {
				return "", false
			}
			blank(i+1, e)
			i = e
		}
		last = i
	}
	return string(b), true
}

// regexAllowed: a "/" after the code ending at last starts a regular
// expression (after an operator, a bracket or a keyword such as return),
// not a division (after a name, a number, ")" or "]").
func regexAllowed(js string, last int) bool {
	if last < 0 {
		return true
	}
	c := js[last]
	if c == ')' || c == ']' || c == '"' || c == '\'' || c == '`' {
		return false
	}
	if !isIdentByte(c) {
		return true
	}
	k := last
	for k >= 0 && isIdentByte(js[k]) {
		k--
	}
	switch js[k+1 : last+1] {
	case "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await", "instanceof":
		return true
	}
	return false
}

// regexEnd is the index of the "/" that ends the regular expression
// starting at i, or -1 when a line break or the end comes first.
func regexEnd(js string, i int) int {
	class := false
	for j := i + 1; j < len(js); j++ {
		switch c := js[j]; {
		case c == '\\':
			j++
		case c == '\n':
			return -1
		case class:
			class = c != ']'
		case c == '[':
			class = true
		case c == '/':
			return j
		}
	}
	return -1
}

// templateCode blanks the text of the template literal starting at i and
// leaves the code of its ${...} (with their string literals blanked); it
// returns the index of the closing backquote, false for a template that
// does not end or nests another.
func templateCode(js string, i int, blank func(from, to int)) (int, bool) {
	text := i + 1
	for j := i + 1; j < len(js); j++ {
		switch c := js[j]; {
		case c == '\\':
			j++
		case c == '`':
			blank(text, j)
			return j, true
		case c == '$' && j+1 < len(js) && js[j+1] == '{':
			blank(text, j)
			depth := 1
			k := j + 2
			for ; k < len(js) && depth > 0; k++ {
				switch d := js[k]; d {
				case '`':
					return 0, false
				case '"', '\'':
					e := quotedEnd(js, k)
					if e >= len(js) || js[e] != d {
						return 0, false
					}
					blank(k+1, e)
					k = e
				case '{':
					depth++
				case '}':
					depth--
				}
			}
			if depth > 0 {
				return 0, false
			}
			text = k
			j = k - 1
		}
	}
	return 0, false
}

// oneLiteralArg: at i of js (after "write(" or "innerHTML =") stands one
// string literal and the call or statement ends: markup Kensa decodes.
func oneLiteralArg(js string, i int) bool {
	for i < len(js) && isJSSpace(js[i]) {
		i++
	}
	if i >= len(js) || js[i] != '"' && js[i] != '\'' {
		return false
	}
	e := quotedEnd(js, i)
	if e >= len(js) || js[e] != js[i] {
		return false
	}
	rest := strings.TrimLeft(js[e+1:], " \t\r\f\v")
	return rest == "" || strings.ContainsRune(");\n}", rune(rest[0]))
}

// calledInPlace: the name at code[start:end] is called there (a
// constructor after "new"), or is a property name of jQuery/axios called
// through a method (axios.post(...)).
func calledInPlace(code string, start, end int) bool {
	name := code[start:end]
	rest := strings.TrimLeft(code[end:], " \t\r\n")
	before := strings.TrimRight(code[:start], " \t\r\n")
	switch name {
	case "WebSocket", "EventSource", "Worker", "SharedWorker", "Audio", "XMLHttpRequest", "Image", "ActiveXObject":
		if !strings.HasSuffix(before, "new") || len(before) > 3 && isIdentByte(before[len(before)-4]) {
			return false
		}
		return rest == "" || strings.ContainsRune("(;,)\n", rune(rest[0]))
	case "axios":
		if rest != "" && rest[0] == '.' {
			m := strings.TrimLeft(rest[1:], " \t")
			k := 0
			for k < len(m) && isIdentByte(m[k]) {
				k++
			}
			rest = strings.TrimLeft(m[k:], " \t\r\n")
		}
	}
	return rest != "" && rest[0] == '('
}

// secureTarget reads the address that starts at i of js: a literal whose
// address is on a secure-mail host (when more is appended, its host must
// be whole already), a relative literal, an ajax configuration (its url
// is read as a target of its own), no argument, or a comparison rather
// than an assignment. Anything computed is unreadable: false.
func secureTarget(js string, i int) bool {
	if i >= len(js) {
		return true
	}
	switch c := js[i]; {
	case c == ')' || c == '{' || c == '=':
		return true // no argument, a configuration object, "=="
	case c != '"' && c != '\'' && c != '`':
		return false
	}
	e := quotedEnd(js, i)
	if js[i] == '`' {
		e = strings.IndexByte(js[i+1:], '`') + i + 1
	}
	if e <= i || e >= len(js) || js[e] != js[i] {
		return false
	}
	v := strings.TrimSpace(jsUnquote(js[i : e+1]))
	if js[i] == '`' && strings.Contains(v, "${") {
		return false
	}
	l := strings.ToLower(v)
	if strings.HasPrefix(l, "//") {
		v, l = "https:"+v, "https:"+l
	}
	colon := strings.IndexByte(l, ':')
	if colon < 0 || strings.ContainsAny(l[:colon], "/?#") {
		return true // relative: the file itself, or the <base> (checked apart)
	}
	if s := l[:colon]; s == "data" || s == "blob" || s == "about" {
		return true // stays in the browser
	}
	if !secureMailURL(v) {
		return false
	}
	more := strings.TrimLeft(js[e+1:], " \t\r\n")
	if more != "" && more[0] == '+' {
		// Appended to: the host must end inside the literal.
		rest := l[strings.Index(l, "://")+3:]
		return strings.ContainsAny(rest, "/?#")
	}
	return true
}
