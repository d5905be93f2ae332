package urls

import (
	"encoding/binary"
	"image"
)

// exifMirrored says whether the JPEG in b carries an EXIF orientation that
// mirrors the picture (2, 4, 5 or 7): mail clients, browsers and phones show
// it flipped, so a code stored mirrored is shown readable. QR and Aztec
// readers also read mirrored codes, gozxing's Data Matrix reader does not.
// The first EXIF APP1 segment before the scan decides, as in browsers.
func exifMirrored(b []byte) bool {
	if len(b) < 4 || b[0] != 0xff || b[1] != 0xd8 {
		return false
	}
	for p := 2; p+4 <= len(b); {
		if b[p] != 0xff {
			return false
		}
		m := b[p+1]
		if m == 0xff { // fill
			p++
			continue
		}
		if m == 0xda || m == 0xd9 { // the scan: no EXIF after it counts
			return false
		}
		n := int(binary.BigEndian.Uint16(b[p+2:]))
		if n < 2 || p+2+n > len(b) {
			return false
		}
		seg := b[p+4 : p+2+n]
		if m == 0xe1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			o := exifOrientation(seg[6:])
			return o == 2 || o == 4 || o == 5 || o == 7
		}
		p += 2 + n
	}
	return false
}

// exifOrientation is the Orientation tag (0x0112) of the TIFF structure t's
// first IFD, 0 when there is none.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd+2 > int64(len(t)) {
		return 0
	}
	n := int(bo.Uint16(t[ifd:]))
	for i := 0; i < n; i++ {
		e := ifd + 2 + int64(i)*12
		if e+12 > int64(len(t)) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 { // SHORT
			return int(bo.Uint16(t[e+8:]))
		}
	}
	return 0
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
