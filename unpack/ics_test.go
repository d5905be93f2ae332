package unpack

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/urls"
)

// fold writes a content line as RFC 5545 does: 75 octets a line, each
// continuation starting with a space.
func fold(line string) string {
	var b strings.Builder
	for len(line) > 75 {
		b.WriteString(line[:75] + "\r\n ")
		line = line[75:]
	}
	return b.String() + line + "\r\n"
}

// outlookInvite is a meeting as Outlook saves it with its attachments
// ("include attachments within calendar items"): the file inline, folded.
var outlookInvite = "BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n" +
	fold("ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=agenda.js:"+base64.StdEncoding.EncodeToString([]byte("WScript.Shell kensa test "+strings.Repeat("x", 200)))) +
	"ATTACH;FMTTYPE=application/pdf:https://files.example.invalid/agenda.pdf\r\n" +
	"DTSTART:20261210T100000Z\r\nSUMMARY:Budget review\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

func TestCalendarAttachments(t *testing.T) {
	t.Run("Outlook inline attachment", func(t *testing.T) {
		m := mail("", "", "invite.ics", []byte(outlookInvite))
		expand(t, m, Options{})
		noProblems(t, m)
		p := mustPart(t, m, "2/invite.ics/agenda.js")
		if !bytes.HasPrefix(p.Content, []byte("WScript.Shell kensa test xxx")) || len(p.Content) != 225 {
			t.Errorf("agenda.js: %q", p.Content)
		}
		if p := mustPart(t, m, "2/invite.ics/event.txt"); string(p.Content) != "Budget review\n" || p.DeclaredType != urls.EventText {
			t.Errorf("event.txt: %q (%s)", p.Content, p.DeclaredType)
		}
		if len(m.Parts) != 4 {
			t.Errorf("a URI attachment became a member:\n%s", dump(m))
		}
	})
	t.Run("quoted name, lower case, no padding, no name", func(t *testing.T) {
		ics := "\xEF\xBB\xBFbegin:vcalendar\r\nBEGIN:VTODO\r\nattach;x-filename=\"Q3; final.exe\";encoding=base64;value=binary:" +
			base64.RawStdEncoding.EncodeToString([]byte(marker+"!")) + "\r\nATTACH;VALUE=BINARY;ENCODING=BASE64:" + base64.StdEncoding.EncodeToString([]byte(marker)) +
			"\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
		m := mail("", "", "", []byte(ics))
		expand(t, m, Options{})
		noProblems(t, m)
		if p := mustPart(t, m, "2/ics/Q3; final.exe"); string(p.Content) != marker+"!" {
			t.Errorf("Q3; final.exe: %q", p.Content)
		}
		if p := mustPart(t, m, "2/ics/attachment-2"); string(p.Content) != marker {
			t.Errorf("attachment-2: %q", p.Content)
		}
	})
	t.Run("HTML description (X-ALT-DESC)", func(t *testing.T) {
		ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Contract review\r\nDESCRIPTION:\r\nX-ALT-DESC;FMTTYPE=text/html:<html><head><title>t</title></head><body><p>Jo shared a document with you.</p>" +
			"<div style=\"display:none\">hidden words</div><p><a class=b href=\"https://portal.test/v?a=1&amp;b=2\">Review document</a></p><p>Call <b>+1 808</b>\\, 555 0199</p></b\r\n ody></html>\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		m := mail("", "", "invite.ics", []byte(ics))
		expand(t, m, Options{})
		noProblems(t, m)
		want := "Contract review\n\nJo shared a document with you.\nReview document <https://portal.test/v?a=1&b=2>\nCall +1 808, 555 0199\n"
		if p := mustPart(t, m, "2/invite.ics/event.txt"); string(p.Content) != want {
			t.Errorf("event.txt: %q, want %q", p.Content, want)
		}
	})
	t.Run("broken base64", func(t *testing.T) {
		m := mail("", "", "invite.ics", []byte("BEGIN:VCALENDAR\r\nATTACH;ENCODING=BASE64;X-FILENAME=a.js:QU*J\r\nEND:VCALENDAR\r\n"))
		expand(t, m, Options{})
		mustProblem(t, m, ReasonCorrupt, "2")
	})
	t.Run("plain text mentioning a calendar", func(t *testing.T) {
		m := mail("", "", "notes.txt", []byte("Our BEGIN:VCALENDAR notes\r\nATTACH;VALUE=BINARY:QUJD\r\n"))
		expand(t, m, Options{})
		if len(m.Parts) != 2 {
			t.Errorf("opened text that is no calendar:\n%s", dump(m))
		}
	})
	t.Run("event text: folded, escaped, quoted-printable, reminders left out", func(t *testing.T) {
		ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDESCRIPTION:Review the shared contract\\, then call\\; bye\\nline two \\\\server\r\n" +
			fold("LOCATION:"+strings.Repeat("Room ", 20)) + "SUMMARY;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Caf=C3=A9 =\r\nmeeting\r\n" +
			"BEGIN:VALARM\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VTODO\r\nSUMMARY:Second\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
		m := mail("", "", "invite.ics", []byte(ics))
		expand(t, m, Options{})
		noProblems(t, m)
		p := mustPart(t, m, "2/invite.ics/event.txt")
		want := "Café meeting\n" + strings.TrimSpace(strings.Repeat("Room ", 20)) + "\nReview the shared contract, then call; bye\nline two \\server\nSecond\n"
		if string(p.Content) != want {
			t.Errorf("event.txt:\n%q\nwant\n%q", p.Content, want)
		}
	})
	t.Run("quoted-printable attachment", func(t *testing.T) {
		ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTACH;ENCODING=QUOTED-PRINTABLE;X-FILENAME=run.bat:@echo off=0D=0Anotepad=\r\n.exe\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		m := mail("", "", "invite.ics", []byte(ics))
		expand(t, m, Options{})
		noProblems(t, m)
		if p := mustPart(t, m, "2/invite.ics/run.bat"); string(p.Content) != "@echo off\r\nnotepad.exe" {
			t.Errorf("run.bat: %q", p.Content)
		}
	})
}
