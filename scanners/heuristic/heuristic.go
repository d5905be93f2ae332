// Package heuristic is a scanner made of small checks that catch what
// signatures miss: dangerous file types however they are named, deceptive
// filenames, auto-running macros, remote templates, HTML smuggling and
// phishing forms, PDF actions, and deceptive or blocklisted URLs.
//
// The checks are a table (see Checks): each has a stable ID, a default
// severity and score, and a one-line reason. Operators override severity and
// score, or disable a check, by ID.
package heuristic

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/urls"
)

// Name is the scanner name in findings.
const Name = "heuristic"

// CheckInfo describes one check for docs/heuristics.md, the CLI and config validation.
type CheckInfo struct {
	ID          string
	Severity    scanners.Severity
	Score       int
	Description string
}

// Override changes one check. Nil fields keep the default.
type Override struct {
	Disabled bool
	Severity *scanners.Severity
	Score    *int
}

// DNSBL looks up a URL host in DNS URI blocklists. *urls.DNSBL implements it.
type DNSBL interface {
	Lookup(ctx context.Context, host string) ([]urls.Listing, error)
	MaxQueries() int
}

// Options are the scanner's outside resources. All may be nil.
type Options struct {
	Blocklist *urls.Blocklist
	DNSBL     DNSBL
	// Lookalikes adds the admins' protected domains to the brands that
	// lookalike-domain knows; nil for the brands alone.
	Lookalikes *urls.Lookalikes
	// OnDNSBLError is told about failed lookups (for a log line); a failed
	// lookup is never a finding and never fails the scan.
	OnDNSBLError func(host string, err error)
}

// Scanner runs the enabled checks on every part. It is safe for concurrent use.
type Scanner struct {
	checks []check
	opts   Options
}

// maxFindingsPerCheck bounds findings per check and message; a message with
// a thousand executables does not need a thousand lines to be quarantined.
const maxFindingsPerCheck = 20

// maxDetail bounds a finding's detail text, in runes.
const maxDetail = 200

// Checks returns the table of checks with their defaults, in table order.
func Checks() []CheckInfo {
	out := make([]CheckInfo, len(table))
	for i, c := range table {
		out[i] = c.CheckInfo
	}
	return out
}

// New builds a scanner with overrides applied. An override naming an unknown
// check is an error, so a typo in the config does not silently do nothing.
func New(overrides map[string]Override, opts Options) (*Scanner, error) {
	known := map[string]bool{}
	for _, c := range table {
		known[c.ID] = true
	}
	var unknown []string
	for id := range overrides {
		if !known[id] {
			unknown = append(unknown, strconv.Quote(id))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("heuristic: unknown check %s", strings.Join(unknown, ", "))
	}
	s := &Scanner{opts: opts}
	for _, c := range table {
		o, ok := overrides[c.ID]
		if ok {
			if o.Disabled {
				continue
			}
			if o.Severity != nil {
				if *o.Severity < scanners.Info || *o.Severity > scanners.Malicious {
					return nil, fmt.Errorf("heuristic: check %q: invalid severity %d", c.ID, int(*o.Severity))
				}
				c.Severity = *o.Severity
			}
			if o.Score != nil {
				c.Score = *o.Score
			}
		}
		s.checks = append(s.checks, c)
	}
	return s, nil
}

// Name implements scanners.Scanner.
func (s *Scanner) Name() string { return Name }

// Scan runs every enabled check on every part of m.
func (s *Scanner) Scan(ctx context.Context, m *message.Message) ([]scanners.Finding, error) {
	return s.scan(newEnv(ctx, m, s.opts))
}

func (s *Scanner) scan(e *env) ([]scanners.Finding, error) {
	ctx, m := e.ctx, e.m
	defer e.release()
	var out []scanners.Finding
	perCheck := make([]int, len(s.checks)) // findings so far, by index in s.checks
	for _, c := range s.checks {
		if c.msg != nil {
			if details := c.msg(e); len(details) > 0 {
				out = append(out, c.finding("", "", details))
			}
		}
		if c.mail != nil {
			if details := c.mail(e, e.senders()); len(details) > 0 {
				out = append(out, c.finding("", "", details))
			}
			for _, f := range e.attachedSenders() {
				if details := c.mail(e, f); len(details) > 0 {
					out = append(out, c.finding(f.attached, "", details))
				}
			}
		}
	}
	for _, p := range m.Parts {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("heuristic: %w", err)
		}
		for i, c := range s.checks {
			if perCheck[i] >= maxFindingsPerCheck {
				continue
			}
			var details []string
			loc := ""
			if c.msg != nil || c.mail != nil {
				continue
			}
			if c.part != nil {
				details = c.part(e, p)
				if len(details) == 0 && c.names {
					details = otherNames(e, c.part, p)
				}
			} else {
				details, loc = e.runURLCheck(c.ID, c.url, p)
			}
			if len(details) == 0 {
				continue
			}
			perCheck[i]++
			out = append(out, c.finding(p.Path, loc, details))
		}
	}
	return out, nil
}

