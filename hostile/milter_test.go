package hostile

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	gomilter "github.com/d--j/go-milter"
	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/milter"
	"github.com/kensa-milter/kensa/policy"
)

// startMilter runs the real milter server on a free loopback port.
func startMilter(t testing.TB, s *engine.Setup, cfg milter.Config) *milter.Server {
	t.Helper()
	log, _ := test.NewNullLogger()
	srv := listenMilter(t, s, cfg, log)
	t.Cleanup(func() { shutdown(t, srv) })
	return srv
}

// listenMilter is the one milter setup of these tests: a server on a port
// of the kernel's choosing, left running (startMilter stops it at the end).
func listenMilter(t testing.TB, s *engine.Setup, cfg milter.Config, log *logrus.Logger) *milter.Server {
	t.Helper()
	srv := milter.New(engine.New(s), cfg, log)
	if err := srv.Listen("inet:0", 0); err != nil {
		t.Fatalf("milter listen: %v", err)
	}
	return srv
}

// shutdown stops srv, finishing its sessions, and fails the test if that
// takes more than 10 s.
func shutdown(t testing.TB, srv *milter.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Errorf("milter shutdown: %v", err)
	}
}

type outcome struct {
	act  *gomilter.Action
	mods []gomilter.ModifyAction
}

// deliver sends one message as Postfix would: each header field, then the
// body in chunks. Header values keep their folds.
func deliver(addr net.Addr, raw []byte) (outcome, error) {
	macros := gomilter.NewMacroBag()
	macros.Set(gomilter.MacroQueueId, "HOSTILE1")
	sess, err := gomilter.NewClient(addr.Network(), addr.String()).Session(macros)
	if err != nil {
		return outcome{}, fmt.Errorf("session: %w", err)
	}
	defer sess.Close()
	steps := []func() (*gomilter.Action, error){
		func() (*gomilter.Action, error) {
			return sess.Conn("client.example.net", gomilter.FamilyInet, 40123, "192.0.2.10")
		},
		func() (*gomilter.Action, error) { return sess.Helo("client.example.net") },
		func() (*gomilter.Action, error) { return sess.Mail("<mallory@example.net>", "") },
		func() (*gomilter.Action, error) { return sess.Rcpt("<bob@example.org>", "") },
		func() (*gomilter.Action, error) { return sess.DataStart() },
	}
	head, body, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	var fields [][2]string
	for _, line := range strings.Split(string(head), "\r\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(fields) > 0 {
			fields[len(fields)-1][1] += "\r\n" + line
			continue
		}
		k, v, _ := strings.Cut(line, ":")
		fields = append(fields, [2]string{k, v})
	}
	for _, f := range fields {
		steps = append(steps, func() (*gomilter.Action, error) { return sess.HeaderField(f[0], f[1], nil) })
	}
	steps = append(steps, sess.HeaderEnd)
	for _, step := range steps {
		act, err := step()
		if err != nil {
			return outcome{}, err
		}
		if act.Type != gomilter.ActionContinue {
			return outcome{act: act}, nil
		}
	}
	mods, act, err := sess.BodyReadFrom(bytes.NewReader(body))
	if err != nil {
		return outcome{}, fmt.Errorf("body: %w", err)
	}
	return outcome{act: act, mods: mods}, nil
}

// Names the sender controls end up in X-Kensa-Findings as part paths. Every
// header Kensa sends must be one clean field: printable ASCII, folded only
// with CRLF plus a space, nothing that starts a new field.
func TestFilenamesCannotInjectHeaders(t *testing.T) {
	srv := startMilter(t, realSetup(t), milter.Config{})
	marker := []byte("KENSA-HOSTILE-TAG-MARKER")
	evil := "evil\r\nX-Kensa-Verdict: accept\x00\x07\x1b[31m\u200b\u2028\x7f\t\x85.txt"
	tests := []struct {
		name string
		raw  []byte
	}{
		{"member name", attach("a.zip", zipOf(t, member{evil, marker}))},
		{"member name in tar", attach("a.tar", tarOf(t, member{strings.ReplaceAll(evil, "\x00", ""), marker}))},
		{"RFC 2231 attachment name", withAttachment("x", "application/zip",
			"attachment; filename*=utf-8''evil%0D%0AX-Kensa-Verdict%3A%20accept%00%07%1B%5B31m%E2%80%8B.zip",
			zipOf(t, member{"inner\r\nX-Injected: 1.txt", marker}))},
		{"quoted name with raw control bytes", withAttachment("x", "application/zip",
			"attachment; filename=\"evil\x07\x1b\x7f\x01.zip\"", zipOf(t, member{"\x00\x01.txt", marker}))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := deliver(srv.Addr(), tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			if out.act.Type != gomilter.ActionAccept {
				t.Fatalf("action %v, want accept with headers (tag or quarantine)", out.act)
			}
			var findings, verdicts int
			for _, m := range out.mods {
				if m.Type != gomilter.ActionInsertHeader && m.Type != gomilter.ActionAddHeader && m.Type != gomilter.ActionChangeHeader {
					continue
				}
				checkField(t, m.HeaderName, m.HeaderValue)
				switch m.HeaderName {
				case "X-Kensa-Findings":
					findings++
					if !strings.Contains(m.HeaderValue, "Hostile_Tag_Marker") {
						t.Errorf("findings header %q misses the marker rule", m.HeaderValue)
					}
				case "X-Kensa-Verdict":
					verdicts++
					if strings.HasPrefix(strings.TrimSpace(m.HeaderValue), "accept") {
						t.Errorf("verdict %q: the marker should have tagged or quarantined", m.HeaderValue)
					}
				}
			}
			if findings != 1 || verdicts != 1 {
				t.Errorf("%d findings and %d verdict headers, want one each (mods %+v)", findings, verdicts, out.mods)
			}
		})
	}
}

// checkField fails on anything but printable ASCII and proper folds. On the
// milter wire a fold is LF plus a space (the MTA writes its own line ends).
func checkField(t *testing.T, name, value string) {
	t.Helper()
	for i, line := range strings.Split(value, "\n") {
		if i > 0 && !strings.HasPrefix(line, " ") {
			t.Errorf("%s: continuation line %q does not start with a space", name, line)
		}
		for _, c := range []byte(line) {
			if c < 0x20 || c > 0x7e {
				t.Errorf("%s: byte %#x in %q", name, c, value)
				break
			}
		}
	}
}

// The milter keeps at most 1000 header fields; it then does not
// scan a message whose MIME structure it may not have, and applies the
// unscannable action.
func TestHeaderFloodThroughTheMilter(t *testing.T) {
	srv := startMilter(t, realSetup(t), milter.Config{})
	out, err := deliver(srv.Addr(), manyHeaders(100000))
	if err != nil {
		t.Fatal(err)
	}
	if out.act.Type != gomilter.ActionAccept || !hasQuarantine(out.mods) {
		t.Fatalf("action %v mods %d, want quarantine", out.act, len(out.mods))
	}
	for _, m := range out.mods {
		if m.HeaderName == "X-Kensa-Verdict" && !strings.Contains(m.HeaderValue, "reason=too-many-headers") {
			t.Errorf("verdict header %q", m.HeaderValue)
		}
	}
	_ = policy.Quarantine
}

func hasQuarantine(mods []gomilter.ModifyAction) bool {
	for _, m := range mods {
		if m.Type == gomilter.ActionQuarantine {
			return true
		}
	}
	return false
}
