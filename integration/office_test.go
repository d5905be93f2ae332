//go:build integration

package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus"
	"github.com/kensa-milter/kensa/policy"
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
			e := e.in(t)
			token := newToken("office")
			rcpt := rcptFor(token, 1)
			msg := append([]byte("X-Test-Token: "+token+"\r\n"), s.Raw...)
			r := e.send(msg, rcpt)
			if s.Clean || s.Action == policy.Tag {
				if !r.accepted() {
					t.Fatalf("not accepted (want %s): %v", map[bool]string{true: "accept", false: "tag"}[s.Clean], r)
				}
				got := e.expectDelivered(token, 1, rcpt)
				wantVerdict := map[bool]string{true: "accept", false: "tag"}[s.Clean]
				if v := verdictOf(t, got[0]); !strings.HasPrefix(v, wantVerdict) {
					t.Errorf("X-Kensa-Verdict = %q, want %s", v, wantVerdict)
				}
				return
			}
			switch {
			case r.Stage == "eod" && strings.HasPrefix(r.line(), replyReject):
				e.expectNothing(token, rcpt)
			case r.accepted() && s.Action == policy.Quarantine:
				var ids []string
				if !eventually(15*time.Second, func() bool { ids = e.held(rcpt); return len(ids) == 1 }) {
					t.Fatalf("accepted but not held (want quarantine): held %v", ids)
				}
				if got := e.sk.with(token); len(got) != 0 {
					t.Fatalf("held message was delivered")
				}
			default:
				t.Fatalf("got %v, want %s", r, s.Action)
			}
		})
	}
}
