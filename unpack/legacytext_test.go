package unpack

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/soffice"
)

// words is s's words joined by one space: the texts compared below differ
// in how they break lines.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestLegacyTextOfOurWriters(t *testing.T) {
	wd, table := formats.WordStreams("Norton 360\rRenewed: $499.99 \x13 HYPERLINK \"https://x.test/\" \x14our site\x15, call\t1-808-555-0199\x07Grüße\r")
	if got, want := WordText(wd, nil, table, 1000), "Norton 360\nRenewed: $499.99 our site, call 1-808-555-0199\nGrüße\n"; got != want {
		t.Errorf("WordText = %q, want %q", got, want)
	}
	if got := WordText(wd, table, nil, 1000); got != "" {
		t.Errorf("WordText read the table stream the FIB does not name: %q", got)
	}
	if got := WordText(wd, nil, table, 10); len(got) > 11 || !strings.HasPrefix(got, "Norton 360") {
		t.Errorf("WordText past its limit: %q", got)
	}

	// Shared strings cut every 16 bytes: strings and characters go on in
	// CONTINUE records, wide ones after a new flags byte.
	strs := []string{"Microsoft 365 Family", "Продление: 299,99 €", "To cancel call 1-808-555-0199"}
	ws := formats.WorkbookStream(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}}, Strings: strs, SSTChunk: 16})
	if strings.Count(string(ws), "\x3c\x00") < 3 {
		t.Fatal("the SST was not cut into CONTINUE records")
	}
	if got, want := XLSText(ws, 1000), strings.Join(strs, "\n")+"\n"; got != want {
		t.Errorf("XLSText = %q, want %q", got, want)
	}

	// A string formula's cached result (FORMULA, then STRING) and an
	// inline string (LABEL), as Excel 5 wrote them.
	rec := func(id uint16, data string) string {
		return string([]byte{byte(id), byte(id >> 8), byte(len(data)), 0}) + data
	}
	wb := rec(0x0006, strings.Repeat("\x00", 22)) + rec(0x0207, "\x06\x00\x00PayPal") + rec(0x0204, "\x01\x00\x00\x00\x0f\x00\x04\x00\x01N\x00o\x00r\x00t\x00")
	if got, want := XLSText([]byte(wb), 1000), "PayPal\nNort\n"; got != want {
		t.Errorf("XLSText = %q, want %q", got, want)
	}

	ppt := formats.PPTWith(formats.PPTOptions{Text: []string{"PayPal", "Charged $749.00\rTo cancel call 1-808-555-0199"}})
	m := mail("deck", "see attached", "deck.ppt", ppt)
	expand(t, m, Options{})
	p := mustPart(t, m, "2/deck.ppt/PowerPoint Document")
	if got, want := PPTText(p.Content, 1000), "PayPal\nCharged $749.00\nTo cancel call 1-808-555-0199\n"; got != want {
		t.Errorf("PPTText = %q, want %q", got, want)
	}
}

