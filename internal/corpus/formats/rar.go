package formats

import (
	"encoding/binary"
	"hash/crc32"
)

// RAR archives with stored (uncompressed) members, written from the
// published format notes: there is no free RAR writer.

// File is one member of an archive.
type File struct {
	Name string
	Data []byte
}

// vint is RAR 5's variable-length integer: 7 bits a byte, low bits first.
// rar5File is the file header of a stored RAR 5 member: its name, data's
// size and CRC-32, packed bytes in its data area and extra, its extra area
// (nil for none).
func rar5File(name string, data []byte, packed int, extra []byte) []byte {
	flags := uint64(0x02) // data area follows
	if extra != nil {
		flags |= 0x01 // extra area present
	}
	b := vint(nil, 2) // file header
	b = vint(b, flags)
	if extra != nil {
		b = vint(b, uint64(len(extra)))
	}
	b = vint(b, uint64(packed))    // data size
	b = vint(b, 0x04)              // file flags: CRC32 present
	b = vint(b, uint64(len(data))) // unpacked size
	b = vint(b, 0x20)              // attributes
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(data))
	b = vint(b, 0) // compression: version 0, store
	b = vint(b, 0) // host OS: Windows
	b = vint(b, uint64(len(name)))
	b = append(b, name...)
	return append(b, extra...)
}

func vint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// rar5Header is a RAR 5 block: CRC32 of what follows, size, body.
func rar5Header(body []byte) []byte {
	h := vint(nil, uint64(len(body)))
	h = append(h, body...)
	return append(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(h)), h...)
}

// RAR5 is a RAR 5 archive of files, stored.
func RAR5(files ...File) []byte {
	out := []byte("Rar!\x1A\x07\x01\x00")
	out = append(out, rar5Header([]byte{1, 0, 0})...) // main header: type, flags, archive flags
	for _, f := range files {
		out = append(out, rar5Header(rar5File(f.Name, f.Data, len(f.Data), nil))...)
		out = append(out, f.Data...)
	}
	return append(out, rar5Header([]byte{5, 0, 0})...) // end of archive
}

// rar4Header is a RAR 4 block: low 16 bits of the CRC32 of what follows,
// type, flags, size, the rest.
func rar4Header(typ byte, flags uint16, rest []byte) []byte {
	h := []byte{typ}
	h = binary.LittleEndian.AppendUint16(h, flags)
	h = binary.LittleEndian.AppendUint16(h, uint16(7+len(rest)))
	h = append(h, rest...)
	return append(binary.LittleEndian.AppendUint16(nil, uint16(crc32.ChecksumIEEE(h))), h...)
}

// RAR4 is a RAR 4 (1.5-4.x) archive of files, stored.
func RAR4(files ...File) []byte { return RAR4Flags(0, files...) }

// RAR4Flags is RAR4 with flags added to every file header: 0x200 says the
// name field is an OEM name, a NUL and the encoded Unicode name
// (RAR4Unicode writes one).
func RAR4Flags(flags uint16, files ...File) []byte {
	out := []byte("Rar!\x1A\x07\x00")
	out = append(out, rar4Header(0x73, 0, make([]byte, 6))...) // main header
	for _, f := range files {
		var b []byte
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f.Data))) // packed
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f.Data))) // unpacked
		b = append(b, 2)                                             // host OS: Unix
		b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(f.Data))
		b = binary.LittleEndian.AppendUint32(b, 0x58210000) // DOS time
		b = append(b, 20, 0x30)                             // version 2.0, store
		b = binary.LittleEndian.AppendUint16(b, uint16(len(f.Name)))
		b = binary.LittleEndian.AppendUint32(b, 0x81A4) // attributes: rw-r--r--
		b = append(b, f.Name...)
		out = append(out, rar4Header(0x74, 0x8000|flags, b)...) // file header, ADD_SIZE present
		out = append(out, f.Data...)
	}
	return append(out, rar4Header(0x7B, 0x4000, nil)...) // end of archive
}

// RAR4Unicode is the name field of a RAR 4 file header with flag 0x200:
// the OEM name, a NUL, and name (ASCII or Latin-1) in WinRAR's encoding,
// four characters at a time with a flags byte saying "low byte only".
func RAR4Unicode(oem, name string) string {
	out := []byte(oem + "\x00")
	out = append(out, 0) // high byte
	r := []rune(name)
	for i := 0; i < len(r); i += 4 {
		out = append(out, 0)
		for _, c := range r[i:min(i+4, len(r))] {
			out = append(out, byte(c))
		}
	}
	return string(out)
}
