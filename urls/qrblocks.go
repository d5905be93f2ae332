package urls

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// Codes drawn with Unicode block characters ("ASCII QR codes"): lines of
// █ ▀ ▄ and spaces in a text or HTML body, one character a module wide and
// two tall with half blocks (▀ ▄), a module a side with full blocks
// (often doubled, ██ a module), two modules a side with quadrant blocks
// (▖ ▗ ▘ ▝ ▙ ▚ ▛ ▜ ▞ ▟). A mail client shows the code; a reader's phone
// scans it from the screen. Each run of such lines is drawn as the client
// shows it, a character cell twice as tall as it is wide, and searched
// like any picture.
//
// A character cell is read as four quadrants, each dark or light: the
// character's glyph covers some (█ all four, ▀ the top two, a space none)
// in its text colour, the rest shows its background. In HTML both colours
// come from inline styles, bgcolor and color attributes and a style
// sheet's classes, so a white █ is a light module and a space on black a
// dark one.

const (
	// minBlockChars is how many block characters a part must hold before
	// it is read for codes drawn with them: a version 1 QR code (21×21
	// modules) drawn with half blocks has over a hundred.
	minBlockChars = 64
	minBlockLines = (minCodeSide + 1) / 2 // lines of the smallest code: 21 modules, two a line
	maxBlockCols  = 400                   // characters of a line drawn
	maxBlockRows  = 400                   // lines of one drawing
	blockQuadPx   = 2                     // pixels a quadrant is wide (and twice that tall)
)

// Quadrants of a character cell, the bits of a block mask.
const (
	quadTL = 1 << iota
	quadTR
	quadBL
	quadBR
	quadAll = quadTL | quadTR | quadBL | quadBR
)

// blockGlyph is the quadrants r's glyph covers; ok is false when r is
// neither a block nor a space. Shades: ▓ is dark, ░ light, ▒ neither.
func blockGlyph(r rune) (mask uint8, ok bool) {
	switch r {
	case ' ', '\u00a0', '\u2002', '\u2003', '\u2007', '\u3000', '□', '⬜', '◻', '▫', '░':
		return 0, true
	case '█', '■', '⬛', '◼', '▪', '▓':
		return quadAll, true
	case '▀':
		return quadTL | quadTR, true
	case '▄':
		return quadBL | quadBR, true
	case '▌':
		return quadTL | quadBL, true
	case '▐':
		return quadTR | quadBR, true
	case '▘':
		return quadTL, true
	case '▝':
		return quadTR, true
	case '▖':
		return quadBL, true
	case '▗':
		return quadBR, true
	case '▚':
		return quadTL | quadBR, true
	case '▞':
		return quadTR | quadBL, true
	case '▛':
		return quadTL | quadTR | quadBL, true
	case '▜':
		return quadTL | quadTR | quadBR, true
	case '▙':
		return quadTL | quadBL | quadBR, true
	case '▟':
		return quadTR | quadBL | quadBR, true
	}
	return 0, false
}

// zeroWidth are characters that take no room on a line: they split a
// drawing's characters in the bytes, not on the screen.
func zeroWidth(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\ufe0e', '\ufe0f', '\u00ad':
		return true
	}
	return false
}

// blockCharCount counts the block characters in b (their UTF-8 lead
// bytes, and in HTML the character references that spell them), stopping
// at minBlockChars: the cheap test before a part is read for them.
func blockCharCount(b []byte, inHTML bool) int {
	n := 0
	for _, lead := range [...]string{"\xe2\x96", "\xe2\x97", "\xe2\xac"} { // U+2580–U+25FF, U+2B00–U+2B3F
		if n += bytes.Count(b, []byte(lead)); n >= minBlockChars {
			return n
		}
	}
	if !inHTML {
		return n
	}
	for rest := b; n < minBlockChars; {
		i := bytes.IndexByte(rest, '&')
		if i < 0 {
			break
		}
		rest = rest[i+1:]
		if blockReference(rest) {
			n++
		}
	}
	return n
}

// blockNames are the named character references of block characters and
// squares, with their semicolon.
var blockNames = [...]string{"block;", "uhblk;", "lhblk;", "blk14;", "blk34;", "squ;", "square;", "Square;", "squf;", "squarf;", "blacksquare;",
	"FilledVerySmallSquare;", "EmptySmallSquare;", "FilledSmallSquare;", "EmptyVerySmallSquare;"}

