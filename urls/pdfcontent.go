package urls

import "time"

// What the two readers of a page's content streams share: the page text
// (pdftext.go) and the drawing of codes made with paths and Type 3 glyphs
// (qrvector.go) each read the operators with their operands
// (pdfOperands), and keep the current transformation matrix, the text
// state and the text position alike (pdfGState, pdfTextPos, ISO 32000 8.4,
// 9.3, 9.4): the operators that only set those are applied here, and a
// reader adds what it draws or shows.

// pdfOperands reads a content stream an operator at a time, with the
// operands written before it (ISO 32000 7.8.2): the last eight numbers, the
// last name, and where the last string, array and dictionary start.
type pdfOperands struct {
	lx                   pdfLexer
	nums                 [8]float64
	nn                   int
	name                 []byte // the last name, kept past its operator until a reader clears it
	strAt, arrAt, dictAt int    // where the last string, array, dictionary starts; -1 for none
	skipValues           bool   // an array or a dictionary is read whole: the numbers, names and strings in it are not operands
}

func newPDFOperands(b []byte, skipValues bool) pdfOperands {
	return pdfOperands{lx: pdfLexer{b: b}, strAt: -1, arrAt: -1, dictAt: -1, skipValues: skipValues}
}

// next is the next operator, nil at the end of the stream. The operands of
// the one before are forgotten, its name aside.
func (c *pdfOperands) next() []byte {
	c.nn, c.strAt, c.arrAt, c.dictAt = 0, -1, -1, -1
	b := c.lx.b
	for {
		kind, tok := c.lx.next()
		switch kind {
		case tokEOF:
			return nil
		case tokOp:
			return tok
		case tokNum:
			if c.nn == len(c.nums) {
				copy(c.nums[:], c.nums[1:])
				c.nn--
			}
			c.nums[c.nn], c.nn = parsePDFNum(tok), c.nn+1
		case tokName:
			c.name = append(c.name[:0], tok...)
		case tokOther:
			switch ch, start := b[c.lx.start], c.lx.start; {
			case ch == '(' || ch == '<' && c.lx.i-start != 2:
				c.strAt = start
			case ch == '[':
				c.arrAt = start
				if c.skipValues {
					c.lx.i = pdfSkipValue(b, start) // strings and numbers up to its ]
				}
			case ch == '<' && c.lx.i-start == 2 && b[start+1] == '<':
				c.dictAt = start
				if c.skipValues {
					c.lx.i = pdfSkipValue(b, start) // a marked-content property list
				}
			}
		}
	}
}

// numbers is the last max (at most eight) numbers before the operator.
func (c *pdfOperands) numbers(max int) []float64 {
	return c.nums[c.nn-min(c.nn, max) : c.nn]
}

// opsLeft counts one more operator against max and, every 4096th, the
// deadline: false when either is past.
func opsLeft(ops *int, max int, deadline time.Time) bool {
	*ops++
	return *ops <= max && (*ops&4095 != 0 || !time.Now().After(deadline))
}

// pdfGState is the part of the graphics state both readers keep: the
// current transformation matrix and the text state parameters, saved by q
// and restored by Q with the rest (ISO 32000 8.4, 9.3).
type pdfGState struct {
	ctm    [6]float64
	size   float64 // Tf's font size
	charSp float64 // Tc
	wordSp float64 // Tw
	hScale float64 // Tz, 1 for 100%
	lead   float64 // TL
	rise   float64 // Ts
	render float64 // Tr, as written
}

// pdfTextPos is the text matrix and the text line matrix (ISO 32000 9.4.2),
// which BT sets and the graphics state does not hold.
type pdfTextPos struct{ tm, tlm [6]float64 }

// op applies op when it sets the matrix, the text state or the text
// position alone: cm, BT, Tc, Tw, Tz, TL, Ts, Tr, Td, TD, T* and Tm, and of
// ' and " their spacing and new line (their string is the reader's to
// show). It says whether op is one of the former.
func (gs *pdfGState) op(op string, a []float64, pos *pdfTextPos) bool {
	switch op {
	case "cm":
		if len(a) == 6 {
			gs.ctm = matMul([6]float64(a), gs.ctm)
		}
	case "BT":
		pos.tm, pos.tlm = identity, identity
	case "Tc":
		if len(a) == 1 {
			gs.charSp = a[0]
		}
	case "Tw":
		if len(a) == 1 {
			gs.wordSp = a[0]
		}
	case "Tz":
		if len(a) == 1 {
			gs.hScale = a[0] / 100
		}
	case "TL":
		if len(a) == 1 {
			gs.lead = a[0]
		}
	case "Ts":
		if len(a) == 1 {
			gs.rise = a[0]
		}
	case "Tr":
		if len(a) == 1 {
			gs.render = a[0]
		}
	case "Td", "TD":
		if len(a) == 2 {
			if op == "TD" {
				gs.lead = -a[1]
			}
			pos.nextLine(a[0], a[1])
		}
	case "T*":
		pos.nextLine(0, -gs.lead)
	case "Tm":
		if len(a) == 6 {
			pos.tm, pos.tlm = [6]float64(a), [6]float64(a)
		}
	case "'", "\"":
		if op == "\"" && len(a) == 2 {
			gs.wordSp, gs.charSp = a[0], a[1]
		}
		pos.nextLine(0, -gs.lead)
		return false
	default:
		return false
	}
	return true
}

// nextLine moves the text line matrix by (x, y) and starts the line there.
func (pos *pdfTextPos) nextLine(x, y float64) {
	pos.tlm = matMul([6]float64{1, 0, 0, 1, x, y}, pos.tlm)
	pos.tm = pos.tlm
}

// advance moves the text matrix along the baseline by tx, in text space.
func (pos *pdfTextPos) advance(tx float64) {
	pos.tm = matMul([6]float64{1, 0, 0, 1, tx, 0}, pos.tm)
}

// textSpace is the matrix from text space (before the font's own matrix)
// to the device, where the text matrix stands (ISO 32000 9.4.4).
func (gs *pdfGState) textSpace(pos *pdfTextPos) [6]float64 {
	return matMul([6]float64{gs.size * gs.hScale, 0, 0, gs.size, 0, gs.rise}, matMul(pos.tm, gs.ctm))
}

// showArray reads the TJ array b: a number moves the text matrix back by
// thousandths of the font size, a string goes to show, which says whether
// to go on. It reads at most 1<<16 tokens.
func (pos *pdfTextPos) showArray(b []byte, gs *pdfGState, show func(s []byte) bool) {
	lx := pdfLexer{b: b}
	lx.next() // [
	for n := 0; n < 1<<16; n++ {
		k, t := lx.next()
		switch {
		case k == tokEOF:
			return
		case k == tokNum:
			pos.advance(-parsePDFNum(t) / 1000 * gs.size * gs.hScale)
		case k == tokOther && (b[lx.start] == '(' || b[lx.start] == '<' && lx.i-lx.start != 2):
			if !show(pdfString(b, lx.start)) {
				return
			}
		}
	}
}
