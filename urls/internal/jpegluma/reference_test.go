package jpegluma

import (
	"bytes"
	"fmt"
	"image"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// sameAsReference decodes data at every scale with this decoder and with
// the reference (ref_test.go, the decoder before its speed work): the same
// error, the same plane byte for byte, the same findings on the way (wild
// blocks, streams image/jpeg reads otherwise), the same size from Config.
func sameAsReference(t testing.TB, name string, data []byte) {
	t.Helper()
	const limit = 1 << 22
	for _, s := range []int{1, 2, 4, 8} {
		g, d, err := decode(data, s, limit)
		rg, rd, rerr := refDecodeD(data, s, limit)
		if fmt.Sprint(err) != fmt.Sprint(rerr) {
			t.Fatalf("%s at 1/%d: err %v, reference %v", name, s, err, rerr)
		}
		if (g == nil) != (rg == nil) {
			t.Fatalf("%s at 1/%d: plane %v, reference %v", name, s, g != nil, rg != nil)
		}
		if g != nil && (g.Rect != rg.Rect || g.Stride != rg.Stride || !bytes.Equal(g.Pix, rg.Pix)) {
			t.Fatalf("%s at 1/%d: plane %v differs from the reference's %v%s", name, s, g.Rect, rg.Rect, firstDiff(g, rg))
		}
		// At 1/8 a progressive file's AC scans are not decoded (a block is
		// its DC term), so what they would have found is not known.
		acSkipped := d != nil && d.progressive && s == 8
		if d != nil && !acSkipped && (d.wild != rd.wild || d.goDiffers != rd.goDiffers || d.goMiscounts != rd.goMiscounts) {
			t.Fatalf("%s at 1/%d: wild %v goDiffers %v goMiscounts %v, reference %v %v %v", name, s,
				d.wild, d.goDiffers, d.goMiscounts, rd.wild, rd.goDiffers, rd.goMiscounts)
		}
	}
	w, h, err := Config(data)
	rw, rh, rerr := refConfig(data)
	if w != rw || h != rh || fmt.Sprint(err) != fmt.Sprint(rerr) {
		t.Fatalf("%s: Config %dx%d %v, reference %dx%d %v", name, w, h, err, rw, rh, rerr)
	}
}

func firstDiff(g, r *image.Gray) string {
	if g.Rect != r.Rect || len(g.Pix) != len(r.Pix) {
		return ""
	}
	for i := range g.Pix {
		if g.Pix[i] != r.Pix[i] {
			return fmt.Sprintf(": first at (%d,%d), %d against %d", i%g.Stride, i/g.Stride, g.Pix[i], r.Pix[i])
		}
	}
	return ""
}

// synthJPEG writes a baseline JPEG of made-up entropy-coded data: every
// symbol a Huffman table can hold, coefficients up to the largest a
// sequential scan can carry (15 bits, DC differences of 16), quantizers up
// to 65535, runs past the block's end, end-of-block symbols with a run,
// long and short codes, restarts, any sampling. No encoder writes such
// files, and each is a path through the decoder the photographs do not
// take.
type synthJPEG struct {
	r       *rand.Rand
	w, h    int
	ncomp   int
	hs, vs  [3]int
	q16     bool
	maxQ    bool // every quantizer 65535 (or 255)
	ri      int
	density int // how many of a hundred AC symbols are not an end of block
	big     int // how many of a hundred coefficients take the largest sizes
	odd     int // how many in a thousand symbols are an end of block with a run
	dcBig   bool
	dcBad   bool // one DC symbol of a size over 16 (an error) somewhere
	fill    bool // 0xff fill bytes before the 0 of stuffed 0xff bytes
	noTable int  // 1 + the table class (DC, AC) of table 1 not defined, or 0
}

type synthTable struct {
	counts [16]int
	vals   []byte
	code   [256]uint32
	length [256]int
}

// newSynthTable gives the n symbols 0..n-1 (in a random order) code lengths
// of 1 to 16, leaving some bit sequences unused (no code) when gap.
func newSynthTable(r *rand.Rand, n int, gap bool) *synthTable {
	lens := make([]int, n)
	for i := range lens {
		lens[i] = 16
	}
	kraft := n // in units of 2^-16
	room := 1 << 16
	if gap {
		room -= 1 << (4 + r.IntN(8))
	}
	for tries := 0; tries < 4*n; tries++ {
		i := r.IntN(n)
		l := 1 + r.IntN(lens[i])
		if k := kraft - 1<<(16-lens[i]) + 1<<(16-l); l < lens[i] && k <= room {
			kraft, lens[i] = k, l
		}
	}
	t := &synthTable{}
	order := r.Perm(n)
	for l := 1; l <= 16; l++ {
		for _, s := range order {
			if lens[s] == l {
				t.counts[l-1]++
				t.vals = append(t.vals, byte(s))
			}
		}
	}
	code := uint32(0)
	k := 0
	for l := 1; l <= 16; l++ {
		for i := 0; i < t.counts[l-1]; i++ {
			s := t.vals[k]
			t.code[s], t.length[s] = code, l
			code++
			k++
		}
		code <<= 1
	}
	return t
}

type bitWriter struct {
	out  []byte
	acc  uint64
	nacc int
	fill *rand.Rand // when set, fill bytes before some stuffed zeros
}

func (w *bitWriter) put(v uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | uint64(v>>i&1)
		w.nacc++
		if w.nacc == 8 {
			w.out = append(w.out, byte(w.acc))
			if byte(w.acc) == 0xff {
				if w.fill != nil && w.fill.IntN(2) == 0 {
					w.out = append(w.out, bytes.Repeat([]byte{0xff}, 1+w.fill.IntN(3))...)
				}
				w.out = append(w.out, 0)
			}
			w.acc, w.nacc = 0, 0
		}
	}
}

