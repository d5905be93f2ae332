package heuristic

import (
	"net"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
	"golang.org/x/net/publicsuffix"
)

// The sender checks read who a message says it is from: the From, Sender
// and Reply-To fields as written (message.Origin) and the envelope sender.
// The fields are the attacker's: they are read the ways mail clients read
// them (quoted strings, comments, groups, encoded words in any charset
// inside quotes too, an address outside angle brackets, the whole field
// decoded first as some clients do), and every reading's mailboxes are
// judged.

// mailbox is one address of an address field as a client shows it.
type mailbox struct {
	name string // the display name: phrase, quotes removed, words decoded; comments when there is no phrase; the group's name
	addr string // the address, lower-cased; "" when there is none
}

// Bounds on the reading of address fields.
const (
	maxMailboxes = 16  // mailboxes read from one field, every reading together
	maxNameRunes = 300 // of a display name
)

// mailboxes reads an address field's value, as written, every way a client
// may: token by token, and, when the value has encoded words, decoded
// whole and read again (a display name "=?utf-8?q?a=40b.example_=3Cx=40y?="
// shows as an address to a client that decodes first).
func mailboxes(v string) []mailbox {
	out := readMailboxes(v, nil)
	if strings.Contains(v, "=?") {
		if d := message.DecodeWords(v); d != v {
			out = readMailboxes(d, out)
		}
	}
	return out
}

// readMailboxes appends the mailboxes of v, as RFC 5322 reads it and as
// lenient clients do: a phrase around an address's angle brackets
// (before or after), an address without brackets, a comment for a name
// (the old "a@b.example (Name)" form), a group's name for its members.
func readMailboxes(v string, out []mailbox) []mailbox {
	var (
		phrase, comment []string
		angle, bare     []string
		group           string
	)
	flush := func() {
		name := strings.Join(phrase, " ")
		addr := ""
		switch {
		case len(angle) > 0:
			addr = angle[0]
			// Bare addresses beside brackets are part of what is shown.
			if len(bare) > 0 {
				name = strings.TrimSpace(name + " " + strings.Join(bare, " "))
			}
		case len(bare) > 0:
			addr = bare[len(bare)-1]
			if rest := bare[:len(bare)-1]; len(rest) > 0 {
				name = strings.TrimSpace(name + " " + strings.Join(rest, " "))
			}
		}
		if name == "" {
			name = strings.Join(comment, " ")
		}
		if group != "" {
			name = strings.TrimSpace(group + " " + name)
		}
		if (name != "" || addr != "") && len(out) < maxMailboxes {
			out = append(out, mailbox{truncate(name, maxNameRunes), strings.ToLower(addr)})
		}
		// More addresses in brackets are more mailboxes a reader may take,
		// and so is an address outside them beside one inside: Python's
		// email package (and DMARC verifiers built like it) takes
		// "a@b.example <x@y.example>" to be from a@b.example.
		for _, a := range angle[min(1, len(angle)):] {
			if len(out) < maxMailboxes {
				out = append(out, mailbox{truncate(name, maxNameRunes), strings.ToLower(a)})
			}
		}
		if len(angle) > 0 {
			for _, a := range bare {
				if len(out) < maxMailboxes {
					out = append(out, mailbox{"", strings.ToLower(a)})
				}
			}
		}
		phrase, comment, angle, bare = nil, nil, nil, nil
	}
	word := func(w string) {
		if w == "" {
			return
		}
		if strings.Contains(w, "@") && !strings.Contains(w, "=?") {
			bare = append(bare, w)
			return
		}
		phrase = append(phrase, message.DecodeWords(w))
	}
	for i := 0; i < len(v); {
		switch c := v[i]; c {
		case '"':
			s, n := quoted(v[i:], '"', '"')
			phrase = append(phrase, message.DecodeWords(s))
			i += n
		case '(':
			s, n := quoted(v[i:], '(', ')')
			comment = append(comment, message.DecodeWords(s))
			i += n
		case '<':
			j := strings.IndexByte(v[i:], '>')
			if j < 0 {
				j = len(v) - i
			}
			a := v[i+1 : i+j]
			if k := strings.LastIndexByte(a, ':'); k >= 0 { // a source route: <@relay.example:a@b.example>
				a = a[k+1:]
			}
			a = strings.TrimSpace(a)
			if strings.Contains(a, "=?") { // a client that decodes everything shows this
				a = message.DecodeWords(a)
			}
			angle = append(angle, a)
			i += j + 1
		case ',':
			flush()
			i++
		case ';':
			flush()
			group = ""
			i++
		case ':':
			if len(angle) == 0 && len(bare) == 0 {
				group = strings.TrimSpace(strings.Join(append(phrase, comment...), " "))
				phrase, comment = nil, nil
			}
			i++
		case ' ', '\t', '\r', '\n':
			i++
		default:
			j := i
			for j < len(v) && !strings.ContainsRune("\"(<,;: \t\r\n", rune(v[j])) {
				j++
			}
			word(v[i:j])
			i = j
		}
	}
	flush()
	return out
}

