package unpack

import (
	"encoding/binary"
	"unicode/utf16"
)

// A tiny compound-file (CFB v3) writer for tests: streams under 4096 bytes go
// to the mini stream, larger ones to regular sectors. Siblings are chained
// through right pointers, which readers accept.

type cfbEntry struct {
	name    string
	storage bool
	parent  int // index into the list; -1 for children of the root
	data    []byte
}

const (
	cfbFree = 0xFFFFFFFF
	cfbEnd  = 0xFFFFFFFE
	cfbFAT  = 0xFFFFFFFD
	cfbNone = 0xFFFFFFFF
)

func cfbOf(entries []cfbEntry) []byte {
	const sec = 512
	// Mini stream.
	var mini []byte
	var minifat []uint32
	start := make([]uint32, len(entries))
	var big [][]byte
	var bigIdx []int
	for i, e := range entries {
		if e.storage {
			continue
		}
		if len(e.data) >= 4096 {
			big = append(big, e.data)
			bigIdx = append(bigIdx, i)
			continue
		}
		first := uint32(len(mini) / 64)
		start[i] = first
		n := (len(e.data) + 63) / 64
		if n == 0 {
			start[i] = cfbEnd
			continue
		}
		for k := 0; k < n; k++ {
			next := uint32(cfbEnd)
			if k < n-1 {
				next = first + uint32(k) + 1
			}
			minifat = append(minifat, next)
		}
		padded := make([]byte, n*64)
		copy(padded, e.data)
		mini = append(mini, padded...)
	}
	sectors := func(n int) int { return (n + sec - 1) / sec }
	nDir := sectors((len(entries) + 1) * 128)
	nMiniFAT := sectors(len(minifat) * 4)
	nMini := sectors(len(mini))
	// Layout: FAT sector 0, directory, minifat, mini stream, big streams.
	var fat []uint32
	fat = append(fat, cfbFAT)
	chain := func(n int) uint32 {
		if n == 0 {
			return cfbEnd
		}
		first := uint32(len(fat))
		for k := 0; k < n; k++ {
			next := uint32(cfbEnd)
			if k < n-1 {
				next = first + uint32(k) + 1
			}
			fat = append(fat, next)
		}
		return first
	}
	dirStart := chain(nDir)
	miniFATStart := chain(nMiniFAT)
	miniStart := chain(nMini)
	for k, b := range big {
		start[bigIdx[k]] = chain(sectors(len(b)))
	}
	if len(fat) > 128 {
		panic("cfbOf: too big for one FAT sector")
	}
	for len(fat) < 128 {
		fat = append(fat, cfbFree)
	}
	out := make([]byte, sec) // header
	copy(out, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	le := binary.LittleEndian
	le.PutUint16(out[24:], 0x3E)
	le.PutUint16(out[26:], 3)
	le.PutUint16(out[28:], 0xFFFE)
	le.PutUint16(out[30:], 9)
	le.PutUint16(out[32:], 6)
	le.PutUint32(out[44:], 1)
	le.PutUint32(out[48:], dirStart)
	le.PutUint32(out[56:], 4096)
	if nMiniFAT > 0 {
		le.PutUint32(out[60:], miniFATStart)
	} else {
		le.PutUint32(out[60:], cfbEnd)
	}
	le.PutUint32(out[64:], uint32(nMiniFAT))
	le.PutUint32(out[68:], cfbEnd)
	le.PutUint32(out[76:], 0)
	for k := 1; k < 109; k++ {
		le.PutUint32(out[76+4*k:], cfbFree)
	}
	// FAT sector.
	fs := make([]byte, sec)
	for k, v := range fat {
		le.PutUint32(fs[4*k:], v)
	}
	out = append(out, fs...)
	// Directory: entry 0 is the root.
	dir := make([]byte, nDir*sec)
	children := map[int][]int{}
	for i, e := range entries {
		children[e.parent+1] = append(children[e.parent+1], i+1)
	}
	put := func(idx int, name string, typ byte, child, right uint32, startSec uint32, size int) {
		d := dir[idx*128:]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(d[2*k:], c)
		}
		le.PutUint16(d[64:], uint16(2*len(u)+2))
		d[66], d[67] = typ, 1
		le.PutUint32(d[68:], cfbNone)
		le.PutUint32(d[72:], right)
		le.PutUint32(d[76:], child)
		le.PutUint32(d[116:], startSec)
		le.PutUint32(d[120:], uint32(size))
	}
	first := func(dirIdx int) uint32 {
		if c := children[dirIdx]; len(c) > 0 {
			return uint32(c[0])
		}
		return cfbNone
	}
	rightOf := func(dirIdx, parentIdx int) uint32 {
		c := children[parentIdx]
		for k, v := range c {
			if v == dirIdx && k+1 < len(c) {
				return uint32(c[k+1])
			}
		}
		return cfbNone
	}
	put(0, "Root Entry", 5, first(0), cfbNone, miniStart, len(mini))
	for i, e := range entries {
		idx := i + 1
		if e.storage {
			put(idx, e.name, 1, first(idx), rightOf(idx, e.parent+1), 0, 0)
		} else {
			put(idx, e.name, 2, cfbNone, rightOf(idx, e.parent+1), start[i], len(e.data))
		}
	}
	for k := len(entries) + 1; k < nDir*4; k++ { // unused entries
		d := dir[k*128:]
		le.PutUint32(d[68:], cfbNone)
		le.PutUint32(d[72:], cfbNone)
		le.PutUint32(d[76:], cfbNone)
	}
	out = append(out, dir...)
	mf := make([]byte, nMiniFAT*sec)
	for k := range mf {
		mf[k] = 0xFF
	}
	for k, v := range minifat {
		le.PutUint32(mf[4*k:], v)
	}
	out = append(out, mf...)
	ms := make([]byte, nMini*sec)
	copy(ms, mini)
	out = append(out, ms...)
	for _, b := range big {
		s := make([]byte, sectors(len(b))*sec)
		copy(s, b)
		out = append(out, s...)
	}
	return out
}

