package heuristic

import "github.com/kensa-milter/kensa/message"

// noticeLureCases: invoice, payroll, parcel and second-factor lures and
// voicemail lures to a stranger's host, and the honest notices of each.
func noticeLureCases() map[string][]sample {
	toBob := func(m *message.Message) *message.Message { m.To = "Bob Jones <bob@corp.example>"; return m }
	stranger := func(m *message.Message) *message.Message { return toBob(sentBy("ap@notice-mail.test", m)) }
	inside := func(m *message.Message) *message.Message { return toBob(sentBy("payroll@corp.example", m)) }
	return map[string][]sample{
		"notice-lure-link": {
			{"View invoice to a stranger", stranger(body(`<p>Your invoice INV-4471 is ready.</p><p><a href="https://inv-portal.example.net/i/4471">View invoice</a></p>`)), "1"},
			{"an overdue invoice, click here", stranger(body(`<p>Invoice 2231 is overdue. Kindly <a href="https://secure-docs.example.org/v/2231">click here</a> to settle the outstanding invoice.</p>`)), "1"},
			{"Spanish, in the subject", subject("Factura pendiente F-2291", stranger(body(`<p><a href="https://portal-pagos.example.net/f/2291">Ver</a></p>`))), "1"},
			{"direct deposit", stranger(body(`<p>Please update your direct deposit before the payroll run. <a href="https://payroll-hr.example.net/dd">Update</a></p>`)), "1"},
			{"German payslip", stranger(body(`<p>Ihre Gehaltsabrechnung steht bereit. <a href="https://lohn-portal.example.net/g">Jetzt ansehen</a></p>`)), "1"},
			{"a redelivery fee", stranger(body(`<p>We could not deliver your parcel. Pay the redelivery fee: <a href="https://parcel-redeliver.example.net/t">Schedule delivery</a></p>`)), "1"},
			{"MFA to re-register", stranger(body(`<p>Your multi-factor authentication must be re-registered today. <a href="https://mfa-register.example.net/r">Re-register MFA</a></p>`)), "1"},
			{"a plain-text parcel lure", stranger(msg(text("1", "We could not deliver your parcel. Pay the redelivery fee at https://parcel-redeliver.example.net/t now."))), "1"},
			{"an attached invoice page", stranger(attach(htmlPart("2", `<html><body><p>Amount due $8,310.00</p><a href="https://inv-view.example.org/i/1">View invoice</a></body></html>`, named("INV-1.html")))), "2"},
			{"the vendor's own portal", sentBy("billing@vendor.example", toBob(body(`<p>Your invoice is ready. <a href="https://billing.vendor.example/i/1">View invoice</a></p>`))), ""},
			{"the vendor's app on a domain of the same name", sentBy("billing@mail.acmesaas.example", toBob(body(`<p>Your invoice is overdue. <a href="https://app.acmesaas.test/billing">Pay invoice</a></p>`))), ""},
			{"Stripe's invoice page", stranger(body(`<p>Your invoice is ready. <a href="https://invoice.stripe.com/i/acct_1/x">View invoice</a></p>`)), ""},
			{"the company's own payroll notice", inside(body(`<p>Your payslip is in the <a href="https://corp-hr.example.net/letters">HR portal</a>.</p>`)), ""},
			{"the payroll provider", stranger(body(`<p>A change was made to your direct deposit. <a href="https://workforcenow.adp.com/">Log in</a></p>`)), ""},
			{"a shop's tracking link: tracking is no ask", stranger(body(`<p>Your order has shipped. <a href="https://carrier-x.example.net/t/1">Track your package</a></p>`)), ""},
			{"a shop linking UPS to reschedule", stranger(body(`<p>UPS could not deliver your order. <a href="https://www.ups.com/track?tracknum=1Z999">Reschedule delivery</a></p>`)), ""},
			{"a second factor's word without the topic", stranger(body(`<p>Your trial will be disabled tomorrow. <a href="https://app.other-saas.example.net/">Upgrade</a></p>`)), ""},
			{"the company's Okta for MFA", stranger(body(`<p>Your MFA must be re-registered. <a href="https://corp.okta.com/enduser/settings">Okta settings</a></p>`)), ""},
			{"a newsletter naming an invoice among many links", stranger(body(`<p>New: view invoice history in the app. <a href="https://a.example.com/">blog</a> <a href="https://b.example.com/">forum</a> <a href="https://c.example.com/">wiki</a></p>`)), ""},
			{"through a click tracker", stranger(body(`<p>Your invoice is ready. <a href="https://u123.ct.sendgrid.net/ls/click?upn=abc">View invoice</a></p>`)), ""},
			{"a supplier's signature under an overdue payment", sentBy("jo.supplier@gmail.com", toBob(body(`<p>Hi Bob, invoice 221 is attached. Payment is overdue by ten days, could you check?</p><p>Jo<br><a href="https://www.supplier-co.example/">www.supplier-co.example</a> | <a href="https://www.supplier-co.example/about">About us</a></p>`))), ""},
			{"a plain-text signature under an overdue payment", sentBy("jo.supplier@gmail.com", toBob(msg(text("1", "Hi Bob,\nPayment is overdue, please check.\n\nJo\nSupplier Co - https://www.supplier-co.example/contact\n")))), ""},
			{"a code mail's help link", stranger(body(`<p>Your two-factor authentication code has expired. Request a new one in the app.</p><p><a href="https://help.acme-support.example/2fa">Help</a></p>`)), ""},
			{"a digest's account link", stranger(body(`<p>Tip: you can now view invoice history in your account.</p><p><a href="https://shop.example/account">My account</a></p>`)), ""},
			{"Pay now among a footer's links", stranger(body(`<p>Invoice 2231 is overdue.</p><p><a href="https://pay-now.example.net/2231">Pay now</a></p><p><a href="https://a.example.com/">privacy</a> <a href="https://b.example.com/">terms</a> <a href="https://c.example.com/">help</a></p>`)), "1"},
			{"German, the link on hier", stranger(body(`<p>Zu unserer offenen Rechnung 118 fehlt die Zahlung. Sie können sie <a href="https://beleg.example.org/r">hier</a> einsehen.</p>`)), "1"},
			{"an attachment in a zip", stranger(zipWith(part("2/a.zip/inv.html", []byte(`<html><body><a href="https://inv-view.example.org/i/1">View invoice</a></body></html>`), named("inv.html")))), ""},
		},
		"voicemail-lure-link": {
			{"Play to a stranger", stranger(body(`<p>You have a new voicemail (0:42).</p><p><a href="https://vm-play.example.net/v/1">Play</a></p>`)), "1"},
			{"German", stranger(body(`<p>Neue Sprachnachricht von 030 5550 1234.</p><p><a href="https://sprach-box.example.net/a">Anhören</a></p>`)), "1"},
			{"the phone service's own app", sentBy("noreply@vonage.com", toBob(body(`<p>You have a new voicemail. <a href="https://app.vonagebusiness.com/vm/1">Play voicemail</a></p>`))), ""},
			{"the company's own phone system", inside(body(`<p>You have a new voicemail. <a href="https://pbx.corp-phones.example.net/vm/1">Listen</a></p>`)), ""},
			{"a document lure is document-share-lure's alone", stranger(body(`<p>A document has been shared with you.</p><p><a href="https://docs-view.example.net/d">Open</a></p>`)), ""},
		},
	}
}
