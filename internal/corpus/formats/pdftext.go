package formats

import (
	"fmt"
	"strings"
)

// TextPDF is a PDF of one page for each content stream in pages, whose
// resources name two fonts: /F1, Helvetica in WinAnsiEncoding (a simple
// font: strings are the text's bytes), and /F2, a Type 0 font with
// Identity-H codes as Word and LibreOffice write them, its codes glyph
// numbers (CIDText) that only its ToUnicode CMap maps back to text (no font
// program is embedded: readers draw a substitute). extra objects follow,
// numbered from 7 (XObjects a page draws are named in /XObject as /X7,
// /X8, … for each extra object that is a stream with /Subtype /Form or
// /Image; an extra object with /Subtype /Link is a link annotation on
// every page).
// Content streams are Flate-compressed (stored blocks: the same bytes on
// every Go version).
func TextPDF(pages []string, extra ...string) []byte {
	first := 7 + len(extra)
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", first+2*i)
	}
	var xobjs, annots strings.Builder
	for i, e := range extra {
		if strings.Contains(e, "/Subtype /Form") || strings.Contains(e, "/Subtype /Image") {
			fmt.Fprintf(&xobjs, " /X%d %d 0 R", 7+i, 7+i)
		}
		if strings.Contains(e, "/Subtype /Link") {
			fmt.Fprintf(&annots, " %d 0 R", 7+i)
		}
	}
	pageAnnots := ""
	if annots.Len() > 0 {
		pageAnnots = " /Annots [" + annots.String()[1:] + "]"
	}
	res := "<< /Font << /F1 3 0 R /F2 4 0 R >> /XObject <<" + xobjs.String() + " >> >>"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEE+Calibri /Encoding /Identity-H /DescendantFonts [5 0 R] /ToUnicode 6 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEE+Calibri /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 /W [3 [226] 17 [252 ] 19 28 507] >>",
		PDFFlate("", cidToUnicode),
	}
	objs = append(objs, extra...)
	for i, p := range pages {
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R%s >>", res, first+2*i+1, pageAnnots),
			PDFFlate("", p))
	}
	return PDF(objs...)
}

// TextPDFForm is a Form XObject for TextPDF's extra objects: content drawn
// with the same fonts.
func TextPDFForm(content string) string {
	return PDFFlate("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >>", content)
}

// cidToUnicode is /F2's ToUnicode CMap: printable ASCII at glyphs 3 to 97
// (a bfrange to a string, counted up), full-width digits at 0x100 (a
// bfrange to an array), Arabic-Indic digits at 0x200 and two bfchar
// entries (a ligature "fi" to two characters, and U+00A0).
const cidToUnicode = `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
3 beginbfrange
<0003> <0061> <0020>
<0100> <010A> [<FF10> <FF11> <FF12> <FF13> <FF14> <FF15> <FF16> <FF17> <FF18> <FF19> <FF0B>]
<0200> <0209> <0660>
endbfrange
2 beginbfchar
<0300> <00660069>
<0301> <00A0>
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end
`

// CIDText is s in /F2's codes, as a hex string for Tj or TJ: printable
// ASCII, full-width digits and plus, Arabic-Indic digits, "ﬁ" and U+00A0.
func CIDText(s string) string {
	var b strings.Builder
	b.WriteByte('<')
	for _, r := range s {
		var g int
		switch {
		case r >= ' ' && r <= '~':
			g = int(r) - 29
		case r >= '０' && r <= '９':
			g = 0x100 + int(r-'０')
		case r >= '٠' && r <= '٩':
			g = 0x200 + int(r-'٠')
		case r == '＋':
			g = 0x10A
		case r == 'ﬁ':
			g = 0x300
		case r == '\u00A0':
			g = 0x301
		default:
			panic(fmt.Sprintf("CIDText: no glyph for %q", r))
		}
		fmt.Fprintf(&b, "%04X", g)
	}
	b.WriteByte('>')
	return b.String()
}
