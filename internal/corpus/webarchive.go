package corpus

import "strings"

// Web archives (.mht, .mhtml), which Windows opens in Edge: a phishing
// page saved as one, and a page saved honestly with Chromium's Save as
// MHTML. unpack's TestSavedPageInChromium holds the reader to Chromium.

// mhtOf is a web archive as Chromium saves one: the page quoted-printable
// with its Content-Location, then a style sheet. blink: with the header
// fields Chromium writes before MIME-Version (which make it read as a
// mail too); without, it starts as Word's web archives and kits' do.
func mhtOf(blink bool, location, subject, page string) []byte {
	qp := strings.ReplaceAll(page, "=", "=3D")
	head := ""
	if blink {
		head = "From: <Saved by Blink>\r\nSnapshot-Content-Location: " + location + "\r\nSubject: " + subject + "\r\n" +
			"Date: Mon, 2 Nov 2026 09:12:44 +0900\r\n"
	}
	return []byte(head + "MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--kensa7731----\"\r\n\r\n\r\n" +
		"------MultipartBoundary--kensa7731----\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: " + location + "\r\n\r\n" + qp + "\r\n\r\n" +
		"------MultipartBoundary--kensa7731----\r\nContent-Type: text/css\r\nContent-Transfer-Encoding: quoted-printable\r\n" +
		"Content-Location: cid:css-1@mhtml.blink\r\n\r\nbody { font-family: Arial; }\r\n\r\n------MultipartBoundary--kensa7731------\r\n")
}

func webArchiveCases() []officeCase {
	c := htmlCase("mht-phish", "a mailbox login page in a web archive (.mht) that starts at MIME-Version as Word's do, whose form posts the password away",
		"Mailbox_Quota.mht", string(mhtOf(false, "https://mail.corp.example.jp/", "Mailbox", phishPage("Mailbox", "",
			writtenLogin, ""))), "html-credential-form")
	c.ctype = "application/octet-stream"
	c.wants[0].rel = "/1"
	// The same archive saved with a UTF-8 byte order mark before its
	// header, which Chromium skips.
	bom := htmlCase("mht-phish-bom", "a mailbox login page in a web archive (.mht) that starts with a UTF-8 byte order mark, which Chromium skips before showing the page",
		"Mailbox_Quota.mht", "\xef\xbb\xbf"+string(mhtOf(false, "https://mail.corp.example.jp/", "Mailbox", phishPage("Mailbox", "",
			writtenLogin, ""))), "html-credential-form")
	bom.ctype = "application/octet-stream"
	bom.wants[0].rel = "/1"
	return []officeCase{c, bom}
}

func webArchiveClean() []Sample {
	var stories strings.Builder
	for i := 1; i <= 6; i++ {
		stories.WriteString("<h2>Story " + itoa(i) + "</h2><p>The beach project moved on this month: new fittings and a second pier.</p>\r\n")
	}
	return []Sample{build(Sample{Name: "mht-saved-newsletter", Clean: true, About: "a newsletter saved with Chromium's Save as MHTML (.mhtml): stories, links, a search form"},
		mail{subject: "The newsletter, saved", root: multipart("mixed", text("I saved the newsletter for you.\n"),
			attach("multipart/related", "newsletter.mhtml", mhtOf(true, "https://news.shop.example.com/november", "November newsletter",
				"<html><head><title>November</title></head><body>"+stories.String()+
					"<form action=\"https://news.shop.example.com/search\"><input name=\"q\"><button>Search</button></form>"+
					"<p><a href=\"https://shop.example.com/\">Visit the shop</a></p></body></html>")))})}
}
