package unpack

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// Encrypted OOXML documents (MS-OFFCRYPTO 2.3.4): a compound file whose
// EncryptionInfo stream says how the key comes from the password and whose
// EncryptedPackage stream is the whole .docx/.xlsx/.pptx zip, encrypted.
// Standard encryption (Office 2007) is AES in ECB mode under a key hashed
// 50,000 times with SHA-1; Agile encryption (Office 2010 and later) is
// described in XML: a hash (SHA-512 by default), a spin count chosen by the
// writer, and AES in CBC mode per 4096-byte segment. The package's HMAC
// (Agile dataIntegrity) is not checked: Office refuses a package whose HMAC
// fails, so reading one anyway can only show more, never hide anything.

// Bounds on the work an encrypted document may ask for.
const (
	maxSpinCount        = 10_000_000 // the format's own limit on Agile spinCount
	maxOfficeHashRounds = 3_000_000  // password hashing per message, all documents together
	maxEncryptionInfo   = 64 << 10   // EncryptionInfo stream read
	agileSegment        = 4096
)

// Agile block keys (MS-OFFCRYPTO 2.3.4.13 and 2.3.4.11).
var (
	agileVerifierInput = []byte{0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79}
	agileVerifierValue = []byte{0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e}
	agileKeyValue      = []byte{0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6}
)

// officeCipher is an encrypted OOXML package's key schedule: what one
// password try costs and how a password opens it.
type officeCipher struct {
	kind   string // "Standard AES-128", "Agile AES-256/SHA512", for reasons
	rounds int64  // hash rounds one password try costs
	// open derives the key from the password; it returns the decryption of
	// the EncryptedPackage body (after its size field) or nil.
	open func(pw string) func(body []byte) []byte
}

// parseEncryptionInfo reads an EncryptionInfo stream.
func parseEncryptionInfo(b []byte) (*officeCipher, error) {
	if len(b) < 8 {
		return nil, errors.New("EncryptionInfo too short")
	}
	major, minor := binary.LittleEndian.Uint16(b), binary.LittleEndian.Uint16(b[2:])
	switch {
	case major == 4 && minor == 4:
		return parseAgile(b[8:])
	case (major == 2 || major == 3 || major == 4) && minor == 2:
		h, err := parseCryptoAPIHeader(b[4:])
		if err != nil {
			return nil, err
		}
		return h.standard()
	case (major == 3 || major == 4) && minor == 3:
		return nil, errors.New("extensible encryption (a third-party cryptographic provider) is not supported")
	}
	return nil, fmt.Errorf("unknown EncryptionInfo version %d.%d", major, minor)
}

// cryptoAPIHeader is an EncryptionHeader with its EncryptionVerifier
// (MS-OFFCRYPTO 2.3.2 and 2.3.3), as Standard and RC4 CryptoAPI
// encryption write them.
type cryptoAPIHeader struct {
	flags, algID, algHash uint32
	keyBits               int
	salt                  []byte
	verifier, verifierSum []byte // encrypted
}

const (
	cryptoFlagAPI = 0x04
	cryptoFlagAES = 0x20
	algRC4        = 0x6801
	algAES128     = 0x660E
	algAES192     = 0x660F
	algAES256     = 0x6610
	algSHA1       = 0x8004
)

// parseCryptoAPIHeader reads b from the Flags field after the version.
func parseCryptoAPIHeader(b []byte) (cryptoAPIHeader, error) {
	le := binary.LittleEndian
	var h cryptoAPIHeader
	if len(b) < 8 {
		return h, errors.New("encryption header too short")
	}
	size := int(le.Uint32(b[4:]))
	if size < 32 || size > 1024 || 8+size+4 > len(b) {
		return h, fmt.Errorf("encryption header size %d out of range", size)
	}
	hdr := b[8 : 8+size]
	h.flags = le.Uint32(hdr)
	h.algID, h.algHash = le.Uint32(hdr[8:]), le.Uint32(hdr[12:])
	h.keyBits = int(le.Uint32(hdr[16:]))
	v := b[8+size:]
	if saltSize := le.Uint32(v); saltSize != 16 || len(v) < 4+16+16+4+20 {
		return h, errors.New("encryption verifier truncated or its salt is not 16 bytes")
	}
	h.salt, h.verifier = v[4:20], v[20:36]
	if hs := le.Uint32(v[36:]); hs != 20 {
		return h, fmt.Errorf("verifier hash size %d, not SHA-1's 20", hs)
	}
	h.verifierSum = v[40:min(len(v), 72)]
	if h.algHash != 0 && h.algHash != algSHA1 {
		return h, fmt.Errorf("hash algorithm %#x is not SHA-1", h.algHash)
	}
	return h, nil
}