// TestLegacyTextWrittenByLibreOffice has LibreOffice write a text, a
// workbook and a presentation in the 97-2003 formats and holds the readers
// to what they show: a .doc's text to LibreOffice's own text export of it,
// a workbook's and a presentation's to the strings written, masters'
// prompts left out.
func TestLegacyTextWrittenByLibreOffice(t *testing.T) {
	long := strings.Repeat("Ж1 ", 3000) // a wide shared string past one record
	cell := func(v string) string {
		return `<table:table-row><table:table-cell office:value-type="string"><text:p>` + v + `</text:p></table:table-cell></table:table-row>`
	}
	frame := func(y int, ps string) string {
		return fmt.Sprintf(`<draw:frame svg:x="1cm" svg:y="%dcm" svg:width="20cm" svg:height="3cm"><draw:text-box>%s</draw:text-box></draw:frame>`, y, ps)
	}
	conv := func(format, name, flat string) map[string][]byte {
		out, err := soffice.ConvertFiles(t.TempDir(), format, map[string][]byte{name: []byte(flat)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	text := soffice.Flat("text", `<office:body><office:text>`+
		`<text:h text:outline-level="1">Nor<text:span>ton</text:span> 360 Deluxe</text:h>`+
		`<text:p>Renewed: $499.99, see <text:a xlink:type="simple" xlink:href="https://www.example.com/">our site</text:a>, page <text:page-number text:select-page="current">1</text:page-number>.</text:p>`+
		`<table:table table:name="T"><table:table-column table:number-columns-repeated="2"/><table:table-row><table:table-cell><text:p>Amount</text:p></table:table-cell><table:table-cell><text:p>€ 12,00</text:p></table:table-cell></table:table-row></table:table>`+
		`<text:p>Grüße, Привет, 日本語<text:tab/>call 1-808-555-0199</text:p></office:text></office:body>`)
	book := soffice.Flat("spreadsheet", `<office:body><office:spreadsheet><table:table table:name="Sheet1">`+
		cell("Microsoft 365 Family")+cell(long)+cell("Not you? Call 1-808-555-0199 ünï")+`</table:table></office:spreadsheet></office:body>`)
	deck := soffice.Flat("presentation", `<office:body><office:presentation><draw:page draw:name="page1">`+
		frame(1, `<text:p>PayPal Invoice</text:p>`)+frame(5, `<text:p>Charged $749.00.</text:p><text:p>Not you? Call 1-808-555-0199 tëst</text:p>`)+
		`</draw:page></office:presentation></office:body>`)
	docFile := conv("doc", "text.fodt", text)["text.fodt"]
	// LibreOffice's text of the .doc it wrote.
	loText := conv("txt:Text (encoded):UTF8", "text.doc", string(docFile))["text.doc"]
	streams := func(name string, b []byte) map[string][]byte {
		m := mail("doc", "see attached", name, b)
		expand(t, m, Options{})
		out := map[string][]byte{}
		for _, p := range m.Parts {
			if k := strings.TrimPrefix(p.Path, "2/"+name+"/"); k != p.Path {
				out[k] = p.Content
			}
		}
		return out
	}
	doc := streams("text.doc", docFile)
	got := WordText(doc["WordDocument"], doc["0Table"], doc["1Table"], 64<<10)
	if words(got) != words(strings.TrimPrefix(string(loText), "\ufeff")) {
		t.Errorf("WordText of LibreOffice's .doc:\n%q\nLibreOffice's text of it:\n%q", got, loText)
	}
	xls := streams("book.xls", conv("xls", "book.fods", book)["book.fods"])
	want := "Microsoft 365 Family\n" + long + "\nNot you? Call 1-808-555-0199 ünï\n"
	if got := XLSText(xls["Workbook"], 64<<10); words(got) != words(want) {
		t.Errorf("XLSText of LibreOffice's .xls:\n%.300q...%.300q\nwant the strings written:\n%.300q...%.300q", got, got[max(0, len(got)-300):], want, want[len(want)-300:])
	}
	ppt := streams("deck.ppt", conv("ppt", "deck.fodp", deck)["deck.fodp"])
	got = PPTText(ppt["PowerPoint Document"], 64<<10)
	if !strings.Contains(got, "PayPal Invoice\n") || !strings.Contains(got, "Charged $749.00.\nNot you? Call 1-808-555-0199 tëst\n") ||
		strings.Contains(strings.ToLower(got), "click to") {
		t.Errorf("PPTText of LibreOffice's .ppt: %q", got)
	}
}

// FuzzLegacyText: the readers of Office 97-2003 text never panic on any
// stream, stay near their limit, read alike twice, and give valid UTF-8.
func FuzzLegacyText(f *testing.F) {
	wd, table := formats.WordStreams("Norton\r\x13 QUOTE x \x14y\x15\r")
	f.Add(wd, table)
	f.Add(formats.WorkbookStream(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "S"}}, Strings: []string{"a", "Жb"}, SSTChunk: 9}), []byte(nil))
	ppt := formats.PPTEntries(formats.PPTOptions{Text: []string{"PayPal", "x\ry"}})
	for _, e := range ppt {
		if e.Name == "PowerPoint Document" {
			f.Add(e.Data, []byte(nil))
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		const limit = 300
		for name, read := range map[string]func() string{
			"WordText": func() string { return WordText(a, b, b, limit) },
			"XLSText":  func() string { return XLSText(a, limit) },
			"PPTText":  func() string { return PPTText(a, limit) },
		} {
			s := read()
			if len(s) > limit+8 || !utf8.ValidString(s) || read() != s {
				t.Fatalf("%s: %d bytes, valid %v, or not the same twice: %q", name, len(s), utf8.ValidString(s), s)
			}
		}
	})
}

func TestLegacyTextCutsWholeCharacters(t *testing.T) {
	ws := formats.WorkbookStream(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "S"}}, Strings: []string{"ЖЖЖЖЖЖ"}})
	for limit := range 12 {
		if s := XLSText(ws, limit); !utf8.ValidString(s) {
			t.Errorf("XLSText(limit %d) = %q", limit, s)
		}
	}
	ppt := formats.PPTEntries(formats.PPTOptions{Text: []string{"ЖЖЖЖЖЖ"}})
	for _, e := range ppt {
		for limit := range 12 {
			if s := PPTText(e.Data, limit); e.Name == "PowerPoint Document" && !utf8.ValidString(s) {
				t.Errorf("PPTText(limit %d) = %q", limit, s)
			}
		}
	}
}
