// Package jpegluma decodes the luma plane of a JPEG, and only that,
// at full, half, quarter or eighth scale: what the search for 2-D codes in
// pictures needs from a photograph, at a fraction of what a full decode costs.
// The chroma blocks are read only to skip their bits: no inverse DCT, no
// storage, no colour conversion. At a reduced scale every output pixel is the
// mean of the s×s image pixels it covers, computed from the block's
// coefficients in one step (the inverse DCT and the box filter are both
// linear, so they fold into one small matrix per scale).
//
// It reads sequential and progressive Huffman JPEGs (SOF0, SOF1, SOF2;
// progressive.go; a sequential file of several scans, sequential.go, as
// libjpeg merges them) with 8-bit samples and one or three components whose
// first is luma. Anything else (arithmetic coding, 12-bit, lossless, CMYK,
// RGB, a luma plane that is not the largest) is ErrUnsupported, and the
// caller decodes with image/jpeg as before. On a file image/jpeg reads as
// libjpeg does, this reads the same
// pixels (within the rounding of the inverse DCT) or says ErrUnsupported.
// Where the two differ, this reads it as libjpeg (libjpeg-turbo: what mail
// clients, browsers and phones show) does, since a gateway loses where it
// sees another picture than the reader: a damaged or truncated scan shows
// its intact part and the rest grey, restarts resynchronise, a sequential
// scan's symbols mean what they mean to libjpeg, markers libjpeg passes
// over are passed over, and RGB is told from YCbCr by libjpeg's rule.
//
// Everything is bounded by the input: the output plane (checked against a
// pixel limit before it is allocated), the tables and, for a progressive
// file or a sequential one of several scans, one row of blocks and its
// scans (at most maxScans) are the only
// allocations, every loop advances through the bytes or the blocks, and no
// input panics.
package jpegluma

import (
	"errors"
	"fmt"
	"image"
	"math"
	"math/bits"
	"time"
)

// ErrUnsupported is a JPEG this decoder does not read; image/jpeg may.
var ErrUnsupported = errors.New("jpegluma: not a baseline JPEG with a luma plane")

// ErrRGB is a JPEG whose three planes libjpeg shows as red, green and blue,
// not luma and chroma (an Adobe marker saying so, or components named R, G,
// B, and no JFIF marker as libjpeg recognises one). It is ErrUnsupported
// too. image/jpeg may read the same file as YCbCr: it takes an APP0 segment
// of five bytes "JFIF\0" for a JFIF marker, libjpeg (what mail clients,
// browsers and phones show) wants the whole 14-byte JFIF header; the caller
// then reads image/jpeg's Y, Cb and Cr planes as R, G and B.
var ErrRGB = fmt.Errorf("%w (colour stored as RGB)", ErrUnsupported)

// FormatError is a JPEG that is corrupt where this decoder read it.
type FormatError string

func (e FormatError) Error() string { return "jpegluma: invalid JPEG: " + string(e) }

var (
	errShort    = FormatError("short data")
	errTooLarge = errors.New("jpegluma: image larger than the pixel limit")
)

// maxCoef bounds a dequantized coefficient. A baseline encoder's coefficients
// stay within ±2048 plus half a quantizer step; larger ones are made, not
// encoded. image/jpeg's fixed-point inverse DCT overflows its int32 on them,
// libjpeg-turbo's (SIMD, as mail clients run it) multiplies in 16 bits and
// keeps the low 16 (dequant). So a block beyond it is decoded as libjpeg
// does, give or take its saturation between passes, and marked wild: it is
// not compared with image/jpeg, and the rest of the picture is read (a file
// refused for one such block was a file unsearched).
const maxCoef = 1 << 12

// dequant is c times q as libjpeg-turbo's inverse DCT takes it: the low 16
// bits of the product, signed.
func dequant(c int32, q int32) int64 { return int64(int16(c * q)) }

