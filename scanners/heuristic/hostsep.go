package heuristic

import (
	"strings"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// A host may hold a character that looks like a slash or a backslash
// (U+2044 fraction slash, U+2215 division slash, U+29F8, katakana ノ, ...):
// Chromium keeps it in the host (as punycode), so
// "login.microsoftonline.com⁄common⁄oauth.evil.test" goes to evil.test
// while the reader sees the host end at microsoftonline.com. (Look-alike
// slashes that map to "/" itself, U+FF0F, make Chromium refuse the link;
// look-alike full stops, U+3002, are full stops to it: both are read as
// the browser reads them, by urls.ParseHost.)

// slashLookalike is where s has, between two ASCII letters or digits, a
// character that is no slash but looks like one (its look-alike skeleton
// is slashes or backslashes), -1 for nowhere.
func slashLookalike(s string) int {
	for i, r := range s {
		if r < utf8.RuneSelf {
			continue
		}
		size := utf8.RuneLen(r)
		if i == 0 || i+size >= len(s) || !isAlnumByte(s[i-1]) || !isAlnumByte(s[i+size]) {
			continue
		}
		if r == '\u2572' { // TR39 maps the box-drawing ╱ to a slash, not its mirror ╲
			return i
		}
		if sk := urls.Skeleton(string(r)); sk != "" && strings.Trim(sk, `/\`) == "" {
			return i
		}
	}
	return -1
}

func isAlnumByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// checkSlashLookalikeHost: a link whose host holds a look-alike slash
// (slashLookalike): the reader takes what stands before it for the host.
func checkSlashLookalikeHost(e *env, p *message.Part, u urls.URL) string {
	if u.Source == urls.SourceSrc || !strings.Contains(u.Host, "xn--") {
		return ""
	}
	h := u.UnicodeHost()
	i := slashLookalike(h)
	if i < 0 {
		return ""
	}
	return "the host " + show(h) + " shows " + show(h[:i]) + " before a look-alike slash, but goes to " + show(e.registrable(u.Host))
}

// shownHost is the part of a link's text a reader takes for a host: up to
// a look-alike slash, where one stands (slashLookalike).
func shownHost(t string) string {
	if i := slashLookalike(t); i >= 0 {
		return t[:i]
	}
	return t
}
