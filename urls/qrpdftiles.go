package urls

import (
	"cmp"
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"
	"time"
)

// Split codes in a PDF: a code cut into several images (image XObjects or
// inline images) that the page places touching with cm, so that a viewer
// shows one code and no image alone holds one. The page interpreter
// (qrvector.go) notes where each image lands; the images of a page whose
// boxes touch are drawn together, in the order the page paints them and
// inside the clip, on one canvas, and the canvas is searched.
//
// Only a PDF of two image objects or more, or of inline images, has its
// pages' placements noted; only a group of two images or more is drawn.

const (
	maxPDFTiles      = 1024                   // image placements noted per PDF
	maxPDFTileGroups = maxLayoutsPerPart      // groups of touching images drawn per PDF, the largest first
	maxTilePaint     = 4 * maxDrawnPixels     // canvas pixels painted per group: overlapping tiles repaint
	minTileSide      = 0.5                    // points: a placement thinner than this shows nothing
	tileGap          = 1.0                    // points between boxes that still touch (a writer's rounding)
	tileGapShare     = 0.02                   // or this share of the smaller side
	maxTileDensity   = 8.0                    // canvas pixels a point, at most: a code needs no more
	maxPDFTilePixels = maxLayoutPixels        // pixels of the tiles one PDF decodes
	pdfSpacerPixels  = 16                     // an image of this many pixels or fewer is no tile
	tileDeadline     = 250 * time.Millisecond // of drawing one group, past the message's time for codes
)

// pdfTiles are the images the pages of a PDF paint, in paint order.
type pdfTiles struct {
	placed []pdfTile
	over   int // placements past maxPDFTiles, not noted
}

// pdfTile is one image painted: the unit square under ctm, what of it
// the clip lets show (box, page space).
type pdfTile struct {
	page int    // the page's object number
	num  int    // the image object, 0 for an inline image
	o    pdfObj // the image
	ctm  [6]float64
	full vecBox // the whole image's box
	box  vecBox // what of it shows
}

// pdfImageObjects counts the image objects that are no one's soft mask,
// stopping at 2.
func pdfImageObjects(objs map[int]pdfObj) int {
	n := 0
	for _, o := range objs {
		if o.data != nil && o.dict["Subtype"] == "/Image" && o.dict["SMask"] == "" && n < 2 {
			n++
		}
	}
	return n
}

// placeTile notes where the image o (object num, 0 for inline) lands,
// when it shows and is more than a spacer.
func (vi *vecInterp) placeTile(num int, o pdfObj) {
	if vi.tiles == nil || o.dict == nil {
		return
	}
	w, _ := strconv.Atoi(o.dict["Width"])
	h, _ := strconv.Atoi(o.dict["Height"])
	if w < 1 || h < 1 || w*h <= pdfSpacerPixels && w <= 4 && h <= 4 {
		return
	}
	full := vi.boxUnder(vi.gs.ctm, vecBox{0, 0, 1, 1})
	box := full.intersect(vi.gs.clip)
	if !box.finite() || box.x1-box.x0 < minTileSide || box.y1-box.y0 < minTileSide {
		return
	}
	if len(vi.tiles.placed) >= maxPDFTiles {
		vi.tiles.over++
		return
	}
	vi.tiles.placed = append(vi.tiles.placed, pdfTile{page: vi.pageNum, num: num, o: o, ctm: vi.gs.ctm, full: full, box: box})
}

// touches says whether two boxes touch or overlap, give or take the gap.
func (b vecBox) touches(o vecBox) bool {
	g := max(tileGap, tileGapShare*min(b.x1-b.x0, b.y1-b.y0, o.x1-o.x0, o.y1-o.y0))
	return b.x0 <= o.x1+g && o.x0 <= b.x1+g && b.y0 <= o.y1+g && o.y0 <= b.y1+g
}

// groups are the groups of two or more placements of one page whose
// boxes touch (each the indices of its tiles, in paint order), the
// maxPDFTileGroups of the largest box first.
func (t pdfTiles) groups() [][]int {
	n := len(t.placed)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			a, b := t.placed[i], t.placed[j]
			if a.page == b.page && a.box.touches(b.box) {
				parent[find(i)] = find(j)
			}
		}
	}
	byRoot := map[int][]int{}
	var roots []int
	for i := range n {
		r := find(i)
		if byRoot[r] == nil {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], i)
	}
	var out [][]int
	for _, r := range roots {
		if len(byRoot[r]) >= 2 {
			out = append(out, byRoot[r])
		}
	}
	area := func(g []int) float64 {
		u := emptyBox()
		for _, i := range g {
			u = u.union(t.placed[i].box)
		}
		return (u.x1 - u.x0) * (u.y1 - u.y0)
	}
	slices.SortStableFunc(out, func(a, b []int) int { return cmp.Compare(area(b), area(a)) })
	return out[:min(len(out), maxPDFTileGroups)]
}

