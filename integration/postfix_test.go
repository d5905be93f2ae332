//go:build integration

package integration

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// postfixMTA is a private Postfix instance: its own config and queue
// directories under a scratch dir, no chroot, the system's Postfix untouched.
type postfixMTA struct {
	t     testing.TB
	dir   string
	etc   string
	spool string
	Addr  string // 127.0.0.1:PORT of its smtpd
}

// postfixOpts says how to wire the instance.
type postfixOpts struct {
	// milterPort, when not 0, puts Kensa on inet:127.0.0.1:PORT with the
	// main.cf lines the docs show (pfMainCfLines).
	milterPort int
	// extra main.cf settings, "name = value", applied last.
	extra []string
	// chroot lists master.cf services ("smtpd", "cleanup") that run
	// chrooted in the queue directory, as on a stock Debian install.
	chroot []string
}

func startPostfix(t testing.TB, sinkPort int, o postfixOpts) *postfixMTA {
	t.Helper()
	dir := scratchDir(t, "postfix")
	p := &postfixMTA{t: t, dir: dir, etc: filepath.Join(dir, "etc"), spool: filepath.Join(dir, "spool")}
	smtpPort := freePort(t)
	p.Addr = fmt.Sprintf("127.0.0.1:%d", smtpPort)
	data := filepath.Join(dir, "data")
	for _, d := range []string{p.etc, p.spool, data} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("postfix: %v", err)
		}
	}
	mustRun(t, "chown", "postfix:postfix", data)
	master, err := os.ReadFile("/etc/postfix/master.cf")
	if err != nil {
		t.Fatalf("postfix: is the postfix package installed? %v", err)
	}
	if err := os.WriteFile(filepath.Join(p.etc, "master.cf"), master, 0o644); err != nil {
		t.Fatalf("postfix: %v", err)
	}
	if err := os.WriteFile(filepath.Join(p.etc, "main.cf"), nil, 0o644); err != nil {
		t.Fatalf("postfix: %v", err)
	}
	dumpOnFailure(t, "postfix maillog "+dir, func() string { return readFile(filepath.Join(dir, "maillog")) })

	settings := []string{
		"compatibility_level=3.6",
		"config_directory=" + p.etc,
		"queue_directory=" + p.spool,
		"data_directory=" + data,
		"maillog_file=" + filepath.Join(dir, "maillog"),
		"maillog_file_prefixes=" + dir,
		"myhostname=mta.test.localdomain",
		"inet_interfaces=127.0.0.1",
		"inet_protocols=ipv4",
		"mydestination=",
		"local_recipient_maps=",
		"alias_maps=",
		"alias_database=",
		"local_transport=error:local delivery disabled",
		"mynetworks=127.0.0.0/8",
		"smtpd_relay_restrictions=permit_mynetworks,reject",
		fmt.Sprintf("relayhost=[127.0.0.1]:%d", sinkPort),
		"smtp_dns_support_level=disabled",
		"smtpd_peername_lookup=no",
		"queue_run_delay=1s",
		"minimal_backoff_time=1s",
		"maximal_backoff_time=5s",
	}
	if o.milterPort != 0 {
		for _, line := range docLines(pfMainCfLines) {
			line = strings.ReplaceAll(line, "8898", strconv.Itoa(o.milterPort))
			settings = append(settings, mainCfSetting(line))
		}
	}
	for _, line := range o.extra {
		settings = append(settings, mainCfSetting(line))
	}
	mustRun(t, append([]string{"postconf", "-c", p.etc, "-e"}, settings...)...)
	mustRun(t, "postconf", "-c", p.etc, "-F", "*/*/chroot = n")
	mustRun(t, "postconf", "-c", p.etc, "-MX", "smtp/inet")
	mustRun(t, "postconf", "-c", p.etc, "-M",
		fmt.Sprintf("%s/inet = %s inet n - n - - smtpd", p.Addr, p.Addr))
	for _, svc := range o.chroot {
		name := svc + "/unix"
		if svc == "smtpd" {
			name = p.Addr + "/inet"
		}
		mustRun(t, "postconf", "-c", p.etc, "-F", name+"/chroot = y")
	}

	// Without a TTY or /dev/log, postfix check/start fail silently; script(1)
	// gives them a TTY so the reason reaches the test log.
	// (`postfix start` runs the fatal checks itself; the full `postfix check`
	// takes seconds, so it only runs to explain a failed start.)
	if out, err := runCmd(time.Minute, "script", "-qec", "postfix -c "+p.etc+" start", "/dev/null"); err != nil {
		check, _ := runCmd(time.Minute, "script", "-qec", "postfix -c "+p.etc+" check", "/dev/null")
		t.Fatalf("postfix start failed: %v\n%s\npostfix check: %s\n%s", err, out, check, readFile(filepath.Join(dir, "maillog")))
	}
	t.Cleanup(p.stop)
	if err := waitPort(p.Addr, 15*time.Second); err != nil {
		t.Fatalf("postfix did not come up: %v\n%s", err, readFile(filepath.Join(dir, "maillog")))
	}
	return p
}

