package urls

import (
	"bytes"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/pdfsyntax"
)

// The text a PDF's pages show, as a reader lays it out (ISO 32000 9.4,
// 9.10): the content streams' text operators (Tj, TJ with its kerning, '
// and ", and the Td, TD, T*, Tm and TL that move them), each string decoded
// through its font (a ToUnicode CMap with its codespace ranges, bfchar and
// both forms of bfrange; a simple font's standard encoding and
// /Differences), Form XObjects run where a page draws them. Pieces of text
// are put in reading order by their place on the page, not by the order
// the stream shows them in: a line is the pieces on one baseline, left to
// right, with a space where a gap is wider than a word space. So
// [(http)-20(s://ev)10(il.test)] TJ reads "https://evil.test", as on
// paper, and letters placed one by one with Td, in any order, read as the
// words they make.
//
// Text a reader cannot see is left out: white (or near-white) fill on the
// white page (white on a box or picture painted before it shows, as a
// button's label does), a size under a point, and text placed outside the
// page. Text drawn in the
// invisible rendering mode (Tr 3) is kept: it is the text layer of a scan,
// lying over the picture that shows it. A Type 0 font without a ToUnicode
// CMap gives nothing (its codes are glyph numbers), nor does text drawn as
// pictures.
//
// Everything is bounded: pages, operators, decoded content bytes, forms,
// CMap entries, pieces and output, and a deadline.
const (
	maxTextPages     = 8
	maxTextOps       = 1_000_000
	maxTextOut       = 256 << 10 // bytes of text
	maxTextContent   = 16 << 20  // decoded content bytes, forms included
	maxTextPieces    = 1 << 16   // pieces a page
	maxTextFormDepth = 6
	maxTextForms     = 1024    // Form XObjects run, in all
	maxCMapEntries   = 1 << 16 // bfchar entries and bfranges of one CMap, widths of one font
	maxTextFonts     = 256     // fonts read a PDF
	pdfTextTime      = 2 * time.Second
)

// PDFText is the text p's pages show, when p is a PDF ("" otherwise), read
// as the code search reads it: an encrypted PDF opened with the empty user
// password or the message's password that opened it, streams unpack
// inflated taken from it. Lines end in "\n", pages in "\n\n".
func PDFText(p *message.Part) string { return (*CodeBudget)(nil).PDFText(p) }

// PDFText is PDFText(p) for a message whose codes b searches: p's objects
// are read once for both (pdfDoc).
func (b *CodeBudget) PDFText(p *message.Part) string {
	c := p.Content
	if !isPDF(p, c[:min(len(c), MaxScanSize)]) {
		return ""
	}
	return string(pdfText(b.pdfDoc(p, textReading), time.Now().Add(pdfTextTime)))
}

// pdfText reads the text of d's pages.
func pdfText(d *pdfDoc, deadline time.Time) []byte {
	objs := d.objs
	if !hasFonts(objs) {
		objs = d.withObjStms()
		if !hasFonts(objs) {
			return nil // no font, no text: a scan, a drawing
		}
	}
	tx := &textReader{objs: objs, fonts: map[string]*pdfFont{}, deadline: deadline}
	for _, n := range pageOrder(objs, maxTextPages) {
		if tx.full {
			break
		}
		page := objs[n]
		contents := pageContents(objs, page)
		if len(contents) == 0 {
			continue
		}
		tx.content += len(contents[0])
		if tx.content > maxTextContent {
			break
		}
		if !bytes.Contains(contents[0], []byte("T")) { // every text operator has a T but ' and ", which need a BT
			continue
		}
		tx.pieces, tx.backdrops, tx.path = tx.pieces[:0], tx.backdrops[:0], emptyBox()
		tx.box = pageBox(objs, page)
		tx.gs = textState{pdfGState: pdfGState{ctm: identity, hScale: 1}}
		tx.run(contents[0], pageResources(objs, page), 0)
		tx.page()
	}
	return tx.out
}

// hasFonts: some object is a font (or a page names fonts), so text can show.
func hasFonts(objs map[int]pdfObj) bool {
	for _, o := range objs {
		if o.dict["Type"] == "/Font" || o.dict["Font"] != "" || o.dict["Resources"] != "" && bytes.Contains(o.raw, []byte("/Font")) {
			return true
		}
	}
	return false
}

// textState is the graphics and text state text is drawn with.
type textState struct {
	pdfGState
	font                   *pdfFont
	fillWhite, strokeWhite bool
}

// textPiece is one string shown: where its baseline starts and ends in
// page space turned so that it runs left to right (dir quarter turns
// undone), the size it shows at, and its text.
type textPiece struct {
	x, y, end, size float64
	dir, seq        int
	text            string
}

