package unpack

import (
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"
)

// Hand-made RAR archives with stored (uncompressed) members, written from
// the published format notes, since there is no free RAR writer.

func vint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func rar5Header(body []byte) []byte {
	h := vint(nil, uint64(len(body)))
	h = append(h, body...)
	return append(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(h)), h...)
}

func rar5Of(entries ...entry) []byte {
	out := []byte("Rar!\x1A\x07\x01\x00")
	out = append(out, rar5Header([]byte{1, 0, 0})...) // main header: type, flags, archive flags
	for _, e := range entries {
		var b []byte
		b = vint(b, 2)                   // file header
		b = vint(b, 0x02)                // data area present
		b = vint(b, uint64(len(e.data))) // data size
		b = vint(b, 0x04)                // file flags: CRC32 present
		b = vint(b, uint64(len(e.data))) // unpacked size
		b = vint(b, 0x20)                // attributes
		b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(e.data))
		b = vint(b, 0) // compression: version 0, store
		b = vint(b, 0) // host OS: Windows
		b = vint(b, uint64(len(e.name)))
		b = append(b, e.name...)
		out = append(out, rar5Header(b)...)
		out = append(out, e.data...)
	}
	return append(out, rar5Header([]byte{5, 0, 0})...)
}

func rar4Header(typ byte, flags uint16, rest []byte) []byte {
	h := []byte{typ}
	h = binary.LittleEndian.AppendUint16(h, flags)
	h = binary.LittleEndian.AppendUint16(h, uint16(7+len(rest)))
	h = append(h, rest...)
	return append(binary.LittleEndian.AppendUint16(nil, uint16(crc32.ChecksumIEEE(h))), h...)
}

func rar4Of(entries ...entry) []byte {
	out := []byte("Rar!\x1A\x07\x00")
	out = append(out, rar4Header(0x73, 0, make([]byte, 6))...)
	for _, e := range entries {
		var b []byte
		b = binary.LittleEndian.AppendUint32(b, uint32(len(e.data))) // packed
		b = binary.LittleEndian.AppendUint32(b, uint32(len(e.data))) // unpacked
		b = append(b, 2)                                             // host OS: Unix
		b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(e.data))
		b = binary.LittleEndian.AppendUint32(b, 0x58210000) // DOS time
		b = append(b, 20, 0x30)                             // version 2.0, store
		b = binary.LittleEndian.AppendUint16(b, uint16(len(e.name)))
		b = binary.LittleEndian.AppendUint32(b, 0x81A4)
		b = append(b, e.name...)
		out = append(out, rar4Header(0x74, 0x8000, b)...)
		out = append(out, e.data...)
	}
	return append(out, rar4Header(0x7B, 0x4000, nil)...)
}

func TestRar(t *testing.T) {
	for name, archive := range map[string][]byte{
		"rar5": rar5Of(entry{"docs/a.txt", []byte(marker)}, entry{"b.zip", zipOf(t, entry{"c.txt", []byte(marker)})}),
		"rar4": rar4Of(entry{"docs/a.txt", []byte(marker)}, entry{"b.zip", zipOf(t, entry{"c.txt", []byte(marker)})}),
	} {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", "x.rar", archive)
			expand(t, m, Options{})
			noProblems(t, m)
			if p := mustPart(t, m, "2/x.rar/docs/a.txt"); string(p.Content) != marker {
				t.Errorf("content %q", p.Content)
			}
			mustPart(t, m, "2/x.rar/b.zip/c.txt")
		})
	}
	t.Run("corrupt", func(t *testing.T) {
		b := rar5Of(entry{"a.txt", []byte(marker)})
		b[len("Rar!\x1A\x07\x01\x00")+20] ^= 0xFF
		m := mail("", "", "x.rar", b)
		expand(t, m, Options{})
		if p := problem(m, ReasonCorrupt); p == nil || !strings.HasPrefix(p.Part, "2") {
			t.Fatalf("want corrupt-archive:\n%s", dump(m))
		}
	})
}
