package hostile

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomilter "github.com/d--j/go-milter"
	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"
	"go.uber.org/goleak"

	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/milter"
)

// chaosSessions run at once against one real milter server.
const chaosSessions = 500

// 500 MTA connections at once: a fifth deliver real mail and must get the
// right answer; the others drop the connection at some stage, send garbage
// or stall past the read timeout. Kensa must keep answering, close the
// stalled ones, and come back to the goroutines and files it had before.
func TestConnectionChaos(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)             // the milter spills messages over 1 MiB here
	const readTimeout = 3 * time.Second // above the 1 s progress interval during long scans
	srv := startMilterNoCleanup(t, milter.Config{ReadTimeout: readTimeout})

	// Warm up (YARA scanner pool, first connections), then take the baseline.
	if out, err := deliver(srv.Addr(), testmail.Plain("warm-up", "hello\n")); err != nil || out.act.Type != gomilter.ActionAccept {
		t.Fatalf("warm-up: %v %v", out.act, err)
	}
	baseline := settledGoroutines(0, 2*time.Second)

	kinds := []string{"good", "good-eicar", "good", "drop-after-connect", "drop-mid-header", "drop-mid-body",
		"drop-mid-large-body", "garbage-first", "garbage-after-negotiation", "garbage-mid-message", "stall-mid-header", "stall-mid-body"}
	var wg sync.WaitGroup
	var failures atomic.Int32
	var slowMu sync.Mutex
	slowest := map[string]time.Duration{}
	errs := make(chan string, chaosSessions)
	start := time.Now()
	for i := range chaosSessions {
		kind := kinds[i%len(kinds)]
		if i%100 == 50 {
			kind = "good-large" // few: each costs a real scan of 1.5 MB
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			defer func() {
				slowMu.Lock()
				slowest[kind] = max(slowest[kind], time.Since(t0).Round(time.Millisecond))
				slowMu.Unlock()
			}()
			if err := chaosSession(srv.Addr(), kind, i, readTimeout); err != nil {
				if failures.Add(1) <= 10 {
					errs <- fmt.Sprintf("session %d (%s): %v", i, kind, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	t.Logf("%d sessions in %v; slowest of each kind: %v", chaosSessions, time.Since(start).Round(time.Millisecond), slowest)

	// Still answering, with the right verdicts.
	if out, err := deliver(srv.Addr(), testmail.Plain("after", "still here\n")); err != nil || out.act.Type != gomilter.ActionAccept {
		t.Fatalf("after chaos: %v %v", out.act, err)
	}
	if n := settledGoroutines(baseline, 10*time.Second); n > baseline {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after chaos, %d before:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
	}
	if left := bodyFiles(t, tmp); len(left) > 0 {
		t.Errorf("spilled bodies left behind: %v", left)
	}
	shutdown(t, srv)
	goleak.VerifyNone(t, ignore)
}

// settledGoroutines waits until the goroutine count is at most want (0: until
// it stops changing) and returns it.
func settledGoroutines(want int, within time.Duration) int {
	deadline := time.Now().Add(within)
	last := -1
	for {
		runtime.GC()
		n := runtime.NumGoroutine()
		if (want > 0 && n <= want) || (want == 0 && n == last) || time.Now().After(deadline) {
			return n
		}
		last = n
		time.Sleep(100 * time.Millisecond)
	}
}

func bodyFiles(t *testing.T, dir string) []string {
	var out []string
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func chaosSession(addr net.Addr, kind string, i int, readTimeout time.Duration) error {
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	switch kind {
	case "good", "good-eicar", "good-large":
		raw, want := testmail.Plain(fmt.Sprintf("chaos %d", i), "just a note\n"), gomilter.ActionAccept
		if kind == "good-eicar" {
			raw, want = attach("e.com", eicar()), gomilter.ActionRejectWithCode
		}
		if kind == "good-large" {
			raw = textWithCharset("utf-8", "8bit", strings.Repeat("a line of a long report\r\n", 60000)) // 1.5 MB: spills to disk
		}
		out, err := deliver(addr, raw)
		if err != nil {
			return err
		}
		if out.act.Type != want {
			return fmt.Errorf("action %v, want %v", out.act, want)
		}
		return nil
	}

	c, err := net.DialTimeout(addr.Network(), addr.String(), 10*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	if !strings.HasPrefix(kind, "stall") {
		go io.Copy(io.Discard, c) //nolint:errcheck // replies are not the point; ends when c closes
	}
	w := func(code byte, data string) error {
		p := make([]byte, 5, 5+len(data))
		binary.BigEndian.PutUint32(p, uint32(len(data)+1))
		p[4] = code
		_, err := c.Write(append(p, data...))
		return err
	}
	garbage := func(n int) []byte {
		b := make([]byte, n)
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		return b
	}
	if kind == "garbage-first" {
		_, _ = c.Write(garbage(64 + rng.IntN(4096)))
		return nil
	}
	neg := make([]byte, 12)
	binary.BigEndian.PutUint32(neg[0:], 6)
	binary.BigEndian.PutUint32(neg[4:], 0x1ff)
	binary.BigEndian.PutUint32(neg[8:], 0x1fffff)
	if err := w('O', string(neg)); err != nil {
		return err
	}
	if kind == "garbage-after-negotiation" {
		_, _ = c.Write(garbage(64 + rng.IntN(4096)))
		return nil
	}
	if kind == "drop-after-connect" {
		return w('C', "client\x004\x00\x19192.0.2.1\x00")
	}
	for _, p := range []struct {
		code byte
		data string
	}{{'C', "client\x004\x00\x19192.0.2.1\x00"}, {'H', "client\x00"}, {'M', "<m@example.net>\x00"}, {'R', "<b@example.org>\x00"}, {'T', ""},
		{'L', "From\x00 m@example.net\x00"}, {'L', "Subject\x00 chaos\x00"}} {
		if err := w(p.code, p.data); err != nil {
			return err
		}
	}
	switch kind {
	case "drop-mid-header":
		return w('L', "X-Half\x00") // and close
	case "stall-mid-header":
		_, _ = c.Write([]byte{0, 0, 0, 40, 'L', 'X'}) // half a packet, then silence
		return closedBy(c, readTimeout)
	case "garbage-mid-message":
		_ = w('N', "")
		_, _ = c.Write(garbage(64 + rng.IntN(4096)))
		return nil
	}
	if err := w('N', ""); err != nil {
		return err
	}
	chunk := strings.Repeat("body line of a message in transit\r\n", 1800) // 63 KB
	n := 3
	if kind == "drop-mid-large-body" {
		n = 20 // past the 1 MiB the milter keeps in memory
	}
	for range n {
		if err := w('B', chunk); err != nil {
			return err
		}
	}
	if kind == "stall-mid-body" {
		return closedBy(c, readTimeout)
	}
	return nil // drop-mid-body, drop-mid-large-body: close now
}

// closedBy waits for the server to close a stalled connection: not before
// the read timeout, and not much after.
func closedBy(c net.Conn, readTimeout time.Duration) error {
	start := time.Now()
	_ = c.SetReadDeadline(start.Add(readTimeout + 10*time.Second))
	_, err := io.Copy(io.Discard, c) // nil at EOF: the server closed
	took := time.Since(start)
	if err != nil {
		return fmt.Errorf("stalled connection still open after %v: %w", took, err)
	}
	if took < readTimeout/4 { // not at once: the timeout, not the stall, closed it
		return fmt.Errorf("closed after %v, before the read timeout", took)
	}
	return nil
}

func startMilterNoCleanup(t *testing.T, cfg milter.Config) *milter.Server {
	t.Helper()
	log, _ := test.NewNullLogger()
	if os.Getenv("CHAOS_LOG") != "" {
		log = logrus.New()
		log.SetLevel(logrus.WarnLevel)
	}
	return listenMilter(t, realSetup(t), cfg, log)
}
