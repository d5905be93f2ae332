package unpack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path"

	"github.com/kensa-milter/kensa/message"
)

// UDF (ECMA-167 as profiled by OSTA UDF 1.02-2.01), read from the anchor
// at sector 256: the partition and logical volume descriptors, the file
// set descriptor, then File Entries and Extended File Entries with short,
// long or embedded allocation. Windows shows the UDF tree of a UDF or
// UDF-bridge disc, so on a bridge image its names join the ISO 9660 and
// Joliet ones (iso.go). Metadata partitions (UDF 2.50 and later) are not
// read: such an image is unsupported-container, by name. Our own reader:
// no maintained Go library reads UDF.

const (
	udfAnchorSector = 256
	maxUDFDescs     = 64  // volume descriptors read
	maxUDFExtents   = 256 // allocation descriptors per file
)

var errUDFMetadata = errors.New("udf: metadata partition (UDF 2.50 or later) not read")

// udfVolume is what the volume descriptors say.
type udfVolume struct {
	b         []byte
	block     int64
	partStart int64 // partition 0's first sector, in bytes
	fsd       int64 // file set descriptor, logical block
	dirs      int
}

// udfTag reads a descriptor tag: its identifier, or -1 when b is too short.
func udfTag(b []byte) int {
	if len(b) < 16 {
		return -1
	}
	return int(binary.LittleEndian.Uint16(b))
}

// walkUDF adds the UDF tree's files to r under treeUDF. found is false
// when the image has no readable UDF volume.
func (r *isoReader) walkUDF(c *container) (found bool, err error) {
	v := &udfVolume{b: r.b, block: isoSector}
	anchor := udfAnchorSector * isoSector
	if anchor+isoSector > len(r.b) || udfTag(r.b[anchor:]) != 2 {
		return false, nil
	}
	le := binary.LittleEndian
	vdsLen := int64(le.Uint32(r.b[anchor+16:]))
	vdsLoc := int64(le.Uint32(r.b[anchor+20:])) * isoSector
	havePart, haveLV := false, false
	for i := int64(0); i < min(vdsLen/isoSector, maxUDFDescs); i++ {
		off := vdsLoc + i*isoSector
		if off < 0 || off+isoSector > int64(len(r.b)) {
			break
		}
		d := r.b[off : off+isoSector]
		switch udfTag(d) {
		case 5: // partition descriptor: the first one found is partition 0
			if !havePart {
				v.partStart = int64(le.Uint32(d[188:])) * isoSector
				havePart = true
			}
		case 6: // logical volume descriptor
			v.block = int64(le.Uint32(d[212:]))
			v.fsd = int64(le.Uint32(d[252:]))
			nmaps := int(le.Uint32(d[268:]))
			maps := d[440:]
			for m := 0; m < nmaps && len(maps) >= 2; m++ {
				if maps[0] == 2 {
					return false, errors.Join(errUnsupported, errUDFMetadata)
				}
				n := int(maps[1])
				if n < 2 || n > len(maps) {
					break
				}
				maps = maps[n:]
			}
			haveLV = true
		case 8: // terminating descriptor
			i = maxUDFDescs
		}
	}
	if !havePart || !haveLV {
		return false, nil
	}
	if v.block != isoSector {
		return false, fmt.Errorf("udf: logical block size %d", v.block)
	}
	fsd, ok := v.blockAt(v.fsd)
	if !ok || udfTag(fsd) != 256 {
		return false, errors.New("udf: no file set descriptor")
	}
	root := int64(le.Uint32(fsd[404:]))
	return true, r.udfDir(c, v, root, "", 0, map[int64]bool{})
}

// blockAt is logical block n of partition 0.
func (v *udfVolume) blockAt(n int64) ([]byte, bool) {
	off := v.partStart + n*v.block
	if n < 0 || off < 0 || off+v.block > int64(len(v.b)) {
		return nil, false
	}
	return v.b[off : off+v.block], true
}

// udfExtent is a run of a file's bytes in the image (absolute offset).
type udfExtent struct{ start, size int64 }

