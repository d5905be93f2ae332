package unpack

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// OneNote's alternative packaging (MS-ONESTORE 2.8), the form OneDrive,
// SharePoint and OneNote on the web hand a section out in: the .one file
// GUID, the file's own GUID, a null legacy version, the packaging GUID
// (guidFileFormat, at offset 48), four reserved bytes, then one MS-FSSHTTPB
// stream object (2.2.1.5) of type 0x7A holding a data element package
// (2.2.1.12): storage index, storage manifest, cell manifests, revision
// manifests, object groups and object data BLOBs.
//
// A stream object is a 16-bit header (7-bit length) or a 32-bit one
// (15-bit length; 0x7FFF means a compact uint64 length follows), a type and
// a compound bit; its length counts its own fields. A compound object's
// children follow those fields, up to an 8- or 16-bit end naming its type.
//
// What becomes a member (the rule): every object data BLOB's bytes, and the
// bytes of every object in an object group's file data partition (2)
// written inline. That is where OneNote keeps an embedded file's bytes and a
// picture's; the property sets (partition 1) and JCIDs (partition 4) are
// not files and are not members. An object's JCID (its metadata) says
// which file data is a picture (jcidPictureContainer14): pictures are
// members of their own ("picture-N") and take no EmbeddedFileName, so that
// an honest section with a screenshot and a PDF still pairs its one name
// with the PDF. A BLOB no object references is a member too ("blob-N").
//
// An object reappears in the group of each revision that keeps it: inline
// file data counts once per object and content, a BLOB once.
//
// Every length is checked against what is left, every loop spends a budget
// of stream objects, children must sit where the format puts them (so
// nesting is at most four deep), and what cannot be read is said: a
// malformed packaging is corrupt-archive, a part of it Kensa does not read
// (a fragmented data element, file data left out of the package or in a
// BLOB it does not hold, an object type it does not know, more objects or
// file data objects than the budgets) is unsupported-container. What was
// read before the problem stays a member.

const (
	oneNotePackagingGUID = "\x2F\xE9\x8D\x63\xD4\xA6\xC1\x4B\x9A\x36\xB3\xFC\x25\x11\xA5\xB7" // {638DE92F-A6D4-4BC1-9A36-B3FC2511A5B7}

	// fsMaxObjects bounds the stream objects read in one section: a
	// real 850 KB section holds about 2,500.
	fsMaxObjects = 1 << 20
	// fsMaxFiles bounds the file data objects kept: far more than a
	// message's members (2000 by default).
	fsMaxFiles = 1 << 14

	// JCIDs (MS-ONE 2.1.5) of the file data objects.
	jcidEmbeddedFileContainer = 0x00080036
	jcidPictureContainer14    = 0x00080039

	// Object group partitions (MS-ONESTORE 2.8.2).
	fsPartitionFileData = 2
	fsPartitionMetadata = 4
)

// Stream object types (MS-FSSHTTPB 2.2.1.5) a packaged section holds.
const (
	fsDataElement        = 0x01
	fsObjectDataBlob     = 0x02
	fsGroupDataExcluded  = 0x03
	fsGroupBlobDecl      = 0x05
	fsManifestRoot       = 0x07
	fsRevisionRoot       = 0x0A
	fsCellManifest       = 0x0B
	fsStorageManifest    = 0x0C
	fsIndexRevision      = 0x0D
	fsIndexCell          = 0x0E
	fsIndexManifest      = 0x11
	fsPackage            = 0x15
	fsGroupObject        = 0x16
	fsGroupObjectDecl    = 0x18
	fsRevisionGroupRef   = 0x19
	fsRevisionManifest   = 0x1A
	fsGroupBlobRef       = 0x1C
	fsGroupDecls         = 0x1D
	fsGroupData          = 0x1E
	fsFragment           = 0x6A
	fsGroupMetadata      = 0x78
	fsGroupMetadataBlock = 0x79
	fsPackagingStart     = 0x7A
)

