package urls

import (
	"strings"
	"unicode"
)

// Brands are names phishers imitate most. A host label that looks like one of
// them after confusable characters are folded, but is not spelled like it, is
// a lookalike.
var Brands = []string{
	"paypal", "microsoft", "office365", "office", "outlook", "onedrive", "sharepoint",
	"apple", "icloud", "google", "gmail", "amazon", "dhl", "fedex", "docusign",
	"dropbox", "adobe", "linkedin", "facebook", "instagram", "netflix", "wellsfargo",
	"chase", "bankofamerica", "coinbase", "binance", "yahoo", "whatsapp", "usps",
	"wetransfer", "zoom", "spotify", "steamcommunity", "sparkasse", "postbank",
}

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

// Lookalike reports the brand a host imitates: some label, decoded from
// punycode, folds to the brand's skeleton without being spelled like it.
func Lookalike(host string) (brand string, ok bool) {
	labels := strings.Split(unicodeHost(host), ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels[:len(labels)-1] { // the TLD is not a brand
		sk := Skeleton(l)
		for _, br := range Brands {
			if l != br && sk == Skeleton(br) {
				return br, true
			}
		}
	}
	return "", false
}

// MixedScript reports a host label that mixes Latin letters with Cyrillic,
// Greek or Armenian ones, which no honest domain needs.
func MixedScript(host string) (label string, ok bool) {
	for _, l := range strings.Split(unicodeHost(host), ".") {
		if MixesScripts(l) {
			return l, true
		}
	}
	return "", false
}

func unicodeHost(host string) string {
	return URL{Host: host}.UnicodeHost()
}

// MixesScripts reports a word that mixes Latin letters with Cyrillic, Greek
// or Armenian ones: the homoglyph trick in host names and file names alike.
func MixesScripts(word string) bool {
	var latin, other bool
	for _, r := range word {
		switch {
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r), unicode.Is(unicode.Greek, r), unicode.Is(unicode.Armenian, r):
			other = true
		}
	}
	return latin && other
}
