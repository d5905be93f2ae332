package unpack

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// ARJ archives (.arj, and the .a01, .r00... volumes malspam renames them
// to): a main header, then a header and data per member, each header
// "\x60\xea", a size, the header (its CRC-32 checked, as arj and 7-Zip
// check it) and extended headers. Our own reader, from ARJ's technical
// notes: Go has no ARJ module. Methods 0 (stored), 1 to 3 (lzhuff.go) and
// 4 are read; members garbled with a password are listed as encrypted; a
// member continued in another volume is read as far as it goes and is
// unsupported-container, like a method we do not know.

const (
	arjMaxHeader = 2600 // the largest basic header arj writes or reads

	arjGarbled = 0x01 // member flag: garbled with a password
	arjVolume  = 0x04 // continued in the next volume
	arjExtFile = 0x08 // continued from the previous volume
)

// arjHeader is one basic header.
type arjHeader struct {
	h          []byte // the header, from its first size byte to the comment's NUL
	flags      byte
	method     byte
	fileType   byte
	packed     int64
	size       int64
	crc        uint32
	name       string
	start, end int // data, in the archive
}

func openArj(c *container) error {
	b := c.part.Content
	main, off, err := arjReadHeader(b, 0, true)
	if err != nil {
		return fmt.Errorf("arj: main header: %w", err)
	}
	if main == nil {
		return errors.New("arj: no main header")
	}
	var unsupported []string
	var locked []*arjHeader
	var errs []error
	for {
		h, next, err := arjReadHeader(b, off, false)
		if err != nil {
			errs = append(errs, fmt.Errorf("arj: header at byte %d: %w", off, err))
			break
		}
		if h == nil {
			break // the end-of-archive header
		}
		off = next
		// 0 binary, 1 text: files; 3 a folder, 4 a volume label, 5 a
		// chapter label hold nothing arj extracts.
		if h.fileType > 1 {
			continue
		}
		switch {
		case h.flags&arjGarbled != 0:
			locked = append(locked, h)
			continue
		case h.method > 4:
			unsupported = append(unsupported, fmt.Sprintf("%q in method %d", cleanName(h.name), h.method))
			c.add(h.name, nil)
			continue
		case h.flags&(arjVolume|arjExtFile) != 0:
			unsupported = append(unsupported, fmt.Sprintf("%q continued in another volume", cleanName(h.name)))
		}
		if err := c.arjMember(h, b[h.start:h.end]); err != nil {
			if errors.Is(err, errStop) {
				return err
			}
			errs = append(errs, err)
		}
	}
	if len(locked) > 0 {
		if err := c.arjGarbled(locked, main.h[28]); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if len(unsupported) > 0 {
		return fmt.Errorf("%w: arj %q: member %s", errUnsupported, c.part.Path, unsupported[0])
	}
	return nil
}

// arjMember reads the member h from its packed data.
func (c *container) arjMember(h *arjHeader, data []byte) error {
	r, err := arjReader(h, data)
	if err != nil {
		return err
	}
	cont := h.flags&(arjVolume|arjExtFile) != 0
	if !cont {
		r = &crcReader{r: io.NopCloser(r), want: h.crc}
	}
	_, err = c.member(h.name, ctxReader{c.w.ctx, r}, h.packed)
	if err != nil && (!cont || errors.Is(err, errStop)) {
		if errors.Is(err, errStop) {
			return err
		}
		return fmt.Errorf("arj: %q: %w", cleanName(h.name), err)
	}
	return nil // a member cut by a volume's end is read as far as it goes
}

// arjReader decodes h's packed data.
func arjReader(h *arjHeader, data []byte) (io.Reader, error) {
	if h.method == 0 {
		if h.packed != h.size && h.flags&(arjVolume|arjExtFile) == 0 {
			return nil, fmt.Errorf("arj: stored member %q of %d bytes declares %d", cleanName(h.name), h.packed, h.size)
		}
		return bytes.NewReader(data), nil
	}
	return newLzDecoder(data, h.size, 17, h.method == 4), nil
}

// arjGarbled opens members garbled with a password: arj's garbling (the
// archive's encryption version 0 or 1) XORs each packed byte with a
// password byte plus the header's modifier byte. A password is tried on
// the smallest member, against its CRC, and opens them all. Versions 2
// and up (GOST) are not read.
func (c *container) arjGarbled(locked []*arjHeader, version byte) error {
	probe := locked[0]
	for _, h := range locked {
		if h.size < probe.size {
			probe = h
		}
	}
	var key []byte
	if version < 2 && probe.size <= c.w.lim.MaxMemberBytes {
		for _, pw := range c.candidates() {
			if !c.try() {
				break
			}
			if arjPasswordFits(c.w.ctx, probe, c.part.Content, pw.text) {
				key = []byte(pw.text)
				c.part.UnlockedBy = pw.source
				break
			}
		}
	}
	if key == nil {
		for _, h := range locked {
			c.addEncrypted(h.name)
		}
		c.part.Encrypted = true
		c.w.problem(c.part, ReasonEncrypted, fmt.Sprintf("%d garbled (password-protected) arj members not opened after %d password tries", len(locked), c.tries))
		return nil
	}
	var errs []error
	for _, h := range locked {
		if err := c.arjMember(h, arjUngarble(c.part.Content[h.start:h.end], key, h.h[7])); err != nil {
			if errors.Is(err, errStop) {
				return err
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// arjPasswordFits decodes h with pw and checks its CRC.
func arjPasswordFits(ctx context.Context, h *arjHeader, b []byte, pw string) bool {
	if pw == "" {
		return false
	}
	r, err := arjReader(h, arjUngarble(b[h.start:h.end], []byte(pw), h.h[7]))
	if err != nil {
		return false
	}
	_, err = io.Copy(io.Discard, &crcReader{r: io.NopCloser(ctxReader{ctx, r}), want: h.crc})
	return err == nil
}

func arjUngarble(data, key []byte, modifier byte) []byte {
	out := make([]byte, len(data))
	for i, c := range data {
		out[i] = c ^ (key[i%len(key)] + modifier)
	}
	return out
}

// arjReadHeader reads the header at b[off:]: nil at the end-of-archive
// header, and the offset after the header's data. The main header (main)
// has no data, and its fields where a member has its method and sizes.
func arjReadHeader(b []byte, off int, main bool) (*arjHeader, int, error) {
	le := binary.LittleEndian
	if off+4 > len(b) || b[off] != 0x60 || b[off+1] != 0xea {
		return nil, 0, errors.New("no header (the archive is cut short or damaged)")
	}
	size := int(le.Uint16(b[off+2:]))
	if size == 0 {
		return nil, off + 4, nil
	}
	if size > arjMaxHeader || size < 30 {
		return nil, 0, fmt.Errorf("header of %d bytes", size)
	}
	p := off + 4
	if p+size+4 > len(b) {
		return nil, 0, errors.New("header cut short")
	}
	h := &arjHeader{h: b[p : p+size]}
	if crc32.ChecksumIEEE(h.h) != le.Uint32(b[p+size:]) {
		return nil, 0, errors.New("header CRC mismatch")
	}
	p += size + 4
	// Extended headers: a size and the header with its CRC, until size 0.
	for {
		if p+2 > len(b) {
			return nil, 0, errors.New("extended header cut short")
		}
		n := int(le.Uint16(b[p:]))
		p += 2
		if n == 0 {
			break
		}
		if p+n+4 > len(b) {
			return nil, 0, errors.New("extended header cut short")
		}
		p += n + 4
	}
	first := int(h.h[0])
	if first < 30 || first > size {
		return nil, 0, fmt.Errorf("first header size %d in a header of %d", first, size)
	}
	h.flags, h.method, h.fileType = h.h[4], h.h[5], h.h[6]
	h.packed = int64(le.Uint32(h.h[12:]))
	h.size = int64(le.Uint32(h.h[16:]))
	h.crc = le.Uint32(h.h[20:])
	name := h.h[first:]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	// DOS archives separate folders with "\", others with "/": cleanPath
	// and baseName split at both.
	h.name = string(name)
	h.start = p
	if main {
		return h, p, nil // the main header has no data
	}
	if h.packed > int64(len(b)-p) {
		return nil, 0, fmt.Errorf("member %q of %d packed bytes past the end of the archive", cleanName(h.name), h.packed)
	}
	h.end = p + int(h.packed)
	return h, h.end, nil
}