func (w *bitWriter) align() {
	for w.nacc != 0 {
		w.put(1, 1)
	}
}

func (s *synthJPEG) bytes() []byte {
	r := s.r
	var b []byte
	seg := func(m byte, body ...byte) {
		b = append(b, 0xff, m, byte((len(body)+2)>>8), byte(len(body)+2))
		b = append(b, body...)
	}
	b = append(b, 0xff, 0xd8)
	for tq := 0; tq < 2; tq++ {
		body := []byte{byte(tq)}
		if s.q16 {
			body[0] |= 0x10
		}
		for i := 0; i < 64; i++ {
			q := 1 + r.IntN(255)
			if s.q16 {
				q = r.IntN(65536)
			}
			if s.maxQ {
				q = 255
				if s.q16 {
					q = 65535
				}
			}
			if s.q16 {
				body = append(body, byte(q>>8))
			}
			body = append(body, byte(q))
		}
		seg(0xdb, body...)
	}
	sof := []byte{8, byte(s.h >> 8), byte(s.h), byte(s.w >> 8), byte(s.w), byte(s.ncomp)}
	for i := 0; i < s.ncomp; i++ {
		sof = append(sof, byte(i+1), byte(s.hs[i]<<4|s.vs[i]), byte(min(i, 1)))
	}
	seg(0xc0, sof...)
	var dc, ac [2]*synthTable
	for th := 0; th < 2; th++ {
		dc[th] = newSynthTable(r, 17+r.IntN(3), r.IntN(2) == 0)
		ac[th] = newSynthTable(r, 256, r.IntN(2) == 0)
		for tc, t := range []*synthTable{dc[th], ac[th]} {
			if th == 1 && s.noTable == tc+1 {
				continue
			}
			body := []byte{byte(tc<<4 | th)}
			for _, c := range t.counts {
				body = append(body, byte(c))
			}
			seg(0xc4, append(body, t.vals...)...)
		}
	}
	if s.ri > 0 {
		seg(0xdd, byte(s.ri>>8), byte(s.ri))
	}
	sos := []byte{byte(s.ncomp)}
	for i := 0; i < s.ncomp; i++ {
		sos = append(sos, byte(i+1), byte(min(i, 1)<<4|min(i, 1)))
	}
	seg(0xda, append(sos, 0, 63, 0)...)

	hmax, vmax := 1, 1
	for i := 0; i < s.ncomp; i++ {
		hmax, vmax = max(hmax, s.hs[i]), max(vmax, s.vs[i])
	}
	mcus := ((s.w + 8*hmax - 1) / (8 * hmax)) * ((s.h + 8*vmax - 1) / (8 * vmax))
	w := &bitWriter{}
	if s.fill {
		w.fill = r
	}
	bad := -1
	if s.dcBad {
		bad = r.IntN(mcus)
	}
	sym := func(t *synthTable, v int) { w.put(t.code[v], t.length[v]) }
	for m := 0; m < mcus; m++ {
		if s.ri > 0 && m > 0 && m%s.ri == 0 {
			w.align()
			w.out = append(w.out, 0xff, byte(0xd0+(m/s.ri-1)%8))
		}
		for c := 0; c < s.ncomp; c++ {
			t := min(c, 1)
			for k := 0; k < s.hs[c]*s.vs[c]; k++ {
				size := r.IntN(12)
				if s.dcBig && r.IntN(4) == 0 {
					size = 12 + r.IntN(5)
				}
				if m == bad && k == 0 && len(dc[t].vals) > 17 {
					size = 17
				}
				sym(dc[t], size)
				w.put(r.Uint32(), size)
				for z := 1; z <= 63; {
					switch p := r.IntN(1000); {
					case p >= s.density*10:
						sym(ac[t], 0x00)
						z = 64
					case p < s.odd:
						sym(ac[t], (1+r.IntN(14))<<4) // an end of block with a run
						z = 64
					case p < s.odd+20:
						sym(ac[t], 0xf0)
						z += 16
					default:
						run, size := r.IntN(16), 1+r.IntN(4)
						if r.IntN(4) == 0 {
							run = 0
						}
						if r.IntN(100) < s.big {
							size = 11 + r.IntN(5)
						}
						sym(ac[t], run<<4|size)
						v := r.Uint32()
						if r.IntN(3) == 0 { // the extremes: ±(2^size - 1)
							v = uint32(r.IntN(2)) * 0xffffffff
						}
						w.put(v, size)
						z += run + 1
					}
				}
			}
		}
	}
	w.align()
	b = append(b, w.out...)
	return append(b, 0xff, 0xd9)
}

