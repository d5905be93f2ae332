package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/ulikunitz/xz/lzma"
)

// maxLZMADict bounds the window an LZMA member's decoder allocates (xz's
// own bound, xzDictOK): a header may ask for 4 GiB.
const maxLZMADict = 64 << 20

// newZipLZMA reads zip method 14 (APPNOTE 5.8): a 4-byte header (the
// encoder's version, the size of the properties), the 5 bytes of LZMA
// properties, then the raw stream. Flag bit 1 says the stream ends with an
// end marker; otherwise it ends after size bytes, as 7-Zip reads it.
func newZipLZMA(r io.Reader, flags uint16, size int64) (io.ReadCloser, error) {
	var h [9]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, fmt.Errorf("lzma: header: %w", noEOF(err))
	}
	if n := binary.LittleEndian.Uint16(h[2:]); n != 5 {
		return nil, fmt.Errorf("lzma: %d bytes of properties, not 5", n)
	}
	// The classic .lzma header ulikunitz/xz reads: properties, window,
	// expanded size (all ones: unknown, the end marker ends it).
	var classic [lzma.HeaderLen]byte
	copy(classic[:5], h[4:])
	dict := int64(binary.LittleEndian.Uint32(h[5:]))
	if size >= 0 {
		// No match reaches further back than the output goes.
		dict = min(dict, max(size, lzma.MinDictCap))
	}
	binary.LittleEndian.PutUint32(classic[1:], uint32(min(dict, maxLZMADict)))
	want := size
	if flags&2 != 0 || size < 0 {
		want = -1
	}
	binary.LittleEndian.PutUint64(classic[5:], uint64(want))
	lr, err := lzma.ReaderConfig{DictCap: maxLZMADict}.NewReader(io.MultiReader(bytes.NewReader(classic[:]), r))
	if err != nil {
		return nil, fmt.Errorf("lzma: %w", err)
	}
	return io.NopCloser(lzmaErrors{lr}), nil
}

// lzmaErrors names the decoder's errors as LZMA's.
type lzmaErrors struct{ r io.Reader }

func (l lzmaErrors) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("lzma: %w", err)
	}
	return n, err
}