// blockReference says whether b, the bytes after an '&', starts a
// character reference to a block character or square (U+2580–U+25FF,
// ⬛, ⬜), without allocating: most HTML has many '&'.
func blockReference(b []byte) bool {
	if len(b) > 1 && b[0] == '#' {
		v, base, j := 0, 10, 1
		if b[1]|0x20 == 'x' {
			base, j = 16, 2
		}
		for ; j < len(b) && j < 10; j++ {
			c := b[j] | 0x20
			switch {
			case c >= '0' && c <= '9':
				v = v*base + int(c-'0')
			case base == 16 && c >= 'a' && c <= 'f':
				v = v*base + int(c-'a') + 10
			default:
				return v >= 0x2580 && v <= 0x25ff || v == '⬛' || v == '⬜'
			}
		}
		return v >= 0x2580 && v <= 0x25ff || v == '⬛' || v == '⬜'
	}
	if len(b) == 0 || b[0] != 'b' && b[0] != 'u' && b[0] != 'l' && b[0] != 's' && b[0] != 'S' && b[0] != 'F' && b[0] != 'E' {
		return false
	}
	for _, name := range blockNames {
		if bytes.HasPrefix(b, []byte(name)) {
			return true
		}
	}
	return false
}

// blockRuns gathers runs of lines drawn with block characters and draws
// each run.
type blockRuns struct {
	run [][]uint8 // the lines of the current run: each character's dark quadrants
	out []drawnCode
}

// line takes the next line: the dark quadrants of each character, how
// many characters are drawn (a block, or a space on a dark background)
// and how many are ordinary text. A line of at least four drawn
// characters, with no more than half as much text beside them, continues
// a run; any other line ends it.
func (r *blockRuns) line(cells []uint8, drawn, text int) {
	if drawn < 4 || 2*text > drawn {
		r.flush()
		return
	}
	r.run = append(r.run, append([]uint8(nil), cells[:min(len(cells), maxBlockCols)]...))
	if len(r.run) >= maxBlockRows {
		r.flush()
	}
}

// flush draws the current run when it is large enough to be a code.
func (r *blockRuns) flush() {
	run := r.run
	r.run = r.run[:0]
	if len(run) < minBlockLines || len(r.out) >= maxCodeTables {
		return
	}
	w := 0
	for _, l := range run {
		w = max(w, len(l))
	}
	if w < minBlockLines {
		return
	}
	quads := make([][]bool, 0, 2*len(run))
	halves, halfOnly := false, true // ▀ and ▄ drawn; no character split left and right
	for _, l := range run {
		top, bottom := make([]bool, 2*len(l)), make([]bool, 2*len(l))
		for x, m := range l {
			halves = halves || m == quadTL|quadTR || m == quadBL|quadBR
			halfOnly = halfOnly && (m&quadTL != 0) == (m&quadTR != 0) && (m&quadBL != 0) == (m&quadBR != 0)
			top[2*x], top[2*x+1] = m&quadTL != 0, m&quadTR != 0
			bottom[2*x], bottom[2*x+1] = m&quadBL != 0, m&quadBR != 0
		}
		quads = append(quads, top, bottom)
	}
	halfOnly = halfOnly && halves
	// A character cell is twice as tall as it is wide (a monospaced
	// font, a terminal): a quadrant blockQuadPx wide and twice that tall,
	// or half that when the drawing would be too large. Drawn with full
	// blocks a module, or with quadrant blocks, a code's modules are then
	// twice as tall as wide, which not every reader reads: a client whose
	// line height is the character's width shows them square, so that
	// reading is tried next. Drawn with half blocks alone, the first is
	// the one that shows them square.
	var d drawnCode
	for _, aspect := range []int{2, 1} {
		if aspect == 1 && halfOnly {
			break
		}
		for px := blockQuadPx; px >= 1; px-- {
			if g := drawCells(quads, px, aspect*px); g != nil {
				d = append(d, g)
				break
			}
		}
	}
	if len(d) > 0 {
		r.out = append(r.out, d)
	}
}

