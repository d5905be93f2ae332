package unpack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"unicode/utf16"
)

// exFAT volumes (Microsoft's exFAT file system specification), read as
// Windows reads them: the main boot region, or its backup when the main
// one's checksum fails; the active FAT; the allocation bitmap and the
// up-case table the root directory names; every directory entry set (a
// file entry, its stream extension, its name entries), its checksum and
// name hash checked. A file is its stream extension's valid data length
// read along its clusters (one run when the NoFatChain flag is set, else
// its FAT chain), then zeros up to its data length, as Windows returns
// them. Chains are followed through fat.go's chain walk, so loops end; a
// set that lies about its length, a bad checksum or name hash, a cluster
// the bitmap marks free, and a chain that loops, ends early or leaves the
// volume are corrupt-archive; the file is still read as far as it goes.

const (
	exfatMaxDirBytes = 8 << 20 // one directory: 262144 entries
	exfatMaxUpcase   = 128 << 10
)

// exfatVolume is an exFAT volume: fat.go's cluster walk (32-bit FAT) and
// what exFAT adds.
type exfatVolume struct {
	*fatVolume
	bitmap []byte
	upcase map[uint16]uint16
	c      *container
}

// readExFAT adds the files of the exFAT volume r, under prefix.
func (c *container) readExFAT(r io.ReaderAt, prefix string) error {
	v, err := exfatOpen(r, c)
	if err != nil {
		return err
	}
	root, err := v.chain(v.root, 0, exfatMaxDirBytes)
	if err != nil {
		return fmt.Errorf("exfat: root directory: %w", err)
	}
	raw, err := v.dir(root, prefix)
	if err != nil {
		return err
	}
	if err := v.meta(raw); err != nil {
		return err
	}
	return v.walk(raw, prefix, 0)
}

// exfatBoot finds a boot region whose checksum holds: the main one, else
// the backup (sector 12 on), as Windows does.
func exfatBoot(r io.ReaderAt) ([]byte, error) {
	at := []int64{0}
	for shift := range 4 {
		at = append(at, 12<<(9+shift)) // the backup, at sector 12 of each sector size
	}
	for _, off := range at {
		b := make([]byte, 512)
		if _, err := r.ReadAt(b, off); err != nil {
			continue
		}
		shift := b[108]
		if string(b[3:11]) != "EXFAT   " || shift < 9 || shift > 12 || off != 0 && off != 12<<shift {
			continue
		}
		bps := int64(1) << shift
		region := make([]byte, 12*bps)
		if _, err := r.ReadAt(region, off); err != nil {
			continue
		}
		var sum uint32
		for i, c := range region[:11*bps] {
			if i != 106 && i != 107 && i != 112 {
				sum = (sum&1)<<31 + sum>>1 + uint32(c)
			}
		}
		if binary.LittleEndian.Uint32(region[11*bps:]) == sum {
			return region[:512], nil
		}
	}
	return nil, errors.New("exfat: no boot region whose checksum holds")
}

func exfatOpen(r io.ReaderAt, c *container) (*exfatVolume, error) {
	b, err := exfatBoot(r)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	bpsShift, spcShift, nfats := uint(b[108]), uint(b[109]), int64(b[110])
	fatAt, fatLen := int64(le.Uint32(b[80:])), int64(le.Uint32(b[84:]))
	heapAt, clusters := int64(le.Uint32(b[88:])), int64(le.Uint32(b[92:]))
	if bpsShift+spcShift > 25 || nfats < 1 || nfats > 2 || fatAt < 24 || clusters < 1 {
		return nil, fmt.Errorf("exfat: bad boot sector (cluster shift %d, %d FATs, FAT at sector %d, %d clusters)", bpsShift+spcShift, nfats, fatAt, clusters)
	}
	if nfats == 2 && le.Uint16(b[106:])&1 != 0 { // the second FAT is the active one
		fatAt += fatLen
	}
	need := (clusters + 2) * 4
	if need > fatMaxTable || need > fatLen<<bpsShift {
		return nil, fmt.Errorf("exfat: a FAT of %d bytes for %d clusters", fatLen<<bpsShift, clusters)
	}
	if !c.budget(need) {
		return nil, errStop
	}
	v := &fatVolume{r: r, bits: 32, clusters: clusters, csize: 1 << (bpsShift + spcShift), data: heapAt << bpsShift,
		root: le.Uint32(b[96:]), seen: map[uint32]bool{}, fat: make([]byte, need+1)}
	if n, _ := r.ReadAt(v.fat[:need], fatAt<<bpsShift); int64(n) < need {
		return nil, errors.New("exfat: the FAT lies outside the volume")
	}
	return &exfatVolume{fatVolume: v, c: c}, nil
}

