package heuristic

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/showntext"
)

// subject sets m's Subject.
func subject(s string, m *message.Message) *message.Message {
	m.Subject = s
	return m
}

// to addresses m to addr in its To header.
func to(addr string, m *message.Message) *message.Message {
	m.To = addr
	return m
}

// officeDoc is a message with an Office document attached as unpack opens
// it: the package part (a container) and its members.
func officeDoc(name string, members ...[2]string) *message.Message {
	parts := []*message.Part{text("1", "Please see the attachment.", declared("text/plain")), part("2", zipBytes, named(name), container())}
	for _, m := range members {
		parts = append(parts, text("2/"+name+"/"+m[0], m[1], named(m[0][strings.LastIndexByte(m[0], '/')+1:])))
	}
	return msg(parts...)
}

const (
	wordNS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	// a sender that is a company's domain its text never names: a hijacked
	// mailbox of a small business
	hijacked = "office@smith-plumbing.test"
)

// wordPara is a Word paragraph of runs.
func wordPara(runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	for _, r := range runs {
		b.WriteString(`<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + r + `</w:t></w:r>`)
	}
	b.WriteString("</w:p>")
	return b.String()
}

// callbackCases are the callback-phishing samples beyond TestChecks' own:
// the carriers, the languages, the tricks on the number and the brand,
// the senders, each with honest twins.
func callbackCases() map[string][]sample {
	const gm = "billing.team2026@gmail.com"
	return map[string][]sample{"callback-phishing": {
		// 1. The writer's own number.
		{"a lure written as a person, call me", sentBy(gm, msg(text("1", "Norton billing\nHi, this is Mark from Norton billing. Your Norton 360 subscription renewed today and $499.99 was charged to your card. If you did not authorize this, call me at 1-808-555-0199 to cancel."))), "1"},
		{"a customer's own number in German", sentBy("jo.meier@gmx.de", msg(text("1", "Amazon Bestellung\nAmazon hat mir 49,99 € doppelt berechnet. Ich möchte die zweite Zahlung stornieren. Bitte rufen Sie mich unter 0151 2345 6789 an."))), ""},
		{"a customer who was charged, my mobile", sentBy("jo@gmail.com", msg(text("1", "PayPal dispute\nI was charged $120.00 for an order I never received. I want to dispute it and get a refund. My mobile is 415-555-0199, call me any time."))), ""},

		// 2. Lures in a body from domains that are no free mail.
		{"a hijacked small business mailbox", sentBy(hijacked, msg(text("1", "Norton 360 Deluxe\nYour subscription renewed automatically. Amount charged: $499.99.\nIf you did not authorize this charge, call our billing desk within 24 hours to cancel: +1 (808) 555-0199\n\nNorton Billing Team"))), "1"},
		{"a new domain of lure words naming itself", sentBy("noreply@secure-billing-center.test", msg(text("1", "PayPal\nA payment of $749.00 to Coinbase was sent from your account. Not authorized? Call Secure Billing Center: 1-808-555-0199 to cancel it."))), "1"},
		{"a domain named for the brand", sentBy("billing@norton-renewals.test", msg(text("1", "Norton LifeLock\nRenewal charged: $389.00. To cancel and get a refund call 1-808-555-0199."))), "1"},
		{"a reseller's receipt naming itself", sentBy("billing@softwarestore.example", msg(text("1", "Norton 360 renewal receipt\nThank you for renewing Norton 360 Deluxe with Software Store: $89.99. To cancel auto-renewal or request a refund, call our support line 1-800-555-0123.\n\nSoftware Store, 12 Main St"))), ""},
		{"a company IT desk to its staff", to("All staff <staff@acme-corp.example>", sentBy("it@acme-corp.example", msg(text("1", "Microsoft 365 licence renewal\nBusiness licences renewed: $1,240.00 charged to the company card. If you did not authorize this or want to cancel seats, call the IT desk at +1 (415) 555-0134.")))), ""},
		{"a company IT desk signing its name", to("kenji@corp.example.jp", sentBy("it@acme-corp.example", msg(text("1", "Microsoft 365 licence renewal\nBusiness licences renewed: $1,240.00 charged to the company card. To cancel seats call +1 (415) 555-0134.\n-- Acme IT")))), ""},
		{"a real PayPal receipt", sentBy("service@paypal.com", body(`<p>PayPal</p><p>You sent a payment of $49.99 USD to Example Shop.</p><p>If you did not authorize this payment, cancel it in your account or call 1-888-221-1161.</p>`)), ""},
		{"an order confirmation with a phone in the footer", sentBy("orders@gadgethub.test", body(`<h1>Apple AirPods Pro</h1><p>Order 112-4471 confirmed: $249.00 charged to your card.</p><p>To cancel or return your order, call us toll free at 1-800-555-0142.</p><p><a href="https://www.gadgethub.test/orders">Your orders</a></p>`)), ""},
		{"a utility bill", sentBy("billing@riverside-energy.test", msg(text("1", "Your bill from Riverside Energy\nAmount due: $123.45 by Dec 20. Pay online or with PayPal. To dispute a charge or cancel autopay, call customer service at 1-800-555-0175.\nRiverside Energy"))), ""},

		// 2b. Text the reader does not see: a decoy naming the sender
		// hidden beside a shown lure counts for nothing, and a lure hidden
		// in an honest mail is no lure.
		{"the sender named in white on white", sentBy(hijacked, body(`<div style="color:#ffffff;font-size:12px">Smith Plumbing</div><p>Norton 360 Deluxe</p><p>Your subscription renewed: $499.99 charged. If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0199</p>`)), "1"},
		{"the sender named in a 1px font", sentBy(hijacked, body(`<p>Norton 360 Deluxe</p><p>Your subscription renewed: $499.99 charged. If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0199</p><p style="font-size:1px;line-height:1px">Smith Plumbing, 12 Main St</p>`)), "1"},
		{"the sender named in a clipped preview", sentBy(hijacked, body(`<div style="max-height:0;overflow:hidden">smith plumbing</div><p>Norton 360 Deluxe</p><p>Your subscription renewed: $499.99 charged. If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0199</p>`)), "1"},
		{"a lure hidden in a newsletter's preview text", sentBy("news@bikeshop.test", body(`<div style="display:none;max-height:0;overflow:hidden">Norton 360 renewal $399.99 charged, to cancel call 1-808-555-0199</div><h1>Spring sale</h1><p>Twenty per cent off all bikes until Sunday.</p>`)), ""},

		// 2c. A company's mail that only asks to cancel and knows its
		// reader (by name, or as a list it can leave) is a shop's, a
		// service desk's or a reseller's: clean. A lure that doubts the
		// charge, or greets no one and offers no way out, is not.
		{"a shop's order confirmation naming only the product, an unsubscribe link", to("kenji@corp.example.jp", sentBy("orders@gadgethub.test", body(`<h1>Apple AirPods Pro (2nd gen)</h1><p>Order 112-4471: $249.00 charged to Mastercard ending 1881.</p><p>To cancel, contact us within 24 hours.</p><p style="font-size:11px">Customer service: 1-800-555-0142 (toll free)</p><p><a href="https://click.esp-mailer.test/t/abc">Unsubscribe</a></p>`))), ""},
		{"a service desk's renewal note to a client, by name", to("Kenji Sato <kenji@corp.example.jp>", sentBy("servicedesk@acme-corp.example", msg(text("1", "Microsoft 365 renewal for your team\nHello Kenji,\nThe Microsoft 365 Business Premium subscription renewed on 1 December; your department card was charged $1,240.00 for 10 seats.\nTo cancel seats you do not need, call the IT desk at +1 (415) 555-0134.\nService Desk")))), ""},
		{"a shop greeting its customer, order to cancel by phone", to("kenji.sato@corp.example.jp", sentBy("no-reply@shopmail.test", msg(text("1", "Your Apple order\nHi Kenji, thanks for your order of an Apple iPhone 16 case: $49.99 charged. To cancel your order call us on 1-800-555-0190.")))), ""},
		{"a courier's duties notice, by name", to("Kenji Sato <kenji@corp.example.jp>", sentBy("notify@parcel-express.test", msg(text("1", "Amazon parcel: import duties\nDear Kenji Sato, import duties of $18.40 were charged for your Amazon parcel 4471. To cancel delivery and return it call 1-800-555-0111.")))), ""},
		{"a reseller's subscription renewal, by name", to("Kenji Sato <kenji@corp.example.jp>", sentBy("licensing@softhub-mail.test", body(`<p>Microsoft 365 Family</p><p>Hello Kenji, your subscription renewed: $99.99 charged to your card. To cancel, call our licensing team at 1-800-555-0177.</p>`))), ""},
		{"a help desk ticket, by name", to("kenji@corp.example.jp", sentBy("support@msp-desk.test", msg(text("1", "[Ticket #4471] Adobe Acrobat licence renewal\nKenji, the Adobe Acrobat Pro licence renewal ($239.88) was processed for your seat. To cancel it, call the service desk at +1 415 555 0134.")))), ""},
		{"a bank statement with a hotline", to("Kenji Sato <kenji@corp.example.jp>", sentBy("statements@riverside-bank.test", msg(text("1", "PayPal payment on your statement\nDear Kenji Sato, your December statement shows a PayPal payment of $49.99. If you see a transaction you did not make, call our fraud hotline at 1-800-555-0160.\nRiverside Bank")))), ""},
		{"a lure greeting the reader, doubting the charge", to("Kenji Sato <kenji@corp.example.jp>", sentBy(hijacked, msg(text("1", "Norton 360 Deluxe\nHello Kenji, your Norton subscription renewed: $499.99 charged. If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0199")))), "1"},
		{"a lure with an unsubscribe link, not authorized", sentBy(hijacked, body(`<p>Geek Squad</p><p>Membership renewed: $299.99 charged. Not authorized? Call 1-808-555-0199 to cancel.</p><p><a href="https://x.example.org/u">Unsubscribe</a></p>`)), "1"},
		{"a lure to a customer named in the To header", to("Valued Customer <kenji@corp.example.jp>", sentBy(hijacked, msg(text("1", "Norton 360\nDear Valued Customer, your plan renewed: $399.99 charged. To cancel, call our helpline on 1-808-555-0199.")))), "1"},
		{"a lure to a brand-named To", to("Norton Customer <kenji@corp.example.jp>", sentBy(hijacked, msg(text("1", "Norton 360\nDear Norton customer, your plan renewed: $399.99 charged. To cancel, call our helpline on 1-808-555-0199.")))), "1"},

		// 3. Carriers.
		{"an attached HTML page", sentBy(hijacked, attach(htmlPart("2", `<html><body><h2>McAfee Total Protection</h2><p>Invoice MC-22817</p><p>Your plan was renewed: <b>$429.99</b> charged.</p><p>To cancel call <b>1-808-555-0199</b></p></body></html>`, named("Invoice.html")))), "2"},
		{"an HTML page in a zip", sentBy(gm, msg(text("1", "See the file."), part("2", zipBytes, named("invoice.zip"), container()), htmlPart("2/invoice.zip/invoice.htm", `<h2>Geek Squad</h2><p>Membership renewed: $299.99. To cancel call 1-808-555-0199.</p>`, named("invoice.htm")))), "2/invoice.zip/invoice.htm"},
		{"image alt text", sentBy(gm, body(`<p>Dear customer,</p><img src="cid:inv1" alt="Norton 360 Deluxe: your subscription renewed, $399.99 charged. To cancel call 1-808-555-0199"><p>Thank you</p>`)), "1"},
		{"the Subject over a picture", subject("Norton renewal $399.99 charged - to cancel call 1-808-555-0199", sentBy(gm, msg(part("1", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), declared("image/png"))))), "1"},
		{"a Word document, the brand cut into runs", sentBy(hijacked, officeDoc("Invoice.docx", [2]string{"word/document.xml", wordNS +
			wordPara("Nor", "ton", " 360") + wordPara("Your subscription was renewed: $399.99 charged.") + wordPara("To cancel call ", "1-808-", "555-0199") + `</w:body></w:document>`})), "2"},
		{"a Word document, the brand in the header", sentBy(hijacked, officeDoc("Invoice.docx",
			[2]string{"word/document.xml", wordNS + wordPara("Your subscription was renewed: $399.99 charged. To cancel call 1-808-555-0199") + `</w:body></w:document>`},
			[2]string{"word/header1.xml", `<w:hdr xmlns:w="x">` + wordPara("PayPal") + `</w:hdr>`})), "2"},
		{"a workbook's strings", sentBy(hijacked, officeDoc("Invoice.xlsx", [2]string{"xl/sharedStrings.xml", `<sst xmlns="x"><si><t>Microsoft 365 Family</t></si><si><t>Renewal charged</t></si><si><t>$299.99</t></si><si><r><t>To cancel call </t></r><r><t>1-808-555-0199</t></r></si></sst>`})), "2"},
		{"an OpenDocument text", sentBy(hijacked, officeDoc("Invoice.odt", [2]string{"content.xml", `<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:h>Geek<text:s/>Squad</text:h><text:p>Membership renewed, 299,99 € abgebucht.</text:p><text:p>Zum Stornieren rufen Sie an: 0800<text:s/>123<text:s/>4567</text:p></office:text></office:body></office:document-content>`})), "2"},
		{"slides", sentBy(hijacked, officeDoc("Notice.pptx", [2]string{"ppt/slides/slide1.xml", `<p:sld xmlns:p="p" xmlns:a="a"><a:p><a:r><a:t>Coinbase</a:t></a:r></a:p><a:p><a:r><a:t>Withdrawal of $1,950.00 processed. Not authorized? Call 1-808-555-0199 to cancel.</a:t></a:r></a:p></p:sld>`})), "2"},
		{"an RTF document", sentBy(hijacked, attach(part("2", []byte(`{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}{\*\generator Writer}\f0\fs40 N\'f6rton\par\fs24 Subscription renewed: \u36?399.99 charged.\par To cancel call {\b 1-808-}555-0199\par}`), named("invoice.rtf"), declared("application/rtf")))), "2"},
		{"a Word document from a supplier naming itself", sentBy("accounts@supplies.example.com", officeDoc("INV-2207.docx", [2]string{"word/document.xml", wordNS +
			wordPara("Example Supplies Ltd") + wordPara("Invoice INV-2207: Microsoft 365 Business licences, total $1,200.00.") + wordPara("To cancel or change your order call +44 20 7946 0958.") + `</w:body></w:document>`})), ""},
		{"field codes and deleted text are not shown", sentBy(hijacked, officeDoc("Memo.docx", [2]string{"word/document.xml", wordNS +
			wordPara("Meeting notes") + `<w:p><w:r><w:instrText>Norton renewed $399.99 cancel call 1-808-555-0199</w:instrText></w:r><w:del><w:r><w:delText>Norton renewed $399.99 cancel call 1-808-555-0199</w:delText></w:r></w:del></w:p></w:body></w:document>`})), ""},

		// 4. Languages.
		{"German", sentBy(hijacked, msg(text("1", "Norton 360 Deluxe\nIhr Abonnement wurde automatisch verlängert. Abgebucht: 499,99 €.\nWenn Sie diese Zahlung nicht autorisiert haben, rufen Sie zur Kündigung an: 0800 123 4567"))), "1"},
		{"French", sentBy(hijacked, msg(text("1", "McAfee Total Protection\nVotre abonnement a été renouvelé : 399,99 € ont été débités.\nPour annuler et obtenir un remboursement, appelez le 0 800 91 23 45."))), "1"},
		{"Spanish", sentBy(gm, msg(text("1", "PayPal\nSe ha realizado un cargo de 749,00 € por su pedido. Si no reconoce este pago, llame al 900 123 456 para cancelarlo."))), "1"},
		{"Italian", sentBy(hijacked, msg(text("1", "Geek Squad\nIl tuo abbonamento è stato rinnovato: addebitati 299,99 €. Per annullare chiama il numero verde 800 123 456."))), "1"},
		{"Portuguese", sentBy(hijacked, msg(text("1", "Norton Antivírus\nSua assinatura foi renovada. Valor cobrado: R$ 1.299,00.\nSe você não reconhece esta cobrança, ligue 0800 123 4567 para cancelar."))), "1"},
		{"Dutch", sentBy(hijacked, msg(text("1", "Microsoft 365\nUw abonnement is verlengd: € 99,99 afgeschreven. Niet herkend? Bel 0800-1234 om op te zeggen."))), "1"},
		{"British", sentBy(hijacked, msg(text("1", "Norton\nYour plan renewed: £399.99 taken. To cancel, ring our helpline on +44 20 7946 0958."))), "1"},
		{"a German shop's order confirmation", sentBy("bestellung@elektro-koenig.test", msg(text("1", "Apple AirPods Pro - Bestellung 4471\nVielen Dank für Ihre Bestellung: 279,00 € wurden abgebucht. Zum Stornieren rufen Sie uns an: 0800 123 4567.\nElektro König GmbH"))), ""},
		{"a Spanish customer's own number", sentBy("ana.lopez@gmail.com", msg(text("1", "Amazon pedido\nAmazon me cobraron 49,99 € dos veces. Quiero cancelar el segundo cargo y un reembolso. Llámeme al 612 345 678 o a mi teléfono +34 612 345 678."))), ""},

		// 5. Tricks on the number and the brand.
		{"I and l for ones, O for zeros", sentBy(gm, msg(text("1", "Norton 360\nRenewal charged: $399.99. To cancel call I-8O8-555-Ol99."))), "1"},
		{"a zero-width space and a line break in the number", sentBy(gm, msg(text("1", "McAfee\nRenewed: $429.99 charged. To cancel call 1-808-\u200b555-\n0199."))), "1"},
		{"markup and entities in the number", sentBy(gm, body(`<p>PayPal</p><p>$749.00 payment sent. Not authorized? Call 1-8<b>0</b>8-<span>555</span>-&#48;199 to cancel.</p>`)), "1"},
		{"the brand cut by markup", sentBy(gm, body(`<p>Nor<b>ton</b> 360</p><p>Renewal of $399.99 charged. To cancel call 1-808-555-0199.</p>`)), "1"},
		{"the number partly spelled", sentBy(gm, msg(text("1", "Geek Squad\nAuto-renewal of $299.99 charged. To cancel call one eight zero eight 555 0199."))), "1"},
		{"the number in Devanagari digits", sentBy(gm, msg(text("1", "Norton\nRenewal charged: $399.99. To cancel call १-८०८-५५५-०१९९."))), "1"},
		{"toll free after the number", sentBy(gm, msg(text("1", "Norton 360\nYour renewal of $399.99 was charged. To cancel: 1-808-555-0199 (toll free)."))), "1"},
		{"the brand with a space and a Greek letter", sentBy(gm, msg(text("1", "Nor ton 36O\nSubscription renewed: $399.99. To cancel reach our support desk +1 808 555 0199."))), "1"},
		{"the brand with an accent", sentBy(gm, msg(text("1", "Nörton LifeLock\nSubscription renewed: $399.99. To cancel call the helpline 1 808 555 0199."))), "1"},
		{"the number split by slashes and dots", sentBy(gm, msg(text("1", "Geek Squad\nMembership renewed: $299.99. Not authorized? Helpline 808/555.0199 ext 1 or +1.808.555.0199"))), "1"},
		{"middle dots, underscores, a dollar sign after the amount", sentBy(gm, msg(text("1", "Norton 360\nRenouvellement : 399,99 $ facturés. Pour annuler, appelez le 1·808·555_0199."))), "1"},
		{"the brand letter by letter with dots", sentBy(gm, msg(text("1", "N.O.R.T.O.N 360\nRenewal charged: $399.99. To cancel call 1 808 555 0199."))), "1"},
		{"circled and superscript digits", sentBy(gm, msg(text("1", "McAfee\nRenewal charged: $399.99. To cancel call ①-⑧⓪⑧-555-⁰¹⁹⁹."))), "1"},
		{"a word that is not a digit", sentBy(gm, msg(text("1", "Norton 360\nRenewal of $399.99 charged. To cancel call our desk: one of our agents will help. Order 4471 2231 55."))), ""},
	}}
}

