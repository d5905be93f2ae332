// Package crc16 holds the CRC-16s Kensa computes (the standard library has
// CRC-32 and CRC-64 only). Checksum is CRC-16/XMODEM, the CCITT
// polynomial x^16 + x^12 + x^5 + 1 (0x1021), initial value 0, bits not
// reflected: BinHex 4.0 checks its forks with it (package message reads
// them, the corpus writes them), and UDF (ECMA-167 7.2.6) its descriptor
// tags (the corpus writes them). ARC is CRC-16/ARC, the polynomial
// x^16 + x^15 + x^2 + 1 (0x8005) reflected, initial value 0: LHA checks its
// members and level 2 headers with it.
package crc16

// Checksum is the CRC-16/XMODEM of b.
func Checksum(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		crc ^= uint16(c) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

var arcTable = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xa001
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()

// ARC is the CRC-16/ARC of b.
func ARC(b []byte) uint16 { return UpdateARC(0, b) }

// UpdateARC continues a CRC-16/ARC with b.
func UpdateARC(crc uint16, b []byte) uint16 {
	for _, c := range b {
		crc = crc>>8 ^ arcTable[byte(crc)^c]
	}
	return crc
}