// dir reads a directory's bytes, counting them against the volume's
// directory bytes.
func (v *exfatVolume) dir(es []extent, name string) ([]byte, error) {
	var size int64
	for _, e := range es {
		size += e.size
	}
	if v.dirBytes += size; v.dirBytes > fatMaxDirTotal {
		return nil, fmt.Errorf("exfat: more than %d bytes of directories", fatMaxDirTotal)
	}
	raw := make([]byte, size)
	if _, err := io.ReadFull(v.reader(es), raw); err != nil {
		return nil, fmt.Errorf("exfat: directory %q: %w", cleanName(name), err)
	}
	return raw, nil
}

// meta reads the allocation bitmap and the up-case table the root
// directory names.
func (v *exfatVolume) meta(root []byte) error {
	le := binary.LittleEndian
	for i := 0; i+32 <= len(root) && root[i] != 0; i += 32 {
		e := root[i : i+32]
		first, size := le.Uint32(e[20:]), int64(le.Uint64(e[24:]))
		switch {
		case e[0] == 0x81 && v.bitmap == nil && e[1]&1 == 0: // the first FAT's bitmap
			if size < (v.clusters+7)/8 || size > fatMaxTable {
				return fmt.Errorf("exfat: an allocation bitmap of %d bytes for %d clusters", size, v.clusters)
			}
			es, err := v.chain(first, size, 0)
			if err != nil {
				return fmt.Errorf("exfat: allocation bitmap: %w", err)
			}
			if !v.c.budget(size) {
				return errStop
			}
			v.bitmap = make([]byte, size)
			if _, err := io.ReadFull(v.reader(es), v.bitmap); err != nil {
				return fmt.Errorf("exfat: allocation bitmap: %w", err)
			}
		case e[0] == 0x82 && v.upcase == nil:
			if size < 2 || size > exfatMaxUpcase || size%2 != 0 {
				return fmt.Errorf("exfat: an up-case table of %d bytes", size)
			}
			es, err := v.chain(first, size, 0)
			if err != nil {
				return fmt.Errorf("exfat: up-case table: %w", err)
			}
			t := make([]byte, size)
			if _, err := io.ReadFull(v.reader(es), t); err != nil {
				return fmt.Errorf("exfat: up-case table: %w", err)
			}
			var sum uint32
			for _, c := range t {
				sum = (sum&1)<<31 + sum>>1 + uint32(c)
			}
			if sum != le.Uint32(e[4:]) {
				return errors.New("exfat: the up-case table's checksum fails")
			}
			v.upcase = map[uint16]uint16{}
			for i, c := 0, 0; i+2 <= len(t) && c < 0x10000; i += 2 {
				u := le.Uint16(t[i:])
				if u == 0xFFFF && i+4 <= len(t) { // a run of characters that map to themselves
					c += int(le.Uint16(t[i+2:]))
					i += 2
					continue
				}
				if u != uint16(c) {
					v.upcase[uint16(c)] = u
				}
				c++
			}
		}
	}
	if v.bitmap == nil || v.upcase == nil {
		return errors.New("exfat: the root directory lacks the allocation bitmap or the up-case table")
	}
	return nil
}