// finding is the check's finding for what it saw at part (whole message: "").
func (c check) finding(part, loc string, details []string) scanners.Finding {
	d := details[0]
	if len(details) > 1 {
		d += fmt.Sprintf(" (and %d more)", len(details)-1)
	}
	return scanners.Finding{
		Scanner:     Name,
		ID:          c.ID,
		Part:        part,
		Severity:    c.Severity,
		Score:       c.Score,
		Detail:      truncate(d, maxDetail),
		Location:    loc,
		Unscannable: c.unscannable,
	}
}

// otherNames runs a name check on each of p's other names, as if it were
// the part's name: a client may show any of them.
func otherNames(e *env, f func(*env, *message.Part) []string, p *message.Part) []string {
	for _, n := range p.AltNames {
		q := *p
		q.Filename, q.AltNames = n, nil
		if d := f(e, &q); len(d) > 0 {
			return d
		}
	}
	return nil
}

// URLs returns every URL found in m's parts, deduplicated, for `kensa scan`.
func (s *Scanner) URLs(m *message.Message) []urls.URL {
	return AllURLs(m)
}

// AllURLs returns every URL the URL checks read in m's parts (those in QR
// codes and those an HTML attachment's scripts write included),
// deduplicated by normalised form (or raw text when it does not parse).
func AllURLs(m *message.Message) []urls.URL {
	seen := map[string]bool{}
	var out []urls.URL
	e := newEnv(context.Background(), m, Options{})
	defer e.release()
	for _, p := range m.Parts {
		for _, u := range e.partURLs(p) {
			k := u.Normalized
			if k == "" {
				k = u.Raw
			}
			if !seen[k] {
				seen[k] = true
				out = append(out, u)
			}
		}
	}
	return out
}

// check is one row of the table. Exactly one of part, url and msg is set.
type check struct {
	CheckInfo
	unscannable bool
	// names marks a check that reads the part's name: it also runs on each
	// of the part's other names (Part.AltNames).
	names bool
	// part returns what was seen in p, one string per hit; nil for nothing.
	part func(e *env, p *message.Part) []string
	// url judges one URL of a part; "" for nothing.
	url func(e *env, p *message.Part, u urls.URL) string
	// msg judges the whole message once (its header), one string per
	// hit; its findings name no part.
	msg func(e *env) []string
	// mail judges who a message says it is from: the scanned message's
	// (findings that name no part) and each attached message's (findings
	// that name the part holding its header, so that a cached attachment
	// brings them back too).
	mail func(e *env, f *senderFacts) []string
}

// env is what checks share during one scan: the message, per-part and
// per-host caches, so that each costly thing is worked out once, and bounded
// counters.
type env struct {
	ctx       context.Context
	m         *message.Message
	opts      Options
	urls      map[*message.Part][]urls.URL
	codes     map[*message.Part]urls.Codes // 2-D codes read from a part's images
	budget    *urls.CodeBudget             // images and time left for reading codes
	onlyQR    int                          // 0 unknown, 1: every web link of the message is in a code, 2: not
	pdfNames  map[*message.Part]pdfNameSet
	pdfActs   map[*message.Part]pdfActs
	shown     map[*message.Part]string                   // pdfText
	htmlShown map[*message.Part]htmlShown                // htmlText, htmlChars
	office    map[*message.Part][]officeMember           // officeParts
	streams   map[*message.Part]map[string]*message.Part // rootStreams
	formulas  map[*message.Part]formulaFindings          // formulaFetch
	books     map[string]xlsxWorkbook                    // xlsxBook, by package path
	urlSeen   map[string]bool                            // check ID + URL already reported
	seenKey   []byte                                     // scratch for urlSeen keys
	vba       map[*message.Part]bool
	vbaDone   map[*message.Part]vbaFacts
	dde       map[*message.Part][]ddeFact
	xlm       map[*message.Part]xlmFact
	pages     map[*message.Part]*htmlPage
	written   map[*message.Part][3]int // the URLs of partURLs(p) from markup p's scripts write, [0]-[1], then from its decoded script, [1]-[2]
	active    map[*message.Part]bool   // activePage
	byPath    map[string]*message.Part // built on first use
	// macroSeen: office-macro has reported this message's first macro
	macroSeen bool
	// lowered is head(lowerOf) as hasLower searches it
	lowerOf     *message.Part
	lowered     *lowered
	hosts       map[string]*hostFacts
	linkText    map[string]string             // linkTextHost, by link text
	lureText    map[*message.Part]string      // plainWords of a part's shown text, for accountLure
	docLures    map[*message.Part]docLureSaid // docLure's lure and brand
	noticeLures map[*message.Part]noticeSaid  // noticeLure's family and ask
	dnsLeft     int
	dnsCache    map[string][]urls.Listing
	sender      string     // registrable domain of the sender, "" when unknown
	rcpts       []rcptForm // recipientAddrs, worked out on first use
	rcptDone    bool
	sent        *senderFacts    // senders, worked out on first use
	attached    *[]*senderFacts // attachedSenders, worked out on first use
	// containers by path, to find the container of a member
	containers map[string]*message.Part
	joined     map[*message.Part]*message.Part // joinedStreams, built on first use

	shownTexts map[shownKey]string          // shownTextIf
	gates      map[*message.Part]pieceGates // gatesOf
}

