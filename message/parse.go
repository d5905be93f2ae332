package message

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"

	"github.com/kensa-milter/kensa/filetype"
)

// Bounds on what one message may make us do. Exceeding one is an
// unscannable Problem, never a silent cut.
const (
	MaxNesting = 12   // nested multipart levels plus embedded messages below the top message
	MaxDepth   = 10   // embedded messages inside embedded messages (Part.Depth)
	MaxParts   = 1000 // parts in the whole message, nested multiparts and embedded messages included

	maxDefects      = 100   // defect Problems kept; unscannable ones are always kept
	maxPartErrors   = 10    // header notes kept per MIME part
	maxHeaderFields = 10000 // more top-level header fields than this is itself a defect
	maxDetail       = 200   // bytes of attacker-influenced text in a Problem's Detail
)

// Problem reasons set by this package.
const (
	ReasonDefect      = "mime-defect"      // malformed but read; nothing lost
	ReasonUndecodable = "mime-undecodable" // some content could not be decoded
	ReasonCharset     = "charset-unknown"  // text kept in its original bytes
	ReasonLimitDepth  = "limit-depth"      // MaxNesting or MaxDepth reached
	ReasonLimitParts  = "limit-parts"      // MaxParts reached
	ReasonHeaderFlood = "header-flood"     // more than maxHeaderFields header fields
	ReasonPartial     = "message-partial"  // a message/partial fragment: unscannable by default
)

// Parse decodes raw into a flat list of parts. See the package
// documentation for the part paths, and reading.go for how a message that
// can be read more than one way is read. Malformed input yields Problems,
// not an error; the error is only for input with nothing in it.
func Parse(raw []byte) (*Message, error) {
	if len(raw) == 0 {
		return nil, errors.New("message: empty input")
	}
	m := &Message{Raw: raw}
	ps := readAll(m, raw, maxReadings)
	if root := ps.root; root != nil {
		h := &root.header
		m.MessageID = strings.TrimSpace(h.get("Message-Id"))
		m.Subject = decodeHeader(h.get("Subject"))
		m.From = decodeHeader(h.get("From"))
		m.To = toCc(h)
		m.Origin = origin(h)
		if h.count > maxHeaderFields {
			m.Problems = append(m.Problems, Problem{Reason: ReasonHeaderFlood, Detail: fmt.Sprintf("%d header fields", h.count)})
		}
	}
	if len(ps.b64) > 0 {
		m.raw = rawIndex{of: raw, b64: ps.b64}
	}
	return m, nil
}

func decodeHeader(s string) string {
	return strings.ToValidUTF8(strings.TrimSpace(enmime.DecodeRFC2047(s)), "\uFFFD")
}

// DecodeWords decodes the RFC 2047 encoded words of a header text, in any
// charset this package reads, as Parse decodes the Subject: what a mail
// client shows. Invalid UTF-8 becomes U+FFFD.
func DecodeWords(s string) string { return decodeHeader(s) }

// parser is the state of one reading of a message.
type parser struct {
	m         *Message // collects this reading's parts and problems
	rd        reading  // the choices this reading makes
	hit       reading  // the choices that mattered
	root      *entity
	defects   int
	parts     int // Parts added plus nested multipart levels parsed
	partsFull bool
	b64       []span // cleanly decoded base64 bodies in m.Raw, in order
	memo      b64memo
}

// message parses a whole message: the top one (self "") or one embedded
// in the part at path self. off is where raw starts in m.Raw, or -1. It
// returns the message's entity.
func (ps *parser) message(raw []byte, off int, self string, depth, nesting int) *entity {
	base := ""
	if self != "" {
		base = self + "/"
	}
	e := ps.readEntity(raw, off, true)
	if e.boundary() == "" {
		ps.leaf(e, base+"1", depth, nesting, "")
		return e
	}
	ps.notes(e, self)
	ps.multipart(e, ps.multipartBody(e), raw, self, base, base+"1", depth, nesting)
	return e
}

