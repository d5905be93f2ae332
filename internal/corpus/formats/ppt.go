package formats

import (
	"encoding/binary"
	"hash/adler32"
)

// PowerPoint 97-2003 presentations (MS-PPT): a "PowerPoint Document" stream
// of records whose ExOleObjStg atoms hold compound files (the VBA project,
// embedded objects), zlib-compressed, and a "Current User" stream.

func pptRec(verInst uint16, typ uint16, body []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, verInst)
	b = binary.LittleEndian.AppendUint16(b, typ)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}

// storedZlib is a zlib stream of stored deflate blocks: the same bytes on
// every Go version.
func storedZlib(data []byte) []byte {
	sum := adler32.Checksum(data)
	b := []byte{0x78, 0x01}
	for len(data) > 0 || len(b) == 2 {
		n := min(len(data), 65535)
		final := byte(0)
		if n == len(data) {
			final = 1
		}
		b = append(b, final)
		b = binary.LittleEndian.AppendUint16(b, uint16(n))
		b = binary.LittleEndian.AppendUint16(b, ^uint16(n))
		b = append(b, data[:n]...)
		data = data[n:]
	}
	return binary.BigEndian.AppendUint32(b, sum)
}

// ExOleObjStg is the compressed atom holding a compound file.
func ExOleObjStg(storage []byte) []byte {
	body := binary.LittleEndian.AppendUint32(nil, uint32(len(storage)))
	return pptRec(0x0010, 0x1011, append(body, storedZlib(storage)...)) // recInstance 1: compressed
}

// PPT is a presentation whose document stream carries the VBA project (a
// vbaProject.bin compound file, nil for none) and the embedded storages.
func PPT(vbaProject []byte, embedded ...[]byte) []byte {
	doc := pptRec(0x0001, 0x03E9, make([]byte, 40)) // DocumentAtom
	var atoms []byte
	n := uint32(1)
	if vbaProject != nil {
		info := binary.LittleEndian.AppendUint32(nil, n) // persistIdRef
		info = binary.LittleEndian.AppendUint32(info, 1) // fHasMacros
		info = binary.LittleEndian.AppendUint32(info, 2) // version
		doc = append(doc, pptRec(0x000F, 0x03FF, pptRec(0x0020, 0x0400, info))...)
		atoms = append(atoms, ExOleObjStg(vbaProject)...)
	}
	for _, e := range embedded {
		atoms = append(atoms, ExOleObjStg(e)...)
	}
	stream := append(pptRec(0x000F, 0x03E8, doc), atoms...)
	cu := binary.LittleEndian.AppendUint32(nil, 20) // CurrentUserAtom size
	cu = binary.LittleEndian.AppendUint32(cu, 0xE391C05F)
	cu = binary.LittleEndian.AppendUint32(cu, 0) // offsetToCurrentEdit
	cu = append(cu, 0, 0, 0xF4, 0x03, 3, 0, 0, 0)
	if len(stream) < 4096 {
		stream = append(stream, make([]byte, 4096-len(stream))...)
	}
	return CFB([]CFBEntry{
		{Name: "PowerPoint Document", Parent: -1, Data: stream},
		{Name: "Current User", Parent: -1, Data: pptRec(0x0000, 0x0FF6, cu)},
	})
}