func newEnv(ctx context.Context, m *message.Message, opts Options) *env {
	e := &env{ctx: ctx, m: m, opts: opts,
		urls:       map[*message.Part][]urls.URL{},
		codes:      map[*message.Part]urls.Codes{},
		budget:     urls.NewCodeBudget(),
		pdfNames:   map[*message.Part]pdfNameSet{},
		urlSeen:    map[string]bool{},
		vba:        map[*message.Part]bool{},
		vbaDone:    map[*message.Part]vbaFacts{},
		dde:        map[*message.Part][]ddeFact{},
		xlm:        map[*message.Part]xlmFact{},
		hosts:      map[string]*hostFacts{},
		linkText:   map[string]string{},
		lureText:   map[*message.Part]string{},
		docLures:   map[*message.Part]docLureSaid{},
		dnsCache:   map[string][]urls.Listing{},
		containers: map[string]*message.Part{},
	}
	for _, p := range m.Parts {
		// An opaque-signed message is no container to its reader: the
		// entity it carries is the message, its text the body. Below the
		// root its parts are a level down, so inContainer still holds.
		if p.Container && !p.Signed {
			e.containers[p.Path] = p
		}
	}
	e.budget.InlineParts(m.Parts)
	e.budget.ExpectParts(m.Parts)
	if opts.DNSBL != nil {
		e.dnsLeft = opts.DNSBL.MaxQueries()
	}
	d := m.Envelope.SenderDomain()
	if d == "" {
		d = fromDomain(m.From)
	}
	e.sender = registrable(d)
	return e
}

func (e *env) partURLs(p *message.Part) []urls.URL {
	if u, ok := e.urls[p]; ok {
		return u
	}
	var u []urls.URL
	if pg := e.scriptPage(p); pg != nil && (len(pg.written) > 0 || len(pg.scriptURLs) > 0) {
		var own, markup int
		u, own, markup = urls.ExtractPage(p, pg.written, pg.scriptURLs)
		if own < len(u) {
			if e.written == nil {
				e.written = map[*message.Part][3]int{}
			}
			e.written[p] = [3]int{own, markup, len(u)}
		}
	} else {
		u = urls.ExtractWithText(p, e.pdfText(p))
	}
	if c := e.partCodes(p); len(c.URLs) > 0 {
		u = append(u[:len(u):len(u)], c.URLs...)
	}
	e.urls[p] = u
	return u
}

// pdfText is the text p's pages show when p is a PDF (urls.PDFText), read
// once: its URLs and the callback check both read it.
func (e *env) pdfText(p *message.Part) string {
	t, ok := e.shown[p]
	if !ok {
		if e.shown == nil {
			e.shown = map[*message.Part]string{}
		}
		t = e.budget.PDFText(p)
		e.shown[p] = t
	}
	return t
}

// scriptPage is p read as the page its scripts build, when p is an HTML
// attachment with scripts or other active markup, else nil: the markup its
// scripts write (and its iframes' srcdoc) and the web addresses in its
// decoded script hold links of the page. A body's scripts no mail client
// runs.
func (e *env) scriptPage(p *message.Part) *htmlPage {
	if !e.isAttachment(p) || !urls.IsHTML(p) || !e.activePage(p) {
		return nil
	}
	return e.page(p)
}

// partCodes reads the 2-D codes of p once, within the message's budget.
func (e *env) partCodes(p *message.Part) urls.Codes {
	c, ok := e.codes[p]
	if !ok && e.ctx.Err() == nil { // past the scan's deadline no image is decoded
		c = urls.CodeURLs(p, e.budget)
		e.codes[p] = c
	}
	return c
}

