package formats

import (
	"encoding/binary"
	"fmt"
	"unicode/utf16"
)

// ISOFile is a file in the root directory of an ISO image, under up to
// three names: ISO (the ISO 9660 identifier, "" to leave it out of the
// primary tree), RockRidge (an NM entry in the primary tree, what Linux
// shows; "" for none) and Joliet (the name in the Joliet tree, what Windows
// shows; "" to leave it out of that tree).
type ISOFile struct {
	ISO, RockRidge, Joliet string
	Data                   []byte
}

// ISO is an ISO 9660 image with a primary tree and, when any file has a
// Joliet name, a Joliet tree (ECMA-119, Joliet, SUSP/Rock Ridge NM). The
// sectors: system area, the volume descriptors (primary, Joliet's when it
// has one, terminator), the path tables, the root directories, then the
// file data; an image of ISO names only is the plain ISO 9660 of a
// Windows-era burner.
func ISO(label string, files ...ISOFile) []byte {
	const sec = 2048
	le := binary.LittleEndian
	joliet, rockRidge := false, false
	for _, f := range files {
		joliet = joliet || f.Joliet != ""
		rockRidge = rockRidge || f.RockRidge != ""
	}
	// Sectors are numbered in order from the one after the system area and
	// the primary descriptor; take gives the next one to a part the image has.
	next := uint32(17)
	take := func(used bool) uint32 {
		if !used {
			return 0
		}
		next++
		return next - 1
	}
	jSVD := take(joliet)
	termSec := take(true)
	pathL, pathM := take(true), take(true)
	jPathL, jPathM := take(joliet), take(joliet)
	rootSec := take(true)
	jRootSec := take(joliet)
	starts := make([]uint32, len(files))
	for i, f := range files {
		starts[i] = next
		next += uint32(max((len(f.Data)+sec-1)/sec, 1))
	}
	img := make([]byte, int(next)*sec)
	both32 := func(b []byte, v uint32) { le.PutUint32(b, v); binary.BigEndian.PutUint32(b[4:], v) }
	both16 := func(b []byte, v uint16) { le.PutUint16(b, v); binary.BigEndian.PutUint16(b[2:], v) }
	record := func(id []byte, extent, size uint32, dir bool, su []byte) []byte {
		n := 33 + len(id)
		if n%2 == 1 {
			n++
		}
		n += len(su)
		if n%2 == 1 {
			n++
		}
		r := make([]byte, n)
		r[0] = byte(n)
		both32(r[2:], extent)
		both32(r[10:], size)
		r[18], r[19], r[20], r[21], r[22] = 126, 11, 2, 9, 30 // 2026-11-02 09:30 UTC
		if dir {
			r[25] = 2
		}
		both16(r[28:], 1)
		r[32] = byte(len(id))
		copy(r[33:], id)
		copy(r[33+len(id)+(1-len(id)%2):], su)
		return r
	}
	ucs2 := func(s string) []byte {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = binary.BigEndian.AppendUint16(b, u)
		}
		return b
	}
	nm := func(name string) []byte {
		if name == "" {
			return nil
		}
		return append([]byte{'N', 'M', byte(5 + len(name)), 1, 0}, name...)
	}
	// Primary tree: with Rock Ridge names, "." carries the SUSP indicator,
	// so Linux looks for Rock Ridge entries.
	var sp []byte
	if rockRidge {
		sp = []byte{'S', 'P', 7, 1, 0xBE, 0xEF, 0}
	}
	dir := record([]byte{0}, rootSec, sec, true, sp)
	dir = append(dir, record([]byte{1}, rootSec, sec, true, nil)...)
	jdir := record([]byte{0}, jRootSec, sec, true, nil)
	jdir = append(jdir, record([]byte{1}, jRootSec, sec, true, nil)...)
	for i, f := range files {
		if f.ISO != "" {
			dir = append(dir, record([]byte(f.ISO+";1"), starts[i], uint32(len(f.Data)), false, nm(f.RockRidge))...)
		}
		if f.Joliet != "" {
			jdir = append(jdir, record(ucs2(f.Joliet+";1"), starts[i], uint32(len(f.Data)), false, nil)...)
		}
	}
	if len(dir) > sec || len(jdir) > sec {
		panic("formats.ISO: root directory over one sector")
	}
	descriptor := func(vd []byte, typ byte, root uint32, pl, pm uint32, id []byte) {
		vd[0] = typ
		copy(vd[1:], "CD001")
		vd[6] = 1
		for i := 8; i < 72; i++ {
			vd[i] = ' '
		}
		copy(vd[8:], "KENSA")
		copy(vd[40:72], id)
		both32(vd[80:], next)
		both16(vd[120:], 1)
		both16(vd[124:], 1)
		both16(vd[128:], sec)
		both32(vd[132:], 10)
		le.PutUint32(vd[140:], pl)
		binary.BigEndian.PutUint32(vd[148:], pm)
		copy(vd[156:], record([]byte{0}, root, sec, true, nil))
		for i := 190; i < 813; i++ {
			vd[i] = ' '
		}
		for _, off := range []int{813, 830, 847, 864} {
			copy(vd[off:], "0000000000000000")
		}
		vd[881] = 1
	}
	descriptor(img[16*sec:], 1, rootSec, pathL, pathM, []byte(fmt.Sprintf("%-32s", label)))
	if joliet {
		vd := img[jSVD*sec:]
		descriptor(vd, 2, jRootSec, jPathL, jPathM, ucs2(fmt.Sprintf("%-16s", label)))
		copy(vd[88:], "%/E")
	}
	term := img[termSec*sec:]
	term[0] = 255
	copy(term[1:], "CD001")
	term[6] = 1
	type pathTable struct {
		sec   uint32
		order binary.ByteOrder
		root  uint32
	}
	tables := []pathTable{{pathL, le, rootSec}, {pathM, binary.BigEndian, rootSec}}
	if joliet {
		tables = append(tables, pathTable{jPathL, le, jRootSec}, pathTable{jPathM, binary.BigEndian, jRootSec})
	}
	for _, p := range tables {
		b := img[p.sec*sec:]
		b[0] = 1
		p.order.PutUint32(b[2:], p.root)
		p.order.PutUint16(b[6:], 1)
	}
	copy(img[rootSec*sec:], dir)
	if joliet {
		copy(img[jRootSec*sec:], jdir)
	}
	for i, f := range files {
		copy(img[int(starts[i])*sec:], f.Data)
	}
	return img
}
