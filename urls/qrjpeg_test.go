package urls

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/benchcorpus"
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls/internal/jpegluma"
)

// photoYCbCr is a w×h 4:2:0 colour photograph-like picture (shading, noise,
// coloured chroma) with code drawn at (x0, y0) when it is not nil.
func photoYCbCr(w, h int, code *image.Gray, x0, y0 int) *image.YCbCr {
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 60 + 120*y/h + 40*x/w + r.IntN(20)
			if code != nil && x >= x0 && y >= y0 && x < x0+code.Rect.Dx() && y < y0+code.Rect.Dy() {
				v = int(code.Pix[(y-y0)*code.Stride+x-x0])
			}
			img.Y[y*img.YStride+x] = uint8(min(v, 255))
		}
	}
	for i := range img.Cb {
		img.Cb[i] = uint8(100 + i%37)
		img.Cr[i] = uint8(150 - i%29)
	}
	return img
}

// TestDecodeGrayWholeScale: where jpegluma decodes at the search's very
// scale (k = s), its plane is handed over as it is, the image shrinkPlane
// made of it before, pixel for pixel; at other scales it is shrunk.
func TestDecodeGrayWholeScale(t *testing.T) {
	for _, c := range []struct{ w, h, s int }{{1200, 900, 1}, {333, 201, 1}, {2001, 1501, 2}, {2400, 1801, 2}, {3700, 2800, 2}} {
		data := encodeJPEG(t, photoYCbCr(c.w, c.h, formats.QRImage(qrLure, c.w/5), c.w/3, c.h/4), 85)
		k := workScale(c.w, c.h)
		got, s, _ := decodeGray(data, "jpeg", c.w, c.h, time.Time{})
		y, err := jpegluma.Decode(data, c.s, MaxCodeJPEGPixels)
		if err != nil || got == nil || s != c.s {
			t.Fatalf("%dx%d: decoded at 1/%d (%v, %v), want 1/%d", c.w, c.h, s, got != nil, err, c.s)
		}
		var want *image.Gray
		if k%s == 0 {
			want = shrinkPlane(plane{y.Pix, y.Stride}, y.Rect.Dx(), y.Rect.Dy(), k/s)
		} else {
			want = shrinkArea(y, c.w/k, c.h/k, k, s)
		}
		if got.Rect != want.Rect || got.Stride != want.Stride || !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("%dx%d (k %d, s %d): plane %v stride %d, want %v stride %d, same pixels %v",
				c.w, c.h, k, s, got.Rect, got.Stride, want.Rect, want.Stride, bytes.Equal(got.Pix, want.Pix))
		}
	}
}

