package urls

import (
	"math"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// "Designer" QR codes draw their modules as round dots with gaps between
// them. A phone reads them; gozxing reads them upright, but turned, its
// detector takes a cluster of dots for the alignment pattern (three runs
// of a module each, which a row of dots makes anywhere) and samples the
// grid askew, and it measures the module along the rows, so a turned
// code's size comes out wrong. When the search found three finder patterns
// that lie like a code's corners and read nothing there (the cheap signal:
// a photograph rarely holds such a triple, and a picture without one pays
// nothing), the grid is sampled again from the three corners alone, an
// affine grid (a code turned, mirrored or flat on the screen, not tilted
// away), with the module measured across the turn and the code's size
// rounded to the nearest QR size and the sizes either side.
//
// A code with no quiet zone on a photograph or a busy background loses a
// finder pattern or two to it: the dark pixels around join its outer ring,
// and its runs are no longer 1:1:3:1:1. When the search found two or three
// centres seen on several rows and read nothing (with three, gozxing takes them for a triple
// whatever they are, and one may be a speck of the photograph), each pair
// of alike size is taken for two corners of a code and the third corner
// put where a square puts it (pairTriples), and sampled as above.

const (
	maxMissedTriples = 18 // triples sampled again per matrix
	maxPairCentres   = 3  // centres without a triple completed in pairs (3 pairs, 18 triples)
)

// rescueTriples reads the codes of the triples in missed (that did not
// read in m) from their corners alone; the first few.
func rescueTriples(m *gozxing.BitMatrix, missed []*detector.FinderPatternInfo, deadline time.Time) (texts []string) {
	defer func() {
		if recover() != nil { // as decodeCodes: a reader bug on hostile pixels is no code
			texts = nil
		}
	}()
	dec := decoder.NewDecoder()
	for i, t := range missed {
		if i >= maxMissedTriples || !deadline.IsZero() && time.Now().After(deadline) {
			break
		}
		n := tripleSize(t)
		for _, dim := range [3]int{n, n - 4, n + 4} {
			if dim < minCodeSide || dim > 177 {
				continue
			}
			tf := detector.Detector_createTransform(t.GetTopLeft(), t.GetTopRight(), t.GetBottomLeft(), nil, dim)
			if !timingAlternates(m, tf, dim) {
				continue // not a code's grid, or not this size: the whole grid is not sampled
			}
			bits, err := detector.Detector_sampleGrid(m, tf, dim)
			if err != nil {
				continue
			}
			if r, err := dec.Decode(bits, codeHints); err == nil {
				return append(texts, r.GetText())
			}
		}
	}
	return nil
}

// tripleSize is the QR size (4k+1 modules) nearest to what the triple t
// spans. Its finder patterns' module size is measured along the rows and
// columns; a code turned by θ crosses them 1/cos θ longer, and the turn is
// the angle of its top edge.
func tripleSize(t *detector.FinderPatternInfo) int {
	tl, tr, bl := t.GetTopLeft(), t.GetTopRight(), t.GetBottomLeft()
	ms := (tl.GetEstimatedModuleSize() + tr.GetEstimatedModuleSize() + bl.GetEstimatedModuleSize()) / 3
	turn := math.Mod(math.Abs(math.Atan2(tr.GetY()-tl.GetY(), tr.GetX()-tl.GetX())), math.Pi/2)
	ms *= math.Cos(min(turn, math.Pi/2-turn))
	if ms <= 0 {
		return 0
	}
	span := (gozxing.ResultPoint_Distance(tl, tr)+gozxing.ResultPoint_Distance(tl, bl))/2/ms + 7
	return int(math.Round((span-1)/4))*4 + 1
}

// pairTriples are the triples that complete pairs of the centres (two or
// three of them seen on several rows, of alike module sizes, far enough
// apart for a code):
// a pair as a side of the code, the third corner a side's length square
// to it at either end, either way; or as its diagonal, the third corner
// at the other end of the other diagonal, either way.
func pairTriples(centres []*detector.FinderPattern) (out []*detector.FinderPatternInfo) {
	var cs []*detector.FinderPattern
	for _, c := range centres {
		if c.GetCount() >= 2 { // seen on two rows or more: a speck of a photograph is seen on one
			cs = append(cs, c)
		}
	}
	if len(cs) < 2 || len(cs) > maxPairCentres {
		return nil
	}
	for i, a := range cs {
		for _, b := range cs[i+1:] {
			ma, mb := a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize()
			ms := (ma + mb) / 2
			if max(ma, mb) > 1.5*min(ma, mb) || gozxing.ResultPoint_Distance(a, b) < 10*ms {
				continue
			}
			vx, vy := b.GetX()-a.GetX(), b.GetY()-a.GetY()
			mx, my := (a.GetX()+b.GetX())/2, (a.GetY()+b.GetY())/2
			for _, c := range [6][2]float64{
				{a.GetX() - vy, a.GetY() + vx}, {a.GetX() + vy, a.GetY() - vx},
				{b.GetX() - vy, b.GetY() + vx}, {b.GetX() + vy, b.GetY() - vx},
				{mx - vy/2, my + vx/2}, {mx + vy/2, my - vx/2},
			} {
				third := detector.NewFinderPattern1(c[0], c[1], ms)
				bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(a, b, third)
				out = append(out, detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern)))
			}
		}
	}
	return out
}

// timingAlternates says whether the timing patterns of the grid tf maps
// (dim modules a side) alternate dark and light in m, three quarters of
// their modules at least: row and column 6 between the finder patterns,
// dark at even modules. A false triple of a photograph, or the wrong size,
// samples them at random: a test of 2·(dim-16) pixels, not dim².
func timingAlternates(m *gozxing.BitMatrix, tf *common.PerspectiveTransform, dim int) bool {
	n := dim - 16
	pts := make([]float64, 0, 4*n)
	for i := 8; i < dim-8; i++ {
		pts = append(pts, float64(i)+0.5, 6.5, 6.5, float64(i)+0.5)
	}
	tf.TransformPoints(pts)
	w, h := m.GetWidth(), m.GetHeight()
	wrong := 0
	for k := 0; k < len(pts); k += 2 {
		x, y := pts[k], pts[k+1]
		dark := x >= 0 && y >= 0 && x < float64(w) && y < float64(h) && m.Get(int(x), int(y))
		if i := 8 + k/4; dark != (i%2 == 0) {
			wrong++
		}
	}
	return wrong*4 <= len(pts)/2
}
