package urls

import (
	"encoding/binary"
	"image"
	"math/bits"

	"github.com/makiuchi-d/gozxing"
)

// The code readers search a black and white matrix, not grey pixels. This
// file makes that matrix the way ZXing's hybrid binarizer does (each 8×8
// block of pixels is black below a threshold: the mean of the black points
// of the 5×5 blocks around it, where a block's black point is its mean
// level, or a guess from its neighbours when it is nearly flat), with the
// same result bit for bit (TestBinarizerMatchesGozxing), but straight from
// the grey plane and a word of the matrix at a time, where gozxing's goes
// through a call per pixel.
//
// A light-on-dark code is searched in the matrix of the inverted picture.
// The statistics of every block are gathered once and serve both
// polarities: the inverted picture's sum, minimum and maximum follow from
// the picture's own, so only the thresholds and the last pass over the
// pixels are done again. The result is the matrix gozxing would make from
// the inverted pixels, not the picture's matrix flipped: the two differ in
// flat areas (a flat block is taken for background in either polarity), and
// a flipped matrix surrounds a light-on-dark code in a dark frame with black,
// where the finder patterns need their light margin.

const (
	blockPow   = 3 // blocks of 8×8 pixels
	blockSide  = 1 << blockPow
	minBlocks  = 5  // smaller images: gozxing's global histogram (binarizeSmall)
	flatRange  = 24 // a block whose levels span no more than this is flat
	blockCount = blockSide * blockSide
)

// codePlane is one grey image prepared for the code readers: the
// statistics of its blocks, gathered once, and the matrix of each polarity,
// made when first asked for.
type codePlane struct {
	pix            []byte
	w, h, stride   int
	subW, subH     int
	sum            []int32 // per block
	lo, hi         []uint8 // per block
	matrix         [2]*gozxing.BitMatrix
	err            [2]error
	src            gozxing.LuminanceSource
	small          bool // too small for blocks: gozxing's global histogram
	statsDone      bool
	points, thresh []int32 // scratch, per block
}

func newCodePlane(g *image.Gray) (*codePlane, error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	src, err := gozxing.NewPlanarYUVLuminanceSource(g.Pix, g.Stride, h, 0, 0, w, h, false)
	if err != nil {
		return nil, err
	}
	return &codePlane{
		pix: g.Pix, w: w, h: h, stride: g.Stride, src: src,
		small: w < minBlocks*blockSide || h < minBlocks*blockSide,
	}, nil
}

// bitmap is the plane for the readers, dark codes (inverted false) or
// light ones (inverted true).
func (p *codePlane) bitmap(inverted bool) *gozxing.BinaryBitmap {
	bmp, _ := gozxing.NewBinaryBitmap(planeBinarizer{p, inverted}) // fails only on a nil binarizer
	return bmp
}

// blackMatrix is the matrix of one polarity, made once.
func (p *codePlane) blackMatrix(inverted bool) (*gozxing.BitMatrix, error) {
	i := 0
	if inverted {
		i = 1
	}
	if p.matrix[i] == nil && p.err[i] == nil {
		if p.small {
			p.matrix[i], p.err[i] = p.binarizeSmall(inverted)
		} else {
			p.matrix[i] = p.binarize(inverted)
		}
	}
	return p.matrix[i], p.err[i]
}

// binarizeSmall is gozxing's own binarizer on an image too small for the
// block method (it falls back to a global histogram then, and so do we).
func (p *codePlane) binarizeSmall(inverted bool) (*gozxing.BitMatrix, error) {
	src := p.src
	if inverted {
		src = gozxing.NewInvertedLuminanceSource(src)
	}
	return gozxing.NewHybridBinarizer(src).GetBlackMatrix()
}

// blockOrigin is where block i of n starts on a side of size pixels: the
// last block is moved back to fit, overlapping the one before it.
func blockOrigin(i, size int) int {
	return min(i<<blockPow, size-blockSide)
}