// TestCallbackReaders holds the text readers to what a reader sees.
func TestCallbackReaders(t *testing.T) {
	for _, c := range []struct{ name, got, want string }{
		{"html inline and block", showntext.Text([]byte(`<div>Nor<b>ton</b></div><p>call<br>1-8<span>0</span>8</p><span style="display:none">hidden</span><img alt="Alt text"><script>x</script>`), maxCallbackText), "Norton call 1-808 Alt text"},
		{"html hidden by a style sheet, white space", showntext.Text([]byte("<style>.x { display: none }</style><p>Nor<span class=\"x\">zz</span>ton\n\n   360</p>"), maxCallbackText), "Norton 360"},
		{"word runs", showntext.XML([]byte(wordNS+wordPara("Nor", "ton")+`<w:p><w:r><w:t>a</w:t></w:r><w:r><w:tab/><w:t>b&amp;c</w:t></w:r></w:p>`), maxCallbackText), "Norton\na b&c"},
		{"rtf", rtfShown([]byte(`{\rtf1{\fonttbl{\f0 Arial;}}{\*\generator x}N\'f6rton\par \u8364?9{\field{\*\fldinst HYPERLINK x}{\fldrslt link}}\bin3 abc\tab z}`), maxCallbackText), "Nörton\n€9link z"},
		{"spelled digits", spellDigits("call one eight zero zero 555 0199, no one else, 2 three"), "call 1 8 0 0 555 0199, no one else, 2 3"},
	} {
		if strings.Join(strings.Fields(c.got), " ") != strings.Join(strings.Fields(c.want), " ") || strings.Count(c.got, "\n") < strings.Count(c.want, "\n") {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

// FuzzCallbackText runs the callback check's readers on any bytes: each
// stops near its limit, reads the same way twice, and a number found is
// one the folded text holds.
func FuzzCallbackText(f *testing.F) {
	for _, s := range []string{
		`<p>Nor<b>ton</b></p><style>.x{display:none}</style><img alt="call 1-808-555-0199"><span class=x>y</span>`,
		wordNS + wordPara("Nor", "ton") + `<w:p><w:r><w:instrText>x</w:instrText><w:tab/></w:r></w:p>`,
		`{\rtf1{\fonttbl{\f0 A;}}{\*\g x}\uc2\u-3913??N\'f6rton\bin99999 \par}`,
		"call one eight O8 555 Ol99 (toll free) order 1234567890",
	} {
		f.Add([]byte(s))
	}
	const limit = 4 << 10
	f.Fuzz(func(t *testing.T, b []byte) {
		for name, read := range map[string]func([]byte, int) string{"html": showntext.Text, "xml": showntext.XML, "rtf": rtfShown} {
			a := read(b, limit)
			if len(a) > limit+len(b)+16 {
				t.Fatalf("%s: %d bytes of text from %d with limit %d", name, len(a), len(b), limit)
			}
			if read(b, limit) != a {
				t.Fatalf("%s: two readings differ", name)
			}
		}
		if a, ok := foldASCII(string(b)); ok && a != foldUnicode(string(b)) {
			t.Fatalf("foldASCII %q, foldUnicode %q", a, foldUnicode(string(b)))
		}
		folded := spellDigits(foldLure(string(b)))
		if n := callNumber(foldLure(string(b))); n != "" && !strings.Contains(folded, n) {
			t.Fatalf("number %q not in the text", n)
		}
	})
}

// TestFoldASCII: foldLure's way for ASCII text folds every ASCII
// character as its way for any text does.
func TestFoldASCII(t *testing.T) {
	var all []byte
	for c := range utf8.RuneSelf {
		all = append(all, byte(c), 'A', byte(c))
	}
	a, ok := foldASCII(string(all))
	if want := foldUnicode(string(all)); !ok || a != want {
		t.Errorf("foldASCII %q, %v; foldUnicode %q", a, ok, want)
	}
	if _, ok := foldASCII("Nörton"); ok {
		t.Error("foldASCII folds Nörton")
	}
}

// brandGateCases are bodies whose shown text names a callback brand only
// through the tricks a reading of the markup's texts could miss: hidden
// text inside the word, text that foster parenting moves before a table,
// SVG whose parser reads as markup what the tokenizer reads as one text,
// character references, look-alike letters, spaced letters.
var brandGateCases = []struct{ name, subject, page, brand string }{
	{"plain", "", `<p>Norton 360 renewal</p>`, "norton"},
	{"in the subject", "PayPal receipt", `<p>Your order</p>`, "paypal"},
	{"hidden inside the word", "", `<p>Nor<span style="display:none">zz</span>ton 360</p>`, "norton"},
	{"hidden by a rule inside the word", "", `<style>b{font-size:0}</style><p>Ama<b>x</b>z<i>on</i> order</p>`, "amazon"},
	{"foster parented before the table", "", `<table><tr><td>ton renewal</td></tr>Nor</table>`, "norton"},
	{"svg style breaks out", "", `<svg><style><b>Nor</b>ton</style></svg> renewal`, "norton"},
	{"svg cdata", "", `<svg><text><![CDATA[Norton]]></text></svg>`, "norton"},
	{"character references", "", `<p>&#78;&#111;rt&#x6f;n renewal</p>`, "norton"},
	{"look-alike letters", "", `<p>N<b>о</b>rt0n renewal</p>`, "norton"},
	{"spaced letters", "", `<p>N <i>o</i> r t o n renewal</p>`, "norton"},
	{"vv for w", "", `<p>V<b>v</b>ells Fargo alert</p>`, "wellsfargo"},
	{"two words", "", `<p>Geek <b>Squad</b> renewal</p>`, "geeksquad"},
	{"drawn by ::before", "", `<style>.c::before{content:"Nor"}</style><p class="c">ton renewal</p>`, "norton"},
	{"drawn by ::after, escaped", "", `<style>.c:after{content:"\4E orton"}</style><p class="c"></p><p>renewal</p>`, "norton"},
	{"drawn by ::before from an attribute", "", `<style>.c::before{content:attr(data-b)}</style><p class="c" data-b="Norton ">renewal</p>`, "norton"},
	{"alt text", "", `<img alt="McAfee"> renewal`, "mcafee"},
	{"right to left override", "", "<p>\u202Enotr<b>oN</b>\u202C renewal</p>", "norton"},
	{"in a body's noscript", "", `<noscript><b>Nor</b>ton renewal</noscript>`, "norton"},
	{"drawn by a list item's marker", "", `<ul><li style="list-style-type:'Nor'">ton renewal</li></ul>`, "norton"},
	{"drawn by ::marker", "", `<style>li::marker{content:"Norton "}</style><ol><li>renewal</li></ol>`, "norton"},
}

// TestMayNameBrand: mayNameBrand passes every body whose shown text names
// a callback brand, however the markup writes it, and only few others.
func TestMayNameBrand(t *testing.T) {
	for _, c := range brandGateCases {
		_, body := showntext.ReadBody([]byte(c.page), maxShownHTML) // a body's reading, which draws <noscript>
		got := leadingBrand(foldLure(c.subject + "\n" + body))
		if got != c.brand {
			t.Errorf("%s: leadingBrand %q, want %q", c.name, got, c.brand)
		}
		if !mayNameBrand(c.subject, []byte(c.page)) {
			t.Errorf("%s: mayNameBrand says no brand", c.name)
		}
	}
	for _, page := range []string{
		`<p>Quarterly figures attached, see project 938.</p><a href="https://www.example.com/amazon">project</a>`,
		`<style>body{font-family:-apple-system,BlinkMacSystemFont}</style><p style="font-family:-apple-system">Hello</p><script>var norton=1</script>`,
		`<p>The nor</p><p>th office: ton of work</p>`,
	} {
		if mayNameBrand("Lunch on Friday", []byte(page)) {
			t.Errorf("mayNameBrand passes %q", page)
		}
	}
}

// FuzzMayNameBrand: whatever the markup, when the text a reader sees
// names a callback brand at its head, mayNameBrand passes it.
func FuzzMayNameBrand(f *testing.F) {
	for _, c := range brandGateCases {
		f.Add(c.subject, []byte(c.page))
	}
	f.Fuzz(func(t *testing.T, subject string, b []byte) {
		_, body := showntext.ReadBody(b, 4*callbackHead)
		for _, text := range [2]string{showntext.Text(b, 4*callbackHead), body} { // an attachment's reading and a body's
			if brand := leadingBrand(foldLure(subject + "\n" + text)); brand != "" && !mayNameBrand(subject, b) {
				t.Fatalf("%s named, mayNameBrand says no", brand)
			}
		}
	})
}
