package corpus

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"github.com/kensa-milter/kensa/internal/crc16"
)

// Writers for the encodings mail clients still decode inside bodies. Each
// is checked against an independent decoder where Debian has one
// (sharutils' uudecode, tnef) and against the message package's readers.

// Uuencode writes data as a uuencoded block ("begin 644 name" ... "end"),
// with LF line ends as uuencode(1) writes them.
func Uuencode(name string, data []byte) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "begin 644 %s\n", name)
	enc := func(c byte) byte {
		if c == 0 {
			return '`'
		}
		return c + ' '
	}
	for i := 0; i < len(data); i += 45 {
		line := data[i:min(i+45, len(data))]
		b.WriteByte(enc(byte(len(line))))
		for j := 0; j < len(line); j += 3 {
			var g [3]byte
			copy(g[:], line[j:])
			b.WriteByte(enc(g[0] >> 2))
			b.WriteByte(enc((g[0]<<4 | g[1]>>4) & 63))
			b.WriteByte(enc((g[1]<<2 | g[2]>>6) & 63))
			b.WriteByte(enc(g[2] & 63))
		}
		b.WriteByte('\n')
	}
	b.WriteString("`\nend\n")
	return b.String()
}

// UuencodeBase64 writes data as "begin-base64 644 name" ... "====", as
// uuencode -m does.
func UuencodeBase64(name string, data []byte) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "begin-base64 644 %s\n", name)
	s := base64.StdEncoding.EncodeToString(data)
	for len(s) > 60 {
		b.WriteString(s[:60] + "\n")
		s = s[60:]
	}
	if s != "" {
		b.WriteString(s + "\n")
	}
	b.WriteString("====\n")
	return b.String()
}

// YEncode writes data as a single-part yEnc block, 128 characters a line.
func YEncode(name string, data []byte) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "=ybegin line=128 size=%d name=%s\r\n", len(data), name)
	col := 0
	for i, c := range data {
		e := c + 42
		escape := e == 0 || e == '\n' || e == '\r' || e == '=' ||
			(col == 0 || i == len(data)-1 || col >= 127) && (e == ' ' || e == '\t' || col == 0 && e == '.')
		if escape {
			b.WriteByte('=')
			e += 64
			col++
		}
		b.WriteByte(e)
		col++
		if col >= 128 {
			b.WriteString("\r\n")
			col = 0
		}
	}
	if col > 0 {
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "=yend size=%d crc32=%08x\r\n", len(data), crc32.ChecksumIEEE(data))
	return b.String()
}

const binhexAlphabet = "!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr"

// BinHex writes data as a BinHex 4.0 file with an empty resource fork.
func BinHex(name string, data []byte) string {
	var h bytes.Buffer
	h.WriteByte(byte(len(name)))
	h.WriteString(name)
	h.WriteByte(0)            // version
	h.WriteString("????????") // type and creator
	h.Write([]byte{0, 0})     // flags
	_ = binary.Write(&h, binary.BigEndian, uint32(len(data)))
	_ = binary.Write(&h, binary.BigEndian, uint32(0))
	var raw bytes.Buffer
	raw.Write(h.Bytes())
	_ = binary.Write(&raw, binary.BigEndian, crc16.Checksum(h.Bytes()))
	raw.Write(data)
	_ = binary.Write(&raw, binary.BigEndian, crc16.Checksum(data))
	_ = binary.Write(&raw, binary.BigEndian, crc16.Checksum(nil))
	// Run-length encoding: 0x90 is written as 0x90 0x00; runs are left
	// alone, which is valid BinHex.
	var rle []byte
	for _, c := range raw.Bytes() {
		rle = append(rle, c)
		if c == 0x90 {
			rle = append(rle, 0)
		}
	}
	var out bytes.Buffer
	out.WriteString("(This file must be converted with BinHex 4.0)\r\n:")
	col := 1
	put := func(v byte) {
		out.WriteByte(binhexAlphabet[v&63])
		col++
		if col == 64 {
			out.WriteString("\r\n")
			col = 0
		}
	}
	for i := 0; i < len(rle); i += 3 {
		var g [3]byte
		n := copy(g[:], rle[i:])
		put(g[0] >> 2)
		put(g[0]<<4 | g[1]>>4)
		if n > 1 {
			put(g[1]<<2 | g[2]>>6)
		}
		if n > 2 {
			put(g[2])
		}
	}
	out.WriteString(":\r\n")
	return out.String()
}

// TNEFFile is an attachment for TNEF.
type TNEFFile struct {
	Name string // 8.3 title and long file name
	Data []byte
}

// TNEF writes a winmail.dat with a text body and the given attachments,
// as Outlook writes them for rich-text mail.
func TNEF(body string, files ...TNEFFile) []byte { return TNEFMessage(body, nil, files...) }

// TNEFMessage is TNEF with the message's MAPI properties (attMsgProps: a
// count, then each property, MS-OXTNEF 2.1.3.4) when props is not nil.
func TNEFMessage(body string, props []byte, files ...TNEFFile) []byte {
	var b bytes.Buffer
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	le(uint32(0x223E9F78))
	le(uint16(0x0001)) // legacy key
	attr := func(level byte, id uint32, data []byte) {
		b.WriteByte(level)
		le(id)
		le(uint32(len(data)))
		b.Write(data)
		var sum uint16
		for _, c := range data {
			sum += uint16(c)
		}
		le(sum)
	}
	u32 := func(v ...uint32) []byte {
		var o bytes.Buffer
		for _, x := range v {
			_ = binary.Write(&o, binary.LittleEndian, x)
		}
		return o.Bytes()
	}
	attr(1, 0x00089006, u32(0x00010000))                       // attTnefVersion
	attr(1, 0x00069007, u32(1252, 0))                          // attOemCodepage
	attr(1, 0x00078008, []byte("IPM.Microsoft Mail.Note\x00")) // attMessageClass
	if body != "" {
		attr(1, 0x0002800C, []byte(body)) // attBody
	}
	if props != nil {
		attr(1, 0x00069003, props) // attMsgProps
	}
	for _, f := range files {
		rend := append(u32(1)[:2], make([]byte, 12)...) // attachment type 1 (file), position, size, flags
		attr(2, 0x00069002, rend)                       // attAttachRendData
		attr(2, 0x00018010, []byte(f.Name+"\x00"))      // attAttachTitle
		attr(2, 0x0006800F, f.Data)                     // attAttachData
		name := []byte(f.Name + "\x00")
		props := u32(1)
		props = append(props, 0x1E, 0x00, 0x07, 0x37) // PT_STRING8, PR_ATTACH_LONG_FILENAME (0x3707)
		props = append(props, u32(1, uint32(len(name)))...)
		props = append(props, name...)
		for len(props)%4 != 0 {
			props = append(props, 0)
		}
		attr(2, 0x00069005, props) // attAttachment
	}
	return b.Bytes()
}
