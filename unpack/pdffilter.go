package unpack

import (
	"bufio"
	"bytes"
	"compress/lzw"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/kensa-milter/kensa/pdfsyntax"

	"github.com/klauspost/compress/flate"
	tifflzw "golang.org/x/image/tiff/lzw"

	"github.com/kensa-milter/kensa/urls"
)

// PDF stream filters (ISO 32000-1, 7.4), read as a PDF reader reads them:
// names with #xx escapes decoded and abbreviations expanded, every standard
// filter (Flate and LZW with their predictors, ASCIIHex, ASCII85,
// RunLength), parameters per filter. Image filters are not decoded: their
// output is pixels. Any other filter name is one no reader knows either,
// so the stream cannot be read: the caller makes that a named problem.

var pdfFilterAbbrev = map[string]string{
	"Fl": "FlateDecode", "LZW": "LZWDecode", "AHx": "ASCIIHexDecode", "A85": "ASCII85Decode",
	"RL": "RunLengthDecode", "CCF": "CCITTFaxDecode", "DCT": "DCTDecode",
}

var pdfImageFilters = map[string]bool{"DCTDecode": true, "JPXDecode": true, "JBIG2Decode": true, "CCITTFaxDecode": true}

// errPDFFilter is a filter Kensa cannot apply: unknown, or given by a
// reference it cannot follow.
var errPDFFilter = errors.New("pdf: filter cannot be applied")

// pdfUnescape decodes the #xx escapes of every name in b, so that
// "/Fl#61teDecode" and "/Emb#65ddedFile" read as a PDF reader reads them.
// b is returned as is when it has no '#'.
func pdfUnescape(b []byte) []byte {
	if bytes.IndexByte(b, '#') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	var scratch [160]byte
	for i := 0; i < len(b); {
		if b[i] != '/' {
			out = append(out, b[i])
			i++
			continue
		}
		name, end := urls.PDFNameBytes(b, i, scratch[:0])
		out = append(append(out, '/'), name...)
		i = max(end, i+1)
	}
	return out
}

// pdfKey returns the index just after key ("/Filter") in dict, where a
// delimiter follows it, or -1.
func pdfKey(dict []byte, key string) int {
	for off := 0; ; {
		i := bytes.Index(dict[off:], []byte(key))
		if i < 0 {
			return -1
		}
		end := off + i + len(key)
		if end >= len(dict) || pdfDelimiter(dict[end]) {
			return end
		}
		off = end
	}
}

func pdfDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '/', '[', ']', '(', ')', '<', '>', '{', '}', '%':
		return true
	}
	return false
}

func pdfSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0
}

// pdfValue returns the value starting at b[i] (after blanks): an array,
// a dictionary, a name, or a word such as "null" or a number; an indirect
// reference "N G R" is returned whole.
func pdfValue(b []byte, i int) []byte {
	for i < len(b) && pdfSpace(b[i]) {
		i++
	}
	if i >= len(b) {
		return nil
	}
	switch {
	case b[i] == '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '[':
				depth++
			case ']':
				depth--
				if depth == 0 {
					return b[i : j+1]
				}
			}
		}
		return b[i:]
	case bytes.HasPrefix(b[i:], []byte("<<")):
		depth := 0
		for j := i; j+1 < len(b); j++ {
			switch {
			case b[j] == '<' && b[j+1] == '<':
				depth++
				j++
			case b[j] == '>' && b[j+1] == '>':
				depth--
				j++
				if depth == 0 {
					return b[i : j+1]
				}
			}
		}
		return b[i:]
	case b[i] == '/':
		j := i + 1
		for j < len(b) && !pdfDelimiter(b[j]) {
			j++
		}
		return b[i:j]
	}
	j := i
	for j < len(b) && !pdfDelimiter(b[j]) {
		j++
	}
	// "5 0 R": a reference is three words.
	if k := pdfRefEnd(b, i); k > 0 {
		return b[i:k]
	}
	return b[i:j]
}

// pdfRefEnd returns the end of an indirect reference "N G R" at b[i:], or 0.
func pdfRefEnd(b []byte, i int) int {
	j := i
	for n := 0; n < 2; n++ {
		s := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j == s || j-s > 10 || j >= len(b) || !pdfSpace(b[j]) {
			return 0
		}
		for j < len(b) && pdfSpace(b[j]) {
			j++
		}
	}
	if j < len(b) && b[j] == 'R' && (j+1 == len(b) || pdfDelimiter(b[j+1])) {
		return j + 1
	}
	return 0
}

// pdfResolver returns the dictionary text of object num (nil when unknown).
type pdfResolver func(num int) []byte

// pdfDeref follows an indirect reference once.
func pdfDeref(v []byte, resolve pdfResolver) []byte {
	if k := pdfRefEnd(v, 0); k > 0 && resolve != nil {
		n, _ := strconv.Atoi(string(v[:bytes.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })]))
		return bytes.TrimSpace(resolve(n))
	}
	return v
}