type textReader struct {
	objs    map[int]pdfObj
	fonts   map[string]*pdfFont // by resources and name
	nfonts  int
	gs      textState
	stack   []textState
	pos     pdfTextPos
	pieces  []textPiece
	box     vecBox
	out     []byte
	ops     int
	forms   int
	content int
	buf     []byte        // a string's text, reused
	marked  []*actualText // marked-content sequences open (BMC, BDC), nil for one without /ActualText
	path    vecBox        // the extent of the path being built, in page space
	// backdrops are the page's areas painted so far in a colour (a fill
	// not white, a picture): white text on one shows, as a button's label
	// on its coloured box does.
	backdrops []vecBox
	deadline  time.Time
	full      bool
}

// run interprets one content stream with its resources.
func (tx *textReader) run(b []byte, res string, depth int) {
	fonts := map[string]*pdfFont{} // by name in res: Tf is frequent, res may be long
	c := newPDFOperands(b, true)
	for !tx.full {
		tok := c.next()
		if tok == nil {
			return
		}
		if !opsLeft(&tx.ops, maxTextOps, tx.deadline) {
			tx.full = true
			return
		}
		switch string(tok) {
		case "BI":
			c.lx.inlineImage() // its data is no operator
			tx.paintUnder(tx.unitSquare())
		case "BMC", "BDC":
			tx.beginMarked(b, c.dictAt, c.lx.start)
		case "EMC":
			if n := len(tx.marked); n > 0 {
				tx.marked = tx.marked[:n-1]
			}
		}
		if string(tok) == "Tf" {
			f, ok := fonts[string(c.name)]
			if !ok {
				f = tx.font(string(c.name), res)
				fonts[string(c.name)] = f
			}
			tx.gs.font = f
		}
		tx.op(string(tok), c.numbers(6), &c, res, depth)
	}
}

// actualText is the text a marked-content sequence gives for the glyphs
// it shows (/ActualText, ISO 32000 14.9.4): readers show it in place of
// theirs, once, where the first is. LibreOffice writes it for glyphs its
// font's CMap cannot map back.
type actualText struct {
	text  string
	shown bool
}

// beginMarked opens a marked-content sequence: its property list is the
// dictionary at b[dictAt:op] (-1 for none; a name naming one in the
// resources is not followed: those carry no /ActualText in practice).
func (tx *textReader) beginMarked(b []byte, dictAt, op int) {
	var a *actualText
	if dictAt >= 0 {
		if v := pdfKeys(b[dictAt:op])["ActualText"]; v != "" && (v[0] == '(' || v[0] == '<') {
			a = &actualText{text: PDFTextString(pdfString([]byte(v), 0))}
		}
	}
	if len(tx.marked) < maxVectorStack {
		tx.marked = append(tx.marked, a)
	}
}

// actual is the innermost open /ActualText, nil for none.
func (tx *textReader) actual() *actualText {
	for i := len(tx.marked) - 1; i >= 0; i-- {
		if tx.marked[i] != nil {
			return tx.marked[i]
		}
	}
	return nil
}

// PDFTextString reads a PDF text string (a string's decoded bytes):
// UTF-16BE or UTF-8 after its byte-order mark, else PDFDocEncoding, which is
// Latin-1 where text uses it.
func PDFTextString(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\xFE\xFF")):
		return utf16Text(b[2:])
	case bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")):
		return strings.ToValidUTF8(string(b[3:]), "\uFFFD")
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}

// pdfSkipValue is the index after the array or dictionary at b[i], its
// strings read whole (a "]" or ">>" in a string does not end it).
func pdfSkipValue(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); j++ {
		switch c := b[j]; {
		case c == '(':
			j = pdfsyntax.LiteralEnd(b, j) - 1
		case c == '[':
			depth++
		case c == '<' && j+1 < len(b) && b[j+1] == '<':
			depth++
			j++
		case c == '<':
			if k := bytes.IndexByte(b[j:], '>'); k >= 0 {
				j += k
			} else {
				return len(b)
			}
		case c == ']', c == '>' && j+1 < len(b) && b[j+1] == '>':
			if c == '>' {
				j++
			}
			if depth--; depth <= 0 {
				return j + 1
			}
		}
	}
	return len(b)
}

