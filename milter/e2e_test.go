package milter

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gomilter "github.com/d--j/go-milter"
	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/scanners/yarascan"
)

// Rules for the end-to-end tests: each fires on a harmless marker string.
const testRules = `
rule Kensa_Test_Tag {
	meta: score = 30 severity = "suspicious" description = "tag marker"
	strings: $a = "KENSA-TEST-TAG-MARKER"
	condition: $a
}
rule Kensa_Test_Quarantine {
	meta: score = 60 severity = "suspicious"
	strings: $a = "KENSA-TEST-QUARANTINE-MARKER"
	condition: $a
}
rule Kensa_Test_Reject {
	meta: score = 100 severity = "malicious" description = "reject marker"
	strings: $a = "KENSA-TEST-REJECT-MARKER"
	condition: $a
}
rule Kensa_Test_Discard {
	meta: score = 1 severity = "info" action = "discard"
	strings: $a = "KENSA-TEST-DISCARD-MARKER"
	condition: $a
}
`

// yaraScanner is the real YARA scanner with Kensa's pack and the test rules.
func yaraScanner(t *testing.T) scanners.Scanner {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.yar")
	if err := os.WriteFile(path, []byte(testRules), 0o600); err != nil {
		t.Fatal(err)
	}
	sc, cerrs, err := yarascan.New(yarascan.Options{Builtin: true, Paths: []string{path}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("yarascan.New: %v", err)
	}
	for _, ce := range cerrs {
		if !ce.Warning {
			t.Fatalf("test rules do not compile: %v", ce)
		}
	}
	return sc
}

func setup(pol policy.Config, sc ...scanners.Scanner) *engine.Setup {
	return &engine.Setup{Policy: pol, Scanners: sc, ScanTimeout: 20 * time.Second}
}

// start runs a Server on listen until the test ends.
func start(t *testing.T, s *engine.Setup, cfg Config, listen string) (*Server, *test.Hook) {
	t.Helper()
	return startOn(t, s, cfg, listen)
}

// startOn is the one test server setup of this package: a server on
// listen with a debug-level test logger, configured by the options, shut
// down (and checked) when the test ends.
func startOn(t *testing.T, s *engine.Setup, cfg Config, listen string, opts ...func(*Server)) (*Server, *test.Hook) {
	t.Helper()
	log, hook := test.NewNullLogger()
	log.SetLevel(logrus.DebugLevel)
	srv := New(engine.New(s), cfg, log)
	for _, o := range opts {
		o(srv)
	}
	if err := srv.Listen(listen, 0); err != nil {
		t.Fatalf("Listen(%q): %v", listen, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return srv, hook
}

// mail is one SMTP transaction as an MTA hands it to the milter.
type mail struct {
	from  string
	rcpts []string
	auth  string // {auth_authen}
	raw   []byte
}

// result is what the MTA got back, plus the header as it would be after
// applying the modifications.
type result struct {
	act     *gomilter.Action
	mods    []gomilter.ModifyAction
	headers []field
}

type field struct{ name, value string }

// send drives one transaction through go-milter's client, as Postfix would.
func send(t *testing.T, addr net.Addr, m mail) result {
	t.Helper()
	macros := gomilter.NewMacroBag()
	macros.Set(gomilter.MacroQueueId, "4XyZ1Q2")
	if m.auth != "" {
		macros.Set(gomilter.MacroAuthAuthen, m.auth)
	}
	sess, err := gomilter.NewClient(addr.Network(), addr.String()).Session(macros)
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	defer sess.Close()
	step := func(what string) func(*gomilter.Action, error) {
		return func(act *gomilter.Action, err error) {
			t.Helper()
			if err != nil || act.Type != gomilter.ActionContinue {
				t.Fatalf("%s: %v %v", what, act, err)
			}
		}
	}
	step("conn")(sess.Conn("client.example.net", gomilter.FamilyInet, 40123, "192.0.2.10"))
	step("helo")(sess.Helo("client.example.net"))
	step("mail")(sess.Mail(m.from, ""))
	for _, r := range m.rcpts {
		step("rcpt")(sess.Rcpt(r, ""))
	}
	step("data")(sess.DataStart())
	headers, body := splitMessage(t, m.raw)
	for _, f := range headers {
		step("header")(sess.HeaderField(f.name, f.value, nil))
	}
	step("eoh")(sess.HeaderEnd())
	mods, act, err := sess.BodyReadFrom(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("body/end: %v", err)
	}
	// The MTA's own Received field is not sent to the milter but counts for
	// insert positions.
	mta := append([]field{{"Received", " from client.example.net by mx1.example.org"}}, headers...)
	return result{act: act, mods: mods, headers: apply(mta, mods)}
}

// splitMessage splits raw into header fields (values as they follow the
// colon, leading space and folds included) and the body.
func splitMessage(t *testing.T, raw []byte) ([]field, []byte) {
	t.Helper()
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		t.Fatal("test message has no header/body separator")
	}
	var fs []field
	for _, line := range strings.Split(string(head), "\r\n") {
		if (line[0] == ' ' || line[0] == '\t') && len(fs) > 0 {
			fs[len(fs)-1].value += "\r\n" + line
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		fs = append(fs, field{name, value})
	}
	return fs, body
}

// apply does to the header what the MTA does with the milter's changes.
func apply(fs []field, mods []gomilter.ModifyAction) []field {
	out := append([]field(nil), fs...)
	for _, m := range mods {
		switch m.Type {
		case gomilter.ActionInsertHeader:
			i := min(int(m.HeaderIndex), len(out))
			out = append(out[:i], append([]field{{m.HeaderName, m.HeaderValue}}, out[i:]...)...)
		case gomilter.ActionAddHeader:
			out = append(out, field{m.HeaderName, m.HeaderValue})
		case gomilter.ActionChangeHeader:
			n := 0
			for i, f := range out {
				if !strings.EqualFold(f.name, m.HeaderName) {
					continue
				}
				if n++; n == int(m.HeaderIndex) {
					if m.HeaderValue == "" {
						out = append(out[:i], out[i+1:]...)
					} else {
						out[i].value = m.HeaderValue
					}
					break
				}
			}
		}
	}
	return out
}

func (r result) values(name string) []string {
	var vs []string
	for _, f := range r.headers {
		if strings.EqualFold(f.name, name) {
			vs = append(vs, strings.TrimSpace(strings.NewReplacer("\r\n", "", "\n", "").Replace(f.value)))
		}
	}
	return vs
}

func (r result) one(t *testing.T, name string) string {
	t.Helper()
	vs := r.values(name)
	if len(vs) != 1 {
		t.Fatalf("want one %s field, got %q (headers %q)", name, vs, r.headers)
	}
	return vs[0]
}

func (r result) has(typ gomilter.ModifyActionType) []gomilter.ModifyAction {
	var out []gomilter.ModifyAction
	for _, m := range r.mods {
		if m.Type == typ {
			out = append(out, m)
		}
	}
	return out
}

var refRe = regexp.MustCompile(`ref=([a-z0-9]+)`)

func refOf(t *testing.T, verdict string) string {
	t.Helper()
	m := refRe.FindStringSubmatch(verdict)
	if m == nil {
		t.Fatalf("no ref in %q", verdict)
	}
	return m[1]
}

// logLine is the per-message info line with ref.
func logLine(t *testing.T, hook *test.Hook, ref string) *logrus.Entry {
	t.Helper()
	for _, e := range hook.AllEntries() {
		if e.Message == "message" && e.Data["ref"] == ref {
			return e
		}
	}
	t.Fatalf("no log line for ref %s in %d entries", ref, len(hook.AllEntries()))
	return nil
}

func wantAccept(t *testing.T, r result) {
	t.Helper()
	if r.act == nil || r.act.Type != gomilter.ActionAccept {
		t.Fatalf("decision %v, want accept", r.act)
	}
}

func wantCode(t *testing.T, r result, code uint16, text string) string {
	t.Helper()
	if r.act == nil || r.act.Type != gomilter.ActionRejectWithCode || r.act.SMTPCode != code || !strings.Contains(r.act.SMTPReply, text) {
		t.Fatalf("decision %v, want %d %q", r.act, code, text)
	}
	if len(r.mods) != 0 {
		t.Errorf("modifications sent with a %d: %v", code, r.mods)
	}
	m := regexp.MustCompile(`\(ref ([a-z0-9]+)\)`).FindStringSubmatch(r.act.SMTPReply)
	if m == nil {
		t.Fatalf("no ref in reply %q", r.act.SMTPReply)
	}
	return m[1]
}

func text(subject, body string) []byte { return testmail.Plain(subject, body) }

func TestE2EOutcomes(t *testing.T) {
	yara := yaraScanner(t)
	srv, hook := start(t, setup(policy.Default(), yara), Config{SubjectPrefix: "[SUSPICIOUS] ", Hostname: "mx1.example.org"}, "inet:0@127.0.0.1")
	rcpts := []string{"bob@example.org", "carol@example.org", "dave@example.net"}

	t.Run("accept", func(t *testing.T) {
		r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: rcpts, raw: text("Hello", "Just a normal note.\n")})
		wantAccept(t, r)
		v := r.one(t, headerVerdict)
		if !regexp.MustCompile(`^accept; score=0; ref=[a-z0-9]+; host=mx1\.example\.org$`).MatchString(v) {
			t.Errorf("verdict header %q", v)
		}
		if len(r.values(headerFindings)) != 0 || len(r.has(gomilter.ActionQuarantine)) != 0 {
			t.Errorf("clean message got findings or quarantine: %v", r.mods)
		}
		if ins := r.has(gomilter.ActionInsertHeader); len(ins) != 1 || ins[0].HeaderName != headerVerdict || len(r.mods) != 1 {
			t.Errorf("want only an insert of %s, got %v", headerVerdict, r.mods)
		}
		// Right below the MTA's own Received field, above the sender's fields.
		if r.headers[1].name != headerVerdict {
			t.Errorf("verdict not at the top: %q", r.headers)
		}
		if s := r.one(t, "Subject"); s != "Hello" {
			t.Errorf("subject of a clean message changed to %q", s)
		}
		e := logLine(t, hook, refOf(t, v))
		want := logrus.Fields{"queue_id": "4XyZ1Q2", "client": "192.0.2.10", "helo": "client.example.net",
			"sender": "alice@example.com", "action": "accept", "score": 0}
		for k, w := range want {
			if e.Data[k] != w {
				t.Errorf("log %s = %v, want %v", k, e.Data[k], w)
			}
		}
		if got, _ := e.Data["recipients"].([]string); strings.Join(got, ",") != strings.Join(rcpts, ",") {
			t.Errorf("log recipients = %v, want %v", e.Data["recipients"], rcpts)
		}
		if id, _ := e.Data["message_id"].(string); !strings.Contains(id, "plain-1@example.com") {
			t.Errorf("log message_id = %v", e.Data["message_id"])
		}
		if n, _ := e.Data["parts"].(int); n < 1 {
			t.Errorf("log parts = %v", e.Data["parts"])
		}
		if sz, _ := e.Data["size"].(int64); sz < 100 {
			t.Errorf("log size = %v", e.Data["size"])
		}
		if _, ok := e.Data["duration_ms"].(float64); !ok {
			t.Errorf("log duration_ms = %v", e.Data["duration_ms"])
		}
	})

	t.Run("tag", func(t *testing.T) {
		r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: rcpts[:1], raw: text("Hello", "Please look: KENSA-TEST-TAG-MARKER\n")})
		wantAccept(t, r)
		v := r.one(t, headerVerdict)
		m := regexp.MustCompile(`^tag; score=(\d+); ref=[a-z0-9]+; host=mx1\.example\.org$`).FindStringSubmatch(v)
		if m == nil {
			t.Fatalf("verdict header %q", v)
		}
		if n, _ := strconv.Atoi(m[1]); n < 20 || n >= 50 {
			t.Errorf("tag score %d outside 20..49", n)
		}
		if f := r.one(t, headerFindings); !regexp.MustCompile(`^yara/Kensa_Test_Tag \([0-9./]+\)$`).MatchString(f) {
			t.Errorf("findings header %q", f)
		}
		if s := r.one(t, "Subject"); s != "[SUSPICIOUS] Hello" {
			t.Errorf("subject %q, want the prefix once", s)
		}
		if ch := r.has(gomilter.ActionChangeHeader); len(ch) != 1 || ch[0].HeaderName != "Subject" {
			t.Errorf("want one Subject change, got %v", r.mods)
		}
		if len(r.has(gomilter.ActionQuarantine)) != 0 {
			t.Error("tagged message quarantined")
		}

		// Already prefixed: not prefixed again.
		r = send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: rcpts[:1], raw: text("[SUSPICIOUS] Hello", "KENSA-TEST-TAG-MARKER\n")})
		wantAccept(t, r)
		if s := r.one(t, "Subject"); s != "[SUSPICIOUS] Hello" {
			t.Errorf("subject %q, want the prefix once", s)
		}
	})

	t.Run("quarantine", func(t *testing.T) {
		r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: rcpts[:1], raw: text("Report", "KENSA-TEST-QUARANTINE-MARKER\n")})
		wantAccept(t, r)
		v := r.one(t, headerVerdict)
		if !strings.HasPrefix(v, "quarantine; score=60; ref=") {
			t.Errorf("verdict header %q", v)
		}
		q := r.has(gomilter.ActionQuarantine)
		if len(q) != 1 || q[0].Reason != "kensa: quarantined, ref "+refOf(t, v) {
			t.Fatalf("want one quarantine action with the ref, got %v", r.mods)
		}
		if f := r.one(t, headerFindings); !strings.HasPrefix(f, "yara/Kensa_Test_Quarantine") {
			t.Errorf("findings header %q", f)
		}
		if s := r.one(t, "Subject"); s != "Report" {
			t.Errorf("subject of a quarantined message changed to %q", s)
		}
	})

	t.Run("reject", func(t *testing.T) {
		r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: rcpts[:1], raw: text("Invoice", "KENSA-TEST-REJECT-MARKER\n")})
		ref := wantCode(t, r, 550, "5.7.1 Message rejected by content filter (ref ")
		if strings.Contains(r.act.SMTPReply, "Kensa_Test") || strings.Contains(r.act.SMTPReply, "marker") {
			t.Errorf("reply %q names the rule", r.act.SMTPReply)
		}
		e := logLine(t, hook, ref)
		if e.Data["action"] != "reject" || !strings.Contains(strings.Join(e.Data["findings"].([]string), ","), "yara/Kensa_Test_Reject") {
			t.Errorf("log line %v", e.Data)
		}
	})

	t.Run("discard", func(t *testing.T) {
		r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: rcpts[:1], raw: text("x", "KENSA-TEST-DISCARD-MARKER\n")})
		if r.act == nil || r.act.Type != gomilter.ActionDiscard || len(r.mods) != 0 {
			t.Errorf("decision %v %v, want discard without changes", r.act, r.mods)
		}
	})

	t.Run("forged headers removed", func(t *testing.T) {
		raw := text("Hello", "KENSA-TEST-TAG-MARKER\n")
		raw = append([]byte("X-Kensa-Verdict: accept; score=0; ref=forged\r\nx-kensa-findings: none\r\nX-KENSA-VERDICT: accept\r\n"), raw...)
		r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: rcpts[:1], raw: raw})
		wantAccept(t, r)
		if v := r.one(t, headerVerdict); !strings.HasPrefix(v, "tag; ") || strings.Contains(v, "forged") {
			t.Errorf("verdict header %q", v)
		}
		if f := r.one(t, headerFindings); f == "none" {
			t.Errorf("forged findings header kept")
		}
		dels := 0
		for _, m := range r.has(gomilter.ActionChangeHeader) {
			if strings.HasPrefix(strings.ToLower(m.HeaderName), "x-kensa-") && m.HeaderValue == "" {
				dels++
			}
		}
		if dels != 3 {
			t.Errorf("want 3 deletions of forged fields, got %v", r.mods)
		}
	})

	t.Run("authenticated sender skipped", func(t *testing.T) {
		pol := policy.Default()
		pol.Allow.Authenticated = true
		srv2, _ := start(t, setup(pol, yara), Config{}, "inet:0")
		r := send(t, srv2.Addr(), mail{from: "alice@example.com", rcpts: rcpts[:1], auth: "alice", raw: text("x", "KENSA-TEST-REJECT-MARKER\n")})
		wantAccept(t, r)
		if v := r.one(t, headerVerdict); !regexp.MustCompile(`^accept; score=0; ref=[a-z0-9]+; skipped=allow-authenticated$`).MatchString(v) {
			t.Errorf("verdict header %q", v)
		}
		// Without the macro the same message is scanned and rejected.
		wantCode(t, send(t, srv2.Addr(), mail{from: "alice@example.com", rcpts: rcpts[:1], raw: text("x", "KENSA-TEST-REJECT-MARKER\n")}), 550, "5.7.1")
	})
}

