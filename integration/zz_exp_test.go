//go:build integration

package integration

import (
	"fmt"
	"os/exec"
	"testing"
	"time"
)

func startExp(t *testing.T) int {
	port := freePort(t)
	cmd := exec.Command("/tmp/expmilter/expmilter", fmt.Sprintf("127.0.0.1:%d", port))
	var lb logBuffer
	cmd.Stdout, cmd.Stderr = &lb, &lb
	cmd.Start()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); t.Logf("milter log:\n%s", lb.String()) })
	waitPort(fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
	return port
}

func TestExpSendmail(t *testing.T) {
	mp := startExp(t)
	sk := startSink(t)
	sm := startSendmail(t, sk.Port, sendmailOpts{milterPort: mp, filterTimeouts: "C:10s;S:10s;R:10s;E:3s"})
	tok := newToken("q")
	r := send(sm.Addr, mail{From: testSender, To: []string{rcptFor(tok, 1)}, Data: buildMessage(tok, "quarantine", nil, "x")})
	t.Logf("quarantine send: %v", r)
	time.Sleep(time.Second)
	out, err := sm.run("mailq", "-qQ")
	t.Logf("mailq -qQ: %v\n%s", err, out)
	ids := sm.quarantined(rcptFor(tok, 1))
	t.Logf("ids %v", ids)
	if len(ids) == 1 {
		s := time.Now()
		sm.release(ids[0])
		got := sk.waitFor(tok, 1, 20*time.Second)
		t.Logf("released → %d delivered after %v", len(got), time.Since(s))
	}
	// local submission
	tok2 := newToken("local")
	s := time.Now()
	out, err = sm.submit(testSender, []string{rcptFor(tok2, 1)}, buildMessage(tok2, "local", nil, "x"))
	t.Logf("submit: %v %s (%v)", err, out, time.Since(s))
	got := sk.waitFor(tok2, 1, 20*time.Second)
	if len(got) > 0 {
		t.Logf("local delivered: %s", got[0].Data)
	}
	// slow
	tok3 := newToken("slow")
	s = time.Now()
	r = send(sm.Addr, mail{From: testSender, To: []string{rcptFor(tok3, 1)}, Data: buildMessage(tok3, "sleep 8", nil, "x")})
	t.Logf("slow 8s vs E:3s: %v after %v", r, time.Since(s))
	t.Logf("traffic:\n%s", sm.log())
}

func TestExpPostfix(t *testing.T) {
	mp := startExp(t)
	sk := startSink(t)
	pf := startPostfix(t, sk.Port, postfixOpts{milterPort: mp, extra: []string{"milter_content_timeout = 3s"}})
	tok3 := newToken("slow")
	s := time.Now()
	r := send(pf.Addr, mail{From: testSender, To: []string{rcptFor(tok3, 1)}, Data: buildMessage(tok3, "sleep 8", nil, "x")})
	t.Logf("slow 8s vs content_timeout 3s: %v after %v", r, time.Since(s))
	tok := newToken("q")
	r = send(pf.Addr, mail{From: testSender, To: []string{rcptFor(tok, 1)}, Data: buildMessage(tok, "quarantine", nil, "x")})
	t.Logf("quarantine: %v; queue %+v", r, pf.queuedFor(rcptFor(tok, 1)))
	tok2 := newToken("local")
	out, err := pf.submit(testSender, []string{rcptFor(tok2, 1)}, buildMessage(tok2, "local", nil, "x"))
	t.Logf("submit: %v %s", err, out)
	got := sk.waitFor(tok2, 1, 20*time.Second)
	if len(got) > 0 {
		t.Logf("local delivered: %s", got[0].Data)
	}
	t.Logf("log:\n%s", pf.log())
}
