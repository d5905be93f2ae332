package unpack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf16"
)

// FAT12, FAT16 and FAT32 volumes (Microsoft's FAT specification), read
// as Windows reads them: the type from the count of clusters alone, the
// first FAT (or FAT32's active one), long names where their checksum
// matches the short entry they precede (else the short name, NT's
// lower-case flags applied). Every file and directory is read; a file is
// its directory entry's size along its cluster chain. Chains are followed
// to the first cluster seen twice, so loops end; a chain that loops, ends
// early or leaves the volume is corrupt-archive.

const (
	fatMaxTable    = 16 << 20 // bytes of FAT read (4 M FAT32 clusters; counted as expanded bytes)
	fatMaxDirBytes = 2 << 20  // a directory: 65536 entries of 32 bytes, as Windows allows
	fatMaxDepth    = 32
	fatMaxEntries  = 100_000  // directory entries read on one volume
	fatMaxDirTotal = 64 << 20 // directory bytes read on one volume
)

// fatBoot says whether a boot sector holds a FAT BIOS parameter block.
func fatBoot(b []byte) bool {
	if len(b) < 512 || (b[0] != 0xEB && b[0] != 0xE9) {
		return false
	}
	le := binary.LittleEndian
	bps, spc := le.Uint16(b[11:]), b[13]
	return (bps == 512 || bps == 1024 || bps == 2048 || bps == 4096) &&
		spc != 0 && spc&(spc-1) == 0 && le.Uint16(b[14:]) != 0 && b[16] != 0 &&
		(le.Uint16(b[19:]) != 0 || le.Uint32(b[32:]) != 0)
}

type fatVolume struct {
	r        io.ReaderAt
	bits     int // 12, 16 or 32
	fat      []byte
	clusters int64 // data clusters: 2 .. clusters+1
	csize    int64 // bytes per cluster
	data     int64 // byte offset of cluster 2
	rootAt   int64 // FAT12/16: the root directory's offset and size
	rootSize int64
	root     uint32          // FAT32: the root directory's first cluster
	entries  int             // directory entries read
	dirBytes int64           // directory bytes read
	seen     map[uint32]bool // directories read, by first cluster
}

// readFAT adds the files of the FAT volume r, under prefix.
func (c *container) readFAT(r io.ReaderAt, prefix string) error {
	v, err := fatOpen(r, c.budget)
	if err != nil {
		return err
	}
	if v.bits == 32 {
		dir, err := v.chain(v.root, 0, fatMaxDirBytes)
		if err != nil {
			return fmt.Errorf("fat: root directory: %w", err)
		}
		return v.walk(c, dir, prefix, 0)
	}
	return v.walk(c, []extent{{v.rootAt, v.rootSize}}, prefix, 0)
}

