package jpegluma

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// checkAgainstDjpeg is likeLibjpeg: data at each of scales as libjpeg
// shows it.
func checkAgainstDjpeg(t *testing.T, name string, data []byte, scales ...int) {
	t.Helper()
	likeLibjpeg(t, name, data, scales...)
}

// scanScript writes a cjpeg -scans file.
func scanScript(t *testing.T, script string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "scans")
	if err := os.WriteFile(p, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// progressiveCases are progressive JPEGs from cjpeg: its own scan scripts in
// several layouts, and scripts of ours for what its default does not write
// (luma scans apart from chroma, chroma first, deep successive
// approximation, one coefficient a scan, restarts in each).
func progressiveCases(t *testing.T) map[string][]byte {
	one := "0,1,2: 0-0, 0, 0;\n"
	for k := 1; k < 64; k++ {
		one += fmt.Sprintf("0: %d-%d, 0, 0;\n", k, k)
	}
	one += "1: 1-63, 0, 0;\n2: 1-63, 0, 0;\n"
	scripts := map[string]string{
		"apart":  "0: 0-0, 0, 0;\n1: 0-0, 0, 0;\n2: 0-0, 0, 0;\n0: 1-63, 0, 0;\n1: 1-63, 0, 0;\n2: 1-63, 0, 0;\n",
		"chroma": "1,2: 0-0, 0, 1;\n2: 1-63, 0, 0;\n0: 0-0, 0, 1;\n1: 1-63, 0, 0;\n1,2: 0-0, 1, 0;\n0: 1-9, 0, 0;\n0: 0-0, 1, 0;\n0: 10-63, 0, 0;\n",
		"deep-sa": "0,1,2: 0-0, 0, 3;\n0: 1-2, 0, 4;\n0: 3-63, 0, 4;\n1: 1-63, 0, 2;\n0: 1-63, 4, 3;\n0: 1-63, 3, 2;\n0,1,2: 0-0, 3, 2;\n" +
			"0: 1-63, 2, 1;\n0,1,2: 0-0, 2, 1;\n0,1,2: 0-0, 1, 0;\n2: 1-63, 0, 0;\n0: 1-63, 1, 0;\n1: 1-63, 2, 1;\n1: 1-63, 1, 0;\n",
		"one-coefficient": one,
	}
	photo := testPhoto(203, 131, 21)
	cases := map[string][]byte{
		"420":               cjpeg(t, photo, false, "-progressive", "-quality", "85"),
		"444":               cjpeg(t, photo, false, "-progressive", "-quality", "90", "-sample", "1x1"),
		"422-restart":       cjpeg(t, photo, false, "-progressive", "-quality", "80", "-sample", "2x1", "-restart", "3B"),
		"420-restart-rows":  cjpeg(t, photo, false, "-progressive", "-quality", "75", "-restart", "1"),
		"420-optimized":     cjpeg(t, photo, false, "-progressive", "-quality", "60", "-optimize"),
		"grey":              cjpeg(t, photo, true, "-progressive", "-grayscale", "-quality", "85"),
		"grey-restart":      cjpeg(t, photo, true, "-progressive", "-grayscale", "-quality", "95", "-restart", "2B"),
		"420-tiny":          cjpeg(t, testPhoto(3, 2, 1), false, "-progressive"),
		"411-odd":           cjpeg(t, testPhoto(61, 37, 2), false, "-progressive", "-sample", "4x1"),
		"420-q100":          cjpeg(t, testPhoto(64, 64, 3), false, "-progressive", "-quality", "100"),
		"440-restart-rows2": cjpeg(t, testPhoto(99, 301, 4), false, "-progressive", "-sample", "1x2", "-restart", "2"),
	}
	for name, script := range scripts {
		p := scanScript(t, script)
		cases["script-"+name] = cjpeg(t, photo, false, "-scans", p, "-quality", "85")
		cases["script-"+name+"-restart"] = cjpeg(t, photo, false, "-scans", p, "-quality", "85", "-restart", "5B")
	}
	return cases
}

// TestProgressive: progressive JPEGs read like djpeg and image/jpeg read
// them, at every scale, in every layout and scan script.
func TestProgressive(t *testing.T) {
	for name, data := range progressiveCases(t) {
		if !bytes.Contains(data[:min(len(data), 1000)], []byte{0xff, mSOF2}) {
			t.Fatalf("%s: cjpeg wrote no progressive JPEG", name)
		}
		checkAgainstDjpeg(t, name, data, 1, 2, 4, 8)
		if !strings.Contains(name, "restart") { // image/jpeg counts restarts in scans of one subsampled component otherwise
			checkAgainstGo(t, name, data)
		}
	}
}

// scanEnds are the offsets where each scan of data ends: the marker after
// its entropy-coded data.
func scanEnds(t *testing.T, data []byte) []int {
	var ends []int
	for p := 2; p+4 <= len(data); {
		if data[p] != 0xff {
			t.Fatalf("no marker at %d", p)
		}
		m := data[p+1]
		if m == mEOI {
			break
		}
		n := int(data[p+2])<<8 | int(data[p+3])
		p += 2 + n
		if m == mSOS {
			_, at, _ := nextMarker(data, p)
			for mm := data[at+1]; mm >= mRST0 && mm <= mRST7; mm = data[at+1] {
				_, at, _ = nextMarker(data, at+2)
			}
			ends = append(ends, at)
			p = at
		}
	}
	return ends
}

// TestProgressiveTruncated: a progressive file cut after any scan, or in the
// middle of one, reads as libjpeg shows it (the scans it has, the blocks
// whose AC terms are not all known smoothed as libjpeg smooths them), and
// an EOI after the cut changes nothing.
func TestProgressiveTruncated(t *testing.T) {
	for name, data := range progressiveCases(t) {
		ends := scanEnds(t, data)
		if len(ends) < 2 {
			t.Fatalf("%s: %d scans", name, len(ends))
		}
		for i, end := range ends[:len(ends)-1] {
			cut := data[:end]
			what := fmt.Sprintf("%s cut after scan %d", name, i+1)
			likeLibjpeg(t, what, cut, 1, 8)
			withEOI := append(bytes.Clone(cut), 0xff, mEOI)
			for _, s := range []int{1, 2} {
				a, err1 := Decode(cut, s, 1<<26)
				b, err2 := Decode(withEOI, s, 1<<26)
				if err1 != nil || err2 != nil || !bytes.Equal(a.Pix, b.Pix) {
					t.Errorf("%s at 1/%d: cut and with EOI differ (%v, %v)", what, s, err1, err2)
				}
			}
			mid := end + (ends[i+1]-end)*2/3
			likeLibjpeg(t, fmt.Sprintf("%s cut in scan %d", name, i+2), data[:mid], 2, 4)
		}
	}
}

// TestProgressiveDCOnly: cut after its first scan, a progressive file is
// its DC terms, which libjpeg shows smoothed across blocks (as a browser
// shows a progressive picture still loading), at every scale; at 1/8 the
// DC terms alone are the very plane of the whole file.
func TestProgressiveDCOnly(t *testing.T) {
	p := scanScript(t, "0: 0-0, 0, 0;\n1,2: 0-0, 0, 0;\n0: 1-63, 0, 0;\n1: 1-63, 0, 0;\n2: 1-63, 0, 0;\n")
	data := cjpeg(t, testPhoto(96, 64, 5), false, "-scans", p)
	ends := scanEnds(t, data)
	likeLibjpeg(t, "DC terms alone", data[:ends[0]], 1, 2, 4, 8)
	whole, err := Decode(data, 8, 1<<26)
	if err != nil {
		t.Fatal(err)
	}
	dc, err := Decode(data[:ends[0]], 8, 1<<26)
	if err != nil || !bytes.Equal(whole.Pix, dc.Pix) {
		t.Fatalf("DC alone at 1/8 differs from the whole file's: %v", err)
	}
}

// spliceScans repeats the scan that ends at ends[i] (from the marker after
// the scan before it) n times.
func spliceScans(data []byte, ends []int, i, n int) []byte {
	from := ends[i-1]
	seg := data[from:ends[i]]
	out := bytes.Clone(data[:ends[i]])
	for k := 0; k < n; k++ {
		out = append(out, seg...)
	}
	return append(out, data[ends[i]:]...)
}

// TestProgressiveBounds: the attacker's progressive files. More scans than
// maxScans is ErrTooManyScans (libjpeg decodes them; the caller notes the
// picture unsearched rather than spend a pass over every block on each);
// a scan repeated within the bound reads as libjpeg reads it; the pixel
// limit holds before allocation; the deadline stops a decode.
func TestProgressiveBounds(t *testing.T) {
	data := cjpeg(t, testPhoto(96, 64, 5), false, "-progressive")
	ends := scanEnds(t, data)
	last := len(ends) - 1 // a refinement of luma's AC terms
	if _, err := Decode(spliceScans(data, ends, last, maxScans), 1, 1<<26); !errors.Is(err, ErrTooManyScans) {
		t.Errorf("%d scans: %v, want ErrTooManyScans", len(ends)+maxScans, err)
	}
	if _, err := Decode(spliceScans(data, ends, 1, maxScans), 4, 1<<26); !errors.Is(err, ErrTooManyScans) {
		t.Errorf("%d scans, the chroma one repeated: %v, want ErrTooManyScans", len(ends)+maxScans, err)
	}
	twice := spliceScans(data, ends, last, 3)
	checkAgainstDjpeg(t, "a refinement scan four times", twice, 1, 2, 4, 8)
	// Another luma quantization table after the first scan: libjpeg keeps
	// the one the first scan found.
	dqt := []byte{0xff, mDQT, 0, 67, 0}
	for k := 0; k < 64; k++ {
		dqt = append(dqt, byte(1+k*3))
	}
	checkAgainstDjpeg(t, "a DQT after the first scan", append(append(bytes.Clone(data[:ends[0]]), dqt...), data[ends[0]:]...), 1, 2, 4, 8)
	if _, err := Decode(data, 1, 96*64-1); err == nil || errors.Is(err, ErrUnsupported) {
		t.Errorf("over the pixel limit: %v", err)
	}
	if _, err := DecodeBy(data, 1, 1<<20, time.Now().Add(-time.Second)); !errors.Is(err, ErrDeadline) {
		t.Errorf("deadline passed: %v, want ErrDeadline", err)
	}
	if w, h, err := Config(data); err != nil || w != 96 || h != 64 {
		t.Errorf("Config: %dx%d, %v", w, h, err)
	}
}

// TestProgressiveGoAgrees: progressive files from image/jpeg's point of
// view (every truncation of a small one, and changed bytes): the fuzz
// target's checks.
func TestProgressiveGoAgrees(t *testing.T) {
	data := cjpeg(t, testPhoto(40, 24, 9), false, "-progressive", "-quality", "80", "-restart", "2B")
	for n := 0; n < len(data); n++ {
		agree(t, data[:n])
	}
}

// FuzzProgressive is FuzzJPEGLuma from progressive seeds (written by cjpeg:
// testdata/fuzz/FuzzProgressive; seed5 with an unknown marker after its
// first scan's last restart interval, see TestMarkersLikeLibjpeg).
func FuzzProgressive(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		agree(t, data)
	})
}

