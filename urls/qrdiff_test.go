package urls

import (
	"fmt"
	"image"
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode/aztec"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/kensa-milter/kensa/internal/cputime"
)

// The code search's detection floor: what the search found when it
// binarized every try afresh with gozxing's HybridBinarizer (recorded
// before the search was made cheaper). A code found then and missed now
// would be an evasion, so every case must still find at least its floor.
// The cases are the ways a code reaches the search: QR of several versions,
// modules down to about 3 pixels after the work-area scaling, several codes
// in one picture, Data Matrix, Aztec, light on dark, grey on grey, a small
// code in a large noisy photograph, low JPEG quality, tiny images that get
// enlarged.

// modules is a code as rows of dark (true) modules, without a quiet zone.
type modules [][]bool

func qrModules(t testing.TB, text string, level qrcode.RecoveryLevel) modules {
	q, err := qrcode.New(text, level)
	if err != nil {
		t.Fatal(err)
	}
	q.DisableBorder = true
	return q.Bitmap()
}

func dataMatrixModules(t testing.TB, text string) modules {
	m, err := datamatrix.NewDataMatrixWriter().Encode(text, gozxing.BarcodeFormat_DATA_MATRIX, 0, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make(modules, m.GetHeight())
	for y := range out {
		out[y] = make([]bool, m.GetWidth())
		for x := range out[y] {
			out[y][x] = m.Get(x, y)
		}
	}
	return out
}

func aztecModules(t testing.TB, text string) modules {
	c, err := aztec.Encode([]byte(text), 33, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := c.Bounds().Dx()
	out := make(modules, n)
	for y := range out {
		out[y] = make([]bool, n)
		for x := range out[y] {
			out[y][x] = color.GrayModel.Convert(c.At(x, y)).(color.Gray).Y < 128
		}
	}
	return out
}

// draw paints m onto g at (x0, y0), px pixels a module, with a quiet zone
// of quiet modules in bg around it.
func (m modules) draw(g *image.Gray, x0, y0, px, quiet int, fg, bg uint8) {
	n := len(m)
	side := (len(m[0]) + 2*quiet) * px
	for y := 0; y < (n+2*quiet)*px; y++ {
		for x := 0; x < side; x++ {
			my, mx := y/px-quiet, x/px-quiet
			v := bg
			if my >= 0 && mx >= 0 && my < n && mx < len(m[0]) && m[my][mx] {
				v = fg
			}
			if p := image.Pt(x0+x, y0+y); p.In(g.Rect) {
				g.Pix[g.PixOffset(p.X, p.Y)] = v
			}
		}
	}
}

// canvas is a w×h image of one grey level.
func canvas(w, h int, v uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = v
	}
	return g
}

// alone is m drawn on its own: px pixels a module, four modules of quiet zone.
func (m modules) alone(px int, fg, bg uint8) *image.Gray {
	side := (len(m[0]) + 8) * px
	g := canvas(side, (len(m)+8)*px, bg)
	m.draw(g, 0, 0, px, 4, fg, bg)
	return g
}

// noisyPhoto is a photograph's worth of shading, texture and sensor noise.
func noisyPhoto(w, h int, seed uint64) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			noise := int((uint64(y*w+x)+seed)*0x9e3779b97f4a7c15>>59) * 3 // 0..93 in steps of 3, hashed
			v := 40 + (x+y)*140/(w+h) + (x/37+y/53)%5*12 + noise/4
			g.Pix[y*g.Stride+x] = uint8(min(255, v))
		}
	}
	return g
}

// searchImage runs the search on an encoded image as addImage does, with
// time enough that a slow machine (-race) does not cut it short.
func searchImage(b []byte) []string {
	var c Codes
	c.addImage(b, &CodeBudget{images: 1, deadline: time.Now().Add(time.Hour)}, "")
	return c.Texts
}

const (
	lureShort = "https://a.example/x"
	lureV5    = "https://login.rnicrosoft.com/verify?session=8f3a9c2e71b04d5e&user=j.doe%40example.com"
	lureDM    = "https://pay.example.net/invoice/42"
	lureAz    = "https://docs.example.org/share/7f3a"
)

