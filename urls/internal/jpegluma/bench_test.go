package jpegluma

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/kensa-milter/kensa/internal/benchcorpus"
	"github.com/kensa-milter/kensa/internal/cputime"
)

// benchFile is a JPEG the benchmarks decode, made once per process.
type benchFile struct {
	name   string
	scales []int
	make   func(testing.TB) []byte
	once   sync.Once
	data   []byte
}

func (f *benchFile) get(b *testing.B) []byte {
	f.once.Do(func() { f.data = f.make(b) })
	return f.data
}

// benchFiles: a photograph-sized JPEG at every scale, sequential (Go's
// encoder) and progressive (cjpeg); a phone's 12-megapixel
// photo at the scales the code search reads it (1/2 up to 22.5 megapixels,
// 1/4 beyond); a 2-megapixel document scan at full scale. All 4:2:0;
// testPhoto's sensor noise makes the coefficients dense, as a phone's
// photo of a dim room has them.
var benchFiles = []*benchFile{
	{name: "photo-3mp-q85", scales: []int{1, 2, 4, 8}, make: func(t testing.TB) []byte { return encodeGo(t, testPhoto(2048, 1536, 1), 85) }},
	{name: "progressive-3mp-q85", scales: []int{1, 2, 4, 8}, make: func(t testing.TB) []byte {
		return cjpeg(t, testPhoto(2048, 1536, 1), false, "-progressive", "-quality", "85")
	}},
	{name: "photo-12mp-q90", scales: []int{2, 4}, make: func(t testing.TB) []byte { return encodeGo(t, testPhoto(4032, 3024, 2), 90) }},
	{name: "photo-12mp-q75", scales: []int{2, 4}, make: func(t testing.TB) []byte { return encodeGo(t, testPhoto(4032, 3024, 2), 75) }},
	{name: "scan-2mp-q90", scales: []int{1}, make: func(t testing.TB) []byte { return encodeGo(t, testScan(1700, 1200, 3), 90) }},
	{name: "scan-2mp-q75", scales: []int{1}, make: func(t testing.TB) []byte { return encodeGo(t, testScan(1700, 1200, 3), 75) }},
}

// testScan is a scanned page: paper white with a little noise, lines of
// dark glyph-like strokes, margins.
func testScan(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 9))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		line, in := y%40, y/40
		for x := 0; x < w; x++ {
			v := 236 + r.IntN(7)
			if x > w/10 && x < w*9/10 && y > h/12 && y < h*11/12 && line > 8 && line < 30 {
				glyph := (x/14)*7 + in
				if glyph%9 != 0 && (x*3+y*(glyph%5+1))%(11+glyph%7) < 4 {
					v = 30 + r.IntN(30)
				}
			}
			img.SetRGBA(x, y, color.RGBA{uint8(v), uint8(v - 2), uint8(v - 6), 255})
		}
	}
	return img
}

// BenchmarkDecode: the luma plane of each benchFile at its scales, and
// image/jpeg's whole decode of the first two (what read them before
// jpegluma). Compare with benchstat -col /decoder.
func BenchmarkDecode(b *testing.B) {
	for _, f := range benchFiles[:2] {
		b.Run("case="+f.name+"/decoder=image-jpeg", func(b *testing.B) { benchImageJPEG(b, f.get(b)) })
	}
	for _, f := range benchFiles {
		for _, s := range f.scales {
			b.Run(fmt.Sprintf("case=%s/scale=1-%d/decoder=jpegluma", f.name, s), func(b *testing.B) { benchLuma(b, f.get(b), s) })
		}
	}
}

// sequentialScansFile is a photograph-sized sequential JPEG whose
// components are in scans of their own (cjpeg -scans), which went to
// image/jpeg before jpegluma read files of several scans.
var sequentialScansFile = &benchFile{name: "apart-3mp-q85", make: func(t testing.TB) []byte {
	p := t.TempDir() + "/scans"
	if err := os.WriteFile(p, []byte("0;\n1;\n2;\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return cjpeg(t, testPhoto(2048, 1536, 1), false, "-scans", p, "-quality", "85")
}}

// benchLuma is Decode of data at 1/s.
func benchLuma(b *testing.B, data []byte, s int) {
	b.SetBytes(int64(len(data)))
	cputime.Each(b, 1, "op", func() {
		if _, err := Decode(data, s, 1<<24); err != nil {
			b.Fatal(err)
		}
	})
}

// benchImageJPEG is image/jpeg's whole decode of data, the baseline the
// benchmarks compare jpegluma with.
func benchImageJPEG(b *testing.B, data []byte) {
	cputime.Each(b, 1, "op", func() {
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkSequentialScans: sequentialScansFile's luma plane at each scale
// (decoder=jpegluma), and image/jpeg's whole decode of it, what read it before.
func BenchmarkSequentialScans(b *testing.B) {
	b.Run("case="+sequentialScansFile.name+"/decoder=image-jpeg", func(b *testing.B) { benchImageJPEG(b, sequentialScansFile.get(b)) })
	for _, s := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("case=%s/scale=1-%d/decoder=jpegluma", sequentialScansFile.name, s), func(b *testing.B) { benchLuma(b, sequentialScansFile.get(b), s) })
	}
}

// BenchmarkCorpusPhotos: the JPEG attachments of the bench corpus's mixed
// set (phones' photographs, as bench/corpusgen makes them), each at the
// scale the code search reads it (urls.decodeGray: the largest power of two
// up to the factor that brings it to about 2.5 megapixels).
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench CorpusPhotos ./urls/internal/jpegluma
func BenchmarkCorpusPhotos(b *testing.B) {
	names, raws := benchcorpus.Read(b, "mixed/*.eml")
	type photo struct {
		data  []byte
		scale int
	}
	var photos []photo
	size := 0
	for i, raw := range raws {
		jpegs, err := mailJPEGs(raw)
		if err != nil {
			b.Fatalf("%s: %v", names[i], err)
		}
		for _, data := range jpegs {
			w, h, err := Config(data)
			if err != nil {
				b.Fatalf("%s: %v", names[i], err)
			}
			k := 1
			for (w/k)*(h/k) > 2_500_000 {
				k++
			}
			s := 1
			for s*2 <= min(k, 8) {
				s *= 2
			}
			photos = append(photos, photo{data, s})
			size += len(data)
		}
	}
	if len(photos) == 0 {
		b.Fatal("no JPEG in the mixed set")
	}
	b.SetBytes(int64(size))
	cputime.Each(b, 1, "set", func() {
		for _, p := range photos {
			if _, err := Decode(p.data, p.scale, 1<<26); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// mailJPEGs is the base64 image/jpeg parts of a MIME message, at any depth
// of multiparts.
func mailJPEGs(raw []byte) ([][]byte, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	return partJPEGs(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
}

func partJPEGs(ctype, cte string, body io.Reader) ([][]byte, error) {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return nil, nil // text/plain by default
	}
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		var out [][]byte
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return out, nil
			}
			if err != nil {
				return nil, err
			}
			j, err := partJPEGs(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			if err != nil {
				return nil, err
			}
			out = append(out, j...)
		}
	case mt == "image/jpeg" && strings.EqualFold(cte, "base64"):
		data, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, newlineFree{body}))
		return [][]byte{data}, err
	}
	return nil, nil
}

// newlineFree drops the line breaks of a base64 body.
type newlineFree struct{ r io.Reader }

func (n newlineFree) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	j := 0
	for _, c := range p[:k] {
		if c != '\r' && c != '\n' {
			p[j] = c
			j++
		}
	}
	return j, err
}
