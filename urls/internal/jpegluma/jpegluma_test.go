package jpegluma

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testPhoto is a photograph-like picture: smooth shading, sensor noise, and
// hard-edged dark squares (the edges a code has), in colour.
func testPhoto(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 7))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := r.IntN(24)
			cr := 40 + 160*x/w + n
			cg := 30 + 180*y/h + n
			cb := 200 - 150*(x+y)/(w+h) + n
			if (x/11+y/13)%7 == 0 && (x/5)%3 != 0 { // hard edges
				cr, cg, cb = cr/6, cg/6, cb/6
			}
			img.SetRGBA(x, y, color.RGBA{uint8(min(cr, 255)), uint8(min(cg, 255)), uint8(min(cb, 255)), 255})
		}
	}
	return img
}

// goLuma is image/jpeg's decode of data and its luma plane.
func goLuma(t testing.TB, data []byte) (pix []byte, stride, w, h int) {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image/jpeg: %v", err)
	}
	switch m := img.(type) {
	case *image.YCbCr:
		return m.Y, m.YStride, m.Rect.Dx(), m.Rect.Dy()
	case *image.Gray:
		return m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy()
	}
	t.Fatalf("image/jpeg gave a %T, not a luma plane", img)
	return nil, 0, 0, 0
}

// diff compares got with the reference luma box-averaged by scale (each
// output pixel the mean of scale×scale reference pixels): the largest and
// the mean absolute difference.
func diff(got *image.Gray, ref []byte, stride, w, h, scale int) (maxd int, mean float64, err error) {
	if got.Rect.Dx() != w/scale || got.Rect.Dy() != h/scale {
		return 0, 0, fmt.Errorf("plane %v, want %dx%d", got.Rect, w/scale, h/scale)
	}
	total := 0
	for y := 0; y < h/scale; y++ {
		for x := 0; x < w/scale; x++ {
			sum := 0
			for dy := 0; dy < scale; dy++ {
				for dx := 0; dx < scale; dx++ {
					sum += int(ref[(y*scale+dy)*stride+x*scale+dx])
				}
			}
			want := (sum + scale*scale/2) / (scale * scale)
			d := int(got.Pix[y*got.Stride+x]) - want
			if d < 0 {
				d = -d
			}
			maxd = max(maxd, d)
			total += d
		}
	}
	if n := (w / scale) * (h / scale); n > 0 {
		mean = float64(total) / float64(n)
	}
	return maxd, mean, nil
}

// Tolerances against image/jpeg: at full scale its integer inverse DCT
// against our exact one; reduced, also clipping, which image/jpeg does per
// pixel before the average and we after it (ringing at hard edges).
var tolerance = map[int]struct {
	max  int
	mean float64
}{1: {3, 0.5}, 2: {24, 0.75}, 4: {24, 0.75}, 8: {24, 0.75}}

// checkAgainstGo decodes data at every scale and compares with image/jpeg.
func checkAgainstGo(t *testing.T, name string, data []byte) {
	t.Helper()
	ref, stride, w, h := goLuma(t, data)
	for _, s := range []int{1, 2, 4, 8} {
		got, err := Decode(data, s, 1<<26)
		if err != nil {
			t.Errorf("%s at 1/%d: %v", name, s, err)
			continue
		}
		maxd, mean, err := diff(got, ref, stride, w, h, s)
		if err != nil {
			t.Errorf("%s at 1/%d: %v", name, s, err)
			continue
		}
		// The mean is judged on planes large enough to have one.
		if tol := tolerance[s]; maxd > tol.max || mean > tol.mean && got.Rect.Dx()*got.Rect.Dy() >= 64 {
			t.Errorf("%s at 1/%d: luma differs from image/jpeg's by up to %d, %.3f on average (tolerance %d, %.2f)", name, s, maxd, mean, tol.max, tol.mean)
		}
	}
}

