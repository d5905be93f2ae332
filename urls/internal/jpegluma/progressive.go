package jpegluma

import (
	"errors"
	"math/bits"
	"time"
)

// Progressive JPEGs (SOF2) spread each block's coefficients over several
// scans: the DC terms first (often without their lowest bits), then bands of
// AC terms, then refinement scans adding one bit at a time. libjpeg keeps
// every coefficient of the picture until the last scan; this keeps one row
// of MCUs. The marker walk records each scan that holds luma (its tables,
// restart interval and where its data starts) and skips its data, meeting
// its restart boundaries as libjpeg does (skipScanData); after the
// walk (at EOI, at the end of the data, at damage) every recorded scan is
// decoded a row at a time, each from its own place in the data, the row's
// coefficients dequantized and put exactly as a baseline block is. Every
// scan reads its blocks in raster order and depends on the others only
// through the coefficients, so the result is libjpeg's; the memory is one
// row of blocks (at most 4×8192 blocks of 136 bytes) whatever the height.
//
// Chroma: a scan of chroma alone is skipped whole; chroma blocks interleaved
// with luma (DC scans) are decoded only to pass over their bits.
//
// What differs from libjpeg: libjpeg smooths a picture whose lowest AC
// coefficients are not yet all known (a file cut short, a file without its
// last scans: K.8, estimating them from the neighbours' DC terms, and
// libjpeg-turbo 2.1 also blurs the DC terms of a picture that has nothing
// else); this shows such blocks as they are coded. Once luma has AC terms
// the two agree at 1/8 scale, where every AC term averages out over its
// block; a DC-only picture is blockier here than there, and a code with
// modules of 16 pixels or more reads from either.

// maxScans bounds the scans of a progressive file. libjpeg decodes any
// number (its -maxscans is off by default); encoders write about ten, a
// script of one coefficient a scan for three components about two hundred.
// Each scan that holds luma costs a step a row of blocks besides the blocks
// it reads bits for (blocks an end-of-band run or an interval out of data
// passes are passed together: progRows), so a file of thousands of tiny
// scans would cost thousands of passes over the rows: such a file is
// ErrTooManyScans, which the caller notes, not a picture read in part.
const maxScans = 256

// ErrTooManyScans is a progressive JPEG of more than maxScans scans, or a
// sequential one of more than maxScans luma scans (sequential.go).
var ErrTooManyScans = errors.New("jpegluma: JPEG of too many scans")

// coefBlock is a block's coefficients as libjpeg keeps them (16 bits,
// natural order), and which are not zero (bit k: zig-zag index k), so that
// a refinement and the dequantization visit those alone.
type coefBlock struct {
	c  [64]int16
	nz uint64
}

// set puts v at zig-zag index z.
func (b *coefBlock) set(z int, v int16) {
	b.c[unzig[z]] = v
	if v != 0 {
		b.nz |= 1 << z
	} else {
		b.nz &^= 1 << z
	}
}

// progScan is one recorded scan that holds luma, and its decoding state.
type progScan struct {
	sc        [3]scanComp
	ns        int
	ss, se    int  // spectral selection: zig-zag indices of the band
	ah, al    uint // successive approximation: the bit before, this scan's bit
	ri        int  // restart interval in force at this scan
	br        bitReader
	dc        [3]int32
	eobrun    int
	unit      int // MCUs (blocks, when the scan has one component) decoded
	total     int
	expectRST byte
	dead      bool // its data ran out for good (or was damaged)
	seq       bool // a scan of a sequential file (sequential.go)
}

