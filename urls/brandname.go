package urls

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/unicode/norm"
)

// brandSenders are the other registrable names a brand of brands sends
// mail from, beyond its own name under any suffix (paypal.de, docusign.net,
// amazon.co.uk): its owner's other brands and mail domains, and, written
// ".aws", the top-level domains it owns (signup.aws, which AWS mails from;
// only their owner registers names under them). A brand's name in a
// sender's display name is honest from these. What brands really send
// from: Microsoft's account team from accountprotection.microsoft.com,
// SharePoint and OneDrive shares from sharepointonline.com, Xbox from
// xbox.com; Apple from id.apple.com and email.apple.com, receipts from
// itunes.com; AWS from signup.aws, Prime Video from primevideo.com; Google Groups from
// googlegroups.com; Dropbox from dropboxmail.com, Dropbox Sign from hellosign.com; PayPal's Venmo and Xoom;
// DHL's group (dpdhl.com, deutschepost.de). Hyphenated names
// (paypal-community.com) stay out: that is the shape of a lookalike. A
// service any customer sends through or names hosts under (amazonses.com,
// amazonaws.com, awsapps.com, sendgrid.net) is never here.
var brandSenders = [][]string{
	{"microsoft", "microsoftonline", "office365", "office", "outlook", "onedrive", "sharepoint", "sharepointonline",
		"microsoft365", "live", "hotmail", "msn", "azure", "skype", "bing", "xbox", "yammer",
		".microsoft", ".azure", ".bing", ".office", ".windows", ".xbox"},
	{"google", "gmail", "googlemail", "youtube", "googlegroups", "withgoogle", "android",
		".google", ".goog", ".youtube", ".gmail", ".android", ".chrome"},
	{"apple", "icloud", "me", "mac", "itunes", ".apple"},
	{"amazon", "aws", "primevideo", ".amazon", ".aws", ".prime"},
	{"facebook", "instagram", "whatsapp", "facebookmail", "meta", "fb"},
	{"dropbox", "dropboxmail", "hellosign"},
	{"adobe", "adobesign", "echosign", "acrobat", ".adobe"},
	{"paypal", "venmo", "xoom"},
	{"dhl", "dpdhl", "deutschepost", ".dhl"},
	{"fedex", ".fedex"},
	{"chase", "jpmorgan", "jpmorganchase", ".chase"},
	{"netflix", ".netflix"},
	{"ebay", ".ebay"},
	{"yahoo", ".yahoo"},
	{"linkedin", ".linkedin"},
	{"steamcommunity", "steampowered"},
	{"bestbuy", "geeksquad"},
	{"norton", "nortonlifelock", "gendigital"},
}

// ownerOf maps a brand, or another name its owner sends from (".aws" for
// a top-level domain), to the names in its row of brandSenders.
var ownerOf = func() map[string][]string {
	m := map[string][]string{}
	for _, row := range brandSenders {
		for _, n := range row {
			m[n] = row
		}
	}
	return m
}()

// brandTLD is host's top-level domain written as brandSenders writes a
// brand's own (".aws"), "" when no brand owns it.
func brandTLD(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	i := strings.LastIndexByte(host, '.')
	if i < 0 || ownerOf[host[i:]] == nil {
		return ""
	}
	return host[i:]
}

// regionalBrands are brands whose members each send from a domain of their
// own with the brand in its name: sparkasse-koelnbonn.de,
// kreissparkasse-ludwigsburg.de.
var regionalBrands = set("sparkasse")

// nameBrands are brands that are also people's names or common words in a
// sender's name ("Chase Miller", "Office", "Zoom Lenses", "Outlook
// Weekly"): a display name names them only beside a lure word ("Office 365
// Security", "Chase Account Alert").
var nameBrands = set("office", "outlook", "chase", "zoom")

// SendsFrom reports whether brand sends mail from host: the brand's own
// name, or a name its owner sends from, is host's registrable name under
// any suffix (paypal.de, e.paypal.com, docusign.net, accountprotection
// .microsoft.com).
func SendsFrom(brand, host string) bool {
	if tld := brandTLD(host); tld != "" && slices.Contains(ownerOf[brand], tld) {
		return true
	}
	name := registrableName(host)
	if name == "" {
		return false
	}
	if name == brand {
		return true
	}
	if regionalBrands[brand] && strings.Contains(name, brand) {
		return true
	}
	return slices.Contains(ownerOf[brand], name)
}

// BrandDomain reports the brand whose own domain host is (see SendsFrom):
// paypal for e.paypal.com, microsoft for email.microsoftonline.com.
func BrandDomain(host string) (string, bool) {
	if tld := brandTLD(host); tld != "" {
		return ownerOf[tld][0], true
	}
	name := registrableName(host)
	if name == "" {
		return "", false
	}
	if row := ownerOf[name]; row != nil {
		return row[0], true
	}
	if brandSet[name] {
		return name, true
	}
	for b := range regionalBrands {
		if strings.Contains(name, b) {
			return b, true
		}
	}
	return "", false
}

