package unpack

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Unix compress (.Z), read as ncompress's uncompress reads it. The
// standard library's compress/lzw is another LZW: it knows neither the
// block mode's clear code nor compress's code groups. The stream is a
// 3-byte header (1F 9D, then the maximum code width in the low 5 bits and
// the block-mode flag in the top bit), then codes of 9 up to that many
// bits, least significant bit first. compress writes its codes in groups
// of eight (a group is as many bytes as the code is bits wide), and when
// the width grows, or a clear code (256, block mode only) sets it back to
// 9 bits, the rest of the current group is padding: the reader skips to
// the group's end. The last group may stop anywhere: a code is read while
// all its bits are there.

var errLZWData = errors.New("bad compress (.Z) data")

const lzwClear = 256

// zReader decodes a .Z stream as it is read.
type zReader struct {
	in      []byte // the codes, after the header
	pos     int    // bit position in in
	origin  int    // bit position where the current code groups begin
	bits    int    // current code width
	maxbits int
	block   bool
	stay    bool // 7-Zip's reading of 9-bit streams: codes stay 9 bits wide
	maxcode int  // the table grows past it: the width grows
	limit   int  // 1 << maxbits: no entry at or past it
	free    int  // next table entry
	old     int  // previous code, -1 before the first
	fin     byte
	prefix  []uint16
	suffix  []byte
	stack   []byte // output of the last code, last byte first
	out     []byte // what Read has not yet returned
	err     error
}

func newZReader(b []byte, stay bool) (*zReader, error) {
	if len(b) < 3 || b[0] != 0x1f || b[1] != 0x9d {
		return nil, errors.New("not a compress (.Z) stream")
	}
	maxbits := int(b[2] & 0x1f)
	if maxbits < 9 || maxbits > 16 {
		// ncompress refuses more than 16; fewer than 9 no compress writes.
		return nil, fmt.Errorf("compress (.Z) stream of %d-bit codes", maxbits)
	}
	z := &zReader{in: b[3:], maxbits: maxbits, block: b[2]&0x80 != 0, stay: stay, limit: 1 << maxbits, old: -1,
		prefix: make([]uint16, 1<<maxbits), suffix: make([]byte, 1<<maxbits)}
	for i := range 256 {
		z.suffix[i] = byte(i)
	}
	z.reset()
	z.free = 256
	if z.block {
		z.free = lzwClear + 1
	}
	return z, nil
}

// reset sets the width back to 9 bits.
func (z *zReader) reset() {
	z.bits = 9
	z.maxcode = 1<<9 - 1
	if z.stay && z.maxbits == 9 {
		z.maxcode = z.limit
	}
}

// widen grows the code width by one bit. As in ncompress, the table
// stops growing the width only when the width reaches the maximum by
// growing: a 9-bit stream (compress -b9) still goes on to 10-bit codes
// once its 512 entries are made, and stays there. compress itself, and
// 7-Zip, keep such a stream at 9 bits (stay): what compress -b9 writes past
// 512 codes uncompress cannot read, and a stream can be written to mean one
// thing to each.
func (z *zReader) widen() {
	z.bits++
	z.maxcode = 1<<z.bits - 1
	if z.bits == z.maxbits {
		z.maxcode = z.limit
	}
}

// skipGroup moves to the end of the current group of eight codes.
func (z *zReader) skipGroup() {
	g := z.bits * 8
	if r := (z.pos - z.origin) % g; r != 0 {
		z.pos += g - r
	}
	z.origin = z.pos
}

func (z *zReader) Read(p []byte) (int, error) {
	for len(z.out) == 0 {
		if z.err != nil {
			return 0, z.err
		}
		z.err = z.next()
	}
	n := copy(p, z.out)
	z.out = z.out[n:]
	return n, nil
}

// next decodes one code into z.out, or returns io.EOF at the end.
func (z *zReader) next() error {
	if z.free > z.maxcode {
		z.skipGroup()
		z.widen()
	}
	if z.pos+z.bits > len(z.in)*8 {
		return io.EOF
	}
	code := z.code()
	if z.old < 0 {
		if code >= 256 {
			return fmt.Errorf("%w: first code %d is not a byte", errLZWData, code)
		}
		z.old, z.fin = code, byte(code)
		z.out = append(z.out[:0], z.fin)
		return nil
	}
	if code == lzwClear && z.block {
		// As ncompress: the entry made after the clear (256, never read
		// as one) takes the old code; nothing else is kept.
		z.free = lzwClear
		z.skipGroup()
		z.reset()
		return nil
	}
	in := code
	s := z.stack[:0]
	if code >= z.free {
		if code > z.free {
			return fmt.Errorf("%w: code %d past the table's %d entries", errLZWData, code, z.free)
		}
		s = append(s, z.fin) // KwKwK: the string just read, then its first byte
		code = z.old
	}
	for code >= 256 {
		if len(s) >= z.limit {
			return fmt.Errorf("%w: string longer than the table", errLZWData)
		}
		s = append(s, z.suffix[code])
		code = int(z.prefix[code])
	}
	z.fin = byte(code)
	s = append(s, z.fin)
	z.stack = s
	if z.free < z.limit {
		z.prefix[z.free], z.suffix[z.free] = uint16(z.old), z.fin
		z.free++
	}
	z.old = in
	// The string was built last byte first.
	out := z.out[:0]
	for i := len(s) - 1; i >= 0; i-- {
		out = append(out, s[i])
	}
	z.out = out
	return nil
}

// code reads the next code, least significant bit first.
func (z *zReader) code() int {
	i, sh := z.pos>>3, uint(z.pos&7)
	v := uint32(z.in[i])
	if i+1 < len(z.in) {
		v |= uint32(z.in[i+1]) << 8
	}
	if i+2 < len(z.in) {
		v |= uint32(z.in[i+2]) << 16
	}
	z.pos += z.bits
	return int(v>>sh) & (1<<z.bits - 1)
}

// openCompress opens a .Z stream: one member, named after the container
// (invoice.exe.Z holds invoice.exe, as uncompress saves it). A 9-bit
// stream that uncompress and 7-Zip read differently gives both readings,
// and the container is ambiguous.
func openCompress(c *container) error {
	z, err := newZReader(c.part.Content, false)
	if err != nil {
		return err
	}
	name := innerName(c.part.Filename, map[string]string{".z": "", ".taz": ".tar", ".tz": ".tar"})
	p, err := c.member(name, z, int64(len(c.part.Content)))
	if err != nil && !errors.Is(err, errStop) {
		err = fmt.Errorf("%s: %w", c.kind, err)
	}
	if z.maxbits != 9 || errors.Is(err, errStop) {
		return err
	}
	var first []byte
	if p != nil {
		first = p.Content
	}
	// Only the first len+1 bytes of 7-Zip's reading are needed to tell.
	seven, _ := newZReader(c.part.Content, true)
	other, _ := io.ReadAll(io.LimitReader(seven, int64(len(first))+1))
	if bytes.Equal(other, first) || err == nil && p != nil && c.w.noExpand[p] && bytes.HasPrefix(other, first) { // cut by a limit
		return err
	}
	c.ambiguous("a 9-bit compress stream that uncompress and 7-Zip read differently")
	seven, _ = newZReader(c.part.Content, true)
	if err2 := c.stream(name, seven); err == nil || errors.Is(err2, errStop) {
		err = err2
	}
	return err
}
