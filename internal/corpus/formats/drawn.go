package formats

import (
	"fmt"
	"strings"
)

// Codes drawn without a picture, as phishing mail draws them: with Unicode
// block characters, SVG shapes, CSS boxes. The test code of urls and the
// corpus generator share them.

// bordered is text's QR code (QRModules) with a quiet zone of border
// light modules a side.
func bordered(text string, border int) [][]bool {
	bm := QRModules(text)
	n := len(bm) + 2*border
	out := make([][]bool, n)
	for y := range out {
		out[y] = make([]bool, n)
		if y >= border && y < border+len(bm) {
			copy(out[y][border:], bm[y-border])
		}
	}
	return out
}

// Forms of block-character drawings.
const (
	HalfBlocks     = iota // ▀ ▄ █: a character a module wide, two tall (qrencode -t UTF8)
	FullBlocks            // █: a character a module
	DoubleBlocks          // ██: two characters a module, square on screen
	QuadrantBlocks        // ▘ ▝ ▖ ▗ ▚ ▞ ▛ ▜ ▙ ▟ ▌ ▐ ▀ ▄ █: a character two modules a side
)

// BlockStyle is how QRBlocks draws.
type BlockStyle struct {
	Form   int
	Invert bool   // light on dark: the light modules drawn, the dark left blank
	Blank  string // the blank character ("" is a space; "\u00a0", "&nbsp;")
	Dark   string // the full block ("" is █; "&#9608;", "⬛")
	Border int    // quiet zone in modules
}

// QRBlocks draws text's QR code as lines of block characters.
func QRBlocks(text string, s BlockStyle) []string {
	m := bordered(text, s.Border)
	blank, full := s.Blank, s.Dark
	if blank == "" {
		blank = " "
	}
	if full == "" {
		full = "█"
	}
	at := func(x, y int) bool {
		d := y < len(m) && x < len(m) && m[y][x]
		return d != s.Invert
	}
	quad := []string{blank, "▘", "▝", "▀", "▖", "▌", "▞", "▛", "▗", "▚", "▐", "▜", "▄", "▙", "▟", full}
	var lines []string
	var b strings.Builder
	switch s.Form {
	case HalfBlocks, QuadrantBlocks:
		dx := 1
		if s.Form == QuadrantBlocks {
			dx = 2
		}
		for y := 0; y < len(m); y += 2 {
			b.Reset()
			for x := 0; x < len(m); x += dx {
				k := 0
				if at(x, y) {
					k |= 1
				}
				if at(x+dx-1, y) {
					k |= 2
				}
				if at(x, y+1) {
					k |= 4
				}
				if at(x+dx-1, y+1) {
					k |= 8
				}
				b.WriteString(quad[k])
			}
			lines = append(lines, b.String())
		}
	default:
		for y := range m {
			b.Reset()
			for x := range m {
				c := blank
				if at(x, y) {
					c = full
				}
				b.WriteString(c)
				if s.Form == DoubleBlocks {
					b.WriteString(c)
				}
			}
			lines = append(lines, b.String())
		}
	}
	return lines
}

// Forms of SVG drawings.
const (
	SVGRects     = iota // a <rect> per dark module, fill attribute
	SVGPath             // one <path> of "M x y h1 v1 h-1 z" squares (what QR libraries write), scaled by its group
	SVGUse              // a <rect> in <defs> and a <use> of it per module, a style sheet's class for the fill
	SVGRuns             // a <rect> per run of dark modules in a row, in a translated group, style fill rgb(0,0,0)
	SVGInverted         // light on dark: a black square, the code's dark modules white rects on it
	SVGDots             // a round dot per dark module ("dots" designs): <circle>, every other one an <ellipse>
	SVGArcDots          // one <path> of dots, each two arcs (a), evenodd
	SVGSmallDots        // a <circle> four fifths of a module wide per dark module: gaps between the dots
	SVGCurveDots        // one <path> of dots, each four cubic curves (C, then s), in a scaled group
	SVGRounded          // a <rect> with rounded corners (rx, ry) per dark module
)

