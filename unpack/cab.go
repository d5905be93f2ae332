package unpack

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Cabinet files (MS-CAB), which Windows Explorer opens as a folder without
// any tool installed: a .cab (or a .diagcab, .themepack, .msu that is one)
// shows its files, and a double click runs them. Stored and MSZIP folders
// are read; Quantum and LZX folders are unsupported-container.
//
// A folder is one compressed stream of CFDATA blocks holding its files one
// after the other; a file is a range of its folder's stream. The folder is
// read through the container's limits as one member would be, and the files
// are cut from it. Files that share bytes are corrupt-archive: honest
// cabinets never do that, and it would let a few bytes count many times.

const (
	cabHeaderLen   = 36
	cabReserve     = 0x0004 // flags: reserved fields present
	cabPrev        = 0x0001 // flags: continued from a previous cabinet
	cabNext        = 0x0002 // flags: continued in a next cabinet
	cabMaxName     = 256    // bytes, the NUL included (MS-CAB 2.4)
	cabMSZIPWindow = 32 << 10
)

type cabFile struct {
	name      string
	size, off int64
	folder    int
}

type cabFolder struct {
	data   int // offset of the first CFDATA
	blocks int
	method int // 0 stored, 1 MSZIP, 2 Quantum, 3 LZX
}

