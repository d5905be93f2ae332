package formats

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"

	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz/lzma"
)

// Lzip is data as one lzip member (.lz): the header (a 64 KiB
// dictionary), the LZMA stream with its end marker, and the trailer (the
// data's CRC-32 and size, the member's size). Checked with lzip -t.
func Lzip(data []byte) []byte {
	var b bytes.Buffer
	w, err := lzma.WriterConfig{DictCap: 1 << 16, EOSMarker: true}.NewWriter(&b)
	if err != nil {
		panic(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		panic(err)
	}
	out := append([]byte("LZIP\x01\x10"), b.Bytes()[lzma.HeaderLen:]...)
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(data))
	out = binary.LittleEndian.AppendUint64(out, uint64(len(data)))
	return binary.LittleEndian.AppendUint64(out, uint64(len(out)+8)) // with these 8 bytes
}

// Lz4 is data as one lz4 frame (independent blocks, content checksum), as
// pierrec/lz4 writes it. Checked with lz4 -t.
func Lz4(data []byte) []byte {
	var b bytes.Buffer
	w := lz4.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}
