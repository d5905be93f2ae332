package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/milterclient"
	"github.com/kensa-milter/kensa/internal/testmail"
)

// buildKensa builds this command, with the race detector, once per test
// binary: the reload tests run it as a child process so that SIGHUP is a
// real signal to a real process.
func buildKensa(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		goBin, err := exec.LookPath("go") // go test puts its own go first on PATH
		if err != nil {
			built.err = err
			return
		}
		if built.dir, built.err = os.MkdirTemp("", "kensa-build-"); built.err != nil {
			return
		}
		bin := filepath.Join(built.dir, "kensa")
		start := time.Now()
		if out, err := exec.Command(goBin, "build", "-race", "-o", bin, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		built.bin = bin
		t.Logf("built kensa -race in %s", time.Since(start).Round(time.Millisecond))
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

var built struct {
	once     sync.Once
	dir, bin string
	err      error
}

// TestMain removes the binary buildKensa made.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// childLog collects a child's JSON log lines as they arrive.
type childLog struct {
	mu      sync.Mutex
	entries []map[string]any
	raw     []string
	closed  bool // the child closed its stderr: it has exited
}

func (l *childLog) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		var e map[string]any
		l.mu.Lock()
		l.raw = append(l.raw, line)
		if json.Unmarshal([]byte(line), &e) == nil {
			l.entries = append(l.entries, e)
		}
		l.mu.Unlock()
	}
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
}

// find returns the entries for which match is true.
func (l *childLog) find(match func(map[string]any) bool) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, e := range l.entries {
		if match(e) {
			out = append(out, e)
		}
	}
	return out
}

func (l *childLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.raw, "\n")
}

// waitFor polls the log until at least n entries match, or fails after a
// minute: a kensa built with -race starting or reloading its rules on a busy
// machine can take many times its idle seconds.
func (l *childLog) waitFor(t *testing.T, what string, n int, match func(map[string]any) bool) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if es := l.find(match); len(es) >= n {
			return es
		}
		l.mu.Lock()
		closed := l.closed
		l.mu.Unlock()
		if closed {
			t.Fatalf("kensa exited before it logged %s (%d times); log:\n%s", what, n, l.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("kensa did not log %s (%d times) within a minute; log:\n%s", what, n, l.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// startServe runs `kensa serve --config cfgPath` as a child process and
// waits until it has started. exited gets its exit once it is gone; the
// test's cleanup kills it and shows its log when the test failed.
func startServe(t *testing.T, bin, cfgPath string) (cmd *exec.Cmd, log *childLog, exited chan error) {
	t.Helper()
	cmd = exec.Command(bin, "serve", "--config", cfgPath)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start kensa: %v", err)
	}
	log = &childLog{}
	logDone := make(chan struct{})
	go func() { log.read(stderr); close(logDone) }()
	exited = make(chan error, 1)
	go func() { <-logDone; exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("kensa log:\n%s", log.String())
		}
	})
	log.waitFor(t, "kensa started", 1, msgIs("kensa started"))
	return cmd, log, exited
}

func msgIs(m string) func(map[string]any) bool {
	return func(e map[string]any) bool { return e["msg"] == m }
}

func isReload(e map[string]any) bool {
	m, _ := e["msg"].(string)
	return m == "reloaded config and rules" || strings.HasPrefix(m, "reload failed")
}

// Rules for the reload test. The base rule stays in the directory all the
// time; the extra rule comes and goes; the broken file fails to compile on
// line 3.
const (
	baseMarker  = "KENSA-RELOAD-BASE-MARKER"
	extraMarker = "KENSA-RELOAD-EXTRA-MARKER"
	baseRule    = `rule Kensa_Reload_Base { meta: score = 100 severity = "malicious" strings: $a = "` + baseMarker + `" condition: $a }`
	extraRule   = `rule Kensa_Reload_Extra { meta: score = 100 severity = "malicious" strings: $a = "` + extraMarker + `" condition: $a }`
	brokenRule  = "rule Kensa_Reload_Broken {\n  strings: $a = \"x\"\n  condition: $a and no_such_identifier\n}\n"
)

