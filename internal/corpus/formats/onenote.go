package formats

import (
	"encoding/binary"
	"unicode/utf16"
)

// OneNoteFile is a file embedded in a OneNote section. Name, when set, is
// written as the EmbeddedFileName of a jcidEmbeddedFileNode's property set.
// Unstored leaves its data out: no FileDataStoreObject in OneNote; in
// OneNotePackaged, file data excluded from the package. In OneNotePackaged,
// Inline writes the data in its object group rather than in an object data
// BLOB, and Picture makes it a picture (jcidPictureContainer14) rather than
// an embedded file.
type OneNoteFile struct {
	Name     string
	Data     []byte
	Unstored bool
	Inline   bool
	Picture  bool
}

// OneNote builds a OneNote section (MS-ONESTORE) as far as Kensa reads one:
// the file GUID, a page text property set holding text (when set), each
// named file's property set (MS-ONE jcidEmbeddedFileNode: an
// EmbeddedFileContainer reference, the EmbeddedFileName and a four-byte
// property), then each file as a FileDataStoreObject: its GUID, a 64-bit
// length, 12 reserved bytes and the bytes.
func OneNote(text string, files ...OneNoteFile) []byte {
	const (
		fileGUID  = "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3"
		storeGUID = "\xE7\x16\xE3\xBD\x65\x26\x11\x45\xA4\xC4\x8D\x4D\x0B\x7A\x9E\xAC"
	)
	b := []byte(fileGUID)
	b = append(b, make([]byte, 112)...)
	if text != "" { // RichEditTextUnicode (0x1C001C22) and a four-byte property
		b = binary.LittleEndian.AppendUint16(b, 2)
		b = binary.LittleEndian.AppendUint32(b, 0x1C001C22)
		b = binary.LittleEndian.AppendUint32(b, 0x14001C3F)
		b = oneNoteString(b, text)
		b = binary.LittleEndian.AppendUint32(b, 0)
	}
	for _, f := range files {
		if f.Name == "" {
			continue
		}
		b = binary.LittleEndian.AppendUint16(b, 3)
		b = binary.LittleEndian.AppendUint32(b, 0x20001D9B) // EmbeddedFileContainer: an ObjectID, no data here
		b = binary.LittleEndian.AppendUint32(b, 0x1C001D9C) // EmbeddedFileName
		b = binary.LittleEndian.AppendUint32(b, 0x14001C01) // a four-byte value
		b = oneNoteString(b, f.Name)
		b = binary.LittleEndian.AppendUint32(b, 0x42)
	}
	for _, f := range files {
		if f.Unstored {
			continue
		}
		b = append(b, storeGUID...)
		b = binary.LittleEndian.AppendUint64(b, uint64(len(f.Data)))
		b = append(b, make([]byte, 12)...)
		b = append(b, f.Data...)
		b = append(b, make([]byte, 8)...)
	}
	return b
}

// oneNoteString appends s as a prtFourBytesOfLengthFollowedByData value:
// its length in bytes, then UTF-16LE.
func oneNoteString(b []byte, s string) []byte {
	u := utf16.Encode([]rune(s))
	b = binary.LittleEndian.AppendUint32(b, uint32(2*len(u)))
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}
