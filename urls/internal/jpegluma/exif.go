package jpegluma

import "encoding/binary"

// Orientation is the EXIF orientation (1 to 8, 0 when there is none) of the
// JPEG in data: the Orientation tag of the first Exif APP1 segment before
// the picture's first scan, found by the marker walk Decode makes (bytes
// between segments and fill bytes passed over as libjpeg does). Mail
// clients, browsers and phones show the picture turned or mirrored by it.
func Orientation(data []byte) int {
	d := &decoder{data: data, exifOnly: true}
	d.decode() // its error only says where the walk stopped
	return d.orientation
}

// exifOrientation is the Orientation tag (0x0112, a SHORT) of the first IFD
// of the TIFF structure t, 0 when there is none.
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
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 {
			return int(bo.Uint16(t[e+8:]))
		}
	}
	return 0
}
