package formats

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
)

// CabMethod is how a cabinet folder's data is stored (MS-CAB CFFOLDER
// typeCompress).
type CabMethod uint16

const (
	CabStored CabMethod = 0
	CabMSZIP  CabMethod = 1
	CabLZX    CabMethod = 3 // written as the header says, the data left stored: for tests of what is refused
)

// Cab is a Microsoft cabinet (MS-CAB) of one folder holding the files one
// after the other, as makecab writes it: 32 KiB CFDATA blocks, each MSZIP
// block "CK" and a deflate stream whose matches reach into the blocks
// before it. Windows Explorer opens it as a folder; 7-Zip and bsdtar read
// it too.
func Cab(method CabMethod, files ...File) []byte {
	le := binary.LittleEndian
	var stream []byte
	var entries []byte
	for _, f := range files {
		entries = le.AppendUint32(entries, uint32(len(f.Data)))
		entries = le.AppendUint32(entries, uint32(len(stream)))
		entries = le.AppendUint16(entries, 0)      // folder 0
		entries = le.AppendUint16(entries, 0x5A21) // 2025-01-01
		entries = le.AppendUint16(entries, 0x6000) // 12:00
		attr := uint16(0x20)                       // archive
		for _, r := range f.Name {
			if r >= 0x80 {
				attr |= 0x80 // the name is UTF-8
			}
		}
		entries = le.AppendUint16(entries, attr)
		entries = append(append(entries, f.Name...), 0)
		stream = append(stream, f.Data...)
	}
	var data []byte
	blocks := 0
	for off := 0; off < len(stream) || blocks == 0; off += 32 << 10 {
		chunk := stream[off:min(off+32<<10, len(stream))]
		packed := chunk
		if method == CabMSZIP {
			var b bytes.Buffer
			b.WriteString("CK")
			zw, _ := flate.NewWriterDict(&b, flate.BestCompression, stream[max(0, off-32<<10):off])
			zw.Write(chunk)
			zw.Close()
			packed = b.Bytes()
		}
		data = le.AppendUint32(data, 0) // no checksum
		data = le.AppendUint16(data, uint16(len(packed)))
		data = le.AppendUint16(data, uint16(len(chunk)))
		data = append(data, packed...)
		blocks++
	}
	const headerLen, folderLen = 36, 8
	filesAt := headerLen + folderLen
	dataAt := filesAt + len(entries)
	out := []byte("MSCF")
	out = le.AppendUint32(out, 0)
	out = le.AppendUint32(out, uint32(dataAt+len(data)))
	out = le.AppendUint32(out, 0)
	out = le.AppendUint32(out, uint32(filesAt))
	out = le.AppendUint32(out, 0)
	out = append(out, 3, 1) // version 1.3
	out = le.AppendUint16(out, 1)
	out = le.AppendUint16(out, uint16(len(files)))
	out = le.AppendUint16(out, 0) // flags
	out = le.AppendUint16(out, 0) // set ID
	out = le.AppendUint16(out, 0) // cabinet 0 of the set
	out = le.AppendUint32(out, uint32(dataAt))
	out = le.AppendUint16(out, uint16(blocks))
	out = le.AppendUint16(out, uint16(method))
	return append(append(out, entries...), data...)
}
