package unpack

import (
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"

	"github.com/kensa-milter/kensa/message"
)

// Zip methods beyond store and deflate that we can read.
const (
	methodDeflate64 = 9
	methodBzip2     = 12
	methodLZMA      = 14
	methodZstd      = 93
	methodXz        = 95
	methodAES       = 99
)

// unreadMethods are the zip methods 7-Zip, WinRAR, unzip or libarchive read and
// Kensa does not: a member in one is reported by name, never skipped.
var unreadMethods = map[uint16]string{
	1:  "Shrink",
	2:  "Reduce",
	3:  "Reduce",
	4:  "Reduce",
	5:  "Reduce",
	6:  "Implode",
	10: "PKWARE DCL Implode",
	98: "PPMd",
}

// methodError says a member's method is one Kensa does not read: a known
// one is unsupported-container (zipReason), an unknown number corrupt.
func methodError(method uint16) error {
	if name, ok := unreadMethods[method]; ok {
		return fmt.Errorf("compression method %d (%s) not supported (%w)", method, name, errUnsupported)
	}
	return fmt.Errorf("unknown compression method %d", method)
}

// zipReason is the problem a member that could not be opened gives.
func zipReason(err error) string {
	if errors.Is(err, errUnsupported) {
		return ReasonUnsupported
	}
	return ReasonCorrupt
}

// Zip record signatures (APPNOTE 4.3).
const (
	sigLocal   = "PK\x03\x04"
	sigCentral = "PK\x01\x02"
	sigEnd     = "PK\x05\x06"
	sigDesc    = "PK\x07\x08"
)

const (
	maxZipArchives = 16   // end-of-central-directory records read per file
	maxZipLocals   = 4096 // local headers walked per file
)

// openZip reads a zip the way the tools that open it do. Explorer and
// Info-ZIP read the archive whose end record closes the file; 7-Zip and
// WinRAR also find archives earlier in the file and members whose local
// header no central directory lists. Kensa reads every archive an end
// record describes (concatenated zips, zips behind a stub) and then walks
// the local headers; what only one reading finds is read as well, and the
// container is marked Ambiguous.
func openZip(c *container) error { return c.readZip(false) }

// openZipWithin looks for a zip inside a file of another kind: a
// self-extracting program, a PDF or image with a zip appended. Finding no
// zip there is not an error.
func openZipWithin(c *container) error { return c.readZip(true) }

// zipMember is a member a central directory lists: where its data starts
// and ends, its name, and its method and compressed size as the directory
// says.
type zipMember struct {
	start, end int64
	name       string
	method     uint16
	csize      uint64
}

