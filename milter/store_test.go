package milter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	gomilter "github.com/d--j/go-milter"
	"github.com/sirupsen/logrus/hooks/test"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/metrics"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/quarantine"
)

// sqliteQuarantiner puts entries into a real SQLite store, as cmd/kensa does.
type sqliteQuarantiner struct{ st quarantine.Store }

func (q sqliteQuarantiner) Quarantine(ctx context.Context, raw []byte, env message.Envelope, rep engine.Report) (string, error) {
	e := quarantine.NewEntry(raw, env, rep.Verdict)
	if err := q.st.Put(ctx, e); err != nil {
		return "", err
	}
	return e.ID, nil
}

type brokenQuarantiner struct{}

func (brokenQuarantiner) Quarantine(context.Context, []byte, message.Envelope, engine.Report) (string, error) {
	return "", errors.New("disk full")
}

func openStore(t *testing.T) quarantine.Store {
	t.Helper()
	st, err := quarantine.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "q.db"), quarantine.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestE2EQuarantineStore(t *testing.T) {
	yara := yaraScanner(t)
	st := openStore(t)
	cfg := Config{Quarantine: ModeStore, SubjectPrefix: "[S] "}
	srv, hook := startWith(t, setup(policy.Default(), yara), cfg, sqliteQuarantiner{st})
	rcpts := []string{"bob@example.org", "Carol@example.org"}
	raw := text("Report", "KENSA-TEST-QUARANTINE-MARKER\n")
	// A forged verdict must not end up in the stored copy.
	raw = append([]byte("X-Kensa-Verdict: accept; score=0\r\n"), raw...)
	r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: rcpts, raw: raw})
	if r.act == nil || r.act.Type != gomilter.ActionDiscard || len(r.mods) != 0 {
		t.Fatalf("decision %v %v, want discard without changes", r.act, r.mods)
	}
	list, err := st.List(context.Background(), quarantine.Filter{Recipient: "carol@example.org"})
	if err != nil || len(list) != 1 {
		t.Fatalf("List = %v, %v; want the one entry", list, err)
	}
	e, err := st.Get(context.Background(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.Envelope.Sender != "alice@example.com" || len(e.Envelope.Recipients) != 2 || e.Envelope.QueueID != "4XyZ1Q2" ||
		e.Envelope.ClientAddr != "192.0.2.10" || e.Subject != "Report" {
		t.Errorf("entry %+v", e)
	}
	if len(e.Verdict.Findings) == 0 || e.Verdict.Findings[0].ID != "Kensa_Test_Quarantine" || e.Verdict.Action != policy.Quarantine {
		t.Errorf("verdict %+v", e.Verdict)
	}
	if !bytes.Contains(e.Raw, []byte("KENSA-TEST-QUARANTINE-MARKER")) || !bytes.Contains(e.Raw, []byte("X-Kensa-Verdict: quarantine; score=60")) ||
		bytes.Contains(e.Raw, []byte("accept; score=0")) || bytes.Contains(e.Raw, []byte("[S]")) {
		t.Errorf("stored message:\n%s", e.Raw)
	}
	line := logLine(t, hook, e.Verdict.Ref)
	if line.Data["quarantine_id"] != e.ID || line.Data["action"] != "quarantine" || line.Data["quarantine"] != "store" {
		t.Errorf("log line %v", line.Data)
	}

	// A clean message is not stored.
	wantAccept(t, send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: rcpts, raw: text("Hi", "hello\n")}))
	if all, _ := st.List(context.Background(), quarantine.Filter{}); len(all) != 1 {
		t.Errorf("store has %d entries, want 1", len(all))
	}
}

// The stored copy is the message byte for byte as the MTA sent it, after
// our header changes: bodies in memory (several chunks of 64 KiB, kept as
// go-milter hands them) and bodies spilled to disk past 1 MiB alike.
func TestE2EQuarantineStoreWhole(t *testing.T) {
	st := openStore(t)
	srv, _ := startWith(t, setup(policy.Default(), yaraScanner(t)), Config{Quarantine: ModeStore}, sqliteQuarantiner{st})
	for _, n := range []int{300 << 10, 3 << 20} {
		var body bytes.Buffer
		for i := 0; body.Len() < n; i++ {
			fmt.Fprintf(&body, "line %07d of a long report, each one different\r\n", i)
		}
		body.WriteString("KENSA-TEST-QUARANTINE-MARKER\r\n")
		raw := text("Long", "x\n")
		head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		raw = append(append(head, "\r\n\r\n"...), body.Bytes()...)
		r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: raw})
		if r.act == nil || r.act.Type != gomilter.ActionDiscard {
			t.Fatalf("%d bytes: decision %v, want discard (stored)", n, r.act)
		}
		list, err := st.List(context.Background(), quarantine.Filter{})
		if err != nil || len(list) == 0 {
			t.Fatalf("List = %v, %v", list, err)
		}
		e, err := st.Get(context.Background(), list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		_, storedBody, _ := bytes.Cut(e.Raw, []byte("\r\n\r\n"))
		if !bytes.Equal(storedBody, body.Bytes()) {
			t.Errorf("%d bytes: stored body differs (%d bytes stored)", n, len(storedBody))
		}
		if err := st.Delete(context.Background(), e.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
}

// TestE2EQuarantineStoreFails: a message the store refuses is tempfailed,
// still gets its one log line (decided quarantine, told tempfail, the same
// ref), and the metrics count it as an internal error of kind store.
func TestE2EQuarantineStoreFails(t *testing.T) {
	m := metrics.New(metrics.Options{})
	srv, hook := startWith(t, setup(policy.Default(), yaraScanner(t)), Config{Quarantine: ModeStore}, brokenQuarantiner{}, m)
	r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: text("R", "KENSA-TEST-QUARANTINE-MARKER\n")})
	ref := wantCode(t, r, 451, "4.7.1 ")
	var errLogged, lineLogged bool
	for _, e := range hook.AllEntries() {
		if e.Data["ref"] != ref {
			continue
		}
		if msg, _ := e.Data["error"].(string); strings.Contains(msg, "disk full") && e.Data["kind"] == "store" {
			errLogged = true
		}
		if e.Message == "message" && e.Data["action"] == "tempfail" && e.Data["decided"] == "quarantine" && e.Data["quarantine"] == "store" {
			lineLogged = true
		}
	}
	if !errLogged {
		t.Errorf("store failure not logged with ref %s and kind store", ref)
	}
	if !lineLogged {
		t.Errorf("no message log line for ref %s with action tempfail, decided quarantine", ref)
	}
	want := map[string]float64{
		`kensa_messages_total{action="tempfail",reason="internal-error"}`: 1,
		`kensa_scan_errors_total{kind="store"}`:                           1,
	}
	for series, n := range want {
		if got := metricValue(t, m, series); got != n {
			t.Errorf("%s = %v, want %v", series, got, n)
		}
	}
}

