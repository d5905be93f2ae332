package engine

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
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
	if r.Verdict.Action != policy.TempFail || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "broken") ||
		r.Errors[0].Kind != policy.ErrScanner || r.Errors[0].Source != "broken" {
		t.Fatalf("verdict %+v errors %v", r.Verdict, r.Errors)
	}
}

func TestScannerPanicIsAnErrorNotACrash(t *testing.T) {
	e := New(setup(scannerFunc{"panicky", func(context.Context, *message.Message) ([]scanners.Finding, error) {
		var m map[string]int
		//lint:ignore SA5000 a real runtime panic is the point of the test
		m["x"]++
		return nil, nil
	}}))
	r := e.Scan(context.Background(), []byte(plain), message.Envelope{})
	if r.Verdict.Action != policy.TempFail || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "panic") {
		t.Fatalf("verdict %+v errors %v", r.Verdict, r.Errors)
	}
	// The stack is kept for the log, beside the one-line message.
	e0 := r.Errors[0]
	if e0.Kind != policy.ErrPanic || strings.Contains(e0.Message, "\n") || !strings.Contains(e0.Stack, "goroutine") {
		t.Errorf("panic error %+v, want kind panic, one line, and the stack apart", e0)
	}
	if b, _ := json.Marshal(r.Summary()); strings.Contains(string(b), "goroutine") {
		t.Errorf("the stack reached the JSON report: %s", b)
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

// TestErrorKinds checks the kind of each error the pipeline reports: logs,
// metrics and the policy branch on it, never on the text.
func TestErrorKinds(t *testing.T) {
	slow := scannerFunc{"slow", func(ctx context.Context, _ *message.Message) ([]scanners.Finding, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	tests := []struct {
		name    string
		sc      scanners.Scanner
		timeout time.Duration
		cancel  bool // the MTA hangs up during the scan
		raw     []byte
		want    []policy.ErrorKind
		reason  string
	}{
		{"scanner error", scannerFunc{"broken", func(context.Context, *message.Message) ([]scanners.Finding, error) {
			return nil, errors.New("clamd: connection refused")
		}}, 0, false, []byte(plain), []policy.ErrorKind{policy.ErrScanner}, policy.ReasonScanError},
		{"scanner panic", scannerFunc{"panicky", func(context.Context, *message.Message) ([]scanners.Finding, error) {
			panic("boom\nsecond line")
		}}, 0, false, []byte(plain), []policy.ErrorKind{policy.ErrPanic}, policy.ReasonScanError},
		{"timeout", slow, 50 * time.Millisecond, false, []byte(plain), []policy.ErrorKind{policy.ErrTimeout, policy.ErrTimeout}, policy.ReasonTimeout},
		{"canceled", slow, 0, true, []byte(plain), []policy.ErrorKind{policy.ErrCanceled, policy.ErrCanceled}, policy.ReasonScanError},
		{"unparseable", slow, 0, false, nil, []policy.ErrorKind{policy.ErrParse}, policy.ReasonScanError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := setup(tt.sc)
			s.ScanTimeout = tt.timeout
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				time.AfterFunc(50*time.Millisecond, cancel)
			}
			rep := New(s).Scan(ctx, tt.raw, message.Envelope{})
			var got []policy.ErrorKind
			for _, e := range rep.Errors {
				got = append(got, e.Kind)
				if strings.Contains(e.Message, "\n") {
					t.Errorf("error message on more than one line: %q", e.Message)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("kinds %q of errors %+v, want %q", got, rep.Errors, tt.want)
			}
			if !contains(rep.Verdict.Reasons, tt.reason) {
				t.Errorf("reasons %q, want %q among them", rep.Verdict.Reasons, tt.reason)
			}
		})
	}
}
