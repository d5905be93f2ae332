package formats

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
)

// EncryptedRAR5 is a RAR 5 archive of stored files encrypted with pw as
// WinRAR encrypts them (RAR 5.0 technote: AES-256-CBC, keys from
// PBKDF2-HMAC-SHA256 with 2^15 rounds, a password check value), each file
// with a salt and IV of its own; with headers set (rar -hp), every header
// after the archive encryption header is encrypted too, names included.
// Salts and IVs come from the password and the name, so the output is the
// same on every run. Plain CRC32s are kept (no tweaked checksums).
func EncryptedRAR5(pw string, headers bool, files ...File) []byte {
	const kdfCount = 15
	out := []byte("Rar!\x1A\x07\x01\x00")
	seal := func(h []byte) []byte { return h }
	if headers {
		salt := rarSeed(pw, "\x00headers")[:16]
		key, check := rar5Keys(pw, salt, kdfCount)
		var b []byte
		b = vint(b, 4) // archive encryption header
		b = vint(b, 0) // header flags
		b = vint(b, 0) // encryption version: AES-256
		b = vint(b, 1) // password check present
		b = append(b, kdfCount)
		b = append(b, salt...)
		b = append(b, check...)
		out = append(out, rar5Header(b)...)
		n := 0
		seal = func(h []byte) []byte {
			n++
			iv := rarSeed(pw, "\x00iv"+string(rune('0'+n%10))+string(h[:min(len(h), 8)]))[:16]
			return append(append([]byte{}, iv...), cbc(key, iv, h)...)
		}
	}
	out = append(out, seal(rar5Header([]byte{1, 0, 0}))...) // main header
	for _, f := range files {
		seed := rarSeed(pw, f.Name)
		salt, iv := seed[:16], seed[16:32]
		key, check := rar5Keys(pw, salt, kdfCount)
		data := cbc(key, iv, f.Data)
		var rec []byte
		rec = vint(rec, 1) // file encryption record
		rec = vint(rec, 0) // AES-256
		rec = vint(rec, 1) // password check present
		rec = append(rec, kdfCount)
		rec = append(rec, salt...)
		rec = append(rec, iv...)
		rec = append(rec, check...)
		extra := vint(nil, uint64(len(rec)))
		extra = append(extra, rec...)
		out = append(out, seal(rar5Header(rar5File(f.Name, f.Data, len(data), extra)))...)
		out = append(out, data...)
	}
	return append(out, seal(rar5Header([]byte{5, 0, 0}))...) // end of archive
}

// rarSeed is 32 deterministic bytes for salts and IVs.
func rarSeed(pw, what string) []byte {
	s := sha256.Sum256([]byte("kensa-rar5\x00" + pw + "\x00" + what))
	return s[:]
}

// rar5Keys is the AES key for pw and salt and the 12-byte check value: the
// PBKDF2-HMAC-SHA256 chain's value after 2^count rounds is the key, after
// 2^count+32 the password check, folded to 8 bytes, followed by the first
// 4 bytes of its SHA-256.
func rar5Keys(pw string, salt []byte, count byte) (key, check []byte) {
	mac := hmac.New(sha256.New, []byte(pw))
	mac.Write(salt)
	mac.Write([]byte{0, 0, 0, 1})
	u := mac.Sum(nil)
	f := append([]byte{}, u...)
	n := 1 << count
	for i := 1; i < n+32; i++ {
		if i == n {
			key = append([]byte{}, f...)
		}
		mac.Reset()
		mac.Write(u)
		u = mac.Sum(u[:0])
		for j := range f {
			f[j] ^= u[j]
		}
	}
	fold := make([]byte, 8)
	for i, c := range f {
		fold[i%8] ^= c
	}
	sum := sha256.Sum256(fold)
	return key, append(fold, sum[:4]...)
}

// cbc is data zero-padded to whole AES blocks and encrypted.
func cbc(key, iv, data []byte) []byte {
	b := append([]byte{}, data...)
	for len(b)%aes.BlockSize != 0 {
		b = append(b, 0)
	}
	block, _ := aes.NewCipher(key)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(b, b)
	return b
}
