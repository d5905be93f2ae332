package unpack

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/pdfsyntax"
	"github.com/kensa-milter/kensa/urls"
)

// PDF: a forgiving scan for "obj … stream … endstream", not a full parser, so
// damaged or hostile files still give up what they hold. Names are read with
// their #xx escapes decoded. Embedded files (/Type /EmbeddedFile) become
// members named after their file specification (found in object streams
// too); every other stream (not images or fonts) is decoded with all its
// filters (pdfsyntax/filter.go) and appended to one member, "streams", so
// scripts in object streams and page content are visible to YARA and the
// heuristics without turning a long PDF into thousands of parts. A stream
// that cannot be decoded is a named problem: an unknown filter is
// unsupported-container, a filter that fails on its data corrupt-archive.
// An encrypted PDF (an /Encrypt dictionary) is opened with the empty user
// password or one the message offers (pdfsyntax/crypt.go) and its streams are
// decrypted before their filters; one that stays shut is encrypted-archive.
// What it inflated is kept on the PDF's part (message.Part.Inflated) for
// the code search, which reads the pages' streams again; where a stream
// without filters lies in the PDF as it is in "streams" is recorded for
// yarascan (message.Part.Repeated, pdfAsIs).

const maxPDFStreams = 5000

var (
	pdfEFRef    = regexp.MustCompile(`/EF\s*<<[^>]*?/(?:F|UF)\s+(\d{1,10})\s+\d{1,5}\s+R`)
	pdfFileName = regexp.MustCompile(`/(?:UF|F)\s*\(((?:[^()\\]|\\.){1,300})\)`)
	// pdfFileNameHex is a name written as a hex string, as encrypted
	// documents often have them.
	pdfFileNameHex = regexp.MustCompile(`/(?:UF|F)\s*<([0-9A-Fa-f\s]{2,1000})>`)
)

// pdfObject is one "N G obj": its dictionary (names unescaped) and its
// raw stream data.
type pdfObject struct {
	num, gen  int
	dict      []byte
	raw       []byte // dict before unescaping: strings as written
	inStm     bool   // from an object stream: its strings are not encrypted
	data      []byte
	full      []byte // data with the end of line before endstream, which may be data
	hasStream bool
}