func encodeGo(t testing.TB, img image.Image, q int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGoEncoder: JPEGs from Go's own encoder, 4:2:0 colour and grey, at
// sizes that are and are not multiples of the MCU.
func TestGoEncoder(t *testing.T) {
	for _, size := range [][2]int{{64, 48}, {333, 217}, {17, 9}, {1, 1}, {640, 480}, {2, 700}, {700, 3}} {
		for _, q := range []int{30, 85, 100} {
			img := testPhoto(size[0], size[1], uint64(size[0]))
			checkAgainstGo(t, fmt.Sprintf("go-420-%dx%d-q%d", size[0], size[1], q), encodeGo(t, img, q))
			g := image.NewGray(img.Rect)
			for i := range g.Pix {
				g.Pix[i] = img.Pix[4*i+1]
			}
			checkAgainstGo(t, fmt.Sprintf("go-grey-%dx%d-q%d", size[0], size[1], q), encodeGo(t, g, q))
		}
	}
}

// tool finds a program the tests need; a missing one fails the test.
func tool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found (Debian package %s, installed by scripts/deps.sh test): %v", name, pkg, err)
	}
	return p
}

// writePPM writes img as a binary PPM (or PGM when grey) for cjpeg.
func writePPM(t testing.TB, img *image.RGBA, grey bool) string {
	t.Helper()
	var b bytes.Buffer
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if grey {
		fmt.Fprintf(&b, "P5\n%d %d\n255\n", w, h)
		for i := 0; i < w*h; i++ {
			b.WriteByte(img.Pix[4*i+1])
		}
	} else {
		fmt.Fprintf(&b, "P6\n%d %d\n255\n", w, h)
		for i := 0; i < w*h; i++ {
			b.Write(img.Pix[4*i : 4*i+3])
		}
	}
	p := filepath.Join(t.TempDir(), "in.ppm")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func cjpeg(t testing.TB, img *image.RGBA, grey bool, args ...string) []byte {
	t.Helper()
	bin := tool(t, "cjpeg", "libjpeg-turbo-progs")
	cmd := exec.Command(bin, append(args, writePPM(t, img, grey))...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cjpeg %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// TestLibjpegLayouts: JPEGs from an independent encoder (libjpeg-turbo's
// cjpeg) in the layouts Go's encoder does not write: other chroma
// subsamplings, odd sizes, restart intervals, optimized Huffman tables.
func TestLibjpegLayouts(t *testing.T) {
	cases := []struct {
		name string
		w, h int
		grey bool
		args []string
	}{
		{"444", 203, 131, false, []string{"-quality", "85", "-sample", "1x1"}},
		{"422", 203, 131, false, []string{"-quality", "85", "-sample", "2x1"}},
		{"440", 203, 131, false, []string{"-quality", "85", "-sample", "1x2"}},
		{"420", 203, 131, false, []string{"-quality", "85", "-sample", "2x2"}},
		{"411", 203, 131, false, []string{"-quality", "85", "-sample", "4x1"}},
		{"420-restart-blocks", 203, 131, false, []string{"-quality", "75", "-restart", "3B"}},
		{"444-restart-rows", 150, 77, false, []string{"-quality", "90", "-sample", "1x1", "-restart", "1"}},
		{"420-optimized", 257, 129, false, []string{"-quality", "60", "-optimize"}},
		{"422-optimized-restart", 99, 301, false, []string{"-quality", "95", "-sample", "2x1", "-optimize", "-restart", "7B"}},
		{"grey", 203, 131, true, []string{"-quality", "85", "-grayscale"}},
		{"grey-restart-optimized", 31, 17, true, []string{"-quality", "50", "-grayscale", "-restart", "2B", "-optimize"}},
		{"420-q100", 64, 64, false, []string{"-quality", "100"}},
		{"420-q5", 120, 90, false, []string{"-quality", "5"}},
		{"420-tiny", 3, 2, false, []string{"-quality", "85"}},
	}
	for _, c := range cases {
		data := cjpeg(t, testPhoto(c.w, c.h, uint64(c.w*c.h)), c.grey, c.args...)
		checkAgainstGo(t, c.name, data)
	}
}

// TestUnsupported: what libjpeg does not read into grey (CMYK, which
// image/jpeg reads; 12-bit; lossless) is ErrUnsupported, and image/jpeg
// reads the CMYK file (the fallback works). RGB and arithmetic-coded files,
// which image/jpeg read before (RGB) or nothing did (arithmetic), read as
// libjpeg shows them.
func TestUnsupported(t *testing.T) {
	img := testPhoto(120, 80, 3)
	cmyk := pilCMYK(t, img)
	if _, err := Decode(cmyk, 1, 1<<26); !errors.Is(err, ErrUnsupported) {
		t.Errorf("cmyk: err = %v, want ErrUnsupported", err)
	}
	if _, err := jpeg.Decode(bytes.NewReader(cmyk)); err != nil {
		t.Errorf("cmyk: image/jpeg cannot read it either: %v", err)
	}
	base := cjpeg(t, img, false, "-quality", "85")
	sof := bytes.Index(base, []byte{0xff, mSOF0})
	twelve := bytes.Clone(base)
	twelve[sof+4] = 12
	lossless := bytes.Clone(base)
	lossless[sof+1] = mSOF3
	for name, data := range map[string][]byte{"12-bit": twelve, "lossless": lossless} {
		if _, err := Decode(data, 1, 1<<26); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err = %v, want ErrUnsupported", name, err)
		}
		if _, _, err := Config(data); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: Config's err = %v, want ErrUnsupported", name, err)
		}
	}
	likeLibjpeg(t, "rgb", cjpeg(t, img, false, "-rgb"), 1, 2, 4, 8)
	likeLibjpeg(t, "arithmetic", cjpeg(t, img, false, "-arithmetic"), 1, 2, 4, 8)
	likeLibjpeg(t, "arithmetic-progressive", cjpeg(t, img, false, "-arithmetic", "-progressive"), 1, 2, 4, 8)
}

// pilCMYK is img as a CMYK JPEG (Adobe APP14, four components), written by
// Pillow: cjpeg does not write CMYK.
func pilCMYK(t *testing.T, img *image.RGBA) []byte {
	t.Helper()
	py := "/usr/bin/python3" // Debian's, where python3-pil is
	if _, err := os.Stat(py); err != nil {
		t.Fatalf("%s not found (scripts/deps.sh test installs python3-pil): %v", py, err)
	}
	in := writePPM(t, img, false)
	out := filepath.Join(t.TempDir(), "cmyk.jpg")
	script := "import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).convert('CMYK').save(sys.argv[2], quality=85)\n"
	if b, err := exec.Command(py, "-c", script, in, out).CombinedOutput(); err != nil {
		t.Fatalf("Pillow (python3-pil, installed by scripts/deps.sh test) could not write a CMYK JPEG: %v: %s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(data, []byte("Adobe")) == 0 {
		t.Fatalf("Pillow's CMYK JPEG has no Adobe marker")
	}
	return data
}

// TestCorrupt: every truncation and a sample of byte changes of a valid
// file: never a panic, a named error or a plane of the header's size, and
// every eleventh truncation and every tenth changed file as libjpeg shows
// it.
func TestCorrupt(t *testing.T) {
	data := cjpeg(t, testPhoto(40, 24, 9), false, "-quality", "80", "-restart", "2B")
	for n := 0; n < len(data); n++ {
		agree(t, data[:n])
		if n%11 == 0 {
			likeLibjpeg(t, fmt.Sprintf("cut at %d", n), data[:n], 1, 8)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		b := bytes.Clone(data)
		for k := 0; k <= r.IntN(3); k++ {
			b[r.IntN(len(b))] = byte(r.IntN(256))
		}
		agree(t, b)
		if i%10 == 0 {
			likeLibjpeg(t, fmt.Sprintf("damage %d", i), b, 1, 2)
		}
	}
}

// agree decodes data at every scale: never a panic; a named error and no
// plane, or a plane of the header's size (Config's w/s × h/s, its stride its
// width) within the pixel limit; the same pixels when decoded again; and
// Orientation never panics.
func agree(t testing.TB, data []byte) {
	const limit = 1 << 20
	Orientation(data)
	w, h, cerr := Config(data)
	for _, s := range []int{1, 2, 4, 8} {
		g, err := Decode(data, s, limit)
		if err != nil {
			var fe FormatError
			if g != nil {
				t.Fatalf("1/%d: an image and an error", s)
			}
			if !errors.Is(err, ErrUnsupported) && !errors.As(err, &fe) && !errors.Is(err, ErrTooManyScans) &&
				!errors.Is(err, ErrTooMuchMemory) && !errors.Is(err, errTooLarge) {
				t.Fatalf("1/%d: an error of no name: %v", s, err)
			}
			continue
		}
		if cerr != nil {
			t.Fatalf("1/%d: decoded, but Config fails: %v", s, cerr)
		}
		if w*h > limit || g.Rect != image.Rect(0, 0, w/s, h/s) || g.Stride != w/s || len(g.Pix) != (w/s)*(h/s) {
			t.Fatalf("1/%d: plane %v stride %d of %d bytes for a %dx%d header", s, g.Rect, g.Stride, len(g.Pix), w, h)
		}
		again, err := Decode(data, s, limit)
		if err != nil || !bytes.Equal(again.Pix, g.Pix) {
			t.Fatalf("1/%d: decoded otherwise the second time (%v)", s, err)
		}
	}
}

// FuzzJPEGLuma: agree's properties on any input, from Go's and cjpeg's
// files (testdata/fuzz/FuzzJPEGLuma holds more).
func FuzzJPEGLuma(f *testing.F) {
	img := testPhoto(48, 40, 5)
	f.Add(encodeGo(f, img, 75))
	f.Add(encodeGo(f, image.NewGray(image.Rect(0, 0, 9, 17)), 50))
	g := image.NewGray(image.Rect(0, 0, 24, 16))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 37)
	}
	f.Add(encodeGo(f, g, 100))
	small := testPhoto(16, 16, 1)
	f.Add(encodeGo(f, small, 10))
	f.Add(cjpeg(f, small, false, "-progressive", "-restart", "1"))
	f.Add(cjpeg(f, small, false, "-arithmetic"))
	f.Fuzz(func(t *testing.T, data []byte) {
		agree(t, data)
	})
}

// TestBounds: the pixel limit holds before allocation; a bad scale is an error.
func TestBounds(t *testing.T) {
	data := encodeGo(t, testPhoto(64, 48, 1), 80)
	if _, err := Decode(data, 1, 64*48-1); err == nil || errors.Is(err, ErrUnsupported) {
		t.Errorf("over the pixel limit: %v", err)
	}
	if _, err := Decode(data, 1, 64*48); err != nil {
		t.Errorf("at the pixel limit: %v", err)
	}
	if _, err := Decode(data, 3, 1<<20); err == nil {
		t.Errorf("scale 3 accepted")
	}
	// A header claiming 65535x65535 with no data: refused by the limit, no allocation.
	huge := bytes.Clone(data)
	i := bytes.Index(huge, []byte{0xff, 0xc0})
	copy(huge[i+5:], []byte{0xff, 0xff, 0xff, 0xff})
	if _, err := Decode(huge, 1, 12_000_000); err == nil {
		t.Errorf("65535x65535 accepted")
	}
}

// TestLibjpegOnlyLayouts: layouts image/jpeg refuses and libjpeg reads
// (luma sampled three times across; the two chroma planes sampled
// differently; luma sampled less than its chroma) read as djpeg shows
// them; sequential JPEGs with a scan per component read like image/jpeg
// does.
func TestLibjpegOnlyLayouts(t *testing.T) {
	img := testPhoto(203, 131, 11)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"sample-3x1", []string{"-quality", "85", "-sample", "3x1"}},
		{"sample-3x2-restart", []string{"-quality", "85", "-sample", "3x2", "-restart", "5B"}},
		{"sample-2x2,1x1,2x1", []string{"-quality", "85", "-sample", "2x2,1x1,2x1"}},
		{"sample-1x1,2x2,2x2", []string{"-quality", "85", "-sample", "1x1,2x2,2x2"}},
	} {
		data := cjpeg(t, img, false, c.args...)
		if _, err := jpeg.Decode(bytes.NewReader(data)); err == nil {
			t.Errorf("%s: image/jpeg reads it now: compare with it too", c.name)
		}
		likeLibjpeg(t, c.name, data, 1, 2, 4, 8)
	}
	scans := filepath.Join(t.TempDir(), "scans")
	if err := os.WriteFile(scans, []byte("0;\n1;\n2;\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	checkAgainstGo(t, "scan-per-component-444", cjpeg(t, img, false, "-scans", scans, "-sample", "1x1"))
	checkAgainstGo(t, "scan-per-component-420", cjpeg(t, img, false, "-scans", scans))
	checkAgainstGo(t, "scan-per-component-444-restart", cjpeg(t, img, false, "-scans", scans, "-sample", "1x1", "-restart", "3B"))
	// Restarts in a scan of subsampled luma alone: image/jpeg fails on it
	// (it counts the intervals by interleaved MCUs), libjpeg reads it.
	data := cjpeg(t, img, false, "-scans", scans, "-restart", "3B")
	if _, err := jpeg.Decode(bytes.NewReader(data)); err == nil {
		t.Errorf("image/jpeg reads restarts in a scan of subsampled luma now: compare with it")
	}
	likeLibjpeg(t, "restarts in a scan of subsampled luma", data, 1, 2)
}

// TestColourSpaceLikeLibjpeg: three planes are RGB or YCbCr as libjpeg
// (what mail clients show) decides, not as image/jpeg does: an APP0 "JFIF"
// segment shorter than the JFIF header is no JFIF marker to libjpeg, so an
// Adobe marker saying RGB holds (the grey of red, green and blue); an Adobe
// marker saying YCbCr holds over components named R, G and B (luma).
func TestColourSpaceLikeLibjpeg(t *testing.T) {
	img := testPhoto(64, 48, 3)
	rgb := cjpeg(t, img, false, "-rgb", "-quality", "90") // Adobe transform 0, components R, G, B
	i := bytes.Index(rgb, []byte("Adobe"))
	if i < 0 || rgb[i+11] != 0 {
		t.Fatalf("cjpeg -rgb wrote no Adobe RGB marker")
	}
	shortJFIF := append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 7, 'J', 'F', 'I', 'F', 0}, rgb[2:]...)
	likeLibjpeg(t, "short JFIF segment and Adobe RGB", shortJFIF, 1, 2)
	ycc := bytes.Clone(rgb)
	ycc[i+11] = 1
	likeLibjpeg(t, "Adobe YCbCr, components R, G, B", ycc, 1, 2)
	a, err1 := Decode(shortJFIF, 1, 1<<26)
	b, err2 := Decode(ycc, 1, 1<<26)
	if err1 != nil || err2 != nil || bytes.Equal(a.Pix, b.Pix) {
		t.Errorf("RGB and YCbCr read alike (%v, %v): the test does not test what it means", err1, err2)
	}
}

