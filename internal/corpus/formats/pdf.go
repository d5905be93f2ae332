package formats

import (
	"bytes"
	"compress/zlib"
	"encoding/ascii85"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/adler32"
	"regexp"
	"strconv"
	"strings"
)

// PDF files and the stream encodings of ISO 32000-1 7.4, written by hand so
// that every filter a reader applies can be put in front of a payload.

// PDF is a small PDF with a correct cross-reference table. objs are the
// bodies of objects 1..n; object 1 must be the catalog.
func PDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// PDFStream is the body of a stream object: dict (without << >>) and the
// already encoded data.
func PDFStream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// PDFFlate is a stream object of data deflated (Zlib: the same bytes on
// every Go version), dict's entries with its /Length and /Filter.
func PDFFlate[T string | []byte](dict string, data T) string {
	z := Zlib([]byte(data))
	return fmt.Sprintf("<< %s /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", dict, len(z), z)
}

// Zlib is a zlib stream of stored deflate blocks: the same bytes on every
// Go version.
func Zlib(data []byte) []byte {
	out := append([]byte{0x78, 0x01}, StoredDeflate(data)...)
	return binary.BigEndian.AppendUint32(out, adler32.Checksum(data))
}

// StoredDeflate is a deflate stream of uncompressed blocks (RFC 1951
// 3.2.4): the same bytes on every Go version, for the committed corpus.
func StoredDeflate(data []byte) []byte {
	var out []byte
	for {
		n := min(len(data), 0xFFFF)
		final := byte(0)
		if n == len(data) {
			final = 1
		}
		out = append(out, final)
		out = binary.LittleEndian.AppendUint16(out, uint16(n))
		out = binary.LittleEndian.AppendUint16(out, ^uint16(n))
		out = append(out, data[:n]...)
		data = data[n:]
		if final == 1 {
			return out
		}
	}
}

// ZlibDeflated is a zlib stream compressed by Go's compress/zlib, for tests
// that need real compression (its bytes may change with the Go version:
// the committed corpus uses Zlib).
func ZlibDeflated(data []byte) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// LZW is LZWDecode's encoding: 8-bit symbols, codes from 9 to 12 bits,
// most significant bit first, a clear code first and an end code last.
// earlyChange is the filter's EarlyChange parameter (1, the default:
// widths grow one code early, as in TIFF). The code width follows a
// decoder's own state, so the two cannot drift apart.
func LZW(data []byte, earlyChange bool) []byte {
	const clear, eod = 256, 257
	early := 0
	if earlyChange {
		early = 1
	}
	var out []byte
	var acc uint32
	var nbits uint
	// What a decoder knows: its code width, its next entry, when to widen.
	width, dHi, dOverflow := uint(9), eod, 512
	emit := func(code int) {
		acc |= uint32(code) << (32 - width - nbits)
		nbits += width
		for nbits >= 8 {
			out = append(out, byte(acc>>24))
			acc <<= 8
			nbits -= 8
		}
		switch code {
		case clear:
			width, dHi, dOverflow = 9, eod, 512
		case eod:
		default:
			dHi++
			if dHi+early >= dOverflow {
				if width == 12 {
					dHi--
				} else {
					width++
					dOverflow <<= 1
				}
			}
		}
	}
	dict := map[string]int{}
	hi := eod
	emit(clear)
	if len(data) > 0 {
		cur, start := int(data[0]), 0
		for i := 1; i < len(data); i++ {
			key := string(data[start : i+1])
			if code, ok := dict[key]; ok {
				cur = code
				continue
			}
			emit(cur)
			if hi >= 4000 { // well before 12 bits run out: start afresh
				emit(clear)
				dict, hi = map[string]int{}, eod
			} else {
				hi++
				dict[key] = hi
			}
			cur, start = int(data[i]), i
		}
		emit(cur)
	}
	emit(eod)
	if nbits > 0 {
		out = append(out, byte(acc>>24))
	}
	return out
}

