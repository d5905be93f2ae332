// Package filetype is Kensa's one file-type sniffer: it names what a part's
// bytes are (Detect), maps that to the names YARA rules use (YARAName), and
// says which types are built on a zip (ZipBased). message records the result
// on every part as DetectedType; unpack picks an opener from it and the
// heuristics compare it with names and declared types. There is no other
// sniffer: a new format is one constant, one entry in All and one rule here.
//
// Detect only reads the first HeadWindow and the last TailWindow bytes, so it
// is cheap on large parts and an attacker cannot make it read more.
package filetype

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"unicode/utf8"
)

// MIME types Detect returns. Other packages compare against these.
const (
	EXE     = "application/x-dosexec"
	ELF     = "application/x-elf"
	MachO   = "application/x-mach-binary"
	Java    = "application/java-vm"
	ZIP     = "application/zip"
	DOCX    = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	XLSX    = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	PPTX    = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	OLE     = "application/x-ole-storage"
	PDF     = "application/pdf"
	RTF     = "application/rtf"
	SevenZ  = "application/x-7z-compressed"
	RAR     = "application/vnd.rar"
	GZIP    = "application/gzip"
	BZIP2   = "application/x-bzip2"
	XZ      = "application/x-xz"
	ZSTD    = "application/zstd"
	TAR     = "application/x-tar"
	ISO     = "application/x-iso9660-image"
	UDF     = "application/x-udf-image"
	VHD     = "application/x-vhd"
	VHDX    = "application/x-vhdx"
	EXFAT   = "application/x-exfat" // an exFAT volume from its first byte (a raw .img)
	OneNote = "application/onenote"
	LNK     = "application/x-ms-shortcut"
	CAB     = "application/vnd.ms-cab-compressed"
	XAR     = "application/x-xar" // macOS installer packages (.pkg)
	CPIO    = "application/x-cpio"
	ARJ     = "application/x-arj"
	LZH     = "application/x-lzh-compressed" // LHA
	ACE     = "application/x-ace-compressed"
	LZW     = "application/x-compress" // Unix compress (.Z)
	LZIP    = "application/x-lzip"
	LZ4     = "application/x-lz4"
	// Archive formats recognised only to be refused (unpack calls them
	// unsupported-container): malspam sends them because gateways do not
	// open them.
	ZOO     = "application/x-zoo"
	ARC     = "application/x-arc" // SEA ARC and PKPAK
	StuffIt = "application/x-stuffit"
	ALZ     = "application/x-alz"
	EGG     = "application/x-egg"
	ZPAQ    = "application/x-zpaq"
	CHM     = "application/vnd.ms-htmlhelp"
	PNG     = "image/png"
	JPEG    = "image/jpeg"
	GIF     = "image/gif"
	TIFF    = "image/tiff"
	WEBP    = "image/webp"
	BMP     = "image/bmp"
	SVG     = "image/svg+xml"
	HTML    = "text/html"
	XML     = "application/xml"
	Text    = "text/plain"
	Binary  = "application/octet-stream"
	// Mail is not returned by Detect: it is the declared type of a
	// forwarded message, which has a YARA name of its own.
	Mail = "message/rfc822"
	// RFC822Headers is not returned by Detect either: it is the declared
	// type of a message's header block alone (RFC 6522), which unpack
	// gives an Outlook message's transport headers and shown sender.
	RFC822Headers = "text/rfc822-headers"
)

// ODFPrefix starts the MIME types an OpenDocument file names in its
// "mimetype" member; Detect returns that name as it stands.
const ODFPrefix = "application/vnd.oasis.opendocument."

// Detect reads at most the first HeadWindow and the last TailWindow bytes.
const (
	HeadWindow = 96 << 10
	TailWindow = 64 << 10
)