var lureLong = "https://files.example.com/download?id=" + strings.Repeat("a1b2c3d4e5", 24)

type codeCase struct {
	name  string
	image func(t testing.TB) []byte
	floor []string // what the search found before it was made cheaper (sorted)
}

func codeCases() []codeCase {
	qr := func(t testing.TB, text string) modules { return qrModules(t, text, qrcode.Medium) }
	png := func(f func(t testing.TB) *image.Gray) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return encodePNG(t, f(t)) }
	}
	jpg := func(q int, f func(t testing.TB) *image.Gray) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return encodeJPEG(t, f(t), q) }
	}
	// photo puts m on a noisy w×h photograph, px pixels a module, with its
	// top left corner at (x0, y0).
	photo := func(w, h int, m func(testing.TB) modules, x0, y0, px int, fg, bg uint8) func(t testing.TB) *image.Gray {
		return func(t testing.TB) *image.Gray {
			g := noisyPhoto(w, h, uint64(w+px))
			m(t).draw(g, x0, y0, px, 4, fg, bg)
			return g
		}
	}
	qrOf := func(text string) func(testing.TB) modules {
		return func(t testing.TB) modules { return qr(t, text) }
	}
	dmOf := func(text string) func(testing.TB) modules {
		return func(t testing.TB) modules { return dataMatrixModules(t, text) }
	}
	azOf := func(text string) func(testing.TB) modules {
		return func(t testing.TB) modules { return aztecModules(t, text) }
	}
	return []codeCase{
		{"qr v1 4px", png(func(t testing.TB) *image.Gray { return qr(t, lureShort).alone(4, 0, 255) }), []string{lureShort}},
		{"qr v5 3px", png(func(t testing.TB) *image.Gray { return qr(t, lureV5).alone(3, 0, 255) }), []string{lureV5}},
		{"qr v12 3px", png(func(t testing.TB) *image.Gray { return qr(t, lureLong).alone(3, 0, 255) }), []string{lureLong}},
		{"qr v5 20px", png(func(t testing.TB) *image.Gray { return qr(t, lureV5).alone(20, 0, 255) }), []string{lureV5}},
		{"qr v5 9px scaled to 3px", png(func(t testing.TB) *image.Gray {
			g := canvas(3000, 2400, 255) // scaled down 3 times for the work area
			qr(t, lureV5).draw(g, 1100, 800, 9, 4, 0, 255)
			return g
		}), []string{lureV5}},
		{"three qr in one image", png(func(t testing.TB) *image.Gray {
			g := canvas(1200, 500, 255)
			qr(t, lureShort).draw(g, 20, 40, 8, 4, 0, 255)
			qr(t, lureV5).draw(g, 380, 40, 6, 4, 0, 255)
			qr(t, lureDM).draw(g, 820, 60, 7, 4, 0, 255)
			return g
		}), []string{lureDM, lureV5, lureShort}},
		{"qr light on dark", png(func(t testing.TB) *image.Gray { return qr(t, lureV5).alone(6, 255, 0) }), []string{lureV5}},
		{"qr light on dark, large modules, wide dark frame", png(func(t testing.TB) *image.Gray {
			g := canvas(1400, 1400, 20)
			qr(t, lureShort).draw(g, 500, 500, 28, 2, 235, 20)
			return g
		}), []string{lureShort}},
		{"qr light on dark, 60px modules", png(func(t testing.TB) *image.Gray {
			g := canvas(3000, 2400, 15)
			qr(t, lureShort).draw(g, 900, 300, 60, 4, 240, 15)
			return g
		}), []string{lureShort}},
		{"qr light on dark at the top left, one module of margin", png(func(t testing.TB) *image.Gray {
			g := canvas(600, 500, 25)
			qr(t, lureShort).draw(g, -3*12, -3*12, 12, 4, 230, 25)
			return g
		}), []string{lureShort}},
		{"qr light on dark in a dark photo corner", png(func(t testing.TB) *image.Gray {
			g := canvas(900, 700, 30)
			for i := range g.Pix {
				g.Pix[i] = uint8(30 + i%7)
			}
			qr(t, lureV5).draw(g, 20, 20, 6, 4, 220, 30)
			return g
		}), []string{lureV5}},
		{"qr grey on grey 118/150", png(func(t testing.TB) *image.Gray { return qr(t, lureV5).alone(5, 118, 150) }), []string{lureV5}},
		{"qr grey on grey 100/120", png(func(t testing.TB) *image.Gray { return qr(t, lureV5).alone(5, 100, 120) }), []string{lureV5}},
		{"qr grey light on dark 140/110", png(func(t testing.TB) *image.Gray { return qr(t, lureV5).alone(5, 140, 110) }), []string{lureV5}},
		{"qr jpeg q10 4px", jpg(10, func(t testing.TB) *image.Gray { return qr(t, lureV5).alone(4, 0, 255) }), []string{lureV5}},
		{"qr jpeg q15 3px", jpg(15, func(t testing.TB) *image.Gray { return qr(t, lureShort).alone(3, 0, 255) }), []string{lureShort}},
		{"qr jpeg q20 light on dark", jpg(20, func(t testing.TB) *image.Gray { return qr(t, lureV5).alone(5, 255, 0) }), []string{lureV5}},
		{"qr tiny 1px enlarged", png(func(t testing.TB) *image.Gray { return qr(t, lureShort).alone(1, 0, 255) }), []string{lureShort}},
		{"qr tiny 2px enlarged", png(func(t testing.TB) *image.Gray { return qr(t, lureV5).alone(2, 0, 255) }), []string{lureV5}},
		{"qr tiny light on dark 2px", png(func(t testing.TB) *image.Gray { return qr(t, lureShort).alone(2, 255, 0) }), []string{lureShort}},
		{"qr tiny light on dark 1px", png(func(t testing.TB) *image.Gray { return qr(t, lureShort).alone(1, 255, 0) }), []string{lureShort}},
		// Found since the enlarged copy is searched for light-on-dark codes
		// too (the old search found nothing here).
		{"datamatrix tiny light on dark 1px", png(func(t testing.TB) *image.Gray { return dataMatrixModules(t, lureDM).alone(1, 255, 0) }), []string{lureDM}},
		{"qr tiny grey on grey 2px", png(func(t testing.TB) *image.Gray { return qr(t, lureShort).alone(2, 90, 130) }), []string{lureShort}},
		{"qr rotated 20", png(func(t testing.TB) *image.Gray { return rotated(qr(t, lureV5).alone(5, 0, 255), 20) }), []string{lureV5}},
		{"qr in 4000x3000 photo, 10% wide", jpg(85, photo(4000, 3000, qrOf(lureV5), 2500, 1400, 9, 10, 245)), []string{lureV5}},
		{"qr light on dark in 4000x3000 photo", jpg(85, photo(4000, 3000, qrOf(lureShort), 700, 900, 14, 245, 10)), []string{lureShort}},
		{"qr in 1600x1200 photo jpeg q30", jpg(30, photo(1600, 1200, qrOf(lureV5), 300, 500, 4, 20, 235)), []string{lureV5}},
		{"datamatrix 4px", png(func(t testing.TB) *image.Gray { return dataMatrixModules(t, lureDM).alone(4, 0, 255) }), []string{lureDM}},
		{"datamatrix 8px jpeg q20", jpg(20, func(t testing.TB) *image.Gray { return dataMatrixModules(t, lureDM).alone(8, 0, 255) }), []string{lureDM}},
		{"datamatrix light on dark", png(func(t testing.TB) *image.Gray { return dataMatrixModules(t, lureDM).alone(6, 255, 0) }), []string{lureDM}},
		{"datamatrix grey on grey", png(func(t testing.TB) *image.Gray { return dataMatrixModules(t, lureDM).alone(6, 110, 140) }), []string{lureDM}},
		{"datamatrix tiny 2px", png(func(t testing.TB) *image.Gray { return dataMatrixModules(t, lureDM).alone(2, 0, 255) }), []string{lureDM}},
		{"datamatrix in the middle of a 1600x1200 photo", jpg(85, photo(1600, 1200, dmOf(lureDM), 700, 500, 6, 10, 245)), []string{lureDM}},
		{"datamatrix off centre in a photo", jpg(85, photo(1600, 1200, dmOf(lureDM), 900, 300, 6, 10, 245)), []string{lureDM}},
		{"aztec 4px", png(func(t testing.TB) *image.Gray { return aztecModules(t, lureAz).alone(4, 0, 255) }), []string{lureAz}},
		{"aztec 6px jpeg q20", jpg(20, func(t testing.TB) *image.Gray { return aztecModules(t, lureAz).alone(6, 0, 255) }), []string{lureAz}},
		{"aztec light on dark", png(func(t testing.TB) *image.Gray { return aztecModules(t, lureAz).alone(6, 255, 0) }), []string{lureAz}},
		{"aztec grey on grey", png(func(t testing.TB) *image.Gray { return aztecModules(t, lureAz).alone(6, 110, 140) }), []string{lureAz}},
		{"aztec tiny 2px", png(func(t testing.TB) *image.Gray { return aztecModules(t, lureAz).alone(2, 0, 255) }), []string{lureAz}},
		{"aztec in the middle of a 1600x1200 photo", jpg(85, photo(1600, 1200, azOf(lureAz), 700, 500, 6, 10, 245)), []string{lureAz}},
		{"aztec off centre in a photo", jpg(85, photo(1600, 1200, azOf(lureAz), 200, 700, 6, 10, 245)), []string{lureAz}},
		{"photo without a code", jpg(85, func(testing.TB) *image.Gray { return noisyPhoto(2048, 1536, 7) }), nil},
		// A phone's 12-megapixel photograph is decoded at half scale and
		// averaged down by 1.5 (shrinkArea): a code of 2% of it, and one out
		// of focus (a 9×9 blur over modules of 16 pixels) and grey on grey
		// (115 on 150).
		{"qr 2% of a 12 MP photo", jpg(85, photo(4032, 3024, qrOf(lureV5), 2900, 1900, 12, 10, 245)), []string{lureV5}},
		{"qr blurred, grey on grey, in a 12 MP photo", jpg(85, func(t testing.TB) *image.Gray {
			g := noisyPhoto(4032, 3024, 21)
			qr(t, lureShort).draw(g, 600, 1700, 16, 4, 115, 150)
			return boxBlur(g, 4)
		}), []string{lureShort}},
		// What a cheaper proof that a picture holds no code must not miss:
		// a code under a photograph's noise (±12 levels over a contrast of
		// 40), its blocks as busy as the photograph's own (the honest twin
		// is "photo without a code").
		{"qr under a photo's noise", png(func(t testing.TB) *image.Gray {
			g := noisyPhoto(1600, 1200, 33)
			qr(t, lureV5).draw(g, 900, 300, 4, 4, 100, 140)
			for y := 300; y < 300+45*4; y++ {
				for x := 900; x < 900+45*4; x++ {
					n := int((uint64(y*1600+x)*0x9e3779b97f4a7c15)>>59) - 16 // -16..15, hashed
					g.Pix[y*g.Stride+x] = uint8(int(g.Pix[y*g.Stride+x]) + n*3/4)
				}
			}
			return g
		}), []string{lureV5}},
	}
}