func (tx *textReader) op(op string, a []float64, c *pdfOperands, res string, depth int) {
	gs := &tx.gs
	if gs.op(op, a, &tx.pos) {
		return
	}
	switch op {
	case "q":
		if len(tx.stack) < maxVectorStack {
			tx.stack = append(tx.stack, *gs)
		}
	case "Q":
		if len(tx.stack) > 0 {
			*gs = tx.stack[len(tx.stack)-1]
			tx.stack = tx.stack[:len(tx.stack)-1]
		}
	case "g", "rg", "k":
		gs.fillWhite = whiteColour(a)
	case "G", "RG", "K":
		gs.strokeWhite = whiteColour(a)
	case "cs", "sc", "scn":
		gs.fillWhite = false // a colour space or colour the device operators do not name: take it as showing
	case "CS", "SC", "SCN":
		gs.strokeWhite = false
	case "Tf": // the font: run
		if len(a) >= 1 {
			gs.size = a[len(a)-1]
		}
	case "Tj", "'", "\"":
		if c.strAt >= 0 {
			tx.show(pdfString(c.lx.b, c.strAt))
		}
	case "TJ":
		if c.arrAt >= 0 {
			tx.pos.showArray(c.lx.b[c.arrAt:c.lx.i], &gs.pdfGState, tx.show)
		}
	case "Do":
		tx.form(string(c.name), res, depth)
	case "m", "l", "c", "v", "y", "re":
		tx.pathTo(op, a)
	case "f", "F", "f*", "B", "B*", "b", "b*":
		if !gs.fillWhite {
			tx.paintUnder(tx.path)
		}
		tx.path = emptyBox()
	case "S", "s", "n":
		tx.path = emptyBox()
	}
}

// maxBackdrops bounds the painted areas kept for a page.
const maxBackdrops = 512

// pathTo adds a path operator's points to the path's extent.
func (tx *textReader) pathTo(op string, a []float64) {
	if op == "re" {
		if len(a) == 4 {
			for _, p := range [4][2]float64{{a[0], a[1]}, {a[0] + a[2], a[1]}, {a[0], a[1] + a[3]}, {a[0] + a[2], a[1] + a[3]}} {
				tx.path.add(ctmPoint(tx.gs.ctm, p[0], p[1]))
			}
		}
		return
	}
	for i := 0; i+1 < len(a); i += 2 { // m and l one point, c three, v and y two
		tx.path.add(ctmPoint(tx.gs.ctm, a[i], a[i+1]))
	}
}

// unitSquare is where a picture drawn now lands: the unit square under
// the current matrix.
func (tx *textReader) unitSquare() vecBox {
	b := emptyBox()
	for _, p := range [4][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		b.add(ctmPoint(tx.gs.ctm, p[0], p[1]))
	}
	return b
}

// paintUnder keeps b as a backdrop white text may show on.
func (tx *textReader) paintUnder(b vecBox) {
	if b.finite() && b.x1 > b.x0 && b.y1 > b.y0 && len(tx.backdrops) < maxBackdrops {
		tx.backdrops = append(tx.backdrops, b)
	}
}

// onBackdrop: page point (x, y) lies on an area painted before.
func (tx *textReader) onBackdrop(x, y float64) bool {
	for _, b := range tx.backdrops {
		if x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1 {
			return true
		}
	}
	return false
}

// ctmPoint is (x, y) in page space under ctm.
func ctmPoint(ctm [6]float64, x, y float64) vecPt {
	return vecPt{ctm[0]*x + ctm[2]*y + ctm[4], ctm[1]*x + ctm[3]*y + ctm[5]}
}

// whiteColour: a device grey, RGB or CMYK colour a reader shows as white
// (or so near it that text in it is not seen on a white page).
func whiteColour(a []float64) bool {
	switch len(a) {
	case 1:
		return a[0] >= 0.95
	case 3:
		return 0.299*a[0]+0.587*a[1]+0.114*a[2] >= 0.95
	case 4:
		return a[0]+a[1]+a[2]+a[3] <= 0.05
	}
	return false
}

