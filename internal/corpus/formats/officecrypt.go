package formats

import (
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"encoding/binary"
)

// RC4-encrypted Office 97-2003 documents (MS-OFFCRYPTO 2.3.5, 2.3.6): Excel
// workbooks and Word documents, with legacy RC4 (MD5, what Office 97 and
// LibreOffice write) or RC4 CryptoAPI (SHA-1, 40- or 128-bit keys, what
// Office 2003 and later write), under a password or under "VelvetSweatshop",
// which Excel opens without asking. Salts and verifiers are fixed, so the
// bytes are the same each run.

func rc4BlockKey(trunc []byte, block uint32) []byte {
	h := md5.New()
	h.Write(trunc)
	h.Write(binary.LittleEndian.AppendUint32(nil, block))
	return h.Sum(nil)
}

// rc4Legacy is the encryption header of legacy RC4 (version 1.1, salt,
// encrypted verifier and its hash) and the key of each block.
func rc4Legacy(password string) ([]byte, func(uint32) []byte) {
	salt := []byte("kensa-corpus-slt")
	verifier := []byte("kensa-verifier!!")
	h0 := md5.Sum(utf16LE(password))
	var buf []byte
	for i := 0; i < 16; i++ {
		buf = append(append(buf, h0[:5]...), salt...)
	}
	h1 := md5.Sum(buf)
	trunc := h1[:5]
	keyFor := func(block uint32) []byte { return rc4BlockKey(trunc, block) }
	c, _ := rc4.NewCipher(keyFor(0))
	vh := md5.Sum(verifier)
	enc := make([]byte, 32)
	c.XORKeyStream(enc, append(append([]byte{}, verifier...), vh[:]...))
	return append(append([]byte{1, 0, 1, 0}, salt...), enc...), keyFor
}

// rc4CryptoAPI is the encryption header of RC4 CryptoAPI (version 4.2, an
// EncryptionHeader and EncryptionVerifier) with keyBits-bit keys, and the
// key of each block.
func rc4CryptoAPI(password string, keyBits int) ([]byte, func(uint32) []byte) {
	salt := fixedBytes("cryptoapi-salt/"+password, 16)
	verifier := fixedBytes("cryptoapi-verifier", 16)
	h0 := sha1.Sum(append(append([]byte{}, salt...), utf16LE(password)...))
	keyFor := func(block uint32) []byte {
		sum := sha1.Sum(binary.LittleEndian.AppendUint32(h0[:], block))
		if keyBits == 40 {
			return append(sum[:5:5], make([]byte, 11)...) // 40 bits, then 88 zero bits
		}
		return sum[:keyBits/8]
	}
	c, _ := rc4.NewCipher(keyFor(0))
	vh := sha1.Sum(verifier)
	enc := make([]byte, 36)
	c.XORKeyStream(enc, append(append([]byte{}, verifier...), vh[:]...))
	provider := "Microsoft Enhanced Cryptographic Provider v1.0"
	if keyBits == 40 {
		provider = "Microsoft Base Cryptographic Provider v1.0"
	}
	hdr := append([]byte{4, 0, 2, 0}, cryptoAPIHeader(0x04, 0x6801, uint32(keyBits), provider, salt, enc[:16], enc[16:])...)
	return hdr, keyFor
}

// rc4Keystream is n bytes of RC4 keystream re-keyed every blockSize bytes.
func rc4Keystream(n, blockSize int, keyFor func(uint32) []byte) []byte {
	ks := make([]byte, n)
	for off := 0; off < n; off += blockSize {
		c, _ := rc4.NewCipher(keyFor(uint32(off / blockSize)))
		end := min(off+blockSize, n)
		c.XORKeyStream(ks[off:end], ks[off:end])
	}
	return ks
}

// EncryptedXLS is XLS(wb) with its Workbook stream encrypted with legacy
// RC4 under password.
func EncryptedXLS(wb XLSWorkbook, password string) []byte {
	return CFB(EncryptedXLSEntries(wb, password))
}

// EncryptedXLSEntries are the streams and storages of EncryptedXLS(wb,
// password).
func EncryptedXLSEntries(wb XLSWorkbook, password string) []CFBEntry {
	hdr, keyFor := rc4Legacy(password)
	return encryptedXLS(wb, hdr, keyFor)
}

