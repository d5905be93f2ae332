package formats

import (
	"encoding/binary"
	"unicode/utf16"
)

// Compound files (MS-CFB) and VBA projects in them (MS-OVBA), with the
// module source in "compressed" containers of literal tokens only.

// CFBEntry is one storage or stream of a compound file.
type CFBEntry struct {
	Name    string
	Storage bool   // a storage (folder); Data is ignored
	Parent  int    // index of the parent storage in the list; -1 for the root
	Data    []byte // a stream's bytes
	CLSID   []byte // a storage's class ID as stored (16 bytes), nil for none
}

const (
	cfbFree = 0xFFFFFFFF
	cfbEnd  = 0xFFFFFFFE
	cfbFAT  = 0xFFFFFFFD
	cfbNone = 0xFFFFFFFF
)

// CFB is a compound file (CFB v3, 512-byte sectors) holding entries. It
// lays out: header, the FAT sectors, the directory, the mini FAT, the
// mini stream (streams under 4096 bytes), then the large streams. Siblings
// are chained through right pointers, which readers accept.
// It panics past 109 FAT sectors (about 7 MiB), which a header's DIFAT
// lists without DIFAT sectors.
func CFB(entries []CFBEntry) []byte {
	const sec = 512
	le := binary.LittleEndian
	sectors := func(n int) int { return (n + sec - 1) / sec }
	start := make([]uint32, len(entries))
	var mini []byte
	var minifat []uint32
	var bigIdx []int
	for i, e := range entries {
		switch {
		case e.Storage:
		case len(e.Data) >= 4096:
			bigIdx = append(bigIdx, i)
		case len(e.Data) == 0:
			start[i] = cfbEnd
		default:
			first := uint32(len(mini) / 64)
			start[i] = first
			n := (len(e.Data) + 63) / 64
			for k := 0; k < n; k++ {
				next := uint32(cfbEnd)
				if k < n-1 {
					next = first + uint32(k) + 1
				}
				minifat = append(minifat, next)
			}
			padded := make([]byte, n*64)
			copy(padded, e.Data)
			mini = append(mini, padded...)
		}
	}
	nDir := sectors((len(entries) + 1) * 128)
	nMiniFAT := sectors(len(minifat) * 4)
	nMini := sectors(len(mini))
	used := nDir + nMiniFAT + nMini
	for _, i := range bigIdx {
		used += sectors(len(entries[i].Data))
	}
	nFAT := 1 // FAT sectors come first; each maps 128 sectors, itself included
	for nFAT*sec/4 < nFAT+used {
		nFAT++
	}
	if nFAT > 109 {
		panic("formats.CFB: more FAT sectors than the header lists")
	}
	fat := make([]uint32, nFAT)
	for k := range fat {
		fat[k] = cfbFAT
	}
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
	for _, i := range bigIdx {
		start[i] = chain(sectors(len(entries[i].Data)))
	}
	for len(fat) < nFAT*sec/4 {
		fat = append(fat, cfbFree)
	}
	out := make([]byte, sec)
	copy(out, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	le.PutUint16(out[24:], 0x3E)
	le.PutUint16(out[26:], 3)
	le.PutUint16(out[28:], 0xFFFE)
	le.PutUint16(out[30:], 9)
	le.PutUint16(out[32:], 6)
	le.PutUint32(out[44:], uint32(nFAT))
	le.PutUint32(out[48:], dirStart)
	le.PutUint32(out[56:], 4096)
	le.PutUint32(out[60:], miniFATStart)
	le.PutUint32(out[64:], uint32(nMiniFAT))
	le.PutUint32(out[68:], cfbEnd)
	for k := range 109 { // DIFAT: the FAT is sectors 0 to nFAT-1
		v := uint32(cfbFree)
		if k < nFAT {
			v = uint32(k)
		}
		le.PutUint32(out[76+4*k:], v)
	}
	for _, v := range fat {
		out = le.AppendUint32(out, v)
	}
	dir := make([]byte, nDir*sec)
	children := map[int][]int{} // directory index of a storage → directory indexes of its children
	for i, e := range entries {
		children[e.Parent+1] = append(children[e.Parent+1], i+1)
	}
	first := func(d int) uint32 {
		if c := children[d]; len(c) > 0 {
			return uint32(c[0])
		}
		return cfbNone
	}
	rights := map[int]uint32{} // directory index → its right sibling's
	for _, c := range children {
		for k := 1; k < len(c); k++ {
			rights[c[k-1]] = uint32(c[k])
		}
	}
	right := func(d int) uint32 {
		if r, ok := rights[d]; ok {
			return r
		}
		return cfbNone
	}
	put := func(d int, name string, typ byte, child, rightSib, startSec uint32, size int) {
		r := dir[d*128:]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(r[2*k:], c)
		}
		le.PutUint16(r[64:], uint16(2*len(u)+2))
		r[66], r[67] = typ, 1
		le.PutUint32(r[68:], cfbNone)
		le.PutUint32(r[72:], rightSib)
		le.PutUint32(r[76:], child)
		le.PutUint32(r[116:], startSec)
		le.PutUint32(r[120:], uint32(size))
	}
	put(0, "Root Entry", 5, first(0), cfbNone, miniStart, len(mini))
	for i, e := range entries {
		d := i + 1
		if e.Storage {
			put(d, e.Name, 1, first(d), right(d), 0, 0)
			copy(dir[d*128+80:d*128+96], e.CLSID)
		} else {
			put(d, e.Name, 2, cfbNone, right(d), start[i], len(e.Data))
		}
	}
	for d := len(entries) + 1; d < nDir*sec/128; d++ {
		r := dir[d*128:]
		le.PutUint32(r[68:], cfbNone)
		le.PutUint32(r[72:], cfbNone)
		le.PutUint32(r[76:], cfbNone)
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
	for _, i := range bigIdx {
		s := make([]byte, sectors(len(entries[i].Data))*sec)
		copy(s, entries[i].Data)
		out = append(out, s...)
	}
	return out
}

// Embed appends to entries a storage named name below the storage at
// index parent (-1: the root), with the class clsid (nil: none), holding
// obj, the entries of a compound file (Parent -1 is that storage): how
// Word keeps an embedded object (ObjectPool/_NNNN), Excel (MBDxxxxxxxx)
// and Outlook (an OLE attachment's storage).
func Embed(entries []CFBEntry, parent int, name string, clsid []byte, obj []CFBEntry) []CFBEntry {
	entries = append(entries, CFBEntry{Name: name, Storage: true, Parent: parent, CLSID: clsid})
	at, first := len(entries)-1, len(entries)
	for _, x := range obj {
		if x.Parent < 0 {
			x.Parent = at
		} else {
			x.Parent += first
		}
		entries = append(entries, x)
	}
	return entries
}

// OVBALiteral is a valid MS-OVBA compressed container made of literal
// tokens only (every flag byte zero).
func OVBALiteral(src []byte) []byte {
	out := []byte{1}
	for len(src) > 0 {
		n := min(3584, len(src)) // 9/8 overhead keeps a chunk under 4098 bytes
		chunk := src[:n]
		src = src[n:]
		var body []byte
		for len(chunk) > 0 {
			k := min(8, len(chunk))
			body = append(body, 0)
			body = append(body, chunk[:k]...)
			chunk = chunk[k:]
		}
		out = binary.LittleEndian.AppendUint16(out, uint16(len(body)+2-3)|0x3000|0x8000)
		out = append(out, body...)
	}
	return out
}

// vbaDir is a decompressed VBA "dir" stream with the records readers need.
func vbaDir(modules []VBAModule) []byte {
	le := binary.LittleEndian
	var b []byte
	rec := func(id uint16, data []byte) {
		b = le.AppendUint16(b, id)
		b = le.AppendUint32(b, uint32(len(data)))
		b = append(b, data...)
	}
	rec(0x0001, []byte{1, 0, 0, 0}) // PROJECTSYSKIND: Win32
	rec(0x0003, []byte{0xE4, 0x04}) // PROJECTCODEPAGE: 1252
	rec(0x0004, []byte("VBAProject"))
	b = le.AppendUint16(b, 0x0009) // PROJECTVERSION: its size field says 4, six bytes follow
	b = le.AppendUint32(b, 4)
	b = append(b, 1, 0, 0, 0, 1, 0)
	rec(0x000F, le.AppendUint16(nil, uint16(len(modules))))
	rec(0x0013, []byte{0xFF, 0xFF})
	for _, mod := range modules {
		m := mod.Name
		rec(0x0019, []byte(m))
		rec(0x001A, []byte(m))
		var u []byte
		for _, c := range utf16.Encode([]rune(m)) {
			u = le.AppendUint16(u, c)
		}
		rec(0x0032, u)
		off := uint32(8) // source text after 8 bytes of (stand-in) p-code
		if mod.PCode != nil {
			off = uint32(len(mod.PCode))
		}
		rec(0x0031, le.AppendUint32(nil, off))
		rec(0x0021, nil)
		rec(0x002B, nil)
	}
	rec(0x0010, nil)
	return b
}

// VBAModule is one module of a VBA project: its name and source text, and
// the compiled code before it (8 stand-in bytes when PCode is nil; a
// "stomped" module has p-code that its source does not match).
type VBAModule struct {
	Name, Source string
	PCode        []byte
}

// VBAStorage returns the entries of a VBA project (the VBA storage with its
// dir, _VBA_PROJECT and module streams, and the PROJECT stream beside it)
// below the storage at index parent (-1: the root), for a list in which
// they start at index base. A .doc keeps it under Macros, a vbaProject.bin
// at the root.
func VBAStorage(parent, base int, mods ...VBAModule) []CFBEntry {
	vba := base // index of the VBA storage
	out := []CFBEntry{
		{Name: "VBA", Storage: true, Parent: parent},
		{Name: "dir", Parent: vba, Data: OVBALiteral(vbaDir(mods))},
		{Name: "_VBA_PROJECT", Parent: vba, Data: []byte{0xCC, 0x61, 0xFF, 0xFF, 0, 0, 0}},
	}
	for _, m := range mods {
		pcode := m.PCode
		if pcode == nil {
			pcode = []byte("PCODE...")
		}
		out = append(out, CFBEntry{Name: m.Name, Parent: vba, Data: append(append([]byte{}, pcode...), OVBALiteral([]byte(m.Source))...)})
	}
	project := "ID=\"{3F2A7C10-0000-4B8E-9E1A-000000000001}\"\r\n"
	for _, m := range mods {
		project += "Module=" + m.Name + "\r\n"
	}
	out = append(out, CFBEntry{Name: "PROJECT", Parent: parent, Data: []byte(project + "Name=\"Project\"\r\n")})
	return out
}

// VBAProject is a vbaProject.bin (as OOXML documents carry it) holding mods.
// Its module streams are 8 bytes of stand-in p-code, then the source.
func VBAProject(mods ...VBAModule) []byte {
	return CFB(VBAStorage(-1, 0, mods...))
}
