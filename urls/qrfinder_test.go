package urls

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/aztec"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/common/reedsolomon"
	"github.com/makiuchi-d/gozxing/datamatrix"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	qrdecoder "github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	qrencoder "github.com/makiuchi-d/gozxing/qrcode/encoder"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
)

// qrFinder must find what gozxing's MultiFinderPatternFinder finds, the
// same centres in the same order with the same positions, module sizes and
// counts, bit for bit, and decodeCodes must read what it read with
// gozxing's QRCodeMultiReader whole: finding less would be an evasion. The
// matrices: random ones, finder patterns strewn at random (lone, in code
// like triples, jittered), real codes (1 to 6 in a picture, many sizes,
// rotations, both polarities, structured-append sequences, the same code
// twice), noisy photographs, the code search's own test cases, and the
// images of the corpus's mails, each binarized as the search binarizes it.

// gozxingDecodeCodes is decodeCodes as it was, with gozxing's
// QRCodeMultiReader whole.
func gozxingDecodeCodes(bmp *gozxing.BinaryBitmap) (out []string) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	if rs, err := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, codeHints); err == nil {
		for _, r := range rs {
			out = append(out, r.GetText())
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, rd := range []gozxing.Reader{datamatrix.NewDataMatrixReader(), aztec.NewAztecReader()} {
		if r, err := rd.Decode(bmp, codeHints); err == nil {
			out = append(out, r.GetText())
		}
	}
	return out
}

// panics runs f and says whether it panicked, and with what.
func panics(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// samePattern says how a and b differ ("" when they do not), bit for bit.
func samePattern(a, b *detector.FinderPattern) string {
	if math.Float64bits(a.GetX()) != math.Float64bits(b.GetX()) || math.Float64bits(a.GetY()) != math.Float64bits(b.GetY()) ||
		math.Float64bits(a.GetEstimatedModuleSize()) != math.Float64bits(b.GetEstimatedModuleSize()) || a.GetCount() != b.GetCount() {
		return fmt.Sprintf("(%v,%v size %v count %d) against gozxing's (%v,%v size %v count %d)",
			a.GetX(), a.GetY(), a.GetEstimatedModuleSize(), a.GetCount(), b.GetX(), b.GetY(), b.GetEstimatedModuleSize(), b.GetCount())
	}
	return ""
}

// maxComparedCentres bounds the matrices compared: gozxing tries every
// triple of like centres, so a matrix with hundreds of them (noise
// enlarged, a wallpaper of finder-like squares) takes minutes, gozxing's
// way and ours alike. Such matrices are counted and passed over.
const maxComparedCentres = 100

// tooManyCentres says whether m has more than maxComparedCentres.
func tooManyCentres(m *gozxing.BitMatrix) bool {
	f := newQRFinder(m, time.Time{})
	f.scan()
	return len(f.centers) > maxComparedCentres
}

// diffFinder says how qrFinder's reading of m differs from gozxing's
// MultiFinderPatternFinder's ("" when it does not): the error, the centres
// (all, in order) and the triples. n is the number of centres.
func diffFinder(m *gozxing.BitMatrix) (diff string, n int) {
	gf := multidetector.NewMultiFinderPatternFinder(m, nil)
	var want []*detector.FinderPatternInfo
	var wantErr error
	wantPanic := panics(func() { want, wantErr = gf.FindMulti(codeHints) })
	f := newQRFinder(m, time.Time{})
	var got []*detector.FinderPatternInfo
	var gotErr error
	gotPanic := panics(func() { got, gotErr = f.findMulti() })
	if (wantPanic == nil) != (gotPanic == nil) {
		return fmt.Sprintf("panic %v, gozxing's %v", gotPanic, wantPanic), 0
	}
	if wantPanic != nil {
		return "", 0
	}
	if (wantErr == nil) != (gotErr == nil) {
		return fmt.Sprintf("error %v, gozxing's %v", gotErr, wantErr), 0
	}
	wc := gf.GetPossibleCenters()
	if len(f.centers) != len(wc) {
		return fmt.Sprintf("%d centres, gozxing %d", len(f.centers), len(wc)), 0
	}
	for i := range wc {
		if d := samePattern(f.centers[i], wc[i]); d != "" {
			return fmt.Sprintf("centre %d: %s", i, d), 0
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%d triples, gozxing %d", len(got), len(want)), 0
	}
	for i := range want {
		for k, pair := range [][2]*detector.FinderPattern{
			{got[i].GetBottomLeft(), want[i].GetBottomLeft()},
			{got[i].GetTopLeft(), want[i].GetTopLeft()},
			{got[i].GetTopRight(), want[i].GetTopRight()},
		} {
			if d := samePattern(pair[0], pair[1]); d != "" {
				return fmt.Sprintf("triple %d pattern %d: %s", i, k, d), 0
			}
		}
	}
	return "", len(wc)
}

// diffDecode says how decodeCodes' reading of bmp differs from the old
// one's ("" when it does not); qrOnly compares the QR readers alone.
func diffDecode(bmp *gozxing.BinaryBitmap, qrOnly bool) (diff string, texts []string) {
	var want, got []string
	if qrOnly {
		m, err := bmp.GetBlackMatrix()
		if err != nil {
			return "", nil
		}
		wp := panics(func() {
			if rs, err := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, codeHints); err == nil {
				for _, r := range rs {
					want = append(want, r.GetText())
				}
			}
		})
		var short bool
		gp := panics(func() { got, _, short = decodeQR(m, time.Time{}) })
		if short {
			return "stopped without a deadline", nil
		}
		if (wp == nil) != (gp == nil) {
			return fmt.Sprintf("panic %v, gozxing's %v", gp, wp), nil
		}
	} else {
		var short bool
		want = gozxingDecodeCodes(bmp)
		if got, _, short = decodeCodes(bmp, time.Time{}); short {
			return "stopped without a deadline", nil
		}
	}
	if !slices.Equal(got, want) {
		return fmt.Sprintf("read %q, gozxing %q", got, want), nil
	}
	return "", got
}

// skippedMatrices counts the matrices passed over (maxComparedCentres).
var skippedMatrices atomic.Int64

// checkMatrix compares qrFinder and the QR reading on m with gozxing's.
func checkMatrix(t testing.TB, name string, m *gozxing.BitMatrix) (centres int, texts []string) {
	t.Helper()
	if tooManyCentres(m) {
		skippedMatrices.Add(1)
		return 0, nil
	}
	d, n := diffFinder(m)
	if d != "" {
		t.Fatalf("%s: finder: %s", name, d)
	}
	bmp, _ := gozxing.NewBinaryBitmap(matrixBinarizer{m})
	d, texts = diffDecode(bmp, true)
	if d != "" {
		t.Fatalf("%s: %s", name, d)
	}
	return n, texts
}

// checkGray compares the finder and decodeCodes on every matrix the search
// makes of g (appendCodes' tries: as it is, stretched, enlarged when
// small, each in both polarities), whatever each finds; qrOnly leaves out
// the Data Matrix and Aztec readers (the same code either way).
func checkGray(t testing.TB, name string, g *image.Gray, qrOnly bool) (texts []string) {
	t.Helper()
	ims := []*image.Gray{g, stretch(g)}
	if b := g.Bounds(); max(b.Dx(), b.Dy()) < codeMinScale {
		ims = append(ims, enlarge(ims[1], 3))
	}
	for k, im := range ims {
		if k > 0 && im == ims[k-1] {
			continue
		}
		p, err := newCodePlane(im)
		if err != nil {
			continue
		}
		for _, inv := range []bool{false, true} {
			what := fmt.Sprintf("%s (image %d, inverted %v)", name, k, inv)
			if m, err := p.blackMatrix(inv); err == nil {
				if tooManyCentres(m) {
					skippedMatrices.Add(1)
					continue
				}
				if d, _ := diffFinder(m); d != "" {
					t.Fatalf("%s: finder: %s", what, d)
				}
			}
			d, got := diffDecode(p.bitmap(inv), qrOnly)
			if d != "" {
				t.Fatalf("%s: %s", what, d)
			}
			texts = append(texts, got...)
		}
	}
	return texts
}

// finderScene is a matrix with finder patterns strewn over it: lone ones
// and code-like triples (three corners of a square, turned), each module a
// few pixels with jitter, and pixel noise. Most of what it draws passes the
// row scan, so the cross-checks, the merging of centres and the choice of
// triples all get work.
func finderScene(r *rand.Rand, w, h int) *gozxing.BitMatrix {
	m, _ := gozxing.NewBitMatrix(w, h)
	// finder draws one pattern centred at (cx, cy), u pixels a module,
	// turned by a; jitter moves its ring edges by up to j pixels.
	finder := func(cx, cy, u, a float64, j int) {
		c, s := math.Cos(a), math.Sin(a)
		ext := int(4*u*1.5) + j + 1
		for y := int(cy) - ext; y <= int(cy)+ext; y++ {
			for x := int(cx) - ext; x <= int(cx)+ext; x++ {
				if x < 0 || y < 0 || x >= w || y >= h {
					continue
				}
				dx, dy := float64(x)-cx, float64(y)-cy
				mx, my := (c*dx+s*dy)/u, (-s*dx+c*dy)/u
				ring := math.Max(math.Abs(mx), math.Abs(my))
				if j > 0 {
					ring += float64(r.IntN(2*j+1)-j) / (2 * u)
				}
				switch {
				case ring < 1.5, ring >= 2.5 && ring < 3.5:
					m.Set(x, y)
				case ring < 2.5:
					m.Unset(x, y)
				case ring < 4.5:
					m.Unset(x, y) // the quiet margin
				}
			}
		}
	}
	for range r.IntN(6) {
		finder(r.Float64()*float64(w), r.Float64()*float64(h), 1+r.Float64()*6, r.Float64()*math.Pi/2, r.IntN(2))
	}
	for range r.IntN(4) + 1 {
		u := 1 + r.Float64()*5
		side := u * float64(14+r.IntN(60)) // between the outer corners' centres
		a := r.Float64() * 2 * math.Pi
		if r.IntN(2) == 0 {
			a = 0
		}
		x0, y0 := r.Float64()*float64(w), r.Float64()*float64(h)
		c, s := math.Cos(a), math.Sin(a)
		j := r.IntN(2)
		finder(x0, y0, u, a, j)
		finder(x0+c*side, y0+s*side, u*(1+(r.Float64()-0.5)*0.1), a, j)
		finder(x0-s*side, y0+c*side, u, a, j)
	}
	for range r.IntN(w * h / 50) {
		m.Flip(r.IntN(w), r.IntN(h))
	}
	return m
}

// saQRCode draws a version 1 QR code (level L, mask 0) of one part of a
// structured-append sequence: seq of total, parity, then text in byte
// mode. go-qrcode writes no such codes; gozxing's encoder has the steps.
func saQRCode(t testing.TB, seq, total, parity int, text string) modules {
	bits := gozxing.NewEmptyBitArray()
	bits.AppendBits(0x3, 4) // structured append
	bits.AppendBits(seq, 4)
	bits.AppendBits(total-1, 4)
	bits.AppendBits(parity, 8)
	bits.AppendBits(0x4, 4) // byte mode
	bits.AppendBits(len(text), 8)
	for i := 0; i < len(text); i++ {
		bits.AppendBits(int(text[i]), 8)
	}
	const dataBytes, ecBytes = 19, 7
	if bits.GetSize()+4 > dataBytes*8 {
		t.Fatalf("%q does not fit a version 1 code", text)
	}
	bits.AppendBits(0, 4)
	for bits.GetSize()%8 != 0 {
		bits.AppendBit(false)
	}
	for i := 0; bits.GetSize() < dataBytes*8; i++ {
		bits.AppendBits([]int{0xec, 0x11}[i%2], 8)
	}
	words := make([]int, dataBytes+ecBytes)
	raw := make([]byte, dataBytes)
	bits.ToBytes(0, raw, 0, dataBytes)
	for i, b := range raw {
		words[i] = int(b)
	}
	if err := reedsolomon.NewReedSolomonEncoder(reedsolomon.GenericGF_QR_CODE_FIELD_256).Encode(words, ecBytes); err != nil {
		t.Fatal(err)
	}
	all := gozxing.NewEmptyBitArray()
	for _, w := range words {
		all.AppendBits(w, 8)
	}
	v, err := qrdecoder.Version_GetVersionForNumber(1)
	if err != nil {
		t.Fatal(err)
	}
	bm := qrencoder.NewByteMatrix(21, 21)
	if err := qrencoder.MatrixUtil_buildMatrix(all, qrdecoder.ErrorCorrectionLevel_L, v, 0, bm); err != nil {
		t.Fatal(err)
	}
	out := make(modules, 21)
	for y := range out {
		out[y] = make([]bool, 21)
		for x := range out[y] {
			out[y][x] = bm.Get(x, y) == 1
		}
	}
	return out
}

// codeScene is a picture of 1 to 6 QR codes (some the same, some parts of
// a structured-append sequence) at random sizes and places, on white or a
// noisy photograph, dark or light, turned or not; up to maxSide pixels a
// side before turning.
func codeScene(t testing.TB, r *rand.Rand, maxSide int) *image.Gray {
	texts := []string{lureShort, lureV5, lureDM, lureAz, qrLure}
	n := 1 + r.IntN(6)
	side := 100 + r.IntN(maxSide-99)
	var g *image.Gray
	if r.IntN(2) == 0 {
		g = noisyPhoto(side, side, r.Uint64())
	} else {
		g = canvas(side, side, 255)
	}
	fg, bg := uint8(r.IntN(60)), uint8(200+r.IntN(56))
	if r.IntN(3) == 0 {
		fg, bg = bg, fg
	}
	saTotal := 1 + r.IntN(4)
	for range n {
		var m modules
		switch k := r.IntN(8); {
		case k < 5:
			m = qrModules(t, texts[k], qrcode.Medium)
		default: // a part of a sequence; now and then two parts with one number
			m = saQRCode(t, r.IntN(saTotal), saTotal, 0x5a, fmt.Sprintf("part%d-", r.IntN(saTotal)))
		}
		px := 1 + r.IntN(8)
		s := (len(m) + 8) * px
		m.draw(g, r.IntN(max(1, side-s/2))-s/4, r.IntN(max(1, side-s/2))-s/4, px, 4, fg, bg)
	}
	if r.IntN(3) == 0 {
		g = rotated(g, float64(r.IntN(360)))
	}
	return g
}

// TestQRFinderMatchesGozxing: qrFinder and decodeCodes against gozxing on
// every kind of matrix (see the top of this file).
func TestQRFinderMatchesGozxing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	centres := 0
	for i := range 300 { // random pixels, of every density
		w, h := 1+r.IntN(300), 1+r.IntN(300)
		if i < 40 {
			w, h = 1+i%7, 1+i/7
		}
		m, _ := gozxing.NewBitMatrix(w, h)
		p := r.Float64()
		for y := range h {
			for x := range w {
				if r.Float64() < p {
					m.Set(x, y)
				}
			}
		}
		n, _ := checkMatrix(t, fmt.Sprintf("random %dx%d p=%.2f", w, h, p), m)
		centres += n
	}
	for i := range 300 {
		w, h := 40+r.IntN(500), 40+r.IntN(500)
		n, _ := checkMatrix(t, fmt.Sprintf("finder scene %d (%dx%d)", i, w, h), finderScene(r, w, h))
		centres += n
	}
	t.Logf("%d finder pattern centres", centres)
	// A wallpaper of finder patterns: a grid of like centres, every right
	// angle among them a triple the selection keeps.
	for _, n := range []int{4, 6, 9} {
		m, _ := gozxing.NewBitMatrix(n*40+20, n*40+20)
		for gy := range n {
			for gx := range n {
				for y := -14; y <= 14; y++ {
					for x := -14; x <= 14; x++ {
						if ring := max(abs(x), abs(y)); ring <= 6 || ring > 10 && ring <= 14 {
							m.Set(30+gx*40+x, 30+gy*40+y)
						}
					}
				}
			}
		}
		c, _ := checkMatrix(t, fmt.Sprintf("wallpaper %dx%d", n, n), m)
		if c != n*n {
			t.Errorf("wallpaper %dx%d: %d centres", n, n, c)
		}
		centres += c
	}
	t.Logf("%d matrices with over %d centres passed over", skippedMatrices.Load(), maxComparedCentres)
	if centres < 500 {
		t.Errorf("the scenes held %d finder pattern centres: the comparison did not exercise the cross-checks", centres)
	}
	found := 0
	scenes := 40 / raceStride
	for i := range scenes {
		if len(checkGray(t, fmt.Sprintf("code scene %d", i), codeScene(t, r, 1100), i%4 != 0)) > 0 {
			found++
		}
	}
	if found < scenes/2 {
		t.Errorf("codes read in %d of %d scenes: the comparison did not exercise the decoder", found, scenes)
	}
	for i, g := range []*image.Gray{noisyPhoto(1824, 1368, 9), stripes(1600, 1200), textPage(1600, 1200), invert(noisyPhoto(900, 700, 3))} {
		checkGray(t, fmt.Sprintf("photo %d", i), g, false)
	}
}

// TestQRFinderStructuredAppend: the parts of a sequence are read as
// DecodeMultiple reads them (joined in order after the other codes), and
// a picture with two parts of one number too.
func TestQRFinderStructuredAppend(t *testing.T) {
	g := canvas(900, 300, 255)
	qrModules(t, lureShort, qrcode.Medium).draw(g, 10, 10, 6, 4, 0, 255)
	saQRCode(t, 1, 3, 7, "two-").draw(g, 330, 10, 6, 4, 0, 255)
	saQRCode(t, 0, 3, 7, "one-").draw(g, 520, 10, 6, 4, 0, 255)
	saQRCode(t, 2, 3, 7, "three").draw(g, 710, 10, 6, 4, 0, 255)
	got := checkGray(t, "sequence", g, false)
	if !slices.Contains(got, "one-two-three") || !slices.Contains(got, lureShort) {
		t.Errorf("read %q, want the sequence joined and the lone code", got)
	}
	g = canvas(700, 300, 255)
	for i, s := range []string{"a-", "b-", "c-"} {
		saQRCode(t, i%2, 2, 1, s).draw(g, 10+i*230, 10, 6, 4, 0, 255)
	}
	if got := checkGray(t, "two parts numbered 0", g, false); len(got) == 0 {
		t.Errorf("read nothing in three parts of a sequence")
	}
}

// searchCaseGrays calls f with every raceStride-th of the code search's
// own cases, as decodeGray hands it to the search.
func searchCaseGrays(t *testing.T, f func(name string, g *image.Gray)) {
	t.Helper()
	for i, c := range append(codeCases(), offCentreCases()...) {
		if i%raceStride != 0 {
			continue
		}
		b := c.image(t)
		cfg, format, err := imageConfig(b)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		g, _, _ := decodeGray(b, format, cfg.Width, cfg.Height, time.Time{})
		f(c.name, g)
	}
}

// TestQRFinderSearchCases: the code search's own cases and the images of
// the corpus's mails (what message.Parse reaches of them), as decodeGray
// hands them to the search.
func TestQRFinderSearchCases(t *testing.T) {
	searchCaseGrays(t, func(name string, g *image.Gray) {
		checkGray(t, name, g, true) // the readers after QR: compared on the corpus's images
	})
	files, _ := filepath.Glob("../testdata/corpus/*/*.eml")
	if len(files) == 0 {
		t.Fatal("no corpus mails in ../testdata/corpus")
	}
	images := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := message.Parse(raw)
		if err != nil {
			continue
		}
		budget := &CodeBudget{images: 1000, deadline: time.Now().Add(time.Hour)}
		for i, p := range msg.Parts {
			var grays []*image.Gray
			switch {
			case isCodeImage(p):
				if cfg, format, err := imageConfig(p.Content); err == nil && cfg.Width >= minCodeSide && cfg.Height >= minCodeSide && overPixels(format, cfg.Width, cfg.Height) == "" {
					if g, _, _ := decodeGray(p.Content, format, cfg.Width, cfg.Height, time.Time{}); g != nil {
						grays = append(grays, g)
					}
				}
			case isPDF(p, p.Content):
				for _, im := range pdfImages(pdfObjectsByNum(p.Content, ""), budget) {
					if im.img != nil {
						grays = append(grays, im.img)
					}
				}
			case isHTML(p, p.Content):
				grays = append(grays, htmlTableCodes(p.Content)...)
			}
			for k, g := range grays {
				checkGray(t, fmt.Sprintf("%s part %d image %d", filepath.Base(f), i, k), g, false)
				images++
			}
		}
	}
	if images < 5 {
		t.Errorf("%d images in the corpus's mails: the corpus comparison compared nearly nothing", images)
	}
	t.Logf("%d corpus images; %d matrices with over %d centres passed over", images, skippedMatrices.Load(), maxComparedCentres)
}

