package unpack

import (
	"bufio"
	"errors"
	"io"
)

// Deflate64 (zip method 9, PKWARE's "Enhanced Deflate") is DEFLATE (RFC
// 1951) with a 64 KiB window, length code 285 taking 16 extra bits (3 to
// 65538 bytes) and distance codes 30 and 31 in use (up to 65536 bytes
// back). Windows Explorer writes it for large files and reads it, so do
// 7-Zip and WinRAR; no Go module the proxy serves reads it, so this is our
// own, small decoder. It decodes a bit at a time (one Huffman code is read
// bit by bit against the code's counts): simple, and each step bounded by
// the input; members are bounded by the walker's limits as any.

const (
	d64Window  = 1 << 16
	d64MaxBits = 15
	d64MaxLit  = 288 // literal/length symbols a header may describe (286 usable)
	d64MaxDist = 32
)

var (
	errD64Data = errors.New("deflate64: corrupt data")
	// Length codes 257..285: base and extra bits.
	d64LenBase  = [29]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 3}
	d64LenExtra = [29]uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 16}
	// Distance codes 0..31: base and extra bits.
	d64DistBase  = [32]int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577, 32769, 49153}
	d64DistExtra = [32]uint{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14}
	// The order the code length code's lengths come in.
	d64ClenOrder = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// huffman is a canonical code: how many codes of each length, and the
// symbols in code order.
type huffman struct {
	count  [d64MaxBits + 1]uint16
	symbol []uint16
}