// show decodes s in the current font, keeps it as a piece where the page
// shows it, and moves on by its glyphs' widths (ISO 32000 9.4.4). It
// always goes on (pdfTextPos.showArray).
func (tx *textReader) show(s []byte) bool {
	gs := &tx.gs
	f := gs.font
	if f == nil {
		f = &defaultFont
	}
	trm := gs.textSpace(&tx.pos)
	text := tx.buf[:0]
	adv := 0.0 // the glyphs' advances: moves along the baseline add up
	oneByte := len(f.spaces) == 0 && !f.twoByte
	fontSize, charSp, wordSp := gs.size, gs.charSp, gs.wordSp
	for i := 0; i < len(s); {
		code, n := uint32(s[i]), 1
		if !oneByte {
			code, n = f.next(s[i:])
		}
		i += n
		var w float64
		if g := f.glyph(code); g != nil {
			if len(g.text) == 1 {
				text = append(text, g.text[0])
			} else {
				text = append(text, g.text...)
			}
			w = g.w
		} else {
			from := len(text)
			text = f.appendText(text, code)
			w = f.width(code, text[from:])
		}
		adv += w*fontSize + charSp
		if n == 1 && code == 32 {
			adv += wordSp
		}
	}
	tx.buf = text
	tx.pos.advance(adv * gs.hScale)
	end := matMul([6]float64{1, 0, 0, 1, 0, gs.rise}, matMul(tx.pos.tm, gs.ctm))
	if a := tx.actual(); a != nil {
		text = text[:0]
		if !a.shown {
			text = append(text, a.text...)
			a.shown = true
		}
	}
	size := math.Hypot(trm[2], trm[3])
	if len(text) == 0 || len(tx.pieces) >= maxTextPieces || tx.hidden(trm, size) {
		return true
	}
	// The baseline's direction, in quarter turns: text turned 90° reads
	// along its own lines as upright text does.
	dir := int(math.Round(math.Atan2(trm[1], trm[0])/(math.Pi/2))) & 3
	x0, y0 := turn(trm[4], trm[5], dir)
	x1, _ := turn(end[4], end[5], dir)
	tx.pieces = append(tx.pieces, textPiece{x: x0, y: y0, end: max(x1, x0), size: size, dir: dir, seq: len(tx.pieces), text: string(text)})
	return true
}

// hidden: text a reader does not see: under a point, in white where it
// paints, or placed off the page.
func (tx *textReader) hidden(trm [6]float64, size float64) bool {
	gs := &tx.gs
	// White on the page's white is not seen; white on a box or picture
	// painted before is (a glyph's middle tells which it is on).
	onPaint := func() bool {
		return tx.onBackdrop(trm[4]+0.3*(trm[0]+trm[2]), trm[5]+0.3*(trm[1]+trm[3]))
	}
	switch mode := int(gs.render) & 7; mode {
	case 0, 2, 4, 6:
		if gs.fillWhite && (mode != 2 && mode != 6 || gs.strokeWhite) && !onPaint() {
			return true
		}
	case 1, 5:
		if gs.strokeWhite && !onPaint() {
			return true
		}
	}
	if !(size >= 1) || size > 1e5 {
		return true
	}
	b := tx.box
	x, y := trm[4], trm[5]
	return b.finite() && (x < b.x0-size || x > b.x1 || y < b.y0-size || y > b.y1+size)
}

// turn maps (x, y) by dir quarter turns back, so that a baseline at that
// angle runs along x.
func turn(x, y float64, dir int) (float64, float64) {
	switch dir {
	case 1:
		return y, -x
	case 2:
		return -x, -y
	case 3:
		return -y, x
	}
	return x, y
}

// form runs the Form XObject the resources call name.
func (tx *textReader) form(name, res string, depth int) {
	if depth >= maxTextFormDepth || tx.forms >= maxTextForms {
		return
	}
	n, ok := pdfRef(pdfKeys([]byte(resolveDict(tx.objs, pdfKeys([]byte(res))["XObject"])))[name])
	if !ok {
		return
	}
	o, ok := tx.objs[n]
	if ok && o.dict["Subtype"] == "/Image" {
		tx.paintUnder(tx.unitSquare())
		return
	}
	if !ok || o.data == nil || o.dict["Subtype"] != "/Form" {
		return
	}
	tx.forms++
	d := pdfStreamBytes(o, maxTextContent-tx.content)
	tx.content += len(d)
	saved, pos := tx.gs, tx.pos
	if m, ok := pdfMatrix(o.dict["Matrix"]); ok {
		tx.gs.ctm = matMul(m, tx.gs.ctm)
	}
	formRes := res
	if r, ok := o.dict["Resources"]; ok {
		formRes = resolveDict(tx.objs, r)
	}
	tx.run(d, formRes, depth+1)
	tx.gs, tx.pos = saved, pos
}