// Decode reads the luma plane of the JPEG in data at 1/scale (scale 1, 2, 4
// or 8). The plane is (width/scale)×(height/scale), each pixel the mean of
// the scale×scale pixels it covers. maxPixels bounds width×height before
// anything is allocated.
func Decode(data []byte, scale, maxPixels int) (*image.Gray, error) {
	return DecodeBy(data, scale, maxPixels, time.Time{})
}

// ErrDeadline is a decode stopped at its deadline.
var ErrDeadline = errors.New("jpegluma: deadline passed")

// DecodeBy is Decode stopping with ErrDeadline once deadline (when not zero)
// has passed, checked at each row of blocks: a file of 64 MB of coded data
// takes a second or two, and the caller's time may be spent before.
func DecodeBy(data []byte, scale, maxPixels int, deadline time.Time) (*image.Gray, error) {
	g, _, err := decodeBy(data, scale, maxPixels, deadline)
	return g, err
}

// Config is the width and height of the JPEG in data, read from its header
// as Decode reads it (libjpeg's way: where image/jpeg's DecodeConfig fails
// on a marker libjpeg passes over, this does not).
func Config(data []byte) (w, h int, err error) {
	d := &decoder{data: data, configOnly: true, maxPixels: math.MaxInt}
	if _, err := d.decode(); err != nil {
		return 0, 0, err
	}
	return d.width, d.height, nil
}

func decode(data []byte, scale, maxPixels int) (*image.Gray, *decoder, error) {
	return decodeBy(data, scale, maxPixels, time.Time{})
}

func decodeBy(data []byte, scale, maxPixels int, deadline time.Time) (*image.Gray, *decoder, error) {
	sh := 0
	for 1<<sh < scale {
		sh++
	}
	if sh > 3 || 1<<sh != scale {
		return nil, nil, errors.New("jpegluma: scale must be 1, 2, 4 or 8")
	}
	d := &decoder{data: data, sh: sh, maxPixels: maxPixels, deadline: deadline}
	g, err := d.decode()
	return g, d, err
}

// wildSum is the sum of a block's coefficient magnitudes above which
// image/jpeg's inverse DCT may overflow (its int32 intermediates hold about
// 2^17 times a row's sum, several rows added): pictures of real scenes stay
// below it in practice, made-up streams do not. Such a block is decoded
// exactly all the same; the tests only do not compare it with image/jpeg.
const wildSum = 2048

type component struct {
	id   byte
	h, v int
	tq   byte
}

type decoder struct {
	data        []byte
	pos         int
	sh          int // log2 of the scale
	maxPixels   int
	configOnly  bool // stop after the frame header (Config)
	exifOnly    bool // find the EXIF orientation and stop (Orientation)
	orientation int
	deadline    time.Time // DecodeBy's

	sof, baseline  bool
	width, height  int
	ncomp          int
	comp           [3]component
	quant          [4][64]int32 // zig-zag order
	huff           [2][4]*huffTable
	ri             int
	jfif           bool
	adobe          bool
	adobeTransform byte

	scans    int  // scans seen
	lumaRead bool // the scan with the luma component was decoded
	done     bool // the luma scan held every component: nothing after it counts
	plane    []byte
	stride   int

	br   bitReader
	wild bool // a luma block over wildSum was decoded
	// goMiscounts: a scan whose restart intervals image/jpeg counts
	// otherwise (see decodeScan).
	goMiscounts bool
	// goDiffers: a stream image/jpeg reads otherwise than libjpeg (see
	// readBlock), or damage libjpeg reads through and image/jpeg does not.
	goDiffers bool

	// A progressive file (progressive.go): its scans that hold luma, where
	// the last one's data started, the luma quantization table as its
	// first scan found it, and the bit each luma coefficient is known down
	// to (-1: not yet sent), as libjpeg tracks it to warn.
	progressive bool
	prog        []*progScan
	scanStart   int
	lumaQ       [64]int32
	lumaLatched bool
	wrapped     bool // a progressive block's term beyond maxCoef (see dequant)
	// multi: a sequential file whose first scan lacks a component, read
	// like a progressive one (sequentialScan).
	multi    bool
	coefBits [64]int8
	steps    int // progRows's steps, each of bounded work (the tests' count)
}

