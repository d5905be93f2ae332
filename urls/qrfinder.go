package urls

import (
	"errors"
	"math"
	"math/bits"
	"sort"
	"strings"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/common/util"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// The QR search is gozxing's QRCodeMultiReader (with TRY_HARDER), except
// for its first step: finding the finder patterns (the three squares at a
// QR code's corners). gozxing reads every third row of the matrix a pixel
// at a time, a method call per pixel, which made it the largest part of the
// code search on photographs. qrFinder reads the same rows a run of pixels
// at a time from the packed words (math/bits), and does everything else as
// gozxing's MultiFinderPatternFinder does, step for step: the same rows,
// the same state machine over black and white runs, the same cross-checks
// (vertical, horizontal, diagonal), the same arithmetic in the same order
// (the float tests are gozxing's own functions), the same merging of
// centres and the same choice of triples. Its patterns are gozxing's, bit
// for bit (TestQRFinderMatchesGozxing, FuzzQRFinder); gozxing's detector
// and decoder then read each triple, as DecodeMultiple does.

// qrFinder is one black matrix and the finder pattern centres found in
// it so far. The rows it scans are copied out as words (row); the
// cross-checks, rare, read single pixels with gozxing's own Get.
type qrFinder struct {
	m        *gozxing.BitMatrix
	w, h     int
	row      *gozxing.BitArray
	centers  []*detector.FinderPattern
	deadline time.Time // zero: none
}

func newQRFinder(m *gozxing.BitMatrix, deadline time.Time) *qrFinder {
	return &qrFinder{m: m, w: m.GetWidth(), h: m.GetHeight(), row: gozxing.NewBitArray(m.GetWidth()), deadline: deadline}
}

// errCodeTime stops a search past its deadline.
var errCodeTime = errors.New("urls: the time for reading codes was spent")

// late says the deadline has passed. gozxing has none: a picture of a few
// hundred finder patterns (a grid of them, a few kilobytes of PNG) makes
// hundreds of thousands of triples, each sampled and decoded, minutes of
// work. The search stops there, as appendCodes does between its tries.
func (f *qrFinder) late() bool {
	return !f.deadline.IsZero() && time.Now().After(f.deadline)
}

// get is pixel (x, y), white outside the matrix.
func (f *qrFinder) get(x, y int) bool { return f.m.Get(x, y) }

// runEnd is where the run of pixels that starts at x in row ends, when it
// does not end in x's own word: flip (all ones for a black run, 0 for a
// white one) turns the pixels sought into 1 bits. w when it goes on to the
// end.
func runEnd(row []uint32, x int, flip uint32, w int) int {
	for k := x>>5 + 1; k < len(row); k++ {
		if v := row[k] ^ flip; v != 0 {
			return min(k<<5+bits.TrailingZeros32(v), w)
		}
	}
	return w
}

// findMulti is MultiFinderPatternFinder.FindMulti with TRY_HARDER (every
// third row, whatever the height).
func (f *qrFinder) findMulti() ([]*detector.FinderPatternInfo, error) {
	if err := f.scan(); err != nil {
		return nil, err
	}
	triples, err := f.selectMultipleBestPatterns()
	if err != nil {
		return nil, err
	}
	out := make([]*detector.FinderPatternInfo, 0, len(triples))
	for _, t := range triples {
		bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(t[0], t[1], t[2])
		out = append(out, detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern)))
	}
	return out, nil
}

// scan finds the centres: FindMulti's pass over every third row.
func (f *qrFinder) scan() error {
	for i := detector.FinderPatternFinder_MIN_SKIP - 1; i < f.h; i += detector.FinderPatternFinder_MIN_SKIP {
		if f.late() {
			return errCodeTime
		}
		f.scanRow(i)
	}
	return nil
}

