package urls

import (
	"image"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/makiuchi-d/gozxing"

	"github.com/kensa-milter/kensa/internal/cputime"
)

// The off-centre finder as it was before it was made faster, kept as the
// reference the fast one must match candidate for candidate (same crops,
// same order) on every matrix: TestCropCandidatesMatchReference and
// FuzzCropCandidatesMatchReference.

func refCropCandidates(m *gozxing.BitMatrix) []cropCandidate {
	w, h := m.GetWidth(), m.GetHeight()
	var az, dm []cropCandidate
	row := gozxing.NewBitArray(w)
	// Every second row: the codes read here have modules of two pixels or
	// more, so a bullseye's centre and an L's edge each span two rows.
	nw := (w + 31) >> 5
	for y := 0; y < h; y += 2 {
		words := m.GetRow(y, row).GetBitArray()[:nw] // bits past w are clear
		// The row's runs, dark and light in turn, in one pass. A bullseye
		// is seven lengths alike between two dark runs, from a light one to
		// a light one: streak counts the adjacent lengths alike so far,
		// which rejects nearly all of a photograph's runs at the cost of a
		// subtraction. last holds the last four dark runs.
		var last [4]darkRun
		n, streak, prev := 0, 0, -1
		start, carry := 0, uint32(0)
		for wi := 0; wi <= nw; wi++ {
			var word uint32 // one clear word past the end closes a run there
			if wi < nw {
				word = words[wi]
			}
			t := word ^ (word<<1 | carry) // set where a pixel differs from the one before
			carry = word >> 31
			for ; t != 0; t &= t - 1 {
				b := bits.TrailingZeros32(t)
				if word>>b&1 == 1 { // a dark run starts
					start = wi<<5 | b
					continue
				}
				r := darkRun{start, wi<<5 | b}
				if n > 0 {
					gap := r.x0 - last[(n-1)&3].x1
					streak, prev = refAlike(streak, prev, gap), gap
					if streak >= 6 && n >= 4 {
						d := [5]darkRun{last[(n-4)&3], last[(n-3)&3], last[(n-2)&3], last[(n-1)&3], r}
						if c, ok := refBullseyeAt(m, d[:], y); ok {
							az = refAddCandidate(az, c)
						}
					}
				}
				streak, prev = refAlike(streak, prev, r.x1-r.x0), r.x1-r.x0
				last[n&3], n = r, n+1
				if r.x1-r.x0 >= minDMArm {
					for _, c := range refDataMatrixL(m, r, y) {
						dm = refAddCandidate(dm, c)
					}
				}
			}
		}
	}
	byScore := func(cs []cropCandidate) {
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].score < cs[j].score })
	}
	byScore(az)
	byScore(dm)
	az = az[:min(len(az), maxAztecCrops)]
	dm = dm[:min(len(dm), maxCropCandidates-len(az))]
	return append(az, dm...)
}