// TestProgressiveDamageLikeLibjpeg: random damage in the coded data of
// progressive files with restarts (bad codes, markers too early, restarts
// lost or out of order, end-of-band runs gone wrong, tables and scan
// headers changed) reads as djpeg shows it, every scan resynchronised on
// its own as libjpeg does.
func TestProgressiveDamageLikeLibjpeg(t *testing.T) {
	photo := testPhoto(96, 64, 9)
	files := map[string][]byte{
		"420-restart-1":   cjpeg(t, photo, false, "-progressive", "-quality", "80", "-restart", "1"),
		"grey-restart-2B": cjpeg(t, photo, true, "-progressive", "-grayscale", "-quality", "80", "-restart", "2B"),
		"444-restart-3B":  cjpeg(t, photo, false, "-progressive", "-quality", "80", "-sample", "1x1", "-restart", "3B"),
	}
	damageLikeLibjpeg(t, files, 5)
}

// TestProgressiveLaterDRI: a DRI segment after a scan (here DRI 0 before the
// EOI, which libjpeg reads and passes) does not change how the scans before
// it resynchronise: each keeps the restart interval in force when it began,
// as libjpeg decodes it. Read with the last DRI instead, damage in a scan's
// first interval greyed the rest of that scan where libjpeg shows it.
func TestProgressiveLaterDRI(t *testing.T) {
	photo := testPhoto(96, 64, 9)
	files := map[string][]byte{
		"420-restart-1":   cjpeg(t, photo, false, "-progressive", "-quality", "80", "-restart", "1"),
		"grey-restart-2B": cjpeg(t, photo, true, "-progressive", "-grayscale", "-quality", "80", "-restart", "2B"),
	}
	for name, data := range files {
		if !bytes.HasSuffix(data, []byte{0xff, mEOI}) {
			t.Fatalf("%s: cjpeg wrote no EOI at the end", name)
		}
		files[name] = append(data[:len(data)-2:len(data)-2], 0xff, mDRI, 0, 4, 0, 0, 0xff, mEOI)
	}
	damageLikeLibjpeg(t, files, 7)
}