// All lists every type Detect returns (besides ODF names) with its YARA
// "filetype" name ("" for Binary: no rule should depend on "unknown").
var All = []struct{ MIME, YARA string }{
	{EXE, "EXE"}, {ELF, "ELF"}, {MachO, "MACHO"}, {Java, "CLASS"},
	{ZIP, "ZIP"}, {DOCX, "DOCX"}, {XLSX, "XLSX"}, {PPTX, "PPTX"},
	{OLE, "OLE"}, {PDF, "PDF"}, {RTF, "RTF"},
	{SevenZ, "7Z"}, {RAR, "RAR"}, {GZIP, "GZIP"}, {BZIP2, "BZIP2"}, {XZ, "XZ"}, {ZSTD, "ZSTD"}, {TAR, "TAR"},
	{ISO, "ISO"}, {UDF, "UDF"}, {VHD, "VHD"}, {VHDX, "VHDX"}, {EXFAT, "EXFAT"},
	{OneNote, "ONENOTE"}, {LNK, "LNK"}, {CAB, "CAB"}, {XAR, "XAR"}, {CPIO, "CPIO"}, {CHM, "CHM"},
	{ARJ, "ARJ"}, {LZH, "LZH"}, {ACE, "ACE"}, {LZW, "COMPRESS"}, {LZIP, "LZIP"}, {LZ4, "LZ4"},
	{ZOO, "ZOO"}, {ARC, "ARC"}, {StuffIt, "STUFFIT"}, {ALZ, "ALZ"}, {EGG, "EGG"}, {ZPAQ, "ZPAQ"},
	{PNG, "PNG"}, {JPEG, "JPEG"}, {GIF, "GIF"}, {TIFF, "TIFF"}, {WEBP, "WEBP"}, {BMP, "BMP"},
	{SVG, "SVG"}, {HTML, "HTML"}, {XML, "XML"}, {Text, "TEXT"}, {Binary, ""},
}

var yaraNames = func() map[string]string {
	m := make(map[string]string, len(All)+1)
	for _, t := range All {
		m[t.MIME] = t.YARA
	}
	m[Mail] = "EML"
	return m
}()

// YARAName maps a type from Detect (or Mail) to the YARA "filetype"
// external: "EXE", "PDF", "ZIP", "ODF"...; "" when there is none.
func YARAName(t string) string {
	if n, ok := yaraNames[t]; ok {
		return n
	}
	if isODF(t) {
		return "ODF"
	}
	return ""
}

// Known reports whether Detect can return t.
func Known(t string) bool {
	_, ok := yaraNames[t]
	return ok && t != Mail || isODF(t)
}

// ZipBased reports whether t is a zip archive or a document built on one
// (OOXML, OpenDocument): what a zip reader opens.
func ZipBased(t string) bool {
	return t == ZIP || t == DOCX || t == XLSX || t == PPTX || isODF(t)
}

func isODF(t string) bool { return len(t) > len(ODFPrefix) && strings.HasPrefix(t, ODFPrefix) }

// signature is a byte string expected at a fixed offset.
type signature struct {
	off   int
	magic string
	mime  string
}