func openCab(c *container) error {
	b := c.part.Content
	if len(b) < cabHeaderLen {
		return errors.New("cab: header cut short")
	}
	le := binary.LittleEndian
	filesAt := int(le.Uint32(b[16:]))
	nFolders, nFiles := int(le.Uint16(b[26:])), int(le.Uint16(b[28:]))
	flags := le.Uint16(b[30:])
	pos := cabHeaderLen
	folderReserve, dataReserve := 0, 0
	if flags&cabReserve != 0 {
		if len(b) < pos+4 {
			return errors.New("cab: reserve sizes cut short")
		}
		folderReserve, dataReserve = int(b[pos+2]), int(b[pos+3])
		pos += 4 + int(le.Uint16(b[pos:]))
	}
	for _, f := range []uint16{cabPrev, cabNext} {
		if flags&f != 0 { // the other cabinet's name and disk: skip both
			for range 2 {
				_, n, err := cabString(b, pos)
				if err != nil {
					return err
				}
				pos += n
			}
		}
	}
	folders := make([]cabFolder, 0, min(nFolders, len(b)/8))
	for i := range nFolders {
		if pos+8 > len(b) {
			return fmt.Errorf("cab: folder %d cut short", i)
		}
		folders = append(folders, cabFolder{int(le.Uint32(b[pos:])), int(le.Uint16(b[pos+4:])), int(le.Uint16(b[pos+6:]) & 0x0F)})
		pos += 8 + folderReserve
	}
	files := make([][]cabFile, len(folders))
	pos = filesAt
	for i := range nFiles {
		if pos < 0 || pos+16 > len(b) {
			return fmt.Errorf("cab: file entry %d cut short", i)
		}
		f := cabFile{size: int64(le.Uint32(b[pos:])), off: int64(le.Uint32(b[pos+4:])), folder: int(le.Uint16(b[pos+8:]))}
		name, n, err := cabString(b, pos+16)
		if err != nil {
			return err
		}
		pos += 16 + n
		// A name without the UTF-8 attribute (0x80) is in the OEM code page:
		// its bytes are kept as a zip's are; the extension is ASCII in both.
		f.name = name
		switch f.folder {
		case 0xFFFD, 0xFFFF: // continued from the previous cabinet
			f.folder = 0
		case 0xFFFE: // continued in the next cabinet
			f.folder = len(folders) - 1
		}
		if f.folder < 0 || f.folder >= len(folders) {
			return fmt.Errorf("cab: file %q in folder %d of %d", cleanName(f.name), f.folder, len(folders))
		}
		files[f.folder] = append(files[f.folder], f)
	}
	var errs []error
	for i, fo := range folders {
		if len(files[i]) == 0 {
			continue
		}
		if fo.method > 1 {
			return errors.Join(errUnsupported, fmt.Errorf("unpack: cab folder compressed with %s", cabMethod(fo.method)))
		}
		err := c.cabFolder(fo, dataReserve, files[i])
		if errors.Is(err, errStop) {
			return err
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("cab folder %d: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

func cabMethod(m int) string {
	switch m {
	case 2:
		return "Quantum"
	case 3:
		return "LZX"
	}
	return fmt.Sprintf("unknown method %d", m)
}

// cabFolder reads one folder's stream and adds its files.
func (c *container) cabFolder(fo cabFolder, reserve int, files []cabFile) error {
	slices.SortFunc(files, func(a, b cabFile) int { return int(a.off - b.off) })
	for i := 1; i < len(files); i++ {
		if files[i-1].off+files[i-1].size > files[i].off {
			return fmt.Errorf("files %q and %q share bytes", cleanName(files[i-1].name), cleanName(files[i].name))
		}
	}
	r := &cabReader{b: c.part.Content, pos: fo.data, blocks: fo.blocks, reserve: reserve, mszip: fo.method == 1}
	// The folder's stream ends with its last file: what follows is read by nobody.
	end := files[len(files)-1].off + files[len(files)-1].size
	data, rerr := c.read("cab folder", io.LimitReader(r, end), r.packed())
	var le *limitErr
	if errors.Is(rerr, errStop) {
		return rerr
	}
	for _, f := range files {
		stop := min(f.off+f.size, int64(len(data)))
		if stop < f.off+f.size && rerr == nil {
			rerr = fmt.Errorf("file %q past the end of its folder's data", cleanName(f.name))
		}
		start := min(f.off, stop)
		if start == stop && f.size > 0 {
			continue // nothing of it was read
		}
		p := c.add(f.name, data[start:stop:stop])
		if p == nil {
			return errStop
		}
		if stop < f.off+f.size {
			c.truncated(p)
		}
	}
	if errors.As(rerr, &le) {
		return nil // recorded as the limit it is
	}
	return rerr
}

// cabString reads a NUL-terminated name at off: the name and the bytes used.
func cabString(b []byte, off int) (string, int, error) {
	if off < 0 || off >= len(b) {
		return "", 0, errors.New("cab: name past the end")
	}
	i := bytes.IndexByte(b[off:min(len(b), off+cabMaxName)], 0)
	if i < 0 {
		return "", 0, errors.New("cab: name without an end")
	}
	return string(b[off : off+i]), i + 1, nil
}

// cabReader is a folder's stream, one CFDATA block at a time.
type cabReader struct {
	b       []byte
	pos     int
	blocks  int
	reserve int
	mszip   bool
	out     []byte // what the last block gave and is not read yet
	window  []byte // MSZIP: the last 32 KiB of the stream, the next block's dictionary
	err     error
}

// packed is the size of the folder's blocks as they are stored, at most
// the cabinet's: what the ratio limit compares the stream to.
func (r *cabReader) packed() int64 {
	n, pos := int64(0), r.pos
	for range r.blocks {
		if pos < 0 || pos+8 > len(r.b) {
			break
		}
		size := int(binary.LittleEndian.Uint16(r.b[pos+4:]))
		n += int64(size)
		pos += 8 + r.reserve + size
	}
	return max(n, 1)
}

func (r *cabReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.blocks == 0 {
			return 0, io.EOF
		}
		r.err = r.next()
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// next decodes the next CFDATA block into out.
func (r *cabReader) next() error {
	b, pos := r.b, r.pos
	if pos < 0 || pos+8+r.reserve > len(b) {
		return errors.New("data block cut short")
	}
	size, want := int(binary.LittleEndian.Uint16(b[pos+4:])), int(binary.LittleEndian.Uint16(b[pos+6:]))
	pos += 8 + r.reserve
	if pos+size > len(b) {
		return errors.New("data block cut short")
	}
	block := b[pos : pos+size]
	r.pos, r.blocks = pos+size, r.blocks-1
	if !r.mszip {
		r.out = block
		return nil
	}
	if !bytes.HasPrefix(block, []byte("CK")) || want == 0 || want > cabMSZIPWindow {
		return errors.New("not an MSZIP block")
	}
	// Each block is a deflate stream of its own whose matches may reach back
	// into the blocks before it.
	out := make([]byte, want)
	if _, err := io.ReadFull(flate.NewReaderDict(bytes.NewReader(block[2:]), r.window), out); err != nil {
		return fmt.Errorf("MSZIP block: %w", err)
	}
	r.window = append(r.window, out...)
	if len(r.window) > cabMSZIPWindow {
		r.window = slices.Clone(r.window[len(r.window)-cabMSZIPWindow:])
	}
	r.out = out
	return nil
}