// mainCfSetting turns "name = value" into postconf's "name=value".
func mainCfSetting(line string) string {
	name, value, _ := strings.Cut(line, "=")
	return strings.TrimSpace(name) + "=" + strings.TrimSpace(value)
}

// stop ends the master by its pid file and waits until it is gone.
func (p *postfixMTA) stop() {
	pid := p.masterPID()
	if pid <= 0 {
		return
	}
	syscall.Kill(pid, syscall.SIGTERM)
	if !eventually(10*time.Second, func() bool { return syscall.Kill(pid, 0) != nil }) {
		p.t.Logf("postfix master %d still running after SIGTERM; killing it", pid)
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

func (p *postfixMTA) masterPID() int {
	b, err := os.ReadFile(filepath.Join(p.spool, "pid", "master.pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// pfQueued is one line of `postqueue -j`.
type pfQueued struct {
	QueueName  string `json:"queue_name"`
	QueueID    string `json:"queue_id"`
	Sender     string `json:"sender"`
	Recipients []struct {
		Address     string `json:"address"`
		DelayReason string `json:"delay_reason"`
	} `json:"recipients"`
}

// queueJSON is the output of the docs' postqueue -j.
func (p *postfixMTA) queueJSON() string {
	p.t.Helper()
	return mustRun(p.t, docCommand(cmdPostqueueJSON, p.confFlag())...)
}

// queue lists every message in the instance's queues (postqueue -j).
func (p *postfixMTA) queue() []pfQueued {
	p.t.Helper()
	out := p.queueJSON()
	var q []pfQueued
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var e pfQueued
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			p.t.Fatalf("postqueue -j: %v in %q", err, sc.Text())
		}
		q = append(q, e)
	}
	return q
}

// queuedFor returns the queue entries with a recipient rcpt.
func (p *postfixMTA) queuedFor(rcpt string) []pfQueued {
	var out []pfQueued
	for _, e := range p.queue() {
		for _, r := range e.Recipients {
			if r.Address == rcpt {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// release takes a message out of the hold queue and flushes the queue.
func (p *postfixMTA) release(id string) {
	p.t.Helper()
	mustRun(p.t, docCommand(cmdPostsuperRelease, p.confFlag(), "QUEUEID", id)...)
	mustRun(p.t, docCommand(cmdPostqueueFlush, p.confFlag())...)
}

// submit hands a message to Postfix's sendmail(1) (maildrop → pickup →
// cleanup, where non_smtpd_milters apply).
func (p *postfixMTA) submit(from string, to []string, data []byte) (string, error) {
	args := append([]string{"-C", p.etc, "-i", "-f", from, "--"}, to...)
	return runWithTimeout(exec.Command("sendmail", args...), 30*time.Second, data)
}

func (p *postfixMTA) log() string { return readFile(filepath.Join(p.dir, "maillog")) }

// confFlag points Postfix's commands at this instance.
func (p *postfixMTA) confFlag() []string { return []string{"-c", p.etc} }

// postconf sets main.cf lines ("name = value") and reloads Postfix, as an
// admin does.
func (p *postfixMTA) postconf(lines ...string) {
	p.t.Helper()
	args := []string{"postconf", "-c", p.etc, "-e"}
	for _, l := range lines {
		args = append(args, mainCfSetting(l))
	}
	mustRun(p.t, args...)
	p.reload()
}

// reload runs the docs' `postfix reload` and waits until it has taken
// effect: the master logged the reload and the smtpd and cleanup processes
// that still had the old settings are gone (reload only signals the
// master; idle old processes exit a moment later, and one could still
// take a connection).
func (p *postfixMTA) reload() {
	p.t.Helper()
	before := strings.Count(p.log(), "reload -- version")
	mustRun(p.t, docCommand(cmdPostfixReload, p.confFlag())...)
	if !eventually(10*time.Second, func() bool { return strings.Count(p.log(), "reload -- version") > before }) {
		p.t.Fatalf("postfix reload: no \"reload -- version\" in the log")
	}
	var left []int
	if !eventually(10*time.Second, func() bool { left = p.children("smtpd", "cleanup"); return len(left) == 0 }) {
		p.t.Fatalf("postfix reload: old processes %v still running", left)
	}
}

// children returns the pids of the master's children with one of names.
func (p *postfixMTA) children(names ...string) []int {
	master := p.masterPID()
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		comm := s[open+1 : close]
		rest := strings.Fields(s[close+1:])
		if len(rest) < 2 || rest[1] != strconv.Itoa(master) {
			continue
		}
		for _, n := range names {
			if comm == n {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}
