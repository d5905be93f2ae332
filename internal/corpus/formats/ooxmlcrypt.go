package formats

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"fmt"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// Encrypted OOXML documents (MS-OFFCRYPTO 2.3.4): a compound file with an
// EncryptionInfo stream and the whole package, encrypted, in an
// EncryptedPackage stream. Standard encryption is what Office 2007 writes
// (AES-128 in ECB mode, SHA-1 hashed 50,000 times), Agile what Office 2010
// and later write (AES-256 in CBC mode per 4096-byte segment, SHA-512 hashed
// spinCount times, an HMAC over the encrypted package). Salts and keys come
// from fixed seeds, so the bytes are the same each run.

// DefaultOfficePassword is the password Office opens without asking.
const DefaultOfficePassword = "VelvetSweatshop"

// fixedBytes is n reproducible stand-in "random" bytes for a label.
func fixedBytes(label string, n int) []byte {
	var out []byte
	for i := 0; len(out) < n; i++ {
		s := sha256.Sum256([]byte(fmt.Sprintf("kensa-corpus/%s/%d", label, i)))
		out = append(out, s[:]...)
	}
	return out[:n]
}

func padTo(b []byte, n int, fill byte) []byte {
	out := append([]byte{}, b...)
	for len(out) < n {
		out = append(out, fill)
	}
	return out[:n]
}

func ecbEncrypt(key, data []byte) []byte {
	b, _ := aes.NewCipher(key)
	out := padTo(data, (len(data)+15)/16*16, 0)
	for i := 0; i < len(out); i += 16 {
		b.Encrypt(out[i:i+16], out[i:i+16])
	}
	return out
}

func cbcEncrypt(key, iv, data []byte) []byte {
	b, _ := aes.NewCipher(key)
	out := padTo(data, (len(data)+15)/16*16, 0)
	cipher.NewCBCEncrypter(b, iv).CryptBlocks(out, out)
	return out
}

// encryptedOOXMLFile is the compound file of an encrypted package.
func encryptedOOXMLFile(info, pkg []byte) []byte {
	return CFB([]CFBEntry{
		{Name: "EncryptionInfo", Parent: -1, Data: info},
		{Name: "EncryptedPackage", Parent: -1, Data: pkg},
	})
}

// cryptoAPIHeader is an EncryptionHeader and EncryptionVerifier (MS-OFFCRYPTO
// 2.3.2, 2.3.3) after the version: flags, header size, header, verifier.
func cryptoAPIHeader(flags, algID, keyBits uint32, provider string, salt, verifier, verifierHash []byte) []byte {
	le := binary.LittleEndian
	var hdr []byte
	hdr = le.AppendUint32(hdr, flags)
	hdr = le.AppendUint32(hdr, 0) // SizeExtra
	hdr = le.AppendUint32(hdr, algID)
	hdr = le.AppendUint32(hdr, 0x8004) // SHA-1
	hdr = le.AppendUint32(hdr, keyBits)
	provType := uint32(1) // PROV_RSA_FULL (RC4)
	if flags&0x20 != 0 {
		provType = 0x18 // PROV_RSA_AES
	}
	hdr = le.AppendUint32(hdr, provType)
	hdr = le.AppendUint32(hdr, 0)
	hdr = le.AppendUint32(hdr, 0)
	hdr = append(hdr, cryptkeys.UTF16LE(provider+"\x00")...)
	out := le.AppendUint32(nil, flags)
	out = le.AppendUint32(out, uint32(len(hdr)))
	out = append(out, hdr...)
	out = le.AppendUint32(out, 16)
	out = append(out, salt...)
	out = append(out, verifier...)
	out = le.AppendUint32(out, 20)
	return append(out, verifierHash...)
}

