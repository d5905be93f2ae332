package corpus

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// paddedPDFSamples are PDFs that hide a link after more than 2 KB of
// padding in one string, past where a reader that keeps 2 KB of a string
// (or of a URL) stops: a page's literal and hex strings, a link's /URI (a
// redirect whose target follows a long parameter) and a /JS script (the
// call after kilobytes of comments); and honest PDFs with strings as long
// that link to the sender's own site. internal/corpus's TestPaddedPDFs
// holds each to poppler: a valid PDF that shows (pdftotext) or holds
// (qpdf --show-object) its link where a reader finds it.
func paddedPDFSamples() []Sample {
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	from := "Accounts <accounts@northwind-traders.example.com>"
	body := text("Hello,\n\nyour statement for November is attached.\n\nRegards\nAccounts\n")
	letter := func(subject string, pdf []byte) mail {
		return mail{from: from, subject: subject, root: multipart("mixed", body, attach("application/pdf", "Statement-Nov.pdf", pdf))}
	}

	// The page strings: 2,200 spaces that take no room (word spacing
	// cancels a space's width), then the link, which the reader sees alone
	// on its line.
	spaces := strings.Repeat(" ", 2200)
	litURL, hexURL := "https://secure-micorsoft-login.com/owa/statement", "https://login.rnicrosoftonline.com/common/statement"
	add(Sample{Name: "pdf-padded-literal-link", Action: policy.Quarantine,
		About: "a PDF whose page shows a lookalike link at the end of one literal string of 2,200 spaces that take no room (negative word spacing)",
		Want:  []Want{w("heuristic", "lookalike-domain", "2")}},
		letter("November statement", paddedTextPDF(595, -2.502, "("+spaces+litURL+")")))
	add(Sample{Name: "pdf-padded-hex-link", Action: policy.Quarantine,
		About: "a PDF whose page shows a lookalike link at the end of one hex string of 2,200 spaces that take no room",
		Want:  []Want{w("heuristic", "lookalike-domain", "2")}},
		letter("November statement", paddedTextPDF(595, -2.502, "<"+hex.EncodeToString([]byte(spaces+hexURL))+">")))

	// A link whose /URI is Google's redirect with a parameter of 2,200
	// bytes before the target.
	padded := "https://www.google.com/url?sa=t&source=web&ved=" + strings.Repeat("2ahUKEwj", 275) + "&url=https%3A%2F%2Fwww.paypa1-secure.com%2Fsignin%2Fstatement"
	add(Sample{Name: "pdf-padded-uri-redirect", Action: policy.Quarantine,
		About: "a PDF whose one link is Google's redirect with a 2,200-byte parameter before its target, a lookalike of paypal.com",
		Want:  []Want{w("heuristic", "lookalike-domain", "2"), w("heuristic", "redirect-url", "2")}},
		letter("November statement", paddedLinkPDF(padded)))

	// A script opening a link after 2,400 bytes of comments.
	script := strings.Repeat("// Statement viewer, build 2026.11\n", 70) + "app.launchURL(\"" + litURL + "\", true);"
	add(Sample{Name: "pdf-padded-js-link", Action: policy.Quarantine,
		About: "a PDF whose open action is a script that launches a lookalike link after 2,400 bytes of comments",
		Want:  []Want{w("heuristic", "lookalike-domain", "2"), w("heuristic", "pdf-javascript", "2")}},
		letter("November statement", paddedScriptPDF(script)))

	// Honest twins: as long, linking to the sender's own portal.
	portal := "https://portal.northwind-traders.example.com/statements/11"
	terms := strings.Repeat("Payments received after the statement date appear on the next statement. ", 30) + "View it online at "
	add(ok("pdf-twin-padded-literal-link", "a statement printed on one wide page: one literal string of 2,200 bytes of terms ending in a link to the sender's own portal"),
		letter("November statement", paddedTextPDF(14400, 0, "("+terms+portal+")")))
	add(ok("pdf-twin-padded-hex-link", "the same statement with the line as one hex string"),
		letter("November statement", paddedTextPDF(14400, 0, "<"+hex.EncodeToString([]byte(terms+portal))+">")))
	add(ok("pdf-twin-padded-uri", "a PDF whose one link goes to the sender's own sign-in with a 2,200-byte state parameter and a redirect back to its portal"),
		letter("November statement", paddedLinkPDF("https://portal.northwind-traders.example.com/sso?state="+strings.Repeat("eyJzIjoi", 275)+
			"&redirect_uri=https%3A%2F%2Fportal.northwind-traders.example.com%2Fstatements%2F11")))
	// A script is tagged (pdf-javascript) wherever it links: this twin
	// must get that and nothing more.
	honest := strings.Repeat("// Statement viewer, build 2026.11\n", 70) + "app.launchURL(\"" + portal + "\", true);"
	add(Sample{Name: "pdf-twin-padded-js", Action: policy.Tag,
		About: "a PDF whose open action is a script that opens the sender's own portal after 2,400 bytes of comments: tagged for its script only",
		Want:  []Want{w("heuristic", "pdf-javascript", "2")}},
		letter("November statement", paddedScriptPDF(honest)))
	return out
}

// paddedTextPDF is a one-page statement width units wide whose second
// line is str (a literal or hex string as written in the content stream),
// shown in Helvetica 9 with word spacing tw (-2.502 takes a space's whole
// width: 0.278 em). A PDF page may be 14,400 units wide, where 2 KB of
// words fit on one line.
func paddedTextPDF(width int, tw float64, str string) []byte {
	return formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 "+strconv.Itoa(width)+" 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		formats.PDFFlate("", []byte("BT /F1 16 Tf 40 780 Td (Northwind Traders: your November statement) Tj ET\n"+
			"BT /F1 9 Tf "+strconv.FormatFloat(tw, 'f', -1, 64)+" Tw 40 740 Td "+str+" Tj ET\n")),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
}

// paddedLinkPDF is a one-page statement whose "View statement" line is a
// link to uri (written as a literal string).
func paddedLinkPDF(uri string) []byte {
	return formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [6 0 R] >>",
		formats.PDFFlate("", []byte("BT /F1 16 Tf 40 780 Td (Northwind Traders: your November statement) Tj ET\n"+
			"BT /F1 12 Tf 40 740 Td (View statement) Tj ET\n")),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /Annot /Subtype /Link /Rect [36 734 160 756] /Border [0 0 0] /A << /S /URI /URI ("+uri+") >> >>")
}

// paddedScriptPDF is a one-page statement whose open action runs script
// (a literal string; its parentheses escaped here).
func paddedScriptPDF(script string) []byte {
	js := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(script)
	return formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS ("+js+") >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		formats.PDFFlate("", []byte("BT /F1 16 Tf 40 780 Td (Northwind Traders: your November statement) Tj ET\n")),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
}
