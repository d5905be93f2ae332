package unpack

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// Encrypted OpenDocument files (ODF 1.2 part 3, section 3.4; LibreOffice's
// "Save with password"). The package stays a zip whose members (content.xml,
// styles.xml, Basic macro modules, embedded objects...) are each deflated,
// then encrypted with a key of their own: PBKDF2-HMAC-SHA1 over the SHA-256
// (or, before ODF 1.2, SHA-1) of the password, with the member's salt and
// iteration count, and AES-256-CBC. META-INF/manifest.xml says which members
// are encrypted and how. Before this, the encrypted members were read as
// opaque bytes and such a document was accepted clean with macros inside.
//
// A password is tried on one member (content.xml when it is encrypted)
// against its checksum, then the other members are decrypted with it; every
// try and every member's key costs its iteration count against the
// message's budget of password hash rounds (maxOfficeHashRounds), as Office
// documents do. A member not decrypted (no password opened the document,
// the budget was spent, Blowfish as OpenOffice.org 1 and 2 wrote it,
// Argon2id and AES-GCM as LibreOffice 24 writes them) is an empty part with
// Encrypted set, and the document is encrypted-document (unscannable).

const (
	maxODFEntries   = 4096    // manifest entries read
	maxODFIteration = 1 << 20 // PBKDF2 iterations per key: more is refused, not tried
)

// odfManifest is what META-INF/manifest.xml says about encryption.
// Attributes match whatever their namespace prefix.
type odfManifest struct {
	Entries []odfEntry `xml:"file-entry"`
}

type odfEntry struct {
	Path string  `xml:"full-path,attr"`
	Enc  *odfEnc `xml:"encryption-data"`
}

type odfEnc struct {
	ChecksumType string `xml:"checksum-type,attr"`
	Checksum     string `xml:"checksum,attr"`
	Algorithm    struct {
		Name string `xml:"algorithm-name,attr"`
		IV   string `xml:"initialisation-vector,attr"`
	} `xml:"algorithm"`
	StartKey struct {
		Name string `xml:"start-key-generation-name,attr"`
	} `xml:"start-key-generation"`
	KDF struct {
		Name       string `xml:"key-derivation-name,attr"`
		KeySize    int    `xml:"key-size,attr"`
		Iterations int    `xml:"iteration-count,attr"`
		Salt       string `xml:"salt,attr"`
	} `xml:"key-derivation"`
}

// odfSealed is one encrypted member: its part (the ciphertext as stored)
// and how to open it.
type odfSealed struct {
	part     *message.Part
	name     string
	iv, salt []byte
	sum      []byte
	sumHash  func([]byte) []byte // checksum of the first 1024 decrypted bytes
	start    func([]byte) []byte // the password's start key
	iter     int
	why      string // why it cannot be opened at all ("" when it can)
}

// openODFCrypt decrypts the encrypted members of an OpenDocument package
// whose members were just added, when its manifest says it is encrypted.
func (c *container) openODFCrypt() error {
	var manifest *message.Part
	members := map[string]*message.Part{}
	for _, p := range c.zipParts {
		if p == nil {
			continue
		}
		name := strings.TrimPrefix(p.Path, c.base+"/")
		members[name] = p
		if name == "META-INF/manifest.xml" {
			manifest = p
		}
	}
	if manifest == nil || !bytes.Contains(manifest.Content, []byte("encryption-data")) {
		return nil
	}
	var mf odfManifest
	if err := xml.Unmarshal(manifest.Content, &mf); err != nil {
		c.w.problem(c.part, ReasonEncryptedDoc, fmt.Sprintf("encrypted OpenDocument %q: its manifest cannot be read: %v", c.part.Path, err))
		return nil
	}
	var sealed []*odfSealed
	for i, e := range mf.Entries {
		if i == maxODFEntries {
			break
		}
		p := members[strings.TrimPrefix(e.Path, "/")]
		if e.Enc == nil || p == nil || p.Encrypted {
			continue
		}
		sealed = append(sealed, odfMember(p, e))
	}
	if len(sealed) == 0 {
		return nil
	}
	// The member the passwords are tried on: content.xml, else the first
	// that can be opened.
	var probe *odfSealed
	for _, s := range sealed {
		if s.why == "" && (probe == nil || s.name == "content.xml") {
			probe = s
		}
	}
	what := fmt.Sprintf("encrypted OpenDocument %q", cleanName(baseName(c.part.Filename)))
	var password string
	opened := false
	why := what + " not opened: " + sealed[0].why
	if probe != nil {
		why = c.unlockPasswords(what, int64(probe.iter), false, func(pw string) bool {
			if probe.decrypt(pw) != nil {
				password, opened = pw, true
			}
			return opened
		})
	}
	shut := 0
	for _, s := range sealed {
		if opened && s.why == "" {
			if s != probe && c.w.hashRounds+int64(s.iter) > maxOfficeHashRounds {
				s.why = fmt.Sprintf("the message's budget of %d password hash rounds was spent", maxOfficeHashRounds)
			} else {
				if s != probe {
					c.w.hashRounds += int64(s.iter)
				}
				if plain := s.decrypt(password); plain != nil {
					if err := c.odfPlain(s, plain); err != nil {
						return err
					}
					continue
				}
				s.why = "the password that opened the document does not open it"
			}
		}
		s.part.Content, s.part.DetectedType, s.part.Encrypted = nil, "", true
		shut++
		if opened {
			why = fmt.Sprintf("%s: member %q not decrypted: %s", what, s.name, s.why)
		}
	}
	if shut > 0 {
		if opened {
			why = fmt.Sprintf("%s (%d of %d encrypted members not decrypted)", why, shut, len(sealed))
		}
		c.w.problem(c.part, ReasonEncryptedDoc, why)
	}
	return nil
}

