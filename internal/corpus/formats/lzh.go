package formats

import (
	"encoding/binary"

	"github.com/kensa-milter/kensa/internal/crc16"
)

// Lzh is an LHA archive of stored (-lh0-) members with headers of level
// (0 to 3), as LHA writes them: a name with folders is split into a
// folder extended header (0xFF between its parts) and a file name in
// levels 1 to 3, kept whole in level 0.
func Lzh(level int, files ...File) []byte {
	le := binary.LittleEndian
	const dosTime = 0x5a8e6a00
	var out []byte
	for _, f := range files {
		dir, name := "", f.Name
		for i := len(name) - 1; i >= 0 && level > 0; i-- {
			if name[i] == '/' {
				dir, name = name[:i], name[i+1:]
				break
			}
		}
		// Extended headers: the folder, then the end (a zero size).
		var exts [][]byte
		if dir != "" {
			d := []byte(dir)
			for i := range d {
				if d[i] == '/' {
					d[i] = 0xff
				}
			}
			exts = append(exts, append([]byte{0x02}, append(d, 0xff)...))
		}
		if level >= 2 {
			exts = append(exts, append([]byte{0x01}, name...))
		}
		sizeLen := 2
		if level == 3 {
			sizeLen = 4
		}
		putSize := func(b []byte, n int) []byte {
			if sizeLen == 4 {
				return le.AppendUint32(b, uint32(n))
			}
			return le.AppendUint16(b, uint16(n))
		}
		// Each extended header ends with the size of the next one.
		var extBytes []byte
		firstExt := 0
		for i, x := range exts {
			if i == 0 {
				firstExt = len(x) + sizeLen
			}
			extBytes = append(extBytes, x...)
			next := 0
			if i+1 < len(exts) {
				next = len(exts[i+1]) + sizeLen
			}
			extBytes = putSize(extBytes, next)
		}
		n := uint32(len(f.Data))
		crc := crc16.ARC(f.Data)
		var h []byte
		switch level {
		case 0, 1:
			h = append([]byte{0, 0}, "-lh0-"...)
			packed := n
			if level == 1 {
				packed += uint32(len(extBytes))
			}
			h = le.AppendUint32(h, packed)
			h = le.AppendUint32(h, n)
			h = le.AppendUint32(h, dosTime)
			h = append(h, 0x20, byte(level), byte(len(name)))
			h = append(h, name...)
			h = le.AppendUint16(h, crc)
			if level == 1 {
				h = append(h, 'M') // MS-DOS
				h = le.AppendUint16(h, uint16(firstExt))
			}
			h[0] = byte(len(h) - 2)
			var sum byte
			for _, c := range h[2:] {
				sum += c
			}
			h[1] = sum
			h = append(h, extBytes...)
		default:
			h = []byte{0, 0} // the total size (level 2) or word size (level 3), set below
			h = append(h, "-lh0-"...)
			h = le.AppendUint32(h, n)
			h = le.AppendUint32(h, n)
			h = le.AppendUint32(h, 1744636800) // 2025-04-14, Unix time
			h = append(h, 0x20, byte(level))
			h = le.AppendUint16(h, crc)
			h = append(h, 'U')
			if level == 3 {
				h = le.AppendUint32(h, 0) // the total size, set below
			}
			h = putSize(h, firstExt)
			h = append(h, extBytes...)
			if level == 2 {
				le.PutUint16(h, uint16(len(h)))
			} else {
				le.PutUint16(h, 4)
				le.PutUint32(h[24:], uint32(len(h)))
			}
		}
		out = append(append(out, h...), f.Data...)
	}
	return append(out, 0)
}