// TestDecodeGrayJPEG: a JPEG read through jpegluma gives the search the
// plane toGray gives from image/jpeg's decode: the same size, the same
// pixels within the inverse DCT's rounding and the scaled decode's
// clipping, at each of today's scales (k = 1, 2, 3); and the decode scale
// is the largest that keeps that resolution.
func TestDecodeGrayJPEG(t *testing.T) {
	for _, c := range []struct {
		w, h, k, s int
	}{
		{1200, 900, 1, 1},
		{2001, 1501, 2, 2},
		{3700, 2800, 3, 2},
		{333, 200, 1, 1},
	} {
		data := encodeJPEG(t, photoYCbCr(c.w, c.h, formats.QRImage(qrLure, c.w/5), c.w/3, c.h/4), 85)
		if k := workScale(c.w, c.h); k != c.k {
			t.Fatalf("%dx%d: k = %d, want %d", c.w, c.h, k, c.k)
		}
		got, s, _ := decodeGray(data, "jpeg", c.w, c.h, time.Time{})
		if got == nil || s != c.s {
			t.Fatalf("%dx%d: decoded at 1/%d (%v), want 1/%d through jpegluma", c.w, c.h, s, got != nil, c.s)
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		want := toGray(img)
		if got.Rect != want.Rect {
			t.Fatalf("%dx%d: plane %v, toGray's %v", c.w, c.h, got.Rect, want.Rect)
		}
		maxd, total := 0, 0
		for y := 0; y < want.Rect.Dy(); y++ {
			for x := 0; x < want.Rect.Dx(); x++ {
				d := int(got.Pix[y*got.Stride+x]) - int(want.Pix[y*want.Stride+x])
				d = max(d, -d)
				maxd = max(maxd, d)
				total += d
			}
		}
		mean := float64(total) / float64(want.Rect.Dx()*want.Rect.Dy())
		// Reduced, the code's black and white edges ring past 0 and 255,
		// which image/jpeg clips before toGray's mean and jpegluma after its
		// own. k = 3 from the half-scale plane: the border pixels of each
		// 1.5×1.5 window are taken as their 2×2 mean, not their own halves.
		tolMax, tolMean := 4, 0.6
		switch {
		case c.k%c.s != 0:
			tolMax, tolMean = 40, 1.5
		case c.s > 1:
			tolMax = 12
		}
		t.Logf("%dx%d (k=%d, 1/%d): up to %d, %.2f on average", c.w, c.h, c.k, c.s, maxd, mean)
		if maxd > tolMax || mean > tolMean {
			t.Errorf("%dx%d (k=%d, 1/%d): differs from toGray by up to %d, %.2f on average (tolerance %d, %.1f)", c.w, c.h, c.k, c.s, maxd, mean, tolMax, tolMean)
		}
	}
}

// TestDecodeGrayFallback: a JPEG stored as RGB (said by an Adobe marker)
// is read by libjpeg into grey, as image/jpeg reads it and toGray greys it
// (within their rounding and upsampling); a truncated one is libjpeg's top
// of the picture.
func TestDecodeGrayFallback(t *testing.T) {
	data := encodeJPEG(t, photoYCbCr(64, 48, nil, 0, 0), 90)
	adobe := []byte{0xff, 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0} // transform 0: RGB
	rgb := append(append(bytes.Clone(data[:2]), adobe...), data[2:]...)
	img, err := jpeg.Decode(bytes.NewReader(rgb))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := img.(*image.YCbCr); ok {
		t.Fatalf("image/jpeg reads the Adobe RGB JPEG as YCbCr")
	}
	g, s, _ := decodeGray(rgb, "jpeg", 64, 48, time.Time{})
	want := toGray(img)
	if g == nil || s != 1 || g.Rect != want.Rect {
		t.Fatalf("RGB JPEG: decoded at 1/%d, want libjpeg's grey", s)
	}
	// The green and blue planes are subsampled: libjpeg upsamples them
	// smoothly (fancy upsampling), image/jpeg by repeating pixels.
	maxd, total := 0, 0
	for i := range want.Pix {
		d := int(g.Pix[i]) - int(want.Pix[i])
		maxd, total = max(maxd, d, -d), total+max(d, -d)
	}
	if mean := float64(total) / float64(len(want.Pix)); maxd > 16 || mean > 1.5 {
		t.Errorf("RGB JPEG: differs from image/jpeg's grey by up to %d, %.2f on average", maxd, mean)
	}
	if g, s, _ := decodeGray(data[:len(data)/2], "jpeg", 64, 48, time.Time{}); g == nil || s != 1 {
		t.Errorf("truncated JPEG: no plane from jpegluma (1/%d); libjpeg shows its top", s)
	}
}

// TestCodeURLsLargePhotoJPEG: a QR code a tenth of the width of a
// 12-megapixel JPEG photograph (quality 85) is found, through jpegluma.
func TestCodeURLsLargePhotoJPEG(t *testing.T) {
	longCodeTime(t)
	w, h := 4000, 3000
	data := encodeJPEG(t, photoYCbCr(w, h, formats.QRImage(qrLure, w/10), 2100, 1700), 85)
	if _, s, _ := decodeGray(data, "jpeg", w, h, time.Time{}); s != 2 {
		t.Fatalf("decoded at 1/%d, want 1/2 through jpegluma", s)
	}
	hs, c := codeHosts(&message.Part{Path: "2", Content: data})
	if len(hs) != 1 || hs[0] != "login.rnicrosoft.com/qr" {
		t.Errorf("found %v (%+v)", hs, c)
	}
}

// TestPDFJPEGOwnSize: a PDF image whose dictionary says it is small but
// whose JPEG header says 30000x30000 is not decoded (image/jpeg would
// allocate what the header says), and the report says why.
func TestPDFJPEGOwnSize(t *testing.T) {
	data := encodeJPEG(t, formats.QRImage(qrLure, 200), 60)
	i := bytes.Index(data, []byte{0xff, 0xc0})
	copy(data[i+5:], []byte{30000 >> 8, 30000 & 0xff, 30000 >> 8, 30000 & 0xff})
	doc := pdfImageDoc("/Type /XObject /Subtype /Image /Width 200 /Height 200 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", data, "")
	c := CodeURLs(&message.Part{Path: "2", DetectedType: "application/pdf", Content: []byte(doc)}, NewCodeBudget())
	if len(c.Skipped) != 1 || !strings.Contains(c.Skipped[0], "30000x30000") {
		t.Errorf("skipped %q, want the JPEG's own size noted", c.Skipped)
	}
}

// BenchmarkCodePhotos is the decoding of the mixed set's photographs as
// the search reads them: image/jpeg and toGray, against jpegluma, to the
// same plane. Reads the set bench/corpusgen writes:
//
//	go run ./bench/corpusgen -out /tmp/kensa-corpus -rules 10
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench CodePhotos ./urls
func BenchmarkCodePhotos(b *testing.B) {
	photos := mixedPhotos(b)
	for _, p := range photos {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(p))
		if err != nil {
			b.Fatal(err)
		}
		img, err := safeDecode(p)
		if err != nil {
			b.Fatal(err)
		}
		g, s, _ := decodeGray(p, "jpeg", cfg.Width, cfg.Height, time.Time{})
		if s == 0 || g.Rect != toGray(img).Rect {
			b.Fatalf("jpegluma did not read a photo the size toGray gives (1/%d)", s)
		}
	}
	run := func(b *testing.B, decode func(p []byte) *image.Gray) {
		b.ReportAllocs()
		cpu0, n := cputime.Process(), 0
		for b.Loop() {
			for _, p := range photos {
				decode(p)
				n++
			}
		}
		cputime.Report(b, cpu0, n, "photo")
	}
	b.Run("image-jpeg", func(b *testing.B) {
		run(b, func(p []byte) *image.Gray {
			img, _ := safeDecode(p)
			return toGray(img)
		})
	})
	b.Run("jpegluma", func(b *testing.B) {
		run(b, func(p []byte) *image.Gray {
			cfg, _ := jpeg.DecodeConfig(bytes.NewReader(p))
			g, _, _ := decodeGray(p, "jpeg", cfg.Width, cfg.Height, time.Time{})
			return g
		})
	})
}

