package heuristic

import (
	"testing"

	"github.com/kensa-milter/kensa/message"
)

// signedRoot is m with its parts moved inside an opaque-signed root
// (smime.p7m), as message.Parse gives such a mail: the .p7m at "1", its
// entity's parts below it at the top depth (message's TestOpaqueSignedSMIME
// reads the shape from OpenSSL's own output).
func signedRoot(m *message.Message) *message.Message {
	p7m := part("1", []byte("0\x80\x06\x09*\x86H\x86\xf7\x0d\x01\x07\x02"), named("smime.p7m"), declared("application/pkcs7-mime"), container())
	p7m.Signed = true
	parts := []*message.Part{p7m}
	for _, p := range m.Parts {
		q := *p
		q.Path = "1/" + p.Path
		parts = append(parts, &q)
	}
	m.Parts = parts
	return m
}

// TestSignedRootIsTheBody: the text an opaque-signed mail carries is the
// body its reader sees, so every check that reads a body reads it (before,
// each took it for an attachment's and the lure went through).
func TestSignedRootIsTheBody(t *testing.T) {
	longCodeTime(t)
	s := newScanner(t)
	for _, tc := range []struct {
		check string
		m     *message.Message
		part  string
	}{
		{"document-share-lure", body(`<p>Jo Smith shared a file with you</p><a href="https://docview-portal.example.org/x">View Document</a>`), "1/1"},
		{"account-lure-link", sentBy("it@helpdesk-mail.test", body(`<p>Your password expires today.</p><p><a href="https://mail-keep.example.org/owa/">Keep my password</a></p>`)), "1/1"},
		{"callback-phishing", msg(text("1", "this is Mark from Norton billing. Your Norton 360 subscription renewed today and $499.99 was charged to your card.\nIf you did not authorize this, call me at 1-808-555-0199 so I can cancel it and refund you.", declared("text/plain"))), "1/1"},
		{"clickfix-instructions", body(`<p>Verify you are human: press Windows + R, then press Ctrl + V and Enter.</p>`), "1/1"},
		// An attachment stays one: its text is no body.
		{"document-share-lure", msg(text("1", "see the file", declared("text/plain")), htmlPart("2", `<p>Jo Smith shared a file with you</p><a href="https://docview-portal.example.org/x">View Document</a>`, named("notes.html"))), ""},
	} {
		t.Run(tc.check+" "+tc.part, func(t *testing.T) {
			plain := find(scan(t, s, tc.m), tc.check)
			signed := find(scan(t, s, signedRoot(tc.m)), tc.check)
			switch {
			case tc.part == "" && signed != nil:
				t.Errorf("unexpected %s on %s: %s", tc.check, signed.Part, signed.Detail)
			case tc.part != "" && (plain == nil || signed == nil || signed.Part != tc.part):
				t.Errorf("unsigned %+v, signed %+v; want %s on %s", plain, signed, tc.check, tc.part)
			}
		})
	}
}