// TestReloadUnderLoad keeps mail flowing through a real `kensa serve` from
// eight connections while the rules and config are reloaded 30 times with
// real SIGHUPs, a third of them with a broken rule file or a broken config.
// Every message must get the verdict of a complete rule set: EICAR (builtin
// pack) and the base marker (rules directory) rejected, clean mail
// accepted, nothing tempfailed. After each reload a probe for the extra rule
// shows which rule set is in use.
func TestReloadUnderLoad(t *testing.T) {
	bin := buildKensa(t)
	dir := t.TempDir()
	rulesDir := filepath.Join(dir, "rules")
	if err := os.Mkdir(rulesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, rulesDir, "base.yar", []byte(baseRule))
	cfgPath := filepath.Join(dir, "kensa.yaml")
	// The state dir is the test's own: as root the default would be /var/lib/kensa.
	goodCfg := fmt.Sprintf("state_dir: %q\nlisten: inet:127.0.0.1:0\nhttp:\n  listen: 127.0.0.1:0\nlog:\n  format: json\nyara:\n  rules: [%q]\nlimits:\n  shutdown_timeout: 10s\n", filepath.Join(dir, "state"), rulesDir)
	badCfg := goodCfg + "policy:\n  tag_scor: 20\n" // misspelt key: line 12
	writeFile(t, dir, "kensa.yaml", []byte(goodCfg))

	cmd, log, exited := startServe(t, bin, cfgPath)
	milterAddr := log.find(msgIs("milter: listening"))[0]["addr"].(string)
	httpAddr := log.find(msgIs("web: listening"))[0]["addr"].(string)

	send := func(raw []byte) (string, error) {
		r, err := milterclient.Send("tcp", milterAddr, milterclient.Mail{From: "alice@example.com", Rcpts: []string{"bob@example.org"}, Raw: raw})
		if err != nil {
			return "", err
		}
		return r.Outcome(), nil
	}
	kinds := []struct {
		name, want string
		raw        []byte
	}{
		{"clean", "accept", testmail.Plain("Lunch", "Shall we have lunch on Friday?\n")},
		{"eicar", "reject", testmail.Plain("test", testmail.EICAR()+"\n")},
		{"base marker", "reject", testmail.Plain("marker", "text with "+baseMarker+" in it\n")},
	}

	// The load: eight workers, each sending the three kinds in turn.
	var stop atomic.Bool
	var sent [3]atomic.Int64
	var failMu sync.Mutex
	var failures []string
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; !stop.Load(); i++ {
				k := i % len(kinds)
				got, err := send(kinds[k].raw)
				if err != nil || got != kinds[k].want {
					failMu.Lock()
					failures = append(failures, fmt.Sprintf("%s message: %s, %v (want %s)", kinds[k].name, got, err, kinds[k].want))
					failMu.Unlock()
				}
				sent[k].Add(1)
			}
		}()
	}

	// The reloads: a cycle of six steps, run five times.
	type step struct {
		do      func()
		ok      bool // the reload succeeds
		extraOn bool // the rule set in use afterwards has the extra rule
	}
	rm := func(name string) {
		if err := os.Remove(filepath.Join(rulesDir, name)); err != nil {
			t.Error(err)
		}
	}
	steps := []step{
		{func() { writeFile(t, rulesDir, "extra.yar", []byte(extraRule)) }, true, true},
		{func() { writeFile(t, rulesDir, "broken.yar", []byte(brokenRule)) }, false, true},
		{func() { rm("broken.yar"); rm("extra.yar") }, true, false},
		{func() { writeFile(t, dir, "kensa.yaml", []byte(badCfg)) }, false, false},
		{func() {
			writeFile(t, dir, "kensa.yaml", []byte(goodCfg))
			writeFile(t, rulesDir, "broken.yar", []byte(brokenRule))
		}, false, false},
		{func() { rm("broken.yar") }, true, false},
	}
	const reloads = 30
	start := time.Now()
	var probes [2]int // accepted, rejected
	lastOK := 1       // generation in use
	for i := range reloads {
		st := steps[i%len(steps)]
		st.do()
		if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatalf("SIGHUP: %v", err)
		}
		es := log.waitFor(t, fmt.Sprintf("reload %d", i+1), i+1, isReload)
		e := es[i]
		if ok := e["msg"] == "reloaded config and rules"; ok != st.ok {
			t.Fatalf("reload %d (step %d): %q, want success=%v", i+1, i%len(steps), e["msg"], st.ok)
		}
		if st.ok {
			gen := int(e["generation"].(float64))
			if gen != i+2 {
				t.Errorf("reload %d: generation %d, want %d", i+1, gen, i+2)
			}
			lastOK = gen
		}
		want := "accept"
		if st.extraOn {
			want = "reject"
		}
		got, err := send(testmail.Plain("probe", "probe with "+extraMarker+"\n"))
		if err != nil || got != want {
			t.Errorf("probe after reload %d (step %d): %s, %v; want %s", i+1, i%len(steps), got, err, want)
		}
		if got == "reject" {
			probes[1]++
		} else {
			probes[0]++
		}
	}
	reloadTime := time.Since(start)
	stop.Store(true)
	wg.Wait()

	total := sent[0].Load() + sent[1].Load() + sent[2].Load()
	t.Logf("%d reloads in %s; %d messages from 8 workers (clean %d, eicar %d, base %d); %d probes",
		reloads, reloadTime.Round(time.Millisecond), total, sent[0].Load(), sent[1].Load(), sent[2].Load(), reloads)
	for i, f := range failures {
		if i == 20 {
			t.Errorf("... and %d more", len(failures)-20)
			break
		}
		t.Error(f)
	}
	if total < 3*reloads {
		t.Errorf("only %d messages during %d reloads: no load", total, reloads)
	}

	// Every failed rule reload named the broken file and line.
	broken := log.find(func(e map[string]any) bool {
		f, _ := e["file"].(string)
		return e["level"] == "error" && strings.HasSuffix(f, "broken.yar") && e["line"] == float64(3)
	})
	if n := 2 * reloads / len(steps); len(broken) != n {
		t.Errorf("%d log lines name broken.yar line 3, want %d", len(broken), n)
	}
	badCfgLines := log.find(func(e map[string]any) bool {
		m, _ := e["msg"].(string)
		err, _ := e["error"].(string)
		return strings.HasPrefix(m, "reload failed: config invalid") && strings.Contains(err, "line 12") && strings.Contains(err, "tag_scor")
	})
	if n := reloads / len(steps); len(badCfgLines) != n {
		t.Errorf("%d log lines for the broken config naming line 12, want %d", len(badCfgLines), n)
	}

	// The metrics say the same.
	resp, err := http.Get("http://" + httpAddr + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	got := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		if i := strings.LastIndexByte(line, ' '); i > 0 && !strings.HasPrefix(line, "#") {
			v, err := strconv.ParseFloat(line[i+1:], 64)
			if err == nil {
				got[line[:i]] = v
			}
		}
	}
	oks := reloads / len(steps) * 3
	want := map[string]float64{
		`kensa_config_reloads_total{result="success"}`:             float64(oks),
		`kensa_config_reloads_total{result="failure"}`:             float64(reloads - oks),
		`kensa_config_last_reload_successful`:                      1,
		`kensa_rules_generation`:                                   float64(lastOK),
		`kensa_messages_total{action="accept",reason="clean"}`:     float64(sent[0].Load()) + float64(probes[0]),
		`kensa_messages_total{action="reject",reason="malicious"}`: float64(sent[1].Load()+sent[2].Load()) + float64(probes[1]),
		`kensa_messages_in_flight`:                                 0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if lastOK != reloads+1 {
		t.Errorf("generation in use %d, want %d", lastOK, reloads+1)
	}
	for k, v := range got {
		if strings.HasPrefix(k, "kensa_messages_total") && strings.Contains(k, "tempfail") && v > 0 {
			t.Errorf("%s = %v", k, v)
		}
	}
	if resp, err := http.Get("http://" + httpAddr + "/readyz"); err != nil || resp.StatusCode != 200 {
		t.Errorf("/readyz after the reloads: %v %v", resp, err)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("kensa exit: %v", err)
		}
		exited <- err // for the cleanup
	case <-time.After(time.Minute):
		t.Fatal("kensa did not stop within a minute of SIGTERM")
	}
}
