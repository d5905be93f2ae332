package formats

import (
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"encoding/binary"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
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
	h0 := md5.Sum(cryptkeys.UTF16LE(password))
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
	h0 := sha1.Sum(append(append([]byte{}, salt...), cryptkeys.UTF16LE(password)...))
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
// gives (the FIB's offsets into the Table stream move past it); the FIB base stays clear; everything else is encrypted in
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
			// The Table stream's structures now sit after the header:
			// each FibRgFcLcb pair that names one moves by its size.
			p := 32
			p += 2 + 2*int(le.Uint16(wd[p:]))
			p += 2 + 4*int(le.Uint16(wd[p:]))
			for k, n := 0, int(le.Uint16(wd[p:])); k < n && p+2+8*k+8 <= len(wd); k++ {
				if at := p + 2 + 8*k; le.Uint32(wd[at+4:]) != 0 {
					le.PutUint32(wd[at:], le.Uint32(wd[at:])+uint32(len(hdr)))
				}
			}
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

// XORObfuscatedXLS is XLS(wb) with its Workbook stream XOR-obfuscated under
// password (ASCII, at most 15 characters).
func XORObfuscatedXLS(wb XLSWorkbook, password string) []byte {
	pw := []byte(password)
	key, verifier, arr := cryptkeys.XORKey(pw), cryptkeys.XORVerifier(pw), cryptkeys.XORArray(pw)
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

// XORObfuscateWord obfuscates the Word 97-2003 document among entries
// under password (ASCII, at most 15 characters) as Word's XOR obfuscation
// does: fEncrypted and fObfuscation set, lKey the password's key (high 16
// bits) and verifier (low 16 bits); the WordDocument stream after the FIB
// base and the Table and Data streams from their start XORed with the
// array at each byte's offset mod 16, a zero byte and a byte equal to the
// array's left as they are.
func XORObfuscateWord(entries []CFBEntry, password string) []CFBEntry {
	pw := []byte(password)
	arr := cryptkeys.XORArray(pw)
	xor := func(b []byte, from int) []byte { return cryptkeys.XORWord(b, from, arr) }
	le := binary.LittleEndian
	out := append([]CFBEntry{}, entries...)
	for i, e := range out {
		if e.Parent != -1 || e.Storage {
			continue
		}
		switch e.Name {
		case "WordDocument":
			wd := append([]byte{}, e.Data...)
			le.PutUint16(wd[10:], le.Uint16(wd[10:])|0x0100|0x8000) // fEncrypted, fObfuscation
			le.PutUint32(wd[14:], uint32(cryptkeys.XORKey(pw))<<16|uint32(cryptkeys.XORVerifier(pw)))
			out[i].Data = xor(wd, 68)
		case "1Table", "0Table", "Data":
			out[i].Data = xor(e.Data, 0)
		}
	}
	return out
}
