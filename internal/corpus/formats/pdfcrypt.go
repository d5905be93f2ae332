package formats

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"fmt"
	"regexp"
	"strings"
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

	enc := make([]string, 0, len(objs)+1)
	for i, body := range objs {
		num := i + 1
		ok := md5.Sum(append(bytes.Clone(key), byte(num), byte(num>>8), byte(num>>16), 0, 0))
		objKey := ok[:16]
		head, data, stream := body, "", false
		if at := strings.Index(body, "\nstream\n"); at >= 0 {
			end := strings.LastIndex(body, "\nendstream")
			head, data, stream = body[:at], body[at+len("\nstream\n"):end], true
		}
		head = pdfLiteralString.ReplaceAllStringFunc(head, func(s string) string {
			return fmt.Sprintf("<%X>", rc4x(objKey, []byte(s[1:len(s)-1])))
		})
		if stream {
			head += "\nstream\n" + string(rc4x(objKey, []byte(data))) + "\nendstream"
		}
		enc = append(enc, head)
	}
	encNum := len(objs) + 1
	enc = append(enc, fmt.Sprintf("<< /Filter /Standard /V 2 /R 3 /Length 128 /P %d /O <%X> /U <%X> >>", p, o, uEntry))
	pdf := PDF(enc...)
	trailer := fmt.Sprintf("/Root 1 0 R /Encrypt %d 0 R /ID [<%X> <%X>]", encNum, id, id)
	return bytes.Replace(pdf, []byte("/Root 1 0 R"), []byte(trailer), 1)
}