// signatures are tried in order; the first match wins. Formats that need
// more than a fixed string (zip flavours, PE, fat Mach-O vs Java, RTF,
// bzip2, UDF, a VHD footer, text) are handled in Detect itself.
var signatures = []signature{
	{0, "\x7fELF", ELF},
	{0, "\xfe\xed\xfa\xce", MachO},
	{0, "\xfe\xed\xfa\xcf", MachO},
	{0, "\xce\xfa\xed\xfe", MachO},
	{0, "\xcf\xfa\xed\xfe", MachO},
	{0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE},
	{0, "%PDF-", PDF},
	{0, "7z\xbc\xaf\x27\x1c", SevenZ},
	{0, "Rar!\x1a\x07", RAR}, // any version byte: the opener says whether it can read it
	{0, "\x1f\x8b", GZIP},
	{0, "\xfd7zXZ\x00", XZ},
	{0, "\x28\xb5\x2f\xfd", ZSTD},
	{0, "MSCF\x00\x00\x00\x00", CAB},
	{0, "xar!\x00", XAR}, // the magic, then a header size of 28 or a little more
	{7, "**ACE**", ACE},
	{0, "LZIP\x01", LZIP},
	{0, "\x04\x22\x4d\x18", LZ4},
	{0, "\x02\x21\x4c\x18", LZ4}, // the legacy frame lz4 -l writes
	{20, "\xdc\xa7\xc4\xfd", ZOO},
	{0, "StuffIt (c)1997", StuffIt}, // StuffIt 5
	{0, "StuffIt!", StuffIt},        // StuffIt X (.sitx)
	{0, "ALZ\x01", ALZ},
	{0, "7kSt\xa0\x31\x83\xd3\x8c\xb2\x28\xb0\xd3", ZPAQ}, // the locator tag of a zpaq archive
	{0, "zPQ\x01\x01", ZPAQ},                              // a block without one: level 1 or 2, type 1
	{0, "zPQ\x02\x01", ZPAQ},
	{0, "\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3", OneNote},
	// Header size and the start of the shortcut CLSID: enough, and a
	// tampered rest of the CLSID must not hide a shortcut.
	{0, "\x4c\x00\x00\x00\x01\x14\x02\x00", LNK},
	{0, "\x89PNG\r\n\x1a\n", PNG},
	{0, "\xff\xd8\xff", JPEG},
	{0, "GIF87a", GIF},
	{0, "GIF89a", GIF},
	{0, "II*\x00", TIFF},
	{0, "MM\x00*", TIFF},
	{0, "vhdxfile", VHDX},
	{0, "\xEB\x76\x90EXFAT   ", EXFAT}, // the jump and the file system's name
	{0, "conectix", VHD},
	{257, "ustar", TAR},
	{0x8001, "CD001", ISO},
	{0x8801, "CD001", ISO},
	{0x9001, "CD001", ISO},
}

// textLen is how much of the start is examined for text, markup, RTF and
// a late PDF header.
const textLen = 1024

// Detect names the format of b from its magic bytes, falling back to Text
// for text and Binary for anything else.
func Detect(b []byte) string {
	if isZip(b) {
		return zipFlavour(b)
	}
	if len(b) >= 4 && string(b[:4]) == "\xca\xfe\xba\xbe" {
		// Fat Mach-O and Java class files share a magic; Mach-O counts its
		// architectures there (a handful), Java puts its version (45 and up).
		if len(b) >= 8 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] > 0 && b[7] < 20 {
			return MachO
		}
		return Java
	}
	if isPE(b) {
		return EXE
	}
	for _, s := range signatures {
		if len(b) >= s.off+len(s.magic) && string(b[s.off:s.off+len(s.magic)]) == s.magic {
			return s.mime
		}
	}
	h := head(b, textLen)
	switch {
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WEBP
	case len(b) > 26 && string(b[:2]) == "BM" && b[14] >= 12 && b[15] == 0 && b[16] == 0 && b[17] == 0:
		return BMP // "BM" and a DIB header of a plausible size: "BM" alone starts much text
	case len(b) >= 8 && string(b[:4]) == "ITSF" && b[5] == 0 && b[6] == 0 && b[7] == 0:
		return CHM // "ITSF" and a small version number
	case isBzip2(b):
		return BZIP2
	case bytes.HasPrefix(bytes.TrimLeft(h, " \t\r\n\xef\xbb\xbf"), []byte(`{\rt`)):
		return RTF // Word opens "{\rt" as RTF, after blanks too: "{\rtf1" is not required
	case isUDF(b):
		return UDF
	case CpioFormat(b) != "":
		return CPIO
	case isArj(b):
		return ARJ
	case isLzh(b):
		return LZH
	case len(b) >= 3 && b[0] == 0x1f && b[1] == 0x9d && b[2]&0x1f >= 9 && b[2]&0x1f <= 16 && b[2]&0x60 == 0:
		return LZW // the magic, then code bits 9 to 16 and no reserved flags
	case len(b) >= 14 && string(b[:4]) == "SIT!" && string(b[10:14]) == "rLau":
		return StuffIt // StuffIt 1.5 to 4
	case isArc(b):
		return ARC
	case len(b) >= 14 && string(b[:4]) == "EGGA" && string(b[10:14]) == "\x00\x00\x00\x00":
		return EGG // the magic, a version, a header id and its reserved zeros
	case isOldTar(b):
		return TAR // pre-POSIX (V7) tar: no "ustar" magic, only a valid header checksum
	case len(b) >= 512 && string(b[len(b)-512:len(b)-504]) == "conectix":
		return VHD // a fixed-size VHD has only its footer
	case len(b) > 4 && bytes.Contains(h, []byte("%PDF-")):
		return PDF // readers accept a PDF header anywhere in the first KB
	}
	return sniffText(h)
}

