package message

import (
	"encoding/binary"
	"errors"
	"strings"
)

// TNEF (MS-OXTNEF), the winmail.dat Outlook sends: a signature, then
// attributes, each a level (1 message, 2 attachment), an ID, a length,
// the data and a checksum. attAttachRendData starts an attachment;
// attAttachTitle names it, attAttachData holds its bytes and attAttachment
// holds its MAPI properties, where the long file name is. The body is
// attBody (text), or PR_BODY, PR_BODY_HTML or PR_RTF_COMPRESSED among the
// message's MAPI properties. Outlook shows all of them, so all are parts.

const tnefSignature = 0x223E9F78

// TNEF attribute tags (the low 16 bits of an attribute ID).
const (
	tnefBody       = 0x800C
	tnefAttachData = 0x800F
	tnefAttachName = 0x8010
	tnefAttachRend = 0x9002
	tnefMsgProps   = 0x9003
	tnefAttachment = 0x9005
)

// MAPI property IDs we read.
const (
	prBody          = 0x1000
	prRTFCompressed = 0x1009
	prBodyHTML      = 0x1013
	prAttachData    = 0x3701
	prAttachName    = 0x3704
	prAttachLong    = 0x3707
)

const maxTNEFAttrs = 10000

// isTNEF says whether a part is a TNEF stream: by its type, its name or its signature.
func isTNEF(p *Part) bool {
	if len(p.Content) < 6 {
		return false
	}
	switch p.DeclaredType {
	case "application/ms-tnef", "application/vnd.ms-tnef":
		return true
	}
	return binary.LittleEndian.Uint32(p.Content) == tnefSignature || strings.EqualFold(p.Filename, "winmail.dat")
}

// decodeTNEF returns the attachments and bodies of a TNEF stream. What was
// read before an error is returned with it.
func decodeTNEF(b []byte) ([]embeddedFile, error) {
	if len(b) < 6 || binary.LittleEndian.Uint32(b) != tnefSignature {
		return nil, errors.New("no TNEF signature")
	}
	var out []embeddedFile
	var att *embeddedFile
	flush := func() {
		if att != nil && (att.data != nil || att.name != "") {
			out = append(out, *att)
		}
		att = nil
	}
	body := func(name string, data []byte) {
		if len(data) > 0 {
			out = append(out, embeddedFile{name: name, data: data})
		}
	}
	p := 6
	for n := 0; p < len(b); n++ {
		if n >= maxTNEFAttrs {
			flush()
			return out, errors.New("too many attributes")
		}
		if p+9 > len(b) {
			flush()
			return out, errors.New("truncated attribute")
		}
		level := b[p]
		tag := binary.LittleEndian.Uint32(b[p+1:]) & 0xffff
		size := int(binary.LittleEndian.Uint32(b[p+5:]))
		p += 9
		if size < 0 || size > len(b)-p {
			flush()
			return out, errors.New("attribute longer than the stream")
		}
		data := b[p : p+size]
		p += size + 2 // checksum
		switch {
		case tag == tnefAttachRend:
			flush()
			att = &embeddedFile{}
		case level == 2 && tag == tnefAttachName:
			if att == nil {
				att = &embeddedFile{}
			}
			if att.name == "" {
				att.name = strings.TrimRight(string(data), "\x00")
			}
		case level == 2 && tag == tnefAttachData:
			if att == nil {
				att = &embeddedFile{}
			}
			att.data = data
		case level == 2 && tag == tnefAttachment:
			if att == nil {
				att = &embeddedFile{}
			}
			for _, pr := range mapiProps(data) {
				switch pr.id {
				case prAttachLong:
					att.name = pr.text()
				case prAttachName:
					if att.name == "" {
						att.name = pr.text()
					}
				case prAttachData:
					if att.data == nil {
						att.data = pr.object()
					}
				}
			}
		case level == 1 && tag == tnefBody:
			body("body.txt", data)
		case level == 1 && tag == tnefMsgProps:
			for _, pr := range mapiProps(data) {
				switch pr.id {
				case prBody:
					body("body.txt", []byte(pr.text()))
				case prBodyHTML:
					body("body.html", pr.val)
				case prRTFCompressed:
					rtf, err := decompressRTF(pr.val)
					if err != nil {
						rtf = pr.val
					}
					body("body.rtf", rtf)
				}
			}
		}
	}
	flush()
	return out, nil
}

// mapiProp is one MAPI property value from a TNEF property list; a named
// property with a numeric name has lid set and its property set in guid.
type mapiProp struct {
	id, typ uint16
	val     []byte
	guid    [16]byte
	lid     uint32
	named   bool
}

// NamedString is a string property with a numeric name (a LID in a
// property set, MS-OXPROPS's PidLid properties).
type NamedString struct {
	GUID  [16]byte // as stored: little-endian fields
	LID   uint32
	Value string
}

// TNEFNamedStrings returns the string-valued PidLid properties of a TNEF
// stream's message (attMsgProps) and attachments (attAttachment), which
// decodeTNEF does not present: Outlook reads them as the item's own
// settings (a reminder's sound file, for one). Bounded as decodeTNEF is.
func TNEFNamedStrings(b []byte) []NamedString {
	if len(b) < 6 || binary.LittleEndian.Uint32(b) != tnefSignature {
		return nil
	}
	var out []NamedString
	for p, n := 6, 0; p+9 <= len(b) && n < maxTNEFAttrs; n++ {
		tag := binary.LittleEndian.Uint32(b[p+1:]) & 0xffff
		size := int(binary.LittleEndian.Uint32(b[p+5:]))
		p += 9
		if size < 0 || size > len(b)-p {
			break
		}
		data := b[p : p+size]
		p += size + 2
		if tag != tnefMsgProps && tag != tnefAttachment {
			continue
		}
		for _, pr := range mapiProps(data) {
			if pr.named && (pr.typ == ptUnicode || pr.typ == ptString8) {
				out = append(out, NamedString{GUID: pr.guid, LID: pr.lid, Value: pr.text()})
			}
		}
	}
	return out
}

