package urls

import (
	"fmt"
	"net"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Lookalikes finds hosts that imitate a protected name: the brands phishers
// imitate most, and the domains an admin protects (heuristics.protected_domains:
// their own and their partners', the classic BEC trick). It is read-only
// after NewLookalikes and safe for concurrent use.
type Lookalikes struct {
	domains []protectedDomain
	bySkel  map[string][]int // skeleton of a protected name label -> indexes in domains
}

// protectedDomain is one protected registrable domain ("example.co.uk") and
// its name label ("example").
type protectedDomain struct {
	domain, name string
}

// lureWords are the words typo-squatters put around a protected name:
// "paypal-login", "secure-paypal".
// Words brands use in their own domains ("online" in microsoftonline.com,
// "objects" in paypalobjects.com) are not lure words.
var lureWords = set("login", "logon", "signin", "secure", "security", "account", "accounts", "verify",
	"verification", "support", "update", "auth", "billing", "confirm", "recovery", "alert", "unlock",
	"wallet", "payment", "payments", "webmail", "helpdesk", "validate", "password", "reset")

// hyphenLureWords are further words phishers put beside a brand as words
// of their own ("sharepoint-files", "microsoft-365-login", "dhl-parcel-
// notice"): only as hyphenated words, because brands glue some of them
// onto their own domains (adobesign.com, microsoft365.com,
// amazonservices.com).
var hyphenLureWords = set("sign", "esign", "signon", "doc", "docs", "document", "documents", "file", "files",
	"share", "shared", "sharing", "portal", "online", "365", "mail", "cloud", "drive", "storage", "notice",
	"invoice", "invoices", "delivery", "tracking", "track", "parcel", "package", "review", "message",
	"voicemail", "fax", "service", "services", "team", "center", "help", "id", "2fa", "mfa")

// lureBrands are brands too short or word-like for one-letter typos but
// distinctive enough that the brand itself with only lure words around it
// ("dhl-parcel-tracking", "adobe-sign-docs") imitates it. "office", "chase"
// and "zoom" are ordinary words and stay out.
var lureBrands = []string{"adobe", "apple", "dhl", "fedex", "usps", "icloud", "outlook", "yahoo", "gmail", "binance"}

// typoBrands are the brands long and distinctive enough for one-edit and
// swapped-letter matches; short or word-like names ("office", "chase",
// "apple", "icloud" vs "cloud", "binance" vs "finance") are left to the
// skeleton match.
var typoBrands = []string{"paypal", "microsoft", "microsoftonline", "office365", "onedrive", "sharepoint", "google", "amazon",
	"docusign", "dropbox", "linkedin", "facebook", "instagram", "netflix", "wellsfargo", "bankofamerica",
	"coinbase", "whatsapp", "wetransfer", "spotify", "steamcommunity", "sparkasse", "postbank"}

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// NewLookalikes protects the given domains (registrable domains or hosts
// below them) on top of the built-in brands. A name that is not a domain is
// an error naming it.
func NewLookalikes(domains []string) (*Lookalikes, error) {
	l := &Lookalikes{bySkel: map[string][]int{}}
	for _, d := range domains {
		h, ok := ParseHost(strings.TrimSpace(d))
		if !ok || net.ParseIP(h) != nil || !strings.Contains(h, ".") {
			return nil, fmt.Errorf("urls: protected domain %q is not a domain name", d)
		}
		reg, err := publicsuffix.EffectiveTLDPlusOne(h)
		if err != nil {
			return nil, fmt.Errorf("urls: protected domain %q: %w", d, err)
		}
		name := reg[:strings.IndexByte(reg, '.')]
		l.domains = append(l.domains, protectedDomain{reg, name})
		sk := Skeleton(unicodeHost(name))
		l.bySkel[sk] = append(l.bySkel[sk], len(l.domains)-1)
	}
	return l, nil
}

// Match reports what host imitates ("paypal", or a protected domain) and
// how. A host under a protected domain, or a brand spelled right, is no
// lookalike.
func (l *Lookalikes) Match(host string) (imitates, how string, ok bool) {
	if host == "" || net.ParseIP(host) != nil {
		return "", "", false
	}
	if b, ok := Lookalike(host); ok {
		return b, "lookalike letters", true
	}
	reg, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", "", false
	}
	name := reg[:strings.IndexByte(reg, '.')]
	uname := unicodeHost(name)
	if l != nil {
		for _, d := range l.domains {
			if reg == d.domain {
				return "", "", false // the protected domain itself (or a host below it)
			}
		}
	}
	if b, ok := l.domainInFront(host, reg); ok {
		return b, "its domain in front of another one", true
	}
	if l != nil {
		if same := l.bySkel[Skeleton(uname)]; len(same) > 0 {
			for _, i := range same {
				if uname == l.domains[i].name {
					return l.domains[i].domain, "the same name under another suffix", true
				}
			}
			return l.domains[same[0]].domain, "lookalike letters", true
		}
		for _, d := range l.domains {
			if how, ok := typoOf(uname, d.name, len(d.name) >= 4); ok {
				return d.domain, how, true
			}
		}
	}
	for _, b := range typoBrands {
		if how, ok := typoOf(uname, b, true); ok {
			return b, how, true
		}
	}
	for _, b := range lureBrands {
		if how, ok := typoOf(uname, b, false); ok {
			return b, how, true
		}
	}
	return "", "", false
}

