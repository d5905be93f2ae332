package urls

import "image"

// Codes drawn without a picture (HTML tables, Unicode block characters,
// SVG shapes, CSS grids of boxes) are drawn here as the grey image the
// search reads: dark cells black on white, with a light margin.

// maxDrawnPixels bounds one drawn image (about codeWorkArea: the search
// would scale a larger one down anyway).
const maxDrawnPixels = 1600 * 1600

// drawnMargin is the light margin around a drawing, in pixels.
const drawnMargin = 16

// A drawnCode is one drawing in the ways a reader may see it, tried in
// order until one reads: a drawing of block characters as a monospaced
// font shows it, then with square character cells (a full block a module).
type drawnCode []*image.Gray

// drawnCodes are drawings seen one way each.
func drawnCodes(gs []*image.Gray) []drawnCode {
	out := make([]drawnCode, len(gs))
	for i, g := range gs {
		out[i] = drawnCode{g}
	}
	return out
}

// rowsWidth is the length of the longest row.
func rowsWidth(rows [][]bool) int {
	w := 0
	for _, r := range rows {
		w = max(w, len(r))
	}
	return w
}

// drawCells draws a grid of dark and light cells, each pw×ph pixels (rows
// shorter than the longest are light at their end); nil when it is too
// small to be a code (under minCodeSide cells a side), too large to draw
// (maxDrawnPixels), or has no dark cell.
func drawCells(rows [][]bool, pw, ph int) *image.Gray {
	w, h := rowsWidth(rows), len(rows)
	if w < minCodeSide || h < minCodeSide || pw < 1 || ph < 1 {
		return nil
	}
	c := newDrawing(w*pw, h*ph)
	if c == nil {
		return nil
	}
	for y, r := range rows {
		for x, d := range r {
			if d {
				c.fill(x*pw, y*ph, (x+1)*pw, (y+1)*ph)
			}
		}
	}
	return c.image()
}

// drawing is a white drawing w×h pixels inside a margin, painted black a
// rectangle at a time.
type drawing struct {
	g     *image.Gray
	w, h  int
	inked bool
}

// newDrawing is a white w×h drawing; nil when it is empty or, with its
// margin, over maxDrawnPixels.
func newDrawing(w, h int) *drawing {
	W, H := w+2*drawnMargin, h+2*drawnMargin
	if w < 1 || h < 1 || W > maxDrawnPixels || H > maxDrawnPixels || W*H > maxDrawnPixels {
		return nil
	}
	g := image.NewGray(image.Rect(0, 0, W, H))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	return &drawing{g: g, w: w, h: h}
}

// fill paints [x0,x1)×[y0,y1) black, clipped to the drawing.
func (c *drawing) fill(x0, y0, x1, y1 int) {
	x0, y0 = max(x0, 0), max(y0, 0)
	x1, y1 = min(x1, c.w), min(y1, c.h)
	if x0 >= x1 || y0 >= y1 {
		return
	}
	c.inked = true
	for y := y0; y < y1; y++ {
		row := c.g.Pix[(y+drawnMargin)*c.g.Stride+drawnMargin:]
		clear(row[x0:x1])
	}
}

// image is the drawing, nil when nothing was painted.
func (c *drawing) image() *image.Gray {
	if !c.inked {
		return nil
	}
	return c.g
}