func openPDF(c *container) error {
	b := c.part.Content
	listed := pdfsyntax.Objects(b, maxPDFStreams*2)
	objs := pdfObjects(listed)
	var crypt *pdfsyntax.Crypt
	dict, id, found, why := pdfsyntax.FindEncrypt(b, listed)
	if found {
		if why == "" {
			crypt, why = c.pdfUnlock(dict, id)
		}
		if crypt == nil {
			c.part.Encrypted = true
			c.w.problem(c.part, ReasonEncrypted, fmt.Sprintf("unpack: pdf %q: encrypted, not opened: %s", c.part.Path, why))
			return nil
		}
		for i, o := range objs {
			if !o.hasStream {
				continue
			}
			data, ok := crypt.Stream(o.num, o.gen, o.dict, o.data, o.full)
			if !ok {
				c.w.problem(c.part, ReasonUnsupported, fmt.Sprintf("unpack: pdf %q: object %d: the stream's /Crypt filter names no crypt filter of the document", c.part.Path, o.num))
				objs[i].hasStream, objs[i].data = false, nil
				continue
			}
			objs[i].data = data
		}
	}
	var joined []byte
	if crypt != nil {
		for _, o := range objs {
			if bytes.Equal(o.raw, dict) {
				continue // the /Encrypt dictionary's strings are not encrypted
			}
			if t := crypt.DecryptStrings(o.raw, o.num, o.gen); t != nil {
				joined = fmt.Appendf(joined, "\n%% kensa: object %d, strings decrypted\n", o.num)
				joined = append(joined, t...)
			}
		}
	}
	byNum := map[int]int{}
	for i, o := range objs {
		byNum[o.num] = i // the last definition wins, as after an incremental update
	}
	resolve := func(n int) []byte {
		if i, ok := byNum[n]; ok && !objs[i].hasStream {
			return objs[i].dict
		}
		return nil
	}
	var release []io.ReadCloser
	defer func() {
		for _, zr := range release {
			pdfsyntax.ReleaseZlib(zr)
		}
	}()
	// Object streams first: the objects in them (file specifications,
	// actions) count like the others.
	decoded := map[int][]byte{}
	decodedFrom := map[int]*packedSource{} // the object streams' data, read whole
	whole := make([]bool, len(objs))       // streams inflated whole by one pooled inflater (pdfsyntax.Inflated); those of object streams have none
	for i := 0; i < len(objs) && len(objs) < maxPDFStreams*2; i++ {
		o := objs[i]
		if !o.hasStream || pdfsyntax.Key(o.dict, "/ObjStm") < 0 {
			continue
		}
		data, w, src, err := c.pdfStream(o, resolve, &release)
		if err != nil {
			return err
		}
		if len(data) == 0 {
			continue
		}
		decoded[i], whole[i], decodedFrom[i] = data, w, src
		objs = append(objs, pdfObjStm(o.dict, data)...)
	}
	names := map[int]string{}
	for _, o := range objs {
		if m := pdfEFRef.FindSubmatch(o.dict); m != nil {
			n, _ := strconv.Atoi(string(m[1]))
			if crypt != nil && !o.inStm {
				if f := pdfFileName.FindSubmatch(o.raw); f != nil {
					names[n] = pdfText(crypt.Decrypt(o.num, o.gen, pdfsyntax.Literal(f[1]), false))
				} else if f := pdfFileNameHex.FindSubmatch(o.raw); f != nil {
					names[n] = pdfText(crypt.Decrypt(o.num, o.gen, pdfsyntax.HexLoose(f[1]), false))
				}
			} else if f := pdfFileName.FindSubmatch(o.dict); f != nil {
				names[n] = pdfString(f[1])
			}
		}
	}
	joined = slices.Grow(joined, c.pdfJoinedSize(objs, decoded))
	var kept []pdfSpan // where whole streams are in joined, kept for the code search once joined is final
	keep := func(i, from int) {
		if i < len(whole) && whole[i] && len(joined) > from {
			kept = append(kept, pdfSpan{i, from, len(joined)})
		}
	}
	var asIs []message.Span                         // streams in the PDF as they are in joined (pdfAsIs)
	var packed []message.Span                       // streams' compressed data their inflater read whole into joined or a member
	joinedPart := &message.Part{Content: []byte{0}} // stands for the joined member, added at the end
	notePacked := func(p *message.Part, src *packedSource, read error) {
		if s, ok := c.packedRange(p, src, read); ok {
			packed = append(packed, s)
		}
	}
	streams := 0
	for i, o := range objs {
		if !o.hasStream {
			continue
		}
		streams++
		if streams > maxPDFStreams {
			c.w.problem(c.part, ReasonMembers, fmt.Sprintf("more than %d streams in the PDF", maxPDFStreams))
			break
		}
		embedded := pdfsyntax.Key(o.dict, "/EmbeddedFile") >= 0
		if !embedded && pdfNotJoined(o.dict) {
			continue
		}
		if data, ok := decoded[i]; ok {
			joined = fmt.Appendf(joined, "\n%% kensa: object %d\n", o.num)
			from := len(joined)
			joined = append(joined, data...)
			keep(i, from)
			notePacked(joinedPart, decodedFrom[i], nil)
			continue
		}
		if embedded {
			name := names[o.num]
			if name == "" {
				name = fmt.Sprintf("embedded-%d", o.num)
			}
			r, src, skip, err := c.pdfReader(o, resolve, &release)
			if err != nil || skip {
				continue // pdfReader said why
			}
			data, rerr := c.read(name, r, int64(len(o.data)))
			p, err := c.addRead(name, data, rerr)
			notePacked(p, src, rerr)
			if err != nil && !isLimit(err) {
				if err == errStop {
					return err
				}
				c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: pdf %q: embedded file %q: %v", c.part.Path, cleanName(name), err))
			}
			continue
		}
		// Each stream is read straight onto the joined member, after a
		// line naming its object.
		pooled := len(release)
		r, src, skip, err := c.pdfReader(o, resolve, &release)
		if err != nil || skip {
			continue
		}
		mark := len(joined)
		joined = fmt.Appendf(joined, "\n%% kensa: object %d\n", o.num)
		head := len(joined)
		joined, err = c.readAppend(joined, fmt.Sprintf("stream %d", o.num), r, int64(len(o.data)))
		whole[i] = err == nil && len(release) == pooled+1
		keep(i, head)
		if s, ok := pdfAsIs(b, o.data, joined[head:]); ok && crypt == nil { // decrypted data is no piece of b anyway
			asIs = append(asIs, s)
		}
		if len(joined) > head {
			notePacked(joinedPart, src, err)
		}
		switch {
		case err == errStop:
			return err
		case isLimit(err):
		case err != nil && len(joined) == head:
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: pdf %q: object %d: the stream cannot be decoded: %v", c.part.Path, o.num, err))
		}
		if len(joined) == head {
			joined = joined[:mark]
		}
	}
	if len(joined) > 0 {
		if c.add("streams", joined) == nil {
			return errStop
		}
		c.part.Repeated = append(c.part.Repeated, asIs...)
		c.part.Inflated = c.pdfInflated(objs, kept, joined, resolve, crypt != nil, dict, id)
	}
	if crypt == nil { // encrypted data is in doubt: scanned whole
		c.part.Packed = append(c.part.Packed, packed...)
	}
	return nil
}

