package pdfsyntax

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"hash"
	"strconv"
)

// PDF Standard security handler (ISO 32000-1 7.6.3, ISO 32000-2 7.6.4):
// most encrypted PDFs in mail are "permission-only", encrypted with an empty
// user password that every reader opens without asking. Kensa opens them the
// same way, then tries the passwords the message offers, and decrypts the
// streams before their filters. R2–R4 (RC4 and AES-128, V1/V2/V4 with crypt
// filters) and R5/R6 (AES-256) are read; anything else stays encrypted.

// pad is the 32-byte padding of Algorithm 2.
var pad = []byte{
	0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
}

// Cipher is how one kind of object (streams or strings) is encrypted.
type Cipher int

const (
	CipherNone Cipher = iota
	CipherRC4
	CipherAES128
	CipherAES256
)

// Security is a parsed Standard security handler dictionary.
type Security struct {
	v, r         int
	keyLen       int // bytes, R2–R4
	o, u, oe, ue []byte
	p            int32
	id           []byte
	encMeta      bool
	stm, str     Cipher
	named        map[string]Cipher // the /CF entries, for /Crypt stream filters
}

// Crypt decrypts the objects of an opened document.
type Crypt struct {
	key      []byte
	stm, str Cipher
	encMeta  bool
	named    map[string]Cipher
}

// ParseSecurity reads the /Encrypt dictionary; an error says why it is
// not one Kensa can open.
func ParseSecurity(dict, id []byte) (*Security, error) {
	e := entries(dict)
	if e == nil {
		return nil, fmt.Errorf("the /Encrypt dictionary cannot be read")
	}
	if f := string(e["Filter"]); f != "/Standard" {
		return nil, fmt.Errorf("security handler %s is not the Standard one", printable(f))
	}
	s := &Security{id: id, encMeta: true}
	s.v, _ = strconv.Atoi(string(e["V"]))
	s.r, _ = strconv.Atoi(string(e["R"]))
	p, _ := strconv.ParseInt(string(e["P"]), 10, 64)
	s.p = int32(p)
	s.o, s.u = StringValue(e["O"]), StringValue(e["U"])
	s.oe, s.ue = StringValue(e["OE"]), StringValue(e["UE"])
	if string(e["EncryptMetadata"]) == "false" {
		s.encMeta = false
	}
	bits := 40
	if l, err := strconv.Atoi(string(e["Length"])); err == nil {
		bits = l
	}
	switch {
	case s.v == 1 && s.r == 2:
		s.keyLen, s.stm, s.str = 5, CipherRC4, CipherRC4
	case s.v == 2 && (s.r == 2 || s.r == 3):
		s.stm, s.str = CipherRC4, CipherRC4
	case s.v == 4 && s.r == 4:
		bits = 128
		if l, err := strconv.Atoi(string(e["Length"])); err == nil && l >= 40 {
			bits = l
		}
	case s.v == 5 && (s.r == 5 || s.r == 6):
	default:
		return nil, fmt.Errorf("unsupported Standard handler version V %d R %d", s.v, s.r)
	}
	if s.v == 2 || s.v == 4 {
		if bits < 40 || bits > 128 || bits%8 != 0 {
			return nil, fmt.Errorf("bad key length %d", bits)
		}
		s.keyLen = bits / 8
	}
	if s.v >= 4 {
		var err error
		if s.stm, err = cryptFilter(e, "StmF"); err != nil {
			return nil, err
		}
		if s.str, err = cryptFilter(e, "StrF"); err != nil {
			return nil, err
		}
		s.named = map[string]Cipher{}
		for name := range entries(e["CF"]) {
			if c, err := cryptFilter(map[string][]byte{"CF": e["CF"], "F": []byte("/" + name)}, "F"); err == nil {
				s.named[name] = c
			}
		}
	}
	need := 32
	if s.r >= 5 {
		need = 48
		if len(s.ue) < 32 {
			return nil, fmt.Errorf("/UE is missing or short")
		}
	}
	if len(s.o) < need || len(s.u) < need {
		return nil, fmt.Errorf("/O or /U is missing or short")
	}
	return s, nil
}

// cryptFilter resolves /StmF or /StrF through /CF.
func cryptFilter(e map[string][]byte, which string) (Cipher, error) {
	name := string(e[which])
	if name == "" || name == "/Identity" {
		return CipherNone, nil
	}
	cf := entries(entries(e["CF"])[name[min(1, len(name)):]])
	switch m := string(cf["CFM"]); m {
	case "/V2":
		return CipherRC4, nil
	case "/AESV2":
		return CipherAES128, nil
	case "/AESV3":
		return CipherAES256, nil
	case "/None", "":
		return CipherNone, nil
	default:
		return CipherNone, fmt.Errorf("crypt filter method %s is not supported", printable(m))
	}
}