// onlyCodeLinks says whether every web link of the message (text, anchors,
// PDF and Office links, not images) is in a 2-D code.
func (e *env) onlyCodeLinks() bool {
	if e.onlyQR == 0 {
		e.onlyQR = 1
		for _, p := range e.m.Parts {
			for _, u := range e.partURLs(p) {
				if u.Source != urls.SourceQR && u.Source != urls.SourceSrc && (u.Scheme == "http" || u.Scheme == "https") {
					e.onlyQR = 2
				}
			}
		}
	}
	return e.onlyQR == 1
}

// runURLCheck applies a URL check to the URLs of p. A URL already reported
// by this check in another part (the text and HTML alternatives of one body)
// is not reported again.
// loc is the location of the first URL reported.
func (e *env) runURLCheck(id string, f func(*env, *message.Part, urls.URL) string, p *message.Part) (out []string, loc string) {
	all := e.partURLs(p)
	written := e.written[p]
	for i, u := range all {
		if len(e.urlSeen) > 0 {
			e.seenKey = append(append(append(append(append(e.seenKey[:0], id...), 0), u.Normalized...), 0), u.Raw...)
			if e.urlSeen[string(e.seenKey)] { // no allocation for the lookup
				continue
			}
		}
		if d := f(e, p, u); d != "" {
			e.urlSeen[id+"\x00"+u.Normalized+"\x00"+u.Raw] = true
			if len(out) == 0 {
				loc = u.Source
			}
			if u.Source == urls.SourceQR && id != "qr-url" {
				d += " (in a QR code)"
			} else if i >= written[0] && i < written[1] {
				d += " (page written by script)"
			} else if i >= written[1] && i < written[2] {
				d += " (in the page's script)"
			}
			out = append(out, d)
		}
	}
	return out, loc
}

// hostFacts is what the URL checks want to know about one host, worked out
// the first time a check asks: a message's links share a few hosts.
type hostFacts struct {
	lookalikeDone, mixedDone, ipDone, regDone bool

	brand      string // what the host imitates (Lookalikes.Match)
	how        string // and how
	lookalike  bool
	mixedLabel string // urls.MixedScript
	mixed      bool
	ip         bool   // an IP address, however written
	reg        string // registrable(host)
}

func (e *env) host(h string) *hostFacts {
	f, ok := e.hosts[h]
	if !ok {
		f = &hostFacts{}
		e.hosts[h] = f
	}
	return f
}

func (e *env) lookalike(h string) (imitates, how string, ok bool) {
	f := e.host(h)
	if !f.lookalikeDone {
		f.brand, f.how, f.lookalike = e.opts.Lookalikes.Match(h)
		f.lookalikeDone = true
	}
	return f.brand, f.how, f.lookalike
}

func (e *env) mixedScript(h string) (string, bool) {
	f := e.host(h)
	if !f.mixedDone {
		f.mixedLabel, f.mixed = urls.MixedScript(h)
		f.mixedDone = true
	}
	return f.mixedLabel, f.mixed
}

func (e *env) isIPHost(h string) bool {
	f := e.host(h)
	if !f.ipDone {
		f.ip = net.ParseIP(h) != nil || obfuscatedIP(h)
		f.ipDone = true
	}
	return f.ip
}

func (e *env) registrable(h string) string {
	f := e.host(h)
	if !f.regDone {
		f.reg = registrable(h)
		f.regDone = true
	}
	return f.reg
}

// linkTextHost is linkTextHost(text), once per text.
func (e *env) linkTextHost(text string) string {
	h, ok := e.linkText[text]
	if !ok {
		h = linkTextHost(text)
		e.linkText[text] = h
	}
	return h
}

// container returns the closest container part that holds p, nil for a
// part that is not inside an archive, document or disk image.
func (e *env) container(p *message.Part) *message.Part {
	path := p.Path
	for i := 0; i < 256; i++ {
		j := strings.LastIndexByte(path, '/')
		if j < 0 {
			return nil
		}
		path = path[:j]
		if c, ok := e.containers[path]; ok && c != p {
			return c
		}
	}
	return nil
}

// inContainer: a member of an archive, document or disk image. Unpack marks
// containers; a path with "/" below depth 0 also means one.
func (e *env) inContainer(p *message.Part) bool {
	return e.container(p) != nil || (p.Depth > 0 && strings.Contains(p.Path, "/"))
}

// show quotes an attacker-chosen string for a finding detail: control and
// bidi characters escaped, length bounded.
func show(s string) string {
	return strconv.Quote(truncate(s, 80))
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

func fromDomain(from string) string {
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		d := from[i+1:]
		if j := strings.IndexAny(d, "> \t\"'"); j >= 0 {
			d = d[:j]
		}
		return strings.ToLower(d)
	}
	return ""
}
