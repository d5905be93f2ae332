package heuristic

import (
	"regexp"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// A meeting invitation's text is its calendar's: the client shows each
// event's summary, location and description as the meeting's body, which
// unpack gives as a member of the calendar (urls.EventText). The checks
// that read what a mail says (callback-phishing, document-share-lure)
// read that member as a mail body, and its links as the body's links: a
// calendar client makes the URLs of a description links.

// eventText: p is the text of a calendar's events.
func eventText(p *message.Part) bool { return p.DeclaredType == urls.EventText }

// calendarShown is the text a reader sees of p when p is a calendar's,
// and whether it is: the events' text as a body, with the Subject in
// front; "" for the calendar itself, whose events' text that member holds
// (its raw lines would lend the text the brand of its PRODID, "Microsoft
// Corporation//Outlook").
func (e *env) calendarShown(p *message.Part, limit int) (string, bool) {
	switch {
	case eventText(p):
		t := head(p)
		return e.m.Subject + "\n" + string(t[:min(len(t), limit)]), true
	case p.Container && urls.IsCalendar(p):
		return "", true
	}
	return "", false
}

// dialInCode is a conference's code beside a dial-in number, as folded
// text writes it: the code after ",," (tap to dial), or after its label
// (Teams' "Phone Conference ID: 812 345 678#", Zoom's "Meeting ID", Google
// Meet's "PIN", Webex's "Access code").
var dialInCode = regexp.MustCompile(`(?:,,|\b(?:pin|passcode|access code|conference id|meeting id|meeting number|participant code|teilnehmercode|konferenz-id|besprechungs-id|code d'acces|id de conference|id de conferencia|codigo de acceso|id da conferencia|codigo de acesso|codice di accesso|id conferenza|toegangscode|vergader-id|kod dostepu|identyfikator konferencji)\b[\s:#.]*)\d[\d ]{4,}\d`)

// dialIn: the number text[i:end] (folded) is a meeting's dial-in, a
// conference code beside it (in the 200 bytes around it) in a text that
// links a conference service's meeting (conferenceHosts): the "Join by
// phone" of a Teams, Zoom, Meet or Webex invitation, no desk to call. A
// code alone is no dial-in: "Meeting ID: 123456" beside a lure's number
// costs its writer nothing.
func dialIn(text string, i, end int) bool {
	return dialInCode.MatchString(text[max(0, i-200):min(len(text), end+200)]) && conferenceHosts.MatchString(text)
}

// conferenceHosts are the addresses of a conference service's meeting, as
// folded text writes them (a join link, Teams' dial-in page).
var conferenceHosts = regexp.MustCompile(`\b(?:teams\.microsoft\.com/l/meetup-join|teams\.live\.com/meet|dialin\.teams\.microsoft\.com|[a-z0-9-]*\.?zoom\.us/(?:j|w|my|u)/|zoomgov\.com/j/|meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}|[a-z0-9-]+\.webex\.com/|gotomeet(?:ing\.com/join|\.me)/|meet\.goto\.com/|bluejeans\.com/\d|chime\.aws/\d|meetings\.ringcentral\.com/j/|v\.ringcentral\.com/join/|whereby\.com/|meet\.jit\.si/|8x8\.vc/)`)

// checkOrganizerSpoof: a meeting request sent from outside names as its
// organizer someone of the recipients' own domain (every recipient's):
// the invitation shows a colleague inviting ("Kenji Sato (CEO)"), which
// the client lists as the meeting's owner whoever sent it. A request
// whose organizer, or the organizer's delegate (SENT-BY), is the
// sender's own domain (From or envelope) does not count, nor one sent to
// the organizer (a scheduling service's copy of a booked meeting), nor a
// reply, counter-proposal or cancellation (sent to or by the organizer).
func checkOrganizerSpoof(e *env, p *message.Part) []string {
	if p.Depth > 0 || !urls.IsCalendar(p) {
		return nil
	}
	method, org, sentBy := "", "", ""
	n := 0
	for prop := range urls.CalendarProperties(head(p)) {
		if n++; n > 4096 {
			break
		}
		switch prop.Name {
		case "METHOD":
			method = strings.ToUpper(strings.TrimSpace(prop.Value))
		case "ORGANIZER":
			if org == "" {
				org, sentBy = mailtoAddr(prop.Value), mailtoAddr(prop.Params["SENT-BY"])
			}
		}
	}
	switch method {
	case "", "REQUEST", "PUBLISH", "ADD":
	default:
		return nil
	}
	od := registrable(domainOfAddr(org))
	if od == "" || e.sender == "" || !e.internal(od) {
		return nil
	}
	for _, r := range e.recipientAddrs() {
		if r.lower == org {
			return nil // the organizer's own meeting, sent to them (a booking service's copy)
		}
	}
	from := registrable(fromDomain(e.m.From))
	for _, d := range []string{od, registrable(domainOfAddr(sentBy))} {
		if d != "" && (d == e.sender || d == from) {
			return nil
		}
	}
	return []string{"the invitation from " + show(e.sender) + " names " + show(org) + ", of the recipients' own domain, as its organizer"}
}

// mailtoAddr is the lower-case address of a calendar user ("mailto:a@b",
// any case, quotes around), "" for none.
func mailtoAddr(v string) string {
	v = strings.ToLower(strings.Trim(strings.TrimSpace(v), `"`))
	v = strings.TrimPrefix(v, "mailto:")
	if !strings.Contains(v, "@") || len(v) > 320 {
		return ""
	}
	return v
}
