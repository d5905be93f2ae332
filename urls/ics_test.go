package urls

import (
	"slices"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

// TestCalendarLinks: a calendar's URI properties are links whatever their
// scheme; its text's URLs are links; an inline file's bytes are not read
// as text; the event text unpack makes is read as a calendar's.
func TestCalendarLinks(t *testing.T) {
	ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" +
		"ATTACH;VALUE=URI:file://203.0.113.7@SSL/DavWWWRoot/Invoice.pdf.lnk\r\n" +
		`URL:\\\\files.share.test@SSL\\DavWWWRoot` + "\r\n" +
		"ATTACH;FMTTYPE=application/octet-stream:search-ms:query=x&crumb=location:\\\\203.0.113.8@SSL\\x\r\n" +
		"DESCRIPTION;ALTREP=\"https://altrep.test/d.html\":Join at https://desc.te\r\n st/j/1\\nbye\r\n" +
		"ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=a.txt:https://inline.test/\r\n" +
		"END:VEVENT\r\nEND:VCALENDAR\r\n"
	var got []string
	for _, u := range Extract(&message.Part{Path: "2", Filename: "invite.ics", Content: []byte(ics)}) {
		if u.Source != SourceICS {
			t.Errorf("%s: source %s", u.Raw, u.Source)
		}
		got = append(got, u.Raw)
	}
	for _, w := range []string{"file://203.0.113.7@SSL/DavWWWRoot/Invoice.pdf.lnk", `\\files.share.test@SSL\DavWWWRoot`,
		`search-ms:query=x&crumb=location:\\203.0.113.8@SSL\x`, "https://altrep.test/d.html", "https://desc.test/j/1"} {
		if !slices.Contains(got, w) {
			t.Errorf("%s missing from %q", w, got)
		}
	}
	if slices.ContainsFunc(got, func(s string) bool { return s == "https://inline.test/" }) {
		t.Errorf("an inline file read as the calendar's text: %q", got)
	}
	ev := Extract(&message.Part{Path: "2/invite.ics/event.txt", DeclaredType: EventText, Content: []byte("Review: https://event.test/x\n")})
	if len(ev) != 1 || ev[0].Source != SourceICS || ev[0].Host != "event.test" {
		t.Errorf("event text: %+v", ev)
	}
}
