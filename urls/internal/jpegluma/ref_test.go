// The decoder as it was before its speed work (jpegluma.go, huffman.go,
// idct.go and progressive.go at commit 9f8ad9b), every package-level name
// prefixed "ref", kept as the reference the faster one must match byte for
// byte (TestSameAsReference, FuzzSameAsReference): its arithmetic is exact,
// so any difference is a bug in the new one. Generated once (comments
// dropped); changes since: restart's test for bytes left before a marker
// (goDiffers, for the tests' comparison with image/jpeg) counts whole bytes
// the bit reader loaded and did not read, so that it no longer depends on
// when the reader loads; and a scan's data is walked over as libjpeg reads
// its restart boundaries (skipScanData), and any marker libjpeg has no use
// for after a scan ends the picture; a progressive scan is resynchronised
// by its own restart interval (greyForGood), not the last DRI.

package jpegluma

import (
	"errors"
	"image"
	"math"
	"time"
)

const refMaxCoef = 1 << 12

func refDequant(c int32, q int32) int64 { return int64(int16(c * q)) }

func refDecode(data []byte, scale, maxPixels int) (*image.Gray, error) {
	return refDecodeBy(data, scale, maxPixels, time.Time{})
}

func refDecodeBy(data []byte, scale, maxPixels int, deadline time.Time) (*image.Gray, error) {
	g, _, err := refDecodeByD(data, scale, maxPixels, deadline)
	return g, err
}

func refConfig(data []byte) (w, h int, err error) {
	d := &refDecoder{data: data, configOnly: true, maxPixels: math.MaxInt}
	if _, err := d.decode(); err != nil {
		return 0, 0, err
	}
	return d.width, d.height, nil
}

func refDecodeD(data []byte, scale, maxPixels int) (*image.Gray, *refDecoder, error) {
	return refDecodeByD(data, scale, maxPixels, time.Time{})
}

func refDecodeByD(data []byte, scale, maxPixels int, deadline time.Time) (*image.Gray, *refDecoder, error) {
	sh := 0
	for 1<<sh < scale {
		sh++
	}
	if sh > 3 || 1<<sh != scale {
		return nil, nil, errors.New("jpegluma: scale must be 1, 2, 4 or 8")
	}
	d := &refDecoder{data: data, sh: sh, maxPixels: maxPixels, deadline: deadline}
	g, err := d.decode()
	return g, d, err
}

const refWildSum = 2048

type refComponent struct {
	id   byte
	h, v int
	tq   byte
}

type refDecoder struct {
	data       []byte
	pos        int
	sh         int // log2 of the scale
	maxPixels  int
	configOnly bool      // stop after the frame header (Config)
	deadline   time.Time // DecodeBy's

	sof, baseline  bool
	width, height  int
	ncomp          int
	comp           [3]refComponent
	quant          [4][64]int32 // zig-zag order
	huff           [2][4]*refHuffTable
	ri             int
	jfif           bool
	adobe          bool
	adobeTransform byte

	scans    int  // scans seen
	lumaRead bool // the scan with the luma component was decoded
	done     bool // the luma scan held every component: nothing after it counts
	plane    []byte
	stride   int

	br          refBitReader
	wild        bool // a luma block over wildSum was decoded
	goMiscounts bool
	goDiffers   bool

	progressive bool
	prog        []*refProgScan
	scanStart   int
	lumaQ       [64]int32
	coefBits    [64]int8
}

const (
	refMSOF0 = 0xc0
	refMSOF1 = 0xc1
	refMSOF2 = 0xc2
	refMDHT  = 0xc4
	refMRST0 = 0xd0
	refMRST7 = 0xd7
	refMSOI  = 0xd8
	refMEOI  = 0xd9
	refMSOS  = 0xda
	refMDQT  = 0xdb
	refMDRI  = 0xdd
	refMAPP0 = 0xe0
	refMAPPE = 0xee
	refMAPPF = 0xef
	refMCOM  = 0xfe
	refMTEM  = 0x01
	refMDNL  = 0xdc
	refMDAC  = 0xcc
)

func (d *refDecoder) nextSegment() (marker byte, stuffed bool, err error) {
	a, b, err := d.next2()
	if err != nil {
		return 0, false, err
	}
	for a != 0xff {
		if d.pos >= len(d.data) {
			return 0, false, errShort
		}
		a, b = b, d.data[d.pos]
		d.pos++
	}
	marker = b
	if marker == 0 {
		return 0, true, nil
	}
	for marker == 0xff {
		if d.pos >= len(d.data) {
			return 0, false, errShort
		}
		marker = d.data[d.pos]
		d.pos++
	}
	return marker, false, nil
}

func (d *refDecoder) next2() (byte, byte, error) {
	if d.pos+2 > len(d.data) {
		return 0, 0, errShort
	}
	a, b := d.data[d.pos], d.data[d.pos+1]
	d.pos += 2
	return a, b, nil
}

