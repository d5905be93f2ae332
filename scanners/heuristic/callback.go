package heuristic

import (
	"bytes"
	"encoding/binary"
	"net/mail"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/showntext"
	"github.com/kensa-milter/kensa/unpack"
	"github.com/kensa-milter/kensa/urls"
)

// Callback phishing (TOAD, BazarCall): a mail body or an attached PDF says
// that a well-known brand charged the reader, renewed a subscription or
// placed an order, and gives a telephone number to call to cancel, dispute
// or get a refund. There is usually no link at all: the call is the attack
// (a "refund" that installs remote-control software, a bank transfer).
//
// The text is read as the reader sees it (a PDF's page text, an Office or
// RTF document's text, an HTML body's or page's visible text with its
// images' alt text), folded so that the disguises a reader does not notice
// fall away: width (full-width letters and digits), invisible format
// characters, accents, letters of other scripts that look alike (a brand
// read by its TR39 skeleton, so "Nоrton" with a Cyrillic о or "N0rton"
// meet "norton"), letters spaced out ("N o r t o n"), digits of other
// scripts (Arabic-Indic), the letters O, I and l for digits inside a
// number, digits spelled as words. All of these must be there, in one of
// seven languages: the brand named at the head of the text (where a lure
// puts its logo and name; an invoice that names the brand later, as a
// means of payment, is not about it), an amount of money, a charge or
// order, an ask to cancel, dispute or claim a refund, and a telephone
// number with a word asking for a call beside it; and the sender must not
// be the brand (its own domain, not a free-mail one anyone can send from)
// nor, unless it is free mail, a company that names itself in the text
// (senderShown). A lure that is only a picture is not read.

// callbackBrands are the brands of the urls package's list that callback
// lures use: subscriptions and payments. Brands that are ordinary words
// ("office", "chase", "zoom") are left out.
var callbackBrands = set("norton", "mcafee", "geeksquad", "bestbuy", "paypal", "microsoft", "amazon", "apple",
	"netflix", "coinbase", "binance", "spotify", "docusign", "adobe", "dropbox", "wellsfargo", "bankofamerica", "ebay")

// maxCallbackText bounds the text read for a lure, in bytes.
const maxCallbackText = 64 << 10

// callbackHead is how far into the text (runes) the brand must be named.
const callbackHead = 160

func checkCallback(e *env, p *message.Part) []string {
	// The brand first, in the head alone: most text names none, and
	// reading and folding all of it costs; an HTML body that cannot name
	// one, whatever it hides, is not read at all.
	text := e.shownTextIf(p, 4*callbackHead, pieceGates.nameBrand)
	if text == "" {
		return nil
	}
	brand := leadingBrand(foldLure(text[:min(len(text), 4*callbackHead)]))
	if brand == "" || e.sender != "" && brandOwns(brand, e.sender) && !freemail(e.sender) {
		return nil // the brand's own mail; not a free mail service anyone sends from (outlook.com is Microsoft's, and every lure's)
	}
	text = e.shownText(p, maxCallbackText)
	folded := foldLure(text[:min(len(text), maxCallbackText)])
	d := callbackLure(brand, folded, e.sender)
	if d == "" || e.senderShown(folded) {
		return nil
	}
	if e.sender != "" && !freemail(e.sender) && !lureDoubt.MatchString(folded) && (e.greetsReader(folded) || unsubscribable(e, p, folded)) {
		// A company's mail that asks only to cancel (no doubt that the
		// charge was the reader's) and knows the reader by name or lets
		// them unsubscribe: a shop's order confirmation that never names
		// the shop, a service desk's renewal note to a client ("Hello
		// Kenji ... to cancel seats call the IT desk"). A hijacked
		// mailbox's lure goes to many, by no name, and says the charge
		// was not the reader's or asks only to call.
		return nil
	}
	return []string{d}
}

// shownText is the text of p a reader sees, "" for none: a PDF's pages, an
// Office document's or an RTF file's text, an attached HTML page's text,
// and a mail body's text (an HTML body's as a client shows it, image
// descriptions included) with the Subject in front. Readers stop after
// about limit bytes of text.
func (e *env) shownText(p *message.Part, limit int) string {
	return e.shownTextIf(p, limit, nil)
}