// page writes the page's pieces in reading order: by direction, lines
// from the top, each left to right.
func (tx *textReader) page() {
	ps := tx.pieces
	if len(ps) == 0 {
		return
	}
	slices.SortStableFunc(ps, func(a, b textPiece) int {
		if a.dir != b.dir {
			return a.dir - b.dir
		}
		if a.y != b.y {
			if a.y > b.y {
				return -1
			}
			return 1
		}
		return a.seq - b.seq
	})
	if len(tx.out) > 0 {
		tx.out = append(tx.out, '\n')
	}
	for i := 0; i < len(ps) && len(tx.out) < maxTextOut; {
		// A line: the pieces whose baseline is near the first's.
		j := i + 1
		for j < len(ps) && ps[j].dir == ps[i].dir && ps[i].y-ps[j].y < 0.4*max(ps[i].size, ps[j].size) {
			j++
		}
		line := ps[i:j]
		slices.SortStableFunc(line, func(a, b textPiece) int {
			if a.x != b.x {
				if a.x < b.x {
					return -1
				}
				return 1
			}
			return a.seq - b.seq
		})
		start := len(tx.out)
		for k, p := range line {
			if k > 0 {
				q := line[k-1]
				if p.text == q.text && p.x-q.x < 0.2*p.size {
					continue // drawn twice to look bold
				}
				if gap := p.x - q.end; gap > 0.15*max(p.size, q.size) && !endsSpace(tx.out) && !strings.HasPrefix(p.text, " ") {
					tx.out = append(tx.out, ' ')
				}
			}
			tx.out = append(tx.out, p.text...)
		}
		if len(tx.out) > start {
			tx.out = append(tx.out, '\n')
		}
		i = j
	}
	if len(tx.out) > maxTextOut {
		tx.out = tx.out[:maxTextOut]
		for len(tx.out) > 0 && !utf8.Valid(tx.out[max(0, len(tx.out)-utf8.UTFMax):]) {
			tx.out = tx.out[:len(tx.out)-1]
		}
		tx.full = true
	}
}

func endsSpace(b []byte) bool { return len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\n') }

// pdfFont is what text needs of a font: how its strings split into codes,
// what each code means, and how wide its glyph is.
type pdfFont struct {
	twoByte bool               // a Type 0 font of two-byte codes (Identity-H and most others)
	spaces  []cmapCode         // the codespace ranges of its encoding CMap, when embedded
	uni     *cmap              // ToUnicode
	enc     *[256]rune         // a simple font's encoding, 0 for none
	widths  map[uint32]float64 // a Type 0 font's, by CID
	simple  *[256]float64      // a simple font's, -1 where it gives none
	dw      float64            // width of a code the font does not list, 0 for the Helvetica guess
	scale   float64            // widths to text space: 1/1000, or a Type 3 font's matrix
	type0   bool
	glyphs  *[256]pdfGlyph // codes under 256 as shown so far (glyph); nil for defaultFont, which is shared
}

// pdfGlyph is what a code of a font shows: its text (appendText) and its
// advance (width).
type pdfGlyph struct {
	text  string
	w     float64
	known bool
}

// glyph is code's text and advance, read once a font for codes under
// 256: a page shows the same few codes again and again. Nil for other
// codes and fonts without glyphs.
func (f *pdfFont) glyph(code uint32) *pdfGlyph {
	if code >= 256 || f.glyphs == nil {
		return nil
	}
	g := &f.glyphs[code]
	if !g.known {
		t := f.appendText(nil, code)
		*g = pdfGlyph{text: string(t), w: f.width(code, t), known: true}
	}
	return g
}

// defaultFont stands for a font the resources do not name: text shown
// without a Tf still shows in readers, in the standard encoding.
var defaultFont = pdfFont{enc: &standardEncoding, scale: 0.001}

// next splits the first code off s: by the codespace ranges of the font's
// encoding, two bytes for a Type 0 font without them, one otherwise.
func (f *pdfFont) next(s []byte) (code uint32, n int) {
	if len(f.spaces) > 0 {
		for n := 1; n <= 4 && n <= len(s); n++ {
			for _, sp := range f.spaces {
				if sp.n == n && sp.holds(s[:n]) {
					return bigEndian(s[:n]), n
				}
			}
		}
		n = int(f.spaces[0].n)
	} else if f.twoByte {
		n = 2
	} else {
		n = 1
	}
	n = min(n, len(s))
	return bigEndian(s[:n]), n
}

func bigEndian(b []byte) uint32 {
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v
}

// appendText appends the text of one code: its ToUnicode entry, else its
// simple encoding's character; nothing when neither says (a Type 0 font's
// glyph number means nothing without a CMap).
func (f *pdfFont) appendText(b []byte, code uint32) []byte {
	if f.uni != nil {
		if s, ok := f.uni.lookup(code); ok {
			return append(b, s...)
		}
	}
	if f.enc != nil && code < 256 {
		if r := f.enc[code]; r != 0 {
			return utf8.AppendRune(b, r)
		}
	}
	return b
}

// width is the advance of code's glyph in text space for a size of 1;
// text is what the code reads as.
func (f *pdfFont) width(code uint32, text []byte) float64 {
	if code < 256 && f.simple != nil {
		if w := f.simple[code]; w >= 0 {
			return w * f.scale
		}
	} else if f.widths != nil { // most fonts without widths are simple ones: no map to look in
		if w, ok := f.widths[code]; ok {
			return w * f.scale
		}
	}
	if f.dw > 0 {
		return f.dw * f.scale
	}
	if len(text) > 0 && text[0] >= ' ' && text[0] < 0x7F {
		return helveticaAdvances[text[0]-' ']
	}
	return 0.556
}

// helveticaAdvances are helveticaWidths in text space (each /1000), as
// width returns them for every glyph of a font without widths: a table
// look-up instead of a division per glyph.
var helveticaAdvances = func() (a [len(helveticaWidths)]float64) {
	for i, w := range helveticaWidths {
		a[i] = float64(w) / 1000
	}
	return a
}()

// helveticaWidths are Helvetica's advances for ' ' to '~' (its AFM file),
// for a font that gives no widths: most PDFs that name a standard font
// without widths name Helvetica, and an estimate close to the glyphs keeps
// the gaps between words apart from those inside them.
var helveticaWidths = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
	222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
}

