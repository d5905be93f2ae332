package formats

import (
	"encoding/binary"
	"path"
	"slices"
	"strings"
	"unicode/utf16"
)

// ExFATOptions shape an exFAT volume: Contiguous writes files with the
// NoFatChain flag (their clusters one after another, the FAT left alone),
// as Windows writes files it could allocate in one run; otherwise each
// file's clusters are chained in the FAT.
type ExFATOptions struct {
	Label      string
	Contiguous bool
}

// ExFAT is an exFAT volume (Microsoft's exFAT specification) of 512-byte
// sectors and 4 KiB clusters holding files (slash-separated names make
// folders): the main and backup boot regions with their checksum, one FAT,
// the allocation bitmap, an up-case table (ASCII letters; the rest maps to
// itself), the root directory with the label, and each file and folder as
// a directory entry set (file, stream extension, names) with its checksum
// and name hash. Checked with fsck.exfat.
func ExFAT(o ExFATOptions, files ...File) []byte {
	const (
		sector   = 512
		csize    = 4096
		fatAt    = 24 // sectors: after both boot regions
		heapFrom = 64
	)
	le := binary.LittleEndian
	upcase := exfatUpcase()

	// The tree, folders first made as the names need them.
	type node struct {
		name     string
		data     []byte
		dir      bool
		children []*node
		first    uint32
		size     int64
	}
	root := &node{dir: true}
	dirs := map[string]*node{"": root}
	var mkdir func(p string) *node
	mkdir = func(p string) *node {
		if d, ok := dirs[p]; ok {
			return d
		}
		parent := mkdir(strings.TrimSuffix(path.Dir(p), "."))
		d := &node{name: path.Base(p), dir: true}
		parent.children = append(parent.children, d)
		dirs[p] = d
		return d
	}
	for _, f := range files {
		dir := mkdir(strings.TrimSuffix(path.Dir(f.Name), "."))
		dir.children = append(dir.children, &node{name: path.Base(f.Name), data: f.Data})
	}

	// Clusters: the bitmap (2), the up-case table (3), then each
	// directory and file in turn.
	var heap []byte
	var chains [][2]uint32 // first cluster, count: what the FAT chains
	alloc := func(b []byte, chain bool) (uint32, int64) {
		if len(b) == 0 {
			return 0, 0
		}
		first := uint32(2 + len(heap)/csize)
		n := (len(b) + csize - 1) / csize
		heap = append(heap, b...)
		heap = append(heap, make([]byte, n*csize-len(b))...)
		if chain {
			chains = append(chains, [2]uint32{first, uint32(n)})
		}
		return first, int64(len(b))
	}
	entrySet := func(n *node) []byte {
		name := utf16.Encode([]rune(n.name))
		count := (len(name) + 14) / 15
		set := make([]byte, 32*(2+count))
		set[0], set[1] = 0x85, byte(1+count)
		attr := uint16(0x20)
		if n.dir {
			attr = 0x10
		}
		le.PutUint16(set[4:], attr)
		const stamp = 0x5B8C5000 // 2025-12-12 10:00:00
		le.PutUint32(set[8:], stamp)
		le.PutUint32(set[12:], stamp)
		le.PutUint32(set[16:], stamp)
		s := set[32:]
		s[0], s[1], s[3] = 0xC0, 0x01, byte(len(name))
		if o.Contiguous || n.dir {
			s[1] |= 0x02 // NoFatChain
		}
		if n.size == 0 {
			s[1] = 0
		}
		le.PutUint16(s[4:], exfatNameHash(name, upcase))
		le.PutUint64(s[8:], uint64(n.size))
		le.PutUint32(s[20:], n.first)
		le.PutUint64(s[24:], uint64(n.size))
		for i := range count {
			e := set[64+32*i:]
			e[0] = 0xC1
			for j := 0; j < 15 && 15*i+j < len(name); j++ {
				le.PutUint16(e[2+2*j:], name[15*i+j])
			}
		}
		le.PutUint16(set[2:], exfatSetChecksum(set))
		return set
	}

	// The bitmap and up-case table take the first clusters; their bytes
	// are known once the heap is, so room is kept and filled at the end.
	upFirst := uint32(3)
	heap = make([]byte, 2*csize)
	chains = append(chains, [2]uint32{2, 1}, [2]uint32{3, 1})
	// Files and folders, depth first: a folder's entries need its
	// children's clusters.
	var place func(d *node) []byte
	place = func(d *node) []byte {
		var entries []byte
		for _, c := range d.children {
			if c.dir {
				c.first, c.size = alloc(place(c), false)
				c.size = (c.size + csize - 1) / csize * csize
			} else {
				c.first, c.size = alloc(c.data, !o.Contiguous)
			}
			entries = append(entries, entrySet(c)...)
		}
		return entries
	}
	entries := place(root)
	// The root: label, bitmap, up-case table, then the entry sets; it is
	// always chained in the FAT.
	label := utf16.Encode([]rune(o.Label))
	rootDir := make([]byte, 96, 96+len(entries))
	rootDir[0], rootDir[1] = 0x83, byte(len(label))
	for i, u := range label {
		le.PutUint16(rootDir[2+2*i:], u)
	}
	rootFirst := uint32(2 + len(heap)/csize)
	clusters := uint32(len(heap)/csize) + uint32((len(rootDir)+len(entries)+csize-1)/csize) + 16 // and some free ones
	bitmapLen := (clusters + 7) / 8
	rootDir[32] = 0x81
	le.PutUint32(rootDir[32+20:], 2)
	le.PutUint64(rootDir[32+24:], uint64(bitmapLen))
	upBytes := make([]byte, 2*len(upcase))
	for i, u := range upcase {
		le.PutUint16(upBytes[2*i:], u)
	}
	rootDir[64] = 0x82
	le.PutUint32(rootDir[64+4:], exfatChecksum32(upBytes, nil))
	le.PutUint32(rootDir[64+20:], upFirst)
	le.PutUint64(rootDir[64+24:], uint64(len(upBytes)))
	rootDir = append(rootDir, entries...)
	alloc(rootDir, true)
	copy(heap[csize:], upBytes)
	used := uint32(len(heap) / csize)
	for i := range used {
		heap[i/8] |= 1 << (i % 8)
	}

	fatLen := (4*(clusters+2) + sector - 1) / sector
	heapAt := uint32(heapFrom)
	if fatAt+fatLen > heapAt {
		heapAt = (fatAt + fatLen + 7) / 8 * 8
	}
	total := int64(heapAt) + int64(clusters)*csize/sector
	img := make([]byte, total*sector)

	// The FAT: media and reserved entries, then the chains.
	fat := img[fatAt*sector:]
	le.PutUint32(fat, 0xFFFFFFF8)
	le.PutUint32(fat[4:], 0xFFFFFFFF)
	for _, c := range chains {
		for k := range c[1] {
			next := c[0] + k + 1
			if k == c[1]-1 {
				next = 0xFFFFFFFF
			}
			le.PutUint32(fat[4*(c[0]+k):], next)
		}
	}
	copy(img[int64(heapAt)*sector:], heap)

	// The boot region, and its backup.
	b := img[:12*sector]
	copy(b, "\xEB\x76\x90EXFAT   ")
	le.PutUint64(b[72:], uint64(total))
	le.PutUint32(b[80:], fatAt)
	le.PutUint32(b[84:], fatLen)
	le.PutUint32(b[88:], heapAt)
	le.PutUint32(b[92:], clusters)
	le.PutUint32(b[96:], rootFirst)
	le.PutUint32(b[100:], 0x4B454E53) // serial
	le.PutUint16(b[104:], 0x0100)
	b[108], b[109], b[110], b[111], b[112] = 9, 3, 1, 0x80, byte(100*used/clusters)
	b[510], b[511] = 0x55, 0xAA
	for s := 1; s <= 8; s++ {
		copy(b[s*sector+sector-4:], "\x00\x00\x55\xAA")
	}
	sum := exfatChecksum32(b[:11*sector], []int{106, 107, 112})
	for i := 11 * sector; i < 12*sector; i += 4 {
		le.PutUint32(b[i:], sum)
	}
	copy(img[12*sector:], b)
	return img
}