// readShownText is shownTextIf's reading, done once a part and limit.
func (e *env) readShownText(p *message.Part, limit int, need func(pieceGates) bool) string {
	if t, ok := e.calendarShown(p, limit); ok { // calendar.go
		return t
	}
	if t := e.pdfText(p); t != "" {
		return t
	}
	if t := e.officeText(p, limit); t != "" {
		return t
	}
	if t := e.binaryOfficeText(p, limit); t != "" { // legacytext.go: .doc, .xls, .ppt
		return t
	}
	if p.DetectedType == filetype.RTF || bytes.HasPrefix(p.Content, []byte(`{\rt`)) { // Word opens {\rt as RTF
		return rtfShown(head(p), limit)
	}
	if e.isAttachment(p) {
		if !urls.IsHTML(p) || need != nil && !e.shownRead(p) && !need(e.gatesOf(p, "")) {
			return "" // a PDF's joined streams, an Office document's parts (read above, through their document), anything else's bytes
		}
		return e.htmlText(p, limit) // an HTML page, attached or in an archive
	}
	switch {
	case urls.IsHTML(p) && need != nil && !e.shownRead(p) && !need(e.gatesOf(p, e.m.Subject)):
		return ""
	case urls.IsHTML(p):
		return e.m.Subject + "\n" + e.htmlText(p, limit)
	case isText(head(p)):
		return e.m.Subject + "\n" + string(head(p)[:min(len(head(p)), limit)])
	case p == e.m.Parts[0]:
		return e.m.Subject // a body that is only a picture: the Subject is its text
	}
	return ""
}

// htmlText is the text HTML part p shows (htmlText), about limit bytes of
// it: read once for every check, up to maxShownHTML bytes.
func (e *env) htmlText(p *message.Part, limit int) string {
	t := e.readShown(p).text
	return t[:min(len(t), limit)]
}

// htmlChars is what visibleText counts of HTML part p, from the same one
// reading as its text: a page's markup is parsed once for the loader check
// and the checks that read its text.
func (e *env) htmlChars(p *message.Part) int { return e.readShown(p).chars }

// shownRead: HTML part p's text has been read (readShown).
func (e *env) shownRead(p *message.Part) bool {
	_, ok := e.htmlShown[p]
	return ok
}

// htmlShown is readShown's answer for a part.
type htmlShown struct {
	chars int
	text  string
}

// readShown reads HTML part p as its reader is shown it: an attachment as
// a browser opens it, a body as a mail client draws it (no scripts, so
// its <noscript> shows).
func (e *env) readShown(p *message.Part) htmlShown {
	s, ok := e.htmlShown[p]
	if !ok {
		read := showntext.ReadBody
		if e.isAttachment(p) {
			read = showntext.Read
		}
		s.chars, s.text = read(head(p), maxShownHTML)
		if e.htmlShown == nil {
			e.htmlShown = map[*message.Part]htmlShown{}
		}
		e.htmlShown[p] = s
	}
	return s
}

// maxShownHTML bounds the text of an HTML part read for the checks that
// read it (callback-phishing, document-share-lure), in bytes.
const maxShownHTML = max(maxCallbackText, maxDocLureText)