// stats gathers the sum, minimum and maximum of every block: the eight
// pixels of a row at once, the sums in four 16-bit lanes (a block sums to
// at most 64×255, which one lane holds), the extremes byte by byte down the
// block's rows and then across the bytes left (byteMinMax), without a
// branch. (Comparing a pixel at a time, stopping where a block showed it
// was not flat, cost a branch taken at random per pixel: most blocks of a
// photograph at the search's scale are flat, or show it only in their last
// rows.) Only whether a block is flat, and a flat block's minimum, are used
// (thresholds), so the same matrix comes out either way.
func (p *codePlane) stats() {
	if p.statsDone {
		return
	}
	p.subW, p.subH = (p.w+blockSide-1)>>blockPow, (p.h+blockSide-1)>>blockPow
	n := p.subW * p.subH
	p.sum, p.lo, p.hi = make([]int32, n), make([]uint8, n), make([]uint8, n)
	p.points, p.thresh = make([]int32, n), make([]int32, n)
	const bytes, ones = 0x00ff00ff00ff00ff, 0x0001000100010001
	for by := 0; by < p.subH; by++ {
		top := p.pix[blockOrigin(by, p.h)*p.stride:]
		for bx := 0; bx < p.subW; bx++ {
			x0 := blockOrigin(bx, p.w)
			var rows [blockSide]uint64
			var lanes uint64
			for r := range rows {
				v := binary.LittleEndian.Uint64(top[r*p.stride+x0:][:blockSide:blockSide])
				lanes += v&bytes + v>>8&bytes
				rows[r] = v
			}
			// Down the rows in pairs, then across the eight bytes: rotated,
			// every byte of lo ends as the minimum, of hi the maximum.
			l0, h0 := byteMinMax(rows[0], rows[1])
			l1, h1 := byteMinMax(rows[2], rows[3])
			l2, h2 := byteMinMax(rows[4], rows[5])
			l3, h3 := byteMinMax(rows[6], rows[7])
			l0, _ = byteMinMax(l0, l1)
			l2, _ = byteMinMax(l2, l3)
			lo, _ := byteMinMax(l0, l2)
			_, h0 = byteMinMax(h0, h1)
			_, h2 = byteMinMax(h2, h3)
			_, hi := byteMinMax(h0, h2)
			for _, k := range [3]int{32, 16, 8} {
				lo, _ = byteMinMax(lo, bits.RotateLeft64(lo, k))
				_, hi = byteMinMax(hi, bits.RotateLeft64(hi, k))
			}
			i := by*p.subW + bx
			p.sum[i], p.lo[i], p.hi[i] = int32(lanes*ones>>48), uint8(lo), uint8(hi)
		}
	}
	p.statsDone = true
}

// levels is the range of grey of g, the picture p was made of, from the
// blocks' statistics (ok false when they were not gathered: p is nil,
// small, or not yet binarized). The blocks cover every pixel of the plane,
// the last of a row or column moved back to fit; the plane is all of g's
// pixels when g's rows follow each other without a gap, as the decoded
// pictures' do, so the range is the one a pass over g.Pix finds.
func (p *codePlane) levels(g *image.Gray) (lo, hi uint8, ok bool) {
	if p == nil || !p.statsDone || len(g.Pix) != p.w*p.h || g.Stride != p.w || &g.Pix[0] != &p.pix[0] {
		return 0, 0, false
	}
	lo, hi = 255, 0
	for i := range p.lo {
		lo, hi = min(lo, p.lo[i]), max(hi, p.hi[i])
	}
	return lo, hi, true
}

// byteMinMax is the smaller and the larger of a and b in each of their
// eight bytes (unsigned), without a branch. A byte's top bit says which is
// larger when the two differ there; when they do not, the difference of the
// low seven bits, taken with a's top bit set (so no byte borrows from the
// next), says it.
func byteMinMax(a, b uint64) (lo, hi uint64) {
	const top = 0x8080808080808080
	low := (a | top) - (b &^ top)   // top bit: a's low seven bits >= b's
	ge := (a&^b | ^(a^b)&low) & top // top bit: a >= b
	d := (a ^ b) & (ge<<1 - ge>>7)  // the bytes where a >= b: 0xff
	return a ^ d, b ^ d
}

// thresholds computes every block's threshold for one polarity into
// p.thresh: the black points first (a block's mean, or for a flat block
// half its minimum, raised to its neighbours' when they say the block is
// dark), then the mean of the 5×5 black points around each block.
func (p *codePlane) thresholds(inverted bool) {
	sw, sh := p.subW, p.subH
	bp := p.points
	for by := 0; by < sh; by++ {
		for bx := 0; bx < sw; bx++ {
			i := by*sw + bx
			sum, lo, hi := p.sum[i], int32(p.lo[i]), int32(p.hi[i])
			if inverted {
				sum, lo, hi = blockCount*255-sum, 255-hi, 255-lo
			}
			point := sum >> (2 * blockPow)
			if hi-lo <= flatRange {
				point = lo / 2
				if by > 0 && bx > 0 {
					if near := (bp[i-sw] + 2*bp[i-1] + bp[i-sw-1]) / 4; lo < near {
						point = near
					}
				}
			}
			bp[i] = point
		}
	}
	col := make([]int32, sw) // black points summed down the five block rows around
	last := -1
	for by := 0; by < sh; by++ {
		top := min(max(by, 2), sh-3)
		if top != last { // the window moved (it stays put near the edges)
			last = top
			clear(col)
			for row := top - 2; row <= top+2; row++ {
				for bx, v := range bp[row*sw : (row+1)*sw] {
					col[bx] += v
				}
			}
		}
		for bx := 0; bx < sw; bx++ {
			left := min(max(bx, 2), sw-3)
			c := col[left-2 : left+3 : left+3]
			p.thresh[by*sw+bx] = (c[0] + c[1] + c[2] + c[3] + c[4]) / 25
		}
	}
}