// boxBlur is g with each pixel the mean of the (2r+1)² around it (clamped
// at the edges): an out-of-focus photograph.
func boxBlur(g *image.Gray, r int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp, out := image.NewGray(g.Rect), image.NewGray(g.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum := 0
			for d := -r; d <= r; d++ {
				sum += int(g.Pix[y*g.Stride+min(max(x+d, 0), w-1)])
			}
			tmp.Pix[y*tmp.Stride+x] = uint8(sum / (2*r + 1))
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum := 0
			for d := -r; d <= r; d++ {
				sum += int(tmp.Pix[min(max(y+d, 0), h-1)*tmp.Stride+x])
			}
			out.Pix[y*out.Stride+x] = uint8(sum / (2*r + 1))
		}
	}
	return out
}

// offCentreCases are Data Matrix and Aztec codes away from the picture's
// centre, which gozxing's detectors (both start from the centre) missed
// until the search read crops around their finder patterns: at each corner
// and each edge's middle of a 1600x1200 picture, on white and on a noisy
// photograph, 2 to 6 pixels a module, light on dark, at JPEG quality 30,
// two in one picture; and pictures with no code, which must read nothing.
func offCentreCases() []codeCase {
	const w, h = 1600, 1200
	type symbology struct {
		name, text string
		modules    func(testing.TB) modules
	}
	kinds := []symbology{
		{"datamatrix", lureDM, func(t testing.TB) modules { return dataMatrixModules(t, lureDM) }},
		{"aztec", lureAz, func(t testing.TB) modules { return aztecModules(t, lureAz) }},
	}
	// where puts a code of side s at a position: its top left corner.
	places := []struct {
		name string
		at   func(s int) (int, int)
	}{
		{"top left", func(s int) (int, int) { return 12, 12 }},
		{"top right", func(s int) (int, int) { return w - s - 12, 12 }},
		{"bottom left", func(s int) (int, int) { return 12, h - s - 12 }},
		{"bottom right", func(s int) (int, int) { return w - s - 12, h - s - 12 }},
		{"top middle", func(s int) (int, int) { return (w - s) / 2, 20 }},
		{"bottom middle", func(s int) (int, int) { return (w - s) / 2, h - s - 20 }},
		{"left middle", func(s int) (int, int) { return 20, (h - s) / 2 }},
		{"right middle", func(s int) (int, int) { return w - s - 20, (h - s) / 2 }},
	}
	var out []codeCase
	for ki, k := range kinds {
		for pi, pl := range places {
			for _, bg := range []string{"white", "photo"} {
				px := 2 + (ki+pi)%5 // 2 to 6 pixels a module, varied over the places
				if bg == "photo" {
					px = 2 + (ki+pi+2)%5
				}
				out = append(out, codeCase{
					name: fmt.Sprintf("%s %s on %s %dpx", k.name, pl.name, bg, px),
					image: func(t testing.TB) []byte {
						m := k.modules(t)
						g := canvas(w, h, 255)
						if bg == "photo" {
							g = noisyPhoto(w, h, uint64(px))
						}
						x, y := pl.at((len(m[0]) + 8) * px)
						m.draw(g, x, y, px, 4, 10, 245)
						return encodePNG(t, g)
					},
					floor: []string{k.text},
				})
			}
		}
		out = append(out,
			codeCase{k.name + " light on dark top right", func(t testing.TB) []byte {
				g := canvas(w, h, 20)
				m := k.modules(t)
				m.draw(g, w-(len(m[0])+8)*5-30, 30, 5, 4, 235, 20)
				return encodePNG(t, g)
			}, []string{k.text}},
			codeCase{k.name + " light on dark in a dark photo, bottom left", func(t testing.TB) []byte {
				g := invert(noisyPhoto(w, h, 3))
				m := k.modules(t)
				m.draw(g, 40, h-(len(m)+8)*4-40, 4, 4, 240, 15)
				return encodeJPEG(t, g, 85)
			}, []string{k.text}},
			codeCase{k.name + " jpeg q30 photo, bottom right 4px", func(t testing.TB) []byte {
				g := noisyPhoto(w, h, 5)
				m := k.modules(t)
				m.draw(g, w-(len(m[0])+8)*4-25, h-(len(m)+8)*4-25, 4, 4, 10, 245)
				return encodeJPEG(t, g, 30)
			}, []string{k.text}},
			codeCase{k.name + " jpeg q30 white, top left 3px", func(t testing.TB) []byte {
				g := canvas(w, h, 255)
				k.modules(t).draw(g, 30, 30, 3, 4, 0, 255)
				return encodeJPEG(t, g, 30)
			}, []string{k.text}},
		)
	}
	out = append(out,
		codeCase{"datamatrix and aztec in two corners of a photo", func(t testing.TB) []byte {
			g := noisyPhoto(w, h, 11)
			dataMatrixModules(t, lureDM).draw(g, 30, 40, 5, 4, 10, 245)
			aztecModules(t, lureAz).draw(g, w-(len(aztecModules(t, lureAz))+8)*5-30, h-(len(aztecModules(t, lureAz))+8)*5-30, 5, 4, 10, 245)
			return encodeJPEG(t, g, 85)
		}, []string{lureAz, lureDM}},
		codeCase{"two datamatrix in one flyer", func(t testing.TB) []byte {
			g := canvas(w, h, 255)
			dataMatrixModules(t, lureDM).draw(g, 20, 20, 4, 4, 0, 255)
			dataMatrixModules(t, lureShort).draw(g, w-200, h-200, 5, 4, 0, 255)
			return encodePNG(t, g)
		}, []string{lureShort, lureDM}},
		codeCase{"document page without a code", func(t testing.TB) []byte {
			return encodePNG(t, textPage(w, h))
		}, nil},
		codeCase{"photo without a code, jpeg q30", func(t testing.TB) []byte {
			return encodeJPEG(t, noisyPhoto(w, h, 13), 30)
		}, nil},
		codeCase{"striped fabric photo without a code", func(t testing.TB) []byte {
			return encodeJPEG(t, stripes(w, h), 85)
		}, nil},
	)
	return out
}

