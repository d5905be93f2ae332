package heuristic

import (
	"strconv"
	"strings"
)

// Shared formulas of an .xlsx sheet (ECMA-376 18.3.1.40, <f t="shared">):
// Excel writes a formula filled down or across once, in the range's first
// cell (the master, with ref and si), and each other cell of the range
// holds only <f t="shared" si="n"/>. Its formula is the master's with every
// relative reference moved by the cell's distance from the master, as
// Excel and LibreOffice read it: a WEBSERVICE filled down a column calls
// one address per row, each built from its own row's cells.

// sharedMaster is a shared formula's text and the cell it is written in.
type sharedMaster struct {
	formula  string
	row, col int
}

// shiftFormula moves formula f's relative A1 references by dr rows and dc
// columns; a reference moved off the sheet becomes #REF!. String literals,
// absolute parts ($A$1), function names and sheet names are left as they
// are; whole rows and columns (A:A, 1:1) too (they name no one cell).
func shiftFormula(f string, dr, dc int) string {
	if dr == 0 && dc == 0 {
		return f
	}
	var b strings.Builder
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case c == '"' || c == '\'': // a "string literal" or a 'Sheet name'!
			j := doubledQuoteEnd(f, i)
			b.WriteString(f[i:j])
			i = j
		case isASCIILetter(c) || c == '$' || c == '_' || c == '\\':
			j := i
			for j < len(f) && (isASCIILetter(f[j]) || isDigitByte(f[j]) || strings.IndexByte("$_.\\", f[j]) >= 0) {
				j++
			}
			word := f[i:j]
			next := byte(0)
			if j < len(f) {
				next = f[j]
			}
			if next == '(' || next == '!' || next == '[' {
				b.WriteString(word) // a function, a sheet, a table
			} else {
				b.WriteString(shiftRef(word, dr, dc))
			}
			i = j
		case isDigitByte(c) || c == '.': // a number (1E5 too)
			j := i
			for j < len(f) && (isDigitByte(f[j]) || f[j] == '.' || (f[j] == 'E' || f[j] == 'e') && j+1 < len(f) && (isDigitByte(f[j+1]) || f[j+1] == '+' || f[j+1] == '-')) {
				if f[j] == 'E' || f[j] == 'e' {
					j++
				}
				j++
			}
			b.WriteString(f[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// shiftRef moves an A1 reference ($ marks an absolute column or row); any
// other word is returned as it is.
func shiftRef(w string, dr, dc int) string {
	i := 0
	colAbs := i < len(w) && w[i] == '$'
	if colAbs {
		i++
	}
	c0 := i
	for i < len(w) && isASCIILetter(w[i]) && i-c0 < 4 {
		i++
	}
	letters := w[c0:i]
	rowAbs := i < len(w) && w[i] == '$'
	if rowAbs {
		i++
	}
	digits := w[i:]
	if len(letters) == 0 || len(letters) > 3 || digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return w
	}
	col := 0
	for k := 0; k < len(letters); k++ {
		col = col*26 + int(letters[k]|0x20-'a'+1)
	}
	row, err := strconv.Atoi(digits)
	if err != nil || col > 16384 || row < 1 || row > 1<<20 {
		return w
	}
	if !colAbs {
		col += dc
	}
	if !rowAbs {
		row += dr
	}
	if col < 1 || col > 16384 || row < 1 || row > 1<<20 {
		return "#REF!"
	}
	var b strings.Builder
	if colAbs {
		b.WriteByte('$')
	}
	b.WriteString(columnName(col))
	if rowAbs {
		b.WriteByte('$')
	}
	b.WriteString(strconv.Itoa(row))
	return b.String()
}

// columnName is column n's letters (1 is A, 27 is AA).
func columnName(n int) string {
	var s []byte
	for n > 0 {
		n--
		s = append([]byte{byte('A' + n%26)}, s...)
		n /= 26
	}
	return string(s)
}

// doubledQuoteEnd returns the index just past the run quoted by f[i] (a doubled
// quote inside it stands for one), or len(f) when it is never closed.
func doubledQuoteEnd(f string, i int) int {
	q := f[i]
	for j := i + 1; j < len(f); j++ {
		if f[j] != q {
			continue
		}
		if j+1 < len(f) && f[j+1] == q {
			j++
			continue
		}
		return j + 1
	}
	return len(f)
}