// failing is a test-only scanner that always errors, standing in for a
// scanner that broke; the milter must answer tempfail.
type failing struct{ calls chan struct{} }

func (failing) Name() string { return "failing" }
func (f failing) Scan(context.Context, *message.Message) ([]scanners.Finding, error) {
	if f.calls != nil {
		f.calls <- struct{}{}
	}
	return nil, errors.New("engine room on fire")
}

func TestE2ETempFailOnScanError(t *testing.T) {
	srv, hook := start(t, setup(policy.Default(), failing{}), Config{}, "inet:0")
	r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: text("Hello", "hi\n")})
	ref := wantCode(t, r, 451, "4.7.1 Message could not be scanned, try again later (ref ")
	if strings.Contains(r.act.SMTPReply, "fire") {
		t.Errorf("reply %q leaks the error", r.act.SMTPReply)
	}
	found := false
	for _, e := range hook.AllEntries() {
		if msg, _ := e.Data["error"].(string); e.Level == logrus.WarnLevel && e.Data["ref"] == ref &&
			strings.Contains(msg, "engine room on fire") && e.Data["kind"] == "scanner" && e.Data["source"] == "failing" {
			found = true
		}
	}
	line := logLine(t, hook, ref)
	if kinds, _ := line.Data["errors"].([]string); !found || line.Data["action"] != "tempfail" || strings.Join(kinds, ",") != "scanner" {
		t.Errorf("scan error not logged with ref %s", ref)
	}
}

