package formats

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"path"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// Disk images as Windows mounts them with a double click: a FAT12 volume
// (Microsoft's FAT specification, long names included), put on a disk
// with an MBR or a GPT, or alone ("superfloppy"), and stored as a fixed or
// dynamic VHD or as a VHDX. unpack reads them; its tests check them
// against 7-Zip and against images mkfs.fat, mkntfs and qemu-img make.

// FATFile is a file of a FAT volume. Name is its path ("dir/name.ext"):
// a directory is made for each parent. Short, when set, is the 8.3 name
// written instead of one derived from Name ("NAME.EXT" form); a Name equal
// to it gets no long name.
type FATFile struct {
	Name, Short string
	Data        []byte
	Hidden      bool
}

const (
	fatSector  = 512
	fatCluster = 8 * fatSector // 4 KiB
)

// FAT is a FAT12 volume holding files, sized to fit them.
func FAT(label string, files ...FATFile) []byte {
	// The tree: each directory's entries, in the order files name them.
	type entry struct {
		long, short string
		data        []byte
		dir         bool
		hidden      bool
		cluster     int
	}
	dirs := map[string][]*entry{"": nil}
	var order []string // directories, parents first
	order = append(order, "")
	for _, f := range files {
		dir := path.Dir(f.Name)
		if dir == "." {
			dir = ""
		}
		for d, parts := "", strings.Split(dir, "/"); dir != "" && len(parts) > 0; parts = parts[1:] {
			sub := path.Join(d, parts[0])
			if _, ok := dirs[sub]; !ok {
				dirs[sub] = nil
				order = append(order, sub)
				dirs[d] = append(dirs[d], &entry{long: parts[0], dir: true})
			}
			d = sub
		}
		dirs[dir] = append(dirs[dir], &entry{long: path.Base(f.Name), short: f.Short, data: f.Data, hidden: f.Hidden})
	}
	// Short names: given, or derived and numbered as Windows does.
	for _, d := range order {
		used := map[string]bool{}
		for _, e := range dirs[d] {
			if e.short == "" {
				e.short = shortName(e.long, used)
			}
			used[e.short] = true
		}
	}
	// Clusters: one run per directory (the root has its fixed area) and
	// per file, in order.
	clusters := 2
	dirBytes := func(d string) int {
		n := 0
		for _, e := range dirs[d] {
			n += 32
			if e.long != e.short {
				n += 32 * ((len(utf16.Encode([]rune(e.long))) + 12) / 13)
			}
		}
		if d != "" {
			n += 64 // . and ..
		}
		return n + 32 // room for the end marker
	}
	first := map[string]int{}
	for _, d := range order[1:] {
		first[d] = clusters
		clusters += max(1, (dirBytes(d)+fatCluster-1)/fatCluster)
	}
	for _, d := range order {
		for _, e := range dirs[d] {
			if e.dir {
				e.cluster = first[path.Join(d, e.long)]
			} else if len(e.data) > 0 {
				e.cluster = clusters
				clusters += (len(e.data) + fatCluster - 1) / fatCluster
			}
		}
	}
	const reserved, rootEntries = 1, 512
	count := clusters - 2 + 16 // some free room, as a formatted volume has
	if count >= 4085 {
		panic("formats: too much for a FAT12 volume")
	}
	fatSectors := ((count+2)*3/2 + fatSector) / fatSector
	rootSectors := rootEntries * 32 / fatSector
	dataStart := reserved + 2*fatSectors + rootSectors
	total := dataStart + count*fatCluster/fatSector
	v := make([]byte, total*fatSector)
	le := binary.LittleEndian
	b := v[:fatSector]
	copy(b, []byte{0xEB, 0x3C, 0x90})
	copy(b[3:], "MSDOS5.0")
	le.PutUint16(b[11:], fatSector)
	b[13] = fatCluster / fatSector
	le.PutUint16(b[14:], reserved)
	b[16] = 2
	le.PutUint16(b[17:], rootEntries)
	if total < 0x10000 {
		le.PutUint16(b[19:], uint16(total))
	} else {
		le.PutUint32(b[32:], uint32(total))
	}
	b[21] = 0xF8
	le.PutUint16(b[22:], uint16(fatSectors))
	b[36], b[38] = 0x80, 0x29
	le.PutUint32(b[39:], 0x4B454E53)
	copy(b[43:54], padRight(strings.ToUpper(label), 11))
	copy(b[54:62], "FAT12   ")
	b[510], b[511] = 0x55, 0xAA
	// The FAT: every run chained, its last cluster ended.
	fat := make([]byte, fatSectors*fatSector)
	set := func(n, val int) { SetFAT12(fat, n, val) }
	set(0, 0xFF8)
	set(1, 0xFFF)
	chain := func(start, n int) {
		for i := range n {
			if i == n-1 {
				set(start+i, 0xFFF)
			} else {
				set(start+i, start+i+1)
			}
		}
	}
	for _, d := range order[1:] {
		chain(first[d], max(1, (dirBytes(d)+fatCluster-1)/fatCluster))
	}
	for _, d := range order {
		for _, e := range dirs[d] {
			if !e.dir && len(e.data) > 0 {
				chain(e.cluster, (len(e.data)+fatCluster-1)/fatCluster)
				copy(v[(dataStart+(e.cluster-2)*fatCluster/fatSector)*fatSector:], e.data)
			}
		}
	}
	copy(v[reserved*fatSector:], fat)
	copy(v[(reserved+fatSectors)*fatSector:], fat)
	// Directories.
	for _, d := range order {
		var out []byte
		if d == "" {
			out = append(out, dirEntry(padRight(strings.ToUpper(label), 11), 0x08, 0, 0)...)
		} else {
			parent := 0
			if p := path.Dir(d); p != "." {
				parent = first[p]
			}
			out = append(out, dirEntry(".          ", 0x10, first[d], 0)...)
			out = append(out, dirEntry("..         ", 0x10, parent, 0)...)
		}
		for _, e := range dirs[d] {
			raw := shortRaw(e.short)
			if e.long != e.short {
				out = append(out, longEntries(e.long, raw)...)
			}
			attr := byte(0x20)
			if e.dir {
				attr = 0x10
			}
			if e.hidden {
				attr |= 0x02
			}
			out = append(out, dirEntry(raw, attr, e.cluster, len(e.data))...)
		}
		at := (reserved + 2*fatSectors) * fatSector
		if d != "" {
			at = (dataStart + (first[d]-2)*fatCluster/fatSector) * fatSector
		}
		copy(v[at:], out)
	}
	return v
}

