package unpack

import (
	"errors"
	"fmt"
	"io"
)

// The LZ77 and static Huffman coding LHA's -lh5-, -lh6- and -lh7- methods
// use, and ARJ's methods 1 to 3 (the same coder with another window), and
// ARJ's method 4 ("fastest": LZ77 with plain variable-length codes). Our own
// decoder, from the formats as LHA and ARJ's documents and sources describe
// them. It works in a 64 KiB ring, so memory is fixed whatever the
// headers say; the output is what the member's header declares, and the
// caller's read limits count it.

const (
	lzhNC     = 256 + 256 + 2 - 3 // literals, match lengths 3 to 256
	lzhNT     = 16 + 3            // code lengths 0 to 16 and three run codes
	lzhCBit   = 9
	lzhTBit   = 5
	lzhWindow = 1 << 16
	// lzhMaxOver is how far past the packed data the decoder reads as
	// zeros before calling the data cut short: a stream's last code may
	// end in the bits of a byte the writer did not flush.
	lzhMaxOver = 4
)

var errLzhData = errors.New("bad compressed data")

// lzBits reads bits most significant first, zeros past the end.
type lzBits struct {
	b    []byte
	pos  int
	buf  uint64
	n    uint // bits in buf
	over int  // bytes read past the end
}

func (r *lzBits) peek(n uint) uint32 {
	for r.n < n {
		var c byte
		if r.pos < len(r.b) {
			c = r.b[r.pos]
		} else {
			r.over++
		}
		r.pos++
		r.buf = r.buf<<8 | uint64(c)
		r.n += 8
	}
	return uint32(r.buf>>(r.n-n)) & (1<<n - 1)
}

func (r *lzBits) get(n uint) int {
	v := r.peek(n)
	r.n -= n
	return int(v)
}

// lzHuff is a canonical Huffman code (codes of each length in symbol
// order, as LHA's make_table assigns them), or one symbol sent in no bits.
type lzHuff struct {
	single int // the symbol of a zero-bit code, or -1
	count  [17]uint16
	syms   []uint16 // by code length, then symbol
	fast   []int32  // lzFastBits-bit lookup: symbol<<5 | length, or -1 for longer codes
}

const lzFastBits = 10