const (
	ptString8 = 0x001E
	ptUnicode = 0x001F
	ptBinary  = 0x0102
	ptObject  = 0x000D
)

// text reads a string property.
func (p mapiProp) text() string {
	if p.typ == ptUnicode {
		return strings.TrimRight(UTF16LE(p.val), "\x00")
	}
	return strings.TrimRight(string(p.val), "\x00")
}

// object is an attachment's bytes: an object property starts with the
// 16-byte interface ID of the embedded object.
func (p mapiProp) object() []byte {
	if p.typ == ptObject && len(p.val) >= 16 {
		return p.val[16:]
	}
	return p.val
}

// mapiProps reads a TNEF MAPI property list, leniently: it stops at the
// first property it cannot read and returns those before it.
func mapiProps(b []byte) []mapiProp {
	if len(b) < 4 {
		return nil
	}
	count := int(binary.LittleEndian.Uint32(b))
	p := 4
	var out []mapiProp
	need := func(n int) bool { return n >= 0 && p+n <= len(b) }
	for i := 0; i < count && i < maxTNEFAttrs; i++ {
		if !need(4) {
			return out
		}
		typ := binary.LittleEndian.Uint16(b[p:])
		id := binary.LittleEndian.Uint16(b[p+2:])
		p += 4
		var guid [16]byte
		var lid uint32
		named := false
		if id >= 0x8000 { // named property: GUID, kind, then an ID or a name
			if !need(20) {
				return out
			}
			copy(guid[:], b[p:])
			kind := binary.LittleEndian.Uint32(b[p+16:])
			p += 20
			if kind == 0 {
				if !need(4) {
					return out
				}
				lid, named = binary.LittleEndian.Uint32(b[p:]), true
				p += 4
			} else {
				if !need(4) {
					return out
				}
				n := int(binary.LittleEndian.Uint32(b[p:]))
				p += 4
				if !need(n) {
					return out
				}
				p += pad4(n)
			}
			if !need(0) {
				return out
			}
		}
		multi := typ&0x1000 != 0
		base := typ &^ 0x1000
		values := 1
		variable := base == ptString8 || base == ptUnicode || base == ptBinary || base == ptObject
		if multi || variable {
			if !need(4) {
				return out
			}
			values = int(binary.LittleEndian.Uint32(b[p:]))
			p += 4
		}
		for v := 0; v < values && v < maxTNEFAttrs; v++ {
			var val []byte
			if variable {
				if !need(4) {
					return out
				}
				n := int(binary.LittleEndian.Uint32(b[p:]))
				p += 4
				if !need(n) {
					return out
				}
				val = b[p : p+n]
				p += pad4(n)
			} else {
				n := fixedSize(base)
				if n < 0 || !need(n) {
					return out
				}
				val = b[p : p+n]
				p += n
			}
			if v == 0 {
				out = append(out, mapiProp{id: id, typ: base, val: val, guid: guid, lid: lid, named: named})
			}
		}
		if !need(0) {
			return out
		}
	}
	return out
}

func pad4(n int) int { return (n + 3) &^ 3 }

// fixedSize is the size in a TNEF property list of a fixed-size MAPI
// type, -1 for a type we do not know.
func fixedSize(t uint16) int {
	switch t {
	case 0x0001, 0x0002, 0x0003, 0x0004, 0x000A, 0x000B: // null, short, long, float, error, boolean: padded to 4
		return 4
	case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040: // double, currency, apptime, int64, systime
		return 8
	case 0x0048: // clsid
		return 16
	}
	return -1
}

// The dictionary every compressed RTF stream starts with (MS-OXRTFCP).
const rtfPrebuf = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"

// decompressRTF decodes PR_RTF_COMPRESSED: a 16-byte header (sizes, "LZFu"
// or "MELA" for uncompressed, CRC), then LZ77 runs over a 4096-byte ring.
func decompressRTF(b []byte) ([]byte, error) {
	if len(b) < 16 {
		return nil, errors.New("compressed RTF: short header")
	}
	raw := int(binary.LittleEndian.Uint32(b[4:]))
	data := b[16:]
	switch string(b[8:12]) {
	case "MELA":
		return data, nil
	case "LZFu":
	default:
		return nil, errors.New("compressed RTF: unknown type")
	}
	if raw < 0 || raw > 64*len(b)+4096 {
		raw = 64*len(b) + 4096
	}
	var ring [4096]byte
	copy(ring[:], rtfPrebuf)
	w := len(rtfPrebuf)
	out := make([]byte, 0, min(raw, 1<<20))
	for p := 0; p < len(data) && len(out) < raw; {
		flags := data[p]
		p++
		for bit := 0; bit < 8 && p < len(data) && len(out) < raw; bit++ {
			if flags&(1<<bit) == 0 {
				c := data[p]
				p++
				out = append(out, c)
				ring[w] = c
				w = (w + 1) % len(ring)
				continue
			}
			if p+1 >= len(data) {
				return out, nil
			}
			ref := int(data[p])<<8 | int(data[p+1])
			p += 2
			off, n := ref>>4, ref&15+2
			if off == w {
				return out, nil // the end marker
			}
			for k := 0; k < n && len(out) < raw; k++ {
				c := ring[(off+k)%len(ring)]
				out = append(out, c)
				ring[w] = c
				w = (w + 1) % len(ring)
			}
		}
	}
	return out, nil
}