// FuzzQRFinder: qrFinder and the QR reading against gozxing on matrices
// drawn from the input: as raw pixels (fuzzMatrix), as finder pattern
// scenes seeded by it, or as a picture of codes seeded by it and binarized
// as the search binarizes.
func FuzzQRFinder(f *testing.F) {
	f.Add(uint8(0), uint16(64), uint16(48), []byte{0xff, 0x00, 0x0f, 0xf0, 0x3c})
	f.Add(uint8(1), uint16(300), uint16(200), []byte("seed"))
	f.Add(uint8(2), uint16(1), uint16(2), []byte("codes"))
	f.Fuzz(func(t *testing.T, mode uint8, w, h uint16, b []byte) {
		seed := uint64(0)
		for _, c := range b {
			seed = seed*131 + uint64(c)
		}
		r := rand.New(rand.NewPCG(seed, uint64(w)<<16|uint64(h)))
		switch mode % 3 {
		case 0:
			checkMatrix(t, "raw", fuzzMatrix(b, 1+int(w)%400, 1+int(h)%400))
		case 1:
			checkMatrix(t, "finder scene", finderScene(r, 40+int(w)%400, 40+int(h)%400))
		default:
			checkGray(t, "code scene", codeScene(t, r, 400), true)
		}
	})
}

