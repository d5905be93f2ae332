package message

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/mediatype"
)

// Bounds on what one message may make us do. Exceeding one is an
// unscannable Problem, never a silent cut.
const (
	MaxNesting = 12   // nested multipart levels plus embedded messages below the top message
	MaxDepth   = 10   // embedded messages inside embedded messages (Part.Depth)
	MaxParts   = 1000 // parts in the whole message, nested multiparts and embedded messages included

	maxDefects      = 100   // defect Problems kept; unscannable ones are always kept
	maxPartErrors   = 10    // enmime errors kept per MIME part
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

// typeNested is what the media-type hook tells enmime a nested multipart
// is, so that enmime splits exactly one multipart level per parse (see
// level.mediaType).
const typeNested = "x-kensa/nested-multipart"

// Parse decodes raw into a flat list of parts. See the package
// documentation for the part paths. Malformed input yields Problems, not an
// error; the error is only for input with nothing in it.
func Parse(raw []byte) (*Message, error) {
	if len(raw) == 0 {
		return nil, errors.New("message: empty input")
	}
	m := &Message{Raw: raw}
	ps := &parser{m: m}
	root := ps.level(bytes.NewReader(raw), raw, levelPaths{self: "", base: "", leaf: "1"}, 0, 0, "")
	if root != nil {
		h := root.Header
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
}

// levelPaths says how parts of one enmime parse are named: self is the
// path of what is being parsed ("" for the top message), base prefixes the
// children's numbers, and leaf names the body when it is not multipart.
// nested is the declared type when the level is a nested multipart body,
// "" when it is a message.
type levelPaths struct{ self, base, leaf, nested string }

// level runs enmime over one message or one nested multipart body and adds
// the parts it finds. raw is the body r reads (after any header we put in
// front), kept as a part if enmime cannot read it. It returns enmime's root
// part, or nil when enmime failed.
func (ps *parser) level(r io.Reader, raw []byte, paths levelPaths, depth, nesting int, parentType string) *enmime.Part {
	lv := &level{readErrs: map[*enmime.Part]error{}}
	root, err := enmime.NewParser(
		enmime.SkipMalformedParts(true),              // drop one bad part, not the message (recorded below)
		enmime.MultipartWOBoundaryAsSinglePart(true), // a multipart without boundary is one opaque part
		enmime.MaxStoredPartErrors(maxPartErrors),
		enmime.SetReadPartErrorPolicy(lv.keepPartial),
		enmime.SetCustomParseMediaType(lv.mediaType),
		enmime.RawContent(true), // we decode transfer encodings and charsets (decode.go, charset.go)
	).ReadParts(r)
	for _, d := range lv.defects {
		ps.problem(Problem{Part: paths.self, Reason: ReasonDefect, Detail: d})
	}
	if err != nil {
		ps.unreadable(raw, paths, depth, lv.rootMultipart, err)
		return nil
	}
	if root.FirstChild == nil && strings.HasPrefix(root.ContentType, "multipart/") && root.Boundary != "" {
		// No delimiter was found (one over 4 KB defeats enmime): whatever
		// the body holds was not split, so keep it whole and say so.
		path := paths.leaf
		if paths.nested != "" {
			path = paths.self
		}
		ps.problem(Problem{Part: path, Reason: ReasonUndecodable, Unscannable: true, Detail: "multipart without any part"})
		ps.add(&Part{Path: path, DeclaredType: root.ContentType, DetectedType: DetectType(raw), Content: raw, Depth: depth})
		return root
	}
	if root.Boundary == "" || !strings.HasPrefix(root.ContentType, "multipart/") {
		ps.errors(root, paths.leaf, nil)
		ps.leaf(lv, root, paths.leaf, depth, nesting, parentType)
		return root
	}
	ps.children(lv, root, paths.self, paths.base, depth, nesting)
	return root
}

// skipped names the children enmime dropped from mp: their numbers are the
// gaps in the children's PartIDs, then the numbers after the last one.
func skipped(mp *enmime.Part, base string) []string {
	var out []string
	next := 1
	for c := mp.FirstChild; c != nil && len(out) < maxPartErrors; c = c.NextSibling {
		id := strings.TrimSuffix(c.PartID, ".0")
		if i := strings.LastIndexByte(id, '.'); i >= 0 {
			id = id[i+1:]
		}
		n, err := strconv.Atoi(id)
		if err != nil {
			continue
		}
		for ; next < n && len(out) < maxPartErrors; next++ {
			out = append(out, base+strconv.Itoa(next))
		}
		next = n + 1
	}
	for len(out) < maxPartErrors {
		out = append(out, base+strconv.Itoa(next))
		next++
	}
	return out
}

// children adds the leaves under an enmime multipart node. enmime only
// nests nodes here when a child repeats its parent's exact Content-Type.
func (ps *parser) children(lv *level, mp *enmime.Part, self, base string, depth, nesting int) {
	mtype := strings.ToLower(mp.ContentType)
	childBase := base
	if mp.Parent != nil { // a node enmime nested itself: its children's IDs carry its own
		childBase = base + strings.TrimSuffix(mp.PartID, ".0") + "."
	}
	ps.errors(mp, self, func() []string { return skipped(mp, childBase) })
	for c := mp.FirstChild; c != nil; c = c.NextSibling {
		if c.FirstChild != nil || (c.Boundary != "" && strings.HasPrefix(c.ContentType, "multipart/")) {
			path := base + strings.TrimSuffix(c.PartID, ".0")
			if c.FirstChild == nil {
				ps.problem(Problem{Part: path, Reason: ReasonUndecodable, Unscannable: true, Detail: "multipart without any part"})
			}
			if nesting+1 > MaxNesting {
				ps.problem(Problem{Part: path, Reason: ReasonLimitDepth, Unscannable: true,
					Detail: fmt.Sprintf("more than %d nested multipart levels and messages", MaxNesting)})
				continue
			}
			ps.children(lv, c, path, base, depth, nesting+1)
			continue
		}
		ps.errors(c, base+c.PartID, nil)
		ps.leaf(lv, c, base+c.PartID, depth, nesting, mtype)
	}
}

// unreadable keeps a message enmime could not read as one text part. Mail
// without MIME headers is legal, so that is a defect; a multipart we could
// not split means attachments went unread.
func (ps *parser) unreadable(raw []byte, paths levelPaths, depth int, multipart bool, err error) {
	if paths.nested != "" {
		ps.problem(Problem{Part: paths.self, Reason: ReasonUndecodable, Unscannable: true, Detail: clip("multipart body: " + err.Error())})
		ps.add(&Part{Path: paths.self, DeclaredType: paths.nested, DetectedType: DetectType(raw), Content: raw, Depth: depth})
		return
	}
	p := Problem{Part: paths.leaf, Reason: ReasonDefect, Detail: clip("not a MIME message: " + err.Error())}
	if multipart {
		p = Problem{Part: paths.leaf, Reason: ReasonUndecodable, Unscannable: true, Detail: clip("multipart message: " + err.Error())}
	}
	ps.problem(p)
	ps.add(&Part{Path: paths.leaf, DeclaredType: TypeText, DetectedType: DetectType(raw), Content: raw, Depth: depth})
}

// errors turns enmime's notes on one part into Problems. skippedKids
// names, in order, the children enmime skipped, which its errors do not.
func (ps *parser) errors(p *enmime.Part, path string, skippedKids func() []string) {
	var dropped []string
	for _, e := range p.Errors {
		switch {
		case e.Name == enmime.ErrorMalformedChildPart && strings.HasPrefix(e.Detail, "partial content"):
			continue // reported from level.readErrs with the part it concerns
		case e.Name == enmime.ErrorMissingContentType:
			continue // legal: RFC 2045 and 2046 give the default
		}
		pr := Problem{Part: path, Reason: ReasonDefect, Detail: clip(e.Error())}
		if e.Name == enmime.ErrorMalformedChildPart && e.Severe {
			// enmime skipped a child part: its content is gone.
			pr.Reason, pr.Unscannable = ReasonUndecodable, true
			if dropped == nil && skippedKids != nil {
				dropped = skippedKids()
			}
			if len(dropped) > 0 {
				pr.Part, dropped = dropped[0], dropped[1:]
			}
		}
		ps.problem(pr)
	}
}

// leaf adds one enmime leaf: a body or attachment, a nested multipart to
// parse as its own level, or an embedded message to parse recursively.
func (ps *parser) leaf(lv *level, p *enmime.Part, path string, depth, nesting int, parentType string) {
	if ps.partsFull {
		return
	}
	mtype := p.ContentType
	if mtype == typeNested {
		mtype, _ = declaredType(p.Header.Get("Content-Type"))
	}
	if mtype == "" {
		mtype = "text/plain" // RFC 2045 default
		if parentType == "multipart/digest" {
			mtype = "message/rfc822" // RFC 2046 5.1.5
		}
	}
	if err := lv.readErrs[p]; err != nil {
		ps.problem(Problem{Part: path, Reason: ReasonUndecodable, Unscannable: true, Detail: clip("partial content: " + err.Error())})
	}
	name, dup := fileName(p.Header.Get("Content-Disposition"), p.Header.Get("Content-Type"), p.FileName)
	if dup || len(p.Header.Values("Content-Disposition")) > 1 {
		ps.problem(Problem{Part: path, Reason: ReasonDefect, Detail: "file name or Content-Disposition given more than once"})
	}
	part := &Part{
		Path:         path,
		Filename:     name,
		DeclaredType: mtype,
		Content:      p.Content,
		Depth:        depth,
	}
	if p.ContentType != typeNested { // a multipart body has no transfer encoding of its own
		content, defect, undecoded := decodeTransfer(p.Content, p.Header.Get("Content-Transfer-Encoding"))
		switch {
		case undecoded:
			ps.problem(Problem{Part: path, Reason: ReasonUndecodable, Unscannable: true, Detail: defect})
		case defect != "":
			ps.problem(Problem{Part: path, Reason: ReasonDefect, Detail: defect})
		}
		part.Content = content
	}
	switch {
	case p.ContentType == typeNested:
		if nesting+1 > MaxNesting {
			ps.limitDepth(part, fmt.Sprintf("more than %d nested multipart levels and messages", MaxNesting))
			return
		}
		if !ps.take(path) {
			return
		}
		// enmime has already consumed this part's header; give it back the
		// one field that matters so the body parses as its own level.
		hdr := "Content-Type: " + p.Header.Get("Content-Type") + "\r\n\r\n"
		ps.level(io.MultiReader(strings.NewReader(hdr), bytes.NewReader(part.Content)), part.Content,
			levelPaths{self: path, base: path + ".", leaf: path, nested: mtype}, depth, nesting+1, parentType)
		return
	case mtype == "message/rfc822" || mtype == "message/global":
		if depth+1 > MaxDepth || nesting+1 > MaxNesting {
			ps.limitDepth(part, fmt.Sprintf("more than %d nested messages or %d nested levels", MaxDepth, MaxNesting))
			return
		}
		part.Container = true
		part.DetectedType = DetectType(part.Content)
		if !ps.add(part) {
			return
		}
		ps.level(bytes.NewReader(part.Content), part.Content,
			levelPaths{self: path, base: path + "/", leaf: path + "/1"}, depth+1, nesting+1, "")
		return
	case strings.HasPrefix(mtype, "text/"):
		part.Charset = p.Charset
		if part.Charset == "" && mtype == "text/html" {
			part.Charset = htmlMetaCharset(part.Content) // browsers and mailers honour it
		}
		// Attachments keep their bytes: a mailer saves them unconverted,
		// and converting a mislabelled binary would hide it from scanning.
		if name == "" && !strings.EqualFold(p.Disposition, "attachment") {
			utf, err := toUTF8(part.Content, part.Charset)
			if err != nil {
				ps.problem(Problem{Part: path, Reason: ReasonCharset, Detail: clip(err.Error())})
			}
			part.Content = utf
		}
	case mtype == "application/pkcs7-mime" || mtype == "application/x-pkcs7-mime":
		_, params := declaredType(p.Header.Get("Content-Type"))
		st := strings.ToLower(params["smime-type"])
		part.Encrypted = st == "enveloped-data" || st == "authenveloped-data"
	case parentType == "multipart/encrypted" && mtype == "application/octet-stream":
		part.Encrypted = true
	}
	part.DetectedType = DetectType(part.Content)
	ps.add(part)
}

// limitDepth keeps a part we will not descend into, undecoded, so its
// bytes are still scanned, and says why it was not opened.
func (ps *parser) limitDepth(part *Part, detail string) {
	part.DetectedType = DetectType(part.Content)
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

// level is the state of one enmime parse, reached through the hooks
// enmime calls.
type level struct {
	seen          bool
	rootCT        string // the Content-Type of the level's root, the first one enmime asks about
	rootMultipart bool
	defects       []string
	readErrs      map[*enmime.Part]error
}

// mediaType is enmime's media-type hook. enmime asks it about every
// Content-Type (and Content-Disposition) in document order, the level's
// root first. It keeps the root's multipart as it is and turns every other
// multipart into an opaque leaf: enmime reads nested multiparts byte by
// byte once per level and without a bound, so we parse each level
// ourselves and stop at MaxNesting. Boundary parameters are dropped from
// anything but the root so that nothing else is split.
func (lv *level) mediaType(ctype string) (string, map[string]string, []string, error) {
	if !lv.seen {
		lv.seen, lv.rootCT = true, ctype
	}
	mtype, params, invalid, err := mediatype.Parse(ctype)
	if err != nil {
		mtype, params, invalid = salvageType(ctype), nil, nil
		if len(lv.defects) < maxPartErrors {
			lv.defects = append(lv.defects, clip(fmt.Sprintf("malformed media type %q: %v", clip(ctype), err)))
		}
	}
	switch {
	case strings.HasPrefix(mtype, "multipart/") && ctype == lv.rootCT:
		lv.rootMultipart = true
		return mtype, params, invalid, nil
	case strings.HasPrefix(mtype, "multipart/"):
		mtype = typeNested
	}
	if _, ok := params["boundary"]; ok {
		params = withoutBoundary(params)
	}
	return mtype, params, invalid, nil
}

// keepPartial is enmime's read-error hook: keep whatever was decoded and
// remember the error for the part's Problem.
func (lv *level) keepPartial(p *enmime.Part, err error) bool {
	if _, seen := lv.readErrs[p]; !seen {
		lv.readErrs[p] = err
	}
	return true
}

func withoutBoundary(params map[string]string) map[string]string {
	out := make(map[string]string, len(params))
	for k, v := range params {
		if k != "boundary" {
			out[k] = v
		}
	}
	return out
}

// declaredType is the lower-case media type and parameters of a
// Content-Type value, as leniently as enmime reads it.
func declaredType(ctype string) (string, map[string]string) {
	mtype, params, _, err := mediatype.Parse(ctype)
	if err != nil {
		return salvageType(ctype), nil
	}
	return strings.ToLower(mtype), params
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
