package heuristic

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// Callback phishing (TOAD, BazarCall): a mail body or an attached PDF says
// that a well-known brand charged the reader, renewed a subscription or
// placed an order, and gives a telephone number to call to cancel, dispute
// or get a refund. There is usually no link at all: the call is the attack
// (a "refund" that installs remote-control software, a bank transfer).
//
// The text is read as the reader sees it (a PDF's page text, an HTML
// body's visible text), folded so that the disguises a reader does not
// notice fall away: width (full-width letters and digits), invisible
// format characters, letters of other scripts that look alike (a brand
// read by its TR39 skeleton, so "Nоrton" with a Cyrillic о or "N0rton"
// meet "norton"), letters spaced out ("N o r t o n"), digits of other
// scripts (Arabic-Indic), the letter O for a zero inside a number. All of
// these must be there: the brand named at the head of the text (where a
// lure puts its logo and name; an invoice that names the brand later, as a
// means of payment, is not about it), an amount of money, a charge or
// order, an ask to cancel, dispute or claim a refund, and a telephone
// number with a word asking for a call before it; and the sender must not
// be the brand (its own domain, not a free-mail one anyone can send from).
// A lure that is only a picture is not read.

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
	text := e.pdfText(p)
	switch {
	case text != "":
	case e.isAttachment(p):
		return nil // a PDF's joined streams and other members: their bytes are not what a reader sees
	case e.sender != "" && !freemail(e.sender):
		// A company's own text about a brand's charge (its IT desk on the
		// Microsoft 365 renewal, a reseller's Norton receipt) reads like a
		// lure; lures in the body come from free mail. A lure from a
		// company's domain is caught in its attached PDF.
		return nil
	case urls.IsHTML(p):
		text = e.m.Subject + "\n" + htmlText(head(p))
	case isText(head(p)):
		text = e.m.Subject + "\n" + string(head(p))
	default:
		return nil
	}
	if len(text) > maxCallbackText {
		text = text[:maxCallbackText]
	}
	// The brand first, in the head alone: most text names none, and
	// folding all of it costs.
	brand := leadingBrand(foldLure(text[:min(len(text), 4*callbackHead)]))
	if brand == "" || e.sender != "" && brandOwns(brand, e.sender) && !freemail(e.sender) {
		return nil // the brand's own mail; not a free mail service anyone sends from (outlook.com is Microsoft's, and every lure's)
	}
	if d := callbackLure(brand, foldLure(text), e.sender); d != "" {
		return []string{d}
	}
	return nil
}

var (
	lureMoney  = regexp.MustCompile(`[$€£]\s?\d|\d[\d,. ]*\d\s?(?:usd|eur|gbp|dollars?|euros?)\b|\b(?:usd|eur|gbp)\s?\d`)
	lureCharge = regexp.MustCompile(`\b(?:renew\w*|auto-?renew\w*|subscri\w+|charged?|debited|deducted|billed|billing|invoice|order(?:ed)?|purchased?|payment|membership|transaction|receipt)\b`)
	lureAsk    = regexp.MustCompile(`\b(?:cancel\w*|dispute|unauthori[sz]ed|not authori[sz]ed?|(?:did ?n[o']t|do ?n[o']t|never) (?:authori[sz]e|make|order|place|request|recogni[sz]e|purchase)|fraudulent|(?:claim|get|request|receive|for) (?:a |your |the )?refund|refund (?:department|desk|team|process))`)
	lureCall   = regexp.MustCompile(`\b(?:call\w*|phone|tel|telephone|toll|helpline|hotline|dial|reach|contact|support|number|customer (?:care|service))\b`)
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

// ownNumber: the writer gives their own number ("call me at", "my
// mobile"), as a customer writing about a charge does; a lure gives the
// number of a desk to call.
var ownNumber = regexp.MustCompile(`\b(?:call|reach|contact|ring|text|phone) me\b|\bmy (?:cell|mobile|phone|number|direct line)\b`)

// paidWith are the words before a brand that names a means of payment.
var paidWith = set("via", "by", "with", "through", "using", "accept", "accepted")

// callNumber is the first telephone number in text that a word asking for
// a call comes before (within 80 bytes): 10 to 15 digits, written with
// spaces, dots, dashes, slashes or parentheses between groups, an O for a
// zero among them, a + before; "" for none.
func callNumber(text string) string {
	for i := 0; i < len(text); {
		c := text[i]
		if !(c >= '0' && c <= '9' || c == '+' || c == '(') {
			i++
			continue
		}
		end, digits, real := phoneRun(text, i)
		if before := text[max(0, i-80):i]; digits >= 10 && digits <= 15 && real >= 7 && lureCall.MatchString(before) && !ownNumber.MatchString(before) {
			return strings.TrimSpace(text[i:end])
		}
		i = max(end, i+1)
	}
	return ""
}

// phoneRun reads the run of a telephone number's characters from text[i]:
// where it ends, its digits (an o among digits counting as a zero) and how
// many of them are real digits.
func phoneRun(text string, i int) (end, digits, real int) {
	sep := 0 // separators in a row
	end = i
	for j := i; j < len(text); j++ {
		c := text[j]
		switch {
		case c >= '0' && c <= '9':
			digits++
			real++
			sep = 0
			end = j + 1
		case c == 'o' && j > i && (j+1 == len(text) || !isASCIILetter(text[j+1]) || text[j+1] == 'o') && (isDigitByte(text[j-1]) || text[j-1] == 'o' || text[j-1] == ' ' || text[j-1] == '-'):
			digits++
			sep = 0
			end = j + 1
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '/' || c == '+' && j == i:
			if sep++; sep > 3 {
				return end, digits, real
			}
		default:
			return end, digits, real
		}
	}
	return end, digits, real
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigitByte(c byte) bool   { return c >= '0' && c <= '9' }

// foldLure folds text as callback lures disguise it: as a reader sees it
// (urls.Visible: NFKC for full-width letters and digits, format
// characters dropped), digits of every script as ASCII, no-break spaces as
// spaces, dashes as hyphens, lower case.
func foldLure(text string) string {
	text = urls.Visible(text)
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		switch {
		case r >= 0x80 && unicode.IsDigit(r):
			r = '0' + scriptDigit(r)
		case r == '\u00A0' || r == '\u202F' || r == '\u2007' || unicode.IsSpace(r):
			r = ' '
		case r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013' || r == '\u2212':
			r = '-'
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

// htmlText is the text of an HTML body as a mail client shows it: the text
// outside scripts and styles, a space for each tag.
func htmlText(b []byte) string {
	z := html.NewTokenizer(strings.NewReader(string(b)))
	var out strings.Builder
	skip := 0
	for out.Len() < maxCallbackText {
		switch z.Next() {
		case html.ErrorToken:
			return out.String()
		case html.TextToken:
			if skip == 0 {
				out.Write(z.Text())
			}
		case html.StartTagToken:
			if n, _ := z.TagName(); string(n) == "script" || string(n) == "style" {
				skip++
			}
			out.WriteByte(' ')
		case html.EndTagToken:
			if n, _ := z.TagName(); (string(n) == "script" || string(n) == "style") && skip > 0 {
				skip--
			}
			out.WriteByte(' ')
		}
	}
	return out.String()
}