// BenchmarkQRFinder is the finder-pattern search alone on the search's
// matrices of a few pictures: gozxing's MultiFinderPatternFinder and
// qrFinder, side by side.
func BenchmarkQRFinder(b *testing.B) {
	withCode := noisyPhoto(1824, 1368, 9)
	qrModules(b, lureV5, qrcode.Medium).draw(withCode, 1200, 600, 5, 4, 10, 245)
	for _, c := range []struct {
		name string
		g    *image.Gray
	}{
		{"photo-1824x1368-no-code", noisyPhoto(1824, 1368, 9)},
		{"photo-1824x1368-qr", withCode},
		{"document-1600x1200", textPage(1600, 1200)},
		{"stripes-1600x1200", stripes(1600, 1200)},
	} {
		p, err := newCodePlane(c.g)
		if err != nil {
			b.Fatal(err)
		}
		m, err := p.blackMatrix(false)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name+"/gozxing", func(b *testing.B) {
			for b.Loop() {
				multidetector.NewMultiFinderPatternFinder(m, nil).FindMulti(codeHints)
			}
		})
		b.Run(c.name+"/qrFinder", func(b *testing.B) {
			for b.Loop() {
				newQRFinder(m, time.Time{}).findMulti()
			}
		})
	}
}

// photoMatrices are the matrices the search makes of the mixed set's
// photographs: both polarities, of each plane and of it stretched.
func photoMatrices(b *testing.B) []*gozxing.BitMatrix {
	var ms []*gozxing.BitMatrix
	for _, g := range mixedPlanes(b) {
		for _, im := range []*image.Gray{g, stretch(g)} {
			p, err := newCodePlane(im)
			if err != nil {
				b.Fatal(err)
			}
			for _, inv := range []bool{false, true} {
				m, err := p.blackMatrix(inv)
				if err != nil {
					b.Fatal(err)
				}
				ms = append(ms, m)
			}
		}
	}
	return ms
}

