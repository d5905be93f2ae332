package urls

import (
	"fmt"
	"image"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/aztec"
	azdetector "github.com/makiuchi-d/gozxing/aztec/detector"
)

// readAztecWith is rd's reading of m: its text, or "" and whether it
// panicked.
func readAztecWith(rd gozxing.Reader, m *gozxing.BitMatrix) (text string, panicked any) {
	panicked = panics(func() {
		bmp, _ := gozxing.NewBinaryBitmap(matrixBinarizer{m})
		if r, err := rd.Decode(bmp, codeHints); err == nil {
			text = r.GetText()
		}
	})
	return text, panicked
}

// mirrored is m flipped left to right.
func (m modules) mirrored() modules {
	out := make(modules, len(m))
	for y, row := range m {
		out[y] = slices.Clone(row)
		slices.Reverse(out[y])
	}
	return out
}

// TestAztecReaderMatchesGozxing: aztecReader reads what gozxing's
// AztecReader reads, on every matrix the search makes of its test pictures
// (both polarities, stretched and enlarged as appendCodes tries them, and
// the crops offCentreCodes reads), on Aztec codes printed mirrored (only
// the second, mirrored, try reads them) or with a broken bullseye, and on
// random matrices; and its shortcut (no mirrored try where no bullseye was
// found) is taken on most of them.
func TestAztecReaderMatchesGozxing(t *testing.T) {
	longCodeTime(t)
	var matrices []*gozxing.BitMatrix
	var names []string
	add := func(name string, m *gozxing.BitMatrix) {
		matrices, names = append(matrices, m), append(names, name)
	}
	addGray := func(name string, g *image.Gray) {
		ims := []*image.Gray{g, stretch(g)}
		if b := g.Bounds(); max(b.Dx(), b.Dy()) < codeMinScale {
			ims = append(ims, enlarge(ims[1], 3))
		}
		for k, im := range ims {
			p, err := newCodePlane(im)
			if err != nil {
				continue
			}
			for _, inv := range []bool{false, true} {
				m, err := p.blackMatrix(inv)
				if err != nil {
					continue
				}
				what := fmt.Sprintf("%s (image %d, inverted %v)", name, k, inv)
				add(what, m)
				for i, c := range cropCandidates(m) {
					pad := dmCropMargin
					if c.aztec {
						pad = 0
					}
					if cm := cropMatrix(m, c.r, pad); cm != nil {
						add(fmt.Sprintf("%s crop %d", what, i), cm)
					}
				}
			}
		}
	}
	searchCaseGrays(t, addGray)
	az := aztecModules(t, lureAz)
	addGray("aztec mirrored", az.mirrored().alone(4, 0, 255))
	addGray("aztec mirrored, light on dark", az.mirrored().alone(4, 255, 0))
	addGray("aztec mirrored, turned", rotated(az.mirrored().alone(5, 0, 255), 90))
	broken := az.mirrored()
	c := len(broken) / 2
	broken[c][c+1] = !broken[c][c+1] // a ring of the bullseye broken
	addGray("aztec with a broken bullseye", broken.alone(4, 0, 255))
	r := rand.New(rand.NewPCG(3, 2026))
	for i := range 40 {
		w, h := 40+r.IntN(300), 40+r.IntN(300)
		b := make([]byte, 1+r.IntN(64))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		add(fmt.Sprintf("random %d (%dx%d)", i, w, h), fuzzMatrix(b, w, h))
	}

	read, short := 0, 0
	for i, m := range matrices {
		want, wp := readAztecWith(aztec.NewAztecReader(), m)
		got, gp := readAztecWith(aztecReader{}, m)
		if got != want || (wp == nil) != (gp == nil) {
			t.Fatalf("%s: read %q (panic %v), gozxing %q (panic %v)", names[i], got, gp, want, wp)
		}
		if got != "" {
			read++
		}
		var err error
		if gp == nil {
			_, err = azdetector.NewDetector(m).Detect(false)
		}
		if err != nil && noBullseye(err) {
			short++
		}
	}
	t.Logf("%d matrices, %d read, %d without a bullseye", len(matrices), read, short)
	if read < 5 || short < len(matrices)/2 {
		t.Errorf("%d of %d matrices read, %d without a bullseye: the comparison compared too little", read, len(matrices), short)
	}
	for _, name := range []string{"aztec mirrored", "aztec mirrored, turned"} {
		i := slices.Index(names, name+" (image 0, inverted false)")
		if i < 0 {
			t.Fatalf("no matrix %q", name)
		}
		if got, _ := readAztecWith(aztecReader{}, matrices[i]); got != lureAz {
			t.Errorf("%s: read %q, want the code (the mirrored try)", name, got)
		}
	}
}