// The lure's words, in English, German, French, Spanish, Italian,
// Portuguese and Dutch, as foldLure leaves them: lower case, accents
// dropped ("kündigen" is "kundigen", "não" "nao").
var (
	lureMoney  = regexp.MustCompile(`[$€£]\s?\d|\d\s?[$€£]|\d[\d,. ]*\d\s?(?:usd|eur|gbp|chf|brl|dollars?|euros?|reais|pounds?)\b|\b(?:usd|eur|gbp|chf|brl)\s?\d`)
	lureCharge = regexp.MustCompile(`\b(?:` +
		`renew\w*|auto-?renew\w*|subscri\w+|charged?|debited|deducted|billed|billing|invoice|order(?:ed)?|purchased?|payment|membership|transaction|receipt|withdraw\w*|transfer\w*|` + // en
		`verlanger\w*|abo|abonnement\w*|abgebucht|belastet|berechnet|rechnung\w*|bestell\w*|zahlung\w*|mitgliedschaft\w*|gekauft|kauf|transaktion\w*|lastschrift\w*|abbuchung\w*|` + // de
		`renouvel\w*|debite\w*|preleve\w*|prelevement\w*|facture\w*|commande\w*|paiement\w*|achat\w*|adhesion\w*|recu|` + // fr
		`renov\w*|suscripcion\w*|cargo\w*|cargad\w*|cobrad\w*|cobro\w*|cobranca\w*|debitad\w*|factura\w*|fatura\w*|pedido\w*|pago\w*|pagament\w*|compra\w*|membresia\w*|transac\w*|recibo\w*|assinatura\w*|` + // es, pt
		`rinnov\w*|abbonament\w*|addebit\w*|fattura\w*|ordine\w*|acquist\w*|transazion\w*|ricevuta\w*|` + // it
		`verlengd\w*|verlenging\w*|afgeschreven|gefactureerd|in rekening gebracht|factuur\w*|bestelling\w*|betaling\w*|aankoop\w*|lidmaatschap\w*|transactie\w*` + // nl
		`)\b`)
	lureAsk = regexp.MustCompile(`\b(?:` +
		`cancel\w*|dispute|unauthori[sz]ed|not authori[sz]ed?|(?:did ?n[o']t|do ?n[o']t|never) (?:authori[sz]e|make|order|place|request|recogni[sz]e|purchase)|fraudulent|(?:claim|get|request|receive|for) (?:a |your |the )?refund|refund (?:department|desk|team|process)|` +
		`kundig\w*|storn\w*|widerruf\w*|widerspruch\w*|ruckerstattung\w*|erstattung\w*|nicht (?:autorisiert|genehmigt|veranlasst|von ihnen)|` +
		`annul\w*|resili\w*|rembours\w*|contester|non autorise\w*|pas (?:autorise\w*|effectue\w*|reconnu\w*)|` +
		`anular\w*|reembolso\w*|disputar|reclamar|no (?:autorizad\w*|reconoce\w*|realizo)|` +
		`disdi\w*|disdetta|rimbors\w*|contestare|non (?:autorizzat\w*|riconosc\w*)|` +
		`estorno\w*|contestar|nao (?:autorizad\w*|reconhec\w*)|` +
		`annuleer\w*|annuler\w*|opzeg\w*|terugbetal\w*|restitutie\w*|betwist\w*|niet (?:geautoriseerd|herken\w*|gedaan)` +
		`)`)
	// lureDoubt: the text says the charge may not be the reader's (not
	// authorized, not made by you, fraudulent, to dispute or refund).
	lureDoubt = regexp.MustCompile(`\b(?:` +
		`unauthori[sz]ed|not authori[sz]ed?|(?:did ?n[o']t|do ?n[o']t|never) (?:authori[sz]e|make|order|place|request|recogni[sz]e|purchase)|fraud\w*|refund\w*|dispute\w*|(?:was ?n[o']t|not) (?:you|made by you)|not recogni[sz]e\w*|` +
		`ruckerstattung\w*|erstattung\w*|widerspruch\w*|nicht (?:autorisiert|genehmigt|veranlasst|von ihnen|sie|erkannt)|` +
		`rembours\w*|contester|non autorise\w*|pas (?:autorise\w*|effectue\w*|reconnu\w*|vous|a l'origine)|` +
		`reembolso\w*|disputar|reclamar|no (?:autorizad\w*|reconoce\w*|realizo|fue usted)|` +
		`rimbors\w*|contestare|non (?:autorizzat\w*|riconosc\w*|sei stato tu)|` +
		`estorno\w*|contestar|nao (?:autorizad\w*|reconhec\w*|foi voce)|` +
		`terugbetal\w*|restitutie\w*|betwist\w*|niet (?:geautoriseerd|herken\w*|gedaan|door u)` +
		`)`)
	// lureCall: a word asking for a call, in the 80 bytes before a number.
	lureCall = regexp.MustCompile(`\b(?:` +
		`call\w*|phone|tel|telephone|toll|freephone|helpline|hotline|help ?desk|desk|department|line|dial|reach|ring|contact|support|number|customer (?:care|service)|` +
		`anruf\w*|rufen|telefon\w*|kundenservice|kundendienst|rufnummer|nummer|kontakt\w*|erreichen|gebuhrenfrei|` +
		`appel\w*|numero|service client|assistance|joindre|ligne|` +
		`llam\w*|linea|atencion al cliente|soporte|comuniquese|` +
		`chiam\w*|assistenza|servizio clienti|contatt\w*|` +
		`ligue|ligar|ligacao|central|atendimento|suporte|contat\w*|` +
		`bel|bellen|klantenservice` +
		`)\b`)
	// lureCallAfter: the same right after the number ("(toll free)").
	lureCallAfter = regexp.MustCompile(`^[\s:,.()-]{0,4}(?:toll[ -]?free|freephone|helpline|hotline|support|customer (?:care|service)|gebuhrenfrei|kostenlos|gratuit\w*|gratis|numero verde)\b`)
)

// callbackLure judges text (folded by foldLure) whose head names brand, a
// brand the sender (a registrable domain) is not: a detail when it is a
// callback lure.
func callbackLure(brand, text, sender string) string {
	if !lureMoney.MatchString(text) || !lureCharge.MatchString(text) || !lureAsk.MatchString(text) {
		return ""
	}
	number := callNumber(text)
	if number == "" {
		return ""
	}
	from := sender
	if from == "" {
		from = "unknown"
	}
	return "names " + show(brand) + " with a charge to cancel or dispute and a number to call " + show(number) + ", from " + show(from)
}

