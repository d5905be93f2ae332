package unpack

import (
	"bytes"
	"encoding/ascii85"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zlib"
)

// PDF: a forgiving scan for "obj … stream … endstream", not a full parser, so
// damaged or hostile files still give up what they hold. Embedded files
// (/Type /EmbeddedFile) become members named after their file specification;
// every other stream we can decode (Flate, ASCIIHex, ASCII85; not images or
// fonts) is appended to one member, "streams", so scripts in object streams
// and page content are visible to YARA and the heuristics without turning a
// long PDF into thousands of parts.

const maxPDFStreams = 5000

var (
	pdfFilter   = regexp.MustCompile(`/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)`)
	pdfName     = regexp.MustCompile(`/[A-Za-z0-9]+`)
	pdfEFRef    = regexp.MustCompile(`/EF\s*<<[^>]*?/(?:F|UF)\s+(\d{1,10})\s+\d{1,5}\s+R`)
	pdfFileName = regexp.MustCompile(`/(?:UF|F)\s*\(((?:[^()\\]|\\.){1,300})\)`)
)

func openPDF(c *container) error {
	b := c.part.Content
	// Object number → the text of its dictionary (up to "stream" or "endobj").
	type object struct {
		num        int
		dict       []byte
		data       []byte // raw stream data, nil when none
		hasStream  bool
		streamTail int
	}
	var objs []object
	locs := pdfObjects(b)
	for i, loc := range locs {
		if len(objs) >= maxPDFStreams*2 {
			break
		}
		num, _ := strconv.Atoi(string(b[loc[2]:loc[3]]))
		end := len(b)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := b[loc[1]:end]
		o := object{num: num, dict: body}
		if s := bytes.Index(body, []byte("stream")); s >= 0 && bytes.Contains(body[:s], []byte("<<")) {
			o.dict = body[:s]
			data := body[s+len("stream"):]
			data = bytes.TrimPrefix(data, []byte("\r"))
			data = bytes.TrimPrefix(data, []byte("\n"))
			if e := bytes.LastIndex(data, []byte("endstream")); e >= 0 {
				data = data[:e]
			}
			o.data = bytes.TrimSuffix(bytes.TrimSuffix(data, []byte("\n")), []byte("\r"))
			o.hasStream = true
		} else if e := bytes.Index(body, []byte("endobj")); e >= 0 {
			o.dict = body[:e]
		}
		objs = append(objs, o)
	}
	// File specifications name the embedded file streams they point at.
	names := map[int]string{}
	for _, o := range objs {
		if m := pdfEFRef.FindSubmatch(o.dict); m != nil {
			n, _ := strconv.Atoi(string(m[1]))
			if f := pdfFileName.FindSubmatch(o.dict); f != nil {
				names[n] = pdfString(f[1])
			}
		}
	}
	var joined []byte
	streams := 0
	for _, o := range objs {
		if !o.hasStream {
			continue
		}
		streams++
		if streams > maxPDFStreams {
			c.w.problem(c.part, ReasonMembers, fmt.Sprintf("more than %d streams in the PDF", maxPDFStreams))
			break
		}
		embedded := bytes.Contains(o.dict, []byte("/EmbeddedFile"))
		if !embedded && (bytes.Contains(o.dict, []byte("/Image")) || bytes.Contains(o.dict, []byte("/FontFile")) ||
			bytes.Contains(o.dict, []byte("/Length1")) || bytes.Contains(o.dict, []byte("/XRef"))) {
			continue
		}
		r, release, ok := pdfDecode(o.dict, o.data)
		if !ok {
			continue
		}
		if embedded {
			name := names[o.num]
			if name == "" {
				name = fmt.Sprintf("embedded-%d", o.num)
			}
			_, err := c.member(name, r, int64(len(o.data)))
			release()
			if err != nil && !isLimit(err) {
				if err == errStop {
					return err
				}
				c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: pdf %q: embedded file %q: %v", c.part.Path, cleanName(name), err))
			}
			continue
		}
		// Each stream is read straight onto the joined member, after a
		// line naming its object; a stream that gives nothing loses it.
		mark := len(joined)
		joined = fmt.Appendf(joined, "\n%% kensa: object %d\n", o.num)
		head := len(joined)
		var err error
		joined, err = c.readAppend(joined, fmt.Sprintf("stream %d", o.num), r, int64(len(o.data)))
		release()
		if err == errStop {
			return err
		}
		if len(joined) == head {
			joined = joined[:mark]
		}
	}
	if len(joined) > 0 {
		if c.add("streams", joined) == nil {
			return errStop
		}
	}
	return nil
}

