// Package crc16 is the one CRC-16 Kensa computes: CRC-16/XMODEM, the CCITT
// polynomial x^16 + x^12 + x^5 + 1 (0x1021), initial value 0, bits not
// reflected. BinHex 4.0 checks its forks with it (package message reads
// them, the corpus writes them), and UDF (ECMA-167 7.2.6) its descriptor
// tags (the corpus writes them). The standard library has CRC-32 and
// CRC-64 only.
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
