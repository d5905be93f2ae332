package urls

import (
	"bytes"
	"image"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/urls/internal/jpegluma"
)

// refShrinkArea is shrinkArea as it was before it summed rows across once:
// each pixel out the weighted sum of its window, kept as the reference the
// separable one must match pixel for pixel (TestShrinkAreaMatchesReference).
func refShrinkArea(g *image.Gray, w, h, k, s int) *image.Gray {
	type tap struct{ j, w int }
	taps := func(x, n int) (t [3]tap) {
		lo, hi := x*k, x*k+k
		for i, j := 0, lo/s; j*s < hi && i < 3; i, j = i+1, j+1 {
			t[i] = tap{min(j, n-1), min(hi, j*s+s) - max(lo, j*s)}
		}
		return t
	}
	gw, gh := g.Rect.Dx(), g.Rect.Dy()
	xs := make([][3]tap, w)
	for x := range xs {
		xs[x] = taps(x, gw)
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		ty := taps(y, gh)
		row := out.Pix[y*out.Stride : y*out.Stride+w]
		for x := range row {
			sum := 0
			for _, a := range ty {
				if a.w == 0 {
					continue
				}
				src := g.Pix[a.j*g.Stride:]
				for _, b := range xs[x] {
					sum += a.w * b.w * int(src[b.j])
				}
			}
			row[x] = uint8((sum + k*k/2) / (k * k))
		}
	}
	return out
}

// TestShrinkAreaMatchesReference: the same plane as the reference, pixel
// for pixel, for every factor decodeGray shrinks by (k not a multiple of
// the decode scale s), on planes of random pixels and of extremes, of sizes
// where the windows fall short of the plane's last row and column (taps
// clamp there), wider than their stride, and as decodeGray makes them.
func TestShrinkAreaMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(name string, g *image.Gray, w, h, k, s int) {
		t.Helper()
		got, want := shrinkArea(g, w, h, k, s), refShrinkArea(g, w, h, k, s)
		if got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix) {
			t.Fatalf("%s: %v k %d s %d: differs from the reference", name, g.Rect, k, s)
		}
	}
	for _, ks := range [][2]int{{3, 2}, {5, 4}, {6, 4}, {7, 4}, {9, 8}, {10, 8}, {12, 8}, {15, 8}} {
		k, s := ks[0], ks[1]
		for i := 0; i < 40; i++ {
			W, H := k*(1+r.IntN(60))+r.IntN(k), k*(1+r.IntN(60))+r.IntN(k) // the full picture's size
			gw, gh := W/s, H/s                                             // the plane decoded at 1/s
			g := image.NewGray(image.Rect(0, 0, gw, gh))
			if i%3 == 1 { // a sub-image: a stride wider than the plane
				g = image.NewGray(image.Rect(0, 0, gw+1+r.IntN(9), gh)).SubImage(image.Rect(0, 0, gw, gh)).(*image.Gray)
			}
			for y := 0; y < gh; y++ {
				for x := 0; x < gw; x++ {
					v := uint8(r.IntN(256))
					if i%4 == 2 {
						v = uint8(r.IntN(2) * 255)
					}
					g.Pix[y*g.Stride+x] = v
				}
			}
			check("random", g, W/k, H/k, k, s)
		}
	}
	// As decodeGray reads phones' photographs (k = 3 from the half-scale
	// plane); the larger factors, of 40 megapixels and more, are the random
	// planes'.
	for _, c := range []struct{ w, h int }{{4032, 3024}, {3700, 2800}, {4001, 3001}, {5471, 3649}} {
		data := encodeJPEG(t, photoYCbCr(c.w, c.h, formats.QRImage(qrLure, c.w/5), c.w/3, c.h/4), 85)
		k := workScale(c.w, c.h)
		_, s, _ := decodeGray(data, "jpeg", c.w, c.h, time.Time{})
		y, err := jpegluma.Decode(data, s, MaxCodeJPEGPixels)
		if err != nil || k%s == 0 {
			t.Fatalf("%dx%d: k %d s %d (%v): not a shrink by area", c.w, c.h, k, s, err)
		}
		check("photo", y, c.w/k, c.h/k, k, s)
	}
}

// BenchmarkShrinkArea: a 12-megapixel phone photograph's half-scale plane
// averaged to the search's size (k = 3, s = 2), by shrinkArea and by the
// reference (benchstat -col /shrink).
func BenchmarkShrinkArea(b *testing.B) {
	g := image.NewGray(image.Rect(0, 0, 2016, 1512))
	r := rand.New(rand.NewPCG(1, 1))
	for i := range g.Pix {
		g.Pix[i] = uint8(r.IntN(256))
	}
	for _, c := range []struct {
		name   string
		shrink func(*image.Gray, int, int, int, int) *image.Gray
	}{{"separable", shrinkArea}, {"reference", refShrinkArea}} {
		b.Run("shrink="+c.name, func(b *testing.B) {
			cputime.Each(b, 1, "plane", func() {
				c.shrink(g, 1344, 1008, 3, 2)
			})
		})
	}
}