// EncryptedXLSCryptoAPI is XLS(wb) with its Workbook stream encrypted with
// RC4 CryptoAPI (keyBits 40 or 128) under password, as Excel 2003 and later
// write an encrypted .xls.
func EncryptedXLSCryptoAPI(wb XLSWorkbook, password string, keyBits int) []byte {
	hdr, keyFor := rc4CryptoAPI(password, keyBits)
	return CFB(encryptedXLS(wb, hdr, keyFor))
}

func encryptedXLS(wb XLSWorkbook, hdr []byte, keyFor func(uint32) []byte) []CFBEntry {
	wb.filePass = append([]byte{1, 0}, hdr...) // wEncryptionType 1: RC4
	ws := WorkbookStream(wb)
	// Encrypt every record after FILEPASS but BOF, the headers and the
	// position field of BOUNDSHEET, with the keystream at the stream offset.
	ks := rc4Keystream(len(ws), 1024, keyFor)
	biffEncrypted(ws, func(_, from, to int) {
		for i := from; i < to; i++ {
			ws[i] ^= ks[i]
		}
	})
	return xlsEntries(wb, ws)
}

// biffEncrypted calls f for each record of a workbook stream with the start
// of its data and the part of it Excel encrypts, [from, to): nothing up to
// and including FILEPASS, nor BOF, nor BOUNDSHEET's stream position, and
// never a record header.
func biffEncrypted(ws []byte, f func(data, from, to int)) {
	le := binary.LittleEndian
	seen := false
	for p := 0; p+4 <= len(ws); {
		id, size := le.Uint16(ws[p:]), int(le.Uint16(ws[p+2:]))
		from, to := p+4, p+4+size
		switch {
		case !seen:
			seen = id == 0x002F
			from = to
		case id == 0x0809:
			from = to
		case id == 0x0085:
			from += 4
		}
		f(p+4, from, to)
		p = to
	}
}

// EncryptWord encrypts the Word 97-2003 document among entries (a
// WordDocument stream with its FIB, a 1Table or 0Table stream, a Data
// stream if any, at the root) under password: legacy RC4 as Word 97 writes
// it, or RC4 CryptoAPI (128-bit) as Word 2003 and later do. The Table
// stream starts with the encryption header, whose size the FIB's lKey
// gives; the FIB base stays clear; everything else is encrypted in
// 512-byte blocks from each stream's start. Other entries (the Macros
// storage) stay as they are, as Word leaves them.
func EncryptWord(entries []CFBEntry, password string, cryptoAPI bool) []CFBEntry {
	hdr, keyFor := rc4Legacy(password)
	if cryptoAPI {
		hdr, keyFor = rc4CryptoAPI(password, 128)
	}
	out := append([]CFBEntry{}, entries...)
	crypt := func(b []byte, from int) []byte {
		out := append([]byte{}, b...)
		ks := rc4Keystream(len(out), 512, keyFor)
		for i := from; i < len(out); i++ {
			out[i] ^= ks[i]
		}
		return out
	}
	le := binary.LittleEndian
	for i, e := range out {
		if e.Parent != -1 || e.Storage {
			continue
		}
		switch e.Name {
		case "WordDocument":
			wd := append([]byte{}, e.Data...)
			flags := le.Uint16(wd[10:]) | 0x0100 // fEncrypted
			for _, t := range entries {
				if t.Parent == -1 && t.Name == "1Table" {
					flags |= 0x0200 // fWhichTblStm: the table is 1Table
				}
			}
			le.PutUint16(wd[10:], flags)
			le.PutUint32(wd[14:], uint32(len(hdr))) // lKey: the header's size
			out[i].Data = crypt(wd, 68)
		case "1Table", "0Table":
			out[i].Data = crypt(append(append([]byte{}, hdr...), e.Data...), len(hdr))
		case "Data":
			out[i].Data = crypt(e.Data, 0)
		}
	}
	return out
}

// XLSWithFilePass is XLS(wb) with a FILEPASS record of body filePass and
// nothing encrypted: for tests of how a reader takes a FILEPASS it cannot
// open (XOR obfuscation, unknown versions).
func XLSWithFilePass(wb XLSWorkbook, filePass []byte) []byte {
	wb.filePass = filePass
	return XLS(wb)
}