func (d *refDecoder) decode() (*image.Gray, error) {
	a, b, err := d.next2()
	if err != nil {
		return nil, err
	}
	if a != 0xff || b != refMSOI {
		return nil, FormatError("missing SOI marker")
	}
	for {
		marker, stuffed, err := d.nextSegment()
		if err != nil {
			if d.lumaRead {
				break
			}
			return nil, err
		}
		if stuffed {
			continue
		}
		if marker == refMEOI {
			break
		}
		if refMRST0 <= marker && marker <= refMRST7 || marker == refMTEM {
			continue
		}
		hi, lo, err := d.next2()
		n := int(hi)<<8 | int(lo) - 2
		switch {
		case err != nil:
		case n < 0:
			err = FormatError("short segment length")
		case d.pos+n > len(d.data):
			err = errShort
		}
		if err != nil {
			if d.lumaRead {
				break
			}
			return nil, err
		}
		seg := d.data[d.pos : d.pos+n]
		d.pos += n
		switch {
		case marker == refMSOF0 || marker == refMSOF1 || marker == refMSOF2:
			d.progressive = marker == refMSOF2
			err = d.processSOF(seg, marker == refMSOF0)
			if err == nil && d.configOnly {
				return nil, nil
			}
		case marker == refMDHT:
			err = d.processDHT(seg)
		case marker == refMDQT:
			err = d.processDQT(seg)
		case marker == refMDRI:
			if n != 2 {
				return nil, FormatError("DRI has wrong length")
			}
			d.ri = int(seg[0])<<8 | int(seg[1])
		case marker == refMSOS:
			d.pos -= n
			err = d.processSOS(n)
		case marker == refMAPP0:

			if n >= 14 && string(seg[:5]) == "JFIF\x00" {
				d.jfif = true
			}
		case marker == refMAPPE:
			if n >= 12 && string(seg[:5]) == "Adobe" {
				d.adobe, d.adobeTransform = true, seg[11]
			}
		case refMAPP0 <= marker && marker <= refMAPPF || marker == refMCOM:
		case marker == refMDNL || marker == refMDAC:

		case marker < 0xc0 || d.lumaRead:
			err = FormatError("unknown marker")
		default:
			err = ErrUnsupported
		}
		if d.done {
			break
		}
		if err != nil {
			if d.lumaRead && !errors.Is(err, ErrUnsupported) && err != ErrTooManyScans && err != ErrDeadline {

				break
			}
			return nil, err
		}
	}
	if !d.sof {
		return nil, FormatError("missing SOF marker")
	}
	if d.scans == 0 {
		return nil, FormatError("missing SOS marker")
	}
	if !d.lumaRead {
		return nil, ErrUnsupported
	}

	if d.ncomp == 3 && !d.jfif && (d.adobe && d.adobeTransform == 0 ||
		!d.adobe && d.comp[0].id == 'R' && d.comp[1].id == 'G' && d.comp[2].id == 'B') {
		return nil, ErrRGB
	}
	if d.progressive {
		if err := d.decodeProgressive(); err != nil {
			return nil, err
		}
	}
	return &image.Gray{Pix: d.plane, Stride: d.stride, Rect: image.Rect(0, 0, d.stride, d.height>>d.sh)}, nil
}

func (d *refDecoder) processSOF(seg []byte, baseline bool) error {
	if d.sof {
		return FormatError("multiple SOF markers")
	}
	switch len(seg) {
	case 6 + 3*1:
		d.ncomp = 1
	case 6 + 3*3:
		d.ncomp = 3
	default:
		return ErrUnsupported
	}
	if seg[0] != 8 {
		return ErrUnsupported
	}
	d.height = int(seg[1])<<8 | int(seg[2])
	d.width = int(seg[3])<<8 | int(seg[4])
	if int(seg[5]) != d.ncomp {
		return FormatError("SOF has wrong length")
	}
	for i := 0; i < d.ncomp; i++ {
		c := &d.comp[i]
		c.id = seg[6+3*i]
		c.h, c.v = int(seg[7+3*i]>>4), int(seg[7+3*i]&0x0f)
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return FormatError("bad sampling factors")
		}
		c.tq = seg[8+3*i]
		if c.tq > 3 {
			return FormatError("bad Tq value")
		}
		if d.ncomp == 1 {
			c.h, c.v = 1, 1
		}
	}
	d.sof, d.baseline = true, baseline
	for i := range d.coefBits {
		d.coefBits[i] = -1
	}
	for _, c := range d.comp[1:d.ncomp] {
		if c.h > d.comp[0].h || c.v > d.comp[0].v {
			return ErrUnsupported
		}
	}
	if d.width == 0 || d.height == 0 {
		return ErrUnsupported
	}
	if int64(d.width)*int64(d.height) > int64(d.maxPixels) {
		return errTooLarge
	}
	return nil
}

