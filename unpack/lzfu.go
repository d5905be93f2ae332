package unpack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Compressed RTF (MS-OXRTFCP), the body format of PR_RTF_COMPRESSED: a
// 16-byte header (compressed size, raw size, "LZFu" or "MELA", CRC) and
// LZ77 runs over a 4 KiB dictionary that starts with a fixed RTF prefix.

// lzfuPrefix fills the dictionary before decompression (MS-OXRTFCP
// 2.1.2.1); decompression writes from its end.
const lzfuPrefix = `{\rtf1\ansi\mac\deff0\deftab720{\fonttbl;}{\f0\fnil \froman \fswiss \fmodern \fscript \fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\colortbl\red0\green0\blue0` +
	"\r\n" + `\par \pard\plain\f0\fs20\b\i\u\tab\tx`

const (
	lzfuCompressed   = 0x75465A4C // "LZFu"
	lzfuUncompressed = 0x414C454D // "MELA"
)

// errLZFuSize: the body decompresses to more than the limit.
var errLZFuSize = errors.New("larger than the limit")

// decompressRTF returns the RTF of a compressed RTF body, at most limit
// bytes, and whether its CRC matched. On an error it returns what was
// decompressed before it. Sizes in the header are the sender's word: they
// neither size the output nor end it.
func decompressRTF(b []byte, limit int) (rtf []byte, crcOK bool, err error) {
	if len(b) < 16 {
		return nil, false, errors.New("shorter than its header")
	}
	le := binary.LittleEndian
	compSize, rawSize, kind, crc := le.Uint32(b), le.Uint32(b[4:]), le.Uint32(b[8:]), le.Uint32(b[12:])
	data := b[16:]
	truncated := false
	if int64(compSize) >= 12 && int64(compSize)-12 < int64(len(data)) {
		data = data[:compSize-12] // the size counts the header after itself
	} else if int64(compSize) > 12+int64(len(data)) {
		truncated = true
	}
	switch kind {
	case lzfuUncompressed:
		out := data[:min(len(data), int(min(int64(rawSize), int64(limit))))]
		if int64(rawSize) > int64(limit) {
			return out, crc == 0, errLZFuSize
		}
		return out, crc == 0, nil
	case lzfuCompressed:
	default:
		return nil, false, fmt.Errorf("unknown compression %#08x", kind)
	}
	// The CRC is CRC-32's table without its pre- and post-inversion.
	crcOK = ^crc32.Update(^uint32(0), crc32.IEEETable, data) == crc
	var dict [4096]byte
	copy(dict[:], lzfuPrefix)
	wp := len(lzfuPrefix)
	out := make([]byte, 0, min(int(min(int64(rawSize), int64(limit))), 8*len(data)+16))
	emit := func(c byte) bool {
		if len(out) >= limit {
			return false
		}
		out = append(out, c)
		dict[wp] = c
		wp = (wp + 1) & 4095
		return true
	}
	for i := 0; i < len(data); {
		ctrl := data[i]
		i++
		for bit := 0; bit < 8; bit++ {
			if ctrl&(1<<bit) == 0 {
				if i >= len(data) {
					return out, crcOK, errors.New("truncated")
				}
				if !emit(data[i]) {
					return out, crcOK, errLZFuSize
				}
				i++
				continue
			}
			if i+1 >= len(data) {
				return out, crcOK, errors.New("truncated")
			}
			ref := int(data[i])<<8 | int(data[i+1])
			i += 2
			off, n := ref>>4, ref&15+2
			if off == wp {
				return out, crcOK, nil // the end marker
			}
			for k := range n {
				if !emit(dict[(off+k)&4095]) {
					return out, crcOK, errLZFuSize
				}
			}
		}
	}
	if truncated {
		return out, crcOK, errors.New("truncated")
	}
	return out, crcOK, nil // no end marker, but all the data read
}
