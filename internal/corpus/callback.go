package corpus

import (
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// callbackSamples are callback phishing lures (TOAD, BazarCall: a brand's
// charge and a number to call, no link) and the honest mail that looks
// like them.
func callbackSamples() []Sample {
	bad := func(name, about string, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: policy.Quarantine, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	const lureFrom = "Billing Team <billing.notice2026@gmail-secure.example.net>"

	// The lure in a PDF of glyph numbers (a Type 0 font, as Word writes
	// it), the number cut into pieces of a TJ array and written in
	// full-width digits.
	lure := formats.TextPDF([]string{
		"BT /F2 28 Tf 72 770 Td " + formats.CIDText("Norton 360 Deluxe") + " Tj ET\n" +
			"BT /F2 12 Tf 72 720 Td " + formats.CIDText("Invoice NT-884120  Date: 2026-11-02") + " Tj ET\n" +
			"BT /F2 12 Tf 72 690 Td " + formats.CIDText("Your annual subscription was renewed. Amount charged: $399.99") + " Tj ET\n" +
			"BT /F2 12 Tf 72 660 Td " + formats.CIDText("If you did not authorize this charge, call our billing desk to cancel:") + " Tj ET\n" +
			"BT /F2 16 Tf 72 630 Td [" + formats.CIDText("＋１ (８０") + " -20 " + formats.CIDText("８) ５５５-") + " 15 " + formats.CIDText("０１９９") + "] TJ ET\n"})
	add(bad("callback-norton-pdf", "callback phishing: a Norton renewal invoice PDF (Identity-H glyph numbers, the number in full-width digits split over a TJ array) asking to call to cancel, no link",
		w("heuristic", "callback-phishing", "2")),
		mail{from: lureFrom, subject: "Order confirmation", root: multipart("mixed", text("Dear customer,\n\nyour invoice is attached.\n\nBilling Team\n"), attach("application/pdf", "Invoice_NT884120.pdf", lure))})

	// The lure in the body: a look-alike brand name, Arabic-Indic digits
	// and the letter O for a zero.
	add(bad("callback-geeksquad-body", "callback phishing in the mail's text, from free mail: Geek Squad with a Cyrillic e, an auto-renewal charge and a number with O for zero",
		w("heuristic", "callback-phishing", "1")),
		mail{from: "Membership Services <geeksquad.renewals2026@gmail.com>", subject: "G\u0435ek Squad membership renewed", root: text("Dear member,\n\nyour Geek Squad Total Tech Support membership was renewed automatically.\n" +
			"Amount debited: USD 299.99\n\nTo cancel and claim a refund, call our helpline within 24 hours: 1-8O8-555-O199 or ١-٨٠٨-٥٥٥-٠١٩٩\n\nThank you,\nMembership Services\n")})

	// Honest twins.
	honest := formats.TextPDF([]string{
		"BT /F1 20 Tf 72 770 Td (Example Supplies Ltd) Tj ET\n" +
			"BT /F1 12 Tf 72 720 Td (Invoice INV-2207, 2 November 2026) Tj ET\n" +
			"BT /F1 12 Tf 72 690 Td [(12 toner cartridges)-3000(total $1,200.00)] TJ ET\n" +
			"BT /F1 12 Tf 72 660 Td (Payment by bank transfer or with PayPal within 30 days.) Tj ET\n" +
			"BT /F1 12 Tf 72 630 Td (To cancel or change your order, call accounts on +44 20 7946 0958.) Tj ET\n"})
	add(ok("callback-twin-supplier-invoice", "a supplier's invoice PDF with a phone number for orders and PayPal as a means of payment"),
		mail{from: "Accounts <accounts@supplies.example.com>", subject: "Invoice INV-2207", root: multipart("mixed", text("Hello,\n\nplease find our invoice attached.\n\nAccounts\n"), attach("application/pdf", "INV-2207.pdf", honest))})
	add(ok("callback-twin-support-reply", "a support desk's reply with a telephone number to call"),
		mail{from: "Example Support <support@helpdesk.example.com>", subject: "Re: ticket 58812 (Microsoft Teams sign-in)", root: text("Hello,\n\nthanks for contacting support. If the sign-in issue persists after the update, call our helpdesk at +1 808 555 0100 (8am-6pm).\n\nExample IT\n")})
	add(ok("callback-twin-it-desk", "a company's IT desk on the Microsoft 365 renewal: a charge, a way to cancel and the desk's number, from the company's domain"),
		mail{from: "Acme IT <it@acme-corp.example>", subject: "Microsoft 365 licence renewal", root: text("Hello all,\n\nMicrosoft 365 Business licences renewed: $1,240.00 charged to the company card. If you did not authorize this or want to cancel seats, call the IT desk at +1 (415) 555-0134.\n\nAcme IT\n")})
	add(ok("callback-twin-customer", "a customer writing from free mail about a double Amazon charge, giving their own number"),
		mail{from: "Jo Smith <jo.smith@gmail.com>", subject: "Amazon order question", root: text("Hi,\n\nAmazon charged me $49.99 twice for the same order. I asked for a refund; can you call me at 415-555-0199 to sort out how to cancel the duplicate?\n\nJo\n")})
	add(ok("callback-twin-order-no-phone", "an order confirmation from a shop, a refund policy and no phone number"),
		mail{subject: "Your order 112-4471", root: text("Apple AirPods Pro, order 112-4471: $249.00 charged to your card.\nTo cancel or get a refund, open Your Orders on our site.\n")})

	// Lures from a company's domain (a hijacked small-business mailbox),
	// in other carriers, languages and disguises.
	const hijacked = "Smith Plumbing <office@smith-plumbing.test>"
	run := func(t string) string { return `<w:r><w:t xml:space="preserve">` + xmlEscape(t) + `</w:t></w:r>` }
	lureDoc := docxOf(`<w:p>`+run("Nor")+run("ton")+run(" 360 Deluxe")+`</w:p>`+
		`<w:p>`+run("Invoice NT-55120. Your subscription was renewed automatically: $499.99 charged.")+`</w:p>`+
		`<w:p>`+run("If you did not authorize this, call our helpline to cancel: ")+run("1-8O8-")+run("555-Ol99")+`</w:p>`, "", "", nil)
	add(bad("callback-docx-company-domain", "callback phishing in a Word document from a hijacked small-business mailbox: the brand cut into runs, I and l and O for digits",
		w("heuristic", "callback-phishing", "2")),
		mail{from: hijacked, subject: "Invoice NT-55120", root: multipart("mixed", text("Hello,\n\nplease see the attached invoice.\n"), attach("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Invoice_NT-55120.docx", lureDoc))})
	add(bad("callback-body-french-company-domain", "callback phishing in French in the body, from a company's domain the text never names, a 0 800 number",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Confirmation de renouvellement", root: text("McAfee Total Protection\n\nVotre abonnement a été renouvelé automatiquement : 399,99 € ont été débités de votre compte.\n" +
			"Si vous n'êtes pas à l'origine de ce paiement, appelez notre service client pour l'annuler : 0 800 91 23 45\n")})
	add(bad("callback-hidden-sender-name", "callback phishing from a hijacked company mailbox that names the company only in white text and a 1px line the reader does not see",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Renewal confirmation", root: html(`<html><body><div style="color:#ffffff">Smith Plumbing</div><h2>Norton 360 Deluxe</h2>` +
			`<p>Your subscription renewed automatically: $499.99 charged. If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0199</p>` +
			`<p style="font-size:1px;line-height:1px">Smith Plumbing, 12 Main St</p></body></html>`)})
	add(bad("callback-css-drawn-lure", "callback phishing from a hijacked company mailbox whose lure only the style sheet draws: the brand and charge in a ::before, the number in an ::after from an attribute (Chromium shows both)",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Renewal notice", root: html(`<html><head><style>.r::before{content:"Norton 360 Deluxe: your subscription renewed automatically, $499.99 charged."}` +
			`.c::after{content:" If you did not authorize this, call our billing desk to cancel: " attr(data-n)}</style></head><body><p class="r"></p><p class="c" data-n="+1 (808) 555-0199">Thank you.</p></body></html>`)})
	add(bad("callback-rule-hidden-sender-name", "callback phishing from a hijacked company mailbox that names the company only where rules by attribute and position hide it ([data-legal], :first-child)",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Subscription renewed", root: html(`<html><head><style>[data-legal]{display:none} .m p:first-child{font-size:0}</style></head><body>` +
			`<div class="m"><p>Smith Plumbing</p><h2>Norton 360 Deluxe</h2><p>Your subscription renewed: $499.99 charged. If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0199</p></div>` +
			`<div data-legal>Sent by Smith Plumbing, 12 Main St</div></body></html>`)})
	add(bad("callback-first-letter-brand", "callback phishing from a hijacked company mailbox whose brand starts with a letter ::first-letter draws in a font of size 0 (QNorton to a naive reader, Norton in Chromium)",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Renewal notice", root: html(`<!DOCTYPE html><html><head><style>.b::first-letter{font-size:0}</style></head><body><h2 class="b">QNorton 360 Deluxe</h2>` +
			`<p>Your subscription renewed automatically: $499.99 charged. If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0199</p></body></html>`)})
	add(bad("callback-escaped-rule-hidden-sender-name", "callback phishing from a hijacked company mailbox that names the company only where an escaped class selector (.\\6c egal) and :has() hide it",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Subscription renewed", root: html(`<html><head><style>.\6c egal{display:none} .card:has(.addr) p:first-child{font-size:0}</style></head><body>` +
			`<div class="card"><p>Smith Plumbing</p><h2>Norton 360 Deluxe</h2><p>Your subscription renewed: $499.99 charged. If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0199</p><span class="addr"></span></div>` +
			`<div class="legal">Sent by Smith Plumbing, 12 Main St</div></body></html>`)})
	add(bad("callback-rules-that-hide-nothing", "callback phishing from a hijacked company mailbox behind rules that hide nothing in Chromium: a class in another case in standards mode, @media (min-width:3000px), @supports of an unknown property",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Subscription renewed", root: html(`<!DOCTYPE html><html><head><style>.Lure{display:none} @media (min-width:3000px){.r{display:none}} @supports (-kensa-x:1){.c{display:none}}</style></head><body>` +
			`<h2 class="lure">Norton 360 Deluxe</h2><p class="r">Your subscription renewed: $499.99 charged.</p><p class="c">If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0199</p></body></html>`)})
	add(ok("callback-twin-utility-classes", "a shop's receipt styled with utility classes (escaped names: md\\:hidden, w-1\\/2, in @media and @supports), a drop cap, :has(): its name shown on a desktop, a charge, a way to cancel and its own number"),
		mail{from: `"Gadget Hub" <orders@gadgethub.example>`, subject: "Receipt for order 88-2077", root: html(`<!DOCTYPE html><html><head><style>.hidden{display:none} @media (min-width:768px){.md\:block{display:block} .md\:hidden{display:none}}` +
			` .w-1\/2{width:50%} p::first-letter{font-size:1.4em} .card:has(.sale) .price{color:#b00} @supports (display:grid){.grid{display:grid}} .Note{color:#555}</style></head>` +
			`<body><h1 class="hidden md:block">Gadget Hub</h1><p class="md:hidden">Open in the app</p><div class="card grid"><p class="w-1/2">Order 88-2077: $89.00 charged to Visa ending 4410.</p>` +
			`<span class="sale"></span><p class="price note">USB-C cable</p></div><p>To cancel, reply within 24 hours or call our shop on 1-800-555-0142.</p></body></html>`)})
	add(ok("callback-twin-styled-receipt", "a shop's styled receipt: its name and the items drawn with ::before, a hidden preheader, rules for narrow windows and dark mode, a charge, a way to cancel and its own number"),
		mail{from: `"Gadget Hub" <orders@gadgethub.example>`, subject: "Receipt for order 88-2051", root: html(`<!DOCTYPE html><html><head><style>.brand::before{content:"Gadget Hub"}` +
			`.items li{list-style:none} .items li::before{content:"\2022  "} .pre{display:none!important;mso-hide:all} .mob{display:none}` +
			`@media only screen and (max-width:600px){.mob{display:block!important}} [data-ogsc] .logo{display:none} a[x-apple-data-detectors]{color:inherit!important}</style></head>` +
			`<body><div class="pre">Your receipt and delivery date</div><h1 class="brand"></h1><p>Order 88-2051: $89.00 charged to Visa ending 4410.</p>` +
			`<ul class="items"><li>USB-C cable</li><li>Phone stand</li></ul><p>To cancel, reply within 24 hours or call our shop on 1-800-555-0142.</p><p class="mob">Open in the app</p></body></html>`)})
	add(bad("callback-font-color-hidden-sender-name", "callback phishing from a hijacked company mailbox that names the company only in <font color> the colour of its table's bgcolor, and in a legacy colour value (color=\"fdfdfd\", no #) on a page of that colour",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Membership renewed", root: html(`<html><body bgcolor="#fdfdfd"><table width="600" bgcolor="#0b3d91"><tr><td><font color="#0b3d91" size="1">Smith Plumbing accounts</font>` +
			`<h2><font color="white">Geek Squad Total Tech</font></h2></td></tr></table><p>Your membership renewed automatically and $399.99 was charged. If you did not authorize this, call the billing desk to cancel: 1-808-555-0177</p>` +
			`<p><font color="fdfdfd">Smith Plumbing, 12 Main St, Springfield</font></p></body></html>`)})
	add(bad("callback-shadow-drawn-lure", "callback phishing from a hijacked company mailbox whose lure is transparent text drawn by its shadow, its stroke and a gradient clipped to it (Chromium shows all three)",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Renewal processed", root: html(`<!DOCTYPE html><html><head><style>.s{color:transparent;text-shadow:0 0 0 #1a1a1a} .k{-webkit-text-fill-color:transparent;-webkit-text-stroke:1px #222}` +
			` .g{color:transparent;background:linear-gradient(90deg,#102a43,#243b53);-webkit-background-clip:text;background-clip:text}</style></head><body>` +
			`<h2 class="s">McAfee Total Protection</h2><p class="k">Your plan renewed automatically: $429.99 was charged.</p>` +
			`<p class="g">If you did not authorize this, call the billing desk to cancel: +1 (808) 555-0166</p></body></html>`)})
	add(bad("callback-noscript-lure", "callback phishing from a hijacked company mailbox whose whole lure is in a <noscript>: a browser running scripts hides it, every mail client (which runs none) shows it",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Auto-renewal notice", root: html(`<html><head><noscript><style>.note{font-weight:bold}</style></noscript></head><body><noscript><h2>Norton 360 Premium</h2>` +
			`<p class="note">Your subscription renewed automatically and $389.99 was charged. If you did not authorize this, call us to cancel: 1-808-555-0144</p></noscript>` +
			`<script>document.write("<p>Loading your invoice</p>")</script></body></html>`)})
	add(bad("callback-oklch-hidden-sender-name", "callback phishing from a hijacked company mailbox that names the company only in white written as oklch() and lab() (the page's own colours), and in a hue in turns",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Order renewed", root: html(`<!DOCTYPE html><html><head><style>.a{color:oklch(100% 0 0)} .b{color:lab(100 0 0)} .c{color:hsl(0.25turn 0% 100%)}</style></head><body>` +
			`<p class="a">Smith Plumbing</p><h2>Norton 360 Deluxe</h2><p>Your subscription renewed: $459.99 charged. If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0133</p>` +
			`<p class="b">Smith Plumbing, 12 Main St</p><p class="c">smith-plumbing.test</p></body></html>`)})
	add(bad("callback-calc-hidden-sender-name", "callback phishing from a hijacked company mailbox that names the company only where calc() sizes its font to 0, the translate property moves it off the screen, zoom shrinks it and text-indent pushes it past a clipping edge",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Plan renewed", root: html(`<!DOCTYPE html><html><head><style>.a{font-size:calc(2px - 2px)} .b{translate:-9999px 0} .c{zoom:0.02}` +
			` .d{text-indent:100%;white-space:nowrap;overflow:hidden}</style></head><body><p class="a">Smith Plumbing</p><h2>Norton 360 Standard</h2>` +
			`<p>Your plan renewed automatically: $419.99 charged. If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0122</p>` +
			`<p class="b">Smith Plumbing, 12 Main St</p><p class="c">smith-plumbing.test</p><h3 class="d">Smith Plumbing</h3></body></html>`)})
	add(bad("callback-marker-drawn-lure", "callback phishing from a hijacked company mailbox whose brand only a list item's ::marker draws and whose number only a string list-style-type draws (Chromium shows both)",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, subject: "Renewal receipt", root: html(`<!DOCTYPE html><html><head><style>.b::marker{content:"Norton 360 Deluxe: "} ul{list-style-position:inside;padding:0}</style></head><body>` +
			`<ul><li class="b">your subscription renewed automatically and $439.99 was charged.</li></ul>` +
			`<ul style="list-style-type:'If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0111 '"><li>Thank you.</li></ul></body></html>`)})
	add(ok("callback-twin-legacy-newsletter", "a shop's receipt in old table markup: <font color> and bgcolor that show, a gradient headline clipped to its text, a shadowed price, a <noscript> note, a charge, a way to cancel and its own number"),
		mail{from: `"Gadget Hub" <orders@gadgethub.example>`, subject: "Your Gadget Hub receipt 88-3120", root: html(`<html><head><style>.hl{color:transparent;background:linear-gradient(#222,#555);-webkit-background-clip:text;background-clip:text}` +
			` .pr{color:#0b3d91;text-shadow:1px 1px 0 #ccc}</style></head><body bgcolor="#ffffff" text="#222222"><table width="600" bgcolor="#0b3d91"><tr><td><font color="#ffffff" size="5">Gadget Hub</font></td></tr></table>` +
			`<h1 class="hl">Thanks for your order</h1><p class="pr">Order 88-3120: $59.00 charged to Visa ending 4410.</p><noscript><p>Your mail app shows this receipt without scripts.</p></noscript>` +
			`<p><font color="#555555">To cancel, reply within 24 hours or call our shop on 1-800-555-0142.</font></p></body></html>`)})
	add(ok("callback-twin-fluid-type-receipt", "a shop's receipt in fluid type: its name sized by clamp() and calc(), tight letter-spacing, a small translate and zoom, a visually hidden label, a charge, a way to cancel and its own number"),
		mail{from: `"Gadget Hub" <orders@gadgethub.example>`, subject: "Gadget Hub order 88-4410 receipt", root: html(`<!DOCTYPE html><html><head><style>h1{font-size:clamp(20px, calc(1rem + 2vw), 36px);letter-spacing:-0.02em}` +
			` .lede{translate:0 -2px;zoom:1.1} .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)} p{font-size:max(14px, 1rem)}</style></head>` +
			`<body><h1>Gadget Hub</h1><p class="lede">Order 88-4410: $42.00 charged to Mastercard ending 1881.</p><span class="sr">Receipt details</span>` +
			`<p>To cancel, reply within 24 hours or call our shop on 1-800-555-0142.</p></body></html>`)})
	add(bad("callback-hijacked-greeting", "callback phishing from a hijacked company mailbox that greets the reader by name and has an unsubscribe link, and says the charge was not authorized",
		w("heuristic", "callback-phishing", "1")),
		mail{from: hijacked, to: "Kenji Sato <kenji@corp.example.jp>", subject: "Your renewal", root: html(`<html><body><h2>Norton 360 Deluxe</h2><p>Hello Kenji, your subscription renewed: $499.99 charged.</p>` +
			`<p>If you did not authorize this, call our billing desk to cancel: +1 (808) 555-0199</p><p><a href="https://news.smith-plumbing-mail.test/u">Unsubscribe</a></p></body></html>`)})
	add(ok("callback-twin-order-unsubscribe", "a shop's order confirmation naming only the product (Apple AirPods), its number in the footer and an unsubscribe link through its mailing service"),
		mail{from: `"Gadget Hub" <orders@gadgethub.example>`, to: "kenji@corp.example.jp", subject: "Order 112-4471 confirmed", root: html(`<html><body><h1>Apple AirPods Pro (2nd gen)</h1>` +
			`<p>Order 112-4471: $249.00 charged to Mastercard ending 1881.</p><p>To cancel, contact us within 24 hours.</p><hr><p style="font-size:11px">Customer service: 1-800-555-0142 (toll free)</p>` +
			`<p><a href="https://click.esp-mailer.example/t/abc">Unsubscribe</a></p></body></html>`)})
	add(ok("callback-twin-service-desk-client", "a service desk's Microsoft 365 renewal note to a client at another domain, greeting the reader by name and signed only Service Desk"),
		mail{from: `"Service Desk" <servicedesk@acme-corp.example>`, to: "Kenji Sato <kenji@corp.example.jp>", subject: "Microsoft 365 renewal for your team",
			root: text("Hello Kenji,\n\nThe Microsoft 365 Business Premium subscription renewed on 1 December; your department card was charged $1,240.00 for 10 seats.\n\n" +
				"To cancel seats you do not need, call the IT desk at +1 (415) 555-0134.\n\nService Desk\n")})
	add(bad("callback-html-alt-text", "callback phishing whose lure is an image's alt text and markup inside the number, from free mail",
		w("heuristic", "callback-phishing", "1")),
		mail{from: "Billing <renewals.dept2026@gmail.com>", subject: "Receipt", root: html(`<html><body><p>Dear customer,</p><img src="https://img.example.net/r.png" alt="Geek Squad: membership renewed, $299.99 charged. To cancel call 1-808-555-0199" width="600" height="400"><p>Call 1-8<b>0</b>8-<span>555</span>-&#48;199 (toll free)</p></body></html>`)})
	add(bad("callback-call-me", "callback phishing written as a person from free mail: \"call me at\" after a charge to the reader",
		w("heuristic", "callback-phishing", "1")),
		mail{from: "Mark Ellis <mark.ellis.billing@gmail.com>", subject: "Norton subscription", root: text("Hi,\n\nthis is Mark from Norton billing. Your Norton 360 subscription renewed today and $499.99 was charged to your card.\n" +
			"If you did not authorize this, call me at 1-808-555-0199 so I can cancel it and refund you.\n\nMark\n")})
	rtfLure := []byte(`{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}{\*\generator Writer}\f0\fs40 Norton Antiv\'edrus\par\fs24 Sua assinatura foi renovada. Valor cobrado: R$ 1.299,00.\par Se voc\'ea n\u227?o reconhece esta cobran\'e7a, ligue {\b 0800 123 4567} para cancelar.\par}`)
	add(bad("callback-rtf-portuguese", "callback phishing in Portuguese in an RTF attachment from a company's domain: R$ 1.299,00 and a 0800 number",
		w("heuristic", "callback-phishing", "2")),
		mail{from: hijacked, subject: "Fatura", root: multipart("mixed", text("Segue a fatura.\n"), attach("application/rtf", "fatura.rtf", rtfLure))})

	// Honest twins of these.
	add(ok("callback-twin-reseller-receipt", "a reseller's Norton renewal receipt naming itself, with a support line to cancel"),
		mail{from: "Software Store <billing@softwarestore.example>", subject: "Norton 360 renewal receipt", root: text("Norton 360 renewal receipt\n\nThank you for renewing Norton 360 Deluxe with Software Store: $89.99.\nTo cancel auto-renewal or request a refund, call our support line 1-800-555-0123.\n\nSoftware Store, 12 Main St\n")})
	add(ok("callback-twin-order-footer", "a shop's order confirmation for an Apple product with its support number in the footer and links to its own site"),
		mail{from: "Gadget Hub <orders@gadgethub.test>", subject: "Order 112-4471 confirmed", root: html(`<html><body><h1>Apple AirPods Pro</h1><p>Order 112-4471 confirmed: $249.00 charged to your card.</p><p><a href="https://www.gadgethub.test/orders/112-4471">View your order</a></p><hr><p>To cancel or return your order, call us toll free at 1-800-555-0142.</p></body></html>`)})
	add(ok("callback-twin-utility-bill", "a utility bill with PayPal as a way to pay and a number to dispute a charge"),
		mail{from: "Riverside Energy <billing@riverside-energy.test>", subject: "Your December bill", root: text("Your bill from Riverside Energy\n\nAmount due: $123.45 by Dec 20. Pay online or with PayPal.\nTo dispute a charge or cancel autopay, call customer service at 1-800-555-0175.\n\nRiverside Energy\n")})
	add(ok("callback-twin-german-customer", "a customer writing in German from free mail about a double Amazon charge, giving their own number"),
		mail{from: "Jo Meier <jo.meier@gmx.de>", subject: "Amazon Bestellung doppelt", root: text("Hallo,\n\nAmazon hat mir 49,99 € doppelt berechnet. Ich möchte die zweite Zahlung stornieren. Bitte rufen Sie mich unter 0151 2345 6789 an.\n\nJo Meier\n")})
	supplierDoc := docxOf(`<w:p>`+run("Example Supplies Ltd")+`</w:p><w:p>`+run("Invoice INV-2208: Microsoft 365 Business licences, total $1,200.00.")+`</w:p><w:p>`+run("To cancel or change your order call +44 20 7946 0958.")+`</w:p>`, "", "", nil)
	add(ok("callback-twin-docx-supplier", "a supplier's Word invoice for Microsoft 365 licences naming itself, with a number to cancel the order"),
		mail{from: "Accounts <accounts@supplies.example.com>", subject: "Invoice INV-2208", root: multipart("mixed", text("Hello,\n\nplease find our invoice attached.\n"), attach("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "INV-2208.docx", supplierDoc))})
	return out
}
