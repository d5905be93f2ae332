package corpus

import (
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// legacyTextSamples are callback lures in Office 97-2003 files (.doc text
// through the piece table, .xls shared strings, .ppt text atoms) and the
// honest files that look like them.
func legacyTextSamples() []Sample {
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	const hijacked = "Smith Plumbing <office@smith-plumbing.test>"
	const supplier = "Accounts <accounts@supplies.example.com>"
	wordFile := func(text string) []byte {
		wd, table := formats.WordStreams(text)
		return formats.CFB([]formats.CFBEntry{{Name: "WordDocument", Parent: -1, Data: wd}, {Name: "1Table", Parent: -1, Data: table},
			{Name: "\x05SummaryInformation", Parent: -1, Data: make([]byte, 256)}})
	}
	attachMail := func(from, subject, typ, name string, data []byte) mail {
		return mail{from: from, subject: subject, root: multipart("mixed", text("Hello,\n\nplease see the attached file.\n"), attach(typ, name, data))}
	}
	bad := func(name, about string) Sample {
		return Sample{Name: name, About: about, Action: policy.Quarantine, Want: []Want{w("heuristic", "callback-phishing", "2")}}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	lureWD, lureTable := formats.WordStreams("Norton 360 Deluxe\rInvoice NT-55120. Your subscription was renewed automatically: $499.99 charged.\r" +
		"If you did not authorize this, call our helpline to cancel: 1-808-555-0199\r")

	add(bad("callback-doc-company-domain", "callback phishing in a Word 97 document from a hijacked small-business mailbox: the brand and the number cut by field codes Word does not show"),
		attachMail(hijacked, "Invoice NT-55120", "application/msword", "Invoice_NT-55120.doc",
			wordFile("Nor\x13 SET x \x14\x15ton 360 Deluxe\rInvoice NT-55120. Your subscription was renewed automatically: $499.99 charged.\r"+
				"If you did not authorize this, call our helpline to cancel: \x13 QUOTE \"1-808\" \x141-808\x15-555-0199\r")))
	add(bad("callback-xls-freemail", "callback phishing in an Excel 97 workbook from free mail: the shared strings cut over CONTINUE records, as Excel writes long ones"),
		attachMail("Billing <billing.notice2026@gmail.com>", "Receipt", "application/vnd.ms-excel", "Receipt.xls",
			formats.XLS(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}}, SSTChunk: 24,
				Strings: []string{"Microsoft 365 Family", "Renewal charged: $299.99", "Not authorized? To cancel call 1-808-555-0199"}})))
	add(bad("callback-ppt-company-domain", "callback phishing in a PowerPoint 97 slide from a hijacked small-business mailbox"),
		attachMail(hijacked, "Order", "application/vnd.ms-powerpoint", "Order.ppt",
			formats.PPTWith(formats.PPTOptions{Text: []string{"PayPal", "Your order of $749.00 was charged.\rNot you? To cancel call 1-808-555-0199"}})))
	// Encrypted, the password in the mail: read once unpack decrypts them.
	lure := func(name, about, file string, data []byte) {
		s := bad(name, about)
		s.Want = append(s.Want, w("heuristic", "password-from-body", "2"))
		add(s, mail{from: "Billing <billing.notice2026@gmail.com>", subject: "Receipt", root: multipart("mixed",
			text("Hello,\n\nyour receipt is attached. Password: Rc-7731\n"), attach("application/octet-stream", file, data))})
	}
	lure("callback-doc-encrypted", "callback phishing in a Word 97 document encrypted with RC4 CryptoAPI, the password in the mail",
		"Receipt.doc", formats.CFB(formats.EncryptWord([]formats.CFBEntry{{Name: "WordDocument", Parent: -1, Data: lureWD}, {Name: "1Table", Parent: -1, Data: lureTable}}, "Rc-7731", true)))
	lure("callback-xls-encrypted", "callback phishing in an Excel 97 workbook encrypted with RC4, the password in the mail",
		"Receipt.xls", formats.EncryptedXLS(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}},
			Strings: []string{"Microsoft 365 Family", "Renewal charged: $299.99", "Not authorized? To cancel call 1-808-555-0199"}}, "Rc-7731"))
	add(ok("callback-twin-doc-supplier", "a supplier's Word 97 invoice naming itself, with a number to change the order"),
		attachMail(supplier, "Invoice INV-2207", "application/msword", "INV-2207.doc",
			wordFile("Supplies Example Ltd\rInvoice INV-2207: Microsoft 365 Business licences, $1,200.00.\rTo cancel or change your order call +44 20 7946 0958.\r")))
	add(ok("callback-twin-xls-supplier", "a supplier's Excel 97 price list naming itself, with a number to order"),
		attachMail(supplier, "Price list", "application/vnd.ms-excel", "Prices.xls",
			formats.XLS(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}},
				Strings: []string{"Supplies Example Ltd", "Apple iPad 10.9: $349.00", "To order or cancel call +44 20 7946 0958"}})))
	return out
}