// printable is a name from the file fit for a message: at most 40
// characters, printable ASCII only.
func printable(s string) string {
	out := make([]byte, 0, min(len(s), 40))
	for i := 0; i < len(s) && len(out) < 40; i++ {
		if c := s[i]; c > ' ' && c < 0x7f {
			out = append(out, c)
		}
	}
	return string(out)
}

// open returns the decryptor when password is the user password.
func (s *Security) Open(password string) *Crypt {
	var key []byte
	if s.r >= 5 {
		key = s.openAES256(password)
	} else {
		key = s.openRC4Era(password)
	}
	if key == nil {
		return nil
	}
	return &Crypt{key: key, stm: s.stm, str: s.str, encMeta: s.encMeta, named: s.named}
}

// openRC4Era is Algorithm 2 (file key) checked by Algorithm 4 or 5.
func (s *Security) openRC4Era(password string) []byte {
	pw := make([]byte, 0, 64)
	for _, r := range password { // PDFDocEncoding: Latin-1 where it fits
		if r < 256 {
			pw = append(pw, byte(r))
		} else {
			pw = append(pw, string(r)...)
		}
	}
	pw = append(pw[:min(len(pw), 32)], pad...)[:32]
	h := md5.New()
	h.Write(pw)
	h.Write(s.o[:32])
	var p [4]byte
	binary.LittleEndian.PutUint32(p[:], uint32(s.p))
	h.Write(p[:])
	h.Write(s.id)
	if s.r >= 4 && !s.encMeta {
		h.Write([]byte{0xFF, 0xFF, 0xFF, 0xFF})
	}
	sum := h.Sum(nil)
	n := s.keyLen
	if s.r >= 3 {
		for range 50 {
			d := md5.Sum(sum[:n])
			sum = d[:]
		}
	}
	key := sum[:n]
	if s.r == 2 {
		c, _ := rc4.NewCipher(key)
		got := make([]byte, 32)
		c.XORKeyStream(got, pad)
		if !bytes.Equal(got, s.u[:32]) {
			return nil
		}
		return key
	}
	h.Reset()
	h.Write(pad)
	h.Write(s.id)
	x := h.Sum(nil)
	k := make([]byte, n)
	for i := 0; i < 20; i++ {
		for j := range k {
			k[j] = key[j] ^ byte(i)
		}
		c, _ := rc4.NewCipher(k)
		c.XORKeyStream(x, x)
	}
	if !bytes.Equal(x[:16], s.u[:16]) {
		return nil
	}
	return key
}

// openAES256 checks the user password against /U and unwraps /UE (R5, R6).
func (s *Security) openAES256(password string) []byte {
	pw := []byte(password)
	pw = pw[:min(len(pw), 127)]
	if !bytes.Equal(s.hash(pw, s.u[32:40]), s.u[:32]) {
		return nil
	}
	inter := s.hash(pw, s.u[40:48])
	block, err := aes.NewCipher(inter)
	if err != nil {
		return nil
	}
	key := make([]byte, 32)
	cipher.NewCBCDecrypter(block, make([]byte, 16)).CryptBlocks(key, s.ue[:32])
	return key
}

// hash is SHA-256 for R5 and Algorithm 2.B of ISO 32000-2 for R6 (user
// password, so no /U data is mixed in).
func (s *Security) hash(pw, salt []byte) []byte {
	if s.r == 5 {
		k := sha256.Sum256(append(append([]byte{}, pw...), salt...))
		return k[:]
	}
	return Hash2B(pw, salt, nil)
}

