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
			if len(stack) > 0 && !svgShapeTag(tag) {
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
		shape := svgShapeTag(tag)
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

// svgShapeTag says whether tag is a shape element Kensa draws.
func svgShapeTag(tag string) bool {
	switch tag {
	case "rect", "path", "use", "polygon", "circle", "ellipse":
		return true
	}
	return false
}

// svgSub is a closed subpath: its points and whether it has curves (a
// round module, measured by its bounding box as the PDF reader measures
// a dot).
type svgSub struct {
	pts    []vecPt
	curved bool
}

// svgCurveSteps is the number of lines a curve (or a quarter of an arc or
// ellipse) is flattened into: enough for a dot to be drawn round.
const svgCurveSteps = 4

// svgPaintShape adds a rect, circle, ellipse, path or polygon to pg as a
// fill of polygons, in page space (y up, as vecPage draws).
func svgPaintShape(pg *vecPage, tag string, attr map[string]string, ctm [6]float64, f svgFill) {
	if !f.set || f.none || len(pg.pts) >= maxVectorPoints {
		return
	}
	var subs []svgSub
	switch tag {
	case "rect":
		x, y, w, h := svgNum(attr["x"]), svgNum(attr["y"]), svgNum(attr["width"]), svgNum(attr["height"])
		if w <= 0 || h <= 0 {
			return
		}
		subs = []svgSub{svgRect(x, y, w, h, attr)}
	case "circle", "ellipse":
		rx, ry := svgNum(attr["r"]), svgNum(attr["r"])
		if tag == "ellipse" {
			rx, ry = svgRadii(attr)
		}
		if rx <= 0 || ry <= 0 {
			return
		}
		subs = []svgSub{svgEllipse(svgNum(attr["cx"]), svgNum(attr["cy"]), rx, ry)}
	case "polygon":
		nums := svgNums(attr["points"], 2*(maxVectorPoints-len(pg.pts)))
		var poly []vecPt
		for i := 0; i+1 < len(nums); i += 2 {
			poly = append(poly, vecPt{nums[i], nums[i+1]})
		}
		subs = []svgSub{{pts: poly}}
	case "path":
		subs = svgPath(attr["d"], maxVectorPoints-len(pg.pts))
	}
	grey := uint8(255)
	if f.dark {
		grey = 0
	}
	flip := matMul(ctm, [6]float64{1, 0, 0, -1, 0, 0}) // SVG's y runs down, a page's up
	p := vecPaint{from: len(pg.shapes), evenOdd: f.evenOdd, grey: grey, box: emptyBox(), clip: everywhere}
	for _, sub := range subs {
		if len(sub.pts) < 3 {
			continue
		}
		sh := vecShape{from: len(pg.pts), box: emptyBox(), curved: sub.curved}
		for _, q := range sub.pts {
			pt := vecPt{flip[0]*q.x + flip[2]*q.y + flip[4], flip[1]*q.x + flip[3]*q.y + flip[5]}
			pg.pts = append(pg.pts, pt)
			sh.box.add(pt)
		}
		sh.to = len(pg.pts)
		if !sh.box.finite() {
			pg.pts = pg.pts[:sh.from]
			continue
		}
		if sub.curved {
			// A dot, a rounded square or a rounded run of modules: its
			// size is its box's, whatever straight edges it has.
			if w, h := sh.box.x1-sh.box.x0, sh.box.y1-sh.box.y0; min(w, h) > 0 {
				sh.edge = min(w, h)
			}
		} else {
			pts := pg.pts[sh.from:sh.to]
			for i := range pts {
				sh.edge = shorter(sh.edge, dist(pts[i], pts[(i+1)%len(pts)]))
			}
		}
		p.box = p.box.union(sh.box)
		pg.shapes = append(pg.shapes, sh)
	}
	p.to = len(pg.shapes)
	if p.to > p.from {
		pg.paints = append(pg.paints, p)
	}
}

// svgRadii is a rounded rect's or an ellipse's rx and ry: one said
// stands for both ("auto"), as SVG 2 reads them.
func svgRadii(attr map[string]string) (rx, ry float64) {
	rx, ry = svgNum(attr["rx"]), svgNum(attr["ry"])
	_, hasX := attr["rx"]
	_, hasY := attr["ry"]
	switch {
	case hasX && !hasY:
		ry = rx
	case hasY && !hasX:
		rx = ry
	}
	return rx, ry
}

// svgRect is a rect, its corners rounded by rx and ry (each at most half
// its side).
func svgRect(x, y, w, h float64, attr map[string]string) svgSub {
	rx, ry := svgRadii(attr)
	rx, ry = min(max(rx, 0), w/2), min(max(ry, 0), h/2)
	if rx <= 0 || ry <= 0 {
		return svgSub{pts: []vecPt{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}}
	}
	// The corners' quarter ellipses, clockwise from the top right.
	var pts []vecPt
	centres := [4]vecPt{{x + w - rx, y + ry}, {x + w - rx, y + h - ry}, {x + rx, y + h - ry}, {x + rx, y + ry}}
	for q, c := range centres {
		for i := 0; i <= svgCurveSteps; i++ {
			a := (float64(q) - 1 + float64(i)/svgCurveSteps) * math.Pi / 2 // -90° (up) onwards
			pts = append(pts, vecPt{c.x + rx*math.Cos(a), c.y + ry*math.Sin(a)})
		}
	}
	return svgSub{pts: pts, curved: true}
}

// svgEllipse is an ellipse (a circle when rx is ry) as a polygon.
func svgEllipse(cx, cy, rx, ry float64) svgSub {
	pts := make([]vecPt, 0, 4*svgCurveSteps)
	for i := range 4 * svgCurveSteps {
		a := float64(i) * math.Pi / 2 / svgCurveSteps
		pts = append(pts, vecPt{cx + rx*math.Cos(a), cy + ry*math.Sin(a)})
	}
	return svgSub{pts: pts, curved: true}
}

// svgPath reads a path's d into closed subpaths of at most limit points
// in all: lines (M, L, H, V, Z and their relative forms) as they are,
// curves (C, S, Q, T) and arcs (A) flattened into a few lines each, so a
// dot drawn as two arcs or four curves is drawn round.
func svgPath(d string, limit int) []svgSub {
	var subs []svgSub
	var cur svgSub
	var x, y, sx, sy float64
	var cx, cy float64 // the last control point, for S and T
	var last byte      // the last command, lower case
	total := 0
	end := func() {
		if len(cur.pts) > 0 {
			subs = append(subs, cur)
		}
		cur = svgSub{}
	}
	start := func() {
		if len(cur.pts) == 0 {
			cur.pts = append(cur.pts, vecPt{x, y})
		}
	}
	to := func(nx, ny float64) {
		start()
		x, y = nx, ny
		cur.pts = append(cur.pts, vecPt{x, y})
		total++
	}
	// bezier adds a cubic curve from the current point as svgCurveSteps lines.
	bezier := func(c1, c2, e vecPt) {
		start()
		p0 := vecPt{x, y}
		for i := 1; i <= svgCurveSteps; i++ {
			t := float64(i) / svgCurveSteps
			u := 1 - t
			cur.pts = append(cur.pts, vecPt{
				u*u*u*p0.x + 3*u*u*t*c1.x + 3*u*t*t*c2.x + t*t*t*e.x,
				u*u*u*p0.y + 3*u*u*t*c1.y + 3*u*t*t*c2.y + t*t*t*e.y})
		}
		total += svgCurveSteps
		x, y = e.x, e.y
		cur.curved = true
	}
	quad := func(c, e vecPt) {
		p0 := vecPt{x, y}
		bezier(vecPt{p0.x + 2*(c.x-p0.x)/3, p0.y + 2*(c.y-p0.y)/3}, vecPt{e.x + 2*(c.x-e.x)/3, e.y + 2*(c.y-e.y)/3}, e)
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
				last = 'z'
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
			// The reflection of the last control point, for S and T.
			rx, ry := x, y
			if (lc == 's' && (last == 'c' || last == 's')) || (lc == 't' && (last == 'q' || last == 't')) {
				rx, ry = 2*x-cx, 2*y-cy
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
			case 'l':
				to(bx+vals[0], by+vals[1])
			case 'h':
				to(bx+vals[0], y)
			case 'v':
				if rel {
					to(x, y+vals[0])
				} else {
					to(x, vals[0])
				}
			case 'c':
				cx, cy = bx+vals[2], by+vals[3]
				bezier(vecPt{bx + vals[0], by + vals[1]}, vecPt{cx, cy}, vecPt{bx + vals[4], by + vals[5]})
			case 's':
				cx, cy = bx+vals[0], by+vals[1]
				bezier(vecPt{rx, ry}, vecPt{cx, cy}, vecPt{bx + vals[2], by + vals[3]})
			case 'q':
				cx, cy = bx+vals[0], by+vals[1]
				quad(vecPt{cx, cy}, vecPt{bx + vals[2], by + vals[3]})
			case 't':
				cx, cy = rx, ry
				quad(vecPt{cx, cy}, vecPt{bx + vals[0], by + vals[1]})
			case 'a':
				ex, ey := bx+vals[5], by+vals[6]
				start()
				pts := svgArc(x, y, vals[0], vals[1], vals[2], vals[3] != 0, vals[4] != 0, ex, ey)
				if pts == nil {
					to(ex, ey) // no radius: a line
				} else {
					cur.pts = append(cur.pts, pts...)
					total += len(pts)
					x, y = ex, ey
					cur.curved = true
				}
			}
			last = lc
			first = false
		}
	}
	end()
	return subs
}

