package corpus

import (
	"encoding/base64"
	"mime"

	"golang.org/x/text/encoding/japanese"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// photoJPEG is a real 16×16 baseline JPEG (made once with image/jpeg and kept
// as bytes, since encoder output may change between Go versions).
var photoJPEG = mustB64("" +
	"/9j/2wCEABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2MBERIS" +
	"GBUYLxoaL2NCOEJjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY//AABEIABAAEAMBIgAC" +
	"EQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQy" +
	"gZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeI" +
	"iYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEB" +
	"AQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEK" +
	"FiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Sl" +
	"pqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AOft7HpxWnb2PTit" +
	"O3senFadvY9OKqriwy/Hban/2Q==")

func mustB64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func chartPNG() []byte {
	return pngOf(24, 16, func(x, y int) (byte, byte, byte) {
		if y > 15-x/2 {
			return 0x2a, 0x6f, 0xdb
		}
		return 0xff, 0xff, 0xff
	})
}

func shiftJIS(s string) []byte {
	b, err := japanese.ShiftJIS.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return []byte(b)
}

const invite = "BEGIN:VCALENDAR\nPRODID:-//Kensa corpus//EN\nVERSION:2.0\nMETHOD:REQUEST\nBEGIN:VEVENT\n" +
	"UID:corpus-meeting-1@corp.example.jp\nDTSTAMP:20261102T003000Z\nDTSTART:20261105T010000Z\nDTEND:20261105T020000Z\n" +
	"SUMMARY:Quarterly review\nLOCATION:https://zoom.us/j/5551234567\nDESCRIPTION:Join: https://zoom.us/j/5551234567\\n" +
	"Agenda: https://wiki.corp.example.jp/reviews/q3\nORGANIZER;CN=Kenji Tanaka:mailto:kenji@corp.example.jp\n" +
	"ATTENDEE;CN=Anna;RSVP=TRUE:mailto:anna@shop.example.com\nEND:VEVENT\nEND:VCALENDAR\n"

func clean() []Sample {
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }

	add(ok("plain-text", "a short plain-text mail"),
		mail{subject: "Lunch on Friday?", root: text("Hi Kenji,\n\nshall we have lunch on Friday at 12:30? The place near the station is fine.\n" +
			"I'll bring the shell samples for the beach project.\n\nAnna\n")})

	add(ok("ics-inline-agenda", "a meeting request whose calendar carries its agenda as text inline, as Outlook sends it"),
		mail{subject: "Budget review", root: multipart("alternative", text("Budget review, agenda attached to the meeting.\n"),
			node{ctype: "text/calendar; method=REQUEST; charset=utf-8", cte: "8bit", body: meetingInvite("Budget review", "agenda.txt", []byte("1. Figures\r\n2. Questions\r\n"))})})
	add(ok("docx-no-macros", "an ordinary Word document with a hyperlink"),
		mail{subject: "Meeting minutes", root: multipart("mixed", text("Minutes attached.\n"),
			attach("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "minutes.docx",
				docx("Minutes of the weekly meeting\nAction items: see https://wiki.corp.example.jp/minutes", `<Relationship Id="rId5" Type="`+officeRel+`/hyperlink" Target="https://wiki.corp.example.jp/minutes" TargetMode="External"/>`, "", nil)))})

	add(ok("xlsx-no-macros", "an ordinary Excel workbook"),
		mail{subject: "Budget 2027", root: multipart("mixed", text("The budget draft.\n"),
			attach("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "budget.xlsx",
				xlsx([][]string{{"Team", "Q1", "Q2"}, {"Sales", "1200", "1350"}, {"Support", "800", "820"}}, nil)))})

	add(ok("xlsx-linked-workbook", "an Excel workbook linked to another workbook on SharePoint"),
		mail{subject: "Forecast", root: multipart("mixed", text("The forecast; it pulls the totals from the budget on SharePoint.\n"),
			attach("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "forecast.xlsx",
				xlsxOf([][]string{{"Total", "=[1]Sheet1!B9"}}, nil, "https://corp.sharepoint.example/sites/finance/Shared%20Documents/budget-2027.xlsx")))})

	add(ok("pdf-no-scripts", "a PDF with text and a web link"),
		mail{subject: "Q3 report", root: multipart("mixed", text("Q3 report attached.\n"), attach("application/pdf", "report-q3.pdf", plainPDF("Q3 report")))})

	add(ok("images-png-jpeg", "photos and a chart: PNG and JPEG, attached and inline"),
		mail{subject: "Photos from the offsite", root: multipart("mixed",
			multipart("related",
				html(`<p>The chart from the offsite:</p><img src="cid:chart@corpus" alt="chart"><p>Photos attached.</p>`),
				node{ctype: "image/png", cte: "base64", disp: "inline; filename=\"chart.png\"", header: []string{"Content-ID: <chart@corpus>"}, body: chartPNG()}),
			attach("image/jpeg", "team.jpg", photoJPEG),
			attach("image/png", "whiteboard.png", chartPNG()))})

	add(ok("calendar-invite", "a meeting invitation (text/calendar) with a video-call link"),
		mail{subject: "Invitation: Quarterly review", root: multipart("mixed",
			multipart("alternative",
				text("Quarterly review, Thu 5 Nov 10:00 JST\nJoin: https://zoom.us/j/5551234567\n"),
				node{ctype: "text/calendar; charset=utf-8; method=REQUEST", cte: "8bit", body: []byte(crlf(invite))}),
			attach("application/ics", "invite.ics", []byte(crlf(invite))))})

	signedPart := []byte(crlf("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n" +
		"Hello Kenji,\n\nthe signed delivery confirmation for order 4711.\n\nAnna\n"))
	out = append(out, signedSample(ok("smime-signed", "an S/MIME-signed mail (multipart/signed, Ed25519 CMS signature)"), signedPart))

	jaText := "田中様\n\nお世話になっております。\n来週の打ち合わせは、十一月五日（木）十時からでお願いいたします。\n資料は当日お持ちします。\n\nよろしくお願いいたします。\n佐藤\n"
	add(ok("japanese-iso-2022-jp", "a Japanese business mail in ISO-2022-JP"),
		mail{subject: "打ち合わせの件", jis: true,
			root: node{ctype: "text/plain; charset=ISO-2022-JP", cte: "7bit", body: []byte(crlf(string(iso2022jp(jaText))))}})

	sjisHTML := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body>` +
		`<p>新製品のご案内</p><p>詳しくは <a href="https://www.shop.example.com/new">https://www.shop.example.com/new</a> をご覧ください。</p></body></html>`
	add(ok("japanese-shift-jis", "a Japanese HTML mail in Shift_JIS with a link that matches its text"),
		mail{subject: "新製品のご案内", root: multipart("alternative",
			node{ctype: "text/plain; charset=Shift_JIS", cte: "base64", body: []byte(crlf(string(shiftJIS("新製品のご案内\n詳しくは https://www.shop.example.com/new をご覧ください。\n"))))},
			node{ctype: "text/html; charset=Shift_JIS", cte: "base64", body: shiftJIS(sjisHTML)})})

	add(ok("zip-text-files", "a zip of text and CSV files"),
		mail{subject: "Logs", root: multipart("mixed", text("The logs you asked for.\n"),
			attach("application/zip", "logs.zip", zipOf(file{"logs/app.log", []byte("2026-11-02 09:00 started\n2026-11-02 09:05 ok\n")}, file{"logs/data.csv", []byte("id,value\n1,42\n")})))})

	// Info-ZIP zip on Windows: names in the OEM code page (CP932 here,
	// CP437 for the other), each with a Unicode Path field of the same
	// name in UTF-8 whose CRC matches.
	quote, cv := string(shiftJIS("見積書.pdf")), "r\x82sum\x82.txt"
	add(ok("zip-unicode-path-honest", "a zip as Info-ZIP writes non-ASCII names: Shift_JIS and CP437 name fields, each with a matching Unicode Path field"),
		mail{subject: "見積書", root: multipart("mixed", text("Quote and CV attached.\n"),
			attach("application/zip", "documents.zip", formats.Zip(
				formats.ZipEntry{Name: quote, Extra: formats.UnicodePath(quote, "見積書.pdf"), Data: plainPDF("Quote")},
				formats.ZipEntry{Name: cv, Extra: formats.UnicodePath(cv, "résumé.txt"), Data: []byte("Kensa corpus: a CV, nothing to run.\r\n")})))})

	add(ok("tar-gz-text-files", "a tar.gz of text files"),
		mail{subject: "Export", root: multipart("mixed", text("The export.\n"),
			attach("application/gzip", "export.tar.gz", gzipOf("export.tar", tarOf(file{"export/README.md", []byte("# Export\n")}, file{"export/items.csv", []byte("sku,qty\nA-1,3\n")}))))})

	inner := mail{from: "Anna <anna@shop.example.com>", to: "kenji@corp.example.jp", subject: "Price list", id: "inner-2@shop.example.com",
		root: multipart("mixed", text("Here is our price list.\n"), attach("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "prices.xlsx", xlsx([][]string{{"Item", "Price"}, {"Widget", "12.50"}}, nil)))}
	add(ok("forwarded-clean", "a forwarded mail with a spreadsheet"),
		mail{subject: "Fwd: Price list", root: multipart("mixed", text("FYI, forwarding Anna's price list.\n"), node{ctype: "message/rfc822", cte: "7bit", body: inner.bytes()})})

	add(ok("newsletter", "an HTML newsletter whose links agree with their text"),
		mail{from: "Example News <news@news.example.com>", subject: "Example Monthly: November",
			header: []string{"List-Unsubscribe: <https://news.example.com/unsubscribe?u=42>"},
			root: multipart("alternative",
				text("Example Monthly\nOur November post: https://www.example.com/blog/november\nUnsubscribe: https://news.example.com/unsubscribe?u=42\n"),
				html(`<!DOCTYPE html><html><head><title>Example Monthly</title></head><body>`+
					`<h1>Example Monthly</h1><p>Our <a href="https://www.example.com/blog/november">November post</a> is out. `+
					`Read it at <a href="https://www.example.com/blog/november">www.example.com/blog/november</a>.</p>`+
					`<p>Follow us: <a href="https://www.linkedin.com/company/example">linkedin.com/company/example</a></p>`+
					`<p>Questions? <a href="mailto:news@news.example.com">news@news.example.com</a> or <a href="tel:+81-3-5555-0100">+81 3 5555 0100</a></p>`+
					`<img src="data:image/png;base64,`+base64.StdEncoding.EncodeToString(chartPNG())+`" alt="Example logo">`+
					`<img src="https://news.example.com/open.gif?u=42" width="1" height="1" alt="">`+
					`<p><a href="https://news.example.com/unsubscribe?u=42">Unsubscribe</a></p></body></html>`))})

	jaName := "=?ISO-2022-JP?B?" + base64.StdEncoding.EncodeToString(iso2022jp("見積書.pdf")) + "?="
	add(ok("japanese-filenames", "PDFs with Japanese file names: RFC 2231 UTF-8, and RFC 2047 ISO-2022-JP as Japanese mailers write them"),
		mail{subject: "請求書と見積書", root: multipart("mixed", text("請求書と見積書を添付します。\n"),
			attach("application/pdf", "請求書_2026年11月.pdf", plainPDF("Invoice")),
			node{ctype: `application/pdf; name="` + jaName + `"`, disp: `attachment; filename="` + jaName + `"`, cte: "base64", body: plainPDF("Estimate")})})

	add(ok("zip-documents", "a zip of a Word document and a PDF"),
		mail{subject: "Documents for the audit", root: multipart("mixed", text("The documents for the audit.\n"),
			attach("application/zip", "audit.zip", zipOf(
				file{"audit/minutes.docx", docx("Audit minutes", "", "", nil)},
				file{"audit/report.pdf", plainPDF("Audit report")})))})

	innerNote := mail{from: "Anna <anna@shop.example.com>", to: "kenji@corp.example.jp", subject: "Delivery dates", id: "inner-3@shop.example.com",
		root: text("Deliveries on 5 and 12 November.\n")}
	add(ok("eml-attachment-clean", "a mail attached as an .eml file"),
		mail{subject: "Fwd: Delivery dates", root: multipart("mixed", text("See the attached mail.\n"), attach("message/rfc822", "delivery-dates.eml", innerNote.bytes()))})

	add(ok("password-reset-notice", "an IT notice about password expiry with a link to its own portal"),
		mail{from: "IT Service Desk <it@corp.example.jp>", to: "kenji@corp.example.jp", subject: "Your password expires in 7 days",
			root: multipart("alternative",
				text("Your password expires in 7 days. Change it at https://portal.corp.example.jp/password\n"),
				html(`<p>Your password expires in 7 days. Change it at <a href="https://portal.corp.example.jp/password">portal.corp.example.jp/password</a>.</p>`))})

	add(ok("russian-idn-link", "a Russian mail with an all-Cyrillic IDN link"),
		mail{subject: "Новости", root: text("Здравствуйте!\n\nНовости компании: https://пример.рф/новости\n\nС уважением\n")})

	return out
}

// signedSample wraps a MIME entity in multipart/signed with a detached CMS
// signature over exactly those bytes.
func signedSample(s Sample, entity []byte) Sample {
	sig := detachedSignature(entity)
	m := mail{from: "Anna <anna@shop.example.com>", subject: "Delivery confirmation 4711",
		root: node{ctype: `multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256`, kids: []node{
			{raw: entity},
			{ctype: "application/pkcs7-signature; name=\"smime.p7s\"", cte: "base64", disp: "attachment; filename=\"smime.p7s\"",
				header: []string{"Content-Description: " + mime.QEncoding.Encode("UTF-8", "S/MIME Cryptographic Signature")}, body: sig},
		}}}
	return build(s, m)
}
