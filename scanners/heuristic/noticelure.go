package heuristic

import (
	"strings"
	"unicode"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// Beside the share and mailbox lures, phishing mail imitates the notices
// a business gets every day: an invoice to view or pay, a payroll change
// (direct deposit, a payslip, a raise), a parcel held for a fee or a new
// address, a second factor to re-register. Honest notices of each say the
// same words: what tells them apart is who sends the reader where. The
// vendor links its own site or its billing provider's, the payroll notice
// comes from the company or its payroll provider, the carrier links its
// own site (a shop its carrier's or its tracking service's), the service
// links itself or the company's identity provider. A lure links a
// stranger's host.

// noticeFamily is one kind of business notice a lure imitates.
type noticeFamily struct {
	name string
	// asks are what the notice asks or says is due (plainWords: lower
	// case, accents kept): "view invoice", "update your direct deposit".
	asks []string
	// topics, when set, must be said too for an ask to count: a second
	// factor ("two-factor authentication") beside "will be disabled".
	topics []string
	// services are the registrable domains of the providers honest
	// notices of this kind link to, whoever sends them.
	services map[string]bool
}

// noticeFamilies are the lures notice-lure-link reads, in English, German,
// French, Spanish, Italian, Portuguese and Dutch.
var noticeFamilies = []noticeFamily{
	{name: "invoice", asks: []string{
		"view invoice", "view the invoice", "view your invoice", "open invoice", "open the invoice", "access invoice",
		"review invoice", "review the invoice", "download invoice", "download the invoice", "download your invoice",
		"pay invoice", "pay the invoice", "pay your invoice", "invoice is overdue", "overdue invoice", "unpaid invoice",
		"outstanding invoice", "invoice is past due", "past due invoice", "invoice is ready", "invoice is available",
		"payment is overdue", "view remittance", "remittance advice",
		"rechnung ansehen", "rechnung anzeigen", "rechnung öffnen", "rechnung herunterladen", "rechnung bezahlen",
		"offene rechnung", "überfällige rechnung", "zahlungserinnerung", "rechnung ist verfügbar", "rechnung steht bereit",
		"voir la facture", "voir votre facture", "consulter la facture", "consulter votre facture", "télécharger la facture",
		"télécharger votre facture", "payer la facture", "facture impayée", "facture en retard", "facture est disponible",
		"ver factura", "ver la factura", "ver su factura", "descargar factura", "descargar la factura", "pagar factura",
		"pagar la factura", "factura pendiente", "factura vencida", "factura está disponible",
		"visualizza fattura", "visualizza la fattura", "scarica fattura", "scarica la fattura", "paga la fattura",
		"fattura scaduta", "fattura non pagata", "fattura è disponibile",
		"ver fatura", "ver a fatura", "visualizar fatura", "baixar fatura", "pagar fatura", "pagar a fatura",
		"fatura em atraso", "fatura vencida", "fatura está disponível",
		"factuur bekijken", "bekijk factuur", "bekijk de factuur", "factuur downloaden", "factuur betalen",
		"openstaande factuur", "achterstallige factuur", "factuur staat klaar",
	}, services: billingServices},
	// An invoice said to be due, however it is numbered ("Invoice
	// INV-4471 for $12,400.00 is overdue").
	{name: "invoice", asks: []string{
		"overdue", "past due", "unpaid", "outstanding", "due today", "payment due", "final notice",
		"überfällig", "überfällige", "offene", "offenen", "mahnung", "zahlungserinnerung", "fällig",
		"impayée", "impayées", "en retard", "échue", "relance", "pendiente", "vencida", "impagada",
		"scaduta", "non pagata", "sollecito", "em atraso", "pendente",
		"achterstallig", "achterstallige", "openstaande", "herinnering", "vervallen",
	}, topics: []string{"invoice", "invoices", "rechnung", "facture", "factura", "fattura", "fatura", "factuur"},
		services: billingServices},
	{name: "payroll", asks: []string{
		"direct deposit", "payroll update", "update your payroll", "payroll information", "payroll details",
		"salary statement", "salary adjustment", "salary increase", "compensation adjustment",
		"payslip", "pay slip", "pay stub", "paystub", "update your bank details", "confirm your bank details",
		"verify your bank details", "update your banking", "gehaltsabrechnung", "lohnabrechnung", "gehaltserhöhung",
		"gehaltsanpassung", "bankverbindung aktualisieren", "bankdaten aktualisieren", "fiche de paie", "bulletin de paie",
		"bulletin de salaire", "augmentation de salaire", "ajustement salarial", "recibo de nómina", "ajuste salarial",
		"aumento de sueldo", "aumento salarial", "busta paga", "cedolino", "adeguamento salariale", "aumento di stipendio",
		"contracheque", "holerite", "recibo de vencimento", "loonstrook", "salarisstrook", "salarisverhoging",
		"loonsverhoging",
	}, services: set("adp.com", "adp.ca", "paychex.com", "paychexflex.com", "gusto.com", "myworkday.com", "workday.com",
		"rippling.com", "bamboohr.com", "paylocity.com", "paycom.com", "paycor.com", "ukg.com", "ultipro.com",
		"ukgpro.com", "dayforcehcm.com", "ceridian.com", "trinet.com", "justworks.com", "deel.com", "remote.com",
		"personio.de", "personio.com", "namely.com", "zenefits.com", "successfactors.com", "sapsf.com",
		"papayaglobal.com", "oysterhr.com", "datev.de", "isolvedhcm.com", "hibob.com", "sage.com")},
	{name: "parcel delivery", asks: []string{
		"redelivery", "re-delivery", "reschedule delivery", "reschedule your delivery", "schedule a new delivery",
		"schedule delivery", "schedule your delivery", "delivery fee", "customs fee", "shipping fee", "unpaid shipping",
		"package is on hold", "parcel is on hold", "shipment is on hold", "could not be delivered",
		"delivery attempt failed", "failed delivery", "confirm your delivery address", "update your delivery address",
		"delivery address is incomplete", "we could not deliver", "we were unable to deliver",
		"zustellung fehlgeschlagen", "konnte nicht zugestellt werden", "neue zustellung", "zustellgebühr", "zollgebühr",
		"lieferadresse bestätigen", "paket wird zurückgehalten", "sendung wird zurückgehalten",
		"n'a pas pu être livré", "nouvelle livraison", "frais de livraison", "frais de douane", "colis en attente",
		"reprogrammer la livraison", "no pudo ser entregado", "no se pudo entregar", "nueva entrega",
		"reprogramar la entrega", "gastos de envío", "tasas de aduana", "paquete retenido",
		"non è stato possibile consegnare", "nuova consegna", "riprogrammare la consegna", "spese di spedizione",
		"dazi doganali", "pacco in giacenza", "não foi possível entregar", "nova entrega", "reagendar a entrega",
		"taxa de entrega", "taxa alfandegária", "encomenda retida", "kon niet worden bezorgd", "nieuwe bezorging",
		"bezorgkosten", "douanekosten", "pakket wordt vastgehouden",
	}, services: set("ups.com", "fedex.com", "dhl.com", "dhl.de", "dhl.co.uk", "dhlparcel.nl", "deutschepost.de",
		"usps.com", "royalmail.com", "parcelforce.com", "canadapost.ca", "canadapost-postescanada.ca", "purolator.com",
		"auspost.com.au", "postnl.nl", "dpd.com", "dpd.de", "dpd.co.uk", "dpd.fr", "myhermes.de", "hermesworld.com",
		"evri.com", "gls-group.eu", "gls-group.com", "laposte.fr", "colissimo.fr", "chronopost.fr", "correos.es",
		"seur.com", "poste.it", "brt.it", "ctt.pt", "bpost.be", "post.ch", "swisspost.ch", "posti.fi", "postnord.com",
		"postnord.se", "bring.no", "inpost.pl", "inpost.co.uk", "ontrac.com", "lasership.com", "tnt.com", "aramex.com",
		"yodel.co.uk", "japanpost.jp", "aftership.com", "narvar.com", "route.com", "shipstation.com", "17track.net",
		"parcellab.com", "goshippo.com", "easypost.com", "amazon.com")},
	{name: "second factor", asks: []string{
		"re-register", "reregister", "re-enroll", "reenroll", "re-enrol", "re-authenticate", "reauthenticate",
		"re-verify", "reverify", "re-activate", "reactivate", "re-validate", "revalidate", "will be disabled",
		"will be deactivated", "will be removed", "will be suspended", "has expired", "expires today", "be locked",
		"erneut registrieren", "neu registrieren", "wird deaktiviert", "gesperrt", "réenregistrer", "réactiver",
		"sera désactivée", "sera désactivé", "volver a registrar", "reactivar", "será desactivada",
		"registrare nuovamente", "riattivare", "sarà disattivata", "registrar novamente", "reativar",
		"será desativada", "opnieuw registreren", "wordt uitgeschakeld",
	}, topics: []string{
		"multi-factor", "multifactor", "two-factor", "2-factor", "2-step", "two-step", "mfa", "2fa",
		"authenticator app", "zwei-faktor", "2-faktor", "multi-faktor", "mehrstufige authentifizierung",
		"deux facteurs", "double authentification", "multifacteur", "dos factores", "dos pasos",
		"due fattori", "più fattori", "due passaggi", "dois fatores", "multifator", "duas etapas",
		"tweestapsverificatie", "tweefactorauthenticatie", "multifactorauthenticatie",
	}, services: signInServices},
}

// billingServices are the registrable domains of the billing and
// accounting services that send and take payment of invoices for others.
var billingServices = set("stripe.com", "chargebee.com", "recurly.com", "zuora.com", "paddle.com", "bill.com", "intuit.com",
	"quickbooks.com", "xero.com", "freshbooks.com", "zoho.com", "zoho.eu", "invoice2go.com", "squareup.com", "sage.com",
	"netsuite.com", "coupahost.com", "coupa.com", "ariba.com", "tipalti.com", "billtrust.com", "invoiced.com",
	"fastspring.com", "gocardless.com", "waveapps.com", "harvestapp.com", "myob.com", "sumup.com",
	"braintreegateway.com", "chargify.com", "maxio.com", "invoicesimple.com", "sevdesk.de", "lexoffice.de",
	"fortnox.se", "billomat.com", "hubspot.com", "paypal.com", "amazon.com")

// noticeSaid is what noticeLure read in a part: the family and its ask.
type noticeSaid struct {
	family *noticeFamily
	ask    string
}

// noticePhrase is an ask or a topic of noticeFamilies[family], as
// noticeWords leaves it.
type noticePhrase struct {
	family int
	topic  bool
	words  string
	ask    string // as written
}

// noticeStarts indexes noticeFamilies' asks and topics by their first
// word, so that a text is read in one walk over its words.
var noticeStarts = func() map[string][]noticePhrase {
	m := map[string][]noticePhrase{}
	for i, f := range noticeFamilies {
		for k, ws := range [][]string{f.asks, f.topics} {
			for _, w := range ws {
				lw := noticeWords(w)
				first, _, _ := strings.Cut(lw, " ")
				m[first] = append(m[first], noticePhrase{i, k == 1, lw, w})
			}
		}
	}
	return m
}()

// noticeHits is what one walk found: each family's first ask and whether
// a topic of it was said (noticeFamilies has fewer than 8).
type noticeHits [8]struct {
	ask   string
	topic bool
}

// read walks text's words (plainWords) and notes the asks and topics it says.
func (h *noticeHits) read(text string) {
	t := noticeWords(text)
	for i := 0; i < len(t); {
		end := strings.IndexByte(t[i:], ' ')
		if end < 0 {
			end = len(t) - i
		}
		for _, ph := range noticeStarts[t[i:i+end]] {
			if rest := t[i:]; strings.HasPrefix(rest, ph.words) && (len(rest) == len(ph.words) || rest[len(ph.words)] == ' ') {
				switch {
				case ph.topic:
					h[ph.family].topic = true
				case h[ph.family].ask == "":
					h[ph.family].ask = ph.ask
				}
			}
		}
		i += end + 1
	}
}

// noticeWords is text's words one space apart: letters, digits and
// apostrophes (n'a, n’a), a hyphen parting words as a space does
// (Zwei-Faktor-Authentifizierung says zwei faktor).
func noticeWords(text string) string {
	return strings.Join(strings.FieldsFunc(strings.ReplaceAll(text, "\u2019", "'"), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}), " ")
}

