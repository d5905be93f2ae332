//go:build integration

package integration

import (
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus"
)

// TestOfficeAttacksThroughPostfix sends every Office attack of the corpus
// (issue 13: DDE in Word, Excel, CSV, SYLK and web queries, Excel 4.0 macro
// sheets in .xls, .xlsm and .xlsb, PowerPoint VBA, VBA stomping and
// auto-runs, Equation Editor and OLE packages, remote templates, obfuscated
// HTML and SVG, encrypted documents) and the HTML phishing pages (login
// pages posting or written by script, redirectors), each attached, in a
// zip and in a mail in a zip, through a real Postfix with Kensa as its
// milter, and their benign twins. A reject is refused at end of data, a quarantine is held, a
// tag is delivered with a tag verdict; benign twins are delivered, accepted.
func TestOfficeAttacksThroughPostfix(t *testing.T) {
	samples, err := corpus.Samples("..")
	if err != nil {
		t.Fatal(err)
	}
	want := corpus.OfficeNames()
	var picked []corpus.Sample
	for _, s := range samples {
		if want[s.Name] {
			picked = append(picked, s)
		}
	}
	if len(picked) != len(want) || len(picked) < 100 {
		t.Fatalf("found %d of the %d Office samples in the corpus", len(picked), len(want))
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