func (d *refDecoder) processDQT(seg []byte) error {
	for len(seg) > 0 {
		pq, tq := seg[0]>>4, seg[0]&0x0f
		seg = seg[1:]
		if tq > 3 {
			return FormatError("bad Tq value")
		}
		q := &d.quant[tq]
		switch pq {
		case 0:
			if len(seg) < 64 {
				return FormatError("DQT has wrong length")
			}
			for i := range q {
				q[i] = int32(seg[i])
			}
			seg = seg[64:]
		case 1:
			if len(seg) < 128 {
				return FormatError("DQT has wrong length")
			}
			for i := range q {
				q[i] = int32(seg[2*i])<<8 | int32(seg[2*i+1])
			}
			seg = seg[128:]
		default:
			return FormatError("bad Pq value")
		}
	}
	return nil
}

func (d *refDecoder) processDHT(seg []byte) error {
	for len(seg) > 0 {
		if len(seg) < 17 {
			return FormatError("DHT has wrong length")
		}
		tc, th := seg[0]>>4, seg[0]&0x0f
		if tc > 1 {
			return FormatError("bad Tc value")
		}
		if th > 3 || d.baseline && th > 1 {
			return FormatError("bad Th value")
		}
		var counts [16]int
		total := 0
		for i := range counts {
			counts[i] = int(seg[1+i])
			total += counts[i]
		}
		if total == 0 {
			return FormatError("Huffman table has zero length")
		}
		if total > 256 {
			return FormatError("Huffman table has excessive length")
		}
		if len(seg) < 17+total {
			return FormatError("DHT has wrong length")
		}
		t, err := refNewHuffTable(counts, seg[17:17+total])
		if err != nil {
			return err
		}
		d.huff[tc][th] = t
		seg = seg[17+total:]
	}
	return nil
}

type refScanComp struct {
	ci     int
	dc, ac *refHuffTable
	q      *[64]int32
}

func (d *refDecoder) processSOS(n int) error {
	if !d.sof {
		return FormatError("missing SOF marker")
	}
	if n < 6 || 4+2*d.ncomp < n || n%2 != 0 {
		return FormatError("SOS has wrong length")
	}
	seg := d.data[d.pos : d.pos+n]
	d.pos += n
	ns := int(seg[0])
	if n != 4+2*ns {
		return FormatError("SOS length inconsistent with number of components")
	}
	var sc [3]refScanComp
	hasLuma, totalHV := false, 0
	for i := 0; i < ns; i++ {

		ci := -1
		for j := 0; j < d.ncomp && ci < 0; j++ {
			if d.comp[j].id == seg[1+2*i] && !refInScan(sc[:i], j) {
				ci = j
			}
		}
		if ci < 0 {
			return FormatError("unknown component selector")
		}
		td, ta := seg[2+2*i]>>4, seg[2+2*i]&0x0f
		if td > 3 || d.baseline && td > 1 {
			return FormatError("bad Td value")
		}
		if ta > 3 || d.baseline && ta > 1 {
			return FormatError("bad Ta value")
		}
		sc[i] = refScanComp{ci: ci, dc: d.huff[0][td], ac: d.huff[1][ta], q: &d.quant[d.comp[ci].tq]}
		hasLuma = hasLuma || ci == 0
		totalHV += d.comp[ci].h * d.comp[ci].v
	}
	if d.ncomp > 1 && totalHV > 10 {
		return FormatError("total sampling factors too large")
	}
	d.scans++
	if d.progressive {
		return d.progressiveScan(sc[:ns], hasLuma, seg[1+2*ns:])
	}
	if !hasLuma {
		if !d.lumaRead {
			return ErrUnsupported
		}
		return d.skipScanData(d.ri, d.scanUnits(sc[:ns]))
	}
	if d.lumaRead {
		return ErrUnsupported
	}
	if err := d.decodeScan(sc[:ns]); err != nil {
		return err
	}
	d.lumaRead = true

	d.done = ns == d.ncomp
	return nil
}

func refInScan(sc []refScanComp, ci int) bool {
	for _, s := range sc {
		if s.ci == ci {
			return true
		}
	}
	return false
}

