package unpack

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// RTF: the hex of every \objdata group is an OLE1 object (MS-OLEDS 2.2.4):
// version, format id, class name, topic, item, then the native data. A
// "Package" object holds a file (see oleNative); other classes usually hold
// a compound file, which is then opened as OLE.

const maxRTFObjects = 100

func openRTF(c *container) error {
	b := c.part.Content
	n := 0
	for off := 0; n < maxRTFObjects; {
		i := bytes.Index(b[off:], []byte(`\objdata`))
		if i < 0 {
			break
		}
		start := off + i + len(`\objdata`)
		end := start
		depth := 0
	scan: // the group ends at the brace that closes it
		for ; end < len(b); end++ {
			switch b[end] {
			case '{':
				depth++
			case '}':
				if depth == 0 {
					break scan
				}
				depth--
			}
		}
		off = end
		n++
		raw := rtfHex(b[start:end])
		if len(raw) == 0 {
			continue
		}
		name := fmt.Sprintf("object%d.bin", n)
		class, native, ok := ole1(raw)
		if !ok {
			native = raw // not OLE1: keep the bytes for scanning
		}
		if class == "Package" {
			if fn, data, ok := oleNative(native); ok {
				obj := c.add(name, native)
				if obj == nil {
					return errStop
				}
				c.w.noExpand[obj] = true
				if c.addUnder(obj, obj.Path, fn, data) == nil {
					return errStop
				}
				obj.Container = true // the object holds the file: scanners should know
				continue
			}
		}
		if !c.budget(int64(len(native))) || c.add(name, native) == nil {
			return errStop
		}
	}
	return nil
}

// rtfHex collects the hex digits of an \objdata group, skipping whitespace,
// control words and nested groups' punctuation as Word does.
func rtfHex(b []byte) []byte {
	digits := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		ch := b[i]
		switch {
		case ch == '\\': // skip a control word and its parameter
			j := i + 1
			for j < len(b) && (b[j] >= 'a' && b[j] <= 'z' || b[j] >= 'A' && b[j] <= 'Z') {
				j++
			}
			for j < len(b) && (b[j] == '-' || b[j] >= '0' && b[j] <= '9') {
				j++
			}
			i = j - 1
		case '0' <= ch && ch <= '9', 'a' <= ch && ch <= 'f', 'A' <= ch && ch <= 'F':
			digits = append(digits, ch)
		}
	}
	return hexDecodeLoose(digits)
}

// ole1 reads an OLE1 embedded object header and returns its class and
// native data.
func ole1(b []byte) (class string, native []byte, ok bool) {
	p := 8 // OLEVersion, FormatID
	str := func() (string, bool) {
		if p+4 > len(b) {
			return "", false
		}
		n := int(binary.LittleEndian.Uint32(b[p:]))
		p += 4
		if n < 0 || n > 4096 || p+n > len(b) {
			return "", false
		}
		s := string(bytes.TrimRight(b[p:p+n], "\x00"))
		p += n
		return s, true
	}
	class, ok1 := str()
	_, ok2 := str() // topic
	_, ok3 := str() // item
	if !ok1 || !ok2 || !ok3 || p+4 > len(b) {
		return "", nil, false
	}
	size := int(binary.LittleEndian.Uint32(b[p:]))
	p += 4
	if size < 0 || size > len(b)-p {
		size = len(b) - p
	}
	return class, b[p : p+size], true
}
