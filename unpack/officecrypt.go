package unpack

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// Encrypted Office documents (MS-OFFCRYPTO). Office opens a document
// encrypted with the password "VelvetSweatshop" without asking, so droppers
// use it to hide macros from gateways. Kensa tries it first, then the
// passwords the message offers, as for archives, within MaxPasswordTries per
// document and maxOfficeHashRounds of password hashing per message (Agile
// encryption lets the writer choose how often the password is hashed).
//
// Opened: OOXML EncryptedPackage (Standard and Agile, ooxmlcrypt.go); .xls
// with RC4, RC4 CryptoAPI or XOR obfuscation (xorobf.go); .doc with RC4 or RC4 CryptoAPI; .ppt with RC4
// CryptoAPI (its PowerPoint Document stream; the Pictures stream stays
// encrypted), .doc with XOR obfuscation (xorobf.go). Not opened: extensible encryption and
// anything else; each is unscannable with the reason encrypted-document and
// a detail that says what it was.

// ReasonEncryptedDoc is the problem of an encrypted document not opened.
const ReasonEncryptedDoc = "encrypted-document"

// DefaultOfficePassword is what Office uses when a document is encrypted
// without a password.
const DefaultOfficePassword = "VelvetSweatshop"

// unlockOffice tries the default password, then the message's, on one
// encrypted document; each try costs rounds of password hashing. open says
// whether a password opens it. The result is "" when one did, and otherwise
// why the document stays shut (what names the document).
func (c *container) unlockOffice(what string, rounds int64, open func(pw string) bool) string {
	return c.unlockPasswords(what, rounds, true, open)
}

// unlockPasswords is unlockOffice with or without Office's default password
// first.
func (c *container) unlockPasswords(what string, rounds int64, office bool, open func(pw string) bool) string {
	if rounds > maxOfficeHashRounds {
		return fmt.Sprintf("%s not opened: one password try costs %d hash rounds, more than the %d a message may spend", what, rounds, maxOfficeHashRounds)
	}
	tries := c.candidates()
	if office && c.skip == nil { // a retry's first run tried it
		tries = append([]candidate{{DefaultOfficePassword, "default"}}, tries...)
	}
	tried := 0
	for _, pw := range tries {
		if c.tries >= c.w.lim.MaxPasswordTries || c.w.expired() {
			break
		}
		if c.w.hashRounds+rounds > maxOfficeHashRounds {
			return fmt.Sprintf("%s not opened: the message's budget of %d password hash rounds was spent after %d tries here", what, maxOfficeHashRounds, tried)
		}
		c.tries++
		tried++
		c.w.hashRounds += rounds
		if open(pw.text) {
			if pw.source != "default" {
				c.part.UnlockedBy = pw.source
			}
			return ""
		}
	}
	switch {
	case tried == 0:
		return what + " not opened: no password tries left"
	case office && c.skip == nil:
		return fmt.Sprintf("%s not opened with the default password or %d others", what, tried-1)
	}
	return fmt.Sprintf("%s not opened with %d passwords", what, tried)
}

// unlockRC4 reads a binary document's RC4 encryption header and unlocks it
// as unlockOffice does: the key of each block, or why the document stays
// shut.
func (c *container) unlockRC4(what string, hdr []byte) (func(block uint32) []byte, string) {
	s, err := parseRC4Encryption(hdr)
	if err != nil {
		return nil, fmt.Sprintf("%s not opened: %v", what, err)
	}
	var keyFor func(uint32) []byte
	if why := c.unlockOffice(what+" ("+s.kind+")", s.rounds, func(pw string) bool {
		keyFor = s.open(pw)
		return keyFor != nil
	}); why != "" {
		return nil, why
	}
	return keyFor, ""
}

// rc4Scheme is the key schedule of an RC4-encrypted binary document:
// legacy RC4 (MD5, MS-OFFCRYPTO 2.3.6) or RC4 CryptoAPI (SHA-1, 2.3.5).
type rc4Scheme struct {
	kind   string
	rounds int64
	// open returns the RC4 key of each block for a password that opens the
	// document, or nil.
	open func(pw string) func(block uint32) []byte
}

