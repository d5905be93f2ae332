package unpack

import (
	"encoding/binary"
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/kensa-milter/kensa/message"
)

// The text a reader sees in Office 97-2003 binary documents, for checks
// that read what a document says (callback phishing): a Word document's
// characters through its piece table, a workbook's strings, a
// presentation's slide text. Each reader stops after about limit bytes of
// text and never fails: what it cannot read is left out.

// WordText is the text of a Word 97-2003 document (MS-DOC): the
// WordDocument stream's characters in the order the piece table (the Clx
// in the table stream the FIB names, 0Table or 1Table) lays them out,
// every story (main text, footnotes, headers, text boxes); a line break
// for each paragraph, cell and page mark, a space for a tab, field
// instructions left out (their results kept), objects' marks dropped.
// An encrypted document has no text here.
func WordText(doc, table0, table1 []byte, limit int) string {
	le := binary.LittleEndian
	if len(doc) < 34 || le.Uint16(doc) != 0xA5EC {
		return ""
	}
	flags := le.Uint16(doc[0x0A:])
	if flags&0x0100 != 0 { // fEncrypted
		return ""
	}
	table := table0
	if flags&0x0200 != 0 { // fWhichTblStm
		table = table1
	}
	// FibBase (32 bytes), then csw and FibRgW, cslw and FibRgLw,
	// cbRgFcLcb and FibRgFcLcb, whose 34th pair is fcClx/lcbClx.
	p := 32
	p += 2 + 2*int(le.Uint16(doc[p:]))
	if p+2 > len(doc) {
		return ""
	}
	p += 2 + 4*int(le.Uint16(doc[p:]))
	if p+2 > len(doc) || le.Uint16(doc[p:]) < 34 {
		return ""
	}
	p += 2 + 33*8
	if p+8 > len(doc) {
		return ""
	}
	fc, lcb := int64(le.Uint32(doc[p:])), int64(le.Uint32(doc[p+4:]))
	if fc+lcb > int64(len(table)) {
		return ""
	}
	clx := table[fc : fc+lcb]
	// Prc entries (0x01, a 16-bit size, properties), then the Pcdt (0x02,
	// a 32-bit size, the PlcPcd).
	for len(clx) >= 3 && clx[0] == 0x01 {
		n := 3 + int(le.Uint16(clx[1:]))
		clx = clx[min(n, len(clx)):]
	}
	if len(clx) < 5 || clx[0] != 0x02 {
		return ""
	}
	plc := clx[5:min(len(clx), 5+int(min(uint64(le.Uint32(clx[1:])), uint64(len(clx)))))]
	pieces := (len(plc) - 4) / 12 // n+1 character positions, n 8-byte Pcds
	if pieces <= 0 {
		return ""
	}
	var w wordText
	w.limit = limit
	for i := 0; i < pieces && w.b.Len() < limit; i++ {
		cp0, cp1 := le.Uint32(plc[4*i:]), le.Uint32(plc[4*i+4:])
		if cp1 <= cp0 {
			continue
		}
		n := int64(cp1 - cp0)
		pcd := plc[4*(pieces+1)+8*i:]
		fcc := le.Uint32(pcd[2:])
		if fcc&0x40000000 != 0 { // fCompressed: 8-bit characters at fc/2
			at := int64(fcc&0x3FFFFFFF) / 2
			if at >= int64(len(doc)) {
				continue
			}
			for _, c := range doc[at:min(at+n, int64(len(doc)))] {
				if !w.add(cp1252(c)) {
					break
				}
			}
			continue
		}
		at := int64(fcc & 0x3FFFFFFF)
		for k := at; k+1 < min(at+2*n, int64(len(doc))); k += 2 {
			if !w.add(rune(le.Uint16(doc[k:]))) {
				break
			}
		}
	}
	return w.b.String()
}

// cp1252 is the character of a compressed piece's byte (MS-DOC 2.9.73:
// Windows-1252, whose undefined bytes stand for themselves).
func cp1252(c byte) rune {
	if r := charmap.Windows1252.DecodeByte(c); r != utf8.RuneError {
		return r
	}
	return rune(c)
}

// wordText collects a Word document's characters as a reader sees them.
type wordText struct {
	b     strings.Builder
	limit int
	field []bool // open fields: true while in the instruction
}