// pdfAsIs is where in the PDF b a stream's data lies, when what it decoded
// to (out, in the joined member) is that data as it is, byte for byte: a
// stream without filters, such as the XMP metadata most writers leave
// uncompressed, or the pages of a writer that does not compress. Those
// bytes are read in the member (message.Part.Repeated); ok is false for
// anything else, a stream shorter than minRepeat, or data that is not a
// piece of b (an object stream's, decrypted).
func pdfAsIs(b, data, out []byte) (s message.Span, ok bool) {
	n := len(out)
	if n < minRepeat || n > len(data) || !bytes.Equal(out, data[:n]) {
		return s, false
	}
	off := cap(b) - cap(data) // data is b[off:...] when it is a piece of b
	if off < 0 || off+n > len(b) || &b[off] != &data[0] {
		return s, false
	}
	return message.Span{Off: off, Len: n}, true
}

// pdfSpan is where stream obj's decoded bytes are in the joined member.
type pdfSpan struct{ obj, from, to int }

// pdfInflated records the streams of the PDF inflated whole (their bytes in
// joined, the member added) for the code search, which would inflate the
// pages' streams again (pdfsyntax.Inflated). A PDF opened with a password
// of the message is not recorded: the record keeps to the password both
// readers try first.
func (c *container) pdfInflated(objs []pdfObject, kept []pdfSpan, joined []byte, resolve pdfsyntax.Resolver, encrypted bool, dict, id []byte) *pdfsyntax.Inflated {
	if len(kept) == 0 || encrypted && c.part.UnlockedBy != "" {
		return nil
	}
	f := pdfsyntax.NewInflated(c.part.Content, encrypted, dict, id)
	for _, k := range kept {
		o := objs[k.obj]
		f.Put(o.full, o.dict, resolve, len(o.data), joined[k.from:k.to])
	}
	return f
}

