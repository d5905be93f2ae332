package corpus

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"strings"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// Split QR codes: the code cut into tiles the mail client shows side by
// side or stacked, so that no one image holds a code a gateway reading
// each picture alone could read.

// qrTiles cuts the code to text, px pixels a side, into cols×rows PNG
// tiles, row by row.
func qrTiles(text string, px, cols, rows int) [][]byte {
	g := formats.QRImage(text, px)
	var out [][]byte
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			sub := g.SubImage(image.Rect(c*px/cols, r*px/rows, (c+1)*px/cols, (r+1)*px/rows))
			var b bytes.Buffer
			if err := png.Encode(&b, sub); err != nil {
				panic(err)
			}
			out = append(out, b.Bytes())
		}
	}
	return out
}

// inlinePNG is an inline image part with Content-ID id.
func inlinePNG(id string, data []byte) node {
	return node{ctype: "image/png", cte: "base64", disp: fmt.Sprintf("inline; filename=%q", id+".png"), header: []string{"Content-ID: <" + id + ">"}, body: data}
}

// dataPNG is a data: URI of a PNG.
func dataPNG(b []byte) string { return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b) }

func splitQRSamples() []Sample {
	bad := func(name, about string, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: policy.Quarantine, Want: wants}
	}
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	related := func(body string, tiles [][]byte, ids ...string) node {
		kids := []node{html(body)}
		for i, t := range tiles {
			kids = append(kids, inlinePNG(ids[i], t))
		}
		return multipart("related", kids...)
	}
	const from = "IT Service Desk <it-desk@mailbox-notice.example.net>"
	img := func(id string, w, h int) string {
		return fmt.Sprintf(`<img src="cid:%s" width="%d" height="%d" alt="" style="display:block">`, id, w, h)
	}

	lr := qrTiles("https://login.rnicrosoft.com/mfa?s=split-lr", 220, 2, 1)
	add(bad("qr-split-left-right", "a QR code to a lookalike cut into left and right halves, two inline images in one table row: no single image holds a code",
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{from: from, subject: "MFA re-enrolment required", root: related(
			`<p>Scan the code with your phone to keep multi-factor authentication:</p>`+
				`<table cellpadding="0" cellspacing="0" border="0"><tr><td>`+img("l@c", 110, 220)+`</td><td>`+img("r@c", 110, 220)+`</td></tr></table><p>IT Service Desk</p>`,
			lr, "l@c", "r@c")})

	tb := qrTiles("https://login.rnicrosoft.com/mfa?s=split-tb", 220, 1, 2)
	add(bad("qr-split-top-bottom", "a QR code to a lookalike cut into top and bottom halves, stacked by a <br> between two inline images",
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{from: from, subject: "Password expires today", root: related(
			`<p>Your password expires today. Scan to keep it:</p><div style="line-height:0"><img src="cid:t@c" width="220" height="110" alt=""><br><img src="cid:b@c" width="220" height="110" alt=""></div><p>IT Service Desk</p>`,
			tb, "t@c", "b@c")})

	q := qrTiles("https://login.rnicrosoft.com/mfa?s=split-4", 220, 2, 2)
	add(bad("qr-split-quadrants", "a QR code to a lookalike cut into four quadrants, a 2x2 table of inline images",
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{from: from, subject: "Mailbox quota exceeded", root: related(
			`<p>Scan to raise your quota:</p><table cellpadding="0" cellspacing="0" border="0">`+
				`<tr><td>`+img("a@c", 110, 110)+`</td><td>`+img("b@c", 110, 110)+`</td></tr>`+
				`<tr><td>`+img("c@c", 110, 110)+`</td><td>`+img("d@c", 110, 110)+`</td></tr></table>`,
			q, "a@c", "b@c", "c@c", "d@c")})

	du := qrTiles("https://login.rnicrosoft.com/mfa?s=split-data", 220, 2, 1)
	add(bad("qr-split-data-uris", "a QR code to a lookalike cut into halves, each a data: URI image, in one table row: no attachment at all",
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{from: from, subject: "Secure message waiting", root: html(
			`<p>A secure message is waiting. Scan to read it:</p><table cellpadding="0" cellspacing="0" border="0"><tr>` +
				`<td><img src="` + dataPNG(du[0]) + `" width="110" height="220" style="display:block" alt=""></td>` +
				`<td><img src="` + dataPNG(du[1]) + `" width="110" height="220" style="display:block" alt=""></td></tr></table>`)})

	// Tiles drawn at twice their pixels by width and height: what the
	// client shows is the declared size.
	in := qrTiles("https://login.rnicrosoft.com/mfa?s=split-inline", 120, 2, 1)
	add(bad("qr-split-inline-scaled", "a QR code to a lookalike cut into halves placed back to back inline in a <p>, each drawn at twice its pixels by its width and height attributes",
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{from: from, subject: "Payroll: confirm your details", root: related(
			`<p>Confirm your bank details before the payroll run:</p><p style="line-height:0"><img src="cid:p@c" width="120" height="240" alt=""><img src="cid:q@c" width="120" height="240" alt=""></p>`,
			in, "p@c", "q@c")})

	add(Sample{Name: "html-two-pictures-side-by-side", Clean: true, About: "a newsletter showing a logo and a chart side by side in one table row, and a link to the sender's site"},
		mail{from: "Kensa Conf <news@conf.example.org>", subject: "This month at Kensa Conf", root: related(
			`<table cellpadding="0" cellspacing="0"><tr><td><img src="cid:logo@c" width="96" height="64" alt="logo"></td><td><img src="cid:chart@c" width="240" height="160" alt="chart"></td></tr></table>`+
				`<p>Registrations are up. <a href="https://conf.example.org/news">Read more</a></p>`,
			[][]byte{flyerPNG(), chartPNG()}, "logo@c", "chart@c")})

	own := qrTiles("https://conf.example.org/t/2027-0051", 220, 2, 1)
	add(Sample{Name: "qr-split-own-site", Clean: true, About: "a ticket whose QR code, to the sender's own site, is cut into halves in one table row"},
		mail{from: "Kensa Conf <tickets@conf.example.org>", subject: "Your ticket", root: related(
			`<p>Dear Kenji, show this code at the entrance:</p><table cellpadding="0" cellspacing="0" border="0"><tr><td>`+img("x@c", 110, 220)+`</td><td>`+img("y@c", 110, 220)+`</td></tr></table>`,
			own, "x@c", "y@c")})

	// CSS backgrounds: no <img> at all, each tile the background picture
	// of a sized cell or block.
	bgc := qrTiles("https://login.rnicrosoft.com/mfa?s=split-bg-cells", 220, 2, 1)
	add(bad("qr-split-bg-cells", "a QR code to a lookalike cut into halves, each the background attribute picture of a sized table cell: no <img> at all",
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{from: from, subject: "Mailbox migration", root: related(
			`<p>Your mailbox moves tonight. Scan to confirm:</p><table cellpadding="0" cellspacing="0" border="0"><tr>`+
				`<td background="cid:bl@c" width="110" height="220"></td><td background="cid:br@c" width="110" height="220"></td></tr></table><p>IT Service Desk</p>`,
			bgc, "bl@c", "br@c")})
	bgd := qrTiles("https://login.rnicrosoft.com/mfa?s=split-bg-divs", 220, 1, 2)
	add(bad("qr-split-bg-divs", "a QR code to a lookalike cut into top and bottom halves, each the background-image of a sized <div>, stacked",
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{from: from, subject: "Password expires today", root: related(
			`<p>Your password expires today. Scan to keep it:</p>`+
				`<div style="width:220px;height:110px;background-image:url('cid:bt@c');background-repeat:no-repeat"></div>`+
				`<div style="width:220px;height:110px;background-image:url('cid:bb@c');background-repeat:no-repeat"></div><p>IT Service Desk</p>`,
			bgd, "bt@c", "bb@c")})
	bgi := qrTiles("https://login.rnicrosoft.com/mfa?s=split-bg-data", 120, 2, 1)
	add(bad("qr-split-bg-data-stretched", "a QR code to a lookalike cut into halves, each a data: URI background of an inline-block <div> stretched to twice its pixels by background-size",
		w("heuristic", "qr-url", "1"), w("heuristic", "lookalike-domain", "1"), w("heuristic", "qr-only-link", "1")),
		mail{from: from, subject: "Secure message waiting", root: html(
			`<p>A secure message is waiting. Scan to read it:</p><div style="line-height:0">` +
				`<div style="display:inline-block;width:120px;height:240px;background:url(` + dataPNG(bgi[0]) + `) no-repeat;background-size:100% 100%"></div>` +
				`<div style="display:inline-block;width:120px;height:240px;background:url(` + dataPNG(bgi[1]) + `) no-repeat;background-size:100% 100%"></div></div>`)})
	add(Sample{Name: "html-background-banner", Clean: true, About: "a newsletter whose header cell shows a background picture (a chart) under its title, and a link to the sender's site"},
		mail{from: "Kensa Conf <news@conf.example.org>", subject: "Kensa Conf: the programme", root: related(
			`<table cellpadding="0" cellspacing="0"><tr><td background="cid:hero@c" width="480" height="160" style="background-image:url('cid:hero@c')"><h1>The programme is out</h1></td></tr>`+
				`<tr><td background="cid:logo2@c" width="96" height="64"></td></tr></table>`+
				`<p><a href="https://conf.example.org/programme">Read the programme</a></p>`,
			[][]byte{chartPNG(), flyerPNG()}, "hero@c", "logo2@c")})
	bgo := qrTiles("https://conf.example.org/t/2027-0053", 220, 2, 1)
	add(Sample{Name: "qr-split-bg-own-site", Clean: true, About: "a ticket whose QR code, to the sender's own site, is cut into halves, the background pictures of two table cells"},
		mail{from: "Kensa Conf <tickets@conf.example.org>", subject: "Your ticket", root: related(
			`<p>Dear Kenji, show this code at the entrance:</p><table cellpadding="0" cellspacing="0" border="0"><tr>`+
				`<td background="cid:ox@c" width="110" height="220"></td><td background="cid:oy@c" width="110" height="220"></td></tr></table>`,
			bgo, "ox@c", "oy@c")})

	// The same trick in a PDF: images the page places touching with cm.
	pdfMail := func(subject, body, file string, pdf []byte) mail {
		return mail{from: from, subject: subject, root: multipart("mixed", text(body), attach("application/pdf", file, pdf))}
	}
	for _, c := range []struct {
		style formats.SplitStyle
		about string
	}{
		{formats.SplitHalves, "its left and right halves two image XObjects"},
		{formats.SplitQuadrants, "four image XObjects in a 2x2 grid"},
		{formats.SplitInlineRows, "three inline images stacked"},
		{formats.SplitTurned, "two image XObjects stored mirrored and turned half a turn, put right by the cm matrices"},
		{formats.SplitOverDecoy, "two image XObjects painted over a larger grey decoy picture"},
	} {
		lure := "https://docusign.rnicrosoft.com/sign/split?p=" + c.style.String()
		add(bad("qr-pdf-split-"+c.style.String(), "a PDF whose page shows a QR code to a lookalike cut into pieces placed touching by cm, "+c.about+": no image alone holds a code",
			w("heuristic", "qr-url", "2"), w("heuristic", "lookalike-domain", "2"), w("heuristic", "qr-only-link", "2")),
			pdfMail("Document to sign", "Please sign the attached document.\n", "contract.pdf", formats.SplitCodePDF(lure, c.style, "Scan the code to sign the document.")))
	}
	add(Sample{Name: "pdf-sliced-banner", Clean: true, About: "a catalogue PDF whose banner picture is cut into three images placed touching (no code)"},
		mail{from: "Example Supplies <news@supplies.example.com>", subject: "Spring catalogue", root: multipart("mixed",
			text("Dear customer,\n\nour spring catalogue is attached.\n"),
			attach("application/pdf", "catalogue.pdf", formats.SlicedBannerPDF("Spring catalogue")))})
	add(Sample{Name: "qr-pdf-split-own-site", Clean: true, About: "a ticket PDF whose QR code, to the sender's own site, is cut into halves placed touching"},
		mail{from: "Kensa Conf <tickets@conf.example.org>", subject: "Your ticket (PDF)", root: multipart("mixed",
			text("Dear Kenji,\n\nyour ticket is attached; show the code at the entrance.\n"),
			attach("application/pdf", "ticket.pdf", formats.SplitCodePDF("https://conf.example.org/t/2027-0052", formats.SplitHalves, "Kensa Conf 2027 - admit one")))})
	return out
}

// flyerPNG is a small picture of coloured stripes, a logo.
func flyerPNG() []byte {
	return pngOf(48, 32, func(x, y int) (byte, byte, byte) {
		if strings.Contains("0123", fmt.Sprint((x+y)/6%8)) {
			return 0xd0, 0x40, 0x20
		}
		return 0xf4, 0xf0, 0xe8
	})
}
