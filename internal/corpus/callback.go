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
	return out
}
