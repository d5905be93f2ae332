package quarantine

import (
	"bufio"
	"bytes"
	"mime"
	"net/mail"
	"net/textproto"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
)

// NewEntry builds the entry for a message the milter quarantines: the raw
// message, its envelope and verdict, plus Subject, From and Message-ID read
// from the header (for lists; a header we cannot read leaves them empty).
// Put assigns the ID and times.
func NewEntry(raw []byte, env message.Envelope, v policy.Verdict) *Entry {
	e := &Entry{Raw: raw, Envelope: env, Verdict: v}
	h := readHeader(raw)
	dec := new(mime.WordDecoder)
	decode := func(s string) string {
		if d, err := dec.DecodeHeader(s); err == nil {
			return d
		}
		return s
	}
	e.Subject = strings.TrimSpace(decode(h.Get("Subject")))
	e.From = strings.TrimSpace(decode(h.Get("From")))
	e.MessageID = strings.TrimSpace(h.Get("Message-Id"))
	return e
}

// maxHeaderRead bounds how much of a message readHeader looks at.
const maxHeaderRead = 256 << 10

// readHeader parses the header block leniently; whatever it cannot read is
// left out.
func readHeader(raw []byte) textproto.MIMEHeader {
	if len(raw) > maxHeaderRead {
		raw = raw[:maxHeaderRead]
	}
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		return textproto.MIMEHeader(m.Header)
	}
	h, _ := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw))).ReadMIMEHeader()
	return h
}
