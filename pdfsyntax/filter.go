package pdfsyntax

import (
	"bufio"
	"bytes"
	"compress/lzw"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/klauspost/compress/flate"
	tifflzw "golang.org/x/image/tiff/lzw"
)

// PDF stream filters (ISO 32000-1, 7.4), read as a PDF reader reads them:
// names with #xx escapes decoded and abbreviations expanded, every standard
// filter (Flate and LZW with their predictors, ASCIIHex, ASCII85,
// RunLength), parameters per filter. Image filters are not decoded: their
// output is pixels. Any other filter name is one no reader knows either,
// so the stream cannot be read: the caller makes that a named problem.

var filterAbbrev = map[string]string{
	"Fl": "FlateDecode", "LZW": "LZWDecode", "AHx": "ASCIIHexDecode", "A85": "ASCII85Decode",
	"RL": "RunLengthDecode", "CCF": "CCITTFaxDecode", "DCT": "DCTDecode",
}

var imageFilters = map[string]bool{"DCTDecode": true, "JPXDecode": true, "JBIG2Decode": true, "CCITTFaxDecode": true}

// ErrFilter is a filter Kensa cannot apply: unknown, or given by a
// reference it cannot follow.
var ErrFilter = errors.New("pdf: filter cannot be applied")

// Resolver returns the dictionary text of object num (nil when unknown).
type Resolver func(num int) []byte

// deref follows an indirect reference once.
func deref(v []byte, resolve Resolver) []byte {
	if k := RefEnd(v, 0); k > 0 && resolve != nil {
		n, _ := strconv.Atoi(string(v[:bytes.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })]))
		return bytes.TrimSpace(resolve(n))
	}
	return v
}

// FilterSpec is one filter of a stream and its parameters.
type FilterSpec struct {
	Name  string
	Parms []byte // the DecodeParms dictionary, nil for none
}

// Filters lists a stream's filters in the order they apply. dict has
// its names unescaped already.
func Filters(dict []byte, resolve Resolver) ([]FilterSpec, error) {
	i := Key(dict, "/Filter")
	if i < 0 {
		return nil, nil
	}
	raw := Value(dict, i)
	v := deref(raw, resolve)
	if len(v) == 0 && len(raw) > 0 {
		return nil, fmt.Errorf("%w: /Filter %s refers to no object Kensa found", ErrFilter, truncateBytes(raw, 20))
	}
	var out []FilterSpec
	for j := 0; j < len(v); j++ {
		if v[j] != '/' {
			continue
		}
		k := j + 1
		for k < len(v) && !Delimiter(v[k]) {
			k++
		}
		name := string(v[j+1 : k])
		if full, ok := filterAbbrev[name]; ok {
			name = full
		}
		out = append(out, FilterSpec{Name: name})
		j = k - 1
		if len(out) > 8 {
			return nil, fmt.Errorf("%w: more than 8 filters", ErrFilter)
		}
	}
	if len(out) == 0 {
		if len(bytes.TrimSpace(v)) == 0 || string(bytes.TrimSpace(v)) == "null" || string(bytes.TrimSpace(v)) == "[]" {
			return nil, nil
		}
		return nil, fmt.Errorf("%w: /Filter %q", ErrFilter, truncateBytes(v, 40))
	}
	p := Key(dict, "/DecodeParms")
	if p < 0 {
		return out, nil
	}
	pv := deref(Value(dict, p), resolve)
	if bytes.HasPrefix(pv, []byte("<<")) {
		out[0].Parms = pv
		return out, nil
	}
	if !bytes.HasPrefix(pv, []byte("[")) {
		return out, nil
	}
	// An array: one entry per filter, each a dictionary or null.
	n := 0
	for j := 1; j < len(pv) && n < len(out); {
		for j < len(pv) && Space(pv[j]) {
			j++
		}
		if j >= len(pv) || pv[j] == ']' {
			break
		}
		e := Value(pv, j)
		if len(e) == 0 {
			break
		}
		out[n].Parms = deref(e, resolve)
		if !bytes.HasPrefix(out[n].Parms, []byte("<<")) {
			out[n].Parms = nil
		}
		n++
		j += len(e)
	}
	return out, nil
}

func truncateBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// Apply chains the filters over data. skip is true when a filter
// produces pixels (images are not decoded). used collects pooled inflaters
// for the caller to hand back.
func Apply(filters []FilterSpec, data []byte, used *[]io.ReadCloser) (r io.Reader, skip bool, err error) {
	return ApplyFrom(filters, bytes.NewReader(data), data, used)
}

