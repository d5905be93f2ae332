package unpack

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// msgSenderCases are .msg files and the sender block Kensa writes for
// each: what Outlook shows as From (and Sender when one sent for another).
var msgSenderCases = []struct {
	name string
	m    formats.Msg
	want string
}{
	{"sender", formats.Msg{SenderName: "PayPal", SenderEmail: "x@evil.example"}, "From: \"PayPal\" <x@evil.example>\r\n"},
	{"quotes and breaks in the name", formats.Msg{SenderName: "PayPal \"Service\"\r\nSender: a@b.example\\", SenderEmail: "x@evil.example"},
		"From: \"PayPal \\\"Service\\\"  Sender: a@b.example\\\\\" <x@evil.example>\r\n"},
	{"Exchange's X.500 name, SMTP address beside it", formats.Msg{SenderName: "Jo", SenderEmail: "/O=EXCHANGELABS/OU=X/CN=JO", SenderSMTP: "jo@acme.example"},
		"From: \"Jo\" <jo@acme.example>\r\n"},
	{"X.500 name alone", formats.Msg{SenderName: "Jo", SenderEmail: "/O=EXCHANGELABS/OU=X/CN=JO"}, "From: \"Jo\"\r\n"},
	{"on behalf of", formats.Msg{SenderName: "Assistant", SenderEmail: "as@acme.example", FromName: "PayPal Security", FromEmail: "ceo@evil.example"},
		"From: \"PayPal Security\" <ceo@evil.example>\r\nSender: \"Assistant\" <as@acme.example>\r\n"},
	{"a name only", formats.Msg{SenderName: "security@paypal.com"}, "From: \"security@paypal.com\"\r\n"},
	{"an address only", formats.Msg{SenderEmail: "jo@acme.example"}, "From: <jo@acme.example>\r\n"},
	{"an address with brackets", formats.Msg{SenderName: "Jo", SenderEmail: "jo@acme.example> <x@evil.example"}, "From: \"Jo\" <jo@acme.example> <x@evil.example>\r\n"},
	{"a line break in the address", formats.Msg{SenderName: "Jo", SenderEmail: "jo@acme.example\r\nReply-To: x@evil.example"}, "From: \"Jo\" <jo@acme.example  Reply-To: x@evil.example>\r\n"},
	{"nobody", formats.Msg{}, ""},
}

// Who an Outlook message is from becomes a header block member
// (text/rfc822-headers), as its transport headers do.
func TestMsgSender(t *testing.T) {
	for _, c := range msgSenderCases {
		c.m.Subject, c.m.Body = "Notice", "Please read."
		c.m.Headers = "Received: from mx.example.com\r\n"
		msg := mail("", "", "x.msg", msgMail(c.m))
		expand(t, msg, Options{})
		noProblems(t, msg)
		var got *message.Part
		for _, p := range msg.Parts {
			if p.Path == "2/x.msg/sender.txt" {
				got = p
			}
		}
		switch {
		case c.want == "" && got != nil:
			t.Errorf("%s: sender block %q", c.name, got.Content)
		case c.want != "" && got == nil:
			t.Errorf("%s: no sender block; parts:\n%s", c.name, dump(msg))
		case got != nil && (string(got.Content) != c.want || got.DeclaredType != filetype.RFC822Headers):
			t.Errorf("%s: sender block %q (%s), want %q", c.name, got.Content, got.DeclaredType, c.want)
		}
		if h := mustPart(t, msg, "2/x.msg/headers.txt"); h.DeclaredType != filetype.RFC822Headers {
			t.Errorf("%s: transport headers declared %q", c.name, h.DeclaredType)
		}
	}
	// Without transport headers the sender block is still sender.txt.
	msg := mail("", "", "x.msg", msgMail(formats.Msg{Subject: "Notice", SenderName: "PayPal", SenderEmail: "x@evil.example"}))
	expand(t, msg, Options{})
	if p := mustPart(t, msg, "2/x.msg/sender.txt"); string(p.Content) != "From: \"PayPal\" <x@evil.example>\r\n" {
		t.Errorf("sender block %q", p.Content)
	}
}

// msgconvert (Email::Outlook::Message, an independent .msg reader) writes
// the sender it reads as the From of the message it makes: the address it
// shows is one Kensa's sender block has, and each word of the name too.
// (msgconvert reads PR_SENDER_* only; Outlook shows the represented sender,
// which Kensa's block has as From, with the sender as Sender.)
func TestMsgSenderAgreesWithMsgconvert(t *testing.T) {
	msgconvert, err := exec.LookPath("msgconvert")
	if err != nil {
		t.Fatalf("msgconvert not found (scripts/deps.sh test installs libemail-outlook-message-perl): %v", err)
	}
	for _, c := range msgSenderCases {
		if c.want == "" {
			continue
		}
		c.m.Subject, c.m.Body = "Notice", "Please read."
		dir := t.TempDir()
		in, out := filepath.Join(dir, "x.msg"), filepath.Join(dir, "x.eml")
		if err := os.WriteFile(in, msgMail(c.m), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(msgconvert, "--outfile", out, in)
		cmd.Dir = dir
		if o, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: msgconvert: %v\n%s", c.name, err, o)
		}
		raw, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		shown, err := message.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if len(shown.Origin.From) != 1 {
			t.Fatalf("%s: msgconvert wrote From %q", c.name, shown.Origin.From)
		}
		theirs := shown.From
		for _, w := range strings.FieldsFunc(theirs, func(r rune) bool { return strings.ContainsRune(" <>\"\\\r\n", r) }) {
			if strings.HasPrefix(w, "/O=") {
				continue // Exchange's X.500 name: Kensa takes the SMTP address beside it
			}
			if !strings.Contains(c.want, w) {
				t.Errorf("%s: msgconvert shows %q, Kensa's block %q lacks %q", c.name, theirs, c.want, w)
			}
		}
	}
}