// BenchmarkQRFinderPhotos is the finder-pattern search alone on the
// matrices the search makes of the mixed set's photographs (see
// BenchmarkCodePhotos): both polarities, of each plane and of it stretched.
func BenchmarkQRFinderPhotos(b *testing.B) {
	ms := photoMatrices(b)
	cpu0, n := cputime.Process(), 0
	for b.Loop() {
		for _, m := range ms {
			newQRFinder(m, time.Time{}).findMulti()
			n++
		}
	}
	cputime.Report(b, cpu0, n, "matrix")
}

// finderWallpaper is a picture of n×n finder patterns, 3 pixels a module:
// every right angle among them is a triple gozxing's multi reader samples
// and decodes (n = 20: about 300,000 triples).
func finderWallpaper(n int) *image.Gray {
	const step = 7*3 + 9
	g := canvas(n*step+20, n*step+20, 255)
	for gy := range n {
		for gx := range n {
			for y := range 21 {
				for x := range 21 {
					if max(abs(x/3-3), abs(y/3-3)) != 2 {
						g.Pix[(10+gy*step+y)*g.Stride+10+gx*step+x] = 0
					}
				}
			}
		}
	}
	return g
}

// TestCodeSearchStopsInFinderWallpaper: a picture of 400 finder patterns,
// a few kilobytes of PNG that kept gozxing's QR reader busy for minutes,
// is searched until the message's time for codes is spent and noted not
// fully searched.
func TestCodeSearchStopsInFinderWallpaper(t *testing.T) {
	g := finderWallpaper(20)
	f := newQRFinder(mustMatrix(t, g), time.Time{})
	f.scan()
	if len(f.centers) != 400 {
		t.Fatalf("%d finder pattern centres in the wallpaper, want 400", len(f.centers))
	}
	var c Codes
	c.search(g, &CodeBudget{images: 1, deadline: time.Now()}, "png image")
	if len(c.Skipped) != 1 || c.Skipped[0] != "png image not fully searched for codes: its share of the message's 3s for reading codes was spent" {
		t.Errorf("%+v", c)
	}
}