// fsPlace is where a stream object type may stand: its parent's type
// (0 for the top) and whether it is compound.
var fsPlace = map[int]struct {
	parent   int
	compound bool
}{
	fsPackagingStart:     {0, true},
	fsPackage:            {fsPackagingStart, true},
	fsDataElement:        {fsPackage, true},
	fsIndexManifest:      {fsDataElement, false},
	fsIndexCell:          {fsDataElement, false},
	fsIndexRevision:      {fsDataElement, false},
	fsStorageManifest:    {fsDataElement, false},
	fsManifestRoot:       {fsDataElement, false},
	fsCellManifest:       {fsDataElement, false},
	fsRevisionManifest:   {fsDataElement, false},
	fsRevisionRoot:       {fsDataElement, false},
	fsRevisionGroupRef:   {fsDataElement, false},
	fsGroupDecls:         {fsDataElement, true},
	fsGroupMetadataBlock: {fsDataElement, true},
	fsGroupData:          {fsDataElement, true},
	fsObjectDataBlob:     {fsDataElement, false},
	fsFragment:           {fsDataElement, false},
	fsGroupObjectDecl:    {fsGroupDecls, false},
	fsGroupBlobDecl:      {fsGroupDecls, false},
	fsGroupMetadata:      {fsGroupMetadataBlock, false},
	fsGroupObject:        {fsGroupData, false},
	fsGroupBlobRef:       {fsGroupData, false},
	fsGroupDataExcluded:  {fsGroupData, false},
}

// Data element types (MS-FSSHTTPB 2.2.1.12.1).
const (
	fsElemStorageIndex    = 0x01
	fsElemStorageManifest = 0x02
	fsElemCellManifest    = 0x03
	fsElemRevision        = 0x04
	fsElemObjectGroup     = 0x05
	fsElemFragment        = 0x06
	fsElemBlob            = 0x0A
)

// errFsUnsupported marks a packaging Kensa recognises but does not read.
var errFsUnsupported = errors.New("unsupported")

func fsCorrupt(at int, format string, a ...any) error {
	return fmt.Errorf("packaging at byte %d: %s", at, fmt.Sprintf(format, a...))
}

func fsUnsupported(at int, format string, a ...any) error {
	return fmt.Errorf("%w: packaging at byte %d: %s", errFsUnsupported, at, fmt.Sprintf(format, a...))
}

// oneNotePackaged reports whether b is a section in the packaging: its
// guidFileFormat says so.
func oneNotePackaged(b []byte) bool {
	return len(b) >= 64 && string(b[48:64]) == oneNotePackagingGUID
}

// oneNoteFile is the bytes of one file found in a section.
type oneNoteFile struct {
	start, end int
	kind       int
}

// Kinds of oneNoteFile: an embedded file takes the EmbeddedFileNames.
const (
	oneNoteEmbedded = iota
	oneNotePicture
	oneNoteBlob // a BLOB no object references
)

// fsID is an extended GUID (MS-FSSHTTPB 2.2.1.7): a GUID and a number.
type fsID struct {
	guid [16]byte
	n    uint32
}

// fsCursor reads the fields of one stream object.
type fsCursor struct {
	b   []byte
	pos int
	err error
}

func (c *fsCursor) fail() {
	if c.err == nil {
		c.err = errors.New("field runs past its object")
	}
}

func (c *fsCursor) take(n int) []byte {
	if c.err != nil || n < 0 || n > len(c.b)-c.pos {
		c.fail()
		return nil
	}
	s := c.b[c.pos : c.pos+n]
	c.pos += n
	return s
}

// compact reads a compact uint64 (MS-FSSHTTPB 2.2.1.1): the lowest set bit
// of the first byte gives the width (bit k: k+1 bytes, value above the
// k+1 low bits); 0 is zero; 0x80 is eight bytes after it.
func (c *fsCursor) compact() uint64 {
	f := c.take(1)
	if f == nil || f[0] == 0 {
		return 0
	}
	if f[0] == 0x80 {
		s := c.take(8)
		if s == nil {
			return 0
		}
		return binary.LittleEndian.Uint64(s)
	}
	w := 1
	for f[0]&(1<<(w-1)) == 0 {
		w++
	}
	c.pos--
	s := c.take(w)
	if s == nil {
		return 0
	}
	var v uint64
	for i := len(s) - 1; i >= 0; i-- {
		v = v<<8 | uint64(s[i])
	}
	return v >> w
}

// id reads an extended GUID: 0 is the null ID; otherwise the low bits of
// the first byte say how wide the number is (5, 10, 17 or 32 bits).
func (c *fsCursor) id() fsID {
	f := c.take(1)
	if f == nil || f[0] == 0 {
		return fsID{}
	}
	var n uint32
	switch {
	case f[0]&0x07 == 0x04:
		n = uint32(f[0] >> 3)
	case f[0]&0x3F == 0x20:
		if s := c.take(1); s != nil {
			n = uint32(f[0]>>6) | uint32(s[0])<<2
		}
	case f[0]&0x7F == 0x40:
		if s := c.take(2); s != nil {
			n = uint32(f[0]>>7) | uint32(binary.LittleEndian.Uint16(s))<<1
		}
	case f[0] == 0x80:
		if s := c.take(4); s != nil {
			n = binary.LittleEndian.Uint32(s)
		}
	default:
		if c.err == nil {
			c.err = fmt.Errorf("extended GUID of type 0x%02X", f[0])
		}
		return fsID{}
	}
	var id fsID
	copy(id.guid[:], c.take(16))
	id.n = n
	return id
}

