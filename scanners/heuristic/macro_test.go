package heuristic

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// listing is an XLM listing as unpack writes it for a BIFF8 macro sheet.
func listing(auto bool, lines ...string) string {
	s := unpack.XLMHeader + `"Macro1" (very hidden)` + "\n"
	if auto {
		s += unpack.XLMAutoRun + `"Auto_Open" (built-in) -> R1C1` + "\n"
	}
	for _, l := range lines {
		s += l + "\n"
	}
	return s
}

func xlsMsg(listing string) *message.Message {
	return msg(part("2", []byte("\xD0\xCF\x11\xE0"), named("book.xls"), container()), text("2/book.xls/xlm/Macro1", listing))
}

// xlsm is a macro-enabled workbook's macro sheet XML and workbook part.
func xlsm(sheetPath, sheet, workbook string) *message.Message {
	return msg(part("2", zipBytes, named("book.xlsm"), container()),
		text("2/book.xlsm/xl/workbook.xml", workbook), text("2/book.xlsm/"+sheetPath, sheet))
}

const autoWorkbook = `<?xml version="1.0"?><workbook><definedNames><definedName name="_xlnm.Auto_Open" hidden="1">Macro1!$A$1</definedName></definedNames></workbook>`

func macroCases() map[string][]sample {
	execSheet := `<?xml version="1.0"?><xm:macrosheet xmlns:xm="x"><sheetData><row><c r="A1"><f>EXEC(&quot;cmd /c notepad&quot;)</f></c></row></sheetData></xm:macrosheet>`
	charSheet := `<?xml version="1.0"?><macrosheet><sheetData><row><c><f>FORMULA(CHAR(61)&amp;CHAR(69),A2)</f></c></row></sheetData></macrosheet>`
	plainSheet := `<?xml version="1.0"?><macrosheet><sheetData><row><c><f>SUM(A1:A3)</f></c></row></sheetData></macrosheet>`
	return map[string][]sample{
		"xlm-autorun-exec": {
			{"BIFF8 listing", xlsMsg(listing(true, `R1C1: =EXEC("cmd /c notepad")`)), "2/book.xls/xlm/Macro1"},
			{"BIFF8 REGISTER", xlsMsg(listing(true, `R1C1: =REGISTER("URLMON","URLDownloadToFileA","JJCCJJ")`)), "2/book.xls/xlm/Macro1"},
			{"BIFF8 FORMULA with CHAR", xlsMsg(listing(true, unpack.XLMCharObf, `R1C1: =FORMULA("=EX"&R2C1,R3C1)`)), "2/book.xls/xlm/Macro1"},
			{"xlsm", xlsm("xl/macrosheets/sheet1.xml", execSheet, autoWorkbook), "2/book.xlsm/xl/macrosheets/sheet1.xml"},
			{"xlsm sheet filed elsewhere", xlsm("xl/sheets/sheet2.xml", execSheet, autoWorkbook), "2/book.xlsm/xl/sheets/sheet2.xml"},
			{"xlsm intl, CHAR", xlsm("xl/intlMacrosheets/sheet1.xml", charSheet, `<workbook><definedName name='aUtO_oPeN77'>x</definedName></workbook>`), "2/book.xlsm/xl/intlMacrosheets/sheet1.xml"},
			{"xlsb", xlsm("xl/macrosheets/sheet1.bin", "\x00E\x00X\x00E\x00C\x00(\x00", ""), ""},
			{"SYLK", attach(text("2", sylkDropper, named("data.slk"))), "2"},
			{"SYLK named csv", attach(text("2", sylkDropper, named("report.csv"))), "2"},
			{"SYLK name only, no O;E", attach(text("2", "ID;P\r\nNN;Nauto_OPEN;ER1C1\r\nC;X1;Y1;K0;ECALL(\"Kernel32\",\"WinExec\",\"JCJ\",\"notepad\",0)\r\nE\r\n", named("data.slk"))), "2"},
			{"SYLK worksheet with EXEC text", attach(text("2", "ID;P\r\nC;X1;Y1;K\"=EXEC(1)\"\r\nC;X2;Y1;K1;ESUM(R1C1)\r\nE\r\n", named("data.slk"))), ""},
			{"no auto", xlsMsg(listing(false, `R1C1: =EXEC("calc")`)), ""},
			{"listing text in a text part", attach(text("2", listing(true, `R1C1: =EXEC("calc")`), named("notes.txt"))), ""},
		},
		"xlm-autorun": {
			{"BIFF8 benign", xlsMsg(listing(true, `R1C1: =ALERT("Hello")`, `R2C1: =RETURN()`)), "2/book.xls/xlm/Macro1"},
			{"SYLK benign", attach(text("2", "ID;P\r\nO;E\r\nNN;NAuto_open;ER1C1\r\nC;X1;Y1;EALERT(\"Hello\")\r\nC;X1;Y2;EHALT()\r\nE\r\n", named("hello.slk"))), "2"},
			{"xlsm benign", xlsm("xl/macrosheets/sheet1.xml", plainSheet, autoWorkbook), "2/book.xlsm/xl/macrosheets/sheet1.xml"},
			{"FORMULA without CHAR", xlsMsg(listing(true, `R1C1: =FORMULA("Total",R2C1)`)), "2/book.xls/xlm/Macro1"},
			{"exec", xlsMsg(listing(true, `R1C1: =EXEC("calc")`)), ""},
		},
		"xlm-exec": {
			{"BIFF8 CALL", xlsMsg(listing(false, `R1C1: =CALL("Kernel32","WinExec","JCJ","calc",0)`)), "2/book.xls/xlm/Macro1"},
			{"xlsb listing", msg(part("2", zipBytes, named("book.xlsb"), container()), text("2/book.xlsb/xlm/Macro1", listing(false, `R1C1: =CALL("Kernel32","WinExec","JCJ","calc",0)`))), "2/book.xlsb/xlm/Macro1"},
			{"raw xlsb sheet: unpack lists it", xlsm("xl/macrosheets/sheet1.bin", "\x00\x00U\x00R\x00L\x00D\x00o\x00w\x00n\x00l\x00o\x00a\x00d\x00T\x00o\x00F\x00i\x00l\x00e\x00A\x00", ""), ""},
			{"benign", xlsMsg(listing(false, `R1C1: =SUM(R2C1:R9C1)`)), ""},
		},
		"vba-stomping": {
			{"p-code member", msg(part("2", zipBytes, named("x.docm"), container()), text("2/x.docm/word/vbaProject.bin/vba-pcode/Module1", unpack.VBAStompedHeader+"cmd.exe /c calc\n")), "2/x.docm/word/vbaProject.bin/vba-pcode/Module1"},
			{"source module", vba("2/x.docm/word/vbaProject.bin/vba/Module1", "Sub A()\r\nEnd Sub\r\n"), ""},
		},
		"office-macro": {
			{"VBA", vba("2/x.docm/word/vbaProject.bin/vba/Module1", "Attribute VB_Name = \"Module1\"\r\nSub Hello()\r\nMsgBox 1\r\nEnd Sub\r\n"), "2/x.docm/word/vbaProject.bin/vba/Module1"},
			{"XLM", xlsMsg(listing(false, `R1C1: =SUM(R2C1:R9C1)`)), "2/book.xls/xlm/Macro1"},
			{"xlsm sheet", xlsm("xl/macrosheets/sheet1.xml", plainSheet, ""), "2/book.xlsm/xl/macrosheets/sheet1.xml"},
			{"worksheet XML", xlsm("xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet><sheetData><row><c><f>SUM(A1:A3)</f></c></row></sheetData></worksheet>`, ""), ""},
			{"docx", docxPart("word/document.xml", wordXML(`<w:r><w:t>Sub Hello() End Sub</w:t></w:r>`)), ""},
			{"VBA pasted in a mail", msg(text("1", "Try this:\r\nSub Hello()\r\n  MsgBox \"hi\"\r\nEnd Sub\r\n")), ""},
		},
	}
}

func TestVBAAutorunByNameAndEvents(t *testing.T) {
	cases := []struct {
		name, path, src, want string
	}{
		{"module AutoOpen runs Main", "2/x.docm/word/vbaProject.bin/vba/AutoOpen", "Sub Main()\r\nShell \"calc\"\r\nEnd Sub\r\n", "vba-autorun-exec"},
		{"module autoexec, Public Sub Main", "2/x.docm/word/vbaProject.bin/vba/autoexec", "Public Sub Main()\r\nMsgBox 1\r\nEnd Sub\r\n", "vba-autorun"},
		{"ActiveX GotFocus", "2/x.docm/word/vbaProject.bin/vba/ThisDocument", "Private Sub TextBox1_GotFocus()\r\nShell \"calc\"\r\nEnd Sub\r\n", "vba-autorun-exec"},
		{"form Initialize", "2/x.docm/word/vbaProject.bin/vba/UserForm1", "Private Sub UserForm_Initialize()\r\nx = 1\r\nEnd Sub\r\n", "vba-autorun"},
		{"Document_Close", "2/x.docm/word/vbaProject.bin/vba/ThisDocument", "Private Sub Document_Close()\r\nx = 1\r\nEnd Sub\r\n", "vba-autorun"},
		{"Main elsewhere", "2/x.docm/word/vbaProject.bin/vba/Module1", "Sub Main()\r\nShell \"calc\"\r\nEnd Sub\r\n", "vba-exec"},
	}
	s := newScanner(t)
	for _, c := range cases {
		fs := scan(t, s, vba(c.path, c.src))
		var ids []string
		for _, f := range fs {
			if strings.HasPrefix(f.ID, "vba-") {
				ids = append(ids, f.ID)
			}
		}
		if len(ids) != 1 || ids[0] != c.want {
			t.Errorf("%s: %v, want [%s]", c.name, ids, c.want)
		}
	}
}

func TestOfficeMacroOncePerMessage(t *testing.T) {
	m := msg(part("2", zipBytes, named("x.docm"), container()),
		text("2/x.docm/word/vbaProject.bin/vba/Module1", "Sub A()\r\nEnd Sub\r\n"),
		text("2/x.docm/word/vbaProject.bin/vba/Module2", "Sub B()\r\nEnd Sub\r\n"),
		text("3/book.xls/xlm/Macro1", listing(false, "R1C1: =RETURN()")))
	n := 0
	for _, f := range scan(t, newScanner(t), m) {
		if f.ID == "office-macro" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d office-macro findings, want 1", n)
	}
}

// sylkDropper is the Outflank SYLK macro sheet: O;E makes the file a macro
// sheet, NN names its first cell Auto_open, and that cell runs a program.
const sylkDropper = "ID;P\r\nO;E\r\nNN;NAuto_open;ER1C1\r\nC;X1;Y1;N;EEXEC(\"notepad.exe\")\r\nC;X1;Y2;N;EHALT()\r\nE\r\n"
