package unpack

import (
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/klauspost/compress/zlib"
	"github.com/ulikunitz/xz"
)

// xar is the archive of macOS installer packages (.pkg) and .xar files,
// which Installer and Archive Utility open: a header, a zlib-compressed
// XML table of contents, then the heap holding each file's data, packed as
// its <encoding> says. No Go module the proxy serves reads it; the format
// is small (https://github.com/mackyle/xar/wiki/xarformat).

// maxXarTOC bounds the expanded table of contents: a large installer's is
// a few hundred KiB.
const maxXarTOC = 8 << 20

type xarFile struct {
	Name  string    `xml:"name"`
	Type  string    `xml:"type"`
	Data  *xarData  `xml:"data"`
	Files []xarFile `xml:"file"`
}

// xarData is where a file's data is in the heap: Length bytes from
// Offset, Size when expanded.
type xarData struct {
	Offset   int64 `xml:"offset"`
	Length   int64 `xml:"length"`
	Encoding struct {
		Style string `xml:"style,attr"`
	} `xml:"encoding"`
}

func openXar(c *container) error {
	b := c.part.Content
	if len(b) < 28 {
		return errors.New("xar: truncated header")
	}
	be := binary.BigEndian
	hsize := int64(be.Uint16(b[4:]))
	tocLen := be.Uint64(b[8:])
	if hsize < 28 || tocLen > uint64(len(b)) || hsize+int64(tocLen) > int64(len(b)) {
		return errors.New("xar: header sizes beyond the file")
	}
	heap := hsize + int64(tocLen)
	zr, err := zlib.NewReader(bytes.NewReader(b[hsize:heap]))
	if err != nil {
		return fmt.Errorf("xar: table of contents: %w", err)
	}
	toc, err := io.ReadAll(io.LimitReader(zr, maxXarTOC+1))
	if err != nil {
		return fmt.Errorf("xar: table of contents: %w", err)
	}
	if len(toc) > maxXarTOC {
		return fmt.Errorf("xar: table of contents larger than %d bytes", maxXarTOC)
	}
	var doc struct {
		Files []xarFile `xml:"toc>file"`
	}
	if err := xml.Unmarshal(toc, &doc); err != nil {
		return fmt.Errorf("xar: table of contents: %w", err)
	}
	return c.xarFiles("", doc.Files, b[heap:])
}

// xarFiles reads the files of one folder of the table of contents.
func (c *container) xarFiles(dir string, files []xarFile, heap []byte) error {
	for _, f := range files {
		name := path.Join(dir, f.Name)
		switch {
		case f.Data != nil && f.Type != "directory":
			if err := c.xarFile(name, f.Data, heap); err != nil {
				return err
			}
		case f.Type == "file": // empty: bsdtar writes no data
			if c.add(name, []byte{}) == nil {
				return errStop
			}
		}
		if err := c.xarFiles(name, f.Files, heap); err != nil {
			return err
		}
	}
	return nil
}

func (c *container) xarFile(name string, d *xarData, heap []byte) error {
	if d.Offset < 0 || d.Length < 0 || d.Offset > int64(len(heap)) || d.Length > int64(len(heap))-d.Offset {
		c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: xar %q: file %q: data beyond the archive", c.part.Path, cleanName(name)))
		return nil
	}
	raw := bytes.NewReader(heap[d.Offset : d.Offset+d.Length])
	var r io.Reader
	var err error
	switch d.Encoding.Style {
	case "", "application/octet-stream":
		r = raw
	case "application/x-gzip": // zlib, despite the name
		r, err = zlib.NewReader(raw)
	case "application/x-bzip2":
		r = bzip2.NewReader(raw)
	case "application/x-xz":
		r, err = xz.NewReader(raw)
	default:
		err = fmt.Errorf("encoding %q not supported", d.Encoding.Style)
	}
	if err == nil {
		_, err = c.member(name, r, d.Length)
	}
	if errors.Is(err, errStop) {
		return err
	}
	if err != nil {
		c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: xar %q: file %q: %v", c.part.Path, cleanName(name), err))
	}
	return nil
}
