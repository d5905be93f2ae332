package pdfsyntax

import (
	"bytes"
	stdzlib "compress/zlib"
	"io"
	"slices"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// zlibReaders keeps inflaters between streams: each holds a 32 KiB window
// and tables, and a PDF has hundreds of streams. klauspost's inflater
// reads a stream several times faster than compress/zlib's.
var zlibReaders sync.Pool

// NewZlibReader is zlib.NewReader, reusing a pooled inflater; hand it back
// with ReleaseZlib when done.
func NewZlibReader(r io.Reader) (io.ReadCloser, error) {
	if zr, ok := zlibReaders.Get().(io.ReadCloser); ok {
		if err := zr.(zlib.Resetter).Reset(r, nil); err != nil {
			zlibReaders.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return zlib.NewReader(r)
}

// ReleaseZlib hands back an inflater from NewZlibReader.
func ReleaseZlib(zr io.ReadCloser) { zlibReaders.Put(zr) }

// Inflate is what a FlateDecode stream holds, at most limit bytes: what
// compress/zlib's reader gives read to its end or to limit, a damaged
// stream what comes before the damage. ok is false when the zlib header is
// refused. A pooled inflater reads it; a stream it finds damaged is read
// again by compress/zlib, so that what comes out of a damaged stream is
// exactly what that reader gives (klauspost's may stop elsewhere).
func Inflate(data []byte, limit int) (out []byte, ok bool) {
	if limit <= 0 {
		return nil, true
	}
	if zr, err := NewZlibReader(bytes.NewReader(data)); err == nil {
		out, err = readLimit(zr, limit, min(limit, max(512, 4*len(data))))
		ReleaseZlib(zr)
		if err == nil {
			return out, true
		}
	}
	zr, err := stdzlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	out, _ = io.ReadAll(io.LimitReader(zr, int64(limit)))
	return out, true
}

// readLimit reads r to its end or to limit bytes, into a buffer of size
// bytes to begin with.
func readLimit(r io.Reader, limit, size int) ([]byte, error) {
	buf := make([]byte, 0, size)
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(limit-len(buf), cap(buf)))
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), limit)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}
