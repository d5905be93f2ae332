package unpack

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strings"
)

// Virtual hard disks, which Windows mounts with a double click since
// Windows 8 (and which then carry no Mark-of-the-Web to the files inside):
// VHD (fixed and dynamic) and VHDX. Each is read as the virtual disk it
// describes, through an io.ReaderAt that maps the disk's offsets to the
// file's bytes, so a sparse disk of any declared size costs only what it
// stores; the partitions and file systems on it are read by disk.go.
// Differencing disks need their parent, which a mail does not carry:
// unsupported-container.

const (
	vhdFooterLen  = 512
	vhdFixed      = 2
	vhdDynamic    = 3
	vhdDiffering  = 4
	vhdMaxBAT     = 1 << 22 // block table entries (8 TiB of 2 MiB blocks)
	vhdxMaxBAT    = 1 << 22
	vhdxHeader1   = 64 << 10
	vhdxHeader2   = 128 << 10
	vhdxRegions1  = 192 << 10
	vhdxRegions2  = 256 << 10
	vhdxMaxEntrys = 2047 // region and metadata table entries (MS-VHDX 2.2.3, 2.6.1)
)

// vdisk is a virtual disk: size bytes read through r (never past size),
// in sectors of sector bytes.
type vdisk struct {
	size, sector int64
	r            io.ReaderAt
}

func openVHD(c *container) error {
	d, err := vhdDisk(c.part.Content)
	if err != nil {
		return err
	}
	return c.readDisk(d)
}

// openRawDisk reads a raw disk image, bytes as they are on the disk.
func openRawDisk(c *container) error {
	return c.readDisk(vdisk{size: int64(len(c.part.Content)), sector: 512, r: bytes.NewReader(c.part.Content)})
}

func openVHDX(c *container) error {
	d, logged, err := vhdxDisk(c.part.Content)
	if err != nil {
		return err
	}
	if logged {
		// Windows replays the log when it mounts the disk, which may
		// change any block: what we read is the disk before that.
		c.ambiguous("the VHDX has a log to replay; read as it is before replaying it")
	}
	return c.readDisk(d)
}

// vhdDisk reads a VHD: its footer (at the end; a dynamic disk's copy at
// the start is used when the end is cut), then a fixed disk's bytes or a
// dynamic disk's block table.
func vhdDisk(b []byte) (vdisk, error) {
	if len(b) < vhdFooterLen {
		return vdisk{}, errors.New("vhd: shorter than its footer")
	}
	footer := b[len(b)-vhdFooterLen:]
	if string(footer[:8]) != "conectix" {
		footer = b[:vhdFooterLen]
		if string(footer[:8]) != "conectix" {
			return vdisk{}, errors.New("vhd: no footer")
		}
	}
	be := binary.BigEndian
	size := int64(be.Uint64(footer[48:]))
	if size < 0 {
		return vdisk{}, errors.New("vhd: negative disk size")
	}
	switch t := be.Uint32(footer[60:]); t {
	case vhdFixed:
		data := b[:len(b)-vhdFooterLen]
		return vdisk{size, 512, bytes.NewReader(data[:min(int64(len(data)), size)])}, nil
	case vhdDynamic:
		return vhdDynamicDisk(b, size, int64(be.Uint64(footer[16:])))
	case vhdDiffering:
		return vdisk{}, errors.Join(errUnsupported, errors.New("unpack: differencing VHD (its parent disk is not in the mail)"))
	default:
		return vdisk{}, fmt.Errorf("vhd: disk type %d", t)
	}
}

// vhdSparse is a disk stored in blocks of the same size, some absent
// (read as zeros): a dynamic VHD's and a VHDX's payload.
type vhdSparse struct {
	b      []byte
	size   int64
	block  int64
	offset func(i int64) int64 // file offset of block i's data, -1 when absent
}

func (s *vhdSparse) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("vhd: negative offset")
	}
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= s.size {
			return n, io.EOF
		}
		i := at / s.block
		in := at % s.block
		want := min(int64(len(p)-n), s.block-in, s.size-at)
		dst := p[n : n+int(want)]
		clear(dst)
		if at := s.offset(i); at >= 0 {
			from := at + in
			if from < int64(len(s.b)) {
				copy(dst, s.b[from:min(from+want, int64(len(s.b)))])
			}
		}
		n += int(want)
	}
	return n, nil
}

