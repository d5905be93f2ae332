package unpack

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kensa-milter/kensa/internal/soffice"
)

// TestPPTActionsWrittenByLibreOffice reads the action settings of a .ppt
// LibreOffice wrote: a shape whose click runs a program (ODF's
// presentation:action="execute", which LibreOffice writes as an
// InteractiveInfoAtom with II_RunProgramAction and the program in the
// MacroNameAtom) is read; a hyperlink to a web page and a jump to the next
// slide are not actions that run anything.
func TestPPTActionsWrittenByLibreOffice(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "deck.fodp")
	shape := func(y, events string) string {
		return `<draw:rect svg:x="2cm" svg:y="` + y + `" svg:width="10cm" svg:height="2cm"><office:event-listeners>` + events + `</office:event-listeners><text:p>Shape</text:p></draw:rect>`
	}
	fodp := `<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dom="http://www.w3.org/2001/xml-events" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.presentation">` +
		`<office:master-styles><style:master-page style:name="Default"/></office:master-styles><office:body><office:presentation>` +
		`<draw:page draw:name="page1" draw:master-page-name="Default">` +
		shape("2cm", `<presentation:event-listener script:event-name="dom:click" presentation:action="execute" xlink:href="file:///C:/Windows/System32/calc.exe" xlink:type="simple" xlink:show="embed" xlink:actuate="onRequest"/>`) +
		shape("5cm", `<presentation:event-listener script:event-name="dom:click" presentation:action="show" xlink:href="https://www.example.com/" xlink:type="simple" xlink:show="embed" xlink:actuate="onRequest"/>`) +
		shape("8cm", `<presentation:event-listener script:event-name="dom:click" presentation:action="next-page"/>`) +
		`</draw:page></office:presentation></office:body></office:document>`
	if err := os.WriteFile(src, []byte(fodp), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := soffice.Convert(dir, "ppt", src); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	ppt, err := os.ReadFile(filepath.Join(dir, "deck.ppt"))
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := pptStreams(t, ppt)
	got := PPTActions(doc)
	want := []PPTAction{{Action: 2, Name: "/C:/Windows/System32/calc.exe"}} // as LibreOffice writes the path
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PPTActions = %+v, want %+v", got, want)
	}
}