// font reads the font the resources res call name, once per PDF.
func (tx *textReader) font(name, res string) *pdfFont {
	key := res + "\x00" + name
	if f, ok := tx.fonts[key]; ok {
		return f
	}
	if tx.nfonts >= maxTextFonts {
		return nil
	}
	tx.nfonts++
	v := pdfKeys([]byte(resolveDict(tx.objs, pdfKeys([]byte(res))["Font"])))[name]
	var f *pdfFont
	if v != "" {
		f = tx.readFont(pdfKeys([]byte(resolveDict(tx.objs, v))))
	}
	tx.fonts[key] = f
	return f
}

// readFont reads a font dictionary (its keys).
func (tx *textReader) readFont(d map[string]string) *pdfFont {
	f := &pdfFont{scale: 0.001, glyphs: new([256]pdfGlyph)}
	if tu, ok := pdfRef(d["ToUnicode"]); ok {
		if o := tx.objs[tu]; o.data != nil {
			f.uni = parseCMap(pdfStreamBytes(o, 1<<20))
		}
	}
	if d["Subtype"] == "/Type0" {
		f.type0, f.twoByte = true, true
		if n, ok := pdfRef(d["Encoding"]); ok && tx.objs[n].data != nil { // an embedded CMap: its codespace splits the codes
			if c := parseCMap(pdfStreamBytes(tx.objs[n], 1<<20)); c != nil && len(c.spaces) > 0 {
				f.spaces = c.spaces
			}
		}
		desc := pdfRefs(resolveArray(tx.objs, d["DescendantFonts"]), 1)
		if len(desc) == 1 {
			cid := tx.objs[desc[0]].dict
			f.dw = 1000
			if w, err := strconv.ParseFloat(cid["DW"], 64); err == nil && w > 0 {
				f.dw = w
			}
			f.widths = cidWidths(resolveArray(tx.objs, cid["W"]))
		}
		return f
	}
	f.enc = simpleEncoding(tx.objs, d)
	if d["Subtype"] == "/Type3" {
		if m, ok := pdfMatrix(d["FontMatrix"]); ok {
			f.scale = m[0]
		}
	}
	if first, err := strconv.Atoi(d["FirstChar"]); err == nil && first >= 0 && first < 256 {
		lx := pdfLexer{b: []byte(resolveArray(tx.objs, d["Widths"]))}
		f.simple = new([256]float64)
		for c := range f.simple {
			f.simple[c] = -1
		}
		for c := first; c < 256; {
			k, t := lx.next()
			if k == tokEOF {
				break
			}
			if k == tokNum {
				f.simple[c] = max(parsePDFNum(t), 0)
				c++
			}
		}
	}
	return f
}

// cidWidths reads a CIDFont's /W array: "c [w1 w2 …]" gives codes from c
// on their widths, "c1 c2 w" one width to a range.
func cidWidths(v string) map[uint32]float64 {
	out := map[uint32]float64{}
	lx := pdfLexer{b: []byte(v)}
	var nums []float64
	for len(out) < maxCMapEntries {
		k, t := lx.next()
		if k == tokEOF {
			break
		}
		switch {
		case k == tokNum:
			nums = append(nums, parsePDFNum(t))
			if len(nums) == 3 {
				for c := nums[0]; c <= nums[1] && c >= 0 && c < 1<<16 && len(out) < maxCMapEntries; c++ {
					out[uint32(c)] = nums[2]
				}
				nums = nums[:0]
			}
		case k == tokOther && v[lx.start] == '[' && len(nums) == 1:
			c := nums[0]
			for len(out) < maxCMapEntries && c >= 0 && c < 1<<16 {
				k, t := lx.next()
				if k != tokNum {
					break
				}
				out[uint32(c)] = parsePDFNum(t)
				c++
			}
			nums = nums[:0]
		}
	}
	return out
}

