package corpus

import (
	"archive/tar"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// File formats written by hand or with the standard library, always the same
// bytes for the same input: no clocks, no randomness, and no compressor
// whose output could change between Go versions (deflate streams are
// "stored" blocks, zip members are stored).

// file is one member of an archive.
type file struct {
	name string
	data []byte
}

// fixedTime is the modification time of every archive member.
var fixedTime = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

func zipOf(files ...file) []byte {
	entries := make([]formats.ZipEntry, len(files))
	for i, f := range files {
		entries[i] = formats.ZipEntry{Name: f.name, Data: f.data}
	}
	return formats.ArchiveZip(false, entries...)
}

// encryptedZip seals every member with pw: ZipCrypto, or WinZip AES-256.
func encryptedZip(pw string, useAES bool, files ...file) []byte {
	strength := byte(0)
	if useAES {
		strength = 3
	}
	entries := make([]formats.ZipEntry, len(files))
	for i, f := range files {
		entries[i] = formats.ZipEntry{Name: f.name, Data: f.data}
	}
	return formats.EncryptedZip(pw, strength, false, entries...)
}

func tarOf(files ...file) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), ModTime: fixedTime,
			Typeflag: tar.TypeReg, Uname: "corpus", Gname: "corpus", Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(h); err != nil {
			panic(err)
		}
		tw.Write(f.data)
	}
	if err := tw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func gzipOf(name string, data []byte) []byte {
	out := []byte{0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 255} // FNAME, no mtime, unknown OS
	out = append(out, name...)
	out = append(out, 0)
	out = append(out, formats.StoredDeflate(data)...)
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(data))
	return binary.LittleEndian.AppendUint32(out, uint32(len(data)))
}

// isoOf is an ISO 9660 image with the files in its root directory under
// their upper-cased names, as an old burner writes it (no Joliet, no Rock
// Ridge).
func isoOf(label string, files ...file) []byte {
	iso := make([]formats.ISOFile, len(files))
	for i, f := range files {
		iso[i] = formats.ISOFile{ISO: strings.ToUpper(f.name), Data: f.data}
	}
	return formats.ISO(label, iso...)
}

// fakePE is a harmless stand-in with the headers of a Windows program: the
// "MZ" DOS header pointing at a "PE\0\0" signature, and no code.
func fakePE(note string) []byte {
	b := make([]byte, 0x80)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3C:], 0x40)
	copy(b[0x40:], "PE\x00\x00\x4c\x01")
	copy(b[0x4E:], "This program cannot be run in DOS mode.")
	return append(b, "\r\nKensa corpus stand-in, not a program: "+note+"\r\n"...)
}

// fakeLNK is a shell-link header (MS-SHLLINK) followed by a command line in
// UTF-16, as shortcuts store it; nothing that Windows could follow.
func fakeLNK(cmdline string) []byte {
	b := []byte{0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}
	b = append(b, make([]byte, 76-len(b))...)
	for _, u := range utf16.Encode([]rune(cmdline)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// rtfWithPackage is an RTF document with one embedded OLE1 "Package"
// object carrying a file, as Word writes \objdata (hex in lines).
func rtfWithPackage(text, name string, data []byte) []byte {
	pkg := []byte{2, 0}
	pkg = append(pkg, name+"\x00C:\\Users\\Public\\"+name+"\x00"...)
	pkg = append(pkg, 0, 0, 3, 0)
	tmp := "C:\\Users\\Public\\" + name + "\x00"
	pkg = binary.LittleEndian.AppendUint32(pkg, uint32(len(tmp)))
	pkg = append(pkg, tmp...)
	pkg = binary.LittleEndian.AppendUint32(pkg, uint32(len(data)))
	pkg = append(pkg, data...)
	obj := []byte{1, 5, 0, 0, 2, 0, 0, 0}
	obj = binary.LittleEndian.AppendUint32(obj, uint32(len("Package")+1))
	obj = append(obj, "Package\x00"...)
	obj = append(obj, make([]byte, 8)...) // empty topic and item
	obj = binary.LittleEndian.AppendUint32(obj, uint32(len(pkg)))
	obj = append(obj, pkg...)
	h := hex.EncodeToString(obj)
	var lines strings.Builder
	for i := 0; i < len(h); i += 64 {
		lines.WriteString(h[i:min(i+64, len(h))] + "\r\n")
	}
	return []byte(`{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}` + "\r\n" + `\pard ` + text + `\par` + "\r\n" +
		`{\object\objemb{\*\objclass Package}\objw2000\objh800{\*\objdata ` + "\r\n" + lines.String() + `}}` + "\r\n}")
}

// pngOf is a real PNG (w×h, RGB) with a stored zlib stream.
func pngOf(w, h int, pixel func(x, y int) (r, g, b byte)) []byte {
	chunk := func(out []byte, typ string, data []byte) []byte {
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		c := append([]byte(typ), data...)
		out = append(out, c...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(c))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	var raw []byte
	for y := 0; y < h; y++ {
		raw = append(raw, 0)
		for x := 0; x < w; x++ {
			r, g, b := pixel(x, y)
			raw = append(raw, r, g, b)
		}
	}
	out := []byte("\x89PNG\r\n\x1a\n")
	out = chunk(out, "IHDR", ihdr)
	out = chunk(out, "IDAT", formats.Zlib(raw))
	return chunk(out, "IEND", nil)
}

// meetingInvite is a meeting request as Outlook writes it when it keeps the
// attachments inside the calendar item: the file base64 in an ATTACH
// property named by X-FILENAME, folded at 75 octets.
func meetingInvite(summary, file string, data []byte) []byte {
	attach := "ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=" + file + ":" + base64.StdEncoding.EncodeToString(data)
	var folded strings.Builder
	for len(attach) > 75 {
		folded.WriteString(attach[:75] + "\r\n ")
		attach = attach[75:]
	}
	folded.WriteString(attach + "\r\n")
	return []byte("BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n" +
		"BEGIN:VEVENT\r\nUID:kensa-corpus-" + file + "\r\nDTSTART:20261210T100000Z\r\nDTEND:20261210T110000Z\r\nSUMMARY:" + summary + "\r\n" +
		"ORGANIZER;CN=Accounts:mailto:accounts@shop.example.com\r\n" + folded.String() + "END:VEVENT\r\nEND:VCALENDAR\r\n")
}
