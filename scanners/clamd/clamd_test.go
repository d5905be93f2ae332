package clamd

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/unpack"
)

// These tests run a real clamd (Debian clamav-daemon) in the foreground with
// a configuration and a two-signature database written here: no signature
// download, no system clamd.

const (
	marker     = "KENSA-CLAMD-TEST-MARKER harmless"
	markerSig  = "Kensa.Test.Marker"
	eicarSig   = "Kensa.Test.EICAR"
	streamMax  = 1 << 20 // clamd's StreamMaxLength in these tests
	unofficial = ".UNOFFICIAL"
)

type daemon struct {
	unix, tcp string // addresses in our syntax
	log       string
	err       error
}

var (
	shared     daemon
	sharedOnce sync.Once
	sharedDir  string
	sharedCmd  *exec.Cmd
	sharedDone chan error // the result of sharedCmd.Wait
)

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedCmd != nil && sharedCmd.Process != nil {
		_ = sharedCmd.Process.Kill()
		<-sharedDone
	}
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// clamd returns the shared daemon, starting it on first use; a test that
// needs it fails (never skips) when it cannot start.
func clamd(t *testing.T) daemon {
	t.Helper()
	sharedOnce.Do(func() { shared = startClamd() })
	if shared.err != nil {
		t.Fatalf("clamd did not start: %v", shared.err)
	}
	return shared
}

func startClamd() daemon {
	bin, err := exec.LookPath("clamd")
	if err != nil {
		bin = "/usr/sbin/clamd"
		if _, err := os.Stat(bin); err != nil {
			return daemon{err: fmt.Errorf("no clamd binary (install Debian clamav-daemon: scripts/deps.sh test): %w", err)}
		}
	}
	dir, err := os.MkdirTemp("", "kensa-clamd-")
	if err != nil {
		return daemon{err: err}
	}
	sharedDir = dir
	_ = os.Chmod(dir, 0o755)
	db := filepath.Join(dir, "db")
	tmp := filepath.Join(dir, "tmp")
	for _, d := range []string{db, tmp} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return daemon{err: err}
		}
	}
	// A body signature for the marker, and a hash signature for the EICAR
	// test file (ClamAV ships its own in main.cvd, which we do not download).
	sum := md5.Sum([]byte(testmail.EICAR()))
	files := map[string]string{
		filepath.Join(db, "kensa.ndb"): fmt.Sprintf("%s:0:*:%s\n", markerSig, hex.EncodeToString([]byte("KENSA-CLAMD-TEST-MARKER"))),
		filepath.Join(db, "kensa.hdb"): fmt.Sprintf("%s:%d:%s\n", hex.EncodeToString(sum[:]), len(testmail.EICAR()), eicarSig),
	}
	port, err := freePort()
	if err != nil {
		return daemon{err: err}
	}
	sock := filepath.Join(dir, "clamd.sock")
	logFile := filepath.Join(dir, "clamd.log")
	files[filepath.Join(dir, "clamd.conf")] = strings.Join([]string{
		"Foreground yes",
		"LocalSocket " + sock,
		"TCPSocket " + fmt.Sprint(port),
		"TCPAddr 127.0.0.1",
		"DatabaseDirectory " + db,
		"TemporaryDirectory " + tmp,
		"LogFile " + logFile,
		"LogVerbose yes",
		fmt.Sprintf("StreamMaxLength %d", streamMax),
		"MaxThreads 8",
		"SelfCheck 0",
		"Bytecode no",
		"",
	}, "\n")
	for name, content := range files {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			return daemon{err: err}
		}
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "-c", filepath.Join(dir, "clamd.conf"))
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return daemon{err: fmt.Errorf("starting %s: %w", bin, err)}
	}
	sharedCmd = cmd
	exited := make(chan error, 1)
	sharedDone = make(chan error, 1)
	go func() { err := cmd.Wait(); exited <- err; sharedDone <- err }()
	d := daemon{unix: "unix:" + sock, tcp: fmt.Sprintf("tcp:127.0.0.1:%d", port), log: logFile}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			sharedCmd = nil
			return daemon{err: fmt.Errorf("clamd exited (%v):\n%s", err, tail(out.String(), logFile))}
		case <-time.After(100 * time.Millisecond):
		}
		if ping("unix", sock) == nil && ping("tcp", fmt.Sprintf("127.0.0.1:%d", port)) == nil {
			return d
		}
	}
	return daemon{err: fmt.Errorf("clamd did not answer PING within 30s:\n%s", tail(out.String(), logFile))}
}

