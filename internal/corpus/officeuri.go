package corpus

import "github.com/kensa-milter/kensa/policy"

// officeURISamples: links in Office URI schemes (ms-word:ofe|u|...) and
// wrappers that open a page outside the reader's browser, and the
// "Open in desktop app" links SharePoint and OneDrive send.
func officeURISamples() []Sample {
	bad := func(name, about string, action policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: action, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	const from = "Jo Smith <jo@partner-legal.example>"

	add(bad("office-uri-docm-numeric", "an \"Open in Word\" link (ms-word:ofe|u|) to a macro-enabled document at a numeric host", policy.Quarantine,
		w("heuristic", "office-uri-link", "1")),
		mail{from: from, subject: "Contract for signature", root: html(`<p>Please open the contract in Word and enable editing:</p><p><a href="ms-word:ofe|u|https://203.0.113.9/docs/Contract.docm">Contract.docx</a></p>`)})
	add(bad("office-uri-webdav-addin", "an Excel add-in opened from a WebDAV share through ms-excel:ofv with the bars percent-escaped", policy.Quarantine,
		w("heuristic", "office-uri-link", "1")),
		mail{from: from, subject: "Q4 report", root: html(`<p>The report:</p><a href="ms-excel:ofv%7Cu%7C\\share.report-files.test@SSL\DavWWWRoot\report.xlam">Q4 report</a>`)})
	add(bad("office-uri-foreign-deck", "an \"Open in PowerPoint\" link to an ordinary deck on a host neither the sender's nor Microsoft 365's", policy.Tag,
		w("heuristic", "office-uri-foreign", "1")),
		mail{from: from, subject: "Deck", root: html(`<p>The deck for Monday:</p><a href="ms-powerpoint:ofv|u|https://decks.slides-share.test/q4/deck.pptx">Open in PowerPoint</a>`)})
	add(bad("browser-escape-edge", "a sign-in link wrapped in microsoft-edge: to open outside the reader's browser, and an mhtml: archive", policy.Quarantine,
		w("heuristic", "browser-escape-link", "1")),
		mail{from: "IT Support <it@partner-legal.example>", subject: "Mailbox upgrade", root: html(`<p>Your mailbox must be upgraded. This page works in Edge only:</p><a href="microsoft-edge:https://login-portal.test/o365">Upgrade now</a> <a href="mhtml:https://files.mht-host.test/doc.mht!x-usc:https://files.mht-host.test/a">Details</a>`)})

	add(ok("office-uri-sharepoint-open-in-app", "SharePoint's share notification with its \"Open in Excel\" link (ms-excel:ofe|u|) to the tenant's document"),
		mail{from: "SharePoint Online <no-reply@sharepointonline.com>", subject: "Anna Li shared \"Budget.xlsx\" with you", root: html(`<p>Anna Li shared a file with you.</p><a href="https://corpexample.sharepoint.com/:x:/s/finance/EaB12?e=x">Budget.xlsx</a> <a href="ms-excel:ofe|u|https://corpexample.sharepoint.com/sites/finance/Shared%20Documents/Budget.xlsx">Open in Excel</a>`)})
	add(ok("office-uri-colleague-links", "a colleague's links to open documents in the desktop apps (OneDrive, the company's SharePoint server) and the intranet in Edge"),
		mail{from: "Anna Li <anna@corp.example.jp>", to: "kenji@corp.example.jp", subject: "Minutes", root: html(`<p>Minutes: <a href="ms-word:ofe|u|https://corpexample-my.sharepoint.com/personal/anna/Documents/Minutes.docx">open in Word</a>, last year's on <a href="ms-word:ofv|u|https://sharepoint.corp.example.jp/sites/team/Minutes-2025.docx">our server</a>, the deck in <a href="ms-powerpoint:ofv|u|https://d.docs.live.net/abc123/Documents/Deck.pptx">OneDrive</a>; the booking tool works in <a href="microsoft-edge:https://intranet.corp.example.jp/rooms">Edge</a>.</p>`)})
	return out
}
