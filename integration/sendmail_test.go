//go:build integration

package integration

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sendmailMTA is a private Sendmail daemon, unpacked from Debian's packages
// into a cache (fetch-sendmail.sh) and run in its own UTS and mount
// namespace: a qualified host name and a private /etc/hosts, so that no
// invocation waits for DNS.
type sendmailMTA struct {
	t        testing.TB
	dir      string
	cf       string
	submitCf string // the MSP's config (local submission)
	Addr     string
	daemon   *exec.Cmd
	out      logBuffer
	exited   chan struct{}
}

// sendmailOpts says how to wire the instance.
type sendmailOpts struct {
	// milterPort, when not 0, adds the docs' INPUT_MAIL_FILTER line with
	// Kensa's port.
	milterPort int
	// milterSocket, when set, uses the docs' unix-socket line instead, with
	// this path for /run/kensa/kensa.sock.
	milterSocket string
	// filterTimeouts, when set, replaces the T= equate of that line.
	filterTimeouts string
	// queueTimeouts adds the docs' confTO_QUEUERETURN and confTO_QUEUEWARN.
	queueTimeouts bool
}

const sendmailHostname = "mta.test.localdomain"

// sendmailRoot returns the unpacked Sendmail, fetching it when missing.
func sendmailRoot() (string, error) {
	cache := os.Getenv("KENSA_SENDMAIL_CACHE")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			base = "/var/cache"
		}
		cache = filepath.Join(base, "kensa-test", "sendmail")
	}
	root := filepath.Join(cache, "root")
	if _, err := os.Stat(filepath.Join(root, "usr/libexec/sendmail/sendmail")); err == nil {
		return root, nil
	}
	if out, err := runCmd(5*time.Minute, "./fetch-sendmail.sh", cache); err != nil {
		return "", fmt.Errorf("fetching Sendmail into %s: %w\n%s", cache, err, out)
	}
	return root, nil
}

