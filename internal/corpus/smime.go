package corpus

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"sync"
	"time"
)

// A real, deterministic S/MIME signature: an RSA key whose primes come from
// a fixed seed, a self-signed certificate with fixed dates, and a detached
// CMS SignedData (RFC 5652) written with encoding/asn1. RSA PKCS #1 v1.5
// signatures are deterministic, so the bytes never change; `openssl smime
// -verify -noverify` accepts the result.

var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSHA256        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSA           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
)

func der(tag byte, parts ...[]byte) []byte {
	var body []byte
	for _, p := range parts {
		body = append(body, p...)
	}
	out := []byte{tag}
	switch n := len(body); {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x100:
		out = append(out, 0x81, byte(n))
	case n < 0x10000:
		out = append(out, 0x82, byte(n>>8), byte(n))
	default:
		out = append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(out, body...)
}

func mustDER(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func seq(parts ...[]byte) []byte { return der(0x30, parts...) }
func set(parts ...[]byte) []byte { return der(0x31, parts...) }

// seededPrime is a 1024-bit prime found by counting up from a number
// derived from label: the same prime every time.
func seededPrime(label string) *big.Int {
	var buf []byte
	for i := byte(0); len(buf) < 128; i++ {
		h := sha512.Sum512(append([]byte("kensa corpus rsa "+label), i))
		buf = append(buf, h[:]...)
	}
	n := new(big.Int).SetBytes(buf[:128])
	n.SetBit(n, 1023, 1)
	n.SetBit(n, 1022, 1)
	n.SetBit(n, 0, 1)
	one, e := big.NewInt(1), big.NewInt(65537)
	for {
		pm1 := new(big.Int).Sub(n, one)
		if n.ProbablyPrime(20) && new(big.Int).GCD(nil, nil, pm1, e).Cmp(one) == 0 {
			return n
		}
		n.Add(n, big.NewInt(2))
	}
}

// signer is the corpus's S/MIME identity, made once.
var signer = sync.OnceValues(func() (*rsa.PrivateKey, *x509.Certificate) {
	p, q := seededPrime("p"), seededPrime("q")
	one := big.NewInt(1)
	phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
	key := &rsa.PrivateKey{
		PublicKey: rsa.PublicKey{N: new(big.Int).Mul(p, q), E: 65537},
		D:         new(big.Int).ModInverse(big.NewInt(65537), phi),
		Primes:    []*big.Int{p, q},
	}
	key.Precompute()
	if err := key.Validate(); err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(20261102),
		Subject:        pkix.Name{CommonName: "Anna (Kensa corpus)", Organization: []string{"Example Shop"}},
		NotBefore:      time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:       time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
		EmailAddresses: []string{"anna@shop.example.com"},
		KeyUsage:       x509.KeyUsageDigitalSignature,
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	raw, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(raw)
	if err != nil {
		panic(err)
	}
	return key, cert
})

// detachedSignature is the DER of a CMS SignedData over content (the
// signed MIME entity exactly as sent, CRLF line ends).
func detachedSignature(content []byte) []byte { return cmsSigned(content, false) }

// opaqueSigned is the DER of a CMS SignedData carrying content inside
// itself: the body of an opaque-signed smime.p7m (RFC 8551 3.5.3).
func opaqueSigned(content []byte) []byte { return cmsSigned(content, true) }

// cmsSigned is the DER of a CMS SignedData over content, carrying it
// when attached is true.
func cmsSigned(content []byte, attached bool) []byte {
	key, cert := signer()
	digest := sha256.Sum256(content)
	algSHA256 := seq(mustDER(oidSHA256), []byte{5, 0})
	attrs := [][]byte{ // DER order: contentType's encoding sorts first
		seq(mustDER(oidContentType), set(mustDER(oidData))),
		seq(mustDER(oidMessageDigest), set(der(0x04, digest[:]))),
	}
	signed := sha256.Sum256(set(attrs...)) // what is signed: the attributes as a SET
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, signed[:])
	if err != nil {
		panic(err)
	}
	signerInfo := seq(
		mustDER(1),
		seq(cert.RawIssuer, mustDER(cert.SerialNumber)),
		algSHA256,
		der(0xA0, attrs...), // [0] IMPLICIT SET OF Attribute
		seq(mustDER(oidRSA), []byte{5, 0}),
		der(0x04, sig),
	)
	encap := seq(mustDER(oidData)) // detached: no content
	if attached {
		encap = seq(mustDER(oidData), der(0xA0, der(0x04, content)))
	}
	signedData := seq(
		mustDER(1),
		set(algSHA256),
		encap,
		der(0xA0, cert.Raw), // [0] IMPLICIT certificates
		set(signerInfo),
	)
	return seq(mustDER(oidSignedData), der(0xA0, signedData))
}
