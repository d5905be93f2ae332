package urls

import (
	"bytes"
	"cmp"
	"image"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kensa-milter/kensa/pdfsyntax"
)

// 2-D codes drawn with a PDF page's path operators: a quishing PDF can draw
// the code as hundreds of filled squares (or bars, or polygons, or lines
// as wide as a module) so that no image exists for a gateway to decode.
// Each page's content stream is interpreted for what fills and strokes
// paint (q/Q, cm, the colour operators, re, m/l/c/v/y/h, f/F/f*/B/B*/b/b*,
// S/s, n, Do of a Form XObject), and where many shapes share one small
// edge length (the module), their area is drawn in grey, a module about
// vectorModulePx pixels, for the same search as an image.
//
// Nothing is drawn for an ordinary page: pathTokens counts the path
// operators first, and a page with fewer than minModuleShapes of them (and
// of the forms it may draw) is not interpreted.

const (
	minModuleShapes   = 24        // shapes sharing one module size, at least, for a drawing to be searched
	vectorModulePx    = 4         // pixels a module when drawn
	maxVectorCanvas   = 1_500_000 // pixels of one drawing
	maxVectorOps      = 2_000_000 // content stream operators read per PDF
	maxVectorPoints   = 400_000   // path points kept per page
	maxVectorPages    = 16        // pages read per PDF, the first in reading order
	maxVectorDraws    = 8         // drawings searched per PDF
	maxVectorStack    = 64        // q without Q kept
	maxFormDepth      = 8         // Form XObjects drawn inside one another
	maxFormDraws      = 8192      // Form XObjects drawn per page
	maxContentBytes   = 32 << 20  // decoded bytes of one page's content, forms included
	maxVectorClusters = 3         // module sizes tried per page
)

// vecPt is a point in page space (default user space, y up).
type vecPt struct{ x, y float64 }

// vecShape is one closed subpath as painted, in page space.
type vecShape struct {
	from, to int // its points in vecPage.pts
	box      vecBox
	edge     float64 // its shortest straight edge, 0 when it has none
	curved   bool    // it has a curve: a round module ("dots" designs)
}

type vecBox struct{ x0, y0, x1, y1 float64 }

func emptyBox() vecBox { return vecBox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b *vecBox) add(p vecPt) {
	b.x0, b.y0, b.x1, b.y1 = min(b.x0, p.x), min(b.y0, p.y), max(b.x1, p.x), max(b.y1, p.y)
}

func (b vecBox) union(o vecBox) vecBox {
	return vecBox{min(b.x0, o.x0), min(b.y0, o.y0), max(b.x1, o.x1), max(b.y1, o.y1)}
}

func (b vecBox) meets(o vecBox) bool {
	return b.x0 <= o.x1 && o.x0 <= b.x1 && b.y0 <= o.y1 && o.y0 <= b.y1
}

// vecPaint is one fill: its shapes, the rule, the colour's luminance.
type vecPaint struct {
	from, to int // its shapes in vecPage.shapes
	evenOdd  bool
	grey     uint8
	box      vecBox
	clip     vecBox // what of it shows
}

// vecPage is what a page paints, in the order it paints it.
type vecPage struct {
	pts      []vecPt
	shapes   []vecShape
	paints   []vecPaint
	deadline time.Time // when drawing stops (a hostile path of many long edges); zero for none
}

// late says the drawing's time is up.
func (pg *vecPage) late() bool { return !pg.deadline.IsZero() && time.Now().After(pg.deadline) }

// colour spaces the colour operators read
type vecCS uint8

const (
	csGray vecCS = iota
	csRGB
	csCMYK
	csTint    // Separation, DeviceN: ink
	csLab     // L* first
	csPattern // a tiling pattern's cells paint (paintPattern)
	csUnknown // Indexed...: what it paints is not drawn
)

type vecGState struct {
	pdfGState
	fill, stroke     uint8
	fillCS, strokeCS vecCS
	fillOK, strokeOK bool // the colour is known
	lineWidth        float64
	projecting       bool   // line cap 1 or 2: the stroke goes on past its ends
	clip             vecBox // what may show, in page space: the box of the clip path (W n), the page's, the form's
	pattern          string // the fill's pattern, in csPattern
	font             *type3Font
}

type vecSub struct {
	from, to int // in vecInterp.path
	edge     float64
	closed   bool
	curved   bool
}

// vecInterp interprets content streams for one page.
type vecInterp struct {
	objs     map[int]pdfObj
	forms    map[int][]byte // decoded form streams, by object
	page     *vecPage
	gs       vecGState
	stack    []vecGState
	over     int // q past maxVectorStack, still to be matched by Q
	ops      *int
	draws    int
	depth    int
	path     []vecPt
	subs     []vecSub
	deadline time.Time
	full     bool       // a bound was reached: stop
	clipping bool       // W or W*: the path, when painted or ended, clips what follows
	base     [6]float64 // the content stream's own space: the page's, or a form's (a pattern's cells are placed in it)
	res      string     // the content stream's resources
	pos      pdfTextPos // BT … ET
	fonts    map[int]*type3Font
	inline   *[]inlineImage // the inline images large enough to hold a code, of every page
	tiles    *pdfTiles      // where every image lands, of every page (qrpdftiles.go)
	pageNum  int
}

// inlineImage is an inline image (BI … ID … EI) a page draws, not yet
// drawn itself: drawPDFImage does that within the message's budget.
type inlineImage struct {
	page int // the page's object number
	o    pdfObj
}

// inlineImage keeps an inline image that may hold a code and shows (the
// clip does not hide it), up to maxPDFImages a PDF.
func (vi *vecInterp) inlineImage(o pdfObj) {
	w, _ := strconv.Atoi(o.dict["Width"])
	h, _ := strconv.Atoi(o.dict["Height"])
	if o.dict == nil || w < minCodeSide || h < minCodeSide || len(*vi.inline) >= maxPDFImages {
		return
	}
	if b := vi.boxUnder(vi.gs.ctm, vecBox{0, 0, 1, 1}); !b.finite() || !b.meets(vi.gs.clip) { // an image fills the unit square
		return
	}
	*vi.inline = append(*vi.inline, inlineImage{vi.pageNum, o})
}

