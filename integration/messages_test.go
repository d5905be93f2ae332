//go:build integration

package integration

import (
	"bytes"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/kensa-milter/kensa/internal/testmail"
)

var tokenSeq atomic.Int64

// newToken is unique per message in a run: it goes into the Message-ID,
// the recipient's local part and the body, so a test finds its own
// messages in a shared sink and in the MTA's queue. Short, because mailq
// cuts long addresses.
func newToken(kind string) string {
	return fmt.Sprintf("kt%d-%s", tokenSeq.Add(1), kind)
}

// rcptFor is a recipient address unique to a token.
func rcptFor(token string, n int) string {
	return fmt.Sprintf("%s-r%d@example.test", token, n)
}

const testSender = "alice@sender.test"

// attachment is one MIME part after the text.
type attachment struct {
	name, ctype string
	content     []byte
}

// buildMessage writes a message with CRLF line ends. Without attachments
// it is a single text/plain part.
func buildMessage(token, subject string, extraHeaders []string, text string, atts ...attachment) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Alice <%s>\r\n", testSender)
	fmt.Fprintf(&b, "To: <%s>\r\n", rcptFor(token, 1))
	fmt.Fprintf(&b, "Subject: %s\r\n", subject)
	fmt.Fprintf(&b, "Message-ID: <%s@sender.test>\r\n", token)
	b.WriteString("Date: Fri, 27 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n")
	for _, h := range extraHeaders {
		b.WriteString(h + "\r\n")
	}
	text = crlf(text + "\n" + "id: " + token + "\n")
	if len(atts) == 0 {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		b.WriteString(text)
		return b.Bytes()
	}
	boundary := "=_b_" + token
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s", boundary, text)
	for _, a := range atts {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s\r\nContent-Disposition: attachment; filename=\"%s\"\r\n"+
			"Content-Transfer-Encoding: base64\r\n\r\n", boundary, a.ctype, a.name)
		b.WriteString(testmail.Base64(a.content) + "\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// splitMessage returns a message's header block and body.
func splitMessage(data []byte) (header, body []byte) {
	i := bytes.Index(data, []byte("\r\n\r\n"))
	if i < 0 {
		return data, nil
	}
	return data[:i+2], data[i+4:]
}

// headerValues returns the unfolded values of every header called name.
func headerValues(data []byte, name string) []string {
	header, _ := splitMessage(data)
	unfolded := strings.ReplaceAll(strings.ReplaceAll(string(header), "\r\n\t", " "), "\r\n ", " ")
	var out []string
	for _, line := range strings.Split(unfolded, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}
