package formats

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/aes"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/binary"
	"hash/crc32"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// EncryptedZip is a zip whose members are sealed with pw: ZipCrypto
// (traditional PKWARE encryption, APPNOTE 6.1) when aesStrength is 0, WinZip
// AES (AE-2) otherwise, with strength 1, 2 or 3 for AES-128, -192 or -256.
// Members are stored, or deflated before sealing when deflate is set. The
// "random" bytes (ZipCrypto header, AES salt) are fixed, so that the same
// input gives the same bytes.
func EncryptedZip(pw string, aesStrength byte, deflate bool, entries ...ZipEntry) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		crc := crc32.ChecksumIEEE(e.Data)
		method, body := zip.Store, e.Data
		if deflate {
			method, body = zip.Deflate, Deflated(e.Data)
		}
		h := &zip.FileHeader{Name: e.Name, Method: method, CRC32: crc, UncompressedSize64: uint64(len(e.Data)), Flags: 1, Modified: zipTime}
		var sealed []byte
		if aesStrength != 0 {
			sealed = aesSeal(body, pw, aesStrength)
			h.Method, h.CRC32 = 99, 0 // AE-2 leaves the CRC out
			extra := binary.LittleEndian.AppendUint16(nil, 0x9901)
			extra = binary.LittleEndian.AppendUint16(extra, 7)
			extra = binary.LittleEndian.AppendUint16(extra, 2) // AE-2
			extra = append(extra, 'A', 'E', aesStrength)
			extra = binary.LittleEndian.AppendUint16(extra, method)
			h.Extra = extra
		} else {
			sealed = zipCryptoSeal(body, pw, byte(crc>>24))
		}
		h.CompressedSize64 = uint64(len(sealed))
		w, err := zw.CreateRaw(h)
		if err != nil {
			panic(err)
		}
		w.Write(sealed)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Deflated is data as raw deflate at the fastest level (a zip member's data).
func Deflated(data []byte) []byte {
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.BestSpeed)
	fw.Write(data)
	fw.Close()
	return b.Bytes()
}

func zipCryptoSeal(data []byte, pw string, check byte) []byte {
	k := cryptkeys.NewZipCrypto(pw)
	plain := append([]byte("kensa-hdr\x00\x01"), check) // 11 fixed "random" bytes and the check byte
	plain = append(plain, data...)
	out := make([]byte, len(plain))
	for i, p := range plain {
		out[i] = p ^ k.Stream()
		k.Update(p)
	}
	return out
}

// aesSeal is WinZip AES: PBKDF2-HMAC-SHA1 keys, AES-CTR with a little-endian
// counter from 1, a 10-byte HMAC-SHA1 of the ciphertext.
func aesSeal(data []byte, pw string, strength byte) []byte {
	keyLen := 8 + 8*int(strength)
	salt := []byte("kensa-corpus-salt")[:keyLen/2]
	keys, err := pbkdf2.Key(sha1.New, pw, salt, 1000, 2*keyLen+2)
	if err != nil {
		panic(err)
	}
	block, err := aes.NewCipher(keys[:keyLen])
	if err != nil {
		panic(err)
	}
	ct := make([]byte, len(data))
	var ctr, ks [16]byte
	for i := 0; i < len(data); i += 16 {
		binary.LittleEndian.PutUint64(ctr[:], uint64(i/16+1))
		block.Encrypt(ks[:], ctr[:])
		for j := i; j < min(i+16, len(data)); j++ {
			ct[j] = data[j] ^ ks[j-i]
		}
	}
	mac := hmac.New(sha1.New, keys[keyLen:2*keyLen])
	mac.Write(ct)
	out := append(append(append([]byte{}, salt...), keys[2*keyLen:2*keyLen+2]...), ct...)
	return append(out, mac.Sum(nil)[:10]...)
}
