package quarantine

import (
	"bytes"
	"testing"

	"github.com/kensa-milter/kensa/internal/smtpsink"
)

// Lines with a leading dot reach the relay as they were: Deliver
// dot-stuffs them and the server undoes it.
func TestRelayDotStuffing(t *testing.T) {
	s := smtpsink.Start(t)
	raw := []byte("Subject: x\r\n\r\n.leading dot\r\n..two\r\nend\r\n")
	r := Relay{Addr: s.Addr}
	if err := r.Deliver(t.Context(), &Entry{Raw: raw, Envelope: envelope("a@example.org", "b@example.net")}); err != nil {
		t.Fatal(err)
	}
	got := s.Messages()
	if len(got) != 1 || !bytes.Equal(got[0].Data, raw) {
		t.Fatalf("relay got %+v, want data %q", got, raw)
	}
}
