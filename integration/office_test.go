//go:build integration

package integration

import (
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus"
)

// TestOfficeAttacksThroughPostfix sends a representative set of the corpus's
// Office attacks (issue 13: DDE split over runs, a DDE formula in a CSV, an
// Excel 4.0 macro sheet behind a wide Auto_Open name, a workbook encrypted
// with VelvetSweatshop, PowerPoint VBA, VBA stomping, Equation Editor in RTF,
// obfuscated HTML smuggling, an encrypted OOXML document), each attached,
// in a zip and in a mail in a zip, through a real Postfix with Kensa as its
// milter, and their benign twins. A reject is refused at end of data, a
// quarantine is held, a tag is delivered with a tag verdict; benign twins
// are delivered, accepted.
func TestOfficeAttacksThroughPostfix(t *testing.T) {
	samples, err := corpus.Samples("..")
	if err != nil {
		t.Fatal(err)
	}
	attacks := []string{"docx-dde-split-runs", "csv-dde-cmd", "xls-xlm-wide-name-register", "xls-velvetsweatshop-xlm",
		"ppt-vba-activex-shell", "doc-vba-stomped", "rtf-equation-editor", "html-smuggling-obfuscated", "docx-encrypted-package",
		"docm-macro-no-autorun"}
	want := map[string]bool{"docx-ordinary-fields": true, "csv-sum": true, "rtf-picture": true}
	for _, a := range attacks {
		for _, suffix := range []string{"", "-in-zip", "-in-zip-eml"} {
			want[a+suffix] = true
		}
	}
	var picked []corpus.Sample
	for _, s := range samples {
		if want[s.Name] {
			picked = append(picked, s)
		}
	}
	if len(picked) != len(want) {
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