// quoted reads a quoted string or a comment at the start of s: its text,
// backslash escapes undone (comments nest), and the bytes it took; an
// unterminated one runs to the end, as clients read it.
func quoted(s string, open, close byte) (string, int) {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 0:
			depth = 1
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == close && (open == close || depth == 1):
			return b.String(), i + 1
		case c == close:
			depth--
			b.WriteByte(c)
		case c == open:
			depth++
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), len(s)
}

// domainOfAddr is the domain of an address, lower-cased, without a
// trailing dot; "" for none.
func domainOfAddr(a string) string {
	i := strings.LastIndexByte(a, '@')
	if i < 0 {
		return ""
	}
	d := strings.TrimSuffix(strings.Trim(a[i+1:], " []"), ".")
	if d == "" || !utf8.ValidString(d) {
		return ""
	}
	return d
}

// senderFacts are the mailboxes of one message's origin fields, read
// once: the scanned message's, or an attached message's.
type senderFacts struct {
	from, sender, replyTo []mailbox
	envelope              string // the envelope sender's domain (Return-Path's for a stored message)
	listID                bool   // the message has List-Id
	to                    string // its To and Cc, decoded
	attached              string // the attached message's part path; "" for the scanned message
}

func (e *env) senders() *senderFacts {
	if e.sent != nil {
		return e.sent
	}
	f := readSenders(e.m.Origin, e.m.To)
	if len(e.m.Origin.From) == 0 && e.m.From != "" { // a Message not made by Parse
		f.from = mailboxes(truncate(e.m.From, message.MaxOriginBytes))
	}
	if d := e.m.Envelope.SenderDomain(); d != "" {
		f.envelope = d
	}
	e.sent = f
	return f
}

// readSenders reads the mailboxes of a message's origin fields.
func readSenders(o message.Origin, to string) *senderFacts {
	read := func(vals []string) []mailbox {
		var out []mailbox
		for _, v := range vals {
			for _, mb := range mailboxes(v) {
				if len(out) < maxMailboxes {
					out = append(out, mb)
				}
			}
		}
		return out
	}
	f := &senderFacts{from: read(o.From), sender: read(o.Sender), replyTo: read(o.ReplyTo), listID: o.ListID, to: to}
	if o.ReturnPath != "" {
		if mbs := mailboxes(o.ReturnPath); len(mbs) > 0 {
			f.envelope = domainOfAddr(mbs[0].addr)
		}
	}
	return f
}

// maxAttachedMail bounds the attached messages whose senders are judged.
const maxAttachedMail = 8

// attachedSenders are the origin fields of the messages attached to the
// scanned one (message/rfc822 parts, .eml and .msg files), at most
// maxAttachedMail: a "see the attached message" lure shows the reader
// the attached message's From as the sender.
func (e *env) attachedSenders() []*senderFacts {
	if e.attached != nil {
		return *e.attached
	}
	var out []*senderFacts
	for _, p := range e.m.Parts {
		if len(out) == maxAttachedMail {
			break
		}
		if !attachedMail(p) {
			continue
		}
		o, to := message.ReadOrigin(p.Content)
		f := readSenders(o, to)
		f.attached = p.Path
		out = append(out, f)
	}
	e.attached = &out
	return out
}

