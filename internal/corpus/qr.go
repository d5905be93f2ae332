package corpus

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// QR codes: the quishing lures (a code is the mail's only link) in every
// place a code hides, and honest mail with codes.

func qrPNG(text string, px int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, formats.QRImage(text, px)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// qrJPEG is the code re-encoded as a low-quality JPEG, as a screenshot
// passed around a few times looks.
func qrJPEG(text string, px, quality int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, formats.QRImage(text, px), &jpeg.Options{Quality: quality}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// qrPDF is a one-page PDF whose page shows the code as an image XObject:
// Flate with a PNG "Up" predictor, the way PDF writers store screenshots.
func qrPDF(text string, px int) []byte {
	g := formats.QRImage(text, px)
	var pred []byte
	for y := 0; y < px; y++ {
		pred = append(pred, 2)
		for x := 0; x < px; x++ {
			v := g.Pix[y*g.Stride+x]
			if y > 0 {
				v -= g.Pix[(y-1)*g.Stride+x]
			}
			pred = append(pred, v)
		}
	}
	content := []byte("q 200 0 0 200 197 500 cm /Im1 Do Q\nBT /F1 14 Tf 72 760 Td (Scan the code to confirm your details.) Tj ET\n")
	return formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		formats.PDFFlate("", content),
		formats.PDFFlate(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /DecodeParms << /Predictor 15 /Colors 1 /Columns %d >>", px, px, px), pred),
	)
}

// flyerJPEG is a 1400x1000 flyer photograph (shading, texture, a block of
// "text") with a Data Matrix code holding text in a corner, 5 pixels a
// module, as a JPEG of quality 70. Each variant is another picture, the
// code in another corner (the bottom right for variant 0).
func flyerJPEG(text string, variant int) []byte {
	const w, h = 1400, 1000
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			noise := int((uint64(y*w+x+variant*7919)*0x9e3779b97f4a7c15)>>59) * 3
			shade := (x + y) * 130 / (w + h)
			if variant%2 == 1 {
				shade = (w - x + 2*y) * 110 / (w + 2*h)
			}
			g.Pix[y*g.Stride+x] = uint8(min(255, 50+shade+(x/(41+8*variant)+y/(29+5*variant))%4*10+noise/4))
		}
	}
	for y := 80 + 300*variant; y < 300+300*variant; y += 30 { // a headline and lines of text
		for x := 100; x < 1100; x++ {
			if (x/(9+variant))%4 != 3 {
				for yy := y; yy < y+14; yy++ {
					g.Pix[yy*g.Stride+x] = 250
				}
			}
		}
	}
	m, err := datamatrix.NewDataMatrixWriter().Encode(text, gozxing.BarcodeFormat_DATA_MATRIX, 0, 0, nil)
	if err != nil {
		panic(err)
	}
	const px, quiet = 5, 4
	x0, y0 := w-(m.GetWidth()+2*quiet)*px-30, h-(m.GetHeight()+2*quiet)*px-30
	if variant%2 == 1 {
		x0 = 30
	}
	for y := 0; y < (m.GetHeight()+2*quiet)*px; y++ {
		for x := 0; x < (m.GetWidth()+2*quiet)*px; x++ {
			mx, my := x/px-quiet, y/px-quiet
			v := uint8(245)
			if mx >= 0 && my >= 0 && mx < m.GetWidth() && my < m.GetHeight() && m.Get(mx, my) {
				v = 15
			}
			g.Pix[(y0+y)*g.Stride+x0+x] = v
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, g, &jpeg.Options{Quality: 70}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// jpegOf is img as a JPEG of the given quality.
func jpegOf(img image.Image, quality int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// secondFrameGIF is an animated GIF of two frames: a blank grey "loading"
// picture, then text's QR code.
func secondFrameGIF(text string) []byte {
	code := formats.QRDesign(text, formats.Design{Level: qrcode.Medium, Module: 6})
	blank := image.NewRGBA(code.Rect)
	for i := range blank.Pix {
		blank.Pix[i] = 0xf0
	}
	return formats.AnimatedGIF(150, blank, code)
}

// qrTable draws the code as an HTML table of black and white cells.
func qrTable(text string) string {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	b.WriteString(`<table cellpadding="0" cellspacing="0" style="border-collapse:collapse">`)
	for _, row := range q.Bitmap() {
		b.WriteString("<tr>")
		for _, dark := range row {
			if dark {
				b.WriteString(`<td width="5" height="5" bgcolor="#000000"></td>`)
			} else {
				b.WriteString(`<td width="5" height="5" bgcolor="#ffffff"></td>`)
			}
		}
		b.WriteString("</tr>\r\n")
	}
	b.WriteString("</table>")
	return b.String()
}

// docxWithImage is a Word document showing one picture (word/media).
func docxWithImage(caption string, img []byte) []byte {
	body := `<w:p><w:r><w:t xml:space="preserve">` + xmlEscape(caption) + `</w:t></w:r></w:p>` +
		`<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="1828800" cy="1828800"/>` +
		`<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
		`<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:embed="rId7"/></pic:blipFill></pic:pic>` +
		`</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`
	return docxOf(body, "", "", nil, docxPart{name: "word/media/image1.png", ctype: "image/png", relType: officeRel + "/image", relID: "rId7", data: img})
}

// whitePNG is a blank image over the pixel limit for codes.
func whitePNG(w, h int) []byte {
	var b bytes.Buffer
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, g); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// speckledPNG is a w×h picture of grey noise from seed: a decoy that holds
// no code.
func speckledPNG(w, h int, seed uint32) []byte {
	var b bytes.Buffer
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		seed = seed*1664525 + 1013904223
		g.Pix[i] = byte(seed >> 24)
	}
	if err := png.Encode(&b, g); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// dimPhotoPNG is a stand-in for a photograph taken in dim light, w×h:
// shading, texture and sensor noise from seed, its grey within 70..190
// (no black, no white), so the code search stretches its contrast and the
// noise turns into hundreds of finder-pattern-like specks (a PNG: JPEG
// smooths the noise of pixels away).
func dimPhotoPNG(w, h int, seed uint64) []byte {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			noise := int((uint64(y*w+x)+seed)*0x9e3779b97f4a7c15>>59) * 3 // 0..93, hashed
			v := min(255, 40+(x+y)*140/(w+h)+(x/37+y/53)%5*12+noise/4)
			g.Pix[y*g.Stride+x] = uint8(70 + v*120/255)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, g); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func qrSamples() []Sample {
	bad := func(name, about string, a policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: a, Want: wants}
	}
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	const lure = "https://login.rnicrosoft.com/owa/keep?session=8f3a9c2e71"

	add(bad("qr-inline-png-lookalike", "the mail's only link is a QR code in an inline PNG, to an rn-for-m lookalike of a Microsoft login page", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{from: "IT Service Desk <it-desk@mailbox-notice.example.net>", subject: "Action required: re-authenticate your mailbox", root: multipart("related",
			html(`<p>Your mailbox will be disabled in 24 hours.</p><p>Scan the code below with your phone to keep it.</p><img src="cid:code@corpus" alt="">`),
			node{ctype: "image/png", cte: "base64", disp: "inline; filename=\"code.png\"", header: []string{"Content-ID: <code@corpus>"}, body: qrPNG(lure, 220)})})

	add(bad("qr-only-unknown-domain", "a QR-only lure to an unknown domain, with a panorama too large to search for codes", policy.Tag,
		w("heuristic", "qr-only-link", "2"), w("heuristic", "image-not-searched", "3")),
		mail{from: "Payroll <payroll@hr-notices.example.net>", subject: "Salary adjustment 2027", root: multipart("mixed",
			text("Please scan the attached code to review your salary adjustment.\n"),
			attach("image/png", "review.png", qrPNG("https://salary-review.example.org/a/77", 200)),
			attach("image/png", "office.png", whitePNG(4200, 3000)))})

	// Decoys: a count of images is the cheapest budget an attacker can
	// spend, so two dozen small pictures come before the code.
	decoys := []node{text("A payment is on hold. Scan the last code to release it; the others are the receipts.\n")}
	for i := range 24 {
		decoys = append(decoys, attach("image/png", fmt.Sprintf("receipt-%02d.png", i+1), speckledPNG(48, 48, uint32(i+1))))
	}
	decoys = append(decoys, attach("image/png", "release.png", qrPNG("https://www.paypa\u1e37.com/release?id=43", 200)))
	add(bad("qr-after-decoy-images", "a QR code to a diacritic lookalike (paypaḷ) after 24 small decoy pictures, which once spent the message's count of images to search", policy.Quarantine,
		w("heuristic", "qr-url", "26"), w("heuristic", "lookalike-domain", "26"), w("heuristic", "qr-only-link", "26")),
		mail{subject: "Payment on hold", root: multipart("mixed", decoys...)})

	// Costly decoys: a dim photograph's noise makes the QR search try
	// thousands of finder-pattern triples, once most of the message's time
	// for reading codes each; every picture now gets its share of it.
	dim := []node{text("The site photos from Tuesday are attached. Scan the last code to confirm the delivery.\n")}
	for i := range 6 {
		dim = append(dim, attach("image/png", fmt.Sprintf("site-%d.png", i+1), dimPhotoPNG(1200, 900, uint64(31+i))))
	}
	dim = append(dim, attach("image/png", "confirm.png", qrPNG("https://www.paypa\u1e37.com/confirm?id=44", 200)))
	add(bad("qr-after-dim-photos", "a QR code to a diacritic lookalike (paypaḷ) after six dim photographs (grey within 70..190), whose noise once took the QR search most of the message's 3 seconds each and left the code unread", policy.Quarantine,
		w("heuristic", "qr-url", "8"), w("heuristic", "lookalike-domain", "8"), w("heuristic", "qr-only-link", "8")),
		mail{subject: "Delivery photos", root: multipart("mixed", dim...)})

	add(bad("qr-jpeg-low-quality", "a QR code to a diacritic lookalike (paypaḷ) in a JPEG re-encoded at quality 12", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2")),
		mail{subject: "Payment on hold", root: multipart("mixed",
			text("A payment is on hold. Scan the attached code to release it.\n"),
			attach("image/jpeg", "release.jpg", qrJPEG("https://www.paypa\u1e37.com/release?id=42", 240, 12)))})

	add(bad("qr-jpeg-progressive-cut", "a QR code (modules of 16 pixels) to a lookalike in a progressive JPEG cut short after its first scan: mail clients show its DC terms, blocky and readable; Go's decoder refuses it", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Parcel held at customs", root: multipart("mixed",
			text("Your parcel is held at customs. Scan the attached code to pay the fee.\n"),
			attach("image/jpeg", "fee.jpg", formats.ProgressiveDCOnly(formats.QRImageModules("https://parcel.rnicrosoft.com/fee?p=5", 16), 16)))})

	add(bad("qr-jpeg-progressive-stops-at-marker", "a QR code (modules of 16 pixels) to a lookalike in a progressive JPEG with restart markers whose first scan (the DC terms) is followed by an unknown marker and a scan that stripes the picture: libjpeg stops at the marker, so mail clients show the DC terms, blocky and readable; a reader that passes over the marker sees stripes", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Delivery attempt failed", root: multipart("mixed",
			text("We could not deliver your parcel. Scan the attached code to book a new delivery.\n"),
			attach("image/jpeg", "redelivery.jpg", formats.ProgressiveStopsAtMarker(formats.QRImageModules("https://parcel.rnicrosoft.com/redeliver?p=7", 16), 16)))})

	add(bad("qr-jpeg-luma-scanned-twice", "a QR code (modules of 4 pixels) to a lookalike in a baseline JPEG that scans luma twice, the code whole and then its DC terms alone: libjpeg merges the scans, so mail clients show the code; a reader that shows the last scan alone sees the mean of each block of 8x8, and no code", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Your mailbox is almost full", root: multipart("mixed",
			text("Your mailbox is almost full. Scan the attached code to keep receiving mail.\n"),
			attach("image/jpeg", "quota.jpg", formats.SequentialLumaTwice(formats.QRImageModules("https://mail.rnicrosoft.com/quota?u=3", 4), 2)))})

	add(ok("qr-jpeg-progressive-cut-own-site", "a progressive JPEG cut after its first scan whose QR code goes to the sender's own site"),
		mail{from: "Kensa Conf <tickets@conf.example.org>", subject: "Your badge", root: multipart("mixed",
			text("Dear Kenji,\n\nyour badge is attached; the code on it leads to your schedule.\n"),
			attach("image/jpeg", "badge.jpg", formats.ProgressiveDCOnly(formats.QRImageModules("https://conf.example.org/s/42", 16), 16)))})

	add(bad("qr-pdf-page-image", "a PDF whose page shows a QR code (Flate image with a PNG predictor) to a lookalike", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2")),
		mail{subject: "Document to sign", root: multipart("mixed",
			text("Please sign the attached document.\n"),
			attach("application/pdf", "contract.pdf", qrPDF("https://docusign.rnicrosoft.com/sign/9", 180)))})

	// The same PDFs encrypted with the empty user password: every reader
	// opens them without asking, so the code is on the page all the same.
	for _, e := range []struct {
		name, desc string
		kind       formats.PDFEncryption
	}{{"rc4-128", "RC4-128 (V2 R3)", formats.PDFRC4128}, {"aes-256", "AES-256 (V5 R6)", formats.PDFAES256R6}} {
		add(bad("qr-pdf-page-image-encrypted-"+e.name, "the QR page image PDF encrypted with "+e.desc+" and an empty user password (opens without a question in every reader)", policy.Quarantine,
			w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2")),
			mail{subject: "Document to sign", root: multipart("mixed",
				text("Please sign the attached document.\n"),
				attach("application/pdf", "contract.pdf", formats.EncryptPDF(e.kind, "", formats.PDFObjectBodies(qrPDF("https://docusign.rnicrosoft.com/sign/9", 180))...)))})
	}
	// A user password the mail gives: the reader asks for it, the victim
	// types it, the code shows.
	add(bad("qr-pdf-page-image-password-in-body", "the QR page image PDF encrypted with AES-256 (V5 R6) and a user password the mail's text gives", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2")),
		mail{subject: "Document to sign", root: multipart("mixed",
			text("Please sign the attached document.\nPassword: Sign2027\n"),
			attach("application/pdf", "contract.pdf", formats.EncryptPDF(formats.PDFAES256R6, "Sign2027", formats.PDFObjectBodies(qrPDF("https://docusign.rnicrosoft.com/sign/pw", 180))...)))})
	add(bad("qr-pdf-vector-squares-encrypted-aes-256", "a PDF whose page draws a QR code to a lookalike as filled squares, encrypted with AES-256 (V5 R6) and an empty user password", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Document to sign", root: multipart("mixed",
			text("Please sign the attached document.\n"),
			attach("application/pdf", "contract.pdf", formats.EncryptPDF(formats.PDFAES256R6, "", formats.PDFObjectBodies(formats.VectorCodePDF(formats.QRModules("https://docusign.rnicrosoft.com/sign/vector?d=32"), formats.VectorSquares, "Scan the code to sign the document."))...)))})

	add(bad("qr-pdf-vector-squares-ascii85", "a PDF whose page draws a QR code to a lookalike as filled squares, its content stream ASCII85 over Flate (/Filter [/ASCII85Decode /FlateDecode], as every reader decodes it)", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Document to sign", root: multipart("mixed",
			text("Please sign the attached document.\n"),
			attach("application/pdf", "contract.pdf", formats.WrapPDFStream(formats.VectorCodePDF(formats.QRModules("https://docusign.rnicrosoft.com/sign/vector?d=33"), formats.VectorSquares, "Scan the code to sign the document."), 4, "ASCII85Decode", formats.PDFASCII85)))})

	// Codes drawn with the page's path operators: no image for a gateway.
	vecLure := "https://docusign.rnicrosoft.com/sign/vector?d=31"
	add(bad("qr-pdf-vector-squares", "a PDF whose page draws a QR code to a lookalike as hundreds of filled squares (re f), no image at all", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Document to sign", root: multipart("mixed",
			text("Please sign the attached document.\n"),
			attach("application/pdf", "contract.pdf", formats.VectorCodePDF(formats.QRModules(vecLure), formats.VectorSquares, "Scan the code to sign the document.")))})
	add(bad("qr-pdf-vector-form", "a PDF whose page draws a QR code to a lookalike from a Form XObject of unit squares, scaled by cm and drawn twice", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Invoice 2027-118 awaiting approval", root: multipart("mixed",
			text("The invoice is attached; approve it with the code on it.\n"),
			attach("application/pdf", "invoice-2027-118.pdf", formats.VectorCodePDF(formats.QRModules("https://billing.rnicrosoft.com/approve?i=118"), formats.VectorForm, "Scan to approve the invoice.")))})
	add(bad("qr-pdf-vector-split-streams", "a PDF whose page draws a QR code to a lookalike in content streams cut inside tokens (/Contents [a b c]: pdf.js joins them)", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Shared file: Q3 salaries.pdf", root: multipart("mixed",
			text("A file was shared with you. Scan the code in the attachment to open it.\n"),
			attach("application/pdf", "shared.pdf", formats.VectorCodePDF(formats.QRModules("https://share.rnicrosoft.com/f/q3"), formats.VectorSplitStreams, "Scan to open the shared file.")))})
	add(bad("qr-pdf-vector-update", "a text-only PDF whose incremental update replaces the page with one that draws a QR code to a lookalike as squares (readers show the update)", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Your parcel: customs fee", root: multipart("mixed",
			text("Your parcel is held. Details are in the attached notice.\n"),
			attach("application/pdf", "notice.pdf", formats.VectorCodeUpdatePDF(formats.QRModules("https://parcel.rnicrosoft.com/customs?p=2"), "Scan to pay the customs fee.")))})
	add(ok("qr-pdf-vector-own-site", "a ticket PDF whose page draws a QR code (squares) to the sender's own site"),
		mail{from: "Kensa Conf <tickets@conf.example.org>", subject: "Your ticket (PDF)", root: multipart("mixed",
			text("Dear Kenji,\n\nyour ticket is attached; show the code at the entrance.\n"),
			attach("application/pdf", "ticket.pdf", formats.VectorCodePDF(formats.QRModules("https://conf.example.org/t/2027-0043"), formats.VectorOnePath, "Kensa Conf 2027 - admit one")))})
	// Codes painted without an image XObject of the code or a path per
	// module: inline images, stencil masks, masks, pattern cells, Type 3
	// glyphs, a tiny drawing scaled up. And one clipped out of view: no
	// reader shows it, so no finding.
	for i, style := range formats.PaintStyles {
		pdf := formats.PaintCodePDF(formats.QRModules(fmt.Sprintf("https://docusign.rnicrosoft.com/sign/p?d=%d", 40+i)), style, "Scan the code to sign the document.")
		m := mail{subject: "Document to sign", root: multipart("mixed",
			text("Please sign the attached document.\n"),
			attach("application/pdf", "contract.pdf", pdf))}
		if !style.Shows() {
			add(ok("pdf-code-"+style.String(), "a PDF that paints a QR code to a lookalike "+paintAbout[style]+": readers show nothing to scan"), m)
			continue
		}
		add(bad("qr-pdf-"+style.String(), "a PDF whose page paints a QR code to a lookalike as "+paintAbout[style], policy.Quarantine,
			w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")), m)
	}
	add(ok("qr-pdf-inline-stencil-own-site", "a ticket PDF whose page paints a QR code to the sender's own site as an inline stencil mask"),
		mail{from: "Kensa Conf <tickets@conf.example.org>", subject: "Your ticket (PDF)", root: multipart("mixed",
			text("Dear Kenji,\n\nyour ticket is attached; show the code at the entrance.\n"),
			attach("application/pdf", "ticket.pdf", formats.PaintCodePDF(formats.QRModules("https://conf.example.org/t/2027-0044"), formats.InlineStencil, "Kensa Conf 2027 - admit one")))})
	for _, kind := range []string{"invoice", "chart", "logo", "checklist"} {
		add(ok("pdf-vector-"+kind, "an honest PDF drawn with paths ("+kind+"): no code, nothing to read"),
			mail{from: "Example Supplies <accounts@supplies.example.com>", subject: "Monthly statement (" + kind + ")", root: multipart("mixed",
				text("Dear customer,\n\nplease find this month's statement attached.\n"),
				attach("application/pdf", "statement.pdf", formats.VectorHonest(kind)))})
	}

	add(bad("qr-docx-image", "a Word document whose picture (word/media/image1.png) is a QR code to a lookalike", policy.Quarantine,
		w("heuristic", "qr-url", "2/benefits.docx/word/media/image1.png"), w("heuristic", "lookalike-domain", "2/benefits.docx/word/media/image1.png")),
		mail{subject: "Benefits enrolment", root: multipart("mixed",
			text("The enrolment form is attached.\n"),
			attach("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "benefits.docx",
				docxWithImage("Scan to enrol before Friday:", qrPNG("https://hr.rnicrosoft.com/enrol", 200))))})

	add(bad("qr-html-table", "a QR code drawn as an HTML table of black and white cells, no image at all", policy.Quarantine,
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1")),
		mail{subject: "Voicemail (0:42)", root: html(`<p>You have a new voicemail. Scan to listen:</p>` + qrTable("https://voice.rnicrosoft.com/vm/42"))})

	add(bad("qr-text-blocks", "a plain-text mail whose only link is a QR code drawn with Unicode half blocks (▀ ▄ █, an \"ASCII QR code\"), indented, to a lookalike login page: no image at all", policy.Quarantine,
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{from: "IT Service Desk <it-desk@mailbox-notice.example.net>", subject: "Multi-factor authentication expires today", root: text(
			"Your multi-factor authentication expires today.\n\nScan the code below with your phone to renew it:\n\n    " +
				strings.Join(formats.QRBlocks("https://login.rnicrosoft.com/mfa/renew?u=71", formats.BlockStyle{Form: formats.HalfBlocks, Border: 2}), "\n    ") +
				"\n\nIT Service Desk\n")})

	add(bad("qr-html-blocks-spans", "an HTML mail whose only link is a QR code drawn with half blocks and &nbsp; blanks, each character in its own span with a hidden letter between, lines ended by <br>, to a lookalike", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Shared document: Q4 bonus allocation", root: multipart("alternative",
			text("Please view this message in HTML.\n"),
			html(`<p>A document was shared with you. Scan to open it on your phone:</p><div style="font-family:'Courier New',monospace;font-size:8px;line-height:1">`+
				spannedBlocks(formats.QRBlocks("https://docs.rnicrosoft.com/share/q4-bonus", formats.BlockStyle{Form: formats.HalfBlocks, Blank: "&nbsp;", Border: 2}))+`</div>`))})

	add(bad("qr-html-blocks-light-on-dark", "an HTML mail whose only link is a QR code drawn in a <pre> as white doubled full blocks, written as character references (&#9608;), on a black background (the light modules drawn), to a lookalike", policy.Quarantine,
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{subject: "Payroll: confirm your bank details", root: html(`<p>Confirm your bank details before the payroll run:</p><pre style="display:inline-block;padding:12px;background:#000;color:#fff;line-height:1">` +
			strings.Join(formats.QRBlocks("https://payroll.rnicrosoft.com/bank?e=19", formats.BlockStyle{Form: formats.DoubleBlocks, Dark: "&#9608;", Invert: true, Border: 2}), "\n") + `</pre>`)})

	add(bad("qr-html-blocks-table-cells", "an HTML mail whose only link is a QR code drawn as a table with one half-block character per cell (<td>▀</td>), blanks left as empty cells, rows as <tr>, to a lookalike: a reader that ends a line at every table cell sees one character a line", policy.Quarantine,
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{subject: "Action required: verify your account", root: html(`<p>Verify your account within 24 hours. Scan with your phone:</p>` +
			formats.BlockTable(formats.QRBlocks("https://verify.rnicrosoft.com/acct?r=64", formats.BlockStyle{Form: formats.HalfBlocks, Border: 2}), 1, ` style="padding:0;font-size:16px"`, true) +
			`<p>Security team</p>`)})

	add(ok("html-status-marks-table", "an HTML status board: a table of 30 servers by 14 days, each cell one status mark (■, □ or ✓), and a link to the sender's own site"),
		mail{from: "Monitoring <status@ops.example.org>", subject: "Fortnight status", root: html(statusMarksTable() +
			`<p>Details: <a href="https://ops.example.org/status">ops.example.org/status</a></p>`)})

	add(ok("qr-text-blocks-own-site", "a plain-text ticket whose QR code, drawn with half blocks, goes to the sender's own site"),
		mail{from: "Kensa Conf <tickets@conf.example.org>", subject: "Your ticket (text version)", root: text(
			"Dear Kenji,\n\nshow this code at the entrance:\n\n" +
				strings.Join(formats.QRBlocks("https://conf.example.org/t/2027-0043", formats.BlockStyle{Form: formats.HalfBlocks, Border: 2}), "\n") +
				"\n\nSee you in Tokyo!\n")})

	add(ok("text-blocks-status-report", "a status report drawn with block characters: a banner of half blocks, progress bars of █ and ░ in a table of many rows, box-drawing borders"),
		mail{from: "Build Bot <ci@build.example.org>", subject: "Nightly status", root: text(statusReport())})

	add(bad("qr-svg-attachment-path", "an SVG attachment drawing a QR code as one path of \"M x y h1 v1 h-1 z\" squares in a scaled group (what QR libraries write), to a lookalike: a browser opens it; no image at all", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Remittance advice 2027-118", root: multipart("mixed",
			text("Please find the remittance advice attached. Scan the code on it to confirm receipt.\n"),
			attach("image/svg+xml", "Remittance.svg", []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+formats.QRSVG("https://billing.rnicrosoft.com/remit/118", formats.SVGPath, 6))))})

	add(bad("qr-html-inline-svg-use", "an HTML mail whose only link is a QR code drawn by an inline <svg> as <use> copies of one square from <defs>, coloured by a style-sheet class, to a lookalike", policy.Quarantine,
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{subject: "Your parcel could not be delivered", root: html(`<p>We could not deliver your parcel. Scan to arrange a new delivery:</p>` +
			formats.QRSVG("https://parcel.rnicrosoft.com/track/55", formats.SVGUse, 5) + `<p>Customer service</p>`)})

	add(bad("qr-svg-attachment-dots", "an SVG attachment drawing a QR code in round dots (the \"dots\" design QR generators offer), each dot one path of two arcs, to a lookalike: a reader that takes an arc for the line to its end point sees nothing drawn", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Signed contract 2027-044", root: multipart("mixed",
			text("The signed contract is attached. Scan the code on it to countersign.\n"),
			attach("image/svg+xml", "Contract_2027-044.svg", []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+formats.QRSVG("https://sign.rnicrosoft.com/c/2027-044", formats.SVGArcDots, 6))))})

	add(bad("qr-html-inline-svg-circles", "an HTML mail whose only link is a QR code drawn by an inline <svg> as <circle> and <ellipse> dots, to a lookalike", policy.Quarantine,
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{subject: "Mailbox quota reached", root: html(`<p>Your mailbox is full. Scan to raise your quota:</p>` +
			formats.QRSVG("https://quota.rnicrosoft.com/raise/9", formats.SVGDots, 5) + `<p>IT Service Desk</p>`)})

	add(bad("qr-html-inline-svg-small-dots", "an HTML mail whose only link is a QR code drawn by an inline <svg> as <circle> dots four fifths of a module wide, gaps between them, to a lookalike: drawn as they stand, the gaps break the finder patterns' runs", policy.Quarantine,
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{subject: "Your salary statement is ready", root: html(`<p>Your salary statement is ready. Scan to view it:</p>` +
			formats.QRSVG("https://hr.rnicrosoft.com/pay/2027-05", formats.SVGSmallDots, 6) + `<p>HR</p>`)})

	add(ok("svg-dots-and-pie-report", "an HTML report with inline SVGs of round shapes: a pie chart of arcs, a row of status dots, a dotted background and a logo of rings, and a link to the sender's own site"),
		mail{from: "Reports <reports@metrics.example.org>", subject: "Monthly shares", root: html(`<p>Shares this month:</p>` + svgRoundShapes() +
			`<p>Details: <a href="https://metrics.example.org/monthly">metrics.example.org/monthly</a></p>`)})

	add(ok("svg-bar-chart-report", "an HTML report with an inline SVG bar chart of 36 bars of one width, and a link to the sender's own site"),
		mail{from: "Reports <reports@metrics.example.org>", subject: "Weekly traffic", root: html(`<p>Traffic this week:</p>` + svgBarChart() +
			`<p>Details: <a href="https://metrics.example.org/weekly">metrics.example.org/weekly</a></p>`)})

	add(bad("qr-html-css-grid", "an HTML mail whose only link is a QR code drawn as a CSS grid (display:grid, grid-template-columns: repeat(N, 4px)) of <div>s with black backgrounds, to a lookalike", policy.Quarantine,
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{subject: "Password expiry notice", root: html(`<p>Your password expires today. Scan to keep it:</p>` + formats.QRBoxes("https://login.rnicrosoft.com/pw/keep?id=3", formats.BoxGrid, 4) + `<p>Help desk</p>`)})

	add(bad("qr-html-flex-runs", "an HTML mail whose only link is a QR code drawn as flex rows of <div>s, one as wide as each run of dark or light modules, to a lookalike", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Voicemail from +44 20 7946 0018", root: multipart("alternative",
			text("You have a new voicemail. View this message in HTML to listen.\n"),
			html(`<p>You have a new voicemail (0:38). Scan to listen:</p>`+formats.QRBoxes("https://voice.rnicrosoft.com/vm/38", formats.BoxRuns, 4)))})

	add(ok("html-div-layout-calendar", "an HTML newsletter laid out with flex rows and a CSS grid calendar, many coloured boxes, no code"),
		mail{from: "Events <events@conf.example.org>", subject: "This month's events", root: html(divNewsletter())})

	add(bad("qr-datamatrix-flyer-corner", "a Data Matrix code in the bottom right corner of a flyer photograph (JPEG), to a lookalike login page: gozxing's detector starts from the picture's centre", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Staff summer party: register now", root: multipart("mixed",
			text("Our summer party flyer is attached. Register with the code on it.\n"),
			attach("image/jpeg", "flyer.jpg", flyerJPEG("https://login.rnicrosoft.com/party/register?id=7", 0)))})

	add(ok("qr-datamatrix-flyer-corner-own-site", "a flyer photograph with a Data Matrix code in its bottom left corner to the sender's own site"),
		mail{from: "Kensa Conf <tickets@conf.example.org>", subject: "Kensa Conf 2027 flyer", root: multipart("mixed",
			text("Dear Kenji,\n\nthe flyer is attached; the code on it leads to the programme.\n"),
			attach("image/jpeg", "flyer.jpg", flyerJPEG("https://conf.example.org/programme", 1)))})

	// "Designer" codes as QR generator sites make them: round dots with
	// gaps between them, turned; a code in an animated GIF's second frame.
	dotsTurned := func(text string) []byte {
		img := formats.QRDesign(text, formats.Design{Level: qrcode.Highest, Module: 8, Dot: 0.7, RoundFinders: true, Turn: 30, Dark: color.RGBA{20, 40, 120, 255}})
		return pngOf(img.Rect.Dx(), img.Rect.Dy(), func(x, y int) (r, g, b byte) {
			c := img.RGBAAt(x, y)
			return c.R, c.G, c.B
		})
	}
	add(bad("qr-designer-dots-turned", "an inline PNG of a \"designer\" QR code: dark blue round dots 70% of the pitch, round finder patterns, turned 30 degrees, to a lookalike login page: gozxing takes the dots for an alignment pattern and misreads the turned module size", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{from: "IT Service Desk <it-desk@mailbox-notice.example.net>", subject: "Your mailbox password expires today", root: multipart("related",
			html(`<p>Your password expires today. Scan the code with your phone to keep it.</p><img src="cid:dots@corpus" alt="">`),
			node{ctype: "image/png", cte: "base64", disp: "inline; filename=\"scan.png\"", header: []string{"Content-ID: <dots@corpus>"}, body: dotsTurned("https://login.rnicrosoft.com/pw/keep?u=88")})})
	add(bad("qr-designer-dots-turned-docx", "a Word document whose picture is a turned QR code of round dots to a lookalike", policy.Quarantine,
		w("heuristic", "qr-url", "2/policy.docx/word/media/image1.png"), w("heuristic", "lookalike-domain", "2/policy.docx/word/media/image1.png")),
		mail{subject: "Updated travel policy: acknowledge by Friday", root: multipart("mixed",
			text("The updated travel policy is attached. Acknowledge it with the code inside.\n"),
			attach("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "policy.docx",
				docxWithImage("Scan to acknowledge:", dotsTurned("https://hr.rnicrosoft.com/travel/ack?e=12"))))})
	add(bad("qr-gif-second-frame", "an animated GIF whose first frame is a blank \"loading\" picture and whose second holds a QR code to a lookalike: the mail client animates it; a reader of the first frame sees nothing", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Secure message waiting", root: multipart("mixed",
			text("You have a secure message. Open the attached image and scan the code to read it.\n"),
			attach("image/gif", "message.gif", secondFrameGIF("https://secure.rnicrosoft.com/msg/4471")))})
	add(bad("qr-photo-no-quiet-zone", "a JPEG photograph with a QR code printed on it to a lookalike, no quiet zone: the photograph's dark pixels join a finder pattern's outer ring, so only two of the three are found", policy.Quarantine,
		w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
		mail{subject: "Photos from the staff outing", root: multipart("mixed",
			text("Photos from the outing are attached. Scan the code on the picture for the full album.\n"),
			attach("image/jpeg", "outing.jpg", jpegOf(formats.QRDesign("https://photos.rnicrosoft.com/album/outing", formats.Design{Level: qrcode.Medium, Module: 6, Quiet: -1, Back: formats.BackPhoto, W: 640, H: 480}), 85)))})
	add(ok("qr-designer-dots-turned-own-site", "a newsletter's turned QR code of round dots to the sender's own site"),
		mail{from: "Example Shop <news@shop.example.com>", subject: "Spring collection", root: multipart("related",
			html(`<p>Our spring collection is here: scan the code or visit <a href="https://shop.example.com/spring">shop.example.com/spring</a>.</p><img src="cid:spring@corpus" alt="">`),
			node{ctype: "image/png", cte: "base64", disp: "inline; filename=\"spring.png\"", header: []string{"Content-ID: <spring@corpus>"}, body: dotsTurned("https://shop.example.com/spring")})})
	add(ok("qr-gif-second-frame-own-site", "an animated GIF banner whose second frame shows a QR code to the sender's own site"),
		mail{from: "Kensa Conf <tickets@conf.example.org>", subject: "Doors open at nine", root: multipart("mixed",
			text("Dear Kenji,\n\nthe banner is attached; its code leads to the venue map.\n"),
			attach("image/gif", "banner.gif", secondFrameGIF("https://conf.example.org/venue")))})

	add(ok("qr-conference-ticket", "a conference ticket whose QR code goes to the organiser's own site"),
		mail{from: "Kensa Conf <tickets@conf.example.org>", subject: "Your ticket for Kensa Conf 2027", root: multipart("mixed",
			text("Dear Kenji,\n\nyour ticket is attached; show the code at the entrance.\n\nSee you in Tokyo!\n"),
			attach("image/png", "ticket.png", qrPNG("https://conf.example.org/t/2027-0042?seat=7-12", 240)))})

	add(ok("qr-newsletter-app", "a newsletter with a QR code to the shop's app and ordinary links"),
		mail{from: "Example Shop <news@shop.example.com>", subject: "Our new app", root: multipart("related",
			html(`<p>Get our new app: scan the code or visit <a href="https://shop.example.com/app">shop.example.com/app</a>.</p><img src="cid:app@corpus" alt="app">`),
			node{ctype: "image/png", cte: "base64", disp: "inline; filename=\"app.png\"", header: []string{"Content-ID: <app@corpus>"}, body: qrPNG("https://apps.example.net/shop-app", 160)})})
	out = append(out, splitQRSamples()...)
	return out
}

// spannedBlocks writes lines of block characters as HTML: each character
// in its own span followed by a hidden letter, the lines ended by <br>.
func spannedBlocks(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		for l != "" {
			_, n := utf8.DecodeRuneInString(l)
			c := l[:n]
			if l[0] == '&' {
				c = l[:strings.IndexByte(l, ';')+1]
			}
			l = l[len(c):]
			b.WriteString(`<span>` + c + `</span><span style="display:none">o</span>`)
		}
		b.WriteString("<br>\n")
	}
	return b.String()
}

// statusReport is honest text drawn with block characters.
func statusReport() string {
	var b strings.Builder
	b.WriteString("█▄░█ █ █▀▀ █░█ ▀█▀ █░░ █▄█\n█░▀█ █ █▄█ █▀█ ░█░ █▄▄ ░█░\n\n")
	b.WriteString("┌────────────┬──────────────────────┐\n")
	for i, job := range []string{"unit", "race", "corpus", "fuzz", "lint", "docs", "postfix", "sendmail", "browser", "bench", "docker", "release", "package", "sign"} {
		n := (i*5 + 3) % 21
		fmt.Fprintf(&b, "│ %-10s │ %s%s │\n", job, strings.Repeat("█", n), strings.Repeat("░", 20-min(n, 20)))
	}
	b.WriteString("└────────────┴──────────────────────┘\n\nAll green but bench.\n")
	return b.String()
}

// svgBarChart is an honest SVG drawing of many rectangles of one width.
func svgBarChart() string {
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200"><rect width="400" height="200" fill="#fff"/>`)
	for i := 0; i < 36; i++ {
		h := 20 + (i*37)%160
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="8" height="%d" fill="#1f4e79"/>`, 10+i*10, 200-h, h)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// statusMarksTable is an honest table of one status mark a cell.
func statusMarksTable() string {
	var b strings.Builder
	b.WriteString(`<table style="font-family:monospace;border-collapse:collapse"><tr><th>Server</th>`)
	for d := 1; d <= 14; d++ {
		fmt.Fprintf(&b, "<th>%d</th>", d)
	}
	b.WriteString("</tr>\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "<tr><td>srv-%02d</td>", i)
		for d := 0; d < 14; d++ {
			mark := [...]string{"■", "□", "■", "✓", "■"}[(i*7+d*3)%5]
			fmt.Fprintf(&b, `<td style="padding:0">%s</td>`, mark)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>")
	return b.String()
}

// svgRoundShapes is honest SVG drawn with circles, ellipses and arcs: a
// pie chart, a row of status dots, a dotted background, a logo of rings.
func svgRoundShapes() string {
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="220" height="220" viewBox="-110 -110 220 220">`)
	for i, a := 0, 0.0; i < 30; i++ {
		e := a + float64(i%5+1)*math.Pi/45
		fmt.Fprintf(&b, `<path d="M0 0L%.2f %.2fA100 100 0 0 1 %.2f %.2fZ" fill="#%x%x%x"/>`, 100*math.Cos(a), 100*math.Sin(a), 100*math.Cos(e), 100*math.Sin(e), i%16, (i*3)%16, (i*7)%16)
		a = e
	}
	b.WriteString(`</svg><br><svg xmlns="http://www.w3.org/2000/svg" width="800" height="20">`)
	for i := 0; i < 60; i++ {
		fill := "#2e7d32"
		if i%9 == 4 {
			fill = "#c62828"
		}
		fmt.Fprintf(&b, `<circle cx="%d" cy="10" r="5" fill="%s"/>`, 10+i*13, fill)
	}
	b.WriteString(`</svg><br><svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">`)
	for y := 0; y < 30; y++ {
		for x := 0; x < 30; x++ {
			fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="3" fill="#ccc"/>`, 10+x*13, 10+y*13)
		}
	}
	b.WriteString(`<path fill="#1565c0" fill-rule="evenodd" d="M150 200a50 50 0 1 0 100 0a50 50 0 1 0-100 0zM165 200a35 35 0 1 0 70 0a35 35 0 1 0-70 0z"/><ellipse cx="200" cy="300" rx="120" ry="10" fill="#333"/></svg>`)
	return b.String()
}

// divNewsletter is honest HTML laid out with many boxes: flex rows of
// items and a grid calendar with dark weekends.
func divNewsletter() string {
	var b strings.Builder
	b.WriteString(`<div style="max-width:600px">`)
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, `<div style="display:flex"><div style="width:120px;background:#eee"><span>Day %d</span></div><div style="width:480px"><a href="https://conf.example.org/e/%d">Talk %d</a> <span style="background:#222;color:#fff">new</span></div></div>`, i+1, i, i)
	}
	b.WriteString(`<div style="display:grid;grid-template-columns:repeat(7, 40px)">`)
	for d := 0; d < 35; d++ {
		bg := "#fff"
		if d%7 >= 5 {
			bg = "#333"
		}
		fmt.Fprintf(&b, `<div style="background:%s">%d</div>`, bg, d%31+1)
	}
	b.WriteString(`</div></div>`)
	return b.String()
}

// paintAbout says how each formats.PaintStyle paints the code.
var paintAbout = map[formats.PaintStyle]string{
	formats.InlineGray8:          "an inline image (BI /W /H /BPC 8 /CS /G ID … EI, abbreviated keys, unfiltered)",
	formats.InlineGray1Hex:       "a 1-bit inline image in ASCIIHex (/F /AHx)",
	formats.InlineRGBA85Flate:    "an RGB inline image in ASCII85 over Flate (/F [/A85 /Fl])",
	formats.InlineRunLength:      "a grey inline image in RunLength (/F /RL)",
	formats.InlineDCT:            "a grey JPEG inline image (/F /DCT)",
	formats.InlineStencil:        "an inline stencil mask (/IM true) painted dark blue",
	formats.InlineStencilDecode:  "an inline stencil mask with /D [1 0] (1 paints)",
	formats.InlineInForm:         "an inline image inside a Form XObject",
	formats.StencilXObject:       "an image mask XObject (/ImageMask true) painted dark blue",
	formats.StencilXObjectDecode: "an image mask XObject with /Decode [1 0]",
	formats.MaskCarries:          "the /Mask stencil of a flat black image",
	formats.SMaskCarries:         "the /SMask of a flat black image",
	formats.PatternCell:          "the one cell of a tiling pattern filling a square",
	formats.Type3Glyphs:          "glyphs of a Type 3 font, one a dark module",
	formats.TinyScaled:           "squares 0.01 units a side scaled up 400 times by cm",
	formats.ClippedOut:           "inside a clip of one point (W n)",
	formats.Type3Invisible:       "as Type 3 glyphs in text render mode 3 (invisible)",
	formats.AnnotAppearance:      "squares in a Stamp annotation's appearance stream (/AP /N), none in the page's content",
	formats.AnnotHidden:          "in the appearance of a Stamp annotation flagged Hidden (/F 2)",
}