// damageLikeLibjpeg damages each file's coded data at random (100 times)
// and compares what Decode shows with what libjpeg shows, at full scale and
// at 1/4.
func damageLikeLibjpeg(t *testing.T, files map[string][]byte, seed uint64) {
	t.Helper()
	bin := tool(t, "djpeg", "libjpeg-turbo-progs")
	r := rand.New(rand.NewPCG(seed, 6))
	for name, data := range files {
		ends := scanEnds(t, data)
		start := bytes.Index(data, []byte{0xff, mSOS})
		shown := 0
		for i := 0; i < 100; i++ {
			b := bytes.Clone(data)
			for k := 0; k <= r.IntN(3); k++ {
				b[start+r.IntN(ends[len(ends)-1]-start)] = byte(r.IntN(256))
			}
			if !libjpegShown(bin, b, 1).ok {
				continue
			}
			shown++
			likeLibjpeg(t, fmt.Sprintf("%s damage %d", name, i), b, 1, 4)
		}
		if shown < 50 {
			t.Errorf("%s: djpeg showed only %d of 100 damaged files", name, shown)
		}
	}
}

// costlyScans is a small progressive grey w×h file of n luma scans that
// decode to little and pass over every block: with restart (ri > 0) the
// first DC scans, each interval a zero byte and its RST (the rest of the
// interval is out of data); without, AC scans of end-of-band runs of 32767
// blocks (two bytes each), the later ones refinements when refine is set.
func costlyScans(w, h, n, ri int, refine bool) []byte {
	b := []byte{0xff, mSOI, 0xff, mDQT, 0, 67, 0}
	for i := 0; i < 64; i++ {
		b = append(b, 1)
	}
	b = append(b, 0xff, mSOF2, 0, 11, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 1, 1, 0x11, 0)
	// A DC and an AC table, each of one code '0': DC difference 0, an
	// end-of-band run of 2^14 plus 14 more bits.
	b = append(b, 0xff, mDHT, 0, 38, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00)
	b = append(b, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xe0)
	b = append(b, 0xff, mDRI, 0, 4, byte(ri>>8), byte(ri))
	blocks := ((w + 7) / 8) * ((h + 7) / 8)
	for s := 0; s < n; s++ {
		if ri > 0 {
			b = append(b, 0xff, mSOS, 0, 8, 1, 1, 0x00, 0, 0, 0)
			for k := 0; k*ri < blocks; k++ {
				b = append(b, 0x00, 0xff, byte(mRST0+k&7))
			}
			continue
		}
		ahal := byte(0)
		if refine && s > 0 {
			ahal = 0x10
		}
		b = append(b, 0xff, mSOS, 0, 8, 1, 1, 0x00, 1, 63, ahal)
		// '0' and 14 ones: 32767 blocks, packed 15 bits at a time.
		var acc uint64
		nb := 0
		for k := 0; k*32767 < blocks; k++ {
			acc, nb = acc<<15|0x3fff, nb+15
			for ; nb >= 8; nb -= 8 {
				if c := byte(acc >> (nb - 8)); c == 0xff {
					b = append(b, c, 0)
				} else {
					b = append(b, c)
				}
			}
		}
		if nb > 0 {
			b = append(b, byte(acc<<(8-nb))|byte(0xff>>nb), 0) // 0xff at most: stuffed
		}
	}
	return append(b, 0xff, mEOI)
}