// pdfObjects lists the objects of a PDF, names unescaped.
func pdfObjects(listed []pdfsyntax.Object) []pdfObject {
	objs := make([]pdfObject, 0, len(listed))
	for _, o := range listed {
		objs = append(objs, pdfObject{num: o.Num, gen: o.Gen, dict: urls.PDFUnescape(o.Dict), raw: o.Dict, data: o.Data, full: o.Full, hasStream: o.HasStream})
	}
	return objs
}

// pdfNotJoined says a stream is left out of the joined member: pixels,
// fonts and cross-reference tables hold no script or text worth scanning.
func pdfNotJoined(dict []byte) bool {
	return pdfsyntax.Key(dict, "/Image") >= 0 || pdfsyntax.Key(dict, "/FontFile") >= 0 || pdfsyntax.Key(dict, "/FontFile2") >= 0 ||
		pdfsyntax.Key(dict, "/FontFile3") >= 0 || pdfsyntax.Key(dict, "/Length1") >= 0 || pdfsyntax.Key(dict, "/XRef") >= 0
}

// pdfExpansion is the guess at how much a filtered content stream expands:
// page text deflates about 3 to 4 times.
const pdfExpansion = 4

// pdfJoinedSize guesses the size of the joined member, so that it is
// allocated once instead of regrown (and copied) stream after stream: a
// long invoice has hundreds of small streams. The guess comes from the
// bytes each stream really has in the file, never from its /Length, and is
// bounded by pdfExpansion times the PDF's own size, by the member size
// limit and by the bytes the message may still expand to: a hostile PDF
// (random bytes under /FlateDecode, say) cannot make it larger than what
// the limits let it fill anyway. A wrong guess only costs a regrowth, as
// before.
func (c *container) pdfJoinedSize(objs []pdfObject, decoded map[int][]byte) int {
	const mark = len("\n% kensa: object 1234567\n")
	var est int64
	streams := 0
	for i, o := range objs {
		if !o.hasStream {
			continue
		}
		if streams++; streams > maxPDFStreams {
			break
		}
		if pdfsyntax.Key(o.dict, "/EmbeddedFile") >= 0 || pdfNotJoined(o.dict) {
			continue
		}
		switch data, ok := decoded[i]; {
		case ok:
			est += int64(mark + len(data))
		case pdfsyntax.Key(o.dict, "/Filter") >= 0:
			est += int64(mark + pdfExpansion*len(o.data))
		default:
			est += int64(mark + len(o.data))
		}
	}
	limit := min(int64(pdfExpansion)*int64(len(c.part.Content)), c.w.lim.MaxMemberBytes, c.w.lim.MaxTotalBytes-c.w.total)
	return int(max(min(est, limit), 0))
}

// pdfReader returns the decoded stream of o; skip is true for images. A
// filter that cannot be applied is recorded here (err is then non-nil).
func (c *container) pdfReader(o pdfObject, resolve pdfsyntax.Resolver, release *[]io.ReadCloser) (io.Reader, *packedSource, bool, error) {
	filters, err := pdfsyntax.Filters(o.dict, resolve)
	var (
		r    io.Reader
		src  = bytes.NewReader(o.data)
		skip bool
	)
	if err == nil {
		r, skip, err = pdfsyntax.ApplyFrom(filters, src, o.data, release)
	}
	if err != nil {
		reason := ReasonCorrupt
		if errors.Is(err, pdfsyntax.ErrFilter) {
			reason = ReasonUnsupported
		}
		c.w.problem(c.part, reason, fmt.Sprintf("unpack: pdf %q: object %d: the stream cannot be decoded: %v", c.part.Path, o.num, err))
		return nil, nil, false, err
	}
	return r, c.pdfPacked(o, filters, src), skip, nil
}

