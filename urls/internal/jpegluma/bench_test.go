package jpegluma

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"testing"

	"github.com/kensa-milter/kensa/internal/cputime"
)

// BenchmarkDecode: image/jpeg's whole decode against the luma plane alone,
// at each scale, of a photograph-sized JPEG (Go's encoder, 4:2:0, quality 85).
func BenchmarkDecode(b *testing.B) {
	data := encodeGo(b, testPhoto(2048, 1536, 1), 85)
	b.Run("image-jpeg", func(b *testing.B) {
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
		b.Run(fmt.Sprintf("luma-1-%d", s), func(b *testing.B) {
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