// binarize makes the matrix of one polarity: a pixel is black when it is at
// or below its block's threshold (at or above, inverted). Where the last
// block of a row or column overlaps the one before it, a pixel black by
// either block is black.
func (p *codePlane) binarize(inverted bool) *gozxing.BitMatrix {
	p.stats()
	p.thresholds(inverted)
	// A pixel is black where it is not over its threshold t; in the
	// inverted picture where 255-v <= t, that is where v is over 254-t.
	flip := uint64(0xffffffff)
	if inverted {
		for i, t := range p.thresh {
			p.thresh[i] = 254 - t
		}
		flip = 0
	}
	m, _ := gozxing.NewBitMatrix(p.w, p.h) // w and h are at least 40 here
	row := gozxing.NewBitArray(p.w)
	words := row.GetBitArray()
	lastY := blockOrigin(p.subH-1, p.h)
	for y := 0; y < p.h; y++ {
		clear(words)
		pix := p.pix[y*p.stride : y*p.stride+p.w]
		p.thresholdRow(words, pix, p.thresh[(y>>blockPow)*p.subW:][:p.subW], flip)
		if y >= lastY && y>>blockPow != p.subH-1 { // also in the last block row, moved up
			p.thresholdRow(words, pix, p.thresh[(p.subH-1)*p.subW:][:p.subW], flip)
		}
		m.SetRow(y, row)
	}
	return m
}

// thresholdRow ORs into words the pixels of one row of pixels over the
// thresholds of one row of blocks (not over them when flip is all ones). Blocks
// start every eight pixels, so four of them make a word of the matrix,
// written at once; the last block of a width that is no multiple of eight,
// moved back over the one before, and the blocks short of a word are ORed
// in one at a time.
func (p *codePlane) thresholdRow(words []uint32, pix []byte, thresh []int32, flip uint64) {
	whole := p.w >> blockPow &^ 3 // blocks in whole words
	for bx := 0; bx < whole; bx += 4 {
		t := (*[4]int32)(thresh[bx:])
		px := (*[32]byte)(pix[bx<<blockPow:])
		b0 := overBits(binary.LittleEndian.Uint64(px[0:]), t[0])
		b1 := overBits(binary.LittleEndian.Uint64(px[8:]), t[1])
		b2 := overBits(binary.LittleEndian.Uint64(px[16:]), t[2])
		b3 := overBits(binary.LittleEndian.Uint64(px[24:]), t[3])
		words[bx>>2] |= uint32((b0 | b1<<8 | b2<<16 | b3<<24) ^ flip)
	}
	for bx := whole; bx < len(thresh); bx++ {
		x0 := blockOrigin(bx, p.w)
		bits := (overBits(binary.LittleEndian.Uint64(pix[x0:]), thresh[bx]) ^ flip&0xff) << (x0 & 31)
		words[x0>>5] |= uint32(bits)
		if hi := uint32(bits >> 32); hi != 0 {
			words[x0>>5+1] |= hi
		}
	}
}

// overBits has bit i set when pixel i > t, for the 8 pixels of v (the first
// in the low byte) and t from -1 to 255. The pixels are compared four at a time in 16-bit lanes: a
// pixel plus 255-t carries into the lane's ninth bit exactly when it is
// over t, and no lane overflows into the next.
func overBits(v uint64, t int32) uint64 {
	const lanes = 0x00ff00ff00ff00ff
	add := uint64(255-t) * 0x0001000100010001
	even := ((v&lanes + add) >> 8) & 0x0001000100010001     // pixels 0, 2, 4, 6 at bits 0, 16, 32, 48
	odd := (((v>>8)&lanes + add) >> 7) & 0x0002000200020002 // pixels 1, 3, 5, 7 at bits 1, 17, 33, 49
	m := even | odd
	return (m | m>>14 | m>>28 | m>>42) & 0xff
}

// planeBinarizer is one polarity of a codePlane as gozxing's readers ask
// for it.
type planeBinarizer struct {
	p        *codePlane
	inverted bool
}

func (b planeBinarizer) source() gozxing.LuminanceSource {
	if b.inverted {
		return gozxing.NewInvertedLuminanceSource(b.p.src)
	}
	return b.p.src
}

func (b planeBinarizer) GetLuminanceSource() gozxing.LuminanceSource { return b.source() }
func (b planeBinarizer) GetWidth() int                               { return b.p.w }
func (b planeBinarizer) GetHeight() int                              { return b.p.h }

func (b planeBinarizer) GetBlackMatrix() (*gozxing.BitMatrix, error) {
	return b.p.blackMatrix(b.inverted)
}

// GetBlackRow serves one-dimensional readers, which the code search does
// not run; it is gozxing's, as its hybrid binarizer's is.
func (b planeBinarizer) GetBlackRow(y int, row *gozxing.BitArray) (*gozxing.BitArray, error) {
	return gozxing.NewHybridBinarizer(b.source()).GetBlackRow(y, row)
}

// CreateBinarizer serves readers that crop or rotate the image (the code
// search runs none): gozxing's binarizer on the new source.
func (b planeBinarizer) CreateBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	return gozxing.NewHybridBinarizer(src)
}