// QRSVG draws text's QR code as an SVG document in the given form, each
// module px user units.
func QRSVG(text string, form, px int) string {
	m := QRModules(text)
	n := len(m)
	var b strings.Builder
	size := (n + 8) * px
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="%d" height="%d" viewBox="0 0 %d %d">`, size, size, size, size)
	b.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>`)
	switch form {
	case SVGRects:
		for y, row := range m {
			for x, d := range row {
				if d {
					fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#000"/>`, (x+4)*px, (y+4)*px, px, px)
				}
			}
		}
	case SVGPath:
		fmt.Fprintf(&b, `<g transform="scale(%d)"><path fill="black" d="`, px)
		for y, row := range m {
			for x, d := range row {
				if d {
					fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+4, y+4)
				}
			}
		}
		b.WriteString(`"/></g>`)
	case SVGUse:
		fmt.Fprintf(&b, `<style>.k{fill:#111}</style><defs><rect id="m" width="%d" height="%d" class="k"/></defs>`, px, px)
		for y, row := range m {
			for x, d := range row {
				if d {
					fmt.Fprintf(&b, `<use xlink:href="#m" x="%d" y="%d"/>`, (x+4)*px, (y+4)*px)
				}
			}
		}
	case SVGRuns:
		fmt.Fprintf(&b, `<g transform="translate(%d,%d)">`, 4*px, 4*px)
		for y, row := range m {
			for x := 0; x < n; {
				if !row[x] {
					x++
					continue
				}
				e := x
				for e < n && row[e] {
					e++
				}
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" style="fill:rgb(0,0,0)"/>`, x*px, y*px, (e-x)*px, px)
				x = e
			}
		}
		b.WriteString(`</g>`)
	case SVGInverted:
		fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="black"/>`, size, size)
		for y, row := range m {
			for x, d := range row {
				if d {
					fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#fff"/>`, (x+4)*px, (y+4)*px, px, px)
				}
			}
		}
	case SVGDots:
		r := float64(px) / 2
		for y, row := range m {
			for x, d := range row {
				cx, cy := (float64(x)+4.5)*float64(px), (float64(y)+4.5)*float64(px)
				switch {
				case d && x%2 == 0:
					fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="%g" fill="#000"/>`, cx, cy, r)
				case d:
					fmt.Fprintf(&b, `<ellipse cx="%g" cy="%g" rx="%g" ry="%g" fill="#000"/>`, cx, cy, r, r)
				}
			}
		}
	case SVGArcDots:
		r := float64(px) / 2
		b.WriteString(`<path fill="#000" fill-rule="evenodd" d="`)
		for y, row := range m {
			for x, d := range row {
				if d {
					fmt.Fprintf(&b, "M%g %ga%g %g 0 1 0 %g 0a%g %g 0 1 0 %g 0z", (float64(x)+4.5)*float64(px)-r, (float64(y)+4.5)*float64(px), r, r, 2*r, r, r, -2*r)
				}
			}
		}
		b.WriteString(`"/>`)
	case SVGSmallDots:
		for y, row := range m {
			for x, d := range row {
				if d {
					fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="%g"/>`, (float64(x)+4.5)*float64(px), (float64(y)+4.5)*float64(px), 0.4*float64(px))
				}
			}
		}
	case SVGCurveDots:
		const k = 0.5 * 0.5523 // a circle's control points, radius a half
		fmt.Fprintf(&b, `<g transform="scale(%d)"><path fill="black" d="`, px)
		for y, row := range m {
			for x, d := range row {
				if d {
					fmt.Fprintf(&b, "M%g %gC%g %g %g %g %g %gs-.5-%g-.5-.5s%g-.5 .5-.5s.5 %g .5 .5z",
						float64(x)+5, float64(y)+4.5, float64(x)+5, float64(y)+4.5+k, float64(x)+4.5+k, float64(y)+5, float64(x)+4.5, float64(y)+5, 0.5-k, 0.5-k, 0.5-k)
				}
			}
		}
		b.WriteString(`"/></g>`)
	case SVGRounded:
		for y, row := range m {
			for x, d := range row {
				if d {
					fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="%g" fill="#000"/>`, (x+4)*px, (y+4)*px, px, px, float64(px)*0.3)
				}
			}
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// Forms of CSS box drawings.
const (
	BoxFlexRows    = iota // a <div> a row with display:flex, a <div> a module with its width, height and background
	BoxInlineBlock        // <span> modules with display:inline-block, rows ended by <br>, colours from a style sheet's classes
	BoxFloat              // floated <div> modules in a container as wide as a row
	BoxGrid               // display:grid with grid-template-columns: repeat(N, 4px), a <div> a module
	BoxRuns               // flex rows of <div>s as wide as each run of dark or light modules
	BoxLightOnDark        // a black grid, the code's dark modules white <div>s, its light ones left to show the black
)

// QRBoxes draws text's QR code as CSS boxes (with a quiet zone of 4
// modules) in the given form, each module px pixels.
func QRBoxes(text string, form, px int) string {
	m := bordered(text, 4)
	n := len(m)
	var b strings.Builder
	bg := func(d bool) string {
		if d {
			return "#000"
		}
		return "#fff"
	}
	cellStyle := fmt.Sprintf("width:%dpx;height:%dpx", px, px)
	switch form {
	case BoxFlexRows:
		b.WriteString(`<div style="display:inline-block">`)
		for _, row := range m {
			b.WriteString(`<div style="display:flex">`)
			for _, d := range row {
				fmt.Fprintf(&b, `<div style="%s;background:%s"></div>`, cellStyle, bg(d))
			}
			b.WriteString("</div>\n")
		}
		b.WriteString(`</div>`)
	case BoxInlineBlock:
		fmt.Fprintf(&b, `<style>.q{display:inline-block;%s}.b{background-color:black}.w{background-color:white}</style><div style="line-height:0;font-size:0">`, cellStyle)
		for _, row := range m {
			for _, d := range row {
				c := "w"
				if d {
					c = "b"
				}
				fmt.Fprintf(&b, `<span class="q %s"></span>`, c)
			}
			b.WriteString("<br>\n")
		}
		b.WriteString(`</div>`)
	case BoxFloat:
		fmt.Fprintf(&b, `<div style="width:%dpx;overflow:hidden">`, n*px)
		for _, row := range m {
			for _, d := range row {
				fmt.Fprintf(&b, `<div style="float:left;%s;background-color:%s"></div>`, cellStyle, bg(d))
			}
			b.WriteString("\n")
		}
		b.WriteString(`</div>`)
	case BoxGrid, BoxLightOnDark:
		back := "#fff"
		if form == BoxLightOnDark {
			back = "#000"
		}
		fmt.Fprintf(&b, `<div style="display:grid;grid-template-columns:repeat(%d, %dpx);grid-auto-rows:%dpx;background:%s">`, n, px, px, back)
		for _, row := range m {
			for _, d := range row {
				switch {
				case form == BoxGrid && d:
					b.WriteString(`<div style="background:#000"></div>`)
				case form == BoxLightOnDark && d:
					b.WriteString(`<div style="background:rgb(255,255,255)"></div>`)
				default:
					b.WriteString(`<div></div>`)
				}
			}
			b.WriteString("\n")
		}
		b.WriteString(`</div>`)
	case BoxRuns:
		b.WriteString(`<div>`)
		for _, row := range m {
			b.WriteString(`<div style="display:flex">`)
			for x := 0; x < n; {
				e := x
				for e < n && row[e] == row[x] {
					e++
				}
				fmt.Fprintf(&b, `<div style="width:%dpx;height:%dpx;background:%s"></div>`, (e-x)*px, px, bg(row[x]))
				x = e
			}
			b.WriteString("</div>\n")
		}
		b.WriteString(`</div>`)
	}
	return b.String()
}

// BlockTable writes lines of block characters as an HTML table, each
// cell perCell characters (a character reference counting as one) and
// each line a row, the cells' attributes td; with emptyBlanks a cell of
// blanks is left empty (the column's width still holds it).
func BlockTable(lines []string, perCell int, td string, emptyBlanks bool) string {
	var b strings.Builder
	b.WriteString(`<table cellspacing="0" cellpadding="0" style="border-collapse:collapse;font-family:monospace;line-height:1">` + "\n")
	for _, l := range lines {
		var units []string
		for len(l) > 0 {
			n := len(string([]rune(l)[0]))
			if l[0] == '&' {
				if i := strings.IndexByte(l, ';'); i > 0 {
					n = i + 1
				}
			}
			units, l = append(units, l[:n]), l[n:]
		}
		b.WriteString("<tr>")
		for i := 0; i < len(units); i += perCell {
			c := strings.Join(units[i:min(i+perCell, len(units))], "")
			if emptyBlanks && strings.Trim(strings.ReplaceAll(c, "&nbsp;", " "), " \u00a0") == "" {
				c = ""
			}
			fmt.Fprintf(&b, "<td%s>%s</td>\n", td, c)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>")
	return b.String()
}