// attachedMail: p is a whole message attached to another (a
// message/rfc822 part, a file unpack opened as a message: an .eml), or the
// header block of one (text/rfc822-headers: an Outlook .msg's transport
// headers and the sender Outlook shows).
func attachedMail(p *message.Part) bool {
	switch p.DeclaredType {
	case filetype.Mail, "message/global", filetype.RFC822Headers:
		return true
	}
	return p.Container && filetype.LooksLikeMail(p.Content)
}

// shownField is an address field's mailboxes with the field's name as a
// finding's detail starts with it ("" for From).
type shownField struct {
	field string
	mbs   []mailbox
}

// displayed are the fields whose display names a reader sees: From,
// Sender, and Reply-To, shown when the reader answers.
func (f *senderFacts) displayed() []shownField {
	return []shownField{{"", f.from}, {"Sender ", f.sender}, {"Reply-To ", f.replyTo}}
}

// nameDomains are the domains a display name shows: addresses and host
// names with a public suffix, read as the reader sees them (full-width ＠
// and ． as @ and ., invisible characters dropped), lower-cased.
func nameDomains(name string) []string {
	var out []string
	v := strings.ToLower(urls.Visible(name))
	toks := strings.FieldsFunc(v, func(r rune) bool {
		return r < utf8.RuneSelf && !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '.' || r == '-' || r == '@' || r == '_' || r == '+')
	})
	for _, t := range toks {
		if len(out) == 8 {
			break
		}
		t = strings.Trim(t, ".-")
		host := t
		if i := strings.LastIndexByte(t, '@'); i >= 0 {
			host = strings.Trim(t[i+1:], ".-")
		}
		if !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.Contains(host, "..") || net.ParseIP(host) != nil {
			continue
		}
		// A known public suffix, so "v1.2" or "Jr." is not read as a domain;
		// the reserved names (RFC 2606: .example, .test, .invalid,
		// .localhost) are domains to a reader too.
		if _, icann := publicsuffix.PublicSuffix(host); !icann && !reservedTLD(host) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// reservedTLD: host ends in a top-level name RFC 2606 reserves, which no
// public suffix list holds.
func reservedTLD(host string) bool {
	i := strings.LastIndexByte(host, '.')
	switch host[i+1:] {
	case "example", "test", "invalid", "localhost":
		return true
	}
	return false
}

// checkNameDomain: a From or Sender display name that shows an address or
// a domain other than the mailbox's own.
func checkNameDomain(e *env, f *senderFacts) []string {
	var out []string
	for _, fd := range f.displayed() {
		for _, mb := range fd.mbs {
			if d := e.nameShowsOther(f, mb); d != "" {
				out = append(out, fd.field+show(mb.name)+" shows "+show(d)+", the address is "+show(addrShown(mb.addr)))
			}
		}
	}
	return out
}

func addrShown(a string) string {
	if a == "" {
		return "missing"
	}
	return a
}

// nameShowsOther is the first domain or address mb's name shows that is
// not mb's: not its registrable domain, nor its name under another suffix
// (acme.com for acme.de), nor another domain of its brand; an address
// whose local part is the name itself ("anna.li" <anna.li@corp.example>)
// counts only when it is a brand's or a protected domain. A mailing list's
// rewrite ("jo@acme.example via Dev" from the list, with List-Id) is honest
// when the author's address is in Reply-To, To or Cc.
func (e *env) nameShowsOther(f *senderFacts, mb mailbox) string {
	own := domainOfAddr(mb.addr)
	local := ""
	if i := strings.LastIndexByte(mb.addr, '@'); i >= 0 {
		local = mb.addr[:i]
	}
	for _, t := range nameDomains(mb.name) {
		host := t
		if i := strings.LastIndexByte(t, '@'); i >= 0 {
			host = t[i+1:]
			if t == mb.addr {
				continue
			}
		}
		if own != "" && (registrable(host) == registrable(own) || sameName(host, own) || urls.SameOwner(host, own)) {
			continue
		}
		if t == local || t == strings.Trim(local, "\"") {
			if _, brand := urls.BrandDomain(host); !brand && !e.opts.Lookalikes.Protects(host) {
				continue
			}
		}
		if listAuthor(f, mb.name, t) {
			continue
		}
		if onBehalfSenders[registrable(own)] {
			if _, brand := urls.BrandDomain(host); !brand && !e.opts.Lookalikes.Protects(host) {
				continue // a service mailing for its user, under the user's address
			}
		}
		return t
	}
	return ""
}

// onBehalfSenders are services that mail for their users under the user's
// own address ("jo@acme.com via SurveyMonkey", "Jo Smith (jo@acme.com)"
// from Calendly, "jo@acme.com (via Google Drive)", a help desk's
// "support@acme.com" from acme.zendesk.com): an ordinary address their
// display name shows is their user's. A brand's address or a protected
// domain's still counts: anyone can open an account with them.
var onBehalfSenders = set("google.com", "surveymonkeyuser.com", "surveymonkey.com", "calendly.com", "zendesk.com",
	"freshdesk.com", "docusign.net", "linkedin.com", "eventbrite.com", "mailchimpapp.net", "atlassian.net",
	"github.com", "dropbox.com", "box.com", "sharepointonline.com", "zoom.us", "typeform.com", "jotform.com")

// sameName: two hosts whose registrable domains have one name under
// different suffixes (acme.com, acme.co.uk). Which of them imitates which
// is lookalike-domain's question.
func sameName(a, b string) bool {
	ra, rb := registrable(a), registrable(b)
	na, _, _ := strings.Cut(ra, ".")
	nb, _, _ := strings.Cut(rb, ".")
	return na != "" && na == nb
}

// listAuthor: name is a mailing list's rewrite of its author ("X via
// List"), f's message has List-Id, and the address t the name shows is in
// Reply-To, To or Cc, where lists put the author.
func listAuthor(f *senderFacts, name, t string) bool {
	if !f.listID || !strings.Contains(strings.ToLower(name), " via ") || !strings.Contains(t, "@") {
		return false
	}
	for _, mb := range f.replyTo {
		if mb.addr == t {
			return true
		}
	}
	return strings.Contains(strings.ToLower(f.to), t)
}

// checkNameBrand: a From or Sender display name naming a brand while the
// address is at none of the brand's domains. A service's name in trailing
// parentheses ("Jo (Google Calendar)") is honest when the Sender field is
// that service's: it sent on the person's behalf.
func checkNameBrand(e *env, f *senderFacts) []string {
	var out []string
	for _, fd := range f.displayed() {
		for _, mb := range fd.mbs {
			b, how, ok := urls.BrandInName(mb.name)
			if !ok {
				continue
			}
			d := domainOfAddr(mb.addr)
			if d == "" && fd.field != "Reply-To " {
				d = f.envelope
			}
			if d != "" && urls.SendsFrom(b, d) {
				continue
			}
			if onBehalf(f, mb.name, b) || (b == "microsoft" && e.exchangeSystem(f, mb.addr)) {
				continue
			}
			detail := fd.field + show(mb.name) + " names " + b
			if how != "named" {
				detail += " (" + how + ")"
			}
			out = append(out, detail+", the address is "+show(addrShown(mb.addr)))
		}
	}
	return out
}

// checkNameProtected: a From, Sender or Reply-To display name naming a
// protected domain's company (urls.Lookalikes.NamedIn: "AcmeCorp IT
// Helpdesk", "Acme Corp Payroll") while the address is not at that domain.
// roleOnly picks which names count: the company with nothing but words of
// a department, a role or a notice beside it, from any other domain (the
// impersonation of the company's own desk); or, for the other check, the
// company beside a person's name ("Jo Smith (AcmeCorp)") from free mail,
// which employees write from their own accounts too. Not counted: the
// same name under another suffix (sender-lookalike-domain's), a name that
// shows the domain itself (display-name-domain's), a provider's host
// named after the company (acmecorp.zendesk.com: the company's own tenant),
// and a service sending for it ("Acme Corp via Partner Portal").
func checkNameProtected(roleOnly bool) func(e *env, f *senderFacts) []string {
	return func(e *env, f *senderFacts) []string {
		var out []string
		for _, fd := range f.displayed() {
			for _, mb := range fd.mbs {
				prot, rest, ok := e.opts.Lookalikes.NamedIn(mb.name)
				if !ok || e.nameShowsOther(f, mb) != "" {
					continue
				}
				d := domainOfAddr(mb.addr)
				if d == "" && fd.field != "Reply-To " {
					d = f.envelope
				}
				if d != "" && (registrable(d) == prot || sameName(d, prot) || tenantOf(d, prot)) {
					continue
				}
				if slices.Contains(rest, "via") {
					continue
				}
				roles := true
				for _, w := range rest {
					roles = roles && (roleWords[w] || strings.Trim(w, "0123456789") == "")
				}
				if roles != roleOnly || !roleOnly && (d == "" || !freemail(d)) {
					continue
				}
				out = append(out, fd.field+show(mb.name)+" names "+prot+", the address is "+show(addrShown(mb.addr)))
			}
		}
		return out
	}
}

// tenantOf: host is a provider's host named after protected's company
// (acmecorp.zendesk.com, acmecorp.bamboohr.com for acmecorp.com), not free
// mail.
func tenantOf(host, protected string) bool {
	name, _, _ := strings.Cut(protected, ".")
	reg := registrable(host)
	if reg == host || freemail(host) {
		return false
	}
	labels := strings.Split(strings.TrimSuffix(host, "."+reg), ".")
	return slices.Contains(labels, name)
}

// roleWords are the words beside a company's name in the display name of
// its own desks and notices ("AcmeCorp IT Helpdesk", "Acme Corp Payroll
// Team", "ACME HR Benefits"): department, role, notice and legal-form words.
var roleWords = set("it", "ict", "hr", "helpdesk", "help", "desk", "servicedesk", "service", "services", "support",
	"team", "security", "admin", "administrator", "administration", "payroll", "pay", "benefits", "human",
	"resources", "people", "finance", "financial", "accounts", "accounting", "account", "payable", "payables",
	"receivable", "billing", "invoice", "invoices", "invoicing", "procurement", "purchasing", "legal",
	"compliance", "ceo", "cfo", "coo", "cto", "ciso", "office", "executive", "management", "department",
	"dept", "group", "global", "corp", "corporation", "inc", "ltd", "llc", "gmbh", "ag", "plc", "co", "company",
	"the", "of", "and", "for", "mail", "email", "e", "webmail", "mailbox", "postmaster", "noreply", "no",
	"reply", "donotreply", "notification", "notifications", "notice", "alert", "alerts", "system", "systems",
	"portal", "online", "login", "verify", "verification", "password", "reset", "update", "sharepoint",
	"onedrive", "teams", "docs", "document", "documents", "file", "files", "shared", "share", "fax",
	"voicemail", "scan", "scanner", "hq", "internal", "staff", "employee", "employees", "communications",
	"news", "operations", "network", "technology", "tech", "information", "treasury", "expense", "expenses",
	"travel", "facilities", "recruiting", "talent", "careers", "hiring", "onboarding", "training", "audit",
	"secure", "info", "contact", "customer", "care", "sales", "orders", "shipping", "delivery", "wire",
	"transfer", "center", "centre", "desktop", "microsoft", "office365", "m365", "outlook", "exchange", "vpn")

// exchangeSystem: addr is the system mailbox Exchange sends its own
// reports from ("Microsoft Outlook" <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@corp.example>,
// undeliverable and recall reports) in a recipient's own domain: the
// organisation's server, not a stranger naming Microsoft. The recipients
// are f's message's.
func (e *env) exchangeSystem(f *senderFacts, addr string) bool {
	if !strings.HasPrefix(addr, "microsoftexchange") {
		return false
	}
	d := registrable(domainOfAddr(addr))
	var rcpts []string
	if f.attached == "" {
		for _, r := range e.recipientAddrs() {
			rcpts = append(rcpts, r.lower)
		}
	} else {
		rcpts = headerAddrs(f.to)
	}
	for _, r := range rcpts {
		if d != "" && registrable(domainOfAddr(strings.ToLower(r))) == d {
			return true
		}
	}
	return false
}

// onBehalf: brand is named only inside parentheses at the end of name, and
// a Sender mailbox is at the brand's own domain.
func onBehalf(f *senderFacts, name, brand string) bool {
	n := strings.TrimSpace(name)
	i := strings.LastIndexByte(n, '(')
	if !strings.HasSuffix(n, ")") || i <= 0 {
		return false
	}
	if b, _, ok := urls.BrandInName(n[:i]); ok && b == brand {
		return false
	}
	for _, mb := range f.sender {
		if d := domainOfAddr(mb.addr); d != "" && urls.SendsFrom(brand, d) {
			return true
		}
	}
	return false
}

// checkSenderLookalike: a From, Sender, Reply-To or envelope sender domain
// that imitates a brand or a protected domain, as lookalike-domain judges
// link hosts.
func checkSenderLookalike(e *env, f *senderFacts) []string {
	var out []string
	seen := map[string]bool{}
	look := func(field, d string) {
		if d == "" || seen[d] || len(seen) >= maxMailboxes*3 {
			return
		}
		seen[d] = true
		host := d
		if h, ok := urls.ParseHost(d); ok {
			host = h
		}
		if b, how, ok := e.lookalike(host); ok {
			out = append(out, field+" domain "+show(d)+" imitates "+b+": "+how)
		}
	}
	for _, mb := range f.from {
		look("From", domainOfAddr(mb.addr))
	}
	for _, mb := range f.sender {
		look("Sender", domainOfAddr(mb.addr))
	}
	for _, mb := range f.replyTo {
		look("Reply-To", domainOfAddr(mb.addr))
	}
	look("envelope sender", f.envelope)
	return out
}

// freemail are the registrable names of free mail services, under any
// suffix (yahoo.co.jp, gmx.de), and whole domains whose name is a word.
var (
	freemailNames   = set("gmail", "googlemail", "outlook", "hotmail", "live", "msn", "yahoo", "ymail", "aol", "icloud", "gmx", "yandex", "protonmail", "proton", "zoho", "tutanota", "tuta", "mailfence", "seznam", "libero", "naver", "rediffmail")
	freemailDomains = set("me.com", "mac.com", "mail.com", "email.com", "web.de", "t-online.de", "mail.ru", "inbox.ru", "list.ru", "bk.ru", "qq.com", "163.com", "126.com", "orange.fr", "free.fr", "laposte.net", "wp.pl", "o2.pl", "interia.pl")
)

func freemail(host string) bool {
	reg := registrable(host)
	name, _, _ := strings.Cut(reg, ".")
	return freemailDomains[reg] || freemailNames[name]
}

// checkReplyTo: the From is a protected domain or a brand's own, and
// Reply-To sends the answer to another owner's domain; freemail says
// whether to count only answers to free mail services or only the others.
func checkReplyTo(toFreemail bool) func(e *env) []string {
	return func(e *env) []string {
		f := e.senders()
		var out []string
		for _, from := range f.from {
			fd := domainOfAddr(from.addr)
			if fd == "" {
				continue
			}
			what := ""
			if e.opts.Lookalikes.Protects(fd) {
				what = "a protected domain"
			} else if b, ok := urls.BrandDomain(fd); ok && !freemail(fd) { // a Gmail user is not Google
				what = b + "'s domain"
			} else {
				continue
			}
			for _, rt := range f.replyTo {
				rd := domainOfAddr(rt.addr)
				if rd == "" || registrable(rd) == registrable(fd) || urls.SameOwner(fd, rd) || freemail(rd) != toFreemail {
					continue
				}
				out = append(out, "From "+show(from.addr)+" ("+what+"), Reply-To "+show(rt.addr))
			}
		}
		return out
	}
}
