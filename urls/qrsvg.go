package urls

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// Codes drawn as SVG shapes: an SVG attachment (a browser opens it) or an
// <svg> in an HTML body drawing a code with one <rect> per module, one
// <path> of many "M x y h1 v1 h-1 z" squares (what QR libraries write), or
// <use> copies of one square. The shapes are collected as filled polygons
// in the vector drawings' page (vecPage, urls/qrvector.go): the module
// sizes many shapes share are found and drawn there, as for a PDF page.

const (
	maxSVGDrawings = 8       // <svg> elements drawn per part
	maxSVGElements = 100_000 // shape elements read per part
	maxSVGUses     = 100_000 // <use> copies drawn per part
)

// svgShape is a shape element of an SVG: where it stands and how it is
// filled, kept so that a <use> can draw it again elsewhere.
type svgShape struct {
	tag     string
	attr    map[string]string // the geometry: x, y, width, height, d, points, href
	ctm     [6]float64        // its parents' transforms, its own after them
	own     [6]float64        // its own transform alone
	fill    svgFill           // as it is drawn where it stands
	ownFill svgFill           // its own fill, for a <use> of it
	defs    bool              // in <defs>, <symbol>...: drawn only by a <use>
	hidden  bool
}

// svgFill is a fill: dark or light, none, or not said.
type svgFill struct {
	set, none, dark, evenOdd bool
}

var identity = [6]float64{1, 0, 0, 1, 0, 0}

// svgCodes draws the SVG drawings of b (an SVG file, or HTML holding
// <svg> elements) that look like codes.
func svgCodes(b []byte) []drawnCode {
	if !bytes.Contains(b, []byte("<svg")) && !bytes.Contains(b, []byte("<SVG")) {
		return nil
	}
	classes := cssClassRules(b)
	type group struct {
		ctm          [6]float64
		fill         svgFill
		defs, hidden bool
	}
	var out []drawnCode
	var stack []group // the open elements of the current <svg>, outermost first
	var shapes []svgShape
	uses := 0
	finish := func() {
		if len(out) < maxSVGDrawings {
			if d := drawSVG(shapes, &uses); d != nil {
				out = append(out, d)
			}
		}
		shapes = shapes[:0]
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	elements := 0
	for n := 0; n < 1<<21 && len(out) < maxSVGDrawings; n++ {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		tag := string(name)
		if tt == html.EndTagToken {
			if len(stack) > 0 && tag != "rect" && tag != "path" && tag != "use" && tag != "polygon" {
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					finish()
				}
			}
			continue
		}
		if len(stack) == 0 && tag != "svg" {
			continue
		}
		attr := map[string]string{}
		for hasAttr && len(attr) < 32 {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			attr[string(k)] = string(v)
		}
		g := group{ctm: identity, fill: svgFill{set: true, dark: true}} // SVG's initial fill: black
		if len(stack) > 0 {
			g = stack[len(stack)-1]
		}
		own := svgTransform(attr["transform"])
		if tag == "svg" && len(stack) > 0 {
			// A nested <svg> is placed at its x and y.
			own = matMul(own, [6]float64{1, 0, 0, 1, svgNum(attr["x"]), svgNum(attr["y"])})
		}
		f, hidden := svgPaint(attr, classes)
		switch tag {
		case "defs", "symbol", "clippath", "mask", "pattern", "marker", "lineargradient", "radialgradient", "filter":
			g.defs = true
		case "title", "desc", "metadata", "style", "script", "foreignobject", "text":
			g.hidden = true
		}
		shape := tag == "rect" || tag == "path" || tag == "use" || tag == "polygon"
		if shape && elements < maxSVGElements {
			elements++
			s := svgShape{tag: tag, attr: attr, own: own, ctm: matMul(own, g.ctm), fill: g.fill, ownFill: f, defs: g.defs, hidden: g.hidden || hidden}
			if f.set {
				s.fill = f
			}
			s.fill.evenOdd = s.fill.evenOdd || f.evenOdd
			shapes = append(shapes, s)
		}
		if shape || tt == html.SelfClosingTagToken {
			if tag == "svg" && len(stack) == 0 {
				finish() // <svg/>: nothing drawn
			}
			continue
		}
		g.ctm = matMul(own, g.ctm)
		if f.set {
			g.fill = f
		}
		g.hidden = g.hidden || hidden
		if len(stack) < 256 {
			stack = append(stack, g)
		}
	}
	if len(stack) > 0 && len(out) < maxSVGDrawings {
		finish() // an <svg> the document does not close
	}
	return out
}