// scanRow is FindMulti's pass over row i. gozxing's state machine moves a
// pixel at a time; a run of pixels of one colour moves it the same way as
// its first pixel does, then adds the rest to the count that pixel landed
// in. State 0, 2 and 4 count black runs, 1 and 3 white ones; at a white
// pixel in state 4 the five counts are tested (1:1:3:1:1): a confirmed
// centre starts the counts afresh (that white pixel uncounted), anything
// else keeps the last three counts and goes on from state 3.
func (f *qrFinder) scanRow(i int) {
	f.row = f.m.GetRow(i, f.row)
	row := f.row.GetBitArray()
	var sc [5]int
	state := 0
	flip := -(row[0] & 1)               // all ones while in a black run
	for j := 0; j < f.w; flip = ^flip { // runs alternate in colour
		end := 0
		if v := (row[j>>5] ^ flip) >> (j & 31); v != 0 { // most runs end in their first word
			end = min(j+bits.TrailingZeros32(v), f.w)
		} else {
			end = runEnd(row, j, flip, f.w)
		}
		n := end - j
		switch {
		case flip != 0:
			if state&1 == 1 {
				state++
			}
			sc[state] += n
		case state&1 == 1:
			sc[state] += n
		case state < 4:
			state++
			sc[state] += n
		case foundPatternCross(&sc) && f.handlePossibleCenter(&sc, i, j):
			sc = [5]int{}
			state = 0
			if n > 1 { // the next white pixel moves state 0 to 1
				state, sc[1] = 1, n-1
			}
		default:
			sc[0], sc[1], sc[2], sc[3], sc[4] = sc[2], sc[3], sc[4], n, 0
			state = 3
		}
		j = end
	}
	if foundPatternCross(&sc) {
		f.handlePossibleCenter(&sc, i, f.w)
	}
}

// foundPatternCross is gozxing's FinderPatternFinder_foundPatternCross,
// which most candidates fail by far: those are turned away here in whole
// numbers first. gozxing tests |total/7 - c| < total/14 for the four
// one-module counts and |3·total/7 - c| < 3·total/14 for the middle one, in
// float64; in whole numbers, t ≤ 14c ≤ 3t and 3t ≤ 14c ≤ 9t hold whenever
// those do. Where they fail it is by at least 1, a margin of 1/14 before
// the division, which float64's rounding (relative 2⁻⁵³ on counts far
// below 2⁴⁰) cannot cross: gozxing would say no too. (A count of 0 fails
// them as it fails gozxing's.) Everything else gets gozxing's own answer.
// The tests are taken together, without a branch each: in a photograph's
// noise nearly every candidate fails one of them, which one at random.
func foundPatternCross(sc *[5]int) bool {
	t := sc[0] + sc[1] + sc[2] + sc[3] + sc[4]
	// 14c - lo and hi - 14c both not negative: 14c within [lo, hi]. Counts
	// are at most a row or column of pixels, far from overflowing.
	a, b, c, d, e := 14*sc[0], 14*sc[1], 14*sc[2], 14*sc[3], 14*sc[4]
	out := (t - 7) | (a - t) | (3*t - a) | (b - t) | (3*t - b) | (c - 3*t) | (9*t - c) |
		(d - t) | (3*t - d) | (e - t) | (3*t - e)
	if out < 0 {
		return false
	}
	return detector.FinderPatternFinder_foundPatternCross(sc[:])
}

// handlePossibleCenter is FinderPatternFinder.HandlePossibleCenter: the
// candidate ending at column j of row i is checked across (down its
// column, along its row, along its diagonal) and merged into a centre found
// before or added as a new one.
func (f *qrFinder) handlePossibleCenter(sc *[5]int, i, j int) bool {
	total := sc[0] + sc[1] + sc[2] + sc[3] + sc[4]
	centerJ := detector.FinderPatternFinder_centerFromEnd(sc[:], j)
	centerI := f.crossCheckVertical(i, int(centerJ), sc[2], total)
	if math.IsNaN(centerI) {
		return false
	}
	centerJ = f.crossCheckHorizontal(int(centerJ), int(centerI), sc[2], total)
	if math.IsNaN(centerJ) || !f.crossCheckDiagonal(int(centerI), int(centerJ)) {
		return false
	}
	size := float64(total) / 7.0
	for k, c := range f.centers {
		if c.AboutEquals(size, centerI, centerJ) {
			f.centers[k] = c.CombineEstimate(centerI, centerJ, size)
			return true
		}
	}
	f.centers = append(f.centers, detector.NewFinderPattern1(centerJ, centerI, size))
	return true
}