// ids skips an array of extended GUIDs (of cell IDs: pairs of them); each
// takes at least a byte, so a count past what is left fails at once.
func (c *fsCursor) ids(per int) {
	n := c.compact()
	if n > uint64(len(c.b)-c.pos) {
		c.fail()
		return
	}
	for i := uint64(0); i < n*uint64(per) && c.err == nil; i++ {
		c.id()
	}
}

// serial reads a serial number (MS-FSSHTTPB 2.2.1.9): 0, or 128 and a GUID
// and a 64-bit number.
func (c *fsCursor) serial() {
	f := c.take(1)
	switch {
	case f == nil || f[0] == 0:
	case f[0] == 0x80:
		c.take(24)
	default:
		if c.err == nil {
			c.err = fmt.Errorf("serial number of type 0x%02X", f[0])
		}
	}
}

// binaryItem reads a compact length and that many bytes, as offsets.
func (c *fsCursor) binaryItem() (start, end int) {
	n := c.compact()
	if c.err != nil || n > uint64(len(c.b)-c.pos) {
		c.fail()
		return 0, 0
	}
	start = c.pos
	c.pos += int(n)
	return start, c.pos
}

// done checks that the fields used up the object.
func (c *fsCursor) done() error {
	if c.err == nil && c.pos != len(c.b) {
		c.err = fmt.Errorf("%d bytes past its fields", len(c.b)-c.pos)
	}
	return c.err
}

// fsHeader is one stream object header or end.
type fsHeader struct {
	typ      int
	compound bool
	end      bool
	at       int // where the header starts
	data     int // where its fields start
	length   int
}

// fsHeaderAt reads the stream object header or end at b[pos:].
func fsHeaderAt(b []byte, pos int) (fsHeader, error) {
	h := fsHeader{at: pos}
	if pos >= len(b) {
		return h, fsCorrupt(pos, "cut before its end")
	}
	switch b[pos] & 3 {
	case 0: // 16-bit header
		if pos+2 > len(b) {
			return h, fsCorrupt(pos, "cut in a stream object header")
		}
		v := binary.LittleEndian.Uint16(b[pos:])
		h.compound, h.typ, h.length, h.data = v&4 != 0, int(v>>3&0x3F), int(v>>9), pos+2
	case 2: // 32-bit header
		if pos+4 > len(b) {
			return h, fsCorrupt(pos, "cut in a stream object header")
		}
		v := binary.LittleEndian.Uint32(b[pos:])
		h.compound, h.typ, h.data = v&4 != 0, int(v>>3&0x3FFF), pos+4
		n := uint64(v >> 17)
		if n == 0x7FFF {
			c := fsCursor{b: b, pos: pos + 4}
			n = c.compact()
			if c.err != nil {
				return h, fsCorrupt(pos, "cut in a stream object's length")
			}
			h.data = c.pos
		}
		if n > uint64(len(b)-h.data) {
			return h, fsCorrupt(pos, "stream object of type 0x%X declares %d bytes, %d are left", h.typ, n, len(b)-h.data)
		}
		h.length = int(n)
	case 1: // 8-bit end
		h.end, h.typ, h.data = true, int(b[pos]>>2), pos+1
	case 3: // 16-bit end
		if pos+2 > len(b) {
			return h, fsCorrupt(pos, "cut in a stream object end")
		}
		h.end, h.typ, h.data = true, int(binary.LittleEndian.Uint16(b[pos:])>>2), pos+2
	}
	if !h.end && h.length > len(b)-h.data {
		return h, fsCorrupt(pos, "stream object of type 0x%X declares %d bytes, %d are left", h.typ, h.length, len(b)-h.data)
	}
	return h, nil
}

// fsDecl is an object group declaration: the object data in the same
// place of the group's data belongs to it (MS-FSSHTTPB 2.2.1.12.6).
type fsDecl struct {
	obj       fsID
	partition uint64
	isBlob    bool
}

// fsPackaging is what a walk of the packaging collected.
type fsPackaging struct {
	b         []byte
	blobs     map[fsID][2]int // object data BLOBs by their data element's ID
	blobOrder []fsID
	jcid      map[fsID]uint32 // objects' JCIDs, from their metadata
	files     []fsFileData    // file data partition objects, in file order
	inline    map[[52]byte]bool
}

