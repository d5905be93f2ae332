package corpus

import "github.com/kensa-milter/kensa/policy"

// shareSamples are people and services sharing documents and pages
// (Notion, GitHub Pages, Confluence, Drive, SharePoint, Dropbox, Box),
// which must stay clean, and the lures that imitate their notices.
func shareSamples() []Sample {
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	page := func(from, subject, htmlBody string) mail {
		return mail{from: from, subject: subject, root: multipart("alternative", text("Please view this message in HTML.\n"), html(htmlBody))}
	}
	add(ok("share-notion-colleague", "a colleague shares a Notion page in the first person, linked by its title"),
		page("Jo Park <jo.park@partner.example>", "Q4 plan",
			`<p>Hi Bob,</p><p>I shared a document with you in Notion: <a href="https://www.notion.so/partnerco/Q4-plan-8f3a2b1c9d">Q4 plan</a>. Comments welcome before Friday, especially on the hiring section.</p><p>Jo</p>`))
	add(ok("share-github-pages-slides", "a speaker's reply with slides on github.io, linked by their address"),
		page("Kenji Sato <kenji@univ.example.edu>", "Re: slides from the meetup",
			`<p>Hi Bob,</p><p>sure, I&#8217;ve shared a file with you: the slides are at <a href="https://kenji-sato.github.io/talks/2026-12/">https://kenji-sato.github.io/talks/2026-12/</a></p>`+
				`<p>Kenji</p><blockquote><p>Could you send the slides from Thursday?</p><p>Bob</p></blockquote>`))
	add(ok("share-confluence-own-tenant", "a colleague's Confluence page on the company's own tenant, awaiting review"),
		page("Jo Park <jo.park@partnerco.example>", "Design doc: billing v2",
			`<p>Hi team,</p><p>The design document is ready for your review: <a href="https://partnerco.atlassian.net/wiki/spaces/ENG/pages/123456/Billing-v2">Design: billing v2</a>. Please leave comments inline.</p>`))
	add(ok("share-services-notices", "a colleague's mail with a Drive sheet, a SharePoint file, a Dropbox folder and a Box file, each shared"),
		page("Jo Park <jo.park@partner.example>", "Files for Monday",
			`<p>Hi Bob, I shared a file with you for each part of Monday's review:</p><ul>`+
				`<li><a href="https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/edit">Budget 2027</a></li>`+
				`<li><a href="https://partnerco.sharepoint.com/:w:/s/legal/EaBcDeFgHi">Contract draft.docx</a></li>`+
				`<li><a href="https://www.dropbox.com/scl/fo/abc123/xyz?rlkey=k">Site photos</a></li>`+
				`<li><a href="https://app.box.com/s/abc123def456">Floor plan.pdf</a></li></ul>`))
	add(Sample{Name: "share-lure-notion-notice", About: "a notice's shape (Jo Park has shared a document with you) from a free mailbox, the page's title linked to a Notion site of another name",
		Action: policy.Tag, Want: []Want{w("heuristic", "document-share-lure", "2")}},
		page("Jo Park <jo.park.share@gmail.com>", "Jo Park shared a document with you",
			`<p>Jo Park has shared a document with you: <a href="https://x7f3a.notion.site/Doc-8f3a">Q4 Payroll</a></p>`))

	// --- A password lure that speaks as the recipient's own mail desk ---
	add(Sample{Name: "account-lure-own-mailbox", About: "a mailbox-full lure from outside that names the recipient's domain and address, its button to a stranger's domain",
		Action: policy.Quarantine, Want: []Want{w("heuristic", "account-lure-link", "2"), w("heuristic", "account-lure-own-mailbox", "2")}},
		mail{from: "Mail Administrator <admin@mailbox-notice.invalid>", to: "Bob Jones <bob@example.test>", subject: "example.test: mailbox is full",
			root: multipart("alternative", text("Please view this message in HTML.\n"), html(`<p>Dear bob@example.test,</p><p>Your example.test mailbox is full. Incoming mail will be returned to senders.</p><p><a href="https://storage-upgrade.example.net/q">Increase storage</a></p>`))})
	add(ok("account-password-own-domain-portal", "the company's IT desk, from the recipients' own domain, on a password expiring: its portal on a domain of another name"),
		mail{from: "IT Service Desk <it@example.test>", to: "Bob Jones <bob@example.test>", subject: "Your example.test password expires in 5 days",
			root: multipart("alternative", text("Please view this message in HTML.\n"), html(`<p>Hi Bob,</p><p>your example.test password expires in 5 days. Change it at <a href="https://passwords.corp-identity.example.net/change">the password portal</a> before Friday, or call the service desk on extension 4411.</p>`))})

	// --- A callback lure that pastes a real meeting's link ---
	invite := func(lines ...string) node {
		return node{ctype: "text/calendar; method=REQUEST; charset=utf-8", cte: "8bit", body: []byte(icsEvent(lines...))}
	}
	add(Sample{Name: "ics-callback-zoom-pasted", About: "callback phishing in an invitation that pastes a real Zoom join link, writes Teams' call-in heading and a conference ID, and asks for the call to cancel the renewal right before its number",
		Action: policy.Quarantine, Want: []Want{w("heuristic", "callback-phishing", "2/ics/event.txt")}},
		mail{from: "Subscriptions <billing.desk2026@gmail.com>", subject: "Norton 360 Deluxe - subscription renewed", root: multipart("alternative", text("\n"),
			invite("SUMMARY:Norton 360 Deluxe - subscription renewed", `DESCRIPTION:Your annual subscription was renewed. Amount charged: $399.99\nJoin Zoom Meeting https://us02web.zoom.us/j/84512345678\nOr call in (audio only) to cancel the renewal and get your refund:\n+1 808-555-0199\,\,812345678#\nPhone Conference ID: 812 345 678#`))})
	add(ok("ics-zoom-webex-numbers", "a vendor's Zoom invitation listing many dial-in numbers and a Webex one with its access code, a renewal, invoice and refund on the agenda"),
		mail{from: "Jo Smith <jo@vendor.example.com>", subject: "Norton 360 renewal call", root: multipart("alternative", text("Zoom meeting invitation\n"),
			invite("SUMMARY:Norton 360 renewal call", `DESCRIPTION:Join Zoom Meeting\nhttps://us02web.zoom.us/j/84512345678?pwd=abc\nMeeting ID: 845 1234 5678\n---\nOne tap mobile\n+16465588656\,\,84512345678# US (New York)\n+16699006833\,\,84512345678# US (San Jose)\n---\nDial by your location\n+1 646 558 8656 US (New York)\n+1 669 900 6833 US (San Jose)\n+44 203 481 5237 United Kingdom\nFind your local number: https://us02web.zoom.us/u/kbXyZ\n`+
				`Backup on Webex: https://vendor.webex.com/vendor/j.php?MTID=m1234\nMeeting number (access code): 2550 123 4567\nJoin by phone\n+1-415-655-0001 US Toll\n`+
				`Agenda: the renewal of the subscription\, the invoice charged in November ($399.99)\, the refund of the duplicate charge and whether to cancel.`))})
	return out
}