func refAddCandidate(cs []cropCandidate, c cropCandidate) []cropCandidate {
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

func refBullseyeAt(m *gozxing.BitMatrix, d []darkRun, y int) (cropCandidate, bool) {
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
	devH, ok := refEvenRuns(inner[:], sum)
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
	col, cy, ok := refColumnRuns(m, cx, y)
	if !ok {
		return cropCandidate{}, false
	}
	vsum := 0
	for _, v := range col {
		vsum += v
	}
	devV, ok := refEvenRuns(col[:], vsum)
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

func refEvenRuns(runs []int, sum int) (dev int, ok bool) {
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

func refColumnRuns(m *gozxing.BitMatrix, x, y int) (runs [7]int, cy int, ok bool) {
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

func refDataMatrixL(m *gozxing.BitMatrix, r darkRun, y int) []cropCandidate {
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
			v := refDarkColumn(m, x, y0, dir, 5*l)
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
			tr, ok := refTiming(m, farRow, r.x0, r.x1, true)
			if !ok {
				continue
			}
			tc, ok := refTiming(m, farCol, box.Min.Y, box.Max.Y, false)
			if !ok {
				continue
			}
			out = append(out, cropCandidate{r: box.Inset(-1).Intersect(bounds), score: tr + tc})
		}
	}
	return out
}

func refTiming(m *gozxing.BitMatrix, at, a, b int, row bool) (dev int, ok bool) {
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
	return refEvenRuns(inner, sum)
}

func refDarkColumn(m *gozxing.BitMatrix, x, y, dir, limit int) int {
	n := 0
	for yy := y; yy >= 0 && yy < m.GetHeight() && n < limit && m.Get(x, yy); yy += dir {
		n++
	}
	return n
}

func refAlike(streak, a, b int) int {
	if a >= 0 && a+b >= 4 && abs(a-b) <= max(1, min(a, b)/2) {
		return streak + 1
	}
	return 0
}

// checkSameCandidates fails unless the finder and its reference give the
// same candidates, in the same order, on m.
func checkSameCandidates(t *testing.T, name string, m *gozxing.BitMatrix) {
	t.Helper()
	got, want := cropCandidates(m), refCropCandidates(m)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s (%dx%d): candidates\n%v\nwant (reference)\n%v", name, m.GetWidth(), m.GetHeight(), got, want)
	}
}

// randomMatrix is a w×h matrix whose pixels are dark with probability
// p/256, in horizontal and vertical runs of up to run pixels so rows hold
// runs of a module's length.
func randomMatrix(r *rand.Rand, w, h, p, run int) *gozxing.BitMatrix {
	m, _ := gozxing.NewBitMatrix(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; {
			n := 1 + r.IntN(run)
			if r.IntN(256) < p {
				for i := x; i < min(w, x+n); i++ {
					m.Set(i, y)
				}
			}
			x += n
		}
		if y > 0 && r.IntN(3) > 0 { // rows repeat: columns hold runs too
			for x := 0; x < w; x++ {
				if m.Get(x, y-1) != m.Get(x, y) {
					m.Flip(x, y)
				}
			}
		}
	}
	return m
}

// codeMatrices are the matrices appendCodes hands the finder for g: both
// polarities, of g and of g stretched.
func codeMatrices(t *testing.T, g *image.Gray) []*gozxing.BitMatrix {
	var out []*gozxing.BitMatrix
	for _, im := range []*image.Gray{g, stretch(g)} {
		p, err := newCodePlane(im)
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range []bool{false, true} {
			if m, err := p.blackMatrix(inv); err == nil {
				out = append(out, m)
			}
		}
	}
	return out
}

func TestCropCandidatesMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		w, h := 1+r.IntN(300), 1+r.IntN(300)
		if i%10 == 0 {
			w, h = 1+r.IntN(40), 1+r.IntN(40)
		}
		checkSameCandidates(t, "random", randomMatrix(r, w, h, r.IntN(257), 1+r.IntN(12)))
	}
	m := fuzzMatrix([]byte{0x5a, 0xc3, 0xff, 0x01, 0x80}, 131, 77) // TestCropMatrix's
	checkSameCandidates(t, "crop-matrix", m)
	for _, s := range []struct { // FuzzCodeCrops's seeds
		b    []byte
		w, h int
	}{{[]byte{0xff, 0x00, 0xf0, 0x0f}, 121, 91}, {[]byte{0xaa, 0x55}, 65, 65}} {
		checkSameCandidates(t, "fuzz-seed", fuzzMatrix(s.b, s.w, s.h))
	}

	// Photographs binarized as appendCodes does, bare and with Data Matrix
	// and Aztec codes drawn in them at module sizes from 2 to 6 pixels,
	// dark on light and light on dark, near edges and corners.
	dm, az := dataMatrixModules(t, lureDM), aztecModules(t, lureAz)
	for i := 0; i < 8; i++ {
		w, h := 200+r.IntN(700), 200+r.IntN(500)
		g := noisyPhoto(w, h, uint64(i))
		for _, code := range []modules{dm, az} {
			for k := 0; k < 2; k++ {
				px := 2 + r.IntN(5)
				fg, bg := uint8(10+r.IntN(40)), uint8(200+r.IntN(50))
				if r.IntN(2) == 0 {
					fg, bg = bg, fg
				}
				code.draw(g, r.IntN(w)-40, r.IntN(h)-40, px, r.IntN(5), fg, bg)
			}
		}
		for _, m := range codeMatrices(t, g) {
			checkSameCandidates(t, "photo", m)
		}
	}
	for _, g := range []*image.Gray{textPage(1600, 1200), stripes(1600, 1200), noisyPhoto(1824, 1368, 9)} {
		for _, m := range codeMatrices(t, g) {
			checkSameCandidates(t, "page", m)
		}
	}
	// The search's own cases, decoded as addImage does.
	for _, c := range codeCases() {
		img, err := safeDecode(c.image(t))
		if err != nil {
			continue
		}
		for _, m := range codeMatrices(t, toGray(img)) {
			checkSameCandidates(t, c.name, m)
		}
	}
	// Sure that the cases reach both kinds of candidate: a test whose
	// inputs find nothing would compare nothing.
	g := noisyPhoto(600, 500, 3)
	dm.draw(g, 20, 30, 4, 2, 0, 255)
	az.draw(g, 400, 300, 3, 2, 0, 255)
	var kinds [2]int
	for _, c := range cropCandidates(codeMatrices(t, g)[0]) {
		if c.aztec {
			kinds[0]++
		} else {
			kinds[1]++
		}
	}
	if kinds[0] == 0 || kinds[1] == 0 {
		t.Fatalf("aztec and data matrix candidates %v: want both", kinds)
	}
}

