package urls

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/kensa-milter/kensa/internal/cputime"
)

// gozxingMatrix is what gozxing's hybrid binarizer makes of g, or of g
// inverted: the search's matrices before it had a binarizer of its own.
func gozxingMatrix(t testing.TB, g *image.Gray, inverted bool) (*gozxing.BitMatrix, error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if inverted {
		inv := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				inv.Pix[y*w+x] = 255 - g.Pix[y*g.Stride+x]
			}
		}
		g = inv
	}
	src, err := gozxing.NewPlanarYUVLuminanceSource(g.Pix, g.Stride, h, 0, 0, w, h, false)
	if err != nil {
		t.Fatal(err)
	}
	return gozxing.NewHybridBinarizer(src).GetBlackMatrix()
}

// sameMatrix says where two matrices first differ, "" when they do not,
// padding bits past the width included.
func sameMatrix(a, b *gozxing.BitMatrix) string {
	if a.GetWidth() != b.GetWidth() || a.GetHeight() != b.GetHeight() {
		return fmt.Sprintf("sizes %dx%d and %dx%d", a.GetWidth(), a.GetHeight(), b.GetWidth(), b.GetHeight())
	}
	var ra, rb *gozxing.BitArray
	for y := 0; y < a.GetHeight(); y++ {
		ra, rb = a.GetRow(y, ra), b.GetRow(y, rb)
		wa, wb := ra.GetBitArray(), rb.GetBitArray()
		for i := range wa {
			if wa[i] != wb[i] {
				for x := i * 32; x < i*32+32; x++ {
					if ra.Get(x) != rb.Get(x) {
						return fmt.Sprintf("pixel (%d,%d): %v and %v", x, y, ra.Get(x), rb.Get(x))
					}
				}
			}
		}
	}
	return ""
}

// checkBinarizer compares both polarities of our matrix with gozxing's.
func checkBinarizer(t testing.TB, name string, g *image.Gray) {
	p, err := newCodePlane(g)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, inv := range []bool{false, true} {
		want, werr := gozxingMatrix(t, g, inv)
		got, gerr := p.bitmap(inv).GetBlackMatrix()
		switch {
		case (werr == nil) != (gerr == nil):
			t.Errorf("%s inverted=%v: error %v, gozxing's %v", name, inv, gerr, werr)
		case werr == nil:
			if d := sameMatrix(got, want); d != "" {
				t.Errorf("%s %dx%d inverted=%v: differs from gozxing's at %s", name, g.Rect.Dx(), g.Rect.Dy(), inv, d)
			}
		}
	}
}

// TestBinarizerMatchesGozxing: our matrices are gozxing's hybrid
// binarizer's, bit for bit, in both polarities (the inverted one as gozxing
// makes it from inverted pixels), on codes, photographs, flat and noisy
// images, of every size modulo the block, with a stride wider than the
// image, and on images too small for blocks.
func TestBinarizerMatchesGozxing(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	q := qrModules(t, lureV5, qrcode.Medium)
	images := map[string]*image.Gray{
		"qr":                   q.alone(5, 0, 255),
		"qr light on dark":     q.alone(5, 230, 20),
		"qr grey on grey":      q.alone(3, 110, 140),
		"qr in a dark frame":   func() *image.Gray { g := canvas(500, 420, 20); q.draw(g, 100, 70, 5, 4, 235, 20); return g }(),
		"photo":                noisyPhoto(643, 481, 1),
		"flat":                 canvas(97, 65, 128),
		"black":                canvas(64, 41, 0),
		"white":                canvas(41, 64, 255),
		"small, global method": q.alone(1, 0, 255),
		"tiny":                 canvas(3, 2, 9),
	}
	for _, size := range [][2]int{{40, 40}, {41, 47}, {47, 41}, {48, 56}, {63, 65}, {100, 33}, {33, 100}, {255, 129}} {
		for _, mode := range []string{"noise", "steps", "sparse", "edge of flat"} {
			g := image.NewGray(image.Rect(0, 0, size[0], size[1]))
			for i := range g.Pix {
				switch mode {
				case "noise":
					g.Pix[i] = uint8(r.IntN(256))
				case "steps": // flat regions at levels a few apart: the black-point guesses
					g.Pix[i] = uint8(60 + (i%size[0]/9+i/size[0]/7)%4*20 + r.IntN(3))
				case "edge of flat": // blocks spanning 24 levels (flat) or 25 (not), the extremes anywhere
					x, y := i%size[0], i/size[0]
					k := uint64(x/8*31 + y/8*17)
					g.Pix[i] = uint8(100 + k%5*7)
					if n := r.IntN(64); n == 0 {
						g.Pix[i] += uint8(24 + k%2)
					} else if n < 32 {
						g.Pix[i] += uint8(r.IntN(24))
					}
				case "sparse":
					g.Pix[i] = 200
					if r.IntN(40) == 0 {
						g.Pix[i] = uint8(r.IntN(200))
					}
				}
			}
			images[fmt.Sprintf("%s %dx%d", mode, size[0], size[1])] = g
		}
	}
	wide := noisyPhoto(300, 200, 3) // a sub-image: the stride is wider than the picture
	images["sub-image"] = wide.SubImage(image.Rect(13, 7, 13+101, 7+77)).(*image.Gray)
	for name, g := range images {
		checkBinarizer(t, name, g)
	}
}

