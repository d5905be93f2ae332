package heuristic

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

// bodyTextCases are the TestChecks samples of the checks that read the
// text a body shows (callback-phishing, document-share-lure), which
// TestShownTextInChromium also holds to Chromium.
func bodyTextCases(t *testing.T) map[string][]sample {
	cases := callbackCases()
	cases["document-share-lure"] = append(cases["document-share-lure"], docLureCases()...)
	return cases
}

// docLureCases are document-share-lure's samples: lures and honest twins.
func docLureCases() []sample {
	return []sample{
		// Decoy links: the lure's button counts whatever else the mail
		// links to.
		{"decoy links to honest hosts", body(`<p>Jo Smith shared a file with you</p><a href="https://docview-portal.example.org/x">View Document</a><p><a href="https://www.wikipedia.org/">About us</a> <a href="https://www.nytimes.com/">News</a> <a href="https://www.weather.gov/">Weather</a> <a href="https://privacy.microsoft.com/privacystatement">Privacy</a> <a href="https://www.linkedin.com/in/josmith">LinkedIn</a></p>`), "1"},
		{"decoys, the button a lure phrase of its own", body(`<p>You have a new voicemail (0:42)</p><a href="https://vm-listen.example.org/p">Listen to voicemail</a> <a href="https://www.bbc.co.uk/">a</a> <a href="https://www.reddit.com/">b</a> <a href="https://www.imdb.com/">c</a>`), "1"},
		{"a person's mail with many links and a plain link text", body(`<p>Please review and sign the venue contract by Friday. Directions <a href="https://maps-hub.example.org/x">here</a>, menu <a href="https://chef-table.example.net/m">here</a>, hotel <a href="https://hotel-kyoto.example.net/b">here</a>.</p>`), ""},
		// Trackers: a lure's button behind an attacker's tracker counts; a
		// newsletter's tracked links, on the service's or the company's
		// own tracking domain, do not.
		{"a lure's button behind a tracker", body(`<p>Jo shared a file with you</p><a href="https://u7781.ct.sendgrid.net/ls/click?upn=abc">Open File</a>`), "1"},
		{"a lure's button behind a tracker on the attacker's domain", body(`<p>You have received a secure message</p><a href="https://click.sm-portal.example.org/?qs=ab12">View secure message</a>`), "1"},
		{"a Marketo newsletter on another company domain", sentBy("news@acme-mail.example", body(`<p>Our new secure message center: your documents are ready in the portal.</p><a href="https://go.acme.example/dc/Zx12ab==/MjQ3LUFC">Read more</a> <a href="https://www.acme.example/news?mkt_tok=NjQ3LUxY">Our news</a>`)), ""},
		{"a Salesforce Marketing Cloud newsletter", sentBy("news@acme-mail.example", body(`<p>Signing your documents is now faster: e-signature in the app.</p><a href="https://click.e.acme.example/?qs=9f3a">Learn more</a>`)), ""},
		{"a HubSpot newsletter", sentBy("news@acme-mail.example", body(`<p>New: voicemail transcripts. Listen to voicemail on any device.</p><a href="https://d2v8tf04.na1.hubspotlinks.com/Ctc/L2+113/d2v8tf04/VVxyz">See what's new</a>`)), ""},
		{"a SendGrid newsletter on the company's link domain", sentBy("news@acme-mail.example", body(`<p>Fax received from your customers now lands in your inbox.</p><a href="https://url4411.acme.example/ls/click?upn=abc">Read the story</a>`)), ""},
		{"a Mailchimp newsletter", sentBy("news@acme-mail.example", body(`<p>Your document is ready for download: the 2026 report.</p><a href="https://acme.us1.list-manage.com/track/click?u=1&id=2">Read the report</a>`)), ""},
		// The recipient's address inside the lure.
		{"the address inside the phrase", toStaff("bob@corp.example", body(`<p>Anna hat eine Datei mit bob@corp.example geteilt</p><a href="https://dok-ansicht.example.org/p">Öffnen</a>`)), "1"},
		{"the address before documents waiting", toStaff("bob@corp.example", body(`<p>bob@corp.example, you have 3 documents waiting</p><a href="https://docview-portal.example.org/x">Open</a>`)), "1"},
		{"awaiting the address's signature", toStaff("bob@corp.example", body(`<p>A contract is awaiting bob@corp.example's signature.</p><a href="https://sign-kit.example.org/x">Continue</a>`)), "1"},
		{"an address in an honest sentence", body(`<p>Write to help@shop.example if your parcel is late. Your order is on its way.</p><a href="https://parcel-track.example.org/x">Track</a>`), ""},

		// Only what the reader sees counts.
		{"a lure phrase hidden", body(`<p>Hi Jo,<span style="display:none">Jo shared a file with you</span> here are the photos from Saturday.</p><a href="https://photos-club.example.org/album">Album</a>`), ""},
		{"a shown lure after 70 KB of hidden text", body(`<div style="position:absolute;top:0;color:#fff">` + strings.Repeat("Terms and conditions apply. ", 2600) + `</div><p>Jo shared a file with you</p><a href="https://docview-portal.example.org/x">Open</a>`), "1"},
		{"shared a file, table button", body(`<p>Jo Smith shared a file with you</p><table><tr><td><a href="https://docview-portal.example.org/x">Open</a></td></tr></table>`), "1"},
		{"voicemail split by a zero-width space", body(`<p>You have a new voice&#8203;mail (0:42)</p><a href="https://vm-listen.example.org/p">Play</a>`), "1"},
		{"fax in an image's alt text", body(`<img alt="Fax received: 3 pages" src="cid:x"><a href="https://fax-view.example.org/p">View</a>`), "1"},
		{"german", body(`<p>Anna hat ein Dokument mit Ihnen geteilt</p><a href="https://dok-ansicht.example.org/p">Öffnen</a>`), "1"},
		{"french with accents", body(`<p>Vous avez reçu un nouveau message vocal</p><a href="https://vocal.example.org/p">Écouter</a>`), "1"},
		{"look-alike letters and markup", body("<p>\u0440lease review and <b>si</b>gn</p><a href=\"https://sign-kit.example.org/p\">Review</a>"), "1"},
		{"through an open redirect", body(`<p>You have received a secure message</p><a href="https://www.google.com/url?q=https://sm-portal.example.org/p">Read</a>`), "1"},
		{"the subject says it", func() *message.Message {
			m := body(`<p>Hello,</p><a href="https://files-now.example.org/p">Open</a>`)
			m.Subject = "Your document is ready"
			return m
		}(), "1"},
		{"tracked button naming a file-sharing brand", body(`<p>Jo shared a file with you via OneDrive</p><a href="https://u123.ct.sendgrid.net/ls/click?upn=abc">Open</a>`), "1"},
		{"sharepoint's own", sentBy("no-reply@sharepointonline.com", body(`<p>Jo shared a file with you</p><a href="https://acme.sharepoint.com/:x:/s/team/abc">Open</a>`)), ""},
		{"docusign's own", sentBy("dse@docusign.net", body(`<p>Please review and sign your document</p><a href="https://na3.docusign.net/Signing/EmailStart.aspx?a=1">REVIEW DOCUMENT</a>`)), ""},
		{"a dropbox share", body(`<p>Jo shared a file with you</p><a href="https://www.dropbox.com/scl/fi/abc/q4.pdf?dl=0">View file</a>`), ""},
		{"box, wetransfer, ringcentral", body(`<p>Jo shared a folder with you. New voicemail.</p><a href="https://app.box.com/s/abc">Open</a><a href="https://we.tl/t-abc">Get</a><a href="https://app.ringcentral.com/messages">Listen</a>`), ""},
		{"the sender's own portal", sentBy("billing@acme.example", body(`<p>Your document is ready</p><a href="https://portal.acme.example/doc">View document</a>`)), ""},
		{"a newsletter's tracked links", sentBy("news@acme.example", body(`<p>Our secure message center is new. Your document is ready in the portal.</p><a href="https://acme.us1.list-manage.com/track/click?u=1">Read</a><a href="https://u1.ct.sendgrid.net/ls/click?x">More</a>`)), ""},
		{"a newsletter's view-in-browser link", body(`<p>Click here to view this email in your browser</p><a href="https://mailchi.mp/acme/news">view</a>`), ""},
		{"no lure", body(`<p>See our new products</p><a href="https://shop.example.org/">Shop</a>`), ""},
		{"a person's mail linking many sites", body(`<p>The venue contract: please review and sign. Lunch: <a href="https://docs.google.com/forms/d/e/1FAIpQLSf/viewform">form</a>, site <a href="https://acme-studio.webflow.io/">here</a>, agenda on <a href="https://acme.notion.site/Offsite-7f3a">Notion</a>.</p>`), ""},
		{"two lure hosts still count", body(`<p>Please review and sign</p><a href="https://sign-a.example.org/">Sign</a> <a href="https://help-b.example.org/">Help</a>`), "1"},
	}
}