func (d *refDecoder) decodeScan(sc []refScanComp) error {
	h0, v0 := d.comp[0].h, d.comp[0].v
	mcusX := (d.width + 8*h0 - 1) / (8 * h0)
	mcusY := (d.height + 8*v0 - 1) / (8 * v0)
	n := 8 >> d.sh

	d.stride = d.width >> d.sh
	d.plane = make([]byte, d.stride*(d.height>>d.sh))

	single := len(sc) == 1
	d.goMiscounts = single && d.ri > 0 && (h0 > 1 || v0 > 1)
	total := mcusX * mcusY
	blocksX := mcusX
	if single {
		blocksX = (d.width + 7) / 8
		total = blocksX * ((d.height + 7) / 8)
	}
	d.br = refBitReader{data: d.data, pos: d.pos}
	var dc [3]int32
	var blk [64]int64
	expectRST := byte(refMRST0)
	for mcu := 0; mcu < total; {

		if mcu%blocksX == 0 && !d.deadline.IsZero() && time.Now().After(d.deadline) {
			return ErrDeadline
		}
		skip := d.br.short()
		d.goDiffers = d.goDiffers || skip || d.br.bad
		if skip && d.greyForGood(d.ri) {

			cw, ch, cols := h0*n, v0*n, mcusX
			if single {
				cw, ch, cols = n, n, blocksX
			}
			y0 := (mcu / cols) * ch
			for y := y0; y < d.height>>d.sh; y++ {
				x0 := 0
				if y < y0+ch {
					x0 = min((mcu%cols)*cw, d.stride)
				}
				row := d.plane[y*d.stride+x0 : (y+1)*d.stride]
				for i := range row {
					row[i] = 128
				}
			}
			break
		}
		for _, s := range sc {
			c := &d.comp[s.ci]
			nb := c.h * c.v
			if single {
				nb = 1
			}
			for j := 0; j < nb; j++ {
				if s.ci != 0 {
					if skip {
						continue
					}
					if _, _, err := d.readBlock(s, &dc[s.ci], nil); err != nil {
						return err
					}
					continue
				}
				var bx, by int
				if single {
					bx, by = mcu%blocksX, mcu/blocksX
				} else {
					bx, by = (mcu%mcusX)*h0+j%h0, (mcu/mcusX)*v0+j/h0
				}
				rows, cols := 0, 0
				if skip {
					blk = [64]int64{}
				} else {
					var err error
					if rows, cols, err = d.readBlock(s, &dc[0], &blk); err != nil {
						return err
					}
				}
				if x, y := bx*n, by*n; x < d.stride && y < d.height>>d.sh {
					refPut(d.sh, &blk, rows, cols, d.plane[y*d.stride+x:], d.stride, min(n, d.stride-x), min(n, d.height>>d.sh-y))
				}
			}
		}
		mcu++
		if d.ri > 0 && mcu%d.ri == 0 && mcu < total {
			d.restart(expectRST)
			expectRST = refMRST0 + (expectRST-refMRST0+1)&7
			dc = [3]int32{}
		}
	}
	d.pos = d.br.pos
	d.goDiffers = d.goDiffers || d.br.short() || d.br.bad
	return nil
}

func (d *refDecoder) greyForGood(ri int) bool {
	if ri == 0 {
		return true
	}
	m, _, _ := refNextMarker(d.data, d.br.pos)
	return m >= refMSOF0 && (m < refMRST0 || m > refMRST7)
}

func (d *refDecoder) restart(want byte) {
	d.goDiffers = d.goDiffers || d.br.bad
	p := d.br.pos
	for {
		m, at, next := refNextMarker(d.data, p)
		d.goDiffers = d.goDiffers || m != want || at != d.br.pos || !d.br.short() && d.br.n-d.br.pad >= 8
		rel := (int(m) - int(want)) & 7
		switch {
		case m == want:
		case m < refMSOF0, m >= refMRST0 && m <= refMRST7 && (rel == 6 || rel == 7):
			p = next
			continue
		case m < refMRST0 || m > refMRST7 || rel == 1 || rel == 2:
			d.br = refBitReader{data: d.data, pos: at, end: true, over: d.br.short()}
			return
		}
		d.br = refBitReader{data: d.data, pos: next}
		return
	}
}

func refNextMarker(data []byte, p int) (m byte, at, next int) {
	for p < len(data) {
		if data[p] != 0xff {
			p++
			continue
		}
		at = p
		for p < len(data) && data[p] == 0xff {
			p++
		}
		if p < len(data) && data[p] != 0 {
			return data[p], at, p + 1
		}
		p++
	}
	return refMEOI, len(data), len(data)
}