// XOR obfuscation (MS-OFFCRYPTO 2.3.7.1-2.3.7.3), as Excel 95 wrote a
// workbook with a password and Excel still opens.
var (
	xorInitialCode = [15]uint16{0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E, 0x1872, 0xE139, 0xD40F, 0x84F9, 0x280C, 0xA96A, 0x4EC3}
	xorMatrix      = [105]uint16{
		0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09, 0x7B61, 0xF6C2, 0xFDA5, 0xEB6B, 0xC6F7, 0x9DCF, 0x2BBF, 0x4563,
		0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68, 0x5AD0, 0x0375, 0x06EA, 0x0DD4, 0x1BA8, 0x3750, 0x6EA0, 0xDD40, 0xD849, 0xA0B3,
		0x5147, 0xA28E, 0x553D, 0xAA7A, 0x44D5, 0x6F45, 0xDE8A, 0xAD35, 0x4A4B, 0x9496, 0x390D, 0x721A, 0xEB23, 0xC667, 0x9CEF,
		0x29FF, 0x53FE, 0xA7FC, 0x5FD9, 0x47D3, 0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68, 0xF6D0, 0xB861, 0x60E3, 0xC1C6, 0x93AD,
		0x377B, 0x6EF6, 0xDDEC, 0x45A0, 0x8B40, 0x06A1, 0x0D42, 0x1A84, 0x3508, 0x6A10, 0xAA51, 0x4483, 0x8906, 0x022D, 0x045A,
		0x08B4, 0x1168, 0x76B4, 0xED68, 0xCAF1, 0x85C3, 0x1BA7, 0x374E, 0x6E9C, 0x3730, 0x6E60, 0xDCC0, 0xA9A1, 0x4363, 0x86C6,
		0x1DAD, 0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373, 0x06E6, 0x0DCC, 0x1021, 0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48C4,
	}
	xorPad = [15]byte{0xBB, 0xFF, 0xFF, 0xBA, 0xFF, 0xFF, 0xB9, 0x80, 0x00, 0xBE, 0x0F, 0x00, 0xBF, 0x0F, 0x00}
)

// XORObfuscatedXLS is XLS(wb) with its Workbook stream XOR-obfuscated under
// password (ASCII, at most 15 characters).
func XORObfuscatedXLS(wb XLSWorkbook, password string) []byte {
	pw := []byte(password)
	key := xorInitialCode[len(pw)-1]
	el := 104
	for i := len(pw) - 1; i >= 0; i-- {
		c := pw[i]
		for k := 0; k < 7; k++ {
			if c&0x40 != 0 {
				key ^= xorMatrix[el]
			}
			c <<= 1
			el--
		}
	}
	var verifier uint16
	chars := append([]byte{byte(len(pw))}, pw...)
	for i := len(chars) - 1; i >= 0; i-- {
		verifier = (verifier>>14)&1 | (verifier<<1)&0x7FFF
		verifier ^= uint16(chars[i])
	}
	verifier ^= 0xCE4B
	ror1 := func(a, b byte) byte { x := a ^ b; return x>>1 | x<<7 }
	hi, lo := byte(key>>8), byte(key)
	var arr [16]byte
	n := len(pw)
	if n%2 == 1 {
		arr[n] = ror1(xorPad[0], hi)
		n--
		arr[n] = ror1(pw[len(pw)-1], lo)
	}
	for n > 0 {
		n--
		arr[n] = ror1(pw[n], hi)
		n--
		arr[n] = ror1(pw[n], lo)
	}
	n = 15
	for pad := 15 - len(pw); pad > 0; {
		arr[n] = ror1(xorPad[pad], hi)
		n--
		pad--
		arr[n] = ror1(xorPad[pad], lo)
		n--
		pad--
	}
	le := binary.LittleEndian
	fp := le.AppendUint16([]byte{0, 0}, key) // wEncryptionType 0: XOR
	wb.filePass = le.AppendUint16(fp, verifier)
	ws := WorkbookStream(wb)
	biffEncrypted(ws, func(data, from, to int) {
		for i := from; i < to; i++ {
			v := ws[i]<<5 | ws[i]>>3
			ws[i] = v ^ arr[(to+i-data)%16]
		}
	})
	return CFB(xlsEntries(wb, ws))
}