// standard is the key schedule of Standard encryption (MS-OFFCRYPTO 2.3.4.5).
func (h cryptoAPIHeader) standard() (*officeCipher, error) {
	if h.flags&cryptoFlagAES == 0 || h.algID == algRC4 {
		return nil, errors.New("standard encryption without AES (RC4 in an EncryptionInfo) is not supported")
	}
	want := map[uint32]int{0: 128, algAES128: 128, algAES192: 192, algAES256: 256}[h.algID]
	if want == 0 || h.keyBits != want {
		return nil, fmt.Errorf("algorithm %#x with %d-bit keys is not AES", h.algID, h.keyBits)
	}
	if len(h.verifierSum) < 32 {
		return nil, errors.New("AES verifier hash shorter than 32 bytes")
	}
	return &officeCipher{
		kind:   fmt.Sprintf("Standard AES-%d", h.keyBits),
		rounds: cryptkeys.StandardSpins + 4,
		open: func(pw string) func([]byte) []byte {
			key := cryptkeys.StandardKey(pw, h.salt, h.keyBits/8)
			block, err := aes.NewCipher(key)
			if err != nil {
				return nil
			}
			v := ecbDecrypt(block, h.verifier)
			sum := ecbDecrypt(block, h.verifierSum[:32])
			want := sha1.Sum(v)
			if subtle.ConstantTimeCompare(want[:], sum[:20]) != 1 {
				return nil
			}
			return func(body []byte) []byte { return ecbDecrypt(block, body[:len(body)/16*16]) }
		},
	}, nil
}

func ecbDecrypt(b cipher.Block, in []byte) []byte {
	out := make([]byte, len(in))
	for i := 0; i+16 <= len(in); i += 16 {
		b.Decrypt(out[i:i+16], in[i:i+16])
	}
	return out
}

// agileXML is the part of an Agile EncryptionInfo that a password opens.
type agileXML struct {
	KeyData       agileParams `xml:"keyData"`
	KeyEncryptors []struct {
		URI string      `xml:"uri,attr"`
		Key agileParams `xml:"encryptedKey"`
	} `xml:"keyEncryptors>keyEncryptor"`
}

type agileParams struct {
	SaltSize        int    `xml:"saltSize,attr"`
	BlockSize       int    `xml:"blockSize,attr"`
	KeyBits         int    `xml:"keyBits,attr"`
	HashSize        int    `xml:"hashSize,attr"`
	CipherAlgorithm string `xml:"cipherAlgorithm,attr"`
	CipherChaining  string `xml:"cipherChaining,attr"`
	HashAlgorithm   string `xml:"hashAlgorithm,attr"`
	SaltValue       string `xml:"saltValue,attr"`
	SpinCount       int    `xml:"spinCount,attr"`
	VerifierInput   string `xml:"encryptedVerifierHashInput,attr"`
	VerifierValue   string `xml:"encryptedVerifierHashValue,attr"`
	KeyValue        string `xml:"encryptedKeyValue,attr"`
}

var agileHashes = map[string]func() hash.Hash{
	"SHA1": sha1.New, "SHA-1": sha1.New, "SHA256": sha256.New, "SHA384": sha512.New384, "SHA512": sha512.New, "MD5": md5.New,
}

// check validates the parameters of one key: an AES cipher in CBC mode and a
// hash we have, with sizes that agree.
func (p agileParams) check(what string) (func() hash.Hash, error) {
	if !strings.EqualFold(p.CipherAlgorithm, "AES") {
		return nil, fmt.Errorf("%s cipher %q is not AES", what, p.CipherAlgorithm)
	}
	if p.CipherChaining != "ChainingModeCBC" {
		return nil, fmt.Errorf("%s chaining %q is not CBC", what, p.CipherChaining)
	}
	if p.KeyBits != 128 && p.KeyBits != 192 && p.KeyBits != 256 || p.BlockSize != 16 {
		return nil, fmt.Errorf("%s key of %d bits in %d-byte blocks is not AES", what, p.KeyBits, p.BlockSize)
	}
	nh, ok := agileHashes[strings.ToUpper(p.HashAlgorithm)]
	if !ok {
		return nil, fmt.Errorf("%s hash %q is not supported", what, p.HashAlgorithm)
	}
	if p.HashSize != nh().Size() {
		return nil, fmt.Errorf("%s hash size %d does not fit %s", what, p.HashSize, p.HashAlgorithm)
	}
	return nh, nil
}

