package formats

import "encoding/binary"

// OneNotePackaged builds a OneNote section in the alternative packaging
// (MS-ONESTORE 2.8.1), as OneDrive and OneNote on the web hand sections out:
// the .one file GUID, a file GUID, a null legacy version, the packaging
// GUID, four reserved bytes, then the MS-FSSHTTPB structure (2.2.1.5 stream
// objects, 2.2.1.12 data elements): a packaging start holding a data
// element package with a storage index, a storage manifest, a cell
// manifest, a revision manifest, one object group and an object data BLOB
// per file, closed by their ends.
//
// The object group holds, per object, its JCID (metadata partition 4), its
// property set (partition 1: an ObjectSpaceObjectPropSet, its OID stream
// then the PropertySet of MS-ONESTORE 2.6.7) and, for a file, its data
// (file data partition 2): a reference to its BLOB, the bytes inline, or
// excluded (Unstored). A page object carries text; each named file has a
// jcidEmbeddedFileNode whose EmbeddedFileContainer refers to the file's
// container object and whose EmbeddedFileName is its name.
func OneNotePackaged(text string, files ...OneNoteFile) []byte {
	const (
		fileGUID      = "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3"
		packagingGUID = "\x2F\xE9\x8D\x63\xD4\xA6\xC1\x4B\x9A\x36\xB3\xFC\x25\x11\xA5\xB7"
		// Our own GUIDs for the file, its elements and its objects.
		docGUID  = "Kensa corpus one"
		elemGUID = "Kensa data elems"
		objGUID  = "Kensa objects..."
		blobGUID = "Kensa BLOBs....."
		// A storage manifest's schema and its root (MS-FSSHTTPD 2.3).
		schemaGUID = "\x94\x33\xB9\x0E\x1D\x57\xE9\x41\xAA\xD3\x88\x0D\x92\xD3\x19\x55"
		cellGUID   = "\xB9\xFA\xDE\x84\xA3\xAA\x0D\x4A\xA3\xA8\x52\x0C\x77\xAC\x70\x73"

		jcidRichText      = 0x0006000C
		jcidFileNode      = 0x00060035
		jcidFileContainer = 0x00080036
		jcidPicture       = 0x00080039
	)
	elem := func(n uint32) []byte { return fsExGUID(nil, elemGUID, n) }
	var (
		storageIndex = elem(1)
		manifest     = elem(2)
		cellManifest = elem(3)
		revision     = elem(4)
		revManifest  = elem(5)
		group        = elem(6)
		cell         = cat(fsExGUID(nil, cellGUID, 1), fsExGUID(nil, cellGUID, 2))
	)
	serial := func(id []byte) []byte { // an ID, then a serial number: 128, a GUID, a number
		return binary.LittleEndian.AppendUint64(cat(id, []byte{0x80}, []byte(docGUID)), 1)
	}

	// The object group: declarations and data, one for each, in order.
	var decls, data []byte
	nextObj := uint32(0)
	object := func(jcid uint32, props []byte, refs ...[]byte) []byte {
		nextObj++
		id := fsExGUID(nil, objGUID, nextObj)
		decls = fsObject(decls, 0x18, false, fsDecl(id, 4, 4, 0))
		data = fsObject(data, 0x16, false, fsBinary(fsIDs(nil, nil), binary.LittleEndian.AppendUint32(nil, jcid)))
		decls = fsObject(decls, 0x18, false, fsDecl(id, 1, len(props), len(refs)))
		data = fsObject(data, 0x16, false, fsBinary(fsIDs(nil, refs), props))
		return id
	}
	propSet := func(oids int, set []byte) []byte { // OsidStreamNotPresent, then the OIDs
		b := binary.LittleEndian.AppendUint32(nil, 1<<31|uint32(oids))
		for i := range oids {
			b = binary.LittleEndian.AppendUint32(b, uint32(i+1)<<8) // CompactID: n, guidIndex 0
		}
		return append(b, set...)
	}
	if text != "" { // RichEditTextUnicode (0x1C001C22) and a four-byte property
		set := binary.LittleEndian.AppendUint16(nil, 2)
		set = binary.LittleEndian.AppendUint32(set, 0x1C001C22)
		set = binary.LittleEndian.AppendUint32(set, 0x14001C3F)
		set = oneNoteString(set, text)
		set = binary.LittleEndian.AppendUint32(set, 0)
		object(jcidRichText, propSet(0, set))
	}
	var blobs []byte
	for i, f := range files {
		jcid := uint32(jcidFileContainer)
		if f.Picture {
			jcid = jcidPicture
		}
		container := object(jcid, propSet(0, []byte{0, 0}))
		switch {
		case f.Unstored:
			decls = fsObject(decls, 0x18, false, fsDecl(container, 2, len(f.Data), 0))
			data = fsObject(data, 0x03, false, fsCompact(fsIDs(nil, nil), uint64(len(f.Data))))
		case f.Inline:
			decls = fsObject(decls, 0x18, false, fsDecl(container, 2, len(f.Data), 0))
			data = fsObject(data, 0x16, false, fsBinary(fsIDs(nil, nil), f.Data))
		default: // a BLOB declaration, a reference to it, and the BLOB
			blob := fsExGUID(nil, blobGUID, uint32(i+1))
			decls = fsObject(decls, 0x05, false, fsCompact(fsCompact(fsCompact(cat(container, blob), 2), 0), 0))
			data = fsObject(data, 0x1C, false, cat(fsIDs(nil, nil), blob))
			blobs = fsObject(blobs, 0x01, true, fsCompact(serial(blob), 0x0A))
			blobs = fsObject(blobs, 0x02, false, fsBinary(nil, f.Data))
			blobs = append(blobs, 0x01<<2|1)
		}
		if f.Name != "" {
			set := binary.LittleEndian.AppendUint16(nil, 3)
			set = binary.LittleEndian.AppendUint32(set, 0x20001D9B) // EmbeddedFileContainer: the first OID
			set = binary.LittleEndian.AppendUint32(set, 0x1C001D9C) // EmbeddedFileName
			set = binary.LittleEndian.AppendUint32(set, 0x14001C01) // a four-byte value
			set = oneNoteString(set, f.Name)
			set = binary.LittleEndian.AppendUint32(set, 0x42)
			object(jcidFileNode, propSet(1, set), container)
		}
	}

	// The data element package: each element is a compound object, its
	// ID, a serial number and its type, then its objects and its end.
	element := func(b, id []byte, typ uint64, body []byte) []byte {
		b = fsObject(b, 0x01, true, fsCompact(serial(id), typ))
		return append(append(b, body...), 0x01<<2|1)
	}
	var pkg []byte
	pkg = element(pkg, storageIndex, 0x01, fsObject(fsObject(fsObject(nil,
		0x11, false, serial(manifest)),
		0x0E, false, serial(cat(cell, cellManifest))),
		0x0D, false, serial(cat(revision, revManifest))))
	pkg = element(pkg, manifest, 0x02, fsObject(fsObject(nil,
		0x0C, false, []byte(schemaGUID)),
		0x07, false, cat(fsExGUID(nil, cellGUID, 2), cell)))
	pkg = element(pkg, cellManifest, 0x03, fsObject(nil, 0x0B, false, revision))
	pkg = element(pkg, revManifest, 0x04, fsObject(fsObject(fsObject(nil,
		0x1A, false, cat(revision, []byte{0})), // no base revision
		0x0A, false, cat(fsExGUID(nil, cellGUID, 2), fsExGUID(nil, objGUID, 1))),
		0x19, false, group))
	body := append(fsObject(nil, 0x1D, true, nil), decls...)
	body = append(body, 0x1D<<2|1)
	body = append(fsObject(body, 0x1E, true, nil), data...)
	body = append(body, 0x1E<<2|1)
	pkg = element(pkg, group, 0x05, body)
	pkg = append(pkg, blobs...)

	b := []byte(fileGUID + docGUID)
	b = append(b, make([]byte, 16)...)
	b = append(b, packagingGUID...)
	b = append(b, 0, 0, 0, 0)
	b = fsObject(b, 0x7A, true, cat(storageIndex, []byte(cellGUID)))
	b = fsObject(b, 0x15, true, []byte{0})
	b = append(b, pkg...)
	b = append(b, 0x15<<2|1)
	return binary.LittleEndian.AppendUint16(b, 0x7A<<2|3)
}