// textPage is a page of black text-like marks on white: lines of words
// made of strokes, a table's rules and a logo of concentric squares, the
// things a document has that look a little like finder patterns.
func textPage(w, h int) *image.Gray {
	g := canvas(w, h, 255)
	for y := 60; y+14 < h-60; y += 28 {
		for x := 60; x < w-60; {
			word := 20 + (x*7+y*3)%90
			for xx := x; xx < min(x+word, w-60); xx++ {
				for yy := y; yy < y+14; yy++ {
					if (xx/3+yy/5)%3 != 0 || yy == y+13 {
						g.Pix[yy*g.Stride+xx] = 20
					}
				}
			}
			x += word + 12
		}
	}
	for i := 0; i < 3; i++ { // table rules
		y := 300 + i*200
		for x := 100; x < w-100; x++ {
			g.Pix[y*g.Stride+x], g.Pix[(y+1)*g.Stride+x] = 0, 0
		}
	}
	for r := 4; r <= 36; r += 8 { // a logo of nested squares, 4 pixels a ring, at (1400, 100)
		for i := -r; i <= r; i++ {
			for d := 0; d < 4; d++ {
				for _, p := range []image.Point{{1400 + i, 100 - r + d}, {1400 + i, 100 + r - d}, {1400 - r + d, 100 + i}, {1400 + r - d, 100 + i}} {
					g.Pix[p.Y*g.Stride+p.X] = 0
				}
			}
		}
	}
	return g
}

