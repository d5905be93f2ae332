package formats

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"unicode/utf16"
)

// Outlook .msg files (MS-OXMSG): a compound file with a property stream
// and one "__substg1.0_IIIITTTT" stream per variable-size property, a
// storage per recipient and attachment, and an embedded message's own
// tree in its attachment's "__substg1.0_3701000D" storage.

// Msg is an Outlook message. Empty fields are left out.
type Msg struct {
	Subject, SenderName, SenderEmail string
	SenderSMTP                       string // PR_SENDER_SMTP_ADDRESS
	// FromName and FromEmail are PR_SENT_REPRESENTING_NAME and
	// _EMAIL_ADDRESS: whom Outlook shows the message is from when a
	// sender sent it on their behalf.
	FromName, FromEmail string
	Headers             string // PR_TRANSPORT_MESSAGE_HEADERS
	Body                string // PR_BODY, Unicode
	Body8               []byte // PR_BODY, 8-bit in CodePage
	CodePage            uint32 // PR_MESSAGE_CODEPAGE and PR_INTERNET_CPID; 0 leaves them out
	HTML                []byte // PR_HTML, binary
	RTF                 []byte // PR_RTF_COMPRESSED: the RTF, compressed here (literals only)
	RTFRaw              []byte // PR_RTF_COMPRESSED as given, for hostile bodies
	Attachments         []MsgAttachment
	NoProperties        bool   // leaves the property stream out (a damaged or hostile file)
	Class               string // PR_MESSAGE_CLASS ("IPM.Task", "IPM.Appointment"), "" to leave it out
	// Named are named properties (MS-OXMSG 2.2.3): numbered from 0x8000
	// in their order, mapped in the __nameid_version1.0 storage. Only the
	// top-level message's are written (embedded messages share its map).
	Named []MsgNamed
}

// MsgNamed is a named property with a numeric name (a LID): a string
// (Value "" and Flag false leave it out) or a boolean.
type MsgNamed struct {
	GUID  [16]byte // the property set as stored (little-endian fields)
	LID   uint32
	Value string // PT_UNICODE when not empty
	Flag  bool   // PT_BOOLEAN true when Value is empty
}

// PSETIDCommon is {00062008-0000-0000-C000-000000000046} as stored: the
// property set of the reminder properties (MS-OXPROPS).
var PSETIDCommon = [16]byte{0x08, 0x20, 0x06, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}

// MsgAttachment is one attachment of a Msg.
type MsgAttachment struct {
	LongName, Name, DisplayName string // Unicode names
	LongName8                   string // PR_ATTACH_LONG_FILENAME 8-bit (ASCII here), for names that disagree
	Extension, MIMETag          string
	Method                      uint32     // 1 by value (the default), 5 embedded message, 6 OLE object, 7 web reference
	Data                        []byte     // by value; the Ole10Native stream of an OLE object
	OLE                         []CFBEntry // method 6: the object's storage instead of Data (Parent -1: the object)
	Class                       []byte     // method 6: the object storage's CLSID as stored (16 bytes), nil for none
	Embedded                    *Msg       // method 5
	Pathname                    string     // PR_ATTACH_LONG_PATHNAME, for references
}

// MsgBytes is the compound file of m.
func MsgBytes(m Msg) []byte {
	var e []CFBEntry
	m.entries(&e, -1, true)
	return CFB(e)
}

// msgProp is one property: a 4-byte value, or the bytes of a stream.
type msgProp struct {
	tag   uint32
	value uint32
	data  []byte
}

func unicodeProp(id uint16, s string) msgProp {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return msgProp{tag: uint32(id)<<16 | 0x001F, data: b}
}

// entries appends m's streams and storages below parent.
func (m Msg) entries(e *[]CFBEntry, parent int, top bool) {
	var props []msgProp
	str := func(id uint16, s string) {
		if s != "" {
			props = append(props, unicodeProp(id, s))
		}
	}
	str(0x0037, m.Subject)
	str(0x0C1A, m.SenderName)
	str(0x0C1F, m.SenderEmail)
	str(0x5D01, m.SenderSMTP)
	str(0x0042, m.FromName)
	str(0x0065, m.FromEmail)
	str(0x007D, m.Headers)
	str(0x1000, m.Body)
	if m.Body8 != nil {
		props = append(props, msgProp{tag: 0x1000001E, data: m.Body8})
	}
	if m.CodePage != 0 {
		props = append(props, msgProp{tag: 0x3FFD0003, value: m.CodePage}, msgProp{tag: 0x3FDE0003, value: m.CodePage})
	}
	if m.HTML != nil {
		props = append(props, msgProp{tag: 0x10130102, data: m.HTML})
	}
	if m.RTF != nil {
		props = append(props, msgProp{tag: 0x10090102, data: LZFuLiteral(m.RTF)})
	}
	if m.RTFRaw != nil {
		props = append(props, msgProp{tag: 0x10090102, data: m.RTFRaw})
	}
	str(0x001A, m.Class)
	if top && len(m.Named) > 0 {
		props = append(props, m.nameMap(e, parent)...)
	}
	header := 24
	if top {
		header = 32
	}
	addProps(e, parent, header, props, uint32(len(m.Attachments)))
	if m.NoProperties {
		*e = (*e)[:len(*e)-1] // addProps ends with the property stream
	}
	for i, a := range m.Attachments {
		*e = append(*e, CFBEntry{Name: fmt.Sprintf("__attach_version1.0_#%08X", i), Storage: true, Parent: parent})
		at := len(*e) - 1
		method := a.Method
		if method == 0 {
			method = 1
		}
		var ap []msgProp
		str := func(id uint16, s string) {
			if s != "" {
				ap = append(ap, unicodeProp(id, s))
			}
		}
		ap = append(ap, msgProp{tag: 0x37050003, value: method})
		str(0x3707, a.LongName)
		str(0x3704, a.Name)
		str(0x3001, a.DisplayName)
		str(0x3703, a.Extension)
		str(0x370E, a.MIMETag)
		str(0x370D, a.Pathname)
		if a.LongName8 != "" {
			ap = append(ap, msgProp{tag: 0x3707001E, data: []byte(a.LongName8)})
		}
		if method != 5 && method != 6 && a.Data != nil {
			ap = append(ap, msgProp{tag: 0x37010102, data: a.Data})
		}
		addProps(e, at, 8, ap, 0)
		switch {
		case method == 5 && a.Embedded != nil:
			*e = append(*e, CFBEntry{Name: "__substg1.0_3701000D", Storage: true, Parent: at})
			a.Embedded.entries(e, len(*e)-1, false)
		case method == 6 && a.OLE != nil:
			*e = Embed(*e, at, "__substg1.0_3701000D", a.Class, a.OLE)
		case method == 6:
			*e = append(*e, CFBEntry{Name: "__substg1.0_3701000D", Storage: true, Parent: at, CLSID: a.Class})
			*e = append(*e, CFBEntry{Name: "\x01Ole10Native", Parent: len(*e) - 1, Data: a.Data})
		}
	}
}