func (c *container) readZip(within bool) error {
	b := c.part.Content
	ends := zipEnds(b, nil)
	var (
		listed   []zipMember // from every central directory
		archives int
		lastErr  error
	)
	if len(ends) == 0 {
		lastErr = errors.New("no end-of-central-directory record")
	}
	byStart := map[int64]int{} // data offset → index in listed
	c.zipParts = map[int64]*message.Part{}
	c.zipPacked = map[int64]message.Span{}
	opened := 0
	for i := 0; i < len(ends); i++ {
		if i == 1 && len(ends) > maxZipArchives && len(listed) > 0 {
			// The members of the archive that closes the file may be zips
			// themselves (Office documents, stored or in deflate's stored
			// blocks), each with an end record that is no archive of the
			// file: only the records outside those members count.
			ends = append(ends[:1:1], slices.DeleteFunc(zipEnds(b, listed), func(e zipEnd) bool { return e.at == ends[0].at })...)
		}
		if i == len(ends) {
			break
		}
		if i == maxZipArchives {
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: zip %q: more than %d end-of-central-directory records; the first ones not read", c.part.Path, maxZipArchives))
			break
		}
		e := ends[i]
		if insideListed(listed, e.at) {
			continue // the end of a zip stored in a member: that member is opened on its own
		}
		src := bytes.NewReader(b[:e.end])
		zr, err := zip.NewReader(src, int64(e.end))
		if err != nil {
			if i == 0 {
				lastErr = err // the archive Explorer reads; earlier records may be data
			}
			continue
		}
		opened++
		registerZipMethods(zr, src, b[:e.end], func(s *packedSource) { c.zipSource = s })
		if err := zipOverlap(zr.File); err != nil {
			return err
		}
		fresh := 0
		var todo []*zip.File
		for _, f := range zr.File {
			off, err := f.DataOffset()
			if err != nil {
				todo = append(todo, f) // Open says what is wrong with it
				continue
			}
			if j, ok := byStart[off]; ok {
				if listed[j].name == f.Name {
					continue // the same entry in two central directories
				}
				c.ambiguous(fmt.Sprintf("two central directories name the member at byte %d %q and %q", off, cleanName(listed[j].name), cleanName(f.Name)))
				if p := c.zipParts[off]; p != nil {
					addAltName(p, f.Name) // the same bytes: one part, both names checked
					c.addZipNames(p, f.Name, f.Flags, f.Extra)
					continue
				}
			} else {
				byStart[off] = len(listed)
			}
			end := min(off+int64(min(f.CompressedSize64, uint64(len(b)))), int64(len(b))) // declared sizes are not trusted
			listed = append(listed, zipMember{off, max(end, off), f.Name, f.Method, f.CompressedSize64})
			todo = append(todo, f)
			fresh++
		}
		if fresh == 0 {
			continue
		}
		archives++
		if err := c.zipFiles(todo); err != nil {
			return err
		}
	}
	if archives > 1 {
		c.ambiguous(fmt.Sprintf("%d zip archives in one file", archives))
	}
	found, first, err := c.walkLocal(listed, within && archives == 0, archives > 0)
	if err != nil {
		return err
	}
	if c.zipLocalLies {
		c.part.Packed = nil // a streaming unzipper reads other members than the directory lists
	}
	if !within {
		if err := c.openZipPackage(); err != nil {
			return err
		}
		if err := c.openODFCrypt(); err != nil {
			return err
		}
	}
	if !within && first > 0 && !(first == 4 && bytes.HasPrefix(b, []byte(sigDesc))) {
		c.ambiguous(fmt.Sprintf("%d bytes of other data before the first local header", first))
	}
	switch {
	case within:
		if archives > 0 || found > 0 {
			c.ambiguous("a zip archive behind data of another kind (a self-extracting program or a polyglot)")
		}
		return nil
	case lastErr != nil:
		// The archive Explorer opens is broken: whatever the local headers
		// gave, something may be missing.
		return fmt.Errorf("zip: %w", lastErr)
	case opened == 0 && found == 0:
		return errors.New("zip: no archive and no readable local header")
	}
	return nil
}

// registerZipMethods gives zr, reading b through src, Kensa's decompressors.
// LZMA is not among them: it needs the member's size (openZipFile). Each
// deflated member's data, read in place, is handed to inflating as the
// inflater starts on it (notePacked).
func registerZipMethods(zr *zip.Reader, src io.ReaderAt, b []byte, inflating func(*packedSource)) {
	for _, m := range []uint16{zip.Deflate, methodDeflate64, methodBzip2, methodZstd, methodXz} {
		zr.RegisterDecompressor(m, func(r io.Reader) io.ReadCloser {
			in, ps := inMemorySource(r, src, b)
			if m == zip.Deflate {
				inflating(ps)
			}
			d, err := decompressor(m, 0, -1, in)
			if err != nil {
				return io.NopCloser(errReader{err})
			}
			return d
		})
	}
}

// inMemory is r, a member's data that archive/zip reads from b (through
// src) with an io.SectionReader, as a bytes.Reader over the same bytes: the
// inflater reads a bytes.Reader in place, and first copies any other reader
// through a bufio.Reader of its own. Another r is returned as it is.
func inMemory(r io.Reader, src io.ReaderAt, b []byte) io.Reader {
	in, _ := inMemorySource(r, src, b)
	return in
}

// inMemorySource is inMemory, also saying where in b the bytes.Reader's
// data starts (nil for another r).
func inMemorySource(r io.Reader, src io.ReaderAt, b []byte) (io.Reader, *packedSource) {
	s, ok := r.(*io.SectionReader)
	if !ok {
		return r, nil
	}
	outer, off, n := s.Outer()
	if outer != src || off < 0 || off > int64(len(b)) || n < 0 {
		return r, nil
	}
	end := int64(len(b))
	if n < end-off {
		end = off + n
	}
	br := bytes.NewReader(b[off:end])
	return br, &packedSource{off: off, r: br, n: end - off}
}

