package heuristic

import (
	"context"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// invitation is a meeting request from sender whose calendar (inline
// text/calendar, or attached as name) holds the event's lines, opened by
// unpack as a scan opens it.
func invitation(sender, name string, lines ...string) *message.Message {
	ics := "BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nDTSTART:20261210T100000Z\r\n" +
		strings.Join(lines, "\r\n") + "\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	cal := text("2", ics, declared("text/calendar"))
	if name != "" {
		cal.Filename = name
	}
	m := sentBy(sender, msg(text("1", "You have been invited.", declared("text/plain")), cal))
	m.To = "Kenji Sato <kenji@corp.example.jp>"
	unpack.Expand(context.Background(), m, unpack.Options{})
	return m
}

// teamsDialIn is the "Join by phone" of a Teams invitation, its dial-in
// numbers beside a conference ID.
const teamsDialIn = `DESCRIPTION:Microsoft Teams meeting\nJoin on your computer\, mobile app or room device\nClick here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0>\nMeeting ID: 284 915 330 712\nPasscode: Xy7bQ2\nOr call in (audio only)\n+1 323-555-0101\,\,812345678#   United States\, Los Angeles\nPhone Conference ID: 812 345 678#\nFind a local number | Reset PIN\n` +
	`Agenda: the Microsoft 365 renewal invoice of $12\,400.00 was charged; decide whether to cancel unused seats.`

// calendarCases: lures in a meeting invitation's text and honest
// invitations.
func calendarCases() map[string][]sample {
	const lureFrom = "billing.desk2026@gmail.com"
	return map[string][]sample{
		"callback-phishing": {
			{"a renewal invoice in an invitation's description, folded", invitation(lureFrom, "",
				"SUMMARY:Norton 360 Deluxe - subscription renewed", "DESCRIPTION:Norton 360 Deluxe\\nInvoice NT-88412\\nYour annual subscription was renewed. Amount charged: $399.9", " 9\\nIf you did not authorize this charge\\, call our billing desk to cancel: +1 (808) 555-0199"), "2/ics/event.txt"},
			{"the same in an attached .ics, quoted-printable", invitation(lureFrom, "invite.ics",
				"SUMMARY;ENCODING=QUOTED-PRINTABLE:McAfee Total Protection =", "renewed", "DESCRIPTION;ENCODING=QUOTED-PRINTABLE:Your subscription was renewed: 399,99 =E2=82=AC charged. To cancel call =", "our helpline: 0 800 91 23 45"), "2/invite.ics/event.txt"},
			{"a Teams invitation about a renewal, dial-in numbers, from a reseller", invitation("jo@reseller.example.com", "", "SUMMARY:Microsoft 365 renewal review", teamsDialIn), ""},
			{"a Zoom invitation's one tap mobile and a refund on the agenda", invitation("jo@vendor.example.com", "", "SUMMARY:Amazon Web Services invoice: refund of $1\\,200.00 and cancel options",
				`DESCRIPTION:Join Zoom Meeting\nhttps://us02web.zoom.us/j/84512345678\nMeeting ID: 845 1234 5678\nOne tap mobile\n+16465588656\,\,84512345678# US (New York)\nDial by your location\n+1 646 558 8656 US (New York)`), ""},
			{"a hotel booking: the card charged, call to cancel, from the hotel's booking service", invitation("noreply@hotel-booking.example.com", "reservation.ics", "SUMMARY:Hotel Sunroute Shinjuku",
				`DESCRIPTION:Reservation 4471-22. Amount charged to your card: $489.00. To cancel call the hotel: +81 3 5555 0199.`), ""},
		},
		"document-share-lure": {
			{"a shared contract in an invitation's description", invitation("jo@partner-legal.example", "", "SUMMARY:Contract review",
				`DESCRIPTION:Jo Smith has shared a document with you\, please review the shared contract before we meet:\nhttps://contract-portal.test/view?id=7781`), "2/ics/event.txt"},
			{"a signature request in an attached .ics", invitation("jo@partner-legal.example", "invite.ics", "SUMMARY:Signature required",
				`DESCRIPTION:A document is awaiting your signature.\nReview and sign: https://docs-sign.test/s/9911`), "2/invite.ics/event.txt"},
			{"a recurring internal meeting with its agenda on SharePoint", invitation("anna@corp.example.jp", "", "RRULE:FREQ=WEEKLY;BYDAY=MO", "SUMMARY:Weekly sync",
				`DESCRIPTION:Agenda document for your review: https://corpexample.sharepoint.com/sites/team/Shared%20Documents/agenda.docx\nI have shared a document with the notes.`), ""},
			{"only the reminder says it", invitation("jo@partner-legal.example", "", "SUMMARY:Contract review", "URL:https://contract-portal.test/view",
				"BEGIN:VALARM", "DESCRIPTION:Jo Smith has shared a document with you", "END:VALARM"), ""},
		},
		"file-share-link": {
			{"an attachment by reference on a WebDAV share", invitation("ap@vendor-billing.example", "", "SUMMARY:Invoice 4471", "ATTACH;VALUE=URI:file://203.0.113.7@SSL/DavWWWRoot/Invoice-4471.pdf.lnk"), "2"},
			{"the event's URL a share, escaped", invitation("ap@vendor-billing.example", "invite.ics", "SUMMARY:Invoice 4471", `URL:\\\\files.invoice-share.test@SSL\\DavWWWRoot\\invoices`), "2"},
			{"an attachment on the sender's own share", invitation("ap@vendor-billing.example", "", "SUMMARY:Invoice 4471", "ATTACH:file://files.vendor-billing.example/share/invoice.pdf"), ""},
		},
	}
}

// organizerCases: invitations that claim an organizer of the recipients'
// own domain.
func organizerCases() map[string][]sample {
	inside := func(m *message.Message) *message.Message { m.To = "anna@corp.example.jp"; return m }
	return map[string][]sample{"calendar-organizer-spoof": {
		{"from outside, the CEO as organizer", inside(invitation("ceo.office@corp-jp-mail.test", "", "ORGANIZER;CN=Kenji Sato (CEO):mailto:kenji@corp.example.jp", "SUMMARY:Board prep")), "2"},
		{"an attached .ics, quoted MAILTO", inside(invitation("ceo.office@corp-jp-mail.test", "board.ics", `ORGANIZER;CN="Kenji Sato":MAILTO:Kenji@Corp.Example.JP`, "SUMMARY:Board prep")), "2"},
		{"a booking service's copy to the organizer", to("kenji@corp.example.jp", invitation("notifications@booking-tool.example.com", "", "ORGANIZER;CN=Kenji Sato:mailto:kenji@corp.example.jp", "SUMMARY:Jo Smith - 30 minutes")), ""},
		{"a colleague's own invitation", inside(invitation("kenji@corp.example.jp", "", "ORGANIZER;CN=Kenji Sato:mailto:kenji@corp.example.jp", "SUMMARY:Board prep")), ""},
		{"a partner's invitation, its own organizer", inside(invitation("jo@partner.example.com", "", "ORGANIZER;CN=Jo:mailto:jo@partner.example.com", "SUMMARY:Sync")), ""},
		{"a delegate at the sender's domain", inside(invitation("assistant@exec-office.example.com", "", "ORGANIZER;CN=Kenji Sato;SENT-BY=\"mailto:assistant@exec-office.example.com\":mailto:kenji@corp.example.jp", "SUMMARY:Board prep")), ""},
		{"an outside attendee's reply to the colleague who organised", inside(replyFrom("jo@partner.example.com", "ORGANIZER:mailto:kenji@corp.example.jp")), ""},
		{"recipients outside the organizer's domain too", to("anna@corp.example.jp, jo@partner.example.com", invitation("ceo.office@corp-jp-mail.test", "", "ORGANIZER:mailto:kenji@corp.example.jp", "SUMMARY:Board prep")), ""},
	}}
}

// replyFrom is an attendee's reply (METHOD:REPLY) from sender.
func replyFrom(sender string, lines ...string) *message.Message {
	m := invitation(sender, "", lines...)
	for _, p := range m.Parts {
		p.Content = []byte(strings.Replace(string(p.Content), "METHOD:REQUEST", "METHOD:REPLY", 1))
	}
	return m
}