// nameMap writes the __nameid_version1.0 storage below parent (the GUID
// stream and the entry stream: a LID, then the property index << 16 |
// GUID index << 1, where GUID index 3 is the GUID stream's first) and
// returns the named properties' values.
func (m Msg) nameMap(e *[]CFBEntry, parent int) []msgProp {
	var guids, entries []byte
	var props []msgProp
	index := map[[16]byte]int{}
	for i, n := range m.Named {
		g, ok := index[n.GUID]
		if !ok {
			g = len(index)
			index[n.GUID] = g
			guids = append(guids, n.GUID[:]...)
		}
		entries = binary.LittleEndian.AppendUint32(entries, n.LID)
		entries = binary.LittleEndian.AppendUint32(entries, uint32(i)<<16|uint32(g+3)<<1)
		id := uint16(0x8000 + i)
		if n.Value != "" {
			props = append(props, unicodeProp(id, n.Value))
		} else if n.Flag {
			props = append(props, msgProp{tag: uint32(id)<<16 | 0x000B, value: 1})
		}
	}
	*e = append(*e, CFBEntry{Name: "__nameid_version1.0", Storage: true, Parent: parent})
	at := len(*e) - 1
	*e = append(*e, CFBEntry{Name: "__substg1.0_00020102", Parent: at, Data: guids},
		CFBEntry{Name: "__substg1.0_00030102", Parent: at, Data: entries},
		CFBEntry{Name: "__substg1.0_00040102", Parent: at, Data: []byte{}})
	return props
}

// addProps appends the property stream (header bytes, then a 16-byte entry
// per property) and a stream per variable-size property.
func addProps(e *[]CFBEntry, parent, header int, props []msgProp, attachments uint32) {
	ps := make([]byte, header)
	if header == 32 || header == 24 {
		binary.LittleEndian.PutUint32(ps[12:], attachments) // next attachment id
		binary.LittleEndian.PutUint32(ps[20:], attachments) // attachment count
	}
	for _, p := range props {
		var ent [16]byte
		binary.LittleEndian.PutUint32(ent[0:], p.tag)
		binary.LittleEndian.PutUint32(ent[4:], 6) // readable, writable
		if p.data == nil {
			binary.LittleEndian.PutUint32(ent[8:], p.value)
		} else {
			size := len(p.data)
			if p.tag&0xFFFF == 0x001F {
				size += 2 // the size counts a terminator the stream leaves out
			} else if p.tag&0xFFFF == 0x001E {
				size++
			}
			binary.LittleEndian.PutUint32(ent[8:], uint32(size))
			*e = append(*e, CFBEntry{Name: fmt.Sprintf("__substg1.0_%08X", p.tag), Parent: parent, Data: p.data})
		}
		ps = append(ps, ent[:]...)
	}
	*e = append(*e, CFBEntry{Name: "__properties_version1.0", Parent: parent, Data: ps})
}

// lzfuPrefix is the dictionary's start (MS-OXRTFCP 2.1.2.1): its length
// is where the first byte is written.
const lzfuPrefixLen = 207

// LZFuLiteral compresses RTF as MS-OXRTFCP's "LZFu" with literal tokens
// only, and the end marker: a reference to the write position.
func LZFuLiteral(rtf []byte) []byte {
	var data []byte
	tokens := len(rtf) + 1
	for t := 0; t < tokens; t += 8 {
		ctrl := len(data)
		data = append(data, 0)
		for k := t; k < min(t+8, tokens); k++ {
			if k < len(rtf) {
				data = append(data, rtf[k])
				continue
			}
			data[ctrl] |= 1 << (k - t)
			wp := (lzfuPrefixLen + len(rtf)) % 4096
			data = append(data, byte(wp>>4), byte(wp<<4))
		}
	}
	out := make([]byte, 16, 16+len(data))
	le := binary.LittleEndian
	le.PutUint32(out[0:], uint32(len(data)+12))
	le.PutUint32(out[4:], uint32(len(rtf)))
	copy(out[8:], "LZFu")
	le.PutUint32(out[12:], ^crc32.Update(^uint32(0), crc32.IEEETable, data))
	return append(out, data...)
}