// SetFAT12 sets the 12-bit entry of cluster n in a FAT (tests damage
// chains with it).
func SetFAT12(fat []byte, n, val int) {
	i := n * 3 / 2
	if n&1 == 0 {
		fat[i] = byte(val)
		fat[i+1] = fat[i+1]&0xF0 | byte(val>>8)&0x0F
	} else {
		fat[i] = fat[i]&0x0F | byte(val<<4)
		fat[i+1] = byte(val >> 4)
	}
}

func padRight(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s + strings.Repeat(" ", n-len(s))
}

// shortName derives an 8.3 name ("NAME.EXT") from a long one.
func shortName(long string, used map[string]bool) string {
	clean := func(s string, n int) string {
		var b strings.Builder
		for _, r := range strings.ToUpper(s) {
			if b.Len() == n {
				break
			}
			switch {
			case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("$%'-_@~`!(){}^#&", r):
				b.WriteRune(r)
			case r == ' ' || r == '.':
			default:
				b.WriteRune('_')
			}
		}
		return b.String()
	}
	base, ext := long, ""
	if i := strings.LastIndexByte(long, '.'); i > 0 {
		base, ext = long[:i], long[i+1:]
	}
	b, e := clean(base, 8), clean(ext, 3)
	name := b
	if e != "" {
		name += "." + e
	}
	if name == strings.ToUpper(long) && !used[name] { // fits 8.3 as it is
		return name
	}
	for i := 1; ; i++ {
		suffix := "~" + string(rune('0'+i%10))
		n := b[:min(len(b), 8-len(suffix))] + suffix
		if e != "" {
			n += "." + e
		}
		if !used[n] {
			return n
		}
	}
}

