package unpack

import (
	"encoding/binary"
	"errors"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// MS-OVBA 2.4.1: the run-length compression of VBA source and the dir
// stream, written from the specification.

var errOVBA = errors.New("unpack: bad VBA compressed container")

// decompressVBA expands a CompressedContainer, stopping at max bytes.
func decompressVBA(in []byte, max int) ([]byte, error) {
	if len(in) == 0 || in[0] != 1 {
		return nil, errOVBA
	}
	out := make([]byte, 0, min(len(in)*3, max))
	pos := 1
	for pos+2 <= len(in) {
		h := binary.LittleEndian.Uint16(in[pos:])
		size := int(h&0x0FFF) + 3 // including the header
		end := min(pos+size, len(in))
		pos += 2
		start := len(out)
		if h&0x8000 == 0 { // raw chunk: 4096 literal bytes
			n := min(4096, len(in)-pos)
			out = append(out, in[pos:pos+n]...)
			pos += n
			if len(out) > max {
				return out[:max], nil
			}
			continue
		}
		for pos < end {
			flags := in[pos]
			pos++
			for bit := 0; bit < 8 && pos < end; bit++ {
				if flags&(1<<bit) == 0 {
					out = append(out, in[pos])
					pos++
					continue
				}
				if pos+2 > end {
					return out, errOVBA
				}
				tok := binary.LittleEndian.Uint16(in[pos:])
				pos += 2
				diff := len(out) - start
				bits := 4
				for 1<<bits < diff {
					bits++
				}
				if bits > 12 {
					bits = 12
				}
				lengthMask := uint16(0xFFFF) >> bits
				length := int(tok&lengthMask) + 3
				offset := int(tok>>(16-bits)) + 1
				if offset > diff {
					return out, errOVBA
				}
				for i := 0; i < length; i++ {
					out = append(out, out[len(out)-offset])
				}
			}
			if len(out) > max {
				return out[:max], nil
			}
		}
		pos = end
	}
	return out, nil
}

type vbaModule struct {
	name, stream string
	offset       uint32
}

// vbaModules reads the module records of a decompressed dir stream
// (MS-OVBA 2.3.4.2): a run of id/size/data records.
func vbaModules(dir []byte) []vbaModule {
	var mods []vbaModule
	var cur *vbaModule
	for p := 0; p+6 <= len(dir); {
		id := binary.LittleEndian.Uint16(dir[p:])
		size := int(binary.LittleEndian.Uint32(dir[p+2:]))
		p += 6
		if id == 0x0009 { // PROJECTVERSION: its size field says 4, it holds 6
			size = 6
		}
		if size < 0 || size > len(dir)-p {
			break
		}
		data := dir[p : p+size]
		p += size
		switch id {
		case 0x0019: // MODULENAME
			mods = append(mods, vbaModule{name: string(data)})
			cur = &mods[len(mods)-1]
		case 0x0047: // MODULENAMEUNICODE
			if cur != nil {
				if n := strings.TrimRight(message.UTF16LE(data), "\x00"); n != "" {
					cur.name = n
				}
			}
		case 0x001A: // MODULESTREAMNAME
			if cur != nil {
				cur.stream = string(data)
			}
		case 0x0032: // its Unicode form
			if cur != nil {
				if n := strings.TrimRight(message.UTF16LE(data), "\x00"); n != "" {
					cur.stream = n
				}
			}
		case 0x0031: // MODULEOFFSET
			if cur != nil && size >= 4 {
				cur.offset = binary.LittleEndian.Uint32(data)
			}
		case 0x002B: // module terminator
			cur = nil
		}
	}
	return mods
}