// build makes the code from each symbol's length (0: unused). An
// over-subscribed set of lengths is refused; an incomplete one is kept
// (7-Zip reads it), and a code it leaves unassigned fails when met.
func (h *huffman) build(lengths []uint8) error {
	h.count = [d64MaxBits + 1]uint16{}
	for _, l := range lengths {
		h.count[l]++
	}
	h.count[0] = 0
	left := 1
	for l := 1; l <= d64MaxBits; l++ {
		left = left<<1 - int(h.count[l])
		if left < 0 {
			return errD64Data
		}
	}
	var offs [d64MaxBits + 2]uint16
	for l := 1; l <= d64MaxBits; l++ {
		offs[l+1] = offs[l] + h.count[l]
	}
	h.symbol = h.symbol[:0]
	h.symbol = append(h.symbol, make([]uint16, len(lengths))...)
	for s, l := range lengths {
		if l != 0 {
			h.symbol[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	return nil
}

// deflate64 is a streaming Deflate64 decoder.
type deflate64 struct {
	r       io.ByteReader
	bits    uint32 // bits not yet used, the next one lowest
	nbits   uint
	win     [d64Window]byte
	written int64 // bytes output so far; win holds the last d64Window of them
	final   bool  // the block being read is the last
	stored  int   // bytes left in a stored block
	inBlock bool  // in a Huffman-coded block
	copyLen int   // bytes of a match not yet output
	dist    int
	lit     huffman
	distH   huffman
	err     error
}

func newDeflate64(r io.Reader) io.ReadCloser {
	br, ok := r.(io.ByteReader)
	if !ok {
		br = bufio.NewReader(r)
	}
	return &deflate64{r: br}
}

func (d *deflate64) Close() error { return nil }

func (d *deflate64) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && d.err == nil {
		switch {
		case d.copyLen > 0:
			for n < len(p) && d.copyLen > 0 {
				b := d.win[(d.written-int64(d.dist))&(d64Window-1)]
				d.win[d.written&(d64Window-1)] = b
				d.written++
				p[n] = b
				n++
				d.copyLen--
			}
		case d.stored > 0:
			b, err := d.r.ReadByte()
			if err != nil {
				d.err = noEOF(err)
				break
			}
			d.put(b)
			p[n] = b
			n++
			d.stored--
		case d.inBlock:
			if b, ok := d.symbol(); ok {
				p[n] = b
				n++
			}
		case d.final:
			d.err = io.EOF
		default:
			d.header()
		}
	}
	if n > 0 {
		return n, nil // an error comes with the next call
	}
	return 0, d.err
}

func (d *deflate64) put(b byte) {
	d.win[d.written&(d64Window-1)] = b
	d.written++
}

// noEOF: input that ends inside the stream is truncated, not finished.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// need makes at least n (<= 25) bits available.
func (d *deflate64) need(n uint) bool {
	for d.nbits < n {
		b, err := d.r.ReadByte()
		if err != nil {
			d.err = noEOF(err)
			return false
		}
		d.bits |= uint32(b) << d.nbits
		d.nbits += 8
	}
	return true
}

// get reads n (<= 16) bits, the first one lowest.
func (d *deflate64) get(n uint) (int, bool) {
	if !d.need(n) {
		return 0, false
	}
	v := int(d.bits & (1<<n - 1))
	d.bits >>= n
	d.nbits -= n
	return v, true
}

// decode reads one symbol of h, a bit at a time.
func (d *deflate64) decode(h *huffman) (int, bool) {
	code, first, index := 0, 0, 0
	for l := 1; l <= d64MaxBits; l++ {
		bit, ok := d.get(1)
		if !ok {
			return 0, false
		}
		code |= bit
		count := int(h.count[l])
		if code-first < count {
			return int(h.symbol[index+code-first]), true
		}
		index += count
		first = (first + count) << 1
		code <<= 1
	}
	d.err = errD64Data // a code the lengths left unassigned
	return 0, false
}

// symbol decodes one literal/length symbol: a literal is output (ok), a
// length starts a match, 256 ends the block.
func (d *deflate64) symbol() (byte, bool) {
	s, ok := d.decode(&d.lit)
	switch {
	case !ok:
		return 0, false
	case s < 256:
		d.put(byte(s))
		return byte(s), true
	case s == 256:
		d.inBlock = false
		return 0, false
	case s > 285:
		d.err = errD64Data
		return 0, false
	}
	s -= 257
	extra, ok := d.get(d64LenExtra[s])
	if !ok {
		return 0, false
	}
	length := d64LenBase[s] + extra
	ds, ok := d.decode(&d.distH)
	if !ok {
		return 0, false
	}
	extra, ok = d.get(d64DistExtra[ds])
	if !ok {
		return 0, false
	}
	dist := d64DistBase[ds] + extra
	if int64(dist) > d.written {
		d.err = errD64Data // before the start of the output
		return 0, false
	}
	d.copyLen, d.dist = length, dist
	return 0, false
}

// header reads a block header.
func (d *deflate64) header() {
	h, ok := d.get(3)
	if !ok {
		return
	}
	d.final = h&1 != 0
	switch h >> 1 {
	case 0:
		d.bits, d.nbits = 0, 0 // to the byte boundary: the bits left are padding
		var b [4]byte
		for i := range b {
			c, err := d.r.ReadByte()
			if err != nil {
				d.err = noEOF(err)
				return
			}
			b[i] = c
		}
		n, nn := int(b[0])|int(b[1])<<8, int(b[2])|int(b[3])<<8
		if n != ^nn&0xFFFF {
			d.err = errD64Data
			return
		}
		d.stored = n
	case 1:
		d.fixed()
		d.inBlock = true
	case 2:
		if d.dynamic() {
			d.inBlock = true
		}
	default:
		d.err = errD64Data
	}
}

// fixed sets the fixed codes (RFC 1951 3.2.6; all 32 distance codes).
func (d *deflate64) fixed() {
	var l [d64MaxLit]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	_ = d.lit.build(l[:])
	var dl [d64MaxDist]uint8
	for i := range dl {
		dl[i] = 5
	}
	_ = d.distH.build(dl[:])
}

// dynamic reads the code lengths of a dynamic block.
func (d *deflate64) dynamic() bool {
	hlit, ok1 := d.get(5)
	hdist, ok2 := d.get(5)
	hclen, ok3 := d.get(4)
	if !ok1 || !ok2 || !ok3 {
		return false
	}
	nlit, ndist := hlit+257, hdist+1
	if nlit > 286 {
		d.err = errD64Data
		return false
	}
	var cl [19]uint8
	for i := 0; i < hclen+4; i++ {
		v, ok := d.get(3)
		if !ok {
			return false
		}
		cl[d64ClenOrder[i]] = uint8(v)
	}
	var clh huffman
	if err := clh.build(cl[:]); err != nil {
		d.err = err
		return false
	}
	var lengths [d64MaxLit + d64MaxDist]uint8
	for i := 0; i < nlit+ndist; {
		s, ok := d.decode(&clh)
		if !ok {
			return false
		}
		if s < 16 {
			lengths[i] = uint8(s)
			i++
			continue
		}
		var v uint8
		var rep int
		switch s {
		case 16:
			if i == 0 {
				d.err = errD64Data
				return false
			}
			v = lengths[i-1]
			r, ok := d.get(2)
			if !ok {
				return false
			}
			rep = 3 + r
		case 17:
			r, ok := d.get(3)
			if !ok {
				return false
			}
			rep = 3 + r
		default:
			r, ok := d.get(7)
			if !ok {
				return false
			}
			rep = 11 + r
		}
		if i+rep > nlit+ndist {
			d.err = errD64Data
			return false
		}
		for ; rep > 0; rep-- {
			lengths[i] = v
			i++
		}
	}
	if lengths[256] == 0 {
		d.err = errD64Data // no end-of-block code: the block could not end
		return false
	}
	if err := d.lit.build(lengths[:nlit]); err != nil {
		d.err = err
		return false
	}
	if err := d.distH.build(lengths[nlit : nlit+ndist]); err != nil {
		d.err = err
		return false
	}
	return true
}