// fsObject appends a stream object (MS-FSSHTTPB 2.2.1.5) of type typ whose
// fields are fields: a 16-bit header when the type and length fit, else a
// 32-bit one (a length past 32766 as a compact uint64 after it).
func fsObject(b []byte, typ int, compound bool, fields []byte) []byte {
	c := 0
	if compound {
		c = 4
	}
	n := len(fields)
	switch {
	case typ < 64 && n < 128:
		b = binary.LittleEndian.AppendUint16(b, uint16(n<<9|typ<<3|c))
	case n < 0x7FFF:
		b = binary.LittleEndian.AppendUint32(b, uint32(n<<17|typ<<3|c|2))
	default:
		b = binary.LittleEndian.AppendUint32(b, uint32(0x7FFF<<17|typ<<3|c|2))
		b = fsCompact(b, uint64(n))
	}
	return append(b, fields...)
}

// fsCompact appends a compact uint64 (MS-FSSHTTPB 2.2.1.1).
func fsCompact(b []byte, v uint64) []byte {
	if v == 0 {
		return append(b, 0)
	}
	for w := 1; w <= 7; w++ {
		if v < 1<<(7*w) {
			x := v<<w | 1<<(w-1)
			for range w {
				b = append(b, byte(x))
				x >>= 8
			}
			return b
		}
	}
	return binary.LittleEndian.AppendUint64(append(b, 0x80), v)
}

// fsExGUID appends an extended GUID (MS-FSSHTTPB 2.2.1.7) in its shortest form.
func fsExGUID(b []byte, guid string, n uint32) []byte {
	switch {
	case n < 1<<5:
		b = append(b, byte(n<<3|4))
	case n < 1<<10:
		b = append(b, byte(n<<6|0x20), byte(n>>2))
	case n < 1<<17:
		b = append(b, byte(n<<7|0x40), byte(n>>1), byte(n>>9))
	default:
		b = binary.LittleEndian.AppendUint32(append(b, 0x80), n)
	}
	return append(b, guid...)
}

// fsIDs appends an array of extended GUIDs, already encoded, then an
// empty array of cell IDs: an object's references.
func fsIDs(b []byte, ids [][]byte) []byte {
	b = fsCompact(b, uint64(len(ids)))
	for _, id := range ids {
		b = append(b, id...)
	}
	return fsCompact(b, 0)
}

// fsBinary appends a binary item: a compact length, then the bytes.
func fsBinary(b, data []byte) []byte {
	return append(fsCompact(b, uint64(len(data))), data...)
}

// fsDecl is an object declaration's fields: its ID, partition, data size,
// object references and no cell references.
func fsDecl(id []byte, partition, size, refs int) []byte {
	return fsCompact(fsCompact(fsCompact(fsCompact(cat(id), uint64(partition)), uint64(size)), uint64(refs)), 0)
}

// cat joins byte strings into a new one.
func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
