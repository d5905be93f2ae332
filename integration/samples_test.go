//go:build integration

package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus"
	"github.com/kensa-milter/kensa/policy"
)

// sendSample sends a corpus sample through e's MTA, with a fresh token and
// recipient, and checks what came of it. A clean sample is delivered with an
// accept verdict. A caught one must come out at least as strongly as its
// Action (a reject refused at the end of DATA, a quarantine held by the MTA
// and not delivered) or, with exact, as exactly its Action. A tag sample
// is delivered with a tag verdict either way: where a tagged message went
// does not tell it from a clean one.
func sendSample(t *testing.T, e *env, s corpus.Sample, exact bool) {
	t.Helper()
	token := newToken("sample")
	rcpt := rcptFor(token, 1)
	r := e.send(append([]byte("X-Test-Token: "+token+"\r\n"), s.Raw...), rcpt)
	if s.Clean || s.Action == policy.Tag {
		want := "accept"
		if !s.Clean {
			want = "tag"
		}
		if !r.accepted() {
			t.Fatalf("not accepted (want %s): %v", want, r)
		}
		got := e.expectDelivered(token, 1, rcpt)
		if v := verdictOf(t, got[0]); !strings.HasPrefix(v, want) {
			t.Errorf("X-Kensa-Verdict = %q, want %s", v, want)
		}
		return
	}
	switch {
	case r.Stage == "eod" && strings.HasPrefix(r.line(), replyReject) && (!exact || s.Action == policy.Reject):
		e.expectNothing(token, rcpt)
	case r.accepted() && (!exact || s.Action == policy.Quarantine):
		var ids []string
		if !eventually(15*time.Second, func() bool { ids = e.held(rcpt); return len(ids) == 1 }) {
			t.Fatalf("accepted but not held (want %s): held %v", s.Action, ids)
		}
		if got := e.sk.with(token); len(got) != 0 {
			t.Fatalf("held message was delivered")
		}
	default:
		t.Fatalf("got %v, want %s", r, s.Action)
	}
}

// samplesNamed are the corpus samples named in names ("what" samples in
// its error). The test fails unless the corpus has every one of them, and
// at least atLeast: a name set that shrank by mistake is caught.
func samplesNamed(t *testing.T, what string, names map[string]bool, atLeast int) []corpus.Sample {
	t.Helper()
	samples, err := corpus.Samples("..")
	if err != nil {
		t.Fatal(err)
	}
	var picked []corpus.Sample
	for _, s := range samples {
		if names[s.Name] {
			picked = append(picked, s)
		}
	}
	if len(picked) != len(names) || len(picked) < atLeast {
		t.Fatalf("found %d of the %d %s samples in the corpus", len(picked), len(names), what)
	}
	return picked
}

// sendThroughPostfix sends each sample through a real Postfix with Kensa
// as its milter, in parallel subtests (sendSample, with exact).
func sendThroughPostfix(t *testing.T, picked []corpus.Sample, exact bool) {
	t.Helper()
	e := newEnv(t, "postfix", envOpts{})
	for _, s := range picked {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			count(t)
			sendSample(t, e.in(t), s, exact)
		})
	}
}
