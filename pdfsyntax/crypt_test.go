package pdfsyntax

import (
	"bytes"
	"strings"
	"testing"
)

// The decryptor never panics and stays bounded on any /Encrypt dictionary,
// /ID and data.
func FuzzPDFDecrypt(f *testing.F) {
	f.Add([]byte("<< /Filter /Standard /V 2 /R 3 /Length 128 /O <"+strings.Repeat("00", 32)+"> /U <"+strings.Repeat("11", 32)+"> /P -4 >>"), []byte("id"), "", []byte("data"))
	f.Add([]byte("<< /Filter /Standard /V 5 /R 6 /CF << /StdCF << /CFM /AESV3 >> >> /StmF /StdCF /StrF /StdCF /O <"+strings.Repeat("00", 48)+"> /U <"+strings.Repeat("11", 48)+"> /UE <"+strings.Repeat("22", 32)+"> /P -4 >>"), []byte(""), "pw", bytes.Repeat([]byte{7}, 48))
	f.Add([]byte("<< /Filter /Standard /V 4 /R 4 /CF << /StdCF << /CFM /AESV2 >> >> /StmF /StdCF /O (\\(\\)\\n\\101) /U <> >>"), []byte("x"), "p", []byte{})
	f.Fuzz(func(t *testing.T, dict, id []byte, pw string, data []byte) {
		s, err := ParseSecurity(dict, id)
		if err != nil {
			return
		}
		// Force a key so decryption runs even when the password is wrong.
		d := s.Open(pw)
		if d == nil {
			d = &Crypt{key: bytes.Repeat([]byte{1}, max(5, min(s.keyLen, 16))), stm: s.stm, str: s.str}
			if s.stm == CipherAES256 {
				d.key = bytes.Repeat([]byte{1}, 32)
			}
		}
		if out := d.Decrypt(1, 0, data, true); len(out) > len(data) {
			t.Fatalf("decrypted %d bytes from %d", len(out), len(data))
		}
		if out := d.DecryptStrings(data, 1, 0); len(out) > 2*len(data)+2 {
			t.Fatalf("strings of %d bytes grew to %d", len(data), len(out))
		}
		FindEncrypt(append(dict, data...), nil)
	})
}

// The R6 hash (Algorithm 2.B) is the costly step of every password tried.
func BenchmarkPDFR6Password(b *testing.B) {
	s := &Security{r: 6}
	salt := []byte("12345678")
	for b.Loop() {
		s.hash([]byte("a candidate password"), salt)
	}
}
