package formats

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"time"
)

// Zip archives of stored members written record by record (APPNOTE 4.3),
// so that the local header and the central directory can disagree, which
// archive/zip's writer never lets happen.

// ZipEntry is one member. Name is what the local header says; CentralName,
// when set, is what the central directory says instead. Hidden leaves the
// member out of the central directory: only a walk of the local headers
// finds it. Flags are the general purpose bits of both headers; Extra is
// the extra field of both, CentralExtra, when set, the central one's.
// Method packs Data (0: stored; ZipDeflate, ZipDeflate64, ZipLZMA); Packed,
// when set, is written instead of what Method makes of Data (the headers'
// CRC and expanded size are still Data's): packed data with bytes after
// its stream's end, or that is no packing of Data at all.
type ZipEntry struct {
	Name         string
	CentralName  string
	Data         []byte
	Hidden       bool
	Flags        uint16
	Extra        []byte
	CentralExtra []byte
	Method       uint16
	Packed       []byte
}

// UnicodePath is an Info-ZIP Unicode Path extra field (0x7075) as Info-ZIP
// zip writes it for a header named header: version 1, the CRC-32 of the
// header's name field, the UTF-8 name.
func UnicodePath(header, name string) []byte {
	return UnicodePathField(1, crc32.ChecksumIEEE([]byte(header)), name)
}

// UnicodePathField is a Unicode Path extra field with any version and CRC.
func UnicodePathField(version byte, nameCRC uint32, name string) []byte {
	le := binary.LittleEndian
	b := le.AppendUint16(nil, 0x7075)
	b = le.AppendUint16(b, uint16(5+len(name)))
	b = append(b, version)
	b = le.AppendUint32(b, nameCRC)
	return append(b, name...)
}

// Zip is a zip archive of members stored or packed with their Method, with
// no data descriptors.
func Zip(entries ...ZipEntry) []byte {
	le := binary.LittleEndian
	var out, cd []byte
	count := 0
	for _, e := range entries {
		crc := crc32.ChecksumIEEE(e.Data)
		packed := e.Packed
		if packed == nil {
			packed = zipPack(e.Method, e.Flags, e.Data)
		}
		off := len(out)
		out = le.AppendUint32(out, 0x04034b50)
		out = zipFixed(out, e.Flags, e.Method, crc, len(packed), len(e.Data))
		out = le.AppendUint16(out, uint16(len(e.Name)))
		out = le.AppendUint16(out, uint16(len(e.Extra)))
		out = append(out, e.Name...)
		out = append(out, e.Extra...)
		out = append(out, packed...)
		if e.Hidden {
			continue
		}
		name := e.Name
		if e.CentralName != "" {
			name = e.CentralName
		}
		extra := e.Extra
		if e.CentralExtra != nil {
			extra = e.CentralExtra
		}
		count++
		cd = le.AppendUint32(cd, 0x02014b50)
		cd = le.AppendUint16(cd, 20) // version made by
		cd = zipFixed(cd, e.Flags, e.Method, crc, len(packed), len(e.Data))
		cd = le.AppendUint16(cd, uint16(len(name)))
		cd = le.AppendUint16(cd, uint16(len(extra)))
		cd = append(cd, 0, 0, 0, 0, 0, 0) // comment length, disk, internal attributes
		cd = le.AppendUint32(cd, 0)       // external attributes
		cd = le.AppendUint32(cd, uint32(off))
		cd = append(cd, name...)
		cd = append(cd, extra...)
	}
	start := len(out)
	out = append(out, cd...)
	out = le.AppendUint32(out, 0x06054b50)
	out = append(out, 0, 0, 0, 0) // disk numbers
	out = le.AppendUint16(out, uint16(count))
	out = le.AppendUint16(out, uint16(count))
	out = le.AppendUint32(out, uint32(len(cd)))
	out = le.AppendUint32(out, uint32(start))
	return le.AppendUint16(out, 0) // comment length
}

// zipFixed appends the fields local and central headers share: version
// needed, flags, method, time and date, CRC, sizes.
func zipFixed(b []byte, flags, method uint16, crc uint32, packed, n int) []byte {
	le := binary.LittleEndian
	b = le.AppendUint16(b, zipVersion(method))
	b = le.AppendUint16(b, flags)
	b = le.AppendUint16(b, method)
	b = le.AppendUint16(b, 0x4BC0) // 09:30:00
	b = le.AppendUint16(b, 0x5D62) // 2026-11-02
	b = le.AppendUint32(b, crc)
	b = le.AppendUint32(b, uint32(packed))
	return le.AppendUint32(b, uint32(n))
}

// zipTime is the modification time of every member ArchiveZip writes, so
// that the same entries give the same bytes.
var zipTime = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

// ArchiveZip is a zip as Go's archive/zip writes it, the way most tools
// write them: members stored, or deflated (fastest level) when deflate is
// set. Only Name and Data of the entries count. Stored output is the same
// bytes on every Go version (the committed corpus uses it); deflated output
// is for tests that need compression (ratios, sizes).
func ArchiveZip(deflate bool, entries ...ZipEntry) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	method := zip.Store
	if deflate {
		method = zip.Deflate
	}
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: method, Modified: zipTime})
		if err != nil {
			panic(err) // only a name longer than 64 KiB fails
		}
		w.Write(e.Data)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}
