package urls

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/pdfsyntax"
)

// pdfLexer splits a PDF content stream into tokens (ISO 32000 7.2), with
// the name, string and delimiter readers the rest of urls uses for PDF
// (PDFNameBytes, pdfLiteral, pdfHex, and pdfsyntax.Delimiter): numbers, names, operators,
// and the rest (strings, arrays, dictionaries) as tokOther.
type pdfLexer struct {
	b     []byte
	i     int
	start int // where the last token starts
	buf   [maxPDFName + 8]byte
}

type pdfTok uint8

const (
	tokEOF pdfTok = iota
	tokNum
	tokName
	tokOp
	tokOther
)

// next returns the next token; a name's bytes are valid until the next call.
func (lx *pdfLexer) next() (pdfTok, []byte) {
	b := lx.b
	for lx.i < len(b) {
		c := b[lx.i]
		lx.start = lx.i
		switch {
		case pdfsyntax.Space(c):
			lx.i++
		case c == '%':
			for lx.i < len(b) && b[lx.i] != '\n' && b[lx.i] != '\r' {
				lx.i++
			}
		case c == '/':
			name, end := PDFNameBytes(b, lx.i, lx.buf[:0])
			lx.i = max(end, lx.i+1)
			return tokName, name
		case c == '(':
			lx.i = pdfsyntax.LiteralEnd(b, lx.i)
			return tokOther, nil
		case c == '<' && lx.i+1 < len(b) && b[lx.i+1] == '<', c == '>' && lx.i+1 < len(b) && b[lx.i+1] == '>':
			lx.i += 2
			return tokOther, nil
		case c == '<':
			lx.i = pdfsyntax.HexEnd(b, lx.i)
			return tokOther, nil
		case pdfsyntax.Delimiter(c): // [ ] { } ) >
			lx.i++
			return tokOther, nil
		default:
			start := lx.i
			for lx.i < len(b) && !pdfsyntax.Delimiter(b[lx.i]) {
				lx.i++
			}
			tok := b[start:lx.i]
			if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' {
				return tokNum, tok
			}
			return tokOp, tok
		}
	}
	return tokEOF, nil
}

// inlineImage reads an inline image after its BI (ISO 32000 8.9.7): the
// dictionary up to ID, with its keys and names in full (/W is /Width, /G
// /DeviceGray, /Fl /FlateDecode), and its data, as an image object; the
// lexer is left after EI. Unfiltered data of a known size (or a /Length)
// is as long as that, as poppler reads it, whatever bytes it holds; other
// data ends at "EI" between white space and a delimiter, where readers
// find its end. The dictionary is nil when there is no ID.
func (lx *pdfLexer) inlineImage() pdfObj {
	start := lx.i
	for {
		k, t := lx.next()
		if k == tokEOF {
			return pdfObj{}
		}
		if k == tokOp && string(t) == "ID" {
			break
		}
	}
	b := lx.b
	written := pdfKeys(slices.Concat([]byte("<<"), b[start:lx.i-2], []byte(">>")))
	dict := make(map[string]string, len(written))
	keys := make([]string, 0, len(written))
	for k, v := range written {
		if full, ok := inlineKeys[k]; ok {
			k = full
		}
		if k == "ColorSpace" || k == "Filter" {
			v = inlineNames.Replace(v + " ")
			v = v[:len(v)-1]
		}
		dict[k] = v
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var raw bytes.Buffer
	raw.WriteString("<<")
	for _, k := range keys {
		raw.WriteString(" /" + k + " " + dict[k])
	}
	raw.WriteString(" >>")
	o := pdfObj{dict: dict, raw: raw.Bytes()}
	from := min(lx.i+1, len(b)) // one white-space byte after ID
	search := from
	if n := inlineSize(dict); n > 0 {
		search = min(from+n, len(b))
		o.data = b[from:search]
	}
	for i := search; i+1 < len(b); i++ {
		j := bytes.Index(b[i:], []byte("EI"))
		if j < 0 {
			break
		}
		i += j
		if (i == search || pdfsyntax.Space(b[i-1])) && (i+2 == len(b) || pdfsyntax.Delimiter(b[i+2])) {
			if o.data == nil {
				o.data = b[from : i-1]
			}
			lx.i = i + 2
			return o
		}
	}
	if o.data == nil {
		o.data = b[from:]
	}
	lx.i = len(b)
	return o
}

// inlineKeys are the abbreviated keys of an inline image's dictionary.
var inlineKeys = map[string]string{
	"BPC": "BitsPerComponent", "CS": "ColorSpace", "D": "Decode", "DP": "DecodeParms",
	"F": "Filter", "H": "Height", "IM": "ImageMask", "I": "Interpolate", "W": "Width", "L": "Length",
}

// inlineNames spells out the abbreviated colour spaces and filters, each
// name followed by a delimiter.
var inlineNames = func() *strings.Replacer {
	var pairs []string
	for short, full := range map[string]string{"G": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK", "I": "Indexed",
		"AHx": "ASCIIHexDecode", "A85": "ASCII85Decode", "LZW": "LZWDecode", "Fl": "FlateDecode", "RL": "RunLengthDecode",
		"CCF": "CCITTFaxDecode", "DCT": "DCTDecode"} {
		for _, d := range []string{" ", "]", "/", "["} {
			pairs = append(pairs, "/"+short+d, "/"+full+d)
		}
	}
	return strings.NewReplacer(pairs...)
}()

// inlineSize is the length of an inline image's data when it says it or
// is unfiltered in a device colour space; 0 when only its EI tells.
func inlineSize(d map[string]string) int {
	if n, err := strconv.Atoi(d["Length"]); err == nil && n > 0 {
		return n
	}
	if d["Filter"] != "" {
		return 0
	}
	w, _ := strconv.Atoi(d["Width"])
	h, _ := strconv.Atoi(d["Height"])
	bpc, _ := strconv.Atoi(d["BitsPerComponent"])
	comps := map[string]int{"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4}[d["ColorSpace"]]
	if d["ImageMask"] == "true" {
		bpc, comps = 1, 1
	}
	if w <= 0 || h <= 0 || w > 1<<16 || h > 1<<16 || comps == 0 || bpc <= 0 || bpc > 16 {
		return 0
	}
	return (w*comps*bpc + 7) / 8 * h
}

// parsePDFNum reads a PDF number ("12", "-3.5", ".5", "4."); what is not
// one reads as 0, as readers take it.
func parsePDFNum(t []byte) float64 {
	neg := false
	i := 0
	for i < len(t) && (t[i] == '-' || t[i] == '+') { // "--5" is -5 to some readers, 5 to others: the sign of the first
		if i == 0 {
			neg = t[i] == '-'
		}
		i++
	}
	var v float64
	digits := 0
	for ; i < len(t) && t[i] >= '0' && t[i] <= '9'; i++ {
		if digits < 40 {
			v = v*10 + float64(t[i]-'0')
		} else {
			v *= 10
		}
		digits++
	}
	if i < len(t) && t[i] == '.' {
		f := 0.1
		for i++; i < len(t) && t[i] >= '0' && t[i] <= '9'; i++ {
			v += float64(t[i]-'0') * f
			f /= 10
		}
	}
	if math.IsInf(v, 0) {
		v = 0
	}
	if neg {
		return -v
	}
	return v
}
