package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/internal/milterclient"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/metrics"
	"github.com/kensa-milter/kensa/milter"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/scanners/heuristic"
	"github.com/kensa-milter/kensa/scanners/yarascan"
)

func logger(t *testing.T) *logrus.Logger {
	log, _ := test.NewNullLogger()
	return log
}

// startWeb runs s on a free loopback port until the test ends.
func startWeb(t *testing.T, s *Server) string {
	t.Helper()
	if err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return "http://" + s.Addr().String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

// series reads the text exposition format into "name{labels}" → value.
func series(t *testing.T, body string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample line %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

// TestMetricsAfterMessages runs the real stack — go-milter client → milter →
// engine with libyara and the heuristics → metrics — and reads /metrics
// over HTTP.
func TestMetricsAfterMessages(t *testing.T) {
	log := logger(t)
	ys, cerrs, err := yarascan.New(yarascan.Options{Builtin: true, Timeout: 10 * time.Second})
	if err != nil || len(cerrs) > 0 {
		t.Fatalf("yarascan.New: %v %v", err, cerrs)
	}
	hs, err := heuristic.New(nil, heuristic.Options{})
	if err != nil {
		t.Fatalf("heuristic.New: %v", err)
	}
	setup := &engine.Setup{Policy: policy.Default(), Scanners: []scanners.Scanner{ys, hs},
		ScanTimeout: 20 * time.Second, Generation: 1, RuleCount: ys.RuleCount()}
	eng := engine.New(setup)
	m := metrics.New(metrics.Options{Version: "v0-test", Libyara: yarascan.LibraryVersion()})
	m.Loaded(true, setup, time.Now())

	srv := milter.New(eng, milter.Config{MaxSize: 64 << 10}, log)
	srv.SetObserver(m)

	w := New(Options{Log: log})
	w.Handle("GET /metrics", m.Handler())
	w.AddCheck("rules", func(context.Context) error {
		if s := eng.Setup(); s == nil || s.RuleCount == 0 {
			return errors.New("no rules loaded")
		}
		return nil
	})
	w.AddCheck("milter", func(context.Context) error {
		if srv.Addr() == nil {
			return errors.New("not listening")
		}
		return nil
	})
	base := startWeb(t, w)

	// Not ready until the milter listens.
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "milter: not listening") || !strings.Contains(body, "rules: ok") {
		t.Errorf("/readyz before the milter listens: %d %q", code, body)
	}
	if err := srv.Listen("inet:0@127.0.0.1", 0); err != nil {
		t.Fatalf("milter Listen: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	if code, body := get(t, base+"/readyz"); code != 200 || body != "rules: ok\nmilter: ok\nready\n" {
		t.Errorf("/readyz: %d %q", code, body)
	}
	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}

	eicar := testmail.EICAR()
	mails := []struct {
		name, want string
		raw        []byte
	}{
		{"clean", "accept", testmail.Plain("Lunch", "Shall we have lunch on Friday?\n")},
		{"eicar in body", "reject", testmail.Plain("test", eicar+"\n")},
		{"eicar attached", "reject", testmail.Multipart("invoice", "mixed",
			testmail.Part{Type: "text/plain; charset=utf-8", Body: "See attached.\n"},
			testmail.Part{Type: "application/octet-stream", Filename: "eicar.txt", Body: eicar, Base64: true})},
		{"bidi file name", "accept", testmail.Multipart("report", "mixed", // tagged: accepted with headers
			testmail.Part{Type: "text/plain; charset=utf-8", Body: "The report.\n"},
			testmail.Part{Type: "text/plain; charset=utf-8", Filename: "report\u202a.txt", Body: "numbers\n"})},
		{"too large", "accept", testmail.Plain("big", strings.Repeat("0123456789abcdef\n", 5000))},
	}
	network, addr := milterclient.Addr(srv.Addr())
	for _, mm := range mails {
		r, err := milterclient.Send(network, addr, milterclient.Mail{From: "alice@example.com", Rcpts: []string{"bob@example.org"}, Raw: mm.raw})
		if err != nil {
			t.Fatalf("%s: %v", mm.name, err)
		}
		if got := r.Outcome(); got != mm.want {
			t.Errorf("%s: outcome %s, want %s", mm.name, got, mm.want)
		}
	}

	code, body := get(t, base+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	got := series(t, body)
	scanned := len(mails) - 1 // all but the too-large one
	want := map[string]float64{
		`kensa_messages_total{action="accept",reason="clean"}`:           1,
		`kensa_messages_total{action="reject",reason="malicious"}`:       2,
		`kensa_messages_total{action="tag",reason="score"}`:              1,
		`kensa_messages_total{action="accept",reason="too-large"}`:       1,
		`kensa_findings_total{rule="bidi-filename",scanner="heuristic"}`: 1,
		`kensa_unscanned_messages_total{reason="too-large"}`:             1,
		`kensa_unscanned_messages_total{reason="too-many-headers"}`:      0,
		`kensa_scan_errors_total{kind="timeout"}`:                        0,
		`kensa_scan_errors_total{kind="scanner"}`:                        0,
		`kensa_messages_in_flight`:                                       0,
		`kensa_message_parts_count`:                                      float64(scanned),
		`kensa_message_parts_bucket{le="1"}`:                             2, // clean, eicar in body
		`kensa_message_parts_bucket{le="2"}`:                             4,
		`kensa_scan_duration_seconds_count{stage="total"}`:               float64(scanned),
		`kensa_scan_duration_seconds_count{stage="parse"}`:               float64(scanned),
		`kensa_scan_duration_seconds_count{stage="unpack"}`:              float64(scanned),
		`kensa_scan_duration_seconds_count{stage="scanner_yara"}`:        float64(scanned),
		`kensa_scan_duration_seconds_count{stage="scanner_heuristic"}`:   float64(scanned),
		`kensa_rules_generation`:                                         1,
		`kensa_rules_loaded`:                                             float64(ys.RuleCount()),
		`kensa_config_last_reload_successful`:                            1,
		`kensa_config_reloads_total{result="success"}`:                   0,
		`kensa_config_reloads_total{result="failure"}`:                   0,
		fmt.Sprintf(`kensa_build_info{goversion=%q,libyara=%q,version="v0-test"}`, runtime.Version(), yarascan.LibraryVersion()): 1,
	}
	for k, v := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("no series %s", k)
		} else if g != v {
			t.Errorf("%s = %v, want %v", k, g, v)
		}
	}
	// One finding per EICAR message: the part (body or attachment) it is in.
	if n := got[`kensa_findings_total{rule="Kensa_EICAR_Test_File",scanner="yara"}`]; n != 2 {
		t.Errorf("EICAR findings %v, want 2", n)
	}
	var sizes float64
	for _, mm := range mails[:scanned] {
		sizes += float64(len(mm.raw))
	}
	if b := got["kensa_scanned_bytes_total"]; b != sizes {
		t.Errorf("kensa_scanned_bytes_total = %v, want %v (the scanned messages)", b, sizes)
	}
	if s := got[`kensa_scan_duration_seconds_sum{stage="total"}`]; s <= 0 || s > 20 {
		t.Errorf("total scan time %v s", s)
	}
	if ts := got["kensa_config_last_reload_success_timestamp_seconds"]; time.Since(time.Unix(int64(ts), 0)) > time.Minute {
		t.Errorf("last reload time %v", ts)
	}
	for k := range got {
		if strings.Contains(k, "example") || strings.Contains(k, "eicar.txt") || strings.Contains(k, "report") {
			t.Errorf("sender-chosen text in a label: %s", k)
		}
	}
	if _, ok := got["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

func TestReadyz(t *testing.T) {
	w := New(Options{Log: logger(t), CheckTimeout: 200 * time.Millisecond})
	base := startWeb(t, w)
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "no readiness checks") {
		t.Errorf("/readyz without checks: %d %q", code, body)
	}
	w.AddCheck("rules", func(context.Context) error { return nil })
	if code, body := get(t, base+"/readyz"); code != 200 || body != "rules: ok\nready\n" {
		t.Errorf("/readyz: %d %q", code, body)
	}
	// A check added later (the quarantine store) counts at once.
	w.AddCheck("store", func(context.Context) error { return errors.New("database is locked\nretry") })
	w.AddCheck("hung", func(ctx context.Context) error { select {} })
	w.AddCheck("panics", func(context.Context) error { panic("bug") })
	start := time.Now()
	code, body := get(t, base+"/readyz")
	if code != 503 {
		t.Errorf("/readyz with a failing store: %d", code)
	}
	for _, want := range []string{"rules: ok\n", "store: database is locked retry\n", "hung: check did not answer within 200ms\n", "panics: check panicked: bug\n", "not ready\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("/readyz body %q lacks %q", body, want)
		}
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("/readyz took %s with a hung check", took)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz while not ready: %d", code)
	}
}