func (w *wordText) add(r rune) bool {
	switch r {
	case 0x13: // field begin: its instruction follows
		if len(w.field) < 64 {
			w.field = append(w.field, true)
		}
		return true
	case 0x14: // field separator: its result follows
		if n := len(w.field); n > 0 {
			w.field[n-1] = false
		}
		return true
	case 0x15: // field end
		if n := len(w.field); n > 0 {
			w.field = w.field[:n-1]
		}
		return true
	}
	for _, in := range w.field {
		if in {
			return true
		}
	}
	switch {
	case r == 0x0D || r == 0x07 || r == 0x0B || r == 0x0C:
		w.b.WriteByte('\n')
	case r == 0x09 || r == 0xA0:
		w.b.WriteByte(' ')
	case r == 0x1E:
		w.b.WriteByte('-')
	case r < 0x20 || r == 0x1F || r >= 0xD800 && r < 0xE000:
	default:
		w.b.WriteRune(r)
	}
	return w.b.Len() < w.limit
}

// BIFF8 records that hold a worksheet's text.
const (
	biffContinue = 0x003C
	biffSST      = 0x00FC
	biffLabel    = 0x0204
	biffString   = 0x0207 // a string formula's cached result
	biffTxO      = 0x01B6 // a text box; its text in the CONTINUE after it
)

// XLSText is the text of a BIFF8 Workbook stream (MS-XLS): the shared
// strings (SST, read across its CONTINUE records), then each sheet's
// inline strings (LABEL), string formulas' cached results (STRING) and
// text boxes (TXO), a line each. An encrypted workbook has no text here.
func XLSText(b []byte, limit int) string {
	return xlsText(b, limit, false)
}

// XLSDecryptedText is XLSText of a Workbook stream unpack decrypted
// ("Workbook (decrypted)"), whose FILEPASS record stays as it was.
func XLSDecryptedText(b []byte, limit int) string {
	return xlsText(b, limit, true)
}

func xlsText(b []byte, limit int, decrypted bool) string {
	le := binary.LittleEndian
	var out strings.Builder
	line := func(s string) {
		if s != "" && out.Len() < limit {
			out.WriteString(cutUTF8(s, limit-out.Len()))
			out.WriteByte('\n')
		}
	}
	var segs [][]byte // the record being read, and its CONTINUE records
	kind := 0
	flush := func() {
		r := &biffText{segs: segs}
		switch kind {
		case biffSST:
			r.skip(8) // cstTotal, cstUnique
			for n := 0; n < maxBIFFRecords && !r.done() && out.Len() < limit; n++ {
				line(r.richString())
			}
		case biffTxO:
			// The text is in the first CONTINUE: a flags byte, the characters.
			if len(segs) >= 2 && len(segs[0]) >= 12 {
				cch := int(le.Uint16(segs[0][10:]))
				t := &biffText{segs: segs[1:2]}
				wide := t.byte()&1 != 0
				line(t.chars(cch, wide))
			}
		}
		segs, kind = nil, 0
	}
	for p, n := 0, 0; p+4 <= len(b) && n < maxBIFFRecords && out.Len() < limit; n++ {
		id := le.Uint16(b[p:])
		size := min(int(le.Uint16(b[p+2:])), len(b)-p-4)
		data := b[p+4 : p+4+size]
		p += 4 + size
		if id == biffContinue && kind != 0 {
			segs = append(segs, data)
			continue
		}
		flush()
		switch id {
		case biffFilePass:
			if !decrypted {
				return ""
			}
		case biffSST, biffTxO:
			kind, segs = int(id), [][]byte{data}
		case biffLabel, biffString:
			if id == biffLabel {
				data = data[min(6, len(data)):] // row, column, format
			}
			if len(data) >= 3 {
				r := &biffText{segs: [][]byte{data[2:]}}
				wide := r.byte()&1 != 0
				line(r.chars(int(le.Uint16(data)), wide))
			}
		}
	}
	flush()
	return out.String()
}

// sstStrings reads a shared string table (an SST record's data and its
// CONTINUE records'), at most max strings.
func sstStrings(segs [][]byte, max int) []string {
	r := &biffText{segs: segs}
	r.skip(8) // cstTotal, cstUnique
	var out []string
	for n := 0; n < max && !r.done(); n++ {
		out = append(out, r.richString())
	}
	return out
}

