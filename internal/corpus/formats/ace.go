package formats

import (
	"encoding/binary"
	"hash/crc32"
)

// Ace is an ACE 1.0 archive of stored members, as the format's public notes
// describe WinACE's: a main block with "**ACE**", then a file block and the
// data of each member, every block led by the low half of ACE's CRC-32
// (the IEEE CRC without its final inversion) of the block after its size
// field. Kensa recognises ACE and does not open it; no Debian tool checks
// this writer (Debian's unace lists no member of it).
func Ace(files ...File) []byte {
	le := binary.LittleEndian
	crc := func(b []byte) uint32 { return ^crc32.ChecksumIEEE(b) }
	block := func(h []byte) []byte {
		out := le.AppendUint16(nil, uint16(crc(h)))
		out = le.AppendUint16(out, uint16(len(h)))
		return append(out, h...)
	}
	main := []byte{0, 0, 0} // type 0, no flags
	main = append(main, "**ACE**"...)
	main = append(main, 10, 10, 2, 0) // versions 1.0, made on Windows, volume 0
	main = le.AppendUint32(main, 0x5a8e6a00)
	main = append(main, make([]byte, 8)...) // reserved
	main = append(main, 0)                  // no creator string
	out := block(main)
	for _, f := range files {
		h := []byte{1}
		h = le.AppendUint16(h, 1) // its data follows
		h = le.AppendUint32(h, uint32(len(f.Data)))
		h = le.AppendUint32(h, uint32(len(f.Data)))
		h = le.AppendUint32(h, 0x5a8e6a00)
		h = le.AppendUint32(h, 0x20) // the archive attribute
		h = le.AppendUint32(h, crc(f.Data))
		h = append(h, 0, 0, 0, 0, 0, 0) // stored; quality, parameters, reserved
		h = le.AppendUint16(h, uint16(len(f.Name)))
		h = append(h, f.Name...)
		out = append(append(out, block(h)...), f.Data...)
	}
	return out
}
