package jpegluma

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// jpegSegments splits a JPEG from cjpeg into its segments after the SOI:
// each marker with its segment, a scan with its entropy-coded data and
// restart markers, the EOI last.
func jpegSegments(t *testing.T, data []byte) [][]byte {
	t.Helper()
	var segs [][]byte
	for p := 2; p < len(data); {
		if data[p] != 0xff {
			t.Fatalf("no marker at %d", p)
		}
		m := data[p+1]
		if m == mEOI {
			return append(segs, data[p:p+2])
		}
		end := p + 2 + (int(data[p+2])<<8 | int(data[p+3]))
		if m == mSOS {
			_, at, _ := nextMarker(data, end)
			for isRST(data[at+1]) {
				_, at, _ = nextMarker(data, at+2)
			}
			end = at
		}
		segs = append(segs, data[p:end])
		p = end
	}
	t.Fatal("no EOI")
	return nil
}

// splice is a JPEG of the header of a (its segments before the first scan)
// followed by the segments given.
func splice(t *testing.T, a []byte, segs ...[]byte) []byte {
	t.Helper()
	out := []byte{0xff, mSOI}
	for _, s := range jpegSegments(t, a) {
		if s[1] == mSOS {
			break
		}
		out = append(out, s...)
	}
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, 0xff, mEOI)
}

// scansOf are the scans (with their data, after the DHT segments just
// before them: cjpeg writes a scan's tables there) of a JPEG, and a DRI
// before the first one when there is one.
func scansOf(t *testing.T, data []byte) (scans [][]byte, dri []byte) {
	t.Helper()
	var dht []byte
	for _, s := range jpegSegments(t, data) {
		switch s[1] {
		case mSOS:
			scans = append(scans, append(dht, s...))
			dht = nil
		case mDHT:
			dht = append(dht, s...)
		case mDRI:
			dri = s
		default:
			dht = nil
		}
	}
	return scans, dri
}