// Protects reports whether host is a protected domain or a host below one.
func (l *Lookalikes) Protects(host string) bool {
	if l == nil {
		return false
	}
	reg, err := publicsuffix.EffectiveTLDPlusOne(strings.TrimSuffix(strings.ToLower(host), "."))
	if err != nil {
		return false
	}
	for _, d := range l.domains {
		if reg == d.domain {
			return true
		}
	}
	return false
}

// legalForms are the endings of a company's domain name that its display
// names spell out or leave out ("Globex Corporation", "Globex" for
// globexcorp.com).
var legalForms = []string{"corp", "inc", "co", "group", "ltd", "llc", "gmbh", "ag", "plc", "holdings"}

// NamedIn reports the protected domain whose name a sender's display name
// carries as words: "AcmeCorp IT", "Acme Corp Payroll", "ACME-CORP",
// "A c m e C o r p", in lookalike letters ("Acme C0rp"), one letter off
// for names of 6 letters or more ("GIobex Corp", which reads "giobex"
// lower-cased), without or with another spelling of its legal form
// ("Acme Corporation", "Acme" for acmecorp.com), or glued to a word
// ("AcmeCorpIT", rest "it"); rest are the name's other words (the
// generic suffix words such as "com" left out). Names of fewer than 3 letters count only
// as written.
func (l *Lookalikes) NamedIn(name string) (domain string, rest []string, ok bool) {
	if l == nil || len(l.domains) == 0 {
		return "", nil, false
	}
	var words []string
	for _, w := range NameWords(name) {
		if len(w) > 2 && frontSuffix(w) && len(words) > 0 { // "com", not "it" or "hr", country codes and words
			continue
		}
		words = append(words, w)
	}
	same := func(cand string, d protectedDomain) bool {
		key := strings.ReplaceAll(d.name, "-", "")
		keys := []string{key}
		for _, lf := range legalForms {
			if stem := strings.TrimSuffix(key, lf); stem != key && len(stem) >= 4 {
				keys = append(keys, stem) // "Globex Corporation" for globexcorp
			}
		}
		for i, k := range keys {
			if cand == k || len(k) >= 3 && Skeleton(cand) == Skeleton(k) {
				return true
			}
			// "GIobex Corp", read lower-case as "giobexcorp"; a stem only
			// with a letter changed, so "Globe" is not "Globex".
			if _, ok := typoCore(cand, k, true); ok && len(k) >= 6 && (i == 0 || len(cand) == len(k)) {
				return true
			}
		}
		return false
	}
	for i := range words {
		// A run of single letters, joined.
		j := i
		for j < len(words) && len([]rune(words[j])) == 1 {
			j++
		}
		for _, d := range l.domains {
			if j-i >= 3 && same(strings.Join(words[i:j], ""), d) {
				return d.domain, append(words[:i:i], words[j:]...), true
			}
		}
		for n := min(4, len(words)-i); n >= 1; n-- {
			joined := strings.Join(words[i:i+n], "")
			for _, d := range l.domains {
				if same(joined, d) {
					return d.domain, append(words[:i:i], words[i+n:]...), true
				}
				key := strings.ReplaceAll(d.name, "-", "")
				if n == 1 && len(key) >= 3 && strings.HasPrefix(joined, key) {
					return d.domain, append(append(words[:i:i], joined[len(key):]), words[i+1:]...), true
				}
			}
		}
	}
	return "", nil, false
}