// pdfVectorDrawings draws the areas of the PDF doc's pages that look like a
// 2-D code drawn with path operators, lists the inline images they draw
// that are large enough to hold one, and where every image lands (tiles:
// for codes split into several images).
func pdfVectorDrawings(doc *pdfDoc, deadline time.Time) (out []vectorDrawing, inline []inlineImage, tiles pdfTiles) {
	objs := doc.withObjStms()
	mayTile := pdfImageObjects(objs) >= 2 // a page that draws two images may split a code between them
	ops := 0
	forms := map[int][]byte{}
	formTokens := -1 // the forms' path tokens, counted when a page first draws an XObject
	type3 := -1      // 1 when the PDF has a Type 3 font, looked for when a page first shows text
	for _, n := range pageOrder(objs, maxVectorPages) {
		if len(out) >= maxVectorDraws || ops >= maxVectorOps || time.Now().After(deadline) {
			break
		}
		contents := pageContents(objs, objs[n])
		annots := objs[n].dict["Annots"] != ""
		if len(contents) == 0 && annots {
			contents = [][]byte{nil} // annotations on a page of no content of its own
		}
		for _, content := range contents {
			tokens := pathTokens(content)
			if tokens < minModuleShapes && (annots || bytes.Contains(content, []byte("Do")) || bytes.Contains(content, []byte("scn"))) {
				if formTokens < 0 {
					formTokens = formPathTokens(objs, forms)
				}
				tokens += formTokens
			}
			if tokens < minModuleShapes && (bytes.Contains(content, []byte("Tj")) || bytes.Contains(content, []byte("TJ"))) {
				if type3 < 0 {
					type3 = 0
					for _, o := range objs {
						if o.dict["Subtype"] == "/Type3" {
							type3 = 1
							break
						}
					}
				}
				tokens += type3 * minModuleShapes // each glyph may draw shapes
			}
			if tokens < minModuleShapes && !(mayTile && tokens >= 2) {
				continue
			}
			vi := &vecInterp{objs: objs, forms: forms, page: &vecPage{deadline: deadline}, ops: &ops, deadline: deadline, inline: &inline, tiles: &tiles, pageNum: n, base: identity}
			vi.gs = vecGState{pdfGState: pdfGState{ctm: identity, hScale: 1}, fillOK: true, strokeOK: true, lineWidth: 1, clip: pageBox(objs, objs[n])}
			vi.run(content, pageResources(objs, objs[n]))
			if annots {
				vi.annotations(objs[n])
			}
			for _, g := range vi.page.drawings() {
				if len(out) < maxVectorDraws {
					out = append(out, vectorDrawing{page: n, img: g})
				}
			}
			if len(out) > 0 || len(inline) > 0 || len(tiles.placed) > 0 {
				break // the joined reading found something: the other reading is not needed
			}
		}
	}
	return out, inline, tiles
}

// addObjStmObjects adds the objects of the PDF's object streams (Flate or
// none) to objs, where pages, resources and forms' dictionaries live in
// files written since PDF 1.5. An object written outside any stream keeps
// its place (an incremental update that rewrites it).
func addObjStmObjects(objs map[int]pdfObj) {
	var stms []int
	for n, o := range objs {
		if o.data != nil && o.dict["Type"] == "/ObjStm" {
			stms = append(stms, n)
		}
	}
	slices.Sort(stms)
	total := 0
	for _, n := range stms {
		o := objs[n]
		first, _ := strconv.Atoi(o.dict["First"])
		count, _ := strconv.Atoi(o.dict["N"])
		data := pdfStreamBytes(o, maxContentBytes-total)
		total += len(data)
		for _, so := range pdfsyntax.ObjStm(data, count, first, maxPDFObjectsRead-len(objs)) {
			if _, ok := objs[so.Num]; !ok {
				objs[so.Num] = pdfObj{dict: pdfKeys(so.Dict), raw: so.Dict}
			}
		}
	}
}

// pageOrder lists the first limit pages in reading order: the
// page tree from the catalog's /Pages, depth first, then page objects the
// tree does not reach, in object order. Pages are inflated to be read, so
// a long report costs its first pages, not all of them.
func pageOrder(objs map[int]pdfObj, limit int) []int {
	var out []int
	seen := map[int]bool{}
	var walk func(n, depth int)
	walk = func(n, depth int) {
		o, ok := objs[n]
		if !ok || seen[n] || depth > 32 || len(out) >= limit {
			return
		}
		seen[n] = true
		switch o.dict["Type"] {
		case "/Page":
			out = append(out, n)
		case "/Pages":
			kids := o.dict["Kids"]
			if k, ok := pdfRef(kids); ok && objs[k].data == nil {
				kids = string(objs[k].raw) // an indirect array
			}
			for _, k := range pdfRefs(kids, 4096) {
				walk(k, depth+1)
			}
		}
	}
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for _, n := range nums {
		if objs[n].dict["Type"] == "/Catalog" {
			if p, ok := pdfRef(objs[n].dict["Pages"]); ok {
				walk(p, 0)
			}
		}
	}
	for _, n := range nums {
		if len(out) >= limit {
			break
		}
		if !seen[n] && objs[n].dict["Type"] == "/Page" {
			out = append(out, n)
		}
	}
	return out
}

type vectorDrawing struct {
	page int // the page's object number
	img  *image.Gray
}

// pageContents is the page's content as readers join /Contents [a b c]:
// the streams one after the other, so that a token may run on from one
// stream into the next. When a boundary falls inside a token, a second
// reading puts a line break at each boundary, as readers that read each
// stream apart do.
func pageContents(objs map[int]pdfObj, page pdfObj) [][]byte {
	v := page.dict["Contents"]
	if n, ok := pdfRef(v); ok {
		if o, ok := objs[n]; ok && o.data == nil {
			v = string(bytes.TrimSpace(o.raw)) // an indirect array
		}
	}
	var parts [][]byte
	total := 0
	for _, n := range pdfRefs(v, 1024) {
		o, ok := objs[n]
		if !ok || o.data == nil {
			continue
		}
		d := pdfStreamBytes(o, maxContentBytes-total)
		total += len(d)
		parts = append(parts, d)
	}
	if len(parts) == 0 {
		return nil
	}
	joined := bytes.Join(parts, nil)
	split := false
	for i := 1; i < len(parts); i++ {
		a, b := parts[i-1], parts[i]
		if len(a) > 0 && len(b) > 0 && !pdfsyntax.Delimiter(a[len(a)-1]) && !pdfsyntax.Delimiter(b[0]) {
			split = true
		}
	}
	if !split {
		return [][]byte{joined}
	}
	return [][]byte{joined, bytes.Join(parts, []byte("\n"))}
}

// pdfRefs lists the references in v ("4 0 R" or "[4 0 R 5 0 R]").
func pdfRefs(v string, max int) []int {
	var out []int
	f := bytes.Fields([]byte(v))
	for i := 0; i+2 < len(f) && len(out) < max; i++ {
		if string(bytes.TrimRight(f[i+2], "]")) != "R" || !allDigits(string(f[i+1])) {
			continue
		}
		if n, err := strconv.Atoi(string(bytes.TrimLeft(f[i], "["))); err == nil {
			out = append(out, n)
			i += 2
		}
	}
	return out
}

// pdfStreamBytes decodes a content stream with its filters (pdfsyntax,
// as unpack decodes streams: Flate, LZW, ASCIIHex, ASCII85, RunLength,
// chained, with their predictors); at most limit bytes. A stream cut short
// or damaged still shows its start; a filter no reader knows gives nothing.
func pdfStreamBytes(o pdfObj, limit int) []byte {
	if limit <= 0 {
		return nil
	}
	if o.inflated != nil { // what the filters below would give: unpack inflated it
		n := min(len(o.inflated), limit)
		return o.inflated[:n:n] // unpack's member: appending must copy
	}
	filters, err := pdfsyntax.Filters(PDFUnescape(o.raw), nil)
	if err != nil {
		return nil
	}
	if allFlate(filters) { // the common case: the pooled inflater
		data := o.data
		for range filters {
			d, ok := pdfsyntax.Inflate(data, limit) // a truncated stream still shows its start
			if !ok {
				return nil
			}
			data = d
		}
		return data[:min(len(data), limit)]
	}
	return pdfDecode(filters, o.data, limit)
}

// allFlate: every filter is Flate without a predictor (or there is none).
func allFlate(filters []pdfsyntax.FilterSpec) bool {
	for _, f := range filters {
		if f.Name != "FlateDecode" || pdfsyntax.IntParam(f.Parms, "/Predictor", 1) > 1 {
			return false
		}
	}
	return true
}

