package milter

import (
	"fmt"
	"strings"
	"testing"

	gomilter "github.com/d--j/go-milter"

	"github.com/kensa-milter/kensa/policy"
)

// headerMessage is a message whose header is fields, then a Subject, with a
// short body.
func headerMessage(fields []string) []byte {
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f)
		b.WriteString("\r\n")
	}
	b.WriteString("From: a@example.com\r\nSubject: report\r\n\r\nbody\r\n")
	return []byte(b.String())
}

// noForged fails when a forged verdict is left in the delivered header.
func noForged(t *testing.T, r result) {
	t.Helper()
	for _, name := range []string{headerVerdict, headerFindings, "x-kensa-extra"} {
		for _, v := range r.values(name) {
			if strings.Contains(v, "forged") {
				t.Errorf("forged %s field delivered: %q", name, v)
			}
		}
	}
}

// Finding 5 of issue 16: X-Kensa-* fields after the 1000th header field
// were not removed, and reached the recipient after a hold release or with
// policy.unscannable: tag. Sent with go-milter's client, as Postfix would.
func TestE2EForgedFieldsPastTheFieldLimitAreRemoved(t *testing.T) {
	fields := make([]string, 0, 1010)
	fields = append(fields, "X-Kensa-Verdict: accept; forged early")
	for i := range 1003 {
		fields = append(fields, fmt.Sprintf("X-Filler-%d: %d", i, i))
	}
	fields = append(fields, "X-Kensa-Verdict: accept; score=0; forged late", "x-kensa-extra: forged", "X-KENSA-FINDINGS: forged")
	raw := headerMessage(fields)
	for _, action := range []policy.Action{policy.Tag, policy.Quarantine, policy.Accept} {
		t.Run(action.String(), func(t *testing.T) {
			pol := policy.Default()
			pol.Unscannable = action
			srv, _ := start(t, setup(pol), Config{Quarantine: ModeHold}, "inet:0@127.0.0.1")
			r := send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: raw})
			wantAccept(t, r) // tag, hold and accept all deliver (hold: after a release)
			noForged(t, r)
			if v := r.one(t, headerVerdict); !strings.Contains(v, "unscanned; reason=too-many-headers") {
				t.Errorf("verdict %q", v)
			}
		})
	}
}

// Finding 11 of issue 16: header fields stayed in memory while bodies
// spilled to disk (20 sessions with 50 MiB of fields took 1.17 GB). Past
// limits.max_header_size the message is not scanned, gets the unscannable
// action, and the session keeps no more of its fields than the header
// changes need.
func TestE2EHeaderBytesPastTheLimit(t *testing.T) {
	big := strings.Repeat("x", 1000<<10) // one field per packet, just under the packet limit
	var fields []string
	for i := range 12 {
		fields = append(fields, fmt.Sprintf("X-Padding-%d: %s", i, big))
	}
	fields = append(fields, "X-Kensa-Verdict: accept; forged")
	raw := headerMessage(fields)

	srv, hook := start(t, setup(policy.Default()), Config{Quarantine: ModeHold}, "inet:0@127.0.0.1")
	r := send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: raw})
	if len(r.has(gomilter.ActionQuarantine)) != 1 {
		t.Errorf("not held: %v", r.mods)
	}
	noForged(t, r)
	v := r.one(t, headerVerdict)
	if !strings.Contains(v, "unscanned; reason=header-too-large; action=quarantine") {
		t.Errorf("verdict %q", v)
	}
	if e := logLine(t, hook, refOf(t, v)); e.Data["unscanned"] != policy.ReasonHeaderTooLarge {
		t.Errorf("log line %v", e.Data)
	}

	// With policy.unscannable: accept it is delivered, but never silently:
	// the verdict says it was not scanned.
	pol := policy.Default()
	pol.Unscannable = policy.Accept
	srv2, _ := start(t, setup(pol), Config{}, "inet:0@127.0.0.1")
	r = send(t, srv2.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: raw})
	wantAccept(t, r)
	noForged(t, r)
	if v := r.one(t, headerVerdict); !strings.HasPrefix(v, "unscanned; reason=header-too-large") {
		t.Errorf("verdict %q", v)
	}
}

// More X-Kensa-* fields past the limit than the session keeps to remove:
// the message would carry a forged field, so it is rejected.
func TestE2EForgedFieldFloodIsRejected(t *testing.T) {
	var fields []string
	for i := range 300 {
		fields = append(fields, fmt.Sprintf("X-Padding-%d: %s", i, strings.Repeat("p", 1000)))
	}
	for i := range 3000 {
		fields = append(fields, fmt.Sprintf("X-Kensa-Forged-%04d-%s: forged", i, strings.Repeat("n", 20)))
	}
	pol := policy.Default()
	pol.Unscannable = policy.Tag
	srv, _ := start(t, setup(pol), Config{}, "inet:0@127.0.0.1")
	wantCode(t, send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: headerMessage(fields)}), 550, "5.7.1")
}

// The session's memory for a header flood stays near the limit: fields are
// kept up to max_header_size, nothing of the message past it.
func TestSessionHeaderFloodMemory(t *testing.T) {
	ss := &session{srv: &Server{bodyCap: DefaultMaxSize + 1}, leadingSpace: true}
	defer ss.dropTx()
	big := " " + strings.Repeat("h", 1000<<10)
	for range 50 { // 50 MiB of header fields
		if _, err := ss.Header("X-Padding", big, nil); err != nil {
			t.Fatal(err)
		}
	}
	kept := 0
	for _, f := range ss.tx.fields {
		kept += len(f.name) + len(f.value)
	}
	if kept > DefaultMaxHeaderSize+len(big) || ss.tx.data.head != nil || ss.tx.data.chunks != nil || ss.tx.data.file != nil {
		t.Errorf("kept %d bytes of fields (limit %d), spool head %d, chunks %d, file %v", kept, DefaultMaxHeaderSize, len(ss.tx.data.head), len(ss.tx.data.chunks), ss.tx.data.file)
	}
	if !ss.tx.headTooBig || ss.tx.data.size < int64(50*len(big)) {
		t.Errorf("too big %v, size %d", ss.tx.headTooBig, ss.tx.data.size)
	}
}