// svgPaint is the fill an element gives itself (attribute, class rules,
// then its style, each over the one before), and whether it hides itself.
func svgPaint(attr map[string]string, classes map[string]string) (f svgFill, hidden bool) {
	set := func(prop, v string) {
		switch prop {
		case "fill":
			switch v {
			case "inherit", "":
			case "none", "transparent":
				f.set, f.none = true, true
			default:
				f.set, f.none, f.dark = true, false, v == "currentcolor" || isDark(v)
				if strings.HasPrefix(v, "url(") {
					f.none = true // a gradient or pattern: not drawn
				}
			}
		case "fill-rule":
			f.evenOdd = v == "evenodd"
		case "display":
			hidden = hidden || v == "none"
		case "visibility":
			hidden = hidden || v == "hidden" || v == "collapse"
		case "opacity", "fill-opacity":
			if x, err := strconv.ParseFloat(v, 64); err == nil && x < 0.3 {
				hidden = true
			}
		}
	}
	for _, k := range []string{"fill", "fill-rule", "display", "visibility", "opacity", "fill-opacity"} {
		if v, ok := attr[k]; ok {
			set(k, strings.ToLower(strings.TrimSpace(v)))
		}
	}
	for _, cl := range strings.Fields(attr["class"]) {
		forDecls(classes[cl], set)
	}
	forDecls(attr["style"], set)
	return f, hidden
}

// drawSVG draws the shapes of one <svg> that look like a code.
func drawSVG(shapes []svgShape, uses *int) drawnCode {
	pg := &vecPage{}
	byID := map[string]int{}
	for i, s := range shapes {
		if id := s.attr["id"]; id != "" {
			if _, dup := byID[id]; !dup {
				byID[id] = i
			}
		}
	}
	for _, s := range shapes {
		if s.defs || s.hidden {
			continue
		}
		if s.tag != "use" {
			svgPaintShape(pg, s.tag, s.attr, s.ctm, s.fill)
			continue
		}
		ref := s.attr["href"]
		if ref == "" {
			ref = s.attr["xlink:href"]
		}
		i, ok := byID[strings.TrimPrefix(strings.TrimSpace(ref), "#")]
		if !ok || shapes[i].tag == "use" || *uses >= maxSVGUses {
			continue // a <use> of a group or of a <use> is not drawn
		}
		*uses++
		d := shapes[i]
		// The copy stands at the use's x and y, in the use's space,
		// with the shape's own transform inside.
		at := matMul([6]float64{1, 0, 0, 1, svgNum(s.attr["x"]), svgNum(s.attr["y"])}, s.ctm)
		fill := s.fill
		if d.ownFill.set {
			fill = d.ownFill
		}
		svgPaintShape(pg, d.tag, d.attr, matMul(d.own, at), fill)
	}
	var d drawnCode
	for _, g := range pg.drawings() {
		d = append(d, g)
	}
	if len(d) == 0 {
		return nil
	}
	return d
}