// pdfDecode applies filters to data (pdfsyntax.Apply), at most limit bytes
// out; what was read before an error is kept. nil for a filter that makes
// pixels or that no reader knows.
func pdfDecode(filters []pdfsyntax.FilterSpec, data []byte, limit int) []byte {
	var used []io.ReadCloser
	defer func() {
		for _, zr := range used {
			pdfsyntax.ReleaseZlib(zr)
		}
	}()
	r, skip, err := pdfsyntax.Apply(filters, data, &used)
	if skip || err != nil {
		return nil
	}
	out, _ := io.ReadAll(io.LimitReader(r, int64(limit)))
	return out
}

// pageResources is the page's /Resources, inherited from its parents when
// it has none.
func pageResources(objs map[int]pdfObj, page pdfObj) string {
	o := page
	for i := 0; i < 16; i++ {
		if r, ok := o.dict["Resources"]; ok {
			return resolveDict(objs, r)
		}
		n, ok := pdfRef(o.dict["Parent"])
		if !ok {
			break
		}
		if o, ok = objs[n]; !ok {
			break
		}
	}
	return ""
}

// resolveDict is v's dictionary text, following one reference.
func resolveDict(objs map[int]pdfObj, v string) string {
	if n, ok := pdfRef(v); ok {
		if o, ok := objs[n]; ok {
			return string(o.raw)
		}
		return ""
	}
	return v
}

// formPathTokens counts the path tokens of the PDF's Form XObjects, tiling
// patterns and annotation appearances (a stream with a /BBox; decoded once
// per PDF), so that a page drawing a code as forms, a pattern's cells or an
// annotation's appearance is interpreted.
func formPathTokens(objs map[int]pdfObj, forms map[int][]byte) int {
	n := 0
	for num, o := range objs {
		if o.data == nil || o.dict["Subtype"] != "/Form" && o.dict["PatternType"] != "1" && (o.dict["BBox"] == "" || o.dict["Subtype"] != "") {
			continue
		}
		d, ok := forms[num]
		if !ok {
			d = pdfStreamBytes(o, maxContentBytes)
			forms[num] = d
		}
		n += pathTokens(d)
		if n >= minModuleShapes {
			break
		}
	}
	return n
}

// pathTokens counts the tokens "re", "m" and "Do" in b, a cheap upper
// bound on the shapes a stream can start, stopping at minModuleShapes; an
// inline image (BI) counts as that many, for it is read as an image.
func pathTokens(b []byte) int {
	n := 0
	for i := 0; i < len(b) && n < minModuleShapes; i++ {
		var l int
		switch b[i] {
		case 'B':
			if i+1 < len(b) && b[i+1] == 'I' && (i == 0 || pdfsyntax.Delimiter(b[i-1]) && b[i-1] != '/') && (i+2 == len(b) || pdfsyntax.Delimiter(b[i+2])) {
				return minModuleShapes
			}
		case 'm':
			l = 1
		case 'r':
			if i+1 < len(b) && b[i+1] == 'e' {
				l = 2
			}
		case 'D':
			if i+1 < len(b) && b[i+1] == 'o' {
				l = 2
			}
		}
		if l == 0 || i > 0 && !pdfsyntax.Delimiter(b[i-1]) || i+l < len(b) && !pdfsyntax.Delimiter(b[i+l]) {
			continue
		}
		n++
	}
	return n
}

// run interprets one content stream with its resources.
func (vi *vecInterp) run(b []byte, res string) {
	vi.res = res
	c := newPDFOperands(b, false)
	for !vi.full {
		tok := c.next()
		if tok == nil {
			return
		}
		if !opsLeft(vi.ops, maxVectorOps, vi.deadline) {
			vi.full = true
			return
		}
		vi.op(tok, c.numbers(8), res, &c)
		c.name = c.name[:0] // a name is the operand of the operator after it alone
	}
}

func (vi *vecInterp) op(tok []byte, a []float64, res string, c *pdfOperands) {
	gs := &vi.gs
	name := c.name
	op := string(tok)
	if gs.op(op, a, &vi.pos) {
		return
	}
	switch op {
	case "q":
		if len(vi.stack) < maxVectorStack {
			vi.stack = append(vi.stack, *gs)
		} else {
			vi.over++
		}
	case "Q":
		if vi.over > 0 {
			vi.over--
		} else if len(vi.stack) > 0 {
			*gs = vi.stack[len(vi.stack)-1]
			vi.stack = vi.stack[:len(vi.stack)-1]
		}
	case "w":
		if len(a) == 1 {
			gs.lineWidth = math.Abs(a[0])
		}
	case "J":
		if len(a) == 1 {
			gs.projecting = a[0] != 0
		}
	case "g", "G":
		vi.setColour(op == "G", csGray, a)
	case "rg", "RG":
		vi.setColour(op == "RG", csRGB, a)
	case "k", "K":
		vi.setColour(op == "K", csCMYK, a)
	case "cs":
		gs.fillCS = vi.colourSpace(string(name), res)
		gs.fill, gs.fillOK = initialGrey(gs.fillCS)
	case "CS":
		gs.strokeCS = vi.colourSpace(string(name), res)
		gs.stroke, gs.strokeOK = initialGrey(gs.strokeCS)
	case "sc", "scn":
		gs.fill, gs.fillOK = colourGrey(gs.fillCS, a)
		if gs.fillCS == csPattern {
			gs.pattern = string(name)
		}
	case "SC", "SCN":
		gs.stroke, gs.strokeOK = colourGrey(gs.strokeCS, a)
	case "m":
		if len(a) == 2 {
			vi.subs = append(vi.subs, vecSub{from: len(vi.path), to: len(vi.path)})
			vi.lineTo(a[0], a[1], false)
		}
	case "l":
		if len(a) == 2 {
			vi.lineTo(a[0], a[1], true)
		}
	case "c", "v", "y":
		vi.curve(op, a)
	case "h":
		if n := len(vi.subs); n > 0 {
			vi.subs[n-1].closed = true
			vi.closingEdge(n - 1)
		}
	case "re":
		if len(a) == 4 {
			x, y, w, h := a[0], a[1], a[2], a[3]
			vi.subs = append(vi.subs, vecSub{from: len(vi.path), to: len(vi.path)})
			vi.lineTo(x, y, false)
			vi.lineTo(x+w, y, true)
			vi.lineTo(x+w, y+h, true)
			vi.lineTo(x, y+h, true)
			vi.subs[len(vi.subs)-1].closed = true
			vi.closingEdge(len(vi.subs) - 1)
		}
	case "W", "W*":
		vi.clipping = true
	case "f", "F", "f*":
		vi.fill(op == "f*")
	case "B", "B*", "b", "b*":
		vi.fill(op == "B*" || op == "b*")
		vi.strokePath(op[0] == 'b')
	case "S", "s":
		vi.strokePath(op == "s")
	case "n":
		vi.clip()
		vi.path, vi.subs = vi.path[:0], vi.subs[:0]
	case "Do":
		vi.drawForm(string(name), res)
	case "BI":
		o := c.lx.inlineImage()
		vi.inlineImage(o)
		vi.placeTile(0, o)
	case "Tf":
		if len(a) == 1 {
			gs.font, gs.size = vi.type3(string(name), res), a[0]
		}
	case "Tj", "'", "\"":
		if c.strAt >= 0 && gs.font != nil {
			vi.show(pdfString(c.lx.b, c.strAt))
		}
	case "TJ":
		if gs.font != nil && c.arrAt >= 0 {
			vi.pos.showArray(c.lx.b[c.arrAt:c.lx.i], &gs.pdfGState, func(s []byte) bool {
				vi.show(s)
				return !vi.full
			})
		}
	}
}

