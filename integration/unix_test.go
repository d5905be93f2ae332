//go:build integration

package integration

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPostfixUnixSocket follows the docs' unix-socket setup: a setgid
// directory in Postfix's queue directory, Kensa running as an unprivileged
// user (nobody here, kensa in the docs) with socket_mode 0660, and smtpd and
// cleanup chrooted as on a stock install, reaching the socket by its path
// relative to the queue directory. Milters are added to a running Postfix
// with postconf and `postfix reload`.
func TestPostfixUnixSocket(t *testing.T) {
	for _, c := range []struct {
		name   string
		chroot []string
	}{
		{"chroot", []string{"smtpd", "cleanup"}},
		{"no chroot", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			count(t)
			unixSocket(t, c.chroot)
		})
	}
}

func unixSocket(t *testing.T, chroot []string) {
	sk := startSink(t)
	pf := startPostfix(t, sk.Port, postfixOpts{chroot: chroot})

	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Fatalf("user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	sockDir := filepath.Join(pf.spool, "kensa")
	mustRun(t, docCommand(cmdSocketDir, nil, "/var/spool/postfix", pf.spool, "kensa", "nobody")...)
	if fi, err := os.Stat(sockDir); err != nil || fi.Mode()&os.ModeSetgid == 0 {
		t.Fatalf("socket directory: %v %v", fi, err)
	}

	listen := ""
	for _, line := range docLines(kensaYAMLUnix) {
		if v, ok := strings.CutPrefix(line, "listen: "); ok {
			listen = strings.ReplaceAll(v, "/var/spool/postfix", pf.spool)
		}
	}
	k := startKensa(t, kensaOpts{listen: listen, socketMode: "0660",
		asUser: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}})
	sock := filepath.Join(sockDir, "kensa.sock")
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatalf("Kensa's socket: %v\n%s", err, k.log.String())
	}
	st := fi.Sys().(*syscall.Stat_t)
	postfixGroup, _ := user.LookupGroup("postfix")
	if fi.Mode().Perm() != 0o660 || strconv.Itoa(int(st.Gid)) != postfixGroup.Gid || int(st.Uid) != uid {
		t.Errorf("socket %s: mode %v uid %d gid %d, want 0660 nobody:postfix", sock, fi.Mode().Perm(), st.Uid, st.Gid)
	}

	// main.cf: the unix lines, plus the docs' other milter settings.
	var lines []string
	lines = append(lines, docLines(pfMainCfUnix)...)
	for _, l := range docLines(pfMainCfLines) {
		if !strings.Contains(l, "inet:") {
			lines = append(lines, l)
		}
	}
	pf.postconf(lines...)
	e := &env{t: t, mta: "postfix", k: k, sk: sk, pf: pf, Addr: pf.Addr}

	want := "= n"
	if len(chroot) > 0 {
		want = "= y"
	}
	for _, svc := range []string{pf.Addr + "/inet", "cleanup/unix"} {
		if out := mustRun(t, "postconf", "-c", pf.etc, "-F", svc+"/chroot"); !strings.HasSuffix(strings.TrimSpace(out), want) {
			t.Fatalf("%s: chroot is not %q: %s", svc, want, out)
		}
	}

	// After `postfix reload`, new connections get the new settings.
	token := newToken("unix")
	rcpt := rcptFor(token, 1)
	if r := e.send(buildMessage(token, "via unix socket", nil, "x"), rcpt); !r.accepted() {
		t.Fatalf("%v", r)
	}
	got := e.expectDelivered(token, 1, rcpt)
	if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "accept") {
		t.Errorf("verdict %q", v)
	}

	token = newToken("unixquar")
	rcpt = rcptFor(token, 1)
	if r := e.send(buildMessage(token, "held via unix", nil, quarantineToken), rcpt); !r.accepted() {
		t.Fatalf("%v", r)
	}
	if !eventually(10*time.Second, func() bool { return len(e.held(rcpt)) == 1 }) {
		t.Errorf("quarantine through the unix socket: not held")
	}

	token = newToken("unixlocal")
	rcpt = rcptFor(token, 1)
	if err := e.submit(buildMessage(token, "local via unix", nil, "x"), rcpt); err != nil {
		t.Fatal(err)
	}
	got = e.expectDelivered(token, 1, rcpt)
	verdictOf(t, got[0])
}

// TestSendmailUnixSocket follows docs/sendmail.md with the socket that
// `make install` configures: Kensa as an unprivileged user on a 0660 socket
// in a 0750 directory of its own (systemd's RuntimeDirectory), and the
// Sendmail daemon, running as root, connecting to it by the docs' S=unix:
// line.
func TestSendmailUnixSocket(t *testing.T) {
	count(t)
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Fatalf("user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	run := filepath.Join(scratchDir(t, "run"), "kensa")
	if err := os.Mkdir(run, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(run, uid, gid); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(run, "kensa.sock")
	k := startKensa(t, kensaOpts{listen: "unix:" + sock, socketMode: "0660",
		asUser: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}})
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != 0o660 {
		t.Fatalf("Kensa's socket %s: %v %v", sock, fi, err)
	}
	sk := startSink(t)
	sm := startSendmail(t, sk.Port, sendmailOpts{milterSocket: sock})
	if cf := readFile(sm.cf); !strings.Contains(cf, "S=unix:"+sock) {
		t.Fatalf("sendmail.cf has no S=unix:%s", sock)
	}
	e := &env{t: t, mta: "sendmail", k: k, sk: sk, sm: sm, Addr: sm.Addr}

	token := newToken("smunix")
	rcpt := rcptFor(token, 1)
	if r := e.send(buildMessage(token, "via unix socket", nil, "x"), rcpt); !r.accepted() {
		t.Fatalf("%v", r)
	}
	got := e.expectDelivered(token, 1, rcpt)
	if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "accept") {
		t.Errorf("verdict %q", v)
	}

	token = newToken("smunixrej")
	rcpt = rcptFor(token, 1)
	if r := e.send(buildMessage(token, "x", nil, "x", eicarAttachment()), rcpt); !strings.HasPrefix(r.line(), replyReject) {
		t.Errorf("EICAR through the unix socket: %v", r)
	}
	e.expectNothing(token, rcpt)
}