// FuzzCropCandidatesMatchReference: the finder and its reference agree on
// any matrix.
func FuzzCropCandidatesMatchReference(f *testing.F) {
	f.Add([]byte{0xff, 0x00, 0xf0, 0x0f}, uint16(120), uint16(90), uint8(3))
	f.Add([]byte{0xaa, 0x55, 0x0f, 0x3c}, uint16(64), uint16(64), uint8(0))
	f.Fuzz(func(t *testing.T, pix []byte, w, h uint16, run uint8) {
		width, height := 1+int(w)%300, 1+int(h)%300
		seed := uint64(len(pix))
		for _, b := range pix {
			seed = seed*131 + uint64(b)
		}
		r := rand.New(rand.NewPCG(seed, uint64(run)))
		checkSameCandidates(t, "fuzz", fuzzMatrix(pix, width, height))
		checkSameCandidates(t, "fuzz-runs", randomMatrix(r, width, height, int(run), 1+int(run)%12))
	})
}

// BenchmarkCropCandidates is the finder alone, and its reference, on the
// matrices of a noisy photograph with a Data Matrix code in a corner.
func BenchmarkCropCandidates(b *testing.B) {
	g := noisyPhoto(1824, 1368, 9)
	dataMatrixModules(b, lureDM).draw(g, 40, 1100, 5, 4, 10, 245)
	p, err := newCodePlane(g)
	if err != nil {
		b.Fatal(err)
	}
	m, err := p.blackMatrix(false)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			cropCandidates(m)
		}
	})
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			refCropCandidates(m)
		}
	})
}

// TestAlikeRun: the table gives what alike computes, inside it and past
// its edge, for the scan's first run (a < 0) too.
func TestAlikeRun(t *testing.T) {
	for streak := range 8 {
		for a := -1; a < 80; a++ {
			for b := 1; b < 80; b++ {
				if got, want := alikeRun(streak, a, b), refAlike(streak, a, b); got != want {
					t.Fatalf("alikeRun(%d, %d, %d) = %d, want %d", streak, a, b, got, want)
				}
			}
		}
	}
}