func (d *refDecoder) readBlock(s refScanComp, dc *int32, blk *[64]int64) (rows, cols int, err error) {
	if s.dc == nil {
		return 0, 0, FormatError("uninitialized Huffman table")
	}
	b := &d.br
	t, err := b.symbol(s.dc)
	if err != nil {
		return 0, 0, err
	}
	if t > 16 {
		return 0, 0, FormatError("excessive DC component")
	}
	diff, err := b.receiveExtend(t)
	if err != nil {
		return 0, 0, err
	}
	*dc += diff
	luma := blk != nil
	var sum int64 // of the coefficient magnitudes
	if luma {

		c := int16(*dc)
		if int32(c) != *dc {
			d.goDiffers = true
		}
		v := int64(c) * int64(s.q[0])
		if v > refMaxCoef || v < -refMaxCoef {
			v, d.wild = refDequant(int32(c), s.q[0]), true
		}
		*blk = [64]int64{}
		blk[0] = v
		sum = refAbs(v)
	}
	if s.ac == nil {
		return 0, 0, FormatError("uninitialized Huffman table")
	}
	keep := luma && d.sh < 3
	fast := &s.ac.fastAC

	for z := 1; z <= 63; z++ {
		var r int
		var ac int32
		if b.n < 16 {
			b.fill()
		}
		if e := fast[b.acc>>(64-refLookBits)]; e != 0 {

			l := int(e & 15)
			r = int(e>>8) & 15
			b.acc <<= l
			b.n -= l
			if e&refFastEOB != 0 {
				if r != 15 {
					d.goDiffers = d.goDiffers || r != 0
					break
				}
				z += 15
				continue
			}
			ac = e >> 16
		} else {
			rs, err := b.symbol(s.ac)
			if err != nil {
				return 0, 0, err
			}
			size := rs & 0x0f
			r = int(rs >> 4)
			if size == 0 {
				if r != 15 {
					d.goDiffers = d.goDiffers || r != 0
					break
				}
				z += 15
				continue
			}
			if ac, err = b.receiveExtend(size); err != nil {
				return 0, 0, err
			}
		}
		z += r
		if z > 63 {
			z = 63
			d.goDiffers = true
		}
		if !luma {
			continue
		}
		v := int64(ac) * int64(s.q[z])
		if v > refMaxCoef || v < -refMaxCoef {
			v, d.wild = refDequant(ac, s.q[z]), true
		}
		sum += refAbs(v)
		if keep {
			k := refUnzig[z]
			blk[k] = v
			rows, cols = max(rows, int(k>>3)), max(cols, int(k&7))
		}
	}
	if sum > refWildSum {
		d.wild = true
	}
	return rows, cols, nil
}

func refAbs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

var (
	refUnzig = refZigzag()
	refZig   = refInverse(refUnzig)
)

func refZigzag() (unzig [64]uint8) {
	i := 0
	for s := 0; s < 15; s++ {
		for k := 0; k <= s; k++ {
			x, y := k, s-k
			if s%2 == 1 {
				x, y = s-k, k
			}
			if x < 8 && y < 8 {
				unzig[i] = uint8(y*8 + x)
				i++
			}
		}
	}
	return unzig
}

func refInverse(p [64]uint8) (q [64]uint8) {
	for i, v := range p {
		q[v] = uint8(i)
	}
	return q
}

const refLookBits = 9

type refHuffTable struct {
	look    [1 << refLookBits]uint16
	maxCode [17]int32 // the largest code of each length, -1 when none
	valPtr  [17]int32 // index in vals of the smallest code of each length, minus that code
	vals    [256]byte
	fastAC  [1 << refLookBits]int32
}

const refFastEOB = 1 << 12

