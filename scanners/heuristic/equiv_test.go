package heuristic

import (
	"bytes"
	"testing"
)

// The prefilters ask containsLower(b, pat) instead of searching
// bytes.ToLower(b): the two must agree on every input.

var lowerPatterns = []string{"end sub", "end function", "ms-", "-ms:", "blob", "download", "createobjecturl", "<form", "<svg",
	"i", "k", "ki", "ik", "<", "kelvin", "a-i-k-z"}

func checkContainsLower(t *testing.T, b []byte) {
	t.Helper()
	ref := bytes.ToLower(b)
	for _, p := range lowerPatterns {
		if got, want := containsLower(b, p), bytes.Contains(ref, []byte(p)); got != want {
			t.Fatalf("containsLower(%q, %q) = %v, bytes.ToLower says %v", b, p, got, want)
		}
	}
}

var lowerSeeds = []string{"", "End Sub", "END FUNCTİON", "eNd fUnCtion", "<SVG", "<sVg", "BLOB", "CreateObjectURL",
	"Kİ", "\xc4", "\xc4\xb0", "\xe2\x84", "\xe2\x84\xaa", "\xe2\xe2\x84\xaa", "\xf0\xc4\xb0", "<FORM", "<ƒorm", "MS-MSDT:",
	"\xff<svg", "ÉND SUB", "end\xa0sub", "Ms-", "-MS:", "DOWNLOAD", "ſ<svg", "\u212aELVIN", "A-İ-\u212a-Z", "ıİ",
	"end su", "nd sub", "bbbbbbbb end sub"}

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
