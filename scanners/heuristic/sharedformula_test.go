package heuristic

import (
	"archive/zip"
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/soffice"
)

func TestShiftFormula(t *testing.T) {
	for _, c := range []struct {
		f      string
		dr, dc int
		want   string
	}{
		{`"https://x.test/?q="&B1`, 2, 0, `"https://x.test/?q="&B3`},
		{`$A$1&B$1&$C2&D4`, 1, 1, `$A$1&C$1&$C3&E5`},
		{`"B1"&'B1 sheet'!B1&Sheet2!C3`, 1, 0, `"B1"&'B1 sheet'!B2&Sheet2!C4`},
		{`LOG10(A1)+_xlfn.WEBSERVICE(Z1)`, 0, 1, `LOG10(B1)+_xlfn.WEBSERVICE(AA1)`},
		{`A1-1E5+XFD1`, 0, 1, `B1-1E5+#REF!`},
		{`SUM(A1:B2)&TRUE`, 3, 0, `SUM(A4:B5)&TRUE`},
		{`A2`, -2, 0, `#REF!`},
		{`Table1[Col]&abc`, 1, 1, `Table1[Col]&abc`},
	} {
		if got := shiftFormula(c.f, c.dr, c.dc); got != c.want {
			t.Errorf("shiftFormula(%q, %d, %d) = %q, want %q", c.f, c.dr, c.dc, got, c.want)
		}
	}
}

// TestSharedFormulasAsLibreOfficeReadsThem holds xlsxCells' expansion of
// shared formulas to LibreOffice: each copy's formula, as LibreOffice
// saves it in a flat OpenDocument spreadsheet, refers to the cells the
// expansion refers to.
func TestSharedFormulasAsLibreOfficeReadsThem(t *testing.T) {
	sheet := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="B1" t="str"><f t="shared" ref="B1:B4" si="0">"p"&amp;A1&amp;$C$1&amp;D$1&amp;$E1&amp;F1&amp;"A1"</f><v>x</v></c>` +
		`<c r="G1" t="str"><f t="shared" ref="G1:I1" si="1">A1&amp;$A1&amp;C$1&amp;Z9</f><v>x</v></c><c r="H1" t="str"><f t="shared" si="1"/><v>x</v></c><c r="I1" t="str"><f t="shared" si="1"/><v>x</v></c></row>` +
		`<row r="2"><c r="B2" t="str"><f t="shared" si="0"/><v>x</v></c></row>` +
		`<row r="3"><c r="B3" t="str"><f t="shared" si="0"/><v>x</v></c></row>` +
		`<row r="4"><c r="B4" t="str"><f t="shared" si="0"/><v>x</v></c></row></sheetData></worksheet>`
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for _, f := range [][2]string{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", sheet},
	} {
		w, _ := zw.Create(f[0])
		w.Write([]byte(f[1]))
	}
	zw.Close()
	out, err := soffice.ConvertFiles(t.TempDir(), "fods", map[string][]byte{"shared.xlsx": zb.Bytes()})
	if err != nil {
		t.Fatalf("LibreOffice: %v", err)
	}
	// LibreOffice's formulas in order of the cells (rows, then columns).
	lo := regexp.MustCompile(`table:formula="of:=([^"]*)"`).FindAllSubmatch(out["shared.xlsx"], -1)
	var ours []string
	for _, c := range xlsxCells([]byte(sheet), nil) {
		if strings.HasPrefix(c.value, "=") {
			ours = append(ours, c.value[1:])
		}
	}
	if len(lo) != len(ours) || len(ours) != 7 {
		t.Fatalf("LibreOffice saved %d formulas, xlsxCells read %d (want 7)", len(lo), len(ours))
	}
	// Excel's references written as OpenDocument's: A1 as [.A1].
	ref := regexp.MustCompile(`\$?[A-Z]{1,3}\$?[0-9]+|#REF!`)
	for i, f := range ours {
		var odf strings.Builder
		for k, part := range strings.Split(f, `"`) { // odd pieces are literals
			if k > 0 {
				odf.WriteByte('"')
			}
			if k%2 == 1 {
				odf.WriteString(part)
				continue
			}
			odf.WriteString(ref.ReplaceAllString(part, "[.$0]"))
		}
		if got, want := odf.String(), html.UnescapeString(string(lo[i][1])); got != want {
			t.Errorf("formula %d: xlsxCells reads %q (%q), LibreOffice %q", i, f, got, want)
		}
	}
}
