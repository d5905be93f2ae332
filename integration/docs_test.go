//go:build integration

package integration

import (
	"os"
	"strings"
	"testing"
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

	cmdPostqueueJSON    = "postqueue -j"
	cmdPostsuperRelease = "postsuper -H QUEUEID"
	cmdPostqueueFlush   = "postqueue -f"
	cmdPostsuperDelete  = "postsuper -d QUEUEID"

	// sendmail.mc
	smMilterLine = "INPUT_MAIL_FILTER(`kensa', `S=inet:8898@127.0.0.1, F=T, T=C:10s;S:10s;R:10s;E:5m')"

	cmdSmListQuarantine = "mailq -qQ"
	cmdSmRelease        = "sendmail -qQ -qIQUEUEID -Q"
)

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

// docCommand turns a documented command into argv: placeholders replaced
// (pairs old, new) and the private instance's config flag put after the
// program name.
func docCommand(cmd string, conf []string, repl ...string) []string {
	fields := strings.Fields(cmd)
	for i := range fields {
		for j := 0; j+1 < len(repl); j += 2 {
			fields[i] = strings.ReplaceAll(fields[i], repl[j], repl[j+1])
		}
	}
	return append(append([]string{fields[0]}, conf...), fields[1:]...)
}

func TestDocsShowWhatTheSuiteRuns(t *testing.T) {
	count(t)
	docs := map[string][]string{
		"../docs/postfix.md": append(docLines(pfMainCfLines),
			cmdPostqueueJSON, cmdPostsuperRelease, cmdPostqueueFlush, cmdPostsuperDelete),
		"../docs/sendmail.md": {smMilterLine, cmdSmListQuarantine, cmdSmRelease},
	}
	for path, want := range docs {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s does not show %q, which the suite runs", path, w)
			}
		}
	}
}

// How the docs start Kensa (the systemd unit's ExecStart, minus the path).
const cmdKensaServe = "kensa serve --config /etc/kensa/kensa.yaml"
