package corpus

import (
	"strings"

	"github.com/kensa-milter/kensa/policy"
)

// calendarSamples are lures a meeting invitation's text carries (its
// summary and description, which the calendar client shows as the
// meeting's body) and honest invitations: Teams, Zoom and Meet dial-in
// numbers, an internal meeting's SharePoint agenda, a hotel booking.
func calendarSamples() []Sample {
	bad := func(name, about string, action policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: action, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	invite := func(lines ...string) node {
		return node{ctype: "text/calendar; method=REQUEST; charset=utf-8", cte: "8bit", body: []byte(icsEvent(lines...))}
	}

	add(bad("ics-callback-renewal", "callback phishing in a meeting invitation's description: a Norton renewal invoice and a number to call, the mail's own text empty", policy.Quarantine,
		w("heuristic", "callback-phishing", "2/ics/event.txt")),
		mail{from: "Subscriptions <billing.desk2026@gmail.com>", subject: "Invoice NT-88412", root: multipart("alternative", text("\n"),
			invite("SUMMARY:Norton 360 Deluxe - subscription renewed", `DESCRIPTION:Norton 360 Deluxe\nInvoice NT-88412\nYour annual subscription was renewed. Amount charged: $399.99\nIf you did not authorize this charge\, call our billing desk to cancel: +1 (808) 555-0199`))})
	add(bad("ics-shared-contract", "a document-share lure in an attached .ics: the description says a contract was shared and links to a page of another domain", policy.Tag,
		w("heuristic", "document-share-lure", "2/invite.ics/event.txt")),
		mail{from: "Jo Smith <jo@partner-legal.example>", subject: "Contract review", root: multipart("mixed", text("Please accept the meeting.\n"),
			attach("application/ics", "invite.ics", []byte(icsEvent("SUMMARY:Contract review", `DESCRIPTION:Jo Smith has shared a document with you\, please review the shared contract before we meet:\nhttps://contract-portal.test/view?id=7781`))))})
	add(bad("ics-webdav-attach", "a meeting whose attachment by reference (ATTACH;VALUE=URI) is a shortcut on a WebDAV share at a numeric host", policy.Quarantine,
		w("heuristic", "file-share-link", "2")),
		mail{from: "Accounts <ap@vendor-billing.example>", subject: "Invoice 4471 review", root: multipart("alternative", text("Invitation: invoice 4471 review.\n"),
			invite("SUMMARY:Invoice 4471 review", "ATTACH;VALUE=URI:file://203.0.113.7@SSL/DavWWWRoot/Invoice-4471.pdf.lnk", "DESCRIPTION:Open the invoice before the call."))})

	// The organizer at the recipients' own domain (example.test: the
	// integration suite's recipients are there too).
	add(bad("ics-organizer-spoof", "a meeting request from an outside domain whose ORGANIZER is the recipients' own CEO, with a link to a deck elsewhere", policy.Tag,
		w("heuristic", "calendar-organizer-spoof", "2")),
		mail{from: "Kenji Sato <ceo.office@exec-mail.invalid>", to: "anna@example.test", subject: "Board prep", root: multipart("alternative", text("Board prep\n"),
			invite("ORGANIZER;CN=Kenji Sato (CEO):mailto:kenji@example.test", "ATTENDEE;CN=Anna:mailto:anna@example.test", "SUMMARY:Board prep", `DESCRIPTION:Please look at the board deck before the call: https://board-deck.invalid/d/2026`))})

	add(ok("ics-teams-renewal-dialin", "a reseller's Teams meeting about a Microsoft 365 renewal invoice, with dial-in numbers and a conference ID"),
		mail{from: "Jo <jo@reseller.example.com>", subject: "Microsoft 365 renewal review", root: multipart("alternative", text("Microsoft Teams meeting\n"),
			invite("SUMMARY:Microsoft 365 renewal review", `DESCRIPTION:Microsoft Teams meeting\nJoin on your computer\, mobile app or room device\nClick here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0>\nMeeting ID: 284 915 330 712\nPasscode: Xy7bQ2\nOr call in (audio only)\n+1 323-555-0101\,\,812345678#   United States\, Los Angeles\nPhone Conference ID: 812 345 678#\nFind a local number | Reset PIN\nAgenda: the renewal invoice of $12\,400.00 was charged; decide whether to cancel unused seats.`, "LOCATION:Microsoft Teams Meeting"))})
	add(ok("ics-zoom-meet-dialin", "a vendor's Zoom invitation (one tap mobile, dial by location) on an AWS invoice and refund, and a Google Meet dial-in with a PIN"),
		mail{from: "Jo Smith <jo@vendor.example.com>", subject: "QBR", root: multipart("alternative", text("Zoom meeting invitation\n"),
			invite("SUMMARY:Amazon Web Services invoice: refund of $1\\,200.00 and cancel options", `DESCRIPTION:Join Zoom Meeting\nhttps://us02web.zoom.us/j/84512345678\nMeeting ID: 845 1234 5678\nOne tap mobile\n+16465588656\,\,84512345678# US (New York)\nDial by your location\n+1 646 558 8656 US (New York)\nBackup: Join with Google Meet: https://meet.google.com/abc-defg-hij\nOr dial: (US) +1 347-555-0150 PIN: 123 456 789#`))})
	add(ok("ics-sharepoint-agenda", "a recurring internal meeting whose description links its agenda document on SharePoint"),
		mail{from: "Anna Li <anna@corp.example.jp>", to: "team@corp.example.jp", subject: "Weekly sync", root: multipart("alternative", text("Weekly sync\n"),
			invite("RRULE:FREQ=WEEKLY;BYDAY=MO", "SUMMARY:Weekly sync", `DESCRIPTION:Agenda document for your review: https://corpexample.sharepoint.com/sites/team/Shared%20Documents/agenda.docx\nI have shared a document with the notes.`))})
	add(ok("ics-attendee-reply", "an outside attendee's acceptance (METHOD:REPLY) of a meeting a colleague of the recipient organised"),
		mail{from: "Jo <jo@partner.example.com>", to: "kenji@example.test", subject: "Accepted: Sync", root: multipart("alternative", text("Jo has accepted this meeting.\n"),
			node{ctype: "text/calendar; method=REPLY; charset=utf-8", cte: "8bit", body: []byte(strings.Replace(icsEvent("ORGANIZER:mailto:kenji@example.test", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:jo@partner.example.com", "SUMMARY:Sync"), "METHOD:REQUEST", "METHOD:REPLY", 1))})})
	add(ok("ics-hotel-booking", "a hotel booking confirmation's .ics: the amount charged to the card and the hotel's number to cancel"),
		mail{from: "Booking <noreply@hotel-booking.example.com>", subject: "Reservation confirmed", root: multipart("mixed", text("Your reservation is attached.\n"),
			attach("text/calendar", "reservation.ics", []byte(icsEvent("SUMMARY:Hotel Sunroute Shinjuku", `LOCATION:Shinjuku 2-3-1\, Tokyo`, `DESCRIPTION:Reservation 4471-22. Amount charged to your card: $489.00 (Visa). Free cancellation until 8 Dec. To cancel call the hotel: +81 3 5555 0199.`))))})
	return out
}

// icsEvent is a calendar of one event of lines, as Outlook writes one:
// long lines folded at 75 octets, a reminder after them.
func icsEvent(lines ...string) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:kensa-corpus-event\r\nDTSTART:20261210T100000Z\r\nDTEND:20261210T110000Z\r\n")
	for _, l := range lines {
		for len(l) > 75 {
			b.WriteString(l[:75] + "\r\n ")
			l = l[75:]
		}
		b.WriteString(l + "\r\n")
	}
	b.WriteString("BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	return b.String()
}