const (
	mSOF0 = 0xc0
	mSOF1 = 0xc1
	mSOF2 = 0xc2
	mDHT  = 0xc4
	mRST0 = 0xd0
	mRST7 = 0xd7
	mSOI  = 0xd8
	mEOI  = 0xd9
	mSOS  = 0xda
	mDQT  = 0xdb
	mDRI  = 0xdd
	mAPP0 = 0xe0
	mAPP1 = 0xe1
	mAPPE = 0xee
	mAPPF = 0xef
	mCOM  = 0xfe
	mTEM  = 0x01
	mDNL  = 0xdc
	mDAC  = 0xcc
)

// nextSegment finds the next marker: bytes between segments are skipped,
// as image/jpeg and libjpeg do, and so are fill bytes; stuffed is 0xff 0x00
// outside a scan, passed over.
func (d *decoder) nextSegment() (marker byte, stuffed bool, err error) {
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
	for marker == 0xff { // fill bytes
		if d.pos >= len(d.data) {
			return 0, false, errShort
		}
		marker = d.data[d.pos]
		d.pos++
	}
	return marker, false, nil
}

// next2 returns the next two bytes.
func (d *decoder) next2() (byte, byte, error) {
	if d.pos+2 > len(d.data) {
		return 0, 0, errShort
	}
	a, b := d.data[d.pos], d.data[d.pos+1]
	d.pos += 2
	return a, b, nil
}

