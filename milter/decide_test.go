package milter

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	gomilter "github.com/d--j/go-milter"
	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"

	"github.com/kensa-milter/kensa/disposition"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

func TestOutcomeAnswers(t *testing.T) {
	cfg := Config{}.withDefaults()
	custom := Config{RejectCode: 554, RejectText: "5.7.0 No thanks {ref} {ref}", TempFailText: "4.3.0 Later\r\n(ref {ref})"}.withDefaults()
	rule := scanners.Finding{Scanner: "yara", ID: "Secret_Rule_Name", Detail: "Secret detail", Severity: scanners.Malicious}
	tests := []struct {
		name    string
		v       policy.Verdict
		cfg     Config
		want    disposition.Outcome
		through bool
	}{
		{"accept", policy.Verdict{Action: policy.Accept, Ref: "r"}, cfg, disposition.Outcome{Action: policy.Accept}, true},
		{"tag", policy.Verdict{Action: policy.Tag, Ref: "r"}, cfg, disposition.Outcome{Action: policy.Tag}, true},
		{"quarantine", policy.Verdict{Action: policy.Quarantine, Ref: "r", Findings: []scanners.Finding{rule}},
			cfg, disposition.Outcome{Action: policy.Quarantine, Text: "kensa: quarantined, ref r"}, true},
		{"reject", policy.Verdict{Action: policy.Reject, Ref: "abc", Findings: []scanners.Finding{rule}, Reasons: []string{"malicious"}},
			cfg, disposition.Outcome{Action: policy.Reject, Code: 550, Text: "5.7.1 Message rejected by content filter (ref abc)"}, false},
		{"reject custom", policy.Verdict{Action: policy.Reject, Ref: "abc"}, custom, disposition.Outcome{Action: policy.Reject, Code: 554, Text: "5.7.0 No thanks abc abc"}, false},
		{"discard", policy.Verdict{Action: policy.Discard, Ref: "r"}, cfg, disposition.Outcome{Action: policy.Discard}, false},
		{"tempfail", policy.Verdict{Action: policy.TempFail, Ref: "xyz"}, cfg,
			disposition.Outcome{Action: policy.TempFail, Code: 451, Text: "4.7.1 Message could not be scanned, try again later (ref xyz)"}, false},
		{"tempfail custom, controls dropped", policy.Verdict{Action: policy.TempFail, Ref: "xyz"}, custom,
			disposition.Outcome{Action: policy.TempFail, Code: 451, Text: "4.3.0 Later(ref xyz)"}, false},
		{"monitor reject", policy.Verdict{Action: policy.Reject, Ref: "r", Monitor: true}, cfg, disposition.Outcome{Action: policy.Accept}, true},
		{"monitor quarantine", policy.Verdict{Action: policy.Quarantine, Ref: "r", Monitor: true}, cfg, disposition.Outcome{Action: policy.Accept}, true},
		{"monitor tempfail", policy.Verdict{Action: policy.TempFail, Ref: "r", Monitor: true}, cfg, disposition.Outcome{Action: policy.Accept}, true},
		{"monitor tag", policy.Verdict{Action: policy.Tag, Ref: "r", Monitor: true}, cfg, disposition.Outcome{Action: policy.Tag}, true},
		{"unknown action", policy.Verdict{Action: policy.Action(42), Ref: "r"}, cfg, disposition.Outcome{Action: policy.Accept}, true},
	}
	for _, tt := range tests {
		// Mode hold: the reply alone, as the milter sends it.
		cfg := tt.cfg
		cfg.Quarantine = ModeHold
		got := disposition.Decide(engine.Report{Verdict: tt.v}, cfg.Disposition(), true)
		if got.Action != tt.want.Action || got.Code != tt.want.Code || got.Text != tt.want.Text {
			t.Errorf("%s: Decide = %+v, want %+v", tt.name, got, tt.want)
		}
		if got.LetThrough() != tt.through {
			t.Errorf("%s: LetThrough = %v, want %v", tt.name, got.LetThrough(), tt.through)
		}
		if strings.Contains(got.Text, "Secret") || strings.Contains(fmt.Sprint(got.Headers), "Secret detail") {
			t.Errorf("%s: reply %q leaks a rule name or detail", tt.name, got.Text)
		}
		a := answerFor(got, []headerOp{{insert: true, index: 1, name: "X-Kensa-Verdict", value: " x"}})
		switch got.Action {
		case policy.Reject, policy.TempFail:
			if s := a.resp.String(); !strings.Contains(s, strconv.Itoa(int(got.Code))+" ") || !strings.Contains(s, tt.v.Ref) {
				t.Errorf("%s: response %q", tt.name, s)
			}
		case policy.Discard:
			if a.resp != gomilter.RespDiscard {
				t.Errorf("%s: response %v, want discard", tt.name, a.resp)
			}
		default: // accept, tag and quarantine all answer accept, with the header changes
			if a.resp != gomilter.RespAccept || len(a.ops) != 1 {
				t.Errorf("%s: response %v with %d header changes, want accept with 1", tt.name, a.resp, len(a.ops))
			}
		}
		if got.Action != policy.Accept && got.Action != policy.Tag && got.Action != policy.Quarantine && (len(a.ops) > 0 || a.quarantine != "") {
			t.Errorf("%s: header changes or quarantine sent with %v", tt.name, got.Action)
		}
		if (got.Action == policy.Quarantine) != (a.quarantine != "") {
			t.Errorf("%s: quarantine reason %q with %v", tt.name, a.quarantine, got.Action)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{RejectCode: 250, TooLarge: policy.Tag, SubjectPrefix: "[X]\r\n ", RejectText: " \r\n "}.withDefaults()
	want := Config{MaxSize: DefaultMaxSize, TooLarge: policy.TempFail, SubjectPrefix: "[X] ", RejectCode: 550,
		RejectText: DefaultRejectText, TempFailText: DefaultTempFailText, ReadTimeout: DefaultReadTimeout, Quarantine: ModeHold,
		MaxConnections: DefaultMaxConnections, firstCommand: firstCommandTimeout, MaxHeaderSize: DefaultMaxHeaderSize}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("withDefaults = %+v\nwant %+v", c, want)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
	ok := Config{MaxSize: 1 << 20, TooLarge: policy.Reject, SubjectPrefix: "[SPAM] ", RejectCode: 554, RejectText: "5.7.1 no ({ref})", Hostname: "mx1"}
	if err := ok.Validate(); err != nil {
		t.Errorf("good config: %v", err)
	}
	bad := Config{MaxSize: -1, TooLarge: policy.Tag, RejectCode: 450, RejectText: "a\nb", TempFailText: strings.Repeat("x", 401)}
	err := bad.Validate()
	for _, want := range []string{"max size -1", "reject code 450", "too-large action tag", "reject text", "tempfail text is 401 bytes"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to mention %q", err, want)
		}
	}
}

// panicking stands in for a broken quarantine store.
type panicking struct{}

func (panicking) Quarantine(context.Context, []byte, message.Envelope, engine.Report) (string, error) {
	panic("store exploded")
}

// Failures inside the decision become a tempfail with a ref in the reply
// and in the log, never a crash and never an accept.
func TestDecideFailuresTempFail(t *testing.T) {
	spilled := func() *transaction {
		tx := &transaction{}
		tx.data.writeString("Subject: x\r\n")
		tx.endHeader()
		tx.data.write(bytes.Repeat([]byte("a"), bodyInMemory+1)) // spills to a file
		_ = tx.data.file.Close()                                 // the disk is gone
		return tx
	}
	quarantined := func() *transaction {
		tx := &transaction{}
		tx.data.writeString("Subject: x\r\n")
		tx.endHeader()
		tx.data.writeString("KENSA-TEST-QUARANTINE-MARKER\r\n")
		return tx
	}
	sc := yaraScanner(t)
	tests := []struct {
		name string
		tx   *transaction
		q    Quarantiner
		want string // in the error log line
	}{
		{"read error", spilled(), nil, "file already closed"},
		{"panic", quarantined(), panicking{}, "store exploded"},
	}
	for _, tt := range tests {
		log, hook := test.NewNullLogger()
		s := New(engine.New(&engine.Setup{Policy: policy.Default(), Scanners: []scanners.Scanner{sc}}), Config{Quarantine: ModeStore}, log)
		if tt.q != nil {
			s.SetQuarantiner(tt.q)
		}
		a := s.decide(context.Background(), tt.tx)
		tt.tx.data.close()
		var entry, stack *logrus.Entry
		for _, e := range hook.AllEntries() {
			if _, ok := e.Data["error"]; ok && e.Level == logrus.ErrorLevel {
				entry = e
			}
			if _, ok := e.Data["stack"]; ok {
				stack = e
			}
		}
		if entry == nil {
			t.Fatalf("%s: no error logged: %v", tt.name, hook.AllEntries())
		}
		ref, _ := entry.Data["ref"].(string)
		msg, _ := entry.Data["error"].(string)
		if ref == "" || !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: log fields %v", tt.name, entry.Data)
		}
		// A panic's stack is logged, on a line of its own with the same ref.
		if wantStack := tt.name == "panic"; wantStack != (stack != nil) || stack != nil && stack.Data["ref"] != ref {
			t.Errorf("%s: stack entry %v", tt.name, stack)
		}
		if want := "451 4.7.1 Message could not be scanned, try again later (ref " + ref + ")"; !strings.Contains(a.resp.String(), want) || len(a.ops) != 0 {
			t.Errorf("%s: response %q with %d header changes, want %q and none", tt.name, a.resp, len(a.ops), want)
		}
	}
}