// said is the first family (in noticeFamilies' order) whose ask, and topic
// when it needs one, was said.
func (h *noticeHits) said() noticeSaid {
	for i := range noticeFamilies {
		if f := &noticeFamilies[i]; h[i].ask != "" && (f.topics == nil || h[i].topic) {
			return noticeSaid{f, h[i].ask}
		}
	}
	return noticeSaid{}
}

// noticeLure is the notice (noticeFamilies) that the subject or the text
// of p says, once a part; family nil for none.
func (e *env) noticeLure(p *message.Part) noticeSaid {
	if r, ok := e.noticeLures[p]; ok {
		return r
	}
	var h noticeHits
	h.read(plainWords(e.m.Subject))
	h.read(e.plainText(p))
	r := h.said()
	if e.noticeLures == nil {
		e.noticeLures = map[*message.Part]noticeSaid{}
	}
	e.noticeLures[p] = r
	return r
}

// noticeVerbs are the verbs of a notice's button beside buttonVerbs':
// paying, scheduling, registering, confirming ("Pay now", "Schedule
// delivery", "Neue Zustellung planen", "Confirm details"), as lureText
// leaves them.
var noticeVerbs = skeletonSet("pay", "schedule", "reschedule", "register", "reregister", "re-register", "enroll",
	"re-enroll", "reenroll", "enrol", "submit", "proceed", "settle",
	"bezahlen", "zahlen", "planen", "registrieren", "aktualisieren", "weiter",
	"payer", "reprogrammer", "programmer", "enregistrer", "confirmer", "continuer", "regler",
	"pagar", "reprogramar", "programar", "registrar", "confirmar", "actualizar", "continuar",
	"pagare", "paga", "riprogramma", "programma", "registra", "conferma", "aggiorna", "continua",
	"reagendar", "agendar", "atualizar", "betalen", "plannen", "registreren", "bijwerken", "doorgaan")