// RunLength is RunLengthDecode's encoding: runs of 3 or more equal bytes
// repeated, the rest copied, 128 at the end.
func RunLength(data []byte) []byte {
	var out []byte
	for i := 0; i < len(data); {
		run := 1
		for i+run < len(data) && run < 128 && data[i+run] == data[i] {
			run++
		}
		if run >= 3 {
			out = append(out, byte(257-run), data[i])
			i += run
			continue
		}
		j := i
		for j < len(data) && j-i < 128 && !(j+2 < len(data) && data[j] == data[j+1] && data[j] == data[j+2]) {
			j++
		}
		out = append(out, byte(j-i-1))
		out = append(out, data[i:j]...)
		i = j
	}
	return append(out, 128)
}

// ASCIIHex is ASCIIHexDecode's encoding, in lines, ended by '>'.
func ASCIIHex(data []byte) []byte {
	h := hex.EncodeToString(data)
	var out []byte
	for len(h) > 64 {
		out = append(out, h[:64]+"\n"...)
		h = h[64:]
	}
	return append(out, h+">"...)
}

// ASCII85 is ASCII85Decode's encoding with its "<~" and "~>" marks.
func ASCII85(data []byte) []byte {
	out := make([]byte, ascii85.MaxEncodedLen(len(data)))
	n := ascii85.Encode(out, data)
	return append(append([]byte("<~"), out[:n]...), "~>"...)
}

// PDFASCII85 is ASCII85Decode's encoding as PDF writers write it: the
// "~>" end mark only (poppler shows nothing of a stream that begins "<~").
func PDFASCII85(data []byte) []byte {
	return bytes.TrimPrefix(ASCII85(data), []byte("<~"))
}

// PNGUp is data as rows of columns bytes, each with PNG filter 2 (Up) in
// front: what /Predictor 12 /Columns columns undoes.
func PNGUp(data []byte, columns int) []byte {
	var out []byte
	prev := make([]byte, columns)
	for i := 0; i < len(data); i += columns {
		row := make([]byte, columns)
		copy(row, data[i:])
		out = append(out, 2)
		for j := range row {
			out = append(out, row[j]-prev[j])
		}
		prev = row
	}
	return out
}

// EscapeName writes every letter of a PDF name as #xx, as a reader still
// reads it: "/FlateDecode" becomes "/#46#6C#61...".
func EscapeName(name string) string {
	var b bytes.Buffer
	b.WriteByte('/')
	for i := 0; i < len(name); i++ {
		fmt.Fprintf(&b, "#%02X", name[i])
	}
	return b.String()
}

var (
	pdfAnyLength   = regexp.MustCompile(`/Length \d+`)
	pdfFlateParams = regexp.MustCompile(`/DecodeParms (<<[^>]*>>)`)
)

// WrapPDFStream puts one more filter in front of stream object num of a
// PDF written by PDF, a FlateDecode one: its data becomes encode(data)
// under /Filter [/filter /FlateDecode], a DecodeParms dictionary moves to
// the Flate filter's place. The rest of the file is written again.
func WrapPDFStream(pdf []byte, num int, filter string, encode func([]byte) []byte) []byte {
	bodies := PDFObjectBodies(pdf)
	b := bodies[num-1]
	at, end := strings.Index(b, "\nstream\n"), strings.LastIndex(b, "\nendstream")
	head, data := b[:at], encode([]byte(b[at+len("\nstream\n"):end]))
	if !strings.Contains(head, "/Filter /FlateDecode") {
		panic("formats: WrapPDFStream wants a FlateDecode stream")
	}
	head = strings.Replace(head, "/Filter /FlateDecode", "/Filter [/"+filter+" /FlateDecode]", 1)
	head = pdfFlateParams.ReplaceAllString(head, "/DecodeParms [null $1]")
	head = pdfAnyLength.ReplaceAllString(head, "/Length "+strconv.Itoa(len(data)))
	bodies[num-1] = head + "\nstream\n" + string(data) + "\nendstream"
	return PDF(bodies...)
}
