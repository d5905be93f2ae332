package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// OneNote (.one, MS-ONESTORE 2.6.13): each embedded file is a
// FileDataStoreObject: the GUID below, a 64-bit length, 12 reserved bytes,
// then the file's bytes. A section in the alternative packaging keeps its
// file data in object data BLOBs and object groups instead: onepack.go reads
// them, and the names below pair with them the same way.
//
// The name OneNote shows for an embedded file, and saves or opens it under
// when the user double-clicks it, is the EmbeddedFileName property (MS-ONE
// 2.3.41) of a jcidEmbeddedFileNode object: a property set (MS-ONESTORE
// 2.6.7) holds the PropertyIDs first, then their values in the same order.
// Pairing a name with its bytes for sure needs the whole revision store
// (object references resolved through global ID tables to a file data
// GUID), which Kensa does not read. So when there are as many names as
// files, the N-th name goes to the N-th file (OneNote writes both in the
// order the files were inserted; a wrong pairing still puts every name on a
// member, and the name checks read names, not bytes). When the counts
// differ (an old revision's name, a name without data, a crafted file),
// every file carries every name: the first as Filename, the others as
// AltNames, so each name check sees each name.

const (
	oneNoteFileGUID  = "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3" // {7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}
	oneNoteStoreGUID = "\xE7\x16\xE3\xBD\x65\x26\x11\x45\xA4\xC4\x8D\x4D\x0B\x7A\x9E\xAC" // {BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC}

	// oneNoteNamePrid is the PropertyID of EmbeddedFileName: a
	// prtFourBytesOfLengthFollowedByData UTF-16LE string.
	oneNoteNamePrid = 0x1C001D9C
	oneNoteMaxNames = 256  // distinct names read
	oneNoteMaxProps = 4096 // PropertyIDs before a name's in its set
	// oneNoteBudget bounds the properties read in all the tries of a file:
	// a file full of the name's PropertyID costs no more than this.
	oneNoteBudget = 1 << 22
)

func openOneNote(c *container) error {
	b := c.part.Content
	names, complete := oneNoteNames(b)
	files := oneNoteStoreObjects(b)
	var packErr error
	if oneNotePackaged(b) {
		var more []oneNoteFile
		more, packErr = readOneNotePackaging(b)
		files = append(files, more...)
	}
	switch { // said first: a member limit below ends the opener
	case errors.Is(packErr, errFsUnsupported):
		c.w.problem(c.part, ReasonUnsupported, fmt.Sprintf("unpack: onenote %q: %v", c.part.Path, packErr))
	case packErr != nil:
		c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: onenote %q: %v", c.part.Path, packErr))
	}
	embedded := 0
	for _, f := range files {
		if f.kind == oneNoteEmbedded {
			embedded++
		}
	}
	if !complete || (len(names) != embedded && len(names) > 17) {
		// A name Kensa did not read, or more names than a part carries
		// (its name and 16 AltNames), could hide a script's: unscannable.
		c.w.problem(c.part, ReasonUnsupported, fmt.Sprintf("unpack: onenote %q: more embedded file names than Kensa reads", c.part.Path))
	}
	if embedded == 0 && len(names) > 0 {
		// Named files but no file data found (none stored, or stored
		// where Kensa does not read it): each name is an empty member, so
		// the name checks still see it, and the unread data is said,
		// never silently clean.
		for _, name := range names {
			if c.add(name, nil) == nil {
				return errStop
			}
		}
		c.w.problem(c.part, ReasonUnsupported, fmt.Sprintf("unpack: onenote %q: names %d embedded files but holds no file data Kensa reads", c.part.Path, len(names)))
	}
	var count [3]int
	for _, f := range files {
		count[f.kind]++
		var name string
		var alts []string
		switch {
		case f.kind == oneNotePicture:
			name = fmt.Sprintf("picture-%d", count[f.kind])
		case f.kind == oneNoteBlob:
			name = fmt.Sprintf("blob-%d", count[f.kind])
		case len(names) == embedded:
			name = names[count[f.kind]-1]
		case len(names) > 0:
			name, alts = names[0], names[1:]
		default:
			name = fmt.Sprintf("embedded-%d", count[f.kind])
		}
		p, err := c.member(name, bytes.NewReader(b[f.start:f.end]), int64(f.end-f.start))
		if err == errStop {
			return err
		}
		for _, alt := range alts {
			if p != nil {
				addAltName(p, alt)
			}
		}
	}
	return nil
}

// oneNoteStoreObjects finds the FileDataStoreObjects of a section in the
// revision store format (and of any section: a packaged one holding them
// too has them read).
func oneNoteStoreObjects(b []byte) []oneNoteFile {
	var files []oneNoteFile
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(oneNoteStoreGUID))
		if i < 0 {
			return files
		}
		start := off + i + 16
		if start+20 > len(b) {
			return files
		}
		size := binary.LittleEndian.Uint64(b[start:])
		data := start + 20
		end := len(b)
		if size < uint64(len(b)-data) {
			end = data + int(size)
		}
		off = end
		files = append(files, oneNoteFile{data, end, oneNoteEmbedded})
	}
}

