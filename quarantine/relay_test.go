package quarantine

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kensa-milter/kensa/internal/smtpsink"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
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

// A bare CR (or LF) was sent to the relay verbatim, so "\r.\r\n" could end
// the data early at a relay that reads a bare CR as a line end (issue 16,
// informational). Line ends reach the relay as CRLF.
func TestRelayNormalisesLineEnds(t *testing.T) {
	s := smtpsink.Start(t)
	raw := []byte("Subject: x\r\n\r\nbefore\r.\r\nbare lf\nend\r")
	want := []byte("Subject: x\r\n\r\nbefore\r\n.\r\nbare lf\r\nend\r\n")
	if err := (Relay{Addr: s.Addr}).Deliver(t.Context(), &Entry{Raw: raw, Envelope: envelope("a@example.org", "b@example.net")}); err != nil {
		t.Fatal(err)
	}
	if got := s.Messages(); len(got) != 1 || !bytes.Equal(got[0].Data, want) {
		t.Fatalf("relay got %+v, want data %q", got, want)
	}
}

// An address with ">" or blanks would pass ESMTP parameters to the relay;
// such addresses are refused when stored and when released.
func TestUnsafeAddressesAreNeverStoredNorRelayed(t *testing.T) {
	s := smtpsink.Start(t)
	st, err := Open(t.Context(), SQLiteDSN(t.TempDir()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, env := range []message.Envelope{
		envelope("a@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x@evil.example", "b@example.net"),
		envelope("a@example.org", "b@example.net> NOTIFY=NEVER"),
		envelope("a@example.org", "b c@example.net"),
	} {
		e := NewEntry([]byte("Subject: x\r\n\r\nbody\r\n"), env, policy.Verdict{Action: policy.Quarantine, Ref: "r"})
		if err := st.Put(t.Context(), e); !errors.Is(err, ErrUnsafeAddress) {
			t.Errorf("Put %+v: %v, want ErrUnsafeAddress", env, err)
		}
		if err := (Relay{Addr: s.Addr}).Deliver(t.Context(), &Entry{Raw: e.Raw, Envelope: env}); !errors.Is(err, ErrUnsafeAddress) {
			t.Errorf("Deliver %+v: %v, want ErrUnsafeAddress", env, err)
		}
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("the relay got %d messages", n)
	}
}