// setColour sets the fill or stroke colour in a device colour space.
func (vi *vecInterp) setColour(stroke bool, cs vecCS, a []float64) {
	g, ok := colourGrey(cs, a)
	if stroke {
		vi.gs.strokeCS, vi.gs.stroke, vi.gs.strokeOK = cs, g, ok
	} else {
		vi.gs.fillCS, vi.gs.fill, vi.gs.fillOK = cs, g, ok
	}
}

// boxUnder is the page-space box of b, a box in the space ctm maps.
func (vi *vecInterp) boxUnder(ctm [6]float64, b vecBox) vecBox {
	out := emptyBox()
	for _, p := range [4]vecPt{{b.x0, b.y0}, {b.x1, b.y0}, {b.x1, b.y1}, {b.x0, b.y1}} {
		out.add(vecPt{ctm[0]*p.x + ctm[2]*p.y + ctm[4], ctm[1]*p.x + ctm[3]*p.y + ctm[5]})
	}
	return out
}

// matMul is m × n for PDF matrices [a b c d e f].
func matMul(m, n [6]float64) [6]float64 {
	return [6]float64{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (vi *vecInterp) apply(x, y float64) vecPt {
	m := &vi.gs.ctm
	return vecPt{m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]}
}

// lineTo adds a point to the open subpath; straight says the edge to it
// is a line (a curve's pieces are not module edges).
func (vi *vecInterp) lineTo(x, y float64, straight bool) {
	if len(vi.subs) == 0 || len(vi.page.pts)+len(vi.path) >= maxVectorPoints {
		if len(vi.subs) > 0 {
			vi.full = true
		}
		return
	}
	p := vi.apply(x, y)
	s := &vi.subs[len(vi.subs)-1]
	if straight && s.to > s.from {
		s.edge = shorter(s.edge, dist(vi.path[s.to-1], p))
	}
	vi.path = append(vi.path, p)
	s.to = len(vi.path)
}

func (vi *vecInterp) closingEdge(i int) {
	s := &vi.subs[i]
	if s.to-s.from > 2 {
		s.edge = shorter(s.edge, dist(vi.path[s.to-1], vi.path[s.from]))
	}
}

func shorter(a, d float64) float64 {
	if d < 1e-9 {
		return a // a repeated point is no edge
	}
	if a == 0 || d < a {
		return d
	}
	return a
}

func dist(p, q vecPt) float64 { return math.Hypot(p.x-q.x, p.y-q.y) }

// curve flattens a Bézier curve into 8 lines.
func (vi *vecInterp) curve(op string, a []float64) {
	if len(vi.subs) == 0 || vi.subs[len(vi.subs)-1].to == vi.subs[len(vi.subs)-1].from {
		return
	}
	var c1, c2, e vecPt
	inv, ok := invertMatrix(vi.gs.ctm)
	if !ok {
		return
	}
	last := vi.path[len(vi.path)-1]
	p0 := vecPt{inv[0]*last.x + inv[2]*last.y + inv[4], inv[1]*last.x + inv[3]*last.y + inv[5]}
	switch {
	case op == "c" && len(a) == 6:
		c1, c2, e = vecPt{a[0], a[1]}, vecPt{a[2], a[3]}, vecPt{a[4], a[5]}
	case op == "v" && len(a) == 4:
		c1, c2, e = p0, vecPt{a[0], a[1]}, vecPt{a[2], a[3]}
	case op == "y" && len(a) == 4:
		c1, c2, e = vecPt{a[0], a[1]}, vecPt{a[2], a[3]}, vecPt{a[2], a[3]}
	default:
		return
	}
	for i := 1; i <= 8; i++ {
		t := float64(i) / 8
		u := 1 - t
		x := u*u*u*p0.x + 3*u*u*t*c1.x + 3*u*t*t*c2.x + t*t*t*e.x
		y := u*u*u*p0.y + 3*u*u*t*c1.y + 3*u*t*t*c2.y + t*t*t*e.y
		vi.lineTo(x, y, false)
	}
	vi.subs[len(vi.subs)-1].curved = true
}

// invertMatrix is m's inverse, ok false when it has none.
func invertMatrix(m [6]float64) ([6]float64, bool) {
	det := m[0]*m[3] - m[1]*m[2]
	if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
		return m, false
	}
	a, b, c, d := m[3]/det, -m[1]/det, -m[2]/det, m[0]/det
	return [6]float64{a, b, c, d, -(m[4]*a + m[5]*c), -(m[4]*b + m[5]*d)}, true
}

// clip narrows the clip to the current path's box after W or W*: what
// shows is inside both (a box, not the path: never less than shows).
func (vi *vecInterp) clip() {
	if !vi.clipping {
		return
	}
	vi.clipping = false
	box := emptyBox()
	for _, p := range vi.path {
		box.add(p)
	}
	vi.gs.clip = vi.gs.clip.intersect(box)
}

func (b vecBox) intersect(o vecBox) vecBox {
	return vecBox{max(b.x0, o.x0), max(b.y0, o.y0), min(b.x1, o.x1), min(b.y1, o.y1)}
}

// everywhere is the clip of nothing clipped.
var everywhere = vecBox{math.Inf(-1), math.Inf(-1), math.Inf(1), math.Inf(1)}

// pageBox is what a page shows, its CropBox or else its MediaBox (from
// its parents when it has none); everywhere when it says neither.
func pageBox(objs map[int]pdfObj, page pdfObj) vecBox {
	o := page
	for range 16 {
		for _, k := range []string{"CropBox", "MediaBox"} {
			if b, ok := pdfRect(resolveDict(objs, o.dict[k])); ok {
				return b
			}
		}
		n, ok := pdfRef(o.dict["Parent"])
		if !ok {
			break
		}
		if o, ok = objs[n]; !ok {
			break
		}
	}
	return everywhere
}

// pdfRect reads a rectangle "[x0 y0 x1 y1]", its corners in any order.
func pdfRect(v string) (vecBox, bool) {
	f := bytes.Fields(bytes.Trim(bytes.TrimSpace([]byte(v)), "[]"))
	if len(f) != 4 {
		return vecBox{}, false
	}
	b := emptyBox()
	b.add(vecPt{parsePDFNum(f[0]), parsePDFNum(f[1])})
	b.add(vecPt{parsePDFNum(f[2]), parsePDFNum(f[3])})
	return b, b.finite()
}

// fill paints the current path's subpaths and starts a new path; a shape
// the clip hides is not painted, and the rest only inside the clip.
func (vi *vecInterp) fill(evenOdd bool) {
	vi.clip()
	if vi.gs.fillCS == csPattern && vi.gs.pattern != "" {
		box := emptyBox()
		for _, p := range vi.path {
			box.add(p)
		}
		vi.path, vi.subs = vi.path[:0], vi.subs[:0]
		vi.paintPattern(box)
		return
	}
	if vi.gs.fillOK {
		pg := vi.page
		p := vecPaint{from: len(pg.shapes), evenOdd: evenOdd, grey: vi.gs.fill, box: emptyBox(), clip: vi.gs.clip}
		for _, s := range vi.subs {
			if s.to-s.from < 3 {
				continue
			}
			sh := vecShape{from: len(pg.pts), edge: s.edge, curved: s.curved, box: emptyBox()}
			for _, q := range vi.path[s.from:s.to] {
				sh.box.add(q)
			}
			if !sh.box.finite() || !sh.box.meets(vi.gs.clip) {
				continue
			}
			if w, h := sh.box.x1-sh.box.x0, sh.box.y1-sh.box.y0; s.curved && s.edge == 0 && min(w, h) > 0 && max(w, h) <= 1.2*min(w, h) {
				sh.edge = min(w, h) // a dot: its size is the module's
			}
			pg.pts = append(pg.pts, vi.path[s.from:s.to]...)
			sh.to = len(pg.pts)
			p.box = p.box.union(sh.box)
			pg.shapes = append(pg.shapes, sh)
		}
		p.to = len(pg.shapes)
		if p.to > p.from {
			pg.paints = append(pg.paints, p)
		}
	}
	vi.path, vi.subs = vi.path[:0], vi.subs[:0]
}

