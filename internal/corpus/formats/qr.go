package formats

import (
	"image"
	"image/color"

	qrcode "github.com/skip2/go-qrcode"
)

// QRImage draws text as a QR code (error correction level M) px pixels
// wide, black on white, with its quiet zone.
func QRImage(text string, px int) *image.Gray {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		panic(err) // a text too long for a code: a bug in the caller
	}
	img := q.Image(px)
	g := image.NewGray(img.Bounds())
	for y := 0; y < px; y++ {
		for x := 0; x < px; x++ {
			g.Set(x, y, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	return g
}

// QRImageModules is QRImage with modules of exactly module pixels.
func QRImageModules(text string, module int) *image.Gray {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		panic(err)
	}
	return QRImage(text, (17+4*q.VersionNumber+8)*module) // with its quiet zone of 4 modules a side
}
