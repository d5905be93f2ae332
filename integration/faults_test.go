//go:build integration

package integration

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// slowRule is quadratic in the part's size once its string is present:
// about 45 s of libyara 4.2.3 on the 40 KB part of slowMessage (1 KB: 30 ms;
// 10 KB: 3 s), and libyara's timeout stops it in time. Messages without
// the string are not slowed down.
const slowRule = `rule Kensa_Test_Slow
{
    meta:
        score = 1
        severity = "info"
        description = "integration test: quadratic loop, slow on big parts"
    strings:
        $s = "KENSA-TEST-SLOW"
    condition:
        $s and for any i in (0..filesize) : (for any j in (0..filesize) : (uint8(i) == 0x01 and uint8(j) == 0x02))
}
`

// slowMessage makes Kensa scan for a long time (with slowRule loaded).
func slowMessage(token string) []byte {
	return buildMessage(token, "slow", nil, slowToken+"\n"+strings.Repeat("the quick brown fox jumps over the lazy dog\n", 900))
}

// mtaTempFail is the MTA's own answer when Kensa is unreachable or does not
// answer in time (milter_default_action = tempfail / F=T).
func mtaTempFail(mta string) string {
	if mta == "postfix" {
		return replyPostfixMilterDown
	}
	return replySendmailMilterDown
}

func TestFaults(t *testing.T) {
	for _, mta := range mtas {
		t.Run(mta, func(t *testing.T) {
			t.Parallel()
			for _, c := range faultCases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					count(t)
					c.run(t, mta)
				})
			}
		})
	}
}

var faultCases = []struct {
	name string
	run  func(t *testing.T, mta string)
}{
	{"Kensa down: 4xx, then retried and delivered once", faultDown},
	{"Kensa killed during DATA: 4xx, nothing delivered, retry delivered once", faultKilledInData},
	{"Kensa killed during the scan: 4xx, nothing delivered", faultKilledInScan},
	{"scan over Kensa's timeout: on_error tempfail", faultScanTimeout},
	{"Kensa's timeout against the MTA's", faultTimeoutRelation},
	{"SIGHUP with a broken rule while mail flows", faultReloadBroken},
}

func faultDown(t *testing.T, mta string) {
	e := newEnv(t, mta, envOpts{noKensa: true})
	token := newToken("down")
	rcpt := rcptFor(token, 1)
	msg := buildMessage(token, "while Kensa is down", nil, "retry me")
	r := e.send(msg, rcpt)
	if r.Stage != "mail" || r.line() != mtaTempFail(mta) {
		t.Fatalf("with Kensa down: %v, want %q at MAIL FROM", r, mtaTempFail(mta))
	}
	t.Logf("Kensa down: %v", r)
	e.expectNothing(token, rcpt)

	e.k.start()
	if r := e.send(msg, rcpt); !r.accepted() {
		t.Fatalf("retry after Kensa started: %v", r)
	}
	got := e.expectDelivered(token, 1, rcpt)
	if v := verdictOf(t, got[0]); !strings.HasPrefix(v, "accept") {
		t.Errorf("retry verdict %q, want accept", v)
	}
}

func faultKilledInData(t *testing.T, mta string) {
	e := newEnv(t, mta, envOpts{})
	token := newToken("killdata")
	rcpt := rcptFor(token, 1)
	msg := buildMessage(token, "killed in DATA", nil, strings.Repeat("line of text\n", 200))
	r := send(e.Addr, mail{From: testSender, To: []string{rcpt}, Data: msg, beforeDot: func() { e.k.kill() }})
	if r.Stage != "eod" || r.line() != mtaTempFail(mta) {
		t.Fatalf("Kensa killed during DATA: %v, want %q at end of DATA", r, mtaTempFail(mta))
	}
	t.Logf("killed during DATA: %v", r)
	e.expectNothing(token, rcpt)

	e.k.start()
	if r := e.send(msg, rcpt); !r.accepted() {
		t.Fatalf("retry after restart: %v", r)
	}
	got := e.expectDelivered(token, 1, rcpt)
	verdictOf(t, got[0])
}

