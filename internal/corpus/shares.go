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
	return out
}