// simpleEncoding is a simple font's code-to-character table: its base
// encoding (WinAnsi, MacRoman, or the standard one) with /Differences
// laid over it.
func simpleEncoding(objs map[int]pdfObj, d map[string]string) *[256]rune {
	enc := d["Encoding"]
	diffs := ""
	if enc != "" && enc[0] != '/' {
		e := pdfKeys([]byte(resolveDict(objs, enc)))
		enc, diffs = e["BaseEncoding"], resolveArray(objs, e["Differences"])
	}
	var t [256]rune
	switch enc {
	case "/WinAnsiEncoding":
		t = byteTable(charmap.Windows1252)
	case "/MacRomanEncoding":
		t = byteTable(charmap.Macintosh)
	default:
		t = standardEncoding
	}
	lx := pdfLexer{b: []byte(diffs)}
	code := -1
	for n := 0; n < 4096; n++ {
		k, tok := lx.next()
		if k == tokEOF {
			break
		}
		switch k {
		case tokNum:
			code = int(parsePDFNum(tok))
		case tokName:
			if code >= 0 && code < 256 {
				t[code] = glyphRune(string(tok))
				code++
			}
		}
	}
	return &t
}

// byteTable is a single-byte character set as a table.
func byteTable(cm *charmap.Charmap) (t [256]rune) {
	for i := range t {
		if r := cm.DecodeByte(byte(i)); r != utf8.RuneError && r >= ' ' {
			t[i] = r
		}
	}
	return t
}

// standardEncoding is Adobe's StandardEncoding for printable ASCII: the
// same but for its curly quotes (its other codes are rare in text).
var standardEncoding = func() (t [256]rune) {
	for c := ' '; c < 0x7F; c++ {
		t[c] = c
	}
	t['\''], t['`'] = '’', '‘'
	return t
}()

// glyphRune reads a glyph name as the Adobe Glyph List does for the names
// text uses: letters and digits, ASCII punctuation by name, uniXXXX and
// uXXXX[XX], with a suffix after a dot dropped ("a.sc"); 0 for a name it
// does not know.
func glyphRune(name string) rune {
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if len(name) == 1 && (name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		return rune(name[0])
	}
	if r, ok := glyphNames[name]; ok {
		return r
	}
	for _, pre := range []string{"uni", "u"} {
		if h, ok := strings.CutPrefix(name, pre); ok && len(h) >= 4 {
			if pre == "uni" {
				h = h[:4]
			}
			if v, err := strconv.ParseUint(h, 16, 32); err == nil && v <= utf8.MaxRune && len(h) <= 6 {
				return rune(v)
			}
		}
	}
	return 0
}

var glyphNames = map[string]rune{
	"space": ' ', "exclam": '!', "quotedbl": '"', "numbersign": '#', "dollar": '$', "percent": '%',
	"ampersand": '&', "quotesingle": '\'', "quoteright": '’', "quoteleft": '‘', "parenleft": '(',
	"parenright": ')', "asterisk": '*', "plus": '+', "comma": ',', "hyphen": '-', "minus": '−',
	"period": '.', "slash": '/', "zero": '0', "one": '1', "two": '2', "three": '3', "four": '4',
	"five": '5', "six": '6', "seven": '7', "eight": '8', "nine": '9', "colon": ':', "semicolon": ';',
	"less": '<', "equal": '=', "greater": '>', "question": '?', "at": '@', "bracketleft": '[',
	"backslash": '\\', "bracketright": ']', "asciicircum": '^', "underscore": '_', "grave": '`',
	"braceleft": '{', "bar": '|', "braceright": '}', "asciitilde": '~', "endash": '–', "emdash": '—',
	"quotedblleft": '“', "quotedblright": '”', "bullet": '•', "ellipsis": '…', "nbspace": '\u00A0',
	"sfthyphen": '\u00AD', "periodcentered": '·', "copyright": '©', "registered": '®', "trademark": '™',
	"euro": '€', "sterling": '£', "yen": '¥', "section": '§', "paragraph": '¶', "degree": '°',
	"fi": 'ﬁ', "fl": 'ﬂ', "ff": 'ﬀ', "ffi": 'ﬃ', "ffl": 'ﬄ',
}

// cmap is a CMap's codespace ranges and its mappings to text (ToUnicode).
type cmap struct {
	spaces []cmapCode
	chars  map[uint32]string
	ranges []cmapRange // sorted by lo
}

// cmapCode is a codespace range: codes of n bytes, each byte within the
// bounds of its place.
type cmapCode struct {
	n      int
	lo, hi [4]byte
}

func (c cmapCode) holds(b []byte) bool {
	for i, x := range b {
		if x < c.lo[i] || x > c.hi[i] {
			return false
		}
	}
	return true
}