func vhdDynamicDisk(b []byte, size, headerAt int64) (vdisk, error) {
	if headerAt < 0 || headerAt > int64(len(b))-1024 {
		return vdisk{}, errors.New("vhd: dynamic header outside the file")
	}
	h := b[headerAt:]
	if string(h[:8]) != "cxsparse" {
		return vdisk{}, errors.New("vhd: no dynamic header")
	}
	be := binary.BigEndian
	table := int64(be.Uint64(h[16:]))
	entries := int64(be.Uint32(h[28:]))
	block := int64(be.Uint32(h[32:]))
	if block < 512 || block&(block-1) != 0 || block > 256<<20 {
		return vdisk{}, fmt.Errorf("vhd: block size %d", block)
	}
	if entries > vhdMaxBAT || table < 0 || table > int64(len(b)) || entries*4 > int64(len(b))-table {
		return vdisk{}, fmt.Errorf("vhd: block table of %d entries outside the file", entries)
	}
	// Each block starts with a bitmap of its sectors, padded to a sector.
	bitmap := (block/512/8 + 511) / 512 * 512
	// Blocks are looked up in the file's table as they are read: nothing
	// is allocated by the size a header declares.
	s := &vhdSparse{b: b, size: size, block: block, offset: func(i int64) int64 {
		if i >= entries {
			return -1
		}
		sector := be.Uint32(b[table+i*4:])
		if sector == 0xFFFFFFFF {
			return -1
		}
		return int64(sector)*512 + bitmap
	}}
	// The data itself is read as stored, whatever the bitmap says (as
	// qemu and 7-Zip read a dynamic disk): a sector Windows would read as
	// zeros is only read here too.
	return vdisk{size, 512, s}, nil
}

// GUIDs of the VHDX regions and metadata items (MS-VHDX), as stored
// (the first three fields little-endian).
var (
	vhdxBAT        = msGUID("2DC27766-F623-4200-9D64-115E9BFD4A08")
	vhdxMetadata   = msGUID("8B7CA206-4790-4B9A-B8FE-575F050F886E")
	vhdxFileParams = msGUID("CAA16737-FA36-4D43-B3B6-33F0AA44E76B")
	vhdxDiskSize   = msGUID("2FA54224-CD1B-4876-B211-5DBED83BF4B8")
	vhdxSectorSize = msGUID("8141BF1D-A96F-4709-BA47-F233A8FAAB5F")
)

// msGUID is a GUID's 16 bytes as Windows stores it: its first three
// fields little-endian.
func msGUID(s string) [16]byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 {
		panic("unpack: bad GUID " + s)
	}
	g := [16]byte(b)
	slices.Reverse(g[0:4])
	slices.Reverse(g[4:6])
	slices.Reverse(g[6:8])
	return g
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// vhdxChecked says whether the structure of n bytes at b has a good CRC-32C
// in its 4 bytes at 4 (computed with them zero).
func vhdxChecked(b []byte, n int) bool {
	if len(b) < n {
		return false
	}
	want := binary.LittleEndian.Uint32(b[4:])
	h := crc32.New(castagnoli)
	h.Write(b[:4])
	h.Write(make([]byte, 4))
	h.Write(b[8:n])
	return h.Sum32() == want
}

