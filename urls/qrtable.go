package urls

import (
	"bytes"
	"image"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// QR codes drawn as HTML tables: a table of black and white cells that the
// mail client renders as a code, with no image for a gateway to read. The
// cells take their colour from bgcolor, an inline style, or a class.

const maxCodeTables = 8 // code-sized drawings (tables, block characters...) searched per part

// htmlTableCodes draws the tables of b that are big enough to be a code,
// one grey image each, a cell tableCellPx pixels wide.
func htmlTableCodes(b []byte) []*image.Gray {
	if cellCount(b) < minCodeSide*minCodeSide {
		return nil // ordinary HTML: no table could be a code
	}
	classes := cssClassRules(b)
	type table struct{ rows [][]bool }
	var stack []*table
	var out []*image.Gray
	z := html.NewTokenizer(bytes.NewReader(b))
	for n := 0; n < 4*maxTableCells && len(out) < maxCodeTables; n++ {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.EndTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		switch string(name) {
		case "table":
			if tt == html.StartTagToken {
				if len(stack) < 16 {
					stack = append(stack, &table{})
				}
			} else if len(stack) > 0 {
				t := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if len(t.rows)*rowsWidth(t.rows) > maxTableCells {
					break
				}
				if g := drawCells(t.rows, tableCellPx, tableCellPx); g != nil {
					out = append(out, g)
				}
			}
		case "tr":
			if tt == html.StartTagToken && len(stack) > 0 {
				t := stack[len(stack)-1]
				if len(t.rows) < 400 {
					t.rows = append(t.rows, nil)
				}
			}
		case "td", "th":
			if tt == html.EndTagToken || len(stack) == 0 {
				continue
			}
			t := stack[len(stack)-1]
			if len(t.rows) == 0 {
				t.rows = append(t.rows, nil)
			}
			dark, span := false, 1
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "bgcolor":
					dark = legacyDark(string(v))
				case "style":
					if c, ok := styleBackground(string(v)); ok {
						dark = isDark(c)
					}
				case "class":
					for _, cl := range strings.Fields(string(v)) {
						if c, ok := styleBackground(classes[cl]); ok {
							dark = isDark(c)
						}
					}
				case "colspan":
					if s, err := strconv.Atoi(strings.TrimSpace(string(v))); err == nil && s > 1 && s <= 400 {
						span = s
					}
				}
			}
			r := &t.rows[len(t.rows)-1]
			for i := 0; i < span && len(*r) < 400; i++ {
				*r = append(*r, dark)
			}
		}
	}
	return out
}

// cellCount counts "<td" in any case, stopping once a code is possible.
func cellCount(b []byte) int {
	n := 0
	for i := 0; i+3 <= len(b) && n < minCodeSide*minCodeSide; i++ {
		if b[i] == '<' && b[i+1]|0x20 == 't' && (b[i+2]|0x20 == 'd' || b[i+2]|0x20 == 'h') {
			n++
		}
	}
	return n
}

var cssClassRule = regexp.MustCompile(`(?is)\.([a-z0-9_-]{1,64})\s*\{([^}]{0,512})\}`)

// cssClassRules maps the class names of the style sheets in b to their
// declarations (".k{background:#000}": "k" to "background:#000"), those
// of later rules after earlier ones'.
func cssClassRules(b []byte) map[string]string {
	m := map[string]string{}
	if !bytes.Contains(b, []byte("<style")) && !bytes.Contains(b, []byte("<STYLE")) {
		return m
	}
	for _, sm := range cssClassRule.FindAllSubmatch(b, 256) {
		if d, ok := m[string(sm[1])]; ok {
			m[string(sm[1])] = d + ";" + string(sm[2])
		} else {
			m[string(sm[1])] = string(sm[2])
		}
	}
	return m
}

// forDecls calls f with each declaration of a CSS declaration list, its
// property in lower case and its value trimmed, "!important" dropped.
func forDecls(decls string, f func(prop, value string)) {
	for n := 0; decls != "" && n < 64; n++ {
		d := decls
		if i := strings.IndexByte(decls, ';'); i >= 0 {
			d, decls = decls[:i], decls[i+1:]
		} else {
			decls = ""
		}
		k, v, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(v, "!important"), "! important"))
		f(strings.ToLower(strings.TrimSpace(k)), strings.ToLower(v))
	}
}

// styleBackground is the background a declaration list gives, the last
// of its background and background-color declarations ("none" and
// "transparent" too: over a cell's bgcolor they show the white beneath).
func styleBackground(decls string) (colour string, ok bool) {
	forDecls(decls, func(prop, v string) {
		if prop == "background" || prop == "background-color" {
			colour, ok = v, true
		}
	})
	return colour, ok
}

// colourValue is the colour in a colour or background value; false for
// one that leaves what is beneath showing (transparent, inherit, none).
func colourValue(v string) (string, bool) {
	switch v {
	case "", "transparent", "inherit", "initial", "unset", "none", "currentcolor", "revert":
		return "", false
	}
	return v, true
}