// parseAgile reads the XML of an Agile EncryptionInfo (MS-OFFCRYPTO 2.3.4.10).
func parseAgile(b []byte) (*officeCipher, error) {
	var x agileXML
	if err := xml.NewDecoder(bytes.NewReader(b)).Decode(&x); err != nil {
		return nil, fmt.Errorf("agile encryption XML: %v", err)
	}
	kd := x.KeyData
	dataHash, err := kd.check("keyData")
	if err != nil {
		return nil, err
	}
	dataSalt, err := base64.StdEncoding.DecodeString(kd.SaltValue)
	if err != nil || len(dataSalt) == 0 {
		return nil, errors.New("keyData has no salt")
	}
	var pk *agileParams
	for i, e := range x.KeyEncryptors {
		if strings.HasSuffix(e.URI, "/keyEncryptor/password") {
			pk = &x.KeyEncryptors[i].Key
			break
		}
	}
	if pk == nil {
		return nil, errors.New("no password key encryptor (certificate only)")
	}
	nh, err := pk.check("password key")
	if err != nil {
		return nil, err
	}
	if pk.SpinCount < 0 || pk.SpinCount > maxSpinCount {
		return nil, fmt.Errorf("spinCount %d outside the format's 0 to %d", pk.SpinCount, maxSpinCount)
	}
	dec := func(s string) []byte {
		v, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(v) == 0 || len(v)%16 != 0 {
			return nil
		}
		return v
	}
	salt, vIn, vSum, kv := dec(pk.SaltValue), dec(pk.VerifierInput), dec(pk.VerifierValue), dec(pk.KeyValue)
	if salt == nil || vIn == nil || vSum == nil || kv == nil || len(kv)*8 < pk.KeyBits || len(vSum) < pk.HashSize {
		return nil, errors.New("password key encryptor values missing or malformed")
	}
	return &officeCipher{
		kind:   fmt.Sprintf("Agile AES-%d/%s spinCount %d", kd.KeyBits, kd.HashAlgorithm, pk.SpinCount),
		rounds: int64(pk.SpinCount) + 8,
		open: func(pw string) func([]byte) []byte {
			hn := cryptkeys.SpinHash(nh, salt, pw, pk.SpinCount)
			keyFor := func(blockKey []byte) cipher.Block {
				h := nh()
				h.Write(hn)
				h.Write(blockKey)
				k, _ := aes.NewCipher(fitTo(h.Sum(nil), pk.KeyBits/8))
				return k
			}
			iv := fitTo(salt, 16)
			input := cbcDecrypt(keyFor(agileVerifierInput), iv, vIn)
			h := nh()
			h.Write(input[:min(len(input), max(pk.SaltSize, 0))])
			sum := cbcDecrypt(keyFor(agileVerifierValue), iv, vSum)
			if subtle.ConstantTimeCompare(h.Sum(nil), sum[:pk.HashSize]) != 1 {
				return nil
			}
			secret, err := aes.NewCipher(cbcDecrypt(keyFor(agileKeyValue), iv, kv)[:kd.KeyBits/8])
			if err != nil {
				return nil
			}
			return func(body []byte) []byte { return agileDecrypt(secret, dataHash, dataSalt, body) }
		},
	}, nil
}

// fitTo cuts b to n bytes or pads it with 0x36 (MS-OFFCRYPTO 2.3.4.11).
func fitTo(b []byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = 0x36
	}
	copy(out, b)
	return out
}

func cbcDecrypt(b cipher.Block, iv, in []byte) []byte {
	out := make([]byte, len(in)/16*16)
	cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, in[:len(out)])
	return out
}

// agileDecrypt decrypts an Agile package body: 4096-byte segments, each in
// CBC mode with the IV H(keyData salt + segment index).
func agileDecrypt(secret cipher.Block, nh func() hash.Hash, salt, body []byte) []byte {
	out := make([]byte, 0, len(body)/16*16)
	h := nh()
	for i, off := uint32(0), 0; off+16 <= len(body); i, off = i+1, off+agileSegment {
		seg := body[off:min(off+agileSegment, len(body))]
		h.Reset()
		h.Write(salt)
		h.Write(binary.LittleEndian.AppendUint32(nil, i))
		out = append(out, cbcDecrypt(secret, fitTo(h.Sum(nil), 16), seg)...)
	}
	return out
}

// openEncryptedPackage opens an encrypted OOXML document and adds the
// package inside as a member, which unpack then reads as any OOXML zip.
// It records why when it cannot.
func (c *container) openEncryptedPackage(info, pkg []byte) error {
	name := cleanName(baseName(c.part.Filename))
	oc, err := parseEncryptionInfo(info[:min(len(info), maxEncryptionInfo)])
	if err != nil {
		c.w.problem(c.part, ReasonEncryptedDoc, fmt.Sprintf("encrypted OOXML document %q not opened: %v", name, err))
		return nil
	}
	if len(pkg) < 8+16 {
		c.w.problem(c.part, ReasonEncryptedDoc, fmt.Sprintf("encrypted OOXML document %q not opened: EncryptedPackage too short", name))
		return nil
	}
	var decrypt func([]byte) []byte
	why := c.unlockOffice("encrypted OOXML document "+quote(name)+" ("+oc.kind+")", oc.rounds, func(pw string) bool {
		decrypt = oc.open(pw)
		return decrypt != nil
	})
	if decrypt == nil {
		c.w.problem(c.part, ReasonEncryptedDoc, why)
		return nil
	}
	size := binary.LittleEndian.Uint64(pkg)
	if !c.budget(int64(min(size, uint64(len(pkg)-8)))) {
		return errStop
	}
	plain := decrypt(pkg[8:])
	if size < uint64(len(plain)) {
		plain = plain[:size]
	}
	if c.addUnder(c.part, c.base, "EncryptedPackage (decrypted)", plain) == nil {
		return errStop
	}
	return nil
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