// parseRC4Encryption reads the encryption header of a binary document from
// its version field on: 1.1 is RC4, 2.2, 3.2 and 4.2 are RC4 CryptoAPI.
func parseRC4Encryption(b []byte) (*rc4Scheme, error) {
	if len(b) < 4 {
		return nil, errors.New("encryption header too short")
	}
	major, minor := binary.LittleEndian.Uint16(b), binary.LittleEndian.Uint16(b[2:])
	switch {
	case major == 1 && minor == 1:
		if len(b) < 4+48 {
			return nil, errors.New("RC4 encryption header too short")
		}
		hdr := b[4:52]
		return &rc4Scheme{kind: "RC4", rounds: 2, open: func(pw string) func(uint32) []byte {
			key, ok := rc4Verify(pw, hdr)
			if !ok {
				return nil
			}
			return func(block uint32) []byte { return rc4Key(key, block) }
		}}, nil
	case (major == 2 || major == 3 || major == 4) && minor == 2:
		h, err := parseCryptoAPIHeader(b[4:])
		if err != nil {
			return nil, err
		}
		return h.rc4CryptoAPI()
	}
	return nil, fmt.Errorf("encryption version %d.%d is not RC4 or RC4 CryptoAPI", major, minor)
}

// rc4CryptoAPI is the key schedule of RC4 CryptoAPI (MS-OFFCRYPTO 2.3.5.2).
func (h cryptoAPIHeader) rc4CryptoAPI() (*rc4Scheme, error) {
	if h.algID != algRC4 && !(h.algID == 0 && h.flags&cryptoFlagAES == 0) {
		return nil, fmt.Errorf("CryptoAPI algorithm %#x is not RC4", h.algID)
	}
	bits := h.keyBits
	if bits == 0 {
		bits = 40
	}
	if bits < 40 || bits > 128 || bits%8 != 0 {
		return nil, fmt.Errorf("RC4 key of %d bits", bits)
	}
	if len(h.verifierSum) < 20 {
		return nil, errors.New("RC4 verifier hash shorter than 20 bytes")
	}
	return &rc4Scheme{kind: fmt.Sprintf("RC4 CryptoAPI %d-bit", bits), rounds: 3, open: func(pw string) func(uint32) []byte {
		h0 := sha1.Sum(append(append([]byte{}, h.salt...), cryptkeys.UTF16LE(pw)...))
		keyFor := func(block uint32) []byte {
			sum := sha1.Sum(binary.LittleEndian.AppendUint32(h0[:], block))
			key := sum[:bits/8]
			if bits == 40 {
				key = append(key[:5:5], make([]byte, 11)...) // 40 bits, then 88 zero bits
			}
			return key
		}
		c, err := rc4.NewCipher(keyFor(0))
		if err != nil {
			return nil
		}
		v := make([]byte, 36)
		c.XORKeyStream(v, append(append([]byte{}, h.verifier...), h.verifierSum[:20]...))
		want := sha1.Sum(v[:16])
		if subtle.ConstantTimeCompare(want[:], v[16:]) != 1 {
			return nil
		}
		return keyFor
	}}, nil
}

// rc4Key derives the legacy RC4 key of one block (MS-OFFCRYPTO 2.3.6.2).
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
	h0 := md5.Sum(cryptkeys.UTF16LE(password))
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

// rc4Keystream is the keystream of a stream of n bytes whose RC4 key
// changes every blockSize bytes.
func rc4Keystream(n, blockSize int, keyFor func(uint32) []byte) []byte {
	ks := make([]byte, n)
	for off := 0; off < n; off += blockSize {
		c, err := rc4.NewCipher(keyFor(uint32(off / blockSize)))
		if err != nil {
			break
		}
		end := min(off+blockSize, n)
		c.XORKeyStream(ks[off:end], ks[off:end])
	}
	return ks
}

// rc4Stream decrypts a stream encrypted from its start, keeping its first
// clear bytes as they are.
func rc4Stream(b []byte, clear, blockSize int, keyFor func(uint32) []byte) []byte {
	out := append([]byte(nil), b...)
	ks := rc4Keystream(len(b), blockSize, keyFor)
	for i := min(clear, len(b)); i < len(b); i++ {
		out[i] ^= ks[i]
	}
	return out
}

// biffClear are records Excel never encrypts.
var biffClear = map[uint16]bool{0x0809: true, 0x002F: true, 0x00E1: true, 0x0194: true, 0x0195: true, 0x0196: true, 0x0138: true}

// rc4DecryptBIFF decrypts a Workbook stream after its FILEPASS record:
// record headers and a few records stay clear, the rest is XORed with an
// RC4 stream re-keyed every 1024 bytes of the stream.
func rc4DecryptBIFF(b []byte, keyFor func(uint32) []byte) []byte {
	out := append([]byte(nil), b...)
	ks := rc4Keystream(len(b), 1024, keyFor)
	xor := func(from, to int) {
		for i := from; i < to; i++ {
			out[i] ^= ks[i]
		}
	}
	biffEncrypted(out, func(_, from, end int) { xor(from, end) })
	return out
}

