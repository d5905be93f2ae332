package urls

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// brands are names phishers imitate most. A host label that looks like one of
// them after confusable characters are folded, but is not spelled like it, is
// a lookalike.
var brands = []string{
	"paypal", "microsoft", "office365", "office", "outlook", "onedrive", "sharepoint",
	"apple", "icloud", "google", "gmail", "amazon", "dhl", "fedex", "docusign",
	"dropbox", "adobe", "linkedin", "facebook", "instagram", "netflix", "wellsfargo",
	"chase", "bankofamerica", "coinbase", "binance", "yahoo", "whatsapp", "usps",
	"wetransfer", "zoom", "spotify", "steamcommunity", "sparkasse", "postbank",
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

// confusables folds characters that render like a Latin letter onto it: the
// common Cyrillic, Greek and Armenian lookalikes, a few Latin variants, and the
// digits typosquatters use. It is our own small subset of Unicode's
// confusables idea, enough for brand names.
var confusables = map[rune]string{
	// Cyrillic
	'а': "a", 'в': "b", 'е': "e", 'ё': "e", 'о': "o", 'р': "p", 'с': "c", 'у': "y", 'х': "x",
	'і': "i", 'ї': "i", 'ј': "j", 'ѕ': "s", 'ԁ': "d", 'ԛ': "q", 'ԝ': "w", 'һ': "h", 'ӏ': "l",
	'к': "k", 'м': "m", 'н': "h", 'т': "t", 'ь': "b", 'ɡ': "g", 'ү': "y", 'ս': "u",
	// Greek
	'α': "a", 'β': "b", 'ε': "e", 'ι': "i", 'κ': "k", 'ν': "v", 'ο': "o", 'ρ': "p",
	'τ': "t", 'υ': "u", 'χ': "x", 'γ': "y", 'η': "n", 'ω': "w",
	// Armenian
	'օ': "o", 'ո': "n", 'հ': "h", 'ց': "g",
	// Latin variants
	'ı': "i", 'ɑ': "a", 'ɩ': "i", 'ʟ': "l", 'ǀ': "l", 'à': "a", 'á': "a", 'â': "a", 'ä': "a",
	'é': "e", 'è': "e", 'ê': "e", 'í': "i", 'ì': "i", 'ó': "o", 'ò': "o", 'ö': "o", 'ô': "o",
	'ú': "u", 'ù': "u", 'ü': "u", 'ç': "c", 'ñ': "n", 'ĺ': "l", 'ł': "l",
	// digits
	'0': "o", '1': "l",
}

// Skeleton folds s so that strings that look alike compare equal.
func Skeleton(s string) string {
	if sk, ok := asciiSkeleton(s); ok {
		return sk
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if m, ok := confusables[r]; ok {
			b.WriteString(m)
		} else {
			b.WriteRune(r)
		}
	}
	out := b.String()
	out = strings.ReplaceAll(out, "rn", "m")
	out = strings.ReplaceAll(out, "vv", "w")
	return out
}

// asciiSkeleton is Skeleton for the usual host label: ASCII only, where
// lower-casing and the confusables are byte for byte. It returns s itself
// when nothing folds, so most labels cost no allocation; ok is false for
// non-ASCII s.
func asciiSkeleton(s string) (string, bool) {
	same := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return "", false
		case 'A' <= c && c <= 'Z', c == '0', c == '1':
			same = false
		case (c == 'r' && i+1 < len(s) && s[i+1] == 'n') || (c == 'v' && i+1 < len(s) && s[i+1] == 'v'):
			same = false
		}
	}
	if same {
		return s, true
	}
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == '0':
			c = 'o'
		case c == '1':
			c = 'l'
		}
		b[i] = c
	}
	b = replacePair(b, 'r', 'n', 'm')
	b = replacePair(b, 'v', 'v', 'w')
	return string(b), true
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
