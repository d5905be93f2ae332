//go:build integration

package integration

import (
	"bytes"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/smtpsink"
)

// delivered is one message as an MTA handed it to the sink.
type delivered = smtpsink.Message

// sink is the final destination of every MTA in the tests: the shared
// internal/smtpsink, which accepts everything and keeps it.
type sink struct{ *smtpsink.Sink }

func startSink(t testing.TB) *sink {
	t.Helper()
	s := &sink{smtpsink.Start(t)}
	dumpOnFailure(t, "sink log", s.Log)
	return s
}

// down closes the sink's listener: the MTA's deliveries are refused, as by
// a mail server that is down.
func (s *sink) down() { s.Down() }

// up listens again on the same port.
func (s *sink) up(t testing.TB) {
	t.Helper()
	if err := s.Up(); err != nil {
		t.Fatal(err)
	}
}

// with returns the delivered messages whose data contains token.
func (s *sink) with(token string) []delivered {
	var out []delivered
	for _, m := range s.Messages() {
		if bytes.Contains(m.Data, []byte(token)) {
			out = append(out, m)
		}
	}
	return out
}

// waitFor waits until at least n messages containing token arrived.
func (s *sink) waitFor(token string, n int, timeout time.Duration) []delivered {
	var got []delivered
	eventually(timeout, func() bool {
		got = s.with(token)
		return len(got) >= n
	})
	return got
}