// fatOpen reads the boot sector and the FAT, whose bytes budget counts
// against the message's expanded bytes (false: unpacking must stop).
func fatOpen(r io.ReaderAt, budget func(int64) bool) (*fatVolume, error) {
	b := make([]byte, 512)
	if _, err := r.ReadAt(b, 0); err != nil {
		return nil, fmt.Errorf("fat: boot sector: %w", err)
	}
	le := binary.LittleEndian
	bps := int64(le.Uint16(b[11:]))
	spc := int64(b[13])
	reserved := int64(le.Uint16(b[14:]))
	nfats := int64(b[16])
	rootEntries := int64(le.Uint16(b[17:]))
	total := int64(le.Uint16(b[19:]))
	if total == 0 {
		total = int64(le.Uint32(b[32:]))
	}
	fatSize := int64(le.Uint16(b[22:]))
	if fatSize == 0 {
		fatSize = int64(le.Uint32(b[36:]))
	}
	rootSectors := (rootEntries*32 + bps - 1) / bps
	dataStart := reserved + nfats*fatSize + rootSectors
	if fatSize == 0 || dataStart >= total {
		return nil, errors.New("fat: no room for data after the FATs")
	}
	v := &fatVolume{r: r, csize: bps * spc, data: dataStart * bps, seen: map[uint32]bool{}}
	v.clusters = (total - dataStart) / spc
	switch {
	case v.clusters < 4085:
		v.bits = 12
	case v.clusters < 65525:
		v.bits = 16
	default:
		v.bits = 32
	}
	fatAt := reserved * bps
	if v.bits == 32 {
		v.root = le.Uint32(b[44:])
		if flags := le.Uint16(b[40:]); flags&0x80 != 0 { // mirroring off: one active FAT
			fatAt += int64(flags&0x0F) * fatSize * bps
		}
	} else {
		v.rootAt, v.rootSize = (reserved+nfats*fatSize)*bps, rootEntries*32
	}
	need := (v.clusters + 2) * int64(v.bits) / 8
	if need > fatMaxTable || need > fatSize*bps+1 {
		return nil, fmt.Errorf("fat: a FAT of %d bytes for %d clusters", fatSize*bps, v.clusters)
	}
	if !budget(need) {
		return nil, errStop
	}
	v.fat = make([]byte, need+1)
	if n, _ := r.ReadAt(v.fat[:need], fatAt); int64(n) < need {
		return nil, errors.New("fat: the FAT lies outside the volume")
	}
	return v, nil
}

// next is the FAT entry of cluster n.
func (v *fatVolume) next(n uint32) uint32 {
	switch v.bits {
	case 12:
		i := int(n) * 3 / 2
		e := uint32(binary.LittleEndian.Uint16(v.fat[i:]))
		if n&1 != 0 {
			return e >> 4
		}
		return e & 0xFFF
	case 16:
		return uint32(binary.LittleEndian.Uint16(v.fat[2*n:]))
	}
	return binary.LittleEndian.Uint32(v.fat[4*n:]) & 0x0FFFFFFF
}

// end says whether a FAT entry ends a chain.
func (v *fatVolume) end(e uint32) bool {
	switch v.bits {
	case 12:
		return e >= 0xFF8
	case 16:
		return e >= 0xFFF8
	}
	return e >= 0x0FFFFFF8
}

// extent is a run of bytes of the volume.
type extent struct{ at, size int64 }

// chain lists the extents of the chain from cluster first: size bytes of
// it, or the whole chain up to limit bytes when size is 0 (a directory).
func (v *fatVolume) chain(first uint32, size, limit int64) ([]extent, error) {
	var out []extent
	want := size
	if want == 0 {
		want = limit
	}
	n := first
	seen := map[uint32]bool{}
	for got := int64(0); got < want; {
		if n < 2 || int64(n) >= v.clusters+2 {
			if v.end(n) {
				return out, fmt.Errorf("fat: cluster chain ends after %d of %d bytes", got, want)
			}
			return out, fmt.Errorf("fat: cluster %d outside the volume after %d bytes", n, got)
		}
		if seen[n] {
			return out, fmt.Errorf("fat: cluster chain loops back to cluster %d", n)
		}
		seen[n] = true
		at := v.data + int64(n-2)*v.csize
		take := min(v.csize, want-got)
		if k := len(out); k > 0 && out[k-1].at+out[k-1].size == at {
			out[k-1].size += take
		} else {
			out = append(out, extent{at, take})
		}
		got += take
		if got >= want {
			break
		}
		n = v.next(n)
		if v.end(n) && size == 0 {
			break
		}
	}
	return out, nil
}

// reader reads the extents in turn.
func (v *fatVolume) reader(es []extent) io.Reader {
	rs := make([]io.Reader, len(es))
	for i, e := range es {
		rs[i] = io.NewSectionReader(v.r, e.at, e.size)
	}
	return io.MultiReader(rs...)
}

