package urls

import (
	"slices"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

// TestLinkLocations: links wherever a reader can click them, each with its
// location.
func TestLinkLocations(t *testing.T) {
	cases := []struct {
		name string
		p    *message.Part
		want []string // host/location that must be among the results
	}{
		{"svg xlink:href and href", &message.Part{Path: "2", Filename: "a.svg", Content: []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="https://svg-xlink.example/x"><text>Open</text></a><a href="https://svg-href.example/y"><rect/></a></svg>`)},
			[]string{"svg-xlink.example/href", "svg-href.example/href"}},
		{"ics properties, folded and escaped", &message.Part{Path: "2", Filename: "invite.ics", Content: []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nURL:https://ics-fo\r\n lded.example/meet\r\nDESCRIPTION:Join at https://ics-desc.example/j/1\\nor www.ics-www.example/x\r\nLOCATION:https://ics-loc.example/\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")},
			[]string{"ics-folded.example/calendar", "ics-desc.example/calendar", "www.ics-www.example/calendar", "ics-loc.example/calendar"}},
		{"ics by content", &message.Part{Path: "2", Content: []byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nURL:https://by-content.example/\nEND:VEVENT\nEND:VCALENDAR\n")},
			[]string{"by-content.example/calendar"}},
		{"Word HYPERLINK field split over runs", &message.Part{Path: "2/x.docx/word/document.xml", Content: []byte(`<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://spl</w:instrText></w:r><w:r><w:instrText>it.example/a" </w:instrText></w:r><w:r><w:instrText> HYPERLINK \l "bookmark" </w:instrText></w:r></w:p></w:body></w:document>`)},
			[]string{"split.example/office"}},
		{"PDF link annotation with hex-escaped name and hex string", &message.Part{Path: "2", Content: []byte("%PDF-1.4\n1 0 obj << /Type /Annot /Subtype /Link /A << /S /URI /#55#52#49 <68747470733a2f2f7064662d6865782e6578616d706c652f> >> >> endobj\n")},
			[]string{"pdf-hex.example/pdf"}},
		{"www. without a scheme", &message.Part{Path: "1", Content: []byte("visit www.plain-www.example/offer today")},
			[]string{"www.plain-www.example/text"}},
	}
	for _, c := range cases {
		var got []string
		for _, u := range Extract(c.p) {
			got = append(got, u.Host+"/"+u.Source)
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: %s missing from %q", c.name, w, got)
			}
		}
		if slices.Contains(got, "/office") {
			t.Errorf("%s: a bookmark taken for a link: %q", c.name, got)
		}
	}
}