// crossCheckVertical is FinderPatternFinder.CrossCheckVertical: the
// 1:1:3:1:1 counts up and down column centerJ from row startI, the centre's
// row or NaN.
func (f *qrFinder) crossCheckVertical(startI, centerJ, maxCount, originalTotal int) float64 {
	var sc [5]int
	i := startI
	for i >= 0 && f.get(centerJ, i) {
		sc[2]++
		i--
	}
	if i < 0 {
		return math.NaN()
	}
	for i >= 0 && !f.get(centerJ, i) && sc[1] <= maxCount {
		sc[1]++
		i--
	}
	if i < 0 || sc[1] > maxCount {
		return math.NaN()
	}
	for i >= 0 && f.get(centerJ, i) && sc[0] <= maxCount {
		sc[0]++
		i--
	}
	if sc[0] > maxCount {
		return math.NaN()
	}
	i = startI + 1
	for i < f.h && f.get(centerJ, i) {
		sc[2]++
		i++
	}
	if i == f.h {
		return math.NaN()
	}
	for i < f.h && !f.get(centerJ, i) && sc[3] < maxCount {
		sc[3]++
		i++
	}
	if i == f.h || sc[3] >= maxCount {
		return math.NaN()
	}
	for i < f.h && f.get(centerJ, i) && sc[4] < maxCount {
		sc[4]++
		i++
	}
	if sc[4] >= maxCount {
		return math.NaN()
	}
	total := sc[0] + sc[1] + sc[2] + sc[3] + sc[4]
	if 5*math.Abs(float64(total-originalTotal)) >= float64(2*originalTotal) {
		return math.NaN()
	}
	if foundPatternCross(&sc) {
		return detector.FinderPatternFinder_centerFromEnd(sc[:], i)
	}
	return math.NaN()
}

// crossCheckHorizontal is FinderPatternFinder.CrossCheckHorizontal: the
// same along row centerI from column startJ, with a tighter bound on how
// far the total may stray.
func (f *qrFinder) crossCheckHorizontal(startJ, centerI, maxCount, originalTotal int) float64 {
	var sc [5]int
	j := startJ
	for j >= 0 && f.get(j, centerI) {
		sc[2]++
		j--
	}
	if j < 0 {
		return math.NaN()
	}
	for j >= 0 && !f.get(j, centerI) && sc[1] <= maxCount {
		sc[1]++
		j--
	}
	if j < 0 || sc[1] > maxCount {
		return math.NaN()
	}
	for j >= 0 && f.get(j, centerI) && sc[0] <= maxCount {
		sc[0]++
		j--
	}
	if sc[0] > maxCount {
		return math.NaN()
	}
	j = startJ + 1
	for j < f.w && f.get(j, centerI) {
		sc[2]++
		j++
	}
	if j == f.w {
		return math.NaN()
	}
	for j < f.w && !f.get(j, centerI) && sc[3] < maxCount {
		sc[3]++
		j++
	}
	if j == f.w || sc[3] >= maxCount {
		return math.NaN()
	}
	for j < f.w && f.get(j, centerI) && sc[4] < maxCount {
		sc[4]++
		j++
	}
	if sc[4] >= maxCount {
		return math.NaN()
	}
	total := sc[0] + sc[1] + sc[2] + sc[3] + sc[4]
	if 5*math.Abs(float64(total-originalTotal)) >= float64(originalTotal) {
		return math.NaN()
	}
	if foundPatternCross(&sc) {
		return detector.FinderPatternFinder_centerFromEnd(sc[:], j)
	}
	return math.NaN()
}

