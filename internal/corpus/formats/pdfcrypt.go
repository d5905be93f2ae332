package formats

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/pdfsyntax"
)

// PDF encryption (ISO 32000-1 7.6.3), the writer side: a "permission-only"
// PDF as banks send them, RC4-128 (V2 R3) with an empty user password and
// an owner password, which every reader opens without asking.

var pdfPadding = []byte{
	0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
}

var pdfLiteralString = regexp.MustCompile(`\(([^()\\]*)\)`)

// PermissionOnlyPDF is PDF(objs...) encrypted with RC4-128 (V2 R3), user
// password userPW ("" for permission-only) and owner password "owner". In
// each object, stream data (as PDFStream writes it) and literal strings
// without escapes are encrypted; strings are written as hex.
func PermissionOnlyPDF(userPW string, objs ...string) []byte {
	return EncryptPDF(PDFRC4128, userPW, objs...)
}

// PDFEncryption is a Standard security handler revision the writer knows.
type PDFEncryption int

const (
	PDFRC4128   PDFEncryption = iota // V2 R3, RC4 with a 128-bit key
	PDFAES256R6                      // V5 R6, AES-256 (ISO 32000-2)
)

// EncryptPDF is PDF(objs...) encrypted with kind, user password userPW and
// owner password "owner", as PermissionOnlyPDF describes.
func EncryptPDF(kind PDFEncryption, userPW string, objs ...string) []byte {
	if kind == PDFAES256R6 {
		return aes256PDF(userPW, objs)
	}
	id := []byte("kensa-corpus-id!")
	const p = int32(-3904) // print only
	rc4x := func(key, b []byte) []byte {
		c, _ := rc4.NewCipher(key)
		out := make([]byte, len(b))
		c.XORKeyStream(out, b)
		return out
	}
	pad := func(s string) []byte { return append([]byte(s), pdfPadding...)[:32] }
	// Algorithm 3: /O from the owner password.
	ok := md5.Sum(pad("owner"))
	for range 50 {
		ok = md5.Sum(ok[:])
	}
	o := rc4x(ok[:], pad(userPW))
	for i := 1; i < 20; i++ {
		k := bytes.Clone(ok[:])
		for j := range k {
			k[j] ^= byte(i)
		}
		o = rc4x(k, o)
	}
	// Algorithm 2: the file key.
	h := md5.New()
	h.Write(pad(userPW))
	h.Write(o)
	pb := p
	h.Write(binary.LittleEndian.AppendUint32(nil, uint32(pb)))
	h.Write(id)
	key := h.Sum(nil)
	for range 50 {
		s := md5.Sum(key)
		key = s[:]
	}
	// Algorithm 5: /U.
	u := md5.Sum(append(bytes.Clone(pdfPadding), id...))
	x := u[:]
	for i := 0; i < 20; i++ {
		k := bytes.Clone(key)
		for j := range k {
			k[j] ^= byte(i)
		}
		x = rc4x(k, x)
	}
	uEntry := append(x, make([]byte, 16)...)

	enc := encryptObjects(objs, func(num int, b []byte) []byte {
		ok := md5.Sum(append(bytes.Clone(key), byte(num), byte(num>>8), byte(num>>16), 0, 0))
		return rc4x(ok[:16], b)
	})
	enc = append(enc, fmt.Sprintf("<< /Filter /Standard /V 2 /R 3 /Length 128 /P %d /O <%X> /U <%X> >>", p, o, uEntry))
	return withEncrypt(PDF(enc...), len(enc), id)
}

// withEncrypt names object encNum the /Encrypt dictionary in pdf's trailer.
func withEncrypt(pdf []byte, encNum int, id []byte) []byte {
	trailer := fmt.Sprintf("/Root 1 0 R /Encrypt %d 0 R /ID [<%X> <%X>]", encNum, id, id)
	return bytes.Replace(pdf, []byte("/Root 1 0 R"), []byte(trailer), 1)
}