func refNewHuffTable(counts [16]int, vals []byte) (*refHuffTable, error) {
	t := &refHuffTable{}
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
			if l <= refLookBits {
				for i := int32(0); i < n; i++ {
					c := code + i
					shift := refLookBits - l
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
	for i, e := range t.look {
		if e == 0 {
			continue
		}
		l, sym := int(e>>8), byte(e)
		r, size := int32(sym>>4), int(sym&15)
		switch {
		case size == 0:
			t.fastAC[i] = int32(l) | int32(l)<<4 | r<<8 | refFastEOB
		case l+size <= refLookBits:
			v := int32(i>>(refLookBits-l-size)) & (1<<size - 1)
			if v < 1<<(size-1) {
				v += -1<<size + 1
			}
			t.fastAC[i] = v<<16 | r<<8 | int32(l)<<4 | int32(l+size)
		}
	}
	return t, nil
}

type refBitReader struct {
	data []byte
	pos  int    // next byte to load
	acc  uint64 // the bits loaded, first bit at the top
	n    int    // how many bits of acc are loaded
	end  bool   // a marker or the end of the input was reached
	pad  int    // how many of the last loaded bits are zeros past the end
	over bool   // bits past the end were read
	bad  bool   // a bit sequence that is no code was read
}

func (b *refBitReader) fill() {
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
		if c == 0xff {
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

func (b *refBitReader) short() bool { return b.over || b.n < b.pad }

func (b *refBitReader) symbol(t *refHuffTable) (byte, error) {
	if b.n < 16 {
		b.fill()
	}
	if e := t.look[b.acc>>(64-refLookBits)]; e != 0 {
		l := int(e >> 8)
		if l > b.n {
			return 0, errShort
		}
		b.acc <<= l
		b.n -= l
		return byte(e), nil
	}
	for l := 1; l <= 16; l++ {
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

	if b.n < 17 {
		b.fill()
	}
	b.bad = true
	b.acc <<= 17
	b.n -= 17
	return 0, nil
}

func (b *refBitReader) bits(n int) (uint32, error) {
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

func (b *refBitReader) receiveExtend(n byte) (int32, error) {
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

const (
	refConstBits = 16
	refPassBits  = 8 // fraction bits kept between the row and the column pass
)

func refFix(x float64) int64 { return int64(math.Round(x * (1 << refConstBits))) }

var (
	refF0298 = refFix(0.298631336)
	refF0390 = refFix(0.390180644)
	refF0541 = refFix(0.541196100)
	refF0765 = refFix(0.765366865)
	refF0899 = refFix(0.899976223)
	refF1175 = refFix(1.175875602)
	refF1501 = refFix(1.501321110)
	refF1847 = refFix(1.847759065)
	refF1961 = refFix(1.961570560)
	refF2053 = refFix(2.053119869)
	refF2562 = refFix(2.562915447)
	refF3072 = refFix(3.072711026)
)

func refIdct8(in *[8]int64, out *[8]int64) {

	z1 := (in[2] + in[6]) * refF0541
	t2 := z1 - in[6]*refF1847
	t3 := z1 + in[2]*refF0765
	t0 := (in[0] + in[4]) << refConstBits
	t1 := (in[0] - in[4]) << refConstBits
	t10, t13 := t0+t3, t0-t3
	t11, t12 := t1+t2, t1-t2

	o0, o1, o2, o3 := in[7], in[5], in[3], in[1]
	a1, a2, a3, a4 := o0+o3, o1+o2, o0+o2, o1+o3
	z5 := (a3 + a4) * refF1175
	o0 *= refF0298
	o1 *= refF2053
	o2 *= refF3072
	o3 *= refF1501
	a1 *= -refF0899
	a2 *= -refF2562
	a3 = a3*-refF1961 + z5
	a4 = a4*-refF0390 + z5
	o0 += a1 + a3
	o1 += a2 + a4
	o2 += a2 + a3
	o3 += a1 + a4
	out[0], out[7] = t10+o3, t10-o3
	out[1], out[6] = t11+o2, t11-o2
	out[2], out[5] = t12+o1, t12-o1
	out[3], out[4] = t13+o0, t13-o0
}

var refH1a, refH1b, refH3a, refH3b, refH1c, refH1d, refH3c, refH3d, refH2a, refH2b int64

var refQ1, refQ3, refQ5, refQ7 int64

func init() {
	a := func(j int) float64 { return math.Sqrt2 * math.Cos(float64(j)*math.Pi/16) }
	c1, c3, c4 := math.Cos(math.Pi/8), math.Cos(3*math.Pi/8), math.Cos(math.Pi/4)
	refH1a, refH1b = refFix(c1*a(1)), refFix(c1*a(7))
	refH3a, refH3b = refFix(c3*a(3)), refFix(c3*a(5))
	refH1c, refH1d = refFix(c3*a(1)), refFix(c3*a(7))
	refH3c, refH3d = refFix(c1*a(3)), refFix(c1*a(5))
	refH2a, refH2b = refFix(c4*a(2)), refFix(c4*a(6))
	q := func(k int) int64 {
		s := 0.0
		for j := 0; j < 4; j++ {
			s += math.Cos(float64((2*j+1)*k) * math.Pi / 16)
		}
		return refFix(math.Sqrt2 / 4 * s)
	}
	refQ1, refQ3, refQ5, refQ7 = q(1), q(3), q(5), q(7)
}

func refIdct4(in *[8]int64, out *[8]int64) {
	x0 := in[0] << refConstBits
	z2 := in[2]*refH2a - in[6]*refH2b
	ea, eb := x0+z2, x0-z2
	oa := in[1]*refH1a - in[7]*refH1b + in[3]*refH3a - in[5]*refH3b
	ob := in[1]*refH1c - in[7]*refH1d - in[3]*refH3c + in[5]*refH3d
	out[0], out[3] = ea+oa, ea-oa
	out[1], out[2] = eb+ob, eb-ob
}

func refIdct2(in *[8]int64, out *[8]int64) {
	x0 := in[0] << refConstBits
	s := in[1]*refQ1 + in[3]*refQ3 + in[5]*refQ5 + in[7]*refQ7
	out[0], out[1] = x0+s, x0-s
}

func refKernel(sh int, in, out *[8]int64) {
	switch sh {
	case 0:
		refIdct8(in, out)
	case 1:
		refIdct4(in, out)
	default:
		refIdct2(in, out)
	}
}

func refPut(sh int, blk *[64]int64, rows, cols int, dst []byte, stride, nw, nh int) {
	const (
		rowShift = refConstBits - refPassBits
		outShift = refConstBits + refPassBits + 3 // and the 8 of √8·√8
	)
	n := 8 >> sh
	if sh == 3 || rows == 0 && cols == 0 {
		v := (blk[0]<<(refConstBits+refPassBits) + 1<<(outShift-1)) >> outShift
		p := refClamp(v + 128)
		for y := 0; y < nh; y++ {
			row := dst[y*stride : y*stride+nw]
			for x := range row {
				row[x] = p
			}
		}
		return
	}
	var t [8][8]int64 // [output x][frequency v]
	var out [8]int64
	for v := 0; v <= rows; v++ {
		r := (*[8]int64)(blk[v*8 : v*8+8])
		if cols == 0 || r[1]|r[2]|r[3]|r[4]|r[5]|r[6]|r[7] == 0 {
			dc := r[0] << refPassBits
			for x := 0; x < n; x++ {
				t[x][v] = dc
			}
			continue
		}
		refKernel(sh, r, &out)
		for x := 0; x < n; x++ {
			t[x][v] = (out[x] + 1<<(rowShift-1)) >> rowShift
		}
	}

	for x := 0; x < nw; x++ {
		if rows == 0 {
			p := refClamp((t[x][0]<<refConstBits+1<<(outShift-1))>>outShift + 128)
			for y := 0; y < nh; y++ {
				dst[y*stride+x] = p
			}
			continue
		}
		refKernel(sh, &t[x], &out)
		for y := 0; y < nh; y++ {
			dst[y*stride+x] = refClamp((out[y]+1<<(outShift-1))>>outShift + 128)
		}
	}
}

func refClamp(v int64) byte {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}

const refMaxScans = 256

type refProgScan struct {
	sc        [3]refScanComp
	ns        int
	ss, se    int  // spectral selection: zig-zag indices of the band
	ah, al    uint // successive approximation: the bit before, this scan's bit
	ri        int  // restart interval in force at this scan
	br        refBitReader
	dc        [3]int32
	eobrun    int
	unit      int // MCUs (blocks, when the scan has one component) decoded
	total     int
	expectRST byte
	dead      bool // its data ran out for good (or was damaged)
}

func (d *refDecoder) progressiveScan(sc []refScanComp, hasLuma bool, tail []byte) error {
	if d.scans > refMaxScans {
		return ErrTooManyScans
	}
	if !d.deadline.IsZero() && time.Now().After(d.deadline) {
		return ErrDeadline
	}
	s := &refProgScan{ns: len(sc), ss: int(tail[0]), se: int(tail[1]), ah: uint(tail[2] >> 4), al: uint(tail[2] & 15), ri: d.ri}
	copy(s.sc[:], sc)

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

	d.goMiscounts = d.goMiscounts || s.ns == 1 && s.ri > 0 && (d.comp[0].h > 1 || d.comp[0].v > 1)
	end := d.skipScanData(s.ri, d.scanUnits(sc))

	d.lumaRead = true
	if !hasLuma {

		d.goDiffers = d.goDiffers || s.ss > 0
		return end
	}

	if s.ss > 0 && d.coefBits[0] < 0 {
		d.goDiffers = true
	}
	for k := s.ss; k <= s.se; k++ {
		if max(d.coefBits[k], 0) != int8(s.ah) {
			d.goDiffers = true
		}
		d.coefBits[k] = int8(s.al)
	}
	if len(d.prog) == 0 {

		d.lumaQ = *sc[0].q
		for _, c := range sc {
			if c.ci == 0 {
				d.lumaQ = *c.q
			}
		}
	}
	s.br = refBitReader{data: d.data, pos: d.scanStart}
	d.prog = append(d.prog, s)
	d.lumaRead = true
	return end
}

func (d *refDecoder) skipScanData(ri, units int) error {
	d.scanStart = d.pos
	p := d.pos
	want := byte(refMRST0)
boundaries:
	for u := ri; ri > 0 && u < units; u += ri {
		for {
			m, at, next := refNextMarker(d.data, p)
			rel := (int(m) - int(want)) & 7
			isRST := refMRST0 <= m && m <= refMRST7
			switch {
			case m < refMSOF0 || isRST && rel >= 6:
				p = next
				continue
			case isRST && (rel == 1 || rel == 2):
				p = at
			case isRST:
				p = next
			default:
				break boundaries
			}
			break
		}
		want = refMRST0 + (want-refMRST0+1)&7
	}
	_, at, _ := refNextMarker(d.data, p)
	d.pos = at
	if at >= len(d.data) {
		return errShort
	}
	return nil
}

func (d *refDecoder) scanUnits(sc []refScanComp) int {
	h0, v0 := d.comp[0].h, d.comp[0].v
	if len(sc) > 1 {
		return ((d.width + 8*h0 - 1) / (8 * h0)) * ((d.height + 8*v0 - 1) / (8 * v0))
	}
	c := d.comp[sc[0].ci]
	return ((d.width*c.h + 8*h0 - 1) / (8 * h0)) * ((d.height*c.v + 8*v0 - 1) / (8 * v0))
}

func (d *refDecoder) decodeProgressive() error {
	h0, v0 := d.comp[0].h, d.comp[0].v
	mcusX := (d.width + 8*h0 - 1) / (8 * h0)
	mcusY := (d.height + 8*v0 - 1) / (8 * v0)
	blocksX, blocksY := (d.width+7)/8, (d.height+7)/8
	n := 8 >> d.sh
	d.stride = d.width >> d.sh
	outH := d.height >> d.sh
	d.plane = make([]byte, d.stride*outH)
	cols := mcusX * h0
	row := make([][64]int16, cols*v0)
	for _, s := range d.prog {
		s.total = mcusX * mcusY
		if s.ns == 1 {
			s.total = blocksX * blocksY
		}
		s.expectRST = refMRST0
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
				refPut(d.sh, &blk, rows, cs, d.plane[y*d.stride+x:], d.stride, min(n, d.stride-x), min(n, outH-y))
			}
		}
	}
	for _, s := range d.prog {
		d.goDiffers = d.goDiffers || s.eobrun > 0
	}
	return nil
}

func (d *refDecoder) progRows(s *refProgScan, row [][64]int16, cols, by0, blocksX, mcusX, first, last int) {
	d.br = s.br
	defer func() {
		d.goDiffers = d.goDiffers || d.br.bad
		s.br = d.br
	}()
	h0 := d.comp[0].h
	for u := first; u < last; u++ {

		if skip := d.br.short(); skip || d.br.bad {
			d.goDiffers = true
			if skip && d.greyForGood(s.ri) {
				s.dead = true
				return
			}
		}
		if !d.br.short() {
			if err := d.progUnit(s, row, cols, by0, blocksX, mcusX, h0, u); err != nil {

				d.goDiffers, s.dead = true, true
				return
			}
		}
		s.unit++
		if s.ri > 0 && s.unit%s.ri == 0 && s.unit < s.total {
			d.restart(s.expectRST)
			s.expectRST = refMRST0 + (s.expectRST-refMRST0+1)&7
			s.dc, s.eobrun = [3]int32{}, 0
		}
	}
}

func (d *refDecoder) progUnit(s *refProgScan, row [][64]int16, cols, by0, blocksX, mcusX, h0, u int) error {
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
			var b *[64]int16
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

func (d *refDecoder) dcFirst(s *refProgScan, i int, b *[64]int16) error {
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
	if b != nil {
		b[0] = int16(uint32(s.dc[i]) << s.al)
	}
	return nil
}

func (d *refDecoder) dcRefine(s *refProgScan, b *[64]int16) error {
	bit, err := d.br.bits(1)
	if err == nil && bit == 1 && b != nil {
		b[0] |= 1 << s.al
	}
	return err
}

func refNatural(k int) uint8 { return refUnzig[min(k, 63)] }

func (d *refDecoder) acFirst(s *refProgScan, b *[64]int16) error {
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
				d.goDiffers = true
			}
			v, err := d.br.receiveExtend(size)
			if err != nil {
				return err
			}
			b[refNatural(k)] = int16(uint32(v) << s.al)
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

func (d *refDecoder) acRefine(s *refProgScan, b *[64]int16) error {
	p1 := int16(1) << s.al
	k := s.ss
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
					d.goDiffers = true
				}
				bit, err := d.br.bits(1)
				if err != nil {
					return err
				}
				v = p1
				if bit == 0 {
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

			for {
				c := &b[refUnzig[k]]
				if *c != 0 {
					if err := d.correct(c, p1); err != nil {
						return err
					}
				} else {
					r--
					if r < 0 {
						break
					}
				}
				k++
				if k > s.se {
					break
				}
			}
			if v != 0 {
				if k > s.se {
					d.goDiffers = true
				}
				b[refNatural(k)] = v
			}
		}
	}
	if s.eobrun > 0 {

		for ; k <= s.se; k++ {
			if c := &b[refUnzig[k]]; *c != 0 {
				if err := d.correct(c, p1); err != nil {
					return err
				}
			}
		}
		s.eobrun--
	}
	return nil
}

func (d *refDecoder) correct(c *int16, p1 int16) error {
	bit, err := d.br.bits(1)
	if err != nil || bit == 0 || *c&p1 != 0 {
		return err
	}
	if *c >= 0 {
		*c += p1
	} else {
		*c -= p1
	}
	return nil
}

func (d *refDecoder) dequantize(c *[64]int16, blk *[64]int64) (rows, cols int) {
	*blk = [64]int64{}
	var sum int64
	for k, x := range c {
		if x == 0 {
			continue
		}
		q := d.lumaQ[refZig[k]]
		v := int64(x) * int64(q)
		if v > refMaxCoef || v < -refMaxCoef {
			v, d.wild = refDequant(int32(x), q), true
		}
		sum += refAbs(v)
		if k == 0 || d.sh < 3 {
			blk[k] = v
			rows, cols = max(rows, k>>3), max(cols, k&7)
		}
	}
	if sum > refWildSum {
		d.wild = true
	}
	return rows, cols
}
