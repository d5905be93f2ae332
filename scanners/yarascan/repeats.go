package yarascan

import (
	"bytes"
	"slices"

	"github.com/hillu/go-yara/v4"
	"github.com/kensa-milter/kensa/message"
)

// A container's bytes that are also, byte for byte, bytes of one of its
// members (message.Part.Repeated: a stored zip member, the stored blocks of
// a deflated one, a tar, cpio, ISO or stored rar member, a PDF's
// unfiltered stream)
// are read in the member and left out of the container's
// scan, when the rules cannot tell: the container is then scanned as
// blocks around those ranges (libyara's memory blocks), each block at its
// own offset, with the container's size as filesize. What stays visible in
// the container is everything that is not a copy of a member: its headers,
// names, directory and comment, compressed data, bytes before, between and
// after the members (a polyglot, an appended payload).
//
// What the container's scan no longer sees is a match that needs a
// member's bytes and the container's around them together: a string
// across the edge of a member's data, or a condition that wants a string
// of the member's bytes and one of the container's. Such a match was
// never one an attacker had to give us: the same member deflated with
// Huffman codes, as any archiver may write it, hides its bytes from the
// container's scan just the same. Conditions that read the bytes at an
// offset, where a string matched or how often, or a module's view of the
// file, would read a gap instead of bytes, so a rule set that can do any of
// that scans containers whole (readsPlaces).

// readsPlaces says whether rules compiled from texts may read where in
// the data something is: data at an offset (uint8 to int32be), a string's
// offset, length or count (@, !, #), a string "at" or "in" a place, the
// entry point, or a module (import), or may include a file this does not
// read. It looks at the text with comments, quoted strings, regular
// expressions and hex strings blanked, so a word in a description or a
// pattern does not count; it may still say yes for a rule that reads no
// place (the word "in" of a "for" loop, say), which only costs the saving.
func readsPlaces(texts [][]byte) bool {
	words := []string{"import", "include", "at", "in", "entrypoint"}
	for _, n := range []string{"8", "16", "32"} {
		for _, w := range []string{"int", "uint"} {
			words = append(words, w+n, w+n+"be")
		}
	}
	for _, t := range texts {
		code := yaraCode(t)
		if bytes.ContainsAny(code, "@!#") {
			return true
		}
		for _, w := range words {
			if hasWord(code, w) {
				return true
			}
		}
	}
	return false
}

// yaraCode is the text of a rule file with its comments, quoted strings,
// regular expressions and hex strings turned to blanks: what is left is
// keywords, identifiers, numbers and operators.
func yaraCode(t []byte) []byte {
	out := bytes.Clone(t)
	blank := func(from, to int) {
		for k := from; k < to && k < len(out); k++ {
			out[k] = ' '
		}
	}
	// skipTo is the index after the first unescaped end at or after i.
	skipTo := func(i int, end byte) int {
		for ; i < len(t); i++ {
			switch t[i] {
			case '\\':
				i++
			case end:
				return i + 1
			}
		}
		return len(t)
	}
	lastCode := byte(0) // the last byte outside comments and blanks
	for i := 0; i < len(t); {
		c := t[i]
		switch {
		case c == '/' && i+1 < len(t) && t[i+1] == '/':
			j := bytes.IndexByte(t[i:], '\n')
			if j < 0 {
				j = len(t) - i
			}
			blank(i, i+j)
			i += j
		case c == '/' && i+1 < len(t) && t[i+1] == '*':
			j := bytes.Index(t[i+2:], []byte("*/"))
			end := len(t)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			blank(i, end)
			i = end
		case c == '"', c == '/': // a string, or a regular expression (YARA divides with \)
			end := skipTo(i+1, c)
			blank(i, end)
			i, lastCode = end, c
		case c == '{' && lastCode == '=': // a hex string
			end := skipTo(i+1, '}')
			blank(i, end)
			i, lastCode = end, '}'
		default:
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				lastCode = c
			}
			i++
		}
	}
	return out
}

// holes is the ranges of b to leave out of its scan, sorted, inside b and
// apart, each at least one byte; nil when b is to be scanned whole.
func holes(b []byte, ranges []message.Span) []message.Span {
	if len(ranges) == 0 {
		return nil
	}
	spans := slices.Clone(ranges)
	slices.SortFunc(spans, func(a, b message.Span) int { return a.Off - b.Off })
	out := spans[:0]
	end := 0 // the end of the last range kept
	for _, s := range spans {
		from, to := max(s.Off, end), min(s.Off+s.Len, len(b))
		if s.Off < 0 || s.Len <= 0 || to <= from {
			continue
		}
		out = append(out, message.Span{Off: from, Len: to - from})
		end = to
	}
	return out
}

// blocks is a container's bytes around its holes, for libyara.
type blocks struct {
	b    []byte
	list []yara.MemoryBlock
	next int
}

var _ yara.MemoryBlockIteratorWithFilesize = (*blocks)(nil)

func newBlocks(b []byte, holes []message.Span) *blocks {
	x := &blocks{b: b}
	add := func(from, to int) {
		if to > from {
			data := b[from:to]
			x.list = append(x.list, yara.MemoryBlock{Base: uint64(from), Size: uint64(to - from), FetchData: func(buf []byte) { copy(buf, data) }})
		}
	}
	at := 0
	for _, h := range holes {
		add(at, h.Off)
		at = h.Off + h.Len
	}
	add(at, len(b))
	return x
}

func (x *blocks) First() *yara.MemoryBlock {
	x.next = 0
	return x.Next()
}

func (x *blocks) Next() *yara.MemoryBlock {
	if x.next >= len(x.list) {
		return nil
	}
	x.next++
	return &x.list[x.next-1]
}

// Filesize is the whole container's size: rules on filesize see the file.
func (x *blocks) Filesize() uint64 { return uint64(len(x.b)) }

// scannedBytes is how many bytes of b libyara reads with these holes.
func scannedBytes(b []byte, holes []message.Span) int {
	n := len(b)
	for _, h := range holes {
		n -= h.Len
	}
	return n
}
