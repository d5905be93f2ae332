package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
	"github.com/richardlehane/mscfb"
)

// Outlook .msg files (MS-OXMSG): a compound file whose root holds a
// property stream and one "__substg1.0_IIIITTTT" stream per variable-size
// property (IIII the property id, TTTT its type), a storage per recipient
// and per attachment, and an embedded message's own tree inside its
// attachment. openMsg presents the message as Outlook shows it: the
// bodies as text and HTML (PR_HTML, or the HTML encapsulated in the
// compressed RTF body), each attachment under its file name with every
// other name it carries, and embedded messages, recursively, below their
// attachment. Streams it does not interpret stay members under their
// stream names, as in any compound file.

const (
	msgPropStream = "__properties_version1.0"
	msgSubstg     = "__substg1.0_"
	msgAttach     = "__attach_version1.0_#"
	msgObject     = "__substg1.0_3701000d" // PR_ATTACH_DATA_OBJ: an embedded message or OLE object
)

// Property ids (MS-OXPROPS) and types (MS-OXCDATA) read here.
const (
	prTransportHeaders = 0x007D
	prSentReprName     = 0x0042 // PR_SENT_REPRESENTING_NAME: whom Outlook shows the message is from
	prSentReprEmail    = 0x0065
	prSenderName       = 0x0C1A
	prSenderEmail      = 0x0C1F
	prSenderSMTP       = 0x5D01
	prSentReprSMTP     = 0x5D02
	prBody             = 0x1000
	prRTFCompressed    = 0x1009
	prHTML             = 0x1013
	prDisplayName      = 0x3001
	prAttachData       = 0x3701
	prAttachExtension  = 0x3703
	prAttachFilename   = 0x3704
	prAttachMethod     = 0x3705
	prAttachLongName   = 0x3707
	prAttachPathname   = 0x3708
	prAttachLongPath   = 0x370D
	prAttachMIMETag    = 0x370E
	prInternetCPID     = 0x3FDE
	prMessageCodepage  = 0x3FFD

	ptLong    = 0x0003
	ptString8 = 0x001E
	ptUnicode = 0x001F
	ptBinary  = 0x0102
)

// Property stream headers (MS-OXMSG 2.4.1): the top-level message's is 32
// bytes, an embedded message's 24, an attachment's or recipient's 8.
const (
	msgHeaderTop      = 32
	msgHeaderEmbedded = 24
	msgHeaderAttach   = 8
)