type fsFileData struct {
	obj        fsID
	start, end int // the bytes, when written inline
	blob       fsID
	isBlob     bool
	at         int
}

// fsFrame is an open compound stream object.
type fsFrame struct {
	typ      int
	elemType uint64
	elemID   fsID
	decls    []fsDecl // an object group's declarations
	data     int      // how many of them have met their data
}

// readOneNotePackaging walks the packaging of a section and returns the
// files it holds, in the order its object groups declare them. Its error says what could not be read
// (errFsUnsupported or corruption); the files read before it are returned
// with it.
func readOneNotePackaging(b []byte) ([]oneNoteFile, error) {
	p := &fsPackaging{b: b, blobs: map[fsID][2]int{}, jcid: map[fsID]uint32{}, inline: map[[52]byte]bool{}}
	err := p.walk(b)
	files, ferr := p.result()
	if err == nil {
		err = ferr
	}
	return files, err
}

func (p *fsPackaging) walk(b []byte) error {
	pos := 68 // the four GUIDs and rgbReserved
	if len(b) < pos {
		return fsCorrupt(len(b), "cut in the packaging header")
	}
	var stack []*fsFrame
	for objects := 0; ; objects++ {
		if objects >= fsMaxObjects {
			return fsUnsupported(pos, "more than %d stream objects", fsMaxObjects)
		}
		h, err := fsHeaderAt(b, pos)
		if err != nil {
			return err
		}
		if h.end {
			if len(stack) == 0 || stack[len(stack)-1].typ != h.typ {
				return fsCorrupt(pos, "end of a stream object of type 0x%X not open", h.typ)
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if err := p.close(top, pos); err != nil {
				return err
			}
			pos = h.data
			if len(stack) == 0 {
				return nil // what follows the packaging is not read by OneNote
			}
			continue
		}
		place, known := fsPlace[h.typ]
		parent := 0
		if len(stack) > 0 {
			parent = stack[len(stack)-1].typ
		}
		switch {
		case !known:
			return fsUnsupported(pos, "stream object of type 0x%X", h.typ)
		case place.parent != parent || place.compound != h.compound:
			return fsCorrupt(pos, "stream object of type 0x%X (compound %v) inside one of type 0x%X", h.typ, h.compound, parent)
		}
		c := &fsCursor{b: b[:h.data+h.length], pos: h.data}
		frame, err := p.object(h, c, stack)
		if err != nil {
			return err
		}
		if err := c.done(); err != nil {
			return fsCorrupt(pos, "stream object of type 0x%X: %v", h.typ, err)
		}
		pos = h.data + h.length
		if h.compound {
			open := frame // only compound objects' frames live on
			stack = append(stack, &open)
		}
	}
}

// object reads the fields of one stream object; for a compound one it
// returns its frame.
func (p *fsPackaging) object(h fsHeader, c *fsCursor, stack []*fsFrame) (fsFrame, error) {
	f := fsFrame{typ: h.typ}
	elem := func() *fsFrame { // the data element this object is in
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].typ == fsDataElement {
				return stack[i]
			}
		}
		return nil
	}
	switch h.typ {
	case fsPackagingStart:
		c.id()
		c.take(16) // the cell schema
	case fsPackage:
		c.take(1)
	case fsDataElement:
		f.elemID = c.id()
		c.serial()
		f.elemType = c.compact()
		switch f.elemType {
		case fsElemStorageIndex, fsElemStorageManifest, fsElemCellManifest, fsElemRevision, fsElemObjectGroup, fsElemBlob:
		case fsElemFragment:
			return f, fsUnsupported(h.at, "a fragmented data element")
		default:
			if c.err == nil {
				return f, fsUnsupported(h.at, "data element of type 0x%X", f.elemType)
			}
		}
	case fsGroupObjectDecl, fsGroupBlobDecl:
		if e := elem(); e.elemType != fsElemObjectGroup {
			return f, fsCorrupt(h.at, "object declaration outside an object group")
		}
		d := fsDecl{obj: c.id(), isBlob: h.typ == fsGroupBlobDecl}
		if d.isBlob {
			c.id() // the BLOB, which the object's data names again
		}
		d.partition = c.compact()
		if !d.isBlob {
			c.compact() // data size
		}
		c.compact() // object references
		c.compact() // cell references
		e := elem()
		e.decls = append(e.decls, d)
	case fsGroupObject, fsGroupBlobRef, fsGroupDataExcluded:
		e := elem()
		if e.elemType != fsElemObjectGroup {
			return f, fsCorrupt(h.at, "object data outside an object group")
		}
		c.ids(1) // object references
		c.ids(2) // cell references
		if e.data >= len(e.decls) {
			return f, fsCorrupt(h.at, "object group holds data for more than its %d objects", len(e.decls))
		}
		d := e.decls[e.data]
		e.data++
		if d.isBlob != (h.typ == fsGroupBlobRef) && h.typ != fsGroupDataExcluded {
			return f, fsCorrupt(h.at, "object data of another kind than declared")
		}
		switch {
		case h.typ == fsGroupBlobRef:
			blob := c.id()
			if d.partition == fsPartitionFileData && c.err == nil {
				return f, p.file(fsFileData{obj: d.obj, blob: blob, isBlob: true, at: h.at})
			}
		case h.typ == fsGroupDataExcluded:
			c.compact()
			if d.partition == fsPartitionFileData {
				return f, fsUnsupported(h.at, "file data left out of the package")
			}
		default:
			start, end := c.binaryItem()
			switch {
			case c.err != nil:
			case d.partition == fsPartitionMetadata && end-start >= 4:
				// The JCID: what kind of object this is.
				p.jcid[d.obj] = binary.LittleEndian.Uint32(p.b[start:])
			case d.partition == fsPartitionFileData:
				return f, p.file(fsFileData{obj: d.obj, start: start, end: end, at: h.at})
			}
		}
	case fsGroupMetadata:
		c.compact() // change frequency
	case fsObjectDataBlob:
		e := elem()
		if e.elemType != fsElemBlob {
			return f, fsCorrupt(h.at, "object data BLOB outside its data element")
		}
		start, end := c.binaryItem()
		if c.err == nil {
			if _, dup := p.blobs[e.elemID]; !dup {
				p.blobOrder = append(p.blobOrder, e.elemID)
			}
			p.blobs[e.elemID] = [2]int{start, end}
		}
	default:
		// Storage index, manifests, revisions: the files are not there.
		c.take(len(c.b) - c.pos)
	}
	return f, nil
}