// crossCheckDiagonal is FinderPatternFinder.crossCheckDiagonal: the counts
// along the diagonal through the centre, up-left then down-right, with
// gozxing's looser variance (foundPatternDiagonal).
func (f *qrFinder) crossCheckDiagonal(centerI, centerJ int) bool {
	var sc [5]int
	i := 0
	for centerI >= i && centerJ >= i && f.get(centerJ-i, centerI-i) {
		sc[2]++
		i++
	}
	if sc[2] == 0 {
		return false
	}
	for centerI >= i && centerJ >= i && !f.get(centerJ-i, centerI-i) {
		sc[1]++
		i++
	}
	if sc[1] == 0 {
		return false
	}
	for centerI >= i && centerJ >= i && f.get(centerJ-i, centerI-i) {
		sc[0]++
		i++
	}
	if sc[0] == 0 {
		return false
	}
	i = 1
	for centerI+i < f.h && centerJ+i < f.w && f.get(centerJ+i, centerI+i) {
		sc[2]++
		i++
	}
	for centerI+i < f.h && centerJ+i < f.w && !f.get(centerJ+i, centerI+i) {
		sc[3]++
		i++
	}
	if sc[3] == 0 {
		return false
	}
	for centerI+i < f.h && centerJ+i < f.w && f.get(centerJ+i, centerI+i) {
		sc[4]++
		i++
	}
	if sc[4] == 0 {
		return false
	}
	return detector.FinderPatternFinder_foundPatternDiagonal(sc[:])
}