// oneNoteNames returns the EmbeddedFileName values in b, in file order,
// without repeats. A name counts only as the value of that PropertyID in a
// property set that reads to its end: text on a page is a value of another
// property, never a name.
func oneNoteNames(b []byte) (names []string, complete bool) {
	var prid [4]byte
	binary.LittleEndian.PutUint32(prid[:], oneNoteNamePrid)
	budget := oneNoteBudget
	for off := 0; ; {
		i := bytes.Index(b[off:], prid[:])
		if i < 0 {
			return names, true
		}
		if len(names) >= oneNoteMaxNames || budget <= 0 {
			return names, false
		}
		at := off + i
		off = at + 1
		// The set starts with its 16-bit count k PropertyIDs before this one.
		for k := 0; k < oneNoteMaxProps && at-2-4*k >= 0 && budget > 0; k++ {
			s := at - 2 - 4*k
			if int(binary.LittleEndian.Uint16(b[s:])) <= k {
				continue
			}
			budget--
			if name, ok := oneNotePropSetName(b[s:], k, &budget); ok {
				if name != "" && !containsString(names, name) {
					names = append(names, name)
				}
				break
			}
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// oneNotePropSetName reads the property set at the start of b and returns
// the value of its property number want (an EmbeddedFileName) as a name;
// ok is false when the set does not read to its end.
func oneNotePropSetName(b []byte, want int, budget *int) (string, bool) {
	var name string
	found := false
	_, ok := oneNotePropSet(b, 0, budget, func(i int, v []byte) {
		if i == want && len(v)%2 == 0 && len(v) <= 2*1024 {
			u := make([]uint16, len(v)/2)
			for j := range u {
				u[j] = binary.LittleEndian.Uint16(v[2*j:])
			}
			name = strings.TrimRight(string(utf16.Decode(u)), "\x00")
			found = true
		}
	})
	return name, ok && found
}

// oneNotePropSet reads a PropertySet (MS-ONESTORE 2.6.7) at the start of b
// and returns its length. visit gets the index and value of each top-level
// EmbeddedFileName; nested sets (depth) are read only to be skipped. Each
// property read costs one of budget; an empty budget fails the read.
func oneNotePropSet(b []byte, depth int, budget *int, visit func(i int, v []byte)) (int, bool) {
	if *budget--; depth > 4 || len(b) < 2 || *budget < 0 {
		return 0, false
	}
	n := int(binary.LittleEndian.Uint16(b))
	pos := 2 + 4*n
	if pos > len(b) {
		return 0, false
	}
	prids := b[2:pos]
	for i := 0; i < n; i++ {
		if *budget--; *budget < 0 {
			return 0, false
		}
		id := binary.LittleEndian.Uint32(prids[4*i:])
		size, ok := oneNotePropSize(id, b[pos:], depth, budget)
		if !ok {
			return 0, false
		}
		if id == oneNoteNamePrid && depth == 0 && visit != nil {
			visit(i, b[pos+4:pos+size])
		}
		pos += size
	}
	return pos, true
}

// oneNotePropSize is the length in rgData of a value of PropertyID id
// (MS-ONESTORE 2.1.12: the type is bits 26-30), read from the start of b.
func oneNotePropSize(id uint32, b []byte, depth int, budget *int) (int, bool) {
	fixed := func(n int) (int, bool) { return n, n <= len(b) }
	switch id >> 26 & 0x1F {
	case 0x1, 0x2, 0x8, 0xA, 0xC: // no data, bool, one object/space/context ID
		return 0, true
	case 0x3:
		return fixed(1)
	case 0x4:
		return fixed(2)
	case 0x5, 0x9, 0xB, 0xD: // four bytes, or the count of an ID array
		return fixed(4)
	case 0x6:
		return fixed(8)
	case 0x7:
		if len(b) < 4 {
			return 0, false
		}
		n := binary.LittleEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-4) {
			return 0, false
		}
		return 4 + int(n), true
	case 0x10: // ArrayOfPropertyValues: a count, a PropertyID, that many sets
		if len(b) < 4 {
			return 0, false
		}
		count := binary.LittleEndian.Uint32(b)
		if count == 0 {
			return 4, true
		}
		pos := 8
		if pos > len(b) {
			return 0, false
		}
		for j := uint32(0); j < count; j++ {
			m, ok := oneNotePropSet(b[pos:], depth+1, budget, nil)
			if !ok {
				return 0, false
			}
			pos += m
		}
		return pos, true
	case 0x11:
		return oneNotePropSet(b, depth+1, budget, nil)
	}
	return 0, false
}
