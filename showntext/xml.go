package showntext

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// XML is the character data of an Office XML part as the office suite
// shows it: runs joined as written (a word cut into runs is one word), a
// line break after each paragraph, string item, table cell or row, a space
// for a tab, a break or an OpenDocument space; deleted text, field codes
// and phonetic guides left out.
func XML(b []byte, limit int) string {
	var out strings.Builder
	skip := ""
	for i := 0; i < len(b) && out.Len() < limit; {
		if b[i] != '<' {
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				j = len(b) - i
			}
			if skip == "" {
				out.WriteString(html.UnescapeString(string(b[i : i+j])))
			}
			i += j
			continue
		}
		j := bytes.IndexByte(b[i:], '>')
		if j < 0 {
			break
		}
		tag := b[i+1 : i+j]
		i += j + 1
		end := len(tag) > 0 && tag[0] == '/'
		empty := len(tag) > 0 && tag[len(tag)-1] == '/'
		name := bytes.TrimLeft(tag, "/")
		if k := bytes.IndexAny(name, " \t\r\n/"); k >= 0 {
			name = name[:k]
		}
		if k := bytes.LastIndexByte(name, ':'); k >= 0 {
			name = name[k+1:]
		}
		n := string(name)
		switch {
		case skip != "":
			if end && n == skip {
				skip = ""
			}
		case xmlHidden[n]:
			if !end && !empty {
				skip = n
			}
		case end && xmlBlocks[n]:
			out.WriteByte('\n')
		case !end && xmlSpaces[n]:
			out.WriteByte(' ')
		}
	}
	return out.String()
}

var (
	xmlBlocks = names("p h si tc tr row table-cell table-row list-item")
	xmlSpaces = names("tab br cr s line-break ptab c")
	xmlHidden = names("instrText delText rPh tracked-changes annotation v f") // v, f: a cell's value (a number, a shared string's index) and formula
)