// close ends a compound object: an object group must have held data for
// each object it declared.
func (p *fsPackaging) close(f *fsFrame, at int) error {
	if f.typ == fsDataElement && f.elemType == fsElemObjectGroup && f.data != len(f.decls) {
		return fsCorrupt(at, "object group declares %d objects and holds data for %d", len(f.decls), f.data)
	}
	return nil
}

// file records file data, inline data once per object and content (an
// object reappears in each revision's group), at most fsMaxFiles of them.
func (p *fsPackaging) file(f fsFileData) error {
	if !f.isBlob {
		var key [52]byte
		copy(key[:], f.obj.guid[:])
		binary.LittleEndian.PutUint32(key[16:], f.obj.n)
		sum := sha256.Sum256(p.b[f.start:f.end])
		copy(key[20:], sum[:])
		if p.inline[key] {
			return nil
		}
		p.inline[key] = true
	}
	if len(p.files) >= fsMaxFiles {
		return fsUnsupported(f.at, "more than %d file data objects", fsMaxFiles)
	}
	p.files = append(p.files, f)
	return nil
}

// result turns what the walk collected into files, in the order the
// object groups declare them (the order the names are paired in): each
// BLOB once, then the BLOBs no object refers to. A file data BLOB the package does not hold is
// unsupported: its bytes were not read.
func (p *fsPackaging) result() ([]oneNoteFile, error) {
	var files []oneNoteFile
	var err error
	blobAt := map[fsID]int{} // index in files
	for _, f := range p.files {
		kind := oneNoteEmbedded
		if p.jcid[f.obj] == jcidPictureContainer14 {
			kind = oneNotePicture
		}
		if f.isBlob {
			span, ok := p.blobs[f.blob]
			switch i, seen := blobAt[f.blob]; {
			case !ok:
				if err == nil {
					err = fsUnsupported(f.at, "file data in a BLOB the package does not hold")
				}
			case seen:
				if kind == oneNoteEmbedded {
					files[i].kind = kind // an embedded file's BLOB takes the names
				}
			default:
				blobAt[f.blob] = len(files)
				files = append(files, oneNoteFile{span[0], span[1], kind})
			}
			continue
		}
		files = append(files, oneNoteFile{f.start, f.end, kind})
	}
	for _, id := range p.blobOrder {
		if _, seen := blobAt[id]; !seen {
			files = append(files, oneNoteFile{p.blobs[id][0], p.blobs[id][1], oneNoteBlob})
		}
	}
	return files, err
}
