package unpack

import (
	"crypto/aes"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"errors"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// Traditional PKWARE encryption (APPNOTE 6.1) and WinZip AES (AE-1/AE-2),
// written from the published specifications.

var errWrongPassword = errors.New("unpack: wrong password")

// zipCryptoDecrypt decrypts a ZipCrypto member: a 12-byte header whose last
// byte must equal check, then the data.
func zipCryptoDecrypt(sealed []byte, pw string, check byte) ([]byte, error) {
	if len(sealed) < 12 {
		return nil, errWrongPassword
	}
	k := cryptkeys.NewZipCrypto(pw)
	out := make([]byte, len(sealed))
	for i, c := range sealed {
		p := c ^ k.Stream()
		k.Update(p)
		out[i] = p
	}
	if out[11] != check {
		return nil, errWrongPassword
	}
	return out[12:], nil
}

type aesExtra struct {
	version  uint16 // 1: CRC checked, 2: CRC zero
	strength byte   // 1, 2, 3: AES-128, -192, -256
	method   uint16 // the real compression method
}

// parseAESExtra reads the 0x9901 extra field of a WinZip AES member.
func parseAESExtra(extra []byte) (aesExtra, error) {
	for len(extra) >= 4 {
		id := binary.LittleEndian.Uint16(extra)
		size := int(binary.LittleEndian.Uint16(extra[2:]))
		extra = extra[4:]
		if size > len(extra) {
			break
		}
		if id == 0x9901 && size >= 7 {
			e := aesExtra{
				version:  binary.LittleEndian.Uint16(extra),
				strength: extra[4],
				method:   binary.LittleEndian.Uint16(extra[5:]),
			}
			if e.strength < 1 || e.strength > 3 {
				break
			}
			return e, nil
		}
		extra = extra[size:]
	}
	return aesExtra{}, errors.New("unpack: zip AES member without a valid 0x9901 extra field")
}

func aesKeys(pw string, salt []byte, keyLen int) (enc, auth, verify []byte, err error) {
	dk, err := pbkdf2.Key(sha1.New, pw, salt, 1000, 2*keyLen+2)
	if err != nil {
		return nil, nil, nil, err
	}
	return dk[:keyLen], dk[keyLen : 2*keyLen], dk[2*keyLen:], nil
}

// aesDecrypt checks the password verifier and the HMAC-SHA1 code, then
// decrypts with AES in CTR mode (little-endian counter from 1).
func aesDecrypt(sealed []byte, pw string, strength byte) ([]byte, error) {
	keyLen := 8 + 8*int(strength) // 16, 24, 32
	saltLen := keyLen / 2
	if len(sealed) < saltLen+2+10 {
		return nil, errWrongPassword
	}
	salt := sealed[:saltLen]
	pv := sealed[saltLen : saltLen+2]
	data := sealed[saltLen+2 : len(sealed)-10]
	code := sealed[len(sealed)-10:]
	enc, auth, verify, err := aesKeys(pw, salt, keyLen)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(pv, verify) != 1 {
		return nil, errWrongPassword
	}
	mac := hmac.New(sha1.New, auth)
	mac.Write(data)
	if !hmac.Equal(mac.Sum(nil)[:10], code) {
		return nil, errWrongPassword
	}
	return aesCTR(enc, data)
}

func aesCTR(key, data []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	var ctr, ks [16]byte
	for i := 0; i < len(data); i += 16 {
		for j := 0; j < 16; j++ { // little-endian increment, starting at 1
			ctr[j]++
			if ctr[j] != 0 {
				break
			}
		}
		block.Encrypt(ks[:], ctr[:])
		end := min(i+16, len(data))
		for j := i; j < end; j++ {
			out[j] = data[j] ^ ks[j-i]
		}
	}
	return out, nil
}
