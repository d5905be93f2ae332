package unpack

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// rtfHTML returns the HTML that an RTF body encapsulates (MS-OXRTFEX: an
// RTF with \fromhtml1, as Outlook stores HTML mail), or nil. The HTML is
// the text of the {\*\htmltag} groups and the text outside \htmlrtf
// regions; other destinations are skipped. A tag inside a \htmlrtf region
// is kept too: the reading scans a little more than Outlook shows, never
// less.
func rtfHTML(b []byte) []byte {
	if !bytes.Contains(b, []byte(`\fromhtml`)) {
		return nil
	}
	type state struct {
		skip, suppress, tag bool
		uc                  int
	}
	const maxStack = 256 // deeper groups share the deepest state
	stack := make([]state, 0, 16)
	cur := state{uc: 1}
	extra := 0 // groups opened past maxStack
	cp := uint32(1252)
	var out, pending []byte
	flush := func() {
		if len(pending) > 0 {
			out = append(out, codePageText(pending, cp)...)
			pending = pending[:0]
		}
	}
	star := false // \* seen: the next word is an ignorable destination
	drop := 0     // fallback characters left to skip after \uN
	text := func(c byte) {
		if drop > 0 {
			drop--
			return
		}
		if !cur.skip && (cur.tag || !cur.suppress) {
			pending = append(pending, c)
		}
	}
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '{':
			if len(stack) < maxStack {
				stack = append(stack, cur)
			} else {
				extra++
			}
			star, drop = false, 0
		case '}':
			switch {
			case extra > 0:
				extra--
			case len(stack) > 0:
				cur = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
			star, drop = false, 0
		case '\r', '\n':
		case '\\':
			if i+1 >= len(b) {
				continue
			}
			switch n := b[i+1]; {
			case n == '\\' || n == '{' || n == '}':
				text(n)
				i++
			case n == '\'':
				if i+3 < len(b) {
					if v, err := strconv.ParseUint(string(b[i+2:i+4]), 16, 8); err == nil {
						text(byte(v))
					}
				}
				i += 3
			case n == '*':
				star = true
				i++
			case n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z':
				word, param, end := RTFWord(b, i)
				if end < len(b) && b[end] == ' ' {
					end++
				}
				i = end - 1
				v, _ := strconv.Atoi(string(param))
				switch {
				case star:
					star = false
					if word == "htmltag" || word == "mhtmltag" {
						cur.tag = true
					} else {
						cur.skip = true
					}
				case rtfSkipped[word]:
					cur.skip = true
				case word == "htmlrtf":
					cur.suppress = len(param) == 0 || v != 0
				case word == "ansicpg" && v > 0:
					flush()
					cp = uint32(v)
				case word == "uc" && v >= 0 && v < 10:
					cur.uc = v
				case word == "u":
					if drop == 0 && !cur.skip && (cur.tag || !cur.suppress) {
						flush()
						if v < 0 {
							v += 65536
						}
						r := rune(v)
						if !utf8.ValidRune(r) {
							r = utf8.RuneError
						}
						out = utf8.AppendRune(out, r)
					}
					drop = cur.uc
				case word == "par" || word == "line":
					text('\r')
					text('\n')
				case word == "tab":
					text('\t')
				}
			default:
				i++ // another control symbol (\~, \-, \_): no HTML text
			}
		default:
			text(c)
		}
	}
	flush()
	return out
}

// rtfSkipped are destinations with no HTML text in an encapsulating RTF.
var rtfSkipped = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "info": true, "pict": true,
	"object": true, "listtable": true, "listoverridetable": true, "rsidtbl": true,
	"filetbl": true, "revtbl": true, "themedata": true, "datastore": true, "latentstyles": true,
}
