package unpack

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// OneNote (.one, MS-ONESTORE 2.6.13): each embedded file is a
// FileDataStoreObject: the GUID below, a 64-bit length, 12 reserved bytes,
// then the file's bytes.

const (
	oneNoteFileGUID  = "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3" // {7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}
	oneNoteStoreGUID = "\xE7\x16\xE3\xBD\x65\x26\x11\x45\xA4\xC4\x8D\x4D\x0B\x7A\x9E\xAC" // {BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC}
)

func openOneNote(c *container) error {
	b := c.part.Content
	n := 0
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(oneNoteStoreGUID))
		if i < 0 {
			return nil
		}
		start := off + i + 16
		if start+20 > len(b) {
			return nil
		}
		size := binary.LittleEndian.Uint64(b[start:])
		data := start + 20
		end := len(b)
		if size < uint64(len(b)-data) {
			end = data + int(size)
		}
		off = end
		n++
		if _, err := c.member(fmt.Sprintf("embedded-%d", n), bytes.NewReader(b[data:end]), int64(end-data)); err == errStop {
			return err
		}
	}
}
