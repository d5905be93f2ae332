package heuristic

import "github.com/kensa-milter/kensa/internal/corpus/formats"

// redTeamCases are TestChecks samples of the red team's tricks, each
// beside the honest twin that must stay clean.
func redTeamCases() map[string][]sample {
	return map[string][]sample{
		"pdf-javascript": xfaCases(),
	}
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
		// Honest twins: an XFA form without scripts (fields and layout), an
		// empty script element, a script attribute, and a <script> in a PDF
		// that is no XFA form (its text, an embedded page).
		{"XFA form with fields only", attach(part("2", xfaPDF(xfaTemplate(`<field name="Total"><ui><numericEdit/></ui></field>`)), named("a.pdf"))), ""},
		{"XFA empty script elements", attach(part("2", xfaPDF(xfaTemplate(`<event activity="click"><script contentType="application/x-javascript"/></event><calculate><script>  </script></calculate>`)), named("a.pdf"))), ""},
		{"XFA attribute named script", attach(part("2", xfaPDF(xfaTemplate(`<field name="x" scriptTest="error"><ui><textEdit/></ui></field><!-- no scripts -->`)), named("a.pdf"))), ""},
		{"no /XFA: a script element in a stream", attach(part("2", pdfWith("/Length 60 >>\nstream\n<html><script>alert(1)</script></html> xfa-template\nendstream"), named("a.pdf"))), ""},
	}
}
