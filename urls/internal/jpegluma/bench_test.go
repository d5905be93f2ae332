package jpegluma

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"testing"

	"github.com/kensa-milter/kensa/internal/cputime"
)

// BenchmarkDecode: image/jpeg's whole decode against the luma plane alone,
// at each scale, of a photograph-sized JPEG (Go's encoder, 4:2:0, quality
// 85), and of the same picture as a progressive JPEG (cjpeg -progressive,
// 4:2:0, quality 85), which image/jpeg alone read before.
func BenchmarkDecode(b *testing.B) {
	photo := testPhoto(2048, 1536, 1)
	bench(b, "", encodeGo(b, photo, 85))
	bench(b, "progressive-", cjpeg(b, photo, false, "-progressive", "-quality", "85"))
}

func bench(b *testing.B, prefix string, data []byte) {
	b.Run(prefix+"image-jpeg", func(b *testing.B) {
		cpu0, n := cputime.Process(), 0
		for b.Loop() {
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
			n++
		}
		cputime.Report(b, cpu0, n, "op")
	})
	for _, s := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("%sluma-1-%d", prefix, s), func(b *testing.B) {
			cpu0, n := cputime.Process(), 0
			for b.Loop() {
				if _, err := Decode(data, s, 1<<24); err != nil {
					b.Fatal(err)
				}
				n++
			}
			cputime.Report(b, cpu0, n, "op")
		})
	}
}
