package unpack

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// RAR 4 names as WinRAR and 7-Zip show them. A file header's name field
// is the name in the OEM code page; with flag 0x200 a NUL follows it and
// then the Unicode name, encoded. rardecode returns the Unicode name only,
// and "" when that encoding is broken, where 7-Zip shows the OEM name; a
// name field without flag 0x200 it returns whole, where 7-Zip and WinRAR
// end it at a NUL ("a.exe\x00.txt" is a.exe). rar4Names reads the name
// fields so that every one of these names is checked.

const (
	rar4Sig         = "Rar!\x1A\x07\x00"
	rar4FileHead    = 0x74
	rar4MainHead    = 0x73
	rar4AddSize     = 0x8000 // a 32-bit data size follows the header fields
	rar4Unicode     = 0x0200
	rar4Large       = 0x0100 // 64-bit sizes
	rar4HeadEncrypt = 0x0080 // main header flag: the headers are encrypted
	maxRar4Blocks   = 1 << 16
)

// rar4Name is the name field of a file header and its packed size.
type rar4Name struct {
	raw     string
	unicode bool
	packed  int64
}

// rar4Names lists the file headers of a RAR 4 archive in order; nil for
// another format, encrypted headers, or a header it cannot follow.
func rar4Names(b []byte) []rar4Name {
	start := bytes.Index(b, []byte(rar4Sig))
	if r5 := bytes.Index(b, []byte("Rar!\x1A\x07\x01\x00")); start < 0 || r5 >= 0 && r5 < start {
		return nil // no RAR 4, or a RAR 5 archive with one inside
	}
	le := binary.LittleEndian
	var out []rar4Name
	pos := start + len(rar4Sig)
	for n := 0; n < maxRar4Blocks && pos+7 <= len(b); n++ {
		typ, flags, size := b[pos+2], le.Uint16(b[pos+3:]), int(le.Uint16(b[pos+5:]))
		if size < 7 || pos+size > len(b) {
			break
		}
		h := b[pos : pos+size]
		var data int64
		if flags&rar4AddSize != 0 && size >= 11 {
			data = int64(le.Uint32(h[7:]))
		}
		switch typ {
		case rar4MainHead:
			if flags&rar4HeadEncrypt != 0 {
				return nil
			}
		case rar4FileHead:
			if size < 32 {
				return out
			}
			nameAt, nlen := 32, int(le.Uint16(h[26:]))
			if flags&rar4Large != 0 {
				if size < 40 {
					return out
				}
				data |= int64(le.Uint32(h[32:])) << 32
				nameAt = 40
			}
			if nameAt+nlen > size {
				return out
			}
			out = append(out, rar4Name{raw: string(h[nameAt : nameAt+nlen]), unicode: flags&rar4Unicode != 0, packed: data})
		}
		next := int64(pos) + int64(size) + data
		if next > int64(len(b)) {
			break
		}
		pos = int(next)
	}
	return out
}

// rarOtherNames are the names tools show for a member that rardecode
// names decoded, given its header's name field (nil when unknown).
func rarOtherNames(decoded string, f *rar4Name) []string {
	var out []string
	if i := strings.IndexByte(decoded, 0); i > 0 {
		out = append(out, decoded[:i])
	}
	if f != nil && f.unicode {
		if oem, _, ok := strings.Cut(f.raw, "\x00"); ok && oem != "" && oem != decoded {
			out = append(out, strings.ReplaceAll(oem, `\`, "/"))
		}
	}
	return out
}