func (d *decoder) decode() (*image.Gray, error) {
	a, b, err := d.next2()
	if err != nil {
		return nil, err
	}
	if a != 0xff || b != mSOI {
		return nil, FormatError("missing SOI marker")
	}
	for {
		marker, stuffed, err := d.nextSegment()
		if err != nil {
			if d.lumaRead {
				break // no EOI: libjpeg makes one up at the end of the data
			}
			return nil, err
		}
		if stuffed {
			continue
		}
		if marker == mEOI {
			break
		}
		if mRST0 <= marker && marker <= mRST7 || marker == mTEM {
			continue // a stray restart marker after the last interval; TEM has no segment
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
				break // a segment cut short after the picture: as at the end
			}
			return nil, err
		}
		seg := d.data[d.pos : d.pos+n]
		d.pos += n
		if d.exifOnly { // Orientation: the first Exif APP1 before the picture
			if marker == mSOS {
				return nil, nil
			}
			if marker == mAPP1 && n >= 6 && string(seg[:6]) == "Exif\x00\x00" {
				d.orientation = exifOrientation(seg[6:])
				return nil, nil
			}
			continue
		}
		switch {
		case marker == mSOF0 || marker == mSOF1 || marker == mSOF2:
			d.progressive = marker == mSOF2
			err = d.processSOF(seg, marker == mSOF0)
			if err == nil && d.configOnly {
				return nil, nil
			}
		case marker == mDHT:
			err = d.processDHT(seg)
		case marker == mDQT:
			err = d.processDQT(seg)
		case marker == mDRI:
			if n != 2 {
				return nil, FormatError("DRI has wrong length")
			}
			d.ri = int(seg[0])<<8 | int(seg[1])
		case marker == mSOS:
			d.pos -= n
			err = d.processSOS(n)
		case marker == mAPP0:
			// libjpeg's test: the whole JFIF header, and a later APP0
			// (a JFXX thumbnail) does not undo it.
			if n >= 14 && string(seg[:5]) == "JFIF\x00" {
				d.jfif = true
			}
		case marker == mAPPE:
			if n >= 12 && string(seg[:5]) == "Adobe" {
				d.adobe, d.adobeTransform = true, seg[11]
			}
		case mAPP0 <= marker && marker <= mAPPF || marker == mCOM:
		case marker == mDNL || marker == mDAC:
			// libjpeg passes over both (a DAC means nothing to a
			// Huffman scan, a DNL after a frame with its height nothing).
		case marker < 0xc0 || d.lumaRead:
			// libjpeg stops at it with an error; after a scan, at any
			// marker it has no use for (another SOF, a reserved code):
			// a client shows what it decoded before.
			err = FormatError("unknown marker")
		default: // progressive, lossless, arithmetic, hierarchical, DNL...
			err = ErrUnsupported
		}
		if d.done {
			break
		}
		if err != nil {
			if d.lumaRead && !errors.Is(err, ErrUnsupported) && err != ErrTooManyScans && err != ErrDeadline {
				// Damage after the luma plane was read (a progressive
				// file's first scans): libjpeg shows what it decoded (a
				// browser or a phone keeps the picture), and so the
				// search reads it.
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
	// libjpeg's test for RGB stored as such (jdapimin.c): its first plane
	// is red. An Adobe marker decides before the component names.
	if d.ncomp == 3 && !d.jfif && (d.adobe && d.adobeTransform == 0 ||
		!d.adobe && d.comp[0].id == 'R' && d.comp[1].id == 'G' && d.comp[2].id == 'B') {
		return nil, ErrRGB
	}
	if d.progressive || d.multi {
		if err := d.decodeProgressive(); err != nil {
			return nil, err
		}
	}
	return &image.Gray{Pix: d.plane, Stride: d.stride, Rect: image.Rect(0, 0, d.stride, d.height>>d.sh)}, nil
}

func (d *decoder) processSOF(seg []byte, baseline bool) error {
	if d.sof {
		return FormatError("multiple SOF markers")
	}
	switch len(seg) {
	case 6 + 3*1:
		d.ncomp = 1
	case 6 + 3*3:
		d.ncomp = 3
	default: // four components (CMYK, YCCK) or a number image/jpeg does not read
		return ErrUnsupported
	}
	if seg[0] != 8 {
		return ErrUnsupported // 12-bit
	}
	d.height = int(seg[1])<<8 | int(seg[2])
	d.width = int(seg[3])<<8 | int(seg[4])
	if int(seg[5]) != d.ncomp {
		return FormatError("SOF has wrong length")
	}
	for i := 0; i < d.ncomp; i++ {
		c := &d.comp[i]
		c.id = seg[6+3*i] // libjpeg-turbo takes repeated identifiers (see processSOS)
		c.h, c.v = int(seg[7+3*i]>>4), int(seg[7+3*i]&0x0f)
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return FormatError("bad sampling factors")
		}
		c.tq = seg[8+3*i]
		if c.tq > 3 {
			return FormatError("bad Tq value")
		}
		if d.ncomp == 1 {
			c.h, c.v = 1, 1 // one component is never interleaved (A.2)
		}
	}
	d.sof, d.baseline = true, baseline
	for i := range d.coefBits {
		d.coefBits[i] = -1
	}
	for _, c := range d.comp[1:d.ncomp] {
		if c.h > d.comp[0].h || c.v > d.comp[0].v {
			return ErrUnsupported // a luma plane sampled less than chroma
		}
	}
	if d.width == 0 || d.height == 0 {
		return ErrUnsupported // height in a DNL marker, or nothing to see
	}
	if int64(d.width)*int64(d.height) > int64(d.maxPixels) {
		return errTooLarge
	}
	return nil
}

func (d *decoder) processDQT(seg []byte) error {
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

func (d *decoder) processDHT(seg []byte) error {
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
		t, err := newHuffTable(counts, seg[17:17+total])
		if err != nil {
			return err
		}
		d.huff[tc][th] = t
		seg = seg[17+total:]
	}
	return nil
}

// scanComp is one component of a scan.
type scanComp struct {
	ci     int
	dc, ac *huffTable
	q      *[64]int32
}

func (d *decoder) processSOS(n int) error {
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
	var sc [3]scanComp
	hasLuma, totalHV := false, 0
	for i := 0; i < ns; i++ {
		// The first component of that identifier not yet in this scan, as
		// libjpeg-turbo reads frames whose components share identifiers.
		ci := -1
		for j := 0; j < d.ncomp && ci < 0; j++ {
			if d.comp[j].id == seg[1+2*i] && !inScan(sc[:i], j) {
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
		sc[i] = scanComp{ci: ci, dc: d.huff[0][td], ac: d.huff[1][ta], q: &d.quant[d.comp[ci].tq]}
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
	if d.scans == 1 {
		// libjpeg's test (jdinput.c): a first scan without every
		// component makes a file of several scans, all of them read
		// into the coefficients before the picture is shown.
		d.multi = ns < d.ncomp
	}
	if d.multi {
		return d.sequentialScan(sc[:ns], hasLuma)
	}
	if err := d.decodeScan(sc[:ns]); err != nil {
		return err
	}
	d.lumaRead = true
	// A scan of every component is the whole picture: libjpeg shows it
	// as it ends, whatever follows (another scan, damage, no EOI).
	d.done = ns == d.ncomp
	return nil
}

func inScan(sc []scanComp, ci int) bool {
	for _, s := range sc {
		if s.ci == ci {
			return true
		}
	}
	return false
}

// decodeScan decodes the scan that holds the luma component into d.plane.
func (d *decoder) decodeScan(sc []scanComp) error {
	h0, v0 := d.comp[0].h, d.comp[0].v
	mcusX := (d.width + 8*h0 - 1) / (8 * h0)
	mcusY := (d.height + 8*v0 - 1) / (8 * v0)
	n := 8 >> d.sh // output pixels per block side
	// The plane is the output alone: the parts of blocks past the image's
	// edge (up to a whole MCU, many times a thin image's size) are dropped.
	d.stride = d.width >> d.sh
	d.plane = make([]byte, d.stride*(d.height>>d.sh))

	// A scan of one component has one block per MCU, left to right over
	// the blocks that touch the image (A.2), and its restart intervals count
	// those blocks. image/jpeg counts them by the interleaved MCUs instead,
	// which differs when luma is subsampled: it fails on such a file (cjpeg
	// writes them, libjpeg reads them), so an attacker could hide a code
	// from it there. This reads them as the standard and libjpeg do.
	single := len(sc) == 1
	d.goMiscounts = single && d.ri > 0 && (h0 > 1 || v0 > 1)
	total := mcusX * mcusY
	blocksX := mcusX
	if single {
		blocksX = (d.width + 7) / 8
		total = blocksX * ((d.height + 7) / 8)
	}
	d.br = bitReader{data: d.data, pos: d.pos}
	var dc [3]int32
	var blk [64]int64
	expectRST := byte(mRST0)
	for mcu := 0; mcu < total; {
		// Once an interval's data ran out (a truncated file, a marker
		// too early), libjpeg decodes no more of it: its blocks are zero,
		// mid-grey, up to the next restart.
		if mcu%blocksX == 0 && !d.deadline.IsZero() && time.Now().After(d.deadline) {
			return ErrDeadline
		}
		skip := d.br.short()
		d.goDiffers = d.goDiffers || skip || d.br.bad
		if skip && d.greyForGood(d.ri) {
			// Nothing can restart the decoding: the rest is grey at
			// once, not block by block (a few bytes claiming 100
			// megapixels cost no more than their plane).
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
					if err := d.skipBlock(s); err != nil {
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
					put(d.sh, &blk, rows, cols, d.plane[y*d.stride+x:], d.stride, min(n, d.stride-x), min(n, d.height>>d.sh-y))
				}
			}
		}
		mcu++
		if d.ri > 0 && mcu%d.ri == 0 && mcu < total {
			d.restart(expectRST)
			expectRST = mRST0 + (expectRST-mRST0+1)&7
			dc = [3]int32{}
		}
	}
	d.pos = d.br.pos
	d.goDiffers = d.goDiffers || d.br.short() || d.br.bad
	return nil
}

// greyForGood says that the scan's data ran out for good: no restarts (ri,
// the scan's restart interval), or the marker that ended it is one restart
// leaves in place (see restart).
func (d *decoder) greyForGood(ri int) bool {
	if ri == 0 {
		return true
	}
	m, _, _ := nextMarker(d.data, d.br.pos)
	return m >= mSOF0 && (m < mRST0 || m > mRST7)
}

// restart finds the expected RST marker as libjpeg does (resync), which
// shows a damaged picture's other intervals. Bytes of the interval left
// unread (whether the bit reader loaded them or not) are a stream
// image/jpeg fails on: it wants the marker next.
func (d *decoder) restart(want byte) {
	m, at, _ := nextMarker(d.data, d.br.pos)
	d.goDiffers = d.goDiffers || d.br.bad || m != want || at != d.br.pos || d.br.unread()
	p, taken := resync(d.data, d.br.pos, want)
	if !taken {
		d.br = bitReader{data: d.data, pos: p, end: true, over: d.br.short()}
		return
	}
	d.br = bitReader{data: d.data, pos: p}
}

// resync is where the restart interval after a boundary starts, the
// interval before it read up to p, as libjpeg finds it (jdmarker.c,
// read_restart_marker and jpeg_resync_to_restart): data before the next
// marker is skipped; the expected RST (want), or one too far off to judge,
// is taken and the interval's data starts after it; an earlier RST or a
// marker below SOF0 is passed over for the next; one of the next two RSTs
// or another marker is left where it is (taken false, pos its position),
// so this interval reads as empty and a later boundary meets it again.
// Which markers are passed depends on the boundaries alone, never on the
// coded data, so the marker walk (skipScanData) finds where libjpeg leaves
// a scan without decoding it.
func resync(data []byte, p int, want byte) (pos int, taken bool) {
	for {
		m, at, next := nextMarker(data, p)
		rel := (int(m) - int(want)) & 7
		switch {
		case m == want:
		case m < mSOF0, m >= mRST0 && m <= mRST7 && (rel == 6 || rel == 7):
			p = next
			continue
		case m < mRST0 || m > mRST7 || rel == 1 || rel == 2:
			return at, false
		}
		return next, true
	}
}

// nextMarker finds the first marker at or after p, skipping other bytes and
// fill bytes as libjpeg's next_marker does: its code, the position of its
// 0xff and the position after it. At the end of the data it is an EOI, as
// libjpeg's reader makes one up there.
func nextMarker(data []byte, p int) (m byte, at, next int) {
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
	return mEOI, len(data), len(data)
}

// readBlock decodes one luma block into blk (natural order, dequantized;
// blk is cleared first) and returns the highest row and column holding a
// coefficient.
func (d *decoder) readBlock(s scanComp, dc *int32, blk *[64]int64) (rows, cols int, err error) {
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
	// libjpeg keeps a block's coefficients in 16 bits: a DC value run past
	// them wraps around there (image/jpeg's does not).
	c := int16(*dc)
	if int32(c) != *dc {
		d.goDiffers = true
	}
	q := s.q
	v := int64(c) * int64(q[0])
	if v > maxCoef || v < -maxCoef {
		v, d.wild = dequant(int32(c), q[0]), true
	}
	*blk = [64]int64{}
	blk[0] = v
	sum := abs(v) // of the coefficient magnitudes
	var nz uint64 // bit k: blk[k] was written
	if s.ac == nil {
		return 0, 0, FormatError("uninitialized Huffman table")
	}

	// The AC coefficients as libjpeg reads a sequential scan (jdhuff.c),
	// which is what mail clients show: a symbol of no size is the end of
	// the block whatever its run (image/jpeg reads a progressive
	// end-of-band run there), and a coefficient whose run passes the last
	// one has its bits read and lands on the last (image/jpeg reads no
	// bits). Streams that differ so are made to, to show one picture to
	// the reader and another to a gateway.
	//
	// The bit buffer is kept in locals (registers) and written back to b
	// around the calls that use it.
	acc, n := b.acc, b.n
	fast, look := &s.ac.fastAC, &s.ac.look
	for z := 1; z <= 63; z++ {
		if n < 16 {
			b.acc, b.n = acc, n
			b.fill()
			acc, n = b.acc, b.n
		}
		var ac int32
		var r int
		if e := fast[acc>>(64-fastBits)]; e != 0 {
			// The symbol and its extra bits in one look-up.
			l := e & 15
			acc <<= l
			n -= int(l)
			r = int(e>>8) & 15
			if e&fastEOB != 0 {
				if r != 15 {
					d.goDiffers = d.goDiffers || r != 0
					break
				}
				z += 15
				continue
			}
			ac = e >> 16
		} else {
			if n < 32 { // a code and its extra bits
				b.acc, b.n = acc, n
				b.fill()
				acc, n = b.acc, b.n
			}
			var rs byte
			if e := look[acc>>(64-lookBits)]; e != 0 {
				l := int(e >> 8)
				acc <<= l
				n -= l
				rs = byte(e)
			} else {
				b.acc, b.n = acc, n
				if rs, err = b.symbol(s.ac); err != nil {
					return 0, 0, err
				}
				acc, n = b.acc, b.n
			}
			size := int(rs & 0x0f)
			r = int(rs >> 4)
			if size == 0 {
				if r != 15 {
					d.goDiffers = d.goDiffers || r != 0
					break
				}
				z += 15
				continue
			}
			// At most 15 bits, and 16 are left: at least 32 before a
			// code of at most 16. The value's sign extended without a
			// branch (F.2.2.1).
			x := int32(acc >> (64 - size))
			acc <<= size
			n -= size
			ac = x + (x-1<<(size-1))>>31&(-1<<size+1)
		}
		if z += r; z > 63 {
			z = 63
			d.goDiffers = true
		}
		v := int64(ac) * int64(q[z&63])
		if uint64(v+maxCoef) > 2*maxCoef {
			v, d.wild = dequant(ac, q[z&63]), true
		}
		m := v >> 63
		sum += v ^ m - m
		k := unzig[z&63] & 63
		blk[k] = v
		nz |= 1 << k
	}
	b.acc, b.n = acc, n
	if sum > wildSum {
		d.wild = true
	}
	// The highest row and column written.
	cs := nz | nz>>32
	cs |= cs >> 16
	cs |= cs >> 8
	return (bits.Len64(nz|1) - 1) >> 3, bits.Len8(uint8(cs|1)) - 1, nil
}

// skipBlock reads a chroma block only to pass over its bits.
func (d *decoder) skipBlock(s scanComp) error {
	if s.dc == nil {
		return FormatError("uninitialized Huffman table")
	}
	b := &d.br
	t, err := b.symbol(s.dc)
	if err != nil {
		return err
	}
	if t > 16 {
		return FormatError("excessive DC component")
	}
	if _, err := b.bits(int(t)); err != nil {
		return err
	}
	if s.ac == nil {
		return FormatError("uninitialized Huffman table")
	}
	look := &s.ac.look
	acc, n := b.acc, b.n
	for z := 1; z <= 63; z++ {
		if n < 32 { // a code and its extra bits
			b.acc, b.n = acc, n
			b.fill()
			acc, n = b.acc, b.n
		}
		var rs byte
		if e := look[acc>>(64-lookBits)]; e != 0 {
			l := int(e >> 8)
			acc <<= l
			n -= l
			rs = byte(e)
		} else {
			b.acc, b.n = acc, n
			if rs, err = b.symbol(s.ac); err != nil {
				return err
			}
			acc, n = b.acc, b.n
		}
		size, r := int(rs&0x0f), int(rs>>4)
		if size == 0 {
			if r != 15 {
				d.goDiffers = d.goDiffers || r != 0
				break
			}
			z += 15
			continue
		}
		// At most 15 bits, and 16 are left: at least 32 before a code
		// of at most 16.
		acc <<= size
		n -= size
		if z += r; z > 63 {
			z = 63
			d.goDiffers = true
		}
	}
	b.acc, b.n = acc, n
	return nil
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// unzig maps a zig-zag index to its natural (row-major) index.
var unzig = zigzag()

func zigzag() (unzig [64]uint8) {
	i := 0
	for s := 0; s < 15; s++ {
		for k := 0; k <= s; k++ {
			x, y := k, s-k // even diagonals run up from the bottom-left
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