func TestE2ETooLarge(t *testing.T) {
	big := text("Big", strings.Repeat("0123456789abcdef\n", 100)) // ~2 KiB
	small := text("Small", "hi\n")
	head, _, _ := bytes.Cut(small, []byte("\r\n\r\n"))
	// Header and body each under the limit, together over it: caught when
	// reading, not by go-milter's body cap.
	edge := text("Small", strings.Repeat("x", 300-len(head)-4+10))

	for _, tt := range []struct {
		name string
		cfg  Config
		raw  []byte
		want string // "accept" or a reply code
	}{
		{"accept big body", Config{MaxSize: 300}, big, "accept"},
		{"accept header+body over", Config{MaxSize: 300}, edge, "accept"},
		{"reject", Config{MaxSize: 300, TooLarge: policy.Reject}, big, "550"},
		{"tempfail", Config{MaxSize: 300, TooLarge: policy.TempFail}, big, "451"},
		{"quarantine", Config{MaxSize: 300, TooLarge: policy.Quarantine}, big, "quarantine"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// A scanner that fails: if the message were scanned, it would be a tempfail.
			calls := make(chan struct{}, 10)
			srv, _ := start(t, setup(policy.Default(), failing{calls}), tt.cfg, "inet:0")
			r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: tt.raw})
			switch tt.want {
			case "accept", "quarantine":
				wantAccept(t, r)
				v := r.one(t, headerVerdict)
				want := `^unscanned; reason=too-large; ref=[a-z0-9]+$`
				if tt.want == "quarantine" {
					want = `^unscanned; reason=too-large; action=quarantine; ref=[a-z0-9]+$`
					if q := r.has(gomilter.ActionQuarantine); len(q) != 1 {
						t.Errorf("want a quarantine action, got %v", r.mods)
					}
				}
				if !regexp.MustCompile(want).MatchString(v) {
					t.Errorf("verdict header %q", v)
				}
			case "550":
				wantCode(t, r, 550, "5.7.1 Message rejected by content filter (ref ")
			case "451":
				wantCode(t, r, 451, "4.7.1 Message could not be scanned")
			}
			if len(calls) != 0 {
				t.Error("a too-large message was scanned")
			}
		})
	}

	// Raising the limit at run time does not make go-milter keep more of the
	// body: a body it cut stays too large, never scanned cut.
	t.Run("raised after listen", func(t *testing.T) {
		calls := make(chan struct{}, 10)
		srv, _ := start(t, setup(policy.Default(), failing{calls}), Config{MaxSize: 300}, "inet:0")
		srv.SetConfig(Config{MaxSize: 1 << 20})
		r := send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: big})
		wantAccept(t, r)
		if v := r.one(t, headerVerdict); !strings.HasPrefix(v, "unscanned; reason=too-large;") || len(calls) != 0 {
			t.Errorf("verdict header %q, %d scans", v, len(calls))
		}
	})

	// More header fields than go-milter keeps: the MIME structure may be in
	// the ones it dropped, so the message is unscannable (quarantine by
	// default), whatever its size.
	t.Run("too many headers", func(t *testing.T) {
		calls := make(chan struct{}, 10)
		srv, _ := start(t, setup(policy.Default(), failing{calls}), Config{}, "inet:0")
		raw := append([]byte(strings.Repeat("X-Junk: 1\r\n", maxHeaders)), small...)
		r := send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: raw})
		wantAccept(t, r)
		if v := r.one(t, headerVerdict); !strings.HasPrefix(v, "unscanned; reason=too-many-headers; action=quarantine;") || len(calls) != 0 {
			t.Errorf("verdict header %q, %d scans", v, len(calls))
		}
		if len(r.has(gomilter.ActionQuarantine)) != 1 {
			t.Errorf("not quarantined: %v", r.mods)
		}
	})

	// Exactly at the limit is scanned (and so fails here).
	t.Run("at the limit", func(t *testing.T) {
		srv, _ := start(t, setup(policy.Default(), failing{}), Config{MaxSize: int64(len(small))}, "inet:0")
		wantCode(t, send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: small}), 451, "4.7.1")
	})
}

