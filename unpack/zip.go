package unpack

import (
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sort"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Zip methods beyond store and deflate that we can read.
const (
	methodBzip2 = 12
	methodZstd  = 93
	methodXz    = 95
	methodAES   = 99
)

func openZip(c *container) error {
	zr, err := zip.NewReader(bytes.NewReader(c.part.Content), int64(len(c.part.Content)))
	if err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	for _, m := range []uint16{methodBzip2, methodZstd, methodXz} {
		zr.RegisterDecompressor(m, func(r io.Reader) io.ReadCloser {
			d, err := decompressor(m, r)
			if err != nil {
				return io.NopCloser(errReader{err})
			}
			return d
		})
	}
	if err := zipOverlap(zr.File); err != nil {
		return err
	}
	var locked []*zip.File
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if f.Flags&1 != 0 {
			locked = append(locked, f)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: zip %q: member %q: %v", c.part.Path, cleanName(f.Name), err))
			continue
		}
		_, err = c.member(f.Name, rc, int64(f.CompressedSize64))
		rc.Close()
		if errors.Is(err, errStop) {
			return err
		}
		if err != nil {
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: zip %q: member %q: %v", c.part.Path, cleanName(f.Name), err))
		}
	}
	if len(locked) == 0 {
		return nil
	}
	return c.unlockZip(locked)
}

// zipOverlap refuses archives whose entries share compressed data: the
// overlapping-entry bomb. Ordinary zips never do this.
func zipOverlap(files []*zip.File) error {
	type span struct{ start, end int64 }
	spans := make([]span, 0, len(files))
	for _, f := range files {
		off, err := f.DataOffset()
		if err != nil {
			continue
		}
		spans = append(spans, span{off, off + int64(f.CompressedSize64)})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end && spans[i-1].end > spans[i-1].start {
			return fmt.Errorf("zip: entries overlap at offset %d (overlapping-entry bomb)", spans[i].start)
		}
	}
	return nil
}

// unlockZip decrypts ZipCrypto and WinZip AES members with candidate passwords.
func (c *container) unlockZip(files []*zip.File) error {
	cands := c.w.candidates()
	var good *candidate
	failed := 0
	for _, f := range files {
		raw, err := f.OpenRaw()
		if err != nil {
			c.addEncrypted(f.Name)
			failed++
			continue
		}
		sealed, err := io.ReadAll(io.LimitReader(raw, int64(len(c.part.Content))))
		if err != nil {
			c.addEncrypted(f.Name)
			failed++
			continue
		}
		order := cands
		if good != nil {
			order = append([]candidate{*good}, cands...)
		}
		opened := false
		for _, pw := range order {
			if good == nil || pw != *good {
				if c.tries >= c.w.lim.MaxPasswordTries {
					break
				}
				c.tries++
			}
			data, err, ok := c.tryZip(f, sealed, pw.text)
			if !ok {
				continue
			}
			if errors.Is(err, errStop) {
				return err
			}
			p := c.add(f.Name, data)
			if p == nil {
				return errStop
			}
			if err != nil {
				c.truncated(p)
			}
			g := pw
			good = &g
			c.part.UnlockedBy = pw.source
			opened = true
			break
		}
		if !opened {
			c.addEncrypted(f.Name)
			failed++
		}
	}
	if failed > 0 {
		c.part.Encrypted = true
		c.w.problem(c.part, ReasonEncrypted, fmt.Sprintf("%d encrypted zip members not opened after %d password tries", failed, c.tries))
	}
	return nil
}

// tryZip decrypts and inflates one member with one password. ok is false
// when the password is wrong; err may then carry a per-member limit.
func (c *container) tryZip(f *zip.File, sealed []byte, pw string) ([]byte, error, bool) {
	method := f.Method
	var plain []byte
	checkCRC := true
	if method == methodAES {
		aes, err := parseAESExtra(f.Extra)
		if err != nil {
			return nil, nil, false
		}
		plain, err = aesDecrypt(sealed, pw, aes.strength)
		if err != nil {
			return nil, nil, false
		}
		method = aes.method
		checkCRC = aes.version == 1
	} else {
		check := byte(f.CRC32 >> 24)
		if f.Flags&0x8 != 0 {
			check = byte(f.ModifiedTime >> 8)
		}
		var err error
		plain, err = zipCryptoDecrypt(sealed, pw, check)
		if err != nil {
			return nil, nil, false
		}
	}
	dr, err := decompressor(method, bytes.NewReader(plain))
	if err != nil {
		return nil, nil, false
	}
	before := c.w.total
	data, err := c.read(f.Name, dr, int64(len(sealed)))
	var le *limitErr
	switch {
	case errors.Is(err, errStop), errors.As(err, &le):
		return data, err, true
	case err != nil || checkCRC && crc32.ChecksumIEEE(data) != f.CRC32:
		c.w.total = before // a wrong password's garbage does not count
		return nil, nil, false
	}
	return data, nil, true
}

// decompressor returns a reader for a zip compression method.
func decompressor(method uint16, r io.Reader) (io.ReadCloser, error) {
	switch method {
	case zip.Store:
		return io.NopCloser(r), nil
	case zip.Deflate:
		return flate.NewReader(r), nil
	case methodBzip2:
		return io.NopCloser(bzip2.NewReader(r)), nil
	case methodZstd:
		d, err := newZstd(r)
		if err != nil {
			return nil, err
		}
		return d.IOReadCloser(), nil
	case methodXz:
		x, err := xz.NewReader(r)
		if err != nil {
			return nil, err
		}
		return io.NopCloser(x), nil
	}
	return nil, fmt.Errorf("zip: unsupported method %d", method)
}

func newZstd(r io.Reader) (*zstd.Decoder, error) {
	// One goroutine and a 64 MiB window: a frame asking for more is refused.
	return zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(64<<20), zstd.WithDecoderMaxMemory(64<<20))
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