// walk reads the directory in es and what is under it.
func (v *fatVolume) walk(c *container, es []extent, dir string, depth int) error {
	if depth > fatMaxDepth {
		return fmt.Errorf("fat: directories nested deeper than %d", fatMaxDepth)
	}
	var size int64
	for _, e := range es {
		size += e.size
	}
	if v.dirBytes += size; v.dirBytes > fatMaxDirTotal {
		return fmt.Errorf("fat: more than %d bytes of directories", fatMaxDirTotal)
	}
	raw := make([]byte, size)
	if _, err := io.ReadFull(v.reader(es), raw); err != nil {
		return fmt.Errorf("fat: directory %q: %w", cleanName(dir), err)
	}
	var long []uint16 // the long name gathered so far, and its checksum
	var sum byte
	var errs []error
	for i := 0; i+32 <= len(raw); i += 32 {
		e := raw[i : i+32]
		if e[0] == 0 {
			break
		}
		if v.entries++; v.entries > fatMaxEntries {
			return fmt.Errorf("fat: more than %d directory entries", fatMaxEntries)
		}
		if e[0] == 0xE5 { // deleted
			long = nil
			continue
		}
		attr := e[11]
		if attr&0x3F == 0x0F { // a piece of a long name
			if e[0]&0x40 != 0 {
				long, sum = nil, e[13]
			}
			if e[13] != sum {
				long = nil
				continue
			}
			var part []uint16
			for _, o := range []int{1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30} {
				part = append(part, binary.LittleEndian.Uint16(e[o:]))
			}
			long = append(part, long...) // the pieces come last first
			continue
		}
		name := fatShortName(e)
		if long != nil && fatChecksum(e[:11]) == sum {
			name = fatLongName(long)
		}
		long = nil
		if attr&0x08 != 0 || name == "." || name == ".." {
			continue // the volume label, and links to this and the parent directory
		}
		first := uint32(binary.LittleEndian.Uint16(e[26:]))
		if v.bits == 32 {
			first |= uint32(binary.LittleEndian.Uint16(e[20:])) << 16
		}
		full := path.Join(dir, name)
		if attr&0x10 != 0 {
			if v.seen[first] { // a directory listed twice, or under itself
				continue
			}
			v.seen[first] = true
			sub, err := v.chain(first, 0, fatMaxDirBytes)
			if err == nil {
				err = v.walk(c, sub, full, depth+1)
			}
			if errors.Is(err, errStop) {
				return err
			}
			if err != nil {
				errs = append(errs, err)
			}
			continue
		}
		fsize := int64(binary.LittleEndian.Uint32(e[28:]))
		var r io.Reader = strings.NewReader("")
		if fsize > 0 {
			es, err := v.chain(first, fsize, 0)
			if err != nil {
				c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: disk image %q: file %q: %v", c.part.Path, cleanName(full), err))
			}
			r = v.reader(es)
		}
		p, err := c.member(full, r, fsize)
		if errors.Is(err, errStop) {
			return err
		}
		if short := fatShortName(e); p != nil && !strings.EqualFold(short, name) {
			addAltName(p, short) // the name DOS and a `dir /x` show
		}
	}
	return errors.Join(errs...)
}

// fatShortName is an 8.3 entry's name as Windows shows it.
func fatShortName(e []byte) string {
	base := strings.TrimRight(string(e[:8]), " ")
	ext := strings.TrimRight(string(e[8:11]), " ")
	if base != "" && base[0] == 0x05 { // a first byte of 0xE5 is stored as 0x05
		base = "\xe5" + base[1:]
	}
	if e[12]&0x08 != 0 {
		base = strings.ToLower(base)
	}
	if e[12]&0x10 != 0 {
		ext = strings.ToLower(ext)
	}
	if ext == "" {
		return base
	}
	return base + "." + ext
}

// fatLongName is a long name's UTF-16 up to its NUL (the rest is padding).
func fatLongName(u []uint16) string {
	for i, r := range u {
		if r == 0 {
			u = u[:i]
			break
		}
	}
	return string(utf16.Decode(u))
}

// fatChecksum is the checksum of an 8.3 name that its long name carries.
func fatChecksum(name []byte) byte {
	var s byte
	for _, b := range name {
		s = (s&1)<<7 + s>>1 + b
	}
	return s
}