// zipFiles reads the members of one central directory.
func (c *container) zipFiles(files []*zip.File) error {
	var locked []*zip.File
	for _, f := range files {
		dir := f.FileInfo().IsDir()
		if dir && f.CompressedSize64 == 0 {
			// A folder. One with data is read: unzip and libarchive
			// extract it as a file when a Unicode Path field names one.
			continue
		}
		if f.Flags&1 != 0 {
			locked = append(locked, f)
			continue
		}
		c.zipSource = nil
		rc, err := openZipFile(f)
		source := c.zipSource // the deflated data the inflater reads, when archive/zip opened it
		if errors.Is(err, zip.ErrAlgorithm) {
			err = methodError(f.Method)
		}
		if err != nil {
			c.w.problem(c.part, zipReason(err), fmt.Sprintf("unpack: zip %q: member %q: %v", c.part.Path, cleanName(f.Name), err))
			continue
		}
		var p *message.Part
		if dir {
			p, err = c.zipFolder(f.Name, rc, int64(f.CompressedSize64))
		} else {
			data, rerr := c.readSized(f.Name, rc, int64(f.CompressedSize64), int64(min(f.UncompressedSize64, 1<<40)))
			p, err = c.addRead(f.Name, data, rerr)
			if off, oerr := f.DataOffset(); oerr == nil && source != nil && source.off == off && uint64(source.n) == f.CompressedSize64 {
				if s, ok := c.packedRange(p, source, rerr); ok {
					c.zipPacked[off] = s // recorded when its local header agrees (walkLocal)
				}
			}
		}
		rc.Close()
		if errors.Is(err, errStop) {
			return err
		}
		c.addZipNames(p, f.Name, f.Flags, f.Extra)
		c.keepZipPart(f, p)
		if off, oerr := f.DataOffset(); oerr == nil && !dir {
			c.noteRepeats(p, off, off+int64(min(f.CompressedSize64, 1<<62)), f.Method)
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

// zipFolder reads a member named as a folder whose header declares data:
// a part only when data comes out (Java writes empty folders deflated, two
// bytes that inflate to nothing).
func (c *container) zipFolder(name string, r io.Reader, packed int64) (*message.Part, error) {
	data, err := c.read(name, r, packed)
	if errors.Is(err, errStop) || len(data) == 0 {
		return nil, err
	}
	return c.addRead(name, data, err)
}

// openZipFile opens a member's data. archive/zip refuses the data of a
// member named as a folder, which unzip and libarchive extract as a file
// when a Unicode Path field names one: it is inflated without archive/zip,
// and so is LZMA, whose decoder needs the member's size.
func openZipFile(f *zip.File) (io.ReadCloser, error) {
	if !strings.HasSuffix(f.Name, "/") && f.Method != methodLZMA {
		return f.Open()
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, err
	}
	d, err := decompressor(f.Method, f.Flags, declaredSize(f.UncompressedSize64), raw)
	if err != nil {
		return nil, err
	}
	return &crcReader{r: d, want: f.CRC32}, nil
}

// declaredSize is a member's declared expanded size, -1 when beyond belief.
func declaredSize(n uint64) int64 {
	if n > 1<<50 {
		return -1
	}
	return int64(n)
}

// crcReader checks what a member gave against its CRC at the end, as
// archive/zip does for the members it opens itself.
type crcReader struct {
	r    io.ReadCloser
	want uint32
	crc  uint32
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.crc = crc32.Update(c.crc, crc32.IEEETable, p[:n])
	if err == io.EOF && c.crc != c.want {
		err = zip.ErrChecksum
	}
	return n, err
}

func (c *crcReader) Close() error { return c.r.Close() }

// keepZipPart remembers the part read from a central directory entry, so
// that the walk of the local headers adds their names to it.
func (c *container) keepZipPart(f *zip.File, p *message.Part) {
	if off, err := f.DataOffset(); err == nil && p != nil {
		c.zipParts[off] = p
	}
}

// zipEncrypted lists an encrypted member not opened, with all its names.
func (c *container) zipEncrypted(f *zip.File) {
	p := c.addEncrypted(f.Name)
	c.addZipNames(p, f.Name, f.Flags, f.Extra)
	c.keepZipPart(f, p)
}

// ambiguous records one way the readings of this container differ.
func (c *container) ambiguous(why string) {
	p := c.part
	switch n := strings.Count(p.Ambiguous, "; "); {
	case p.Ambiguous == "":
		p.Ambiguous = why
	case strings.Contains(p.Ambiguous, why):
	case n < 3:
		p.Ambiguous += "; " + why
	}
}

// addAltName records another name a tool shows for the part: the name
// checks look at every one (message.Part.AltNames).
func addAltName(p *message.Part, name string) {
	name = baseName(name)
	if name == p.Filename || slices.Contains(p.AltNames, name) || len(p.AltNames) >= 16 {
		return
	}
	p.AltNames = append(p.AltNames, name)
}

// zipEnd is an end-of-central-directory record: where it starts, and
// where it ends with its comment.
type zipEnd struct{ at, end int }

// zipEnds lists the end-of-central-directory records, the last one in the
// file first: the archive Explorer reads, then the ones before it. Records
// in the data of the members of skip are left out.
func zipEnds(b []byte, skip []zipMember) []zipEnd {
	// A forward search (vectorised) keeping the last maxZipArchives+1
	// records; searching backwards is several times slower on large zips.
	skip = slices.SortedFunc(slices.Values(skip), func(x, y zipMember) int { return int(x.start - y.start) })
	var ends []zipEnd
	for off := 0; ; {
		j := bytes.Index(b[off:], []byte(sigEnd))
		if j < 0 {
			break
		}
		j += off
		off = j + 4
		if j+22 > len(b) {
			continue
		}
		if k, _ := slices.BinarySearchFunc(skip, int64(j)+1, func(m zipMember, at int64) int { return int(m.start - at) }); k > 0 && int64(j) < skip[k-1].end {
			off = int(max(skip[k-1].end, int64(off))) // the members of one directory never overlap
			continue
		}
		end := j + 22 + int(binary.LittleEndian.Uint16(b[j+20:]))
		if len(ends) > maxZipArchives {
			ends = append(ends[:0], ends[1:]...)
		}
		ends = append(ends, zipEnd{j, min(end, len(b))})
	}
	slices.Reverse(ends)
	return ends
}

// insideListed says whether offset at lies in the data of a listed member.
func insideListed(listed []zipMember, at int) bool {
	for _, m := range listed {
		if int64(at) >= m.start && int64(at) < m.end {
			return true
		}
	}
	return false
}

// zipLocal is a local file header (APPNOTE 4.3.7).
type zipLocal struct {
	at, dataStart int
	flags, method uint16
	crc           uint32
	csize         int64 // -1: unknown, a data descriptor follows the data
	usize         int64 // expanded size, -1: unknown
	name          string
	extra         []byte
}

// parseLocal reads the local header at b[at:]; ok is false when it does not
// look like one (a signature that happens to occur in other data).
func parseLocal(b []byte, at int) (h zipLocal, ok bool) {
	if at+30 > len(b) {
		return h, false
	}
	le := binary.LittleEndian
	r := b[at:]
	h.at = at
	h.flags, h.method = le.Uint16(r[6:]), le.Uint16(r[8:])
	h.crc = le.Uint32(r[14:])
	csize := int64(le.Uint32(r[18:]))
	h.usize = int64(le.Uint32(r[22:]))
	nlen, elen := int(le.Uint16(r[26:])), int(le.Uint16(r[28:]))
	if le.Uint16(r[4:]) > 0xFF || nlen == 0 || at+30+nlen+elen > len(b) {
		return h, false
	}
	switch h.method {
	case zip.Store, zip.Deflate, methodDeflate64, methodBzip2, methodLZMA, methodZstd, methodXz, methodAES:
	default:
		if _, ok := unreadMethods[h.method]; !ok {
			return h, false
		}
	}
	h.name = string(r[30 : 30+nlen])
	h.extra = r[30+nlen : 30+nlen+elen]
	h.dataStart = at + 30 + nlen + elen
	if csize == 0xFFFFFFFF { // Zip64: the sizes are in the extra field
		csize = -1
		extra := h.extra
		for len(extra) >= 4 {
			id, n := le.Uint16(extra), int(le.Uint16(extra[2:]))
			if 4+n > len(extra) {
				break
			}
			if id == 1 && n >= 16 {
				h.usize = declaredSize(le.Uint64(extra[4:]))
				csize = int64(le.Uint64(extra[12:]))
			}
			extra = extra[4+n:]
		}
	}
	if h.flags&8 != 0 && csize == 0 {
		csize = -1
	}
	if h.flags&8 != 0 && h.usize == 0 {
		h.usize = -1
	}
	if csize > int64(len(b)-h.dataStart) {
		return h, false
	}
	h.csize = csize
	return h, true
}

// walkLocal walks the local headers from the start of the file, as a
// streaming unzipper or 7-Zip's recovery does, skipping the data of members
// a central directory lists. A header the central directories do not know,
// or know under another name, is read as a member of its own. quiet is for
// a zip looked for inside another kind: a header whose data does not match
// its CRC is then taken for chance bytes until one does. found counts the
// members read; first is the offset of the first local header (-1: none).
// listedAny says a central directory was read: only then is a member only
// a local header lists a difference between readings.
func (c *container) walkLocal(listed []zipMember, quiet, listedAny bool) (found, first int, err error) {
	b := c.part.Content
	sort.Slice(listed, func(i, j int) bool { return listed[i].start < listed[j].start })
	byStart := map[int64]zipMember{}
	for _, m := range listed {
		byStart[m.start] = m
	}
	// covering is the listed member whose data holds offset at, if any.
	covering := func(at int) (zipMember, bool) {
		i := sort.Search(len(listed), func(i int) bool { return listed[i].start > int64(at) }) - 1
		if i >= 0 && int64(at) < listed[i].end {
			return listed[i], true
		}
		return zipMember{}, false
	}
	first = -1
	pos := 0
	for n := 0; ; n++ {
		if pos >= len(b) {
			return found, first, nil
		}
		i := bytes.Index(b[pos:], []byte(sigLocal))
		if i < 0 {
			return found, first, nil
		}
		if n >= maxZipLocals {
			c.w.problem(c.part, ReasonMembers, fmt.Sprintf("unpack: zip %q: more than %d local headers; the rest not read", c.part.Path, maxZipLocals))
			return found, first, nil
		}
		at := pos + i
		if m, ok := covering(at); ok {
			pos = int(m.end) // inside a listed member's data: a zip stored in the zip
			continue
		}
		h, ok := parseLocal(b, at)
		if !ok {
			pos = at + 4
			continue
		}
		if first < 0 {
			first = at
		}
		if m, ok := byStart[int64(h.dataStart)]; ok {
			pos = max(int(m.end), h.dataStart)
			c.confirmPacked(h, m)
			p := c.zipParts[int64(h.dataStart)]
			c.addZipNames(p, h.name, h.flags, h.extra) // libarchive reads the local header's
			if m.name == h.name {
				continue
			}
			c.ambiguous(fmt.Sprintf("the local header names %q, the central directory %q", cleanName(h.name), cleanName(m.name)))
			if p != nil {
				addAltName(p, h.name) // 7-Zip shows the local name, Explorer the central one
				continue
			}
		} else if listedAny {
			c.ambiguous(fmt.Sprintf("member %q is only in a local header, no central directory lists it", cleanName(h.name)))
		}
		end, err := c.localMember(h, quiet && found == 0)
		switch {
		case errors.Is(err, errStop):
			return found, first, err
		case errors.Is(err, errNotZip):
			pos = at + 4
			continue
		}
		found++
		pos = max(end, at+4)
	}
}

// confirmPacked records the compressed data of the member whose local
// header is h, read through its central directory entry m (zipPacked),
// when the local header says the same of it: deflated, not encrypted, and
// the same compressed size (or none, with a data descriptor: a streaming
// unzipper then inflates to the stream's end, which is the range's end).
// A local header that says "stored" or another size makes a streaming
// unzipper read the bytes after it as something else (another member,
// reaching into the next member's data), so a local header of any member
// that disagrees with its directory entry (or a stored member of unknown
// size, which a streaming unzipper ends at the first bytes that look like
// a data descriptor) keeps every member's compressed data in the scan
// (zipLocalLies).
func (c *container) confirmPacked(h zipLocal, m zipMember) {
	if h.method != m.method || h.csize >= 0 && uint64(h.csize) != m.csize || h.csize < 0 && h.method != zip.Deflate {
		c.zipLocalLies = true
	}
	s, ok := c.zipPacked[int64(h.dataStart)]
	if !ok || h.method != zip.Deflate || h.flags&1 != 0 {
		return
	}
	if h.csize == int64(s.Len) || h.csize < 0 && h.flags&8 != 0 {
		c.part.Packed = append(c.part.Packed, s)
		delete(c.zipPacked, int64(h.dataStart))
	}
}

// errNotZip: a local header whose data is not what it says (quiet mode).
var errNotZip = errors.New("zip: not a local header")

// localMember reads the member a local header introduces and returns where
// its data (and data descriptor) ends.
func (c *container) localMember(h zipLocal, quiet bool) (int, error) {
	b := c.part.Content
	data := b[h.dataStart:]
	if h.csize >= 0 {
		data = data[:h.csize]
	} else if h.method != zip.Deflate || h.flags&1 != 0 {
		data = data[:zipDataEnd(data)]
	}
	end := h.dataStart + len(data)
	if h.flags&1 != 0 || h.method == methodAES {
		if quiet {
			return 0, errNotZip
		}
		c.addZipNames(c.addEncrypted(h.name), h.name, h.flags, h.extra)
		c.part.Encrypted = true
		c.w.problem(c.part, ReasonEncrypted, fmt.Sprintf("unpack: zip %q: encrypted member %q only in a local header, not opened", c.part.Path, cleanName(h.name)))
		return end + zipDescLen(b, end), nil
	}
	src := bytes.NewReader(data)
	dr, err := decompressor(h.method, h.flags, h.usize, src)
	if err != nil {
		if quiet {
			return 0, errNotZip
		}
		c.w.problem(c.part, zipReason(err), fmt.Sprintf("unpack: zip %q: local member %q: %v", c.part.Path, cleanName(h.name), err))
		return end + zipDescLen(b, end), nil
	}
	defer dr.Close()
	before := c.w.total
	got, err := c.read(h.name, dr, int64(len(data)))
	var le *limitErr
	switch {
	case errors.Is(err, errStop):
		return 0, err
	case errors.As(err, &le):
		p := c.add(h.name, got)
		c.addZipNames(p, h.name, h.flags, h.extra)
		c.truncated(p)
		return end, nil
	}
	if h.csize < 0 && h.method == zip.Deflate {
		end = h.dataStart + len(data) - src.Len() // what the inflater used
	}
	crcOK := h.flags&8 != 0 || crc32.ChecksumIEEE(got) == h.crc
	if quiet && (err != nil || !crcOK) {
		c.w.total = before // chance bytes, not a zip
		return 0, errNotZip
	}
	if err != nil || !crcOK {
		why := "CRC mismatch"
		if err != nil {
			why = err.Error()
		}
		c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: zip %q: local member %q: %s", c.part.Path, cleanName(h.name), why))
	}
	if len(got) == 0 && strings.HasSuffix(h.name, "/") && err == nil {
		return end + zipDescLen(b, end), nil // an empty folder
	}
	p := c.add(h.name, got)
	if p == nil {
		return 0, errStop
	}
	c.addZipNames(p, h.name, h.flags, h.extra)
	if err != nil {
		c.truncated(p)
	}
	return end + zipDescLen(b, end), nil
}

// zipDataEnd guesses where stored data of unknown size ends: at a data
// descriptor whose compressed size matches, else at the next zip record.
func zipDataEnd(data []byte) int {
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte(sigDesc))
		if i < 0 {
			break
		}
		at := off + i
		if at+12 <= len(data) && int(binary.LittleEndian.Uint32(data[at+8:])) == at {
			return at
		}
		off = at + 4
	}
	end := len(data)
	for _, sig := range []string{sigLocal, sigCentral, sigEnd} {
		if i := bytes.Index(data, []byte(sig)); i >= 0 && i < end {
			end = i
		}
	}
	return end
}

// zipDescLen is the length of a data descriptor at b[at:], 0 when none.
func zipDescLen(b []byte, at int) int {
	if bytes.HasPrefix(b[at:], []byte(sigDesc)) {
		return min(16, len(b)-at)
	}
	return 0
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
	cands := c.candidates()
	var good *candidate
	failed := 0
	for _, f := range files {
		raw, err := f.OpenRaw()
		if err != nil {
			c.zipEncrypted(f)
			failed++
			continue
		}
		sealed, err := io.ReadAll(io.LimitReader(raw, int64(len(c.part.Content))))
		if err != nil {
			c.zipEncrypted(f)
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
			data, ok, err := c.tryZip(f, sealed, pw.text)
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
			c.addZipNames(p, f.Name, f.Flags, f.Extra)
			c.keepZipPart(f, p)
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
			c.zipEncrypted(f)
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
// when the password is wrong; when it is true, err may carry a per-member limit.
func (c *container) tryZip(f *zip.File, sealed []byte, pw string) (data []byte, ok bool, err error) {
	method := f.Method
	var plain []byte
	checkCRC := true
	if method == methodAES {
		aes, err := parseAESExtra(f.Extra)
		if err != nil {
			return nil, false, nil
		}
		plain, err = aesDecrypt(sealed, pw, aes.strength)
		if err != nil {
			return nil, false, nil
		}
		method = aes.method
		checkCRC = aes.version == 1
	} else {
		check := byte(f.CRC32 >> 24)
		if f.Flags&0x8 != 0 {
			check = byte(f.ModifiedTime >> 8)
		}
		plain, err = zipCryptoDecrypt(sealed, pw, check)
		if err != nil {
			return nil, false, nil
		}
	}
	dr, err := decompressor(method, f.Flags, declaredSize(f.UncompressedSize64), bytes.NewReader(plain))
	if err != nil {
		return nil, false, nil
	}
	before := c.w.total
	data, err = c.read(f.Name, dr, int64(len(sealed)))
	var le *limitErr
	switch {
	case errors.Is(err, errStop), errors.As(err, &le):
		return data, true, err
	case err != nil || checkCRC && crc32.ChecksumIEEE(data) != f.CRC32:
		c.w.total = before // a wrong password's garbage does not count
		return nil, false, nil
	}
	return data, true, nil
}

// decompressor returns a reader for a zip compression method. flags and
// size (the expanded size, -1: unknown) are the member's; LZMA needs them.
func decompressor(method, flags uint16, size int64, r io.Reader) (io.ReadCloser, error) {
	switch method {
	case zip.Store:
		return io.NopCloser(r), nil
	case zip.Deflate:
		return newInflater(r), nil
	case methodDeflate64:
		return newDeflate64(r), nil
	case methodLZMA:
		return newZipLZMA(r, flags, size)
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
	return nil, methodError(method)
}

// flateReaders keeps inflaters between zip members (archive/zip pools its
// own the same way): each holds a 32 KiB window and tables. klauspost's
// inflater is faster than compress/flate's, and a zip of documents is
// mostly inflating.
var flateReaders sync.Pool

// inflater is a pooled inflater; Close returns it to the pool.
type inflater struct{ fr io.ReadCloser }

func newInflater(r io.Reader) io.ReadCloser {
	if fr, ok := flateReaders.Get().(io.ReadCloser); ok {
		if fr.(flate.Resetter).Reset(r, nil) == nil {
			return &inflater{fr}
		}
	}
	return &inflater{flate.NewReader(r)}
}

func (i *inflater) Read(p []byte) (int, error) {
	if i.fr == nil {
		return 0, errors.New("zip: read after close")
	}
	return i.fr.Read(p)
}

func (i *inflater) Close() error {
	if i.fr == nil {
		return nil
	}
	err := i.fr.Close()
	flateReaders.Put(i.fr)
	i.fr = nil
	return err
}

func newZstd(r io.Reader) (*zstd.Decoder, error) {
	// One goroutine and a 64 MiB window: a frame asking for more is refused.
	return zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(64<<20), zstd.WithDecoderMaxMemory(64<<20))
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