func TestE2ESetConfig(t *testing.T) {
	srv, _ := start(t, setup(policy.Default(), yaraScanner(t)), Config{SubjectPrefix: "[OLD] "}, "inet:0")
	msg := mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: text("Hello", "KENSA-TEST-TAG-MARKER\n")}
	if s := send(t, srv.Addr(), msg).one(t, "Subject"); s != "[OLD] Hello" {
		t.Errorf("subject %q", s)
	}
	srv.SetConfig(Config{SubjectPrefix: "[NEW] ", RejectText: "5.7.1 Go away (ref {ref})"})
	if s := send(t, srv.Addr(), msg).one(t, "Subject"); s != "[NEW] Hello" {
		t.Errorf("subject after SetConfig %q", s)
	}
	msg.raw = text("x", "KENSA-TEST-REJECT-MARKER\n")
	wantCode(t, send(t, srv.Addr(), msg), 550, "5.7.1 Go away (ref ")
}

func TestE2EMonitor(t *testing.T) {
	pol := policy.Default()
	pol.Monitor = true
	srv, hook := start(t, setup(pol, yaraScanner(t)), Config{}, "inet:0")
	r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: text("Invoice", "KENSA-TEST-REJECT-MARKER\n")})
	wantAccept(t, r)
	v := r.one(t, headerVerdict)
	if !regexp.MustCompile(`^reject; score=100; ref=[a-z0-9]+; monitor$`).MatchString(v) {
		t.Errorf("verdict header %q", v)
	}
	if f := r.one(t, headerFindings); !strings.HasPrefix(f, "yara/Kensa_Test_Reject") {
		t.Errorf("findings header %q", f)
	}
	if len(r.has(gomilter.ActionQuarantine)) != 0 {
		t.Error("monitor mode quarantined")
	}
	e := logLine(t, hook, refOf(t, v))
	if e.Data["action"] != "accept" || e.Data["decided"] != "reject" {
		t.Errorf("log action=%v decided=%v, want accept and reject", e.Data["action"], e.Data["decided"])
	}
}