// Hash2B is Algorithm 2.B of ISO 32000-2 (R6): the password (its first
// 127 bytes), a salt and, for the owner password, the 48 bytes of /U
// (udata; nil for the user password), hashed in rounds of AES-128-CBC and
// SHA-2 until the last byte of a round's output allows the end: at least
// 64 rounds, at most 288. Readers check passwords with it, the corpus's
// writer makes /U, /UE, /O and /OE with it.
func Hash2B(pw, salt, udata []byte) []byte {
	pw = pw[:min(len(pw), 127)]
	k := sha256.Sum256(append(append(append([]byte{}, pw...), salt...), udata...))
	key := k[:]
	var e []byte
	for i := 0; i < 64 || int(e[len(e)-1]) > i-32; i++ {
		unit := append(append(append([]byte{}, pw...), key...), udata...)
		k1 := bytes.Repeat(unit, 64)
		block, _ := aes.NewCipher(key[:16])
		e = make([]byte, len(k1))
		cipher.NewCBCEncrypter(block, key[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, c := range e[:16] {
			sum += int(c)
		}
		var h hash.Hash
		switch sum % 3 {
		case 0:
			h = sha256.New()
		case 1:
			h = sha512.New384()
		default:
			h = sha512.New()
		}
		h.Write(e)
		key = h.Sum(nil)
	}
	return key[:32]
}

// StreamCipher is how a stream is encrypted: as /StmF says, unless its
// first filter is /Crypt, which names a crypt filter (/Identity by default:
// a stream left in clear in an encrypted document). ok is false for a name
// the document does not define.
func (d *Crypt) StreamCipher(dict []byte) (c Cipher, ok bool) {
	first, parms := firstFilter(dict)
	if first != "/Crypt" {
		return d.stm, true
	}
	name := "/Identity"
	if k := Key(parms, "/Name"); k >= 0 {
		name = string(Value(parms, k))
	}
	if name == "/Identity" {
		return CipherNone, true
	}
	c, ok = d.named[name[1:]]
	return c, ok
}

// firstFilter is the first name of a stream's /Filter (names unescaped in
// dict) and its /DecodeParms dictionary, when written in place.
func firstFilter(dict []byte) (name string, parms []byte) {
	i := Key(dict, "/Filter")
	if i < 0 {
		return "", nil
	}
	v := Value(dict, i)
	if len(v) > 0 && v[0] == '[' {
		v = Value(v, 1)
	}
	if len(v) == 0 || v[0] != '/' {
		return "", nil
	}
	if p := Key(dict, "/DecodeParms"); p >= 0 {
		parms = Value(dict, p)
		if len(parms) > 0 && parms[0] == '[' {
			parms = Value(parms, 1)
		}
		if !bytes.HasPrefix(parms, []byte("<<")) {
			parms = nil
		}
	}
	return string(v), parms
}

// Stream returns the plaintext of stream object num (dict with its names
// unescaped, data and full as Object has them). Cross-reference streams are
// never encrypted, nor is metadata under /EncryptMetadata false. ok is false
// when the stream's /Crypt filter names no crypt filter of the document.
func (d *Crypt) Stream(num, gen int, dict, data, full []byte) (plain []byte, ok bool) {
	if Key(dict, "/XRef") >= 0 || (!d.encMeta && Key(dict, "/Metadata") >= 0) {
		return data, true
	}
	ciph, ok := d.StreamCipher(dict)
	if !ok {
		return nil, false
	}
	return d.DecryptWith(ciph, num, gen, CipherText(dict, data, full, ciph)), true
}

// decrypt returns the plaintext of one stream (or string) of object num.
func (d *Crypt) Decrypt(num, gen int, data []byte, stream bool) []byte {
	ciph := d.str
	if stream {
		ciph = d.stm
	}
	return d.DecryptWith(ciph, num, gen, data)
}

// DecryptWith decrypts data of object num with the given method.
func (d *Crypt) DecryptWith(ciph Cipher, num, gen int, data []byte) []byte {
	key := d.key
	switch ciph {
	case CipherNone:
		return data
	case CipherRC4, CipherAES128:
		h := md5.New()
		h.Write(d.key)
		h.Write([]byte{byte(num), byte(num >> 8), byte(num >> 16), byte(gen), byte(gen >> 8)})
		if ciph == CipherAES128 {
			h.Write([]byte("sAlT"))
		}
		key = h.Sum(nil)[:min(len(d.key)+5, 16)]
	}
	if ciph == CipherRC4 {
		c, err := rc4.NewCipher(key)
		if err != nil {
			return nil
		}
		out := make([]byte, len(data))
		c.XORKeyStream(out, data)
		return out
	}
	// AES-CBC: a 16-byte IV first, PKCS#7 padding last. A ragged end (a
	// stream cut short) is dropped, as readers do.
	if len(data) < 32 {
		return nil
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil
	}
	body := data[16 : 16+(len(data)-16)/16*16]
	out := make([]byte, len(body))
	cipher.NewCBCDecrypter(block, data[:16]).CryptBlocks(out, body)
	if pad := int(out[len(out)-1]); pad >= 1 && pad <= 16 && bytes.Count(out[len(out)-pad:], out[len(out)-1:]) == pad {
		out = out[:len(out)-pad]
	}
	return out
}

// DecryptStrings returns an object's text with its strings decrypted
// and written as literal strings, or nil when it has none: link targets
// (/URI) and scripts (/JS) in strings then reach the joined streams, where
// the URL and script checks read them.
func (d *Crypt) DecryptStrings(raw []byte, num, gen int) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(raw); {
		tok, end := token(raw, i)
		if tok == nil {
			break
		}
		start := end - len(tok)
		i = end
		if !(tok[0] == '(' || (tok[0] == '<' && string(tok) != "<<")) {
			continue
		}
		plain := d.Decrypt(num, gen, StringValue(tok), false)
		out = append(out, raw[last:start]...)
		out = append(out, '(')
		for _, c := range plain {
			if c == '(' || c == ')' || c == '\\' {
				out = append(out, '\\')
			}
			out = append(out, c)
		}
		out = append(out, ')')
		last = end
	}
	if out == nil {
		return nil
	}
	return append(out, raw[last:]...)
}

// CipherText is a stream's encrypted data: ciphertext may end in a byte
// that looks like the end of line before "endstream", so a direct /Length
// (or, for AES, whole blocks) decides.
func CipherText(dict, data, full []byte, c Cipher) []byte {
	if l := IntParam(dict, "/Length", -1); l >= len(data) && l <= len(full) {
		return full[:l]
	}
	if c == CipherAES128 || c == CipherAES256 {
		for l := len(data); l <= len(full) && l <= len(data)+2; l++ {
			if l%16 == 0 {
				return full[:l]
			}
		}
	}
	return data
}

// token returns the token at b[i:] after blanks and comments: a
// delimiter ("<<", ">>", "[", "]"), a name, a string with its delimiters,
// or a word; end is just after it (len(b) and nil at the end).
func token(b []byte, i int) (tok []byte, end int) {
	for i < len(b) {
		if Space(b[i]) {
			i++
		} else if b[i] == '%' {
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		} else {
			break
		}
	}
	if i >= len(b) {
		return nil, len(b)
	}
	switch c := b[i]; {
	case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '>' && i+1 < len(b) && b[i+1] == '>':
		return b[i : i+2], i + 2
	case c == '[' || c == ']' || c == '{' || c == '}' || c == '>' || c == ')':
		return b[i : i+1], i + 1
	case c == '<':
		end := HexEnd(b, i)
		return b[i:end], end
	case c == '(':
		end := LiteralEnd(b, i)
		return b[i:end], end
	}
	j := i + 1
	for j < len(b) && !Delimiter(b[j]) {
		j++
	}
	return b[i:j], j
}

// skipValue returns the end of the value starting at b[i:] (nested
// dictionaries and arrays whole, "N G R" as one value).
func skipValue(b []byte, i, depth int) int {
	tok, end := token(b, i)
	switch {
	case tok == nil || depth > 32:
		return len(b)
	case string(tok) == "<<" || string(tok) == "[":
		closer := ">>"
		if tok[0] == '[' {
			closer = "]"
		}
		for end < len(b) {
			t, e := token(b, end)
			if t == nil {
				return len(b)
			}
			if string(t) == closer {
				return e
			}
			end = skipValue(b, end, depth+1)
		}
		return end
	}
	if k := RefEnd(b, end-len(tok)); k > 0 {
		return k
	}
	return end
}

// entries reads the top level of a dictionary "<< /Key value … >>":
// keys without their slash, values as written. nil when b is not one.
func entries(b []byte) map[string][]byte {
	tok, i := token(b, 0)
	if string(tok) != "<<" {
		return nil
	}
	out := map[string][]byte{}
	for n := 0; i < len(b) && n < 256; n++ {
		key, end := token(b, i)
		if key == nil || string(key) == ">>" || key[0] != '/' {
			break
		}
		vend := skipValue(b, end, 0)
		out[string(key[1:])] = bytes.TrimSpace(b[end:vend])
		i = vend
	}
	return out
}

// StringValue decodes a string token: (literal) or <hex>.
func StringValue(tok []byte) []byte {
	switch {
	case len(tok) >= 2 && tok[0] == '(':
		return Literal(tok[1 : len(tok)-1])
	case len(tok) >= 1 && tok[0] == '<':
		return HexLoose(tok[1:])
	}
	return nil
}

// Literal undoes the escapes of a literal string's content (7.3.4.2).
func Literal(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' { // an end of line reads as \n
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			out = append(out, '\n')
			continue
		}
		if c != '\\' || i+1 >= len(b) {
			out = append(out, c)
			continue
		}
		i++
		switch c = b[i]; c {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		case '\n':
		default:
			if c >= '0' && c <= '7' {
				v := 0
				for k := 0; k < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7'; k++ {
					v = v*8 + int(b[i]-'0')
					i++
				}
				i--
				out = append(out, byte(v))
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

// FindEncrypt returns the /Encrypt dictionary's text and the first /ID
// string of the trailer; found is false for a plain PDF. Only the trailer
// that startxref names counts, as readers read it (a cross-reference
// stream's dictionary or the "trailer" after an xref table): an /Encrypt
// elsewhere (in a stream's data, an older trailer) would otherwise let a
// sender have Kensa "decrypt" plain streams into noise that readers never
// see. Such a PDF, or one whose startxref is broken, comes back found with
// a nil dict and a reason: it stays unscannable.
func FindEncrypt(b []byte, objs []Object) (dict, id []byte, found bool, why string) {
	trailer := findTrailer(b)
	at := -1
	if trailer != nil {
		at = encryptEntry(trailer)
	}
	if at < 0 {
		if !encryptAnywhere(b, objs) {
			return nil, nil, false, ""
		}
		if trailer == nil {
			return nil, nil, true, "an /Encrypt entry, and no trailer at startxref to tell whether it counts"
		}
		return nil, nil, true, "an /Encrypt entry outside the trailer at startxref (readers do not decrypt; a decoy?)"
	}
	v := Value(trailer, at)
	if k := RefEnd(v, 0); k > 0 {
		n, _ := strconv.Atoi(string(bytes.Fields(v)[0]))
		for _, o := range objs {
			if o.Num == n && !o.HasStream {
				dict = o.Dict // the last definition wins
			}
		}
	} else {
		dict = v
	}
	if k := Key(trailer, "/ID"); k >= 0 {
		if tok, end := token(trailer, k); string(tok) == "[" {
			s, _ := token(trailer, end)
			id = StringValue(s)
		}
	}
	return dict, id, true, ""
}

// findTrailer returns the trailer dictionary that the last startxref points
// to, or nil.
func findTrailer(b []byte) []byte {
	tail := b[max(0, len(b)-1024):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return nil
	}
	tok, _ := token(tail, i+len("startxref"))
	off, err := strconv.Atoi(string(tok))
	if err != nil || off < 0 || off >= len(b) {
		return nil
	}
	rest := b[off:]
	var at int
	if bytes.HasPrefix(rest, []byte("xref")) {
		at = bytes.Index(rest, []byte("trailer"))
		if at < 0 {
			return nil
		}
		at += len("trailer")
	} else {
		// A cross-reference stream: "N G obj << … >> stream".
		locs := Headers(rest[:min(len(rest), 64)])
		if len(locs) == 0 || locs[0][0] != 0 {
			return nil
		}
		at = locs[0][1]
	}
	tok, start := token(rest, at)
	if string(tok) != "<<" {
		return nil
	}
	start -= 2
	return rest[start:skipValue(rest, start, 0)]
}

// encryptAnywhere reports an /Encrypt entry in any stream dictionary or
// near either end of the file.
func encryptAnywhere(b []byte, objs []Object) bool {
	for _, o := range objs {
		if o.HasStream && encryptEntry(o.Dict) >= 0 {
			return true
		}
	}
	const window = 64 << 10
	if len(b) <= 2*window {
		return encryptEntry(b) >= 0
	}
	return encryptEntry(b[:window]) >= 0 || encryptEntry(b[len(b)-window:]) >= 0
}

// encryptEntry returns the index just after an "/Encrypt" key followed
// by a reference or a dictionary, or -1.
func encryptEntry(b []byte) int {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte("/Encrypt"))
		if i < 0 {
			return -1
		}
		at := off + i + len("/Encrypt")
		off = at
		if at < len(b) && !Delimiter(b[at]) {
			continue // /EncryptMetadata and the like
		}
		v := Value(b[at:min(len(b), at+64)], 0)
		if bytes.HasPrefix(v, []byte("<<")) || RefEnd(v, 0) > 0 {
			return at
		}
	}
}

// R is the handler's revision, for messages.
func (s *Security) R() int { return s.r }

// EncryptsMetadata is false under /EncryptMetadata false: the metadata
// stream is then in clear.
func (d *Crypt) EncryptsMetadata() bool { return d.encMeta }
