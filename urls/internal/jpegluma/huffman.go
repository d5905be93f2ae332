package jpegluma

import "encoding/binary"

// lookBits is how many bits one table look-up decodes: most codes of a
// photograph's tables are this short or shorter.
const lookBits = 9

// huffTable decodes one Huffman table (C.2, F.2.2.3).
type huffTable struct {
	// look is indexed by the next lookBits bits: the symbol in the low
	// byte, the code's length above it, 0 when the code is longer.
	look    [1 << lookBits]uint16
	maxCode [17]int32 // the largest code of each length, -1 when none
	valPtr  [17]int32 // index in vals of the smallest code of each length, minus that code
	vals    [256]byte
	// fastAC is indexed by the next fastBits bits, for an AC table: a
	// symbol with its coefficient's extra bits decoded too when they fit:
	// the value in the high 16 bits, fastEOB for a symbol without value
	// (end of block, or a run of 16 zeros), the run in bits 8-11, the
	// code's length in bits 4-7 and the bits used with the value in bits
	// 0-3; 0 when they do not fit.
	fastAC [1 << fastBits]int32
}

// fastBits is how many bits fastAC decodes at once: most AC codes of a
// photograph's tables and their extra bits fit.
const fastBits = 11

const fastEOB = 1 << 12

// newHuffTable builds a table from the number of codes of each length and
// the symbols in code order. A table whose codes do not fit their lengths
// (over-subscribed) is something image/jpeg decodes in its own way, so it is
// left to it.
func newHuffTable(counts [16]int, vals []byte) (*huffTable, error) {
	t := &huffTable{}
	copy(t.vals[:], vals)
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		if n == 0 {
			t.maxCode[l] = -1
		} else {
			t.valPtr[l] = k - code
			if code+n > 1<<l {
				return nil, ErrUnsupported
			}
			if l <= lookBits {
				for i := int32(0); i < n; i++ {
					c := code + i
					shift := lookBits - l
					e := uint16(l)<<8 | uint16(vals[k+i])
					for j := int32(0); j < 1<<shift; j++ {
						t.look[c<<shift|j] = e
					}
				}
			}
			code += n
			k += n
			t.maxCode[l] = code - 1
		}
		code <<= 1
	}
	for i := range t.fastAC {
		l, sym, ok := t.decodeShort(uint32(i), fastBits)
		if !ok {
			continue
		}
		r, size := int32(sym>>4), int(sym&15)
		switch {
		case size == 0:
			t.fastAC[i] = int32(l) | int32(l)<<4 | r<<8 | fastEOB
		case l+size <= fastBits:
			v := int32(i>>(fastBits-l-size)) & (1<<size - 1)
			if v < 1<<(size-1) {
				v += -1<<size + 1
			}
			t.fastAC[i] = v<<16 | r<<8 | int32(l)<<4 | int32(l+size)
		}
	}
	return t, nil
}

// decodeShort decodes the code at the top of the nb bits of c as symbol
// does, when it is no longer than nb bits: its length and symbol.
func (t *huffTable) decodeShort(c uint32, nb int) (l int, sym byte, ok bool) {
	if e := t.look[c>>(nb-lookBits)]; e != 0 {
		return int(e >> 8), byte(e), true
	}
	for l := lookBits + 1; l <= nb; l++ {
		if code := int32(c >> (nb - l)); code <= t.maxCode[l] {
			i := t.valPtr[l] + code
			return l, t.vals[i&255], i >= 0 && i <= 255
		}
	}
	return 0, 0, false
}

// bitReader reads the entropy-coded bits of a scan: 0xff 0x00 is a data
// byte 0xff, and any other 0xff pair (a marker) ends the data, as does the
// end of the input. Past the end it reads zero bits, as libjpeg does (it
// shows a truncated or damaged picture, the rest grey), and short says so.
type bitReader struct {
	data []byte
	pos  int    // next byte to load
	acc  uint64 // the bits loaded, first bit at the top
	n    int    // how many bits of acc are loaded
	end  bool   // a marker or the end of the input was reached
	pad  int    // how many of the last loaded bits are zeros past the end
	over bool   // bits past the end were read
	bad  bool   // a bit sequence that is no code was read
}

