package urls

import "image"

// mirrored says whether an EXIF orientation (jpegluma.Orientation) mirrors
// the picture (2, 4, 5 or 7): mail clients, browsers and phones show it
// flipped, so a code stored mirrored is shown readable. QR and Aztec
// readers also read mirrored codes, gozxing's Data Matrix reader does not.
func mirrored(orientation int) bool {
	switch orientation {
	case 2, 4, 5, 7:
		return true
	}
	return false
}

// mirror flips g left to right, in place.
func mirror(g *image.Gray) {
	w := g.Rect.Dx()
	for y := 0; y < g.Rect.Dy(); y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for i, j := 0, w-1; i < j; i, j = i+1, j-1 {
			row[i], row[j] = row[j], row[i]
		}
	}
}