// TestDamageLikeLibjpeg: what libjpeg (mail clients, browsers, phones)
// shows of a damaged or unusual file, this reads the same: a truncated
// file (the rest grey), no EOI, markers libjpeg passes over (TEM, DAC,
// DNL), components sharing an identifier, 0xff fill before a stuffed zero,
// another scan or an unknown marker after the picture, and random damage in
// the entropy-coded data of a file with restarts (bad codes, markers too
// early, restarts lost or out of order), resynchronised as libjpeg does.
// image/jpeg fails on all of these, so an error here was a code unsearched.
func TestDamageLikeLibjpeg(t *testing.T) {
	base := cjpeg(t, testPhoto(96, 64, 9), false, "-quality", "80")
	sos := bytes.Index(base, []byte{0xff, 0xda})
	sof := bytes.Index(base, []byte{0xff, 0xc0})
	end := len(base) - 2
	dup := bytes.Clone(base)
	dup[sof+2+2+6+3] = dup[sof+2+2+6]
	dup[sos+2+2+1+2] = dup[sos+2+2+1]
	at := func(i int, ins ...byte) []byte {
		return append(append(bytes.Clone(base[:i]), ins...), base[i:]...)
	}
	stuffed := bytes.Index(base[sos+14:], []byte{0xff, 0})
	if stuffed < 0 {
		t.Fatal("no stuffed byte in the scan")
	}
	cases := map[string][]byte{
		"truncated-half":    base[:sos+(end-sos)/2],
		"truncated-quarter": base[:sos+(end-sos)/4],
		"no-eoi":            base[:end],
		"tem":               at(2, 0xff, 0x01),
		"dac":               at(2, 0xff, 0xcc, 0, 4, 0, 0x10),
		"dnl-after":         at(end, 0xff, 0xdc, 0, 4, 0, 64),
		"jpg0-after":        at(end, 0xff, 0xf0, 0, 4, 0, 0),
		"scan-after":        at(end, base[sos:end]...),
		"duplicate-ids":     dup,
		"fill-before-zero":  at(sos+14+stuffed+1, 0xff, 0xff),
	}
	bin := tool(t, "djpeg", "libjpeg-turbo-progs")
	for name, data := range cases {
		if !libjpegShown(bin, data, 1).ok {
			t.Fatalf("%s: djpeg shows no picture", name)
		}
		likeLibjpeg(t, name, data, 1, 2, 4, 8)
	}
	data := cjpeg(t, testPhoto(96, 64, 9), false, "-quality", "80", "-restart", "1")
	sos = bytes.Index(data, []byte{0xff, 0xda}) + 14
	r := rand.New(rand.NewPCG(1, 2))
	shown := 0
	for i := 0; i < 300; i++ {
		b := bytes.Clone(data)
		for k := 0; k <= r.IntN(3); k++ {
			b[sos+r.IntN(len(b)-sos)] = byte(r.IntN(256))
		}
		if !libjpegShown(bin, b, 1).ok {
			continue
		}
		shown++
		likeLibjpeg(t, fmt.Sprintf("damage %d", i), b, 1, 4)
	}
	if shown < 200 {
		t.Errorf("djpeg showed only %d of 300 damaged files", shown)
	}
}

