package unpack

import "github.com/kensa-milter/kensa/internal/cryptkeys"

// XOR obfuscation of Excel workbooks (MS-OFFCRYPTO 2.3.7.1-2.3.7.3, MS-XLS
// 2.2.10): a 16-byte array made from the password (at most 15 single-byte
// characters) is XORed into the record data, each byte rotated; the FILEPASS
// record holds the key and a 16-bit verifier of the password. Excel 95
// wrote it, and Excel still opens it.

// xorPassword is a password as single bytes: the low byte of each UTF-16
// unit (its high byte when the low one is zero), at most 15.
func xorPassword(pw string) []byte {
	var out []byte
	u := cryptkeys.UTF16LE(pw)
	for i := 0; i+1 < len(u) && len(out) < 15; i += 2 {
		b := u[i]
		if b == 0 {
			b = u[i+1]
		}
		out = append(out, b)
	}
	return out
}

// xorOpens says whether pw matches a FILEPASS XOR key and verifier, and
// returns its obfuscation array.
func xorOpens(pw string, key, verifier uint16) ([16]byte, bool) {
	p := xorPassword(pw)
	if len(p) == 0 || cryptkeys.XORKey(p) != key || cryptkeys.XORVerifier(p) != verifier {
		return [16]byte{}, false
	}
	return cryptkeys.XORArray(p), true
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

// XOR obfuscation of Word documents (MS-DOC 2.2.6.1, MS-OFFCRYPTO 2.3.7.4):
// the FIB's lKey holds the key (high 16 bits) and the verifier (low 16
// bits) of the password, made as for Excel; each byte of the WordDocument
// stream after the FIB base, and of the Table and Data streams from their
// start, is XORed with the array's byte at its offset mod 16, except a
// zero byte and a byte equal to the array's (which would become zero).
// Word 6 to 2003 open it; LibreOffice too (TestXORWordLibreOffice). The
// transform is cryptkeys.XORWord, applied in openEncryptedWord.
