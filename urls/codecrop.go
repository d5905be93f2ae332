package urls

import (
	"image"
	"math/bits"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
)

// Data Matrix and Aztec codes away from the middle of a picture. gozxing's
// detectors for both start from the centre of the image they are given
// (Data Matrix grows a white rectangle out from it, Aztec looks for its
// bullseye there), so a code in a corner of a flyer is not found by reading
// the whole picture. The black and white matrix already made for the
// readers is scanned for the two codes' finder patterns, and the readers
// are run again on crops around the best few:
//
//   - Aztec's bullseye: across its centre, a row of dark and light runs of
//     one module each (ring 3 light, 2 dark, 1 light, the centre dark, and
//     back), the same again down the column; the crop is a square centred
//     on it, so the detector starts from the bullseye.
//   - Data Matrix's L: two solid dark edges meeting at a corner, the
//     horizontal one found as a long run in a row, the other down or up a
//     column from one of its ends, and the two opposite edges (the timing
//     patterns) alternating. The crop is the symbol's box in a synthesized
//     white margin, so the detector's white rectangle closes around it
//     whatever the picture holds around the code.
//
// At most maxCropCandidates crops are read per matrix, best first, so a
// hostile picture full of stripes costs a bounded multiple of one reading.
// A Data Matrix is found this way when its edges run along the picture's
// rows and columns (upright or turned a quarter); a tilted one only when it
// covers the picture's centre.

const (
	maxCropCandidates = 16 // crops read per matrix (per picture and polarity)
	maxAztecCrops     = 8  // of which Aztec bullseyes at most
	minDMArm          = 14 // pixels of Data Matrix's shortest solid edge (8 modules of 2 pixels, less blur)
	minDMTransitions  = 5  // light/dark changes along each timing edge (a symbol is at least 8 modules a side)
	aztecCropModules  = 80 // modules each side of a bullseye's centre cropped (the largest Aztec is 151 wide)
	dmCropMargin      = 8  // pixels of synthesized white around a Data Matrix crop
)

// darkRun is the dark pixels [x0, x1) of one row.
type darkRun struct{ x0, x1 int }

// cropCandidate is a region to read again: a square around an Aztec
// bullseye, or a Data Matrix's box.
type cropCandidate struct {
	r     image.Rectangle
	aztec bool
	score int // lower is better
}

// offCentreCodes reads the Data Matrix and Aztec codes the finder scan
// locates in m, at most maxCropCandidates crops, and returns their texts
// (those in skip left out).
func offCentreCodes(m *gozxing.BitMatrix, skip []string) (out []string) {
	defer func() {
		if recover() != nil { // a reader bug on hostile pixels is no code, not a crash
			out = nil
		}
	}()
	for _, c := range cropCandidates(m) {
		var text string
		if c.aztec {
			text = readCrop(aztecReader{}, cropMatrix(m, c.r, 0))
		} else {
			text = readCrop(datamatrix.NewDataMatrixReader(), cropMatrix(m, c.r, dmCropMargin))
		}
		if text != "" && !containsString(skip, text) && !containsString(out, text) {
			out = append(out, text)
		}
	}
	return out
}

// alike is the streak of alike run lengths once b follows a: one longer
// when the two are within half of the shorter (a pixel for the shortest)
// and not both under two pixels, else none.
func alike(streak, a, b int) int {
	if a >= 0 && a+b >= 4 && abs(a-b) <= max(1, min(a, b)/2) {
		return streak + 1
	}
	return 0
}

// alikeMask[a<<5|b] is -1 where alike counts b after a, else 0: the
// scan's run lengths are mostly short, and a lookup and a mask cost less
// than alike's tests, whose branches a photograph's runs make a coin toss.
var alikeMask = func() (t [32 * 32]int8) {
	for a := range 32 {
		for b := range 32 {
			t[a<<5|b] = int8(-alike(0, a, b))
		}
	}
	return t
}()

// alikeRun is alike(streak, a, b), from alikeMask when both are short.
func alikeRun(streak, a, b int) int {
	if uint(a|b) < 32 { // a < 0 (no run before) is not short
		return (streak + 1) & int(alikeMask[a<<5|b])
	}
	return alike(streak, a, b)
}

func abs(v int) int { return max(v, -v) }

func containsString(list []string, s string) bool {
	for _, t := range list {
		if t == s {
			return true
		}
	}
	return false
}