// BenchmarkCropCandidatesPhotos is the off-centre finder alone on the
// matrices the search makes of the mixed set's photographs (see
// BenchmarkQRFinderPhotos): both polarities, of each plane and of it
// stretched.
func BenchmarkCropCandidatesPhotos(b *testing.B) {
	ms := photoMatrices(b)
	cpu0, n := cputime.Process(), 0
	for b.Loop() {
		for _, m := range ms {
			cropCandidates(m)
			n++
		}
	}
	cputime.Report(b, cpu0, n, "matrix")
}

// TestCropScanTightStretches: the scan passes over the stretches between
// runs of one pixel too short to hold a candidate, and no more. Each case
// is a candidate whose runs just fit between two one-pixel runs (which
// end any streak): a Data Matrix edge of minDMArm pixels with a one-pixel
// light gap on each side, and an Aztec bullseye of two-pixel modules whose
// outer dark ring is one pixel wide on the scanned row. Each must be found,
// as the reference finds it; a scan that also passed over stretches one
// pixel longer would miss it.
func TestCropScanTightStretches(t *testing.T) {
	set := func(m *gozxing.BitMatrix, x0, y0, x1, y1 int) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				m.Set(x, y)
			}
		}
	}
	// An L of minDMArm pixels: the bottom edge (rows 40, 41) and left
	// edge solid, two pixels thick, the top edge and right edge
	// alternating two pixels at a time; one-pixel gaps beside the bottom
	// edge, then dark pixels.
	dm, _ := gozxing.NewBitMatrix(80, 80)
	x0, y0 := 30, 28
	set(dm, x0, y0, x0+2, y0+minDMArm)                   // left edge
	set(dm, x0, y0+minDMArm-2, x0+minDMArm, y0+minDMArm) // bottom edge
	for i := 0; i < minDMArm; i += 4 {
		set(dm, x0+i, y0, x0+i+2, y0+2)                   // top timing
		set(dm, x0+minDMArm-2, y0+i, x0+minDMArm, y0+i+2) // right timing
	}
	for _, y := range []int{y0 + minDMArm - 2, y0 + minDMArm - 1} {
		dm.Set(x0-2, y)          // a dark pixel, then a light one, before the edge
		dm.Set(x0+minDMArm+1, y) // and after it
	}
	// A bullseye of two-pixel modules centred at (cx, cy): rings at
	// Chebyshev distance 0 (dark), 1, 2 (dark), 3 in modules; the fourth,
	// dark, one pixel wide.
	az, _ := gozxing.NewBitMatrix(80, 80)
	cx, cy := 40, 40             // the centre module covers pixels 40, 41
	ring := func(x, y int) int { // the ring of pixel (x, y), in modules
		f := func(v int) int {
			if v >= 0 {
				return v / 2
			}
			return (-v + 1) / 2
		}
		return max(f(x-cx), f(y-cy))
	}
	// Modules of pixels cx..cx+1 are ring 0; cx-2..cx-1 and cx+2..cx+3
	// ring 1, and so on: ring r spans [cx-2r, cx+2r+2).
	for y := cy - 9; y < cy+11; y++ {
		for x := cx - 9; x < cx+11; x++ {
			r := ring(x, y)
			switch {
			case r <= 3 && r%2 == 0:
				az.Set(x, y)
			case r == 4 && (x == cx-7 || x == cx+8 || y == cy-7 || y == cy+8):
				az.Set(x, y) // the outer ring's inner pixel only
			}
		}
	}
	for name, m := range map[string]*gozxing.BitMatrix{"data matrix": dm, "aztec": az} {
		t.Run(name, func(t *testing.T) {
			got := cropCandidates(m)
			if len(got) == 0 {
				t.Fatal("no candidate")
			}
			if got[0].aztec != (name == "aztec") {
				t.Fatalf("candidate %+v is of the other kind", got[0])
			}
			checkSameCandidates(t, name, m)
		})
	}
}
