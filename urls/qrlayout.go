package urls

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/kensa-milter/kensa/message"
)

// Split codes: a code cut into tiles that an HTML body lays out side by
// side (cells of one table row, images inline back to back) or stacked
// (rows of a table, lines ended by <br>, blocks), so that no one image
// holds a code. The images laid out touching are drawn on one canvas at
// the sizes the markup gives them and that canvas is searched. A lone
// data: image is drawn too: no part holds its bytes for the image search.

const (
	maxLayoutsPerPart = 4 // layouts drawn and searched per HTML part
	maxCodeLayouts    = 8 // and per message
	// maxLayoutImgs bounds the <img> tags of a part read (spacers of 4
	// pixels or less not counted), and so the tiles of a run: no cap of
	// their own, which padding would push a code past.
	maxLayoutImgs   = 256
	maxLayoutRuns   = 32                 // runs of a part read, of which the maxLayoutsPerPart of most room are searched
	maxTilePixels   = maxDrawnPixels     // pixels of one tile: a larger picture is searched as itself
	maxLayoutPixels = 4 * maxDrawnPixels // pixels of the tiles one part decodes
)

// InlineParts tells the budget the message's parts, so that an HTML
// part's "cid:" images can be laid out as the client shows them.
func (b *CodeBudget) InlineParts(parts []*message.Part) {
	for _, p := range parts {
		if p.ContentID == "" || !isCodeImage(p) {
			continue
		}
		if b.inline == nil {
			b.inline = map[string][]byte{}
		}
		if _, ok := b.inline[p.ContentID]; !ok {
			b.inline[p.ContentID] = p.Content
		}
	}
}

// layoutTile is one image of a layout: its bytes (nil for one Kensa cannot
// see, a remote picture, which takes its room blank) and the size the
// markup gives it, 0 where it gives none.
type layoutTile struct {
	src       string
	data      []byte
	w, h      int
	isDataURI bool
	bg        *layoutBackground // a CSS background of a sized box, not an <img>
}

// layoutBackground is how a box shows its background picture: at its own
// size (bw, bh 0), at a size in pixels, or stretched to the box (bw -1),
// from the top left, repeated or once.
type layoutBackground struct {
	bw, bh int
	once   bool
}

// imageLayouts are the runs of images of the HTML b that a client shows
// touching: each a list of lines, each line a list of tiles left to right.
// Text between images, a table's start or end end a run; <br>, a table
// row and a block end a line.
func imageLayouts(b []byte, inline map[string][]byte) [][][]layoutTile {
	var out [][][]layoutTile
	var lines [][]layoutTile
	var line []layoutTile
	endLine := func() {
		if len(line) > 0 {
			lines = append(lines, line)
			line = nil
		}
	}
	endRun := func() {
		endLine()
		seen, dataURI := 0, false
		for _, l := range lines {
			for _, t := range l {
				if t.data != nil {
					seen++
					dataURI = dataURI || t.isDataURI
				}
			}
		}
		if seen >= 2 || dataURI {
			out = append(out, lines)
		}
		lines = nil
	}
	var inlineDivs []bool // the open <div>s and <p>s: shown inline?
	z := html.NewTokenizer(bytes.NewReader(b))
	for n, imgs := 0, 0; n < 100_000 && imgs < maxLayoutImgs && len(out) < maxLayoutRuns; n++ {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			endRun()
			return largestRuns(out)
		case html.TextToken:
			if !blank(z.Text()) {
				endRun()
			}
			continue
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		name, hasAttr := z.TagName()
		switch string(name) {
		case "img":
			if tt == html.EndTagToken {
				continue
			}
			t, ok := readTile(z, hasAttr, inline)
			if ok && t.w > 0 && t.h > 0 && t.w <= 4 && t.h <= 4 {
				continue // a spacer or tracking pixel: no room worth a tile, nor a place in the bound
			}
			imgs++
			if !ok {
				endRun()
				continue
			}
			line = append(line, t)
		case "div", "p":
			// A block ends a line; one shown inline (inline-block,
			// floated: tiles side by side) does not, nor does its end.
			// A sized one's background picture is a tile.
			if tt == html.StartTagToken {
				var bx layoutBox
				if hasAttr {
					bx = readBox(z, inline)
				}
				if len(inlineDivs) < 64 {
					inlineDivs = append(inlineDivs, bx.inline)
				}
				if !bx.inline {
					endLine()
				}
				if bx.tile.bg != nil {
					imgs++
					line = append(line, bx.tile)
				}
				continue
			} else if len(inlineDivs) > 0 {
				in := inlineDivs[len(inlineDivs)-1]
				inlineDivs = inlineDivs[:len(inlineDivs)-1]
				if in {
					continue
				}
			}
			endLine()
		case "td", "th":
			// A sized cell's background picture is a tile of its row.
			if tt == html.StartTagToken && hasAttr {
				if bx := readBox(z, inline); bx.tile.bg != nil {
					imgs++
					line = append(line, bx.tile)
				}
			}
		case "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "center", "blockquote":
			endLine()
		case "table", "hr", "ul", "ol", "pre", "script", "style", "title", "object", "iframe", "svg":
			endRun()
		}
	}
	endRun()
	return largestRuns(out)
}