func startSendmail(t testing.TB, sinkPort int, o sendmailOpts) *sendmailMTA {
	t.Helper()
	root, err := sendmailRoot()
	if err != nil {
		t.Fatalf("sendmail: %v", err)
	}
	dir := scratchDir(t, "sendmail")
	s := &sendmailMTA{t: t, dir: dir, cf: filepath.Join(dir, "test.cf"), exited: make(chan struct{})}
	port := freePort(t)
	s.Addr = fmt.Sprintf("127.0.0.1:%d", port)
	queue := filepath.Join(dir, "queue")
	if err := os.Mkdir(queue, 0o700); err != nil {
		t.Fatalf("sendmail: %v", err)
	}
	hosts := "127.0.0.1 localhost\n127.0.0.1 " + sendmailHostname + " mta\n"
	for _, d := range testDomains {
		hosts += "127.0.0.1 " + d + "\n"
	}
	files := map[string]string{
		"hosts":          hosts,
		"aliases":        "",
		"statistics":     "",
		"service.switch": "hosts files\naliases files\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatalf("sendmail: %v", err)
		}
	}

	filter := ""
	if o.milterPort != 0 || o.milterSocket != "" {
		filter = strings.ReplaceAll(smMilterLine, "8898", strconv.Itoa(o.milterPort))
		if o.milterSocket != "" {
			filter = strings.ReplaceAll(smMilterLineUnix, "/run/kensa/kensa.sock", o.milterSocket)
		}
		if o.filterTimeouts != "" {
			filter = regexp.MustCompile(`T=[^']*`).ReplaceAllString(filter, "T="+o.filterTimeouts)
		}
		filter += "dnl\n"
	}
	if o.queueTimeouts {
		filter += smQueueReturn + "dnl\n" + smQueueWarn + "dnl\n"
	}
	mc := fmt.Sprintf("divert(-1)\ndivert(0)dnl\n"+
		"OSTYPE(`linux')dnl\n"+
		"define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit')dnl\n"+
		"define(`QUEUE_DIR', `%[1]s/queue')dnl\n"+
		"define(`confPID_FILE', `%[1]s/sendmail.pid')dnl\n"+
		"define(`STATUS_FILE', `%[1]s/statistics')dnl\n"+
		"define(`ALIAS_FILE', `%[1]s/aliases')dnl\n"+
		"define(`confSERVICE_SWITCH_FILE', `%[1]s/service.switch')dnl\n"+
		"define(`confCONTROL_SOCKET_NAME', `%[1]s/control')dnl\n"+
		"define(`confHOST_STATUS_DIRECTORY', `')dnl\n"+
		"define(`confTO_IDENT', `0')dnl\n"+
		"define(`confQUEUE_LA', `100')dnl\n"+
		"define(`confREFUSE_LA', `100')dnl\n"+
		"define(`confMIN_QUEUE_AGE', `0')dnl\n"+
		"define(`confLOG_LEVEL', `14')dnl\n"+
		"define(`SMART_HOST', `esmtp:[127.0.0.1]')dnl\n"+
		"define(`ESMTP_MAILER_ARGS', `TCP $h %[2]d')dnl\n"+
		"define(`SMTP_MAILER_ARGS', `TCP $h %[2]d')dnl\n"+
		"define(`RELAY_MAILER_ARGS', `TCP $h %[2]d')dnl\n"+
		"FEATURE(`promiscuous_relay')dnl\n"+
		"FEATURE(`accept_unresolvable_domains')dnl\n"+
		"FEATURE(`no_default_msa')dnl\n"+
		"FEATURE(`nocanonify')dnl\n"+
		"DAEMON_OPTIONS(`Family=inet, Name=MTA-test, Port=%[3]d, Addr=127.0.0.1')dnl\n"+
		"%[4]s"+
		"MAILER(`local')dnl\n"+
		"MAILER(`smtp')dnl\n", dir, sinkPort, port, filter)
	mcPath := filepath.Join(dir, "test.mc")
	if err := os.WriteFile(mcPath, []byte(mc), 0o644); err != nil {
		t.Fatalf("sendmail: %v", err)
	}
	buildCf(t, root, mcPath, s.cf)
	// The MSP: what sendmail(1) uses for local submission on a normal
	// install. It relays by SMTP to the daemon, where the milter runs.
	submitMc := fmt.Sprintf("divert(-1)\ndivert(0)dnl\n"+
		"define(`confCF_VERSION', `Submit')dnl\n"+
		"define(`__OSTYPE__',`')dnl\n"+
		"define(`confTIME_ZONE', `USE_TZ')dnl\n"+
		"define(`confDONT_INIT_GROUPS', `True')dnl\n"+
		"define(`confRUN_AS_USER', `mail:mail')dnl\n"+
		"define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit')dnl\n"+
		"define(`MSP_QUEUE_DIR', `%[1]s/clientmqueue')dnl\n"+
		"define(`confPID_FILE', `%[1]s/sm-client.pid')dnl\n"+
		"define(`STATUS_FILE', `%[1]s/sm-client.st')dnl\n"+
		"define(`confSERVICE_SWITCH_FILE', `%[1]s/service.switch')dnl\n"+
		"define(`RELAY_MAILER_ARGS', `TCP $h %[2]d')dnl\n"+
		"FEATURE(`msp', `[127.0.0.1]')dnl\n", dir, port)
	if err := os.Mkdir(filepath.Join(dir, "clientmqueue"), 0o770); err != nil {
		t.Fatalf("sendmail: %v", err)
	}
	mustRun(t, "chown", "mail:mail", filepath.Join(dir, "clientmqueue"))
	for name, text := range map[string]string{"submit.mc": submitMc} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatalf("sendmail: %v", err)
		}
		buildCf(t, root, path, strings.TrimSuffix(path, ".mc")+".cf")
	}
	s.submitCf = filepath.Join(dir, "submit.cf")

	dumpOnFailure(t, "sendmail traffic and output "+dir, func() string {
		return readFile(filepath.Join(dir, "traffic.log")) + "\n-- daemon output --\n" + s.out.String()
	})

	s.daemon = s.nsCommand("-bD", "-q2s", "-X", filepath.Join(dir, "traffic.log"))
	s.daemon.Stdout, s.daemon.Stderr = &s.out, &s.out
	s.daemon.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := s.daemon.Start(); err != nil {
		t.Fatalf("sendmail: start: %v", err)
	}
	go func() { s.daemon.Wait(); close(s.exited) }()
	t.Cleanup(s.stop)
	if err := waitPort(s.Addr, 15*time.Second); err != nil {
		t.Fatalf("sendmail did not come up: %v\n%s", err, s.out.String())
	}
	return s
}

// buildCf makes a .cf from a .mc with the docs' m4 command (its output
// redirection done here).
func buildCf(t testing.TB, root, mc, cf string) {
	t.Helper()
	argv := docCommand(cmdSmBuildCf, nil, "/usr/share/sendmail/cf", filepath.Join(root, "usr/share/sendmail/cf"),
		"sendmail.mc", mc)
	if n := len(argv); n > 2 && argv[n-2] == ">" {
		argv = argv[:n-2]
	}
	var stderr bytes.Buffer
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sendmail: %s: %v: %s", strings.Join(argv, " "), err, stderr.String())
	}
	if err := os.WriteFile(cf, out, 0o644); err != nil {
		t.Fatalf("sendmail: %v", err)
	}
}

