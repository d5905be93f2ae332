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
			if run := b[i : i+j]; skip == "" && bytes.IndexByte(run, '&') < 0 {
				out.Write(run) // as html.UnescapeString leaves it
			} else if skip == "" {
				out.WriteString(html.UnescapeString(string(run)))
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
		switch kind := xmlKinds[string(name)]; {
		case skip != "":
			if end && string(name) == skip {
				skip = ""
			}
		case kind == xmlHidden:
			if !end && !empty {
				skip = string(name)
			}
		case end && kind == xmlBlock:
			out.WriteByte('\n')
		case !end && kind == xmlSpace:
			out.WriteByte(' ')
		}
	}
	return out.String()
}

// xmlKinds is what an element's name (without its prefix) does to the
// text: one look-up a tag.
var xmlKinds = func() map[string]xmlKind {
	m := map[string]xmlKind{}
	for kind, names := range map[xmlKind]string{
		xmlBlock:  "p h si tc tr row table-cell table-row list-item",
		xmlSpace:  "tab br cr s line-break ptab c",
		xmlHidden: "instrText delText rPh tracked-changes annotation v f", // v, f: a cell's value (a number, a shared string's index) and formula
	} {
		for _, n := range strings.Fields(names) {
			m[n] = kind
		}
	}
	return m
}()

type xmlKind uint8

const (
	xmlText   xmlKind = iota // an element whose text shows, or an unknown one
	xmlBlock                 // a line break after it
	xmlSpace                 // a space for it
	xmlHidden                // its text is not shown
)