// stripes is a photograph of striped cloth: bands a few pixels wide in
// both directions, shaded and noisy.
func stripes(w, h int) *image.Gray {
	g := noisyPhoto(w, h, 17)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x/4)%2 == 0 != ((y/4)%2 == 0) {
				g.Pix[y*g.Stride+x] /= 3
			}
		}
	}
	return g
}

// TestCodeSearchFloor: every case finds at least what the search found
// before (its floor), the off-centre Data Matrix and Aztec codes
// (offCentreCases) what they hold, and a picture with no code nothing; the
// table of what each case finds is logged.
func TestCodeSearchFloor(t *testing.T) {
	for _, c := range append(codeCases(), offCentreCases()...) {
		t.Run(c.name, func(t *testing.T) {
			got := searchImage(c.image(t))
			slices.Sort(got)
			t.Logf("%-50s floor %d found %d %q", c.name, len(c.floor), len(got), got)
			for _, want := range c.floor {
				if !slices.Contains(got, want) {
					t.Errorf("missed %q (found %q): a code the search used to read", want, got)
				}
			}
			if c.floor == nil && len(got) > 0 {
				t.Errorf("read %q in a picture with no code", got)
			}
			if len(got) > len(c.floor) {
				t.Logf("finds more than its floor: %q", got)
			}
		})
	}
}

