package corpus

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"mime"
	"mime/quotedprintable"
	"net/url"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/internal/testmail"
)

// A small MIME writer: every header, boundary and date is fixed, so a
// sample is the same bytes every time.

// node is a MIME entity: a leaf with a body, or a multipart with kids.
type node struct {
	ctype  string   // full Content-Type value
	disp   string   // Content-Disposition value, "" for none
	cte    string   // "7bit", "8bit", "base64", "quoted-printable"; multiparts: ""
	header []string // more header lines ("Content-ID: <x>")
	body   []byte   // decoded bytes; encoded by write
	kids   []node
	raw    []byte // a whole entity written as is (the signed part of multipart/signed)
}

func text(s string) node {
	return node{ctype: "text/plain; charset=utf-8", cte: "8bit", body: []byte(crlf(s))}
}

func html(s string) node {
	return node{ctype: "text/html; charset=utf-8", cte: "quoted-printable", body: []byte(crlf(s))}
}

// attach is a base64 attachment; non-ASCII names use RFC 2231 (and RFC 2047
// in the Content-Type name, as mail clients write both).
func attach(ctype, name string, data []byte) node {
	ct, disp := ctype, "attachment"
	if isASCII(name) {
		ct += fmt.Sprintf("; name=%q", name)
		disp += fmt.Sprintf("; filename=%q", name)
	} else {
		ct += fmt.Sprintf("; name=\"%s\"", mime.BEncoding.Encode("UTF-8", name))
		disp += "; filename*=UTF-8''" + strings.ReplaceAll(url.PathEscape(name), "+", "%2B")
	}
	return node{ctype: ct, disp: disp, cte: "base64", body: data}
}

func multipart(sub string, kids ...node) node {
	return node{ctype: "multipart/" + sub, kids: kids}
}

// mail is a whole message: headers in order, then the root entity.
type mail struct {
	from, to, subject string
	date              string // "" for the corpus date
	jis               bool   // Subject in ISO-2022-JP, as Japanese mailers write it
	id                string // Message-ID without brackets
	header            []string
	root              node
}

const corpusDate = "Mon, 02 Nov 2026 09:30:00 +0900"

func (m mail) bytes() []byte {
	var b bytes.Buffer
	date := m.date
	if date == "" {
		date = corpusDate
	}
	subject := m.subject
	switch {
	case isASCII(subject):
	case m.jis:
		subject = "=?ISO-2022-JP?B?" + base64.StdEncoding.EncodeToString(iso2022jp(subject)) + "?="
	default:
		subject = mime.BEncoding.Encode("UTF-8", subject)
	}
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n", m.from, m.to, subject, date, m.id)
	for _, h := range m.header {
		b.WriteString(h + "\r\n")
	}
	n := 0
	writeNode(&b, m.root, m.id, &n)
	return b.Bytes()
}

func writeNode(b *bytes.Buffer, n node, seed string, count *int) {
	if n.raw != nil {
		b.Write(n.raw)
		return
	}
	if len(n.kids) > 0 {
		*count++
		boundary := fmt.Sprintf("----=_Part_%d_%08x", *count, crc32.ChecksumIEEE([]byte(seed)))
		fmt.Fprintf(b, "Content-Type: %s;\r\n\tboundary=\"%s\"\r\n", n.ctype, boundary)
		for _, h := range n.header {
			b.WriteString(h + "\r\n")
		}
		b.WriteString("\r\nThis is a multi-part message in MIME format.\r\n")
		for _, k := range n.kids {
			fmt.Fprintf(b, "\r\n--%s\r\n", boundary)
			writeNode(b, k, seed, count)
		}
		fmt.Fprintf(b, "\r\n--%s--\r\n", boundary)
		return
	}
	fmt.Fprintf(b, "Content-Type: %s\r\n", n.ctype)
	if n.cte != "" {
		fmt.Fprintf(b, "Content-Transfer-Encoding: %s\r\n", n.cte)
	}
	if n.disp != "" {
		fmt.Fprintf(b, "Content-Disposition: %s\r\n", n.disp)
	}
	for _, h := range n.header {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	switch n.cte {
	case "base64":
		b.WriteString(testmail.Base64(n.body) + "\r\n")
	case "quoted-printable":
		var q bytes.Buffer
		w := quotedprintable.NewWriter(&q)
		w.Write(n.body)
		w.Close()
		b.Write(q.Bytes())
		if !bytes.HasSuffix(q.Bytes(), []byte("\n")) {
			b.WriteString("\r\n")
		}
	default:
		b.Write(n.body)
		if !bytes.HasSuffix(n.body, []byte("\n")) {
			b.WriteString("\r\n")
		}
	}
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func splitLines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

func itoa(n int) string { return strconv.Itoa(n) }