// domainInFront finds a brand's or a protected domain written in front of
// another registrable domain, which a reader who looks at the start of the
// address takes for the real one: login.microsoftonline.com.auth-session.net,
// paypal.com-secure.example (a brand label, then an ICANN suffix as a label
// of its own, or the start of one). reg is host's registrable domain.
func (l *Lookalikes) domainInFront(host, reg string) (string, bool) {
	front := strings.TrimSuffix(host, reg)
	if front == "" || front == host {
		return "", false
	}
	labels := strings.Split(strings.TrimSuffix(front, "."), ".")
	if l != nil {
		dotted := "." + front
		for _, d := range l.domains {
			if strings.Contains(dotted, "."+d.domain+".") || strings.Contains(dotted, "."+d.domain+"-") {
				return d.domain, true
			}
		}
	}
	labels = append(labels, reg[:strings.IndexByte(reg, '.')])
	for i, lb := range labels[:len(labels)-1] {
		next := labels[i+1]
		if j := strings.IndexByte(next, '-'); j > 0 {
			next = next[:j] // paypal.com-secure
		}
		if !frontSuffix(next) {
			continue
		}
		for _, br := range brandsBySkeleton[Skeleton(unicodeHost(lb))] {
			return br, true
		}
	}
	return "", false
}

// frontSuffix: the suffixes a brand's own domain ends in, as a reader
// expects them after its name: the old generic ones and country codes.
// Newer ones are ordinary words (microsoft.cloud-news, apple.news.) and
// left out.
func frontSuffix(label string) bool {
	switch label {
	case "com", "net", "org", "co", "io", "info", "biz", "gov", "edu":
		return true
	}
	_, icann := publicsuffix.PublicSuffix(label)
	return len(label) == 2 && icann
}

// typoOf says how name is a typo-squat of p: one letter added, dropped or
// changed, two letters swapped, a hyphen added, or any of these with lure
// words around it ("secure-micorsoft-login"). edits turns the one-letter
// matches on.
func typoOf(name, p string, edits bool) (string, bool) {
	if name == p {
		return "", false
	}
	if how, ok := typoCore(name, p, edits); ok {
		return how, true
	}
	// Lure words as their own hyphenated words: drop them and look again.
	var kept []string
	dropped := 0
	for _, w := range strings.Split(name, "-") {
		if lureWords[w] || hyphenLureWords[w] {
			dropped++
		} else {
			kept = append(kept, w)
		}
	}
	if dropped > 0 && dropped <= 3 && len(kept) > 0 {
		core := strings.Join(kept, "-")
		if core == p {
			return "the name with lure words", true
		}
		if how, ok := typoCore(core, p, edits); ok {
			return how + ", with lure words", true
		}
	}
	// Lure words glued on: "paypallogin", "securepaypal".
	if i := strings.Index(name, p); i >= 0 {
		words := strings.FieldsFunc(name[:i]+"-"+name[i+len(p):], func(r rune) bool { return r == '-' })
		all := len(words) > 0 && len(words) <= 3
		for _, w := range words {
			all = all && lureWords[w]
		}
		if all {
			return "the name with lure words", true
		}
	}
	return "", false
}

// typoCore: one letter added, dropped or changed, two neighbours swapped,
// or hyphens added.
func typoCore(name, p string, edits bool) (string, bool) {
	if name == p {
		return "", false
	}
	if strings.Contains(name, "-") && strings.ReplaceAll(name, "-", "") == strings.ReplaceAll(p, "-", "") {
		return "added hyphen", true
	}
	if !edits || len(name) < 4 || absDiff(len(name), len(p)) > 1 {
		return "", false
	}
	if len(name) == len(p) {
		var diff []int
		for i := 0; i < len(p) && len(diff) <= 2; i++ {
			if name[i] != p[i] {
				diff = append(diff, i)
			}
		}
		switch {
		case len(diff) == 1:
			return "one letter changed", true
		case len(diff) == 2 && diff[1] == diff[0]+1 && name[diff[0]] == p[diff[1]] && name[diff[1]] == p[diff[0]]:
			return "swapped letters", true
		}
		return "", false
	}
	long, short, how := name, p, "one letter added"
	if len(name) < len(p) {
		long, short, how = p, name, "one letter dropped"
	}
	for i := 0; i < len(long); i++ {
		if long[:i]+long[i+1:] == short {
			return how, true
		}
	}
	return "", false
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}