// randomSynth is a synthJPEG of a random layout.
func randomSynth(r *rand.Rand) *synthJPEG {
	s := &synthJPEG{r: r, w: 1 + r.IntN(70), h: 1 + r.IntN(70), ncomp: 1}
	if r.IntN(3) > 0 {
		s.ncomp = 3
		s.hs[0], s.vs[0] = 1+r.IntN(2), 1+r.IntN(2)
		if r.IntN(4) == 0 {
			s.hs[0], s.vs[0] = 3, 2
		}
		for i := 1; i < 3; i++ {
			s.hs[i], s.vs[i] = 1+r.IntN(s.hs[0]), 1+r.IntN(s.vs[0])
		}
	} else {
		s.hs[0], s.vs[0] = 1, 1
	}
	s.q16, s.maxQ = r.IntN(2) == 0, r.IntN(4) == 0
	if r.IntN(3) == 0 {
		s.ri = 1 + r.IntN(5)
	}
	s.density = []int{0, 30, 70, 95, 100}[r.IntN(5)]
	s.big = []int{0, 0, 5, 50, 100}[r.IntN(5)]
	s.odd = []int{0, 0, 2, 30}[r.IntN(4)]
	s.dcBig = r.IntN(3) == 0
	s.dcBad = r.IntN(10) == 0
	s.fill = r.IntN(4) == 0
	if r.IntN(20) == 0 {
		s.noTable = 1 + r.IntN(2)
	}
	return s
}

