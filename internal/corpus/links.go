package corpus

import (
	"net/url"

	"github.com/kensa-milter/kensa/policy"
)

// links are the lures of issue 14 (links where gateways do not look: behind
// redirects, in hosts only a browser decodes, in QR codes) and the honest
// mail that looks like them.
func links() []Sample {
	bad := func(name, about string, a policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: a, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	linkMail := func(subject, htmlBody string) mail {
		return mail{subject: subject, root: multipart("alternative", text("Please view this message in HTML.\n"), html(htmlBody))}
	}

	// --- Redirects and wrappers ---
	add(bad("url-google-redirect", "a phishing link hidden in Google's open redirect, the target percent-encoded", policy.Tag,
		w("heuristic", "open-redirect", "2"), w("heuristic", "redirect-url", "2")),
		linkMail("Shared document", `<p>A document was shared with you: <a href="https://www.google.com/url?sa=t&amp;url=https%3A%2F%2Fdocs-share.example.net%2Fview%3Fid%3D7&amp;usg=AOvVaw">Open document</a></p>`))

	add(bad("url-wrapped-lookalike", "a lookalike of microsoft.com behind Bing's base64 redirect inside Outlook Safe Links", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2"), w("heuristic", "open-redirect", "2")),
		linkMail("Password expires today", `<p>Your password expires today. <a href="https://eur02.safelinks.protection.outlook.com/?url=`+
			url.QueryEscape("https://www.bing.com/ck/a?!&&p=1&u=a1aHR0cHM6Ly9sb2dpbi5ybmljcm9zb2Z0LmNvbS9rZWVw&ntb=1")+`&amp;data=05%7C02">Keep my password</a></p>`))

	add(bad("url-redirect-blocklisted", "a blocklisted domain behind a tracking redirect parameter", policy.Reject,
		w("heuristic", "blocklisted-url", "2"), w("heuristic", "redirect-url", "2")),
		linkMail("Your parcel", `<p><a href="https://click.mailer.example.org/c?id=9&amp;redirect=http%3A%2F%2Fmalware-drop.example%2Ftrack">Track your parcel</a></p>`))
	out[len(out)-1].Needs = "blocklist"

	// --- Hosts only a browser decodes ---
	add(bad("url-percent-encoded-ip", "a link whose host is a percent-encoded IP address (Go's URL parser refuses it, browsers open it)", policy.Tag,
		w("heuristic", "ip-url", "2")),
		linkMail("Invoice", `<p>Your invoice: <a href="http://%31%39%38.%35%31.%31%30%30.%37/invoice.php?id=7">download</a></p>`))

	add(bad("url-backslash-userinfo", "a link with backslashes and a bank's name as userinfo before an octal IP", policy.Quarantine,
		w("heuristic", "userinfo-url", "2"), w("heuristic", "ip-url", "2")),
		linkMail("Security check", `<p>Confirm at <a href="https:\\secure.bank.example@0306.0063.0144.07\login">secure.bank.example</a></p>`))

	// --- Lookalikes ---
	add(bad("url-diacritic-lookalike", "a link to paypaḷ.com with U+1E37 (l with dot below): no script mixing, and a reader sees paypal", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2")),
		linkMail("Unusual sign-in", "<p>We noticed an unusual sign-in. <a href=\"https://www.paypa\u1e37.com/signin\">Review your account</a></p>"))

	add(bad("url-typosquat", "a link to a typo-squat of microsoft.com with lure words around it", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2")),
		linkMail("Mailbox full", `<p>Your mailbox is full. <a href="https://secure-micorsoft-login.com/owa">Get more space</a></p>`))

	add(bad("url-brand-hyphen-words", "a link to a brand with words of its own hyphenated beside it, under a free hosting suffix", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2")),
		linkMail("Shared with you", `<p>Kenji shared "Q4 bonus.xlsx" with you. <a href="https://sharepoint-files-365.web.app/d/q4">Open</a></p>`))

	add(bad("url-microsoftonline-lookalike", "a link to rnicrosoftonline.com, the sign-in domain with rn for m", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2")),
		linkMail("Password expiry", `<p>Your password expires today. <a href="https://login.rnicrosoftonline.com/common/reset">Keep it</a></p>`))

	add(bad("url-brand-domain-in-front", "a link whose host starts with the real sign-in domain and ends in the attacker's", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2")),
		linkMail("Session expired", `<p>Your session expired. <a href="https://login.microsoftonline.com.auth-session.example.net/common/oauth2">Sign in again</a></p>`))

	add(bad("url-recipient-in-fragment", "a link to a page on cloud storage carrying the recipient's address in base64 after #, for the kit to fill in its sign-in form", policy.Tag,
		w("heuristic", "recipient-in-link", "2")),
		linkMail("Shared: Q4 bonus.xlsx", `<p>A file was shared with you. <a href="https://storage.googleapis.com/bkt-8823/index.html#a2VuamlAY29ycC5leGFtcGxlLmpw">View document</a></p>`))

	// --- Honest mail like them ---
	add(ok("newsletter-recipient-in-query", "a newsletter whose unsubscribe and preference links carry the recipient's address in their query"),
		linkMail("November news", `<p>News of the month.</p><p><a href="https://news.example-esp.com/unsubscribe?email=kenji%40corp.example.jp&amp;list=7">Unsubscribe</a> · `+
			`<a href="https://news.example-esp.com/prefs?e=a2VuamlAY29ycC5leGFtcGxlLmpw#top">Preferences</a></p>`))

	add(ok("url-brands-own-domains", "links to brands' own domains that glue a lure-like word on, and honest hyphenated names"),
		linkMail("Your tools", `<p>Sign the contract in <a href="https://secure.adobesign.com/public/doc">Adobe Sign</a>, `+
			`open <a href="https://www.microsoft365.com/launch/word">Word</a>, see <a href="https://www.paypal-community.com/t5/help">the community</a> `+
			`and order from <a href="https://www.office-supplies.example/paper">our supplier</a>.</p>`))

	add(ok("newsletter-tracking-redirects", "a newsletter whose links go through the sender's click tracker and Outlook Safe Links"),
		mail{from: "Example Shop <news@shop.example.com>", subject: "Autumn sale", root: multipart("alternative",
			text("Autumn sale: https://shop.example.com/sale\n"),
			html(`<p><a href="https://click.shop.example.com/c?id=1&amp;url=https%3A%2F%2Fshop.example.com%2Fsale">shop.example.com/sale</a></p>`+
				`<p><a href="https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.example.org%2Fterms&amp;data=05%7C01">Terms</a></p>`))})

	add(ok("idn-domain", "a link to an honest internationalised domain name"),
		linkMail("Buchbestellung", `<p>Ihre Bestellung bei <a href="https://www.bücher-müller.example/bestellung/42">bücher-müller.example</a> ist unterwegs.</p>`))
	return out
}