// multipart adds the parts of multipart entity e, whose own path is self
// ("" for the top message); body is e's body, decoded when the reading
// decodes a multipart's transfer encoding. Its children are numbered
// base+"1", base+"2", ...; in the reading that reads them, a preamble
// that looks like a part is base+"0" and an epilogue that does is
// numbered after the last part. If e has no part at all, whole (the
// message, or e's body for a nested multipart) is kept as one part named
// empty.
func (ps *parser) multipart(e *entity, body, whole []byte, self, base, empty string, depth, nesting int) {
	bodyOff := e.bodyOff
	if !sameBytes(body, e.body) {
		bodyOff = -1
	}
	sp := newSplitter(body, e.boundary(), ps.rd)
	outside := ps.rd&rdOutside != 0
	n := 1
	for ; !ps.partsFull; n++ {
		start, end, ok := sp.Next()
		if !ok {
			break
		}
		if n == 1 && outside && sp.preamble > 0 && looksLikePart(body[:sp.preamble]) {
			ps.child(body[:sp.preamble], bodyOff, base+"0", depth, nesting, e.mtype)
		}
		off := -1
		if bodyOff >= 0 {
			off = bodyOff + start
		}
		ps.child(body[start:end], off, base+strconv.Itoa(n), depth, nesting, e.mtype)
	}
	ps.choose(rdPrefixDelim, sp.garbage)
	ps.choose(rdBareCR, sp.loneCR)
	// The reading that reads outside the parts goes on past the close
	// delimiter, so the epilogue is its last part.
	ep := sp.epilogue()
	ps.choose(rdOutside, sp.preamble > 0 && looksLikePart(body[:sp.preamble]) || looksLikePart(ep))
	if n == 1 && len(bytes.TrimSpace(body)) == 0 {
		ps.problem(Problem{Part: empty, Reason: ReasonDefect, Detail: "empty multipart"})
		return
	}
	if n == 1 {
		ps.problem(Problem{Part: empty, Reason: ReasonUndecodable, Unscannable: true, Detail: "multipart without any part", soft: true})
		ps.add(&Part{Path: empty, DeclaredType: e.mtype, DetectedType: filetype.Detect(whole), Content: whole, Depth: depth})
		return
	}
	if !ps.partsFull && !sp.Closed() {
		// Nothing is lost: the last part ran to the end.
		ps.problem(Problem{Part: self, Reason: ReasonDefect, Detail: clip(fmt.Sprintf("boundary %q was not closed", e.boundary()))})
	}
}

// multipartBody is the body of multipart e to split. A multipart has no
// transfer encoding of its own (RFC 2045 6.4), but some clients decode
// one before splitting.
func (ps *parser) multipartBody(e *entity) []byte {
	cte := transferEncoding(e.cte)
	if ps.choose(rdMultipartCTE, cte != cteIdentity && cte != cteUnknown) {
		body, _, _ := ps.decodeTransfer(e.body, e.cte)
		return body
	}
	return e.body
}

