package formats

import (
	"bytes"

	"github.com/ulikunitz/xz/lzma"
)

// Zip compression methods beyond store that Zip writes (ZipEntry.Method).
const (
	ZipDeflate   = 8  // deflate, fastest level
	ZipDeflate64 = 9  // Windows Explorer writes it for large files
	ZipLZMA      = 14 // 7-Zip's -mm=LZMA; flag bit 1 (Flags&2): with an end marker
)

// zipPack is a member's data packed with method.
func zipPack(method, flags uint16, data []byte) []byte {
	switch method {
	case 0:
		return data
	case ZipDeflate:
		return Deflated(data)
	case ZipDeflate64:
		return Deflate64(data)
	case ZipLZMA:
		return zipLZMA(data, flags&2 != 0)
	}
	panic("formats: no writer for zip method")
}

// zipLZMA is zip method 14 (APPNOTE 5.8): version 9.20, 5 bytes of
// properties, the raw LZMA stream, with an end marker when eos is set.
func zipLZMA(data []byte, eos bool) []byte {
	var b bytes.Buffer
	w, err := lzma.WriterConfig{DictCap: 1 << 16, Size: int64(len(data)), SizeInHeader: true, EOSMarker: eos}.NewWriter(&b)
	if err != nil {
		panic(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		panic(err)
	}
	classic := b.Bytes() // properties (1), window (4), size (8), stream
	out := []byte{9, 20, 5, 0}
	out = append(out, classic[:5]...)
	return append(out, classic[lzma.HeaderLen:]...)
}

// Deflate64 packs data as Deflate64 (zip method 9): one block of fixed
// Huffman codes, greedy matches over a 64 KiB window, so that the parts
// Deflate64 adds to DEFLATE are used: distances past 32 KiB (codes 30 and
// 31) and lengths past 258 (code 285 with 16 extra bits).
func Deflate64(data []byte) []byte {
	w := &lsbWriter{}
	w.bits(3, 3) // final block, fixed codes
	head := map[uint32]int{}
	prev := make([]int, len(data))
	key := func(i int) uint32 { return uint32(data[i]) | uint32(data[i+1])<<8 | uint32(data[i+2])<<16 }
	insert := func(i int) {
		if i+3 <= len(data) {
			k := key(i)
			if j, ok := head[k]; ok {
				prev[i] = j
			} else {
				prev[i] = -1
			}
			head[k] = i
		}
	}
	for i := 0; i < len(data); {
		bestLen, bestDist := 0, 0
		if i+3 <= len(data) {
			j, ok := head[key(i)]
			for tries := 0; ok && j >= 0 && i-j <= 65536 && tries < 16; tries++ {
				n := 0
				for i+n < len(data) && n < 65538 && data[j+n] == data[i+n] {
					n++
				}
				if n > bestLen {
					bestLen, bestDist = n, i-j
				}
				j = prev[j]
			}
		}
		if bestLen < 3 {
			d64Literal(w, int(data[i]))
			insert(i)
			i++
			continue
		}
		d64Length(w, bestLen)
		d64Dist(w, bestDist)
		for k := 0; k < min(bestLen, 258); k++ { // a long run needs no more
			insert(i + k)
		}
		i += bestLen
	}
	d64Literal(w, 256)
	return w.flush()
}

// lsbWriter writes bits the first one lowest, as DEFLATE does.
type lsbWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *lsbWriter) bits(v uint64, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

// code writes a Huffman code, its first bit the highest.
func (w *lsbWriter) code(c uint64, n uint) {
	var r uint64
	for i := uint(0); i < n; i++ {
		r = r<<1 | c>>i&1
	}
	w.bits(r, n)
}

func (w *lsbWriter) flush() []byte {
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
	}
	return w.out
}

// d64Literal writes a literal/length symbol in the fixed code.
func d64Literal(w *lsbWriter, s int) {
	switch {
	case s < 144:
		w.code(uint64(0x30+s), 8)
	case s < 256:
		w.code(uint64(0x190+s-144), 9)
	case s < 280:
		w.code(uint64(s-256), 7)
	default:
		w.code(uint64(0xC0+s-280), 8)
	}
}

// d64Length writes a match length (3 to 65538): codes 257 to 284 as in
// DEFLATE for up to 258, code 285 with 16 extra bits for longer ones.
func d64Length(w *lsbWriter, n int) {
	if n > 258 {
		d64Literal(w, 285)
		w.bits(uint64(n-3), 16)
		return
	}
	base, extra := 3, uint(0)
	for code := 257; code <= 284; code++ {
		if code >= 265 && (code-265)%4 == 0 {
			extra = uint(code-261) / 4
		}
		size := 1 << extra
		if code == 284 {
			size = 32 // 227 to 258
		}
		if n < base+size {
			d64Literal(w, code)
			w.bits(uint64(n-base), extra)
			return
		}
		base += size
	}
}

// d64Dist writes a distance (1 to 65536) with the 32 distance codes.
func d64Dist(w *lsbWriter, d int) {
	base := 1
	for code := 0; code < 32; code++ {
		extra := uint(0)
		if code >= 4 {
			extra = uint(code/2 - 1)
		}
		if d < base+1<<extra {
			w.code(uint64(code), 5)
			w.bits(uint64(d-base), extra)
			return
		}
		base += 1 << extra
	}
	panic("formats: Deflate64 distance past 64 KiB")
}

// zipVersion is the version needed to extract a member of method.
func zipVersion(method uint16) uint16 {
	switch method {
	case ZipDeflate64:
		return 21
	case ZipLZMA:
		return 63
	}
	return 20
}