// readCrop runs rd on a crop; "" when it finds nothing.
func readCrop(rd gozxing.Reader, m *gozxing.BitMatrix) string {
	if m == nil {
		return ""
	}
	bmp, _ := gozxing.NewBinaryBitmap(matrixBinarizer{m})
	if r, err := rd.Decode(bmp, codeHints); err == nil {
		return r.GetText()
	}
	return ""
}

// cropCandidates scans m's rows for Aztec bullseyes and Data Matrix L
// edges: the best maxCropCandidates regions, overlapping ones merged.
func cropCandidates(m *gozxing.BitMatrix) []cropCandidate {
	w, h := m.GetWidth(), m.GetHeight()
	s := cropScan{m: m}
	row := gozxing.NewBitArray(w)
	// Every second row: the codes read here have modules of two pixels or
	// more, so a bullseye's centre and an L's edge each span two rows.
	// The row is read 64 pixels at a time (half the loop's exits a
	// photograph's runs make unpredictable), with one clear word past the
	// end that closes a run there.
	nw := (w + 31) >> 5
	row64 := make([]uint64, (w+63)>>6+1)
	s.trans = make([]uint64, len(row64)+1) // and a clear word past that
	for y := 0; y < h; y += 2 {
		words := m.GetRow(y, row).GetBitArray()[:nw] // bits past w are clear
		for i := range row64[:len(row64)-1] {
			v := uint64(words[2*i])
			if 2*i+1 < nw {
				v |= uint64(words[2*i+1]) << 32
			}
			row64[i] = v
		}
		carry := uint64(0)
		for i, word := range row64 {
			s.trans[i] = word ^ (word<<1 | carry) // set where a pixel differs from the one before
			carry = word >> 63
		}
		s.row, s.y = row64, y
		// A run of one pixel is alike no run next to it (alike), so it
		// ends any streak: what comes after it is scanned as if the row
		// started there (restart), and between two such runs less than
		// minDMArm apart there is neither room for a bullseye's seven
		// inner runs of two pixels or more nor for a Data Matrix edge, so
		// nothing there is scanned. In a photograph's noise most runs lie
		// so; the scan is the same as a scan of every run
		// (TestCropCandidatesMatchReference).
		r := 0 // where the scan restarts: the start of a dark run, or the row's
		for i := range row64 {
			iso := s.trans[i] & (s.trans[i]>>1 | s.trans[i+1]<<63) // runs of one pixel, at their pixel
			for ; iso != 0; iso &= iso - 1 {
				x := i<<6 | bits.TrailingZeros64(iso)
				dark := int(row64[i] >> (x & 63) & 1)
				if x-r >= minDMArm {
					// Up to the one-pixel run, through its end when it is
					// dark: it may be the bullseye's last dark run.
					s.runs(r, x+1+dark)
				}
				r = x + 1 - dark // it, or the dark run after it
			}
		}
		s.runs(r, len(row64)<<6)
	}
	byScore := func(cs []cropCandidate) {
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].score < cs[j].score })
	}
	byScore(s.az)
	byScore(s.dm)
	az := s.az[:min(len(s.az), maxAztecCrops)]
	dm := s.dm[:min(len(s.dm), maxCropCandidates-len(az))]
	return append(az, dm...)
}

// cropScan is cropCandidates' scan of a row's runs.
type cropScan struct {
	m      *gozxing.BitMatrix
	y      int
	row    []uint64 // the row's pixels
	trans  []uint64 // set where a pixel differs from the one before
	az, dm []cropCandidate
}

