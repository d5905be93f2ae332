//go:build integration

package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The configuration lines and commands of docs/postfix.md and
// docs/sendmail.md. The harness uses exactly these (with the test's ports,
// paths and the private instance's -c/-C flag substituted), and
// TestDocsShowWhatTheSuiteRuns checks that the docs still contain them.
const (
	// main.cf, inet socket.
	pfMainCfLines = `smtpd_milters = inet:127.0.0.1:8898
non_smtpd_milters = inet:127.0.0.1:8898
milter_default_action = tempfail
milter_protocol = 6
milter_content_timeout = 300s`

	// main.cf, unix socket inside Postfix's queue directory (the chroot).
	pfMainCfUnix = `smtpd_milters = unix:kensa/kensa.sock
non_smtpd_milters = unix:kensa/kensa.sock`

	// The socket directory: setgid, so the socket Kensa creates belongs to
	// group postfix.
	cmdSocketDir = "install -d -o kensa -g postfix -m 2750 /var/spool/postfix/kensa"

	// kensa.yaml for that socket.
	kensaYAMLUnix = `listen: unix:/var/spool/postfix/kensa/kensa.sock
socket_mode: "0660"`

	// kensa.yaml: quarantined mail is held by the MTA (Kensa's default,
	// store, keeps it in Kensa's own store instead).
	kensaYAMLHold = `quarantine:
  mode: hold`

	// kensa.yaml: monitor mode, the first step with real mail.
	kensaYAMLMonitor = `policy:
  monitor: true`

	// main.cf: how long mail waits for the server behind Postfix.
	pfQueueLifetime = `maximal_queue_lifetime = 10d
bounce_queue_lifetime = 10d`

	cmdPostfixReload    = "postfix reload"
	cmdPostqueueJSON    = "postqueue -j"
	cmdPostsuperRelease = "postsuper -H QUEUEID"
	cmdPostqueueFlush   = "postqueue -f"
	cmdPostsuperDelete  = "postsuper -d QUEUEID"

	// sendmail.mc: inet, and the unix socket `make install` configures.
	smMilterLine     = "INPUT_MAIL_FILTER(`kensa', `S=inet:8898@127.0.0.1, F=T, T=C:10s;S:10s;R:10s;E:5m')"
	smMilterLineUnix = "INPUT_MAIL_FILTER(`kensa', `S=unix:/run/kensa/kensa.sock, F=T, T=C:10s;S:10s;R:10s;E:5m')"

	// sendmail.mc: how long mail waits for the server behind Sendmail, and
	// when its sender is told it is late.
	smQueueReturn = "define(`confTO_QUEUERETURN', `10d')"
	smQueueWarn   = "define(`confTO_QUEUEWARN', `4h')"

	cmdSmMailq          = "mailq"
	cmdSmBuildCf        = "m4 -D_CF_DIR_=/usr/share/sendmail/cf/ /usr/share/sendmail/cf/m4/cf.m4 sendmail.mc > sendmail.cf"
	cmdSmListQuarantine = "mailq -qQ"
	cmdSmRelease        = "sendmail -qQ -qIQUEUEID -Q"
	cmdSmRunQueue       = "sendmail -q -qIQUEUEID"

	// Both docs.
	cmdKensaConfigCheck = "kensa config check /etc/kensa/kensa.yaml"

	// What senders and admins see; the tests assert these.
	replyReject             = "550 5.7.1 Message rejected by content filter (ref "
	replyKensaTempFail      = "451 4.7.1 Message could not be scanned, try again later (ref "
	replyPostfixMilterDown  = "451 4.7.1 Service unavailable - try again later"
	replySendmailMilterDown = "451 4.3.2 Please try again later"
	pfQueueHold             = `"queue_name": "hold"`
	pfLogHold               = "milter triggers HOLD action"
	pfLogReject             = "milter-reject: END-OF-MESSAGE from"
	smQuarantineLine        = "QUARANTINE: kensa: quarantined, ref "
)

// hostSteps are the docs' commands that change the machine (make install,
// systemd, the distribution's own rebuild): the suite does not run them
// (dist/ has its own tests of the unit and of make install). Everything else in a sh block must be a command the
// suite runs.
var hostSteps = []string{
	"make install",
	"systemctl enable --now kensa",
	"systemctl reload kensa",
	"install -D -m 0644 /usr/local/share/doc/kensa/postfix-chroot.conf /etc/systemd/system/kensa.service.d/postfix-chroot.conf",
	"systemctl daemon-reload",
	"systemctl restart kensa",
	"make -C /etc/mail",
	"systemctl restart sendmail",
}

// testDomains get an /etc/hosts line in Sendmail's namespace.
var testDomains = []string{"example.test", "sender.test", "client.test"}