// pdfTileImage decodes a tile's picture within *left pixels; nil when it
// does not draw or is too large to be a tile (maxTilePixels).
func pdfTileImage(objs map[int]pdfObj, o pdfObj, deadline time.Time, left *int) *image.Gray {
	w, _ := strconv.Atoi(o.dict["Width"])
	h, _ := strconv.Atoi(o.dict["Height"])
	limit := min(maxTilePixels, *left)
	if w < 1 || h < 1 || w > limit || h > limit || w*h > limit {
		return nil
	}
	if jw, jh, ok := pdfJPEGSize(o); ok && (jw > limit || jh > limit || jw*jh > limit) {
		return nil
	}
	*left -= w * h
	g, _ := pdfPicture(objs, o, w, h, deadline)
	return g
}

// drawTiles draws the group's tiles on one canvas: the box of them all,
// at the density of the finest tile (at least a pixel a point, at most
// maxTileDensity), scaled down to maxDrawnPixels; each tile in paint order
// through the inverse of its matrix, so that flips and turns show as a
// viewer shows them, and only inside its clip. nil when nothing drew.
func drawTiles(tiles []pdfTile, pics []*image.Gray, deadline time.Time) *image.Gray {
	u := emptyBox()
	density := 1.0
	for i, t := range tiles {
		if pics[i] == nil {
			continue
		}
		u = u.union(t.box)
		if a := (t.full.x1 - t.full.x0) * (t.full.y1 - t.full.y0); a > 0 {
			density = max(density, math.Sqrt(float64(pics[i].Rect.Dx()*pics[i].Rect.Dy())/a))
		}
	}
	if !u.finite() || u.x1 <= u.x0 || u.y1 <= u.y0 {
		return nil
	}
	s := min(density, maxTileDensity)
	W, H := (u.x1-u.x0)*s, (u.y1-u.y0)*s
	if a := (W + 2*drawnMargin) * (H + 2*drawnMargin); a > maxDrawnPixels {
		s *= math.Sqrt(maxDrawnPixels/a) * 0.98
		W, H = (u.x1-u.x0)*s, (u.y1-u.y0)*s
	}
	if W < minCodeSide || H < minCodeSide {
		return nil
	}
	c := newDrawing(int(W), int(H))
	if c == nil {
		return nil
	}
	painted := 0
	for i, t := range tiles {
		g := pics[i]
		inv, ok := invertMatrix(t.ctm)
		if g == nil || !ok || time.Now().After(deadline) {
			continue
		}
		gw, gh := g.Rect.Dx(), g.Rect.Dy()
		x0, x1 := max(0, int((t.box.x0-u.x0)*s)), min(c.w, int(math.Ceil((t.box.x1-u.x0)*s)))
		y0, y1 := max(0, int((u.y1-t.box.y1)*s)), min(c.h, int(math.Ceil((u.y1-t.box.y0)*s)))
		if painted += max(0, x1-x0) * max(0, y1-y0); painted > maxTilePaint {
			break
		}
		for cy := y0; cy < y1; cy++ {
			py := u.y1 - (float64(cy)+0.5)/s
			row := c.g.Pix[(cy+drawnMargin)*c.g.Stride+drawnMargin:]
			for cx := x0; cx < x1; cx++ {
				px := u.x0 + (float64(cx)+0.5)/s
				uu := inv[0]*px + inv[2]*py + inv[4]
				vv := inv[1]*px + inv[3]*py + inv[5]
				if uu < 0 || uu >= 1 || vv <= 0 || vv > 1 {
					continue
				}
				row[cx] = g.Pix[int((1-vv)*float64(gh))*g.Stride+int(uu*float64(gw))]
				c.inked = true
			}
		}
	}
	return c.image()
}

// addPDFTiles searches the groups of touching images the PDF objs' pages
// place (tiles); drawn holds the pictures pdfImages already drew, by
// object.
func (out *Codes) addPDFTiles(objs map[int]pdfObj, tiles pdfTiles, drawn map[int]*image.Gray, b *CodeBudget) {
	if tiles.over > 0 {
		out.Skipped = append(out.Skipped, fmt.Sprintf("PDF image placements past the first %d not laid out for codes", maxPDFTiles))
	}
	left := maxPDFTilePixels
	for _, grp := range tiles.groups() {
		page := tiles.placed[grp[0]].page
		if b.layouts <= 0 || time.Now().After(b.startBy()) {
			out.Skipped = append(out.Skipped, fmt.Sprintf("PDF page object %d images laid out together not searched for codes: the message's layouts or time for codes were spent", page))
			return
		}
		ts := make([]pdfTile, len(grp))
		pics := make([]*image.Gray, len(grp))
		for k, i := range grp {
			t := tiles.placed[i]
			ts[k] = t
			g, ok := drawn[t.num]
			if !ok || t.num == 0 {
				g = pdfTileImage(objs, t.o, b.stopBy(codeDeadline), &left)
				if t.num != 0 {
					drawn[t.num] = g
				}
			}
			pics[k] = g
		}
		g := drawTiles(ts, pics, b.stopBy(tileDeadline))
		if g == nil {
			continue
		}
		b.layouts--
		out.search(g, b, fmt.Sprintf("PDF page object %d images laid out together", page))
	}
}
