package message

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/textproto"
	"strings"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/mediatype"
)

// defaultMessageType is RFC 2045's Content-Type of a message that declares
// none. A body part without one gets its default from its parent instead
// (text/plain, or message/rfc822 in a digest; see parser.leaf).
const defaultMessageType = `text/plain; charset="us-ascii"`

// entity is one MIME entity, a message or a body part of a multipart:
// its header as read, and its body, a subslice of the bytes it came from.
type entity struct {
	header      textproto.MIMEHeader
	notes       []*enmime.Error // what the header reader repaired; at most maxPartErrors
	body        []byte
	bodyOff     int               // where body starts in Message.Raw; -1 when it is not a subslice of it
	mtype       string            // lower-case media type; "" when a body part declares none
	params      map[string]string // Content-Type parameters
	disposition string            // Content-Disposition without parameters
	fileName    string            // Content-Disposition filename, else Content-Type name or file, RFC 2047 decoded
	charset     string
	defects     []string // malformed media types
}

// boundary is the entity's multipart boundary, "" when it is not a
// multipart or has none (then it is one opaque leaf).
func (e *entity) boundary() string {
	if !strings.HasPrefix(e.mtype, "multipart/") {
		return ""
	}
	return e.params["boundary"]
}

// AddError and AddWarning make entity the enmime.ErrorCollector of its
// header: they keep the first maxPartErrors notes.
func (e *entity) AddError(name, format string, args ...any) { e.note(name, true, format, args) }

// AddWarning: see AddError.
func (e *entity) AddWarning(name, format string, args ...any) { e.note(name, false, format, args) }

func (e *entity) note(name string, severe bool, format string, args []any) {
	if len(e.notes) < maxPartErrors {
		e.notes = append(e.notes, &enmime.Error{Name: name, Detail: fmt.Sprintf(format, args...), Severe: severe})
	}
}

// readEntity reads the header at the start of b with enmime's lenient
// header reader and leaves the rest as the body. off is where b starts in
// Message.Raw, or -1. message says b is a whole message, whose Content-Type
// defaults to text/plain. The error is for a header that cannot be read.
func (ps *parser) readEntity(b []byte, off int, message bool) (*entity, error) {
	e := &entity{bodyOff: -1}
	ps.rd.Reset(b)
	ps.br.Reset(&ps.rd)
	h, err := enmime.ReadHeader(ps.br, e)
	if err != nil {
		return nil, err
	}
	n := len(b) - ps.rd.Len() - ps.br.Buffered()
	e.header, e.body = h, b[n:]
	if off >= 0 {
		e.bodyOff = off + n
	}
	ctype := h.Get("Content-Type")
	if ctype == "" && message {
		ctype = defaultMessageType
	}
	if ctype != "" {
		var invalid []string
		e.mtype, e.params, invalid = e.mediaType(ctype)
		for _, p := range invalid {
			e.AddWarning(enmime.ErrorMalformedHeader, "Content-Type header has malformed parameter %q", p)
		}
		e.charset = e.params["charset"]
	}
	if cd := h.Get("Content-Disposition"); cd != "" {
		var dparams map[string]string
		e.disposition, dparams, _ = e.mediaType(cd)
		e.fileName = decodeWords(dparams["filename"])
	}
	if e.fileName == "" {
		e.fileName = decodeWords(e.params["name"])
	}
	if e.fileName == "" {
		e.fileName = decodeWords(e.params["file"])
	}
	return e, nil
}

// mediaType parses a Content-Type or Content-Disposition value as
// leniently as enmime does; a value it cannot parse is a defect, and the
// type is salvaged from what precedes the parameters.
func (e *entity) mediaType(v string) (string, map[string]string, []string) {
	mtype, params, invalid, err := mediatype.Parse(v)
	if err != nil {
		if len(e.defects) < maxPartErrors {
			e.defects = append(e.defects, clip(fmt.Sprintf("malformed media type %q: %v", clip(v), err)))
		}
		return salvageType(v), nil, nil
	}
	return strings.ToLower(mtype), params, invalid
}

// decodeWords decodes RFC 2047 encoded words in a file name, once, in any
// charset toUTF8 knows; a name that does not decode is kept as it is.
func decodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	d := mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		utf, err := toUTF8(b, charset)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(utf), nil
	}}
	out, err := d.DecodeHeader(s)
	if err != nil {
		return s
	}
	return out
}
