package engine

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

// These tests cover the pipeline's own logic (errors, panics, deadlines,
// allow lists) with small scanners written here; scanning with real YARA is
// tested end to end in cmd/kensa and milter.

type scannerFunc struct {
	name string
	fn   func(ctx context.Context, m *message.Message) ([]scanners.Finding, error)
}

func (s scannerFunc) Name() string { return s.name }
func (s scannerFunc) Scan(ctx context.Context, m *message.Message) ([]scanners.Finding, error) {
	return s.fn(ctx, m)
}

const plain = "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\nMessage-ID: <1@example.com>\r\n\r\nhello\r\n"

func setup(sc ...scanners.Scanner) *Setup {
	return &Setup{Policy: policy.Default(), Scanners: sc, ScanTimeout: 5 * time.Second}
}

func TestScannerErrorTempfails(t *testing.T) {
	e := New(setup(scannerFunc{"broken", func(context.Context, *message.Message) ([]scanners.Finding, error) {
		return nil, errors.New("disk on fire")
	}}))
	r := e.Scan(context.Background(), []byte(plain), message.Envelope{})
	if r.Verdict.Action != policy.TempFail || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "broken") {
		t.Fatalf("verdict %+v errors %v", r.Verdict, r.Errors)
	}
}

func TestScannerPanicIsAnErrorNotACrash(t *testing.T) {
	e := New(setup(scannerFunc{"panicky", func(context.Context, *message.Message) ([]scanners.Finding, error) {
		var m map[string]int
		m["x"]++
		return nil, nil
	}}))
	r := e.Scan(context.Background(), []byte(plain), message.Envelope{})
	if r.Verdict.Action != policy.TempFail || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "panic") {
		t.Fatalf("verdict %+v errors %v", r.Verdict, r.Errors)
	}
}

func TestScanTimeoutIsATimeout(t *testing.T) {
	s := setup(scannerFunc{"slow", func(ctx context.Context, _ *message.Message) ([]scanners.Finding, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}})
	s.ScanTimeout = 50 * time.Millisecond
	r := New(s).Scan(context.Background(), []byte(plain), message.Envelope{})
	if r.Verdict.Action != policy.TempFail || !contains(r.Verdict.Reasons, policy.ReasonTimeout) {
		t.Fatalf("verdict %+v", r.Verdict)
	}
}

func TestFindingsReachTheVerdictAndPartsTheReport(t *testing.T) {
	e := New(setup(scannerFunc{"t", func(_ context.Context, m *message.Message) ([]scanners.Finding, error) {
		if m.Envelope.Sender != "a@example.com" {
			return nil, errors.New("envelope not passed on")
		}
		return []scanners.Finding{{Scanner: "t", ID: "x", Part: "1", Severity: scanners.Suspicious, Score: 25}}, nil
	}}))
	r := e.Scan(context.Background(), []byte(plain), message.Envelope{Sender: "a@example.com"})
	if r.Verdict.Action != policy.Tag || r.Verdict.Score != 25 || r.Verdict.Ref == "" {
		t.Fatalf("verdict %+v errors %v", r.Verdict, r.Errors)
	}
	if len(r.Parts) == 0 || r.MessageID == "" || r.Size != len(plain) {
		t.Errorf("report %+v", r)
	}
	s := r.Summary()
	if s.Action != policy.Tag || s.Decided != policy.Tag || len(s.Findings) != 1 {
		t.Errorf("summary %+v", s)
	}
}

func TestAllowListSkipsScanners(t *testing.T) {
	s := setup(scannerFunc{"never", func(context.Context, *message.Message) ([]scanners.Finding, error) {
		return nil, errors.New("must not run")
	}})
	s.Policy.Allow.Senders = []string{"example.com"}
	r := New(s).Scan(context.Background(), []byte(plain), message.Envelope{Sender: "a@example.com"})
	if r.Verdict.Action != policy.Accept || r.Verdict.Skipped != "allow-sender" || len(r.Errors) != 0 {
		t.Fatalf("verdict %+v errors %v", r.Verdict, r.Errors)
	}
}

func TestSwapKeepsRunningScansOnTheirSetup(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	old := setup(scannerFunc{"old", func(context.Context, *message.Message) ([]scanners.Finding, error) {
		close(started)
		<-release
		return []scanners.Finding{{Scanner: "old", ID: "o", Severity: scanners.Malicious}}, nil
	}})
	e := New(old)
	done := make(chan Report)
	go func() { done <- e.Scan(context.Background(), []byte(plain), message.Envelope{}) }()
	<-started
	e.Swap(setup())
	close(release)
	if r := <-done; r.Verdict.Action != policy.Reject {
		t.Errorf("in-flight scan lost its setup: %+v", r.Verdict)
	}
	if r := e.Scan(context.Background(), []byte(plain), message.Envelope{}); r.Verdict.Action != policy.Accept {
		t.Errorf("new setup not used: %+v", r.Verdict)
	}
}

func TestUnscanned(t *testing.T) {
	r := Unscanned(policy.ReasonTooLarge, policy.Accept, 99)
	if r.Unscanned != "too-large" || r.Verdict.Ref == "" || r.Summary().Size != 99 {
		t.Fatalf("%+v", r)
	}
}

func TestRefsAreShortAndDistinct(t *testing.T) {
	a, b := NewRef(), NewRef()
	if a == b || len(a) != 16 || strings.ToLower(a) != a {
		t.Errorf("refs %q %q", a, b)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The report carries the parsed message for callers (kensa scan lists its
// URLs), but never serialises it.
func TestReportKeepsParsedMessageOutOfJSON(t *testing.T) {
	r := New(setup()).Scan(context.Background(), []byte(plain), message.Envelope{})
	if r.Message == nil || len(r.Message.Parts) != 1 || r.Message.Subject != "hi" {
		t.Fatalf("message %+v", r.Message)
	}
	b, err := json.Marshal(r)
	if err != nil || strings.Contains(string(b), "hello") {
		t.Errorf("report JSON carries the message: %s (%v)", b, err)
	}
}
