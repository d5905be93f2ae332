package corpus

import (
	"bytes"
	"encoding/binary"
	"slices"
)

// jpegWith is jpg with a comment segment holding com before its first scan
// header (when com is not empty) and data put at the start of its first
// scan's entropy-coded data: where a payload sits that only a JPEG decoder
// reads, or that a reader of the file as text finds.
func jpegWith(jpg []byte, com, data string) []byte {
	sos := bytes.Index(jpg, []byte{0xFF, 0xDA})
	if sos < 0 {
		panic("corpus: no scan header in the JPEG")
	}
	scan := sos + 2 + int(binary.BigEndian.Uint16(jpg[sos+2:]))
	var seg []byte
	if com != "" {
		seg = binary.BigEndian.AppendUint16([]byte{0xFF, 0xFE}, uint16(2+len(com)))
		seg = append(seg, com...)
	}
	return slices.Concat(jpg[:sos], seg, jpg[sos:scan], []byte(data), jpg[scan:])
}