func (b vecBox) finite() bool {
	for _, v := range [4]float64{b.x0, b.y0, b.x1, b.y1} {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e7 {
			return false
		}
	}
	return true
}

// strokePath paints each line of the path as a rectangle as wide as the
// line (joins and round caps are not drawn: a square cap stands in for a
// round one), then starts a new path.
func (vi *vecInterp) strokePath(closeFirst bool) {
	gs := vi.gs
	// The width in page space, for a scale the same both ways.
	w := gs.lineWidth * math.Sqrt(math.Abs(gs.ctm[0]*gs.ctm[3]-gs.ctm[1]*gs.ctm[2]))
	vi.clip()
	if gs.strokeOK && w > 0 {
		subs, path := slices.Clone(vi.subs), slices.Clone(vi.path)
		vi.path, vi.subs = vi.path[:0], vi.subs[:0]
		for _, s := range subs {
			pts := path[s.from:s.to]
			n := len(pts) - 1
			if (s.closed || closeFirst) && len(pts) > 2 {
				n++
			}
			for i := 0; i < n; i++ {
				p, q := pts[i], pts[(i+1)%len(pts)]
				d := dist(p, q)
				if d < 1e-9 {
					continue
				}
				ux, uy := (q.x-p.x)/d, (q.y-p.y)/d
				if gs.projecting {
					p = vecPt{p.x - ux*w/2, p.y - uy*w/2}
					q = vecPt{q.x + ux*w/2, q.y + uy*w/2}
				}
				nx, ny := -uy*w/2, ux*w/2
				vi.subs = append(vi.subs, vecSub{from: len(vi.path), edge: min(w, dist(p, q))})
				vi.path = append(vi.path, vecPt{p.x + nx, p.y + ny}, vecPt{q.x + nx, q.y + ny}, vecPt{q.x - nx, q.y - ny}, vecPt{p.x - nx, p.y - ny})
				vi.subs[len(vi.subs)-1].to = len(vi.path)
				if len(vi.path) > maxVectorPoints {
					break
				}
			}
		}
		vi.gs.fill, vi.gs.fillOK, vi.gs.fillCS = gs.stroke, true, gs.strokeCS
		vi.fill(false) // every rectangle turns the same way: non-zero fills their overlaps
		vi.gs.fill, vi.gs.fillOK, vi.gs.fillCS = gs.fill, gs.fillOK, gs.fillCS
		return
	}
	vi.path, vi.subs = vi.path[:0], vi.subs[:0]
}

// colourSpace reads the colour space a cs/CS operand names.
func (vi *vecInterp) colourSpace(name, res string) vecCS {
	switch name {
	case "DeviceGray", "G", "CalGray":
		return csGray
	case "DeviceRGB", "RGB", "CalRGB":
		return csRGB
	case "DeviceCMYK", "CMYK":
		return csCMYK
	case "Pattern":
		return csPattern
	}
	spaces := pdfKeys([]byte(resolveDict(vi.objs, pdfKeys([]byte(res))["ColorSpace"])))
	v, ok := spaces[name]
	if !ok {
		return csUnknown
	}
	if n, ok := pdfRef(v); ok {
		if o, ok := vi.objs[n]; ok {
			v = string(o.raw)
		}
	}
	f := bytes.Fields([]byte(trimArray(v)))
	if len(f) == 0 {
		return csUnknown
	}
	switch string(f[0]) {
	case "/DeviceGray", "/CalGray":
		return csGray
	case "/DeviceRGB", "/CalRGB":
		return csRGB
	case "/DeviceCMYK":
		return csCMYK
	case "/Lab":
		return csLab
	case "/Separation", "/DeviceN":
		return csTint
	case "/Pattern":
		return csPattern
	case "/ICCBased":
		if len(f) >= 3 {
			if n, ok := pdfRef(string(f[1]) + " " + string(f[2]) + " R"); ok {
				switch vi.objs[n].dict["N"] {
				case "1":
					return csGray
				case "3":
					return csRGB
				case "4":
					return csCMYK
				}
			}
		}
	}
	return csUnknown
}

// trimArray drops an array's opening bracket.
func trimArray(v string) string {
	v = string(bytes.TrimSpace([]byte(v)))
	if len(v) > 0 && v[0] == '[' {
		v = v[1:]
	}
	return v
}

// initialGrey is a colour space's first colour: black, or full ink.
func initialGrey(cs vecCS) (uint8, bool) {
	return 0, cs != csUnknown && cs != csPattern // a pattern paints when scn names it
}

// colourGrey is the luminance of a colour in cs, ok false when it is not
// known (a pattern, an indexed colour, the wrong number of values).
func colourGrey(cs vecCS, a []float64) (uint8, bool) {
	c := func(i int) float64 { return min(1, max(0, a[i])) }
	var l float64
	switch {
	case cs == csGray && len(a) == 1:
		l = c(0)
	case cs == csRGB && len(a) == 3:
		l = 0.299*c(0) + 0.587*c(1) + 0.114*c(2)
	case cs == csCMYK && len(a) == 4:
		k := 1 - c(3)
		l = 0.299*(1-c(0))*k + 0.587*(1-c(1))*k + 0.114*(1-c(2))*k
	case cs == csTint && len(a) >= 1:
		t := 0.0
		for i := range a {
			t = max(t, c(i))
		}
		l = 1 - t
	case cs == csLab && len(a) == 3:
		l = min(1, max(0, a[0]/100))
	default:
		return 0, false
	}
	return uint8(math.Round(l * 255)), true
}

// drawForm draws the Form XObject the resources call name.
func (vi *vecInterp) drawForm(name, res string) {
	if vi.depth >= maxFormDepth || vi.draws >= maxFormDraws {
		return
	}
	xobjs := pdfKeys([]byte(resolveDict(vi.objs, pdfKeys([]byte(res))["XObject"])))
	n, ok := pdfRef(xobjs[name])
	if !ok {
		return
	}
	o, ok := vi.objs[n]
	if ok && o.data != nil && o.dict["Subtype"] == "/Image" {
		vi.placeTile(n, o)
		return
	}
	if !ok || o.data == nil || o.dict["Subtype"] != "/Form" {
		return
	}
	gs := vi.gs
	if m, ok := pdfMatrix(o.dict["Matrix"]); ok {
		gs.ctm = matMul(m, gs.ctm)
	}
	if b, ok := pdfRect(o.dict["BBox"]); ok {
		gs.clip = gs.clip.intersect(vi.boxUnder(gs.ctm, b))
	}
	formRes := res
	if r, ok := o.dict["Resources"]; ok {
		formRes = resolveDict(vi.objs, r)
	}
	vi.nested(n, formRes, gs)
}

