//go:build integration

package integration

import (
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus"
)

// TestOutlookMsgThroughPostfix sends the corpus's Outlook .msg samples
// (a script under a PDF's display name, phishing bodies in HTML, in
// compressed RTF, in UTF-16 and 8-bit text, a program two embedded
// messages deep) and the honest
// forwarded .msg through a real Postfix with Kensa as its milter: a reject
// is refused, a quarantine held, the honest one delivered.
func TestOutlookMsgThroughPostfix(t *testing.T) {
	samples, err := corpus.Samples("..")
	if err != nil {
		t.Fatal(err)
	}
	want := corpus.OutlookNames()
	var picked []corpus.Sample
	for _, s := range samples {
		if want[s.Name] {
			picked = append(picked, s)
		}
	}
	if len(picked) != len(want) || len(picked) < 8 {
		t.Fatalf("found %d of the %d .msg samples in the corpus", len(picked), len(want))
	}
	e := newEnv(t, "postfix", envOpts{})
	for _, s := range picked {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			count(t)
			sendSample(t, e.in(t), s, true)
		})
	}
}
