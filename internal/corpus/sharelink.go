package corpus

import "github.com/kensa-milter/kensa/policy"

// shareLinkSamples are links that open a file share or a WebDAV folder on
// the Internet (the WebDAV .lnk and .url campaigns: Explorer shows the
// sender's shortcut as a local file), and their honest twin: a colleague
// pointing at the company's own file server.
func shareLinkSamples() []Sample {
	bad := func(name, about string, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: policy.Quarantine, Want: wants}
	}
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	linkMail := func(from, subject, htmlBody string) mail {
		return mail{from: from, subject: subject, root: multipart("alternative", text("Please view this message in HTML.\n"), html(htmlBody))}
	}
	add(bad("url-webdav-shortcut", "a link to a shortcut in a WebDAV folder on the Internet (file:///\\\\host@SSL\\DavWWWRoot\\Invoice.pdf.lnk), shown as a PDF",
		w("heuristic", "file-share-link", "2")),
		linkMail("Accounts <accounts@billing.example.net>", "Invoice 4471", `<p>Hello,</p><p>please find invoice 4471: <a href="file:///\\docs-share.example.org@SSL\DavWWWRoot\Invoice_4471.pdf.lnk">Invoice_4471.pdf</a></p><p>Accounts</p>`))
	add(bad("url-search-share", "a search: link (not search-ms) that opens a search window over a file share on the Internet",
		w("heuristic", "file-share-link", "2")),
		linkMail("Accounts <accounts@billing.example.net>", "Invoices", `<p>The invoices are in the shared folder: <a href="search:query=Invoice&amp;crumb=location:\\docs-share.example.org@80\docs&amp;displayname=Invoices">Open folder</a></p>`))
	add(Sample{Name: "url-own-file-server", Clean: true, About: "a colleague's links to the company's own file server (its own domain, a NetBIOS name) and a local path"},
		linkMail("Aiko Sato <aiko@corp.example.jp>", "Q3 figures", `<p>Kenji, the figures are on <a href="file://fs01.corp.example.jp/finance/q3.xlsx">the finance share</a>, the scans on <a href="\\fileserver\scans\q3.pdf">\\fileserver\scans</a>.</p>`))
	return out
}
