package main

import (
	"bytes"
	"sync/atomic"

	"github.com/kensa-milter/kensa/internal/smtpsink"
)

// sink is the SMTP server Postfix relays to in the Postfix phase: the
// repository's one SMTP sink (internal/smtpsink) with a hook that keeps
// nothing but counts the messages it received, and how many of them carried
// X-Kensa-Verdict, so that a run counts what was delivered, not what left
// the queue (held or lost mail would leave it too).
type sink struct {
	s         *smtpsink.Sink
	delivered atomic.Int64
	verdicts  atomic.Int64
}

func startSink() (*sink, error) {
	s, err := smtpsink.New()
	if err != nil {
		return nil, err
	}
	k := &sink{s: s}
	s.OnMessage(func(m smtpsink.Message) string {
		k.delivered.Add(1)
		if hasVerdict(m.Data) {
			k.verdicts.Add(1)
		}
		return "kept count"
	})
	return k, nil
}

func (s *sink) port() int { return s.s.Port }

func (s *sink) stop() { s.s.Close() }

func (s *sink) counts() (delivered, verdicts int) {
	return int(s.delivered.Load()), int(s.verdicts.Load())
}

// hasVerdict reports whether the header block of msg has X-Kensa-Verdict.
func hasVerdict(msg []byte) bool {
	for len(msg) > 0 {
		line, rest, _ := bytes.Cut(msg, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			return false // the end of the header
		}
		if len(line) >= 16 && bytes.EqualFold(line[:16], []byte("X-Kensa-Verdict:")) {
			return true
		}
		msg = rest
	}
	return false
}
