package heuristic

import (
	"context"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// binaryOffice is a message from sender with an Office 97-2003 file
// attached, opened by unpack as it opens one in a scan.
func binaryOffice(sender, name string, data []byte) *message.Message {
	m := sentBy(sender, msg(text("1", "Please see the attachment.", declared("text/plain")),
		part("2", data, named(name), declared("application/octet-stream"))))
	m.Parts[1].DetectedType = filetype.Detect(data)
	unpack.Expand(context.Background(), m, unpack.Options{})
	return m
}

// wordFile is a .doc whose text is text (\r ends a paragraph; \x13, \x14
// and \x15 mark a field).
func wordFile(text string) []byte {
	wd, table := formats.WordStreams(text)
	return formats.CFB([]formats.CFBEntry{{Name: "WordDocument", Parent: -1, Data: wd}, {Name: "1Table", Parent: -1, Data: table}})
}

// legacyTextCases: callback lures in .doc, .xls and .ppt files, and their
// honest twins.
func legacyTextCases() map[string][]sample {
	const supplier = "accounts@supplies.example.com"
	return map[string][]sample{"callback-phishing": {
		{"a Word 97 document", binaryOffice(hijacked, "Invoice.doc", wordFile("Norton 360 Deluxe\rYour subscription was renewed: $399.99 charged.\rIf you did not authorize it, call our billing desk to cancel: 1-808-555-0199\r")), "2"},
		{"a Word 97 document, brand and number cut by fields", binaryOffice(hijacked, "Invoice.doc", wordFile("Nor\x13 SET x \x14\x15ton 360\rRenewed: $399.99 charged.\rTo cancel call \x13 QUOTE \"1-808\" \x141-808\x15-555-0199\r")), "2"},
		{"a Word 97 document from a supplier naming itself", binaryOffice(supplier, "INV-2207.doc", wordFile("Supplies Example Ltd\rInvoice INV-2207: Microsoft 365 Business licences, $1,200.00.\rTo cancel or change your order call +44 20 7946 0958.\r")), ""},
		{"a Word 97 document whose lure is only in a field instruction", binaryOffice(hijacked, "Memo.doc", wordFile("Memo\r\x13 QUOTE \"Norton renewed $399.99 charged, to cancel call 1-808-555-0199\" \x14\x15Lunch is at noon.\r")), ""},
		{"an Excel 97 workbook, strings cut over records", binaryOffice(hijacked, "Invoice.xls", formats.XLS(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}}, SSTChunk: 16,
			Strings: []string{"Microsoft 365 Family", "Renewal charged: $299.99", "Not authorized? To cancel call 1-808-555-0199"}})), "2"},
		{"an Excel 97 workbook from a supplier", binaryOffice(supplier, "INV-2207.xls", formats.XLS(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}},
			Strings: []string{"Supplies Example Ltd", "Microsoft 365 Business licences: $1,200.00", "To cancel or change your order call +44 20 7946 0958"}})), ""},
		{"a PowerPoint 97 presentation", binaryOffice(hijacked, "Invoice.ppt", formats.PPTWith(formats.PPTOptions{Text: []string{"PayPal", "Your order of $749.00 was charged.\rNot you? To cancel call 1-808-555-0199"}})), "2"},
		{"a PowerPoint 97 presentation from a supplier", binaryOffice(supplier, "Offer.ppt", formats.PPTWith(formats.PPTOptions{Text: []string{"Supplies Example Ltd", "Apple iPad fleet: $12,400.00 ordered.\rTo cancel or change the order call +44 20 7946 0958"}})), ""},
	}}
}