// pdfObjects finds every "N G obj" header, as the regular expression
// `(\d{1,10})\s+\d{1,5}\s+obj\b` would (FindAllSubmatchIndex: match start,
// end, number start, number end), but by looking for "obj" and reading
// backwards: the regular expression ran over every byte of image and font
// streams and was most of the time spent on a typical PDF attachment.
func pdfObjects(b []byte) [][]int {
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

func isLimit(err error) bool {
	_, ok := err.(*limitErr)
	return ok
}

// pdfDecode applies the stream's filters; ok is false for filters we do not
// decode (images, and anything unknown). release hands the inflaters back
// for the next stream: call it once the reader is done with.
func pdfDecode(dict, data []byte) (r io.Reader, release func(), ok bool) {
	m := pdfFilter.FindSubmatch(dict)
	r = bytes.NewReader(data)
	var used []io.ReadCloser
	release = func() {
		for _, zr := range used {
			zlibReaders.Put(zr)
		}
	}
	if m == nil {
		return r, release, true
	}
	for _, f := range pdfName.FindAll(m[1], 8) {
		switch string(f) {
		case "/FlateDecode", "/Fl":
			zr, err := newZlibReader(r)
			if err != nil {
				// Some writers omit the zlib header: try raw deflate.
				r = flate.NewReader(bytes.NewReader(bytes.TrimLeft(data, "\r\n")))
				continue
			}
			used = append(used, zr)
			r = zr
		case "/ASCIIHexDecode", "/AHx":
			all, _ := io.ReadAll(io.LimitReader(r, int64(len(data))+1))
			r = bytes.NewReader(hexDecodeLoose(all))
		case "/ASCII85Decode", "/A85":
			all, _ := io.ReadAll(io.LimitReader(r, int64(len(data))+1))
			all = bytes.TrimSuffix(bytes.TrimSpace(all), []byte("~>"))
			all = bytes.TrimPrefix(all, []byte("<~"))
			r = ascii85.NewDecoder(bytes.NewReader(all))
		default:
			release()
			return nil, func() {}, false
		}
	}
	return r, release, true
}

// zlibReaders keeps inflaters between streams: each holds a 32 KiB window
// and tables, and a PDF has hundreds of streams.
var zlibReaders sync.Pool

// newZlibReader is zlib.NewReader, reusing a pooled inflater.
func newZlibReader(r io.Reader) (io.ReadCloser, error) {
	if zr, ok := zlibReaders.Get().(io.ReadCloser); ok {
		if err := zr.(zlib.Resetter).Reset(r, nil); err != nil {
			zlibReaders.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return zlib.NewReader(r)
}

// hexDecodeLoose decodes hex digits, skipping anything else.
func hexDecodeLoose(b []byte) []byte {
	digits := make([]byte, 0, len(b))
	for _, c := range b {
		if c == '>' {
			break
		}
		if ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F') {
			digits = append(digits, c)
		}
	}
	if len(digits)%2 == 1 {
		digits = append(digits, '0')
	}
	out := make([]byte, len(digits)/2)
	hex.Decode(out, digits)
	return out
}

// pdfString undoes the escapes of a literal string well enough for a name.
func pdfString(b []byte) string {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			i++
			switch b[i] {
			case 'n', 'r', 't':
				continue
			}
		}
		out = append(out, b[i])
	}
	if bytes.HasPrefix(out, []byte("\xFE\xFF")) { // UTF-16BE
		var s []rune
		for i := 2; i+1 < len(out); i += 2 {
			s = append(s, rune(out[i])<<8|rune(out[i+1]))
		}
		return string(s)
	}
	return string(out)
}