// svgPaintShape adds a rect, path or polygon to pg as a fill of polygons,
// in page space (y up, as vecPage draws).
func svgPaintShape(pg *vecPage, tag string, attr map[string]string, ctm [6]float64, f svgFill) {
	if !f.set || f.none || len(pg.pts) >= maxVectorPoints {
		return
	}
	var subs [][]vecPt
	switch tag {
	case "rect":
		x, y, w, h := svgNum(attr["x"]), svgNum(attr["y"]), svgNum(attr["width"]), svgNum(attr["height"])
		if w <= 0 || h <= 0 {
			return
		}
		subs = [][]vecPt{{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}}
	case "polygon":
		nums := svgNums(attr["points"], 2*(maxVectorPoints-len(pg.pts)))
		var poly []vecPt
		for i := 0; i+1 < len(nums); i += 2 {
			poly = append(poly, vecPt{nums[i], nums[i+1]})
		}
		subs = [][]vecPt{poly}
	case "path":
		subs = svgPath(attr["d"], maxVectorPoints-len(pg.pts))
	}
	grey := uint8(255)
	if f.dark {
		grey = 0
	}
	flip := matMul(ctm, [6]float64{1, 0, 0, -1, 0, 0}) // SVG's y runs down, a page's up
	p := vecPaint{from: len(pg.shapes), evenOdd: f.evenOdd, grey: grey, box: emptyBox()}
	for _, sub := range subs {
		if len(sub) < 3 {
			continue
		}
		sh := vecShape{from: len(pg.pts), box: emptyBox()}
		for i, q := range sub {
			pt := vecPt{flip[0]*q.x + flip[2]*q.y + flip[4], flip[1]*q.x + flip[3]*q.y + flip[5]}
			pg.pts = append(pg.pts, pt)
			sh.box.add(pt)
			if i > 0 {
				sh.edge = shorter(sh.edge, dist(pg.pts[len(pg.pts)-2], pt))
			}
		}
		sh.edge = shorter(sh.edge, dist(pg.pts[len(pg.pts)-1], pg.pts[sh.from]))
		sh.to = len(pg.pts)
		if !sh.box.finite() {
			pg.pts = pg.pts[:sh.from]
			continue
		}
		p.box = p.box.union(sh.box)
		pg.shapes = append(pg.shapes, sh)
	}
	p.to = len(pg.shapes)
	if p.to > p.from {
		pg.paints = append(pg.paints, p)
	}
}

// svgPath reads a path's d into closed subpaths of at most limit points
// in all: lines (M, L, H, V, Z and their relative forms) as they are, a
// curve or arc as the line to its end point.
func svgPath(d string, limit int) [][]vecPt {
	var subs [][]vecPt
	var cur []vecPt
	var x, y, sx, sy float64
	total := 0
	end := func() {
		if len(cur) > 0 {
			subs = append(subs, cur)
		}
		cur = nil
	}
	to := func(nx, ny float64) {
		if len(cur) == 0 {
			cur = append(cur, vecPt{x, y})
		}
		x, y = nx, ny
		cur = append(cur, vecPt{x, y})
		total++
	}
	args := map[byte]int{'m': 2, 'l': 2, 'h': 1, 'v': 1, 'c': 6, 's': 4, 'q': 4, 't': 2, 'a': 7}
	for i := 0; i < len(d) && total < limit; {
		c := d[i]
		lc := c | 0x20
		n, ok := args[lc]
		if !ok {
			if lc == 'z' {
				end()
				x, y = sx, sy
			}
			i++
			continue
		}
		i++
		rel := c >= 'a'
		first := true
		for total < limit {
			vals, next := svgArgs(d, i, n, lc == 'a')
			if len(vals) < n {
				break
			}
			i = next
			bx, by := 0.0, 0.0
			if rel {
				bx, by = x, y
			}
			switch lc {
			case 'm':
				if first {
					end()
					x, y = bx+vals[0], by+vals[1]
					sx, sy = x, y
					total++
				} else {
					to(bx+vals[0], by+vals[1])
				}
			case 'l', 't':
				to(bx+vals[0], by+vals[1])
			case 'h':
				to(bx+vals[0], y)
			case 'v':
				if rel {
					to(x, y+vals[0])
				} else {
					to(x, vals[0])
				}
			default: // c, s, q, a: the last two numbers are the end point
				to(bx+vals[n-2], by+vals[n-1])
			}
			first = false
		}
	}
	end()
	return subs
}