// TestByteMinMax: byteMinMax is min and max in every byte, for every pair
// of byte values in every position.
func TestByteMinMax(t *testing.T) {
	for a := range 256 {
		for b := range 256 {
			for k := 0; k < 64; k += 8 {
				// the pair at byte k, other pairs around it
				x := uint64(a)<<k | uint64(255-b)<<((k+8)&63)
				y := uint64(b)<<k | uint64(a^0x5a)<<((k+8)&63)
				lo, hi := byteMinMax(x, y)
				if got, want := byte(lo>>k), byte(min(a, b)); got != want {
					t.Fatalf("min(%d, %d) at byte %d: %d", a, b, k/8, got)
				}
				if got, want := byte(hi>>k), byte(max(a, b)); got != want {
					t.Fatalf("max(%d, %d) at byte %d: %d", a, b, k/8, got)
				}
			}
		}
	}
}

// FuzzBinarizer: on any picture of any size our matrices are gozxing's, and
// nothing reads out of bounds.
func FuzzBinarizer(f *testing.F) {
	f.Add([]byte{0, 255, 128, 3}, uint16(40), uint16(40), uint8(0))
	f.Add([]byte{10, 20, 30, 200, 210}, uint16(41), uint16(97), uint8(5))
	f.Add([]byte{0}, uint16(39), uint16(300), uint8(1))
	f.Fuzz(func(t *testing.T, pix []byte, w, h uint16, pad uint8) {
		width, height := 1+int(w)%300, 1+int(h)%300
		if len(pix) == 0 {
			pix = []byte{0}
		}
		stride := width + int(pad)%9
		g := &image.Gray{Pix: make([]byte, (height-1)*stride+width), Stride: stride, Rect: image.Rect(0, 0, width, height)}
		for i := range g.Pix {
			g.Pix[i] = pix[i%len(pix)] + byte(i/len(pix))*byte(len(pix)) // the fuzzer's bytes, varied past their end
		}
		checkBinarizer(t, "fuzz", g)
	})
}