func tail(out, logFile string) string {
	b, _ := os.ReadFile(logFile)
	s := out + string(b)
	if len(s) > 3000 {
		s = s[len(s)-3000:]
	}
	return s
}

func ping(network, addr string) error {
	c, err := net.DialTimeout(network, addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("zPING\x00")); err != nil {
		return err
	}
	r, err := readReply(c)
	if err != nil {
		return err
	}
	if r != "PONG" {
		return fmt.Errorf("PING answered %q", r)
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func newScanner(t *testing.T, opts Options) *Scanner {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// parsed runs the real parser and unpacker, as the engine does.
func parsed(t *testing.T, raw []byte) *message.Message {
	t.Helper()
	m, err := message.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	unpack.Expand(context.Background(), m, unpack.Options{})
	return m
}

func zipOf(name string, data []byte) []byte {
	return formats.ArchiveZip(true, formats.ZipEntry{Name: name, Data: data})
}

func attachment(filename, content string) []byte {
	return testmail.Multipart("files", "mixed",
		testmail.Part{Type: "text/plain; charset=utf-8", Body: "Files attached.\n"},
		testmail.Part{Type: "application/octet-stream", Filename: filename, Body: content, Base64: true})
}

func TestFound(t *testing.T) {
	d := clamd(t)
	cases := []struct {
		name, want, part string
		m                *message.Message
	}{
		{"marker in zip member", markerSig + unofficial, "2/files.zip/notes/marker.txt",
			parsed(t, attachment("files.zip", string(zipOf("notes/marker.txt", []byte("note\n"+marker+"\n")))))},
		{"eicar attachment", eicarSig + unofficial, "2", parsed(t, attachment("eicar.com", testmail.EICAR()))},
		{"eicar in forwarded mail", eicarSig + unofficial, "2/2", parsed(t, testmail.Forward("Fwd: files", attachment("eicar.com", testmail.EICAR())))},
		// No parts (a message our parser could not split): clamd still sees the raw message.
		{"raw message only", markerSig + unofficial, "", &message.Message{Raw: testmail.Plain("x", marker+"\n")}},
	}
	for _, addr := range []string{d.unix, d.tcp} {
		s := newScanner(t, Options{Address: addr})
		for _, tc := range cases {
			t.Run(addr[:3]+" "+tc.name, func(t *testing.T) {
				fs, err := s.Scan(context.Background(), tc.m)
				if err != nil {
					t.Fatal(err)
				}
				// Exactly one: the whole-message copy of a part's finding is dropped.
				if len(fs) != 1 {
					t.Fatalf("findings %+v, want one %s on %q", fs, tc.want, tc.part)
				}
				f := fs[0]
				want := scanners.Finding{Scanner: "clamd", ID: tc.want, Part: tc.part, Severity: scanners.Malicious, Score: 100, Detail: "ClamAV: " + tc.want}
				if f != want {
					t.Errorf("finding %+v, want %+v", f, want)
				}
				if v := policy.Default().Decide(fs, nil); v.Action != policy.Reject {
					t.Errorf("default policy: %s, want reject", v.Action)
				}
			})
		}
	}
}

func TestClean(t *testing.T) {
	d := clamd(t)
	m := parsed(t, testmail.Multipart("report", "mixed",
		testmail.Part{Type: "text/html; charset=utf-8", Body: "<p>Quarterly report attached.</p>"},
		testmail.Part{Type: "application/zip", Filename: "report.zip", Body: string(zipOf("report.txt", []byte("all fine\n"))), Base64: true}))
	for _, addr := range []string{d.unix, d.tcp} {
		fs, err := newScanner(t, Options{Address: addr}).Scan(context.Background(), m)
		if err != nil || len(fs) != 0 {
			t.Errorf("%s: findings %+v, error %v; want none", addr, fs, err)
		}
	}
}

func TestSizeLimits(t *testing.T) {
	d := clamd(t)
	big := strings.Repeat("harmless filler line\n", 3*streamMax/20) // ~3 MiB, over clamd's StreamMaxLength
	m := parsed(t, attachment("big.txt", big))
	t.Run("over max_size: not sent, info", func(t *testing.T) {
		s := newScanner(t, Options{Address: d.unix, MaxSize: 64 << 10})
		fs, err := s.Scan(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]scanners.Finding{}
		for _, f := range fs {
			got[f.ID+"@"+f.Part] = f
		}
		for _, k := range []string{IDTooLarge + "@2", IDTooLarge + "@"} { // the part and the raw message
			f, ok := got[k]
			if !ok || f.Severity != scanners.Info || f.Unscannable || f.Score != 0 {
				t.Errorf("want info finding %s, have %+v", k, fs)
			}
		}
		if len(fs) != 2 {
			t.Errorf("findings %+v, want the two too-large notes", fs)
		}
	})
	t.Run("over max_size: unscannable when configured", func(t *testing.T) {
		s := newScanner(t, Options{Address: d.unix, MaxSize: 64 << 10, TooLargeUnscannable: true})
		fs, err := s.Scan(context.Background(), m)
		if err != nil || len(fs) != 2 {
			t.Fatalf("findings %+v, error %v", fs, err)
		}
		for _, f := range fs {
			if f.ID != IDTooLarge || !f.Unscannable || f.Severity != scanners.Suspicious {
				t.Errorf("finding %+v, want unscannable too-large", f)
			}
		}
		if v := policy.Default().Decide(fs, nil); v.Action != policy.Quarantine {
			t.Errorf("default policy: %s, want quarantine (unscannable)", v.Action)
		}
	})
	// clamd's own StreamMaxLength below our max_size: clamd refuses the
	// stream, and that is a named outcome, not a clean part.
	for _, addr := range []string{d.unix, d.tcp} {
		t.Run("over clamd StreamMaxLength "+addr[:3], func(t *testing.T) {
			s := newScanner(t, Options{Address: addr, MaxSize: 16 << 20})
			for i := 0; i < 5; i++ { // the refusal races the upload: repeat
				fs, err := s.Scan(context.Background(), m)
				if err != nil {
					t.Fatalf("run %d: %v", i, err)
				}
				var parts []string
				for _, f := range fs {
					if f.ID != IDStreamLimit || f.Severity != scanners.Info || !strings.Contains(f.Detail, "StreamMaxLength") {
						t.Errorf("run %d: finding %+v", i, f)
					}
					parts = append(parts, f.Part)
				}
				if strings.Join(parts, ",") != "2," {
					t.Fatalf("run %d: stream-limit on parts %q, want the attachment and the raw message", i, parts)
				}
			}
		})
	}
}

func TestClamdDownIsAnError(t *testing.T) {
	port, err := freePort() // nothing listens there now
	if err != nil {
		t.Fatal(err)
	}
	m := parsed(t, testmail.Plain("hello", "hello\n"))
	for _, addr := range []string{"unix:" + filepath.Join(t.TempDir(), "none.sock"), fmt.Sprintf("tcp:127.0.0.1:%d", port)} {
		fs, err := newScanner(t, Options{Address: addr, Timeout: 2 * time.Second}).Scan(context.Background(), m)
		if err == nil || len(fs) != 0 {
			t.Fatalf("%s: findings %+v, error %v; want an error", addr, fs, err)
		}
		if !strings.Contains(err.Error(), "connect") || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: error %v, want a connect error", addr, err)
		}
		v := policy.Default().Decide(fs, []policy.ScanError{policy.NewScanError(policy.ErrScanner, "clamd", err)})
		if v.Action != policy.TempFail || strings.Join(v.Reasons, ",") != policy.ReasonScanError {
			t.Errorf("%s: verdict %s %v, want tempfail scan-error", addr, v.Action, v.Reasons)
		}
	}
}

// serveTCP listens on a free local port and runs handle on each
// connection, closing it after; the test's cleanup stops the listener and
// waits for every handler. It returns the listener's address.
func serveTCP(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns sync.WaitGroup
	t.Cleanup(func() { l.Close(); conns.Wait() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer conns.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	return "tcp:" + l.Addr().String()
}

// A server that accepts and reads but never answers.
func silentServer(t *testing.T) string {
	return serveTCP(t, func(c net.Conn) { io.Copy(io.Discard, c) }) // until the client gives up
}

func TestTimeout(t *testing.T) {
	addr := silentServer(t)
	m := parsed(t, attachment("a.txt", "hello\n"))
	s := newScanner(t, Options{Address: addr, Timeout: 300 * time.Millisecond})
	start := time.Now()
	fs, err := s.Scan(context.Background(), m)
	took := time.Since(start)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || len(fs) != 0 {
		t.Fatalf("findings %+v, error %v; want a timeout", fs, err)
	}
	if took > 2*time.Second {
		t.Errorf("took %s with a 300ms timeout: the first timeout should stop the rest", took)
	}
	if v := policy.Default().Decide(fs, []policy.ScanError{policy.NewScanError(policy.ErrScanner, "clamd", err)}); v.Action != policy.TempFail || strings.Join(v.Reasons, ",") != policy.ReasonTimeout {
		t.Errorf("verdict %s %v, want tempfail timeout", v.Action, v.Reasons)
	}
	// The scan's own deadline (the engine's budget) is honoured too.
	s = newScanner(t, Options{Address: addr, Timeout: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := s.Scan(ctx, m); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("error %v after %s; want the context's deadline", err, time.Since(start))
	}
}

// countingProxy forwards to clamd and records how many connections are open
// at once; each connection is held a little so that concurrency shows.
// It is a test stand-in in front of the real daemon, not instead of it.
type countingProxy struct {
	addr          string
	open, maxOpen atomic.Int32
	total         atomic.Int32
}

func newCountingProxy(t *testing.T, target string) *countingProxy {
	t.Helper()
	network, address, err := ParseAddress(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &countingProxy{}
	p.addr = serveTCP(t, func(c net.Conn) {
		n := p.open.Add(1)
		p.total.Add(1)
		// Counted open until the reply is passed on: the client
		// holds its slot at least that long.
		closed := false
		defer func() {
			if !closed {
				p.open.Add(-1)
			}
		}()
		for {
			m := p.maxOpen.Load()
			if n <= m || p.maxOpen.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
		up, err := net.Dial(network, address)
		if err != nil {
			return
		}
		defer up.Close()
		go io.Copy(up, c)
		reply, err := readReply(up)
		p.open.Add(-1)
		closed = true
		if err == nil {
			c.Write([]byte(reply + "\x00"))
		}
	})
	return p
}

func TestConcurrencyBound(t *testing.T) {
	d := clamd(t)
	p := newCountingProxy(t, d.tcp)
	var parts []testmail.Part
	for i := 0; i < 6; i++ {
		parts = append(parts, testmail.Part{Type: "text/plain", Filename: fmt.Sprintf("f%d.txt", i), Body: fmt.Sprintf("file %d\n", i)})
	}
	parts = append(parts, testmail.Part{Type: "text/plain", Filename: "again.txt", Body: "file 0\n"}) // same bytes as f0.txt
	m := parsed(t, testmail.Multipart("many", "mixed", parts...))
	s := newScanner(t, Options{Address: p.addr, Concurrency: 2})
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for i := 0; i < 3; i++ { // three messages at once share the bound
		wg.Add(1)
		go func() {
			defer wg.Done()
			if fs, err := s.Scan(context.Background(), m); err != nil || len(fs) != 0 {
				errs <- fmt.Errorf("findings %+v, error %v", fs, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := p.maxOpen.Load(); got != 2 {
		t.Errorf("at most %d connections were open at once, want exactly the bound 2", got)
	}
	// Six distinct parts plus the raw message, per message: the repeated
	// part is sent once.
	if got := p.total.Load(); got != 3*7 {
		t.Errorf("%d connections, want %d", got, 3*7)
	}
}

func TestParseReply(t *testing.T) {
	tests := []struct {
		in      string
		want    verdict
		wantErr bool
	}{
		{"stream: OK", verdict{}, false},
		{"stream: OK\x00", verdict{}, false},
		{"stream: Win.Test.EICAR_HDB-1 FOUND", verdict{found: "Win.Test.EICAR_HDB-1"}, false},
		{"stream: Kensa.Test.Marker.UNOFFICIAL FOUND\n", verdict{found: "Kensa.Test.Marker.UNOFFICIAL"}, false},
		{"stream: bad\x1bname\r\nX: y FOUND", verdict{found: "bad_name__X:_y"}, false},
		{"INSTREAM size limit exceeded. ERROR", verdict{sizeLimit: true}, false},
		{"stream:  FOUND", verdict{}, true},
		{"stream: Can't allocate memory ERROR", verdict{}, true},
		{"UNKNOWN COMMAND", verdict{}, true},
		{"", verdict{}, true},
	}
	for _, tt := range tests {
		got, err := parseReply(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parseReply(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	long := "stream: " + strings.Repeat("A", 500) + " FOUND"
	if got, _ := parseReply(long); len([]rune(got.found)) != maxName+1 {
		t.Errorf("long name kept %d runes", len([]rune(got.found)))
	}
}

func TestWriteStreamFraming(t *testing.T) {
	data := bytes.Repeat([]byte("x"), chunkSize+10)
	var b bytes.Buffer
	if err := writeStream(&b, data); err != nil {
		t.Fatal(err)
	}
	want := "zINSTREAM\x00" + "\x00\x01\x00\x00" + string(data[:chunkSize]) + "\x00\x00\x00\x0a" + string(data[chunkSize:]) + "\x00\x00\x00\x00"
	if b.String() != want {
		t.Errorf("framing differs (%d bytes, want %d)", b.Len(), len(want))
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct{ in, network, addr string }{
		{"unix:/run/clamav/clamd.ctl", "unix", "/run/clamav/clamd.ctl"},
		{"tcp:127.0.0.1:3310", "tcp", "127.0.0.1:3310"},
		{"tcp:[::1]:3310", "tcp", "[::1]:3310"},
		{"tcp:clamav.internal:3310", "tcp", "clamav.internal:3310"},
		{"unix:run/clamd.ctl", "", ""},
		{"tcp:127.0.0.1", "", ""},
		{"tcp::3310", "", ""},
		{"tcp:host:99999", "", ""},
		{"/run/clamav/clamd.ctl", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		n, a, err := ParseAddress(tt.in)
		if n != tt.network || a != tt.addr || (err != nil) != (tt.network == "") {
			t.Errorf("ParseAddress(%q) = %q %q %v", tt.in, n, a, err)
		}
	}
	if _, err := New(Options{Address: "clamd"}); err == nil {
		t.Error("New accepted a bad address")
	}
}