// nsCommand runs the unpacked sendmail with this instance's .cf in a fresh
// UTS and mount namespace (host name and /etc/hosts of the test).
func (s *sendmailMTA) nsCommand(args ...string) *exec.Cmd {
	return s.nsProgram("sendmail", s.cf, args...)
}

// nsProgram is nsCommand for another name of the binary (mailq is sendmail
// under another name).
func (s *sendmailMTA) nsProgram(name, cf string, args ...string) *exec.Cmd {
	root, _ := sendmailRoot()
	script := `hostname "$1" && mount --bind "$2" /etc/hosts && shift 2 && exec "$@"`
	full := append([]string{"--uts", "--mount", "sh", "-c", script, "sh",
		sendmailHostname, filepath.Join(s.dir, "hosts"),
		filepath.Join(root, "usr/libexec/sendmail", name), "-C" + cf}, args...)
	return exec.Command("unshare", full...)
}

// run runs sendmail (or mailq) in the namespace and returns its output.
func (s *sendmailMTA) run(name string, args ...string) (string, error) {
	cmd := s.nsProgram(name, s.cf, args...)
	out, err := runWithTimeout(cmd, 30*time.Second, nil)
	if err != nil {
		return out, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, out)
	}
	return out, nil
}

func (s *sendmailMTA) stop() {
	if s.daemon == nil || s.daemon.Process == nil {
		return
	}
	s.daemon.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.t.Logf("sendmail %d still running after SIGTERM; killing it", s.daemon.Process.Pid)
		s.daemon.Process.Kill()
		<-s.exited
	}
}

var smQueueID = regexp.MustCompile(`(?m)^([0-9A-Za-z]{14,})[\s*X-]`)

// quarantined lists the quarantined queue IDs whose entry mentions rcpt
// (mailq -qQ, as the docs say).
func (s *sendmailMTA) quarantined(rcpt string) []string {
	s.t.Helper()
	return idsFor(s.quarantineListing(), rcpt)
}

// queued lists the queue IDs in the normal queue whose entry mentions rcpt.
func (s *sendmailMTA) queued(rcpt string) []string {
	s.t.Helper()
	return idsFor(s.mailq(), rcpt)
}

// mailq is the output of the docs' mailq: the queue, with the reason a
// message waits.
func (s *sendmailMTA) mailq() string {
	s.t.Helper()
	args := docCommand(cmdSmMailq, nil)
	out, err := s.run(args[0], args[1:]...)
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

// idsFor splits mailq output into entries and returns the IDs of those that
// mention rcpt.
func idsFor(out, rcpt string) []string {
	var ids []string
	entries := smQueueID.FindAllStringSubmatchIndex(out, -1)
	for i, m := range entries {
		end := len(out)
		if i+1 < len(entries) {
			end = entries[i+1][0]
		}
		// mailq cuts long addresses: match "<local@" only.
		local, _, _ := strings.Cut(rcpt, "@")
		if strings.Contains(out[m[0]:end], "<"+local+"@") {
			ids = append(ids, out[m[2]:m[3]])
		}
	}
	return ids
}

// release unquarantines one message and runs the queue for it.
func (s *sendmailMTA) release(id string) {
	s.t.Helper()
	for _, cmd := range []string{cmdSmRelease, cmdSmRunQueue} {
		args := docCommand(cmd, nil, "QUEUEID", id)
		if _, err := s.run(args[0], args[1:]...); err != nil {
			s.t.Fatal(err)
		}
	}
}

// quarantineListing is the output of the docs' mailq -qQ.
func (s *sendmailMTA) quarantineListing() string {
	s.t.Helper()
	args := docCommand(cmdSmListQuarantine, nil)
	out, err := s.run(args[0], args[1:]...)
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

// submit hands a message to sendmail(1) as a local user would: through the
// MSP (submit.cf), which relays it to the daemon by SMTP.
func (s *sendmailMTA) submit(from string, to []string, data []byte) (string, error) {
	return s.submitWith(s.submitCf, from, to, data)
}

// submitMTA hands a message to sendmail(1) running with the daemon's own
// .cf (what root gets with -Am or -C sendmail.cf): no SMTP, so no milter.
func (s *sendmailMTA) submitMTA(from string, to []string, data []byte) (string, error) {
	return s.submitWith(s.cf, from, to, data)
}

func (s *sendmailMTA) submitWith(cf, from string, to []string, data []byte) (string, error) {
	cmd := s.nsProgram("sendmail", cf, append([]string{"-i", "-f", from, "--"}, to...)...)
	return runWithTimeout(cmd, 30*time.Second, data)
}

func (s *sendmailMTA) log() string {
	return readFile(filepath.Join(s.dir, "traffic.log")) + "\n-- daemon output --\n" + s.out.String()
}