// walk reads the entry sets of a directory and what is under it.
func (v *exfatVolume) walk(raw []byte, dir string, depth int) error {
	if depth > fatMaxDepth {
		return fmt.Errorf("exfat: directories nested deeper than %d", fatMaxDepth)
	}
	le := binary.LittleEndian
	var errs []error
	for i := 0; i+32 <= len(raw); i += 32 {
		t := raw[i]
		if t == 0 {
			break // the end of the directory
		}
		if t != 0x85 {
			continue // unused entries, the volume's own, and secondaries of no set
		}
		if v.entries++; v.entries > fatMaxEntries {
			return fmt.Errorf("exfat: more than %d directory entries", fatMaxEntries)
		}
		n := int(raw[i+1])
		if n < 2 || n > 18 || i+32*(n+1) > len(raw) {
			errs = append(errs, fmt.Errorf("exfat: directory %q: an entry set of %d secondary entries at byte %d", cleanName(dir), n, i))
			continue
		}
		set := raw[i : i+32*(n+1)]
		i += 32 * n
		stream := set[32:64]
		names := (int(stream[3]) + 14) / 15
		if stream[0] != 0xC0 || stream[3] == 0 || names > n-1 {
			errs = append(errs, fmt.Errorf("exfat: directory %q: an entry set without its stream extension or names", cleanName(dir)))
			continue
		}
		var u []uint16
		for k := range names {
			e := set[64+32*k:]
			if e[0] != 0xC1 {
				break
			}
			for j := 0; j < 15; j++ {
				u = append(u, le.Uint16(e[2+2*j:]))
			}
		}
		if len(u) < int(stream[3]) {
			errs = append(errs, fmt.Errorf("exfat: directory %q: a name of %d characters in %d", cleanName(dir), stream[3], len(u)))
			continue
		}
		u = u[:stream[3]]
		name := string(utf16.Decode(u))
		full := path.Join(dir, name)
		var sum uint16
		for k, b := range set {
			if k != 2 && k != 3 {
				sum = (sum&1)<<15 + sum>>1 + uint16(b)
			}
		}
		if sum != le.Uint16(set[2:]) {
			errs = append(errs, fmt.Errorf("exfat: %q: the entry set's checksum fails", cleanName(full)))
		}
		if h := v.nameHash(u); h != le.Uint16(stream[4:]) {
			errs = append(errs, fmt.Errorf("exfat: %q: the name hash fails", cleanName(full)))
		}
		err := v.entry(set, stream, full, depth)
		if errors.Is(err, errStop) {
			return err
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// entry reads one file or directory of an entry set.
func (v *exfatVolume) entry(set, stream []byte, full string, depth int) error {
	le := binary.LittleEndian
	first := le.Uint32(stream[20:])
	valid, size := le.Uint64(stream[8:]), le.Uint64(stream[24:])
	contiguous := stream[1]&2 != 0
	if valid > size || size > 1<<62 {
		return fmt.Errorf("exfat: %q: valid data length %d, data length %d", cleanName(full), valid, size)
	}
	if le.Uint16(set[4:])&0x10 != 0 {
		if v.seen[first] { // a directory listed twice, or under itself
			return nil
		}
		v.seen[first] = true
		if size > exfatMaxDirBytes {
			return fmt.Errorf("exfat: directory %q of %d bytes", cleanName(full), size)
		}
		es, err := v.extents(first, int64(size), contiguous, full)
		if err != nil {
			return err
		}
		raw, err := v.dir(es, full)
		if err != nil {
			return err
		}
		return v.walk(raw, full, depth+1)
	}
	var r io.Reader = io.LimitReader(zeros{}, int64(size-valid))
	var cerr error
	if valid > 0 {
		var es []extent
		es, cerr = v.extents(first, int64(valid), contiguous, full)
		r = io.MultiReader(v.reader(es), r)
	}
	if cerr != nil {
		v.c.w.problem(v.c.part, ReasonCorrupt, fmt.Sprintf("unpack: disk image %q: %v", v.c.part.Path, cerr))
	}
	_, err := v.c.member(full, r, int64(min(size, 1<<40)))
	if errors.Is(err, errStop) {
		return err
	}
	return nil
}

// extents lists the extents of size bytes from cluster first: one run, or
// the FAT chain; every cluster must be marked in use in the bitmap.
func (v *exfatVolume) extents(first uint32, size int64, contiguous bool, name string) ([]extent, error) {
	if size == 0 {
		return nil, nil
	}
	var es []extent
	if contiguous {
		n := (size + v.csize - 1) / v.csize
		if first < 2 || int64(first)-2+n > v.clusters {
			return nil, fmt.Errorf("exfat: %q: %d clusters from cluster %d leave the volume", cleanName(name), n, first)
		}
		es = []extent{{v.data + int64(first-2)*v.csize, size}}
	} else {
		var err error
		if es, err = v.chain(first, size, 0); err != nil {
			return es, fmt.Errorf("exfat: %q: %w", cleanName(name), err)
		}
	}
	for _, e := range es {
		for at := e.at; at < e.at+e.size; at += v.csize {
			k := (at - v.data) / v.csize
			if v.bitmap[k/8]&(1<<(k%8)) == 0 {
				return es, fmt.Errorf("exfat: %q uses cluster %d, which the allocation bitmap marks free", cleanName(name), k+2)
			}
		}
	}
	return es, nil
}

// nameHash is the hash of the up-cased name a stream extension carries.
func (v *exfatVolume) nameHash(name []uint16) uint16 {
	var h uint16
	for _, c := range name {
		if u, ok := v.upcase[c]; ok {
			c = u
		}
		h = (h&1)<<15 + h>>1 + c&0xFF
		h = (h&1)<<15 + h>>1 + c>>8
	}
	return h
}
