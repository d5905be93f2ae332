package urls

import (
	"bytes"
	"image"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// Codes drawn as CSS boxes: elements with a background colour laid out in
// rows, no table and no image. Two layouts are read, the ones code
// generators and phishing kits write:
//
//   - a grid: an element with display:grid (or inline-grid) and
//     grid-template-columns of N tracks (repeat(N, …) or N sizes), whose
//     children fill it N to a row, in order;
//   - rows: an element whose children are rows of boxes side by side (a row
//     with display:flex, or whose boxes are inline-block, inline-flex,
//     floated, or inline elements such as <span>), or whose own boxes stand
//     side by side and are cut into rows by <br> or by its width.
//
// A box is a module, or as many as its width holds of the narrowest box's
// width (a run of dark modules drawn as one wide box). A box is dark when
// its background is (its own, or that of the element it stands in: inline
// style, a style sheet's class, bgcolor). Boxes placed by grid-row and
// grid-column, absolutely positioned boxes and box shadows are not read.

const (
	minBoxTags = 200     // <div> and <span> tags a part must hold before its boxes are laid out
	maxBoxes   = 200_000 // elements read per part
)

type box struct {
	tag      string
	parent   int
	kids     []int // element children shown; -1 for a <br>
	dark     bool  // its background, or what shows through it, is dark
	display  string
	float    bool
	width    float64 // in pixels, 0 when not said
	flexCol  bool    // flex-direction: column
	wrap     bool    // flex-wrap: wrap
	gridCols int     // tracks of grid-template-columns
	hidden   bool
}

// boxCodes draws the grids of CSS boxes in the HTML b that are large
// enough to be codes.
func boxCodes(b []byte) []drawnCode {
	tags := bytes.Count(b, []byte("<div")) + bytes.Count(b, []byte("<span")) + bytes.Count(b, []byte("<DIV")) + bytes.Count(b, []byte("<SPAN"))
	if tags < minBoxTags || !bytes.Contains(b, []byte("grid")) && !bytes.Contains(b, []byte("inline")) &&
		!bytes.Contains(b, []byte("float")) && !bytes.Contains(b, []byte("flex")) && !bytes.Contains(b, []byte("<br")) {
		return nil
	}
	classes := cssClassRules(b)
	boxes := []box{{tag: "#root", parent: -1}}
	stack := []int{0}
	z := html.NewTokenizer(bytes.NewReader(b))
	for n := 0; n < 4*maxBoxes && len(boxes) < maxBoxes; n++ {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		tag := string(name)
		top := stack[len(stack)-1]
		if tt == html.EndTagToken {
			for i := len(stack) - 1; i > 0 && i >= len(stack)-16; i-- {
				if boxes[stack[i]].tag == tag {
					stack = stack[:i]
					break
				}
			}
			continue
		}
		if tag == "br" {
			boxes[top].kids = append(boxes[top].kids, -1)
			continue
		}
		bx := box{tag: tag, parent: top, dark: boxes[top].dark}
		bx.display = map[string]string{"div": "block", "p": "block", "li": "block", "section": "block", "td": "table-cell", "tr": "table-row", "table": "table"}[tag]
		if bx.display == "" {
			bx.display = "inline"
		}
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			switch string(k) {
			case "bgcolor":
				bx.dark = legacyDark(string(v))
			case "class":
				for _, cl := range strings.Fields(string(v)) {
					bx.style(classes[cl])
				}
			case "style":
				bx.style(string(v))
			}
		}
		hidden := bx.hidden || boxes[top].hidden
		bx.hidden = hidden
		i := len(boxes)
		boxes = append(boxes, bx)
		if !hidden {
			boxes[top].kids = append(boxes[top].kids, i)
		}
		if tt == html.StartTagToken && !voidElements[tag] && len(stack) < 256 {
			stack = append(stack, i)
		}
	}
	var out []drawnCode
	done := make([]bool, len(boxes))
	for i := range boxes {
		if len(out) >= maxCodeTables {
			break
		}
		if done[i] || len(boxes[i].kids) < minCodeSide {
			continue
		}
		rows := boxRows(boxes, i)
		if rows == nil {
			continue
		}
		if g := drawBoxRows(rows); g != nil {
			out = append(out, drawnCode{g})
			markDone(boxes, i, done)
		}
	}
	return out
}

// style applies CSS declarations to bx.
func (bx *box) style(decls string) {
	forDecls(decls, func(prop, v string) {
		switch prop {
		case "background", "background-color":
			if c, ok := colourValue(v); ok {
				bx.dark = isDark(c)
			}
		case "display":
			bx.display = strings.Fields(v + " x")[0]
			bx.hidden = bx.display == "none"
		case "float":
			bx.float = v == "left" || v == "right"
		case "width", "min-width", "flex-basis":
			if w := cssPixels(v); w > 0 {
				bx.width = w
			}
		case "flex":
			if f := strings.Fields(v); len(f) == 3 {
				if w := cssPixels(f[2]); w > 0 {
					bx.width = w
				}
			}
		case "flex-direction":
			bx.flexCol = strings.HasPrefix(v, "column")
		case "flex-wrap":
			bx.wrap = v == "wrap"
		case "flex-flow":
			bx.flexCol = strings.HasPrefix(v, "column")
			bx.wrap = strings.Contains(v, "wrap") && !strings.Contains(v, "nowrap")
		case "grid-template-columns":
			bx.gridCols = gridTracks(v)
		case "visibility":
			bx.hidden = bx.hidden || v == "hidden"
		}
	})
}

