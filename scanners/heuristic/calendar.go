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
var dialInCode = regexp.MustCompile(`(?:,,|\b` + dialCodeLabels + `\b[\s:#.()]*)\d[\d ]{4,}\d`)

// dialCodeLabels are the labels of a conference's code (dialInCode).
const dialCodeLabels = `(?:pin|passcode|access code|conference id|meeting id|meeting number|participant code|teilnehmercode|konferenz-id|besprechungs-id|code d'acces|id de conference|id de conferencia|codigo de acceso|id da conferencia|codigo de acesso|codice di accesso|id conferenza|toegangscode|vergader-id|kod dostepu|identyfikator konferencji)`

// dialCodeBefore ends in a conference code's label: the number after it
// is the code ("Meeting number (access code): 2550 123 4567").
var dialCodeBefore = regexp.MustCompile(`\b` + dialCodeLabels + `[\s:#.()]*$`)

// dialIn: the number text[i:end] (folded) is a meeting's, in a text that
// links a conference service's meeting (conferenceHosts): its number in
// the join link, its code after the code's label, or its dial-in: a
// conference code beside it (in the 200 bytes around it) and the number
// listed under the invitation's dial-in heading (dialHeading, in the 300
// bytes before it) with nothing but places and codes between: the "Join
// by phone" of a Teams, Zoom, Meet or Webex invitation, no desk to call.
// A code and a pasted join link cost a lure's writer nothing; its number
// is still asked for as a desk's: "to cancel" between the heading and
// the number (dialAsk), "billing desk" right after it (dialDesk).
func dialIn(text string, i, end int) bool {
	if !conferenceHosts.MatchString(text) {
		return false
	}
	if i > 0 && (text[i-1] == '/' || text[i-1] == '=') || text[i] != '+' && text[i] != '(' && dialCodeBefore.MatchString(text[max(0, i-40):i]) {
		return true // the meeting's number in its link (zoom.us/j/845...), or its code (a code is written without + or brackets)
	}
	if !dialInCode.MatchString(text[max(0, i-200):min(len(text), end+200)]) {
		return false
	}
	before := text[max(0, i-300):i]
	heads := dialHeading.FindAllStringIndex(before, -1)
	if len(heads) == 0 {
		return false
	}
	return !dialAsk.MatchString(before[heads[len(heads)-1][1]:]) && !dialDesk.MatchString(text[end:min(len(text), end+24)])
}

// dialHeading is how an invitation introduces its dial-in numbers, as
// folded text writes it (Teams' "Or call in (audio only)", Zoom's "One tap
// mobile" and "Dial by your location", Meet's and Webex's "Join by
// phone"; in German, French, Spanish, Italian, Portuguese, Dutch).
var dialHeading = regexp.MustCompile(`\b(?:call in|call-in|dial[ -]?in|or dial|dial by your location|one tap mobile|join by (?:phone|telephone)|audio only|phone conference id|` +
	`telefonisch teilnehmen|einwahl\w*|par telephone|por telefono|per telefono|por telefone|via telefoon|inbellen)\b`)

// dialDesk are the words right after a lure's number that say who answers
// (a billing desk, support); a dial-in list says a place or "toll" there,
// and an agenda after the list may well speak of a renewal or refund.
var dialDesk = regexp.MustCompile(`\b(?:billing|desk|support|helpline|hotline|customer|fraud|kundendienst|kundenservice|assistance|soporte|assistenza|suporte|klantenservice)\b`)

// dialAsk are the words of a lure's ask before its number: what a desk
// is called about (cancel, refund, a charge, an order), never what a
// meeting's dial-in list says (places, toll, codes).
var dialAsk = regexp.MustCompile(`\b(?:cancel\w*|refund\w*|disput\w*|authori[sz]\w*|billing|charged?|renew\w*|subscription|order|invoice|payment|fraud\w*|desk|support|helpline|hotline|customer|` +
	`stornier\w*|kundig\w*|erstattung|abbuchung|annul\w*|rembours\w*|cancelar|reembolso|rimbors\w*|annull\w*|opzeggen|annuleren|terugbetaling)\b`)

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