// exfatUpcase is a small up-case table: a to z map to A to Z, every other
// character to itself (0xFFFF, n: n characters that map to themselves).
func exfatUpcase() []uint16 {
	t := []uint16{0xFFFF, 'a'}
	for c := 'A'; c <= 'Z'; c++ {
		t = append(t, uint16(c))
	}
	return append(t, 0xFFFF, uint16(0x10000-'z'-1))
}

// exfatNameHash is the stream extension's hash of the up-cased name.
func exfatNameHash(name, upcase []uint16) uint16 {
	up := exfatUpcaseMap(upcase)
	var h uint16
	for _, c := range name {
		u := up(c)
		for _, b := range []byte{byte(u), byte(u >> 8)} {
			h = (h&1)<<15 + h>>1 + uint16(b)
		}
	}
	return h
}

// exfatUpcaseMap reads a compressed up-case table.
func exfatUpcaseMap(t []uint16) func(uint16) uint16 {
	m := map[uint16]uint16{}
	c := 0
	for i := 0; i < len(t) && c < 0x10000; i++ {
		if t[i] == 0xFFFF && i+1 < len(t) {
			c += int(t[i+1])
			i++
			continue
		}
		m[uint16(c)] = t[i]
		c++
	}
	return func(u uint16) uint16 {
		if v, ok := m[u]; ok {
			return v
		}
		return u
	}
}

// exfatSetChecksum is an entry set's checksum, its own field skipped.
func exfatSetChecksum(set []byte) uint16 {
	var s uint16
	for i, b := range set {
		if i == 2 || i == 3 {
			continue
		}
		s = (s&1)<<15 + s>>1 + uint16(b)
	}
	return s
}

// exfatChecksum32 is the boot region's and the up-case table's checksum,
// the bytes at skip left out.
func exfatChecksum32(b []byte, skip []int) uint32 {
	var s uint32
	for i, c := range b {
		if slices.Contains(skip, i) {
			continue
		}
		s = (s&1)<<31 + s>>1 + uint32(c)
	}
	return s
}
