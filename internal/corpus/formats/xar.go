package formats

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"html"
	"strings"
)

// Xar is a xar archive, as macOS installer packages (.pkg) are: a 28-byte
// header, the table of contents (XML, zlib-compressed), then the heap: the
// SHA-1 of the compressed table, and each file's data zlib-compressed
// (the "application/x-gzip" encoding). A name with slashes is put in
// folders of those names.
func Xar(files ...File) []byte {
	var heap []byte
	heap = append(heap, make([]byte, sha1.Size)...)
	var toc strings.Builder
	toc.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<xar>\n <toc>\n")
	toc.WriteString(`  <checksum style="sha1"><offset>0</offset><size>20</size></checksum>` + "\n")
	id := 0
	for _, f := range files {
		parts := strings.Split(f.Name, "/")
		for _, dir := range parts[:len(parts)-1] {
			id++
			fmt.Fprintf(&toc, "  <file id=\"%d\"><type>directory</type><name>%s</name>\n", id, html.EscapeString(dir))
		}
		packed := Zlib(f.Data)
		id++
		fmt.Fprintf(&toc, "  <file id=\"%d\"><data><length>%d</length><encoding style=\"application/x-gzip\"/><offset>%d</offset><size>%d</size></data><type>file</type><name>%s</name></file>\n",
			id, len(packed), len(heap), len(f.Data), html.EscapeString(parts[len(parts)-1]))
		heap = append(heap, packed...)
		toc.WriteString(strings.Repeat("  </file>\n", len(parts)-1))
	}
	toc.WriteString(" </toc>\n</xar>\n")
	return XarTOC(toc.String(), heap)
}

// XarTOC is a xar archive of the table of contents toc and the heap, whose
// first 20 bytes are set to the SHA-1 of the compressed table.
func XarTOC(toc string, heap []byte) []byte {
	ztoc := Zlib([]byte(toc))
	sum := sha1.Sum(ztoc)
	heap = append(sum[:], heap[min(len(heap), sha1.Size):]...)
	be := binary.BigEndian
	out := []byte("xar!")
	out = be.AppendUint16(out, 28)
	out = be.AppendUint16(out, 1)
	out = be.AppendUint64(out, uint64(len(ztoc)))
	out = be.AppendUint64(out, uint64(len(toc)))
	out = be.AppendUint32(out, 1) // SHA-1
	out = append(out, ztoc...)
	return append(out, heap...)
}
