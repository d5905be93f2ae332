package corpus

import "github.com/kensa-milter/kensa/policy"

// noticeSamples are lures that imitate a business's everyday notices (an
// invoice, a payroll change, a parcel held, a second factor to re-register,
// a voicemail) with a link to a stranger's host, and the honest notices of
// each kind: the vendor's billing provider, the payroll provider, the
// carrier, the service itself, the phone system.
func noticeSamples() []Sample {
	bad := func(name, about string, action policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: action, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	page := func(from, subject, htmlBody string) mail {
		return mail{from: from, to: "Bob Jones <bob@example.test>", subject: subject,
			root: multipart("alternative", text("Please view this message in HTML.\n"), html(htmlBody))}
	}
	notice := w("heuristic", "notice-lure-link", "2")

	// --- Lures ---
	add(bad("notice-lure-invoice-button", "an overdue-invoice lure whose View invoice button goes to a stranger's domain", policy.Tag, notice),
		page("Accounts Receivable <ar@invoice-notice.invalid>", "Invoice INV-4471 is overdue",
			`<p>Dear customer,</p><p>Invoice INV-4471 for $12,400.00 is overdue. Please settle it today to avoid a late fee.</p><p><a href="https://inv-portal.example.net/i/4471" style="background:#06c;color:#fff;padding:10px 18px">View invoice</a></p>`))
	add(bad("notice-lure-invoice-german-textlink", "a German payment reminder from a supplier's mailbox whose link in the text goes to a stranger's domain", policy.Tag, notice),
		page("Buchhaltung Müller GmbH <buchhaltung@mueller-lieferant.invalid>", "Zahlungserinnerung Rechnung 2024-118",
			`<p>Sehr geehrte Damen und Herren,</p><p>zu unserer offenen Rechnung 2024-118 haben wir noch keinen Zahlungseingang. Die Rechnung können Sie <a href="https://beleg-ansicht.example.org/r/118">hier</a> einsehen.</p><p>Mit freundlichen Grüßen</p>`))
	add(bad("notice-lure-payroll-direct-deposit", "a payroll lure asking to confirm direct deposit details, its button to a stranger's domain", policy.Tag, notice),
		page("HR Department <hr@payroll-notice.invalid>", "Action required: confirm your direct deposit",
			`<p>Your salary statement for December is available. Please confirm your direct deposit details before the payroll run on Friday.</p><p><a href="https://payroll-hr.example.net/dd">Confirm details</a></p>`))
	add(bad("notice-lure-parcel-fee-plain", "a plain-text parcel lure: a redelivery fee and one address to a stranger's domain", policy.Tag,
		w("heuristic", "notice-lure-link", "1")),
		mail{from: "Delivery Service <track@parcel-notice.invalid>", to: "Bob Jones <bob@example.test>", subject: "Your parcel could not be delivered",
			root: text("We could not deliver your parcel 4471 today.\nTo schedule a new delivery, pay the $1.99 redelivery fee:\n\nhttps://parcel-redeliver.example.net/t/4471\n")})
	add(bad("notice-lure-mfa-reregister", "a French second-factor lure: two-factor authentication will be switched off unless re-registered on a stranger's domain", policy.Tag, notice),
		page("Sécurité <securite@compte-notice.invalid>", "Authentification à deux facteurs",
			`<p>Votre authentification à deux facteurs sera désactivée aujourd'hui.</p><p><a href="https://auth-2fa.example.net/r">Continuer</a></p>`))
	add(bad("notice-lure-invoice-attached-page", "an invoice lure as an attached HTML page whose View invoice button goes to a stranger's domain", policy.Tag, notice),
		mail{from: "Accounts <ap@invoice-notice.invalid>", to: "Bob Jones <bob@example.test>", subject: "Invoice INV-5520",
			root: multipart("mixed", text("Your invoice is attached.\n"), attach("text/html", "INV-5520.html",
				[]byte(`<html><body><h1>Invoice INV-5520</h1><p>Amount due: $8,310.00</p><p><a href="https://inv-view.example.org/i/5520">View invoice</a></p></body></html>`)))})
	add(bad("voicemail-lure-stranger", "a voicemail lure from outside the recipients' domain whose Play button goes to no phone system's host", policy.Quarantine,
		w("heuristic", "document-share-lure", "2"), w("heuristic", "voicemail-lure-link", "2")),
		page("Voice Mail <vm@voicemail-notice.invalid>", "New voicemail from +1 808 555 0199 (0:42)",
			`<p>You have a new voicemail (0:42) from +1 808 555 0199.</p><p><a href="https://vm-play.example.net/v/4471">Play</a></p>`))

	// --- Honest notices of each kind ---
	add(ok("notice-invoice-billing-provider", "a SaaS vendor's invoice whose View invoice button is on Stripe, and a QuickBooks invoice paid through Intuit"),
		page("Acme Cloud Billing <billing@acmecloud.example>", "Your Acme Cloud invoice is ready",
			`<p>Your invoice for December is ready. Amount: $49.00.</p><p><a href="https://invoice.stripe.com/i/acct_1/test_YWNjdF8x">View invoice</a></p><p>Paying through QuickBooks instead? <a href="https://connect.intuit.com/portal/app/CommerceNetwork/view/scs-v1-abc">Review and pay</a></p>`))
	add(ok("notice-invoice-supplier-signature", "a supplier writing from free mail that a payment is overdue, its signature linking its own site and a digest's account link"),
		page("Jo Supplier <jo.supplier@gmail.com>", "Invoice 221",
			`<p>Hi Bob,</p><p>attached is invoice 221 again. Payment is overdue by ten days; could you check with your accounts team?</p><p>Best, Jo<br>Supplier Co<br><a href="https://www.supplier-co.example/">www.supplier-co.example</a> | <a href="https://www.supplier-co.example/about">About us</a></p>`))
	add(ok("notice-payroll-provider", "a payroll provider's own notice of a direct deposit change, and the company's payroll team pointing at its Workday"),
		page("ADP <securityservices_noreply@adp.com>", "Direct deposit change",
			`<p>A change was made to your direct deposit on December 3. If you did not make it, <a href="https://workforcenow.adp.com/">log in</a> and call your payroll team. Your payslip is also in <a href="https://corp.myworkday.com/corp/d/home.htmld">Workday</a>.</p>`))
	add(ok("notice-parcel-carrier", "a shop's notice of a failed delivery linking UPS to reschedule it, and its tracking page on Narvar"),
		page("Example Shop <orders@shop.example.com>", "Delivery attempt failed",
			`<p>UPS could not deliver your order 4471 and will try again tomorrow. <a href="https://www.ups.com/track?tracknum=1Z999AA10123456784">Reschedule delivery</a> or <a href="https://shop.narvar.com/tracking/shop/ups?tracking_numbers=1Z999AA10123456784">track your package</a>.</p>`))
	add(ok("notice-mfa-service-own", "a service's own notice that two-factor authentication will be disabled, linking its own settings, and the company's identity provider"),
		page("Example Service <noreply@service.example>", "Your 2FA will be disabled",
			`<p>Your two-factor authentication will be disabled on January 1 unless you re-register your authenticator app in <a href="https://service.example/settings/2fa">your settings</a> or sign in through <a href="https://corp.okta.com/enduser/settings">Okta</a>.</p>`))
	add(ok("notice-voicemail-phone-system", "voicemail notices from a phone service linking its own app on a domain of another name (Vonage's)"),
		page("Vonage Business <noreply@vonage.com>", "Voicemail from Jo Park, 0:18",
			`<table><tr><td>Caller</td><td>Jo Park (+1 808 555 0142)</td></tr><tr><td>Length</td><td>0:18</td></tr></table><p>Transcription: "Hi Bob, it's Jo, call me back about Friday's order when you can."</p><p>New voicemail waiting: <a href="https://app.vonagebusiness.com/vm/1">Play voicemail</a></p>`))
	return out
}