// CpioFormat names the cpio header at the start of b: "odc" (070707, all
// octal digits), "newc" (070701 or 070702, all hex digits), "" for none.
// The whole header must be digits: text may start with "070707".
func CpioFormat(b []byte) string {
	digits := func(f []byte, base int) bool {
		for _, c := range f {
			if c >= 'A' {
				c |= 0x20 // lower case
			}
			if v := strings.IndexByte("0123456789abcdef", c); v < 0 || v >= base {
				return false
			}
		}
		return true
	}
	switch {
	case len(b) >= 76 && string(b[:6]) == "070707" && digits(b[6:76], 8):
		return "odc"
	case len(b) >= 110 && (string(b[:6]) == "070701" || string(b[:6]) == "070702") && digits(b[6:110], 16):
		return "newc"
	}
	return ""
}

func isZip(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06")) ||
		bytes.HasPrefix(b, []byte("PK\x07\x08PK\x03\x04")) // a spanned archive's marker
}

// isPE wants "MZ" and either a "PE\0\0" header where e_lfanew points or the
// DOS stub text, so that a text file starting with "MZ" is not an
// executable. A binary file starting with "MZ" is one all the same: a
// truncated or damaged PE is still not something to let through as data.
// (A real PE is never text: the 32-bit header offset at 0x3C holds NULs.)
func isPE(b []byte) bool {
	if !bytes.HasPrefix(b, []byte("MZ")) {
		return false
	}
	if len(b) >= 0x40 {
		off := int(binary.LittleEndian.Uint32(b[0x3C:0x40]))
		if off > 0 && off < len(b)-4 && off < 1<<16 && string(b[off:off+4]) == "PE\x00\x00" {
			return true
		}
	}
	h := head(b, 512)
	return bytes.Contains(h, []byte("This program cannot be run in DOS mode")) || !looksText(h)
}

// isArj wants an ARJ main header: the magic, a header size arj accepts,
// the file type of a main header (2) and a header CRC-32 that matches.
// (A self-extracting ARJ is a program; unpack does not look inside it.)
func isArj(b []byte) bool {
	if len(b) < 4 || b[0] != 0x60 || b[1] != 0xea {
		return false
	}
	size := int(binary.LittleEndian.Uint16(b[2:]))
	if size < 30 || size > 2600 || len(b) < 4+size+4 || b[4] < 30 || b[10] != 2 {
		return false
	}
	return crc32.ChecksumIEEE(b[4:4+size]) == binary.LittleEndian.Uint32(b[4+size:])
}

// isLzh wants an LHA header: a method "-lh?-", "-lz?-" or "-pm?-" at
// offset 2 and a header level 0 to 3 at offset 20. (A self-extracting
// LHA is a program.)
func isLzh(b []byte) bool {
	if len(b) < 22 || b[2] != '-' || b[6] != '-' || b[20] > 3 {
		return false
	}
	switch string(b[3:5]) {
	case "lh", "lz", "pm":
		return b[5] >= '0' && b[5] <= '9' || b[5] >= 'a' && b[5] <= 'z'
	}
	return false
}