// vhdxDisk reads a VHDX as Windows does: the valid header with the higher
// sequence number, a valid region table, the metadata's block and disk
// sizes, and the block table. logged is true when the header names a log
// that Windows would replay first.
func vhdxDisk(b []byte) (d vdisk, logged bool, err error) {
	le := binary.LittleEndian
	if len(b) < vhdxRegions2+64<<10 {
		return vdisk{}, false, errors.New("vhdx: shorter than its headers")
	}
	var head []byte
	var seq uint64
	for _, at := range []int{vhdxHeader1, vhdxHeader2} {
		h := b[at : at+4096]
		if string(h[:4]) == "head" && vhdxChecked(h, 4096) && (head == nil || le.Uint64(h[8:]) > seq) {
			head, seq = h, le.Uint64(h[8:])
		}
	}
	if head == nil {
		return vdisk{}, false, errors.New("vhdx: no valid header")
	}
	logged = !bytes.Equal(head[48:64], make([]byte, 16))
	var regions []byte
	for _, at := range []int{vhdxRegions1, vhdxRegions2} {
		r := b[at : at+64<<10]
		if string(r[:4]) == "regi" && vhdxChecked(r, 64<<10) {
			regions = r
			break
		}
	}
	if regions == nil {
		return vdisk{}, logged, errors.New("vhdx: no valid region table")
	}
	n := int(le.Uint32(regions[8:]))
	if n > vhdxMaxEntrys {
		return vdisk{}, logged, fmt.Errorf("vhdx: %d regions", n)
	}
	var bat, meta []byte
	for i := range n {
		e := regions[16+32*i:]
		off, length := int64(le.Uint64(e[16:])), int64(le.Uint32(e[24:]))
		if off < 0 || off > int64(len(b)) || length > int64(len(b))-off {
			return vdisk{}, logged, fmt.Errorf("vhdx: region %d outside the file", i)
		}
		switch [16]byte(e[:16]) {
		case vhdxBAT:
			bat = b[off : off+length]
		case vhdxMetadata:
			meta = b[off : off+length]
		default:
			if le.Uint32(e[28:])&1 != 0 { // a required region we do not know: Windows refuses the disk
				return vdisk{}, logged, errors.New("vhdx: unknown required region")
			}
		}
	}
	if bat == nil || meta == nil {
		return vdisk{}, logged, errors.New("vhdx: no block table or metadata region")
	}
	block, size, sector, parent, err := vhdxMeta(meta)
	if err != nil {
		return vdisk{}, logged, err
	}
	if parent {
		return vdisk{}, logged, errors.Join(errUnsupported, errors.New("unpack: differencing VHDX (its parent disk is not in the mail)"))
	}
	// A sector bitmap entry follows every chunk of payload entries.
	chunk := (int64(1) << 23) * sector / block
	blocks := (size + block - 1) / block
	if blocks > vhdxMaxBAT || chunk < 1 {
		return vdisk{}, logged, fmt.Errorf("vhdx: %d blocks", blocks)
	}
	s := &vhdSparse{b: b, size: size, block: block, offset: func(i int64) int64 {
		j := i + i/chunk
		if i >= blocks || (j+1)*8 > int64(len(bat)) {
			return -1
		}
		e := le.Uint64(bat[j*8:])
		if e&7 != 6 && e&7 != 7 { // fully (or, for a child, partly) present
			return -1
		}
		return int64(e>>20) << 20
	}}
	return vdisk{size, sector, s}, logged, nil
}

// vhdxMeta reads the metadata region's items Kensa needs.
func vhdxMeta(m []byte) (block, size, sector int64, parent bool, err error) {
	le := binary.LittleEndian
	if len(m) < 32 || string(m[:8]) != "metadata" {
		return 0, 0, 0, false, errors.New("vhdx: no metadata table")
	}
	n := int(le.Uint16(m[10:]))
	if n > vhdxMaxEntrys || 32+32*n > len(m) {
		return 0, 0, 0, false, fmt.Errorf("vhdx: %d metadata items", n)
	}
	item := func(id [16]byte, want int) []byte {
		for i := range n {
			e := m[32+32*i:]
			if [16]byte(e[:16]) != id {
				continue
			}
			off, length := int(le.Uint32(e[16:])), int(le.Uint32(e[20:]))
			if length >= want && off >= 0 && off <= len(m)-want {
				return m[off : off+want]
			}
		}
		return nil
	}
	fp, ds, ss := item(vhdxFileParams, 8), item(vhdxDiskSize, 8), item(vhdxSectorSize, 4)
	if fp == nil || ds == nil || ss == nil {
		return 0, 0, 0, false, errors.New("vhdx: metadata lacks the block, disk or sector size")
	}
	block, size, sector = int64(le.Uint32(fp)), int64(le.Uint64(ds)), int64(le.Uint32(ss))
	parent = le.Uint32(fp[4:])&2 != 0
	if block < 1<<20 || block > 256<<20 || block&(block-1) != 0 {
		return 0, 0, 0, false, fmt.Errorf("vhdx: block size %d", block)
	}
	if sector != 512 && sector != 4096 {
		return 0, 0, 0, false, fmt.Errorf("vhdx: sector size %d", sector)
	}
	if size < 0 || size > 64<<40 {
		return 0, 0, 0, false, fmt.Errorf("vhdx: disk size %d", size)
	}
	return block, size, sector, parent, nil
}
