package formats

import "encoding/binary"

// WordStreams are the WordDocument and 1Table streams of a Word 97-2003
// document whose text is text (MS-DOC): a FIB that names 1Table and gives
// the main text's length, the characters from offset 1024 as one piece
// of 8-bit (Windows-1252, "compressed") characters, and the piece table
// (a Clx of one Pcdt) at the start of the table stream. Characters outside
// Latin-1 are written '?'. Control characters are written as they are:
// 0x0D ends a paragraph, 0x13, 0x14 and 0x15 mark a field.
func WordStreams(text string) (wd, table []byte) {
	le := binary.LittleEndian
	const at = 1024 // where the text starts
	var chars []byte
	for _, r := range text {
		if r > 0xFF {
			r = '?'
		}
		chars = append(chars, byte(r))
	}
	wd = make([]byte, at+len(chars))
	le.PutUint16(wd, 0xA5EC)        // wIdent
	le.PutUint16(wd[2:], 0x00C1)    // nFib: Word 97
	le.PutUint16(wd[6:], 0x0409)    // lid
	le.PutUint16(wd[0x0A:], 0x0200) // fWhichTblStm: 1Table
	le.PutUint16(wd[0x0C:], 0x00BF) // nFibBack
	le.PutUint16(wd[32:], 14)       // csw, then FibRgW97
	le.PutUint16(wd[62:], 22)       // cslw, then FibRgLw97
	le.PutUint32(wd[64:], uint32(len(wd)))
	le.PutUint32(wd[64+12:], uint32(len(chars))) // ccpText
	le.PutUint16(wd[152:], 0x5D)                 // cbRgFcLcb: FibRgFcLcb97
	le.PutUint32(wd[154+33*8:], 0)               // fcClx
	copy(wd[at:], chars)
	// Clx: a Pcdt holding the PlcPcd: character positions 0 and n, then
	// one Pcd whose fc (compressed) is twice the offset.
	plc := le.AppendUint32(nil, 0)
	plc = le.AppendUint32(plc, uint32(len(chars)))
	plc = le.AppendUint16(plc, 0)
	plc = le.AppendUint32(plc, 0x40000000|at*2)
	plc = le.AppendUint16(plc, 0)
	table = append([]byte{0x02}, le.AppendUint32(nil, uint32(len(plc)))...)
	table = append(table, plc...)
	le.PutUint32(wd[154+33*8+4:], uint32(len(table))) // lcbClx
	if len(table) < 512 {
		table = append(table, make([]byte, 512-len(table))...)
	}
	return wd, table
}