// shortRaw is an 8.3 name as its 11 directory bytes.
func shortRaw(short string) string {
	base, ext := short, ""
	if i := strings.LastIndexByte(short, '.'); i > 0 {
		base, ext = short[:i], short[i+1:]
	}
	return padRight(base, 8) + padRight(ext, 3)
}

func dirEntry(raw string, attr byte, cluster, size int) []byte {
	e := make([]byte, 32)
	copy(e, raw)
	e[11] = attr
	le := binary.LittleEndian
	le.PutUint16(e[20:], uint16(cluster>>16))
	le.PutUint16(e[22:], 0x6000) // 12:00
	le.PutUint16(e[24:], 0x5A21) // 2025-01-01
	le.PutUint16(e[26:], uint16(cluster))
	le.PutUint32(e[28:], uint32(size))
	return e
}

// longEntries are the long-name entries of name, last piece first, each
// carrying the checksum of the short name they precede.
func longEntries(name, raw string) []byte {
	u := utf16.Encode([]rune(name))
	if len(u)%13 != 0 {
		u = append(u, 0)
		for len(u)%13 != 0 {
			u = append(u, 0xFFFF)
		}
	}
	var sum byte
	for i := range 11 {
		sum = (sum&1)<<7 + sum>>1 + raw[i]
	}
	n := len(u) / 13
	var out []byte
	for i := n; i >= 1; i-- {
		e := make([]byte, 32)
		e[0] = byte(i)
		if i == n {
			e[0] |= 0x40
		}
		e[11], e[13] = 0x0F, sum
		for j, o := range []int{1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30} {
			binary.LittleEndian.PutUint16(e[o:], u[(i-1)*13+j])
		}
		out = append(out, e...)
	}
	return out
}

// Partitioned is a disk of 512-byte sectors holding volume as its one
// partition, at sector 2048 as Windows places it: with an MBR, or with a
// protective MBR and a GPT (primary and backup). badPrimary damages the
// primary GPT's header checksum, so that only the backup is valid.
func Partitioned(volume []byte, gpt, badPrimary bool) []byte {
	const start = 2048
	sectors := (len(volume) + 511) / 512
	total := (start + sectors + 34 + 2047) / 2048 * 2048 // room for the backup GPT, in whole MiB as Windows sizes disks
	d := make([]byte, total*512)
	copy(d[start*512:], volume)
	le := binary.LittleEndian
	e := d[446:]
	if !gpt {
		e[4] = 0x01 // FAT12
		le.PutUint32(e[8:], start)
		le.PutUint32(e[12:], uint32(sectors))
		d[510], d[511] = 0x55, 0xAA
		return d
	}
	e[4] = 0xEE
	le.PutUint32(e[8:], 1)
	le.PutUint32(e[12:], uint32(total-1))
	d[510], d[511] = 0x55, 0xAA
	entries := make([]byte, 128*128)
	basic := guid("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7") // basic data
	copy(entries, basic[:])
	unique := guid("4B454E53-4100-4B45-4E53-41434F525055")
	copy(entries[16:], unique[:])
	le.PutUint64(entries[32:], start)
	le.PutUint64(entries[40:], uint64(start+sectors-1))
	copy(entries[56:], cryptkeys.UTF16LE("Basic data partition"))
	header := func(self, backup, entriesAt uint64) []byte {
		h := make([]byte, 92)
		copy(h, "EFI PART")
		le.PutUint32(h[8:], 0x00010000)
		le.PutUint32(h[12:], 92)
		le.PutUint64(h[24:], self)
		le.PutUint64(h[32:], backup)
		le.PutUint64(h[40:], 34)
		le.PutUint64(h[48:], uint64(total-34))
		disk := guid("4B454E53-4100-4B45-4E53-4449534B3031")
		copy(h[56:], disk[:])
		le.PutUint64(h[72:], entriesAt)
		le.PutUint32(h[80:], 128)
		le.PutUint32(h[84:], 128)
		le.PutUint32(h[88:], crc32.ChecksumIEEE(entries))
		le.PutUint32(h[16:], crc32.ChecksumIEEE(h))
		return h
	}
	last := uint64(total - 1)
	primary := header(1, last, 2)
	if badPrimary {
		primary[16] ^= 0xFF
	}
	copy(d[512:], primary)
	copy(d[2*512:], entries)
	copy(d[(total-33)*512:], entries)
	copy(d[last*512:], header(last, 1, uint64(total-33)))
	return d
}

