//go:build integration

package integration

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus"
)

// TestContainerTricksThroughPostfix sends the container tricks of the
// corpus (issue 12: zips glued together or behind other data, hidden or
// renamed local entries, old tar, PDF filters and object streams, ISO
// Joliet and Rock Ridge names, UDF) through a real Postfix with Kensa as its
// milter: every trick with a script dropper, some with a fake program, is
// refused or held, never delivered; every clean twin is delivered, accepted.
func TestContainerTricksThroughPostfix(t *testing.T) {
	samples, err := corpus.Samples("..")
	if err != nil {
		t.Fatal(err)
	}
	tricks := []string{"zip-concatenated", "zip-prefixed", "zip-pdf-polyglot", "zip-local-only", "zip-local-name",
		"tar-pre-posix", "pdf-escaped-filter", "pdf-lzw", "pdf-runlength", "pdf-predictor", "pdf-object-stream",
		"pdf-permission-only",
		"iso-joliet-name", "iso-joliet-only", "iso-rockridge-name", "udf-image"}
	var picked []corpus.Sample
	for _, s := range samples {
		for _, trick := range tricks {
			switch s.Name {
			case trick + "-script", trick + "-clean":
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
	e := newEnv(t, "postfix", envOpts{})
	for _, s := range picked {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			count(t)
			e := e.in(t)
			token := newToken("container")
			rcpt := rcptFor(token, 1)
			msg := append([]byte("X-Test-Token: "+token+"\r\n"), s.Raw...)
			r := e.send(msg, rcpt)
			if s.Clean {
				if !r.accepted() {
					t.Fatalf("clean twin not accepted: %v", r)
				}
				got := e.expectDelivered(token, 1, rcpt)
				if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "accept") {
					t.Errorf("X-Kensa-Verdict = %q, want accept", v)
				}
				return
			}
			switch {
			case r.Stage == "eod" && strings.HasPrefix(r.line(), replyReject):
				e.expectNothing(token, rcpt)
			case r.accepted():
				// Quarantined: held by Postfix, not delivered.
				var ids []string
				if !eventually(15*time.Second, func() bool { ids = e.held(rcpt); return len(ids) == 1 }) {
					t.Fatalf("accepted but not held (want reject or quarantine %s+): held %v", s.Action, ids)
				}
				if got := e.sk.with(token); len(got) != 0 {
					t.Fatalf("held message was delivered")
				}
			default:
				t.Fatalf("got %v, want a reject or a hold", r)
			}
		})
	}
}
