package heuristic

import (
	"strings"
	"unicode"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// The most common phishing mail has no attachment: its text says a file,
// secure message, voicemail, fax or signature request waits, and a button
// goes to the kit. Honest notifications say the same, with links to the
// service that sent them or to the sender's own site; so the lure counts
// only with a link elsewhere.

// mailLures are what a notification lure's text says beyond a lure PDF's
// button words (documentLures): a voicemail, fax or secure message, a
// document ready or waiting for a signature. Written as foldLure leaves
// text: lower case, accents dropped.
var mailLures = []string{
	"secure message", "encrypted message", "new voicemail", "voicemail message", "voice message received",
	"new voice message", "you have a voicemail", "listen to voicemail", "listen to the voicemail", "fax received",
	"new fax", "incoming fax", "fax message", "please review and sign", "awaiting your signature",
	"signature request", "signature required", "requested your signature", "sign the document", "document is ready",
	"document has been shared", "document was shared", "file was shared", "file has been shared",
	"folder was shared", "has shared a file", "has shared a document", "shared a file", "shared a document",
	"sent you a file", "document for your review", "documents for your review", "document awaiting",
	"pending document", "completed document", "e-signature", "documents waiting", "document waiting", "files waiting",
	"file waiting", "pending documents", "documents pending", "play voicemail", "play the voicemail", "listen to message",
	"open voicemail", "view documents", "open documents", "access documents", "download documents", "review documents",
	// German, French, Spanish, Italian, Portuguese, Dutch.
	"sichere nachricht", "verschlusselte nachricht", "neue sprachnachricht", "sprachnachricht erhalten",
	"fax erhalten", "neues fax", "hat eine datei mit ihnen geteilt", "hat ein dokument mit ihnen geteilt",
	"hat eine datei mit dir geteilt", "hat ein dokument mit dir geteilt", "dokument zur unterschrift",
	"bitte prufen und unterschreiben", "ihr dokument ist bereit",
	"message securise", "nouveau message vocal", "message vocal recu", "fax recu", "nouveau fax",
	"a partage un fichier", "a partage un document", "document a signer", "votre document est pret",
	"mensaje seguro", "nuevo mensaje de voz", "fax recibido", "ha compartido un archivo", "ha compartido un documento",
	"compartio un archivo", "compartio un documento", "documento para firmar", "su documento esta listo",
	"messaggio sicuro", "nuovo messaggio vocale", "fax ricevuto", "ha condiviso un file", "ha condiviso un documento",
	"documento da firmare", "il tuo documento e pronto",
	"mensagem segura", "nova mensagem de voz", "fax recebido", "compartilhou um arquivo", "compartilhou um documento",
	"partilhou um ficheiro", "documento para assinar", "seu documento esta pronto",
	"beveiligd bericht", "nieuwe voicemail", "fax ontvangen", "heeft een bestand met u gedeeld",
	"heeft een document met u gedeeld", "heeft een bestand met je gedeeld", "heeft een document met je gedeeld",
	"document ter ondertekening", "uw document staat klaar",
}

// buttonOnly are documentLures that every mail says of itself ("click
// here to view" this mail in a browser, "view message" on a help desk):
// a sign in a PDF of a few words, nothing in a mail.
var buttonOnly = set("click here to view", "click below to view", "click the button below", "click to view",
	"click to open", "click here to open", "click here to access", "click here to download", "tap to view",
	"view message", "read message", "view payment", "view shared", "shared with you")

// bodyLures are mailLures and documentLures but buttonOnly, each as
// written and folded as the text is (foldLure, then its look-alike
// skeleton).
var bodyLures = func() [][2]string {
	var out [][2]string
	for _, w := range append(append([]string{}, mailLures...), documentLures...) {
		if !buttonOnly[w] {
			out = append(out, [2]string{w, lureWords(urls.Skeleton(foldLure(w)))})
		}
	}
	return out
}()

// lureStarts indexes bodyLures by their first word.
var lureStarts = func() map[string][]int {
	m := map[string][]int{}
	for i, w := range bodyLures {
		first, _, _ := strings.Cut(w[1], " ")
		m[first] = append(m[first], i)
	}
	return m
}()

// anAddress is the word lureText puts for a mail address: in a lure it
// stands for any one word ("Jo shared a file with bob@corp.example", "hat
// eine Datei mit bob@corp.example geteilt", "awaiting bob@corp.example's
// signature").
const anAddress = "xmailaddressx"

// addressWord is anAddress as lureText leaves it (its skeleton).
var addressWord = lureWords(urls.Skeleton(anAddress))

// lureText is text as findLure reads it: folded (foldLure), look-alike
// letters as their skeleton, mail addresses as anAddress, words one space
// apart (lureWords), then a space.
func lureText(text string) string {
	return lureWords(urls.Skeleton(addressesAsWord(foldLure(text)))) + " "
}

// addressesAsWord writes anAddress for each mail address in t (folded:
// lower case), with a possessive "'s" after it.
func addressesAsWord(t string) string {
	at := strings.IndexByte(t, '@')
	if at < 0 {
		return t
	}
	local := func(c byte) bool { return isIdentByte(c) || c == '.' || c == '-' || c == '+' || c == '%' || c >= 0x80 }
	domain := func(c byte) bool { return isIdentByte(c) && c != '_' || c == '.' || c == '-' || c >= 0x80 }
	var b strings.Builder
	last := 0
	for n := 0; at >= 0 && n < 10_000; n++ {
		i := at
		for i > last && local(t[i-1]) {
			i--
		}
		j := at + 1
		for j < len(t) && domain(t[j]) {
			j++
		}
		for j > at+1 && t[j-1] == '.' { // the sentence's full stop
			j--
		}
		if i < at && strings.Contains(t[at+1:j], ".") {
			if strings.HasPrefix(t[j:], "'s") {
				j += 2
			}
			b.WriteString(t[last:i])
			b.WriteString(" " + anAddress + " ")
			last = j
		}
		k := strings.IndexByte(t[at+1:], '@')
		if k < 0 {
			break
		}
		at = max(at+1+k, last)
		if t[at] != '@' {
			k = strings.IndexByte(t[at:], '@')
			if k < 0 {
				break
			}
			at += k
		}
	}
	b.WriteString(t[last:])
	return b.String()
}

// findLure is the first lure of bodyLures that text (lureText) says, ""
// for none: one walk over its words, each looked up as a lure's first
// word; a mail address stands for any other word of it.
func findLure(text string) string {
	lure, _ := findLureAt(text)
	return lure
}

// findLureAt is findLure and where in text the lure starts.
func findLureAt(text string) (string, int) {
	for i := 0; i < len(text); {
		end := i + strings.IndexByte(text[i:], ' ')
		if end < i {
			break
		}
		for _, k := range lureStarts[text[i:end]] {
			if saysLure(text[end+1:], bodyLures[k][1][end-i:]) {
				return bodyLures[k][0], i
			}
		}
		i = end + 1
	}
	return "", -1
}

// saysLure: text starts with the rest of a lure (" word word..."), each
// word as written or a mail address in its place.
func saysLure(text, rest string) bool {
	rest = strings.TrimPrefix(rest, " ")
	for rest != "" {
		w, more, _ := strings.Cut(rest, " ")
		t, after, ok := strings.Cut(text, " ")
		if !ok || t != w && t != addressWord {
			return false
		}
		rest, text = more, after
	}
	return true
}

// shareServices are the registrable domains of the services that share
// files, take signatures, deliver voicemail, faxes and encrypted mail, and
// are no brand of the urls package's (those count by urls.BrandDomain): a
// notification links to them whoever it is from.
var shareServices = set("box.com", "boxcdn.net", "hellosign.com", "dropboxsign.com", "pandadoc.com", "pandadoc.net",
	"sharefile.com", "sharefile.eu", "citrix.com", "egnyte.com", "smartsheet.com", "ringcentral.com", "8x8.com",
	"efax.com", "j2.com", "proofpoint.com", "mimecast.com", "virtru.com", "zixmail.net", "zixcorp.com", "zix.com",
	"cisco.com", "signnow.com", "docsend.com", "hightail.com", "we.tl", "wetransfer.com", "docusign.net", "adobesign.com",
	"echosign.com", "sharepointonline.com", "sharepoint.com", "1drv.ms",
	// Phone systems that mail voicemail to their users.
	"vonage.com", "vonagebusiness.com", "dialpad.com", "aircall.io", "nextiva.com", "mitel.com", "goto.com",
	"gotoconnect.com", "ooma.com", "grasshopper.com", "3cx.com", "3cx.net", "webex.com", "avaya.com", "twilio.com",
	"talkdesk.com", "justcall.io", "sipgate.de", "placetel.de", "nfon.com", "onsip.com", "zoom.us", "zoom.com",
	"voip.ms", "intermedia.net", "fuze.com", "jive.com", "bandwidth.com")

// maxDocLureText bounds the text read for a lure, in bytes.
const maxDocLureText = 64 << 10

// docLureSaid is what docLure read in a part.
type docLureSaid struct {
	lure, brand string
	// firstPerson: the lure is said in the first person ("I shared a
	// document with you", "I've shared a file with you").
	firstPerson bool
}

// docLure is the lure (bodyLures) that the text of p (a mail body, with
// the Subject and its images' alt text) says, and a file-sharing brand
// (docBrands) that it names; "" for none.
func (e *env) docLure(p *message.Part) (lure, brand string) {
	r := e.docLureSaid(p)
	return r.lure, r.brand
}

// docLureSaid is docLure's reading of p, once per part.
func (e *env) docLureSaid(p *message.Part) docLureSaid {
	if r, ok := e.docLures[p]; ok {
		return r
	}
	text := e.shownText(p, maxDocLureText)
	text = lureText(text[:min(len(text), maxDocLureText)])
	var r docLureSaid
	var at int
	r.lure, at = findLureAt(text)
	if r.lure != "" {
		r.firstPerson = saidByMe(text[:at])
		for i, w := range strings.Fields(text) {
			if i > 2000 {
				break
			}
			if b, ok := urls.BrandWord(strings.Trim(w, ".,:;!?()\"'")); ok && docBrands[b] {
				r.brand = b
				break
			}
		}
	}
	e.docLures[p] = r
	return r
}

// firstPersonWords are the words in front of a lure that say a person
// speaks of what they did ("I shared", "we have just shared"), as
// lureText leaves them; adverbs are the words allowed between.
var (
	firstPersonWords = skeletonSet("i", "we", "i've", "we've", "ive")
	firstPersonFill  = skeletonSet("have", "just", "also", "already", "now")
)

// saidByMe: text (lureText, up to a lure's start) ends in the first
// person: "i ", "we have ", "i've just ".
func saidByMe(before string) bool {
	words := strings.Fields(before[max(0, len(before)-40):])
	for n := 0; n < 3 && len(words) > 0; n++ {
		w := words[len(words)-1]
		if firstPersonWords[w] {
			return true
		}
		if !firstPersonFill[w] {
			return false
		}
		words = words[:len(words)-1]
	}
	return false
}

// workspaces are the registrable domains where people write pages and
// share them with each other, outside urls.HostedAt's hosting: Notion's,
// Confluence Cloud's, Quip's... A lure may put its button there too.
var workspaces = set("notion.so", "atlassian.net", "quip.com", "coda.io", "airtable.com", "figma.com", "miro.com",
	"github.com", "gitlab.com", "bitbucket.org", "loom.com", "canva.com")

// personalShare: u is how a person shares a page they wrote, not a
// notice's button nor a lure's: a link to a workspace or to a site on
// app hosting or a site builder (a Notion page, a github.io site), its
// text the page's title or address, and either the site named as the
// sender's domain (acme.github.io from acme.example) or the mail telling
// of the share in the first person (docLureSaid). A notice, and a lure
// that imitates one, tells who shared ("Jo Park has shared a document
// with you") and gives a button.
func (e *env) personalShare(p *message.Part, u urls.URL) bool {
	var site string
	if reg := e.registrable(u.Host); workspaces[reg] {
		site = strings.TrimSuffix(strings.TrimSuffix(u.Host, reg), ".")
		site = site[strings.LastIndexByte(site, '.')+1:] // the tenant: acme of acme.atlassian.net
	} else {
		h, ok := e.hosted(u)
		if !ok || h.Kind != urls.AppHosting && h.Kind != urls.SiteBuilder {
			return false
		}
		site = h.Site
	}
	if e.lureButton(u.Text) {
		return false
	}
	return len(site) >= 3 && (site == domainName(e.sender) || site == domainName(fromDomain(e.m.From))) ||
		e.docLureSaid(p).firstPerson
}

// maxLureHosts is how many hosts outside the sender's and the services'
// a lure's links go to at most: a notification has one button (and a
// footer of the brand's own links); a person's mail that names a
// document among links to forms, sites and pages has more.
const maxLureHosts = 2

// checkDocumentShareLure: a mail body says a document, message, voicemail
// or fax waits (docLure), and a link goes neither to the sender's site nor
// to a service that shares files (lureHost), and at most maxLureHosts
// hosts are so linked. A click tracker hides where the link goes: a
// newsletter's is nothing, but one under a mail that names a file-sharing
// brand that did not send it is the lure's button.
func checkDocumentShareLure(e *env, p *message.Part, u urls.URL) string {
	if e.isAttachment(p) && !eventText(p) || !e.lureHost(u) { // an invitation's text is its body (calendar.go)
		return ""
	}
	lure, brand := e.docLure(p)
	if lure == "" {
		return ""
	}
	// The lure's button: a link whose own text is a lure ("View
	// document", "Review and sign") counts however many other hosts the
	// mail links to (decoys: a privacy policy, a profile page).
	button := u.Text != "" && findLure(lureText(u.Text)) != ""
	if urls.ClickTrackerLink(u.Normalized, u.Host) {
		switch {
		case button:
			return "the message says " + show(lure) + " and its button " + show(u.Text) + " goes through a click tracker (" + u.Host + ")"
		case brand == "" || urls.SendsFrom(brand, fromDomain(e.m.From)):
			return "" // a newsletter's tracked link
		}
		return "the message says " + show(lure) + ", names " + show(brand) + " and its link goes through a click tracker (" + u.Host + ")"
	}
	if button {
		return "the message says " + show(lure) + " and its button " + show(u.Text) + " goes to " + show(u.Host)
	}
	if e.personalShare(p, u) {
		return ""
	}
	var hosts []string
	for _, v := range e.partURLs(p) {
		if e.lureHost(v) && !contains(hosts, v.Host) {
			if hosts = append(hosts, v.Host); len(hosts) > maxLureHosts {
				return ""
			}
		}
	}
	return "the message says " + show(lure) + " and its link goes to " + show(u.Host)
}

// lureHost: u is a web link a reader clicks (a wrapper's target, not the
// wrapper) to a host neither the sender's nor a service's that shares
// files: a brand's own domains (not a site published there, but a file
// shared from it) and shareServices.
func (e *env) lureHost(u urls.URL) bool {
	if u.Wraps != "" || u.Source != urls.SourceHref && u.Source != urls.SourceICS || u.Host == "" || u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	if e.sendersOwn(u.Host) || shareServices[e.registrable(u.Host)] {
		return false
	}
	if _, own := urls.BrandDomain(u.Host); own {
		if h, hosted := urls.HostedAt(u); !hosted || h.Kind == urls.FileShare {
			return false
		}
	}
	return true
}

// lureWords is folded text as words one space apart, punctuation dropped
// ("review and sign:" is "review and sign"), so that lures match whole
// words: "view contract" is no lure in "review contract".
func lureWords(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '&' && r != '\''
	}), " ")
}
