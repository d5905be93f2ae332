package message

import (
	"bufio"
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
)

// Parse decodes raw into a flat list of parts. See the package
// documentation for the part paths. Malformed input yields Problems, not an
// error; the error is only for input with nothing in it.
func Parse(raw []byte) (*Message, error) {
	if len(raw) == 0 {
		return nil, errors.New("message: empty input")
	}
	m := &Message{Raw: raw}
	ps := &parser{m: m}
	ps.br = bufio.NewReader(&ps.rd)
	root := ps.message(raw, 0, "", 0, 0)
	if root != nil {
		h := root.header
		m.MessageID = strings.TrimSpace(h.Get("Message-Id"))
		m.Subject = decodeHeader(h.Get("Subject"))
		m.From = decodeHeader(h.Get("From"))
		n := 0
		for _, v := range h {
			n += len(v)
		}
		if n > maxHeaderFields {
			ps.problem(Problem{Reason: ReasonHeaderFlood, Detail: fmt.Sprintf("%d header fields", n)})
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

// parser is the state of one Parse call.
type parser struct {
	m         *Message
	defects   int
	parts     int // Parts added plus nested multipart levels parsed
	partsFull bool
	b64       []span // cleanly decoded base64 bodies in m.Raw, in order

	rd bytes.Reader  // the header being read
	br *bufio.Reader // reads rd; one buffer for every header
}

// message parses a whole message: the top one (self "") or one embedded
// in the part at path self. off is where raw starts in m.Raw, or -1. It
// returns the message's entity, nil when its header could not be read.
func (ps *parser) message(raw []byte, off int, self string, depth, nesting int) *entity {
	base := ""
	if self != "" {
		base = self + "/"
	}
	e, err := ps.readEntity(raw, off, true)
	if err != nil {
		// Mail without MIME headers is legal, so this is a defect; the
		// whole message is kept as its text body.
		ps.problem(Problem{Part: base + "1", Reason: ReasonDefect, Detail: clip("not a MIME message: " + err.Error())})
		ps.add(&Part{Path: base + "1", DeclaredType: filetype.Text, DetectedType: filetype.Detect(raw), Content: raw, Depth: depth})
		return nil
	}
	if e.boundary() == "" {
		ps.leaf(e, base+"1", depth, nesting, "")
		return e
	}
	ps.notes(e, self)
	ps.multipart(e, raw, self, base, base+"1", depth, nesting)
	return e
}

// multipart adds the parts of multipart entity e, whose own path is self
// ("" for the top message); its children are numbered base+"1",
// base+"2", ... If e has no part at all, whole (the message, or e's body
// for a nested multipart) is kept as one part named empty.
func (ps *parser) multipart(e *entity, whole []byte, self, base, empty string, depth, nesting int) {
	sp := newSplitter(e.body, e.boundary())
	for n := 1; !ps.partsFull; n++ {
		start, end, ok := sp.Next()
		if !ok {
			if n == 1 {
				ps.problem(Problem{Part: empty, Reason: ReasonUndecodable, Unscannable: true, Detail: "multipart without any part"})
				ps.add(&Part{Path: empty, DeclaredType: e.mtype, DetectedType: filetype.Detect(whole), Content: whole, Depth: depth})
				return
			}
			break
		}
		off := -1
		if e.bodyOff >= 0 {
			off = e.bodyOff + start
		}
		ps.child(e.body[start:end], off, base+strconv.Itoa(n), depth, nesting, e.mtype)
	}
	if !ps.partsFull && !sp.Closed() {
		// Nothing is lost: the last part ran to the end.
		note := enmime.Error{Name: enmime.ErrorMissingBoundary, Detail: fmt.Sprintf("Boundary %q was not closed correctly", e.boundary())}
		ps.problem(Problem{Part: self, Reason: ReasonDefect, Detail: clip(note.Error())})
	}
}

// child adds the body part b of a multipart of type parentType.
func (ps *parser) child(b []byte, off int, path string, depth, nesting int, parentType string) {
	e, err := ps.readEntity(b, off, false)
	if err != nil {
		// Kept whole, header and all, so that its bytes are still scanned.
		note := enmime.Error{Name: enmime.ErrorMalformedChildPart, Detail: "read header: " + err.Error(), Severe: true}
		ps.problem(Problem{Part: path, Reason: ReasonUndecodable, Unscannable: true, Detail: clip(note.Error())})
		ps.add(&Part{Path: path, DeclaredType: filetype.Text, DetectedType: filetype.Detect(b), Content: b, Depth: depth})
		return
	}
	ps.leaf(e, path, depth, nesting, parentType)
}

// notes turns what was repaired in e's header into defects of path.
func (ps *parser) notes(e *entity, path string) {
	for _, d := range e.defects {
		ps.problem(Problem{Part: path, Reason: ReasonDefect, Detail: d})
	}
	for _, n := range e.notes {
		ps.problem(Problem{Part: path, Reason: ReasonDefect, Detail: clip(n.Error())})
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
	name, dup := fileName(e.header.Get("Content-Disposition"), e.header.Get("Content-Type"), e.fileName)
	if dup || len(e.header.Values("Content-Disposition")) > 1 {
		ps.problem(Problem{Part: path, Reason: ReasonDefect, Detail: "file name or Content-Disposition given more than once"})
	}
	part := &Part{
		Path:         path,
		Filename:     name,
		DeclaredType: mtype,
		Content:      e.body,
		Depth:        depth,
	}
	if e.boundary() != "" { // a multipart body has no transfer encoding of its own
		if nesting+1 > MaxNesting {
			ps.limitDepth(part, fmt.Sprintf("more than %d nested multipart levels and messages", MaxNesting))
			return
		}
		if ps.take(path) {
			ps.multipart(e, e.body, path, path+".", path, depth, nesting+1)
		}
		return
	}
	cte := e.header.Get("Content-Transfer-Encoding")
	content, defect, undecoded := decodeTransfer(e.body, cte)
	switch {
	case undecoded:
		ps.problem(Problem{Part: path, Reason: ReasonUndecodable, Unscannable: true, Detail: defect})
	case defect != "":
		ps.problem(Problem{Part: path, Reason: ReasonDefect, Detail: defect})
	}
	part.Content = content
	// A base64 body of m.Raw that decoded cleanly is scanned decoded;
	// ScanRaw need not scan it whole again.
	clean := e.bodyOff >= 0 && defect == "" && !undecoded && strings.EqualFold(strings.TrimSpace(cte), "base64")
	switch {
	case mtype == "message/rfc822" || mtype == "message/global":
		if depth+1 > MaxDepth || nesting+1 > MaxNesting {
			ps.limitDepth(part, fmt.Sprintf("more than %d nested messages or %d nested levels", MaxDepth, MaxNesting))
			return
		}
		part.Container = true
		part.DetectedType = filetype.Detect(part.Content)
		if !ps.add(part) {
			return
		}
		ps.cleanBase64(e, clean)
		off := -1
		if sameBytes(content, e.body) {
			off = e.bodyOff
		}
		ps.message(part.Content, off, path, depth+1, nesting+1)
		return
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
		st := strings.ToLower(e.params["smime-type"])
		part.Encrypted = st == "enveloped-data" || st == "authenveloped-data"
	case parentType == "multipart/encrypted" && mtype == "application/octet-stream":
		part.Encrypted = true
	}
	part.DetectedType = filetype.Detect(part.Content)
	if ps.add(part) {
		ps.cleanBase64(e, clean)
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

// salvageType takes "type/subtype" from a Content-Type value whose
// parameters cannot be parsed.
func salvageType(ctype string) string {
	t, _, _ := strings.Cut(ctype, ";")
	t = strings.ToLower(strings.TrimSpace(t))
	if i := strings.IndexAny(t, " \t\r\n\"()<>@,:\\[]?="); i >= 0 {
		t = t[:i]
	}
	if !strings.Contains(t, "/") {
		return ""
	}
	return t
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
