package unpack

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Encrypted Office documents (MS-OFFCRYPTO). Excel opens a workbook
// encrypted with the password "VelvetSweatshop" without asking, so droppers
// use it to hide macros from gateways. Kensa tries it first, then the
// passwords the message offers, as for archives, on RC4-encrypted BIFF8
// workbooks. Other encrypted documents (OOXML EncryptedPackage, Word and
// PowerPoint encryption, CryptoAPI) are not opened: they are unscannable
// with the reason encrypted-document.

// ReasonEncryptedDoc is the problem of an encrypted document not opened.
const ReasonEncryptedDoc = "encrypted-document"

// DefaultOfficePassword is what Excel uses when a workbook is encrypted
// without a password.
const DefaultOfficePassword = "VelvetSweatshop"

// rc4Key derives the RC4 key of one 1024-byte block (MS-OFFCRYPTO 2.3.6.2).
func rc4Key(truncated []byte, block uint32) []byte {
	h := md5.New()
	h.Write(truncated)
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], block)
	h.Write(b[:])
	return h.Sum(nil)
}

// rc4Intermediate is the 5-byte hash of password and salt.
func rc4Intermediate(password string, salt []byte) []byte {
	var pw []byte
	for _, u := range utf16.Encode([]rune(password)) {
		pw = binary.LittleEndian.AppendUint16(pw, u)
	}
	h0 := md5.Sum(pw)
	var buf []byte
	for i := 0; i < 16; i++ {
		buf = append(buf, h0[:5]...)
		buf = append(buf, salt...)
	}
	h1 := md5.Sum(buf)
	return h1[:5]
}

// rc4Verify says whether password opens an RC4 encryption header (salt,
// encrypted verifier, encrypted verifier hash: 16 bytes each).
func rc4Verify(password string, hdr []byte) ([]byte, bool) {
	if len(hdr) < 48 {
		return nil, false
	}
	key := rc4Intermediate(password, hdr[:16])
	c, err := rc4.NewCipher(rc4Key(key, 0))
	if err != nil {
		return nil, false
	}
	v := make([]byte, 32)
	c.XORKeyStream(v, hdr[16:48])
	sum := md5.Sum(v[:16])
	return key, bytes.Equal(sum[:], v[16:32])
}

// biffClear are records Excel never encrypts.
var biffClear = map[uint16]bool{0x0809: true, 0x002F: true, 0x00E1: true, 0x0194: true, 0x0195: true, 0x0196: true, 0x0138: true}

// rc4DecryptBIFF decrypts a Workbook stream in place after its FILEPASS
// record: record headers and a few records stay clear, the rest is XORed
// with an RC4 stream re-keyed every 1024 bytes of the stream.
func rc4DecryptBIFF(b []byte, key []byte) []byte {
	out := append([]byte(nil), b...)
	ks := make([]byte, len(b)) // the keystream, block by block
	for off := 0; off < len(ks); off += 1024 {
		c, _ := rc4.NewCipher(rc4Key(key, uint32(off/1024)))
		end := min(off+1024, len(ks))
		c.XORKeyStream(ks[off:end], ks[off:end])
	}
	xor := func(from, to int) {
		for i := from; i < to; i++ {
			out[i] ^= ks[i]
		}
	}
	le := binary.LittleEndian
	seenFilePass := false
	for p, n := 0, 0; p+4 <= len(out) && n < maxBIFFRecords; n++ {
		id := le.Uint16(out[p:])
		size := min(int(le.Uint16(out[p+2:])), len(out)-p-4)
		data := p + 4
		switch {
		case !seenFilePass:
			seenFilePass = id == biffFilePass
		case biffClear[id]:
		case id == biffBoundSheet && size >= 4:
			xor(data+4, data+size) // lbPlyPos stays clear
		default:
			xor(data, data+size)
		}
		p = data + size
	}
	return out
}

// openEncryptedWorkbook tries the default password and the message's on an
// RC4-encrypted Workbook stream; it returns the decrypted stream, or nil.
func (c *container) openEncryptedWorkbook(wb []byte) []byte {
	le := binary.LittleEndian
	var fp []byte
	for p, n := 0, 0; p+4 <= len(wb) && n < 64; n++ {
		id, size := le.Uint16(wb[p:]), int(le.Uint16(wb[p+2:]))
		if id == biffFilePass {
			fp = wb[p+4 : min(p+4+size, len(wb))]
			break
		}
		p += 4 + size
	}
	// RC4 (not CryptoAPI): type 1, version 1.1, then the 48-byte header.
	if len(fp) < 54 || le.Uint16(fp) != 1 || le.Uint16(fp[2:]) != 1 || le.Uint16(fp[4:]) != 1 {
		return nil
	}
	tries := append([]candidate{{DefaultOfficePassword, "default"}}, c.w.candidates()...)
	for _, pw := range tries {
		if c.tries >= c.w.lim.MaxPasswordTries {
			break
		}
		c.tries++
		if key, ok := rc4Verify(pw.text, fp[6:]); ok {
			if pw.source != "default" {
				c.part.UnlockedBy = pw.source
			}
			return rc4DecryptBIFF(wb, key)
		}
	}
	return nil
}

// encryptedOffice says why a compound file is an encrypted document, "" when
// it is not. names are its root stream names.
func encryptedOffice(names map[string][]byte) string {
	if _, ok := names["EncryptedPackage"]; ok {
		return "OOXML document in an EncryptedPackage"
	}
	if wd := names["WordDocument"]; len(wd) >= 12 && binary.LittleEndian.Uint16(wd) == 0xA5EC && binary.LittleEndian.Uint16(wd[10:])&0x0100 != 0 {
		return "encrypted Word document"
	}
	if _, ok := names["EncryptedSummary"]; ok {
		return "encrypted PowerPoint presentation"
	}
	return ""
}

// checkEncryptedOffice records an encrypted document that was not opened.
func (c *container) checkEncryptedOffice(root map[string][]byte) {
	if why := encryptedOffice(root); why != "" {
		c.w.problem(c.part, ReasonEncryptedDoc, fmt.Sprintf("%s %q not opened: no password known", why, strings.TrimSpace(cleanName(baseName(c.part.Filename)))))
	}
}
