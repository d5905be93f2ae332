//go:build integration

package integration

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Test rules. Their strings only ever appear in messages the tests build.
const (
	quarantineToken = "KENSA-TEST-QUARANTINE"
	tagToken        = "KENSA-TEST-TAG"
	slowToken       = "KENSA-TEST-SLOW"

	testRules = `rule Kensa_Test_Quarantine
{
    meta:
        score = 60
        severity = "suspicious"
        description = "integration test: scores into quarantine"
    strings:
        $a = "KENSA-TEST-QUARANTINE"
    condition:
        $a
}

rule Kensa_Test_Tag
{
    meta:
        score = 30
        severity = "suspicious"
        description = "integration test: scores into tag"
    strings:
        $a = "KENSA-TEST-TAG"
    condition:
        $a
}
`
)

// kensaOpts is what a test changes in Kensa's config.
type kensaOpts struct {
	scanTimeout    string // limits.scan_timeout, default 10s
	yaraTimeout    string // yara.timeout, default 5s
	maxSize        string // limits.max_message_size, default 100KiB
	tooLargeAction string // limits.too_large_action, default reject
	onError        string // policy.on_error, default tempfail
	monitor        bool
	subjectPrefix  string            // milter.subject_prefix, default "[SUSPICIOUS] "
	rejectText     string            // milter.reject_text, default Kensa's
	listen         string            // config listen; "" = --listen inet:127.0.0.1:PORT
	socketMode     string            // socket_mode
	rules          map[string]string // extra rule files (name → text) next to testRules
	asUser         *syscall.Credential
	dsn            string // quarantine.dsn (a shared PostgreSQL); default SQLite in the state dir
	knownRefresh   string // known.refresh, default Kensa's
}

// kensa is one `kensa serve` process (and the files it runs on).
type kensa struct {
	t        testing.TB
	dir      string
	config   string
	rulesDir string
	Port     int
	listen   string
	asUser   *syscall.Credential

	cmd    *exec.Cmd
	exited chan struct{}
	log    logBuffer // every run's output, in order
}

func startKensa(t testing.TB, o kensaOpts) *kensa {
	t.Helper()
	k := newKensa(t, o)
	k.start()
	return k
}

// newKensa writes config and rules but starts nothing.
func newKensa(t testing.TB, o kensaOpts) *kensa {
	t.Helper()
	if kensaBuildErr != nil {
		t.Fatalf("no kensa binary: %v", kensaBuildErr)
	}
	dir := scratchDir(t, "kensa")
	k := &kensa{t: t, dir: dir, config: filepath.Join(dir, "kensa.yaml"),
		rulesDir: filepath.Join(dir, "rules"), Port: freePort(t), asUser: o.asUser}
	k.listen = fmt.Sprintf("inet:127.0.0.1:%d", k.Port)
	if err := os.Mkdir(k.rulesDir, 0o755); err != nil {
		t.Fatalf("kensa: %v", err)
	}
	k.writeRule("test.yar", testRules)
	for name, text := range o.rules {
		k.writeRule(name, text)
	}
	def := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	// Kensa's own files (quarantine store, allowed senders), per instance.
	stateDir := filepath.Join(dir, "state")
	if err := os.Mkdir(stateDir, 0o700); err != nil {
		t.Fatalf("kensa: %v", err)
	}
	if o.asUser != nil {
		if err := os.Chown(stateDir, int(o.asUser.Uid), int(o.asUser.Gid)); err != nil {
			t.Fatalf("kensa: %v", err)
		}
	}
	policy := "policy:\n  monitor: false"
	if o.monitor {
		policy = kensaYAMLMonitor
	}
	cfg := fmt.Sprintf(`# integration test config
log:
  level: debug
http:
  listen: ""   # many Kensas run at once: no metrics listener
state_dir: %q
%s
limits:
  max_message_size: %s
  too_large_action: %s
  scan_timeout: %s
  shutdown_timeout: 5s
yara:
  builtin: true
  rules: [%q]
  timeout: %s
%s
  on_error: %s
milter:
  subject_prefix: %q
`, stateDir, kensaYAMLHold, def(o.maxSize, "100KiB"), def(o.tooLargeAction, "reject"), def(o.scanTimeout, "10s"),
		k.rulesDir, def(o.yaraTimeout, "5s"), policy, def(o.onError, "tempfail"),
		def(o.subjectPrefix, "[SUSPICIOUS] "))
	if o.dsn != "" {
		cfg = strings.Replace(cfg, kensaYAMLHold, kensaYAMLHold+fmt.Sprintf("\n  dsn: %q", o.dsn), 1)
	}
	if o.knownRefresh != "" {
		cfg += fmt.Sprintf("known:\n  refresh: %s\n", o.knownRefresh)
	}
	if o.rejectText != "" {
		cfg += fmt.Sprintf("  reject_text: %q\n", o.rejectText)
	}
	if o.listen != "" {
		k.listen = ""
		cfg += "listen: " + o.listen + "\n"
		if o.socketMode != "" {
			cfg += fmt.Sprintf("socket_mode: %q\n", o.socketMode)
		}
	}
	if err := os.WriteFile(k.config, []byte(cfg), 0o644); err != nil {
		t.Fatalf("kensa: %v", err)
	}
	dumpOnFailure(t, "kensa log "+dir, k.log.String)
	t.Cleanup(k.stop)
	return k
}