func TestE2EUnixSocket(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kensa.sock")
	// A socket left behind by a process that died.
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()

	log, _ := test.NewNullLogger()
	srv := New(engine.New(setup(policy.Default(), yaraScanner(t))), Config{}, log)
	if err := srv.Listen("unix:"+path, 0o600); err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want a socket with 0600", fi.Mode())
	}
	// A second server must not take over a live socket.
	if err := New(engine.New(setup(policy.Default())), Config{}, log).Listen(path, 0); err == nil || !strings.Contains(err.Error(), "another process") {
		t.Errorf("second Listen on a live socket: %v", err)
	}
	r := send(t, srv.Addr(), mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: text("Hello", "hi\n")})
	wantAccept(t, r)
	if v := r.one(t, headerVerdict); !strings.HasPrefix(v, "accept; score=0; ref=") {
		t.Errorf("verdict header %q", v)
	}
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("socket left after Shutdown: %v", err)
	}

	// Default mode, and a regular file in the way is left alone.
	srv3 := New(engine.New(setup(policy.Default())), Config{}, log)
	if err := srv3.Listen(path, 0); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != DefaultSocketMode {
		t.Errorf("default socket mode: %v %v", fi.Mode(), err)
	}
	_ = srv3.Shutdown(context.Background())

	regular := filepath.Join(dir, "not-a-socket")
	if err := os.WriteFile(regular, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := New(engine.New(setup(policy.Default())), Config{}, log).Listen("unix:"+regular, 0); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("Listen over a regular file: %v", err)
	}
	if b, err := os.ReadFile(regular); err != nil || string(b) != "data" {
		t.Errorf("regular file changed: %q %v", b, err)
	}
}