// selectMultipleBestPatterns is MultiFinderPatternFinder's: every triple
// of centres of like module size that lies like a code's three corners
// (size within QR's range, two sides alike, a right angle), the centres
// sorted by module size first (three centres: as found).
func (f *qrFinder) selectMultipleBestPatterns() ([][3]*detector.FinderPattern, error) {
	pc := f.centers
	size := len(pc)
	if size < 3 {
		return nil, gozxing.NewNotFoundException("Couldn't find enough finder patterns (%d)", size)
	}
	if size == 3 {
		return [][3]*detector.FinderPattern{{pc[0], pc[1], pc[2]}}, nil
	}
	sort.Slice(pc, multidetector.ModuleSizeComparator(pc))
	// alike: gozxing's test that two module sizes may belong to one code.
	alike := func(a, b *detector.FinderPattern) bool {
		rel := (a.GetEstimatedModuleSize() - b.GetEstimatedModuleSize()) /
			math.Min(a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize())
		abs := math.Abs(a.GetEstimatedModuleSize() - b.GetEstimatedModuleSize())
		return !(abs > multidetector.DIFF_MODSIZE_CUTOFF && rel >= multidetector.DIFF_MODSIZE_CUTOFF_PERCENT)
	}
	// gozxing orders each triple (ResultPoint_OrderBestPatterns) and
	// measures its sides through the ResultPoint interface, six distances
	// a triple; a picture of a few hundred centres has millions of triples.
	// Here the three distances are taken once, from the centres' places
	// copied out, by gozxing's own distance function, and each of its six
	// is one of them (a distance does not depend on the order of its two
	// points): the same numbers, so the same triples.
	xs, ys := make([]float64, size), make([]float64, size)
	for i, p := range pc {
		xs[i], ys[i] = p.GetX(), p.GetY()
	}
	dist := func(a, b int) float64 { return util.MathUtils_DistanceFloat(xs[a], ys[a], xs[b], ys[b]) }
	var out [][3]*detector.FinderPattern
	tried := 0
	for i1 := 0; i1 < size-2; i1++ {
		p1 := pc[i1]
		for i2 := i1 + 1; i2 < size-1; i2++ {
			p2 := pc[i2]
			if !alike(p1, p2) {
				break // sorted by module size: no later p2 is alike either
			}
			d12 := dist(i1, i2)
			// d12 is one of the triple's sides, and the two sides at the
			// top left, dA and dB, sum to at least any side (the third,
			// the longest, by the triangle inequality): a pair farther
			// apart than the largest code's two sides allow leaves every
			// p3 over MAX_MODULE_COUNT_PER_EDGE. The margin covers the
			// distances' rounding (a few units in the last place).
			if d12 > 2*multidetector.MAX_MODULE_COUNT_PER_EDGE*p1.GetEstimatedModuleSize()*(1+1e-9) {
				continue
			}
			for i3 := i2 + 1; i3 < size; i3++ {
				p3 := pc[i3]
				if !alike(p2, p3) {
					break
				}
				if tried++; tried%1024 == 0 && f.late() {
					return nil, errCodeTime
				}
				d23, d13 := dist(i2, i3), dist(i1, i3)
				// ResultPoint_OrderBestPatterns(p1, p2, p3): b (top left)
				// is the centre opposite the longest side, a (bottom left)
				// and c (top right) the others, swapped when the cross
				// product says they are the wrong way round.
				a, b, c := i2, i1, i3
				switch {
				case d23 >= d12 && d23 >= d13:
				case d13 >= d23 && d13 >= d12:
					a, b, c = i1, i2, i3
				default:
					a, b, c = i1, i3, i2
				}
				if (xs[c]-xs[b])*(ys[a]-ys[b])-(ys[c]-ys[b])*(xs[a]-xs[b]) < 0.0 {
					a, c = c, a
				}
				opposite := func(k int) float64 { // the side not touching centre k
					switch k {
					case i1:
						return d23
					case i2:
						return d13
					}
					return d12
				}
				dA, dC, dB := opposite(c), opposite(b), opposite(a) // tl-bl, tr-bl, tl-tr
				modules := (dA + dB) / (p1.GetEstimatedModuleSize() * 2.0)
				if modules > multidetector.MAX_MODULE_COUNT_PER_EDGE || modules < multidetector.MIN_MODULE_COUNT_PER_EDGE {
					continue
				}
				if math.Abs((dA-dB)/math.Min(dA, dB)) >= 0.1 {
					continue
				}
				dCpy := math.Sqrt(dA*dA + dB*dB) // the diagonal of a right angle at top left
				if math.Abs((dC-dCpy)/math.Min(dC, dCpy)) >= 0.1 {
					continue
				}
				out = append(out, [3]*detector.FinderPattern{pc[a], pc[b], pc[c]})
			}
		}
	}
	if len(out) == 0 {
		return nil, gozxing.NewNotFoundException()
	}
	return out, nil
}

// decodeQR is the texts gozxing's QRCodeMultiReader.DecodeMultiple reads
// in m (with codeHints), with qrFinder in place of its finder: each triple
// through gozxing's detector (qrDetector: as gozxing's, turning away before
// its grid is sampled a triple whose version and format gozxing's decoder
// would not read) and decoder (a triple or a code that does not
// read is passed over; any other error fails the whole search, as it does
// DecodeMultiple's), and the parts of a structured-append sequence joined,
// in sequence order, after the others. DecodeMultiple detects every triple
// before it decodes any; detecting has no effect but its cost, so doing
// one triple at a time reads the same, and what was read is there when
// the deadline stops the search (short). missed are the triples whose
// detection or decoding failed, or, when no triple was found, those two or
// three centres imply (pairTriples): rescueTriples tries them again.
func decodeQR(m *gozxing.BitMatrix, deadline time.Time) (texts []string, missed []*detector.FinderPatternInfo, short bool) {
	f := newQRFinder(m, deadline)
	infos, err := f.findMulti()
	if err != nil {
		if errors.Is(err, errCodeTime) {
			return nil, nil, true
		}
		return nil, pairTriples(f.centers), false
	}
	type part struct {
		text string
		seq  int
	}
	var sa []part
	det, dec := newQRDetector(m), decoder.NewDecoder()
	for _, info := range infos {
		if f.late() {
			short = true
			break
		}
		bits, err := det.detect(info)
		if err != nil {
			missed = append(missed, info)
			continue
		}
		d, err := dec.Decode(bits, codeHints)
		if err != nil {
			if _, ok := err.(gozxing.ReaderException); ok {
				missed = append(missed, info)
				continue
			}
			return nil, nil, false
		}
		if d.HasStructuredAppend() {
			sa = append(sa, part{d.GetText(), d.GetStructuredAppendSequenceNumber()})
		} else {
			texts = append(texts, d.GetText())
		}
	}
	if len(sa) > 0 {
		sort.Slice(sa, func(a, b int) bool { return sa[a].seq < sa[b].seq }) // gozxing's sort: the same order for equal numbers
		var joined strings.Builder
		for _, p := range sa {
			joined.WriteString(p.text)
		}
		texts = append(texts, joined.String())
	}
	if len(texts) == 0 && !short {
		missed = append(missed, pairTriples(f.centers)...) // a false centre may have made the one triple
	}
	return texts, missed, short
}

