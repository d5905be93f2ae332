package urls

import (
	"bytes"
	"image"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// rgbStoredJPEG is a JPEG whose three planes are red (full everywhere),
// green and blue (the code's grey levels): a reader that takes them for
// Y, Cb and Cr sees a white picture, libjpeg red modules on white. An
// Adobe marker says RGB (transform 0); a short APP0 "JFIF\0" segment, which
// image/jpeg takes for a JFIF marker and libjpeg does not, comes first.
func rgbStoredJPEG(t *testing.T, code *image.Gray) []byte {
	t.Helper()
	r := code.Rect
	m := image.NewYCbCr(r, image.YCbCrSubsampleRatio444)
	for i := range m.Y {
		m.Y[i], m.Cb[i], m.Cr[i] = 255, code.Pix[i], code.Pix[i]
	}
	data := encodeJPEG(t, m, 90)
	shortJFIF := []byte{0xff, 0xe0, 0, 7, 'J', 'F', 'I', 'F', 0}
	adobe := []byte{0xff, 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0}
	return append(append(append(bytes.Clone(data[:2]), shortJFIF...), adobe...), data[2:]...)
}

// TestCodeURLsStoredRGBJPEG: a code in the green and blue planes of a JPEG
// stored as RGB, behind an APP0 segment image/jpeg calls JFIF and libjpeg
// does not: mail clients show red modules on white; the search must see
// them, not the white red plane taken for luma.
func TestCodeURLsStoredRGBJPEG(t *testing.T) {
	data := rgbStoredJPEG(t, formats.QRImage(qrLure, 300))
	hs, c := codeHosts(&message.Part{Path: "2", Content: data})
	if len(hs) != 1 || hs[0] != "login.rnicrosoft.com/qr" {
		t.Errorf("found %v (%+v)", hs, c)
	}
}
