package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kensa-milter/kensa/internal/crc16"
)

// LHA archives (.lzh, .lha): a header per member, then its data, until a
// zero byte. Our own reader, from the header levels LHA, lhasa and 7-Zip
// read (no Go module reads LHA): levels 0 and 1 (a one-byte header size
// and checksum; level 1 adds extended headers counted in the packed
// size), 2 (a two-byte header size, extended headers inside it) and 3 (four
// bytes). Methods -lh0- (and -lz4-, -pm0-: stored), -lh4- to -lh7-
// (lzhuff.go) and -lhd- (a folder) are read; a member in another method is
// an empty part and unsupported-container naming the method. Each member's
// CRC-16 is checked.

// lzhEntry is one member header.
type lzhEntry struct {
	method     string
	name       string
	packed     int64
	size       int64
	crc        uint16
	start, end int // data, in the archive
}

// lzhNP is the number of position codes of each compressed method.
var lzhNP = map[string]int{"-lh4-": 14, "-lh5-": 14, "-lh6-": 16, "-lh7-": 17}

func openLzh(c *container) error {
	b := c.part.Content
	var errs []error
	var unsupported []string
	for off := 0; off < len(b) && b[off] != 0; { // a zero byte ends the archive
		e, err := lzhHeader(b, off)
		if err != nil {
			errs = append(errs, fmt.Errorf("lzh: header at byte %d: %w", off, err))
			break
		}
		off = e.end
		var r io.Reader
		switch np, ok := lzhNP[e.method]; {
		case e.method == "-lhd-":
			continue
		case e.method == "-lh0-" || e.method == "-lz4-" || e.method == "-pm0-":
			if e.packed != e.size {
				errs = append(errs, fmt.Errorf("lzh: stored member %q of %d bytes declares %d", cleanName(e.name), e.packed, e.size))
				continue
			}
			r = bytes.NewReader(b[e.start:e.end])
		case ok:
			r = newLzDecoder(b[e.start:e.end], e.size, np, false)
		default:
			unsupported = append(unsupported, fmt.Sprintf("%q in method %s", cleanName(e.name), cleanName(e.method)))
			c.add(e.name, nil)
			continue
		}
		r = &crc16Reader{r: r, want: e.crc}
		if _, err := c.member(e.name, ctxReader{c.w.ctx, r}, e.packed); err != nil {
			if errors.Is(err, errStop) {
				return err
			}
			errs = append(errs, fmt.Errorf("lzh: %q: %w", cleanName(e.name), err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if len(unsupported) > 0 {
		return fmt.Errorf("%w: lzh %q: member %s", errUnsupported, c.part.Path, unsupported[0])
	}
	return nil
}

// lzhHeader reads the header at b[off:].
func lzhHeader(b []byte, off int) (lzhEntry, error) {
	le := binary.LittleEndian
	var e lzhEntry
	if off+22 > len(b) {
		return e, errors.New("header cut short")
	}
	h := b[off:]
	e.method = string(h[2:7])
	e.packed = int64(le.Uint32(h[7:]))
	e.size = int64(le.Uint32(h[11:]))
	var name, dir []byte
	var ext int     // where the extended headers start
	var next int    // the size of the first one
	sizeLen := 2    // bytes of an extended header's "next size" field
	limit := len(b) // extended headers must end before this
	var start int
	switch level := h[20]; level {
	case 0, 1:
		total := int(h[0]) + 2
		if total < 24 || off+total > len(b) {
			return e, fmt.Errorf("level %d header of %d bytes", level, total)
		}
		var sum byte
		for _, c := range h[2:total] {
			sum += c
		}
		if sum != h[1] {
			return e, errors.New("header checksum mismatch")
		}
		n := int(h[21])
		if 22+n+2 > total {
			return e, errors.New("name past the header")
		}
		name = h[22 : 22+n]
		e.crc = le.Uint16(h[22+n:])
		start = off + total
		if level == 1 {
			if 22+n+5 > total {
				return e, errors.New("level 1 header without its extension size")
			}
			ext, next = start, int(le.Uint16(h[total-2:]))
		}
	case 2:
		total := int(le.Uint16(h))
		if total < 26 || off+total > len(b) {
			return e, fmt.Errorf("level 2 header of %d bytes", total)
		}
		e.crc = le.Uint16(h[21:])
		ext, next, limit, start = off+26, int(le.Uint16(h[24:])), off+total, off+total
	case 3:
		if le.Uint16(h) != 4 || off+32 > len(b) {
			return e, errors.New("level 3 header cut short or of another word size")
		}
		total := int64(le.Uint32(h[24:]))
		if total < 32 || total > int64(len(b)-off) {
			return e, fmt.Errorf("level 3 header of %d bytes", total)
		}
		e.crc = le.Uint16(h[21:])
		sizeLen = 4
		ext, next, limit, start = off+32, int(le.Uint32(h[28:])), off+int(total), off+int(total)
	default:
		return e, fmt.Errorf("header level %d", level)
	}
	// Extended headers: a type, data, and the size of the next one. Each
	// is at least its type and size long, so the walk moves forward.
	for p := ext; next != 0; {
		if next < 1+sizeLen || next > limit-p {
			return e, fmt.Errorf("extended header of %d bytes at byte %d", next, p)
		}
		x := b[p : p+next]
		data := x[1 : next-sizeLen]
		switch x[0] {
		case 0x01:
			name = data
		case 0x02:
			dir = data
		}
		if sizeLen == 2 {
			next = int(le.Uint16(x[next-2:]))
		} else {
			next = int(le.Uint32(x[next-4:]))
		}
		p += len(x)
		if h[20] == 1 {
			// Level 1 counts its extended headers in the packed size.
			e.packed -= int64(len(x))
			start = p
		}
	}
	if e.packed < 0 || e.packed > int64(len(b)-start) {
		return e, fmt.Errorf("member of %d packed bytes past the end of the archive", e.packed)
	}
	e.start, e.end = start, start+int(e.packed)
	e.name = lzhPath(dir, name)
	return e, nil
}

// lzhPath joins a folder (0xFF separates its parts) and a name (which
// level 0 and 1 headers may give as a path with "\" or 0xFF).
func lzhPath(dir, name []byte) string {
	p := string(name)
	if len(dir) > 0 {
		p = strings.TrimSuffix(string(dir), "\xff") + "\xff" + p
	}
	return strings.ReplaceAll(p, "\xff", "/")
}

// crc16Reader checks a member's CRC-16 once it is read.
type crc16Reader struct {
	r    io.Reader
	want uint16
	crc  uint16
}

func (r *crc16Reader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.crc = crc16.UpdateARC(r.crc, p[:n])
	if errors.Is(err, io.EOF) && r.crc != r.want {
		err = errors.New("CRC mismatch")
	}
	return n, err
}
