package formats

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/soffice"
)

// The Office writers checked against LibreOffice, an independent reader:
// what our BIFF8, BIFF12 and PowerPoint writers put in a file is what
// LibreOffice reads from it (formulas, their values, DDE links, built-in
// names, a presentation's slide), so Kensa's readers are tested on the
// layout Office-family software reads and writes, not on ours alone.

func writeAll(t *testing.T, dir string, files map[string][]byte) []string {
	t.Helper()
	var paths []string
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func readOut(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("LibreOffice wrote no %s: %v", name, err)
	}
	return string(b)
}

func TestLibreOfficeReadsOurWorkbooks(t *testing.T) {
	dir := t.TempDir()
	xls := XLS(XLSWorkbook{
		Sheets: []XLSSheet{{Name: "Sheet1", Formulas: []XLSFormula{
			{Rgce: Cat(PtgInt(1), PtgInt(2), PtgFuncVar(2, FtabSum, false))},
			{Row: 1, Rgce: PtgNameX(2, 1)}}},
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
	if out, err := soffice.Convert(dir, "fods", writeAll(t, dir, map[string][]byte{"book.xls": xls, "book12.xlsb": xlsb})...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for name, wants := range map[string][]string{
		"book.fods": {`<table:table table:name="Sheet1"`, `<table:table table:name="Macro1"`, `table:formula="of:=SUM(1;2)"`, `office:value="3"`,
			`table:formula="of:=DDE(&quot;cmd&quot;;&quot;/c calc&quot;;&quot;A0&quot;)"`,
			`table:name="Excel_BuiltIn_Auto_Open" table:base-cell-address="$Sheet1.$A$1" table:cell-range-address="$Macro1.A1"`},
		"book12.fods": {`<table:table table:name="Data"`, `<table:table table:name="Macro1"`, `table:formula="of:=SUM(1;2)"`, `office:value="3"`,
			`office:string-value="abcd"`, `table:formula="of:=[.A1]*10"`, `office:value="30"`, `table:name="_xlnm.Auto_Open"`,
			`table:formula="of:=DDE(&quot;cmd&quot;;&quot;/c calc&quot;;&quot;A0&quot;)"`},
	} {
		got := readOut(t, dir, name)
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %s", name, w)
			}
		}
	}
}

func TestLibreOfficeOpensOurPresentations(t *testing.T) {
	dir := t.TempDir()
	vba := VBAProject(VBAModule{Name: "Module1", Source: "Attribute VB_Name = \"Module1\"\r\nSub Hello()\r\nEnd Sub\r\n"})
	files := map[string][]byte{
		"plain.ppt": PPT(nil),
		"macro.ppt": PPT(vba, CFB([]CFBEntry{{Name: "Contents", Parent: -1, Data: []byte("object")}})),
		"gaps.ppt":  PPTWith(PPTOptions{VBA: vba, Gap: 37}),
	}
	if out, err := soffice.Convert(dir, "fodp", writeAll(t, dir, files)...); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for name := range files {
		got := readOut(t, dir, strings.TrimSuffix(name, ".ppt")+".fodp")
		if n := strings.Count(got, "<draw:page "); n != 1 {
			t.Errorf("%s: LibreOffice shows %d slides, want 1", name, n)
		}
	}
}
