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
//
// Readings (reading.go) change three things: with rdPrefixDelim any line
// starting with "--" and the boundary is a delimiter, whatever follows
// (so an outer boundary that is a prefix of an inner one splits the inner
// parts too, and a close delimiter with junk after it ends nothing); with
// rdBareCR a lone CR ends a line; with rdOutside the close delimiter does
// not end the parts. The splitter notes when each would have mattered.
type splitter struct {
	body     []byte
	dash     []byte // "--" + boundary
	prefix   bool   // rdPrefixDelim
	bareCR   bool   // rdBareCR
	pastEnd  bool   // rdOutside: keep splitting after the close delimiter
	next     int    // where the next part starts; -1 before the first delimiter
	done     bool
	closed   bool // the close delimiter was seen
	preamble int  // where the first delimiter line starts (0 when none)
	epi      int  // where the epilogue starts, -1 when there is none

	garbage bool // a line started with the boundary but was not a delimiter
	loneCR  bool // a delimiter after (or ended by) a CR alone
}

func newSplitter(body []byte, boundary string, rd reading) *splitter {
	return &splitter{body: body, dash: []byte("--" + boundary), next: -1, epi: -1,
		prefix: rd&rdPrefixDelim != 0, bareCR: rd&rdBareCR != 0, pastEnd: rd&rdOutside != 0}
}

// Next returns the next part as body[start:end]. A part not ended by a
// delimiter runs to the end of the body (Closed then reports false).
func (s *splitter) Next() (start, end int, ok bool) {
	if s.done {
		return 0, 0, false
	}
	if s.next < 0 { // skip the preamble
		line, after, closing := s.find(0)
		s.preamble = max(line, 0)
		if after < 0 || closing && !s.pastEnd {
			s.done, s.closed = true, closing
			if closing {
				s.epi = after
			}
			return 0, 0, false
		}
		s.next = after
	}
	start = s.next
	line, after, closing := s.find(start)
	if after < 0 {
		s.done = true
		if s.closed && len(bytes.TrimSpace(s.body[start:])) == 0 {
			return 0, 0, false // past the close delimiter, nothing but blanks
		}
		return start, len(s.body), true
	}
	end = line
	if end > start && s.body[end-1] == '\n' {
		end--
		if end > start && s.body[end-1] == '\r' {
			end--
		}
	} else if s.bareCR && end > start && s.body[end-1] == '\r' {
		end--
	}
	if closing {
		s.closed = true
		s.epi = after
		if !s.pastEnd {
			s.done = true
			return start, end, true
		}
	}
	s.next = after
	return start, end, true
}

// Closed reports whether the close delimiter was found.
func (s *splitter) Closed() bool { return s.closed }

// epilogue is what follows the close delimiter, nil when there is none or
// the reading went past it.
func (s *splitter) epilogue() []byte {
	if s.epi < 0 || s.pastEnd || !s.done {
		return nil
	}
	return s.body[s.epi:]
}

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
		atStart := p == 0 || b[p-1] == '\n'
		if !atStart && b[p-1] == '\r' {
			s.loneCR = true
			atStart = s.bareCR
		}
		if atStart {
			after, closing, ok, cr := delimiterEnd(b, p+len(s.dash), s.bareCR)
			if cr {
				s.loneCR = true
			}
			if ok {
				return p, after, closing
			}
			s.garbage = true
			if s.prefix {
				return p, restOfLine(b, p, s.bareCR), closing
			}
		}
		p++
	}
	return -1, -1, false
}

// restOfLine is where the line after the one holding b[p] starts.
func restOfLine(b []byte, p int, bareCR bool) int {
	for i := p; i < len(b); i++ {
		if b[i] == '\n' || bareCR && b[i] == '\r' {
			if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
				return i + 2
			}
			return i + 1
		}
	}
	return len(b)
}

// delimiterEnd checks what follows "--boundary" at b[i:]: an optional "--",
// blanks, and the end of the line. It returns where the next line starts.
// Besides RFC 2046's spaces and tabs it skips the other blanks mail readers
// trim from a delimiter line (\v, \f and a stray \r); with bareCR a CR not
// followed by LF ends the line. cr reports such a CR.
func delimiterEnd(b []byte, i int, bareCR bool) (after int, closing, ok, cr bool) {
	if i+1 < len(b) && b[i] == '-' && b[i+1] == '-' {
		closing = true
		i += 2
	}
	for i < len(b) {
		switch b[i] {
		case '\r':
			if i+1 < len(b) && b[i+1] != '\n' && b[i+1] != '\r' {
				cr = true
				if bareCR {
					return i + 1, closing, true, cr
				}
			}
			i++
			continue
		case ' ', '\t', '\v', '\f':
			i++
			continue
		case '\n':
			return i + 1, closing, true, cr
		}
		return 0, closing, false, cr
	}
	return len(b), closing, true, cr
}