// cmapRange is one bfrange: codes lo to hi to dst with its last character
// counted up, or to the strings of dsts one by one.
type cmapRange struct {
	lo, hi uint32
	dst    []rune
	dsts   []string
}

func (c *cmap) lookup(code uint32) (string, bool) {
	if s, ok := c.chars[code]; ok {
		return s, true
	}
	// The ranges starting at or before code, nearest first; ranges rarely
	// overlap, so the first one that reaches code is the one.
	i := sort.Search(len(c.ranges), func(i int) bool { return c.ranges[i].lo > code })
	for j := i - 1; j >= 0 && j >= i-64; j-- {
		r := c.ranges[j]
		if code > r.hi {
			continue
		}
		off := code - r.lo
		if r.dsts != nil {
			if int(off) < len(r.dsts) {
				return r.dsts[off], true
			}
			return "", false
		}
		d := slices.Clone(r.dst)
		d[len(d)-1] += rune(off)
		return string(d), true
	}
	return "", false
}

// parseCMap reads a CMap stream's codespace ranges, bfchar and bfrange
// entries; nil when it has none.
func parseCMap(b []byte) *cmap {
	c := &cmap{chars: map[uint32]string{}}
	lx := pdfLexer{b: b}
	var str [][]byte // the strings since the last operator
	var arr []string // the strings of the last array
	inArr := false
	section := ""
	entries := 0
	for entries < maxCMapEntries {
		k, t := lx.next()
		if k == tokEOF {
			break
		}
		switch k {
		case tokOp:
			switch op := string(t); op {
			case "begincodespacerange", "beginbfchar", "beginbfrange":
				section, str = op, str[:0]
			case "endcodespacerange", "endbfchar", "endbfrange":
				section, str = "", str[:0]
			}
			continue
		case tokOther:
			switch ch := b[lx.start]; {
			case ch == '<' && lx.i-lx.start != 2:
				h, _ := pdfHex(b, lx.start)
				if inArr {
					arr = append(arr, utf16Text([]byte(h)))
				} else {
					str = append(str, []byte(h))
				}
			case ch == '(':
				s, _ := pdfLiteral(b, lx.start)
				str = append(str, []byte(s))
			case ch == '[':
				inArr, arr = true, nil
			case ch == ']':
				inArr = false
				if section == "beginbfrange" && len(str) == 2 {
					c.addRange(str[0], str[1], nil, arr)
					entries++
					str = str[:0]
				}
			}
		default:
			continue
		}
		switch {
		case section == "begincodespacerange" && len(str) == 2:
			if n := len(str[0]); n >= 1 && n <= 4 && len(str[1]) == n {
				sp := cmapCode{n: n}
				copy(sp.lo[:], str[0])
				copy(sp.hi[:], str[1])
				c.spaces = append(c.spaces, sp)
			}
			str = str[:0]
			entries++
		case section == "beginbfchar" && len(str) == 2:
			if len(str[0]) <= 4 {
				c.chars[bigEndian(str[0])] = utf16Text(str[1])
			}
			str = str[:0]
			entries++
		case section == "beginbfrange" && len(str) == 3 && !inArr:
			c.addRange(str[0], str[1], str[2], nil)
			str = str[:0]
			entries++
		}
	}
	if len(c.spaces) == 0 && len(c.chars) == 0 && len(c.ranges) == 0 {
		return nil
	}
	slices.SortStableFunc(c.ranges, func(a, b cmapRange) int {
		switch {
		case a.lo < b.lo:
			return -1
		case a.lo > b.lo:
			return 1
		}
		return 0
	})
	return c
}

func (c *cmap) addRange(lo, hi, dst []byte, dsts []string) {
	if len(lo) > 4 || len(hi) > 4 || len(lo) == 0 {
		return
	}
	r := cmapRange{lo: bigEndian(lo), hi: bigEndian(hi), dsts: dsts}
	if r.hi < r.lo {
		return
	}
	if dsts == nil {
		r.dst = []rune(utf16Text(dst))
		if len(r.dst) == 0 {
			return
		}
	}
	c.ranges = append(c.ranges, r)
}

// utf16Text reads a CMap destination: UTF-16BE, a lone byte as itself.
func utf16Text(b []byte) string {
	if len(b) == 1 {
		return string(rune(b[0]))
	}
	var rs []rune
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(b[i])<<8 | rune(b[i+1])
		if u >= 0xD800 && u < 0xDC00 && i+3 < len(b) {
			if l := rune(b[i+2])<<8 | rune(b[i+3]); l >= 0xDC00 && l < 0xE000 {
				rs = append(rs, 0x10000+(u-0xD800)<<10+(l-0xDC00))
				i += 2
				continue
			}
		}
		rs = append(rs, u)
	}
	return string(rs)
}