// svgArc flattens an elliptical arc from (x1, y1) to (x2, y2) into at most
// 4·svgCurveSteps points after the first, the last being (x2, y2): the
// endpoint-to-centre conversion of SVG's implementation notes, radii
// scaled up when too small to reach. nil when a radius is 0 (a line).
func svgArc(x1, y1, rx, ry, phi float64, large, sweep bool, x2, y2 float64) []vecPt {
	rx, ry = math.Abs(rx), math.Abs(ry)
	if rx == 0 || ry == 0 || (x1 == x2 && y1 == y2) {
		return nil
	}
	sin, cos := math.Sincos(phi * math.Pi / 180)
	dx, dy := (x1-x2)/2, (y1-y2)/2
	x1p, y1p := cos*dx+sin*dy, -sin*dx+cos*dy
	if l := x1p*x1p/(rx*rx) + y1p*y1p/(ry*ry); l > 1 {
		rx, ry = rx*math.Sqrt(l), ry*math.Sqrt(l)
	}
	num := rx*rx*ry*ry - rx*rx*y1p*y1p - ry*ry*x1p*x1p
	den := rx*rx*y1p*y1p + ry*ry*x1p*x1p
	k := 0.0
	if den > 0 && num > 0 {
		k = math.Sqrt(num / den)
	}
	if large == sweep {
		k = -k
	}
	cxp, cyp := k*rx*y1p/ry, -k*ry*x1p/rx
	cx, cy := cos*cxp-sin*cyp+(x1+x2)/2, sin*cxp+cos*cyp+(y1+y2)/2
	angle := func(ux, uy, vx, vy float64) float64 { return math.Atan2(ux*vy-uy*vx, ux*vx+uy*vy) }
	t1 := angle(1, 0, (x1p-cxp)/rx, (y1p-cyp)/ry)
	dt := angle((x1p-cxp)/rx, (y1p-cyp)/ry, (-x1p-cxp)/rx, (-y1p-cyp)/ry)
	if !sweep && dt > 0 {
		dt -= 2 * math.Pi
	} else if sweep && dt < 0 {
		dt += 2 * math.Pi
	}
	if math.IsNaN(dt) || math.IsNaN(cx) || math.IsNaN(cy) {
		return nil
	}
	steps := max(1, min(4*svgCurveSteps, int(math.Ceil(math.Abs(dt)/(math.Pi/2/svgCurveSteps)))))
	pts := make([]vecPt, 0, steps)
	for i := 1; i < steps; i++ {
		t := t1 + dt*float64(i)/float64(steps)
		st, ct := math.Sincos(t)
		pts = append(pts, vecPt{cx + cos*rx*ct - sin*ry*st, cy + sin*rx*ct + cos*ry*st})
	}
	return append(pts, vecPt{x2, y2})
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
