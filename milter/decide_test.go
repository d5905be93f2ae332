package milter

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/d--j/go-milter/mailfilter"
	"github.com/d--j/go-milter/mailfilter/testtrx"
	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

func TestReplyFor(t *testing.T) {
	cfg := Config{}.withDefaults()
	custom := Config{RejectCode: 554, RejectText: "5.7.0 No thanks {ref} {ref}", TempFailText: "4.3.0 Later\r\n(ref {ref})"}.withDefaults()
	rule := scanners.Finding{Scanner: "yara", ID: "Secret_Rule_Name", Detail: "Secret detail", Severity: scanners.Malicious}
	tests := []struct {
		name    string
		v       policy.Verdict
		cfg     Config
		want    reply
		through bool
	}{
		{"accept", policy.Verdict{Action: policy.Accept, Ref: "r"}, cfg, reply{action: policy.Accept}, true},
		{"tag", policy.Verdict{Action: policy.Tag, Ref: "r"}, cfg, reply{action: policy.Tag}, true},
		{"quarantine", policy.Verdict{Action: policy.Quarantine, Ref: "r", Findings: []scanners.Finding{rule}},
			cfg, reply{action: policy.Quarantine, text: "kensa: quarantined, ref r"}, true},
		{"reject", policy.Verdict{Action: policy.Reject, Ref: "abc", Findings: []scanners.Finding{rule}, Reasons: []string{"malicious"}},
			cfg, reply{action: policy.Reject, code: 550, text: "5.7.1 Message rejected by content filter (ref abc)"}, false},
		{"reject custom", policy.Verdict{Action: policy.Reject, Ref: "abc"}, custom, reply{action: policy.Reject, code: 554, text: "5.7.0 No thanks abc abc"}, false},
		{"discard", policy.Verdict{Action: policy.Discard, Ref: "r"}, cfg, reply{action: policy.Discard}, false},
		{"tempfail", policy.Verdict{Action: policy.TempFail, Ref: "xyz"}, cfg,
			reply{action: policy.TempFail, code: 451, text: "4.7.1 Message could not be scanned, try again later (ref xyz)"}, false},
		{"tempfail custom, controls dropped", policy.Verdict{Action: policy.TempFail, Ref: "xyz"}, custom,
			reply{action: policy.TempFail, code: 451, text: "4.3.0 Later(ref xyz)"}, false},
		{"monitor reject", policy.Verdict{Action: policy.Reject, Ref: "r", Monitor: true}, cfg, reply{action: policy.Accept}, true},
		{"monitor quarantine", policy.Verdict{Action: policy.Quarantine, Ref: "r", Monitor: true}, cfg, reply{action: policy.Accept}, true},
		{"monitor tempfail", policy.Verdict{Action: policy.TempFail, Ref: "r", Monitor: true}, cfg, reply{action: policy.Accept}, true},
		{"monitor tag", policy.Verdict{Action: policy.Tag, Ref: "r", Monitor: true}, cfg, reply{action: policy.Tag}, true},
		{"unknown action", policy.Verdict{Action: policy.Action(42), Ref: "r"}, cfg, reply{action: policy.Accept}, true},
	}
	for _, tt := range tests {
		got := replyFor(tt.v, tt.cfg)
		if got != tt.want {
			t.Errorf("%s: replyFor = %+v, want %+v", tt.name, got, tt.want)
		}
		if got.letThrough() != tt.through {
			t.Errorf("%s: letThrough = %v, want %v", tt.name, got.letThrough(), tt.through)
		}
		if strings.Contains(got.text, "Secret") {
			t.Errorf("%s: reply text %q leaks a rule name or detail", tt.name, got.text)
		}
		d := got.decision()
		switch got.action {
		case policy.Reject, policy.TempFail:
			if s := d.String(); !strings.HasPrefix(s, strconv.Itoa(int(got.code))+" ") || !strings.Contains(s, tt.v.Ref) {
				t.Errorf("%s: decision %q", tt.name, s)
			}
		case policy.Discard:
			if !d.Equal(mailfilter.Discard) {
				t.Errorf("%s: decision %q, want discard", tt.name, d)
			}
		default: // accept, tag and quarantine all answer 250 accept
			if !d.Equal(mailfilter.Accept) {
				t.Errorf("%s: decision %q, want accept", tt.name, d)
			}
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{RejectCode: 250, TooLarge: policy.Tag, SubjectPrefix: "[X]\r\n ", RejectText: " \r\n "}.withDefaults()
	want := Config{MaxSize: DefaultMaxSize, TooLarge: policy.Accept, SubjectPrefix: "[X] ", RejectCode: 550,
		RejectText: DefaultRejectText, TempFailText: DefaultTempFailText, ReadTimeout: DefaultReadTimeout, Quarantine: ModeHold}
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

type errReadSeeker struct{}

func (errReadSeeker) Read([]byte) (int, error)       { return 0, errors.New("disk gone") }
func (errReadSeeker) Seek(int64, int) (int64, error) { return 10, nil }

// Failures inside the decision function become a tempfail with a ref in
// the reply and in the log, never a crash and never an accept.
func TestDecideFailuresTempFail(t *testing.T) {
	tests := []struct {
		name string
		trx  *testtrx.Trx
		want string // in the error log line
	}{
		{"panic", &testtrx.Trx{}, "panic"}, // no headers at all: go-milter's header code panics
		{"read error", (&testtrx.Trx{}).SetHeadersRaw([]byte("Subject: x\r\n\r\n")).SetBody(errReadSeeker{}), "disk gone"},
	}
	for _, tt := range tests {
		log, hook := test.NewNullLogger()
		s := New(engine.New(&engine.Setup{Policy: policy.Default()}), Config{}, log)
		d, err := s.decide(context.Background(), tt.trx)
		if err != nil {
			t.Fatalf("%s: decide returned error %v; it should answer itself", tt.name, err)
		}
		entry := hook.LastEntry()
		if entry == nil || entry.Level != logrus.ErrorLevel {
			t.Fatalf("%s: no error logged: %v", tt.name, hook.AllEntries())
		}
		ref, _ := entry.Data["ref"].(string)
		if ref == "" || !strings.Contains(entry.Data["error"].(string), tt.want) {
			t.Errorf("%s: log fields %v", tt.name, entry.Data)
		}
		if want := "451 4.7.1 Message could not be scanned, try again later (ref " + ref + ")"; d.String() != want {
			t.Errorf("%s: decision %q, want %q", tt.name, d, want)
		}
	}
}

// A body go-milter cut at the cap is too large even if the configured limit
// was raised later: a cut message is never scanned.
func TestReadMessageCutBody(t *testing.T) {
	s := New(engine.New(&engine.Setup{Policy: policy.Default()}), Config{MaxSize: 100}, nil)
	s.bodyCap = 51 // as if Listen ran with MaxSize 50
	trx := (&testtrx.Trx{}).SetHeadersRaw([]byte("Subject: x\r\n\r\n")).SetBodyBytes(bytes.Repeat([]byte("a"), 51))
	_, _, why, err := s.readMessage(trx, s.config())
	if err != nil || why != reasonTooLarge {
		t.Errorf("cut body: reason %q, err %v; want too-large", why, err)
	}
	trx.SetBodyBytes(bytes.Repeat([]byte("a"), 50))
	raw, size, why, err := s.readMessage(trx, s.config())
	if err != nil || why != "" || size != int64(len(raw)) || !bytes.HasSuffix(raw, bytes.Repeat([]byte("a"), 50)) {
		t.Errorf("body under the cap: reason %q, err %v, %d bytes", why, err, len(raw))
	}
}