// docLines splits a block of doc lines.
func docLines(block string) []string {
	var out []string
	for _, l := range strings.Split(block, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// docCommand turns a documented command into argv: the private instance's
// config flag goes after the program name, and repl (pairs old, new)
// replaces words: a whole argument ("kensa" → "nobody"), a path anywhere in
// an argument ("/var/spool/postfix" → the test's queue directory) or an
// upper-case placeholder inside an argument ("QUEUEID").
func docCommand(cmd string, conf []string, repl ...string) []string {
	fields := strings.Fields(cmd)
	for i := range fields {
		for j := 0; j+1 < len(repl); j += 2 {
			old, new := repl[j], repl[j+1]
			switch {
			case fields[i] == old:
				fields[i] = new
			case strings.HasPrefix(old, "/"):
				fields[i] = strings.ReplaceAll(fields[i], old, new)
			case old == strings.ToUpper(old) && !strings.HasPrefix(old, "/"):
				fields[i] = strings.ReplaceAll(fields[i], old, new)
			}
		}
	}
	return append(append([]string{fields[0]}, conf...), fields[1:]...)
}

// How Kensa is started (dist/systemd/kensa.service's ExecStart, minus the
// path).
const cmdKensaServe = "kensa serve --config /etc/kensa/kensa.yaml"

// docFiles are the admin guides and what each must show.
var docFiles = map[string][]string{
	"../docs/postfix.md": flat(docLines(pfMainCfLines), docLines(pfMainCfUnix), docLines(kensaYAMLUnix), docLines(pfQueueLifetime),
		[]string{kensaYAMLHold, kensaYAMLMonitor, cmdSocketDir, cmdPostfixReload, cmdPostqueueJSON, cmdPostsuperRelease,
			cmdPostqueueFlush, cmdPostsuperDelete, cmdKensaConfigCheck,
			replyReject, replyKensaTempFail, replyPostfixMilterDown, pfQueueHold, pfLogHold, pfLogReject}),
	"../docs/sendmail.md": {smMilterLine, smMilterLineUnix, smQueueReturn, smQueueWarn, cmdSmMailq, kensaYAMLHold, kensaYAMLMonitor, cmdSmBuildCf,
		cmdSmListQuarantine, cmdSmRelease, cmdSmRunQueue, cmdKensaConfigCheck,
		replyReject, replyKensaTempFail, replySendmailMilterDown, smQuarantineLine},
}

func flat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// TestDocsShowWhatTheSuiteRuns: the docs contain the lines the suite uses.
func TestDocsShowWhatTheSuiteRuns(t *testing.T) {
	count(t)
	for path, want := range docFiles {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s does not show %q, which the suite uses", path, w)
			}
		}
	}
}

// docBlock is one fenced code block of a doc.
type docBlock struct {
	lang, text string
	line       int
}

func docBlocks(doc string) []docBlock {
	var out []docBlock
	var cur *docBlock
	for i, l := range strings.Split(doc, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(l, "```"):
			cur = &docBlock{lang: strings.TrimPrefix(l, "```"), line: i + 1}
		case cur != nil && l == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.text += l + "\n"
		}
	}
	return out
}

// TestDocsShowNothingElse: every configuration line and command in the
// docs' code blocks is one the suite uses (or a listed host step), and
// every YAML block passes `kensa config check`.
func TestDocsShowNothingElse(t *testing.T) {
	count(t)
	if kensaBuildErr != nil {
		t.Fatalf("no kensa binary: %v", kensaBuildErr)
	}
	known := map[string][]string{
		"main.cf":     flat(docLines(pfMainCfLines), docLines(pfMainCfUnix), docLines(pfQueueLifetime)),
		"sendmail.mc": {smMilterLine, smMilterLineUnix, smQueueReturn, smQueueWarn},
		"sh": flat(hostSteps, []string{cmdKensaConfigCheck, cmdSocketDir, cmdPostfixReload, cmdPostqueueJSON,
			cmdPostsuperRelease, cmdPostqueueFlush, cmdPostsuperDelete, cmdSmBuildCf, cmdSmListQuarantine,
			cmdSmRelease, cmdSmRunQueue, cmdSmMailq}),
	}
	dir := t.TempDir()
	for path := range docFiles {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		blocks := docBlocks(string(b))
		if len(blocks) == 0 {
			t.Errorf("%s: no code blocks", path)
		}
		for n, blk := range blocks {
			where := fmt.Sprintf("%s:%d", path, blk.line)
			switch blk.lang {
			case "main.cf", "sendmail.mc", "sh":
				for _, l := range docLines(blk.text) {
					if !slices.Contains(known[blk.lang], l) {
						t.Errorf("%s: %s line %q is not one the suite uses", where, blk.lang, l)
					}
				}
			case "yaml":
				file := filepath.Join(dir, fmt.Sprintf("block%d.yaml", n))
				os.WriteFile(file, []byte(blk.text), 0o644)
				args := docCommand(cmdKensaConfigCheck, nil, "/etc/kensa/kensa.yaml", file)
				if out, err := runCmd(time.Minute, kensaBin, args[1:]...); err != nil {
					t.Errorf("%s: kensa config check: %v\n%s", where, err, out)
				}
			default:
				t.Errorf("%s: code block of kind %q: mark it main.cf, sendmail.mc, sh or yaml so it is checked", where, blk.lang)
			}
		}
	}
}