// biffEncrypted walks a Workbook stream's records and calls decrypt for
// each one Excel encrypts, with its data [data, end) and the offset from
// which it is encrypted: record headers, every record up to FILEPASS, the
// records of biffClear and a BOUNDSHEET's lbPlyPos stay clear. The one walk
// for RC4 and XOR obfuscation; decrypt may change the record's data.
func biffEncrypted(b []byte, decrypt func(data, from, end int)) {
	le := binary.LittleEndian
	seenFilePass := false
	for p, n := 0, 0; p+4 <= len(b) && n < maxBIFFRecords; n++ {
		id := le.Uint16(b[p:])
		size := min(int(le.Uint16(b[p+2:])), len(b)-p-4)
		data, end := p+4, p+4+size
		switch {
		case !seenFilePass:
			seenFilePass = id == biffFilePass
		case biffClear[id]:
		case id == biffBoundSheet && size >= 4:
			decrypt(data, data+4, end) // lbPlyPos stays clear
		default:
			decrypt(data, data, end)
		}
		p = end
	}
}

// openEncryptedWorkbook tries the default password and the message's on an
// encrypted Workbook stream; it returns the decrypted stream, or why not.
func (c *container) openEncryptedWorkbook(wb []byte) ([]byte, string) {
	what := "encrypted workbook " + quote(cleanName(baseName(c.part.Filename)))
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
	if len(fp) < 2 {
		return nil, what + " not opened: its FILEPASS record is missing or empty"
	}
	if le.Uint16(fp) == 0 { // XOR obfuscation (xorobf.go)
		if len(fp) < 6 {
			return nil, what + " not opened: its XOR obfuscation FILEPASS is truncated"
		}
		key, verifier := le.Uint16(fp[2:]), le.Uint16(fp[4:])
		var arr [16]byte
		if why := c.unlockOffice(what+" (XOR obfuscation)", 1, func(pw string) bool {
			a, ok := xorOpens(pw, key, verifier)
			arr = a
			return ok
		}); why != "" {
			return nil, why
		}
		return xorDecryptBIFF(wb, arr), ""
	}
	keyFor, why := c.unlockRC4(what, fp[2:])
	if why != "" {
		return nil, why
	}
	return rc4DecryptBIFF(wb, keyFor), ""
}

// Word's FIB flags (MS-DOC FibBase) and the clear part of WordDocument.
const (
	fibEncrypted   = 0x0100
	fibWhichTable  = 0x0200
	fibObfuscated  = 0x8000
	fibBaseSize    = 68
	wordBlock      = 512
	maxWordHdrSize = 4096
)

// openEncryptedOffice opens the encrypted documents among a compound
// file's root streams: an OOXML EncryptedPackage, an encrypted Word
// document, a PowerPoint presentation (recognised, not opened).
func (c *container) openEncryptedOffice(root map[string][]byte) error {
	if pkg, ok := root["EncryptedPackage"]; ok {
		return c.openEncryptedPackage(root["EncryptionInfo"], pkg)
	}
	if wd := root["WordDocument"]; len(wd) >= fibBaseSize && binary.LittleEndian.Uint16(wd) == 0xA5EC && binary.LittleEndian.Uint16(wd[10:])&fibEncrypted != 0 {
		return c.openEncryptedWord(root, wd)
	}
	if _, ok := root["EncryptedSummary"]; ok {
		return c.openEncryptedPPT(root["PowerPoint Document"], root["Current User"])
	}
	return nil
}

// pptCryptSession is the record type of a CryptSession10Container.
const pptCryptSession = 0x2F14

