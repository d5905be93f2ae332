package formats

import (
	"encoding/binary"
	"hash/adler32"
	"unicode/utf16"
)

// PowerPoint 97-2003 presentations (MS-PPT): a "PowerPoint Document" stream
// of records whose ExOleObjStg atoms hold compound files (the VBA project,
// embedded objects), zlib-compressed, and a "Current User" stream.

func pptRec(verInst uint16, typ uint16, body []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, verInst)
	b = binary.LittleEndian.AppendUint16(b, typ)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}

// storedZlib is a zlib stream of stored deflate blocks: the same bytes on
// every Go version.
func storedZlib(data []byte) []byte {
	sum := adler32.Checksum(data)
	b := []byte{0x78, 0x01}
	for len(data) > 0 || len(b) == 2 {
		n := min(len(data), 65535)
		final := byte(0)
		if n == len(data) {
			final = 1
		}
		b = append(b, final)
		b = binary.LittleEndian.AppendUint16(b, uint16(n))
		b = binary.LittleEndian.AppendUint16(b, ^uint16(n))
		b = append(b, data[:n]...)
		data = data[n:]
	}
	return binary.BigEndian.AppendUint32(b, sum)
}

// ExOleObjStg is the compressed atom holding a compound file.
func ExOleObjStg(storage []byte) []byte {
	body := binary.LittleEndian.AppendUint32(nil, uint32(len(storage)))
	return pptRec(0x0010, 0x1011, append(body, storedZlib(storage)...)) // recInstance 1: compressed
}

// PPT is a presentation of one slide whose VBA project (a vbaProject.bin
// compound file, nil for none) and embedded storages are ExOleObjStg atoms,
// laid out as PowerPoint saves: the Current User stream points at the last
// UserEditAtom, which points at the persist directory, which gives the
// offset of every persist object (the document, the main master, the
// slide, the storages). LibreOffice opens it (internal/corpus tests).
func PPT(vbaProject []byte, embedded ...[]byte) []byte {
	return PPTWith(PPTOptions{VBA: vbaProject, Embedded: embedded})
}

// PPTOptions shapes a presentation. Gap puts that many bytes of junk
// between the persist objects: PowerPoint finds each by the persist
// directory and never reads them, a reader walking the records in order
// loses its way.
//
// Password, when set, encrypts the presentation with RC4 CryptoAPI
// (128-bit) as PowerPoint 2003 and later do (MS-OFFCRYPTO 2.3.5, MS-PPT
// 2.3.7): a CryptSession10Container persist object holds the encryption
// header, the UserEditAtom names it, every other persist object is
// encrypted from its start with the key of its persist id, and the
// summary information moves to an EncryptedSummary stream.
type PPTOptions struct {
	VBA      []byte
	Embedded [][]byte
	Gap      int
	Password string
	Text     []string // the slide's text, a TextCharsAtom each in the slide list
}

// PPTWith is PPT shaped by o.
func PPTWith(o PPTOptions) []byte { return CFB(PPTEntries(o)) }