// metricValue reads one series, written as in the exposition format, from
// the registry of m.
func metricValue(t *testing.T, m *metrics.Metrics, series string) float64 {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		for _, mt := range f.GetMetric() {
			var labels []string
			for _, l := range mt.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			if f.GetName()+"{"+strings.Join(labels, ",")+"}" == series {
				return mt.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no series %s", series)
	return 0
}

func TestE2EQuarantineModes(t *testing.T) {
	yara := yaraScanner(t)
	st := openStore(t)
	cfg := Config{Quarantine: ModeHeader, ModeByReason: map[string]Mode{policy.ReasonUnscannable: ModeStore}, SubjectPrefix: "[S] "}
	srv, _ := startWith(t, setup(policy.Default(), yara), cfg, sqliteQuarantiner{st})

	// header: delivered, tagged, nothing stored, no quarantine action.
	r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: text("Report", "KENSA-TEST-QUARANTINE-MARKER\n")})
	wantAccept(t, r)
	if v := r.one(t, headerVerdict); !strings.HasPrefix(v, "quarantine; score=60") {
		t.Errorf("verdict header %q", v)
	}
	if s := r.one(t, "Subject"); s != "[S] Report" {
		t.Errorf("subject %q", s)
	}
	if len(r.has(gomilter.ActionQuarantine)) != 0 {
		t.Errorf("header mode sent a quarantine action")
	}
	if all, _ := st.List(context.Background(), quarantine.Filter{}); len(all) != 0 {
		t.Errorf("header mode stored %d entries", len(all))
	}

	// hold: the milter quarantine action, nothing stored.
	srv.SetConfig(Config{Quarantine: ModeHold})
	r = send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: text("Report", "KENSA-TEST-QUARANTINE-MARKER\n")})
	if len(r.has(gomilter.ActionQuarantine)) != 1 {
		t.Errorf("hold mode: %v", r.mods)
	}
	if all, _ := st.List(context.Background(), quarantine.Filter{}); len(all) != 0 {
		t.Errorf("hold mode stored %d entries", len(all))
	}

	// A too-large message was not read whole: store falls back to hold.
	srv.SetConfig(Config{Quarantine: ModeStore, MaxSize: 300, TooLarge: policy.Quarantine})
	r = send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: text("Big", strings.Repeat("x", 2000)+"\n")})
	if len(r.has(gomilter.ActionQuarantine)) != 1 {
		t.Errorf("too large in store mode: %v %v, want hold", r.act, r.mods)
	}
}

// startWith is start with a quarantiner set before Listen.
func startWith(t *testing.T, s *engine.Setup, cfg Config, q Quarantiner, obs ...Observer) (*Server, *test.Hook) {
	t.Helper()
	return startOn(t, s, cfg, "inet:0@127.0.0.1", func(srv *Server) {
		srv.SetQuarantiner(q)
		for _, o := range obs {
			srv.SetObserver(o)
		}
	})
}

// An envelope address with ">" would pass ESMTP parameters to the relay on
// release (issue 16, informational): such a message is not stored but held
// by the MTA, which keeps its own envelope.
func TestE2EUnsafeAddressIsHeldNotStored(t *testing.T) {
	yara := yaraScanner(t)
	st := openStore(t)
	srv, _ := startWith(t, setup(policy.Default(), yara), Config{Quarantine: ModeStore}, sqliteQuarantiner{st})
	r := send(t, srv.Addr(), mail{from: "alice@example.com> NOTIFY=NEVER", rcpts: []string{"bob@example.org"},
		raw: text("Report", "KENSA-TEST-QUARANTINE-MARKER\n")})
	if r.act == nil || r.act.Type != gomilter.ActionAccept || len(r.has(gomilter.ActionQuarantine)) != 1 {
		t.Fatalf("decision %v %v, want accept with the hold action", r.act, r.mods)
	}
	if all, _ := st.List(context.Background(), quarantine.Filter{}); len(all) != 0 {
		t.Errorf("store has %d entries, want none", len(all))
	}
}