// ApplyFrom is Apply reading data through src, a bytes.Reader over data
// that the caller keeps: once a FlateDecode first filter has read its
// stream to the end, src.Len() is how much of data it left unread (the
// inflater reads a bytes.Reader byte by byte, never past the stream's
// end). A stream read by the raw-deflate fallback leaves src unread.
func ApplyFrom(filters []FilterSpec, src *bytes.Reader, data []byte, used *[]io.ReadCloser) (r io.Reader, skip bool, err error) {
	r = src
	for i, f := range filters {
		switch f.Name {
		case "FlateDecode":
			zr, err := NewZlibReader(r)
			switch {
			case err == nil:
				*used = append(*used, zr)
				r = zr
			case i == 0:
				// Some writers omit the zlib header: readers try raw deflate.
				r = flate.NewReader(bytes.NewReader(bytes.TrimLeft(data, "\r\n")))
			default:
				return nil, false, fmt.Errorf("FlateDecode: %w", err)
			}
		case "LZWDecode":
			br := bufio.NewReader(r)
			if IntParam(f.Parms, "/EarlyChange", 1) == 0 {
				r = lzw.NewReader(br, lzw.MSB, 8)
			} else {
				r = tifflzw.NewReader(br, tifflzw.MSB, 8)
			}
		case "ASCIIHexDecode":
			r = &hexReader{r: bufio.NewReader(r)}
		case "ASCII85Decode":
			r = ascii85.NewDecoder(&a85Source{r: bufio.NewReader(r)})
		case "RunLengthDecode":
			r = &runLengthReader{r: bufio.NewReader(r)}
		case "Crypt":
			// The Identity crypt filter; others need the document's keys,
			// which an encrypted PDF is reported for as a whole.
		default:
			if imageFilters[f.Name] {
				return nil, true, nil
			}
			return nil, false, fmt.Errorf("%w: unknown filter /%s", ErrFilter, printable(f.Name))
		}
		if f.Name == "FlateDecode" || f.Name == "LZWDecode" {
			if r, err = predictor(r, f.Parms); err != nil {
				return nil, false, err
			}
		}
	}
	return r, false, nil
}

// hexReader is ASCIIHexDecode: hex digits, blanks ignored, '>' ends it, an
// odd last digit counts as followed by 0.
type hexReader struct {
	r    *bufio.Reader
	done bool
	err  error
}

func (h *hexReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !h.done {
		var digits [2]byte
		got := 0
		for got < 2 {
			c, err := h.r.ReadByte()
			if err != nil {
				h.done = true
				if !errors.Is(err, io.EOF) {
					h.err = err
				}
				break
			}
			switch {
			case c == '>':
				h.done = true
			case Space(c):
				continue
			case Unhex(c) < 0:
				h.done, h.err = true, fmt.Errorf("ASCIIHexDecode: byte %q is not a hex digit", c)
			default:
				digits[got] = c
				got++
				continue
			}
			break
		}
		if got > 0 {
			p[n] = byte(Unhex(digits[0])<<4 | Unhex(digits[1]))
			if got == 1 {
				p[n] = byte(Unhex(digits[0]) << 4)
			}
			n++
		}
	}
	if n == 0 && h.done {
		if h.err != nil {
			return 0, h.err
		}
		return 0, io.EOF
	}
	return n, nil
}

// Unhex is the value of a hex digit, -1 for any other byte.
func Unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// a85Source feeds ASCII85Decode: the optional "<~" goes, "~>" ends it.
type a85Source struct {
	r     *bufio.Reader
	begun bool
	done  bool
}

func (s *a85Source) Read(p []byte) (int, error) {
	if !s.begun {
		s.begun = true
		for {
			c, err := s.r.ReadByte()
			if err != nil {
				return 0, err
			}
			if !Space(c) {
				if c == '<' {
					if next, _ := s.r.Peek(1); len(next) == 1 && next[0] == '~' {
						s.r.ReadByte()
						break
					}
				}
				s.r.UnreadByte()
				break
			}
		}
	}
	n := 0
	for n < len(p) && !s.done {
		c, err := s.r.ReadByte()
		if err != nil {
			s.done = true
			break
		}
		if c == '~' {
			s.done = true
			break
		}
		p[n] = c
		n++
	}
	if n == 0 && s.done {
		return 0, io.EOF
	}
	return n, nil
}

// runLengthReader is RunLengthDecode: a length byte 0-127 copies the next
// 1-128 bytes, 129-255 repeats the next byte 2-128 times, 128 ends it.
type runLengthReader struct {
	r      *bufio.Reader
	repeat int  // bytes of the current run still to give
	b      byte // the byte repeated
	copyN  int  // literal bytes still to copy
	done   bool
}

func (l *runLengthReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		switch {
		case l.repeat > 0:
			p[n] = l.b
			l.repeat--
			n++
			continue
		case l.copyN > 0:
			c, err := l.r.ReadByte()
			if err != nil {
				return n, io.ErrUnexpectedEOF
			}
			p[n] = c
			l.copyN--
			n++
			continue
		case l.done:
			if n == 0 {
				return 0, io.EOF
			}
			return n, nil
		}
		c, err := l.r.ReadByte()
		if err != nil || c == 128 {
			l.done = true
			continue
		}
		if c < 128 {
			l.copyN = int(c) + 1
			continue
		}
		b, err := l.r.ReadByte()
		if err != nil {
			return n, io.ErrUnexpectedEOF
		}
		l.b, l.repeat = b, 257-int(c)
	}
	return n, nil
}

// predictor undoes the predictor /DecodeParms names (Unpredict).
func predictor(r io.Reader, parms []byte) (io.Reader, error) {
	return Unpredict(r, IntParam(parms, "/Predictor", 1), IntParam(parms, "/Colors", 1),
		IntParam(parms, "/BitsPerComponent", 8), IntParam(parms, "/Columns", 1))
}
