package formats

import (
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"unicode/utf16"
)

// RC4-encrypted Excel 97-2003 workbooks (MS-OFFCRYPTO 2.3.6), as Excel
// writes them with a password, or with "VelvetSweatshop" when it opens
// them without asking.

func rc4BlockKey(trunc []byte, block uint32) []byte {
	h := md5.New()
	h.Write(trunc)
	h.Write(binary.LittleEndian.AppendUint32(nil, block))
	return h.Sum(nil)
}

// EncryptedXLS is XLS(wb) with its Workbook stream RC4-encrypted under
// password. Salt and verifier are fixed, so the bytes are the same each run.
func EncryptedXLS(wb XLSWorkbook, password string) []byte {
	salt := []byte("kensa-corpus-slt")
	verifier := []byte("kensa-verifier!!")
	var pw []byte
	for _, u := range utf16.Encode([]rune(password)) {
		pw = binary.LittleEndian.AppendUint16(pw, u)
	}
	h0 := md5.Sum(pw)
	var buf []byte
	for i := 0; i < 16; i++ {
		buf = append(append(buf, h0[:5]...), salt...)
	}
	h1 := md5.Sum(buf)
	trunc := h1[:5]
	c, _ := rc4.NewCipher(rc4BlockKey(trunc, 0))
	vh := md5.Sum(verifier)
	enc := make([]byte, 32)
	c.XORKeyStream(enc, append(append([]byte{}, verifier...), vh[:]...))
	filePass := []byte{1, 0, 1, 0, 1, 0}
	filePass = append(append(filePass, salt...), enc...)
	wb.filePass = filePass
	ws := WorkbookStream(wb)
	// Encrypt every record after FILEPASS but BOF, the headers and the
	// position field of BOUNDSHEET.
	ks := make([]byte, len(ws))
	for off := 0; off < len(ks); off += 1024 {
		c, _ := rc4.NewCipher(rc4BlockKey(trunc, uint32(off/1024)))
		end := min(off+1024, len(ks))
		c.XORKeyStream(ks[off:end], ks[off:end])
	}
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
		for i := from; i < to; i++ {
			ws[i] ^= ks[i]
		}
		p = to
	}
	return xlsFile(wb, ws)
}