func TestHandleAndShutdown(t *testing.T) {
	w := New(Options{Log: logger(t)})
	release := make(chan struct{})
	w.Handle("GET /slow", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		<-release
		fmt.Fprint(rw, "done")
	}))
	base := startWeb(t, w)
	w.Handle("GET /console/", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { fmt.Fprint(rw, "console") }))
	if code, body := get(t, base+"/console/x"); code != 200 || body != "console" {
		t.Errorf("route added after Listen: %d %q", code, body)
	}
	if code, _ := get(t, base+"/nope"); code != 404 {
		t.Errorf("unknown path: %d", code)
	}
	if resp, err := http.Post(base+"/healthz", "text/plain", nil); err != nil || resp.StatusCode != 405 {
		t.Errorf("POST /healthz: %v %v", resp, err)
	}

	// A request in flight finishes during a graceful shutdown.
	res := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			res <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		res <- string(b)
	}()
	time.Sleep(100 * time.Millisecond)
	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		stopped <- w.Shutdown(ctx)
	}()
	time.Sleep(100 * time.Millisecond)
	close(release)
	if body := <-res; body != "done" {
		t.Errorf("request in flight got %q", body)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still serving after Shutdown")
	}
}

func TestValidateListen(t *testing.T) {
	for _, tt := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8899", true}, {"[::1]:8899", true}, {":8899", true}, {"localhost:0", true},
		{"127.0.0.1", false}, {"127.0.0.1:http", false}, {"127.0.0.1:70000", false}, {"127.0.0.1:+80", false},
		{"a b:80", false}, {"", false},
	} {
		if err := ValidateListen(tt.addr); (err == nil) != tt.ok {
			t.Errorf("ValidateListen(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
		}
	}
}
