package unpack

import (
	"bytes"
	"encoding/base64"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

const mashupM = "section Section1;\r\nshared Rates = let\r\n    Source = Csv.Document(Web.Contents(\"http://203.0.113.7/rates.csv\"))\r\nin\r\n    Source;"

// workbookWith is an .xlsx zip holding item as customXml/item1.xml.
func workbookWith(item []byte) []byte {
	return formats.Zip(
		formats.ZipEntry{Name: "[Content_Types].xml", Data: []byte(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)},
		formats.ZipEntry{Name: "customXml/item1.xml", Data: item},
	)
}

// The M code of a workbook's Power Query is a member: the DataMashup (as
// Excel writes it, UTF-16, or in UTF-8 with a prefix and its base64 in
// lines) is decoded and its package parts opened as the zip they are.
func TestDataMashup(t *testing.T) {
	utf16 := formats.DataMashup(mashupM)
	utf8 := []byte(message.UTF16LE(utf16[2:]))
	enc := utf8[bytes.IndexByte(utf8[1:], '>')+2 : bytes.LastIndexByte(utf8, '<')]
	var lines []byte
	for len(enc) > 76 {
		lines, enc = append(append(lines, enc[:76]...), "\r\n"...), enc[76:]
	}
	lines = append(append(append(lines, "<!-- DataMashup -->"...), enc[:8]...), "<![CDATA["+string(enc[8:16])+"]]>"...)
	lines = append(lines, enc[16:]...)
	prefixed := bytes.Replace(utf8, utf8[bytes.IndexByte(utf8[1:], '>')+2:bytes.LastIndexByte(utf8, '<')], lines, 1)
	prefixed = bytes.ReplaceAll(bytes.ReplaceAll(prefixed, []byte("<DataMashup xmlns="), []byte("<dm:DataMashup xmlns:dm=")), []byte("</DataMashup>"), []byte("</dm:DataMashup>"))
	prefixed = append([]byte("\xEF\xBB\xBF<!-- <DataMashup>AAAA</DataMashup> -->"), prefixed...)
	for name, item := range map[string][]byte{"utf-16": utf16, "utf-8, prefixed, lines, comments, CDATA": prefixed} {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", "book.xlsx", workbookWith(item))
			expand(t, m, Options{})
			noProblems(t, m)
			p := mustPart(t, m, "2/book.xlsx/customXml/item1.xml/PackageParts.zip/Formulas/Section1.m")
			if string(p.Content) != mashupM {
				t.Errorf("Section1.m = %q", p.Content)
			}
		})
	}
	// 7-Zip reads the package parts as we do: the writer makes a real zip.
	t.Run("7zz", func(t *testing.T) {
		m := mail("", "", "book.xlsx", workbookWith(utf16))
		expand(t, m, Options{})
		pkg := mustPart(t, m, "2/book.xlsx/customXml/item1.xml/PackageParts.zip")
		dir := t.TempDir()
		writeFiles(t, dir, map[string][]byte{"p.zip": pkg.Content})
		out, err := exec.Command(toolNeeded(t, "7zz"), "e", "-so", filepath.Join(dir, "p.zip"), "Formulas/Section1.m").Output()
		if err != nil || string(out) != mashupM {
			t.Errorf("7zz: %v, %q", err, out)
		}
	})
}

// A DataMashup that lies is a corrupt container, never a silent clean.
func TestDataMashupCorrupt(t *testing.T) {
	doc := func(stream []byte) []byte {
		return []byte(`<?xml version="1.0"?><DataMashup xmlns="http://schemas.microsoft.com/DataMashup">` + base64.StdEncoding.EncodeToString(stream) + `</DataMashup>`)
	}
	for name, item := range map[string][]byte{
		"not base64":         []byte(`<DataMashup xmlns="http://schemas.microsoft.com/DataMashup">AAAA!!!!</DataMashup>`),
		"short header":       doc([]byte{0, 0, 0}),
		"version 1":          doc([]byte{1, 0, 0, 0, 0, 0, 0, 0}),
		"parts past the end": doc([]byte{0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 'P', 'K'}),
		"no element text":    []byte(`<x xmlns="http://schemas.microsoft.com/DataMashup"/>`),
	} {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", "book.xlsx", workbookWith(item))
			expand(t, m, Options{})
			p := problem(m, ReasonCorrupt)
			if p == nil || !strings.Contains(p.Detail, "DataMashup") {
				t.Errorf("want a corrupt-archive problem naming the DataMashup; have:\n%s", dump(m))
			}
		})
	}
}