// odfMember reads one manifest entry's encryption data.
func odfMember(p *message.Part, e odfEntry) *odfSealed {
	s := &odfSealed{part: p, name: strings.TrimPrefix(e.Path, "/"), iter: e.Enc.KDF.Iterations}
	d := base64.StdEncoding.DecodeString
	var err1, err2, err3 error
	s.iv, err1 = d(e.Enc.Algorithm.IV)
	s.salt, err2 = d(e.Enc.KDF.Salt)
	s.sum, err3 = d(e.Enc.Checksum)
	algo := e.Enc.Algorithm.Name
	switch {
	case err1 != nil || err2 != nil || err3 != nil:
		s.why = "its encryption data is not base64"
	case algo != "http://www.w3.org/2001/04/xmlenc#aes256-cbc":
		s.why = "its algorithm " + quote(algo) + " is not one Kensa decrypts"
	case e.Enc.KDF.Name != "PBKDF2":
		s.why = "its key derivation " + quote(e.Enc.KDF.Name) + " is not one Kensa uses"
	case e.Enc.KDF.KeySize != 0 && e.Enc.KDF.KeySize != 32 || len(s.iv) != aes.BlockSize:
		s.why = "its key or IV size does not fit AES-256-CBC"
	case s.iter < 1 || s.iter > maxODFIteration:
		s.why = fmt.Sprintf("its key derivation asks for %d iterations", s.iter)
	}
	switch e.Enc.StartKey.Name {
	case "", "SHA1", "http://www.w3.org/2000/09/xmldsig#sha1":
		s.start = func(b []byte) []byte { h := sha1.Sum(b); return h[:] }
	case "SHA256", "http://www.w3.org/2000/09/xmldsig#sha256", "http://www.w3.org/2001/04/xmlenc#sha256":
		s.start = func(b []byte) []byte { h := sha256.Sum256(b); return h[:] }
	default:
		s.why = "its start key " + quote(e.Enc.StartKey.Name) + " is not one Kensa computes"
	}
	switch t := e.Enc.ChecksumType; {
	case strings.HasSuffix(t, "sha256-1k"):
		s.sumHash = func(b []byte) []byte { h := sha256.Sum256(b); return h[:] }
	case t == "SHA1/1K" || strings.HasSuffix(t, "sha1-1k"):
		s.sumHash = func(b []byte) []byte { h := sha1.Sum(b); return h[:] }
	default:
		if s.why == "" {
			s.why = "its checksum " + quote(t) + " is not one Kensa checks"
		}
	}
	return s
}

// decrypt returns the member's deflated plaintext when pw opens it.
func (s *odfSealed) decrypt(pw string) []byte {
	data := s.part.Content
	if s.why != "" || len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil
	}
	key, err := pbkdf2.Key(sha1.New, string(s.start([]byte(pw))), s.salt, s.iter, 32)
	if err != nil {
		return nil
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil
	}
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, s.iv).CryptBlocks(plain, data)
	// W3C padding: the last byte counts the padding bytes.
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > aes.BlockSize {
		return nil
	}
	plain = plain[:len(plain)-pad]
	if !bytes.Equal(s.sumHash(plain[:min(len(plain), 1024)]), s.sum) {
		return nil
	}
	return plain
}

// odfPlain puts a decrypted member's content in place of its ciphertext,
// inflated through the limits.
func (c *container) odfPlain(s *odfSealed, deflated []byte) error {
	data, err := c.read(s.name, newInflater(bytes.NewReader(deflated)), int64(len(deflated)))
	var le *limitErr
	switch {
	case errors.Is(err, errStop):
		return err
	case errors.As(err, &le):
		c.truncated(s.part)
	case err != nil:
		// Stored, not deflated: the checksum held, so this is the content.
		data = deflated
	}
	s.part.Content, s.part.DetectedType = data, detectType(data)
	return nil
}
