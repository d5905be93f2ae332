package heuristic

import (
	"net"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/publicsuffix"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

func itoa(n int) string { return strconv.Itoa(n) }

// registrable is the domain a registrant controls ("example.co.uk" for
// "a.b.example.co.uk"); the host itself for IPs and unknown suffixes.
func registrable(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" || net.ParseIP(host) != nil {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

func checkBlocklist(e *env, p *message.Part, u urls.URL) string {
	if e.opts.Blocklist == nil {
		return ""
	}
	if m := e.opts.Blocklist.Match(u); m != "" {
		return show(u.Raw) + " matches blocklist entry " + show(m)
	}
	return ""
}

// checkDNSBL asks the configured zones about the URL's registered domain (or
// IP). Queries are bounded per message and cached per message on top of the
// resolver's own cache; a failed lookup is reported to OnDNSBLError, never a
// finding.
func checkDNSBL(e *env, p *message.Part, u urls.URL) string {
	if e.opts.DNSBL == nil || u.Host == "" {
		return ""
	}
	q := e.registrable(u.Host)
	ls, ok := e.dnsCache[q]
	if !ok {
		if e.dnsLeft <= 0 {
			return ""
		}
		e.dnsLeft--
		var err error
		ls, err = e.opts.DNSBL.Lookup(e.ctx, q)
		if err != nil && e.opts.OnDNSBLError != nil {
			e.opts.OnDNSBLError(q, err)
		}
		e.dnsCache[q] = ls
	}
	if len(ls) == 0 {
		return ""
	}
	var zs []string
	for _, l := range ls {
		zs = append(zs, l.Zone+"="+l.Answer)
	}
	return show(q) + " listed in " + strings.Join(zs, ", ")
}

func checkLookalike(e *env, p *message.Part, u urls.URL) string {
	if u.Host == "" {
		return ""
	}
	if b, how, ok := e.lookalike(u.Host); ok {
		return show(u.UnicodeHost()) + " (" + u.Host + ") imitates " + b + ": " + how
	}
	return ""
}

func checkMixedScript(e *env, p *message.Part, u urls.URL) string {
	if u.Host == "" {
		return ""
	}
	if l, ok := e.mixedScript(u.Host); ok {
		return "label " + show(l) + " of " + u.Host + " mixes scripts"
	}
	return ""
}

func checkUserinfo(e *env, p *message.Part, u urls.URL) string {
	if !strings.Contains(u.Raw, "@") { // no user info without one; spares a url.Parse
		return ""
	}
	ui := u.UserInfo()
	name, _, _ := strings.Cut(ui, ":")
	if strings.Contains(name, ".") {
		return show(u.Raw) + " shows " + show(name) + " but goes to " + show(u.Host)
	}
	return ""
}

func checkIPURL(e *env, p *message.Part, u urls.URL) string {
	h := u.Host
	if h == "" {
		return ""
	}
	if e.isIPHost(h) {
		return show(truncate(u.Raw, 100)) + " uses an IP address"
	}
	return ""
}

// obfuscatedIP: a host browsers read as an IPv4 address although it is not
// dotted decimal: "3232235777", "0x7f.1", "0300.0250.0.1".
func obfuscatedIP(h string) bool {
	parts := strings.Split(h, ".")
	if len(parts) > 4 {
		return false
	}
	for _, s := range parts {
		if s == "" {
			return false
		}
		if _, err := strconv.ParseUint(s, 0, 32); err != nil {
			return false
		}
	}
	return true
}

// linkTextHost returns the host a link's text shows, "" when the text is not
// a URL or domain name.
func linkTextHost(text string) string {
	t := strings.TrimSpace(text)
	if t == "" || strings.ContainsAny(t, " \t@") { // "@": an address, not a site
		return ""
	}
	if !strings.Contains(t, "://") {
		t = "http://" + t
	}
	u := urls.Parse(shownHost(t)) // the reader's host ends at a look-alike slash (hostsep.go)
	if net.ParseIP(u.Host) != nil {
		return u.Host
	}
	if !strings.Contains(u.Host, ".") {
		return ""
	}
	// A known public suffix, so "v1.2" or "file.pdf" is not read as a
	// domain; a reserved name (shop.example) is a domain to a reader too.
	if _, icann := publicsuffix.PublicSuffix(u.Host); !icann && !reservedTLD(u.Host) {
		return ""
	}
	return u.Host
}

// brandDomains are the registered domains the link-text brand check knows.
var brandDomains = set("paypal.com", "microsoft.com", "office.com", "office365.com", "outlook.com",
	"live.com", "apple.com", "icloud.com", "google.com", "gmail.com", "amazon.com", "dhl.com",
	"dhl.de", "fedex.com", "ups.com", "docusign.com", "docusign.net", "dropbox.com", "adobe.com",
	"linkedin.com", "facebook.com", "instagram.com", "netflix.com", "wellsfargo.com", "chase.com",
	"bankofamerica.com", "coinbase.com", "binance.com", "yahoo.com", "whatsapp.com", "usps.com",
	"wetransfer.com", "zoom.us", "spotify.com", "sparkasse.de", "postbank.de")

// brandLinks are the short-link and file domains brands link to that are
// not named after them, by owner (urls.BrandOwner) (the domains they send from, urls.SendsFrom, they
// link to as well).
var brandLinks = map[string][]string{
	"microsoft": {"1drv.ms", "aka.ms", "cloud.microsoft"}, "google": {"goo.gl", "g.co", "forms.gle", "googleusercontent.com"},
	"dropbox": {"db.tt", "dropboxusercontent.com"}, "linkedin": {"lnkd.in"}, "amazon": {"amzn.to", "a.co"},
	"wetransfer": {"we.tl"}, "spotify": {"spoti.fi"}, "facebook": {"fb.me", "wa.me", "messenger.com"},
	"adobe": {"adobe.ly"}, "bankofamerica": {"bofa.com"},
}

// brandOwns: host is brand b's (or its owner's): a domain it sends from,
// or one it links to.
func brandOwns(b, host string) bool {
	if urls.SendsFrom(b, host) {
		return true
	}
	return slices.Contains(brandLinks[urls.BrandOwner(b)], registrable(host))
}

func checkLinkMismatch(brand bool) func(*env, *message.Part, urls.URL) string {
	return func(e *env, p *message.Part, u urls.URL) string {
		// A wrapper is judged by its target, which carries the same text.
		if u.Wraps != "" || u.Source != urls.SourceHref || u.Text == "" || u.Scheme == "mailto" || u.Scheme == "tel" {
			return ""
		}
		shown := e.linkTextHost(u.Text)
		if shown == "" {
			return ""
		}
		rs := e.registrable(shown)
		if u.Host != "" && e.registrable(u.Host) == rs {
			return ""
		}
		if brandDomains[rs] != brand {
			return ""
		}
		to := u.Host
		if to == "" {
			to = u.Scheme + ":"
		}
		return "text shows " + show(shown) + ", link goes to " + show(to)
	}
}

// signInPhrases are what a link's text says to have the reader sign in to
// a brand or open a document with it: "Sign in to Microsoft 365", "Review
// document in DocuSign", "View on SharePoint". Matched as whole words.
var signInPhrases = []string{"sign in", "sign-in", "signin", "log in", "log-in", "login", "log on", "logon",
	"sign on", "verify", "unlock", "reactivate", "re-activate", "password", "document", "documents", "envelope",
	"shared file", "view file", "open file", "review file"}

// openPhrases send the reader to a file on a brand's drive or signing
// service ("View on SharePoint"); other brands' ("Open in Google Maps",
// "View on Instagram") are newsletter links.
var openPhrases = []string{"view on", "view in", "open in", "open on", "open with"}

// anyLinkPhrase are signInPhrases and openPhrases as checkBrandSignIn
// looks for them, between spaces.
var anyLinkPhrase = func() (a []string) {
	for _, ph := range slices.Concat(signInPhrases, openPhrases) {
		a = append(a, " "+ph+" ")
	}
	return a
}()

var docBrands = set("microsoft", "office365", "office", "outlook", "onedrive", "sharepoint", "dropbox", "docusign",
	"adobe", "wetransfer")

// checkBrandSignIn: a link whose text asks to sign in to a brand or open a
// document with it, to a domain that is none of the brand's. Text showing
// a domain is link-text-brand-mismatch's; shared hosting is
// free-hosting-lure's.
func checkBrandSignIn(e *env, p *message.Part, u urls.URL) string {
	if u.Wraps != "" || u.Source != urls.SourceHref || u.Text == "" || u.Host == "" || e.linkTextHost(u.Text) != "" {
		return ""
	}
	text := " " + strings.Join(strings.FieldsFunc(strings.ToLower(u.Text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	}), " ") + " "
	// The phrase first: the check finds nothing without one of
	// anyLinkPhrase (the loop at its end), and most links' texts hold
	// none, where reading the brand in them cost more than the words.
	if !slices.ContainsFunc(anyLinkPhrase, func(ph string) bool { return strings.Contains(text, ph) }) {
		return ""
	}
	// As a display name is read: lookalike letters, split words, typos.
	b, _, ok := urls.BrandInName(u.Text)
	if !ok || brandOwns(b, u.Host) {
		return ""
	}
	if _, ok := urls.HostedAt(u); ok || e.ownSignIn(u.Host) {
		return ""
	}
	// "Sign in with Google" is an app's own button, not the brand's page.
	if strings.Contains(text, " with "+b+" ") {
		return ""
	}
	phrases := signInPhrases
	if docBrands[b] {
		phrases = append(phrases[:len(phrases):len(phrases)], openPhrases...)
	}
	for _, ph := range phrases {
		if strings.Contains(text, " "+ph+" ") {
			return "text " + show(truncate(u.Text, 60)) + " names " + show(b) + ", link goes to " + show(u.Host)
		}
	}
	return ""
}

// ownSignIn: host is on the registrable domain of a From address that is
// a recipient's own domain or a protected one, no free mail service and no
// lookalike: a company's IT desk sending its staff to its own sign-in
// server ("Sign in to Microsoft 365" to sso.acme.com). A stranger's
// domain linking to itself is not exempt: that is how a phishing site
// on the sender's own domain looks.
func (e *env) ownSignIn(host string) bool {
	reg := e.registrable(host)
	for _, mb := range e.senders().from {
		d := domainOfAddr(mb.addr)
		if d == "" || registrable(d) != reg || freemail(d) {
			continue
		}
		if _, _, look := e.lookalike(d); look {
			continue
		}
		if e.opts.Lookalikes.Protects(d) {
			return true
		}
		for _, r := range e.recipientAddrs() {
			if registrable(domainOfAddr(r.lower)) == reg {
				return true
			}
		}
	}
	return false
}

func checkSchemeLink(schemes ...string) func(*env, *message.Part, urls.URL) string {
	return func(e *env, p *message.Part, u urls.URL) string {
		if !u.IsLink() {
			return ""
		}
		for _, s := range schemes {
			if u.Scheme == s {
				return u.Source + " to " + show(truncate(u.Raw, 60))
			}
		}
		return ""
	}
}

func checkRedirect(e *env, p *message.Part, u urls.URL) string {
	if u.Via == "" {
		return ""
	}
	return "via " + show(u.Via) + " to " + show(truncate(u.Raw, 100))
}

// publicRedirects are the wrappers anybody can point at any site; link
// protection services (Safe Links, Proofpoint, ...) and newsletter tracking
// redirects are left out, as honest mail passes through them every day.
var publicRedirects = []string{"Google redirect", "Google AMP", "Bing redirect", "Facebook link shim", "LinkedIn redirect", "Slack redirect", "OAuth redirect"}

func checkOpenRedirect(e *env, p *message.Part, u urls.URL) string {
	if u.Via == "" || u.Source == urls.SourceSrc { // an image loaded through a redirect is not a click
		return ""
	}
	for _, w := range publicRedirects {
		if strings.HasPrefix(u.Via, w+" (") {
			wrapperHost := strings.TrimSuffix(u.Via[len(w)+2:], ")")
			if e.registrable(wrapperHost) == e.registrable(u.Host) {
				return ""
			}
			return show(w) + " sends the reader to " + show(u.Host)
		}
	}
	return ""
}

func checkQRURL(e *env, p *message.Part, u urls.URL) string {
	if u.Source != urls.SourceQR || u.Via != "" {
		return ""
	}
	return "code says " + show(truncate(u.Raw, 100))
}

func checkQROnlyLink(e *env, p *message.Part, u urls.URL) string {
	if u.Source != urls.SourceQR || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	// The sender's site by the envelope or by From: mail sent through a
	// mailing service has the service's envelope and the sender's From.
	if reg := e.registrable(u.Host); reg == e.sender || reg == registrable(fromDomain(e.m.From)) {
		return ""
	}
	if !e.onlyCodeLinks() {
		return ""
	}
	return "the only link is a code to " + show(u.Host)
}

func checkImageNotSearched(e *env, p *message.Part) []string {
	return e.partCodes(p).Skipped
}

// sendersOwn: host is the sender's site, by the envelope or by From (a
// mailing service's envelope carries the sender's From).
func (e *env) sendersOwn(host string) bool {
	reg := e.registrable(host)
	return reg == e.sender || reg == registrable(fromDomain(e.m.From))
}

// hosted is where a link that a reader may follow is on shared hosting
// (urls.HostedAt), outside the sender's own site; ok false otherwise.
func (e *env) hosted(u urls.URL) (urls.Hosted, bool) {
	if u.Source == urls.SourceSrc { // an image is not a page a reader goes to
		return urls.Hosted{}, false
	}
	h, ok := urls.HostedAt(u)
	if !ok || e.sendersOwn(u.Host) {
		return urls.Hosted{}, false
	}
	return h, true
}

// checkAnonymousHost: content on IPFS, a tunnel, or a web page served from
// a storage bucket: pages that no domain's reputation speaks for and that
// honest mail seldom links.
func checkAnonymousHost(e *env, _ *message.Part, u urls.URL) string {
	h, ok := e.hosted(u)
	if !ok {
		return ""
	}
	switch {
	case h.Kind == urls.IPFS:
		return show(truncate(u.Raw, 100)) + " is content on IPFS"
	case h.Kind == urls.Tunnel:
		return show(truncate(u.Raw, 100)) + " goes through a tunnel (" + h.Host + ")"
	case h.Kind == urls.Storage && urls.WebPage(h.Page):
		return show(truncate(u.Raw, 100)) + " is a web page in a bucket (" + h.Host + ")"
	}
	return ""
}

// checkFreeHostingLure: a link to shared hosting with a sign of a lure.
func checkFreeHostingLure(e *env, p *message.Part, u urls.URL) string {
	h, ok := e.hosted(u)
	if !ok {
		return ""
	}
	if sign := e.hostedLureSign(p, u, h); sign != "" {
		return show(truncate(u.Raw, 100)) + " on " + h.Host + ": " + sign
	}
	return ""
}

// hostedLureSign is what marks a link to shared hosting as a lure, "" for
// nothing: a brand named by the site or page, as a word or glued to lure
// words (not the site's owner: the brand's own account, microsoft.github.io,
// or the host's owner, google on storage.googleapis.com), a page named for a sign-in, the recipient's
// address (not on apps and forms), link text naming a brand (or, to IPFS
// or a page in a bucket, a lure word), or a form or script sending there.
func (e *env) hostedLureSign(p *message.Part, u urls.URL, h urls.Hosted) string {
	own := func(b string) bool { return urls.SameBrand(b, h.Owner) || b == h.Site }
	if b, ok := urls.BrandNamed(h.Site); ok && !own(b) {
		return "the site's name carries " + show(b)
	}
	if b, ok := urls.BrandGlued(h.Site); ok && !own(b) {
		return "the site's name carries " + show(b) + " glued to lure words"
	}
	if urls.WebPage(h.Page) {
		name := h.Page[:strings.LastIndexByte(h.Page, '.')]
		if b, ok := urls.BrandNamed(name); ok && !own(b) {
			return "the page's name carries " + show(b)
		}
		if b, ok := urls.BrandGlued(name); ok && !own(b) {
			return "the page's name carries " + show(b) + " glued to lure words"
		}
		if w, ok := urls.LureWordIn(h.Page); ok {
			return "the page's name carries " + show(w)
		}
	}
	// Apps, forms and shares put their users' addresses in links honestly
	// (an invitation, a pre-filled form); static pages have no such need.
	if h.Kind != urls.AppHosting && h.Kind != urls.FormBuilder && h.Kind != urls.FileShare {
		if _, ok := e.recipientIn(u.Raw); ok {
			return "the link carries the recipient's address"
		}
	}
	if w := e.accountLure(p); w != "" {
		return "the message says " + show(w)
	}
	if lure := e.shareLureOnHosting(p, u, h); lure != "" {
		return "the message says " + show(lure) + " and its button " + show(truncate(u.Text, 60)) + " goes there"
	}
	if u.Text != "" && e.linkTextHost(u.Text) == "" {
		if b, ok := urls.BrandNamed(u.Text); ok && !own(b) {
			return "its text names " + show(b)
		}
		// A static page with no owner (IPFS, a page in a bucket) that the
		// text sends the reader to sign in on.
		if h.Kind == urls.IPFS || h.Kind == urls.Storage && urls.WebPage(h.Page) {
			if w, ok := urls.LureWordIn(u.Text); ok {
				return "its text says " + show(w)
			}
		}
	}
	if u.Source == urls.SourceAction {
		return "a form posts there"
	}
	if u.Source == urls.SourceScript || e.inPageScript(p, u) {
		return "the page's script sends there"
	}
	return ""
}

// accountLures are what mail says to send a reader to give up a mailbox's
// password: the mailbox is full, the password expires, the account must be
// verified or will be closed, in the languages phishers write most. Honest
// mail says this with a link to the provider's own site, not to a form or a
// page anybody can make.
var accountLures = []string{
	"mailbox is full", "mailbox is almost full", "mailbox full", "mailbox quota", "storage quota",
	"quota exceeded", "exceeded your quota", "exceeded its quota", "exceeded the storage", "storage is full",
	"incoming mail will be returned", "incoming messages will be", "messages are on hold", "pending messages",
	"password expires", "password will expire", "password has expired", "password expired", "password expiry",
	"password expiration", "keep your password", "keep my password", "keep current password", "keep the same password",
	"verify your account", "verify your mailbox", "validate your account", "validate your mailbox",
	"confirm your account", "re-validate", "revalidate", "reactivate your account", "upgrade your mailbox",
	"account will be suspended", "account will be closed", "account will be deactivated", "account will be terminated",
	"account has been suspended", "mailbox will be suspended", "mailbox will be deactivated", "unusual sign-in",
	// German, French, Spanish, Italian, Portuguese, Dutch, Japanese.
	"postfach ist voll", "postfach voll", "speicherplatz ist voll", "passwort läuft", "passwort ist abgelaufen",
	"passwort abgelaufen", "kennwort läuft", "kennwort ist abgelaufen", "kennwort abgelaufen", "konto verifizieren",
	"konto bestätigen", "konto wird gesperrt", "postfach wird gesperrt",
	"boîte aux lettres est pleine", "boîte de réception est pleine", "boîte mail est pleine", "boite mail pleine",
	"mot de passe expire", "mot de passe a expiré", "vérifier votre compte", "vérifiez votre compte", "quota de stockage",
	"compte sera suspendu", "compte sera désactivé",
	"buzón está lleno", "buzón lleno", "contraseña caduca", "contraseña expira", "contraseña ha caducado",
	"contraseña ha expirado", "verificar su cuenta", "verifique su cuenta", "cuota de almacenamiento", "cuenta será suspendida",
	"casella di posta è piena", "casella piena", "password scade", "password è scaduta", "verifica il tuo account",
	"verificare il tuo account", "account verrà sospeso",
	"caixa de correio está cheia", "caixa de entrada está cheia", "caixa de entrada cheia", "senha expira", "senha expirou",
	"verifique sua conta", "verificar sua conta", "conta será suspensa",
	"mailbox is vol", "postvak is vol", "wachtwoord verloopt", "wachtwoord is verlopen", "verifieer uw account",
	"account verifiëren", "account wordt opgeschort",
	"メールボックスの容量", "メールボックスがいっぱい", "パスワードの有効期限", "アカウントを確認", "アカウントの確認", "アカウントが停止",
}

// accountLure is the account lure (accountLures) that the subject or the
// text of p, the part a link is in, says; "" for none. An HTML part's text
// is what its reader sees (showntext): markup inside a word (mail<b>box</b>),
// entities, line breaks, no-break and zero-width characters between the
// words do not hide one, and a lure hidden from the reader is none.
func (e *env) accountLure(p *message.Part) string {
	text := e.plainText(p)
	subject := plainWords(e.m.Subject)
	for _, w := range accountLures {
		if strings.Contains(subject, w) || strings.Contains(text, w) {
			return w
		}
	}
	return ""
}

// plainText is the text of p as accountLure reads it (plainWords of what
// its reader sees, up to maxLureText), once a part.
func (e *env) plainText(p *message.Part) string {
	text, ok := e.lureText[p]
	if !ok {
		if urls.IsHTML(p) {
			text = plainWords(e.htmlText(p, maxLureText))
		} else {
			text = plainWords(string(head(p)[:min(len(head(p)), maxLureText)]))
		}
		e.lureText[p] = text
	}
	return text
}

// maxLureText is how much of a part's text accountLure reads: a lure says
// its piece at the top.
const maxLureText = 64 << 10

// plainWords is s as a reader compares its words: format characters
// dropped (urls.Visible), lower-cased, runs of white space (no-break
// spaces too) made one space.
func plainWords(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(urls.Visible(s))), " ")
}

// inPageScript: u is a string of an HTML attachment's script (a URL read
// from the page's own text keeps that source, not "script").
func (e *env) inPageScript(p *message.Part, u urls.URL) bool {
	pg := e.scriptPage(p)
	if pg == nil || u.Source != urls.SourceText {
		return false
	}
	for _, s := range pg.scriptURLs {
		if strings.TrimSpace(s) == u.Raw {
			return true
		}
	}
	return false
}