// svgArgs reads n numbers of a path from d[i:]; an arc's flags (its
// fourth and fifth numbers) may be single digits with nothing between.
func svgArgs(d string, i, n int, arc bool) ([]float64, int) {
	var vals []float64
	for len(vals) < n {
		for i < len(d) && (d[i] == ' ' || d[i] == ',' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
			i++
		}
		if i >= len(d) {
			break
		}
		if arc && (len(vals) == 3 || len(vals) == 4) && (d[i] == '0' || d[i] == '1') {
			vals = append(vals, float64(d[i]-'0'))
			i++
			continue
		}
		j := numEnd(d, i)
		if j == i {
			break
		}
		v, err := strconv.ParseFloat(d[i:j], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			break
		}
		vals = append(vals, v)
		i = j
	}
	return vals, i
}

// numEnd is where the number at s[i:] ends: "1.5.5" is 1.5 and .5,
// "1-2" is 1 and -2.
func numEnd(s string, i int) int {
	j := i
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	dot, digits := false, false
	for j < len(s) {
		switch c := s[j]; {
		case c >= '0' && c <= '9':
			digits = true
		case c == '.' && !dot:
			dot = true
		case (c == 'e' || c == 'E') && digits && j+1 < len(s) && (s[j+1] >= '0' && s[j+1] <= '9' || s[j+1] == '-' || s[j+1] == '+'):
			j++
			for j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
				j++
			}
			return j + 1
		default:
			if !digits {
				return i
			}
			return j
		}
		j++
	}
	if !digits {
		return i
	}
	return j
}

// svgNums reads up to n numbers.
func svgNums(s string, n int) []float64 {
	var out []float64
	for i := 0; i < len(s) && len(out) < n; {
		vals, next := svgArgs(s, i, 1, false)
		if len(vals) == 0 {
			break
		}
		out = append(out, vals[0])
		i = next
	}
	return out
}

// svgNum reads a length ("4", "4px", "4.5"); 0 when there is none.
func svgNum(s string) float64 {
	s = strings.TrimSpace(s)
	if j := numEnd(s, 0); j > 0 {
		if v, err := strconv.ParseFloat(s[:j], 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v
		}
	}
	return 0
}

// svgTransform reads a transform list: matrix, translate, scale, rotate,
// skewX, skewY, the first applied last.
func svgTransform(s string) [6]float64 {
	m := identity
	for n := 0; n < 16; n++ {
		i := strings.IndexByte(s, '(')
		j := strings.IndexByte(s, ')')
		if i < 0 || j < i {
			break
		}
		name := strings.ToLower(strings.Trim(s[:i], " ,\t\r\n"))
		a := svgNums(s[i+1:j], 6)
		s = s[j+1:]
		var t [6]float64
		switch {
		case name == "matrix" && len(a) == 6:
			copy(t[:], a)
		case name == "translate" && len(a) >= 1:
			t = [6]float64{1, 0, 0, 1, a[0], 0}
			if len(a) > 1 {
				t[5] = a[1]
			}
		case name == "scale" && len(a) >= 1:
			t = [6]float64{a[0], 0, 0, a[0], 0, 0}
			if len(a) > 1 {
				t[3] = a[1]
			}
		case name == "rotate" && len(a) >= 1:
			r := a[0] * math.Pi / 180
			t = [6]float64{math.Cos(r), math.Sin(r), -math.Sin(r), math.Cos(r), 0, 0}
			if len(a) >= 3 {
				t = matMul(matMul([6]float64{1, 0, 0, 1, -a[1], -a[2]}, t), [6]float64{1, 0, 0, 1, a[1], a[2]})
			}
		case name == "skewx" && len(a) == 1:
			t = [6]float64{1, 0, math.Tan(a[0] * math.Pi / 180), 1, 0, 0}
		case name == "skewy" && len(a) == 1:
			t = [6]float64{1, math.Tan(a[0] * math.Pi / 180), 0, 1, 0, 0}
		default:
			continue
		}
		m = matMul(t, m) // the later functions apply first
	}
	return m
}
