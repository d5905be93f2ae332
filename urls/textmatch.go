package urls

import "bytes"

// findTextURLs returns what textURL.FindAll(b, n) returns, without the
// regexp engine, which spent about 20 ns on every byte of a text with a link
// in it. A match starts at an "http://", "https://", "ftp://" (any case, and
// "httpſ": (?i) folds ſ to s) or "www." that follows no word character, and
// takes every byte after it up to the first one textURL's class excludes;
// the leftmost wins, and the search goes on after it.
func findTextURLs(b []byte, n int) [][]byte {
	var out [][]byte
	sA, eA := nextSchemeURL(b, 0)
	sW, eW := nextWWWURL(b, 0)
	for (n < 0 || len(out) < n) && (sA >= 0 || sW >= 0) {
		s, e := sA, eA
		if s < 0 || (sW >= 0 && sW < s) {
			s, e = sW, eW
		}
		out = append(out, b[s:e:e])
		// A candidate found earlier stays the next one unless this match
		// covered its start.
		if sA >= 0 && sA < e {
			sA, eA = nextSchemeURL(b, e)
		}
		if sW >= 0 && sW < e {
			sW, eW = nextWWWURL(b, e)
		}
	}
	return out
}

// nextSchemeURL is the first match at or after pos that starts with a
// scheme; -1, -1 when there is none.
func nextSchemeURL(b []byte, pos int) (start, end int) {
	for from := pos + 3; from <= len(b); {
		i := bytes.Index(b[from:], []byte("://"))
		if i < 0 {
			return -1, -1
		}
		m := from + i
		from = m + 3
		s := schemeStart(b, m)
		if s < pos || !wordBoundary(b, s) {
			continue
		}
		if e := urlRunEnd(b, m+3); e > m+3 {
			return s, e
		}
	}
	return -1, -1
}

// schemeStart is where "ftp", "http", "https" or "httpſ" ends at b[m]
// (any case), -1 when none does. At most one can.
func schemeStart(b []byte, m int) int {
	switch {
	case m >= 3 && foldIs(b[m-3:m], "ftp"):
		return m - 3
	case m >= 4 && foldIs(b[m-4:m], "http"):
		return m - 4
	case m >= 5 && b[m-1]|0x20 == 's' && foldIs(b[m-5:m-1], "http"):
		return m - 5
	case m >= 6 && b[m-2] == 0xC5 && b[m-1] == 0xBF && foldIs(b[m-6:m-2], "http"): // ſ
		return m - 6
	}
	return -1
}

// nextWWWURL is the first match at or after pos that starts with "www.";
// -1, -1 when there is none.
func nextWWWURL(b []byte, pos int) (start, end int) {
	for from := pos + 3; from < len(b); {
		i := bytes.IndexByte(b[from:], '.')
		if i < 0 {
			return -1, -1
		}
		d := from + i
		from = d + 1
		s := d - 3
		if !foldIs(b[s:d], "www") || !wordBoundary(b, s) {
			continue
		}
		if e := urlRunEnd(b, d+1); e > d+1 {
			return s, e
		}
	}
	return -1, -1
}

// foldIs says whether b is lower, ASCII letters compared in any case. lower
// holds lower-case letters only.
func foldIs(b []byte, lower string) bool {
	for i := range len(lower) {
		if b[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}

// wordBoundary is \b before b[s], which is a letter: s starts b or follows a
// byte that is not an ASCII word character.
func wordBoundary(b []byte, s int) bool {
	if s == 0 {
		return true
	}
	c := b[s-1]
	return !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_')
}

// urlRunEnd is the end of the run of URL bytes from i: textURL's class
// [^\s<>"'\x60{}|\\^\x00-\x1f] excludes only ASCII, so every byte of a
// UTF-8 sequence (or a stray byte, which the regexp reads as U+FFFD) is in.
func urlRunEnd(b []byte, i int) int {
	for i < len(b) && !notURLByte[b[i]] {
		i++
	}
	return i
}

var notURLByte = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	for _, c := range []byte(" <>\"'`{}|\\^") {
		t[c] = true
	}
	return t
}()

// findRelTargets returns what relTarget.FindAllSubmatch(b, n) returns
// (each match and its quoted value) without running the regexp over every
// byte: a case-folded regexp has no literal to skip ahead with, and Word
// and Excel parts are hundreds of kilobytes of XML.
func findRelTargets(b []byte, n int) [][][]byte {
	var out [][][]byte
	noQuote := len(b) // no '"' at or after this offset
	// A match is looked for only where its "g" is: in Word and Excel XML
	// "g" and "G" are far rarer than "t", and bytes.IndexByte skips ahead
	// to them. lo and up are the next "g" and "G" (len(b) for none) once
	// they are at or after s+3.
	const g = len("tar")
	lo, up := -1, -1
	for s := 0; s+len("target") <= len(b) && (n < 0 || len(out) < n); s++ {
		if lo < s+g {
			lo = indexFrom(b, s+g, 'g')
		}
		if up < s+g {
			up = indexFrom(b, s+g, 'G')
		}
		s = min(lo, up) - g
		if s+len("target") > len(b) {
			break
		}
		if !foldIs(b[s:], "target") || !wordBoundary(b, s) {
			continue
		}
		i := skipSpace(b, s+len("target"))
		if i == len(b) || b[i] != '=' {
			continue
		}
		i = skipSpace(b, i+1)
		if i == len(b) || b[i] != '"' || i+1 >= noQuote {
			continue
		}
		j := bytes.IndexByte(b[i+1:], '"')
		if j < 0 {
			noQuote = i + 1
			continue
		}
		e := i + 1 + j + 1
		out = append(out, [][]byte{b[s:e:e], b[i+1 : e-1 : e-1]})
		s = e - 1
	}
	return out
}

// containsAt is bytes.Contains(b, []byte(pat)), jumping between the
// occurrences of pat[a] (chosen rarer in the text than pat's first byte,
// which bytes.Contains stops at).
func containsAt(b []byte, pat string, a int) bool {
	for i := a; i < len(b); i++ {
		k := bytes.IndexByte(b[i:], pat[a])
		if k < 0 {
			return false
		}
		i += k
		if s := i - a; s+len(pat) <= len(b) && string(b[s:s+len(pat)]) == pat {
			return true
		}
	}
	return false
}

// indexFrom is the index of the first c in b at or after i, len(b) when
// there is none.
func indexFrom(b []byte, i int, c byte) int {
	if i >= len(b) {
		return len(b)
	}
	if k := bytes.IndexByte(b[i:], c); k >= 0 {
		return i + k
	}
	return len(b)
}

// skipSpace skips the bytes of the regexp class \s from i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == '\f') {
		i++
	}
	return i
}
