package urls

import (
	"bytes"
	"math"
)

// pdfLexer splits a PDF content stream into tokens (ISO 32000 7.2), with
// the name, string and delimiter readers the rest of urls uses for PDF
// (PDFNameBytes, pdfLiteral, pdfHex, pdfDelim): numbers, names, operators,
// and the rest (strings, arrays, dictionaries) as tokOther.
type pdfLexer struct {
	b   []byte
	i   int
	buf [maxPDFName + 8]byte
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
		switch {
		case isPDFSpace(c):
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
			lx.i = pdfLiteralEnd(b, lx.i)
			return tokOther, nil
		case c == '<' && lx.i+1 < len(b) && b[lx.i+1] == '<', c == '>' && lx.i+1 < len(b) && b[lx.i+1] == '>':
			lx.i += 2
			return tokOther, nil
		case c == '<':
			_, end := pdfHex(b, lx.i)
			lx.i = max(end, lx.i+1)
			return tokOther, nil
		case pdfDelim[c]: // [ ] { } ) >
			lx.i++
			return tokOther, nil
		default:
			start := lx.i
			for lx.i < len(b) && !pdfDelim[b[lx.i]] {
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

// skipInlineImage passes over an inline image's dictionary and data (BI …
// ID data EI): the data ends at "EI" between white space and a delimiter.
func (lx *pdfLexer) skipInlineImage() {
	for {
		k, t := lx.next()
		if k == tokEOF {
			return
		}
		if k == tokOp && string(t) == "ID" {
			break
		}
	}
	b := lx.b
	for i := lx.i; i+1 < len(b); i++ {
		j := bytes.Index(b[i:], []byte("EI"))
		if j < 0 {
			break
		}
		i += j
		if isPDFSpace(b[i-1]) && (i+2 == len(b) || pdfDelim[b[i+2]]) {
			lx.i = i + 2
			return
		}
	}
	lx.i = len(b)
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

// pdfLiteralEnd is the index after the literal string at b[i] == '(', as
// pdfLiteral reads it (balanced parentheses, backslash escapes), without
// decoding it: the drawing has no use for text.
func pdfLiteralEnd(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return j + 1
			}
		}
	}
	return len(b)
}