func faultKilledInScan(t *testing.T, mta string) {
	e := newEnv(t, mta, envOpts{kensa: kensaOpts{
		scanTimeout: "60s", yaraTimeout: "60s", rules: map[string]string{"slow.yar": slowRule}}})
	token := newToken("killscan")
	rcpt := rcptFor(token, 1)
	var dot time.Time
	proc := e.k.cmd.Process
	r := send(e.Addr, mail{From: testSender, To: []string{rcpt}, Data: slowMessage(token), beforeDot: func() {
		dot = time.Now()
		time.AfterFunc(1500*time.Millisecond, func() { proc.Signal(syscall.SIGKILL) })
	}})
	elapsed := time.Since(dot)
	if r.Stage != "eod" || r.line() != mtaTempFail(mta) {
		t.Fatalf("Kensa killed during the scan: %v, want %q at end of DATA", r, mtaTempFail(mta))
	}
	t.Logf("killed during the scan: %v after %v", r, elapsed.Round(time.Millisecond))
	<-e.k.exited
	if elapsed < 1500*time.Millisecond {
		t.Errorf("answer came %v after the dot, before the kill: the scan was not in progress", elapsed)
	}
	if strings.Contains(e.k.log.String(), "<"+token+"@") {
		t.Errorf("Kensa logged a verdict for the message it was killed scanning")
	}
	e.expectNothing(token, rcpt)

	e.k.start()
	token = newToken("afterkill")
	rcpt = rcptFor(token, 1)
	if r := e.send(buildMessage(token, "after restart", nil, "x"), rcpt); !r.accepted() {
		t.Fatalf("after restart: %v", r)
	}
	e.expectDelivered(token, 1, rcpt)
}

func faultScanTimeout(t *testing.T, mta string) {
	e := newEnv(t, mta, envOpts{kensa: kensaOpts{
		scanTimeout: "1s", yaraTimeout: "1s", rules: map[string]string{"slow.yar": slowRule}}})
	token := newToken("timeout")
	rcpt := rcptFor(token, 1)
	start := time.Now()
	r := e.send(slowMessage(token), rcpt)
	if r.Stage != "eod" || !strings.HasPrefix(r.line(), replyKensaTempFail) {
		t.Fatalf("slow scan: %v, want Kensa's %q… at end of DATA", r, replyKensaTempFail)
	}
	t.Logf("scan timeout: %v after %v", r, time.Since(start).Round(time.Millisecond))
	ref := refIn(r.Text)
	if !e.k.waitLog(5*time.Second, "ref="+ref, "timeout") {
		t.Errorf("Kensa's log has no timeout line with ref %s", ref)
	}
	e.expectNothing(token, rcpt)

	// Kensa is not stuck: the next message passes at once.
	token = newToken("aftertimeout")
	rcpt = rcptFor(token, 1)
	if r := e.send(buildMessage(token, "fast", nil, "x"), rcpt); !r.accepted() {
		t.Fatalf("message after the timeout: %v", r)
	}
	e.expectDelivered(token, 1, rcpt)
}

