package corpus

import (
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// senderSamples are mails that lie about who sent them in the header (a
// display name showing another address, a brand's name, a lookalike
// domain, a Reply-To that diverts answers) and the honest mail that looks
// like them: services sending for people, mailing lists rewriting From,
// brands' own mail domains, people named like brands.
func senderSamples() []Sample {
	bad := func(name, about string, a policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: a, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	note := func(subject, body string) mail {
		return mail{subject: subject, root: multipart("alternative", text(body), html("<p>"+body+"</p>"))}
	}
	with := func(m mail, from string, header ...string) mail {
		m.from, m.header = from, header
		return m
	}
	const whole = "" // sender findings are the message's, not a part's
	nameDomain, nameBrand := w("heuristic", "display-name-domain", whole), w("heuristic", "display-name-brand", whole)

	// --- Lies about the sender ---
	add(bad("sender-name-address", "a display name carrying PayPal's address, the real address elsewhere", policy.Quarantine, nameDomain, nameBrand),
		with(note("Your account is limited", "We noticed unusual activity. Please confirm your details within 24 hours."),
			`"service@paypal.com" <billing@account-review.example>`))

	add(bad("sender-name-fullwidth-shift-jis", "a display name in Shift_JIS encoded words spelling PayPal's address in full-width letters, ＠ and ．", policy.Quarantine, nameDomain, nameBrand),
		with(note("Account notice", "Please confirm your account."),
			`=?shift_jis?b?gpOChYKSgpaCiYKDgoWBl4KQgoGCmYKQgoGCjIFEgoOCj4KN?= <notice@account-review.example>`))

	add(bad("sender-name-rtlo", "a display name written backwards behind a right-to-left override, shown as service@paypal.com", policy.Quarantine, nameDomain, nameBrand),
		with(note("Receipt for your payment", "Your payment was sent. Not you? Cancel it now."),
			`=?utf-8?b?4oCubW9jLmxhcHlhcEBlY2l2cmVz?= <receipts@account-review.example>`))

	add(bad("sender-group-syntax", "a From written as a group named after microsoft.com, which clients show as the sender's name", policy.Quarantine, nameDomain, nameBrand),
		with(note("Password expires today", "Your password expires today. Keep it from the portal."),
			`microsoft.com Security: alerts@m365-notices.example;`))

	add(bad("sender-comment-name", "an address with an old-style comment naming a DocuSign address, which clients show as the name", policy.Quarantine, nameDomain, nameBrand),
		with(note("Please sign: Contract 2026-11", "A document is waiting for your signature."),
			`sign@contracts-hub.example (DocuSign <dse@docusign.net>)`))

	add(bad("sender-brand-lookalike-domain", "DocuSign's name from a typo of its domain, answers to another lookalike", policy.Quarantine,
		nameBrand, w("heuristic", "sender-lookalike-domain", whole)),
		with(note("Completed: Invoice 7731", "All parties have completed the envelope."),
			`"DocuSign" <dse@docusiqn.example>`, "Reply-To: <signing@docusign-secure.example>"))

	add(bad("sender-return-path-lookalike", "an IT notice whose envelope sender (Return-Path) imitates microsoftonline.com", policy.Quarantine,
		w("heuristic", "sender-lookalike-domain", whole)),
		with(note("Mailbox quota", "Your mailbox is almost full."),
			`"IT Service Desk" <helpdesk@corp-it.example>`, "Return-Path: <bounce@rnicrosoftonline.example>"))

	add(bad("sender-reply-to-freemail-with-link", "PayPal's own From, answers diverted to a free mail address, and a link showing paypal.com going elsewhere: the Reply-To alone would not tag", policy.Quarantine,
		w("heuristic", "reply-to-freemail", whole), w("heuristic", "link-text-brand-mismatch", "2")),
		mail{from: `PayPal <service@paypal.com>`, header: []string{"Reply-To: <resolution.paypal@gmail.com>"}, subject: "Dispute opened",
			root: multipart("alternative", text("A dispute was opened. Reply to this mail with your ID.\n"),
				html(`<p>A dispute was opened. Reply with your ID or see <a href="https://dispute-center.example/case">paypal.com/disputes</a>.</p>`))})

	add(bad("sender-reply-to-diverted-with-link", "Microsoft's own From, answers diverted to another company's domain, and a link showing microsoft.com going elsewhere: the Reply-To alone would not tag", policy.Quarantine,
		w("heuristic", "reply-to-diverted", whole), w("heuristic", "link-text-brand-mismatch", "2")),
		mail{from: `Microsoft account team <account-security-noreply@accountprotection.microsoft.com>`, header: []string{"Reply-To: <security-desk@account-help.example>"}, subject: "Unusual sign-in activity",
			root: multipart("alternative", text("We detected an unusual sign-in. Reply to this mail if it was not you.\n"),
				html(`<p>We detected an unusual sign-in. Reply if it was not you, or review it at <a href="https://signin-review.example/activity">account.microsoft.com/security</a>.</p>`))})

	// --- Honest mail like them ---
	add(ok("sender-docusign-envelope", "DocuSign sending for a person (\"via DocuSign\" from docusign.net), answers to the person's Gmail"),
		with(note("Please DocuSign: Lease 2026", "Jo Smith sent you a document to review and sign."),
			`"Jo Smith via DocuSign" <dse_na2@docusign.net>`, "Reply-To: Jo Smith <jo.smith@gmail.com>"))

	add(ok("sender-own-address-as-name", "a person whose display name is their own address"),
		with(note("Minutes", "The minutes of today's meeting."), `"jo@acme.example" <jo@acme.example>`))

	add(ok("sender-mailing-list", "a mailing list rewriting From (\"via Dev-list\") with List-Id"),
		with(note("Re: build broken", "Fixed in the last commit."), `"Jo Smith via Dev-list" <dev@lists.example>`,
			"List-Id: Developers <dev.lists.example>", "Reply-To: dev@lists.example", "Cc: Jo Smith <jo@acme.example>"))

	add(ok("sender-google-groups", "Google Groups rewriting the From of an author without a display name, the author in Reply-To"),
		with(note("Meeting notes", "Notes from Tuesday."), `"'jo@acme.example' via Dev" <dev@googlegroups.com>`,
			"List-Id: <dev.googlegroups.com>", "Reply-To: jo@acme.example", "X-Original-From: jo@acme.example"))

	add(ok("sender-calendar-on-behalf", "a calendar invitation sent by Google Calendar for the organiser (Sender: Google Calendar)"),
		mail{from: `"Jo Smith (Google Calendar)" <jo@acme.example>`, header: []string{"Sender: Google Calendar <calendar-notification@google.com>"},
			subject: "Invitation: Planning", root: multipart("alternative", text("Planning, Thu 10:00\n"),
				node{ctype: "text/calendar; charset=utf-8; method=REQUEST", cte: "8bit", body: []byte(crlf("BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:plan-1@acme.example\nDTSTART:20261105T010000Z\nSUMMARY:Planning\nEND:VEVENT\nEND:VCALENDAR\n"))})})

	add(ok("sender-helpdesk-ticket", "a help desk ticket from the company's desk on its provider's domain"),
		with(note("[Ticket #4411] Your request was received", "We will answer within a day."), `"Acme Support" <support@acme.zendesk.com>`,
			"Reply-To: Acme Support <support@acme.zendesk.com>"))

	add(ok("sender-brand-newsletter", "PayPal's newsletter from its own mail subdomain, bounces to another of its subdomains"),
		with(note("Your monthly summary", "Here is what happened this month."), `PayPal <paypal@e.paypal.com>`,
			"Return-Path: <bounce-7f3a@bounce.e.paypal.com>"))

	add(ok("sender-brands-other-domains", "Microsoft's account team from accountprotection.microsoft.com, answers to microsoftonline.com"),
		with(note("Microsoft account security info", "The security info on your account was confirmed."),
			`"Microsoft account team" <account-security-noreply@accountprotection.microsoft.com>`, "Reply-To: <no-reply@microsoftonline.com>"))

	add(ok("sender-amazon-marketplace", "Amazon's German marketplace"),
		with(note("Eine Nachricht vom Verkäufer", "Ihre Bestellung wurde versandt."), `"Amazon Marketplace" <seller-answers@marketplace.amazon.de>`))

	add(ok("sender-person-named-like-brands", "a person named Chase writing from the office mailbox"),
		with(note("Office hours", "Office hours move to Friday."), `"Chase Miller" <chase@acme.example>`, "Sender: Office <office@acme.example>"))

	add(ok("sender-exchange-report", "an undeliverable report from the recipient's own Exchange server, which signs it Microsoft Outlook"),
		with(note("Undeliverable: Budget", "Delivery has failed to these recipients or groups: finance@corp.example.jp"),
			`Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@corp.example.jp>`))

	// --- Protected companies, Reply-To names, attached messages, reserved names ---
	protected := w("heuristic", "display-name-protected", whole)
	add(bad("sender-protected-helpdesk-freemail", "the protected company's IT helpdesk by name, written from Gmail", policy.Tag, protected),
		with(note("Password expires today", "Your Globex password expires today. Reply with your current password to keep it."),
			`"Globex Corp IT Helpdesk" <globexcorp.helpdesk@gmail.com>`))

	add(bad("sender-protected-payroll-other-domain", "the protected company's payroll by name, from a domain that is not the company's", policy.Tag, protected),
		with(note("Direct deposit change", "Payroll needs your new bank details before Friday's run. Reply with them today."),
			`"GlobexCorp Payroll" <payroll@globex-hr.example>`))

	add(bad("sender-protected-name-disguised", "the protected company's name with a capital I for the l and its legal form spelled out, from Outlook.com", policy.Tag, protected),
		with(note("Payslip available", "Your December payslip is ready. Reply to confirm your bank account."),
			`"GIobex Corporation Payroll" <globex.payroll@outlook.com>`))

	add(bad("sender-protected-ceo-freemail", "CEO fraud: a person named with the protected company from Gmail, a link showing the company's site going elsewhere", policy.Tag,
		w("heuristic", "display-name-protected-freemail", whole), w("heuristic", "link-text-mismatch", "2")),
		mail{from: `"Dana Whitfield (Globex Corp)" <d.whitfield.globex@gmail.com>`, subject: "Urgent wire today",
			root: multipart("alternative", text("I need a wire sent today. Details on the payments page.\n"),
				html(`<p>I need a wire sent today. Details on <a href="https://pay-desk.example.net/w/7f3a">globexcorp.example/payments</a>.</p>`))})

	add(bad("sender-reply-to-name-address", "an honest-looking From whose Reply-To display name shows PayPal's address, so the answer seems to go to PayPal", policy.Quarantine, nameDomain, nameBrand),
		with(note("Refund on hold", "Your refund is on hold. Reply to this mail with your account details."),
			`Billing <billing@refund-desk.example>`, `Reply-To: "service@paypal.com" <claims@refund-desk.example>`))

	// An attached message's findings name its part, as a cached attachment brings them back.
	add(bad("sender-attached-message", "\"see the attached message\": a forwarded message/rfc822 whose own From shows PayPal's address", policy.Quarantine,
		w("heuristic", "display-name-domain", "2"), w("heuristic", "display-name-brand", "2")),
		mail{from: `Jo <jo.travel@gmail.com>`, subject: "Fwd: Account limited", root: multipart("mixed", text("See the attached message.\n"),
			node{ctype: "message/rfc822", cte: "7bit", body: mail{from: `"service@paypal.com" <service@account-review.example>`, to: "kenji@corp.example.jp",
				subject: "Account limited", id: "limited@account-review.example", root: text("Your account is limited. Confirm your details.\n")}.bytes()})})

	add(bad("sender-attached-eml-lookalike", "an .eml attachment whose From is DocuSign on a typo of its domain", policy.Quarantine,
		w("heuristic", "display-name-brand", "2"), w("heuristic", "sender-lookalike-domain", "2")),
		mail{from: `Contracts <contracts@agreements-hub.example>`, subject: "Contract to sign", root: multipart("mixed", text("The envelope is attached.\n"),
			attach("application/octet-stream", "Envelope.eml", mail{from: `"DocuSign" <dse@docusiqn.example>`, to: "kenji@corp.example.jp",
				subject: "Please sign", id: "env@docusiqn.example", root: text("A document is waiting for your signature.\n")}.bytes()))})

	add(bad("sender-attached-msg-on-behalf", "an Outlook .msg whose shown sender is DocuSign on a typo of its domain (sent on its behalf by an ordinary mailbox)", policy.Quarantine,
		w("heuristic", "display-name-brand", "2/Please sign.msg/sender.txt"), w("heuristic", "sender-lookalike-domain", "2/Please sign.msg/sender.txt")),
		mail{from: `Contracts <contracts@agreements-hub.example>`, subject: "Fwd: Please sign", root: multipart("mixed", text("Forwarded as an attachment.\n"),
			attach(outlookType, "Please sign.msg", formats.MsgBytes(formats.Msg{Subject: "Please sign", Body: "A document is waiting for your signature.\r\n",
				SenderName: "Contracts", SenderEmail: "contracts@agreements-hub.example", FromName: "DocuSign", FromEmail: "dse@docusiqn.example"})))})

	add(bad("sender-reserved-name-address", "a display name showing an address on a reserved domain (paypal.example), which clients show as any other", policy.Quarantine, nameDomain, nameBrand),
		with(note("Security alert", "A new device signed in to your account."), `"security@paypal.example" <alerts@account-check.test>`))

	add(ok("sender-aws-signup", "Amazon Web Services writing from its own top-level domain (signup.aws)"),
		with(note("Welcome to Amazon Web Services", "Your AWS account is ready."), `"Amazon Web Services" <no-reply@signup.aws>`))

	add(ok("sender-sharepoint-share", "SharePoint Online sharing a file for a colleague, from sharepointonline.com"),
		with(note("Jo Smith shared a file with you", "Jo Smith shared Budget.xlsx with you."), `"SharePoint Online" <no-reply@sharepointonline.com>`))

	add(ok("sender-protected-partner-portal", "a partner portal writing for the protected company (\"via\")"),
		with(note("New order from Globex Corp", "Globex Corp placed order 4711."), `"Globex Corp via Partner Portal" <noreply@partnerportal.example>`))

	add(ok("sender-protected-employee-personal", "an employee of the protected company writing from a personal Gmail account (info only)"),
		with(note("Running late", "Train delayed, I'll be in at ten."), `"Jo Smith (Globex Corp)" <jo.smith@gmail.com>`))

	add(ok("sender-protected-vendor-newsletter", "a vendor's newsletter for its customer, the protected company"),
		with(note("Your quarterly report", "Usage for the quarter is attached to your dashboard."), `"Widgets Inc for Globex Corp" <news@widgets.example>`))

	add(ok("sender-protected-tenant", "the protected company's help desk at its provider, on a host named after it"),
		with(note("[Ticket #88] Received", "We will answer within a day."), `"Globex Corp IT Support" <support@globexcorp.zendesk.com>`))

	add(ok("sender-reply-to-own-brand", "PayPal's own mail whose Reply-To names PayPal on another of its subdomains"),
		with(note("Your receipt", "You paid Acme 12.00 EUR."), `PayPal <service@paypal.com>`, `Reply-To: "PayPal" <noreply@e.paypal.com>`))

	add(ok("sender-company-signin-link", "a company's IT desk sending its staff to its own Microsoft 365 sign-in server"),
		mail{from: `IT Service Desk <it@corp.example.jp>`, subject: "Microsoft 365 migration", root: multipart("alternative",
			text("Your mailbox moves this weekend. Sign in on Monday.\n"),
			html(`<p>Your mailbox moves this weekend. <a href="https://sso.corp.example.jp/adfs/ls/?wa=wsignin1.0">Sign in to Microsoft 365</a> on Monday.</p>`))})

	add(ok("sender-forwarded-eml-brand", "a person forwarding Microsoft's real account mail as an .eml file"),
		mail{from: "Jo <jo@acme.example>", subject: "Fwd: security info", root: multipart("mixed", text("Is this real?\n"),
			attach("application/octet-stream", "Security info.eml", mail{from: `"Microsoft account team" <account-security-noreply@accountprotection.microsoft.com>`,
				to: "jo@acme.example", subject: "Microsoft account security info", id: "sec-1@accountprotection.microsoft.com",
				root: text("The security info on your account was confirmed.\n")}.bytes()))})

	add(ok("sender-forwarded-msg-brand", "a person forwarding PayPal's real receipt as an Outlook .msg, with the headers it arrived with"),
		mail{from: "Jo <jo@acme.example>", subject: "Fwd: Receipt", root: multipart("mixed", text("For the books.\n"),
			attach(outlookType, "Receipt.msg", formats.MsgBytes(formats.Msg{Subject: "Receipt", Body: "You paid Acme 12.00 EUR.\r\n",
				SenderName: "PayPal", SenderEmail: "service@paypal.com",
				Headers: "Received: from mx.paypal.com\r\nFrom: PayPal <service@paypal.com>\r\nTo: jo@acme.example\r\nSubject: Receipt\r\n"})))})

	inner := mail{from: `PayPal <service@paypal.com>`, to: "jo@acme.example", subject: "Receipt", id: "inner-receipt@paypal.example",
		root: text("Receipt for your payment to Acme.\n")}
	add(ok("sender-forwarded-brand-mail", "a person forwarding a PayPal receipt"),
		mail{from: "Jo <jo@acme.example>", subject: "Fwd: Receipt", root: multipart("mixed", text("For the books.\n"),
			node{ctype: "message/rfc822", cte: "7bit", body: inner.bytes()})})
	return out
}
