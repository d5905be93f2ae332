package unpack

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/pdfsyntax"
)

// RTF: the hex of every \objdata group is an OLE1 object (MS-OLEDS 2.2.4):
// version, format id, class name, topic, item, then the native data. A
// "Package" object holds a file (see oleNative); other classes usually hold
// a compound file, which is then opened as OLE.

const maxRTFObjects = 100

func openRTF(c *container) error {
	b := c.part.Content
	for i, g := range RTFGroups(b, `\objdata`, maxRTFObjects, len(b)) {
		n, start := i+1, g[0]
		raw := rtfHex(b[g[0]:g[1]])
		if len(raw) == 0 {
			continue
		}
		name := fmt.Sprintf("object%d.bin", n)
		class, native, ok := ole1(raw)
		if !ok {
			native = raw // not OLE1: keep the bytes for scanning
		}
		// The class shows in the member's name, from the OLE1 header or
		// else the \objclass the RTF declares (droppers blank one of them).
		shown := class
		if shown == "" || shown == "Package" && rtfDeclaredClass(b[:start]) != "" {
			shown = rtfDeclaredClass(b[:start])
		}
		if c := safeClass(shown); c != "" && class != "Package" {
			name = fmt.Sprintf("object%d.%s.bin", n, c)
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

// RTFGroups finds up to max groups that start with the control word word
// (`\objdata`, `\fldinst`) and returns where the text after the word
// begins and where the brace that closes its group stands (or len(b), or
// maxLen bytes on). A longer control word that begins with word
// (`\objdatax`) is another word, as Word reads it.
func RTFGroups(b []byte, word string, max, maxLen int) [][2]int {
	var out [][2]int
	for off := 0; len(out) < max; {
		i := bytes.Index(b[off:], []byte(word))
		if i < 0 {
			break
		}
		start := off + i + len(word)
		if start < len(b) && b[start] >= 'a' && b[start] <= 'z' {
			off = start // a longer control word
			continue
		}
		end := rtfClose(b, start, maxLen)
		off = end
		out = append(out, [2]int{start, end})
	}
	return out
}

// RTFWord reads the control word whose backslash is b[i]: its letters, its
// numeric parameter ("-12"), and the index after them (a delimiting space
// is the caller's to skip). A control symbol (\\, \', \*) has no letters.
func RTFWord(b []byte, i int) (word string, param []byte, end int) {
	j := i + 1
	for j < len(b) && (b[j] >= 'a' && b[j] <= 'z' || b[j] >= 'A' && b[j] <= 'Z') {
		j++
	}
	k := j
	for k < len(b) && (b[k] == '-' || b[k] >= '0' && b[k] <= '9') {
		k++
	}
	return string(b[i+1 : j]), b[j:k], k
}

// rtfHex collects the hex digits of an \objdata group as Word does: it
// skips whitespace, control words with their parameters and control symbols
// (\'hh included), skips ignorable destinations ({\* ...}) whole, and takes
// the N bytes after \binN as data. Attackers use each to break a naive
// reader's nibble alignment.
func rtfHex(b []byte) []byte {
	digits := make([]byte, 0, len(b))
	const hexd = "0123456789abcdef"
	for i := 0; i < len(b); i++ {
		ch := b[i]
		switch {
		case ch == '{' && i+2 < len(b) && b[i+1] == '\\' && b[i+2] == '*':
			i = RTFGroupEnd(b, i) // skip the ignorable group
		case ch == '\\':
			word, param, k := RTFWord(b, i)
			j := i + 1 + len(word)
			switch {
			case word == "" && j < len(b) && b[j] == '\'': // \'hh
				k = min(j+3, len(b))
			case word == "" && j < len(b):
				k = j + 1 // another control symbol
			case word == "bin":
				n, _ := strconv.Atoi(string(param))
				if k < len(b) && b[k] == ' ' {
					k++
				}
				n = max(0, min(n, len(b)-k))
				for _, c := range b[k : k+n] {
					digits = append(digits, hexd[c>>4], hexd[c&15])
				}
				k += n
			}
			if k < len(b) && b[k] == ' ' && word != "" && word != "bin" {
				k++ // the delimiter space belongs to the control word
			}
			i = k - 1
		case '0' <= ch && ch <= '9', 'a' <= ch && ch <= 'f', 'A' <= ch && ch <= 'F':
			digits = append(digits, ch)
		}
	}
	return pdfsyntax.HexLoose(digits)
}

// RTFGroupEnd is the index of the brace that closes the group whose
// opening brace is b[i], or len(b) when none does.
func RTFGroupEnd(b []byte, i int) int { return rtfClose(b, i+1, len(b)) }

// rtfClose is the index of the brace that closes the group open at start
// (inside its opening brace), or len(b), or start+maxLen, whichever comes
// first. Braces escaped (\{, \}) or inside \binN data do not count, as Word
// reads them.
func rtfClose(b []byte, start, maxLen int) int {
	depth := 0
	for i := start; i < len(b); i++ {
		if i-start >= maxLen {
			return i
		}
		switch b[i] {
		case '\\':
			word, param, k := RTFWord(b, i)
			if word != "bin" {
				i++ // an escaped brace, or the word's first letter
				continue
			}
			n, _ := strconv.Atoi(string(param))
			if k < len(b) && b[k] == ' ' {
				k++
			}
			i = k + max(0, min(n, len(b)-k)) - 1
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return len(b)
}

// ole1Header reads the ObjectHeader of an OLE1 object (MS-OLEDS 2.2.4):
// its FormatID (1 linked, 2 embedded), class, topic and item, and where
// the rest begins.
func ole1Header(b []byte) (format uint32, class, topic, item string, rest int, ok bool) {
	if len(b) < 8 {
		return 0, "", "", "", 0, false
	}
	p := 8 // OLEVersion, FormatID
	var fields [3]string
	for k := range fields {
		s, n, ok := ole1String(b[p:])
		if !ok {
			return 0, "", "", "", 0, false
		}
		fields[k], p = s, p+n
	}
	return binary.LittleEndian.Uint32(b[4:]), fields[0], fields[1], fields[2], p, true
}

// ole1String reads a LengthPrefixedAnsiString (MS-OLEDS 2.1.4) and how
// many bytes it took.
func ole1String(b []byte) (string, int, bool) {
	if len(b) < 4 {
		return "", 0, false
	}
	n := int(binary.LittleEndian.Uint32(b))
	if n < 0 || n > 4096 || 4+n > len(b) {
		return "", 0, false
	}
	return string(bytes.TrimRight(b[4:4+n], "\x00")), 4 + n, true
}

// ole1 reads an OLE1 embedded object header and returns its class and
// native data.
func ole1(b []byte) (class string, native []byte, ok bool) {
	_, class, _, _, p, ok := ole1Header(b)
	if !ok || p+4 > len(b) {
		return "", nil, false
	}
	size := int(binary.LittleEndian.Uint32(b[p:]))
	p += 4
	if size < 0 || size > len(b)-p {
		size = len(b) - p
	}
	return class, b[p : p+size], true
}

// RTFLinkedSources are the sources of the linked OLE1 objects (MS-OLEDS
// 2.2.6 LinkedObject, FormatID 1) in an RTF document's \objdata groups: the
// topic (the linked file) and the network name (the UNC path of a file on
// a mapped drive), each that is not empty. Word updates such a link as it
// opens the document when the object says \objautlink or \objupdate, and
// at the reader's request otherwise.
func RTFLinkedSources(b []byte) []string {
	var out []string
	for _, g := range RTFGroups(b, `\objdata`, maxRTFObjects, len(b)) {
		raw := rtfHex(b[g[0]:g[1]])
		format, _, topic, _, p, ok := ole1Header(raw)
		if !ok || format != 1 {
			continue
		}
		network, _, _ := ole1String(raw[p:])
		for _, s := range []string{topic, network} {
			if s != "" && len(out) < maxRTFObjects {
				out = append(out, s)
			}
		}
	}
	return out
}

// rtfDeclaredClass is the \objclass of the object whose \objdata starts at
// the end of before: the last one after the last \object.
func rtfDeclaredClass(before []byte) string {
	obj := bytes.LastIndex(before, []byte(`\object`))
	if obj < 0 {
		return ""
	}
	i := bytes.LastIndex(before[obj:], []byte(`\objclass`))
	if i < 0 {
		return ""
	}
	rest := before[obj+i+len(`\objclass`):]
	end := bytes.IndexByte(rest, '}')
	if end < 0 || end > 256 {
		return ""
	}
	return strings.TrimSpace(string(rest[:end]))
}

// safeClass keeps a class name fit for a member name.
func safeClass(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			return r
		}
		return -1
	}, s)
	return strings.Trim(s[:min(len(s), 64)], ".")
}
