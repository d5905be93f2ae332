// Package pdfsyntax is the one reader of a PDF file's object structure that
// unpack (streams, embedded files, encryption) and urls (links, images with
// 2-D codes) share: where each "N G obj" begins and what it holds. It reads
// as damaged-file-tolerant readers do, from the object headers in the bytes
// rather than from the cross-reference table, which an attacker can make lie.
// It imports nothing of Kensa's.
package pdfsyntax

import (
	"bytes"
	"strconv"
)

// Object is one indirect object as written in the file.
type Object struct {
	Num, Gen int
	// Dict is the text after "obj": up to "stream" for a stream, else up
	// to "endobj" (or to the next object when it has none). Names are
	// as written, #xx escapes and all.
	Dict []byte
	// Full is a stream's bytes after the end of line that follows
	// "stream", up to the last "endstream" before the next object; Data
	// is Full without the end of line before "endstream" (which may be
	// data: /Length says). Both are nil when HasStream is false.
	Full, Data []byte
	HasStream  bool
}

// Objects splits b into its objects, at most max of them, in the order of
// the file. An object's text ends where the next header begins, so a
// truncated file still gives up what it holds. A later object of the same
// number replaces an earlier one for a reader (an incremental update):
// that is for the caller to do.
func Objects(b []byte, max int) []Object {
	locs := Headers(b)
	objs := make([]Object, 0, min(len(locs), max))
	for i, loc := range locs {
		if len(objs) >= max {
			break
		}
		num, _ := strconv.Atoi(string(b[loc[2]:loc[3]]))
		gen := 0
		if f := bytes.Fields(b[loc[3]:loc[1]]); len(f) > 0 {
			gen, _ = strconv.Atoi(string(f[0]))
		}
		end := len(b)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := b[loc[1]:end]
		o := Object{Num: num, Gen: gen, Dict: body}
		if s := bytes.Index(body, []byte("stream")); s >= 0 && bytes.Contains(body[:s], []byte("<<")) {
			o.Dict = body[:s]
			data := body[s+len("stream"):]
			data = bytes.TrimPrefix(data, []byte("\r"))
			data = bytes.TrimPrefix(data, []byte("\n"))
			if e := bytes.LastIndex(data, []byte("endstream")); e >= 0 {
				data = data[:e]
			}
			o.Full = data
			o.Data = bytes.TrimSuffix(bytes.TrimSuffix(data, []byte("\n")), []byte("\r"))
			o.HasStream = true
		} else if e := bytes.Index(body, []byte("endobj")); e >= 0 {
			o.Dict = body[:e]
		}
		objs = append(objs, o)
	}
	return objs
}

// Headers finds every "N G obj" header, as the regular expression
// `(\d{1,10})\s+\d{1,5}\s+obj\b` would (FindAllSubmatchIndex: match start,
// end, number start, number end), but by looking for "obj" and reading
// backwards: the regular expression ran over every byte of image and font
// streams and was most of the time spent on a typical PDF attachment.
func Headers(b []byte) [][]int {
	var locs [][]int
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	isWord := func(c byte) bool { return isDigit(c) || c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
	for off := 0; ; {
		k := bytes.Index(b[off:], []byte("obj"))
		if k < 0 {
			return locs
		}
		at := off + k
		off = at + 3
		if off < len(b) && isWord(b[off]) {
			continue // no word boundary after "obj"
		}
		i := at
		for i > 0 && isSpace(b[i-1]) {
			i--
		}
		if i == at {
			continue
		}
		genEnd := i
		for i > 0 && isDigit(b[i-1]) {
			i--
		}
		if genEnd-i < 1 || genEnd-i > 5 {
			continue
		}
		numEnd := i
		for i > 0 && isSpace(b[i-1]) {
			i--
		}
		if i == numEnd {
			continue
		}
		numEnd = i
		for i > 0 && isDigit(b[i-1]) && numEnd-i < 10 {
			i--
		}
		if i == numEnd {
			continue
		}
		if len(locs) > 0 && i < locs[len(locs)-1][1] {
			continue // would overlap the previous match
		}
		locs = append(locs, []int{i, off, i, numEnd})
	}
}

// ObjStm splits a decoded object stream (ISO 32000 7.5.7): n pairs of
// object number and offset, the objects from first on, at most max of
// them. An object's Dict is its text up to the next one's offset; no
// object in it has a stream.
func ObjStm(data []byte, n, first, max int) []Object {
	if n <= 0 || first <= 0 || first > len(data) {
		return nil
	}
	n = min(n, max)
	fields := bytes.Fields(data[:first])
	type entry struct{ num, off int }
	var es []entry
	for i := 0; i+1 < len(fields) && len(es) < n; i += 2 {
		num, err1 := strconv.Atoi(string(fields[i]))
		off, err2 := strconv.Atoi(string(fields[i+1]))
		if err1 != nil || err2 != nil || off < 0 || first+off > len(data) {
			break
		}
		es = append(es, entry{num, first + off})
	}
	out := make([]Object, 0, len(es))
	for i, e := range es {
		end := len(data)
		if i+1 < len(es) && es[i+1].off >= e.off {
			end = es[i+1].off
		}
		out = append(out, Object{Num: e.num, Dict: data[e.off:end]})
	}
	return out
}