// BenchmarkCodeSearchPhotos is the search alone (appendCodes) on the planes
// of the mixed set's photographs (see BenchmarkCodePhotos), none of which
// holds a code: every reading is tried, the stretched one too where the
// photograph's grey does not span the full range.
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench CodeSearchPhotos ./urls
func BenchmarkCodeSearchPhotos(b *testing.B) {
	planes := mixedPlanes(b)
	cpu0, n := cputime.Process(), 0
	for b.Loop() {
		for _, g := range planes {
			if texts, _ := appendCodes(nil, g, &CodeBudget{images: 1, deadline: time.Now().Add(time.Hour)}); len(texts) > 0 {
				b.Fatalf("a code in a photograph: %q", texts)
			}
			n++
		}
	}
	cputime.Report(b, cpu0, n, "photo")
}

// BenchmarkCodeSearchDimPhoto is the search alone on a photograph that
// reaches neither black nor white (noisyPhoto's grey in 70..190), no code
// in it: its stretched plane gives the QR finder about 300 centres a
// polarity and the selection some 7000 triples, each through gozxing's
// detector and decoder.
func BenchmarkCodeSearchDimPhoto(b *testing.B) {
	g := noisyPhoto(1200, 900, 31)
	for i, v := range g.Pix {
		g.Pix[i] = uint8(70 + int(v)*120/255)
	}
	cputime.Each(b, 1, "op", func() {
		appendCodes(nil, g, &CodeBudget{images: 1, deadline: time.Now().Add(time.Hour)})
	})
}