// SameOwner reports whether two hosts are one brand's, or have one
// registrable domain.
func SameOwner(a, b string) bool {
	ra, _ := publicsuffix.EffectiveTLDPlusOne(strings.ToLower(a))
	rb, _ := publicsuffix.EffectiveTLDPlusOne(strings.ToLower(b))
	if ra != "" && ra == rb {
		return true
	}
	br, ok := BrandDomain(a)
	return ok && SendsFrom(br, b)
}

// registrableName is the name label of host's registrable domain
// ("paypal" for e.paypal.co.uk), lower-case, "" for none.
func registrableName(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	reg, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return ""
	}
	return reg[:strings.IndexByte(reg, '.')]
}

// maxNameWords bounds the words of a display name looked at.
const maxNameWords = 32

// NameWords are the words a reader sees in a display name: the name
// folded as NFKC (full-width letters, ＠ and ． read as their ASCII
// selves), with invisible and bidirectional control characters dropped,
// lower-cased, cut at anything but letters and digits; at most
// maxNameWords.
func NameWords(name string) []string {
	name = strings.ToLower(Visible(name))
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) })
	if len(words) > maxNameWords {
		words = words[:maxNameWords]
	}
	return words
}

// Visible is s as a reader sees it: NFKC-folded, with format characters
// (zero-width spaces and joiners, soft hyphens, bidirectional controls)
// dropped, the ideographic full stops read as dots, and what a
// right-to-left override (U+202E) turns round, up to the next pop
// (U+202C) or the end, turned round ("\u202Emoc.lapyap" shows
// "paypal.com").
func Visible(s string) string {
	s = norm.NFKC.String(s)
	if i := strings.IndexRune(s, '\u202E'); i >= 0 {
		rest := s[i+len("\u202E"):]
		j := strings.IndexRune(rest, '\u202C')
		if j < 0 {
			j = len(rest)
		}
		r := []rune(rest[:j])
		for a, b := 0, len(r)-1; a < b; a, b = a+1, b-1 {
			r[a], r[b] = r[b], r[a]
		}
		s = s[:i] + string(r) + rest[j:]
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3002' || r == '\uFF61':
			return '.'
		case unicode.Is(unicode.Cf, r) || r == '\u034F' || r == '\u115F' || r == '\u1160' || r == '\u3164' || r == '\uFFA0':
			return -1
		}
		return r
	}, s)
}

// BrandInName reports a brand a sender's display name names, and how:
// as a word of its own, spelled with lookalike letters ("PаyPal" with a
// Cyrillic а, "Micr0soft"), split into words or letters ("Pay Pal",
// "P a y P a l"), or with one letter off for the long brands ("Micorsoft").
// Brands that are also names or words (nameBrands) count only beside a lure
// word; the other word-like brands (apple, amazon, adobe) alone or beside
// one, as BrandNamed reads them. Suffix words ("com" in "Amazon.com") do
// not count as words.
func BrandInName(name string) (brand, how string, ok bool) {
	var words []string
	lure := false
	for _, w := range NameWords(name) {
		if frontSuffix(w) && len(words) > 0 {
			continue
		}
		words = append(words, w)
		lure = lure || lureWords[w]
	}
	hyphenLure := lure
	for _, w := range words {
		hyphenLure = hyphenLure || hyphenLureWords[w]
	}
	counts := func(b string) bool {
		switch {
		case nameBrands[b]:
			return lure
		case wordBrands[b]:
			return hyphenLure || len(words) == 1
		}
		return true
	}
	// Runs of up to three words, and a run of single letters, joined.
	var cands []string
	for i := range words {
		j := i
		for j < len(words) && len([]rune(words[j])) == 1 {
			j++
		}
		if j-i >= 3 {
			cands = append(cands, strings.Join(words[i:j], ""))
		}
		for n := min(3, len(words)-i); n >= 1; n-- { // the longest first: "office 365" before "office"
			cands = append(cands, strings.Join(words[i:i+n], ""))
		}
	}
	for _, c := range cands {
		for _, v := range [2]string{c, strings.TrimRight(c, "0123456789")} {
			if brandSet[v] && counts(v) {
				return v, "named", true
			}
			for _, b := range brandsBySkeleton[Skeleton(v)] {
				if counts(b) {
					return b, "lookalike letters", true
				}
			}
		}
	}
	for _, c := range cands {
		for _, b := range typoBrands {
			if regionalBrands[b] {
				continue // Sparkassen, the plural, is a word of its own
			}
			if how, ok := typoCore(c, b, len(c) >= 6); ok && how != "added hyphen" {
				return b, how, true
			}
		}
	}
	return "", "", false
}