// mustMatrix is g binarized as the search binarizes it (dark codes).
func mustMatrix(t testing.TB, g *image.Gray) *gozxing.BitMatrix {
	p, err := newCodePlane(g)
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.blackMatrix(false)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestStretchEnlargeAsBefore: stretch and enlarge, made faster, give the
// pictures their first versions gave (kept here), on photographs, flat and
// narrow-range pictures, and odd sizes.
func TestStretchEnlargeAsBefore(t *testing.T) {
	stretchBefore := func(g *image.Gray) *image.Gray {
		lo, hi := uint8(255), uint8(0)
		for _, p := range g.Pix {
			lo, hi = min(lo, p), max(hi, p)
			if lo < 40 && hi > 215 {
				return g
			}
		}
		if hi <= lo {
			return g
		}
		var level [256]uint8
		for p := int(lo); p <= int(hi); p++ {
			level[p] = uint8((p - int(lo)) * 255 / int(hi-lo))
		}
		out := image.NewGray(g.Rect)
		for i, p := range g.Pix {
			out.Pix[i] = level[p]
		}
		return out
	}
	enlargeBefore := func(g *image.Gray, k int) *image.Gray {
		b := g.Bounds()
		m := 8
		out := image.NewGray(image.Rect(0, 0, b.Dx()*k+2*m, b.Dy()*k+2*m))
		for i := range out.Pix {
			out.Pix[i] = 255
		}
		for y := 0; y < b.Dy()*k; y++ {
			for x := 0; x < b.Dx()*k; x++ {
				out.Pix[(y+m)*out.Stride+x+m] = g.Pix[(y/k)*g.Stride+x/k]
			}
		}
		return out
	}
	r := rand.New(rand.NewPCG(3, 4))
	var pics []*image.Gray
	for range 60 {
		w, h := 1+r.IntN(400), 1+r.IntN(300)
		g := image.NewGray(image.Rect(0, 0, w, h))
		lo, span := r.IntN(256), 1+r.IntN(256)
		for i := range g.Pix {
			g.Pix[i] = uint8(min(255, lo+r.IntN(span)))
		}
		if r.IntN(4) == 0 && len(g.Pix) > 10 { // full range only near the end
			g.Pix[len(g.Pix)-1], g.Pix[len(g.Pix)-2] = 0, 255
		}
		pics = append(pics, g)
	}
	pics = append(pics, noisyPhoto(1824, 1368, 9), invert(noisyPhoto(300, 200, 3)), canvas(50, 40, 128), qrModules(t, lureShort, qrcode.Medium).alone(2, 90, 130))
	for i, g := range pics {
		if a, b := stretch(g), stretchBefore(g); (a == g) != (b == g) || !slices.Equal(a.Pix, b.Pix) || a.Rect != b.Rect {
			t.Fatalf("picture %d (%v): stretch differs from before", i, g.Rect)
		}
		for _, k := range []int{1, 2, 3} {
			if a, b := enlarge(g, k), enlargeBefore(g, k); a.Rect != b.Rect || a.Stride != b.Stride || !slices.Equal(a.Pix, b.Pix) {
				t.Fatalf("picture %d (%v): enlarge by %d differs from before", i, g.Rect, k)
			}
		}
	}
}

// TestFoundPatternCrossMatchesGozxing: the whole-number pre-test turns away
// only what gozxing's own test turns away: every five counts up to 24, and
// random ones up to a wide picture's row.
func TestFoundPatternCrossMatchesGozxing(t *testing.T) {
	check := func(sc [5]int) {
		want := detector.FinderPatternFinder_foundPatternCross(sc[:])
		if got := foundPatternCross(&sc); got != want {
			t.Fatalf("counts %v: %v, gozxing %v", sc, got, want)
		}
	}
	const n = 25
	for i := 0; i < n*n*n*n*n; i++ {
		check([5]int{i % n, i / n % n, i / (n * n) % n, i / (n * n * n) % n, i / (n * n * n * n)})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		m := 1 + r.IntN(4)
		base := r.IntN(20000)
		var sc [5]int
		for k := range sc {
			sc[k] = max(0, base*[5]int{1, 1, 3, 1, 1}[k]+r.IntN(2*base/m+3)-base/m-1)
		}
		check(sc)
	}
}

// warped is g seen at a slant: the picture's corners moved to the corners
// of the quadrilateral q (top left, top right, bottom right, bottom left),
// white around it.
func warped(g *image.Gray, q [8]float64) *image.Gray {
	w, h := float64(g.Rect.Dx()), float64(g.Rect.Dy())
	out := canvas(g.Rect.Dx(), g.Rect.Dy(), 255)
	back := common.PerspectiveTransform_QuadrilateralToQuadrilateral(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], 0, 0, w, 0, w, h, 0, h)
	row := make([]float64, 2*g.Rect.Dx())
	for y := range g.Rect.Dy() {
		for x := range g.Rect.Dx() {
			row[2*x], row[2*x+1] = float64(x)+0.5, float64(y)+0.5
		}
		back.TransformPoints(row)
		for x := range g.Rect.Dx() {
			sx, sy := int(row[2*x]), int(row[2*x+1])
			if sx >= 0 && sy >= 0 && sx < g.Rect.Dx() && sy < g.Rect.Dy() {
				out.Pix[y*out.Stride+x] = g.Pix[sy*g.Stride+sx]
			}
		}
	}
	return out
}

