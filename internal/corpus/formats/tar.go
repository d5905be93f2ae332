package formats

import (
	"fmt"
	"strconv"
)

// TarV7 is a pre-POSIX tar archive (Unix V7 headers): no "ustar" magic, no
// owner names, only the checksum to tell it from other data. Old tools
// and some scripts still write it, and tar, 7-Zip and WinRAR read it.
func TarV7(files ...File) []byte {
	entries := make([]TarEntry, len(files))
	for i, f := range files {
		entries[i] = TarEntry{Name: f.Name, Type: '0', Data: f.Data, Magic: "\x00\x00\x00\x00\x00\x00\x00\x00"}
	}
	return Tar(entries...)
}

// TarEntry is one header block and its data, written as given, so that
// archives can carry what tar writers never write: a PAX path beside a
// GNU long name, an unusual type flag. Magic is the ustar magic and
// version ("ustar\x0000" when empty; "ustar  \x00" is GNU's).
type TarEntry struct {
	Name  string
	Type  byte
	Data  []byte
	Magic string
}

// PAX is the data of a PAX extended header ('x' or 'g') holding the
// records key=value, in order.
func PAX(kv ...string) []byte {
	var out []byte
	for i := 0; i+1 < len(kv); i += 2 {
		rec := " " + kv[i] + "=" + kv[i+1] + "\n"
		n := len(rec) + 1
		for len(strconv.Itoa(n))+len(rec) != n {
			n++
		}
		out = append(out, strconv.Itoa(n)+rec...)
	}
	return out
}

// Tar is a tar archive of the entries and the two zero blocks that end it.
func Tar(entries ...TarEntry) []byte {
	var out []byte
	for _, e := range entries {
		h := make([]byte, 512)
		copy(h, e.Name)
		copy(h[100:], "0000644\x00")
		copy(h[108:], "0001750\x00")
		copy(h[116:], "0001750\x00")
		copy(h[124:], fmt.Sprintf("%011o\x00", len(e.Data)))
		copy(h[136:], fmt.Sprintf("%011o\x00", 1793611800)) // 2026-11-02 09:30 UTC
		h[156] = e.Type
		magic := e.Magic
		if magic == "" {
			magic = "ustar\x0000"
		}
		copy(h[257:], magic)
		sum := 0
		for i, c := range h {
			if i >= 148 && i < 156 {
				c = ' '
			}
			sum += int(c)
		}
		copy(h[148:], fmt.Sprintf("%06o\x00 ", sum))
		out = append(out, h...)
		out = append(out, e.Data...)
		if pad := len(e.Data) % 512; pad != 0 {
			out = append(out, make([]byte, 512-pad)...)
		}
	}
	return append(out, make([]byte, 1024)...)
}