func (k *kensa) writeRule(name, text string) {
	k.t.Helper()
	if err := os.WriteFile(filepath.Join(k.rulesDir, name), []byte(text), 0o644); err != nil {
		k.t.Fatalf("kensa: %v", err)
	}
}

// args is the command line: the documented `kensa serve --config FILE`
// plus the test's listen address.
func (k *kensa) args() []string {
	args := docCommand(cmdKensaServe, nil, "/etc/kensa/kensa.yaml", k.config)[1:]
	if k.listen != "" {
		args = append(args, "--listen", k.listen)
	}
	return args
}

// start runs kensa serve and waits until it listens.
func (k *kensa) start() {
	k.t.Helper()
	if k.running() {
		k.t.Fatal("kensa: already running")
	}
	fmt.Fprintf(&k.log, "==== %s kensa %s\n", time.Now().Format("15:04:05.000"), strings.Join(k.args(), " "))
	cmd := exec.Command(kensaBin, k.args()...)
	cmd.Stdout, cmd.Stderr = &k.log, &k.log
	// Pdeathsig: if the test binary dies, Kensa does not outlive it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: k.asUser, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		k.t.Fatalf("kensa: start: %v", err)
	}
	k.cmd, k.exited = cmd, make(chan struct{})
	exited := k.exited
	go func() { cmd.Wait(); close(exited) }()
	started := eventually(30*time.Second, func() bool {
		select {
		case <-exited:
			return true
		default:
		}
		return strings.Contains(k.log.String(), "kensa started")
	})
	select {
	case <-exited:
		k.t.Fatalf("kensa exited at start (%v):\n%s", cmd.ProcessState, k.log.String())
	default:
	}
	if !started {
		k.t.Fatalf("kensa did not log \"kensa started\" within 30s:\n%s", k.log.String())
	}
	if k.listen != "" {
		if err := waitPort(fmt.Sprintf("127.0.0.1:%d", k.Port), 10*time.Second); err != nil {
			k.t.Fatalf("kensa: %v", err)
		}
	}
}

func (k *kensa) running() bool {
	if k.cmd == nil {
		return false
	}
	select {
	case <-k.exited:
		return false
	default:
		return true
	}
}

// signal sends sig to the running kensa.
func (k *kensa) signal(sig syscall.Signal) {
	k.t.Helper()
	if !k.running() {
		k.t.Fatalf("kensa: not running, cannot send %v", sig)
	}
	if err := k.cmd.Process.Signal(sig); err != nil {
		k.t.Fatalf("kensa: %v: %v", sig, err)
	}
}

// kill ends kensa with SIGKILL: no goodbye to the MTA.
func (k *kensa) kill() {
	k.t.Helper()
	k.signal(syscall.SIGKILL)
	<-k.exited
	// The port must be free again (nothing else may answer for Kensa).
	if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", k.Port), time.Second); err == nil {
		c.Close()
		k.t.Fatalf("kensa: port %d still answers after SIGKILL", k.Port)
	}
}

// stop ends kensa with SIGTERM and checks the clean exit code.
func (k *kensa) stop() {
	if !k.running() {
		return
	}
	k.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-k.exited:
		if code := k.cmd.ProcessState.ExitCode(); code != 0 {
			k.t.Errorf("kensa exited with %d after SIGTERM, want 0", code)
		}
	case <-time.After(15 * time.Second):
		k.t.Errorf("kensa did not stop within 15s of SIGTERM")
		k.cmd.Process.Kill()
		<-k.exited
	}
}

// waitLog waits until kensa's output contains every one of subs.
func (k *kensa) waitLog(timeout time.Duration, subs ...string) bool {
	return eventually(timeout, func() bool {
		out := k.log.String()
		for _, s := range subs {
			if !strings.Contains(out, s) {
				return false
			}
		}
		return true
	})
}

// waitState waits until the process is in the given state (/proc/PID/stat,
// e.g. 'T' for stopped) and returns the last state seen.
func (k *kensa) waitState(want byte, timeout time.Duration) string {
	var state string
	eventually(timeout, func() bool {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", k.cmd.Process.Pid))
		if err != nil {
			state = err.Error()
			return false
		}
		// pid (comm) S ...: the state follows the last ')'.
		if i := strings.LastIndexByte(string(b), ')'); i >= 0 && i+2 < len(b) {
			state = string(b[i+2])
		}
		return state == string(want)
	})
	return state
}
