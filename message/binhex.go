package message

import (
	"bytes"
	"encoding/binary"

	"github.com/kensa-milter/kensa/internal/crc16"
)

// BinHex 4.0 (RFC 1741): after the line "(This file must be converted
// with BinHex 4.0)", data between two colons in a 64-character alphabet,
// then run-length encoding (0x90 n repeats the previous byte n-1 more
// times; 0x90 0 is 0x90 itself), then a header (name, type, creator,
// flags, fork lengths, CRC), the data fork and the resource fork, each
// followed by a CRC. We keep the data fork, which is what a client saves;
// a bad CRC or a short fork is repaired, not refused, as clients do.

// BinHexAlphabet is BinHex 4.0's encoding alphabet, in order.
const BinHexAlphabet = "!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr"

var binhexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(BinHexAlphabet); i++ {
		t[BinHexAlphabet[i]] = byte(i)
	}
	return t
}()

// binhexDecode finds and decodes the first BinHex 4.0 file in b.
func binhexDecode(b []byte) (embeddedFile, bool) {
	i := bytes.Index(b, []byte("(This file must be converted with BinHex"))
	if i < 0 {
		return embeddedFile{}, false
	}
	rest := b[i:]
	start := bytes.Index(rest, []byte("\n:"))
	if start < 0 {
		return embeddedFile{}, false
	}
	rest = rest[start+2:]
	// Six bits per character up to the closing colon.
	packed := make([]byte, 0, len(rest)*3/4)
	var acc uint32
	bits := 0
	for _, c := range rest {
		if c == ':' {
			break
		}
		v := binhexValue[c]
		if v == 0xff {
			continue // line breaks and blanks
		}
		acc = acc<<6 | uint32(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			packed = append(packed, byte(acc>>bits))
		}
	}
	data := binhexRLE(packed, 4*len(rest)+1<<16)
	return binhexFork(data)
}

// binhexRLE undoes BinHex's run-length encoding, producing at most limit bytes.
func binhexRLE(b []byte, limit int) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b) && len(out) < limit; i++ {
		if b[i] != 0x90 {
			out = append(out, b[i])
			continue
		}
		if i+1 >= len(b) {
			break
		}
		i++
		n := int(b[i])
		if n == 0 {
			out = append(out, 0x90)
			continue
		}
		if len(out) == 0 {
			continue
		}
		last := out[len(out)-1]
		for k := 1; k < n && len(out) < limit; k++ {
			out = append(out, last)
		}
	}
	return out
}

// binhexFork reads the header and the data fork.
func binhexFork(d []byte) (embeddedFile, bool) {
	if len(d) < 1 {
		return embeddedFile{}, false
	}
	n := int(d[0])
	h := 1 + n + 1 + 4 + 4 + 2 + 4 + 4 // name, version, type, creator, flags, data and resource lengths
	if len(d) < h+2 {
		return embeddedFile{}, false
	}
	f := embeddedFile{name: string(d[1 : 1+n])}
	if crc16.Checksum(d[:h]) != binary.BigEndian.Uint16(d[h:]) {
		f.bad++
	}
	dlen := int(binary.BigEndian.Uint32(d[h-8:]))
	fork := d[h+2:]
	if dlen > len(fork) {
		f.bad++
		dlen = len(fork)
	}
	f.data = fork[:dlen]
	if tail := fork[dlen:]; len(tail) < 2 || crc16.Checksum(f.data) != binary.BigEndian.Uint16(tail) {
		f.bad++
	}
	return f, true
}