// PPTEntries are the streams of PPTWith(o): an OLE object's storage, as
// an Outlook message carries one.
func PPTEntries(o PPTOptions) []CFBEntry {
	le := binary.LittleEndian
	const (
		persistDoc, persistMaster, persistSlide = 1, 2, 3
		masterID, slideID                       = 0x80000000, 0x100
	)
	persistVBA := uint32(4)
	slidePersist := func(ref, id uint32) []byte {
		b := le.AppendUint32(nil, ref)
		b = le.AppendUint32(b, 0) // flags
		b = le.AppendUint32(b, 0) // cTexts
		b = le.AppendUint32(b, id)
		return pptRec(0x0000, 0x03F3, le.AppendUint32(b, 0))
	}
	slideAtom := func(master uint32) []byte {
		b := le.AppendUint32(nil, 0)          // geom
		b = append(b, 0, 0, 0, 0, 0, 0, 0, 0) // no placeholders
		b = le.AppendUint32(b, master)
		b = le.AppendUint32(b, 0) // no notes
		b = le.AppendUint16(b, 0)
		return pptRec(0x0002, 0x03EF, le.AppendUint16(b, 0))
	}
	docAtom := le.AppendUint32(nil, 5760) // slide size (master units)
	docAtom = le.AppendUint32(docAtom, 4320)
	docAtom = le.AppendUint32(docAtom, 4320) // notes size
	docAtom = le.AppendUint32(docAtom, 5760)
	docAtom = le.AppendUint32(docAtom, 1) // server zoom 1/2
	docAtom = le.AppendUint32(docAtom, 2)
	docAtom = le.AppendUint32(docAtom, 0) // no notes master
	docAtom = le.AppendUint32(docAtom, 0) // no handout master
	docAtom = le.AppendUint16(docAtom, 1) // first slide number
	docAtom = le.AppendUint16(docAtom, 0) // on-screen show
	docAtom = append(docAtom, 0, 0, 0, 1)
	doc := pptRec(0x0001, 0x03E9, docAtom)
	doc = append(doc, pptRec(0x001F, 0x0FF0, slidePersist(persistMaster, masterID))...) // masters
	slides := slidePersist(persistSlide, slideID)
	for _, t := range o.Text {
		slides = append(slides, pptRec(0x0000, 0x0F9F, le.AppendUint32(nil, 1))...) // TextHeaderAtom: body
		var u []byte
		for _, c := range utf16.Encode([]rune(t)) {
			u = le.AppendUint16(u, c)
		}
		slides = append(slides, pptRec(0x0000, 0x0FA0, u)...) // TextCharsAtom
	}
	doc = append(doc, pptRec(0x000F, 0x0FF0, slides)...) // slides
	if o.VBA != nil {
		info := le.AppendUint32(nil, persistVBA)                                                           // persistIdRef
		info = le.AppendUint32(info, 1)                                                                    // fHasMacros
		info = le.AppendUint32(info, 2)                                                                    // version
		doc = append(doc, pptRec(0x000F, 0x07D0, pptRec(0x000F, 0x03FF, pptRec(0x0020, 0x0400, info)))...) // DocInfoList, VBAInfo
	}
	doc = append(doc, pptRec(0x0000, 0x03EA, nil)...) // EndDocumentAtom
	objects := [][]byte{
		pptRec(0x000F, 0x03E8, doc),
		pptRec(0x000F, 0x03F8, slideAtom(0)),        // MainMaster
		pptRec(0x000F, 0x03EE, slideAtom(masterID)), // Slide
	}
	if o.VBA != nil {
		objects = append(objects, ExOleObjStg(o.VBA))
	}
	for _, e := range o.Embedded {
		objects = append(objects, ExOleObjStg(e))
	}
	var keyFor func(uint32) []byte
	cryptID := uint32(0)
	if o.Password != "" {
		var hdr []byte
		hdr, keyFor = rc4CryptoAPI(o.Password, 128)
		for i, obj := range objects {
			ks := rc4Keystream(len(obj), len(obj), func(uint32) []byte { return keyFor(uint32(i + 1)) })
			enc := make([]byte, len(obj))
			for k := range obj {
				enc[k] = obj[k] ^ ks[k]
			}
			objects[i] = enc
		}
		objects = append(objects, pptRec(0x000F, 0x2F14, hdr)) // CryptSession10Container
		cryptID = uint32(len(objects))
	}
	var stream []byte
	dir := le.AppendUint32(nil, uint32(len(objects))<<20|1) // persist ids 1..n
	for _, obj := range objects {
		dir = le.AppendUint32(dir, uint32(len(stream)))
		stream = append(stream, obj...)
		for k := 0; k < o.Gap; k++ {
			stream = append(stream, byte(0xF0|k&0x0F))
		}
	}
	dirAt := len(stream)
	stream = append(stream, pptRec(0x0000, 0x1772, dir)...)
	editAt := len(stream)
	edit := le.AppendUint32(nil, slideID) // lastSlideIdRef
	edit = le.AppendUint16(edit, 0)       // version
	edit = append(edit, 0, 3)             // minor, major version
	edit = le.AppendUint32(edit, 0)       // no earlier edit
	edit = le.AppendUint32(edit, uint32(dirAt))
	edit = le.AppendUint32(edit, persistDoc)
	edit = le.AppendUint32(edit, uint32(len(objects)+1)) // persistIdSeed
	edit = le.AppendUint16(edit, 1)                      // lastView: slide view
	edit = le.AppendUint16(edit, 0)
	token := uint32(0xE391C05F)
	if cryptID != 0 {
		edit = le.AppendUint32(edit, cryptID) // encryptSessionPersistIdRef
		token = 0xF3D1C4DF                    // the header token of an encrypted document
	}
	stream = append(stream, pptRec(0x0000, 0x0FF5, edit)...)
	cu := le.AppendUint32(nil, 20) // CurrentUserAtom size
	cu = le.AppendUint32(cu, token)
	cu = le.AppendUint32(cu, uint32(editAt))
	cu = le.AppendUint16(cu, 6) // lenUserName
	cu = le.AppendUint16(cu, 0x03F4)
	cu = append(cu, 3, 0)
	cu = append(cu, "Kensa\x00"...) // ansiUserName
	cu = le.AppendUint32(cu, 8)     // relVersion
	if len(stream) < 4096 {
		stream = append(stream, make([]byte, 4096-len(stream))...)
	}
	entries := []CFBEntry{
		{Name: "PowerPoint Document", Parent: -1, Data: stream},
		{Name: "Current User", Parent: -1, Data: pptRec(0x0000, 0x0FF6, cu)},
	}
	if cryptID != 0 {
		// A stand-in for the encrypted summary information.
		entries = append(entries, CFBEntry{Name: "EncryptedSummary", Parent: -1, Data: fixedBytes("ppt-encrypted-summary", 256)})
	}
	return entries
}
