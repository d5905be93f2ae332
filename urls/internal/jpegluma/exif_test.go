package jpegluma

import (
	"bytes"
	"testing"
)

// exifSegment is an APP1 Exif segment holding orientation o, in little- or
// big-endian TIFF.
func exifSegment(o byte, bigEndian bool) []byte {
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, o, 0, 0, 0, 0, 0, 0, 0}
	if bigEndian {
		tiff = []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0, 0, 0, 0, 0}
	}
	seg := append([]byte("Exif\x00\x00"), tiff...)
	return append([]byte{0xff, mAPP1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
}

// TestOrientation: the first Exif APP1 before the first scan decides, found
// by the marker walk libjpeg makes (junk and fill bytes between segments
// passed over); one after the scan, a segment that is not Exif, a broken
// TIFF structure, or none, is 0.
func TestOrientation(t *testing.T) {
	data := encodeGo(t, testPhoto(32, 24, 1), 80)
	sos := bytes.Index(data, []byte{0xff, mSOS})
	at := func(i int, ins ...[]byte) []byte {
		return append(append(bytes.Clone(data[:i]), bytes.Join(ins, nil)...), data[i:]...)
	}
	xmp := []byte{0xff, mAPP1, 0, 8, 'h', 't', 't', 'p', ':', '/'}
	for _, c := range []struct {
		name string
		data []byte
		want int
	}{
		{"none", data, 0},
		{"little-endian 6", at(2, exifSegment(6, false)), 6},
		{"big-endian 2", at(2, exifSegment(2, true)), 2},
		{"after XMP", at(2, xmp, exifSegment(5, false)), 5},
		{"first of two", at(2, exifSegment(7, false), exifSegment(1, false)), 7},
		{"junk before it", at(2, []byte{0, 1, 2}, exifSegment(4, false)), 4},
		{"fill bytes before it", at(2, []byte{0xff, 0xff}, exifSegment(3, true)), 3},
		{"just before the scan", at(sos, exifSegment(8, false)), 8},
		{"after the scan", at(len(data)-2, exifSegment(2, false)), 0},
		{"broken TIFF", at(2, exifSegment(2, false)[:14]), 0},
		{"no SOI", exifSegment(2, false), 0},
	} {
		if got := Orientation(c.data); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}
