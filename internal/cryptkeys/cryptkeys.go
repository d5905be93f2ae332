// Package cryptkeys holds the key schedules that Kensa's readers (unpack)
// and the test corpus's writers (internal/corpus/formats) share, each
// written once from its specification: ZipCrypto's keys (PKWARE APPNOTE
// 6.1), Excel's XOR obfuscation (MS-OFFCRYPTO 2.3.7) and the Standard
// encryption key of Office files (MS-OFFCRYPTO 2.3.4.7, with the spin hash
// of 2.3.4.11), and the one UTF-16LE encoder they hash passwords with,
// which the corpus's writers and the tests use for any Windows text. Real
// tools hold both sides to them: unpack opens what zip, 7-Zip and
// LibreOffice encrypt, and they open what the corpus writes. Imports
// nothing of ours.
package cryptkeys

import (
	"crypto/sha1"
	"encoding/binary"
	"hash"
	"hash/crc32"
)

// ZipCrypto is the state of traditional PKWARE encryption: its three keys.
type ZipCrypto [3]uint32

// NewZipCrypto is the state after the password.
func NewZipCrypto(pw string) *ZipCrypto {
	k := &ZipCrypto{0x12345678, 0x23456789, 0x34567890}
	for i := 0; i < len(pw); i++ {
		k.Update(pw[i])
	}
	return k
}

func crcByte(crc uint32, b byte) uint32 { return crc32.IEEETable[byte(crc)^b] ^ crc>>8 }

// Update takes one plain byte into the keys.
func (k *ZipCrypto) Update(b byte) {
	k[0] = crcByte(k[0], b)
	k[1] = (k[1]+k[0]&0xff)*134775813 + 1
	k[2] = crcByte(k[2], byte(k[1]>>24))
}

// Stream is the next key-stream byte, XORed with the plain byte.
func (k *ZipCrypto) Stream() byte {
	t := uint16(k[2] | 2)
	return byte(t * (t ^ 1) >> 8)
}

// XOR obfuscation's tables (MS-OFFCRYPTO 2.3.7.2).
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

// XORVerifier is CreatePasswordVerifier_Method1 (MS-OFFCRYPTO 2.3.7.1) of
// a password as single bytes (at most 15).
func XORVerifier(pw []byte) uint16 {
	var v uint16
	arr := append([]byte{byte(len(pw))}, pw...)
	for i := len(arr) - 1; i >= 0; i-- {
		v = (v>>14)&1 | (v<<1)&0x7FFF
		v ^= uint16(arr[i])
	}
	return v ^ 0xCE4B
}

// XORKey is CreateXorKey_Method1 (MS-OFFCRYPTO 2.3.7.2): 0 for no password.
func XORKey(pw []byte) uint16 {
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

// XORArray is CreateXorArray_Method1 (MS-OFFCRYPTO 2.3.7.2): the 16 bytes
// XORed into the data.
func XORArray(pw []byte) [16]byte {
	key := XORKey(pw)
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

// UTF16LE is s as Windows and Office store text: a password as Office
// hashes it, and the names, properties and command lines the corpus's
// writers and the tests write.
func UTF16LE(s string) []byte {
	var b []byte
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			b = binary.LittleEndian.AppendUint16(b, uint16(0xD800+(r>>10)))
			b = binary.LittleEndian.AppendUint16(b, uint16(0xDC00+(r&0x3FF)))
			continue
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(r))
	}
	return b
}

// SpinHash is H(salt + password), then spins rounds of H(iterator + hash)
// (MS-OFFCRYPTO 2.3.4.7 and 2.3.4.11), without allocating per round.
func SpinHash(newHash func() hash.Hash, salt []byte, pw string, spins int) []byte {
	h := newHash()
	h.Write(salt)
	h.Write(UTF16LE(pw))
	buf := make([]byte, 4+h.Size())
	h.Sum(buf[4:4])
	for i := 0; i < spins; i++ {
		binary.LittleEndian.PutUint32(buf, uint32(i))
		h.Reset()
		h.Write(buf)
		h.Sum(buf[4:4])
	}
	return buf[4:]
}

// StandardSpins is Standard encryption's fixed spin count.
const StandardSpins = 50_000

// StandardKey derives a Standard encryption key of n bytes (MS-OFFCRYPTO
// 2.3.4.7).
func StandardKey(pw string, salt []byte, n int) []byte {
	hn := SpinHash(sha1.New, salt, pw, StandardSpins)
	final := sha1.Sum(binary.LittleEndian.AppendUint32(hn, 0))
	var b1, b2 [64]byte
	for i := range b1 {
		b1[i], b2[i] = 0x36, 0x5C
	}
	for i, c := range final {
		b1[i] ^= c
		b2[i] ^= c
	}
	x1, x2 := sha1.Sum(b1[:]), sha1.Sum(b2[:])
	return append(x1[:], x2[:]...)[:n]
}

// UTF16BE is s as big-endian UTF-16 (pages saved so, after their byte
// order mark, in the corpus and the tests).
func UTF16BE(s string) []byte {
	b := UTF16LE(s)
	for i := 0; i+1 < len(b); i += 2 {
		b[i], b[i+1] = b[i+1], b[i]
	}
	return b
}

// XORWord applies Word's XOR obfuscation (MS-OFFCRYPTO 2.3.7.4) to a copy
// of stream b from offset from on, with arr (XORArray of the password):
// each byte XORed with the array's byte at its offset mod 16, except a
// zero byte and a byte equal to the array's. It is its own inverse.
func XORWord(b []byte, from int, arr [16]byte) []byte {
	out := append([]byte(nil), b...)
	for i := max(from, 0); i < len(out); i++ {
		if k := arr[i%16]; out[i] != 0 && out[i] != k {
			out[i] ^= k
		}
	}
	return out
}
