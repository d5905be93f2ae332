package milter

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/policy"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/mods.golden from the current code")

// Action and modification types are go-milter's numbers (gomilter.ActionAccept
// is 1, ActionInsertHeader 3 and so on).

// TestModificationsGolden pins the exact replies and header changes the
// MTA gets for a range of headers and verdicts (testdata/mods.golden). The
// file was first written by the go-milter mailfilter version of this
// package, so the session code that replaced it must send the same
// changes: MTAs apply header indexes literally.
func TestModificationsGolden(t *testing.T) {
	srv, _ := start(t, setup(policy.Default(), yaraScanner(t)), Config{SubjectPrefix: "[SUSPICIOUS] ", Hostname: "mx1.example.org"}, "inet:0@127.0.0.1")
	const tag = "KENSA-TEST-TAG-MARKER\r\n"
	hdr := func(fields ...string) string { return strings.Join(fields, "\r\n") + "\r\n\r\n" }
	cases := []struct{ name, raw string }{
		{"clean", hdr("From: a@example.com", "To: b@example.org", "Subject: Hello") + "hi\r\n"},
		{"clean, one field", hdr("Subject: Hello") + "hi\r\n"},
		{"clean, forged fields", hdr("X-Kensa-Verdict: accept; score=0; ref=forged", "From: a@example.com", "x-kensa-findings: none", "Subject: Hi", "X-KENSA-VERDICT: accept", "X-Kensa-Other: 1") + "hi\r\n"},
		{"tag", hdr("From: a@example.com", "Subject: Hello", "To: b@example.org") + tag},
		{"tag, prefixed", hdr("Subject: [SUSPICIOUS] Hello") + tag},
		{"tag, prefixed without space", hdr("Subject: [SUSPICIOUS]Hello") + tag},
		{"tag, two subjects", hdr("Subject: one", "Subject: two") + tag},
		{"tag, no subject", hdr("From: a@example.com") + tag},
		{"tag, empty subject", hdr("From: a@example.com", "Subject:") + tag},
		{"tag, folded subject", hdr("Subject: a long", "\tsubject line") + tag},
		{"tag, encoded subject", hdr("Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=") + tag},
		{"tag, unknown charset", hdr("Subject: =?x-klingon?q?abc?=") + tag},
		{"tag, raw utf-8 subject", hdr("Subject: Grüße aus Köln") + tag},
		{"tag, lower-case subject name", hdr("subject: hello") + tag},
		{"tag, forged fields", hdr("X-Kensa-Verdict: clean", "Subject: Hi", "X-Kensa-Findings: none") + tag},
		{"quarantine", hdr("From: a@example.com", "Subject: Report") + "KENSA-TEST-QUARANTINE-MARKER\r\n"},
		{"reject", hdr("Subject: Invoice") + "KENSA-TEST-REJECT-MARKER\r\n"},
		{"discard", hdr("Subject: x") + "KENSA-TEST-DISCARD-MARKER\r\n"},
	}
	refs := regexp.MustCompile(`ref[= ][a-z0-9]+`)
	var out strings.Builder
	for _, c := range cases {
		r := send(t, srv.Addr(), mail{from: "a@example.com", rcpts: []string{"b@example.org"}, raw: []byte(c.raw)})
		fmt.Fprintf(&out, "== %s\n", c.name)
		if r.act == nil {
			fmt.Fprintf(&out, "action: none\n")
		} else {
			fmt.Fprintf(&out, "action: %d %d %q\n", r.act.Type, r.act.SMTPCode, refs.ReplaceAllString(r.act.SMTPReply, "ref REF"))
		}
		for _, m := range r.mods {
			fmt.Fprintf(&out, "mod: %d %d %q %q %q\n", m.Type, m.HeaderIndex, m.HeaderName,
				refs.ReplaceAllString(m.HeaderValue, "ref=REF"), refs.ReplaceAllString(m.Reason, "ref REF"))
		}
	}
	path := filepath.Join("testdata", "mods.golden")
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestModificationsGolden -update to write it)", err)
	}
	if got := out.String(); got != string(want) {
		t.Errorf("replies and changes differ from %s:\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines of want and got that differ, position by position.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
