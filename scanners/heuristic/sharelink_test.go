package heuristic

import "testing"

func shareLinkCases() map[string][]sample {
	return map[string][]sample{"file-share-link": {
		{"WebDAV file link", body(`<a href="file:///\\files.example.net@SSL\DavWWWRoot\Invoice.pdf.lnk">Invoice.pdf</a>`), "1"},
		{"UNC link", body(`<a href="\\files.example.net\share\Invoice.url">open</a>`), "1"},
		{"file://host", body(`<a href="file://files.example.net/share/Invoice.pdf.lnk">open</a>`), "1"},
		{"host as a number", body(`<a href="file://3405803783/share/a.lnk">open</a>`), "1"},
		{"WebDAV port form", body(`<a href="\\docs.example.net@80\share\scan.js">scan</a>`), "1"},
		{"search: over a share", body(`<a href="search:query=invoice&amp;crumb=location:\\files.example.net@80\docs">View documents</a>`), "1"},
		{"search-ms percent-encoded", body(`<a href="search-ms:query=inv&amp;crumb=location:%5C%5C203.0.113.9%40SSL%5CDavWWWRoot&amp;displayname=Docs">View</a>`), "1"},
		{"in an attached page", attach(htmlPart("2", `<a href="file://files.example.net/s/Invoice.pdf.lnk">Open the invoice</a>`, named("invoice.html"))), "2"},
		{"sender's own file server", body(`<a href="file://fs01.example.com/finance/q3.xlsx">Q3</a>`), ""},
		{"NetBIOS name", body(`<a href="\\fileserver\scans\a.pdf">scan</a>`), ""},
		{"private address", body(`<a href="\\192.168.1.4\scans\a.pdf">scan</a>`), ""},
		{"intranet suffix", body(`<a href="file://fs.corp/scans/a.pdf">scan</a>`), ""},
		{"local file", body(`<a href="file:///C:/Users/bob/a.pdf">local</a>`), ""},
		{"search without a location", body(`<a href="search:query=report">search</a>`), ""},
		{"web link", body(`<a href="https://files.example.net/share/a.pdf">a.pdf</a>`), ""},
	}}
}

func TestSearchLocation(t *testing.T) {
	for in, want := range map[string]string{
		`search:query=x&crumb=location:\\h\s`:                          `\\h\s`,
		`search-ms:displayname=D&crumb=location:%5C%5Ch%40SSL%5Cs`:     `\\h@SSL\s`,
		`search-ms:query=x&crumb=location:\\h\s,Label&crumb=kind:docs`: `\\h\s`,
		`search-ms:query=x&crumb=kind:docs`:                            "",
		`search:`:                                                      "",
	} {
		if got := searchLocation(in); got != want {
			t.Errorf("searchLocation(%q) = %q, want %q", in, got, want)
		}
	}
}