// build makes the code for lengths; every code must be used exactly
// (LHA and ARJ refuse a table that is over- or under-subscribed).
func (h *lzHuff) build(lens []uint8) error {
	h.single = -1
	h.count = [17]uint16{}
	for _, l := range lens {
		h.count[l]++
	}
	h.count[0] = 0
	left := 1
	for l := 1; l <= 16; l++ {
		left = left<<1 - int(h.count[l])
		if left < 0 {
			return fmt.Errorf("%w: over-subscribed Huffman table", errLzhData)
		}
	}
	if left != 0 {
		return fmt.Errorf("%w: incomplete Huffman table", errLzhData)
	}
	var offs [18]int
	for l := 1; l <= 16; l++ {
		offs[l+1] = offs[l] + int(h.count[l])
	}
	h.syms = h.syms[:0]
	h.syms = append(h.syms, make([]uint16, offs[17])...)
	for s, l := range lens {
		if l != 0 {
			h.syms[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	if h.fast == nil {
		h.fast = make([]int32, 1<<lzFastBits)
	}
	for i := range h.fast {
		h.fast[i] = -1
	}
	code, idx := 0, 0
	for l := 1; l <= lzFastBits; l++ {
		for range int(h.count[l]) {
			first := code << (lzFastBits - l)
			for j := range 1 << (lzFastBits - l) {
				h.fast[first+j] = int32(h.syms[idx])<<5 | int32(l)
			}
			code++
			idx++
		}
		code <<= 1
	}
	return nil
}

// setSingle makes the code of one symbol sent in no bits.
func (h *lzHuff) setSingle(sym, n int) error {
	if sym >= n {
		return fmt.Errorf("%w: symbol %d of %d", errLzhData, sym, n)
	}
	h.single = sym
	return nil
}

func (h *lzHuff) decode(r *lzBits) int {
	if h.single >= 0 {
		return h.single
	}
	if e := h.fast[r.peek(lzFastBits)]; e >= 0 {
		r.n -= uint(e & 31)
		return int(e >> 5)
	}
	// A longer code: canonical decoding a bit at a time (puff's way).
	code, first, idx := 0, 0, 0
	for l := 1; l <= 16; l++ {
		code |= r.get(1)
		n := int(h.count[l])
		if code-first < n {
			return int(h.syms[idx+code-first])
		}
		idx += n
		first = (first + n) << 1
		code <<= 1
	}
	return 0 // unreachable for a complete code
}

// lzDecoder decodes one member as an io.Reader.
type lzDecoder struct {
	br     lzBits
	fast   bool // ARJ method 4
	np     int  // position codes
	pbit   uint // bits of the position code count
	left   int64
	done   int64 // bytes produced
	win    []byte
	wpos   int
	mLen   int // match bytes still to copy
	mDist  int
	block  int // symbols left in this Huffman block
	c, t   lzHuff
	p      lzHuff
	lens   [lzhNC]uint8
	broken error
}

// newLzDecoder decodes size bytes from packed. np is the number of
// position codes of the method (14 for -lh4- and -lh5-, 16 for -lh6-, 17
// for -lh7- and ARJ); fast selects ARJ's method 4.
func newLzDecoder(packed []byte, size int64, np int, fast bool) *lzDecoder {
	d := &lzDecoder{br: lzBits{b: packed}, fast: fast, left: size, win: make([]byte, lzhWindow), np: np, pbit: 4}
	if np > 14 {
		d.pbit = 5
	}
	return d
}

func (d *lzDecoder) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && d.left > 0 {
		if d.mLen == 0 {
			if err := d.next(); err != nil {
				d.broken = err
				return n, err
			}
			if d.mLen == 0 {
				continue // a literal was written to the window
			}
		}
		// Copy from the match while it lasts and p has room.
		for d.mLen > 0 && n < len(p) && d.left > 0 {
			c := d.win[(d.wpos-d.mDist)&(lzhWindow-1)]
			d.put(c)
			p[n] = c
			n++
			d.mLen--
		}
	}
	if d.left == 0 {
		return n, io.EOF
	}
	return n, nil
}

// put appends c to the window.
func (d *lzDecoder) put(c byte) {
	d.win[d.wpos] = c
	d.wpos = (d.wpos + 1) & (lzhWindow - 1)
	d.left--
	d.done++
}

// next decodes one literal (as a match of length 1 from distance 0 after
// writing it, so Read copies it out) or one match.
func (d *lzDecoder) next() error {
	if d.broken != nil {
		return d.broken
	}
	if d.br.over > lzhMaxOver {
		return io.ErrUnexpectedEOF
	}
	var c, dist int
	if d.fast {
		c, dist = d.nextFast()
	} else {
		if d.block == 0 {
			if err := d.readBlock(); err != nil {
				return err
			}
		}
		d.block--
		c = d.c.decode(&d.br)
		if c >= 256 {
			j := d.p.decode(&d.br)
			if j > 1 {
				j = 1<<(j-1) + d.br.get(uint(j-1))
			}
			dist = j
		}
	}
	if c < 256 {
		// A literal: write it to the window and let Read copy it back out.
		d.win[d.wpos] = byte(c)
		d.mLen, d.mDist = 1, 0
		return nil
	}
	if int64(dist) >= d.done {
		return fmt.Errorf("%w: match %d bytes back after %d bytes", errLzhData, dist+1, d.done)
	}
	d.mLen, d.mDist = c-256+3, dist+1
	return nil
}

// nextFast decodes ARJ method 4: a length in unary-prefixed bits (0 is a
// literal of 8 bits), then a position likewise from 9 bits up.
func (d *lzDecoder) nextFast() (c, dist int) {
	n := d.fastNumber(0, 7)
	if n == 0 {
		return d.br.get(8), 0
	}
	return n - 1 + 256, d.fastNumber(9, 13)
}

func (d *lzDecoder) fastNumber(start, stop uint) int {
	plus, pwr := 0, 1<<start
	w := start
	for ; w < stop; w++ {
		if d.br.get(1) == 0 {
			break
		}
		plus += pwr
		pwr <<= 1
	}
	v := 0
	if w != 0 {
		v = d.br.get(w)
	}
	return v + plus
}

// readBlock reads a block's symbol count and its three code tables.
func (d *lzDecoder) readBlock() error {
	d.block = d.br.get(16)
	if d.block == 0 {
		d.block = 1 << 16 // LHA counts in 16 bits: 0 wraps to 65536
	}
	if err := d.readPtLen(&d.t, lzhNT, lzhTBit, 3); err != nil {
		return err
	}
	if err := d.readCLen(); err != nil {
		return err
	}
	return d.readPtLen(&d.p, d.np, d.pbit, -1)
}

// readPtLen reads the lengths of the code-length code (nn = NT, with a
// run of zeros after the third) or of the position code.
func (d *lzDecoder) readPtLen(h *lzHuff, nn int, nbit uint, special int) error {
	n := d.br.get(nbit)
	if n == 0 {
		return h.setSingle(d.br.get(nbit), nn)
	}
	if n > nn {
		return fmt.Errorf("%w: %d code lengths of %d", errLzhData, n, nn)
	}
	lens := d.lens[:nn]
	clear(lens)
	for i := 0; i < n; {
		c := d.br.get(3)
		if c == 7 {
			for d.br.get(1) == 1 {
				if c++; c > 16 {
					return fmt.Errorf("%w: code length over 16", errLzhData)
				}
			}
		}
		lens[i] = uint8(c)
		i++
		if i == special {
			for z := d.br.get(2); z > 0; z-- {
				if i >= nn {
					return fmt.Errorf("%w: zero run past the table", errLzhData)
				}
				lens[i] = 0
				i++
			}
		}
	}
	return h.build(lens)
}

// readCLen reads the lengths of the literal and length code through the
// code-length code.
func (d *lzDecoder) readCLen() error {
	n := d.br.get(lzhCBit)
	if n == 0 {
		return d.c.setSingle(d.br.get(lzhCBit), lzhNC)
	}
	if n > lzhNC {
		return fmt.Errorf("%w: %d literal code lengths of %d", errLzhData, n, lzhNC)
	}
	lens := d.lens[:lzhNC]
	clear(lens)
	for i := 0; i < n; {
		c := d.t.decode(&d.br)
		if c > 2 {
			lens[i] = uint8(c - 2)
			i++
			continue
		}
		run := 1
		switch c {
		case 1:
			run = d.br.get(4) + 3
		case 2:
			run = d.br.get(lzhCBit) + 20
		}
		if i+run > lzhNC {
			return fmt.Errorf("%w: zero run past the table", errLzhData)
		}
		i += run // lens are already zero
	}
	return d.c.build(lens)
}
