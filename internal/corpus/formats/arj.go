package formats

import (
	"encoding/binary"
	"hash/crc32"
)

// Arj is an ARJ archive of stored members (method 0), as arj writes with
// -m0: a main header, a header per file with its data, and the end header.
func Arj(files ...File) []byte {
	return ArjGarbled("", files...)
}

// ArjGarbled is Arj with each member garbled with password (arj -g): each
// data byte XORed with a password byte plus the header's modifier byte.
// An empty password garbles nothing.
func ArjGarbled(password string, files ...File) []byte {
	le := binary.LittleEndian
	const modifier = 0x5a
	const dosTime = 0x5a8e6a00 // 2025-04-14 13:16, a fixed date
	header := func(fileType, flags byte, name string, packed, size, crc uint32) []byte {
		h := make([]byte, 30)
		h[0] = 30
		h[1], h[2], h[3] = 11, 1, 0 // arj 3.10's version, version 1 to extract, MS-DOS
		h[4], h[5], h[6] = flags, 0, fileType
		h[7] = modifier
		le.PutUint32(h[8:], dosTime)
		le.PutUint32(h[12:], packed)
		le.PutUint32(h[16:], size)
		le.PutUint32(h[20:], crc)
		le.PutUint16(h[26:], 0x20)                   // the archive attribute
		h = append(append(append(h, name...), 0), 0) // name and an empty comment
		out := le.AppendUint16([]byte{0x60, 0xea}, uint16(len(h)))
		out = append(out, h...)
		out = le.AppendUint32(out, crc32.ChecksumIEEE(h))
		return append(out, 0, 0) // no extended header
	}
	out := header(2, 0, "archive.arj", 0, 0, 0)
	if password != "" {
		out[4+28] = 1 // encryption version: garbled
		h := out[4 : len(out)-6]
		le.PutUint32(out[len(out)-6:], crc32.ChecksumIEEE(h))
	}
	for _, f := range files {
		var flags byte
		data := f.Data
		if password != "" {
			flags = 1
			data = make([]byte, len(f.Data))
			for i, c := range f.Data {
				data[i] = c ^ (password[i%len(password)] + modifier)
			}
		}
		n := uint32(len(data))
		out = append(out, header(0, flags, f.Name, n, n, crc32.ChecksumIEEE(f.Data))...)
		out = append(out, data...)
	}
	return append(out, 0x60, 0xea, 0, 0)
}