// leadingBrand is the first brand of callbackBrands named in the head of
// text: a word, two words run together ("geek squad"), or letters spaced
// out one by one ("n o r t o n").
func leadingBrand(text string) string {
	headText := text
	if n := utf8.RuneCountInString(text); n > callbackHead {
		headText = string([]rune(text)[:callbackHead])
	}
	words := strings.FieldsFunc(headText, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var spaced strings.Builder // single letters in a row
	try := func(w string) string {
		if b, ok := urls.BrandWord(strings.TrimRight(w, "0123456789")); ok && callbackBrands[b] {
			return b
		}
		return ""
	}
	for i, w := range words {
		if i > 0 && paidWith[words[i-1]] {
			continue // "pay with PayPal": a means of payment, not the seller
		}
		if utf8.RuneCountInString(w) == 1 {
			spaced.WriteString(w)
			if b := try(spaced.String()); b != "" {
				return b
			}
			continue
		}
		spaced.Reset()
		if b := try(w); b != "" {
			return b
		}
		if i+1 < len(words) {
			if b := try(w + words[i+1]); b != "" {
				return b
			}
		}
	}
	return ""
}

// brandWords are callbackBrands' skeletons, as pieceMatcher reads them.
var brandWords = func() []string {
	var pats []string
	for b := range callbackBrands {
		pats = append(pats, vvForW(urls.Skeleton(b)))
	}
	sort.Strings(pats)
	return pats
}()

// mayNameBrand: the text a reader sees of markup b, after subject, can
// name one of callbackBrands (leadingBrand), whatever its styles hide:
// its pieces (shownPieces) can make one's letters. A brand word is read
// by its skeleton, and a skeleton is its characters' skeletons in a row;
// so are words run together and letters spaced out. Read with
// mayShowSteps' question in one pass (readGates).
func mayNameBrand(subject string, b []byte) bool { return readGates(subject, b).brand }

// ownNumber: the writer gives their own number ("call me at", "my
// mobile"); customerSide: the writer is the one charged ("you charged me",
// "on my card"). Both together are a customer writing about a charge, whose
// number is no desk to call; a lure written as a person ("this is Mark
// from Norton billing, call me at ...") says the reader was charged.
var (
	ownNumber = regexp.MustCompile(`\b(?:call|reach|contact|ring|text|phone) me\b|\bmy (?:cell|mobile|phone|number|direct line)\b|` +
		`\brufen sie mich\b|\bmich (?:unter|an)\b|\bmeine (?:nummer|handynummer|telefonnummer|mobilnummer)\b|` +
		`\bappelez-moi\b|\bme (?:rappeler|joindre|contacter)\b|\bmon (?:numero|portable|telephone)\b|` +
		`\bllam(?:eme|arme)\b|\bcontacteme\b|\bmi (?:numero|telefono|movil|celular)\b|` +
		`\bchiamatemi\b|\bmi (?:chiami|richiami|contatti)\b|\bmio (?:numero|cellulare|telefono)\b|` +
		`\bme (?:ligue|liguem|contate)\b|\bligue-me\b|\bmeu (?:numero|telefone|celular)\b|` +
		`\bbel (?:me|mij)\b|\bmijn (?:nummer|telefoonnummer|mobiele nummer|mobiel)\b`)
	customerSide = regexp.MustCompile(`\b(?:charged|billed|debited|overcharged|double-?charged) (?:me|us)\b|\bi (?:was|got|have been|ve been|am being) (?:double-?)?(?:charged|billed|debited|overcharged)\b|\b(?:on|from|to) (?:my|our) (?:card|account|bank|statement|credit card)\b|` +
		`\bmir\b.{0,60}\b(?:berechnet|abgebucht|belastet)\b|\bmein(?:e|em|er)? (?:konto|karte|kreditkarte)\b|` +
		`\bm.a (?:ete )?(?:facture|debite|preleve)|\b(?:mon compte|ma carte|mon releve)\b|` +
		`\bme (?:cobraron|cobro|han cobrado|han cargado|cargaron|han debitado|cobraram|cobrou)\b|\bmi (?:cuenta|tarjeta)\b|\bfui cobrad\w*|\b(?:minha conta|meu cartao)\b|` +
		`\bmi (?:hanno|ha|e stato|sono stati) (?:addebitat|fatturat)\w*|\b(?:la mia carta|il mio conto)\b|` +
		`\bmij\b.{0,60}\b(?:gefactureerd|afgeschreven|in rekening gebracht)\b|\bmijn (?:rekening|kaart|creditcard)\b`)
)

// paidWith are the words before a brand that names a means of payment.
var paidWith = set("via", "by", "with", "through", "using", "accept", "accepted", "mit", "uber", "par", "avec", "con", "mediante", "com", "met", "tramite")

// callNumber is the first telephone number in text that a word asking for
// a call comes before (within 80 bytes) or right after ("toll free"): 10
// to 15 digits, or 8 or 9 after a toll-free or service prefix (0800,
// 900...), written with spaces, dots, dashes, slashes or parentheses
// between groups, O, I or l for a zero or a one, digits spelled as words
// among them ("one 8OO five five five"), a + before; "" for none.
func callNumber(text string) string {
	text = spellDigits(text)
	customer := -1 // customerSide, worked out when a number needs it
	for i := 0; i < len(text); {
		c := text[i]
		if !(c >= '0' && c <= '9' || c == '+' || c == '(') {
			i++
			continue
		}
		end, ds, real := phoneRun(text, i)
		before := text[max(0, i-80):i]
		if phoneDigits(ds) && real >= 7 && !idLabel.MatchString(text[max(0, i-30):i]) && (lureCall.MatchString(before) || lureCallAfter.MatchString(text[end:min(len(text), end+40)])) && !dialIn(text, i, end) { // dialIn: calendar.go
			if ownNumber.MatchString(before) {
				if customer < 0 {
					customer = 0
					if customerSide.MatchString(text) {
						customer = 1
					}
				}
				if customer == 1 {
					i = max(end, i+1)
					continue
				}
			}
			return strings.TrimSpace(text[i:end])
		}
		i = max(end, i+1)
	}
	return ""
}

// idLabel: the words right before a number that make it an order's,
// invoice's or account's, not a telephone number.
var idLabel = regexp.MustCompile(`\b(?:order|invoice|ref(?:erence|erenz|erencia|erentie)?|account|acct|transaction|txn|case|ticket|id|serial|licen[cs]e|key|bestell\w*|rechnung\w*|kunden(?:nummer|nr)?|commande|facture|pedido|factura|ordine|fattura|fatura|bestelling|factuur)(?: ?(?:no|nr|n|number|id|nummer|numero))?[.:#\s]*$`)

// phoneDigits: ds, the digits of a run, are a telephone number's.
func phoneDigits(ds string) bool {
	switch n := len(ds); {
	case n >= 10 && n <= 15:
		return true
	case n == 8 || n == 9:
		for _, p := range []string{"0800", "0808", "0805", "0900", "800", "900"} {
			if strings.HasPrefix(ds, p) {
				return true
			}
		}
	}
	return false
}

// phoneRun reads the run of a telephone number's characters from text[i]:
// where it ends, its digits (o, i or l standing for 0, 1 and 1 among them;
// more than 16 is reported as 17) and how many of them are real digits.
func phoneRun(text string, i int) (end int, ds string, real int) {
	var d [17]byte
	n := 0
	sep := 0 // separators in a row
	end = i
	for j := i; j < len(text); j++ {
		c := text[j]
		switch {
		case c >= '0' && c <= '9' || j > i && letterDigit(text, j):
			if c >= '0' && c <= '9' {
				real++
			} else if c == 'o' {
				c = '0'
			} else {
				c = '1'
			}
			d[min(n, len(d)-1)] = c
			n = min(n+1, len(d))
			sep = 0
			end = j + 1
		case c == ' ' || c == '.' || c == '-' || c == '_' || c == '(' || c == ')' || c == '/' || c == '+' && j == i:
			if sep++; sep > 3 {
				return end, string(d[:n]), real
			}
		default:
			return end, string(d[:n]), real
		}
	}
	return end, string(d[:n]), real
}

// letterDigit: text[j] is an o, i or l written for a digit: after a
// digit, another such letter or a separator, and in a run of such letters
// that no other letter ends ("8OO", "O199", not "or" or "line").
func letterDigit(text string, j int) bool {
	if !isLetterDigit(text[j]) {
		return false
	}
	if p := text[j-1]; !isDigitByte(p) && !isLetterDigit(p) && p != ' ' && p != '-' && p != '.' {
		return false
	}
	k := j
	for k < len(text) && isLetterDigit(text[k]) {
		k++
	}
	return k == len(text) || !isASCIILetter(text[k])
}

func isLetterDigit(c byte) bool { return c == 'o' || c == 'i' || c == 'l' }

// digitWord: a digit spelled in English.
var digitWord = regexp.MustCompile(`\b(?:zero|one|two|three|four|five|six|seven|eight|nine)\b`)

var digitOf = map[string]byte{"zero": '0', "one": '1', "two": '2', "three": '3', "four": '4', "five": '5', "six": '6', "seven": '7', "eight": '8', "nine": '9'}

// spellDigits writes the digits of text spelled as words as digits where
// they stand beside a digit or another such word with only separators
// between ("one 8OO five five five"); other such words ("no one") stay.
func spellDigits(text string) string {
	ms := digitWord.FindAllStringIndex(text, 4096)
	if len(ms) == 0 {
		return text
	}
	// reach is how far from text[k] separators go, in direction step
	// (at most 3 of them).
	reach := func(k, step int) int {
		for n := 0; n < 3 && k >= 0 && k < len(text) && strings.IndexByte(" -./()", text[k]) >= 0; n++ {
			k += step
		}
		return k
	}
	digitAt := func(k int) bool { return k >= 0 && k < len(text) && isDigitByte(text[k]) }
	var b strings.Builder
	last := 0
	for k, m := range ms {
		left, right := reach(m[0]-1, -1), reach(m[1], 1)
		joined := digitAt(left) || digitAt(right) ||
			k > 0 && ms[k-1][1] == left+1 || k+1 < len(ms) && ms[k+1][0] == right
		if !joined {
			continue
		}
		b.WriteString(text[last:m[0]])
		b.WriteByte(digitOf[text[m[0]:m[1]]])
		last = m[1]
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigitByte(c byte) bool   { return c >= '0' && c <= '9' }

// foldASCII is foldLure of ASCII text (false for other text): Visible and
// NFD leave it as it is, so it is only lower-cased, with control spaces
// as spaces. Eight bytes are folded at once, a stretch at a time.
func foldASCII(text string) (string, bool) {
	const (
		hi     = 0x8080808080808080
		spaces = 0x2020202020202020
	)
	var b strings.Builder
	b.Grow(len(text))
	var buf [512]byte
	for len(text) > 0 {
		n := min(len(text), len(buf))
		i := 0
		for ; i+8 <= n; i += 8 {
			w := load64(text[i:])
			if w&hi != 0 {
				return "", false
			}
			// With every byte below 0x80 no sum carries into the next
			// byte: the top bit of byte+0x3f is set from "A" up, that of
			// byte+0x25 from "[" up; that of byte+0x77 from "\t" up, that
			// of byte+0x72 past "\r".
			upper := (w + 0x3f3f3f3f3f3f3f3f) &^ (w + 0x2525252525252525) & hi
			ctl := ((w + 0x7777777777777777) &^ (w + 0x7272727272727272) & hi >> 7) * 0xff
			binary.LittleEndian.PutUint64(buf[i:], (w|upper>>2)&^ctl|ctl&spaces)
		}
		for ; i < n; i++ {
			switch c := text[i]; {
			case c >= utf8.RuneSelf:
				return "", false
			case c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
				buf[i] = ' '
			case 'A' <= c && c <= 'Z':
				buf[i] = c + 'a' - 'A'
			default:
				buf[i] = c
			}
		}
		b.Write(buf[:n])
		text = text[n:]
	}
	return b.String(), true
}

// foldLure folds text as callback lures disguise it: as a reader sees it
// (urls.Visible: NFKC for full-width letters and digits, format
// characters dropped), accents dropped (so that the words of the lure
// languages are ASCII), digits of every script as ASCII, no-break spaces as
// spaces, dashes as hyphens, middle dots as dots, lower case.
func foldLure(text string) string {
	if b, ok := foldASCII(text); ok {
		return b
	}
	return foldUnicode(text)
}

// foldUnicode is foldLure of any text.
func foldUnicode(text string) string {
	text = norm.NFD.String(urls.Visible(text))
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		switch {
		case r < 0x80:
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsDigit(r):
			r = '0' + scriptDigit(r)
		case r == '\u00A0' || r == '\u202F' || r == '\u2007' || unicode.IsSpace(r):
			r = ' '
		case unicode.Is(unicode.Pd, r) || r == '\u2212':
			r = '-'
		case r == '\u00B7' || r == '\u2022' || r == '\u2027' || r == '\u2219' || r == '\u30FB' || r == '\u22C5':
			r = '.' // middle dots and bullets between a number's groups
		case r == '\u2019' || r == '\u02BC':
			r = '\''
		}
		if r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' {
			r = ' '
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// scriptDigit is the value of a decimal digit of any script: Unicode puts
// each script's digits 0 to 9 in a row, and NFKC has made the runs of
// several sets (mathematical digits) ASCII already.
func scriptDigit(r rune) rune {
	zero := r
	for k := 0; k < 9 && unicode.IsDigit(zero-1); k++ {
		zero--
	}
	return (r - zero) % 10
}

// senderShown: the text names who sent it, as a company's own mail does
// (its name in a signature or an address: "Acme IT" from acme-corp.example,
// "Software Store" from softwarestore.example), or the mail stays inside
// the sender's domain (an IT desk writing to staff). A lure borrows a
// brand and names nothing of the domain it comes from (a company's
// hijacked mailbox, a new domain); free mail names nobody, and a name made
// of lure words alone (billing-center.example) or a brand says nothing.
func (e *env) senderShown(text string) bool {
	f := e.senders()
	doms := []string{e.sender, registrable(f.envelope)}
	for _, mb := range f.from {
		doms = append(doms, registrable(domainOfAddr(mb.addr)))
	}
	var squashed string // text's letters and digits alone
	for _, d := range doms {
		if d == "" || freemail(d) {
			continue
		}
		label, _, _ := strings.Cut(d, ".")
		if squashed == "" {
			squashed = strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, text)
		}
		whole := strings.ReplaceAll(label, "-", "")
		if len(whole) >= 4 && !lureWordsOnly(whole) && strings.Contains(squashed, whole) {
			return true
		}
		for _, w := range strings.FieldsFunc(label, func(r rune) bool { return r < 'a' || r > 'z' }) {
			if len(w) >= 4 && !lureWordsOnly(w) && hasWord(text, w) {
				return true
			}
		}
		if e.internal(d) || e.linksTo(d) {
			return true
		}
	}
	return false
}

// greetsReader: the head of text (folded) names a recipient as a word: a
// word of 3 letters or more of a To or Cc display name or of an address's
// local part ("Hello Kenji" to Kenji Sato <kenji.sato@...>).
func (e *env) greetsReader(text string) bool {
	head := text[:min(len(text), 4*callbackHead)]
	names := 0
	try := func(s string) bool {
		for _, w := range strings.FieldsFunc(foldLure(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if names++; names > 64 {
				return false
			}
			if _, brand := urls.BrandWord(w); utf8.RuneCountInString(w) >= 3 && !greetingWords[w] && !brand && !lureWordsOnly(w) && hasWord(head, w) {
				return true
			}
		}
		return false
	}
	list, err := mail.ParseAddressList(e.m.To)
	if err != nil {
		return false
	}
	for _, a := range list {
		local, _, _ := strings.Cut(a.Address, "@")
		if try(a.Name) || try(local) {
			return true
		}
	}
	return false
}

// greetingWords are words of a display name or an address that name no
// one: a role, a team, a greeting.
var greetingWords = set("customer", "customers", "client", "valued", "dear", "sir", "madam", "friend", "account", "subscriber", "kunde", "kunden", "info", "office", "admin", "team", "staff",
	"all", "billing", "accounts", "sales", "support", "service", "contact", "hello", "mail", "user", "users", "member", "members")

// unsubscribeWords say how to leave a mailing list, as foldLure leaves
// them.
var unsubscribeWords = []string{"unsubscribe", "abmelden", "desabonner", "desinscrire", "darse de baja", "cancelar suscripcion",
	"disiscriviti", "annulla iscrizione", "descadastrar", "cancelar inscricao", "afmelden", "uitschrijven", "opt out", "opt-out"}

// unsubscribable: text (folded) says how to unsubscribe and p links
// somewhere, as a shop's mail through its mailing service does.
func unsubscribable(e *env, p *message.Part, text string) bool {
	if len(e.partURLs(p)) == 0 {
		return false
	}
	for _, w := range unsubscribeWords {
		if hasWord(text, w) {
			return true
		}
	}
	return false
}

// linksTo: a mail body links to domain d (a registrable domain), as a
// company's mail links to its own site.
func (e *env) linksTo(d string) bool {
	for _, p := range e.m.Parts {
		if e.isAttachment(p) || !urls.IsHTML(p) && !isText(head(p)) {
			continue
		}
		for _, u := range e.partURLs(p) {
			if u.Host != "" && e.registrable(u.Host) == d {
				return true
			}
		}
	}
	return false
}

// internal: every recipient is at domain d (a registrable domain).
func (e *env) internal(d string) bool {
	rs := e.recipientAddrs()
	for _, r := range rs {
		if registrable(domainOfAddr(r.lower)) != d {
			return false
		}
	}
	return len(rs) > 0
}

// hasWord: w stands in text as a word of its own.
func hasWord(text, w string) bool {
	for i := 0; i < len(text); {
		k := strings.Index(text[i:], w)
		if k < 0 {
			return false
		}
		k += i
		if (k == 0 || !isASCIILetter(text[k-1])) && (k+len(w) == len(text) || !isASCIILetter(text[k+len(w)])) {
			return true
		}
		i = k + 1
	}
	return false
}

// senderLureWords are words lure domains are made of: a sender domain's
// name made of them alone names no company.
var senderLureWords = set("secure", "security", "billing", "bill", "invoice", "invoices", "payment", "payments", "pay", "support",
	"service", "services", "center", "centre", "online", "account", "accounts", "notice", "notices", "notify", "notification", "alert",
	"alerts", "mail", "email", "team", "help", "helpdesk", "desk", "info", "order", "orders", "renewal", "renew", "subscription",
	"customer", "care", "refund", "refunds", "update", "verify", "protect", "protection", "digital", "global", "group", "corp",
	"company", "store", "shop", "tech", "web", "cloud", "app", "admin", "office", "official", "dept", "department", "auto", "the",
	"my", "your", "net", "online", "portal", "hub", "desk", "line", "call", "phone", "contact", "sales", "receipt", "receipts")

// lureWordsOnly: w is made of senderLureWords and brands alone.
func lureWordsOnly(w string) bool {
	ok := make([]bool, len(w)+1) // ok[i]: w[:i] is made of them
	ok[0] = true
	for i := 1; i <= len(w); i++ {
		for j := max(0, i-16); j < i && !ok[i]; j++ {
			if ok[j] {
				_, brand := urls.BrandWord(w[j:i])
				ok[i] = senderLureWords[w[j:i]] || brand && i-j >= 4
			}
		}
	}
	return ok[len(w)]
}

// officeText is the text of an Office document p (OOXML or OpenDocument,
// whose parts unpack has opened, each part a member of p): its headers,
// body and footers, its slides, or a workbook's strings, in that order;
// "" for other parts.
func (e *env) officeText(p *message.Part, limit int) string {
	if !p.Container {
		return ""
	}
	ms := e.officeParts()[p]
	if len(ms) == 0 {
		return ""
	}
	var b strings.Builder
	for _, m := range ms {
		if b.Len() >= limit {
			break
		}
		b.WriteString(showntext.XML(head(m.part), limit-b.Len()))
		b.WriteByte('\n')
	}
	return b.String()
}

// officeMember is a part of an Office document that holds its text.
type officeMember struct {
	rank int // officeTextRank
	name string
	part *message.Part
}

// officeParts are the text parts of each Office document of the message,
// in reading order, found in one walk over the parts.
func (e *env) officeParts() map[*message.Part][]officeMember {
	if e.office != nil {
		return e.office
	}
	e.office = map[*message.Part][]officeMember{}
	for _, q := range e.m.Parts {
		c := e.container(q)
		if c == nil {
			continue
		}
		name := strings.TrimPrefix(q.Path, c.Path+"/")
		r := officeTextRank(name)
		if _, inner, ok := strings.Cut(name, "/"); r == 0 && ok {
			name, r = inner, officeTextRank(inner) // below the attachment's name: 2/Invoice.docx/word/document.xml
		}
		if r > 0 && len(e.office[c]) < 256 {
			e.office[c] = append(e.office[c], officeMember{r, name, q})
		}
	}
	for _, ms := range e.office {
		sort.Slice(ms, func(i, j int) bool { // slide2 before slide10
			a, b := ms[i], ms[j]
			return a.rank < b.rank || a.rank == b.rank && (len(a.name) < len(b.name) || len(a.name) == len(b.name) && a.name < b.name)
		})
	}
	return e.office
}

// officeTextRank is where the Office part name (its path in the package)
// comes in the document's text: 1 headers, 2 body, slides, shared strings,
// sheets (their inline strings) and OpenDocument content, 3 footers; 0 for
// a part without text.
func officeTextRank(name string) int {
	switch {
	case strings.HasPrefix(name, "word/header") && strings.HasSuffix(name, ".xml"):
		return 1
	case name == "word/document.xml", name == "xl/sharedStrings.xml", name == "content.xml",
		strings.HasPrefix(name, "ppt/slides/slide") && strings.HasSuffix(name, ".xml"),
		strings.HasPrefix(name, "xl/worksheets/sheet") && strings.HasSuffix(name, ".xml"): // inline strings
		return 2
	case strings.HasPrefix(name, "word/footer") && strings.HasSuffix(name, ".xml"):
		return 3
	}
	return 0
}

// rtfShown is the text of an RTF document as a word processor shows it:
// plain characters, \'hh bytes (Windows-1252), \uN characters (the
// fallback after each skipped), paragraph and line breaks, with the
// destinations that hold no text (font and colour tables, pictures,
// objects, field instructions, anything marked \*) skipped.
func rtfShown(b []byte, limit int) string {
	type group struct {
		skip bool
		uc   int
	}
	stack := []group{{uc: 1}}
	var out strings.Builder
	pending := 0 // fallback characters left to skip after a \u
	emit := func(r rune) {
		if pending > 0 {
			pending--
			return
		}
		if !stack[len(stack)-1].skip {
			out.WriteRune(r)
		}
	}
	for i := 0; i < len(b) && out.Len() < limit; i++ {
		g := &stack[len(stack)-1]
		switch c := b[i]; c {
		case '{':
			pending = 0
			n := *g
			if bytes.HasPrefix(b[i+1:], []byte(`\*`)) {
				n.skip = true
			}
			if len(stack) < 256 {
				stack = append(stack, n)
			} else {
				stack[len(stack)-1].skip = true
			}
		case '}':
			pending = 0
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case '\r', '\n':
		case '\\':
			if i+1 >= len(b) {
				return out.String()
			}
			i++
			c = b[i]
			switch {
			case c == '\'':
				if i+2 < len(b) {
					if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
						emit(charmap.Windows1252.DecodeByte(byte(v)))
					}
					i += 2
				}
			case c == '\\' || c == '{' || c == '}':
				emit(rune(c))
			case c == '~':
				emit(' ')
			case c == '_':
				emit('-')
			case c == '\r' || c == '\n':
				emit('\n')
			case isASCIILetter(c):
				word, p, k := unpack.RTFWord(b, i-1)
				param, err := strconv.Atoi(string(p))
				hasParam := err == nil
				if k < len(b) && b[k] == ' ' {
					k++ // the delimiter space belongs to the control word
				}
				i = k - 1
				if word == "bin" && hasParam { // binary data, not text
					i += min(max(param, 0), len(b)-k)
					continue
				}
				switch {
				case rtfSkipped[word]:
					g.skip = true
				case word == "par" || word == "line" || word == "row" || word == "sect" || word == "page":
					emit('\n')
				case word == "tab" || word == "cell":
					emit(' ')
				case word == "uc" && hasParam:
					g.uc = min(max(param, 0), 8)
				case word == "u" && hasParam:
					if param < 0 {
						param += 65536
					}
					emit(rune(param))
					pending = g.uc
				case word == "emdash" || word == "endash":
					emit('-')
				case word == "lquote" || word == "rquote":
					emit('\'')
				}
			}
		default:
			if c >= 0x80 {
				emit(charmap.Windows1252.DecodeByte(c))
			} else {
				emit(rune(c))
			}
		}
	}
	return out.String()
}

// rtfSkipped are the RTF destinations whose content is not text the
// reader sees.
var rtfSkipped = set("fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "objdata", "themedata", "colorschememapping",
	"datastore", "latentstyles", "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl", "fldinst", "filetbl",
	"revtbl", "pgdsctbl", "bkmkstart", "bkmkend")