// guid is a GUID as Windows stores it (first three fields little-endian).
func guid(s string) [16]byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 {
		panic("formats: bad GUID " + s)
	}
	g := [16]byte(b)
	slices.Reverse(g[0:4])
	slices.Reverse(g[4:6])
	slices.Reverse(g[6:8])
	return g
}

// vhdFooter is a VHD footer for a disk of size bytes of type t (2 fixed,
// 3 dynamic), its dynamic header at 512 for a dynamic one.
func vhdFooter(size int64, t uint32) []byte {
	f := make([]byte, 512)
	be := binary.BigEndian
	copy(f, "conectix")
	be.PutUint32(f[8:], 2)
	be.PutUint32(f[12:], 0x00010000)
	be.PutUint64(f[16:], 0xFFFFFFFFFFFFFFFF)
	if t == 3 {
		be.PutUint64(f[16:], 512)
	}
	copy(f[28:], "ksna")
	be.PutUint32(f[32:], 0x00010000)
	copy(f[36:], "Wi2k")
	be.PutUint64(f[40:], uint64(size))
	be.PutUint64(f[48:], uint64(size))
	cyl := size / 512 / 16 / 63
	be.PutUint16(f[56:], uint16(min(cyl, 65535)))
	f[58], f[59] = 16, 63
	be.PutUint32(f[60:], t)
	copy(f[68:], "KENSA-CORPUS-VHD")
	var sum uint32
	for _, c := range f {
		sum += uint32(c)
	}
	be.PutUint32(f[64:], ^sum)
	return f
}

// VHDFixed is disk as a fixed VHD: its bytes, then the footer.
func VHDFixed(disk []byte) []byte {
	return append(slices.Clone(disk), vhdFooter(int64(len(disk)), 2)...)
}

// VHDDynamic is disk as a dynamic VHD with 2 MiB blocks: a footer copy,
// the dynamic header, the block table, the blocks that hold anything
// (each with its sector bitmap, all set), and the footer.
func VHDDynamic(disk []byte) []byte {
	const block = 2 << 20
	const bitmap = 512
	be := binary.BigEndian
	blocks := (len(disk) + block - 1) / block
	tableLen := (blocks*4 + 511) / 512 * 512
	out := vhdFooter(int64(len(disk)), 3)
	h := make([]byte, 1024)
	copy(h, "cxsparse")
	be.PutUint64(h[8:], 0xFFFFFFFFFFFFFFFF)
	be.PutUint64(h[16:], 1536)
	be.PutUint32(h[24:], 0x00010000)
	be.PutUint32(h[28:], uint32(blocks))
	be.PutUint32(h[32:], block)
	var sum uint32
	for _, c := range h {
		sum += uint32(c)
	}
	be.PutUint32(h[36:], ^sum)
	out = append(out, h...)
	table := bytes.Repeat([]byte{0xFF}, tableLen)
	var data []byte
	next := (1536 + tableLen) / 512
	for i := range blocks {
		chunk := disk[i*block : min(len(disk), (i+1)*block)]
		if bytes.Count(chunk, []byte{0}) == len(chunk) {
			continue
		}
		be.PutUint32(table[4*i:], uint32(next))
		full := make([]byte, bitmap+block)
		for j := range bitmap {
			full[j] = 0xFF
		}
		copy(full[bitmap:], chunk)
		data = append(data, full...)
		next += (bitmap + block) / 512
	}
	out = append(out, table...)
	out = append(out, data...)
	return append(out, vhdFooter(int64(len(disk)), 3)...)
}

