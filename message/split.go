package message

import "bytes"

// splitter walks the body parts of one multipart body (RFC 2046 5.1.1).
// A delimiter line is "--" and the boundary at the start of a line, "--"
// more for the close delimiter, optional blanks (transport padding), then
// a line end or the end of the input; the line break before it belongs to
// it. The preamble before the first delimiter and the epilogue after the
// close delimiter are not parts. Parts are reported as offsets into the
// body, so the caller slices them without copying. The body is searched
// in one forward pass.
type splitter struct {
	body   []byte
	dash   []byte // "--" + boundary
	next   int    // where the next part starts; -1 before the first delimiter
	done   bool
	closed bool // the close delimiter was seen
}

func newSplitter(body []byte, boundary string) *splitter {
	return &splitter{body: body, dash: []byte("--" + boundary), next: -1}
}

// Next returns the next part as body[start:end]. A part not ended by a
// delimiter runs to the end of the body (Closed then reports false).
func (s *splitter) Next() (start, end int, ok bool) {
	if s.done {
		return 0, 0, false
	}
	if s.next < 0 { // skip the preamble
		_, after, closing := s.find(0)
		if after < 0 || closing {
			s.done, s.closed = true, closing
			return 0, 0, false
		}
		s.next = after
	}
	start = s.next
	line, after, closing := s.find(start)
	if after < 0 {
		s.done = true
		return start, len(s.body), true
	}
	end = line
	if end > start && s.body[end-1] == '\n' {
		end--
		if end > start && s.body[end-1] == '\r' {
			end--
		}
	}
	if closing {
		s.done, s.closed = true, true
	} else {
		s.next = after
	}
	return start, end, true
}

// Closed reports whether the close delimiter was found.
func (s *splitter) Closed() bool { return s.closed }

// find looks for the first delimiter line at or after from, which is the
// start of a line. It returns where the line starts, where the line after
// it starts (-1 when there is no delimiter line), and whether it is the
// close delimiter.
func (s *splitter) find(from int) (line, after int, closing bool) {
	b := s.body
	for p := from; p < len(b); {
		i := bytes.Index(b[p:], s.dash)
		if i < 0 {
			break
		}
		p += i
		if p == 0 || b[p-1] == '\n' {
			if after, closing, ok := delimiterEnd(b, p+len(s.dash)); ok {
				return p, after, closing
			}
		}
		p++
	}
	return -1, -1, false
}

// delimiterEnd checks what follows "--boundary" at b[i:]: an optional "--",
// blanks, and the end of the line. It returns where the next line starts.
// Besides RFC 2046's spaces and tabs it skips the other blanks mail readers
// trim from a delimiter line (\v, \f and a stray \r).
func delimiterEnd(b []byte, i int) (after int, closing, ok bool) {
	if i+1 < len(b) && b[i] == '-' && b[i+1] == '-' {
		closing = true
		i += 2
	}
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\v', '\f', '\r':
			i++
			continue
		case '\n':
			return i + 1, closing, true
		}
		return 0, false, false
	}
	return len(b), closing, true
}