// progressiveScan takes the header of a scan of a progressive file (sc its
// components, tail its Ss, Se, Ah/Al bytes) and records it when it holds
// luma; the scan's data is skipped either way.
func (d *decoder) progressiveScan(sc []scanComp, hasLuma bool, tail []byte) error {
	if d.scans > maxScans {
		return ErrTooManyScans
	}
	if !d.deadline.IsZero() && time.Now().After(d.deadline) {
		return ErrDeadline
	}
	s := &progScan{ns: len(sc), ss: int(tail[0]), se: int(tail[1]), ah: uint(tail[2] >> 4), al: uint(tail[2] & 15), ri: d.ri}
	copy(s.sc[:], sc)
	// libjpeg's checks (jdphuff.c, start_pass_phuff_decoder): failing them
	// is a fatal error to it.
	bad := s.al > 13 || s.ah != 0 && s.al != s.ah-1
	if s.ss == 0 {
		bad = bad || s.se != 0
	} else {
		bad = bad || s.ss > s.se || s.se > 63 || s.ns != 1
	}
	if bad {
		return FormatError("bad progression parameters")
	}
	for _, c := range sc {
		if s.ss == 0 && s.ah == 0 && c.dc == nil || s.ss > 0 && c.ac == nil {
			return FormatError("uninitialized Huffman table")
		}
	}
	// image/jpeg counts the restart intervals of a scan of one component
	// by interleaved MCUs (see decodeScan).
	d.goMiscounts = d.goMiscounts || s.ns == 1 && s.ri > 0 && (d.comp[0].h > 1 || d.comp[0].v > 1)
	s.total = d.scanUnits(sc)
	end := d.skipScanData(s.ri, s.total)
	// A valid scan makes a picture, even of chroma alone: libjpeg shows
	// the luma it has not been sent as mid-grey.
	d.lumaRead = true
	if !hasLuma {
		// image/jpeg carries an end-of-band run left at a scan's end into
		// the next scan (libjpeg starts each scan afresh); whether this
		// one leaves one is not known without decoding it.
		d.goDiffers = d.goDiffers || s.ss > 0
		return end
	}
	// Inconsistent successive approximation (a refinement of bits never
	// sent, a band twice) is a warning to libjpeg, which decodes the scan
	// as written; so does this. image/jpeg may refuse it or read it
	// otherwise.
	if s.ss > 0 && d.coefBits[0] < 0 {
		d.goDiffers = true
	}
	for k := s.ss; k <= s.se; k++ {
		if max(d.coefBits[k], 0) != int8(s.ah) {
			d.goDiffers = true
		}
		d.coefBits[k] = int8(s.al)
	}
	if !d.lumaLatched {
		// libjpeg latches a component's quantization table at the first
		// scan that holds it; a later DQT does not change the picture.
		for _, c := range sc {
			if c.ci == 0 {
				d.lumaQ, d.lumaLatched = *c.q, true
			}
		}
	}
	if d.sh == 3 && s.ss > 0 {
		return end // at 1/8 a block is its DC term: AC scans change nothing
	}
	s.br = bitReader{data: d.data, pos: d.scanStart}
	d.prog = append(d.prog, s)
	return end // the data's end after a scan is the end of the picture
}

// skipScanData passes over a scan's entropy-coded data, from d.pos to the
// marker libjpeg reads after it (d.pos then), without decoding it: ri is
// the scan's restart interval, units the MCUs (or blocks) it counts. At
// each restart boundary the marker is found as the decoder finds it
// (resync): a marker below SOF0 there is passed over, and after the last
// boundary it is the marker that ends the scan (libjpeg stops at it with an
// error, and a client shows the scans before). Counting restart markers
// instead would let duplicates end a scan early. A marker left in place at
// a boundary (one libjpeg reads as a marker) leaves it there for good, so
// the walk is bounded by the markers, not the boundaries. d.scanStart is
// where the data began; errShort says the data ended first.
func (d *decoder) skipScanData(ri, units int) error {
	d.scanStart = d.pos
	p := d.pos
	for k := 1; ri > 0 && k*ri < units; k++ {
		var taken bool
		p, taken = resync(d.data, p, byte(mRST0+(k-1)&7))
		if m, _, _ := nextMarker(d.data, p); !taken && (m < mRST0 || m > mRST7) {
			break
		}
	}
	_, at, _ := nextMarker(d.data, p)
	d.pos = at
	if at >= len(d.data) {
		return errShort
	}
	return nil
}

// scanUnits is how many units a scan's restart intervals count: its MCUs
// when it interleaves components, else the blocks of its one component
// (A.2; luma's sampling is the largest).
func (d *decoder) scanUnits(sc []scanComp) int {
	h0, v0 := d.comp[0].h, d.comp[0].v
	if len(sc) > 1 {
		return ((d.width + 8*h0 - 1) / (8 * h0)) * ((d.height + 8*v0 - 1) / (8 * v0))
	}
	c := d.comp[sc[0].ci]
	return ((d.width*c.h + 8*h0 - 1) / (8 * h0)) * ((d.height*c.v + 8*v0 - 1) / (8 * v0))
}

