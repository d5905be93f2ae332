package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
)

// The partitions of a virtual disk and the file systems on them, as
// Windows mounts them: an MBR (with its extended partitions), a GPT (the
// primary and its backup at the disk's end: Windows uses the backup when
// the primary is damaged, so both are read), or a "superfloppy", a file
// system from the first sector on. FAT12/16/32 volumes are read by fat.go,
// exFAT ones by exfat.go, NTFS ones by ntfs.go; a volume in another file
// system Windows mounts (ReFS) is unsupported-container.

const (
	diskMaxVolumes  = 64  // partitions read on one disk
	diskMaxLogical  = 64  // extended-partition links followed
	gptMaxEntries   = 256 // partition entries of one GPT
	gptMaxEntrySize = 4096
)

// volume is a partition: its place on the disk, in bytes.
type volume struct {
	start, size int64
}

// readDisk reads every volume of d and adds the files on them.
func (c *container) readDisk(d vdisk) error {
	vols := diskVolumes(d)
	var errs []error
	for i, v := range vols {
		if c.w.expired() {
			c.w.stop(c.part, ReasonTime, "unpacking took longer than "+c.w.lim.Timeout.String())
			return errStop
		}
		prefix := ""
		if len(vols) > 1 {
			prefix = fmt.Sprintf("partition%d/", i+1)
		}
		r := io.NewSectionReader(d.r, v.start, v.size)
		boot := make([]byte, 512)
		if n, _ := r.ReadAt(boot, 0); n < len(boot) || bytes.Count(boot, []byte{0}) == len(boot) {
			continue // never formatted: nothing Windows shows
		}
		var err error
		switch {
		case string(boot[3:11]) == "NTFS    ":
			err = c.readNTFS(r, prefix)
		case string(boot[3:11]) == "EXFAT   ":
			err = c.readExFAT(r, prefix)
		case fatBoot(boot):
			err = c.readFAT(r, prefix)
		default:
			err = errors.Join(errUnsupported, fmt.Errorf("unpack: volume %d of a disk image in a file system Kensa does not read", i+1))
		}
		if errors.Is(err, errStop) {
			return err
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// diskVolumes lists the volumes of d: the whole disk when its first sector
// is a file system's boot sector, else the partitions its MBR and GPTs list.
func diskVolumes(d vdisk) []volume {
	sector := d.sector
	mbr := make([]byte, 512)
	if n, _ := d.r.ReadAt(mbr, 0); n < len(mbr) {
		return nil
	}
	if fatBoot(mbr) || string(mbr[3:11]) == "NTFS    " || string(mbr[3:11]) == "EXFAT   " {
		return []volume{{0, d.size}}
	}
	var vols []volume
	add := func(first, count int64) {
		v := volume{first * sector, count * sector}
		if first <= 0 || count <= 0 || v.start >= d.size || len(vols) >= diskMaxVolumes || slices.Contains(vols, v) {
			return
		}
		v.size = min(v.size, d.size-v.start)
		vols = append(vols, v)
	}
	if mbr[510] == 0x55 && mbr[511] == 0xAA {
		le := binary.LittleEndian
		for i := range 4 {
			e := mbr[446+16*i:]
			switch e[4] {
			case 0:
			case 0xEE: // protective: the GPT below
			case 0x05, 0x0F, 0x85:
				mbrLogical(d, sector, int64(le.Uint32(e[8:])), add)
			default:
				add(int64(le.Uint32(e[8:])), int64(le.Uint32(e[12:])))
			}
		}
	}
	// A GPT is read wherever it is found, protective MBR or not.
	gpt(d, sector, sector, add)
	if last := d.size/sector - 1; last > 1 {
		gpt(d, sector, last*sector, add)
	}
	return vols
}

// mbrLogical follows the chain of extended boot records from ext (in
// sectors), adding the logical partition each holds.
func mbrLogical(d vdisk, sector, ext int64, add func(first, count int64)) {
	le := binary.LittleEndian
	ebr := make([]byte, 512)
	at := ext
	for range diskMaxLogical {
		if n, _ := d.r.ReadAt(ebr, at*sector); n < len(ebr) || ebr[510] != 0x55 || ebr[511] != 0xAA {
			return
		}
		if ebr[446+4] != 0 {
			add(at+int64(le.Uint32(ebr[446+8:])), int64(le.Uint32(ebr[446+12:])))
		}
		next := ebr[446+16:]
		if next[4] == 0 || le.Uint32(next[8:]) == 0 {
			return
		}
		at = ext + int64(le.Uint32(next[8:]))
	}
}

// gpt adds the partitions of the GPT whose header is at the byte offset
// at, if its header and entries have good CRCs, as Windows requires.
func gpt(d vdisk, sector, at int64, add func(first, count int64)) {
	le := binary.LittleEndian
	h := make([]byte, 92)
	if n, _ := d.r.ReadAt(h, at); n < len(h) || string(h[:8]) != "EFI PART" {
		return
	}
	size := int(le.Uint32(h[12:]))
	if size < 92 || size > 512 {
		return
	}
	h = make([]byte, size)
	if n, _ := d.r.ReadAt(h, at); n < len(h) {
		return
	}
	want := le.Uint32(h[16:])
	clear(h[16:20])
	if crc32.ChecksumIEEE(h) != want {
		return
	}
	entriesAt, count, esize := int64(le.Uint64(h[72:])), int64(le.Uint32(h[80:])), int64(le.Uint32(h[84:]))
	if count > gptMaxEntries || esize < 128 || esize > gptMaxEntrySize || esize%8 != 0 || entriesAt <= 0 || entriesAt > d.size/sector {
		return
	}
	entries := make([]byte, count*esize)
	if n, _ := d.r.ReadAt(entries, entriesAt*sector); n < len(entries) || crc32.ChecksumIEEE(entries) != le.Uint32(h[88:]) {
		return
	}
	for i := range count {
		e := entries[i*esize:]
		if bytes.Equal(e[:16], make([]byte, 16)) {
			continue
		}
		first, last := int64(le.Uint64(e[32:])), int64(le.Uint64(e[40:]))
		if last >= first {
			add(first, last-first+1)
		}
	}
}
