package unpack

import (
	"bytes"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// Single-stream compressors: the member is named after the gzip header, or
// the container's name without its extension.

// openGzip names the member as 7-Zip shows it, after the name in the gzip
// header, and also as gunzip and macOS' Archive Utility save it, after the
// container's name: invoice.js.gz holding a header name invoice.txt is
// saved as invoice.js.
func openGzip(c *container) error {
	zr, err := gzip.NewReader(bytes.NewReader(c.part.Content))
	if err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	saved := innerName(c.part.Filename, map[string]string{".gz": "", ".tgz": ".tar", ".gzip": ""})
	if zr.Name == "" {
		return c.stream(saved, zr)
	}
	p, err := c.member(zr.Name, zr, int64(len(c.part.Content)))
	if p != nil && strings.Contains(saved, ".") {
		addAltName(p, saved) // a saved name without an extension runs nothing
	}
	if err != nil && !errors.Is(err, errStop) {
		return fmt.Errorf("%s: %w", c.kind, err)
	}
	return err
}

func openBzip2(c *container) error {
	name := innerName(c.part.Filename, map[string]string{".bz2": "", ".tbz2": ".tar", ".tbz": ".tar"})
	return c.stream(name, bzip2.NewReader(bytes.NewReader(c.part.Content)))
}

func openXz(c *container) error {
	if err := xzDictOK(c.part.Content); err != nil {
		return err
	}
	xr, err := xz.NewReader(bytes.NewReader(c.part.Content))
	if err != nil {
		return fmt.Errorf("xz: %w", err)
	}
	return c.stream(innerName(c.part.Filename, map[string]string{".xz": "", ".txz": ".tar"}), xr)
}

func openZstd(c *container) error {
	d, err := newZstd(bytes.NewReader(c.part.Content))
	if err != nil {
		return fmt.Errorf("zstd: %w", err)
	}
	defer d.Close()
	return c.stream(innerName(c.part.Filename, map[string]string{".zst": "", ".zstd": "", ".tzst": ".tar"}), d)
}

// openLz4 reads lz4 frames (and the legacy format lz4 -l writes) through
// pierrec/lz4, already in the module graph (through the 7z reader) and
// kept: it reads linked and independent blocks, every frame in the file,
// skippable frames, and checks the block and content checksums. One
// member, named after the container (invoice.exe.lz4 holds invoice.exe).
func openLz4(c *container) error {
	zr := lz4.NewReader(bytes.NewReader(c.part.Content))
	if err := zr.Apply(lz4.ConcurrencyOption(1)); err != nil { // no goroutines of its own
		return fmt.Errorf("lz4: %w", err)
	}
	return c.stream(innerName(c.part.Filename, map[string]string{".lz4": "", ".tlz4": ".tar"}), zr)
}

// stream adds the one member of a compressed stream.
func (c *container) stream(name string, r io.Reader) error {
	_, err := c.member(name, r, int64(len(c.part.Content)))
	if err != nil && !errors.Is(err, errStop) {
		return fmt.Errorf("%s: %w", c.kind, err)
	}
	return err
}

// innerName is the container's base name with a compression extension
// replaced, or "data".
func innerName(filename string, ext map[string]string) string {
	name := baseName(filename)
	lower := strings.ToLower(name)
	for e, repl := range ext {
		if strings.HasSuffix(lower, e) && len(name) > len(e) {
			return name[:len(name)-len(e)] + repl
		}
	}
	return "data"
}

// xzDictOK refuses xz streams whose LZMA2 dictionary exceeds 64 MiB (xz -9
// uses 64 MiB): the decoder would allocate what the header asks for.
func xzDictOK(b []byte) error {
	// Stream header (12 bytes), then the first block header.
	if len(b) < 13 || b[12] == 0 {
		return nil // no block: an empty stream
	}
	size := (int(b[12]) + 1) * 4
	if len(b) < 12+size {
		return errors.New("xz: truncated block header")
	}
	h := b[13 : 12+size]
	flags := h[0]
	h = h[1:]
	skip := func() bool {
		for i, c := range h {
			if c&0x80 == 0 {
				h = h[i+1:]
				return true
			}
		}
		return false
	}
	if flags&0x40 != 0 && !skip() || flags&0x80 != 0 && !skip() {
		return errors.New("xz: bad block header")
	}
	for n := int(flags&3) + 1; n > 0 && len(h) >= 3; n-- {
		id, props := h[0], int(h[1])
		if id == 0x21 && props == 1 { // LZMA2: one byte of dictionary size
			d := h[2] & 0x3F
			if d > 40 {
				return errors.New("xz: bad LZMA2 dictionary size")
			}
			dict := int64(2|d&1) << (d/2 + 11)
			if dict > 64<<20 {
				return fmt.Errorf("xz: LZMA2 dictionary of %d bytes is too large", dict)
			}
		}
		if len(h) < 2+props {
			break
		}
		h = h[2+props:]
	}
	return nil
}

// oldTarReg is the regular-file type of pre-POSIX tar ('\x00'; the
// standard library's TypeRegA, deprecated only because its reader now
// reports such members as TypeReg).
const oldTarReg = '\x00'