// dqt16 rewrites data's 8-bit DQT of table 0 as a 16-bit one whose zig-zag
// entry zz is q.
func dqt16(t *testing.T, data []byte, zz int, q int) []byte {
	i := bytes.Index(data, []byte{0xff, 0xdb, 0, 67, 0})
	if i < 0 {
		t.Fatal("no 8-bit DQT of table 0")
	}
	seg := []byte{0xff, 0xdb, 0, 2 + 1 + 128, 0x10}
	for k := 0; k < 64; k++ {
		v := int(data[i+5+k])
		if k == zz {
			v = q
		}
		seg = append(seg, byte(v>>8), byte(v))
	}
	return append(append(bytes.Clone(data[:i]), seg...), data[i+2+67:]...)
}

// TestWildCoefficients: a quantizer far beyond an encoder's makes a few
// blocks' coefficients larger than a baseline encoder writes; libjpeg shows
// those blocks striped and the rest of the picture as it is, and so does
// this (with a DAC segment image/jpeg refuses).
func TestWildCoefficients(t *testing.T) {
	data := dqt16(t, cjpeg(t, testPhoto(96, 64, 9), false, "-quality", "95"), 63, 5000)
	data = append([]byte{0xff, 0xd8, 0xff, 0xcc, 0, 4, 0, 0x10}, data[2:]...)
	if _, err := jpeg.Decode(bytes.NewReader(data)); err == nil {
		t.Fatal("image/jpeg reads the DAC segment now")
	}
	likeLibjpeg(t, "wild coefficients", data, 1, 2, 4, 8)
}

// TestDecodeByDeadline: a decode whose deadline has passed stops with
// ErrDeadline (the caller's time for a message is spent); without one, or
// with one ahead, it decodes.
func TestDecodeByDeadline(t *testing.T) {
	data := encodeGo(t, testPhoto(64, 48, 1), 80)
	if _, err := DecodeBy(data, 1, 1<<20, time.Now().Add(-time.Second)); !errors.Is(err, ErrDeadline) {
		t.Errorf("deadline passed: %v, want ErrDeadline", err)
	}
	for _, d := range []time.Time{{}, time.Now().Add(time.Hour)} {
		if g, err := DecodeBy(data, 1, 1<<20, d); err != nil || g == nil {
			t.Errorf("deadline %v: %v", d, err)
		}
	}
}