// qrDetector is gozxing's Detector.ProcessFinderPatternInfo step for step
// (the module size measured along the sides, the code's size, the
// alignment pattern sought by gozxing's own AlignmentPatternFinder, the
// transform by gozxing's Detector_createTransform, the grid sampled by its
// Detector_sampleGrid), with one test more before the grid is sampled:
// formatReadable. A photograph's finder-like specks make thousands of
// triples, most of them the corners of no code at all, and sampling each
// one's whole grid (up to 177×177 points) was most of what a dim photograph
// cost; its version and format modules are 70 points.
// TestQRDetectorMatchesGozxing holds its grids to gozxing's.
type qrDetector struct {
	m     *gozxing.BitMatrix
	w, h  int
	probe map[int]*gozxing.BitMatrix // a grid of each size, for formatReadable's modules
}

func newQRDetector(m *gozxing.BitMatrix) *qrDetector {
	return &qrDetector{m: m, w: m.GetWidth(), h: m.GetHeight(), probe: map[int]*gozxing.BitMatrix{}}
}

// errNotACode is a triple turned away before its grid is sampled: what
// gozxing's detector or decoder would fail on. A sentinel: gozxing's
// exceptions take a stack trace each.
var errNotACode = errors.New("urls: not a QR code's corners")

// detect is ProcessFinderPatternInfo's grid for info, or an error where
// gozxing's detector fails or its decoder could not read the grid's
// version and format information (formatReadable).
func (d *qrDetector) detect(info *detector.FinderPatternInfo) (*gozxing.BitMatrix, error) {
	tf, dimension, err := d.transform(info)
	if err != nil {
		return nil, err
	}
	if !d.formatReadable(tf, dimension) {
		return nil, errNotACode
	}
	return detector.Detector_sampleGrid(d.m, tf, dimension)
}

// transform is what ProcessFinderPatternInfo samples the grid of info
// through, and the grid's size, or an error where it fails before.
func (d *qrDetector) transform(info *detector.FinderPatternInfo) (*common.PerspectiveTransform, int, error) {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	moduleSize := (d.moduleSizeOneWay(tl, tr) + d.moduleSizeOneWay(tl, bl)) / 2
	if moduleSize < 1.0 { // false for NaN, as gozxing's test
		return nil, 0, errNotACode
	}
	dimension, ok := qrDimension(tl, tr, bl, moduleSize)
	if !ok {
		return nil, 0, errNotACode
	}
	version, err := decoder.Version_GetProvisionalVersionForDimension(dimension)
	if err != nil {
		return nil, 0, errNotACode
	}
	var align *detector.AlignmentPattern
	if len(version.GetAlignmentPatternCenters()) > 0 {
		// Where a fourth finder pattern would be, three modules back
		// towards the top left.
		brX := tr.GetX() - tl.GetX() + bl.GetX()
		brY := tr.GetY() - tl.GetY() + bl.GetY()
		correction := 1.0 - 3.0/float64(version.GetDimensionForVersion()-7)
		estX := int(tl.GetX() + correction*(brX-tl.GetX()))
		estY := int(tl.GetY() + correction*(brY-tl.GetY()))
		for i := 4; i <= 16; i <<= 1 {
			if align, err = d.alignmentIn(moduleSize, estX, estY, float64(i)); err == nil {
				break
			} else if _, ok := err.(gozxing.NotFoundException); !ok {
				return nil, 0, err
			}
		}
	}
	return detector.Detector_createTransform(tl, tr, bl, align, dimension), dimension, nil
}

