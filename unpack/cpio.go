package unpack

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/kensa-milter/kensa/filetype"
)

// cpio archives, which macOS' Archive Utility opens (.cpio, and .cpgz once
// gunzipped) and macOS installer packages carry (a .pkg's Payload and
// Scripts are gzipped cpio): the portable ASCII format (odc, "070707")
// and the new one (newc, "070701", and "070702" with checksums). The
// module the proxy serves (cavaliergopher/cpio) reads only newc, and
// refuses a checksum field bsdtar ignores: this is our own, small reader.

// cpioEntry is one header: the member's name, mode, and where its data is.
type cpioEntry struct {
	name       string
	mode       int64
	start, end int // data, in the archive
	next       int // the next header
}

const cpioTrailer = "TRAILER!!!"

func openCpio(c *container) error {
	b := c.part.Content
	for off := 0; off < len(b); {
		if len(bytes.Trim(b[off:], "\x00")) == 0 {
			return nil // padding to a block
		}
		e, err := cpioHeader(b, off)
		if err != nil {
			return fmt.Errorf("cpio: at byte %d: %w", off, err)
		}
		if e.name == cpioTrailer {
			return nil
		}
		// Regular files, and entries of no type (old writers): what
		// bsdtar extracts as files. Folders, links and devices hold no data.
		if t := e.mode & 0o170000; t == 0o100000 || t == 0 {
			p, err := c.member(e.name, bytes.NewReader(b[e.start:e.end]), int64(e.end-e.start))
			if err != nil {
				return err
			}
			c.noteAsIs(p, int64(e.start))
		}
		off = e.next
	}
	return errors.New("cpio: no trailer: the archive is cut short")
}

// cpioHeader parses the header at b[off:].
func cpioHeader(b []byte, off int) (cpioEntry, error) {
	var e cpioEntry
	h := b[off:]
	odc := filetype.CpioFormat(h) == "odc"
	hlen, align := 110, 4
	if odc {
		hlen, align = 76, 1
	} else if filetype.CpioFormat(h) == "" {
		return e, errors.New("no cpio header")
	}
	var nameSize, size int64
	if odc {
		e.mode = octal(h[18:24])
		nameSize, size = octal(h[59:65]), octal(h[65:76])
	} else {
		e.mode = hexNum(h[14:22])
		nameSize, size = hexNum(h[94:102]), hexNum(h[54:62])
	}
	pad := func(n int) int { return (n + align - 1) / align * align }
	if nameSize < 1 || nameSize > int64(len(h)-hlen) {
		return e, errors.New("name beyond the archive")
	}
	e.name = string(bytes.TrimRight(h[hlen:hlen+int(nameSize)], "\x00"))
	e.start = off + pad(hlen+int(nameSize))
	if e.start > len(b) || size > int64(len(b)-e.start) {
		return e, errors.New("data beyond the archive")
	}
	e.end = e.start + int(size)
	e.next = off + pad(e.end-off)
	return e, nil
}

// octal and hexNum read a field filetype.CpioFormat has checked.
func octal(f []byte) int64 {
	var n int64
	for _, c := range f {
		n = n<<3 | int64(c-'0')
	}
	return n
}

func hexNum(f []byte) int64 {
	var n int64
	for _, c := range f {
		switch {
		case c <= '9':
			n = n<<4 | int64(c-'0')
		case c >= 'a':
			n = n<<4 | int64(c-'a'+10)
		default:
			n = n<<4 | int64(c-'A'+10)
		}
	}
	return n
}