// textBlockCodes draws the runs of block-character lines of a plain
// text, one grey image each.
func textBlockCodes(b []byte) []drawnCode {
	if blockCharCount(b, false) < minBlockChars {
		return nil
	}
	var r blockRuns
	var cells []uint8
	for len(b) > 0 && len(r.out) < maxCodeTables {
		var l []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			l, b = b[:i], b[i+1:]
		} else {
			l, b = b, nil
		}
		if bytes.IndexByte(l, 0xe2) < 0 { // no block character: no code line
			r.flush()
			continue
		}
		cells = cells[:0]
		drawn, text := 0, 0
		for _, c := range string(l) {
			switch m, ok := blockGlyph(c); {
			case c == '\t':
				for len(cells)%8 != 7 {
					cells = append(cells, 0)
				}
				cells = append(cells, 0)
			case c == '\r' || zeroWidth(c):
			case ok:
				cells = append(cells, m)
				if c != ' ' && c != '\u00a0' {
					drawn++
				}
			default:
				cells = append(cells, 0)
				text++
			}
			if len(cells) > maxBlockCols {
				break
			}
		}
		r.line(cells, drawn, text)
	}
	r.flush()
	return r.out
}

// htmlBlockCodes draws the runs of block-character lines of an HTML
// document as a mail client lays its text out: lines end at <br> and at
// block elements (and at line breaks inside <pre> or white-space:pre),
// spaces elsewhere collapse, a character split from the next by tags
// (<span>█</span><span>▀</span>) stands beside it, hidden text
// (display:none, font-size:0) takes no room, and each character has the
// text and background colours its elements give it. A table row whose
// cells each hold one or two block characters (<td>█</td><td>▀</td>) is
// a line of them: the table's columns stand the characters side by side.
func htmlBlockCodes(b []byte) []drawnCode {
	if blockCharCount(b, true) < minBlockChars {
		return nil
	}
	classes := cssClassRules(b)
	stack := []textStyle{{fg: true}}
	var r blockRuns
	var cells []uint8
	drawn, text := 0, 0
	space := false // the last character was a collapsible space
	// A row of character cells: the line so far is the cells of one table
	// row, each one or two block characters; cellFrom and cellText are
	// where the open cell's characters start and the text count there,
	// width the last cell's characters (what an empty cell of the column
	// stands for).
	rowCells, cellOpen := false, false
	cellFrom, cellText, width := 0, 0, 1
	var cellStyle textStyle
	endLine := func(always bool) {
		rowCells, cellOpen = false, false
		if len(cells) == 0 && !always {
			return
		}
		r.line(cells, drawn, text)
		cells, drawn, text, space = cells[:0], 0, 0, false
	}
	put := func(c rune, e textStyle) {
		if len(cells) >= maxBlockCols {
			return
		}
		m, ok := blockGlyph(c)
		var dark uint8
		if e.fg {
			dark = m
		}
		if e.bg {
			dark |= quadAll &^ m
		}
		if !ok {
			dark = 0
			if e.bg {
				dark = quadAll
			}
		}
		cells = append(cells, dark)
		switch {
		case !ok:
			text++
		case m != 0 || e.bg || c == '□' || c == '⬜' || c == '◻' || c == '▫' || c == '░':
			drawn++
		}
	}
	// endCell closes the open cell of a row of character cells: its
	// trailing collapsible space goes, an empty cell stands for a blank
	// as wide as the cells before it, and a cell of text or of more than
	// two characters ends the row's reading as character cells.
	endCell := func() {
		if !cellOpen {
			return
		}
		cellOpen = false
		if space && len(cells) > cellFrom { // the last character put was a collapsible space
			cells = cells[:len(cells)-1]
			if cellStyle.bg {
				drawn--
			}
		}
		switch n := len(cells) - cellFrom; {
		case text > cellText || n > 2:
			rowCells = false
		case n == 0:
			for range width {
				put(' ', cellStyle) // its background shows
			}
		case n > 0:
			width = n
		}
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	for n := 0; n < 1<<20 && len(r.out) < maxCodeTables; n++ {
		tt := z.Next()
		top := stack[len(stack)-1]
		switch tt {
		case html.ErrorToken:
			endLine(false)
			r.flush()
			return r.out
		case html.TextToken:
			if top.skip || top.hidden || tableParts[top.name] {
				continue // text between a table's cells is not in a cell: whitespace, dropped
			}
			for _, c := range string(z.Text()) {
				switch {
				case zeroWidth(c) || c == '\r' && top.pre:
				case c == '\n' && top.pre:
					endLine(true)
				case c == '\t' && top.pre:
					for len(cells)%8 != 7 {
						put(' ', top)
					}
					put(' ', top)
				case !top.pre && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'):
					if len(cells) > 0 && !space {
						put(' ', top)
						space = true
					}
				default:
					put(c, top)
					space = false
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if tt == html.EndTagToken {
				if tag == "br" { // </br> is a <br> to browsers
					endLine(true)
					continue
				}
				if tag == "td" || tag == "th" {
					endCell()
				}
				for i := len(stack) - 1; i > 0 && i >= len(stack)-16; i-- {
					if stack[i].name == tag {
						stack = stack[:i]
						break
					}
				}
				if blockElements[tag] {
					endCell()
					endLine(false)
				}
				continue
			}
			if tag == "td" || tag == "th" || tag == "tr" {
				// A cell or row closes the open cell (and row) that its
				// end tag may have left out.
				for i := len(stack) - 1; i > 0 && i >= len(stack)-16; i-- {
					if stack[i].name == "table" {
						break
					}
					if stack[i].name == "td" || stack[i].name == "th" || tag == "tr" && stack[i].name == "tr" {
						stack = stack[:i]
						break
					}
				}
				top = stack[len(stack)-1]
			}
			e := top
			e.name = tag
			block := blockElements[tag]
			switch tag {
			case "br":
				endLine(true)
				continue
			case "pre", "textarea", "listing", "xmp", "plaintext":
				e.pre = true
			case "script", "style", "title", "template", "svg", "math", "noembed":
				e.skip = true
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "bgcolor":
					e.bg = legacyDark(string(v))
				case "color":
					if tag == "font" {
						e.fg = legacyDark(string(v))
					}
				case "class":
					for _, cl := range strings.Fields(string(v)) {
						if d, ok := classes[cl]; ok {
							block = e.apply(d) || block
						}
					}
				case "style":
					block = e.apply(string(v)) || block
				}
			}
			if tag == "td" || tag == "th" {
				// A table cell is a box of its own: a code in one
				// beside a label starts at the cell's left edge. But
				// cells of one or two block characters each stand side
				// by side, a line of a drawing.
				endCell()
				if !rowCells || block {
					endLine(false)
					rowCells = !block
				}
				cellOpen, cellFrom, cellText, cellStyle, space = rowCells, len(cells), text, e, true
			} else if block {
				endLine(false)
			}
			if tt == html.StartTagToken && !voidElements[tag] && len(stack) < 256 {
				stack = append(stack, e)
			}
		}
	}
	endLine(false)
	r.flush()
	return r.out
}

// textStyle is how an element shows its text.
type textStyle struct {
	name   string
	pre    bool // line breaks kept, spaces not collapsed
	hidden bool // takes no room (display:none, font-size:0)
	skip   bool // not shown at all (script, style)
	fg, bg bool // dark text; a dark background
}

// apply applies the declarations of a style attribute or class rule; block
// says they make the element a block (display:block and the like).
func (s *textStyle) apply(decls string) (block bool) {
	forDecls(decls, func(prop, v string) {
		switch prop {
		case "color":
			if c, ok := colourValue(v); ok {
				s.fg = isDark(c)
			}
		case "background", "background-color":
			if c, ok := colourValue(v); ok {
				s.bg = isDark(c)
			}
		case "white-space":
			s.pre = strings.HasPrefix(v, "pre") || strings.HasPrefix(v, "break-spaces")
		case "display":
			switch strings.Fields(v + " x")[0] {
			case "none":
				s.hidden = true
			case "block", "flex", "grid", "list-item", "table", "table-row", "flow-root":
				block = true
			}
		case "font-size":
			if f := strings.TrimLeft(v, "0."); f == "" || f == "px" || f == "pt" || f == "em" || f == "rem" || f == "%" {
				s.hidden = true
			}
		}
	})
	return block
}

// blockElements end a line of text where they start and end.
var blockElements = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "caption": true, "center": true,
	"dd": true, "div": true, "dl": true, "dt": true, "fieldset": true, "figcaption": true, "figure": true,
	"footer": true, "form": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "hr": true, "li": true, "main": true, "nav": true, "ol": true, "p": true, "pre": true,
	"section": true, "table": true, "tr": true, "ul": true, "body": true, "html": true, "textarea": true,
	"listing": true, "xmp": true, "plaintext": true,
}

// tableParts hold cells, not text.
var tableParts = map[string]bool{"table": true, "tbody": true, "thead": true, "tfoot": true, "tr": true, "colgroup": true}

// voidElements have no end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "param": true, "source": true, "track": true, "wbr": true,
}