// cssPixels reads a length in pixels ("4px", "3pt", "0.25em", "4"); 0
// for a percentage or what it cannot read.
func cssPixels(v string) float64 {
	j := numEnd(v, 0)
	if j == 0 {
		return 0
	}
	x, err := strconv.ParseFloat(v[:j], 64)
	if err != nil || x <= 0 || x > 1e5 {
		return 0
	}
	switch strings.TrimSpace(v[j:]) {
	case "", "px":
		return x
	case "pt":
		return x * 4 / 3
	case "em", "rem":
		return x * 16
	}
	return 0
}

// gridTracks counts the columns of a grid-template-columns value:
// repeat(N, …) and single sizes, 0 when it cannot tell.
func gridTracks(v string) int {
	n := 0
	for f := 0; v != "" && f < 512; f++ {
		v = strings.TrimSpace(v)
		if strings.HasPrefix(v, "repeat(") {
			end := strings.IndexByte(v, ')')
			args := strings.SplitN(v[len("repeat("):max(end, len("repeat("))], ",", 2)
			k, err := strconv.Atoi(strings.TrimSpace(args[0]))
			if end < 0 || err != nil || k < 1 || k > 1000 {
				return 0
			}
			n += k
			v = v[end+1:]
			continue
		}
		i := strings.IndexAny(v, " \t")
		if i < 0 {
			i = len(v)
		}
		if strings.ContainsAny(v[:i], "()") {
			return 0 // minmax(), fit-content(): not read
		}
		n++
		v = v[i:]
	}
	return n
}

// inlineLevel says whether a box stands beside the one before it.
func (bx *box) inlineLevel() bool {
	return bx.float || strings.HasPrefix(bx.display, "inline")
}

// sideBySide says whether the children of bx stand in a row (when none is
// a <br>): a flex row, or boxes that are all inline-level.
func sideBySide(boxes []box, i int) bool {
	bx := &boxes[i]
	if (bx.display == "flex" || bx.display == "inline-flex") && !bx.flexCol {
		return true
	}
	for _, k := range bx.kids {
		if k >= 0 && !boxes[k].inlineLevel() {
			return false
		}
	}
	return true
}

// boxCell is one box of a row: dark or light, its width in pixels (0: not said).
type boxCell struct {
	dark  bool
	width float64
}

// boxRows reads the element i as rows of boxes, nil when it is not laid
// out as a grid of at least minCodeSide rows.
func boxRows(boxes []box, i int) [][]boxCell {
	bx := &boxes[i]
	var rows [][]boxCell
	cell := func(k int) boxCell { return boxCell{boxes[k].dark, boxes[k].width} }
	switch {
	case (bx.display == "grid" || bx.display == "inline-grid") && bx.gridCols >= minCodeSide:
		var row []boxCell
		for _, k := range bx.kids {
			if k < 0 {
				continue
			}
			row = append(row, boxCell{dark: boxes[k].dark})
			if len(row) == bx.gridCols {
				rows, row = append(rows, row), nil
			}
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
	case sideBySide(boxes, i) && (slices.Contains(bx.kids, -1) || bx.width > 0 && (bx.wrap || bx.display != "flex" && bx.display != "inline-flex")):
		// Its own boxes in rows, cut by <br> or by its width.
		var row []boxCell
		used := 0.0
		for _, k := range bx.kids {
			if k < 0 {
				rows, row, used = append(rows, row), nil, 0
				continue
			}
			c := cell(k)
			if bx.width > 0 && c.width > 0 && used+c.width > bx.width+0.5 && len(row) > 0 {
				rows, row, used = append(rows, row), nil, 0
			}
			row = append(row, c)
			used += c.width
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
	default:
		// Rows of boxes, one row a child.
		for _, r := range bx.kids {
			if r < 0 {
				continue
			}
			if len(boxes[r].kids) == 0 || !sideBySide(boxes, r) || boxes[r].inlineLevel() && !strings.Contains(boxes[r].display, "flex") {
				return nil
			}
			var row []boxCell
			for _, k := range boxes[r].kids {
				if k >= 0 {
					row = append(row, cell(k))
				}
			}
			rows = append(rows, row)
		}
	}
	if len(rows) < minCodeSide {
		return nil
	}
	return rows
}

// drawBoxRows draws rows of boxes, a box as many modules as its width
// holds of the narrowest box's.
func drawBoxRows(rows [][]boxCell) *image.Gray {
	unit := math.Inf(1)
	for _, r := range rows {
		for _, c := range r {
			if c.width > 0 {
				unit = min(unit, c.width)
			}
		}
	}
	cells := make([][]bool, len(rows))
	total := 0
	for y, r := range rows {
		for _, c := range r {
			k := 1
			if c.width > 0 && !math.IsInf(unit, 0) {
				k = max(1, int(math.Round(c.width/unit)))
			}
			for ; k > 0 && len(cells[y]) < 400; k-- {
				cells[y] = append(cells[y], c.dark)
			}
		}
		total += len(cells[y])
		if total > maxTableCells {
			return nil
		}
	}
	return drawCells(cells, tableCellPx, tableCellPx)
}

// markDone marks the element i and everything inside it as read.
func markDone(boxes []box, i int, done []bool) {
	stack := []int{i}
	for len(stack) > 0 && len(stack) < len(boxes) {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if done[j] {
			continue
		}
		done[j] = true
		for _, k := range boxes[j].kids {
			if k >= 0 {
				stack = append(stack, k)
			}
		}
	}
}