// runs scans the runs whose ends (the pixels that differ from the one
// before) lie in [from, to), as a scan that starts at from: the row's
// start, or the start of a dark run. A bullseye is seven lengths alike
// between two dark runs, from a light one to a light one: streak counts
// the adjacent lengths alike so far, which rejects nearly all of a
// photograph's runs at the cost of a subtraction. last holds the last four
// dark runs.
func (s *cropScan) runs(from, to int) {
	var last [4]darkRun
	n, streak, prev, end, start := 0, 0, -1, 0, 0 // end: where the last dark run ended
	for wi := from >> 6; wi < len(s.row) && wi<<6 < to; wi++ {
		word, t := s.row[wi], s.trans[wi]
		if wi == from>>6 {
			t &= ^uint64(0) << (from & 63)
		}
		if wi == (to-1)>>6 {
			t &= ^uint64(0) >> (63 - (to-1)&63)
		}
		for ; t != 0; t &= t - 1 {
			b := bits.TrailingZeros64(t)
			if word>>b&1 == 1 { // a dark run starts
				start = wi<<6 | b
				continue
			}
			r := darkRun{start, wi<<6 | b}
			if n > 0 {
				gap := r.x0 - end
				streak, prev = alikeRun(streak, prev, gap), gap
				if streak >= 6 && n >= 4 {
					d := [5]darkRun{last[(n-4)&3], last[(n-3)&3], last[(n-2)&3], last[(n-1)&3], r}
					if c, ok := bullseyeAt(s.m, d[:], s.y); ok {
						s.az = addCandidate(s.az, c)
					}
				}
			}
			l := r.x1 - r.x0
			streak, prev, end = alikeRun(streak, prev, l), l, r.x1
			last[n&3], n = r, n+1
			if l >= minDMArm {
				for _, c := range dataMatrixL(s.m, r, s.y) {
					s.dm = addCandidate(s.dm, c)
				}
			}
		}
	}
}

func area(r image.Rectangle) int { return r.Dx() * r.Dy() }

// addCandidate adds c to cs, or keeps the better of c and a candidate of
// the same kind whose centre lies within the other's region. The list is
// bounded: past 4×maxCropCandidates the worst is dropped.
func addCandidate(cs []cropCandidate, c cropCandidate) []cropCandidate {
	centre := func(r image.Rectangle) image.Point { return r.Min.Add(r.Max).Div(2) }
	for i, o := range cs {
		if centre(c.r).In(o.r) || centre(o.r).In(c.r) {
			// the rows of a thick edge each find the box; the best reading
			// of it, then the largest (the edge's outer row), is kept
			if c.score < o.score || c.score == o.score && area(c.r) > area(o.r) {
				cs[i] = c
			}
			return cs
		}
	}
	if len(cs) >= 4*maxCropCandidates {
		worst := 0
		for i, o := range cs {
			if o.score > cs[worst].score {
				worst = i
			}
		}
		if c.score >= cs[worst].score {
			return cs
		}
		cs[worst] = c
		return cs
	}
	return append(cs, c)
}

// bullseyeAt says whether five dark runs of row y, with the light gaps
// between them, are the row through an Aztec bullseye: the inner seven runs
// (light, dark, light, centre, light, dark, light) one module each, the
// outer two at least half a module (they may join the mode ring's dark
// modules). The column through the centre must show the same.
func bullseyeAt(m *gozxing.BitMatrix, d []darkRun, y int) (cropCandidate, bool) {
	inner := [7]int{
		d[1].x0 - d[0].x1, d[1].x1 - d[1].x0, d[2].x0 - d[1].x1,
		d[2].x1 - d[2].x0,
		d[3].x0 - d[2].x1, d[3].x1 - d[3].x0, d[4].x0 - d[3].x1,
	}
	sum := 0
	for _, v := range inner {
		sum += v
	}
	if sum < 12 { // modules under 2 pixels: noise, not a code the search reads
		return cropCandidate{}, false
	}
	devH, ok := evenRuns(inner[:], sum)
	if !ok || 7*(d[0].x1-d[0].x0)*2 < sum || 7*(d[4].x1-d[4].x0)*2 < sum {
		return cropCandidate{}, false
	}
	cx := (d[2].x0 + d[2].x1) / 2
	// Rings, not a checkerboard: the corners of ring 1 are light and those
	// of ring 2 dark, where a checkerboard has the centre's colour and the
	// other one. Cheaper than the column, so first.
	mod := sum / 7
	if y < 2*mod || y+2*mod >= m.GetHeight() {
		return cropCandidate{}, false
	}
	for _, p := range [4]image.Point{{-1, -1}, {1, -1}, {-1, 1}, {1, 1}} {
		if m.Get(cx+p.X*mod, y+p.Y*mod) || !m.Get(cx+2*p.X*mod, y+2*p.Y*mod) {
			return cropCandidate{}, false
		}
	}
	col, cy, ok := columnRuns(m, cx, y)
	if !ok {
		return cropCandidate{}, false
	}
	vsum := 0
	for _, v := range col {
		vsum += v
	}
	devV, ok := evenRuns(col[:], vsum)
	if !ok || vsum*2 < sum || vsum > 2*sum { // rows and columns agree on the module
		return cropCandidate{}, false
	}
	mod = (sum + vsum) / 14
	half := min(aztecCropModules*mod, cx, cy, m.GetWidth()-cx, m.GetHeight()-cy)
	if half < 6*mod { // the bullseye and its orientation marks do not fit
		return cropCandidate{}, false
	}
	return cropCandidate{r: image.Rect(cx-half, cy-half, cx+half, cy+half), aztec: true, score: devH + devV}, true
}