// BenchmarkBinarizer: ours against gozxing's hybrid binarizer, on a
// photograph at the search's work-area size, both polarities (which is what
// a photograph with no code costs: the inverted try follows).
func BenchmarkBinarizer(b *testing.B) {
	g := noisyPhoto(1824, 1368, 9)
	b.Run("gozxing-hybrid", func(b *testing.B) {
		cputime.Each(b, 1, "op", func() {
			for _, inv := range []bool{false, true} {
				if _, err := gozxingMatrix(b, g, inv); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("codePlane", func(b *testing.B) {
		cputime.Each(b, 1, "op", func() {
			p, _ := newCodePlane(g)
			for _, inv := range []bool{false, true} {
				if _, err := p.blackMatrix(inv); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkBinarizerPhotos: both polarities of the planes the search makes
// of the mixed set's photographs (decoded, and stretched when that changes
// them), as a photograph with no code costs them. Reads the set
// bench/corpusgen writes (see BenchmarkCodePhotos).
func BenchmarkBinarizerPhotos(b *testing.B) {
	var planes []*image.Gray
	for _, g := range mixedPlanes(b) {
		planes = append(planes, g)
		if st := stretch(g); st != g {
			planes = append(planes, st)
		}
	}
	cpu0, n := cputime.Process(), 0
	for b.Loop() {
		for _, g := range planes {
			p, _ := newCodePlane(g)
			for _, inv := range []bool{false, true} {
				if _, err := p.blackMatrix(inv); err != nil {
					b.Fatal(err)
				}
			}
			n++
		}
	}
	cputime.Report(b, cpu0, n, "plane")
}

// BenchmarkStretchPhotos: stretch on the planes of the mixed set's
// photographs (see BenchmarkCodePhotos).
func BenchmarkStretchPhotos(b *testing.B) {
	planes := mixedPlanes(b)
	cpu0, n := cputime.Process(), 0
	for b.Loop() {
		for _, g := range planes {
			stretch(g)
			n++
		}
	}
	cputime.Report(b, cpu0, n, "plane")
}

// mixedPlanes are the grey planes the search decodes from the mixed set's
// photographs.
func mixedPlanes(b *testing.B) (planes []*image.Gray) {
	for _, p := range mixedPhotos(b) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(p))
		if err != nil {
			b.Fatal(err)
		}
		g, _, skipped := decodeGray(p, "jpeg", cfg.Width, cfg.Height, time.Time{})
		if g == nil {
			b.Fatal(skipped)
		}
		planes = append(planes, g)
	}
	return planes
}

// TestStretchFromBlocks: the range of grey a plane's block statistics give
// (codePlane.levels, which appendCodes stretches by) is the range of every
// pixel, and stretching by it gives what stretch gives, on pictures whose
// darkest and lightest pixels lie anywhere (in the last row or column, where
// the last block is moved back to fit; alone in a corner), of widths and
// heights that are and are not multiples of a block, and on the photographs
// the search is tuned on. A picture too small for blocks, or one whose rows
// are not its whole pixel slice (a sub-image), has no range from blocks.
func TestStretchFromBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var pics []*image.Gray
	for i := range 400 {
		w, h := 1+r.IntN(300), 1+r.IntN(200)
		g := image.NewGray(image.Rect(0, 0, w, h))
		lo, span := r.IntN(256), 1+r.IntN(256)
		for i := range g.Pix {
			g.Pix[i] = uint8(min(255, lo+r.IntN(span)))
		}
		switch i % 4 { // one extreme pixel placed where blocks meet the edge
		case 1:
			g.Pix[r.IntN(h)*w+w-1] = uint8(r.IntN(2) * 255)
		case 2:
			g.Pix[(h-1)*w+r.IntN(w)] = uint8(r.IntN(2) * 255)
		case 3:
			g.Pix[r.IntN(len(g.Pix))] = uint8(r.IntN(2) * 255)
		}
		pics = append(pics, g)
	}
	pics = append(pics, noisyPhoto(1824, 1368, 9), invert(noisyPhoto(300, 200, 3)), canvas(50, 40, 128), canvas(41, 47, 0))
	sub := noisyPhoto(300, 200, 4)
	pics = append(pics, sub.SubImage(image.Rect(10, 10, 200, 150)).(*image.Gray))
	for i, g := range pics {
		p, err := newCodePlane(g)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, ok := p.levels(g); ok {
			t.Fatalf("picture %d: a range before the statistics were gathered", i)
		}
		if _, err := p.blackMatrix(false); err != nil && !p.small { // a small one may show no black
			t.Fatal(err)
		}
		lo, hi, ok := p.levels(g)
		whole := g.Stride == g.Rect.Dx() && len(g.Pix) == g.Rect.Dx()*g.Rect.Dy()
		if ok != (!p.small && whole) {
			t.Fatalf("picture %d (%v, stride %d): range from blocks %v", i, g.Rect, g.Stride, ok)
		}
		if !ok {
			continue
		}
		if wantLo, wantHi := slices.Min(g.Pix), slices.Max(g.Pix); lo != wantLo || hi != wantHi {
			t.Fatalf("picture %d (%v): range %d..%d from blocks, %d..%d in its pixels", i, g.Rect, lo, hi, wantLo, wantHi)
		}
		a, b := stretchRange(g, lo, hi), stretch(g)
		if (a == g) != (b == g) || a.Rect != b.Rect || !slices.Equal(a.Pix, b.Pix) {
			t.Fatalf("picture %d (%v): stretched by the blocks' range differs from stretch", i, g.Rect)
		}
	}
}
