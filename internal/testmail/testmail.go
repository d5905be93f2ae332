// Package testmail builds the harmless test messages used across Kensa's
// tests: the EICAR test string (assembled at run time so that no file in the
// repository carries it whole), and small MIME messages around it.
package testmail

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"strings"
)

// EICAR returns the EICAR anti-virus test string.
func EICAR() string {
	return `X5O!P%@AP[4\PZX54(P^)7CC)7}$` + "EICAR-STANDARD-ANTIVIRUS" + `-TEST-FILE!$H+H*`
}

// Plain is a short text message.
func Plain(subject, body string) []byte {
	return []byte("From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: " + subject +
		"\r\nMessage-ID: <plain-1@example.com>\r\nDate: Fri, 27 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + crlf(body))
}

// Newsletter is an HTML newsletter whose link texts agree with their targets.
func Newsletter() []byte {
	html := `<!DOCTYPE html><html><head><title>News</title></head><body>
<h1>Example Monthly</h1><p>Our <a href="https://www.example.com/blog/november">November post</a> is out.
Read it at <a href="https://www.example.com/blog/november">https://www.example.com/blog/november</a>.</p>
<img src="https://www.example.com/logo.png" alt="logo"><p><a href="https://www.example.com/unsubscribe?u=3D42">Unsubscribe</a></p></body></html>`
	return Multipart("Example Monthly: November", "alternative",
		Part{Type: "text/plain; charset=utf-8", Body: "Example Monthly\nOur November post is out: https://www.example.com/blog/november\n"},
		Part{Type: "text/html; charset=utf-8", Body: html, QP: true},
	)
}

// Part is one body part for Multipart.
type Part struct {
	Type     string // full Content-Type value
	Filename string // adds Content-Disposition: attachment
	Body     string
	Base64   bool
	QP       bool // marks the part quoted-printable (Body must already be QP-safe)
}

// Multipart builds a multipart/<sub> message from parts.
func Multipart(subject, sub string, parts ...Part) []byte {
	// Distinct per subject, so that a forwarded multipart inside another does
	// not share its boundary.
	boundary := fmt.Sprintf("=_kensa_%08x", crc32.ChecksumIEEE([]byte(subject+sub)))
	var b strings.Builder
	fmt.Fprintf(&b, "From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: %s\r\n", subject)
	b.WriteString("Message-ID: <multi-1@example.com>\r\nDate: Fri, 27 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n")
	fmt.Fprintf(&b, "Content-Type: multipart/%s; boundary=\"%s\"\r\n\r\nThis is a multi-part message.\r\n", sub, boundary)
	for _, p := range parts {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s\r\n", boundary, p.Type)
		if p.Filename != "" {
			fmt.Fprintf(&b, "Content-Disposition: attachment; filename=\"%s\"\r\n", p.Filename)
		}
		body := p.Body
		switch {
		case p.Base64:
			b.WriteString("Content-Transfer-Encoding: base64\r\n")
			body = Base64([]byte(p.Body))
		case p.QP:
			b.WriteString("Content-Transfer-Encoding: quoted-printable\r\n")
		default:
			b.WriteString("Content-Transfer-Encoding: 8bit\r\n")
		}
		b.WriteString("\r\n" + crlf(body) + "\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return []byte(b.String())
}

// Forward wraps an inner message as a message/rfc822 attachment.
func Forward(subject string, inner []byte) []byte {
	return Multipart(subject, "mixed",
		Part{Type: "text/plain; charset=utf-8", Body: "See the forwarded message.\n"},
		Part{Type: "message/rfc822", Body: string(inner)},
	)
}

func crlf(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// Base64 is b in base64, in lines of 76 characters joined by CRLF (no line
// break after the last), as mailers write a body.
func Base64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	out.WriteString(s)
	return out.String()
}
