package unpack

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/message"
)

// The names a zip header gives its member besides the bytes of its name
// field, as the tools that extract it read them (checked against their
// sources and against 7-Zip 26 and Info-ZIP unzip 6.0 in oracle_test.go):
//
//   - A NUL ends the name: 7-Zip, Info-ZIP unzip and libarchive read the
//     name as a C string, so "a.js\x00.txt" is extracted as a.js (Go's
//     archive/zip keeps all the bytes).
//   - The Info-ZIP Unicode Path extra field (0x7075: version, CRC-32 of
//     the name field, UTF-8 name) replaces the name. 7-Zip reads it from
//     the central directory (the local header for a member only a local
//     header lists) when bit 11 is clear, its version is 0 or 1, the CRC
//     matches and the name is valid UTF-8 without NUL, first field only;
//     unzip reads it from the central directory under the same version,
//     flag and CRC rules, cutting the name at a NUL; libarchive (bsdtar,
//     Windows' tar.exe) reads it from the local header whatever bit 11 and
//     the version say, checks the CRC against the name as converted to the
//     local charset (libarchive before 3.4 did not check it at all), and
//     the last field wins.
//
// Kensa reads the union: every such name of either header is one of the
// member's names (Part.AltNames), which every name check reads. Where
// only some tools would read one (bit 11 set, another version, a CRC that
// does not match, bad UTF-8) or a NUL cuts the name, the readings differ
// and the container is ambiguous.

const (
	extraUnicodePath = 0x7075
	flagUTF8         = 0x800 // general purpose bit 11: the name field is UTF-8
	maxUnicodePaths  = 4     // Unicode Path fields read per header
)

// zipReading is one name a tool shows for a header, and why only some
// tools show it ("" when all that read such names agree).
type zipReading struct{ name, odd string }

// zipNameReadings lists the names other than raw that tools show for a
// header with name field raw, flags and extra field extra. It reads at
// most len(extra)/4 blocks and keeps at most maxUnicodePaths names.
func zipNameReadings(raw string, flags uint16, extra []byte) []zipReading {
	var out []zipReading
	cut := raw
	if i := strings.IndexByte(raw, 0); i >= 0 {
		cut = raw[:i]
		if cut != "" {
			out = append(out, zipReading{cut, fmt.Sprintf("a NUL ends the name %q after %q", cleanName(raw), cleanName(cut))})
		}
	}
	le := binary.LittleEndian
	found := 0
	for len(extra) >= 4 && found < maxUnicodePaths {
		id, n := le.Uint16(extra), int(le.Uint16(extra[2:]))
		if 4+n > len(extra) {
			break // a block longer than what is left: every reader stops here
		}
		data := extra[4 : 4+n]
		extra = extra[4+n:]
		if id != extraUnicodePath || n < 5 {
			continue
		}
		found++
		name := string(data[5:])
		hasNUL := false
		if i := strings.IndexByte(name, 0); i >= 0 {
			name, hasNUL = name[:i], true
		}
		if name == "" || name == raw {
			continue // empty: the name field is already UTF-8 (Info-ZIP)
		}
		var why string
		switch {
		case flags&flagUTF8 != 0:
			why = "bit 11 says the name field is UTF-8"
		case data[0] > 1:
			why = fmt.Sprintf("field version %d", data[0])
		case le.Uint32(data[1:]) != crc32.ChecksumIEEE([]byte(cut)):
			why = "its CRC does not match the name field"
		case hasNUL || !utf8.ValidString(name):
			why = "it is not clean UTF-8"
		}
		r := zipReading{name: name}
		if why != "" {
			r.odd = fmt.Sprintf("the Unicode Path field names %q, the header %q, and only some tools read it (%s)", cleanName(name), cleanName(cut), why)
		}
		out = append(out, r)
	}
	return out
}

// addZipNames gives p the other names tools show for a header of it, and
// notes on the container where those tools disagree.
func (c *container) addZipNames(p *message.Part, raw string, flags uint16, extra []byte) {
	if p == nil {
		return
	}
	for _, r := range zipNameReadings(raw, flags, extra) {
		addAltName(p, r.name)
		if r.odd != "" {
			c.ambiguous(r.odd)
		}
	}
}