// pdfFilterSpec is one filter of a stream and its parameters.
type pdfFilterSpec struct {
	name  string
	parms []byte // the DecodeParms dictionary, nil for none
}

// pdfFilters lists a stream's filters in the order they apply. dict has
// its names unescaped already.
func pdfFilters(dict []byte, resolve pdfResolver) ([]pdfFilterSpec, error) {
	i := pdfKey(dict, "/Filter")
	if i < 0 {
		return nil, nil
	}
	raw := pdfValue(dict, i)
	v := pdfDeref(raw, resolve)
	if len(v) == 0 && len(raw) > 0 {
		return nil, fmt.Errorf("%w: /Filter %s refers to no object Kensa found", errPDFFilter, truncateBytes(raw, 20))
	}
	var out []pdfFilterSpec
	for j := 0; j < len(v); j++ {
		if v[j] != '/' {
			continue
		}
		k := j + 1
		for k < len(v) && !pdfDelimiter(v[k]) {
			k++
		}
		name := string(v[j+1 : k])
		if full, ok := pdfFilterAbbrev[name]; ok {
			name = full
		}
		out = append(out, pdfFilterSpec{name: name})
		j = k - 1
		if len(out) > 8 {
			return nil, fmt.Errorf("%w: more than 8 filters", errPDFFilter)
		}
	}
	if len(out) == 0 {
		if len(bytes.TrimSpace(v)) == 0 || string(bytes.TrimSpace(v)) == "null" || string(bytes.TrimSpace(v)) == "[]" {
			return nil, nil
		}
		return nil, fmt.Errorf("%w: /Filter %q", errPDFFilter, truncateBytes(v, 40))
	}
	p := pdfKey(dict, "/DecodeParms")
	if p < 0 {
		return out, nil
	}
	pv := pdfDeref(pdfValue(dict, p), resolve)
	if bytes.HasPrefix(pv, []byte("<<")) {
		out[0].parms = pv
		return out, nil
	}
	if !bytes.HasPrefix(pv, []byte("[")) {
		return out, nil
	}
	// An array: one entry per filter, each a dictionary or null.
	n := 0
	for j := 1; j < len(pv) && n < len(out); {
		for j < len(pv) && pdfSpace(pv[j]) {
			j++
		}
		if j >= len(pv) || pv[j] == ']' {
			break
		}
		e := pdfValue(pv, j)
		if len(e) == 0 {
			break
		}
		out[n].parms = pdfDeref(e, resolve)
		if !bytes.HasPrefix(out[n].parms, []byte("<<")) {
			out[n].parms = nil
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

// pdfIntParam reads an integer entry of a parameter dictionary.
func pdfIntParam(parms []byte, key string, def int) int {
	i := pdfKey(parms, key)
	if i < 0 {
		return def
	}
	v := pdfValue(parms, i)
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return def
	}
	return n
}

// pdfApply chains the filters over data. skip is true when a filter
// produces pixels (images are not decoded). used collects pooled inflaters
// for the caller to hand back.
func pdfApply(filters []pdfFilterSpec, data []byte, used *[]io.ReadCloser) (r io.Reader, skip bool, err error) {
	r = bytes.NewReader(data)
	for i, f := range filters {
		switch f.name {
		case "FlateDecode":
			zr, err := pdfsyntax.NewZlibReader(r)
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
			if pdfIntParam(f.parms, "/EarlyChange", 1) == 0 {
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
			if pdfImageFilters[f.name] {
				return nil, true, nil
			}
			return nil, false, fmt.Errorf("%w: unknown filter /%s", errPDFFilter, cleanName(f.name))
		}
		if f.name == "FlateDecode" || f.name == "LZWDecode" {
			if r, err = pdfPredictor(r, f.parms); err != nil {
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
			case pdfSpace(c):
				continue
			case unhex(c) < 0:
				h.done, h.err = true, fmt.Errorf("ASCIIHexDecode: byte %q is not a hex digit", c)
			default:
				digits[got] = c
				got++
				continue
			}
			break
		}
		if got > 0 {
			p[n] = byte(unhex(digits[0])<<4 | unhex(digits[1]))
			if got == 1 {
				p[n] = byte(unhex(digits[0]) << 4)
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

func unhex(c byte) int {
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
			if !pdfSpace(c) {
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

// pdfPredictor undoes the predictor /DecodeParms names (pdfsyntax.Unpredict).
func pdfPredictor(r io.Reader, parms []byte) (io.Reader, error) {
	return pdfsyntax.Unpredict(r, pdfIntParam(parms, "/Predictor", 1), pdfIntParam(parms, "/Colors", 1),
		pdfIntParam(parms, "/BitsPerComponent", 8), pdfIntParam(parms, "/Columns", 1))
}
