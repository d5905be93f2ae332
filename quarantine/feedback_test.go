package quarantine

import (
	"context"
	"reflect"
	"testing"

	"github.com/kensa-milter/kensa/internal/smtpsink"
	"github.com/kensa-milter/kensa/scanners"
)

// TestReleasedFindings: a released message counts once against each
// finding that weighed in its verdict, at its first release; info findings
// and messages never released do not count.
func TestReleasedFindings(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn, Options{})
		relay := Relay{Addr: smtpsink.Start(t).Addr}
		findings := []scanners.Finding{
			{Scanner: "heuristic", ID: "double-extension", Part: "2", Severity: scanners.Suspicious, Score: 30},
			{Scanner: "heuristic", ID: "double-extension", Part: "3", Severity: scanners.Suspicious, Score: 30},
			{Scanner: "known", ID: "similar-to-known", Part: "2", Severity: scanners.Suspicious, Score: 50},
			{Scanner: "heuristic", ID: "office-macro", Part: "2", Severity: scanners.Info},
		}
		a := newEntry("two", "alice@example.org", "bob@example.net", "carol@example.net")
		a.Verdict.Findings = findings
		put(t, s, a)
		b := newEntry("one", "alice@example.org", "bob@example.net")
		b.Verdict.Findings = findings[:1]
		put(t, s, b)
		held := newEntry("held", "alice@example.org", "bob@example.net")
		held.Verdict.Findings = findings
		put(t, s, held)

		if got, err := s.ReleasedFindings(ctx); err != nil || len(got) != 0 {
			t.Fatalf("before any release: %v %v", got, err)
		}
		// a in two steps (one recipient, then the rest): counted once.
		if _, err := s.Release(ctx, a.ID, "user:bob@example.net", relay.Deliver, "bob@example.net"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Release(ctx, a.ID, "admin:root", relay.Deliver); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Release(ctx, b.ID, "admin:root", relay.Deliver); err != nil {
			t.Fatal(err)
		}
		got, err := s.ReleasedFindings(ctx)
		want := map[string]int64{"double-extension": 2, "similar-to-known": 1}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("released findings %v (%v), want %v", got, err, want)
		}
	})
}