// biffText reads strings from a record and the CONTINUE records after it:
// a string's characters may go on in the next record, which then starts
// with a new flags byte (MS-XLS 2.1.7.1).
type biffText struct {
	segs [][]byte
	i    int // segment
	off  int // offset in it
}

func (r *biffText) done() bool {
	for r.i < len(r.segs) && r.off >= len(r.segs[r.i]) {
		r.i, r.off = r.i+1, 0
	}
	return r.i >= len(r.segs)
}

func (r *biffText) byte() byte {
	if r.done() {
		return 0
	}
	c := r.segs[r.i][r.off]
	r.off++
	return c
}

func (r *biffText) skip(n int) {
	for n > 0 && !r.done() {
		k := min(n, len(r.segs[r.i])-r.off)
		r.off += k
		n -= k
	}
}

func (r *biffText) u16() int { return int(r.byte()) | int(r.byte())<<8 }

// chars reads cch characters, 8-bit or UTF-16, taking a new flags byte at
// each record boundary.
func (r *biffText) chars(cch int, wide bool) string {
	var b strings.Builder
	for k := 0; k < cch && !r.done(); k++ {
		if r.off == 0 && r.i > 0 {
			wide = r.byte()&1 != 0
			if r.done() {
				break
			}
		}
		c := rune(r.byte())
		if wide {
			c |= rune(r.byte()) << 8
		}
		if c >= 0xD800 && c < 0xE000 || c < 0x20 && c != '\n' && c != '\t' {
			c = ' '
		}
		b.WriteRune(c)
	}
	return b.String()
}

// richString reads an XLUnicodeRichExtendedString: its characters, then
// past its formatting runs and phonetic block.
func (r *biffText) richString() string {
	cch := r.u16()
	flags := r.byte()
	runs, ext := 0, 0
	if flags&0x08 != 0 {
		runs = r.u16()
	}
	if flags&0x04 != 0 {
		ext = r.u16() | r.u16()<<16
	}
	s := r.chars(cch, flags&1 != 0)
	r.skip(4*runs + min(ext, 1<<24))
	return s
}

// PowerPoint 97-2003 text atoms and the containers that hold slide text.
const (
	pptTextChars   = 0x0FA0 // UTF-16
	pptTextBytes   = 0x0FA8 // the low bytes of UTF-16
	pptMainMaster  = 0x03F8
	pptSlideListWT = 0x0FF0
)

// PPTText is the text of a PowerPoint Document stream (MS-PPT): its text
// atoms (TextCharsAtom, TextBytesAtom) in stream order, a line each, those
// of the masters (their placeholders' prompts) left out.
func PPTText(stream []byte, limit int) string {
	le := binary.LittleEndian
	var out strings.Builder
	// Top-level records one by one: a main master is skipped whole; in
	// the document, the slide list of the masters (instance 1) is.
	for p, n := 0, 0; p+8 <= len(stream) && n < maxPPTRecords && out.Len() < limit; n++ {
		typ := le.Uint16(stream[p+2:])
		end := p + 8 + int(min(uint64(le.Uint32(stream[p+4:])), uint64(len(stream)-p-8)))
		if typ != pptMainMaster {
			pptRecords(stream[p:end], func(r pptRecord) error {
				if r.typ != pptTextChars && r.typ != pptTextBytes || r.parent == 1 && typ != 0x03EE {
					return nil
				}
				body := stream[p+r.start : p+r.end]
				s := ""
				if r.typ == pptTextChars {
					s = message.UTF16LE(body)
				} else {
					s = latin1(body)
				}
				s = strings.Map(func(c rune) rune {
					switch {
					case c == '\r' || c == 0x0B:
						return '\n'
					case c < 0x20 && c != '\n' && c != '\t':
						return -1
					}
					return c
				}, s)
				out.WriteString(cutUTF8(s, limit-out.Len()))
				out.WriteByte('\n')
				if out.Len() >= limit {
					return errEnoughText
				}
				return nil
			})
		}
		p = end
	}
	return out.String()
}

var errEnoughText = errors.New("enough text")

// cutUTF8 is s cut to at most n bytes, never inside a character.
func cutUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	n = max(n, 0)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
