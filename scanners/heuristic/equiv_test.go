package heuristic

import (
	"bytes"
	"testing"
	"unicode"
)

// The prefilters ask containsLower(b, pat) instead of searching
// bytes.ToLower(b): the two must agree on every input.

var lowerPatterns = []string{"end sub", "end function", "ms-", "-ms:", "blob", "download", "createobjecturl", "<form", "<svg",
	"i", "k", "ki", "ik", "<", "kelvin", "a-i-k-z"}

func checkContainsLower(t *testing.T, b []byte) {
	t.Helper()
	ref := bytes.ToLower(b)
	var l lowered
	l.set(b)
	folded := l.b
	for _, p := range lowerPatterns {
		want := bytes.Contains(ref, []byte(p))
		if got := containsLower(b, p); got != want {
			t.Fatalf("containsLower(%q, %q) = %v, bytes.ToLower says %v", b, p, got, want)
		}
		if got := l.contains(p); got != want {
			t.Fatalf("foldLower(%q) = %q holds %q: %v, bytes.ToLower says %v", b, folded, p, got, want)
		}
	}
	// The one-pass search of two words says what a search of each says.
	for _, l := range []*lowerWords{vbaEnds, pdfFormWords} {
		got := containsLowerAny(b, l)
		for k, w := range l.words {
			if want := bytes.Contains(ref, []byte(w)); (got&(1<<k) != 0) != want {
				t.Fatalf("containsLowerAny(%q) finds %q: %v, bytes.ToLower says %v", b, w, !want, want)
			}
		}
	}
	// Every ASCII byte of the lowered text is where bytes.ToLower has it,
	// relative to the ASCII runs around it.
	if got, want := asciiRuns(folded), asciiRuns(ref); got != want {
		t.Fatalf("foldLower(%q): ASCII runs %q, bytes.ToLower's %q", b, got, want)
	}
}

// asciiRuns is b's runs of ASCII bytes, each ended by "\xff".
func asciiRuns(b []byte) string {
	var s []byte
	for i, c := range b {
		if c < 0x80 {
			s = append(s, c)
		} else if i == 0 || b[i-1] < 0x80 {
			s = append(s, 0xff)
		}
	}
	return string(s)
}

// foldLower rests on İ and the Kelvin sign being the only runes outside
// ASCII whose lower case is ASCII.
func TestLowerToASCII(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l < 0x80 && r != '\u0130' && r != '\u212A' {
			t.Errorf("unicode.ToLower(%U) = %q", r, l)
		}
	}
}

var lowerSeeds = []string{"", "End Sub", "END FUNCTİON", "eNd fUnCtion", "<SVG", "<sVg", "BLOB", "CreateObjectURL",
	"Kİ", "\xc4", "\xc4\xb0", "\xe2\x84", "\xe2\x84\xaa", "\xe2\xe2\x84\xaa", "\xf0\xc4\xb0", "<FORM", "<ƒorm", "MS-MSDT:",
	"\xff<svg", "ÉND SUB", "end\xa0sub", "Ms-", "-MS:", "DOWNLOAD", "ſ<svg", "\u212aELVIN", "A-İ-\u212a-Z", "ıİ",
	"end su", "nd sub", "bbbbbbbb end sub",
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{", "END SUBXYZ\u0130\u212aEND SUB", "0123456\xc4\xb0", "0123456\xc4", "012345\xe2\x84\xaa",
	"1234567\xe2\x84\xaaK", "\xe2\xc4\xb0k", "\xf0\x9f\x98\x80<SVG>", "@@@@@@@@ZZZZZZZZ[[[[[[[[aaaaaaaa"}

func TestContainsLower(t *testing.T) {
	for _, s := range lowerSeeds {
		checkContainsLower(t, []byte(s))
	}
	for _, p := range businessMessage().Parts {
		checkContainsLower(t, p.Content)
	}
}

func FuzzContainsLower(f *testing.F) {
	for _, s := range lowerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkContainsLower)
}

// findMSProtocol returns what its specification, the msProtocol regexp,
// finds.
func checkMSProtocolFind(t *testing.T, b []byte) {
	t.Helper()
	if got, want := findMSProtocol(b), msProtocol.Find(b); !bytes.Equal(got, want) || (got == nil) != (want == nil) {
		t.Fatalf("findMSProtocol(%q) = %q, msProtocol finds %q", b, got, want)
	}
}

var msProtocolSeeds = []string{"", "ms-msdt:", "MS-MSDT:/id", "xms-msdt:", "_ms-msdt:", "-ms-msdt:", "é ms-msdt:", "\xffms-msdt:",
	"search-ms:query", "ſearch-ms:q", "xſearch-ms:q", "ſearch-mſ:q", "mſ-ſearch:", "aſms-cxh:", "ms-cxh-full:", "ms-cxh-fullx:",
	"ms-cxh:", "ms-cxh-full", "ms-appinstaller:?source=x", "ms-officecmd:{}", "-ms-text-size-adjust:100%", "<a href=\"ms-search:\">",
	"ms-msdt ms-msdt:", "ms-search-ms:", "search-ms-msdt:", "ms-", "-ms:", "\xc5ms-msdt:", "\xc5\xbfms-msdt:", "Ms-MsDt:",
	"xx-ms-msdt: then search-ms:", "ms--msdt:", "ms-ms-msdt:"}

func TestMSProtocolEquivalence(t *testing.T) {
	for _, s := range msProtocolSeeds {
		checkMSProtocolFind(t, []byte(s))
	}
	for _, p := range businessMessage().Parts {
		checkMSProtocolFind(t, p.Content)
	}
}

func FuzzMSProtocol(f *testing.F) {
	for _, s := range msProtocolSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkMSProtocolFind)
}