// compressVBALiteral is a valid MS-OVBA container using literal tokens only.
func compressVBALiteral(src []byte) []byte {
	out := []byte{1}
	for len(src) > 0 {
		n := min(3584, len(src)) // literals cost 9/8: keep the chunk under 4098 bytes
		chunk := src[:n]
		src = src[n:]
		var body []byte
		for len(chunk) > 0 {
			k := min(8, len(chunk))
			body = append(body, 0)
			body = append(body, chunk[:k]...)
			chunk = chunk[k:]
		}
		h := uint16(len(body)+2-3) | 0x3000 | 0x8000
		out = binary.LittleEndian.AppendUint16(out, h)
		out = append(out, body...)
	}
	return out
}

// vbaDir is a decompressed dir stream with the records our reader needs,
// including PROJECTVERSION and its odd size field.
func vbaDir(modules ...string) []byte {
	var b []byte
	rec := func(id uint16, data []byte) {
		b = binary.LittleEndian.AppendUint16(b, id)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
		b = append(b, data...)
	}
	rec(0x0001, []byte{1, 0, 0, 0}) // PROJECTSYSKIND
	rec(0x0003, []byte{0xE4, 0x04}) // PROJECTCODEPAGE 1252
	rec(0x0004, []byte("VBAProject"))
	b = binary.LittleEndian.AppendUint16(b, 0x0009) // PROJECTVERSION
	b = binary.LittleEndian.AppendUint32(b, 4)
	b = append(b, 1, 2, 3, 4, 5, 6)
	rec(0x000F, []byte{byte(len(modules)), 0}) // PROJECTMODULES count
	rec(0x0013, []byte{0xFF, 0xFF})            // cookie
	for _, m := range modules {
		rec(0x0019, []byte(m))
		rec(0x001A, []byte(m))
		rec(0x0032, utf16leBytes(m))
		rec(0x0031, []byte{8, 0, 0, 0}) // source after 8 bytes of p-code
		rec(0x0021, nil)
		rec(0x002B, nil)
	}
	rec(0x0010, nil)
	return b
}

func utf16leBytes(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// vbaProject builds a vbaProject.bin holding one module with src.
func vbaProject(module, src string) []byte {
	stream := append([]byte("PCODE..."), compressVBALiteral([]byte(src))...)
	return cfbOf([]cfbEntry{
		{name: "PROJECT", parent: -1, data: []byte("ID=\"{00000000}\"\r\nDocument=ThisDocument/&H00000000\r\nModule=" + module + "\r\n")},
		{name: "VBA", storage: true, parent: -1},
		{name: "dir", parent: 1, data: compressVBALiteral(vbaDir(module))},
		{name: module, parent: 1, data: stream},
		{name: "_VBA_PROJECT", parent: 1, data: []byte{0xCC, 0x61, 0xFF, 0xFF, 0, 0, 0}},
	})
}
