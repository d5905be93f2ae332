package urls

import (
	"image"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
)

// BenchmarkCodesColourPictures is the code search of colour pictures
// without a code, as newsletters carry them: an animated GIF banner
// (600×200, 12 frames of shaded text moving across: each frame after the
// first is searched, up to maxGIFFrames), one still frame of it as a GIF,
// and a colour screenshot as an RGBA PNG.
func BenchmarkCodesColourPictures(b *testing.B) {
	frame := func(w, h, f int) *image.RGBA {
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				i := m.PixOffset(x, y)
				v := uint8(120 + (x+y)%1200/10)
				if y%100 > 70 && y%100 < 90 && (x+f*40)%60 < 40 && (x/7+y/9)%3 != 0 { // "words" sliding by
					v = 30
				}
				m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = v, v/2, 200-v/2, 255
			}
		}
		return m
	}
	var frames []image.Image
	for f := 0; f < 12; f++ {
		frames = append(frames, frame(600, 200, f))
	}
	for _, c := range []struct {
		name string
		b    []byte
	}{
		{"gif-banner-12-frames", formats.AnimatedGIF(10, frames...)},
		{"gif-still", formats.AnimatedGIF(10, frames[0])},
		{"png-rgba-1200x800", encodePNG(b, frame(1200, 800, 0))},
	} {
		b.Run(c.name, func(b *testing.B) {
			cputime.Each(b, 1, "picture", func() {
				CodeURLs(&message.Part{Path: "2", Content: c.b}, NewCodeBudget())
			})
		})
	}
}