// nested runs the content stream of object n (a form, a pattern's cell, a
// Type 3 glyph; decoded once per PDF) with its resources, from the state gs
// and a path of its own, then goes back to where it was.
func (vi *vecInterp) nested(n int, res string, gs vecGState) {
	d, ok := vi.forms[n]
	if !ok {
		d = pdfStreamBytes(vi.objs[n], maxContentBytes)
		vi.forms[n] = d
	}
	vi.draws++
	saved, path, subs, stack, over, base, savedRes, pos := vi.gs, vi.path, vi.subs, vi.stack, vi.over, vi.base, vi.res, vi.pos
	vi.gs, vi.stack, vi.over, vi.path, vi.subs, vi.base = gs, nil, 0, nil, nil, gs.ctm
	vi.depth++
	vi.run(d, res)
	vi.depth--
	vi.gs, vi.path, vi.subs, vi.stack, vi.over, vi.base, vi.res, vi.pos = saved, path, subs, stack, over, base, savedRes, pos
}

// maxPatternTiles bounds the cells of one pattern fill drawn: a code is one
// or a few large cells; a hatching's thousands of small ones are not drawn.
const maxPatternTiles = 64

// paintPattern paints the cells of the tiling pattern gs.pattern (ISO 32000
// 8.7.3.3) over area, the box of the path it fills, and only inside it: a
// code may be the one cell of a pattern that fills a square. Its colours
// are its own (or black for an uncoloured pattern).
func (vi *vecInterp) paintPattern(area vecBox) {
	if vi.depth >= maxFormDepth || vi.draws >= maxFormDraws || !area.finite() {
		return
	}
	pats := pdfKeys([]byte(resolveDict(vi.objs, pdfKeys([]byte(vi.res))["Pattern"])))
	n, ok := pdfRef(pats[vi.gs.pattern])
	o := vi.objs[n]
	if !ok || o.data == nil || o.dict["PatternType"] != "1" {
		return
	}
	bbox, ok := pdfRect(o.dict["BBox"])
	xs, ys := math.Abs(parsePDFNum([]byte(o.dict["XStep"]))), math.Abs(parsePDFNum([]byte(o.dict["YStep"])))
	m, mok := pdfMatrix(o.dict["Matrix"])
	if !mok {
		m = identity
	}
	m = matMul(m, vi.base)
	inv, iok := invertMatrix(m)
	if !ok || !iok || xs < 1e-6 || ys < 1e-6 {
		return
	}
	// The area in pattern space: the cells that meet it.
	pa := emptyBox()
	for _, p := range [4]vecPt{{area.x0, area.y0}, {area.x1, area.y0}, {area.x1, area.y1}, {area.x0, area.y1}} {
		pa.add(vecPt{inv[0]*p.x + inv[2]*p.y + inv[4], inv[1]*p.x + inv[3]*p.y + inv[5]})
	}
	i0, i1 := math.Floor((pa.x0-bbox.x1)/xs), math.Ceil((pa.x1-bbox.x0)/xs)
	j0, j1 := math.Floor((pa.y0-bbox.y1)/ys), math.Ceil((pa.y1-bbox.y0)/ys)
	if !(i1-i0 < maxPatternTiles && j1-j0 < maxPatternTiles) || (i1-i0+1)*(j1-j0+1) > maxPatternTiles {
		return
	}
	patRes := ""
	if r, ok := o.dict["Resources"]; ok {
		patRes = resolveDict(vi.objs, r)
	}
	clip := vi.gs.clip.intersect(area)
	for i := i0; i <= i1 && !vi.full; i++ {
		for j := j0; j <= j1 && !vi.full; j++ {
			cell := matMul([6]float64{1, 0, 0, 1, i * xs, j * ys}, m)
			vi.nested(n, patRes, vecGState{pdfGState: pdfGState{ctm: cell, hScale: 1}, fillOK: true, strokeOK: true, lineWidth: 1, clip: clip.intersect(vi.boxUnder(cell, bbox))})
		}
	}
}

// pdfMatrix reads "[a b c d e f]".
func pdfMatrix(v string) ([6]float64, bool) {
	var m [6]float64
	f := bytes.Fields(bytes.Trim(bytes.TrimSpace([]byte(v)), "[]"))
	if len(f) != 6 {
		return m, false
	}
	for i, s := range f {
		m[i] = parsePDFNum(s)
	}
	return m, true
}

// drawings finds the module sizes many shapes share and draws each one's
// area; nil for a page that draws nothing like a code.
func (pg *vecPage) drawings() []*image.Gray {
	used := make([]bool, len(pg.shapes))
	var out []*image.Gray
	for range maxVectorClusters {
		m, box, ok := pg.modules(used)
		if !ok {
			break
		}
		if g := pg.draw(box, m, pg.dotGrowth(box, m)); g != nil { // nil for a box too small to be a code (a row of bullets)
			out = append(out, g)
		}
	}
	return out
}

// modules finds the shortest-edge length most shapes share (within 4%),
// of shapes no longer than 24 such edges (not ruled lines), marks them
// used and returns it with their bounding box; ok is false when fewer than
// minModuleShapes share one, or their box is no code's.
func (pg *vecPage) modules(used []bool) (m float64, box vecBox, ok bool) {
	key := func(e float64) int { return int(math.Floor(math.Log(e) * 25)) }
	counts := map[int]int{}
	for i, s := range pg.shapes {
		if used[i] || s.edge <= 0 || max(s.box.x1-s.box.x0, s.box.y1-s.box.y0) > 24*s.edge {
			continue
		}
		counts[key(s.edge)]++
	}
	best, bestN := 0, 0
	for k := range counts {
		if n := counts[k-1] + counts[k] + counts[k+1]; n > bestN || n == bestN && k < best {
			best, bestN = k, n
		}
	}
	if bestN < minModuleShapes {
		return 0, box, false
	}
	box = emptyBox()
	var edges []float64
	var members []int
	for i, s := range pg.shapes {
		if used[i] || s.edge <= 0 || max(s.box.x1-s.box.x0, s.box.y1-s.box.y0) > 24*s.edge {
			continue
		}
		if k := key(s.edge); k >= best-1 && k <= best+1 {
			used[i] = true
			members = append(members, i)
			box = box.union(s.box)
			edges = append(edges, s.edge)
		}
	}
	slices.Sort(edges)
	m = edges[len(edges)/2]
	// A code's shapes are made of modules: every edge a whole number of
	// them. A chart's bars share a width, not their heights.
	grid := 0
	for _, i := range members {
		if pg.onGrid(pg.shapes[i], m) {
			grid++
		}
	}
	if grid < minModuleShapes || grid*4 < len(members)*3 {
		return m, vecBox{}, true // not a code: draw nothing, try the next size
	}
	return m, box, true
}

// onGrid says whether every edge of s is a whole number of modules m
// (within 15% of one).
func (pg *vecPage) onGrid(s vecShape, m float64) bool {
	if s.curved { // its bounding box, then
		return pg.onGridLen(s.box.x1-s.box.x0, m) && pg.onGridLen(s.box.y1-s.box.y0, m)
	}
	pts := pg.pts[s.from:s.to]
	for i := range pts {
		d := dist(pts[i], pts[(i+1)%len(pts)]) / m
		if d < 1e-9/m {
			continue
		}
		if math.Abs(d-math.Round(d)) > 0.15 || math.Round(d) == 0 {
			return false
		}
	}
	return true
}