// realCodes are pictures of QR codes as mail carries them and as a phone
// reads them: versions 1 to 15, upright, turned, at a slant, mirrored, in
// low contrast, with modules of a pixel or two, under noise, light on dark,
// over a photograph, and mixes of these.
func realCodes(t testing.TB, r *rand.Rand, n int) (out []*image.Gray) {
	long := "https://login.example.com/verify?session=" + strings.Repeat("8f3a9c2e71b04d5e", 12)
	texts := []string{lureShort, lureV5, qrLure, long[:120], long[:200], long}
	for range n {
		text := texts[r.IntN(len(texts))]
		m := qrModules(t, text, []qrcode.RecoveryLevel{qrcode.Low, qrcode.Medium, qrcode.High}[r.IntN(3)])
		px := 1 + r.IntN(6)
		fg, bg := uint8(r.IntN(60)), uint8(200+r.IntN(56))
		if r.IntN(4) == 0 { // low contrast
			fg, bg = uint8(100+r.IntN(20)), uint8(135+r.IntN(20))
		}
		if r.IntN(5) == 0 {
			fg, bg = bg, fg
		}
		side := (len(m)+8)*px + r.IntN(200)
		var g *image.Gray
		if r.IntN(3) == 0 {
			g = noisyPhoto(side, side, r.Uint64())
		} else {
			g = canvas(side, side, bg)
		}
		m.draw(g, r.IntN(side-(len(m)+8)*px+1), r.IntN(side-(len(m)+8)*px+1), px, 4, fg, bg)
		if r.IntN(3) == 0 { // sensor noise
			for i := range g.Pix {
				g.Pix[i] = uint8(min(255, max(0, int(g.Pix[i])+r.IntN(41)-20)))
			}
		}
		if r.IntN(3) == 0 {
			mirror(g)
		}
		switch r.IntN(3) {
		case 0:
			g = rotated(g, float64(r.IntN(360)))
		case 1:
			s, j := float64(side), func() float64 { return float64(r.IntN(side/5 + 1)) }
			g = warped(g, [8]float64{j(), j(), s - j(), j(), s - j(), s - j(), j(), s - j()})
		}
		out = append(out, g)
	}
	return out
}

