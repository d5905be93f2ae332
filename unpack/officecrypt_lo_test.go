package unpack

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/soffice"
	"github.com/kensa-milter/kensa/message"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// Encrypted Office files checked against LibreOffice, an independent
// implementation of MS-OFFCRYPTO: LibreOffice opens what our writers encrypt
// (and refuses a wrong password), and Kensa opens what LibreOffice encrypts
// and finds the macro and DDE content inside. LibreOffice 7.4 writes
// Standard encryption for OOXML and legacy RC4 for .xls and .doc; it reads
// Agile, RC4 CryptoAPI and XOR obfuscation too. Not checked here, because LibreOffice 7.4
// cannot: it writes a .ppt unencrypted when given a password, it does not
// load our RC4 CryptoAPI .ppt (with the right password or without), and our
// .doc writer is too bare for it to load, encrypted or not.

// cellXlsx is an .xlsx whose A1 holds text, and vba (when not nil) as its
// VBA project (an .xlsm).
func cellXlsx(t testing.TB, text string, vba []byte) []byte {
	main, bin, binRel := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "", ""
	if vba != nil {
		main = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
		bin = `<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>`
		binRel = `<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>`
	}
	rel := "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	entries := []entry{
		{"[Content_Types].xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` + bin +
			`<Override PartName="/xl/workbook.xml" ContentType="` + main + `"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)},
		{"_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + rel + `"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/>` + binRel + `</Relationships>`)},
		{"xl/worksheets/sheet1.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>` + text + `</t></is></c></row></sheetData></worksheet>`)},
	}
	if vba != nil {
		entries = append(entries, entry{"xl/vbaProject.bin", vba})
	}
	return zipOf(t, entries...)
}

// sumXLS is an .xls whose A1 is =SUM(1200,800).
func sumXLS() f.XLSWorkbook {
	return f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Data", Formulas: []f.XLSFormula{{Rgce: f.Cat(f.PtgInt(1200), f.PtgInt(800), f.PtgFuncVar(2, f.FtabSum, false))}}}}}
}

func TestEncryptedOfficeLibreOffice(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const pw = "Lo-secret1"
	csv := "Text - txt - csv (StarCalc)"
	plain := cellXlsx(t, "kensa-cell", nil)
	// What our writers encrypt, for LibreOffice to open (name → the text
	// its CSV export must hold).
	ours := map[string]string{
		write("standard.xlsx", f.StandardEncryptedOOXML(plain, pw)):           "kensa-cell",
		write("agile.xlsx", f.AgileEncryptedOOXML(plain, pw, 100000)):         "kensa-cell",
		write("cryptoapi128.xls", f.EncryptedXLSCryptoAPI(sumXLS(), pw, 128)): "2000",
		// Not 40-bit RC4 CryptoAPI: LibreOffice 7.4 keys RC4 with 128 bits
		// of the hash whatever the header says, where MS-OFFCRYPTO 2.3.5.2
		// has 40 bits and 88 zero bits (as we write and read).
		write("rc4.xls", f.EncryptedXLS(sumXLS(), pw)):                "2000",
		write("xor.xls", f.XORObfuscatedXLS(sumXLS(), pw)):            "2000",
		write("xor-odd.xls", f.XORObfuscatedXLS(sumXLS(), "odd-pw7")): "2000",
	}
	ours[write("ours.odt", odtEncrypted(pw, "kensa-odt-marker"))] = "kensa-odt-marker"
	wrong := write("wrong.xlsx", f.AgileEncryptedOOXML(plain, "another-one", 100000))
	wrongODT := write("wrong.odt", odtEncrypted("another-one", "kensa-odt-marker"))
	var jobs []soffice.CryptJob
	for in := range ours {
		p := pw
		if strings.HasSuffix(in, "xor-odd.xls") {
			p = "odd-pw7" // the XOR array is built differently for odd lengths
		}
		filter := csv
		if strings.HasSuffix(in, ".odt") {
			filter = "Text"
		}
		jobs = append(jobs, soffice.CryptJob{Mode: "open", In: in, Password: p, Out: in + ".csv", Filter: filter})
	}
	jobs = append(jobs, soffice.CryptJob{Mode: "open", In: wrong, Password: pw, Out: wrong + ".csv", Filter: csv},
		soffice.CryptJob{Mode: "open", In: wrongODT, Password: pw, Out: wrongODT + ".txt", Filter: "Text"})

	// What LibreOffice encrypts, for Kensa to open: a macro workbook, a
	// workbook with a formula, a Word document with a DDEAUTO field.
	macroXlsm := write("macro.xlsm", cellXlsx(t, "kensa-cell", macroProject()))
	markXLS := write("mark.xls", f.XLS(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1", Formulas: []f.XLSFormula{{Rgce: f.PtgStr("kensa-xls-marker")}}}}}))
	ddeDocx := write("dde.docx", zipOf(t,
		entry{"[Content_Types].xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)},
		entry{"_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)},
		entry{"word/document.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Notice </w:t></w:r>` +
			`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DDEAUTO c:\\windows\\system32\\cmd.exe "/k notepad.exe" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>!</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:document>`)}))
	const pw2 = "Lo-secret2"
	made := []struct {
		in, out, filter, pw string
	}{
		{macroXlsm, "lo-macro.xlsm", "Calc MS Excel 2007 VBA XML", pw2},
		{macroXlsm, "lo-macro-velvet.xlsm", "Calc MS Excel 2007 VBA XML", DefaultOfficePassword},
		{markXLS, "lo-mark.xls", "MS Excel 97", pw2},
		{ddeDocx, "lo-dde.doc", "MS Word 97", pw2},
		{write("macro.odt", odtMacro()), "lo-macro.odt", "writer8", pw2},
	}
	for _, m := range made {
		jobs = append(jobs, soffice.CryptJob{Mode: "save", In: m.in, Password: m.pw, Out: filepath.Join(dir, m.out), Filter: m.filter})
	}
	out, _ := soffice.Crypt(dir, jobs...) // each job's outcome is read below
	for _, j := range jobs {
		line := strings.Join([]string{j.Mode, j.In, j.Password, j.Out, j.Filter}, "\t")
		okLine, failLine := strings.Contains(out, "ok "+line+"\n"), strings.Contains(out, "FAIL "+line+":")
		switch {
		case j.In == wrong || j.In == wrongODT:
			if !failLine {
				t.Errorf("LibreOffice opened %s with the wrong password:\n%s", filepath.Base(j.In), out)
			}
		case !okLine:
			t.Errorf("LibreOffice failed %s %s:\n%s", j.Mode, filepath.Base(j.In), out)
		case j.Mode == "open":
			b, err := os.ReadFile(j.Out)
			if err != nil || !strings.Contains(string(b), ours[j.In]) {
				t.Errorf("%s opened by LibreOffice reads %q, want %q (%v)", filepath.Base(j.In), b, ours[j.In], err)
			}
		}
	}

	kensa := func(name, body string) *message.Message {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("LibreOffice wrote no %s: %v", name, err)
		}
		if bytes.Contains(b, []byte("AutoOpen")) || bytes.Contains(b, []byte("notepad")) || bytes.Contains(b, []byte("kensa-xls-marker")) || bytes.Contains(b, cryptkeys.UTF16LE("notepad")) {
			t.Errorf("%s: LibreOffice left the content in clear", name)
		}
		m := mail("x", body, name, b)
		expand(t, m, Options{})
		if p := problem(m, ReasonEncryptedDoc); p != nil {
			t.Errorf("%s: %s", name, p.Detail)
		}
		return m
	}
	has := func(m *message.Message, name, suffix, text string) {
		t.Helper()
		for _, p := range m.Parts {
			if strings.HasSuffix(p.Path, suffix) && strings.Contains(string(p.Content), text) {
				return
			}
		}
		t.Errorf("%s: no member ending %q holds %q:\n%s", name, suffix, text, dump(m))
	}
	m := kensa("lo-macro.xlsm", "The password is Lo-secret2\n")
	has(m, "lo-macro.xlsm", "EncryptedPackage (decrypted)/xl/vbaProject.bin/vba/Module1", "Sub AutoOpen")
	if m.Parts[1].UnlockedBy != "body" {
		t.Errorf("lo-macro.xlsm UnlockedBy %q", m.Parts[1].UnlockedBy)
	}
	m = kensa("lo-macro-velvet.xlsm", "no password here")
	has(m, "lo-macro-velvet.xlsm", "EncryptedPackage (decrypted)/xl/vbaProject.bin/vba/Module1", "Sub AutoOpen")
	// And Kensa opens our XOR workbooks, which LibreOffice read above.
	for name, p := range map[string]string{"xor.xls": pw, "xor-odd.xls": "odd-pw7"} {
		m := kensa(name, "Password: "+p)
		has(m, name, "/Workbook (decrypted)", "Data")
	}
	m = kensa("lo-mark.xls", "Password: Lo-secret2")
	has(m, "lo-mark.xls", "/Workbook (decrypted)", "kensa-xls-marker")
	m = kensa("lo-dde.doc", "Password: Lo-secret2")
	has(m, "lo-dde.doc", "/decrypted/WordDocument", string(cryptkeys.UTF16LE("DDEAUTO")))
	// An OpenDocument text with a Basic macro run on load, as LibreOffice
	// encrypts it (AES-256-CBC, PBKDF2 with 100000 iterations).
	m = kensa("lo-macro.odt", "Das Kennwort lautet: Lo-secret2")
	has(m, "lo-macro.odt", "/Basic/Standard/Module1.xml", "Shell(")
	has(m, "lo-macro.odt", "/content.xml", "dom:load")
	if m.Parts[1].UnlockedBy != "body" {
		t.Errorf("lo-macro.odt UnlockedBy %q", m.Parts[1].UnlockedBy)
	}
}