// fill loads bytes until at least 57 bits are loaded; past the data's end
// the bits are zeros.
func (b *bitReader) fill() {
	// Most of the time the next eight bytes hold no 0xff: the whole bytes
	// that fit are loaded at once, as the loop below would load them.
	if b.n <= 56 && !b.end && b.pos+8 <= len(b.data) {
		w := binary.BigEndian.Uint64(b.data[b.pos:])
		k := (64 - b.n) >> 3
		// A byte 0xff is a zero byte of ^w; false alarms (above a true
		// zero) only send it to the loop.
		if t := ^w; (t-0x0101010101010101)&^t&0x8080808080808080&(^uint64(0)<<(64-8*k)) == 0 {
			b.acc |= w >> (64 - 8*k) << (64 - 8*k - b.n)
			b.pos += k
			b.n += 8 * k
			return
		}
	}
	for b.n <= 56 {
		if b.end {
			b.over = b.short()
			b.pad = min(b.pad, b.n) + 64 - b.n
			b.n = 64
			return
		}
		if b.pos >= len(b.data) {
			b.end = true
			continue
		}
		c := b.data[b.pos]
		if c == 0xff { // 0xff, any more 0xff (fill), 0x00 is a data byte 0xff, as in libjpeg
			q := b.pos + 1
			for q < len(b.data) && b.data[q] == 0xff {
				q++
			}
			if q >= len(b.data) || b.data[q] != 0 {
				b.end = true
				continue
			}
			b.pos = q
		}
		b.pos++
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

// short says bits past the data's end were read.
func (b *bitReader) short() bool { return b.over || b.n < b.pad }

// unread says a whole byte of data was loaded and not read.
func (b *bitReader) unread() bool { return !b.short() && b.n-b.pad >= 8 }

var errBadCode = FormatError("bad Huffman code")

// symbol decodes the next symbol with t.
func (b *bitReader) symbol(t *huffTable) (byte, error) {
	if b.n < 16 {
		b.fill()
	}
	if e := t.look[b.acc>>(64-lookBits)]; e != 0 {
		l := int(e >> 8)
		if l > b.n {
			return 0, errShort
		}
		b.acc <<= l
		b.n -= l
		return byte(e), nil
	}
	// No code of lookBits or fewer is a prefix of these bits (look holds
	// them all), so the first length that matches is longer.
	for l := lookBits + 1; l <= 16; l++ {
		c := int32(b.acc >> (64 - l))
		if c <= t.maxCode[l] {
			if l > b.n {
				return 0, errShort
			}
			b.acc <<= l
			b.n -= l
			i := t.valPtr[l] + c
			if i < 0 || i > 255 {
				return 0, errBadCode
			}
			return t.vals[i], nil
		}
	}
	// No code: libjpeg warns, takes the 17 bits it read and decodes a zero
	// (jdhuff.c), and goes on: the picture shows, so this reads it too.
	if b.n < 17 {
		b.fill()
	}
	b.bad = true
	b.acc <<= 17
	b.n -= 17
	return 0, nil
}

// bits reads n (0..16) bits as an unsigned number.
func (b *bitReader) bits(n int) (uint32, error) {
	if n == 0 {
		return 0, nil
	}
	if b.n < n {
		b.fill()
		if b.n < n {
			return 0, errShort
		}
	}
	v := uint32(b.acc >> (64 - n))
	b.acc <<= n
	b.n -= n
	return v, nil
}

// receiveExtend reads an n-bit coefficient difference (F.2.2.1).
func (b *bitReader) receiveExtend(n byte) (int32, error) {
	v, err := b.bits(int(n))
	if err != nil || n == 0 {
		return 0, err
	}
	x := int32(v)
	if x < 1<<(n-1) {
		x += -1<<n + 1
	}
	return x, nil
}
