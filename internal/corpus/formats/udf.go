package formats

import (
	"encoding/binary"
	"unicode/utf16"

	"github.com/kensa-milter/kensa/internal/crc16"
)

// UDF is a UDF 1.02 image (ECMA-167, OSTA profile) with the files in its
// root directory: the volume recognition sequence, an anchor at sector 256,
// primary, partition, logical volume and terminating descriptors, then in
// the partition a file set descriptor, the root's file entry and
// identifiers, and one file entry per file (data embedded when it fits,
// else in blocks after it). Names are written as OSTA CS0 (8-bit when they
// fit, else UTF-16).
func UDF(label string, files ...File) []byte {
	const sec = 2048
	const partStart = 264
	le := binary.LittleEndian
	// Partition blocks: 0 FSD, 1 root FE, 2 root directory, 3.. file FEs
	// and their data.
	type placed struct {
		fe, data uint32 // data 0: embedded
		blocks   uint32
	}
	next := uint32(3)
	pl := make([]placed, len(files))
	for i, f := range files {
		pl[i].fe = next
		next++
		if len(f.Data) > sec-176-8 {
			pl[i].data = next
			pl[i].blocks = uint32((len(f.Data) + sec - 1) / sec)
			next += pl[i].blocks
		}
	}
	total := partStart + next + 1
	img := make([]byte, int(total)*sec)
	for i, id := range []string{"BEA01", "NSR02", "TEA01"} {
		vsd := img[(16+i)*sec:]
		copy(vsd[1:], id)
		vsd[6] = 1
	}
	tag := func(d []byte, id uint16, loc uint32, crcLen int) {
		le.PutUint16(d[0:], id)
		le.PutUint16(d[2:], 2)
		le.PutUint16(d[6:], 1)
		le.PutUint16(d[8:], crc16.Checksum(d[16:16+crcLen]))
		le.PutUint16(d[10:], uint16(crcLen))
		le.PutUint32(d[12:], loc)
		sum := byte(0)
		for i := 0; i < 16; i++ {
			if i != 4 {
				sum += d[i]
			}
		}
		d[4] = sum
	}
	dstring := func(d []byte, s string) { // a fixed-size CS0 field, its length in the last byte
		cs := cs0(s)
		n := copy(d[:len(d)-1], cs)
		d[len(d)-1] = byte(n)
	}
	regid := func(d []byte, id string) { copy(d[1:24], id) }
	// Anchor: main and reserve sequences both at 257, four sectors long.
	avdp := img[256*sec:]
	le.PutUint32(avdp[16:], 4*sec)
	le.PutUint32(avdp[20:], 257)
	le.PutUint32(avdp[24:], 4*sec)
	le.PutUint32(avdp[28:], 257)
	tag(avdp, 2, 256, 512-16)
	pvd := img[257*sec:]
	dstring(pvd[24:56], label)
	le.PutUint16(pvd[72:], 1) // volume sequence number
	le.PutUint16(pvd[74:], 1) // maximum
	le.PutUint16(pvd[76:], 2) // interchange level
	le.PutUint16(pvd[78:], 2)
	tag(pvd, 1, 257, 512-16)
	pd := img[258*sec:]
	le.PutUint32(pd[16:], 1)
	le.PutUint16(pd[20:], 1)
	regid(pd[24:56], "+NSR02")
	le.PutUint32(pd[184:], 1) // read-only
	le.PutUint32(pd[188:], partStart)
	le.PutUint32(pd[192:], next+1)
	tag(pd, 5, 258, 512-16)
	lvd := img[259*sec:]
	le.PutUint32(lvd[16:], 2)
	lvd[20] = 0 // CS0
	dstring(lvd[84:212], label)
	le.PutUint32(lvd[212:], sec)
	regid(lvd[216:248], "*OSTA UDF Compliant")
	le.PutUint16(lvd[216+24:], 0x0102)
	le.PutUint32(lvd[248:], sec) // FSD: one block at 0 in partition 0
	le.PutUint32(lvd[264:], 6)
	le.PutUint32(lvd[268:], 1)
	copy(lvd[440:], []byte{1, 6, 1, 0, 0, 0})
	tag(lvd, 6, 259, 440+6-16)
	tag(img[260*sec:], 8, 260, 512-16)
	part := func(lbn uint32) []byte { return img[(partStart+lbn)*sec:] }
	fsd := part(0)
	le.PutUint16(fsd[28:], 3)
	le.PutUint16(fsd[30:], 3)
	le.PutUint32(fsd[32:], 1)
	le.PutUint32(fsd[36:], 1)
	dstring(fsd[112:240], label)
	le.PutUint32(fsd[400:], sec) // root directory ICB
	le.PutUint32(fsd[404:], 1)
	regid(fsd[416:448], "*OSTA UDF Compliant")
	tag(fsd, 256, 0, 512-16)
	fileEntry := func(lbn uint32, ftype byte, length int, ad []byte, embedded bool) {
		fe := part(lbn)
		le.PutUint16(fe[20:], 4) // strategy 4
		le.PutUint16(fe[24:], 1)
		fe[27] = ftype
		flags := uint16(0) // short_ad
		if embedded {
			flags = 3
		}
		le.PutUint16(fe[34:], flags)
		le.PutUint32(fe[36:], 0xFFFFFFFF)
		le.PutUint32(fe[40:], 0xFFFFFFFF)
		le.PutUint32(fe[44:], 0x14A5) // r-x for all, w for owner
		le.PutUint16(fe[48:], 1)
		le.PutUint64(fe[56:], uint64(length))
		le.PutUint64(fe[64:], uint64((length+sec-1)/sec))
		regid(fe[128:160], "*Kensa corpus")
		le.PutUint64(fe[160:], uint64(lbn))
		le.PutUint32(fe[172:], uint32(len(ad)))
		copy(fe[176:], ad)
		tag(fe, 261, lbn, 176+len(ad)-16)
	}
	fid := func(chars byte, icb uint32, name string) []byte {
		id := cs0(name)
		if name == "" {
			id = nil
		}
		d := make([]byte, (38+len(id)+3)&^3)
		le.PutUint16(d[16:], 1)
		d[18] = chars
		d[19] = byte(len(id))
		le.PutUint32(d[20:], sec)
		le.PutUint32(d[24:], icb)
		copy(d[38:], id)
		tag(d, 257, 2, len(d)-16)
		return d
	}
	dir := fid(0x0A, 1, "") // the parent of the root is the root
	for i, f := range files {
		dir = append(dir, fid(0, pl[i].fe, f.Name)...)
	}
	copy(part(2), dir)
	shortAD := func(n int, lbn uint32) []byte {
		return le.AppendUint32(le.AppendUint32(nil, uint32(n)), lbn)
	}
	fileEntry(1, 4, len(dir), shortAD(len(dir), 2), false)
	for i, f := range files {
		if pl[i].data == 0 {
			fileEntry(pl[i].fe, 5, len(f.Data), f.Data, true)
			continue
		}
		copy(part(pl[i].data), f.Data)
		fileEntry(pl[i].fe, 5, len(f.Data), shortAD(len(f.Data), pl[i].data), false)
	}
	return img
}

// cs0 is an OSTA compressed Unicode identifier.
func cs0(s string) []byte {
	narrow := true
	for _, r := range s {
		narrow = narrow && r < 256
	}
	if narrow {
		out := []byte{8}
		for _, r := range s {
			out = append(out, byte(r))
		}
		return out
	}
	out := []byte{16}
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.BigEndian.AppendUint16(out, u)
	}
	return out
}