// sequentialScans are sequential JPEGs of several scans, as libjpeg reads
// and merges them: cjpeg's own (components in scans of their own, chroma
// first, luma interleaved with one chroma component), and splices of
// scans of other pictures (negatives) of the same size, tables and layout, so that
// luma comes back in a later scan with other coefficients (the DC terms
// replaced, the AC terms replaced only where coded, a later DQT not
// counted), cut short, or in more than four scans.
func sequentialScans(t *testing.T) map[string][]byte {
	cases := map[string][]byte{}
	layouts := []struct {
		name string
		args []string
	}{
		{"420", []string{"-quality", "85"}},
		{"444-restart", []string{"-quality", "80", "-sample", "1x1", "-restart", "3B"}},
		{"422-restart-rows", []string{"-quality", "90", "-sample", "2x1", "-restart", "1"}},
	}
	for _, l := range layouts {
		enc := func(seed uint64, script string, extra ...string) []byte {
			args := append(append([]string{"-scans", scanScript(t, script)}, l.args...), extra...)
			photo := testPhoto(203, 131, seed)
			if seed%2 == 0 { // another picture: the negative
				for i := range photo.Pix {
					if i%4 != 3 {
						photo.Pix[i] = 255 - photo.Pix[i]
					}
				}
			}
			data := cjpeg(t, photo, false, args...)
			if !bytes.Contains(data[:min(len(data), 1000)], []byte{0xff, mSOF0}) {
				t.Fatalf("%s: cjpeg wrote no baseline JPEG", l.name)
			}
			return data
		}
		apart := enc(1, "0;\n1;\n2;\n")
		other := enc(2, "0;\n1;\n2;\n")
		third := enc(3, "0;\n1;\n2;\n")
		mixed := enc(4, "0,1;\n2;\n")
		cases[l.name+"-apart"] = apart
		cases[l.name+"-chroma-first"] = enc(5, "2;\n1;\n0;\n")
		cases[l.name+"-luma-cb"] = mixed
		a, dri := scansOf(t, apart)
		b, _ := scansOf(t, other)
		c, _ := scansOf(t, third)
		m, _ := scansOf(t, mixed)
		cases[l.name+"-luma-twice"] = splice(t, apart, a[0], a[1], a[2], b[0])
		cases[l.name+"-luma-alone"] = splice(t, apart, a[0]) // chroma never sent: mid-grey to libjpeg
		// A first scan of every component is a picture of one scan to
		// libjpeg: it shows it and fails on the next scan.
		whole := cjpeg(t, testPhoto(203, 131, 1), false, l.args...)
		w, _ := scansOf(t, whole)
		cases[l.name+"-one-scan-then-luma"] = splice(t, whole, w[0], b[0])
		cases[l.name+"-luma-twice-together"] = splice(t, apart, a[0], b[0], a[1], a[2])
		cases[l.name+"-luma-chroma-again"] = splice(t, apart, a[0], a[1], a[2], m[0], b[1])
		cases[l.name+"-chroma-luma-again-interleaved"] = splice(t, apart, a[1], a[2], a[0], m[0])
		cases[l.name+"-six-scans"] = splice(t, apart, a[0], a[1], b[0], a[2], c[0], m[0])
		if dri == nil {
			// A luma scan of DC terms of zero and no AC terms (cjpeg's
			// standard tables: DC size 0 is 00, the end of block 1010):
			// libjpeg shows the first scan's AC terms, the picture's
			// detail, on mid-grey; image/jpeg a grey field.
			bits := strings.Repeat("001010", (203+7)/8*((131+7)/8))
			bits += strings.Repeat("1", -len(bits)&7) // padded with ones; never eight in a row: no 0xff to stuff
			var data []byte
			for i := 0; i < len(bits); i += 8 {
				v, _ := strconv.ParseUint(bits[i:i+8], 2, 8)
				data = append(data, byte(v))
			}
			flat := append([]byte{0xff, mSOS, 0, 8, 1, 1, 0, 0, 63, 0}, data...)
			cases[l.name+"-luma-flat-again"] = splice(t, apart, a[0], a[1], a[2], flat)
		}
		// A later DQT: libjpeg keeps the table of the luma's first scan.
		dqt := jpegSegments(t, enc(2, "0;\n1;\n2;\n", "-quality", "30"))[1]
		if dqt[1] != mDQT {
			t.Fatalf("%s: no DQT second", l.name)
		}
		q30, _ := scansOf(t, enc(2, "0;\n1;\n2;\n", "-quality", "30"))
		cases[l.name+"-later-dqt"] = splice(t, apart, a[0], a[1], a[2], dqt, q30[0])
		// The second luma scan cut short: at a third, at two thirds, and
		// (with restarts) a middle interval's data gone.
		for _, f := range []int{3, 2} {
			cut := b[0][:len(b[0])*(f-1)/f]
			cases[fmt.Sprintf("%s-luma-again-cut-%d", l.name, f)] = splice(t, apart, a[0], a[1], a[2], cut)
		}
		if dri != nil {
			s := b[0]
			var rst []int
			for i := 0; i+1 < len(s); i++ {
				if s[i] == 0xff && isRST(s[i+1]) {
					rst = append(rst, i)
				}
			}
			if len(rst) < 3 {
				t.Fatalf("%s: %d restart markers", l.name, len(rst))
			}
			k := len(rst) / 2
			gap := append(append(bytes.Clone(s[:rst[k]+2]), s[rst[k]+2:rst[k]+2+(rst[k+1]-rst[k]-2)/3]...), s[rst[k+1]:]...)
			cases[l.name+"-luma-again-interval-lost"] = splice(t, apart, a[0], a[1], a[2], gap)
		}
	}
	grey := cjpeg(t, testPhoto(203, 131, 1), true, "-grayscale")
	g, _ := scansOf(t, grey)
	neg := testPhoto(203, 131, 2)
	for i := range neg.Pix {
		neg.Pix[i] = 255 - neg.Pix[i]
	}
	g2, _ := scansOf(t, cjpeg(t, neg, true, "-grayscale"))
	cases["grey-luma-twice"] = splice(t, grey, g[0], g2[0])
	return cases
}

// TestSequentialScansLikeLibjpeg: a sequential file of several scans reads
// as djpeg shows it at every scale, whatever the order of its scans and
// however often luma comes back, and a file whose first scan holds every
// component as its first scan (libjpeg fails on the next one after showing
// it). image/jpeg shows a later luma scan alone, so only the files without
// one are compared with it too.
func TestSequentialScansLikeLibjpeg(t *testing.T) {
	for name, data := range sequentialScans(t) {
		checkAgainstDjpeg(t, name, data, 1, 2, 4, 8)
		// image/jpeg reads cjpeg's own files alike (those without restarts:
		// it counts a subsampled luma scan's otherwise), not the splices.
		if !strings.Contains(name, "restart") && (strings.HasSuffix(name, "-apart") ||
			strings.HasSuffix(name, "-chroma-first") || strings.HasSuffix(name, "-luma-cb")) {
			checkAgainstGo(t, name, data)
		}
	}
}

// TestSequentialLumaTwiceDiffers: the merged picture is neither scan's
// alone (what image/jpeg shows is the second), so the test above compares
// the pictures an attacker would make differ.
func TestSequentialLumaTwiceDiffers(t *testing.T) {
	cases := sequentialScans(t)
	data := cases["420-luma-flat-again"]
	ref, w, h, ok := djpegAt(tool(t, "djpeg", "libjpeg-turbo-progs"), data, 1)
	if !ok {
		t.Fatal("djpeg shows no picture")
	}
	goPix, stride, _, _ := goLuma(t, data)
	var far int
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if d := int(ref[y*w+x]) - int(goPix[y*stride+x]); d > 24 || d < -24 {
				far++
			}
		}
	}
	if far < w*h/100 {
		t.Fatalf("djpeg and image/jpeg differ on only %d of %d pixels", far, w*h)
	}
}

