package heuristic

import (
	"strings"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// binaryOfficeText is the text of an Office 97-2003 document p (a compound
// file unpack has opened, its streams members of p): a Word document's
// characters, a workbook's strings, a presentation's slides, each
// decrypted when unpack opened it with a known password; "" for anything
// else. Streams are found by the names Office writes.
func (e *env) binaryOfficeText(p *message.Part, limit int) string {
	if !p.Container || p.DetectedType != filetype.OLE {
		return ""
	}
	streams := e.rootStreams()[p]
	member := func(name string) []byte {
		if q := streams[name]; q != nil {
			return q.Content
		}
		return nil
	}
	// A Word document unpack decrypted with a known password has its
	// streams again, in clear, below "decrypted/".
	for _, dir := range []string{"decrypted/", ""} {
		if doc := member(dir + "WordDocument"); doc != nil {
			return unpack.WordText(doc, member(dir+"0Table"), member(dir+"1Table"), limit)
		}
	}
	if wb := member("Workbook (decrypted)"); wb != nil {
		return unpack.XLSDecryptedText(wb, limit)
	}
	if wb := member("Workbook"); wb != nil {
		return unpack.XLSText(wb, limit)
	}
	for _, name := range []string{"PowerPoint Document (decrypted)", "PowerPoint Document"} {
		if ppt := member(name); ppt != nil {
			return unpack.PPTText(ppt, limit)
		}
	}
	return ""
}

// rootStreams are the streams at the root of each compound file of the
// message, by name, found in one walk over the parts. A member's path is
// its container's, then the container's name unless unpack named the
// container itself (a member of a member), then the stream's.
func (e *env) rootStreams() map[*message.Part]map[string]*message.Part {
	if e.streams != nil {
		return e.streams
	}
	e.streams = map[*message.Part]map[string]*message.Part{}
	for _, q := range e.m.Parts {
		c := e.container(q)
		if c == nil || c.DetectedType != filetype.OLE {
			continue
		}
		name := strings.TrimPrefix(q.Path, c.Path+"/")
		if _, inner, ok := strings.Cut(name, "/"); ok {
			name = inner
		}
		if strings.Contains(strings.TrimPrefix(name, "decrypted/"), "/") {
			continue // in a storage (unpack's decrypted Word streams are kept)
		}
		if e.streams[c] == nil {
			e.streams[c] = map[string]*message.Part{}
		}
		e.streams[c][name] = q
	}
	return e.streams
}