// evenRuns says whether the runs are all within half a module (and a
// pixel) of their mean; dev is how far they stray, in 1/7 pixels.
func evenRuns(runs []int, sum int) (dev int, ok bool) {
	n := len(runs)
	for _, v := range runs {
		d := abs(n*v - sum)
		if d > sum/2+n {
			return 0, false
		}
		dev += d
	}
	return dev, true
}

// columnRuns are the seven runs down column x through a bullseye centre
// on row y (three runs up, the centre's dark run, three down), and the
// centre's middle row.
func columnRuns(m *gozxing.BitMatrix, x, y int) (runs [7]int, cy int, ok bool) {
	h := m.GetHeight()
	if !m.Get(x, y) {
		return runs, 0, false
	}
	top, bot := y, y
	for top > 0 && m.Get(x, top-1) {
		top--
	}
	for bot+1 < h && m.Get(x, bot+1) {
		bot++
	}
	runs[3] = bot - top + 1
	// walk: from the centre run outwards, three alternating runs each way
	at, dark := top-1, false
	for i := 2; i >= 0; i-- {
		n := 0
		for at >= 0 && m.Get(x, at) == dark {
			n++
			at--
		}
		if at < 0 || n == 0 {
			return runs, 0, false
		}
		runs[i], dark = n, !dark
	}
	at, dark = bot+1, false
	for i := 4; i < 7; i++ {
		n := 0
		for at < h && m.Get(x, at) == dark {
			n++
			at++
		}
		if at >= h || n == 0 {
			return runs, 0, false
		}
		runs[i], dark = n, !dark
	}
	return runs, (top + bot) / 2, true
}

// dataMatrixL are the Data Matrix boxes whose solid horizontal edge is run
// r of row y: at either end of it, a solid dark column up or down, of a
// length a Data Matrix has (a rectangular symbol is up to about four times
// as long as high), and the two opposite edges alternating.
func dataMatrixL(m *gozxing.BitMatrix, r darkRun, y int) []cropCandidate {
	var out []cropCandidate
	l := r.x1 - r.x0
	bounds := image.Rect(0, 0, m.GetWidth(), m.GetHeight())
	h := m.GetHeight()
	for _, dir := range []int{-1, 1} {
		// An edge along a column goes on from one end of r (r lies within
		// the other edge, a module thick): cheap to ask first.
		if yy := y + 4*dir; yy < 0 || yy >= h || !m.Get(r.x0, yy) && !m.Get(r.x1-1, yy) {
			continue
		}
		// The edge's outer row (rows are scanned two apart), no more than
		// an eighth of the edge thick, and the quiet zone outside it light:
		// what rejects the long dark runs of a photograph's dark areas.
		y0, mid := y, (r.x0+r.x1)/2
		for y0-dir >= 0 && y0-dir < h && m.Get(mid, y0-dir) && abs(y0-y) <= l/8 {
			y0 -= dir
		}
		q := y0 - dir
		if abs(y0-y) > l/8 || q >= 0 && q < h && (m.Get(r.x0+l/4, q) || m.Get(mid, q) || m.Get(r.x1-1-l/4, q)) {
			continue
		}
		for _, x := range []int{r.x0, r.x1 - 1} {
			v := darkColumn(m, x, y0, dir, 5*l)
			if v < minDMArm || 5*v < l || v > 5*l {
				continue
			}
			top, bot := y0, y0+v-1
			if dir < 0 {
				top, bot = y0-v+1, y0
			}
			box := image.Rect(r.x0, top, r.x1, bot+1)
			farRow := top + 1 // the edge row away from r, one pixel in
			if dir > 0 {
				farRow = bot - 1
			}
			farCol := r.x1 - 2 // the edge column away from x, one pixel in
			if x != r.x0 {
				farCol = r.x0 + 1
			}
			tr, ok := timing(m, farRow, r.x0, r.x1, true)
			if !ok {
				continue
			}
			tc, ok := timing(m, farCol, box.Min.Y, box.Max.Y, false)
			if !ok {
				continue
			}
			out = append(out, cropCandidate{r: box.Inset(-1).Intersect(bounds), score: tr + tc})
		}
	}
	return out
}