// udfEntry reads a File Entry or Extended File Entry: its file type, its
// length, and where its bytes are (embedded: the entry's own bytes).
func (v *udfVolume) udfEntry(lbn int64) (ftype byte, length int64, exts []udfExtent, err error) {
	fe, ok := v.blockAt(lbn)
	if !ok {
		return 0, 0, nil, fmt.Errorf("udf: file entry at block %d outside the image", lbn)
	}
	le := binary.LittleEndian
	var lEA, lAD, adStart int
	switch udfTag(fe) {
	case 261:
		lEA, lAD = int(le.Uint32(fe[168:])), int(le.Uint32(fe[172:]))
		adStart = 176 + lEA
	case 266:
		lEA, lAD = int(le.Uint32(fe[208:])), int(le.Uint32(fe[212:]))
		adStart = 216 + lEA
	default:
		return 0, 0, nil, fmt.Errorf("udf: no file entry at block %d", lbn)
	}
	ftype = fe[16+11]
	length = int64(le.Uint64(fe[56:]))
	if lEA < 0 || lAD < 0 || adStart+lAD > len(fe) || adStart < 0 {
		return 0, 0, nil, fmt.Errorf("udf: bad file entry at block %d", lbn)
	}
	ads := fe[adStart : adStart+lAD]
	feOff := v.partStart + lbn*v.block
	switch le.Uint16(fe[16+18:]) & 7 { // ICB tag flags: allocation type
	case 3: // embedded
		return ftype, min(length, int64(lAD)), []udfExtent{{feOff + int64(adStart), min(length, int64(lAD))}}, nil
	case 0, 1: // short_ad (8 bytes) or long_ad (16 bytes)
		size := 8
		if le.Uint16(fe[16+18:])&7 == 1 {
			size = 16
		}
		left := length
		for len(ads) >= size && left > 0 && len(exts) < maxUDFExtents {
			n := int64(le.Uint32(ads) & 0x3FFFFFFF)
			kind := le.Uint32(ads) >> 30
			pos := int64(le.Uint32(ads[4:]))
			ads = ads[size:]
			if n == 0 {
				break
			}
			n = min(n, left)
			if kind == 0 { // recorded and allocated
				exts = append(exts, udfExtent{v.partStart + pos*v.block, n})
			} else {
				exts = append(exts, udfExtent{-1, n}) // not recorded: zeros
			}
			left -= n
		}
		return ftype, length, exts, nil
	}
	return 0, 0, nil, fmt.Errorf("udf: extended allocation descriptors at block %d not read", lbn)
}

// udfDir lists a directory's File Identifier Descriptors.
func (r *isoReader) udfDir(c *container, v *udfVolume, lbn int64, dir string, depth int, seen map[int64]bool) error {
	v.dirs++
	if depth > maxISODirDepth || v.dirs > maxISODirs || seen[lbn] {
		if seen[lbn] {
			return nil
		}
		return fmt.Errorf("udf: more than %d directories or nested deeper than %d", maxISODirs, maxISODirDepth)
	}
	seen[lbn] = true
	_, length, exts, err := v.udfEntry(lbn)
	if err != nil {
		return err
	}
	data, err := v.gather(exts, min(length, 16<<20))
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	for i := 0; i+38 <= len(data); {
		if c.w.stopped || c.w.expired() {
			return errStop
		}
		if udfTag(data[i:]) != 257 {
			return fmt.Errorf("udf: bad file identifier in %q", cleanPath(dir))
		}
		chars := data[i+18]
		lFI := int(data[i+19])
		icb := int64(le.Uint32(data[i+20+4:]))
		lIU := int(le.Uint16(data[i+36:]))
		end := i + 38 + lIU + lFI
		if end > len(data) {
			return fmt.Errorf("udf: bad file identifier in %q", cleanPath(dir))
		}
		name := udfName(data[i+38+lIU : end])
		i = (end + 3) &^ 3
		if chars&(8|4) != 0 || name == "" { // parent, deleted
			continue
		}
		if chars&2 != 0 {
			if err := r.udfDir(c, v, icb, path.Join(dir, name), depth+1, seen); err != nil {
				return err
			}
			continue
		}
		_, flen, fexts, err := v.udfEntry(icb)
		if err != nil {
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: udf %q: %q: %v", c.part.Path, cleanName(name), err))
			continue
		}
		var start int64 = -1
		if len(fexts) == 1 && fexts[0].start >= 0 {
			start = fexts[0].start // one extent: the same bytes an ISO tree may name
		}
		f := r.file(c, start, flen)
		if f == nil {
			return nil
		}
		if start < 0 {
			f.udfExts = fexts
		}
		if len(f.joliet)+len(f.linux)+len(f.udf) < 16 {
			f.udf = append(f.udf, isoEntry{dir, name, ""})
		}
	}
	return nil
}

// gather reads a file's extents into one buffer, at most max bytes.
func (v *udfVolume) gather(exts []udfExtent, max int64) ([]byte, error) {
	var out []byte
	for _, e := range exts {
		n := min(e.size, max-int64(len(out)))
		if n <= 0 {
			break
		}
		if e.start < 0 {
			out = append(out, make([]byte, n)...)
			continue
		}
		if e.start+n > int64(len(v.b)) {
			return out, errors.New("udf: extent outside the image")
		}
		out = append(out, v.b[e.start:e.start+n]...)
	}
	return out, nil
}

// udfName decodes an OSTA CS0 identifier: a compression byte (8: one byte
// per character, 16: UTF-16 big-endian), then the characters.
func udfName(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	switch b[0] {
	case 8:
		r := make([]rune, 0, len(b)-1)
		for _, c := range b[1:] {
			r = append(r, rune(c))
		}
		return string(r)
	case 16:
		return message.UTF16BE(b[1:])
	}
	return ""
}
