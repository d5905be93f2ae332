package unpack

import (
	"crypto/hmac"
	"crypto/sha1"
)

// zipCryptoEncrypt is the inverse; tests use it to build archives.
func zipCryptoEncrypt(plain []byte, pw string, check byte, header [11]byte) []byte {
	k := newZipCryptoKeys(pw)
	in := append(append(header[:], check), plain...)
	out := make([]byte, len(in))
	for i, p := range in {
		out[i] = p ^ k.stream()
		k.update(p)
	}
	return out
}

// aesEncrypt is the inverse of aesDecrypt; tests use it to build archives.
func aesEncrypt(plain []byte, pw string, strength byte, salt []byte) ([]byte, error) {
	keyLen := 8 + 8*int(strength)
	enc, auth, verify, err := aesKeys(pw, salt, keyLen)
	if err != nil {
		return nil, err
	}
	data, err := aesCTR(enc, plain)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha1.New, auth)
	mac.Write(data)
	out := append(append(append([]byte{}, salt...), verify...), data...)
	return append(out, mac.Sum(nil)[:10]...), nil
}
