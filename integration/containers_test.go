//go:build integration

package integration

import (
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus"
)

// TestContainerTricksThroughPostfix sends the container tricks of the
// corpus (issue 12: zips glued together or behind other data, hidden or
// renamed local entries, old tar, PDF filters and object streams, ISO
// Joliet and Rock Ridge names, UDF; and names and members as 7-Zip,
// unzip, WinRAR, GNU tar, gunzip and libarchive read them: zip Unicode
// Path fields and NULs, tar PAX, GNU and global names and unusual types,
// RAR 4 OEM names, gzip header names, 7z folders with data) through a
// real Postfix with Kensa as its milter: every trick with a script
// dropper, some with a fake program, is refused or held, never delivered,
// as is each script only its name gives away (named-script); every clean
// twin is delivered, accepted.
func TestContainerTricksThroughPostfix(t *testing.T) {
	samples, err := corpus.Samples("..")
	if err != nil {
		t.Fatal(err)
	}
	tricks := []string{"zip-concatenated", "zip-prefixed", "zip-pdf-polyglot", "zip-local-only", "zip-local-name",
		"tar-pre-posix", "pdf-escaped-filter", "pdf-lzw", "pdf-runlength", "pdf-predictor", "pdf-object-stream",
		"pdf-permission-only",
		"iso-joliet-name", "iso-joliet-only", "iso-rockridge-name", "udf-image",
		"zip-unicode-path", "zip-nul-name", "zip-folder-data",
		"tar-contiguous", "tar-unknown-type", "tar-pax-gnu-names", "tar-pax-global", "tar-pax-nul",
		"rar-nul-name", "rar-broken-unicode", "gzip-header-name",
		"7z-folder-data"}
	var picked []corpus.Sample
	for _, s := range samples {
		for _, trick := range tricks {
			switch s.Name {
			case trick + "-script", trick + "-clean", trick + "-named-script":
				picked = append(picked, s)
			case trick + "-fake-pe":
				if strings.HasPrefix(trick, "zip-local") || trick == "iso-joliet-only" {
					picked = append(picked, s)
				}
			}
		}
	}
	for _, trick := range tricks {
		if !slices.ContainsFunc(picked, func(s corpus.Sample) bool { return s.Name == trick+"-script" }) {
			t.Fatalf("the corpus has no %s-script sample", trick)
		}
	}
	sendThroughPostfix(t, picked, false)
}