// qrDimension is Detector.computeDimension: the modules the sides span,
// made a QR size (4k+1); ok false where gozxing gives up (3 mod 4).
func qrDimension(tl, tr, bl gozxing.ResultPoint, moduleSize float64) (int, bool) {
	across := util.MathUtils_Round(gozxing.ResultPoint_Distance(tl, tr) / moduleSize)
	down := util.MathUtils_Round(gozxing.ResultPoint_Distance(tl, bl) / moduleSize)
	dimension := (across+down)/2 + 7
	switch dimension % 4 {
	case 0:
		dimension++
	case 2:
		dimension--
	case 3:
		return 0, false
	}
	return dimension, true
}

// alignmentIn is Detector.findAlignmentInRegion: gozxing's
// AlignmentPatternFinder over the square of allowance module sizes around
// (estX, estY), clipped to the matrix.
func (d *qrDetector) alignmentIn(moduleSize float64, estX, estY int, allowanceFactor float64) (*detector.AlignmentPattern, error) {
	allowance := int(allowanceFactor * moduleSize)
	left, right := max(estX-allowance, 0), min(estX+allowance, d.w-1)
	if float64(right-left) < moduleSize*3 {
		return nil, gozxing.NewNotFoundException()
	}
	top, bottom := max(estY-allowance, 0), min(estY+allowance, d.h-1)
	if float64(bottom-top) < moduleSize*3 {
		return nil, gozxing.NewNotFoundException()
	}
	return detector.NewAlignmentPatternFinder(d.m, left, top, right-left, bottom-top, moduleSize, nil).Find()
}

// moduleSizeOneWay is Detector.calculateModuleSizeOneWay: the finder
// pattern's width (black, white, black from its centre, both ways) measured
// along the line from p to q and from q to p, over 7.
func (d *qrDetector) moduleSizeOneWay(p, q gozxing.ResultPoint) float64 {
	px, py, qx, qy := int(p.GetX()), int(p.GetY()), int(q.GetX()), int(q.GetY())
	est1 := d.runBothWays(px, py, qx, qy)
	est2 := d.runBothWays(qx, qy, px, py)
	switch {
	case math.IsNaN(est1):
		return est2 / 7.0
	case math.IsNaN(est2):
		return est1 / 7.0
	}
	return (est1 + est2) / 14.0
}

// runBothWays is Detector.sizeOfBlackWhiteBlackRunBothWays: the run from
// (fromX, fromY) towards (toX, toY) and the other way, as far, or to the
// matrix's edge.
func (d *qrDetector) runBothWays(fromX, fromY, toX, toY int) float64 {
	result := d.run(fromX, fromY, toX, toY)
	scale := 1.0
	otherToX := fromX - (toX - fromX)
	if otherToX < 0 {
		scale = float64(fromX) / float64(fromX-otherToX)
		otherToX = 0
	} else if otherToX >= d.w {
		scale = float64(d.w-1-fromX) / float64(otherToX-fromX)
		otherToX = d.w - 1
	}
	otherToY := int(float64(fromY) - float64(toY-fromY)*scale)
	scale = 1.0
	if otherToY < 0 {
		scale = float64(fromY) / float64(fromY-otherToY)
		otherToY = 0
	} else if otherToY >= d.h {
		scale = float64(d.h-1-fromY) / float64(otherToY-fromY)
		otherToY = d.h - 1
	}
	otherToX = int(float64(fromX) + float64(otherToX-fromX)*scale)
	result += d.run(fromX, fromY, otherToX, otherToY)
	return result - 1.0 // the middle pixel counted twice
}