// isMsg says whether a compound file is an Outlook message: a property
// stream and property streams at the root.
func isMsg(files []*mscfb.File) bool {
	var props, substg bool
	for _, f := range files {
		if len(f.Path) != 0 {
			continue
		}
		props = props || strings.EqualFold(f.Name, msgPropStream)
		substg = substg || hasPrefixFold(f.Name, msgSubstg)
	}
	return props && substg
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// msgNode is one storage of the file: its streams and storages by
// lower-case name (compound file names compare without case).
type msgNode struct {
	path     string // CFB path, for streams left over
	class    string // the storage's CLSID, "" when null
	streams  map[string]*msgStream
	storages map[string]*msgNode
	order    []*msgStream // streams in file order, for the leftovers
}

type msgStream struct {
	name string // CFB path
	data []byte
	used bool // presented as something Outlook shows
}

// nullCLSID is a storage without a class, as mscfb spells it.
const nullCLSID = "{00000000-0000-0000-0000-000000000000}"

func newMsgNode(path string) *msgNode {
	return &msgNode{path: path, streams: map[string]*msgStream{}, storages: map[string]*msgNode{}}
}

// node returns the storage at path below n, creating it.
func (n *msgNode) node(path []string) *msgNode {
	for _, s := range path {
		k := strings.ToLower(s)
		child := n.storages[k]
		if child == nil {
			child = newMsgNode(strings.TrimPrefix(n.path+"/"+s, "/"))
			n.storages[k] = child
		}
		n = child
	}
	return n
}

// isMessage says whether a storage holds a message: a property stream,
// property streams or attachment storages (Outlook writes all of them;
// one left out does not make the rest an OLE object).
func (n *msgNode) isMessage() bool {
	if _, ok := n.streams[strings.ToLower(msgPropStream)]; ok {
		return true
	}
	for k := range n.streams {
		if strings.HasPrefix(k, msgSubstg) {
			return true
		}
	}
	for k := range n.storages {
		if strings.HasPrefix(k, msgAttach) {
			return true
		}
	}
	return false
}

// stream returns the bytes of a stream of n and marks it used.
func (n *msgNode) stream(name string) ([]byte, bool) {
	s := n.streams[strings.ToLower(name)]
	if s == nil {
		return nil, false
	}
	s.used = true
	return s.data, true
}

// prop returns the stream of a variable-size property.
func (n *msgNode) prop(id, typ uint16) ([]byte, bool) {
	return n.stream(fmt.Sprintf("%s%04X%04X", msgSubstg, id, typ))
}

// long returns a 4-byte property from the property stream.
func (n *msgNode) long(id uint16, header int) (uint32, bool) {
	s := n.streams[strings.ToLower(msgPropStream)]
	if s == nil {
		return 0, false
	}
	s.used = true
	return msgLong(s.data, header, uint32(id)<<16|ptLong)
}

// msgLong finds a fixed-size property in a property stream: entries of 16
// bytes (tag, flags, value) after the header.
func msgLong(props []byte, header int, tag uint32) (uint32, bool) {
	for i := header; i+16 <= len(props); i += 16 {
		if binary.LittleEndian.Uint32(props[i:]) == tag {
			return binary.LittleEndian.Uint32(props[i+8:]), true
		}
	}
	return 0, false
}

// strings returns a string property's values: the Unicode one first (what
// a Unicode client shows), then the 8-bit one read in the code page, each
// once.
func (n *msgNode) strings(id uint16, cp uint32) []string {
	var out []string
	if b, ok := n.prop(id, ptUnicode); ok {
		if s := strings.TrimRight(message.UTF16LE(b), "\x00"); s != "" {
			out = append(out, s)
		}
	}
	if b, ok := n.prop(id, ptString8); ok {
		if s := strings.TrimRight(string(codePageText(bytes.TrimRight(b, "\x00"), cp)), "\x00"); s != "" && (len(out) == 0 || out[0] != s) {
			out = append(out, s)
		}
	}
	return out
}

// codePageText converts 8-bit text in a Windows code page to UTF-8. An
// unknown or missing code page reads as Windows-1252, which decodes every
// byte: the text is scanned either way.
func codePageText(b []byte, cp uint32) []byte {
	out, err := message.ToUTF8(b, codePageCharset(cp))
	if err != nil {
		out, _ = message.ToUTF8(b, "windows-1252")
	}
	return out
}

// codePageCharset names a Windows code page as a charset label.
func codePageCharset(cp uint32) string {
	switch {
	case cp == 0:
		return "windows-1252"
	case cp == 874 || cp >= 1250 && cp <= 1258:
		return fmt.Sprintf("windows-%d", cp)
	case cp >= 28591 && cp <= 28606:
		return fmt.Sprintf("iso-8859-%d", cp-28590)
	}
	switch cp {
	case 932:
		return "shift_jis"
	case 936:
		return "gbk"
	case 949:
		return "euc-kr"
	case 950:
		return "big5"
	case 866:
		return "ibm866"
	case 1200:
		return "utf-16le"
	case 1201:
		return "utf-16be"
	case 10000:
		return "macintosh"
	case 20127:
		return "us-ascii"
	case 20866:
		return "koi8-r"
	case 21866:
		return "koi8-u"
	case 50220, 50221, 50222:
		return "iso-2022-jp"
	case 51932:
		return "euc-jp"
	case 51949:
		return "euc-kr"
	case 54936:
		return "gb18030"
	case 65000:
		return "utf-7"
	case 65001:
		return "utf-8"
	}
	return "windows-1252"
}

// openMsg reads an Outlook message from the compound file r.
func openMsg(c *container, r *mscfb.Reader) error {
	root := newMsgNode("")
	for {
		f, err := r.Next()
		if err != nil {
			break // io.EOF: mscfb read the whole directory in New
		}
		if f.FileInfo().IsDir() {
			if id := f.ID(); id != nullCLSID {
				root.node(append(append([]string{}, f.Path...), f.Name)).class = id
			}
			continue
		}
		if f.Size <= 0 {
			continue
		}
		name := strings.Join(append(append([]string{}, f.Path...), f.Name), "/")
		data, err := c.read(name, f, f.Size)
		var le *limitErr
		switch {
		case errors.Is(err, errStop):
			return err
		case errors.As(err, &le): // kept truncated: the limit is recorded
		case err != nil && len(data) == 0:
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: msg %q: stream %q: %v", c.part.Path, cleanName(name), err))
			continue
		}
		n := root.node(f.Path)
		s := &msgStream{name: name, data: data}
		n.streams[strings.ToLower(f.Name)] = s
		n.order = append(n.order, s)
	}
	m := msgReader{c: c}
	if err := m.message(root, msgHeaderTop, c.base, c.part.Depth, 0); err != nil {
		return err
	}
	return m.leftovers(root)
}

// maxSenderRunes bounds a name or address of the sender block.
const maxSenderRunes = 1024

// senderBlock is who Outlook shows the message in n is from, written as
// header fields: From for the represented sender (PR_SENT_REPRESENTING_*),
// or the sender when there is none, and Sender for a sender who sent on
// the represented one's behalf ("X on behalf of Y"). The name is quoted
// with its quotes and backslashes escaped and line breaks made blanks, so
// that the block says what Outlook shows and nothing more; an address
// is its SMTP address, or the e-mail address when that is one (Exchange
// writes an X.500 name there for its own users), written as it is, line
// breaks made blanks: "a@b.example> <x@evil.example" shows as two
// addresses, as msgconvert writes it too. "" when n names no one.
func senderBlock(n *msgNode, cp uint32) string {
	first := func(id uint16) string {
		if v := n.strings(id, cp); len(v) > 0 {
			return v[0]
		}
		return ""
	}
	field := func(name, smtp, email string) string {
		addr := smtp
		if !strings.Contains(addr, "@") {
			addr = email
		}
		if !strings.Contains(addr, "@") {
			addr = ""
		}
		blank := func(r rune) rune {
			if r < ' ' || r == 0x7F {
				return ' '
			}
			return r
		}
		name = truncRunes(strings.TrimSpace(strings.Map(blank, name)), maxSenderRunes)
		addr = truncRunes(strings.TrimSpace(strings.Map(blank, addr)), maxSenderRunes)
		switch {
		case name == "" && addr == "":
			return ""
		case name == "":
			return "<" + addr + ">"
		}
		q := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
		if addr == "" {
			return q
		}
		return q + " <" + addr + ">"
	}
	repr := field(first(prSentReprName), first(prSentReprSMTP), first(prSentReprEmail))
	sender := field(first(prSenderName), first(prSenderSMTP), first(prSenderEmail))
	switch {
	case repr == "" && sender == "":
		return ""
	case repr == "":
		return "From: " + sender + "\r\n"
	case sender == "" || sender == repr:
		return "From: " + repr + "\r\n"
	}
	return "From: " + repr + "\r\nSender: " + sender + "\r\n"
}

// truncRunes cuts s to at most n runes.
func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// msgReader presents one .msg file.
type msgReader struct {
	c *container
}

// at is a stand-in parent for members at a depth: an embedded message has
// no part of its own, its members are one level deeper than its
// attachment's siblings.
func at(depth int) *message.Part { return &message.Part{Depth: depth} }

// message presents the message in storage n: members go below base, one
// level deeper than depth. nested counts the embedded messages around it.
func (m *msgReader) message(n *msgNode, header int, base string, depth, nested int) error {
	c := m.c
	parent := at(depth)
	cp, ok := n.long(prMessageCodepage, header)
	if !ok {
		cp, _ = n.long(prInternetCPID, header)
	}
	bodyCP, bodyCPSet := n.long(prInternetCPID, header)
	if !bodyCPSet {
		bodyCP = cp
	}
	add := func(name string, data []byte, counted bool) (*message.Part, error) {
		if !counted && !c.budget(int64(len(data))) {
			return nil, errStop
		}
		p := c.addUnder(parent, base, name, data)
		if p == nil {
			return nil, errStop
		}
		return p, nil
	}
	// Transport headers: the header block the message arrived with; and
	// who Outlook shows the message is from, as a header block of its
	// own (the sender checks read both as an attached message's origin).
	type block struct{ name, text string }
	var blocks []block
	for _, h := range n.strings(prTransportHeaders, cp) {
		blocks = append(blocks, block{"headers.txt", h})
	}
	if h := senderBlock(n, cp); h != "" {
		blocks = append(blocks, block{"sender.txt", h})
	}
	for _, b := range blocks {
		p, err := add(b.name, []byte(b.text), false)
		if err != nil {
			return err
		}
		p.DeclaredType = filetype.RFC822Headers
		c.w.noExpand[p] = true // a header block, not a message to parse again
	}
	// Plain text body: the Unicode and the 8-bit one, each when present.
	for _, b := range n.strings(prBody, bodyCP) {
		if _, err := add("body.txt", []byte(b), false); err != nil {
			return err
		}
	}
	// HTML body: binary in the Internet code page, or a string property.
	if b, ok := n.prop(prHTML, ptBinary); ok {
		// Without a declared code page, UTF-8 stays as it is (the page's
		// own <meta> usually says so).
		html := b
		if bodyCPSet && bodyCP != 65001 || !bodyCPSet && !utf8.Valid(b) {
			html = codePageText(b, bodyCP)
		}
		if _, err := add("body.html", html, sameBytes(html, b)); err != nil {
			return err
		}
	}
	for _, h := range n.strings(prHTML, bodyCP) {
		if _, err := add("body.html", []byte(h), false); err != nil {
			return err
		}
	}
	// Compressed RTF body: the RTF itself (the RTF reader opens its
	// objects) and the HTML it encapsulates, which is what Outlook shows.
	if b, ok := n.prop(prRTFCompressed, ptBinary); ok {
		if err := m.rtfBody(b, parent, base); err != nil {
			return err
		}
	}
	// Attachments, in storage order (their numbers).
	for _, k := range sortedKeys(n.storages) {
		if !strings.HasPrefix(k, msgAttach) {
			continue
		}
		if c.w.expired() {
			c.w.stop(c.part, ReasonTime, "unpacking took longer than "+c.w.lim.Timeout.String())
			return errStop
		}
		if err := m.attachment(n.storages[k], cp, base, depth, nested); err != nil {
			return err
		}
	}
	return nil
}

// sameBytes says whether a and b are the same slice (a conversion that
// returned its input costs nothing more).
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// rtfBody adds the decompressed RTF body and the HTML it encapsulates.
func (m *msgReader) rtfBody(b []byte, parent *message.Part, base string) error {
	c := m.c
	remaining := c.w.lim.MaxTotalBytes - c.w.total
	limit := min(c.w.lim.MaxMemberBytes, remaining)
	if limit <= 0 {
		c.w.stop(c.part, ReasonTotalSize, fmt.Sprintf("more than %d bytes expanded in the message", c.w.lim.MaxTotalBytes))
		return errStop
	}
	rtf, crcOK, err := decompressRTF(b, int(limit))
	switch {
	case errors.Is(err, errLZFuSize) && limit == remaining:
		c.w.stop(c.part, ReasonTotalSize, fmt.Sprintf("more than %d bytes expanded in the message (at the RTF body)", c.w.lim.MaxTotalBytes))
		return errStop
	case errors.Is(err, errLZFuSize):
		c.w.problem(c.part, ReasonMemberSize, fmt.Sprintf("member %q larger than %d bytes", "body.rtf", limit))
	case err != nil:
		c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: msg %q: compressed RTF body: %v", c.part.Path, err))
	case !crcOK:
		// Outlook may refuse this body; what it holds is scanned anyway.
		c.w.m.Problems = append(c.w.m.Problems, message.Problem{Part: c.part.Path, Reason: ReasonCorrupt,
			Detail: fmt.Sprintf("unpack: msg %q: compressed RTF body: CRC mismatch", c.part.Path)})
	}
	if len(rtf) == 0 {
		return nil
	}
	body := c.addUnder(parent, base, "body.rtf", rtf)
	if !c.budget(int64(len(rtf))) || body == nil {
		return errStop
	}
	if err != nil {
		c.truncated(body) // cut short: not opened as a container
	}
	if html := rtfHTML(rtf); len(html) > 0 {
		if !c.budget(int64(len(html))) || c.addUnder(parent, base, "body-rtf.html", html) == nil {
			return errStop
		}
	}
	return nil
}

// attachment presents one attachment storage: its data under its names,
// an embedded message below it, an OLE object's streams below it.
func (m *msgReader) attachment(n *msgNode, cp uint32, base string, depth, nested int) error {
	c := m.c
	parent := at(depth)
	method, _ := n.long(prAttachMethod, msgHeaderAttach)
	// Outlook saves and opens the file under its long file name; the
	// attachment well shows the display name. Every name is checked.
	var names []string
	for _, id := range []uint16{prAttachLongName, prAttachFilename, prDisplayName} {
		names = append(names, n.strings(id, cp)...)
	}
	paths := append(n.strings(prAttachLongPath, cp), n.strings(prAttachPathname, cp)...)
	for _, p := range paths {
		names = append(names, baseName(p))
	}
	// Windows ends a name at a NUL: "a.js\x00.pdf" is saved as a.js.
	for _, s := range names {
		if i := strings.IndexByte(s, 0); i > 0 {
			names = append(names, s[:i])
		}
	}
	name := "attachment"
	for _, s := range names {
		if strings.TrimSpace(s) != "" {
			name = s
			break
		}
	}
	named := func(p *message.Part) {
		for _, s := range names {
			if !otherName(p.Filename, s) {
				continue
			}
			addAltName(p, s)
		}
		// Windows opens by the extension property when the name has none
		// or another.
		for _, ext := range n.strings(prAttachExtension, cp) {
			if ext = strings.TrimSpace(ext); ext == "" {
				continue
			}
			if !strings.HasPrefix(ext, ".") {
				ext = "." + ext
			}
			if !strings.EqualFold(ext, path.Ext(p.Filename)) {
				addAltName(p, strings.TrimSuffix(p.Filename, path.Ext(p.Filename))+ext)
			}
		}
		for _, t := range n.strings(prAttachMIMETag, cp) {
			if t = strings.ToLower(strings.TrimSpace(t)); isMediaType(t) {
				p.DeclaredType = t
				break
			}
		}
	}
	found := false
	if b, ok := n.prop(prAttachData, ptBinary); ok {
		found = true
		p := c.addUnder(parent, base, name, b)
		if p == nil {
			return errStop
		}
		named(p)
	}
	if obj := n.storages[msgObject]; obj != nil {
		found = true
		// Outlook goes by the attach method (5 opens the storage as a
		// message, 6 starts the application its class names on it), so
		// streams named like a message's cannot make an OLE object a
		// message; without a method the storage's streams say.
		if method == 5 || method != 6 && obj.isMessage() {
			if err := m.embedded(obj, cp, base, name, depth, nested); err != nil {
				return err
			}
		} else if err := m.oleObject(obj, name, named, parent, base); err != nil {
			return err
		}
	}
	if !found && (method != 0 || len(names) > 0) || len(paths) > 0 {
		// By reference (methods 2-4, 7) or empty: no bytes to scan, but the
		// names and the paths (a share, a web address) are read, whatever
		// else the attachment holds.
		p := c.addUnder(parent, base, name, nil)
		if p == nil {
			return errStop
		}
		named(p)
		if len(paths) > 0 {
			text := []byte(strings.Join(paths, "\r\n") + "\r\n")
			if !c.budget(int64(len(text))) || c.addUnder(p, p.Path, "reference.txt", text) == nil {
				return errStop
			}
		}
	}
	return nil
}

// embedded presents an embedded message (attach method 5) below its
// attachment's name, within the nesting limit.
func (m *msgReader) embedded(obj *msgNode, cp uint32, base, name string, depth, nested int) error {
	c := m.c
	name = cleanPath(name)
	if name == "" {
		name = "message"
	}
	if !strings.HasSuffix(strings.ToLower(name), ".msg") {
		name += ".msg" // as Outlook saves it
	}
	if d := c.part.Depth + nested + 1; d >= c.w.lim.MaxDepth {
		c.w.problem(c.part, ReasonDepth, fmt.Sprintf("msg embedded message at depth %d (limit %d) not opened", d, c.w.lim.MaxDepth))
		return nil
	}
	c.part.Container = true
	return m.message(obj, msgHeaderEmbedded, c.w.unique(base+"/"+name), depth+1, nested+1)
}

// oleObject presents an OLE attachment (attach method 6). Outlook opens
// the object's storage as the application its class names would open the
// file, so the storage is read as a standalone compound file is
// (openOffice), with the attachment as the file: every stream is a member
// below it, and below those what Office reads of them (a package's file,
// VBA source, macro sheets, decrypted streams...). The attachment's own
// bytes are the object's CONTENTS stream or else its largest, and it
// carries the storage's class.
func (m *msgReader) oleObject(obj *msgNode, name string, named func(*message.Part), parent *message.Part, base string) error {
	c := m.c
	main, _ := obj.stream("CONTENTS")
	if main == nil {
		for _, s := range obj.order {
			if len(s.data) > len(main) {
				main = s.data
			}
		}
	}
	p := c.addUnder(parent, base, name, main)
	if p == nil {
		return errStop
	}
	named(p)
	p.OLEClass = obj.class
	// The depth limit of a compound file attached by value: past it the
	// streams stay members of the message (leftovers).
	if p.Depth >= c.w.lim.MaxDepth {
		c.w.problem(p, ReasonDepth, fmt.Sprintf("msg OLE object at depth %d (limit %d) not opened", p.Depth, c.w.lim.MaxDepth))
		return nil
	}
	ole := &container{w: c.w, part: p, kind: "ole", base: p.Path}
	var streams []oleStream
	var storages []oleStorage
	var walk func(n *msgNode, nesting int) error
	walk = func(n *msgNode, nesting int) error {
		rel := strings.TrimPrefix(strings.TrimPrefix(n.path, obj.path), "/")
		if n != obj && nesting <= maxObjectNesting {
			storages = append(storages, newOLEStorage(rel, n.class))
		}
		for _, s := range n.order {
			s.used = true
			sp := ole.add(strings.TrimPrefix(s.name, obj.path+"/"), s.data)
			if sp == nil {
				return errStop
			}
			streams = append(streams, oleStream{strings.ToLower(rel), baseName(s.name), s.data, sp})
		}
		for _, k := range sortedKeys(n.storages) {
			if err := walk(n.storages[k], nesting+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(obj, 0); err != nil {
		return err
	}
	p.Container = true
	return ole.openOffice(streams, storages)
}

// leftovers adds the streams no reading used, under their stream names,
// as openOLE adds any compound file's streams; the property streams are
// fixed-size values and name tables, read above.
func (m *msgReader) leftovers(n *msgNode) error {
	for _, s := range n.order {
		if s.used || strings.EqualFold(baseName(s.name), msgPropStream) {
			continue
		}
		if m.c.add(s.name, s.data) == nil {
			return errStop
		}
	}
	for _, k := range sortedKeys(n.storages) {
		if err := m.leftovers(n.storages[k]); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// isMediaType says whether s is type/subtype in MIME token characters.
func isMediaType(s string) bool {
	if len(s) > 100 || strings.Count(s, "/") != 1 || s[0] == '/' || s[len(s)-1] == '/' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("/!#$&^_.+-", r)) {
			return false
		}
	}
	return true
}

// otherName says whether alt names a file other than name for the name
// checks. Honest messages carry two that do not: the 8.3 short name
// Windows makes (REPORT~1.DOC for report.docx) and a display name without
// an extension.
func otherName(name, alt string) bool {
	ext, altExt := message.Ext(baseName(name)), message.Ext(baseName(alt))
	switch {
	case altExt == "" && ext != "":
		return false
	case len(altExt) == 3 && len(ext) > 3 && strings.HasPrefix(ext, altExt) && strings.Contains(alt, "~"):
		return false
	}
	return true
}
