package heuristic

import (
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// xlsbConnectionCases: an .xlsb's web queries and text imports
// (xl/connections.bin) refreshed on open, its Power Query refreshed on
// open by a binary connection, and their twins.
func xlsbConnectionCases() map[string][]sample {
	book := func(cs ...formats.XLSBConnection) *message.Message {
		return binaryOffice("office@smith-plumbing.test", "rates.xlsb", formats.XLSB(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Rates"}}, Connections: cs}))
	}
	const conns = "2/rates.xlsb/xl/connections.bin"
	mashup := func(refresh bool) *message.Message {
		return msg(part("2", zipBytes, named("book.xlsb"), container()),
			part("2/book.xlsb/xl/connections.bin", formats.XLSBConnectionsPart([]formats.XLSBConnection{{Name: "Query - Rates", File: "x", RefreshOnLoad: refresh}})),
			part("2/book.xlsb/customXml/item1.xml", []byte("\xFF\xFE<"), container()),
			part("2/book.xlsb/customXml/item1.xml/PackageParts.zip", zipBytes, container()),
			text("2/book.xlsb/customXml/item1.xml/PackageParts.zip/Formulas/Section1.m", `section Section1; shared Rates = let Source = Csv.Document(Web.Contents("http://203.0.113.7/rates.csv")) in Source;`))
	}
	return map[string][]sample{"power-query-fetch": {
		{"an .xlsb web query refreshed on open", book(formats.XLSBConnection{Name: "Rates", URL: "http://rates.example.net/today.html", RefreshOnLoad: true}), conns},
		{"an .xlsb text import from a WebDAV share refreshed on open", book(formats.XLSBConnection{Name: "Prices", File: `\\files.example.net@SSL@443\DavWWWRoot\p.csv`, RefreshOnLoad: true}), conns},
		{"an .xlsb web query after a local text import", book(formats.XLSBConnection{Name: "Local", File: `C:\data\p.csv`, RefreshOnLoad: true},
			formats.XLSBConnection{Name: "Rates", URL: "https://rates.example.net/today.html", RefreshOnLoad: true}), conns},
		{"an .xlsb web query refreshed by hand", book(formats.XLSBConnection{Name: "Rates", URL: "http://rates.example.net/today.html"}), ""},
		{"an .xlsb text import from the intranet refreshed on open", book(formats.XLSBConnection{Name: "Prices", File: `\\fileserver\finance\p.csv`, RefreshOnLoad: true}), ""},
		{"an .xlsb Power Query refreshed on open", mashup(true), "2/book.xlsb/customXml/item1.xml/PackageParts.zip/Formulas/Section1.m"},
		{"an .xlsb Power Query refreshed by hand", mashup(false), ""},
	}}
}
