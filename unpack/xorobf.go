package unpack

// XOR obfuscation of Excel workbooks (MS-OFFCRYPTO 2.3.7.1-2.3.7.3, MS-XLS
// 2.2.10): a 16-byte array made from the password (at most 15 single-byte
// characters) is XORed into the record data, each byte rotated; the FILEPASS
// record holds the key and a 16-bit verifier of the password. Excel 95
// wrote it, and Excel still opens it.

var xorInitialCode = [15]uint16{0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E, 0x1872, 0xE139, 0xD40F, 0x84F9, 0x280C, 0xA96A, 0x4EC3}

var xorMatrix = [105]uint16{
	0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09, 0x7B61, 0xF6C2, 0xFDA5, 0xEB6B, 0xC6F7, 0x9DCF, 0x2BBF, 0x4563,
	0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68, 0x5AD0, 0x0375, 0x06EA, 0x0DD4, 0x1BA8, 0x3750, 0x6EA0, 0xDD40, 0xD849, 0xA0B3,
	0x5147, 0xA28E, 0x553D, 0xAA7A, 0x44D5, 0x6F45, 0xDE8A, 0xAD35, 0x4A4B, 0x9496, 0x390D, 0x721A, 0xEB23, 0xC667, 0x9CEF,
	0x29FF, 0x53FE, 0xA7FC, 0x5FD9, 0x47D3, 0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68, 0xF6D0, 0xB861, 0x60E3, 0xC1C6, 0x93AD,
	0x377B, 0x6EF6, 0xDDEC, 0x45A0, 0x8B40, 0x06A1, 0x0D42, 0x1A84, 0x3508, 0x6A10, 0xAA51, 0x4483, 0x8906, 0x022D, 0x045A,
	0x08B4, 0x1168, 0x76B4, 0xED68, 0xCAF1, 0x85C3, 0x1BA7, 0x374E, 0x6E9C, 0x3730, 0x6E60, 0xDCC0, 0xA9A1, 0x4363, 0x86C6,
	0x1DAD, 0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373, 0x06E6, 0x0DCC, 0x1021, 0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48C4,
}

var xorPad = [15]byte{0xBB, 0xFF, 0xFF, 0xBA, 0xFF, 0xFF, 0xB9, 0x80, 0x00, 0xBE, 0x0F, 0x00, 0xBF, 0x0F, 0x00}

// xorPassword is a password as single bytes: the low byte of each UTF-16
// unit (its high byte when the low one is zero), at most 15.
func xorPassword(pw string) []byte {
	var out []byte
	u := utf16LE(pw)
	for i := 0; i+1 < len(u) && len(out) < 15; i += 2 {
		b := u[i]
		if b == 0 {
			b = u[i+1]
		}
		out = append(out, b)
	}
	return out
}

// xorVerifier is CreatePasswordVerifier_Method1 (MS-OFFCRYPTO 2.3.7.1).
func xorVerifier(pw []byte) uint16 {
	var v uint16
	arr := append([]byte{byte(len(pw))}, pw...)
	for i := len(arr) - 1; i >= 0; i-- {
		v = (v>>14)&1 | (v<<1)&0x7FFF
		v ^= uint16(arr[i])
	}
	return v ^ 0xCE4B
}

// xorKey is CreateXorKey_Method1 (MS-OFFCRYPTO 2.3.7.2).
func xorKey(pw []byte) uint16 {
	if len(pw) == 0 {
		return 0
	}
	key := xorInitialCode[len(pw)-1]
	el := len(xorMatrix) - 1
	for i := len(pw) - 1; i >= 0; i-- {
		c := pw[i]
		for range 7 {
			if c&0x40 != 0 {
				key ^= xorMatrix[el]
			}
			c <<= 1
			el--
		}
	}
	return key
}

// xorArray is CreateXorArray_Method1 (MS-OFFCRYPTO 2.3.7.2).
func xorArray(pw []byte) [16]byte {
	key := xorKey(pw)
	hi, lo := byte(key>>8), byte(key)
	ror := func(a, b byte) byte { x := a ^ b; return x>>1 | x<<7 }
	var arr [16]byte
	i := len(pw)
	if i%2 == 1 {
		arr[i] = ror(xorPad[0], hi)
		i--
		arr[i] = ror(pw[len(pw)-1], lo)
	}
	for i > 0 {
		i--
		arr[i] = ror(pw[i], hi)
		i--
		arr[i] = ror(pw[i], lo)
	}
	i = 15
	for pad := 15 - len(pw); pad > 0; {
		arr[i] = ror(xorPad[pad], hi)
		i--
		pad--
		arr[i] = ror(xorPad[pad], lo)
		i--
		pad--
	}
	return arr
}

// xorOpens says whether pw matches a FILEPASS XOR key and verifier, and
// returns its obfuscation array.
func xorOpens(pw string, key, verifier uint16) ([16]byte, bool) {
	p := xorPassword(pw)
	if len(p) == 0 || xorKey(p) != key || xorVerifier(p) != verifier {
		return [16]byte{}, false
	}
	return xorArray(p), true
}

// xorDecryptBIFF undoes XOR obfuscation in a Workbook stream after its
// FILEPASS record, sparing what Excel leaves clear (as rc4DecryptBIFF). A
// record's data starts at index (its offset + its size) mod 16 of the array.
func xorDecryptBIFF(b []byte, arr [16]byte) []byte {
	out := append([]byte(nil), b...)
	biffEncrypted(out, func(data, from, end int) {
		idx := end % 16
		for i := data; i < end; i++ {
			if i >= from {
				v := out[i] ^ arr[idx]
				out[i] = v>>5 | v<<3
			}
			idx = (idx + 1) % 16
		}
	})
	return out
}
