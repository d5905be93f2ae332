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
// HTML and SVG, encrypted documents, Office documents embedded as OLE
// objects in .doc and .xls files) and the HTML phishing pages (login
// pages posting or written by script, redirectors), each attached, in a
// zip and in a mail in a zip, through a real Postfix with Kensa as its
// milter, and their benign twins. A reject is refused at end of data, a quarantine is held, a
// tag is delivered with a tag verdict; benign twins are delivered, accepted.
func TestOfficeAttacksThroughPostfix(t *testing.T) {
	sendThroughPostfix(t, samplesNamed(t, "Office", corpus.OfficeNames(), 100), true)
}