// TestQRDetectorMatchesGozxing: qrDetector samples every triple's grid as
// gozxing's Detector.ProcessFinderPatternInfo does, bit for bit, and fails
// where it fails; and a triple formatReadable turns away is one gozxing's
// decoder does not read. The triples: those of real codes (realCodes), of
// the search's test cases, and of a dim photograph's noise (thousands).
func TestQRDetectorMatchesGozxing(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 3))
	var turnedAway, readable, read int
	check := func(name string, m *gozxing.BitMatrix, stride int) {
		if stride > 1 { // hundreds of centres: the pairs too far apart for a code are many
			if d, _ := diffFinder(m); d != "" {
				t.Fatalf("%s: finder: %s", name, d)
			}
		}
		infos, err := newQRFinder(m, time.Time{}).findMulti()
		if err != nil {
			return
		}
		d, gd, dec := newQRDetector(m), detector.NewDetector(m), qrdecoder.NewDecoder()
		for i, info := range infos {
			if i%stride != 0 {
				continue
			}
			want, wantErr := gd.ProcessFinderPatternInfo(info)
			tf, dim, err := d.transform(info)
			var got *gozxing.BitMatrix
			if err == nil {
				got, err = detector.Detector_sampleGrid(m, tf, dim)
			}
			if (err == nil) != (wantErr == nil) {
				t.Fatalf("%s triple %d: error %v, gozxing's %v", name, i, err, wantErr)
			}
			if err != nil {
				continue
			}
			if got.String() != want.GetBits().String() {
				t.Fatalf("%s triple %d: a %d-module grid unlike gozxing's", name, i, dim)
			}
			_, decErr := dec.Decode(want.GetBits(), codeHints)
			if decErr == nil {
				read++
			}
			if d.formatReadable(tf, dim) {
				readable++
				continue
			}
			turnedAway++
			if decErr == nil {
				t.Fatalf("%s triple %d: turned away, and gozxing reads its %d-module grid", name, i, dim)
			}
		}
	}
	matrices := func(name string, g *image.Gray, stride int) {
		ims := []*image.Gray{g, stretch(g)}
		for k, im := range ims {
			if k > 0 && im == ims[0] {
				continue
			}
			p, err := newCodePlane(im)
			if err != nil {
				continue
			}
			for _, inv := range []bool{false, true} {
				if m, err := p.blackMatrix(inv); err == nil {
					check(fmt.Sprintf("%s (image %d, inverted %v)", name, k, inv), m, stride)
				}
			}
		}
	}
	codes := realCodes(t, r, 120/raceStride)
	for i, g := range codes {
		matrices(fmt.Sprintf("code %d", i), g, 1)
	}
	searchCaseGrays(t, func(name string, g *image.Gray) { matrices(name, g, 1) })
	dim := noisyPhoto(1200, 900, 31)
	for i, v := range dim.Pix {
		dim.Pix[i] = uint8(70 + int(v)*120/255)
	}
	matrices("dim photograph", dim, 4*raceStride)
	t.Logf("%d triples turned away, %d left to the decoder, %d of them read", turnedAway, readable, read)
	if turnedAway < 1000/raceStride || read < len(codes)/2 { // under -race, a third of the codes and the dim photograph's triples
		t.Errorf("%d triples turned away and %d read: the comparison did not exercise both", turnedAway, read)
	}
	// Each code is read as gozxing's multi reader reads it.
	found := 0
	for i, g := range codes {
		if texts := checkGray(t, fmt.Sprintf("code %d", i), g, true); len(texts) > 0 {
			found++
		}
	}
	t.Logf("%d of %d codes read", found, len(codes)) // the rest too hard for gozxing: a pixel a module turned, noise on low contrast
	if found < len(codes)/2 {
		t.Errorf("%d of %d codes read", found, len(codes))
	}
}