// mixedPhotos are the JPEG parts of the mixed set bench/corpusgen writes.
func mixedPhotos(b *testing.B) (photos [][]byte) {
	files, raws := benchcorpus.Read(b, "mixed/*.eml")
	for i, raw := range raws {
		m, err := message.Parse(raw)
		if err != nil {
			b.Fatalf("%s: %v", files[i], err)
		}
		for _, p := range m.Parts {
			if len(p.Content) > 2 && p.Content[0] == 0xff && p.Content[1] == 0xd8 {
				photos = append(photos, p.Content)
			}
		}
	}
	if len(photos) == 0 {
		b.Fatal("no JPEG in the mixed set")
	}
	return photos
}

// BenchmarkDecodeGrayProgressive: the search's plane of a progressive
// photograph-sized JPEG (cjpeg -progressive, 4:2:0, 2048×1536: decoded at
// 1/1, and at 4096×3072: 1/2), as image/jpeg and toGray made it before and
// as jpegluma makes it now.
func BenchmarkDecodeGrayProgressive(b *testing.B) {
	for _, size := range [][2]int{{2048, 1536}, {4096, 3072}} {
		w, h := size[0], size[1]
		data, _ := progressiveJPEG(b, photoYCbCr(w, h, formats.QRImage(qrLure, w/5), w/3, h/4))
		b.Run(fmt.Sprintf("%dx%d/image-jpeg", w, h), func(b *testing.B) {
			cputime.Each(b, 1, "op", func() {
				img, err := safeDecode(data)
				if err != nil {
					b.Fatal(err)
				}
				toGray(img)
			})
		})
		b.Run(fmt.Sprintf("%dx%d/jpegluma", w, h), func(b *testing.B) {
			cputime.Each(b, 1, "op", func() {
				if g, s, _ := decodeGray(data, "jpeg", w, h, time.Time{}); g == nil || s == 0 {
					b.Fatal("jpegluma did not read it")
				}
			})
		})
	}
}

