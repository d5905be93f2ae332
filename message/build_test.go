package message

import (
	"encoding/base64"
	"fmt"
	"strings"
	"sync/atomic"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"

	"github.com/kensa-milter/kensa/internal/testmail"
)

// Builders for the test messages. Everything is assembled at run time;
// nothing harmful is stored in the repository.

var boundaryN atomic.Int64

// top is a message: standard headers, then an entity (headers + body).
func top(subject, entity string) string {
	return "From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: " + subject +
		"\r\nMessage-ID: <t1@example.com>\r\nDate: Fri, 27 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n" + entity
}

// leaf is an entity with the given header lines (without the blank line).
func leaf(headers, body string) string { return headers + "\r\n\r\n" + body }

func text(body string) string {
	return leaf("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit", body)
}

func html(body string) string {
	return leaf("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit", body)
}

// attachment is a base64 attachment.
func attachment(ctype, filename string, content []byte) string {
	return leaf(fmt.Sprintf("Content-Type: %s; name=%q\r\nContent-Disposition: attachment; filename=%q\r\nContent-Transfer-Encoding: base64", ctype, filename, filename),
		testmail.Base64(content))
}

// multipart is a multipart/<sub> entity around the given entities.
func multipart(sub string, kids ...string) string {
	b := fmt.Sprintf("=_b%d", boundaryN.Add(1))
	var s strings.Builder
	fmt.Fprintf(&s, "Content-Type: multipart/%s; boundary=%q\r\n\r\nThis is a multi-part message.\r\n", sub, b)
	for _, k := range kids {
		fmt.Fprintf(&s, "--%s\r\n%s\r\n", b, k)
	}
	fmt.Fprintf(&s, "--%s--\r\n", b)
	return s.String()
}

// forward is a message/rfc822 entity around a whole message.
func forward(msg string) string {
	return leaf("Content-Type: message/rfc822\r\nContent-Disposition: inline", msg)
}

func encodeWith(e encoding.Encoding, s string) string {
	out, err := e.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return out
}

// Japanese test text and its legacy encodings.
const japaneseText = "請求書をお送りします。ご確認ください。"

func iso2022jp(s string) string { return encodeWith(japanese.ISO2022JP, s) }
func shiftJIS(s string) string  { return encodeWith(japanese.ShiftJIS, s) }

// bWord is an RFC 2047 B encoded word with the given charset and bytes.
func bWord(charset, raw string) string {
	return "=?" + charset + "?B?" + base64.StdEncoding.EncodeToString([]byte(raw)) + "?="
}

// pct percent-encodes every byte, as RFC 2231 values are.
func pct(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

func eicar() string { return testmail.EICAR() }

// nestedMultipart is n multipart levels with an EICAR text part at the bottom.
func nestedMultipart(n int) string {
	var s strings.Builder
	s.WriteString(top("deep", "Content-Type: multipart/mixed; boundary=\"d0\"\r\n\r\n"))
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&s, "--d%d\r\nContent-Type: multipart/mixed; boundary=\"d%d\"\r\n\r\n", i-1, i)
	}
	fmt.Fprintf(&s, "--d%d\r\nContent-Type: text/plain\r\n\r\n%s\r\n", n, eicar())
	for i := n; i >= 0; i-- {
		fmt.Fprintf(&s, "--d%d--\r\n", i)
	}
	return s.String()
}

// nestedForwards is a message forwarded n times, EICAR in the innermost body.
func nestedForwards(n int) string {
	msg := top("inner", text(eicar()))
	for i := 0; i < n; i++ {
		msg = top(fmt.Sprintf("Fwd %d", i), multipart("mixed", text("see below"), forward(msg)))
	}
	return msg
}
