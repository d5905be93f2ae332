package urls

import (
	"image"
	"testing"

	"github.com/makiuchi-d/gozxing"
)

// fuzzMatrix is a w×h matrix whose pixels come from b (repeated, and
// varied past its end so a short input still draws structure).
func fuzzMatrix(b []byte, w, h int) *gozxing.BitMatrix {
	m, _ := gozxing.NewBitMatrix(w, h)
	if len(b) == 0 {
		return m
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if (b[i%len(b)]+byte(i/len(b)))>>((x+y)%8)&1 == 1 {
				m.Set(x, y)
			}
		}
	}
	return m
}

// checkCrop: cropMatrix copies r pixel for pixel into a white margin.
func checkCrop(t *testing.T, m *gozxing.BitMatrix, r image.Rectangle, pad int) {
	t.Helper()
	c := cropMatrix(m, r, pad)
	r = r.Intersect(image.Rect(0, 0, m.GetWidth(), m.GetHeight()))
	if r.Empty() {
		if c != nil {
			t.Fatalf("crop %v of an empty region", r)
		}
		return
	}
	if c.GetWidth() != r.Dx()+2*pad || c.GetHeight() != r.Dy()+2*pad {
		t.Fatalf("crop %v pad %d: %dx%d", r, pad, c.GetWidth(), c.GetHeight())
	}
	for y := 0; y < c.GetHeight(); y++ {
		for x := 0; x < c.GetWidth(); x++ {
			want := false
			if p := image.Pt(x-pad+r.Min.X, y-pad+r.Min.Y); p.In(r) {
				want = m.Get(p.X, p.Y)
			}
			if c.Get(x, y) != want {
				t.Fatalf("crop %v pad %d: pixel (%d,%d) = %v, want %v", r, pad, x, y, !want, want)
			}
		}
	}
}

func TestCropMatrix(t *testing.T) {
	m := fuzzMatrix([]byte{0x5a, 0xc3, 0xff, 0x01, 0x80}, 131, 77)
	for _, r := range []image.Rectangle{
		image.Rect(0, 0, 131, 77), image.Rect(1, 2, 33, 40), image.Rect(31, 5, 64, 6), image.Rect(100, 70, 200, 90),
		image.Rect(-5, -5, 3, 3), image.Rect(130, 76, 131, 77), image.Rect(200, 0, 300, 10),
	} {
		for _, pad := range []int{0, 1, 8, 31, 32, 33} {
			checkCrop(t, m, r, pad)
		}
	}
}

// FuzzCodeCrops: on any matrix the finder scan and the crops stay in
// bounds, never panic, keep to maxCropCandidates, and every crop is the
// region it names.
func FuzzCodeCrops(f *testing.F) {
	f.Add([]byte{0xff, 0x00, 0xf0, 0x0f}, uint16(120), uint16(90), int16(3), int16(7), uint16(40), uint16(30), uint8(8))
	f.Add([]byte{0xaa, 0x55}, uint16(64), uint16(64), int16(-4), int16(60), uint16(90), uint16(9), uint8(0))
	f.Fuzz(func(t *testing.T, pix []byte, w, h uint16, rx, ry int16, rw, rh uint16, pad uint8) {
		width, height := 1+int(w)%400, 1+int(h)%400
		m := fuzzMatrix(pix, width, height)
		cs := cropCandidates(m)
		if len(cs) > maxCropCandidates {
			t.Fatalf("%d candidates", len(cs))
		}
		for _, c := range cs {
			if !c.r.In(image.Rect(0, 0, width, height)) || c.r.Empty() {
				t.Fatalf("candidate %v outside the %dx%d matrix", c.r, width, height)
			}
		}
		offCentreCodes(m, nil)
		checkCrop(t, m, image.Rect(int(rx), int(ry), int(rx)+int(rw)%500, int(ry)+int(rh)%500), int(pad)%40)
	})
}
