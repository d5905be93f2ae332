package heuristic

// officeURICases: Office URI schemes and browser-escape wrappers in
// links, and SharePoint's and OneDrive's "Open in desktop app" links.
func officeURICases() map[string][]sample {
	const from = "jo@partner-legal.example"
	link := func(href string) string { return `<p>The document:</p><a href="` + href + `">Open</a>` }
	return map[string][]sample{
		"office-uri-link": {
			{"a macro-enabled document at a numeric host", sentBy(from, body(link("ms-word:ofe|u|https://203.0.113.9/docs/Contract.docm"))), "1"},
			{"an add-in on a WebDAV share, bars escaped", sentBy(from, body(link(`ms-excel:ofv%7Cu%7C\\share.report-files.test@SSL\DavWWWRoot\report.xlam`))), "1"},
			{"the short form, a template", sentBy(from, body(link("MS-WORD:https://files.template-host.test/contract.dotm"))), "1"},
			{"new from another host's template", sentBy(from, body(link("ms-word:nft|u|https://files.template-host.test/letter.dotx|s|https://files.template-host.test/out"))), "1"},
			{"a database in Access from a share", sentBy(from, body(link("ms-access:ofv|u|file://203.0.113.4/share/orders.accdb"))), "1"},
			{"a macro workbook on an attacker's SharePoint tenant", sentBy(from, body(link("ms-excel:ofe|u|https://contoso-files.sharepoint.com/sites/x/Shared%20Documents/Invoice.xlsm"))), "1"},
			{"SharePoint's open in Excel", sentBy("no-reply@sharepointonline.com", body(link("ms-excel:ofe|u|https://corpexample.sharepoint.com/sites/finance/Shared%20Documents/Budget.xlsx"))), ""},
			{"a macro workbook on the sender's own server", sentBy("anna@corp.example.jp", body(link("ms-excel:ofe|u|https://files.corp.example.jp/finance/Budget.xlsm"))), ""},
			{"an ordinary document elsewhere: office-uri-foreign's", sentBy(from, body(link("ms-powerpoint:ofv|u|https://decks.slides-share.test/q4/deck.pptx"))), ""},
			{"an image's source", sentBy(from, body(`<img src="ms-word:ofe|u|https://203.0.113.9/a.docm">`)), ""},
		},
		"office-uri-foreign": {
			{"a deck from another host", sentBy(from, body(link("ms-powerpoint:ofv|u|https://decks.slides-share.test/q4/deck.pptx"))), "1"},
			{"the short form", sentBy(from, body(link("ms-word:https://files.docs-host.test/a.docx"))), "1"},
			{"a colleague's OneDrive", sentBy("anna@corp.example.jp", body(link("ms-word:ofe|u|https://corpexample-my.sharepoint.com/personal/anna/Documents/Minutes.docx"))), ""},
			{"OneDrive personal", sentBy(from, body(link("ms-powerpoint:ofv|u|https://d.docs.live.net/abc123/Documents/Deck.pptx"))), ""},
			{"the company's own SharePoint server", sentBy("anna@corp.example.jp", body(link("ms-word:ofv|u|https://sharepoint.corp.example.jp/sites/team/Minutes.docx"))), ""},
		},
		"browser-escape-link": {
			{"Edge from another browser", sentBy(from, body(link("microsoft-edge:https://login-portal.test/o365"))), "1"},
			{"Edge with a url parameter", sentBy(from, body(link("microsoft-edge:?url=https%3A%2F%2Flogin-portal.test%2Fo365"))), "1"},
			{"an MHTML archive", sentBy(from, body(link("mhtml:https://files.mht-host.test/doc.mht!x-usc:https://files.mht-host.test/a"))), "1"},
			{"a help file on a share", sentBy(from, body(link(`its:\\203.0.113.5\h\help.chm::/x.htm`))), "1"},
			{"a help file through mk:", sentBy(from, body(link(`mk:@MSITStore:\\203.0.113.5\h\help.chm::/x.htm`))), "1"},
			{"the company's intranet in Edge", sentBy("it@corp.example.jp", body(link("microsoft-edge:https://intranet.corp.example.jp/app"))), ""},
		},
	}
}