// pdfPacked is where o's data lies in the PDF, to be recorded as packed
// (message.Part.Packed) once the inflater has read it all: only for a
// stream whose one filter is FlateDecode and whose data is a piece of the
// PDF's bytes (a decrypted stream's is not); nil otherwise. openPDF
// records none of an encrypted PDF.
func (c *container) pdfPacked(o pdfObject, filters []pdfsyntax.FilterSpec, src *bytes.Reader) *packedSource {
	if len(filters) != 1 || filters[0].Name != "FlateDecode" || len(o.data) == 0 {
		return nil
	}
	b := c.part.Content
	off := cap(b) - cap(o.data) // o.data is b[off:...] when it is a piece of b
	if off < 0 || off+len(o.data) > len(b) || &b[off] != &o.data[0] {
		return nil
	}
	return &packedSource{off: int64(off), r: src, n: int64(len(o.data))}
}

// pdfStream decodes one stream whole (an object stream). data is empty when
// it gave nothing (the problem is recorded); whole says that one pooled
// inflater read it to its end without error; err is errStop only.
func (c *container) pdfStream(o pdfObject, resolve pdfsyntax.Resolver, release *[]io.ReadCloser) (data []byte, whole bool, packed *packedSource, err error) {
	pooled := len(*release)
	r, src, skip, err := c.pdfReader(o, resolve, release)
	if err != nil || skip {
		return nil, false, nil, nil
	}
	data, err = c.read(fmt.Sprintf("object stream %d", o.num), r, int64(len(o.data)))
	switch {
	case err == errStop:
		return nil, false, nil, err
	case err != nil && !isLimit(err) && len(data) == 0:
		c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: pdf %q: object stream %d cannot be decoded: %v", c.part.Path, o.num, err))
		return nil, false, nil, nil
	}
	if err != nil {
		src = nil
	}
	return data, err == nil && len(*release) == pooled+1, src, nil
}

// pdfObjStm splits a decoded object stream (pdfsyntax.ObjStm).
func pdfObjStm(dict, data []byte) []pdfObject {
	listed := pdfsyntax.ObjStm(data, pdfsyntax.IntParam(dict, "/N", 0), pdfsyntax.IntParam(dict, "/First", 0), maxPDFStreams)
	out := make([]pdfObject, 0, len(listed))
	for _, o := range listed {
		out = append(out, pdfObject{num: o.Num, dict: urls.PDFUnescape(o.Dict), raw: o.Dict, inStm: true})
	}
	return out
}

func isLimit(err error) bool {
	_, ok := err.(*limitErr)
	return ok
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
	return pdfText(out)
}

// pdfText reads a text string's bytes: UTF-16BE after its mark, else as is.
func pdfText(out []byte) string {
	if bytes.HasPrefix(out, []byte("\xFE\xFF")) { // UTF-16BE
		var s []rune
		for i := 2; i+1 < len(out); i += 2 {
			s = append(s, rune(out[i])<<8|rune(out[i+1]))
		}
		return string(s)
	}
	return string(out)
}

// pdfUnlock opens an encrypted PDF with the empty user password, then with
// the message's passwords. A nil result comes with the reason it stays shut.
func (c *container) pdfUnlock(dict, id []byte) (*pdfsyntax.Crypt, string) {
	if dict == nil {
		return nil, "the /Encrypt dictionary is missing"
	}
	s, err := pdfsyntax.ParseSecurity(dict, id)
	if err != nil {
		return nil, err.Error()
	}
	tries := c.candidates()
	if c.skip == nil { // a retry's first run tried it
		tries = append([]candidate{{"", "default"}}, tries...)
	}
	tried := 0
	for _, pw := range tries {
		if c.tries >= c.w.lim.MaxPasswordTries {
			break
		}
		c.tries++
		tried++
		if d := s.Open(pw.text); d != nil {
			if pw.source != "default" {
				c.part.UnlockedBy, c.part.Password = pw.source, pw.text
			}
			return d, ""
		}
	}
	return nil, fmt.Sprintf("a user password is set (Standard handler R%d) and none of %d passwords tried opened it", s.R(), tried)
}
