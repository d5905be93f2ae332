package urls

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// brands are names phishers imitate most. A host label that looks like one of
// them after confusable characters are folded, but is not spelled like it, is
// a lookalike.
var brands = []string{
	"paypal", "microsoft", "microsoftonline", "office365", "office", "outlook", "onedrive", "sharepoint",
	"apple", "icloud", "google", "gmail", "amazon", "dhl", "fedex", "docusign",
	"dropbox", "adobe", "linkedin", "facebook", "instagram", "netflix", "wellsfargo",
	"chase", "bankofamerica", "coinbase", "binance", "yahoo", "whatsapp", "usps",
	"wetransfer", "zoom", "spotify", "steamcommunity", "sparkasse", "postbank",
	"norton", "mcafee", "geeksquad", "bestbuy", "ebay", // callback phishing's (TOAD) favourites
}

// brandsBySkeleton maps a skeleton to the brands that fold to it, in the
// order of brands: worked out once, not for every label of every URL.
var brandsBySkeleton = func() map[string][]string {
	m := map[string][]string{}
	for _, b := range brands {
		sk := Skeleton(b)
		m[sk] = append(m[sk], b)
	}
	return m
}()

//go:generate go run ./internal/genconfusables -in data/confusables.txt -out confusables_table.go

// Skeleton folds s so that strings that look alike compare equal: the
// skeleton of Unicode's TR39 (every character mapped to its confusable
// prototype, on the NFD form), lower-cased, with combining marks dropped
// (so that "paypaḷ" with U+1E37, which TR39 keeps apart, meets "paypal") and
// "vv" read as "w". Honest hosts with accents only meet a brand or protected
// name that is spelled without them, which is the point.
func Skeleton(s string) string {
	if sk, ok := asciiSkeleton(s); ok {
		return sk
	}
	// Prototypes are final, but lower-casing one can make a character that
	// maps again ("M" to "m" to "rn"): repeat until nothing changes.
	for i := 0; i < 4; i++ {
		t := skeletonStep(s)
		if sk, ok := asciiSkeleton(t); ok {
			return sk
		}
		if t == s {
			break
		}
		s = t
	}
	return strings.ReplaceAll(s, "vv", "w")
}

// skeletonStep maps every character of NFD(s) to its prototype, drops
// combining marks and lower-cases.
func skeletonStep(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		m, ok := confusables[r]
		if !ok {
			b = utf8.AppendRune(b, unicode.ToLower(r))
			continue
		}
		for _, r := range norm.NFD.String(m) {
			if !unicode.Is(unicode.Mn, r) {
				b = utf8.AppendRune(b, unicode.ToLower(r))
			}
		}
	}
	return string(b)
}

// asciiFold is the skeleton of each ASCII byte, before "vv" is read as "w"
// (I, 1 and | are l; 0 is o; m is rn).
var asciiFold = func() (t [utf8.RuneSelf]string) {
	for c := 0; c < utf8.RuneSelf; c++ {
		s := string(rune(c))
		for i := 0; i < 4; i++ {
			s = skeletonStep(s)
		}
		t[c] = s
	}
	return t
}()

// asciiSkeleton is Skeleton for the usual host label: ASCII only. It
// returns s itself when nothing folds, so most labels cost no allocation;
// ok is false for non-ASCII s.
func asciiSkeleton(s string) (string, bool) {
	same := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return "", false
		}
		if asciiFold[c] != s[i:i+1] || (c == 'v' && i+1 < len(s) && s[i+1] == 'v') {
			same = false
		}
	}
	if same {
		return s, true
	}
	b := make([]byte, 0, len(s)+4)
	for i := 0; i < len(s); i++ {
		b = append(b, asciiFold[s[i]]...)
	}
	return string(replacePair(b, 'v', 'v', 'w')), true
}

// replacePair replaces every non-overlapping "xy", left to right, with z, in
// place, as strings.ReplaceAll does.
func replacePair(b []byte, x, y, z byte) []byte {
	w := 0
	for i := 0; i < len(b); i++ {
		if b[i] == x && i+1 < len(b) && b[i+1] == y {
			b[w] = z
			i++
		} else {
			b[w] = b[i]
		}
		w++
	}
	return b[:w]
}

// BrandWord reports the brand that word spells, however its letters are
// disguised (look-alike letters of any script, digits for letters, case):
// its skeleton is the brand's.
func BrandWord(word string) (string, bool) {
	if b := brandsBySkeleton[Skeleton(word)]; len(b) > 0 {
		return b[0], true
	}
	return "", false
}

// Lookalike reports the brand a host imitates: some label, decoded from
// punycode, folds to the brand's skeleton without being spelled like it.
func Lookalike(host string) (brand string, ok bool) {
	h := unicodeHost(host)
	last := strings.LastIndexByte(h, '.')
	if last < 0 {
		return "", false
	}
	// Every label but the last: the TLD is not a brand.
	for rest := h[:last+1]; rest != ""; {
		dot := strings.IndexByte(rest, '.')
		l := rest[:dot]
		rest = rest[dot+1:]
		for _, br := range brandsBySkeleton[Skeleton(l)] {
			if l != br {
				return br, true
			}
		}
	}
	return "", false
}

// MixedScript reports a host label that mixes Latin letters with Cyrillic,
// Greek or Armenian ones, which no honest domain needs.
func MixedScript(host string) (label string, ok bool) {
	h := unicodeHost(host)
	if isASCII(h) { // no Cyrillic, Greek or Armenian to mix in
		return "", false
	}
	for _, l := range strings.Split(h, ".") {
		if MixesScripts(l) {
			return l, true
		}
	}
	return "", false
}

// unicodeHost is URL.UnicodeHost. Only "xn--" labels decode, so a host
// without one is returned as it is, without a trip through idna.
func unicodeHost(host string) string {
	if !strings.Contains(host, "xn--") {
		return host
	}
	return URL{Host: host}.UnicodeHost()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// MixesScripts reports a word that mixes Latin letters with Cyrillic, Greek
// or Armenian ones: the homoglyph trick in host names and file names alike.
func MixesScripts(word string) bool {
	var latin, other bool
	for _, r := range word {
		switch {
		case r < utf8.RuneSelf: // ASCII: Latin letters or nothing
			latin = latin || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r), unicode.Is(unicode.Greek, r), unicode.Is(unicode.Armenian, r):
			other = true
		}
	}
	return latin && other
}
