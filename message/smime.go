package message

import (
	"bytes"
	"strings"

	"github.com/kensa-milter/kensa/filetype"
)

// Opaque S/MIME signing (RFC 8551 3.5.3): the signed MIME entity travels
// inside the CMS SignedData (RFC 5652) of an application/pkcs7-mime part
// (smime.p7m), not beside a detached signature. Thunderbird, Outlook and
// Apple Mail verify it and show what it carries, attachments included, and
// a signature that does not verify only adds a warning, so a sender with
// any certificate (a self-signed one does) wraps mail in it and a gateway
// that keeps smime.p7m as opaque bytes sees nothing. The content is read
// as the clients read it: a MIME entity, parsed as a part below the .p7m;
// a signed file that is not MIME (an invoice.xml.p7m, which signing tools
// save as invoice.xml) a part named without .p7m. Enveloped (encrypted)
// data stays encrypted.

// OIDs of a ContentInfo's content type, as DER bytes after the tag and length.
var oidSignedDataDER = []byte{0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02} // 1.2.840.113549.1.7.2

// maxBERDepth bounds the nesting followed in a CMS structure: SignedData's
// content lies four levels down, a constructed OCTET STRING a few more.
const maxBERDepth = 16

// smimeCandidate says whether a part may be an opaque-signed S/MIME part:
// declared so, or named .p7m (mailers that send smime.p7m as
// application/octet-stream), and not declared encrypted.
func smimeCandidate(mtype, name, smimeType string) bool {
	switch strings.ToLower(smimeType) {
	case "enveloped-data", "authenveloped-data", "compressed-data", "certs-only":
		return false
	}
	return mtype == "application/pkcs7-mime" || mtype == "application/x-pkcs7-mime" ||
		strings.HasSuffix(strings.ToLower(name), ".p7m")
}

// signedContent returns the content a SignedData carries inside itself,
// DER or BER (indefinite lengths, the content in OCTET STRING pieces, as
// `openssl cms -sign -stream` writes it); ok is false for anything else,
// a detached signature included.
func signedContent(b []byte) (content []byte, ok bool) {
	// ContentInfo ::= SEQUENCE { contentType OID, [0] EXPLICIT content }
	ci, ok := berSingle(b, 0x30)
	if !ok {
		return nil, false
	}
	kids := berChildren(ci, 2)
	if len(kids) < 2 || kids[0].tag != 0x06 || !bytes.Equal(kids[0].body, oidSignedDataDER) || kids[1].tag != 0xA0 {
		return nil, false
	}
	// SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, ... }
	sd := berChildren(kids[1].body, 1)
	if len(sd) != 1 || sd[0].tag != 0x30 {
		return nil, false
	}
	fields := berChildren(sd[0].body, 3)
	if len(fields) < 3 || fields[0].tag != 0x02 || fields[1].tag != 0x31 || fields[2].tag != 0x30 {
		return nil, false
	}
	// EncapsulatedContentInfo ::= SEQUENCE { eContentType OID, [0] EXPLICIT eContent OCTET STRING OPTIONAL }
	enc := berChildren(fields[2].body, 2)
	if len(enc) < 2 || enc[0].tag != 0x06 || enc[1].tag != 0xA0 {
		return nil, false // detached: the content is elsewhere
	}
	os := berChildren(enc[1].body, 1)
	if len(os) != 1 {
		return nil, false
	}
	return berOctets(os[0], 0)
}

// berElem is one BER element: its tag byte and its contents.
type berElem struct {
	tag  byte
	body []byte
}

// berSingle reads the element at the start of b if its tag is tag.
func berSingle(b []byte, tag byte) ([]byte, bool) {
	e, _, ok := berRead(b, 0)
	if !ok || e.tag != tag {
		return nil, false
	}
	return e.body, true
}

// berChildren reads up to max elements from b, stopping at the first
// that does not parse.
func berChildren(b []byte, max int) []berElem {
	var out []berElem
	for len(b) > 0 && len(out) < max {
		e, n, ok := berRead(b, 0)
		if !ok {
			break
		}
		out = append(out, e)
		b = b[n:]
	}
	return out
}

// berRead reads one element from b and says how many bytes it took. An
// indefinite length (constructed elements only) runs to the end-of-contents
// octets that close it, found by reading its children, depth levels deep at
// most; low tag numbers only, which is all CMS uses.
func berRead(b []byte, depth int) (berElem, int, bool) {
	if len(b) < 2 || b[0]&0x1F == 0x1F || depth > maxBERDepth {
		return berElem{}, 0, false
	}
	tag, l := b[0], int(b[1])
	switch {
	case l < 0x80:
		if 2+l > len(b) {
			return berElem{}, 0, false
		}
		return berElem{tag, b[2 : 2+l]}, 2 + l, true
	case l == 0x80:
		if tag&0x20 == 0 {
			return berElem{}, 0, false
		}
		for i := 2; i+1 < len(b); {
			if b[i] == 0 && b[i+1] == 0 {
				return berElem{tag, b[2:i]}, i + 2, true
			}
			_, n, ok := berRead(b[i:], depth+1)
			if !ok {
				return berElem{}, 0, false
			}
			i += n
		}
		return berElem{}, 0, false
	default:
		k := l & 0x7F
		if k > 4 || 2+k > len(b) {
			return berElem{}, 0, false
		}
		n := 0
		for _, c := range b[2 : 2+k] {
			n = n<<8 | int(c)
		}
		if n < 0 || n > len(b)-2-k {
			return berElem{}, 0, false
		}
		return berElem{tag, b[2+k : 2+k+n]}, 2 + k + n, true
	}
}

// berOctets is the value of an OCTET STRING, primitive or constructed
// from pieces (which may be constructed themselves).
func berOctets(e berElem, depth int) ([]byte, bool) {
	switch {
	case e.tag == 0x04:
		return e.body, true
	case e.tag != 0x24 || depth > maxBERDepth:
		return nil, false
	}
	var out []byte
	for b := e.body; len(b) > 0; {
		piece, n, ok := berRead(b, depth+1)
		if !ok {
			return nil, false
		}
		v, ok := berOctets(piece, depth+1)
		if !ok {
			return nil, false
		}
		out = append(out, v...)
		b = b[n:]
	}
	return out, true
}

// looksLikeEntity says whether signed content is a MIME entity (it starts
// with a header field a MIME part has) rather than a signed file.
func looksLikeEntity(b []byte) bool {
	b = bytes.TrimLeft(b, "\r\n")
	n := min(len(b), 13)
	head := strings.ToLower(string(b[:n]))
	return strings.HasPrefix(head, "content-") || strings.HasPrefix(head, "mime-version:")
}

// signedFileName is the name a signing tool saves a signed file under:
// the .p7m name without its extension.
func signedFileName(name string) string {
	if len(name) > 4 && strings.EqualFold(name[len(name)-4:], ".p7m") && !strings.EqualFold(name, "smime.p7m") {
		return name[:len(name)-4]
	}
	return ""
}

// signed adds the content of opaque-signed part as its child: the MIME
// entity parsed as any part, or the signed file under the name a signing
// tool saves it by.
func (ps *parser) signed(part *Part, content []byte, depth, nesting int) {
	if looksLikeEntity(content) {
		ps.message(content, -1, part.Path, depth, nesting)
		return
	}
	name := signedFileName(part.Filename)
	ps.add(&Part{
		Path:         part.Path + "/1",
		Filename:     name,
		DeclaredType: filetype.Binary,
		Content:      content,
		DetectedType: filetype.Detect(content),
		Depth:        depth,
	})
}