// StandardEncryptedOOXML is pkg (a .docx/.xlsx/.pptx zip) encrypted with
// Standard encryption, AES-128, under password.
func StandardEncryptedOOXML(pkg []byte, password string) []byte {
	salt := fixedBytes("standard-salt/"+password, 16)
	verifier := fixedBytes("standard-verifier", 16)
	key := cryptkeys.StandardKey(password, salt, 16)
	vh := sha1.Sum(verifier)
	info := []byte{4, 0, 2, 0}
	info = append(info, cryptoAPIHeader(0x24, 0x660E, 128, "Microsoft Enhanced RSA and AES Cryptographic Provider", salt, ecbEncrypt(key, verifier), ecbEncrypt(key, vh[:]))...)
	enc := binary.LittleEndian.AppendUint64(nil, uint64(len(pkg)))
	return encryptedOOXMLFile(info, append(enc, ecbEncrypt(key, pkg)...))
}

// AgileEncryptedOOXML is pkg encrypted with Agile encryption as Office
// writes it (AES-256, SHA-512) with spinCount rounds of password hashing,
// under password.
func AgileEncryptedOOXML(pkg []byte, password string, spinCount int) []byte {
	const keyBytes, hashSize = 32, 64
	nh := sha512.New
	hashOf := func(parts ...[]byte) []byte {
		h := nh()
		for _, p := range parts {
			h.Write(p)
		}
		return h.Sum(nil)
	}
	dataSalt := fixedBytes("agile-data-salt/"+password, 16)
	pwSalt := fixedBytes("agile-password-salt/"+password, 16)
	secret := fixedBytes("agile-secret/"+password, keyBytes)
	verifierInput := fixedBytes("agile-verifier", 16)

	// The package: its size, then 4096-byte segments each in CBC mode with
	// the IV H(data salt + segment index).
	enc := binary.LittleEndian.AppendUint64(nil, uint64(len(pkg)))
	for i, off := uint32(0), 0; off < len(pkg); i, off = i+1, off+4096 {
		iv := hashOf(dataSalt, binary.LittleEndian.AppendUint32(nil, i))[:16]
		enc = append(enc, cbcEncrypt(secret, iv, pkg[off:min(off+4096, len(pkg))])...)
	}

	// The password's keys, one per block key.
	hn := cryptkeys.SpinHash(nh, pwSalt, password, spinCount)
	keyFor := func(blockKey []byte) []byte { return padTo(hashOf(hn, blockKey), keyBytes, 0x36) }
	encVerifierInput := cbcEncrypt(keyFor([]byte{0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79}), pwSalt, verifierInput)
	encVerifierValue := cbcEncrypt(keyFor([]byte{0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e}), pwSalt, hashOf(verifierInput))
	encKey := cbcEncrypt(keyFor([]byte{0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6}), pwSalt, secret)

	// Data integrity: an HMAC of the EncryptedPackage stream under a key,
	// both encrypted with the secret key.
	hmacKey := fixedBytes("agile-hmac-key/"+password, hashSize)
	mac := hmac.New(nh, hmacKey)
	mac.Write(enc)
	encHmacKey := cbcEncrypt(secret, hashOf(dataSalt, []byte{0x5f, 0xb2, 0xad, 0x01, 0x0c, 0xb9, 0xe1, 0xf6})[:16], hmacKey)
	encHmacValue := cbcEncrypt(secret, hashOf(dataSalt, []byte{0xa0, 0x67, 0x7f, 0x02, 0xb2, 0x2c, 0x84, 0x33})[:16], mac.Sum(nil))

	b64 := base64.StdEncoding.EncodeToString
	params := `saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"`
	x := "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" +
		`<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password" xmlns:c="http://schemas.microsoft.com/office/2006/keyEncryptor/certificate">` +
		`<keyData ` + params + ` saltValue="` + b64(dataSalt) + `"/>` +
		`<dataIntegrity encryptedHmacKey="` + b64(encHmacKey) + `" encryptedHmacValue="` + b64(encHmacValue) + `"/>` +
		`<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">` +
		`<p:encryptedKey spinCount="` + fmt.Sprint(spinCount) + `" ` + params + ` saltValue="` + b64(pwSalt) +
		`" encryptedVerifierHashInput="` + b64(encVerifierInput) + `" encryptedVerifierHashValue="` + b64(encVerifierValue) +
		`" encryptedKeyValue="` + b64(encKey) + `"/></keyEncryptor></keyEncryptors></encryption>`
	info := append([]byte{4, 0, 4, 0, 0x40, 0, 0, 0}, x...)
	return encryptedOOXMLFile(info, enc)
}
