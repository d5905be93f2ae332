//go:build integration

package integration

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus"
)

// TestMIMETricksThroughPostfix sends a representative set of the corpus's
// parser tricks (issue 12: header fields, multipart readings, transfer
// encodings, names, uuencode/yEnc/BinHex/TNEF, message/partial, two
// boundaries) through a real Postfix with Kensa as its milter: each trick
// with a script dropper, some with a fake program, is refused or held,
// never delivered; each clean twin is delivered, accepted. (Postfix cuts a
// header value at a NUL, boundary and all, which the guess-boundary reading
// reads as clients do; it turns a bare CR into a space, so the bare-CR
// trick hides nothing behind Postfix and is left to the corpus gate.)
func TestMIMETricksThroughPostfix(t *testing.T) {
	samples, err := corpus.Samples("..")
	if err != nil {
		t.Fatal(err)
	}
	tricks := []string{"hdr-blank-before-colon", "hdr-comments", "hdr-rfc2231-boundary", "hdr-content-type-twice-last",
		"hdr-boundary-twice", "hdr-nul-in-value", "hdr-no-boundary", "hdr-encoded-word-type", "cte-x-base64", "cte-unknown-spelling",
		"b64-padding-inside", "names-type-vs-disposition", "names-two-dispositions", "names-nul-cut",
		"mp-delimiter-junk", "mp-part-after-close", "mp-part-in-preamble", "mp-base64-multipart",
		"enc-uuencode-in-text", "enc-yenc-in-text", "enc-binhex-in-text", "enc-tnef"}
	var picked []corpus.Sample
	for _, s := range samples {
		switch s.Name {
		case "trick-message-partial", "trick-two-boundaries-two-attachments",
			"smime-opaque-signed-script", "smime-opaque-signed-delivery-note", "smime-opaque-signed-share-lure", "smime-opaque-signed-callback":
			picked = append(picked, s)
		}
		for _, trick := range tricks {
			switch s.Name {
			case "trick-" + trick + "-script", "trick-" + trick:
				picked = append(picked, s)
			case "trick-" + trick + "-fake-pe":
				if strings.HasPrefix(trick, "names-") || strings.HasPrefix(trick, "enc-") {
					picked = append(picked, s)
				}
			}
		}
	}
	if len(picked) < 2*len(tricks)+2 {
		t.Fatalf("only %d MIME trick samples in the corpus, want at least %d", len(picked), 2*len(tricks)+2)
	}
	sendThroughPostfix(t, picked, false)
}
