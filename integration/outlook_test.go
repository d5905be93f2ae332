//go:build integration

package integration

import (
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus"
)

// TestOutlookMsgThroughPostfix sends the corpus's Outlook .msg samples
// (a script under a PDF's display name, phishing bodies in HTML, in
// compressed RTF, in UTF-16 and 8-bit text, a program two embedded
// messages deep, Office documents as OLE attachments with XLM or VBA
// macros, DDE, VelvetSweatshop encryption or an Equation Editor class) and
// the honest ones (a forwarded .msg, documents as OLE attachments) through a real Postfix with Kensa as its milter: a reject
// is refused, a quarantine held, the honest one delivered.
func TestOutlookMsgThroughPostfix(t *testing.T) {
	sendThroughPostfix(t, samplesNamed(t, ".msg", corpus.OutlookNames(), 8), true)
}