// decodeProgressive decodes the recorded scans into d.plane, a row of MCUs
// at a time.
func (d *decoder) decodeProgressive() error {
	h0, v0 := d.comp[0].h, d.comp[0].v
	mcusX := (d.width + 8*h0 - 1) / (8 * h0)
	mcusY := (d.height + 8*v0 - 1) / (8 * v0)
	blocksX, blocksY := (d.width+7)/8, (d.height+7)/8
	n := 8 >> d.sh
	d.stride = d.width >> d.sh
	outH := d.height >> d.sh
	d.plane = make([]byte, d.stride*outH)
	cols := mcusX * h0 // blocks a row of the buffer, padding included
	row := make([]coefBlock, cols*v0)
	for _, s := range d.prog {
		s.expectRST = mRST0
	}
	var blk [64]int64
	for my := 0; my < mcusY; my++ {
		if !d.deadline.IsZero() && time.Now().After(d.deadline) {
			return ErrDeadline
		}
		clear(row)
		for _, s := range d.prog {
			if s.dead {
				continue
			}
			first, last := my*mcusX, (my+1)*mcusX
			if s.ns == 1 {
				first, last = my*v0*blocksX, min((my+1)*v0, blocksY)*blocksX
			}
			d.progRows(s, row, cols, my*v0, blocksX, mcusX, first, last)
		}
		for by := 0; by < v0; by++ {
			y := (my*v0 + by) * n
			if y >= outH {
				break
			}
			for bx := 0; bx*n < d.stride; bx++ {
				rows, cs := d.dequantize(&row[by*cols+bx], &blk)
				x := bx * n
				put(d.sh, &blk, rows, cs, d.plane[y*d.stride+x:], d.stride, min(n, d.stride-x), min(n, outH-y))
			}
		}
	}
	for _, s := range d.prog {
		d.goDiffers = d.goDiffers || s.eobrun > 0 // see progressiveScan
	}
	return nil
}

// progRows decodes units first..last-1 of scan s (MCUs, or blocks when the
// scan has one component) into row, the buffer of block rows from by0.
func (d *decoder) progRows(s *progScan, row []coefBlock, cols, by0, blocksX, mcusX, first, last int) {
	d.br = s.br
	defer func() {
		d.goDiffers = d.goDiffers || d.br.bad
		s.br = d.br
	}()
	h0 := d.comp[0].h
	for u := first; u < last; u++ {
		d.steps++
		// The units left in this restart interval and this row: those a
		// step may pass at once.
		lim := last
		if s.ri > 0 {
			lim = min(lim, u+s.ri-s.unit%s.ri)
		}
		// Once a scan's data ran out, libjpeg decodes no more of it up to
		// the next restart: its blocks keep what earlier scans gave them.
		if skip := d.br.short(); skip || d.br.bad {
			d.goDiffers = true
			// The scan's own interval: a DRI after it does not count.
			if skip && d.greyForGood(s.ri) {
				s.dead = true
				return
			}
			if skip {
				// Up to the interval's last unit at once: a few bytes of
				// restart markers would otherwise cost a step a block.
				s.unit += lim - 1 - u
				u = lim - 1
			}
		}
		if !d.br.short() {
			if n := d.eobPass(s, row, cols, by0, blocksX, u, lim); n > 0 {
				s.unit += n - 1
				u += n - 1
			} else if err := d.progUnit(s, row, cols, by0, blocksX, mcusX, h0, u); err != nil {
				// A symbol libjpeg cannot take: the scan ends here,
				// what it gave so far stays.
				d.goDiffers, s.dead = true, true
				return
			}
		}
		s.unit++
		if s.ri > 0 && s.unit%s.ri == 0 && s.unit < s.total {
			d.restart(s.expectRST)
			s.expectRST = mRST0 + (s.expectRST-mRST0+1)&7
			s.dc, s.eobrun = [3]int32{}, 0
		}
	}
}