func (pg *vecPage) onGridLen(l, m float64) bool {
	d := l / m
	return math.Abs(d-math.Round(d)) <= 0.15 && math.Round(d) > 0
}

// isDot says s is a round dot of about size m.
func (s vecShape) isDot(m float64) bool {
	w, h := s.box.x1-s.box.x0, s.box.y1-s.box.y0
	return s.curved && math.Abs(w-m) <= 0.15*m && math.Abs(h-m) <= 0.15*m
}

// dotGrowth is the pitch of the round dots of size m in box, in dots,
// for draw to draw each dot as the square module it stands for: a "dots"
// design may draw dots smaller than their pitch, and even touching dots
// leave gaps at their corners; a phone's camera blurs those away, where a
// drawing at a few pixels a module keeps them and breaks the finder
// patterns' runs. The pitch is the tenth-percentile distance between the
// centres of dots side by side in a row (a code's rows have many
// neighbours), from 1 to 1.6; 0 when there are too few dots.
func (pg *vecPage) dotGrowth(box vecBox, m float64) float64 {
	type dot struct {
		row int
		x   float64
	}
	var dots []dot
	for _, s := range pg.shapes {
		if len(dots) >= 1<<16 {
			break
		}
		if s.isDot(m) && s.box.meets(box) {
			cy := (s.box.y0 + s.box.y1) / 2
			dots = append(dots, dot{int(math.Round(cy / (m / 2))), (s.box.x0 + s.box.x1) / 2})
		}
	}
	if len(dots) < minModuleShapes {
		return 0
	}
	slices.SortFunc(dots, func(a, b dot) int {
		if a.row != b.row {
			return a.row - b.row
		}
		return cmp.Compare(a.x, b.x)
	})
	var gaps []float64
	for i := 1; i < len(dots); i++ {
		if d := dots[i].x - dots[i-1].x; dots[i].row == dots[i-1].row && d >= 0.9*m && d <= 3*m {
			gaps = append(gaps, d)
		}
	}
	if len(gaps) < minModuleShapes {
		return 0
	}
	slices.Sort(gaps)
	return min(max(gaps[len(gaps)/10]/m, 1), 1.6)
}

// draw draws every paint that meets box (with a margin of 4 modules) in
// grey on a newDrawing, white where nothing is painted, about vectorModulePx pixels a
// module and at most maxVectorCanvas pixels; nil when a module would be
// under 1.5 pixels, or the box is under 9 modules a side (a code is at
// least 10, a Data Matrix's smallest). Round dots of size m are drawn
// as squares grow times their size (see dotGrowth), unless grow is 0.
func (pg *vecPage) draw(box vecBox, m, grow float64) *image.Gray {
	if box.x1-box.x0 < 9*m || box.y1-box.y0 < 9*m {
		return nil
	}
	box = vecBox{box.x0 - 4*m, box.y0 - 4*m, box.x1 + 4*m, box.y1 + 4*m}
	scale := vectorModulePx / m
	bw, bh := box.x1-box.x0, box.y1-box.y0
	if a := bw * bh * scale * scale; a > maxVectorCanvas {
		scale *= math.Sqrt(maxVectorCanvas / a)
	}
	if scale*m < 1.5 {
		return nil
	}
	w, h := int(bw*scale), int(bh*scale)
	if w < minCodeSide || h < minCodeSide || w*h > maxVectorCanvas {
		return nil
	}
	c := newDrawing(w, h) // the canvas of every drawn code, its light margin around the box
	if c == nil {
		return nil
	}
	g := c.g
	// Page space to pixels: y turns downwards.
	const o = drawnMargin
	px := func(p vecPt) vecPt { return vecPt{(p.x-box.x0)*scale + o, (box.y1-p.y)*scale + o} }
	var edges []vecEdge
	for i, p := range pg.paints {
		if !p.box.meets(box) {
			continue
		}
		if i&255 == 0 && pg.late() {
			return g // what was drawn in time
		}
		edges = edges[:0]
		for _, s := range pg.shapes[p.from:p.to] {
			pts := pg.pts[s.from:s.to]
			if grow > 0 && s.isDot(m) {
				// A dot is drawn as its module: a square of the pitch
				// about its centre (grown as a circle, it would still
				// touch its neighbours at a point only).
				c, r := vecPt{(s.box.x0 + s.box.x1) / 2, (s.box.y0 + s.box.y1) / 2}, m*grow/2
				pts = []vecPt{{c.x - r, c.y - r}, {c.x + r, c.y - r}, {c.x + r, c.y + r}, {c.x - r, c.y + r}}
			}
			for i := range pts {
				a, b := px(pts[i]), px(pts[(i+1)%len(pts)])
				if a.y == b.y {
					continue
				}
				dir := 1
				if a.y > b.y {
					a, b, dir = b, a, -1
				}
				edges = append(edges, vecEdge{a, b, dir})
			}
		}
		// The clip in pixels, within the canvas.
		cx0, cy0 := px(vecPt{p.clip.x0, p.clip.y1}).clamp(g.Rect.Dx(), g.Rect.Dy())
		cx1, cy1 := px(vecPt{p.clip.x1, p.clip.y0}).clamp(g.Rect.Dx(), g.Rect.Dy())
		fillEdges(g, edges, p.evenOdd, p.grey, image.Rect(cx0, cy0, cx1, cy1), pg.deadline)
	}
	return g
}

// clamp is p's pixel, rounded, within a w×h canvas.
func (p vecPt) clamp(w, h int) (int, int) {
	return int(math.Round(min(max(p.x, 0), float64(w)))), int(math.Round(min(max(p.y, 0), float64(h))))
}

type vecEdge struct {
	a, b vecPt // a above b (a.y < b.y), in pixels
	dir  int
}

// fillEdges fills the polygon the edges make inside clip, sampling each
// pixel at its centre, row by row with the edges that cross it.
func fillEdges(g *image.Gray, edges []vecEdge, evenOdd bool, grey uint8, clip image.Rectangle, deadline time.Time) {
	if len(edges) == 0 || clip.Empty() {
		return
	}
	slices.SortFunc(edges, func(p, q vecEdge) int {
		switch {
		case p.a.y < q.a.y:
			return -1
		case p.a.y > q.a.y:
			return 1
		}
		return 0
	})
	h, w := min(g.Rect.Dy(), clip.Max.Y), g.Rect.Dx()
	y0 := max(0, int(math.Floor(edges[0].a.y)))
	var active []vecEdge
	type cross struct {
		x   float64
		dir int
	}
	var xs []cross
	next := 0
	for y := y0; y < h; y++ {
		if y&31 == 0 && !deadline.IsZero() && time.Now().After(deadline) {
			return // a hostile path of many long edges: the message's time is the bound
		}
		yc := float64(y) + 0.5
		for next < len(edges) && edges[next].a.y <= yc {
			active = append(active, edges[next])
			next++
		}
		k := 0
		for _, e := range active {
			if e.b.y > yc {
				active[k] = e
				k++
			}
		}
		active = active[:k]
		if len(active) == 0 {
			if next == len(edges) {
				return
			}
			continue
		}
		if y < clip.Min.Y {
			continue // above the clip: only the edges move on
		}
		xs = xs[:0]
		for _, e := range active {
			if e.a.y > yc {
				continue
			}
			t := (yc - e.a.y) / (e.b.y - e.a.y)
			xs = append(xs, cross{e.a.x + t*(e.b.x-e.a.x), e.dir})
		}
		slices.SortFunc(xs, func(p, q cross) int {
			switch {
			case p.x < q.x:
				return -1
			case p.x > q.x:
				return 1
			}
			return 0
		})
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		wind := 0
		for i := 0; i+1 < len(xs); i++ {
			if evenOdd {
				wind ^= 1
			} else {
				wind += xs[i].dir
			}
			if wind == 0 {
				continue
			}
			lo := max(clip.Min.X, int(math.Ceil(xs[i].x-0.5)))
			hi := min(clip.Max.X, int(math.Ceil(xs[i+1].x-0.5)))
			for x := lo; x < hi; x++ {
				row[x] = grey
			}
		}
	}
}