// personalShareCases: a person sharing a page they wrote (a Notion page, a
// github.io site, a Confluence page) and the lures that imitate a notice
// of it.
func personalShareCases() map[string][]sample {
	jo := func(m *message.Message) *message.Message { return sentBy("jo.park@partner.test", m) }
	stranger := func(m *message.Message) *message.Message { return sentBy("jo.park.share@gmail.com", m) }
	return map[string][]sample{
		"document-share-lure": {
			{"a colleague's Notion page, named by its title, in the first person", jo(body(`<p>Hi Bob,</p><p>I shared a document with you in Notion: <a href="https://www.notion.so/partnerco/Q4-plan-8f3a2b1c9d">Q4 plan</a>.</p>`)), ""},
			{"a colleague's notion.site page shown by address", jo(body(`<p>I have shared a document with you: <a href="https://partnerco.notion.site/Onboarding-8f3a">https://partnerco.notion.site/Onboarding-8f3a</a></p>`)), ""},
			{"slides on github.io, I've just shared", jo(body(`<p>I&#8217;ve just shared a file with you: the slides are on <a href="https://jopark.github.io/talk-2026/">jopark.github.io/talk-2026</a></p>`)), ""},
			{"a Confluence page of the sender's own tenant", sentBy("jo.park@partnerco.test", body(`<p>The design document is ready for your review: <a href="https://partnerco.atlassian.net/wiki/spaces/ENG/pages/1/Design">Design: billing v2</a></p>`)), ""},
			{"a notice's shape with the page's title", stranger(body(`<p>Jo Park has shared a document with you: <a href="https://x7f3a.notion.site/Doc-8f3a">Q4 Payroll</a></p>`)), "1"},
			{"passive, a github.io site by address", stranger(body(`<p>A document has been shared with you: <a href="https://docshare-7f3a.github.io/">https://docshare-7f3a.github.io/</a></p>`)), "1"},
			{"first person, but a button", stranger(body(`<p>Hi, I shared a document with you. <a href="https://x7f3a.notion.site/Doc-8f3a">Open document</a></p>`)), "1"},
			{"first person, to a stranger's domain", stranger(body(`<p>Hi, I shared a document with you: <a href="https://docs-view.example.net/d/1">Q4 Payroll.pdf</a></p>`)), "1"},
			{"a notice's shape to a Notion page of another name", stranger(body(`<p>Jo Park has shared a document with you: <a href="https://www.notion.so/x7f3a/Doc-8f3a">Q4 Payroll</a></p>`)), "1"},
			{"Confluence of a tenant named otherwise, no first person", jo(body(`<p>A document has been shared with you: <a href="https://payroll-7f3a.atlassian.net/wiki/spaces/X/pages/1/Doc">Q4 Payroll</a></p>`)), "1"},
		},
	}
}