// blocking is a test-only scanner that holds a message in flight until
// released.
type blocking struct {
	entered chan struct{}
	release chan struct{}
}

func (blocking) Name() string { return "blocking" }
func (b blocking) Scan(ctx context.Context, _ *message.Message) ([]scanners.Finding, error) {
	b.entered <- struct{}{}
	<-b.release
	return nil, nil
}

func TestE2EShutdownFinishesInFlight(t *testing.T) {
	b := blocking{entered: make(chan struct{}, 1), release: make(chan struct{})}
	log, _ := test.NewNullLogger()
	srv := New(engine.New(setup(policy.Default(), b)), Config{}, log)
	if err := srv.Listen("inet:0", 0); err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr()

	var wg sync.WaitGroup
	var r result
	wg.Add(1)
	go func() {
		defer wg.Done()
		r = send(t, addr, mail{from: "alice@example.com", rcpts: []string{"bob@example.org"}, raw: text("Hello", "hi\n")})
	}()
	select {
	case <-b.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("message never reached the scanner")
	}

	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done <- srv.Shutdown(ctx)
	}()
	// New connections are refused once shutdown has begun.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr.String(), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections during shutdown")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) while a message was in flight", err)
	case <-time.After(200 * time.Millisecond):
	}

	close(b.release)
	wg.Wait()
	wantAccept(t, r)
	if v := r.one(t, headerVerdict); !strings.HasPrefix(v, "accept; score=0; ref=") {
		t.Errorf("verdict header %q", v)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Shutdown did not return after the last message")
	}
}

// An MTA connection left open past the shutdown deadline is closed and
// Shutdown says so.
func TestE2EShutdownDeadline(t *testing.T) {
	log, _ := test.NewNullLogger()
	srv := New(engine.New(setup(policy.Default())), Config{}, log)
	if err := srv.Listen("inet:0", 0); err != nil {
		t.Fatal(err)
	}
	sess, err := gomilter.NewClient("tcp", srv.Addr().String()).Session(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := sess.Conn("h", gomilter.FamilyInet, 1, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v, want a deadline error", err)
	}
}
