package unpack

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// What msgconvert (Email::Outlook::Message, an independent .msg reader,
// from scripts/deps.sh test) makes of a .msg, Kensa reads too: every
// attachment it shows, under a name Kensa checks, and every body. It also
// proves that formats.MsgBytes writes files another reader opens.
func TestMsgconvertSeesNothingKensaMisses(t *testing.T) {
	msgconvert, err := exec.LookPath("msgconvert")
	if err != nil {
		t.Fatalf("msgconvert not found (scripts/deps.sh test installs libemail-outlook-message-perl): %v", err)
	}
	inner := &formats.Msg{Subject: "Inner", Body: "inner body\r\n",
		Attachments: []formats.MsgAttachment{{LongName: "setup.exe", Data: []byte("MZ stand-in for a program")}}}
	m := formats.Msg{Subject: "Outer", SenderName: "Sender", SenderEmail: "sender@example.com", CodePage: 1252,
		Body: "plain body https://plain.example/\r\n",
		HTML: []byte(`<html><body><a href="https://html.example/">x</a></body></html>`),
		RTF:  []byte(`{\rtf1\ansi\fromhtml1 {\*\htmltag <a href="https://rtf.example/">}x{\*\htmltag </a>}}`),
		Attachments: []formats.MsgAttachment{
			{LongName: "invoice.pdf.js", Name: "INVOIC~1.JS", DisplayName: "invoice.pdf", MIMETag: "application/pdf", Data: []byte("var a = 1;\r\n")},
			{Name: "short.vbs", Data: []byte("WScript.Echo 1\r\n")},
			{DisplayName: "Inner", Method: 5, Embedded: inner},
		}}
	b := formats.MsgBytes(m)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "x.msg"), filepath.Join(dir, "x.eml")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(msgconvert, "--outfile", out, in)
	cmd.Dir = dir
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("msgconvert: %v\n%s", err, o)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	shown, err := message.Parse(raw)
	if err != nil {
		t.Fatalf("msgconvert's message: %v", err)
	}
	k := mail("", "", "x.msg", b)
	expand(t, k, Options{})
	noProblems(t, k)
	if len(shown.Parts) < 6 {
		t.Fatalf("msgconvert shows %d parts, want the 3 bodies and 3 attachments", len(shown.Parts))
	}
	for _, s := range shown.Parts {
		if s.DeclaredType == "message/rfc822" {
			continue // the embedded message: its parts follow
		}
		content := bytes.TrimRight(s.Content, "\r\n")
		var match []string
		for _, p := range k.Parts[2:] {
			if bytes.Equal(bytes.TrimRight(p.Content, "\r\n"), content) {
				match = append(match, p.Path)
				if s.Filename != "" && s.Filename != p.Filename && !slices.Contains(p.AltNames, s.Filename) {
					t.Errorf("msgconvert names %q, Kensa's %s is %q %q", s.Filename, p.Path, p.Filename, p.AltNames)
				}
			}
		}
		if len(match) == 0 {
			t.Errorf("msgconvert shows %q (%s, %d bytes) that Kensa did not read; Kensa has:\n%s", s.Filename, s.DeclaredType, len(s.Content), dump(k))
		}
	}
}