// versionAndFormat is what gozxing's Decoder.Decode needs of a grid before
// it reads any codeword: the version and the format read by its parser,
// without mirroring or with.
func versionAndFormat(grid *gozxing.BitMatrix) (upright, mirrored bool) {
	for _, mirror := range []bool{false, true} {
		p, err := qrdecoder.NewBitMatrixParser(grid)
		if err != nil {
			return false, false
		}
		p.SetMirror(mirror)
		ok := false
		if _, err := p.ReadVersion(); err == nil {
			_, err = p.ReadFormatInformation()
			ok = err == nil
		}
		if mirror {
			mirrored = ok
		} else {
			upright = ok
		}
	}
	return upright, mirrored
}

// TestFormatReadable: formatReadable answers for the whole grid what
// gozxing's parser answers, the modules it samples being the ones the
// parser reads. The grids are real codes' (versions 1 to 10), as they are
// or transposed (a code seen in a mirror), with bits flipped at random in
// and around their version and format information, each the picture
// itself (a pixel a module, sampled through the transform a triple at its
// finder patterns' centres gives).
func TestFormatReadable(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	long := strings.Repeat("https://a.example/", 12)
	var counts [2][2]int
	for i := range 1500 {
		code := qrModules(t, long[:1+r.IntN(len(long))], qrcode.Medium)
		dim := len(code)
		grid, _ := gozxing.NewSquareBitMatrix(dim)
		transpose := r.IntN(2) == 0
		for y := range dim {
			for x := range dim {
				if code[y][x] {
					if transpose {
						grid.Set(y, x)
					} else {
						grid.Set(x, y)
					}
				}
			}
		}
		flips := r.IntN(8)
		if r.IntN(3) == 0 {
			flips = 500 // noise all over the corners
		}
		for range flips { // flips near the finder patterns, where the information is
			x, y := r.IntN(12), r.IntN(12)
			if r.IntN(2) == 0 {
				x = dim - 1 - x
			}
			if r.IntN(2) == 0 {
				y = dim - 1 - y
			}
			grid.Flip(x, y)
		}
		tf := detector.Detector_createTransform(detector.NewFinderPattern1(3.5, 3.5, 1), detector.NewFinderPattern1(float64(dim)-3.5, 3.5, 1),
			detector.NewFinderPattern1(3.5, float64(dim)-3.5, 1), nil, dim)
		sampled, err := detector.Detector_sampleGrid(grid, tf, dim)
		if err != nil || sampled.String() != grid.String() {
			t.Fatalf("grid %d: the transform does not sample the picture module for module (%v)", i, err)
		}
		upright, mirrored := versionAndFormat(grid)
		if got := newQRDetector(grid).formatReadable(tf, dim); got != (upright || mirrored) {
			t.Fatalf("grid %d (%d modules, transposed %v): formatReadable %v, gozxing's parser upright %v, mirrored %v", i, dim, transpose, got, upright, mirrored)
		}
		counts[b2i(upright)][b2i(mirrored)]++
	}
	t.Logf("grids by version and format read [upright][mirrored]: %v", counts)
	if counts[0][0] == 0 || counts[0][1] == 0 || counts[1][0] == 0 {
		t.Errorf("grids by version and format read [upright][mirrored]: %v: not every case was tried", counts)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