// timing says whether the row (or column) at runs from a to b as a timing
// pattern does: dark and light modules in turn, at least minDMTransitions
// changes, every run but the two at the ends (which may join the corners)
// within half a module and a pixel of the mean; dev is how far they stray.
func timing(m *gozxing.BitMatrix, at, a, b int, row bool) (dev int, ok bool) {
	if at < 0 || (row && at >= m.GetHeight()) || (!row && at >= m.GetWidth()) || b-a < minDMArm {
		return 0, false
	}
	get := func(i int) bool {
		if row {
			return m.Get(i, at)
		}
		return m.Get(at, i)
	}
	var runs [160]int // a Data Matrix is at most 144 modules a side
	n, start, prev := 0, a, get(a)
	for i := a + 1; i <= b; i++ {
		if i == b || get(i) != prev {
			if n == len(runs) {
				return 0, false
			}
			runs[n], n, start = i-start, n+1, i
			if i < b {
				prev = !prev
			}
		}
	}
	if n-1 < minDMTransitions {
		return 0, false
	}
	inner := runs[1 : n-1]
	sum := 0
	for _, v := range inner {
		sum += v
	}
	return evenRuns(inner, sum)
}

// darkColumn is how many dark pixels run from (x, y) in direction dir
// down the column, at most limit.
func darkColumn(m *gozxing.BitMatrix, x, y, dir, limit int) int {
	n := 0
	for yy := y; yy >= 0 && yy < m.GetHeight() && n < limit && m.Get(x, yy); yy += dir {
		n++
	}
	return n
}

// cropMatrix is the part r of m in a white margin of pad pixels; nil when
// r is empty.
func cropMatrix(m *gozxing.BitMatrix, r image.Rectangle, pad int) *gozxing.BitMatrix {
	r = r.Intersect(image.Rect(0, 0, m.GetWidth(), m.GetHeight()))
	if r.Empty() {
		return nil
	}
	out, err := gozxing.NewBitMatrix(r.Dx()+2*pad, r.Dy()+2*pad)
	if err != nil {
		return nil
	}
	src := gozxing.NewBitArray(m.GetWidth())
	dst := gozxing.NewBitArray(out.GetWidth())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		words := m.GetRow(y, src).GetBitArray()
		dw := dst.GetBitArray()
		clear(dw)
		for x := 0; x < r.Dx(); x += 32 {
			n := min(32, r.Dx()-x)
			v := bitsAt(words, r.Min.X+x)
			if n < 32 {
				v &= 1<<n - 1
			}
			d := pad + x
			dw[d>>5] |= v << (d & 31)
			if d&31 != 0 && d>>5+1 < len(dw) {
				dw[d>>5+1] |= v >> (32 - d&31)
			}
		}
		out.SetRow(y-r.Min.Y+pad, dst)
	}
	return out
}

// bitsAt is the 32 bits of words from bit s on (zeros past the end).
func bitsAt(words []uint32, s int) uint32 {
	i, o := s>>5, s&31
	v := words[i] >> o
	if o != 0 && i+1 < len(words) {
		v |= words[i+1] << (32 - o)
	}
	return v
}

// matrixBinarizer hands a ready matrix (a crop) to gozxing's readers.
type matrixBinarizer struct{ m *gozxing.BitMatrix }

func (b matrixBinarizer) GetLuminanceSource() gozxing.LuminanceSource { return nil }
func (b matrixBinarizer) GetWidth() int                               { return b.m.GetWidth() }
func (b matrixBinarizer) GetHeight() int                              { return b.m.GetHeight() }
func (b matrixBinarizer) GetBlackMatrix() (*gozxing.BitMatrix, error) { return b.m, nil }

// GetBlackRow serves one-dimensional readers, which the crops are not given.
func (b matrixBinarizer) GetBlackRow(y int, row *gozxing.BitArray) (*gozxing.BitArray, error) {
	return b.m.GetRow(y, row), nil
}

// CreateBinarizer serves readers that crop the source; a crop has none.
func (b matrixBinarizer) CreateBinarizer(gozxing.LuminanceSource) gozxing.Binarizer { return b }