// VHDX is disk as a VHDX (MS-VHDX) with 1 MiB blocks and 512-byte
// sectors: the file identifier, two headers, two region tables, the
// metadata region at 1 MiB, an empty log at 2 MiB, the block table at
// 3 MiB, then the blocks that hold anything.
func VHDX(disk []byte) []byte {
	const mb = 1 << 20
	const block = mb
	le := binary.LittleEndian
	// A whole number of blocks: 7-Zip refuses a VHDX of another size.
	disk = append(slices.Clone(disk), make([]byte, (block-len(disk)%block)%block)...)
	blocks := len(disk) / block
	chunk := (1 << 23) * 512 / block
	entries := blocks + blocks/chunk + 1
	batLen := (entries*8 + mb - 1) / mb * mb
	out := make([]byte, 3*mb+batLen)
	copy(out, "vhdxfile")
	copy(out[16:], cryptkeys.UTF16LE("Kensa corpus"))
	castagnoli := crc32.MakeTable(crc32.Castagnoli)
	seal := func(b []byte) { le.PutUint32(b[4:], crc32.Checksum(b, castagnoli)) }
	for i, at := range []int{64 << 10, 128 << 10} {
		h := out[at : at+4096]
		copy(h, "head")
		le.PutUint64(h[8:], uint64(i+1))
		le.PutUint16(h[66:], 1)    // version
		le.PutUint32(h[68:], mb)   // log length
		le.PutUint64(h[72:], 2*mb) // log offset (empty: no log GUID)
		seal(h)
	}
	for _, at := range []int{192 << 10, 256 << 10} {
		r := out[at : at+64<<10]
		copy(r, "regi")
		le.PutUint32(r[8:], 2)
		bat := guid("2DC27766-F623-4200-9D64-115E9BFD4A08")
		meta := guid("8B7CA206-4790-4B9A-B8FE-575F050F886E")
		copy(r[16:], bat[:])
		le.PutUint64(r[32:], 3*mb)
		le.PutUint32(r[40:], uint32(batLen))
		le.PutUint32(r[44:], 1)
		copy(r[48:], meta[:])
		le.PutUint64(r[64:], mb)
		le.PutUint32(r[72:], mb)
		le.PutUint32(r[76:], 1)
		seal(r)
	}
	m := out[mb : 2*mb]
	copy(m, "metadata")
	id := guid("4B454E53-4100-4B45-4E53-564844583031")
	items := []struct {
		id    string
		data  []byte
		flags uint32 // 4 required, 2 about the virtual disk
	}{
		{"CAA16737-FA36-4D43-B3B6-33F0AA44E76B", le.AppendUint32(le.AppendUint32(nil, block), 0), 4},
		{"2FA54224-CD1B-4876-B211-5DBED83BF4B8", le.AppendUint64(nil, uint64(len(disk))), 6},
		{"BECA12AB-B2E6-4523-93EF-C309E000C746", id[:], 6}, // page 83 data: the disk's identifier
		{"8141BF1D-A96F-4709-BA47-F233A8FAAB5F", le.AppendUint32(nil, 512), 6},
		{"CDA348C7-445D-4471-9CC9-E9885251C556", le.AppendUint32(nil, 512), 6},
	}
	le.PutUint16(m[10:], uint16(len(items)))
	off := 64 << 10
	for i, it := range items {
		e := m[32+32*i:]
		id := guid(it.id)
		copy(e, id[:])
		le.PutUint32(e[16:], uint32(off))
		le.PutUint32(e[20:], uint32(len(it.data)))
		le.PutUint32(e[24:], it.flags)
		copy(m[off:], it.data)
		off += len(it.data)
	}
	bat := out[3*mb:]
	for i := range blocks {
		c := disk[i*block : min(len(disk), (i+1)*block)]
		if bytes.Count(c, []byte{0}) == len(c) {
			continue
		}
		le.PutUint64(bat[8*(i+i/chunk):], uint64(len(out))|6)
		full := make([]byte, block)
		copy(full, c)
		out = append(out, full...)
		bat = out[3*mb:]
	}
	return out
}