// hereWords are a link's text that points at the sentence before it
// ("you can view the invoice <a>here</a>"); a signature never says it.
var hereWords = skeletonSet("here", "hier", "ici", "aqui", "qui")

// noticeButton: text, a link's, is a notice's button: a lure's button
// (lureButton), a word that points at the sentence before it (hereWords),
// at most maxButtonWords words with a verb that opens, pays, schedules,
// registers or confirms (buttonVerbs, noticeVerbs), or a notice's ask
// (Zahlungserinnerung); it shows no domain. A signature's, a footer's or a
// newsletter's links name a site or a page ("www.supplier.example", "My
// account", "Help").
func (e *env) noticeButton(text string) bool {
	if strings.TrimSpace(text) == "" || e.linkTextHost(text) != "" {
		return false
	}
	if e.lureButton(text) {
		return true
	}
	words := strings.Fields(lureText(text))
	if len(words) == 1 && hereWords[words[0]] {
		return true
	}
	if len(words) <= maxButtonWords {
		for _, w := range words {
			if noticeVerbs[w] || buttonVerbs[w] {
				return true
			}
		}
	}
	var h noticeHits
	h.read(plainWords(text))
	for _, f := range h {
		if f.ask != "" {
			return true
		}
	}
	return false
}

// maxAskReach is how far before a plain-text part's web address its ask
// is looked for, in bytes.
const maxAskReach = 300