// faultTimeoutRelation shows which timeout decides, as the docs explain.
//
// Postfix: milter_content_timeout bounds each wait for a reply, and Kensa
// reports progress every second while it scans, so Postfix keeps waiting
// for as long as Kensa works: Kensa's scan_timeout decides even when it is
// the longer one. Postfix's timeout (and milter_default_action) only
// applies to a Kensa that stopped answering.
//
// Sendmail: T=E: is a deadline for the whole end-of-message step that
// progress does not extend. With scan_timeout below it Kensa decides (the
// scan-timeout case above, E:5m as in the docs); above it, Sendmail gives
// up first and F=T answers 4xx with Sendmail's own text.
func faultTimeoutRelation(t *testing.T, mta string) {
	o := envOpts{kensa: kensaOpts{scanTimeout: "5s", yaraTimeout: "5s", rules: map[string]string{"slow.yar": slowRule}}}
	// 3s, not less: Kensa's progress comes every second, and a loaded
	// machine may be late with one.
	o.postfix.extra = []string{"milter_content_timeout = 3s"}
	o.sendmail.filterTimeouts = "C:10s;S:10s;R:10s;E:2s"
	e := newEnv(t, mta, o)

	t.Run("scan_timeout above the MTA's timeout", func(t *testing.T) {
		e := e.in(t)
		token := newToken("reltime")
		rcpt := rcptFor(token, 1)
		start := time.Now()
		r := e.send(slowMessage(token), rcpt)
		took := time.Since(start)
		t.Logf("%s, scan_timeout 5s, milter_content_timeout 3s / E:2s: %v after %v", mta, r, took.Round(time.Millisecond))
		switch mta {
		case "postfix":
			if !strings.HasPrefix(r.line(), replyKensaTempFail) || took < 4*time.Second {
				t.Errorf("got %v after %v, want Kensa's own %q… after its 5s", r, took, replyKensaTempFail)
			}
		case "sendmail":
			if r.line() != replySendmailMilterDown || took > 10*time.Second {
				t.Errorf("got %v after %v, want Sendmail's own %q after T=E:2s", r, took, replySendmailMilterDown)
			}
		}
		e.expectNothing(token, rcpt)
	})

	t.Run("Kensa stops answering", func(t *testing.T) {
		e := e.in(t)
		token := newToken("relstop")
		rcpt := rcptFor(token, 1)
		var start time.Time
		var state string
		r := send(e.Addr, mail{From: testSender, To: []string{rcpt}, Data: buildMessage(token, "frozen", nil, "x"),
			beforeDot: func() {
				e.k.signal(syscall.SIGSTOP)
				state = e.k.waitState('T', 5*time.Second)
				start = time.Now()
			}})
		took := time.Since(start)
		e.k.signal(syscall.SIGCONT)
		if state != "T" {
			t.Fatalf("Kensa is in state %q after SIGSTOP, want T (stopped)", state)
		}
		t.Logf("%s, Kensa stopped (SIGSTOP), milter_content_timeout 3s / R:10s: %v after %v", mta, r, took.Round(time.Millisecond))
		if r.Stage != "eod" || r.line() != mtaTempFail(mta) {
			t.Errorf("got %v, want the MTA's own %q at end of DATA", r, mtaTempFail(mta))
		}
		// Postfix: milter_content_timeout (3s). Sendmail: whichever of R:
		// (10s, waiting for a reply to a header or body chunk) and E: ends first.
		if took > 20*time.Second {
			t.Errorf("took %v, want about the MTA's timeout", took)
		}
		e.expectNothing(token, rcpt)
	})
	if mta == "sendmail" {
		// R: below the scan time: Kensa's progress messages (every second)
		// keep Sendmail reading, so Kensa's own timeout still decides. R:3s
		// leaves room for a late progress message on a loaded machine.
		t.Run("R: below scan_timeout, E: above", func(t *testing.T) {
			sm := startSendmail(t, e.sk.Port, sendmailOpts{milterPort: e.k.Port, filterTimeouts: "C:10s;S:10s;R:3s;E:30s"})
			e := e.in(t)
			e.sm, e.Addr = sm, sm.Addr
			dumpOnFailure(t, "sendmail (R:3s) log", sm.log)
			token := newToken("relread")
			rcpt := rcptFor(token, 1)
			start := time.Now()
			r := e.send(slowMessage(token), rcpt)
			took := time.Since(start)
			t.Logf("sendmail, scan_timeout 5s, R:3s E:30s: %v after %v", r, took.Round(time.Millisecond))
			if !strings.HasPrefix(r.line(), replyKensaTempFail) || took < 4*time.Second {
				t.Errorf("got %v after %v, want Kensa's own %q… after its 5s", r, took, replyKensaTempFail)
			}
			e.expectNothing(token, rcpt)
		})
	}
}

