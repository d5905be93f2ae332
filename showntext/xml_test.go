package showntext

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestXMLRef holds XML to the reading it replaced (xmlRef: three sets of
// names, every run unescaped), on random parts made of Office's elements
// with and without prefixes, attributes, entities, hidden runs, cut tags
// and other bytes, at several limits.
func TestXMLRef(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	pieces := []string{"<w:p>", "</w:p>", "<w:t>", "</w:t>", "<w:t xml:space=\"preserve\">", "<w:tab/>", "<w:br/>", "<w:instrText>", "</w:instrText>",
		"<w:delText>", "</w:delText>", "<text:s/>", "<text:p>", "</text:p>", "<si>", "</si>", "<v>", "</v>", "<f/>", "<c r=\"A1\">", "</c>", "<row>", "</row>",
		"<rPh>", "</rPh>", "<annotation>", "</annotation>", "<tracked-changes>", "</tracked-changes>", "<p >", "</p\t>", "</ x:p>", "<instrText/>",
		"Hello", " world", "&amp;", "&lt;", "&#65;", "&#x42;", "&nbsp;", "&bogus;", "&", "<", ">", "/", ":", "\n", "é", "\xff", "x"}
	for n := range 20000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		in := []byte(b.String())
		for _, limit := range []int{1, 16, 1 << 20} {
			if got, want := XML(in, limit), xmlRef(in, limit); got != want {
				t.Fatalf("text %d, limit %d: XML(%q) = %q, want %q", n, limit, in, got, want)
			}
		}
	}
}

var (
	xmlRefBlocks = names("p h si tc tr row table-cell table-row list-item")
	xmlRefSpaces = names("tab br cr s line-break ptab c")
	xmlRefHidden = names("instrText delText rPh tracked-changes annotation v f")
)

func xmlRef(b []byte, limit int) string {
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
		case xmlRefHidden[n]:
			if !end && !empty {
				skip = n
			}
		case end && xmlRefBlocks[n]:
			out.WriteByte('\n')
		case !end && xmlRefSpaces[n]:
			out.WriteByte(' ')
		}
	}
	return out.String()
}
