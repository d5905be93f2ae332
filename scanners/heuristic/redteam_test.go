package heuristic

import (
	"strings"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// redTeamCases are TestChecks samples of the red team's tricks, each
// beside the honest twin that must stay clean.
func redTeamCases() map[string][]sample {
	return map[string][]sample{
		"pdf-javascript": xfaCases(),
		"svg-link":       svgAnimSamples(),
	}
}

// svgAnimSamples are svgAnimCases as svg-link's samples, sent from the
// site the markup's href names.
func svgAnimSamples() []sample {
	var out []sample
	for _, c := range svgAnimCases() {
		if c.page {
			continue
		}
		want := ""
		if c.link {
			want = "2"
		}
		out = append(out, sample{"animated: " + c.name, sentBy("billing@"+svgAnimDecoy, attach(part("2", []byte(c.svg), named("Document.svg"), declared("image/svg+xml")))), want})
	}
	return out
}

// xfaTemplate is an XFA form's template packet holding more.
func xfaTemplate(more string) string {
	return `<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1"><field name="Name"><ui><textEdit/></ui></field>` + more + `</subform></template>`
}

// xfaPDF is a one-page PDF whose AcroForm's /XFA stream is xml, written
// as it is.
func xfaPDF(xml string) []byte {
	return formats.PDF("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
		formats.PDFStream("", []byte(xml)))
}

func xfaCases() []sample {
	docReady := `<event activity="docReady" ref="$host"><script contentType="application/x-javascript">app.launchURL("https://portal.example.net/v", true);</script></event>`
	return []sample{
		{"XFA docReady JavaScript", attach(part("2", xfaPDF(xfaTemplate(docReady)), named("a.pdf"))), "2"},
		{"XFA FormCalc, the default language", attach(part("2", xfaPDF(xfaTemplate(`<event activity="initialize"><script>$.rawValue = Get("https://c.example.net/p")</script></event>`)), named("a.pdf"))), "2"},
		{"XFA script with a namespace prefix", attach(part("2", xfaPDF(xfaTemplate(`<x:event activity="initialize"><x:script contentType="application/x-javascript">xfa.host.gotoURL("https://c.example.net/")</x:script></x:event>`)), named("a.pdf"))), "2"},
		{"XFA template compressed: in the joined streams",
			msg(part("2", pdfWith("/Type /Catalog /AcroForm << /XFA 2 0 R >>"), named("x.pdf"), container()), text("2/x.pdf/streams", xfaTemplate(docReady), named("streams"))), "2"},
		{"the /XFA name in an object stream too",
			msg(part("2", pdfWith("/Type /ObjStm"), named("x.pdf"), container()), text("2/x.pdf/streams", "<< /AcroForm << /X#46A 9 0 R >> >>\n"+xfaTemplate(docReady), named("streams"))), "2"},
		// XML in UTF-16, either byte order, as XML readers take it from
		// its byte order mark.
		{"XFA template in UTF-16LE", attach(part("2", xfaPDF(inUTF16("\ufeff"+xfaTemplate(docReady), false)), named("a.pdf"))), "2"},
		{"XFA template in UTF-16BE, in the joined streams",
			msg(part("2", pdfWith("/Type /Catalog /AcroForm << /XFA 2 0 R >>"), named("x.pdf"), container()), text("2/x.pdf/streams", "x"+inUTF16("\ufeff"+xfaTemplate(docReady), true), named("streams"))), "2"},
		{"XFA form with fields only, in UTF-16LE", attach(part("2", xfaPDF(inUTF16("\ufeff"+xfaTemplate(`<field name="Total"><ui><numericEdit/></ui></field>`), false)), named("a.pdf"))), ""},
		// Honest twins: an XFA form without scripts (fields and layout), an
		// empty script element, a script attribute, and a <script> in a PDF
		// that is no XFA form (its text, an embedded page).
		{"XFA form with fields only", attach(part("2", xfaPDF(xfaTemplate(`<field name="Total"><ui><numericEdit/></ui></field>`)), named("a.pdf"))), ""},
		{"XFA empty script elements", attach(part("2", xfaPDF(xfaTemplate(`<event activity="click"><script contentType="application/x-javascript"/></event><calculate><script>  </script></calculate>`)), named("a.pdf"))), ""},
		{"XFA attribute named script", attach(part("2", xfaPDF(xfaTemplate(`<field name="x" scriptTest="error"><ui><textEdit/></ui></field><!-- no scripts -->`)), named("a.pdf"))), ""},
		{"no /XFA: a script element in a stream", attach(part("2", pdfWith("/Length 60 >>\nstream\n<html><script>alert(1)</script></html> xfa-template\nendstream"), named("a.pdf"))), ""},
	}
}

// The hosts of the animated-link pictures: where the markup's href points
// (the sender's own site) and where the animation sends the reader.
const (
	svgAnimDecoy  = "www.vendor.example"
	svgAnimTarget = "landing.example.net"
)

type svgAnimCase struct {
	name, svg string
	goes      string // the host Chromium goes to when the picture is clicked
	link      bool   // svg-link must fire
	page      bool   // an HTML page, not a picture: urls must read the link Chromium follows
}

// prefixed writes every element of markup with the namespace prefix p.
func prefixed(p, markup string) string {
	return strings.NewReplacer("</", "</"+p+":", "<", "<"+p+":").Replace(markup)
}

// svgAnimCases are pictures whose link an animation re-points, and the
// honest twins, each a 400x200 button drawn over its whole area.
func svgAnimCases() []svgAnimCase {
	const button = `<rect x="0" y="0" width="400" height="200" fill="#0078d4"/><text x="120" y="110" fill="#fff" font-size="24">View document</text>`
	svg := func(inner string) string {
		return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="200" viewBox="0 0 400 200">` + inner + `</svg>`
	}
	const svgRoot = `<svg:svg xmlns:svg="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="200">`
	to := "https://" + svgAnimTarget + "/d/1"
	own := "https://" + svgAnimDecoy + "/"
	return []svgAnimCase{
		{"set href", svg(`<a href="` + own + `"><set attributeName="href" to="` + to + `"/>` + button + `</a>`), svgAnimTarget, true, false},
		{"set xlink:href", svg(`<a xlink:href="` + own + `"><set attributeName="xlink:href" to="` + to + `"/>` + button + `</a>`), svgAnimTarget, true, false},
		{"animate values, frozen", svg(`<a href="` + own + `"><animate attributeName="href" values="` + to + `" dur="1s" fill="freeze"/>` + button + `</a>`), svgAnimTarget, true, false},
		{"a link with no href of its own", svg(`<a><set attributeName="href" to="` + to + `"/>` + button + `</a>`), svgAnimTarget, true, false},
		{"set naming the link by id", svg(`<a id="b" href="` + own + `">` + button + `</a><set href="#b" attributeName="href" to="` + to + `"/>`), svgAnimTarget, true, false},
		{"set after a delay", svg(`<a href="` + own + `"><set attributeName="href" to="` + to + `" begin="0.3s"/>` + button + `</a>`), svgAnimTarget, true, false},
		// An SVG file is XML: any prefix bound to SVG's namespace makes an
		// element SVG's, any prefix bound to XLink's makes href XLink's.
		{"prefixed svg:a", svgRoot + prefixed("svg", `<a xlink:href="`+to+`">`+button+`</a></svg>`), svgAnimTarget, true, false},
		{"xl:href", `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xl="http://www.w3.org/1999/xlink" width="400" height="200"><a xl:href="` + to + `">` + button + `</a></svg>`, svgAnimTarget, true, false},
		{"prefixed set of l:href", `<s:svg xmlns:s="http://www.w3.org/2000/svg" xmlns:l="http://www.w3.org/1999/xlink" width="400" height="200"><s:a l:href="` + own + `"><s:set attributeName="l:href" to="` + to + `"/>` + prefixed("s", button) + `</s:a></s:svg>`, svgAnimTarget, true, false},
		{"prefixed, own link", svgRoot + prefixed("svg", `<a xlink:href="`+own+`">`+button+`</a></svg>`), svgAnimDecoy, false, false},
		// A page's relative link goes where its <base href> says.
		{"relative link under base href", `<html><head><base href="https://` + svgAnimTarget + `/app/"></head><body style="margin:0"><a href="keep" style="display:block;width:400px;height:200px;background:#0078d4">Keep</a></body></html>`, svgAnimTarget, false, true},
		// Honest: a logo linking to its own site that pulses.
		{"own link, opacity animated", svg(`<a href="` + own + `">` + button + `<animate attributeName="opacity" values="1;0.5;1" dur="2s" repeatCount="indefinite"/></a>`), svgAnimDecoy, false, false},
	}
}

// inUTF16 is s in UTF-16, big-endian or little-endian.
func inUTF16(s string, bigEndian bool) string {
	b := []byte(cryptkeys.UTF16LE(s))
	if bigEndian {
		for i := 0; i+1 < len(b); i += 2 {
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	return string(b)
}