// run is Detector.sizeOfBlackWhiteBlackRun: the distance from (fromX,
// fromY) along Bresenham's line towards (toX, toY) to where a black, a
// white and a black run end; NaN when the line ends before.
func (d *qrDetector) run(fromX, fromY, toX, toY int) float64 {
	steep := abs(toY-fromY) > abs(toX-fromX)
	if steep {
		fromX, fromY, toX, toY = fromY, fromX, toY, toX
	}
	dx, dy := abs(toX-fromX), abs(toY-fromY)
	e := -dx / 2
	xstep, ystep := 1, 1
	if fromX >= toX {
		xstep = -1
	}
	if fromY >= toY {
		ystep = -1
	}
	state := 0 // in black (0, 2) or white (1) pixels
	for x, y := fromX, fromY; x != toX+xstep; x += xstep {
		rx, ry := x, y
		if steep {
			rx, ry = y, x
		}
		if (state == 1) == d.m.Get(rx, ry) {
			if state == 2 {
				return util.MathUtils_DistanceInt(x, y, fromX, fromY)
			}
			state++
		}
		e += dy
		if e > 0 {
			if y == toY {
				break
			}
			y += ystep
			e -= dx
		}
	}
	if state == 2 { // the pixel past the end taken for white
		return util.MathUtils_DistanceInt(toX+xstep, toY, fromX, fromY)
	}
	return math.NaN()
}

// formatReadable says whether gozxing's decoder could read the version and
// format information of the dim×dim grid tf samples from the matrix, as it
// is or mirrored, false only when it could not. Its Decode reads the
// version (from its modules from version 7 on, a BCH word it corrects up
// to 3 bits), then the format (either of two copies, up to 3 bits), and
// on failure both again mirrored; without both, in one reading or the
// other, it reads nothing. These are the modules of row and column 8 near
// the finder patterns and the two version blocks: each is sampled as
// gozxing's grid sampler samples it (gozxing's transform of the module's
// centre, the pixel it falls in) into a grid of that size holding nothing
// else, and gozxing's own parser reads them there. A module falling
// outside the matrix, which the sampler may move inside or fail on, leaves
// the answer to the sampler: true.
func (d *qrDetector) formatReadable(tf *common.PerspectiveTransform, dim int) bool {
	probe := d.probe[dim]
	if probe == nil {
		probe, _ = gozxing.NewSquareBitMatrix(dim)
		d.probe[dim] = probe
	} else {
		probe.Clear()
	}
	var pt [2]float64
	sample := func(x, y int) bool {
		pt[0], pt[1] = float64(x)+0.5, float64(y)+0.5
		tf.TransformPoints(pt[:])
		px, py := int(pt[0]), int(pt[1])
		if px < 0 || py < 0 || px >= d.w || py >= d.h {
			return false
		}
		if d.m.Get(px, py) {
			probe.Set(x, y)
		}
		return true
	}
	for k := range 9 { // the format's first copy, around the top left finder
		if !sample(k, 8) || !sample(8, k) {
			return true
		}
	}
	for k := dim - 8; k < dim; k++ { // its second, by the other two
		if !sample(k, 8) || !sample(8, k) {
			return true
		}
	}
	if dim >= 45 { // version 7 and up: the two version blocks, 3×6 each
		for a := dim - 11; a <= dim-9; a++ {
			for b := range 6 {
				if !sample(a, b) || !sample(b, a) {
					return true
				}
			}
		}
	}
	parser, err := decoder.NewBitMatrixParser(probe)
	if err != nil {
		return true // gozxing's decoder says so on the whole grid
	}
	for _, mirrored := range [2]bool{false, true} {
		parser.SetMirror(mirrored)
		if _, err := parser.ReadVersion(); err != nil {
			continue
		}
		if _, err := parser.ReadFormatInformation(); err == nil {
			return true
		}
	}
	return false
}