// largestRuns are the maxLayoutsPerPart runs of the most room (by the
// sizes the markup or the pictures' headers give), in their order: runs
// of small images before a code do not push it out of the bound.
func largestRuns(runs [][][]layoutTile) [][][]layoutTile {
	if len(runs) <= maxLayoutsPerPart {
		return runs
	}
	area := make([]int, len(runs))
	for i, r := range runs {
		for _, l := range r {
			for _, t := range l {
				w, h := t.w, t.h
				if (w == 0 || h == 0) && t.data != nil {
					if cfg, _, err := imageConfig(t.data); err == nil {
						w, h = cmp.Or(w, cfg.Width), cmp.Or(h, cfg.Height)
					}
				}
				area[i] += min(w, 10_000) * min(h, 10_000)
			}
		}
	}
	order := make([]int, len(runs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return area[b] - area[a] })
	order = order[:maxLayoutsPerPart]
	slices.Sort(order)
	out := make([][][]layoutTile, len(order))
	for i, j := range order {
		out[i] = runs[j]
	}
	return out
}

// layoutBox is what a block or a cell's attributes say: whether its style
// shows it beside its neighbours (display inline, inline-block,
// inline-flex, table-cell; float), and its background picture as a tile
// when it has one Kensa sees and a size in pixels both ways (bg nil else).
type layoutBox struct {
	inline bool
	tile   layoutTile
}

func readBox(z *html.Tokenizer, inline map[string][]byte) layoutBox {
	var bx layoutBox
	t := &bx.tile
	bg := layoutBackground{}
	hidden := false
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "background":
			t.src = strings.TrimSpace(string(v))
		case "width":
			t.w = pxValue(string(v))
		case "height":
			t.h = pxValue(string(v))
		case "style":
			style := string(v)
			if u, rest := cssBackgroundURL(style); u != "" {
				t.src, style = u, rest
			}
			forDecls(style, func(prop, val string) {
				switch prop {
				case "display":
					bx.inline = strings.HasPrefix(val, "inline") || val == "table-cell"
					hidden = hidden || val == "none"
				case "float":
					bx.inline = val == "left" || val == "right"
				case "visibility":
					hidden = hidden || val == "hidden"
				case "width":
					t.w = pxValue(val)
				case "height":
					t.h = pxValue(val)
				case "background", "background-repeat":
					bg.once = bg.once || strings.Contains(val, "no-repeat")
					if _, size, ok := strings.Cut(val, "/"); ok && prop == "background" {
						bg.bw, bg.bh = backgroundSize(size)
					}
				case "background-size":
					bg.bw, bg.bh = backgroundSize(val)
				}
			})
		}
	}
	if t.src == "" || hidden || t.w <= 4 || t.h <= 4 || bg.bw < -1 {
		return bx
	}
	low := strings.ToLower(t.src)
	switch {
	case strings.HasPrefix(low, "cid:"):
		t.data = inline[t.src[4:]]
	case strings.HasPrefix(low, "data:"):
		t.data, t.isDataURI = dataImage(t.src), true
	}
	if t.data != nil {
		t.bg = &bg
	}
	return bx
}

// cssBackgroundURL is the picture of the last background or
// background-image declaration of a style attribute, as written (a cid:
// or data: URI keeps its case and its semicolons), and the style without
// it, for forDecls.
func cssBackgroundURL(style string) (url, rest string) {
	low := strings.ToLower(style)
	var cut strings.Builder
	from := 0
	for n := 0; n < 16; n++ {
		i := strings.Index(low[from:], "url(")
		if i < 0 {
			break
		}
		i += from
		arg := strings.TrimLeft(style[i+4:], " \t")
		end := strings.IndexByte(arg, ')')
		if q := arg[:min(1, len(arg))]; q == "'" || q == `"` {
			end = strings.IndexByte(arg[1:], q[0])
			if end >= 0 {
				end++
			}
		}
		if end < 0 {
			break
		}
		stop := len(style) - len(arg) + end + 1
		if stop < len(style) && style[stop-1] != ')' {
			if c := strings.IndexByte(style[stop:], ')'); c >= 0 {
				stop += c + 1
			}
		}
		decl := low[:i]
		if k := strings.LastIndexByte(decl, ':'); k >= 0 {
			prop := strings.TrimSpace(decl[max(strings.LastIndexAny(decl[:k], ";{"), 0):k])
			prop = strings.TrimLeft(prop, ";{ \t")
			if prop == "background" || prop == "background-image" {
				url = strings.Trim(strings.TrimSpace(arg[:end]), `'"`)
			}
		}
		cut.WriteString(style[from:i])
		from = min(stop, len(style))
	}
	cut.WriteString(style[from:])
	return strings.TrimSpace(url), cut.String()
}

