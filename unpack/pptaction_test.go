package unpack

import (
	"reflect"
	"testing"
)

// TestPPTActionsWrittenByLibreOffice reads the action settings of a .ppt
// LibreOffice wrote: a shape whose click runs a program (ODF's
// presentation:action="execute", which LibreOffice writes as an
// InteractiveInfoAtom with II_RunProgramAction and the program in the
// MacroNameAtom) is read; a hyperlink to a web page and a jump to the next
// slide are not actions that run anything.
func TestPPTActionsWrittenByLibreOffice(t *testing.T) {
	shape := func(y, events string) string {
		return `<draw:rect svg:x="2cm" svg:y="` + y + `" svg:width="10cm" svg:height="2cm"><office:event-listeners>` + events + `</office:event-listeners><text:p>Shape</text:p></draw:rect>`
	}
	ppt := libreOfficePPT(t, shape("2cm", `<presentation:event-listener script:event-name="dom:click" presentation:action="execute" xlink:href="file:///C:/Windows/System32/calc.exe" xlink:type="simple" xlink:show="embed" xlink:actuate="onRequest"/>`)+
		shape("5cm", `<presentation:event-listener script:event-name="dom:click" presentation:action="show" xlink:href="https://www.example.com/" xlink:type="simple" xlink:show="embed" xlink:actuate="onRequest"/>`)+
		shape("8cm", `<presentation:event-listener script:event-name="dom:click" presentation:action="next-page"/>`))
	doc, _ := pptStreams(t, ppt)
	got := PPTActions(doc)
	want := []PPTAction{{Action: 2, Name: "/C:/Windows/System32/calc.exe"}} // as LibreOffice writes the path
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PPTActions = %+v, want %+v", got, want)
	}
}