// A message cut at the cap is too large even if the configured limit was
// raised later: a cut message is never scanned.
func TestReadMessageCutBody(t *testing.T) {
	s := New(engine.New(&engine.Setup{Policy: policy.Default()}), Config{MaxSize: 100}, nil)
	const head = "Subject: x\r\n\r\n"        // 14 bytes
	tx := &transaction{data: spool{max: 51}} // as if Listen ran with MaxSize 50
	tx.data.writeString(head)
	tx.data.write(bytes.Repeat([]byte("a"), 51-len(head)+1))
	if _, size, why, err := s.readMessage(tx, s.config()); err != nil || why != reasonTooLarge || size != 52 {
		t.Errorf("cut message: reason %q, size %d, err %v; want too-large, 52", why, size, err)
	}
	tx = &transaction{data: spool{max: 51}}
	tx.data.writeString(head)
	tx.data.write(bytes.Repeat([]byte("a"), 51-len(head)))
	raw, size, why, err := s.readMessage(tx, s.config())
	if err != nil || why != "" || size != 51 || string(raw) != head+strings.Repeat("a", 51-len(head)) {
		t.Errorf("message at the cap: reason %q, err %v, %d bytes", why, err, len(raw))
	}
}

// The spool keeps the first MiB in memory, the rest in a file it removes.
func TestSpool(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	var s spool
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB
	var want []byte
	for len(want) <= bodyInMemory {
		s.write(chunk)
		want = append(want, chunk...)
		if (s.file != nil) != (len(want) > bodyInMemory) {
			t.Fatalf("at %d bytes: in a file = %v", len(want), s.file != nil)
		}
	}
	got, err := s.bytes()
	if err != nil || !bytes.Equal(got, want) || s.size != int64(len(want)) {
		t.Fatalf("bytes: %d bytes, err %v; want %d", len(got), err, len(want))
	}
	s.close()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("spool file left behind: %v", ents)
	}
}