// backgroundSize reads a background-size: 0, 0 for the picture's own
// size (auto), -1, -1 for the box's (100% 100%, cover, contain: the tiles
// attackers cut are shown at their box's shape), pixels, or -2 for what
// is not read (a lone percentage...).
func backgroundSize(v string) (w, h int) {
	f := strings.Fields(v)
	for i, x := range f[:min(len(f), 2)] { // the shorthand's size, before its other words
		if x != "auto" && x != "cover" && x != "contain" && !strings.HasSuffix(x, "%") && pxValue(x) < 0 {
			f = f[:i]
			break
		}
	}
	f = f[:min(len(f), 2)]
	switch {
	case len(f) == 0 || len(f) == 1 && f[0] == "auto":
		return 0, 0
	case len(f) == 1 && (f[0] == "cover" || f[0] == "contain" || f[0] == "100%"),
		len(f) == 2 && f[0] == "100%" && f[1] == "100%":
		return -1, -1
	case len(f) == 2:
		w, h = pxValue(f[0]), pxValue(f[1])
		if w > 0 && h > 0 {
			return w, h
		}
	}
	return -2, -2
}

// readTile reads an <img>'s source and size; false when it takes room of
// a size Kensa does not know (a remote picture without both sizes) or
// none (hidden, or under 2 pixels a side: a tracking pixel).
func readTile(z *html.Tokenizer, hasAttr bool, inline map[string][]byte) (layoutTile, bool) {
	var t layoutTile
	hidden := false
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		switch string(k) {
		case "src":
			t.src = strings.TrimSpace(string(v))
		case "width":
			t.w = pxValue(string(v))
		case "height":
			t.h = pxValue(string(v))
		case "style":
			forDecls(string(v), func(prop, val string) {
				switch prop {
				case "width":
					t.w = pxValue(val)
				case "height":
					t.h = pxValue(val)
				case "display":
					hidden = hidden || val == "none"
				case "visibility":
					hidden = hidden || val == "hidden"
				}
			})
		}
	}
	if hidden || t.w < 0 || t.h < 0 {
		return t, false
	}
	low := strings.ToLower(t.src)
	switch {
	case strings.HasPrefix(low, "cid:"):
		t.data = inline[t.src[4:]]
	case strings.HasPrefix(low, "data:"):
		t.data, t.isDataURI = dataImage(t.src), true
	}
	if t.data == nil && (t.w < 2 || t.h < 2) {
		return t, false // a remote or unknown picture of unknown size
	}
	return t, true
}

// pxValue is a length in CSS pixels ("110", "110px"); 0 when none is
// given, -1 for one that is not in pixels (a percentage: the size depends
// on the window).
func pxValue(s string) int {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	if s == "" || s == "auto" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 10_000 || math.IsNaN(f) {
		return -1
	}
	return int(f + 0.5)
}

// dataImage is the bytes of a base64 data: URI, nil when it is not one or
// is larger than an image the search reads.
func dataImage(src string) []byte {
	_, enc, ok := strings.Cut(src, ",")
	head := strings.ToLower(src[:len(src)-len(enc)])
	if !ok || !strings.Contains(head, ";base64") || int64(len(enc)) > maxCodeBytes*4/3 {
		return nil
	}
	enc = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, enc)
	b, err := base64.StdEncoding.DecodeString(strings.TrimRight(enc, "="))
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(enc, "="))
	}
	if err != nil {
		return nil
	}
	return b
}

// tileImage is a tile's picture as the search reads it, its pixels taken
// from *left; nil when it does not decode, is too large to be a tile
// (maxTilePixels: such a picture is searched as itself) or *left is spent.
func tileImage(b []byte, deadline time.Time, left *int) *image.Gray {
	cfg, format, err := imageConfig(b)
	if err != nil || cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > min(maxTilePixels, *left) || int64(len(b)) > maxCodeBytes {
		return nil
	}
	*left -= cfg.Width * cfg.Height
	g, _, _ := decodeGray(b, format, cfg.Width, cfg.Height, deadline)
	return g
}