// askBeside: the web address u stands in plain-text part p in the line, or
// just after the line, that says one of f's asks ("pay the redelivery
// fee:\n\nhttps://..."); a signature's address stands under a name.
func (e *env) askBeside(p *message.Part, u urls.URL, f *noticeFamily) bool {
	t := string(head(p))
	at := strings.Index(t, u.Raw)
	if at < 0 {
		return false
	}
	before := strings.TrimRight(t[max(0, at-maxAskReach):at], " \t\r\n")
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	line := plainWords(before)
	for _, w := range f.asks {
		if hasWord(line, w) {
			return true
		}
	}
	return false
}

// checkNoticeLureLink: the mail (or an HTML page it attaches) says an
// invoice, payroll change, parcel or second factor needs the reader
// (noticeFamilies), sent from outside the recipients' domain, and the
// notice's button (noticeButton; in a plain-text mail, a web address after
// the ask) goes to a host that is neither the sender's (nor named as the
// sender's domain is), nor a brand's own, nor a provider's that sends such
// notices (a billing or payroll provider, a carrier or tracking service,
// an identity provider). Free hosting is free-hosting-lure's; a click
// tracker's link is a newsletter's.
func checkNoticeLureLink(e *env, p *message.Part, u urls.URL) string {
	plain := u.Source == urls.SourceText && !urls.IsHTML(p) && !e.isAttachment(p)
	if plain {
		u.Source = urls.SourceHref // the mail reader makes it a link, and a plain-text notice has no other
	}
	if e.isAttachment(p) && !eventText(p) && (!urls.IsHTML(p) || e.inContainer(p)) || !e.lureHost(u) || e.sendersName(u.Host) ||
		urls.ClickTrackerLink(u.Normalized, u.Host) || e.fromInside() || e.internal(e.registrable(u.Host)) {
		return ""
	}
	if _, ok := e.hosted(u); ok || !plain && !e.noticeButton(u.Text) {
		return ""
	}
	n := e.noticeLure(p)
	if n.family == nil || n.family.services[e.registrable(u.Host)] {
		return ""
	}
	if plain {
		if !e.askBeside(p, u, n.family) {
			return ""
		}
		return "the " + n.family.name + " notice says " + show(n.ask) + " and the address after it goes to " + show(u.Host)
	}
	return "the " + n.family.name + " notice says " + show(n.ask) + " and its button " + show(truncate(u.Text, 60)) + " goes to " + show(u.Host)
}

// voicemailLure: lure (docLure's) tells of a voicemail.
func voicemailLure(lure string) bool {
	for _, w := range []string{"voicemail", "voice message", "sprachnachricht", "message vocal", "mensaje de voz",
		"messaggio vocale", "mensagem de voz", "listen to message"} {
		if strings.Contains(lure, w) {
			return true
		}
	}
	return false
}

// checkVoicemailLureLink: a voicemail lure that document-share-lure finds,
// sent from outside the recipients' domain, whose link goes to no phone
// system's host (shareServices). Voicemail is the recipient's own phone system's mail: it
// comes from the company's own domain or from the phone service, which
// links its own site; unlike a document, nobody shares a voicemail from a
// portal of their own.
func checkVoicemailLureLink(e *env, p *message.Part, u urls.URL) string {
	if !e.lureHost(u) || e.fromInside() || e.sendersName(u.Host) { // lureHost: no phone system's (shareServices)
		return ""
	}
	lure, _ := e.docLure(p)
	if !voicemailLure(lure) || checkDocumentShareLure(e, p, u) == "" {
		return ""
	}
	return "the voicemail notice from " + show(e.sender) + " says " + show(lure) + " and its link goes to " + show(u.Host) + ", no phone system's"
}