// isArc wants an ARC or PKPAK member header: 0x1a, a method 1 to 11 or
// PKPAK's 20 and up, and a NUL-ended printable name of up to 12
// characters (an 8.3 name).
func isArc(b []byte) bool {
	if len(b) < 29 || b[0] != 0x1a || b[1] == 0 || b[1] > 11 && b[1] < 20 || b[1] > 40 {
		return false
	}
	for i, c := range b[2:15] {
		switch {
		case c == 0:
			return i > 0
		case c <= ' ' || c >= 0x7f:
			return false
		}
	}
	return false
}

// isBzip2 wants "BZh1".."BZh9" and then a block or an end-of-stream magic,
// so that text starting with "BZh" is not an archive.
func isBzip2(b []byte) bool {
	return len(b) >= 10 && string(b[:3]) == "BZh" && '1' <= b[3] && b[3] <= '9' &&
		(string(b[4:10]) == "\x31\x41\x59\x26\x53\x59" || string(b[4:10]) == "\x17\x72\x45\x38\x50\x90")
}

// isUDF spots the volume recognition sequence of a UDF image ("BEA01",
// "NSR02", "NSR03" in the sectors from 16 on) with no ISO 9660 descriptor.
func isUDF(b []byte) bool {
	for off := 0x8000; off+6 <= len(b) && off < 0x8000+16*2048; off += 2048 {
		switch string(b[off+1 : off+6]) {
		case "BEA01", "NSR02", "NSR03":
			return true
		}
	}
	return false
}

// isOldTar wants a first header block whose checksum (the sum of its bytes,
// the checksum field counted as spaces) matches the octal number stored in
// it, a name, and octal size and mode fields: what tar and 7-Zip check
// before reading an archive without the "ustar" magic.
func isOldTar(b []byte) bool {
	if len(b) < 512 || b[0] == 0 {
		return false
	}
	h := b[:512]
	octal := func(f []byte) (int64, bool) {
		f = bytes.Trim(f, " \x00")
		if len(f) == 0 {
			return 0, false
		}
		var v int64
		for _, c := range f {
			if c < '0' || c > '7' {
				return 0, false
			}
			v = v<<3 | int64(c-'0')
		}
		return v, true
	}
	want, ok := octal(h[148:156])
	if !ok {
		return false
	}
	if _, ok := octal(h[124:136]); !ok {
		return false
	}
	if _, ok := octal(h[100:108]); !ok {
		return false
	}
	unsigned, signed := TarHeaderSums(h)
	return want == int64(unsigned) || want == int64(signed)
}

// TarHeaderSums are what tar compares with a 512-byte header's checksum
// field: the sum of its bytes, the field itself counted as spaces, read
// unsigned and (as old Sun tar did) signed.
func TarHeaderSums(h []byte) (unsigned, signed int) {
	for i, c := range h {
		if i >= 148 && i < 156 {
			c = ' '
		}
		unsigned += int(c)
		signed += int(int8(c))
	}
	return unsigned, signed
}

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// zipFlavour tells OOXML and ODF documents from plain zip archives by the
// member names near the start (local headers) and end (central directory).
func zipFlavour(b []byte) string {
	// ODF stores a "mimetype" member first and uncompressed, so its
	// content follows the first local header's name and extra field.
	if len(b) > 38 && string(b[30:38]) == "mimetype" {
		start := 38 + (int(b[28]) | int(b[29])<<8)
		if start < len(b) && bytes.HasPrefix(b[start:], []byte(ODFPrefix)) {
			end := start
			for end < len(b) && end < start+80 && isMIMEByte(b[end]) {
				end++
			}
			if t := string(b[start:end]); isODF(t) {
				return t
			}
		}
	}
	const window = 64 << 10
	has := func(name string) bool {
		return bytes.Contains(head(b, window), []byte(name)) || bytes.Contains(tail(b, window), []byte(name))
	}
	if !has("[Content_Types].xml") {
		return ZIP
	}
	switch {
	case has("word/"):
		return DOCX
	case has("xl/"):
		return XLSX
	case has("ppt/"):
		return PPTX
	}
	return ZIP
}

func isMIMEByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '/' || c == '+'
}

// sniffText recognises markup and text in h, the first KB.
func sniffText(h []byte) string {
	if len(h) == 0 {
		return Text
	}
	if bytes.HasPrefix(h, []byte("\xff\xfe")) || bytes.HasPrefix(h, []byte("\xfe\xff")) {
		return Text // UTF-16 with a byte order mark
	}
	h = bytes.TrimPrefix(h, []byte("\xef\xbb\xbf"))
	if !looksText(h) {
		return Binary
	}
	lower := bytes.ToLower(bytes.TrimLeft(h, " \t\r\n\f\v"))
	for _, tag := range []string{"<!doctype html", "<html", "<script", "<head", "<body", "<iframe"} {
		if bytes.HasPrefix(lower, []byte(tag)) {
			return HTML
		}
	}
	if bytes.HasPrefix(lower, []byte("<svg")) || bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("<svg")) {
		return SVG
	}
	for _, tag := range []string{"<!doctype html", "<html", "<script"} {
		if bytes.Contains(lower, []byte(tag)) {
			return HTML
		}
	}
	if bytes.HasPrefix(lower, []byte("<?xml")) {
		return XML
	}
	return Text
}

// looksText reports whether h is text: no NUL bytes and either valid UTF-8
// (allowing a rune cut at the end of the window) or mostly printable bytes
// of some 8-bit charset.
func looksText(h []byte) bool {
	if bytes.IndexByte(h, 0) >= 0 {
		return false
	}
	v := h
	for i := 0; i < utf8.UTFMax && len(v) > 0 && !utf8.FullRune(v[len(v)-1:]); i++ {
		v = v[:len(v)-1]
	}
	if utf8.Valid(v) {
		return textControls(h) == 0
	}
	return textControls(h)*20 < len(h)
}

// textControls counts control bytes that text does not contain.
func textControls(h []byte) int {
	n := 0
	for _, c := range h {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b {
			n++
		}
	}
	return n
}

// LooksLikeMail reports whether b starts like a whole message: at least two
// well-known header fields before the first empty line (within 8 KB). Not
// part of Detect: an .eml member or an octet-stream attachment is read as
// mail only where its name or declared type allows it (unpack decides).
func LooksLikeMail(b []byte) bool {
	b = head(b, 8192)
	end := bytes.Index(b, []byte("\n\n"))
	if e := bytes.Index(b, []byte("\r\n\r\n")); e >= 0 && (end < 0 || e < end) {
		end = e
	}
	if end < 0 {
		return false
	}
	seen := 0
	for _, line := range bytes.Split(b[:end], []byte("\n")) {
		// Only a line starting with a field's first letter can start
		// with the field: no rune outside ASCII lowers to one of them
		// (İ and the Kelvin sign, the only ones that lower to ASCII,
		// lower to "i" and "k"). And only the line's first 64 bytes can
		// hold the field's 13 at most, each lowered from up to 4 bytes:
		// a binary part's "lines" were lowered whole.
		if len(line) == 0 || !mailFieldStart[line[0]|0x20] {
			continue
		}
		l := strings.ToLower(string(line[:min(len(line), 64)]))
		for _, h := range mailFields {
			if strings.HasPrefix(l, h) {
				seen++
			}
		}
	}
	return seen >= 2
}

// mailFields are the header fields LooksLikeMail counts, lower case.
var mailFields = []string{"from:", "to:", "subject:", "date:", "received:", "message-id:", "mime-version:", "return-path:"}

// mailFieldStart holds the first letters of mailFields.
var mailFieldStart = func() (s [256]bool) {
	for _, h := range mailFields {
		s[h[0]] = true
	}
	return s
}()
