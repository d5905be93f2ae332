package formats

import (
	"encoding/binary"
	"hash/crc32"
	"unicode/utf16"
)

// SevenZip is a 7z archive of one file, stored (the Copy coder) with its
// header uncompressed, written from the 7z format notes (7zFormat.txt);
// attrib is its Windows attributes: 0x10 (folder) makes the trick of an
// item with data marked as a folder.
func SevenZip(name string, data []byte, attrib uint32) []byte {
	n := sevenNumber
	h := []byte{0x01, 0x04}                                            // Header, MainStreamsInfo
	h = append(append(append(h, 0x06), n(0)...), n(1)...)              // PackInfo: position 0, one stream
	h = append(append(append(h, 0x09), n(uint64(len(data)))...), 0x00) // its size; end
	h = append(h, 0x07, 0x0B)                                          // UnpackInfo, Folder
	h = append(append(h, n(1)...), 0x00)                               // one folder, not external
	h = append(h, 0x01, 0x01, 0x00)                                    // one coder: id of 1 byte, Copy (0)
	h = append(append(append(h, 0x0C), n(uint64(len(data)))...), 0x00) // CodersUnpackSize; end
	h = append(h, 0x08, 0x0A, 0x01)                                    // SubStreamsInfo, CRC, all defined
	h = binary.LittleEndian.AppendUint32(h, crc32.ChecksumIEEE(data))
	h = append(h, 0x00, 0x00) // end of SubStreamsInfo, of MainStreamsInfo
	var u []byte
	for _, c := range utf16.Encode([]rune(name)) {
		u = binary.LittleEndian.AppendUint16(u, c)
	}
	u = append(u, 0, 0)
	h = append(append(h, 0x05), n(1)...)                              // FilesInfo: one file
	h = append(append(append(h, 0x11), n(uint64(len(u)+1))...), 0x00) // Name, size, not external
	h = append(h, u...)
	h = append(h, 0x15, 0x06, 0x01, 0x00) // WinAttributes, size, all defined, not external
	h = binary.LittleEndian.AppendUint32(h, attrib)
	h = append(h, 0x00, 0x00) // end of FilesInfo, of Header

	start := make([]byte, 20)
	binary.LittleEndian.PutUint64(start, uint64(len(data))) // next header after the data
	binary.LittleEndian.PutUint64(start[8:], uint64(len(h)))
	binary.LittleEndian.PutUint32(start[16:], crc32.ChecksumIEEE(h))
	out := []byte{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C, 0, 4}
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(start))
	out = append(out, start...)
	out = append(out, data...)
	return append(out, h...)
}

// sevenNumber is 7z's NUMBER: the count of leading one bits of the first
// byte says how many bytes follow (little-endian); the rest of the first
// byte holds the highest bits.
func sevenNumber(v uint64) []byte {
	for extra := 0; extra < 8; extra++ {
		if v < 1<<(7*extra+7) { // 7-extra bits in the first byte, 8 in each other
			first := byte(0xFF<<(8-extra)) | byte(v>>(8*extra))
			out := []byte{first}
			for i := 0; i < extra; i++ {
				out = append(out, byte(v>>(8*i)))
			}
			return out
		}
	}
	return append([]byte{0xFF}, binary.LittleEndian.AppendUint64(nil, v)...)
}