// TestCodeURLsBeyondTwelveMegapixels: a phone's 12-megapixel photo
// (4032×3024, just over 12,000,000 pixels), a 54-megapixel camera JPEG and
// a 17-megapixel progressive one with a QR code are searched (jpegluma
// decodes them at 1/2 and 1/4; image/jpeg alone read progressive files, so
// that one was too large to decode); a JPEG jpegluma refuses (a progressive
// frame whose scan has a sequential scan's parameters, which libjpeg
// refuses too) is too large to decode whole past MaxCodePixels, and one
// past MaxCodeJPEGPixels is not decoded at all: both are noted with their
// size, never silently passed.
func TestCodeURLsBeyondTwelveMegapixels(t *testing.T) {
	longCodeTime(t)
	for _, c := range []struct {
		w, h, s    int
		gray, prog bool
	}{
		{4032, 3024, 2, false, false},
		{6400, 4800, 4, true, false},
		{4200, 3100, 2, true, true},
	} {
		code := formats.QRImage(qrLure, c.w/8)
		var img image.Image
		if c.gray {
			g := image.NewGray(image.Rect(0, 0, c.w, c.h))
			for i := range g.Pix {
				g.Pix[i] = uint8(90 + i%7*9)
			}
			for y := 0; y < code.Rect.Dy(); y++ {
				copy(g.Pix[(y+c.h/3)*g.Stride+c.w/2:], code.Pix[y*code.Stride:(y+1)*code.Stride])
			}
			img = g
		} else {
			img = photoYCbCr(c.w, c.h, code, c.w/2, c.h/3)
		}
		data := encodeJPEG(t, img, 80)
		if c.prog {
			data, _ = progressiveJPEG(t, img)
		}
		if why := overPixels("jpeg", c.w, c.h); why != "" {
			t.Fatalf("%dx%d: %s", c.w, c.h, why)
		}
		g, s, why := decodeGray(data, "jpeg", c.w, c.h, time.Time{})
		if s != c.s || why != "" {
			t.Fatalf("%dx%d: decoded at 1/%d (%q), want 1/%d through jpegluma", c.w, c.h, s, why, c.s)
		}
		// The search with time to spare: under -race on a busy machine the
		// message's budget would cut it short (and say so).
		texts, _ := appendCodes(nil, g, &CodeBudget{images: 1, deadline: time.Now().Add(time.Hour)})
		if len(texts) != 1 || texts[0] != qrLure {
			t.Errorf("%dx%d: read %q", c.w, c.h, texts)
		}
	}
	// The headers of a small JPEG made to say other sizes and kinds: the
	// bounds act on the header before anything is decoded.
	small := encodeJPEG(t, formats.QRImage(qrLure, 200), 60)
	sized := func(sof byte, w, h int) []byte {
		b := bytes.Clone(small)
		i := bytes.Index(b, []byte{0xff, 0xc0})
		b[i+1] = sof
		copy(b[i+5:], []byte{byte(h >> 8), byte(h), byte(w >> 8), byte(w)})
		return b
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"progressive frame, sequential scan, 5000x4000", sized(0xc2, 5000, 4000), "jpeg image of 5000x4000 pixels not searched for codes: over 12 megapixels (a JPEG libjpeg does not read, too large to decode whole)"},
		{"baseline 12000x9000", sized(0xc0, 12000, 9000), "jpeg image of 12000x9000 pixels not searched for codes: over 100 megapixels"},
	} {
		got := CodeURLs(&message.Part{Path: "2", Content: c.data}, NewCodeBudget())
		if len(got.Skipped) != 1 || got.Skipped[0] != c.want {
			t.Errorf("%s: skipped %q, want %q", c.name, got.Skipped, c.want)
		}
	}
	// A progressive JPEG whose coefficients libjpeg would keep for the whole
	// picture past jpegluma's memory bound: noted, not decoded.
	prog, _ := progressiveJPEG(t, formats.QRImage(qrLure, 200))
	i := bytes.Index(prog, []byte{0xff, 0xc2})
	copy(prog[i+5:], []byte{9000 >> 8, 9000 & 0xff, 10000 >> 8, 10000 & 0xff})
	got := CodeURLs(&message.Part{Path: "2", Content: prog}, NewCodeBudget())
	if want := "jpeg image of 10000x9000 pixels not searched for codes: a progressive or multi-scan JPEG needing over 168 MB to decode"; len(got.Skipped) != 1 || got.Skipped[0] != want {
		t.Errorf("progressive 10000x9000: skipped %q, want %q", got.Skipped, want)
	}
	// In a PDF, the JPEG's own header is judged by the same bounds.
	doc := pdfImageDoc("/Type /XObject /Subtype /Image /Width 200 /Height 200 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", sized(0xc2, 5000, 4000), "")
	got = CodeURLs(&message.Part{Path: "2", DetectedType: "application/pdf", Content: []byte(doc)}, NewCodeBudget())
	if len(got.Skipped) != 1 || !strings.Contains(got.Skipped[0], "5000x4000 pixels not searched for codes: over 12 megapixels (a JPEG libjpeg does not read") {
		t.Errorf("PDF progressive JPEG: skipped %q", got.Skipped)
	}
}

