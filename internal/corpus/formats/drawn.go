package formats

import "strings"

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
