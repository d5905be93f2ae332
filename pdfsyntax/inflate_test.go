package pdfsyntax

import (
	"bytes"
	stdzlib "compress/zlib"
	"fmt"
	"io"
	"math/rand"
	"sync"
	"testing"

	"github.com/kensa-milter/kensa/internal/cputime"
)

// inflateRef is Inflate's specification: compress/zlib's reader, read to
// its end or to limit bytes, errors after the header ignored.
func inflateRef(data []byte, limit int) ([]byte, bool) {
	if limit <= 0 {
		return nil, true
	}
	zr, err := stdzlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	out, _ := io.ReadAll(io.LimitReader(zr, int64(limit)))
	return out, true
}

func checkInflate(t *testing.T, data []byte, limit int) {
	t.Helper()
	got, gotOK := Inflate(data, limit)
	want, wantOK := inflateRef(data, limit)
	if gotOK != wantOK || !bytes.Equal(got, want) {
		t.Fatalf("Inflate(%d bytes, %d) = %d bytes, %v; compress/zlib gives %d bytes, %v", len(data), limit, len(got), gotOK, len(want), wantOK)
	}
}

// pageStream is a content stream like a page's: text and path operators.
func pageStream(r *rand.Rand, n int) []byte {
	var b bytes.Buffer
	for b.Len() < n {
		switch r.Intn(3) {
		case 0:
			fmt.Fprintf(&b, "BT /F1 %d Tf %d %d Td (Invoice %d) Tj ET\n", 8+r.Intn(8), r.Intn(600), r.Intn(800), r.Intn(100000))
		case 1:
			fmt.Fprintf(&b, "%d %d %d %d re f\n", r.Intn(600), r.Intn(800), 1+r.Intn(9), 1+r.Intn(9))
		default:
			fmt.Fprintf(&b, "%.3f g q 1 0 0 1 %d %d cm /Im%d Do Q\n", r.Float64(), r.Intn(600), r.Intn(800), r.Intn(9))
		}
	}
	return b.Bytes()
}

func deflate(t testing.TB, b []byte, level int) []byte {
	var z bytes.Buffer
	w, err := stdzlib.NewWriterLevel(&z, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return z.Bytes()
}

// Inflate gives what compress/zlib gives, on whole, cut, damaged and
// foreign streams, at every limit.
func TestInflate(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	plain := pageStream(r, 48<<10)
	for _, level := range []int{0, 1, 6, 9} {
		z := deflate(t, plain, level)
		for _, limit := range []int{0, 1, 100, len(plain) - 1, len(plain), len(plain) + 1, 1 << 30} {
			checkInflate(t, z, limit)
			checkInflate(t, z[:len(z)/2], limit) // cut
			checkInflate(t, z[:len(z)-2], limit) // checksum cut
		}
		bad := bytes.Clone(z)
		bad[len(bad)-1] ^= 1 // wrong checksum: the bytes still come out
		checkInflate(t, bad, 1<<30)
		if got, _ := Inflate(bad, 1<<30); !bytes.Equal(got, plain) {
			t.Fatalf("level %d, wrong checksum: %d bytes, want all %d", level, len(got), len(plain))
		}
		for range 30 { // damage anywhere
			bad := bytes.Clone(z)
			bad[2+r.Intn(len(bad)-2)] ^= byte(1 + r.Intn(255))
			checkInflate(t, bad, 1<<30)
		}
	}
	for _, data := range [][]byte{nil, {0x78}, {0x78, 0x9c}, {0x78, 0xbb, 0, 0, 0, 0}, []byte("not zlib at all"), {0x08, 0x1d, 3, 0}} {
		checkInflate(t, data, 1<<20)
	}
}

func FuzzInflate(f *testing.F) {
	r := rand.New(rand.NewSource(2))
	for _, n := range []int{0, 10, 1000} {
		f.Add(deflate(f, pageStream(r, n), 6), 1<<20)
		f.Add(deflate(f, pageStream(r, n), 0), 37)
	}
	f.Add([]byte{0x78, 0x9c, 0xff}, 10)
	f.Fuzz(func(t *testing.T, data []byte, limit int) {
		checkInflate(t, data, limit%(4<<20))
	})
}

// inflatePooledStd is how urls read page streams before Inflate: a
// pooled compress/zlib reader.
func inflatePooledStd(data []byte, limit int) ([]byte, bool) {
	zr, ok := stdPool.Get().(io.ReadCloser)
	if ok {
		if err := zr.(stdzlib.Resetter).Reset(bytes.NewReader(data), nil); err != nil {
			stdPool.Put(zr)
			return nil, false
		}
	} else {
		var err error
		if zr, err = stdzlib.NewReader(bytes.NewReader(data)); err != nil {
			return nil, false
		}
	}
	out, _ := io.ReadAll(io.LimitReader(zr, int64(limit)))
	stdPool.Put(zr)
	return out, true
}

var stdPool sync.Pool

// BenchmarkInflate reads deflated page streams of a few sizes, with
// Inflate and with a pooled compress/zlib reader as before
// (benchstat -col /inflater).
func BenchmarkInflate(b *testing.B) {
	r := rand.New(rand.NewSource(3))
	var streams [][]byte
	size := 0
	for _, n := range []int{300, 2 << 10, 8 << 10, 40 << 10, 200 << 10} {
		for range 4 {
			p := pageStream(r, n)
			size += len(p)
			streams = append(streams, deflate(b, p, 6))
		}
	}
	for _, impl := range []struct {
		name string
		f    func([]byte, int) ([]byte, bool)
	}{{"compress-zlib", inflatePooledStd}, {"klauspost", Inflate}} {
		b.Run("inflater="+impl.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			cputime.Each(b, 1, "op", func() {
				for _, s := range streams {
					impl.f(s, 32<<20)
				}
			})
		})
	}
}