// looksLikePart says whether text outside a multipart's parts (a preamble
// or an epilogue) holds what a client could read as a part: a delimiter
// line or a Content- field at the start of a line.
func looksLikePart(b []byte) bool {
	for i := 0; i < len(b); {
		line := b[i:]
		if len(line) > 2 && line[0] == '-' && line[1] == '-' && line[2] > ' ' {
			return true
		}
		if len(line) >= 8 && strings.EqualFold(string(line[:8]), "content-") {
			return true
		}
		j := bytes.IndexByte(line, '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return false
}

// child adds the body part b of a multipart of type parentType.
func (ps *parser) child(b []byte, off int, path string, depth, nesting int, parentType string) {
	ps.leaf(ps.readEntity(b, off, false), path, depth, nesting, parentType)
}

// notes turns what was repaired in e's header into defects of path.
func (ps *parser) notes(e *entity, path string) {
	for _, d := range e.defects {
		ps.problem(Problem{Part: path, Reason: ReasonDefect, Detail: d})
	}
}

// leaf adds entity e at path: a body or attachment, a nested multipart,
// or an embedded message to parse recursively.
func (ps *parser) leaf(e *entity, path string, depth, nesting int, parentType string) {
	if ps.partsFull {
		return
	}
	ps.notes(e, path)
	mtype := e.mtype
	if mtype == "" {
		mtype = "text/plain" // RFC 2045 default
		if parentType == "multipart/digest" {
			mtype = "message/rfc822" // RFC 2046 5.1.5
		}
	}
	name := e.fileName
	part := &Part{
		Path:         path,
		Filename:     name,
		AltNames:     e.altNames,
		DeclaredType: mtype,
		Content:      e.body,
		Depth:        depth,
		ContentID:    contentID(e.header.values("Content-ID")),
	}
	cte := transferEncoding(e.cte)
	if e.boundary() != "" {
		if nesting+1 > MaxNesting {
			ps.limitDepth(part, fmt.Sprintf("more than %d nested multipart levels and messages", MaxNesting))
			return
		}
		if ps.take(path) {
			ps.multipart(e, ps.multipartBody(e), e.body, path, path+".", path, depth, nesting+1)
		}
		return
	}
	content, defect, undecoded := ps.decodeTransfer(e.body, e.cte)
	switch {
	case undecoded:
		ps.problem(Problem{Part: path, Reason: ReasonUndecodable, Unscannable: true, Detail: defect})
	case defect != "":
		ps.problem(Problem{Part: path, Reason: ReasonDefect, Detail: defect})
	}
	part.Content = content
	// A base64 body of m.Raw that decoded cleanly is scanned decoded;
	// ScanRaw need not scan it whole again.
	clean := e.bodyOff >= 0 && defect == "" && !undecoded && cte == cteBase64
	var signed []byte
	if smimeCandidate(mtype, name, e.params("smime-type")) {
		signed, _ = signedContent(content)
	}
	switch {
	case signed != nil:
		part.Signed = true
		inner := depth + 1
		if parentType == "" { // a message's root: its content is the message shown
			inner = depth
		}
		if ps.addMessageContainer(part, e, clean, depth, nesting) {
			ps.signed(part, signed, inner, nesting+1)
		}
		return
	case mtype == "message/rfc822" || mtype == "message/global":
		if !ps.addMessageContainer(part, e, clean, depth, nesting) {
			return
		}
		off := -1
		if sameBytes(content, e.body) {
			off = e.bodyOff
		}
		ps.message(part.Content, off, path, depth+1, nesting+1)
		return
	case mtype == "message/partial":
		// The other fragments are in other messages: what is here cannot
		// be read whole.
		ps.problem(Problem{Part: path, Reason: ReasonPartial, Unscannable: true,
			Detail: "message/partial: a fragment of a message sent in pieces, which cannot be reassembled from one message"})
	case mtype == "message/external-body":
		ps.problem(Problem{Part: path, Reason: ReasonDefect,
			Detail: clip("message/external-body: content kept elsewhere (" + e.params("access-type") + ")")})
	case strings.HasPrefix(mtype, "text/"):
		part.Charset = e.charset
		if part.Charset == "" && mtype == "text/html" {
			part.Charset = htmlMetaCharset(part.Content) // browsers and mailers honour it
		}
		// Attachments keep their bytes: a mailer saves them unconverted,
		// and converting a mislabelled binary would hide it from scanning.
		if name == "" && !strings.EqualFold(e.disposition, "attachment") {
			utf, err := toUTF8(part.Content, part.Charset)
			if err != nil {
				ps.problem(Problem{Part: path, Reason: ReasonCharset, Detail: clip(err.Error())})
				clean = false
			}
			part.Content = utf
		}
	case mtype == "application/pkcs7-mime" || mtype == "application/x-pkcs7-mime":
		st := strings.ToLower(e.params("smime-type"))
		part.Encrypted = st == "enveloped-data" || st == "authenveloped-data"
	case parentType == "multipart/encrypted" && mtype == "application/octet-stream":
		part.Encrypted = true
	}
	part.DetectedType = filetype.Detect(part.Content)
	if ps.add(part) {
		ps.cleanBase64(e, clean)
		ps.embedded(part)
	}
}

// cleanBase64 records e's body as a base64 body of m.Raw that decoded
// without a problem.
func (ps *parser) cleanBase64(e *entity, clean bool) {
	if clean && len(e.body) > 0 {
		ps.b64 = append(ps.b64, span{e.bodyOff, e.bodyOff + len(e.body)})
	}
}

// sameBytes reports whether a and b are the same slice of memory.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// addMessageContainer adds part, a message inside the message (forwarded,
// or the content of an opaque-signed S/MIME part), as a container one level
// down; false when it is refused (too deep, or over the part limits) and
// its content is not to be read.
func (ps *parser) addMessageContainer(part *Part, e *entity, clean bool, depth, nesting int) bool {
	if depth+1 > MaxDepth || nesting+1 > MaxNesting {
		ps.limitDepth(part, fmt.Sprintf("more than %d nested messages or %d nested levels", MaxDepth, MaxNesting))
		return false
	}
	part.Container = true
	part.DetectedType = filetype.Detect(part.Content)
	if !ps.add(part) {
		return false
	}
	ps.cleanBase64(e, clean)
	return true
}

// limitDepth keeps a part we will not descend into, undecoded, so its
// bytes are still scanned, and says why it was not opened.
func (ps *parser) limitDepth(part *Part, detail string) {
	part.DetectedType = filetype.Detect(part.Content)
	ps.problem(Problem{Part: part.Path, Reason: ReasonLimitDepth, Unscannable: true, Detail: detail})
	ps.add(part)
}

// add appends a part unless MaxParts is reached.
func (ps *parser) add(p *Part) bool {
	if !ps.take(p.Path) {
		return false
	}
	ps.m.Parts = append(ps.m.Parts, p)
	return true
}

// take counts one more part against MaxParts; the first one refused is
// recorded as a limit Problem.
func (ps *parser) take(path string) bool {
	if ps.parts >= MaxParts {
		if !ps.partsFull {
			ps.partsFull = true
			ps.problem(Problem{Part: path, Reason: ReasonLimitParts, Unscannable: true,
				Detail: fmt.Sprintf("more than %d parts; the rest was not decoded", MaxParts)})
		}
		return false
	}
	ps.parts++
	return true
}

// problem records pr; past maxDefects, defects are counted but dropped.
func (ps *parser) problem(pr Problem) {
	if !pr.Unscannable {
		ps.defects++
		switch {
		case ps.defects == maxDefects+1:
			pr = Problem{Reason: ReasonDefect, Detail: fmt.Sprintf("more than %d defects; the rest are not listed", maxDefects)}
		case ps.defects > maxDefects:
			return
		}
	}
	ps.m.Problems = append(ps.m.Problems, pr)
}

// clip makes attacker-influenced text safe and short enough for a
// Problem's Detail: valid UTF-8, no control characters, at most maxDetail
// bytes.
func clip(s string) string {
	if len(s) > 4*maxDetail {
		s = s[:4*maxDetail]
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			r = ' '
		}
		if b.Len()+utf8.RuneLen(r) > maxDetail {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// contentID is the first Content-ID value without its angle brackets and
// blanks, as an HTML body's "cid:" address names the part; "" for none.
func contentID(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	v := strings.TrimSpace(vs[0])
	v = strings.TrimSuffix(strings.TrimPrefix(v, "<"), ">")
	return strings.TrimSpace(v)
}
