package formats

import "fmt"

// Cpio is a cpio archive in the portable ASCII format (odc, "070707"), as
// macOS installer payloads and Archive Utility use: regular files, then
// the trailer.
func Cpio(files ...File) []byte {
	var out []byte
	entry := func(name string, mode int, data []byte) {
		out = fmt.Appendf(out, "070707%06o%06o%06o%06o%06o%06o%06o%011o%06o%011o", 0, len(out)%0o777777, mode, 0, 0, 1, 0, 0x6A000000, len(name)+1, len(data))
		out = append(append(append(out, name...), 0), data...)
	}
	for _, f := range files {
		entry(f.Name, 0o100644, f.Data)
	}
	entry("TRAILER!!!", 0, nil)
	return out
}