// costlyCases are costlyScans's files of 255 scans over a 4000×4000 frame.
func costlyCases() []struct {
	name string
	data []byte
} {
	return []struct {
		name string
		data []byte
	}{
		{"restarts", costlyScans(4000, 4000, 255, 30000, false)},
		{"eob-runs", costlyScans(4000, 4000, 255, 0, false)},
		{"eob-runs-refined", costlyScans(4000, 4000, 255, 0, true)},
	}
}

// TestProgressiveWorkBound: files of 255 scans that decode to little and
// pass over every block of a 4000×4000 frame cost libjpeg seconds (over ten
// for the refinements) for a few kilobytes: each is ErrTooManyScans, its
// scans reading the blocks more than maxPasses times over, once that much
// was read (BenchmarkCostlyScans weighs it); the same files of 12 scans
// read as libjpeg shows them; one more scan than maxScans is
// ErrTooManyScans.
func TestProgressiveWorkBound(t *testing.T) {
	for _, c := range costlyCases() {
		if _, err := Decode(c.data, 8, 1<<26); !errors.Is(err, ErrTooManyScans) {
			t.Errorf("%s: %v, want ErrTooManyScans", c.name, err)
		}
	}
	likeLibjpeg(t, "restarts, 12 scans", costlyScans(400, 400, 12, 300, false), 1, 8)
	likeLibjpeg(t, "eob-runs-refined, 12 scans", costlyScans(400, 400, 12, 0, true), 1, 8)
	if _, err := Decode(costlyScans(400, 400, maxScans+1, 0, false), 1, 1<<26); !errors.Is(err, ErrTooManyScans) {
		t.Errorf("%d scans: %v, want ErrTooManyScans", maxScans+1, err)
	}
}

// BenchmarkCostlyScans: what TestProgressiveWorkBound's files cost before
// they are refused.
func BenchmarkCostlyScans(b *testing.B) {
	for _, c := range costlyCases() {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Decode(c.data, 8, 1<<26); !errors.Is(err, ErrTooManyScans) {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestMemoryBound: a progressive file whose whole-picture coefficients would
// take more than maxCoefBytes (a 10000×9000 grey frame, a few hundred bytes
// of scans) is ErrTooMuchMemory before libjpeg allocates them, at any
// scale; the same frame's header within the bound reads.
func TestMemoryBound(t *testing.T) {
	if 10000*9000*2 <= maxCoefBytes {
		t.Fatal("the frame is within the bound: the test does not test what it means")
	}
	for _, s := range []int{4, 8} {
		if _, err := Decode(costlyScans(10000, 9000, 2, 0, false), s, 1<<27); !errors.Is(err, ErrTooMuchMemory) {
			t.Errorf("1/%d: %v, want ErrTooMuchMemory", s, err)
		}
	}
	if _, err := Decode(costlyScans(4000, 3000, 2, 0, false), 8, 1<<27); err != nil {
		t.Errorf("4000x3000: %v", err)
	}
}
