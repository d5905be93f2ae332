package formats

import "fmt"

// TarV7 is a pre-POSIX tar archive (Unix V7 headers): no "ustar" magic, no
// owner names, only the checksum to tell it from other data. Old tools
// and some scripts still write it, and tar, 7-Zip and WinRAR read it.
func TarV7(files ...File) []byte {
	var out []byte
	for _, f := range files {
		h := make([]byte, 512)
		copy(h, f.Name)
		copy(h[100:], "0000644\x00")
		copy(h[108:], "0001750\x00")
		copy(h[116:], "0001750\x00")
		copy(h[124:], fmt.Sprintf("%011o\x00", len(f.Data)))
		copy(h[136:], fmt.Sprintf("%011o\x00", 1793611800)) // 2026-11-02 09:30 UTC
		h[156] = '0'
		sum := 0
		for i, c := range h {
			if i >= 148 && i < 156 {
				c = ' '
			}
			sum += int(c)
		}
		copy(h[148:], fmt.Sprintf("%06o\x00 ", sum))
		out = append(out, h...)
		out = append(out, f.Data...)
		if pad := len(f.Data) % 512; pad != 0 {
			out = append(out, make([]byte, 512-pad)...)
		}
	}
	return append(out, make([]byte, 1024)...)
}