// referenceFiles: real encoders' files of every layout and quality, and
// made-up ones (synthJPEG) of every layout.
func referenceFiles(t *testing.T) map[string][]byte {
	files := map[string][]byte{}
	for _, size := range [][2]int{{64, 48}, {131, 97}, {17, 9}, {1, 1}, {2, 300}, {300, 3}} {
		for _, q := range []int{5, 30, 75, 90, 100} {
			img := testPhoto(size[0], size[1], uint64(size[0]*q))
			files[fmt.Sprintf("go-420-%dx%d-q%d", size[0], size[1], q)] = encodeGo(t, img, q)
			g := image.NewGray(img.Rect)
			for i := range g.Pix {
				g.Pix[i] = img.Pix[4*i+1]
			}
			files[fmt.Sprintf("go-grey-%dx%d-q%d", size[0], size[1], q)] = encodeGo(t, g, q)
		}
	}
	files["go-scan-q90"] = encodeGo(t, testScan(300, 200, 1), 90)
	files["go-flat"] = encodeGo(t, image.NewGray(image.Rect(0, 0, 40, 40)), 90)
	img := testPhoto(203, 131, 11)
	scans := filepath.Join(t.TempDir(), "scans")
	if err := os.WriteFile(scans, []byte("0;\n1;\n2;\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, args := range [][]string{
		{"-sample", "1x1"}, {"-sample", "2x1"}, {"-sample", "1x2"}, {"-sample", "4x1"}, {"-sample", "3x1"},
		{"-sample", "3x2", "-restart", "5B"}, {"-sample", "2x2,1x1,2x1"},
		{"-quality", "75", "-restart", "3B"}, {"-quality", "90", "-sample", "1x1", "-restart", "1"},
		{"-quality", "60", "-optimize"}, {"-quality", "95", "-sample", "2x1", "-optimize", "-restart", "7B"},
		{"-grayscale"}, {"-grayscale", "-quality", "50", "-restart", "2B", "-optimize"},
		{"-quality", "100"}, {"-quality", "5"}, {"-quality", "1"},
		{"-scans", scans, "-sample", "1x1"}, {"-scans", scans}, {"-scans", scans, "-restart", "3B"},
		{"-progressive"}, {"-progressive", "-sample", "1x1", "-restart", "2B"}, {"-progressive", "-grayscale", "-quality", "95"},
		{"-rgb"}, {"-arithmetic"},
	} {
		files[fmt.Sprintf("cjpeg-%d-%v", i, args)] = cjpeg(t, img, false, args...)
	}
	files["wild-dqt16"] = dqt16(t, cjpeg(t, testPhoto(96, 64, 9), false, "-quality", "95"), 63, 5000)
	files["wild-dqt16-dc"] = dqt16(t, cjpeg(t, testPhoto(96, 64, 9), false, "-quality", "95"), 0, 65535)
	r := rand.New(rand.NewPCG(17, 18))
	for i := 0; i < 300; i++ {
		files[fmt.Sprintf("synth-%d", i)] = randomSynth(r).bytes()
	}
	// The largest coefficients everywhere, with the largest quantizers.
	for i, ncomp := range []int{1, 3} {
		s := &synthJPEG{r: r, w: 33, h: 17, ncomp: ncomp, q16: true, maxQ: true, density: 100, big: 100, dcBig: true}
		s.hs, s.vs = [3]int{2, 1, 1}, [3]int{2, 1, 1}
		if ncomp == 1 {
			s.hs[0], s.vs[0] = 1, 1
		}
		files[fmt.Sprintf("synth-max-%d", i)] = s.bytes()
	}
	return files
}

// TestSameAsReference: the decoder reads every file of referenceFiles, and
// damaged copies of some (truncated, bytes changed), exactly as the
// reference does.
func TestSameAsReference(t *testing.T) {
	files := referenceFiles(t)
	r := rand.New(rand.NewPCG(3, 4))
	damaged := 0
	for _, name := range slices.Sorted(maps.Keys(files)) {
		data := files[name]
		sameAsReference(t, name, data)
		if r.IntN(4) != 0 && len(data) > 3000 {
			continue
		}
		for i := 0; i < 5; i++ {
			sameAsReference(t, name+"-truncated", data[:r.IntN(len(data))])
			b := bytes.Clone(data)
			for k := 0; k <= r.IntN(4); k++ {
				b[r.IntN(len(b))] = byte(r.IntN(256))
			}
			sameAsReference(t, name+"-changed", b)
			damaged += 2
		}
	}
	if damaged < 2000 {
		t.Errorf("only %d damaged files", damaged)
	}
}

// TestPutSameAsReference: put writes what the reference's put writes, for
// blocks of any coefficients a sequential scan can bring (up to ±2^15 after
// dequant's wrap-around), any of the block inside the image.
func TestPutSameAsReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 20000; trial++ {
		var blk [64]int64
		rows, cols := r.IntN(8), r.IntN(8)
		lim := []int{1, 64, 2048, 4097, 32769}[r.IntN(5)]
		for v := 0; v <= rows; v++ {
			for u := 0; u <= cols; u++ {
				if r.IntN(3) > 0 {
					blk[v*8+u] = int64(r.IntN(2*lim) - lim)
				}
				if r.IntN(20) == 0 {
					blk[v*8+u] = []int64{-32768, 32767, 32768}[r.IntN(3)]
				}
			}
		}
		sh := r.IntN(4)
		n := 8 >> sh
		nw, nh := n, n
		if r.IntN(3) == 0 {
			nw, nh = 1+r.IntN(n), 1+r.IntN(n)
		}
		stride := n + r.IntN(3)
		got, want := make([]byte, stride*n), make([]byte, stride*n)
		for i := range got {
			got[i], want[i] = byte(i), byte(i)
		}
		b, rb := blk, blk
		put(sh, &b, rows, cols, got, stride, nw, nh)
		refPut(sh, &rb, rows, cols, want, stride, nw, nh)
		if !bytes.Equal(got, want) {
			t.Fatalf("1/%d, rows %d cols %d, %dx%d: %v, reference %v (block %v)", 1<<sh, rows, cols, nw, nh, got, want, blk)
		}
	}
}