// type3Font is what drawing a Type 3 font's glyphs needs (ISO 32000 9.6.5):
// each glyph is a content stream, in glyph space.
type type3Font struct {
	matrix [6]float64 // glyph space to text space
	procs  [256]int   // the glyph's content stream object, by code; 0 for none
	widths [256]float64
	res    string
}

// maxType3Glyphs bounds the glyphs one Type 3 font draws.
const maxType3Glyphs = 256

// type3 is the Type 3 font the resources res call name, nil for another
// font (its glyphs are not drawn: a code is not made of a text font's
// letters). Fonts are read once per PDF.
func (vi *vecInterp) type3(name, res string) *type3Font {
	n, ok := pdfRef(pdfKeys([]byte(resolveDict(vi.objs, pdfKeys([]byte(res))["Font"])))[name])
	if !ok {
		return nil
	}
	if f, ok := vi.fonts[n]; ok {
		return f
	}
	if vi.fonts == nil {
		vi.fonts = map[int]*type3Font{}
	}
	vi.fonts[n] = nil
	o := vi.objs[n]
	if o.dict["Subtype"] != "/Type3" {
		return nil
	}
	f := &type3Font{matrix: [6]float64{0.001, 0, 0, 0.001, 0, 0}, res: res}
	if m, ok := pdfMatrix(o.dict["FontMatrix"]); ok {
		f.matrix = m
	}
	if r, ok := o.dict["Resources"]; ok {
		f.res = resolveDict(vi.objs, r)
	}
	procs := pdfKeys([]byte(resolveDict(vi.objs, o.dict["CharProcs"])))
	// The codes' glyph names: /Differences [code /name /name code /name …].
	diffs := pdfKeys([]byte(resolveDict(vi.objs, o.dict["Encoding"])))["Differences"]
	if r, ok := pdfRef(diffs); ok {
		diffs = string(vi.objs[r].raw)
	}
	lx := pdfLexer{b: []byte(diffs)}
	code, glyphs := 0, 0
	for glyphs < maxType3Glyphs {
		k, t := lx.next()
		if k == tokEOF {
			break
		}
		switch k {
		case tokNum:
			code = int(parsePDFNum(t))
		case tokName:
			if p, ok := pdfRef(procs[string(t)]); ok && code >= 0 && code < 256 {
				f.procs[code] = p
				glyphs++
			}
			code++
		}
	}
	first, _ := strconv.Atoi(o.dict["FirstChar"])
	lx = pdfLexer{b: []byte(resolveArray(vi.objs, o.dict["Widths"]))}
	for c := first; c < 256; c++ {
		k, t := lx.next()
		if k == tokEOF {
			break
		}
		if k == tokNum && c >= 0 {
			f.widths[c] = parsePDFNum(t)
		} else if k != tokNum {
			c--
		}
	}
	vi.fonts[n] = f
	return f
}

// resolveArray is v's array text, following one reference.
func resolveArray(objs map[int]pdfObj, v string) string {
	if n, ok := pdfRef(v); ok {
		return string(objs[n].raw)
	}
	return v
}

// show draws the glyphs of s in the Type 3 font and moves on by their
// widths (ISO 32000 9.4.4).
func (vi *vecInterp) show(s []byte) {
	gs := &vi.gs
	f := gs.font
	invisible := gs.render == 3 || gs.render == 7 // glyphs that paint nothing
	for _, c := range s {
		if vi.full || vi.depth >= maxFormDepth || vi.draws >= maxFormDraws {
			return
		}
		if p := f.procs[c]; p != 0 && !invisible {
			g := *gs
			g.ctm = matMul(f.matrix, gs.textSpace(&vi.pos))
			vi.nested(p, f.res, g)
		}
		tx := f.widths[c]*f.matrix[0]*gs.size + gs.charSp
		if c == ' ' {
			tx += gs.wordSp
		}
		vi.pos.advance(tx * gs.hScale)
	}
}

// pdfString decodes the literal or hex string at b[i] of a content
// stream whole, up to maxPDFString bytes: a string a page shows may be
// long, and what it shows past the bound on a URL's length (pdfLiteral)
// must still be read.
func pdfString(b []byte, i int) []byte {
	if b[i] == '(' {
		s, _ := pdfLiteralMax(b, i, maxPDFString)
		return []byte(s)
	}
	s, _ := pdfHexMax(b, i, maxPDFString)
	return []byte(s)
}

// maxPDFString bounds the bytes of one string of a content stream decoded:
// the page text's whole output.
const maxPDFString = maxTextOut

// maxAnnots bounds the annotations drawn a page.
const maxAnnots = 64

// annotations draws the normal appearance (/AP /N, or the state /AS names)
// of the page's annotations that show (neither Hidden nor NoView), each
// placed in its /Rect as readers place it (ISO 32000 12.5.5): a code may
// be a stamp's appearance, which no content stream of the page draws.
func (vi *vecInterp) annotations(page pdfObj) {
	for _, a := range pdfRefs(resolveArray(vi.objs, page.dict["Annots"]), maxAnnots) {
		if vi.full || vi.draws >= maxFormDraws {
			return
		}
		o := vi.objs[a]
		if f, _ := strconv.Atoi(o.dict["F"]); f&(2|32) != 0 {
			continue
		}
		rect, ok := pdfRect(resolveArray(vi.objs, o.dict["Rect"]))
		if !ok {
			continue
		}
		nv := pdfKeys([]byte(resolveDict(vi.objs, o.dict["AP"])))["N"]
		n, isRef := pdfRef(nv)
		if !isRef || vi.objs[n].data == nil { // a dictionary of states
			n, isRef = pdfRef(pdfKeys([]byte(resolveDict(vi.objs, nv)))[strings.TrimPrefix(o.dict["AS"], "/")])
		}
		f := vi.objs[n]
		bbox, ok := pdfRect(f.dict["BBox"])
		if !isRef || f.data == nil || !ok {
			continue
		}
		m, ok := pdfMatrix(f.dict["Matrix"])
		if !ok {
			m = identity
		}
		tb := vi.boxUnder(m, bbox)
		if tb.x1-tb.x0 < 1e-9 || tb.y1-tb.y0 < 1e-9 {
			continue
		}
		sx, sy := (rect.x1-rect.x0)/(tb.x1-tb.x0), (rect.y1-rect.y0)/(tb.y1-tb.y0)
		ctm := matMul(m, [6]float64{sx, 0, 0, sy, rect.x0 - tb.x0*sx, rect.y0 - tb.y0*sy})
		res := ""
		if r, ok := f.dict["Resources"]; ok {
			res = resolveDict(vi.objs, r)
		}
		vi.nested(n, res, vecGState{pdfGState: pdfGState{ctm: ctm, hScale: 1}, fillOK: true, strokeOK: true, lineWidth: 1,
			clip: pageBox(vi.objs, page).intersect(rect)})
	}
}
