package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"

	"github.com/ulikunitz/xz/lzma"
)

// lzip (.lz): members one after another, each a 6-byte header ("LZIP",
// version 1, the coded dictionary size), an LZMA stream (lc=3, lp=0, pb=2)
// ending with an end marker, and a 20-byte trailer: the CRC-32 of the
// member's data, the data's size and the member's size. lzip -d writes the
// members' data one after another: one member of ours.

const lzipTrailer = 20

// lzipReader reads the members of an lzip file in turn.
type lzipReader struct {
	b       []byte
	off     int           // start of the member being read
	src     *bytes.Reader // the member's LZMA stream, read exactly
	cur     io.Reader
	crc     hash.Hash32
	n       int64 // data bytes of the member so far
	dictCap int64
}

func (z *lzipReader) Read(p []byte) (int, error) {
	for {
		if z.cur == nil {
			if z.off == len(z.b) && z.off > 0 {
				return 0, io.EOF
			}
			if err := z.start(); err != nil {
				z.off = len(z.b) // ends there
				return 0, err
			}
		}
		n, err := z.cur.Read(p)
		z.crc.Write(p[:n])
		z.n += int64(n)
		if errors.Is(err, io.EOF) {
			if err := z.end(); err != nil {
				return n, err
			}
			if n == 0 {
				continue
			}
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("lzip: %w", err)
		}
		if n > 0 {
			return n, nil
		}
	}
}

// start reads a member's header and starts its decoder.
func (z *lzipReader) start() error {
	h := z.b[z.off:]
	if z.off > 0 && !bytes.HasPrefix(h, []byte("LZIP")[:min(len(h), 4)]) {
		return io.EOF // as lzip -d, data after the last member that is no header is ignored
	}
	if len(h) < 6 || string(h[:4]) != "LZIP" {
		return errors.New("lzip: no header, or one cut short")
	}
	if h[4] != 1 {
		return fmt.Errorf("lzip: version %d", h[4])
	}
	exp := uint(h[5] & 0x1f)
	if exp < 12 || exp > 29 {
		return fmt.Errorf("lzip: bad dictionary size %#02x", h[5])
	}
	dict := int64(1)<<exp - (int64(1)<<exp/16)*int64(h[5]>>5)
	if dict < lzma.MinDictCap {
		return fmt.Errorf("lzip: bad dictionary size %#02x", h[5])
	}
	// The classic .lzma header ulikunitz/xz reads: lzip's fixed
	// properties, the window (no larger than the output may grow: no
	// match reaches further back), size unknown (the end marker ends it).
	var classic [lzma.HeaderLen]byte
	classic[0] = 3 + 9*0 + 45*2
	binary.LittleEndian.PutUint32(classic[1:], uint32(min(dict, z.dictCap, maxLZMADict)))
	binary.LittleEndian.PutUint64(classic[5:], ^uint64(0))
	z.src = bytes.NewReader(h[6:])
	lr, err := lzma.ReaderConfig{DictCap: maxLZMADict}.NewReader(io.MultiReader(bytes.NewReader(classic[:]), z.src))
	if err != nil {
		return fmt.Errorf("lzip: %w", err)
	}
	z.cur, z.n = lr, 0
	z.crc = crc32.NewIEEE()
	return nil
}

// end checks a member's trailer against what was read and moves on.
func (z *lzipReader) end() error {
	size := int64(len(z.b) - z.off - z.src.Len()) // the header and the stream read
	t := z.b[z.off+int(size):]
	if len(t) < lzipTrailer {
		return errors.New("lzip: member cut short before its trailer")
	}
	if crc := binary.LittleEndian.Uint32(t); crc != z.crc.Sum32() {
		return fmt.Errorf("lzip: CRC %08x, the data's is %08x", crc, z.crc.Sum32())
	}
	if n := binary.LittleEndian.Uint64(t[4:]); n != uint64(z.n) {
		return fmt.Errorf("lzip: trailer says %d bytes of data, the stream has %d", n, z.n)
	}
	if m := binary.LittleEndian.Uint64(t[12:]); m != uint64(size+lzipTrailer) {
		return fmt.Errorf("lzip: trailer says the member is %d bytes, it is %d", m, size+lzipTrailer)
	}
	z.off += int(size) + lzipTrailer
	z.cur = nil
	return nil
}

// openLzip opens an lzip file: one member, its members' data one after
// another, named after the container (invoice.exe.lz holds invoice.exe).
func openLzip(c *container) error {
	z := &lzipReader{b: c.part.Content, dictCap: max(c.w.lim.MaxMemberBytes, lzma.MinDictCap)}
	return c.stream(innerName(c.part.Filename, map[string]string{".lz": "", ".tlz": ".tar"}), z)
}