func FuzzSameAsReference(f *testing.F) {
	f.Add(encodeGo(f, testPhoto(48, 40, 5), 75))
	f.Add(encodeGo(f, image.NewGray(image.Rect(0, 0, 9, 17)), 50))
	prog := cjpeg(f, testPhoto(24, 16, 5), false, "-progressive", "-restart", "1B")
	f.Add(prog)
	// An unknown marker after the first scan's last restart interval
	// (TestMarkersLikeLibjpeg): the marker walk's boundaries.
	if i := bytes.Index(prog[2:], []byte{0xff, mDHT}); i > 0 {
		f.Add(append(append(bytes.Clone(prog[:2+i]), 0xff, 0x02), prog[2+i:]...))
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 8; i++ {
		s := randomSynth(r)
		s.w, s.h = 1+s.w/3, 1+s.h/3
		f.Add(s.bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsReference(t, "fuzz", data)
	})
}

// TestConstants: the inverse DCT's constants are what they stand for.
func TestConstants(t *testing.T) {
	fix := func(x float64) int64 { return int64(math.Round(x * (1 << constBits))) }
	a := func(j int) float64 { return math.Sqrt2 * math.Cos(float64(j)*math.Pi/16) }
	c1, c3, c4 := math.Cos(math.Pi/8), math.Cos(3*math.Pi/8), math.Cos(math.Pi/4)
	q := func(k int) float64 {
		s := 0.0
		for j := 0; j < 4; j++ {
			s += math.Cos(float64((2*j+1)*k) * math.Pi / 16)
		}
		return math.Sqrt2 / 4 * s
	}
	for i, c := range []struct {
		got  int64
		want float64
	}{
		{f0298, 0.298631336}, {f0390, 0.390180644}, {f0541, 0.541196100}, {f0765, 0.765366865},
		{f0899, 0.899976223}, {f1175, 1.175875602}, {f1501, 1.501321110}, {f1847, 1.847759065},
		{f1961, 1.961570560}, {f2053, 2.053119869}, {f2562, 2.562915447}, {f3072, 3.072711026},
		{h1a, c1 * a(1)}, {h1b, c1 * a(7)}, {h3a, c3 * a(3)}, {h3b, c3 * a(5)},
		{h1c, c3 * a(1)}, {h1d, c3 * a(7)}, {h3c, c1 * a(3)}, {h3d, c1 * a(5)},
		{h2a, c4 * a(2)}, {h2b, c4 * a(6)},
		{q1, q(1)}, {q3, q(3)}, {q5, q(5)}, {q7, q(7)},
	} {
		if c.got != fix(c.want) {
			t.Errorf("constant %d is %d, want %d", i, c.got, fix(c.want))
		}
	}
}