// A message that cannot be spooled to disk is answered with a tempfail and
// a ref in the log, not dropped and not accepted unscanned.
func TestE2ESpoolFailureTempFails(t *testing.T) {
	srv, hook := start(t, setup(policy.Default(), yaraScanner(t)), Config{}, "inet:0@127.0.0.1")
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	big := text("Big", strings.Repeat("a line of a long report\n", 60000)) // 1.4 MB: past the memory part
	ref := wantCode(t, send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: big}), 451, "4.7.1")
	found := false
	for _, e := range hook.AllEntries() {
		if e.Data["ref"] == ref && strings.Contains(fmt.Sprint(e.Data["error"]), "spool message to disk") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error log line with ref %s naming the spool", ref)
	}
	wantAccept(t, send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: text("Small", "fits in memory\n")}))
}

// Past the size limit the session keeps only the header fields the changes
// need, so a flood of header bytes cannot grow its memory beyond the limit.
func TestSessionHeaderMemoryBounded(t *testing.T) {
	ss := &session{srv: &Server{bodyCap: 200}, leadingSpace: true}
	add := func(name, value string) {
		if _, err := ss.Header(name, value, nil); err != nil {
			t.Fatal(err)
		}
	}
	add("X-Kensa-Verdict", " forged")
	add("Received", " "+strings.Repeat("r", 300)) // the message is cut here
	add("From", " a@example.com")
	add("x-kensa-findings", " "+strings.Repeat("f", 300))
	add("Subject", " first")
	add("Subject", " "+strings.Repeat("s", 300))
	want := []headerField{{"X-Kensa-Verdict", " forged"}, {"x-kensa-findings", ""}, {"Subject", " first"}}
	if !reflect.DeepEqual(ss.tx.fields, want) {
		t.Errorf("fields kept: %q\nwant %q", ss.tx.fields, want)
	}
	if !ss.tx.data.cut || ss.tx.nFields != 6 {
		t.Errorf("cut %v, %d fields counted; want cut, 6", ss.tx.data.cut, ss.tx.nFields)
	}
	ops, _, removed := editHeader(ss.tx.fields, [][2]string{{headerVerdict, "accept"}}, "[S] ")
	if removed != 2 || len(ops) != 4 || ops[0].name != "Subject" || ops[0].value != " [S] first" {
		t.Errorf("changes %+v, removed %d", ops, removed)
	}
	ss.dropTx()
}