// encryptObjects encrypts the stream data and the literal strings of each
// object (numbered from 1) with crypt; a stream's /Length follows its new
// size.
func encryptObjects(objs []string, crypt func(num int, b []byte) []byte) []string {
	enc := make([]string, 0, len(objs)+1)
	for i, body := range objs {
		num := i + 1
		head, data, stream := body, "", false
		if at := strings.Index(body, "\nstream\n"); at >= 0 {
			end := strings.LastIndex(body, "\nendstream")
			head, data, stream = body[:at], body[at+len("\nstream\n"):end], true
		}
		head = pdfLiteralString.ReplaceAllStringFunc(head, func(s string) string {
			return fmt.Sprintf("<%X>", crypt(num, []byte(s[1:len(s)-1])))
		})
		if stream {
			d := crypt(num, []byte(data))
			head = pdfAnyLength.ReplaceAllString(head, "/Length "+strconv.Itoa(len(d)))
			head += "\nstream\n" + string(d) + "\nendstream"
		}
		enc = append(enc, head)
	}
	return enc
}

// aes256PDF is EncryptPDF for V5 R6 (ISO 32000-2 7.6.4.4): a file key
// wrapped under the user and the owner password (/UE, /OE), /U and /O
// from Algorithm 2.B, /Perms, and AES-256-CBC for strings and streams.
// Salts, key and IVs come from fixed seeds: the corpus is reproducible.
func aes256PDF(userPW string, objs []string) []byte {
	id := []byte("kensa-corpus-id!")
	const p = int32(-3904)
	seed := func(s string, n int) []byte { h := sha256.Sum256([]byte("kensa corpus " + s)); return h[:n] }
	key := seed("file key", 32)
	wrap := func(k, b []byte) []byte { // AES-256-CBC, zero IV, no padding
		blk, _ := aes.NewCipher(k)
		out := make([]byte, len(b))
		cipher.NewCBCEncrypter(blk, make([]byte, 16)).CryptBlocks(out, b)
		return out
	}
	uv, uk := seed("u validation salt", 8), seed("u key salt", 8)
	u := append(append(pdfsyntax.Hash2B([]byte(userPW), uv, nil), uv...), uk...)
	ue := wrap(pdfsyntax.Hash2B([]byte(userPW), uk, nil), key)
	ov, ok := seed("o validation salt", 8), seed("o key salt", 8)
	o := append(append(pdfsyntax.Hash2B([]byte("owner"), ov, u), ov...), ok...)
	oe := wrap(pdfsyntax.Hash2B([]byte("owner"), ok, u), key)
	pb := p
	perms := binary.LittleEndian.AppendUint32(nil, uint32(pb))
	perms = append(perms, 0xFF, 0xFF, 0xFF, 0xFF, 'T', 'a', 'd', 'b', 'k', 'e', 'n', 's')
	blk, _ := aes.NewCipher(key)
	blk.Encrypt(perms, perms) // one block: ECB
	enc := encryptObjects(objs, func(num int, b []byte) []byte {
		pad := 16 - len(b)%16
		plain := append(bytes.Clone(b), bytes.Repeat([]byte{byte(pad)}, pad)...)
		iv := seed("iv "+strconv.Itoa(num)+" "+strconv.Itoa(len(b)), 16)
		out := make([]byte, len(plain))
		cipher.NewCBCEncrypter(blk, iv).CryptBlocks(out, plain)
		return append(iv, out...)
	})
	enc = append(enc, fmt.Sprintf("<< /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /AuthEvent /DocOpen /CFM /AESV3 /Length 32 >> >> /StmF /StdCF /StrF /StdCF /P %d /O <%X> /U <%X> /OE <%X> /UE <%X> /Perms <%X> >>", p, o, u, oe, ue, perms))
	return withEncrypt(PDF(enc...), len(enc), id)
}

// PDFObjectBodies splits a PDF written by PDF back into its object
// bodies, so that EncryptPDF can encrypt a finished one.
func PDFObjectBodies(pdf []byte) []string {
	var out []string
	for i := 1; ; i++ {
		head := fmt.Appendf(nil, "\n%d 0 obj\n", i)
		at := bytes.Index(pdf, head)
		if at < 0 {
			return out
		}
		body := pdf[at+len(head):]
		end := bytes.Index(body, []byte("\nendobj\n"))
		if next := bytes.Index(body, fmt.Appendf(nil, "\nendobj\n%d 0 obj\n", i+1)); next >= 0 {
			end = next
		}
		out = append(out, string(body[:end]))
	}
}