// openEncryptedPPT decrypts a PowerPoint Document stream encrypted with RC4
// CryptoAPI (MS-PPT 2.3.7): the UserEditAtom names the persist object that
// holds the encryption header (a CryptSession10Container); every other
// persist object is encrypted from its record header on, under the key of
// its persist id, and edits and persist directories stay clear. The
// decrypted stream is added as "PowerPoint Document (decrypted)" and its
// storages (the VBA project, embedded objects) come out as for a plain one.
func (c *container) openEncryptedPPT(stream, currentUser []byte) error {
	what := "encrypted PowerPoint presentation " + quote(cleanName(baseName(c.part.Filename)))
	objs, crypt := pptPersistObjects(stream, currentUser)
	var hdr []byte
	for _, o := range objs {
		if o.id == crypt && o.off >= 0 && o.off <= len(stream)-8 && binary.LittleEndian.Uint16(stream[o.off+2:]) == pptCryptSession {
			size := int(min(uint64(binary.LittleEndian.Uint32(stream[o.off+4:])), uint64(len(stream)-o.off-8)))
			hdr = stream[o.off+8 : o.off+8+size]
		}
	}
	if crypt == 0 {
		// An EncryptedSummary stream but no encryption: PowerPoint reads the
		// stream as it is, and so do we.
		return c.addPPTStorages(stream, currentUser)
	}
	if hdr == nil {
		c.w.problem(c.part, ReasonEncryptedDoc, what+" not opened: the last edit names no CryptSession10Container")
		return nil
	}
	keyFor, why := c.unlockRC4(what, hdr)
	if why != "" {
		c.w.problem(c.part, ReasonEncryptedDoc, why)
		return nil
	}
	if !c.budget(int64(len(stream))) {
		return errStop
	}
	plain := append([]byte(nil), stream...)
	for _, o := range objs {
		if o.id == crypt || o.off < 0 || o.off > len(plain)-8 {
			continue
		}
		rc, err := rc4.NewCipher(keyFor(uint32(o.id)))
		if err != nil {
			continue
		}
		rc.XORKeyStream(plain[o.off:o.off+8], stream[o.off:o.off+8])
		size := int(min(uint64(binary.LittleEndian.Uint32(plain[o.off+4:])), uint64(len(plain)-o.off-8)))
		rc.XORKeyStream(plain[o.off+8:o.off+8+size], stream[o.off+8:o.off+8+size])
	}
	if c.addUnder(c.part, c.base, "PowerPoint Document (decrypted)", plain) == nil {
		return errStop
	}
	return c.addPPTStorages(plain, currentUser)
}

// openEncryptedWord decrypts a Word 97-2003 document's WordDocument, Table
// and Data streams (512-byte RC4 blocks from each stream's start; the FIB
// base and the Table stream's encryption header stay clear) and adds them
// under "decrypted/", where the Word field checks read them.
func (c *container) openEncryptedWord(root map[string][]byte, wd []byte) error {
	le := binary.LittleEndian
	what := "encrypted Word document " + quote(cleanName(baseName(c.part.Filename)))
	flags := le.Uint16(wd[10:])
	tableName := "0Table"
	if flags&fibWhichTable != 0 {
		tableName = "1Table"
	}
	table := root[tableName]
	var streams []struct {
		name string
		data []byte
	}
	add := func(name string, b []byte) {
		streams = append(streams, struct {
			name string
			data []byte
		}{name, b})
	}
	if lKey := le.Uint32(wd[14:]); flags&fibObfuscated != 0 || lKey>>16 != 0 {
		// XOR obfuscation (xorobf.go): lKey is the key and verifier, not
		// an RC4 header's size (LibreOffice tells them apart the same way).
		var arr [16]byte
		if why := c.unlockPasswords(what+" (XOR obfuscation)", 1, false, func(pw string) bool {
			a, ok := xorOpens(pw, uint16(lKey>>16), uint16(lKey))
			arr = a
			return ok
		}); why != "" {
			c.w.problem(c.part, ReasonEncryptedDoc, why)
			return nil
		}
		plainWD := cryptkeys.XORWord(wd, fibBaseSize, arr)
		le.PutUint16(plainWD[10:], flags&^(fibEncrypted|fibObfuscated))
		add("WordDocument", plainWD)
		add(tableName, cryptkeys.XORWord(table, 0, arr))
		if data, ok := root["Data"]; ok {
			add("Data", cryptkeys.XORWord(data, 0, arr))
		}
		return c.addDecryptedWord(streams)
	}
	hdrSize := int(le.Uint32(wd[14:]))
	if hdrSize < 8 || hdrSize > maxWordHdrSize || hdrSize > len(table) {
		c.w.problem(c.part, ReasonEncryptedDoc, fmt.Sprintf("%s not opened: encryption header of %d bytes in a %d-byte %s stream", what, hdrSize, len(table), tableName))
		return nil
	}
	keyFor, why := c.unlockRC4(what, table[:hdrSize])
	if why != "" {
		c.w.problem(c.part, ReasonEncryptedDoc, why)
		return nil
	}
	plainWD := rc4Stream(wd, fibBaseSize, wordBlock, keyFor)
	le.PutUint16(plainWD[10:], flags&^fibEncrypted)
	add("WordDocument", plainWD)
	add(tableName, rc4Stream(table, hdrSize, wordBlock, keyFor))
	if data, ok := root["Data"]; ok {
		add("Data", rc4Stream(data, 0, wordBlock, keyFor))
	}
	return c.addDecryptedWord(streams)
}

// addDecryptedWord adds a Word document's decrypted streams under
// "decrypted/", where the Word field checks read them.
func (c *container) addDecryptedWord(streams []struct {
	name string
	data []byte
}) error {
	for _, st := range streams {
		if !c.budget(int64(len(st.data))) || c.addUnder(c.part, c.base+"/decrypted", st.name, st.data) == nil {
			return errStop
		}
	}
	return nil
}