// BenchmarkCodeSearch is the search alone (appendCodes) on grey images as
// the decoder hands them over, by kind: what the binarizer and the readers
// cost without the image decoding.
func BenchmarkCodeSearch(b *testing.B) {
	photo := noisyPhoto(1824, 1368, 9) // the work area's size
	withCode := noisyPhoto(1824, 1368, 9)
	qrModules(b, lureV5, qrcode.Medium).draw(withCode, 1200, 600, 5, 4, 10, 245)
	logo := canvas(240, 80, 255) // a newsletter's logo: small, no code
	for y := 20; y < 60; y++ {
		for x := 10; x < 230; x++ {
			if (x/12+y/10)%3 == 0 {
				logo.Pix[y*logo.Stride+x] = 40
			}
		}
	}
	dmCorner := noisyPhoto(1824, 1368, 9)
	dataMatrixModules(b, lureDM).draw(dmCorner, 40, 1100, 5, 4, 10, 245)
	// A hostile picture: a grid of 221 Data Matrix codes, every one a
	// candidate; the crops read stay at maxCropCandidates.
	manyDM := canvas(1600, 1200, 255)
	for y := 0; y+90 <= 1200; y += 92 {
		for x := 0; x+90 <= 1600; x += 92 {
			dataMatrixModules(b, lureDM).draw(manyDM, x, y, 3, 4, 0, 255)
		}
	}
	images := []struct {
		name string
		g    *image.Gray
	}{
		{"photo-1824x1368-no-code", photo},
		{"photo-1824x1368-qr", withCode},
		{"photo-1824x1368-datamatrix-corner", dmCorner},
		{"document-1600x1200-no-code", textPage(1600, 1200)},
		{"stripes-1600x1200-no-code", stripes(1600, 1200)},
		{"grid-of-221-datamatrix", manyDM},
		{"logo-240x80-no-code", logo},
		{"qr-256", qrModules(b, lureV5, qrcode.Medium).alone(4, 0, 255)},
		{"qr-light-on-dark-256", qrModules(b, lureV5, qrcode.Medium).alone(4, 255, 0)},
	}
	for _, c := range images {
		b.Run(c.name, func(b *testing.B) {
			cputime.Each(b, 1, "op", func() {
				appendCodes(nil, c.g, &CodeBudget{images: 1, deadline: time.Now().Add(time.Hour)})
			})
		})
	}
}
