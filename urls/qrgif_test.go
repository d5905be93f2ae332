package urls

import (
	"bytes"
	"image"
	"image/gif"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// framesGIF is an animated GIF of n frames, the code in frame at (from 1;
// 0: none), the others blank.
func framesGIF(n, at int) []byte {
	code := formats.QRDesign(qrLure, formats.Design{Level: qrcode.Medium, Module: 4})
	blank := image.NewRGBA(code.Rect)
	for i := range blank.Pix {
		blank.Pix[i] = 0xf0 - uint8(i/4%2) // not one colour: each frame its own picture
	}
	var frames []image.Image
	for i := 1; i <= n; i++ {
		if i == at {
			frames = append(frames, code)
		} else {
			frames = append(frames, blank)
		}
	}
	return formats.AnimatedGIF(10, frames...)
}

// TestGIFHead: the first frames of a GIF are cut out whole and decode; a
// GIF with fewer is itself; a still GIF, junk and a cut GIF are nil.
func TestGIFHead(t *testing.T) {
	b := framesGIF(20, 0)
	head := gifHead(b, maxGIFFrames)
	a, err := gif.DecodeAll(bytes.NewReader(head))
	if err != nil || len(a.Image) != maxGIFFrames {
		t.Fatalf("head of 20 frames: %v, %d frames", err, len(a.Image))
	}
	two := framesGIF(2, 0)
	if h := gifHead(two, maxGIFFrames); !bytes.Equal(h, two) {
		t.Errorf("two frames: %d bytes of %d", len(h), len(two))
	}
	if h := gifHead(framesGIF(1, 0), maxGIFFrames); h != nil {
		t.Errorf("a still GIF: %d bytes, want nil (image.Decode read it)", len(h))
	}
	for _, junk := range [][]byte{nil, []byte("GIF89a"), []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00"), two[:len(two)/2], []byte("PNG")} {
		if h := gifHead(junk, maxGIFFrames); h != nil {
			t.Errorf("%q: %d bytes", junk, len(h))
		}
	}
}

// TestGIFFrameCodes: a code in any of an animated GIF's first
// maxGIFFrames frames is read; one later is not (the bound), and frames
// after the first cost nothing when the first holds the code.
func TestGIFFrameCodes(t *testing.T) {
	longCodeTime(t)
	for _, c := range []struct {
		n, at int
		read  bool
	}{{2, 2, true}, {6, 5, true}, {12, maxGIFFrames, true}, {12, maxGIFFrames + 1, false}, {3, 1, true}, {4, 0, false}} {
		_, codes := codeHosts(&message.Part{Path: "2", Content: framesGIF(c.n, c.at)})
		if got := len(codes.Texts) == 1 && codes.Texts[0] == qrLure; got != c.read {
			t.Errorf("%d frames, code in frame %d: read %v (%+v)", c.n, c.at, got, codes)
		}
	}
}