// drawLayout draws the lines of tiles on one canvas, each tile at its
// declared size (the picture's own where the markup gives none, the other
// side kept in proportion where it gives one), lines left to right and
// stacked top to bottom, scaled down to fit maxDrawnPixels; nil when
// nothing was drawn.
func drawLayout(lines [][]layoutTile, pics map[string]*image.Gray) *image.Gray {
	type placed struct {
		g          *image.Gray
		bg         *layoutBackground
		x, y, w, h int
	}
	var ps []placed
	W, y := 0, 0
	for _, l := range lines {
		x, lh := 0, 0
		for _, t := range l {
			g := pics[t.src]
			w, h := t.w, t.h
			if g != nil && t.bg == nil {
				gw, gh := g.Rect.Dx(), g.Rect.Dy()
				switch {
				case w == 0 && h == 0:
					w, h = gw, gh
				case w == 0:
					w = h * gw / max(gh, 1)
				case h == 0:
					h = w * gh / max(gw, 1)
				}
			}
			if w <= 0 || h <= 0 || w > 10_000 || h > 10_000 {
				continue
			}
			ps = append(ps, placed{g, t.bg, x, y, w, h})
			x += w
			lh = max(lh, h)
		}
		W = max(W, x)
		y += lh
	}
	H := y
	if W < minCodeSide || H < minCodeSide {
		return nil
	}
	f := 1.0
	if a := float64(W+2*drawnMargin) * float64(H+2*drawnMargin); a > maxDrawnPixels {
		f = math.Sqrt(maxDrawnPixels/a) * 0.98
	}
	c := newDrawing(max(1, int(float64(W)*f)), max(1, int(float64(H)*f)))
	if c == nil {
		return nil
	}
	for _, p := range ps {
		if p.g == nil {
			continue
		}
		x0, y0 := int(float64(p.x)*f), int(float64(p.y)*f)
		x1, y1 := min(int(float64(p.x+p.w)*f), c.w), min(int(float64(p.y+p.h)*f), c.h)
		gw, gh := p.g.Rect.Dx(), p.g.Rect.Dy()
		// The picture's size on the canvas: the box's, or a background's
		// own, repeated from the box's top left (or shown once).
		pw, ph, once := max(x1-x0, 1), max(y1-y0, 1), false
		if b := p.bg; b != nil {
			once = b.once
			switch {
			case b.bw > 0:
				pw, ph = max(int(float64(b.bw)*f), 1), max(int(float64(b.bh)*f), 1)
			case b.bw == 0:
				pw, ph = max(int(float64(gw)*f), 1), max(int(float64(gh)*f), 1)
			}
		}
		for yy := y0; yy < y1 && (!once || yy-y0 < ph); yy++ {
			sy := (yy - y0) % ph * gh / ph
			src := p.g.Pix[sy*p.g.Stride:]
			dst := c.g.Pix[(yy+drawnMargin)*c.g.Stride+drawnMargin:]
			for xx := x0; xx < x1 && (!once || xx-x0 < pw); xx++ {
				dst[xx] = src[(xx-x0)%pw*gw/pw]
			}
		}
		c.inked = true
	}
	return c.image()
}

// mayLayOut says whether the HTML h may lay out an image Kensa sees: it
// has an <img and a data: URI, or two <img and the message has images by
// Content-ID, or character references (which may spell "cid:" or
// "data:"). A newsletter of remote pictures is not tokenized.
func mayLayOut(h string, inline bool) bool {
	if !containsFold(h, "<img") && !containsFold(h, "url(") && !containsFold(h, "background=") {
		return false
	}
	return containsFold(h, "data:") || inline || strings.Contains(h, "&#") || containsFold(h, "&colon")
}

// addLayouts searches the layouts of touching images in the HTML h.
func (out *Codes) addLayouts(h []byte, b *CodeBudget) {
	if !mayLayOut(string(h), len(b.inline) > 0) {
		return // ordinary HTML: no image Kensa sees to lay out
	}
	layouts := imageLayouts(h, b.inline)
	pics, left := map[string]*image.Gray{}, maxLayoutPixels
	for i, lines := range layouts {
		if b.layouts <= 0 || time.Now().After(b.startBy()) {
			out.Skipped = append(out.Skipped, fmt.Sprintf("HTML image layout %d not searched for codes: the message's layouts or time for codes were spent", i+1))
			return
		}
		for _, l := range lines {
			for _, t := range l {
				if _, ok := pics[t.src]; !ok && t.data != nil {
					pics[t.src] = tileImage(t.data, b.stopBy(codeDeadline), &left)
				}
			}
		}
		g := drawLayout(lines, pics)
		if g == nil {
			continue
		}
		b.layouts--
		out.search(g, b, fmt.Sprintf("HTML image layout %d", i+1))
	}
}

// blank says whether text is only white space and no-break spaces, which
// take no room between images that markup breaks or sizes.
func blank(text []byte) bool {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f':
		case c == 0xc2 && i+1 < len(text) && text[i+1] == 0xa0:
			i++
		default:
			return false
		}
	}
	return true
}