// TestCodeSearchCutShortIsNoted: an image whose search the message's time
// for reading codes cut short is noted, not passed as searched.
func TestCodeSearchCutShortIsNoted(t *testing.T) {
	var c Codes
	c.search(formats.QRImage(qrLure, 200), &CodeBudget{images: 1, deadline: time.Now().Add(-time.Hour)}, "png image")
	if len(c.Texts) != 0 || len(c.Skipped) != 1 || c.Skipped[0] != "png image not fully searched for codes: its share of the message's 3s for reading codes was spent" {
		t.Errorf("%+v", c)
	}
}

// FuzzDecodeGray: any bytes taken for a JPEG, as the search decodes them
// (libjpeg through jpegluma, image/jpeg for what it leaves): never a panic;
// a plane of toGray's size for the header's width and height, or none.
func FuzzDecodeGray(f *testing.F) {
	f.Add(encodeJPEG(f, photoYCbCr(64, 48, nil, 0, 0), 80))
	f.Add(encodeJPEG(f, formats.QRImage(qrLure, 120), 60))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, format, err := imageConfig(data)
		if err != nil || format != "jpeg" || cfg.Width*cfg.Height > 1<<20 {
			return
		}
		g, _, _ := decodeGray(data, "jpeg", cfg.Width, cfg.Height, time.Now().Add(time.Minute))
		if g == nil {
			return
		}
		k := workScale(cfg.Width, cfg.Height)
		if g.Rect != image.Rect(0, 0, cfg.Width/k, cfg.Height/k) || len(g.Pix) < g.Stride*(g.Rect.Dy()-1)+g.Rect.Dx() {
			t.Fatalf("plane %v stride %d of %d bytes for a %dx%d header", g.Rect, g.Stride, len(g.Pix), cfg.Width, cfg.Height)
		}
	})
}