// eobPass passes the blocks u.. (before lim) of an AC scan that its
// end-of-band run covers and that read no bits: in a first scan every such
// block, in a refinement those without a non-zero term in the band (the
// others take correction bits: progUnit reads them). It returns how many it
// passed, so that an end-of-band run of 32767 blocks, two bytes, costs a
// step and not 32767.
func (d *decoder) eobPass(s *progScan, row []coefBlock, cols, by0, blocksX, u, lim int) int {
	if s.ns != 1 || s.ss == 0 || s.eobrun == 0 {
		return 0
	}
	n := min(s.eobrun, lim-u)
	if s.ah != 0 {
		band := below(s.se+1) >> s.ss << s.ss
		for k := 0; k < n; k++ {
			v := u + k
			if row[(v/blocksX-by0)*cols+v%blocksX].nz&band != 0 {
				n = k
				break
			}
		}
	}
	s.eobrun -= n
	return n
}

// progUnit decodes unit u of scan s.
func (d *decoder) progUnit(s *progScan, row []coefBlock, cols, by0, blocksX, mcusX, h0, u int) error {
	if s.seq {
		return d.seqUnit(s, row, cols, by0, blocksX, mcusX, h0, u)
	}
	if s.ns == 1 {
		b := &row[(u/blocksX-by0)*cols+u%blocksX]
		switch {
		case s.ss > 0 && s.ah == 0:
			return d.acFirst(s, b)
		case s.ss > 0:
			return d.acRefine(s, b)
		case s.ah == 0:
			return d.dcFirst(s, 0, b)
		}
		return d.dcRefine(s, b)
	}
	for i := 0; i < s.ns; i++ {
		ci := s.sc[i].ci
		c := &d.comp[ci]
		for j := 0; j < c.h*c.v; j++ {
			var b *coefBlock
			if ci == 0 {
				b = &row[(j/h0)*cols+(u%mcusX)*h0+j%h0]
			}
			var err error
			if s.ah == 0 {
				err = d.dcFirst(s, i, b)
			} else {
				err = d.dcRefine(s, b)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// dcFirst reads the DC term of a block (b nil: a chroma block, its bits
// passed over) in a first DC scan: libjpeg keeps it shifted by Al in 16 bits.
func (d *decoder) dcFirst(s *progScan, i int, b *coefBlock) error {
	if err := d.addDCDiff(s, i); err != nil {
		return err
	}
	if b != nil {
		b.set(0, int16(uint32(s.dc[i])<<s.al))
	}
	return nil
}

// addDCDiff reads a block's DC difference in a progressive or sequential
// scan of several and adds it to the component's running DC term.
func (d *decoder) addDCDiff(s *progScan, i int) error {
	t, err := d.br.symbol(s.sc[i].dc)
	if err != nil {
		return err
	}
	if t > 16 {
		return FormatError("excessive DC component")
	}
	diff, err := d.br.receiveExtend(t)
	if err != nil {
		return err
	}
	s.dc[i] += diff
	return nil
}

// dcRefine adds the next bit of the DC term: one bit a block, no code.
func (d *decoder) dcRefine(s *progScan, b *coefBlock) error {
	if d.br.bit() == 1 && b != nil {
		b.set(0, b.c[0]|1<<s.al)
	}
	return nil
}

// bit reads one bit (past the data's end a zero, as bits does).
func (b *bitReader) bit() uint64 {
	if b.n < 1 {
		b.fill()
	}
	v := b.acc >> 63
	b.acc <<= 1
	b.n--
	return v
}

// A run past the band's end may carry the zig-zag index k up to 63+15:
// libjpeg writes such a term to the last coefficient (its
// jpeg_natural_order ends with 16 more 63s), and so does this (min(k, 63)).

// acFirst reads a block's band of AC terms in a first AC scan (G.1.2.2),
// as libjpeg's decode_mcu_AC_first does.
func (d *decoder) acFirst(s *progScan, b *coefBlock) error {
	if s.eobrun > 0 {
		s.eobrun--
		return nil
	}
	ac := s.sc[0].ac
	for k := s.ss; k <= s.se; k++ {
		rs, err := d.br.symbol(ac)
		if err != nil {
			return err
		}
		r, size := int(rs>>4), rs&15
		if size != 0 {
			k += r
			if k > s.se {
				d.goDiffers = true // libjpeg writes it past the band, image/jpeg refuses
			}
			v, err := d.br.receiveExtend(size)
			if err != nil {
				return err
			}
			b.set(min(k, 63), int16(uint32(v)<<s.al))
			continue
		}
		if r == 15 {
			k += 15
			continue
		}
		run := 1 << r
		if r > 0 {
			e, err := d.br.bits(r)
			if err != nil {
				return err
			}
			run += int(e)
		}
		s.eobrun = run - 1
		break
	}
	return nil
}

// acRefine adds the next bit of a block's band of AC terms (G.1.2.3), as
// libjpeg's decode_mcu_AC_refine does: a correction bit for each term
// already non-zero, and new terms of ±1<<Al among the zero ones.
func (d *decoder) acRefine(s *progScan, b *coefBlock) error {
	p1 := int16(1) << s.al
	k := s.ss
	band := below(s.se + 1)
	if s.eobrun == 0 {
		ac := s.sc[0].ac
		for ; k <= s.se; k++ {
			rs, err := d.br.symbol(ac)
			if err != nil {
				return err
			}
			r, size := int(rs>>4), rs&15
			var v int16
			if size != 0 {
				if size != 1 {
					d.goDiffers = true // libjpeg warns and takes it as 1
				}
				v = p1
				if d.br.bit() == 0 {
					v = -p1
				}
			} else if r != 15 {
				s.eobrun = 1 << r
				if r > 0 {
					e, err := d.br.bits(r)
					if err != nil {
						return err
					}
					s.eobrun += int(e)
				}
				break
			}
			// Pass the non-zero terms (each takes a correction bit) and r
			// zero ones; the new term goes on the zero after them (or past
			// the band when there are too few).
			zeros := ^b.nz >> k << k & band
			for ; r > 0 && zeros != 0; r-- {
				zeros &= zeros - 1
			}
			next := s.se + 1
			if zeros != 0 {
				next = bits.TrailingZeros64(zeros)
			}
			d.correctAll(b, b.nz>>k<<k&below(next), p1)
			k = next
			if v != 0 {
				if k > s.se {
					d.goDiffers = true
				}
				b.set(min(k, 63), v)
			}
		}
	}
	if s.eobrun > 0 {
		// The rest of the band after an end of band: the non-zero terms
		// still take their correction bits.
		d.correctAll(b, b.nz>>k<<k&band, p1)
		s.eobrun--
	}
	return nil
}

// correctAll reads the correction bits of b's non-zero terms in the set
// nz, in zig-zag order: a 1 adds p1 to the term's magnitude, unless that
// bit is set already.
func (d *decoder) correctAll(b *coefBlock, nz uint64, p1 int16) {
	for ; nz != 0; nz &= nz - 1 {
		if d.br.bit() == 0 {
			continue
		}
		c := &b.c[unzig[bits.TrailingZeros64(nz)]]
		if *c&p1 != 0 {
			continue
		}
		if *c >= 0 {
			*c += p1
		} else {
			*c -= p1
		}
	}
}

// below is the set of zig-zag indices under n (0 to 64).
func below(n int) uint64 {
	if n >= 64 {
		return ^uint64(0)
	}
	return 1<<n - 1
}

// dequantize turns a block's coefficients (natural order) into put's input,
// as readBlock does a baseline block's: the highest row and column holding a
// term, and a block beyond what an encoder writes marked wild.
func (d *decoder) dequantize(b *coefBlock, blk *[64]int64) (rows, cols int) {
	*blk = [64]int64{}
	var sum int64
	for nz := b.nz; nz != 0; nz &= nz - 1 {
		z := bits.TrailingZeros64(nz)
		k := int(unzig[z])
		x := b.c[k]
		q := d.lumaQ[z]
		v := int64(x) * int64(q)
		if v > maxCoef || v < -maxCoef {
			v, d.wild, d.wrapped = dequant(int32(x), q), true, true
		}
		sum += abs(v)
		if k == 0 || d.sh < 3 {
			blk[k] = v
			rows, cols = max(rows, k>>3), max(cols, k&7)
		}
	}
	if sum > wildSum {
		d.wild = true
	}
	return rows, cols
}