// brokenRule does not compile: line 7 uses an identifier that does not exist.
const brokenRule = `rule Kensa_Test_Broken
{
    strings:
        $a = "broken"
    condition:
        $a and
        no_such_identifier
}
`

func faultReloadBroken(t *testing.T, mta string) {
	e := newEnv(t, mta, envOpts{})

	// Mail flows: clean and EICAR messages one after another.
	type sent struct {
		token, rcpt string
		eicar       bool
		r           smtpResult
	}
	var (
		mu    sync.Mutex
		flow  []sent
		stop  = make(chan struct{})
		flows sync.WaitGroup
	)
	flows.Add(1)
	go func() {
		defer flows.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			s := sent{token: newToken("flow"), eicar: i%2 == 1}
			s.rcpt = rcptFor(s.token, 1)
			msg := buildMessage(s.token, fmt.Sprintf("flow %d", i), nil, "x")
			if s.eicar {
				msg = buildMessage(s.token, fmt.Sprintf("flow %d", i), nil, "x", eicarAttachment())
			}
			s.r = e.send(msg, s.rcpt)
			mu.Lock()
			flow = append(flow, s)
			mu.Unlock()
		}
	}()
	sentSoFar := func() int { mu.Lock(); defer mu.Unlock(); return len(flow) }

	eventually(10*time.Second, func() bool { return sentSoFar() >= 4 })
	e.k.writeRule("broken.yar", brokenRule)
	e.k.signal(syscall.SIGHUP)
	if !e.k.waitLog(10*time.Second, "reload failed") {
		t.Errorf("no \"reload failed\" in Kensa's log after SIGHUP with a broken rule")
	}
	before := sentSoFar()
	eventually(10*time.Second, func() bool { return sentSoFar() >= before+6 })
	close(stop)
	flows.Wait()

	logText := e.k.log.String()
	if !regexp.MustCompile(`broken\.yar("? line=|:)7\b`).MatchString(logText) {
		t.Errorf("Kensa's log does not name broken.yar line 7")
	}
	var clean, eicar int
	for i, s := range flow {
		switch {
		case s.eicar && s.r.Stage == "eod" && s.r.Code == 550:
			eicar++
		case !s.eicar && s.r.accepted():
			clean++
		default:
			t.Errorf("message %d (eicar=%t) during the reload: %v", i, s.eicar, s.r)
		}
	}
	for _, s := range flow {
		if !s.eicar && s.r.accepted() {
			e.expectDelivered(s.token, 1, s.rcpt)
		}
		if s.eicar {
			e.expectNothing(s.token, s.rcpt)
		}
	}
	t.Logf("during the failed reload: %d clean delivered, %d EICAR rejected", clean, eicar)
	if eicar == 0 || flow[len(flow)-1].r.Code == 0 {
		t.Errorf("flow did not cover the reload: %d messages", len(flow))
	}

	// A good reload after that takes effect: fix the directory, add a rule.
	if err := os.Remove(e.k.rulesDir + "/broken.yar"); err != nil {
		t.Fatal(err)
	}
	e.k.writeRule("new.yar", strings.ReplaceAll(strings.ReplaceAll(testRules[:strings.Index(testRules, "rule Kensa_Test_Tag")],
		"Kensa_Test_Quarantine", "Kensa_Test_New"), quarantineToken, "KENSA-TEST-NEWRULE"))
	e.k.signal(syscall.SIGHUP)
	if !e.k.waitLog(10*time.Second, "reloaded config and rules") {
		t.Fatalf("no successful reload in Kensa's log")
	}
	token := newToken("newrule")
	rcpt := rcptFor(token, 1)
	if r := e.send(buildMessage(token, "new rule", nil, "KENSA-TEST-NEWRULE"), rcpt); !r.accepted() {
		t.Fatalf("%v", r)
	}
	if !eventually(10*time.Second, func() bool { return len(e.held(rcpt)) == 1 }) {
		t.Errorf("a message matching the reloaded rule set was not held")
	}
}
