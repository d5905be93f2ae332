package unpack

import (
	"fmt"
	"slices"
	"strings"
)

// Embedded objects. Word keeps an object embedded in a document in a
// storage of ObjectPool, Excel in a storage named MBD and eight hex
// digits, and OLE gives that storage to the object's application as the
// root of a compound file of its own: an embedded workbook is opened by
// Excel as a workbook file is, macro sheets, encryption and all. So each
// embedded object's storage is read by openOffice as the root of a file
// (openObject), below a member named by its storage path
// ("2/report.doc/ObjectPool/_1234"), which carries the storage's class
// (Part.OLEClass) and has no bytes of its own; its streams are members
// under that path already, and what is read of them comes out below it
// ("2/report.doc/ObjectPool/_1234/xlm/Macro1"). An object inside an
// object is the inner one's, one level deeper, within the depth limit.

// maxObjectNesting is how deep below a file's root a storage may lie and
// still be looked at as an object's: Office's objects lie one or two
// storages below their document's root, the depth limit bounds how many
// documents deep, and a chain of storages costs time and memory in its
// length squared (the mscfb reader's paths already do).
const maxObjectNesting = 32

// oleStorage is a storage of a compound file below the root that
// openOffice reads.
type oleStorage struct {
	dir   string // lower-case storage path, as oleStream.dir
	path  string // the path as written
	class string // the storage's CLSID, "" when null
}

func newOLEStorage(path, class string) oleStorage {
	if class == nullCLSID {
		class = ""
	}
	return oleStorage{strings.ToLower(path), path, class}
}

// oleObject is an embedded object's storage and what lies in it, by
// paths relative to it.
type oleObject struct {
	oleStorage
	streams  []oleStream
	storages []oleStorage
}

// objectStreams are the streams (lower-case, without the control
// character some names start with) that make a storage an object's: a
// document's main stream (Word, Excel 5 and 97, PowerPoint, an encrypted
// OOXML package, an OOXML package embedded as such), an OLE package's or
// an object's native data, and the streams OLE itself writes into every
// object's storage.
var objectStreams = map[string]bool{
	"worddocument": true, "workbook": true, "book": true, "powerpoint document": true,
	"encryptedpackage": true, "package": true, "contents": true, "ole10native": true,
	"equation native": true, "ole": true, "compobj": true, "objinfo": true,
}

// isObjectStorage says whether a storage holds an embedded object, from
// its parent's and its own lower-case names, its class and the names of
// its streams. Office finds its objects by name (ObjectPool/*, MBD*); the
// storage names are the sender's, though, and a storage renamed still holds
// a document that the application its class names reads as one, so a
// storage with a class, with OLE's own streams or with a document's or
// object's main stream is an object's too. Reading a storage as an object
// that Office would not open costs a member and can only show more.
func isObjectStorage(parent, name, class string, streams []string) bool {
	if parent == "objectpool" || strings.HasPrefix(name, "mbd") || class != "" {
		return true
	}
	for _, s := range streams {
		if objectStreams[strings.ToLower(strings.TrimLeft(s, "\x01\x02\x03\x05"))] {
			return true
		}
	}
	return false
}

// embeddedObjects splits what lies below a compound file's root (or an
// object's storage) into what lies in no embedded object (own) and the
// outermost embedded objects, each with what lies in it. Objects come in
// the order of their paths, so that the members they give are the same
// however the directory is laid out.
func embeddedObjects(streams []oleStream, storages []oleStorage) (own []oleStream, objects []*oleObject) {
	if len(storages) == 0 {
		return streams, nil
	}
	names := map[string][]string{} // storage dir → the names of its streams
	for _, d := range streams {
		names[d.dir] = append(names[d.dir], d.name)
	}
	// A storage's path sorts after its parent's: each storage is placed
	// after the object its parent lies in, if any.
	sorted := slices.SortedFunc(slices.Values(storages), func(a, b oleStorage) int { return strings.Compare(a.dir, b.dir) })
	in := map[string]*oleObject{} // storage dir → the outermost object it is or lies in, nil for none
	for _, s := range sorted {
		parent, name := "", s.dir
		if i := strings.LastIndexByte(s.dir, '/'); i >= 0 {
			parent, name = s.dir[:i], s.dir[i+1:]
		}
		if o := in[parent]; o != nil {
			in[s.dir] = o
			o.storages = append(o.storages, s.below(o))
			continue
		}
		if _, seen := in[s.dir]; seen {
			continue // two storages of one name: one path
		}
		in[s.dir] = nil
		if isObjectStorage(parent[strings.LastIndexByte(parent, '/')+1:], name, s.class, names[s.dir]) {
			o := &oleObject{oleStorage: s}
			in[s.dir] = o
			objects = append(objects, o)
		}
	}
	if len(objects) == 0 {
		return streams, nil
	}
	for _, d := range streams {
		if o := in[d.dir]; o != nil {
			d.dir = relDir(d.dir, o.dir)
			o.streams = append(o.streams, d)
		} else {
			own = append(own, d)
		}
	}
	return own, objects
}

// below is s with its paths relative to the object o it lies in.
func (s oleStorage) below(o *oleObject) oleStorage {
	s.dir = relDir(s.dir, o.dir)
	s.path = relDir(s.path, o.path)
	return s
}

// relDir is dir relative to top, a storage path it is or lies in.
func relDir(dir, top string) string {
	if len(dir) <= len(top) {
		return ""
	}
	return dir[len(top)+1:]
}

// openObject reads an embedded object's storage as openOffice reads a
// compound file's root, below a member named by the storage's path that
// carries its class. Past the depth limit it is not read (limit-depth):
// its streams stay members, unread.
func (c *container) openObject(o *oleObject) error {
	if c.w.expired() {
		c.w.stop(c.part, ReasonTime, "unpacking took longer than "+c.w.lim.Timeout.String())
		return errStop
	}
	p := c.addUnder(c.part, c.base, o.path, nil)
	if p == nil {
		return errStop
	}
	p.OLEClass = o.class
	p.Container = true // its streams are members below its path
	if p.Depth >= c.w.lim.MaxDepth {
		c.w.problem(p, ReasonDepth, fmt.Sprintf("ole embedded object at depth %d (limit %d) not opened", p.Depth, c.w.lim.MaxDepth))
		return nil
	}
	obj := &container{w: c.w, part: p, kind: c.kind, base: p.Path}
	return obj.openOffice(o.streams, o.storages)
}