// TestSequentialNoLuma: a sequential file that never scans luma reads as
// libjpeg shows it (its colours on mid-grey luma: a grey field).
func TestSequentialNoLuma(t *testing.T) {
	apart := cjpeg(t, testPhoto(64, 48, 1), false, "-scans", scanScript(t, "0;\n1;\n2;\n"))
	a, _ := scansOf(t, apart)
	likeLibjpeg(t, "no luma scan", splice(t, apart, a[1], a[2]), 1, 8)
}

// costlySequential is a small sequential w×h file of three components
// whose first scan, and n-1 more, are luma alone, each decoding to little
// and passing over every block: with restarts (ri > 0) each interval a
// zero byte (four blocks: DC difference 0, end of block) and its RST, the
// rest of the interval out of data; without, a zero byte alone.
func costlySequential(w, h, n, ri int) []byte {
	b := []byte{0xff, mSOI, 0xff, mDQT, 0, 67, 0}
	for i := 0; i < 64; i++ {
		b = append(b, 1)
	}
	b = append(b, 0xff, mSOF0, 0, 17, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0)
	// A DC and an AC table, each of one code '0': DC difference 0, end of
	// block.
	b = append(b, 0xff, mDHT, 0, 38, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00)
	b = append(b, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00)
	b = append(b, 0xff, mDRI, 0, 4, byte(ri>>8), byte(ri))
	blocks := ((w + 7) / 8) * ((h + 7) / 8)
	for s := 0; s < n; s++ {
		b = append(b, 0xff, mSOS, 0, 8, 1, 1, 0x00, 0, 63, 0)
		b = append(b, 0x00)
		for k := 1; ri > 0 && k*ri < blocks; k++ {
			b = append(b, 0xff, byte(mRST0+(k-1)&7), 0x00)
		}
	}
	return append(b, 0xff, mEOI)
}

// TestSequentialWorkBound: a sequential file of 255 luma scans, each
// passing over every block of a 4000×4000 frame, is ErrTooManyScans (its
// scans read the blocks more than maxPasses times over); one of 12 reads
// as libjpeg shows it; more scans than maxScans, luma's or chroma's, is
// ErrTooManyScans (libjpeg passes over the blocks of a scan's components in
// each).
func TestSequentialWorkBound(t *testing.T) {
	for name, data := range map[string][]byte{"restarts": costlySequential(4000, 4000, 255, 30000), "no-restarts": costlySequential(4000, 4000, 255, 0)} {
		if _, err := Decode(data, 8, 1<<26); !errors.Is(err, ErrTooManyScans) {
			t.Errorf("%s: %v, want ErrTooManyScans (its scans read every block more than %d times over)", name, err, maxPasses)
		}
	}
	likeLibjpeg(t, "12 luma scans", costlySequential(400, 400, 12, 300), 1, 8)
	if _, err := Decode(costlySequential(64, 64, maxScans+1, 0), 1, 1<<26); !errors.Is(err, ErrTooManyScans) {
		t.Errorf("%d luma scans: %v, want ErrTooManyScans", maxScans+1, err)
	}
	many := costlySequential(64, 64, 1, 0)
	chroma := []byte{0xff, mSOS, 0, 10, 2, 2, 0x00, 3, 0x00, 0, 63, 0, 0x00}
	many = append(many[:len(many)-2], append(bytes.Repeat(chroma, 300), 0xff, mEOI)...)
	if _, err := Decode(many, 1, 1<<26); !errors.Is(err, ErrTooManyScans) {
		t.Errorf("a luma scan and 300 of chroma: %v, want ErrTooManyScans", err)
	}
}

// TestSequentialDamageLikeLibjpeg: random damage in the coded data of
// sequential files of several scans with restarts, luma scanned twice
// (bad codes, markers too early, restarts lost or out of order, tables and
// scan headers changed), reads as djpeg shows it: every scan resynchronised
// on its own, the intervals a later scan loses keeping what the earlier
// ones gave.
func TestSequentialDamageLikeLibjpeg(t *testing.T) {
	cases := sequentialScans(t)
	r := rand.New(rand.NewPCG(11, 6))
	bin := tool(t, "djpeg", "libjpeg-turbo-progs")
	for _, name := range []string{"444-restart-luma-twice", "422-restart-rows-luma-chroma-again", "422-restart-rows-chroma-luma-again-interleaved"} {
		data := cases[name]
		start := bytes.Index(data, []byte{0xff, mSOS})
		shown := 0
		for i := 0; i < 100; i++ {
			b := bytes.Clone(data)
			for k := 0; k <= r.IntN(3); k++ {
				b[start+r.IntN(len(data)-2-start)] = byte(r.IntN(256))
			}
			if !libjpegShown(bin, b, 1).ok {
				continue
			}
			shown++
			likeLibjpeg(t, fmt.Sprintf("%s damage %d", name, i), b, 1, 4)
		}
		t.Logf("%s: %d of 100 damaged files compared", name, shown)
		if shown < 50 {
			t.Errorf("%s: djpeg showed only %d of 100 damaged files", name, shown)
		}
	}
}
